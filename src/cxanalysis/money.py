"""Linking satisfaction to money: the revenue that dissatisfaction puts at risk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .metrics import wilson_interval
from .rules import nps_group, top_box_threshold

if TYPE_CHECKING:
    from .client import ClientData


def revenue_at_risk(customers, revenue_per_customer, csat, churn_if_dissatisfied) -> pd.DataFrame:
    """Revenue at risk from dissatisfied customers who may leave.

    Parameters
    ----------
    customers : number of active customers.
    revenue_per_customer : revenue per customer per period.
    csat : share satisfied, in percent (array-like for several scenarios).
    churn_if_dissatisfied : probability (0-1) that a dissatisfied customer leaves.

    Returns
    -------
    pandas.DataFrame
        One row per CSAT value: csat, dissatisfied_customers, revenue_at_risk
        and value_per_csat_point (the extra revenue at risk per point of CSAT lost).

    Notes
    -----
    at risk = customers x revenue per customer x (1 - CSAT/100) x churn.
    Each CSAT point is worth customers x revenue x churn / 100.

    Examples
    --------
    The method's worked example: 100 customers spending 100 each; at 90 %
    CSAT ten are dissatisfied and 95 % of them may leave.

    >>> revenue_at_risk(100, 100, [90, 75], 0.95)[["csat", "revenue_at_risk", "value_per_csat_point"]]
       csat  revenue_at_risk  value_per_csat_point
    0  90.0            950.0                  95.0
    1  75.0           2375.0                  95.0
    """
    csat = np.atleast_1d(np.asarray(csat, dtype=float))
    if ((csat < 0) | (csat > 100)).any():
        raise ValueError("csat is a percentage between 0 and 100")
    if not 0 <= churn_if_dissatisfied <= 1:
        raise ValueError("churn_if_dissatisfied is a probability between 0 and 1")
    dissatisfied = customers * (1 - csat / 100)
    at_risk = dissatisfied * revenue_per_customer * churn_if_dissatisfied
    return pd.DataFrame(
        {
            "csat": csat,
            "dissatisfied_customers": dissatisfied,
            "revenue_at_risk": np.round(at_risk, 9),
            "value_per_csat_point": np.round(customers * revenue_per_customer * churn_if_dissatisfied / 100, 9),
        }
    )


def churn_by_satisfaction(
    responses: pd.DataFrame, customers: pd.DataFrame, *, csat_scale: tuple[int, int], confidence: float = 0.95
) -> pd.DataFrame:
    """Churn of customers who answered dissatisfied against those who did not.

    A customer counts as dissatisfied when any of their answers is a CSAT
    below the top boxes of ``csat_scale`` or an NPS detractor's. Customers are linked to
    responses by customer_id; customers without answers are left out.
    Returns one row per group: group, customers, churned, churn (percent)
    with a Wilson interval.
    """
    answered = responses[responses["customer_id"].notna()]
    unhappy = (answered["csat"] < top_box_threshold(csat_scale)) | (nps_group(answered["nps"]) == "detractor")
    per_customer = unhappy.groupby(answered["customer_id"]).any().rename("dissatisfied")
    linked = customers[customers["churned"].notna()].merge(per_customer, left_on="customer_id", right_index=True)
    grouped = linked.groupby("dissatisfied")["churned"].agg(["size", "sum"])
    grouped = grouped.reindex([True, False]).dropna()
    low, high = wilson_interval(grouped["sum"] / grouped["size"], grouped["size"], confidence)
    return pd.DataFrame(
        {
            "group": np.where(grouped.index, "dissatisfied", "satisfied"),
            "customers": grouped["size"].astype(int).to_numpy(),
            "churned": grouped["sum"].astype(int).to_numpy(),
            "churn": 100 * (grouped["sum"] / grouped["size"]).to_numpy(),
            "ci_low": 100 * low,
            "ci_high": 100 * high,
        }
    )


@dataclass(frozen=True)
class RiskEstimate:
    """Revenue at risk today: CSAT with its interval, the churn used, and the resulting range."""

    csat: float
    csat_low: float
    csat_high: float
    n: int
    churn: float
    churn_low: float
    churn_high: float
    excess_churn: float | None
    churn_source: str
    customers: int
    revenue_per_customer: float
    target: float
    range: pd.DataFrame
    churn_table: pd.DataFrame | None

    def case(self, starts: str) -> pd.Series:
        """The row of the range table whose case starts with ``starts`` ("CSAT as", "Low end", "High end", "Excess")."""
        return self.range[self.range["case"].str.startswith(starts)].iloc[0]


def churn_if_dissatisfied(
    client: ClientData,
) -> tuple[float, float, float, float | None, str, pd.DataFrame | None] | None:
    """Churn probability of dissatisfied customers with its interval and the excess over satisfied ones.

    From the customers file when it links enough dissatisfied customers
    (Wilson 95 % interval; excess = churn of dissatisfied minus satisfied),
    else the config's value, taken as exact and with no excess known.
    """
    if client.customers is not None and client.has("customer_id"):
        table = churn_by_satisfaction(client.responses, client.customers, csat_scale=client.scales["csat"])
        unhappy = table[table["group"] == "dissatisfied"]
        happy = table[table["group"] == "satisfied"]
        if not unhappy.empty and unhappy["customers"].iloc[0] >= client.min_n:
            row = unhappy.iloc[0]
            excess = (row["churn"] - happy["churn"].iloc[0]) / 100 if not happy.empty else None
            return row["churn"] / 100, row["ci_low"] / 100, row["ci_high"] / 100, excess, "the customers file", table
    configured = client.config.money.churn_if_dissatisfied
    if configured is not None:
        return configured, configured, configured, None, "the config", None
    return None


def revenue_at_risk_now(client: ClientData) -> RiskEstimate | None:
    """Revenue at risk at the latest CSAT, with the CSAT and churn intervals carried through.

    The range table has one row per case: CSAT at its estimate and at both
    ends of its interval (churn as estimated); the widest plausible range
    (both intervals at their unfavourable and favourable ends); and, when
    the customers file gives it, only the churn in excess of satisfied
    customers' churn, the part dissatisfaction itself adds. None when
    inputs are missing.
    """
    money = client.config.money
    churn = churn_if_dissatisfied(client)
    if not client.has("csat") or money.customers is None or money.revenue_per_customer is None or churn is None:
        return None
    probability, churn_low, churn_high, excess, source, table = churn
    latest = client.summarise("csat", ["period"])
    latest = latest[latest["period"] == client.latest_period].iloc[0]
    cases = [
        ("CSAT at its lower 95 % limit", latest["ci_low"], probability),
        ("CSAT as estimated", latest["estimate"], probability),
        ("CSAT at its upper 95 % limit", latest["ci_high"], probability),
        ("Low end: CSAT upper limit, churn lower limit", latest["ci_high"], churn_low),
        ("High end: CSAT lower limit, churn upper limit", latest["ci_low"], churn_high),
    ]
    if excess is not None:
        cases.append(("Excess churn only (dissatisfied minus satisfied)", latest["estimate"], max(excess, 0.0)))
    frames = [
        revenue_at_risk(money.customers, money.revenue_per_customer, csat, p).assign(case=case, churn=100 * p)
        for case, csat, p in cases
    ]
    range_table = pd.concat(frames, ignore_index=True)[
        ["case", "csat", "churn", "dissatisfied_customers", "revenue_at_risk", "value_per_csat_point"]
    ]
    goals = client.stakeholders and [
        g
        for t in client.stakeholders.teams
        for g in t.goals
        if g.metric == "csat" and not g.touchpoint and not g.segment
    ]
    target = goals[0].target if goals else min(100.0, latest["estimate"] * 1.10)
    return RiskEstimate(
        latest["estimate"],
        latest["ci_low"],
        latest["ci_high"],
        int(latest["n"]),
        probability,
        churn_low,
        churn_high,
        excess,
        source,
        money.customers,
        money.revenue_per_customer,
        target,
        range_table,
        table,
    )


def scenarios(risk: RiskEstimate, step: float = 1.0) -> pd.DataFrame:
    """Revenue at risk from 10 points below today's CSAT up to the target (or 10 above)."""
    top = min(100.0, max(risk.target, risk.csat + 10))
    levels = np.arange(max(0.0, np.floor(risk.csat) - 10), top + step / 2, step)
    return revenue_at_risk(risk.customers, risk.revenue_per_customer, np.clip(levels, 0, 100), risk.churn)


