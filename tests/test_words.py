"""Every sentence leadership reads, checked against the rule it follows.

Each expected string is typed from what a reader must see: the number with
its sign (a true minus sign, U+2212) and its interval, thousands set apart
by a narrow no-break space (U+202F), the verdict the significance level
decides, "adjusted p" only after a multiple-testing adjustment and plain "p"
for a single test, and "1 file" beside "2 files". Small frames are built by
hand so that every branch, and every missing value, is reached on purpose.
"""

from __future__ import annotations

import copy
import math
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import cxanalysis as cx
from cxanalysis import presentation, words
from cxanalysis.config import Money
from cxanalysis.drivers import DriverSample

MINUS = "\u2212"
SEP = ","  # the thousands separator of an English report
NAN = float("nan")


def m(text: str) -> str:
    """Expected text typed with an ASCII hyphen before a negative number, turned into the minus sign the
    reader sees (U+2212); hyphens inside words and dates (2025-04) stay."""
    return re.sub(r"(?<![\w-])-(?=\d)", MINUS, text)


def row(**fields) -> SimpleNamespace:
    """One row of a result table, as ``itertuples`` hands it to a sentence function."""
    return SimpleNamespace(**fields)


@pytest.fixture(scope="module")
def sample():
    return cx.open_client(None)


def edited(client, **attributes):
    """A copy of a client with some of its data replaced (the original stays untouched)."""
    other = copy.copy(client)
    if "responses" in attributes:  # what the client counts from its responses is counted again
        other.__dict__.pop("period_sizes", None)
    for name, value in attributes.items():
        setattr(other, name, value)
    return other


# --- numbers, p-values, plurals, escaping ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        pytest.param(999, 0, "999", id="no-separator-below-1000"),
        pytest.param(1234567, 0, f"1{SEP}234{SEP}567", id="thousands-narrow-space"),
        pytest.param(np.int64(1500), 0, f"1{SEP}500", id="numpy-integer"),
        pytest.param(-5, 0, f"{MINUS}5", id="minus-sign-not-hyphen"),
        pytest.param(-1234.56, 1, f"{MINUS}1{SEP}234.6", id="negative-thousands-decimals"),
        pytest.param(2.5, 1, "2.5", id="one-decimal"),
        pytest.param(0.125, 3, "0.125", id="three-decimals"),
        pytest.param(-0.4, 0, "0", id="rounds-to-zero-without-sign"),
        pytest.param(-0.04, 1, "0.0", id="rounds-to-zero-one-decimal"),
        pytest.param(NAN, 0, "–", id="nan-en-dash"),
        pytest.param(NAN, 2, "–", id="nan-en-dash-decimals"),
        pytest.param(None, 0, "–", id="none-en-dash"),
        pytest.param(pd.NA, 0, "–", id="pandas-na-en-dash"),
        pytest.param(np.float32("nan"), 1, "–", id="float32-nan-en-dash"),
    ],
)
def test_number(value, decimals, expected):
    assert words.number(value, decimals) == expected
    assert "-" not in words.number(value, decimals)


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        pytest.param(1.1e-37, "p < 0.001", id="tiny"),
        pytest.param(0.000999, "p < 0.001", id="just-below-0.001"),
        pytest.param(0.001, "p = 0.001", id="at-0.001"),
        pytest.param(0.0123, "p = 0.012", id="two-significant-digits"),
        pytest.param(0.2, "p = 0.20", id="plain"),
        pytest.param(0.99, "p = 0.99", id="at-0.99"),
        pytest.param(0.991, "p > 0.99", id="just-above-0.99"),
        pytest.param(1.0, "p > 0.99", id="one"),
        pytest.param(NAN, "p = –", id="not-computed"),
    ],
)
def test_p_text(p, expected):
    assert words.p_text(p) == expected


@pytest.mark.parametrize(
    ("p", "adjusted", "expected"),
    [
        pytest.param(0.036, True, "adjusted p = 0.036", id="adjusted"),
        pytest.param(0.036, False, "p = 0.036", id="single-test"),
        pytest.param(0.0004, True, "adjusted p < 0.001", id="adjusted-tiny"),
        pytest.param(0.995, False, "p > 0.99", id="single-near-one"),
    ],
)
def test_p_reading(p, adjusted, expected):
    assert words.p_reading(p, adjusted=adjusted) == expected


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        pytest.param(0, "file", "0 files", id="zero"),
        pytest.param(1, "file", "1 file", id="one"),
        pytest.param(1.0, "response", "1 response", id="one-as-float"),
        pytest.param(np.int64(1), "row", "1 row", id="one-as-numpy"),
        pytest.param(2, "file", "2 files", id="two"),
        pytest.param(2400, "row", f"2{SEP}400 rows", id="thousands"),
    ],
)
def test_plural(count, noun, expected):
    assert words.plural(count, noun) == expected


@pytest.mark.parametrize("character", list("\\`*_{}[]<>()#+-.!|$%~^&:"), ids=lambda c: f"char-{ord(c)}")
def test_escape_markdown_escapes_each_myst_special_character(character):
    assert words.escape_markdown(f"a{character}b") == f"a\\{character}b"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Øst og Sør", "Øst og Sør", id="letters-untouched"),
        pytest.param("*free* delivery", "\\*free\\* delivery", id="emphasis"),
        pytest.param("[link](http://x)", "\\[link\\]\\(http\\://x\\)", id="link"),
        pytest.param("<script>", "\\<script\\>", id="html-tag"),
        pytest.param("{dropdown}", "\\{dropdown\\}", id="directive-braces"),
        pytest.param("$5 off", "\\$5 off", id="dollar-math"),
        pytest.param(3.5, "3\\.5", id="non-text"),
    ],
)
def test_escape_markdown(text, expected):
    assert words.escape_markdown(text) == expected


@pytest.mark.parametrize(
    ("metric", "scale", "expected_tail"),
    [
        pytest.param("nps", (0, 10), "(0-10)", id="nps-0-10"),
        pytest.param("csat", (1, 5), "(1-5; 4-5 count as satisfied)", id="csat-1-5"),
        pytest.param("csat", (1, 7), "(1-7; 6-7 count as satisfied)", id="csat-1-7"),
        pytest.param("ces", (1, 7), "(1-7; 5-7 count as easy)", id="ces-1-7"),
        pytest.param("ces", (1, 5), "(1-5; 4-5 count as easy)", id="ces-1-5-at-most-half"),
    ],
)
def test_metric_question(metric, scale, expected_tail):
    scales = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)} | {metric: scale}
    question = words.metric_question(metric, scales)
    assert question.endswith(expected_tail)
    opening = {"nps": "How likely are you to recommend us", "csat": "How satisfied", "ces": "The company made it easy"}
    assert question.startswith(opening[metric])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("p_value", "p", id="p-stays-lowercase"),
        pytest.param("p_adjusted", "Adjusted p", id="adjusted-p"),
        pytest.param("n", "n", id="n-stays-lowercase"),
        pytest.param("n_a", "n (a)", id="n-a"),
        pytest.param("n_effective", "Effective n", id="effective-n"),
        pytest.param("ci_low", "CI low", id="ci"),
        pytest.param("mde", "MDE", id="acronym"),
        pytest.param("nps_difference", "NPS difference", id="metric-acronym"),
        pytest.param("share_of_kpis", "Share of KPIs", id="kpis"),
        pytest.param("touchpoint", "Touchpoint", id="capitalised"),
        pytest.param("sha-256", "SHA-256", id="special"),
    ],
)
def test_column_label(name, expected):
    assert words.column_label(name) == expected


@pytest.mark.parametrize(
    ("function", "name", "expected"),
    [
        pytest.param(words.plain_name, "service_quality", "Service quality", id="plain-name"),
        pytest.param(words.plain_name, "Øst", "Øst", id="plain-name-already-readable"),
        pytest.param(words.label, "after_purchase", "After purchase", id="label"),
        pytest.param(words.label, "pop-up *store*", "Pop\\-up \\*store\\*", id="label-escaped"),
    ],
)
def test_names_as_a_reader_sees_them(function, name, expected):
    assert function(name) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(["one", "two"], "- one\n- two", id="two-bullets"),
        pytest.param([], "", id="empty"),
    ],
)
def test_bullets(lines, expected):
    assert words.bullets(lines) == expected


def test_notice_line_is_italic_and_escaped():
    assert words.notice_line("Draft: *not* for sharing") == "*Draft\\: \\*not\\* for sharing*"


# --- estimates, intervals, differences ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metric", "values", "expected"),
    [
        pytest.param("nps", (23.4, 18.2, 28.9, 2391), f"NPS 23 (95 % CI 18 to 29; n = 2{SEP}391)", id="nps-thousands"),
        pytest.param("nps", (-12.3, -20.6, -3.9, 150), m("NPS -12 (95 % CI -21 to -4; n = 150)"), id="nps-negative"),
        pytest.param(
            "csat", (74.6, 70.1, 78.7, 412), "CSAT (% satisfied) 75 % (95 % CI 70 to 79; n = 412)", id="csat-percent"
        ),
        pytest.param("ces", (5.123, 4.981, 5.262, 30), "CES (mean) 5.12 (95 % CI 4.98 to 5.26; n = 30)", id="ces-mean"),
        pytest.param("nps", (NAN, NAN, NAN, 0), "NPS – (95 % CI – to –; n = 0)", id="no-answers"),
    ],
)
def test_estimate_phrase(metric, values, expected):
    estimate, low, high, n = values
    assert words.estimate_phrase({"estimate": estimate, "ci_low": low, "ci_high": high, "n": n}, metric) == expected


@pytest.mark.parametrize(
    ("metric", "values", "expected"),
    [
        pytest.param(
            "nps",
            (18.0, 28.0, 2391),
            f"With 2{SEP}391 answers, values within about ±5.0 points of the estimate"
            " are compatible with the data (the 95 % interval); it measures sampling error only.",
            id="nps-points",
        ),
        pytest.param(
            "csat",
            (70.0, 76.0, 1),
            "With 1 answer, values within about ±3.0 percentage points of the estimate"
            " are compatible with the data (the 95 % interval); it measures sampling error only.",
            id="csat-one-answer",
        ),
        pytest.param(
            "ces",
            (4.9, 5.2, 40),
            "With 40 answers, values within about ±0.15 of the estimate"
            " are compatible with the data (the 95 % interval); it measures sampling error only.",
            id="ces-no-unit-single-spaces",
        ),
    ],
)
def test_interval_width_reading(metric, values, expected):
    low, high, n = values
    assert words.interval_width_reading({"ci_low": low, "ci_high": high, "n": n}, metric) == expected


