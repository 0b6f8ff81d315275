"""How a number, a date, a p-value or a count of things reaches the reader.

One style for the whole report, in the report's language: the thousands
separator and decimal mark of that language (from Babel's locale data), a
true minus sign, no negative zero, "p < 0.001" rather than "0.000", dates in
the language's medium style, and an estimate rounded by its own uncertainty so
that the same figure reads the same on every page, chart and table. Result
files keep full precision; only what a reader sees passes through here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence

import pandas as pd
from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal

MINUS = "\u2212"
MISSING = "–"

#: The languages a report can be written in.
LANGUAGES = ("en", "nb", "da", "sv")
#: A language for tests only (:data:`cxanalysis.translation.PSEUDO`): English numbers, marked words.
TEST_LANGUAGES = ("pseudo",)

_language = "en"
_display_names: dict[str, str] = {}


def set_language(code: str) -> None:
    """Write every number and date that follows in the style of this report language."""
    global _language
    if code not in LANGUAGES + TEST_LANGUAGES:
        raise ValueError(f"report language {code!r} is not one of {', '.join(LANGUAGES)}")
    _language = code


def language() -> str:
    return _language


def _locale() -> str:
    """The Babel locale of the report language (English for the test language)."""
    return "en" if _language in TEST_LANGUAGES else _language


def set_display_names(names: dict[str, str]) -> None:
    """The client's own names for ids in its data (config ``display_names``), used by every page that follows."""
    global _display_names
    _display_names = dict(names)


def display_name(value: str) -> str | None:
    """The client's name for this id, if the config gives one."""
    return _display_names.get(value)


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def number(value: float | None, decimals: int = 0, *, signed: bool = False) -> str:
    """A number with the report's separators: "12,000", "−4.5", "+2" (``signed``); "–" when missing."""
    if _missing(value):
        return MISSING
    rounded = round(float(value), decimals)  # type: ignore[arg-type]
    if rounded == 0:
        rounded = 0.0  # no "−0"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    text = format_decimal(abs(rounded), format=pattern, locale=_locale(), decimal_quantization=True)
    sign = MINUS if rounded < 0 else "+" if signed and rounded > 0 else ""
    return sign + text


def decimals_for(low: float, high: float, *, fallback: int = 1, most: int = 3) -> int:
    """Decimals that show an estimate as precisely as its 95 % interval allows, and no more.

    The half-width of the interval keeps one significant digit, or two when
    that digit is 1 (a half-width of 1.4 is shown as 1.4, not 1): NPS 13.67
    with half-width 6.5 is "14 (7 to 20)", a CES mean 5.10 with half-width
    0.16 is "5.10 (4.94 to 5.26)".
    """
    if _missing(low) or _missing(high) or not math.isfinite(high - low) or high <= low:
        return fallback
    half = (high - low) / 2
    exponent = math.floor(math.log10(half))
    leading = half / 10**exponent
    digits = -exponent + (1 if leading < 2 else 0)
    return int(min(most, max(0, digits)))


def point(
    value: float | None, low: float | None, high: float | None, *, signed: bool = False, fallback: int = 1
) -> str:
    """'14': an estimate alone, rounded as :func:`estimate` rounds it with its interval."""
    return number(value, decimals_for(low, high, fallback=fallback), signed=signed)  # type: ignore[arg-type]


def estimate(
    value: float | None,
    low: float | None,
    high: float | None,
    *,
    signed: bool = False,
    fallback: int = 1,
) -> str:
    """'14 (7 to 20)': an estimate and its interval rounded alike, to the precision of :func:`decimals_for`."""
    if _missing(value):
        return MISSING
    d = decimals_for(low, high, fallback=fallback)  # type: ignore[arg-type]
    if _missing(low) or _missing(high):
        return number(value, d, signed=signed)
    from .translation import gettext

    return gettext("{value} ({low} to {high})").format(
        value=number(value, d, signed=signed), low=number(low, d, signed=signed), high=number(high, d, signed=signed)
    )


