"""How numbers reach the page: formatted, escaped tables; readings; notes; chart style."""

from __future__ import annotations

import datetime as dt
import html
import re

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from IPython.display import HTML, Markdown, display

from . import presentation
from .translation import N_, _
from .words import (
    CI_LABEL,
    HIDDEN,
    HIDDEN_GROUP,
    SUPPRESSED,
    change_verdict,
    column_label,
    dimension_title,
    display_value,
    escape_markdown,
    hidden_group_reason,
)

#: Columns that count people: below the anonymity threshold a cell shows "n < min_n", never the count;
#: on a hidden row, "hidden".
COUNT_COLUMNS = {"n", "responses", "answers", "comments", "respondents", "customers", "comments_on_theme"}

#: Okabe & Ito's colour-blind-safe colours (their yellow, too pale on white, replaced by a dark grey); charts
#: add marker shapes, line styles or patterns, so no series is told apart by colour alone.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#000000", "#8c8c8c"]


#: Columns of p-values, shown as "< 0.001", never "0.000" ("p_rank_first" is a share of resamples, not one).
P_VALUE_COLUMNS = frozenset({"p", "p_value", "p_adjusted", "p_randomisation", "p_wild_bootstrap", "min_attainable_p"})


def is_p_value_column(column: str) -> bool:
    return column in P_VALUE_COLUMNS


def _is_date(value: object) -> bool:
    return isinstance(value, (dt.date, pd.Timestamp))


#: An estimate shown without its interval is still rounded by it, as it is wherever the interval is shown:
#: each side of a comparison by its own interval (a touchpoint's level and the rest of the journey's).
OWN_INTERVALS = {
    "estimate_a": ("level_ci_low_a", "level_ci_high_a"),
    "estimate_b": ("level_ci_low_b", "level_ci_high_b"),
    "rest": ("level_ci_low_b", "level_ci_high_b"),
}


def _own_interval(column: str, frame: pd.DataFrame) -> tuple[str, str] | None:
    """The columns holding the interval of this estimate column, if the table has them."""
    if column == "estimate":
        # a level table's own interval; in a comparison, ci_low and ci_high are the difference's
        bounds = ("level_ci_low_a", "level_ci_high_a") if "difference" in frame else ("ci_low", "ci_high")
    else:
        bounds = OWN_INTERVALS.get(column)  # type: ignore[assignment]
    return bounds if bounds and all(bound in frame for bound in bounds) else None


#: The level of a score over all responses, as the result tables keep it (shown in the report language).
ALL_RESPONSES = N_("All responses")
#: Columns whose values are ids a reader should see by name (:func:`cxanalysis.words.display_value`).
NAMED_COLUMNS = ("survey", "language", "method")


#: Columns whose values the result tables keep in English as ids (a goal's status, a driver's quadrant,
#: a comparison, a coverage gap's reason, a logged change's verdict): the table shows each known value in the report language.
TRANSLATED_COLUMNS = (
    "status",
    "quadrant",
    "comparison",
    "coverage_gap",
    "verdict",
    "baseline",
    "kind",
    "rank",
    "signal",
    "dimension",
    "group",
    "layout",
    "source",
)


def _value_label(column: str, value: object, min_n: int | None) -> object:
    """A value of a :data:`TRANSLATED_COLUMNS` column in the report language; any other value as it is."""
    from .actions import kind_label, rank_label
    from .compare import VERDICTS as COMPARISON_VERDICTS
    from .drivers import quadrant_label
    from .effects import verdict_label
    from .exports import layout_name
    from .goals import status_word
    from .manifest import ROLES, role_label
    from .money import group_label
    from .monitoring import SIGNAL_LABELS
    from .program import listening_post_kind
    from .significance import ALL_OTHER_RESPONSES, comparison_label
    from .touchpoints import COVERAGE_GAPS

    if not isinstance(value, str):
        return value
    if column == "status":
        return status_word(value)
    if column == "quadrant":
        return quadrant_label(value)
    if column == "comparison":
        return comparison_label(value)
    if column == "verdict":
        return change_verdict(value) if value in COMPARISON_VERDICTS else verdict_label(value)
    if column == "dimension":
        return dimension_title(value)
    if column == "group":
        return group_label(value)
    if column == "layout":
        return layout_name(value)
    if column == "source":  # a survey source by the client's name; the customers and tickets files by their role
        return role_label(value) if value in ROLES else value
    if column == "kind":
        return kind_label(listening_post_kind(value))
    if column == "rank":
        return rank_label(value)
    if column == "signal":
        return _(SIGNAL_LABELS[value]) if value in SIGNAL_LABELS else value
    if value in (ALL_RESPONSES, ALL_OTHER_RESPONSES):
        return _(value)
    if value in COVERAGE_GAPS:
        return _(value)
    return hidden_group_reason(min_n) if min_n is not None and value == HIDDEN_GROUP.format(min_n=min_n) else value


