"""The exercises of chapters 6 (key drivers) and 7 (revenue at risk and the action plan) hold on the sample: each
chapter run through papermill with the exercise's change shows the outcome the exercise states, in its own
output and in its computed solution.

Exercises that change only the notebook's parameters, the action plan or the action log leave the client's
data as they are, so those runs read the sample's data prepared once, as the chapters of a build do."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

import cxanalysis as cx
from conftest import SAMPLE_CONFIG
from cxanalysis import drivers, prepared_store
from cxanalysis.words import plain_name
from exercises import run_chapter, sample_copy, shown_markdown, solutions

pytestmark = pytest.mark.slow

DRIVERS, ACTIONS = "06_key_drivers", "07_revenue_and_actions"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    """The sample's data read, validated and their comments coded once, as a build prepares them."""
    return cx.open_client(SAMPLE_CONFIG, tmp_path_factory.mktemp("prepared") / "build").prepare()


def run(
    chapter: str, folder: Path, prepared: Path, config: Path = SAMPLE_CONFIG, without: str | None = None, **parameters
):
    """The chapter run with the sample's prepared data in its build folder; ``without`` names a file of the
    client (such as "customers") whose removal the exercise's config makes."""
    target = folder / "build" / ".prepared"
    target.mkdir(parents=True)
    data = prepared_store.read(prepared)
    if without is not None:
        data["tables"][without] = None
    prepared_store.write(data, target / "client.zip")
    return run_chapter(chapter, folder, config=config, **parameters)


def bullet(text: str, start: str) -> str:
    """The solution's bullet that starts with ``start``."""
    found = [line for line in text.split("\n") if line.startswith(f"- {start}")]
    assert len(found) == 1, text
    return found[0]


def test_drivers_of_csat_cannot_be_estimated_in_the_sample(tmp_path, prepared):
    """Chapter 6, exercise 1: with outcome = "csat" no answer has both CSAT and the attribute ratings."""
    notebook = run(DRIVERS, tmp_path, prepared, outcome="csat")
    message = "No response answers both CSAT (% satisfied) and every attribute, so the drivers cannot be estimated."
    shown = shown_markdown(notebook)
    assert message in shown.replace(solutions(notebook)[0], "")  # the chapter's own warning
    assert "Relative weights of the attributes" not in shown
    assert message in bullet(solutions(notebook)[0], "With CSAT (% satisfied) as the outcome the chapter shows no")
    assert not (tmp_path / "build" / "results" / "drivers.csv").exists()


def test_the_planted_drivers_come_first_and_every_planted_share_lies_in_its_interval(tmp_path, prepared):
    """Chapter 6, exercise 2: Troubleshooting and Responsiveness first, as planted in truth.yml."""
    notebook = run(DRIVERS, tmp_path, prepared)
    truth = yaml.safe_load((SAMPLE_CONFIG.parent / "truth.yml").read_text(encoding="utf-8"))
    planted = truth["drivers"]["importance"]["true_share"]
    table = pd.read_csv(tmp_path / "build" / "results" / "drivers.csv")
    overall = table[table["dimension"] == "all"].sort_values("rank")
    assert [plain_name(d) for d in overall["driver"][:2]] == ["Troubleshooting", "Responsiveness"]
    for row in overall.itertuples():
        assert row.share_ci_low <= planted[plain_name(row.driver)] <= row.share_ci_high, row.driver
    text = bullet(solutions(notebook)[0], "The two strongest drivers")
    assert text.startswith("- The two strongest drivers are Troubleshooting and Responsiveness, as planted.")
    assert f"{len(planted)} of the {len(planted)} planted shares lie within their interval." in text
    assert "Troubleshooting 33.4 (" in text and f"against {planted['Troubleshooting']:.1f}" in text


def test_fewer_resamples_keep_the_order_of_the_drivers(tmp_path, prepared):
    """Chapter 6, exercise 3: with resamples = 100 the intervals move a little and the order stays."""
    notebook = run(DRIVERS, tmp_path, prepared, resamples=100)
    assert "(100 resamples)" in shown_markdown(notebook)
    table = pd.read_csv(tmp_path / "build" / "results" / "drivers.csv")
    rough = table[table["dimension"] == "all"].sort_values("rank")
    sample = cx.open_client(SAMPLE_CONFIG, prepared.parent.parent)
    default = drivers.drivers_by_segment(
        sample.responses, "nps", sample.attributes, [], scale=sample.scales["attributes"], resamples=1000
    ).sort_values("rank")
    assert rough["driver"].tolist() == default["driver"].tolist()
    moved = (rough.set_index("driver")["share_ci_low"] - default.set_index("driver")["share_ci_low"]).abs()
    assert 0 < moved.max() < 2
    text = bullet(solutions(notebook)[0], "The order of the attributes")
    assert "is the same with 100 resamples as with 1,000" in text


