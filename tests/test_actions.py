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


def test_revenue_range_carries_both_intervals(sample):
    risk = money.revenue_at_risk_now(sample)
    cases = risk.range.set_index("case")["revenue_at_risk"]
    typed = sample.config.money.customers * sample.config.money.revenue_per_customer
    assert cases["CSAT as estimated"] == pytest.approx(typed * (1 - risk.csat / 100) * risk.churn)
    assert cases.filter(like="Low end").iloc[0] == pytest.approx(typed * (1 - risk.csat_high / 100) * risk.churn_low)
    assert cases.filter(like="High end").iloc[0] == pytest.approx(typed * (1 - risk.csat_low / 100) * risk.churn_high)
    assert cases.filter(like="Low end").iloc[0] < cases["CSAT as estimated"] < cases.filter(like="High end").iloc[0]
    # the planted churn of dissatisfied customers (30 %) lies inside the interval from the customers file
    assert risk.churn_low <= 0.30 <= risk.churn_high
    assert risk.excess_churn == pytest.approx(
        risk.churn - risk.churn_table.set_index("group").loc["satisfied", "churn"] / 100
    )


def test_action_plan_ranks_by_impact_times_feasibility_with_owners(sample):
    plan = actions.action_plan(sample)
    assert list(plan["rank"]) == list(range(1, len(plan) + 1))
    assert plan["priority"].is_monotonic_decreasing
    assert np.allclose(plan["priority"], plan["impact"] * plan["effort"].map(actions.FEASIBILITY))
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
