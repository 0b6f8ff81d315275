"""Free-text themes: a taxonomy as configuration, multi-label coding, language, coverage and impact."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field, RootModel

from . import presentation
from .compare import compare_estimates
from .config import StrictModel, read_yaml, validate_model
from .metrics import METRIC_KINDS, estimates_from_statistics, metric_statistics, wilson_interval
from .significance import adjust_p_values
from .translation import _

DEFAULT_TAXONOMY = Path(__file__).with_name("themes.yml")
#: The languages a taxonomy gives terms in. Nynorsk (nn) and Norwegian without a written standard (no) are coded
#: with the Bokmål (nb) terms.
LANGUAGES = ("en", "nb", "da", "sv")
CODING_LANGUAGE = {"en": "en", "nb": "nb", "nn": "nb", "no": "nb", "da": "da", "sv": "sv"}
#: The languages detection chooses among: the taxonomy's and the common others of Nordic customers. A short
#: comment fits several Nordic languages; the fewer candidates, the fewer wrong guesses.
DETECTED_LANGUAGES = ("en", "nb", "nn", "da", "sv", "de", "fr", "es", "pt", "it", "nl", "fi", "pl")
#: A detected language counts when its probability reaches this; below it the language is not told.
MIN_CONFIDENCE = 0.3
#: Dictionaries for lemmas, per coding language (Bokmål first, then Nynorsk, for Norwegian comments).
_LEMMA_LANGUAGES = {"en": ("en",), "nb": ("nb", "nn"), "da": ("da",), "sv": ("sv",)}


class Theme(StrictModel):
    """A theme's label and its terms: per language, and ``terms`` for every language."""

    label: str
    labels: dict[str, str] = Field(default_factory=dict)
    terms: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)
    nb: list[str] = Field(default_factory=list)
    da: list[str] = Field(default_factory=list)
    sv: list[str] = Field(default_factory=list)

    def shown_label(self) -> str:
        """The theme's name in the report language (:func:`cxanalysis.presentation.language`), else ``label``."""
        return self.labels.get(presentation.language()) or self.label

    def terms_for(self, language: str) -> list[str]:
        """The terms that code a comment in ``language`` (a code of :data:`LANGUAGES`)."""
        return [*self.terms, *getattr(self, language)]


class Taxonomy(RootModel[dict[str, Theme]]):
    """Themes by id, each with a label and its terms per language."""


def load_taxonomy(path: str | Path | None = None) -> dict[str, Theme]:
    """The client's theme taxonomy, or the shipped default when ``path`` is None."""
    path = Path(path) if path is not None else DEFAULT_TAXONOMY
    data = read_yaml(path)
    return validate_model(Taxonomy, data, path).root


def taxonomy_languages(taxonomy: dict[str, Theme]) -> tuple[str, ...]:
    """The languages whose comments the taxonomy codes: those some theme has terms for (all, with ``terms``)."""
    if any(theme.terms for theme in taxonomy.values()):
        return LANGUAGES
    return tuple(lang for lang in LANGUAGES if any(getattr(theme, lang) for theme in taxonomy.values()))


# --------------------------------------------------------------------------
# Language
# --------------------------------------------------------------------------

_CODE = re.compile(r"([a-z]{2,3})(?:[-_][a-z]{4})?(?:[-_](?:[a-z]{2}|\d{3}))?")


@functools.cache
def _language_names() -> dict[str, str]:
    """Language names (in English, the Nordic languages and each language itself) and ISO 639-2 codes."""
    from babel import Locale

    names: dict[str, str] = {}
    for code in ("en", "nb", "nn", "da", "sv", "fi", "de", "fr", "es"):
        for key, name in Locale.parse(code).languages.items():
            if "_" not in key:
                names.setdefault(name.casefold(), key)
    for code in DETECTED_LANGUAGES:
        names.setdefault(str(Locale.parse(code).get_language_name(code)).casefold(), code)
    names.update({"norsk": "nb", "bokmål": "nb", "norwegian": "nb", "eng": "en", "nob": "nb", "nno": "nn"})
    names.update({"nor": "nb", "dan": "da", "swe": "sv", "por": "pt", "deu": "de", "ger": "de", "fin": "fi"})
    return names


