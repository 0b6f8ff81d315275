"""The mapping assistant: roles from wordings in four languages and from values, and a config that loads."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from cxanalysis import load_config
from cxanalysis.cli import main
from cxanalysis.inspection import config_name, config_text, inspect_file, proposed_config, report_text
from cxanalysis.loading import load_responses

NPS_WORDINGS = {
    "en": "How likely is it that you would recommend Fjord Bank to a friend?",
    "nb": "Hvor sannsynlig er det at du vil anbefale Fjord Bank til en venn?",
    "da": "Hvor sandsynligt er det, at du vil anbefale Fjord Bank til en ven?",
    "sv": "Hur troligt är det att du skulle rekommendera Fjord Bank till en vän?",
}
CSAT_WORDINGS = {
    "en": ("How satisfied were you with the visit?", ["Very satisfied", "Satisfied", "Dissatisfied"]),
    "nb": ("Hvor fornøyd var du med besøket?", ["Svært fornøyd", "Fornøyd", "Misfornøyd"]),
    "da": ("Hvor tilfreds var du med besøget?", ["Meget tilfreds", "Tilfreds", "Utilfreds"]),
    "sv": ("Hur nöjd var du med besöket?", ["Mycket nöjd", "Nöjd", "Missnöjd"]),
}
CES_WORDINGS = {
    "en": "Fjord Bank made it easy to handle my case",
    "nb": "Det var lett å få ordnet saken min",
    "da": "Det var nemt at få løst min sag",
    "sv": "Det var lätt att få hjälp med mitt ärende",
}


def export(tmp_path, language: str, n: int = 60):
    rng = np.random.default_rng(3)
    csat_question, csat_labels = CSAT_WORDINGS[language]
    frame = pd.DataFrame(
        {
            "Response ID": [f"R{i:04d}" for i in range(n)],
            "Submitted": pd.date_range("2025-01-03", periods=n, freq="31h").strftime("%d.%m.%Y %H:%M"),
            "E-mail": [f"kunde{i}@example.no" for i in range(n)],
            NPS_WORDINGS[language]: rng.integers(0, 11, n),
            csat_question: rng.choice(csat_labels, n),
            CES_WORDINGS[language]: rng.integers(1, 8, n),
            "Region": rng.choice(["Nord", "Sør", "Øst", "Vest"], n),
            "Staff friendliness": rng.integers(1, 6, n),
            "Opening hours": rng.integers(1, 6, n),
            "Kommentar": [f"Svaret tok {i} dager, og det var for lenge å vente på banken" for i in range(n)],
        }
    )
    path = tmp_path / f"export_{language}.csv"
    frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    return path, frame


@pytest.mark.parametrize("language", ["en", "nb", "da", "sv"])
def test_roles_from_wordings_in_four_languages(tmp_path, language):
    path, _frame = export(tmp_path, language)
    inspection = inspect_file(path)
    roles = {g.column: (g.role, g.name) for g in inspection.columns}
    assert roles[NPS_WORDINGS[language]] == ("NPS", "nps")
    assert roles[CSAT_WORDINGS[language][0]] == ("CSAT", "csat")
    assert roles[CES_WORDINGS[language]] == ("CES", "ces")
    assert roles["Submitted"] == ("timestamp", "submitted_at")
    assert roles["Response ID"] == ("response id", "response_id")
    assert roles["E-mail"] == ("personal data (never mapped)", None)
    assert roles["Region"] == ("segment", "region")
    assert roles["Staff friendliness"] == ("attribute rating", "staff_friendliness")
    assert roles["Kommentar"] == ("free text (comment)", "comment")
    assert next(g for g in inspection.columns if g.role == "CSAT").labels.name == "satisfaction-5"


def test_proposed_config_loads_every_row_with_the_right_values(tmp_path):
    path, frame = export(tmp_path, "nb")
    config = proposed_config(inspect_file(path), config_dir=tmp_path)
    assert config["sources"][0]["labels"] == {"csat": "satisfaction-5"}
    assert config["scales"] == {"csat": [1, 5], "ces": [1, 7], "attributes": [1, 5], "nps": [0, 10]}
    assert "E-mail" not in config["sources"][0]["columns"].values()
    (tmp_path / "client.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    table = load_responses(load_config(tmp_path / "client.yml"))
    assert len(table.valid) == len(frame) and table.quarantine.empty
    assert table.valid["nps"].tolist() == frame[NPS_WORDINGS["nb"]].astype(float).tolist()
    expected_csat = frame[CSAT_WORDINGS["nb"][0]].map({"Svært fornøyd": 5.0, "Fornøyd": 4.0, "Misfornøyd": 2.0})
    assert table.valid["csat"].tolist() == expected_csat.tolist()
    assert table.valid["submitted_at"].iloc[1] == pd.Timestamp("2025-01-04 07:00")


def test_unknown_labels_and_zero_ratings_are_flagged_in_the_config(tmp_path):
    pd.DataFrame(
        {
            "Timestamp": ["1/15/2025 21:53:05", "1/16/2025 08:00:00", "1/17/2025 09:30:00", "1/18/2025 10:00:00"],
            "How satisfied are you overall?": ["Very satisfied", "Very satisifed", "Satisfied", "Dissatisfied"],
            "Seat comfort": [0, 3, 4, 5],
            "Cleanliness": [1, 0, 5, 5],
        }
    ).to_csv(tmp_path / "form.csv", index=False)
    inspection = inspect_file(tmp_path / "form.csv")
    assert inspection.layout == "google-forms"
    csat = next(g for g in inspection.columns if g.role == "CSAT")
    assert csat.unknown_labels == {"Very satisifed": 1}
    from cxanalysis.inspection import config_text

    text = config_text(inspection, proposed_config(inspection))
    assert "'Very satisifed' (1)" in text and "not_rated: {attributes: [0]}" in text


def test_a_file_without_measures_says_so(tmp_path):
    pd.DataFrame({"Timestamp": ["2025-01-01 10:00"] * 3, "Is a hot dog a sandwich?": ["Yes", "No", "Yes"]}).to_csv(
        tmp_path / "poll.csv", index=False
    )
    assert any("cannot make a customer-experience book" in n for n in inspect_file(tmp_path / "poll.csv").notes)


def test_config_names_are_short_ascii_and_never_canonical():
    taken: set[str] = set()
    assert config_name("Hvor fornøyd er du med åpningstidene i butikken vår?", taken) == "hvor_fornoyd_er_du_med"
    assert config_name("Comment", taken) == "comment_2"
    assert config_name("2nd visit", taken) == "q_2nd_visit"


def test_inspect_command_writes_a_config_that_validates(tmp_path, capsys):
    path, _ = export(tmp_path, "sv")
    out = tmp_path / "client" / "client.yml"
    assert main(["inspect", str(path), "--out", str(out), "--client", "Fjord Bank"]) == 0
    printed = capsys.readouterr().out
    assert "Wide: one header row" in printed and "NPS" in printed
    assert load_config(out).client.name == "Fjord Bank"
    assert main(["validate", str(out)]) == 0
    assert main(["inspect", str(path), "--out", str(out)]) == 2  # never overwrites without --force


def test_quarantine_and_results_neutralise_formulas_from_client_data(tmp_path):
    """Text from a client's file that a spreadsheet would run stays text in every CSV the template writes."""
    import csv

    from cxanalysis import runner
    from cxanalysis.client import ClientData
    from cxanalysis.measurement import metric_table

    pd.DataFrame(
        {
            "id": ["a1", "a2", "a3", "a4", "a5", "a6"],
            "when": ["2025-03-01"] * 6,
            "nps": ["9", "7", "=1+2", "10", "3", "8"],
            "region": ['=HYPERLINK("http://x","Nord")', "@SUM(1)", "Sør", "+47 Vest", "-Øst", "Nord"],
            "comment": ["@risk", "Fin butikk", "=cmd|' /C calc'!A0", "Bra", "Treg levering", ""],
        }
    ).to_csv(tmp_path / "nps.csv", index=False)
    config_path = tmp_path / "client.yml"
    config_path.write_text(
        yaml.safe_dump(
            {
                "client": {"name": "Formel AS", "slug": "formel"},
                "segments": ["region"],
                "output_dir": "out",
                "sources": [
                    {
                        "name": "nps",
                        "path": "nps.csv",
                        "columns": {
                            "response_id": "id",
                            "submitted_at": "when",
                            "nps": "nps",
                            "region": "region",
                            "comment": "comment",
                        },
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    config = load_config(config_path)
    runner.check_data(config)
    client = ClientData(config)
    client.save("metrics", metric_table(client))
    written = list(config.private_dir.glob("*.csv")) + list(config.results_dir.glob("*.csv"))
    assert {p.name for p in written} >= {"quarantine.csv", "metrics.csv", "data_quality.csv"}
    cells = [cell for path in written for row in csv.reader(path.open(encoding="utf-8")) for cell in row]
    risky = [c for c in cells if c[:1] in ("=", "+", "-", "@") and not _is_number(c)]
    assert risky == []
    assert {"'=1+2", "'=cmd|' /C calc'!A0"} <= set(cells)  # the quarantined row's raw values, kept as text


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


# --- Real-export fixtures -------------------------------------------------------------------------
# Written once by write_fixtures() (``python tests/test_inspection.py``) and committed; the test below
# checks the committed files are what the seeded script writes.

EXPORTS = Path(__file__).parent / "data" / "exports"
FIRST = ["Kari", "Ola", "Ingrid", "Lars", "Sofie", "Magnus", "Emma", "Jonas", "Nora", "Erik", "Maja", "Anders"]
LAST = ["Nordmann", "Hansen", "Johansen", "Berg", "Lund", "Dahl", "Moen", "Svensson", "Nielsen", "Holm"]
PHRASES = [
    "the sofa arrived two days later than promised",
    "the driver carried everything up to the fourth floor",
    "customer service answered my e-mail within an hour",
    "one leg of the table was scratched when it was unpacked",
    "the assembly instructions were missing a page",
    "the price was lower than in the shop downtown",
    "nobody called back when the delivery was delayed",
    "the colour was exactly as in the pictures",
    "the return was easy and the refund came quickly",
    "the chat closed before my question was answered",
    "the packaging was far too much plastic",
    "the staff in the store knew the products well",
]
TITLES = [
    "Great service",
    "Late delivery",
    "Good value",
    "Scratched table",
    "Would buy again",
    "Slow refund",
    "Lovely sofa",
    "Poor packaging",
    "Friendly driver",
    "Missing parts",
    "Just okay",
    "Very happy",
]
REASONS = [
    "Competitor offered higher download speeds",
    "Competitor made better offer",
    "Attitude of support person",
    "Product dissatisfaction",
    "Network reliability",
    "Price too high",
    "Moved",
    "Long distance charges",
    "Limited range of services",
    "Poor expertise of online support",
    "Don't know",
    "Service dissatisfaction",
]


def _sentences(rng, low: int, high: int) -> str:
    picked = rng.choice(PHRASES, rng.integers(low, high + 1), replace=False)
    return " ".join(p[0].upper() + p[1:] + "." for p in picked)


def _person(rng) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def review_site(rng, n: int = 120) -> pd.DataFrame:
    """(a) A review-site export: a 1-5 Rating, a 0/1 recommended flag, a short Title, a long Review."""
    rating = rng.choice([1, 2, 3, 4, 5], n, p=[0.06, 0.06, 0.1, 0.3, 0.48])
    recommended = np.where(rating >= 4, 1, (rng.random(n) < 0.25).astype(int))
    reply = [
        f"Thank you for your review, {_person(rng).split()[0]}. We are sorry to hear it and will look into it."
        if r <= 3 and rng.random() < 0.6
        else ""
        for r in rating
    ]
    return pd.DataFrame(
        {
            "Review Id": [f"{rng.integers(16**11, 16**12):012x}{i:012x}" for i in range(n)],
            "Name": "Nordlys Interiør",
            "Consumer Name": [_person(rng) for _ in range(n)],
            "Date": (pd.Timestamp("2025-01-02 08:00") + pd.to_timedelta(rng.integers(0, 85 * 24 * 60, n), "min"))
            .sort_values()
            .strftime("%Y-%m-%d %H:%M"),
            "Rating": rating,
            "Title": [f"{rng.choice(TITLES)}{'!' if rng.random() < 0.3 else ''}" for _ in range(n)],
            "Review": [_sentences(rng, 2, 4) for _ in range(n)],
            "recommended": recommended,
            "Company Reply": reply,
            "Location": rng.choice(["NO", "SE", "DK"], n, p=[0.6, 0.25, 0.15]),
        }
    )


def survey_ids(rng, n: int = 150) -> pd.DataFrame:
    """(b) A shop's review survey whose review_id repeats and was partly saved by a spreadsheet as 5.70306E+17."""
    ids = (570306000000000000 + rng.choice(10**12, n, replace=False)).astype("int64").astype(str)
    ids[rng.choice(np.arange(10, n), 6, replace=False)] = ids[:6]  # the same review sent twice
    mangled = rng.choice(np.arange(10, n), 8, replace=False)
    ids[mangled] = [f"{float(i):.6G}" for i in ids[mangled]]  # as Excel writes it
    score = rng.choice([1, 2, 3, 4, 5], n, p=[0.1, 0.05, 0.1, 0.2, 0.55])
    has_comment = rng.random(n) < 0.45
    created = pd.Timestamp("2025-04-01") + pd.to_timedelta(rng.integers(0, 80, n), "D")
    return pd.DataFrame(
        {
            "review_id": ids,
            "order_id": [f"{rng.integers(16**14, 16**15):015x}{i:017x}" for i in range(n)],
            "review_score": score,
            "review_comment_title": [rng.choice(TITLES) if c and rng.random() < 0.6 else "" for c in has_comment],
            "review_comment_message": [_sentences(rng, 1, 3) if c else "" for c in has_comment],
            "review_creation_date": created.strftime("%Y-%m-%d 00:00:00"),
            "review_answer_timestamp": (created + pd.to_timedelta(rng.integers(60, 4000, n), "min")).strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
        }
    )


def social_posts(rng, n: int = 90) -> pd.DataFrame:
    """(c) Social posts about a brand: @handles, display names, post text and a 0-10 score named 'Score'."""
    handles = [f"@{rng.choice(FIRST).lower()}_{rng.choice(LAST).lower()[:4]}{rng.integers(1, 99)}" for _ in range(n)]
    return pd.DataFrame(
        {
            "id": (1790000000000 + rng.choice(10**9, n, replace=False)).astype("int64"),
            "Name": [_person(rng) for _ in range(n)],
            "Posted by": handles,
            "Text": [f"@nordlys {_sentences(rng, 1, 2)} #nordlys" for _ in range(n)],
            "Posted": (pd.Timestamp("2025-02-01") + pd.to_timedelta(rng.integers(0, 50 * 24 * 60, n), "min"))
            .sort_values()
            .strftime("%Y-%m-%d %H:%M"),
            "Score": rng.choice(np.arange(11), n, p=[0.04, 0.03, 0.03, 0.04, 0.04, 0.07, 0.07, 0.12, 0.16, 0.2, 0.2]),
            "Platform": rng.choice(["Instagram", "Facebook", "X"], n),
            "Likes": rng.integers(0, 400, n),
        }
    )


def churn_customers(rng, n: int = 200) -> pd.DataFrame:
    """(d) A churn-style customer file: one row per customer, CLTV, a 1-5 satisfaction score, churn reasons."""
    churned = rng.random(n) < 0.27
    letters = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return pd.DataFrame(
        {
            "CustomerID": [f"{rng.integers(1000, 9999)}-{''.join(rng.choice(letters, 5))}" for _ in range(n)],
            "Count": 1,
            "Country": "Norway",
            "Gender": rng.choice(["Female", "Male"], n),
            "Senior Citizen": rng.choice(["Yes", "No"], n, p=[0.16, 0.84]),
            "Tenure Months": rng.integers(0, 73, n),
            "Contract": rng.choice(["Month-to-month", "One year", "Two year"], n),
            "Monthly Charges": rng.uniform(18.25, 118.75, n).round(2),
            "Satisfaction Score": np.where(churned, rng.integers(1, 4, n), rng.integers(3, 6, n)),
            "Churn Label": np.where(churned, "Yes", "No"),
            "Churn Value": churned.astype(int),
            "CLTV": rng.integers(2003, 6501, n),
            "Churn Reason": [rng.choice(REASONS) if c else "" for c in churned],
        }
    )


FIXTURES = {
    "review_site.csv": review_site,
    "survey_ids.csv": survey_ids,
    "social_posts.csv": social_posts,
    "churn_customers.csv": churn_customers,
}


def write_fixtures(folder: Path) -> None:
    for seed, (name, make) in enumerate(FIXTURES.items()):
        make(np.random.default_rng(100 + seed)).to_csv(folder / name, index=False)


# What inspect proposes for each real-export fixture: column -> (role, config name, a words of the reason).
EXPECTED_ROLES = {
    "review_site.csv": {
        "Review Id": ("response id", "response_id", "unique on every row"),
        "Name": ("not used", None, "the same answer on every row"),
        "Consumer Name": ("personal data (never mapped)", None, "a person's name"),
        "Date": ("timestamp", "submitted_at", "named as the time of the answer"),
        "Rating": ("CSAT", "csat", "named as an overall rating"),
        "Title": ("not used", None, "a title"),
        "Review": ("free text (comment)", "comment", "median 144 characters"),
        "recommended": ("not used", None, "never a 0-10 NPS"),
        "Company Reply": ("not used", None, "named as the company's reply"),
        "Location": ("segment", "location", "3 groups"),
    },
    "survey_ids.csv": {
        "review_id": ("response id", "response_id", "nearly unique (10 repeated)"),
        "order_id": ("another id (not used)", None, "the id of another thing"),
        "review_score": ("CSAT", "csat", "named as an overall rating"),
        "review_comment_title": ("not used", None, "a title"),
        "review_comment_message": ("free text (comment)", "comment", "median 92 characters"),
        "review_creation_date": ("timestamp", "submitted_at", "named as the time of the answer"),
        "review_answer_timestamp": ("not used", None, "date"),
    },
    "social_posts.csv": {
        "id": ("response id", "response_id", "unique on every row"),
        "Name": ("personal data (never mapped)", None, "a person's name"),
        "Posted by": ("personal data (never mapped)", None, "social media handles"),
        "Text": ("free text (comment)", "comment", "median 87 characters"),
        "Posted": ("timestamp", "submitted_at", "dates"),
        "Score": ("NPS", "nps", "answers from 0 to 9 or 10"),
        "Platform": ("segment", "platform", "3 groups"),
        "Likes": ("not used", None, "answers 0-398"),
    },
    "churn_customers.csv": {
        "CustomerID": ("customer id", "customer_id", "named as a customer id"),
        "Count": ("not used", None, "the same answer on every row"),
        "Country": ("not used", None, "the same answer on every row"),
        "Gender": ("segment", "gender", "2 groups"),
        "Senior Citizen": ("segment", "senior_citizen", "2 groups"),
        "Tenure Months": ("not used", None, "answers 0-72"),
        "Contract": ("segment", "contract", "3 groups"),
        "Monthly Charges": ("not used", None, "answers 18.5-117.58"),
        "Satisfaction Score": ("CSAT", "csat", "worded as a satisfaction question"),
        "Churn Label": ("segment", "churn_label", "2 groups"),
        "Churn Value": ("segment", "churn_value", "2 groups"),
        "CLTV": ("not used", None, "answers 2078-6447"),
        "Churn Reason": ("segment", "churn_reason", "12 groups"),
    },
}


def test_committed_fixtures_are_what_the_seeded_script_writes(tmp_path):
    write_fixtures(tmp_path)
    for name in FIXTURES:
        assert (tmp_path / name).read_bytes() == (EXPORTS / name).read_bytes(), name


@pytest.mark.parametrize("name", sorted(EXPECTED_ROLES))
def test_real_export_columns_get_the_role_a_consultant_would_choose(name):
    inspection = inspect_file(EXPORTS / name)
    got = {g.column: (g.role, g.name, g.reason) for g in inspection.columns}
    assert list(got) == list(EXPECTED_ROLES[name])
    for column, (role, config, reason) in EXPECTED_ROLES[name].items():
        assert got[column][:2] == (role, config), column
        assert reason in got[column][2], (column, got[column][2])


def test_choices_name_their_reason_and_runner_up():
    choices = {c.role: c for c in inspect_file(EXPORTS / "review_site.csv").choices}
    assert choices["NPS"].column is None and choices["NPS"].runner_up == "recommended"
    assert "never a 0-10 NPS" in choices["NPS"].runner_up_reason
    assert (choices["free text (comment)"].column, choices["free text (comment)"].runner_up) == (
        "Review",
        "Company Reply",
    )
    ids = {c.role: c for c in inspect_file(EXPORTS / "survey_ids.csv").choices}["response id"]
    assert (ids.column, ids.runner_up) == ("review_id", "order_id")
    churn = {c.role: c for c in inspect_file(EXPORTS / "churn_customers.csv").choices}["free text (comment)"]
    assert churn.column is None and churn.runner_up == "Churn Reason" and "a category" in churn.runner_up_reason


def test_mangled_ids_are_a_warning_and_choices_are_in_the_console_and_the_yaml(tmp_path, capsys):
    out = tmp_path / "client.yml"
    assert main(["inspect", str(EXPORTS / "survey_ids.csv"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    warning = "8 ids in 'review_id' are written in scientific notation (e.g. 5.70307E+17)"
    assert warning in printed and warning in text
    assert "- response id: 'review_id'" in printed and "runner-up 'order_id'" in printed
    assert "# chosen CSAT: 'review_score'" in text
    assert yaml.safe_load(text)["scales"] == {"csat": [1, 5]}
    social = inspect_file(EXPORTS / "social_posts.csv")
    text = config_text(social, proposed_config(social))
    assert "# left out for privacy: Posted by (social media handles" in text
    assert {"Posted by", "Name"}.isdisjoint(yaml.safe_load(text)["sources"][0]["columns"].values())


def test_a_recommend_flag_is_never_an_nps_and_an_implausible_headline_is_a_warning(tmp_path):
    n = 40
    pd.DataFrame(
        {
            "Would you recommend us?": ["ja", "nei"] * (n // 2),
            "NPS": [0, 10] * (n // 2),
            "Would buy again": ["yes", "no"] * (n // 2),
            "screen_name": [f"kari{i}" for i in range(n)],
            "Kundenavn": [f"Kunde {i}" for i in range(n)],
        }
    ).to_csv(tmp_path / "flags.csv", index=False)
    inspection = inspect_file(tmp_path / "flags.csv")
    roles = {g.column: (g.role, g.name) for g in inspection.columns}
    assert roles == {
        "Would you recommend us?": ("not used", None),
        "NPS": ("NPS", "nps"),
        "Would buy again": ("yes/no flag", "would_buy_again"),
        "screen_name": ("personal data (never mapped)", None),
        "Kundenavn": ("personal data (never mapped)", None),
    }
    assert any("the NPS from 'NPS' looks implausible: only 2 distinct" in n for n in inspection.warnings)


SENTENCES = [
    "Veldig hyggelig ekspeditør i butikken",
    "Prisen var for høy for det du får",
    "Alt gikk som forventet denne gangen",
    "Fant det jeg lette etter uten problemer",
]


@pytest.mark.parametrize("header", ["Kommentar", "Comments", "Remarks", "Feedback", "Fritekst", "Kommentaar"])
def test_a_comment_field_of_repeated_sentences_is_the_comment_and_reason_codes_stay_a_category(tmp_path, header):
    n = 400
    pd.DataFrame(
        {
            "Response ID": [f"R{i:04d}" for i in range(n)],
            "Recommend (0-10)": [i % 11 for i in range(n)],
            "Reason": [["Price", "Delivery", "Staff", "Other"][i % 4] for i in range(n)],
            header: [SENTENCES[i % 4] if i % 3 else "" for i in range(n)],
        }
    ).to_csv(tmp_path / "export.csv", index=False)
    inspection = inspect_file(tmp_path / "export.csv")
    roles = {g.column: (g.role, g.name) for g in inspection.columns}
    assert roles[header] == ("free text (comment)", "comment")  # 4 texts over 266 answers: sentences, not groups
    assert roles["Reason"] == ("segment", "reason")  # one-word reason codes stay a category
    comment = {c.role: c for c in inspection.choices}["free text (comment)"]
    assert "sentences under a comment header, not a category (4 distinct over 266 rows)" in comment.reason
    assert comment.runner_up == "Reason" and "a category: 4 distinct answers" in comment.runner_up_reason
    assert f"- free text (comment): '{header}' (" in report_text(inspection)


def test_reason_codes_of_a_few_words_under_a_comment_header_stay_a_category(tmp_path):
    n = 300
    codes = ["Price too high", "Moved", "Network reliability", "Competitor made better offer"]
    pd.DataFrame({"NPS": [i % 11 for i in range(n)], "Comment": [codes[i % 4] for i in range(n)]}).to_csv(
        tmp_path / "codes.csv", index=False
    )
    inspection = inspect_file(tmp_path / "codes.csv")
    assert {g.column: g.role for g in inspection.columns}["Comment"] == "segment"
    comment = {c.role: c for c in inspection.choices}["free text (comment)"]
    assert comment.column is None and comment.runner_up == "Comment" and "a category" in comment.runner_up_reason


if __name__ == "__main__":
    write_fixtures(EXPORTS)
