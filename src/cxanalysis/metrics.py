"""NPS, CSAT and CES with their uncertainty, for one sample or many groups.

Every estimate is computed from per-group sufficient statistics (counts,
sums of weights and squared weights, weighted sums of scores and squares),
so one vectorised pass serves a single sample and any grouping alike.
Weights enter through Kish's effective sample size, n_eff = (sum w)^2 / sum w^2.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .rules import (
    CES_EASY_BOXES,
    CSAT_BOXES,
    DEFAULT_SCALES,
    DETRACTOR_TO,
    PROMOTER_FROM,
    nps_points,
    top_box_threshold,
)

#: Columns of every estimate table, after any grouping columns.
ESTIMATE_COLUMNS = ["metric", "estimate", "ci_low", "ci_high", "n", "n_effective", "method"]


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    return float(stats.norm.ppf(0.5 + confidence / 2))


def _frame(scores, weights) -> pd.DataFrame:
    """Scores and weights as one frame, dropping unanswered (missing) scores."""
    scores = pd.Series(np.asarray(scores, dtype=float))
    w = pd.Series(np.ones(len(scores)) if weights is None else np.asarray(weights, dtype=float))
    if len(w) != len(scores):
        raise ValueError("scores and weights must have the same length")
    keep = scores.notna()
    if (w[keep] <= 0).any() or w[keep].isna().any():
        raise ValueError("weights must be positive numbers")
    return pd.DataFrame({"score": scores[keep].to_numpy(), "weight": w[keep].to_numpy()})


def group_index(frame: pd.DataFrame, by: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """A group number for every row, and the groups' key values in sorted order.

    Each key column is factorised once (categorical columns by their codes);
    the codes combine into one integer per row. Missing key values form a
    group of their own.
    """
    codes, levels = [], []
    for column in by:
        values = frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            # The codes already number the categories; missing values (-1) get the last number.
            categories = values.cat.categories
            code = values.cat.codes.to_numpy()
            uniques = np.append(categories.to_numpy(dtype=object), np.nan)
            if values.hasnans:
                code = np.where(code < 0, len(categories), code)
        else:
            code, uniques = pd.factorize(values, sort=True, use_na_sentinel=False)
        codes.append(code)
        levels.append(uniques)
    sizes = tuple(max(len(u), 1) for u in levels)
    cells = int(np.prod(sizes))
    # Combine the codes in the narrowest integer type that holds every cell number (fewer bytes to move).
    narrow = np.int16 if cells < 2**15 else np.int32 if cells < 2**31 else np.int64
    cell: np.ndarray = np.zeros(len(frame), dtype=narrow)
    for code, size in zip(codes, sizes):
        cell *= size
        cell += code
    cell = cell.astype(np.intp)
    if cells <= 10 * len(cell) + 1_000_000:
        # Few possible cells: number the observed ones by counting (linear time, no sort).
        observed = np.flatnonzero(np.bincount(cell, minlength=cells))
        renumber = np.zeros(cells, dtype=np.int64)
        renumber[observed] = np.arange(len(observed))
        group = renumber[cell]
    else:
        observed, group = np.unique(cell, return_inverse=True)
    keys = pd.DataFrame(
        {
            column: np.asarray(levels[i])[position]
            for i, (column, position) in enumerate(zip(by, np.unravel_index(observed, sizes)))
        }
    )
    return group, keys


def sufficient_statistics(
    frame: pd.DataFrame,
    score: str,
    by: Sequence[str] = (),
    weight: str | None = None,
    top_low: float | None = None,
    bottom_high: float | None = None,
    moments: bool = True,
) -> pd.DataFrame:
    """Per-group sums behind every estimate in this module.

    Columns: the ``by`` keys, then n, sum_w, sum_w2, with ``moments`` sum_wx
    and sum_wx2 (needed for means), and, when thresholds are given,
    sum_w_top (score >= top_low) and sum_w_bottom (score <= bottom_high).
    One pass of ``numpy.bincount`` per sum; rows with no answer to ``score``
    are left out.
    """
    x = frame[score].to_numpy(dtype=float)
    w = np.ones(len(x)) if weight is None else frame[weight].to_numpy(dtype=float)
    answered = ~np.isnan(x)
    rows = frame
    if not answered.all():
        x, w, rows = x[answered], w[answered], frame.loc[answered]
    # Each answer falls in one band: 0 middle, 1 top (>= top_low), 2 bottom (<= bottom_high); one
    # weighted count per group and band gives sum_w, sum_w_top and sum_w_bottom together.
    band = np.zeros(len(x), dtype=np.int8)
    if top_low is not None:
        band += (x >= top_low).astype(np.int8)
    if bottom_high is not None:
        band += 2 * (x <= bottom_high).astype(np.int8)
    if by:
        group, keys = group_index(rows[list(by)], by)
    else:
        group, keys = np.zeros(len(x), dtype=np.int64), pd.DataFrame(index=[0])
    groups = len(keys)
    by_band = np.bincount(group * 3 + band, weights=w, minlength=3 * groups).reshape(groups, 3)
    sums = {
        "n": np.bincount(group, minlength=groups),
        "sum_w": by_band.sum(axis=1),
        "sum_w2": np.bincount(group, weights=w * w, minlength=groups),
    }
    if moments:
        sums["sum_wx"] = np.bincount(group, weights=w * x, minlength=groups)
        sums["sum_wx2"] = np.bincount(group, weights=w * x * x, minlength=groups)
    if top_low is not None:
        sums["sum_w_top"] = by_band[:, 1]
    if bottom_high is not None:
        sums["sum_w_bottom"] = by_band[:, 2]
    return pd.concat([keys.reset_index(drop=True), pd.DataFrame(sums)], axis=1)


def _effective_n(s: pd.DataFrame) -> pd.Series:
    return s["sum_w"] ** 2 / s["sum_w2"]


def nps_from_statistics(s: pd.DataFrame, confidence: float = 0.95, method: str = "adjusted-wald") -> pd.DataFrame:
    """NPS estimate and interval for each row of sufficient statistics.

    Needs sum_w_top (promoters, 9-10) and sum_w_bottom (detractors, 0-6).
    """
    z = _z(confidence)
    n_eff = _effective_n(s)
    p = s["sum_w_top"] / s["sum_w"]
    d = s["sum_w_bottom"] / s["sum_w"]
    if method == "adjusted-wald":
        n_adj = n_eff + 3
        p_adj = (n_eff * p + 0.75) / n_adj
        d_adj = (n_eff * d + 0.75) / n_adj
        centre = p_adj - d_adj
        se = np.sqrt((p_adj + d_adj - centre**2) / n_adj)
    elif method == "wald":
        centre = p - d
        se = np.sqrt((p + d - centre**2) / n_eff)
    else:
        raise ValueError(f"unknown NPS interval method {method!r}; use 'adjusted-wald' or 'wald'")
    return pd.DataFrame(
        {
            "metric": "nps",
            "estimate": 100 * (p - d),
            "ci_low": np.clip(100 * (centre - z * se), -100, 100),
            "ci_high": np.clip(100 * (centre + z * se), -100, 100),
            "n": s["n"].astype(int),
            "n_effective": n_eff,
            "method": method,
            "se": 100 * se,
            "promoters": 100 * p,
            "detractors": 100 * d,
            # Variance of one answer coded +100 / 0 / -100: the basis of effect sizes and power.
            "unit_variance": 100**2 * (p + d - (p - d) ** 2),
        }
    )


def wilson_interval(share: pd.Series | np.ndarray, n: pd.Series | np.ndarray, confidence: float = 0.95):
    """Wilson score interval for a proportion (share in 0..1), vectorised."""
    z = _z(confidence)
    share, n = np.asarray(share, dtype=float), np.asarray(n, dtype=float)
    denom = 1 + z**2 / n
    centre = (share + z**2 / (2 * n)) / denom
    half = z / denom * np.sqrt(share * (1 - share) / n + z**2 / (4 * n**2))
    # At a share of 0 or 1 the bound is exactly 0 or 1; this removes rounding residue.
    return np.where(share <= 0, 0.0, centre - half), np.where(share >= 1, 1.0, centre + half)


def share_from_statistics(s: pd.DataFrame, metric: str, confidence: float = 0.95) -> pd.DataFrame:
    """Top-box share in percent with a Wilson interval (needs sum_w_top)."""
    n_eff = _effective_n(s)
    share = s["sum_w_top"] / s["sum_w"]
    low, high = wilson_interval(share, n_eff, confidence)
    return pd.DataFrame(
        {
            "metric": metric,
            "estimate": 100 * share,
            "ci_low": 100 * low,
            "ci_high": 100 * high,
            "n": s["n"].astype(int),
            "n_effective": n_eff,
            "method": "wilson",
            "se": 100 * np.sqrt(share * (1 - share) / n_eff),
            "unit_variance": 100**2 * share * (1 - share),
        }
    )


def mean_from_statistics(s: pd.DataFrame, metric: str, confidence: float = 0.95) -> pd.DataFrame:
    """Mean score with a t interval on n_eff - 1 degrees of freedom."""
    n_eff = _effective_n(s)
    mean = s["sum_wx"] / s["sum_w"]
    with np.errstate(invalid="ignore", divide="ignore"):
        variance = (s["sum_wx2"] / s["sum_w"] - mean**2).clip(lower=0) * n_eff / (n_eff - 1)
        se = np.sqrt(variance / n_eff)
        t = stats.t.ppf(0.5 + confidence / 2, n_eff - 1)
    return pd.DataFrame(
        {
            "metric": metric,
            "estimate": mean,
            "ci_low": mean - t * se,
            "ci_high": mean + t * se,
            "n": s["n"].astype(int),
            "n_effective": n_eff,
            "method": "t",
            "se": se,
            "unit_variance": variance,
        }
    )


def _one_row(result: pd.DataFrame) -> pd.DataFrame:
    return result[ESTIMATE_COLUMNS].reset_index(drop=True)


def _check_scale(frame: pd.DataFrame, scale: tuple[int, int], name: str) -> None:
    low, high = scale
    outside = (frame["score"] < low) | (frame["score"] > high)
    if outside.any():
        raise ValueError(
            f"{name} scores must lie on the scale {low}-{high}; got {frame.loc[outside, 'score'].iloc[0]:g}"
        )


def nps_bootstrap(
    frame: pd.DataFrame, confidence: float = 0.95, resamples: int = 2000, seed: int = 0
) -> tuple[float, float]:
    """Percentile bootstrap interval of NPS (in points) from scores and weights.

    Unweighted answers are resampled as multinomial counts of promoters,
    passives and detractors (exactly equivalent to resampling rows, and
    vectorised); weighted answers by resampling rows in chunks.
    """
    rng = np.random.default_rng(seed)
    coded = nps_points(frame["score"]) / 100
    weights = frame["weight"].to_numpy()
    n = len(coded)
    if np.all(weights == weights[0]):
        shares = np.array([(coded == 1).mean(), (coded == 0).mean(), (coded == -1).mean()])
        counts = rng.multinomial(n, shares, size=resamples)
        draws = 100 * (counts[:, 0] - counts[:, 2]) / n
    else:
        chunk = max(1, 2_000_000 // n)
        parts = []
        for start in range(0, resamples, chunk):
            index = rng.integers(0, n, size=(min(chunk, resamples - start), n))
            w = weights[index]
            parts.append(100 * (w * coded[index]).sum(axis=1) / w.sum(axis=1))
        draws = np.concatenate(parts)
    tail = (1 - confidence) / 2
    low, high = np.quantile(draws, [tail, 1 - tail])
    return float(low), float(high)


def nps(
    scores,
    weights=None,
    confidence: float = 0.95,
    method: str = "adjusted-wald",
    *,
    resamples: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Net Promoter Score with a confidence interval.

    Parameters
    ----------
    scores : array-like of 0-10 answers to "How likely are you to recommend us?"
        Missing values (unanswered) are ignored.
    weights : array-like, optional
        Survey weights; enter through Kish's effective n.
    confidence : float
        Confidence level of the interval.
    method : {"adjusted-wald", "wald", "bootstrap"}
    resamples, seed : int
        Bootstrap resamples and random seed (method "bootstrap" only).

    Returns
    -------
    pandas.DataFrame
        One row: metric, estimate (-100..100), ci_low, ci_high, n, n_effective, method.

    Notes
    -----
    Promoters answer 9-10 (share p), detractors 0-6 (share d); NPS = 100 (p - d).
    The adjusted-Wald interval adds 3/4 of a respondent to promoters and to
    detractors: n' = n + 3, p' = (P + 0.75)/n', d' = (D + 0.75)/n',
    var = p' + d' - (p' - d')^2, CI = 100 [(p' - d') +/- z sqrt(var / n')],
    clipped to [-100, 100]. The Wald interval is the mean of the answers coded
    +1 / 0 / -1 with its normal interval, var = p + d - (p - d)^2. With weights,
    P = n_eff x weighted p and D = n_eff x weighted d. The bootstrap interval
    is the percentile interval of resampled NPS values.

    References
    ----------
    Rocks, B. (2016). Interval estimation for the "net promoter score".
    The American Statistician, 70(4), 365-372.

    Examples
    --------
    >>> from cxanalysis import nps
    >>> nps([10, 9, 9, 8, 7, 6, 3, 10, 10, 5]).round(1).iloc[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'metric': 'nps', 'estimate': 20.0, 'ci_low': -30.3, 'ci_high': 61.1, 'n': 10, 'n_effective': 10.0,
     'method': 'adjusted-wald'}
    """
    frame = _frame(scores, weights)
    if frame.empty:
        raise ValueError("no NPS answers to summarise")
    _check_scale(frame, DEFAULT_SCALES["nps"], "NPS")
    s = sufficient_statistics(frame, "score", weight="weight", top_low=PROMOTER_FROM, bottom_high=DETRACTOR_TO)
    if method != "bootstrap":
        return _one_row(nps_from_statistics(s, confidence, method))
    result = nps_from_statistics(s, confidence, "wald")
    result["ci_low"], result["ci_high"] = nps_bootstrap(frame, confidence, resamples, seed)
    result["method"] = "bootstrap"
    return _one_row(result)


