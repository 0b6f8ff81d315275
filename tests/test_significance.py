"""Comparisons, power, verdicts, mix and trend: against references and against the sample's planted truths."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

from conftest import SAMPLE_CONFIG
from cxanalysis import open_client, words
from cxanalysis.compare import minimum_detectable_change, responses_needed, verdicts
from cxanalysis.measurement import METRIC_TABLE_COLUMNS, metric_table
from cxanalysis.metrics import nps_from_statistics, share_from_statistics
from cxanalysis.significance import (
    COMPARISON_COLUMNS,
    adjust_p_values,
    comparisons_table,
    last_year,
    linear_trend,
    linear_trends,
    nps_mix_test,
    period_changes,
    period_trend,
    score_trends,
    segment_differences,
    year_earlier,
)


@pytest.fixture(scope="module")
def sample():
    return open_client(SAMPLE_CONFIG)


def test_mde_formula_and_responses_needed_invert_it():
    var_a, var_b, n_b = 0.2 * 0.8, 0.25, 500
    mde = minimum_detectable_change(var_a, 300, var_b, n_b)
    factor = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    assert mde == pytest.approx(factor * np.sqrt(var_a / 300 + var_b / n_b), rel=1e-12)
    needed = responses_needed(var_a, var_b, n_b, mde)
    assert needed == 300  # the n that gives exactly this MDE (ceil of 300 - rounding)
    assert np.isinf(responses_needed(var_a, var_b, 10, 0.05))  # group b alone is too small


def test_power_at_the_mde_is_80_percent_by_simulation():
    """Welch tests of two samples whose means differ by exactly the MDE reject about 80 % of the time."""
    rng = np.random.default_rng(80)
    sd, n_a, n_b = 1.5, 150, 250
    mde = minimum_detectable_change(sd**2, n_a, sd**2, n_b)
    a = rng.normal(5 + mde, sd, (10_000, n_a))
    b = rng.normal(5, sd, (10_000, n_b))
    power = (stats.ttest_ind(a, b, axis=1, equal_var=False).pvalue < 0.05).mean()
    assert 0.78 <= power <= 0.82


def test_verdicts_follow_the_rules():
    got = verdicts([4, -4, 1, 1], [0.01, 0.01, 0.4, 0.4], [3, 3, 3, 9], meaningful=5)
    assert got.tolist() == [
        "significant improvement",
        "significant decline",
        "no detectable change",
        "too few responses to tell",
    ]


def test_holm_and_bh_match_statsmodels_and_keep_missing():
    from statsmodels.stats.multitest import multipletests

    p = pd.Series([0.01, 0.04, np.nan, 0.03, 0.2])
    holm = adjust_p_values(p)
    assert np.isnan(holm[2])
    assert holm.dropna().tolist() == pytest.approx(multipletests(p.dropna(), method="holm")[1].tolist())
    assert (adjust_p_values(p, "fdr_bh").dropna() <= holm.dropna() + 1e-12).all()


def test_mix_test_matches_scipy_and_cramers_v_formula():
    frame = pd.DataFrame({"nps": [10, 9, 8, 3, 2, 10, 7, 7, 1, 0, 9, 9] * 10, "region": ["Nord", "Sør", "Vest"] * 40})
    result = nps_mix_test(frame, "region").iloc[0]
    group = pd.cut(frame["nps"], [-1, 6, 8, 10])
    chi2, p, df, _ = stats.chi2_contingency(pd.crosstab(frame["region"], group), correction=False)
    assert (result["chi2"], result["p_value"], result["df"]) == pytest.approx((chi2, p, df))
    assert result["cramers_v"] == pytest.approx(np.sqrt(chi2 / (120 * 2)))


def _random_effects_slope_by_hand(y, se, x):
    """The trend of :func:`period_trend`, typed from its formulas: the moment estimator of tau2 through
    the projection matrix P, then least squares on rows scaled by the square root of the weights."""
    y, v, x = (np.asarray(a, dtype=float) for a in (y, np.square(se), x))
    k = len(y)
    X = np.column_stack([np.ones(k), x])
    W = np.diag(1 / v)
    P = W - W @ X @ np.linalg.inv(X.T @ W @ X) @ X.T @ W
    tau2 = max(0.0, (y @ P @ y - (k - 2)) / np.trace(P))
    root = np.sqrt(1 / (v + tau2))
    beta, *_ = np.linalg.lstsq(X * root[:, None], y * root, rcond=None)
    residual = (y - X @ beta) * root
    s2 = residual @ residual / (k - 2)
    se_slope = np.sqrt(s2 * np.linalg.inv((X * root[:, None] ** 2).T @ X)[1, 1])
    return beta[1], se_slope, tau2


@pytest.mark.parametrize(
    "estimates",
    [[20.0, 31.0, 12.0, 26.0, 35.0, 18.0], [20.0, 20.5, 21.5, 21.8, 23.0, 23.4]],
    ids=["periods differ beyond sampling", "no variation beyond sampling"],
)
def test_trend_is_a_weighted_fit_on_period_estimates(estimates):
    se = [2.0, 3.0, 2.5, 1.5, 4.0, 2.0]
    names = ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2"]
    summary = pd.DataFrame({"period": names, "metric": "nps", "estimate": estimates, "se": se, "n": 300})
    result = period_trend(summary, names).iloc[0]
    slope, se_slope, tau2 = _random_effects_slope_by_hand(estimates, se, range(6))
    assert (tau2 > 0) == (estimates[1] == 31.0)
    assert result["tau2"] == pytest.approx(tau2, rel=1e-9, abs=1e-12)
    assert result["slope_per_period"] == pytest.approx(slope, rel=1e-9)
    assert result["se"] == pytest.approx(se_slope, rel=1e-9)
    assert result["df"] == 4 and result["periods"] == 6 and result["n"] == 1800
    assert result["p_value"] == pytest.approx(2 * stats.t.sf(abs(slope / se_slope), 4), rel=1e-9)
    half = stats.t.ppf(0.975, 4) * se_slope
    assert (result["ci_low"], result["ci_high"]) == pytest.approx((slope - half, slope + half), rel=1e-9)


def test_trend_keeps_the_gap_of_a_period_without_estimate():
    names = ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1"]
    summary = pd.DataFrame(
        {"period": ["2024Q1", "2024Q2", "2024Q4", "2025Q1"], "metric": "ces", "n": 200,
         "estimate": [4.8, 5.0, 5.1, 5.4], "se": [0.10, 0.09, 0.11, 0.10]}
    )  # fmt: skip
    result = period_trend(summary, names).iloc[0]
    slope, _, _ = _random_effects_slope_by_hand(summary["estimate"], summary["se"], [0, 1, 3, 4])
    assert result["slope_per_period"] == pytest.approx(slope, rel=1e-9)
    assert result["periods"] == 4 and result["df"] == 2
    too_few = summary.assign(estimate=[4.8, np.nan, np.nan, 5.4])  # suppressed periods are left out
    assert period_trend(too_few, names).empty


def test_linear_trend_fits_each_periods_nps_and_its_adjusted_wald_error():
    rng = np.random.default_rng(6)
    periods = ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    frame = pd.DataFrame(
        {"period": rng.choice(periods, 1200), "nps": rng.integers(0, 11, 1200).astype(float), "weight": 1.0}
    )
    result = linear_trend(frame, "nps", periods).iloc[0]
    estimates, errors = [], []
    for period in periods:
        answers = frame.loc[frame["period"] == period, "nps"]
        n, promoters, detractors = len(answers), (answers >= 9).sum(), (answers <= 6).sum()
        estimates.append(100 * (promoters - detractors) / n)
        p, d = (promoters + 0.75) / (n + 3), (detractors + 0.75) / (n + 3)
        errors.append(100 * np.sqrt((p + d - (p - d) ** 2) / (n + 3)))
    slope, se_slope, _ = _random_effects_slope_by_hand(estimates, errors, range(4))
    assert result["slope_per_period"] == pytest.approx(slope, rel=1e-9)
    assert result["se"] == pytest.approx(se_slope, rel=1e-9)
    assert result["n"] == 1200


def _period_nps_tables(rng, replications, periods, answers, shock_sd, slope=0.0):
    """Per-period NPS estimates of simulated programs with no trend in the answers' probabilities
    beyond ``slope``: each period shifts promoters up and detractors down by a shared normal shock."""
    k = len(periods)
    shock = shock_sd * rng.standard_normal((replications, k)) + slope * np.arange(k)
    probabilities = np.stack([0.45 + shock, 0.25 - shock, 0.30 + 0 * shock], axis=-1)
    counts = rng.multinomial(answers, probabilities)
    sums = pd.DataFrame(
        {
            "n": answers,
            "sum_w": float(answers),
            "sum_w2": float(answers),
            "sum_w_top": counts[..., 0].ravel().astype(float),
            "sum_w_bottom": counts[..., 1].ravel().astype(float),
        }
    )
    estimates = nps_from_statistics(sums).assign(period=np.tile(periods, replications))
    return [estimates.iloc[r * k : (r + 1) * k] for r in range(replications)]


def test_trend_false_positives_stay_at_the_level_under_period_shocks():
    """Eight periods of 300 answers each, period shocks of 3 points on the promoter and detractor shares
    (6 NPS points), no trend: the trend test rejects in 3.5-6.5 % of 2,000 programs (simulation SE 0.5 %)."""
    rng = np.random.default_rng(2024)
    periods = [f"P{i}" for i in range(8)]
    tables = _period_nps_tables(rng, 2000, periods, 300, 0.03)
    p = np.array([period_trend(table, periods).iloc[0]["p_value"] for table in tables])
    assert 0.035 <= (p < 0.05).mean() <= 0.065


def test_trend_finds_a_steady_rise():
    """The same programs with NPS rising 4 points a period (2 points each on promoters and detractors)."""
    rng = np.random.default_rng(7)
    periods = [f"P{i}" for i in range(8)]
    tables = _period_nps_tables(rng, 300, periods, 300, 0.03, slope=0.02)
    rows = pd.concat([period_trend(table, periods) for table in tables])
    assert (rows["p_value"] < 0.05).mean() > 0.8
    assert rows["slope_per_period"].mean() == pytest.approx(4.0, abs=0.3)


@pytest.mark.slow
def test_trend_false_positives_from_the_answers_under_period_shocks():
    """The whole path, from 2,400 answers per program through :func:`linear_trends`, whose row for a
    program is :func:`linear_trend` on that program's answers: 3.5-6.5 % of 2,000."""
    rng = np.random.default_rng(1990)
    periods = [f"P{i}" for i in range(8)]
    codes = np.array([10.0, 3.0, 8.0])  # a promoter, a detractor, a passive answer
    rejected = []
    for batch in range(10):  # 200 programs a batch, each summarised by itself within the batch
        programs = []
        for _ in range(200):
            shock = 0.03 * rng.standard_normal(8)
            programs.append(np.concatenate([rng.choice(codes, 300, p=[0.45 + s, 0.25 - s, 0.30]) for s in shock]))
        frame = pd.DataFrame(
            {
                "program": np.repeat(np.arange(200), 2400),
                "period": np.tile(np.repeat(periods, 300), 200),
                "nps": np.concatenate(programs),
                "weight": 1.0,
            }
        )
        trends = linear_trends(frame, "nps", periods, "program")
        assert trends["program"].tolist() == list(range(200))
        if batch == 0:  # each program's row is linear_trend on its answers alone
            for program in (0, 1, 199):
                alone = linear_trend(frame[frame["program"] == program].drop(columns="program"), "nps", periods)
                pd.testing.assert_frame_equal(
                    trends.iloc[[program]].drop(columns="program").reset_index(drop=True), alone, rtol=1e-12
                )
        rejected.extend(trends["p_value"] < 0.05)
    assert len(rejected) == 2000
    assert 0.035 <= np.mean(rejected) <= 0.065


