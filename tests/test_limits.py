"""Hostile inputs end in one short error naming the file, in seconds and within bounded memory."""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cxanalysis import load_config
from cxanalysis.config import read_yaml
from cxanalysis.errors import CXInputError
from cxanalysis.loading import load_responses


def _alias_bomb(levels: int, width: int) -> str:
    """Each level lists the previous one ``width`` times: width**levels values from a few hundred bytes."""
    lines = ["a0: &a0 [lol]"]
    for level in range(1, levels):
        aliases = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    return "\n".join(lines) + "\n"


@pytest.mark.timing
@pytest.mark.parametrize("levels, width", [(9, 9), (8, 9)])
def test_alias_bombs_are_refused_quickly_with_a_short_message(tmp_path, levels, width):
    path = tmp_path / "client.yml"
    path.write_text(_alias_bomb(levels, width), encoding="utf-8")
    assert len(path.read_bytes()) < 500
    started = time.perf_counter()
    with pytest.raises(CXInputError) as caught:
        read_yaml(path)
    assert time.perf_counter() - started < 10
    message = str(caught.value)
    assert len(message.encode()) < 1024
    assert str(path) in message and "aliases repeat more than 10,000 values" in message, message
    assert "at the alias *a3" in message and "row 5" in message, message


def test_ordinary_aliases_and_merge_keys_still_load(tmp_path):
    path = tmp_path / "client.yml"
    path.write_text(
        "base: &base {locale: nb}\nclient:\n  <<: *base\n  name: x\nsegments: &s [a, b]\nothers: *s\n", encoding="utf-8"
    )
    assert read_yaml(path) == {
        "base": {"locale": "nb"},
        "client": {"locale": "nb", "name": "x"},
        "segments": ["a", "b"],
        "others": ["a", "b"],
    }


def test_an_alias_inside_what_it_names_is_refused(tmp_path):
    path = tmp_path / "client.yml"
    path.write_text("a: &a\n  - x\n  - *a\nb: *a\n", encoding="utf-8")
    with pytest.raises(CXInputError, match="inside the value it names"):
        read_yaml(path)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,  # flow style
        "".join(f"{'  ' * depth}k:\n" for depth in range(200)) + "  " * 200 + "k: 1\n",  # block style
    ],
    ids=["flow", "block"],
)
def test_deep_nesting_is_refused_with_the_line(tmp_path, text):
    path = tmp_path / "client.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CXInputError, match="more than 50 levels deep") as caught:
        read_yaml(path)
    message = str(caught.value)
    assert len(message.encode()) < 1024 and "row" in message and str(path) in message, message


def test_nesting_and_anchors_within_limits_still_load(tmp_path):
    path = tmp_path / "client.yml"
    path.write_text("a:\n" + "".join(f"{'  ' * d}k{d}:\n" for d in range(1, 40)) + "  " * 40 + "v: 1\n")
    assert read_yaml(path)["a"]["k1"]["k2"] is not None


