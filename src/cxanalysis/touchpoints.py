"""Touchpoints along the journey: scores, volumes and experience-failure hot spots."""

from __future__ import annotations

import pandas as pd

from .program import touchpoints_table
from .significance import hot_spot_tests


def journey_order(client) -> pd.DataFrame:
    """Touchpoints in journey order with stage and owner; from the data when no journey file exists."""
    if client.journey is not None:
        return touchpoints_table(client.journey)
    names = sorted(client.responses["touchpoint"].dropna().unique())
    return pd.DataFrame({"stage": "", "touchpoint": names, "channel": "", "owner": "", "listening_posts": 0,
                         "surveys": ""})


def touchpoint_scores(client, metric: str, period: str | None = None) -> pd.DataFrame:
    """A metric per touchpoint in one period (latest by default), in journey order."""
    period = period or client.latest_period
    data = client.responses[client.responses["period"] == period]
    scores = client.summarise(metric, ["touchpoint"], data=data)
    order = journey_order(client)[["stage", "touchpoint"]]
    return order.merge(scores, on="touchpoint", how="inner")


def hot_spots(client, metric: str, period: str | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """Touchpoints whose score differs from all other touchpoints', Holm-adjusted.

    ``below`` marks an experience-failure hot spot: significantly lower than
    the rest of the journey after adjustment for testing every touchpoint.
    """
    period = period or client.latest_period
    data = client.responses[(client.responses["period"] == period) & client.responses["touchpoint"].notna()]
    tests = hot_spot_tests(data, metric, "touchpoint", min_n=client.min_n, scales=client.scales,
                           adjust=client.config.significance.adjust)
    tests = tests.rename(columns={"level": "touchpoint", "estimate_a": "estimate", "estimate_b": "rest"})
    tests["below"] = (tests["p_adjusted"] < alpha) & (tests["difference"] < 0)
    tests["above"] = (tests["p_adjusted"] < alpha) & (tests["difference"] > 0)
    return tests.drop(columns=["dimension"])


def unknown_touchpoints(client) -> pd.DataFrame:
    """Touchpoints in the data that the journey file lacks, with their response counts."""
    if client.journey is None:
        return pd.DataFrame(columns=["touchpoint", "responses"])
    known = set(journey_order(client)["touchpoint"])
    seen = client.responses["touchpoint"].dropna().astype("string")
    counts = seen[~seen.isin(known)].value_counts()
    return counts.rename_axis("touchpoint").reset_index(name="responses")


def journey_average(client, metric: str, period: str | None = None) -> float:
    """The metric over all touchpoint responses in a period: the reference line of the journey chart."""
    period = period or client.latest_period
    data = client.responses[(client.responses["period"] == period) & client.responses["touchpoint"].notna()]
    return float(client.summarise(metric, data=data)["estimate"].iloc[0])
