"""The book's charts. Each takes a tidy table and returns a finished figure.

Suppressed groups (fewer answers than the anonymity threshold) are never
drawn; their absence is stated in the chart's note.

Colours come from the Okabe-Ito set, which readers with any common colour
vision deficiency can tell apart, and no chart relies on colour alone: every
coloured group also has a marker shape, a line style, a pattern or a label.
Text is sized so that it stays at least 9 CSS pixels high when the saved
image is scaled down to the book's column (688 CSS pixels wide at a
1280-pixel window, as wide as the printed page).

Each chart carries a short reading for readers who cannot see it
(:func:`describe`, :func:`alt_text`): :func:`cxanalysis.display.show` puts
the title and that reading in the image's alt text.
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from . import presentation
from .drivers import quadrant_label
from .goals import status_word
from .presentation import number
from .rules import GOAL_STATUSES
from .significance import comparison_label
from .translation import N_, _, ngettext
from .words import (
    CONTROL_CHART_NAMES,
    dimension_word,
    display_value,
    hidden_group_reason,
    metric_label,
    metric_short,
    plural,
)

#: Blue for the data, orange for targets and limits, grey for references, vermillion for bad and bluish
#: green for good (Okabe & Ito's colour-blind-safe set; the grey is darker than theirs so lines stand out).
INK, ACCENT, MUTED, BAD, GOOD = "#0072B2", "#E69F00", "#8c8c8c", "#D55E00", "#009E73"
#: Grey of notes and secondary labels (7:1 against white).
NOTE = "#4d4d4d"
#: Smallest type a chart uses, in points; 8 inches wide at 160 dpi, scaled to the 688-pixel column, it is 10 px.
SMALL = 8.5


def describe(figure: plt.Figure, title: str, reading: str) -> plt.Figure:
    """Attach the chart's title and a short reading of what it shows (the image's alt text in the book)."""
    figure.cx_title = " ".join(str(title).split())  # type: ignore[attr-defined]
    figure.cx_description = " ".join(str(reading).split())  # type: ignore[attr-defined]
    return figure


def alt_text(figure: plt.Figure, description: str | None = None) -> str:
    """The figure's title and reading: ``description`` if given, else the one the chart attached."""
    title = str(getattr(figure, "cx_title", "")) or next(
        (t for ax in figure.axes for t in (ax.get_title("left"), ax.get_title()) if t), ""
    )
    reading = " ".join(str(description or getattr(figure, "cx_description", "")).split())
    parts = [p.strip() for p in (title, reading) if p and p.strip()]
    text = ". ".join(p.rstrip(".") for p in parts)
    return f"{text}." if text else _("Chart")


