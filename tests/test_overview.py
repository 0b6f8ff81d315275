"""The executive summary's figures: headline table, its sentences and display, at a glance, top actions."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy.stats import norm

from conftest import write_client
from cxanalysis import compare_csat, compare_nps, open_client, overview

Z = norm.ppf(0.975)

# Two quarters of 40 answers each. NPS: 8 promoters, 12 passives, 20 detractors (NPS -30), then 28, 8 and 4 (NPS 60).
# CSAT: 20 of 40 satisfied (50 %), then 22 of 40 (55 %).
NPS_BEFORE = [10] * 8 + [7] * 12 + [3] * 20
NPS_LATEST = [9] * 28 + [8] * 8 + [0] * 4
CSAT_BEFORE = [5] * 20 + [2] * 20
CSAT_LATEST = [4] * 22 + [1] * 18


def write_survey(folder, rows: list[tuple[str, float, float]]):
    pd.DataFrame(
        {
            "Id": [f"R{i}" for i in range(len(rows))],
            "Dato": [day for day, _, _ in rows],
            "Anbefale": [nps for _, nps, _ in rows],
            "Fornøyd": [csat for _, _, csat in rows],
        }
    ).to_csv(folder / "svar.csv", index=False)
    columns = {"response_id": "Id", "submitted_at": "Dato", "nps": "Anbefale", "csat": "Fornøyd"}
    return open_client(write_client(folder, [{"name": "svar", "path": "svar.csv", "columns": columns}]))


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    rows = [("2025-02-10", n, c) for n, c in zip(NPS_BEFORE, CSAT_BEFORE)]
    rows += [("2025-05-10", n, c) for n, c in zip(NPS_LATEST, CSAT_LATEST)]
    rows += [("ikke en dato", 9, 4), ("", 10, 5)]  # two rows the data-quality appendix quarantines
    return write_survey(tmp_path_factory.mktemp("two_quarters"), rows)


@pytest.fixture(scope="module")
def headline(client):
    return overview.headline_table(client)


def adjusted_wald(promoters: int, detractors: int, n: int) -> tuple[float, float]:
    n_adj = n + 3
    p, d = (promoters + 0.75) / n_adj, (detractors + 0.75) / n_adj
    se = math.sqrt((p + d - (p - d) ** 2) / n_adj)
    return 100 * (p - d - Z * se), 100 * (p - d + Z * se)


def wilson(successes: int, n: int) -> tuple[float, float]:
    p = successes / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return 100 * (centre - half), 100 * (centre + half)


def holm(p: list[float]) -> list[float]:
    """Holm's step-down adjustment typed out: sort, multiply by m, m - 1, ..., keep the running maximum."""
    order = sorted(range(len(p)), key=p.__getitem__)
    adjusted, running = [0.0] * len(p), 0.0
    for step, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - step) * p[i]))
        adjusted[i] = running
    return adjusted


def shown(value: float, low: float, high: float, sign: str = "") -> str:
    """An estimate as the summary shows it: rounded with its interval to one significant digit of the
    half-width (two when that digit is 1), a real minus sign."""
    half = (high - low) / 2
    exponent = math.floor(math.log10(half))
    d = max(0, -exponent + (1 if half / 10**exponent < 2 else 0))
    return " ".join([f"{value:{sign}.{d}f}", f"({low:{sign}.{d}f}", "to", f"{high:{sign}.{d}f})"]).replace(
        "-", "\u2212"
    )


def test_headline_gives_each_score_in_the_latest_period_with_its_interval(headline):
    assert headline["metric"].tolist() == ["nps", "csat"]
    assert set(headline["period"]) == {"2025Q2"}
    nps, csat = headline.iloc[0], headline.iloc[1]
    assert nps["estimate"] == pytest.approx(100 * (28 - 4) / 40)
    assert (nps["ci_low"], nps["ci_high"]) == pytest.approx(adjusted_wald(28, 4, 40))
    assert csat["estimate"] == pytest.approx(100 * 22 / 40)
    assert (csat["ci_low"], csat["ci_high"]) == pytest.approx(wilson(22, 40))
    assert headline["n"].tolist() == [40, 40]


def test_headline_change_since_the_previous_period_is_adjusted_over_the_scores(headline):
    nps_change = compare_nps(NPS_LATEST, NPS_BEFORE).iloc[0]
    csat_change = compare_csat(CSAT_LATEST, CSAT_BEFORE).iloc[0]
    nps, csat = headline.iloc[0], headline.iloc[1]
    assert nps["change"] == pytest.approx(60 - (-30))
    assert csat["change"] == pytest.approx(55 - 50)
    assert (nps["change_ci_low"], nps["change_ci_high"]) == pytest.approx((nps_change["ci_low"], nps_change["ci_high"]))
    assert (csat["change_ci_low"], csat["change_ci_high"]) == pytest.approx(
        (csat_change["ci_low"], csat_change["ci_high"])
    )
    expected = holm([nps_change["p_value"], csat_change["p_value"]])
    assert headline["p_adjusted"].tolist() == pytest.approx(expected)


