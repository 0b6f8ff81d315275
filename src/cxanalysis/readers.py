"""Reading client files as they are exported: CSV, XLSX and Parquet.

CSV encoding and delimiter are detected when the config does not name them.
Encoding detection is deliberately rule-based rather than statistical: a
Nordic export is UTF-8 (with or without a byte-order mark), UTF-16 (Excel's
"Unicode text") or Windows-1252, and trying them in that order never turns
"æøå" into look-alike letters the way a guessed code page can. A file with
UTF-8 lines and Windows-1252 lines (two exports appended) is read line by
line, each in its own encoding, and says so.

Files are read as a grid of cells, header included, so that survey-tool
layouts with several header rows can be recognised (:mod:`cxanalysis.exports`).
The grid's index is the row number a spreadsheet shows for each row: a
multi-line quoted comment is one row, and a blank line is an (empty) row.

Cells are read by pyarrow (CSV) and calamine (XLSX), several times faster,
wherever these give exactly the cells of the csv module and openpyxl; a file
they might read otherwise (a ragged row, a quote problem, an error value in a
workbook, ...) is read by the csv module or openpyxl, whose rules and
messages are the reference.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import string
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.utils.datetime import from_excel

from .errors import CXInputError, excerpt, name_list
from .presentation import plural

DELIMITERS = ",;\t|"

#: The longest cell a CSV file may hold at all (the loader quarantines rows with far shorter cells).
CSV_MAX_CELL_CHARS = 10_000_000

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
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0:
        return "utf-16-be"
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


def _check_closed_quotes(
    lines: list[str],
    last_start: int,
    rows: list[list[str]],
    delimiter: str,
    path: Path,
    lines_before: int,
    quote_header: bool = True,
) -> None:
    """A quote opened and never closed makes every line after it one cell: name the row instead of losing rows."""
    if len(lines) - last_start < 1:  # the last row is on the last line: nothing after it was swallowed
        return
    try:
        list(csv.reader(lines[last_start - 1 :], delimiter=delimiter, strict=True))
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc):
            return
        row, header = len(rows), rows[0]
        field = len(rows[-1]) - 1
        named = quote_header and row > 1 and field < len(header) and header[field].strip()
        column = excerpt(header[field].strip()) if named else None
        raise CXInputError(
            f"a quote opened in this row (line {last_start + lines_before} of the file) is never "
            f"closed, so the {plural(len(lines) - last_start, 'line')} after it would be read into one cell",
            file=path,
            column=column,
            row=row,
            fix='close the quote in that cell, or double a quote meant as text ("")',
        ) from None


#: A character of two to four bytes as UTF-8 writes it (Windows-1252 text rarely holds one: "Ã¸").
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _decode_mixed(raw: bytes, encoding: str) -> tuple[str, int, int] | None:
    """Lines in UTF-8 and lines in a Windows code page (two exports appended), each line decoded in its own.

    None when no line is UTF-8 with letters beyond ASCII: the file is in the code page throughout.
    """
    if not _UTF8_MULTIBYTE.search(raw):
        return None
    lines, utf8, other = [], 0, 0
    for line in raw.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
            utf8 += bool(_UTF8_MULTIBYTE.search(line))
        except UnicodeDecodeError:
            lines.append(line.decode(encoding, errors="replace"))
            other += 1
    return ("\n".join(lines), utf8, other) if utf8 else None


#: What a file that is not text at all begins with, and what it then is.
_NOT_TEXT = {
    b"PK\x03\x04": (
        "it is a zip archive, such as an Excel workbook (.xlsx) saved under a .csv name",
        "set 'format: xlsx' for this source if it is a workbook, or export it again as CSV",
    ),
    b"\x1f\x8b": (
        "it is gzip-compressed",
        "unpack it (e.g. gunzip, or 7-Zip on Windows) and point 'path' at the unpacked .csv",
    ),
}


def _csv_cells(
    path: Path, encoding: str | None, delimiter: str | None, quote_header: bool = True, fast: bool = True
) -> tuple[pd.DataFrame, dict[str, str]]:
    """A CSV file's cells: pyarrow's reader where it gives the csv module's cells, the csv module otherwise.

    ``fast=False`` reads with the csv module only (the reference the fast reader is held to).
    """
    raw = path.read_bytes()
    for magic, (what, fix) in _NOT_TEXT.items():
        if raw.startswith(magic):
            raise CXInputError(f"cannot read as CSV: {what}", file=path, fix=fix)
    notes, text = [], None
    if encoding is None:
        encoding = detect_encoding(raw)
        mixed = _decode_mixed(raw, encoding) if encoding in ("cp1252", "latin-1") else None
        if mixed:
            text = mixed[0]
            notes.append(
                f"{plural(mixed[1], 'line')} with letters in UTF-8 and {mixed[2]} in {encoding}, each read in its "
                "own encoding (files appended from two exports?)"
            )
            encoding = f"utf-8 and {encoding}"
    try:
        text = raw.decode(encoding) if text is None else text
    except (UnicodeDecodeError, LookupError) as exc:
        line = raw[: exc.start].count(b"\n") + 1 if isinstance(exc, UnicodeDecodeError) else None
        where = f" (line {line})" if line else ""
        raise CXInputError(
            f"cannot decode the file as {encoding}{where}: {exc}",
            file=path,
            fix="set 'encoding' for this source in the config (e.g. utf-8 or cp1252)",
        ) from None
    text = text.lstrip("\ufeff")
    if text.count("\x00") > len(text) // 10:
        raise CXInputError(
            f"cannot decode the file as {encoding}: {text.count(chr(0)):,} of its {len(text):,} characters are NUL, "
            "as in UTF-16 text read as another encoding",
            file=path,
            fix="set 'encoding' for this source (utf-16-le or utf-16-be), or save the file again as UTF-8",
        )
    if "\x00" in text:  # a file padded or damaged when saved: NUL is no character of any answer
        notes.append(f"{plural(text.count(chr(0)), 'NUL byte')} removed (the file was padded or damaged when saved?)")
        text = text.replace("\x00", "")
    marks = re.findall(r"(?<=\n)\ufeff", text) if "\n\ufeff" in text else []
    if marks:  # the byte-order mark of a second file appended to the first
        notes.append(
            f"{plural(len(marks), 'byte-order mark')} inside the file removed (files appended from two exports?)"
        )
        text = re.sub(r"(?<=\n)\ufeff", "", text)
    if not text or text.isspace():
        raise CXInputError("the file is empty", file=path, fix="export the data again with a header row")
    how = {"format": "csv", "encoding": encoding}
    hint = re.match(r'"?sep=(.)"?\r?\n', text)
    if hint:  # Excel's delimiter hint: Excel uses it and does not show the line, so rows are numbered without it
        text = text[hint.end() :]
        delimiter = delimiter or hint.group(1)
        notes.append(f"line 1 'sep={hint.group(1)}' (Excel's delimiter hint) is not a row")
    if notes:
        how["notes"] = "; ".join(notes)
    delimiter = delimiter or detect_delimiter(text)
    grid = _arrow_csv_grid(text, delimiter) if fast else None
    if grid is None:
        grid = _python_csv_grid(text, delimiter, path, 1 if hint else 0, quote_header)
    return grid, {**how, "delimiter": delimiter}


def _python_csv_grid(text: str, delimiter: str, path: Path, lines_before: int, quote_header: bool) -> pd.DataFrame:
    """The cells of a CSV file's text as the csv module reads them; a problem is an error naming its row."""
    lines = io.StringIO(text, newline="").readlines()
    # A cell may hold up to CSV_MAX_CELL_CHARS characters (the csv module stops at 131,072): a longer comment
    # is read, and its row quarantined by the loader; a cell longer still is an error naming its row.
    csv.field_size_limit(max(csv.field_size_limit(), CSV_MAX_CELL_CHARS))
    reader = csv.reader(lines, delimiter=delimiter)
    rows, last_start, consumed = [], 1, 0
    try:
        for row in reader:  # last_start: the line the last row starts on, for a quote never closed
            last_start, consumed = consumed + 1, reader.line_num
            rows.append(row)
    except csv.Error as exc:
        too_long = "field larger than field limit" in str(exc)
        raise CXInputError(
            f"a cell longer than {CSV_MAX_CELL_CHARS:,} characters (line {consumed + 1} of the file)"
            if too_long
            else f"cannot parse as CSV with delimiter {delimiter!r}: {exc}",
            file=path,
            row=len(rows) + 1 if too_long else None,
            fix="check for a quote opened and never closed in that row, or shorten the cell"
            if too_long
            else "check the quoting near that row, or set 'delimiter' for this source",
        ) from None
    if not rows:
        raise CXInputError("the file is empty", file=path, fix="export the data again with a header row")
    _check_closed_quotes(lines, last_start, rows, delimiter, path, lines_before, quote_header)
    width = max(len(row) for row in rows)
    # Empty cells are missing: made so here, row by row, as masking afterwards is slow on thousands of columns.
    return pd.DataFrame(
        [[cell if cell != "" else None for cell in row] + [None] * (width - len(row)) for row in rows],
        dtype="string",
        index=pd.RangeIndex(1, len(rows) + 1),
    )


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _closed_at_end(text: str, last: list[str | None], delimiter: str) -> bool:
    """Whether a last row over several lines ends with its quotes closed, as the csv module reads it strictly.

    Its lines are the file's last lines: one more than the line breaks inside its cells.
    """
    lines = 1 + sum(len(_LINE_BREAK.findall(cell)) for cell in last if cell)
    tail = text[-(2 * sum(len(cell) + 2 for cell in last if cell) + 2 * len(last) + 8) :]
    tail_lines = io.StringIO(tail, newline="").readlines()
    if len(tail_lines) <= lines:
        return False
    try:
        records = list(csv.reader(tail_lines[-lines:], delimiter=delimiter, strict=True))
    except csv.Error:
        return False
    return len(records) == 1 and [cell or None for cell in records[0]] == last


