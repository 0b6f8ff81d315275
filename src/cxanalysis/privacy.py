"""Personal data out of every output: one redaction step for free text.

Text from the data (comments, and the labels of touchpoints, channels and
segments) is redacted once, when a survey file is loaded, so every table,
chart, page, PDF and result file made from it carries the redacted text.
The language column is text from the client too: it is redacted like comments, and a value that is not a
language code or name (:func:`is_language`) is read as missing.
Quarantined rows keep their raw text and stay in ``private/``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import pandas as pd
import regex

# Every pattern runs in time linear in the length of the text, however hostile the text: a match may only
# start where a run of its characters starts (the lookbehinds), and runs are consumed possessively, so no
# character is scanned more than a bounded number of times.
# E-mail addresses, also written to dodge harvesters: kari (at) example.no, kari [at] example dot no,
# kari @ example.no, a fullwidth ＠, or percent-encoded as in mailto:kari%40example.no.
_AT = r"\s*+(?:[@＠]|%40|[(\[]\s*+(?i:at)\s*+[)\]])\s*+"
_DOT = r"(?:\.|\s*+[(\[]\s*+(?i:dot)\s*+[)\]]\s*+|\s++(?i:dot)\s++)"
_EMAIL = rf"(?<![\w.+-])[\w.+-]++{_AT}[\w-]++(?:{_DOT}[\w-]++)++"
# Sign-in tokens: JSON Web Tokens (three base64url parts, the first starting eyJ) wherever they appear,
# in a sentence or in the path of an address.
_JWT = r"(?<![\w-])eyJ[\w-]++\.[\w-]++\.[\w-]++"
# Bank accounts as IBAN, with or without spaces between the groups of four (NO93 8601 1117 947).
_IBAN = r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"
# IP addresses: IPv4 (192.168.10.24) and IPv6, full (2001:db8:0:0:8:800:200c:417a) or shortened (fe80::1).
_IPV4_PART = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
# Four pairs of digits (22.33.44.55) are a Norwegian phone number written with dots, and labelled so.
_IPV4 = rf"(?<![\w.])(?!\d\d(?:\.\d\d){{3}}(?!\.?\d)){_IPV4_PART}(?:\.{_IPV4_PART}){{3}}(?!\.?\d)(?!\w)"
_HEX = r"[0-9A-Fa-f]{1,4}"
_IPV6 = (
    rf"(?<![\w:])(?:(?:{_HEX}:){{7}}{_HEX}|(?:{_HEX}:){{1,6}}:(?:{_HEX}(?::{_HEX}){{0,5}})?|::{_HEX}(?::{_HEX}){{0,6}})"
    r"(?![\w:])"
)
_IP_ADDRESS = f"{_IPV4}|{_IPV6}"
# A web address, up to the first space and without trailing punctuation, which belongs to the sentence.
# The whole address is taken in one match, so a text made of many address starts is read once; whether it is
# personal data (a query string such as ?token=... or ?id=..., which often identifies a person or a session)
# is decided on the address alone.
_PUNCTUATION = r".,;:!?)\]'\""
_LINK = rf"(?:https?://|www\.)(?:[{_PUNCTUATION}]*+[^\s{_PUNCTUATION}])*+"
# A fragment that carries a value (#access_token=...) is as telling as a query string.
_LINK_WITH_QUERY = re.compile(r"(?:https?://|www\.)[^\s?#]+(?:\?.|#[^\s=]*=)")
# International (+47 912 34 567, +46 70 123 45 67, +47.912.34.567) and Nordic national forms
# (912 34 567, 070-123 45 67, 22 33 44 55, 22.33.44.55): 8 or more digits with spaces, dashes or dots,
# or written digit by digit with spaces, dashes or dots (9 1 2 3 4 5 6 7, 9-1-2-3-4-5-6-7, 9.1.2.3.4.5.6.7):
# eight or more single digits, so that a date (01.02.2025), a decimal (4.5) or a version (1.2.3) stays.
# A year range (2019-2024), a date (2024-05-06, 06.05.2024) and an amount with thousands dots (12.500.000)
# have that shape too, and are not personal data.
_NOT_A_PHONE = (
    r"(?:19|20)\d\d-(?:(?:19|20)\d\d|(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))(?![\w-])"
    r"|\d{1,2}\.\d{1,2}\.(?:\d\d)?\d\d(?![\w.])"
    r"|\d{1,3}(?:\.\d{3}){2,}(?![\w.])"
)
_PHONE = (
    rf"(?<![\w.])(?!{_NOT_A_PHONE})"
    r"(?:(?:\+\d{1,3}[\s.-]?)?(?:\(?\d{2,4}\)?[\s.-]?)(?:\d[\s.-]?){5,9}\d"
    r"|\d(?:(?: \d){7,14}|(?:-\d){7,14}|(?:\.\d){7,14}))(?!\.?\d)(?![\w])"
)
# Account and card numbers: 8 or more digits in a row, card-style groups of four,
# and Norwegian bank accounts (1234.56.78903).
_LONG_DIGITS = r"\d{8,}|\b\d{4}(?:[ -]\d{4}){2,3}\b|\b\d{4}\.\d{2}\.\d{5}\b"

# Nordic national identity numbers, recognised by their date: a day 01-31 and a month 01-12.
_MONTH = r"(?:0[1-9]|1[0-2])"
_DAY = r"(?:0[1-9]|[12]\d|3[01])"
_DAY_OR_D_NUMBER = r"(?:0[1-9]|[12]\d|3[01]|4[1-9]|[56]\d|7[01])"  # Norway's D-number adds 40 to the day
_DAY_OR_COORDINATION_NUMBER = r"(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])"  # Sweden's samordningsnummer adds 60
# Norwegian fødselsnummer: DDMMYY and five digits, also written with a space (010190 12345).
_FODSELSNUMMER = rf"\b{_DAY_OR_D_NUMBER}{_MONTH}\d{{2}} ?\d{{5}}\b"
# Swedish personnummer: (YY)YYMMDD, a dash (a plus from the year a person turns 100) or nothing, and four digits.
_PERSONNUMMER = rf"\b(?:(?:18|19|20)\d{{2}}|\d{{2}}){_MONTH}{_DAY_OR_COORDINATION_NUMBER}[-+]?\d{{4}}\b"
# Danish CPR number: DDMMYY, a dash or nothing, and four digits.
_CPR = rf"\b{_DAY}{_MONTH}\d{{2}}-?\d{{4}}\b"
# The control digits (Luhn for Sweden, two mod-11 digits for Norway) are not checked: a number with one digit
# mistyped fails them yet still points to a person, and Danish CPR numbers issued since 2007 need not pass
# mod 11 at all. The date shape alone decides, so personal data errs on the side of redaction.
_NATIONAL_ID = "|".join((_FODSELSNUMMER, _PERSONNUMMER, _CPR))

# Social handles (@kari_nordmann, @NordlysKundeservice) name a person or an account in posts and reviews.
# An e-mail address is matched first (its @ follows a word character); a handle's @ follows none.
_HANDLE = r"(?<![\w.+-])[@＠][A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])"

#: The patterns every client gets, in the order they are tried, with the label that replaces a match.
#: National identity numbers come before long digit runs and phone numbers, which would also match them.
STANDARD_PATTERNS = {
    "link": _LINK,
    "e-mail": _EMAIL,
    "handle": _HANDLE,
    "token": _JWT,
    "account": _IBAN,
    "ip address": _IP_ADDRESS,
    "national id": _NATIONAL_ID,
    "number": _LONG_DIGITS,
    "phone": _PHONE,
}

_DIGITS = tuple("0123456789")
#: What a text must contain for each standard pattern to have a chance: one string of each group. A text
#: without them is not searched for that kind, which keeps redaction fast on ordinary comments and on long
#: hostile ones.
_NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "link": (("http", "www."),),
    "e-mail": (("@", "＠", "%40", "(", "["),),
    "handle": (("@", "＠"),),
    "token": (("eyJ",),),
    "account": (_DIGITS, tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")),
    "ip address": (_DIGITS, (".", ":")),
    "national id": (_DIGITS,),
    "number": (_DIGITS,),
    "phone": (_DIGITS,),
}


class Redactor:
    """Replaces personal data in text by a label in brackets: [e-mail], [handle], [phone], [link], [token],
    [account], [ip address], [national id], [number], or the name of a pattern the client added.

    Names of people, street addresses and anything written in words rather than digits are not recognised.

    >>> Redactor().redact("Ring meg på +47 912 34 567 eller skriv til kari@example.no")
    'Ring meg på [phone] eller skriv til [e-mail]'
    >>> Redactor().redact("Mitt personnummer är 19900101-1237 och CPR 010190-1234")
    'Mitt personnummer är [national id] och CPR [national id]'
    >>> Redactor({"customer-number": r"KN-\\d{6}"}).redact("Kundenr. KN-123456, se https://x.no/s?token=ab12")
    'Kundenr. [customer-number], se [link]'
    """

    def __init__(self, extra_patterns: Mapping[str, str] | None = None) -> None:
        # Client patterns come first: they are the most specific. They run in their own pass, on the regex
        # module with a time limit, so that no pattern a client writes can hang a build.
        self.patterns = {**dict(extra_patterns or {}), **STANDARD_PATTERNS}
        self.labels = list(self.patterns)
        clients = {name: pattern for name, pattern in (extra_patterns or {}).items() if name not in STANDARD_PATTERNS}
        self._client_pattern = regex.compile(_alternation(self.labels, clients)) if clients else None
        # Inside an address that is not redacted as a whole, the other kinds are still looked for.
        self._within_link = re.compile(
            _alternation(self.labels, {name: p for name, p in STANDARD_PATTERNS.items() if name != "link"})
        )

    def _label(self, match: re.Match[str] | regex.Match[str]) -> str:
        label = self.labels[int(str(match.lastgroup)[1:])]
        if label == "link" and not _LINK_WITH_QUERY.match(match.group()):
            return self._within_link.sub(self._label, match.group())
        return f"[{label}]"

    def redact(self, text: str) -> str:
        if self._client_pattern is not None:
            try:
                text = self._client_pattern.sub(self._label, text, timeout=CLIENT_PATTERN_SECONDS)
            except TimeoutError:
                # Undecided text may hold personal data: none of it is shown.
                return WITHHELD
        kinds = tuple(
            name for name, groups in _NEEDS.items() if all(any(need in text for need in group) for group in groups)
        )
        return self._standard(kinds).sub(self._label, text) if kinds else text

    @functools.lru_cache(maxsize=64)  # noqa: B019 (a few redactors live per build)
    def _standard(self, kinds: tuple[str, ...]) -> re.Pattern[str]:
        """One expression trying the standard patterns of ``kinds``, in their order."""
        return re.compile(_alternation(self.labels, {name: STANDARD_PATTERNS[name] for name in kinds}))

    def redact_series(self, values: pd.Series) -> pd.Series:
        """Redact a column of text; each distinct value is redacted once, missing stays missing."""
        distinct = values.dropna().unique()
        cleaned = {value: self.redact(str(value)) for value in distinct}
        return values.map(cleaned).astype(values.dtype if isinstance(values.dtype, pd.StringDtype) else "string")


def _alternation(labels: list[str], patterns: Mapping[str, str]) -> str:
    """One expression trying each pattern in order; group ``p<i>`` names the pattern labelled ``labels[i]``."""
    return "|".join(f"(?P<p{labels.index(name)}>{pattern})" for name, pattern in patterns.items())


#: Time a client's patterns may take on one text at redaction time; text they cannot finish on is withheld.
CLIENT_PATTERN_SECONDS = 2.0
WITHHELD = "[withheld]"
# Text on which a pattern with nested or overlapping repetition, such as (a+)+$ or (\w+\s?)+$, backtracks
# without end: long runs of one character or of a pair, ending in a character that breaks the match.
_PROBE_SECONDS = 0.2
_PROBE_CHARACTERS = "aA1 ._-@x/,:"


def _probes(pattern: str) -> list[tuple[str, str, int, str]]:
    """(start, unit, times, end): probe text is the start, the unit repeated, then the end.

    The start is the literal text a pattern opens with (KN- in KN-(x+x+)+y), so the run reaches the
    repetition that follows it; every probe is also tried without it.
    """
    opening = regex.match(r"(?:\^|\\b)?([\w -]*)", pattern)
    starts = sorted({"", opening.group(1) if opening else ""})
    characters = sorted(set(_PROBE_CHARACTERS) | {ch for ch in pattern if ch.isprintable()})
    units = characters + [first + second for first in _PROBE_CHARACTERS[:4] for second in characters]
    return [
        (start, unit, length // len(unit), end)
        for start in starts
        for unit in units
        for length in (30, 3000)
        for end in ("", "!", "\n")
    ]


def check_pattern(name: str, pattern: str) -> str:
    """A client pattern must compile, must not match empty text (it would redact nothing but gaps), and must
    finish quickly on text built to make patterns backtrack.

    >>> check_pattern("order", r"ORD-\\d{6}")
    'ORD-\\\\d{6}'
    """
    try:
        compiled = regex.compile(pattern)
    except regex.error as exc:
        raise ValueError(f"privacy.patterns.{name} is not a valid regular expression: {exc}") from None
    if compiled.fullmatch(""):
        raise ValueError(f"privacy.patterns.{name} matches empty text; it must match at least one character")
    for start, unit, times, end in _probes(pattern):
        try:
            compiled.search(start + unit * times + end, timeout=_PROBE_SECONDS)
        except TimeoutError:
            shown = (
                (f"{start!r} then " if start else "") + f"{unit!r} {times} times" + (f" then {end!r}" if end else "")
            )
            raise ValueError(
                f"privacy.patterns.{name} can take very long on some text (such as {shown}); "
                "a repetition inside a repetition, such as (a+)+ or (\\w+\\s?)+, tries every way of splitting a "
                "long run: repeat the inner part once (a+), or make the parts unable to overlap"
            ) from None
    return pattern


#: A language code: ISO 639 (en, nb, eng), with a script (zh-Hans) and a region (nb-NO, en_GB, es-419).
_LANGUAGE_CODE = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z]{4})?(?:[-_](?:[A-Za-z]{2}|\d{3}))?")
#: Languages whose names for every language are known: English and the report's and its neighbours' languages.
_NAMING_LANGUAGES = ("en", "nb", "nn", "da", "sv", "fi", "de", "fr", "es")


@functools.cache
def _language_names() -> frozenset[str]:
    from babel import Locale

    return frozenset(name.casefold() for code in _NAMING_LANGUAGES for name in Locale.parse(code).languages.values())


@functools.cache
def _own_language_names() -> frozenset[str]:
    """Each language's name in that language (Deutsch, suomi, 日本語), for every language Babel has data for."""
    from babel import Locale, localedata

    names = set()
    for code in localedata.locale_identifiers():
        if "_" not in code:
            name = Locale.parse(code).languages.get(code)
            if name:
                names.add(name.casefold())
    return frozenset(names)


