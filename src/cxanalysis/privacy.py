"""Personal data out of every output: one redaction step for free text.

Text from the data (comments, and the labels of touchpoints, channels and
segments) is redacted once, when a survey file is loaded, so every table,
chart, page, PDF and result file made from it carries the redacted text.
Quarantined rows keep their raw text and stay in ``private/``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# A web address carrying a query string (?token=..., ?id=...), which often identifies a person or a session.
# The address ends before trailing punctuation, which belongs to the sentence.
_LINK_WITH_QUERY = r"(?:https?://|www\.)[^\s?#]+\?\S*[^\s.,;:!?)\]'\"]"
# International (+47 912 34 567, +46 70 123 45 67) and Nordic national forms
# (912 34 567, 070-123 45 67, 22 33 44 55): 8 or more digits with spaces or dashes.
_PHONE = r"(?<![\w])(?:\+\d{1,3}[\s-]?)?(?:\(?\d{2,4}\)?[\s-]?)(?:\d[\s-]?){5,9}\d(?![\w])"
# Account and card numbers: 8 or more digits in a row, card-style groups of four,
# and Norwegian bank accounts (1234.56.78903).
_LONG_DIGITS = r"\d{8,}|\b\d{4}(?:[ -]\d{4}){2,3}\b|\b\d{4}\.\d{2}\.\d{5}\b"

#: The patterns every client gets, in the order they are tried, with the label that replaces a match.
STANDARD_PATTERNS = {"link": _LINK_WITH_QUERY, "e-mail": _EMAIL, "number": _LONG_DIGITS, "phone": _PHONE}


class Redactor:
    """Replaces personal data in text by a label in brackets: [e-mail], [phone], [link], [number],
    or the name of a pattern the client added.

    >>> Redactor().redact("Ring meg på +47 912 34 567 eller skriv til kari@example.no")
    'Ring meg på [phone] eller skriv til [e-mail]'
    >>> Redactor({"customer-number": r"KN-\\d{6}"}).redact("Kundenr. KN-123456, se https://x.no/s?token=ab12")
    'Kundenr. [customer-number], se [link]'
    """

    def __init__(self, extra_patterns: Mapping[str, str] | None = None) -> None:
        # Client patterns come first: they are the most specific.
        self.patterns = {**dict(extra_patterns or {}), **STANDARD_PATTERNS}
        self.labels = list(self.patterns)
        self._pattern = re.compile("|".join(f"(?P<p{i}>{pattern})" for i, pattern in enumerate(self.patterns.values())))

    def _label(self, match: re.Match) -> str:
        return f"[{self.labels[int(match.lastgroup[1:])]}]"

    def redact(self, text: str) -> str:
        return self._pattern.sub(self._label, text)

    def redact_series(self, values: pd.Series) -> pd.Series:
        """Redact a column of text; each distinct value is redacted once, missing stays missing."""
        distinct = values.dropna().unique()
        cleaned = {value: self.redact(str(value)) for value in distinct}
        return values.map(cleaned).astype(values.dtype if isinstance(values.dtype, pd.StringDtype) else "string")


def check_pattern(name: str, pattern: str) -> str:
    """A client pattern must compile and must not match empty text (it would redact nothing but gaps)."""
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"privacy.patterns.{name} is not a valid regular expression: {exc}") from None
    if compiled.fullmatch(""):
        raise ValueError(f"privacy.patterns.{name} matches empty text; it must match at least one character")
    return pattern


__all__ = ["STANDARD_PATTERNS", "Redactor", "check_pattern"]
