"""Tables behind the measurement chapter: scores per period and answer distributions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .charts import BAD, GOOD, MUTED
from .rules import answer_colour_bands
from .translation import N_

if TYPE_CHECKING:
    from .client import ClientData


#: The level of a metric over all responses, as metrics.csv keeps it (in English; shown translated).
ALL_RESPONSES = N_("All responses")


def score_distribution(responses: pd.DataFrame, metric: str, scale: tuple[int, int]) -> pd.DataFrame:
    """Share of answers at each point of a score's scale, with the colour of its group.

    Detractors and the bottom boxes red, promoters and the top boxes green,
    the answers between grey (see :func:`cxanalysis.rules.answer_colour_bands`).
    """
    low, high = scale
    points = np.arange(low, high + 1)
    counts = responses[metric].value_counts().reindex(points, fill_value=0)
    bad_to, good_from = answer_colour_bands(metric, scale)
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


def available_metrics(client: ClientData) -> list[str]:
    """The metrics this client's data supports, CSAT mean and CES share included."""
    wanted = {"nps": ["nps"], "csat": ["csat", "csat_mean"], "ces": ["ces", "ces_easy"]}
    return [metric for score in client.scores for metric in wanted[score]]


def reporting_dimensions(client: ClientData) -> list[str]:
    """Columns to break metrics down by: touchpoint, survey, channel and the segments, where the data has them."""
    return [d for d in ("touchpoint", "survey", "channel", *client.config.segments) if client.has(d)]


def metric_table(client: ClientData) -> pd.DataFrame:
    """Every metric by period, overall and by each reporting dimension: the book's metrics.csv."""
    parts = []
    for metric in available_metrics(client):
        overall = client.summarise(metric, ["period"]).assign(dimension="all", level=ALL_RESPONSES)
        parts.append(overall)
        for dimension in reporting_dimensions(client):
            table = client.summarise(metric, ["period", dimension])
            parts.append(table.rename(columns={dimension: "level"}).assign(dimension=dimension))
    if not parts:
        return pd.DataFrame(columns=METRIC_TABLE_COLUMNS)
    table = pd.concat(parts, ignore_index=True)
    table["level"] = table["level"].astype(str)
    return table[METRIC_TABLE_COLUMNS]
