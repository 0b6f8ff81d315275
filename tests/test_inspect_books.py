"""A config proposed by inspect builds unedited, and the book's headline is the right metric of the right column."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from conftest import CLI, visible_text
from cxanalysis import load_config

EXPORTS = Path(__file__).parent / "data" / "exports"
MANGLED = r"\d(?:[.,]\d+)?[eE]\+\d+"
#: What a missing value looks like when it reaches a page.
NOT_A_VALUE = r"\bnan\b|\bNaN\b|<NA>|\bNaT\b"


def inspect_and_build(export: Path, folder: Path, *, client: str | None = None) -> Path:
    """inspect EXPORT --out FOLDER/client.yml, then build that config as written; the build's folder.

    Both commands exit 0 and no page of the book shows nan, NaN, <NA> or NaT.
    """
    config = folder / "client.yml"
    inspect = [CLI, "inspect", str(export), "--out", str(config)] + (["--client", client] if client else [])
    for command in (inspect, [CLI, "build", str(config)]):
        done = subprocess.run(command, capture_output=True, text=True, cwd=export.parent)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    build = load_config(config).published_dir
    assert (build / "results" / "metrics.csv").is_file()
    for page in build.rglob("html/**/*.html"):
        text = visible_text(page.read_text(encoding="utf-8"))
        assert not re.search(NOT_A_VALUE, text), (page.name, re.findall(f".{{60}}(?:{NOT_A_VALUE}).{{20}}", text))
    return build


def build_proposed(tmp_path: Path, name: str) -> pd.DataFrame:
    """A committed export inspected and built unedited; the book's metrics.csv."""
    export = tmp_path / name
    export.write_bytes((EXPORTS / name).read_bytes())
    return pd.read_csv(inspect_and_build(export, tmp_path / "client") / "results" / "metrics.csv")


def overall(metrics: pd.DataFrame, metric: str) -> pd.Series:
    rows = metrics[(metrics["metric"] == metric) & (metrics["dimension"] == "all")]
    return rows.set_index("period")["estimate"]


def quarters(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates).dt.to_period("Q").astype(str)


@pytest.mark.slow
def test_review_export_book_reports_csat_from_the_rating_not_an_nps_from_the_flag(tmp_path):
    metrics = build_proposed(tmp_path, "review_site.csv")
    assert "nps" not in set(metrics["metric"])  # the 0/1 'recommended' flag is not read as a 0-10 NPS
    raw = pd.read_csv(EXPORTS / "review_site.csv")
    expected = (raw["Rating"] >= 4).groupby(quarters(raw["Date"])).mean() * 100  # top two boxes of 1-5
    got = overall(metrics, "csat")
    assert metrics.loc[metrics["dimension"] == "all", "n"].max() == len(raw)
    assert sorted(got.index.astype(str)) == sorted(expected.index)
    for period, value in expected.items():
        assert got[period] == pytest.approx(value, abs=0.051), period


@pytest.mark.slow
def test_survey_with_repeated_and_mangled_ids_reports_csat_from_review_score(tmp_path):
    metrics = build_proposed(tmp_path, "survey_ids.csv")
    raw = pd.read_csv(EXPORTS / "survey_ids.csv", dtype=str)
    kept = raw[~raw["review_id"].str.fullmatch(MANGLED)]
    kept = kept[~kept["review_id"].duplicated(keep="first")]  # the quarantine keeps the first of a repeated id
    score = kept["review_score"].astype(int)
    expected = (score >= 4).groupby(quarters(kept["review_creation_date"])).mean() * 100
    got = overall(metrics, "csat")
    n = metrics[(metrics["metric"] == "csat") & (metrics["dimension"] == "all")].set_index("period")["n"]
    assert n.to_dict() == kept.groupby(quarters(kept["review_creation_date"])).size().to_dict()
    assert sorted(got.index.astype(str)) == sorted(expected.index)
    for period, value in expected.items():
        assert got[period] == pytest.approx(value, abs=0.051), period
