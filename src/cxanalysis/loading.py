"""From a client's files to tidy tables: every row read ends valid or quarantined.

Each file is read raw, its mapped columns are parsed by rules (date, score on
a scale, number, flag, text, id), and each row that breaks a rule is
quarantined with one reason: the first rule it breaks, in the order of
:data:`REASONS`. The accounting (read = valid + quarantined, per reason) is
kept for every file and shown in the book's data-quality appendix.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .config import ClientConfig, OperationalFile, Source, load_config
from .dates import parse_dates
from .errors import CXInputError, excerpt, inside_folder, name_list
from .exports import adapt
from .labels import (
    LabelMap,
    best_label_map,
    label_maps,
    leading_scores,
    normalise_labels,
    not_rated_answers,
    unknown_labels,
)
from .presentation import plural
from .privacy import Redactor, language_column
from .readers import OVERFLOW, read_cells, read_table
from .sampling import RowSample
from .translation import N_, _

if TYPE_CHECKING:
    import ibis

#: The longest cell a mapped column may hold; a row with a longer one is quarantined (``cell_too_long``).
CELL_MAX_CHARS = 100_000

#: Quarantine reasons, in the order rules are checked, with their plain wording.
REASONS = {
    "empty_row": N_("row is empty"),
    "repeated_header": N_("the header row repeated inside the data"),
    "extra_cells": N_("more cells than the header has columns (an unquoted delimiter?)"),
    "cell_too_long": N_("a cell longer than 100,000 characters (a pasted document, or a quote left open?)"),
    "missing_required": N_("required value missing"),
    "unparseable_date": N_("date could not be read"),
    "mangled_id": N_("id turned into scientific notation by a spreadsheet (e.g. 5.70306E+17)"),
    "not_a_number": N_("value is not a number"),
    "unknown_label": N_("answer text not in the scale's label map"),
    "score_out_of_range": N_("score outside the scale or not a whole number"),
    "invalid_value": N_("value outside its allowed range"),
    "duplicate_id": N_("id already used by an earlier row"),
    "no_answers": N_("no score, rating or comment"),
    "unknown_response": N_("matches no survey response (response_id, else customer_id)"),
    "contacted_before_answer": N_("contacted before the customer answered"),
}

Kind = Literal["id", "date", "score", "number", "flag", "text"]


@dataclass(frozen=True)
class ColumnRule:
    """How one canonical column is parsed and checked."""

    name: str
    kind: Kind
    required: bool = False
    low: float | None = None
    high: float | None = None
    labels: LabelMap | None = None
    not_rated: tuple[float, ...] = ()


@dataclass
class Table:
    """A validated table with its quarantine and row accounting."""

    valid: pd.DataFrame
    quarantine: pd.DataFrame
    accounting: pd.DataFrame
    read_as: dict[str, Any] = field(default_factory=dict)
    #: For a client with more valid responses than ``sampling.max_rows``: every valid response (Parquet,
    #: without the comments), while ``valid`` holds the stratified sample the row-level parts work on.
    store: Path | None = None
    #: How that sample was drawn (:mod:`cxanalysis.sampling`).
    sample: RowSample | None = None


def response_rules(config: ClientConfig, source: Source | None = None) -> list[ColumnRule]:
    """How each canonical response column is read, with the source's label maps and not-rated codes."""
    scales = config.scales
    maps = label_maps(config.answer_labels)

    def score(name: str, scale: tuple[int, int], group: str | None = None) -> ColumnRule:
        labels = not_rated = None
        if source is not None:
            labels = source.labels.get(name, source.labels.get(group or name))
            not_rated = source.not_rated.get(name, source.not_rated.get(group or name))
        return ColumnRule(
            name,
            "score",
            low=scale[0],
            high=scale[1],
            labels=maps[labels] if labels else None,
            not_rated=tuple(not_rated or ()),
        )

    rules = [
        ColumnRule("response_id", "id", required=True),
        ColumnRule("submitted_at", "date", required=source is None or source.collected_on is None),
        score("nps", scales.nps),
        score("csat", scales.csat),
        score("ces", scales.ces),
        ColumnRule("weight", "number", low=np.nextafter(0, 1)),
        ColumnRule("would_buy_again", "flag"),
    ]
    rules += [score(a, scales.attributes, "attributes") for a in config.attributes]
    text = ["survey", "touchpoint", "channel", "customer_id", "team", "agent", "comment", "language", *config.segments]
    rules += [ColumnRule(t, "text") for t in text]
    return rules


CUSTOMER_RULES = [
    ColumnRule("customer_id", "id", required=True),
    ColumnRule("revenue", "number", low=0),
    ColumnRule("churned", "flag"),
    ColumnRule("referrals", "number", low=0),
    ColumnRule("period", "text"),
    ColumnRule("region", "text"),
    ColumnRule("customer_type", "text"),
]

TICKET_RULES = [
    ColumnRule("ticket_id", "id", required=True),
    ColumnRule("opened_at", "date", required=True),
    ColumnRule("first_response_hours", "number", low=0),
    ColumnRule("touchpoint", "text"),
    ColumnRule("channel", "text"),
    ColumnRule("region", "text"),
    ColumnRule("is_complaint", "flag"),
]

#: The follow-up log: which answer was followed up (by response id, else the customer's latest answer), when
#: the customer was contacted, whether the matter was resolved, and the same question asked again.
FOLLOW_UP_RULES = [
    ColumnRule("response_id", "text"),
    ColumnRule("customer_id", "text"),
    ColumnRule("contacted_at", "date"),
    ColumnRule("resolved", "flag"),
    ColumnRule("resurvey_score", "number"),
]

#: Survey invitations, for response rates: counts per channel and period (``invited``), or one row per
#: invitation (``invited_at``); the client's segments are read as margins too (:func:`load_invitations`).
INVITATION_RULES = [
    ColumnRule("invitation_id", "id"),
    ColumnRule("invited_at", "date"),
    ColumnRule("period", "text"),
    ColumnRule("invited", "number", low=0),
    ColumnRule("channel", "text", required=True),
    ColumnRule("survey", "text"),
    ColumnRule("region", "text"),
    ColumnRule("customer_type", "text"),
]

