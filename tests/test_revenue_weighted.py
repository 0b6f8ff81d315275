"""Revenue-weighted churn: the revenue that dissatisfied customers took with them, not head counts times a mean."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cxanalysis as cx
from conftest import write_client
from cxanalysis import money

Z = 1.959964


def small_client(folder, customers: pd.DataFrame, csat: list[int], **money_overrides):
    """A client whose survey gives each customer in ``customers`` one CSAT answer (in one month) and whose
    customers file is ``customers``; churn and revenue both cover one month."""
    pd.DataFrame(
        {
            "Id": [f"R{i:03d}" for i in range(len(csat))],
            "Date": ["2025-03-10"] * len(csat),
            "Customer": customers["customer_id"],
            "CSAT": csat,
        }
    ).to_csv(folder / "survey.csv", index=False)
    customers.to_csv(folder / "customers.csv", index=False)
    source = {
        "name": "s",
        "path": "survey.csv",
        "columns": {"response_id": "Id", "submitted_at": "Date", "customer_id": "Customer", "csat": "CSAT"},
    }
    settings = {"currency": "NOK", "customers": 1000, "revenue_period": "month", **money_overrides}
    path = write_client(
        folder, [source], report={"period": "month"}, customers={"path": "customers.csv"}, money=settings
    )
    return cx.open_client(path)


# 20 dissatisfied customers (CSAT 2): the 10 who leave spend 200 a month, the 10 who stay 1 000.
# 20 satisfied customers (CSAT 5): 2 of them leave; leavers and stayers spend alike, 500 a month.
REVENUE = [200.0] * 10 + [1000.0] * 10 + [500.0] * 20
CHURNED = [1] * 10 + [0] * 10 + [1] * 2 + [0] * 18
CSAT = [2] * 20 + [5] * 20


def customers_frame(revenue=REVENUE, churned=CHURNED) -> pd.DataFrame:
    frame = pd.DataFrame({"customer_id": [f"C{i:03d}" for i in range(len(churned))], "churned": churned})
    if revenue is not None:
        frame.insert(1, "revenue", revenue)
    return frame


def test_cheap_leavers_put_less_revenue_at_risk_than_head_counts_say(tmp_path):
    client = small_client(tmp_path, customers_frame(), CSAT)
    risk = money.revenue_at_risk_now(client)
    churn = risk.churn
    assert churn.weighting == "revenue" and churn.periods == 1 and churn.revenue_missing == 0
    # Typed out: the share of each group's revenue that left, and the delta-method SE with n / (n - 1).
    x, y = np.array(REVENUE), np.array(CHURNED, dtype=float)
    d, s = slice(0, 20), slice(20, 40)
    c_d, c_s = (x[d] * y[d]).sum() / x[d].sum(), (x[s] * y[s]).sum() / x[s].sum()
    assert (c_d, c_s) == pytest.approx((2000 / 12000, 0.1))
    se_d = np.sqrt(20 / 19 * (x[d] ** 2 * (y[d] - c_d) ** 2).sum() / x[d].sum() ** 2)
    se_s = np.sqrt(20 / 19 * (x[s] ** 2 * (y[s] - c_s) ** 2).sum() / x[s].sum() ** 2)
    assert (churn.measured_dissatisfied, churn.measured_satisfied) == pytest.approx((c_d, c_s))
    assert churn.added == pytest.approx(c_d - c_s)
    assert churn.se == pytest.approx(np.sqrt(se_d**2 + se_s**2))
    # Revenue at risk is C (1 - s) r a with r the mean revenue of the dissatisfied ...
    r, share = x[d].mean(), 0.5
    assert risk.revenue.value == pytest.approx(r)
    at_risk = risk.value("revenue at risk")
    assert risk.csat == pytest.approx(100 * share)
    assert at_risk["estimate"] == pytest.approx(1000 * (1 - share) * r * (c_d - c_s))
    # ... the revenue of the dissatisfied who left, per dissatisfied customer, less r times the satisfied rate.
    assert at_risk["estimate"] == pytest.approx(1000 * (1 - share) * ((x[d] * y[d]).sum() / 20 - r * c_s))
    # The all-churn view is the revenue the dissatisfied who left took, per dissatisfied customer, times 1 000 (1 - s).
    everyone = risk.value("revenue of all leaving dissatisfied")
    assert everyone["estimate"] == pytest.approx(1000 * (1 - share) * (x[d] * y[d]).sum() / 20)
    # Head counts say half the dissatisfied left against a tenth of the satisfied: 40 points more, six times
    # the revenue-weighted 6.7, and so six times the revenue at risk.
    groups = churn.table.set_index("group")
    assert groups.loc["dissatisfied", "churn"] == pytest.approx(50) and groups.loc["satisfied", "churn"] == 10
    head_count = 1000 * (1 - share) * r * (0.5 - 0.1)
    assert at_risk["estimate"] < head_count / 5
    assert groups.loc["dissatisfied", "revenue_churn"] == pytest.approx(100 * c_d)
    low, high = groups.loc["satisfied", ["revenue_churn_low", "revenue_churn_high"]]
    assert (low, high) == pytest.approx((100 * max(c_s - Z * se_s, 0), 100 * (c_s + Z * se_s)))  # floored at 0
    assert risk.table.set_index("quantity").loc["added churn", "method"] == (
        "revenue-weighted churn of dissatisfied minus satisfied customers"
    )


def test_dear_leavers_put_more_revenue_at_risk_than_head_counts_say(tmp_path):
    # The same customers, but the dissatisfied who leave are the big spenders.
    revenue = [1000.0] * 10 + [100.0] * 10 + [500.0] * 20
    churned = [1] * 10 + [0] * 10 + [1] * 4 + [0] * 16
    client = small_client(tmp_path, customers_frame(revenue, churned), CSAT)
    risk = money.revenue_at_risk_now(client)
    x, y = np.array(revenue), np.array(churned, dtype=float)
    c_d, c_s = (x[:20] * y[:20]).sum() / x[:20].sum(), (x[20:] * y[20:]).sum() / x[20:].sum()
    r, share, added = x[:20].mean(), 0.5, c_d - c_s
    assert risk.churn.added == pytest.approx(added)
    at_risk = risk.value("revenue at risk")["estimate"]
    assert at_risk == pytest.approx(1000 * (1 - share) * r * added)
    # The revenue of the dissatisfied who left, per dissatisfied customer, less r times the satisfied rate.
    assert at_risk == pytest.approx(1000 * (1 - share) * ((x[:20] * y[:20]).sum() / 20 - r * c_s))
    head_count = 1000 * (1 - share) * r * (0.5 - 0.2)
    assert at_risk > 1.5 * head_count


def test_customers_without_a_revenue_are_left_out_of_the_weighting_and_counted(tmp_path):
    revenue = [np.nan, np.nan, *REVENUE[2:]]
    client = small_client(tmp_path, customers_frame(revenue), CSAT)
    churn = money.added_churn(client)
    assert churn.weighting == "revenue" and churn.revenue_missing == 2
    x, y = np.array(REVENUE[2:20]), np.array(CHURNED[2:20], dtype=float)
    assert churn.measured_dissatisfied == pytest.approx((x * y).sum() / x.sum())
    groups = churn.table.set_index("group")
    assert groups.loc["dissatisfied", ["customers", "revenue_customers", "revenue_missing"]].tolist() == [20, 18, 2]


def test_too_few_customers_with_a_revenue_fall_back_to_head_counts(tmp_path):
    revenue = [np.nan] * 16 + REVENUE[16:]  # 4 dissatisfied with a revenue, under the anonymity threshold of 5
    client = small_client(tmp_path, customers_frame(revenue), CSAT, revenue_per_customer=300)
    churn = money.added_churn(client)
    assert churn.weighting == "customers"
    assert (churn.measured_dissatisfied, churn.measured_satisfied) == pytest.approx((0.5, 0.1))
    assert "revenue_churn" not in churn.table


def test_the_delta_method_se_of_a_revenue_weighted_churn_matches_simulation():
    rng = np.random.default_rng(11)
    # A population whose leavers spend less: a third of those below the median revenue leave, a tenth above.
    revenue = 4800 * np.exp(0.75 * rng.standard_normal(20_000))
    churned = (rng.random(20_000) < np.where(revenue < 4800, 0.33, 0.10)).astype(float)
    n, runs = 300, 4000
    ratios, ses = np.empty(runs), np.empty(runs)
    for i in range(runs):
        pick = rng.integers(0, len(revenue), n)
        ratios[i], ses[i] = money.revenue_weighted_churn(revenue[pick], churned[pick])
    assert np.mean(ses) == pytest.approx(np.std(ratios, ddof=1), rel=0.10)
    # Its head-count twin would have a different centre: leavers spend less, so they take less than their share.
    assert ratios.mean() < churned.mean() - 0.03


def test_the_interval_of_revenue_weighted_added_churn_covers_by_simulation():
    rng = np.random.default_rng(5)
    population = {}
    for group, low, high in (("dissatisfied", 0.35, 0.15), ("satisfied", 0.15, 0.08)):
        revenue = 4800 * np.exp(0.75 * rng.standard_normal(20_000))
        churned = (rng.random(20_000) < np.where(revenue < 4800, low, high)).astype(float)
        population[group] = revenue, churned
    k = 4  # quarterly churn, yearly revenue
    truth = {g: 1 - (1 - (x * y).sum() / x.sum()) ** k for g, (x, y) in population.items()}
    target = truth["dissatisfied"] - truth["satisfied"]
    covered, runs = 0, 2000
    for _ in range(runs):
        rates = {}
        for group, size in (("dissatisfied", 250), ("satisfied", 600)):
            x, y = population[group]
            pick = rng.integers(0, len(x), size)
            c, se = money.revenue_weighted_churn(x[pick], y[pick])
            rates[group] = money.compound_churn(c, k), k * (1 - c) ** (k - 1) * se
        added = rates["dissatisfied"][0] - rates["satisfied"][0]
        se = np.hypot(rates["dissatisfied"][1], rates["satisfied"][1])
        covered += abs(added - target) <= Z * se
    assert 0.93 <= covered / runs <= 0.97


def test_without_a_revenue_column_churn_is_by_head_count_as_before(tmp_path):
    client = small_client(tmp_path, customers_frame(revenue=None), CSAT, revenue_per_customer=300)
    risk = money.revenue_at_risk_now(client)
    churn = risk.churn
    assert churn.weighting == "customers" and churn.revenue_missing == 0 and churn.revenue_cov == 0
    c_d, c_s = 0.5, 0.1
    assert (churn.measured_dissatisfied, churn.measured_satisfied) == pytest.approx((c_d, c_s))
    se = np.sqrt(c_d * (1 - c_d) / 20 + c_s * (1 - c_s) / 20)
    assert (churn.added, churn.se) == pytest.approx((c_d - c_s, se))
    at_risk = risk.value("revenue at risk")
    assert at_risk["estimate"] == pytest.approx(1000 * 0.5 * 300 * 0.4)
    csat_se = client.summarise("csat", ["period"]).iloc[-1]["se"] / 100
    half = Z * 1000 * np.sqrt((300 * 0.4 * csat_se) ** 2 + (0.5 * 300 * se) ** 2)
    assert (at_risk["ci_low"], at_risk["ci_high"]) == pytest.approx((60_000 - half, 60_000 + half))
    assert list(churn.table.columns) == [
        "group",
        *("customers", "churned", "churn", "ci_low", "ci_high"),
        *("churn_converted", "converted_low", "converted_high"),
    ]
    assert risk.table.set_index("quantity").loc["added churn", "method"] == (
        "churn of dissatisfied minus satisfied customers"
    )
    # The method's worked example still holds.
    assert cx.revenue_at_risk(100, 100, [90, 75], 0.95)["revenue_at_risk"].tolist() == [950, 2375]


def test_the_sample_weights_churn_by_revenue(sample):
    risk = money.revenue_at_risk_now(sample)
    churn = risk.churn
    assert churn.weighting == "revenue" and churn.revenue_missing == 0 and churn.periods == 4
    linked = money.linked_satisfaction(
        sample.responses, sample.customers, csat_scale=sample.scales["csat"], period=sample.latest_period
    )
    unhappy = linked[linked["dissatisfied"]]
    c_d = (unhappy["revenue"] * unhappy["churned"]).sum() / unhappy["revenue"].sum()
    assert churn.measured_dissatisfied == pytest.approx(c_d)
    # In the sample the dissatisfied who leave spend less than those who stay: less than head counts say.
    groups = churn.table.set_index("group")
    assert groups.loc["dissatisfied", "revenue_churn"] < groups.loc["dissatisfied", "churn"]
    for quantity in ("added churn", "revenue at risk", "value per CSAT point", "revenue of all leaving dissatisfied"):
        row = risk.value(quantity)
        assert row["ci_low"] <= row["estimate"] <= row["ci_high"], quantity
    at_risk = risk.value("revenue at risk")["estimate"]
    assert at_risk == pytest.approx(risk.customers * (1 - risk.csat / 100) * risk.revenue.value * churn.added)


@pytest.fixture(scope="module")
def sample():
    return cx.open_client(None)
