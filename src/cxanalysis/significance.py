"""Which changes and differences are real: tests across a page's family, adjusted together."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency
from scipy.stats import t as student
from statsmodels.stats.multitest import multipletests

from .anonymity import hidden_cells
from .compare import (
    MEANINGFUL_CHANGE,
    compare_estimates,
    compare_periods,
    minimum_detectable_change,
    responses_needed,
    verdicts,
)
from .metrics import METRIC_KINDS, estimates_from_statistics, metric_statistics, summarise
from .rules import CES_EASY_BOXES, CSAT_BOXES, DEFAULT_SCALES, nps_group, nps_points, top_box_threshold
from .translation import N_, _

if TYPE_CHECKING:
    from .client import ClientData


#: Each comparison of :func:`period_changes` and :func:`comparisons_table` (as the result tables keep it)
#: in the words the book shows.
COMPARISON_LABELS = {
    "previous period": N_("previous period"),
    "a year earlier": N_("a year earlier"),
    "segment against the rest": N_("segment against the rest"),
}


#: The baseline of a segment compared with the rest, as the result tables keep it (shown translated).
ALL_OTHER_RESPONSES = N_("all other responses")


def comparison_label(comparison: str) -> str:
    """A comparison in the report language ("previous period"); any other value as given."""
    return _(COMPARISON_LABELS[comparison]) if comparison in COMPARISON_LABELS else comparison


def adjust_p_values(p_values: pd.Series, method: str = "holm") -> pd.Series:
    """Adjust a family of p-values (Holm by default, 'fdr_bh' for Benjamini-Hochberg)."""
    p = pd.Series(p_values, dtype=float)
    adjusted = pd.Series(np.nan, index=p.index)
    tested = p.notna()
    if tested.any():
        adjusted[tested] = multipletests(p[tested], method=method)[1]
    return adjusted


def year_earlier(period: str, periods: Sequence[str]) -> str | None:
    """The same period a year before ('2025Q3' -> '2024Q3', '2025-07' -> '2024-07'), if the data has it."""
    earlier = str(pd.Period(period) - (4 if "Q" in period else 12))
    return earlier if earlier in periods else None


def meaningful_change(client: ClientData, metric: str) -> float:
    configured = client.config.significance.meaningful_change.items()
    return next((change for name, change in configured if name == metric), MEANINGFUL_CHANGE.get(metric, 5.0))


def judge(
    client: ClientData, table: pd.DataFrame, adjust: str | None = None, family: Sequence[str] = ("dimension",)
) -> pd.DataFrame:
    """Adjust p-values within each family of tests and give every row its verdict.

    A family is one question asked of the data: the overall scores, or one
    breakdown (every touchpoint, every region, ...). Within a family of m
    tests the minimum detectable change is taken at the level alpha / m, the
    level the adjusted test needs at its strictest step, so that "too few
    responses to tell" and the adjusted verdict agree.
    """
    settings = client.config.significance
    table = table.reset_index(drop=True)
    groups = table.groupby(list(family), sort=False)
    table["p_adjusted"] = groups["p_value"].transform(lambda p: adjust_p_values(p, adjust or settings.adjust))
    tests = groups["p_value"].transform("size")
    table["mde"] = minimum_detectable_change(
        table.pop("unit_variance_a"),
        table["n_effective_a"],
        table.pop("unit_variance_b"),
        table["n_effective_b"],
        alpha=settings.alpha / tests,
    )
    meaningful = table["metric"].map(lambda m: meaningful_change(client, m))
    table["meaningful_change"] = meaningful
    table["family_alpha"] = settings.alpha / tests
    table["verdict"] = verdicts(table["difference"], table["p_adjusted"], table["mde"], meaningful, settings.alpha)
    return table


def period_changes(
    client: ClientData, metrics: Sequence[str], by: Sequence[str | None] = (None,), adjust: str | None = None
) -> pd.DataFrame:
    """The latest period against the previous one and against a year earlier, overall and in segments.

    One row per metric, group and comparison; p-values are adjusted across
    the whole table and each row has a verdict.
    """
    if client.previous_period is None:
        return pd.DataFrame()
    baselines = [("previous period", client.previous_period)]
    if (earlier := year_earlier(client.latest_period, client.periods)) and earlier != client.previous_period:
        baselines.append(("a year earlier", earlier))
    rows = []
    for metric in metrics:
        for dimension in by:
            keys = ["period"] + ([dimension] if dimension else [])
            summary = client.summarise(metric, keys)
            for name, baseline in baselines:
                change = compare_periods(summary, client.latest_period, baseline, by=[dimension] if dimension else None)
                if change.empty:
                    continue
                change.insert(0, "level", change.pop(dimension).astype(str) if dimension else N_("All responses"))
                change.insert(0, "dimension", dimension or "all")
                change.insert(0, "comparison", name)
                rows.append(change)
    if not rows:
        return pd.DataFrame()
    return judge(client, pd.concat(rows, ignore_index=True), adjust, family=("comparison", "dimension"))


def group_versus_rest(
    responses: pd.DataFrame, metric: str, by: str, *, min_n: int, scales: dict | None = None
) -> pd.DataFrame:
    """Each group of ``by`` against all other responses (unadjusted p-values).

    The rest of each group comes from the totals minus the group's own sums,
    so the comparison needs one aggregation pass. Groups the metric tables
    hide (fewer than ``min_n`` answers, or hidden to protect a smaller one:
    :func:`cxanalysis.anonymity.hidden_cells`) are not compared.
    """
    stats = metric_statistics(responses, metric, [by], scales=scales)
    total = stats.drop(columns=[by]).sum()
    rest = total - stats.drop(columns=[by])
    inside = estimates_from_statistics(stats, metric).reset_index(drop=True)
    outside = estimates_from_statistics(rest, metric).reset_index(drop=True)
    result = compare_estimates(inside, outside, metric)
    result.insert(0, "level", stats[by].astype(str).to_numpy())
    result.insert(0, "dimension", by)
    result.insert(2, "baseline", ALL_OTHER_RESPONSES)
    if len(result) == 2:
        # With two groups, each against the rest is one comparison seen from both sides: test it once.
        result = result.iloc[[0]]
    shown = ~hidden_cells(stats["n"], None, min_n).to_numpy()[result.index]
    return result[shown & (result["n_a"] >= min_n) & (result["n_b"] >= min_n)].reset_index(drop=True)


def last_year(periods: Sequence[str]) -> list[str]:
    """The periods of the last twelve months up to the latest (four quarters or twelve months)."""
    latest = pd.Period(periods[-1])
    span = 4 if "Q" in periods[-1] else 12
    return [p for p in periods if pd.Period(p) > latest - span]


def segment_differences(
    client: ClientData, metrics: Sequence[str], segments: Sequence[str], adjust: str | None = None
) -> pd.DataFrame:
    """Each segment against all other customers over the last twelve months, adjusted across the table.

    A year of answers is pooled because one period rarely has enough answers
    per segment to show a difference of a few points. Adds
    ``responses_needed``: the answers the segment would need (the rest as it
    is) to detect the meaningful change, and ``more_needed`` beyond those at hand.
    """
    window = last_year(client.periods)
    latest = client.responses[client.responses["period"].isin(window)]
    parts = [
        group_versus_rest(latest[latest[segment].notna()], metric, segment, min_n=client.min_n, scales=client.scales)
        for metric in metrics
        for segment in segments
        if latest[segment].notna().any() and latest[metric].notna().any()
    ]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame()
    table = pd.concat(parts, ignore_index=True)
    variances = table[["unit_variance_a", "unit_variance_b"]].copy()
    table = judge(client, table, adjust)
    table.insert(
        3, "current", window[0] if len(window) == 1 else _("{first} to {last}").format(first=window[0], last=window[-1])
    )
    needed = responses_needed(
        variances["unit_variance_a"],
        variances["unit_variance_b"],
        table["n_effective_b"],
        table["meaningful_change"],
        alpha=table["family_alpha"],
    )
    table["responses_needed"] = needed
    table["more_needed"] = np.maximum(needed - table["n_a"], 0)
    return table


def hot_spot_tests(
    responses: pd.DataFrame, metric: str, by: str, *, min_n: int, scales: dict | None = None, adjust: str = "holm"
) -> pd.DataFrame:
    """Each group against the rest with p-values adjusted across the groups (used for touchpoints)."""
    result = group_versus_rest(responses, metric, by, min_n=min_n, scales=scales)
    result["p_adjusted"] = adjust_p_values(result["p_value"], adjust)
    return result


def nps_mix_test(responses: pd.DataFrame, by: str) -> pd.DataFrame:
    """Chi-square test that the promoter/passive/detractor mix is the same across groups of ``by``.

    Returns one row: dimension, groups, n, chi2, df, p_value, cramers_v, where
    Cramér's V = sqrt(chi2 / (n (min(rows, columns) - 1))).

    References
    ----------
    Cramér, H. (1946). Mathematical Methods of Statistics. Princeton University Press.
    """
    answered = responses[responses["nps"].notna() & responses[by].notna()]
    counts = pd.crosstab(answered[by].astype("string"), nps_group(answered["nps"]))
    counts = counts.loc[counts.sum(axis=1) > 0, counts.sum() > 0]
    if counts.shape[0] < 2 or counts.shape[1] < 2:
        return pd.DataFrame()
    chi2, p, df, _ = chi2_contingency(counts.to_numpy(), correction=False)
    n = int(counts.to_numpy().sum())
    return pd.DataFrame(
        [
            {
                "dimension": by,
                "groups": counts.shape[0],
                "n": n,
                "chi2": chi2,
                "df": int(df),
                "p_value": p,
                "cramers_v": float(np.sqrt(chi2 / (n * (min(counts.shape) - 1)))),
            }
        ]
    )


def nps_mix_tests(responses: pd.DataFrame, dimensions: Sequence[str], adjust: str = "holm") -> pd.DataFrame:
    """:func:`nps_mix_test` for each dimension, one row each, with p-values adjusted across the dimensions
    (``p_adjusted``; empty without NPS answers)."""
    if not responses["nps"].notna().any():
        return pd.DataFrame()
    tests = [nps_mix_test(responses, d) for d in dimensions]
    tests = [t for t in tests if not t.empty]
    if not tests:
        return pd.DataFrame()
    table = pd.concat(tests, ignore_index=True)
    table["p_adjusted"] = adjust_p_values(table["p_value"], adjust)
    return table


def answer_values(responses: pd.DataFrame, metric: str, scales: dict | None = None) -> pd.Series:
    """Each answer on the scale its metric is reported on, so that its mean is the metric.

    NPS: +100 promoter, 0 passive, -100 detractor. Shares: 100 for a top-box
    answer, else 0. Means: the score itself.
    """
    scales = scales or DEFAULT_SCALES
    column, kind = METRIC_KINDS.get(metric, (metric, "share"))
    x = responses[column]
    if kind == "nps":
        return pd.Series(nps_points(x), index=x.index)
    if kind == "share":
        boxes = CES_EASY_BOXES if metric == "ces_easy" else CSAT_BOXES
        scale = scales.get(column, scales.get("attributes", DEFAULT_SCALES["attributes"]))
        return (100.0 * (x >= top_box_threshold(scale, boxes))).where(x.notna())
    return x.astype(float)


def period_trend(summary: pd.DataFrame, periods: Sequence[str], confidence: float = 0.95) -> pd.DataFrame:
    """The change of a metric per period, fitted to its per-period estimates.

    Answers given in the same period share that period's circumstances (the
    season, a campaign, a change of survey mix), so they are not independent
    evidence about a slope across periods; a regression on the answers
    treats them as if they were and finds trends in ordinary
    period-to-period variation (Moulton 1990). The slope is therefore
    fitted to one estimate per period, as a random-effects meta-regression
    on the period number: each period's estimate carries its own sampling
    variance, and the periods may also differ by more than sampling explains.

    Parameters
    ----------
    summary : DataFrame
        One row per period with ``period``, ``metric``, ``estimate``, its
        standard error ``se`` and the answers ``n`` behind it, as
        :func:`cxanalysis.metrics.summarise` gives them by period. Rows
        without an estimate (suppressed) or with a standard error of zero
        are left out.
    periods : sequence of str
        The periods of the trend in order; the k-th is at position k, so a
        period without answers leaves a gap.
    confidence : float
        Level of the interval for the slope.

    Returns
    -------
    DataFrame
        One row (empty with fewer than three periods): ``metric``,
        ``slope_per_period``, ``se``, ``ci_low``, ``ci_high``, ``t``,
        ``df``, ``p_value`` (two-sided), ``tau2`` (between-period variance
        beyond sampling, on the metric's scale squared), ``n`` (answers),
        ``periods`` (periods with an estimate), ``first_period``,
        ``last_period`` and ``method``.

    Notes
    -----
    With estimates y_p, sampling variances v_p = se_p² and positions x_p
    of the k periods, X = [1, x] and W = diag(1 / v_p):

    1. Fixed-effect fit b = (XᵀWX)⁻¹ XᵀWy and residual heterogeneity
       Q = Σ w_p (y_p − x_pᵀb)².
    2. Between-period variance by the method of moments (DerSimonian &
       Laird 1986, extended to meta-regression; Thompson & Sharp 1999),
       truncated at 0: τ² = max(0, (Q − (k − 2)) / (Σ w_p − tr[(XᵀWX)⁻¹ XᵀW²X])).
    3. Weighted least squares with weights w*_p = 1 / (v_p + τ²); the slope
       b₁ has variance s² [(XᵀW*X)⁻¹]₁₁ with s² = Σ w*_p (y_p − x_pᵀb*)² / (k − 2),
       and is tested with Student's t on k − 2 degrees of freedom (Knapp &
       Hartung 2003), which holds its level with few periods. With three
       periods that is one degree of freedom, and the interval is usually
       wide; the scale s² can also fall below 1 when the estimates happen to
       line up, and the interval is then narrower than sampling alone implies
       (the test keeps its level over all such cases).

    References
    ----------
    Moulton, B. R. (1990). An illustration of a pitfall in estimating the effects of aggregate
    variables on micro units. The Review of Economics and Statistics, 72(2), 334-338.

    DerSimonian, R., & Laird, N. (1986). Meta-analysis in clinical trials. Controlled Clinical
    Trials, 7(3), 177-188.

    Thompson, S. G., & Sharp, S. J. (1999). Explaining heterogeneity in meta-analysis: a comparison
    of methods. Statistics in Medicine, 18(20), 2693-2708.

    Knapp, G., & Hartung, J. (2003). Improved tests for a random effects meta-regression with a
    single covariate. Statistics in Medicine, 22(17), 2693-2710.

    Examples
    --------
    >>> summary = pd.DataFrame({"period": ["Q1", "Q2", "Q3", "Q4"], "metric": "nps", "n": 400,
    ...                         "estimate": [20.0, 28.0, 15.0, 25.0], "se": [2.0, 2.0, 2.0, 2.0]})
    >>> row = period_trend(summary, ["Q1", "Q2", "Q3", "Q4"]).iloc[0]
    >>> print(f"slope {row['slope_per_period']:.1f}, tau2 {row['tau2']:.1f}, df {row['df']}, p {row['p_value']:.2f}")
    slope 0.2, tau2 44.9, df 2, p 0.95
    """
    return _period_trends(summary, periods, None, confidence)


#: How :func:`period_trend` fits and tests its slope, as its results say.
TREND_METHOD = "period-level WLS, DerSimonian-Laird tau2, Knapp-Hartung t"


def _period_trends(
    summary: pd.DataFrame,
    periods: Sequence[str] | Mapping[Hashable, Sequence[str]],
    by: str | None,
    confidence: float,
) -> pd.DataFrame:
    """:func:`period_trend` for each level of the column ``by`` of a summary (the whole summary without ``by``).

    ``periods`` are every level's periods in order, or a mapping from each
    level to its own. One row per level with at least three periods, ``by``
    first; each level is fitted on its own rows, and the t quantiles of all
    levels come from one call.
    """
    levels, labels = (
        (np.zeros(len(summary), dtype=np.intp), [None]) if by is None else pd.factorize(summary[by], sort=True)
    )
    period = summary["period"].to_numpy()
    if isinstance(periods, Mapping):
        places = {(code, p): i for code, level in enumerate(labels) for i, p in enumerate(periods.get(level, ()))}
        position = np.array([places.get((code, p), -1) for code, p in zip(levels, period, strict=True)], dtype=np.intp)
    else:
        common = {p: i for i, p in enumerate(periods)}
        position = np.array([common.get(p, -1) for p in period], dtype=np.intp)
    kept = (position >= 0) & (levels >= 0) & summary["estimate"].notna().to_numpy() & (summary["se"] > 0).to_numpy()
    order = np.flatnonzero(kept)
    order = order[np.lexsort((position[order], levels[order]))]  # by level, then period
    estimate = summary["estimate"].to_numpy(dtype=float, na_value=np.nan)[order]
    variance = summary["se"].to_numpy(dtype=float, na_value=np.nan)[order] ** 2
    x, answers, metric = position[order].astype(float), summary["n"].to_numpy()[order], summary["metric"].to_numpy()
    period, ends = period[order], np.flatnonzero(np.diff(levels[order])) + 1
    fits = []
    for rows in np.split(np.arange(len(order)), ends):
        k = len(rows)
        if k < 3:
            continue
        y = estimate[rows]
        design = np.column_stack([np.ones(k), x[rows]])
        tau2 = between_period_variance(y, variance[rows], design)
        weights = 1 / (variance[rows] + tau2)
        # Weighted least squares on the rows scaled by the square roots of the weights.
        root = np.sqrt(weights)
        pseudo_inverse = np.linalg.pinv(design * root[:, None])
        params = pseudo_inverse @ (root * y)
        residual = root * (y - design @ params)
        ssr = float(residual @ residual)
        # Estimates exactly on a line leave no residual to estimate the error from: no test (se NaN).
        tested = ssr > 1e-12 * float(np.sum(weights * y**2))
        se = np.sqrt(ssr / (k - 2) * (pseudo_inverse @ pseudo_inverse.T)[1, 1]) if tested else np.nan
        first = order[rows[0]]
        fits.append(
            {
                "level": labels[levels[first]],
                "metric": metric[first],
                "slope_per_period": params[1],
                "se": se,
                "df": k - 2,
                "tau2": tau2,
                "n": int(answers[rows].sum()),
                "periods": k,
                "first_period": str(period[rows[0]]),
                "last_period": str(period[rows[-1]]),
            }
        )
    if not fits:
        return pd.DataFrame()
    table = pd.DataFrame(fits)
    slope, se, df = table["slope_per_period"].to_numpy(), table["se"].to_numpy(), table["df"].to_numpy()
    t = slope / se
    half = student.ppf(0.5 + confidence / 2, df) * se
    columns = {
        "metric": table["metric"],
        "slope_per_period": slope,
        "se": se,
        "ci_low": slope - half,
        "ci_high": slope + half,
        "t": t,
        "df": df,
        "p_value": 2 * student.sf(np.abs(t), df),
        "tau2": table["tau2"],
        "n": table["n"],
        "periods": table["periods"],
        "first_period": table["first_period"],
        "last_period": table["last_period"],
        "method": TREND_METHOD,
    }
    return pd.DataFrame(columns if by is None else {by: table["level"]} | columns)


def between_period_variance(estimates: np.ndarray, variances: np.ndarray, design: np.ndarray) -> float:
    """Method-of-moments estimate of the variance between periods beyond sampling error (τ², at least 0).

    The generalisation of DerSimonian and Laird's estimator to a
    meta-regression (see :func:`period_trend`, step 2).
    """
    w = 1 / variances
    inverse = np.linalg.inv(design.T @ (design * w[:, None]))
    fitted = design @ (inverse @ (design.T @ (w * estimates)))
    q = float(np.sum(w * (estimates - fitted) ** 2))
    trace = float(w.sum() - np.trace(inverse @ (design.T @ (design * (w**2)[:, None]))))
    return max(0.0, (q - (len(estimates) - design.shape[1])) / trace)


def linear_trend(
    responses: pd.DataFrame,
    metric: str,
    periods: Sequence[str],
    scales: dict | None = None,
    confidence: float = 0.95,
    min_n: int = 5,
) -> pd.DataFrame:
    """The change of a metric per period, fitted to its estimate in each period.

    Each period's estimate and standard error come from
    :func:`cxanalysis.metrics.summarise` (survey weights included); periods
    with fewer than ``min_n`` answers are left out. The slope, its interval
    and test are those of :func:`period_trend`.
    """
    return linear_trends(responses, metric, periods, None, scales, confidence, min_n)


def linear_trends(
    responses: pd.DataFrame,
    metric: str,
    periods: Sequence[str] | Mapping[Hashable, Sequence[str]],
    by: str | None = None,
    scales: dict | None = None,
    confidence: float = 0.95,
    min_n: int = 5,
) -> pd.DataFrame:
    """:func:`linear_trend` within each level of the column ``by`` (programs, say), from one summary of all answers.

    ``periods`` are the periods of every level's trend, in order, or a
    mapping from each level to its own. The result has one row per level
    with a trend (at least three periods with an estimate), ``by`` first,
    in the order of the levels; without ``by`` it is :func:`linear_trend`'s.
    Every level's estimates are those a summary of its answers alone gives.
    """
    windows, common = (periods, []) if isinstance(periods, Mapping) else (None, list(periods))
    if by is None or windows is None:
        in_window = responses["period"].isin(common)
    else:
        pairs = [(level, period) for level, own in windows.items() for period in own]
        in_window = pd.MultiIndex.from_arrays([responses[by], responses["period"]]).isin(pairs)
    groups = [] if by is None else [by]
    summary = summarise(
        responses[in_window], metric, [*groups, "period"], min_n=min_n, confidence=confidence, scales=scales
    )
    return _period_trends(summary, common if windows is None else windows, by, confidence)


def score_trends(client: ClientData, adjust: str | None = None, confidence: float = 0.95) -> pd.DataFrame:
    """The trend of each of the client's scores over its periods, adjusted together.

    :func:`linear_trend` for every score the client has (NPS, CSAT, CES),
    with the client's scales and anonymity threshold. The scores form one
    family of tests, so ``p_adjusted`` adjusts their p-values together
    (the config's ``significance.adjust``, Holm by default, unless
    ``adjust`` names another method).

    Returns
    -------
    DataFrame
        One row per score with at least three periods, with the columns of
        :func:`period_trend` and ``p_adjusted``. Empty when no score has
        three periods.
    """
    trends = [
        linear_trend(client.responses, metric, client.periods, client.scales, confidence, min_n=client.min_n)
        for metric in client.scores
    ]
    trends = [t for t in trends if not t.empty]
    if not trends:
        return pd.DataFrame()
    table = pd.concat(trends, ignore_index=True)
    table["p_adjusted"] = adjust_p_values(table["p_value"], adjust or client.config.significance.adjust)
    return table


COMPARISON_COLUMNS = [
    "metric",
    "comparison",
    "dimension",
    "level",
    "baseline",
    "current",
    "estimate_b",
    "estimate_a",
    "difference",
    "ci_low",
    "ci_high",
    "n_b",
    "n_a",
    "effect_size",
    "p_value",
    "p_adjusted",
    "mde",
    "verdict",
]


def comparisons_table(changes: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """Period changes and segment differences in one tidy table: the book's comparisons.csv."""
    parts = [changes, segments.assign(comparison="segment against the rest") if not segments.empty else segments]
    parts = [part for part in parts if not part.empty]
    if not parts:
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    return pd.concat(parts, ignore_index=True)[COMPARISON_COLUMNS]


