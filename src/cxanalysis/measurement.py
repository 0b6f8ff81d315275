"""Tables behind the measurement chapter: scores per period and answer distributions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .charts import BAD, GOOD, MUTED
from .metrics import top_box_threshold


def score_distribution(responses: pd.DataFrame, metric: str, scale: tuple[int, int]) -> pd.DataFrame:
    """Share of answers at each point of a score's scale, with the colour of its group.

    NPS: detractors (0-6) red, passives (7-8) grey, promoters (9-10) green.
    CSAT: 1-3 red, 4-5 green. CES: 1-3 red, 4 grey, 5-7 green (agreement that it was easy).
    """
    low, high = scale
    points = np.arange(low, high + 1)
    counts = responses[metric].value_counts().reindex(points, fill_value=0)
    good_from = {"nps": 9, "csat": top_box_threshold(scale), "ces": high - 2}[metric]
    bad_to = {"nps": 6, "csat": top_box_threshold(scale) - 1, "ces": high - 4}[metric]
    colour = np.where(points >= good_from, GOOD, np.where(points <= bad_to, BAD, MUTED))
    return pd.DataFrame(
        {
            "score": points,
            "answers": counts.to_numpy(),
            "share": 100 * counts.to_numpy() / max(counts.sum(), 1),
            "colour": colour,
        }
    )


METRIC_TABLE_COLUMNS = [
    "metric",
    "period",
    "dimension",
    "level",
    "n",
    "n_effective",
    "estimate",
    "ci_low",
    "ci_high",
    "method",
    "suppressed",
]


def available_metrics(client) -> list[str]:
    """The metrics this client's data supports, CSAT mean and CES share included."""
    wanted = {"nps": ["nps"], "csat": ["csat", "csat_mean"], "ces": ["ces", "ces_easy"]}
    return [metric for score in client.scores for metric in wanted[score]]


def reporting_dimensions(client) -> list[str]:
    """Columns to break metrics down by: touchpoint, survey, channel and the segments, where the data has them."""
    return [d for d in ("touchpoint", "survey", "channel", *client.config.segments) if client.has(d)]


def metric_table(client) -> pd.DataFrame:
    """Every metric by period, overall and by each reporting dimension: the book's metrics.csv."""
    parts = []
    for metric in available_metrics(client):
        overall = client.summarise(metric, ["period"]).assign(dimension="all", level="All responses")
        parts.append(overall)
        for dimension in reporting_dimensions(client):
            table = client.summarise(metric, ["period", dimension])
            parts.append(table.rename(columns={dimension: "level"}).assign(dimension=dimension))
    if not parts:
        return pd.DataFrame(columns=METRIC_TABLE_COLUMNS)
    table = pd.concat(parts, ignore_index=True)
    table["level"] = table["level"].astype(str)
    return table[METRIC_TABLE_COLUMNS]
