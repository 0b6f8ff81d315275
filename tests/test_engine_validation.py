"""A survey source checked in the engine (cxanalysis.warehouse) gives the row accounting, the valid rows and
the quarantine reasons of the pandas path (loading.validate_rows) on the same rows: the sample's relational
survey in a typed DuckDB table, as text in a Parquet glob of two files and through a connection URL, each with
bad rows planted for every reason the source can have; a bad URL or a missing table stops with one message
naming the source (exit 2); and two million rows are checked and written without holding them in memory."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import CLI, SAMPLE_CONFIG
from cxanalysis import CXInputError, load_config, warehouse
from cxanalysis.config import ClientConfig, Source
from cxanalysis.engine import quiet
from cxanalysis.labels import label_maps
from cxanalysis.loading import period_labels, read_export, response_rules, validate_rows
from cxanalysis.sample import ATTRIBUTES
from exercises import sample_copy

SAMPLE = SAMPLE_CONFIG.parent
TEXT_COLUMNS = ["Respondent ID", "Customer ID", "Region", "Customer type", "Survey channel"]
NPS = "Likelihood to recommend (0-10)"
COMMENT = "What one thing could we do to make you happier?"


def _answers(typed: bool) -> pd.DataFrame:
    """The sample's relational answers: typed (timestamps and numbers) as a warehouse holds them, or as text."""
    if typed:
        answers = pd.read_csv(SAMPLE / "relational_nps.csv", sep=";", encoding="utf-8-sig")
        answers["Submitted"] = pd.to_datetime(answers["Submitted"], format="%d.%m.%Y %H:%M", errors="coerce")
        return answers.astype({NPS: float}).astype(object).where(answers.notna(), None)
    answers = pd.read_csv(SAMPLE / "relational_nps.csv", sep=";", encoding="utf-8-sig", dtype=str)
    return answers.astype(object).where(answers.notna(), None)


def _planted(answers: pd.DataFrame, typed: bool) -> pd.DataFrame:
    """The answers with bad rows added, one or more for every reason the source can have."""
    base = answers.iloc[0].to_dict()
    later = pd.Timestamp("2026-01-05 10:00") if typed else "05.01.2026 10:00"

    def row(number: int, **changes: object) -> dict:
        return {**base, "Respondent ID": f"R-9{number:05d}", "Submitted": later, **changes}

    rows = [
        dict.fromkeys(answers.columns),  # empty_row
        {c: (c if c in [*TEXT_COLUMNS, COMMENT, "Language"] else None) for c in answers.columns},  # repeated_header
        row(1, **{COMMENT: "x" * 100_001}),  # cell_too_long
        row(2, **{"Respondent ID": None}),  # missing_required
        row(3, **{"Respondent ID": "   "}),  # missing_required (blank)
        row(4, **{"Respondent ID": "5.70306E+17"}),  # mangled_id
        row(5, **{NPS: 11.0 if typed else "11"}),  # score_out_of_range
        row(6, **{NPS: 7.5 if typed else "7,5"}),  # score_out_of_range (not whole)
        row(7, **{"Would buy again": "Maybe"}),  # invalid_value
        row(8, **{"Respondent ID": "R-000010"}),  # duplicate_id: a later answer under an id already used
        row(9, **{"Respondent ID": " R-000011 "}),  # duplicate_id once trimmed
        row(10, **{NPS: None, COMMENT: None, **dict.fromkeys(ATTRIBUTE_COLUMNS)}),  # no_answers
        row(11, **{"Responsiveness": 0.0 if typed else "0"}),  # a not-rated code: valid, responsiveness missing
        row(12, **{"Respondent ID": "  R-900012\u00a0"}),  # valid: the id trimmed of spaces and a no-break space
        row(13, **{"Would buy again": "ja" if not typed else "Yes", COMMENT: "  "}),  # valid
        row(
            14,
            **{NPS: None, COMMENT: None, **dict.fromkeys(ATTRIBUTE_COLUMNS), "Responsiveness": 0.0 if typed else "0"},
        ),  # no_answers: only a not-rated code
    ]
    if not typed:
        rows += [
            row(20, Submitted="32.01.2025 10:00"),  # unparseable_date
            row(21, **{NPS: "abc"}),  # not_a_number
            row(22, **{NPS: "1e1"}),  # not_a_number: scientific notation is no score
            row(23, **{NPS: "n/a"}),  # not rated: valid (it has attributes)
            row(24, **{NPS: "9 - Very likely"}),  # 9
            row(25, **{NPS: " 8 "}),  # 8
            row(26, **{NPS: "٧"}),  # 7 in Arabic-Indic digits
            row(27, Responsiveness="Agree"),  # 4 by the agreement-5 map
            row(28, Responsiveness="Agreeable"),  # unknown_label
        ]
    return pd.concat([answers, pd.DataFrame(rows, columns=answers.columns)], ignore_index=True)


