"""Closing the loop: the private follow-up list, the log matched to the answers, and the three figures."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from conftest import REPO, write_client
from cxanalysis import load_config, open_client
from cxanalysis.errors import CXInputError
from cxanalysis.follow_up import (
    FIGURE_COLUMNS,
    closing_the_loop,
    due_dates,
    follow_up_figures,
    follow_up_list,
    median_interval,
    working_days,
)
from cxanalysis.loading import check_all, load_all
from cxanalysis.sample import FOLLOW_UP_FILE, generate_sample

SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7), "attributes": (1, 5)}
SAMPLE = REPO / "data" / "sample"


def answers_frame() -> pd.DataFrame:
    """Answers by hand: which call for a follow-up is plain from the scores."""
    return pd.DataFrame(
        {
            "response_id": ["a", "b", "c", "d", "e", "f", "g", "h"],
            "customer_id": ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8"],
            "survey": ["rel", "rel", "rel", "trx", "trx", "trx", "trx", "both"],
            "touchpoint": ["Store", "Store", "Web", "Web", "Delivery", "Delivery", "Unknown", "Store"],
            "submitted_at": pd.to_datetime(
                [
                    "2025-10-01 08:00",  # Wednesday
                    "2025-10-02 12:00",
                    "2025-10-03 17:30",  # Friday
                    "2025-10-04 09:00",  # Saturday
                    "2025-10-05 10:00",  # Sunday
                    "2025-10-06 11:00",  # Monday
                    "2025-10-07 11:00",
                    "2025-10-08 11:00",
                ]
            ),
            # detractor, passive, promoter edge, -, -, -, -, detractor who also rated CSAT low
            "nps": [6, 7, 9, np.nan, np.nan, np.nan, np.nan, 0],
            # -, dissatisfied (but NPS passive: listed for CSAT), -, 2, 3, 1, missing, 1
            "csat": [np.nan, 2, np.nan, 2, 3, 1, np.nan, 1],
            "comment": ["slow", None, "great", "late", "ok", "broken", None, "awful"],
        }
    )


TEAMS = {"Store": "Sales", "Web": "Marketing", "Delivery": "Quality control"}


# ---------------------------------------------------------------------------
# the list


def test_the_list_holds_exactly_the_detractors_and_the_dissatisfied():
    listed = follow_up_list(answers_frame(), SCALES, 2, TEAMS)
    expected = pd.DataFrame(
        {
            "response_id": ["a", "b", "d", "f", "h"],
            "customer_id": ["C1", "C2", "C4", "C6", "C8"],
            "survey": ["rel", "rel", "trx", "trx", "both"],
            "touchpoint": ["Store", "Store", "Web", "Delivery", "Store"],
            "team": ["Sales", "Sales", "Marketing", "Quality control", "Sales"],
            "score": ["nps", "csat", "csat", "csat", "nps"],
            "answer": [6.0, 2.0, 2.0, 1.0, 0.0],
            "group": ["detractor", "dissatisfied", "dissatisfied", "dissatisfied", "detractor"],
            "comment": ["slow", None, "late", "broken", "awful"],
            "submitted_on": pd.to_datetime(["2025-10-01", "2025-10-02", "2025-10-04", "2025-10-06", "2025-10-08"]),
            # two working days on: Wed -> Fri, Thu -> Mon, Sat (from Monday) -> Wed, Mon -> Wed, Wed -> Fri
            "due_on": pd.to_datetime(["2025-10-03", "2025-10-06", "2025-10-08", "2025-10-08", "2025-10-10"]),
        }
    )
    pd.testing.assert_frame_equal(
        listed.astype(object).where(listed.notna(), None),
        expected.astype(object).where(expected.notna(), None),
        check_dtype=False,
    )
    assert "g" not in set(listed["response_id"])  # a touchpoint without a team, and no score: not listed


def _due_by_hand(day: dt.date, days: int) -> dt.date:
    """The due date counted on a calendar: a weekend answer counts from Monday, then ``days`` weekdays on."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        counted += day.weekday() < 5
    return day


@pytest.mark.parametrize("days", [0, 1, 2, 5, 10])
def test_due_dates_count_working_days_from_the_answer(days):
    answered = pd.Series(pd.date_range("2025-12-20", "2026-01-20", freq="13h"))
    expected = [_due_by_hand(t.date(), days) for t in answered]
    assert [t.date() for t in due_dates(answered, days)] == expected
    # on time exactly when the working days to the due date are within the service level
    assert (working_days(answered.dt.normalize(), due_dates(answered, days)) == days).all()