def test_every_verdict_has_its_plain_and_its_segment_words():
    from cxanalysis.compare import VERDICTS

    assert list(words.PLAIN_VERDICTS) == list(words.SEGMENT_VERDICTS) == list(VERDICTS)


@pytest.mark.parametrize(
    ("estimate", "low", "high", "metric", "signed", "expected"),
    [
        pytest.param(74.68, 71.9, 77.3, "csat", False, "75 (72 to 77)", id="level-rounded-to-its-interval"),
        pytest.param(74.68, 73.9, 75.3, "csat", False, "74.7 (73.9 to 75.3)", id="narrow-interval-one-decimal"),
        pytest.param(4.2, 1.0, 7.4, "nps", True, "+4 (+1 to +7)", id="signed-rise"),
        pytest.param(-6.7, -15.9, 2.4, "nps", True, m("-7 (-16 to +2)"), id="signed-fall"),
        pytest.param(0.0, -3.0, 3.0, "nps", True, m("0 (-3 to +3)"), id="signed-zero"),
        pytest.param(0.25, 0.05, 0.45, "ces", True, "+0.2 (+0.1 to +0.5)", id="ces-wide"),
        pytest.param(0.254, 0.194, 0.314, "ces", True, "+0.25 (+0.19 to +0.31)", id="ces-narrow-two-decimals"),
        pytest.param(NAN, NAN, NAN, "nps", True, "–", id="missing"),
    ],
)
def test_with_interval(estimate, low, high, metric, signed, expected):
    assert words.with_interval(estimate, low, high, metric, signed) == expected


# --- significance chapter: changes, segments, power, mix, trend -----------------------------------------------


def comparison(**fields) -> SimpleNamespace:
    base = {
        "metric": "nps",
        "dimension": "all",
        "level": "",
        "baseline": "2025Q3",
        "current": "2025Q4",
        "estimate_b": 20.0,
        "estimate_a": 27.0,
        "difference": 7.0,
        "ci_low": 2.0,
        "ci_high": 12.0,
        "p_adjusted": 0.004,
        "verdict": "significant improvement",
        "mde": 4.0,
        "n_a": 400,
    }
    return row(**(base | fields))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(
            {},
            "NPS, all responses: 20.0 in 2025Q3 → 27.0 in 2025Q4 (+7, 95 % CI +2 to +12; adjusted p = 0.004): "
            "**significant improvement**.",
            id="overall-improvement",
        ),
        pytest.param(
            {
                "metric": "csat",
                "dimension": "region",
                "level": "Sør",
                "estimate_b": 80.0,
                "estimate_a": 71.5,
                "difference": -8.5,
                "ci_low": -14.1,
                "ci_high": -2.9,
                "p_adjusted": 0.01,
                "verdict": "significant decline",
            },
            m(
                "CSAT (% satisfied), region Sør: 80.0 in 2025Q3 → 71.5 in 2025Q4 (-8, 95 % CI -14 to -3; "
                "adjusted p = 0.010): **significant decline**."
            ),
            id="segment-decline",
        ),
        pytest.param(
            {
                "dimension": "customer_type",
                "level": "B2B_*key*",
                "difference": 1.5,
                "ci_low": -3.5,
                "ci_high": 6.5,
                "p_adjusted": 0.6,
                "verdict": "no detectable change",
            },
            m(
                "NPS, customer type B2B \\*key\\*: 20.0 in 2025Q3 → 27.0 in 2025Q4 (+2, 95 % CI -4 to +6; "
                "adjusted p = 0.60): **no detectable change**."
            ),
            id="no-change-escaped-level",
        ),
        pytest.param(
            {
                "metric": "ces",
                "estimate_b": 5.1,
                "estimate_a": 5.3,
                "difference": 0.2,
                "ci_low": -0.25,
                "ci_high": 0.65,
                "p_adjusted": 0.38,
                "verdict": "too few responses to tell",
                "mde": 0.45,
            },
            m(
                "CES (mean), all responses: 5.10 in 2025Q3 → 5.30 in 2025Q4 (+0.2, 95 % CI -0.2 to +0.7; "
                "adjusted p = 0.38): **too few responses to tell**; only a change of at least 0.5 could be detected "
                "with these answers."
            ),
            id="too-few-responses",
        ),
    ],
)
def test_change_sentence(fields, expected):
    assert words.change_sentence(comparison(**fields)) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(
            {
                "dimension": "region",
                "level": "Nord",
                "estimate_a": 31.0,
                "estimate_b": 22.0,
                "difference": 9.0,
                "ci_low": 3.0,
                "ci_high": 15.0,
                "p_adjusted": 0.003,
                "verdict": "significant improvement",
            },
            "NPS, region **Nord**: 31.0 against 22.0 for all others (+9, 95 % CI +3 to +15; adjusted p = 0.003): "
            "**significantly higher**.",
            id="higher",
        ),
        pytest.param(
            {
                "dimension": "region",
                "level": "Vest",
                "estimate_a": 12.0,
                "estimate_b": 22.0,
                "difference": -10.0,
                "ci_low": -16.0,
                "ci_high": -4.0,
                "p_adjusted": 0.002,
                "verdict": "significant decline",
            },
            m(
                "NPS, region **Vest**: 12.0 against 22.0 for all others (-10, 95 % CI -16 to -4; "
                "adjusted p = 0.002): **significantly lower**."
            ),
            id="lower",
        ),
        pytest.param(
            {
                "dimension": "region",
                "level": "Sør",
                "estimate_a": 23.0,
                "estimate_b": 22.0,
                "difference": 1.0,
                "ci_low": -5.0,
                "ci_high": 7.0,
                "p_adjusted": 0.8,
                "verdict": "no detectable change",
            },
            m(
                "NPS, region **Sør**: 23.0 against 22.0 for all others (+1, 95 % CI -5 to +7; "
                "adjusted p = 0.80): **no detectable difference**."
            ),
            id="no-difference",
        ),
        pytest.param(
            {
                "dimension": "customer_type",
                "level": "B2B",
                "estimate_a": 30.0,
                "estimate_b": 22.0,
                "difference": 8.0,
                "ci_low": -30.0,
                "ci_high": 46.0,
                "p_adjusted": 0.7,
                "verdict": "too few responses to tell",
                "mde": 40.0,
                "n_a": 12,
            },
            m(
                "NPS, customer type **B2B**: 30.0 against 22.0 for all others (+8, 95 % CI -30 to +46; "
                "adjusted p = 0.70): **too few responses to tell** (a difference below 40 cannot be detected with "
                "12 answers)."
            ),
            id="too-few-responses",
        ),
        pytest.param(
            {
                "dimension": "customer_type",
                "level": "B2B",
                "estimate_a": 100.0,
                "estimate_b": 22.0,
                "difference": 78.0,
                "ci_low": -60.0,
                "ci_high": 120.0,
                "p_adjusted": 0.9,
                "verdict": "too few responses to tell",
                "mde": 150.0,
                "n_a": 1,
            },
            m(
                "NPS, customer type **B2B**: 100.0 against 22.0 for all others (+78, 95 % CI -60 to +120; "
                "adjusted p = 0.90): **too few responses to tell** (a difference below 150 cannot be detected with "
                "1 answer)."
            ),
            id="too-few-one-answer",
        ),
    ],
)
def test_segment_sentence(fields, expected):
    assert words.segment_sentence(comparison(**fields)) == expected


def need(**fields) -> SimpleNamespace:
    base = {
        "metric": "nps",
        "meaningful_change": 5.0,
        "dimension": "region",
        "level": "Nord",
        "more_needed": 120,
        "n_a": 80,
    }
    return row(**(base | fields))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(
            {"more_needed": 0, "n_a": 400},
            "region Nord: enough answers (400) to detect a 5.0-point difference in NPS.",
            id="enough",
        ),
        pytest.param(
            {"more_needed": math.inf},
            "region Nord: a 5.0-point difference in NPS cannot be detected by adding answers in this segment alone; "
            "the other customers need more answers too.",
            id="cannot-by-adding",
        ),
        pytest.param(
            {},
            "region Nord: collect about **120 more responses** (now 80) to detect a 5.0-point difference in NPS.",
            id="more-needed",
        ),
        pytest.param(
            {"more_needed": 1},
            "region Nord: collect about **1 more response** (now 80) to detect a 5.0-point difference in NPS.",
            id="one-more",
        ),
        pytest.param(
            {"more_needed": 1500, "metric": "csat"},
            f"region Nord: collect about **1{SEP}500 more responses** (now 80) to detect a 5.0 difference in CSAT %.",
            id="csat-thousands",
        ),
        pytest.param(
            {"metric": "ces", "meaningful_change": 0.3, "dimension": "customer_type", "level": "private"},
            "customer type Private: collect about **120 more responses** (now 80) to detect a 0.30 difference in CES.",
            id="ces-two-decimals",
        ),
        pytest.param(
            {"meaningful_change": 8.0},
            "region Nord: collect about **120 more responses** (now 80) to detect an 8.0-point difference in NPS.",
            id="an-eight",
        ),
        pytest.param(
            {"meaningful_change": 11.0, "more_needed": 0},
            "region Nord: enough answers (80) to detect an 11.0-point difference in NPS.",
            id="an-eleven",
        ),
    ],
)
def test_needed_sentence(fields, expected):
    assert words.needed_sentence(need(**fields)) == expected


def segments_frame(verdicts: list[tuple[str, str, str]]) -> pd.DataFrame:
    rows = []
    for dimension, level, verdict in verdicts:
        significant = verdict.startswith("significant")
        rows.append(
            {
                "metric": "nps",
                "dimension": dimension,
                "level": level,
                "estimate_a": 30.0,
                "estimate_b": 20.0,
                "difference": 10.0 if verdict != "significant decline" else -10.0,
                "ci_low": 4.0,
                "ci_high": 16.0,
                "p_adjusted": 0.004 if significant else 0.4,
                "verdict": verdict,
                "mde": 30.0,
                "n_a": 15,
            }
        )
    return pd.DataFrame(rows)


