"""The sample book as a reader with assistive technology meets it: every page checked with the axe-core rules.

Each HTML page of the built sample book is opened in headless Chromium and checked with axe-core (bundled
with axe-playwright-python, so nothing is downloaded). No page may break a rule axe rates serious or
critical: missing alt text, text with too little contrast, controls without names, regions the keyboard
cannot reach, and the like. Every chart's image describes the chart, not its file.
"""

from __future__ import annotations

import re

import pytest

from browser import visit_book

pytestmark = pytest.mark.slow

#: Impacts a page may not have.
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def visits(sample_build):
    config, _ = sample_build
    html = config.build_dir / "html"
    return html, visit_book(html, accessibility=True)


def test_no_page_breaks_a_serious_or_critical_accessibility_rule(visits):
    html, pages = visits
    assert pages
    found = {
        visit.page.relative_to(html).as_posix(): [
            line for line, (impact, _) in zip(visit.violations, visit.rules) if impact in BLOCKING
        ]
        for visit in pages
    }
    report = "\n".join(f"{page}: {line}" for page, lines in found.items() for line in lines)
    if report:
        print(f"Accessibility violations (axe-core):\n{report}")
    minor = "\n".join(f"{v.page.relative_to(html).as_posix()}: {line}" for v in pages for line in v.violations)
    print(f"All axe-core findings, any impact:\n{minor or 'none'}")
    assert not report, f"serious or critical accessibility violations:\n{report}"


def test_every_chart_image_says_what_it_shows(visits):
    html, _ = visits
    charts = 0
    for page in (html / "notebooks").glob("*.html"):
        for tag in re.findall(r"<img [^>]*>", page.read_text(encoding="utf-8")):
            if "data:image/png" not in tag:
                continue
            charts += 1
            alt = re.search(r'alt="([^"]*)"', tag)
            assert alt is not None, (page.name, tag[:120])
            text = alt.group(1)
            assert len(text.split()) >= 6 and not re.search(r"\.png\b|_images/", text), (page.name, text)
    assert charts >= 20, charts
