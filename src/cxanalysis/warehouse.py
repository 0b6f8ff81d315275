"""A survey source checked where its rows are: the quarantine rules as Ibis expressions (DuckDB by default).

A client whose answers sit in a warehouse table of tens of millions of rows cannot have every row read into
pandas and checked there (:func:`cxanalysis.loading.validate_rows`). Here the same rules run in the engine:
:func:`open_table` gives the source's rows as an Ibis table (a DuckDB database file and a table, a Parquet file
or glob, or any Ibis connection URL and a table) without fetching them; :func:`check_in_engine` builds the
checked table, and only the row accounting (read, valid, quarantined per reason), a bounded sample of
quarantined rows and the few distinct texts of text score columns come back to Python; :func:`write_valid`
has the engine write the valid rows to Parquet.

Each row gets the reason :func:`~cxanalysis.loading.validate_rows` gives it: the rules are checked column by
column in the order of :func:`~cxanalysis.loading.response_rules`, exactly as there, and the first rule a row
breaks is its reason. What the engine reads differently from the pandas path:

- **Dates.** A timestamp or date column is taken as it is (a zoned timestamp in UTC, as the pandas path
  does). A text date column is read with the source's ``date_format`` (DuckDB's ``strptime``, whose codes are
  strftime's) or, without one, as ISO 8601 text (``2025-03-04``, ``2025-03-04 14:05``, with an offset
  converted to UTC). The pandas path also reads day-first dates (``04.03.2025``) without a format, dates in
  words and spreadsheet serial numbers: a text column with a day-first date, or with more than half its
  dates not ISO 8601, stops with a message asking for ``date_format``; fewer dates in words are quarantined
  as unparseable; a numeric date column stops with a message.
- **Duplicate ids.** The pandas path keeps the first row of an id in file order. A table has no order, so
  here the first is the row with the earliest date (a row without a date comes last); of two rows with the
  same id and the same date, one is kept and which one is not fixed. The rows quarantined as duplicates are
  the pandas path's when the export is in date order, as exports are. Otherwise the counts can differ where
  a row of a repeated id is quarantined for an earlier rule: the pandas path then quarantines the later
  row as a duplicate, the engine keeps it when it is the earliest by date.
- **Row numbers.** The quarantine's ``row`` is missing (a table has no row numbers; the ``raw:`` columns and
  the id say which row it is), and a source without a mapped id gets ids numbered by date.
- **Whitespace and numbers.** Text is trimmed of the whitespace Python's ``str.strip`` trims; a number
  written as text (weight) is read by the engine's cast after thousands separators are dropped and a decimal
  comma read, which may accept or refuse a rare spelling (``1_000``, ``0x10``) differently from pandas.
- **Quarantine and notes.** The sample holds the rows of the earliest rules first, then by date; a cell too
  long is quoted with its length written without thousands separators. The notes say which label map read a
  column and how many answers were read as not rated; the pandas path's notes on how dates and digits of
  other scripts were read are not made. A table has no cells beyond its columns (``extra_cells``).
- **Redaction.** The valid rows are those of ``validate_rows``: free text is not redacted and the language
  column not normalised here (:func:`cxanalysis.loading.load_responses` does both after the check, in
  Python); the valid rows written to Parquet therefore still hold the customers' text as written.

Text score columns are read exactly as the pandas path reads them (numbers written as text, a decimal
comma, "9 - Very likely", other digits, label maps named in the config or recognised from the answers,
not-rated answers): their distinct texts, at most :data:`MAX_SCORE_TEXTS` per column, are read in Python by
the pandas path's own functions and the scores go back to the engine as a lookup.
"""

from __future__ import annotations

import contextlib
import dataclasses
import glob
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from .config import ClientConfig, Source, blank_password
from .errors import CXInputError, excerpt, name_list
from .labels import LabelMap, label_maps, leading_scores
from .loading import (
    _FLAG_WORDS,
    CELL_MAX_CHARS,
    REASONS,
    ColumnRule,
    _ascii_digits,
    _read_score,
    response_columns,
    response_rules,
)
from .presentation import plural

if TYPE_CHECKING:
    import ibis
    import ibis.expr.types as ir

#: The most quarantined rows :func:`check_in_engine` brings back to Python.
QUARANTINE_SAMPLE = 1000

#: The most distinct texts a text score column may hold to be read in the engine.
MAX_SCORE_TEXTS = 1000

#: The characters Python's ``str.strip`` trims, as a regular-expression class (RE2 and Python alike).
_SPACE = r"[\t\n\x{0b}\f\r \x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"