ATTRIBUTE_COLUMNS = list(ATTRIBUTES)  # the sample export's attribute columns


def _client(tmp_path: Path, source: dict) -> Path:
    def edit(config: dict) -> None:
        relational = {k: v for k, v in config["sources"][0].items() if k not in ("path", "dayfirst")}
        config["sources"] = [relational | {"not_rated": {"attributes": [0]}} | source]

    return sample_copy(tmp_path, edit)


def duckdb_client(tmp_path: Path, answers: pd.DataFrame) -> Path:
    config = _client(tmp_path, {"path": "warehouse.duckdb", "table": "cx.relational_answers"})
    with duckdb.connect(str(config.parent / "warehouse.duckdb")) as connection:
        frame = answers.astype({NPS: float, **dict.fromkeys(ATTRIBUTE_COLUMNS, float)})
        frame["Submitted"] = pd.to_datetime(frame["Submitted"])
        connection.register("answers", frame)
        connection.execute("CREATE SCHEMA cx")
        connection.execute("CREATE TABLE cx.relational_answers AS SELECT * FROM answers")
    return config


def parquet_client(tmp_path: Path, answers: pd.DataFrame) -> Path:
    config = _client(
        tmp_path,
        {
            "path": "parts/*.parquet",
            "date_format": "%d.%m.%Y %H:%M",
            "labels": {"responsiveness": "agreement-5"},
        },
    )
    parts = config.parent / "parts"
    parts.mkdir()
    half = len(answers) // 2
    answers.iloc[:half].astype("string").to_parquet(parts / "part-1.parquet", index=False)
    answers.iloc[half:].astype("string").to_parquet(parts / "part-2.parquet", index=False)
    return config


def pandas_check(config: ClientConfig, source: Source, raw: pd.DataFrame, file: Path):
    """``validate_rows`` on the rows as the loader passes them (row numbers from 2, cells as objects)."""
    raw = raw.astype(object).where(raw.notna(), None)
    raw.index = pd.RangeIndex(2, len(raw) + 2)
    return validate_rows(
        raw,
        source.columns,
        response_rules(config, source),
        file=file,
        source=source.name,
        date_format=source.date_format,
        dayfirst=source.dayfirst,
        answer_columns=["nps", "csat", "ces", "comment", *config.attributes],
        maps=label_maps(config.answer_labels),
    )


