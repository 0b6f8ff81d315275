"""Tidy result tables written beside the book, safe to open in a spreadsheet."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from .config import ClientConfig

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            text = out[column].astype("string")
            risky = text.str.startswith(_FORMULA_START).fillna(False)
            out[column] = out[column].where(~risky, "'" + text)
    return out


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    neutralise_formulas(frame).to_csv(path, index=False, encoding="utf-8")
    return path


#: The time an XLSX file records as its own (document properties and archive members): fixed, so that the
#: same table always gives the same bytes and a rebuild from the cache is identical.
_XLSX_TIME = dt.datetime(2000, 1, 1)


def write_xlsx(frame: pd.DataFrame, path: Path, sheet: str = "Results") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    written = io.BytesIO()
    with pd.ExcelWriter(written, engine="openpyxl") as writer:
        neutralise_formulas(frame).to_excel(writer, index=False, sheet_name=sheet)
        writer.book.properties.created = _XLSX_TIME
    stamp = _XLSX_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(path, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "docProps/core.xml":  # the writer stamps the time it saved the file
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            stamped = zipfile.ZipInfo(member.filename, _XLSX_TIME.timetuple()[:6])
            target.writestr(stamped, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def save_result(config: ClientConfig, name: str, frame: pd.DataFrame, *, excel: bool = False) -> Path:
    """Write one of the book's result tables to results/<name>.csv, its columns stable ids for scripts, and
    when ``excel``, to results/<name>.xlsx for people, in the report's language
    (:func:`cxanalysis.display.readable`)."""
    if excel:
        from .display import readable

        write_xlsx(readable(frame), config.results_dir / f"{name}.xlsx")
    return write_csv(frame, config.results_dir / f"{name}.csv")