#: A date written day and month first in digits (04.03.2025): read only with a date_format.
_DAY_MONTH_DIGITS = r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}"


@dataclass
class EngineCheck:
    """A source checked in the engine: the valid rows as an expression, the accounting and a quarantine sample."""

    valid: ibis.Table
    accounting: pd.DataFrame
    quarantine: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def source_location(source: Source) -> str:
    """Where a source's rows are, as a message shows it: the file or glob, or the URL without its password."""
    return blank_password(source.connection) if source.connection else str(source.path)


def _short_reason(exc: BaseException, secret: str | None = None) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if secret:
        text = text.replace(secret, "***")
    return excerpt(text, 300)


def _tables_of(connection: Any) -> list[str]:
    """Every table of a connection, as a config names it: schema.table outside the default schema."""
    found: set[str] = set()
    with contextlib.suppress(Exception):  # a backend that cannot list its tables still reads a named one
        found.update(connection.list_tables())
    try:
        databases = list(connection.list_databases())
    except Exception:
        databases = []
    current = getattr(connection, "current_database", None)
    for database in databases:
        if database in (current, "information_schema", "pg_catalog"):
            continue
        try:
            found.update(f"{database}.{name}" for name in connection.list_tables(database=database))
        except Exception:
            continue
    return sorted(found)


def _named_table(connection: Any, table: str, where: str, name: str | None) -> ibis.Table:
    """``table`` (schema.table allowed) of a connection, or one message naming the source, the place and the
    tables there are."""
    schema, _, bare = table.rpartition(".")
    try:
        return connection.table(bare, database=schema or None)
    except Exception:
        tables = _tables_of(connection)
        raise CXInputError(
            f"{_of(name)}no table {excerpt(table)!r} in the database (it has {name_list(tables) if tables else 'no tables'})",
            file=where,
            fix="correct 'table' in the config: the table's name, with its schema as schema.table",
        ) from None


def _of(name: str | None) -> str:
    return f"source {excerpt(name)!r}: " if name else ""


def open_duckdb_table(path: Path, table: str, name: str | None = None) -> ibis.Table:
    """``table`` of the DuckDB database file at ``path`` (source ``name``), opened read-only and not fetched."""
    import ibis

    try:
        connection = ibis.duckdb.connect(str(path), read_only=True)
    except Exception as exc:
        raise CXInputError(
            f"{_of(name)}cannot open as a DuckDB database: {_short_reason(exc)}",
            file=path,
            fix="check that 'path' names a DuckDB database file, or set 'format' to the file's own format",
        ) from None
    try:
        return _named_table(connection, table, str(path), name)
    except CXInputError:
        connection.disconnect()
        raise


def open_table(source: Source) -> ibis.Table:
    """A source's rows as an Ibis table expression; nothing is fetched.

    The source is a DuckDB database file and its ``table``, a Parquet file or glob (``exports/*.parquet``),
    or an Ibis connection URL (``connection:``, e.g. ``duckdb:///abs/path.duckdb`` or
    ``postgres://user@host/db``) and its ``table`` (schema.table allowed). A URL that is not one, a backend
    that cannot connect and a missing table each stop with one :class:`CXInputError` naming the source, the
    file or URL (its password blanked) and, for a missing table, the tables there are.
    """
    import ibis

    from .engine import quiet

    with quiet():
        if source.connection:
            where = blank_password(source.connection)
            secret = _password(source.connection)
            try:
                connection = ibis.connect(source.connection)
            except Exception as exc:
                raise CXInputError(
                    f"source {excerpt(source.name)!r}: cannot connect: {_short_reason(exc, secret)}",
                    file=where,
                    key="connection",
                    fix="check the connection URL (backend://user@host/database), that the backend's driver is "
                    "installed and that the database is reachable",
                ) from None
            try:
                return _named_table(connection, source.table or "", where, source.name)
            except CXInputError:
                connection.disconnect()
                raise
        if source.file_format == "duckdb":
            return open_duckdb_table(source.path, source.table or "", source.name)
        if source.file_format == "parquet":
            pattern = str(source.path)
            if not glob.glob(pattern, recursive=True):
                pattern_given = any(c in pattern for c in "*?[")
                raise CXInputError(
                    f"source {excerpt(source.name)!r}: "
                    + ("no file matches the pattern" if pattern_given else "data file not found"),
                    file=source.path,
                    fix="check 'path' in the config (a pattern like exports/*.parquet names several files); "
                    "relative paths start at the config file's folder",
                )
            try:
                return ibis.duckdb.connect().read_parquet(pattern)
            except Exception as exc:
                raise CXInputError(
                    f"source {excerpt(source.name)!r}: cannot read as Parquet: {_short_reason(exc)}",
                    file=source.path,
                    fix="check that the files are Parquet, or set 'format'",
                ) from None
    raise CXInputError(
        f"source {excerpt(source.name)!r}: a {source.file_format} file is read by the loader, not in the engine",
        file=source.path,
        fix="check it in the engine as a Parquet file, a DuckDB table or a table by 'connection'",
    )


