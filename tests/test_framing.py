"""Goals and the journey measured on data: progress, the goal tree, hot spots and coverage gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy.stats import norm

import cxanalysis as cx
from conftest import SAMPLE_CONFIG, sample_config_with_absolute_data_paths
from cxanalysis import goals, touchpoints


@pytest.fixture(scope="module")
def sample():
    return cx.open_client(None)


@pytest.fixture
def edited_sample(tmp_path):
    """Open a copy of the sample client after editing its journey and stakeholder files."""

    def open_edited(edit_journey=None, edit_stakeholders=None):
        config = sample_config_with_absolute_data_paths()
        for name, edit in (("journey", edit_journey), ("stakeholders", edit_stakeholders)):
            data = yaml.safe_load((SAMPLE_CONFIG.parent / f"{name}.yml").read_text(encoding="utf-8"))
            if edit:
                edit(data)
            (tmp_path / f"{name}.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        (tmp_path / "client.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        return cx.open_client(tmp_path / "client.yml")

    return open_edited


def test_goal_progress_interval_and_status_follow_the_interval(sample):
    progress = goals.goal_progress(sample)
    latest = sample.responses[sample.responses["period"] == sample.latest_period]
    delivery = progress.set_index("goal").loc["Delivery CSAT back to 80 %"]
    delivery_answers = latest[(latest["touchpoint"] == "Delivery") & latest["csat"].notna()]
    top, w = (delivery_answers["csat"] >= 4).to_numpy(float), delivery_answers["weight"].to_numpy(float)
    n = len(delivery_answers)
    # The sample's answers carry raking weights: the weighted share, and the Wilson interval typed out
    # independently on the design effective n (linearised variance of the weighted share).
    p = (w * top).sum() / w.sum()
    n_effective = p * (1 - p) / ((w**2 * (top - p) ** 2).sum() / w.sum() ** 2)
    z = norm.ppf(0.975)
    m = n_effective
    centre = (p + z * z / (2 * m)) / (1 + z * z / m)
    half = z * np.sqrt(p * (1 - p) / m + z * z / (4 * m * m)) / (1 + z * z / m)
    assert delivery["n"] == n
    assert delivery["current"] == pytest.approx(100 * p, abs=1e-9)
    assert (delivery["ci_low"], delivery["ci_high"]) == pytest.approx(
        (100 * (centre - half), 100 * (centre + half)), abs=1e-9
    )
    for row in progress.itertuples():
        # The rule typed out: met, too close to tell, then on track only above the baseline before the deadline.
        before_deadline = pd.Timestamp(row.deadline) >= pd.Period(sample.latest_period).end_time
        expected = (
            "met"
            if row.ci_low >= row.target
            else "too close to tell"
            if row.ci_high >= row.target
            else "on track"
            if row.ci_low > row.baseline and before_deadline
            else "behind"
        )
        assert row.status == expected
        assert row.gap_significant == (expected != "too close to tell")
        assert row.gap_to_target == pytest.approx(row.target - row.current)


def test_goal_without_data_is_flagged_not_dropped(edited_sample):
    def add_unmeasured_goal(data):
        data["teams"][0]["goals"].append(
            {
                "name": "Faster checkout (CES 6)",
                "metric": "ces",
                "touchpoint": "Checkout",
                "baseline": 5,
                "target": 6,
                "deadline": "2026-12-31",
            }
        )

    client = edited_sample(edit_stakeholders=add_unmeasured_goal)
    progress = goals.goal_progress(client)
    tree = goals.goal_tree(client)
    assert len(progress) == len(tree) == 9
    row = progress.set_index("goal").loc["Faster checkout (CES 6)"]
    assert row["status"] == "not measured" and row["n"] == 0 and np.isnan(row["current"])
    branch = tree.set_index("goal").loc["Faster checkout (CES 6)"]
    assert not branch["measured"] and branch["kpi"] == "CES · Checkout" and branch["surveys"] == ""


def test_goal_tree_names_the_question_and_surveys(sample):
    tree = goals.goal_tree(sample).set_index("goal")
    assert tree.loc["Raise NPS to 30", "question"] == sample.config.questions["nps"]
    assert tree.loc["Raise NPS to 30", "surveys"] == "relational_nps"
    assert tree.loc["Make support easier (CES 5.5)", "kpi"] == "Support effort"
    assert tree["measured"].all()


def test_question_wording_defaults_to_the_export_heading(sample):
    config = sample.config.model_copy(update={"questions": {}})
    assert config.question("nps") == "Likelihood to recommend (0-10)"


def test_planted_delivery_drop_is_a_hot_spot_in_its_quarter_only(sample):
    journey = touchpoints.journey_scores(sample, "csat")
    delivery = journey[journey["touchpoint"] == "Delivery"].set_index("period")
    assert delivery.loc["2025Q3", "hot_spot"]
    assert delivery.loc["2025Q3", "p_adjusted"] < 0.05
    assert not delivery.drop(index="2025Q3")["hot_spot"].any()
    # every journey touchpoint appears in every period, in journey order
    assert len(journey) == len(sample.periods) * len(touchpoints.journey_order(sample))


def test_hot_spot_tests_are_adjusted_within_each_period(sample):
    from statsmodels.stats.multitest import multipletests

    journey = touchpoints.journey_scores(sample, "csat")
    quarter = journey[(journey["period"] == "2025Q3") & journey["p_adjusted"].notna()]
    raw = touchpoints.hot_spots(sample, "csat", "2025Q3").set_index("touchpoint").loc[quarter["touchpoint"], "p_value"]
    assert quarter["p_adjusted"].to_numpy() == pytest.approx(multipletests(raw, method="holm")[1])


def test_coverage_gaps_name_missing_listening_posts_and_unknown_touchpoints(edited_sample):
    def drop_social_media_post(data):
        data["stages"][0]["touchpoints"][1]["listening_posts"] = []

    def drop_returns_touchpoint(data):
        data["stages"][2]["touchpoints"] = [t for t in data["stages"][2]["touchpoints"] if t["name"] != "Returns"]

    def drop_returns_goal(data):
        for team in data["teams"]:
            team["goals"] = [g for g in team.get("goals", []) if g.get("touchpoint") != "Returns"]

    client = edited_sample(
        edit_journey=lambda d: (drop_social_media_post(d), drop_returns_touchpoint(d)),
        edit_stakeholders=drop_returns_goal,
    )
    gaps = touchpoints.coverage_gaps(client, "csat").set_index("touchpoint")
    assert gaps.loc["Social media", "coverage_gap"] == "no listening post"
    returns = client.responses["touchpoint"].eq("Returns") & client.responses["period"].eq(client.latest_period)
    assert gaps.loc["Returns", "coverage_gap"] == "not in the journey file"
    unknown = touchpoints.unknown_touchpoints(client).set_index("touchpoint")
    assert unknown.loc["Returns", "responses"] == (client.responses["touchpoint"] == "Returns").sum()
    assert returns.any()


def test_journey_scores_count_responses_and_answers(sample):
    journey = touchpoints.journey_scores(sample, "csat")
    relationship = journey[journey["touchpoint"] == "Relationship survey"]
    assert (relationship["n"] == 0).all() and (relationship["responses"] > 0).all()
    assert (relationship["coverage_gap"] == "").all()
    counted = journey.groupby("period")["responses"].sum()
    expected = sample.responses[sample.responses["touchpoint"].notna()].groupby("period", observed=True).size()
    assert counted.to_dict() == expected.to_dict()


def test_the_summary_scorecard_shows_the_chapter_statuses_with_a_symbol_worst_first(sample):
    progress = goals.goal_progress(sample)
    card = goals.goal_scorecard(progress)
    symbols = {"behind": "✗", "too close to tell": "≈", "on track": "↗", "met": "✓"}
    assert sorted(card["status"]) == sorted(f"{symbols[s]} {s}" for s in progress["status"])
    order = [list(symbols).index(s.split(" ", 1)[1]) for s in card["status"]]
    assert order == sorted(order)
    assert set(card["goal"]) == set(progress["goal"])
