"""End to end: the sample book built by the README's command, then read as a reader and as nbval would."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import REPO, SAMPLE_CONFIG
from cxanalysis.runner import CONSULTANT_PAGES

pytestmark = pytest.mark.slow


def toc_files() -> list[str]:
    """The pages of the client's edition: the book's contents less the pages written for the consultant."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [file for file in files if file not in CONSULTANT_PAGES]


def test_build_prints_the_book_and_the_accounting(sample_build):
    config, stdout = sample_build
    index = config.build_dir / "html" / "index.html"
    assert f"Open {index}" in stdout
    assert "quarantined" in stdout and "[11/11]" in stdout
    assert not (config.build_dir / ".prepared").exists()  # the chapters' prepared data stays behind


def test_book_opens_on_the_executive_summary_and_lists_every_chapter(sample_build):
    config, _ = sample_build
    html = config.build_dir / "html"
    redirect = (html / "index.html").read_text(encoding="utf-8")
    assert "url=notebooks/00_executive_summary.html" in redirect
    summary = (html / "notebooks" / "00_executive_summary.html").read_text(encoding="utf-8")
    assert "<h1>Executive summary" in summary
    for file in toc_files():
        page = html / f"{file}.html"
        assert page.exists(), file
        title = re.search(r"<h1>(.*?)<a", page.read_text(encoding="utf-8"), re.S)
        assert title is not None and title.group(1).strip(), file
        if file != toc_files()[0]:
            assert f"{Path(file).name}.html" in summary, f"{file} missing from the navigation"


def test_pages_show_no_code_tracebacks_or_error_output(sample_build):
    config, _ = sample_build
    for file in toc_files():
        text = (config.build_dir / "html" / f"{file}.html").read_text(encoding="utf-8")
        assert "highlight-ipython3" not in text, f"code cell shown in {file}"
        assert "Traceback" not in text and "output stderr" not in text and "output error" not in text, file
        assert "coming soon" not in text.lower()
        assert ":::{" not in text, f"generated MyST shown as text in {file}"


def test_every_chapter_shows_a_chart_and_numbers(sample_build):
    config, _ = sample_build
    for file in toc_files():
        if not file.startswith("notebooks/") or file.startswith("notebooks/9"):
            continue  # the appendices account for rows and files, with tables only
        text = (config.build_dir / "html" / f"{file}.html").read_text(encoding="utf-8")
        assert "<img" in text, f"no chart in {file}"
        assert "cx-table" in text or "CI" in text, f"no numbers in {file}"


def test_planted_script_tag_is_text_not_markup(sample_build):
    config, _ = sample_build
    for page in (config.build_dir / "html").rglob("*.html"):
        assert "<script>alert('cx')</script>" not in page.read_text(encoding="utf-8"), page


def test_no_planted_personal_data_in_the_book_or_the_results(sample_build):
    """Every e-mail address and phone number planted in the sample's comments is redacted everywhere public."""
    config, _ = sample_build
    truth = yaml.safe_load((SAMPLE_CONFIG.parent / "truth.yml").read_text(encoding="utf-8"))
    plants = [plant["value"] for plant in truth["privacy_plants"]["pii"]]
    assert len(plants) == 4
    digits_only = [re.sub(r"\D", "", value) for value in plants if "@" not in value]
    public = [
        *(config.build_dir / "html").rglob("*.html"),
        *(config.build_dir / "html").rglob("*.js"),
        *config.results_dir.glob("*.csv"),
    ]
    for path in public:
        text = path.read_text(encoding="utf-8", errors="replace")
        for value in plants:
            assert value not in text, (value, path)
        squeezed = re.sub(r"[\s-]", "", text)
        for digits in digits_only:
            assert digits not in squeezed, (digits, path)


def test_results_and_private_files(sample_build):
    config, _ = sample_build
    quality = pd.read_csv(config.results_dir / "data_quality.csv", keep_default_na=False)
    for (_source, file), rows in quality.groupby(["source", "file"]):
        read = rows.loc[rows["outcome"] == "read", "rows"].sum()
        assert read == rows.loc[rows["outcome"] != "read", "rows"].sum(), file
    quarantine = pd.read_csv(config.private_dir / "quarantine.csv")
    assert len(quarantine) == quality.loc[quality["outcome"] == "quarantined", "rows"].sum()
    for name in (
        "headline",
        "goals",
        "journey",
        "metrics",
        "comparisons",
        "drivers",
        "themes",
        "revenue_at_risk",
        "action_plan",
        "action_effects",
        "monitoring_alerts",
    ):
        assert (config.results_dir / f"{name}.csv").exists(), name
    assert (config.results_dir / "action_plan.xlsx").exists()
    assert not list((config.build_dir / "html").rglob("quarantine*"))


