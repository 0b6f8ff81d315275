"""Clients with only some data: every chapter still runs and says plainly what is missing."""

from __future__ import annotations

import nbformat
import numpy as np
import pandas as pd
import pytest

from conftest import write_client
from cxanalysis import load_config, runner

pytestmark = pytest.mark.slow


def chapter_texts(config, runs) -> dict[str, str]:
    texts = {}
    for run in runs:
        notebook = nbformat.read(config.build_dir / "notebooks" / f"{run.chapter}.ipynb", as_version=4)
        texts[run.chapter] = "\n".join(
            str(output.get("data", {}).get("text/markdown", ""))
            for cell in notebook.cells
            for output in cell.get("outputs", [])
        )
    return texts


def test_csat_only_client_runs_every_chapter(tmp_path):
    rng = np.random.default_rng(4)
    n = 400
    pd.DataFrame(
        {
            "id": range(n),
            "when": pd.date_range("2025-01-01", periods=n, freq="17h").strftime("%Y-%m-%d %H:%M"),
            "csat": rng.integers(1, 6, n),
            "where": rng.choice(["Butikk", "Nettbutikk", "Kundeservice"], n),
        }
    ).to_csv(tmp_path / "csat.csv", index=False)
    path = write_client(
        tmp_path,
        [
            {
                "name": "csat",
                "path": "csat.csv",
                "survey": "after_purchase",
                "columns": {"response_id": "id", "submitted_at": "when", "csat": "csat", "touchpoint": "where"},
            }
        ],
    )
    config = load_config(path)
    runs = runner.execute_chapters(config, progress=lambda line: None)
    assert [r.error for r in runs if r.error] == []
    texts = chapter_texts(config, runs)
    assert "has no stakeholders file" in texts["01_stakeholder_goals"]
    assert "has no journey file" in texts["02_journey_map"]
    assert "has no NPS answers" in texts["03_measurement"]
    assert "has no support-tickets file" in texts["03_measurement"]
    assert "has no comments" in texts["04_free_text"]
    assert "has no attribute ratings" in texts["06_key_drivers"]
    assert "Revenue at risk needs" in texts["07_revenue_and_actions"]


def test_one_month_of_nps_and_comments_runs_every_chapter(tmp_path):
    rng = np.random.default_rng(9)
    n = 60
    comments = np.where(rng.random(n) < 0.5, "Lang ventetid på svar", "")
    pd.DataFrame(
        {
            "id": range(n),
            "when": [f"2026-03-{1 + i % 28:02d}" for i in range(n)],
            "nps": rng.integers(0, 11, n),
            "comment": comments,
        }
    ).to_excel(tmp_path / "nps.xlsx", index=False)
    path = write_client(
        tmp_path,
        [
            {
                "name": "nps",
                "path": "nps.xlsx",
                "columns": {"response_id": "id", "submitted_at": "when", "nps": "nps", "comment": "comment"},
            }
        ],
        report={"period": "month"},
    )
    config = load_config(path)
    runs = runner.execute_chapters(config, progress=lambda line: None)
    assert [r.error for r in runs if r.error] == []
    texts = chapter_texts(config, runs)
    assert "has no second reporting period" in texts["05_significance"]
    assert "has no touchpoint column" in texts["02_journey_map"]
    assert "has no CSAT answers" in texts["03_measurement"]
