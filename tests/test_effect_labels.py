"""Short method names and the sentences for the effects of logged changes."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from cxanalysis import effects, words

CAUSAL = re.compile(r"\b(improved|worsened|caused|raised|lowered)\b")


def test_each_estimator_has_a_short_name():
    rng = np.random.default_rng(2)
    n = 400
    region = pd.Series(rng.integers(0, 6, n))
    treated = region < 2
    after = pd.Series(rng.random(n) < 0.5)
    values = pd.Series(rng.normal(size=n))
    did = effects.difference_in_differences(values, treated, after, region)
    assert effects.method_label(did["method"]) == "difference-in-differences"

    dates = pd.Series(pd.date_range("2025-01-01", "2025-12-31", periods=n))
    its = effects.interrupted_time_series(values, dates, pd.Timestamp("2025-07-01"))
    assert effects.method_label(its["method"]) == "interrupted time series"


def test_a_change_that_could_not_be_estimated_keeps_its_reason():
    assert effects.method_label(effects.NOT_ESTIMABLE) == effects.NOT_ESTIMABLE


def effect_row(**values) -> pd.DataFrame:
    row = {
        "action": "Call-back routine",
        "metric": "ces",
        "method": effects.DID_METHOD,
        "effect": 1.17,
        "ci_low": -1.5,
        "ci_high": 2.15,
        "treated": "region: Vest",
        "unit": "region",
        "units": 4,
        "p_randomisation": 0.25,
        "p_wild_bootstrap": 0.07,
        "min_attainable_p": 0.25,
        "p_value": 0.25,
    }
    return pd.DataFrame([row | values], columns=effects.EFFECT_COLUMNS)


def test_with_four_regions_the_sentence_claims_neither_cause_nor_significance():
    (text,) = words.effect_sentences(effect_row(), alpha=0.05)
    assert "too few comparison groups to tell" in text
    assert not CAUSAL.search(text) and "chance" not in text and "unlikely" not in text
    assert "4 regions" in text and "smallest p-value possible is 0.25" in text
    assert "from −1.50 to 2.15 are compatible with the data" in text


def test_the_floor_is_judged_at_the_level_the_sentence_is_given():
    # 0.25 is reachable at a 0.3 level: the same row is then read by its p, and here it is the smallest p
    (text,) = words.effect_sentences(effect_row(p_randomisation=0.25), alpha=0.3)
    assert "too few" not in text and "the change improved CES by 1.17" in text and "p = 0.25" in text


def test_a_causal_verb_needs_the_randomisation_test():
    many = {"units": 20, "min_attainable_p": 1 / 4845, "ci_low": 0.4, "ci_high": 1.9}
    (real,) = words.effect_sentences(effect_row(**many, p_randomisation=0.004, p_wild_bootstrap=0.2), alpha=0.05)
    assert "the change improved CES by 1.17" in real and "unlikely to be chance" in real
    assert "p = 0.004 over the 20 regions that could have got the change" in real
    # a small bootstrap p alone does not make an effect real
    (chance,) = words.effect_sentences(effect_row(**many, p_randomisation=0.2, p_wild_bootstrap=0.001), alpha=0.05)
    assert not CAUSAL.search(chance) and "could be chance" in chance and "no clear effect" in chance
    (worse,) = words.effect_sentences(
        effect_row(**(many | {"effect": -1.17, "ci_low": -1.9, "ci_high": -0.4}), p_randomisation=0.004), alpha=0.05
    )
    assert "the change worsened CES by 1.17" in worse


@pytest.mark.parametrize("p_value", [0.001, 0.4])
def test_a_time_series_never_names_the_change_as_the_cause(p_value):
    its = {
        "method": effects.ITS_METHOD,
        "metric": "csat",
        "effect": 3.0,
        "ci_low": 1.0 if p_value < 0.05 else -2.0,
        "ci_high": 5.0,
        "p_value": p_value,
        "treated": "everyone",
        "unit": None,
        "units": np.nan,
        "p_randomisation": np.nan,
        "p_wild_bootstrap": np.nan,
        "min_attainable_p": np.nan,
    }
    (text,) = words.effect_sentences(effect_row(**its), alpha=0.05)
    assert not CAUSAL.search(text)
    assert "CSAT % was 3.0 percentage points higher than its earlier trend predicted" in text
    assert ("comparison group" in text) == (p_value < 0.05)


def test_no_sentence_rules_out_effects_outside_the_interval():
    rows = pd.concat(
        [
            effect_row(),
            effect_row(units=20, min_attainable_p=1 / 4845, p_randomisation=0.6),
            effect_row(units=3, min_attainable_p=1 / 3, ci_low=-np.inf, ci_high=np.inf),
        ]
    )
    texts = words.effect_sentences(rows, alpha=0.05)
    assert not any("outside" in text for text in texts)
    assert "effects of any size are compatible with the data" in texts[2] and "3 regions" in texts[2]