def test_segment_summary_names_the_real_differences_and_counts_the_rest():
    segments = segments_frame(
        [
            ("region", "Nord", "significant improvement"),
            ("region", "Sør", "no detectable change"),
            ("customer_type", "B2B", "too few responses to tell"),
        ]
    )
    text = words.segment_summary_text(segments)
    head, rest = text.split("\n\nThe other ", 1)
    assert head.startswith("1 of 3 segment comparisons is unlikely to be chance:\n\n- NPS, region **Nord**")
    assert "**significantly higher**" in head and "Sør" not in head and "B2B" not in head
    assert rest.startswith("2 (customer type, region) show no difference the data can tell apart from chance: ")
    assert "1 no detectable difference" in rest and "1 too few responses to tell" in rest
    dropdown = text.split(":::{dropdown} Every segment comparison in words\n", 1)[1]
    assert dropdown.endswith("\n:::") and dropdown.count("\n- ") == 2 and dropdown.startswith("- ")


def test_segment_summary_with_a_single_comparison_left_over():
    segments = segments_frame(
        [
            ("region", "Nord", "significant improvement"),
            ("region", "Vest", "significant decline"),
            ("region", "Sør", "too few responses to tell"),
        ]
    )
    text = words.segment_summary_text(segments)
    assert text.startswith("2 of 3 segment comparisons are unlikely to be chance:\n\n- ")
    assert (
        "\n\nThe other 1 (region) shows no difference the data can tell apart from chance: 1 too few responses to tell."
        in text
    )


def test_segment_summary_without_real_differences():
    segments = segments_frame([("region", "Nord", "no detectable change"), ("region", "Sør", "no detectable change")])
    text = words.segment_summary_text(segments)
    assert text.startswith(
        "None of the 2 segment comparisons is unlikely to be chance.\n\nThe other 2 (region) show no difference "
        "the data can tell apart from chance: 2 no detectable difference."
    )


def test_segment_summary_when_every_comparison_is_real():
    segments = segments_frame(
        [("region", "Nord", "significant improvement"), ("region", "Vest", "significant decline")]
    )
    text = words.segment_summary_text(segments)
    assert text.startswith("2 of 2 segment comparisons are unlikely to be chance:")
    assert "The other" not in text and "**significantly lower**" in text


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        pytest.param(
            ["significant decline", "no detectable change", "no detectable change", "significant improvement"],
            "4 comparisons, adjusted within their families: 1 significant improvement, 1 significant decline, "
            "2 no detectable change.",
            id="mixed-in-fixed-order",
        ),
        pytest.param(
            ["too few responses to tell"],
            "1 comparison, adjusted within their families: 1 too few responses to tell.",
            id="one-comparison",
        ),
    ],
)
def test_changes_summary(verdicts, expected):
    assert words.changes_summary(pd.DataFrame({"verdict": verdicts})) == expected


@pytest.mark.parametrize(
    ("slope", "p", "alpha", "real", "expected_head"),
    [
        pytest.param(
            (-1.2, -2.0, -0.4),
            0.004,
            0.05,
            True,
            m("NPS changes by -1.2 per period on average over 8 periods (95 % CI -2.0 to -0.4; p = 0.004): "),
            id="real-fall",
        ),
        pytest.param(
            (0.8, 0.1, 1.5),
            0.03,
            0.05,
            True,
            "NPS changes by 0.8 per period on average over 8 periods (95 % CI 0.1 to 1.5; p = 0.030): ",
            id="p-0.03-at-alpha-0.05",
        ),
        pytest.param(
            (0.8, 0.1, 1.5),
            0.03,
            0.01,
            False,
            "NPS changes by 0.8 per period on average over 8 periods (95 % CI 0.1 to 1.5; p = 0.030): ",
            id="p-0.03-at-alpha-0.01",
        ),
        pytest.param(
            (0.02, -0.05, 0.09),
            0.6,
            0.05,
            False,
            m("CES (mean) changes by 0.02 per period on average over 8 periods (95 % CI -0.05 to 0.09; p = 0.60): "),
            id="ces-flat",
        ),
    ],
)
def test_trend_test_sentence(slope, p, alpha, real, expected_head):
    value, low, high = slope
    metric = "ces" if expected_head.startswith("CES") else "nps"
    trend = pd.DataFrame(
        [{"metric": metric, "slope_per_period": value, "ci_low": low, "ci_high": high, "p_value": p, "periods": 8}]
    )
    sentence = words.trend_test_sentence(trend, alpha=alpha)
    # A single score's trend is one test: its p-value is not called adjusted; the level decides the verdict.
    assert sentence.startswith(expected_head) and sentence.endswith(".")
    assert "adjusted" not in sentence
    assert ("no trend" not in sentence) is real


@pytest.mark.parametrize(
    ("cramers_v", "p", "alpha", "expected_tail"),
    [
        pytest.param(
            0.09,
            0.002,
            0.05,
            "mix differs (χ² = 14.2, df = 2, adjusted p = 0.002; Cramér's V = 0.09, weak).",
            id="weak",
        ),
        pytest.param(
            0.10,
            0.002,
            0.05,
            "mix differs (χ² = 14.2, df = 2, adjusted p = 0.002; Cramér's V = 0.10, moderate).",
            id="moderate-from-0.1",
        ),
        pytest.param(0.29, 0.002, 0.05, "Cramér's V = 0.29, moderate).", id="moderate-below-0.3"),
        pytest.param(0.30, 0.002, 0.05, "Cramér's V = 0.30, strong).", id="strong-from-0.3"),
        pytest.param(
            0.12, 0.03, 0.05, "mix differs (χ² = 14.2, df = 2, adjusted p = 0.030;", id="p-0.03-at-alpha-0.05"
        ),
        pytest.param(
            0.12,
            0.03,
            0.01,
            "mix does not differ detectably (χ² = 14.2, df = 2, adjusted p = 0.030;",
            id="p-0.03-at-alpha-0.01",
        ),
    ],
)
def test_mix_sentence(cramers_v, p, alpha, expected_tail):
    mix = pd.DataFrame(
        [{"dimension": "customer_type", "chi2": 14.23, "df": 2, "p_adjusted": p, "cramers_v": cramers_v}]
    )
    text = words.mix_sentence(mix, alpha=alpha)
    assert text.startswith("- By customer type, the promoter/passive/detractor ")
    assert expected_tail in text


def test_mix_sentence_one_bullet_per_dimension_and_none_without_tests():
    mix = pd.DataFrame(
        [
            {"dimension": "region", "chi2": 3.1, "df": 6, "p_adjusted": 0.8, "cramers_v": 0.03},
            {"dimension": "channel", "chi2": 40.0, "df": 4, "p_adjusted": 0.0001, "cramers_v": 0.35},
        ]
    )
    lines = words.mix_sentence(mix, alpha=0.05).split("\n")
    assert len(lines) == 2
    assert lines[0].startswith("- By region, the promoter/passive/detractor mix does not differ detectably")
    assert lines[1].startswith("- By channel, the promoter/passive/detractor mix differs")
    assert "adjusted p < 0.001" in lines[1]
    assert words.mix_sentence(pd.DataFrame(), alpha=0.05) == ""


# --- goals and the journey --------------------------------------------------------------------------------------


def stakeholders(goals_per_team: list[int], program_goal: str = "Keep customers loyal") -> SimpleNamespace:
    teams = [SimpleNamespace(goals=[object()] * n) for n in goals_per_team]
    return SimpleNamespace(program_goal=program_goal, teams=teams)


@pytest.mark.parametrize(
    ("goals_per_team", "program_goal", "expected"),
    [
        pytest.param(
            [1],
            "Keep customers loyal",
            "The program's goal: **Keep customers loyal**. 1 team takes part, with 1 goal between them.",
            id="one-team-one-goal",
        ),
        pytest.param(
            [2, 1],
            "Grow NPS to 40+ [2026]",
            "The program's goal: **Grow NPS to 40\\+ \\[2026\\]**. 2 teams take part, with 3 goals between them.",
            id="two-teams-escaped-goal",
        ),
    ],
)
def test_program_goal_sentence(goals_per_team, program_goal, expected):
    assert words.program_goal_sentence(stakeholders(goals_per_team, program_goal)) == expected


def goal(status: str, name: str, **fields) -> dict:
    base = {
        "team": "quality",
        "metric": "csat",
        "current": 80.0,
        "ci_low": 76.0,
        "ci_high": 84.0,
        "gap_to_target": NAN,
        "target": 80.0,
        "baseline": 70.0,
    }
    return base | fields | {"status": status, "goal": name}


def test_goal_sentences_count_each_status_then_explain_the_missing_and_the_short():
    progress = pd.DataFrame(
        [
            goal("met", "Store CSAT above 75"),
            goal("behind", "Delivery CSAT back to 80 %", current=72.4, ci_low=68.1, ci_high=76.6, gap_to_target=7.6),
            goal("not measured", "Faster returns", team="customer_service", current=NAN),
            goal("met", "Website CSAT above 70"),
            goal("on track", "Returns CSAT to 80", current=75.0, ci_low=71.0, ci_high=78.9, gap_to_target=5.0),
        ]
    )
    assert words.goal_sentences(progress) == [
        "Of 5 goals: 2 met, 1 on track, 1 behind, 1 not measured.",
        "**Faster returns** (customer\\_service) has no answers in scope: nothing measures it yet, so a listening "
        "post is missing.",
        "**Delivery CSAT back to 80 \\%** (behind): now 72 (95 % CI 68 to 77), against a baseline of 70, 7.6 short of "
        "the target 80.",
        "**Returns CSAT to 80** (on track): now 75 (95 % CI 71 to 79), up from a baseline of 70, 5.0 short of the "
        "target 80.",
    ]


def test_goal_sentences_for_a_single_goal():
    assert words.goal_sentences(pd.DataFrame([goal("too close to tell", "NPS to 30", metric="nps")])) == [
        "Of 1 goal: 1 too close to tell."
    ]


def test_gap_to_target_reads_the_side_and_whether_it_is_real():
    progress = pd.DataFrame(
        {
            "metric": ["nps", "csat", "ces", "csat"],
            "gap_to_target": [6.0, -2.5, 0.25, NAN],
            "gap_significant": [True, False, True, False],
        },
        index=[10, 11, 12, 13],
    )
    gaps = words.gap_to_target(progress)
    assert gaps.tolist() == ["6.0 short", "2.5 above (n.s.)", "0.25 short", ""]
    assert gaps.index.tolist() == [10, 11, 12, 13]


