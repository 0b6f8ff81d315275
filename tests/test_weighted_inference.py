"""Weighted estimates against an independent linearisation; coverage under non-response weights; NPS differences.

Non-response weights are larger for the customers least likely to answer, who
answer differently: the weights are related to the answers, which is where
Kish's effective n fails and the design-based variance does not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from cxanalysis import ces, compare_nps, csat, nps, summarise
from cxanalysis.compare import compare_estimates, minimum_detectable_change
from cxanalysis.metrics import nps_from_statistics, share_from_statistics, sufficient_statistics

Z = stats.norm.ppf(0.975)


def linearised_variance(values, weights) -> float:
    """Taylor-linearised variance of sum(w y) / sum(w), single stage with replacement, one answer at a time."""
    total = sum(weights)
    mean = sum(w * y for w, y in zip(weights, values)) / total
    squares = 0.0
    for w, y in zip(weights, values):
        squares += (w * (y - mean)) ** 2
    n = len(values)
    return n / (n - 1) * squares / total**2


def robust_variance(values, weights) -> float:
    """The same variance from statsmodels: weighted least squares on a constant with HC1 errors."""
    fit = sm.WLS(np.asarray(values, dtype=float), np.ones(len(values)), weights=np.asarray(weights)).fit(cov_type="HC1")
    return float(fit.bse[0] ** 2)


def nps_codes(scores) -> np.ndarray:
    scores = np.asarray(scores, dtype=float)
    return np.where(scores >= 9, 1.0, np.where(scores <= 6, -1.0, 0.0))


@pytest.fixture
def weighted_groups() -> pd.DataFrame:
    """Three groups with weights that rise as satisfaction falls (and some unrelated spread)."""
    rng = np.random.default_rng(41)
    size = 240
    nps_scores = rng.integers(0, 11, size).astype(float)
    frame = pd.DataFrame(
        {
            "group": rng.choice(["a", "b", "c"], size),
            "nps": nps_scores,
            "csat": np.clip(np.round(nps_scores / 2.5) + 1, 1, 5),
            "ces": rng.integers(1, 8, size).astype(float),
            "weight": (12 - nps_scores) / 4 * rng.uniform(0.7, 1.4, size),
        }
    )
    frame.loc[rng.choice(size, 20, replace=False), "ces"] = np.nan
    return frame


@pytest.mark.parametrize("metric", ["nps", "csat", "ces_easy", "ces", "csat_mean"])
def test_design_variance_equals_an_independent_linearisation(weighted_groups, metric):
    """The package's variance of every estimate equals the linearisation typed here and statsmodels' to 1e-10."""
    table = summarise(weighted_groups, metric, ["group"], min_n=0).set_index("group")
    for group, part in weighted_groups.groupby("group"):
        column = {"nps": "nps", "csat": "csat", "ces_easy": "ces", "ces": "ces", "csat_mean": "csat"}[metric]
        part = part[part[column].notna()]
        answers = part[column].to_numpy()
        values = {
            "nps": nps_codes(answers),
            "csat": (answers >= 4).astype(float),
            "ces_easy": (answers >= 5).astype(float),
        }.get(metric, answers)
        weights = part["weight"].to_numpy()
        reference = linearised_variance(list(values), list(weights))
        assert robust_variance(values, weights) == pytest.approx(reference, rel=1e-10)
        row = table.loc[group]
        n = row["n"]
        if metric == "nps":
            # unit_variance / n_effective is the linearised variance without the factor n / (n - 1).
            package = row["unit_variance"] / row["n_effective"] / 100**2 * n / (n - 1)
        elif metric in ("csat", "ces_easy"):
            package = (row["se"] / 100) ** 2 * n / (n - 1)
        else:
            package = row["se"] ** 2
        assert package == pytest.approx(reference, rel=1e-10, abs=0)
        mean = np.average(values, weights=weights)
        spread = np.average((values - mean) ** 2, weights=weights) * (
            n / (n - 1) if metric in ("ces", "csat_mean") else 1
        )
        assert row["unit_variance"] / (100**2 if metric in ("nps", "csat", "ces_easy") else 1) == pytest.approx(
            spread, rel=1e-10
        )


def test_interval_rests_on_the_design_effective_n(weighted_groups):
    """Wilson (statsmodels), adjusted Wald (Rocks 2016) and t on the design quantities, to 1e-9."""
    part = weighted_groups[weighted_groups["group"] == "b"]
    w = part["weight"].to_numpy()
    n = len(part)
    top = (part["csat"] >= 4).to_numpy(dtype=float)
    share = np.average(top, weights=w)
    n_eff = share * (1 - share) / (linearised_variance(top, w) * (n - 1) / n)
    low, high = proportion_confint(share * n_eff, n_eff, method="wilson")
    result = csat(part["csat"], part["weight"]).iloc[0]
    assert result["n_effective"] == pytest.approx(n_eff, rel=1e-9)
    assert (result["ci_low"], result["ci_high"]) == pytest.approx((100 * low, 100 * high), rel=1e-9)

    codes = nps_codes(part["nps"])
    p, d = np.average(codes == 1, weights=w), np.average(codes == -1, weights=w)
    n_eff = (p + d - (p - d) ** 2) / (linearised_variance(codes, w) * (n - 1) / n)
    n1 = n_eff + 3
    p1, d1 = (n_eff * p + 0.75) / n1, (n_eff * d + 0.75) / n1
    half = Z * np.sqrt((p1 + d1 - (p1 - d1) ** 2) / n1)
    result = nps(part["nps"], part["weight"]).iloc[0]
    assert result["n_effective"] == pytest.approx(n_eff, rel=1e-9)
    assert (result["ci_low"], result["ci_high"]) == pytest.approx((100 * (p1 - d1 - half), 100 * (p1 - d1 + half)))

    scores = part["ces"].dropna()
    wc = part.loc[scores.index, "weight"].to_numpy()
    mean = np.average(scores, weights=wc)
    low, high = stats.t.interval(0.95, len(scores) - 1, loc=mean, scale=np.sqrt(robust_variance(scores, wc)))
    result = ces(scores, wc).iloc[0]
    assert (result["estimate"], result["ci_low"], result["ci_high"]) == pytest.approx((mean, low, high), rel=1e-9)


def test_kish_is_the_design_effective_n_when_the_answers_spread_alike_at_every_weight():
    """Each weight class has the same share satisfied (40 %): the squared deviations do not follow the weights."""
    scores = [5] * 4 + [2] * 6 + [4] * 2 + [1] * 3
    weights = [1.0] * 10 + [3.0] * 5
    kish = sum(weights) ** 2 / sum(w * w for w in weights)
    result = csat(scores, weights).iloc[0]
    assert result["estimate"] == pytest.approx(40)
    assert result["n_effective"] == pytest.approx(kish, rel=1e-12)


def test_kish_stands_in_where_every_answer_is_alike():
    weights = [1.0, 2.0, 4.0, 1.0, 0.5]
    kish = sum(weights) ** 2 / sum(w * w for w in weights)
    promoters = nps([10, 9, 10, 9, 9], weights).iloc[0]
    satisfied = csat([5, 4, 5, 5, 4], weights).iloc[0]
    unhappy = csat([1, 2, 1, 3, 2], weights).iloc[0]
    flat = ces([6, 6, 6, 6, 6], weights).iloc[0]
    for result in (promoters, satisfied, unhappy, flat):
        assert result["n_effective"] == pytest.approx(kish, rel=1e-12)
    assert promoters["ci_high"] == 100 and promoters["ci_low"] < 100
    assert satisfied["ci_high"] == 100 and 0 < satisfied["ci_low"] < 100
    assert unhappy["ci_low"] == 0 and unhappy["ci_high"] > 0
    assert flat["ci_low"] == flat["ci_high"] == 6


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(0, 10), min_size=2, max_size=120),
    st.sampled_from([0.3, 1.0, 2.5, 7.0]),
)
def test_equal_weights_give_the_unweighted_results_in_every_column(scores, weight):
    csat_scores = [1 + s % 5 for s in scores]
    ces_scores = [1 + s % 7 for s in scores]
    columns = ["estimate", "ci_low", "ci_high", "n", "n_effective", "se", "unit_variance"]
    for function, answers in ((nps, scores), (csat, csat_scores), (ces, ces_scores)):
        frame = pd.DataFrame({function.__name__: answers, "weight": weight})
        weighted = summarise(frame, function.__name__, min_n=0)
        plain = summarise(frame.assign(weight=1.0), function.__name__, min_n=0)
        assert weighted[columns].to_numpy(dtype=float) == pytest.approx(
            plain[columns].to_numpy(dtype=float), rel=1e-12, abs=1e-12, nan_ok=True
        )
        assert plain["n_effective"].iloc[0] == pytest.approx(len(answers), rel=1e-12)


def test_counts_of_unweighted_answers_suffice_but_weighted_sums_must_be_complete():
    counts = pd.DataFrame({"n": [50], "sum_w": [50.0], "sum_w2": [50.0], "sum_w_top": [30.0]})
    low, high = proportion_confint(30, 50, method="wilson")
    result = share_from_statistics(counts, "csat").iloc[0]
    assert (result["ci_low"], result["ci_high"]) == pytest.approx((100 * low, 100 * high), rel=1e-12)
    weighted = counts.assign(sum_w2=80.0)
    with pytest.raises(ValueError, match="sum_w2_top"):
        share_from_statistics(weighted, "csat")
    with pytest.raises(ValueError, match="sum_w2_top"):
        nps_from_statistics(weighted.assign(sum_w_bottom=10.0))


def test_the_rest_of_a_total_by_subtraction_equals_its_own_aggregation(weighted_groups):
    """Comparisons of a group with all others subtract sums; the new squared-weight sums subtract too."""
    for metric, options in (("nps", {"top_low": 9, "bottom_high": 6, "moments": False}), ("ces", {})):
        grouped = sufficient_statistics(weighted_groups, metric, ["group"], "weight", **options)
        total = sufficient_statistics(weighted_groups, metric, [], "weight", **options)
        rest = total.iloc[[0]].reset_index(drop=True) - grouped.drop(columns="group").iloc[[0]].reset_index(drop=True)
        direct = sufficient_statistics(
            weighted_groups[weighted_groups["group"] != "a"], metric, [], "weight", **options
        )
        assert rest[direct.columns].to_numpy() == pytest.approx(direct.to_numpy(), rel=1e-12)


def test_power_quantities_agree_with_the_standard_errors(weighted_groups):
    """The MDE uses unit_variance / n_effective: for shares and means that is the squared standard error."""
    for metric in ("csat", "ces"):
        table = summarise(weighted_groups, metric, ["group"], min_n=0)
        assert (table["unit_variance"] / table["n_effective"]).to_numpy() == pytest.approx(
            (table["se"] ** 2).to_numpy(), rel=1e-12
        )
        a, b = table.iloc[[0]], table.iloc[[1]]
        mde = compare_estimates(a, b, metric).iloc[0]["mde"]
        factor = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
        assert mde == pytest.approx(factor * np.sqrt(a["se"].iloc[0] ** 2 + b["se"].iloc[0] ** 2), rel=1e-12)
        assert mde == pytest.approx(
            minimum_detectable_change(
                a["unit_variance"].iloc[0],
                a["n_effective"].iloc[0],
                b["unit_variance"].iloc[0],
                b["n_effective"].iloc[0],
            ),
            rel=1e-12,
        )


# Coverage under non-response: the population's answers, and response propensities that rise with
# satisfaction (from 0.6 at the top of the scale to 0.6 e^-2 = 0.08 at the bottom) times an unrelated
# factor (1 or 0.5 for two halves of the population); each respondent's weight is 1 / propensity.
POPULATIONS = {
    "nps": (0, np.array([4, 2, 3, 4, 5, 7, 8, 12, 15, 18, 22]) / 100),
    "csat": (1, np.array([8, 10, 17, 35, 30]) / 100),
    "ces": (1, np.array([5, 7, 10, 15, 23, 22, 18]) / 100),
}


def true_value(metric: str) -> float:
    first, shares = POPULATIONS[metric]
    scores = first + np.arange(len(shares))
    if metric == "nps":
        return 100 * (shares[scores >= 9].sum() - shares[scores <= 6].sum())
    if metric == "csat":
        return 100 * shares[scores >= 4].sum()
    return float((shares * scores).sum())


def nonresponse_samples(metric: str, n: int, replicates: int, rng: np.random.Generator) -> pd.DataFrame:
    """``replicates`` samples of n respondents each, with their non-response weights."""
    first, shares = POPULATIONS[metric]
    steps = np.arange(len(shares))
    propensity = (0.6 * np.exp(-2 * (steps[-1] - steps) / steps[-1]))[:, None] * np.array([1.0, 0.5])[None, :]
    responding = (shares[:, None] * 0.5 * propensity).ravel()
    cell = rng.choice(responding.size, size=n * replicates, p=responding / responding.sum())
    return pd.DataFrame(
        {
            metric: (first + cell // 2).astype(float),
            "weight": 1 / propensity.ravel()[cell],
            "replicate": np.repeat(np.arange(replicates), n),
        }
    )


def coverage(metric: str, n: int, replicates: int, seed: int) -> tuple[float, float]:
    """Coverage of the package's 95 % intervals and of intervals on Kish's n, over seeded replicates."""
    rng = np.random.default_rng(seed)
    truth = true_value(metric)
    covered = kish_covered = 0
    chunk = max(1, 2_000_000 // n)
    for start in range(0, replicates, chunk):
        samples = nonresponse_samples(metric, n, min(chunk, replicates - start), rng)
        table = summarise(samples, metric, ["replicate"], min_n=0)
        covered += int(((table["ci_low"] <= truth) & (truth <= table["ci_high"])).sum())
        kish_covered += int(kish_covers(samples, metric, truth).sum())
    return covered / replicates, kish_covered / replicates


def kish_covers(samples: pd.DataFrame, metric: str, truth: float) -> np.ndarray:
    """Intervals on Kish's n, (sum w)^2 / sum w^2, typed from their textbook formulas."""
    w, x = samples["weight"], samples[metric]
    grouped = pd.DataFrame({"w": w, "w2": w * w, "wx": w * x, "wx2": w * x * x}).groupby(samples["replicate"])
    if metric == "nps":
        parts = pd.DataFrame({"w": w, "top": w * (x >= 9), "bottom": w * (x <= 6)}).groupby(samples["replicate"]).sum()
        sums = grouped.sum()
        n = sums["w"] ** 2 / sums["w2"]
        n1 = n + 3
        p1, d1 = (parts["top"] / parts["w"] * n + 0.75) / n1, (parts["bottom"] / parts["w"] * n + 0.75) / n1
        half = Z * np.sqrt((p1 + d1 - (p1 - d1) ** 2) / n1)
        return ((100 * (p1 - d1 - half) <= truth) & (truth <= 100 * (p1 - d1 + half))).to_numpy()
    sums = grouped.sum()
    n = sums["w"] ** 2 / sums["w2"]
    if metric == "csat":
        share = pd.Series(w * (x >= 4)).groupby(samples["replicate"]).sum() / sums["w"]
        low, high = proportion_confint(share * n, n, method="wilson")
        return ((100 * low <= truth) & (truth <= 100 * high)).to_numpy()
    mean = sums["wx"] / sums["w"]
    se = np.sqrt((sums["wx2"] / sums["w"] - mean**2) / (n - 1))
    half = stats.t.ppf(0.975, n - 1) * se
    return ((mean - half <= truth) & (truth <= mean + half)).to_numpy()


