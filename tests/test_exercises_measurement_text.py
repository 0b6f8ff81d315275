"""The exercises of chapters 3 (measurement) and 4 (free text) hold on the sample: each chapter, run through
papermill with the exercise's change, shows the outcome the exercise states, in its own tables and in the
computed solution."""

from __future__ import annotations

import re

import jupytext
import pandas as pd
import pytest

import cxanalysis as cx
from conftest import REPO
from cxanalysis import privacy
from cxanalysis.words import too_few_comments
from exercises import run_chapter, sample_copy, shown_markdown, solution

pytestmark = pytest.mark.slow

TEN_ANSWERS = [10, 9, 9, 8, 7, 6, 3, 10, 10, 5]


def try_it(chapter: str) -> str:
    """The text of the chapter's "Try it" admonition, as its source writes it."""
    cells = jupytext.read(REPO / "notebooks" / f"{chapter}.md").cells
    return next(cell.source for cell in cells if "try-it" in cell.metadata.get("tags", []))


def number(text: str) -> float:
    return float(text.replace("−", "-").replace(",", ""))


@pytest.fixture(scope="module")
def measurement(tmp_path_factory):
    return run_chapter("03_measurement", tmp_path_factory.mktemp("measurement"))


@pytest.fixture(scope="module")
def free_text(tmp_path_factory):
    return run_chapter("04_free_text", tmp_path_factory.mktemp("free_text"))


def test_a_monthly_report_has_twelve_points_with_wider_intervals(tmp_path):
    """Chapter 3, exercise 1: with report.period = month, the NPS trend has twelve periods instead of four,
    and their intervals are wider than the quarters'."""
    config = sample_copy(tmp_path, lambda c: c["report"].update(period="month"))
    shown = solution(run_chapter("03_measurement", tmp_path, config=config))
    metrics = pd.read_csv(tmp_path / "build" / "results" / "metrics.csv")
    trend = metrics[(metrics["metric"] == "nps") & (metrics["dimension"] == "all")]
    assert len(trend) == 12 and trend["period"].str.fullmatch(r"2025-\d\d").all(), trend["period"].tolist()
    found = re.search(
        r"By quarter the NPS trend has (\d+) periods, .* median 95 % interval ([\d.]+) points wide; by month it has "
        r"(\d+) periods, .* median interval ([\d.]+) points wide: ([\d.]+) times as wide",
        shown,
    )
    assert found, shown
    assert (int(found[1]), int(found[3])) == (4, 12)
    assert float(found[4]) > float(found[2]) and float(found[5]) > 1
    # the solution's monthly width is the one the chapter's own monthly trend shows
    assert float(found[4]) == pytest.approx((trend["ci_high"] - trend["ci_low"]).median(), abs=0.05)


def test_ten_answers_give_the_nps_and_interval_the_exercise_states(measurement):
    """Chapter 3, exercise 2: the numbers the exercise quotes are the package's, and so are the solution's."""
    package = cx.nps(TEN_ANSWERS).iloc[0]
    stated = re.search(r"gives (−?\d+) with an interval from about (−?\d+) to (−?\d+)", try_it("03_measurement"))
    assert stated, try_it("03_measurement")
    assert [number(x) for x in stated.groups()] == [
        round(package["estimate"]),
        round(package["ci_low"]),
        round(package["ci_high"]),
    ]
    shown = solution(measurement)
    assert f"so the NPS is {stated[1]}; its 95 % interval runs from {stated[2]} to {stated[3]}" in shown, shown