def _display_values(frame: pd.DataFrame, min_n: int | None = None) -> pd.DataFrame:
    """The table with survey ids, language codes and method ids replaced by their names; a "level"
    column is named by its row's "dimension"; statuses, quadrants, comparisons and coverage gaps kept
    as English ids are shown in the report language."""
    named = [c for c in NAMED_COLUMNS if c in frame and not pd.api.types.is_numeric_dtype(frame[c])]
    by_dimension = "level" in frame and "dimension" in frame
    translated = [c for c in TRANSLATED_COLUMNS if c in frame and not pd.api.types.is_numeric_dtype(frame[c])]
    if not named and not by_dimension and "surveys" not in frame and not translated:
        return frame
    frame = frame.copy()
    if by_dimension:  # named by the dimension's id, before the dimension itself is shown in words
        frame["level"] = [
            _(ALL_RESPONSES) if d == "all" and v == ALL_RESPONSES else display_value(str(d), v)
            for d, v in zip(frame["dimension"], frame["level"])
        ]
    for column in translated:
        frame[column] = [_value_label(column, v, min_n) for v in frame[column]]
    for column in named:
        frame[column] = [display_value(column, v) for v in frame[column]]
    if "surveys" in frame:  # a list of survey ids, as the goal register keeps them
        frame["surveys"] = [
            ", ".join(display_value("survey", s) for s in str(v).split(", ")) if isinstance(v, str) and v else v
            for v in frame["surveys"]
        ]
    return frame


