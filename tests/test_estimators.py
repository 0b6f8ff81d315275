"""Estimators to 1e-9 against independent references, interval coverage by simulation, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from cxanalysis import ces, compare_ces, compare_csat, compare_nps, csat, nps
from cxanalysis.metrics import nps_from_statistics, share_from_statistics

TIGHT = {"rel": 1e-9, "abs": 1e-9}
Z = stats.norm.ppf(0.975)


def design_n(values, weights):
    """Design effective n of a weighted mean: spread of one answer over the linearised variance of the mean.

    n_eff = sum(w) sum w (y - m)^2 / sum w^2 (y - m)^2, the n that gives the design variance with equal weights.
    """
    values, weights = np.asarray(values, dtype=float), np.asarray(weights, dtype=float)
    deviations = (values - np.average(values, weights=weights)) ** 2
    return weights.sum() * (weights * deviations).sum() / (weights**2 * deviations).sum()


def adjusted_wald(p_share, d_share, n):
    """Rocks (2016), typed from the paper: n' = n + 3, 3/4 of an answer added to P and D."""
    n1 = n + 3
    p1, d1 = (n * p_share + 0.75) / n1, (n * d_share + 0.75) / n1
    half = Z * np.sqrt((p1 + d1 - (p1 - d1) ** 2) / n1)
    return max(-100, 100 * (p1 - d1 - half)), min(100, 100 * (p1 - d1 + half))


@pytest.fixture
def weighted_sample():
    rng = np.random.default_rng(17)
    return rng.integers(0, 11, 250).astype(float), rng.uniform(0.3, 3.0, 250)


def test_nps_weighted_matches_the_formula_to_1e9(weighted_sample):
    scores, weights = weighted_sample
    p = weights[scores >= 9].sum() / weights.sum()
    d = weights[scores <= 6].sum() / weights.sum()
    n_eff = design_n(np.where(scores >= 9, 1, np.where(scores <= 6, -1, 0)), weights)
    result = nps(scores, weights).iloc[0]
    assert result["estimate"] == pytest.approx(100 * (p - d), **TIGHT)
    assert (result["ci_low"], result["ci_high"]) == pytest.approx(adjusted_wald(p, d, n_eff), **TIGHT)
    assert result["n_effective"] == pytest.approx(n_eff, **TIGHT)


def test_csat_weighted_wilson_matches_statsmodels_to_1e9(weighted_sample):
    scores, weights = weighted_sample
    scores = 1 + scores % 5
    n_eff = design_n(scores >= 4, weights)
    share = weights[scores >= 4].sum() / weights.sum()
    low, high = proportion_confint(share * n_eff, n_eff, alpha=0.05, method="wilson")
    result = csat(scores, weights).iloc[0]
    assert result["estimate"] == pytest.approx(100 * share, **TIGHT)
    assert (result["ci_low"], result["ci_high"]) == pytest.approx((100 * low, 100 * high), **TIGHT)


def test_csat_unweighted_wilson_matches_statsmodels_to_1e9():
    scores = [5] * 33 + [4] * 27 + [3] * 11 + [2] * 6 + [1] * 3
    low, high = proportion_confint(60, 80, method="wilson")
    result = csat(scores).iloc[0]
    assert (result["ci_low"], result["ci_high"]) == pytest.approx((100 * low, 100 * high), **TIGHT)


def test_ces_t_interval_matches_scipy_to_1e9():
    scores = np.random.default_rng(4).integers(1, 8, 57).astype(float)
    low, high = stats.t.interval(0.95, len(scores) - 1, loc=scores.mean(), scale=stats.sem(scores))
    result = ces(scores).iloc[0]
    assert (result["ci_low"], result["ci_high"]) == pytest.approx((low, high), **TIGHT)


def test_ces_weighted_t_interval_matches_the_formula_to_1e9(weighted_sample):
    """Linearised design standard error (R survey's svymean) and t on n - 1 degrees of freedom."""
    scores, weights = weighted_sample
    scores = 1 + scores % 7
    n = len(scores)
    mean = np.average(scores, weights=weights)
    se = np.sqrt(n / (n - 1) * (weights**2 * (scores - mean) ** 2).sum()) / weights.sum()
    half = stats.t.ppf(0.975, n - 1) * se
    result = ces(scores, weights).iloc[0]
    assert (result["estimate"], result["ci_low"], result["ci_high"]) == pytest.approx(
        (mean, mean - half, mean + half), **TIGHT
    )
    assert result["n_effective"] == pytest.approx(design_n(scores, weights), **TIGHT)


def test_csat_mean_and_ces_share():
    scores = np.array([1, 2, 3, 4, 5, 5, 4, 4, 3, 5], dtype=float)
    mean = csat(scores, statistic="mean").iloc[0]
    low, high = stats.t.interval(0.95, 9, loc=scores.mean(), scale=stats.sem(scores))
    assert (mean["estimate"], mean["ci_low"], mean["ci_high"]) == pytest.approx((scores.mean(), low, high), **TIGHT)
    easy = ces([7, 6, 5, 4, 3, 2, 1, 5], statistic="share").iloc[0]
    wl, wh = proportion_confint(4, 8, method="wilson")
    assert (easy["estimate"], easy["ci_low"], easy["ci_high"]) == pytest.approx((50, 100 * wl, 100 * wh), **TIGHT)
    assert easy["method"] == "wilson" and mean["method"] == "t"


def test_scores_off_the_scale_are_rejected():
    with pytest.raises(ValueError, match="scale 0-10"):
        nps([3, 11])
    with pytest.raises(ValueError, match="scale 1-5"):
        csat([0, 4])


