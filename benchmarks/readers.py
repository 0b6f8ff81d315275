"""Benchmark: reading a survey export's cells with pyarrow (CSV) and calamine (XLSX) against the csv module and openpyxl.

Run: .venv/bin/python benchmarks/readers.py [--rows 300000] [--xlsx-rows 50000]

Writes a synthetic survey export of the given number of responses (response id, submission time, NPS and CSAT
scores, touchpoint, region, a free-text comment with commas, quotes, line breaks and Nordic letters, a weight,
a customer number, consent) as CSV and as XLSX in a temporary folder, reads each with the previous path (the
csv module; openpyxl) and with the fast path the template now uses, checks that both give the same cells, and
prints the time of each read.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import tempfile
import time
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from cxanalysis.readers import _csv_cells, _xlsx_cells

HEADER = [
    "Response ID",
    "Submitted",
    "NPS",
    "CSAT",
    "Touchpoint",
    "Region",
    "Comment",
    "Weight",
    "Customer number",
    "Consent",
]
TOUCHPOINTS = ["Website", "Store", "Checkout", "Delivery", "Follow-up e-mail", "Call centre", "App", "Returns"]
REGIONS = ["Oslo", "Bergen", "København", "Aarhus", "Stockholm", "Göteborg", "Malmö", "Trondheim"]
COMMENTS = [
    "",
    "",
    "Fine",
    "Quick delivery, friendly staff",
    'The "express" option was not express',
    "Bra service.\nMen lang kø i kassen",
    "Æble, øl og å: alt var på lager",
    "Could not log in; had to call, twice",
    "  ",
    "Varen kom i tide – takk!",
]


def synthetic_rows(rows: int, seed: int = 1) -> list[list[object]]:
    """Responses as a survey tool exports them (typed values, as a workbook holds them)."""
    rng = np.random.default_rng(seed)
    start = dt.datetime(2025, 1, 1)
    seconds = rng.integers(0, 365 * 86400, rows)
    nps = rng.integers(0, 11, rows)
    csat = rng.integers(1, 6, rows)
    touchpoint = rng.integers(0, len(TOUCHPOINTS), rows)
    region = rng.integers(0, len(REGIONS), rows)
    comment = rng.integers(0, len(COMMENTS), rows)
    weight = np.round(rng.uniform(0.2, 3.0, rows), 4)
    customer = rng.integers(100000, 999999, rows)
    consent = rng.random(rows) < 0.7
    return [
        [
            f"R_{i:08d}",
            start + dt.timedelta(seconds=int(seconds[i])),
            int(nps[i]),
            int(csat[i]),
            TOUCHPOINTS[touchpoint[i]],
            REGIONS[region[i]],
            COMMENTS[comment[i]],
            float(weight[i]),
            int(customer[i]),
            bool(consent[i]),
        ]
        for i in range(rows)
    ]


def write_csv(path: Path, rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(
                [
                    row[0],
                    row[1].strftime("%Y-%m-%d %H:%M:%S"),  # type: ignore[attr-defined]
                    *row[2:7],
                    str(row[7]).replace(".", ","),
                    row[8],
                    "Yes" if row[9] else "No",
                ]
            )


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    """A workbook as Excel saves one: its sheet's XML starts with the range the data spans."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Responses"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def timed(read) -> tuple[float, pd.DataFrame]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    grid, _ = read()
    return time.perf_counter() - start, grid


def same_cells(old: pd.DataFrame, new: pd.DataFrame) -> bool:
    if old.shape != new.shape or not old.index.equals(new.index) or not old.columns.equals(new.columns):
        return False
    if list(old.dtypes) != list(new.dtypes):
        return False
    for column in old.columns:
        for a, b in zip(old[column].tolist(), new[column].tolist()):
            if type(a) is not type(b):
                return False
            if not (a is b or (pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and a == b)):
                return False
    return True


def run(rows: int, xlsx_rows: int, repeat: int = 1) -> list[dict[str, object]]:
    """Each export written, read both ways: its kind, size, best times and whether the cells are the same."""
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as folder:
        csv_path, xlsx_path = Path(folder) / "export.csv", Path(folder) / "export.xlsx"
        reads = []
        if rows:
            write_csv(csv_path, synthetic_rows(rows))
            reads.append(
                (
                    "CSV",
                    rows,
                    csv_path,
                    lambda: _csv_cells(csv_path, None, None, fast=False),
                    lambda: _csv_cells(csv_path, None, None),
                )
            )
        if xlsx_rows:
            write_xlsx(xlsx_path, synthetic_rows(xlsx_rows))
            reads.append(
                (
                    "XLSX",
                    xlsx_rows,
                    xlsx_path,
                    lambda: _xlsx_cells(xlsx_path, None, fast=False),
                    lambda: _xlsx_cells(xlsx_path, None),
                )
            )
        for kind, count, path, old_read, new_read in reads:
            old_times, new_times = [], []
            for _ in range(repeat):
                old_time, old = timed(old_read)
                new_time, new = timed(new_read)
                old_times.append(old_time)
                new_times.append(new_time)
            results.append(
                {
                    "kind": kind,
                    "rows": count,
                    "megabytes": path.stat().st_size / 1e6,
                    "previous_seconds": min(old_times),
                    "now_seconds": min(new_times),
                    "same_cells": same_cells(old, new),
                }
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000, help="responses in the CSV export")
    parser.add_argument("--xlsx-rows", type=int, default=None, help="responses in the XLSX export (default: --rows)")
    parser.add_argument("--repeat", type=int, default=1, help="reads of each kind (the best time is shown)")
    args = parser.parse_args()
    xlsx_rows = args.rows if args.xlsx_rows is None else args.xlsx_rows
    for result in run(args.rows, xlsx_rows, args.repeat):
        previous, now = float(result["previous_seconds"]), float(result["now_seconds"])  # type: ignore[arg-type]
        print(
            f"{result['kind']}: {result['rows']:,} responses x {len(HEADER)} columns ({result['megabytes']:,.1f} MB): "
            f"previous {previous:.2f} s, now {now:.2f} s ({previous / now:.1f}x); "
            f"same cells: {'yes' if result['same_cells'] else 'NO'}"
        )


if __name__ == "__main__":
    main()
