"""The book as a PDF: Jupyter Book's single-page HTML printed by headless Chromium.

Chromium comes from the operating system (Debian's ``chromium`` package);
Playwright drives it, offline. The print adds a title page and a table of
contents, starts every chapter on a new page, keeps charts and table rows
whole, fits tables to the page width, and numbers the pages.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .config import ClientConfig
from .errors import CXInputError
from .paths import BOOK_DIR

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
    subtitle = f'<p class="cx-print-subtitle">{html.escape(report.subtitle)}</p>' if report.subtitle else ""
    notice = f'<p class="cx-print-notice">{html.escape(report.notice)}</p>' if report.notice else ""
    today = dt.date.today().strftime("%d %B %Y").lstrip("0")
    return (
        f'<section class="cx-print-title"><p class="cx-print-client">{html.escape(config.client.name)}</p>'
        f'<p class="cx-print-heading">{html.escape(report.title)}</p>{subtitle}<p class="cx-print-date">{today}</p>{notice}</section>'
    )


# Runs in the page: mark each chapter (the root page and every page of the table of contents) to start
# a new page, and put the title page and a contents list with a link to each chapter before the first.
_ASSEMBLE = """
([titlePage]) => {
  const first = document.querySelector('main section');
  const chapters = [first, ...document.querySelectorAll('div.toctree-wrapper > section')];
  const items = chapters.map((section, i) => {
    const heading = section.querySelector('h1, h2').cloneNode(true);
    heading.querySelectorAll('a.headerlink').forEach(a => a.remove());
    section.classList.add('cx-print-chapter');
    return `<li><a href="#${section.id}">${heading.innerHTML}</a></li>`;
  });
  const toc = `<section class="cx-print-toc"><h2>Contents</h2><ul>${items.join('')}</ul></section>`;
  first.insertAdjacentHTML('beforebegin', titlePage + toc);
  return chapters.length;
}
"""


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
    from playwright.sync_api import sync_playwright

    browser_path = find_browser()
    footer = (
        f'<div style="width:100%;font-size:8px;color:#666;padding:0 14mm;display:flex;'
        f'justify-content:space-between;font-family:sans-serif"><span>{html.escape(config.client.name)}: '
        f'{html.escape(config.report.title)}</span><span>page <span class="pageNumber"></span> of '
        f'<span class="totalPages"></span></span></div>'
    )
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=browser_path, args=BROWSER_ARGS)
            page = browser.new_page(viewport={"width": PRINT_WIDTH_PX, "height": 1100})
            page.goto(single_page.resolve().as_uri(), wait_until="load")
            page.add_style_tag(path=str(PRINT_CSS))
            chapters = page.evaluate(_ASSEMBLE, [_title_page(config)])
            page.emulate_media(media="print")
            too_wide = page.evaluate(_TOO_WIDE)
            page.pdf(
                path=str(pdf),
                format="A4",
                print_background=True,
                outline=True,
                tagged=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=footer,
                margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
            )
            browser.close()
    except PlaywrightError as exc:
        raise RuntimeError(f"Chromium could not print the PDF ({browser_path}): {exc}") from exc
    if not chapters:
        raise RuntimeError(f"no chapters found in {single_page}; the PDF would be empty")
    return PrintedBook(pdf, chapters, too_wide)
