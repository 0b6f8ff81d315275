"""The effect of logged changes: difference-in-differences judged over units, and interrupted time series."""

from __future__ import annotations

import datetime as dt
import math
from itertools import combinations, product

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import yaml

import cxanalysis as cx
from conftest import SAMPLE_CONFIG
from cxanalysis import effects
from cxanalysis.config import LoggedAction

WEBB = [-math.sqrt(3 / 2), -1.0, -math.sqrt(1 / 2), math.sqrt(1 / 2), 1.0, math.sqrt(3 / 2)]


@pytest.fixture(scope="module")
def sample():
    return cx.open_client(None)


def region_panel(rng, regions: int, treated_regions: int, months: int = 12, per_month: float = 15, effect=0.0):
    """Answers from regions over months, half of them after a change made in some regions.

    Each region has its own level, its own shift from before to after (the
    region-level shocks a change must be told apart from) and month-to-month
    noise; regions differ in size.
    """
    region = np.repeat(np.arange(regions), months)
    month = np.tile(np.arange(months), regions)
    after = month >= months // 2
    chosen = rng.choice(regions, treated_regions, replace=False)
    level = rng.normal(0, 0.5, regions)[region] + rng.normal(0, 0.3, (regions, 2))[region, after.astype(int)]
    level = level + rng.normal(0, 0.15, regions * months) + effect * (np.isin(region, chosen) & after)
    size = rng.poisson(per_month * rng.uniform(0.5, 1.5, regions)[region]) + 1
    rows = np.repeat(np.arange(regions * months), size)
    values = 5 + level[rows] + rng.normal(0, 1.2, len(rows))
    return (
        pd.Series(values),
        pd.Series(np.isin(region[rows], chosen)),
        pd.Series(after[rows]),
        pd.Series(np.array([f"R{r}" for r in range(regions)], dtype=object)[region[rows]]),
    )


def design(treated, after):
    t, a = treated.to_numpy(dtype=float), after.to_numpy(dtype=float)
    return np.column_stack([np.ones_like(t), t, a, t * a])


def clustered_t(x, y, groups, null):
    """t of the interaction against ``null`` with the CR1 error clustered by ``groups``, by plain numpy."""
    beta = np.linalg.lstsq(x, y, rcond=None)[0]
    residual = y - x @ beta
    bread = np.linalg.inv(x.T @ x)
    meat = np.zeros((4, 4))
    for g in np.unique(groups):
        score = x[groups == g].T @ residual[groups == g]
        meat += np.outer(score, score)
    g_count, n = len(np.unique(groups)), len(y)
    covariance = g_count / (g_count - 1) * (n - 1) / (n - 4) * bread @ meat @ bread
    return (beta[3] - null) / math.sqrt(covariance[3, 3])


def brute_force_wild_p(values, treated, after, units, null):
    """Restricted wild cluster bootstrap p over every Webb weight vector, refitting OLS for each."""
    x, y = design(treated, after), values.to_numpy(dtype=float)
    groups = pd.factorize(units)[0]
    restricted = np.linalg.lstsq(x[:, :3], y - null * x[:, 3], rcond=None)[0]
    fitted = x[:, :3] @ restricted + null * x[:, 3]
    residual = y - fitted
    observed = abs(clustered_t(x, y, groups, null))
    extreme = 0
    for weights in product(WEBB, repeat=groups.max() + 1):
        y_star = fitted + residual * np.array(weights)[groups]
        extreme += abs(clustered_t(x, y_star, groups, null)) >= observed * (1 - 1e-9)  # itself counts
    return extreme / 6 ** (groups.max() + 1)


def test_the_effect_is_the_treated_change_minus_the_comparison_change():
    values, treated, after, units = region_panel(np.random.default_rng(8), regions=6, treated_regions=2)
    result = effects.difference_in_differences(values, treated, after, units)
    means = values.groupby([treated, after]).mean()
    by_hand = (means[True, True] - means[True, False]) - (means[False, True] - means[False, False])
    assert result["effect"] == pytest.approx(by_hand, abs=1e-9)
    assert result["units"] == result["clusters"] == 6
    assert result["n_treated_after"] == int((treated & after).sum())
    assert result["n_comparison_before"] == int((~treated & ~after).sum())


@pytest.mark.parametrize(("regions", "treated_regions"), [(3, 1), (4, 1), (4, 2)])
def test_the_wild_bootstrap_p_and_interval_match_refitting_for_every_weight_vector(regions, treated_regions):
    values, treated, after, units = region_panel(
        np.random.default_rng(regions), regions, treated_regions, months=4, per_month=3, effect=0.6
    )
    result = effects.difference_in_differences(values, treated, after, units)
    # the numpy t is the usual one: statsmodels' clustered t with the same CR1 factor
    groups = pd.factorize(units)[0]
    fit = sm.OLS(values.to_numpy(), design(treated, after)).fit(cov_type="cluster", cov_kwds={"groups": groups})
    x, y = design(treated, after), values.to_numpy(dtype=float)
    assert clustered_t(x, y, groups, 0.0) == pytest.approx(fit.tvalues[3], rel=1e-9)
    assert result["p_wild_bootstrap"] == pytest.approx(brute_force_wild_p(values, treated, after, units, 0.0), abs=1e-9)
    # the interval is the set of nulls the same test keeps at 5 %: just inside kept, just outside rejected
    scale = abs(result["effect"]) + 1
    for end, outwards in ((result["ci_low"], -1), (result["ci_high"], 1)):
        if math.isinf(end):  # open: with 3 units, one treated, no null is rejected however far
            assert brute_force_wild_p(values, treated, after, units, result["effect"] + outwards * 1e4 * scale) >= 0.05
            continue
        assert brute_force_wild_p(values, treated, after, units, end - outwards * 1e-7 * scale) >= 0.05
        assert brute_force_wild_p(values, treated, after, units, end + outwards * 1e-7 * scale) < 0.05


