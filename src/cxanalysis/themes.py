"""Free-text themes: a taxonomy as configuration, multi-label coding, language, coverage and impact."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import Field, RootModel

from .compare import compare_estimates
from .config import StrictModel, read_yaml, validate_model
from .metrics import METRIC_KINDS, estimates_from_statistics, metric_statistics, wilson_interval
from .significance import adjust_p_values

DEFAULT_TAXONOMY = Path(__file__).with_name("themes.yml")
LANGUAGES = ("en", "nb", "da", "sv")


class Theme(StrictModel):
    label: str
    en: list[str] = Field(default_factory=list)
    nb: list[str] = Field(default_factory=list)
    da: list[str] = Field(default_factory=list)
    sv: list[str] = Field(default_factory=list)

    def terms(self) -> list[str]:
        return [term for language in LANGUAGES for term in getattr(self, language)]


class Taxonomy(RootModel[dict[str, Theme]]):
    """Themes by id, each with a label and its terms per language."""


def load_taxonomy(path: str | Path | None = None) -> dict[str, Theme]:
    """The client's theme taxonomy, or the shipped default when ``path`` is None."""
    path = Path(path) if path is not None else DEFAULT_TAXONOMY
    data = read_yaml(path)
    return validate_model(Taxonomy, data, path).root


def term_pattern(term: str) -> str:
    """A regular expression for one taxonomy term, at word boundaries.

    >>> term_pattern("lever*")
    '(?<!\\\\w)lever\\\\w*(?!\\\\w)'
    >>> bool(re.search(term_pattern("took too long"), "it took  too long", re.I))
    True
    """
    words = [re.escape(word.rstrip("*")) + (r"\w*" if word.endswith("*") else "") for word in term.split()]
    return r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"


def code_comments(comments: pd.Series, taxonomy: dict[str, Theme]) -> pd.DataFrame:
    """One boolean column per theme: does the comment mention it? Missing comments mention nothing."""
    text = comments.astype("string").fillna("")
    coded = {
        theme_id: text.str.contains(
            "|".join(term_pattern(t) for t in theme.terms()), flags=re.IGNORECASE, regex=True
        ).astype(bool)
        for theme_id, theme in taxonomy.items()
        if theme.terms()
    }
    return pd.DataFrame(coded, index=comments.index)


# Short words that are common in one of the four languages and rare in the others.
_LANGUAGE_MARKERS = {
    "en": "the and was is it my of not very with you they too this that have were are get got could",
    "nb": "ikke jeg og meg deg av veldig etter fikk hadde noe hva ble altfor ingenting hele tiden enn fortsatt "
    "uke mye nå hjelp lenge lett tok dere hos gjerne greit kjøp leter trengte sa",
    "da": "ikke jeg og mig dig af meget efter fik havde noget hvad blev alt for slet hver stadig længe være "
    "uge nu hjælp let tog jer gerne køb leder skulle fortalte nem svær",
    "sv": "inte jag och mig dig av mycket efter fick hade något vad blev alldeles för är att ingen fortfarande "
    "vecka nu hjälp länge lätt tog ni gärna köp letar behövde sa bra",
}
_LANGUAGE_LETTERS = {"en": "", "nb": "", "da": "æ", "sv": "äö"}


def detect_language(comments: pd.Series, prior: tuple[str, ...] = ()) -> pd.Series:
    """A guess of each comment's language among en, nb, da and sv, from marker words and letters.

    Each language scores one point per marker word found and half a point
    per letter typical of it; the highest score wins. A tie goes to the
    language listed first in ``prior`` (the client's usual languages, most
    common first); comments with no marker, or a tie no prior settles, give
    <NA>, never a guess.

    >>> detect_language(pd.Series(["Jag väntade för länge", "Jeg ventede alt for længe", "Took too long"])).tolist()
    ['sv', 'da', 'en']
    >>> detect_language(pd.Series(["Jeg liker appen"]), prior=("nb", "da")).tolist()
    ['nb']
    """
    text = comments.astype("string").fillna("").str.lower()
    scores = {}
    for language, words in _LANGUAGE_MARKERS.items():
        score = text.str.count(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words.split()) + r")(?!\w)")
        if _LANGUAGE_LETTERS[language]:
            score = score + 0.5 * text.str.count(f"[{_LANGUAGE_LETTERS[language]}]")
        scores[language] = score.astype(float)
    table = pd.DataFrame(scores)
    best = table.max(axis=1)
    leaders = table.eq(best, axis=0) & (best > 0).to_numpy()[:, None]
    guess = pd.Series(pd.NA, index=comments.index, dtype="string")
    alone = leaders.sum(axis=1) == 1
    guess[alone] = leaders[alone].idxmax(axis=1)
    for language in reversed([p for p in prior if p in table]):
        settled = ~alone & leaders[language]
        guess[settled] = language
    return guess


def comment_languages(responses: pd.DataFrame) -> pd.Series:
    """Each comment's language: as the data gives it, else detected (ties go to the most common given one)."""
    commented = responses["comment"].notna()
    given = responses.get("language", pd.Series(pd.NA, index=responses.index)).astype("string")
    prior = tuple(given[commented].value_counts().index)
    detected = detect_language(responses.loc[commented & given.isna(), "comment"], prior=prior)
    return given.fillna(detected).where(commented)


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
    keys = [responses.loc[coded.index, column].astype("string").fillna("not given") for column in by]
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
    long["label"] = long["theme"].map({k: t.label for k, t in taxonomy.items()})
    return long.drop(columns=["_"], errors="ignore")


def theme_share_table(
    responses: pd.DataFrame, coded: pd.DataFrame, taxonomy: dict[str, Theme], by: str
) -> pd.DataFrame:
    """Themes as rows, the levels of ``by`` as columns: share of the level's comments mentioning the theme (%)."""
    shares = theme_frequency(responses, coded, taxonomy, [by])
    wide = shares.pivot(index="label", columns=by, values="share")
    order = [taxonomy[t].label for t in coded.columns]
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
    result.insert(1, "label", result["theme"].map({k: t.label for k, t in taxonomy.items()}))
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
    comments on the theme; their text was redacted when loaded and is escaped when shown.
    """
    latest = responses.loc[coded.index, "period"] == responses["period"].max()
    frames = []
    for theme_id, mentioned in coded.items():
        pool = responses.loc[mentioned.index[mentioned & latest], ["touchpoint", "comment"]]
        if len(pool) < min_comments:
            continue
        chosen = pool.sample(min(per_theme, len(pool)), random_state=seed)
        frames.append(
            pd.DataFrame(
                {
                    "theme": taxonomy[theme_id].label,
                    "comments_on_theme": len(pool),
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