@pytest.mark.parametrize(
    ("tree", "expected"),
    [
        pytest.param(
            [("Store CSAT", "sales", "CSAT", "csat at Store", True)],
            "1 goal leads to 1 KPI, measured by 1 survey question. Every goal has a question that measures it.",
            id="one-of-each",
        ),
        pytest.param(
            [
                ("Store CSAT", "sales", "CSAT", "csat at Store", True),
                ("Delivery CSAT", "quality", "CSAT", "csat at Delivery", True),
                ("Loyalty", "leadership", "NPS", "nps", True),
            ],
            "3 goals lead to 2 KPIs, measured by 3 survey questions. Every goal has a question that measures it.",
            id="all-measured",
        ),
        pytest.param(
            [
                ("Store CSAT", "sales", "CSAT", "csat at Store", True),
                ("Faster returns", "customer_service", "CES", None, False),
            ],
            "2 goals lead to 2 KPIs, measured by 1 survey question. Nothing measures **Faster returns** "
            "(customer\\_service): no survey asks its question within its scope.",
            id="one-unmeasured",
        ),
    ],
)
def test_goal_tree_sentence(tree, expected):
    frame = pd.DataFrame(tree, columns=["goal", "team", "kpi", "question", "measured"])
    assert words.goal_tree_sentence(frame) == expected


def spots_frame(rows: list[tuple]) -> pd.DataFrame:
    columns = ["touchpoint", "estimate", "rest", "difference", "p_adjusted", "below"]
    return pd.DataFrame(rows, columns=columns).astype({"below": bool})


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [(f"T{i}", 75.0, 75.0, 0.0, 1.0, False) for i in range(8)],
            "No touchpoint scores clearly below the rest of the journey in 2025Q4, allowing for the 8 touchpoints "
            "compared.",
            id="none-of-eight",
        ),
        pytest.param(
            [("Store", 83.0, 73.4, 9.6, 0.1, False)],
            "No touchpoint scores clearly below the rest of the journey in 2025Q4, allowing for the 1 touchpoint "
            "compared.",
            id="none-of-one",
        ),
        pytest.param(
            [],
            "No touchpoint scores clearly below the rest of the journey in 2025Q4, allowing for the 0 touchpoints "
            "compared.",
            id="none-tested",
        ),
        pytest.param(
            [
                ("Returns", 66.3, 75.3, -9.0, 0.04, True),
                ("Store", 83.0, 73.4, 9.6, 0.01, False),
                ("Social_media", 60.0, 75.5, -15.5, 0.008, True),
            ],
            "Experience-failure hot spots in 2025Q4: **Social media** (CSAT (% satisfied) 60.0 against 75.5 "
            "elsewhere); **Returns** (CSAT (% satisfied) 66.3 against 75.3 elsewhere). These score lower than the rest of the journey by more than chance would explain.",
            id="two-below-worst-first",
        ),
        pytest.param(
            [("Returns", 66.3, 75.3, -9.0, 0.04, True), ("Store", 83.0, 73.4, 9.6, 0.5, False)],
            "Experience-failure hot spot in 2025Q4: **Returns** (CSAT (% satisfied) 66.3 against 75.3 elsewhere). "
            "It scores lower than the rest of the journey by more than chance would explain.",
            id="one-below",
        ),
    ],
)
def test_hot_spot_sentence(rows, expected):
    assert words.hot_spot_sentence(spots_frame(rows), "csat", "2025Q4") == expected


def journey_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["period", "touchpoint", "estimate", "rest", "p_adjusted", "hot_spot"])


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [(p, "Store", 80.0, 75.0, 0.5, False) for p in ("2025Q1", "2025Q2", "2025Q3", "2025Q4")]
            + [("2025Q4", "Returns", NAN, NAN, NAN, False)],
            "No touchpoint scored significantly below the rest of the journey in any of the 4 periods "
            "(CSAT (% satisfied), adjusted within each period).",
            id="none-in-four-periods",
        ),
        pytest.param(
            [("2025Q4", "Store", 80.0, 75.0, 0.5, False)],
            "No touchpoint scored significantly below the rest of the journey in the one period "
            "(CSAT (% satisfied), adjusted within each period).",
            id="none-in-the-one-period",
        ),
        pytest.param(
            [
                ("2025Q3", "Delivery", 54.4, 70.8, 0.0004, True),
                ("2025Q1", "Social media", 58.1, 74.9, 0.026, True),
                ("2025Q1", "Support centre", 63.7, 76.6, 0.0031, True),
                ("2025Q2", "Store", 83.0, 71.0, 0.02, False),
            ],
            "Hot spots period by period (CSAT (% satisfied), each touchpoint against the rest of the journey, "
            "adjusted within each period): 2025Q1: **Social media** (58.1 against 74.9, adjusted p = 0.026), "
            "**Support centre** (63.7 against 76.6, adjusted p = 0.003); 2025Q3: **Delivery** (54.4 against 70.8, "
            "adjusted p < 0.001).",
            id="hot-spots-by-period-in-order",
        ),
    ],
)
def test_hot_spot_history_sentence(rows, expected):
    assert words.hot_spot_history_sentence(journey_frame(rows), "csat") == expected


@pytest.mark.parametrize(
    ("gaps", "expected"),
    [
        pytest.param(
            [],
            "Every touchpoint in the journey has a listening post and enough answers to read in 2025Q4.",
            id="no-gaps",
        ),
        pytest.param(
            [("Returns", "no listening post"), ("pop_up_store", "not in the journey file")],
            "2 coverage gaps in 2025Q4: **Returns** (no listening post), **Pop up store** (not in the journey "
            "file). The program cannot see the experience there until the gap is closed.",
            id="two-gaps",
        ),
    ],
)
def test_coverage_gaps_sentence(gaps, expected):
    frame = pd.DataFrame(gaps, columns=["touchpoint", "coverage_gap"])
    assert words.coverage_gaps_sentence(frame, "2025Q4") == expected


@pytest.mark.parametrize(
    ("volume", "order", "min_n", "expected"),
    [
        pytest.param(
            [("Store", "2025Q3", 40), ("Store", "2025Q4", 3), ("Website", "2025Q4", 12)],
            ["Store", "Website", "Returns"],
            5,
            "55 responses name a touchpoint, across 2 touchpoints. No responses at: **Returns** (a coverage gap). "
            "1 touchpoint-period cell has fewer than 5 responses and cannot be read.",
            id="gap-and-thin-cell",
        ),
        pytest.param(
            [("Store", "2025Q4", 1)],
            ["Store"],
            1,
            "1 response names a touchpoint, across 1 touchpoint.",
            id="one-response",
        ),
        pytest.param(
            [],
            ["Store"],
            5,
            "0 responses name a touchpoint, across 0 touchpoints. No responses at: **Store** (a coverage gap).",
            id="no-responses",
        ),
    ],
)
def test_coverage_sentence(volume, order, min_n, expected):
    frame = pd.DataFrame(volume, columns=["touchpoint", "period", "responses"]).astype({"responses": int})
    assert words.coverage_sentence(frame, pd.DataFrame({"touchpoint": order}), min_n) == expected


def test_unknown_touchpoints_sentence_counts_each_in_singular_or_plural():
    unknown = pd.DataFrame({"touchpoint": ["pop_up_store", "Kiosk"], "responses": [1, 23]})
    assert words.unknown_touchpoints_sentence(unknown) == (
        "Touchpoints in the data that the journey file does not list: Pop up store (1 response), Kiosk "
        "(23 responses). They are counted in the scores above; add them to the journey file to place them in a stage."
    )


# --- measurement --------------------------------------------------------------------------------------------------


def summary_frame(rows: list[tuple]) -> pd.DataFrame:
    columns = ["period", "estimate", "ci_low", "ci_high", "n", "suppressed"]
    return pd.DataFrame(rows, columns=columns).astype({"suppressed": bool})


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [("2025Q3", 30.0, 10.0, 50.0, 3, True), ("2025Q4", 40.0, 20.0, 60.0, 4, True)],
            "Too few answers in every period to show this score.",
            id="every-period-suppressed",
        ),
        pytest.param([], "Too few answers in every period to show this score.", id="no-periods"),
        pytest.param(
            [("2025Q4", 23.4, 18.0, 28.0, 2391, False)],
            f"NPS 23 (95 % CI 18 to 28; n = 2{SEP}391) in 2025Q4. With 2{SEP}391 answers, values within about "
            "±5.0 points of the estimate are compatible with the data (the 95 % interval); it measures sampling "
            "error only.",
            id="one-period",
        ),
        pytest.param(
            [
                ("2025Q2", 30.0, 25.0, 35.0, 500, False),
                ("2025Q4", -4.6, -10.0, 1.0, 600, False),
                ("2025Q3", 90.0, 60.0, 99.0, 3, True),
                ("2025Q1", 20.0, 15.0, 25.0, 450, False),
            ],
            m(
                "NPS -5 (95 % CI -10 to 1; n = 600) in 2025Q4. With 600 answers, values within about ±5.5 points "
                "of the estimate are compatible with the data (the 95 % interval); it measures sampling error only. "
                "Over the periods shown it ranged from -5 to 30 (first period "
                "2025Q1: 20)."
            ),
            id="range-leaves-out-suppressed",
        ),
    ],
)
def test_trend_sentence(rows, expected):
    assert words.trend_sentence(summary_frame(rows), "nps") == expected


@pytest.mark.parametrize(
    ("tickets", "expected_tail"),
    [
        pytest.param(1, "(1 ticket).", id="one-ticket"),
        pytest.param(1250, f"({1}{SEP}250 tickets).", id="thousands"),
    ],
)
def test_response_time_sentence_reads_the_latest_period(tickets, expected_tail):
    times = pd.DataFrame(
        {
            "period": ["2025Q3", "2025Q4"],
            "median_hours": [5.0, 3.45],
            "p90_hours": [30.0, 26.0],
            "tickets": [900, tickets],
        }
    )
    assert words.response_time_sentence(times) == (
        "In 2025Q4, half of the tickets got a first answer within 3.5 hours and nine in ten within 26.0 hours "
        + expected_tail
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param(
            (31.6, 28.2, 35.1, 412),
            "In 2025Q4, 32 % of responses came with a comment (95 % CI 28 to 35 %; 412 comments).",
            id="comments",
        ),
        pytest.param(
            (20.0, NAN, NAN, 1),
            "In 2025Q4, 20 % of responses came with a comment (95 % CI – to – %; 1 comment).",
            id="one-comment-no-interval",
        ),
    ],
)
def test_comment_share_sentence(values, expected):
    share, low, high, comments = values
    by_period = pd.DataFrame(
        [
            {"period": "2025Q3", "share_commenting": 50.0, "ci_low": 40.0, "ci_high": 60.0, "comments": 99},
            {"period": "2025Q4", "share_commenting": share, "ci_low": low, "ci_high": high, "comments": comments},
        ]
    )
    assert words.comment_share_sentence(by_period) == expected


