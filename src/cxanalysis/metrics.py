"""NPS, CSAT and CES with their uncertainty, for one sample or many groups.

Every estimate is computed from per-group sufficient statistics (counts,
sums of weights and squared weights, weighted sums of scores and squares),
so one vectorised pass serves a single sample and any grouping alike.

Weights enter through the design-based variance of each estimator, the Taylor
linearisation of the ratio sum(w y) / sum(w) for a single-stage design drawn
with replacement (as R's ``survey`` package computes it), and through the
design effective sample size that variance implies (Korn & Graubard 1998).
With equal weights every result is the textbook unweighted one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .anonymity import TIME_COLUMNS, hidden_cells
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

    Columns: the ``by`` keys, then n, sum_w and sum_w2 (sums of weights and
    squared weights); with ``moments`` sum_wx, sum_wx2, sum_w2x and sum_w2x2
    (sums of w x, w x^2, w^2 x and w^2 x^2: means and their design variance);
    when thresholds are given, sum_w_top and sum_w2_top over answers with
    score >= top_low, and sum_w_bottom and sum_w2_bottom over answers with
    score <= bottom_high. Every column is a sum over answers, so the
    statistics of a union of groups are the sums of theirs, and those of the
    rest of a total are a difference. One pass of ``numpy.bincount`` per sum;
    rows with no answer to ``score`` are left out.
    """
    x = frame[score].to_numpy(dtype=float)
    w = np.ones(len(x)) if weight is None else frame[weight].to_numpy(dtype=float)
    answered = ~np.isnan(x)
    rows = frame
    if not answered.all():
        x, w, rows = x[answered], w[answered], frame.loc[answered]
    # Each answer falls in one band: 0 middle, 1 top (>= top_low), 2 bottom (<= bottom_high); one
    # count of weights and one of squared weights per group and band give every band sum together.
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
    cell = group * 3 + band
    w2 = w * w
    by_band = np.bincount(cell, weights=w, minlength=3 * groups).reshape(groups, 3)
    by_band2 = np.bincount(cell, weights=w2, minlength=3 * groups).reshape(groups, 3)
    sums = {"n": np.bincount(group, minlength=groups), "sum_w": by_band.sum(axis=1), "sum_w2": by_band2.sum(axis=1)}
    if moments:
        # One scratch array, multiplied in place: w x, w x^2, w^2 x^2, then w^2 x.
        term = w * x
        sum_wx = np.bincount(group, weights=term, minlength=groups)
        sum_wx2 = np.bincount(group, weights=np.multiply(term, x, out=term), minlength=groups)
        sum_w2x2 = np.bincount(group, weights=np.multiply(term, w, out=term), minlength=groups)
        sum_w2x = np.bincount(group, weights=np.multiply(w2, x, out=term), minlength=groups)
        sums.update(sum_wx=sum_wx, sum_wx2=sum_wx2, sum_w2x=sum_w2x, sum_w2x2=sum_w2x2)
    if top_low is not None:
        sums["sum_w_top"], sums["sum_w2_top"] = by_band[:, 1], by_band2[:, 1]
    if bottom_high is not None:
        sums["sum_w_bottom"], sums["sum_w2_bottom"] = by_band[:, 2], by_band2[:, 2]
    return pd.concat([keys.reset_index(drop=True), pd.DataFrame(sums)], axis=1)


def _squared_weight_sum(s: pd.DataFrame, column: str, weighted: str) -> pd.Series:
    """A sum of w^2 (...) from the statistics; counts of equally weighted answers suffice.

    With equal weights c, the sum of w^2 (...) is c times the sum of w (...), c = sum_w2 / sum_w.
    """
    if column in s:
        return s[column]
    if not np.allclose(s["n"] * s["sum_w2"], s["sum_w"] ** 2, rtol=1e-9):
        raise ValueError(f"the statistics of weighted answers need {column!r}; compute them with sufficient_statistics")
    return s[weighted] * s["sum_w2"] / s["sum_w"]


def _design_effective_n(s: pd.DataFrame, spread, design) -> pd.Series:
    """Design effective n = spread / design variance; Kish's (sum w)^2 / sum w^2 where the answers do not vary.

    ``spread`` is sum w (y - m)^2 / sum w and ``design`` is sum w^2 (y - m)^2 / (sum w)^2. Where every
    answer equals the estimate both are zero and carry no information on n.
    """
    kish = s["sum_w"] ** 2 / s["sum_w2"]
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.Series(np.where(design > 0, spread / design, kish), index=s.index)