def test_executed_notebooks_have_no_errors_or_stderr(sample_build):
    config, _ = sample_build
    for path in sorted((config.build_dir / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                assert output["output_type"] != "error", path.name
                assert not (output["output_type"] == "stream" and output["name"] == "stderr"), (
                    f"{path.name}: {output.get('text', '')[:300]}"
                )


def test_nbval_lax_on_the_executed_executive_summary(sample_build):
    """nbval re-runs the executed summary as saved; every chapter is re-run by the root build below, and
    executed once more here would add minutes to every test run for the same evidence."""
    config, _ = sample_build
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "-q",
            "-p",
            "no:cacheprovider",
            str(config.build_dir / "notebooks" / "00_executive_summary.ipynb"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert re.search(r"\d+ passed", done.stdout)


def test_jupyter_book_build_at_the_root_builds_the_sample_book(tmp_path):
    """Trainers' habit: `jupyter-book build .` executes the chapters itself, strictly.

    Run in a copy of the template, so that the chapters' result tables go to the copy's build folder
    and never into the sample book other tests are reading.
    """
    copy = tmp_path / "template"
    for name in ("_config.yml", "_toc.yml"):
        copy.mkdir(exist_ok=True)
        shutil.copy(REPO / name, copy / name)
    for folder in ("notebooks", "book", "data/sample"):
        shutil.copytree(REPO / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__", ".*.yml"))
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        ".",
        "--path-output",
        str(tmp_path),
        "-W",
        "-n",
        "--keep-going",
        "-q",
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=copy)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    summary = tmp_path / "_build" / "html" / "notebooks" / "00_executive_summary.html"
    assert "Drivers of NPS" in summary.read_text(encoding="utf-8")
    assert (copy / "_build" / "nordlys" / "results" / "headline.csv").exists()  # the copy's, not the sample book's


def test_every_page_loads_in_chromium_without_errors_broken_links_or_images(sample_build):
    """A reader's browser: every page opened, screenshots saved for looking at (docs/ shows two)."""
    from browser import visit_book

    config, _ = sample_build
    visits = visit_book(config.build_dir / "html", screenshots=REPO / "_build" / "screenshots" / config.client.slug)
    assert len(visits) >= len(toc_files())
    for visit in visits:
        assert not visit.console_errors, (visit.page, visit.console_errors)
        assert not visit.page_errors, (visit.page, visit.page_errors)
        assert not visit.dialogs, (visit.page, visit.dialogs)
        assert not visit.broken_images, (visit.page, visit.broken_images)
        assert not visit.broken_links, (visit.page, visit.broken_links)
        assert not visit.external_requests, (visit.page, visit.external_requests)
        assert not visit.raw_formulas, (visit.page, "formulas left as source")
    method = next(v for v in visits if v.page.name == "method.html")
    assert method.formulas >= 12  # typeset by the book's own MathJax, with no network
    summary = next(v for v in visits if v.page.name == "00_executive_summary.html")
    assert "Executive summary" in summary.title and "Drivers of NPS" in summary.text


def test_pdf_has_title_contents_every_chapter_and_no_personal_data(sample_build):
    from pypdf import PdfReader

    config, stdout = sample_build
    pdf = config.build_dir / f"{config.client.slug}-report.pdf"
    assert f"PDF: {pdf}" in stdout
    assert "wider than the printed page" not in stdout, stdout
    reader = PdfReader(pdf)
    pages = [page.extract_text() or "" for page in reader.pages]
    assert 20 <= len(pages) <= 120, len(pages)
    assert config.report.title in pages[0] and config.client.name.upper() in pages[0].upper()
    assert "Contents" in pages[1]
    # The method's formulas are printed typeset, never as their LaTeX source.
    assert not [i for i, page in enumerate(pages) if "\\frac" in page or "\\mathrm" in page]
    titles = [
        re.sub(r"\s+", " ", t)
        for t in (
            "Executive summary",
            "1. Stakeholder goals and KPIs",
            "8. Monitoring",
            "Data quality",
            "Reproducibility",
            "Glossary",
        )
    ]
    for title in titles:
        assert title in re.sub(r"\s+", " ", pages[1]), title
    # Every chapter starts a page: its title is the first text on some page.
    firsts = [re.sub(r"\s+", " ", page).strip() for page in pages]
    for title in titles:
        assert any(first.startswith(title) for first in firsts), f"{title} does not start a page"
    assert all(f"of {len(pages)}" in page for page in pages[1:]), "page numbers missing"

    def flatten(outline):
        for item in outline:
            yield from flatten(item) if isinstance(item, list) else [item.title]

    bookmarks = [re.sub(r"\s+", " ", title) for title in flatten(reader.outline)]
    for title in titles:
        assert any(mark.startswith(title) for mark in bookmarks), f"no bookmark for {title}"
    text = "\n".join(pages)
    squeezed = re.sub(r"[\s-]", "", text)
    for value in planted_personal_data():
        assert value not in text and re.sub(r"[\s-]", "", value) not in squeezed, value
    assert "Show code cell source" not in text
    assert not re.search(r"(?m)^\s*Try it\s*$", text), "an exercise printed in the client's PDF"


def planted_personal_data() -> list[str]:
    truth = yaml.safe_load((SAMPLE_CONFIG.parent / "truth.yml").read_text(encoding="utf-8"))
    return [plant["value"] for plant in truth["privacy_plants"]["pii"]]


def test_manifest_records_inputs_versions_and_the_command(sample_build):
    import hashlib
    import json

    config, _ = sample_build
    record = json.loads((config.results_dir / "manifest.json").read_text(encoding="utf-8"))
    assert record["command"] == "cxanalysis build --pdf client.yml"
    assert record["edition"] == "client" and record["seconds"] > 0
    by_file = {item["file"]: item for item in record["inputs"]}
    for source in config.sources:
        item = by_file[source.path.name]
        assert item["sha256"] == hashlib.sha256(source.path.read_bytes()).hexdigest()
    quality = pd.read_csv(config.results_dir / "data_quality.csv", keep_default_na=False)
    read = quality[quality["outcome"] == "read"].groupby("file")["rows"].sum()
    assert {f: by_file[f]["rows"] for f in read.index} == read.to_dict()
    assert record["packages"]["pandas"] == pd.__version__
    text = json.dumps(record)
    assert str(REPO) not in text and "/data/sample" not in text, "folders must be cut to file names"
    page = (config.build_dir / "html" / "notebooks" / "91_reproducibility.html").read_text(encoding="utf-8")
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
    assert by_file["relational_nps.csv"]["sha256"][:16] in words and "cxanalysis build --pdf client.yml" in words


def test_client_edition_hides_code_and_exercises_and_keeps_method_notes_collapsed(sample_build):
    config, _ = sample_build
    for file in toc_files():
        text = (config.build_dir / "html" / f"{file}.html").read_text(encoding="utf-8")
        assert 'admonition-title">Try it<' not in text, file
        assert "toggle-shown" not in text, file
        for teaching in (
            "cx-objectives",
            "cx-takeaways",
            "cx-discuss",
            "cx-solution",
            "cx-verbatim",
            "glossary.html#term-",
        ):
            assert teaching not in text, (file, teaching)
        for heading in ("Worked example", "Pitfalls", "Journey mapping as a method", "Designing the survey"):
            assert f">{heading}" not in text, (file, heading)


def test_no_count_below_the_anonymity_threshold_is_shown(sample_build):
    """Every table's count columns: a cell under the threshold reads "n < 5", never the number."""
    config, _ = sample_build
    min_n = config.anonymity.min_responses
    count_headings = {"n", "responses", "answers", "comments", "respondents", "customers"}
    for file in toc_files():
        if file.startswith("book/") or file.endswith("90_data_quality"):
            continue  # method pages and the row accounting (file rows, not people) carry no respondent counts
        page = BeautifulSoup((config.build_dir / "html" / f"{file}.html").read_text(encoding="utf-8"), "html.parser")
        for table in page.select("table.cx-table"):
            headings = [th.get_text(strip=True).lower() for th in table.select("thead th")]
            for row in table.select("tbody tr"):
                for heading, cell in zip(headings, row.select("td")):
                    value = cell.get_text(strip=True).replace(",", "")
                    if heading in count_headings and value.isdigit():
                        assert not 0 < int(value) < min_n, f"{file}: {heading} = {value}"