def p_value(p: float | None) -> str:
    """A p-value as a table cell shows it: "< 0.001", "0.042", "0.004", "0.15", "> 0.99"; "–" when not computed."""
    if _missing(p):
        return MISSING
    if p < 0.001:  # type: ignore[operator]
        return "< " + number(0.001, 3)
    if p > 0.99:  # type: ignore[operator]
        return "> " + number(0.99, 2)
    decimals = 2 if p >= 0.1 else 3  # type: ignore[operator]
    return number(p, decimals)


def p_text(p: float | None) -> str:
    """A p-value in a sentence: "p = 0.042", "p < 0.001", "p > 0.99"; "p = –" when not computed."""
    cell = p_value(p)
    return f"p {cell}" if cell[0] in "<>" else f"p = {cell}"


def percent(value: float | None, decimals: int = 0) -> str:
    """A share (0 to 1) as a percentage: "29 %"."""
    return MISSING if _missing(value) else f"{number(100 * value, decimals)} %"  # type: ignore[operator]


def date(value: dt.date | dt.datetime | str | None) -> str:
    """A date in the report language's medium style: "Jun 30, 2026" in English, "30. juni 2026" in Norwegian."""
    if _missing(value):
        return MISSING
    day = pd.Timestamp(value).date() if isinstance(value, (str, dt.datetime)) else value
    return format_date(day, "medium", locale=_locale())


def long_date(value: dt.date) -> str:
    """A date written out in the report language: "December 1, 2026", "1. desember 2026"."""
    return format_date(value, "long", locale=_locale())


def exact(value: float) -> str:
    """A setting as configured, every digit kept, in the report's style: 0.0001, "0,05" in Norwegian, 30."""
    text = format_decimal(abs(value), format="#,##0.###", locale=_locale(), decimal_quantization=False)
    return (MINUS if value < 0 else "") + text


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 file", "3 files", "2 categories": the count and its noun in the report language.

    The noun is a catalogue message (:func:`cxanalysis.translation.ngettext`), so call it with both
    forms written out, ``plural(n, "category", "categories")``, for the extraction to find them; an
    English noun that just adds s may leave ``plural_form`` out in text that never reaches a reader.
    """
    from .translation import ngettext

    return f"{number(count)} {ngettext(singular, plural_form or singular + 's', count)}"


def name_list(names: Sequence[str]) -> str:
    """Names joined as the report's language lists them: "region and customer type", "a, b og c"."""
    from babel.lists import format_list

    return format_list(list(names), locale=_locale()) if names else ""


def language_name(code: str, *, in_sentence: bool = False) -> str:
    """A language code as the report's readers name the language: "nb" is "Norwegian Bokmål"; a table cell
    starts with a capital, and ``in_sentence`` keeps the report language's own case ("portugisisk" in nb)."""
    text = str(code).strip()
    try:
        locale = Locale.parse(text.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return text
    name = locale.get_display_name(_locale())
    if not name:
        return text
    return name if in_sentence else name[0].upper() + name[1:]


def spec_decimals(style: str) -> int:
    """The decimals a format string such as "{:.1f}" or "{:+.2f}" asks for; 1 when it names none."""
    spec = style.strip("{}").lstrip(":")
    return int(spec.rsplit(".", 1)[1][:-1]) if "." in spec and spec.endswith("f") else 1


def formatted(value: object, style: str | Callable[[object], str]) -> str:
    """A cell formatted by a format string such as "{:.1f}" or a function, in the report's number style."""
    if _missing(value):
        return MISSING
    if callable(style):
        return style(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        spec = style.strip("{}").lstrip(":")
        if spec.endswith("f") or spec.endswith("g") or spec == "" or spec.endswith("d"):
            signed = spec.startswith("+")
            if spec.endswith("f"):
                decimals = spec_decimals(style) if "." in spec else 6
            elif spec.endswith("d") or (spec == "" and float(value).is_integer()):
                decimals = 0
            else:  # "g": as many decimals as the value needs, up to three
                decimals = next((d for d in range(4) if round(float(value), d) == float(value)), 3)
            return number(value, decimals, signed=signed)
    return style.format(value)


__all__ = [
    "LANGUAGES",
    "MINUS",
    "MISSING",
    "date",
    "decimals_for",
    "display_name",
    "estimate",
    "formatted",
    "language",
    "language_name",
    "number",
    "p_text",
    "p_value",
    "percent",
    "plural",
    "set_display_names",
    "set_language",
    "spec_decimals",
]
