"""Dates in every form exports use, against hand-typed timestamps."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cxanalysis.dates import parse_dates

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
    assert "1 Excel serial date(s)" in notes and "1 Unix timestamp(s)" in notes


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
