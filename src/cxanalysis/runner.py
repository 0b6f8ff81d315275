"""Build a client's book: check the data, execute every chapter, render the book.

Chapters are executed once with papermill (two at a time), then Jupyter Book
renders the executed notebooks with execution off, strictly (a Sphinx
warning fails the build). The finished HTML replaces the previous book only
when the whole build succeeded.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import jupytext
import pandas as pd
import papermill
import yaml

from .config import ClientConfig
from .loading import accounting_summary, check_all
from .paths import BOOK_DIR, NOTEBOOKS_DIR, REPO_ROOT
from .program import check_references, load_journey, load_stakeholders
from .results import save_result, write_csv

BOOK_CONFIG = REPO_ROOT / "_config.yml"
BOOK_TOC = REPO_ROOT / "_toc.yml"


@dataclass(frozen=True)
class ChapterRun:
    chapter: str
    seconds: float
    error: str | None = None


def chapter_sources() -> list[Path]:
    """The chapter notebooks, in book order (NN_name.md)."""
    return sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.md"))


def execute_chapter(source: Path, output_dir: Path, config_path: Path) -> ChapterRun:
    """Execute one chapter with papermill; a failure is returned, not raised."""
    start = time.perf_counter()
    notebook = jupytext.read(source)
    output = output_dir / f"{source.stem}.ipynb"
    log = output_dir / f"{source.stem}.kernel.log"
    try:
        # The kernel inherits this process's stderr; its start-up and shutdown
        # chatter goes to a log beside the notebook instead of the console.
        with _stderr_to(log):
            papermill.execute_notebook(
                notebook, str(output), parameters={"config_path": str(config_path)},
                kernel_name="python3", cwd=str(NOTEBOOKS_DIR), progress_bar=False,
            )
    except papermill.PapermillExecutionError as exc:
        error = f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
        return ChapterRun(source.stem, time.perf_counter() - start, error)
    return ChapterRun(source.stem, time.perf_counter() - start)


@contextlib.contextmanager
def _stderr_to(path: Path):
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "ab") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def execute_chapters(config: ClientConfig, workers: int = 2,
                     progress: Callable[[str], None] = print) -> list[ChapterRun]:
    """Execute every chapter into <build>/notebooks/, reporting each as it ends."""
    output_dir = config.build_dir / "notebooks"
    if output_dir.exists():
        shutil.rmtree(output_dir)
    output_dir.mkdir(parents=True)
    sources = chapter_sources()
    runs = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(execute_chapter, s, output_dir, config.config_file) for s in sources]
        for done, future in enumerate(as_completed(futures), start=1):
            run = future.result()
            runs.append(run)
            status = "ok" if run.error is None else f"FAILED at {run.error}"
            progress(f"  [{done}/{len(sources)}] {run.chapter}: {status} ({run.seconds:.1f} s)")
    return sorted(runs, key=lambda r: r.chapter)


def check_data(config: ClientConfig) -> pd.DataFrame:
    """Check the config's files against each other, load and validate every data file, and write
    the accounting and the quarantine (results start afresh)."""
    check_references(config, load_journey(config), load_stakeholders(config))
    check = check_all(config)
    # Every table in results/ comes from this build: none left over from an earlier one.
    if config.results_dir.exists():
        shutil.rmtree(config.results_dir)
    save_result(config, "data_quality", check.accounting)
    write_csv(check.quarantine, config.private_dir / "quarantine.csv")
    return accounting_summary(check.accounting)


def _book_config(config: ClientConfig) -> dict:
    """The repository's book config, adapted to one client's executed notebooks."""
    book = yaml.safe_load(BOOK_CONFIG.read_text(encoding="utf-8"))
    book["title"] = f"{config.report.title}: {config.client.name}"
    book["author"] = config.client.name
    book["execute"] = {**book.get("execute", {}), "execute_notebooks": "off"}
    return book


def build_book(config: ClientConfig, progress: Callable[[str], None] = print) -> Path:
    """Render the executed notebooks as HTML and publish it as <build>/html/."""
    build_dir = config.build_dir
    staging = build_dir / ".book-source"
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(BOOK_DIR, staging / "book")
    shutil.copytree(build_dir / "notebooks", staging / "notebooks")
    shutil.copy(BOOK_TOC, staging / "_toc.yml")
    (staging / "_config.yml").write_text(yaml.safe_dump(_book_config(config), sort_keys=False), encoding="utf-8")
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(staging),
               "--path-output", str(staging), "-W", "-n", "--keep-going", "--all", "-q"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BookBuildError((done.stdout + done.stderr).strip()[-4000:])
    published = build_dir / "html"
    incoming, outgoing = build_dir / ".html-new", build_dir / ".html-old"
    for leftover in (incoming, outgoing):
        if leftover.exists():
            shutil.rmtree(leftover)
    shutil.move(staging / "_build" / "html", incoming)
    if published.exists():
        published.rename(outgoing)
    incoming.rename(published)
    if outgoing.exists():
        shutil.rmtree(outgoing)
    shutil.rmtree(staging)
    return published / "index.html"


class BookBuildError(RuntimeError):
    """Jupyter Book failed (a Sphinx warning or error); the previous book is kept."""
