"""A client with only some data: every chapter still runs and says what is missing."""

from __future__ import annotations

import nbformat
import numpy as np
import pandas as pd
import pytest

from cxanalysis import load_config, runner
from conftest import write_client

pytestmark = pytest.mark.slow


def test_csat_only_client_runs_every_chapter(tmp_path):
    rng = np.random.default_rng(4)
    n = 400
    frame = pd.DataFrame({
        "id": range(n),
        "when": pd.date_range("2025-01-01", periods=n, freq="17h").strftime("%Y-%m-%d %H:%M"),
        "csat": rng.integers(1, 6, n),
        "where": rng.choice(["Butikk", "Nettbutikk", "Kundeservice"], n),
    })
    frame.to_csv(tmp_path / "csat.csv", index=False)
    path = write_client(tmp_path, [{"name": "csat", "path": "csat.csv", "survey": "after_purchase",
                                    "columns": {"response_id": "id", "submitted_at": "when", "csat": "csat",
                                                "touchpoint": "where"}}])
    config = load_config(path)
    runs = runner.execute_chapters(config, progress=lambda line: None)
    assert [r.error for r in runs if r.error] == []
    texts = {}
    for run in runs:
        notebook = nbformat.read(config.build_dir / "notebooks" / f"{run.chapter}.ipynb", as_version=4)
        texts[run.chapter] = "\n".join(
            str(output.get("data", {}).get("text/markdown", "")) for cell in notebook.cells
            for output in cell.get("outputs", []))
    assert "has no stakeholders file" in texts["01_stakeholder_goals"]
    assert "has no journey file" in texts["02_journey_map"]
    assert "has no NPS answers" in texts["03_measurement"]
    assert "has no support-tickets file" in texts["03_measurement"]
    assert "has no comments" in texts["04_free_text"]
    assert "has no attribute ratings" in texts["06_key_drivers"]
    assert "Revenue at risk needs" in texts["07_revenue_and_actions"]