def _arrow_csv_grid(text: str, delimiter: str) -> pd.DataFrame | None:
    """The cells of a CSV file's text read by pyarrow, or None where they might differ from the csv module's.

    pyarrow splits records as the csv module does (quotes doubled inside quotes, a quote inside an unquoted
    cell kept as text, line breaks inside quotes kept, an empty line an empty row), reads every column as
    text and leaves whitespace alone. It refuses a row of another width than the first, and a quote problem
    it would read differently: those files, a last row over several lines (a quote perhaps never closed) and
    a cell beyond the size limit are left to the csv module, whose messages name the row.
    """
    if len(delimiter) != 1 or delimiter in '"\r\n':
        return None
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as pa_csv

    try:
        data = text.encode("utf-8")
        first = next(csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter), None)
    except (UnicodeEncodeError, csv.Error):
        return None
    if not first:
        return None
    width = len(first)
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(data),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True, block_size=1 << 24),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                ignore_empty_lines=False,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={f"f{i}": pa.large_string() for i in range(width)},
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
            ),
        )
    except (pa.ArrowException, ValueError, OverflowError, MemoryError):
        return None
    if table.num_columns != width or table.num_rows == 0:
        return None
    columns = []
    for column in table.columns:
        if not pa.types.is_large_string(column.type):
            return None
        longest = pc.max(pc.utf8_length(column)).as_py()
        if longest is not None and longest >= CSV_MAX_CELL_CHARS:
            return None
        columns.append(pd.arrays.ArrowStringArray(column))
    last = [column[-1].as_py() for column in table.columns]
    if any(cell and ("\n" in cell or "\r" in cell) for cell in last) and not _closed_at_end(text, last, delimiter):
        return None
    grid = pd.DataFrame(dict(enumerate(columns)), index=pd.RangeIndex(1, table.num_rows + 1))
    grid.columns = pd.RangeIndex(width)
    return grid


