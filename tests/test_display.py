"""Tables as the reader sees them: escaped, and no count of people under the anonymity threshold."""

from __future__ import annotations

import re

import pandas as pd

from cxanalysis import display


def shown(frame: pd.DataFrame, **options) -> str:
    captured = []
    original = display.display
    display.display = lambda obj: captured.append(obj.data)
    try:
        display.table(frame, **options)
    finally:
        display.display = original
    return captured[0]


def test_counts_under_the_threshold_show_n_less_than_threshold():
    frame = pd.DataFrame(
        {
            "touchpoint": ["Store", "Kiosk", "Web"],
            "responses": [120, 3, 0],
            "comments": [40, 1, 5],
            "csat": [81.2, 50.0, None],
        }
    )
    html = shown(frame, formats={"csat": "{:.1f}"}, min_n=5)
    assert html.count("n &lt; 5") == 2
    assert ">3<" not in html and ">1<" not in html
    assert ">120<" in html and ">0<" in html and ">5<" in html  # zero and counts at the threshold are shown


def test_suppressed_rows_hide_their_numbers():
    frame = pd.DataFrame({"segment": ["A", "B"], "n": [50, 4], "estimate": [12.5, 80.0], "suppressed": [False, True]})
    html = shown(frame, formats={"estimate": "{:.1f}"}, min_n=5)
    assert "80.0" not in html and ">4<" not in html and html.count(">hidden<") == 2 and "12.5" in html
    assert "Hidden: fewer than 5 answers" in html  # the caption says why


def test_each_client_applies_its_own_threshold_whichever_was_opened_last():
    from cxanalysis.client import ClientData
    from cxanalysis.config import load_config

    sample = load_config(None)
    strict = ClientData(
        sample.model_copy(update={"anonymity": sample.anonymity.model_copy(update={"min_responses": 10})})
    )
    lenient = ClientData(
        sample.model_copy(update={"anonymity": sample.anonymity.model_copy(update={"min_responses": 3})})
    )
    frame = pd.DataFrame({"segment": ["A"], "answers": [7]})
    for client, hidden in ((strict, True), (lenient, False), (strict, True)):
        captured = []
        original = display.display
        display.display = lambda obj, out=captured: out.append(obj.data)
        try:
            client.table(frame)
        finally:
            display.display = original
        assert (">7<" not in captured[0]) is hidden, client.min_n
        assert ("n &lt; 10" in captured[0]) is hidden


def test_a_table_must_be_told_its_threshold():
    import pytest

    with pytest.raises(TypeError, match="min_n"):
        display.table(pd.DataFrame({"answers": [7]}))


def test_text_from_data_is_escaped():
    html = shown(pd.DataFrame({"comment": ["<script>alert(1)</script>", "a & b"]}), min_n=5)
    assert "<script>" not in html and "&lt;script&gt;" in html and "a &amp; b" in html


def test_an_estimate_without_its_interval_on_the_page_is_still_rounded_by_it():
    frame = pd.DataFrame(
        {
            "touchpoint": ["Delivery", "Store"],
            "estimate": [82.84, 74.12],  # a touchpoint's level (half-widths 6 and 0.6)
            "level_ci_low_a": [76.0, 73.52],
            "level_ci_high_a": [88.0, 74.72],
            "rest": [73.21, 75.55],  # the rest of the journey (half-width 1.5: leading 1, one decimal)
            "level_ci_low_b": [71.7, 74.05],
            "level_ci_high_b": [74.7, 77.05],
            "difference": [9.63, -1.43],
            "ci_low": [2.0, -3.0],  # the difference's interval, not the level's
            "ci_high": [17.3, 0.2],
        }
    )
    html = shown(
        frame,
        columns=["touchpoint", "estimate", "rest", "difference"],
        formats={"estimate": "{:.1f}", "rest": "{:.1f}", "difference": "{:+.1f}"},
        intervals={"difference": ("ci_low", "ci_high")},
        min_n=None,
    )
    cells = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", html)]
    assert "83" in cells and "74.1" in cells  # each rounded by its own interval
    assert "73.2" in cells and "75.5" in cells
    assert "+10 (+2 to +17)" in cells and "\u22121.4 (\u22123.0 to +0.2)" in cells


def test_a_categorical_text_column_shows_as_text():
    frame = pd.DataFrame({"channel": pd.Categorical(["E-mail", "Web"]), "n": [10, 12]})
    html = shown(frame, min_n=None)
    assert ">E-mail<" in html and ">Web<" in html


def test_p_values_read_as_p_values_and_a_share_of_resamples_as_a_number():
    frame = pd.DataFrame({"driver": ["Speed"], "p_rank_first": [97.4], "p_adjusted": [0.00002]})
    html = shown(frame, formats={"p_rank_first": "{:.0f}"}, min_n=None)
    assert ">97<" in html and "&lt; 0.001" in html


def test_every_mapped_heading_reads_as_the_automatic_one_in_english():
    from cxanalysis.words import column_label

    assert {column: display.heading(column) for column in display.HEADINGS} == {
        column: column_label(column) for column in display.HEADINGS
    }
    assert display.heading("change_(95 %_CI)") == "Change (95 % CI)"
    assert display.heading("2026Q2_(95 %_CI)") == "2026Q2 (95 % CI)"


def test_headings_pass_through_the_catalogue():
    from cxanalysis import presentation

    presentation.set_language("pseudo")
    try:
        assert display.heading("gap_to_target") == "⟦Gap to target⟧"
        assert display.heading("unmapped_column") == "Unmapped column"  # no catalogue has it: shown unmarked
        assert display.heading("estimate_(95 % CI)") == "⟦Estimate⟧⟦ (95 % CI)⟧"
    finally:
        presentation.set_language("en")


def test_values_kept_as_english_ids_are_shown_in_the_report_language():
    from cxanalysis import presentation

    frame = pd.DataFrame(
        {
            "status": ["on track", "✓ met"],
            "quadrant": ["fix first", "keep up"],
            "coverage_gap": ["no listening post", "something else"],
            "dimension": ["all", "region"],
            "level": ["All responses", "Nord"],
        }
    )
    assert display._display_values(frame).equals(frame.assign(dimension=["All", "Region"]))
    presentation.set_language("pseudo")
    try:
        shown = display._display_values(frame)
    finally:
        presentation.set_language("en")
    assert shown["status"].tolist() == ["⟦on track⟧", "✓ met"]
    assert shown["quadrant"].tolist() == ["⟦fix first⟧", "⟦keep up⟧"]
    assert shown["coverage_gap"].tolist() == ["⟦no listening post⟧", "something else"]
    assert shown["level"].tolist() == ["⟦All responses⟧", "Nord"]
    assert shown["dimension"].tolist() == ["⟦All⟧", "Region"]  # a segment id in words, the client's own
