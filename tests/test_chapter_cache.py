"""The chapter cache: a rebuild executes only the chapters whose inputs changed, and a chapter taken from
the cache gives the same build as executing it."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from conftest import SAMPLE_CONFIG
from cxanalysis import chapter_cache, load_config, runner
from cxanalysis.chapter_cache import ChapterCache, cache_dir, chapter_key, notebook_text
from exercises import sample_copy

INPUTS = [
    {"role": "config", "file": "client.yml", "rows": None, "bytes": 10, "sha256": "c" * 64},
    {"role": "survey source relational", "file": "nps.csv", "rows": 5, "bytes": 99, "sha256": "d" * 64},
]
BASE = {"inputs": INPUTS, "language": "en", "teaching": False, "package": "p" * 64}


def key(source: str = "# Chapter\n", **changes) -> str:
    return chapter_key(source, **{**BASE, **changes})


def test_the_key_changes_with_each_input_that_decides_a_chapter():
    first = key()
    assert key() == first
    changed_config = [dict(INPUTS[0], sha256="e" * 64), INPUTS[1]]
    changed_data = [INPUTS[0], dict(INPUTS[1], sha256="f" * 64)]
    renamed_data = [INPUTS[0], dict(INPUTS[1], file="nps-2025.csv")]
    others = {
        "chapter text": key("# Chapter, edited\n"),
        "config bytes": key(inputs=changed_config),
        "an input file's bytes": key(inputs=changed_data),
        "a data file's name": key(inputs=renamed_data),
        "language": key(language="nb"),
        "edition": key(teaching=True),
        "package": key(package="q" * 64),
    }
    assert first not in others.values()
    assert len(set(others.values())) == len(others)


def test_the_key_does_not_change_with_dates_rows_or_the_configs_own_path():
    moved = [dict(INPUTS[0], file=".staged-copy.yml"), dict(INPUTS[1], rows=None)]
    assert key(inputs=moved) == key()
    assert key(inputs=list(reversed(INPUTS))) == key()


def test_the_key_of_real_files_follows_their_bytes_not_their_dates(tmp_path):
    from cxanalysis import manifest

    config = load_config(sample_copy(tmp_path))
    inputs = manifest.input_files(config)
    data = config.sources[0].path
    os.utime(data, (time.time() - 86400, time.time() - 86400))
    os.utime(config.file, (time.time() + 60, time.time() + 60))
    assert key(inputs=manifest.input_files(config)) == key(inputs=inputs)
    data.write_bytes(data.read_bytes().replace(b"\n", b"\r\n", 1))
    assert key(inputs=manifest.input_files(config)) != key(inputs=inputs)


def test_a_chapter_as_executed_has_the_same_text_each_time_it_is_read_and_each_edition_its_own():
    source = runner.chapter_sources()[3]
    client = notebook_text(runner.executed_notebook(source, teaching=False))
    assert notebook_text(runner.executed_notebook(source, teaching=False)) == client
    assert notebook_text(runner.executed_notebook(source, teaching=True)) != client


def test_the_package_fingerprint_is_stable_and_names_the_installed_package():
    assert chapter_cache.package_fingerprint() == chapter_cache.package_fingerprint()


def test_a_build_whose_kernel_recorded_nothing_keeps_nothing(tmp_path):
    build = tmp_path / "build"
    (build / "notebooks").mkdir(parents=True)
    (build / "notebooks" / "01_x.ipynb").write_text("{}", encoding="utf-8")
    cache = ChapterCache(tmp_path / "cache", build, **BASE)
    cache.begin()
    (build / "results").mkdir()
    (build / "results" / "x.csv").write_text("a\n1\n", encoding="utf-8")
    unwatched = chapter_cache.Executed("01_x", "k", True, chapter_cache.Record(wrote={"results/x.csv"}))
    assert "not recorded" in cache.finish([unwatched], build / "notebooks")[0]
    assert not (tmp_path / "cache" / "01_x").exists()
    watched = chapter_cache.Executed("01_x", "k", True, chapter_cache.Record(wrote={"results/x.csv"}, watched=True))
    assert cache.finish([watched], build / "notebooks") == []
    assert (tmp_path / "cache" / "01_x" / "files" / "results" / "x.csv").read_text(encoding="utf-8") == "a\n1\n"
    cache.close()


# --- The runner's decision, with small chapters of real kernels -------------------------------------------

HEADER = """---
jupytext:
  text_representation: {extension: .md, format_name: myst, format_version: 0.13}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
