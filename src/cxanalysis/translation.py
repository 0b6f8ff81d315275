"""The report's own words in the report's language, from gettext catalogues a translator maintains.

Every sentence, label and caption the package writes is a message: a text
in English, written with named placeholders and passed through
:func:`gettext` (imported as ``_``) or, for a count, :func:`ngettext`::

    _("{name} rose {change} points").format(name=..., change=...)

Each language has one catalogue, ``locale/<language>/LC_MESSAGES/cxanalysis.po``
(gettext's PO format, read with Babel), kept complete by translators:
``make messages`` extracts the messages from the package into
``locale/cxanalysis.pot`` and adds new ones to each catalogue, untranslated.
A message a catalogue does not translate is never shown in English without
a word: it is recorded, the build names the missing messages, and the
catalogue test fails.

Two further languages serve the tests: ``en`` shows each message as written,
and :data:`PSEUDO` wraps each in ⟦ ⟧, so a page built in it shows at a glance
any text that did not pass through a catalogue.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import IO, Any

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from . import presentation

#: Where the catalogues live, one folder per language.
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "cxanalysis"
#: The message template ``make messages`` writes: every message of the package and the chapters.
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
#: Languages whose catalogue is complete. A language is added here once a translator has
#: translated every message of its catalogue; from then on, a message its catalogue does not
#: translate (a new one, after ``make messages``) fails the tests.
COMPLETE_LANGUAGES: tuple[str, ...] = ("nb", "da", "sv")
#: The test language: every message wrapped in ⟦ ⟧, numbers and dates in English style.
PSEUDO = "pseudo"
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"

#: The functions whose arguments are messages, as ``pybabel extract -k`` reads them (``make messages``
#: passes the same list): a count's noun is the second and third argument of
#: :func:`cxanalysis.presentation.plural`.
EXTRACT_KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "plural": (2, 3),
    "N_": None,
}

_missing: set[str] = set()


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalogue(language: str) -> Catalog:
    """The language's catalogue as a translator left it (an empty one when there is none yet)."""
    path = catalogue_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN)
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


@cache
def _translations(language: str) -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    """Every translated message of the language: msgid (or the singular and plural pair) to msgstr."""
    found: dict[str | tuple[str, str], str | tuple[str, ...]] = {}
    for message in catalogue(language):
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, (list, tuple)):
            string = message.string
            strings = tuple(str(s or "") for s in (string if isinstance(string, (list, tuple)) else (string,)))
            if all(strings):
                found[(str(message.id[0]), str(message.id[1]))] = strings
                # A catalogue holds one entry per text: a word used both alone ("month") and as the
                # singular of a count is translated once, in its plural entry.
                found.setdefault(str(message.id[0]), strings[0])
        elif message.string:
            found[str(message.id)] = str(message.string)
    return found


def gettext(message: str) -> str:
    """The message in the report's language (:func:`cxanalysis.presentation.language`)."""
    language = presentation.language()
    if language == "en":
        return message
    if language == PSEUDO:
        return _pseudo(message)
    translated = _translations(language).get(message)
    if not isinstance(translated, str):
        _missing.add(message)
        return message
    return translated


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural message for ``count``, by the report language's plural rule."""
    language = presentation.language()
    if language in ("en", PSEUDO):
        chosen = singular if count == 1 else plural
        return _pseudo(chosen, singular) if language == PSEUDO else chosen
    forms = _translations(language).get((singular, plural))
    if not isinstance(forms, tuple):
        _missing.add(singular)
        return singular if count == 1 else plural
    # English, bokmål, Danish and Swedish have two forms: one, and every other count.
    return forms[0 if Locale.parse(language).plural_form(count) == "one" else min(1, len(forms) - 1)]


@cache
def _template_ids() -> frozenset[str]:
    """Every message of the committed template (a message with plural forms by its singular)."""
    with TEMPLATE.open("rb") as handle:
        return frozenset(_message_key(message.id) for message in read_po(handle, domain=DOMAIN) if message.id)


def _pseudo(message: str, key: str | None = None) -> str:
    """The message as a complete catalogue would give it in the test language: marked when the template
    has it; as written (and recorded as missing) when it has not, as a text composed at run time would
    reach a reader in English."""
    if (key or message) not in _template_ids():
        _missing.add(key or message)
        return message
    # Only the message's own words are marked, not its placeholders: a value filled in later must be marked
    # itself (a message) or be the client's data.
    return "".join(
        f"{PSEUDO_OPEN}{part}{PSEUDO_CLOSE}" if not _PLACEHOLDER.fullmatch(part) and _LETTER.search(part) else part
        for part in _PLACEHOLDER.split(message)
    )


