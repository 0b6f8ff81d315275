"""The proposed config is written by a YAML emitter: column names from an export cannot set keys."""

from __future__ import annotations

import numpy as np
import pandas as pd
import yaml

from cxanalysis import load_config
from cxanalysis.cli import main
from cxanalysis.inspection import config_text, inspect_file, proposed_config

PAYLOAD = "x\nanonymity:\n  min_responses: 1"
HOSTILE_HEADERS = [
    "Store\nregion",
    "Channel\rname",
    "Team\u2028lead",
    "Shift\u2029name\x85end",
    "Plan # tier",
    "Area: north",
    PAYLOAD,
    "x\r\nanonymity:\r\n  min_comments: 1\r\n#",
    "Very long\tname " + "x" * 400,
]


def hostile_export(folder):
    """A Parquet export (a format that keeps line breaks in column names) with one segment per header."""
    rng = np.random.default_rng(7)
    n = 60
    frame = pd.DataFrame(
        {
            "Response ID": [f"R{i:03d}" for i in range(n)],
            "How likely is it that you would recommend us to a friend?": rng.integers(0, 11, n),
            "Date": pd.date_range("2025-01-01", periods=n).strftime("%Y-%m-%d"),
        }
    )
    for k, header in enumerate(HOSTILE_HEADERS):
        frame[header] = rng.choice([f"A{k}", f"B{k}", f"C{k}"], n)
    path = folder / "export.parquet"
    frame.to_parquet(path, index=False)
    return path


def mapped_columns(config_path):
    config = load_config(config_path)
    return config, [name for source in config.sources for name in source.columns.values()]


def test_hostile_headers_stay_column_names_and_keep_the_anonymity_defaults(tmp_path):
    inspection = inspect_file(hostile_export(tmp_path))
    for guess in inspection.columns:  # every header is quoted in a comment too
        guess.notes.append("a note on this column")
    text = config_text(inspection, proposed_config(inspection, config_dir=tmp_path))
    (tmp_path / "client.yml").write_text(text, encoding="utf-8")

    config, columns = mapped_columns(tmp_path / "client.yml")
    assert (config.anonymity.min_responses, config.anonymity.min_comments) == (5, 8)
    for header in HOSTILE_HEADERS:
        assert columns.count(header) == 1, header
    assert "anonymity" not in yaml.safe_load(text)
    # Comments stay one line each: every line before the first key is a comment.
    head = text.split("\nclient:", 1)[0].splitlines()
    listed = [line for line in head if line.startswith(("# chosen ", "# left out", "# warning:"))]
    assert listed and len(head) == 2 + len(inspection.columns) + len(listed)
    assert all(line.startswith("# ") for line in head)
    assert all(len(line) < 300 for line in head)


def test_inspect_command_writes_a_config_that_loads_to_the_intended_values(tmp_path, capsys):
    export = hostile_export(tmp_path)
    out = tmp_path / "client.yml"
    assert main(["inspect", str(export), "--out", str(out), "--client", "Fjord Bank"]) == 0
    config, columns = mapped_columns(out)
    assert config.client.name == "Fjord Bank"
    assert (config.anonymity.min_responses, config.anonymity.min_comments) == (5, 8)
    assert sorted(columns) == sorted(
        ["Response ID", "How likely is it that you would recommend us to a friend?", "Date", *HOSTILE_HEADERS]
    )