#: An XLSX file is a zip archive: what it unpacks to, in all and compared with its size on disk. Real survey
#: exports unpack to a few times to some tens of times their size; a zip bomb to thousands of times.
XLSX_MAX_UNPACKED_BYTES = 200_000_000
XLSX_MAX_UNPACK_RATIO = 100
XLSX_RATIO_CHECKED_FROM_BYTES = 20_000_000
#: Cells a sheet's used range may span. Reading fills the whole range, so one stray far cell (XFD1048576)
#: spans 17 billion cells; a range is refused when it is very large and also very large for the cells it holds.
XLSX_MAX_RANGE_CELLS = 50_000_000
XLSX_SPARSE_RANGE_CELLS = 5_000_000
XLSX_MAX_RANGE_PER_CELL = 200
# A cell or row reference in a sheet's XML: r="B7" on a cell, r="7" on a row.
_CELL_REFERENCE = re.compile(rb'<(c|row)\b[^>]*?\br="([A-Z]{0,3})(\d{1,7})"')


@dataclass(frozen=True)
class _Sheet:
    """Where a workbook keeps a sheet's cells, and how openpyxl reads its numbers as dates."""

    title: str
    worksheet_path: str
    epoch: dt.datetime
    date_styles: frozenset[int]
    duration_styles: frozenset[int]