def lifetime_value(client: ClientData) -> pd.DataFrame | None:
    """Lifetime value of customers who say they would buy again, against those who say they would not.

    Customers are linked to their answers by customer_id (their latest
    answer counts). Per group: customers, mean revenue per reporting
    period, churn per period (Wilson 95 % interval), the expected number of
    periods before leaving (1 / churn, the mean of a geometric lifetime) and
    the lifetime value = revenue per period / churn, undiscounted, with the
    range from the churn interval. None without the answers or the customers file.

    Examples
    --------
    A customer spending 1,000 a quarter with a 5 % chance of leaving each
    quarter stays 20 quarters on average: 1,000 / 5 % = 20,000.
    """
    if client.customers is None or not client.has("would_buy_again") or not client.has("customer_id"):
        return None
    answers = client.responses[client.responses["would_buy_again"].notna() & client.responses["customer_id"].notna()]
    latest = answers.sort_values("submitted_at").groupby("customer_id", observed=True)["would_buy_again"].last()
    linked = client.customers[client.customers["churned"].notna()].merge(
        latest.rename("buy_again"), left_on="customer_id", right_index=True
    )
    if linked.empty:
        return None
    money = client.config.money
    months = {"month": 1, "quarter": 3}[client.config.report.period]
    per_period = months / (12 if money.revenue_period == "year" else 1)
    grouped = (
        linked.groupby("buy_again")
        .agg(customers=("churned", "size"), churned=("churned", "sum"), revenue=("revenue", "mean"))
        .reindex([1.0, 0.0])
        .dropna()
    )
    churn = grouped["churned"] / grouped["customers"]
    low, high = wilson_interval(churn, grouped["customers"])
    revenue = grouped["revenue"] * per_period
    with np.errstate(divide="ignore"):
        return pd.DataFrame(
            {
                "group": np.where(grouped.index == 1.0, "would buy again", "would not"),
                "customers": grouped["customers"].astype(int).to_numpy(),
                "revenue_per_period": revenue.to_numpy(),
                "churn": 100 * churn.to_numpy(),
                "ci_low": 100 * np.asarray(low),
                "ci_high": 100 * np.asarray(high),
                "expected_periods": (1 / churn).to_numpy(),
                "lifetime_value": (revenue / churn).to_numpy(),
                "lifetime_value_low": (revenue / high).to_numpy(),
                "lifetime_value_high": (revenue / low).to_numpy(),
            }
        )
