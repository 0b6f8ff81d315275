"""Every chart of the book, built from small tables: readable at the book's width and described for screen readers.

A chart is saved as the book saves it (the notebook's savefig settings: 160 dpi, tight bounding box) and
the page scales the image down to its column: 688 CSS pixels wide at a 1280-pixel window, as measured on the
built book, which is also the printed page's width. Every text the chart draws must stay at least 9 pixels
high at that scale.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Callable

import matplotlib as mpl
import matplotlib.image
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from cxanalysis import charts, display
from cxanalysis.measurement import score_distribution

#: The book's content column at a 1280-pixel window (and the A4 page less its margins), in CSS pixels.
COLUMN_PX = 688
#: Smallest text a reader should have to read, in CSS pixels.
MIN_TEXT_PX = 9.0

PERIODS = ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
TOUCHPOINTS = [
    "Website and product pages",
    "Social media",
    "Newsletter",
    "Stores in Trøndelag and Nordland",
    "Checkout and payment",
    "Click and collect",
    "Home delivery and pick-up points",
    "Order follow-up e-mail",
    "Customer service centre (phone, e-mail and chat)",
    "Returns and refunds",
    "Loyalty club",
    "Relationship survey",
]


def summary(groups: dict[str, list[str]]) -> pd.DataFrame:
    """A metric summary (estimate, interval, n, suppressed) for every combination of ``groups``."""
    index = pd.MultiIndex.from_product(list(groups.values()), names=list(groups))
    frame = index.to_frame(index=False)
    rng = np.random.default_rng(7)
    estimate = rng.uniform(20, 60, len(frame))
    return frame.assign(
        n=rng.integers(40, 400, len(frame)),
        estimate=estimate,
        ci_low=estimate - 6,
        ci_high=estimate + 5,
        suppressed=[i == 1 for i in range(len(frame))],
    )


def goal_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    goals = 8
    tree = pd.DataFrame(
        {
            "team": [f"Team {i % 4}" for i in range(goals)],
            "goal": [f"Raise the score of touchpoint {i} to its target" for i in range(goals)],
            "kpi": [f"KPI {i % 3}" for i in range(goals)],
            "metric": "csat",
            "question": [f"How satisfied were you with part {i % 2} of your visit?" for i in range(goals)],
            "surveys": "after_purchase",
            "measured": [i != 2 for i in range(goals)],
        }
    )
    statuses = ["behind", "met", "not measured", "too close to tell", "too few answers", "on track"]
    progress = tree[["team", "goal"]].assign(status=[statuses[i % 6] for i in range(goals)])
    return tree, progress


def journey() -> pd.DataFrame:
    stages = ["Before buying", "Buying", "After buying", "Relationship"]
    rng = np.random.default_rng(4)
    n = rng.integers(40, 400, len(TOUCHPOINTS))
    n[2], n[10] = 3, 0
    estimate = rng.uniform(55, 90, len(TOUCHPOINTS))
    table = pd.DataFrame(
        {
            "stage": [stages[min(i // 3, 3)] for i in range(len(TOUCHPOINTS))],
            "touchpoint": TOUCHPOINTS,
            "n": n,
            "responses": n,
            "estimate": estimate,
            "ci_low": estimate - 7,
            "ci_high": estimate + 6,
            "suppressed": (n > 0) & (n < 5),
            "hot_spot": [i == 6 for i in range(len(TOUCHPOINTS))],
            "bright_spot": [i == 0 for i in range(len(TOUCHPOINTS))],
            "listening_posts": [0 if i == 5 else 1 for i in range(len(TOUCHPOINTS))],
            "asked_by": "transactional CSAT after each contact; relationship NPS twice a year",
        }
    )
    return table


def differences() -> pd.DataFrame:
    levels = ["North", "South", "Online", "Stores", "Members", "Non-members"]
    difference = np.array([4.2, -6.1, 0.8, -1.5, 2.4, -0.3])
    return pd.DataFrame(
        {
            "dimension": ["all", "region", "region", "channel", "channel", "loyalty_member"],
            "level": levels,
            "difference": difference,
            "ci_low": difference - 3,
            "ci_high": difference + 3,
            "p_adjusted": [0.01, 0.002, 0.6, 0.3, 0.2, 0.9],
        }
    )


def control() -> pd.DataFrame:
    share = [41.0, 43.5, 39.8, 47.9, 42.2, 40.1, 44.0, 35.2]
    return pd.DataFrame(
        {
            "period": [f"2025-{m:02d}" for m in range(1, 9)],
            "share": share,
            "centre": 42.0,
            "upper_limit": 47.0,
            "lower_limit": 37.0,
            "signal": ["", "", "", "above", "", "", "", "below"],
            "chart": "Laney p′",
        }
    )


def importance() -> pd.DataFrame:
    share = np.array([32.0, 24.0, 18.0, 12.0, 9.0, 5.0])
    return pd.DataFrame(
        {
            "driver": ["delivery_speed", "staff_friendliness", "price", "product_range", "website", "returns"],
            "share": share,
            "share_ci_low": share - 4,
            "share_ci_high": share + 4,
            "performance": [61.0, 78.0, 55.0, 70.0, 82.0, 64.0],
        }
    )


def goal_progress() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "goal": ["Checkout CSAT 80 %", "Delivery CSAT 75 %", "Service CES 5.5", "Returns CSAT 70 %"],
            "current": [72.0, 76.5, 68.0, 61.0],
            "ci_low": [68.0, 73.0, 64.0, 56.0],
            "ci_high": [76.0, 80.0, 72.0, 66.0],
            "target": [80.0, 75.0, 70.0, 70.0],
            "status": ["behind", "met", "too close to tell", "on track"],
            "suppressed": False,
        }
    )


CHARTS: dict[str, Callable[[], mpl.figure.Figure]] = {
    "trend": lambda: charts.trend(summary({"period": PERIODS}), "nps", min_n=5),
    "trend by group": lambda: charts.trend(
        summary({"period": PERIODS, "region": ["North", "South", "West", "East"]}), "csat", group="region", min_n=5
    ),
    "intervals": lambda: charts.intervals(
        summary({"touchpoint": TOUCHPOINTS}),
        "touchpoint",
        "csat",
        reference=40.0,
        highlight=pd.Series([i == 3 for i in range(len(TOUCHPOINTS))]),
        min_n=5,
        title="CSAT by touchpoint",
    ),
    "bars": lambda: charts.bars(
        pd.DataFrame({"language": ["Norwegian", "Swedish", "English"], "comments": [420, 130, 45]}),
        "language",
        "comments",
        title="Comments by language",
        xlabel="Comments",
    ),
    "stacked bars": lambda: charts.bars(
        summary({"touchpoint": TOUCHPOINTS, "period": PERIODS}).assign(responses=lambda t: t["n"]),
        "touchpoint",
        "responses",
        stacked_by="period",
        title="Responses per touchpoint and period",
        xlabel="Responses",
    ),
    "nps distribution": lambda: charts.score_distribution(
        score_distribution(pd.DataFrame({"nps": np.arange(200) % 11}), "nps", (0, 10)), "nps", title="NPS answers"
    ),
    "csat distribution": lambda: charts.score_distribution(
        score_distribution(pd.DataFrame({"csat": np.arange(100) % 7 + 1}), "csat", (1, 7)), "csat", title="CSAT"
    ),
    "control chart": lambda: charts.control_chart(control(), title="Detractors by month", ylabel="Detractors (%)"),
    "scenario line": lambda: charts.scenario_line(
        pd.DataFrame({"csat": [60.0, 70.0, 80.0, 90.0], "revenue_at_risk": [9e6, 6e6, 3.5e6, 1.2e6]}),
        current=74.3,
        currency="NOK",
        title="Revenue at risk by CSAT",
    ),
    "goal intervals": lambda: charts.goal_intervals(goal_progress(), "csat", min_n=5, title="Goals"),
    "differences": lambda: charts.differences(differences(), "nps", alpha=0.05, title="Change in NPS"),
    "long differences": lambda: charts.differences(
        differences().assign(comparison=["2025Q3", "2025Q3", "2025Q2", "2025Q2", "2025Q1", "2025Q1"]),
        "csat",
        alpha=0.05,
        title="CSAT (% satisfied): each segment against all other customers in the same period, with 95 % CI",
    ),
    "quadrants": lambda: charts.quadrants(importance(), top_boxes="4-5", title="Importance against performance"),
    "goal tree": lambda: charts.goal_tree(*goal_frames(), "Raise customer satisfaction by 10 %", title="Goal tree"),
    "journey map": lambda: charts.journey_map(
        journey(), "csat", average=72.0, min_n=5, title="Nordlys's journey: CSAT, 2025Q4"
    ),
}


def saved_as_in_the_book(figure) -> tuple[int, int]:
    """Save the figure with the notebook's settings; the PNG's width and height in pixels."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    buffer.seek(0)
    height, width = matplotlib.image.imread(buffer, format="png").shape[:2]
    return width, height