_PLACEHOLDER = re.compile(r"(\{[^{}]*\})")
_LETTER = re.compile(r"[^\W\d_]")


def missing() -> list[str]:
    """The messages shown so far that the report language's catalogue does not translate."""
    return sorted(_missing)


def _message_key(message_id: str | tuple[str, ...] | list[str]) -> str:
    """A message's msgid: the singular of a message with plural forms."""
    return str(message_id[0]) if isinstance(message_id, (list, tuple)) else str(message_id)


def untranslated(language: str) -> list[str]:
    """The messages of the committed template that the language's catalogue does not translate.

    A message counts as untranslated when its catalogue has no entry for it, an
    empty translation (or an empty plural form), or one marked fuzzy. A message
    with plural forms is named by its singular.
    """
    with TEMPLATE.open("rb") as handle:
        template = read_po(handle, domain=DOMAIN)
    wanted = {_message_key(message.id): message.id for message in template if message.id}
    translations = _translations(language)
    found: dict[str, str | tuple[str, str]] = {key: key for key in translations if isinstance(key, str)}
    found |= {key[0]: key for key in translations if isinstance(key, tuple)}  # a plural entry over its singular
    missing_ids = []
    for key, message_id in wanted.items():
        if key not in found or isinstance(message_id, (list, tuple)) != isinstance(found[key], tuple):
            missing_ids.append(key)
    return sorted(missing_ids)


def untranslated_report(language: str) -> str | None:
    """One line for the build: how many messages the report language's catalogue lacks, and where to add them.

    None for English and the test language, and for a complete catalogue.
    """
    if language in ("en", PSEUDO):
        return None
    count = len(untranslated(language)) + len(untranslated_pages(language))
    if not count:
        return None
    noun = "message is" if count == 1 else "messages are"
    return (
        f"Report language {language}: {count} {noun} not translated yet and will be shown in English; "
        f"translate them in {catalogue_path(language)} and {page_locale_dir() / language / 'LC_MESSAGES'}"
    )


def untranslated_pages(language: str) -> list[str]:
    """The paragraphs of the page templates (``book/locale/<folder>.pot``) the language's page catalogues
    leave untranslated (missing, empty or fuzzy)."""
    missing_ids: list[str] = []
    for domain in PAGE_DOMAINS:
        template_path = page_locale_dir() / f"{domain}.pot"
        if not template_path.exists():
            continue
        with template_path.open("rb") as handle:
            template = read_po(handle, domain=domain)
        path = page_locale_dir() / language / "LC_MESSAGES" / f"{domain}.po"
        done: set[str] = set()
        if path.exists():
            with path.open("rb") as handle:
                done = {
                    str(m.id)
                    for m in read_po(handle, locale=language, domain=domain)
                    if m.id and m.string and not m.fuzzy
                }
        missing_ids += sorted(str(m.id) for m in template if m.id and str(m.id) not in done)
    return missing_ids


def N_(message: str) -> str:
    """The message unchanged: marks it for extraction where :func:`gettext` cannot run yet.

    A text written at import time (a dictionary's values, a module constant) is
    marked with ``N_`` so ``make messages`` finds it, and passed through ``_``
    where it is shown, when the report language is known::

        LABELS = {"nps": N_("Net Promoter Score")}
        ...
        _(LABELS["nps"])
    """
    return message


def extract_notebook(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, Any, Any, Any]]:
    """Babel extraction method for the chapters: the messages in a jupytext notebook's code cells.

    Each code cell is read with jupytext and handed to Babel's Python
    extractor; line numbers are those of the notebook file, so a translator
    finds the caption where it is written. Configured in ``babel.cfg``.
    """
    import jupytext
    from babel.messages.extract import extract_python

    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    fmt = options.get("format", "md:myst")
    notebook = jupytext.reads(text, fmt=fmt)
    position = 0
    for cell in notebook.cells:
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        found = text.find(cell.source, position)
        offset = 0 if found < 0 else text.count("\n", 0, found)
        if found >= 0:
            position = found + len(cell.source)
        source = io.BytesIO(cell.source.encode("utf-8"))
        for lineno, funcname, messages, comments in extract_python(
            source, keywords, comment_tags, {"encoding": "utf-8"}
        ):
            yield lineno + offset, funcname, messages, comments


_ = gettext

__all__ = [
    "COMPLETE_LANGUAGES",
    "DOMAIN",
    "EXTRACT_KEYWORDS",
    "LOCALE_DIR",
    "N_",
    "PSEUDO",
    "TEMPLATE",
    "catalogue",
    "extract_notebook",
    "gettext",
    "missing",
    "ngettext",
]