def _password(url: str) -> str | None:
    try:
        return urlsplit(url).password
    except ValueError:
        return None


# --- the rules as expressions -------------------------------------------------------------------------------


def _strip(text: ir.StringValue) -> ir.StringValue:
    """Text without the whitespace Python's ``str.strip`` takes off its ends (most text has none to take)."""
    import ibis

    return ibis.ifelse(text.re_search(f"^{_SPACE}|{_SPACE}$"), text.re_replace(f"^{_SPACE}+|{_SPACE}+$", ""), text)


def _is_string(column: ir.Column) -> bool:
    return column.type().is_string()


def _as_text(column: ir.Column) -> ir.StringValue:
    """A cell as trimmed text, missing when empty (``loading._as_text``); a float's NaN is missing."""
    import ibis

    if _is_string(column):
        text = _strip(column)
        return ibis.ifelse(text == "", ibis.null("string"), text)
    if column.type().is_floating():
        return ibis.ifelse(column.isnan(), ibis.null("string"), column.cast("string"))
    return column.cast("string")


def _raw_text(column: ir.Column) -> ir.StringValue:
    """A cell as text as it is written (the quarantine's ``value``)."""
    import ibis

    if _is_string(column):
        return column
    if column.type().is_floating():
        return ibis.ifelse(column.isnan(), ibis.null("string"), column.cast("string"))
    return column.cast("string")


def _try_strptime(text: ir.StringValue, date_format: str) -> ir.TimestampValue:
    """Text read with a strftime format; missing where it does not fit (DuckDB's try_strptime)."""
    import ibis

    if _backend_name(text) == "duckdb":

        def try_strptime(value, fmt):
            """DuckDB's own function: the timestamp, or missing where the text does not fit."""

        builtin = ibis.udf.scalar.builtin(
            try_strptime, name="try_strptime", signature=(("string", "string"), "timestamp")
        )
        return builtin(text, date_format)
    if _backend_name(text) == "pyspark":

        def try_to_timestamp(value, fmt):
            """Spark's own function: the timestamp, or missing where the text does not fit."""

        builtin = ibis.udf.scalar.builtin(
            try_to_timestamp, name="try_to_timestamp", signature=(("string", "string"), "timestamp")
        )
        return builtin(text, _java_date_pattern(date_format))
    return text.as_timestamp(date_format)  # other backends: their own strptime, which may stop at a bad date


def _java_date_pattern(date_format: str) -> str:
    """A strftime format as the date pattern Spark reads: each code translated, the text between codes
    quoted where it holds letters (the T of 2025-01-31T10:00)."""
    from sqlglot.dialects.spark import Spark
    from sqlglot.time import format_time

    parts = []
    for code, text in re.findall(r"(%-?[A-Za-z%])|([^%]+)", date_format):
        if code:
            parts.append(format_time(code, Spark.INVERSE_TIME_MAPPING, Spark.INVERSE_TIME_TRIE) or code)
        else:
            parts.append("'" + text.replace("'", "''") + "'" if re.search("[A-Za-z']", text) else text)
    return "".join(parts)


def _backend_name(expression: ir.Expr) -> str:
    try:
        return str(expression._find_backend().name)
    except Exception:  # an in-memory table runs on the default DuckDB
        return "duckdb"


@dataclass
class _Flag:
    """One rule's test: the rows it flags (before earlier rules take them), its reason, column and value."""

    mask: ir.BooleanValue
    reason: str
    column: str
    value: ir.StringValue