def test_score_trends_adjust_the_scores_together(sample):
    from statsmodels.stats.multitest import multipletests

    trends = score_trends(sample)
    assert trends["metric"].tolist() == sample.scores
    assert trends["p_adjusted"].tolist() == pytest.approx(multipletests(trends["p_value"], method="holm")[1].tolist())
    nps = linear_trend(sample.responses, "nps", sample.periods, sample.scales, min_n=sample.min_n).iloc[0]
    assert trends.iloc[0]["slope_per_period"] == pytest.approx(nps["slope_per_period"])
    assert (trends["periods"] == len(sample.periods)).all() and (trends["df"] == len(sample.periods) - 2).all()


def test_trend_sentence_names_and_uses_the_adjusted_p():
    row = pd.Series(
        {"metric": "ces", "slope_per_period": 0.08, "ci_low": 0.02, "ci_high": 0.15, "periods": 4,
         "p_value": 0.032, "p_adjusted": 0.097}
    )  # fmt: skip
    sentence = words.trend_test_sentence(row, alpha=0.05)
    assert "adjusted p = 0.097" in sentence and "over 4 periods" in sentence
    assert "no trend beyond the period-to-period variation, once the other scores tested" in sentence
    assert words.trend_test_sentence(row, alpha=0.1).endswith(
        ": a rising trend the period-to-period variation does not explain."
    )
    falling = row.copy()
    falling[["slope_per_period", "ci_low", "ci_high", "p_adjusted"]] = [-2.0, -3.0, -1.0, 0.01]
    assert "a falling trend the period-to-period variation does not explain" in words.trend_test_sentence(
        falling, alpha=0.05
    )
    calm = row.copy()
    calm[["p_value", "p_adjusted"]] = [0.4, 0.8]
    assert words.trend_test_sentence(calm, alpha=0.05).endswith(": no trend beyond the period-to-period variation.")
    alone = words.trend_test_sentence(pd.DataFrame([row.drop("p_adjusted")]), alpha=0.05)
    assert "p = 0.032" in alone and "adjusted" not in alone and "rising trend" in alone