def _check_xlsx_size(path: Path, sheet: str | int) -> _Sheet | None:
    """Refuse a workbook that would exhaust memory when read, before reading it; the sheet's place if found."""
    if not zipfile.is_zipfile(path):
        return None  # not an XLSX at all: reading it says what it is
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        ratio = unpacked / max(path.stat().st_size, 1)
        if unpacked > XLSX_MAX_UNPACKED_BYTES or (
            unpacked > XLSX_RATIO_CHECKED_FROM_BYTES and ratio > XLSX_MAX_UNPACK_RATIO
        ):
            raise CXInputError(
                f"the workbook unpacks to {unpacked / 1e6:,.0f} MB, {ratio:,.0f} times its size on disk "
                f"(at most {XLSX_MAX_UNPACKED_BYTES / 1e6:,.0f} MB and {XLSX_MAX_UNPACK_RATIO} times are read)",
                file=path,
                fix="export the survey again, or export it as CSV",
            )
    try:
        workbook = openpyxl.load_workbook(path, read_only=True)
    except Exception:
        return None  # reading it says what is wrong
    try:
        if isinstance(sheet, int):
            if not 0 <= sheet < len(workbook.worksheets):
                return None
            worksheet = workbook.worksheets[sheet]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            return None  # reading it names the sheets there are
        worksheet_path = getattr(worksheet, "_worksheet_path", None)
        title = worksheet.title
        epoch = workbook.epoch
        date_styles = frozenset(getattr(workbook, "_date_formats", None) or ())
        duration_styles = frozenset(getattr(workbook, "_timedelta_formats", None) or ())
    finally:
        workbook.close()
    if worksheet_path is None:
        return None
    rows, columns, cells = _used_range(path, worksheet_path)
    spanned = rows * columns
    if spanned > XLSX_MAX_RANGE_CELLS or (
        spanned > XLSX_SPARSE_RANGE_CELLS and spanned > XLSX_MAX_RANGE_PER_CELL * max(cells, 1)
    ):
        raise CXInputError(
            f"sheet {title!r} spans {rows:,} rows and {columns:,} columns (to {column_letter(columns - 1)}{rows}) "
            f"but holds {cells:,} cells; reading that range would exhaust memory",
            file=path,
            fix="delete the rows and columns after the data (a stray value far down or to the right) and save again",
        )
    return _Sheet(title, worksheet_path, epoch, date_styles, duration_styles)


def _used_range(path: Path, worksheet_path: str) -> tuple[int, int, int]:
    """Last row, last column and number of cells of a sheet, from its XML, read in pieces and never parsed."""
    last_row = last_column = cells = 0
    with zipfile.ZipFile(path) as archive, archive.open(worksheet_path) as xml:
        pending = b""
        while True:
            chunk = xml.read(1 << 20)
            buffer = pending + chunk
            # A reference is short: one starting before the last 256 bytes ends within this buffer.
            cut = len(buffer) if not chunk else max(len(buffer) - 256, 0)
            for match in _CELL_REFERENCE.finditer(buffer, 0, len(buffer)):
                if match.start() >= cut:
                    break
                tag, letters, number = match.groups()
                last_row = max(last_row, int(number))
                if tag == b"c":
                    cells += 1
                    column = 0
                    for letter in letters:
                        column = column * 26 + letter - 64
                    last_column = max(last_column, column)
            pending = buffer[cut:]
            if not chunk:
                return last_row, last_column, cells


