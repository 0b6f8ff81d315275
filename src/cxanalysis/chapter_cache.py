"""Executed chapters kept between builds, so that a rebuild executes only the chapters whose inputs changed.

A chapter's entry is found by a key: a hash of the chapter's source as executed (its edition's teaching
cells left out or kept), the report's language and edition, the client's config and every input file it
names (their bytes, never their dates or the config's own path) and the template itself (the installed
package's files, its message catalogues and version, and the versions of the packages beside it). An entry
holds the executed notebook and every file the chapter wrote into the build folder; a chapter that read
a file the build had written before the chapters ran (the reproducibility record, say) is taken from its
entry only while that file is unchanged.

What a chapter wrote and read is recorded by the kernel that runs it: before the chapter's first cell the
build points the kernel's :func:`watch` at the chapter's record, which then notes every file opened under
the build folder (a kernel runs one chapter at a time, so two chapters running at once never mix). A build
stores nothing when a file of its build folder changed that no chapter recorded.

The cache lives in ``<output_dir>/.cache/<slug>/chapters/<chapter>/``, outside the build folder that a
build renames on publishing; it holds the latest entry of each chapter and edition (the teaching edition
has a slug of its own). An entry is written into a folder beside it and renamed into place when complete,
so a build stopped while writing leaves no half entry behind.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

#: Folders of the build that are no chapter's output: the executed notebooks (written by the build
#: itself) and the prepared data (made from the inputs the key names).
NOT_OUTPUT = ("notebooks", ".prepared", ".book-source")
ENTRY = "entry.json"
FORMAT = 1


def sha256(path: Path) -> str:
    """A file's SHA-256, read a megabyte at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def notebook_text(notebook: Any) -> str:
    """A notebook's cells and metadata as one text, the same for the same source however often it is read
    (no cell ids, which are drawn at random when a Markdown chapter is read)."""
    cells = [[cell.cell_type, cell.source, dict(cell.metadata)] for cell in notebook.cells]
    return json.dumps({"metadata": dict(notebook.metadata), "cells": cells}, sort_keys=True, ensure_ascii=False)


@functools.cache  # the template does not change while a build or a kernel runs
def package_fingerprint() -> str:
    """The template as installed: every file of the ``cxanalysis`` package (code, settings, message
    catalogues), its version, Python's version and the version of every package installed beside it."""
    from importlib import metadata

    from .manifest import installed_packages

    root = Path(__file__).resolve().parent
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files[path.relative_to(root).as_posix()] = sha256(path)
    return _digest(
        {
            "version": metadata.version("cxanalysis"),
            "python": platform.python_version(),
            "packages": installed_packages(),
            "files": files,
        }
    )


def input_fingerprints(inputs: Iterable[dict[str, Any]]) -> list[list[str]]:
    """The config's and every input file's bytes (SHA-256) with their roles, and the data files' names
    (which chapters show); never the config's own path or name, nor a file's date."""
    return sorted([item["role"], "" if item["role"] == "config" else item["file"], item["sha256"]] for item in inputs)


def chapter_key(source: str, *, inputs: Iterable[dict[str, Any]], language: str, teaching: bool, package: str) -> str:
    """The key of a chapter's entry: what decides its output.

    ``source`` is the chapter as executed (:func:`notebook_text`), ``inputs`` the input files as
    :func:`cxanalysis.manifest.input_files` lists them, ``package`` :func:`package_fingerprint`.
    """
    return _digest(
        {
            "format": FORMAT,
            "source": hashlib.sha256(source.encode()).hexdigest(),
            "inputs": input_fingerprints(inputs),
            "language": language,
            "teaching": bool(teaching),
            "package": package,
        }
    )


# --- In the chapter's kernel ---------------------------------------------------------------------------

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


class _Watch:
    """Where this kernel notes the files it opens: one chapter's record at a time."""

    out: ClassVar[int | None] = None
    prefixes: ClassVar[tuple[str, ...]] = ()
    seen: ClassVar[set[tuple[str, str]]] = set()
    hooked: ClassVar[bool] = False

    @classmethod
    def note(cls, kind: str, path: Any) -> None:
        if cls.out is None or isinstance(path, int):
            return
        full = os.path.abspath(os.fsdecode(os.fspath(path)))
        if full.startswith(cls.prefixes) and (kind, full) not in cls.seen:
            cls.seen.add((kind, full))
            os.write(cls.out, f"{kind}\t{full}\n".encode("utf-8", "surrogateescape"))

    @classmethod
    def hook(cls, event: str, args: tuple) -> None:
        try:
            if event == "open":
                path, mode, flags = args
                writes = any(c in mode for c in "wax+") if isinstance(mode, str) else bool(flags & _WRITE_FLAGS)
                cls.note("w" if writes else "r", path)
            elif event in ("os.rename", "shutil.copyfile", "os.link", "os.symlink"):
                cls.note("d" if event == "os.rename" else "r", args[0])
                cls.note("w", args[1])
            elif event in ("os.remove", "os.rmdir", "shutil.rmtree"):
                cls.note("d", args[0])
        except Exception:  # a record that cannot be noted never stops the chapter
            pass