def test_the_three_interval_methods_agree_on_the_nps_and_none_is_narrow(measurement):
    """Chapter 3, exercise 3: adjusted Wald, Wald and bootstrap give the same NPS, three different intervals,
    none narrower than 90 points, as the solution says."""
    shown = solution(measurement)
    widths = {
        method: number(width)
        for method, width in re.findall(r"(adjusted Wald|Wald|bootstrap): −?\d+ to −?\d+ \((\d+) points wide\)", shown)
    }
    package = {m: cx.nps(TEN_ANSWERS, method=m).iloc[0] for m in ("adjusted-wald", "wald", "bootstrap")}
    assert widths == {
        "adjusted Wald": round(package["adjusted-wald"]["ci_high"] - package["adjusted-wald"]["ci_low"]),
        "Wald": round(package["wald"]["ci_high"] - package["wald"]["ci_low"]),
        "bootstrap": round(package["bootstrap"]["ci_high"] - package["bootstrap"]["ci_low"]),
    }, shown
    assert len(set(widths.values())) == 3 and min(widths.values()) >= 90
    assert len({row["estimate"] for row in package.values()}) == 1
    assert "none of them narrower than 90 points" in try_it("03_measurement")


def test_raising_the_comment_threshold_to_500_hides_the_theme_examples_with_a_note(tmp_path):
    """Chapter 4, exercise 1: with anonymity.min_comments = 500, no theme shows example comments and the
    chapter's note says why; only a group of customers with 500 comments in the latest period keeps its
    examples."""
    config = sample_copy(tmp_path, lambda c: c["anonymity"].update(min_comments=500))
    chapter = run_chapter("04_free_text", tmp_path, config=config)
    shown, text = solution(chapter), shown_markdown(chapter)
    assert too_few_comments(500) in text
    assert "Example comments per theme" not in text
    assert re.search(r"With at least 500 comments required, 0 of the \d+ themes keep their example comments", shown)
    kept = re.search(r"keep their examples: ([^.]+)\.", shown)
    assert kept, shown
    # the groups the solution names are exactly the ones the chapter still shows
    for group in ("Least satisfied", "Most satisfied"):
        assert (group in kept[1]) == (group in text.replace(shown, "")), group


def test_the_redaction_step_replaces_the_customer_number_and_the_phone_number(free_text):
    """Chapter 4, exercise 2: the Redactor call of the exercise, run as written, gives what the solution shows."""
    call = re.search(r"Redactor\(\{\"customer-number\": r\"(.+?)\"\}\)\.redact\(\"(.+?)\"\)", try_it("04_free_text"))
    assert call, try_it("04_free_text")
    redacted = privacy.Redactor({"customer-number": call[1]}).redact(call[2])
    assert redacted == "[customer-number], ring [phone]"
    assert f"turns `{call[2]}` into `{redacted}`: 2 matches" in solution(free_text)


def test_a_theme_added_to_a_copied_taxonomy_joins_the_tables_and_the_impact_test(tmp_path):
    """Chapter 4, exercise 3: a theme added to a copy of themes.yml codes comments, joins the theme tables and
    the impact test, with the counts the solution gives."""
    config = sample_copy(tmp_path, lambda c: c.update(themes="themes.yml"))
    shipped = (REPO / "src" / "cxanalysis" / "themes.yml").read_text(encoding="utf-8")
    (config.parent / "themes.yml").write_text(
        shipped + "\nphone:\n  label: Phone\n  nb: [telefon*]\n", encoding="utf-8"
    )
    chapter = run_chapter("04_free_text", tmp_path, config=config)
    shown = solution(chapter)
    found = re.search(r"The theme \*\*Phone\*\* codes ([\d,]+) of the ([\d,]+) coded comments", shown)
    assert found, shown
    frequency = pd.read_csv(tmp_path / "build" / "results" / "theme_frequency.csv")
    phone = frequency[frequency["theme"] == "phone"]
    assert number(found[1]) == phone["mentions"].sum() > 0
    impact = re.findall(r"the (NPS|CSAT %) of the ([\d,]+) comments mentioning it", shown)
    assert {metric for metric, _n in impact} == {"NPS", "CSAT %"}, shown
    # the chapter's own results: the theme's share of comments and its impact on both scores
    summary = pd.read_csv(tmp_path / "build" / "results" / "themes.csv").set_index("theme")
    assert summary.loc["phone", "mentions"] == number(found[1])
    assert summary.loc["phone", ["nps_difference", "csat_difference"]].notna().all()
    assert "Phone" in shown_markdown(chapter).replace(shown, "")
