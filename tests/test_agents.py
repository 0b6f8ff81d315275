"""Teams and agents: shrinkage against an independent meta-analysis, interval coverage by simulation, the
sample's planted agents, anonymity of agents with few answers, and a bad agent-satisfaction file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects

import cxanalysis as cx
from conftest import REPO
from cxanalysis import agents, words
from cxanalysis.config import OperationalFile, load_config
from cxanalysis.errors import CXInputError
from cxanalysis.loading import Table, load_agent_satisfaction

SAMPLE = REPO / "data" / "sample"


def test_between_agent_variance_and_team_mean_match_statsmodels_dersimonian_laird():
    rng = np.random.default_rng(3)
    for _ in range(20):
        k = int(rng.integers(4, 15))
        v = 2100 / rng.integers(8, 90, size=k)
        y = 70 + 8 * rng.standard_normal(k) + np.sqrt(v) * rng.standard_normal(k)
        out = agents.shrink(y, v)
        reference = combine_effects(y, v, method_re="dl")
        assert out["tau2"].iloc[0] == pytest.approx(max(0.0, reference.tau2), rel=1e-9, abs=1e-9)
        # statsmodels leaves a negative tau2 as it is; truncated at 0, the random-effects mean is the fixed-effect one
        mean, variance = (
            (reference.mean_effect_re, reference.var_eff_w_re)
            if reference.tau2 > 0
            else (reference.mean_effect_fe, reference.var_eff_w_fe)
        )
        assert out["mean"].iloc[0] == pytest.approx(mean, rel=1e-9)
        assert out["mean_variance"].iloc[0] == pytest.approx(variance, rel=1e-9)


def test_the_shrunk_value_and_its_interval_follow_morris_formula_typed_here():
    y = np.array([50.0, 85.0, 70.0, 75.0, 66.0])
    v = np.array([25.0, 25.0, 25.0, 400.0, 100.0])
    k = len(y)
    w = 1 / v
    fixed = (w * y).sum() / w.sum()
    tau2 = max(0.0, ((w * (y - fixed) ** 2).sum() - (k - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    mu = (y / (v + tau2)).sum() / (1 / (v + tau2)).sum()
    b = (k - 3) / (k - 1) * v / (v + tau2)
    theta = mu + (1 - b) * (y - mu)
    var = v * (1 - b) + b**2 / (1 / (v + tau2)).sum() + 2 / (k - 3) * b**2 * (y - mu) ** 2
    out = agents.shrink(y, v)
    np.testing.assert_allclose(out["shrunk"], theta, rtol=1e-12)
    np.testing.assert_allclose(out["shrunk_low"], theta - 1.959963984540054 * np.sqrt(var), rtol=1e-12)
    assert tau2 > 0  # the example does pool: every agent moves towards mu, the farthest the most in points
    assert np.all(np.abs(theta - mu) < np.abs(y - mu))


def test_each_team_is_shrunk_on_its_own_and_tiny_teams_keep_their_own_scores():
    rng = np.random.default_rng(5)
    y, v = 70 + 10 * rng.standard_normal(11), 2100 / rng.integers(10, 80, size=11)
    teams = np.array(["a"] * 6 + ["b"] * 3 + ["c"] * 2)
    together = agents.shrink(y, v, teams)
    for team in ("a", "b", "c"):
        alone = agents.shrink(y[teams == team], v[teams == team])
        np.testing.assert_allclose(together[teams == team].to_numpy(), alone.to_numpy(), rtol=1e-12)
    small = together[teams != "a"]
    np.testing.assert_allclose(small["shrunk"], y[teams != "a"])
    np.testing.assert_allclose(small["shrunk_variance"], v[teams != "a"])


@pytest.mark.parametrize(("agents_in_team", "tau"), [(8, 6.0), (30, 4.0)])
def test_shrunk_intervals_cover_the_true_agent_values_near_their_level(agents_in_team, tau):
    rng = np.random.default_rng(11)
    covered = []
    for _ in range(1500):
        n = rng.integers(10, 80, size=agents_in_team)
        truth = 70 + tau * rng.standard_normal(agents_in_team)
        v = 2100 / n
        out = agents.shrink(truth + np.sqrt(v) * rng.standard_normal(agents_in_team), v)
        covered.append((out["shrunk_low"] <= truth) & (truth <= out["shrunk_high"]))
    coverage = float(np.mean(covered))
    assert 0.925 <= coverage <= 0.975, coverage


def test_agent_intervals_cover_true_shares_when_answers_are_satisfied_or_not():
    """The whole path (answers, design variance, shrinkage) on binary CSAT answers with known agent shares."""
    rng = np.random.default_rng(2)
    covered = []
    for _ in range(150):
        n = rng.integers(10, 80, size=25)
        share = np.clip(0.7 + 0.06 * rng.standard_normal(25), 0.01, 0.99)
        agent = np.repeat(np.arange(25), n)
        satisfied = rng.random(len(agent)) < share[agent]
        answers = pd.DataFrame({"team": "A", "agent": agent.astype(str), "csat": np.where(satisfied, 5.0, 2.0)})
        out = agents.agent_estimates(answers, "csat", min_n=5)
        truth = 100 * share[out["agent"].astype(int)]
        covered.append((out["shrunk_low"] <= truth) & (truth <= out["shrunk_high"]))
    coverage = float(np.mean(np.concatenate(covered)))
    assert 0.92 <= coverage <= 0.975, coverage


def _answers(counts: dict[str, int], share: float = 0.7, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    agent = np.repeat(list(counts), list(counts.values()))
    return pd.DataFrame(
        {"team": "Desk", "agent": agent, "csat": np.where(rng.random(len(agent)) < share, 5.0, 1.0), "nps": np.nan}
    )


def test_agents_below_the_threshold_are_never_named_in_the_table_its_view_or_its_reading():
    desk = _answers({"Ann": 40, "Bo": 35, "Cy": 30, "Dag": 3, "Eli": 1, "Fay": 2})
    night = _answers({"Gus": 2, "Hal": 1}, seed=2).assign(team="Night")  # a team of small agents only
    out = agents.agent_estimates(pd.concat([desk, night]), "csat", min_n=5)
    assert set(out["agent"]) == {"Ann", "Bo", "Cy", agents.OTHER_AGENTS}
    others = out[out["agent"] == agents.OTHER_AGENTS].set_index("team")
    assert others.loc["Desk", "agents"] == 3 and others.loc["Desk", "n"] == 6
    assert others.loc["Desk", "estimate"] == pytest.approx(
        100 * (desk.query("agent in ['Dag', 'Eli', 'Fay']")["csat"] >= 4).mean()
    )
    assert others.loc["Night", "agents"] == 2 and pd.isna(others.loc["Night", "n"])  # 3 answers: no count, no score
    assert pd.isna(others.loc["Night", "estimate"]) and pd.isna(others["shrunk"]).all()
    text = " ".join([out.to_csv(), agents.agents_shown(out, "csat").to_csv(), words.agents_reading(out, "csat", 5)])
    for hidden in ("Dag", "Eli", "Fay", "Gus", "Hal"):
        assert hidden not in text


def test_a_small_agent_is_pooled_with_the_smallest_other_so_the_team_total_does_not_reveal_them():
    counts = {"Ann": 40, "Bo": 35, "Cy": 8, "Dag": 2}
    out = agents.agent_estimates(_answers(counts, seed=1), "csat", min_n=5)
    other = out[out["agent"] == agents.OTHER_AGENTS].iloc[0]
    assert other["agents"] == 2 and other["n"] == 10 and not pd.isna(other["estimate"])
    assert set(out["agent"]) == {"Ann", "Bo", agents.OTHER_AGENTS}
    assert other["estimate"] == pytest.approx(
        100 * (_answers(counts, seed=1).query("agent in ['Cy', 'Dag']")["csat"] >= 4).mean()
    )


def test_slope_and_correlation_match_scipy_and_fisher_z_typed_here():
    rng = np.random.default_rng(4)
    x = rng.uniform(55, 75, size=16)
    y = 72 + 0.6 * (x - 65) + 2 * rng.standard_normal(16)
    fit = agents.slope_interval(x, y)
    reference = stats.linregress(x, y)
    t = stats.t.ppf(0.975, 14)
    assert fit["slope"] == pytest.approx(reference.slope)
    assert fit["ci_low"] == pytest.approx(reference.slope - t * reference.stderr)
    assert fit["p_value"] == pytest.approx(reference.pvalue)
    assert fit["r"] == pytest.approx(reference.rvalue)
    assert fit["r_low"] == pytest.approx(np.tanh(np.arctanh(reference.rvalue) - 1.959963984540054 / np.sqrt(13)))


@pytest.fixture(scope="module")
def sample_client(tmp_path_factory):
    return cx.open_client(SAMPLE / "client.yml", tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="module")
def truth() -> dict:
    return yaml.safe_load((SAMPLE / "truth.yml").read_text(encoding="utf-8"))["teams_and_agents"]


def test_the_sample_recovers_the_truly_worse_agent_and_not_the_unlucky_one(sample_client, truth):
    table = agents.agent_scores(sample_client)
    csat = table[table["metric"] == "csat"].set_index("agent")
    worse, unlucky = truth["worse_agent"], truth["unlucky_agent"]
    assert csat.loc[worse["agent"], "stands_out"] == "below"
    assert csat.loc[worse["agent"], "shrunk_high"] < csat.loc[worse["agent"], "team_mean"]
    assert csat.loc[unlucky["agent"], "stands_out"] == ""
    low, high = csat.loc[unlucky["agent"], ["shrunk_low", "shrunk_high"]]
    assert low <= csat.loc[unlucky["agent"], "team_mean"] <= high
    team = csat[(csat["team"] == unlucky["team"]) & (csat.index != agents.OTHER_AGENTS)]
    assert team["estimate"].idxmin() == unlucky["agent"]  # a raw ranking puts the unlucky agent last
    # no other agent was planted to differ from chance: the adjustment keeps them all unflagged
    assert set(csat.index[csat["stands_out"] != ""]) == {worse["agent"]}


def test_the_sample_relates_agent_satisfaction_to_csat_with_the_planted_slope_inside_its_interval(sample_client, truth):
    pairs = agents.asat_pairs(sample_client)
    relation = agents.asat_relation(pairs).iloc[0]
    assert relation["n"] == truth["asat"]["team_periods"] == len(pairs)
    assert relation["ci_low"] < truth["asat"]["slope"] < relation["ci_high"]
    assert relation["p_value"] < 0.05 and relation["unpaired"] == 0


def test_team_scores_are_the_metrics_summary_by_team(sample_client):
    teams = agents.team_scores(sample_client)
    assert set(teams["team"]) == {"Team Aurora", "Team Fjell", "Returns desk", "Social care"}
    support = sample_client.responses[sample_client.responses["team"].notna()]
    aurora = support[support["team"] == "Team Aurora"]
    share = 100 * np.average(aurora["csat"] >= 4, weights=aurora["weight"])
    assert teams.set_index("team").loc["Team Aurora", "estimate"] == pytest.approx(share)


def _asat_config(tmp_path, text: str):
    path = tmp_path / "asat.csv"
    path.write_text(text, encoding="utf-8")
    config = load_config(SAMPLE / "client.yml")
    spec = OperationalFile(path=path, columns={"period": "Quarter"})
    return config.model_copy(update={"agent_satisfaction": spec}), path


def _responses(teams: list[str]) -> Table:
    return Table(pd.DataFrame({"team": pd.Series(teams, dtype="string")}), pd.DataFrame(), pd.DataFrame())


def test_an_unknown_team_names_the_file_column_and_row(tmp_path):
    config, path = _asat_config(tmp_path, "team,Quarter,asat\nTeam Aurora,2025Q1,71\nTeam Borealis,2025Q1,70\n")
    with pytest.raises(CXInputError) as caught:
        load_agent_satisfaction(config, _responses(["Team Aurora", "Team Fjell"]))
    error = caught.value
    assert (error.file, error.column, error.row) == (str(path), "team", 3)
    assert "Team Borealis" in str(error) and "Team Fjell" in str(error)


def test_a_period_not_written_like_the_files_first_names_the_file_column_and_row(tmp_path):
    config, path = _asat_config(tmp_path, "team,Quarter,asat\nTeam Aurora,2025Q1,71\nTeam Aurora,Q2 2025,70\n")
    with pytest.raises(CXInputError) as caught:
        load_agent_satisfaction(config, _responses(["Team Aurora"]))
    error = caught.value
    assert (error.file, error.column, error.row) == (str(path), "Quarter", 3)
    assert "2025Q1" in str(error)


def test_an_asat_outside_0_to_100_is_quarantined_and_counted(tmp_path):
    config, _ = _asat_config(tmp_path, "team,Quarter,asat\nTeam Aurora,2025Q1,71\nTeam Aurora,2025Q2,0.7x\n")
    table = load_agent_satisfaction(config, _responses(["Team Aurora"]))
    assert table is not None and len(table.valid) == 1
    assert table.quarantine[["row", "reason"]].values.tolist() == [[3, "not_a_number"]]


def test_teams_are_compared_with_the_other_teams_by_a_test_not_by_overlapping_intervals(sample_client):
    """Each team against the other teams, adjusted across teams (the segment comparison of chapter 5); the
    reading names only a team that differs beyond chance, and says so when none does."""
    from cxanalysis.significance import segment_differences

    differences = agents.team_differences(sample_client)
    expected = segment_differences(sample_client, ["csat"], ["team"])
    pd.testing.assert_frame_equal(differences, expected)
    assert set(differences["level"]) == {"Team Aurora", "Team Fjell", "Returns desk", "Social care"}
    teams = agents.team_scores(sample_client)
    reading = words.team_reading(teams, differences)
    assert not differences["verdict"].str.startswith("significant").any()
    assert "No team differs from the other teams beyond chance (4 compared)." in reading
    declined = differences.assign(
        verdict=np.where(differences["level"] == "Social care", "significant decline", "none")
    )
    reading = words.team_reading(teams, declined)
    assert "**Social care**" in reading and "No team differs" not in reading


def test_quarterly_agent_satisfaction_pairs_with_quarterly_csat_in_a_monthly_report(tmp_path):
    """A file that counts in quarters beside a report that counts in months: each quarter's agent
    satisfaction meets the team's CSAT of that quarter, counted from the answers' dates."""
    from exercises import sample_copy

    monthly = cx.open_client(sample_copy(tmp_path, lambda config: config["report"].update(period="month")))
    assert monthly.periods[0] == "2025-01"
    pairs = agents.asat_pairs(monthly)
    assert pairs["period"].str.fullmatch(r"2025Q[1-4]").all() and pairs["paired"].all() and len(pairs) == 16
    answers = monthly.responses
    quarter = answers["submitted_at"].dt.to_period("Q").astype(str)
    fjell = answers[(answers["team"] == "Team Fjell") & (quarter == "2025Q2") & answers["csat"].notna()]
    satisfied = np.average(fjell["csat"] >= 4, weights=fjell["weight"])
    row = pairs.set_index(["team", "period"]).loc[("Team Fjell", "2025Q2")]
    assert row["csat"] == pytest.approx(100 * satisfied) and row["n"] == len(fjell)


def test_the_teaching_example_of_few_answers_computes_its_chance():
    """Seven answers, two satisfied, a team at two in three: P(at most 2) typed from the binomial terms."""
    from math import comb

    p = 2 / 3
    typed = sum(comb(7, k) * p**k * (1 - p) ** (7 - k) for k in range(3))
    assert agents.chance_as_low(7, 2, p) == pytest.approx(typed, rel=1e-12)
    text = words.few_answers_example(7, 2, p)
    assert "raw CSAT of 29 %" in text and f"one time in {1 / typed:.0f}." in text
