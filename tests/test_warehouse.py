"""A source read from a table of a DuckDB database (standing in for a warehouse): the same responses and
book as from the files, and one clear message, exit 2, for a bad database or a missing table."""

from __future__ import annotations

import subprocess

import duckdb
import pandas as pd
import pytest
import yaml

from conftest import CLI, SAMPLE_CONFIG
from cxanalysis import CXInputError, load_config
from cxanalysis.client import ClientData
from exercises import sample_copy

SAMPLE = SAMPLE_CONFIG.parent


def warehouse_copy(tmp_path, table: str = "cx.relational_answers", path: str = "warehouse.duckdb"):
    """The sample client with its relational survey in a DuckDB table (typed: timestamps and numbers), the
    way a warehouse holds answers, instead of the semicolon CSV."""
    answers = pd.read_csv(SAMPLE / "relational_nps.csv", sep=";", encoding="utf-8-sig")
    answers["Submitted"] = pd.to_datetime(answers["Submitted"], format="%d.%m.%Y %H:%M", errors="coerce")

    def point_at_table(config):
        config["sources"][0] |= {"path": path, "table": table}

    config = sample_copy(tmp_path, point_at_table)
    with duckdb.connect(str(config.parent / "warehouse.duckdb")) as connection:
        connection.execute("CREATE SCHEMA cx")
        connection.execute("CREATE TABLE cx.relational_answers AS SELECT * FROM answers")
    return config


def test_a_table_of_a_duckdb_database_gives_the_same_responses_as_the_csv_export(tmp_path):
    from_files = ClientData(load_config(SAMPLE_CONFIG))
    from_table = ClientData(load_config(warehouse_copy(tmp_path)))
    files = from_table.data_check.files.set_index("source")
    assert files.loc["relational", "format"] == "duckdb" and files.loc["relational", "file"] == "warehouse.duckdb"
    assert files["rows"].tolist() == from_files.data_check.files["rows"].tolist()
    columns = ["response_id", "submitted_at", "period", "region", "nps", "responsiveness", "comment", "language"]
    expected = from_files.responses[columns].sort_values("response_id", ignore_index=True)
    got = from_table.responses[columns].sort_values("response_id", ignore_index=True)
    pd.testing.assert_frame_equal(got.astype(str), expected.astype(str))
    summary = from_table.summarise("nps", ["period"])
    assert summary["estimate"].tolist() == from_files.summarise("nps", ["period"])["estimate"].tolist()


@pytest.mark.parametrize(
    ("table", "message"),
    [("cx.answers", "no table 'cx.answers'"), ("responses", "no table 'responses'")],
)
def test_a_missing_table_names_the_source_and_the_tables_there_are(tmp_path, table, message):
    config = warehouse_copy(tmp_path, table=table)
    with pytest.raises(CXInputError) as error:
        ClientData(load_config(config)).data_check  # noqa: B018
    text = str(error.value)
    assert message in text and "warehouse.duckdb" in text and "cx.relational_answers" in text


def test_a_table_needs_a_database_and_a_database_needs_a_table(tmp_path):
    config = warehouse_copy(tmp_path)
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    del settings["sources"][0]["table"]
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    with pytest.raises(CXInputError, match="is a DuckDB database: name the table"):
        load_config(config)
    settings["sources"][0] |= {"path": "relational_nps.csv", "table": "answers"}
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    with pytest.raises(CXInputError, match="'table' names a table of a DuckDB database"):
        load_config(config)


def test_a_file_that_is_no_database_stops_validate_with_one_message_and_exit_2(tmp_path):
    config = warehouse_copy(tmp_path, path="not-a-database.duckdb")
    (config.parent / "not-a-database.duckdb").write_text("Respondent ID;Submitted\nR-1;01.01.2025\n")
    done = subprocess.run([CLI, "validate", str(config)], capture_output=True, text=True)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "not-a-database.duckdb" in done.stderr and "DuckDB database" in done.stderr
    assert "Traceback" not in done.stderr
    missing = warehouse_copy(tmp_path / "other", table="cx.gone")
    done = subprocess.run([CLI, "validate", str(missing)], capture_output=True, text=True)
    assert done.returncode == 2 and "no table 'cx.gone'" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_a_client_whose_survey_is_a_warehouse_table_builds_the_same_book(tmp_path, sample_build):
    sample_config, _ = sample_build
    config = warehouse_copy(tmp_path)
    done = subprocess.run([CLI, "build", str(config)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    built = load_config(config).published_dir
    assert (built / "html" / "notebooks" / "00_executive_summary.html").is_file()
    for name in ("metrics.csv", "headline.csv"):
        got = pd.read_csv(built / "results" / name)
        expected = pd.read_csv(sample_config.published_dir / "results" / name)
        pd.testing.assert_frame_equal(got, expected)
