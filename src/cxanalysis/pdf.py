"""The book as a PDF: Jupyter Book's single-page HTML printed by headless Chromium.

Chromium comes from the operating system (Debian's ``chromium`` package);
Playwright drives it, offline. The print adds a title page (with who prepared
the report and its confidentiality line) and a table of contents with each
chapter's page, prints every note and table that the book shows behind a
click open, starts every chapter on a new page, keeps charts and tables
whole, fits tables to the page width, and numbers the pages.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .config import ClientConfig
from .errors import CXInputError
from .paths import BOOK_DIR
from .presentation import long_date
from .runner import footer_lines
from .translation import _

PRINT_CSS = BOOK_DIR / "_static" / "cx-print.css"
#: Where to look for the browser, first match wins; CXANALYSIS_CHROMIUM overrides.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_browser() -> str:
    """The headless Chromium the PDF and the browser tests use."""
    chosen = os.environ.get("CXANALYSIS_CHROMIUM")
    if chosen:
        return chosen
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise CXInputError(
        "no Chromium browser found for printing the PDF",
        fix="install Debian's chromium package (apt-get install -y chromium), "
        "or set CXANALYSIS_CHROMIUM to a Chromium or Chrome executable",
    )


def _title_page(config: ClientConfig) -> str:
    report = config.report
    lines = [
        ("cx-print-subtitle", report.subtitle),
        ("cx-print-date", long_date(dt.date.today())),
        ("cx-print-prepared", report.prepared_by),
        ("cx-print-confidential", report.confidentiality),
        ("cx-print-notice", report.notice),
    ]
    shown = "".join(f'<p class="{css}">{html.escape(text)}</p>' for css, text in lines if text and text.strip())
    return (
        f'<section class="cx-print-title"><p class="cx-print-client">{html.escape(config.client.name)}</p>'
        f'<p class="cx-print-heading">{html.escape(report.heading)}</p>{shown}</section>'
    )


def _footer(config: ClientConfig) -> str:
    """Every printed page's footer: the report, its page number, who prepared it and its confidentiality."""
    style = "width:100%;font-size:8px;color:#666;padding:0 14mm;font-family:sans-serif"
    row = "display:flex;justify-content:space-between;gap:6mm"
    own = " · ".join(html.escape(line) for line in footer_lines(config))
    second = f'<div style="{row};margin-top:1mm"><span>{own}</span></div>' if own else ""
    page = html.escape(_("page {page} of {pages}")).format(
        page='<span class="pageNumber"></span>', pages='<span class="totalPages"></span>'
    )
    return (
        f'<div style="{style}"><div style="{row}"><span>{html.escape(config.client.name)}: '
        f"{html.escape(config.report.heading)}</span><span>{page}</span></div>{second}</div>"
    )


# Runs in the page: open everything a reader of the book can open (notes and tables behind a click), mark
# each chapter (the root page and every page of the table of contents) to start a new page, and put the
# title page and a contents list with a link to each chapter, and room for its page number, before the
# first. Returns each chapter's title as printed.
_ASSEMBLE = """
([titlePage, contents]) => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
  const first = document.querySelector('main section');
  const chapters = [first, ...document.querySelectorAll('div.toctree-wrapper > section')];
  const titles = [];
  const items = chapters.map((section, i) => {
    const heading = section.querySelector('h1, h2').cloneNode(true);
    heading.querySelectorAll('a.headerlink').forEach(a => a.remove());
    titles.push(heading.textContent);
    section.classList.add('cx-print-chapter');
    return `<li><a href="#${section.id}"><span class="cx-print-toc-title">${heading.innerHTML}</span>` +
      `<span class="cx-print-toc-page" data-chapter="${i}"></span></a></li>`;
  });
  const toc = `<section class="cx-print-toc"><h2>${contents}</h2><ul>${items.join('')}</ul></section>`;
  first.insertAdjacentHTML('beforebegin', titlePage + toc);
  return titles;
}
"""

