"""CSV files read by pyarrow and workbooks read by calamine give exactly the cells the csv module and openpyxl
give: every file of the test corpus and of the sample client, and seeded random files with the quoting, line
breaks, delimiters, types and date formats that exports hold."""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
import re
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from conftest import REPO
from cxanalysis import readers
from cxanalysis.errors import CXInputError
from cxanalysis.readers import _csv_cells, _xlsx_cells, read_cells

CORPUS = sorted(
    [
        *(REPO / "tests" / "data").rglob("*.csv"),
        *(REPO / "tests" / "data").rglob("*.txt"),
        *(REPO / "tests" / "data").rglob("*.xlsx"),
        *(REPO / "data" / "sample").glob("*.csv"),
        *(REPO / "data" / "sample").glob("*.xlsx"),
    ]
)


def _same_cell(a: object, b: object) -> bool:
    if type(a) is not type(b):
        return False
    if a is pd.NA or a is None or a is pd.NaT:
        return b is a
    if isinstance(a, float) and np.isnan(a):
        return bool(np.isnan(b))  # type: ignore[arg-type]
    return bool(a == b)


def assert_same_cells(expected: pd.DataFrame, got: pd.DataFrame) -> None:
    """The same grid: shape, row numbers, column labels, column types, and each cell's type and value."""
    assert got.shape == expected.shape
    assert type(got.index) is type(expected.index) and got.index.equals(expected.index)
    assert type(got.columns) is type(expected.columns) and got.columns.equals(expected.columns)
    assert list(got.dtypes) == list(expected.dtypes)
    for column in expected.columns:
        for row, a, b in zip(expected.index, expected[column].tolist(), got[column].tolist()):
            assert _same_cell(a, b), f"row {row}, column {column}: {a!r} ({type(a).__name__}) != {b!r}"


def outcome(read):  # type: ignore[no-untyped-def]
    """A read's grid and how, or its error message."""
    try:
        return read()
    except CXInputError as exc:
        return str(exc)


def assert_same_outcome(reference, fast) -> None:  # type: ignore[no-untyped-def]
    if isinstance(reference, str) or isinstance(fast, str):
        assert fast == reference
        return
    assert_same_cells(reference[0], fast[0])
    assert fast[1] == reference[1]


class Taken:
    """Counts the files each fast reader read itself (and did not leave to the csv module or openpyxl)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.csv = self.xlsx = 0
        arrow, calamine = readers._arrow_csv_grid, readers._calamine_grid

        def counted_arrow(*args):  # type: ignore[no-untyped-def]
            grid = arrow(*args)
            self.csv += grid is not None
            return grid

        def counted_calamine(*args):  # type: ignore[no-untyped-def]
            grid = calamine(*args)
            self.xlsx += grid is not None
            return grid

        monkeypatch.setattr(readers, "_arrow_csv_grid", counted_arrow)
        monkeypatch.setattr(readers, "_calamine_grid", counted_calamine)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(REPO)))
def test_corpus_file_read_fast_has_the_same_cells(path: Path) -> None:
    if path.suffix == ".xlsx":
        reference = outcome(lambda: _xlsx_cells(path, None, fast=False))
        fast = outcome(lambda: read_cells(path, "xlsx"))
    else:
        reference = outcome(lambda: _csv_cells(path, None, None, fast=False))
        fast = outcome(lambda: read_cells(path, "csv"))
    assert_same_outcome(reference, fast)


def test_the_corpus_is_read_by_the_fast_readers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most files of the corpus take the fast path; the messy ones that do not are named here."""
    taken = Taken(monkeypatch)
    slow = []
    for path in CORPUS:
        before = taken.csv + taken.xlsx
        outcome(lambda path=path: read_cells(path, "xlsx" if path.suffix == ".xlsx" else "csv"))
        if taken.csv + taken.xlsx == before:
            slow.append(path.name)
    assert sorted(slow) == [
        "13_unquoted_delimiter_in_comment.csv",  # a row wider than the header
        "22_empty_file.csv",
        "30_rows_shorter_than_header.csv",
        "40_quote_never_closed.csv",
        "47_title_line_above_header.csv",  # a title line of one cell above the header
        "76_xlsx_bytes_named_csv.csv",
        "77_gzip_bytes_named_csv.csv",
        "80_very_long_header_line.csv",
    ]


