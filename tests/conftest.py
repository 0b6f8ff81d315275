"""Shared fixtures: small client folders written on the fly, in real file formats."""

from __future__ import annotations

import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CONFIG = REPO / "data" / "sample" / "client.yml"
CLI = str(Path(sys.executable).parent / "cxanalysis")


def write_client(folder: Path, sources: list[dict], **overrides) -> Path:
    """Write client.yml into folder (data files are written by the caller)."""
    config = {
        "client": {"name": "Fjord Test", "slug": "fjord-test"},
        "sources": sources,
        "output_dir": "out",
    }
    config.update(overrides)
    path = folder / "client.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def survey_frame(n: int = 20) -> pd.DataFrame:
    """A small valid survey export with Nordic letters in it."""
    return pd.DataFrame(
        {
            "Id": [f"A{i:03d}" for i in range(n)],
            "Date": [f"2025-0{1 + i % 6}-1{i % 10}" for i in range(n)],
            "Region": ["Øst", "Sør", "Nord", "Vest"] * (n // 4),
            "NPS": [(i * 7) % 11 for i in range(n)],
            "Comment": ["Blåbær og rødgrøt, takk" if i % 3 == 0 else "" for i in range(n)],
        }
    )


SURVEY_COLUMNS = {"response_id": "Id", "submitted_at": "Date", "region": "Region", "nps": "NPS", "comment": "Comment"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep what shares a costly fixture on one worker when the run is spread over cores (pytest-xdist,
    ``--dist loadgroup``): every test of a module together, and every test of the shared sample book
    together, so each module's fixtures and the sample book are built once and never twice at a time."""
    for item in items:
        if item.get_closest_marker("xdist_group"):  # a test that names its group keeps it
            continue
        group = "sample_book" if "sample_build" in getattr(item, "fixturenames", ()) else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture
def client_folder(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture(scope="session")
def sample_build():
    """The sample book and its PDF, built once by the command a consultant types."""
    from cxanalysis import load_config

    started = time.perf_counter()
    done = subprocess.run([CLI, "build", "--pdf", str(SAMPLE_CONFIG)], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    print(f"\nsample book and PDF built in {seconds:.0f} s")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return load_config(SAMPLE_CONFIG), done.stdout


class VisibleText(HTMLParser):
    """The text a reader sees on a page: no scripts, styles or attributes."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())
