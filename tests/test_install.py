"""The template installed from its wheel, as a consultant installs it, builds a client's book in an empty
folder: the chapters, pages and sample client come from the installed package, nothing from a checkout.

The wheel is built from a copy of the source tree, which is deleted before anything is installed, and
installed with its pinned dependencies into a fresh virtual environment that cannot see the project's
editable install. Any file the installed template still looked for in a source tree would fail the build,
and any path to the checkout or to the copy left in the book or the results fails the test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import REPO
from cxanalysis.runner import CONSULTANT_PAGES

pytestmark = pytest.mark.slow

#: The book's sources and the sample client, as the repository holds them and the wheel must carry them.
TEMPLATE_FILES = [
    "_config.yml",
    "_toc.yml",
    *[f"notebooks/{p.name}" for p in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.md"))],
    *[
        str(p.relative_to(REPO))
        for p in sorted((REPO / "book").rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    ],
    *[f"data/sample/{name}" for name in ("client.yml", "journey.yml", "stakeholders.yml", "truth.yml", "README.md")],
    *[f"data/sample/{p.name}" for p in sorted((REPO / "data" / "sample").glob("*")) if p.suffix in {".csv", ".xlsx"}],
]


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 900) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def package_files(package: Path) -> set[str]:
    return {str(p.relative_to(package)) for p in package.rglob("*") if "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A wheel of the repository, installed into a fresh virtual environment with its pinned dependencies."""
    work = tmp_path_factory.mktemp("install")
    started = time.perf_counter()
    source = work / "source"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "_build", "build", "clients", "*.egg-info", "__pycache__", ".*cache", ".hypothesis"
        ),
    )
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(work / "wheels"), str(source)], work)
    shutil.rmtree(source)
    (wheel,) = (work / "wheels").glob("cxanalysis-*.whl")
    venv = work / "venv"
    run([sys.executable, "-m", "venv", str(venv)], work)
    python = venv / "bin" / "python"
    run([str(python), "-m", "pip", "install", "--quiet", "-c", str(REPO / "constraints.txt"), str(wheel)], work)
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    package = Path(
        run(
            [str(python), "-c", "import cxanalysis, pathlib; print(pathlib.Path(cxanalysis.__file__).parent)"], work
        ).strip()
    )
    print(f"wheel built and installed in {time.perf_counter() - started:.0f} s")
    return {"wheel": wheel, "venv": venv, "python": python, "env": env, "package": package, "source": source}


@pytest.fixture(scope="module")
def acme_build(installed, tmp_path_factory):
    """`cxanalysis new`, the sample client's data files as the client's, and `cxanalysis build`, in an empty folder."""
    folder = tmp_path_factory.mktemp("consultant")
    env, bin_dir = installed["env"], installed["venv"] / "bin"
    kernels = json.loads(run([str(bin_dir / "jupyter"), "kernelspec", "list", "--json"], folder, env))
    kernel = Path(kernels["kernelspecs"]["python3"]["resource_dir"])
    assert kernel.is_relative_to(installed["venv"]), f"the chapters would run in another Python: {kernel}"
    before = package_files(installed["package"])
    cli = str(bin_dir / "cxanalysis")
    run([cli, "new", "Acme Retail"], folder, env)
    config = folder / "clients" / "acme-retail" / "client.yml"
    run([cli, "sample", "--out", str(config.parent)], folder, env)
    started = time.perf_counter()
    stdout = run([cli, "build", str(config.relative_to(folder))], folder, env)
    print(f"book built in {time.perf_counter() - started:.0f} s")
    return {"folder": folder, "book": config.parent / "_build" / "acme-retail", "stdout": stdout, "before": before}


def test_wheel_carries_the_book_sources_and_the_sample_client_unchanged(installed):
    with zipfile.ZipFile(installed["wheel"]) as wheel:
        names = set(wheel.namelist())
        for name in TEMPLATE_FILES:
            shipped = f"cxanalysis/template/{name}"
            assert shipped in names, f"{name} is not in the wheel"
            assert wheel.read(shipped) == (REPO / name).read_bytes(), f"{name} differs in the wheel"
    template = {name for name in names if name.startswith("cxanalysis/template/")}
    assert template == {f"cxanalysis/template/{name}" for name in TEMPLATE_FILES}, "unexpected files in the wheel"


def test_new_client_builds_its_book_with_every_chapter_and_the_results(acme_build):
    book = acme_build["book"]
    assert f"Open {book / 'html' / 'index.html'}" in acme_build["stdout"]
    assert "[11/11]" in acme_build["stdout"]
    toc = yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]] + [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]
    pages = [page for page in pages if page not in CONSULTANT_PAGES]  # the client's edition leaves them out
    assert (book / "html" / "index.html").exists()
    for page in pages:
        html = book / "html" / f"{page}.html"
        assert html.exists(), page
        assert "Acme Retail" in html.read_text(encoding="utf-8"), f"{page} does not name the client"
    tables = {table.name: pd.read_csv(table) for table in (book / "results").glob("*.csv")}
    assert all(len(frame.columns) > 1 for frame in tables.values())
    assert sum(len(frame) > 0 for frame in tables.values()) >= 10, sorted(tables)
    files = set(tables["data_quality.csv"]["file"])
    assert {"relational_nps.csv", "transactional.xlsx", "customers.csv", "tickets.csv"} <= files


def test_build_output_refers_to_no_checkout(acme_build, installed):
    """No page, table or executed chapter names the repository or the source tree the wheel came from."""
    banned = [str(REPO).encode(), str(installed["source"]).encode()]
    files = [p for p in acme_build["book"].rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in files) and any(p.suffix == ".csv" for p in files)
    for path in files:
        content = path.read_bytes()
        for text in banned:
            assert text not in content, f"{path.relative_to(acme_build['book'])} refers to {text.decode()}"


def test_reproducibility_record_names_the_version_and_no_commit(acme_build):
    record = json.loads((acme_build["book"] / "results" / "manifest.json").read_text(encoding="utf-8"))
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert record["template"] == {"cxanalysis": version, "commit": None}


def test_build_writes_nothing_into_the_installed_package(acme_build, installed):
    assert package_files(installed["package"]) == acme_build["before"]


def test_sample_data_and_the_sample_book_go_to_the_current_folder(installed, tmp_path):
    """The sample's regenerated files and the sample client's book land where the consultant is."""
    snippet = (
        "from cxanalysis import load_config; from cxanalysis.cli import parser, writable_output; "
        "print(parser().parse_args(['sample']).out); print(writable_output(load_config()).output_dir)"
    )
    sample_out, output_dir = run([str(installed["python"]), "-c", snippet], tmp_path, installed["env"]).splitlines()
    assert sample_out == "sample"
    assert Path(output_dir) == tmp_path.resolve() / "_build"
