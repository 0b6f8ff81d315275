"""Comparisons, power, verdicts, mix and trend: against references and against the sample's planted truths."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

from conftest import SAMPLE_CONFIG
from cxanalysis import open_client
from cxanalysis.compare import minimum_detectable_change, responses_needed, verdicts
from cxanalysis.measurement import METRIC_TABLE_COLUMNS, metric_table
from cxanalysis.metrics import share_from_statistics
from cxanalysis.significance import (
    COMPARISON_COLUMNS,
    adjust_p_values,
    comparisons_table,
    last_year,
    linear_trend,
    nps_mix_test,
    period_changes,
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


def test_trend_slope_and_hc3_error_by_hand():
    rng = np.random.default_rng(6)
    periods = ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    frame = pd.DataFrame(
        {"period": rng.choice(periods, 400), "ces": rng.integers(1, 8, 400).astype(float), "weight": 1.0}
    )
    result = linear_trend(frame, "ces", periods).iloc[0]
    x = frame["period"].map({p: i for i, p in enumerate(periods)}).to_numpy(dtype=float)
    X = np.column_stack([np.ones_like(x), x])
    y = frame["ces"].to_numpy()
    beta = np.linalg.solve(X.T @ X, X.T @ y)
    residual = y - X @ beta
    bread = np.linalg.inv(X.T @ X)
    leverage = np.einsum("ij,jk,ik->i", X, bread, X)
    meat = X.T @ (X * (residual**2 / (1 - leverage) ** 2)[:, None])
    se = np.sqrt((bread @ meat @ bread)[1, 1])
    assert result["slope_per_period"] == pytest.approx(beta[1], rel=1e-9)
    assert result["p_value"] == pytest.approx(2 * stats.norm.sf(abs(beta[1] / se)), rel=1e-6)


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
    one = share_from_statistics(
        pd.DataFrame(
            {
                "n": [len(answers)],
                "sum_w": [float(len(answers))],
                "sum_w2": [float(len(answers))],
                "sum_w_top": [float((answers["csat"] >= 4).sum())],
            }
        ),
        "csat",
    ).iloc[0]
    assert (row["estimate"], row["ci_low"], row["ci_high"]) == pytest.approx(
        (one["estimate"], one["ci_low"], one["ci_high"]), rel=1e-12
    )
