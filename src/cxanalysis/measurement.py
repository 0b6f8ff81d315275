"""Tables behind the measurement chapter: scores per period and answer distributions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .charts import BAD, GOOD, MUTED


def score_table(by_period: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The per-period summaries of every score, stacked into one tidy table."""
    return pd.concat(by_period.values(), ignore_index=True) if by_period else pd.DataFrame()


def score_distribution(responses: pd.DataFrame, metric: str, scale: tuple[int, int]) -> pd.DataFrame:
    """Share of answers at each point of a score's scale, with the colour of its group.

    NPS: detractors (0-6) red, passives (7-8) grey, promoters (9-10) green.
    CSAT: 1-3 red, 4-5 green. CES: 1-3 red, 4 grey, 5-7 green (agreement that it was easy).
    """
    low, high = scale
    points = np.arange(low, high + 1)
    counts = responses[metric].value_counts().reindex(points, fill_value=0)
    good_from = {"nps": 9, "csat": high - 1, "ces": high - 2}[metric]
    bad_to = {"nps": 6, "csat": high - 2, "ces": high - 4}[metric]
    colour = np.where(points >= good_from, GOOD, np.where(points <= bad_to, BAD, MUTED))
    return pd.DataFrame({"score": points, "answers": counts.to_numpy(),
                         "share": 100 * counts.to_numpy() / max(counts.sum(), 1), "colour": colour})
