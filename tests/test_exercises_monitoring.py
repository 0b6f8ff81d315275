"""The exercises of the monitoring chapter and the reproducibility appendix hold on the sample: each chapter,
run through papermill with the exercise's change, shows the stated outcome in its output and in its computed
solution."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from exercises import run_chapter, sample_copy, shown_markdown, solution

pytestmark = pytest.mark.slow

MINUS = "\u2212"
NUMBER = rf"({MINUS}?[\d,]+(?:\.\d+)?)"


def as_float(text: str) -> float:
    return float(text.replace(MINUS, "-").replace(",", ""))


def laney_sigma_z(count: pd.Series, n: pd.Series) -> float:
    """σz typed separately from the package: the mean moving range of the z-scores over d2 = 1.128."""
    p_bar = count.sum() / n.sum()
    z = (count / n - p_bar) / np.sqrt(p_bar * (1 - p_bar) / n)
    return float(np.abs(np.diff(z.to_numpy())).mean() / 1.128)


def test_the_third_quarter_drop_stays_under_the_limits_it_widens(tmp_path):
    """Chapter 8, exercise 1: the months of the quarter the scores by period call unusual stay below the CSAT
    chart's upper limits, and the drop raises σz and the other months' upper limits."""
    notebook = run_chapter("08_monitoring", tmp_path)
    results = tmp_path / "build" / "results"
    quarters = pd.read_csv(results / "monitoring_periods_csat.csv", keep_default_na=False)
    assert quarters.loc[quarters["signal"] == "below", "period"].tolist() == ["2025Q3"]
    chart = pd.read_csv(results / "monitoring_dissatisfied.csv", keep_default_na=False)
    drop = chart["period"].isin(["2025-07", "2025-08", "2025-09"])
    assert (chart.loc[drop, "signal"] == "").all()
    gaps = (chart["upper_limit"] - chart["share"])[drop]
    nearest = chart.loc[gaps.idxmin(), "period"]

    shown = solution(notebook)
    assert "The months of 2025Q3" in shown, shown
    assert re.search(
        rf"none is above its upper limit; the nearest, {nearest}, is {gaps.min():.1f} percentage points below it",
        shown,
    ), shown
    found = re.search(rf"σz = {NUMBER} with its months in the chart, {NUMBER} without them", shown)
    assert found, shown
    with_drop, without_drop = as_float(found[1]), as_float(found[2])
    assert with_drop == pytest.approx(laney_sigma_z(chart["count"], chart["n"]), abs=0.005)
    assert without_drop == pytest.approx(laney_sigma_z(chart.loc[~drop, "count"], chart.loc[~drop, "n"]), abs=0.005)
    assert with_drop > without_drop > 0
    limits = re.search(rf"upper limits lie at {NUMBER} % on average with the drop .* against {NUMBER} % without", shown)
    assert limits and as_float(limits[1]) > as_float(limits[2]), shown
    assert as_float(limits[1]) == pytest.approx(chart.loc[~drop, "upper_limit"].mean(), abs=0.05)
    # the chapter shows the CSAT chart from Laney's p′ chart: the months vary beyond sampling
    assert "Laney p′ chart" in shown_markdown(notebook)


def test_weekly_limits_lie_further_apart_than_monthly(tmp_path):
    """Chapter 8, exercise 2: with grain = "week" both charts' limits lie further apart than by month, and
    the solution names the weeks outside their limits that the chapter's chart shows."""
    notebook = run_chapter("08_monitoring", tmp_path, grain="week")
    results = tmp_path / "build" / "results"
    text = shown_markdown(notebook)
    assert re.search(r"centre line [\d.]+ % over 5[23] weeks", text), text[:2000]
    shown = solution(notebook)
    widths = re.findall(rf"by week the limits lie {NUMBER} percentage points apart on average, against {NUMBER}", shown)
    assert len(widths) == 2, shown
    for week, month in widths:
        assert as_float(week) > as_float(month), shown
    for name, (week, _month) in zip(("detractors", "dissatisfied"), widths, strict=True):
        weekly = pd.read_csv(results / f"monitoring_{name}.csv", keep_default_na=False)
        assert weekly["period"].str.contains("-W").all()
        assert as_float(week) == pytest.approx((weekly["upper_limit"] - weekly["lower_limit"]).mean(), abs=0.05)
    csat = pd.read_csv(results / "monitoring_dissatisfied.csv", keep_default_na=False)
    signalled = csat.loc[csat["signal"] != "", "period"].tolist()
    csat_text = shown[shown.index("Share of CSAT") :]
    for week in signalled:
        assert week in csat_text and week in text, (week, csat_text)