# ---------------------------------------------------------------------------
# the figures


def logged(n: int, seed: int = 7) -> pd.DataFrame:
    """A listed frame with a log merged in, drawn at random."""
    rng = np.random.default_rng(seed)
    nps = rng.random(n) < 0.5
    answered = pd.Timestamp("2025-10-01") + pd.to_timedelta(rng.integers(0, 80, n), unit="D")
    contacted = rng.random(n) < 0.7
    delay = rng.integers(0, 9, n)
    again = np.where(rng.random(n) < 0.5, np.where(nps, rng.integers(0, 11, n), rng.integers(1, 6, n)), np.nan)
    answers = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(n)],
            "customer_id": [f"c{i}" for i in range(n)],
            "survey": "s",
            "touchpoint": "Store",
            "submitted_at": answered,
            "nps": np.where(nps, rng.integers(0, 7, n), np.nan),
            "csat": np.where(nps, np.nan, rng.integers(1, 3, n)),
            "comment": None,
        }
    )
    contact = pd.Series(np.busday_offset(answered.to_numpy(dtype="datetime64[D]"), delay, roll="forward"))
    log = pd.DataFrame(
        {
            "response_id": answers["response_id"],
            "contacted_at": contact.where(contacted).astype("datetime64[ns]"),
            "resolved": np.where(contacted, 1.0, np.nan),
            "resurvey_score": np.where(contacted, again, np.nan),
        }
    )
    return follow_up_list(answers, SCALES, 2, TEAMS, log)


def test_figures_against_independent_formulas():
    listed = logged(300)
    as_of = pd.Timestamp("2025-12-10")
    figures = follow_up_figures(listed, as_of, "2025Q4").set_index("figure")
    assert list(follow_up_figures(listed, as_of, "2025Q4").columns) == FIGURE_COLUMNS
    due = listed[listed["due_on"] <= as_of]
    assert figures.loc["listed", "n"] == 300 and figures.loc["due", "n"] == len(due) < 300

    contacted = due["contacted_on"].notna()
    rate = figures.loc["follow_up_rate"]
    low, high = proportion_confint(contacted.sum(), len(due), alpha=0.05, method="wilson")
    assert rate["estimate"] == pytest.approx(100 * contacted.mean())
    assert (rate["ci_low"], rate["ci_high"]) == pytest.approx((100 * low, 100 * high))

    # working days typed separately: the weekdays from the answer day up to (not including) the contact day
    days = np.array(
        [
            sum(1 for d in pd.date_range(a, c, inclusive="left") if d.weekday() < 5)
            for a, c in zip(due.loc[contacted, "submitted_on"], due.loc[contacted, "contacted_on"])
        ]
    )
    median = figures.loc["median_working_days"]
    interval = stats.quantile_test(days, q=np.median(days), p=0.5).confidence_interval(0.95)
    assert median["estimate"] == np.median(days) and median["n"] == len(days)
    assert (median["ci_low"], median["ci_high"]) == (interval.low, interval.high)

    asked = due[due["resurvey_score"].notna()]
    up = np.where(asked["score"] == "nps", asked["resurvey_score"] >= 7, asked["resurvey_score"] >= 3)
    recovery = figures.loc["recovery_rate"]
    low, high = proportion_confint(up.sum(), len(up), alpha=0.05, method="wilson")
    assert recovery["estimate"] == pytest.approx(100 * up.mean()) and recovery["n"] == len(up)
    assert (recovery["ci_low"], recovery["ci_high"]) == pytest.approx((100 * low, 100 * high))


def test_median_interval_is_scipys_and_covers_the_median():
    rng = np.random.default_rng(3)
    for n in (6, 11, 40, 201):
        x = rng.lognormal(size=n)
        expected = stats.quantile_test(x, q=np.median(x), p=0.5).confidence_interval(0.95)
        assert median_interval(x) == (expected.low, expected.high)
    assert np.isnan(median_interval([1, 2, 3, 4, 5])).all()  # too few for a 95 % interval
    # Coverage by simulation: at least 95 % for any continuous distribution (here exponential, median ln 2).
    hits = [(lambda b: b[0] <= np.log(2) <= b[1])(median_interval(rng.exponential(size=25))) for _ in range(4000)]
    assert np.mean(hits) >= 0.94


