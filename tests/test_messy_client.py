"""A normal client with untidy data builds a correct book: partial data never breaks it or makes news.

The client has two years of quarterly answers and an export taken ten days
into a new quarter; a region column with blanks; a negative comment theme
(price) that nobody mentions in the last complete quarter; and, by month,
a time axis of 25 periods.
"""

from __future__ import annotations

import re
import subprocess

import numpy as np
import pandas as pd
import pytest

from conftest import CLI, visible_text, write_client
from cxanalysis import charts, load_config, words
from cxanalysis.client import ClientData

COMMENTS = {
    "price": ["Altfor dyrt, prisene er høye", "Prisen var for høy for det du får"],
    "praise": ["Veldig hyggelig ekspeditør i butikken", "Rask og god hjelp, takk"],
    "plain": ["Greit nok", "Ingen kommentar"],
}


def messy_survey(seed: int = 8) -> pd.DataFrame:
    """Two years of answers, 2024Q1 to 2025Q4, then ten days of 2026Q1."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2024-01-01", "2025-12-31 23:00", freq="5h")
    dates = dates.append(pd.date_range("2026-01-01", "2026-01-10", freq="19h"))
    n = len(dates)
    nps = rng.choice(11, n, p=np.r_[np.full(7, 0.05), 0.1, 0.15, 0.2, 0.2])
    kind = np.where(nps <= 6, "price", np.where(nps >= 9, "praise", "plain"))
    kind = np.where((dates >= "2025-10-01") & (kind == "price"), "plain", kind)  # nobody mentions price lately
    comments = [COMMENTS[k][i % 2] if rng.random() < 0.6 else "" for i, k in enumerate(kind)]
    region = rng.choice(["Nord", "Sør", "Øst", "Vest", ""], n, p=[0.25, 0.25, 0.2, 0.2, 0.1])
    return pd.DataFrame(
        {
            "Respons-ID": [f"R{i:05d}" for i in range(n)],
            "Dato": dates.strftime("%d.%m.%Y %H:%M"),
            "Region": region,
            "Anbefale (0-10)": nps,
            "Kommentar": comments,
        }
    )


def messy_client(folder, period: str = "quarter"):
    messy_survey().to_csv(folder / "svar.csv", sep=";", index=False, encoding="utf-8")
    return write_client(
        folder,
        [
            {
                "name": "survey",
                "path": "svar.csv",
                "dayfirst": True,
                "columns": {
                    "response_id": "Respons-ID",
                    "submitted_at": "Dato",
                    "region": "Region",
                    "nps": "Anbefale (0-10)",
                    "comment": "Kommentar",
                },
            }
        ],
        segments=["region"],
        report={"title": "Kundeopplevelse", "period": period},
        output_dir=str(folder / "out"),
    )


def test_a_thin_latest_quarter_is_left_out_and_said(tmp_path):
    client = ClientData(load_config(messy_client(tmp_path)))
    assert client.partial is not None and client.partial.period == "2026Q1"
    assert client.latest_period == "2025Q4" and "2026Q1" not in client.periods
    thin = (pd.to_datetime(messy_survey()["Dato"], dayfirst=True) >= "2026-01-01").sum()
    assert client.partial.responses == thin
    assert len(client.responses) == len(client.response_table.valid) - thin


def test_reporting_the_thin_quarter_is_a_choice(tmp_path):
    path = messy_client(tmp_path)
    text = path.read_text(encoding="utf-8").replace("period: quarter", "period: quarter\n  partial_period: report")
    path.write_text(text, encoding="utf-8")
    client = ClientData(load_config(path))
    assert client.latest_period == "2026Q1" and client.partial.period == "2026Q1"


@pytest.mark.slow
def test_the_messy_client_builds_a_book_without_nan(tmp_path):
    path = messy_client(tmp_path)
    done = subprocess.run([CLI, "build", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    config = load_config(path)
    pages = {p.name: visible_text(p.read_text(encoding="utf-8")) for p in (config.build_dir / "html").rglob("*.html")}
    for name, text in pages.items():
        assert not re.search(r"\bnan\b|\bNaN\b|<NA>|\bNaT\b", text), (
            name,
            re.findall(r".{60}\bnan\b.{20}", text),
        )
    summary = pages["00_executive_summary.html"]
    assert "The latest period is 2025Q4" in summary and "2026Q1 is incomplete" in summary


def test_blank_categories_are_counted_not_lost(tmp_path):
    client = ClientData(load_config(messy_client(tmp_path)))
    survey = messy_survey()
    dates = pd.to_datetime(survey["Dato"], dayfirst=True)
    blank = int(((survey["Region"] == "") & (dates < "2026-01-01")).sum())
    assert client.blank_levels.to_dict() == {"region": blank}
    assert f"{blank} responses have no region" in words.blank_levels_sentence(client.blank_levels)


def test_a_long_time_axis_labels_at_most_twelve_periods_and_always_the_latest():
    periods = [str(p) for p in pd.period_range("2024-01", "2026-01", freq="M")]
    summary = pd.DataFrame({"period": periods, "estimate": 50.0, "ci_low": 40.0, "ci_high": 60.0, "suppressed": False})
    fig = charts.trend(summary, "nps")
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert len(labels) <= charts.MAX_PERIOD_LABELS and labels[-1] == "2026-01" and labels[0] == "2024-01"
    ticks = len(fig.axes[0].get_xticks()) + len(fig.axes[0].get_xticks(minor=True))
    assert ticks == len(periods)  # every period keeps a tick, labelled or not
