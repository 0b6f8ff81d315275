"""Operational KPIs beside the survey scores: volumes, response times, complaints."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .metrics import wilson_interval


def response_counts(responses: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Number of responses, and of each score answered, per group."""
    answered = responses[["nps", "csat", "ces", "comment"]].notna()
    answered.columns = [f"{c}_answers" for c in answered.columns]
    counts = pd.concat([responses[list(by)], answered.astype(int)], axis=1)
    counts.insert(len(by), "responses", 1)
    return counts.groupby(list(by), observed=True, sort=True).sum().reset_index()


def ticket_periods(tickets: pd.DataFrame, period: str) -> pd.Series:
    return tickets["opened_at"].dt.to_period("Q" if period == "quarter" else "M").astype("string")


def first_response_times(tickets: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Median and 90th percentile of first-response hours per group (tickets with a time)."""
    timed = tickets[tickets["first_response_hours"].notna()]
    if not by:
        hours = timed["first_response_hours"]
        return pd.DataFrame(
            {"tickets": [len(hours)], "median_hours": [hours.median()], "p90_hours": [hours.quantile(0.9)]}
        )
    grouped = timed.groupby(list(by), observed=True, sort=True)["first_response_hours"]
    return pd.DataFrame(
        {"tickets": grouped.size(), "median_hours": grouped.median(), "p90_hours": grouped.quantile(0.9)}
    ).reset_index()


def complaint_volume(tickets: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Tickets and complaints per group (complaints only where the file flags them)."""
    flagged = tickets.assign(tickets=1, complaints=tickets["is_complaint"])
    return flagged.groupby(list(by), observed=True, sort=True)[["tickets", "complaints"]].sum(min_count=1).reset_index()


def churn_rates(customers: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Share of customers who left (churned) per group, in percent with a Wilson 95 % interval;
    retention is 100 minus churn."""
    known = customers[customers["churned"].notna()]
    if not by:
        grouped = known["churned"].agg(["size", "sum"]).to_frame().T
    else:
        grouped = known.groupby(list(by), observed=True, sort=True)["churned"].agg(["size", "sum"])
    share = grouped["sum"] / grouped["size"]
    low, high = wilson_interval(share, grouped["size"])
    out = pd.DataFrame(
        {
            "customers": grouped["size"].astype(int),
            "churned": grouped["sum"].astype(int),
            "churn": 100 * share,
            "ci_low": 100 * low,
            "ci_high": 100 * high,
            "retention": 100 * (1 - share),
        },
        index=grouped.index,
    )
    return out.reset_index(drop=not by)


def referral_counts(customers: pd.DataFrame) -> pd.DataFrame | None:
    """Referrals per customer where the customers file records them, else None."""
    if "referrals" not in customers or customers["referrals"].isna().all():
        return None
    referrals = customers["referrals"].dropna()
    return pd.DataFrame(
        [
            {
                "customers": len(referrals),
                "referrals": int(referrals.sum()),
                "per_100_customers": 100 * referrals.mean(),
                "share_referring": 100 * (referrals > 0).mean(),
            }
        ]
    )