@pytest.mark.parametrize(
    ("minimum", "expected"),
    [
        pytest.param(1, "at least 1 comment in", id="one"),
        pytest.param(8, "at least 8 comments in", id="eight"),
    ],
)
def test_too_few_comments(minimum, expected):
    text = words.too_few_comments(minimum)
    assert expected in text and text.startswith("No group of customers has") and "anonymity" in text


def test_churn_sentence():
    churn = pd.Series(
        {"customers": 3000, "churned": 420, "churn": 14.0, "ci_low": 12.8, "ci_high": 15.3, "retention": 86.0}
    )
    assert words.churn_sentence(churn) == (
        f"Of 3{SEP}000 customers in the customers file, 420 left: churn 14.0 % (95 % CI 12.8 to 15.3 %), "
        "retention 86.0 %."
    )


@pytest.mark.parametrize("what", sorted(words.DATA_NAMES), ids=lambda w: f"missing-{w}")
def test_missing_data_names_what_is_missing_and_what_it_would_add(what):
    text = words.missing_data(what, "this section")
    first, second = text.split(" cannot be shown. ")
    assert first == f"This client's data has no {words.DATA_NAMES[what]}, so this section"
    assert second[0].isupper() and second.endswith(".") and not second.endswith("..")
    assert second == words.data_adds(what)


def test_missing_data_example():
    assert words.missing_data("tickets", "first-response time") == (
        "This client's data has no support-tickets file, so first-response time cannot be shown. "
        "A support-tickets file would give first-response times and complaint volumes."
    )


# --- free text ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "language", "expected"),
    [
        pytest.param(
            ["nb", None, None, None, None],
            ["nb", "da", None, None, "sv"],
            "The data gives the language of 1 comment; 1 more was recognised from their words, and 2 could not "
            "be placed (too short, or a tie between languages).",
            id="one-given-one-detected",
        ),
        pytest.param(
            None,
            ["nb", "da", "sv", "nb", "en"],
            "The data gives the language of 0 comments; 4 more were recognised from their words, and 0 could not "
            "be placed (too short, or a tie between languages).",
            id="no-language-column",
        ),
    ],
)
def test_language_sentence(given, language, expected):
    # The fifth response has no comment: its language does not count.
    responses = pd.DataFrame({"comment": ["Takk", "Tak", "Bra", "Kort", None]})
    if given is not None:
        responses["language"] = given
    assert words.language_sentence(responses, pd.Series(language)) == expected


@pytest.mark.parametrize(
    ("coded", "uncoded", "expected_tail"),
    [
        pytest.param(412, 108, "108 comments fit no theme: read", id="many-uncoded"),
        pytest.param(519, 1, "1 comment fits no theme: read", id="one-uncoded"),
    ],
)
def test_theme_coverage_sentence(coded, uncoded, expected_tail):
    coverage = pd.DataFrame(
        [
            {
                "coded": coded,
                "comments": 520,
                "share_coded": 79.2,
                "ci_low": 75.5,
                "ci_high": 82.5,
                "themes_per_comment": 1.37,
                "uncoded": uncoded,
            }
        ]
    )
    text = words.theme_coverage_sentence(coverage, 12)
    assert text.startswith(
        f"{coded} of 520 comments (79.2 %, 95 % CI 75.5 to 82.5) mention at least one of the 12 themes, "
        "1.37 themes per comment on average. "
    )
    assert expected_tail in text


def impact_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["label", "difference", "ci_low", "ci_high", "p_adjusted"])


DELIVERY = ("Delivery", -12.3, -18.0, -6.6, 0.001)
PRICE = ("Price_&_fees", -5.1, -9.0, -1.2, 0.02)
STAFF = ("Friendly staff", 8.4, 3.0, 13.8, 0.004)
QUEUE = ("Queue", -20.0, -40.0, 0.5, 0.09)


@pytest.mark.parametrize(
    ("rows", "metric", "alpha", "expected"),
    [
        pytest.param(
            [QUEUE],
            "nps",
            0.05,
            "No theme goes with an NPS clearly different from the other comments (adjusted for all themes).",
            id="none-nps",
        ),
        pytest.param(
            [],
            "csat",
            0.05,
            "No theme goes with a CSAT (% satisfied) clearly different from the other comments (adjusted for all "
            "themes).",
            id="none-csat-empty",
        ),
        pytest.param(
            [PRICE, QUEUE, DELIVERY],
            "nps",
            0.05,
            m(
                "Comments on **Delivery** (-12.3, 95 % CI -18.0 to -6.6), **Price\\_\\&\\_fees** (-5.1, 95 % CI -9.0 "
                "to -1.2) come with a clearly lower NPS than other comments (p adjusted for all themes)."
            ),
            id="lower-only-worst-first",
        ),
        pytest.param(
            [STAFF],
            "nps",
            0.05,
            "Comments on **Friendly staff** come with a clearly higher NPS than other comments (p adjusted for all "
            "themes).",
            id="higher-only",
        ),
        pytest.param(
            [STAFF, DELIVERY],
            "csat",
            0.05,
            m(
                "Comments on **Delivery** (-12.3, 95 % CI -18.0 to -6.6) come with a clearly lower CSAT (% satisfied) "
                "than other comments; comments on **Friendly staff** with a clearly higher one (p adjusted for all "
                "themes)."
            ),
            id="lower-and-higher",
        ),
        pytest.param(
            [PRICE],
            "nps",
            0.01,
            "No theme goes with an NPS clearly different from the other comments (adjusted for all themes).",
            id="p-0.02-at-alpha-0.01",
        ),
    ],
)
def test_theme_impact_sentence(rows, metric, alpha, expected):
    assert words.theme_impact_sentence(impact_frame(rows), metric, alpha=alpha) == expected


def test_theme_impact_names_at_most_three_lower_themes():
    rows = [(f"Theme {i}", -float(i), -i - 3.0, -i + 2.5, 0.001) for i in range(1, 5)]
    text = words.theme_impact_sentence(impact_frame(rows), "nps", alpha=0.05)
    assert "**Theme 4**" in text and "**Theme 2**" in text and "**Theme 1**" not in text
    assert text.index("Theme 4") < text.index("Theme 3") < text.index("Theme 2")


# --- key drivers --------------------------------------------------------------------------------------------------


def importance_frame(**extra) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "driver": ["service_quality", "responsiveness", "accessibility"],
            "share": [34.0, 22.0, 10.0],
            "share_ci_low": [28.0, 15.0, 5.0],
            "share_ci_high": [41.0, 29.0, 16.0],
            "r_squared": [0.46, 0.46, 0.46],
            "n": [812, 812, 812],
            "vif": [2.3, 1.4, 1.1],
        }
    )
    return frame.assign(**extra)


DRIVERS_LEAD = (
    "**Service quality** and **Responsiveness** matter most for NPS: together 56 % of what the attribute ratings "
    "explain. The ratings explain 46 % of the variation in the score (812 responses rating every "
    "attribute, all periods pooled)."
)


@pytest.mark.parametrize(
    ("importance", "expected"),
    [
        pytest.param(importance_frame(), DRIVERS_LEAD, id="no-bootstrap"),
        pytest.param(
            importance_frame(p_rank_first=[0.71, 0.2, 0.09], resamples=1000),
            DRIVERS_LEAD
            + f" Service quality ranks first in 71 % of 1{SEP}000 resamples of the answers: its lead over the second is "
            "not certain.",
            id="lead-not-certain",
        ),
        pytest.param(
            importance_frame(p_rank_first=[0.99, 0.01, 0.0], resamples=1000, share_ci_high=[41.0, 27.9, 16.0]),
            DRIVERS_LEAD
            + f" Service quality ranks first in 99 % of 1{SEP}000 resamples of the answers, and its interval does not "
            "overlap the second's: the lead is clear.",
            id="lead-clear",
        ),
    ],
)
def test_drivers_sentence(importance, expected):
    assert words.drivers_sentence(importance, "nps") == expected


@pytest.mark.parametrize(
    ("vif", "expected"),
    [
        pytest.param(
            [2.3, 1.4, 1.1],
            "The attributes overlap only moderately, so each one's weight can be read on its own.",
            id="below-5",
        ),
        pytest.param(
            [1.2, 5.0, 1.1],
            "Responsiveness shares much of its information with the other attributes: its weight is less certain "
            "than the others'.",
            id="at-5",
        ),
    ],
)
def test_vif_sentence(vif, expected):
    assert words.vif_sentence(importance_frame(vif=vif)) == expected
    worst = max(vif)
    assert f"largest variance inflation factor {worst:.1f}" in words.vif_caption(importance_frame(vif=vif))


def by_segment_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["dimension", "level", "driver", "rank", "skipped", "n"])


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [
                ("all", "all", "service_quality", 1, False, 812),
                ("region", "Nord", "service_quality", 1, False, 200),
                ("region", "Nord", "responsiveness", 2, False, 200),
                ("region", "Sør", "responsiveness", 1, False, 180),
                ("customer_type", "B2B", None, NAN, True, 14),
            ],
            "In 1 of 2 segments the strongest driver is the same as overall. Too few complete answers (fewer than "
            "60) for drivers within: Customer type B2B; these segments are not shown.",
            id="shown-and-skipped",
        ),
        pytest.param(
            [("all", "all", "service_quality", 1, False, 812)],
            "",
            id="overall-only",
        ),
        pytest.param(
            [("all", "all", "service_quality", 1, False, 812), ("region", "Vest", None, NAN, True, 9)],
            "Too few complete answers (fewer than 60) for drivers within: Region Vest; these segments are not shown.",
            id="skipped-only",
        ),
    ],
)
def test_segment_drivers_sentence(rows, expected):
    assert words.segment_drivers_sentence(by_segment_frame(rows), 60) == expected


def attributes_client(attributes: list[str], scores: set[str]) -> SimpleNamespace:
    return SimpleNamespace(attributes=attributes, has=lambda column: column in scores)