# Seeded random CSV files.

TEXTS = [
    "",
    "",
    "plain",
    "Ærlig talt, ikke bra",
    "Øl; brød\tog smør",
    'sa "hei" og gikk',
    "line one\nline two",
    "line one\r\nline two\r\n",
    "  padded  ",
    "\u00a0nbsp\u00a0",
    "emoji 🙂 and ümlaut",
    "tab\there",
    "NA",
    "null",
    "-",
    "0012",
    "1e5",
    '"',
    '""',
    'ends with quote"',
    ",",
    ";",
    "\r",
    "a\rb",
    "æøå ÆØÅ äöü",
]


def _quote(text: str, delimiter: str, rng: random.Random) -> str:
    needs = any(c in text for c in (delimiter, '"', "\n", "\r")) or text.startswith(" ")
    if needs or rng.random() < 0.2:
        return '"' + text.replace('"', '""') + '"'
    return text


def random_csv(seed: int) -> tuple[bytes, int]:
    """A CSV export: a header, rows of random cells quoted as a writer quotes them, and now and then a
    quirk a hand-edited file has (a stray quote inside a cell, text after a closing quote, a blank line,
    a short or long row, a quote never closed, old Mac line endings, a byte-order mark, Windows-1252)."""
    rng = random.Random(seed)
    delimiter = rng.choice([",", ";", "\t", "|"])
    width = rng.randint(1, 9)
    trailing = rng.random() < 0.3  # trailing empty columns, as spreadsheets export them
    newline = rng.choice(["\n", "\r\n", "\r\n", "\r"] if rng.random() < 0.1 else ["\n", "\r\n"])
    quirky = rng.random() < 0.5
    lines = [delimiter.join(f"Question {i} ({rng.choice(['æ', 'ø', 'x'])})" for i in range(width))]
    for _ in range(rng.randint(0, 60)):
        cells = [_quote(rng.choice(TEXTS), delimiter, rng) for _ in range(width)]
        if quirky and rng.random() < 0.05:
            at = rng.randrange(width)
            cells[at] = rng.choice(['ab"c', '"ab"c', '"a""b"x', ' "q"', '"x" ', '""'])
        if quirky and rng.random() < 0.03:
            cells = cells[: rng.randint(0, width)] if rng.random() < 0.5 else [*cells, "extra"]
        if trailing:
            cells += [""] * 2
        lines.append(delimiter.join(cells))
        if quirky and rng.random() < 0.03:
            lines.append("")
    if quirky and rng.random() < 0.1:
        lines.append(delimiter.join(['"never closed'] + ["x"] * (width - 1)) + newline + "more")
    if trailing:
        lines[0] += delimiter * 2
    text = newline.join(lines) + (newline if rng.random() < 0.8 else "")
    encoding = rng.choice(["utf-8", "utf-8", "utf-8-sig", "cp1252"])
    return text.encode(encoding, errors="replace"), seed


@pytest.mark.parametrize("seed", range(300))
def test_random_csv_read_fast_has_the_same_cells(seed: int, tmp_path: Path) -> None:
    raw, _ = random_csv(seed)
    path = tmp_path / "export.csv"
    path.write_bytes(raw)
    reference = outcome(lambda: _csv_cells(path, None, None, fast=False))
    fast = outcome(lambda: read_cells(path, "csv"))
    assert_same_outcome(reference, fast)


def test_random_csvs_are_mostly_read_fast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = Taken(monkeypatch)
    for seed in range(300):
        path = tmp_path / f"{seed}.csv"
        path.write_bytes(random_csv(seed)[0])
        outcome(lambda path=path: read_cells(path, "csv"))
    # The others hold a row of another width than the header (a quirk, or one column whose text holds the
    # delimiter found), or end in a quote the csv module reads strictly otherwise.
    assert taken.csv > 150


def test_csv_cells_beyond_the_reference_rules_are_left_to_the_csv_module(tmp_path: Path) -> None:
    """A quote never closed in the last row, and a cell longer than the limit, keep their precise messages."""
    path = tmp_path / "export.csv"
    path.write_text('id,comment\n1,fine\n2,"never closed\n3,lost\n4,lost too\n', encoding="utf-8")
    message = outcome(lambda: read_cells(path, "csv"))
    assert isinstance(message, str) and "never closed" in message and "row 3" in message
    assert readers._arrow_csv_grid(path.read_text(), ",") is None