def nps_from_statistics(s: pd.DataFrame, confidence: float = 0.95, method: str = "adjusted-wald") -> pd.DataFrame:
    """NPS estimate and interval for each row of sufficient statistics.

    Needs sum_w_top (promoters, 9-10) and sum_w_bottom (detractors, 0-6),
    and for weighted answers sum_w2_top and sum_w2_bottom. The interval uses
    the design effective n of the answers coded c = +1 / 0 / -1 (see
    :func:`nps`); ``se`` is the interval's standard error in points and
    ``unit_variance`` the variance of one answer coded +100 / 0 / -100.
    """
    z = _z(confidence)
    p = s["sum_w_top"] / s["sum_w"]
    d = s["sum_w_bottom"] / s["sum_w"]
    c = p - d
    promoters2 = _squared_weight_sum(s, "sum_w2_top", "sum_w_top")
    detractors2 = _squared_weight_sum(s, "sum_w2_bottom", "sum_w_bottom")
    passives2 = (s["sum_w2"] - promoters2 - detractors2).clip(lower=0)
    spread = p + d - c**2
    design = ((1 - c) ** 2 * promoters2 + c**2 * passives2 + (1 + c) ** 2 * detractors2) / s["sum_w"] ** 2
    n_eff = _design_effective_n(s, spread, design)
    if method == "adjusted-wald":
        n_adj = n_eff + 3
        p_adj = (n_eff * p + 0.75) / n_adj
        d_adj = (n_eff * d + 0.75) / n_adj
        centre = p_adj - d_adj
        se = np.sqrt((p_adj + d_adj - centre**2) / n_adj)
    elif method == "wald":
        centre = c
        se = np.sqrt(spread / n_eff)
    else:
        raise ValueError(f"unknown NPS interval method {method!r}; use 'adjusted-wald' or 'wald'")
    return pd.DataFrame(
        {
            "metric": "nps",
            "estimate": 100 * c,
            "ci_low": np.clip(100 * (centre - z * se), -100, 100),
            "ci_high": np.clip(100 * (centre + z * se), -100, 100),
            "n": s["n"].astype(int),
            "n_effective": n_eff,
            "method": method,
            "se": 100 * se,
            "promoters": 100 * p,
            "detractors": 100 * d,
            # Variance of one answer coded +100 / 0 / -100: the basis of effect sizes and power.
            "unit_variance": 100**2 * spread,
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
    """Top-box share in percent with a Wilson interval on the design effective n.

    Needs sum_w_top, and for weighted answers sum_w2_top. ``se`` is
    sqrt(p (1 - p) / n_eff) in points, ``unit_variance`` 100^2 p (1 - p);
    the formulas are in :func:`csat`.
    """
    share = s["sum_w_top"] / s["sum_w"]
    top2 = _squared_weight_sum(s, "sum_w2_top", "sum_w_top")
    spread = share * (1 - share)
    design = ((1 - share) ** 2 * top2 + share**2 * (s["sum_w2"] - top2).clip(lower=0)) / s["sum_w"] ** 2
    n_eff = _design_effective_n(s, spread, design)
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
            "se": 100 * np.sqrt(spread / n_eff),
            "unit_variance": 100**2 * spread,
        }
    )