def csat(
    scores,
    weights=None,
    confidence: float = 0.95,
    scale: tuple[int, int] = DEFAULT_SCALES["csat"],
    top_box: int = CSAT_BOXES,
    statistic: str = "share",
) -> pd.DataFrame:
    """Customer satisfaction: the share of top-box answers in percent, with a Wilson interval.

    ``statistic="mean"`` gives the mean score with a t interval instead
    (see :func:`ces` for its formula).

    Notes
    -----
    With a 1-5 scale and ``top_box=2`` the satisfied answers are 4 and 5;
    CSAT = satisfied / all answers x 100 (82 satisfied of 100 answers = 82 %).
    The Wilson score interval is
    (p + z^2/2n +/- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), with n_eff for n
    and the weighted share for p.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and
    statistical inference. JASA, 22(158), 209-212.

    Examples
    --------
    >>> from cxanalysis import csat
    >>> csat([5] * 41 + [4] * 41 + [3] * 10 + [1] * 8).round(1).iloc[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'metric': 'csat', 'estimate': 82.0, 'ci_low': 73.3, 'ci_high': 88.3, 'n': 100, 'n_effective': 100.0,
     'method': 'wilson'}
    """
    frame = _frame(scores, weights)
    if frame.empty:
        raise ValueError("no CSAT answers to summarise")
    _check_scale(frame, scale, "CSAT")
    if statistic == "mean":
        return _one_row(
            mean_from_statistics(sufficient_statistics(frame, "score", weight="weight"), "csat_mean", confidence)
        )
    if statistic != "share":
        raise ValueError(f"statistic must be 'share' or 'mean', got {statistic!r}")
    s = sufficient_statistics(frame, "score", weight="weight", top_low=top_box_threshold(scale, top_box))
    return _one_row(share_from_statistics(s, "csat", confidence))


