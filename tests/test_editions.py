"""The client's edition: only what the client reads, the report's own footer, and a PDF that prints
everything the pages hold (the sample book built once for the run, by the ``sample_build`` fixture)."""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, SAMPLE_CONFIG, visible_text
from cxanalysis import load_config
from cxanalysis.manifest import config_summary
from cxanalysis.pdf import _footer, _title_page
from cxanalysis.runner import CONSULTANT_PAGES, _book_config, shown_path

#: Folders of a build machine that must not reach a reader.
MACHINE_FOLDERS = [str(REPO), "/tmp/", "/home/", "/root/"]


def _squeezed(text: str) -> str:
    """Text without spaces, as a PDF reader and a page both give it ("²" as "2", "ﬁ" as "fi")."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _pdf_pages(config, layout: bool = False) -> list[str]:
    """The printed pages' text without their footers, ligatures ("ﬁ") read as their letters; ``layout``
    reads it in the order it is laid out on the page."""
    from pypdf import PdfReader

    pdf = config.build_dir / f"{config.client.slug}-report.pdf"
    mode = "layout" if layout else "plain"
    pages = [
        unicodedata.normalize("NFKC", page.extract_text(extraction_mode=mode) or "") for page in PdfReader(pdf).pages
    ]
    return [text[: footer.start()] if (footer := FOOTER.search(text)) else text for text in pages]


#: A printed page's footer: the report, "page N of M" and the lines of who prepared it, at the page's end.
FOOTER = re.compile(r"^[^\n]*page\s+\d+\s+of\s+\d+[^\n]*(\n.*)?\Z", re.M | re.S)


def _printed_footers(config) -> list[str]:
    from pypdf import PdfReader

    pdf = config.build_dir / f"{config.client.slug}-report.pdf"
    return [" ".join(unicodedata.normalize("NFKC", page.extract_text() or "").split()) for page in PdfReader(pdf).pages]


def _pages(config) -> list[Path]:
    return sorted((config.build_dir / "html").rglob("*.html"))


def _book_pages(config) -> list[Path]:
    html = config.build_dir / "html"
    return [p for p in _pages(config) if p.parent in (html / "notebooks", html / "book")]


@pytest.mark.slow
def test_no_folder_of_the_build_machine_in_the_book_the_notebooks_it_serves_or_the_pdf(sample_build):
    config, _ = sample_build
    html = config.build_dir / "html"
    served = [*html.rglob("*.html"), *html.rglob("*.ipynb"), *html.rglob("*.js"), *html.rglob("*.txt")]
    assert len(served) > 15
    for path in served:
        text = path.read_text(encoding="utf-8", errors="replace")
        for folder in MACHINE_FOLDERS:
            assert folder not in text, (folder, path)
    printed = "\n".join(_pdf_pages(config))
    for folder in MACHINE_FOLDERS:
        assert folder not in printed and _squeezed(folder) not in _squeezed(printed), folder


@pytest.mark.slow
def test_no_download_buttons_sources_or_consultant_pages(sample_build):
    config, _ = sample_build
    html = config.build_dir / "html"
    assert not list(html.rglob("*.ipynb")), "the chapters' notebooks are served with the book"
    for page in _pages(config):
        text = page.read_text(encoding="utf-8")
        assert "Download source" not in text and "download-source-button" not in text, page
        assert "Download notebook" not in text and "launch-buttons" not in text, page
        assert "Running the template for a client" not in text, page
    for consultant_page in CONSULTANT_PAGES:
        assert not (html / f"{consultant_page}.html").exists(), consultant_page
    assert "Running the template for a client" not in "".join(_pdf_pages(config))


@pytest.mark.slow
def test_reproducibility_shows_the_settings_as_a_table_and_no_package_list(sample_build):
    config, _ = sample_build
    record = json.loads((config.results_dir / "manifest.json").read_text(encoding="utf-8"))
    assert len(record["packages"]) > 50, "every package's version stays in the record"
    source = (config.build_dir / "html" / "notebooks" / "91_reproducibility.html").read_text(encoding="utf-8")
    page = BeautifulSoup(source, "html.parser")
    cells = {cell.get_text(strip=True) for cell in page.select("table.cx-table td")}
    listed = [name for name in record["packages"] if name in cells]
    assert len(listed) <= 1, f"packages listed in the book: {listed[:10]}"
    assert "highlight-yaml" not in source, "the config shown as YAML"
    text = visible_text(source)
    assert "results/manifest.json" in text
    settings = [table for table in page.select("table.cx-table") if "Setting" in table.get_text()]
    assert len(settings) == 1
    shown = settings[0].get_text(" ", strip=True)
    for expected in ("Survey exports", "relational_nps.csv", "Reporting periods", "Anonymity", "Scales", "NOK"):
        assert expected in shown, expected


@pytest.mark.slow
def test_every_page_and_the_pdf_name_who_prepared_the_report_and_its_confidentiality(sample_build):
    config, _ = sample_build
    prepared_by, confidentiality = config.report.prepared_by, config.report.confidentiality
    assert prepared_by and confidentiality, "the sample client sets both"
    for page in _book_pages(config):
        footer = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("footer.bd-footer-content")
        assert footer is not None, page
        text = " ".join(footer.get_text(" ").split())
        assert prepared_by in text and confidentiality in text, (page, text)
        assert f"By {config.client.name}" not in text, page
    pages = _printed_footers(config)
    title_page = " ".join(_pdf_pages(config)[0].split())
    assert prepared_by in title_page and confidentiality in title_page, title_page
    assert all(confidentiality in page and prepared_by in page for page in pages), "the footer of every printed page"


def _note_texts(config, title: str) -> list[tuple[Path, list[str]]]:
    """The text of every note with this title in the book, in the pieces between formulas (which the PDF
    prints as typeset glyphs)."""
    notes = []
    for page in _book_pages(config):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for note in soup.select("div.admonition"):
            heading = note.select_one(".admonition-title")
            if heading is None or heading.get_text(strip=True) != title:
                continue
            heading.decompose()
            for math in note.select(".math, mjx-container, script"):
                math.replace_with("\x00")
            pieces = [_squeezed(piece) for piece in note.get_text().split("\x00")]
            notes.append((page, [piece for piece in pieces if len(piece) >= 12]))
    return notes


@pytest.mark.slow
def test_pdf_prints_every_note_the_book_keeps_behind_a_click(sample_build):
    config, _ = sample_build
    printed = _squeezed("".join(_pdf_pages(config, layout=True)))
    notes = _note_texts(config, "How this is computed")
    assert len(notes) >= 8, len(notes)
    for page, pieces in notes:
        for piece in pieces:
            assert piece in printed, (page.name, piece[:120])
    # Tables and readings behind a click print too.
    for page in _book_pages(config):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for details in soup.select("details"):
            summary = details.find("summary")
            if summary is not None:
                summary.decompose()
            words = _squeezed(details.get_text())[:60]
            assert words in printed, (page.name, words)


@pytest.mark.slow
def test_contents_give_each_chapter_the_page_it_starts_on(sample_build):
    config, _ = sample_build
    pages = _pdf_pages(config)
    contents = pages[1]
    assert contents.strip().startswith("Contents")
    entries = [entry for entry in re.findall(r"^(.+?)\s+(\d+)\s*$", contents, re.M) if " page " not in entry[0]]
    assert len(entries) >= 12, contents
    for title, number in entries:
        start = " ".join(pages[int(number) - 1].split())
        assert start.startswith(" ".join(title.split())), (title, number, start[:80])


def _headings(config) -> list[str]:
    found = []
    for page in _book_pages(config):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for heading in soup.select("main h1, main h2, main h3, main h4"):
            for link in heading.select("a.headerlink"):
                link.decompose()
            found.append(" ".join(heading.get_text(" ").split()))
    return found


@pytest.mark.slow
def test_no_heading_is_followed_directly_by_the_next(sample_build):
    config, _ = sample_build
    # On the pages: every section has something between its heading and its first subsection.
    for page in _book_pages(config):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for section in soup.select("main section"):
            children = [c for c in section.children if getattr(c, "name", None) or str(c).strip()]
            if len(children) > 1 and children[0].name in ("h1", "h2", "h3", "h4"):
                assert children[1].name != "section", (page.name, children[0].get_text(strip=True))
    # In the PDF: no heading's line is followed by the next heading's line.
    headings = _headings(config)
    lines = [_squeezed(line) for page in _pdf_pages(config, layout=True) for line in page.splitlines() if line.strip()]
    for heading, following in itertools.pairwise(headings):
        pair = [_squeezed(heading), _squeezed(following)]
        for i in range(len(lines) - 1):
            assert lines[i : i + 2] != pair, f"{heading!r} is empty in the PDF"


HOSTILE = "R&D <img src=x onerror=alert(1)> {raw:html}`<b>x</b>`"


def _sample_with_report(**report):
    config = load_config(SAMPLE_CONFIG)
    return config.model_copy(update={"report": config.report.model_copy(update=report)})


def test_footer_and_title_page_show_the_configured_lines_as_text():
    config = _sample_with_report(prepared_by=f"Prepared by {HOSTILE}", confidentiality=f"Confidential {HOSTILE}")
    book = _book_config(config, teaching=False)
    footer = book["html"]["extra_footer"]
    escaped = "R&amp;D &lt;img src=x onerror=alert(1)&gt;"
    assert footer.count(escaped) == 2 and "<img" not in footer
    assert book["sphinx"]["config"]["html_theme_options"]["footer_content_items"] == ["extra-footer.html"]
    for printed in (_title_page(config), _footer(config)):
        assert printed.count(escaped) == 2 and "<img" not in printed


def test_without_a_preparer_the_footer_names_the_client_as_before():
    config = _sample_with_report(prepared_by="", confidentiality="  ")
    book = _book_config(config, teaching=False)
    assert "footer_content_items" not in book["sphinx"]["config"].get("html_theme_options", {})
    assert "cx-footer-line" not in book["html"]["extra_footer"] and book["author"] == config.client.name
    assert "cx-print-prepared" not in _title_page(config) and "·" not in _footer(config)


def test_client_edition_offers_no_download_and_the_teaching_edition_does():
    config = load_config(SAMPLE_CONFIG)
    client = _book_config(config, teaching=False)
    teaching = _book_config(config, teaching=True)
    assert client["sphinx"]["config"]["html_theme_options"]["use_download_button"] is False
    assert client["sphinx"]["config"]["html_copy_source"] is False
    assert teaching["sphinx"]["config"]["html_theme_options"]["use_download_button"] is True
    assert teaching["sphinx"]["config"]["html_copy_source"] is True


def test_paths_are_shown_from_the_build_folder_or_the_config_folder(tmp_path, monkeypatch):
    config = load_config(SAMPLE_CONFIG)
    monkeypatch.chdir(REPO)
    assert shown_path(config.file, config) == "data/sample/client.yml"
    assert shown_path(config.published_dir, config) == "_build/nordlys"
    monkeypatch.chdir(tmp_path)
    assert shown_path(config.file, config) == "client.yml"
    assert shown_path(Path("/srv/reports/acme"), config) == "acme"


def test_settings_table_names_sources_periods_and_thresholds():
    summary = config_summary(load_config(SAMPLE_CONFIG)).set_index("setting")["value"]
    assert "relational_nps.csv" in summary["Survey exports"] and "transactional.xlsx" in summary["Survey exports"]
    assert summary["Reporting periods"].startswith("quarters")
    assert summary["Anonymity"] == "no number from fewer than 5 responses; no comments from fewer than 8"
    assert "NOK" in summary["Money"] and "/" not in "".join(summary)
