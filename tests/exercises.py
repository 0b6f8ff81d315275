"""Running a chapter of the teaching edition the way an exercise asks: through papermill, with a notebook
parameter changed or on a copy of the sample client whose config or data the exercise edits."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import jupytext
import nbformat
import papermill
import yaml

from conftest import REPO, SAMPLE_CONFIG


@cache
def _prepared_sample() -> bytes:
    """The sample client's data read, validated and coded once per test process, as a build prepares them
    for its chapters."""
    from cxanalysis.client import open_client

    with tempfile.TemporaryDirectory() as folder:
        return open_client(SAMPLE_CONFIG, Path(folder) / "build").prepare().read_bytes()


def run_chapter(chapter: str, folder: Path, config: Path = SAMPLE_CONFIG, **parameters) -> nbformat.NotebookNode:
    """The chapter executed with its teaching cells, the given parameters and config; its results go
    to ``folder/build``. On the sample's own config, the chapter reads the sample's data prepared once, as
    the chapters of a build do, unless the folder already holds prepared data of its own."""
    prepared = folder / "build" / ".prepared" / "client.zip"
    if Path(config) == SAMPLE_CONFIG and not prepared.exists():
        prepared.parent.mkdir(parents=True, exist_ok=True)
        prepared.write_bytes(_prepared_sample())
    source = folder / f"{chapter}.ipynb"
    nbformat.write(jupytext.read(REPO / "notebooks" / f"{chapter}.md"), source)
    output = folder / f"{chapter}.out.ipynb"
    papermill.execute_notebook(
        str(source),
        str(output),
        parameters={"config_path": str(config), "build_dir": str(folder / "build"), **parameters},
        cwd=str(REPO / "notebooks"),
        progress_bar=False,
        kernel_name="python3",
    )
    return nbformat.read(output, as_version=4)


def shown_markdown(notebook: nbformat.NotebookNode) -> str:
    """Everything the executed chapter shows as text: its Markdown outputs and HTML outputs without tags."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts.append(data.get("text/markdown", ""))
            parts.append(re.sub(r"<[^>]+>", " ", data.get("text/html", "")))
    return "\n".join(parts)


def solutions(notebook: nbformat.NotebookNode) -> list[str]:
    """The text of every solution the chapter shows, in order."""
    found = [
        output["data"]["text/markdown"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if "cx-solution" in output.get("data", {}).get("text/markdown", "")
    ]
    assert found, "the chapter shows no solution"
    return found


def solution(notebook: nbformat.NotebookNode) -> str:
    """The text of the chapter's first solution."""
    return solutions(notebook)[0]


def sample_copy(folder: Path, edit: Callable[[dict], None] | None = None) -> Path:
    """A copy of the sample client's folder (config, data, journey, stakeholders) in ``folder/client``,
    its config changed by ``edit`` when given; returns the copied config's path."""
    copy = folder / "client"
    shutil.copytree(SAMPLE_CONFIG.parent, copy, ignore=shutil.ignore_patterns(".*.yml"))
    config_path = copy / SAMPLE_CONFIG.name
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["output_dir"] = str(folder / "output")
    if edit is not None:
        edit(config)
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_path
