"""Differences between two groups: intervals, tests, effect sizes, power and a verdict.

Every function works row by row on aligned estimate tables (from
:func:`cxanalysis.metrics.summarise` or :func:`estimates_from_statistics`),
so one call compares any number of pairs at once.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .metrics import (
    METRIC_KINDS,
    _frame,
    _z,
    estimates_from_statistics,
    sufficient_statistics,
    wilson_interval,
)
from .rules import CSAT_BOXES, DEFAULT_ALPHA, DEFAULT_SCALES, DETRACTOR_TO, PROMOTER_FROM, top_box_threshold

POWER = 0.80
#: The change a reader cares about, per metric, unless the config says otherwise.
MEANINGFUL_CHANGE = {"nps": 5.0, "csat": 5.0, "csat_mean": 0.2, "ces": 0.3, "ces_easy": 5.0}
VERDICTS = ("significant improvement", "significant decline", "no detectable change", "too few responses to tell")


def minimum_detectable_change(var_a, n_a, var_b, n_b, alpha: float = DEFAULT_ALPHA, power: float = POWER):
    """Smallest true difference a two-sided test at ``alpha`` detects with ``power``.

    Notes
    -----
    MDE = (z_{1-alpha/2} + z_{power}) sqrt(var_a / n_a + var_b / n_b), with the
    variance of one answer in each group (normal approximation).
    """
    factor = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    return factor * np.sqrt(np.asarray(var_a) / np.asarray(n_a) + np.asarray(var_b) / np.asarray(n_b))


def responses_needed(var_a, var_b, n_b, change, alpha: float = DEFAULT_ALPHA, power: float = POWER):
    """Answers group a needs (group b as it is) for the test to detect ``change``.

    Solves MDE(n_a) = change for n_a: n_a = var_a / ((change / factor)^2 - var_b / n_b).
    Infinite where group b alone is too small for the change to be detectable.
    """
    factor = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    room = (np.asarray(change, dtype=float) / factor) ** 2 - np.asarray(var_b) / np.asarray(n_b)
    with np.errstate(divide="ignore"):
        return np.where(room > 0, np.ceil(np.asarray(var_a) / np.where(room > 0, room, 1)), np.inf)


def responses_needed_each(var_a, var_b, change, alpha: float = DEFAULT_ALPHA, power: float = POWER):
    """Answers each of two equal-sized groups needs for the test to detect ``change``.

    n = (z_{1-alpha/2} + z_{power})^2 (var_a + var_b) / change^2, rounded up.

    >>> int(responses_needed_each(2500, 2500, 10))
    393

    No change to detect (``change`` 0) needs no number: NaN.
    """
    factor = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    change = np.asarray(change, dtype=float)
    spread = np.asarray(var_a) + np.asarray(var_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(change != 0, np.ceil(factor**2 * spread / change**2), np.nan)


def verdicts(difference, p_adjusted, mde, meaningful, alpha: float = DEFAULT_ALPHA) -> np.ndarray:
    """One of :data:`VERDICTS` per comparison.

    Significant after adjustment: improvement or decline by its sign. Not
    significant: "too few responses to tell" when the minimum detectable
    change exceeds the change a reader cares about, else "no detectable change".
    """
    difference, p_adjusted, mde = (np.asarray(x, dtype=float) for x in (difference, p_adjusted, mde))
    return np.select(
        [(p_adjusted < alpha) & (difference > 0), (p_adjusted < alpha) & (difference < 0), mde > meaningful],
        [VERDICTS[0], VERDICTS[1], VERDICTS[3]],
        default=VERDICTS[2],
    )


def compare_estimates(a: pd.DataFrame, b: pd.DataFrame, metric: str, confidence: float = 0.95) -> pd.DataFrame:
    """Difference a - b for aligned rows of two estimate tables.

    Returns per row: estimate_a, estimate_b, difference, ci_low, ci_high, n_a,
    n_b, statistic, p_value, test, effect_size (Cohen's h for shares, Cohen's d
    otherwise) and mde (minimum detectable change at 80 % power and level :data:`~cxanalysis.rules.DEFAULT_ALPHA`).

    ``difference`` is always the plain difference of the two estimates, the
    number a reader sees. For NPS the interval for that difference, and its
    test, are centred on the adjusted difference (see Notes).

    Notes
    -----
    - NPS (Lewis & Sauro): each side's adjusted-Wald counts, n' = n + 3,
      p' = (P + 0.75) / n', d' = (D + 0.75) / n', give the adjusted NPS
      A = p' - d' = n (p - d) / (n + 3) and its variance
      v = (p' + d' - A^2) / n'. The interval is
      100 [(A_a - A_b) +/- z sqrt(v_a + v_b)], clipped to [-200, 200], and the
      z-test uses the same centre and standard error, so the interval
      excludes 0 exactly when p < 1 - confidence. The centre is the adjusted
      difference, which lies a little closer to 0 than the plain difference;
      pairing the plain difference with the adjusted-Wald standard errors
      instead rejects a true null 11-12 % of the time at 10 answers a side. With weights, n is the design
      effective n of each side (see :func:`cxanalysis.metrics.nps`).
    - Shares (CSAT, top-box): Newcombe's hybrid score interval from the two
      Wilson intervals; z-test with the pooled share (on the effective ns).
    - Means (CES, CSAT mean): Welch's t-test and interval from the two
      standard errors, with Welch-Satterthwaite degrees of freedom taking
      n - 1 for each side's variance (with equal weights, the textbook Welch test).

    References
    ----------
    Lewis, J. R., & Sauro, J. (2021). How to statistically compare two Net
    Promoter Scores. MeasuringU, https://measuringu.com/nps-significance-test/.
    Rocks, B. (2016). Interval estimation for the "net promoter score".
    The American Statistician, 70(4), 365-372.
    Newcombe, R. G. (1998). Interval estimation for the difference between
    independent proportions. Statistics in Medicine, 17(8), 873-890.
    Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences (2nd ed.).
    """
    a, b = a.reset_index(drop=True), b.reset_index(drop=True)
    kind = METRIC_KINDS.get(metric, (metric, "share"))[1]
    diff = a["estimate"] - b["estimate"]
    z = _z(confidence)
    na, nb = a["n_effective"], b["n_effective"]
    va, vb = a["unit_variance"], b["unit_variance"]
    if kind == "nps":
        # The adjusted-Wald centre of each side: (P + 0.75 - D - 0.75) / (n + 3) = n (p - d) / (n + 3).
        centre = a["estimate"] * na / (na + 3) - b["estimate"] * nb / (nb + 3)
        se = np.sqrt(a["se"] ** 2 + b["se"] ** 2)
        statistic = centre / se
        p = 2 * stats.norm.sf(np.abs(statistic))
        low, high, test = np.clip(centre - z * se, -200, 200), np.clip(centre + z * se, -200, 200), "z"
        effect = diff / np.sqrt((va + vb) / 2)
    elif kind == "share":
        pa, pb = a["estimate"] / 100, b["estimate"] / 100
        la, ua = wilson_interval(pa, na, confidence)
        lb, ub = wilson_interval(pb, nb, confidence)
        d = pa - pb
        low = 100 * (d - np.sqrt((pa - la) ** 2 + (ub - pb) ** 2))
        high = 100 * (d + np.sqrt((ua - pa) ** 2 + (pb - lb) ** 2))
        pooled = (pa * na + pb * nb) / (na + nb)
        statistic = diff / (100 * np.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb)))
        p = 2 * stats.norm.sf(np.abs(statistic))
        test = "z"
        effect = 2 * np.arcsin(np.sqrt(pa)) - 2 * np.arcsin(np.sqrt(pb))
    else:
        sa2, sb2 = a["se"] ** 2, b["se"] ** 2
        se = np.sqrt(sa2 + sb2)
        df = (sa2 + sb2) ** 2 / (sa2**2 / (a["n"] - 1) + sb2**2 / (b["n"] - 1))
        statistic = diff / se
        p = 2 * stats.t.sf(np.abs(statistic), df)
        t = stats.t.ppf(0.5 + confidence / 2, df)
        low, high, test = diff - t * se, diff + t * se, "welch-t"
        effect = diff / np.sqrt((va + vb) / 2)
    return pd.DataFrame(
        {
            "metric": metric,
            "estimate_a": a["estimate"],
            "estimate_b": b["estimate"],
            "difference": diff,
            "ci_low": low,
            "ci_high": high,
            "n_a": a["n"],
            "n_b": b["n"],
            "statistic": statistic,
            "p_value": p,
            "test": test,
            "effect_size": effect,
            "mde": minimum_detectable_change(va, na, vb, nb, alpha=1 - confidence),
            "n_effective_a": na,
            "n_effective_b": nb,
            "unit_variance_a": va,
            "unit_variance_b": vb,
            # each side's own interval, so that a sentence rounds a level as its table does
            "level_ci_low_a": a.get("ci_low", np.nan),
            "level_ci_high_a": a.get("ci_high", np.nan),
            "level_ci_low_b": b.get("ci_low", np.nan),
            "level_ci_high_b": b.get("ci_high", np.nan),
        }
    )


def compare_periods(
    summary: pd.DataFrame, latest: str, previous: str, by: list[str] | None = None, confidence: float = 0.95
) -> pd.DataFrame:
    """Latest period against an earlier one, for every group present in both.

    ``summary`` is a :func:`~cxanalysis.metrics.summarise` table with a
    ``period`` column (and the ``by`` columns); suppressed groups are left out.
    """
    by = by or []
    shown = summary[~summary["suppressed"]]
    a = shown[shown["period"] == latest]
    b = shown[shown["period"] == previous]
    if by:
        pairs = a.merge(b, on=by, suffixes=("", "_b"))
        left = pairs[list(a.columns)]
        right = pairs[[*by, *[f"{c}_b" for c in a.columns if c not in by]]]
        right.columns = [c.removesuffix("_b") for c in right.columns]
        keys = pairs[by].reset_index(drop=True)
    else:
        left, right, keys = a, b, pd.DataFrame(index=range(min(len(a), len(b))))
    if left.empty or right.empty:
        return pd.DataFrame()
    metric = summary["metric"].iloc[0]
    result = compare_estimates(left, right, metric, confidence)
    result.insert(0, "baseline", previous)
    result.insert(0, "current", latest)
    return pd.concat([keys, result], axis=1)


def _two_samples(metric: str, a, b, weights_a, weights_b, confidence, **options) -> pd.DataFrame:
    _column, kind = METRIC_KINDS[metric]
    thresholds: dict[str, Any] = {}
    if kind == "nps":
        thresholds = {"top_low": PROMOTER_FROM, "bottom_high": DETRACTOR_TO}
    elif kind == "share":
        thresholds = {"top_low": top_box_threshold(options["scale"], options["boxes"])}
    sides = []
    for scores, weights in ((a, weights_a), (b, weights_b)):
        frame = _frame(scores, weights)
        if frame.empty:
            raise ValueError(f"no {metric} answers in one of the samples")
        sides.append(
            estimates_from_statistics(
                sufficient_statistics(frame, "score", weight="weight", **thresholds), metric, confidence
            )
        )
    return compare_estimates(sides[0], sides[1], metric, confidence)


def compare_nps(a, b, weights_a=None, weights_b=None, confidence: float = 0.95) -> pd.DataFrame:
    """NPS of sample a minus sample b: difference with interval, z-test, effect size and MDE.

    ``difference`` is the plain difference of the two NPS; the interval for
    it and the z-test are centred on the difference of the adjusted-Wald NPS
    (Lewis & Sauro), so they agree: the interval excludes 0 exactly when
    p < 1 - confidence.

    Notes
    -----
    With n' = n + 3, p' = (P + 0.75) / n' and d' = (D + 0.75) / n' on each
    side, the adjusted NPS is A = p' - d' and its variance v = (p' + d' - A^2) / n';
    the interval is 100 [(A_a - A_b) +/- z sqrt(v_a + v_b)] and
    z = (A_a - A_b) / sqrt(v_a + v_b). Under equal true mixes the test keeps
    its level: by exact enumeration at most 5 % false alarms at 5, 10 and 30
    answers a side (the plain difference with the same standard errors: up
    to 18 %, 12 % and 7 %). The plain difference lies inside the interval
    except for near-unanimous opposite samples (4 of 5 detractors against 5
    of 5 promoters). With weights, P, D and n come from each side's design
    effective n (see :func:`cxanalysis.metrics.nps`).

    References
    ----------
    Lewis, J. R., & Sauro, J. (2021). How to statistically compare two Net
    Promoter Scores. MeasuringU, https://measuringu.com/nps-significance-test/.

    Examples
    --------
    >>> from cxanalysis import compare_nps
    >>> r = compare_nps([10] * 50 + [5] * 50, [10] * 30 + [8] * 30 + [3] * 40).iloc[0]
    >>> round(r["difference"], 1), round(r["p_value"], 3)
    (np.float64(10.0), np.float64(0.446))
    """
    return _two_samples("nps", a, b, weights_a, weights_b, confidence)


def compare_csat(
    a,
    b,
    weights_a=None,
    weights_b=None,
    confidence: float = 0.95,
    scale: tuple[int, int] = DEFAULT_SCALES["csat"],
    top_box: int = CSAT_BOXES,
) -> pd.DataFrame:
    """CSAT (share satisfied) of a minus b: Newcombe interval, pooled z-test, Cohen's h, MDE.

    Examples
    --------
    >>> from cxanalysis import compare_csat
    >>> r = compare_csat([5] * 60 + [4] * 20 + [2] * 20, [5] * 40 + [4] * 25 + [1] * 35).iloc[0]
    >>> round(r["difference"], 1), round(r["ci_low"], 1), round(r["ci_high"], 1)
    (np.float64(15.0), np.float64(2.6), np.float64(26.8))
    """
    return _two_samples("csat", a, b, weights_a, weights_b, confidence, scale=scale, boxes=top_box)


def compare_ces(a, b, weights_a=None, weights_b=None, confidence: float = 0.95) -> pd.DataFrame:
    """CES mean of a minus b: Welch's t-test and interval, Cohen's d, MDE.

    Examples
    --------
    >>> from cxanalysis import compare_ces
    >>> r = compare_ces([6, 7, 5, 6, 7, 6], [4, 5, 3, 5, 4, 6]).iloc[0]
    >>> round(r["difference"], 2), r["test"]
    (np.float64(1.67), 'welch-t')
    """
    return _two_samples("ces", a, b, weights_a, weights_b, confidence)
