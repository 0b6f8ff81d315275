"""The proposed config is written by a YAML emitter: column names from an export cannot set keys."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
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
    listed = [line for line in head if line.startswith(("# chosen ", "# left out", "# warning:", "# The report is "))]
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


@pytest.mark.parametrize(
    ("comments", "language"),
    [
        (["Leveringen tok altfor lang tid", "Veldig hyggelig betjening i butikken", "Pakken kom i går"], "nb"),
        (["Leveringen tog alt for lang tid", "Meget venligt personale i butikken", "Pakken kom i går"], "da"),
        (["Leveransen tog alldeles för lång tid", "Mycket trevlig personal i butiken", "Paketet kom i går"], "sv"),
        (["The delivery took far too long", "Very friendly staff in the shop", "The parcel came yesterday"], "en"),
    ],
)
def test_inspect_proposes_the_language_most_comments_are_written_in(tmp_path, comments, language):
    frame = pd.DataFrame(
        {
            "respondent_id": [f"r{i}" for i in range(30)],
            "submitted_at": pd.date_range("2026-01-01", periods=30, freq="D").strftime("%Y-%m-%d"),
            "nps": [i % 11 for i in range(30)],
            "comment": [comments[i % 3] + f" ({i})" for i in range(30)],
        }
    )
    path = tmp_path / "export.csv"
    frame.to_csv(path, index=False)
    inspection = inspect_file(path)
    config = proposed_config(inspection, config_dir=tmp_path)
    assert config["report"] == {"language": language, "period": "quarter"}
    (tmp_path / "client.yml").write_text(config_text(inspection, config), encoding="utf-8")
    loaded = load_config(tmp_path / "client.yml")
    assert loaded.report.language == language
    assert loaded.report.title is None  # the report language's own title
