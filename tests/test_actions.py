"""Revenue at risk, the action plan and its spreadsheet export."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

import cxanalysis as cx
from cxanalysis import actions, money, words
from cxanalysis.results import write_xlsx


@pytest.fixture(scope="module")
def sample():
    return cx.open_client(None)


def test_revenue_at_risk_reproduces_the_methods_worked_example():
    table = cx.revenue_at_risk(customers=100, revenue_per_customer=100, csat=[90, 75], churn_if_dissatisfied=0.95)
    assert table["revenue_at_risk"].tolist() == [950, 2375]
    assert table["value_per_csat_point"].tolist() == [95, 95]


def test_revenue_at_risk_counts_the_churn_dissatisfaction_adds(sample):
    risk = money.revenue_at_risk_now(sample)
    # Each customer's latest CSAT answer in the latest period, typed from the files.
    answers = sample.responses[sample.responses["csat"].notna() & sample.responses["customer_id"].notna()]
    answers = answers[answers["period"] == sample.latest_period].sort_values("submitted_at")
    latest = answers.groupby("customer_id", observed=True)["csat"].last()
    file = sample.customers.set_index("customer_id")
    churned = file["churned"].reindex(latest.index.astype(str)).to_numpy(float)
    revenue = file["revenue"].reindex(latest.index.astype(str)).to_numpy(float)
    unhappy = (latest < 4).to_numpy()

    # The file has revenue, so churn is the share of each group's revenue that left in the next quarter:
    # c = Σ x y / Σ x, with var c = n / (n - 1) Σ x² (y - c)² / (Σ x)² (a ratio estimator).
    def weighted(mask):
        x, y = revenue[mask], churned[mask]
        c = (x * y).sum() / x.sum()
        return c, np.sqrt(len(x) / (len(x) - 1) * (x**2 * (y - c) ** 2).sum() / x.sum() ** 2), x, y

    q_d, s_d, x_d, y_d_flags = weighted(unhappy)
    q_s, s_s, _, _ = weighted(~unhappy)
    assert risk.churn.weighting == "revenue"
    assert (risk.churn.measured_dissatisfied, risk.churn.measured_satisfied) == pytest.approx((q_d, q_s))
    # Dissatisfied customers who left spent less than those who stayed, so head counts would overstate it.
    assert q_d < churned[unhappy].mean()
    # The file's churn covers the next quarter, the revenue a year: four quarters at the same rate.
    y_d, y_s = 1 - (1 - q_d) ** 4, 1 - (1 - q_s) ** 4
    added = y_d - y_s
    assert risk.churn.periods == 4
    assert risk.churn.added == pytest.approx(added)
    se_d, se_s = 4 * (1 - q_d) ** 3 * s_d, 4 * (1 - q_s) ** 3 * s_s
    se = np.sqrt(se_d**2 + se_s**2)
    assert risk.churn.se == pytest.approx(se)
    # The mean yearly revenue of the dissatisfied customers, with its SE, and its covariance with their
    # churn (both rest on the same revenues): Σ x (x (y - c)) / ((n - 1) Σ x), carried to the year.
    r, r_se = x_d.mean(), x_d.std(ddof=1) / np.sqrt(len(x_d))
    assert (risk.revenue.value, risk.revenue.se) == pytest.approx((r, r_se))
    cov = 4 * (1 - q_d) ** 3 * (x_d * x_d * (y_d_flags - q_d)).sum() / ((len(x_d) - 1) * x_d.sum())
    customers, gap = sample.config.money.customers, 1 - risk.csat / 100
    at_risk = risk.value("revenue at risk")
    assert at_risk["estimate"] == pytest.approx(customers * gap * r * added)
    csat_se = sample.summarise("csat", ["period"]).set_index("period").loc[sample.latest_period, "se"] / 100
    variance = (r * added * csat_se) ** 2 + (gap * added * r_se) ** 2 + (gap * r * se) ** 2
    half = 1.959964 * customers * np.sqrt(variance + 2 * gap**2 * r * added * cov)
    assert (at_risk["ci_low"], at_risk["ci_high"]) == pytest.approx(
        (at_risk["estimate"] - half, at_risk["estimate"] + half)
    )
    point = risk.value("value per CSAT point")
    assert point["estimate"] == pytest.approx(customers * r * added / 100)
    everyone = risk.value("revenue of all leaving dissatisfied")
    assert everyone["estimate"] == pytest.approx(customers * gap * r * y_d)
    assert everyone["estimate"] > at_risk["estimate"]
    # The churn table keeps each group's head-count churn, and adds the revenue-weighted one over a year.
    groups = risk.churn.table.set_index("group")
    assert groups.loc["dissatisfied", "churn"] == pytest.approx(100 * churned[unhappy].mean())
    assert groups.loc["dissatisfied", "revenue_converted"] == pytest.approx(100 * y_d)
    # The sample's revenue is lognormal with median 4 800 and log-sd 0.75: its mean is 4 800 e^(0.75²/2).
    low, high = risk.value("revenue per customer")[["ci_low", "ci_high"]]
    assert low <= 4800 * np.exp(0.75**2 / 2) <= high
    # Customers who answered CSAT 1-3 are all dissatisfied in the sample's making: their planted churn is 30 %.
    low, high = risk.churn.table.set_index("group").loc["dissatisfied", ["ci_low", "ci_high"]]
    assert low <= 30 <= high
    assert risk.file_customers == len(sample.customers) == 3000


def test_compound_churn_makes_a_quarter_a_year_and_a_month_of_a_quarter():
    assert money.compound_churn(0.10, 4) == pytest.approx(1 - 0.9 * 0.9 * 0.9 * 0.9)
    assert money.compound_churn(0.271, 1 / 3) == pytest.approx(1 - 0.729 ** (1 / 3))  # 10 % a month
    assert money.compound_churn(0.271, 1 / 3) == pytest.approx(0.1)


def test_the_delta_method_interval_of_converted_churn_covers_by_simulation():
    rng = np.random.default_rng(3)
    quarterly, n = 0.2, 400
    truth = 1 - 0.8**4
    covered, runs = 0, 3000
    for _ in range(runs):
        c = (rng.random(n) < quarterly).mean()
        se = 4 * (1 - c) ** 3 * np.sqrt(c * (1 - c) / n)
        covered += abs(money.compound_churn(c, 4) - truth) <= 1.959964 * se
    assert 0.935 <= covered / runs <= 0.965


def test_revenue_sentence_states_the_period_both_views_and_why_the_customer_counts_differ(sample):
    from cxanalysis import words

    risk = money.revenue_at_risk_now(sample)
    text = words.revenue_sentence(risk, sample.config.money, sample.latest_period)
    assert "compounded over the 4 quarters of a year, if those rates hold" in text
    assert f"**NOK {words.money_amount(risk.value('revenue at risk')['estimate'])}**" in text
    assert words.money_amount(risk.value("revenue of all leaving dissatisfied")["estimate"]) in text
    assert "The customers file holds 3,000 customers, those linked to survey answers" in text
    assert "the 12,000 in the config are the whole customer base" in text
    shown = words.risk_inputs_table(risk.results)
    assert "Revenue of all dissatisfied customers expected to leave" in shown["quantity"].tolist()
    assert len(words.risk_inputs_table(risk.table)) == 5  # the headline's own inputs


def test_the_plan_in_words_names_tied_first_places_the_initiative_and_where_the_target_comes_from(plan):
    from cxanalysis import words

    text = words.initiative_plan_sentence(plan)
    first = plan.iloc[0]
    # Three initiatives named in the config and the roll-out of the support-centre change.
    assert text.startswith(f"{len(plan)} lines in the plan, 4 with a named initiative. ")
    assert "2 areas share first place, as their priorities cannot be told apart" in text
    assert "1 staged roll-out of a promising change is listed as a trial, not ranked" in text
    assert f"First listed: **{first['area']}**" in text and "owned by Customer service" in text
    assert "the best segment, region Nord" in text
    assert "not assigned" not in text


def test_revenue_at_risk_interval_covers_by_simulation():
    rng = np.random.default_rng(7)
    truth_share, churn_d, churn_s, customers, revenue = 0.75, 0.30, 0.10, 1000, 50.0
    truth = customers * revenue * (1 - truth_share) * (churn_d - churn_s)
    covered, runs = 0, 2000
    for _ in range(runs):
        satisfied = rng.random(600) < truth_share  # survey answers behind CSAT
        share = satisfied.mean()
        linked = rng.random(800) < truth_share  # customers linked to their answer and to the churn flag
        left = rng.random(800) < np.where(linked, churn_s, churn_d)
        c_d, c_s = left[~linked].mean(), left[linked].mean()
        se = np.sqrt(c_d * (1 - c_d) / (~linked).sum() + c_s * (1 - c_s) / linked.sum())
        _, low, high = money.revenue_at_risk_interval(
            customers, revenue, share, np.sqrt(share * (1 - share) / 600), c_d - c_s, se
        )
        covered += low <= truth <= high
    assert 0.935 <= covered / runs <= 0.965


def test_revenue_at_risk_interval_covers_with_revenue_from_the_customers_file():
    rng = np.random.default_rng(12)
    truth_share, churn_d, churn_s, customers = 0.75, 0.30, 0.10, 1000
    mean_revenue = 4800 * np.exp(0.75**2 / 2)  # lognormal revenue, median 4 800, log-sd 0.75
    truth = customers * (1 - truth_share) * mean_revenue * (churn_d - churn_s)
    covered, runs = 0, 4000
    for _ in range(runs):
        share = (rng.random(600) < truth_share).mean()
        linked = rng.random(800) < truth_share
        left = rng.random(800) < np.where(linked, churn_s, churn_d)
        c_d, c_s = left[~linked].mean(), left[linked].mean()
        se = np.sqrt(c_d * (1 - c_d) / (~linked).sum() + c_s * (1 - c_s) / linked.sum())
        revenue = 4800 * np.exp(0.75 * rng.standard_normal((~linked).sum()))
        _, low, high = money.revenue_at_risk_interval(
            customers,
            revenue.mean(),
            share,
            np.sqrt(share * (1 - share) / 600),
            c_d - c_s,
            se,
            revenue_se=revenue.std(ddof=1) / np.sqrt(len(revenue)),
        )
        covered += low <= truth <= high
    # A mean of long-tailed revenue is skewed at 200 customers: the delta method covers about 94 %.
    assert 0.93 <= covered / runs <= 0.965


@pytest.fixture(scope="module")
def plan(sample):
    return actions.action_plan(sample)


def test_action_plan_ranks_by_impact_times_feasibility_with_owners(sample, plan):
    ranked = plan[plan["rank"] != actions.TRIAL]
    assert ranked["priority"].is_monotonic_decreasing
    assert np.allclose(plan["priority"], plan["impact_standardised"] * plan["effort"].map(actions.FEASIBILITY))
    # Impacts on different scores compare in standard deviations of one answer in the latest period.
    latest = sample.responses[sample.responses["period"] == sample.latest_period]
    for row in plan.itertuples():
        column = {"nps": "nps", "csat": "csat"}[row.impact_metric]
        answers = latest[column].dropna()
        points = (
            np.where(answers >= 9, 100, np.where(answers <= 6, -100, 0)) if column == "nps" else 100 * (answers >= 4)
        )
        assert row.impact_standardised == pytest.approx(row.impact / np.std(points, ddof=1))
        assert row.priority_low <= row.priority <= row.priority_high
    areas = set(plan["area"])
    assert {"Troubleshooting", "Responsiveness"} <= areas  # the planted weak, important drivers
    assert {"Delivery", "Response time", "Price"} <= areas  # the planted negative themes
    rows = plan.set_index("area")
    assert rows.loc["Troubleshooting", "owner"] == "Customer service"
    assert rows.loc["Communication", "owner"] == "Marketing"  # from action_plan.owners, named as the register names it
    assert actions.missing_owners(plan) == []
    # An area no team owns shows no owner in the book; validate names it for the consultant.
    unowned = plan.assign(owner=plan["owner"].where(plan["area"] != "Communication", ""))
    assert actions.missing_owners(unowned) == [
        "action plan area 'Communication' (negative comment theme) has no owner: set a team id for it under "
        "action_plan.owners (e.g. 'communication: <team id>'), or an owner on its initiative"
    ]
    # Due: six months after 2025Q4, or the initiative's own nine.
    assert rows.loc["Troubleshooting", "due"] == pd.Timestamp("2026-09-30").date()
    assert (plan.loc[plan["area"] != "Troubleshooting", "due"] == pd.Timestamp("2026-06-30").date()).all()


def test_ties_share_a_rank_when_priority_intervals_reach_the_head_of_the_group(plan):
    # Typed rule: walk down; a line joins the group of its head when its upper end reaches the head's lower end.
    # A staged roll-out of an unproven change is a trial, not ranked against them.
    ranked = plan[plan["rank"] != actions.TRIAL].reset_index(drop=True)
    heads, expected = [], []
    for i, row in enumerate(ranked.itertuples()):
        if not heads or row.priority_high < ranked["priority_low"].iloc[heads[-1]]:
            heads.append(i)
        expected.append(heads[-1] + 1)
    sizes = pd.Series(expected).value_counts()
    assert ranked["rank"].tolist() == [f"{r}=" if sizes[r] > 1 else str(r) for r in expected]
    # The sample: the two planted drivers differ by about 1 % of their priority, so they share first place.
    rows = plan.set_index("area")
    assert rows.loc["Responsiveness", "rank"] == rows.loc["Troubleshooting", "rank"] == "1="
    assert rows.loc["Response time", "rank"] == "3"
    assert actions.tied_ranks(pd.Series([3.0, 2.0, 1.0]), pd.Series([2.5, 1.5, 0.5]), pd.Series([3.5, 2.4, 1.4])) == [
        "1",
        "2",
        "3",
    ]
    assert actions.tied_ranks(pd.Series([3.0, 2.0]), pd.Series([2.0, 1.0]), pd.Series([4.0, 3.0])) == ["1=", "1="]


def test_areas_take_the_initiatives_the_config_names_and_the_rest_wait_for_one(sample, plan):
    rows = plan.set_index("area")
    named = {x.area: x for x in sample.config.action_plan.initiatives}
    assert rows.loc["Troubleshooting", "initiative"] == named["troubleshooting"].initiative
    assert rows.loc["Troubleshooting", "cost"] == 350000
    assert rows.loc["Responsiveness", "initiative"] == named["responsiveness"].initiative
    assert rows.loc["Response time", "initiative"] == named["response_time"].initiative
    assert rows.loc["Response time", "uplift"] == -5
    assert rows.loc["Response time", "expected_uplift"] == "−5.0, estimated"
    for area in ("Delivery", "Price", "Communication"):
        assert rows.loc[area, "initiative"] == actions.TO_BE_DEFINED


def test_targets_come_from_goals_the_best_segment_or_a_measured_effect(sample, plan):
    rows = plan.set_index("area")
    # A driver's target: its top-box share in the best region or customer type, typed from the answers.
    rated = sample.responses[sample.responses["troubleshooting"].notna()]
    best = max(
        (100 * (rated["troubleshooting"] >= 4)).groupby(rated[s].astype("string")).mean().max()
        for s in ("region", "customer_type")
    )
    assert rows.loc["Troubleshooting", "target"] == pytest.approx(best)
    assert rows.loc["Troubleshooting", "target_source"].startswith("target: the best segment")
    # A theme's target: the lowest share of latest-period comments mentioning it in a segment level.
    coded = sample.coded_comments
    latest = sample.responses.loc[coded.index]
    latest = latest[latest["period"] == sample.latest_period]
    mentions = 100 * coded.loc[latest.index, "delivery"].astype(float)
    lowest = min(
        m[n >= 8].min()
        for m, n in (
            (mentions.groupby(latest[s].astype("string")).mean(), mentions.groupby(latest[s].astype("string")).size())
            for s in ("region", "customer_type")
        )
    )
    assert rows.loc["Delivery", "target"] == pytest.approx(lowest)
    assert "mentions it least" in rows.loc["Delivery", "target_source"]
    assert not plan["target_source"].str.contains("halve").any()


def test_a_change_that_worked_where_it_was_made_is_proposed_for_the_other_regions(sample, plan):
    from cxanalysis import effects

    changes = effects.action_effects(sample)
    csat = changes.set_index("metric").loc["csat"]
    roll = plan[plan["kind"].str.contains("roll-out")]
    assert len(roll) == 1
    row = roll.iloc[0]
    assert row["initiative"].startswith("Roll out 'Call-back routine")
    assert row["initiative"].endswith("to Nord, Sør and Øst, one at a time, measuring each")
    # Four regions with one treated cannot show the effect at 5 %: a staged roll-out, its effect as the uplift.
    assert csat["verdict"] == effects.TOO_FEW_UNITS
    assert row["rank"] == actions.TRIAL and row.name == len(plan[plan["rank"] != actions.NOT_RANKED]) - 1
    assert row["expected_uplift"] == f"{words.number(csat['effect'], 0, signed=True)} in Vest, not yet established"
    assert (row["uplift"], row["uplift_low"], row["uplift_high"]) == pytest.approx(
        (csat["effect"], csat["ci_low"], csat["ci_high"])
    )
    # Today's CSAT at the support centre outside Vest, and the customer service goal above it as the target.
    latest = sample.responses[
        (sample.responses["period"] == sample.latest_period) & (sample.responses["touchpoint"] == "Support centre")
    ]
    others = latest[(latest["region"] != "Vest") & latest["region"].notna() & latest["csat"].notna()]
    assert row["current"] == pytest.approx(100 * (others["csat"] >= 4).mean())
    assert row["target"] == 77
    assert "Raise support-centre CSAT by 10 %" in row["target_source"]
    assert row["owner"] == "Customer service"
    everyone = latest = sample.responses[
        (sample.responses["period"] == sample.latest_period)
        & sample.responses["touchpoint"].notna()
        & sample.responses["csat"].notna()
    ]
    assert row["impact"] == pytest.approx(csat["effect"] * len(others) / len(everyone))


def test_a_change_that_could_be_chance_is_not_proposed(sample):
    from cxanalysis import effects

    changes = effects.action_effects(sample).assign(verdict=effects.COULD_BE_CHANCE)
    assert actions.roll_out_actions(sample, changes) == []
    proven = effects.action_effects(sample).assign(verdict=effects.UNLIKELY_CHANCE)
    (row,) = actions.roll_out_actions(sample, proven)
    assert row["kind"] == "roll-out of a change that worked"
    assert row["initiative"].endswith("to Nord, Sør and Øst")


def test_action_plan_responses_needed_follow_the_two_sample_formula(plan):
    from scipy.stats import norm

    row = plan.iloc[0]
    p0, p1 = row["current"] / 100, row["target"] / 100
    n = (norm.ppf(0.975) + norm.ppf(0.8)) ** 2 * (p0 * (1 - p0) + p1 * (1 - p1)) / (p1 - p0) ** 2
    assert row["responses_needed"] == int(np.ceil(n))


def test_spreadsheet_export_neutralises_formulas(tmp_path):
    frame = pd.DataFrame(
        {"area": ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "Delivery"], "impact": [1.0, 2.0, -3.0, 4.0, 5.0]}
    )
    path = write_xlsx(frame, tmp_path / "plan.xlsx")
    sheet = openpyxl.load_workbook(path).active
    cells = [sheet.cell(row=i, column=1) for i in range(2, 7)]
    assert [c.value for c in cells] == ['\'=HYPERLINK("http://x")', "'+1+1", "'-2", "'@SUM(A1)", "Delivery"]
    assert all(c.data_type == "s" for c in cells)
    assert sheet.cell(row=4, column=2).value == -3.0  # numbers stay numbers


def test_lifetime_value_is_revenue_over_churn(sample):
    value = money.lifetime_value(sample).set_index("group")
    answers = sample.responses.dropna(subset=["would_buy_again", "customer_id"]).sort_values("submitted_at")
    latest = answers.groupby("customer_id", observed=True)["would_buy_again"].last()
    customers = sample.customers.set_index("customer_id")
    yes = customers.loc[customers.index.isin(latest.index[latest == 1])]
    churn = yes["churned"].mean()
    revenue = yes["revenue"].mean() / 4  # annual revenue, quarterly churn
    row = value.loc["would buy again"]
    assert row["customers"] == len(yes)
    assert row["lifetime_value"] == pytest.approx(revenue / churn)
    assert row["lifetime_value_low"] < row["lifetime_value"] < row["lifetime_value_high"]
    assert value.loc["would buy again", "churn"] < value.loc["would not", "churn"]


def test_a_hot_spot_takes_its_teams_goal_as_target_else_the_best_touchpoint(sample, monkeypatch):
    from cxanalysis import touchpoints

    spots = touchpoints.hot_spots(sample, "csat")
    flagged = spots.assign(below=spots["touchpoint"].isin(["Support centre", "Social media"]))
    monkeypatch.setattr(actions, "hot_spots", lambda client, metric: flagged)
    rows = {r["area"]: r for r in actions.hot_spot_actions(sample)}
    # Customer service's goal for support-centre CSAT is 77, above today's score.
    assert rows["Support centre"]["target"] == 77
    assert "Raise support-centre CSAT by 10 %" in rows["Support centre"]["target_source"]
    # No goal for social media: the best touchpoint in the latest period, typed from the answers.
    latest = sample.responses[(sample.responses["period"] == sample.latest_period) & sample.responses["csat"].notna()]
    # The sample's responses carry raking weights: the share satisfied is a weighted mean.
    satisfied = latest.assign(top=100 * (latest["csat"] >= 4) * latest["weight"])
    sums = satisfied.groupby(satisfied["touchpoint"].astype("string"))[["top", "weight"]].sum()
    by_touchpoint = sums["top"] / sums["weight"]
    assert rows["Social media"]["target"] == pytest.approx(by_touchpoint.max())
    assert rows["Social media"]["target_source"].endswith(by_touchpoint.idxmax())
    # The impact and its interval: the difference and its interval, weighted by the touchpoint's share of answers.
    social = flagged.set_index("touchpoint").loc["Social media"]
    weight = social["n_a"] / flagged["n_a"].sum()
    assert (rows["Social media"]["impact_low"], rows["Social media"]["impact_high"]) == pytest.approx(
        (-social["ci_high"] * weight, -social["ci_low"] * weight)
    )
    assert rows["Social media"]["owner_id"] == "marketing"


def test_the_plan_as_shown_puts_today_and_the_target_side_by_side(sample, plan):
    from cxanalysis import words

    shown = words.plan_display(plan, "NOK")
    assert shown.columns.tolist() == [
        "rank",
        "area",
        "initiative",
        "owner",
        "today_→_target",
        "expected_uplift",
        "cost_(NOK)",
        "due",
    ]
    row = shown.set_index("area").loc["Troubleshooting"]
    first = plan.set_index("area").loc["Troubleshooting"]
    assert (
        row["today_→_target"]
        == (f"{first['metric_to_watch']}: {words.number(first['current'], 1)} → {words.number(first['target'], 1)}")
        == words.target_move(first["metric_to_watch"], first["current"], first["target"])
    )
    assert row["cost_(NOK)"] == "350,000"
    assert shown.set_index("area").loc["Delivery", "cost_(NOK)"] == ""


def test_validate_names_an_area_without_owner_and_an_initiative_owner_that_is_no_team(tmp_path):
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    import yaml

    from conftest import SAMPLE_CONFIG

    folder = tmp_path / "nordlys"
    shutil.copytree(SAMPLE_CONFIG.parent, folder)
    config = yaml.safe_load((folder / "client.yml").read_text(encoding="utf-8"))
    config["action_plan"]["initiatives"][1]["owner"] = "support"
    del config["action_plan"]["owners"]["communication"]  # an area no team owns
    (folder / "client.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    cli = str(Path(sys.executable).parent / "cxanalysis")
    done = subprocess.run([cli, "validate", str(folder / "client.yml")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stdout.splitlines() if line.startswith("Warning: action")]
    assert warnings == [
        "Warning: action plan area 'Communication' (negative comment theme) has no owner: set a team id for it "
        "under action_plan.owners (e.g. 'communication: <team id>'), or an owner on its initiative",
        "Warning: action_plan.initiatives[1] 'Reply to every contact within one working day, with a daily review "
        "of the open queue' names owner 'support', which is not a team in the stakeholders file (teams: customer_service, "
        "customers, it, leadership, marketing, product, quality, sales)",
    ]