def _score_texts(
    table: ir.Table,
    column: str,
    rule: ColumnRule,
    live: ir.BooleanValue,
    maps: dict[str, LabelMap],
    notes: list[str],
) -> tuple[dict[str, float], list[str], bool]:
    """A text score column read by the pandas path's own rules, once per distinct text answered.

    Returns the score of each text that reads as one, the texts that could not be read and whether a label
    map read them.
    """
    from .engine import execute

    raw = table[column]
    distinct = table.filter(live).group_by(text=raw).aggregate(rows=raw.count()).limit(MAX_SCORE_TEXTS + 1)
    counts = execute(distinct)
    if len(counts) > MAX_SCORE_TEXTS:
        raise CXInputError(
            f"the score column holds more than {MAX_SCORE_TEXTS:,} different texts, too many to be answers on a "
            "scale (is it a comment column?)",
            column=column,
            fix="map the column holding the score, or write the scores as numbers",
        )
    values = pd.Series(counts["text"].tolist(), dtype=object)
    rows = counts["rows"].to_numpy(dtype=np.int64)
    labels = rule.labels
    text = values.notna() & leading_scores(_ascii_digits(values)).isna()
    if labels is None and maps and text.any():
        labels, share = _best_map(values[text], rows[text.to_numpy()], maps)
        if labels is not None and share >= 0.5:
            notes.append(f"'{column}' read with the label map {labels.name} ({share:.0%} of its text answers known)")
        else:
            labels = None
    present = pd.Series(True, index=values.index)
    parsed, unread, labelled = _read_score(dataclasses.replace(rule, labels=labels), values, present, None, column, [])
    not_rated = (parsed.isna() & ~unread).to_numpy()
    if not_rated.any():  # the pandas path's note, counted in rows rather than distinct texts
        notes.append(f"{plural(int(rows[not_rated].sum()), 'answer')} in '{column}' read as not rated")
    scores = {v: float(x) for v, x in zip(values, parsed) if pd.notna(v) and pd.notna(x)}
    return scores, [v for v, u in zip(values, unread) if pd.notna(v) and bool(u)], labelled


def _best_map(texts: pd.Series, rows: np.ndarray, maps: dict[str, LabelMap]) -> tuple[LabelMap | None, float]:
    """:func:`cxanalysis.labels.best_label_map` over distinct texts, each counted as often as it was answered."""
    if texts.empty:
        return None, 0.0
    best, best_share = None, 0.0
    for label_map in maps.values():
        _, matched, not_rated = label_map.read(texts.astype("string").reset_index(drop=True))
        if not (matched & ~not_rated).any():
            continue
        share = float(rows[matched.to_numpy()].sum() / rows.sum())
        if share > best_share:
            best, best_share = label_map, share
    return best, best_share


def _read_date(
    table: ir.Table, column: str, text: ir.StringValue, source: Source, live: ir.BooleanValue, check: bool = True
) -> ir.TimestampValue:
    """A date column as timestamps. Text without a date_format is read as ISO 8601; with ``check``, a
    query first makes sure it is written so (else the consultant is asked for the date_format)."""
    import ibis

    from .engine import execute

    raw = table[column]
    kind = raw.type()
    if kind.is_timestamp():
        return raw.cast("timestamp") if kind.timezone is None else raw.cast("timestamp('UTC')").cast("timestamp")
    if kind.is_date():
        return raw.cast("timestamp")
    if not kind.is_string():
        raise CXInputError(
            f"the date column holds {kind} values (spreadsheet serial numbers?); the engine reads dates and text",
            file=source_location(source),
            column=column,
            fix="store the column as a timestamp, or as text with a date_format",
        )
    if source.date_format:
        return _try_strptime(text, source.date_format)
    parsed = text.try_cast("timestamp('UTC')").cast("timestamp")
    if not check:
        return parsed
    answered = live & text.notnull()
    unread = answered & parsed.isnull()
    found = execute(
        table.aggregate(
            answered=answered.sum(),
            unread=unread.sum(),
            day_month=(unread & text.re_search(_DAY_MONTH_DIGITS)).sum(),
            example=ibis.ifelse(unread, text, ibis.null("string")).max(),
        )
    ).iloc[0]
    unread_rows = int(found["unread"] or 0)
    if unread_rows and (int(found["day_month"] or 0) or 2 * unread_rows > int(found["answered"] or 0)):
        raise CXInputError(
            f"{plural(unread_rows, 'date')} are not ISO 8601 text (e.g. {excerpt(found['example'])!r}); the engine "
            "reads other spellings with the source's date_format only",
            file=source_location(source),
            column=column,
            key="date_format",
            fix="set 'date_format' for the source in strftime codes, e.g. '%d.%m.%Y %H:%M'",
        )
    return parsed


def _read_number(raw: ir.Column, text: ir.StringValue) -> ir.FloatingValue:
    if not _is_string(raw):
        value = raw.cast("float64")
        return value if not raw.type().is_floating() else value.nullif(float("nan"))
    for _ in range(2):  # 1 234 567: a space (or no-break space) before each group of three digits
        text = text.re_replace(r"(\d)[\s\x{a0}](\d{3})\b", r"\1\2")
    return text.replace(",", ".").try_cast("float64")