def test_nonresponse_weights_leave_fewer_effective_answers_than_kish_says():
    """The heaviest weights sit on the rarest, most deviant answers: the design effective n is below Kish's."""
    rng = np.random.default_rng(3)
    for metric, estimator in (("nps", nps), ("csat", csat), ("ces", ces)):
        sample = nonresponse_samples(metric, 400, 1, rng)
        kish = sample["weight"].sum() ** 2 / (sample["weight"] ** 2).sum()
        design = estimator(sample[metric], sample["weight"]).iloc[0]["n_effective"]
        assert design < 0.85 * kish


def test_weights_on_answers_near_the_estimate_can_leave_more_effective_answers_than_kish_says(weighted_groups):
    """Here the heaviest weights go to detractors, the answers closest to a negative NPS."""
    part = weighted_groups[weighted_groups["group"] == "a"]
    kish = part["weight"].sum() ** 2 / (part["weight"] ** 2).sum()
    result = nps(part["nps"], part["weight"]).iloc[0]
    assert result["estimate"] < -30 and result["n_effective"] > kish


@pytest.mark.parametrize("metric", ["nps", "csat", "ces"])
def test_coverage_under_nonresponse_weights(metric):
    """95 % intervals cover 93.5-96.5 % of 3,000 seeded samples of 1,000 answers; Kish's n falls short."""
    covered, kish = coverage(metric, 1000, 3000, seed=7)
    print(f"{metric}: coverage {covered:.4f} (Kish's n: {kish:.4f})")
    assert 0.935 <= covered <= 0.965
    assert kish < 0.93