def ces(
    scores,
    weights=None,
    confidence: float = 0.95,
    scale: tuple[int, int] = DEFAULT_SCALES["ces"],
    statistic: str = "mean",
) -> pd.DataFrame:
    """Customer effort score: mean agreement that the company made it easy, with a t interval.

    ``statistic="share"`` gives the share "easy" instead: answers in the top
    three boxes (5-7 on 1-7), in percent, with a Wilson interval.

    Notes
    -----
    Mean = sum(w x) / sum(w); standard error sqrt(s^2 / n_eff) with the
    weighted variance s^2 corrected by n_eff / (n_eff - 1); the interval uses
    Student's t on n_eff - 1 degrees of freedom (for equal weights this is the
    textbook t interval).

    Examples
    --------
    >>> from cxanalysis import ces
    >>> ces([7, 6, 5, 5, 4, 6, 7, 3]).round(2).iloc[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'metric': 'ces', 'estimate': 5.38, 'ci_low': 4.2, 'ci_high': 6.55, 'n': 8, 'n_effective': 8.0, 'method': 't'}
    >>> ces([7, 6, 5, 5, 4, 6, 7, 3], statistic="share").round(1).iloc[0]["estimate"]
    np.float64(75.0)
    """
    frame = _frame(scores, weights)
    if frame.empty:
        raise ValueError("no CES answers to summarise")
    _check_scale(frame, scale, "CES")
    if statistic == "share":
        s = sufficient_statistics(frame, "score", weight="weight", top_low=scale[1] - 2)
        return _one_row(share_from_statistics(s, "ces_easy", confidence))
    if statistic != "mean":
        raise ValueError(f"statistic must be 'mean' or 'share', got {statistic!r}")
    s = sufficient_statistics(frame, "score", weight="weight")
    return _one_row(mean_from_statistics(s, "ces", confidence))