#: The page text (chapter narratives, method, glossary) has Sphinx's own catalogues, one per folder of
#: pages: ``book/locale/<language>/LC_MESSAGES/notebooks.po`` and ``book.po``, beside their templates.
PAGE_DOMAINS = ("notebooks", "book")
#: The languages whose catalogues a translator keeps (English is the source).
CATALOGUE_LANGUAGES = ("nb", "da", "sv")


def page_locale_dir() -> Path:
    from .paths import BOOK_DIR

    return BOOK_DIR / "locale"


def extract_pages(workdir: Path) -> dict[str, Catalog]:
    """The page text of the book as Sphinx's gettext builder extracts it, one template per folder of pages.

    Built from a copy of the template's pages in ``workdir`` with the chapters left unexecuted, so only
    the written narrative is extracted, never a chapter's output.
    """
    import shutil
    import subprocess
    import sys

    import yaml

    from .paths import BOOK_CONFIG, BOOK_TOC, TEMPLATE_DIR

    for name in ("notebooks", "book"):
        shutil.copytree(TEMPLATE_DIR / name, workdir / name, ignore=shutil.ignore_patterns("__pycache__", "locale"))
    shutil.copy(BOOK_TOC, workdir / "_toc.yml")
    book = yaml.safe_load(BOOK_CONFIG.read_text(encoding="utf-8"))
    book["execute"] = {**book.get("execute", {}), "execute_notebooks": "off"}
    (workdir / "_config.yml").write_text(yaml.safe_dump(book, sort_keys=False), encoding="utf-8")
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", ".", "--builder", "custom"]
    done = subprocess.run(
        [*command, "--custom-builder", "gettext", "-q"], cwd=workdir, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"extracting the page text failed:\n{(done.stdout + done.stderr)[-2000:]}")
    templates = {}
    for domain in PAGE_DOMAINS:
        with (workdir / "_build" / "gettext" / f"{domain}.pot").open("rb") as handle:
            templates[domain] = read_po(handle, domain=domain)
    return templates


def update_page_catalogues() -> None:
    """Write the page templates (``book/locale/<folder>.pot``) and add their new messages, untranslated, to
    each language's page catalogue (``make messages``)."""
    import tempfile

    from babel.messages.pofile import write_po

    locale_dir = page_locale_dir()
    with tempfile.TemporaryDirectory() as workdir:
        templates = extract_pages(Path(workdir))
    for domain, template in templates.items():
        locale_dir.mkdir(parents=True, exist_ok=True)
        with (locale_dir / f"{domain}.pot").open("wb") as handle:
            write_po(handle, template, omit_header=True, sort_output=True, width=100)
        for language in CATALOGUE_LANGUAGES:
            path = locale_dir / language / "LC_MESSAGES" / f"{domain}.po"
            if path.exists():
                with path.open("rb") as handle:
                    catalogue = read_po(handle, locale=language, domain=domain)
            else:
                catalogue = Catalog(locale=language, domain=domain)
                path.parent.mkdir(parents=True, exist_ok=True)
            catalogue.update(template, update_header_comment=False, update_creation_date=False)
            with path.open("wb") as handle:
                write_po(handle, catalogue, sort_output=True, width=100, ignore_obsolete=True)


def compile_page_catalogues(locale_dir: Path) -> None:
    """Compile each page catalogue under ``locale_dir`` (a build's copy of the pages) for Sphinx to read."""
    from babel.messages.mofile import write_mo

    for path in locale_dir.glob("*/LC_MESSAGES/*.po"):
        with path.open("rb") as handle:
            language = path.parts[-3]
            catalogue = read_po(handle, locale=None if language == PSEUDO else language, domain=path.stem)
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalogue)


def write_pseudo_page_catalogues(locale_dir: Path) -> None:
    """Page catalogues for the test language under ``locale_dir`` (a build's copy of the pages): every
    paragraph of the templates marked ⟦ ⟧, as :func:`gettext` marks a message."""
    from babel.messages.pofile import write_po

    for domain in PAGE_DOMAINS:
        with (locale_dir / f"{domain}.pot").open("rb") as handle:
            template = read_po(handle, domain=domain)
        pseudo = Catalog(locale="en", domain=domain)
        for message in template:
            if message.id:
                pseudo.add(message.id, f"{PSEUDO_OPEN}{message.id}{PSEUDO_CLOSE}")
        path = locale_dir / PSEUDO / "LC_MESSAGES" / f"{domain}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, pseudo)