def test_randomisation_p_is_the_share_of_assignments_with_an_effect_as_large():
    values, treated, after, units = region_panel(np.random.default_rng(5), regions=6, treated_regions=2, effect=0.5)
    result = effects.difference_in_differences(values, treated, after, units)
    effects_by_assignment = []
    for chosen in combinations(sorted(units.unique()), 2):
        moved = units.isin(chosen)
        means = values.groupby([moved, after]).mean()
        effects_by_assignment.append(
            (means[True, True] - means[True, False]) - (means[False, True] - means[False, False])
        )
    observed = abs(result["effect"])
    share = np.mean([abs(e) >= observed * (1 - 1e-9) for e in effects_by_assignment])
    assert len(effects_by_assignment) == 15
    assert result["p_randomisation"] == pytest.approx(share, abs=1e-12)
    assert result["min_attainable_p"] == pytest.approx(1 / 15)
    assert result["p_value"] == result["p_randomisation"]


def test_many_units_draw_weights_and_assignments_at_random_reproducibly():
    values, treated, after, units = region_panel(np.random.default_rng(6), regions=30, treated_regions=10)
    first = effects.difference_in_differences(values, treated, after, units, draws=499, seed=3)
    again = effects.difference_in_differences(values, treated, after, units, draws=499, seed=3)
    assert first == again
    assert first["min_attainable_p"] == pytest.approx(1 / 500)  # C(30, 10) is too many: 499 draws and the observed
    assert 0 < first["p_wild_bootstrap"] <= 1 and first["ci_low"] < first["effect"] < first["ci_high"]


def test_a_change_is_assigned_to_whole_units():
    values, treated, after, units = region_panel(np.random.default_rng(2), regions=4, treated_regions=1)
    treated.iloc[0] = not treated.iloc[0]
    with pytest.raises(ValueError, match="whole units"):
        effects.difference_in_differences(values, treated, after, units)


def test_two_units_leave_every_effect_compatible():
    values, treated, after, units = region_panel(np.random.default_rng(9), regions=2, treated_regions=1)
    result = effects.difference_in_differences(values, treated, after, units)
    assert result["verdict"] == effects.TOO_FEW_UNITS and result["min_attainable_p"] == 0.5
    assert (result["ci_low"], result["ci_high"]) == (-math.inf, math.inf) and math.isnan(result["p_wild_bootstrap"])


def test_with_five_regions_and_one_treated_no_null_effect_is_called_real():
    # Randomisation can reach no p below 1/5, so every run must say there are too few regions to tell.
    rng = np.random.default_rng(11)
    verdicts, p_values = [], []
    for _ in range(150):
        values, treated, after, units = region_panel(rng, regions=5, treated_regions=1)
        result = effects.difference_in_differences(values, treated, after, units, alpha=0.05)
        verdicts.append(result["verdict"])
        p_values.append(result["p_value"])
        assert result["min_attainable_p"] == pytest.approx(0.2)
    assert set(verdicts) == {effects.TOO_FEW_UNITS}
    assert min(p_values) >= 0.2


@pytest.mark.slow
def test_with_twenty_units_four_treated_both_tests_hold_their_level():
    rng = np.random.default_rng(20)
    wild, randomisation, inverted = [], [], []
    for _ in range(3000):
        values, treated, after, units = region_panel(rng, regions=20, treated_regions=4)
        result = effects.difference_in_differences(values, treated, after, units, seed=int(rng.integers(2**31)))
        wild.append(result["p_wild_bootstrap"] < 0.05)
        randomisation.append(result["verdict"] == effects.UNLIKELY_CHANCE)
        # the interval holds the effects the bootstrap test keeps, so it leaves out 0 exactly when p < 0.05
        inverted.append((result["ci_low"] <= 0 <= result["ci_high"]) == (result["p_wild_bootstrap"] >= 0.05))
    assert 0.035 <= np.mean(wild) <= 0.065, np.mean(wild)
    assert 0.035 <= np.mean(randomisation) <= 0.065, np.mean(randomisation)
    assert np.mean(inverted) >= 0.995, np.mean(inverted)


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
        assert result["verdict"] == (effects.UNLIKELY_CHANCE if result["p_value"] < 0.05 else effects.COULD_BE_CHANCE)
    assert np.mean(estimates) == pytest.approx(8.0, abs=0.6)
    assert 0.88 <= covered / 200 <= 0.99, covered / 200


def test_the_support_centre_change_in_one_region_of_four_is_too_few_to_judge(sample):
    truth = yaml.safe_load((SAMPLE_CONFIG.parent / "truth.yml").read_text(encoding="utf-8"))["intervention"]
    table = effects.action_effects(sample).set_index("metric")
    assert (table["method"] == effects.DID_METHOD).all()
    assert (table["unit"] == "region").all() and (table["units"] == 4).all()
    assert (table["min_attainable_p"] == 0.25).all() and (table["verdict"] == effects.TOO_FEW_UNITS).all()
    ces, csat = table.loc["ces"], table.loc["csat"]
    assert ces["ci_low"] <= truth["ces_mean"]["effect"] <= ces["ci_high"]
    assert csat["ci_low"] <= truth["csat_top2box"]["effect_percentage_points"] <= csat["ci_high"]
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
    assert np.isnan(table.loc[0, "units"]) and np.isnan(table.loc[0, "p_randomisation"])
    assert table.loc[1, "method"].startswith("not estimable") and np.isnan(table.loc[1, "effect"])
