"""Monitoring: is this period's share within the ordinary variation from period to period?"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .rules import DEFAULT_SCALES, DETRACTOR_TO, answers_label, top_box_threshold
from .significance import between_period_variance, linear_trend, linear_trends
from .translation import N_, _

if TYPE_CHECKING:
    from .client import ClientData


#: d2 for moving ranges of two points: the mean |difference| of two standard normal draws is 2 / sqrt(pi).
MOVING_RANGE_D2 = 1.128
#: How many standard errors from what the other periods predict a period must lie to be unusual
#: (:func:`period_chart`): the 3-sigma rule of every control chart in the book.
UNUSUAL_SIGMA = 3.0


#: A period's signal on a control chart, as the result tables keep it (in English; shown translated).
SIGNAL_LABELS = {"above": N_("above"), "below": N_("below")}


def p_chart(counts: pd.Series, totals: pd.Series, periods: pd.Series) -> pd.DataFrame:
    """A p-chart, or Laney's p′ chart when the periods vary more than their answers alone explain.

    Parameters
    ----------
    counts, totals : Series
        Per period, the answers counted (detractors, say) and all answers.
    periods : Series
        The period labels, in time order.

    Returns
    -------
    DataFrame
        One row per period: ``period``, ``n``, ``count``, ``share``,
        ``centre``, ``lower_limit``, ``upper_limit`` (all in %),
        ``signal`` ("above", "below" or ""), ``chart`` ("p" or "Laney p′",
        the chart whose limits are shown) and ``sigma_z`` (the spread of the
        periods in units of their binomial standard errors; the same in
        every row).

    Notes
    -----
    Centre line p̄ = Σxᵢ / Σnᵢ and each period's binomial standard error
    σ_pᵢ = √(p̄ (1 − p̄) / nᵢ). The p-chart's limits p̄ ± 3 σ_pᵢ assume that
    the periods differ only by sampling; in a survey, ordinary variation
    from period to period (season, mix of customers) adds to it, and with
    a few hundred answers per period the p-chart then signals in a large
    share of stable years. Laney's p′ chart measures that extra variation:
    zᵢ = (pᵢ − p̄) / σ_pᵢ, σ_z = mean |zᵢ − zᵢ₋₁| / 1.128 (the moving range
    of the z-scores), and the limits become p̄ ± 3 σ_pᵢ σ_z, clipped to
    [0, 1]. When σ_z ≤ 1 the periods vary no more than sampling explains
    and the ordinary p-chart is used. A period outside its limits signals a
    special cause.

    References
    ----------
    Laney, D. B. (2002). Improved control charts for attributes. Quality Engineering, 14(4), 531-537.

    Montgomery, D. C. (2019). Introduction to Statistical Quality Control, 8th ed., ch. 7.

    Examples
    --------
    Eight months of 1,000 answers whose shares vary by more than sampling
    explains: 25.5 % in the seventh month is above the p-chart's upper limit
    (25.3 %), but within the p′ chart's.

    >>> chart = p_chart(pd.Series([200, 215, 230, 210, 185, 190, 255, 225]), pd.Series([1000] * 8), pd.Series(range(8)))
    >>> chart["chart"].iloc[0], float(round(chart["sigma_z"].iloc[0], 2)), float(round(chart["upper_limit"].iloc[0], 1))
    ('Laney p′', 1.71, 28.0)
    >>> list(chart["signal"].unique())
    ['']
    """
    x, n = np.asarray(counts, dtype=float), np.asarray(totals, dtype=float)
    p_bar = x.sum() / n.sum()
    sigma = np.sqrt(p_bar * (1 - p_bar) / n)
    share = x / n
    sigma_z = np.nan
    if len(x) > 1 and 0 < p_bar < 1:
        z = (share - p_bar) / sigma
        sigma_z = float(np.mean(np.abs(np.diff(z)))) / MOVING_RANGE_D2
    laney = bool(sigma_z > 1)
    half = 3 * sigma * (sigma_z if laney else 1.0)
    low, high = np.clip(p_bar - half, 0, 1), np.clip(p_bar + half, 0, 1)
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
            "chart": "Laney p′" if laney else "p",
            "sigma_z": sigma_z,
        }
    )


def period_chart(summary: pd.DataFrame, periods: Sequence[str] | None = None) -> pd.DataFrame:
    """A score's reporting periods on a control chart: is a period unusual against the others?

    The one rule by which the book calls a period's score **unusual**: it
    lies outside 3-sigma control limits computed from the *other* periods.
    Leaving the judged period out keeps an unusual period from widening
    its own limits, which with four quarters would hide almost any dip.

    Parameters
    ----------
    summary : DataFrame
        One row per period with ``period``, ``metric``, ``estimate``, its
        standard error ``se`` and ``n``, as
        :func:`cxanalysis.metrics.summarise` gives them by period. Rows
        without an estimate (suppressed) or with a standard error of zero
        get no limits.
    periods : sequence of str, optional
        The periods to chart, in order; all periods of ``summary`` by default.

    Returns
    -------
    DataFrame
        One row per period: ``period``, ``metric``, ``n``, ``estimate``,
        ``se``, ``centre`` (what the other periods predict), ``tau2``
        (their variance beyond sampling), ``lower_limit``,
        ``upper_limit`` and ``signal`` ("above", "below" or ""). A period
        with fewer than two other periods to judge it by has no limits
        (NaN) and no signal.

    Notes
    -----
    For period i with estimate yᵢ and standard error seᵢ, the other periods
    j ≠ i are pooled as a random-effects mean: their variance beyond
    sampling τ² is the method-of-moments estimate (DerSimonian & Laird
    1986; :func:`cxanalysis.significance.between_period_variance`, at
    least 0), weights wⱼ = 1 / (seⱼ² + τ²), centre m = Σ wⱼ yⱼ / Σ wⱼ with
    variance 1 / Σ wⱼ. The limits are m ± 3 √(seᵢ² + τ² + 1 / Σ wⱼ): the
    range the other periods predict for a new period, its sampling error
    and the ordinary variation between periods included (as Laney's p′
    chart widens a p-chart by the variation between months). A stable
    score lands outside in about 3 periods in 1,000.

    Examples
    --------
    Four quarters of CSAT: the third is unusually low against the other
    three, the fourth within their ordinary variation.

    >>> summary = pd.DataFrame({"period": ["Q1", "Q2", "Q3", "Q4"], "metric": "csat", "n": 900,
    ...                         "estimate": [73.7, 73.0, 68.1, 74.7], "se": [1.5, 1.5, 1.5, 1.4]})
    >>> period_chart(summary)["signal"].tolist()
    ['', '', 'below', '']
    """
    rows = summary.set_index("period").reindex(list(periods) if periods is not None else summary["period"])
    usable = rows["estimate"].notna() & (rows["se"] > 0)
    y, v = rows["estimate"].to_numpy(dtype=float), rows["se"].to_numpy(dtype=float) ** 2
    centre, tau2, half = (np.full(len(rows), np.nan) for _ in range(3))
    for i in range(len(rows)):
        others = usable.to_numpy() & (np.arange(len(rows)) != i)
        if not usable.iloc[i] or others.sum() < 2:
            continue
        tau2[i] = between_period_variance(y[others], v[others], np.ones((int(others.sum()), 1)))
        weights = 1 / (v[others] + tau2[i])
        centre[i] = float(np.sum(weights * y[others]) / weights.sum())
        half[i] = UNUSUAL_SIGMA * np.sqrt(v[i] + tau2[i] + 1 / weights.sum())
    low, high = centre - half, centre + half
    with np.errstate(invalid="ignore"):
        signal = np.where(y > high, "above", np.where(y < low, "below", ""))
    return pd.DataFrame(
        {
            "period": rows.index.astype(str),
            "metric": summary["metric"].iloc[0] if len(summary) else "",
            "n": rows["n"].to_numpy(),
            "estimate": y,
            "se": np.sqrt(v),
            "centre": centre,
            "tau2": tau2,
            "lower_limit": low,
            "upper_limit": high,
            "signal": signal,
        }
    )


def score_period_charts(client: ClientData) -> dict[str, pd.DataFrame]:
    """:func:`period_chart` for each of the client's scores over its reporting periods."""
    return {metric: period_chart(client.summarise(metric, ["period"]), client.periods) for metric in client.scores}


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
        nps_label = _("Share of NPS detractors ({answers})").format(
            answers=answers_label(DEFAULT_SCALES["nps"][0], DETRACTOR_TO)
        )
        watched[nps_label] = (
            "detractors",
            "nps",
            DETRACTOR_TO,
        )
    if client.has("csat"):
        scale = client.scales["csat"]
        # Not satisfied: every answer below the top boxes, the complement of CSAT's share satisfied.
        worst = top_box_threshold(scale) - 1
        csat_label = _("Share of CSAT answers {answers}").format(answers=answers_label(scale[0], worst))
        watched[csat_label] = ("dissatisfied", "csat", worst)
    charts = {}
    for label, (name, score, at_most) in watched.items():
        counts = share_by_period(client.responses, score, at_most=at_most, grain=grain)
        chart = p_chart(counts["count"], counts["n"], counts["period"])
        chart.attrs["name"] = name
        charts[label] = chart
    return charts