#: What calamine reads otherwise than openpyxl, found in a sheet's or its shared strings' XML: an error value
#: (openpyxl: missing; calamine: empty), an ISO date cell, an escaped character (_x000D_: openpyxl keeps the
#: escape), CDATA, attributes written with single quotes or with spaces around "=", a namespace prefix on
#: cell tags, and text with leading or trailing whitespace not marked to be kept (calamine trims it; text of
#: whitespace only, which it reads as empty, is read from the sheet's XML where it is a cell's own).
_CALAMINE_DIFFERS_LITERALLY = (
    b't="e"',
    b't="d"',
    b"<![CDATA[",
    b"='",
    *(a + b for w in (b" ", b"\t", b"\r", b"\n") for a, b in ((w, b"="), (b"=", w))),
)
_CALAMINE_DIFFERS = (
    re.compile(rb"_x[0-9A-Fa-f]{4}_"),
    re.compile(rb"<v>\s*[-+]?(?:[iI][nN][fF]|[nN][aA][nN])"),  # not a number to openpyxl
    re.compile(rb"<\w+:(?:c|t|v|is|si|r|row|f)\b"),
    re.compile(rb"<t(?:\s(?![^>]*preserve)[^>]*)?>(?:\s+[^<\s]|[^<\s][^<]*\s</t>)"),
)
_WHITESPACE_TEXT = re.compile(rb"<t(?:\s(?![^>]*preserve)[^>]*)?>\s+</t>")
# A cell of its own text (an inline string) of whitespace only.
_WHITESPACE_CELL = re.compile(rb"<c\s([^>]*)>\s*<is>\s*<t(?:\s(?![^>]*preserve)[^>]*)?>([ \t\n]+)</t>\s*</is>\s*</c>")


def _calamine_differs(xml: bytes) -> bool:
    return any(text in xml for text in _CALAMINE_DIFFERS_LITERALLY) or any(
        pattern.search(xml) for pattern in _CALAMINE_DIFFERS
    )


def _cell_at(attributes: bytes) -> tuple[int, int] | None:
    """A cell's 0-based row and column from its r attribute."""
    reference = _REFERENCE.search(attributes)
    if reference is None:
        return None
    column = 0
    for letter in reference.group(1):
        column = column * 26 + letter - 64
    return int(reference.group(2)) - 1, column - 1


