"""The journey-map and goal-tree figures: every card's text inside its card, nothing overlapping."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from cxanalysis import charts

LONG_NORDIC_JOURNEY = {
    "Før kjøp": [
        "Nettbutikken og produktsidene på nordlys.no",
        "Sosiale medier (Facebook, Instagram og TikTok)",
        "Kundeavisen og nyhetsbrevet",
    ],
    "Kjøp": [
        "Butikkene i Trøndelag, Nordland og Troms",
        "Kassa, betaling og ordrebekreftelse i nettbutikken",
        "Klikk og hent i butikk",
    ],
    "Etter kjøp": [
        "Hjemlevering og hentepunkter (Posten, Bring, PostNord og Helthjem)",
        "Oppfølgings-e-post etter bestilling",
        "Kundeservicesenteret i Tromsø (telefon, e-post og chat)",
        "Retur, reklamasjon og tilbakebetaling",
    ],
    "Forholdet til kunden": ["Kundeklubben Nordlys Fordel", "Relasjonsundersøkelsen til alle aktive kunder"],
}


def twelve_touchpoints() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    rows = [{"stage": stage, "touchpoint": name} for stage, names in LONG_NORDIC_JOURNEY.items() for name in names]
    table = pd.DataFrame(rows)
    n = rng.integers(40, 400, len(table))
    n[2], n[10] = 3, 0
    estimate = rng.uniform(55, 90, len(table))
    table = table.assign(
        n=n,
        responses=n,
        estimate=estimate,
        ci_low=estimate - 7,
        ci_high=estimate + 6,
        suppressed=(n > 0) & (n < 5),
        hot_spot=False,
        listening_posts=1,
        asked_by="transaksjonell CSAT, etter hver henvendelse; relasjonell NPS, to ganger i året",
    )
    table.loc[6, "hot_spot"] = True
    table.loc[5, ["listening_posts", "asked_by"]] = [0, ""]
    return table


def text_boxes(fig):
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    return ax, renderer, [t.get_window_extent(renderer) for t in ax.texts if t.get_text()]


def overlapping(boxes) -> list[tuple[int, int]]:
    return [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])]


def test_journey_map_with_twelve_long_nordic_touchpoints_is_readable():
    scores = twelve_touchpoints()
    fig = charts.journey_map(scores, "csat", average=72.0, min_n=5, title="Kundereisen, CSAT 2025Q3")
    assert fig.get_figwidth() <= 7.5
    ax, renderer, boxes = text_boxes(fig)
    assert overlapping(boxes) == []
    cards = [p.get_window_extent(renderer) for p in ax.patches]
    assert len(cards) == 12
    card_texts = [
        b
        for t, b in zip([t for t in ax.texts if t.get_text()], boxes)
        if t.get_text() not in ("Kundereisen, CSAT 2025Q3", *LONG_NORDIC_JOURNEY)
    ]
    assert len(card_texts) == 24  # a name and a detail block per card
    for box in card_texts:
        assert any(
            card.x0 <= box.x0 and box.x1 <= card.x1 and card.y0 <= box.y0 and box.y1 <= card.y1 for card in cards
        ), box
    texts = "\n".join(t.get_text() for t in ax.texts)
    assert "CSAT % hidden for anonymity" in texts.replace("\n", " ")
    assert "No responses this period" in texts and "No listening post" in texts and "hot spot" in texts


@pytest.mark.parametrize("goals", [1, 8, 14])
def test_goal_tree_boxes_do_not_overlap(goals):
    tree = pd.DataFrame(
        {
            "team": [f"Team {i % 5}" for i in range(goals)],
            "goal": [f"Raise the score of touchpoint number {i} to its target" for i in range(goals)],
            "kpi": [f"KPI {i % 3}" if i % 4 else f"CSAT · Touchpoint {i}" for i in range(goals)],
            "metric": "csat",
            "question": [f"How satisfied were you with part {i % 2} of your visit?" for i in range(goals)],
            "surveys": "after_purchase",
            "measured": [i != 2 for i in range(goals)],
        }
    )
    statuses = ["behind", "met", "not measured", "too close to tell", "too few answers", "on track"]
    progress = tree[["team", "goal"]].assign(status=[statuses[i % 6] for i in range(goals)])
    fig = charts.goal_tree(tree, progress, "Raise customer satisfaction by 10 % by the end of 2026", title="Goal tree")
    _, _, boxes = text_boxes(fig)
    assert overlapping(boxes) == []
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert sum(charts.UNMEASURED in " ".join(t.split()) for t in texts) == (1 if goals > 2 else 0)
