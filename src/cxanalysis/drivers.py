"""Key drivers: how much each attribute rating contributes to the overall score."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

from .rules import CSAT_BOXES, top_box_threshold
from .translation import N_, _

#: Each quadrant of :func:`driver_quadrants` (as the result tables keep it) in the words the book shows.
QUADRANT_LABELS = {
    "fix first": N_("fix first"),
    "keep up": N_("keep up"),
    "maintain": N_("maintain"),
    "lower priority": N_("lower priority"),
}


def quadrant_label(quadrant: str) -> str:
    """A quadrant in the report language ("fix first"); any other value as given."""
    return _(QUADRANT_LABELS[quadrant]) if quadrant in QUADRANT_LABELS else quadrant


#: Multiply-adds of a matrix product small enough to run on one core.
SMALL_PRODUCT = 2**17


def weights_from_correlations(corr: np.ndarray) -> np.ndarray:
    """Johnson's relative weights from correlation matrices (outcome first), stacked on the first axis."""
    r_xx, r_xy = corr[..., 1:, 1:], corr[..., 1:, 0]
    eigenvalues, eigenvectors = np.linalg.eigh(r_xx)
    root = np.sqrt(np.clip(eigenvalues, 0, None))
    lam = (eigenvectors * root[..., None, :]) @ np.swapaxes(eigenvectors, -1, -2)
    beta = np.linalg.solve(lam, r_xy[..., None])[..., 0]
    return np.einsum("...jk,...k->...j", lam**2, beta**2)


def _complete(frame: pd.DataFrame, outcome: str, drivers: list[str]) -> np.ndarray:
    data = frame[[outcome, *drivers]].dropna().to_numpy(dtype=float)
    if len(data) <= len(drivers) + 1:
        raise ValueError(f"too few complete answers ({len(data)}) for {len(drivers)} drivers")
    return data


def relative_weights(frame: pd.DataFrame, outcome: str, drivers: Sequence[str]) -> pd.DataFrame:
    """Johnson's relative weights of drivers on an outcome, as shares of R-squared.

    Rows with any missing driver or outcome are left out (complete cases).

    Returns
    -------
    pandas.DataFrame
        One row per driver, largest weight first: driver, weight (its part
        of R-squared), share (weight / R-squared, in percent), r_squared, n.

    Notes
    -----
    With R_xx the drivers' correlation matrix, write R_xx = V diag(l) V' and
    Lambda = V diag(sqrt(l)) V' (the symmetric square root). The orthogonal
    counterparts Z of the drivers have regression weights
    beta = Lambda^-1 r_xy on the outcome; the relative weight of driver j is
    eps_j = sum_k Lambda_jk^2 beta_k^2. The weights sum to the model's
    R-squared. With uncorrelated drivers each weight is the squared
    correlation with the outcome.

    References
    ----------
    Johnson, J. W. (2000). A heuristic method for estimating the relative
    weight of predictor variables in multiple regression. Multivariate
    Behavioral Research, 35(1), 1-19.
    """
    drivers = list(drivers)
    data = _complete(frame, outcome, drivers)
    weights = weights_from_correlations(np.corrcoef(data, rowvar=False))
    r_squared = float(weights.sum())
    return pd.DataFrame(
        {
            "driver": drivers,
            "weight": weights,
            "share": 100 * weights / r_squared,
            "r_squared": r_squared,
            "n": len(data),
        }
    ).sort_values("weight", ascending=False, ignore_index=True)


