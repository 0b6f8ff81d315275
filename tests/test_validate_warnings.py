"""An implausible headline reaches the consultant: validate prints it, and the data-quality appendix shows it."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import write_client
from cxanalysis import load_config, loading
from cxanalysis.cli import main

N = 40


def flag_client(folder, values: list[int]):
    """A client whose NPS column holds only ``values`` (a 0/1 flag, or only 0 and 10)."""
    pd.DataFrame(
        {
            "Id": [f"A{i:03d}" for i in range(N)],
            "Date": pd.date_range("2025-01-02", periods=N, freq="2D").strftime("%Y-%m-%d"),
            "Recommended": [values[i % len(values)] for i in range(N)],
        }
    ).to_csv(folder / "flags.csv", index=False)
    return write_client(
        folder,
        [
            {
                "name": "survey",
                "path": "flags.csv",
                "columns": {"response_id": "Id", "submitted_at": "Date", "nps": "Recommended"},
            }
        ],
        output_dir=str(folder / "out"),
    )


@pytest.mark.parametrize("values", [[0, 10], [0, 1]])
def test_validate_warns_of_a_headline_with_two_answers(tmp_path, capsys, values):
    path = flag_client(tmp_path, values)
    assert main(["validate", str(path)]) == 0
    printed = capsys.readouterr().out
    warnings = [line for line in printed.splitlines() if line.startswith("Warning: nps:")]
    assert len(warnings) == 1, printed
    seen = " and ".join(str(v) for v in values)
    assert f"all {N} answers are {seen} on a 0-10 scale" in warnings[0]
    assert "(columns: nps)" in warnings[0] and "scales.nps" in warnings[0]  # where to fix it in the config


def test_the_data_quality_appendix_shows_the_same_warning(tmp_path):
    """notebooks/90_data_quality.md shows check_all(config).warnings, one note each."""
    check = loading.check_all(load_config(flag_client(tmp_path, [0, 10])))
    assert check.warnings == [
        f"nps: all {N} answers are 0 and 10 on a 0-10 scale; is the column a yes/no question, or on another "
        "scale? Check its mapping (columns: nps) and scales.nps."
    ]


def test_a_spread_headline_gives_no_warning(tmp_path, capsys):
    path = flag_client(tmp_path, list(range(11)))
    assert main(["validate", str(path)]) == 0
    assert "Warning: nps:" not in capsys.readouterr().out
    assert loading.check_all(load_config(path)).warnings == []
