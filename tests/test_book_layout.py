"""Nothing in the book is wider than its text column: a reader (and the PDF) never meets a table cut off on
the right. Every page of the sample book at a desktop width, and the executive summary on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

# Runs in the page: every collapsed part opened, then each table and image of the article measured against
# the box that holds it (a table's own scrolling wrapper, else the text column).
_MEASURE = """
() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
  const column = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  const edge = column.getBoundingClientRect();
  const limit = Math.min(edge.right, document.documentElement.clientWidth);
  const found = [];
  const wider = (name, width, room, right) => {
    if (width > room + 1 || right > limit + 1) {
      found.push(`${name}: ${Math.round(width)} px wide in a column of ${Math.round(room)} px`);
    }
  };
  for (const table of column.querySelectorAll('table')) {
    const caption = table.caption ? table.caption.innerText
      : Array.from(table.querySelectorAll('th')).slice(0, 4).map(th => th.innerText).join(' | ');
    const name = `table "${caption.replace(/\\s+/g, ' ').trim().slice(0, 90)}"`;
    const wrap = table.closest('.cx-table-wrap');
    const box = table.getBoundingClientRect();
    if (wrap) {
      wider(name, Math.max(table.scrollWidth, box.width, wrap.scrollWidth), wrap.clientWidth, box.right);
      wider(`${name} (its wrapper)`, wrap.getBoundingClientRect().width, column.clientWidth,
            wrap.getBoundingClientRect().right);
    } else {
      wider(name, Math.max(table.scrollWidth, box.width), column.clientWidth, box.right);
    }
  }
  for (const image of column.querySelectorAll('img')) {
    const box = image.getBoundingClientRect();
    wider(`image ${image.getAttribute('alt') || image.src.split('/').pop()}`, box.width, column.clientWidth,
          box.right);
  }
  return {found, tables: column.querySelectorAll('table').length};
}
"""


def book_pages(html_root: Path) -> list[Path]:
    """The book's pages, as a reader opens them (the redirecting index.html aside)."""
    return [
        page
        for page in sorted(html_root.rglob("*.html"))
        if "_static" not in page.parts
        and not page.read_text(encoding="utf-8", errors="replace").startswith('<meta http-equiv="Refresh"')
    ]


def too_wide(pages: list[Path], html_root: Path, width: int) -> tuple[list[str], int]:
    """Every table or image wider than its column at this window width, as "page: what", and the tables seen."""
    from browser import chromium

    problems, tables = [], 0
    with chromium() as browser:
        context = browser.new_context(viewport={"width": width, "height": 1000})
        for path in pages:
            page = context.new_page()
            page.goto(path.resolve().as_uri(), wait_until="load")
            page.wait_for_timeout(150)  # let the theme's scripts settle
            measured = page.evaluate(_MEASURE)
            tables += measured["tables"]
            problems += [f"{path.relative_to(html_root)} at {width} px: {item}" for item in measured["found"]]
            page.close()
        context.close()
    return problems, tables


def test_no_table_or_image_is_wider_than_the_text_column(sample_build):
    config, _ = sample_build
    html_root = config.build_dir / "html"
    pages = book_pages(html_root)
    assert len(pages) >= 11
    problems, tables = too_wide(pages, html_root, 1280)
    assert tables >= 20, "the measurement found too few tables to be looking at the book"
    assert not problems, "\n".join(problems)


def test_the_executive_summary_fits_a_phone(sample_build):
    """At 390 px a table stacks its rows, each value after its column's name: no column is cut off."""
    config, _ = sample_build
    html_root = config.build_dir / "html"
    summary = html_root / "notebooks" / "00_executive_summary.html"
    problems, tables = too_wide([summary], html_root, 390)
    assert tables >= 2
    assert not problems, "\n".join(problems)
