"""Survey-tool exports in their exact layouts: detected, proposed by inspect, and loaded to the right values.

The fixtures in tests/data/exports/ are written for these tests in each
tool's layout (header rows, metadata columns, date forms, encodings).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from cxanalysis import load_config
from cxanalysis.errors import CXInputError
from cxanalysis.exports import adapt, detect_layout
from cxanalysis.inspection import inspect_file, proposed_config
from cxanalysis.loading import load_responses
from cxanalysis.readers import read_cells

EXPORTS = Path(__file__).parent / "data" / "exports"
T = pd.Timestamp

# file: layout, valid rows, quarantined rows, expected values of the loaded responses
EXPECTED = {
    "surveymonkey.csv": (
        "surveymonkey",
        8,
        2,
        {
            "nps": [9, 6, 10, 3, 8, 7, 10, 0],
            "csat": [5, 2, 5, 1, 4, 3, 5, 1],
            "submitted_at": [
                T("2025-03-02 09:21:40"),
                T("2025-03-15 00:04:27"),
                T("2025-04-01 12:41:09"),
                T("2025-04-02 19:45:00"),
                T("2025-04-05 08:09:55"),
                T("2025-04-09 15:14:33"),
                T("2025-04-12 00:07:08"),
                T("2025-04-13 18:01:02"),
            ],
        },
    ),
    "qualtrics.csv": (
        "qualtrics",
        9,
        1,
        {
            "nps": [8, 10, 2, 7, 9, 5, 6, 10, 4],
            "csat": [4, 5, 1, 3, 4, 2, None, 5, 2],
            "comment": [
                "Leveringen kunne vært varslet tidligere",
                None,
                "For dyrt og for sent – bordet var ripete",
                "Lite parkering ved butikken på Lørenskog",
                None,
                "Wrong colour delivered, and nobody called back",
                None,
                "Rask levering helt til Tromsø",
                "Montøren kom aldri",
            ],
        },
    ),
    "qualtrics_legacy.csv": (
        "qualtrics-legacy",
        7,
        1,
        {
            "nps": [9, 4, 10, 7, 8, 3, 6],
            "response_id": [
                "R_3nVb8cXz1LkJ5hG",
                "R_6gHf2dSa9PoI4uY",
                "R_1tRe7wQa3ZxC8vB",
                "R_8mNb4vCx6LkJ2hG",
                "R_2aSd9fGh4JkL6zX",
                "R_7zXc5vBn2MqW9eR",
                "R_4pLo8iKu3JyH7tG",
            ],
        },
    ),
    "google_forms.csv": (
        "google-forms",
        9,
        1,
        {
            "nps": [9, 7, 4, 10, None, 6, 8, 2, 9],
            "csat": [5, 4, 2, 5, None, 3, 4, 1, 4],
            "submitted_at": [
                T("2025-01-15 21:53:05"),
                T("2025-01-16 08:02:44"),
                T("2025-01-20 12:00:00"),
                T("2025-02-03 00:15:09"),
                T("2025-02-03 17:41:30"),
                T("2025-02-11 09:05:00"),
                T("2025-02-14 19:22:51"),
                T("2025-03-02 15:47:02"),
                T("2025-03-03 11:11:11"),
            ],
        },
    ),
    "google_forms.xlsx": (
        "google-forms",
        7,
        1,
        {
            "nps": [10, 6, 8, 3, 9, 0, 9],
            "submitted_at": [
                T("2025-08-29 17:17:56.622"),
                T("2025-08-30 09:05:00"),
                T("2025-09-01 12:00:01.005"),
                T("2025-09-02 00:00:00"),
                T("2025-09-03 23:59:59"),
                T("2025-09-08 08:08:08"),
                T("2025-09-12 19:45:30"),
            ],
        },
    ),
    "typeform.csv": (
        "typeform",
        9,
        1,
        {
            "nps": [8, 3, 10, 9, 6, 10, 4, 8, 2],
            "submitted_at": [
                T("2025-06-01 08:02:30"),
                T("2025-06-02 12:04:10"),
                T("2025-06-03 19:32:05"),
                T("2025-06-04 07:07:41"),
                T("2025-06-05 22:53:59"),
                T("2025-06-07 15:17:12"),
                T("2025-06-08 09:12:48"),
                T("2025-06-09 18:01:59"),
                T("2025-06-10 11:34:20"),
            ],
        },
    ),
    "zendesk.csv": (
        "zendesk",
        9,
        3,
        {
            "csat": [1, 0, 1, 0, 1, 1, 0, 1, 0],
            "submitted_at": [
                T("2025-02-01 09:00:00"),
                T("2025-02-02 10:30:15"),
                T("2025-02-04 12:45:00"),
                T("2025-02-05 08:05:59"),
                T("2025-02-07 14:20:00"),
                T("2025-02-08 16:10:00"),
                T("2025-02-09 23:59:59"),
                T("2025-02-11 10:00:00"),
                T("2025-02-12 15:45:30"),
            ],
        },
    ),
    "delighted.csv": (
        "delighted",
        10,
        0,
        {
            "nps": [9, None, 2, None, 10, None, 7, 0, None, 8],
            "csat": [None, 4, None, 5, None, 1, None, None, 3, None],
            "submitted_at": [
                T("2025-03-01 09:45:05"),
                T("2025-03-02 07:20:00"),
                T("2025-03-03 10:59:59"),
                T("2025-03-04 10:00:00"),
                T("2025-03-05 12:00:00"),
                T("2025-03-06 09:01:01"),
                T("2025-03-07 09:30:00"),
                T("2025-03-08 09:59:59"),
                T("2025-03-09 09:00:00"),
                T("2025-03-10 09:46:40"),
            ],
        },
    ),
    "long.csv": (
        "long",
        5,
        1,
        {
            "response_id": ["L-1001", "L-1002", "L-1003", "L-1005", "L-1006"],
            "nps": [9, 6, 10, None, 8],
            "csat": [5, 3, 5, 2, 4],
        },
    ),
    "wide.csv": (
        "wide",
        9,
        1,
        {
            "nps": [9, 7, 3, 10, 8, 6, None, 0, 9],
            "submitted_at": [
                T("2025-03-01 14:05"),
                T("2025-03-03 09:30"),
                T("2025-03-07 18:45"),
                T("2025-03-13 12:00"),
                T("2025-03-21 11:11"),
                T("2025-03-25 16:40"),
                T("2025-03-28 08:05"),
                T("2025-03-31 19:59"),
                T("2025-04-02 10:00"),
            ],
        },
    ),
    "wide.xlsx": ("wide", 8, 0, {"nps": [9, 7, 2, 10, 6, 8, 4, 9], "csat": [5, 4, 1, 5, 3, 4, 2, None]}),
    "wide.parquet": (
        "wide",
        9,
        0,
        {
            "nps": [10, 8, None, 3, 9, 6, 7, 0, 9],
            "comment": [
                "Fin nordlysutsikt fra kafeen",
                None,
                "Kun kort på lager, ikke tøy",
                "Dårlig skilting",
                None,
                "Helt ok",
                None,
                "Kassa var stengt",
                "Kjempefin service",
            ],
        },
    ),
}

# One bad answer in a 0-10 column ("tio", 11) makes inspect propose the column as a segment rather than nps.
INSPECT_MISREADS: dict[str, str] = {}


def grid(name: str):
    path = EXPORTS / name
    fmt = {"csv": "csv", "xlsx": "xlsx", "parquet": "parquet"}[path.suffix[1:]]
    return read_cells(path, fmt)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_layout_is_detected_from_the_header(name):
    cells, _ = grid(name)
    assert detect_layout(cells) == EXPECTED[name][0]


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason=INSPECT_MISREADS[n], strict=True))
        if n in INSPECT_MISREADS
        else n
        for n in sorted(EXPECTED)
    ],
)
def test_inspect_proposes_a_config_that_loads_the_right_values(name, tmp_path):
    layout, valid, quarantined, values = EXPECTED[name]
    config = proposed_config(inspect_file(EXPORTS / name), config_dir=tmp_path)
    assert config["sources"][0]["export"] == layout
    (tmp_path / "client.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    table = load_responses(load_config(tmp_path / "client.yml"))
    assert (len(table.valid), len(table.quarantine)) == (valid, quarantined)
    for column, expected in values.items():
        got = table.valid[column].astype(object).where(table.valid[column].notna(), None).tolist()
        assert got == expected, column


def test_surveymonkey_options_are_named_after_their_question():
    cells, how = grid("surveymonkey.csv")
    export = adapt(cells, how, file=EXPORTS / "surveymonkey.csv")
    assert "How would you rate us on each of the following? - Staff helpfulness" in export.frame.columns
    assert "Which store did you visit? - Other (please specify)" in export.frame.columns
    assert list(export.frame.index) == list(range(3, 13))  # spreadsheet rows: two header rows above


def test_qualtrics_keeps_the_question_wording_and_drops_its_header_rows():
    cells, how = grid("qualtrics.csv")
    export = adapt(cells, how, file=EXPORTS / "qualtrics.csv")
    assert (
        export.questions["Q1"]
        == "Hvor sannsynlig er det at du vil anbefale Nordlys Interiør til en venn eller kollega?"
    )
    assert list(export.frame.index) == list(range(4, 14))
    legacy, how = grid("qualtrics_legacy.csv")
    export = adapt(legacy, how, file=EXPORTS / "qualtrics_legacy.csv")
    assert how["encoding"] == "utf-8-sig" and "column Q" not in export.frame.columns  # trailing comma dropped
    assert export.questions["Q2"] == "Hur nöjd är du med ditt köp?"


def test_typeform_phone_loses_its_text_apostrophe():
    cells, how = grid("typeform.csv")
    export = adapt(cells, how, file=EXPORTS / "typeform.csv")
    assert export.frame["Hva er telefonnummeret ditt?"].iloc[0] == "+4791234567"


def test_zendesk_offered_rating_is_not_rated_and_counted(tmp_path):
    config = proposed_config(inspect_file(EXPORTS / "zendesk.csv"), config_dir=tmp_path)
    assert config["sources"][0]["labels"] == {"csat": "good-bad"} and config["scales"]["csat"] == [0, 1]
    (tmp_path / "client.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    table = load_responses(load_config(tmp_path / "client.yml"))
    assert table.quarantine["reason"].tolist() == ["no_answers"] * 3  # offered or unoffered, and no comment
    assert "3 answers in 'score' read as not rated (good-bad)" in table.read_as[config["sources"][0]["name"]]["notes"]


def test_named_layout_wins_and_a_wrong_one_is_refused(tmp_path):
    cells, how = grid("google_forms.csv")
    assert adapt(cells, how, file=EXPORTS / "google_forms.csv", layout="wide").layout == "wide"
    with pytest.raises(CXInputError, match="says this is a qualtrics export"):
        adapt(cells, how, file=EXPORTS / "google_forms.csv", layout="qualtrics")
