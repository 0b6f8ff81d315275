"""Anonymity that survives arithmetic: no small group's answers can be worked out from what is published.

Hiding a group with fewer than the anonymity threshold of answers is not
enough when the total and every other group are published: the hidden one
is the total minus the rest. Two rules close that door.

- **Within a table** (:func:`hidden_cells`): where a slice of a table hides a
  small group, the smallest of its other groups are hidden with it until the
  hidden groups together hold at least the threshold, so the difference
  between the total and what is shown is a pool of enough people, never one
  small group. Hidden rows carry no count.
- **Across tables** (:func:`withhold_small_groups`): a segment, channel or
  language level with fewer than the threshold of responses in a period
  (and the levels hidden to protect it) is withheld from the data for that
  period, before any analysis: its responses count in every total but in
  no group, so no table that pools periods (a year of a segment, the
  drivers within a segment) can be set against a period table to recover it.

Time windows (periods, months) are not groups of people: a period with few
answers is hidden for want of precision, without hiding another period.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

#: Columns that divide answers by time rather than into groups of people.
TIME_COLUMNS = frozenset({"period", "month"})


def _hidden_in_slice(n: np.ndarray, min_n: int) -> np.ndarray:
    """The groups of one slice to hide: the small ones, and the smallest others until the hidden hold min_n."""
    hidden = np.zeros(len(n), dtype=bool)
    small = (n > 0) & (n < min_n)
    if not small.any():
        return hidden
    present = np.flatnonzero(n > 0)
    order = present[np.argsort(n[present], kind="stable")]
    reached = np.flatnonzero(np.cumsum(n[order]) >= min_n)
    count = max(int(small.sum()), int(reached[0]) + 1 if reached.size else len(order))
    hidden[order[:count]] = True
    return hidden


def hidden_cells(n: pd.Series, slices: pd.DataFrame | None, min_n: int) -> pd.Series:
    """Which rows of a table to hide: primary (fewer than ``min_n``) and complementary suppression.

    ``n`` counts the answers behind each row; rows with the same values in
    ``slices`` (the table's other grouping columns; None for one slice) add
    up to a total that is published, so each slice is protected on its own.
    Rows without answers are never counted as hiding anything.
    """
    counts = n.fillna(0).to_numpy(dtype=float)
    if slices is None or slices.shape[1] == 0:
        return pd.Series(_hidden_in_slice(counts, min_n), index=n.index)
    hidden = np.zeros(len(n), dtype=bool)
    codes = slices.astype(str).agg("\x1f".join, axis=1).to_numpy()
    for code in pd.unique(codes):
        rows = np.flatnonzero(codes == code)
        hidden[rows] = _hidden_in_slice(counts[rows], min_n)
    return pd.Series(hidden, index=n.index)


def withhold_small_groups(
    responses: pd.DataFrame, dimensions: Sequence[str], min_n: int, *, period: str = "period"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Responses with small groups withheld per period, and the table of what was withheld.

    For each dimension and period, the levels :func:`hidden_cells` would
    hide (by responses) are set to missing in that period. Returns the
    responses and one row per withheld level: dimension, period, level and
    ``reason`` ("fewer than the threshold" or "protects a smaller group").
    The responses stay in every total.
    """
    counts = {
        dimension: responses.groupby([period, dimension], observed=True).size().rename("n").reset_index()
        for dimension in dimensions
        if dimension in responses and responses[dimension].notna().any()
    }
    table = small_groups(counts, min_n, period=period)
    return withhold(responses, table, period=period), table


def small_groups(counts: dict[str, pd.DataFrame], min_n: int, *, period: str = "period") -> pd.DataFrame:
    """The levels :func:`withhold_small_groups` withholds, from each dimension's responses per period and
    level (columns ``period``, the dimension and ``n``; the engine counts them for a large client)."""
    rows = []
    for dimension, table in counts.items():
        hidden = hidden_cells(table["n"], table[[period]], min_n)
        withheld = table[hidden.to_numpy()]
        if withheld.empty:
            continue
        rows.append(
            withheld.assign(
                dimension=dimension,
                level=withheld[dimension].astype(str),
                reason=np.where(withheld["n"] < min_n, "fewer than the threshold", "protects a smaller group"),
            )[["dimension", period, "level", "reason"]]
        )
    columns = ["dimension", period, "level", "reason"]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=columns)


def withhold(responses: pd.DataFrame, withheld: pd.DataFrame, *, period: str = "period") -> pd.DataFrame:
    """The responses with each withheld level (:func:`small_groups`) set to missing in its period."""
    out = responses.copy()
    for dimension, levels in withheld.groupby("dimension", sort=False):
        keys = pd.MultiIndex.from_frame(levels[[period, "level"]].astype(str))
        mask = pd.MultiIndex.from_arrays([out[period].astype(str), out[dimension].astype(str)]).isin(keys)
        out[dimension] = out[dimension].mask(mask & out[dimension].notna())
    return out