def bootstrap_weights(
    frame: pd.DataFrame,
    outcome: str,
    drivers: Sequence[str],
    *,
    resamples: int = 1000,
    seed: int = 2025,
    chunk: int = 50,
) -> np.ndarray:
    """Relative weights in ``resamples`` bootstrap resamples of the complete answers: shape (resamples, drivers).

    Each resample draws n rows with replacement. It is represented by how
    often each row is drawn, so that the resampled sums and cross-products
    of all resamples in a chunk come from one matrix product; no resample
    is looped over in Python.

    Where at most half as many distinct answer profiles (the outcome and
    every rating of one answer) as answers are found, as with many answers
    on short rating scales, a resample is drawn as how often each profile
    is drawn, Multinomial(n, share of each profile): the same distribution
    as drawing rows, at the cost of the profiles rather than the rows.
    """
    drivers = list(drivers)
    data = _complete(frame, outcome, drivers)
    n, k = data.shape
    profiles, frequency = np.unique(data, axis=0, return_counts=True)
    by_profile = len(profiles) <= n // 2
    rows = profiles if by_profile else data
    centred = rows - data.mean(axis=0)
    upper = np.triu_indices(k)
    products = np.column_stack([centred, centred[:, upper[0]] * centred[:, upper[1]]])
    rng = np.random.default_rng(seed)
    cov = np.empty((resamples, k, k))
    for start in range(0, resamples, chunk):
        size = min(chunk, resamples - start)
        if by_profile:
            counts = rng.multinomial(n, frequency / n, size=size).astype(float)
        else:
            draws = rng.integers(0, n, size=(size, n)) + (np.arange(size) * n)[:, None]
            counts = np.bincount(draws.ravel(), minlength=size * n).reshape(size, n).astype(float)
        # A few resamples per product: a product this small runs on one core, several times faster on a busy
        # machine than one split across cores that must wait for each other.
        step = max(1, SMALL_PRODUCT // products.size)
        moments = np.concatenate([counts[i : i + step] @ products for i in range(0, size, step)]) / n
        means, raw = moments[:, :k], moments[:, k:]
        part = cov[start : start + size]
        part[:, upper[0], upper[1]] = raw - means[:, upper[0]] * means[:, upper[1]]
        part[:, upper[1], upper[0]] = part[:, upper[0], upper[1]]
    # The weights of all resamples at once: one batched eigendecomposition rather than one per chunk.
    scale = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
    return weights_from_correlations(cov / (scale[:, :, None] * scale[:, None, :]))


def driver_importance(
    frame: pd.DataFrame,
    outcome: str,
    drivers: Sequence[str],
    *,
    scale: tuple[int, int],
    resamples: int = 1000,
    seed: int = 2025,
    confidence: float = 0.95,
    top_box: int = CSAT_BOXES,
) -> pd.DataFrame:
    """Relative weights with bootstrap intervals, performance, quadrant and VIF.

    Returns one row per driver, most important first: driver, share (percent
    of R-squared) with share_ci_low/high, weight, rank, p_rank_first (share
    of resamples in which the driver ranks first), performance (top-box
    share, percent), quadrant, vif, r_squared with r_squared_ci_low/high, n.

    Notes
    -----
    The shares' intervals are the percentiles of the resampled shares. The
    sample R-squared (the sum of the weights) overstates the population's,
    by about k (1 - R^2) / n for k drivers, and its resamples overstate it
    once more, so their plain percentiles sit too high (the 95 % interval
    covered the population R-squared 90 % of the time with 200 answers and
    6 drivers). Its interval is therefore the bias-corrected and
    accelerated percentile interval of :func:`bca_interval`, with the
    acceleration from :func:`jackknife_r_squared`; the point estimate stays
    the sample R-squared, so that the weights still add up to it.
    """
    drivers = list(drivers)
    table = importance_performance(frame, outcome, drivers, scale=scale, top_box=top_box)
    boot = bootstrap_weights(frame, outcome, drivers, resamples=resamples, seed=seed)
    shares = 100 * boot / boot.sum(axis=1, keepdims=True)
    tail = 100 * (1 - confidence) / 2
    position = table["driver"].map({d: i for i, d in enumerate(drivers)}).to_numpy()
    low, high = np.percentile(shares, [tail, 100 - tail], axis=0)
    r2_low, r2_high = r_squared_interval(_complete(frame, outcome, drivers), boot.sum(axis=1), confidence)
    first = np.bincount(boot.argmax(axis=1), minlength=len(drivers)) / len(boot)
    table["share_ci_low"], table["share_ci_high"] = low[position], high[position]
    table["p_rank_first"] = first[position]
    table["rank"] = np.arange(1, len(table) + 1)
    table["vif"] = variance_inflation(frame, outcome, drivers).reindex(table["driver"]).to_numpy()
    table["r_squared_ci_low"], table["r_squared_ci_high"] = r2_low, r2_high
    table["outcome"], table["resamples"] = outcome, resamples
    return table


def r_squared_interval(data: np.ndarray, resampled: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """The interval :func:`driver_importance` gives R-squared: BCa from its bootstrap resamples.

    ``data`` holds the complete answers, outcome first; ``resampled`` the
    R-squared of each bootstrap resample (the sum of its relative weights).
    The estimate is the sample R-squared, the sum of the relative weights,
    and the acceleration comes from :func:`jackknife_r_squared`.
    """
    r_squared = float(weights_from_correlations(np.corrcoef(data, rowvar=False)).sum())
    return bca_interval(r_squared, resampled, jackknife_r_squared(data), confidence)


def jackknife_r_squared(data: np.ndarray) -> np.ndarray:
    """R-squared of the outcome (first column) on the other columns with each row left out in turn.

    Notes
    -----
    With d_i the i-th centred row and S = sum_i d_i d_i' the scatter matrix,
    leaving row i out gives S_(i) = S - c d_i d_i' with c = n / (n - 1), and
    R^2 = 1 - 1 / (S_00 (S^-1)_00). The Sherman-Morrison formula updates the
    inverse, (S_(i)^-1)_00 = (S^-1)_00 + c (S^-1 d_i)_0^2 / (1 - c d_i' S^-1 d_i),
    so that all n values come from one inverse and one matrix product.
    """
    n = len(data)
    centred = data - data.mean(axis=0)
    scatter = centred.T @ centred
    inverse = np.linalg.inv(scatter)
    c = n / (n - 1)
    projected = centred @ inverse
    leverage = np.einsum("ij,ij->i", projected, centred)
    inverse_00 = inverse[0, 0] + c * projected[:, 0] ** 2 / (1 - c * leverage)
    scatter_00 = scatter[0, 0] - c * centred[:, 0] ** 2
    return 1 - 1 / (scatter_00 * inverse_00)


def bca_interval(
    estimate: float, resampled: np.ndarray, jackknife: np.ndarray, confidence: float = 0.95
) -> tuple[float, float]:
    """Bias-corrected and accelerated (BCa) bootstrap interval of an estimate.

    Parameters
    ----------
    estimate
        The estimate on the sample.
    resampled
        The estimate on each bootstrap resample.
    jackknife
        The estimate with each row left out in turn (gives the acceleration).
    confidence
        Two-sided confidence level.

    Notes
    -----
    The bias correction z0 = Phi^-1(share of resampled values below the
    estimate, ties counting half) measures how far the resamples sit above
    or below the estimate; the acceleration, from the jackknife values
    t_(i) and u_i = mean(t_(.)) - t_(i), is a = sum u_i^3 / (6 (sum u_i^2)^(3/2)).
    The interval runs between the resampled values' quantiles
    Phi(z0 + (z0 + z) / (1 - a (z0 + z))) for z = Phi^-1((1 - confidence) / 2)
    and its negative. With z0 = a = 0 it is the percentile interval.

    References
    ----------
    Efron, B. (1987). Better bootstrap confidence intervals. Journal of the
    American Statistical Association, 82(397), 171-185.

    Examples
    --------
    >>> resampled = np.linspace(0.0, 1.0, 1001)
    >>> [round(float(b), 3) for b in bca_interval(0.5, resampled, np.array([0.4, 0.5, 0.6]))]
    [0.025, 0.975]
    """
    below = (np.sum(resampled < estimate) + 0.5 * np.sum(resampled == estimate)) / len(resampled)
    bias = norm.ppf(np.clip(below, 0.5 / len(resampled), 1 - 0.5 / len(resampled)))
    spread = jackknife.mean() - jackknife
    denominator = np.sum(spread**2) ** 1.5
    acceleration = np.sum(spread**3) / (6 * denominator) if denominator > 0 else 0.0
    z = norm.ppf([(1 - confidence) / 2, (1 + confidence) / 2]) + bias
    stretch = 1 - acceleration * z
    # Past a stretch of zero the formula folds back; the limit there is the end of the resampled range.
    level = np.where(stretch > 0, norm.cdf(bias + z / np.where(stretch > 0, stretch, 1)), (z > 0).astype(float))
    low, high = np.percentile(resampled, 100 * level)
    return float(low), float(high)


def variance_inflation(frame: pd.DataFrame, outcome: str, drivers: Sequence[str]) -> pd.Series:
    """Variance inflation factor of each driver among the others, on the complete answers.

    VIF_j = 1 / (1 - R_j^2), the j-th diagonal element of the inverse of the
    drivers' correlation matrix. Above about 5, a driver shares so much with
    the others that regression weights become unstable; relative weights
    stay interpretable, which is why the book uses them.
    """
    drivers = list(drivers)
    data = _complete(frame, outcome, drivers)[:, 1:]
    return pd.Series(np.diag(np.linalg.inv(np.corrcoef(data, rowvar=False))), index=drivers, name="vif")


def drivers_by_segment(
    responses: pd.DataFrame,
    outcome: str,
    drivers: Sequence[str],
    segments: Sequence[str],
    *,
    scale: tuple[int, int],
    resamples: int = 1000,
    seed: int = 2025,
) -> pd.DataFrame:
    """:func:`driver_importance` overall and within each segment level that has enough complete answers.

    One row per dimension, level and driver ("all"/"all" for everyone).
    Levels with fewer than :func:`minimum_sample` complete answers get one
    row with ``driver`` empty and ``skipped`` true, so that the reader
    learns which segments were too small rather than not seeing them.
    """
    drivers = list(drivers)
    needed = minimum_sample(len(drivers))
    parts = []
    groups = [("all", "all", responses)] + [
        (dimension, str(level), part)
        for dimension in segments
        if dimension in responses
        for level, part in responses.groupby(dimension, observed=True, sort=True)
    ]
    for dimension, level, part in groups:
        n = complete_answers(part, outcome, drivers)
        if n < needed:
            parts.append(
                pd.DataFrame([{"dimension": dimension, "level": level, "driver": "", "n": n, "skipped": True}])
            )
            continue
        table = driver_importance(part, outcome, drivers, scale=scale, resamples=resamples, seed=seed)
        table.insert(0, "level", level)
        table.insert(0, "dimension", dimension)
        parts.append(table.assign(skipped=False))
    return pd.concat(parts, ignore_index=True)


def minimum_sample(drivers: int) -> int:
    """Fewest complete answers for stable weights: max(30, 10 per driver)."""
    return max(30, 10 * drivers)


@dataclass(frozen=True)
class DriverSample:
    """The complete answers behind the key drivers and what they allow: one rule for every page.

    The drivers are estimated (chapter, executive summary, action plan) when
    there are at least two attributes and more complete answers than
    attributes plus one; below :func:`minimum_sample` they are shown as
    indicative, with a warning.

    >>> DriverSample(20, 4).estimable, DriverSample(20, 4).small, DriverSample(5, 4).estimable
    (True, True, False)
    """

    complete: int
    attributes: int

    @property
    def needed(self) -> int:
        return minimum_sample(self.attributes)

    @property
    def estimable(self) -> bool:
        return self.attributes >= 2 and self.complete > self.attributes + 1

    @property
    def small(self) -> bool:
        return self.complete < self.needed


def driver_sample(frame: pd.DataFrame, outcome: str, drivers: Sequence[str]) -> DriverSample:
    """The :class:`DriverSample` of an outcome and its attribute ratings in a response table."""
    return DriverSample(complete_answers(frame, outcome, drivers), len(drivers))


def complete_answers(frame: pd.DataFrame, outcome: str, drivers: Sequence[str]) -> int:
    """Responses answering the outcome and every driver."""
    columns = [outcome, *drivers]
    return int(frame[columns].notna().all(axis=1).sum()) if all(c in frame for c in columns) else 0


def importance_performance(
    frame: pd.DataFrame, outcome: str, drivers: Sequence[str], *, scale: tuple[int, int], top_box: int = CSAT_BOXES
) -> pd.DataFrame:
    """Relative weights with each driver's performance (top-box share in percent) and quadrant."""
    weights = relative_weights(frame, outcome, drivers)
    top = frame[list(drivers)] >= top_box_threshold(scale, top_box)
    answered = frame[list(drivers)].notna()
    performance = 100 * top.sum() / answered.sum()
    weights["performance"] = weights["driver"].map(performance)
    important = weights["share"] >= weights["share"].mean()
    strong = weights["performance"] >= weights["performance"].mean()
    weights["quadrant"] = np.select(
        [important & ~strong, important & strong, ~important & strong],
        ["fix first", "keep up", "maintain"],
        default="lower priority",
    )
    return weights
