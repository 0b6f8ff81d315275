"""Revenue at risk, the action plan and its spreadsheet export."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

import cxanalysis as cx
from cxanalysis import actions, money
from cxanalysis.results import write_xlsx


@pytest.fixture(scope="module")
def sample():
    return cx.open_client(None)


def test_revenue_at_risk_reproduces_the_methods_worked_example():
    table = cx.revenue_at_risk(customers=100, revenue_per_customer=100, csat=[90, 75], churn_if_dissatisfied=0.95)
    assert table["revenue_at_risk"].tolist() == [950, 2375]
    assert table["value_per_csat_point"].tolist() == [95, 95]


def test_revenue_at_risk_counts_the_churn_dissatisfaction_adds(sample):
    risk = money.revenue_at_risk_now(sample)
    # The churn of each group, typed from the files: each customer's latest CSAT answer in the latest period.
    answers = sample.responses[sample.responses["csat"].notna() & sample.responses["customer_id"].notna()]
    answers = answers[answers["period"] == sample.latest_period].sort_values("submitted_at")
    latest = answers.groupby("customer_id", observed=True)["csat"].last()
    churned = sample.customers.set_index("customer_id")["churned"].reindex(latest.index.astype(str))
    unhappy, happy = churned[(latest < 4).to_numpy()], churned[(latest >= 4).to_numpy()]
    added = unhappy.mean() - happy.mean()
    assert risk.churn.added == pytest.approx(added)
    se = np.sqrt(unhappy.mean() * (1 - unhappy.mean()) / len(unhappy) + happy.mean() * (1 - happy.mean()) / len(happy))
    assert risk.churn.se == pytest.approx(se)
    # The customers file carries revenue: the mean yearly revenue of the dissatisfied customers, with its SE.
    revenue = sample.customers.set_index("customer_id")["revenue"].reindex(latest.index.astype(str))
    unhappy_revenue = revenue[(latest < 4).to_numpy()]
    r, r_se = unhappy_revenue.mean(), unhappy_revenue.std() / np.sqrt(len(unhappy_revenue))
    assert (risk.revenue.value, risk.revenue.se) == pytest.approx((r, r_se))
    customers, gap = sample.config.money.customers, 1 - risk.csat / 100
    at_risk = risk.value("revenue at risk")
    assert at_risk["estimate"] == pytest.approx(customers * gap * r * added)
    csat_se = sample.summarise("csat", ["period"]).set_index("period").loc[sample.latest_period, "se"] / 100
    half = 1.959964 * customers * np.sqrt((r * added * csat_se) ** 2 + (gap * added * r_se) ** 2 + (gap * r * se) ** 2)
    assert (at_risk["ci_low"], at_risk["ci_high"]) == pytest.approx(
        (at_risk["estimate"] - half, at_risk["estimate"] + half)
    )
    assert risk.value("value per CSAT point")["estimate"] == pytest.approx(customers * r * added / 100)
    # The sample's revenue is lognormal with median 4 800 and log-sd 0.75: its mean is 4 800 e^(0.75²/2).
    low, high = risk.value("revenue per customer")[["ci_low", "ci_high"]]
    assert low <= 4800 * np.exp(0.75**2 / 2) <= high
    # Customers who answered CSAT 1-3 are all dissatisfied in the sample's making: their planted churn is 30 %.
    low, high = risk.churn.table.set_index("group").loc["dissatisfied", ["ci_low", "ci_high"]]
    assert low <= 30 <= high


def test_revenue_at_risk_interval_covers_by_simulation():
    rng = np.random.default_rng(7)
    truth_share, churn_d, churn_s, customers, revenue = 0.75, 0.30, 0.10, 1000, 50.0
    truth = customers * revenue * (1 - truth_share) * (churn_d - churn_s)
    covered, runs = 0, 2000
    for _ in range(runs):
        satisfied = rng.random(600) < truth_share  # survey answers behind CSAT
        share = satisfied.mean()
        linked = rng.random(800) < truth_share  # customers linked to their answer and to the churn flag
        left = rng.random(800) < np.where(linked, churn_s, churn_d)
        c_d, c_s = left[~linked].mean(), left[linked].mean()
        se = np.sqrt(c_d * (1 - c_d) / (~linked).sum() + c_s * (1 - c_s) / linked.sum())
        _, low, high = money.revenue_at_risk_interval(
            customers, revenue, share, np.sqrt(share * (1 - share) / 600), c_d - c_s, se
        )
        covered += low <= truth <= high
    assert 0.935 <= covered / runs <= 0.965


def test_revenue_at_risk_interval_covers_with_revenue_from_the_customers_file():
    rng = np.random.default_rng(12)
    truth_share, churn_d, churn_s, customers = 0.75, 0.30, 0.10, 1000
    mean_revenue = 4800 * np.exp(0.75**2 / 2)  # lognormal revenue, median 4 800, log-sd 0.75
    truth = customers * (1 - truth_share) * mean_revenue * (churn_d - churn_s)
    covered, runs = 0, 4000
    for _ in range(runs):
        share = (rng.random(600) < truth_share).mean()
        linked = rng.random(800) < truth_share
        left = rng.random(800) < np.where(linked, churn_s, churn_d)
        c_d, c_s = left[~linked].mean(), left[linked].mean()
        se = np.sqrt(c_d * (1 - c_d) / (~linked).sum() + c_s * (1 - c_s) / linked.sum())
        revenue = 4800 * np.exp(0.75 * rng.standard_normal((~linked).sum()))
        _, low, high = money.revenue_at_risk_interval(
            customers,
            revenue.mean(),
            share,
            np.sqrt(share * (1 - share) / 600),
            c_d - c_s,
            se,
            revenue_se=revenue.std(ddof=1) / np.sqrt(len(revenue)),
        )
        covered += low <= truth <= high
    # A mean of long-tailed revenue is skewed at 200 customers: the delta method covers about 94 %.
    assert 0.93 <= covered / runs <= 0.965


def test_action_plan_ranks_by_impact_times_feasibility_with_owners(sample):
    plan = actions.action_plan(sample)
    assert list(plan["rank"]) == list(range(1, len(plan) + 1))
    assert plan["priority"].is_monotonic_decreasing
    assert np.allclose(plan["priority"], plan["impact_standardised"] * plan["effort"].map(actions.FEASIBILITY))
    # Impacts on different scores compare in standard deviations of one answer in the latest period.
    latest = sample.responses[sample.responses["period"] == sample.latest_period]
    for row in plan.itertuples():
        column = {"nps": "nps", "csat": "csat"}[row.impact_metric]
        answers = latest[column].dropna()
        points = (
            np.where(answers >= 9, 100, np.where(answers <= 6, -100, 0)) if column == "nps" else 100 * (answers >= 4)
        )
        assert row.impact_standardised == pytest.approx(row.impact / np.std(points, ddof=1))
    areas = set(plan["area"])
    assert {"Troubleshooting", "Responsiveness"} <= areas  # the planted weak, important drivers
    assert {"Delivery", "Response time", "Price"} <= areas  # the planted negative themes
    assert plan.set_index("area").loc["Troubleshooting", "owner"] == "Customer service"
    assert (plan["due"] == pd.Timestamp("2026-06-30").date()).all()


def test_action_plan_responses_needed_follow_the_two_sample_formula(sample):
    from scipy.stats import norm

    plan = actions.action_plan(sample)
    row = plan.iloc[0]
    p0, p1 = row["current"] / 100, row["target"] / 100
    n = (norm.ppf(0.975) + norm.ppf(0.8)) ** 2 * (p0 * (1 - p0) + p1 * (1 - p1)) / (p1 - p0) ** 2
    assert row["responses_needed"] == int(np.ceil(n))


def test_spreadsheet_export_neutralises_formulas(tmp_path):
    frame = pd.DataFrame(
        {"area": ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "Delivery"], "impact": [1.0, 2.0, -3.0, 4.0, 5.0]}
    )
    path = write_xlsx(frame, tmp_path / "plan.xlsx")
    sheet = openpyxl.load_workbook(path).active
    cells = [sheet.cell(row=i, column=1) for i in range(2, 7)]
    assert [c.value for c in cells] == ['\'=HYPERLINK("http://x")', "'+1+1", "'-2", "'@SUM(A1)", "Delivery"]
    assert all(c.data_type == "s" for c in cells)
    assert sheet.cell(row=4, column=2).value == -3.0  # numbers stay numbers


def test_lifetime_value_is_revenue_over_churn(sample):
    value = money.lifetime_value(sample).set_index("group")
    answers = sample.responses.dropna(subset=["would_buy_again", "customer_id"]).sort_values("submitted_at")
    latest = answers.groupby("customer_id", observed=True)["would_buy_again"].last()
    customers = sample.customers.set_index("customer_id")
    yes = customers.loc[customers.index.isin(latest.index[latest == 1])]
    churn = yes["churned"].mean()
    revenue = yes["revenue"].mean() / 4  # annual revenue, quarterly churn
    row = value.loc["would buy again"]
    assert row["customers"] == len(yes)
    assert row["lifetime_value"] == pytest.approx(revenue / churn)
    assert row["lifetime_value_low"] < row["lifetime_value"] < row["lifetime_value_high"]
    assert value.loc["would buy again", "churn"] < value.loc["would not", "churn"]