@functools.cache
def language_code(value: str) -> str | None:
    """A language column's value as a language code: nb-NO, NO, Norsk and norsk bokmål give nb.

    Norwegian without a written standard (no) is read as Bokmål, what nearly all Norwegian comments are.

    >>> [language_code(v) for v in ["nb-NO", "no", "nn", "sv_SE", "English", "Svenska", "eng", "Ola"]]
    ['nb', 'nb', 'nn', 'sv', 'en', 'sv', 'en', None]
    """
    text = " ".join(str(value).split()).casefold()
    if text in _language_names():
        code: str | None = _language_names()[text]
    else:
        match = _CODE.fullmatch(text)
        code = match.group(1) if match and len(match.group(1)) == 2 else None
    return "nb" if code == "no" else code


@functools.cache
def _identifier():
    """py3langid's model (shipped in its wheel, read once), choosing among :data:`DETECTED_LANGUAGES`."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([{"nb": "no"}.get(code, code) for code in DETECTED_LANGUAGES])
    return identifier


def detect_language(comments: pd.Series, prior: Mapping[str, float] | None = None) -> pd.Series:
    """A guess of each comment's language among :data:`DETECTED_LANGUAGES`, by py3langid; <NA> when not told.

    ``prior`` (the client's languages with their share of the comments
    whose language the data gives) weighs the candidates, half by those
    shares and half evenly, so a short comment that reads as Norwegian or
    Danish goes to the language the client's customers write in. A comment
    whose best language stays below :data:`MIN_CONFIDENCE`, or that has no
    letters, gives <NA>, never a guess. Each distinct text is read once.

    >>> detect_language(pd.Series(["Jag väntade för länge på svar", "Jeg ventede alt for længe på svar",
    ...                            "Took far too long", "A encomenda chegou atrasada", "!!"])).tolist()
    ['sv', 'da', 'en', 'pt', <NA>]
    """
    identifier = _identifier()
    order = [{"no": "nb"}.get(code, code) for code in identifier.nb_classes]
    weights = np.ones(len(order))
    if prior:
        total = sum(prior.values())
        shares = np.array([prior.get(code, 0) / total for code in order]) if total else np.zeros(len(order))
        weights = 0.5 * shares + 0.5 / len(order)
    text = comments.astype("string")
    distinct = text.dropna().unique()
    found: dict[str, object] = {}
    for value in distinct:
        if not re.search(r"[^\W\d_]", value):
            found[value] = pd.NA
            continue
        scores = identifier._decide(value) * weights
        best = int(scores.argmax())
        found[value] = order[best] if scores[best] / scores.sum() >= MIN_CONFIDENCE else pd.NA
    return text.map(found).astype("string")


def comment_languages(responses: pd.DataFrame) -> pd.Series:
    """Each comment's language code: as the data gives it, else detected (weighed by the given languages)."""
    commented = responses["comment"].notna()
    raw = responses.get("language", pd.Series(pd.NA, index=responses.index)).astype("string")
    given = raw.map(language_code, na_action="ignore").astype("string")
    prior = given[commented].value_counts().to_dict()
    detected = detect_language(responses.loc[commented & given.isna(), "comment"], prior=prior)
    return given.fillna(detected).where(commented).astype("string")


# --------------------------------------------------------------------------
# Coding
# --------------------------------------------------------------------------

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
#: A lemma with whitespace or a slash would not read as one `word/lemma` token: such comments are coded
#: with :func:`term_pattern` itself (no dictionary of simplemma has one).
_IRREGULAR_LEMMA = re.compile(r"[\s/]")


@functools.cache
def _lemma(word: str, language: str) -> str:
    import simplemma

    return str(simplemma.lemmatize(word, lang=_LEMMA_LANGUAGES[language])).casefold()


def _words(text: str, language: str) -> str:
    """The comment as `word/lemma` tokens, one space apart, for :func:`term_pattern`."""
    return " ".join(f"{word}/{_lemma(word, language)}" for word in _WORD.findall(text.casefold()))


def _term_words(term: str) -> list[str]:
    """A term's words, in a row: its words, or (with a * in it) its parts between spaces."""
    return _WORD.findall(term.casefold()) if "*" not in term else term.casefold().split()


