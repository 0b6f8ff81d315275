"""The one redaction step: what it catches, client patterns, and where it runs."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import SURVEY_COLUMNS, survey_frame, write_client
from cxanalysis import load_config
from cxanalysis.client import ClientData
from cxanalysis.errors import CXInputError
from cxanalysis.loading import load_responses
from cxanalysis.privacy import Redactor


@pytest.mark.parametrize(
    "text, label",
    [
        ("kari.nordmann@example.no", "e-mail"),
        ("ola+cx@post.example.co.uk", "e-mail"),
        ("+47 912 34 567", "phone"),  # Norway, international
        ("912 34 567", "phone"),  # Norway, mobile
        ("22 33 44 55", "phone"),  # Norway, landline
        ("070-123 45 67", "phone"),  # Sweden, mobile
        ("08-123 456 78", "phone"),  # Sweden, Stockholm
        ("+46 70 123 45 67", "phone"),
        ("+45 12 34 56 78", "phone"),  # Denmark
        ("+44 20 7946 0958", "phone"),  # United Kingdom
        ("+1 (555) 123-4567", "phone"),  # North America
        ("https://shop.example.no/order?token=9f8e7d6c", "link"),
        ("www.example.se/track?id=abc&session=42", "link"),
        ("12345678901", "number"),  # account number without separators
        ("1234.56.78903", "number"),  # Norwegian bank account
    ],
)
def test_each_kind_of_personal_data_is_replaced_by_its_label(text, label):
    redacted = Redactor().redact(f"Kontakt: {text}, takk.")
    assert redacted == f"Kontakt: [{label}], takk.", redacted


def test_card_numbers_leave_no_digits():
    for card in ("4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111"):
        redacted = Redactor().redact(f"kort {card} ble belastet")
        assert not any(ch.isdigit() for ch in redacted), redacted


def test_ordinary_numbers_and_links_stay():
    text = "Ventet 45 minutter, 3 ganger i 2025, pris 1 299 kr. Se https://example.no/hjelp"
    assert Redactor().redact(text) == text


def test_client_patterns_are_labelled_by_their_name_and_tried_first():
    redactor = Redactor({"customer-number": r"\bKN-\d{6}\b", "order": r"\bORD\d{5}\b"})
    assert redactor.redact("Kundenr KN-123456, ordre ORD12345") == "Kundenr [customer-number], ordre [order]"


def test_redact_series_keeps_missing_and_dtype():
    values = pd.Series(["ring 912 34 567", None, "fint"], dtype="string")
    out = Redactor().redact_series(values)
    assert out.tolist() == ["ring [phone]", pd.NA, "fint"]
    assert out.dtype == "string"


def test_invalid_client_pattern_names_the_key(client_folder):
    survey_frame().to_csv(client_folder / "survey.csv", index=False)
    path = write_client(
        client_folder,
        [{"name": "s", "path": "survey.csv", "columns": SURVEY_COLUMNS}],
        privacy={"patterns": {"customer-number": "KN-(\\d{6}"}},
    )
    with pytest.raises(CXInputError, match=r"privacy\.patterns\.customer-number is not a valid regular expression"):
        load_config(path)
    path = write_client(
        client_folder,
        [{"name": "s", "path": "survey.csv", "columns": SURVEY_COLUMNS}],
        privacy={"patterns": {"anything": "x*"}},
    )
    with pytest.raises(CXInputError, match="matches empty text"):
        load_config(path)


def test_loaded_responses_are_redacted_and_quarantine_keeps_the_raw_text(client_folder):
    survey = survey_frame()
    survey.loc[0, "Comment"] = "Ring meg på 912 34 567 om KN-654321"
    survey.loc[1, "Region"] = "Vest (kari@example.no)"
    survey.loc[2, "NPS"] = 42  # out of range: quarantined
    survey.loc[2, "Comment"] = "skriv til ola@example.no"
    survey.to_csv(client_folder / "survey.csv", index=False)
    path = write_client(
        client_folder,
        [{"name": "s", "path": "survey.csv", "columns": SURVEY_COLUMNS}],
        segments=["region"],
        privacy={"patterns": {"customer-number": r"KN-\d{6}"}},
    )
    table = load_responses(load_config(path))
    assert table.valid.loc[0, "comment"] == "Ring meg på [phone] om [customer-number]"
    assert table.valid.loc[1, "region"] == "Vest ([e-mail])"
    assert not table.valid["comment"].str.contains("@", na=False).any()
    assert "ola@example.no" in table.quarantine.to_csv()
    client = ClientData(load_config(path))
    assert "Vest ([e-mail])" in set(client.responses["region"].astype(str))