#: What each metric name means: how it is estimated and from which score column.
METRIC_KINDS = {
    "nps": ("nps", "nps"),
    "csat": ("csat", "share"),
    "csat_mean": ("csat", "mean"),
    "ces": ("ces", "mean"),
    "ces_easy": ("ces", "share"),
}


def metric_statistics(
    responses: pd.DataFrame,
    metric: str,
    by: Sequence[str] = (),
    *,
    scales: dict[str, tuple[int, int]] | None = None,
    top_box: int = CSAT_BOXES,
    weight: str | None = "weight",
) -> pd.DataFrame:
    """Sufficient statistics of one metric per group of a canonical response table.

    ``metric`` is one of :data:`METRIC_KINDS` or an attribute rating column
    (summarised as its top-box share).
    """
    scales = scales or DEFAULT_SCALES
    column, kind = METRIC_KINDS.get(metric, (metric, "share"))
    if column not in responses:
        raise KeyError(f"no column {column!r} for metric {metric!r}")
    low, high = scales.get(column, scales.get("attributes", DEFAULT_SCALES["attributes"]))
    if kind == "nps":
        return sufficient_statistics(
            responses, column, by, weight, top_low=PROMOTER_FROM, bottom_high=DETRACTOR_TO, moments=False
        )
    if kind == "share":
        boxes = CES_EASY_BOXES if metric == "ces_easy" else top_box
        return sufficient_statistics(
            responses, column, by, weight, top_low=top_box_threshold((low, high), boxes), moments=False
        )
    return sufficient_statistics(responses, column, by, weight)


