"""Benchmark: coding comments with themes, all comments at once against one regex search per comment and theme.

Run: .venv/bin/python benchmarks/theme_coding.py [--comments 300000] [--seed 1]

Builds distinct synthetic comments in English, Norwegian Bokmål, Danish and
Swedish from the sample client's comments and the hand-labelled comments in
tests/data (each one a source comment's words shuffled, some swapped for
words of other comments in its language, by a seeded NumPy generator), codes
them with the shipped taxonomy by cxanalysis.themes.code_comments and by the
earlier coder (each comment as `word/lemma` tokens, one regex search per
theme), checks that both give the same table, and prints the time of each
in microseconds per comment and their ratio. Each run lemmatises its
distinct words afresh (the lemma cache is emptied before it; simplemma's
dictionaries are loaded beforehand).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cxanalysis import open_client, themes

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "data" / "comments_labelled.csv"


def source_comments(client=None) -> pd.DataFrame:
    """The sample client's comments and the labelled ones, with their coding language (en, nb, da or sv)."""
    client = client if client is not None else open_client(None)
    comments = client.responses.loc[client.responses["comment"].notna(), "comment"].astype(str)
    sample = pd.DataFrame({"comment": comments, "language": client.comment_coding["language"].reindex(comments.index)})
    labelled = pd.read_csv(LABELLED, keep_default_na=False, dtype=str)[["comment", "language"]]
    frame = pd.concat([sample, labelled], ignore_index=True)
    frame["language"] = frame["language"].map(themes.CODING_LANGUAGE)
    return frame[frame["language"].isin(themes.LANGUAGES)].reset_index(drop=True)


def synthetic_comments(count: int, sources: pd.DataFrame, seed: int = 1) -> tuple[pd.Series, pd.Series]:
    """``count`` distinct comments, a quarter in each language, recombined from the words of ``sources``."""
    rng = np.random.default_rng(seed)
    pools = {lang: group["comment"].str.split().tolist() for lang, group in sources.groupby("language")}
    vocabulary = {lang: [word for words in pool for word in words] for lang, pool in pools.items()}
    seen: set[str] = set()
    texts, languages = [], []
    while len(texts) < count:
        for language in themes.LANGUAGES:
            pool, words = pools[language], vocabulary[language]
            chosen = list(pool[int(rng.integers(len(pool)))])
            rng.shuffle(chosen)
            for _ in range(int(rng.integers(1, 4))):
                chosen[int(rng.integers(len(chosen)))] = words[int(rng.integers(len(words)))]
            text = " ".join(chosen)
            if text not in seen:
                seen.add(text)
                texts.append(text)
                languages.append(language)
    return pd.Series(texts[:count], name="comment"), pd.Series(languages[:count], name="language")


def earlier_code_comments(comments: pd.Series, taxonomy: dict, languages: pd.Series) -> pd.DataFrame:
    """The earlier coder: each comment as `word/lemma` tokens, then one regex search per theme."""
    coding = themes.comment_coding(comments, taxonomy, languages)
    rows = coding.index[coding["coded"]]
    text = comments.loc[rows].astype(str)
    by_language = coding.loc[rows, "coding_language"]
    result = pd.DataFrame(False, index=rows, columns=list(taxonomy), dtype=bool)
    for language in by_language.unique():
        inside = by_language.index[by_language == language]
        words = [themes._words(value, language) for value in text.loc[inside]]
        for theme_id, theme in taxonomy.items():
            pattern = themes._theme_regex(tuple(theme.terms_for(language)), language)
            if pattern is not None:
                result.loc[inside, theme_id] = [pattern.search(value) is not None for value in words]
    used = [theme_id for theme_id, theme in taxonomy.items() if any(theme.terms_for(lang) for lang in themes.LANGUAGES)]
    return result[used]


def timed(coder, comments: pd.Series, taxonomy: dict, languages: pd.Series) -> tuple[pd.DataFrame, float]:
    themes._lemma.cache_clear()
    themes._theme_regex.cache_clear()
    start = time.perf_counter()
    coded = coder(comments, taxonomy, languages)
    return coded, time.perf_counter() - start


def run(count: int, seed: int = 1, sources: pd.DataFrame | None = None) -> dict:
    """Time both coders on ``count`` synthetic comments; asserts they agree cell for cell."""
    sources = sources if sources is not None else source_comments()
    comments, languages = synthetic_comments(count, sources, seed)
    taxonomy = themes.load_taxonomy()
    for language in themes.LANGUAGES:  # load simplemma's dictionaries before timing
        themes._lemma("ord", language)
    new, new_seconds = timed(themes.code_comments, comments, taxonomy, languages)
    old, old_seconds = timed(earlier_code_comments, comments, taxonomy, languages)
    pd.testing.assert_frame_equal(new, old)
    return {
        "comments": count,
        "distinct": int(comments.nunique()),
        "words": int(comments.str.split().str.len().sum()),
        "mentions": int(new.to_numpy().sum()),
        "old_seconds": old_seconds,
        "new_seconds": new_seconds,
        "old_us_per_comment": 1e6 * old_seconds / count,
        "new_us_per_comment": 1e6 * new_seconds / count,
        "ratio": new_seconds / old_seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    result = run(args.comments, args.seed)
    print(
        f"{result['comments']:,} distinct comments ({result['words']:,} words, "
        f"{result['mentions']:,} theme mentions), four languages"
    )
    for name, key in (("one regex search per comment and theme", "old"), ("all comments at once", "new")):
        print(f"{name:40} {result[f'{key}_seconds']:8.2f} s {result[f'{key}_us_per_comment']:8.1f} µs/comment")
    print(f"new / old: {result['ratio']:.3f} ({1 / result['ratio']:.1f} times as fast); same table: yes")


if __name__ == "__main__":
    main()
