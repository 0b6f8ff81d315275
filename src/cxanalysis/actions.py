"""The action plan: improvement areas ranked by the evidence from the earlier chapters."""

from __future__ import annotations

import pandas as pd

from .drivers import complete_answers, importance_performance, minimum_sample
from .touchpoints import hot_spots, journey_order
from .words import METRIC_LABELS, number, p_text


def action_candidates(client) -> pd.DataFrame:
    """Hot-spot touchpoints first (largest gap first), then strong drivers with low performance.

    Each row names the evidence (the numbers with their interval) and the
    owner: the team that owns the touchpoint in the journey file.
    """
    rows = []
    if client.has("touchpoint") and client.has("csat"):
        spots = hot_spots(client, "csat")
        owners = journey_order(client).set_index("touchpoint")["owner"]
        for spot in spots[spots["below"]].sort_values("difference").itertuples():
            rows.append({
                "area": spot.touchpoint, "kind": "touchpoint below the journey",
                "evidence": (f"{METRIC_LABELS['csat']} {number(spot.estimate)} against {number(spot.rest)} elsewhere "
                             f"({number(spot.difference, 1)} points, 95 % CI {number(spot.ci_low, 1)} to "
                             f"{number(spot.ci_high, 1)}; adjusted {p_text(spot.p_adjusted)})"),
                "owner": owners.get(spot.touchpoint, "") or "not assigned",
            })
    outcome = "nps"
    attributes = client.attributes
    if len(attributes) >= 2 and complete_answers(client.responses, outcome, attributes) >= minimum_sample(len(attributes)):
        drivers = importance_performance(client.responses, outcome, attributes, scale=client.scales["attributes"])
        for driver in drivers[drivers["quadrant"] == "fix first"].itertuples():
            rows.append({
                "area": driver.driver.replace("_", " ").capitalize(), "kind": "strong driver, low performance",
                "evidence": (f"{number(driver.share)} % of the explained {METRIC_LABELS[outcome]}; "
                             f"{number(driver.performance)} % rate it 4-5"),
                "owner": "not assigned",
            })
    plan = pd.DataFrame(rows, columns=["area", "kind", "evidence", "owner"])
    plan.insert(0, "priority", range(1, len(plan) + 1))
    return plan