def test_a_year_of_months_narrows_the_early_warning(tmp_path):
    """Chapter 8, exercise 3: with trend_months = 12 the chapter's early warning covers the year, and the
    solution's twelve-month interval is narrower than the six-month one, with the same slope as the chapter."""
    notebook = run_chapter("08_monitoring", tmp_path, trend_months=12)
    text = shown_markdown(notebook)
    chapter = re.search(rf"{NUMBER} NPS points a month from 2025-01 to 2025-12 \(95 % CI {NUMBER} to {NUMBER}", text)
    assert chapter, text
    shown = solution(notebook)
    assert chapter[0] in shown, shown
    assert re.search(r"over 6 months: .* from 2025-07 to 2025-12", shown), shown
    found = re.search(rf"The interval over 12 months is {NUMBER} points wide, against {NUMBER} over 6 months", shown)
    assert found and as_float(found[1]) < as_float(found[2]), shown
    assert as_float(found[1]) == pytest.approx(as_float(chapter[3]) - as_float(chapter[2]), abs=0.15)
    readings = re.findall(r"(no early warning|an early warning)", shown)
    assert len(readings) == 2
    assert ("Both windows read the same" in shown) == (readings[0] == readings[1]), shown


FINGERPRINT = re.compile(r"(\S+\.(?:csv|xlsx|yml|yaml|json))\s+(?:[\d,]+|–)\s+([0-9a-f]{16})…")


def fingerprints(notebook) -> dict[str, str]:
    """The input files and the start of their fingerprints, as the appendix's table shows them."""
    return dict(FINGERPRINT.findall(shown_markdown(notebook)))


def change_first_answer(path, column: str) -> None:
    """Change the first response's answer in ``column`` of a semicolon CSV with a byte-order mark, byte for byte
    elsewhere: 0 unless it was 0, then 1."""
    raw = path.read_bytes()
    header, first, rest = raw.split(b"\n", 2)
    index = header.decode("utf-8-sig").split(";").index(column)
    cells = first.split(b";")
    cells[index] = b"0" if cells[index] != b"0" else b"1"
    path.write_bytes(b"\n".join([header, b";".join(cells), rest]))


def test_one_changed_cell_changes_that_file_fingerprint_only(tmp_path):
    """Appendix 91: two copies of the same sample show the same fingerprints; a copy with one cell of
    relational_nps.csv changed differs in that file's fingerprint only, and it is the fingerprint the
    solution computed for that change."""
    runs = {}
    for name in ("same", "again", "changed"):
        folder = tmp_path / name
        folder.mkdir()
        config = sample_copy(folder, lambda c: c.update(output_dir=str(tmp_path / "output")))
        if name == "changed":
            change_first_answer(config.parent / "relational_nps.csv", "Likelihood to recommend (0-10)")
        runs[name] = run_chapter("91_reproducibility", folder, config=config)
    same, again, changed = (fingerprints(runs[name]) for name in ("same", "again", "changed"))
    assert len(same) >= 5 and "relational_nps.csv" in same, same
    assert same == again
    assert {f for f in same if same[f] != changed[f]} == {"relational_nps.csv"}
    for run in runs.values():
        assert "read now has the fingerprint recorded when this book was built" in solution(run)
    shown = solution(runs["same"]).replace("\\", "")
    found = re.search(r"changes the file's fingerprint from `(\w+)…` to `(\w+)…`; .* unchanged keep `(\w+)…`", shown)
    assert found, shown
    assert found[1] == found[3] == same["relational_nps.csv"]
    assert found[2] == changed["relational_nps.csv"]
