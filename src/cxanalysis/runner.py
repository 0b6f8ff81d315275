"""Build a client's book: check the data, execute every chapter, render the book.

A build writes into a folder of its own beside the published one
(``<output_dir>/.<slug>.building/``): the data check, the reproducibility
record, the chapters executed with papermill (two at a time), the book
rendered by Jupyter Book with execution off and strictly (a Sphinx warning
fails the build), and the PDF when asked for. A chapter whose inputs are the
same as at the last build of its edition is taken from the chapter cache
(:mod:`cxanalysis.chapter_cache`) instead of executed. Only a completed build is
published, by renaming its folder to ``<output_dir>/<slug>/``; a failed or
interrupted build leaves the previous book, results and PDF in place.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import html
import json
import math
import multiprocessing
import multiprocessing.util
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jupytext
import nbformat
import pandas as pd
import papermill
import yaml
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from . import presentation, translation
from .chapter_cache import (
    ChapterCache,
    Executed,
    cache_dir,
    notebook_text,
    read_record,
)
from .client import ClientData, prepared_file
from .config import ClientConfig
from .follow_up import write_follow_up_list
from .loading import accounting_report, accounting_summary
from .paths import BOOK_CONFIG, BOOK_DIR, BOOK_TOC, NOTEBOOKS_DIR
from .program import check_references, load_journey, load_stakeholders
from .results import save_result, write_csv
from .translation import N_, _

if TYPE_CHECKING:
    from .pdf import PrintedBook


@dataclass(frozen=True)
class ChapterRun:
    chapter: str
    seconds: float
    error: str | None = None
    #: Taken from the chapter cache (:mod:`cxanalysis.chapter_cache`) instead of executed.
    cached: bool = False


def chapter_sources() -> list[Path]:
    """The chapter notebooks, in book order (NN_name.md)."""
    return sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.md"))


def executed_notebook(source: Path, teaching: bool) -> nbformat.NotebookNode:
    """A chapter as its edition executes it: the client's edition leaves the teaching material
    (:data:`TEACHING_TAGS`) out."""
    notebook = jupytext.read(source)
    if not teaching:
        notebook.cells = [c for c in notebook.cells if not set(c.metadata.get("tags", [])) & set(TEACHING_TAGS)]
    return notebook


def chapter_parameters(config_path: Path, build_dir: Path, language: str) -> dict[str, str]:
    """The parameters a chapter runs with."""
    return {"config_path": str(config_path), "build_dir": str(build_dir), "language": language}


#: The kernel a chapter worker runs its chapters in, one after the other: started for the worker's first
#: chapter and kept, so that a build pays a kernel's start-up and the template's imports once a worker
#: instead of once a chapter. Each chapter starts in it as in a new kernel
#: (:func:`cxanalysis.chapter_cache.start_chapter`).
_kernel: AsyncKernelManager | None = None


#: Chapters to execute for each worker started: a rebuild that executes one or two chapters runs them
#: one after the other in one kernel.
CHAPTERS_PER_WORKER = 3


def _chapter_kernel() -> AsyncKernelManager:
    """This worker's kernel, started in the chapters' folder when there is none or it died."""
    global _kernel
    if _kernel is not None and not run_sync(_kernel.is_alive)():
        _stop_kernel()
    if _kernel is None:
        kernel = AsyncKernelManager(kernel_name="python3")
        run_sync(kernel.start_kernel)(extra_arguments=["--HistoryManager.hist_file=:memory:"], cwd=str(NOTEBOOKS_DIR))
        _kernel = kernel
        # A worker's end runs multiprocessing's finalizers (not atexit): the kernel ends with it.
        multiprocessing.util.Finalize(None, _stop_kernel, exitpriority=10)
    return _kernel


def _stop_kernel() -> None:
    global _kernel
    kernel, _kernel = _kernel, None
    if kernel is not None:
        with contextlib.suppress(Exception):
            run_sync(kernel.shutdown_kernel)(now=True)


async def _start_chapter(kernel: AsyncKernelManager, record: Path | None, build_dir: Path) -> None:
    chapter_record = None if record is None else str(record)
    code = f"__import__('cxanalysis.chapter_cache').chapter_cache.start_chapter({chapter_record!r}, {str(build_dir)!r})"
    client = kernel.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=120)
        reply = await client.execute_interactive(code, silent=True, store_history=False, timeout=120)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"the chapter kernel could not be reset: {reply['content'].get('evalue')}")
    finally:
        client.stop_channels()


def execute_chapter(
    source: Path,
    output_dir: Path,
    config_path: Path,
    build_dir: Path,
    language: str = "en",
    teaching: bool = False,
    record: Path | None = None,
) -> ChapterRun:
    """Execute one chapter with papermill in this worker's kernel; a failure is returned, not raised. The
    client's edition leaves the teaching material (:data:`TEACHING_TAGS`) out before it runs. With a
    ``record``, the kernel notes there every file the chapter opens in the build folder."""
    start = time.perf_counter()
    notebook = executed_notebook(source, teaching)
    output = output_dir / f"{source.stem}.ipynb"
    log = output_dir / f"{source.stem}.kernel.log"
    try:
        # The kernel inherits this process's stderr; its start-up and shutdown
        # chatter goes to a log beside the notebook instead of the console.
        with _stderr_to(log):
            kernel = _chapter_kernel()
            run_sync(_start_chapter)(kernel, record, build_dir)
            papermill.execute_notebook(
                notebook,
                str(output),
                parameters=chapter_parameters(config_path, build_dir, language),
                kernel_name="python3",
                km=kernel,
                progress_bar=False,
            )
    except papermill.PapermillExecutionError as exc:
        error = f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
        return ChapterRun(source.stem, time.perf_counter() - start, error)
    except BaseException:
        _stop_kernel()  # a kernel that died or hung is not used again
        raise
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


def execute_chapters(
    config: ClientConfig,
    workers: int = 2,
    progress: Callable[[str], None] = print,
    teaching: bool = False,
    cache: ChapterCache | None = None,
) -> list[ChapterRun]:
    """Execute every chapter of an edition into <build>/notebooks/, reporting each as it ends.

    With a ``cache``, a chapter kept from an earlier build with the same key is put in place instead
    of executed, and each chapter executed without error is kept for the next build."""
    output_dir = config.build_dir / "notebooks"
    if output_dir.exists():
        shutil.rmtree(output_dir)
    output_dir.mkdir(parents=True)
    sources = chapter_sources()
    runs: list[ChapterRun] = []
    keys: dict[str, str] = {}
    if cache is not None:
        cache.begin()
        parameters = chapter_parameters(config.file, config.build_dir, config.report.language)
        for source in sources:
            keys[source.stem] = cache.key(notebook_text(executed_notebook(source, teaching)))
            entry = cache.lookup(source.stem, keys[source.stem])
            if entry is not None:
                start = time.perf_counter()
                cache.restore(entry, output_dir, parameters)
                runs.append(ChapterRun(source.stem, time.perf_counter() - start, cached=True))
                progress(f"  [{len(runs)}/{len(sources)}] {source.stem}: cached")
        sources = [s for s in sources if s.stem not in {run.chapter for run in runs}]
    try:
        runs += _execute(config, sources, output_dir, workers, progress, teaching, cache, start=len(runs))
        if cache is not None:
            executed = [
                Executed(
                    run.chapter,
                    keys[run.chapter],
                    run.error is None,
                    read_record(cache.record_file(run.chapter), config.build_dir),
                )
                for run in runs
                if not run.cached
            ]
            for note in cache.finish(executed, output_dir):
                progress(f"  {note}")
    finally:
        if cache is not None:
            cache.close()
    return sorted(runs, key=lambda r: r.chapter)


def _execute(
    config: ClientConfig,
    sources: list[Path],
    output_dir: Path,
    workers: int,
    progress: Callable[[str], None],
    teaching: bool,
    cache: ChapterCache | None,
    start: int,
) -> list[ChapterRun]:
    """Execute the given chapters, up to ``workers`` at a time: one worker (and kernel) for every
    :data:`CHAPTERS_PER_WORKER` chapters, since a kernel's start costs about as much as a chapter."""
    runs: list[ChapterRun] = []
    if not sources:
        return runs
    workers = min(workers, math.ceil(len(sources) / CHAPTERS_PER_WORKER))
    total = start + len(sources)
    # Workers are started fresh (spawn), not forked: a forked worker would share the build lock and
    # keep it held if this process were killed.
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_start,
        initargs=(os.getpid(),),
    )
    try:
        futures = [
            pool.submit(
                execute_chapter,
                s,
                output_dir,
                config.file,
                config.build_dir,
                config.report.language,
                teaching,
                cache.record_file(s.stem) if cache is not None else None,
            )
            for s in sources
        ]
        for done, future in enumerate(as_completed(futures), start=start + 1):
            run = future.result()
            runs.append(run)
            status = "ok" if run.error is None else f"FAILED at {run.error}"
            progress(f"  [{done}/{total}] {run.chapter}: {status} ({run.seconds:.1f} s)")
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM) or failed: stop the chapters now instead of waiting for them.
        stop_children()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return runs


