"""Dates as survey tools and spreadsheets write them.

One column may hold ISO dates (2025-03-04 14:05), day-first European dates
(04.03.2025, 04.03.2025 kl. 14.05), month-first US dates (3/4/2025 2:05:00
PM), Excel serial numbers (45720.59), Unix timestamps (1741097100) or dates
in words in English, Norwegian, Danish or Swedish (4. mars 2026, March 4,
2026). Each numeric form is recognised by its shape and parsed vectorised;
dates in words are read by dateparser, once per distinct value. Whether
04/03/2025 is 4 March or 3 April is settled by the column itself when some
date has a day above 12; when none has, the column is ambiguous: it is read
by the separator's custom (a dot is day-first, a slash month-first) and
:func:`parse_dates` says so, so the config can settle it with ``dayfirst``.
"""

from __future__ import annotations

import datetime as dt
import functools
import warnings

import numpy as np
import pandas as pd
from dateparser.date import DateDataParser

from .presentation import plural

_NUMERIC = r"^\d+(?:[.,]\d+)?$"  # a decimal comma too (45720,59)
_DAY_MONTH = (
    r"^(?P<a>\d{1,2})[./-](?P<b>\d{1,2})[./-](?P<year>\d{4}|\d{2})"
    r"(?:[ T,]+(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?$"
)
_ISO = r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
# "kl." (klokken, klockan) marks the time in Norwegian, Danish and Swedish: 04.03.2026 kl. 14.05.
_CLOCK_WORD = r"(?i)\bkl\.?\s*(?=\d{1,2}[:.]\d{2}\b)"
# A month's name or abbreviation has three letters or more (Jan, mai, maj); a code like C-00001 is no date in words.
_MONTH_WORD = r"[^\W\d_]{3}"
# A day and month in digits (Tue 03/04/2026): left to the numeric reading, so their order is never guessed in words.
_DIGIT_DAY_MONTH = r"(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)"
# A date in words is short; a longer text is an answer that mentions a date, and dateparser slows with length.
_LONGEST_DATE_IN_WORDS = 80
# The report's languages as dateparser names them (nb: Norwegian Bokmål).
_DATE_LANGUAGES = ("en", "nb", "da", "sv")

#: Excel serial day 0 (Excel's 1900 leap-year bug makes day 60 the fictitious 29 February 1900).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EXCEL_RANGE = (20_000, 80_000)  # 1954 to 2119
_UNIX_SECONDS = (631_152_000, 4_102_444_800)  # 1990 to 2100


def _naive_utc(parsed: pd.Series) -> pd.Series:
    if not pd.api.types.is_datetime64_any_dtype(parsed):  # mixed zones or out-of-range years: one at a time
        parsed = parsed.map(lambda v: pd.Timestamp(v) if isinstance(v, dt.datetime) else pd.NaT)
        parsed = pd.to_datetime(
            parsed.map(lambda v: v.tz_convert("UTC").tz_localize(None) if v is not pd.NaT and v.tzinfo else v),
            errors="coerce",
        )
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    try:
        return parsed.astype("datetime64[ns]")
    except (pd.errors.OutOfBoundsDatetime, OverflowError):
        years = parsed.dt.year
        return parsed.where(years.between(1677, 2261)).astype("datetime64[ns]")


def _numbers(text: pd.Series) -> tuple[pd.Series, list[str]]:
    """Excel serial days and Unix seconds (or milliseconds) to timestamps."""
    # As floats: text read as a nullable integer column cannot take the milliseconds divided down.
    value = pd.to_numeric(text, errors="coerce").astype("float64")
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    notes = []
    excel = value.between(*_EXCEL_RANGE)
    if excel.any():
        out[excel] = (EXCEL_EPOCH + pd.to_timedelta(value[excel] * 86_400, unit="s")).dt.round("s")
        notes.append(f"{plural(int(excel.sum()), 'Excel serial date')}")
    millis = value.between(_UNIX_SECONDS[0] * 1000, _UNIX_SECONDS[1] * 1000)
    seconds = value.between(*_UNIX_SECONDS)
    for rows, unit in ((seconds, "s"), (millis, "ms")):
        if rows.any():
            out[rows] = pd.to_datetime(value[rows], unit=unit).dt.round("ms")
    if (seconds | millis).any():
        notes.append(f"{plural(int((seconds | millis).sum()), 'Unix timestamp')}")
    return out, notes


