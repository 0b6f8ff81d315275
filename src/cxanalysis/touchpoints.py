"""Touchpoints along the journey: scores, volumes and experience-failure hot spots."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .metrics import METRIC_KINDS
from .program import touchpoints_table
from .significance import hot_spot_tests
from .translation import N_
from .words import HIDDEN_GROUP

if TYPE_CHECKING:
    from .client import ClientData


#: Why a touchpoint is a coverage gap, as the result tables keep it (in English; shown translated,
#: :data:`COVERAGE_GAPS`). A touchpoint hidden for anonymity gives :data:`cxanalysis.words.HIDDEN_GROUP`.
NO_LISTENING_POST = N_("no listening post")
NO_RESPONSES = N_("no responses")
NOT_IN_JOURNEY = N_("not in the journey file")
COVERAGE_GAPS = (NO_LISTENING_POST, NO_RESPONSES, NOT_IN_JOURNEY)


def journey_order(client: ClientData) -> pd.DataFrame:
    """Touchpoints in journey order with stage and owner; from the data when no journey file exists."""
    if client.journey is not None:
        return touchpoints_table(client.journey)
    names = sorted(client.responses["touchpoint"].dropna().unique())
    return pd.DataFrame(
        {
            "stage": "",
            "touchpoint": names,
            "channel": "",
            "owner": "",
            "listening_posts": 0,
            "surveys": "",
            "asked_by": "",
        }
    )


def hot_spots(client: ClientData, metric: str, period: str | None = None) -> pd.DataFrame:
    """Touchpoints whose score differs from all other touchpoints', adjusted for testing every touchpoint.

    ``below`` marks an experience-failure hot spot: lower than the rest of
    the journey with an adjusted p-value below the client's significance
    level (the config's ``significance.alpha`` and ``significance.adjust``).
    """
    period = period or client.latest_period
    data = client.responses[(client.responses["period"] == period) & client.responses["touchpoint"].notna()]
    tests = hot_spot_tests(
        data, metric, "touchpoint", min_n=client.min_n, scales=client.scales, adjust=client.config.significance.adjust
    )
    tests = tests.rename(columns={"level": "touchpoint", "estimate_a": "estimate", "estimate_b": "rest"})
    alpha = client.config.significance.alpha
    tests["below"] = (tests["p_adjusted"] < alpha) & (tests["difference"] < 0)
    tests["above"] = (tests["p_adjusted"] < alpha) & (tests["difference"] > 0)
    return tests.drop(columns=["dimension"])


def unknown_touchpoints(client: ClientData) -> pd.DataFrame:
    """Touchpoints in the data that the journey file lacks, with their response counts."""
    if client.journey is None:
        return pd.DataFrame(columns=["touchpoint", "responses"])
    known = set(journey_order(client)["touchpoint"])
    seen = client.responses["touchpoint"].dropna().astype("string")
    counts = seen[~seen.isin(known)].value_counts()
    return counts.rename_axis("touchpoint").reset_index(name="responses")


def journey_average(client: ClientData, metric: str, period: str | None = None) -> float:
    """The metric over all touchpoint responses in a period: the reference line of the journey chart."""
    period = period or client.latest_period
    data = client.responses[(client.responses["period"] == period) & client.responses["touchpoint"].notna()]
    return float(client.summarise(metric, data=data)["estimate"].iloc[0])


def journey_scores(client: ClientData, metric: str) -> pd.DataFrame:
    """Every touchpoint of the journey in every period: score, interval, hot-spot test and coverage gap.

    One row per touchpoint and period, in journey order, touchpoints without
    answers included (n = 0). The hot-spot tests compare each touchpoint with
    the rest of the journey in the same period, Holm-adjusted within the
    period (the family a reader of that period's report sees). ``coverage_gap``
    names why a touchpoint cannot be read: no listening post, no responses,
    or fewer than the anonymity threshold. A touchpoint whose survey asks
    other questions (an NPS survey when the metric is CSAT) has ``n = 0`` and
    no gap: ``responses`` counts all its responses.
    """
    order = journey_order(client)
    rows = []
    counts = (
        client.responses.groupby(["touchpoint", "period"], observed=True)
        .size()
        .rename("responses")
        .reset_index()
        .astype({"touchpoint": str, "period": str})
    )
    for period in client.periods:
        period_rows = order.assign(period=period).merge(counts, on=["touchpoint", "period"], how="left")
        answered = client.responses[(client.responses["period"] == period) & client.responses["touchpoint"].notna()]
        if client.has(metric) and answered[METRIC_KINDS[metric][0]].notna().any():
            scores = client.summarise(metric, ["touchpoint"], data=answered).drop(columns=["metric"])
            scores["touchpoint"] = scores["touchpoint"].astype(str)
            spots = hot_spots(client, metric, period)[
                ["touchpoint", "rest", "difference", "p_adjusted", "below", "above"]
            ]
            spots["touchpoint"] = spots["touchpoint"].astype(str)
            period_rows = period_rows.merge(scores, on="touchpoint", how="left").merge(
                spots, on="touchpoint", how="left"
            )
        rows.append(period_rows)
    table = pd.concat(rows, ignore_index=True).reindex(
        columns=[
            *order.columns,
            "period",
            "responses",
            "n",
            "estimate",
            "ci_low",
            "ci_high",
            "suppressed",
            "rest",
            "difference",
            "p_adjusted",
            "below",
            "above",
        ]
    )
    table["metric"] = metric
    for flag in ("suppressed", "below", "above"):
        table[flag] = table[flag].astype("boolean").fillna(False).astype(bool)
    # A hidden touchpoint carries no count: neither its answers nor its responses. One without
    # answers to the metric hides nothing.
    table["n"] = table["n"].astype("Int64").fillna(0)
    table["suppressed"] &= (table["n"] > 0).to_numpy(dtype=bool)
    table["n"] = table["n"].mask(table["suppressed"])
    table["responses"] = table["responses"].astype("Int64").fillna(0).mask(table["suppressed"])
    table = table.rename(columns={"below": "hot_spot", "above": "bright_spot"})
    table["coverage_gap"] = np.select(
        [table["listening_posts"] == 0, table["suppressed"], table["responses"] == 0],
        [NO_LISTENING_POST, HIDDEN_GROUP.format(min_n=client.min_n), NO_RESPONSES],
        default="",
    )
    return table


def coverage_gaps(client: ClientData, metric: str, period: str | None = None) -> pd.DataFrame:
    """Touchpoints that cannot be read in a period, with the reason; and data touchpoints the journey lacks."""
    period = period or client.latest_period
    scores = journey_scores(client, metric)
    gaps = scores.loc[
        (scores["period"] == period) & (scores["coverage_gap"] != ""),
        ["stage", "touchpoint", "owner", "listening_posts", "n", "coverage_gap"],
    ]
    unknown = unknown_touchpoints(client).rename(columns={"responses": "n"})
    unknown = unknown.assign(stage="", owner="", listening_posts=0, coverage_gap=NOT_IN_JOURNEY)
    return pd.concat([gaps, unknown[gaps.columns]], ignore_index=True)
