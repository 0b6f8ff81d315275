"""Loading and validation: real file formats in, every row valid or quarantined with a reason."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import SURVEY_COLUMNS, survey_frame, write_client
from cxanalysis import CXInputError, load_config
from cxanalysis.loading import accounting_summary, check_all, load_responses
from cxanalysis.readers import detect_delimiter, detect_encoding


def csv_client(tmp_path, frame, *, encoding="utf-8", sep=",", columns=None, **source_extra):
    (tmp_path / "survey.csv").write_bytes(frame.to_csv(index=False, sep=sep).encode(encoding))
    src = {"name": "survey", "path": "survey.csv", "columns": columns or dict(SURVEY_COLUMNS), **source_extra}
    return load_config(write_client(tmp_path, [src], segments=["region"]))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_csv_encodings_and_delimiters_keep_nordic_letters(tmp_path, encoding, sep):
    frame = survey_frame()
    table = load_responses(csv_client(tmp_path, frame, encoding=encoding, sep=sep))
    assert len(table.valid) == len(frame)
    assert set(table.valid["region"]) == {"Øst", "Sør", "Nord", "Vest"}
    assert "Blåbær og rødgrøt, takk" in set(table.valid["comment"].dropna())
    assert table.read_as["survey"]["delimiter"] == sep


def test_detect_encoding_rules():
    assert detect_encoding("æøå".encode()) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbfa;b") == "utf-8-sig"
    assert detect_encoding("æøå ÄÖ".encode("cp1252")) == "cp1252"
    assert detect_encoding("x".encode("utf-16")) == "utf-16"
    assert detect_encoding(b"\x81\x8d") == "latin-1"  # bytes cp1252 leaves undefined


def test_detect_delimiter_with_commas_inside_quotes():
    text = 'a;b;c\n1;"x, y, z";3\n2;"p, q";4\n'
    assert detect_delimiter(text) == ";"


def test_xlsx_with_a_named_sheet_and_real_date_cells(tmp_path):
    frame = survey_frame()
    frame["Date"] = pd.to_datetime(frame["Date"])
    with pd.ExcelWriter(tmp_path / "survey.xlsx") as writer:
        pd.DataFrame({"notes": ["not this one"]}).to_excel(writer, sheet_name="About", index=False)
        frame.to_excel(writer, sheet_name="Responses", index=False)
    src = {"name": "survey", "path": "survey.xlsx", "sheet": "Responses", "columns": dict(SURVEY_COLUMNS)}
    table = load_responses(load_config(write_client(tmp_path, [src], segments=["region"])))
    assert len(table.valid) == len(frame)
    assert table.valid["submitted_at"].dt.year.eq(2025).all()
    assert table.valid["period"].iloc[0] == "2025Q1"


def test_xlsx_missing_sheet_lists_the_sheets(tmp_path):
    survey_frame().to_excel(tmp_path / "survey.xlsx", sheet_name="Data", index=False)
    src = {"name": "survey", "path": "survey.xlsx", "sheet": "Responses", "columns": dict(SURVEY_COLUMNS)}
    with pytest.raises(CXInputError, match=r"sheet 'Responses' not found; the workbook has \['Data'\]"):
        load_responses(load_config(write_client(tmp_path, [src], segments=["region"])))


def test_parquet(tmp_path):
    frame = survey_frame()
    frame["NPS"] = frame["NPS"].astype("Int64")
    frame.to_parquet(tmp_path / "survey.parquet")
    src = {"name": "survey", "path": "survey.parquet", "columns": dict(SURVEY_COLUMNS)}
    table = load_responses(load_config(write_client(tmp_path, [src], segments=["region"])))
    assert table.valid["nps"].tolist() == frame["NPS"].astype(float).tolist()


def test_canonical_columns_and_periods(tmp_path):
    table = load_responses(csv_client(tmp_path, survey_frame(), **{"survey": "relational"}))
    valid = table.valid
    assert list(valid.columns[:8]) == [
        "response_id",
        "source",
        "submitted_at",
        "period",
        "survey",
        "touchpoint",
        "channel",
        "customer_id",
    ]
    assert valid["survey"].eq("relational").all()
    assert valid["weight"].eq(1.0).all()
    assert valid["touchpoint"].isna().all()  # not mapped: present, empty


def test_monthly_periods(tmp_path):
    (tmp_path / "survey.csv").write_text(survey_frame().to_csv(index=False), encoding="utf-8")
    src = {"name": "survey", "path": "survey.csv", "columns": dict(SURVEY_COLUMNS)}
    config = load_config(write_client(tmp_path, [src], segments=["region"], report={"period": "month"}))
    assert load_responses(config).valid["period"].iloc[0] == "2025-01"


def bad_rows_frame() -> pd.DataFrame:
    frame = survey_frame(12).astype(object)
    frame.loc[1, "NPS"] = 11  # score_out_of_range (row 3 of the sheet)
    frame.loc[2, "Date"] = "31.02.2025"  # unparseable_date (row 4)
    frame.loc[3, "Id"] = "A000"  # duplicate_id (row 5)
    frame.loc[4, "Date"] = ""  # missing_required (row 6)
    frame.loc[5, "NPS"] = "nine"  # not_a_number (row 7)
    frame.loc[6, ["NPS", "Comment"]] = ""  # no_answers (row 8)
    frame.loc[7, "NPS"] = 7.5  # score_out_of_range: not a whole number (row 9)
    return frame


def test_each_bad_row_is_quarantined_with_its_reason_and_spreadsheet_row(tmp_path):
    config = csv_client(tmp_path, bad_rows_frame())
    table = load_responses(config)
    got = dict(zip(table.quarantine["row"], table.quarantine["reason"]))
    assert got == {
        3: "score_out_of_range",
        4: "unparseable_date",
        5: "duplicate_id",
        6: "missing_required",
        7: "not_a_number",
        8: "no_answers",
        9: "score_out_of_range",
    }
    assert len(table.valid) == 12 - 7
    bad = table.quarantine.set_index("row")
    assert bad.loc[3, "column"] == "NPS" and bad.loc[3, "value"] == "11"
    assert bad.loc[5, "value"] == "A000"
    assert bad.loc[3, "raw: Region"] == "Sør"  # the raw row travels with it


def test_accounting_adds_up_per_file_and_reason(tmp_path):
    summary = accounting_summary(load_responses(csv_client(tmp_path, bad_rows_frame())).accounting)
    row = summary.iloc[0]
    assert (row["read"], row["valid"], row["quarantined"]) == (12, 5, 7)
    assert "score outside the scale or not a whole number (2)" in row["reasons"]


def test_check_all_writes_nothing_and_counts_every_file(tmp_path):
    config = csv_client(tmp_path, bad_rows_frame())
    check = check_all(config)
    assert check.files["rows"].tolist() == [12]
    assert check.quarantine["row"].is_unique
    assert not (tmp_path / "out").exists()


def test_missing_data_file_is_a_clear_error(tmp_path):
    src = {"name": "survey", "path": "gone.csv", "columns": dict(SURVEY_COLUMNS)}
    with pytest.raises(CXInputError) as error:
        load_responses(load_config(write_client(tmp_path, [src], segments=["region"])))
    assert "gone.csv" in str(error.value) and "data file not found" in str(error.value)
    assert "Fix:" in str(error.value)


def test_mapped_column_absent_names_file_and_column(tmp_path):
    columns = dict(SURVEY_COLUMNS, nps="Likelihood to recommend")
    with pytest.raises(CXInputError) as error:
        load_responses(csv_client(tmp_path, survey_frame(), columns=columns))
    message = str(error.value)
    assert "survey.csv" in message and "column 'Likelihood to recommend'" in message
    assert "its columns are ['Id', 'Date', 'Region', 'NPS', 'Comment']" in message


def test_no_valid_rows_is_fatal_with_the_accounting(tmp_path):
    frame = survey_frame(4)
    frame["NPS"] = 42
    frame["Comment"] = ""
    with pytest.raises(CXInputError, match="no valid responses") as error:
        load_responses(csv_client(tmp_path, frame))
    assert "survey.csv" in str(error.value)


def test_empty_file_is_a_clear_error(tmp_path):
    (tmp_path / "survey.csv").write_text("")
    src = {"name": "survey", "path": "survey.csv", "columns": dict(SURVEY_COLUMNS)}
    with pytest.raises(CXInputError, match="the file is empty"):
        load_responses(load_config(write_client(tmp_path, [src], segments=["region"])))


def test_day_first_dates(tmp_path):
    frame = survey_frame(4)
    frame["Date"] = ["03.02.2025 10:00", "13.02.2025 11:30", "28.02.2025 09:15", "01.03.2025 08:00"]
    table = load_responses(csv_client(tmp_path, frame, dayfirst=True))
    assert table.valid["submitted_at"].dt.month.tolist() == [2, 2, 2, 3]


def test_weights_must_be_positive(tmp_path):
    frame = survey_frame(4)
    frame["W"] = ["1.5", "0", "2,5", "-1"]
    table = load_responses(csv_client(tmp_path, frame, columns=dict(SURVEY_COLUMNS, weight="W")))
    assert table.valid["weight"].tolist() == [1.5, 2.5]  # decimal comma read
    assert table.quarantine["reason"].tolist() == ["invalid_value", "invalid_value"]


def test_sample_client_accounting_matches_the_planted_bad_rows():
    import yaml

    from conftest import SAMPLE_CONFIG

    truth = yaml.safe_load((SAMPLE_CONFIG.parent / "truth.yml").read_text(encoding="utf-8"))
    table = load_responses(load_config(SAMPLE_CONFIG))
    planted = pd.DataFrame(truth["bad_rows"]["rows"] if "rows" in truth["bad_rows"] else truth["bad_rows"])
    assert len(table.quarantine) == len(planted)
    assert sorted(table.quarantine["reason"]) == sorted(planted["reason"])


def test_empty_rows_are_counted_not_dropped(tmp_path):
    text = "Id;Date;Region;NPS;Comment\nA1;2025-01-02;Nord;9;\n;;;;\nA2;2025-01-03;Sør;3;Treg levering\n"
    (tmp_path / "survey.csv").write_text(text, encoding="utf-8")
    src = {"name": "survey", "path": "survey.csv", "columns": dict(SURVEY_COLUMNS)}
    table = load_responses(load_config(write_client(tmp_path, [src], segments=["region"])))
    assert table.valid["response_id"].tolist() == ["A1", "A2"]
    assert table.quarantine[["row", "reason"]].values.tolist() == [[3, "empty_row"]]
    summary = accounting_summary(table.accounting).iloc[0]
    assert (summary["read"], summary["valid"], summary["quarantined"]) == (3, 2, 1)


def test_empty_spreadsheet_row_in_the_middle_keeps_row_numbers(tmp_path):
    frame = survey_frame(8).astype(object)
    frame.loc[2] = None
    frame.loc[4, "NPS"] = 15
    frame.to_excel(tmp_path / "survey.xlsx", index=False)
    src = {"name": "survey", "path": "survey.xlsx", "columns": dict(SURVEY_COLUMNS)}
    table = load_responses(load_config(write_client(tmp_path, [src], segments=["region"])))
    assert dict(zip(table.quarantine["row"], table.quarantine["reason"])) == {4: "empty_row", 6: "score_out_of_range"}


def test_the_language_column_keeps_languages_and_counts_the_rest_as_missing(tmp_path):
    frame = survey_frame()
    planted = {1: "kari@example.no", 2: "Ring meg på 912 34 567", 3: "Kari Nordmann skrev dette", 5: "12345678"}
    frame["Språk"] = ["nb", "sv-SE", "Dansk", "English", ""] * 4
    for row, value in planted.items():
        frame.loc[row, "Språk"] = value
    config = csv_client(tmp_path, frame, columns={**SURVEY_COLUMNS, "language": "Språk"})
    table = load_responses(config)
    languages = table.valid["language"]
    assert languages.isna().sum() == 4 + len(planted)
    assert set(languages.dropna()) == {"nb", "sv-SE", "Dansk", "English"}
    shown = " ".join(languages.dropna()) + " " + table.read_as["survey"]["notes"]
    for value in planted.values():
        assert value not in shown
    assert "4 values in 'Språk' are not a language code or name, read as missing" in table.read_as["survey"]["notes"]
    notes = check_all(config).files["notes"].iloc[0]
    assert "not a language code or name" in notes


def test_a_headline_score_that_does_not_look_like_its_scale_is_a_warning():
    from cxanalysis.loading import implausible_scores

    scales = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
    flag = pd.DataFrame({"nps": [0.0, 1.0] * 20, "csat": [5.0] * 38 + [4.0, 3.0], "ces": [1.0, 4.0, 7.0, 2.0] * 10})
    warnings = implausible_scores(flag, scales)
    assert len(warnings) == 2
    assert warnings[0].startswith("nps: all 40 answers are 0 and 1 on a 0-10 scale")
    assert warnings[1].startswith("csat: 95 % of 40 answers are 5, the end of its 1-5 scale")
    assert implausible_scores(flag.head(8), scales) == []  # too few answers to judge
