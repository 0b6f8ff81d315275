"""The command line as a user runs it: exit status, messages without tracebacks, row accounting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

from conftest import SAMPLE_CONFIG, SURVEY_COLUMNS, survey_frame, write_client
from cxanalysis import load_config

CLI = str(Path(sys.executable).parent / "cxanalysis")


def run(*args, cwd=None):
    return subprocess.run([CLI, *args], capture_output=True, text=True, cwd=cwd)


def test_validate_sample_prints_the_accounting():
    done = run("validate", str(SAMPLE_CONFIG))
    assert done.returncode == 0, done.stderr
    assert "is valid (client Nordlys Retail)" in done.stdout
    assert "relational_nps.csv" in done.stdout and "tickets.csv" in done.stdout
    total = next(line for line in done.stdout.splitlines() if line.startswith("Total:"))
    read, valid, bad = (int(w) for w in total.replace("=", " ").replace("+", " ").split() if w.isdigit())
    assert read == valid + bad and bad > 0


def test_validate_missing_column_exits_2_without_traceback(tmp_path):
    (tmp_path / "survey.csv").write_text(survey_frame().to_csv(index=False), encoding="utf-8")
    columns = dict(SURVEY_COLUMNS, nps="Recommend?")
    path = write_client(tmp_path, [{"name": "survey", "path": "survey.csv", "columns": columns}], segments=["region"])
    done = run("validate", str(path))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "survey.csv" in done.stderr and "column 'Recommend?'" in done.stderr and "Fix:" in done.stderr


def test_validate_wrong_type_exits_2(tmp_path):
    path = write_client(
        tmp_path,
        [{"name": "s", "path": "s.csv", "columns": dict(SURVEY_COLUMNS)}],
        segments=["region"],
        money={"customers": "many"},
    )
    done = run("validate", str(path))
    assert done.returncode == 2 and "money.customers" in done.stderr and "Traceback" not in done.stderr


def test_validate_missing_file_exits_2(tmp_path):
    path = write_client(
        tmp_path, [{"name": "s", "path": "missing.csv", "columns": dict(SURVEY_COLUMNS)}], segments=["region"]
    )
    done = run("validate", str(path))
    assert done.returncode == 2 and "missing.csv" in done.stderr and "data file not found" in done.stderr


def test_validate_cp1252_csv_keeps_nordic_letters_and_accounts_for_rows(tmp_path):
    frame = survey_frame()
    frame.loc[0, "NPS"] = 12  # one bad row
    (tmp_path / "survey.csv").write_bytes(frame.to_csv(index=False, sep=";").encode("cp1252"))
    path = write_client(
        tmp_path, [{"name": "survey", "path": "survey.csv", "columns": dict(SURVEY_COLUMNS)}], segments=["region"]
    )
    done = run("validate", str(path))
    assert done.returncode == 0, done.stderr
    assert "Total: 20 read = 19 valid + 1 quarantined" in done.stdout
    assert "score outside the scale or not a whole number (1)" in done.stdout
    from cxanalysis.loading import load_responses

    assert set(load_responses(load_config(path)).valid["region"]) == {"Øst", "Sør", "Nord", "Vest"}


def test_debug_shows_the_traceback(tmp_path):
    done = run("--debug", "validate", str(tmp_path / "nope.yml"))
    assert done.returncode != 0 and "Traceback" in done.stderr


def test_new_client_folder_has_a_loadable_commented_config(tmp_path):
    done = run("new", "Acme Retail", "--dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "acme-retail"
    text = (folder / "client.yml").read_text(encoding="utf-8")
    assert text.startswith("# Client config for Acme Retail")
    config = load_config(folder / "client.yml")
    assert (config.client.name, config.client.slug) == ("Acme Retail", "acme-retail")
    assert config.build_dir == folder / "_build" / "acme-retail"
    assert (folder / "journey.yml").exists() and (folder / "stakeholders.yml").exists()
    # nothing of the sample client's own reaches the new client's book
    assert (config.report.prepared_by, config.report.confidentiality, config.display_names) == ("", "", {})
    assert "Nordlys" not in text and "Fjordvik" not in text
    again = run("new", "Acme Retail", "--dir", str(tmp_path))
    assert again.returncode == 2 and "already exists" in again.stderr


def test_sample_command_is_deterministic(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert run("sample", "--out", str(first)).returncode == 0
    assert run("sample", "--out", str(second)).returncode == 0
    for name in ("relational_nps.csv", "customers.csv", "tickets.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    pd.testing.assert_frame_equal(
        pd.read_excel(first / "transactional.xlsx"), pd.read_excel(second / "transactional.xlsx")
    )
    committed = SAMPLE_CONFIG.parent
    assert (first / "relational_nps.csv").read_bytes() == (committed / "relational_nps.csv").read_bytes()


def test_usage_error_exits_2():
    assert run("build", "--workers").returncode == 2