@functools.cache
def _date_in_words_parser() -> DateDataParser:
    return DateDataParser(
        languages=list(_DATE_LANGUAGES),
        use_given_order=True,  # the same language wins whatever rows came before
        settings={
            # Only dates written out in full: no "yesterday" or "2 days ago", no day, month or year from today.
            "PARSERS": ["absolute-time"],
            "REQUIRE_PARTS": ["day", "month", "year"],
            # A date with a zone (+01:00, CET) is moved to UTC, one without stays as written, as elsewhere here.
            "TIMEZONE": "UTC",
            "TO_TIMEZONE": "UTC",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )


def _in_words(text: pd.Series) -> pd.Series:
    """Dates in words (4. mars 2026 kl. 14.05, March 4, 2026), each distinct spelling read once."""
    parser = _date_in_words_parser()
    read = {value: parser.get_date_data(value).date_obj for value in text.unique()}
    return _naive_utc(pd.to_datetime(text.astype(object).map(read)))


def _day_month(parts: pd.DataFrame, dayfirst: bool | None) -> tuple[pd.Series, list[str]]:
    a = parts["a"].astype(int)
    b = parts["b"].astype(int)
    notes = []
    if dayfirst is None:
        day_first_rows = int((a > 12).sum())
        month_first_rows = int((b > 12).sum())
        if day_first_rows or month_first_rows:
            dayfirst = day_first_rows >= month_first_rows
            order = "day first" if dayfirst else "month first"
            against = month_first_rows if dayfirst else day_first_rows
            notes.append(
                f"dates read {order} (a day above 12 shows it)"
                + (f"; {plural(against, 'date')} written the other way cannot be read" if against else "")
            )
        else:
            dots = parts["sep"].eq(".").mean() >= 0.5
            dayfirst = bool(dots)
            order = "day first" if dayfirst else "month first"
            notes.append(
                f"ambiguous dates: no day is above 12, so 03/04 could be 3 April or 4 March; read "
                f"{order} as {'dotted' if dots else 'slashed'} dates usually are. "
                f"Set 'dayfirst: {str(not dayfirst).lower()}' for this source if that is wrong"
            )
    day, month = (a, b) if dayfirst else (b, a)
    year = parts["year"].astype(int)
    year = year.where(year >= 100, year + 2000)
    hour = pd.to_numeric(parts["hour"], errors="coerce").fillna(0)
    ampm = parts["ampm"].fillna("").astype(str).str.lower().str[:1]
    hour = hour.where(ampm != "p", hour % 12 + 12).where(ampm != "a", hour % 12)
    stamp = pd.to_datetime(
        pd.DataFrame(
            {
                "year": year,
                "month": month,
                "day": day,
                "hour": hour,
                "minute": pd.to_numeric(parts["minute"], errors="coerce").fillna(0),
                "second": pd.to_numeric(parts["second"], errors="coerce").fillna(0),
            }
        ),
        errors="coerce",
    )
    return stamp, notes


def parse_dates(
    values: pd.Series, date_format: str | None = None, dayfirst: bool | None = None
) -> tuple[pd.Series, list[str]]:
    """Timestamps (naive, UTC for zoned input) for a column of dates, and notes on how they were read.

    Values that cannot be read become NaT; the caller quarantines them. So does a date in words that
    lacks its day, month or year, or that is relative to today ("i går", "2 days ago").

    >>> parsed, notes = parse_dates(pd.Series(["4. mars 2026 kl. 14.05", "March 4, 2026", "13.03.2026"]))
    >>> parsed.tolist()
    [Timestamp('2026-03-04 14:05:00'), Timestamp('2026-03-04 00:00:00'), Timestamp('2026-03-13 00:00:00')]
    >>> notes
    ['dates read day first (a day above 12 shows it)']
    """
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if pd.api.types.is_datetime64_any_dtype(values):
        return _naive_utc(values), []
    cell_date = values.map(lambda v: isinstance(v, (dt.datetime, dt.date))).astype(bool)
    if cell_date.any():
        out[cell_date] = _naive_utc(pd.to_datetime(values[cell_date].astype(object), errors="coerce"))
    cell_number = values.map(lambda v: isinstance(v, (int, float, np.number)) and not isinstance(v, bool)).astype(bool)
    text = values.where(~cell_date).astype("string").str.strip()
    text = text.mask(text == "")
    notes: list[str] = []
    if date_format:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out[text.notna()] = _naive_utc(pd.to_datetime(text[text.notna()], format=date_format, errors="coerce"))
        return out, notes
    text = text.str.replace(_CLOCK_WORD, "", regex=True)
    numeric = text.str.fullmatch(_NUMERIC).fillna(False) | (cell_number & text.notna())
    if numeric.any():
        out[numeric], found = _numbers(text[numeric].str.replace(",", ".", regex=False))
        notes += found
    iso = text.str.fullmatch(_ISO).fillna(False) & ~numeric
    if iso.any():
        out[iso] = _naive_utc(pd.to_datetime(text[iso], format="ISO8601", errors="coerce", utc=True))
    parts = text.str.extract(_DAY_MONTH)
    parts["sep"] = text.str.extract(r"^\d{1,2}([./-])")[0]
    written = parts["a"].notna() & ~numeric & ~iso
    if written.any():
        out[written], found = _day_month(parts[written], dayfirst)
        notes += found
    rest = text.notna() & ~numeric & ~iso & ~written & text.str.contains(r"\d", regex=True).fillna(False)
    in_words = (
        rest
        & text.str.contains(_MONTH_WORD, regex=True).fillna(False)
        & ~text.str.contains(_DIGIT_DAY_MONTH, regex=True).fillna(False)
        & text.str.len().le(_LONGEST_DATE_IN_WORDS).fillna(False)
    )
    if in_words.any():
        out[in_words] = _in_words(text[in_words])
    rest &= ~in_words
    if rest.any():  # other spellings with a day or year in digits: one value at a time
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out[rest] = _naive_utc(
                pd.to_datetime(text[rest], format="mixed", dayfirst=bool(dayfirst), errors="coerce", utc=True)
            )
    return out, notes


__all__ = ["EXCEL_EPOCH", "parse_dates"]
