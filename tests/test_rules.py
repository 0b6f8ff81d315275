"""Each scoring rule once: bands and boxes follow the client's scales, verdicts follow the client's alpha.

The regression cases here failed before the rules were gathered in one
module: a 1-7 CSAT was read with 1-5 boxes in the churn of dissatisfied
customers and in the example comments, hot spots ignored a configured
alpha, and a single test's p-value was called "adjusted".
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxanalysis import rules, words
from cxanalysis.client import ClientData
from cxanalysis.config import load_config
from cxanalysis.money import churn_by_satisfaction
from cxanalysis.text import example_comments
from cxanalysis.touchpoints import hot_spots

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "cxanalysis"


# --- the rules themselves, against the definitions typed out ---------------------------------------------


@pytest.mark.parametrize(
    ("scale", "boxes", "top", "bottom"),
    [((1, 5), 2, 4, 2), ((1, 7), 2, 6, 2), ((1, 7), 3, 5, 3), ((0, 10), 2, 9, 1), ((0, 1), 2, 1, 0), ((1, 3), 2, 3, 1)],
)
def test_top_and_bottom_boxes_are_the_end_answers_never_more_than_half(scale, boxes, top, bottom):
    answers = list(range(scale[0], scale[1] + 1))
    counted = min(boxes, len(answers) // 2)
    assert answers[-counted] == top == rules.top_box_threshold(scale, boxes)
    assert answers[counted - 1] == bottom == rules.bottom_box_threshold(scale, boxes)


def test_nps_groups_and_points_follow_the_recommendation_scale():
    scores = pd.Series([0, 1, 6, 7, 8, 9, 10, np.nan])
    assert rules.nps_group(scores).astype("string").fillna("-").tolist() == [
        "detractor", "detractor", "detractor", "passive", "passive", "promoter", "promoter", "-",
    ]  # fmt: skip
    points = rules.nps_points(scores)
    assert np.nanmean(points) == pytest.approx(100 * (2 - 3) / 7)  # NPS = 100 (P - D) / n


def test_satisfaction_bands_on_a_seven_point_csat():
    bands = rules.satisfaction_band(pd.Series([1, 2, 3, 4, 5, 6, 7]), (1, 7)).tolist()
    assert bands == ["dissatisfied"] * 2 + ["neutral"] * 3 + ["satisfied"] * 2


# --- regressions: a 1-7 CSAT client --------------------------------------------------------------------------


def test_churn_of_the_dissatisfied_reads_csat_on_its_own_scale():
    # On 1-7 the top two boxes are 6-7: a customer answering 5 is not satisfied.
    responses = pd.DataFrame(
        {"customer_id": ["a", "b", "c", "d"], "csat": [5, 5, 7, 6], "submitted_at": pd.Timestamp("2025-10-01")}
    )
    customers = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "churned": [True, True, False, False]})
    table = churn_by_satisfaction(responses, customers, csat_scale=(1, 7)).set_index("group")
    assert table.loc["dissatisfied", "customers"] == 2 and table.loc["dissatisfied", "churned"] == 2
    assert table.loc["satisfied", "customers"] == 2 and table.loc["satisfied", "churned"] == 0


def test_example_comments_of_the_most_satisfied_on_a_seven_point_csat():
    n = 10
    responses = pd.DataFrame(
        {
            "period": "2025Q4",
            "nps": np.nan,
            "csat": [7] * n + [6] * n + [1] * n + [4] * n,
            "comment": [f"comment {i}" for i in range(4 * n)],
            "touchpoint": "Store",
        }
    )
    shown = example_comments(responses, scales={"csat": (1, 7)}, per_group=50, min_comments=8)
    most = shown.loc[shown["customers"] == "Most satisfied", "comment"]
    least = shown.loc[shown["customers"] == "Least satisfied", "comment"]
    assert len(most) == 2 * n  # every 6 and 7, none of the neutral 4s
    assert len(least) == n


# --- regressions: the configured significance level -----------------------------------------------------------


@pytest.fixture(scope="module")
def strict_sample():
    sample = load_config(None)
    strict = sample.model_copy(update={"significance": sample.significance.model_copy(update={"alpha": 0.0001})})
    return ClientData(strict)


def test_hot_spots_use_the_configured_alpha(strict_sample):
    spots = hot_spots(strict_sample, "csat", "2025Q3").set_index("touchpoint")
    delivery = spots.loc["Delivery"]
    assert 0.0001 < delivery["p_adjusted"] < 0.05  # a hot spot at the default level ...
    assert not delivery["below"]  # ... but not at the level this client chose
    assert (spots["below"] == ((spots["p_adjusted"] < 0.0001) & (spots["difference"] < 0))).all()


def test_judged_verdicts_and_hot_spots_agree_at_the_configured_alpha(strict_sample):
    from cxanalysis.significance import hot_spot_tests, judge

    data = strict_sample.responses[strict_sample.responses["period"] == "2025Q3"]
    tests = hot_spot_tests(data, "csat", "touchpoint", min_n=5, scales=strict_sample.scales)
    table = tests.rename(columns={"estimate_a": "estimate_a"})
    table["metric"] = "csat"
    judged = judge(strict_sample, table)
    significant = judged["verdict"].str.startswith("significant")
    assert not significant.any()  # nothing reaches p < 0.0001 after adjustment in that quarter


def test_a_single_tests_p_value_is_not_called_adjusted():
    trend = pd.DataFrame(
        [{"metric": "ces", "slope_per_period": 0.05, "ci_low": 0.01, "ci_high": 0.09, "p_value": 0.036, "periods": 8}]
    )
    sentence = words.trend_test_sentence(trend, alpha=0.05)
    assert "p = 0.036" in sentence and "adjusted" not in sentence
    assert "rising trend" in sentence
    assert "no trend" in words.trend_test_sentence(trend, alpha=0.01)


# --- each rule lives in one place -------------------------------------------------------------------------------

_LITERALS = {
    "a significance level typed in": re.compile(r"(?<![\d.])0\.05(?![\d])"),
    "an NPS band typed in": re.compile(r"(>=|<=|<|>)\s*(9|6)\b(?!\.)|\[-1, 6, 8, 10\]|top_low=9|bottom_high=6"),
    "a CSAT box typed in": re.compile(r"\[0, 2, 4, 5\]|csat_top_low|\"4-5\"|rating 4-5"),
}
_ALLOWED = {"rules.py", "sample.py"}  # the rules' home, and the generator that plants the sample's answers


def _code_lines(path: Path):
    in_doc = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if stripped.count('"""') == 1:
            in_doc = not in_doc
            continue
        if in_doc or stripped.startswith(("#", '"""', ">>>")):
            continue
        yield number, line.split("  #")[0]


@pytest.mark.parametrize("what", sorted(_LITERALS))
def test_no_rule_is_typed_outside_its_module(what):
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.glob("*.py"))
        if path.name not in _ALLOWED
        for number, line in _code_lines(path)
        if _LITERALS[what].search(line)
    ]
    assert found == [], f"{what}: " + "; ".join(found)
