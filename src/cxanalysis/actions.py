"""The action plan: improvement areas from the earlier chapters, ranked by impact and feasibility."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .compare import responses_needed_each
from .drivers import importance_performance
from .metrics import METRIC_KINDS
from .rules import box_label, top_box_threshold
from .significance import answer_values
from .themes import theme_impact
from .touchpoints import hot_spots, journey_order
from .words import METRIC_SHORT, number, p_text, plain_name

if TYPE_CHECKING:
    from .client import ClientData

FEASIBILITY = {"low": 1.0, "medium": 0.6, "high": 0.3}
PLAN_COLUMNS = [
    "rank",
    "area",
    "kind",
    "evidence",
    "metric_to_watch",
    "current",
    "target",
    "n_now",
    "responses_needed",
    "impact",
    "impact_metric",
    "impact_standardised",
    "effort",
    "feasibility",
    "priority",
    "owner",
    "due",
]


def _share_variance(level):
    """Variance of one answer, scored 0 or 100, when the share is ``level`` percent."""
    return level * (100 - level)


def hot_spot_actions(client: ClientData) -> list[dict]:
    """Touchpoints significantly below the rest of the journey in the latest period (CSAT)."""
    if not (client.has("touchpoint") and client.has("csat")):
        return []
    spots = hot_spots(client, "csat")
    owners = journey_order(client).set_index("touchpoint")["owner"]
    total = spots["n_a"].sum()
    rows = []
    for spot in spots[spots["below"]].itertuples():
        rows.append(
            {
                "area": str(spot.touchpoint),
                "key": str(spot.touchpoint),
                "kind": "hot-spot touchpoint",
                "evidence": (
                    f"CSAT {number(spot.estimate)} % against {number(spot.rest)} % elsewhere "
                    f"({number(spot.difference, 1)} points, 95 % CI {number(spot.ci_low, 1)} to "
                    f"{number(spot.ci_high, 1)}; adjusted {p_text(spot.p_adjusted)})"
                ),
                "metric_to_watch": f"CSAT % at {spot.touchpoint}",
                "current": spot.estimate,
                "target": spot.rest,
                "n_now": int(spot.n_a),
                "impact": -spot.difference * spot.n_a / total,
                "impact_metric": "csat",
                "owner_id": owners.get(spot.touchpoint, ""),
            }
        )
    return rows


def driver_actions(client: ClientData, outcome: str | None = None) -> list[dict]:
    """Attributes of above-average importance and below-average performance ("fix first")."""
    outcome = outcome or client.overall_score
    attributes = client.attributes
    sample = client.driver_sample(outcome)
    if not sample.estimable:
        return []
    drivers = importance_performance(client.responses, outcome, attributes, scale=client.scales["attributes"])
    target = drivers["performance"].mean()
    top = top_box_threshold(client.scales["attributes"])
    top_boxes = box_label(client.scales["attributes"])
    indicative = f" (indicative: {sample.complete} complete answers)" if sample.small else ""
    outcome_values = answer_values(client.responses, outcome, client.scales)
    rows = []
    for driver in drivers[drivers["quadrant"] == "fix first"].itertuples():
        rating = client.responses[driver.driver]
        good, poor = outcome_values[rating >= top].mean(), outcome_values[rating < top].mean()
        latest = client.responses[client.responses["period"] == client.latest_period][driver.driver].dropna()
        rows.append(
            {
                "area": plain_name(driver.driver),
                "key": driver.driver,
                "kind": "strong driver, weak performance",
                "evidence": (
                    f"{number(driver.share)} % of the explained {METRIC_SHORT[outcome]}; "
                    f"{number(driver.performance)} % rate it {top_boxes}; {METRIC_SHORT[outcome]} "
                    f"{number(good)} among those against {number(poor)} among the rest{indicative}"
                ),
                "metric_to_watch": f"% rating {plain_name(driver.driver).lower()} {top_boxes}",
                "current": driver.performance,
                "target": max(target, driver.performance + 5),
                "n_now": len(latest),
                "impact": (good - poor) * (1 - driver.performance / 100) * driver.share / 100,
                "impact_metric": outcome,
            }
        )
    return rows


def theme_actions(client: ClientData, outcome: str | None = None) -> list[dict]:
    """Themes whose comments go with a clearly lower score than the other comments, still mentioned lately."""
    outcome = outcome or client.overall_score
    if not client.has("comment") or not client.has(outcome):
        return []
    coded = client.coded_comments
    impact = theme_impact(
        client.responses,
        coded,
        client.taxonomy,
        outcome,
        min_n=client.min_n,
        scales=client.scales,
        adjust=client.config.significance.adjust,
    )
    if impact.empty:
        return []
    answered = client.responses[METRIC_KINDS[outcome][0]].notna().sum()
    latest = client.responses.loc[coded.index, "period"] == client.latest_period
    rows = []
    for theme in impact[
        (impact["p_adjusted"] < client.config.significance.alpha) & (impact["difference"] < 0)
    ].itertuples():
        mentions = coded[theme.theme]
        if not mentions[latest].any():
            continue  # nobody mentions it in the latest period: nothing left to reduce
        rows.append(
            {
                "area": theme.label,
                "key": theme.theme,
                "kind": "negative comment theme",
                "evidence": (
                    f"{METRIC_SHORT[outcome]} {number(theme.estimate_a)} in {number(theme.n_a)} comments on it "
                    f"against {number(theme.estimate_b)} in other comments ({number(theme.difference, 1)}, "
                    f"95 % CI {number(theme.ci_low, 1)} to {number(theme.ci_high, 1)}; adjusted "
                    f"{p_text(theme.p_adjusted)})"
                ),
                "metric_to_watch": f"% of comments mentioning {theme.label.lower()}",
                "current": 100 * mentions[latest].mean(),
                "target": 50 * mentions[latest].mean(),
                "n_now": int(latest.sum()),
                "impact": -theme.difference * theme.n_a / answered,
                "impact_metric": outcome,
            }
        )
    return rows


def action_plan(client: ClientData) -> pd.DataFrame:
    """Candidates from hot spots, drivers and comment themes, ranked by impact x feasibility.

    ``impact`` is the number of points of a score at stake (``impact_metric``): for a
    hot spot, its gap to the rest of the journey weighted by its share of the
    journey's answers (CSAT points); for a driver, the NPS gap between
    customers rating it in the top boxes and the rest, times the share rating it lower,
    times its share of explained variance; for a theme, its NPS gap times
    the share of NPS answers whose comment mentions it. CSAT points and NPS
    points are not the same size, so ``impact_standardised`` divides each
    impact by the standard deviation of one answer on its metric in the
    latest period (an effect size), and the priority ranks on that common
    scale. ``feasibility`` is 1,
    0.6 or 0.3 for low, medium or high effort (``action_plan.effort`` in the
    config; medium when not given). ``responses_needed`` is the number of
    answers a period before and a period after the action each need to show
    the move from current to target as significant (the client's
    significance level, 80 % power);
    ``n_now`` is what the latest period has.
    """
    plan = pd.DataFrame(hot_spot_actions(client) + driver_actions(client) + theme_actions(client))
    if plan.empty:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    settings = client.config.action_plan
    teams = {t.id: t.name for t in client.stakeholders.teams} if client.stakeholders is not None else {}
    owner_ids = plan["owner_id"] if "owner_id" in plan else pd.Series("", index=plan.index)
    owner_ids = owner_ids.fillna("").mask(owner_ids.fillna("") == "", plan["key"].map(settings.owners)).fillna("")
    plan["owner"] = owner_ids.map(lambda team: teams.get(team, team) or "not assigned")
    plan["effort"] = [
        settings.effort.get(area, settings.effort.get(key, "medium")) for area, key in zip(plan["area"], plan["key"])
    ]
    plan["feasibility"] = plan["effort"].map(FEASIBILITY)
    latest = client.responses[client.responses["period"] == client.latest_period]
    spread = {m: answer_values(latest, m, client.scales).std() for m in plan["impact_metric"].unique()}
    plan["impact_standardised"] = plan["impact"] / plan["impact_metric"].map(spread)
    plan["priority"] = plan["impact_standardised"] * plan["feasibility"]
    needed = responses_needed_each(
        _share_variance(plan["target"]),
        _share_variance(plan["current"]),
        (plan["target"] - plan["current"]).abs(),
        alpha=client.alpha,
    )
    plan["responses_needed"] = pd.array(needed, dtype="Float64").round().astype("Int64")
    due = pd.Period(client.latest_period).end_time.normalize() + pd.DateOffset(months=settings.due_months)
    plan["due"] = due.date()
    plan = plan.sort_values("priority", ascending=False, ignore_index=True)
    plan["rank"] = np.arange(1, len(plan) + 1)
    return plan[PLAN_COLUMNS]
