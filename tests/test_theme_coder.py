"""The theme coder codes every comment exactly as reading its `word/lemma` tokens with one regex per theme does.

The reference below is that reading, one comment at a time: the comment as
`word/lemma` tokens, one regular expression per term (a word as written or,
in its dictionary form, through its lemma; ``prefix*``; a phrase of words in
a row), searched in each comment. :func:`cxanalysis.themes.code_comments`
reads all comments at once and must give the same table, cell for cell, on
the sample client's comments, the hand-labelled comments and random texts
built from the taxonomy's own terms.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cxanalysis as cx
from cxanalysis import themes

REPO = Path(__file__).resolve().parents[1]
LABELLED = REPO / "tests" / "data" / "comments_labelled.csv"
WORD = re.compile(r"\w+(?:[-'’]\w+)*")


# --------------------------------------------------------------------------
# The reference: one regex search per comment and theme
# --------------------------------------------------------------------------


def reference_tokens(text: str, language: str) -> str:
    return " ".join(f"{word}/{themes._lemma(word, language)}" for word in WORD.findall(text.casefold()))


def reference_pattern(term: str, language: str) -> str:
    parts = []
    for word in WORD.findall(term.casefold()) if "*" not in term else term.casefold().split():
        if word.endswith("*"):
            parts.append(re.escape(word.rstrip("*")) + r"[^\s/]*/\S*")
        else:
            lemma = f"|[^\\s/]*/{re.escape(word)}" if themes._lemma(word, language) == word else ""
            parts.append(rf"(?:{re.escape(word)}/\S*{lemma})")
    return r"(?<!\S)" + " ".join(parts) + r"(?!\S)"


def reference_coding(comments: pd.Series, taxonomy: dict, languages: pd.Series | None = None) -> pd.DataFrame:
    coding = themes.comment_coding(comments, taxonomy, languages)
    rows = coding.index[coding["coded"]]
    text = comments.loc[rows].astype(str)
    by_language = coding.loc[rows, "coding_language"]
    result = pd.DataFrame(False, index=rows, columns=list(taxonomy), dtype=bool)
    for language in by_language.unique():
        inside = by_language.index[by_language == language]
        words = [reference_tokens(value, language) for value in text.loc[inside]]
        for theme_id, theme in taxonomy.items():
            terms = theme.terms_for(language)
            if terms:
                pattern = re.compile("|".join(reference_pattern(term, language) for term in terms))
                result.loc[inside, theme_id] = [pattern.search(value) is not None for value in words]
    used = [theme_id for theme_id, theme in taxonomy.items() if any(theme.terms_for(lang) for lang in themes.LANGUAGES)]
    return result[used]


def assert_codes_as_reference(comments: pd.Series, taxonomy: dict, languages: pd.Series | None = None) -> pd.DataFrame:
    coded = themes.code_comments(comments, taxonomy, languages)
    pd.testing.assert_frame_equal(coded, reference_coding(comments, taxonomy, languages))
    return coded


# --------------------------------------------------------------------------
# Texts built from the taxonomy's own terms
# --------------------------------------------------------------------------

ENDINGS = ["", "", "", "s", "en", "et", "er", "ene", "te", "de", "ed", "ing", "a", "ar", "arna", "orna", "n", "t"]
GLUE = [" ", " ", " ", "  ", ", ", ". ", "! ", "? ", "-", "'", "’", " - ", "\n", "\t", " (", ") ", "/", ": ", "…"]
FILLER = {
    "en": ["the", "it", "was", "not", "and", "too", "very", "didn't", "we're", "e-mail", "2", "hours", "3rd"],
    "nb": ["det", "var", "ikke", "og", "for", "altfor", "e-post", "e-postene", "ble", "kom", "lever", "i løpet av"],
    "da": ["det", "var", "ikke", "og", "alt", "for", "e-mail", "blev", "kom", "tit", "jeres", "butik", "sød"],
    "sv": ["det", "var", "inte", "och", "för", "alldeles", "e-post", "blev", "kom", "mycket", "väldigt", "då"],
}
#: Terms a client might write that test the edges of a term's reading.
ODD_TERMS = {
    "en": ["E-mail", "didn't", "24/7 supp*", "*", "on   hold", "wait*ing", "e-*", "3rd party", "(slow)", "!!!", ""],
    "nb": ["tok lang tid, før", "kunne produkt*", "leverte", "levere", "e-post*", "Nettbutikk*", "lang tid før*"],
    "da": ["tog lang tid, før*", "kendte produkt*", "leveret", "levere", "pakke", "pakken kom*", "fik*"],
    "sv": ["kunde produkt*", "leverans*", "leverera", "paket", "paketet kom", "väntetid* på", "ö*"],
}


def term_words(taxonomy: dict, language: str) -> list[str]:
    """The words of every term of ``language``, stripped of their stars, with the odd terms' words."""
    terms = [term for theme in taxonomy.values() for term in theme.terms_for(language)] + ODD_TERMS[language]
    return sorted({word.rstrip("*") for term in terms for word in term.casefold().split() if word.rstrip("*")})


