"""The pitfalls chapter 5 teaches hold: the mix decomposition against its formula typed separately and on a
constructed Simpson's paradox, the regression-to-the-mean simulation against its theory, and NPS's
weaknesses against their definitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import cxanalysis as cx
from cxanalysis import pitfalls

RANDOM = np.random.default_rng(5)


@pytest.fixture(scope="module")
def sample():
    return cx.open_client(None)


def test_the_decomposition_adds_up_and_equals_kitagawa_s_formula():
    for k in (2, 3, 7):
        share_b, share_a = RANDOM.uniform(1, 5, k), RANDOM.uniform(1, 5, k)
        y_b, y_a = RANDOM.uniform(40, 95, k), RANDOM.uniform(40, 95, k)
        parts = pitfalls.mix_decomposition(list(range(k)), share_b, y_b, share_a, y_a)
        totals = pitfalls.decomposition_totals(parts)
        s_b, s_a = share_b / share_b.sum(), share_a / share_a.sum()
        # typed separately: within = Σ (s_a + s_b)/2 (y_a − y_b), mix = Σ (y_a + y_b)/2 (s_a − s_b)
        within = sum((s_a[i] + s_b[i]) / 2 * (y_a[i] - y_b[i]) for i in range(k))
        mix = sum((y_a[i] + y_b[i]) / 2 * (s_a[i] - s_b[i]) for i in range(k))
        overall_b, overall_a = float(np.dot(s_b, y_b)), float(np.dot(s_a, y_a))
        assert totals["within"] == pytest.approx(within, abs=1e-10)
        assert totals["mix"] == pytest.approx(mix, abs=1e-10)
        assert totals["change"] == pytest.approx(overall_a - overall_b, abs=1e-10)
        assert totals["within"] + totals["mix"] == pytest.approx(totals["change"], abs=1e-10)


def test_with_the_mix_held_the_change_is_all_within_and_with_the_scores_held_all_mix():
    held_mix = pitfalls.decomposition_totals(pitfalls.mix_decomposition(["a", "b"], [1, 3], [60, 80], [1, 3], [65, 70]))
    assert held_mix["mix"] == pytest.approx(0) and held_mix["within"] == pytest.approx(held_mix["change"])
    held_scores = pitfalls.decomposition_totals(
        pitfalls.mix_decomposition(["a", "b"], [1, 3], [60, 80], [3, 1], [60, 80])
    )
    assert held_scores["within"] == pytest.approx(0) and held_scores["mix"] == pytest.approx(-10)


def test_the_constructed_example_falls_overall_while_every_segment_rises():
    parts = pitfalls.constructed_mix()
    totals = pitfalls.decomposition_totals(parts)
    assert (parts["estimate_a"] > parts["estimate_b"]).all()
    assert totals["change"] < 0 < totals["within"] and totals["mix"] < totals["change"]
    assert totals["overall_b"] == pytest.approx(0.8 * 90 + 0.2 * 60)
    assert totals["overall_a"] == pytest.approx(0.4 * 92 + 0.6 * 62)


def test_the_sample_s_decompositions_add_up_to_each_breakdown_s_overall_change(sample):
    table = pitfalls.segment_mix_changes(sample, "csat")
    assert len(table) >= 6 and table["mix"].abs().is_monotonic_decreasing
    assert np.allclose(table["within"] + table["mix"], table["change"])
    overall = sample.summarise("csat", ["period"]).set_index("period")["estimate"]
    # every CSAT answer of the sample has a touchpoint, so its breakdown recomposes the overall score
    touchpoint = table[table["dimension"] == "touchpoint"]
    for row in touchpoint.itertuples():
        assert row.overall_b == pytest.approx(overall[row.baseline], abs=1e-9)
        assert row.overall_a == pytest.approx(overall[row.current], abs=1e-9)
        parts = pitfalls.segment_mix(sample, "csat", "touchpoint", row.baseline, row.current)
        assert parts["mix"].sum() == pytest.approx(row.mix, abs=1e-12)


def test_the_worst_of_stable_segments_improves_as_order_statistics_predict():
    result = pitfalls.worst_segment_next_period(5, 100, 0.7, draws=40_000)
    # nothing changes: next period the picked segment is an ordinary draw around the true share
    assert result["worst_next"] == pytest.approx(70, abs=0.15)
    # the expected minimum of 5 normal draws is 1.163 standard deviations below the mean
    sd = 100 * np.sqrt(0.7 * 0.3 / 100)
    assert result["worst_now"] == pytest.approx(70 - 1.163 * sd, abs=0.3)
    assert result["change"] == pytest.approx(result["worst_next"] - result["worst_now"], abs=1e-9)
    assert result["improved"] > 75
    # one segment cannot be picked for being worst: no regression
    alone = pitfalls.worst_segment_next_period(1, 100, 0.7, draws=40_000)
    assert alone["change"] == pytest.approx(0, abs=0.2)


def test_the_simulation_uses_the_sample_s_sizes(sample):
    segments, answers, share = pitfalls.simulation_inputs(sample)
    assert segments == 8 and 50 < answers < 200
    assert share == pytest.approx(sample.summarise("csat")["estimate"].iloc[0] / 100)


def test_many_tests_raise_false_alarms_as_the_binomial_says():
    result = pitfalls.many_tests(20, 0.05)
    assert result["expected"] == pytest.approx(1.0)
    assert result["at_least_one"] == pytest.approx(100 * (1 - stats.binom.pmf(0, 20, 0.05)))


def test_the_nps_mixes_keep_their_definitions():
    answers = pd.Series(RANDOM.integers(0, 11, 500))
    mixes = pitfalls.nps_mixes(answers).set_index("mix")
    p, d = (answers >= 9).mean(), (answers <= 6).mean()
    measured = mixes.loc["measured"]
    assert measured["nps"] == pytest.approx(100 * (p - d))
    assert measured["promoters"] + measured["passives"] + measured["detractors"] == pytest.approx(100)
    # the standard deviation of one answer scored +100 / 0 / −100
    scored = np.select([answers >= 9, answers <= 6], [100, -100], 0)
    assert measured["sd"] == pytest.approx(np.std(scored), rel=1e-12)
    assert measured["se"] == pytest.approx(np.std(scored) / np.sqrt(len(answers)), rel=1e-12)
    # the same NPS without passives has a larger variance
    same = mixes.loc["no_passives"]
    assert same["nps"] == pytest.approx(measured["nps"]) and same["passives"] == pytest.approx(0)
    assert same["sd"] > measured["sd"]
    assert mixes.loc["promoters_from_lower", "promoters"] == pytest.approx(100 * (answers >= 8).mean())
    assert mixes.loc["detractors_to_lower", "detractors"] == pytest.approx(100 * (answers <= 5).mean())