@pytest.mark.parametrize(
    ("client", "outcome", "complete", "expected"),
    [
        pytest.param(
            attributes_client(["service_quality"], {"nps"}),
            "nps",
            500,
            "This client's data has no attribute ratings, so the key drivers cannot be shown. Attribute ratings "
            "(such as responsiveness or service quality) would show what drives the overall score.",
            id="one-attribute",
        ),
        pytest.param(
            attributes_client(["service_quality", "responsiveness"], {"nps"}),
            "csat",
            0,
            "This client's data has no CSAT answers, so the drivers of CSAT (% satisfied) cannot be shown. A CSAT "
            "question (1-5) after interactions would show satisfaction per touchpoint.",
            id="no-outcome-score",
        ),
        pytest.param(
            attributes_client(["service_quality", "responsiveness"], {"nps"}),
            "nps",
            0,
            "No response answers both NPS and every attribute, so the drivers cannot be estimated. Ask the "
            "attribute questions in the same survey as the overall score.",
            id="no-complete-answer",
        ),
        pytest.param(
            attributes_client(["service_quality", "responsiveness"], {"nps"}),
            "nps",
            1,
            "Only 1 response answers both NPS and every attribute, so the drivers cannot be estimated. Ask the "
            "attribute questions in the same survey as the overall score.",
            id="one-complete-answer",
        ),
        pytest.param(
            attributes_client(["service_quality", "responsiveness", "engagement"], {"nps"}),
            "nps",
            3,
            "Only 3 responses answer both NPS and every attribute, so the drivers cannot be estimated. Ask the "
            "attribute questions in the same survey as the overall score.",
            id="few-complete-answers",
        ),
    ],
)
def test_drivers_unavailable(client, outcome, complete, expected):
    assert words.drivers_unavailable(client, outcome, complete) == expected


def test_small_driver_sample():
    assert words.small_driver_sample(24, 60) == (
        "The weights rest on 24 complete responses, fewer than the 60 recommended for this many attributes: read "
        "the order of the drivers as indicative."
    )


# --- revenue inputs, lifetime value, effects, actions --------------------------------------------------------------------


MONEY = Money(
    currency="EUR", customers=100, revenue_per_customer=100.0, revenue_period="year", churn_if_dissatisfied=0.95
)


def test_revenue_inputs_missing_lists_what_the_sample_would_lack(sample):
    money = sample.config.money
    no_money = sample.config.model_copy(
        update={
            "money": money.model_copy(
                update={"customers": None, "revenue_per_customer": None, "churn_if_dissatisfied": None}
            )
        }
    )
    client = edited(sample, config=no_money, customers=None, responses=sample.responses.drop(columns="csat"))
    assert words.revenue_inputs_missing(client) == (
        "Revenue at risk needs the number of customers (money.customers), revenue per customer "
        "(money.revenue_per_customer), CSAT answers, a churn probability (money.churn_if_dissatisfied, or a "
        "customers file with churn). A customers file with revenue and churn would estimate how much revenue "
        "dissatisfaction puts at risk."
    )


@pytest.mark.parametrize(
    ("money_update", "drop_customers", "drop_columns", "expected_needs"),
    [
        pytest.param({"customers": None}, False, [], "the number of customers (money.customers)", id="no-customers"),
        pytest.param({}, False, ["csat"], "CSAT answers", id="client-without-csat"),
        pytest.param(
            {"churn_if_dissatisfied": None},
            True,
            [],
            "a churn probability (money.churn_if_dissatisfied, or a customers file with churn)",
            id="no-churn-no-customers-file",
        ),
        pytest.param(
            {"churn_if_dissatisfied": None},
            False,
            ["customer_id"],
            "a churn probability (money.churn_if_dissatisfied): the customers file links too few customers to "
            "their CSAT answers to estimate it",
            id="customers-file-not-linked",
        ),
    ],
)
def test_revenue_inputs_missing_names_only_what_stops_the_estimate(
    sample, money_update, drop_customers, drop_columns, expected_needs
):
    from cxanalysis.money import revenue_at_risk_now

    config = sample.config.model_copy(update={"money": sample.config.money.model_copy(update=money_update)})
    changes = {"config": config, "responses": sample.responses.drop(columns=drop_columns)}
    if drop_customers:
        changes["customers"] = None
    client = edited(sample, **changes)
    assert revenue_at_risk_now(client) is None  # the chapter shows this note only then
    assert words.revenue_inputs_missing(client) == (
        f"Revenue at risk needs {expected_needs}. A customers file with revenue and churn would estimate how much "
        "revenue dissatisfaction puts at risk."
    )


def value_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=[
            "group",
            "lifetime_value",
            "lifetime_value_low",
            "lifetime_value_high",
            "expected_periods",
            "customers",
        ],
    )


YES = ("would buy again", 24000.0, 20000.0, 30000.0, 5.0, 60)
NO = ("would not", 4800.0, 4000.0, 6000.0, 1.0, 20)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [NO],
            "No linked customer says they would buy again, so no lifetime value is computed.",
            id="no-buyer-again",
        ),
        pytest.param(
            [YES],
            f"A customer who says they would buy again is worth about **EUR 24{SEP}000** over their time as a "
            f"customer (range 20{SEP}000 to 30{SEP}000), staying 5.0 years on average. These figures rest on the 60 "
            "customers who answered the would-buy-again question in any period (their latest answer counts); the "
            "whole base is 100 customers.",
            id="would-buy-again-only",
        ),
        pytest.param(
            [YES, NO],
            f"A customer who says they would buy again is worth about **EUR 24{SEP}000** over their time as a "
            f"customer (range 20{SEP}000 to 30{SEP}000), staying 5.0 years on average. One who says they would not "
            f"is worth EUR 4{SEP}800 (1.0 years). These figures rest on the 80 customers who answered the "
            "would-buy-again question in any period (their latest answer counts); the whole base is 100 customers.",
            id="both-groups",
        ),
    ],
)
def test_lifetime_value_sentence(rows, expected):
    assert words.lifetime_value_sentence(value_frame(rows), MONEY, "year") == expected


def test_lifetime_value_sentence_reconciles_its_customers_with_the_file():
    text = words.lifetime_value_sentence(value_frame([YES, NO]), MONEY, "year", file_customers=90)
    assert text.endswith(
        "(their latest answer counts), of the 90 in the customers file; the whole base is 100 customers."
    )


def effects_frame(rows: list[tuple]) -> pd.DataFrame:
    """Logged changes judged on their own p-value (no comparison units: one test per change and score)."""
    columns = ["action", "metric", "effect", "ci_low", "ci_high", "p_value", "method"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.assign(units=NAN, unit="", treated="", min_attainable_p=NAN, p_randomisation=NAN)


def test_effect_sentences_a_change_without_an_estimate_says_why():
    changes = effects_frame([("New returns_form", "csat", NAN, NAN, NAN, NAN, "too few answers before the change")])
    assert words.effect_sentences(changes, alpha=0.05) == [
        "**New returns\\_form** (CSAT %): too few answers before the change."
    ]


@pytest.mark.parametrize(
    ("effect", "alpha", "real", "parts"),
    [
        pytest.param(
            ("Faster replies", "nps", 6.2, 2.1, 10.3, 0.004, "its"),
            0.05,
            True,
            ["**Faster replies** (NPS)", "6.2", "2.1 to 10.3", "p = 0.004"],
            id="rise-unlikely-chance",
        ),
        pytest.param(
            ("Queue change", "csat", -4.0, -7.5, -0.5, 0.02, "its"),
            0.05,
            True,
            ["**Queue change** (CSAT %)", "4.0", m("-7.5 to -0.5"), "p = 0.020"],
            id="fall-unlikely-chance",
        ),
        pytest.param(
            ("Chat bot", "ces", 0.12, -0.05, 0.29, 0.17, "its"),
            0.05,
            False,
            ["**Chat bot** (CES)", "0.12", m("-0.05 to 0.29"), "p = 0.17"],
            id="could-be-chance-ces-two-decimals",
        ),
        pytest.param(
            ("Faster replies", "nps", 6.2, 0.8, 11.6, 0.03, "its"),
            0.05,
            True,
            ["p = 0.030"],
            id="p-0.03-at-alpha-0.05",
        ),
        pytest.param(
            ("Faster replies", "nps", 6.2, 0.8, 11.6, 0.03, "its"),
            0.01,
            False,
            ["p = 0.030"],
            id="p-0.03-at-alpha-0.01",
        ),
    ],
)
def test_effect_sentences_judge_each_change_at_the_level_given(effect, alpha, real, parts):
    [line] = words.effect_sentences(effects_frame([effect]), alpha=alpha)
    for part in parts:
        assert part in line
    assert ("unlikely to be chance" in line) is real
    assert "adjusted" not in line  # one test per change: a plain p


def test_effect_sentences_one_line_per_change_and_none_without_changes():
    changes = effects_frame(
        [("A", "nps", 6.2, 2.1, 10.3, 0.004, "its"), ("B", "csat", NAN, NAN, NAN, NAN, "no comparison group")]
    )
    assert len(words.effect_sentences(changes, alpha=0.05)) == 2
    assert words.effect_sentences(effects_frame([]), alpha=0.05) == []


def test_no_action_log_and_no_candidates_say_what_to_do():
    assert "`action_log`" in words.no_action_log() and "start date" in words.no_action_log()
    assert words.no_action_candidates().startswith("No touchpoint scores significantly below")


def plan_frame(areas: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area": areas,
            "kind": ["hot spot"] * len(areas),
            "owner": ["quality"] * len(areas),
            "due": ["2026-03-31"] * len(areas),
            "metric_to_watch": ["CSAT % at Delivery"] * len(areas),
            "current": [54.4] * len(areas),
            "target": [65.0] * len(areas),
            "responses_needed": [1240] * len(areas),
        }
    )


@pytest.mark.parametrize(
    ("areas", "expected_head"),
    [
        pytest.param(["Delivery"], "1 candidate action. First: **Delivery**", id="one-action"),
        pytest.param(["Delivery", "Returns", "Store"], "3 candidate actions. First: **Delivery**", id="three-actions"),
    ],
)
def test_action_plan_sentence(areas, expected_head):
    assert words.action_plan_sentence(plan_frame(areas), MONEY) == (
        f"{expected_head} (hot spot), owned by quality, due Mar 31, 2026: move CSAT \\% at Delivery from 54 to "
        f"65; verifying it takes about 1{SEP}240 answers before and after."
    )


# --- monitoring ---------------------------------------------------------------------------------------------------


def chart_frame(shares: list[float], signals: list[str], grain: str = "month") -> pd.DataFrame:
    """A p-chart as :func:`cxanalysis.monitoring.p_chart` returns it: one row per period, limits at 3 sigma."""
    label = (lambda i: f"2025-{i + 1:02d}") if grain == "month" else (lambda i: f"2025-W{i + 1:02d}")
    return pd.DataFrame(
        {
            "period": [label(i) for i in range(len(shares))],
            "n": 400,
            "share": shares,
            "centre": 18.44,
            "lower_limit": 12.6,
            "upper_limit": 24.3,
            "signal": signals,
            "chart": "p",
            "sigma_z": NAN,
        }
    )