def _read_flag(raw: ir.Column, text: ir.StringValue) -> ir.FloatingValue:
    import ibis

    if raw.type().is_boolean():
        return raw.cast("float64")
    if not _is_string(raw):
        number = raw.cast("float64")
        return ibis.ifelse(number.isin([0.0, 1.0]), number, ibis.null("float64"))
    text = text.lower()
    number = text.try_cast("float64")
    word = text.substitute(_FLAG_WORDS, else_=ibis.null("float64")).cast("float64")
    return word.coalesce(ibis.ifelse(number.isin([0.0, 1.0]), number, ibis.null("float64")))


def _numeric_score(raw: ir.Column, rule: ColumnRule) -> ir.FloatingValue:
    import ibis

    value = raw.cast("float64")
    if raw.type().is_floating():
        value = value.nullif(float("nan"))
    if rule.not_rated:
        value = ibis.ifelse(value.isin(list(rule.not_rated)), ibis.null("float64"), value)
    return value + 0.0


def _check_mapping(table: ir.Table, source: Source, rules: list[ColumnRule]) -> None:
    absent = [c for c in source.columns.values() if c not in table.columns]
    if absent:
        raise CXInputError(
            f"source {excerpt(source.name)!r}: mapped column {excerpt(absent[0])!r} is not in the table; its "
            f"columns are {name_list(table.columns)}",
            file=source_location(source),
            column=absent[0],
            fix="correct the column name under 'columns' in the config (names must match exactly)",
        )
    required = [r.name for r in rules if r.required and r.name not in source.columns and r.kind != "id"]
    if required:
        raise CXInputError(
            f"no column is mapped to required {required[0]!r}",
            file=source_location(source),
            fix=f"add '{required[0]}: <column in the table>' under 'columns'",
        )


