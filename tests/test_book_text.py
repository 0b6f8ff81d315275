"""What a reader sees on the sample book's pages: names rather than ids, one number style, one rounding."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from cxanalysis import presentation
from cxanalysis.sample import LANGUAGES, SURVEYS

pytestmark = pytest.mark.slow

#: The sample's ids that a reader must never meet: surveys, interval methods, language codes.
SURVEY_IDS = (*SURVEYS, "relational_nps")
METHOD_IDS = ("adjusted-wald", "wilson")


def _pages(config) -> dict[str, BeautifulSoup]:
    html = config.published_dir / "html"
    pages = sorted([*(html / "notebooks").glob("*.html"), *(html / "book").glob("*.html"), html / "index.html"])
    return {str(p.relative_to(html)): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser") for p in pages}


def _main_text(page: BeautifulSoup) -> str:
    """The visible text of the page's article (no navigation, scripts or styles)."""
    main = page.find("main") or page.body or page
    for hidden in main.find_all(["script", "style"]):
        hidden.decompose()
    return " ".join(main.get_text(" ").split())


@pytest.fixture(scope="module")
def pages(sample_build):
    config, _ = sample_build
    return config, _pages(config)


def test_no_survey_method_or_language_id_reaches_a_page(pages):
    _, parsed = pages
    found = []
    for name, page in parsed.items():
        text = _main_text(page)
        found += [
            (name, i) for i in (*SURVEY_IDS, *METHOD_IDS) if re.search(rf"(?<![\w.]){re.escape(i)}(?![\w.])", text)
        ]
        for cell in page.find_all(["td", "th"]):
            if cell.get_text(strip=True) in LANGUAGES:
                found.append((name, cell.get_text(strip=True)))
        for image in page.find_all("img"):
            alt = image.get("alt", "")
            found += [
                (name, f"alt: {c}") for c in (*LANGUAGES, *SURVEY_IDS, *METHOD_IDS) if re.search(rf"\b{c}\b", alt)
            ]
    assert not found, found


def test_no_bracketed_plurals_p_zero_or_hyphen_minus_before_a_number(pages):
    _, parsed = pages
    problems = []
    for name, page in parsed.items():
        text = _main_text(page)
        problems += [(name, m.group(0)) for m in re.finditer(r"\w\(s\)", text)]
        problems += [(name, m.group(0)) for m in re.finditer(r"(?<![\d.])0\.000\b", text)]
        for cell in page.find_all("td"):
            if cell.get("data-label", "").lower() == "comment":
                continue  # the customers' own words
            value = cell.get_text(" ", strip=True)
            problems += [(name, value) for _ in re.finditer(r"(?:^|[\s(])-\d", value)]
    assert not problems, problems


def test_dates_on_the_pages_take_one_style(pages):
    """No ISO date (2026-06-30) in the report's text: dates read as the report language writes them."""
    _, parsed = pages
    iso = [
        (name, m.group(0))
        for name, page in parsed.items()
        for m in re.finditer(r"\b20\d\d-[01]\d-[0-3]\d\b", _main_text(page))
    ]
    assert not iso, iso


def test_the_headline_nps_is_rounded_the_same_in_the_summary_a_chapter_and_their_tables(pages):
    config, parsed = pages
    metrics = pd.read_csv(config.results_dir / "metrics.csv")
    latest = metrics[(metrics["dimension"] == "all") & (metrics["metric"] == "nps")].sort_values("period").iloc[-1]
    # The rule typed apart from the package: one significant digit of the half-width, two when it is a 1.
    half = (latest["ci_high"] - latest["ci_low"]) / 2
    exponent = math.floor(math.log10(half))
    decimals = max(0, -exponent + (1 if half / 10**exponent < 2 else 0))

    def shown(value: float) -> str:
        return f"{value:,.{decimals}f}".replace("-", presentation.MINUS)

    estimate, low, high = shown(latest["estimate"]), shown(latest["ci_low"]), shown(latest["ci_high"])
    in_a_table = f"{estimate} ({low} to {high})"
    in_a_sentence = f"NPS {estimate} (95 % CI {low} to {high}"
    summary = parsed["notebooks/00_executive_summary.html"]
    measurement = parsed["notebooks/03_measurement.html"]
    for name, page in (("summary", summary), ("measurement", measurement)):
        cells = [td.get_text(" ", strip=True) for td in page.find_all("td")]
        assert in_a_table in cells, (name, in_a_table)
    sentences = " ".join(_main_text(p) for p in parsed.values())
    assert in_a_sentence in sentences
    # no page shows the same estimate at another precision
    for other in range(4):
        if other != decimals:
            text = f"{latest['estimate']:,.{other}f} ({latest['ci_low']:,.{other}f} to {latest['ci_high']:,.{other}f})"
            assert all(text.replace("-", presentation.MINUS) not in _main_text(p) for p in parsed.values()), other
