"""The sample book built in Norwegian (bokmål): every page in the language, numbers and dates as Babel
writes them for it, and the translated paragraphs quoting the chapters' glued values."""

from __future__ import annotations

import re
import shutil
import subprocess

import pandas as pd
import pytest
import yaml
from babel.dates import format_date
from babel.numbers import format_decimal

from conftest import CLI, SAMPLE_CONFIG, visible_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def norwegian_book(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nb") / "nordlys"
    shutil.copytree(SAMPLE_CONFIG.parent, folder, ignore=shutil.ignore_patterns(".*.yml"))
    config = yaml.safe_load((folder / "client.yml").read_text(encoding="utf-8"))
    config["output_dir"] = str(folder.parent / "build")
    (folder / "client.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    done = subprocess.run(
        [CLI, "build", "--language", "nb", str(folder / "client.yml")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    build = folder.parent / "build" / "nordlys"
    pages = {p.name: p.read_text(encoding="utf-8") for p in (build / "html").rglob("*.html")}
    pages = {name: page for name, page in pages.items() if "<html" in page}  # not the index's redirect
    return build, pages


def test_every_page_is_in_norwegian_with_its_interface(norwegian_book):
    _, pages = norwegian_book
    assert len(pages) >= 14
    for name, page in pages.items():
        assert '<html lang="nb-NO"' in page, name
    summary = visible_text(pages["00_executive_summary.html"])
    assert "Sammendrag" in summary and "Søk" in summary  # the page's title and the theme's search box
    assert "Kort fortalt:" in summary and "In short" not in summary
    assert re.search(r"\d \(\d+ til \d+\)", summary)  # an estimate with its interval: "14 (7 til 20)"


def test_numbers_and_dates_are_written_as_babel_writes_them_in_norwegian(norwegian_book):
    build, pages = norwegian_book
    summary = visible_text(pages["00_executive_summary.html"])
    read = pd.read_csv(build / "results" / "data_quality.csv")
    rows = int(read.loc[read["outcome"] == "read", "rows"].sum())
    # "11 500" and "30. juni 2026" as Babel writes them (the page's visible text has plain spaces)
    assert re.sub(r"\s", " ", format_decimal(rows, format="#,##0", locale="nb_NO")) in summary
    deadline = pd.Timestamp("2026-06-30").date()
    assert re.sub(r"\s", " ", format_date(deadline, "medium", locale="nb")) in summary
    assert "11,500" not in summary


def test_translated_paragraphs_quote_the_chapters_glued_values(norwegian_book):
    _, pages = norwegian_book
    significance = visible_text(pages["05_significance.html"])
    assert "0,05" in significance  # the report's significance level, glued by the chapter, in Norwegian style


def test_the_books_own_words_and_the_themes_interface_are_norwegian(norwegian_book):
    _, pages = norwegian_book
    page = pages["00_executive_summary.html"]
    shown = visible_text(page)
    for norwegian in ("Programmet steg for steg", "Vedlegg", "Hopp til hovedinnholdet", "Til toppen"):
        assert norwegian in page, norwegian
    for english in ("The program, step by step", "Appendices", "Skip to main content", "Back to top", "Built with"):
        assert english not in page, english
    assert "Søk i boken" in page  # the search box's placeholder
    assert "Least satisfied" not in visible_text(pages["04_free_text.html"]) and shown


def test_the_action_plan_spreadsheet_is_norwegian_and_its_csv_keeps_the_ids(norwegian_book):
    import openpyxl

    from cxanalysis import display, presentation

    build, _ = norwegian_book
    ids = pd.read_csv(build / "results" / "action_plan.csv").columns.tolist()
    sheet = openpyxl.load_workbook(build / "results" / "action_plan.xlsx").active
    headings = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    presentation.set_language("nb")
    try:
        expected = [display.heading(column) for column in ids]
    finally:
        presentation.set_language("en")
    assert "rank" in ids and "priority" in ids  # stable ids for scripts
    assert headings == expected and "Prioritet" in headings


def test_the_method_pages_formulas_are_typeset_in_norwegian_not_lost(norwegian_book):
    """A formula with words in it (the interval, KI in Norwegian) is translated as a formula: MyST once read
    Sphinx's translated literal block as a paragraph, and the page showed '::' where the formula was."""
    _, pages = norwegian_book
    method = pages["method.html"]
    formulas = re.findall(r'<div class="math[^"]*"[^>]*>\s*\\\[(.*?)\\\]</div>', method, flags=re.S)
    assert formulas and not [f for f in formulas if f.strip() in ("", "::")], formulas
    assert any(r"\mathrm{KI}" in f for f in formulas) and not any(r"\mathrm{CI}" in f for f in formulas)
    assert "Kundeopplevelsesrapport 2025" in visible_text(pages["00_executive_summary.html"])  # the cover's title