@functools.cache
def _known_language(code: str) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code.lower())
    except (UnknownLocaleError, ValueError):
        return False
    return True


def is_language(value: str) -> bool:
    """Whether a value of a language column is a language: a code whose language Babel knows (en, NB-no,
    sv_SE, eng, zh-Hans-CN), or a language's name as Babel knows it in English, the Nordic languages and a
    few others (Norwegian, norsk bokmål, Swedish) or in the language itself (Deutsch, suomi).

    >>> [is_language(v) for v in ["nb", "en-GB", "Norsk", "Ola", "[e-mail]", "call 912 34 567"]]
    [True, True, True, False, False, False]
    """
    text = " ".join(value.split())
    if not text or len(text) > 40:
        return False
    code = _LANGUAGE_CODE.fullmatch(text)
    if code is not None and _known_language(code.group(1)):
        return True
    name = text.casefold()
    return name in _language_names() or name in _own_language_names()


def language_column(values: pd.Series, redactor: Redactor) -> tuple[pd.Series, int]:
    """A language column redacted like free text, with every value that is not a language (:func:`is_language`)
    read as missing; returns the column and how many values were read as missing."""
    redacted = redactor.redact_series(values)
    known = {value: is_language(str(value)) for value in redacted.dropna().unique()}
    keep = redacted.map(known).fillna(True).astype(bool)
    return redacted.where(keep), int((~keep).sum())


__all__ = ["STANDARD_PATTERNS", "Redactor", "check_pattern", "is_language", "language_column"]