# A cell's reference and type among its attributes; its value.
_REFERENCE = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def _calamine_grid(path: Path, sheet: _Sheet) -> pd.DataFrame | None:
    """A sheet's cells read by calamine, as openpyxl reads them, or None where they might differ.

    Text, whole and decimal numbers and booleans come out alike. A number in a date or duration format is
    made a date, time or duration by openpyxl's own rule (calamine's differs at the edges: before 1900,
    beyond 9999, in the 1904 date system); those cells are found in the sheet's XML and read so. A workbook
    holding anything calamine reads otherwise (see :data:`_CALAMINE_DIFFERS`) is left to openpyxl.
    """
    from pandas.io.excel._base import BaseExcelReader
    from python_calamine import CalamineWorkbook

    if 0 in sheet.date_styles:  # a date format on every cell without a style of its own
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read(sheet.worksheet_path)
            strings = [archive.read(n) for n in archive.namelist() if n.lower().endswith("sharedstrings.xml")]
        if any(_calamine_differs(part) for part in (xml, *strings)):
            return None
        # XML openpyxl's parser refuses (a tag never closed, attributes run together) calamine may read:
        # openpyxl's message is the reference.
        expat.ParserCreate(namespace_separator="}").Parse(xml, True)
        if any(_WHITESPACE_TEXT.search(part) for part in strings):
            return None
        dated: dict[tuple[int, int], object] = {}  # cells read from the XML, as openpyxl reads them
        for text in _WHITESPACE_TEXT.finditer(xml):  # each in a cell of its own text, or left to openpyxl
            blank = _WHITESPACE_CELL.match(xml, xml.rfind(b"<c ", 0, text.start()))
            if blank is None or blank.span(2)[1] + 4 != text.end():
                return None
            attributes, whitespace = blank.groups()
            place, kind = _cell_at(attributes), _TYPE.search(attributes)
            if place is None or kind is None or kind.group(1) != b"inlineStr":
                return None
            dated[place] = whitespace.decode("ascii")
        if sheet.date_styles:
            styles = b"|".join(str(style).encode() for style in sorted(sheet.date_styles))
            marked = re.compile(rb'<(?:\w+:)?c\s[^>]*?\bs="(?:' + styles + rb')"')
            cell = re.compile(rb'<c\s([^>]*?\bs="(' + styles + rb')"[^>]*?)(?:/>|>(.*?)</c>)', re.S)
            simple = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})" s="(' + styles + rb')"(?: t="n")?><v>([^<]*)</v></c>')
            # Attributes in these formats, on cells and on rows: at least as many as the cells in them.
            marks = sum(
                xml.count(space + b's="' + style + b'"')
                for space in (b" ", b"\t", b"\n", b"\r")
                for style in styles.split(b"|")
            )
            numbers: list[tuple[tuple[bytes, bytes], bytes, bytes]] = [
                ((letters, row), style, number) for letters, row, style, number in simple.findall(xml)
            ]
            if len(numbers) != marks:  # not all in the form writers use: each read with its attributes
                marks = len(marked.findall(xml))
                numbers, seen = [], 0
                for match in cell.finditer(xml):
                    seen += 1
                    attributes, style, inner = match.groups()
                    reference, kind = _REFERENCE.search(attributes), _TYPE.search(attributes)
                    if reference is None:
                        return None
                    if kind is not None and kind.group(1) != b"n":
                        continue  # text, a boolean: no date
                    cached = _VALUE.search(inner or b"")
                    if cached is not None:  # else empty to both
                        numbers.append(((reference.group(1), reference.group(2)), style, cached.group(1)))
                if seen != marks:
                    return None
            for (letters, digits), style, raw in numbers:
                if b"&" in raw:
                    return None
                number = raw.decode("ascii")
                column = 0
                for letter in letters:
                    column = column * 26 + letter - 64
                try:  # as openpyxl's reader and pandas read a number in a date format
                    serial = float(number) if "." in number or "E" in number or "e" in number else int(number)
                    when: object = from_excel(serial, sheet.epoch, timedelta=int(style) in sheet.duration_styles)
                except (OverflowError, ValueError):
                    when = np.nan  # outside the dates there are: an error value to openpyxl
                dated[int(digits) - 1, column - 1] = when
        workbook = CalamineWorkbook.from_path(str(path))
        try:
            values = workbook.get_sheet_by_name(sheet.title).to_python(skip_empty_area=False)
        finally:
            workbook.close()
    except Exception:
        return None
    # A whole number is an int to openpyxl and pandas; a date, time or duration only where the XML has one.
    data: list[list[object]] = [[int(v) if type(v) is float and v.is_integer() else v for v in row] for row in values]
    if not {type(v) for row in data for v in row} <= {str, int, float, bool}:
        for at, row in enumerate(data):
            for column, value in enumerate(row):
                if type(value) not in (str, int, float, bool) and (at, column) not in dated:
                    return None
    for (row_at, column), exact in dated.items():
        data.extend([] for _ in range(row_at + 1 - len(data)))
        data[row_at].extend([""] * (column + 1 - len(data[row_at])))
        data[row_at][column] = exact
    last_filled = -1
    for at, cells in enumerate(data):  # as pandas reads openpyxl's rows: trailing empty cells and rows dropped
        while cells and isinstance(cells[-1], str) and cells[-1] == "":
            cells.pop()
        if cells:
            last_filled = at
    data = data[: last_filled + 1]
    if data:
        width = max(len(cells) for cells in data)
        data = [cells + [""] * (width - len(cells)) for cells in data]

    class Cells(BaseExcelReader):
        def __init__(self) -> None:
            pass

        def get_sheet_by_index(self, index: int) -> None:
            return None

        def get_sheet_data(self, sheet: object, rows: int | None = None) -> list[list[object]]:
            return data

    # The same steps as pandas.read_excel takes with openpyxl's rows.
    return Cells().parse(
        sheet_name=0, header=None, dtype=object, keep_default_na=False, na_filter=True, converters=None
    )