def test_the_worked_revenue_at_risk_and_difference_in_differences(tmp_path, prepared):
    """Chapter 7, exercise 1 and the worked examples: 950 and 2,375 at risk, 95 a point; the effect of the
    logged change by hand equals the package's."""
    notebook = run(ACTIONS, tmp_path, prepared)
    text = solutions(notebook)[0]
    assert bullet(text, "At 90 % CSAT") == (
        "- At 90 % CSAT, 10 customers are not satisfied and 950 is at risk; at 75 % CSAT, 25 customers are not "
        "satisfied and 2,375 is at risk; each point of CSAT is worth 95."
    )
    effects = pd.read_csv(tmp_path / "build" / "results" / "action_effects.csv")
    ces = effects[effects["metric"] == "ces"].iloc[0]
    shown = shown_markdown(notebook)
    assert f"= +{ces['effect']:.2f}, as the package's estimate in the table above (+{ces['effect']:.2f})" in shown
    assert f"(n = {ces['n_treated_before']})" in shown and f"(n = {ces['n_comparison_after']})" in shown


def money_value(text: str) -> float:
    return float(text.replace(",", ""))


def test_without_the_customers_file_the_configured_churn_is_used(tmp_path, prepared):
    """Chapter 7, exercise 2: without the customers file the chapter reads the configured churn, and the
    revenue at risk is customers x (1 - CSAT) x revenue per customer x that churn."""

    def edit(config: dict) -> None:
        del config["customers"]
        config["money"]["churn_if_dissatisfied"] = 0.3

    notebook = run(ACTIONS, tmp_path, prepared, config=sample_copy(tmp_path, edit), without="customers")
    shown = shown_markdown(notebook)
    assert "The config puts the churn dissatisfaction adds at 30.0 percentage points a year." in shown
    text = bullet(solutions(notebook)[0], "Without the customers file")
    assert "(30.0 percentage points a year)" in text and "From the customers file" not in text
    found = re.search(r"today's CSAT of ([\d.]+) %, NOK ([\d,]+) a year is at risk", text)
    assert found, text
    expected = 12_000 * (1 - float(found[1]) / 100) * 4_800 * 0.3
    assert money_value(found[2]) == pytest.approx(expected, rel=0.01)
    assert f"NOK {found[2]}" in shown.replace(solutions(notebook)[0], "")  # the chapter's own headline
    risk = pd.read_csv(tmp_path / "build" / "results" / "revenue_at_risk.csv").set_index("quantity")
    assert risk.loc["revenue at risk", "estimate"] == pytest.approx(money_value(found[2]), rel=0.01)


def test_harder_responsiveness_puts_troubleshooting_first_and_an_initiative_names_its_line(tmp_path, prepared):
    """Chapter 7, exercise 3: responsiveness at high effort leaves Troubleshooting heading the plan alone; an
    initiative for price replaces "initiative to be defined" on its line."""
    initiative = "Price guarantee for customers on a yearly agreement"

    def edit(config: dict) -> None:
        config["action_plan"]["effort"]["responsiveness"] = "high"
        config["action_plan"]["initiatives"].append({"initiative": initiative, "area": "price"})

    notebook = run(ACTIONS, tmp_path, prepared, config=sample_copy(tmp_path, edit))
    plan = pd.read_csv(tmp_path / "build" / "results" / "action_plan.csv", dtype={"rank": str})
    assert (plan["area"].iloc[0], plan["rank"].iloc[0]) == ("Troubleshooting", "1")
    assert plan.loc[plan["area"] == "Price", "initiative"].tolist() == [initiative]
    assert initiative in shown_markdown(notebook).replace(solutions(notebook)[0], "")
    text = solutions(notebook)[0]
    assert "the plan is then headed by Troubleshooting, against" in bullet(text, "With `responsiveness: high`")
    assert bullet(text, "With an initiative for Price") == (
        f"- With an initiative for Price, its line reads “{initiative}” instead of “initiative to be defined”."
    )


def test_two_treated_regions_of_four_still_too_few_to_tell(tmp_path, prepared):
    """Chapter 7, exercise 4: with Nord added to treated, six ways to choose two regions of four: the smallest
    possible p is 1/6, still too few to tell at 5 %."""

    def edit(config: dict) -> None:
        config["action_log"][0]["treated"]["region"].append("Nord")

    notebook = run(ACTIONS, tmp_path, prepared, config=sample_copy(tmp_path, edit))
    effects = pd.read_csv(tmp_path / "build" / "results" / "action_effects.csv")
    assert effects["min_attainable_p"].tolist() == pytest.approx([1 / 6] * len(effects))
    assert set(effects["verdict"]) == {"too few comparison groups to tell"}
    assert "With 4 regions the smallest p-value possible is 0.17" in shown_markdown(notebook)
    text = bullet(solutions(notebook)[0], "With the change in region Vest, Nord:")
    assert "There are 6 ways to choose which of the 4 regions get the change" in text and "1/6 = 0.17" in text
    assert "too few comparison groups to tell" in text


def test_without_treated_regions_the_change_is_read_as_an_interrupted_time_series(tmp_path, prepared):
    """Chapter 7, exercise 4: without treated, an interrupted time series that names no cause."""

    def edit(config: dict) -> None:
        del config["action_log"][0]["treated"]

    notebook = run(ACTIONS, tmp_path, prepared, config=sample_copy(tmp_path, edit))
    effects = pd.read_csv(tmp_path / "build" / "results" / "action_effects.csv")
    assert effects["method"].str.startswith("interrupted time series").all()
    shown = shown_markdown(notebook).replace(solutions(notebook)[0], "")
    assert "than its earlier trend predicted" in shown
    assert "the change improved" not in shown and "the change worsened" not in shown
    text = bullet(solutions(notebook)[0], "Without `treated`:")
    assert "than its earlier trend predicted" in text