ALERT_COLUMNS = ["chart", "period", "n", "share", "lower_limit", "upper_limit", "signal", "chart_type"]


def alerts(watched: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every point outside its control limits, one row per chart and period, latest first.

    ``chart`` is the chart's label (the key of ``watched``) and
    ``chart_type`` the kind of chart whose limits the point broke ("p" or
    "Laney p′", see :func:`p_chart`).
    """
    rows = [
        chart.loc[chart["signal"] != "", ["period", "n", "share", "lower_limit", "upper_limit", "signal", "chart"]]
        .rename(columns={"chart": "chart_type"})
        .assign(chart=label)
        for label, chart in watched.items()
    ]
    rows = [r for r in rows if not r.empty]
    if not rows:
        return pd.DataFrame(columns=ALERT_COLUMNS)
    table = pd.concat(rows, ignore_index=True)
    return table[ALERT_COLUMNS].sort_values("period", ascending=False, ignore_index=True)


def early_warning(
    responses: pd.DataFrame, months: int = 6, *, alpha: float, scales: dict | None = None, min_n: int = 5
) -> pd.DataFrame:
    """Is NPS falling? The slope of the monthly NPS over the last ``months`` months, with its interval.

    Each calendar month's NPS and standard error (adjusted Wald, see
    :func:`cxanalysis.metrics.summarise`; months with fewer than ``min_n``
    answers are left out) enter :func:`cxanalysis.significance.period_trend`:
    a weighted slope across the months that allows for month-to-month
    variation beyond sampling, tested with Student's t on months − 2
    degrees of freedom. Answers are not treated as independent evidence
    about the slope, because the answers of one month share that month's
    circumstances.

    ``warning`` is true when the slope is negative and its two-sided
    p-value is below ``alpha``: a one-sided test for a decline at level
    alpha / 2, so a stable program sees a false warning in about alpha / 2
    of its reviews (2.5 % at alpha = 0.05). Rising NPS never warns.

    Returns
    -------
    DataFrame
        One row with the columns of :func:`cxanalysis.significance.period_trend`,
        ``first_month``, ``last_month`` and ``warning``; empty when fewer
        than three of the months have enough NPS answers.
    """
    return early_warnings(responses, None, months, alpha=alpha, scales=scales, min_n=min_n)


def early_warnings(
    responses: pd.DataFrame,
    by: str | None,
    months: int = 6,
    *,
    alpha: float,
    scales: dict | None = None,
    min_n: int = 5,
) -> pd.DataFrame:
    """:func:`early_warning` within each level of the column ``by`` (programs, say), each over its own last
    ``months`` months, from one summary of all answers.

    One row per level with a trend, ``by`` first, in the order of the
    levels; every row is the one :func:`early_warning` gives on that
    level's answers alone. Without ``by`` it is :func:`early_warning`'s.
    """
    answered = responses[responses["nps"].notna()]
    month = answered["submitted_at"].dt.to_period("M").astype("string")
    windows: dict[Hashable, list[str]] = (
        {None: sorted(month.unique())[-months:]}
        if by is None
        else {level: sorted(own.unique())[-months:] for level, own in month.groupby(answered[by], sort=True)}
    )
    answered = answered.assign(period=month)
    trend = (
        linear_trend(answered, "nps", windows[None], scales, min_n=min_n)
        if by is None
        else linear_trends(answered, "nps", windows, by, scales, min_n=min_n)
    )
    if trend.empty:
        return trend
    own = [windows[None]] * len(trend) if by is None else [windows[level] for level in trend[by]]
    trend["first_month"], trend["last_month"] = [w[0] for w in own], [w[-1] for w in own]
    trend["warning"] = (trend["slope_per_period"] < 0) & (trend["p_value"] < alpha)
    return trend


def nps_early_warning(client: ClientData, months: int = 6) -> pd.DataFrame:
    """:func:`early_warning` on the client's responses, at its significance level, scales and
    anonymity threshold (empty without NPS answers)."""
    if not client.has("nps"):
        return pd.DataFrame()
    return early_warning(
        client.responses, months, alpha=client.config.significance.alpha, scales=client.scales, min_n=client.min_n
    )