# Seeded random workbooks.

FORMATS = [
    "General",
    "0",
    "0.00",
    "#,##0",
    "0%",
    "0.00E+00",
    "@",
    "yyyy-mm-dd",
    "dd/mm/yyyy",
    "d-mmm-yy",
    "yyyy-mm-dd hh:mm:ss",
    "m/d/yy h:mm",
    "h:mm",
    "h:mm:ss",
    "[h]:mm:ss",
    "mm:ss",
    "hh:mm AM/PM",
    '"Date: "yyyy',
    "[$-409]mmmm d, yyyy",
    "yyyy-mm-dd;@",
    "[Red]0.00",
]


def _random_value(rng: random.Random) -> object:
    kind = rng.choice(["int", "float", "text", "date", "bool", "big", "fraction", "serial"])
    if kind == "int":
        return rng.randint(-5, 100_000)
    if kind == "float":
        return rng.uniform(-1000, 1000)
    if kind == "text":
        return rng.choice(["NA", "None", "n/a", "æøå", "Bra, takk", "line\nbreak", "TRUE", "07", "1e5", "-", "  "])
    if kind == "date":
        return dt.datetime(
            rng.randint(1900, 2100),
            rng.randint(1, 12),
            rng.randint(1, 28),
            rng.randint(0, 23),
            rng.randint(0, 59),
            rng.randint(0, 59),
            rng.choice([0, 0, rng.randint(0, 999_999)]),
        )
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "big":
        return rng.randint(10**14, 10**19)
    if kind == "fraction":
        return rng.random()
    return rng.choice([0, 1, 59, 60, 61, 2958465, 45_000.5, 45_000.999999, -1, 1e-9, -0.5])


def random_workbook(path: Path, seed: int) -> None:
    """A workbook of typed cells in random number formats, now and then in the 1904 date system, with blank
    rows and columns around the data."""
    rng = random.Random(seed)
    workbook = openpyxl.Workbook()
    if rng.random() < 0.2:
        workbook.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    sheet = workbook.active
    top, left = rng.randint(1, 3), rng.randint(1, 3)
    for row in range(top, top + rng.randint(1, 40)):
        for column in range(left, left + rng.randint(1, 8)):
            if rng.random() < 0.15:
                continue
            cell = sheet.cell(row, column)
            cell.value = _random_value(rng)
            cell.number_format = rng.choice(FORMATS)
    workbook.save(path)


