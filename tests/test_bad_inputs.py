"""The bad-input corpus: every file in tests/data/bad/ is a failure mode met in client exports.

Each case states its exact outcome: either one clear error naming the file
(and the column or row where there is one), or the rows read, the valid rows
and the quarantine reason of every other row, with read = valid + quarantined.
No case may end in any other exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from cxanalysis import load_config
from cxanalysis.errors import CXInputError
from cxanalysis.loading import accounting_summary, load_responses
from conftest import write_client

BAD = Path(__file__).parent / "data" / "bad"
COLUMNS = {"response_id": "id", "submitted_at": "date", "nps": "nps", "comment": "comment"}


@dataclass
class Case:
    file: str
    why: str
    columns: dict = field(default_factory=lambda: dict(COLUMNS))
    source: dict = field(default_factory=dict)  # further source keys
    config: dict = field(default_factory=dict)  # further config keys
    read: int | None = None
    quarantined: dict = field(default_factory=dict)  # spreadsheet row: reason
    error: tuple[str, ...] = ()  # texts the error message holds
    notes: tuple[str, ...] = ()  # texts the 'how it was read' notes hold
    values: dict = field(default_factory=dict)  # canonical column: expected valid values


CASES = [
    Case("01_score_out_of_scale.csv", "NPS 11 and -1", read=4,
         quarantined={3: "score_out_of_range", 4: "score_out_of_range"}),
    Case("02_score_not_a_number.csv", "a score typed as a word", read=3, quarantined={3: "not_a_number"}),
    Case("03_score_with_decimals.csv", "an average pasted over a score", read=2, quarantined={2: "score_out_of_range"}),
    Case("04_unknown_answer_label.csv", "a typo and an off-scale answer in text answers", read=5,
         columns={"response_id": "id", "submitted_at": "date", "csat": "How satisfied were you?"},
         source={"labels": {"csat": "satisfaction-5"}},
         quarantined={3: "unknown_label", 6: "unknown_label"}, values={"csat": [5.0, 3.0, 5.0]}),
    Case("05_unreadable_date.csv", "a word and 31 February for dates", read=3,
         quarantined={3: "unparseable_date", 4: "unparseable_date"}),
    Case("06_ambiguous_day_month.csv", "no day above 12: the order is a guess, reported", read=3,
         notes=("ambiguous dates", "dayfirst: true"),
         values={"submitted_at": [pd.Timestamp("2025-03-04"), pd.Timestamp("2025-05-06"), pd.Timestamp("2025-11-12")]}),
    Case("07_dates_both_orders.csv", "day-first and month-first dates in one column", read=3,
         quarantined={4: "unparseable_date"}, notes=("read day first", "1 date(s) written the other way")),
    Case("08_duplicate_response_id.csv", "the same response id twice", read=3, quarantined={4: "duplicate_id"}),
    Case("09_missing_response_id.csv", "a row without its id", read=2, quarantined={3: "missing_required"}),
    Case("10_missing_date.csv", "a row without its date", read=2, quarantined={3: "missing_required"}),
    Case("11_empty_rows_middle_and_end.csv", "empty rows inside and after the data, and a blank line", read=6,
         quarantined={3: "empty_row", 4: "empty_row", 6: "empty_row", 7: "empty_row"}),
    Case("12_header_repeated_mid_file.csv", "two exports pasted together, header and all", read=3,
         quarantined={3: "repeated_header"}),
    Case("13_unquoted_delimiter_in_comment.csv", "a comma in an unquoted comment", read=2,
         quarantined={2: "extra_cells"}),
    Case("14_ids_in_scientific_notation.csv", "ids Excel turned into 5.70306E+17", read=3,
         columns={"response_id": "id", "customer_id": "customer", "submitted_at": "date", "nps": "nps"},
         quarantined={3: "mangled_id", 4: "mangled_id"}),
    Case("15_weights_decimal_comma.csv", "weights with decimal commas, one negative and one zero", read=3,
         columns={"response_id": "id", "submitted_at": "date", "nps": "nps", "weight": "weight"},
         quarantined={3: "invalid_value", 4: "invalid_value"}, values={"weight": [1.5]}),
    Case("16_windows_1252.csv", "saved by Excel on Windows (cp1252)", read=2,
         values={"comment": ["Kjøpte på nett, fikk raskt svar", "Købte i butikken"]}),
    Case("17_utf16_unicode_text.txt", "Excel's 'Unicode text': UTF-16 with tabs", read=2,
         values={"comment": ["Så nöjd", "For lang kø"], "nps": [9.0, 4.0]}),
    Case("18_utf8_bom_semicolon.csv", "UTF-8 with a byte-order mark, semicolons, dotted dates", read=2,
         values={"submitted_at": [pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-15")]}),
    Case("19_pipe_delimited.csv", "pipes, with commas and semicolons inside a comment", read=2,
         quarantined={3: "score_out_of_range"}, values={"comment": ["A, b; c"]}),
    Case("20_multiline_comment.csv", "a comment over three lines: one row, later rows keep their numbers", read=2,
         quarantined={3: "score_out_of_range"}, values={"comment": ["Første linje\nandre linje\ntredje"]}),
    Case("21_trailing_empty_columns.csv", "empty unnamed columns after the data", read=2,
         notes=("3 empty column(s) without a name ignored",)),
    Case("22_empty_file.csv", "a zero-byte export", error=("22_empty_file.csv", "the file is empty")),
    Case("23_header_only.csv", "the header and no responses",
         error=("23_header_only.csv", "no valid responses", "read")),
    Case("24_mapped_column_missing.csv", "the config names a column the export renamed",
         error=("24_mapped_column_missing.csv", "column 'nps'", "'NPS score'")),
    Case("25_sheet_not_found.xlsx", "the config names a sheet the workbook lacks",
         columns={"response_id": "id", "submitted_at": "date", "nps": "nps"}, source={"sheet": "Svar"},
         error=("25_sheet_not_found.xlsx", "sheet 'Svar' not found", "['Responses']")),
    Case("26_score_written_with_label.csv", "scores exported with their labels", read=3,
         values={"nps": [9.0, 0.0, 10.0]}),
    Case("27_zero_means_not_rated.csv", "0 for 'not rated' in attribute ratings", read=4,
         columns={"response_id": "id", "submitted_at": "date", "nps": "nps", "staff": "Staff", "price": "Price"},
         config={"attributes": ["staff", "price"]}, source={"not_rated": {"attributes": [0]}},
         quarantined={5: "no_answers"}, notes=("3 answer(s) of 0 in 'Staff' read as not rated",),
         values={"price": [4.0, float("nan"), float("nan")]}),
    Case("28_row_without_answers.csv", "a respondent who answered nothing", read=2, quarantined={3: "no_answers"}),
    Case("29_qualtrics_cut_in_header.csv", "a Qualtrics export cut inside its header rows",
         columns={"response_id": "ResponseId", "submitted_at": "StartDate", "nps": "Q1"},
         source={"export": "qualtrics"},
         error=("29_qualtrics_cut_in_header.csv", "more header rows than this file has rows")),
    Case("30_rows_shorter_than_header.csv", "rows cut short", read=3,
         quarantined={3: "no_answers", 4: "missing_required"}),
    Case("31_long_conflicting_answers.csv", "one response answering a question twice, differently",
         columns={"response_id": "response_id", "submitted_at": "date", "nps": "nps", "comment": "comment"},
         error=("31_long_conflicting_answers.csv", "column 'answer'", "row 4", "'r2'")),
    Case("32_excel_serial_dates.csv", "dates as Excel serial numbers, one out of any range", read=3,
         quarantined={4: "unparseable_date"}, notes=("2 Excel serial date(s)",),
         values={"submitted_at": [pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-01 12:00")]}),
    Case("33_unix_timestamps.csv", "Unix seconds and milliseconds", read=2, notes=("2 Unix timestamp(s)",),
         values={"submitted_at": [pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-02")]}),
    Case("34_flag_not_yes_or_no.csv", "'maybe' in a yes/no column", read=3,
         columns={**COLUMNS, "would_buy_again": "again", "comment": None}, quarantined={3: "invalid_value"},
         values={"would_buy_again": [1.0, 0.0]}),
    Case("35_label_map_outside_scale.csv", "a good/bad rating read on a 1-5 CSAT scale",
         columns={"response_id": "id", "submitted_at": "date", "csat": "score"}, source={"labels": {"csat": "good-bad"}},
         error=("client.yml", "good-bad", "scales")),
    Case("36_workbook_blank_and_repeated_header_rows.xlsx", "a blank row and a pasted header in a workbook", read=4,
         columns={"response_id": "id", "submitted_at": "date", "nps": "nps"},
         quarantined={3: "empty_row", 4: "repeated_header", 5: "score_out_of_range"}),
    Case("37_layout_named_wrongly.csv", "the config calls a plain CSV a SurveyMonkey export",
         source={"export": "surveymonkey"}, error=("37_layout_named_wrongly.csv", "row 1", "surveymonkey")),
    Case("38_score_column_of_free_text.csv", "free text in the score column", read=2,
         quarantined={2: "not_a_number"}),
]


def load(case: Case, tmp_path: Path):
    columns = {k: v for k, v in case.columns.items() if v is not None}
    source = {"name": "export", "path": str(BAD / case.file), "columns": columns, **case.source}
    config = write_client(tmp_path, [source], **case.config)
    return load_responses(load_config(config))


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_bad_input_has_its_exact_outcome(case, tmp_path):
    if case.error:
        with pytest.raises(CXInputError) as caught:
            load(case, tmp_path)
        for text in case.error:
            assert text in str(caught.value)
        return
    table = load(case, tmp_path)
    summary = accounting_summary(table.accounting).iloc[0]
    assert summary["read"] == case.read
    assert summary["valid"] == case.read - len(case.quarantined) == len(table.valid)
    assert summary["read"] == summary["valid"] + summary["quarantined"]
    assert dict(zip(table.quarantine["row"], table.quarantine["reason"])) == case.quarantined
    raw = [c for c in table.quarantine if c.startswith("raw: ")]
    assert not case.quarantined or raw, "the quarantine keeps the raw values"
    notes = table.read_as["export"].get("notes", "")
    for text in case.notes:
        assert text in notes
    for column, expected in case.values.items():
        got = table.valid[column]
        if pd.api.types.is_float_dtype(got):
            assert got.tolist() == pytest.approx(expected, nan_ok=True)
        else:
            assert got.tolist() == expected


def test_every_corpus_file_is_one_case():
    files = sorted(p.name for p in BAD.iterdir() if p.name != "README.md")
    assert sorted(c.file for c in CASES) == files
    assert len(CASES) >= 30
