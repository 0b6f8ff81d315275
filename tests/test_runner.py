"""The runner with real papermill kernels: a failing chapter is reported, the others still run."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLE_CONFIG
from cxanalysis import load_config, runner

HEADER = """---
jupytext:
  text_representation: {extension: .md, format_name: myst, format_version: 0.13}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
"""


def chapter(folder: Path, name: str, code: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(
        HEADER + f"\n# {name}\n\n```{{code-cell}} ipython3\n:tags: [parameters]\n\nconfig_path = None\n```\n\n"
        f"```{{code-cell}} ipython3\n{code}\n```\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.slow
def test_failing_chapter_is_reported_with_cell_and_error(tmp_path, monkeypatch):
    good = chapter(tmp_path, "01_good", "answer = 42")
    bad = chapter(tmp_path, "02_bad", "raise ValueError('planted failure')")
    monkeypatch.setattr(runner, "chapter_sources", lambda: [good, bad])
    config = load_config(SAMPLE_CONFIG).model_copy(update={"output_dir": tmp_path / "out"})
    lines: list[str] = []
    runs = runner.execute_chapters(config, workers=2, progress=lines.append)
    by_name = {r.chapter: r for r in runs}
    assert by_name["01_good"].error is None
    assert "ValueError: planted failure" in by_name["02_bad"].error
    assert by_name["02_bad"].error.startswith("cell ")
    assert (tmp_path / "out" / "nordlys" / "notebooks" / "01_good.ipynb").exists()
    assert len(lines) == 2 and any("FAILED" in line for line in lines)


def test_chapters_are_in_book_order_and_in_the_toc():
    import yaml

    names = [p.stem for p in runner.chapter_sources()]
    assert names[0] == "00_executive_summary" and names == sorted(names)
    toc = yaml.safe_load(runner.BOOK_TOC.read_text())
    listed = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    assert {f"notebooks/{n}" for n in names} <= set(listed)


def test_publish_swaps_in_the_completed_build_and_restores_an_interrupted_swap(tmp_path):
    config = load_config(SAMPLE_CONFIG).model_copy(update={"output_dir": tmp_path})
    published, staging = config.published_dir, runner.staging_dir(config)
    (published / "html").mkdir(parents=True)
    (published / "html" / "index.html").write_text("old")
    (staging / "html").mkdir(parents=True)
    (staging / "html" / "index.html").write_text("new")
    runner.publish(config)
    assert (published / "html" / "index.html").read_text() == "new"
    assert not staging.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["nordlys"]
    # A publish stopped between its two renames: the previous book is aside and nothing is published.
    published.rename(tmp_path / ".nordlys.previous")
    runner._restore_interrupted_publish(config)
    assert (published / "html" / "index.html").read_text() == "new"


def test_teaching_edition_publishes_beside_the_client_book():
    config = load_config(SAMPLE_CONFIG)
    assert runner.edition(config, teaching=True).published_dir.name == "nordlys-teaching"
    assert runner.edition(config, teaching=False).published_dir == config.published_dir
