"""Strings from a client's data and config reach charts and pages as text, never as markup."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import yaml
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from browser import PageVisit, chromium, visit_book
from conftest import SAMPLE_CONFIG
from cxanalysis import charts, load_config
from cxanalysis.runner import BuildOutcome, build
from cxanalysis.themes import DEFAULT_TAXONOMY as THEMES

#: Price tiers, a formula-like name and TeX's sub- and superscript marks.
LABELS = ["$", "$$", "$x^2$", "a_b^c"]


def drawn_texts(fig) -> list[str]:
    """Draw the figure as the book does and return every text it shows."""
    FigureCanvasAgg(fig).draw()
    texts = [t for t in fig.findobj(Text) if t.get_text()]
    assert all(not t.get_parse_math() for t in texts if "$" in t.get_text())
    return [t.get_text() for t in texts]


def summary(**columns) -> pd.DataFrame:
    n = len(LABELS)
    return pd.DataFrame(
        {"estimate": [70.0 + i for i in range(n)], "ci_low": [65.0] * n, "ci_high": [80.0] * n, "suppressed": False}
        | columns
    )


def test_trend_periods_and_groups_are_text():
    frame = pd.concat([summary(period=LABELS, segment=name) for name in LABELS], ignore_index=True)
    texts = drawn_texts(charts.trend(frame, "csat", group="segment", title="$x^2$ by period"))
    assert set(LABELS) <= set(texts) and "$x^2$ by period" in texts


def test_intervals_labels_are_text():
    texts = drawn_texts(charts.intervals(summary(touchpoint=LABELS), "touchpoint", "nps", title="$$"))
    assert set(LABELS) <= set(texts)


@pytest.mark.parametrize("stacked", [False, True])
def test_bars_labels_are_text(stacked):
    frame = pd.DataFrame({"theme": LABELS, "tier": LABELS, "count": [3, 5, 2, 4]})
    fig = charts.bars(frame, "theme", "count", title="$", xlabel="a_b^c", stacked_by="tier" if stacked else None)
    assert set(LABELS) <= set(drawn_texts(fig))


def test_score_distribution_title_is_text():
    counts = pd.DataFrame({"score": range(4), "share": [10.0, 20.0, 30.0, 40.0], "colour": "#1f4e79"})
    assert "$x^2$" in drawn_texts(charts.score_distribution(counts, "ces", title="$x^2$"))


def test_control_chart_periods_are_text():
    chart = pd.DataFrame(
        {
            "period": LABELS,
            "share": [0.5, 0.6, 0.4, 0.5],
            "centre": 0.5,
            "upper_limit": 0.7,
            "lower_limit": 0.3,
            "signal": "",
            "chart": "p",
        }
    )
    texts = drawn_texts(charts.control_chart(chart, title="$$", ylabel="$"))
    assert set(LABELS) <= set(texts)


def test_scenario_line_currency_is_text():
    scenarios = pd.DataFrame({"csat": [70.0, 80.0, 90.0], "revenue_at_risk": [300.0, 200.0, 100.0]})
    texts = drawn_texts(charts.scenario_line(scenarios, current=80.0, currency="$", title="$$"))
    assert "Revenue at risk ($)" in texts and "$$" in texts


def test_goal_intervals_goals_are_text():
    progress = pd.DataFrame(
        {
            "goal": LABELS,
            "current": [70.0, 71.0, 72.0, 73.0],
            "ci_low": 65.0,
            "ci_high": 80.0,
            "target": 75.0,
            "status": "too close to tell",
            "suppressed": False,
        }
    )
    assert set(LABELS) <= set(drawn_texts(charts.goal_intervals(progress, "csat", title="$")))


def test_differences_levels_are_text():
    changes = pd.DataFrame(
        {"dimension": "all", "level": LABELS, "difference": [1.0, -2.0, 3.0, 0.5], "ci_low": -4.0, "ci_high": 5.0}
    ).assign(p_adjusted=0.5)
    assert set(LABELS) <= set(drawn_texts(charts.differences(changes, "nps", alpha=0.05, title="$")))


def importance(**columns) -> pd.DataFrame:
    return pd.DataFrame(
        {"driver": LABELS, "share": [40.0, 30.0, 20.0, 10.0], "performance": [60.0, 70.0, 80.0, 65.0]} | columns
    )


def test_quadrants_driver_names_are_text():
    texts = drawn_texts(charts.quadrants(importance(), top_boxes="4-5", title="$"))
    # Driver names are shown as words: underscores become spaces, the first letter a capital.
    assert {"$", "$$", "$x^2$", "A b^c"} <= set(texts)


def test_quadrants_draws_an_interval_that_does_not_contain_its_share():
    # A weakly related attribute: its share lies below its bootstrap percentile interval.
    frame = importance(share_ci_low=[35.0, 25.0, 22.0, 5.0], share_ci_high=[45.0, 36.0, 30.0, 15.0])
    fig = charts.quadrants(frame, top_boxes="4-5", title="Drivers")
    texts = drawn_texts(fig)
    assert any("1 share lies outside its interval" in t for t in texts)
    # The drawn line for that driver spans its interval, not the distance to its share.
    lines = fig.axes[0].collections[0].get_segments()
    spans = sorted((round(seg[0][0], 6), round(seg[1][0], 6)) for seg in lines)
    assert (22.0, 30.0) in spans


def test_goal_tree_names_are_text():
    tree = pd.DataFrame(
        {
            "team": LABELS,
            "goal": LABELS,
            "kpi": LABELS,
            "metric": "csat",
            "question": LABELS,
            "surveys": "after_purchase",
            "measured": True,
        }
    )
    progress = tree[["team", "goal"]].assign(status="met")
    texts = drawn_texts(charts.goal_tree(tree, progress, "$x^2$", title="$$"))
    assert {f"{name}: {name}" for name in LABELS} <= set(texts)
    assert set(LABELS) <= set(texts)


def test_journey_map_stages_and_touchpoints_are_text():
    scores = pd.DataFrame({"stage": LABELS, "touchpoint": LABELS}).assign(
        n=100,
        responses=100,
        estimate=[60.0, 70.0, 80.0, 75.0],
        ci_low=55.0,
        ci_high=85.0,
        suppressed=False,
        hot_spot=False,
        listening_posts=1,
        asked_by="$ survey",
    )
    texts = drawn_texts(charts.journey_map(scores, "csat", average=70.0, min_n=5, title="$x^2$"))
    assert set(LABELS) <= set(texts) and "$x^2$" in texts


#: Markup, a script, an ampersand, a link to script and a MyST role, as a careless or hostile config could hold them.
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
AMPERSAND = "R&D <Nord>"
LINK = "[open](javascript:alert(3))"
ROLE = "{eval-rst}`x`"
#: An attribute value closed early, MyST's raw and eval roles, and TeX math.
QUOTED = '"><script>alert(4)</script>'
RAW = "{raw:html}`<b>x</b>`"
EVAL = "{eval}`1+1`"
MATH = "$x^2$"

#: Where each payload sits in the hostile client: every name a client configures, and data values.
NAMES = {
    "client name": f"{AMPERSAND} {IMG}",
    "report title": f"Report {SCRIPT} {ROLE}",
    "report subtitle": f"{LINK} {IMG}",
    "report notice": f"{SCRIPT} {LINK} {RAW} {MATH}",
    "program goal": f"Goal {IMG}",
    "team": f"Team {AMPERSAND}",
    "goal": f"Raise NPS {SCRIPT}",
    "second goal": f"Support {RAW} {MATH}",
    "journey stage": f"Stage {IMG} {ROLE}",
    "touchpoint": f"Social {QUOTED} {EVAL}",
    "question": f"How satisfied {RAW} {MATH}?",
    "attribute question": f"Replies {IMG} {EVAL}",
    "theme": f"Waiting {QUOTED} {RAW}",
    "segment": f"plan {RAW}",
    "segment value": f"Gold {IMG} {MATH}",
    "other segment value": f"Silver {EVAL} {QUOTED}",
    "region": f"Nord {SCRIPT}",
    "prepared by": f"Prepared by {AMPERSAND} {SCRIPT}",
    "confidentiality": f"Confidential {IMG} {ROLE}",
    "survey name": f"Survey {QUOTED} {RAW}",
    "benchmark source": f"Study {LINK} {RAW}",
    "agent": f"Kari {SCRIPT} {MATH}",
}


def _rewrite_csv(path, column, old, new, **options):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, **options)
    frame[column] = frame[column].replace(old, new)
    return frame


def write_hostile_client(folder, output_dir):
    """The sample client with payloads in every name a client configures (see :data:`NAMES`): its name,
    report texts, teams and goals, a journey stage and touchpoint, questions, a theme, a segment and its
    values, and a region."""
    shutil.copytree(SAMPLE_CONFIG.parent, folder, dirs_exist_ok=True)
    config = yaml.safe_load((folder / "client.yml").read_text(encoding="utf-8"))
    config["client"] |= {"name": NAMES["client name"], "slug": "hostile"}
    config["report"] |= {
        "title": NAMES["report title"],
        "subtitle": NAMES["report subtitle"],
        "notice": NAMES["report notice"],
        "prepared_by": NAMES["prepared by"],
        "confidentiality": NAMES["confidentiality"],
    }
    config["display_names"] = {"relational_nps": NAMES["survey name"]}
    config["output_dir"] = str(output_dir)
    config["questions"] |= {"csat": NAMES["question"], "responsiveness": NAMES["attribute question"]}
    config["action_plan"]["effort"][NAMES["touchpoint"]] = config["action_plan"]["effort"].pop("Social media")
    # A segment of the client's own, with payloads in its name and values, in both survey files.
    segment = NAMES["segment"]
    config["segments"].append(segment)
    for source in config["sources"]:
        source["columns"][segment] = "Plan"
    plans = [NAMES["segment value"], NAMES["other segment value"]]
    relational = _rewrite_csv(
        folder / "relational_nps.csv", "Region", "Nord", NAMES["region"], sep=";", encoding="utf-8-sig"
    )
    relational["Plan"] = [plans[i % 2] for i in range(len(relational))]
    relational.to_csv(folder / "relational_nps.csv", sep=";", index=False, encoding="utf-8-sig")
    transactional = pd.read_excel(folder / "transactional.xlsx", sheet_name="Responses")
    transactional["Touchpoint"] = transactional["Touchpoint"].replace("Social media", NAMES["touchpoint"])
    transactional["Region"] = transactional["Region"].replace("Nord", NAMES["region"])
    transactional["Agent"] = transactional["Agent"].replace("Kari O.", NAMES["agent"])
    transactional["Plan"] = [plans[i % 2] for i in range(len(transactional))]
    with pd.ExcelWriter(folder / "transactional.xlsx") as writer:
        transactional.to_excel(writer, sheet_name="Responses", index=False)
    for name, column in (("customers.csv", "region"), ("tickets.csv", "region"), ("invitations.csv", "region")):
        _rewrite_csv(folder / name, column, "Nord", NAMES["region"]).to_csv(folder / name, index=False)
    # The region's population share under its new name, a benchmark's source, and an agent's name.
    regions = config["weighting"]["margins"]["region"]
    config["weighting"]["margins"]["region"] = {NAMES["region"] if k == "Nord" else k: v for k, v in regions.items()}
    config["benchmarks"][0]["source"] = NAMES["benchmark source"]
    tickets = _rewrite_csv(folder / "tickets.csv", "touchpoint", "Social media", NAMES["touchpoint"])
    tickets.to_csv(folder / "tickets.csv", index=False)
    # A theme of the client's own taxonomy.
    themes = yaml.safe_load(THEMES.read_text(encoding="utf-8"))
    themes["response_time"]["label"] = NAMES["theme"]
    config["themes"] = "themes.yml"
    stakeholders = yaml.safe_load((folder / "stakeholders.yml").read_text(encoding="utf-8"))
    stakeholders["program_goal"] = NAMES["program goal"]
    stakeholders["teams"][0]["name"] = NAMES["team"]
    stakeholders["teams"][0]["goals"][0]["name"] = NAMES["goal"]
    stakeholders["teams"][1]["goals"][0]["name"] = NAMES["second goal"]
    journey = yaml.safe_load((folder / "journey.yml").read_text(encoding="utf-8"))
    journey["stages"][0]["name"] = NAMES["journey stage"]
    for stage in journey["stages"]:
        for touchpoint in stage["touchpoints"]:
            if touchpoint["name"] == "Social media":
                touchpoint["name"] = NAMES["touchpoint"]
    for name, data in (
        ("client.yml", config),
        ("stakeholders.yml", stakeholders),
        ("journey.yml", journey),
        ("themes.yml", themes),
    ):
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder / "client.yml"


# Runs in the page: elements a payload would make if it were read as markup rather than text, and the text
# of collapsed sections (tables behind a click), which a reader sees once they open them.
_INJECTED = """
() => ({
  injected: {
    images: document.querySelectorAll('img[src="x"]').length,
    scripts: Array.from(document.scripts).filter(s => s.textContent.includes('alert(')).length,
    bold: Array.from(document.querySelectorAll('b, strong')).filter(b => b.textContent.trim() === 'x').length,
    handlers: document.querySelectorAll('[onerror]').length,
  },
  collapsed: Array.from(document.querySelectorAll('details')).map(d => d.textContent).join('\\n'),
})
"""
NOTHING_INJECTED = {"images": 0, "scripts": 0, "bold": 0, "handlers": 0}


@dataclass
class HostileBook:
    outcome: BuildOutcome
    visits: list[PageVisit]
    #: Per page: the elements the payloads made (none, when they are text) and the text of collapsed sections.
    injected: dict[Path, dict[str, int]]
    collapsed: str
    dialogs: list[str]


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory) -> HostileBook:
    """The hostile client's book and PDF, built once for this module, with every page opened."""
    folder = tmp_path_factory.mktemp("hostile")
    config = load_config(write_hostile_client(folder / "client", folder / "out"))
    started = time.perf_counter()
    outcome = build(config, workers=4, pdf=True, progress=lambda line: None)
    print(f"\nhostile client's book and PDF built in {time.perf_counter() - started:.0f} s")
    visits = visit_book(outcome.folder / "html")
    injected, collapsed, dialogs = {}, [], []
    with chromium() as browser:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for visit in visits:
            page.goto(visit.page.resolve().as_uri(), wait_until="load")
            page.wait_for_timeout(150)  # let the theme's scripts settle
            found = page.evaluate(_INJECTED)
            injected[visit.page] = found["injected"]
            collapsed.append(found["collapsed"])
    return HostileBook(outcome, visits, injected, "\n".join(collapsed), dialogs)