def check_in_engine(config: ClientConfig, source: Source, table: ibis.Table | None = None) -> EngineCheck:
    """Check a survey source's rows in the engine: valid rows as an expression, accounting, quarantine sample.

    ``table`` is the source's rows (default: :func:`open_table`). ``valid`` has the canonical response
    columns in :func:`~cxanalysis.loading.response_columns` order, typed (text as string, ``submitted_at`` a
    timestamp, ``period`` as :func:`cxanalysis.loading.period_labels` writes it, scores, weight and flags as
    float64); ``accounting`` has the rows of :func:`~cxanalysis.loading.validate_rows`' accounting (read,
    valid and one row per quarantine reason, in :data:`~cxanalysis.loading.REASONS` order); ``quarantine`` at
    most :data:`QUARANTINE_SAMPLE` quarantined rows, with the columns of ``validate_rows``' quarantine and
    the ``raw:`` columns. How this reads a value differently from the pandas path: the module's docstring.
    """
    import ibis

    from .engine import execute, quiet

    notes: list[str] = []
    with quiet():
        table = open_table(source) if table is None else table
        rules = response_rules(config, source)
        _check_mapping(table, source, rules)
        maps = label_maps(config.answer_labels)
        location = source_location(source)
        file_name = source.file_name
        raw_columns = list(table.columns)
        mapping = dict(source.columns)

        source_rows = table
        nothing = ibis.literal("", type="string")
        score_texts: dict[str, tuple[dict[str, float], list[str], bool]] = {}
        dates_checked: set[str] = set()

        def stage(rows: ir.Table) -> tuple[ir.Table, list[_Flag]]:
            """``rows`` with each rule settled: the first rule a row breaks (``__cx_early``, an index into the
            returned rules), the value it quotes, the date and every parsed column (``__cx_out_<name>``).
            The queries a rule needs (the texts of a text score column, how a text date column is written)
            run on the first rows staged, the source's own."""
            flags: list[_Flag] = []

            def flagged() -> ir.BooleanValue:
                """Whether an earlier rule took the row."""
                return ibis.or_(*(f.mask for f in flags)) if flags else ibis.literal(False)

            def flag(mask: ir.BooleanValue, reason: str, column: str, value: ir.StringValue) -> None:
                flags.append(_Flag(mask.fill_null(False), reason, column, value))

            # Each cell as trimmed text, worked out once: most rules read it.
            text_names = {c: f"__cx_text_{i}" for i, c in enumerate(raw_columns)}
            rows = rows.mutate(**{text_names[c]: _as_text(rows[c]) for c in raw_columns})
            texts = {c: rows[text_names[c]] for c in raw_columns}
            present = {c: texts[c].notnull() for c in raw_columns}
            flag(~ibis.or_(*present.values()), "empty_row", "(all columns)", nothing)
            as_header = [ibis.ifelse(texts[c] == str(c), 1, 0) for c in raw_columns]
            filled = [ibis.ifelse(present[c], 1, 0) for c in raw_columns]
            header_cells = sum(as_header[1:], as_header[0])
            filled_cells = sum(filled[1:], filled[0])
            flag(
                header_cells >= ibis.greatest(2, filled_cells.cast("float64") * 0.8),
                "repeated_header",
                "(all columns)",
                nothing,
            )
            for mapped in dict.fromkeys(mapping.values()):
                length = texts[mapped].length()
                shown = texts[mapped].substr(0, 200) + " … (" + length.cast("string") + " characters)"
                flag(length > CELL_MAX_CHARS, "cell_too_long", mapped, shown)

            out: dict[str, ir.Value] = {}
            for rule in rules:
                column = mapping.get(rule.name)
                if column is None:
                    continue
                raw = rows[column]
                value = _raw_text(raw)
                here = present[column]
                if rule.required:
                    flag(~here, "missing_required", column, value)
                if rule.kind == "id" or rule.name == "customer_id":
                    flag(texts[column].re_search(r"^\d(?:[.,]\d+)?[eE]\+\d+$"), "mangled_id", column, value)
                parsed: ir.Value
                if rule.kind == "date":
                    check = column not in dates_checked
                    parsed = _read_date(rows, column, texts[column], source, ~flagged(), check)
                    dates_checked.add(column)
                    flag(here & parsed.isnull(), "unparseable_date", column, value)
                elif rule.kind == "score":
                    if _is_string(raw):
                        if column not in score_texts:
                            score_texts[column] = _score_texts(rows, column, rule, here & ~flagged(), maps, notes)
                        scores, unread, labelled = score_texts[column]
                        parsed = (
                            raw.substitute(scores, else_=ibis.null("float64")) if scores else ibis.null("float64")
                        ).cast("float64")
                        flag(
                            here & (raw.isin(unread) if unread else ibis.literal(False)),
                            "unknown_label" if labelled else "not_a_number",
                            column,
                            value,
                        )
                    elif raw.type().is_numeric() or raw.type().is_boolean():
                        parsed = _numeric_score(raw, rule)
                    else:
                        raise CXInputError(
                            f"the score column holds {raw.type()} values, not numbers or text",
                            file=location,
                            column=column,
                            fix="map the column holding the score",
                        )
                elif rule.kind == "number":
                    parsed = _read_number(raw, texts[column])
                    flag(here & parsed.isnull(), "not_a_number", column, value)
                elif rule.kind == "flag":
                    parsed = _read_flag(raw, texts[column])
                    flag(here & parsed.isnull(), "invalid_value", column, value)
                else:
                    parsed = texts[column]
                if rule.kind in ("score", "number"):
                    outside = ibis.literal(False)
                    if rule.low is not None:
                        outside |= parsed < float(rule.low)
                    if rule.high is not None:
                        outside |= parsed > float(rule.high)
                    if rule.kind == "score":
                        outside |= parsed.notnull() & (parsed != parsed.round())
                    flag(outside, "score_out_of_range" if rule.kind == "score" else "invalid_value", column, value)
                out[rule.name] = parsed

            # The rules settled row by row: the first one a row breaks, and the value it quotes.
            early = ibis.cases(*((f.mask, i) for i, f in enumerate(flags)), else_=ibis.null("int64"))
            quoted = ibis.cases(*((f.mask, f.value) for f in flags), else_=ibis.null("string"))
            date = out.get("submitted_at", ibis.null("timestamp"))
            staged = rows.mutate(
                __cx_early=early.cast("int64"),
                __cx_value=quoted.cast("string"),
                __cx_date=date,
                **{f"__cx_out_{name}": parsed for name, parsed in out.items()},
            ).drop(*text_names.values())
            return staged, flags

        staged, flags = stage(source_rows)
        # "First" for a repeated id (and the numbering of ids a source does not have): the earliest date
        # first, a missing date last.
        if "response_id" in mapping:
            # Only the rows of an id used more than once are ranked, in rows staged apart from the others: a
            # window over every row, or rows staged once and read twice, would hold every row in memory.
            ids = _as_text(source_rows[mapping["response_id"]])
            counted = source_rows.filter(ids.notnull()).group_by(__cx_id=ids).aggregate(__cx_n=ibis._.count())
            repeated = counted.filter(counted["__cx_n"] > 1)["__cx_id"]
            once, _ = stage(source_rows.filter(ids.isnull() | ~ids.isin(repeated)))
            again, _ = stage(source_rows.filter(ids.isin(repeated)))
            first = [again["__cx_date"].isnull(), again["__cx_date"]]
            seen = ibis.row_number().over(group_by=again["__cx_out_response_id"], order_by=first)  # from 0
            staged = once.mutate(__cx_seen=ibis.literal(0, type="int64")).union(
                again.mutate(__cx_seen=seen.cast("int64")), distinct=False
            )
        else:
            order = [staged["__cx_date"].isnull(), staged["__cx_date"]]
            staged = staged.mutate(__cx_rank=ibis.row_number().over(order_by=order))  # from 0
            number = staged["__cx_rank"] + 2  # the row a spreadsheet would show, below its header
            staged = staged.mutate(__cx_generated_id=source.name + "-" + number.cast("string"))

        def settled(rows: ir.Table) -> dict[str, ir.Value]:
            """Each rule's value of the staged ``rows``: parsed, a generated id, or missing."""
            values: dict[str, ir.Value] = {}
            for rule in rules:
                if rule.name in mapping:
                    values[rule.name] = rows[f"__cx_out_{rule.name}"]
                elif rule.kind == "id":
                    values[rule.name] = rows["__cx_generated_id"]
                elif rule.kind == "date":
                    values[rule.name] = ibis.null("timestamp")
                elif rule.kind == "text":
                    values[rule.name] = ibis.null("string")
                else:
                    values[rule.name] = ibis.null("float64")
            return values

        final = settled(staged)
        late: list[_Flag] = []
        if "response_id" in mapping:
            column = mapping["response_id"]
            late.append(_Flag(staged["__cx_seen"] > 0, "duplicate_id", column, _raw_text(staged[column])))
        answers = [c for c in ["nps", "csat", "ces", "comment", *config.attributes] if c in final]
        answered = ibis.or_(*(final[c].notnull() for c in answers))
        late.append(_Flag(~answered, "no_answers", "(all answer columns)", nothing))
        every = [*flags, *late]
        which = ibis.cases(
            (staged["__cx_early"].notnull(), staged["__cx_early"]),
            *((f.mask.fill_null(False), len(flags) + i) for i, f in enumerate(late)),
            else_=ibis.null("int64"),
        )
        value = ibis.cases(
            (staged["__cx_early"].notnull(), staged["__cx_value"]),
            *((f.mask.fill_null(False), f.value) for f in late),
            else_=ibis.null("string"),
        )
        checked = staged.mutate(__cx_flag=which.cast("int64"), __cx_quoted=value.cast("string"))
        if _backend_name(checked) == "pyspark":
            # Spark's planner copies every rule's expression into each later one and runs out of memory on
            # the valid rows' query; the rules settled once, as a cached table, keep each query small.
            checked = checked.cache()
            final = settled(checked)
        flag_at = checked["__cx_flag"]
        reasons = [f.reason for f in every]

        # Accounting: the only full pass whose result comes back, a handful of numbers.
        counts = execute(checked.group_by(flag=flag_at).aggregate(rows=ibis._.count()))
        read = int(counts["rows"].sum())
        by_reason: dict[str, int] = {}
        for index, rows in zip(counts["flag"], counts["rows"]):
            if pd.notna(index):
                by_reason[reasons[int(index)]] = by_reason.get(reasons[int(index)], 0) + int(rows)
        valid_rows = read - sum(by_reason.values())
        base = {"source": source.name, "file": file_name}
        accounting = pd.DataFrame(
            [
                {**base, "outcome": "read", "reason": "", "rows": read},
                {**base, "outcome": "valid", "reason": "", "rows": valid_rows},
                *[
                    {**base, "outcome": "quarantined", "reason": key, "rows": by_reason[key]}
                    for key in REASONS
                    if by_reason.get(key)
                ],
            ]
        )

        # The quarantine sample: a bounded number of rows, the earliest rules first, then by date.
        sample = (
            checked.filter(flag_at.notnull())
            .order_by([flag_at, checked["__cx_date"]])
            .limit(QUARANTINE_SAMPLE)
            .select("__cx_flag", "__cx_quoted", *raw_columns)
        )
        fetched = execute(sample)
        taken = fetched["__cx_flag"].astype(int)
        quarantine = pd.concat(
            [
                pd.DataFrame(
                    {
                        "source": source.name,
                        "file": file_name,
                        "row": pd.Series(pd.NA, index=fetched.index, dtype="Int64"),
                        "reason": taken.map(lambda i: every[i].reason).astype("string"),
                        "reason_text": taken.map(lambda i: REASONS[every[i].reason]),
                        "column": taken.map(lambda i: every[i].column).astype("string"),
                        "value": fetched["__cx_quoted"].astype("string"),
                    }
                ),
                fetched[raw_columns].add_prefix("raw: "),
            ],
            axis=1,
        )

        valid_table = checked.filter(flag_at.isnull())
        date_out = final["submitted_at"]
        if "submitted_at" not in mapping and source.collected_on is not None:
            date_out = ibis.literal(pd.Timestamp(source.collected_on).to_pydatetime(), type="timestamp")
        columns: dict[str, ir.Value] = {}
        for name in response_columns(config):
            if name == "source":
                columns[name] = ibis.literal(source.name, type="string")
            elif name == "submitted_at":
                columns[name] = date_out.cast("timestamp")
            elif name == "period":
                columns[name] = engine_period(date_out, config.report.period)
            elif name == "survey" and "survey" not in mapping:
                columns[name] = ibis.literal(source.survey or source.name, type="string")
            elif name == "weight" and "weight" not in mapping:
                columns[name] = ibis.literal(1.0, type="float64")
            elif name in _TEXT_RESPONSE_COLUMNS or name in config.segments:
                columns[name] = final[name].cast("string")
            else:
                columns[name] = final[name].cast("float64")
        valid = valid_table.select(**columns)
    return EngineCheck(valid, accounting, quarantine.reset_index(drop=True), notes)


