"""Monitoring: p-chart limits, weekly grain, the alert list and the early warning on NPS."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cxanalysis as cx
from cxanalysis import monitoring


@pytest.fixture(scope="module")
def sample():
    return cx.open_client(None)


def test_p_chart_limits_follow_each_periods_n():
    chart = monitoring.p_chart(pd.Series([20, 10, 45]), pd.Series([100, 50, 100]), pd.Series(["a", "b", "c"]))
    p_bar = 75 / 250
    for row, n in zip(chart.itertuples(), (100, 50, 100)):
        half = 300 * np.sqrt(p_bar * (1 - p_bar) / n)
        assert (row.lower_limit, row.upper_limit) == pytest.approx((100 * p_bar - half, 100 * p_bar + half))
    assert list(chart["signal"]) == ["", "", "above"]


def test_weekly_grain_counts_every_answer(sample):
    weekly = monitoring.share_by_period(sample.responses, "nps", at_most=6, grain="week")
    monthly = monitoring.share_by_period(sample.responses, "nps", at_most=6, grain="month")
    assert weekly["n"].sum() == monthly["n"].sum() == sample.responses["nps"].notna().sum()
    assert weekly["count"].sum() == (sample.responses["nps"] <= 6).sum()
    assert weekly["period"].str.match(r"^\d{4}-W\d{2}$").all() and len(weekly) >= 52


def test_alerts_list_points_outside_their_limits():
    calm = monitoring.p_chart(pd.Series([20, 21, 19]), pd.Series([100, 100, 100]), pd.Series(["m1", "m2", "m3"]))
    jump = monitoring.p_chart(pd.Series([20, 21, 60]), pd.Series([100, 100, 100]), pd.Series(["m1", "m2", "m3"]))
    table = monitoring.alerts({"calm": calm, "jump": jump})
    assert table[["chart", "period", "signal"]].values.tolist() == [["jump", "m3", "above"]]


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
    calm = monitoring.nps_early_warning(sample, months=6).iloc[0]
    assert calm["ci_low"] <= 0 <= calm["ci_high"] and not calm["warning"]
