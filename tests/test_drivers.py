"""Key drivers: relative weights against Johnson's SVD construction, the bootstrap, VIF."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.stats.outliers_influence import variance_inflation_factor

from cxanalysis import drivers

DRIVERS = ["speed", "staff", "price", "app"]


@pytest.fixture(scope="module")
def ratings() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 800
    shared = rng.normal(size=n)
    x = 0.6 * shared[:, None] + 0.8 * rng.normal(size=(n, 4))
    y = x @ np.array([0.9, 0.5, 0.3, 0.1]) + rng.normal(scale=1.2, size=n)
    frame = pd.DataFrame(np.clip(np.round(3 + x), 1, 5), columns=DRIVERS)
    frame["nps"] = np.clip(np.round(6 + 1.5 * y), 0, 10)
    frame.loc[::37, "price"] = np.nan  # incomplete answers are left out
    return frame


def johnson_by_svd(frame: pd.DataFrame, outcome: str, names: list[str]) -> np.ndarray:
    """Johnson (2000) as published: orthogonal counterparts from the SVD of the standardised drivers."""
    data = frame[[outcome, *names]].dropna()
    x = ((data[names] - data[names].mean()) / data[names].std()).to_numpy()
    y = ((data[outcome] - data[outcome].mean()) / data[outcome].std()).to_numpy()
    p, _, qt = np.linalg.svd(x, full_matrices=False)
    z = p @ qt  # the orthonormal matrix closest to x (columns scaled to unit length)
    beta = np.linalg.lstsq(z, y, rcond=None)[0]
    lam = np.linalg.lstsq(z, x, rcond=None)[0]  # x regressed on z
    return (lam.T**2) @ (beta**2) / (len(y) - 1) ** 2  # both regressions carry a factor sqrt(n - 1)


def test_relative_weights_match_johnsons_svd_construction_and_sum_to_r_squared(ratings):
    table = drivers.relative_weights(ratings, "nps", DRIVERS).set_index("driver").loc[DRIVERS]
    assert table["weight"].to_numpy() == pytest.approx(johnson_by_svd(ratings, "nps", DRIVERS), abs=1e-9)
    complete = ratings.dropna()
    ols = sm.OLS(complete["nps"], sm.add_constant(complete[DRIVERS])).fit()
    assert table["weight"].sum() == pytest.approx(ols.rsquared, abs=1e-9)
    assert table["share"].sum() == pytest.approx(100)
    assert table["n"].iloc[0] == len(complete)


def test_uncorrelated_drivers_weigh_their_squared_correlation():
    rng = np.random.default_rng(3)
    x = np.linalg.qr(rng.normal(size=(500, 3)))[0]
    x -= x.mean(axis=0)
    x = np.linalg.qr(x)[0]
    frame = pd.DataFrame(x, columns=["a", "b", "c"]).assign(y=x @ [3, 2, 1] + rng.normal(size=500))
    weights = drivers.relative_weights(frame, "y", ["a", "b", "c"]).set_index("driver")["weight"]
    correlations = frame.corr().loc[["a", "b", "c"], "y"]
    assert weights.loc[["a", "b", "c"]].to_numpy() == pytest.approx(correlations.to_numpy() ** 2, abs=1e-6)


def test_vectorised_bootstrap_equals_a_loop_over_the_same_resamples(ratings):
    resamples, seed, chunk = 30, 5, 7
    boot = drivers.bootstrap_weights(ratings, "nps", DRIVERS, resamples=resamples, seed=seed, chunk=chunk)
    complete = ratings[["nps", *DRIVERS]].dropna().reset_index(drop=True)
    rng = np.random.default_rng(seed)
    expected = []
    for start in range(0, resamples, chunk):
        for rows in rng.integers(0, len(complete), size=(min(chunk, resamples - start), len(complete))):
            weights = drivers.relative_weights(complete.iloc[rows], "nps", DRIVERS).set_index("driver")["weight"]
            expected.append(weights.loc[DRIVERS].to_numpy())
    assert boot == pytest.approx(np.array(expected), abs=1e-9)


def test_driver_importance_intervals_rank_and_vif(ratings):
    table = drivers.driver_importance(ratings, "nps", DRIVERS, scale=(1, 5), resamples=400)
    assert list(table["driver"]) == ["speed", "staff", "price", "app"]
    assert (table["share_ci_low"] <= table["share"]).all() and (table["share"] <= table["share_ci_high"]).all()
    assert table["p_rank_first"].sum() == pytest.approx(1)
    assert table["p_rank_first"].iloc[0] > 0.95
    complete = ratings[["nps", *DRIVERS]].dropna()
    design = sm.add_constant(complete[DRIVERS]).to_numpy()
    reference = [variance_inflation_factor(design, i + 1) for i in range(len(DRIVERS))]
    assert table.set_index("driver").loc[DRIVERS, "vif"].to_numpy() == pytest.approx(reference, abs=1e-9)


def test_bootstrap_intervals_cover_the_population_weights():
    """Percentile intervals from 300 resamples cover the population shares in most of 40 samples."""
    rng = np.random.default_rng(21)
    beta = np.array([0.8, 0.5, 0.2])
    corr = np.array([[1, 0.4, 0.3], [0.4, 1, 0.35], [0.3, 0.35, 1]])
    population = np.zeros((4, 4))
    population[1:, 1:] = corr
    population[1:, 0] = population[0, 1:] = corr @ beta
    population[0, 0] = beta @ corr @ beta + 1.0
    scale = np.sqrt(np.diag(population))
    truth = drivers.weights_from_correlations(population / np.outer(scale, scale))
    truth_share = 100 * truth / truth.sum()
    covered = np.zeros(3)
    for trial in range(40):
        x = rng.multivariate_normal(np.zeros(3), corr, size=300)
        frame = pd.DataFrame(x, columns=["a", "b", "c"]).assign(y=x @ beta + rng.normal(size=300))
        table = (
            drivers.driver_importance(frame, "y", ["a", "b", "c"], scale=(1, 5), resamples=300, seed=trial)
            .set_index("driver")
            .loc[["a", "b", "c"]]
        )
        covered += (table["share_ci_low"] <= truth_share) & (truth_share <= table["share_ci_high"])
    assert (covered / 40 >= 0.85).all(), covered / 40