def test_headline_sentences_put_the_level_then_the_change(headline):
    sentences = overview.headline_sentences(headline)
    assert sentences == [f"{row.reading} in 2025Q2. {row.change_reading}" for row in headline.itertuples()]


def test_headline_display_shows_intervals_and_a_verdict(headline):
    display = overview.headline_display(headline)
    nps_low, nps_high = adjusted_wald(28, 4, 40)
    csat_change = compare_csat(CSAT_LATEST, CSAT_BEFORE).iloc[0]
    assert display["score"].tolist() == ["NPS", "CSAT %"]
    assert display.loc[0, "2025Q2_(95 %_CI)"] == shown(60.0, nps_low, nps_high)
    assert display["n"].tolist() == [40, 40]
    assert display.loc[1, "change_(95 %_CI)"] == shown(5.0, csat_change["ci_low"], csat_change["ci_high"], "+")
    assert "adjusted_p" not in display  # p-values stay in the saved table and chapter 5
    # NPS rose 90 points, far beyond chance; with 40 answers a quarter CSAT's 5 points cannot be told from chance
    assert display["reading"].tolist() == ["likely a real rise", "too few answers to tell"]


def test_a_single_period_has_levels_and_no_change(tmp_path):
    client = write_survey(tmp_path, [("2025-05-10", n, c) for n, c in zip(NPS_LATEST, CSAT_LATEST)])
    headline = overview.headline_table(client)
    assert "change" not in headline
    assert headline["estimate"].tolist() == pytest.approx([60.0, 55.0])
    display = overview.headline_display(headline)
    assert display["change_(95 %_CI)"].tolist() == ["no earlier period"] * 2
    assert overview.headline_sentences(headline) == [f"{row.reading} in 2025Q2." for row in headline.itertuples()]


def test_a_score_asked_in_earlier_periods_only_is_left_out_of_the_headline(tmp_path):
    rows = [("2025-02-10", n, c) for n, c in zip(NPS_BEFORE, CSAT_BEFORE)]
    rows += [("2025-05-10", n, None) for n in NPS_LATEST]  # the CSAT survey stopped after the first quarter
    headline = overview.headline_table(write_survey(tmp_path, rows))
    assert headline["metric"].tolist() == ["nps"]
    assert headline.loc[0, "change"] == pytest.approx(90.0)


def test_a_latest_period_below_the_anonymity_threshold_shows_no_figure(tmp_path):
    rows = [("2025-02-10", n, c) for n, c in zip(NPS_BEFORE, CSAT_BEFORE)]
    rows += [("2025-05-10", n, c) for n, c in zip(NPS_LATEST, CSAT_LATEST[:3] + [None] * 37)]
    headline = overview.headline_table(write_survey(tmp_path, rows)).set_index("metric")
    assert pd.isna(headline.loc["csat", "n"])  # a suppressed figure carries no count
    assert math.isnan(headline.loc["csat", "estimate"]) and math.isnan(headline.loc["csat", "change"])
    assert headline.loc["nps", "change"] == pytest.approx(90.0)


def test_at_a_glance_has_only_the_data_line_when_the_data_supports_nothing_else(client):
    lines = overview.at_a_glance(client)
    assert len(lines) == 2  # no attributes, comments, touchpoints or revenue figures
    assert lines[0].startswith("**Data**")
    assert "82 rows read from 1 file, 80 used, 2 quarantined" in lines[0]
    # ... and what the missing data would add, each piece said once
    assert lines[1].startswith("**More data would add**: A stakeholders file would tie each team's goals")
    for piece in ("attribute ratings", "touchpoint column", "customers file with revenue", "an action log"):
        assert lines[1].count(piece) == 1, piece


def test_at_a_glance_on_the_sample_has_every_line_in_order():
    lines = overview.at_a_glance(open_client(None))
    openings = [line.split("**")[1] for line in lines]
    assert openings == [
        "Drivers of NPS",
        "Complaint themes",
        "Hot spots",
        "Revenue at risk",
        "Listening",
        "Against benchmarks",
        "Data",
    ]