def _die_with_parent() -> None:
    """Have the kernel kill this process when the build that started it dies, even by SIGKILL (Linux)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _worker_start(build_pid: int) -> None:
    # Ctrl-C reaches every process of the terminal's group; the build stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    if os.getppid() != build_pid:  # the build died while this worker was starting
        os._exit(1)


def _descendants(roots: list[int]) -> list[int]:
    """Process ids of every descendant of the given processes (from /proc; none where it is missing)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, queue = [], list(roots)
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def stop_children() -> None:
    """Kill the chapter workers and the kernels they started.

    Kernels run in sessions of their own, so they are found through the process tree rather than
    a process group. multiprocessing's resource tracker is left alone: it ends with this process.
    """
    workers = multiprocessing.active_children()
    pids = [p.pid for p in workers if p.pid is not None]
    for pid in pids + _descendants(pids):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    for process in workers:  # reap them
        process.join(timeout=1)


def check_data(config: ClientConfig, reuse: bool = True) -> pd.DataFrame:
    """Check the config's files against each other, load and validate every data file once, write
    the accounting and the quarantine, and prepare the data every chapter reads; with ``reuse``, data
    prepared from the same inputs by an earlier build is taken as it was kept."""
    check_references(config, load_journey(config), load_stakeholders(config))
    client = ClientData(config)
    if reuse:
        client.reuse_prepared()
    check = client.data_check
    save_result(config, "data_quality", check.accounting)
    write_csv(check.quarantine, config.private_dir / "quarantine.csv")
    write_follow_up_list(client)  # names customers: the private folder only
    client.prepare()
    return accounting_summary(check.accounting)


