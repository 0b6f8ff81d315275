"""One reading of a headline change everywhere: the chart of the periods that says which period is unusual,
the reading that joins a change, its trend and that chart, and the sample's readings on every page."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

import cxanalysis as cx
from cxanalysis import effects, monitoring, movement, overview, significance
from cxanalysis.compare import VERDICTS
from cxanalysis.rules import top_box_threshold

#: Statisticians' words that stay in the method notes and the tables behind them.
JARGON = re.compile(r"\bp\s*[=<>]|p-value|adjusted p|Holm|R²|VIF|χ²|MDE|σ|z-test|t-test|bootstrap|Welch")


def dersimonian_laird(y: np.ndarray, v: np.ndarray) -> float:
    """The method-of-moments variance between estimates beyond sampling, for a common mean, typed out."""
    w = 1 / v
    mean = np.sum(w * y) / w.sum()
    q = np.sum(w * (y - mean) ** 2)
    return max(0.0, (q - (len(y) - 1)) / (w.sum() - np.sum(w**2) / w.sum()))


def summary(estimates, ses, metric="csat", periods=("Q1", "Q2", "Q3", "Q4")):
    return pd.DataFrame({"period": list(periods), "metric": metric, "n": 500, "estimate": estimates, "se": ses})


@pytest.mark.parametrize(
    "estimates, ses",
    [
        ([73.7, 73.0, 68.1, 74.7], [1.5, 1.5, 1.6, 1.4]),  # the others agree: no variation beyond sampling
        ([60.0, 70.0, 64.0, 75.0, 58.0], [1.2, 1.5, 1.1, 1.3, 1.4]),  # periods that vary beyond sampling
    ],
)
def test_each_period_is_judged_against_limits_from_the_other_periods(estimates, ses):
    periods = [f"P{i}" for i in range(len(estimates))]
    chart = monitoring.period_chart(summary(estimates, ses, periods=periods))
    y, v = np.array(estimates), np.array(ses) ** 2
    for i, row in enumerate(chart.itertuples()):
        others = np.arange(len(y)) != i
        tau2 = dersimonian_laird(y[others], v[others])
        w = 1 / (v[others] + tau2)
        centre = np.sum(w * y[others]) / w.sum()
        half = 3 * np.sqrt(v[i] + tau2 + 1 / w.sum())
        assert row.tau2 == pytest.approx(tau2)
        assert row.centre == pytest.approx(centre)
        assert (row.lower_limit, row.upper_limit) == pytest.approx((centre - half, centre + half))
        assert row.signal == ("below" if y[i] < centre - half else "above" if y[i] > centre + half else "")


def test_the_dip_is_unusual_and_a_period_without_two_others_has_no_limits():
    chart = monitoring.period_chart(summary([73.7, 73.0, 68.1, 74.7], [1.5, 1.5, 1.6, 1.4]))
    assert chart["signal"].tolist() == ["", "", "below", ""]
    short = monitoring.period_chart(summary([70.0, 60.0, np.nan], [1.5, 1.5, np.nan], periods=("Q1", "Q2", "Q3")))
    assert short["lower_limit"].isna().all() and (short["signal"] == "").all()


def test_a_steady_score_signals_in_about_three_periods_in_a_thousand():
    rng = np.random.default_rng(7)
    se = np.array([1.5, 1.4, 1.6, 1.5])
    signals = sum(
        (monitoring.period_chart(summary(70 + rng.normal(0, se), se))["signal"] != "").sum() for _ in range(3000)
    )
    # 12 000 periods judged: at most twice the nominal 2 (1 - Φ(3)) = 0.27 %, the other three periods being few
    assert signals / 12_000 < 0.006


def rounded(value: float, low: float, high: float) -> str:
    """A number as the report rounds it with its interval, the rule typed apart from the package: one
    significant digit of the half-width, two when that digit is 1."""
    half = (high - low) / 2
    exponent = math.floor(math.log10(half))
    return f"{value:.{max(0, -exponent + (1 if half / 10**exponent < 2 else 0))}f}".replace("-", "\u2212")


def change(difference, verdict, *, before=68.1, mde=4.0, metric="csat"):
    return pd.Series(
        {
            "metric": metric,
            "baseline": "2025Q3",
            "current": "2025Q4",
            "estimate_b": before,
            "estimate_a": before + difference,
            "difference": difference,
            "ci_low": difference - 4,
            "ci_high": difference + 4,
            "mde": mde,
            "verdict": verdict,
        }
    )


def chart(signals):
    return pd.DataFrame({"period": ["2025Q1", "2025Q2", "2025Q3", "2025Q4"], "signal": signals})


def trend(slope, p, p_adjusted):
    return pd.Series(
        {"metric": "csat", "slope_per_period": slope, "ci_low": slope - 1, "ci_high": slope + 1, "p_value": p,
         "p_adjusted": p_adjusted, "periods": 4}
    )  # fmt: skip


def test_a_rise_after_an_unusual_dip_is_a_rebound_whatever_its_test_says():
    reading = movement.movement_reading(
        change(6.6, VERDICTS[0]), trend(-0.2, 0.9, 0.9), chart(["", "", "below", ""]), alpha=0.05
    )
    assert reading.kind == "rebound" and reading.verdict == "back from an unusual low"
    # a change of 6.6 with a half-width of 4 reads as 7
    assert reading.text.startswith("CSAT (% satisfied) is back from an unusually low 2025Q3: up 7 percentage points")
    assert "likely real, but it undoes the dip" in reading.text
    assert "2025Q4 is within the ordinary variation of the other quarters" in reading.text
    assert reading.text.endswith("Over 4 quarters: no sustained trend.")
    fall = movement.movement_reading(change(-6.6, VERDICTS[1]), None, chart(["", "", "above", ""]), alpha=0.05)
    assert fall.kind == "rebound" and fall.verdict == "back from an unusual high" and "undoes the peak" in fall.text


def test_a_rebound_past_the_usual_level_says_so():
    reading = movement.movement_reading(change(12.0, VERDICTS[0]), None, chart(["", "", "below", "above"]), alpha=0.05)
    assert reading.kind == "rebound" and "2025Q4 is unusually high in turn." in reading.text
    assert "ordinary variation" not in reading.text


def test_a_fall_after_an_unusual_dip_is_no_rebound():
    reading = movement.movement_reading(change(-6.6, VERDICTS[1]), None, chart(["", "", "below", ""]), alpha=0.05)
    assert reading.kind == "change" and reading.verdict == movement.PLAIN_VERDICTS[VERDICTS[1]]


def test_an_unusual_latest_period_is_named():
    reading = movement.movement_reading(change(9.0, VERDICTS[0]), None, chart(["", "", "", "above"]), alpha=0.05)
    assert reading.kind == "unusual" and reading.verdict == "unusually high"
    assert "2025Q4 is unusually high against the other quarters" in reading.text


def test_a_real_change_within_ordinary_variation_and_without_a_trend_says_so():
    reading = movement.movement_reading(
        change(5.0, VERDICTS[0]), trend(0.1, 0.6, 0.6), chart(["", "", "", ""]), alpha=0.05
    )
    assert reading.verdict == "likely a real rise"
    assert "though 2025Q4 is still within the ordinary variation of the other quarters" in reading.text
    assert "One period's change is not yet a new direction. Over 4 quarters: no sustained trend." in reading.text
    steady = movement.movement_reading(change(5.0, VERDICTS[0]), trend(2.0, 0.001, 0.003), None, alpha=0.05)
    assert "not yet a new direction" not in steady.text
    assert steady.text.endswith("Over 4 quarters: likely a real upward trend, +2.0 a quarter (95 % CI +1.0 to +3.0).")


@pytest.mark.parametrize("verdict", VERDICTS)
def test_the_verdict_words_are_the_plain_verdicts(verdict):
    difference = -3.0 if verdict == VERDICTS[1] else 3.0
    reading = movement.movement_reading(change(difference, verdict, mde=12.4), None, None, alpha=0.05)
    assert reading.verdict == movement.PLAIN_VERDICTS[verdict]
    assert f": {movement.PLAIN_VERDICTS[verdict]}" in reading.text
    assert ("a change of about 12 percentage points or more" in reading.text) == (verdict == VERDICTS[3])
    assert not JARGON.search(reading.text)


def test_trend_words_follow_the_adjusted_and_the_own_test():
    assert movement.trend_words(trend(1.0, 0.01, 0.02), alpha=0.05) == "likely a real upward trend"
    assert movement.trend_words(trend(-1.0, 0.01, 0.2), alpha=0.05).startswith("a possible downward trend")
    assert movement.trend_words(trend(1.0, 0.3, 0.6), alpha=0.05) == "no sustained trend"
    assert movement.trend_words(None, alpha=0.05) == "no sustained trend"


# The sample client


@pytest.fixture(scope="module")
def sample():
    return cx.open_client(None)


@pytest.fixture(scope="module")
def headline(sample):
    return overview.headline_table(sample)


def test_the_summary_and_chapters_5_and_8_read_each_headline_change_alike(sample, headline):
    summary_page = dict(zip(headline["metric"], headline["change_reading"]))
    # chapter 5 passes its own comparisons (every breakdown) and trends; chapter 8 lets the function compute them
    chapter_5 = movement.headline_movements(
        sample, significance.breakdown_changes(sample), significance.score_trends(sample)
    )
    chapter_8 = movement.headline_movements(sample)
    assert [m.metric for m in chapter_5] == [m.metric for m in chapter_8] == list(summary_page) == sample.scores
    for five, eight in zip(chapter_5, chapter_8):
        assert five == eight
        assert summary_page[five.metric] == five.text
    verdicts = dict(zip(headline["metric"], headline["change_verdict"]))
    assert verdicts == {m.metric: m.verdict for m in chapter_5}


def test_the_sample_csat_rise_reads_as_a_rebound_from_an_unusual_2025q3(sample, headline):
    # Independently: each quarter's share of satisfied answers and its binomial error, and Q3 against the rest.
    top = top_box_threshold(sample.scales["csat"])
    answered = sample.responses[sample.responses["csat"].notna()]
    quarters = answered.groupby("period")["csat"].agg(lambda x: (x >= top).mean()) * 100
    n = answered.groupby("period").size()
    se = np.sqrt(quarters * (100 - quarters) / n)
    others = quarters.index != "2025Q3"
    y, v = quarters[others].to_numpy(), se[others].to_numpy() ** 2
    tau2 = dersimonian_laird(y, v)
    w = 1 / (v + tau2)
    lower = np.sum(w * y) / w.sum() - 3 * np.sqrt(se["2025Q3"] ** 2 + tau2 + 1 / w.sum())
    assert quarters["2025Q3"] < lower
    csat = headline.set_index("metric").loc["csat"]
    assert csat["change_kind"] == "rebound" and csat["change_verdict"] == "back from an unusual low"
    rise = rounded(csat["change"], csat["change_ci_low"], csat["change_ci_high"])
    assert csat["change_reading"].startswith(f"CSAT (% satisfied) is back from an unusually low 2025Q3: up {rise}")
    # the trend over the four quarters is no sustained trend: its adjusted p is far above the level
    trends = significance.score_trends(sample).set_index("metric")
    assert trends.loc["csat", "p_adjusted"] >= sample.alpha
    assert "no sustained trend" in csat["change_reading"]


def test_the_summary_gives_the_ces_improvement_and_the_support_centre_change(sample, headline):
    good = overview.good_news(sample, headline)
    trend = significance.score_trends(sample).set_index("metric").loc["ces"]
    assert trend["slope_per_period"] > 0 and trend["p_value"] < sample.alpha
    ces = [line for line in good if line.startswith("**CES (mean)")]
    assert len(ces) == 1 and f"up {trend['slope_per_period']:.2f} a quarter over 4 quarters" in ces[0]
    logged = effects.action_effects(sample)
    csat_effect = logged[logged["metric"] == "csat"].iloc[0]
    # Four regions cannot tell the change's effect from chance: promising, not good news yet.
    assert (logged["verdict"] == effects.TOO_FEW_UNITS).all()
    assert not [line for line in good if "support centre" in line]
    support = [line for line in overview.promising_changes(sample) if "support centre" in line]
    assert len(support) == 1 and "too few comparison groups to tell" in support[0]
    low, high = csat_effect["ci_low"], csat_effect["ci_high"]
    rise = rounded(csat_effect["effect"], low, high)
    assert f"CSAT % rose {rise} percentage points more than in the other regions" in support[0]
    assert f"effects from {rounded(low, low, high)}" in support[0]


def test_the_summary_sentences_speak_a_leaders_language(sample, headline):
    lines = (
        overview.headline_sentences(headline)
        + overview.good_news(sample, headline)
        + overview.promising_changes(sample)
    )
    assert lines and not [line for line in lines if JARGON.search(line)]
    assert "adjusted_p" not in overview.headline_display(headline)


def test_a_change_too_small_to_show_at_its_precision_barely_moved():
    # CES 5.07 to 5.10 with an interval of -0.2 to +0.3 shows at one decimal, where the change is 0.0.
    tiny = change(0.03, VERDICTS[3], before=5.07, mde=0.4, metric="ces")
    tiny[["ci_low", "ci_high"]] = -0.2, 0.26
    reading = movement.movement_reading(tiny, None, None, alpha=0.05)
    assert reading.text.startswith("CES (mean) barely moved from 5.07 in 2025Q3 to 5.10 in 2025Q4")
    assert "0.0" not in reading.text
    steady = movement.movement_reading(change(0.0, VERDICTS[2]), None, None, alpha=0.05)
    assert steady.text.startswith("CSAT (% satisfied) did not move from")


def test_the_first_readings_of_the_chapters_speak_a_leaders_language(sample):
    """The readings that open the journey, drivers and monitoring chapters leave test names and symbols
    to the captions and the "How this is computed" notes."""
    from cxanalysis import drivers, touchpoints, words

    importance = drivers.driver_importance(
        sample.responses, "nps", sample.attributes, scale=sample.scales["attributes"], resamples=50
    )
    spots = touchpoints.hot_spots(sample, "csat", sample.latest_period)
    openings = [
        words.hot_spot_sentence(spots, "csat", sample.latest_period),
        words.drivers_sentence(importance, "nps"),
        words.vif_sentence(importance),
        *(words.control_sentence(chart, label) for label, chart in monitoring.watched_shares(sample, "month").items()),
    ]
    assert not [line for line in openings if JARGON.search(line)]