#: The canonical response columns that hold text (besides the segments).
_TEXT_RESPONSE_COLUMNS = (
    "response_id",
    "survey",
    "touchpoint",
    "channel",
    "customer_id",
    "team",
    "agent",
    "comment",
    "language",
)


def engine_period(date: ir.TimestampValue, period: str) -> ir.StringValue:
    """``loading.period_labels`` in the engine: 2025-03 for a month, 2025Q1 for a quarter."""
    if period == "quarter":
        return date.year().cast("string") + "Q" + date.quarter().cast("string")
    return date.strftime("%Y-%m")


def table_fingerprint(source: Source) -> str:
    """A fingerprint of a table read by ``connection``, for the record and the caches' keys: its rows counted
    and a sum of a hash of every row's cells, computed where the table is (one pass; nothing is fetched).
    Any change to a cell, a row added or removed, changes it but for a chance of one in billions."""
    import hashlib

    import ibis

    from .engine import execute

    table = open_table(source)
    # Printable marks: a control character in a literal breaks the SQL some backends are sent.
    cells = [table[c].cast("string").fill_null("<missing>") for c in table.columns]
    row = ibis.literal("<|>").join(cells) if cells else ibis.literal("")
    sums = execute(table.aggregate(rows=table.count(), total=(row.hash() % 1_000_000_007).sum()))
    facts = (
        f"{blank_password(source.connection or '')}|{source.table}|{int(sums['rows'].iloc[0])}|{sums['total'].iloc[0]}"
    )
    return hashlib.sha256(facts.encode()).hexdigest()


def write_valid(check: EngineCheck, path: str | Path) -> int:
    """Have the engine write the valid rows to one Parquet file and return how many rows it wrote. DuckDB
    writes the file itself (no row passes through Python); another backend (Spark, a SQL warehouse) sends
    the rows in batches that are appended to the file one at a time, so they are never all in memory, and
    the file is one file whatever the backend's own writer would make of it (Spark: a folder of parts)."""
    import pyarrow.parquet as pq

    from .engine import default_connection, quiet

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with quiet():
        try:
            backend = check.valid._find_backend()
        except Exception:
            backend = default_connection()
        if backend.name == "duckdb":
            backend.to_parquet(check.valid, path)
        else:
            batches = backend.to_pyarrow_batches(check.valid)
            with pq.ParquetWriter(path, batches.schema) as writer:
                for batch in batches:
                    writer.write_batch(batch)
    return int(check.accounting.loc[check.accounting["outcome"] == "valid", "rows"].sum())


__all__ = [
    "MAX_SCORE_TEXTS",
    "QUARANTINE_SAMPLE",
    "EngineCheck",
    "blank_password",
    "check_in_engine",
    "open_table",
    "table_fingerprint",
    "write_valid",
]