@pytest.mark.parametrize(
    ("chart", "grain", "head", "signal_parts"),
    [
        pytest.param(
            chart_frame([18.0] * 12, [""] * 12),
            "month",
            "Detractors: centre line 18.4 % over 12 months. ",
            [],
            id="no-signal",
        ),
        pytest.param(
            chart_frame([18.0, 18.0, 27.1, 18.0, 9.8], ["", "", "above", "", "below"]),
            "month",
            "Detractors: centre line 18.4 % over 5 months. ",
            ["2025-03", "above", "27.1 %", "2025-05", "below", "9.8 %"],
            id="signals",
        ),
        pytest.param(
            chart_frame([18.0], [""], grain="week"),
            "week",
            "Detractors: centre line 18.4 % over 1 week. ",
            [],
            id="one-week",
        ),
    ],
)
def test_control_sentence(chart, grain, head, signal_parts):
    text = words.control_sentence(chart, "Detractors", grain)
    assert text.startswith(head)
    if not signal_parts:
        assert text.endswith(f"Every {grain} lies within its control limits: ordinary variation, no signal.")
        return
    assert "no signal" not in text
    # Each signalling period with its side of the limits and its share, in the chart's order; no other period.
    first, second = text.split(signal_parts[3])
    assert signal_parts[0] in first and all(part in first.split(signal_parts[0])[1] for part in signal_parts[1:3])
    assert all(part in second for part in signal_parts[4:])
    assert "2025-01" not in text and "2025-04" not in text


def warning_frame(slope: tuple[float, float, float], p: float, warning: bool) -> pd.DataFrame:
    value, low, high = slope
    return pd.DataFrame(
        [
            {
                "slope_per_period": value,
                "first_month": "2025-04",
                "last_month": "2025-12",
                "ci_low": low,
                "ci_high": high,
                "p_value": p,
                "warning": warning,
            }
        ]
    )


def signals_frame(count: int) -> pd.DataFrame:
    """Points outside their limits as :func:`cxanalysis.monitoring.alerts` lists them."""
    return pd.DataFrame(
        {
            "chart": ["Detractors"] * count,
            "period": [f"2025-0{i + 3}" for i in range(count)],
            "share": 27.1,
            "lower_limit": 12.6,
            "upper_limit": 24.3,
            "signal": "above",
            "chart_type": "p",
        }
    )


@pytest.mark.parametrize(
    ("signals", "warning", "head", "parts"),
    [
        pytest.param(
            0,
            pd.DataFrame(),
            "No point lies outside its control limits. ",
            ["Too few months of NPS for the early warning."],
            id="calm-too-few-months",
        ),
        pytest.param(
            2,
            warning_frame((-1.4, -2.3, -0.5), 0.006, True),
            "2 point",
            [
                "**Early warning: NPS is falling**",
                m("-1.4 NPS points a month from 2025-04 to 2025-12 (95 % CI -2.3 to -0.5; p = 0.006)"),
                "Find the cause before it shows in a quarter.",
            ],
            id="signals-and-warning",
        ),
        pytest.param(
            0,
            warning_frame((-0.3, -1.1, 0.5), 0.4, False),
            "No point lies outside its control limits. ",
            [
                "No early warning: NPS changes by "
                + m("-0.3 NPS points a month from 2025-04 to 2025-12 (95 % CI -1.1 to 0.5; p = 0.40)")
            ],
            id="no-warning",
        ),
    ],
)
def test_alerts_sentence(signals, warning, head, parts):
    text = words.alerts_sentence(signals_frame(signals), warning)
    assert text.startswith(head)
    for part in parts:
        assert part in text
    # The early warning is one trend test: its p-value is never called adjusted.
    assert "adjusted" not in text
    assert ("Early warning" in text) is (not warning.empty and bool(warning["warning"].iloc[0]))


@pytest.mark.parametrize(
    ("goals_per_team", "latest", "expected_head"),
    [
        pytest.param(None, "2025Q4", "Review the scores at least every half year", id="no-stakeholders"),
        pytest.param([1], "2025Q4", "Review the 1 team goal at least every half year", id="one-goal"),
        pytest.param([2, 1], "2025Q4", "Review the 3 team goals at least every half year", id="three-goals"),
    ],
)
def test_review_rhythm(goals_per_team, latest, expected_head):
    client = SimpleNamespace(
        stakeholders=None if goals_per_team is None else stakeholders(goals_per_team), latest_period=latest
    )
    assert words.review_rhythm(client) == (
        f"{expected_head}; rebuild this book after every period (next: 2026Q1) so each team reports its results from "
        "the same numbers, and compare each new point with the control limits above before reacting to it."
    )


def test_review_rhythm_names_the_next_month():
    client = SimpleNamespace(stakeholders=None, latest_period="2025-12")
    assert "(next: 2026-01)" in words.review_rhythm(client)


# --- data accounting and reproducibility ---------------------------------------------------------------------------


def accounting_frame(rows: list[tuple[int, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["read", "valid", "quarantined"])


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [(2400, 2395, 5), (3600, 3597, 3)],
            f"Of **6{SEP}000 rows** read from 2 files, **5{SEP}992** are valid and **8** quarantined (0.1 %). "
            "Read = valid + quarantined holds for every file.",
            id="two-files",
        ),
        pytest.param(
            [(40, 30, 10)],
            "Of **40 rows** read from 1 file, **30** are valid and **10** quarantined (25.0 %). "
            "Read = valid + quarantined holds for every file.",
            id="one-file",
        ),
        pytest.param(
            [(1, 1, 0)],
            "Of **1 row** read from 1 file, **1** is valid and **0** quarantined (0.0 %). "
            "Read = valid + quarantined holds for every file.",
            id="one-row",
        ),
        pytest.param(
            [(0, 0, 0)],
            "Of **0 rows** read from 1 file, **0** are valid and **0** quarantined (0.0 %). "
            "Read = valid + quarantined holds for every file.",
            id="empty-file",
        ),
    ],
)
def test_accounting_sentence(rows, expected):
    assert words.accounting_sentence(accounting_frame(rows)) == expected


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [(2400, 2395, 5), (3600, 3597, 3)],
            f"**Data**: 6{SEP}000 rows read from 2 files, 5{SEP}992 used, 8 quarantined with a reason (data-quality "
            "appendix).",
            id="two-files",
        ),
        pytest.param(
            [(40, 30, 10)],
            "**Data**: 40 rows read from 1 file, 30 used, 10 quarantined with a reason (data-quality appendix).",
            id="one-file",
        ),
    ],
)
def test_glance_data(rows, expected):
    assert words.glance_data(accounting_frame(rows)) == expected


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            [("relational_nps.csv", "read day first; 2 Excel serial dates"), ("customers.csv", "")],
            "- **relational\\_nps\\.csv**: read day first\n- **relational\\_nps\\.csv**: 2 Excel serial dates",
            id="notes-split-and-escaped",
        ),
        pytest.param([("customers.csv", ""), ("tickets.csv", " ; ")], "", id="no-notes"),
    ],
)
def test_reading_notes(files, expected):
    assert words.reading_notes(pd.DataFrame(files, columns=["file", "notes"])) == expected


@pytest.mark.parametrize(
    ("rows", "expected_head"),
    [
        pytest.param([1], "**1 row** gave 1 text answer to a score", id="one-row-one-answer"),
        pytest.param([4, 7, 1], "**12 rows** gave 3 text answers to a score", id="many"),
    ],
)
def test_unknown_labels_sentence(rows, expected_head):
    text = words.unknown_labels_sentence(pd.DataFrame({"rows": rows}))
    assert text.startswith(expected_head + " that no label map knows, so they were quarantined rather than guessed.")
    assert "`answer_labels`" in text


def record(inputs: list[int | None], command: str | None, commit: str | None, edition: str) -> dict:
    return {
        "inputs": [{"rows": rows} for rows in inputs],
        "template": {"cxanalysis": "0.1.0", "commit": commit},
        "command": command,
        "edition": edition,
        "built_at": "2026-03-04T14:05:00+01:00",
        "python": "3.12.3",
    }


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        pytest.param(
            record([2400, None], "cxanalysis build client.yml", "0123456789abcdef", "client"),
            "Built on **Mar 4, 2026 at 13:05 UTC** with `cxanalysis build client.yml`, by cxanalysis 0.1.0 (commit "
            f"0123456789) on Python 3.12.3, from 1 data file (2{SEP}400 rows read) and 1 configuration file.",
            id="one-of-each-in-utc",
        ),
        pytest.param(
            record([2400, 3600, None, None, None], None, None, "teaching"),
            "Built on **Mar 4, 2026 at 13:05 UTC** by Jupyter Book from the repository, not by `cxanalysis build`, "
            f"by cxanalysis 0.1.0 on Python 3.12.3, from 2 data files (6{SEP}000 rows read) and 3 configuration "
            "files. This is the teaching edition, with the code and exercises shown.",
            id="plural-no-command-teaching",
        ),
        pytest.param(
            record([10], "cxanalysis build `x`.yml", None, "client"),
            "Built on **Mar 4, 2026 at 13:05 UTC** with `cxanalysis build x.yml`, by cxanalysis 0.1.0 on Python "
            "3.12.3, from 1 data file (10 rows read) and 0 configuration files.",
            id="backtick-cannot-end-the-code-span",
        ),
    ],
)
def test_build_record_sentence(build, expected):
    assert words.build_record_sentence(build) == expected


# --- at a glance ----------------------------------------------------------------------------------------------------


TOP_DRIVERS = pd.DataFrame(
    {
        "driver": ["service_quality", "responsiveness"],
        "share": [34.0, 22.0],
        "share_ci_low": [27.0, 15.0],
        "share_ci_high": [41.0, 29.0],
    }
)


@pytest.mark.parametrize(
    ("drivers_sample", "expected_tail"),
    [
        pytest.param(DriverSample(812, 6), "(chapter 6).", id="enough-answers"),
        pytest.param(DriverSample(24, 6), "(chapter 6; indicative, from 24 complete answers).", id="indicative"),
    ],
)
def test_glance_drivers(drivers_sample, expected_tail):
    assert words.glance_drivers(TOP_DRIVERS, "nps", drivers_sample) == (
        "**Drivers of NPS**: Service quality 34 % (27 to 41), Responsiveness 22 % (15 to 29), as shares of the "
        "influence the rated attributes have on it " + expected_tail
    )