def _names(values, most: int = 4) -> str:
    """A few names for a reading: "a, b and c", "a, b, c and 2 more"."""
    names = [str(v) for v in values]
    if len(names) > most:
        names = [*names[: most - 1], _("{count} more").format(count=number(len(names) - most + 1))]
    if not names:
        return _("none")
    if len(names) == 1:
        return names[0]
    return _("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])


def _interval_bounds(low: float, high: float) -> tuple[str, str] | None:
    """An interval's bounds as :func:`cxanalysis.presentation.estimate` rounds them; None when one is missing."""
    if pd.isna(low) or pd.isna(high):
        return None
    d = presentation.decimals_for(low, high)
    return number(low, d), number(high, d)


def _column_words(column: str) -> str:
    """A column id in a sentence: "action_area" is "action area", in the report language where it is known."""
    from .display import HEADINGS, heading

    if column not in HEADINGS:
        return column.replace("_", " ")
    text = heading(column)
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def _column_title(column: str) -> str:
    """A column id as a legend's title: "Action area"."""
    from .display import HEADINGS, heading

    return heading(column) if column in HEADINGS else column.replace("_", " ").capitalize()


def _number_ticks(ax: plt.Axes) -> None:
    """Tick numbers in the report language's style (decimal mark, minus sign); labelled ticks stay as set."""
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    for axis in (ax.xaxis, ax.yaxis):
        if not isinstance(axis.get_major_formatter(), ScalarFormatter) or axis.get_scale() != "linear":
            continue

        def tick(value: float, _position: int | None = None, axis: Any = axis) -> str:
            # as many decimals as the axis's ticks need (2.5 steps: one), the same for every tick
            locations = np.asarray(axis.get_majorticklocs(), dtype=float)
            decimals = next(
                (d for d in range(4) if np.allclose(np.round(locations, d), locations, rtol=0, atol=1e-9)), 4
            )
            return number(value, decimals)

        axis.set_major_formatter(FuncFormatter(tick))


#: Every text a chart draws is plain text: labels come from client data and
#: config (a price tier "$$", a question "a_b"), and matplotlib would otherwise
#: read anything between dollar signs as mathtext, failing on "$" alone or
#: turning "$x^2$" into a formula. Texts keep the setting they were created
#: with, so one context around each chart's construction covers its titles,
#: labels, annotations, legends and tick labels, whoever draws the figure later
#: and whether or not the notebook's style was set up.
_plain_text = mpl.rc_context({"text.parse_math": False})


#: Marker shapes and line styles that tell groups apart without their colours.
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
LINESTYLES = ["-", "--", ":", "-."]
#: Fill patterns that tell stacked series apart without their colours.
HATCHES = ["", "///", "...", "xxx", "\\\\\\", "++", "oo", "--"]


#: Most period labels a time axis prints; a longer axis labels every second, third ... period, and the last.
MAX_PERIOD_LABELS = 12


def _period_axis(ax: plt.Axes, periods) -> None:
    """Label the periods along the x axis, thinned to at most :data:`MAX_PERIOD_LABELS` so none overlap."""
    periods = [str(p) for p in periods]
    step = -(-len(periods) // MAX_PERIOD_LABELS)
    shown = sorted({*range(len(periods) - 1, -1, -step)})
    ax.set_xticks(shown, [periods[i] for i in shown], rotation=45 if len(shown) > 8 else 0)
    ax.set_xticks(range(len(periods)), minor=True)


def _finish(fig: plt.Figure, ax: plt.Axes, title: str, note: str | None = None, reading: str = "") -> plt.Figure:
    import textwrap

    _number_ticks(ax)
    heading = ax.set_title(title, loc="left")
    if note and note.strip():
        fig.text(0.01, -0.02, textwrap.fill(" ".join(note.split()), 110), fontsize=9, color=NOTE, ha="left", va="top")
    _tight(fig)
    _fit_title(fig, heading, title)
    plt.close(fig)
    return describe(fig, title, reading)


def _fit_title(fig: plt.Figure, heading, title: str) -> None:
    """Wrap a title that runs past the figure's right edge: a wider image would shrink every text in the book."""
    import textwrap

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    right = fig.bbox.x1
    box = heading.get_window_extent(renderer)
    if box.x1 <= right or box.width <= 0:
        return
    chars = max(20, int(len(title) * (right - box.x0) / box.width) - 2)
    heading.set_text(textwrap.fill(title, chars))
    _tight(fig)


def _tight(fig: plt.Figure) -> None:
    """Fit the axes and labels in the figure. Labels from the data can be too long to fit whatever the layout
    (a 300-character touchpoint name); matplotlib then keeps the layout it has, which is what the chart needs,
    so its warning is not passed on to the reader's page."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Tight layout not applied", category=UserWarning)
        fig.tight_layout()


def _below(ax: plt.Axes, right: bool = False) -> dict[str, Any]:
    """Legend placement under the axis labels, a fixed distance below the axes whatever their height."""
    from matplotlib.transforms import offset_copy

    return {
        "loc": "upper right" if right else "upper left",
        "bbox_to_anchor": (1 if right else 0, 0),
        "bbox_transform": offset_copy(ax.transAxes, fig=ax.get_figure(root=True), y=-0.62, units="inches"),
    }


def _suppressed_note(summary: pd.DataFrame, min_n: int | None) -> str | None:
    hidden = int(summary["suppressed"].sum()) if "suppressed" in summary else 0
    if not (hidden and min_n):
        return None
    return ngettext("{count} group not shown: {reason}.", "{count} groups not shown: {reason}.", hidden).format(
        count=number(hidden), reason=hidden_group_reason(min_n)
    )


@_plain_text
def trend(
    summary: pd.DataFrame, metric: str, *, group: str | None = None, min_n: int | None = None, title: str | None = None
) -> plt.Figure:
    """Estimate per period with its interval; one line per group when ``group`` is given."""
    shown = summary[~summary["suppressed"]]
    fig, ax = plt.subplots(figsize=(8, 3.8))
    groups = [(None, shown)] if group is None else list(shown.groupby(group, sort=True, observed=True))
    periods = sorted(summary["period"].unique())
    positions = {p: i for i, p in enumerate(periods)}
    offsets = np.linspace(-0.12, 0.12, len(groups)) if len(groups) > 1 else [0.0]
    for i, ((name, data), offset) in enumerate(zip(groups, offsets)):
        x = data["period"].map(positions).to_numpy() + offset
        if group is None:
            ax.fill_between(x, data["ci_low"], data["ci_high"], color=INK, alpha=0.15, lw=0)
            ax.plot(x, data["estimate"], marker="o", lw=1.8, color=INK)
            continue
        err = np.vstack([data["estimate"] - data["ci_low"], data["ci_high"] - data["estimate"]])
        # Each group has its own marker and line style as well as its colour.
        ax.errorbar(
            x,
            data["estimate"],
            yerr=err,
            marker=MARKERS[i % len(MARKERS)],
            ls=LINESTYLES[i % len(LINESTYLES)],
            capsize=4,
            lw=1.8,
            label=name,
        )
    _period_axis(ax, periods)
    ax.set_ylabel(metric_label(metric))
    if group is not None:
        ax.legend(title=_column_title(group), frameon=False, fontsize=SMALL, ncols=min(len(groups), 4))
    shown_as = _("The band shows the 95 % CI.") if group is None else _("Bars show the 95 % CI.")
    note = f"{shown_as} " + (_suppressed_note(summary, min_n) or "")
    label = metric_label(metric)
    if group is None:
        if len(shown):
            first, last = shown.iloc[0], shown.iloc[-1]
            start = presentation.point(first["estimate"], first["ci_low"], first["ci_high"])
            end = presentation.point(last["estimate"], last["ci_low"], last["ci_high"])
            bounds = _interval_bounds(last["ci_low"], last["ci_high"])
            values = {"label": label, "first": first["period"], "last": last["period"], "start": start, "end": end}
            reading = (
                _(
                    "{label} per period from {first} to {last}: {start} in {first}, {end} in {last} "
                    "(95 % CI {low} to {high})"
                ).format(**values, low=bounds[0], high=bounds[1])
                if bounds
                else _("{label} per period from {first} to {last}: {start} in {first}, {end} in {last}").format(
                    **values
                )
            )
        else:
            reading = _("No period has enough answers to show {label}").format(label=label)
    else:
        latest = shown[shown["period"] == shown["period"].max()] if len(shown) else shown
        reading = (
            _("{label} per period, one line per {group}; in {period}: {values}").format(
                label=label,
                group=_column_words(group),
                period=latest["period"].iloc[0],
                values=", ".join(f"{r[group]} {number(r['estimate'], 1)}" for _row, r in latest.head(6).iterrows()),
            )
            if len(latest)
            else _("{label} per period, one line per {group}").format(label=label, group=_column_words(group))
        )
    return _finish(fig, ax, title or _("{label} by period").format(label=label), note, reading)


@_plain_text
def intervals(
    summary: pd.DataFrame,
    label: str,
    metric: str,
    *,
    reference: float | None = None,
    highlight: pd.Series | None = None,
    highlight_label: str | None = None,
    min_n: int | None = None,
    title: str | None = None,
    note: str = "",
) -> plt.Figure:
    """Horizontal dot-and-interval chart of groups (touchpoints, segments, goals); the groups ``highlight``
    marks are vermillion diamonds, named in the legend by ``highlight_label``."""
    shown = summary[~summary["suppressed"]].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.42 * len(shown) + 1.2)))
    y = np.arange(len(shown))[::-1]
    flags = np.asarray(
        highlight.reindex(summary.index, fill_value=False)[~summary["suppressed"].to_numpy(dtype=bool)]
        if highlight is not None
        else [False] * len(shown),
        dtype=bool,
    )
    colours = [BAD if flag else INK for flag in flags]
    ax.hlines(y, shown["ci_low"], shown["ci_high"], color=colours, lw=2.5, alpha=0.7)
    # Highlighted groups are diamonds as well as vermillion.
    ax.scatter(shown["estimate"][~flags], y[~flags], color=INK, zorder=3, s=36, marker="o")
    if flags.any():
        ax.scatter(
            shown["estimate"][flags],
            y[flags],
            color=BAD,
            zorder=3,
            s=56,
            marker="D",
            label=highlight_label or _("Highlighted"),
        )
        ax.legend(frameon=False, fontsize=SMALL, loc="lower right")
    ax.set_yticks(y, [str(v) for v in shown[label]])
    if reference is not None:
        ax.axvline(reference, color=MUTED, ls="--", lw=1)
    name = metric_label(metric)
    ax.set_xlabel(name)
    ax.grid(axis="y", visible=False)
    note = _("Lines show the 95 % CI.") + f" {note} " + (_suppressed_note(summary, min_n) or "")
    ranked = shown.sort_values("estimate", ascending=False)
    parts = [
        _(
            "{name} of {groups} with their 95 % CIs: highest {highest} ({highest_value}), "
            "lowest {lowest} ({lowest_value})"
        ).format(
            name=name,
            groups=plural(len(shown), "group", "groups"),
            highest=ranked[label].iloc[0],
            highest_value=number(ranked["estimate"].iloc[0], 1),
            lowest=ranked[label].iloc[-1],
            lowest_value=number(ranked["estimate"].iloc[-1], 1),
        )
        if len(shown)
        else _("No group has enough answers to show {name}").format(name=name)
    ]
    if reference is not None:
        parts.append(_("dashed line at {value}").format(value=number(reference, 1)))
    if flags.any():
        parts.append(_("highlighted: {names}").format(names=_names(shown[label][flags])))
    return _finish(fig, ax, title or name, note, "; ".join(parts))


@_plain_text
def bars(
    frame: pd.DataFrame, label: str, value: str, *, title: str, xlabel: str, stacked_by: str | None = None
) -> plt.Figure:
    """Horizontal bars of a count or share per group (optionally stacked)."""
    if stacked_by is None:
        table = frame.set_index(label)[[value]]
    else:
        table = frame.pivot_table(
            index=label, columns=stacked_by, values=value, aggfunc="sum", fill_value=0, sort=False
        )
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.4 * len(table) + 1.2)))
    table.iloc[::-1].plot.barh(stacked=True, ax=ax, legend=stacked_by is not None, width=0.7)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    if stacked_by is not None:
        # Each stacked series has its own pattern as well as its colour, in the bars and the legend.
        for i, series in enumerate(ax.containers):
            for patch in series:
                patch.set_hatch(HATCHES[i % len(HATCHES)])
                patch.set_edgecolor("white")
                patch.set_linewidth(0.6)
        ax.legend(
            title=_column_title(stacked_by),
            frameon=False,
            fontsize=SMALL,
            title_fontsize=SMALL + 0.5,
            ncols=min(len(table.columns), 6),
            **_below(ax, right=True),
        )
    ax.grid(axis="y", visible=False)
    totals = table.sum(axis=1).sort_values(ascending=False)
    what = (xlabel[:1].lower() + xlabel[1:]).capitalize()
    values = ", ".join(
        f"{name} {number(value, 0 if float(value).is_integer() else 1)}" for name, value in totals.head(5).items()
    )
    if len(totals) > 5:
        values = _("{values} and {count} more").format(values=values, count=number(len(totals) - 5))
    reading = (
        _("{what} per {group}, stacked by {stack}: {values}").format(
            what=what, group=_column_words(label), stack=_column_words(stacked_by), values=values
        )
        if stacked_by
        else _("{what} per {group}: {values}").format(what=what, group=_column_words(label), values=values)
    )
    return _finish(fig, ax, title, reading=reading)


#: What the colours of :func:`cxanalysis.measurement.score_distribution` stand for.
ANSWER_GROUPS = {
    "nps": {BAD: N_("Detractors"), MUTED: N_("Passives"), GOOD: N_("Promoters")},
    "boxes": {BAD: N_("Bottom boxes"), MUTED: N_("Middle"), GOOD: N_("Top boxes")},
}


@_plain_text
def score_distribution(counts: pd.DataFrame, score: str, *, title: str) -> plt.Figure:
    """Share of answers at each point of a scale, coloured by NPS group or top box."""
    fig, ax = plt.subplots(figsize=(8, 3.4))
    points = counts["score"].astype(int).astype(str).tolist()
    ax.bar(points, counts["share"], color=counts["colour"], width=0.75)
    ax.set_xlabel(_("{score} answer").format(score=score.upper()))
    ax.set_ylabel(_("Share of answers (%)"))
    ax.grid(axis="x", visible=False)
    # Each group of answers is named above its bars with its total share: the colours are never the only key.
    names = ANSWER_GROUPS["nps" if score == "nps" else "boxes"]
    top = float(counts["share"].max()) if len(counts) else 0.0
    ax.set_ylim(0, max(top * 1.42, 1.0))
    parts = []
    for colour, message in names.items():
        name = _(message)
        inside = np.flatnonzero(counts["colour"].to_numpy() == colour)
        if not len(inside):
            continue
        share = float(counts["share"].iloc[inside].sum())
        first, last = points[inside[0]], points[inside[-1]]
        span = first if first == last else f"{first}–{last}"
        ax.annotate(
            f"{name}\n{span}: {number(share, 0)} %",
            xy=((inside[0] + inside[-1]) / 2, top * 1.12),
            ha="center",
            va="bottom",
            fontsize=SMALL + 0.5,
            color="#222222",
        )
        ax.plot([inside[0] - 0.4, inside[-1] + 0.4], [top * 1.1] * 2, color=colour, lw=2.5, solid_capstyle="butt")
        parts.append(f"{name.lower()} ({span}) {number(share, 0)} %")
    reading = (
        _("Share of answers at each point of the {score} scale: {groups}").format(
            score=score.upper(), groups=", ".join(parts)
        )
        if parts
        else _("Share of answers at each point of the {score} scale").format(score=score.upper())
    )
    return _finish(fig, ax, title, reading=reading)


@_plain_text
def control_chart(chart: pd.DataFrame, *, title: str, ylabel: str) -> plt.Figure:
    """A p-chart or Laney p′ chart: share per period with limits that follow each period's n;
    the legend names the chart the limits come from."""
    fig, ax = plt.subplots(figsize=(8, 3.6))
    x = np.arange(len(chart))
    ax.plot(x, chart["share"], marker="o", color=INK, lw=1.8, label=_("Share"))
    ax.plot(x, chart["centre"], color=MUTED, lw=1, label=_("Centre line"))
    kind = CONTROL_CHART_NAMES[chart["chart"].iloc[0]]
    limits = _("3σ limits ({chart})").format(chart=_(kind))
    ax.step(x, chart["upper_limit"], where="mid", color=ACCENT, ls="--", lw=1.5, label=limits)
    ax.step(x, chart["lower_limit"], where="mid", color=ACCENT, ls="--", lw=1.5)
    signals = (chart["signal"] != "").to_numpy(dtype=bool)
    # A signal is ringed, not only coloured.
    ax.scatter(
        x[signals],
        chart.loc[signals, "share"],
        facecolors="none",
        edgecolors=BAD,
        linewidths=2,
        s=150,
        zorder=4,
        label=_("Signal (ringed)"),
    )
    _period_axis(ax, chart["period"])
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False, fontsize=SMALL, ncols=4, **_below(ax))
    flagged = [str(p) for p in chart.loc[signals, "period"]]
    reading = (
        _("{measure} per period against {limits}: a signal in {periods}").format(
            measure=ylabel, limits=limits, periods=_names(flagged)
        )
        if flagged
        else _("{measure} per period against {limits}: every period within the limits").format(
            measure=ylabel, limits=limits
        )
    )
    if len(chart):
        reading += "; " + _("{value} in {period}").format(
            value=number(chart["share"].iloc[-1], 1), period=chart["period"].iloc[-1]
        )
    return _finish(fig, ax, title, reading=reading)


@_plain_text
def scenario_line(scenarios: pd.DataFrame, *, current: float, currency: str, title: str) -> plt.Figure:
    """Revenue at risk across CSAT scenarios, the current level marked."""
    fig, ax = plt.subplots(figsize=(8, 3.4))
    ax.plot(scenarios["csat"], scenarios["revenue_at_risk"], color=INK, lw=2)
    ax.axvline(current, color=ACCENT, ls="--", lw=1.5)
    ax.text(current, ax.get_ylim()[1] * 0.95, " " + _("today (dashed line)"), color="#222222", va="top")
    ax.set_xlabel(metric_label("csat"))
    ax.set_ylabel(_("Revenue at risk ({currency})").format(currency=currency))
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: number(v)))

    def money(value: float) -> str:
        return f"{number(value)} {currency}"

    ordered = scenarios.sort_values("csat")
    reading = (
        _(
            "Revenue at risk at each CSAT level: {first_amount} at {first_csat} %, {last_amount} at {last_csat} %; "
            "today's CSAT is {today} %"
        ).format(
            first_amount=money(ordered["revenue_at_risk"].iloc[0]),
            first_csat=number(ordered["csat"].iloc[0], 0),
            last_amount=money(ordered["revenue_at_risk"].iloc[-1]),
            last_csat=number(ordered["csat"].iloc[-1], 0),
            today=number(current, 1),
        )
        if len(ordered)
        else _("No scenario to show")
    )
    return _finish(fig, ax, title, reading=reading)


@_plain_text
def goal_intervals(progress: pd.DataFrame, metric: str, *, min_n: int | None = None, title: str) -> plt.Figure:
    """Each goal's current value with its interval, and its target as a diamond."""
    shown = progress[~progress["suppressed"]].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.5 * len(shown) + 1.3)))
    y = np.arange(len(shown))[::-1]
    colour = np.where(shown["status"] == "behind", BAD, np.where(shown["status"] == "met", GOOD, INK))
    ax.hlines(y, shown["ci_low"], shown["ci_high"], color=colour, lw=2.5, alpha=0.7)
    ax.scatter(shown["current"], y, color=colour, s=36, zorder=3, label=_("Now (line: 95 % CI)"))
    ax.scatter(shown["target"], y, marker="D", color=ACCENT, edgecolors="#222222", s=40, zorder=4, label=_("Target"))
    ax.set_yticks(y, [f"{g}" for g in shown["goal"]])
    ax.set_xlabel(metric_label(metric))
    ax.grid(axis="y", visible=False)
    # Each goal's status is written at the right end of its row, with its symbol: colour is not the only key.
    for row_y, status in zip(y, shown["status"]):
        ax.annotate(
            f"{GOAL_STATUSES.get(str(status), '')} {status_word(str(status))}".strip(),
            xy=(1.01, row_y),
            xycoords=("axes fraction", "data"),
            va="center",
            ha="left",
            fontsize=SMALL,
            color=NOTE,
        )
    legend = ax.legend(frameon=False, fontsize=SMALL, ncols=2, **_below(ax))
    now = legend.legend_handles[0]
    if isinstance(now, mpl.collections.PathCollection):
        now.set_color(NOTE)  # the key to "now" is the shape; its colour follows the status
    name = metric_label(metric)
    counts = shown["status"].value_counts()
    reading = (
        _("{name} now and the target of {goals}: {statuses}").format(
            name=name,
            goals=plural(len(shown), "goal", "goals"),
            statuses=", ".join(f"{number(count)} {status_word(str(status))}" for status, count in counts.items()),
        )
        if len(shown)
        else _("No goal has enough answers to show {name}").format(name=name)
    )
    return _finish(fig, ax, title, _suppressed_note(progress, min_n), reading)