def test_figures_without_anyone_due_are_missing_not_zero():
    listed = logged(20)
    figures = follow_up_figures(listed, pd.Timestamp("2025-01-01"), "2025Q4").set_index("figure")
    assert figures.loc["due", "n"] == 0
    assert figures.loc[["follow_up_rate", "median_working_days", "recovery_rate"], "estimate"].isna().all()


# ---------------------------------------------------------------------------
# the log, read as a client's file


def log_client(folder: Path, log: pd.DataFrame, columns: dict | None = None) -> Path:
    survey = answers_frame().rename(
        columns={"response_id": "Id", "submitted_at": "Date", "nps": "NPS", "csat": "CSAT", "customer_id": "Cust"}
    )
    survey["Date"] = survey["Date"].dt.strftime("%Y-%m-%d %H:%M")
    survey.to_csv(folder / "survey.csv", index=False)
    log.to_csv(folder / "log.csv", index=False)
    return write_client(
        folder,
        [
            {
                "name": "survey",
                "path": "survey.csv",
                "columns": {
                    "response_id": "Id",
                    "submitted_at": "Date",
                    "customer_id": "Cust",
                    "survey": "survey",
                    "touchpoint": "touchpoint",
                    "nps": "NPS",
                    "csat": "CSAT",
                    "comment": "comment",
                },
            }
        ],
        follow_up={"service_level_days": 2, "log": {"path": "log.csv", "columns": columns or {}}},
    )


def test_bad_log_rows_are_quarantined_naming_file_column_and_row(tmp_path):
    log = pd.DataFrame(
        {
            "Answer": ["a", "zz-unknown", "d", "f", "", "b", "a", "h"],
            "customer_id": ["", "", "", "", "C404", "", "", ""],
            "contacted_at": [
                "2025-10-02",
                "2025-10-03",
                "2025-10-01",
                "31.02.2025",
                "2025-10-09",
                "",
                "2025-10-05",
                "",
            ],
            "resolved": ["yes", "no", "yes", "", "", "", "", ""],
            "resurvey_score": ["8", "", "", "", "", "4", "", "11"],
        }
    )
    config = load_config(log_client(tmp_path, log, {"response_id": "Answer"}))
    table = load_all(config)["follow_up_log"]
    bad = table.quarantine.set_index("row")
    # spreadsheet rows: the header is row 1, so the log's first data row is row 2
    assert bad.loc[3, ["reason", "column", "value"]].tolist() == ["unknown_response", "Answer", "zz-unknown"]
    assert bad.loc[4, ["reason", "column", "value"]].tolist() == [
        "contacted_before_answer",
        "contacted_at",
        "2025-10-01",
    ]  # d answered on 4 October, contacted on the 1st
    assert bad.loc[5, ["reason", "column", "value"]].tolist() == ["unparseable_date", "contacted_at", "31.02.2025"]
    assert bad.loc[6, ["reason", "column", "value"]].tolist() == ["unknown_response", "customer_id", "C404"]
    assert bad.loc[8, ["reason", "column", "value"]].tolist() == ["duplicate_id", "Answer", "a"]
    # h is an NPS detractor: 11 is off its 0-10 scale
    assert bad.loc[9, ["reason", "column", "value"]].tolist() == ["score_out_of_range", "resurvey_score", "11"]
    assert set(bad["file"]) == {"log.csv"} and set(bad["source"]) == {"follow_up_log"}
    assert sorted(table.valid["response_id"]) == ["a", "b"]

    summary = check_all(config).accounting
    counts = summary[summary["source"] == "follow_up_log"].set_index(["outcome", "reason"])["rows"]
    assert counts[("read", "")] == 8 and counts[("valid", "")] == 2
    assert counts.xs("quarantined").sum() == 6  # every row read ends valid or quarantined
    assert counts[("quarantined", "unknown_response")] == 2


def test_a_log_row_with_a_customer_id_only_follows_up_their_latest_answer_before_the_contact(tmp_path):
    log = pd.DataFrame({"customer_id": ["C6", "C8"], "contacted_at": ["2025-10-07", "2025-10-01"]})
    config = load_config(log_client(tmp_path, log))
    table = load_all(config)["follow_up_log"]
    assert table.valid["response_id"].tolist() == ["f"]
    assert table.quarantine[["row", "reason"]].values.tolist() == [[3, "contacted_before_answer"]]


