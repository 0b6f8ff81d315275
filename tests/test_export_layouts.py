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
    "surveymonkey.csv": ("surveymonkey", 4, 0, {
        "nps": [9, 6, 10, 3], "csat": [5, 2, 4, 1],
        "submitted_at": [T("2025-03-02 09:21:40"), T("2025-03-14 23:05:00"), T("2025-04-01 12:34:59"),
                         T("2025-04-02 00:15:00")]}),
    "qualtrics.csv": ("qualtrics", 3, 0, {"nps": [8, 10, 2], "csat": [4, 5, 1],
                                          "comment": ["Hyggelig betjening", None, "For dyrt og for sent"]}),
    "qualtrics_legacy.csv": ("qualtrics-legacy", 2, 0, {"nps": [9, 4], "response_id": ["R_1legacy0000001",
                                                                                         "R_2legacy0000002"]}),
    "google_forms.csv": ("google-forms", 3, 0, {"nps": [9, 7, 4], "csat": [5, 4, 2],
                                                "submitted_at": [T("2025-01-15 21:53:05"), T("2025-01-16 08:02:44"),
                                                                 T("2025-02-03 13:15:00")]}),
    "google_forms.xlsx": ("google-forms", 2, 0, {"nps": [10, 6], "submitted_at": [T("2025-08-29 17:17:56"),
                                                                                  T("2025-08-30 09:05:00")]}),
    "typeform.csv": ("typeform", 2, 0, {"nps": [8, 3], "response_id": ["tok0001abc", "tok0002def"],
                                        "submitted_at": [T("2025-06-01 08:02:30"), T("2025-06-02 12:04:10")]}),
    "zendesk.csv": ("zendesk", 3, 1, {"csat": [1, 0, 1], "submitted_at": [T("2025-02-01 09:00"), T("2025-02-02 10:30"),
                                                                          T("2025-02-04 11:00")]}),
    "delighted.csv": ("delighted", 3, 0, {"nps": [9, None, 2], "csat": [None, 4, None],
                                          "submitted_at": [T("2025-03-01"), T("2025-03-02"), T("2025-03-03")]}),
    "long.csv": ("long", 3, 0, {"response_id": ["r1", "r2", "r3"], "nps": [9, 6, 3], "comment": ["Bra", None, "Tregt"],
                                "region": ["Nord", "Sør", "Øst"]}),
    "wide.csv": ("wide", 3, 0, {"nps": [9, 7, 3], "submitted_at": [T("2025-03-01"), T("2025-03-15"), T("2025-04-02")]}),
    "wide.xlsx": ("wide", 3, 0, {"nps": [9, 7, 3], "region": ["Nord", "Sør", "Øst"]}),
    "wide.parquet": ("wide", 3, 0, {"nps": [9, 7, 3], "comment": ["Flott", None, "Dårlig kø"]}),
}


def grid(name: str):
    path = EXPORTS / name
    fmt = {"csv": "csv", "xlsx": "xlsx", "parquet": "parquet"}[path.suffix[1:]]
    return read_cells(path, fmt)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_layout_is_detected_from_the_header(name):
    cells, _ = grid(name)
    assert detect_layout(cells) == EXPECTED[name][0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
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
    assert "How satisfied are you with our customer service? - Other (please specify)" in export.frame.columns
    assert list(export.frame.index) == [3, 4, 5, 6]  # spreadsheet rows: two header rows above


def test_qualtrics_keeps_the_question_wording_and_drops_its_header_rows():
    cells, how = grid("qualtrics.csv")
    export = adapt(cells, how, file=EXPORTS / "qualtrics.csv")
    assert export.questions["Q1"] == "Hvor sannsynlig er det at du vil anbefale oss til en venn?"
    assert list(export.frame.index) == [4, 5, 6]
    legacy, how = grid("qualtrics_legacy.csv")
    export = adapt(legacy, how, file=EXPORTS / "qualtrics_legacy.csv")
    assert how["encoding"] == "utf-8-sig" and "column M" not in export.frame.columns  # trailing comma dropped
    assert export.questions["Q2"] == "Vad kan vi förbättra?"


def test_typeform_phone_loses_its_text_apostrophe():
    cells, how = grid("typeform.csv")
    export = adapt(cells, how, file=EXPORTS / "typeform.csv")
    assert export.frame["Phone number"].iloc[0] == "+4791234567"


def test_zendesk_offered_rating_is_not_rated_and_counted(tmp_path):
    config = proposed_config(inspect_file(EXPORTS / "zendesk.csv"), config_dir=tmp_path)
    assert config["sources"][0]["labels"] == {"csat": "good-bad"} and config["scales"]["csat"] == [0, 1]
    (tmp_path / "client.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    table = load_responses(load_config(tmp_path / "client.yml"))
    assert table.quarantine["reason"].tolist() == ["no_answers"]  # offered, no rating and no comment
    assert "1 answer(s) in 'score' read as not rated (good-bad)" in table.read_as[config["sources"][0]["name"]]["notes"]


def test_named_layout_wins_and_a_wrong_one_is_refused(tmp_path):
    cells, how = grid("google_forms.csv")
    assert adapt(cells, how, file=EXPORTS / "google_forms.csv", layout="wide").layout == "wide"
    with pytest.raises(CXInputError, match="says this is a qualtrics export"):
        adapt(cells, how, file=EXPORTS / "google_forms.csv", layout="qualtrics")