#: Method notes: collapsed in client builds, open in teaching builds.
METHOD_NOTE = "```{admonition} How this is computed\n:class: dropdown"
#: Cells with this tag hold the exercises of the teaching edition.
EXERCISE_TAG = "try-it"
#: Cells with these tags are for the teaching edition only: exercises, learning objectives, takeaways and
#: questions to discuss.
TEACHING_TAGS = (EXERCISE_TAG, "teaching")


def prepare_edition(notebooks: Path, teaching: bool) -> None:
    """Shape the executed notebooks for their readers.

    Client edition: the code is hidden by the book config (its chapters ran
    without the teaching material: :func:`execute_chapter`). Teaching edition:
    the code stays behind "show" toggles and the method notes are open.
    """
    if not teaching:
        return
    for path in sorted(notebooks.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        cells = []
        for cell in notebook.cells:
            tags = cell.metadata.get("tags", [])
            if cell.cell_type == "code":
                cell.metadata["tags"] = [t for t in tags if t != "remove-input"] + ["hide-input"]
            if cell.cell_type == "markdown":
                cell.source = cell.source.replace(METHOD_NOTE, METHOD_NOTE + " toggle-shown")
            cells.append(cell)
        notebook.cells = cells
        nbformat.write(notebook, path)


#: Pages for the consultant who builds the book, left out of the client's edition.
CONSULTANT_PAGES = ("book/running",)


def footer_lines(config: ClientConfig) -> list[str]:
    """The report's own footer lines, as configured: who prepared it and its confidentiality line."""
    return [line for line in (config.report.prepared_by, config.report.confidentiality) if line.strip()]


#: Each report language as Sphinx names its catalogue (bokmål is nb_NO there), and as its search names it.
SPHINX_LANGUAGES = {"en": "en", "nb": "nb_NO", "da": "da", "sv": "sv", translation.PSEUDO: translation.PSEUDO}
SEARCH_LANGUAGES = {"en": "en", "nb": "no", "da": "da", "sv": "sv", translation.PSEUDO: "en"}


def _book_config(config: ClientConfig, teaching: bool) -> dict:
    """The template's book config, adapted to one client's executed notebooks."""
    book = yaml.safe_load(BOOK_CONFIG.read_text(encoding="utf-8"))
    book["title"] = f"{config.report.heading}: {config.client.name}" + (
        " " + _("(teaching edition)") if teaching else ""
    )
    book["author"] = config.client.name
    book["execute"] = {**book.get("execute", {}), "execute_notebooks": "off"}
    sphinx = book["sphinx"]["config"]
    # The book's interface (navigation, search, "Contents") and <html lang> in the report's language.
    sphinx["language"] = SPHINX_LANGUAGES[config.report.language]
    sphinx["html_search_language"] = SEARCH_LANGUAGES[config.report.language]
    sphinx["locale_dirs"] = ["book/locale/"]  # the page text's catalogues (cxanalysis.translation)
    theme = sphinx.setdefault("html_theme_options", {})
    theme["search_bar_text"] = _("Search this book …")
    book["html"]["extra_footer"] = _book_text(book["html"]["extra_footer"], BOOK_CONFIG)
    lines = footer_lines(config)
    if lines:
        # The theme prints the footer text as markup: the client's lines are escaped here, once.
        shown = "".join(f'<p class="cx-footer-line">{html.escape(line)}</p>' for line in lines)
        book["html"]["extra_footer"] = shown + f"<p>{book['html'].get('extra_footer', '')}</p>"
        theme["footer_content_items"] = ["extra-footer.html"]  # in place of "By <client>"
    if teaching:
        sphinx["nb_remove_code_source"] = False
        # Trainers may download a chapter as a notebook, to run it and change its parameters.
        theme["use_download_button"] = True
        sphinx["html_copy_source"] = True
    return book


def shown_path(path: Path, config: ClientConfig) -> str:
    """A path as the book may show it: relative to the folder the build ran in, or else to the config's
    folder, or else its name; never an absolute path of the build machine."""
    path = Path(os.path.abspath(path))
    for base in (Path.cwd(), config.file.parent):
        base = Path(os.path.abspath(base))
        if path.is_relative_to(base) and path != base:
            return path.relative_to(base).as_posix()
    return path.name


def show_parameters(notebooks: Path, config: ClientConfig) -> None:
    """Write the parameters the chapters ran with as paths relative to where the book was built from.

    Papermill records the absolute paths it was given in the parameters cell and the notebook's
    metadata; the book and the notebooks it serves show where the config and the published build are
    instead, so that no folder of the build machine reaches a reader.
    """
    shown = {
        "config_path": shown_path(config.file, config),
        "build_dir": shown_path(config.published_dir, config),
    }
    for path in sorted(notebooks.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if "injected-parameters" in cell.metadata.get("tags", []):
                cell.source = "# Parameters\n" + "".join(
                    f"{name} = {json.dumps(value)}\n" for name, value in shown.items()
                )
        run = notebook.metadata.get("papermill", {})
        if run:
            run["parameters"] = shown
            run["input_path"] = f"{path.stem}.md"
            run["output_path"] = path.name
        nbformat.write(notebook, path)


#: The texts the book's own files give (the captions of ``_toc.yml``' parts, the footer of ``_config.yml``),
#: as messages for the report's language.
BOOK_TEXTS = (
    N_("The program, step by step"),
    N_("Appendices"),
    N_(
        "Built with cxanalysis from the client's survey exports. "
        "Every number comes from the data files listed in the data-quality appendix."
    ),
)


def _book_text(text: str, file: Path) -> str:
    """A text of the book's own files in the report's language."""
    if text not in BOOK_TEXTS:
        raise ValueError(f"{file.name}: the text {text!r} is not one of runner.BOOK_TEXTS, so it has no translation")
    return _(text)


def _book_toc(teaching: bool) -> dict:
    """The table of contents, its captions in the report's language; the client's edition leaves out
    the pages written for the consultant."""
    toc = yaml.safe_load(BOOK_TOC.read_text(encoding="utf-8"))
    for part in toc["parts"]:
        part["caption"] = _book_text(part["caption"], BOOK_TOC)
    if not teaching:
        for part in toc["parts"]:
            part["chapters"] = [c for c in part["chapters"] if c["file"] not in CONSULTANT_PAGES]
    return toc


def _stage_book_source(config: ClientConfig, teaching: bool) -> Path:
    """The book's sources for one build: the pages, the executed notebooks, the toc and config."""
    presentation.set_language(config.report.language)
    source = config.build_dir / ".book-source"
    if source.exists():
        shutil.rmtree(source)
    shutil.copytree(BOOK_DIR, source / "book", ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    if config.report.language == translation.PSEUDO:
        translation.write_pseudo_page_catalogues(source / "book" / "locale")
    translation.compile_page_catalogues(source / "book" / "locale")
    language, sphinx_language = config.report.language, SPHINX_LANGUAGES[config.report.language]
    if sphinx_language != language and (source / "book" / "locale" / language).exists():
        # Sphinx reads the interface's catalogue (domain "sphinx") only from a folder named as its language.
        shutil.copytree(source / "book" / "locale" / language, source / "book" / "locale" / sphinx_language)
    if not teaching:
        for page in CONSULTANT_PAGES:
            (source / f"{page}.md").unlink(missing_ok=True)
    shutil.copytree(config.build_dir / "notebooks", source / "notebooks")
    show_parameters(source / "notebooks", config)
    (source / "_toc.yml").write_text(yaml.safe_dump(_book_toc(teaching), sort_keys=False), encoding="utf-8")
    (source / "_config.yml").write_text(
        yaml.safe_dump(_book_config(config, teaching), sort_keys=False), encoding="utf-8"
    )
    return source


def _jupyter_book(source: Path, builder: str) -> Path:
    """Run Jupyter Book strictly on staged sources; returns its output folder."""
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(source),
        "--builder",
        builder,
        "--path-output",
        str(source),
        "-W",
        "-n",
        "--keep-going",
        "--all",
        "-q",
    ]
    done = subprocess.run(command, capture_output=True, text=True, preexec_fn=_die_with_parent)
    if done.returncode != 0:
        raise BookBuildError((done.stdout + done.stderr).strip()[-4000:])
    return source / "_build" / builder


def build_book(config: ClientConfig, teaching: bool = False) -> Path:
    """Render the executed notebooks as HTML into <build>/html/; returns its index page."""
    source = _stage_book_source(config, teaching)
    html = config.build_dir / "html"
    if html.exists():
        shutil.rmtree(html)
    shutil.move(_jupyter_book(source, "html"), html)
    return html / "index.html"


def build_pdf(config: ClientConfig) -> PrintedBook:
    """Render the book as one page and print it with headless Chromium into <build>/<slug>-report.pdf."""
    from .pdf import print_book

    source = config.build_dir / ".book-source"
    single = _jupyter_book(source, "singlehtml")
    # The whole book is the root page's file; its links to _images/ and _static/ start at the build's top.
    root = yaml.safe_load(BOOK_TOC.read_text(encoding="utf-8"))["root"]
    page = single / "book.html"
    shutil.copy(single / f"{root}.html", page)
    return print_book(config, page, config.build_dir / f"{config.client.slug}-report.pdf")


@dataclass(frozen=True)
class BuildOutcome:
    folder: Path
    index: Path
    pdf: Path | None
    seconds: float


class BookBuildError(RuntimeError):
    """The build failed (a chapter, a Sphinx warning or the PDF); the previous book is kept."""


class ChaptersFailed(BookBuildError):
    def __init__(self, runs: list[ChapterRun], notebooks: Path) -> None:
        self.runs, self.notebooks = runs, notebooks
        lines = "\n".join(f"  {run.chapter}, {run.error}" for run in runs)
        super().__init__(
            f"{len(runs)} chapter(s) failed:\n{lines}\nExecuted notebooks (with the error shown in place): {notebooks}"
        )


def staging_dir(config: ClientConfig) -> Path:
    return config.output_dir / f".{config.client.slug}.building"


def lock_file(config: ClientConfig) -> Path:
    return config.output_dir / f".{config.client.slug}.lock"


class BuildInProgress(RuntimeError):
    """Another build of the same client (and edition) holds its lock."""

    def __init__(self, config: ClientConfig, lock: Path) -> None:
        super().__init__(
            f"another build of {config.client.name} ({config.client.slug}) is running and holds {lock}; "
            "wait for it to finish"
        )


@contextlib.contextmanager
def build_lock(config: ClientConfig) -> Iterator[Path]:
    """Hold the client's build lock for the duration of a build, or raise :class:`BuildInProgress`.

    The lock is ``flock`` on ``<output_dir>/.<slug>.lock``: the kernel releases it when its holder
    exits in any way, killed included, so a lock file left behind never blocks the next build. The
    file itself stays (removing it would let two builds lock two different files of one name).
    """
    config.output_dir.mkdir(parents=True, exist_ok=True)
    lock = lock_file(config)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildInProgress(config, lock) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield lock
    finally:
        os.close(fd)


def _previous_dir(config: ClientConfig) -> Path:
    return config.output_dir / f".{config.client.slug}.previous"


def _restore_interrupted_publish(config: ClientConfig) -> None:
    """A publish stopped between its two renames leaves the previous book aside; put it back."""
    previous = _previous_dir(config)
    if previous.exists():
        if config.published_dir.exists():
            shutil.rmtree(previous)
        else:
            previous.rename(config.published_dir)


def publish(config: ClientConfig) -> Path:
    """Make the completed build the published one: two renames, the old build removed after."""
    published, previous = config.published_dir, _previous_dir(config)
    _restore_interrupted_publish(config)
    if published.exists():
        published.rename(previous)
    staging_dir(config).rename(published)
    if previous.exists():
        shutil.rmtree(previous)
    return published


def edition(config: ClientConfig, teaching: bool) -> ClientConfig:
    """The teaching edition publishes beside the client's book, as <output_dir>/<slug>-teaching/."""
    if not teaching:
        return config
    return config.model_copy(
        update={"client": config.client.model_copy(update={"slug": f"{config.client.slug}-teaching"})}
    )


def build(
    config: ClientConfig,
    *,
    command: list[str] | None = None,
    workers: int = 2,
    pdf: bool = False,
    teaching: bool = False,
    progress: Callable[[str], None] = print,
    cache: bool = True,
) -> BuildOutcome:
    """Check the data, execute every chapter, render the book (and PDF), then publish it.

    With ``cache``, chapters whose inputs are unchanged since the last build of this edition are taken
    from the chapter cache (:mod:`cxanalysis.chapter_cache`) instead of executed again; without, every
    chapter is executed and the cache renewed.

    Raises :class:`BookBuildError` when any step fails; nothing is published then, and
    :class:`BuildInProgress` when another build of the same client is running.
    """
    config = edition(config, teaching)
    with build_lock(config):
        return _build_locked(
            config, command=command, workers=workers, pdf=pdf, teaching=teaching, progress=progress, cache=cache
        )


def _build_locked(
    config: ClientConfig,
    *,
    command: list[str] | None,
    workers: int,
    pdf: bool,
    teaching: bool,
    progress: Callable[[str], None],
    cache: bool = True,
) -> BuildOutcome:
    from .manifest import describe_build, write_manifest

    started, clock = dt.datetime.now(dt.UTC), time.perf_counter()
    _restore_interrupted_publish(config)
    staging = staging_dir(config)
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    staged = config.model_copy(update={"build_root": staging})
    summary = check_data(staged, reuse=cache)
    progress(accounting_report(summary))
    if untranslated := translation.untranslated_report(config.report.language):
        progress(untranslated)
    record = describe_build(
        staged, command=command, edition="teaching" if teaching else "client", rows_read=summary, started=started
    )
    write_manifest(staged, record)
    steps = {"data": round(time.perf_counter() - clock, 1)}
    progress("Executing chapters:")
    kept = ChapterCache(
        cache_dir(config.output_dir, config.client.slug),
        staged.build_dir,
        inputs=record["inputs"],
        language=config.report.language,
        teaching=teaching,
        reuse=cache,
    )
    step = time.perf_counter()
    runs = execute_chapters(staged, workers=workers, progress=progress, teaching=teaching, cache=kept)
    steps["chapters"] = round(time.perf_counter() - step, 1)
    cached = sum(run.cached for run in runs)
    progress(f"  {len(runs) - cached} executed, {cached} from the chapter cache, in {steps['chapters']:.1f} s")
    failed = [run for run in runs if run.error]
    if failed:
        raise ChaptersFailed(failed, staging / "notebooks")
    prepare_edition(staging / "notebooks", teaching)
    progress("Rendering the book ...")
    step = time.perf_counter()
    build_book(staged, teaching)
    steps["book"] = round(time.perf_counter() - step, 1)
    pdf_path = None
    if pdf:
        progress("Printing the PDF ...")
        step = time.perf_counter()
        printed = build_pdf(staged)
        steps["pdf"] = round(time.perf_counter() - step, 1)
        pdf_path = printed.pdf
        for item in printed.too_wide:
            progress(f"  warning: wider than the printed page: {item}")
    shutil.rmtree(staging / ".book-source")
    shutil.rmtree(prepared_file(staged).parent, ignore_errors=True)
    record["seconds"] = round(time.perf_counter() - clock, 1)
    record["steps"] = steps
    record["chapters"] = {run.chapter: "cached" if run.cached else "executed" for run in runs}
    write_manifest(staged, record)
    folder = publish(config)
    return BuildOutcome(
        folder,
        folder / "html" / "index.html",
        folder / pdf_path.name if pdf_path else None,
        time.perf_counter() - clock,
    )
