"""Reporting periods: whether the latest one is complete enough to report.

An export taken a few days into a new quarter holds a handful of its
answers. Reported as "the latest period", they would set the headline and
every change against the previous period on a sliver of data. A latest
period with fewer responses than ``share`` of the median of the periods
before it is partial; by default the book reports up to the last complete
period and says what it left out (``report.partial_period`` in the config).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: A latest period with fewer responses than this share of the earlier periods' median is partial.
PARTIAL_SHARE = 0.5


@dataclass(frozen=True)
class PartialPeriod:
    """The latest period, too thin to report: its responses, their last date, and the usual count."""

    period: str
    responses: int
    last_date: pd.Timestamp
    usual: float


def partial_period(responses: pd.DataFrame, share: float = PARTIAL_SHARE) -> PartialPeriod | None:
    """The latest period when it has fewer than ``share`` x the median responses of up to four periods before it."""
    period = responses["period"].astype("string")
    sizes = responses.groupby(period, sort=True)["submitted_at"].agg(["size", "max"])
    return partial_from_counts(sizes["size"], sizes["max"], share)


def partial_from_counts(counts: pd.Series, last_dates: pd.Series, share: float = PARTIAL_SHARE) -> PartialPeriod | None:
    """:func:`partial_period` from each period's responses and last date (indexed by period), as the engine
    counts them over every response of a large client."""
    counts = counts.sort_index()
    if len(counts) < 2:
        return None
    latest, earlier = counts.index[-1], counts.iloc[-5:-1]
    usual = float(earlier.median())
    if counts.iloc[-1] >= share * usual:
        return None
    return PartialPeriod(str(latest), int(counts.iloc[-1]), pd.Timestamp(last_dates[latest]), usual)