def test_syntax_error_quotes_at_most_a_short_excerpt(tmp_path):
    path = tmp_path / "client.yml"
    path.write_text("key: 'unterminated " + "x" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(CXInputError) as caught:
        read_yaml(path)
    assert len(str(caught.value).encode()) < 1024


@pytest.mark.timing
def test_alias_bomb_as_a_client_config_is_refused_before_validation(tmp_path):
    path = tmp_path / "client.yml"
    path.write_text("client: x\n" + _alias_bomb(9, 9).replace("a0: &a0 [lol]", "data: &a0 [lol]"), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(CXInputError, match="aliases repeat") as caught:
        load_config(path)
    assert time.perf_counter() - started < 10
    assert len(str(caught.value).encode()) < 1024


_MEASURE = """
import resource, sys, time
from cxanalysis.errors import CXInputError
from cxanalysis.loading import load_responses
from cxanalysis.readers import read_cells
started = time.perf_counter()
try:
    read_cells(sys.argv[1], "xlsx")
    outcome = "read"
except CXInputError as exc:
    outcome = str(exc)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(f"{time.perf_counter() - started}\\n{peak}\\n{outcome}")
"""


def _read_in_a_fresh_process(path: Path) -> tuple[float, int, str]:
    """Seconds, peak resident bytes (Linux reports kilobytes) and the outcome of reading a workbook."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, timeout=120, check=True
    )
    seconds, peak, outcome = done.stdout.split("\n", 2)
    return float(seconds), int(peak), outcome.strip()


def _survey_workbook(path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["respondent", "nps", "comment"])
    for number in range(1, 21):
        sheet.append([number, number % 11, "fint"])
    workbook.save(path)


@pytest.mark.timing
def test_zip_bomb_workbook_is_refused_quickly_in_little_memory(tmp_path):
    path = tmp_path / "survey.xlsx"
    _survey_workbook(path)
    # The same workbook with 400 MB of zeros packed alongside: a few hundred kB on disk.
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("xl/media/padding.bin", "w", force_zip64=True) as padding,
    ):
        for _ in range(400):
            padding.write(bytes(1_000_000))
    assert path.stat().st_size < 1_000_000
    seconds, peak, outcome = _read_in_a_fresh_process(path)
    assert "unpacks to 400 MB" in outcome and str(path) in outcome, outcome
    assert seconds < 10 and peak < 1_000_000_000


@pytest.mark.timing
def test_one_far_cell_is_refused_quickly_in_little_memory(tmp_path):
    path = tmp_path / "survey.xlsx"
    _survey_workbook(path)
    workbook = openpyxl.load_workbook(path)
    workbook.active["XFD1048576"] = "x"
    workbook.save(path)
    assert path.stat().st_size < 10_000
    seconds, peak, outcome = _read_in_a_fresh_process(path)
    assert "spans 1,048,576 rows and 16,384 columns (to XFD1048576)" in outcome and str(path) in outcome, outcome
    assert "delete the rows and columns after the data" in outcome
    assert seconds < 10 and peak < 1_000_000_000


@pytest.mark.timing
def test_ordinary_workbook_is_still_read(tmp_path):
    path = tmp_path / "survey.xlsx"
    _survey_workbook(path)
    assert _read_in_a_fresh_process(path)[2] == "read"


def _wide_csv(path: Path, columns: int) -> None:
    header = ["id", "date", *(f"question number {i} of a very wide export and its long name" for i in range(columns))]
    row = ["r1", "2025-03-01", *("5" for _ in range(columns))]
    path.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")


def test_a_missing_column_of_a_5000_column_export_is_named_in_a_short_message(tmp_path):
    from conftest import write_client

    _wide_csv(tmp_path / "wide.csv", 5000)
    columns = {"response_id": "id", "submitted_at": "date", "nps": "NPS (renamed)"}
    config = write_client(tmp_path, [{"name": "survey", "path": "wide.csv", "columns": columns}])
    done = subprocess.run(
        [str(Path(sys.executable).parent / "cxanalysis"), "validate", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    message = done.stderr + done.stdout
    assert len(message.encode()) < 2000, len(message)
    assert "column 'NPS (renamed)'" in message and "wide.csv" in message
    assert "and 4,997 more" in message


def test_no_error_message_grows_beyond_its_cap():
    error = CXInputError("x" * 1_000_000, file="survey.csv", column="nps", row=3, fix="shorten it")
    message = str(error)
    assert len(message) <= 2000
    assert message.startswith("file survey.csv, column 'nps', row 3: xxx")
    assert "more characters not shown" in message and message.endswith("Fix: shorten it")


def test_the_header_of_a_file_outside_the_client_folder_is_not_quoted(tmp_path):
    from conftest import write_client

    outside = tmp_path / "elsewhere" / "secrets.csv"
    outside.parent.mkdir()
    outside.write_text("root:x:0:0:SECRET-HEADER-TEXT,other\nr1,2\n", encoding="utf-8")
    client = tmp_path / "client"
    client.mkdir()
    columns = {"response_id": "id", "submitted_at": "date", "nps": "nps"}
    config = write_client(client, [{"name": "survey", "path": str(outside), "columns": columns}])
    with pytest.raises(CXInputError) as caught:
        load_responses(load_config(config))
    message = str(caught.value)
    assert "SECRET-HEADER-TEXT" not in message and "root:x" not in message and "other" not in message
    assert "secrets.csv" in message and "column 'id'" in message and "2 columns" in message
    # The same file inside the client's folder is quoted, so a client sees what the header holds.
    (client / "inside.csv").write_bytes(outside.read_bytes())
    config = write_client(client, [{"name": "survey", "path": "inside.csv", "columns": columns}])
    with pytest.raises(CXInputError, match="SECRET-HEADER-TEXT"):
        load_responses(load_config(config))


def test_a_long_export_outside_the_client_folder_is_not_quoted(tmp_path):
    from conftest import write_client

    outside = tmp_path / "secrets.csv"
    outside.write_text("response_id,question,SECRET-NAME\nr1,nps,9\n", encoding="utf-8")
    client = tmp_path / "client"
    client.mkdir()
    columns = {"response_id": "response_id", "nps": "nps"}
    source = {
        "name": "survey",
        "path": str(outside),
        "columns": columns,
        "export": "long",
        "collected_on": "2025-03-01",
    }
    config = write_client(client, [source])
    with pytest.raises(CXInputError) as caught:
        load_responses(load_config(config))
    assert "SECRET-NAME" not in str(caught.value) and "3 columns" in str(caught.value)