@pytest.fixture
def book_style():
    with mpl.rc_context():
        display.setup_notebook()
        yield


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_text_is_at_least_9_px_at_the_book_width(name, book_style):
    figure = CHARTS[name]()
    width, _ = saved_as_in_the_book(figure)
    scale = min(1.0, COLUMN_PX / width)  # an image narrower than the column is shown at its own size
    pixels_per_point = mpl.rcParams["savefig.dpi"] / 72 * scale
    texts = [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert texts
    small = {t.get_text()[:40]: round(t.get_fontsize() * pixels_per_point, 1) for t in texts}
    small = {text: px for text, px in small.items() if px < MIN_TEXT_PX}
    assert not small, f"{name}: image {width} px wide; texts under {MIN_TEXT_PX} px at {COLUMN_PX} px: {small}"


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_has_a_title_and_a_reading(name, book_style):
    figure = CHARTS[name]()
    title = getattr(figure, "cx_title", "")
    reading = getattr(figure, "cx_description", "")
    assert title.strip() and len(reading.split()) >= 5, (title, reading)
    alt = charts.alt_text(figure)
    assert alt.startswith(title) and reading in alt and not re.search(r"\.png|/", alt.split(":")[0])


def test_show_publishes_an_inline_image_whose_alt_text_is_the_title_and_the_reading(monkeypatch, book_style):
    shown = []
    monkeypatch.setattr(display, "display", shown.append)
    figure = charts.differences(differences(), "nps", alpha=0.05, title='Change in "NPS" <by region>')
    display.show(figure)
    display.show(charts.trend(summary({"period": PERIODS}), "nps", min_n=5), description="NPS rose by 4 points.")
    first, second = (item.data for item in shown)
    alt = re.search(r'alt="([^"]*)"', first).group(1)
    assert html.unescape(alt).startswith('Change in "NPS" <by region>. Differences in NPS')
    assert "<by" not in alt and "up: North; down: region: South" in html.unescape(alt)
    source = re.search(r'src="data:image/png;base64,([^"]+)"', first).group(1)
    assert base64.b64decode(source).startswith(b"\x89PNG")
    assert 'alt="NPS by period. NPS rose by 4 points."' in second


def test_journey_map_colours_touchpoints_by_the_evidence_not_the_distance_from_the_average(book_style):
    scores = journey().assign(hot_spot=False, bright_spot=False)
    scores["estimate"] = np.linspace(40, 95, len(scores))  # far below and far above the average of 72
    figure = charts.journey_map(scores, "csat", average=72.0, min_n=5, title="Journey")
    fills = {mpl.colors.to_hex(p.get_facecolor()) for p in figure.axes[0].patches}
    assert fills <= {charts.EVIDENCE_FILL["neither"], "#ffffff"}, fills
    assert "none is significantly below the rest" in charts.alt_text(figure)

    flagged = journey()
    figure = charts.journey_map(flagged, "csat", average=72.0, min_n=5, title="Journey")
    patches = figure.axes[0].patches
    hot = [p for p, flag in zip(patches, flagged["hot_spot"]) if flag]
    bright = [p for p, flag in zip(patches, flagged["bright_spot"]) if flag]
    assert [mpl.colors.to_hex(p.get_facecolor()) for p in hot] == [charts.EVIDENCE_FILL["hot"]]
    assert [mpl.colors.to_hex(p.get_facecolor()) for p in bright] == [charts.EVIDENCE_FILL["bright"]]
    texts = " ".join(t.get_text() for t in figure.axes[0].texts)
    assert "hot spot" in texts and "above the rest" in texts  # said in words, not only by colour
    assert "Home delivery and pick-up points" in charts.alt_text(figure)


def test_differences_show_direction_by_marker_and_sign(book_style):
    figure = charts.differences(differences(), "nps", alpha=0.05, title="Change")
    markers = {c.get_label(): c for c in figure.axes[0].collections if not c.get_label().startswith("_")}
    assert set(markers) == {"Up, unlikely to be chance", "Down, unlikely to be chance", "Could be chance"}
    labels = {t.get_text() for t in figure.axes[0].texts}
    assert {"+4.2", "-6.1", "+0.8"} <= labels


def test_answer_groups_are_named_on_the_distribution(book_style):
    counts = score_distribution(pd.DataFrame({"nps": np.arange(200) % 11}), "nps", (0, 10))
    figure = charts.score_distribution(counts, "nps", title="NPS")
    texts = " ".join(t.get_text() for t in figure.axes[0].texts).replace("\n", " ")
    assert "Detractors 0–6" in texts and "Passives 7–8" in texts and "Promoters 9–10" in texts
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    boxes = [t.get_window_extent(canvas.get_renderer()) for t in figure.axes[0].texts]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_palette_is_colour_blind_safe():
    okabe_ito = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#000000"}
    assert {charts.INK, charts.ACCENT, charts.BAD, charts.GOOD} <= okabe_ito
    assert set(display.PALETTE[:7]) == okabe_ito


def test_tick_numbers_use_the_report_languages_decimal_mark(book_style):
    from cxanalysis import presentation

    presentation.set_language("nb")
    try:
        figure = charts.differences(differences(), "nps", alpha=0.05, title="Endring")
        figure.canvas.draw()
        ticks = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    finally:
        presentation.set_language("en")
    assert "2,5" in ticks and not any("." in tick for tick in ticks)