# Runs in the page: write each chapter's first page into the contents.
_PAGE_NUMBERS = """
(pages) => {
  document.querySelectorAll('span.cx-print-toc-page').forEach(span => {
    const page = pages[Number(span.dataset.chapter)];
    span.textContent = page === null ? '' : String(page);
  });
}
"""


def _squeezed(text: str) -> str:
    return "".join(text.split()).casefold()


def chapter_pages(printed: bytes, titles: list[str]) -> list[int | None]:
    """The page (from 1) each chapter starts on in a printed book: the first page, after the previous
    chapter's, whose text begins with the chapter's title; None when not found or no PDF reader is
    installed (the contents then go without page numbers)."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return [None] * len(titles)
    texts = [_squeezed(page.extract_text() or "") for page in PdfReader(io.BytesIO(printed)).pages]
    found: list[int | None] = []
    start = 0
    for title in titles:
        wanted = _squeezed(title)
        hit = next((i for i in range(start, len(texts)) if wanted and texts[i].startswith(wanted)), None)
        found.append(None if hit is None else hit + 1)
        start = start if hit is None else hit + 1
    return found


# Runs in the page, laid out at the printed width: tables, charts and code blocks wider than the page.
_TOO_WIDE = """
() => {
  const width = document.querySelector('main section').getBoundingClientRect().right + 1;
  return Array.from(document.querySelectorAll('table, img, pre'))
    .filter(e => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > width)
    .map(e => {
      const section = e.closest('section[id]');
      const what = e.tagName === 'TABLE' ? (e.caption ? e.caption.textContent : 'a table') : e.tagName.toLowerCase();
      return `${what.trim().slice(0, 80)} (in ${section ? section.id : 'the book'})`;
    });
}
"""
# Runs in the page: waits until MathJax (served from the book's own _static) has typeset the formulas.
_TYPESET = "() => window.MathJax && MathJax.startup ? MathJax.startup.promise.then(() => true) : false"
#: A4 less the side margins, in CSS pixels (96 per inch): the width the print lays pages out at.
PRINT_WIDTH_PX = round((210 - 2 * 14) / 25.4 * 96)


@dataclass(frozen=True)
class PrintedBook:
    pdf: Path
    chapters: int
    too_wide: list[str]


def print_book(config: ClientConfig, single_page: Path, pdf: Path) -> PrintedBook:
    """Print the single-page book to ``pdf``, A4, with a title page, contents and page numbers.

    ``single_page`` is the book as one HTML page; it is read from the folder
    of the single-page build's assets (``_images``, ``_static``), where its
    relative links resolve.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import Page, sync_playwright

    browser_path = find_browser()
    footer = _footer(config)

    def printed(page: Page, path: Path | None = None) -> bytes:
        return page.pdf(
            path=path,
            format="A4",
            print_background=True,
            outline=True,
            tagged=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=footer,
            margin={"top": "16mm", "bottom": "20mm", "left": "14mm", "right": "14mm"},
        )

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=browser_path, args=BROWSER_ARGS)
            page = browser.new_page(viewport={"width": PRINT_WIDTH_PX, "height": 1100})
            page.goto(single_page.resolve().as_uri(), wait_until="load")
            page.evaluate(_TYPESET)
            page.add_style_tag(path=str(PRINT_CSS))
            titles = page.evaluate(_ASSEMBLE, [_title_page(config), html.escape(_("Contents"))])
            page.emulate_media(media="print")
            too_wide = page.evaluate(_TOO_WIDE)
            # Chromium cannot number the contents itself: a first print tells where each chapter starts,
            # and the numbers are written in before the print that is kept. They take room set aside
            # for them, so the second print breaks its pages where the first did.
            pages = chapter_pages(printed(page), titles)
            page.evaluate(_PAGE_NUMBERS, pages)
            printed(page, pdf)
            browser.close()
    except PlaywrightError as exc:
        raise RuntimeError(f"Chromium could not print the PDF ({browser_path}): {exc}") from exc
    chapters = len(titles)
    if not chapters:
        raise RuntimeError(f"no chapters found in {single_page}; the PDF would be empty")
    return PrintedBook(pdf, chapters, too_wide)
