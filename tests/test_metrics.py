"""Estimators against independent references: typed formulas, scipy and statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint, proportions_ztest

from cxanalysis import ces, compare_csat, csat, nps, summarise
from cxanalysis.compare import compare_estimates
from cxanalysis.metrics import nps_from_statistics, sufficient_statistics

Z = stats.norm.ppf(0.975)


def adjusted_wald_by_hand(promoters, detractors, n):
    n1 = n + 3
    p, d = (promoters + 0.75) / n1, (detractors + 0.75) / n1
    var = p + d - (p - d) ** 2
    half = Z * (var / n1) ** 0.5
    return 100 * max(-1, p - d - half), 100 * min(1, p - d + half)


def test_nps_adjusted_wald_matches_the_formula():
    scores = [10] * 45 + [9] * 15 + [8] * 20 + [7] * 5 + [6] * 5 + [2] * 10
    result = nps(scores).iloc[0]
    assert result["estimate"] == pytest.approx(100 * (60 - 15) / 100)
    low, high = adjusted_wald_by_hand(60, 15, 100)
    assert result["ci_low"] == pytest.approx(low)
    assert result["ci_high"] == pytest.approx(high)
    assert result["method"] == "adjusted-wald" and result["n"] == 100


def test_nps_wald_is_the_mean_of_the_trinomial_coding():
    rng = np.random.default_rng(3)
    scores = rng.integers(0, 11, 500)
    coded = np.where(scores >= 9, 1.0, np.where(scores <= 6, -1.0, 0.0))
    se = coded.std(ddof=0) / np.sqrt(len(coded))
    result = nps(scores, method="wald").iloc[0]
    assert result["estimate"] == pytest.approx(100 * coded.mean())
    assert result["ci_low"] == pytest.approx(100 * (coded.mean() - Z * se))
    assert result["ci_high"] == pytest.approx(100 * (coded.mean() + Z * se))


def test_nps_interval_is_clipped_at_100():
    result = nps([10, 10, 9]).iloc[0]
    assert result["estimate"] == 100 and result["ci_high"] == 100


def test_nps_ignores_unanswered_and_rejects_bad_weights():
    assert nps([10, np.nan, 0]).iloc[0]["n"] == 2
    with pytest.raises(ValueError, match="weights"):
        nps([10, 9], weights=[1, 0])


def test_weights_use_the_design_effective_n():
    """n_eff = sum(w) sum w (c - m)^2 / sum w^2 (c - m)^2 for the answers coded c = +1 / 0 / -1, worked by hand."""
    scores = np.array([10, 9, 3, 8, 10, 0, 7, 9])
    weights = np.array([1, 2, 1, 3, 1, 1, 2, 1.0])
    # Promoters weigh 1 + 2 + 1 + 1 = 5, detractors 1 + 1 = 2, passives 3 + 2 = 5, of 12: m = 3 / 12 = 0.25.
    # sum w (c - m)^2 = 5 (0.75)^2 + 5 (0.25)^2 + 2 (1.25)^2 = 6.25;
    # sum w^2 (c - m)^2 = (1 + 4 + 1 + 1)(0.75)^2 + (9 + 4)(0.25)^2 + (1 + 1)(1.25)^2 = 7.875.
    n_eff = 12 * 6.25 / 7.875
    result = nps(scores, weights=weights).iloc[0]
    assert result["estimate"] == pytest.approx(25)
    assert result["n_effective"] == pytest.approx(n_eff)
    low, high = adjusted_wald_by_hand(n_eff * 5 / 12, n_eff * 2 / 12, n_eff)
    assert (result["ci_low"], result["ci_high"]) == pytest.approx((low, high))


def test_csat_wilson_matches_statsmodels():
    scores = [5] * 30 + [4] * 22 + [3] * 9 + [2] * 4 + [1] * 5
    result = csat(scores).iloc[0]
    low, high = proportion_confint(52, 70, method="wilson")
    assert result["estimate"] == pytest.approx(100 * 52 / 70)
    assert (result["ci_low"], result["ci_high"]) == pytest.approx((100 * low, 100 * high))


def test_csat_worked_example_82_of_100():
    assert csat([5] * 50 + [4] * 32 + [2] * 18).iloc[0]["estimate"] == pytest.approx(82)


def test_ces_t_interval_matches_scipy():
    rng = np.random.default_rng(5)
    scores = rng.integers(1, 8, 40).astype(float)
    result = ces(scores).iloc[0]
    low, high = stats.t.interval(0.95, len(scores) - 1, scores.mean(), stats.sem(scores))
    assert result["estimate"] == pytest.approx(scores.mean())
    assert (result["ci_low"], result["ci_high"]) == pytest.approx((low, high))


def test_confidence_level_changes_width():
    scores = [10, 9, 7, 3, 8, 10, 6, 9, 9, 2] * 5
    narrow, wide = nps(scores, confidence=0.8).iloc[0], nps(scores, confidence=0.99).iloc[0]
    assert wide["ci_high"] - wide["ci_low"] > narrow["ci_high"] - narrow["ci_low"]


def test_grouped_summary_equals_one_call_per_group_and_suppresses():
    rng = np.random.default_rng(11)
    frame = pd.DataFrame(
        {
            "nps": rng.integers(0, 11, 300).astype(float),
            "region": rng.choice(["Nord", "Sør", "Øst"], 300),
            "weight": 1.0,
        }
    )
    frame.loc[:2, "region"] = "Vest"  # three answers only
    table = summarise(frame, "nps", ["region"], min_n=5)
    sizes = frame["region"].value_counts()
    smallest_other = sizes.drop("Vest").idxmin()
    for row in table.itertuples():
        part = frame[frame["region"] == row.region]
        if row.region in ("Vest", smallest_other):
            # Vest has three answers; the smallest other region is hidden with it, so that
            # the total minus the regions shown is a pool of both, not Vest alone.
            assert row.suppressed and np.isnan(row.estimate) and pd.isna(row.n)
            continue
        one = nps(part["nps"]).iloc[0]
        assert (row.estimate, row.ci_low, row.ci_high) == pytest.approx(
            (one["estimate"], one["ci_low"], one["ci_high"])
        )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=200), st.randoms())
def test_nps_interval_contains_estimate_and_ignores_row_order(scores, random):
    result = nps(scores).iloc[0]
    assert -100 <= result["ci_low"] <= result["ci_high"] <= 100
    shuffled = list(scores)
    random.shuffle(shuffled)
    assert nps(shuffled).iloc[0]["estimate"] == pytest.approx(result["estimate"])


def test_adjusted_wald_coverage_by_simulation():
    """Coverage of the 95 % interval over 4,000 simulated samples of 80 answers."""
    rng = np.random.default_rng(2025)
    probabilities = (0.45, 0.30, 0.25)  # promoters, passives, detractors: true NPS 20
    counts = rng.multinomial(80, probabilities, size=4000)
    s = pd.DataFrame(
        {
            "n": 80,
            "sum_w": 80.0,
            "sum_w2": 80.0,
            "sum_w_top": counts[:, 0].astype(float),
            "sum_w_bottom": counts[:, 2].astype(float),
        }
    )
    intervals = nps_from_statistics(s)
    covered = ((intervals["ci_low"] <= 20) & (intervals["ci_high"] >= 20)).mean()
    assert 0.935 <= covered <= 0.965


def test_compare_shares_matches_statsmodels_newcombe_and_ztest():
    result = compare_csat([5] * 60 + [4] * 20 + [2] * 20, [5] * 40 + [4] * 25 + [1] * 35).iloc[0]
    low, high = confint_proportions_2indep(80, 100, 65, 100, method="newcomb", compare="diff")
    _z, p = proportions_ztest([80, 65], [100, 100])
    assert result["difference"] == pytest.approx(15)
    assert (result["ci_low"], result["ci_high"]) == pytest.approx((100 * low, 100 * high))
    assert result["p_value"] == pytest.approx(p)


def test_compare_means_matches_welch():
    rng = np.random.default_rng(8)
    x, y = rng.integers(1, 8, 50).astype(float), rng.integers(2, 8, 70).astype(float)
    summary = pd.concat([summarise(pd.DataFrame({"ces": v, "weight": 1.0}), "ces") for v in (x, y)])
    result = compare_estimates(summary.iloc[[0]], summary.iloc[[1]], "ces").iloc[0]
    welch = stats.ttest_ind(x, y, equal_var=False)
    assert result["p_value"] == pytest.approx(welch.pvalue)
    assert result["difference"] == pytest.approx(x.mean() - y.mean())


def test_compare_nps_centres_on_the_adjusted_difference():
    """Lewis & Sauro: adjusted NPS and adjusted-Wald variances on each side; the reader sees the plain difference."""
    a_scores, b_scores = [10] * 50 + [5] * 50, [10] * 30 + [8] * 30 + [3] * 40
    a, b = (summarise(pd.DataFrame({"nps": s, "weight": 1.0}), "nps") for s in (a_scores, b_scores))
    result = compare_estimates(a, b, "nps").iloc[0]

    def adjusted(promoters, detractors, n):
        n1 = n + 3
        p, d = (promoters + 0.75) / n1, (detractors + 0.75) / n1
        return p - d, (p + d - (p - d) ** 2) / n1

    (centre_a, var_a), (centre_b, var_b) = adjusted(50, 50, 100), adjusted(30, 40, 100)
    centre, se = 100 * (centre_a - centre_b), 100 * np.sqrt(var_a + var_b)
    assert result["difference"] == pytest.approx(0 - (-10))
    assert centre == pytest.approx(10 * 100 / 103)
    assert result["p_value"] == pytest.approx(2 * stats.norm.sf(centre / se))
    assert (result["ci_low"], result["ci_high"]) == pytest.approx((centre - Z * se, centre + Z * se))


def test_sufficient_statistics_by_group_are_sums():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, np.nan], "g": ["a", "a", "b", "b"]})
    s = sufficient_statistics(frame, "x", ["g"])
    assert s["n"].tolist() == [2, 1] and s["sum_wx2"].tolist() == [5.0, 9.0]


def test_sufficient_statistics_sum_squared_weights_per_band():
    frame = pd.DataFrame({"x": [10.0, 9.0, 7.0, 3.0, 0.0, np.nan], "w": [1.0, 2.0, 3.0, 0.5, 4.0, 9.0]})
    s = sufficient_statistics(frame, "x", weight="w", top_low=9, bottom_high=6).iloc[0]
    assert s["sum_w2"] == pytest.approx(1 + 4 + 9 + 0.25 + 16)
    assert (s["sum_w2_top"], s["sum_w2_bottom"]) == pytest.approx((1 + 4, 0.25 + 16))
    assert s["sum_w2x"] == pytest.approx(10 + 4 * 9 + 9 * 7 + 0.25 * 3)
    assert s["sum_w2x2"] == pytest.approx(100 + 4 * 81 + 9 * 49 + 0.25 * 9)