_FLAG_WORDS = {"1": 1.0, "0": 0.0, "true": 1.0, "false": 0.0, "yes": 1.0, "no": 0.0, "ja": 1.0, "nei": 0.0, "nej": 0.0}


#: An id a spreadsheet stored as a number and wrote back in scientific notation.
_MANGLED_ID = r"^\d(?:[.,]\d+)?[eE]\+\d+$"


def _as_text(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.mask(text == "")


@functools.cache
def _digit_table() -> dict[int, str]:
    """Every decimal digit Unicode knows beyond ASCII (fullwidth １０, Arabic-Indic ١٠, ...) as its ASCII digit."""
    return {
        code: str(unicodedata.decimal(chr(code)))
        for code in range(128, sys.maxunicode + 1)
        if unicodedata.category(chr(code)) == "Nd"
    }


#: A number in scientific notation (1e1): never how a score is written.
_EXPONENT = r"\d[eE][+-]?\d"


def _ascii_digits(values: pd.Series) -> pd.Series:
    """Answers as stripped text, with digits of other scripts written as ASCII digits."""
    return values.astype("string").str.strip().str.translate(_digit_table())


def _read_score(
    rule: ColumnRule,
    values: pd.Series,
    present: pd.Series,
    maps: dict[str, LabelMap] | None,
    column: str,
    notes: list[str],
) -> tuple[pd.Series, pd.Series, bool]:
    """Scores from numbers, "9 - Very likely" and text labels.

    Returns the scores, the answers that could not be read, and whether a
    label map was used (unread answers are then unknown labels, else not
    numbers). Without a named label map, a column whose text answers a
    shipped map mostly reads (at least half) is read with that map, and the
    notes say so.
    """
    digits = _ascii_digits(values)
    typed = values.map(lambda v: isinstance(v, str)).astype(bool)  # a workbook's numbers are numbers already
    exponent = typed & digits.str.contains(_EXPONENT).fillna(False).astype(bool)
    parsed = leading_scores(digits).mask(exponent) + 0.0  # + 0.0: a score of -0 is 0
    other = digits.ne(values.astype("string").str.strip()).fillna(False) & parsed.notna()
    if other.any():
        said = ", ".join(f"'{excerpt(v)}'" for v in values[other].astype("string").str.strip().unique()[:3])
        notes.append(
            f"{plural(int(other.sum()), 'answer')} in '{column}' written in other digits ({said}) read as numbers"
        )
    labels = rule.labels
    text = present & parsed.isna()
    if labels is None and maps and text.any():
        labels, share = best_label_map(values[text], maps)
        if labels is not None and share >= 0.5:
            notes.append(f"'{column}' read with the label map {labels.name} ({share:.0%} of its text answers known)")
        else:
            labels = None
    unread = text.copy()
    if labels is not None and text.any():
        score, matched, not_rated = labels.read(values[text])
        parsed[text] = score
        unread[text] = ~matched
        if not_rated.any():
            notes.append(f"{plural(int(not_rated.sum()), 'answer')} in '{column}' read as not rated ({labels.name})")
    elif unread.any():  # numbers with an "n/a" or "don't know" among them: not rated, as in every label map
        known = normalise_labels(values.where(unread)).isin(list(not_rated_answers())).fillna(False).astype(bool)
        skipped = unread & known
        if skipped.any():
            unread &= ~skipped
            said = ", ".join(f"'{v}'" for v in values[skipped].astype("string").str.strip().unique())
            notes.append(f"{plural(int(skipped.sum()), 'answer')} in '{column}' read as not rated ({said})")
    if rule.not_rated:
        skipped = parsed.isin(rule.not_rated)
        if skipped.any():
            codes = ", ".join(f"{v:g}" for v in rule.not_rated)
            notes.append(f"{plural(int(skipped.sum()), 'answer')} of {codes} in '{column}' read as not rated")
            parsed = parsed.mask(skipped)
    return parsed, unread, labels is not None


def validate_rows(
    raw: pd.DataFrame,
    mapping: dict[str, str],
    rules: list[ColumnRule],
    *,
    file: Path,
    source: str,
    date_format: str | None = None,
    dayfirst: bool | None = None,
    answer_columns: list[str] | None = None,
    maps: dict[str, LabelMap] | None = None,
    notes: list[str] | None = None,
    quote_header: bool = True,
    row_numbers: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Parse mapped columns by their rules; return valid rows, quarantine, accounting.

    ``mapping`` maps canonical names to the file's column names; ``raw`` is
    indexed by spreadsheet row number. Every rule column is present in the
    valid table (missing where the file lacks it). ``maps`` are the label
    maps a score column of text answers may be read with; how dates and
    labels were read is appended to ``notes``.

    A mapped column missing from the header is named with a few of the
    header's names (:func:`~cxanalysis.errors.name_list`) when
    ``quote_header``; otherwise with their count only. The loaders quote the
    header of files inside the client's folder only: a config whose path
    points elsewhere (``/etc/passwd``, another client's export) must not
    turn an error message into a way of reading that file's first line.

    With ``row_numbers``, the valid rows keep their spreadsheet row numbers as index, for checks that
    quarantine rows later (against another file).
    """
    notes = notes if notes is not None else []
    # What the reader noted about the header travels no further: pandas copies a frame's attrs into every
    # column operation, which on a header of thousands of repeated names costs minutes.
    repeated = raw.attrs.get("repeated", {})
    raw = raw.copy(deep=False)
    raw.attrs = {}
    absent = [column for column in mapping.values() if column not in raw.columns]
    if absent:
        named = [c for c in raw.columns if c != OVERFLOW]
        cells = raw.head(10).astype("string").apply(lambda column: column.str.strip())
        lower = cells.index[cells.eq(absent[0]).any(axis=1)]
        fix = (
            "correct the column name under 'columns' in the config (names must match the header exactly)"
            if lower.empty
            else f"the header seems to be row {lower[0]}: remove the rows above it from the file"
        )
        shown = (
            f"its columns are {name_list(named)}"
            if quote_header
            else f"none of its {plural(len(named), 'column')} matches it (the file is outside the client's "
            "folder, so its header is not quoted)"
        )
        raise CXInputError(
            f"mapped column {excerpt(absent[0])!r} is not in the file; {shown}",
            file=file,
            column=absent[0],
            fix=fix,
        )
    for name in mapping.values():
        if name in repeated:
            places = repeated[name]
            raise CXInputError(
                f"the header names {excerpt(name)!r} {len(places)} times ({', '.join(places[:-1][:5])} and {places[-1]}), "
                "so which of them holds the answers would be a guess",
                file=file,
                column=name,
                fix=f"rename the columns in the file so that each name is used once, or map '{name} (2)' "
                "to read the second of them",
            )
    missing_required = [r.name for r in rules if r.required and r.name not in mapping and r.kind != "id"]
    if missing_required:
        raise CXInputError(
            f"no column is mapped to required {missing_required[0]!r}",
            file=file,
            fix=f"add '{missing_required[0]}: <column in the file>' under 'columns'",
        )

    rows = pd.Series(raw.index, index=raw.index)
    n = len(raw)
    reason = pd.Series(pd.NA, index=raw.index, dtype="string")
    bad_column = pd.Series(pd.NA, index=raw.index, dtype="string")
    bad_value = pd.Series(pd.NA, index=raw.index, dtype="string")

    def flag(mask: pd.Series, why: str, column: str, values: pd.Series) -> None:
        mask = mask & reason.isna()
        reason[mask] = why
        bad_column[mask] = column
        bad_value[mask] = values[mask].astype("string")

    overflow = raw[OVERFLOW] if OVERFLOW in raw else pd.Series(pd.NA, index=raw.index, dtype="string")
    raw = raw.drop(columns=[OVERFLOW], errors="ignore")
    cells = raw.astype("string").apply(lambda column: column.str.strip())
    empty = (cells.isna() | (cells == "")).all(axis=1) & overflow.isna()
    flag(empty, "empty_row", "(all columns)", pd.Series("", index=raw.index))
    filled = cells.notna() & (cells != "")
    as_header = cells.eq(pd.Series(list(raw.columns), index=raw.columns)) & filled
    flag(
        as_header.sum(axis=1) >= np.maximum(2, filled.sum(axis=1) * 0.8),
        "repeated_header",
        "(all columns)",
        pd.Series("", index=raw.index),
    )
    flag(overflow.notna(), "extra_cells", OVERFLOW, overflow)
    for mapped in dict.fromkeys(mapping.values()):
        length = cells[mapped].str.len()
        too_long = (length > CELL_MAX_CHARS).fillna(False).astype(bool)
        if too_long.any():  # the value kept is the cell's start and its length: the raw cells keep it whole
            start = cells[mapped].str.slice(0, 200)
            flag(too_long, "cell_too_long", mapped, start + " … (" + length.map("{:,.0f}".format) + " characters)")
    out = pd.DataFrame(index=raw.index)
    for rule in rules:
        column = mapping.get(rule.name)
        if column is None:
            if rule.kind == "id":
                out[rule.name] = (source + "-" + rows.astype(str)).astype("string")
            elif rule.kind in ("date",):
                out[rule.name] = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
            elif rule.kind == "text":
                out[rule.name] = pd.Series(pd.NA, index=raw.index, dtype="string")
            else:
                out[rule.name] = np.nan
            continue
        values = raw[column]
        present = values.notna() & (values.astype("string").str.strip() != "")
        if rule.required:
            flag(~present, "missing_required", column, values)
        if rule.kind == "id" or rule.name == "customer_id":
            flag(_as_text(values).str.fullmatch(_MANGLED_ID).fillna(False), "mangled_id", column, values)
        if rule.kind == "date":
            live = reason.isna()  # header copies and empty rows say nothing about the date order
            try:
                parsed, found = parse_dates(values.where(live), date_format, dayfirst)
            except ValueError as exc:
                if not date_format:
                    raise
                raise CXInputError(
                    f"the date_format {date_format!r} cannot be used: {exc}",
                    file=file,
                    column=column,
                    key="date_format",
                    fix="write it in strftime codes, e.g. '%d.%m.%Y %H:%M', or leave it out to read the dates as written",
                ) from None
            notes += [f"'{column}': {note}" for note in found]
            flag(present & parsed.isna(), "unparseable_date", column, values)
        elif rule.kind == "score":
            live = present & reason.isna()
            parsed, unread, labelled = _read_score(rule, values.where(live), live, maps, column, notes)
            flag(unread, "unknown_label" if labelled else "not_a_number", column, values)
        elif rule.kind == "number":
            digits = _as_text(values).str.replace(r"(?<=\d)[\s\u00a0](?=\d{3}\b)", "", regex=True)
            parsed = pd.to_numeric(digits.str.replace(",", ".", regex=False), errors="coerce").astype(float)
            flag(present & parsed.isna(), "not_a_number", column, values)
        elif rule.kind == "flag":
            text = _as_text(values).str.lower()
            number = pd.to_numeric(text, errors="coerce").astype(float)  # 1.0 and 0.0: flags written as decimals
            parsed = text.map(_FLAG_WORDS).astype(float).fillna(number.where(number.isin([0, 1]))).astype(float)
            flag(present & parsed.isna(), "invalid_value", column, values)
        else:
            parsed = _as_text(values)
        if rule.kind in ("score", "number"):
            outside = pd.Series(False, index=raw.index)
            if rule.low is not None:
                outside |= parsed < rule.low
            if rule.high is not None:
                outside |= parsed > rule.high
            if rule.kind == "score":
                outside |= parsed.notna() & (parsed != np.round(parsed))
            flag(outside, "score_out_of_range" if rule.kind == "score" else "invalid_value", column, values)
        out[rule.name] = parsed

    for rule in rules:
        if rule.kind == "id" and rule.name in mapping:
            ids = out[rule.name]
            dup = ids.notna() & ids.duplicated(keep="first")
            flag(dup, "duplicate_id", mapping[rule.name], raw[mapping[rule.name]])
    if answer_columns is not None:
        answered = out[[c for c in answer_columns if c in out]].notna().any(axis=1)
        flag(~answered, "no_answers", "(all answer columns)", pd.Series("", index=raw.index))

    is_bad = reason.notna()
    quarantine = pd.concat(
        [
            pd.DataFrame(
                {
                    "source": source,
                    "file": file.name,
                    "row": rows[is_bad],
                    "reason": reason[is_bad],
                    "reason_text": reason[is_bad].map(REASONS),
                    "column": bad_column[is_bad],
                    "value": bad_value[is_bad],
                }
            ),
            raw[is_bad].add_prefix("raw: "),
        ],
        axis=1,
    )
    valid = out[~is_bad] if row_numbers else out[~is_bad].reset_index(drop=True)
    counts = reason[is_bad].value_counts()
    accounting = pd.DataFrame(
        [
            {"source": source, "file": file.name, "outcome": "read", "reason": "", "rows": n},
            {"source": source, "file": file.name, "outcome": "valid", "reason": "", "rows": int((~is_bad).sum())},
            *[
                {"source": source, "file": file.name, "outcome": "quarantined", "reason": key, "rows": int(counts[key])}
                for key in REASONS
                if key in counts
            ],
        ]
    )
    return valid, quarantine.reset_index(drop=True), accounting


def period_labels(dates: pd.Series, period: str) -> pd.Series:
    """Each date's reporting period: 2025Q1 for a quarter, 2025-03 for a month."""
    freq = "Q" if period == "quarter" else "M"
    return dates.dt.to_period(freq).astype("string")


def _client_folder(config: ClientConfig) -> Path | None:
    return config.config_file.parent if config.config_file is not None else None


def read_export(source: Source, *, quote_header: bool = True):
    """A source's file read and turned into one header row by its (named or detected) export layout."""
    grid, how = read_cells(
        source.path,
        source.file_format,
        sheet=source.sheet,
        encoding=source.encoding,
        delimiter=source.delimiter,
        columns=list(source.columns.values()),
        quote_header=quote_header,
        table=source.table,
    )
    export = adapt(grid, how, file=source.path, layout=source.export, quote_header=quote_header)
    return export, how


def file_row(source: Source, response_id: str) -> int | None:
    """The spreadsheet row of a valid response in its source's file, for a message about it: the file is
    read again (a message is rare), and the first row whose id cell is the response's id is the one the
    loader kept. None for a table by connection, a database table or Parquet files (no rows to point at),
    or when the source generates its ids."""
    column = source.columns.get("response_id")
    if column is None or source.connection or source.file_format in ("duckdb", "parquet"):
        return None
    export, _how = read_export(source)
    ids = export.frame[column].astype("string").str.strip()
    found = ids.index[ids == str(response_id)]
    return int(found[0]) if len(found) else None


def _load_source(config: ClientConfig, source: Source) -> Table:
    quote_header = inside_folder(source.path, _client_folder(config))
    export, how = read_export(source, quote_header=quote_header)
    notes = [how.pop("notes"), *export.notes] if "notes" in how else list(export.notes)
    answers = ["nps", "csat", "ces", "comment", *config.attributes]
    valid, quarantine, accounting = validate_rows(
        export.frame,
        source.columns,
        response_rules(config, source),
        file=source.path,
        source=source.name,
        date_format=source.date_format,
        dayfirst=source.dayfirst,
        answer_columns=answers,
        maps=label_maps(config.answer_labels),
        notes=notes,
        quote_header=quote_header,
    )
    if "submitted_at" not in source.columns:
        valid["submitted_at"] = pd.Timestamp(source.collected_on)
        notes.append(f"no date column: every response dated {source.collected_on:%Y-%m-%d} (collected_on)")
    # The one redaction step: free text and the labels customers' answers carry leave here redacted.
    redactor = Redactor(config.privacy.patterns)
    # The language column is text from the client: redacted, and a value that is no language is missing.
    valid["language"], not_languages = language_column(valid["language"], redactor)
    if not_languages:
        notes.append(
            f"{not_languages} value{'s' if not_languages != 1 else ''} in '{source.columns['language']}' "
            f"{'are' if not_languages != 1 else 'is'} not a language code or name, read as missing"
        )
    how = {**how, "layout": export.layout, **({"notes": "; ".join(notes)} if notes else {})}
    for column in ["comment", "survey", "touchpoint", "channel", "team", "agent", *config.segments]:
        if column in valid:
            valid[column] = redactor.redact_series(valid[column])
    if "survey" not in source.columns:
        valid["survey"] = pd.Series(source.survey or source.name, index=valid.index, dtype="string")
    if "weight" not in source.columns:
        valid["weight"] = 1.0
    valid.insert(1, "source", pd.Series(source.name, index=valid.index, dtype="string"))
    valid.insert(3, "period", period_labels(valid["submitted_at"], config.report.period))
    return Table(valid, quarantine, accounting, how)


def response_columns(config: ClientConfig) -> list[str]:
    """The canonical response table's columns, in order."""
    head = ["response_id", "source", "submitted_at", "period", "survey", "touchpoint", "channel", "customer_id"]
    head += ["team", "agent"]
    tail = ["would_buy_again", "comment", "language", "weight"]
    return [*head, *config.segments, "nps", "csat", "ces", *config.attributes, *tail]


def load_responses(config: ClientConfig | str | Path | None = None) -> Table:
    """Read every survey source of a client into one canonical response table.

    A source whose rows stay where they are is checked in the engine (:func:`checked_in_engine`), its valid
    rows written to Parquet; a client with such a source, or with more valid responses than
    ``sampling.max_rows``, is sampled (:func:`sampled`)."""
    config = config if isinstance(config, ClientConfig) else load_config(config)
    store = None
    tables, parts = [], []
    for source in config.sources:
        if checked_in_engine(config, source):
            store = store or _new_store(config)
            table, part = _engine_source(config, source, store)
            parts.append(part)
        else:
            table = _load_source(config, source)
        tables.append(table)
    responses = pd.concat([t.valid for t in tables], ignore_index=True)[response_columns(config)]
    table = Table(
        responses,
        pd.concat([t.quarantine for t in tables], ignore_index=True),
        pd.concat([t.accounting for t in tables], ignore_index=True),
        {s.name: t.read_as for s, t in zip(config.sources, tables)},
    )
    valid = int(table.accounting.loc[table.accounting["outcome"] == "valid", "rows"].sum())
    if valid == 0:
        files = ", ".join(str(s.path) for s in config.sources)
        read = table.accounting.loc[table.accounting["outcome"] == "read", "rows"].sum()
        why = "every row was quarantined" if read else "no data rows below the header"
        raise CXInputError(
            f"no valid responses: {why}\n" + accounting_summary(table.accounting).to_string(index=False),
            file=files,
            fix="check the column mapping, date format and score scales in the config"
            if read
            else "export the responses again: the file holds its header only (a filter or date range leaving none?)",
        )
    if parts or valid > config.sampling.max_rows:
        return sampled(config, table, store or _new_store(config))
    return table


def _new_store(config: ClientConfig) -> Path:
    """A folder of this load's own for the valid responses: another load of the client (a chapter's
    what-if) never writes into it."""
    root = config.output_dir / ".cache" / config.client.slug / "responses"
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".load-", dir=root))


#: A kept folder of responses no load has made or used for this long is removed.
STORE_KEPT_SECONDS = 7 * 24 * 3600


def keep_store(config: ClientConfig, folder: Path) -> Path:
    """Keep a load's folder of valid responses (:func:`sampled`) under the name of its contents' digest, so
    that builds and chapters of the same data (in any language) share it and a load of other data never
    changes it; folders unused for :data:`STORE_KEPT_SECONDS` are removed."""
    digest = hashlib.sha256()
    for part in sorted(folder.glob("*.parquet")):
        digest.update(part.name.encode())
        with open(part, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    kept = folder.parent / digest.hexdigest()[:32]
    try:
        folder.rename(kept)
    except OSError:  # the same data is kept already
        shutil.rmtree(folder)
    os.utime(kept)
    for other in folder.parent.iterdir():
        if other != kept and time.time() - other.stat().st_mtime > STORE_KEPT_SECONDS:
            shutil.rmtree(other, ignore_errors=True)
    return kept


def read_store(store: Path) -> ibis.Table:
    """Every valid response kept in ``store`` (:func:`keep_store`), as one table in the default engine."""
    from .engine import default_connection, quiet

    with quiet():
        return default_connection().read_parquet(str(store / "*.parquet"), union_by_name=True)


def checked_in_engine(config: ClientConfig, source: Source) -> bool:
    """Whether a source is checked where its rows are (:func:`cxanalysis.warehouse.check_in_engine`) rather
    than read into Python: a table by ``connection`` always, a DuckDB table or Parquet files when they hold
    more rows than ``sampling.max_rows``."""
    if source.connection:
        return True
    if source.file_format not in ("duckdb", "parquet"):
        return False
    from .engine import quiet
    from .warehouse import open_table

    with quiet():
        return int(open_table(source).count().execute()) > config.sampling.max_rows


def _engine_source(config: ClientConfig, source: Source, store: Path) -> tuple[Table, Path]:
    """A source checked in the engine: its accounting and quarantine sample, and its valid rows written to
    a Parquet file of ``store`` with the reporting dimensions redacted and the language column read as
    :func:`_load_source` reads them (each distinct value once, in Python; the comments are redacted in
    the sample the chapters hold). The checks run once, as the valid rows are written; the distinct
    values are read back from that file."""
    import ibis

    from .engine import default_connection, execute, quiet
    from .warehouse import check_in_engine, write_valid

    check = check_in_engine(config, source)
    notes = list(check.notes)
    redactor = Redactor(config.privacy.patterns)
    part = store / f"source-{len(list(store.glob('source-*.parquet'))) + 1}.parquet"
    checked = part.with_name(f".{part.name}")
    write_valid(check, checked)
    with quiet():
        valid = default_connection().read_parquet(str(checked))
        replaced = {}
        for column in ["survey", "touchpoint", "channel", "team", "agent", *config.segments, "language"]:
            values = execute(valid.select(column).distinct())[column].dropna().astype("string")
            if column == "language":
                read, not_languages = language_column(values, redactor)
                if not_languages:
                    notes.append(
                        f"{not_languages} value{'s' if not_languages != 1 else ''} in "
                        f"'{source.columns.get('language', 'language')}' not a language code or name, read as missing"
                    )
            else:
                read = redactor.redact_series(values)
            changed = {str(v): (None if pd.isna(r) else str(r)) for v, r in zip(values, read) if str(v) != r}
            if changed:
                replaced[column] = ibis.cases(
                    *((valid[column] == old, ibis.literal(new, type="string")) for old, new in changed.items()),
                    else_=valid[column],
                )
        if replaced:
            default_connection().to_parquet(valid.mutate(**replaced), part)
            checked.unlink()
        else:
            checked.rename(part)
    read_as = {"format": "engine", **({"notes": "; ".join(notes)} if notes else {})}
    empty = pd.DataFrame({c: pd.Series(dtype=_canonical_type(config, c)) for c in response_columns(config)})
    return Table(empty, check.quarantine, check.accounting, read_as), part


def _canonical_type(config: ClientConfig, column: str) -> str:
    """The pandas type of a canonical response column, as :func:`validate_rows` leaves it."""
    numbers = {"nps", "csat", "ces", "would_buy_again", "weight", *config.attributes}
    return "float64" if column in numbers else "datetime64[ns]" if column == "submitted_at" else "string"


def sampled(config: ClientConfig, table: Table, store: Path) -> Table:
    """A response table kept for the engine: every valid response in ``store`` (the rows read in Python written
    beside the parts the engine wrote there) and kept (:func:`keep_store`), and as the rows the chapters hold
    in memory the stratified sample of ``sampling.max_rows`` drawn from them
    (:func:`cxanalysis.sampling.fetch_sample`), its comments redacted."""
    from .engine import quiet
    from .sampling import fetch_sample

    if not table.valid.empty:
        table.valid.to_parquet(store / "files.parquet", index=False)
    with quiet():
        store = keep_store(config, store)
        sample, drawn = fetch_sample(read_store(store).select(*response_columns(config)), config.sampling.max_rows)
    sample = sample.astype({c: _canonical_type(config, c) for c in sample.columns})
    from_engine = ~sample["source"].isin(table.valid["source"].unique())
    if from_engine.any():
        redactor = Redactor(config.privacy.patterns)
        sample.loc[from_engine, "comment"] = redactor.redact_series(sample.loc[from_engine, "comment"])
    kept_all = drawn.rows >= drawn.of  # a warehouse table no larger than the limit: every response, no sample
    return Table(
        sample, table.quarantine, table.accounting, table.read_as, store=store, sample=None if kept_all else drawn
    )


def _load_operational(
    config: ClientConfig, spec: OperationalFile, rules: list[ColumnRule], name: str, *, row_numbers: bool = False
) -> Table:
    quote_header = inside_folder(spec.path, _client_folder(config))
    raw, how = read_table(
        spec.path,
        spec.file_format,
        sheet=spec.sheet,
        encoding=spec.encoding,
        delimiter=spec.delimiter,
        columns=[*(r.name for r in rules), *spec.columns.values()],
        quote_header=quote_header,
        table=spec.table,
    )
    notes = [how.pop("notes")] if "notes" in how else []
    known = {r.name for r in rules}
    unknown = sorted(set(spec.columns) - known)
    if unknown:
        raise CXInputError(
            f"unknown canonical names {name_list(unknown)} under 'columns'; use {sorted(known)}",
            file=spec.path,
            column=unknown[0],
            fix=f"correct the '{name}' section of the config",
        )
    mapping = {r.name: r.name for r in rules if r.name in raw.columns} | dict(spec.columns)
    valid, quarantine, accounting = validate_rows(
        raw,
        mapping,
        rules,
        file=spec.path,
        source=name,
        notes=notes,
        quote_header=quote_header,
        row_numbers=row_numbers,
    )
    # The same redaction step as the survey's: free-text labels (region, touchpoint, ...) leave here redacted.
    # The period is a key matched against the survey's periods, not text a person wrote.
    redactor = Redactor(config.privacy.patterns)
    for rule in rules:
        if rule.kind == "text" and rule.name != "period" and rule.name in valid:
            valid[rule.name] = redactor.redact_series(valid[rule.name])
    return Table(valid, quarantine, accounting, {**how, **({"notes": "; ".join(notes)} if notes else {})})


def load_customers(config: ClientConfig) -> Table | None:
    """The customers file (revenue, churn), or None when the client has none."""
    return _load_operational(config, config.customers, CUSTOMER_RULES, "customers") if config.customers else None


def load_tickets(config: ClientConfig) -> Table | None:
    """The support-tickets file (first-response time, complaints), or None."""
    return _load_operational(config, config.tickets, TICKET_RULES, "tickets") if config.tickets else None


#: The agent-satisfaction file: ASAT in percent of agents satisfied (0-100) per team and reporting period.
ASAT_RULES = [
    ColumnRule("team", "text", required=True),
    ColumnRule("period", "text", required=True),
    ColumnRule("asat", "number", required=True, low=0, high=100),
    ColumnRule("respondents", "number", low=0),
]

#: How the report writes a period, per ``report.period``: the pattern and an example.
PERIOD_LABELS = {"quarter": (r"\d{4}Q[1-4]", "2025Q1"), "month": (r"\d{4}-(?:0[1-9]|1[0-2])", "2025-03")}


def period_grain(labels: pd.Series) -> str | None:
    """Whether period labels are quarters (2025Q1) or months (2025-03), by the first label; None when it is
    neither or there is none."""
    first = labels.dropna().astype(str).head(1)
    for grain, (pattern, _example) in PERIOD_LABELS.items():
        if first.str.fullmatch(pattern).all() and len(first):
            return grain
    return None


def response_teams(responses: Table) -> set[str]:
    """The support teams the valid responses name (every valid response's, also when the chapters hold a sample)."""
    teams = set(responses.valid["team"].dropna().astype(str))
    if responses.store is not None:
        from .engine import execute, quiet

        with quiet():
            stored = read_store(responses.store)
            teams |= set(execute(stored.select("team").distinct())["team"].dropna().astype(str))
    return teams


def load_agent_satisfaction(config: ClientConfig, responses: Table) -> Table | None:
    """The agent-satisfaction (ASAT) file, or None when the client has none.

    Every valid row's period must be a quarter (2025Q1) or a month (2025-03), all of one kind, as the first row
    gives it (the file may count in quarters while the report counts in months: CSAT is then paired by the
    file's quarters), and its team must be a team the responses name: a row that breaks either is an error
    naming the file, column and row, since a misspelt team or period would otherwise pair with no CSAT at all.
    """
    spec = config.agent_satisfaction
    if spec is None:
        return None
    table = _load_operational(config, spec, ASAT_RULES, "agent_satisfaction", row_numbers=True)
    valid = table.valid
    grain = period_grain(valid["period"]) or config.report.period
    pattern, example = PERIOD_LABELS[grain]
    period = valid["period"].str.fullmatch(pattern).fillna(False).astype(bool)
    if not period.all():
        row = period.index[~period][0]
        raise CXInputError(
            f"the period {excerpt(valid.at[row, 'period'])!r} is not a {grain} written as 2025Q1 for a quarter or "
            f"2025-03 for a month, the same kind of period as the file's first (e.g. {example})",
            file=spec.path,
            column=spec.columns.get("period", "period"),
            row=int(row),
            fix=f"write each period of the file as one kind, e.g. {example}",
        )
    teams = response_teams(responses)
    known = valid["team"].isin(teams).fillna(False).astype(bool)
    if not known.all():
        row = known.index[~known][0]
        named = f"the responses name {name_list(sorted(teams))}" if teams else "no survey source maps a 'team' column"
        raise CXInputError(
            f"the team {excerpt(valid.at[row, 'team'])!r} is not a team of the responses; {named}",
            file=spec.path,
            column=spec.columns.get("team", "team"),
            row=int(row),
            fix="spell each team exactly as the survey export does, or map the export's team column under "
            "'columns' of its source",
        )
    return Table(valid.reset_index(drop=True), table.quarantine, table.accounting, table.read_as)


def load_follow_up_log(config: ClientConfig, responses: Table) -> Table | None:
    """The follow-up log, each row matched to the survey answer it followed up
    (:func:`cxanalysis.follow_up.match_log`), or None when the client keeps none."""
    spec = config.follow_up.log
    if spec is None:
        return None
    from .follow_up import ANSWER_COLUMNS, match_log

    log = _load_operational(config, spec, FOLLOW_UP_RULES, "follow_up_log", row_numbers=True)
    if responses.store is None:
        answers = responses.valid[list(ANSWER_COLUMNS)]
    else:
        from .engine import execute, quiet

        with quiet():
            answers = execute(read_store(responses.store).select(*ANSWER_COLUMNS))
    return match_log(log, answers, config.scales.model_dump(), spec)


def load_invitations(config: ClientConfig) -> Table | None:
    """The survey invitations (response rates), or None; each valid row keeps its row in the file (``row``).

    A count row that cannot be read is an error rather than a quarantined row, since it stands for many
    invitations (:func:`cxanalysis.response_rates.check_invitation_rows`)."""
    spec = config.invitations
    if spec is None:
        return None
    from .response_rates import check_invitation_rows

    named = {r.name for r in INVITATION_RULES}
    rules = [*INVITATION_RULES, *(ColumnRule(s, "text") for s in config.segments if s not in named)]
    table = _load_operational(config, spec, rules, "invitations", row_numbers=True)
    table.valid = table.valid.rename_axis("row").reset_index()
    check_invitation_rows(table, config)
    return table


@dataclass
class DataCheck:
    """The outcome of reading every file a client brings."""

    accounting: pd.DataFrame
    quarantine: pd.DataFrame
    files: pd.DataFrame
    #: Headline scores whose answers do not look like their scale (:func:`implausible_scores`).
    warnings: list[str]


def load_all(config: ClientConfig) -> dict[str, Table | None]:
    """Read and validate every file of a client: the responses, and the customers and tickets when it has them."""
    responses = load_responses(config)
    return {
        "responses": responses,
        "customers": load_customers(config),
        "tickets": load_tickets(config),
        "follow_up_log": load_follow_up_log(config, responses),
        "agent_satisfaction": load_agent_satisfaction(config, responses),
        "invitations": load_invitations(config),
    }


def check_all(config: ClientConfig, loaded: dict[str, Table | None] | None = None) -> DataCheck:
    """Read and validate every file of a client (or take the tables of :func:`load_all`): accounting,
    quarantine, and how each file was read."""
    loaded = load_all(config) if loaded is None else loaded
    tables = {k: t for k, t in loaded.items() if t is not None}
    files = []
    for source in config.sources:
        files.append({"source": source.name, "file": source.file_name, **tables["responses"].read_as[source.name]})
    for name in ("customers", "tickets", "agent_satisfaction"):
        if name in tables:
            files.append({"source": name, "file": getattr(config, name).path.name, **tables[name].read_as})
    if config.follow_up.log is not None and "follow_up_log" in tables:
        files.append(
            {"source": "follow_up_log", "file": config.follow_up.log.path.name, **tables["follow_up_log"].read_as}
        )
    if config.invitations is not None and "invitations" in tables:
        from .response_rates import check_invitations

        check_invitations(config, tables["invitations"], tables["responses"].valid)
        files.append({"source": "invitations", "file": config.invitations.path.name, **tables["invitations"].read_as})
    accounting = pd.concat([t.accounting for t in tables.values()], ignore_index=True)
    rows = accounting[accounting["outcome"] == "read"].set_index(["source", "file"])["rows"]
    files = pd.DataFrame(files)
    files["rows"] = [int(rows.get((f.source, f.file), 0)) for f in files.itertuples()]
    return DataCheck(
        accounting,
        pd.concat([t.quarantine for t in tables.values()], ignore_index=True),
        files.fillna(""),
        implausible_scores(tables["responses"].valid, config.scales.model_dump()),
    )


def implausible_scores(responses: pd.DataFrame, scales: dict[str, tuple[int, int]]) -> list[str]:
    """Warnings about headline scores whose answers do not look like their scale.

    A score answered with only two different values (a 0/1 or yes/no column
    mapped as NPS, say), or with 95 % or more of its answers at one end of
    its scale, most often comes from the wrong column or the wrong scale:
    its headline figure would be extreme without being true. Each warning
    names the score, the values seen and what to check.
    """
    warnings = []
    for score in ("nps", "csat", "ces"):
        answers = responses[score].dropna() if score in responses else pd.Series(dtype=float)
        if len(answers) < 10:
            continue
        low, high = scales[score]
        seen = sorted(answers.unique())
        if len(seen) <= 2:
            values = " and ".join(f"{v:g}" for v in seen)
            warnings.append(
                f"{score}: all {len(answers)} answers are {values} on a {low}-{high} scale; is the column a yes/no "
                f"question, or on another scale? Check its mapping (columns: {score}) and scales.{score}."
            )
            continue
        for end in (low, high):
            share = float((answers == end).mean())
            if share >= 0.95:
                warnings.append(
                    f"{score}: {100 * share:.0f} % of {len(answers)} answers are {end:g}, the end of its {low}-{high} "
                    f"scale; check that the column and scales.{score} are right."
                )
    return warnings


def reason_text(reason: str) -> str:
    """A quarantine reason (:data:`REASONS`) in plain words, in the report language."""
    return _(REASONS[reason]) if reason in REASONS else reason


def quarantine_reasons(accounting: pd.DataFrame) -> pd.DataFrame:
    """Quarantined rows per file and reason, in plain words."""
    bad = accounting[accounting["outcome"] == "quarantined"]
    return pd.DataFrame(
        {"source": bad["source"], "file": bad["file"], "reason": bad["reason"].map(reason_text), "rows": bad["rows"]}
    ).reset_index(drop=True)


def unknown_answer_labels(config: ClientConfig, quarantine: pd.DataFrame) -> pd.DataFrame:
    """Text answers no label map knew, with their counts, redacted: the consultant's full list (``validate``).

    The book shows :func:`unknown_answers_shown` instead, which keeps back any answer that may be personal text.
    """
    unknown = unknown_labels(quarantine)
    unknown["answer"] = Redactor(config.privacy.patterns).redact_series(unknown["answer"].astype("string"))
    return unknown


#: The longest unknown answer the book may show as written; a label is a few words.
SHOWN_ANSWER_CHARACTERS = 40
#: The book's row for the unknown answers of a column it does not show one by one.
OTHER_ANSWERS = N_("other text answers (not shown)")


def unknown_answers_shown(config: ClientConfig, quarantine: pd.DataFrame) -> pd.DataFrame:
    """The text answers no label map knew, as the book may show them: per file and column, the reason,
    the answer when it is plainly a label, how many distinct answer texts a row stands for (``texts``),
    and the rows that gave them.

    A quarantined answer is free text a customer typed into a score column ("call me on 912 34 567"), so
    the book shows its text only when it is plainly a label and not personal text: the same answer (spaces
    at its ends and runs of spaces inside it do not count) was given by at least the client's anonymity
    threshold of rows (``anonymity.min_responses``), it is at most :data:`SHOWN_ANSWER_CHARACTERS` long, and
    the redactor (with the client's patterns) leaves it unchanged. Every other answer of a column is counted
    in one row, :data:`OTHER_ANSWERS`. The quarantine file in the build's private folder keeps every answer
    as written, for the consultant.
    """
    columns = ["file", "column", "reason", "answer", "texts", "rows"]
    bad = quarantine[quarantine["reason"] == "unknown_label"] if "reason" in quarantine else quarantine.iloc[0:0]
    if bad.empty:
        return pd.DataFrame(columns=columns)
    answers = bad["value"].astype("string").str.strip().str.replace(r"\s+", " ", regex=True)
    counts = (
        bad.assign(answer=answers).groupby(["file", "column", "answer"], sort=False).size().rename("rows").reset_index()
    )
    redactor = Redactor(config.privacy.patterns)
    redacted = redactor.redact_series(counts["answer"].astype("string"))
    shown = (
        (counts["rows"] >= config.anonymity.min_responses)
        & (counts["answer"].str.len() <= SHOWN_ANSWER_CHARACTERS)
        & (redacted == counts["answer"]).fillna(False).astype(bool)
    )
    visible = counts[shown].assign(texts=1)
    hidden = (
        counts[~shown]
        .groupby(["file", "column"], sort=False)
        .agg(texts=("answer", "size"), rows=("rows", "sum"))
        .reset_index()
        .assign(answer=OTHER_ANSWERS)
    )
    table = pd.concat([visible, hidden], ignore_index=True)
    table["hidden"] = table["answer"] == OTHER_ANSWERS
    table = table.sort_values(["file", "column", "hidden", "rows"], ascending=[True, True, True, False])
    table["reason"] = reason_text("unknown_label")
    table["answer"] = table["answer"].mask(table["hidden"], _(OTHER_ANSWERS))
    return table[columns].astype({"texts": int, "rows": int}).reset_index(drop=True)


def accounting_report(summary: pd.DataFrame) -> str:
    """The accounting summary as console text, with its total."""
    return (
        f"Rows read, valid and quarantined per file:\n{summary.to_string(index=False)}\n"
        f"Total: {summary['read'].sum()} read = {summary['valid'].sum()} valid + "
        f"{summary['quarantined'].sum()} quarantined"
    )


def accounting_summary(accounting: pd.DataFrame) -> pd.DataFrame:
    """One row per file: read, valid, quarantined and the reasons, checked to add up."""
    wide = accounting.pivot_table(
        index=["source", "file"], columns="outcome", values="rows", aggfunc="sum", fill_value=0, sort=False
    )
    for outcome in ("read", "valid", "quarantined"):
        if outcome not in wide:
            wide[outcome] = 0
    bad = accounting[accounting["outcome"] == "quarantined"]
    reasons = (
        bad.assign(text=bad["reason"].map(reason_text) + " (" + bad["rows"].astype(str) + ")")
        .groupby(["source", "file"], sort=False)["text"]
        .agg("; ".join)
    )
    summary = wide[["read", "valid", "quarantined"]].join(reasons.rename("reasons")).reset_index()
    summary["reasons"] = summary["reasons"].fillna("")
    if not (summary["read"] == summary["valid"] + summary["quarantined"]).all():
        raise AssertionError("row accounting does not add up")  # a bug, not a user error
    summary.columns.name = None
    return summary