def term_pattern(term: str, language: str = "en") -> str:
    """A regular expression for one taxonomy term, over a comment's `word/lemma` tokens.

    A word of the term in its dictionary form (a lemma: levere, pakke)
    matches the comment's words of that lemma, in every inflected form; a
    word in another form (e-postene) matches only as written; a trailing *
    stands for any ending of the word as written. A phrase matches its
    words in a row. :func:`code_comments` applies the same rules to all
    comments at once.

    >>> words = _words("Leveringen kom, men han lever ikke opp til det", "nb")
    >>> [bool(re.search(term_pattern(t, "nb"), words)) for t in ["levering", "levere", "lever*", "lever ikke"]]
    [True, False, True, True]
    """
    parts = []
    for word in _term_words(term):
        if word.endswith("*"):
            parts.append(re.escape(word.rstrip("*")) + r"[^\s/]*/\S*")
        else:
            lemma = f"|[^\\s/]*/{re.escape(word)}" if _lemma(word, language) == word else ""
            parts.append(rf"(?:{re.escape(word)}/\S*{lemma})")
    return r"(?<!\S)" + " ".join(parts) + r"(?!\S)"


@functools.cache
def _theme_regex(terms: tuple[str, ...], language: str) -> re.Pattern[str] | None:
    return re.compile("|".join(term_pattern(term, language) for term in terms)) if terms else None


class _Tokens:
    """The words of many comments in one language, as codes into their distinct words.

    ``codes`` holds the comments' words in order, ``comment`` the comment
    (0, 1, ...) of each. Each distinct word is lemmatised once. Arrow splits
    each text into runs between whitespace (Python's own split, for texts
    Arrow cannot hold), and each distinct run is read into words once:
    whitespace is never part of a word, so the words of a text are those of
    its runs in turn.
    """

    def __init__(self, texts: pa.Array | list[str], language: str):
        if isinstance(texts, list):
            split = [text.split() for text in texts]
            run_codes, distinct = pd.factorize(np.array([run for runs in split for run in runs], dtype=object))
            distinct_runs = list(distinct)
            runs_per_comment = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
        else:
            runs = pc.utf8_split_whitespace(texts)
            encoded = pc.dictionary_encode(pc.list_flatten(runs))
            run_codes = encoded.indices.to_numpy(zero_copy_only=False)
            distinct_runs = encoded.dictionary.to_pylist()
            runs_per_comment = pc.list_value_length(runs).to_numpy(zero_copy_only=False)
        index: dict[str, int] = {}
        per_run = [
            [index.setdefault(word, len(index)) for word in _WORD.findall(run.casefold())] for run in distinct_runs
        ]
        lengths = np.fromiter(map(len, per_run), dtype=np.int64, count=len(per_run))
        flat = np.fromiter((code for words in per_run for code in words), dtype=np.int64, count=int(lengths.sum()))
        starts = np.cumsum(lengths) - lengths
        taken = lengths[run_codes]
        first = np.cumsum(taken) - taken
        position = np.repeat(starts[run_codes] - first, taken) + np.arange(int(taken.sum()), dtype=np.int64)
        self.codes = flat[position]
        self.size = len(texts)
        self.comment = np.repeat(np.repeat(np.arange(self.size), runs_per_comment), taken)
        self.index = index
        self.lemmas = [_lemma(word, language) for word in index]
        self.by_lemma: dict[str, list[int]] = {}
        for code, lemma in enumerate(self.lemmas):
            self.by_lemma.setdefault(lemma, []).append(code)
        self.ordered = sorted(index)
        self.order = np.array([index[word] for word in self.ordered], dtype=np.int64)
        self.language = language
        self.empty = np.bincount(self.comment, minlength=self.size) == 0

    def irregular(self) -> np.ndarray:
        """The comments with a word whose lemma does not read as one token (none, with simplemma's dictionaries)."""
        odd = np.array([_IRREGULAR_LEMMA.search(lemma) is not None for lemma in self.lemmas], dtype=bool)
        found = np.zeros(self.size, dtype=bool)
        found[self.comment[odd[self.codes]]] = True
        return found

    def matching(self, words: list[str]) -> np.ndarray:
        """Which distinct words match any of ``words`` (each one word of a term).

        A word as written matches itself; a word in its dictionary form
        also matches every word of that lemma; ``prefix*`` matches the words
        starting with the prefix, a run of the words in sorted order.
        """
        found = np.zeros(len(self.index), dtype=bool)
        for word in words:
            if word.endswith("*"):
                prefix = word.rstrip("*")
                # No word holds U+10FFFF (not a letter or digit): the words starting with prefix sort before it.
                first, end = (bisect.bisect_left(self.ordered, bound) for bound in (prefix, prefix + "\U0010ffff"))
                found[self.order[first:end]] = True
                continue
            if word in self.index:
                found[self.index[word]] = True
            if _lemma(word, self.language) == word:
                found[self.by_lemma.get(word, [])] = True
        return found

    def mention(self, terms: list[str]) -> np.ndarray:
        """Which comments mention any of ``terms``: a word, a ``prefix*``, or a phrase of words in a row."""
        found = np.zeros(self.size, dtype=bool)
        phrases = [_term_words(term) for term in terms]
        singles = [words[0] for words in phrases if len(words) == 1]
        if singles:
            found[self.comment[self.matching(singles)[self.codes]]] = True
        for words in phrases:
            if not words:  # a term with no words reads only in a comment with none
                found |= self.empty
            elif len(words) > 1:
                at = np.flatnonzero(self.matching(words[:1])[self.codes[: max(len(self.codes) - len(words) + 1, 0)]])
                for step, word in enumerate(words[1:], start=1):  # the next word, in the same comment
                    then = at + step
                    at = at[self.matching([word])[self.codes[then]] & (self.comment[then] == self.comment[at])]
                found[self.comment[at]] = True
        return found