@pytest.mark.parametrize(
    ("rows", "alpha", "expected"),
    [
        pytest.param(
            [("Staff", 6.0, 0.001), ("Queue", -20.0, 0.2)],
            0.05,
            "**Complaint themes**: no theme goes with a clearly lower score (chapter 4).",
            id="none",
        ),
        pytest.param(
            [
                ("Price", -8.0, 0.01),
                ("Delivery", -12.0, 0.001),
                ("Staff", 6.0, 0.001),
                ("Wait", -6.0, 0.02),
                ("Tone", -3.0, 0.04),
            ],
            0.05,
            m(
                "**Complaint themes**: Delivery (-12), Price (-8), Wait (-6) NPS points against other comments, "
                "all periods (chapter 4)."
            ),
            id="three-lowest",
        ),
        pytest.param(
            [("Price", -8.0, 0.03)],
            0.05,
            m("**Complaint themes**: Price (-8) NPS points against other comments, all periods (chapter 4)."),
            id="p-0.03-at-alpha-0.05",
        ),
        pytest.param(
            [("Price", -8.0, 0.03)],
            0.01,
            "**Complaint themes**: no theme goes with a clearly lower score (chapter 4).",
            id="p-0.03-at-alpha-0.01",
        ),
    ],
)
def test_glance_themes(rows, alpha, expected):
    impact = pd.DataFrame(rows, columns=["label", "difference", "p_adjusted"]).assign(theme=lambda f: f["label"])
    assert words.glance_themes(impact, "nps", alpha=alpha) == expected


def test_glance_themes_names_a_theme_nobody_mentions_in_the_latest_period():
    impact = pd.DataFrame({"theme": ["price"], "label": ["Price"], "difference": [-8.0], "p_adjusted": [0.01]})
    text = words.glance_themes(impact, "nps", alpha=0.05, silent=frozenset({"price"}), period="2025Q4")
    assert text.startswith(m("**Complaint themes**: Price (-8; not mentioned in 2025Q4) NPS points"))


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [("2025Q4", "Store", 80.0, 75.0, 0.5, False)],
            "**Hot spots**: none in 2025Q4 (chapter 2).",
            id="none",
        ),
        pytest.param(
            [
                ("2025Q4", "Delivery", 54.4, 70.8, 0.0004, True),
                ("2025Q2", "Returns", 59.8, 74.6, 0.02, True),
                ("2025Q3", "Support_centre", 63.7, 76.6, 0.003, True),
            ],
            "**Hot spots**: Delivery (CSAT 54 against 71) in 2025Q4; earlier: Support centre 2025Q3, Returns 2025Q2 "
            "(chapter 2).",
            id="now-and-earlier",
        ),
        pytest.param(
            [(f"2025Q{q}", f"T{q}", 60.0, 75.0, 0.01, True) for q in (1, 2, 3)]
            + [("2024Q4", "T0", 60.0, 75.0, 0.01, True), ("2025Q4", "Store", 80.0, 75.0, 0.5, False)],
            "**Hot spots**: none in 2025Q4; earlier: T3 2025Q3, T2 2025Q2, T1 2025Q1 (chapter 2).",
            id="three-most-recent-earlier",
        ),
    ],
)
def test_glance_hot_spots(rows, expected):
    assert words.glance_hot_spots(journey_frame(rows), "2025Q4") == expected


# --- the report's scope (on the sample client) ------------------------------------------------------------------------


def test_scope_sentence_on_the_sample(sample):
    responses = sample.responses
    n = f"{len(responses):,}".replace(",", SEP)
    assert len(responses) > 1000  # the thousands separator is tested here too
    assert words.scope_sentence(sample) == (
        f"This report covers **{n} responses** from Nordlys Retail's customers, 2025Q1 to 2025Q4, from these "
        "surveys: After\\-purchase survey, After\\-support survey, Relationship survey. The latest period is **2025Q4**."
    )


def test_scope_sentence_for_a_single_period_and_a_single_response(sample):
    latest = sample.responses[sample.responses["period"] == "2025Q4"]
    one = edited(sample, responses=latest.iloc[:1], periods=["2025Q4"])
    survey = words.escape_markdown(words.display_value("survey", latest["survey"].iloc[0]))
    assert words.scope_sentence(one) == (
        f"This report covers **1 response** from Nordlys Retail's customers, 2025Q4, from these surveys: {survey}. "
        "The latest period is **2025Q4**."
    )


def test_scope_line_counts_the_latest_period(sample):
    latest = int((sample.responses["period"] == "2025Q4").sum())
    count = f"{latest:,}".replace(",", SEP)
    assert latest > 1000 and words.scope_line(sample) == f"Nordlys Retail, 2025Q4, {count} responses"
    one = edited(
        sample,
        responses=pd.concat(
            [
                sample.responses[sample.responses["period"] != "2025Q4"],
                sample.responses[sample.responses["period"] == "2025Q4"].iloc[:1],
            ]
        ),
    )
    assert words.scope_line(one) == "Nordlys Retail, 2025Q4, 1 response"


# --- revenue at risk ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [(2_312_366.0, "2,310,000"), (91_306.45, "91,300"), (950.0, "950"), (0.0, "0"), (float("nan"), "–")],
)
def test_money_amounts_show_three_significant_figures(value, shown):
    assert words.money_amount(value) == shown


def test_revenue_sentence_names_its_inputs_and_interval(sample):
    from cxanalysis import money

    risk = money.revenue_at_risk_now(sample)
    text = words.revenue_sentence(risk, sample.config.money, sample.latest_period)
    at_risk = risk.value("revenue at risk")
    assert f"NOK {words.money_amount(at_risk['estimate'])}" in text
    assert f"95 % CI {words.money_amount(at_risk['ci_low'])} to {words.money_amount(at_risk['ci_high'])}" in text
    assert f"dissatisfaction adds {words.number(100 * risk.churn.added, 1)} percentage points" in text
    assert "yearly revenue" in text and sample.latest_period in text
    glance = words.glance_revenue(risk, sample.config.money)
    assert glance.startswith("**Revenue at risk**: NOK ") and "(chapter 7)" in glance


def test_risk_inputs_table_names_every_quantity(sample):
    from cxanalysis import money

    shown = words.risk_inputs_table(money.revenue_at_risk_now(sample).table)
    assert shown["quantity"].notna().all() and len(shown) == 5
    assert all(" to " in cell for cell in shown.iloc[:, 1])  # every quantity has its interval from the customers file


def test_the_headline_statement_says_goals_the_change_that_matters_and_the_first_thing_to_do():
    progress = pd.DataFrame(
        {
            "goal": ["Raise NPS to 30", "CES 5.5", "Store CSAT 85"],
            "metric": ["nps", "ces", "csat"],
            "status": ["behind", "on track", "too close to tell"],
            "current": [13.7, 5.25, 83.1],
            "target": [30.0, 5.5, 85.0],
            "gap_to_target": [16.3, 0.25, 1.9],
        }
    )
    headline = pd.DataFrame(
        {
            "metric": ["nps", "csat"],
            "change": [-6.6, 6.6],
            "change_kind": ["change", "rebound"],
            "change_verdict": ["too few answers to tell", "back from an unusual low"],
        }
    )
    plan = pd.DataFrame(
        {
            "rank": ["1=", "1=", "3"],
            "initiative": [words.TO_BE_DEFINED, "Call back within a day", "Track parcels"],
            "area": ["Delivery", "Support", "Delivery"],
            "owner": ["", "Customer service", "Logistics"],
            "due": ["2026-06-30"] * 3,
        }
    )
    assert words.headline_statement(progress, headline, plan) == (
        "1 of 3 goals is on track or met and 1 is behind; 1 is too close to tell; furthest behind: "
        "**Raise NPS to 30** at 14 against 30. Since the previous period, CSAT (% satisfied) is back from an "
        "unusual low. "
        "First to do: an initiative on Delivery (by Jun 30, 2026), level with 1 other."
    )
    real = headline.assign(change_kind="change", change_verdict=["likely a real fall", "could well be chance"])
    assert "Since the previous period, NPS fell, likely a real fall." in words.headline_statement(progress, real, plan)
    calm = headline.assign(change_kind="change", change_verdict="could well be chance")
    assert words.headline_statement(progress.iloc[0:0], calm, plan.iloc[0:0]) == (
        "Since the previous period, no headline score moved clearly. No action stands out from this data yet "
        "(chapter 7)."
    )


def test_the_clients_display_names_come_before_the_default_names():
    presentation.set_display_names({"relational_nps": "Relationship <survey>", "E": "E-mail"})
    try:
        assert words.display_value("survey", "relational_nps") == "Relationship <survey>"
        assert words.display_value("channel", "E") == "E-mail"
        assert words.display_value("survey", "after_purchase") == "After purchase"
        assert words.display_value("language", "sv") == "Swedish"
        assert words.display_value("method", "adjusted-wald") == "adjusted Wald"
    finally:
        presentation.set_display_names({})


def test_revenue_weighted_churn_is_named_in_the_sentence_and_the_churn_table(sample):
    from cxanalysis import money

    risk = money.revenue_at_risk_now(sample)
    assert risk.churn.weighting == "revenue"
    text = words.revenue_sentence(risk, sample.config.money, sample.latest_period)
    taken = words.number(100 * risk.churn.measured_dissatisfied, 1)
    assert f"was not satisfied took {taken} % of their revenue with them" in text
    assert "churn weighted by revenue" in text
    glance = words.glance_revenue(risk, sample.config.money)
    assert "percentage points of churn (weighted by revenue) a year" in glance
    shown, layout = words.churn_table(risk.churn, "quarter", "year", sample.latest_period)
    assert layout["columns"][-2:] == ["revenue_lost_next_quarter", "revenue_lost_over_a_year"]
    assert set(layout["columns"]) <= set(shown.columns)
    for low, high in layout["intervals"].values():
        assert {low, high} <= set(shown.columns)


@pytest.mark.parametrize("grain", ["month", "week"])
def test_a_control_charts_title_caption_and_toggle_name_its_period(grain):
    chart = pd.DataFrame({"chart": ["p"], "sigma_z": [0.8]})
    texts = words.control_chart_texts("Detractors", grain, chart)
    assert texts["title"] == f"Detractors by {grain}"
    assert texts["caption"].startswith(f"Detractors: answers, count and share per {grain} with the control limits")
    assert texts["toggle"] == f"Show the {grain}ly values"