@pytest.mark.slow
@pytest.mark.parametrize("n", [300, 1000])
@pytest.mark.parametrize("metric", ["nps", "csat", "ces"])
def test_coverage_under_nonresponse_weights_many_replicates(metric, n):
    """As above over 20,000 samples each of 300 and 1,000 answers."""
    covered, kish = coverage(metric, n, 20_000, seed=n)
    print(f"{metric} n={n}: coverage {covered:.4f} (Kish's n: {kish:.4f})")
    assert 0.935 <= covered <= 0.965
    assert kish < 0.93


# Differences of two NPS: exact enumeration of every pair of samples under equal true mixes.
MIXES = [(0.3, 0.3, 0.4), (0.5, 0.3, 0.2), (0.2, 0.2, 0.6)]


def every_sample(n: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Estimates for every count of promoters and detractors among n answers, with the counts."""
    promoters, detractors = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    possible = promoters + detractors <= n
    promoters, detractors = promoters[possible], detractors[possible]
    counts = pd.DataFrame(
        {
            "n": n,
            "sum_w": float(n),
            "sum_w2": float(n),
            "sum_w_top": promoters.astype(float),
            "sum_w_bottom": detractors.astype(float),
        }
    )
    return nps_from_statistics(counts), promoters, detractors


def every_pair(n_a: int, n_b: int):
    a, pa, da = every_sample(n_a)
    b, pb, db = every_sample(n_b)
    left, right = np.repeat(np.arange(len(a)), len(b)), np.tile(np.arange(len(b)), len(a))
    result = compare_estimates(a.iloc[left], b.iloc[right], "nps")
    return result, (pa[left], da[left]), (pb[right], db[right])


def probability(counts, n: int, mix) -> np.ndarray:
    promoters, detractors = counts
    return stats.multinomial.pmf(np.stack([promoters, n - promoters - detractors, detractors], axis=1), n, mix)


def adjusted_by_hand(promoters, detractors, n):
    """Lewis & Sauro's adjusted NPS and its variance: 3/4 of an answer added to promoters and to detractors."""
    n1 = n + 3
    p, d = (promoters + 0.75) / n1, (detractors + 0.75) / n1
    return p - d, (p + d - (p - d) ** 2) / n1


@pytest.mark.parametrize("n_a, n_b", [(5, 5), (10, 10), (30, 30), (5, 30)])
def test_nps_difference_holds_its_level_by_exact_enumeration(n_a, n_b):
    result, a, b = every_pair(n_a, n_b)
    rejected = (result["p_value"] < 0.05).to_numpy()
    # Interval and test agree exactly: the interval excludes 0 when, and only when, p < 0.05.
    excludes = ((result["ci_low"] > 0) | (result["ci_high"] < 0)).to_numpy()
    assert (excludes == rejected).all()
    # The reader sees the plain difference of the two NPS; the interval is centred on the adjusted one.
    assert result["difference"].to_numpy() == pytest.approx(100 * ((a[0] - a[1]) / n_a - (b[0] - b[1]) / n_b))
    centre_a, var_a = adjusted_by_hand(*a, n_a)
    centre_b, var_b = adjusted_by_hand(*b, n_b)
    se = np.sqrt(var_a + var_b)
    assert result["ci_low"].to_numpy() == pytest.approx(np.clip(100 * (centre_a - centre_b - Z * se), -200, 200))
    assert result["ci_high"].to_numpy() == pytest.approx(np.clip(100 * (centre_a - centre_b + Z * se), -200, 200))
    assert result["p_value"].to_numpy() == pytest.approx(2 * stats.norm.sf(np.abs(centre_a - centre_b) / se))
    # The plain difference with the same standard errors, as a contrast.
    plain = np.abs((a[0] - a[1]) / n_a - (b[0] - b[1]) / n_b) / se > Z
    for mix in MIXES:
        chance = probability(a, n_a, mix) * probability(b, n_b, mix)
        level, plain_level = float((chance * rejected).sum()), float((chance * plain).sum())
        print(f"{n_a} vs {n_b}, mix {mix}: type-I error {level:.4f} (plain difference: {plain_level:.4f})")
        assert level <= 0.06
        if n_a == n_b == 10:
            assert plain_level > 0.10


def test_significant_nps_differences_keep_the_sign_of_the_plain_difference():
    result, _a, _b = every_pair(10, 30)
    significant = result[result["p_value"] < 0.05]
    centre = (significant["ci_low"] + significant["ci_high"]) / 2
    assert (np.sign(significant["difference"]) == np.sign(centre)).all()


def weighted_nps_samples(n: int, replicates: int, rng: np.random.Generator) -> pd.DataFrame:
    """Estimates of NPS from samples whose weights vary five-fold with satisfaction and an unrelated factor."""
    shares = POPULATIONS["nps"][1]
    propensity = (0.6 * np.exp(-(10 - np.arange(11)) / 10))[:, None] * np.array([1.0, 0.5])[None, :]
    responding = (shares[:, None] * propensity).ravel()
    cell = rng.choice(responding.size, size=n * replicates, p=responding / responding.sum())
    frame = pd.DataFrame(
        {
            "nps": (cell // 2).astype(float),
            "weight": 1 / propensity.ravel()[cell],
            "replicate": np.repeat(np.arange(replicates), n),
        }
    )
    return summarise(frame, "nps", ["replicate"], min_n=0)


@pytest.mark.parametrize("n, replicates, limit", [(30, 20_000, 0.06)])
def test_weighted_nps_difference_level_by_simulation(n, replicates, limit):
    rng = np.random.default_rng(12)
    result = compare_estimates(
        weighted_nps_samples(n, replicates, rng), weighted_nps_samples(n, replicates, rng), "nps"
    )
    level = float((result["p_value"] < 0.05).mean())
    print(f"weighted {n} vs {n}: type-I error {level:.4f}")
    assert level <= limit
    assert (((result["ci_low"] > 0) | (result["ci_high"] < 0)) == (result["p_value"] < 0.05)).all()


@pytest.mark.slow
@pytest.mark.parametrize("n, limit", [(10, 0.075), (30, 0.06), (100, 0.06)])
def test_weighted_nps_difference_level_many_replicates(n, limit):
    test_weighted_nps_difference_level_by_simulation(n, 40_000, limit)


def test_compare_nps_weighted_uses_each_sides_design_effective_n(weighted_groups):
    a = weighted_groups[weighted_groups["group"] == "a"]
    b = weighted_groups[weighted_groups["group"] == "b"]
    result = compare_nps(a["nps"], b["nps"], a["weight"], b["weight"]).iloc[0]
    one_a, one_b = nps(a["nps"], a["weight"]).iloc[0], nps(b["nps"], b["weight"]).iloc[0]
    assert result["n_effective_a"] == pytest.approx(one_a["n_effective"], rel=1e-12)
    assert result["difference"] == pytest.approx(one_a["estimate"] - one_b["estimate"], rel=1e-12)
    shrunk = [row["estimate"] * row["n_effective"] / (row["n_effective"] + 3) for row in (one_a, one_b)]
    assert (result["ci_low"] + result["ci_high"]) / 2 == pytest.approx(shrunk[0] - shrunk[1], rel=1e-12)