def comment_coding(comments: pd.Series, taxonomy: dict[str, Theme], languages: pd.Series | None = None) -> pd.DataFrame:
    """Each comment's language (given in ``languages``, else detected) and whether the taxonomy codes it.

    A comment is coded when its language is one the taxonomy has terms in
    (Nynorsk counts as Bokmål); a comment in another language, or whose
    language cannot be told, is not coded: no theme is read into it.
    """
    text = comments.astype("string")
    language = pd.Series(pd.NA, index=comments.index, dtype="string")
    if languages is not None:
        language = languages.reindex(comments.index).astype("string")
    missing = language.isna() & text.notna()
    if missing.any():
        language[missing] = detect_language(text[missing])
    coding = language.map(CODING_LANGUAGE, na_action="ignore").astype("string")
    coded = coding.isin(taxonomy_languages(taxonomy)).fillna(False).astype(bool) & text.notna()
    return pd.DataFrame({"language": language, "coding_language": coding.where(coded), "coded": coded})


def code_comments(comments: pd.Series, taxonomy: dict[str, Theme], languages: pd.Series | None = None) -> pd.DataFrame:
    """One boolean column per theme for each coded comment: does the comment mention it?

    Only the terms of the comment's language count (see
    :func:`comment_coding`); comments that are not coded are left out of
    the rows, so every share of comments is a share of the coded comments.
    ``languages`` gives each comment's language code where known; the rest
    are detected. The terms read as :func:`term_pattern` reads them, over
    all comments of a language at once: each distinct word is lemmatised
    once and each term's words are looked up among the distinct words.
    """
    coding = comment_coding(comments, taxonomy, languages)
    rows = coding.index[coding["coded"]]
    values = comments.loc[rows].astype(str)
    try:
        text: pa.Array | None = pa.array(values, type=pa.large_string())
    except UnicodeEncodeError:  # a lone surrogate, which UTF-8 cannot hold
        text = None
    by_language = coding.loc[rows, "coding_language"].to_numpy()
    found = np.zeros((len(rows), len(taxonomy)), dtype=bool)
    for language in pd.unique(by_language):
        inside = np.flatnonzero(by_language == language)
        tokens = _Tokens(text.take(inside) if text is not None else values.iloc[inside].tolist(), language)
        for column, theme in enumerate(taxonomy.values()):
            found[inside, column] = tokens.mention(theme.terms_for(language))
        for at in inside[tokens.irregular()]:
            words = _words(values.iloc[at], language)
            for column, theme in enumerate(taxonomy.values()):
                pattern = _theme_regex(tuple(theme.terms_for(language)), language)
                found[at, column] = pattern is not None and pattern.search(words) is not None
    result = pd.DataFrame(found, index=rows, columns=list(taxonomy))
    used = [theme_id for theme_id, theme in taxonomy.items() if any(theme.terms_for(lang) for lang in LANGUAGES)]
    return result[used]