def watch(record: str, build: str) -> None:
    """Record every file this kernel opens, renames or removes inside the ``build`` folder, one line a file
    (``r``, ``w`` or ``d`` and its path), in the chapter's ``record``. A kernel that runs several chapters
    one after the other is pointed at each chapter's record in turn, so a file is noted in the record of
    the chapter that opened it."""
    if _Watch.out is not None:
        os.close(_Watch.out)
    _Watch.prefixes = tuple({os.path.abspath(build) + os.sep, os.path.realpath(build) + os.sep})
    _Watch.seen = set()
    _Watch.out = os.open(record, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    if not _Watch.hooked:
        sys.addaudithook(_Watch.hook)
        _Watch.hooked = True
    os.write(_Watch.out, f"s\t{os.path.abspath(build)}\n".encode("utf-8", "surrogateescape"))  # watched


def start_chapter(record: str | None, build: str) -> None:
    """Ready this kernel for the build's next chapter: an empty namespace and history, no figure left open
    from the chapter before, and with a ``record``, the files it opens noted there (:func:`watch`)."""
    from IPython import get_ipython

    get_ipython().reset(new_session=True)
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if record is not None:
        watch(record, build)


# --- In the build ----------------------------------------------------------------------------------------


@dataclass
class Record:
    """What one chapter's kernel opened in the build folder, as paths relative to it."""

    read: set[str] = field(default_factory=set)
    wrote: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    #: The kernel ran :func:`watch`; without, nothing is known of what it wrote.
    watched: bool = False


def read_record(path: Path, build_dir: Path) -> Record:
    record = Record()
    if not path.exists():
        return record
    roots = {os.path.abspath(build_dir), os.path.realpath(build_dir)}
    for line in path.read_text(encoding="utf-8", errors="surrogateescape").splitlines():
        kind, _, full = line.partition("\t")
        if kind == "s":
            record.watched = True
            continue
        root = next((r for r in roots if full.startswith(r + os.sep)), None)
        if root is None:
            continue
        relative = Path(os.path.relpath(full, root)).as_posix()
        {"r": record.read, "w": record.wrote, "d": record.removed}[kind].add(relative)
    return record


def _is_output(relative: str) -> bool:
    return relative.split("/", 1)[0] not in NOT_OUTPUT


def _files(build_dir: Path) -> dict[str, tuple[int, int, int]]:
    """The build folder's files that may be a chapter's output, with their size, change time and inode."""
    found = {}
    for path in build_dir.rglob("*"):
        relative = path.relative_to(build_dir).as_posix()
        if _is_output(relative) and path.is_file():
            stat = path.stat()
            found[relative] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    return found


def cache_dir(output_dir: Path, slug: str) -> Path:
    """Where the chapters of one client's edition are kept between builds."""
    return output_dir / ".cache" / slug / "chapters"


@dataclass
class Executed:
    chapter: str
    key: str
    ok: bool
    record: Record


class ChapterCache:
    """The chapters of one edition of one client's book, kept between its builds (with ``reuse`` off,
    every chapter is executed and kept anew).

    The build calls :meth:`begin` before the first chapter, :meth:`lookup` and :meth:`restore` for each
    chapter, runs the others with :meth:`record_file` named to their kernel and ends with :meth:`finish`.
    """

    def __init__(
        self,
        folder: Path,
        build_dir: Path,
        *,
        inputs: Iterable[dict[str, Any]],
        language: str,
        teaching: bool,
        package: str | None = None,
        reuse: bool = True,
    ) -> None:
        self.folder, self.build_dir, self.reuse = folder, build_dir, reuse
        self.inputs, self.language, self.teaching = list(inputs), language, teaching
        self.package = package if package is not None else package_fingerprint()
        self._records = Path(tempfile.mkdtemp(prefix="cx-chapter-records-"))
        self._before: dict[str, tuple[int, int, int]] = {}
        self._hashes: dict[str, str] = {}
        self._restored: dict[str, list[str]] = {}

    def key(self, source: str) -> str:
        return chapter_key(
            source, inputs=self.inputs, language=self.language, teaching=self.teaching, package=self.package
        )

    def begin(self) -> None:
        """Note the build folder as the chapters find it: the files written before them and their hashes."""
        self._before = _files(self.build_dir)
        self._hashes = {relative: sha256(self.build_dir / relative) for relative in self._before}
        self.folder.mkdir(parents=True, exist_ok=True)
        for leftover in self.folder.glob(".*"):  # from a build stopped while writing an entry
            shutil.rmtree(leftover, ignore_errors=True)

    def record_file(self, chapter: str) -> Path:
        return self._records / f"{chapter}.record"

    def lookup(self, chapter: str, key: str) -> Path | None:
        """The chapter's entry when it was made with this key from the same files of the build folder."""
        entry = self.folder / chapter
        if not self.reuse:
            return None
        try:
            stored = json.loads((entry / ENTRY).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if stored.get("format") != FORMAT or stored.get("key") != key:
            return None
        if any(self._hashes.get(relative) != digest for relative, digest in stored["reads"].items()):
            return None
        if not all((entry / "files" / relative).is_file() for relative in stored["files"]):
            return None
        return entry

    def restore(self, entry: Path, notebooks: Path, parameters: dict[str, Any]) -> None:
        """Put a kept chapter into the build: its notebook, with this build's parameters, and its files."""
        import nbformat
        from papermill.translators import translate_parameters

        stored = json.loads((entry / ENTRY).read_text(encoding="utf-8"))
        chapter = entry.name
        notebook = nbformat.read(entry / "notebook.ipynb", as_version=4)
        for cell in notebook.cells:
            if "injected-parameters" in cell.metadata.get("tags", []):
                cell.source = translate_parameters("python3", "python", parameters, "Parameters")
        run = notebook.metadata.get("papermill", {})
        if run:
            run["parameters"] = parameters
            run["output_path"] = str(notebooks / f"{chapter}.ipynb")
        nbformat.write(notebook, notebooks / f"{chapter}.ipynb")
        if (entry / "kernel.log").exists():
            shutil.copyfile(entry / "kernel.log", notebooks / f"{chapter}.kernel.log")
        for relative in stored["files"]:
            target = self.build_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(entry / "files" / relative, target)
        self._restored[chapter] = list(stored["files"])

    def finish(self, executed: list[Executed], notebooks: Path) -> list[str]:
        """Keep each chapter that ran without error, unless the build folder shows a change no chapter
        recorded, two chapters wrote the same file or a chapter read what another wrote; returns why
        chapters were not kept."""
        unwatched = sorted(run.chapter for run in executed if not run.record.watched)
        if unwatched:
            return [f"chapter cache not updated: what {', '.join(unwatched)} wrote was not recorded"]
        after = _files(self.build_dir)
        changed = {r for r in after if after[r] != self._before.get(r)}
        removed = set(self._before) - set(after)
        writers: dict[str, list[str]] = {}
        for chapter, files in self._restored.items():
            for relative in files:
                writers.setdefault(relative, []).append(chapter)
        for run in executed:
            for relative in run.record.wrote:
                if _is_output(relative):
                    writers.setdefault(relative, []).append(run.chapter)
        unclaimed = sorted((changed - set(writers)) | (removed - {r for run in executed for r in run.record.removed}))
        if unclaimed:
            return [f"chapter cache not updated: {', '.join(unclaimed[:5])} changed by no chapter that recorded it"]
        notes = []
        for run in executed:
            if not run.ok:
                continue
            wrote = sorted(r for r in run.record.wrote if _is_output(r) and (self.build_dir / r).is_file())
            shared = [r for r in wrote if len(writers[r]) > 1]
            reads = {r for r in run.record.read if _is_output(r)} - set(wrote)
            # A file read that was not there before the chapters is kept as absent (None): it must stay so.
            foreign = sorted(r for r in reads if r in writers)
            removes = sorted(r for r in run.record.removed if r in self._before)
            if shared or foreign or removes:
                what = (
                    f"wrote {', '.join(shared[:3])} as another chapter did"
                    if shared
                    else f"read {', '.join(foreign[:3])}, written by another chapter"
                    if foreign
                    else f"removed {', '.join(removes[:3])}"
                )
                notes.append(f"{run.chapter} not kept in the chapter cache: it {what}")
                continue
            self._store(run, wrote, {r: self._hashes.get(r) for r in sorted(reads)}, notebooks)
        shutil.rmtree(self._records, ignore_errors=True)
        return notes

    def _store(self, run: Executed, wrote: list[str], reads: dict[str, str | None], notebooks: Path) -> None:
        """Write the entry beside its place and rename it into place complete (the old one goes after)."""
        final = self.folder / run.chapter
        building = self.folder / f".{run.chapter}.{os.getpid()}.new"
        old = self.folder / f".{run.chapter}.{os.getpid()}.old"
        shutil.rmtree(building, ignore_errors=True)
        (building / "files").mkdir(parents=True)
        shutil.copyfile(notebooks / f"{run.chapter}.ipynb", building / "notebook.ipynb")
        log = notebooks / f"{run.chapter}.kernel.log"
        if log.exists():
            shutil.copyfile(log, building / "kernel.log")
        for relative in wrote:
            target = building / "files" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.build_dir / relative, target)
        entry = {"format": FORMAT, "key": run.key, "files": wrote, "reads": reads}
        (building / ENTRY).write_text(json.dumps(entry, indent=1, sort_keys=True), encoding="utf-8")
        if final.exists():
            final.rename(old)
        building.rename(final)
        shutil.rmtree(old, ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self._records, ignore_errors=True)