def estimates_from_statistics(s: pd.DataFrame, metric: str, confidence: float = 0.95) -> pd.DataFrame:
    """Estimates and intervals for each row of a metric's sufficient statistics."""
    kind = METRIC_KINDS.get(metric, (metric, "share"))[1]
    if kind == "nps":
        return nps_from_statistics(s, confidence)
    if kind == "share":
        return share_from_statistics(s, metric, confidence)
    return mean_from_statistics(s, metric, confidence)


def summarise(
    responses: pd.DataFrame,
    metric: str,
    by: Sequence[str] = (),
    *,
    min_n: int = 5,
    confidence: float = 0.95,
    scales: dict[str, tuple[int, int]] | None = None,
) -> pd.DataFrame:
    """A metric by any combination of columns, with anonymity suppression.

    Returns one row per group: the grouping columns, then metric, estimate,
    ci_low, ci_high, n, n_effective, method, se and ``suppressed`` (True
    where fewer than ``min_n`` responses stand behind the group; its
    estimate and interval are then left empty).
    """
    by = list(by)
    s = metric_statistics(responses, metric, by, scales=scales)
    if s.empty:
        return pd.DataFrame(columns=[*by, *ESTIMATE_COLUMNS, "se", "suppressed"])
    result = pd.concat(
        [s[by].reset_index(drop=True), estimates_from_statistics(s, metric, confidence).reset_index(drop=True)], axis=1
    )
    result["suppressed"] = result["n"] < min_n
    hidden = [c for c in result.columns if c not in (*by, "metric", "n", "method", "suppressed")]
    result.loc[result["suppressed"], hidden] = np.nan
    return result
