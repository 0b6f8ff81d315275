"""Dates in every form exports use, against hand-typed timestamps."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pandas as pd
import pytest
from dateparser.date import DateDataParser

from conftest import SURVEY_COLUMNS, survey_frame, write_client
from cxanalysis import load_config
from cxanalysis.dates import parse_dates
from cxanalysis.loading import load_responses

T = pd.Timestamp


def test_each_form_to_the_second():
    values = pd.Series(
        [
            "2025-03-04 14:05",
            "2025-03-04T13:05:00+01:00",
            "04.03.2025 14:05",
            "13/04/2025",
            "45720.5",
            "1741097100",
            "15 Jan 2025",
            dt.datetime(2025, 1, 2, 3, 4, 5),
            None,
            "soon",
        ],
        dtype=object,
    )
    parsed, notes = parse_dates(values)
    assert parsed.tolist()[:8] == [
        T("2025-03-04 14:05"),
        T("2025-03-04 12:05"),
        T("2025-03-04 14:05"),
        T("2025-04-13"),
        T("2025-03-04 12:00"),
        T("2025-03-04 14:05"),
        T("2025-01-15"),
        T("2025-01-02 03:04:05"),
    ]
    assert parsed.iloc[8:].isna().all()
    assert "1 Excel serial date" in notes and "1 Unix timestamp" in notes


def test_am_pm_and_the_twelve_o_clock_hours():
    parsed, _ = parse_dates(
        pd.Series(
            [
                "12/01/2023 12:05:00 AM",
                "12/01/2023 12:05:00 PM",
                "12/01/2023 1:05 PM",
                "12/31/2023 11:59:59 pm",
                "12/01/2023 23:10",
            ]
        )
    )
    assert parsed.tolist() == [
        T("2023-12-01 00:05"),
        T("2023-12-01 12:05"),
        T("2023-12-01 13:05"),
        T("2023-12-31 23:59:59"),
        T("2023-12-01 23:10"),
    ]


def test_day_month_order_from_the_data_or_the_config():
    ambiguous = pd.Series(["03/04/2025", "05/06/2025"])
    parsed, notes = parse_dates(ambiguous)
    assert parsed.tolist() == [T("2025-03-04"), T("2025-05-06")] and "ambiguous dates" in notes[0]
    parsed, notes = parse_dates(ambiguous, dayfirst=True)
    assert parsed.tolist() == [T("2025-04-03"), T("2025-06-05")] and notes == []
    parsed, notes = parse_dates(pd.Series(["03.04.2025", "13.04.2025"]))
    assert parsed.tolist() == [T("2025-04-03"), T("2025-04-13")] and "read day first" in notes[0]
    parsed, _ = parse_dates(pd.Series(["4.3.25 8.15"]), dayfirst=True)
    assert parsed.tolist() == [T("2025-03-04 08:15")]


# ---------------------------------------------------------------------------------------------------------------
# Dates in words: English, Norwegian, Danish and Swedish


@pytest.mark.parametrize(
    "text, expected",
    [
        ("4. mars 2026", "2026-03-04"),  # nb
        ("4. marts 2026", "2026-03-04"),  # da
        ("4 mars 2026", "2026-03-04"),  # sv
        ("March 4, 2026", "2026-03-04"),  # en
        ("tirsdag 3. februar 2026", "2026-02-03"),  # nb and da
        ("tirsdag den 3. februar 2026", "2026-02-03"),  # da
        ("tisdag 3 februari 2026", "2026-02-03"),  # sv
        ("Tuesday, February 3, 2026", "2026-02-03"),  # en
        ("4. mars 2026 kl. 14.05", "2026-03-04 14:05"),  # nb
        ("4. marts 2026 kl. 14.05", "2026-03-04 14:05"),  # da
        ("4 mars 2026 kl. 14.05", "2026-03-04 14:05"),  # sv
        ("4. mai 2026 kl 9.05", "2026-05-04 09:05"),  # nb, "kl" without its dot
        ("4 maj 2026 kl. 14:05", "2026-05-04 14:05"),  # sv and da
        ("4 March 2026 2:05 PM", "2026-03-04 14:05"),  # en
        ("March 4, 2026 at 2:05 PM", "2026-03-04 14:05"),  # en
        ("4. desember 2026", "2026-12-04"),  # nb
        ("4. okt. 2026", "2026-10-04"),  # an abbreviated month
        ("04.03.2026 kl. 14.05", "2026-03-04 14:05"),  # digits with the Nordic time marker
        ("4 March 2026 14:05 +01:00", "2026-03-04 13:05"),  # a zone: to UTC, as ISO dates with an offset
    ],
)
def test_a_date_in_words_to_the_minute(text, expected):
    parsed, _ = parse_dates(pd.Series([text]))
    assert parsed.iloc[0] == T(expected)


def test_a_column_mixing_numeric_dates_and_dates_in_words():
    values = pd.Series(
        ["2026-03-04 14:05", "4. mars 2026", "45720.5", "13.03.2026 kl. 9.05", "March 4, 2026", "1741097100", None],
        dtype=object,
    )
    parsed, notes = parse_dates(values)
    assert parsed.tolist()[:6] == [
        T("2026-03-04 14:05"),
        T("2026-03-04"),
        T("2025-03-04 12:00"),
        T("2026-03-13 09:05"),
        T("2026-03-04"),
        T("2025-03-04 14:05"),
    ]
    assert pd.isna(parsed.iloc[6])
    assert notes == ["1 Excel serial date", "1 Unix timestamp", "dates read day first (a day above 12 shows it)"]


def test_digit_dates_with_kl_keep_their_day_month_order_reported():
    ambiguous = pd.Series(["04.03.2026 kl. 14.05", "05.06.2026 kl. 9.05"])
    parsed, notes = parse_dates(ambiguous)
    assert parsed.tolist() == [T("2026-03-04 14:05"), T("2026-06-05 09:05")]
    assert len(notes) == 1 and notes[0].startswith("ambiguous dates: no day is above 12")
    parsed, notes = parse_dates(ambiguous, dayfirst=False)
    assert parsed.tolist() == [T("2026-04-03 14:05"), T("2026-05-06 09:05")] and notes == []


@pytest.mark.parametrize(
    "text",
    [
        "4. maars 2026",  # a typo in the month
        "4 Marhc 2026",
        "4. mars 2026 kl. 25.05",  # no such hour
        "4. mars",  # no year: not taken from today
        "mars 2026",  # no day: not set to the first
        "i går kl. 14.05",  # yesterday: relative to the day it is read, not to the survey
        "2 days ago",
        "Ringte 4. mars 2026 og ventet i 45 minutter før noen svarte",  # a comment that mentions a date
    ],
)
def test_a_date_in_words_that_cannot_be_read_whole_is_missing(text):
    parsed, _ = parse_dates(pd.Series([text, "4. mars 2026"]))
    assert pd.isna(parsed.iloc[0]) and parsed.iloc[1] == T("2026-03-04")


def test_a_misspelt_date_in_words_is_quarantined_as_unparseable(tmp_path):
    frame = survey_frame(8).astype(object)
    frame["Date"] = ["4. mars 2026", "4. marts 2026", "4 mars 2026", "March 4, 2026"] * 2
    frame.loc[5, "Date"] = "4. maars 2026"
    (tmp_path / "survey.csv").write_text(frame.to_csv(index=False), encoding="utf-8")
    source = {"name": "s", "path": "survey.csv", "columns": SURVEY_COLUMNS}
    config = load_config(write_client(tmp_path, [source], segments=["region"]))
    table = load_responses(config)
    assert table.quarantine[["row", "reason", "value"]].values.tolist() == [[7, "unparseable_date", "4. maars 2026"]]
    assert (table.valid["submitted_at"] == T("2026-03-04")).all() and len(table.valid) == 7


def test_each_distinct_date_in_words_is_read_once(monkeypatch):
    calls = []
    read = DateDataParser.get_date_data

    def counted(self, date_string, *args, **kwargs):
        calls.append(date_string)
        return read(self, date_string, *args, **kwargs)

    monkeypatch.setattr(DateDataParser, "get_date_data", counted)
    values = pd.Series(["4. mars 2026", "March 5, 2026", "6 mars 2026 kl. 14.05"] * 3334).iloc[:10_000]
    parsed, _ = parse_dates(values)
    assert len(calls) == len(set(calls)) == 3  # at most once per distinct value, and the count does see the calls
    assert parsed.value_counts().to_dict() == {
        T("2026-03-04"): 3334,
        T("2026-03-05"): 3333,
        T("2026-03-06 14:05"): 3333,
    }


def test_a_date_in_words_does_not_move_with_the_machine_s_time_zone():
    script = (
        "import pandas as pd; from cxanalysis.dates import parse_dates; "
        "print(parse_dates(pd.Series(['4. mars 2026 kl. 14.05', '4 March 2026 14:05 +01:00']))[0].tolist())"
    )
    env = {**os.environ, "TZ": "America/New_York"}
    shown = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == str([T("2026-03-04 14:05"), T("2026-03-04 13:05")])


def test_unix_milliseconds_in_a_text_column_are_read():
    values = pd.Series(["1735689600000", "1234567890123", "9999999999999"], dtype="string")
    parsed, _ = parse_dates(values)
    assert parsed.iloc[0] == pd.Timestamp("2025-01-01") and parsed.iloc[1] == pd.Timestamp("2009-02-13 23:31:30.123")