@_plain_text
def differences(changes: pd.DataFrame, metric: str, *, alpha: float, title: str) -> plt.Figure:
    """Differences with their intervals around zero; those with an adjusted p below ``alpha`` in colour."""
    data = changes.reset_index(drop=True)
    # "All responses" and the breakdowns' names in the report language: "alle svar", "kontaktpunkt: Delivery".
    names = np.array(
        [
            _(str(level))
            if dimension == "all"
            else f"{dimension_word(str(dimension))}: {display_value(str(dimension), level)}"
            for dimension, level in zip(data["dimension"], data["level"])
        ],
        dtype=object,
    )
    if "comparison" in data and data["comparison"].nunique() > 1:
        names = np.array(
            [
                _("{name} (vs {comparison})").format(name=n, comparison=comparison_label(str(c)))
                for n, c in zip(names, data["comparison"])
            ],
            dtype=object,
        )
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.4 * len(data) + 1.2)))
    y = np.arange(len(data))[::-1]
    real = (data["p_adjusted"] < alpha).to_numpy(dtype=bool)
    up = real & (data["difference"] > 0).to_numpy(dtype=bool)
    down = real & ~up
    colour = np.where(up, GOOD, np.where(down, BAD, INK))
    ax.hlines(y, data["ci_low"], data["ci_high"], color=colour, lw=2.5, alpha=0.7)
    # Direction is in the marker (triangle up or down, circle for "could be chance") and in a signed label.
    for flags, marker, fill, label in (
        (up, "^", GOOD, _("Up, unlikely to be chance")),
        (down, "v", BAD, _("Down, unlikely to be chance")),
        (~real, "o", INK, _("Could be chance")),
    ):
        if flags.any():
            ax.scatter(data["difference"][flags], y[flags], color=fill, marker=marker, s=60, zorder=3, label=label)
    for row_y, value, high in zip(y, data["difference"], data["ci_high"]):
        ax.annotate(
            f"{'-' if value < 0 else '+'}{number(abs(value), 1)}",  # the sign as written, the decimal mark the report's
            xy=(high, row_y),
            xytext=(5, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=SMALL,
            color="#222222",
        )
    ax.axvline(0, color=MUTED, lw=1)
    ax.margins(x=0.08)
    ax.set_yticks(y, names)
    name = metric_label(metric)
    ax.set_xlabel(_("Difference in {name}").format(name=name))
    ax.grid(axis="y", visible=False)
    ax.legend(frameon=False, fontsize=SMALL, ncols=2, **_below(ax))
    found = [_("up: {names}").format(names=_names(names[up]))] if up.any() else []
    found += [_("down: {names}").format(names=_names(names[down]))] if down.any() else []
    comparisons = plural(len(data), "comparison", "comparisons")
    reading = (
        _(
            "Differences in {name} with their 95 % CIs, {comparisons}; unlikely to be chance after adjustment, {found}"
        ).format(name=name, comparisons=comparisons, found="; ".join(found))
        if found
        else _(
            "Differences in {name} with their 95 % CIs, {comparisons}; every difference could be chance after "
            "adjustment"
        ).format(name=name, comparisons=comparisons)
    )
    return _finish(
        fig,
        ax,
        title,
        _(
            "Lines show the 95 % CI; labels give each difference with its sign. Triangles: unlikely to be "
            "chance after adjustment for the number of comparisons."
        ),
        reading,
    )


@_plain_text
def quadrants(importance: pd.DataFrame, *, top_boxes: str, title: str) -> plt.Figure:
    """Importance (share of explained variance) against performance (the share rating ``top_boxes``, e.g. '4-5')."""
    fig, ax = plt.subplots(figsize=(8, 5))
    if "share_ci_low" in importance:
        # Drawn about the interval's own centre: a bootstrap percentile interval need not
        # contain its estimate (a weakly related attribute's share sits near zero, below
        # most resampled shares), and the line shows the interval as it is.
        ax.errorbar(
            (importance["share_ci_low"] + importance["share_ci_high"]) / 2,
            importance["performance"],
            capsize=3,
            fmt="none",
            ecolor=MUTED,
            lw=1.2,
            xerr=((importance["share_ci_high"] - importance["share_ci_low"]) / 2).clip(lower=0),
            zorder=2,
        )
    ax.scatter(importance["share"], importance["performance"], s=60, color=INK, zorder=3)
    for row in importance.itertuples():
        ax.annotate(
            str(row.driver).replace("_", " ").capitalize(),
            (row.share, row.performance),
            xytext=(6, 4),
            textcoords="offset points",
            fontsize=9,
        )
    ax.axvline(importance["share"].mean(), color=MUTED, ls="--", lw=1)
    ax.axhline(importance["performance"].mean(), color=MUTED, ls="--", lw=1)
    ax.set_xlabel(_("Importance: share of explained variance (%)"))
    ax.set_ylabel(_("Performance: % rating {top_boxes}").format(top_boxes=top_boxes))
    ax.margins(0.15)
    kw: dict = {"transform": ax.transAxes, "fontsize": SMALL + 0.5, "color": NOTE}
    ax.text(0.99, 0.01, quadrant_label("fix first"), ha="right", va="bottom", **kw)
    ax.text(0.99, 0.99, quadrant_label("keep up"), ha="right", va="top", **kw)
    ax.text(0.01, 0.99, quadrant_label("maintain"), ha="left", va="top", **kw)
    ax.text(0.01, 0.01, quadrant_label("lower priority"), ha="left", va="bottom", **kw)
    note = None
    if "share_ci_low" in importance:
        note = _("Horizontal lines: bootstrap 95 % CI of each share.")
        share = importance["share"]
        outside = (share < importance["share_ci_low"]) | (share > importance["share_ci_high"])
        if outside.any():
            count = int(outside.sum())
            note += " " + ngettext(
                "{count} share lies outside its interval (weakly related attributes).",
                "{count} shares lie outside their interval (weakly related attributes).",
                count,
            ).format(count=number(count))
    share, performance = importance["share"], importance["performance"]
    fix = importance[(share >= share.mean()) & (performance < performance.mean())].sort_values("share", ascending=False)
    driver_names = [str(d).replace("_", " ").capitalize() for d in fix["driver"]]
    top = importance.sort_values("share", ascending=False)
    reading = (
        _(
            "Importance against performance of {attributes}; most important: {top} ({share} %); "
            "fix first (above-average importance, below-average performance): {names}"
        ).format(
            attributes=plural(len(importance), "attribute", "attributes"),
            top=str(top["driver"].iloc[0]).replace("_", " ").capitalize(),
            share=number(top["share"].iloc[0], 0),
            names=_names(driver_names),
        )
        if len(importance)
        else _("No attribute to show")
    )
    return _finish(fig, ax, title, note, reading)


UNMEASURED = N_("No survey asks this within the goal's scope")
STATUS_FILL = {
    "met": "#cdeee4",
    "on track": "#e8f6f1",
    "too close to tell": "#dcecf7",
    "behind": "#fbdcc8",
    "too few answers": "#eeeeee",
    "not measured": "#ffffff",
}
#: The border of a goal's box by status (colour, line style, width): each status differs in more than colour.
STATUS_EDGE: dict[str, tuple[str, str, float]] = {
    "met": (GOOD, "-", 2.4),
    "on track": (GOOD, ":", 1.8),
    "too close to tell": (INK, "-", 1.1),
    "behind": (BAD, "-", 2.4),
    "too few answers": (MUTED, "-.", 1.3),
    "not measured": (INK, "--", 1.1),
}


def _spread(wanted: list[float], gap: float) -> list[float]:
    """Positions as near ``wanted`` (sorted, top to bottom) as allowed with at least ``gap`` between them."""
    placed: list[float] = []
    for y in wanted:
        placed.append(min(y, placed[-1] - gap) if placed else y)
    shift = float(np.mean(wanted) - np.mean(placed)) if placed else 0.0
    return [y + shift for y in placed]


def _node(
    ax: plt.Axes,
    x: float,
    y: float,
    text: str,
    *,
    width: int,
    fill: str = "white",
    edge: str = INK,
    dashed: bool = False,
    weight: str = "normal",
    style: str | None = None,
    lw: float = 1.1,
) -> None:
    import textwrap

    text = text.replace(" %", "\u00a0%")  # keep "10 %" on one line
    ax.text(
        x,
        y,
        textwrap.fill(text, width),
        ha="center",
        va="center",
        fontsize=SMALL,
        weight=weight,
        zorder=3,
        bbox=dict(boxstyle="round,pad=0.45", fc=fill, ec=edge, lw=lw, ls=style or ("--" if dashed else "-")),
    )


def _elbow(ax: plt.Axes, start: tuple[float, float], end: tuple[float, float], turn: float, **style: Any) -> None:
    """A connector out of one box, turning at x = ``turn``, into the next (boxes hide the ends)."""
    (x0, y0), (x1, y1) = start, end
    line: dict[str, Any] = {"color": MUTED, "lw": 0.9} | style
    ax.plot([x0, turn, turn, x1], [y0, y0, y1, y1], zorder=1, **line)


@_plain_text
def goal_tree(tree: pd.DataFrame, progress: pd.DataFrame, program_goal: str, *, title: str) -> plt.Figure:
    """Program goal → team goals → KPIs → survey questions, goals coloured by status.

    ``tree`` comes from :func:`cxanalysis.goals.goal_tree` and ``progress``
    from :func:`cxanalysis.goals.goal_progress`. A goal that no survey
    measures ends in a dashed red box instead of a question.
    """
    data = tree.merge(progress[["goal", "team", "status"]], on=["goal", "team"], how="left")
    data["question_node"] = np.where(data["measured"], data["question"], UNMEASURED)
    data = data.sort_values(["measured", "question_node", "kpi"], ascending=[False, True, True], kind="stable")
    data = data.reset_index(drop=True)
    rows = len(data)
    fig, ax = plt.subplots(figsize=(7.5, max(3.0, 0.62 * rows + 1.4)))
    goal_y = list(np.arange(rows, 0, -1, dtype=float))
    data["y"] = goal_y
    kpi_y = data.groupby("kpi", sort=False)["y"].mean()
    kpi_y[:] = _spread(list(kpi_y), 0.85)
    question_y = data.groupby("question_node", sort=False)["y"].mean()
    question_y[:] = _spread(list(question_y), 1.2)
    columns = {"program": 0.0, "goal": 1.1, "kpi": 2.2, "question": 3.35}
    middle = float(np.mean(goal_y))
    for row in data.itertuples():
        _elbow(ax, (columns["program"], middle), (columns["goal"], row.y), 0.48)
        _elbow(ax, (columns["goal"], row.y), (columns["kpi"], kpi_y[row.kpi]), 1.7)
        status = row.status if isinstance(row.status, str) else "not measured"
        edge, style, lw = STATUS_EDGE[status]
        _node(
            ax,
            columns["goal"],
            row.y,
            f"{row.team}: {row.goal}",
            width=24,
            fill=STATUS_FILL[status],
            edge=edge,
            style=style,
            lw=lw,
        )
        _elbow(
            ax,
            (columns["kpi"], kpi_y[row.kpi]),
            (columns["question"], question_y[row.question_node]),
            2.72,
            **({} if row.measured else {"color": BAD, "ls": "--"}),
        )
    for kpi, y in kpi_y.items():
        _node(ax, columns["kpi"], y, kpi, width=18)
    surveys = (
        data[data["measured"]]
        .groupby("question_node", sort=False)["surveys"]
        .agg(lambda s: ", ".join(sorted({display_value("survey", name) for text in s for name in text.split(", ")})))
    )
    for question, y in question_y.items():
        if question == UNMEASURED:
            _node(ax, columns["question"], y, _(UNMEASURED), width=24, edge=BAD, dashed=True)
        else:
            asked = _("“{question}” ({surveys})").format(question=question, surveys=surveys[question])
            _node(ax, columns["question"], y, asked, width=26, fill="#f7f7f7")
    _node(ax, columns["program"], middle, program_goal, width=16, fill=INK, edge=INK, weight="bold")
    ax.texts[-1].set_color("white")
    for name, x in columns.items():
        label = {
            "program": _("Program goal"),
            "goal": _("Team goals"),
            "kpi": _("KPIs"),
            "question": _("Survey questions"),
        }
        ax.text(x, rows + 0.9, label[name], ha="center", va="bottom", fontsize=9.5, weight="bold", color=NOTE)
    ax.set_xlim(-0.6, 4.0)
    ax.set_ylim(0.2, rows + 1.4)
    ax.axis("off")
    handles = [
        plt.Rectangle((0, 0), 1, 1, fc=STATUS_FILL[status], ec=edge, ls=style, lw=lw)
        for status, (edge, style, lw) in STATUS_EDGE.items()
    ]
    ax.legend(
        handles,
        [f"{GOAL_STATUSES.get(status, '')} {status_word(status)}".strip() for status in STATUS_EDGE],
        ncols=3,
        frameon=False,
        fontsize=SMALL,
        handlelength=2.0,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
    )
    statuses = data["status"].fillna("not measured").value_counts()
    reading = _(
        "The program goal “{goal}” breaks down into {goals}, {kpis} and the survey questions that measure them; "
        "goals: {statuses}"
    ).format(
        goal=program_goal,
        goals=plural(len(data), "team goal", "team goals"),
        kpis=plural(len(kpi_y), "KPI", "KPIs"),
        statuses=", ".join(f"{number(count)} {status_word(str(status))}" for status, count in statuses.items()),
    )
    return _finish(fig, ax, title, reading=reading)


#: A journey card's fill by the evidence about its touchpoint.
EVIDENCE_FILL = {"hot": "#fbdcc8", "bright": "#cdeee4", "neither": "#e3eef8"}


def _wrap(text: str, width: int) -> str:
    """Wrap at spaces; words longer than a line (Nordic compounds) are hyphenated, not cut anywhere."""
    import textwrap

    words = []
    for word in text.split():
        while len(word) > width:
            words.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        words.append(word)
    return textwrap.fill(" ".join(words), width, break_on_hyphens=True)


@_plain_text
def journey_map(scores: pd.DataFrame, metric: str, *, average: float | None, min_n: int, title: str) -> plt.Figure:
    """Stages as columns, touchpoints as cards coloured by the evidence, with interval, n and listening posts.

    ``scores`` is one period of :func:`cxanalysis.touchpoints.journey_scores`:
    its ``hot_spot`` and ``bright_spot`` flags (each touchpoint tested against
    the rest of the journey, adjusted for the number of touchpoints) colour
    the cards, not the raw distance from ``average``, so a card is only
    vermillion when the touchpoint is significantly below the rest. A hot spot
    has a thick vermillion border and says so in words; a touchpoint
    significantly above the rest a thick green border and words; a dashed
    border marks a touchpoint without a score this period.
    """
    import textwrap

    from matplotlib.patches import FancyBboxPatch

    stages = list(dict.fromkeys(scores["stage"]))
    size = 8.5  # points; the figure shows at about 80 % of its size at 1280 px wide
    width, gap, pad, line = 7.5, 0.1, 0.07, size * 1.25 * 1.12 / 72  # inches
    column = (width - gap * (len(stages) - 1)) / len(stages)
    chars = max(14, int((column - 2 * pad) * 72 / (0.56 * size)))
    label = metric_short(metric)
    cards: dict[str, list] = {stage: [] for stage in stages}
    for row in scores.itertuples():
        name = _wrap(str(row.touchpoint), int(chars * 0.86))  # bold letters run wider
        if row.suppressed:
            hidden = _("{label} hidden for anonymity (n < {min_n} here or beside it)").format(label=label, min_n=min_n)
            detail = _wrap(hidden, chars).split("\n")
        elif row.n == 0:
            detail = [
                _("{label} not asked here").format(label=label) if row.responses else _("No responses this period")
            ]
        else:
            shown = presentation.point(row.estimate, row.ci_low, row.ci_high)
            bounds = _interval_bounds(row.ci_low, row.ci_high)
            detail = [
                _("{label} {value}, n = {n}").format(label=label, value=shown, n=number(row.n)),
                _("CI {low} to {high}").format(low=bounds[0], high=bounds[1]) if bounds else "",
            ]
        readable = not row.suppressed and row.n > 0
        hot = readable and bool(row.hot_spot)
        bright = readable and not hot and bool(getattr(row, "bright_spot", False))
        if hot or bright:
            detail += _wrap(_("▼ hot spot: below the rest") if hot else _("▲ above the rest"), chars).split("\n")
        posts = (
            _("Listening post: {posts}").format(posts=row.asked_by) if row.listening_posts else _("No listening post")
        )
        detail += _wrap(posts, chars).split("\n")
        fill = "#ffffff" if not readable else EVIDENCE_FILL["hot" if hot else "bright" if bright else "neither"]
        cards[row.stage].append((name, "\n".join(detail), fill, hot, bright, readable))
    heights = {
        stage: [line * (n.count("\n") + d.count("\n") + 2) + 2 * pad for n, d, *_ in items]
        for stage, items in cards.items()
    }
    header = 0.8
    total = header + max(sum(h) + gap * (len(h) - 1) for h in heights.values())
    fig = plt.figure(figsize=(width, total + 0.2))
    ax = fig.add_axes((0, 0, 1, total / (total + 0.2)))
    ax.set_xlim(0, width)
    ax.set_ylim(total, 0)
    ax.axis("off")
    for i, stage in enumerate(stages):
        x = i * (column + gap)
        ax.text(
            x + column / 2,
            header - 0.2,
            textwrap.fill(str(stage), chars + 6),
            ha="center",
            va="center",
            fontsize=size + 0.5,
            weight="bold",
            color="#333333",
        )
        y = header
        for (name, detail, fill, hot, bright, readable), height in zip(cards[stage], heights[stage]):
            ax.add_patch(
                FancyBboxPatch(
                    (x + 0.02, y),
                    column - 0.04,
                    height,
                    boxstyle="round,pad=0,rounding_size=0.06",
                    fc=fill,
                    ec=BAD if hot else GOOD if bright else (INK if readable else MUTED),
                    lw=2.6 if hot or bright else 1.0,
                    ls="--" if not readable else "-",
                )
            )
            ax.text(x + pad + 0.02, y + pad, name, ha="left", va="top", fontsize=size, weight="bold", linespacing=1.25)
            ax.text(
                x + pad + 0.02,
                y + pad + line * (name.count("\n") + 1),
                detail,
                ha="left",
                va="top",
                fontsize=size,
                linespacing=1.25,
                color="#222222",
            )
            y += height + gap
    note = (
        _(
            "Vermillion fill and thick border: hot spot, significantly below the rest of the journey; green: "
            "significantly above the rest; blue: neither (any difference could be chance; journey average "
            "{average}). Dashed border: no {label} to show this period. Intervals are 95 % CIs."
        ).format(average=number(average, 1), label=label)
        if average is not None
        else _(
            "Vermillion fill and thick border: hot spot, significantly below the rest of the journey; green: "
            "significantly above the rest; blue: neither (any difference could be chance). Dashed border: no "
            "{label} to show this period. Intervals are 95 % CIs."
        ).format(label=label)
    )
    ax.text(0.02, 0.06, title, ha="left", va="top", fontsize=11, weight="bold")
    fig.text(0.01, -0.01, textwrap.fill(note, 110), fontsize=SMALL, color=NOTE, ha="left", va="top")
    plt.close(fig)
    readable = ~scores["suppressed"].astype(bool) & (scores["n"].fillna(0) > 0)
    hot_names = scores.loc[readable & scores["hot_spot"].astype(bool), "touchpoint"]
    bright_flags = scores["bright_spot"].astype(bool) if "bright_spot" in scores else False
    bright_names = scores.loc[readable & bright_flags & ~scores["hot_spot"].astype(bool), "touchpoint"]
    counted = {
        "touchpoints": plural(len(scores), "touchpoint", "touchpoints"),
        "stages": plural(len(stages), "stage", "stages"),
        "label": label,
    }
    parts = [
        _("{touchpoints} in {stages}, each with its {label} (journey average {average})").format(
            **counted, average=number(average, 1)
        )
        if average is not None
        else _("{touchpoints} in {stages}, each with its {label}").format(**counted),
        _("hot spots, significantly below the rest: {names}").format(names=_names(hot_names))
        if len(hot_names)
        else _("none is significantly below the rest"),
    ]
    if len(bright_names):
        parts.append(_("significantly above the rest: {names}").format(names=_names(bright_names)))
    if (~readable).any():
        parts.append(
            _("{touchpoints} without a score this period").format(
                touchpoints=plural(int((~readable).sum()), "touchpoint", "touchpoints")
            )
        )
    reading = "; ".join(parts)
    return describe(fig, title, reading)
