"""Monitoring: is this period's share within what chance alone would give?"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .rules import DEFAULT_SCALES, DETRACTOR_TO, answers_label, top_box_threshold
from .significance import linear_trend

if TYPE_CHECKING:
    from .client import ClientData


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
    return pd.DataFrame(
        {
            "period": np.asarray(periods),
            "n": n.astype(int),
            "count": x.astype(int),
            "share": 100 * share,
            "centre": 100 * p_bar,
            "lower_limit": 100 * low,
            "upper_limit": 100 * high,
            "signal": np.where(share > high, "above", np.where(share < low, "below", "")),
        }
    )


def share_by_period(responses: pd.DataFrame, score: str, *, at_most: float, grain: str = "month") -> pd.DataFrame:
    """Per calendar month (or ISO week): answers to a score and how many are at most ``at_most``.

    For NPS with ``at_most`` the highest detractor answer this counts
    detractors; for CSAT with ``at_most`` just below the top boxes, the
    answers that are not satisfied.
    """
    answered = responses[responses[score].notna()]
    dates = answered["submitted_at"]
    period = dates.dt.to_period("M").astype("string") if grain == "month" else dates.dt.strftime("%G-W%V")
    bad = (answered[score] <= at_most).astype(int)
    grouped = bad.groupby(period, sort=True).agg(["sum", "size"])
    return pd.DataFrame({"period": grouped.index, "count": grouped["sum"].to_numpy(), "n": grouped["size"].to_numpy()})


def watched_shares(client: ClientData, grain: str = "month") -> dict[str, pd.DataFrame]:
    """The control charts the program watches: NPS detractors and dissatisfied CSAT answers."""
    watched = {}
    if client.has("nps"):
        watched[f"Share of NPS detractors ({answers_label(DEFAULT_SCALES['nps'][0], DETRACTOR_TO)})"] = (
            "detractors",
            "nps",
            DETRACTOR_TO,
        )
    if client.has("csat"):
        scale = client.scales["csat"]
        # Not satisfied: every answer below the top boxes, the complement of CSAT's share satisfied.
        worst = top_box_threshold(scale) - 1
        watched[f"Share of CSAT answers {answers_label(scale[0], worst)}"] = ("dissatisfied", "csat", worst)
    charts = {}
    for label, (name, score, at_most) in watched.items():
        counts = share_by_period(client.responses, score, at_most=at_most, grain=grain)
        chart = p_chart(counts["count"], counts["n"], counts["period"])
        chart.attrs["name"] = name
        charts[label] = chart
    return charts


def alerts(watched: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every point outside its control limits, one row per chart and period, latest first."""
    rows = [
        chart.loc[chart["signal"] != "", ["period", "n", "share", "lower_limit", "upper_limit", "signal"]].assign(
            chart=label
        )
        for label, chart in watched.items()
    ]
    rows = [r for r in rows if not r.empty]
    if not rows:
        return pd.DataFrame(columns=["chart", "period", "n", "share", "lower_limit", "upper_limit", "signal"])
    table = pd.concat(rows, ignore_index=True)
    return table[["chart", "period", "n", "share", "lower_limit", "upper_limit", "signal"]].sort_values(
        "period", ascending=False, ignore_index=True
    )


def nps_early_warning(client: ClientData, months: int = 6) -> pd.DataFrame:
    """Is NPS falling? The slope of NPS per month over the last ``months`` months, with its interval.

    Each answer is coded +100/0/-100 and regressed on its month (HC3
    errors, see :func:`cxanalysis.significance.linear_trend`). ``warning``
    is true when the slope is negative and its p-value below ``alpha``: the
    decline is unlikely to be chance, even if no single month is out of
    its control limits.
    """
    if not client.has("nps"):
        return pd.DataFrame()
    month = client.responses["submitted_at"].dt.to_period("M").astype("string")
    recent = sorted(month[client.responses["nps"].notna()].unique())[-months:]
    trend = linear_trend(client.responses.assign(period=month), "nps", recent, client.scales)
    if trend.empty:
        return trend
    trend["first_month"], trend["last_month"] = recent[0], recent[-1]
    trend["warning"] = (trend["slope_per_period"] < 0) & (trend["p_value"] < client.config.significance.alpha)
    return trend
