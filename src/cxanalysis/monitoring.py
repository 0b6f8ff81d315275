"""Monitoring: is this period's share within what chance alone would give?"""

from __future__ import annotations

import numpy as np
import pandas as pd


def p_chart(counts: pd.Series, totals: pd.Series, periods: pd.Series) -> pd.DataFrame:
    """A p-chart: each period's share against 3-sigma limits that follow its n.

    Notes
    -----
    Centre line p_bar = sum(x) / sum(n); limits p_bar +/- 3 sqrt(p_bar (1 - p_bar) / n_i),
    clipped to [0, 1]. A period outside its limits signals a special cause.

    References
    ----------
    Montgomery, D. C. (2019). Introduction to Statistical Quality Control, 8th ed., ch. 7.
    """
    x, n = np.asarray(counts, dtype=float), np.asarray(totals, dtype=float)
    p_bar = x.sum() / n.sum()
    sigma = np.sqrt(p_bar * (1 - p_bar) / n)
    share = x / n
    low, high = np.clip(p_bar - 3 * sigma, 0, 1), np.clip(p_bar + 3 * sigma, 0, 1)
    return pd.DataFrame({
        "period": np.asarray(periods), "n": n.astype(int), "count": x.astype(int), "share": 100 * share,
        "centre": 100 * p_bar, "lower_limit": 100 * low, "upper_limit": 100 * high,
        "signal": np.where(share > high, "above", np.where(share < low, "below", "")),
    })


def monthly_share(responses: pd.DataFrame, score: str, *, at_most: float) -> pd.DataFrame:
    """Per calendar month: answers to a score and how many are at most ``at_most``.

    For NPS with ``at_most=6`` this counts detractors; for CSAT on 1-5 with
    ``at_most=3``, the answers below the top two boxes.
    """
    answered = responses[responses[score].notna()]
    month = answered["submitted_at"].dt.to_period("M").astype("string")
    bad = (answered[score] <= at_most).astype(int)
    grouped = bad.groupby(month, sort=True).agg(["sum", "size"])
    return pd.DataFrame({"period": grouped.index, "count": grouped["sum"].to_numpy(), "n": grouped["size"].to_numpy()})


def watched_shares(client) -> dict[str, pd.DataFrame]:
    """The control charts the program watches: NPS detractors and dissatisfied CSAT answers."""
    watched = {}
    if client.has("nps"):
        watched["Share of NPS detractors (0-6)"] = ("detractors", "nps", 6)
    if client.has("csat"):
        low, high = client.scales["csat"]
        watched[f"Share of CSAT answers {low}-{high - 2}"] = ("dissatisfied", "csat", high - 2)
    charts = {}
    for label, (name, score, at_most) in watched.items():
        monthly = monthly_share(client.responses, score, at_most=at_most)
        chart = p_chart(monthly["count"], monthly["n"], monthly["period"])
        chart.attrs["name"] = name
        charts[label] = chart
    return charts
