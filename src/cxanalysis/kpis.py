"""Operational KPIs beside the survey scores: volumes, response times, complaints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from .engine import execute, is_table
from .metrics import wilson_interval

if TYPE_CHECKING:
    import ibis


def response_counts(responses: pd.DataFrame | ibis.Table, by: Sequence[str]) -> pd.DataFrame:
    """Number of responses, and of each score answered, per group; of an Ibis table, counted in the engine
    (a sampled client's kept responses)."""
    if is_table(responses):
        table = responses
        sums = {
            "responses": table.count(),
            **{f"{c}_answers": table[c].notnull().sum() for c in ("nps", "csat", "ces")},
            "comment_answers": table["comment"].notnull().sum(),
        }
        counts = execute(table.group_by(list(by)).aggregate(**sums)).astype(dict.fromkeys(sums, "int64"))
        return counts.sort_values(list(by), kind="stable").reset_index(drop=True)[[*by, *sums]]
    answered = responses[["nps", "csat", "ces", "comment"]].notna()
    answered.columns = [f"{c}_answers" for c in answered.columns]
    counts = pd.concat([responses[list(by)], answered.astype(int)], axis=1)
    counts.insert(len(by), "responses", 1)
    return counts.groupby(list(by), observed=True, sort=True).sum().reset_index()


def ticket_periods(tickets: pd.DataFrame, period: str) -> pd.Series:
    """The reporting period each ticket was opened in ('2025Q1' by quarter, '2025-01' by month)."""
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


OPERATIONAL_KPI_COLUMNS = ["period", "tickets", "median_hours", "p90_hours", "tickets_all", "complaints"]


def operational_kpis(tickets: pd.DataFrame, period: str) -> pd.DataFrame:
    """First-response time and complaint volume per reporting period: the book's operational_kpis.csv.

    Parameters
    ----------
    tickets : DataFrame
        Valid rows of the support-tickets file, with ``opened_at``,
        ``first_response_hours`` and ``is_complaint`` (missing where the file
        does not say).
    period : {"quarter", "month"}
        The report's period; a ticket belongs to the period it was opened in.

    Returns
    -------
    DataFrame
        One row per period in which any ticket was opened, in period order:
        ``period``; ``tickets``, the tickets with a first-response time (the
        n behind the two times, 0 where none has one); ``median_hours`` and
        ``p90_hours``, the median and 90th percentile of first-response
        hours; ``tickets_all``, every ticket opened in the period; and
        ``complaints``, the tickets flagged as complaints, missing where no
        ticket of the period says whether it was one.

    Examples
    --------
    >>> tickets = pd.DataFrame(
    ...     {
    ...         "opened_at": pd.to_datetime(["2025-01-06", "2025-02-03", "2025-04-01"]),
    ...         "first_response_hours": [2.0, 6.0, None],
    ...         "is_complaint": [1.0, 0.0, 1.0],
    ...     }
    ... )
    >>> operational_kpis(tickets, "quarter")
       period  tickets  median_hours  p90_hours  tickets_all  complaints
    0  2025Q1        2           4.0        5.6            2         1.0
    1  2025Q2        0           NaN        NaN            1         1.0
    """
    dated = tickets.assign(period=ticket_periods(tickets, period))
    times = first_response_times(dated, ["period"])
    volume = complaint_volume(dated, ["period"]).rename(columns={"tickets": "tickets_all"})
    table = times.merge(volume, on="period", how="outer").sort_values("period", ignore_index=True)
    table["tickets"] = table["tickets"].fillna(0).astype(int)
    return table[OPERATIONAL_KPI_COLUMNS]


def churn_rates(customers: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Share of customers who left (churned) per group, in percent with a Wilson 95 % interval;
    retention is 100 minus churn."""
    known = customers[customers["churned"].notna()]
    if not by:
        grouped = known["churned"].agg(["size", "sum"]).to_frame().T
    else:
        grouped = known.groupby(list(by), observed=True, sort=True)["churned"].agg(["size", "sum"])
    share = grouped["sum"] / grouped["size"]
    # A file whose churn column is empty has no customers to count: no interval rather than a division by zero.
    low, high = wilson_interval(share, grouped["size"].where(grouped["size"] > 0))
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
