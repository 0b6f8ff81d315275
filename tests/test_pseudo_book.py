"""The sample book built in the test language, where every catalogue message is wrapped in ⟦ ⟧: any word a
reader sees that is neither marked nor the client's own data is text that no translator can reach."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from babel import Locale
from babel.dates import get_month_names
from sphinx.locale import admonitionlabels

from conftest import SAMPLE_CONFIG
from cxanalysis import load_config
from cxanalysis.client import ClientData
from cxanalysis.themes import load_taxonomy
from cxanalysis.translation import PSEUDO_CLOSE, PSEUDO_OPEN

pytestmark = pytest.mark.slow

WORD = re.compile(r"[^\W\d_][\w'’-]*(?:\.[\w-]+)*")
#: Not words of the report's language: a file's path, and the names of the methods' authors.
PATH = re.compile(r"\S+/\S+")
#: A file's fingerprint or the template's commit: hexadecimal with at least one digit, whole.
FINGERPRINT = re.compile(r"\b(?=[0-9a-f]*\d)[0-9a-f]{7,}\b")
PROPER_NAMES = {"holm", "benjamini-hochberg", "p"}  # p: the p-value's symbol, as in "p = 0.04"
MARKED = re.compile(f"{PSEUDO_OPEN}[^{PSEUDO_OPEN}{PSEUDO_CLOSE}]*{PSEUDO_CLOSE}")
BUILD = """
from pathlib import Path
from cxanalysis import load_config, runner
config = load_config({config!r}, language="pseudo").model_copy(update={{"output_dir": Path({output!r})}})
runner.build(config)
"""


@pytest.fixture(scope="module")
def pseudo_book(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("pseudo")
    code = BUILD.format(config=str(SAMPLE_CONFIG), output=str(output))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return output / load_config(SAMPLE_CONFIG).client.slug / "html"


def _strings(node) -> list[str]:
    if isinstance(node, dict):
        return [text for value in node.values() for text in _strings(value)]  # keys are the config's ids
    if isinstance(node, list):
        return [text for value in node for text in _strings(value)]
    return [] if node is None else [str(node)]


@pytest.fixture(scope="module")
def client_words() -> tuple[list[str], set[str]]:
    """What the client's own files say: whole texts (comments, names), longest first, and their words."""
    client = ClientData(load_config(SAMPLE_CONFIG))
    texts: list[str] = []
    for path in [SAMPLE_CONFIG, client.config.journey, client.config.stakeholders]:
        texts += _strings(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
    for theme in load_taxonomy(client.config.themes).values():
        texts += [theme.label, *theme.labels.values()]
    for frame in (client.responses, client.tickets, client.customers):
        assert frame is not None
        for column in frame.columns:
            if not (frame[column].dtype == object or str(frame[column].dtype) in ("category", "string")):
                continue
            texts += [str(v) for v in frame[column].dropna().unique()]
    texts += [SAMPLE_CONFIG.name, *(source.path.name for source in client.config.sources)]
    texts += [*client.config.privacy.patterns, *client.config.segments, *client.config.attributes]  # ids it names
    how_read = client.data_check.files  # formats, encodings, delimiters and sheets: the files' own
    texts += [str(v) for column in ("format", "encoding", "delimiter", "sheet") for v in how_read[column]]
    # The config's period settings are ids ("quarter"), not the client's words: a reader must see them translated.
    vocabulary = {word.casefold() for text in texts for word in WORD.findall(text)} - {"month", "quarter", "year"}
    return sorted(set(texts), key=len, reverse=True), vocabulary


def _shown(page: str) -> str:
    """The page's article and navigation as a reader meets them: text, image descriptions and the labels
    a narrow screen shows beside each table cell."""
    parts = [
        m.group(0)
        for m in re.finditer(r'<nav class="bd-docs-nav.*?</nav>|<article class="bd-article".*?</article>', page, re.S)
    ]
    fragment = " ".join(parts)
    fragment = re.sub(r"<(script|style)\b.*?</\1>", " ", fragment, flags=re.S)
    fragment = re.sub(r'\b(?:alt|data-label)="([^"]*)"', r"> \1 <", fragment)
    # Sphinx sets a formula of several lines in a LaTeX environment of its own (\begin{split}...\end{split}).
    fragment = re.sub(r"\\(?:begin|end)\{\w+\*?\}", " ", fragment)
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _unmarked(text: str) -> str:
    while True:
        stripped = MARKED.sub(" ", text)
        if stripped == text:
            return text
        text = stripped


def test_every_word_on_every_page_is_translatable_or_the_clients_own(pseudo_book, client_words):
    texts, vocabulary = client_words
    interface = {  # Sphinx's own labels, translated by its catalogues (a "Note" is "Merknad" in bokmål)
        word.casefold() for label in admonitionlabels.values() for word in WORD.findall(str(label))
    }
    months = {str(name).casefold() for name in get_month_names("abbreviated", locale="en").values()}
    # a comment's language is named by Babel in the report language (English in the test language)
    languages = {word.casefold() for name in Locale("en").languages.values() for word in WORD.findall(name)}
    pages = sorted(p for p in pseudo_book.rglob("*.html") if p.parent.name in ("notebooks", "book"))
    assert len(pages) >= 13
    untranslated: dict[str, list[str]] = {}
    marked_pages = 0
    for page in pages:
        shown = _shown(page.read_text(encoding="utf-8"))
        marked_pages += PSEUDO_OPEN in shown
        rest = FINGERPRINT.sub(" ", PATH.sub(" ", _unmarked(shown)))
        for text in texts:
            if len(text) > 3 and text in rest:
                rest = rest.replace(text, " ")
        words = [
            word
            for word in WORD.findall(rest)
            if word.casefold() not in vocabulary | interface | months | languages | PROPER_NAMES
        ]
        if words:
            untranslated[page.name] = sorted(set(words))
    assert marked_pages == len(pages)
    assert not untranslated, f"text outside the catalogues: {untranslated}"


def test_the_marks_close_on_every_page(pseudo_book):
    """A message cut apart after translation (a chart's reading slicing an interval, say) leaves a mark
    open."""
    for page in sorted(pseudo_book.rglob("*.html")):
        if page.parent.name not in ("notebooks", "book"):
            continue
        shown = _shown(page.read_text(encoding="utf-8"))
        assert shown.count(PSEUDO_OPEN) == shown.count(PSEUDO_CLOSE), page.name
        assert _unmarked(shown).count(PSEUDO_OPEN) == 0, page.name
