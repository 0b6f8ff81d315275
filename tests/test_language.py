"""The report's language: one setting (``report.language``, or ``build --language``) reaches the numbers
and dates, every chapter kernel and the book's own interface."""

from __future__ import annotations

import pytest
from babel.numbers import format_decimal

from conftest import SAMPLE_CONFIG, SURVEY_COLUMNS, write_client
from cxanalysis import load_config, presentation
from cxanalysis.cli import parser
from cxanalysis.client import ClientData
from cxanalysis.errors import CXInputError
from cxanalysis.runner import SPHINX_LANGUAGES, _book_config

SOURCES = [
    {"name": "survey", "path": "survey.csv", "columns": {k: v for k, v in SURVEY_COLUMNS.items() if k != "region"}}
]


def test_the_sample_is_written_in_english_unless_told_otherwise():
    assert load_config(SAMPLE_CONFIG).report.language == "en"
    assert load_config(SAMPLE_CONFIG, language="sv").report.language == "sv"


@pytest.mark.parametrize("written", ["nb", "no", "NO", "nb-NO", "nb_NO"])
def test_norwegian_is_bokmal_however_it_is_written(client_folder, written):
    path = write_client(client_folder, SOURCES, report={"language": written})
    assert load_config(path).report.language == "nb"


def test_an_unquoted_no_is_named_not_read_as_false(client_folder):
    path = client_folder / "client.yml"
    path = write_client(client_folder, SOURCES)
    path.write_text(path.read_text(encoding="utf-8") + "report:\n  language: no\n", encoding="utf-8")
    with pytest.raises(CXInputError, match="write nb for Norwegian"):
        load_config(path)


def test_a_language_the_report_is_not_written_in_is_refused(client_folder):
    path = write_client(client_folder, SOURCES, report={"language": "de"})
    with pytest.raises(CXInputError, match="language"):
        load_config(path)


def test_build_takes_the_language_from_the_command_line():
    assert parser().parse_args(["build", "--language", "da"]).language == "da"
    assert parser().parse_args(["build"]).language is None
    with pytest.raises(SystemExit):
        parser().parse_args(["build", "--language", "de"])


@pytest.mark.parametrize("language", ["en", "nb", "da", "sv"])
def test_numbers_and_dates_follow_the_report_language(language):
    try:
        ClientData(load_config(SAMPLE_CONFIG, language=language))
        assert presentation.language() == language
        locale = {"nb": "nb_NO", "da": "da_DK", "sv": "sv_SE", "en": "en"}[language]
        expected = format_decimal(12345.7, format="#,##0.0", locale=locale).replace("-", "\u2212")
        assert presentation.number(12345.7, 1) == expected
    finally:
        presentation.set_language("en")


@pytest.mark.parametrize(
    ("language", "sphinx", "search"), [("en", "en", "en"), ("nb", "nb_NO", "no"), ("sv", "sv", "sv")]
)
def test_the_books_interface_and_search_follow_the_report_language(language, sphinx, search):
    book = _book_config(load_config(SAMPLE_CONFIG, language=language), teaching=False)
    assert book["sphinx"]["config"]["language"] == sphinx == SPHINX_LANGUAGES[language]
    assert book["sphinx"]["config"]["html_search_language"] == search
