"""The one redaction step: what it catches, client patterns, and where it runs."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from conftest import SURVEY_COLUMNS, survey_frame, write_client
from cxanalysis import load_config, privacy
from cxanalysis.client import ClientData
from cxanalysis.errors import CXInputError
from cxanalysis.loading import load_responses
from cxanalysis.privacy import Redactor, check_pattern


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


# Only the two marked numbers pass their control digits (mod 11, Luhn); the others fail them, as a mistyped
# number would, and are redacted all the same.
@pytest.mark.parametrize(
    "sentence, number",
    [
        ("Fødselsnummeret mitt er {}, ring meg.", "01019012345"),  # Norway
        ("Kontrollsifrene stemmer for {}.", "01019012057"),  # Norway, valid control digits
        ("Fnr. {} står på kortet.", "010190 12345"),  # Norway, written with a space
        ("Jeg har D-nummer {} fra jobben.", "41019012345"),  # Norway, D-number (day + 40)
        ("Mitt personnummer är {}.", "900101-1237"),  # Sweden
        ("Numret {} är giltigt.", "900101-1239"),  # Sweden, valid Luhn digit
        ("Farfar, {}, fick vänta länge.", "121212+1212"),  # Sweden, 100 years or older
        ("Personnummer {} finns i ärendet.", "19900101-1237"),  # Sweden, with the century
        ("De bad om {} i chatten.", "199001011237"),  # Sweden, with the century and no dash
        ("Samordningsnummer {} fungerade inte.", "900161-1235"),  # Sweden, samordningsnummer (day + 60)
        ("Mit CPR-nummer er {}, skriv venligst.", "010190-1234"),  # Denmark
        ("CPR {} blev vist på skærmen.", "0101901234"),  # Denmark, no dash
    ],
)
def test_nordic_national_identity_numbers_are_labelled_and_leave_no_digit(sentence, number):
    redacted = Redactor().redact(sentence.format(number))
    assert redacted == sentence.format("[national id]"), redacted
    assert not any(ch.isdigit() for ch in redacted), redacted


@pytest.mark.parametrize(
    "text",
    [
        "Vi har vært kunder 2019-2024 og er fornøyde.",  # a year range
        "Jeg venter fortsatt på ordre 12345.",  # an order number
        "Prisen var 1 299 kr, alt for dyrt.",  # a price
        "Levert 01.02.2025, to dager for sent.",  # a date
        "Kundnummer 12-34 och 2024-05-06 stämmer inte.",  # short numbers and an ISO date
    ],
)
def test_numbers_that_are_not_identity_numbers_stay(text):
    assert Redactor().redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "1 " * 50_000,  # single digits: every pattern is tried and fails at every position
        "010190 1234 " * 8_400,  # a Norwegian number one digit short, over and over
        "1234567 " * 12_500,  # runs just short of a long digit run
        "9" * 100_000,  # one long run
        " ".join(str(i % 1000).zfill(3) * (1 + i % 5) for i in range(20_000))[:100_000],  # groups of 3 to 15 digits
    ],
    ids=["single-digits", "almost-fodselsnummer", "seven-digit-runs", "one-run", "mixed-groups"],
)
@pytest.mark.timing
def test_redaction_runs_in_linear_time_on_100_kb_of_digits_and_spaces(text):
    assert len(text) >= 100_000
    start = time.perf_counter()
    Redactor().redact(text)
    assert time.perf_counter() - start < 1.0


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
    # Each region is too small here to be shown (they are withheld), but the label is the redacted one.
    assert "Vest ([e-mail])" in set(client.responses["region"].cat.categories)
    assert not any("@" in str(level) for level in client.responses["region"].cat.categories)


_UNIT = 100_000  # characters in the smaller of the two hostile texts


def _seconds_to_redact(text: str) -> float:
    """Best of three runs, so that another process on the machine does not decide the result."""
    redactor = Redactor()
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        redactor.redact(text)
        timings.append(time.perf_counter() - started)
    return min(timings)


@pytest.mark.parametrize(
    "pattern",
    [
        "a",  # a word with no @: every position could start an e-mail
        "@",
        "a@",
        "a@b",
        "@a_",  # every third character could start a handle
        "a.",
        "kari.",
        ".",
        "1",
        "1 ",  # digits and spaces: every digit could start a phone number
        "12-",
        "+1 ",
        "www.",  # every fourth character starts a web address
        "(https://",
    ],
)
@pytest.mark.timing
def test_redaction_time_grows_linearly_with_hostile_text(pattern):
    """Four times the text takes about four times as long (a quadratic pattern would take sixteen times)."""
    short_text = pattern * (_UNIT // len(pattern))
    long_text = pattern * (4 * _UNIT // len(pattern))
    short_seconds = _seconds_to_redact(short_text)
    long_seconds = _seconds_to_redact(long_text)
    assert long_seconds < 2.0
    # A floor of 50 ms keeps timer noise on tiny timings from deciding the ratio.
    assert long_seconds / max(short_seconds, 0.05) < 10


@pytest.mark.parametrize(
    "opening, pattern",
    [
        ("https://a?", "."),  # a query that never ends
        (" @", "a."),  # a handle that never ends
    ],
)
@pytest.mark.timing
def test_redaction_of_one_endless_token_grows_linearly(opening, pattern):
    short_seconds = _seconds_to_redact(opening + pattern * (_UNIT // len(pattern)))
    long_seconds = _seconds_to_redact(opening + pattern * (4 * _UNIT // len(pattern)))
    assert long_seconds < 2.0
    assert long_seconds / max(short_seconds, 0.05) < 10


def test_address_without_query_keeps_redacting_what_it_contains():
    assert Redactor().redact("Se https://example.no/ring/22334455.") == "Se https://example.no/ring/[number]."


@pytest.mark.parametrize(
    "sentence, secret, label",
    [
        ("Ring {} etter klokka fire.", "22.33.44.55", "phone"),
        ("Mobilen min er {}.", "+47.912.34.567", "phone"),
        ("Ring mig på {} i morgon.", "9 1 2 3 4 5 6 7", "phone"),
        ("Skriv til {}, takk.", "kari (at) example.no", "e-mail"),
        ("Skriv till {} tack.", "kari [at] example dot no", "e-mail"),
        ("Send til {} tak.", "kari @ example.no", "e-mail"),
        ("Write to {} please.", "kari＠example.no", "e-mail"),
        ("Klikk <{}> for svar.", "kari%40example.no", "e-mail"),
        ("Logg inn via {} igjen.", "https://app.example.no/cb#access_token=9f8e7d6c5b", "link"),
        ("Token {} fungerte ikke.", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl", "token"),
        ("Min IP var {} i går.", "192.168.10.24", "ip address"),
        ("Adressen {} blokkeres.", "2001:db8::8a2e:370:7334", "ip address"),
        ("My address was {} today.", "fe80:0:0:0:202:b3ff:fe1e:8329", "ip address"),
        ("Kontonummer {} er feil.", "NO93 8601 1117 947", "account"),
        ("Mitt konto {} är fel.", "SE45 5000 0000 0583 9825 7466", "account"),
        ("Min konto {} er forkert.", "DK50 0040 0440 1162 43", "account"),
        ("Pay into {} please.", "NO9386011117947", "account"),
        ("Takk {} for hjelpen!", "@kari_nordmann", "handle"),
        ("{} svarte aldri på meldingen.", "@kari.nordmann", "handle"),
        ("Spør {}.", "＠kari", "handle"),
    ],
)
def test_written_variants_are_replaced_with_nothing_of_the_secret_left(sentence, secret, label):
    redacted = Redactor().redact(sentence.format(secret))
    assert f"[{label}]" in redacted, redacted
    left = redacted.replace(f"[{label}]", "")
    assert not any(ch.isdigit() for ch in left), redacted
    assert "kari" not in left and "example" not in left and "eyJ" not in left, redacted


@pytest.mark.parametrize(
    "text",
    [
        "Prisen var kr 1.299,- for to.",
        "Etter oppdatering til v2.3.1 virker appen.",
        "Vi bestilte 06.05.2024 og fikk varen 2024-05-10.",
        "Butikken stengte 14.05 i stedet for 16.00.",
        "Rabatten var 12,5 % og 45% på salg.",
        "Huset kostet 12.500.000 kroner.",
        "Mötet 14:05-15:30 var bra.",
        "Tre stk @ 20 kr, og hei @ alle.",
        "Se https://example.no/hjelp#kontakt for mer.",
    ],
)
def test_prices_versions_dates_times_and_percentages_stay(text):
    assert Redactor().redact(text) == text


@pytest.mark.parametrize(
    "pattern", [r"(a+)+$", r"(a|aa)+$", r"(\w+\s?)+$", r"(x+x+)+y", r"KN-(a|aa)+$", r"\bORD (1|11)+$"]
)
@pytest.mark.timing
def test_client_pattern_that_backtracks_without_end_is_refused_with_a_fix(client_folder, pattern):
    survey_frame().to_csv(client_folder / "survey.csv", index=False)
    path = write_client(
        client_folder,
        [{"name": "s", "path": "survey.csv", "columns": SURVEY_COLUMNS}],
        privacy={"patterns": {"customer-number": pattern}},
    )
    started = time.perf_counter()
    with pytest.raises(CXInputError, match=r"privacy\.patterns\.customer-number can take very long") as caught:
        load_config(path)
    assert time.perf_counter() - started < 10
    assert "repeat the inner part once" in str(caught.value)


@pytest.mark.parametrize("pattern", [r"\bKN-\d{6}\b", r"ORD\d{5}", r"[A-Z]{2}-\d+", r"(?:kunde|customer) ?\d+"])
def test_ordinary_client_patterns_pass_the_check(pattern):
    assert check_pattern("customer-number", pattern) == pattern


@pytest.mark.timing
def test_text_a_client_pattern_cannot_finish_on_is_withheld(monkeypatch):
    monkeypatch.setattr(privacy, "CLIENT_PATTERN_SECONDS", 0.2)
    redactor = Redactor({"runs": r"(x+x+)+y"})  # built directly, past the check a config gets
    started = time.perf_counter()
    assert redactor.redact("x" * 5000) == privacy.WITHHELD
    assert time.perf_counter() - started < 2
    assert redactor.redact("ring 912 34 567, xxy") == "ring [phone], [runs]"


@pytest.mark.parametrize(
    "value",
    ["nb", "NB", "en-GB", "sv_SE", "eng", "zh-Hans-CN", "es-419", "Norsk", "norwegian bokmål", "Svenska", "Deutsch"],
)
def test_language_codes_and_names_are_languages(value):
    assert privacy.is_language(value)


@pytest.mark.parametrize(
    "value",
    ["", "Ola", "xx", "12", "[e-mail]", "kari@example.no", "call me on 912 34 567", "Norsk " * 10, "<b>nb</b>"],
)
def test_other_text_is_not_a_language(value):
    assert not privacy.is_language(value)


def test_the_language_column_is_redacted_and_checked():
    values = pd.Series(["nb", None, "kari@example.no", "Kari Nordmann, 912 34 567", "Dansk", "nb"], dtype="string")
    column, missing = privacy.language_column(values, Redactor())
    assert column.tolist() == ["nb", pd.NA, pd.NA, pd.NA, "Dansk", "nb"]
    assert missing == 2


def test_every_standard_pattern_says_what_a_text_needs_for_it():
    from cxanalysis.privacy import _NEEDS, STANDARD_PATTERNS

    assert list(_NEEDS) == list(STANDARD_PATTERNS)
    # Text holding a digit and an @ is searched for both kinds.
    assert Redactor().redact("Ring 912 34 567, skriv til @kari") == "Ring [phone], skriv til [handle]"


@pytest.mark.timing
def test_a_megabyte_comment_of_mixed_text_is_redacted_in_under_a_second():
    parts = [
        "Kjære kundeservice, ring 912 34 567 eller skriv til kari@example.no ",
        "ordre 12345678, https://x.no/s?token=ab12 @kari_n 192.168.1.1 ",
        "9-1-2-3 4.5 01.02.2025 v1.2.3 æøå (at) [dot] ",
    ]
    text = ("".join(parts) * 10_000)[:1_000_000]
    redactor = Redactor()
    times = []
    for _ in range(3):
        started = time.perf_counter()
        redacted = redactor.redact(text)
        times.append(time.perf_counter() - started)
    assert min(times) < 1.0, times
    assert "kari@example.no" not in redacted and "912 34 567" not in redacted


@pytest.mark.parametrize(
    "text", ["ring 9-1-2-3-4-5-6-7 i dag", "ring 9.1.2.3.4.5.6.7 i dag", "ring 9 1 2 3 4 5 6 7", "tlf 9-1-2-3-4-5-6-7."]
)
def test_phones_written_digit_by_digit_with_dashes_or_dots_are_labelled(text):
    redacted = Redactor().redact(text)
    assert "[phone]" in redacted and not any(ch.isdigit() for ch in redacted), redacted


@pytest.mark.parametrize(
    "text",
    ["levert 01.02.2025", "score 4.5 av 5", "versjon 1.2.3", "app v2.1.0.3", "3-2-1 start", "1.2.3.4.5.6.7 steg"],
)
def test_dates_decimals_and_versions_written_with_dots_or_dashes_stay(text):
    assert Redactor().redact(text) == text


@pytest.mark.timing
def test_digit_by_digit_phones_are_redacted_in_linear_time():
    for unit in ("9-", "9.", "9 "):
        times = []
        for n in (50_000, 100_000):
            started = time.perf_counter()
            Redactor().redact(unit * n + "x")
            times.append(time.perf_counter() - started)
        assert times[1] < 1.0 and times[1] < 4 * times[0] + 0.05, (unit, times)


def test_free_text_of_the_customers_and_tickets_files_is_redacted(tmp_path):
    from cxanalysis.loading import load_customers, load_tickets

    survey_frame().to_csv(tmp_path / "survey.csv", index=False)
    (tmp_path / "customers.csv").write_text(
        "customer_id,revenue,region,customer_type\nC1,100,ring kari@example.no,privat 912 34 567\nC2,50,Øst,bedrift\n",
        encoding="utf-8",
    )
    (tmp_path / "tickets.csv").write_text(
        "ticket_id,opened_at,touchpoint,channel,region\nT1,2025-03-01,kari@example.no,9-1-2-3-4-5-6-7,Nord\n",
        encoding="utf-8",
    )
    source = {"name": "survey", "path": "survey.csv", "columns": dict(SURVEY_COLUMNS)}
    config = load_config(
        write_client(
            tmp_path,
            [source],
            segments=["region"],
            customers={"path": "customers.csv"},
            tickets={"path": "tickets.csv"},
        )
    )
    customers = load_customers(config).valid
    tickets = load_tickets(config).valid
    assert customers["region"].tolist() == ["ring [e-mail]", "Øst"]
    assert customers["customer_type"].tolist() == ["privat [phone]", "bedrift"]
    assert tickets[["touchpoint", "channel", "region"]].iloc[0].tolist() == ["[e-mail]", "[phone]", "Nord"]
