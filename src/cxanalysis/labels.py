"""Text answers to numbers: label maps for answer scales in four languages.

Survey tools often export the answer's text ("Very satisfied", "Svært
fornøyd") rather than its number. A label map says which number each text
stands for. Matching ignores case, spacing, typographic apostrophes and a
final full stop; anything else is an unknown label, which the loader
quarantines and lists with its count: a label is never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

SHIPPED_LABELS = Path(__file__).with_name("answer_labels.yml")

#: Leading score in answers like "9 - Very likely", "10 (Extremely likely)" or "4: Agree".
SCORE_WITH_LABEL = r"^\s*(-?\d+(?:[.,]\d+)?)\s*(?:[-–—:=]\s*[^\d\s]|\(|$)"


def _by_distinct(values: pd.Series, work) -> pd.Series:
    """Apply a text function once per distinct value (exports repeat a few answers thousands of times)."""
    text = values.astype("string")
    distinct = pd.Series(text.dropna().unique(), dtype="string")
    done = pd.Series(work(distinct).to_numpy(), index=distinct.to_numpy())
    return text.map(done).where(text.notna())


def normalise_labels(values: pd.Series) -> pd.Series:
    """Answer text folded for matching: lower case, single spaces, straight apostrophes, no final stop."""
    text = values.astype("string").str.casefold().str.replace("[’‘`´]", "'", regex=True)
    return text.str.replace(r"\s+", " ", regex=True).str.strip().str.rstrip(".").str.strip()


@dataclass(frozen=True)
class LabelMap:
    """A named map from answer texts to scores (``None``: not rated)."""

    name: str
    values: dict[str, float | None]
    scale: tuple[float, float] | None = None
    describe: str = ""

    def read(self, values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
        """Scores for text answers: (score, matched, not rated); unmatched answers have no score."""
        key = _by_distinct(values, normalise_labels).astype("string")
        matched = key.isin(list(self.values)).fillna(False).astype(bool)
        not_rated = matched & key.isin([k for k, v in self.values.items() if v is None]).fillna(False).astype(bool)
        score = key.map({k: v for k, v in self.values.items() if v is not None}).astype(float)
        return score, matched, not_rated


def _folded(label: str) -> str:
    return normalise_labels(pd.Series([str(label)])).iloc[0]


@cache
def shipped_label_maps() -> dict[str, LabelMap]:
    """The label maps shipped with the template, by name."""
    data = yaml.safe_load(SHIPPED_LABELS.read_text(encoding="utf-8"))
    not_rated = {_folded(label): None for label in data["not rated"]}
    maps = {}
    for name, spec in data["maps"].items():
        values: dict[str, float | None] = dict(not_rated)
        values.update({_folded(label): None for label in spec.get("not rated", [])})
        for score, labels in spec["labels"].items():
            values.update({_folded(label): float(score) for label in labels})
        maps[name] = LabelMap(name, values, tuple(spec["scale"]), spec["describe"])
    return maps


@cache
def not_rated_answers() -> frozenset[str]:
    """The shipped answers meaning "no rating given" (n/a, don't know, vet ikke, ...), folded for matching."""
    data = yaml.safe_load(SHIPPED_LABELS.read_text(encoding="utf-8"))
    return frozenset(_folded(label) for label in data["not rated"])


def label_maps(client_maps: dict[str, dict[str, float | None]] | None = None) -> dict[str, LabelMap]:
    """Shipped maps plus a client's own (``answer_labels`` in the config).

    A client map named like a shipped one adds to it (a client's spelling of
    "Disagree", say); any other name is a new map.
    """
    maps = dict(shipped_label_maps())
    for name, labels in (client_maps or {}).items():
        added = {_folded(label): (None if score is None else float(score)) for label, score in labels.items()}
        shipped = maps.get(name)
        values = {**(shipped.values if shipped else {}), **added}
        scores = [v for v in values.values() if v is not None]
        scale = shipped.scale if shipped else ((min(scores), max(scores)) if scores else None)
        maps[name] = LabelMap(name, values, scale, shipped.describe if shipped else "the client's own map")
    return maps


def leading_scores(values: pd.Series) -> pd.Series:
    """Numbers written alone or before their label ("9 - Very likely" is 9); missing otherwise."""

    def read(text: pd.Series) -> pd.Series:
        text = text.str.strip()
        plain = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
        lead = text.str.extract(SCORE_WITH_LABEL)[0].str.replace(",", ".", regex=False)
        return plain.fillna(pd.to_numeric(lead, errors="coerce"))

    if values.empty:
        return pd.Series(dtype=float, index=values.index)
    return _by_distinct(values, read).astype(float)


def best_label_map(values: pd.Series, maps: dict[str, LabelMap]) -> tuple[LabelMap | None, float]:
    """The map that reads the most text answers of a column, and the share of its text answers it reads.

    Numbers (also "9 - Very likely") are not text answers; a column of
    numbers has no map. Ties go to the map listed first (the shipped file
    lists the usual five-point scales before the seven-point ones).
    """
    present = values.dropna()
    text = present[leading_scores(present).isna()]
    if text.empty:
        return None, 0.0
    best, best_share = None, 0.0
    for label_map in maps.values():
        _, matched, not_rated = label_map.read(text)
        if (matched & ~not_rated).sum() == 0:
            continue
        share = float(matched.mean())
        if share > best_share:
            best, best_share = label_map, share
    return best, best_share


def unknown_labels(quarantine: pd.DataFrame) -> pd.DataFrame:
    """Answer texts no label map knows, with how many rows gave each, per file and column."""
    unknown = quarantine[quarantine["reason"] == "unknown_label"]
    if unknown.empty:
        return pd.DataFrame(columns=["file", "column", "answer", "rows"])
    counts = unknown.groupby(["file", "column", "value"], sort=False).size().rename("rows").reset_index()
    return counts.rename(columns={"value": "answer"}).sort_values(
        ["file", "column", "rows"], ascending=[True, True, False], ignore_index=True
    )


__all__ = [
    "LabelMap",
    "best_label_map",
    "label_maps",
    "leading_scores",
    "normalise_labels",
    "not_rated_answers",
    "shipped_label_maps",
    "unknown_labels",
]
