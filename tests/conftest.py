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


def sample_config_with_absolute_data_paths() -> dict:
    """The sample's config as YAML data, every data file it reads (exports, customers, tickets, invitations,
    agent satisfaction, the follow-up log) named by its absolute path, so that a copy of the config in another
    folder reads the sample's data; the journey and stakeholder files stay relative."""
    config = yaml.safe_load(SAMPLE_CONFIG.read_text(encoding="utf-8"))
    files = [*config["sources"], *(config[k] for k in ("customers", "tickets", "invitations", "agent_satisfaction"))]
    files += [config["follow_up"]["log"]]
    for spec in files:
        spec["path"] = str(SAMPLE_CONFIG.parent / spec["path"])
    return config


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


@pytest.fixture
def client_folder(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory, worker_id) -> Path:
    """A folder shared by every worker of this test run (pytest-xdist), and by this run alone."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@pytest.fixture(scope="session")
def sample_build(run_dir):
    """The sample book and its PDF, built once per test run by the command a consultant types.

    Tests on either worker share it: the first to need it builds it while holding a lock, and the
    others wait for that build and read what it printed, so the sample is never built twice or twice
    at a time.
    """
    import fcntl

    from cxanalysis import load_config

    printed = run_dir / "sample_build.stdout"
    with (run_dir / "sample_build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not printed.exists():
            started = time.perf_counter()
            done = subprocess.run([CLI, "build", "--pdf", str(SAMPLE_CONFIG)], capture_output=True, text=True)
            print(f"\nsample book and PDF built in {time.perf_counter() - started:.0f} s")
            assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
            printed.write_text(done.stdout, encoding="utf-8")
    return load_config(SAMPLE_CONFIG), printed.read_text(encoding="utf-8")


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