def random_texts(taxonomy: dict, count: int, seed: int) -> tuple[pd.Series, pd.Series]:
    """Texts in the four languages: the terms' words and phrases, inflected, cased and glued in every way."""
    rng = np.random.default_rng(seed)
    texts, languages = [], []
    for _ in range(count):
        language = str(rng.choice(themes.LANGUAGES))
        vocabulary = term_words(taxonomy, language)
        phrases = [term.replace("*", "") for theme in taxonomy.values() for term in theme.terms_for(language)]
        parts = []
        for _ in range(int(rng.integers(0, 12))):
            kind = rng.random()
            if kind < 0.45:
                word = str(rng.choice(vocabulary)) + str(rng.choice(ENDINGS))
            elif kind < 0.65:
                word = str(rng.choice(phrases))
            elif kind < 0.9:
                word = str(rng.choice(FILLER[language]))
            else:
                word = str(rng.choice(vocabulary))[: int(rng.integers(1, 6))]
            case = rng.random()
            word = word.upper() if case < 0.1 else word.capitalize() if case < 0.25 else word
            parts.append(word + str(rng.choice(GLUE)))
        texts.append("".join(parts).strip() if rng.random() < 0.8 else "".join(parts))
        languages.append(language)
    return pd.Series(texts), pd.Series(languages)


@functools.cache
def odd_taxonomy() -> dict:
    """The shipped taxonomy with a theme of odd terms in every language, and one for every language."""
    taxonomy = dict(themes.load_taxonomy())
    taxonomy["odd"] = themes.Theme(label="Odd", **ODD_TERMS)
    taxonomy["everywhere"] = themes.Theme(label="Everywhere", terms=["pris*", "app", "kund service"])
    taxonomy["no_terms"] = themes.Theme(label="No terms")
    return taxonomy


# --------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return cx.open_client(None)


def test_the_sample_clients_comments_are_coded_as_the_reference_codes_them(sample):
    comments = sample.responses.loc[sample.responses["comment"].notna(), "comment"]
    coded = assert_codes_as_reference(comments, sample.taxonomy, sample.comment_coding["language"])
    assert len(coded) > 100 and coded.to_numpy().any()
    pd.testing.assert_frame_equal(sample.coded_comments, coded)


def test_the_benchmarks_recombined_comments_are_coded_as_the_earlier_coder_codes_them(sample):
    spec = importlib.util.spec_from_file_location("theme_coding", REPO / "benchmarks" / "theme_coding.py")
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    result = benchmark.run(2_000, sources=benchmark.source_comments(sample))  # asserts the same table inside
    assert result["distinct"] == 2_000 and result["mentions"] > 1_000
    assert result["new_seconds"] > 0 and result["old_seconds"] > 0


def test_the_labelled_comments_are_coded_as_the_reference_codes_them():
    labelled = pd.read_csv(LABELLED, keep_default_na=False, dtype=str)
    coded = assert_codes_as_reference(labelled["comment"], themes.load_taxonomy(), labelled["language"])
    assert coded.to_numpy().sum() > 100
    detected = assert_codes_as_reference(labelled["comment"], odd_taxonomy())
    assert 0 < len(detected) < len(labelled)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_texts_of_the_taxonomys_terms_are_coded_as_the_reference_codes_them(seed):
    taxonomy = odd_taxonomy()
    texts, languages = random_texts(taxonomy, 3_000, seed)
    coded = assert_codes_as_reference(texts, taxonomy, languages)
    mentions = coded.sum()
    assert (mentions[[theme for theme in taxonomy if theme != "no_terms"]] > 0).all()
    assert (mentions < len(coded)).all()