@pytest.mark.parametrize("seed", range(60))
def test_random_workbook_read_fast_has_the_same_cells(seed: int, tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    random_workbook(path, seed)
    with _quiet():
        reference = outcome(lambda: _xlsx_cells(path, None, fast=False))
        fast = outcome(lambda: read_cells(path, "xlsx"))
    assert_same_outcome(reference, fast)


@contextmanager
def _quiet() -> Iterator[None]:
    """openpyxl warns of a number in a date format beyond its dates (and reads it as an error value)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def test_random_workbooks_are_mostly_read_fast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = Taken(monkeypatch)
    with _quiet():
        for seed in range(60):
            path = tmp_path / f"{seed}.xlsx"
            random_workbook(path, seed)
            outcome(lambda path=path: read_cells(path, "xlsx"))
    assert taken.xlsx > 30


def _rewrite(path: Path, member: str, edit) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[member] = edit(parts[member])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize(
    "cell",
    [
        '<c r="B2" t="e"><v>#N/A</v></c>',  # an error value: missing to openpyxl, empty to calamine
        '<c r="B2" t="inlineStr"><is><t>a_x000D_b</t></is></c>',  # an escape openpyxl keeps
        '<c r="B2" t="inlineStr"><is><t> padded </t></is></c>',  # whitespace calamine trims
        '<c r="B2" t="d"><v>2025-01-02T03:04:05</v></c>',  # an ISO date cell
    ],
)
def test_workbook_cells_calamine_reads_otherwise_are_read_by_openpyxl(cell: str, tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Id", "Comment", "Score"])
    workbook.active.append(["R1", "x", 9])
    workbook.active.append(["R2", "y", 7])
    workbook.save(path)
    _rewrite(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<c r="B2" t="inlineStr"><is><t>x</t></is></c>', cell.encode()),
    )
    found = readers._check_xlsx_size(path, 0)
    assert found is not None and readers._calamine_grid(path, found) is None
    assert_same_outcome(outcome(lambda: _xlsx_cells(path, None, fast=False)), outcome(lambda: read_cells(path, "xlsx")))


@pytest.mark.parametrize("text", ["   ", "\t", " \n "])
def test_workbook_cells_of_whitespace_only_are_read_fast_as_openpyxl_reads_them(text: str, tmp_path: Path) -> None:
    """calamine reads such a cell as empty: its text is taken from the sheet, in the last column and row too."""
    path = tmp_path / "export.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Id", "Comment", "Score"])
    workbook.active.append(["R1", text, 9])
    workbook.active.append(["R2", "y", text])
    workbook.active.append([None, None, text])
    workbook.save(path)
    found = readers._check_xlsx_size(path, 0)
    assert found is not None and readers._calamine_grid(path, found) is not None
    assert_same_outcome(outcome(lambda: _xlsx_cells(path, None, fast=False)), outcome(lambda: read_cells(path, "xlsx")))


def test_workbook_dates_written_otherwise_are_found_in_the_sheet(tmp_path: Path) -> None:
    """A date from a formula (its cached value), attributes in another order and a styled row: each date cell
    is still read by openpyxl's rule, the 1904 date system too."""
    path = tmp_path / "export.xlsx"
    workbook = openpyxl.Workbook()
    workbook.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    sheet = workbook.active
    sheet.append(["Id", "Submitted", "Score"])
    sheet.append(["R1", dt.datetime(2025, 3, 4, 5, 6, 7), 9])
    sheet.append(["R2", dt.datetime(1904, 1, 1, 12), 7])
    sheet.append(["R3", dt.datetime(2025, 3, 5), 8])
    workbook.save(path)
    style = re.search(rb'<c r="B2" s="(\d+)"', zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")).group(1)

    def edit(xml: bytes) -> bytes:
        xml = re.sub(rb'<c r="B2" s="(\d+)" t="n"><v>', rb'<c r="B2" s="\1" t="n"><f>TODAY()</f><v>', xml)
        xml = re.sub(rb'<c r="B3" s="(\d+)" t="n">', rb'<c s="\1" r="B3">', xml)
        return xml.replace(b'<row r="4"', b'<row r="4" s="' + style + b'" customFormat="1"', 1)

    _rewrite(path, "xl/worksheets/sheet1.xml", edit)
    found = readers._check_xlsx_size(path, 0)
    assert found is not None and readers._calamine_grid(path, found) is not None
    reference = outcome(lambda: _xlsx_cells(path, None, fast=False))
    assert not isinstance(reference, str) and reference[0].iat[1, 1] == dt.datetime(2025, 3, 4, 5, 6, 7)
    assert_same_outcome(reference, outcome(lambda: read_cells(path, "xlsx")))


def test_the_readers_benchmark_reads_the_same_cells_both_ways() -> None:
    spec = importlib.util.spec_from_file_location("readers_benchmark", REPO / "benchmarks" / "readers.py")
    assert spec is not None and spec.loader is not None
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    results = benchmark.run(3_000, 300)
    assert [r["kind"] for r in results] == ["CSV", "XLSX"]
    assert all(r["same_cells"] and r["now_seconds"] > 0 for r in results)


@pytest.mark.parametrize(
    "edit",
    [
        lambda xml: xml.replace(b'<c r="A2"', b'<c r="A2"s="0"', 1),  # attributes run together
        lambda xml: xml.replace(b"</row>", b"", 1),  # a row never closed
        lambda xml: xml[: xml.index(b"</sheetData>") - 10],  # cut short
    ],
    ids=["attributes-run-together", "row-never-closed", "cut-short"],
)
def test_a_sheet_of_broken_xml_is_refused_as_openpyxl_refuses_it(edit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "export.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Id", "Score"])
    workbook.active.append(["R1", 9])
    workbook.save(path)
    _rewrite(path, "xl/worksheets/sheet1.xml", edit)
    reference = outcome(lambda: _xlsx_cells(path, None, fast=False))
    assert isinstance(reference, str) and "cannot read as XLSX" in reference
    assert outcome(lambda: read_cells(path, "xlsx")) == reference
