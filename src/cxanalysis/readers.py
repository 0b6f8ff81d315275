"""Reading client files as they are exported: CSV, XLSX and Parquet.

CSV encoding and delimiter are detected when the config does not name them.
Encoding detection is deliberately rule-based rather than statistical: a
Nordic export is UTF-8 (with or without a byte-order mark), UTF-16 (Excel's
"Unicode text") or Windows-1252, and trying them in that order never turns
"æøå" into look-alike letters the way a guessed code page can.

Files are read as a grid of cells, header included, so that survey-tool
layouts with several header rows can be recognised (:mod:`cxanalysis.exports`).
The grid's index is the row number a spreadsheet shows for each row: a
multi-line quoted comment is one row, and a blank line is an (empty) row.
"""

from __future__ import annotations

import csv
import io
import string
from pathlib import Path

import openpyxl
import pandas as pd

from .errors import CXInputError

DELIMITERS = ",;\t|"

#: Name of the column that holds cells beyond the header's width in a CSV row.
OVERFLOW = "(cells beyond the header)"


def detect_encoding(raw: bytes) -> str:
    """Name the encoding of a CSV file's bytes."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = raw[:4096]
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
        return "utf-16-le"  # UTF-16 without its byte-order mark: every other byte of ASCII text is zero
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        raw.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte.
        return "latin-1"


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first records into the same number of cells, the most of them.

    Quoted cells are respected, so a comma inside a quoted comment (or an
    unquoted comma in a semicolon file's header) does not mislead it.
    """
    lines = text[:65536].splitlines()[:-1] or text.splitlines()
    sample = "\n".join(lines[:50])
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if row]
        except csv.Error:
            continue
        if not widths or max(widths) < 2:
            continue
        agreeing = max(widths.count(w) for w in set(widths)) / len(widths)
        score = (round(agreeing, 2), widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def column_letter(position: int) -> str:
    """A spreadsheet's name for the column at a 0-based position: A, B, ..., Z, AA, ..."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = string.ascii_uppercase[rest] + letters
    return letters


def _csv_cells(path: Path, encoding: str | None, delimiter: str | None) -> tuple[pd.DataFrame, dict[str, str]]:
    raw = path.read_bytes()
    encoding = encoding or detect_encoding(raw)
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise CXInputError(f"cannot decode the file as {encoding}: {exc}", file=path,
                           fix="set 'encoding' for this source in the config (e.g. utf-8 or cp1252)") from None
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise CXInputError("the file is empty", file=path, fix="export the data again with a header row")
    delimiter = delimiter or detect_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise CXInputError(f"cannot parse as CSV with delimiter {delimiter!r}: {exc}", file=path,
                           fix="check the quoting near that row, or set 'delimiter' for this source") from None
    width = max(len(row) for row in rows)
    grid = pd.DataFrame([row + [""] * (width - len(row)) for row in rows], dtype="string",
                        index=pd.RangeIndex(1, len(rows) + 1))
    return grid.mask(grid == ""), {"format": "csv", "encoding": encoding, "delimiter": delimiter}


def _xlsx_cells(path: Path, sheet: str | int | None) -> tuple[pd.DataFrame, dict[str, str]]:
    sheet_name = 0 if sheet is None else sheet
    try:
        grid = pd.read_excel(path, sheet_name=sheet_name, header=None, dtype=object, engine="openpyxl")
    except ValueError as exc:
        if "Worksheet" in str(exc) or "not found" in str(exc):
            names = openpyxl.load_workbook(path, read_only=True).sheetnames
            raise CXInputError(f"sheet {sheet_name!r} not found; the workbook has {names}", file=path,
                               fix="set 'sheet' for this source in the config") from None
        raise CXInputError(f"cannot read the workbook: {exc}", file=path) from None
    except Exception as exc:  # a corrupt or mislabelled file
        raise CXInputError(f"cannot read as XLSX: {exc}", file=path,
                           fix="check that the file is an Excel workbook, or set 'format'") from None
    if grid.empty:
        raise CXInputError(f"sheet {sheet_name!r} is empty", file=path, fix="export the data again with a header row")
    grid.index = pd.RangeIndex(1, len(grid) + 1)
    text = grid.map(lambda v: isinstance(v, str) and not v.strip())
    return grid.mask(text), {"format": "xlsx", "sheet": str(sheet_name)}


def read_cells(
    path: Path,
    file_format: str,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every cell of a file, header rows included, indexed by spreadsheet row number.

    CSV cells are text (empty cells missing) so that parsing and validation
    decide what a value means; XLSX cells keep the workbook's types (numbers,
    dates). Parquet has its header in its schema: the grid's first row
    holds the column names.
    """
    path = Path(path)
    if not path.is_file():
        raise CXInputError(
            "data file not found",
            file=path,
            fix="check 'path' in the config; relative paths start at the config file's folder",
        )
    if file_format == "csv":
        return _csv_cells(path, encoding, delimiter)
    if file_format == "xlsx":
        return _xlsx_cells(path, sheet)
    if file_format == "parquet":
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:
            raise CXInputError(f"cannot read as Parquet: {exc}", file=path,
                               fix="check that the file is Parquet, or set 'format'") from None
        header = pd.DataFrame([list(frame.columns)], columns=frame.columns, dtype=object)
        grid = pd.concat([header, frame.astype(object)], ignore_index=True)
        grid.columns = range(grid.shape[1])
        grid.index = pd.RangeIndex(1, len(grid) + 1)
        return grid, {"format": "parquet"}
    raise CXInputError(f"unknown file format {file_format!r}", file=path, fix="set 'format' to csv, xlsx or parquet")


def with_header(grid: pd.DataFrame, names: list[str], first_data_row: int, notes: list[str],
                file_format: str) -> pd.DataFrame:
    """Name the grid's columns and keep its data rows.

    Trailing columns with neither a name nor a value are dropped (and noted).
    In a CSV, cells beyond the header's width are gathered in :data:`OVERFLOW`
    so that the row can be quarantined; in a workbook a column without a name
    but with values is named by its letter.
    """
    data = grid.loc[first_data_row:]
    names = [("" if pd.isna(n) else str(n)).strip() for n in names]
    filled = ~data.isna().all(axis=0).to_numpy()
    last_named = max((i for i, n in enumerate(names) if n), default=-1)
    keep = [i for i in range(len(names)) if names[i] or (filled[i] and (file_format != "csv" or i < last_named))]
    dropped = [i for i in range(len(names)) if i not in keep and not names[i] and not filled[i]]
    if dropped:
        notes.append(f"{len(dropped)} empty column(s) without a name ignored")
    overflow = [i for i in range(len(names)) if i > last_named and filled[i] and not names[i]]
    frame = data.iloc[:, [i for i in keep if i not in overflow]].copy()
    frame.columns = [names[i] or f"column {column_letter(i)}" for i in keep if i not in overflow]
    if overflow:
        extra = data.iloc[:, overflow].astype("string")
        frame[OVERFLOW] = extra.apply(lambda row: " | ".join(v for v in row if pd.notna(v)) or pd.NA, axis=1)
    duplicated = pd.Index(frame.columns).duplicated()
    if duplicated.any():
        seen: dict[str, int] = {}
        renamed = []
        for name in frame.columns:
            seen[name] = seen.get(name, 0) + 1
            renamed.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
        notes.append("repeated column names numbered: " + ", ".join(n for n, d in zip(renamed, duplicated) if d))
        frame.columns = renamed
    return frame


def read_table(
    path: Path,
    file_format: str,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """A file with one header row: its data rows by column name, and how it was read."""
    grid, how = read_cells(path, file_format, sheet=sheet, encoding=encoding, delimiter=delimiter)
    notes: list[str] = []
    frame = with_header(grid, list(grid.iloc[0]), 2, notes, how["format"])
    if notes:
        how["notes"] = "; ".join(notes)
    return frame, how


__all__ = ["read_cells", "read_table", "with_header", "detect_encoding", "detect_delimiter", "OVERFLOW",
           "column_letter"]
