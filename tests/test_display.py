"""Tables as the reader sees them: escaped, and no count of people under the anonymity threshold."""

from __future__ import annotations

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