def mean_from_statistics(s: pd.DataFrame, metric: str, confidence: float = 0.95) -> pd.DataFrame:
    """Mean score with a t interval: design standard error, n - 1 degrees of freedom.

    Needs sum_wx and sum_wx2, and for weighted answers sum_w2x and sum_w2x2;
    the formulas are in :func:`ces`. ``unit_variance`` is the weighted
    variance of one answer, n / (n - 1) sum w (x - m)^2 / sum w, and
    ``n_effective`` = unit_variance / se^2.
    """
    w, n = s["sum_w"], s["n"]
    mean = s["sum_wx"] / w
    w2x = _squared_weight_sum(s, "sum_w2x", "sum_wx")
    w2x2 = _squared_weight_sum(s, "sum_w2x2", "sum_wx2")
    spread = (s["sum_wx2"] / w - mean**2).clip(lower=0)
    design = ((w2x2 - 2 * mean * w2x + mean**2 * s["sum_w2"]) / w**2).clip(lower=0)
    # Equal answers leave only rounding residue in both sums: no spread at all.
    flat = spread <= 1e-12 * s["sum_wx2"] / w
    spread, design = spread.mask(flat, 0.0), design.mask(flat, 0.0)
    n_eff = _design_effective_n(s, spread, design)
    with np.errstate(invalid="ignore", divide="ignore"):
        small_sample = n / (n - 1)
        se = np.sqrt(small_sample * design)
        t = stats.t.ppf(0.5 + confidence / 2, n - 1)
    return pd.DataFrame(
        {
            "metric": metric,
            "estimate": mean,
            "ci_low": mean - t * se,
            "ci_high": mean + t * se,
            "n": n.astype(int),
            "n_effective": n_eff,
            "method": "t",
            "se": se,
            "unit_variance": small_sample * spread,
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
        Survey weights (e.g. inverse response propensities); they enter
        through the design effective n (see Notes).
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
    +1 / 0 / -1 with its normal interval, var = p + d - (p - d)^2. The
    bootstrap interval is the percentile interval of resampled NPS values.

    With weights w, p and d are weighted shares and the NPS is the weighted
    mean c^ = sum(w c) / sum(w) of the answers coded c = +1 / 0 / -1. Its
    design variance is the Taylor linearisation for a single-stage sample
    drawn with replacement (R's ``survey``),
    var_design = n / (n - 1) sum w^2 (c - c^)^2 / (sum w)^2, and its design
    effective n is the n that gives that variance with equal weights:

        n_eff = n / deff,  deff = var_design / var_equal_weights
              = sum(w) sum w (c - c^)^2 / sum w^2 (c - c^)^2

    (Korn & Graubard 1998 divide p (1 - p) by var_design itself; taking the
    ratio to the equal-weights variance cancels the factor n / (n - 1), so
    equal weights give n_eff = n and the unweighted interval exactly). The
    interval is the adjusted-Wald one with P = n_eff p and D = n_eff d.

    Kish's n, (sum w)^2 / sum w^2, is the same ratio with every (c - c^)^2
    equal: it is exact when the squared deviations of the answers are
    unrelated to the weights (always with equal weights), which non-response
    weights, larger for the customers less likely to answer, who answer
    differently, are not. It is used only where every answer is in one
    category: the design variance is then zero and says nothing about n.

    References
    ----------
    Rocks, B. (2016). Interval estimation for the "net promoter score".
    The American Statistician, 70(4), 365-372.
    Korn, E. L., & Graubard, B. I. (1998). Confidence intervals for
    proportions with small expected number of positive counts estimated from
    survey data. Survey Methodology, 24(2), 193-201.
    Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley.

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
    (p + z^2/2n +/- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n). With weights w,
    p = sum(w y) / sum(w) for the top-box indicator y, and n is the design
    effective n, n_eff = sum(w) sum w (y - p)^2 / sum w^2 (y - p)^2 = p (1 - p) / v,
    v = sum w^2 (y - p)^2 / (sum w)^2 being the Taylor-linearised variance of p
    without the with-replacement factor n / (n - 1) (Korn & Graubard 1998; the
    factor cancels against the same variance with equal weights, so equal
    weights give n_eff = n exactly). Where p is 0 or 1 the linearised variance
    is zero and Kish's (sum w)^2 / sum w^2 stands in (see :func:`nps`).

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and
    statistical inference. JASA, 22(158), 209-212.
    Korn, E. L., & Graubard, B. I. (1998). Confidence intervals for
    proportions with small expected number of positive counts estimated from
    survey data. Survey Methodology, 24(2), 193-201.

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
    Mean m = sum(w x) / sum(w); its standard error is the Taylor-linearised
    design standard error for a single-stage sample drawn with replacement,
    se^2 = n / (n - 1) sum w^2 (x - m)^2 / (sum w)^2 (as R's ``survey``
    computes it), and the interval is m +/- t se with Student's t on n - 1
    degrees of freedom. With equal weights this is the textbook t interval.
    n_effective = s^2 / se^2 with the weighted variance
    s^2 = n / (n - 1) sum w (x - m)^2 / sum(w), the design effective n of
    :func:`nps` (Kish's n where every answer is the same).

    References
    ----------
    Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley.

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
    if column not in responses.columns:
        raise KeyError(f"no column {column!r} for metric {metric!r}")
    if weight is not None and weight not in responses.columns:
        weight = None
    sums: Callable[..., pd.DataFrame] = sufficient_statistics
    if not isinstance(responses, pd.DataFrame):  # an Ibis table: the engine sums where the rows are
        from . import engine

        sums = engine.sufficient_statistics
    low, high = scales.get(column, scales.get("attributes", DEFAULT_SCALES["attributes"]))
    if kind == "nps":
        return sums(responses, column, by, weight, top_low=PROMOTER_FROM, bottom_high=DETRACTOR_TO, moments=False)
    if kind == "share":
        boxes = CES_EASY_BOXES if metric == "ces_easy" else top_box
        return sums(responses, column, by, weight, top_low=top_box_threshold((low, high), boxes), moments=False)
    return sums(responses, column, by, weight)


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
    ci_low, ci_high, n, n_effective, method, se and ``suppressed``: True
    where fewer than ``min_n`` responses stand behind the group, or where
    the group is hidden so that a smaller one in the same slice of the
    table cannot be worked out from the total (:mod:`cxanalysis.anonymity`;
    not across time windows). A suppressed group shows no estimate,
    interval or count.
    """
    by = list(by)
    s = metric_statistics(responses, metric, by, scales=scales)
    if s.empty:
        return pd.DataFrame(columns=[*by, *ESTIMATE_COLUMNS, "se", "suppressed"])
    result = pd.concat(
        [s[by].reset_index(drop=True), estimates_from_statistics(s, metric, confidence).reset_index(drop=True)], axis=1
    )
    protected = by and by[-1] not in TIME_COLUMNS
    complement = hidden_cells(result["n"], result[by[:-1]], min_n) if protected else False
    result["suppressed"] = (result["n"] < min_n) | complement
    hidden = [c for c in result.columns if c not in (*by, "metric", "n", "method", "suppressed")]
    result.loc[result["suppressed"], hidden] = np.nan
    result["n"] = result["n"].astype("Int64").mask(result["suppressed"] & (result["n"] > 0))
    return result