def test_top_actions_take_the_first_of_the_plan_with_the_target_in_words():
    plan = pd.DataFrame(
        {
            "rank": [1, 2, 3, 4, 5, 6],
            "initiative": ["Track every parcel", *["initiative to be defined"] * 5],
            "area": ["Delivery", "Troubleshooting", "Price", "Returns", "Website", "Store"],
            "kind": ["touchpoint", "attribute", "theme", "touchpoint", "touchpoint", "touchpoint"],
            "owner": ["quality", "customer_service", "sales", "product", "marketing", "sales"],
            "metric_to_watch": ["CSAT %", "NPS", "NPS", "CES", "CSAT %", "CSAT %"],
            "current": [71.2, -3.6, 12.0, 4.9, 80.1, 83.0],
            "target": [76.4, 2.0, 15.0, 5.6, 85.0, 86.0],
            "due": ["2026-06-30"] * 6,
        }
    )
    top = overview.top_actions(plan)
    assert top.columns.tolist() == ["rank", "initiative", "action_area", "owner", "target", "due"]
    assert top["initiative"].iloc[0] == "Track every parcel"
    assert top["rank"].tolist() == [1, 2, 3, 4, 5]
    assert top["action_area"].tolist() == ["Delivery", "Troubleshooting", "Price", "Returns", "Website"]
    # One style: a true minus, whole numbers for NPS and shares, one decimal for a CES mean.
    assert top["target"].tolist() == [
        "CSAT %: 71 → 76",
        "NPS: −4 → 2",
        "NPS: 12 → 15",
        "CES: 4.9 → 5.6",
        "CSAT %: 80 → 85",
    ]
    assert overview.top_actions(plan, count=2)["owner"].tolist() == ["quality", "customer_service"]
    assert overview.top_actions(plan.iloc[0:0]).empty


def test_a_summary_without_goals_customers_file_or_action_log_says_what_each_would_add(tmp_path):
    import shutil

    import yaml

    from cxanalysis import actions, goals, words
    from cxanalysis.paths import SAMPLE_DIR

    folder = tmp_path / "plain"
    shutil.copytree(SAMPLE_DIR, folder)
    config = yaml.safe_load((folder / "client.yml").read_text(encoding="utf-8"))
    for key in ("stakeholders", "customers", "action_log"):
        del config[key]
    config["output_dir"] = str(tmp_path / "build")
    (folder / "client.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    client = open_client(folder / "client.yml")

    progress = goals.goal_progress(client)
    headline = overview.headline_table(client)
    plan = actions.action_plan(client)
    statement = words.headline_statement(progress, headline, plan)
    assert progress.empty and "goal" not in statement
    assert statement.startswith("Since the previous period, CSAT (% satisfied) is back from an unusual low.")
    # Owners without a stakeholders file are the config's team ids in words, never raw ids.
    assert "customer_service" not in statement and "Customer service" in statement
    assert not (plan["owner"].str.contains("_")).any()
    lines = overview.at_a_glance(client, plan)
    revenue = next(line for line in lines if line.startswith("**Revenue at risk**"))
    assert "from CSAT's uncertainty alone, as the config's churn is taken as given" in revenue
    assert "(config)" in revenue
    more = lines[-1]
    assert more.startswith("**More data would add**")
    for piece in ("stakeholders file", "customers file", "action log"):
        assert more.count(piece) == 1, piece
    assert overview.promising_changes(client) == []
    assert not [line for line in [statement, *lines] if "nan" in line.casefold().split()]


def test_the_summary_says_how_well_the_sample_listens_from_the_chapters_own_figures():
    """The summary's listening line: the follow-up rate and median days of chapter 8 and the low channel of
    chapter 3, computed by the functions those chapters call; the benchmarks line follows it."""
    from cxanalysis import follow_up, response_rates

    sample = open_client(None)
    lines = overview.at_a_glance(sample)
    listening = next(line for line in lines if line.startswith("**Listening**"))
    figures = follow_up.closing_the_loop(sample).figures.set_index("figure")
    rate = figures.loc["follow_up_rate"]
    assert f"{rate['estimate']:.0f} % of the {figures.loc['due', 'estimate']:.0f} detractors" in listening
    assert f"(95 % CI {rate['ci_low']:.0f} to {rate['ci_high']:.0f} %)" in listening
    assert f"within {figures.loc['median_working_days', 'estimate']:.0f} working days" in listening
    low = response_rates.response_rates(sample).channels.query("low_response")["channel"].tolist()
    assert low == ["SMS"] and "customers asked by SMS answer clearly less often" in listening
    assert lines[lines.index(listening) + 1].startswith("**Against benchmarks**")
    assert overview.glance_listening(None, None) == ""