def test_odd_index_empty_texts_and_other_languages_are_coded_as_the_reference_codes_them():
    taxonomy = odd_taxonomy()
    comments = pd.Series(
        ["", "   ", "!!!", "E-MAIL 24/7 support", "Olá", None, "wait", "\x00kunne produktene\x00", "…", "X"],
        index=pd.Index([10, 3, 7, 99, -1, 5, 42, 8, 0, 1], name="response"),
    )
    languages = pd.Series(["en", "nb", "en", "en", "pt", "en", "sv", "nn", "da", pd.NA], index=comments.index)
    coded = assert_codes_as_reference(comments, taxonomy, languages)
    assert coded.index.name == "response"
    assert coded.loc[[10, 7, 3], "odd"].tolist() == [True, True, False]  # English has a term with no words
    assert bool(coded.loc[8, "competence"])
    spaces = pd.Series(["Pakken\u2028kom\xa0sent", "pakken\u3000kom\x1fsent", "pakken\u200bkom sent"])
    assert_codes_as_reference(spaces, taxonomy, pd.Series(["nb", "nb", "nb"]))
    assert_codes_as_reference(pd.Series([], dtype=object), taxonomy, pd.Series([], dtype="string"))
    assert_codes_as_reference(comments, {}, languages)


def test_each_comments_words_are_read_in_order_by_arrow_and_by_python():
    """Arrow splits the texts where it can; Python does for a text with a lone surrogate (no UTF-8 holds one)."""
    texts, _ = random_texts(odd_taxonomy(), 500, 4)
    texts = [*texts, "pakken kom \udcff sent", "\udcffpakken", "", " \t\n", "a\u2028b\xa0c\u3000d\x1fe"]
    expected = [WORD.findall(text.casefold()) for text in texts]
    arrow = pa.array(texts[:-5] + texts[-3:], type=pa.large_string())
    for tokens, wanted in [
        (themes._Tokens(texts, "nb"), expected),
        (themes._Tokens(arrow, "nb"), expected[:-5] + expected[-3:]),
    ]:
        words = np.array(list(tokens.index), dtype=object)
        read = [words[tokens.codes[tokens.comment == i]].tolist() for i in range(len(wanted))]
        assert read == wanted
        assert tokens.empty.tolist() == [not words for words in wanted]


def test_a_phrase_split_between_two_comments_is_not_read_in_either():
    taxonomy = odd_taxonomy()
    texts, languages = [], []
    for language in themes.LANGUAGES:
        for theme in taxonomy.values():
            for term in theme.terms_for(language):
                words = term.replace("*", "").split()
                for cut in range(1, len(words)):
                    texts += [" ".join(words[:cut]), " ".join(words[cut:]), "; ".join(words)]
                    languages += [language] * 3
    coded = assert_codes_as_reference(pd.Series(texts), taxonomy, pd.Series(languages))
    assert len(coded) > 300


def test_a_lemma_that_is_not_one_token_is_read_as_the_reference_reads_it(monkeypatch):
    """No dictionary gives one, but a lemma with a space or slash codes the comment as its tokens read."""
    lemma = themes._lemma

    def odd_lemma(word: str, language: str) -> str:
        return {"pakken": "pakke kom", "kom": "kom/sent", "sent": "sen t"}.get(word, lemma(word, language))

    monkeypatch.setattr(themes, "_lemma", odd_lemma)
    taxonomy = {
        "delivery": themes.Theme(label="Delivery", nb=["pakke", "kom sent", "sen*", "t"]),
        "other": themes.Theme(label="Other", nb=["kom", "pakken kom", "kom/sent", "ikke"]),
    }
    comments = pd.Series(["Pakken kom sent", "pakken", "kom", "sent", "Pakken kom ikke"])
    coded = assert_codes_as_reference(comments, taxonomy, pd.Series(["nb"] * 5))
    assert coded.to_numpy().any()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(themes.LANGUAGES),
            st.lists(
                st.one_of(
                    st.sampled_from(["levering", "Leveringen", "lever", "lever ikke", "pakke", "pakken", "kø"]),
                    st.sampled_from(["waited", "On hold", "took too long", "e-mail", "didn't", "reply", "priser"]),
                    st.sampled_from(["väntade", "kön", "svarstiden", "pris", "kundservice", "leveransen"]),
                    st.text(alphabet="aeklnoprstvæøå -'’.,/*\x00", max_size=8),
                ),
                max_size=8,
            ),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_any_texts_are_coded_as_the_reference_codes_them(rows):
    taxonomy = odd_taxonomy()
    comments = pd.Series([" ".join(words) for _, words in rows])
    languages = pd.Series([language for language, _ in rows])
    assert_codes_as_reference(comments, taxonomy, languages)