#: Each known column id's heading as a catalogue message, translated where the table is shown; an id not
#: listed here keeps :func:`cxanalysis.words.column_label`'s automatic heading (recorded as a missing message
#: in a report in another language).
HEADINGS = {
    "today_→_target": N_("Today → target"),
    "agent": N_("Agent"),
    "raw_score": N_("Raw score"),
    "after_shrinkage": N_("After shrinkage"),
    "team_mean": N_("Team mean"),
    "stands_out": N_("Stands out"),
    "agent_satisfaction_(%)": N_("Agent satisfaction (%)"),
    "csat_(%)": N_("CSAT (%)"),
    "step": N_("Step"),
    "formula": N_("Formula"),
    "quantity": N_("Quantity"),
    "meaningful_change": N_("Meaningful change"),
    "more_needed": N_("More needed"),
    "delimiter": N_("Delimiter"),
    "encoding": N_("Encoding"),
    "format": N_("Format"),
    "layout": N_("Layout"),
    "sheet": N_("Sheet"),
    "churn_next_month": N_("Churn next month"),
    "churn_next_quarter": N_("Churn next quarter"),
    "churn_over_a_month": N_("Churn over a month"),
    "churn_over_a_year": N_("Churn over a year"),
    "revenue_lost_next_month": N_("Revenue lost next month"),
    "revenue_lost_next_quarter": N_("Revenue lost next quarter"),
    "revenue_lost_over_a_month": N_("Revenue lost over a month"),
    "revenue_lost_over_a_year": N_("Revenue lost over a year"),
    "uplift_low": N_("Uplift low"),
    "uplift_high": N_("Uplift high"),
    "cost": N_("Cost"),
    "n_now": N_("n now"),
    "population_share": N_("Population share"),
    "share_of_responses": N_("Share of responses"),
    "lowest_in_a_cell": N_("Lowest in a cell"),
    "highest_in_a_cell": N_("Highest in a cell"),
    "weighted_share": N_("Weighted share"),
    "design_effect": N_("Design effect"),
    "trimmed": N_("Trimmed"),
    "largest_weight_(×_mean)": N_("Largest weight (× mean)"),
    "impact_low": N_("Impact low"),
    "impact_high": N_("Impact high"),
    "effort": N_("Effort"),
    "feasibility": N_("Feasibility"),
    "priority_low": N_("Priority low"),
    "priority_high": N_("Priority high"),
    "owner_id": N_("Owner id"),
    "action": N_("Action"),
    "area": N_("Area"),
    "baseline": N_("Baseline"),
    "centre": N_("Centre"),
    "comment": N_("Comment"),
    "comments": N_("Comments"),
    "complaints": N_("Complaints"),
    "count": N_("Count"),
    "coverage_gap": N_("Coverage gap"),
    "current": N_("Current"),
    "deadline": N_("Deadline"),
    "difference": N_("Difference"),
    "dimension": N_("Dimension"),
    "driver": N_("Driver"),
    "effect": N_("Effect"),
    "estimate": N_("Estimate"),
    "evidence": N_("Evidence"),
    "file": N_("File"),
    "gap_to_target": N_("Gap to target"),
    "goal": N_("Goal"),
    "level": N_("Level"),
    "listening_posts": N_("Listening posts"),
    "lower_limit": N_("Lower limit"),
    "mde": N_("MDE"),
    "median_hours": N_("Median hours"),
    "mentioning": N_("Mentioning"),
    "method": N_("Method"),
    "metric": N_("Metric"),
    "n": N_("n"),
    "n_a": N_("n (a)"),
    "n_effective": N_("Effective n"),
    "notes": N_("Notes"),
    "other_comments": N_("Other comments"),
    "owner": N_("Owner"),
    "p90_hours": N_("P90 hours"),
    "p_adjusted": N_("Adjusted p"),
    "p_randomisation": N_("p randomisation"),
    "p_rank_first": N_("Ranks first (% of resamples)"),
    "performance": N_("Performance"),
    "period": N_("Period"),
    "priority": N_("Priority"),
    "quadrant": N_("Quadrant"),
    "quarantined": N_("Quarantined"),
    "rank": N_("Rank"),
    "read": N_("Read"),
    "responses_needed": N_("Responses needed"),
    "rest": N_("Rest"),
    "role": N_("Role"),
    "rows": N_("Rows"),
    "score": N_("Score"),
    "segment": N_("Segment"),
    "setting": N_("Setting"),
    "sha-256": N_("SHA-256"),
    "share": N_("Share"),
    "signal": N_("Signal"),
    "source": N_("Source"),
    "stage": N_("Stage"),
    "status": N_("Status"),
    "target": N_("Target"),
    "target_source": N_("Target source"),
    "team": N_("Team"),
    "theme": N_("Theme"),
    "tickets": N_("Tickets"),
    "touchpoint": N_("Touchpoint"),
    "upper_limit": N_("Upper limit"),
    "valid": N_("Valid"),
    "value": N_("Value"),
    "verdict": N_("Verdict"),
    "change": N_("Change"),
    "reading": N_("Reading"),
    "initiative": N_("Initiative"),
    "action_area": N_("Action area"),
    "due": N_("Due"),
    "goals": N_("Goals"),
    "kpis": N_("KPIs"),
    "kind": N_("Kind"),
    "kpi": N_("KPI"),
    "figure": N_("Figure"),
    "measured_as": N_("Measured as"),
    "latest": N_("Latest"),
    "scope": N_("Scope"),
    "question": N_("Question"),
    "surveys": N_("Surveys"),
    "measured": N_("Measured"),
    "ci_low": N_("CI low"),
    "ci_high": N_("CI high"),
    "p": N_("p"),
    "p_value": N_("p"),
    "estimate_a": N_("A"),
    "estimate_b": N_("B"),
    "nps": N_("NPS"),
    "csat": N_("CSAT"),
    "ces": N_("CES"),
    "impact": N_("Impact (points)"),
    "impact_metric": N_("On score"),
    "impact_standardised": N_("Impact (SDs of one answer)"),
    "vif": N_("VIF"),
    "share_commenting": N_("Share commenting"),
    "responses": N_("Responses"),
    "answers": N_("Answers"),
    "respondents": N_("Respondents"),
    "customers": N_("Customers"),
    "comments_on_theme": N_("Comments on theme"),
    "suppressed": N_("Suppressed"),
    "per_100_customers": N_("Per 100 customers"),
    "share_referring": N_("Share referring"),
    "chart_type": N_("Chart type"),
    "survey": N_("Survey"),
    "trigger": N_("Trigger"),
    "cadence": N_("Cadence"),
    "channel": N_("Channel"),
    "reasons": N_("Reasons"),
    "reason": N_("Reason"),
    "answer": N_("Answer"),
    "texts": N_("Texts"),
    "chart": N_("Chart"),
    "tickets_all": N_("Tickets all"),
    "nps_answers": N_("NPS answers"),
    "csat_answers": N_("CSAT answers"),
    "ces_answers": N_("CES answers"),
    "comment_answers": N_("Comment answers"),
    "referrals": N_("Referrals"),
    "churn": N_("Churn"),
    "churned": N_("Churned"),
    "revenue_per_period": N_("Revenue per period"),
    "lifetime_value": N_("Lifetime value"),
    "expected_periods": N_("Expected periods"),
    "group": N_("Group"),
    "mentions": N_("Mentions"),
    "label": N_("Label"),
    "uplift": N_("Uplift"),
    "expected_uplift": N_("Expected uplift"),
    "metric_to_watch": N_("Metric to watch"),
    "column": N_("Column"),
    "asked_by": N_("Asked by"),
    "language": N_("Language"),
    "coded": N_("Coded"),
    # the teaching edition's pitfalls tables (cxanalysis.pitfalls)
    "share_earlier": N_("Share earlier"),
    "share_later": N_("Share later"),
    "score_earlier": N_("Score earlier"),
    "score_later": N_("Score later"),
    "within_segments": N_("Within segments"),
    "mix": N_("Mix"),
    "case": N_("Case"),
    "promoters": N_("Promoters"),
    "passives": N_("Passives"),
    "detractors": N_("Detractors"),
    "standard_deviation_of_one_answer": N_("Standard deviation of one answer"),
    "standard_error": N_("Standard error"),
    "invited": N_("Invited"),
    "response_rate_(%)": N_("Response rate (%)"),
    "share_of_those_who_answer_(%)": N_("Share of those who answer (%)"),
    "share_of_those_asked_(%)": N_("Share of those asked (%)"),
    "reference": N_("Reference"),
    "year": N_("Year"),
}

