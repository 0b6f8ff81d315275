"""The teaching edition's exercises hold on the sample: a chapter run through papermill with the exercise's
parameter changed shows, in its computed solution, the outcome the exercise states."""

from __future__ import annotations

import re

import jupytext
import nbformat
import pandas as pd
import papermill
import pytest

from conftest import REPO, SAMPLE_CONFIG

pytestmark = pytest.mark.slow


def _run(chapter: str, folder, **parameters) -> nbformat.NotebookNode:
    source = folder / f"{chapter}.ipynb"
    nbformat.write(jupytext.read(REPO / "notebooks" / f"{chapter}.md"), source)
    output = folder / f"{chapter}.out.ipynb"
    papermill.execute_notebook(
        str(source),
        str(output),
        parameters={"config_path": str(SAMPLE_CONFIG), "build_dir": str(folder / "build"), **parameters},
        cwd=str(REPO / "notebooks"),
        progress_bar=False,
        kernel_name="python3",
    )
    return nbformat.read(output, as_version=4)


def _solution(notebook: nbformat.NotebookNode) -> str:
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown", "")
            if "cx-solution" in text:
                return text
    raise AssertionError("the chapter shows no solution")


def test_benjamini_hochberg_is_never_stricter_and_only_region_nord_differs_on_nps(tmp_path):
    """Chapter 5: with adjust = "fdr_bh", Benjamini-Hochberg's adjusted p-values are never larger than
    Holm's; new and returning customers and the channels show no NPS difference; Nord does."""
    notebook = _run("05_significance", tmp_path, adjust="fdr_bh")
    solution = _solution(notebook)
    found = re.search(r"(\d+) of the (\d+) adjusted p-values are smaller than with Holm's and (\d+) larger", solution)
    assert found and int(found[3]) == 0 and int(found[1]) > 0, solution
    nps = solution[solution.index("NPS of each group") :]
    assert re.search(r"Region Nord: −\d+\.\d \(significantly lower\)", nps), nps
    groups = nps.split(": ", 1)[1].split("\n")[0].split("; ")
    assert len(groups) >= 5, groups
    for group in (g for g in groups if g.startswith(("Channel", "Customer type"))):
        assert "too few responses to tell" in group or "no detectable difference" in group, group
    # the chapter ran with the exercise's setting: its comparisons are adjusted by Benjamini-Hochberg
    comparisons = pd.read_csv(tmp_path / "build" / "results" / "comparisons.csv")
    assert len(comparisons) > 0
