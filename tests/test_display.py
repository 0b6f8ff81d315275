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
    assert "80.0" not in html and html.count("n &lt; 5") == 2 and "12.5" in html


def test_the_open_clients_threshold_is_the_default(sample_config_threshold=10):
    display.set_anonymity(sample_config_threshold)
    try:
        html = shown(pd.DataFrame({"segment": ["A"], "answers": [7]}))
    finally:
        display.set_anonymity(None)
    assert "n &lt; 10" in html and ">7<" not in html


def test_text_from_data_is_escaped():
    html = shown(pd.DataFrame({"comment": ["<script>alert(1)</script>", "a & b"]}))
    assert "<script>" not in html and "&lt;script&gt;" in html and "a &amp; b" in html