def _cell(value: object) -> object:
    """A raw cell in one spelling, whichever path read it."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return repr(float(value))
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value)


def assert_same_as_pandas(config: ClientConfig, check: warehouse.EngineCheck, raw: pd.DataFrame) -> pd.DataFrame:
    """The engine's accounting, valid rows and quarantine reasons are the pandas path's; returns the valid rows."""
    source = config.sources[0]
    valid, quarantine, accounting = pandas_check(config, source, raw, Path(check.accounting.loc[0, "file"]))
    pd.testing.assert_frame_equal(check.accounting, accounting)

    with quiet():
        got = check.valid.execute().sort_values("response_id", ignore_index=True)
    expected = valid.sort_values("response_id", ignore_index=True)
    assert got["response_id"].tolist() == expected["response_id"].tolist()
    assert (got["source"] == source.name).all() and (got["weight"] == 1.0).all()
    assert (got["survey"] == source.survey).all()
    for column in [c for c in expected.columns if c not in ("weight", "survey")]:
        left, right = got[column], expected[column]
        if column == "submitted_at":
            assert left.astype("datetime64[ns]").tolist() == right.astype("datetime64[ns]").tolist()
        elif pd.api.types.is_float_dtype(right):
            np.testing.assert_allclose(left.to_numpy(float), right.to_numpy(float), rtol=1e-12, atol=1e-12)
        else:
            assert (
                left.astype(object).where(left.notna(), None).tolist()
                == right.astype(object).where(right.notna(), None).tolist()
            ), column
    periods = period_labels(expected["submitted_at"], config.report.period)
    assert got["period"].tolist() == periods.astype(object).tolist()

    raw_columns = [c for c in quarantine.columns if c.startswith("raw: ")]
    expected_reasons: dict[tuple, set[tuple[str, str]]] = {}
    for cells, reason, column in zip(
        quarantine[raw_columns].itertuples(index=False), quarantine["reason"], quarantine["column"]
    ):
        expected_reasons.setdefault(tuple(map(_cell, cells)), set()).add((reason, column))
    assert len(check.quarantine) == min(len(quarantine), warehouse.QUARANTINE_SAMPLE)
    assert list(check.quarantine.columns) == list(quarantine.columns)
    for cells, reason, column in zip(
        check.quarantine[raw_columns].itertuples(index=False), check.quarantine["reason"], check.quarantine["column"]
    ):
        assert (reason, column) in expected_reasons[tuple(map(_cell, cells))], (reason, column, cells)
    return got


def test_a_typed_duckdb_table_checked_in_the_engine_gives_the_pandas_paths_rows_and_reasons(tmp_path):
    answers = _planted(_answers(typed=True), typed=True)
    config = load_config(duckdb_client(tmp_path, answers))
    check = warehouse.check_in_engine(config, config.sources[0])
    reasons = set(check.accounting.loc[check.accounting["outcome"] == "quarantined", "reason"])
    assert reasons == {
        "empty_row",
        "repeated_header",
        "cell_too_long",
        "missing_required",
        "mangled_id",
        "score_out_of_range",
        "invalid_value",
        "duplicate_id",
        "no_answers",
    }
    raw, _ = read_export(config.sources[0])
    valid = assert_same_as_pandas(config, check, raw.frame)
    planted = valid.set_index("response_id")
    assert math.isnan(planted.loc["R-900011", "responsiveness"])  # the not-rated code
    assert "R-900012" in planted.index and pd.isna(planted.loc["R-900013", "comment"])

    written = tmp_path / "valid.parquet"
    assert warehouse.write_valid(check, written) == len(valid)
    back = pd.read_parquet(written)
    assert list(back.columns) == list(valid.columns)
    assert sorted(back["response_id"]) == sorted(valid["response_id"])


def test_a_parquet_glob_of_text_cells_gives_the_pandas_paths_rows_and_reasons(tmp_path):
    answers = _planted(_answers(typed=False), typed=False)
    config = load_config(parquet_client(tmp_path, answers))
    check = warehouse.check_in_engine(config, config.sources[0])
    reasons = set(check.accounting.loc[check.accounting["outcome"] == "quarantined", "reason"])
    assert {"unparseable_date", "not_a_number", "unknown_label", "score_out_of_range", "duplicate_id"} <= reasons
    valid = assert_same_as_pandas(config, check, answers).set_index("response_id")
    assert valid.loc["R-900024", "nps"] == 9 and valid.loc["R-900026", "nps"] == 7
    assert math.isnan(valid.loc["R-900023", "nps"]) and valid.loc["R-900027", "responsiveness"] == 4
    assert valid.loc["R-900013", "would_buy_again"] == 1
    assert check.accounting.loc[0, "file"] == "*.parquet"


def test_the_quarantine_sample_is_capped_and_the_accounting_counts_every_row(tmp_path, monkeypatch):
    answers = _planted(_answers(typed=True), typed=True)
    config = load_config(duckdb_client(tmp_path, answers))
    monkeypatch.setattr(warehouse, "QUARANTINE_SAMPLE", 4)
    check = warehouse.check_in_engine(config, config.sources[0])
    quarantined = check.accounting.loc[check.accounting["outcome"] == "quarantined", "rows"].sum()
    assert quarantined > 4 and len(check.quarantine) == 4
    assert check.quarantine["reason"].iloc[0] == "empty_row"  # the earliest reasons first


def test_a_source_by_connection_url_is_checked_the_same(tmp_path):
    answers = _planted(_answers(typed=True), typed=True)
    database = duckdb_client(tmp_path / "file", answers).parent / "warehouse.duckdb"
    config = load_config(
        _client(tmp_path / "url", {"connection": f"duckdb:///{database}", "table": "cx.relational_answers"})
    )
    source = config.sources[0]
    assert source.connection and source.file_format == "connection"
    with duckdb.connect(str(database), read_only=True) as connection:
        raw = connection.execute("SELECT * FROM cx.relational_answers").df()
    check = warehouse.check_in_engine(config, source)
    assert_same_as_pandas(config, check, raw)
    assert check.accounting.loc[0, "file"] == "cx.relational_answers"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"path": "x.parquet", "connection": "duckdb:///x.duckdb", "table": "t"}, "both 'path' and 'connection'"),
        ({"connection": "duckdb:///x.duckdb"}, "name the table to read with 'table'"),
        ({"connection": "warehouse", "table": "t"}, "is not a URL"),
        ({"connection": "postgres://ana:hunter2@db.example.com:port/cx", "table": "t"}, "is not a URL"),
        ({"connection": "nosuchdb://ana:hunter2@db.example.com/cx", "table": "t"}, "names the backend 'nosuchdb'"),
    ],
)
def test_a_connection_needs_a_url_and_a_table_and_no_path(tmp_path, source, message):
    config = _client(tmp_path, source)
    done = subprocess.run([CLI, "validate", str(config)], capture_output=True, text=True)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr and "'relational'" in done.stderr and "Traceback" not in done.stderr
    assert "hunter2" not in done.stderr
    with pytest.raises(CXInputError, match=re.escape(message)):
        load_config(config)


def test_a_connection_that_fails_or_a_missing_table_names_the_source_and_hides_the_password(tmp_path):
    answers = _planted(_answers(typed=True), typed=True)
    database = duckdb_client(tmp_path / "file", answers).parent / "warehouse.duckdb"
    missing = load_config(_client(tmp_path / "a", {"connection": f"duckdb:///{database}", "table": "cx.gone"}))
    with pytest.raises(CXInputError) as error:
        warehouse.open_table(missing.sources[0])
    text = str(error.value)
    assert "source 'relational'" in text and "no table 'cx.gone'" in text and "cx.relational_answers" in text
    assert str(database) in text

    refused = load_config(
        _client(tmp_path / "b", {"connection": "postgres://ana:hunter2@127.0.0.1:9/cx", "table": "answers"})
    )
    with pytest.raises(CXInputError) as error:
        warehouse.open_table(refused.sources[0])
    text = str(error.value)
    assert "source 'relational': cannot connect" in text and "postgres://ana:***@127.0.0.1:9/cx" in text
    assert "hunter2" not in text

    # validate checks a connection source in the engine, and stops on the missing table with the same message.
    done = subprocess.run([CLI, "validate", str(missing.config_file)], capture_output=True, text=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "no table 'cx.gone'" in done.stderr and "cx.relational_answers" in done.stderr


def test_a_missing_table_of_a_database_file_stops_validate_with_exit_2(tmp_path):
    answers = _planted(_answers(typed=True), typed=True)
    config = duckdb_client(tmp_path, answers)
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["sources"][0]["table"] = "cx.gone"
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    done = subprocess.run([CLI, "validate", str(config)], capture_output=True, text=True)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "no table 'cx.gone'" in done.stderr and "cx.relational_answers" in done.stderr
    assert "Traceback" not in done.stderr
    with pytest.raises(CXInputError, match=re.escape("source 'relational': no table 'cx.gone'")):
        warehouse.open_table(load_config(config).sources[0])


def test_a_text_date_column_without_its_format_asks_for_one(tmp_path):
    answers = _planted(_answers(typed=False), typed=False)
    config = parquet_client(tmp_path, answers)
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    del settings["sources"][0]["date_format"]
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    loaded = load_config(config)
    with pytest.raises(CXInputError, match="date_format") as error:
        warehouse.check_in_engine(loaded, loaded.sources[0])
    assert "Submitted" in str(error.value)


_MEMORY_SCRIPT = textwrap.dedent(
    """
    import json, resource, sys, time
    from cxanalysis import load_config, warehouse

    config = load_config(sys.argv[1])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    check = warehouse.check_in_engine(config, config.sources[0])
    written = warehouse.write_valid(check, sys.argv[2])
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "growth_mb": (after - before) / 1024, "peak_mb": after / 1024, "seconds": time.perf_counter() - started,
        "written": written, "accounting": check.accounting.to_dict("records"), "sample": len(check.quarantine),
    }))
    """
)


@pytest.mark.slow
def test_two_million_rows_are_checked_and_written_without_holding_them_in_memory(tmp_path):
    rows = 2_000_000
    config = _client(tmp_path, {"path": "big.parquet"})
    with duckdb.connect() as connection:
        connection.execute(
            f"""
            COPY (
                SELECT
                    'R-' || lpad(i::VARCHAR, 8, '0') AS "Respondent ID",
                    TIMESTAMP '2025-01-01' + to_minutes(i % 500000) AS "Submitted",
                    'C-' || (i % 50000)::VARCHAR AS "Customer ID",
                    CASE i % 3 WHEN 0 THEN 'Øst' WHEN 1 THEN 'Vest' ELSE 'Nord' END AS "Region",
                    CASE i % 2 WHEN 0 THEN 'New' ELSE 'Returning' END AS "Customer type",
                    'E-mail' AS "Survey channel",
                    CASE WHEN i % 1000 = 7 THEN 11 ELSE i % 11 END::DOUBLE AS "{NPS}",
                    {", ".join(f'(1 + (i + {k}) % 5)::DOUBLE AS "{c}"' for k, c in enumerate(ATTRIBUTE_COLUMNS))},
                    CASE WHEN i % 10 = 0 THEN 'Comment number ' || i::VARCHAR END AS "{COMMENT}",
                    'nb' AS "Language",
                    CASE i % 2 WHEN 0 THEN 'Yes' ELSE 'No' END AS "Would buy again"
                FROM range({rows}) AS r(i)
            ) TO '{config.parent / "big.parquet"}' (FORMAT parquet)
            """
        )
    script = tmp_path / "memory.py"
    script.write_text(_MEMORY_SCRIPT, encoding="utf-8")
    output = tmp_path / "valid.parquet"
    done = subprocess.run(
        [sys.executable, str(script), str(config), str(output)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"two million rows: {result['seconds']:.1f} s, peak RSS {result['peak_mb']:.0f} MB, "
        f"grown by {result['growth_mb']:.0f} MB"
    )
    assert result["growth_mb"] < 400, result
    accounting = {(r["outcome"], r["reason"]): r["rows"] for r in result["accounting"]}
    assert accounting[("read", "")] == rows and accounting[("quarantined", "score_out_of_range")] == rows // 1000
    assert result["written"] == accounting[("valid", "")] == rows - rows // 1000
    assert result["sample"] == warehouse.QUARANTINE_SAMPLE
    assert duckdb.connect().execute(f"SELECT count(*) FROM '{output}'").fetchone()[0] == result["written"]
