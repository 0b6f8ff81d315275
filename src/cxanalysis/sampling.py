"""The responses a large client's row-level analysis works on: a stratified random sample drawn in the engine.

Figures that are sums over groups (scores by period and group, their intervals, counts) come from every
valid response through the engine (:mod:`cxanalysis.engine`). The parts that need individual answers (the
key-driver bootstrap, theme coding of comments, the regressions behind the effect of a change, example
comments, and every other figure computed from the response rows) need the rows in memory; above
``sampling.max_rows`` valid responses they work on a sample of that many instead of all.

The sample is stratified by period and survey with proportional allocation: each stratum's share of
the sample is its share of the responses (largest remainders, at least one response from every
stratum), so every response has nearly the same chance to be drawn and estimates from the sample need
no weights beyond the survey's own. Within a stratum the responses drawn are those with the smallest
value of a hash of the source, the response id and :data:`SEED`: a simple random sample without
replacement that the same data and backend give again on every build.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .engine import execute

if TYPE_CHECKING:
    import ibis

#: Mixed into the hash that orders the responses of a stratum; the same seed, the same sample.
SEED = "cxanalysis-row-sample-1"
#: The strata of the sample.
STRATA = ("period", "survey")
#: The hash of a response, reduced to this many equally likely values before its share is taken.
_HASH_VALUES = 2**31 - 1


@dataclass(frozen=True)
class RowSample:
    """How the responses behind the row-level figures were drawn."""

    #: Responses in the sample.
    rows: int
    #: Valid responses in all.
    of: int
    #: Responses of each stratum in all and in the sample (columns period, survey, responses, drawn).
    allocation: pd.DataFrame

    @property
    def fraction(self) -> float:
        return self.rows / self.of


def allocate(sizes: pd.Series, rows: int) -> pd.Series:
    """Rows to draw from each stratum: proportional to its size, summing to ``rows`` (largest remainders),
    at least one from every stratum that has a response, never more than a stratum holds."""
    sizes = sizes.astype(np.int64)
    total = int(sizes.sum())
    if rows >= total:
        return sizes.copy()
    quota = sizes * (rows / total)
    drawn = np.floor(quota).astype(np.int64)
    drawn = drawn.where(drawn > 0, np.minimum(sizes, 1))
    short = rows - int(drawn.sum())
    if short > 0:  # the largest remainders take one more each
        room = (quota - drawn).where(drawn < sizes, -np.inf)
        drawn.iloc[np.argsort(-room.to_numpy(), kind="stable")[:short]] += 1
    elif short < 0:  # the ones given to tiny strata are taken from those furthest above their share
        over = (drawn - quota).where(drawn > 1, -np.inf)
        drawn.iloc[np.argsort(-over.to_numpy(), kind="stable")[:-short]] -= 1
    return drawn


def _order(table: ibis.Table) -> ibis.Value:
    """Each response's place in the draw: a hash of its source, id and the seed, as a number in [0, 1)."""
    import ibis

    key = ibis.literal(SEED) + "|" + table["source"].cast("string") + "|" + table["response_id"].cast("string")
    return (key.hash() % _HASH_VALUES).abs().cast("float64") / _HASH_VALUES


def stratified_sample(table: ibis.Table, rows: int, strata: Sequence[str] = STRATA) -> tuple[ibis.Table, RowSample]:
    """The responses of ``table`` drawn for the row-level analysis (an expression; nothing is fetched but
    the strata's sizes), and how they were drawn. With no more than ``rows`` responses, all of them."""
    strata = list(strata)
    sizes = execute(table.group_by(strata).aggregate(responses=table.count()))
    sizes = sizes.sort_values(strata, na_position="last", kind="stable").reset_index(drop=True)
    total = int(sizes["responses"].sum())
    sizes["drawn"] = allocate(sizes["responses"], rows).to_numpy()
    described = RowSample(int(sizes["drawn"].sum()), total, sizes)
    if rows >= total:
        return table, described
    return _draw(table, sizes, strata, margin=True), described


#: A missing period or survey, as its stratum is named in the draw.
_MISSING = "(missing)"


def _stratum(table: ibis.Table, strata: Sequence[str]) -> dict[str, ibis.Value]:
    """The strata as text, a missing value as a text of its own, so that every response joins its stratum."""
    return {f"_s_{s}": table[s].cast("string").fill_null(_MISSING) for s in strata}


def _draw(table: ibis.Table, sizes: pd.DataFrame, strata: Sequence[str], margin: bool) -> ibis.Table:
    """The responses of each stratum with the smallest places, as many as allocated. With ``margin``, only
    the responses whose place falls below twice their stratum's share (and a margin) are ranked, which
    keeps every response that can be drawn unless chance is extraordinary: the caller checks the count."""
    import ibis

    keys = {f"_s_{s}": sizes[s].astype("string").fillna(_MISSING).astype(str) for s in strata}
    share = sizes["drawn"] / sizes["responses"]
    cut = np.minimum(1.0, 2.0 * share + 64.0 / sizes["responses"]) if margin else np.ones(len(sizes))
    quota = ibis.memtable(pd.DataFrame({**keys, "_drawn": sizes["drawn"].astype(np.int64), "_cut": cut}))
    ordered = table.mutate(_place=_order(table), **_stratum(table, strata))
    joined = ordered.inner_join(quota, list(keys))
    kept = joined.filter(joined["_place"] < joined["_cut"])
    window = ibis.window(group_by=[kept[k] for k in keys], order_by=[kept["_place"], kept["response_id"]])
    ranked = kept.mutate(_rank=ibis.row_number().over(window))
    drawn = ranked.filter(ranked["_rank"] < ranked["_drawn"])
    return drawn.select(*table.columns)


def fetch_sample(table: ibis.Table, rows: int, strata: Sequence[str] = STRATA) -> tuple[pd.DataFrame, RowSample]:
    """The sample of :func:`stratified_sample` as a pandas frame, in a stable order (source, response id)."""
    expression, described = stratified_sample(table, rows, strata)
    frame = execute(expression)
    if described.rows < described.of and len(frame) != described.rows:  # the margin was not enough: rank all
        frame = execute(_draw(table, described.allocation, list(strata), margin=False))
    frame = frame.sort_values(["source", "response_id"], kind="stable").reset_index(drop=True)
    return frame, described
