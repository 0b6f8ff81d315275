"""The executive summary's teaching material and chapter 5's pitfalls hold on the sample: the summary run
through papermill works its "back from an unusual low" by hand to the summary's own reading, its exercise
(the summary built one quarter earlier) finds the outcome it states, and the pitfalls section shows the
numbers of the measurement table."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import cxanalysis as cx
from cxanalysis import measurement
from exercises import run_chapter, sample_copy, shown_markdown, solution

pytestmark = pytest.mark.slow

#: A submission date in the last quarter of 2025, as the relational survey's file writes it (31.12.2025 09:15).
FOURTH_QUARTER = re.compile(r"\d\d\.1[0-2]\.2025")


def _without_the_fourth_quarter(tmp_path):
    """A copy of the sample client whose two survey files stop on 30 September 2025."""
    config = sample_copy(tmp_path)
    relational = config.parent / "relational_nps.csv"
    lines = relational.read_bytes().decode("utf-8-sig").split("\r\n")
    kept = [lines[0]] + [line for line in lines[1:] if line and not FOURTH_QUARTER.match(line.split(";")[1])]
    assert len(lines) - len(kept) > 400  # the quarter's answers and the trailing empty line
    relational.write_bytes(("\r\n".join(kept) + "\r\n").encode("utf-8-sig"))
    transactional = config.parent / "transactional.xlsx"
    answers = pd.read_excel(transactional, sheet_name="Responses")
    answers[answers["Timestamp"] < "2025-10-01"].to_excel(transactional, sheet_name="Responses", index=False)
    return config


def _csat_by_period():
    table = measurement.metric_table(cx.open_client(None))
    overall = table[(table["metric"] == "csat") & (table["dimension"] == "all")]
    return overall.set_index("period")


def _number(text: str) -> float:
    return float(text.replace("−", "-").replace(",", ""))


def test_the_summary_works_its_rebound_by_hand_to_its_own_reading(tmp_path):
    """Chapter 0: the worked example finds 2025Q3's CSAT below its lower limit and the rise after it a
    rebound, the reading the summary gives; the solution names 2025Q3 as CSAT's unusual quarter."""
    notebook = run_chapter("00_executive_summary", tmp_path)
    shown = shown_markdown(notebook)
    csat = _csat_by_period()
    worked = re.search(r"CSAT \(% satisfied\) in 2025Q3, ([\d.]+) %, lies below the lower limit ([\d.]+) %", shown)
    assert worked, shown
    assert _number(worked[1]) == round(csat.loc["2025Q3", "estimate"], 1)
    assert _number(worked[1]) < _number(worked[2])
    assert "and it rose in 2025Q4: the summary reads “back from an unusual low”" in shown
    assert "CSAT (% satisfied) is back from an unusual low" in shown  # the summary's first sentence
    text = solution(notebook)
    assert "up to 2025Q4, CSAT (% satisfied) reads “back from an unusual low”" in text, text
    assert "2025Q3 (low)" in text and text.count("no period lies outside") == 2, text


def test_the_summary_built_one_quarter_earlier_does_not_yet_call_the_dip_unusual(tmp_path):
    """Chapter 0's exercise: with the answers up to 2025Q3, CSAT's fall reads "too few answers to tell" and
    no quarter of any score lies outside the limits the other quarters set."""
    text = solution(run_chapter("00_executive_summary", tmp_path, config=_without_the_fourth_quarter(tmp_path)))
    assert "up to 2025Q3, CSAT (% satisfied) reads “too few answers to tell”; no period lies outside" in text, text
    assert text.count("no period lies outside the limits") == 3 and "2025Q4" not in text, text


def test_the_pitfalls_show_the_dip_and_rebound_of_the_measurement_table(tmp_path):
    """Chapter 5's pitfalls: the Q3 dip and the Q4 rebound are the measurement table's CSAT, the
    decomposition adds up, the simulation shows a rise with no cause, and NPS's cut-offs move NPS."""
    shown = shown_markdown(run_chapter("05_significance", tmp_path))
    csat = _csat_by_period()
    dip = re.search(
        r"CSAT \(% satisfied\) dipped to ([\d.]+) % in 2025Q3 .*?, below the lower limit ([\d.]+) % .*? came back "
        r"to ([\d.]+) % in 2025Q4",
        shown,
    )
    assert dip, shown
    assert _number(dip[1]) == round(csat.loc["2025Q3", "estimate"], 1)
    assert _number(dip[3]) == round(csat.loc["2025Q4", "estimate"], 1)
    assert _number(dip[1]) < _number(dip[2])
    # the simulated worst segment rises with nothing changed
    simulated = re.search(r"averages ([\d.]+) % when picked and ([\d.]+) % one period later", shown)
    assert simulated and _number(simulated[1]) < _number(simulated[2]), shown
    # the sample's largest mix part is said to be small, and the constructed example falls while both rise
    mix = re.search(
        r"moved ([−+\d.]+) percentage points, ([−+\d.]+) percentage points within segments and "
        r"([−+\d.]+) percentage points from the mix\. That is small",
        shown,
    )
    assert mix and _number(mix[1]) == pytest.approx(_number(mix[2]) + _number(mix[3]), abs=0.11), shown
    assert "Both segments rise 2.0 percentage points, yet the overall score falls from 84.0 % to 74.0 %" in shown
    assert re.search(r"in the smallest group, \*\*[^*]+\*\* \(n = \d+\)", shown), shown
    assert re.search(r"counting 8 as a promoter would make NPS [\d.]+, counting 6 as a passive", shown), shown
