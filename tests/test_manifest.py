"""The reproducibility record: config redacted, files fingerprinted, versions and command recorded."""

from __future__ import annotations

import hashlib

from conftest import SURVEY_COLUMNS, survey_frame, write_client
from cxanalysis import load_config, words
from cxanalysis.manifest import describe_build, inputs_table, package_table, redact_settings, redacted_config
from cxanalysis.privacy import Redactor


def client_with_secrets(folder):
    survey_frame().to_csv(folder / "survey.csv", index=False)
    path = write_client(
        folder,
        [{"name": "s", "path": str(folder / "survey.csv"), "columns": SURVEY_COLUMNS}],
        segments=["region"],
        report={"title": "Report", "notice": "Questions to kari@example.no or KN-123456"},
        privacy={"patterns": {"customer-number": r"KN-\d{6}"}},
    )
    return load_config(path)


def test_config_is_redacted_paths_cut_secrets_blanked_text_cleaned(tmp_path):
    config = client_with_secrets(tmp_path)
    shown = redacted_config(config)
    assert shown["sources"][0]["path"] == "survey.csv"
    assert shown["output_dir"] == "out"
    assert shown["report"]["notice"] == "Questions to [e-mail] or [customer-number]"
    assert str(tmp_path) not in repr(shown)


def test_secret_keys_are_blanked_at_any_depth():
    settings = {
        "warehouse": {"api_key": "k-1", "Password": "hunter2", "hosts": ["db1"]},
        "exports": [{"token": "s3cr3t", "file": "C:\\Users\\kari\\nps.xlsx"}],
    }
    shown = redact_settings(settings, Redactor())
    assert shown == {
        "warehouse": {"api_key": "[redacted]", "Password": "[redacted]", "hosts": ["db1"]},
        "exports": [{"token": "[redacted]", "file": "nps.xlsx"}],
    }


def test_inputs_have_rows_and_sha256_and_the_command_loses_its_folders(tmp_path):
    config = client_with_secrets(tmp_path)
    import pandas as pd

    rows = pd.DataFrame({"file": ["survey.csv"], "read": [20]})
    record = describe_build(
        config, command=["cxanalysis", "build", str(tmp_path / "client.yml"), "--pdf"], rows_read=rows
    )
    assert record["command"] == "cxanalysis build client.yml --pdf"
    inputs = inputs_table(record).set_index("file")
    assert inputs.loc["survey.csv", "rows"] == 20
    digest = hashlib.sha256((tmp_path / "survey.csv").read_bytes()).hexdigest()
    assert record["inputs"][1]["sha256"] == digest and inputs.loc["survey.csv", "sha-256"] == digest[:16] + "…"
    assert pd.isna(inputs.loc["client.yml", "rows"])
    packages = package_table(record)
    assert packages.iloc[0]["package"] == "cxanalysis" and packages["key"].iloc[0]
    assert "pandas" in set(packages["package"])
    sentence = words.build_record_sentence(record)
    assert "`cxanalysis build client.yml --pdf`" in sentence and "1 data file (20 rows read)" in sentence