def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()


@pytest.mark.slow
def test_configured_text_is_shown_as_text_on_every_page(hostile_book):
    visits = hostile_book.visits
    assert len(visits) > 10
    for visit in visits:
        source = visit.page.read_text(encoding="utf-8")
        assert visit.dialogs == [], visit.page
        assert visit.page_errors == [], (visit.page, visit.page_errors)
        assert visit.broken_images == [], (visit.page, visit.broken_images)  # an injected <img src=x> never loads
        assert "<img src=x" not in source and "<script>alert" not in source, visit.page
        assert 'href="javascript:' not in source, visit.page
        # The book's title, who prepared it and its confidentiality line, on every page as the reader typed them.
        assert visit.title.endswith(f"Report {SCRIPT} {ROLE}: {AMPERSAND} {IMG}"), (visit.page, visit.title)
        assert NAMES["prepared by"] in visit.text and NAMES["confidentiality"] in visit.text, visit.page
    # Every payload is shown as typed: on a page, or in a table behind a click.
    shown = _flat("\n".join(visit.text for visit in visits))
    collapsed = _flat(hostile_book.collapsed)
    missing = [where for where, name in NAMES.items() if _flat(name) not in shown and _flat(name) not in collapsed]
    assert missing == [], missing
    # Those in sentences and headings too, not only in table cells.
    for where in ("client name", "report notice", "second goal", "journey stage", "touchpoint", "theme"):
        assert _flat(NAMES[where]) in shown, where


@pytest.mark.slow
def test_no_payload_makes_an_element_on_any_page(hostile_book):
    assert hostile_book.dialogs == []
    for page, injected in hostile_book.injected.items():
        assert injected == NOTHING_INJECTED, page


@pytest.mark.slow
def test_the_pdf_shows_every_payload_as_text(hostile_book):
    pdf = hostile_book.outcome.pdf
    assert pdf is not None and pdf.exists()
    try:
        from pypdf import PdfReader
    except ImportError:
        pytest.skip("pypdf is not installed: no PDF text extractor to read the printed book with")
    printed = "".join("".join(page.extract_text().split()) for page in PdfReader(pdf).pages).casefold()
    # What a page shows, the PDF prints (tables behind a click stay out of it, as in the book they are closed).
    shown = _flat("\n".join(visit.text for visit in hostile_book.visits))
    on_pages = [where for where, name in NAMES.items() if _flat(name) in shown]
    assert len(on_pages) >= len(NAMES) - 2, on_pages
    missing = [where for where in on_pages if "".join(NAMES[where].split()).casefold() not in printed]
    assert missing == [], missing