def test_a_log_naming_no_answer_is_an_error_naming_the_file(tmp_path):
    log = pd.DataFrame({"contacted_at": ["2025-10-07"], "resolved": ["yes"]})
    config = load_config(log_client(tmp_path, log))
    with pytest.raises(CXInputError, match="names no survey answer") as error:
        load_all(config)
    assert "log.csv" in str(error.value) and "follow_up.log.columns" in str(error.value)


def test_a_client_without_follow_up_settings_gets_the_list_and_no_figures(tmp_path):
    config_path = log_client(tmp_path, pd.DataFrame({"response_id": ["a"]}))
    raw = yaml.safe_load(config_path.read_text())
    del raw["follow_up"]
    config_path.write_text(yaml.safe_dump(raw))
    client = open_client(config_path)
    loop = closing_the_loop(client)
    assert not loop.has_log and client.tables["follow_up_log"] is None
    assert loop.service_level_days == 2  # the default service level
    assert set(loop.figures["figure"]) == {"listed", "due"}
    assert sorted(loop.listed["response_id"]) == ["a", "b", "d", "f", "h"]


# ---------------------------------------------------------------------------
# the sample client's planted log


@pytest.fixture(scope="module")
def sample_truth() -> dict:
    return yaml.safe_load((SAMPLE / "truth.yml").read_text(encoding="utf-8"))["follow_up"]


def test_committed_sample_log_matches_the_generator(tmp_path, sample_truth):
    generate_sample(tmp_path)
    digest = [hashlib.sha256((d / FOLLOW_UP_FILE).read_bytes()).hexdigest() for d in (SAMPLE, tmp_path)]
    assert digest[0] == digest[1], "data/sample/follow_up_log.csv is out of date; regenerate the sample"
    assert len(pd.read_csv(SAMPLE / FOLLOW_UP_FILE)) == sample_truth["rows"]


def test_sample_figures_recover_the_planted_log(sample_truth):
    loop = closing_the_loop(open_client(None))
    figures = loop.figures.set_index("figure")
    realised = sample_truth["realised"]
    assert loop.period == sample_truth["period"]
    assert figures.loc["listed", "n"] == sum(sample_truth["listed"].values())
    assert figures.loc["due", "n"] == realised["due"]
    assert str(loop.as_of.date()) == sample_truth["as_of"]
    planted = {
        "follow_up_rate": 100 * sample_truth["contacted_share"],
        "median_working_days": sample_truth["median_working_days"],
        "recovery_rate": 100 * sample_truth["recovery_share"],
    }
    for figure, truth in planted.items():
        row = figures.loc[figure]
        assert row["estimate"] == pytest.approx(realised[figure], abs=1e-3), figure
        assert row["ci_low"] <= truth <= row["ci_high"], (figure, truth, row.to_dict())
    assert figures.loc["follow_up_rate", "n"] == realised["due"]
    assert figures.loc["recovery_rate", "n"] == realised["resurveyed"]


# ---------------------------------------------------------------------------
# the built book


@pytest.mark.slow
def test_no_customer_on_the_follow_up_list_appears_in_the_book_pdf_or_results(sample_build):
    from pypdf import PdfReader

    config, _ = sample_build
    build = config.build_dir
    listed = pd.read_csv(build / "private" / "follow_up.csv", dtype=str)
    assert (build / "private" / "follow_up.xlsx").exists()
    ids = set(listed["customer_id"].dropna())
    assert len(ids) > 100
    pages = {str(p): p.read_text(encoding="utf-8") for p in (build / "html").rglob("*.html")}
    pdf = build / f"{config.client.slug}-report.pdf"
    pages[str(pdf)] = "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
    results = [p for p in (build / "results").rglob("*") if p.is_file()]
    assert any(p.name == "follow_up_figures.csv" for p in results)
    for path in results:
        if path.suffix == ".xlsx":
            sheets = pd.read_excel(path, sheet_name=None, dtype=str, engine="openpyxl").values()
            pages[str(path)] = "\n".join(sheet.to_csv(index=False) for sheet in sheets)
        else:
            pages[str(path)] = path.read_bytes().decode("utf-8", errors="replace")
    found = [(customer, where) for where, text in pages.items() for customer in ids if customer in text]
    assert not found, found[:10]
    chapter = (build / "html" / "notebooks" / "08_monitoring.html").read_text(encoding="utf-8")
    assert "Closing the loop" in chapter and "Follow-up rate" in chapter
