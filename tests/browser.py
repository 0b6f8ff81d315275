"""A reader's browser for the tests: every page of a built book opened in headless Chromium.

Each visit records console errors, uncaught page errors, dialogs opened by
scripts (an alert would mean text from the data ran as code), images that did
not load, and links to pages or anchors of the book that do not exist; on
request, the page's accessibility violations as the axe-core rules find them.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from cxanalysis.pdf import BROWSER_ARGS, find_browser

# Runs in the page: images that did not load, and every link with its target.
_INSPECT = """
() => ({
  brokenImages: Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src),
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
  text: document.body.innerText,
  title: document.title,
  formulas: document.querySelectorAll('mjx-container').length,
  rawFormulas: Array.from(document.querySelectorAll('.math')).filter(e => !e.querySelector('mjx-container')).length,
})
"""
# Runs in the page: waits until MathJax (served from the book's own _static) has typeset the page's formulas.
_TYPESET = "() => window.MathJax && MathJax.startup ? MathJax.startup.promise.then(() => true) : false"


@dataclass
class PageVisit:
    page: Path
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    broken_links: list[str] = field(default_factory=list)
    text: str = ""
    title: str = ""
    #: One line per element that breaks an axe-core rule: impact, rule id, what the rule asks, the element.
    violations: list[str] = field(default_factory=list)
    #: The same, as (impact, rule id) pairs, to filter by impact.
    rules: list[tuple[str, str]] = field(default_factory=list)
    #: Requests for anything outside the machine (the book must read with no network); they are refused.
    external_requests: list[str] = field(default_factory=list)
    #: Formulas typeset by MathJax, and formulas left as source.
    formulas: int = 0
    raw_formulas: int = 0


def _anchors(page: Path, cache: dict[Path, str]) -> str:
    if page not in cache:
        cache[page] = page.read_text(encoding="utf-8", errors="replace")
    return cache[page]


def _broken_links(links: list[str], html_root: Path, cache: dict[Path, str]) -> list[str]:
    broken = []
    for link in links:
        url = urlparse(link)
        if url.scheme != "file":
            continue  # the book's pages carry no links outside the book; external ones are not fetched
        target = Path(unquote(url.path))
        if target.is_dir():
            target = target / "index.html"
        if not target.exists() or (
            url.fragment
            and html_root in target.parents
            and target.suffix == ".html"
            and f'id="{unquote(url.fragment)}"' not in _anchors(target, cache)
        ):
            broken.append(link)
    return broken


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_browser(), args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _accessibility(page, visit: PageVisit) -> None:
    """Run the axe-core rules (bundled with axe-playwright-python, nothing downloaded) on the open page."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response
    for rule in found["violations"]:
        impact = rule.get("impact") or "unknown"
        for node in rule["nodes"]:
            target = " ".join(str(t) for t in node.get("target", []))
            html = " ".join(str(node.get("html", "")).split())[:160]
            visit.violations.append(f"{impact} {rule['id']} ({rule['help']}): {target} {html}")
            visit.rules.append((impact, rule["id"]))


def visit_book(
    html_root: Path,
    screenshots: Path | None = None,
    width: int = 1280,
    height: int = 2400,
    accessibility: bool = False,
) -> list[PageVisit]:
    """Open every page of a built book (the redirecting index.html aside); save a screenshot of each
    into ``screenshots``; with ``accessibility``, record each page's axe-core violations."""
    pages = [
        p
        for p in sorted(html_root.rglob("*.html"))
        if "_static" not in p.parts
        and not p.read_text(encoding="utf-8", errors="replace").startswith('<meta http-equiv="Refresh"')
    ]
    visits, cache = [], {}
    with chromium() as browser:
        context = browser.new_context(viewport={"width": width, "height": height})
        for path in pages:
            visit = PageVisit(path)
            page = context.new_page()

            def outside(route, v=visit):
                v.external_requests.append(route.request.url)
                route.abort()

            page.route(re.compile(r"^(?!file:|data:|blob:|about:)"), outside)
            page.on("console", lambda m, v=visit: v.console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e, v=visit: v.page_errors.append(str(e)))

            def on_dialog(dialog, v=visit):
                v.dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            page.goto(path.resolve().as_uri(), wait_until="load")
            page.wait_for_timeout(150)  # let the theme's scripts settle
            page.evaluate(_TYPESET)
            found = page.evaluate(_INSPECT)
            visit.formulas, visit.raw_formulas = found["formulas"], found["rawFormulas"]
            visit.broken_images = found["brokenImages"]
            visit.broken_links = _broken_links(found["links"], html_root.resolve(), cache)
            visit.text, visit.title = found["text"], found["title"]
            if accessibility:
                _accessibility(page, visit)
            if screenshots is not None:
                screenshots.mkdir(parents=True, exist_ok=True)
                name = path.relative_to(html_root).with_suffix(".png").as_posix().replace("/", "__")
                page.screenshot(path=str(screenshots / name))
            page.close()
            visits.append(visit)
        context.close()
    return visits