def breakdown_changes(client: ClientData, adjust: str | None = None) -> pd.DataFrame:
    """Every score's change to the latest period, overall and within each reporting breakdown.

    :func:`period_changes` for the client's scores over all responses and
    within every touchpoint, survey, channel and segment the data has (see
    :func:`cxanalysis.measurement.reporting_dimensions`). P-values are
    adjusted within each family: one comparison (previous period, a year
    earlier) over one breakdown.

    Returns
    -------
    DataFrame
        One row per score, comparison and group, with the columns of
        :func:`period_changes`: among them ``metric``, ``comparison``,
        ``dimension`` ("all" for all responses), ``level``, ``baseline``,
        ``current``, ``difference``, ``ci_low``, ``ci_high``, ``n_a``,
        ``n_b``, ``p_value``, ``p_adjusted``, ``mde`` and ``verdict``. Empty
        when the client has a single period.
    """
    from .measurement import reporting_dimensions

    return period_changes(client, client.scores, by=[None, *reporting_dimensions(client)], adjust=adjust)


def customer_group_differences(client: ClientData, adjust: str | None = None) -> pd.DataFrame:
    """Each group of customers against all other customers over the last twelve months.

    :func:`segment_differences` for the client's scores over the
    breakdowns that group customers: the channel and the segments the data
    has. Touchpoints are left to the journey chapter's hot spots, and
    surveys put different questions to different customers, so neither is
    a group of customers to set against the rest. P-values are adjusted
    within each breakdown.

    Returns
    -------
    DataFrame
        One row per score and group, with the columns of
        :func:`segment_differences`: among them ``metric``, ``dimension``,
        ``level``, ``baseline`` ("all other responses"), ``current`` (the
        periods pooled), ``difference``, ``ci_low``, ``ci_high``, ``n_a``,
        ``n_b``, ``p_value``, ``p_adjusted``, ``mde``, ``verdict``,
        ``responses_needed`` and ``more_needed``. Empty when no group has
        enough answers.
    """
    from .measurement import reporting_dimensions

    groups = [d for d in reporting_dimensions(client) if d not in ("touchpoint", "survey")]
    return segment_differences(client, client.scores, groups, adjust=adjust)


def nps_mix_last_year(client: ClientData) -> pd.DataFrame:
    """Whether the promoter/passive/detractor mix differs across each segment, over the last twelve months.

    :func:`nps_mix_tests` on the responses of :func:`last_year`, for each
    segment of the config that the data answers.

    Returns
    -------
    DataFrame
        One row per segment with NPS answers in at least two of its groups,
        with the columns of :func:`nps_mix_tests` (``dimension``,
        ``groups``, ``n``, ``chi2``, ``df``, ``p_value``, ``cramers_v``,
        ``p_adjusted`` across the segments with the config's method).
        Empty without NPS answers in the window.
    """
    window = client.responses[client.responses["period"].isin(last_year(client.periods))]
    segments = [d for d in client.config.segments if client.has(d)]
    return nps_mix_tests(window, segments, client.config.significance.adjust)