"""

WRITES = """\
from pathlib import Path
import pandas as pd
from cxanalysis.results import write_csv, write_xlsx
build = Path(build_dir)
frame = pd.DataFrame({"name": ["one", "=two"], "value": [1, 2]})
write_csv(frame, build / "results" / "one.csv")
write_xlsx(frame, build / "results" / "one.xlsx")
(build / "private").mkdir(exist_ok=True)
(build / "private" / "note.txt").write_text("kept for the consultant", encoding="utf-8")
frame"""

READS = """\
from pathlib import Path
stamp = (Path(build_dir) / "results" / "stamp.txt").read_text(encoding="utf-8")
(Path(build_dir) / "results" / "two.csv").write_text(f"stamp\\n{stamp}\\n", encoding="utf-8")
print(stamp)"""


def chapter(folder: Path, name: str, code: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(
        HEADER + f"\n# {name}\n\n```{{code-cell}} ipython3\n:tags: [parameters]\n\n"
        "config_path = None\nbuild_dir = None\nlanguage = None\n```\n\n"
        f"```{{code-cell}} ipython3\n{code}\n```\n",
        encoding="utf-8",
    )
    return path


def fresh_build(config, stamp: str = "first") -> None:
    """A new staged build folder with what the build writes before the chapters run."""
    import shutil

    if config.build_dir.exists():
        shutil.rmtree(config.build_dir)
    (config.build_dir / "results").mkdir(parents=True)
    (config.build_dir / "results" / "stamp.txt").write_text(stamp, encoding="utf-8")


def run(config, **changes) -> tuple[dict[str, runner.ChapterRun], list[str]]:
    cache = ChapterCache(cache_dir(config.output_dir, config.client.slug), config.build_dir, **{**BASE, **changes})
    lines: list[str] = []
    runs = runner.execute_chapters(config, workers=2, progress=lines.append, cache=cache)
    return {r.chapter: r for r in runs}, lines


def executed(runs: dict[str, runner.ChapterRun]) -> set[str]:
    return {name for name, r in runs.items() if not r.cached}


def outputs(build: Path) -> dict[str, bytes]:
    return {
        p.relative_to(build).as_posix(): p.read_bytes()
        for p in sorted(build.rglob("*"))
        if p.is_file() and p.parts[len(build.parts)] != "notebooks"
    }


@pytest.mark.slow
def test_a_rebuild_executes_only_the_chapters_whose_inputs_changed(tmp_path, monkeypatch):
    import nbformat

    sources = [
        chapter(tmp_path, "01_writes", WRITES),
        chapter(tmp_path, "02_reads", READS),
        chapter(tmp_path, "03_plain", "answer = 6 * 7\nanswer"),
    ]
    monkeypatch.setattr(runner, "chapter_sources", lambda: list(sources))
    config = load_config(SAMPLE_CONFIG).model_copy(update={"output_dir": tmp_path / "out"})
    build, notebooks = config.build_dir, config.build_dir / "notebooks"

    fresh_build(config)
    runs, lines = run(config)
    assert executed(runs) == {"01_writes", "02_reads", "03_plain"}
    assert all(r.error is None for r in runs.values())
    first = outputs(build)
    assert {"results/one.csv", "results/one.xlsx", "private/note.txt", "results/two.csv"} <= set(first)
    notebook = {p.name: nbformat.read(p, as_version=4) for p in notebooks.glob("*.ipynb")}
    kept = cache_dir(config.output_dir, config.client.slug)
    assert sorted(p.name for p in kept.iterdir()) == ["01_writes", "02_reads", "03_plain"]

    # Nothing changed: every chapter from the cache, the same files and notebooks.
    fresh_build(config)
    runs, lines = run(config)
    assert executed(runs) == set()
    assert lines[:3] == [f"  [{i}/3] {name}: cached" for i, name in enumerate(sorted(runs), start=1)]
    assert outputs(build) == first
    for name, expected in notebook.items():
        again = nbformat.read(notebooks / name, as_version=4)
        assert [c.get("outputs") for c in again.cells] == [c.get("outputs") for c in expected.cells]
        assert again.metadata.papermill.parameters == expected.metadata.papermill.parameters
        assert [c.source for c in again.cells] == [c.source for c in expected.cells]

    # A file the build wrote before the chapters changed: only the chapter that read it runs.
    fresh_build(config, stamp="second")
    runs, _ = run(config)
    assert executed(runs) == {"02_reads"}
    assert (build / "results" / "two.csv").read_text(encoding="utf-8") == "stamp\nsecond\n"

    # One chapter edited: only that chapter runs.
    edited = tmp_path / "edited"
    edited.mkdir()
    sources[2] = chapter(edited, "03_plain", "answer = 6 * 9\nanswer")
    fresh_build(config, stamp="second")
    runs, _ = run(config)
    assert executed(runs) == {"03_plain"}
    assert "54" in json.dumps(nbformat.read(notebooks / "03_plain.ipynb", as_version=4).cells[-1].outputs)

    # The package changed (as the data, config, language or edition would change the key): every chapter runs.
    fresh_build(config, stamp="second")
    runs, _ = run(config, package="q" * 64)
    assert executed(runs) == {"01_writes", "02_reads", "03_plain"}
    # The cache holds the latest entry of each chapter only.
    assert sorted(p.name for p in kept.iterdir()) == ["01_writes", "02_reads", "03_plain"]


@pytest.mark.slow
def test_a_failed_chapter_is_never_kept_and_a_half_written_entry_never_taken(tmp_path, monkeypatch):
    good = chapter(tmp_path, "01_good", "answer = 42")
    bad = chapter(tmp_path, "02_bad", "raise ValueError('planted failure')")
    monkeypatch.setattr(runner, "chapter_sources", lambda: [good, bad])
    config = load_config(SAMPLE_CONFIG).model_copy(update={"output_dir": tmp_path / "out"})
    kept = cache_dir(config.output_dir, config.client.slug)
    fresh_build(config)
    runs, _ = run(config)
    assert runs["02_bad"].error and not (kept / "02_bad").exists()
    assert (kept / "01_good" / "entry.json").exists()

    # A build stopped while writing 01_good's entry left it beside its place, and its finished entry lost
    # the record that completes it: neither is taken, and the next build executes the chapter again.
    (kept / ".01_good.99999.new").mkdir()
    (kept / ".01_good.99999.new" / "entry.json").write_text("{", encoding="utf-8")
    (kept / "01_good" / "entry.json").unlink()
    fresh_build(config)
    runs, _ = run(config)
    assert executed(runs) == {"01_good", "02_bad"}
    assert not (kept / ".01_good.99999.new").exists()
    assert (kept / "01_good" / "entry.json").exists() and not (kept / "02_bad").exists()


@pytest.mark.slow
def test_a_file_written_by_no_recorded_chapter_keeps_the_cache_as_it_was(tmp_path, monkeypatch):
    # The chapter writes through a program of its own, which its kernel does not see.
    sneaky = chapter(
        tmp_path, "01_sneaky", "import subprocess\nsubprocess.run(['touch', build_dir + '/results/x.csv'])"
    )
    monkeypatch.setattr(runner, "chapter_sources", lambda: [sneaky])
    config = load_config(SAMPLE_CONFIG).model_copy(update={"output_dir": tmp_path / "out"})
    fresh_build(config)
    runs, lines = run(config)
    assert runs["01_sneaky"].error is None
    assert any("results/x.csv" in line and "not updated" in line for line in lines)
    assert not (cache_dir(config.output_dir, config.client.slug) / "01_sneaky").exists()


def test_the_same_table_written_as_xlsx_twice_gives_the_same_bytes(tmp_path):
    """An XLSX result or private list records a fixed time of its own, so a rebuild writes identical files."""
    import pandas as pd
    from openpyxl import load_workbook

    from cxanalysis.results import write_xlsx

    frame = pd.DataFrame({"customer": ["C-1", "=cmd"], "score": [3, 9]})
    first = write_xlsx(frame, tmp_path / "first.xlsx").read_bytes()
    time.sleep(1.1)  # the writer's own clock moves on
    assert write_xlsx(frame, tmp_path / "second.xlsx").read_bytes() == first
    book = load_workbook(tmp_path / "second.xlsx")
    assert [[c.value for c in row] for row in book.active.iter_rows()] == [
        ["customer", "score"],
        ["C-1", 3],
        ["'=cmd", 9],
    ]