def test_nps_bootstrap_is_seeded_and_close_to_wald_for_large_n():
    scores = np.random.default_rng(2).integers(0, 11, 2000)
    first = nps(scores, method="bootstrap", seed=7).iloc[0]
    again = nps(scores, method="bootstrap", seed=7).iloc[0]
    wald = nps(scores, method="wald").iloc[0]
    assert (first["ci_low"], first["ci_high"]) == (again["ci_low"], again["ci_high"])
    assert first["ci_low"] == pytest.approx(wald["ci_low"], abs=0.6)
    assert first["ci_high"] == pytest.approx(wald["ci_high"], abs=0.6)
    assert first["method"] == "bootstrap"


def test_nps_weighted_bootstrap_resamples_rows(weighted_sample):
    scores, weights = weighted_sample
    boot = nps(scores, weights, method="bootstrap", resamples=4000, seed=3).iloc[0]
    wald = nps(scores, weights, method="wald").iloc[0]
    assert boot["ci_low"] < boot["estimate"] < boot["ci_high"]
    assert boot["ci_high"] - boot["ci_low"] == pytest.approx(wald["ci_high"] - wald["ci_low"], rel=0.15)


def numbers(result: pd.DataFrame) -> list[float]:
    return result.iloc[0][["estimate", "ci_low", "ci_high", "n", "n_effective"]].astype(float).tolist()


NPS_MIXES = [(0.45, 0.35, 0.20), (0.30, 0.40, 0.30), (0.60, 0.30, 0.10)]


@pytest.mark.parametrize("n", [30, 100, 1000])
@pytest.mark.parametrize("mix", NPS_MIXES)
def test_adjusted_wald_coverage(n, mix):
    """95 % adjusted-Wald intervals over 20,000 seeded samples cover the true NPS 93.5-96.5 % of the time."""
    counts = np.random.default_rng(n).multinomial(n, mix, size=20_000).astype(float)
    s = pd.DataFrame(
        {"n": n, "sum_w": float(n), "sum_w2": float(n), "sum_w_top": counts[:, 0], "sum_w_bottom": counts[:, 2]}
    )
    truth = 100 * (mix[0] - mix[2])
    result = nps_from_statistics(s)
    coverage = ((result["ci_low"] <= truth) & (truth <= result["ci_high"])).mean()
    print(f"adjusted-Wald n={n} mix={mix}: coverage {coverage:.4f}")
    assert 0.935 <= coverage <= 0.965


@pytest.mark.parametrize("n", [30, 100, 1000])
def test_wilson_coverage_over_realistic_shares(n):
    """Wilson coverage averaged over true CSAT shares 60-90 % (its coverage oscillates with p at small n)."""
    rng = np.random.default_rng(n + 1)
    shares = np.round(np.arange(0.60, 0.905, 0.01), 2)
    covered = []
    for share in shares:
        hits = rng.binomial(n, share, size=4000).astype(float)
        result = share_from_statistics(
            pd.DataFrame({"n": n, "sum_w": float(n), "sum_w2": float(n), "sum_w_top": hits}), "csat"
        )
        covered.append(((result["ci_low"] <= 100 * share) & (100 * share <= result["ci_high"])).mean())
    covered = np.array(covered)
    print(f"Wilson n={n}: mean coverage {covered.mean():.4f}, range {covered.min():.4f}-{covered.max():.4f}")
    assert 0.935 <= covered.mean() <= 0.965


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=2, max_size=300), st.randoms())
def test_nps_properties(scores, random):
    result = nps(scores).iloc[0]
    assert -100 <= result["ci_low"] <= result["estimate"] <= result["ci_high"] <= 100
    shuffled = list(scores)
    random.shuffle(shuffled)
    assert numbers(nps(shuffled)) == pytest.approx(numbers(nps(scores)))
    assert numbers(nps(scores, weights=[2.5] * len(scores))) == pytest.approx(numbers(nps(scores)), rel=1e-9)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=300))
def test_csat_properties(scores):
    result = csat(scores).iloc[0]
    assert 0 <= result["ci_low"] <= result["estimate"] <= result["ci_high"] <= 100
    assert numbers(csat(scores, weights=[0.7] * len(scores))) == pytest.approx(numbers(csat(scores)), rel=1e-9)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(1, 7), min_size=2, max_size=300))
def test_ces_properties(scores):
    result = ces(scores).iloc[0]
    assert result["ci_low"] <= result["estimate"] <= result["ci_high"]
    assert 1 <= result["estimate"] <= 7
    assert numbers(ces(scores, weights=[3.0] * len(scores))) == pytest.approx(
        numbers(ces(scores)), rel=1e-9, nan_ok=True
    )


def test_two_sample_functions_match_references():
    rng = np.random.default_rng(12)
    a, b = rng.integers(1, 8, 80).astype(float), rng.integers(1, 8, 90).astype(float)
    welch = stats.ttest_ind(a, b, equal_var=False)
    result = compare_ces(a, b).iloc[0]
    assert result["p_value"] == pytest.approx(welch.pvalue, **TIGHT)
    assert result["effect_size"] == pytest.approx(
        (a.mean() - b.mean()) / np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2), **TIGHT
    )
    share = compare_csat([5] * 70 + [2] * 30, [4] * 50 + [1] * 50).iloc[0]
    assert share["effect_size"] == pytest.approx(2 * np.arcsin(np.sqrt(0.7)) - 2 * np.arcsin(np.sqrt(0.5)), **TIGHT)
    promoters = compare_nps([10] * 60 + [3] * 40, [10] * 40 + [3] * 60).iloc[0]
    assert promoters["difference"] == pytest.approx(40, **TIGHT)