def test_period_helpers():
    assert year_earlier("2025Q3", ["2024Q3", "2025Q2", "2025Q3"]) == "2024Q3"
    assert year_earlier("2025-07", ["2025-06", "2025-07"]) is None
    assert last_year([f"2024Q{q}" for q in range(1, 5)] + ["2025Q1"]) == ["2024Q2", "2024Q3", "2024Q4", "2025Q1"]


def test_year_earlier_comparison_is_made_when_the_data_has_it(sample):
    responses = sample.responses.copy()
    earlier = responses.assign(period=responses["period"].str.replace("2025", "2024"))
    sample_two_years = open_client(SAMPLE_CONFIG)
    sample_two_years.__dict__["responses"] = pd.concat([earlier, responses], ignore_index=True)
    changes = period_changes(sample_two_years, ["nps"])
    assert set(changes["comparison"]) == {"previous period", "a year earlier"}
    assert changes.loc[changes["comparison"] == "a year earlier", "baseline"].iloc[0] == "2024Q4"


def test_planted_region_gap_is_detected_and_null_segments_are_not(sample):
    truth = yaml.safe_load((SAMPLE_CONFIG.parent / "truth.yml").read_text(encoding="utf-8"))
    segments = segment_differences(sample, sample.scores, ["region", "customer_type", "channel"])
    nord = segments[(segments["metric"] == "nps") & (segments["level"] == "Nord")].iloc[0]
    assert nord["verdict"] == "significant decline"
    gap = truth["regional_difference"]["gap_nps_points"]
    assert nord["ci_low"] <= -gap <= nord["ci_high"] < 0  # the planted gap inside, zero outside
    flagged = segments[segments["verdict"].str.startswith("significant")]
    assert not flagged["dimension"].eq("customer_type").any()
    assert not flagged["level"].isin(["E-mail", "SMS"]).any()


