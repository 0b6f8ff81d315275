"""Reading client files as they are exported: CSV, XLSX and Parquet.

CSV encoding and delimiter are detected when the config does not name them.
Encoding detection is deliberately rule-based rather than statistical: a
Nordic export is UTF-8 (with or without a byte-order mark), UTF-16 (Excel's
"Unicode text") or Windows-1252, and trying them in that order never turns
"æøå" into look-alike letters the way a guessed code page can.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd

from .errors import CXInputError

DELIMITERS = ",;\t|"


def detect_encoding(raw: bytes) -> str:
    """Name the encoding of a CSV file's bytes."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
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
    """Pick the delimiter that splits the header and first lines consistently."""
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample else ""
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] > 0 else ","


def read_table(
    path: Path,
    file_format: str,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Read a file into a DataFrame of raw values, and describe how it was read.

    CSV cells are kept as text (empty cells as missing) so that parsing and
    validation decide what a value means, and report what it could not read.
    """
    path = Path(path)
    if not path.is_file():
        raise CXInputError(
            "data file not found",
            file=path,
            fix="check 'path' in the config; relative paths start at the config file's folder",
        )
    if file_format == "csv":
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
            frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                                na_values=[""], skip_blank_lines=True)
        except pd.errors.ParserError as exc:
            raise CXInputError(f"cannot parse as CSV with delimiter {delimiter!r}: {exc}", file=path,
                               fix="set 'delimiter' for this source in the config") from None
        how = {"format": "csv", "encoding": encoding, "delimiter": delimiter}
    elif file_format == "xlsx":
        sheet_name = 0 if sheet is None else sheet
        try:
            frame = pd.read_excel(path, sheet_name=sheet_name, dtype=object, engine="openpyxl")
        except ValueError as exc:
            if "Worksheet" in str(exc) or "not found" in str(exc):
                names = openpyxl.load_workbook(path, read_only=True).sheetnames
                raise CXInputError(f"sheet {sheet_name!r} not found; the workbook has {names}", file=path,
                                   fix="set 'sheet' for this source in the config") from None
            raise CXInputError(f"cannot read the workbook: {exc}", file=path) from None
        except Exception as exc:  # a corrupt or mislabelled file
            raise CXInputError(f"cannot read as XLSX: {exc}", file=path,
                               fix="check that the file is an Excel workbook, or set 'format'") from None
        how = {"format": "xlsx", "sheet": str(sheet_name)}
    elif file_format == "parquet":
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:
            raise CXInputError(f"cannot read as Parquet: {exc}", file=path,
                               fix="check that the file is Parquet, or set 'format'") from None
        how = {"format": "parquet"}
    else:
        raise CXInputError(f"unknown file format {file_format!r}", file=path,
                           fix="set 'format' to csv, xlsx or parquet")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, how
