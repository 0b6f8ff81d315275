"""The one presentation layer: separators, minus, p-values, dates, plurals and rounding by uncertainty."""

from __future__ import annotations

import datetime as dt

import pytest

from cxanalysis import presentation
from cxanalysis.presentation import MINUS


@pytest.fixture(autouse=True)
def english():
    presentation.set_language("en")
    yield
    presentation.set_language("en")


@pytest.mark.parametrize(
    "value, decimals, signed, expected",
    [
        (12000, 0, False, "12,000"),
        (-4.25, 1, False, f"{MINUS}4.2"),  # half to even, as Python rounds
        (-0.04, 1, False, "0.0"),  # no negative zero
        (2.0, 0, True, "+2"),
        (-2.0, 0, True, f"{MINUS}2"),
        (0.0, 1, True, "0.0"),
        (float("nan"), 1, False, "–"),
        (None, 0, False, "–"),
    ],
)
def test_number(value, decimals, signed, expected):
    assert presentation.number(value, decimals, signed=signed) == expected


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", f"{MINUS}1,234,567.9"),
        ("nb", f"{MINUS}1\u00a0234\u00a0567,9"),
        ("da", f"{MINUS}1.234.567,9"),
        ("sv", f"{MINUS}1\u00a0234\u00a0567,9"),
    ],
)
def test_each_report_language_has_its_own_separators_and_one_minus(language, expected):
    presentation.set_language(language)
    assert presentation.number(-1234567.89, 1) == expected


def test_an_unknown_report_language_is_refused():
    with pytest.raises(ValueError, match="de"):
        presentation.set_language("de")


@pytest.mark.parametrize(
    "low, high, decimals",
    [
        (7.11, 20.09, 0),  # half-width 6.5: one significant digit, units
        (71.89, 77.27, 0),  # 2.7
        (4.94, 5.26, 2),  # 0.16: leading 1 keeps two significant digits
        (4.3, 5.0, 1),  # 0.35
        (3.94, 4.07, 2),  # 0.065
        (10.0, 12.8, 1),  # 1.4: leading 1
        (0.0, 400.0, 0),  # never fewer than 0 decimals
        (1.0, 1.0000001, 3),  # never more than 3
    ],
)
def test_decimals_follow_the_half_width_of_the_interval(low, high, decimals):
    assert presentation.decimals_for(low, high) == decimals


def test_decimals_fall_back_when_there_is_no_interval():
    assert presentation.decimals_for(float("nan"), 3.0, fallback=2) == 2
    assert presentation.decimals_for(3.0, 3.0, fallback=0) == 0


def test_an_estimate_and_its_interval_are_rounded_alike():
    assert presentation.estimate(13.67, 7.11, 20.09) == "14 (7 to 20)"
    assert presentation.estimate(5.104, 4.94, 5.26) == "5.10 (4.94 to 5.26)"
    assert presentation.estimate(-6.7, -15.82, 2.48, signed=True) == f"{MINUS}7 ({MINUS}16 to +2)"
    assert presentation.estimate(74.7, float("nan"), float("nan"), fallback=1) == "74.7"


@pytest.mark.parametrize(
    "p, cell, sentence",
    [
        (0.0000004, "< 0.001", "p < 0.001"),
        (0.0044, "0.004", "p = 0.004"),
        (0.0418, "0.042", "p = 0.042"),
        (0.153, "0.15", "p = 0.15"),
        (0.999, "> 0.99", "p > 0.99"),
        (float("nan"), "–", "p = –"),
    ],
)
def test_p_values_in_cells_and_sentences(p, cell, sentence):
    assert presentation.p_value(p) == cell
    assert presentation.p_text(p) == sentence


def test_dates_take_the_medium_style_of_the_report_language():
    day = dt.date(2026, 6, 30)
    assert presentation.date(day) == "Jun 30, 2026"
    assert presentation.date("2026-06-30") == "Jun 30, 2026"
    presentation.set_language("nb")
    assert presentation.date(day) == "30. juni 2026"


def test_plurals_have_no_brackets():
    assert presentation.plural(1, "goal") == "1 goal"
    assert presentation.plural(2, "goal") == "2 goals"
    assert presentation.plural(3, "category", "categories") == "3 categories"
    assert presentation.plural(12000, "customer") == "12,000 customers"


@pytest.mark.parametrize(
    "code, name",
    [
        ("nb", "Norwegian Bokmål"),
        ("da", "Danish"),
        ("sv", "Swedish"),
        ("en", "English"),
        ("nb-NO", "Norwegian Bokmål (Norway)"),
        ("xx-unknown", "xx-unknown"),
    ],
)
def test_language_codes_become_language_names(code, name):
    assert presentation.language_name(code) == name


@pytest.mark.parametrize(
    "value, style, expected",
    [
        (-4.0, "{:.1f}", f"{MINUS}4.0"),
        (2375.0, "{:,.0f}", "2,375"),
        (2375.0, "{:.0f}", "2,375"),
        (0.5, "{:+.2f}", "+0.50"),
        (5.5, "{:g}", "5.5"),
        (30.0, "{:g}", "30"),
        ("text", "{}", "text"),
    ],
)
def test_format_strings_pass_through_the_report_style(value, style, expected):
    assert presentation.formatted(value, style) == expected


def test_a_setting_keeps_every_digit_in_the_report_style():
    assert presentation.exact(0.0001) == "0.0001" and presentation.exact(30) == "30" and presentation.exact(5.0) == "5"
    try:
        presentation.set_language("nb")
        assert presentation.exact(0.05) == "0,05"
    finally:
        presentation.set_language("en")
