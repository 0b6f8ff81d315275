"""Survey-tool exports read in their own layouts, dates in every form, and text answers in four languages.

The fixtures in tests/data/exports/ are fictional (a Nordic furniture and
grocery retailer's surveys) written in the exact layout of each tool's
export: its header rows, metadata columns, date forms and encodings. Every
expected value below is typed by hand from the fixture files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from conftest import write_client
from cxanalysis import load_config
from cxanalysis.dates import parse_dates
from cxanalysis.errors import CXInputError
from cxanalysis.exports import adapt, detect_layout
from cxanalysis.labels import best_label_map, leading_scores, shipped_label_maps
from cxanalysis.loading import load_responses, unknown_answer_labels
from cxanalysis.readers import read_cells

EXPORTS = Path(__file__).parent / "data" / "exports"
T = pd.Timestamp
N = None

SM_NPS = "How likely is it that you would recommend Nordlys Interiør to a friend or colleague?"
SM_CSAT = "Overall, how satisfied were you with your visit?"
SM_RATE = "How would you rate us on each of the following?"
SM_STORE = "Which store did you visit?"
SM_MORE = "Is there anything else you would like to tell us?"
GF_NPS = "Hvor sandsynligt er det, at du vil anbefale Købmandsgården til en ven?"
GF_CSAT = "Hvor tilfreds er du med dit seneste køb?"
GX_NPS = "Hur troligt är det att du skulle rekommendera Älvboden till en vän?"
GX_CSAT = "Hur nöjd är du med leveransen?"
TF_NPS = "Hvor sannsynlig er det at du vil anbefale Nordlys Interiør til en venn?"
TF_CSAT = "Hvor fornøyd er du med nettbutikken?"
TF_PHONE = "Hva er telefonnummeret ditt?"

LAYOUTS = {
    "surveymonkey.csv": "surveymonkey",
    "qualtrics.csv": "qualtrics",
    "qualtrics_legacy.csv": "qualtrics-legacy",
    "google_forms.csv": "google-forms",
    "google_forms.xlsx": "google-forms",
    "typeform.csv": "typeform",
    "zendesk.csv": "zendesk",
    "delighted.csv": "delighted",
    "long.csv": "long",
    "wide.csv": "wide",
    "wide.xlsx": "wide",
    "wide.parquet": "wide",
}

# file: (the adapted table's columns, its spreadsheet row numbers)
COLUMNS = {
    "surveymonkey.csv": (
        [
            "Respondent ID",
            "Collector ID",
            "Start Date",
            "End Date",
            "IP Address",
            "Email Address",
            "First Name",
            "Last Name",
            "Custom Data 1",
            SM_NPS,
            SM_CSAT,
            f"{SM_RATE} - Product range",
            f"{SM_RATE} - Staff helpfulness",
            f"{SM_RATE} - Checkout queue",
            SM_STORE,
            f"{SM_STORE} - Other (please specify)",
            SM_MORE,
        ],
        list(range(3, 13)),
    ),
    "qualtrics.csv": (
        [
            "StartDate",
            "EndDate",
            "Status",
            "IPAddress",
            "Progress",
            "Duration (in seconds)",
            "Finished",
            "RecordedDate",
            "ResponseId",
            "RecipientLastName",
            "RecipientFirstName",
            "RecipientEmail",
            "ExternalReference",
            "LocationLatitude",
            "LocationLongitude",
            "DistributionChannel",
            "UserLanguage",
            "Q1",
            "Q2",
            "Q3_1",
            "Q3_2",
            "Q4",
            "Q5",
            "Q5 - Topics",
        ],
        list(range(4, 14)),
    ),
    "qualtrics_legacy.csv": (
        [
            "ResponseID",
            "ResponseSet",
            "Name",
            "ExternalDataReference",
            "EmailAddress",
            "IPAddress",
            "Status",
            "StartDate",
            "EndDate",
            "Finished",
            "Q1",
            "Q2",
            "Q3",
            "LocationLatitude",
            "LocationLongitude",
            "LocationAccuracy",
        ],
        list(range(3, 11)),
    ),
    "google_forms.csv": (
        ["Timestamp", GF_NPS, GF_CSAT, "Hvilken butik handlede du i?", "Hvad kan vi gøre bedre?"],
        list(range(2, 12)),
    ),
    "google_forms.xlsx": (
        ["Timestamp", GX_NPS, GX_CSAT, "Vilken ort bor du i?", "Övriga synpunkter"],
        list(range(2, 10)),
    ),
    "typeform.csv": (
        [
            "#",
            TF_NPS,
            TF_CSAT,
            "Hva kjøpte du?",
            TF_PHONE,
            "Noe mer du vil fortelle oss?",
            "Response Type",
            "Start Date (UTC)",
            "Stage Date (UTC)",
            "Submit Date (UTC)",
            "Network ID",
            "Tags",
        ],
        list(range(2, 12)),
    ),
    "zendesk.csv": (
        [
            "id",
            "url",
            "assignee_id",
            "group_id",
            "requester_id",
            "ticket_id",
            "score",
            "comment",
            "reason",
            "reason_code",
            "created_at",
            "updated_at",
        ],
        list(range(2, 14)),
    ),
    "delighted.csv": (
        [
            "id",
            "person",
            "survey_type",
            "score",
            "comment",
            "permalink",
            "created_at",
            "updated_at",
            "Properties: Plan",
            "score (csat)",
            "score (nps)",
        ],
        list(range(2, 12)),
    ),
    "long.csv": (["response_id", "submitted_on", "store", "nps", "csat", "comment"], [2, 5, 7, 10, 12, 14]),
    "wide.csv": (["Svar-ID", "Dato", "Butikk", "Anbefale (0-10)", "Fornøyd (1-5)", "Kommentar"], list(range(2, 12))),
    "wide.xlsx": (
        ["Svar-ID", "Dato", "Butik", "Anbefaling (0-10)", "Tilfredshed (1-5)", "Kommentar"],
        list(range(2, 10)),
    ),
    "wide.parquet": (["response_id", "submitted_at", "store", "nps", "csat", "comment"], list(range(2, 11))),
}


def read(name: str):
    path = EXPORTS / name
    return read_cells(path, path.suffix[1:])


def export_of(name: str, layout: str | None = None):
    cells, how = read(name)
    return adapt(cells, how, file=EXPORTS / name, layout=layout)


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_layout_is_detected(name):
    cells, _ = read(name)
    assert detect_layout(cells) == LAYOUTS[name]


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_adapted_columns_and_spreadsheet_rows(name):
    export = export_of(name)
    columns, rows = COLUMNS[name]
    assert export.layout == LAYOUTS[name]
    assert list(export.frame.columns) == columns
    assert list(export.frame.index) == rows


def test_surveymonkey_sub_questions_take_the_question_s_name_and_wording():
    export = export_of("surveymonkey.csv")
    assert export.questions == {
        f"{SM_RATE} - Product range": SM_RATE,
        f"{SM_RATE} - Staff helpfulness": SM_RATE,
        f"{SM_RATE} - Checkout queue": SM_RATE,
        f"{SM_STORE} - Other (please specify)": SM_STORE,
    }
    frame = export.frame
    assert frame.loc[6, f"{SM_STORE} - Other (please specify)"] == "Tromsø sentrum"
    assert frame.loc[6, SM_MORE] == "Sofaen kom med flekker.\nIngen har svart på e-posten min."  # one row, two lines
    assert frame.loc[7, "Email Address"] == "kari.nordmann@example.no"
    assert "header row 2 (answer options) is not data" in export.notes


def test_qualtrics_keeps_question_texts_and_drops_its_three_header_rows():
    export = export_of("qualtrics.csv")
    assert (
        export.questions["Q1"]
        == "Hvor sannsynlig er det at du vil anbefale Nordlys Interiør til en venn eller kollega?"
    )
    assert export.questions["Q3_2"] == "Hvor enig er du i disse påstandene? - Varene var uskadet"
    assert export.questions["Q5"] == "Hva kan vi gjøre bedre?"
    assert "Q5 - Topics" not in export.questions  # the heading is its own wording
    assert export.frame.loc[4, "ResponseId"] == "R_4kTq9vXb2LmN8pR"
    assert not export.frame.astype("string").apply(lambda c: c.str.startswith('{"ImportId"')).any().any()


def test_qualtrics_legacy_bom_and_trailing_comma():
    cells, how = read("qualtrics_legacy.csv")
    assert how["encoding"] == "utf-8-sig"
    export = adapt(cells, how, file=EXPORTS / "qualtrics_legacy.csv")
    assert export.questions == {"Q1": GX_NPS, "Q2": "Hur nöjd är du med ditt köp?", "Q3": "Vad kan vi göra bättre?"}
    assert "1 empty column without a name ignored" in export.notes  # the trailing comma's empty column
    assert export.frame.loc[3, "ResponseID"] == "R_3nVb8cXz1LkJ5hG"


def test_typeform_phone_number_loses_its_apostrophe_and_other_cells_keep_theirs():
    frame = export_of("typeform.csv").frame
    assert frame[TF_PHONE].dropna().tolist() == [
        "+4791234567",
        "+4798765432",
        "+4540123456",
        "+46701234567",
        "+4792223344",
    ]
    assert frame.loc[5, "Hva kjøpte du?"] == "Sofa / Lamper / Tepper"  # multiple choice, joined with " / "
    assert frame.loc[7, "Response Type"] == "partial" and pd.isna(frame.loc[7, "Submit Date (UTC)"])


def test_delighted_score_is_split_by_survey_type():
    export = export_of("delighted.csv")
    frame = export.frame
    assert plain(frame["score (nps)"]) == ["9", N, "2", N, "10", N, "7", "0", N, "8"]
    assert plain(frame["score (csat)"]) == [N, "4", N, "5", N, "1", N, N, "3", N]
    assert "score split by survey_type into 'score (csat)', 'score (nps)'" in export.notes


def test_long_is_pivoted_to_one_row_per_response_numbered_by_its_first_row():
    export = export_of("long.csv")
    frame = export.frame
    assert frame["response_id"].tolist() == ["L-1001", "L-1002", "L-1003", "L-1004", "L-1005", "L-1006"]
    assert frame.loc[10, "nps"] == "tio" and frame.loc[10, "csat"] == "4"  # L-1004's answers are on rows 10 and 11
    assert pd.isna(frame.loc[12, "nps"])  # L-1005 did not answer it
    assert "15 answer rows made 6 responses (row numbers: each response's first row)" in export.notes


# ---------------------------------------------------------------------------------------------------------------
# Full loads through a client config


SM_COLUMNS = {
    "response_id": "Respondent ID",
    "submitted_at": "End Date",
    "nps": SM_NPS,
    "csat": SM_CSAT,
    "product_range": f"{SM_RATE} - Product range",
    "staff": f"{SM_RATE} - Staff helpfulness",
    "queue": f"{SM_RATE} - Checkout queue",
    "store": SM_STORE,
    "comment": SM_MORE,
}
LOADS = {
    "surveymonkey.csv": {
        "source": {"columns": SM_COLUMNS, "labels": {"csat": "satisfaction-5", "attributes": "quality-5"}},
        "config": {"segments": ["store"], "attributes": ["product_range", "staff", "queue"]},
        "quarantine": [
            (9, "unknown_label", SM_CSAT, "Quite satisfied"),
            (10, "no_answers", "(all answer columns)", ""),
        ],
        "values": {
            "response_id": [
                "11520000001",
                "11520000002",
                "11520000003",
                "11520000004",
                "11520000005",
                "11520000006",
                "11520000009",
                "11520000010",
            ],
            "submitted_at": [
                T("2025-03-02 09:21:40"),
                T("2025-03-15 00:04:27"),
                T("2025-04-01 12:41:09"),
                T("2025-04-02 19:45:00"),
                T("2025-04-05 08:09:55"),
                T("2025-04-09 15:14:33"),
                T("2025-04-12 00:07:08"),
                T("2025-04-13 18:01:02"),
            ],
            "nps": [9, 6, 10, 3, 8, 7, 10, 0],
            "csat": [5, 2, 5, 1, 4, 3, 5, 1],
            "product_range": [5, 3, 5, 1, 4, 3, 5, 2],
            "staff": [4, 2, 5, 1, 3, 4, 5, 1],
            "queue": [3, 1, 4, 2, N, 3, 5, 1],  # N/A is not rated
            "store": [
                "Oslo Storo",
                "Bergen Lagunen",
                "Trondheim",
                N,
                "Oslo Storo",
                "Bergen Lagunen",
                "Trondheim",
                "Oslo Storo",
            ],
        },
        "notes": [
            "'End Date': dates read month first (a day above 12 shows it)",
            f"1 answer in '{SM_RATE} - Checkout queue' read as not rated (quality-5)",
        ],
    },
    "qualtrics.csv": {
        "source": {
            "columns": {
                "response_id": "ResponseId",
                "submitted_at": "RecordedDate",
                "nps": "Q1",
                "csat": "Q2",
                "fitter_on_time": "Q3_1",
                "undamaged": "Q3_2",
                "channel": "Q4",
                "comment": "Q5",
                "language": "UserLanguage",
            },
            "labels": {"csat": "satisfaction-5", "attributes": "agreement-5"},
        },
        "config": {"attributes": ["fitter_on_time", "undamaged"]},
        "quarantine": [(8, "no_answers", "(all answer columns)", "")],
        "values": {
            "response_id": [
                "R_4kTq9vXb2LmN8pR",
                "R_7hWc3zYd5QsJ1aF",
                "R_2mBv6nKe8TgH4cL",
                "R_9pLx1qWr4VbT6sD",
                "R_6yUi9oPa1SdF3gH",
                "R_8jKl4zXc7VbN2mQ",
                "R_1qWe5rTy8UiO4pA",
                "R_5aSd2fGh6JkL9zX",
                "R_0zXc3vBn7MqW1eR",
            ],
            "submitted_at": [
                T("2025-05-02 10:03:12"),
                T("2025-05-03 14:22:01"),
                T("2025-05-04 08:06:30"),
                T("2025-05-06 19:44:59"),
                T("2025-05-08 12:02:02"),
                T("2025-05-09 21:33:00"),
                T("2025-05-17 09:10:19"),
                T("2025-05-11 16:48:20"),
                T("2025-05-12 11:13:30"),
            ],
            "nps": [8, 10, 2, 7, 9, 5, 6, 10, 4],
            "csat": [4, 5, 1, 3, 4, 2, N, 5, 2],
            "fitter_on_time": [5, 5, 1, 4, 5, 2, N, 5, 1],
            "undamaged": [4, 5, 2, 3, 4, 4, N, 5, 1],
            "language": ["NO", "NO", "NO", "NO", "NO", "EN", "NO", "NO", "NO"],
            "channel": [
                "Nettbutikk",
                "Butikk",
                "Nettbutikk",
                "Butikk",
                "Nettbutikk",
                "Butikk",
                N,
                "Nettbutikk",
                "Nettbutikk",
            ],
        },
    },
    "qualtrics_legacy.csv": {
        "source": {
            "columns": {
                "response_id": "ResponseID",
                "submitted_at": "EndDate",
                "nps": "Q1",
                "csat": "Q2",
                "comment": "Q3",
            }
        },
        "quarantine": [(7, "no_answers", "(all answer columns)", "")],
        "values": {
            "response_id": [
                "R_3nVb8cXz1LkJ5hG",
                "R_6gHf2dSa9PoI4uY",
                "R_1tRe7wQa3ZxC8vB",
                "R_8mNb4vCx6LkJ2hG",
                "R_2aSd9fGh4JkL6zX",
                "R_7zXc5vBn2MqW9eR",
                "R_4pLo8iKu3JyH7tG",
            ],
            "submitted_at": [
                T("2024-11-02 09:04:12"),
                T("2024-11-05 18:31:10"),
                T("2024-11-06 12:02:45"),
                T("2024-11-09 20:19:59"),
                T("2024-11-15 13:33:03"),
                T("2024-11-20 16:05:00"),
                T("2024-11-28 10:12:20"),
            ],
            "nps": [9, 4, 10, 7, 8, 3, 6],
            "csat": [5, 2, 5, 4, 4, 1, 3],
            "comment": [
                "Snabb leverans till Umeå",
                "Trög kundtjänst",
                N,
                "Bra pris, men lång väntan på sängen",
                "Fräscha lokaler i Växjö",
                "Fel färg på soffan",
                "Ok",
            ],
        },
    },
    "google_forms.csv": {
        "source": {
            "columns": {
                "submitted_at": "Timestamp",
                "nps": GF_NPS,
                "csat": GF_CSAT,
                "store": "Hvilken butik handlede du i?",
                "comment": "Hvad kan vi gøre bedre?",
            },
            "labels": {"csat": "satisfaction-5"},
        },
        "config": {"segments": ["store"]},
        "quarantine": [(9, "no_answers", "(all answer columns)", "")],
        "values": {
            "response_id": [
                "forms-2",
                "forms-3",
                "forms-4",
                "forms-5",
                "forms-6",
                "forms-7",
                "forms-8",
                "forms-10",
                "forms-11",
            ],
            "submitted_at": [
                T("2025-01-15 21:53:05"),
                T("2025-01-16 08:02:44"),
                T("2025-01-20 12:00:00"),
                T("2025-02-03 00:15:09"),
                T("2025-02-03 17:41:30"),
                T("2025-02-11 09:05:00"),
                T("2025-02-14 19:22:51"),
                T("2025-03-02 15:47:02"),
                T("2025-03-03 11:11:11"),
            ],
            "nps": [9, 7, 4, 10, N, 6, 8, 2, 9],
            "csat": [5, 4, 2, 5, N, 3, 4, 1, 4],  # "Ved ikke" is not rated; " tilfreds " is Tilfreds
            "comment": [
                "Venligt personale",
                N,
                "For få kasser åbne, lang kø",
                "Flot udvalg af økologiske varer",
                "Jeg handlede kun på nettet",
                N,
                "Søde medarbejdere i bageriet",
                "Mælken var sur",
                N,
            ],
        },
        "notes": [
            "'Timestamp': dates read month first (a day above 12 shows it)",
            f"1 answer in '{GF_CSAT}' read as not rated (satisfaction-5)",
        ],
    },
    "google_forms.xlsx": {
        "source": {
            "sheet": "Form Responses 1",
            "columns": {
                "submitted_at": "Timestamp",
                "nps": GX_NPS,
                "csat": GX_CSAT,
                "store": "Vilken ort bor du i?",
                "comment": "Övriga synpunkter",
            },
            "labels": {"csat": "satisfaction-5"},
        },
        "config": {"segments": ["store"]},
        "quarantine": [(7, "unknown_label", GX_CSAT, "Sådär")],
        "values": {
            # Date cells, kept to the millisecond Google writes
            "submitted_at": [
                T("2025-08-29 17:17:56.622"),
                T("2025-08-30 09:05:00"),
                T("2025-09-01 12:00:01.005"),
                T("2025-09-02 00:00:00"),
                T("2025-09-03 23:59:59"),
                T("2025-09-08 08:08:08"),
                T("2025-09-12 19:45:30"),
            ],
            "nps": [10, 6, 8, 3, 9, 0, 9],
            "csat": [5, 3, 4, 2, 5, 1, N],  # "vet inte" is not rated
            "store": ["Luleå", "Örebro", "Göteborg", "Luleå", "Örebro", "Göteborg", "Malmö"],
        },
    },
    "typeform.csv": {
        "source": {
            "columns": {
                "response_id": "#",
                "submitted_at": "Submit Date (UTC)",
                "nps": TF_NPS,
                "csat": TF_CSAT,
                "customer_id": TF_PHONE,
                "bought": "Hva kjøpte du?",
                "comment": "Noe mer du vil fortelle oss?",
            }
        },
        "config": {"segments": ["bought"]},
        "quarantine": [(7, "missing_required", "Submit Date (UTC)", N)],  # a partial response is never submitted
        "values": {
            "response_id": [
                "x4bq0v8k2mz7t1hr9w3yc6nd5pl0sa2e",
                "m2ks9d0f7g3h1j5k8l4z6x0c2v9b7n1q",
                "p0o9i8u7y6t5r4e3w2q1a2s3d4f5g6h7",
                "q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6",
                "z9x8c7v6b5n4m3l2k1j0h9g8f7d6s5a4",
                "l0k9j8h7g6f5d4s3a2z1x0c9v8b7n6m5",
                "r5t6y7u8i9o0p1a2s3d4f5g6h7j8k9l0",
                "c3v4b5n6m7l8k9j0h1g2f3d4s5a6z7x8",
                "e7r8t9y0u1i2o3p4a5s6d7f8g9h0j1k2",
            ],
            "submitted_at": [
                T("2025-06-01 08:02:30"),
                T("2025-06-02 12:04:10"),
                T("2025-06-03 19:32:05"),
                T("2025-06-04 07:07:41"),
                T("2025-06-05 22:53:59"),
                T("2025-06-07 15:17:12"),
                T("2025-06-08 09:12:48"),
                T("2025-06-09 18:01:59"),
                T("2025-06-10 11:34:20"),
            ],
            "nps": [8, 3, 10, 9, 6, 10, 4, 8, 2],
            "csat": [4, 2, 5, 5, 3, 5, 2, 4, 1],
            "customer_id": ["+4791234567", "+4798765432", N, "+4540123456", N, "+46701234567", N, "+4792223344", N],
            "bought": [
                "Sofa / Puter",
                "Lamper",
                "Spisebord",
                "Sofa / Lamper / Tepper",
                "Puter",
                "Sofa",
                "Spisebord / Stoler",
                "Lamper",
                "Sofa",
            ],
        },
    },
    "zendesk.csv": {
        "source": {
            "columns": {"response_id": "id", "submitted_at": "created_at", "csat": "score", "comment": "comment"},
            "labels": {"csat": "good-bad"},
        },
        "config": {"scales": {"csat": [0, 1]}},
        # offered and unoffered: not rated, and without a comment nothing was answered
        "quarantine": [
            (4, "no_answers", "(all answer columns)", ""),
            (7, "no_answers", "(all answer columns)", ""),
            (11, "no_answers", "(all answer columns)", ""),
        ],
        "values": {
            "response_id": [
                "36000101",
                "36000102",
                "36000104",
                "36000105",
                "36000107",
                "36000108",
                "36000109",
                "36000111",
                "36000112",
            ],
            "csat": [1, 0, 1, 0, 1, 1, 0, 1, 0],
            "submitted_at": [
                T("2025-02-01 09:00:00"),
                T("2025-02-02 10:30:15"),
                T("2025-02-04 12:45:00"),
                T("2025-02-05 08:05:59"),
                T("2025-02-07 14:20:00"),
                T("2025-02-08 16:10:00"),
                T("2025-02-09 23:59:59"),
                T("2025-02-11 10:00:00"),
                T("2025-02-12 15:45:30"),
            ],
            "nps": [N] * 9,
        },
        "notes": ["3 answers in 'score' read as not rated (good-bad)"],
    },
    "delighted.csv": {
        "source": {
            "columns": {
                "response_id": "id",
                "customer_id": "person",
                "submitted_at": "created_at",
                "nps": "score (nps)",
                "csat": "score (csat)",
                "comment": "comment",
                "plan": "Properties: Plan",
            }
        },
        "config": {"segments": ["plan"]},
        "quarantine": [],
        "values": {
            "nps": [9, N, 2, N, 10, N, 7, 0, N, 8],
            "csat": [N, 4, N, 5, N, 1, N, N, 3, N],
            "submitted_at": [
                T("2025-03-01 09:45:05"),
                T("2025-03-02 07:20:00"),
                T("2025-03-03 10:59:59"),
                T("2025-03-04 10:00:00"),
                T("2025-03-05 12:00:00"),
                T("2025-03-06 09:01:01"),
                T("2025-03-07 09:30:00"),
                T("2025-03-08 09:59:59"),
                T("2025-03-09 09:00:00"),
                T("2025-03-10 09:46:40"),
            ],
            "plan": ["Basis", "Pluss", "Pluss", "Familie", "Familie", "Basis", "Basis", "Pluss", "Familie", "Pluss"],
            "customer_id": [
                "51230001",
                "51230002",
                "51230003",
                "51230004",
                "51230005",
                "51230006",
                "51230007",
                "51230008",
                "51230009",
                "51230010",
            ],
        },
        "notes": ["'created_at': 10 Unix timestamps"],
    },
    "long.csv": {
        "source": {
            "columns": {
                "response_id": "response_id",
                "submitted_at": "submitted_on",
                "nps": "nps",
                "csat": "csat",
                "comment": "comment",
                "store": "store",
            }
        },
        "config": {"segments": ["store"]},
        "quarantine": [(10, "not_a_number", "nps", "tio")],  # L-1004's first row, though "tio" is on row 11
        "values": {
            "response_id": ["L-1001", "L-1002", "L-1003", "L-1005", "L-1006"],
            "submitted_at": [T("2025-03-04"), T("2025-03-05"), T("2025-03-14"), T("2025-03-20"), T("2025-03-28")],
            "nps": [9, 6, 10, N, 8],
            "csat": [5, 3, 5, 2, 4],
            "comment": ["Trevlig personal", N, "Snabb leverans, smidig retur", "Lång kö vid kassan", "Bra öppettider"],
            "store": ["Malmö", "Göteborg", "Malmö", "Göteborg", "Västerås"],
        },
    },
    "wide.csv": {
        "source": {
            "columns": {
                "response_id": "Svar-ID",
                "submitted_at": "Dato",
                "store": "Butikk",
                "nps": "Anbefale (0-10)",
                "csat": "Fornøyd (1-5)",
                "comment": "Kommentar",
            }
        },
        "config": {"segments": ["store"]},
        "quarantine": [(6, "score_out_of_range", "Anbefale (0-10)", "11")],
        "values": {
            "response_id": ["W-01", "W-02", "W-03", "W-04", "W-06", "W-07", "W-08", "W-09", "W-10"],
            "submitted_at": [
                T("2025-03-01 14:05"),
                T("2025-03-03 09:30"),
                T("2025-03-07 18:45"),
                T("2025-03-13 12:00"),
                T("2025-03-21 11:11"),
                T("2025-03-25 16:40"),
                T("2025-03-28 08:05"),
                T("2025-03-31 19:59"),
                T("2025-04-02 10:00"),
            ],
            "nps": [9, 7, 3, 10, 8, 6, N, 0, 9],
            "csat": [5, 4, 2, 5, N, 3, 4, 1, 5],
            "comment": [
                "Flott utvalg av pledd",
                N,
                "Lang kø, få ansatte",
                "Kjøpte spisestoler – supert",
                N,
                "Greit nok, men dyrt",
                "Bra åpningstider",
                "Møblene ble levert ødelagt",
                N,
            ],
        },
        "notes": ["'Dato': dates read day first (a day above 12 shows it)"],
    },
    "wide.xlsx": {
        "source": {
            "columns": {
                "response_id": "Svar-ID",
                "submitted_at": "Dato",
                "store": "Butik",
                "nps": "Anbefaling (0-10)",
                "csat": "Tilfredshed (1-5)",
                "comment": "Kommentar",
            }
        },
        "config": {"segments": ["store"]},
        "quarantine": [],
        "values": {
            "submitted_at": [
                T("2025-04-01 10:15"),
                T("2025-04-02 13:00"),
                T("2025-04-03 17:30"),
                T("2025-04-04 09:45"),
                T("2025-04-07 11:20"),
                T("2025-04-08 15:05"),
                T("2025-04-09 18:50"),
                T("2025-04-10 12:12"),
            ],
            "nps": [9, 7, 2, 10, 6, 8, 4, 9],
            "csat": [5, 4, 1, 5, 3, 4, 2, N],
            "store": ["København", "Århus", "Odense", "København", "Århus", "Odense", "København", "Århus"],
        },
    },
    "wide.parquet": {
        "source": {
            "columns": {
                "response_id": "response_id",
                "submitted_at": "submitted_at",
                "store": "store",
                "nps": "nps",
                "csat": "csat",
                "comment": "comment",
            }
        },
        "config": {"segments": ["store"]},
        "quarantine": [],
        "values": {
            "response_id": ["P-01", "P-02", "P-03", "P-04", "P-05", "P-06", "P-07", "P-08", "P-09"],
            "submitted_at": [
                T("2025-05-01 08:00:00"),
                T("2025-05-02 09:30:00"),
                T("2025-05-03 12:45:10"),
                T("2025-05-04 18:20:00"),
                T("2025-05-05 07:07:07"),
                T("2025-05-06 21:00:00"),
                T("2025-05-07 10:10:00"),
                T("2025-05-08 14:14:14"),
                T("2025-05-09 16:00:00"),
            ],
            "nps": [10, 8, N, 3, 9, 6, 7, 0, 9],
            "csat": [5, 4, 3, N, 5, 3, 4, 1, 5],
            "comment": [
                "Fin nordlysutsikt fra kafeen",
                N,
                "Kun kort på lager, ikke tøy",
                "Dårlig skilting",
                N,
                "Helt ok",
                N,
                "Kassa var stengt",
                "Kjempefin service",
            ],
        },
    },
}


def source_name(file: str) -> str:
    return "forms" if file.startswith("google_forms") else file.split(".")[0]


def load(tmp_path: Path, file: str, **source):
    spec = LOADS[file]
    source = {"name": source_name(file), "path": str(EXPORTS / file), **spec["source"], **source}
    return load_responses(write_client(tmp_path, [source], **spec.get("config", {})))


def plain(values: pd.Series) -> list:
    """Values as Python objects, missing as None, whole floats as they are (9.0 == 9)."""
    return values.astype(object).where(values.notna(), None).tolist()


@pytest.mark.parametrize("file", sorted(LOADS))
def test_full_load_counts_and_values(file, tmp_path):
    spec = LOADS[file]
    table = load(tmp_path, file)
    expected_valid = len(next(iter(spec["values"].values())))
    assert (len(table.valid), len(table.quarantine)) == (expected_valid, len(spec["quarantine"]))
    read = table.accounting.query("outcome == 'read'")["rows"].sum()
    assert read == expected_valid + len(spec["quarantine"])
    got = [
        (int(r.row), r.reason, r.column, None if pd.isna(r.value) else r.value) for r in table.quarantine.itertuples()
    ]
    assert got == spec["quarantine"]
    for column, expected in spec["values"].items():
        assert plain(table.valid[column]) == expected, column
    how = table.read_as[source_name(file)]
    assert how["layout"] == LAYOUTS[file]
    for note in spec.get("notes", []):
        assert note in how["notes"], how.get("notes")


def test_surveymonkey_multi_line_comment_and_unknown_label_keep_their_text(tmp_path):
    table = load(tmp_path, "surveymonkey.csv")
    assert table.valid["comment"].iloc[3] == "Sofaen kom med flekker.\nIngen har svart på e-posten min."
    bad = table.quarantine.iloc[0]
    assert bad["raw: Respondent ID"] == "11520000007" and bad[f"raw: {SM_CSAT}"] == "Quite satisfied"


def test_zendesk_offered_is_not_rated_even_with_the_csat_scale_0_to_1(tmp_path):
    table = load(tmp_path, "zendesk.csv")
    assert set(table.valid["csat"]) == {0.0, 1.0}
    raw_scores = table.quarantine["raw: score"].tolist()
    assert raw_scores == ["offered", "unoffered", "offered"]


# ---------------------------------------------------------------------------------------------------------------
# The config names the layout


def test_config_naming_wide_on_a_google_forms_file_reads_it_as_wide(tmp_path):
    table = load(tmp_path, "google_forms.csv", export="wide")
    assert table.read_as["forms"]["layout"] == "wide"
    assert (len(table.valid), len(table.quarantine)) == (9, 1)
    assert plain(table.valid["submitted_at"])[:2] == [T("2025-01-15 21:53:05"), T("2025-01-16 08:02:44")]


def test_config_naming_the_detected_layout_changes_nothing(tmp_path):
    table = load(tmp_path, "surveymonkey.csv", export="surveymonkey")
    assert (len(table.valid), len(table.quarantine)) == (8, 2)


def test_config_naming_qualtrics_on_a_wide_file_is_refused(tmp_path):
    with pytest.raises(CXInputError, match="says this is a qualtrics export") as error:
        load(tmp_path, "wide.csv", export="qualtrics")
    assert error.value.row == 1 and "wide.csv" in str(error.value)


def test_config_naming_long_on_a_wide_file_is_refused(tmp_path):
    with pytest.raises(CXInputError, match=r"long export .* no response id column"):
        load(tmp_path, "wide.csv", export="long")


# ---------------------------------------------------------------------------------------------------------------
# Dates


def test_each_date_form_to_the_second():
    values = pd.Series(
        [
            "2025-03-04 14:05:06",  # ISO
            "2025-03-04T14:05:06Z",  # ISO, UTC
            "2025-03-04T16:05:06+02:00",  # ISO with an offset: to UTC
            "2025-03-04",  # ISO date
            "45720.59",  # Excel serial day
            "45720,5",  # Excel serial day with a decimal comma
            "1741097106",  # Unix seconds
            "1741097106000",  # Unix milliseconds
            dt.datetime(2025, 3, 4, 14, 5, 6),  # a workbook's date cell
            "",
            "snart",
        ],
        dtype=object,
    )
    parsed, notes = parse_dates(values)
    assert parsed.tolist()[:9] == [
        T("2025-03-04 14:05:06"),
        T("2025-03-04 14:05:06"),
        T("2025-03-04 14:05:06"),
        T("2025-03-04 00:00:00"),
        T("2025-03-04 14:09:36"),
        T("2025-03-04 12:00:00"),
        T("2025-03-04 14:05:06"),
        T("2025-03-04 14:05:06"),
        T("2025-03-04 14:05:06"),
    ]
    assert parsed.iloc[9:].isna().all()
    assert notes == ["2 Excel serial dates", "2 Unix timestamps"]


def test_day_first_dates_with_a_day_above_twelve():
    parsed, notes = parse_dates(pd.Series(["04.03.2025 14:05", "13.03.2025", "1.2.25 8.15"]))
    assert parsed.tolist() == [T("2025-03-04 14:05"), T("2025-03-13"), T("2025-02-01 08:15")]
    assert notes == ["dates read day first (a day above 12 shows it)"]


def test_month_first_dates_with_a_day_above_twelve_even_with_dots():
    parsed, notes = parse_dates(pd.Series(["03.04.2025", "03.14.2025"]))
    assert parsed.tolist() == [T("2025-03-04"), T("2025-03-14")]
    assert notes == ["dates read month first (a day above 12 shows it)"]


def test_the_other_order_in_the_same_column_cannot_be_read():
    parsed, notes = parse_dates(pd.Series(["14/03/2025", "15/03/2025", "03/16/2025"]))
    assert parsed.tolist()[:2] == [T("2025-03-14"), T("2025-03-15")] and pd.isna(parsed.iloc[2])
    assert notes == ["dates read day first (a day above 12 shows it); 1 date written the other way cannot be read"]


def test_ambiguous_dates_are_read_by_the_separator_s_custom_and_say_so():
    parsed, notes = parse_dates(pd.Series(["03/04/2025", "05/06/2025"]))
    assert parsed.tolist() == [T("2025-03-04"), T("2025-05-06")]
    assert len(notes) == 1 and notes[0].startswith("ambiguous dates: no day is above 12")
    assert "read month first as slashed dates usually are" in notes[0] and "'dayfirst: true'" in notes[0]
    parsed, notes = parse_dates(pd.Series(["03.04.2025", "05.06.2025"]))
    assert parsed.tolist() == [T("2025-04-03"), T("2025-06-05")]
    assert "read day first as dotted dates usually are" in notes[0] and "'dayfirst: false'" in notes[0]


def test_the_config_settles_ambiguous_dates_without_a_note():
    parsed, notes = parse_dates(pd.Series(["03/04/2025", "05/06/2025"]), dayfirst=True)
    assert parsed.tolist() == [T("2025-04-03"), T("2025-06-05")] and notes == []
    parsed, notes = parse_dates(pd.Series(["03.04.2025"]), dayfirst=False)
    assert parsed.tolist() == [T("2025-03-04")] and notes == []


def test_am_pm_and_the_twelve_o_clock_hours():
    values = pd.Series(
        [
            "07/31/2023 04:21:36 PM",
            "07/31/2023 04:21:36 AM",
            "07/31/2023 12:00:00 AM",
            "07/31/2023 12:00:00 PM",
            "07/31/2023 12:59:59 AM",
            "07/31/2023 12:30 pm",
            "07/31/2023 11:59:59 PM",
            "07/31/2023 1:05 a.m.",
            "07/31/2023 16:21:36",
        ]
    )
    parsed, _ = parse_dates(values)
    assert parsed.tolist() == [
        T("2023-07-31 16:21:36"),
        T("2023-07-31 04:21:36"),
        T("2023-07-31 00:00:00"),
        T("2023-07-31 12:00:00"),
        T("2023-07-31 00:59:59"),
        T("2023-07-31 12:30:00"),
        T("2023-07-31 23:59:59"),
        T("2023-07-31 01:05:00"),
        T("2023-07-31 16:21:36"),
    ]


def test_a_date_format_in_the_config_is_used_as_given():
    parsed, notes = parse_dates(pd.Series(["2025|03|04 14h05", "2025-03-04"]), date_format="%Y|%m|%d %Hh%M")
    assert parsed.iloc[0] == T("2025-03-04 14:05") and pd.isna(parsed.iloc[1]) and notes == []


# ---------------------------------------------------------------------------------------------------------------
# Text answer labels

SATISFACTION = {  # from 1 to 5
    "en": ["Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied", "Satisfied", "Very satisfied"],
    "nb": ["Svært misfornøyd", "Misfornøyd", "Verken fornøyd eller misfornøyd", "Fornøyd", "Svært fornøyd"],
    "da": ["Meget utilfreds", "Utilfreds", "Hverken tilfreds eller utilfreds", "Tilfreds", "Meget tilfreds"],
    "sv": ["Mycket missnöjd", "Missnöjd", "Varken nöjd eller missnöjd", "Nöjd", "Mycket nöjd"],
}
AGREEMENT = {
    "en": ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"],
    "nb": ["Helt uenig", "Uenig", "Verken enig eller uenig", "Enig", "Helt enig"],
    "da": ["Helt uenig", "Uenig", "Hverken enig eller uenig", "Enig", "Helt enig"],
    "sv": ["Helt oenig", "Oenig", "Varken enig eller oenig", "Instämmer delvis", "Instämmer helt"],
}


@pytest.mark.parametrize("language", ["en", "nb", "da", "sv"])
@pytest.mark.parametrize("name, answers", [("satisfaction-5", SATISFACTION), ("agreement-5", AGREEMENT)])
def test_five_point_scales_in_each_language(name, answers, language):
    labels = pd.Series(answers[language][::-1] * 2)
    score, matched, not_rated = shipped_label_maps()[name].read(labels)
    assert score.tolist() == [5.0, 4.0, 3.0, 2.0, 1.0] * 2
    assert matched.all() and not not_rated.any()
    best, share = best_label_map(labels, shipped_label_maps())
    assert (best.name, share) == (name, 1.0)


def test_case_spacing_and_a_final_stop_do_not_matter():
    answers = pd.Series(
        [
            "  MEGET   tilfreds. ",
            "svært\u00a0fornøyd",
            "mycket NÖJD",
            "Neither  Satisfied nor\tdissatisfied",
            "Ved ikke",
            "Don’t know",
            "Nokså fornøyd",
            None,
        ]
    )
    score, matched, not_rated = shipped_label_maps()["satisfaction-5"].read(answers)
    assert plain(score) == [5.0, 5.0, 5.0, 3.0, N, N, N, N]
    assert matched.tolist() == [True, True, True, True, True, True, False, False]
    assert not_rated.tolist() == [False, False, False, False, True, True, False, False]


def test_scores_written_before_their_label_are_numbers_not_labels():
    values = pd.Series(["9 - Svært sannsynlig", "10 (Extremely likely)", "0: Not at all likely", "7", "Svært fornøyd"])
    assert plain(leading_scores(values)) == [9.0, 10.0, 0.0, 7.0, N]
    assert best_label_map(values.iloc[:4], shipped_label_maps()) == (None, 0.0)


def test_an_unknown_label_is_quarantined_with_its_exact_text(tmp_path):
    (tmp_path / "svar.csv").write_text(
        "Id;Dato;Hvor fornøyd er du?;Kommentar\n"
        "s1;2025-03-01;Svært fornøyd;Flott\n"
        's2;2025-03-02;" Nokså  fornøyd ";Grei\n'
        "s3;2025-03-03;misfornøyd;\n"
        "s4;2025-03-04;Nokså fornøyd;\n"
        "s5;2025-03-05;VET IKKE;Usikker\n",
        encoding="utf-8",
    )
    config = write_client(
        tmp_path,
        [
            {
                "name": "svar",
                "path": "svar.csv",
                "labels": {"csat": "satisfaction-5"},
                "columns": {
                    "response_id": "Id",
                    "submitted_at": "Dato",
                    "csat": "Hvor fornøyd er du?",
                    "comment": "Kommentar",
                },
            }
        ],
    )
    table = load_responses(config)
    assert plain(table.valid["response_id"]) == ["s1", "s3", "s5"]
    assert plain(table.valid["csat"]) == [5.0, 2.0, N]
    bad = table.quarantine
    assert bad["reason"].tolist() == ["unknown_label", "unknown_label"]
    assert bad["value"].tolist() == [" Nokså  fornøyd ", "Nokså fornøyd"]  # as written, not folded
    assert bad["raw: Hvor fornøyd er du?"].tolist() == [" Nokså  fornøyd ", "Nokså fornøyd"]
    assert bad["row"].tolist() == [3, 5] and set(bad["column"]) == {"Hvor fornøyd er du?"}
    counts = unknown_answer_labels(load_config(config), bad)
    assert counts[["answer", "rows"]].values.tolist() == [[" Nokså  fornøyd ", 1], ["Nokså fornøyd", 1]]