def _xlsx_cells(path: Path, sheet: str | int | None, fast: bool = True) -> tuple[pd.DataFrame, dict[str, str]]:
    """A sheet's cells: calamine's where they are openpyxl's, openpyxl's otherwise (``fast=False``: always)."""
    sheet_name = 0 if sheet is None else sheet
    found = _check_xlsx_size(path, sheet_name)
    grid = _calamine_grid(path, found) if fast and found is not None else None
    try:
        # Text like "NA" (North America), "None" or "n/a" is an answer, not a missing cell.
        if grid is None:
            grid = pd.read_excel(
                path, sheet_name=sheet_name, header=None, dtype=object, engine="openpyxl", keep_default_na=False
            )
    except ValueError as exc:
        if "Worksheet" in str(exc) or "not found" in str(exc):
            names = openpyxl.load_workbook(path, read_only=True).sheetnames
            raise CXInputError(
                f"sheet {excerpt(sheet_name)!r} not found; the workbook has {name_list(names)}",
                file=path,
                fix="set 'sheet' for this source in the config",
            ) from None
        raise CXInputError(f"cannot read the workbook: {exc}", file=path) from None
    except Exception as exc:  # a corrupt or mislabelled file
        head = path.read_bytes()[:512].lstrip()
        what = (
            "it is a web page (HTML) saved under an Excel name, as some survey tools export 'Excel'"
            if head[:1] == b"<"
            else "it is an Excel 97-2003 workbook (.xls) or a password-protected one"
            if head.startswith(b"\xd0\xcf\x11\xe0")
            else str(exc)
        )
        raise CXInputError(
            f"cannot read as XLSX: {what}",
            file=path,
            fix="open it in Excel and save it as .xlsx (or export CSV), or set 'format'",
        ) from None
    if grid.empty:
        raise CXInputError(f"sheet {sheet_name!r} is empty", file=path, fix="export the data again with a header row")
    grid.index = pd.RangeIndex(1, len(grid) + 1)
    text = grid.map(lambda v: isinstance(v, str) and not v.strip())
    # A spreadsheet keeps 15 significant digits: a longer whole number (an id typed into Excel) lost its last
    # digits. It stays the floating-point number the workbook holds, so the id rule sees its E+ form.
    grid = grid.map(lambda v: float(v) if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10**15 else v)
    return grid.mask(text), {"format": "xlsx", "sheet": str(sheet_name)}


def _is_nested(value: object) -> bool:
    return isinstance(value, (list, tuple, dict, np.ndarray))


def _nested_text(value: object) -> str:
    """A Parquet list, map or struct cell as JSON text."""

    def plain(item: object) -> object:
        if isinstance(item, np.ndarray | np.generic):
            item = item.tolist()
        if isinstance(item, list | tuple):
            return [plain(v) for v in item]
        if isinstance(item, dict):
            return {str(k): plain(v) for k, v in item.items()}
        return item

    return json.dumps(plain(value), ensure_ascii=False, default=str)


