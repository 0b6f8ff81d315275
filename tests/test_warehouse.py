"""A source read from a table of a DuckDB database (standing in for a warehouse): the same responses and
book as from the files, and one clear message, exit 2, for a bad database or a missing table."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

from conftest import CLI, SAMPLE_CONFIG, visible_text
from cxanalysis import CXInputError, chapter_cache, load_config, runner
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


def pages(folder: Path) -> dict[str, str]:
    html = folder / "html"
    return {
        p.relative_to(html).as_posix(): visible_text(p.read_text(encoding="utf-8"))
        for p in sorted(html.rglob("*.html"))
        if "_static" not in p.parts
    }


@pytest.mark.slow
def test_a_client_whose_survey_is_a_warehouse_table_builds_the_same_book_and_rebuilds_from_the_cache(
    tmp_path, sample_build, monkeypatch
):
    """The book of a warehouse client has the sample's figures; built again with nothing changed, every
    chapter but the reproducibility appendix (which shows the build's own time) comes from the chapter
    cache, with the same pages, result files and private files."""
    sample_config, _ = sample_build
    # The template stays as it is between the two builds even while its files are being edited (a change
    # to it executes every chapter again: tests/test_chapter_cache.py).
    monkeypatch.setattr(chapter_cache, "package_fingerprint", lambda: "the template as installed")
    config = load_config(warehouse_copy(tmp_path))
    first = runner.build(config, command=["cxanalysis", "build", "client.yml"], progress=lambda line: None)
    assert (first.folder / "html" / "notebooks" / "00_executive_summary.html").is_file()
    for name in ("metrics.csv", "headline.csv"):
        got = pd.read_csv(first.folder / "results" / name)
        pd.testing.assert_frame_equal(got, pd.read_csv(sample_config.published_dir / "results" / name))
    record = json.loads((first.folder / "results" / "manifest.json").read_text(encoding="utf-8"))
    assert set(record["chapters"].values()) == {"executed"}
    before = {
        "pages": pages(first.folder),
        "results": {p.name: p.read_bytes() for p in (first.folder / "results").iterdir()},
        "private": {p.name: p.read_bytes() for p in (first.folder / "private").iterdir()},
        "notebooks": sorted(p.name for p in (first.folder / "notebooks").iterdir()),
    }

    lines: list[str] = []
    again = runner.build(config, command=["cxanalysis", "build", "client.yml"], progress=lines.append)
    record = json.loads((again.folder / "results" / "manifest.json").read_text(encoding="utf-8"))
    executed = {chapter for chapter, how in record["chapters"].items() if how == "executed"}
    assert executed == {"91_reproducibility"}, lines
    assert sum(": cached" in line for line in lines) == len(runner.chapter_sources()) - 1
    after = pages(again.folder)
    assert after.keys() == before["pages"].keys()
    assert [page for page in after if after[page] != before["pages"][page]] in (
        [],
        ["notebooks/91_reproducibility.html"],
    )
    results = {p.name: p.read_bytes() for p in (again.folder / "results").iterdir()}
    assert results.keys() == before["results"].keys()
    assert [name for name in results if results[name] != before["results"][name]] == ["manifest.json"]
    assert {p.name: p.read_bytes() for p in (again.folder / "private").iterdir()} == before["private"]
    assert sorted(p.name for p in (again.folder / "notebooks").iterdir()) == before["notebooks"]