def not_coded(coding: pd.DataFrame) -> pd.Series:
    """Comments left uncoded per language (from :func:`comment_coding`), "not told" for an unknown language."""
    left = coding.loc[~coding["coded"], "language"].fillna("not told")
    return left.value_counts()


def theme_coverage(coded: pd.DataFrame) -> pd.DataFrame:
    """Comments, how many carry at least one theme, and the coded share with a Wilson 95 % interval."""
    comments = len(coded)
    covered = int(coded.any(axis=1).sum()) if comments else 0
    share = covered / comments if comments else np.nan
    low, high = wilson_interval(np.array([share]), np.array([comments])) if comments else ([np.nan], [np.nan])
    return pd.DataFrame(
        [
            {
                "comments": comments,
                "coded": covered,
                "uncoded": comments - covered,
                "share_coded": 100 * share,
                "ci_low": 100 * low[0],
                "ci_high": 100 * high[0],
                "themes_per_comment": float(coded.sum(axis=1).mean()) if comments else np.nan,
            }
        ]
    )


def theme_frequency(
    responses: pd.DataFrame, coded: pd.DataFrame, taxonomy: dict[str, Theme], by: list[str] | None = None
) -> pd.DataFrame:
    """Mentions of each theme per group, as a count and a share of the group's comments (Wilson 95 % CI)."""
    by = list(by or [])
    keys = [responses.loc[coded.index, column].astype("string").fillna(_("not given")) for column in by]
    grouped = coded.groupby(keys, sort=True) if by else coded.groupby(np.zeros(len(coded)))
    mentions = grouped.sum()
    comments = grouped.size()
    long = mentions.stack().rename("mentions").reset_index()
    long.columns = [*by, "theme", "mentions"] if by else ["_", "theme", "mentions"]
    if len(by) > 1:
        long["comments"] = comments.reindex(pd.MultiIndex.from_frame(long[by])).to_numpy()
    else:
        long["comments"] = long[by[0]].map(comments) if by else len(coded)
    share = long["mentions"] / long["comments"]
    low, high = wilson_interval(share.to_numpy(), long["comments"].to_numpy())
    long["share"], long["ci_low"], long["ci_high"] = 100 * share, 100 * low, 100 * high
    long["label"] = long["theme"].map({k: t.shown_label() for k, t in taxonomy.items()})
    return long.drop(columns=["_"], errors="ignore")


def theme_share_table(
    responses: pd.DataFrame, coded: pd.DataFrame, taxonomy: dict[str, Theme], by: str
) -> pd.DataFrame:
    """Themes as rows, the levels of ``by`` as columns: share of the level's comments mentioning the theme (%)."""
    shares = theme_frequency(responses, coded, taxonomy, [by])
    wide = shares.pivot(index="label", columns=by, values="share")
    order = [taxonomy[t].shown_label() for t in coded.columns]
    return wide.reindex(order).rename_axis(columns=None).reset_index().rename(columns={"label": "theme"})


