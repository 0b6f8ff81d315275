"""The effect of logged changes: difference-in-differences and interrupted time series."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy.stats import t as student

import cxanalysis as cx
from conftest import SAMPLE_CONFIG
from cxanalysis import effects
from cxanalysis.config import LoggedAction


@pytest.fixture(scope="module")
def sample():
    return cx.open_client(None)


def test_difference_in_differences_is_the_difference_of_changes_with_clustered_errors():
    rng = np.random.default_rng(8)
    n = 1200
    treated = pd.Series(rng.random(n) < 0.4)
    after = pd.Series(rng.random(n) < 0.5)
    clusters = pd.Series(rng.integers(0, 30, n))
    values = pd.Series(
        5 + 0.3 * treated + 0.2 * after + 0.8 * treated * after + rng.normal(size=n) + rng.normal(size=30)[clusters]
    )
    result = effects.difference_in_differences(values, treated, after, clusters)
    means = values.groupby([treated, after]).mean()
    by_hand = (means[True, True] - means[True, False]) - (means[False, True] - means[False, False])
    assert result["effect"] == pytest.approx(by_hand, abs=1e-9)
    # the cluster-robust sandwich typed out, with statsmodels' small-sample factor
    x = np.column_stack([np.ones(n), treated, after, treated & after]).astype(float)
    bread = np.linalg.inv(x.T @ x)
    residual = values.to_numpy() - x @ (bread @ x.T @ values.to_numpy())
    meat = sum(
        np.outer(s, s) for s in (pd.DataFrame(x * residual[:, None]).groupby(clusters.to_numpy()).sum().to_numpy())
    )
    groups, k = 30, 4
    covariance = (groups / (groups - 1)) * ((n - 1) / (n - k)) * bread @ meat @ bread
    half = student.ppf(0.975, groups - 1) * np.sqrt(covariance[3, 3])  # t with clusters - 1 df
    assert (result["ci_low"], result["ci_high"]) == pytest.approx((by_hand - half, by_hand + half), abs=1e-9)


def test_interrupted_time_series_recovers_a_level_shift_and_covers_it():
    rng = np.random.default_rng(4)
    start = pd.Timestamp("2025-07-01")
    covered, estimates = 0, []
    for _ in range(200):
        dates = pd.Series(pd.to_datetime("2025-01-01") + pd.to_timedelta(rng.integers(0, 365, 1500), unit="D"))
        t = (dates - dates.min()).dt.days / 30
        values = pd.Series(60 + 0.2 * t + 8.0 * (dates >= start) + rng.normal(scale=20, size=1500))
        result = effects.interrupted_time_series(values, dates, start)
        estimates.append(result["effect"])
        covered += result["ci_low"] <= 8.0 <= result["ci_high"]
    assert np.mean(estimates) == pytest.approx(8.0, abs=0.6)
    assert 0.88 <= covered / 200 <= 0.99, covered / 200


def test_the_planted_support_centre_intervention_lies_inside_its_interval(sample):
    truth = yaml.safe_load((SAMPLE_CONFIG.parent / "truth.yml").read_text(encoding="utf-8"))["intervention"]
    table = effects.action_effects(sample).set_index("metric")
    assert table["method"].str.startswith("difference-in-differences").all()
    ces, csat = table.loc["ces"], table.loc["csat"]
    assert ces["ci_low"] <= truth["ces_mean"]["effect"] <= ces["ci_high"]
    assert csat["ci_low"] <= truth["csat_top2box"]["effect_percentage_points"] <= csat["ci_high"]
    assert ces["p_value"] < 0.05 and csat["p_value"] < 0.05
    vest = truth["realised_support_centre"]["Vest"]
    assert ces["n_treated_before"] == vest["n_before"] and ces["n_treated_after"] == vest["n_after"]


def test_without_a_comparison_group_the_time_series_is_used_and_thin_data_says_why(sample):
    log = [
        LoggedAction(action="New scripts", touchpoint="Support centre", start=dt.date(2025, 7, 1), metrics=["ces"]),
        LoggedAction(
            action="Too late to judge", touchpoint="Support centre", start=dt.date(2025, 11, 15), metrics=["ces"]
        ),
    ]
    table = effects.action_effects(sample, log)
    assert table.loc[0, "method"].startswith("interrupted time series") and table.loc[0, "clusters"] == 12
    assert table.loc[1, "method"].startswith("not estimable") and np.isnan(table.loc[1, "effect"])
