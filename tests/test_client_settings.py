"""Every chapter follows the client's own settings: a 1-7 CSAT and a strict significance level.

The sample client is copied with its CSAT answers moved to a 1-7 scale
(1, 2, 4, 6, 7 for 1-5), ``significance.alpha: 0.0001`` and an anonymity
threshold of 7, and every chapter is run. The figures are checked against
the converted file read independently, and the words against the settings.
"""

from __future__ import annotations

import shutil

import nbformat
import openpyxl
import pandas as pd
import pytest
import yaml

from conftest import SAMPLE_CONFIG
from cxanalysis import load_config, runner

pytestmark = pytest.mark.slow

SEVEN_POINT = {1: 1, 2: 2, 3: 4, 4: 6, 5: 7}


@pytest.fixture(scope="module")
def strict_seven_point(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seven-point")
    for path in SAMPLE_CONFIG.parent.iterdir():
        shutil.copy(path, folder / path.name)
    book = openpyxl.load_workbook(folder / "transactional.xlsx")
    sheet = book["Responses"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("CSAT")
    for row in sheet.iter_rows(min_row=2):
        if row[column].value in SEVEN_POINT:
            row[column].value = SEVEN_POINT[row[column].value]
    book.save(folder / "transactional.xlsx")
    config = yaml.safe_load((folder / "client.yml").read_text(encoding="utf-8"))
    config["client"] = {"name": "Nordlys Seven", "slug": "nordlys-seven"}
    config["scales"]["csat"] = [1, 7]
    config["significance"] = {**config.get("significance", {}), "alpha": 0.0001}
    config["anonymity"] = {**config.get("anonymity", {}), "min_responses": 7}
    config["output_dir"] = str(folder / "out")
    config.pop("weighting")  # the shares below are typed from the answers counted once
    (folder / "client.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    client_config = load_config(folder / "client.yml")
    runs = runner.execute_chapters(client_config, progress=lambda line: None)
    return client_config, runs, folder


def _outputs(config, chapter: str) -> tuple[str, dict[str, str]]:
    """A chapter's shown text (markdown and HTML outputs) and its glued values."""
    notebook = nbformat.read(config.build_dir / "notebooks" / f"{chapter}.ipynb", as_version=4)
    shown, glued = [], {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                record = "application/papermill.record/"
                glued[name] = str(data.get(record + "text/markdown") or data.get(record + "text/plain", "")).strip("'")
            else:
                shown.append(str(data.get("text/markdown", "")) + str(data.get("text/html", "")))
    return "\n".join(shown), glued


def test_every_chapter_runs(strict_seven_point):
    _, runs, _ = strict_seven_point
    assert [(r.chapter, r.error) for r in runs if r.error] == []


def test_csat_counts_six_and_seven_as_satisfied(strict_seven_point):
    config, _, folder = strict_seven_point
    answers = pd.read_excel(folder / "transactional.xlsx", sheet_name="Responses")["CSAT"]
    answers = answers[answers.between(1, 7)]
    metrics = pd.read_csv(config.build_dir / "results" / "metrics.csv")
    overall = metrics[(metrics["metric"] == "csat") & (metrics["dimension"] == "all")]
    total = overall["estimate"].mul(overall["n"]).sum() / overall["n"].sum()
    assert total == pytest.approx(100 * (answers >= 6).mean(), abs=0.05)
    means = metrics[(metrics["metric"] == "csat_mean") & (metrics["dimension"] == "all")]
    assert means["estimate"].mul(means["n"]).sum() / means["n"].sum() == pytest.approx(answers.mean(), abs=0.005)


def test_the_measurement_chapter_states_the_client_scale(strict_seven_point):
    config, _, _ = strict_seven_point
    shown, glued = _outputs(config, "03_measurement")
    assert "(1-7; 6-7 count as satisfied)" in shown
    assert glued["csat_satisfied"] == "6-7" and glued["csat_scale"] == "1-7"
    assert glued["min_n"] == "7"


@pytest.mark.parametrize("chapter", ["00_executive_summary", "02_journey_map", "05_significance", "08_monitoring"])
def test_method_notes_state_the_configured_level(strict_seven_point, chapter):
    config, _, _ = strict_seven_point
    _, glued = _outputs(config, chapter)
    assert float(glued["alpha"]) == 0.0001


def test_hot_spots_and_verdicts_use_the_configured_level(strict_seven_point):
    config, _, _ = strict_seven_point
    journey = pd.read_csv(config.build_dir / "results" / "journey.csv")
    tested = journey[journey["p_adjusted"].notna()]
    assert (tested["hot_spot"] == (tested["p_adjusted"] < 0.0001) & (tested["difference"] < 0)).all()
    comparisons = pd.read_csv(config.build_dir / "results" / "comparisons.csv")
    significant = comparisons["verdict"].str.startswith("significant")
    assert (comparisons.loc[significant, "p_adjusted"] < 0.0001).all()
    assert (comparisons.loc[comparisons["p_adjusted"] >= 0.0001, "verdict"].str.startswith("significant")).sum() == 0


def test_monitoring_watches_csat_answers_below_the_top_boxes(strict_seven_point):
    config, _, _ = strict_seven_point
    shown, _ = _outputs(config, "08_monitoring")
    assert "CSAT answers 1-5" in shown


def test_no_chapter_applies_the_default_threshold(strict_seven_point):
    config, runs, _ = strict_seven_point
    for run in runs:
        shown, _ = _outputs(config, run.chapter)
        assert "n &lt; 5" not in shown and "n < 5" not in shown, run.chapter
