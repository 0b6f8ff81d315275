"""The bad-input corpus: every file in tests/data/bad/ is a failure mode met in client exports.

Each case states its exact outcome: either one clear error naming the file
(and the column or row where there is one), or the rows read, the valid rows
and the quarantine reason of every other row, with read = valid + quarantined
and each quarantined row's raw cells checked against the file as read here
without the loader. No case may end in any other exception.
"""

from __future__ import annotations

import csv
import io
import math
import re
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import write_client
from cxanalysis import load_config
from cxanalysis.errors import CXInputError
from cxanalysis.loading import OVERFLOW, accounting_summary, load_responses

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
    error_column: str | None = None  # the column the error names, exactly (None: it names none)
    error_row: int | None = None  # the row the error names, exactly (None: it names none)
    error_file: str | None = None  # the file the error names, when not the export (a config mistake)
    notes: tuple[str, ...] = ()  # texts the 'how it was read' notes hold
    values: dict = field(default_factory=dict)  # canonical column: expected valid values


CASES = [
    Case(
        "01_score_out_of_scale.csv",
        "NPS 11 and -1",
        read=4,
        quarantined={3: "score_out_of_range", 4: "score_out_of_range"},
    ),
    Case("02_score_not_a_number.csv", "a score typed as a word", read=3, quarantined={3: "not_a_number"}),
    Case("03_score_with_decimals.csv", "an average pasted over a score", read=2, quarantined={2: "score_out_of_range"}),
    Case(
        "04_unknown_answer_label.csv",
        "a typo and an off-scale answer in text answers",
        read=5,
        columns={"response_id": "id", "submitted_at": "date", "csat": "How satisfied were you?"},
        source={"labels": {"csat": "satisfaction-5"}},
        quarantined={3: "unknown_label", 6: "unknown_label"},
        values={"csat": [5.0, 3.0, 5.0]},
    ),
    Case(
        "05_unreadable_date.csv",
        "a word and 31 February for dates",
        read=3,
        quarantined={3: "unparseable_date", 4: "unparseable_date"},
    ),
    Case(
        "06_ambiguous_day_month.csv",
        "no day above 12: the order is a guess, reported",
        read=3,
        notes=("ambiguous dates", "dayfirst: true"),
        values={"submitted_at": [pd.Timestamp("2025-03-04"), pd.Timestamp("2025-05-06"), pd.Timestamp("2025-11-12")]},
    ),
    Case(
        "07_dates_both_orders.csv",
        "day-first and month-first dates in one column",
        read=3,
        quarantined={4: "unparseable_date"},
        notes=("read day first", "1 date written the other way"),
    ),
    Case("08_duplicate_response_id.csv", "the same response id twice", read=3, quarantined={4: "duplicate_id"}),
    Case("09_missing_response_id.csv", "a row without its id", read=2, quarantined={3: "missing_required"}),
    Case("10_missing_date.csv", "a row without its date", read=2, quarantined={3: "missing_required"}),
    Case(
        "11_empty_rows_middle_and_end.csv",
        "a semicolon export with ';;;' rows inside and after the data, and a blank line",
        read=6,
        quarantined={3: "empty_row", 4: "empty_row", 6: "empty_row", 7: "empty_row"},
    ),
    Case(
        "12_header_repeated_mid_file.csv",
        "two exports pasted together, header and all",
        read=3,
        quarantined={3: "repeated_header"},
    ),
    Case(
        "13_unquoted_delimiter_in_comment.csv", "a comma in an unquoted comment", read=2, quarantined={2: "extra_cells"}
    ),
    Case(
        "14_ids_in_scientific_notation.csv",
        "ids Excel turned into 5.70306E+17",
        read=3,
        columns={"response_id": "id", "customer_id": "customer", "submitted_at": "date", "nps": "nps"},
        quarantined={3: "mangled_id", 4: "mangled_id"},
    ),
    Case(
        "15_weights_decimal_comma.csv",
        "weights with decimal commas, one negative and one zero",
        read=3,
        columns={"response_id": "id", "submitted_at": "date", "nps": "nps", "weight": "weight"},
        quarantined={3: "invalid_value", 4: "invalid_value"},
        values={"weight": [1.5]},
    ),
    Case(
        "16_windows_1252.csv",
        "saved by Excel on Windows (cp1252)",
        read=2,
        values={"comment": ["Kjøpte på nett, fikk raskt svar", "Købte i butikken"]},
    ),
    Case(
        "17_utf16_unicode_text.txt",
        "Excel's 'Unicode text': UTF-16 with tabs",
        read=2,
        values={"comment": ["Så nöjd", "For lang kø"], "nps": [9.0, 4.0]},
    ),
    Case(
        "18_utf8_bom_semicolon.csv",
        "UTF-8 with a byte-order mark, semicolons, dotted dates",
        read=2,
        values={"submitted_at": [pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-15")]},
    ),
    Case(
        "19_pipe_delimited.csv",
        "pipes, with commas and semicolons inside a comment",
        read=2,
        quarantined={3: "score_out_of_range"},
        values={"comment": ["A, b; c"]},
    ),
    Case(
        "20_multiline_comment.csv",
        "a comment over three lines: one row, later rows keep their numbers",
        read=2,
        quarantined={3: "score_out_of_range"},
        values={"comment": ["Første linje\nandre linje\ntredje"]},
    ),
    Case(
        "21_trailing_empty_columns.csv",
        "empty unnamed columns after the data",
        read=2,
        notes=("3 empty columns without a name ignored",),
    ),
    Case("22_empty_file.csv", "a zero-byte export", error=("22_empty_file.csv", "the file is empty")),
    Case(
        "23_header_only.csv",
        "the header and no responses",
        error=("no valid responses: no data rows below the header", "export the responses again"),
    ),
    Case(
        "24_mapped_column_missing.csv",
        "the config names a column the export renamed",
        error=("its columns are ['id', 'date', 'NPS score', 'comment']",),
        error_column="nps",
    ),
    Case(
        "25_sheet_not_found.xlsx",
        "the config names a sheet the workbook lacks",
        columns={"response_id": "id", "submitted_at": "date", "nps": "nps"},
        source={"sheet": "Svar"},
        error=("25_sheet_not_found.xlsx", "sheet 'Svar' not found", "['Responses']"),
    ),
    Case(
        "26_score_written_with_label.csv", "scores exported with their labels", read=3, values={"nps": [9.0, 0.0, 10.0]}
    ),
    Case(
        "27_zero_means_not_rated.csv",
        "0 for 'not rated' in attribute ratings",
        read=4,
        columns={"response_id": "id", "submitted_at": "date", "nps": "nps", "staff": "Staff", "price": "Price"},
        config={"attributes": ["staff", "price"]},
        source={"not_rated": {"attributes": [0]}},
        quarantined={5: "no_answers"},
        notes=("3 answers of 0 in 'Staff' read as not rated",),
        values={"price": [4.0, float("nan"), float("nan")]},
    ),
    Case("28_row_without_answers.csv", "a respondent who answered nothing", read=2, quarantined={3: "no_answers"}),
    Case(
        "29_qualtrics_cut_in_header.csv",
        "a Qualtrics export cut inside its header rows",
        columns={"response_id": "ResponseId", "submitted_at": "StartDate", "nps": "Q1"},
        source={"export": "qualtrics"},
        error=("29_qualtrics_cut_in_header.csv", "more header rows than this file has rows"),
    ),
    Case(
        "30_rows_shorter_than_header.csv",
        "rows cut short",
        read=3,
        quarantined={3: "no_answers", 4: "missing_required"},
    ),
    Case(
        "31_long_conflicting_answers.csv",
        "one response answering a question twice, differently",
        columns={"response_id": "response_id", "submitted_at": "date", "nps": "nps", "comment": "comment"},
        error=("'r2' answers 'nps' more than once",),
        error_column="answer",
        error_row=4,
    ),
    Case(
        "32_excel_serial_dates.csv",
        "dates as Excel serial numbers, one out of any range",
        read=3,
        quarantined={4: "unparseable_date"},
        notes=("2 Excel serial dates",),
        values={"submitted_at": [pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-01 12:00")]},
    ),
    Case(
        "33_unix_timestamps.csv",
        "Unix seconds and milliseconds",
        read=2,
        notes=("2 Unix timestamps",),
        values={"submitted_at": [pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-02")]},
    ),
    Case(
        "34_flag_not_yes_or_no.csv",
        "'maybe' in a yes/no column",
        read=3,
        columns={**COLUMNS, "would_buy_again": "again", "comment": None},
        quarantined={3: "invalid_value"},
        values={"would_buy_again": [1.0, 0.0]},
    ),
    Case(
        "35_label_map_outside_scale.csv",
        "a good/bad rating read on a 1-5 CSAT scale",
        columns={"response_id": "id", "submitted_at": "date", "csat": "score"},
        source={"labels": {"csat": "good-bad"}},
        error=("good-bad", "outside the csat scale"),
        error_file="client.yml",
    ),
    Case(
        "36_workbook_blank_and_repeated_header_rows.xlsx",
        "a blank row and a pasted header in a workbook",
        read=4,
        columns={"response_id": "id", "submitted_at": "date", "nps": "nps"},
        quarantined={3: "empty_row", 4: "repeated_header", 5: "score_out_of_range"},
    ),
    Case(
        "37_layout_named_wrongly.csv",
        "the config calls a plain CSV a SurveyMonkey export",
        source={"export": "surveymonkey"},
        error=("the config says this is a surveymonkey export",),
        error_row=1,
    ),
    Case("38_score_column_of_free_text.csv", "free text in the score column", read=2, quarantined={2: "not_a_number"}),
    Case(
        "39_qualtrics_header_rows_only.csv",
        "a Qualtrics export cut right after its three header rows",
        columns={"response_id": "ResponseId", "submitted_at": "StartDate", "nps": "Q1", "comment": "Q2"},
        error=("no valid responses: no data rows below the header",),
    ),
    Case(
        "40_quote_never_closed.csv",
        "a comment opening a quote it never closes, swallowing the rows after it",
        error=("a quote opened in this row (line 3 of the file) is never closed", "3 lines after it"),
        error_column="comment",
        error_row=3,
    ),
    Case(
        "41_excel_sep_line.csv",
        "Excel's 'sep=;' hint on the first line; rows numbered as Excel shows them",
        read=3,
        quarantined={3: "score_out_of_range"},
        notes=("line 1 'sep=;' (Excel's delimiter hint) is not a row",),
        values={"nps": [9.0, 7.0], "comment": ["Bra, rask og billig", None]},
    ),
    Case(
        "42_flag_written_as_decimals.csv",
        "a yes/no column written 1.0/0.0 by a statistics tool, and one 2.0",
        read=4,
        columns={**COLUMNS, "would_buy_again": "again", "comment": None},
        quarantined={5: "invalid_value"},
        values={"would_buy_again": [1.0, 0.0, float("nan")]},
    ),
    Case(
        "43_workbook_text_that_looks_missing.xlsx",
        "'NA' (North America), 'None' and 'N/A' typed as answers, and 'n/a' for a date",
        read=4,
        columns={**COLUMNS, "region": "region"},
        config={"segments": ["region"]},
        quarantined={3: "unparseable_date"},
        values={"region": ["NA", "EU", "NA"], "comment": ["None", "Null problem, all fine", "N/A"]},
    ),
    Case(
        "44_workbook_ids_lost_digits.xlsx",
        "18-digit ids typed into Excel, which keeps 15 digits: two became one",
        read=4,
        columns={"response_id": "id", "submitted_at": "date", "nps": "nps"},
        quarantined={3: "mangled_id", 4: "mangled_id"},
        values={"response_id": ["100234", "100236"]},
    ),
    Case(
        "45_long_answer_without_response_id.csv",
        "a long export with an answer row that lost its response id",
        read=4,
        columns={"response_id": "response_id", "submitted_at": "date", "nps": "nps", "comment": "comment"},
        quarantined={4: "missing_required", 6: "score_out_of_range"},
        values={"response_id": ["r1", "r2"]},
    ),
    Case(
        "46_html_saved_as_xls.xls",
        "a web tool's 'Excel' export that is an HTML table named .xls",
        columns={"response_id": "id", "submitted_at": "date", "nps": "nps"},
        error=("cannot read as XLSX: it is a web page (HTML)",),
    ),
    Case(
        "47_title_line_above_header.csv",
        "a report title on the line above the header",
        error=("its columns are ['Kundetilfredshet mars 2025']", "the header seems to be row 2"),
        error_column="id",
    ),
    Case(
        "48_encoding_named_wrongly.csv",
        "the config says UTF-8 for a file Excel saved as Windows-1252",
        source={"encoding": "utf-8"},
        error=("cannot decode the file as utf-8 (line 3)",),
    ),
    Case(
        "49_not_rated_text_in_number_score.csv",
        "'N/A' and 'Vet ikke' among numeric scores",
        read=4,
        quarantined={4: "no_answers", 5: "not_a_number"},
        notes=("2 answers in 'nps' read as not rated ('N/A', 'Vet ikke')",),
        values={"nps": [9.0, float("nan")]},
    ),
    Case(
        "50_two_encodings_appended.csv",
        "a UTF-8 export with a Windows-1252 export appended to it",
        read=4,
        columns={"response_id": "id", "submitted_at": "date", "nps": "nps", "region": "region"},
        config={"segments": ["region"]},
        notes=("each read in its own encoding",),
        values={"region": ["Sør", "Vest", "Sør", "Øst"]},
    ),
    Case(
        "51_delimiter_of_two_characters.csv",
        "the config names ';;' as the delimiter",
        source={"delimiter": ";;"},
        error=("sources[0].delimiter", "a CSV delimiter is one character", "got ';;'"),
        error_file="client.yml",
    ),
    Case(
        "52_date_format_in_words_style.csv",
        "the config writes the date format as dd/mm/yyyy instead of strftime codes",
        source={"date_format": "dd/mm/yyyy"},
        error=("sources[0].date_format", "'dd/mm/yyyy' is not a strftime format; write '%d/%m/%Y' for it"),
        error_file="client.yml",
    ),
    Case(
        "53_date_format_unknown_directive.csv",
        "the config's date format has a code strftime lacks (%Q for a quarter)",
        source={"date_format": "Q%Q-%Y"},
        error=("sources[0].date_format", "'Q' is a bad directive", "e.g. '%d.%m.%Y' for 04.03.2025"),
        error_file="client.yml",
    ),
    Case(
        "54_parquet_list_column_as_score.parquet",
        "a Parquet column of lists mapped as the NPS",
        error=("the column holds several values per row", "e.g. [9]"),
        error_column="nps",
    ),
    Case(
        "55_parquet_struct_column_as_comment.parquet",
        "a Parquet column of records (text and language) mapped as the comment",
        error=("the column holds several values per row", '{"text": "Bra", "lang": "nb"}'),
        error_column="comment",
    ),
    Case(
        "56_parquet_list_column_not_mapped.parquet",
        "a Parquet column of lists the config does not map",
        read=3,
        notes=("1 column of lists or records read as text and not used: 'tags'",),
        values={"nps": [9.0, 7.0, 8.0], "comment": ["Bra", None, "Ok"]},
    ),
    Case(
        "57_nul_bytes.csv",
        "NUL bytes inside a comment and a line of them at the end",
        read=3,
        quarantined={4: "empty_row"},
        notes=("5 NUL bytes removed",),
        values={"comment": ["Bra", "Grei"]},
    ),
    Case(
        "58_bom_and_sep_line.csv",
        "a byte-order mark before Excel's 'sep=;' line",
        read=2,
        quarantined={3: "score_out_of_range"},
        notes=("line 1 'sep=;' (Excel's delimiter hint) is not a row",),
        values={"comment": ["Bra, rask"]},
    ),
    Case(
        "59_crlf_mixed_with_lf.csv",
        "Windows and Unix line endings in one file, one inside a quoted comment",
        read=4,
        quarantined={5: "score_out_of_range"},
        values={"comment": ["Bra", "To\r\nlinjer", "Ok"]},
    ),
    Case(
        "60_duplicate_header_names_not_mapped.csv",
        "two columns with one name, neither of them mapped",
        read=2,
        notes=("repeated column names numbered: Q (2)",),
        values={"nps": [9.0, 7.0]},
    ),
    Case(
        "61_mapped_column_twice.csv",
        "the mapped score column appears twice in the header, with different answers",
        error=("the header names 'nps' 2 times (column C and column E)", "map 'nps (2)'"),
        error_column="nps",
    ),
    Case(
        "62_score_with_leading_plus.csv",
        "scores written +9 and +10, and one ++8",
        read=3,
        quarantined={4: "not_a_number"},
        values={"nps": [9.0, 10.0]},
    ),
    Case(
        "63_score_with_non_breaking_spaces.csv",
        "non-breaking spaces around a score and inside one ('1 0')",
        read=3,
        quarantined={3: "not_a_number"},
        values={"nps": [9.0, 7.0]},
    ),
    Case(
        "64_score_fullwidth_digits.csv",
        "fullwidth digits from an Asian keyboard ('１０'), one of them mixed into 11",
        read=3,
        quarantined={4: "score_out_of_range"},
        notes=("3 answers in 'nps' written in other digits ('１０', '７', '1１') read as numbers",),
        values={"nps": [10.0, 7.0]},
    ),
    Case(
        "65_score_arabic_indic_digits.csv",
        "Arabic-Indic and Persian digits",
        read=3,
        notes=("3 answers in 'nps' written in other digits ('٩', '١٠', '۸') read as numbers",),
        values={"nps": [9.0, 10.0, 8.0]},
    ),
    Case(
        "66_score_negative_zero.csv",
        "a score written -0 and -0.0: read as 0",
        read=3,
        values={"nps": [0.0, 0.0, 9.0]},
    ),
    Case(
        "67_nps_with_decimal_zero.csv",
        "NPS written 10.0, 7,0 and 8.00 by a statistics tool, and one 9.5",
        read=4,
        quarantined={4: "score_out_of_range"},
        values={"nps": [10.0, 7.0, 8.0]},
    ),
    Case(
        "68_score_with_percent_sign.csv",
        "scores with percent signs",
        read=3,
        quarantined={2: "not_a_number", 3: "not_a_number"},
        values={"nps": [8.0]},
    ),
    Case(
        "69_dates_with_time_zones.csv",
        "dates with offsets, Z and CET: moved to UTC, so 31 March 23:30 in New York is 1 April",
        read=4,
        values={
            "submitted_at": [
                pd.Timestamp("2025-03-01 09:00"),
                pd.Timestamp("2025-04-01 04:30"),
                pd.Timestamp("2025-03-02 08:00"),
                pd.Timestamp("2025-03-03 07:00"),
            ]
        },
    ),
    Case(
        "70_dates_in_future_and_before_1990.csv",
        "a date in 2035 and one in 1985 are kept as written (no date is judged against the day of the build); "
        "year 0025 is not read",
        read=4,
        quarantined={5: "unparseable_date"},
        values={"submitted_at": [pd.Timestamp("2025-03-01"), pd.Timestamp("2035-06-01"), pd.Timestamp("1985-06-01")]},
    ),
    Case(
        "71_two_digit_year.csv",
        "two-digit years (04.03.25): read as 20xx",
        read=3,
        notes=("dates read day first",),
        values={"submitted_at": [pd.Timestamp("2025-03-04"), pd.Timestamp("2025-03-15"), pd.Timestamp("2025-04-01")]},
    ),
    Case(
        "72_ids_differ_by_whitespace_or_case.csv",
        "ids 'r1', ' r1 ' and 'R1': spaces are not part of an id, case is",
        read=3,
        quarantined={3: "duplicate_id"},
        values={"response_id": ["r1", "R1"]},
    ),
    Case(
        "73_empty_mapped_score_column.csv",
        "the mapped score column is empty",
        read=3,
        quarantined={3: "no_answers"},
        values={"nps": [float("nan"), float("nan")], "comment": ["Bra", "Dyrt"]},
    ),
    Case(
        "74_merged_header_cells.xlsx",
        "group titles in merged cells above the header row",
        error=("its columns are ['Respondent', 'column B', 'Answers']", "the header seems to be row 2"),
        error_column="id",
    ),
    Case(
        "75_formulas_with_cached_values.xlsx",
        "scores as formulas: the values Excel cached are read, a formula never calculated is empty",
        read=3,
        quarantined={4: "no_answers"},
        values={"nps": [9.0, 7.0]},
    ),
    Case(
        "76_xlsx_bytes_named_csv.csv",
        "an Excel workbook saved under a .csv name",
        error=("cannot read as CSV: it is a zip archive", "set 'format: xlsx'"),
    ),
    Case(
        "77_gzip_bytes_named_csv.csv",
        "a gzip-compressed CSV under a .csv name",
        error=("cannot read as CSV: it is gzip-compressed", "unpack it"),
    ),
    Case(
        "78_semicolon_thousands_and_decimal_commas_in_weights.csv",
        "weights 0,75, 1 250,5 and 1.5 in a semicolon file, and 1.250,5 with a dot for thousands",
        read=4,
        columns={"response_id": "id", "submitted_at": "date", "nps": "nps", "weight": "weight"},
        quarantined={3: "not_a_number"},
        values={"weight": [0.75, 1250.5, 1.5]},
    ),
    Case(
        "79_only_quoted_empty_strings.csv",
        "rows of quoted empty strings only",
        error=("no valid responses: every row was quarantined", "row is empty (2)"),
    ),
    Case(
        "80_very_long_header_line.csv",
        "a header line of 70,000 characters (1,404 columns)",
        read=2,
        values={"nps": [9.0, 7.0], "comment": ["Bra", None]},
    ),
    Case(
        "81_comment_column_all_blank.csv",
        "a comment column of blanks and spaces",
        read=3,
        quarantined={4: "no_answers"},
        values={"comment": [None, None]},
    ),
    Case(
        "82_dash_and_dutch_not_rated_in_number_score.csv",
        "'-', 'n.v.t.', 'Ved ikke' and '#N/A' in a number score: only the Danish is a known not-rated answer",
        read=5,
        quarantined={3: "not_a_number", 4: "not_a_number", 6: "not_a_number"},
        notes=("1 answer in 'nps' read as not rated ('Ved ikke')",),
        values={"nps": [9.0, float("nan")]},
    ),
    Case(
        "83_comment_with_delimiter_newline_and_quotes.csv",
        "comments holding commas, semicolons, line breaks and doubled quotes, one only a quote",
        read=3,
        quarantined={4: "score_out_of_range"},
        values={"comment": ['Bra, men "dyrt"\nneste linje; ok, "sier"', '"']},
    ),
    Case(
        "84_trailing_delimiter_every_row.csv",
        "a delimiter at the end of every line",
        read=2,
        notes=("1 empty column without a name ignored",),
        values={"comment": ["Bra", None]},
    ),
    Case(
        "85_tab_separated_named_csv.csv",
        "tabs in a file named .csv, commas and semicolons in a comment",
        read=2,
        values={"comment": ["Bra, rask; billig", None]},
    ),
    Case(
        "86_latin1_nordic_without_bom.csv",
        "Latin-1 with æøå and no byte-order mark",
        read=2,
        values={"comment": ["Blåbær og rødgrøt", "Æ Ø Å på kø"]},
    ),
    Case(
        "87_old_mac_line_endings.csv",
        "lines ended by CR alone (classic Mac)",
        read=3,
        quarantined={3: "score_out_of_range"},
        values={"comment": ["Bra", "Ok"]},
    ),
    Case(
        "88_two_exports_with_byte_order_marks.csv",
        "two UTF-8 exports appended, each with its byte-order mark",
        read=3,
        quarantined={3: "repeated_header"},
        notes=("1 byte-order mark inside the file removed",),
    ),
    Case(
        "89_spreadsheet_error_values_in_score.csv",
        "#VALUE! and #DIV/0! in a score",
        read=3,
        quarantined={3: "not_a_number", 4: "not_a_number"},
    ),
    Case(
        "90_nan_text_written_by_a_script.csv",
        "'nan' and 'NaN' written by a script: text in a comment, no number in a score",
        read=3,
        quarantined={3: "not_a_number"},
        values={"comment": ["nan", "NaN"]},
    ),
    Case(
        "91_ids_with_leading_zeros.csv",
        "ids 00123, 0123 and 123: three ids",
        read=3,
        values={"response_id": ["00123", "0123", "123"]},
    ),
    Case(
        "92_header_names_with_spaces.csv",
        "spaces around the header's names",
        read=2,
        values={"nps": [9.0, 7.0]},
    ),
    Case(
        "93_whitespace_only_cells.csv",
        "cells of spaces only for a comment, an id and a date",
        read=3,
        quarantined={3: "missing_required", 4: "missing_required"},
        values={"comment": [None]},
    ),
    Case(
        "94_score_in_scientific_notation.csv",
        "scores written 1e1 and inf",
        read=3,
        quarantined={3: "not_a_number", 4: "score_out_of_range"},
        values={"nps": [9.0]},
    ),
    Case(
        "95_utf16_big_endian_without_bom.csv",
        "UTF-16 big-endian without a byte-order mark, with letters beyond Latin-1 (Ĳ)",
        read=2,
        values={"comment": ["Blåbær", "Ĳsselmeer"]},
    ),
    Case(
        "96_utf16_named_latin1_in_config.csv",
        "the config says latin-1 for a UTF-16 file without a byte-order mark",
        source={"encoding": "latin-1"},
        error=("cannot decode the file as latin-1", "are NUL, as in UTF-16 text", "utf-16-le or utf-16-be"),
    ),
]


def load(case: Case, tmp_path: Path):
    """Load a case's file as a client would: a copy of it in the client's folder, next to the config."""
    columns = {k: v for k, v in case.columns.items() if v is not None}
    (tmp_path / case.file).write_bytes((BAD / case.file).read_bytes())
    source = {"name": "export", "path": case.file, "columns": columns, **case.source}
    config = write_client(tmp_path, [source], output_dir=str(tmp_path / "out"), **case.config)
    return load_responses(load_config(config))


def _cell(value) -> str | None:
    """A cell as text for comparison; empty cells are None."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value)
    return text if text.strip() else None


def file_records(path: Path, delimiter: str | None) -> dict[int, list[str | None]]:
    """The file's rows by spreadsheet row number, read here without the loader: the oracle for raw values."""
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path, data_only=True).active
        return {n: [_cell(v) for v in row] for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)}
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
    else:  # each line in UTF-8, or else in Windows-1252
        lines = []
        for line in raw.split(b"\n"):
            try:
                lines.append(line.decode("utf-8"))
            except UnicodeDecodeError:
                lines.append(line.decode("cp1252"))
        text = "\n".join(lines).lstrip("\ufeff")
    text = re.sub(r"^sep=.\r?\n", "", text)  # Excel hides its delimiter hint: rows are numbered without it
    text = re.sub(r"(?<=\n)\ufeff", "", text.replace("\x00", ""))  # NUL bytes and appended files' byte-order marks
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return {n: [_cell(v) for v in record] for n, record in enumerate(records, start=1)}


def assert_quarantine_keeps_raw_values(case: Case, table) -> None:
    """Each quarantined row holds the cells of that row of the file, the offending value included."""
    how = table.read_as["export"]
    records = file_records(BAD / case.file, how.get("delimiter"))
    header = records[1]
    raw = [c for c in table.quarantine if c.startswith("raw: ")]
    assert raw, "the quarantine keeps the raw values"
    for bad in table.quarantine.to_dict("records"):
        record = records[bad["row"]]
        if bad["reason"] == "empty_row":
            assert not any(record), bad
            continue
        for column in raw:
            name, kept = column.removeprefix("raw: "), _cell(bad[column])
            if name in header:  # a column of the file: the cell under it in that row
                at = header.index(name)
                assert kept == (record[at] if at < len(record) else None), (bad["row"], name)
            else:  # a long export's answer, pivoted under its question: a cell of that row
                assert kept is None or kept in record, (bad["row"], name)
        if bad["column"] == OVERFLOW:
            assert bad["value"] == " | ".join(v for v in record[len(header) :] if v), bad
        elif f"raw: {bad['column']}" in bad:
            assert _cell(bad["value"]) == _cell(bad[f"raw: {bad['column']}"]), bad


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_bad_input_has_its_exact_outcome(case, tmp_path):
    try:
        table = load(case, tmp_path)
    except CXInputError as error:
        assert case.error, f"unexpected error: {error}"
        message = str(error)
        assert (case.error_file or case.file) in message
        assert (error.column, error.row) == (case.error_column, case.error_row), message
        if case.error_column:
            assert f"column '{case.error_column}'" in message
        if case.error_row is not None:
            assert f"row {case.error_row}:" in message
        for text in case.error:
            assert text in message
        assert "Fix:" in message
        return
    except Exception:
        pytest.fail(f"{case.file}: not a CXInputError\n{traceback.format_exc()}")
    assert not case.error, f"{case.file}: expected CXInputError"
    summary = accounting_summary(table.accounting).iloc[0]
    assert summary["read"] == case.read
    assert summary["valid"] == case.read - len(case.quarantined) == len(table.valid)
    assert summary["read"] == summary["valid"] + summary["quarantined"]
    assert dict(zip(table.quarantine["row"], table.quarantine["reason"])) == case.quarantined
    if case.quarantined:
        assert_quarantine_keeps_raw_values(case, table)
    notes = table.read_as["export"].get("notes", "")
    for text in case.notes:
        assert text in notes
    for column, expected in case.values.items():
        got = table.valid[column]
        if pd.api.types.is_float_dtype(got):
            assert got.tolist() == pytest.approx(expected, nan_ok=True)
        else:
            assert [None if pd.isna(v) else v for v in got] == expected


def test_every_corpus_file_is_one_case():
    files = sorted(p.name for p in BAD.iterdir() if p.name != "README.md")
    uses = Counter(c.file for c in CASES)
    assert [f for f, n in uses.items() if n > 1] == [], "a file used by two cases"
    assert sorted(uses) == files, "a case without its file, or a file without its case"
    assert len(CASES) >= 80
    listed = re.findall(r"^\| `([^`]+)` \|", (BAD / "README.md").read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert listed == [c.file for c in CASES], "README.md lists each file once, in the order of the cases"


def test_a_score_of_minus_zero_is_read_as_zero(tmp_path):
    case = next(c for c in CASES if c.file == "66_score_negative_zero.csv")
    scores = load(case, tmp_path).valid["nps"]
    assert [math.copysign(1, v) for v in scores] == [1, 1, 1]


@pytest.mark.timing
def test_a_comment_of_a_megabyte_quarantines_its_row_in_seconds(tmp_path):
    """A pasted document in one quoted comment: that row is quarantined, the others are read."""
    huge = ("Kjære kundeservice, " * 60_000)[:999_999] + "."
    lines = ["id,date,nps,comment", "r1,2025-03-01,9,Fin service", f'r2,2025-03-02,7,"{huge}"', "r3,2025-03-03,8,"]
    (tmp_path / "big.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    source = {"name": "export", "path": "big.csv", "columns": dict(COLUMNS)}
    config = write_client(tmp_path, [source], output_dir=str(tmp_path / "out"))
    started = time.perf_counter()
    table = load_responses(load_config(config))
    assert time.perf_counter() - started < 10
    summary = accounting_summary(table.accounting).iloc[0]
    assert (summary["read"], summary["valid"], summary["quarantined"]) == (3, 2, 1)
    bad = table.quarantine.iloc[0]
    assert (bad["row"], bad["reason"], bad["column"]) == (3, "cell_too_long", "comment")
    assert len(bad["value"]) < 300 and "1,000,000 characters" in bad["value"]
    assert table.valid["response_id"].tolist() == ["r1", "r3"]


def test_a_cell_beyond_what_is_read_at_all_names_its_row(tmp_path):
    from cxanalysis.readers import CSV_MAX_CELL_CHARS

    lines = ["id,date,nps,comment", "r1,2025-03-01,9,ok", f'r2,2025-03-02,7,"{"x" * (CSV_MAX_CELL_CHARS + 1)}"']
    (tmp_path / "huge.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    source = {"name": "export", "path": "huge.csv", "columns": dict(COLUMNS)}
    with pytest.raises(CXInputError) as caught:
        load_responses(load_config(write_client(tmp_path, [source], output_dir=str(tmp_path / "out"))))
    message = str(caught.value)
    assert caught.value.row == 3 and "huge.csv" in message and "row 3:" in message and "longer than" in message
    assert len(message) < 2000