_CI_SUFFIXES = tuple(f"_({label})" for label in ("95 % CI", "95 %_CI"))
_PERIOD = re.compile(r"^\d{4}")
_UNIT = re.compile(r"^(?P<column>[a-z_]+)_\((?P<unit>[A-Z]{3})\)$")


def heading(column: str) -> str:
    """A column id as its table heading in the report language: "gap_to_target" is "Gap to target"."""
    for suffix in _CI_SUFFIXES:
        if column.endswith(suffix):
            return _("{heading} (95 % CI)").format(heading=heading(column[: -len(suffix)]))
    if column in HEADINGS:
        return _(HEADINGS[column])
    if unit := _UNIT.match(column):  # a column in a currency or other unit: "cost_(NOK)"
        return _("{heading} ({unit})").format(heading=heading(unit["column"]), unit=unit["unit"])
    automatic = column_label(column)
    return automatic if _PERIOD.match(column) else _(automatic)


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A result table as a spreadsheet's reader sees it: ids and coded values in words and headings in the
    report language, numbers unrounded (the CSV beside it keeps the ids, for scripts)."""
    shown = _display_values(frame)
    return shown.rename(columns={column: heading(str(column)) for column in shown.columns})


def setup_notebook() -> None:
    """One look for every chart and table in the book."""
    sns.set_theme(style="whitegrid", palette=PALETTE, rc={"figure.figsize": (8, 4), "axes.titleweight": "bold"})
    matplotlib.rcParams.update({"figure.dpi": 110, "savefig.dpi": 160, "savefig.bbox": "tight"})
    pd.set_option("display.max_columns", 30)


#: From this many columns a table is set in smaller type.
DENSE_COLUMNS = 7
#: Text cells up to this many characters are never broken; a word longer than LONG_WORD may be.
SHORT_TEXT, LONG_WORD = 12, 24


def _interval_span(cell: str) -> str:
    """An escaped "74.7 (71.9 to 77.3)" with its interval kept on one line: the cell may break only before it."""
    estimate, bracket, interval = cell.partition(" (")
    return f'{estimate} <span class="cx-ci">({interval}</span>' if bracket else cell


def _text_kind(cells: pd.Series) -> str:
    """Short text (a date, a code, a rank such as "1=") stays on one line; a very long word (a file name,
    a checksum) may break anywhere; other text wraps between words."""
    texts = [html.unescape(str(text)) for text in cells]
    if max(map(len, texts), default=0) <= SHORT_TEXT:
        return "cx-short"
    return "cx-long" if max((len(word) for text in texts for word in text.split()), default=0) > LONG_WORD else ""


def table(
    frame: pd.DataFrame,
    formats: dict[str, str] | None = None,
    *,
    columns: list[str] | None = None,
    intervals: dict[str, tuple[str, str]] | None = None,
    min_n: int | None,
    caption: str | None = None,
    collapsed: str | None = None,
    compact: bool = False,
) -> None:
    """Show an HTML table with readable headings, every cell escaped.

    Numbers are rounded by ``formats`` (a format string, or a function
    returning the cell's text, per column).
    ``intervals`` folds bounds into their estimate's column: {"estimate":
    ("ci_low", "ci_high")} shows "74.7 (71.9 to 77.3)" under "Estimate (95 % CI)".
    Rows flagged ``suppressed`` show "hidden" in place of their numbers
    (the caption says why), and any count of people (:data:`COUNT_COLUMNS`)
    from 1 to min_n - 1 shows "n < min_n". ``min_n`` is the client's anonymity threshold (a chapter calls
    :meth:`cxanalysis.client.ClientData.table`, which passes it); None only
    for tables that count no people.
    ``collapsed`` puts the table behind a click on that label; ``compact``
    sets it in tighter type (the executive summary's first screen).
    """
    formats = dict(formats or {})
    frame = _display_values(frame, min_n)
    suppressed = frame["suppressed"] if "suppressed" in frame else pd.Series(False, index=frame.index)
    shown = (frame[columns] if columns else frame.drop(columns=["suppressed"], errors="ignore")).copy()
    for column, (low, high) in (intervals or {}).items():
        style = formats.get(column, "{:.1f}")
        signed = isinstance(style, str) and style.startswith("{:+")
        fallback = presentation.spec_decimals(style) if isinstance(style, str) else 1
        text = [
            presentation.estimate(e, lo, hi, signed=signed, fallback=fallback)
            for e, lo, hi in zip(frame[column], frame[low], frame[high])
        ]
        shown = shown.drop(columns=[c for c in (low, high) if c in shown])
        shown[column] = text
        shown = shown.rename(columns={column: f"{column}_({CI_LABEL})"})
        formats[f"{column}_({CI_LABEL})"] = "{}"
    cells = pd.DataFrame(index=shown.index)
    numeric = []
    for column in shown.columns:
        values = shown[column]
        fmt = formats.get(column)
        own = _own_interval(column, frame)
        if is_p_value_column(column):
            text = values.map(presentation.p_value)
        elif own and pd.api.types.is_numeric_dtype(values):
            fallback = presentation.spec_decimals(fmt) if isinstance(fmt, str) else 1
            text = pd.Series(
                [
                    presentation.number(v, presentation.decimals_for(lo, hi, fallback=fallback))
                    for v, lo, hi in zip(values, frame.loc[values.index, own[0]], frame.loc[values.index, own[1]])
                ],
                index=values.index,
            )
        elif fmt:
            text = values.map(lambda v, f=fmt: presentation.formatted(v, f))
        elif pd.api.types.is_integer_dtype(values):
            text = values.map(presentation.number)
        elif pd.api.types.is_datetime64_any_dtype(values) or any(_is_date(v) for v in values):
            text = values.map(lambda v: presentation.date(v) if _is_date(v) else str(v))
        else:
            text = values.map(lambda v: "" if v is None or (not isinstance(v, (list, dict)) and pd.isna(v)) else str(v))
        if min_n is not None:
            if column in COUNT_COLUMNS and pd.api.types.is_numeric_dtype(values):
                small = ((values > 0) & (values < min_n)).fillna(False).to_numpy(dtype=bool)
                text = text.mask(small, _(SUPPRESSED).format(min_n=min_n))
            hidden = suppressed.to_numpy(dtype=bool) & bool(fmt or column in COUNT_COLUMNS)
            text = text.mask(hidden, _(HIDDEN))
        cells[heading(column)] = text.map(html.escape)
        numeric.append(pd.api.types.is_numeric_dtype(values))
    # Numbers never break; an estimate may break only before its interval; on a phone each row becomes a
    # block and every value carries its column's name (data-label).
    spans = {f"{column}_({CI_LABEL})" for column in intervals or {}}
    kinds = [
        "num" if num else "cx-est" if name in spans else _text_kind(cells[label])
        for num, name, label in zip(numeric, shown.columns, cells.columns)
    ]
    align = [f' class="{kind}"' if kind else "" for kind in kinds]
    labels = [html.escape(c, quote=True) for c in cells.columns]
    head = "".join(f"<th{a}>{html.escape(c)}</th>" for c, a in zip(cells.columns, align))
    body = "".join(
        "<tr>"
        + "".join(
            f'<td{a} data-label="{label}">{_interval_span(v) if kind == "cx-est" else v}</td>'
            for v, a, label, kind in zip(row, align, labels, kinds)
        )
        + "</tr>"
        for row in cells.itertuples(index=False)
    )
    if min_n is not None and suppressed.any():
        reason = _(HIDDEN_GROUP).format(min_n=min_n)
        caption = (
            _("{caption}. Hidden: {reason}.").format(caption=caption, reason=reason)
            if caption
            else _("Hidden: {reason}.").format(reason=reason)
        )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    classes = "cx-table cx-tight" if compact else "cx-table"
    classes += " cx-dense" if len(cells.columns) >= DENSE_COLUMNS else ""
    classes += " cx-stack" if len(cells.columns) >= 3 else ""
    markup = (
        f'<div class="cx-table-wrap"><table class="{classes}">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )
    if collapsed:
        markup = f'<details class="cx-details"><summary>{html.escape(collapsed)}</summary>{markup}</details>'
    display(HTML(markup))


def reading(text: str, compact: bool = False) -> None:
    """Show a generated reading of the numbers as a paragraph (in smaller type when ``compact``); nothing if empty."""
    if not text.strip():
        return
    display(Markdown(f":::{{container}} cx-compact\n{text}\n:::" if compact else text))


def note(text: str, kind: str = "note") -> None:
    """Show a generated admonition (note, warning, tip)."""
    display(Markdown(f":::{{{kind}}}\n{text}\n:::"))


def solution(text: str, task: int | None = None) -> None:
    """Show an exercise's solution, computed on the data, behind a click (the teaching edition); ``task``
    numbers it when a chapter's tasks each have a solution of their own."""
    title = _("Solution") if task is None else _("Solution to task {task}").format(task=task)
    display(Markdown(f":::{{admonition}} {title}\n:class: dropdown cx-solution\n{text}\n:::"))


def code_block(text: str, language: str = "", caption: str | None = None) -> None:
    """Show text from a file or the data verbatim in a block (escaped; nothing in it is interpreted)."""
    cap = f'<p class="cx-caption">{html.escape(caption)}</p>' if caption else ""
    display(HTML(f'{cap}<pre class="cx-verbatim" data-language="{html.escape(language)}">{html.escape(text)}</pre>'))


class _Shown:
    """A glued number as the report writes it: its plain-text form is the presentation layer's."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def glue_values(numbers: dict[str, float], texts: dict[str, str]) -> None:
    """Make values quotable in the chapter's prose: numbers as {glue:text}`name` (written in the report
    language's style, "0,05" in Norwegian), texts as {glue:md}`name`."""
    from myst_nb import glue

    for name, value in numbers.items():
        glue(name, _Shown(presentation.exact(value)), display=False)
    for name, text in texts.items():
        glue(name, Markdown(text), display=False)


def show(figure: plt.Figure, description: str | None = None) -> None:
    """Display a finished chart once, with alt text, and release it.

    The chart is saved as the book shows it (PNG, the notebook's savefig
    settings) and published as an HTML image whose alt text is the chart's
    title and a short reading of what it shows: ``description`` if given,
    else the reading the chart function attached
    (:func:`cxanalysis.charts.alt_text`). The image is inlined, so the page
    needs no separate file and the alt text stays with the image in the PDF.
    """
    import base64
    import io

    from .charts import alt_text

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = html.escape(alt_text(figure, description), quote=True)
    display(HTML(f'<img class="cx-chart" src="data:image/png;base64,{data}" alt="{alt}">'))
    plt.close(figure)


__all__ = ["code_block", "escape_markdown", "glue_values", "note", "reading", "setup_notebook", "show", "table"]
