"""Key drivers: how much each attribute rating contributes to the overall score."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def relative_weights(frame: pd.DataFrame, outcome: str, drivers: Sequence[str]) -> pd.DataFrame:
    """Johnson's relative weights of drivers on an outcome, as shares of R-squared.

    Rows with any missing driver or outcome are left out (complete cases).

    Returns
    -------
    pandas.DataFrame
        One row per driver: driver, weight (its part of R-squared), share
        (weight / R-squared, in percent), r_squared, n.

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
    data = frame[[outcome, *drivers]].dropna().to_numpy(dtype=float)
    n = len(data)
    if n <= len(drivers) + 1:
        raise ValueError(f"too few complete answers ({n}) for {len(drivers)} drivers")
    corr = np.corrcoef(data, rowvar=False)
    r_xx, r_xy = corr[1:, 1:], corr[1:, 0]
    eigenvalues, eigenvectors = np.linalg.eigh(r_xx)
    lam = eigenvectors @ np.diag(np.sqrt(np.clip(eigenvalues, 0, None))) @ eigenvectors.T
    beta = np.linalg.solve(lam, r_xy)
    weights = (lam**2) @ (beta**2)
    r_squared = float(weights.sum())
    return pd.DataFrame({"driver": drivers, "weight": weights, "share": 100 * weights / r_squared,
                         "r_squared": r_squared, "n": n}).sort_values("weight", ascending=False, ignore_index=True)


def minimum_sample(drivers: int) -> int:
    """Fewest complete answers for stable weights: max(30, 10 per driver)."""
    return max(30, 10 * drivers)


def complete_answers(frame: pd.DataFrame, outcome: str, drivers: Sequence[str]) -> int:
    """Responses answering the outcome and every driver."""
    columns = [outcome, *drivers]
    return int(frame[columns].notna().all(axis=1).sum()) if all(c in frame for c in columns) else 0


def importance_performance(frame: pd.DataFrame, outcome: str, drivers: Sequence[str], *,
                           scale: tuple[int, int], top_box: int = 2) -> pd.DataFrame:
    """Relative weights with each driver's performance (top-box share in percent) and quadrant."""
    weights = relative_weights(frame, outcome, drivers)
    top = frame[list(drivers)] >= scale[1] - top_box + 1
    answered = frame[list(drivers)].notna()
    performance = 100 * top.sum() / answered.sum()
    weights["performance"] = weights["driver"].map(performance)
    important = weights["share"] >= weights["share"].mean()
    strong = weights["performance"] >= weights["performance"].mean()
    weights["quadrant"] = np.select(
        [important & ~strong, important & strong, ~important & strong],
        ["fix first", "keep up", "maintain"], default="lower priority")
    return weights
