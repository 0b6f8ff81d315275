"""Monitoring: p-chart and Laney p′ chart limits, the alert list, the early warning on NPS, and their
false-alarm rates and power in simulated programs."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import cxanalysis as cx
from cxanalysis import monitoring, words

#: A stable process puts a point outside 3-sigma limits with probability 2 (1 - Phi(3)) per period.
NOMINAL_PER_YEAR = 1 - (1 - 2 * stats.norm.sf(3)) ** 12


@pytest.fixture(scope="module")
def sample():
    return cx.open_client(None)


def _chart(counts, totals):
    return monitoring.p_chart(pd.Series(counts), pd.Series(totals), pd.Series([f"m{i}" for i in range(len(counts))]))


def test_binomial_months_get_a_p_chart_with_limits_that_follow_each_periods_n():
    counts, totals = [20, 11, 22, 19, 10, 21], [100, 50, 100, 100, 50, 100]
    chart = _chart(counts, totals)
    p_bar = sum(counts) / sum(totals)
    z = [(x / n - p_bar) / np.sqrt(p_bar * (1 - p_bar) / n) for x, n in zip(counts, totals)]
    sigma_z = np.mean(np.abs(np.diff(z))) / 1.128
    assert sigma_z <= 1 and chart["sigma_z"].iloc[0] == pytest.approx(sigma_z)
    assert (chart["chart"] == "p").all()
    for row, n in zip(chart.itertuples(), totals):
        half = 300 * np.sqrt(p_bar * (1 - p_bar) / n)
        assert (row.lower_limit, row.upper_limit) == pytest.approx((100 * p_bar - half, 100 * p_bar + half))


def test_overdispersed_months_get_laneys_limits():
    counts, totals = [180, 230, 150, 260, 200, 120, 240], [1000, 1000, 800, 1200, 1000, 700, 1100]
    chart = _chart(counts, totals)
    p_bar = sum(counts) / sum(totals)
    sigma = np.sqrt(p_bar * (1 - p_bar) / np.array(totals))
    z = (np.array(counts) / np.array(totals) - p_bar) / sigma
    sigma_z = np.abs(np.diff(z)).mean() / 1.128
    assert sigma_z > 1 and (chart["chart"] == "Laney p′").all()
    assert chart["sigma_z"].iloc[0] == pytest.approx(sigma_z)
    assert chart["upper_limit"].to_numpy() == pytest.approx(100 * (p_bar + 3 * sigma * sigma_z))
    assert chart["lower_limit"].to_numpy() == pytest.approx(100 * (p_bar - 3 * sigma * sigma_z))


def test_weekly_grain_counts_every_answer(sample):
    weekly = monitoring.share_by_period(sample.responses, "nps", at_most=6, grain="week")
    monthly = monitoring.share_by_period(sample.responses, "nps", at_most=6, grain="month")
    assert weekly["n"].sum() == monthly["n"].sum() == sample.responses["nps"].notna().sum()
    assert weekly["count"].sum() == (sample.responses["nps"] <= 6).sum()
    assert weekly["period"].str.match(r"^\d{4}-W\d{2}$").all() and len(weekly) >= 52


#: Months that vary less than sampling would make them, then one jump: a p-chart (sigma_z below 1) that signals.
STEADY = [200, 203, 198, 201, 199, 202, 200, 197, 201, 199, 203, 200, 198, 201, 202, 199, 200]


def test_alerts_list_points_outside_their_limits_with_the_chart_they_broke():
    calm = _chart([200, 210, 190, 205, 195, 200, 198, 202], [1000] * 8)
    jump = _chart([200, 210, 190, 205, 195, 200, 198, 300], [1000] * 8)
    steady = _chart([*STEADY, 265], [1000] * 18)
    table = monitoring.alerts({"calm": calm, "jump": jump, "steady": steady})
    assert table[["chart", "period", "signal", "chart_type"]].values.tolist() == [
        ["jump", "m7", "above", "Laney p′"],  # the jump widens the limits, and still lies beyond them
        ["steady", "m17", "above", "p"],  # latest first: periods sort as text ("m7" after "m17")
    ]
    assert monitoring.alerts({"calm": calm}).columns.tolist() == monitoring.ALERT_COLUMNS


def test_control_and_alert_sentences_name_the_chart_and_the_rule():
    jump = _chart([*STEADY, 265], [1000] * 18)
    reading = words.control_sentence(jump, "Share of detractors")
    assert "limits are those of a p-chart" in words.control_limits_text(jump)
    assert "m17 at 26.5 %, above its upper control limit" in reading
    assert "Signal: " in reading and "that month." in reading and "chance" not in reading
    assert not re.search("σ|sigma|p-chart|Laney", reading)  # the chart's name and rule are in its table's caption
    wide = _chart([180, 230, 150, 260, 200, 120, 240], [1000, 1000, 800, 1200, 1000, 700, 1100])
    assert "Laney p′ chart" in words.control_limits_text(wide, "week")
    assert words.control_limits_text(wide, "week").startswith("the weeks vary")
    one = monitoring.alerts({"Share of detractors": jump})
    text = words.alerts_sentence(one, pd.DataFrame())
    assert text.startswith("1 point lies outside its control limits: Share of detractors in m17, above the upper")
    two = monitoring.alerts({"A": jump, "B": jump})
    assert words.alerts_sentence(two, pd.DataFrame()).startswith("2 points lie outside their control limits")


def test_early_warning_fires_on_a_falling_nps(sample):
    month = sample.responses["submitted_at"].dt.month
    falling = sample.responses.copy()
    # turn a growing share of each month's promoters into detractors from July on
    rng = np.random.default_rng(2)
    late = (month >= 7) & (falling["nps"] >= 9) & (rng.random(len(falling)) < (month - 6) / 8)
    falling.loc[late, "nps"] = 2
    client = cx.open_client(None)
    client.__dict__["responses"] = falling
    warning = monitoring.nps_early_warning(client, months=6).iloc[0]
    assert warning["warning"] and warning["slope_per_period"] < 0
    assert "**Early warning: NPS is falling**" in words.alerts_sentence(pd.DataFrame(), pd.DataFrame([warning]))
    calm = monitoring.nps_early_warning(sample, months=6).iloc[0]
    assert calm["ci_low"] <= 0 <= calm["ci_high"] and not calm["warning"]
    assert (calm["periods"], calm["df"], calm["first_month"]) == (6, 4, "2025-07")


def _monthly_programs(rng, replications, months, answers, shock_sd):
    """Answers to NPS of stable programs: every month shares a normal shock that moves promoters up and
    detractors down by the same amount, and no month differs from the others in expectation."""
    codes = np.array([10.0, 3.0, 8.0])  # a promoter, a detractor, a passive answer
    days = np.repeat(pd.date_range("2025-01-15", periods=months, freq="MS") + pd.Timedelta(days=14), answers)
    for _ in range(replications):
        shock = shock_sd * rng.standard_normal(months)
        nps = np.concatenate([rng.choice(codes, answers, p=[0.45 + s, 0.25 - s, 0.30]) for s in shock])
        yield pd.DataFrame({"submitted_at": days, "nps": nps, "weight": 1.0})


def _false_warnings(replications: int, seed: int, batch: int = 200) -> float:
    """Share of programs warned, judged a batch of programs at a time: each program's row of
    :func:`monitoring.early_warnings` is :func:`monitoring.early_warning` on its answers alone, as the
    first programs check."""
    rng = np.random.default_rng(seed)
    programs = list(_monthly_programs(rng, replications, 6, 200, 0.03))
    warnings = []
    for start in range(0, replications, batch):
        part = programs[start : start + batch]
        responses = pd.concat([frame.assign(program=i) for i, frame in enumerate(part)], ignore_index=True)
        rows = monitoring.early_warnings(responses, "program", 6, alpha=0.05)
        assert rows["program"].tolist() == list(range(len(part)))
        if start == 0:
            for i in (0, len(part) - 1):
                alone = monitoring.early_warning(part[i], 6, alpha=0.05)
                pd.testing.assert_frame_equal(rows.iloc[[i]].drop(columns="program").reset_index(drop=True), alone)
        warnings.extend(rows["warning"])
    assert len(warnings) == replications
    return float(np.mean(warnings))


def test_early_warning_false_alarms_stay_near_half_the_level():
    """Six months of 200 answers with month shocks of 6 NPS points and no trend: the warning is a
    one-sided test at alpha / 2 = 2.5 %. 300 programs (simulation SE 0.9 %) keep this test fast."""
    assert _false_warnings(300, 11) <= 0.05


@pytest.mark.slow
def test_early_warning_false_alarms_stay_near_half_the_level_in_2000_programs():
    """As above with 2,000 programs (simulation SE 0.35 %): 1.5-3.6 %."""
    assert 0.015 <= _false_warnings(2000, 12) <= 0.036


def _chart_years(rng, replications, answers, share, shock_sd, jump=0.0):
    """Twelve months of a share (detractors, say) with month-to-month variation beyond sampling
    (normal, sd ``shock_sd``); ``jump`` is added to the last month."""
    totals = rng.poisson(answers, (replications, 12))
    shares = np.clip(share + shock_sd * rng.standard_normal((replications, 12)), 0.01, 0.99)
    shares[:, -1] += jump
    counts = rng.binomial(totals, shares)
    return [_chart(c, n) for c, n in zip(counts, totals)]


def test_laney_chart_false_alarms_stay_below_the_nominal_rate_of_a_stable_overdispersed_process():
    """300 answers a month, a 25 % share that varies by 3 points from month to month beyond sampling:
    the p-chart alarms in most years, the chart used here in fewer than 1 - 0.9973^12 = 3.2 %."""
    rng = np.random.default_rng(2002)
    years = _chart_years(rng, 1000, 300, 0.25, 0.03)
    alarmed = np.mean([(chart["signal"] != "").any() for chart in years])
    assert alarmed <= NOMINAL_PER_YEAR
    assert np.mean([(chart["chart"] == "Laney p′").all() for chart in years]) > 0.9
    # the same years on plain p-chart limits, typed here
    plain = [
        (np.abs(c["share"] - c["centre"]) > 300 * np.sqrt(c["centre"] / 100 * (1 - c["centre"] / 100) / c["n"])).any()
        for c in years
    ]
    assert np.mean(plain) > 0.3


def test_laney_chart_signals_a_ten_point_jump():
    """1,000 answers a month, a 20 % share varying by 1 point beyond sampling, and the latest month
    10 points higher: the chart flags that month above its upper limit in at least 80 % of years."""
    rng = np.random.default_rng(10)
    years = _chart_years(rng, 500, 1000, 0.20, 0.01, jump=0.10)
    flagged = np.mean([chart["signal"].iloc[-1] == "above" for chart in years])
    assert flagged >= 0.8