def test_planted_delivery_recovery_is_a_significant_improvement(sample):
    changes = period_changes(sample, ["csat"], by=[None, "touchpoint"])
    delivery = changes[changes["level"] == "Delivery"].iloc[0]
    assert delivery["verdict"] == "significant improvement"  # 2025Q3 drop, back in 2025Q4


def test_result_tables_have_the_documented_columns(sample):
    metrics = metric_table(sample)
    assert list(metrics.columns) == METRIC_TABLE_COLUMNS
    assert set(metrics["metric"]) == {"nps", "csat", "csat_mean", "ces", "ces_easy"}
    assert {"all", "touchpoint", "region", "customer_type", "channel", "survey"} <= set(metrics["dimension"])
    assert metrics.loc[metrics["suppressed"], "estimate"].isna().all()
    table = comparisons_table(period_changes(sample, sample.scores), segment_differences(sample, ["nps"], ["region"]))
    assert list(table.columns) == COMPARISON_COLUMNS
    assert table["verdict"].notna().all()


def test_grouped_shares_equal_single_group_wilson(sample):
    metrics = metric_table(sample)
    row = metrics[
        (metrics["metric"] == "csat")
        & (metrics["dimension"] == "touchpoint")
        & (metrics["level"] == "Store")
        & (metrics["period"] == "2025Q2")
    ].iloc[0]
    answers = sample.responses
    answers = answers[(answers["touchpoint"] == "Store") & (answers["period"] == "2025Q2") & answers["csat"].notna()]
    # The sample's responses carry raking weights (weighting in client.yml): the sums are of those weights.
    w, top = answers["weight"], answers["csat"] >= 4
    one = share_from_statistics(
        pd.DataFrame(
            {
                "n": [len(answers)],
                "sum_w": [w.sum()],
                "sum_w2": [(w**2).sum()],
                "sum_w_top": [w[top].sum()],
                "sum_w2_top": [(w[top] ** 2).sum()],
            }
        ),
        "csat",
    ).iloc[0]
    assert (row["estimate"], row["ci_low"], row["ci_high"]) == pytest.approx(
        (one["estimate"], one["ci_low"], one["ci_high"]), rel=1e-12
    )