def _parquet_cells(path: Path, columns: Collection[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """A Parquet file's cells under a first row of its column names.

    A column of lists, maps or records (Parquet's nested types) holds several values per row: mapped, it is
    refused by name; otherwise its cells are kept as JSON text, so that they neither break reading nor pass
    for one answer.
    """
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:
        raise CXInputError(
            f"cannot read as Parquet: {exc}", file=path, fix="check that the file is Parquet, or set 'format'"
        ) from None
    return _frame_cells(frame, path, columns, "parquet")


def _duckdb_cells(path: Path, table: str | None, columns: Collection[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """A table of a DuckDB database file (a warehouse's export, or one standing in for it), read through Ibis
    as a Parquet file's cells are: a first row of its column names, then its rows in the table's order."""
    from .engine import quiet

    with quiet():
        frame = _duckdb_table(path, table)
    return _frame_cells(frame, path, columns, "duckdb")


def _duckdb_table(path: Path, table: str | None) -> pd.DataFrame:
    """Every row of ``table`` (schema.table, or a table of the main schema) of the database file at ``path``,
    opened as the engine opens it (:func:`cxanalysis.warehouse.open_duckdb_table`)."""
    from .engine import execute
    from .warehouse import open_duckdb_table

    rows = open_duckdb_table(path, table or "")
    try:
        return execute(rows)
    finally:
        rows._find_backend().disconnect()


def _frame_cells(
    frame: pd.DataFrame, path: Path, columns: Collection[str], file_format: str
) -> tuple[pd.DataFrame, dict[str, str]]:
    """A typed table's cells under a first row of its column names; nested values kept as JSON text."""
    notes = []
    nested = [
        name for name in frame.columns if frame[name].dtype == object and frame[name].map(_is_nested).to_numpy().any()
    ]
    for name in nested:
        if str(name) in columns:
            example = _nested_text(next(v for v in frame[name] if _is_nested(v)))
            raise CXInputError(
                f"the column holds several values per row (a Parquet list, map or record, e.g. "
                f"{example[:60]}), not one answer",
                file=path,
                column=str(name),
                fix="write the column with one value per row (flatten or unnest it before saving the Parquet "
                "file), or map a column that holds one value per row",
            )
        frame[name] = frame[name].map(lambda v: _nested_text(v) if _is_nested(v) else v)
    if nested:
        notes.append(
            f"{plural(len(nested), 'column')} of lists or records read as text and not used: "
            + name_list(nested).strip("[]")
        )
    header = pd.DataFrame([list(frame.columns)], columns=frame.columns, dtype=object)
    grid = pd.concat([header, frame.astype(object)], ignore_index=True)
    grid.columns = range(grid.shape[1])
    grid.index = pd.RangeIndex(1, len(grid) + 1)
    return grid, {"format": file_format, **({"notes": "; ".join(notes)} if notes else {})}


def read_cells(
    path: Path,
    file_format: str,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    columns: Collection[str] = (),
    quote_header: bool = True,
    table: str | None = None,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every cell of a file, header rows included, indexed by spreadsheet row number.

    CSV cells are text (empty cells missing) so that parsing and validation
    decide what a value means; XLSX cells keep the workbook's types (numbers,
    dates). Parquet has its header in its schema: the grid's first row
    holds the column names. ``columns`` are the file's columns the config
    maps: a Parquet column among them must hold one value per row. Without
    ``quote_header`` (a file outside the client's folder) an error names no
    column from the file's header.
    """
    path = Path(path)
    if file_format == "connection":
        raise CXInputError(
            "the source is read by 'connection': its table is no file to read cells from; the loader checks "
            "it in the engine (cxanalysis.warehouse.check_in_engine)",
            file=path.name,
            fix="open it with cxanalysis.warehouse.open_table, or load the client with cxanalysis.load_responses",
        )
    if not path.is_file():
        raise CXInputError(
            "data file not found",
            file=path,
            fix="check 'path' in the config; relative paths start at the config file's folder",
        )
    if file_format == "csv":
        return _csv_cells(path, encoding, delimiter, quote_header)
    if file_format == "xlsx":
        return _xlsx_cells(path, sheet)
    if file_format == "parquet":
        return _parquet_cells(path, columns)
    if file_format == "duckdb":
        return _duckdb_cells(path, table, columns)
    raise CXInputError(
        f"unknown file format {file_format!r}", file=path, fix="set 'format' to csv, xlsx, parquet or duckdb"
    )


def with_header(
    grid: pd.DataFrame, names: list[str], first_data_row: int, notes: list[str], file_format: str
) -> pd.DataFrame:
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
    kept = set(keep)
    dropped = [i for i in range(len(names)) if i not in kept and not names[i] and not filled[i]]
    if dropped:
        notes.append(f"{plural(len(dropped), 'empty column')} without a name ignored")
    overflow = [i for i in range(len(names)) if i > last_named and filled[i] and not names[i]]
    beyond = set(overflow)
    frame = data.iloc[:, [i for i in keep if i not in beyond]].copy()
    frame.columns = [names[i] or f"column {column_letter(i)}" for i in keep if i not in beyond]
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
        numbered = [n for n, d in zip(renamed, duplicated) if d]
        notes.append("repeated column names numbered: " + name_list(numbered).strip("[]").replace("'", ""))
        letters = [f"column {column_letter(i)}" for i in keep if i not in beyond]
        places: dict[str, list[str]] = {}
        for at, name in zip(letters, frame.columns):  # one pass: a header of thousands of repeats stays fast
            places.setdefault(name, []).append(at)
        frame.attrs["repeated"] = {name: places[name] for name, d in zip(frame.columns, duplicated) if d}
        frame.columns = renamed
    return frame


def read_table(
    path: Path,
    file_format: str,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    columns: Collection[str] = (),
    quote_header: bool = True,
    table: str | None = None,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """A file with one header row: its data rows by column name, and how it was read."""
    grid, how = read_cells(
        path,
        file_format,
        sheet=sheet,
        encoding=encoding,
        delimiter=delimiter,
        columns=columns,
        quote_header=quote_header,
        table=table,
    )
    notes: list[str] = []
    frame = with_header(grid, list(grid.iloc[0]), 2, notes, how["format"])
    notes = [how["notes"], *notes] if "notes" in how else notes
    if notes:
        how["notes"] = "; ".join(notes)
    return frame, how


__all__ = [
    "OVERFLOW",
    "column_letter",
    "detect_delimiter",
    "detect_encoding",
    "read_cells",
    "read_table",
    "with_header",
]