def theme_impact(
    responses: pd.DataFrame,
    coded: pd.DataFrame,
    taxonomy: dict[str, Theme],
    metric: str,
    *,
    min_n: int,
    scales: dict | None = None,
    adjust: str = "holm",
) -> pd.DataFrame:
    """The metric among comments mentioning each theme against the other comments, adjusted across themes.

    Only responses that comment and answer the metric count, so the
    comparison is between customers who wrote something: writing a comment
    at all goes with stronger feelings, which this keeps out of the
    difference. One aggregation pass: each theme's sums come from the
    mentions, the rest's from all commenters minus the theme's.
    """
    score = METRIC_KINDS[metric][0]
    answered = responses.loc[coded.index][responses.loc[coded.index, score].notna()]
    mentions = coded.loc[answered.index]
    long = mentions.stack()
    long = long[long].index.to_frame(index=False, name=["row", "theme"])
    if long.empty:
        return pd.DataFrame()
    rows = answered.loc[long["row"]].assign(theme=long["theme"].to_numpy())
    inside = metric_statistics(rows, metric, ["theme"], scales=scales)
    total = metric_statistics(answered, metric, [], scales=scales)
    rest = total.drop(columns=[c for c in total.columns if c not in inside.columns]).iloc[[0] * len(inside)]
    rest = rest.reset_index(drop=True) - inside.drop(columns=["theme"]).reset_index(drop=True)
    result = compare_estimates(
        estimates_from_statistics(inside, metric).reset_index(drop=True),
        estimates_from_statistics(rest, metric).reset_index(drop=True),
        metric,
    )
    result.insert(0, "theme", inside["theme"].astype(str).to_numpy())
    result.insert(1, "label", result["theme"].map({k: t.shown_label() for k, t in taxonomy.items()}))
    result["metric"] = metric
    result = result[(result["n_a"] >= min_n) & (result["n_b"] >= min_n)].reset_index(drop=True)
    result["p_adjusted"] = adjust_p_values(result["p_value"], adjust)
    return result.sort_values("difference", ignore_index=True)


def theme_summary(frequency: pd.DataFrame, impacts: list[pd.DataFrame]) -> pd.DataFrame:
    """Each theme's overall frequency with its impact on each metric: the book's themes.csv.

    ``frequency`` is :func:`theme_frequency` without groups; each table of
    ``impacts`` is :func:`theme_impact` for one metric, whose columns join
    with the metric's name in front (nps_difference, nps_p_adjusted, ...).
    """
    summary = frequency.copy()
    for impact in impacts:
        if impact.empty:
            continue
        metric = impact["metric"].iloc[0]
        columns = impact[["theme", "difference", "ci_low", "ci_high", "p_adjusted"]].set_index("theme")
        summary = summary.merge(columns.add_prefix(f"{metric}_"), left_on="theme", right_index=True, how="left")
    return summary


def same_text_key(comments: pd.Series) -> pd.Series:
    """A key under which two comments that read the same (case, spacing, end punctuation aside) are one."""
    return comments.astype("string").str.casefold().str.replace(r"[\W_]+", " ", regex=True).str.strip()


def theme_examples(
    responses: pd.DataFrame,
    coded: pd.DataFrame,
    taxonomy: dict[str, Theme],
    *,
    per_theme: int,
    min_comments: int,
    seed: int = 1,
) -> pd.DataFrame:
    """Up to ``per_theme`` redacted comments per theme, only for themes with at least ``min_comments``.

    The examples are drawn at random (seeded) from the latest period's
    comments on the theme, those about this theme alone first (a comment on
    delivery that mentions a return in passing is not the example of
    Returns), and no text is shown twice in the table. Their text was
    redacted when loaded and is escaped when shown.
    """
    latest = responses.loc[coded.index, "period"] == responses["period"].max()
    themes_per_comment = coded.sum(axis=1)
    shown: set[str] = set()
    frames = []
    for theme_id, mentioned in coded.items():
        on_theme = mentioned.index[mentioned & latest]
        if len(on_theme) < min_comments:
            continue
        pool = responses.loc[on_theme, ["touchpoint", "comment"]].assign(
            other_themes=themes_per_comment[on_theme] - 1, text_key=same_text_key(responses.loc[on_theme, "comment"])
        )
        pool = pool[~pool["text_key"].isin(shown)].drop_duplicates("text_key")
        chosen = pool.sample(frac=1, random_state=seed).sort_values("other_themes", kind="stable").head(per_theme)
        shown.update(chosen["text_key"])
        frames.append(
            pd.DataFrame(
                {
                    "theme": taxonomy[theme_id].shown_label(),
                    "comments_on_theme": len(on_theme),
                    "touchpoint": chosen["touchpoint"].astype("string").fillna("relationship").to_numpy(),
                    "comment": chosen["comment"].to_numpy(),
                }
            )
        )
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["theme", "comments_on_theme", "touchpoint", "comment"])
    )
