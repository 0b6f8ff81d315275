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

from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from . import presentation

#: Where the catalogues live, one folder per language.
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "cxanalysis"
#: The test language: every message wrapped in ⟦ ⟧, numbers and dates in English style.
PSEUDO = "pseudo"
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"

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
        elif message.string:
            found[str(message.id)] = str(message.string)
    return found


def gettext(message: str) -> str:
    """The message in the report's language (:func:`cxanalysis.presentation.language`)."""
    language = presentation.language()
    if language == "en":
        return message
    if language == PSEUDO:
        return f"{PSEUDO_OPEN}{message}{PSEUDO_CLOSE}"
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
        return f"{PSEUDO_OPEN}{chosen}{PSEUDO_CLOSE}" if language == PSEUDO else chosen
    forms = _translations(language).get((singular, plural))
    if not isinstance(forms, tuple):
        _missing.add(singular)
        return singular if count == 1 else plural
    # English, bokmål, Danish and Swedish have two forms: one, and every other count.
    return forms[0 if Locale.parse(language).plural_form(count) == "one" else min(1, len(forms) - 1)]


def missing() -> list[str]:
    """The messages shown so far that the report language's catalogue does not translate."""
    return sorted(_missing)


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


_ = gettext

__all__ = ["DOMAIN", "LOCALE_DIR", "N_", "PSEUDO", "catalogue", "gettext", "missing", "ngettext"]
