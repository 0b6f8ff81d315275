"""The book's charts. Each takes a tidy table and returns a finished figure.

Suppressed groups (fewer answers than the anonymity threshold) are never
drawn; their absence is stated in the chart's note.
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .words import CI_LABEL, CONTROL_CHART_NAMES, HIDDEN_GROUP, METRIC_LABELS, METRIC_SHORT, plural

INK, ACCENT, MUTED, BAD, GOOD = "#1f4e79", "#c55a11", "#a5a5a5", "#c00000", "#548235"


#: Every text a chart draws is plain text: labels come from client data and
#: config (a price tier "$$", a question "a_b"), and matplotlib would otherwise
#: read anything between dollar signs as mathtext, failing on "$" alone or
#: turning "$x^2$" into a formula. Texts keep the setting they were created
#: with, so one context around each chart's construction covers its titles,
#: labels, annotations, legends and tick labels, whoever draws the figure later
#: and whether or not the notebook's style was set up.
_plain_text = mpl.rc_context({"text.parse_math": False})


#: Most period labels a time axis prints; a longer axis labels every second, third ... period, and the last.
MAX_PERIOD_LABELS = 12


def _period_axis(ax: plt.Axes, periods) -> None:
    """Label the periods along the x axis, thinned to at most :data:`MAX_PERIOD_LABELS` so none overlap."""
    periods = [str(p) for p in periods]
    step = -(-len(periods) // MAX_PERIOD_LABELS)
    shown = sorted({*range(len(periods) - 1, -1, -step)})
    ax.set_xticks(shown, [periods[i] for i in shown], rotation=45 if len(shown) > 8 else 0)
    ax.set_xticks(range(len(periods)), minor=True)


def _finish(fig: plt.Figure, ax: plt.Axes, title: str, note: str | None = None) -> plt.Figure:
    ax.set_title(title, loc="left")
    if note:
        fig.text(0.01, -0.02, note.strip(), fontsize=9, color="#555555", ha="left", va="top")
    fig.tight_layout()
    plt.close(fig)
    return fig


def _suppressed_note(summary: pd.DataFrame, min_n: int | None) -> str | None:
    hidden = int(summary["suppressed"].sum()) if "suppressed" in summary else 0
    return f"{plural(hidden, 'group')} not shown: {HIDDEN_GROUP.format(min_n=min_n)}." if hidden and min_n else None


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
    for (name, data), offset in zip(groups, offsets):
        x = data["period"].map(positions).to_numpy() + offset
        if group is None:
            ax.fill_between(x, data["ci_low"], data["ci_high"], color=INK, alpha=0.15, lw=0)
            ax.plot(x, data["estimate"], marker="o", lw=1.8, color=INK)
            continue
        err = np.vstack([data["estimate"] - data["ci_low"], data["ci_high"] - data["estimate"]])
        ax.errorbar(x, data["estimate"], yerr=err, marker="o", capsize=4, lw=1.8, label=name)
    _period_axis(ax, periods)
    ax.set_ylabel(METRIC_LABELS.get(metric, metric))
    if group is not None:
        ax.legend(title=group.replace("_", " ").capitalize(), frameon=False, fontsize=8, ncols=min(len(groups), 4))
    shown_as = "The band shows" if group is None else "Bars show"
    note = f"{shown_as} the {CI_LABEL}. " + (_suppressed_note(summary, min_n) or "")
    return _finish(fig, ax, title or f"{METRIC_LABELS.get(metric, metric)} by period", note)


@_plain_text
def intervals(
    summary: pd.DataFrame,
    label: str,
    metric: str,
    *,
    reference: float | None = None,
    highlight: pd.Series | None = None,
    min_n: int | None = None,
    title: str | None = None,
    note: str = "",
) -> plt.Figure:
    """Horizontal dot-and-interval chart of groups (touchpoints, segments, goals)."""
    shown = summary[~summary["suppressed"]].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.42 * len(shown) + 1.2)))
    y = np.arange(len(shown))[::-1]
    colours = [
        BAD if flag else INK
        for flag in (
            highlight.reindex(shown.index, fill_value=False) if highlight is not None else [False] * len(shown)
        )
    ]
    ax.hlines(y, shown["ci_low"], shown["ci_high"], color=colours, lw=2.5, alpha=0.7)
    ax.scatter(shown["estimate"], y, color=colours, zorder=3, s=36)
    ax.set_yticks(y, [str(v) for v in shown[label]])
    if reference is not None:
        ax.axvline(reference, color=MUTED, ls="--", lw=1)
    ax.set_xlabel(METRIC_LABELS.get(metric, metric))
    ax.grid(axis="y", visible=False)
    note = f"Lines show the {CI_LABEL}. {note} " + (_suppressed_note(summary, min_n) or "")
    return _finish(fig, ax, title or METRIC_LABELS.get(metric, metric), note)


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
        ax.legend(
            title=stacked_by.replace("_", " ").capitalize(),
            frameon=False,
            fontsize=8,
            bbox_to_anchor=(1.01, 1),
            loc="upper left",
        )
    ax.grid(axis="y", visible=False)
    return _finish(fig, ax, title)


@_plain_text
def score_distribution(counts: pd.DataFrame, score: str, *, title: str) -> plt.Figure:
    """Share of answers at each point of a scale, coloured by NPS group or top box."""
    fig, ax = plt.subplots(figsize=(8, 3.2))
    ax.bar(counts["score"].astype(int).astype(str), counts["share"], color=counts["colour"], width=0.75)
    ax.set_xlabel(f"{score.upper()} answer")
    ax.set_ylabel("Share of answers (%)")
    ax.grid(axis="x", visible=False)
    return _finish(fig, ax, title)


@_plain_text
def control_chart(chart: pd.DataFrame, *, title: str, ylabel: str) -> plt.Figure:
    """A p-chart or Laney p′ chart: share per period with limits that follow each period's n;
    the legend names the chart the limits come from."""
    fig, ax = plt.subplots(figsize=(8, 3.6))
    x = np.arange(len(chart))
    ax.plot(x, chart["share"], marker="o", color=INK, lw=1.8, label="Share")
    ax.plot(x, chart["centre"], color=MUTED, lw=1, label="Centre line")
    limits = f"3σ limits ({CONTROL_CHART_NAMES[chart['chart'].iloc[0]]})"
    ax.step(x, chart["upper_limit"], where="mid", color=ACCENT, ls="--", lw=1, label=limits)
    ax.step(x, chart["lower_limit"], where="mid", color=ACCENT, ls="--", lw=1)
    signals = chart["signal"] != ""
    ax.scatter(x[signals], chart.loc[signals, "share"], color=BAD, s=80, zorder=4, label="Signal")
    _period_axis(ax, chart["period"])
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _finish(fig, ax, title)


@_plain_text
def scenario_line(scenarios: pd.DataFrame, *, current: float, currency: str, title: str) -> plt.Figure:
    """Revenue at risk across CSAT scenarios, the current level marked."""
    fig, ax = plt.subplots(figsize=(8, 3.4))
    ax.plot(scenarios["csat"], scenarios["revenue_at_risk"], color=INK, lw=2)
    ax.axvline(current, color=ACCENT, ls="--", lw=1)
    ax.text(current, ax.get_ylim()[1] * 0.95, " today", color=ACCENT, va="top")
    ax.set_xlabel("CSAT (% satisfied)")
    ax.set_ylabel(f"Revenue at risk ({currency})")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}".replace(",", " ")))
    return _finish(fig, ax, title)


@_plain_text
def goal_intervals(progress: pd.DataFrame, metric: str, *, min_n: int | None = None, title: str) -> plt.Figure:
    """Each goal's current value with its interval, and its target as a diamond."""
    shown = progress[~progress["suppressed"]].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.5 * len(shown) + 1.3)))
    y = np.arange(len(shown))[::-1]
    colour = np.where(shown["status"] == "behind", BAD, np.where(shown["status"] == "met", GOOD, INK))
    ax.hlines(y, shown["ci_low"], shown["ci_high"], color=colour, lw=2.5, alpha=0.7)
    ax.scatter(shown["current"], y, color=colour, s=36, zorder=3, label="Now (line: 95 % CI)")
    ax.scatter(shown["target"], y, marker="D", color=ACCENT, s=40, zorder=4, label="Target")
    ax.set_yticks(y, [f"{g}" for g in shown["goal"]])
    ax.set_xlabel(METRIC_LABELS.get(metric, metric))
    ax.grid(axis="y", visible=False)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _finish(fig, ax, title, _suppressed_note(progress, min_n))


@_plain_text
def differences(changes: pd.DataFrame, metric: str, *, alpha: float, title: str) -> plt.Figure:
    """Differences with their intervals around zero; those with an adjusted p below ``alpha`` in colour."""
    data = changes.reset_index(drop=True)
    names = np.where(
        data["dimension"] == "all", data["level"], data["dimension"].str.replace("_", " ") + ": " + data["level"]
    )
    if "comparison" in data and data["comparison"].nunique() > 1:
        names = names + " (vs " + data["comparison"].to_numpy() + ")"
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.4 * len(data) + 1.2)))
    y = np.arange(len(data))[::-1]
    real = data["p_adjusted"] < alpha
    colour = np.where(real & (data["difference"] > 0), GOOD, np.where(real, BAD, INK))
    ax.hlines(y, data["ci_low"], data["ci_high"], color=colour, lw=2.5, alpha=0.7)
    ax.scatter(data["difference"], y, color=colour, s=36, zorder=3)
    ax.axvline(0, color=MUTED, lw=1)
    ax.set_yticks(y, names)
    ax.set_xlabel(f"Difference in {METRIC_LABELS.get(metric, metric)}")
    ax.grid(axis="y", visible=False)
    return _finish(fig, ax, title, "Coloured: unlikely to be chance after adjustment (green up, red down).")


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
    ax.set_xlabel("Importance: share of explained variance (%)")
    ax.set_ylabel(f"Performance: % rating {top_boxes}")
    ax.margins(0.15)
    kw: dict = {"transform": ax.transAxes, "fontsize": 8, "color": "#555555"}
    ax.text(0.99, 0.01, "fix first", ha="right", va="bottom", **kw)
    ax.text(0.99, 0.99, "keep up", ha="right", va="top", **kw)
    ax.text(0.01, 0.99, "maintain", ha="left", va="top", **kw)
    ax.text(0.01, 0.01, "lower priority", ha="left", va="bottom", **kw)
    note = None
    if "share_ci_low" in importance:
        note = f"Horizontal lines: bootstrap {CI_LABEL} of each share."
        share = importance["share"]
        outside = (share < importance["share_ci_low"]) | (share > importance["share_ci_high"])
        if outside.any():
            count = int(outside.sum())
            note += f" {plural(count, 'share')} {'lies' if count == 1 else 'lie'} outside {'its' if count == 1 else 'their'} interval (weakly related attributes)."
    return _finish(fig, ax, title, note)


UNMEASURED = "No survey asks this within the goal's scope"
STATUS_FILL = {
    "met": "#e2efda",
    "on track": "#eef5e6",
    "too close to tell": "#ddebf7",
    "behind": "#f8d7d7",
    "too few answers": "#eeeeee",
    "not measured": "#ffffff",
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
) -> None:
    import textwrap

    text = text.replace(" %", "\u00a0%")  # keep "10 %" on one line
    ax.text(
        x,
        y,
        textwrap.fill(text, width),
        ha="center",
        va="center",
        fontsize=8.5,
        weight=weight,
        zorder=3,
        bbox=dict(boxstyle="round,pad=0.45", fc=fill, ec=edge, lw=1.1, ls="--" if dashed else "-"),
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
        _node(
            ax,
            columns["goal"],
            row.y,
            f"{row.team}: {row.goal}",
            width=24,
            fill=STATUS_FILL[status],
            dashed=status == "not measured",
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
        .agg(lambda s: ", ".join(sorted({name for text in s for name in text.split(", ")})))
    )
    for question, y in question_y.items():
        if question == UNMEASURED:
            _node(ax, columns["question"], y, UNMEASURED, width=24, edge=BAD, dashed=True)
        else:
            _node(ax, columns["question"], y, f"“{question}” ({surveys[question]})", width=26, fill="#f7f7f7")
    _node(ax, columns["program"], middle, program_goal, width=16, fill=INK, edge=INK, weight="bold")
    ax.texts[-1].set_color("white")
    for name, x in columns.items():
        label = {"program": "Program goal", "goal": "Team goals", "kpi": "KPIs", "question": "Survey questions"}
        ax.text(x, rows + 0.9, label[name], ha="center", va="bottom", fontsize=9, weight="bold", color="#555555")
    ax.set_xlim(-0.6, 4.0)
    ax.set_ylim(0.2, rows + 1.4)
    ax.axis("off")
    handles = [plt.Rectangle((0, 0), 1, 1, fc=fill, ec=INK, lw=0.8) for fill in STATUS_FILL.values()]
    ax.legend(
        handles,
        list(STATUS_FILL),
        ncols=5,
        frameon=False,
        fontsize=7.5,
        handlelength=1.2,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
    )
    return _finish(fig, ax, title)


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
    """Stages as columns, touchpoints as cards coloured by score, with interval, n and listening posts.

    ``scores`` is one period of :func:`cxanalysis.touchpoints.journey_scores`.
    Fill runs from red (below the journey average) to green (above); a thick
    red border marks a hot spot; a dashed border a touchpoint without a
    score this period.
    """
    import textwrap

    from matplotlib.colors import TwoSlopeNorm
    from matplotlib.patches import FancyBboxPatch

    stages = list(dict.fromkeys(scores["stage"]))
    size = 8.5  # points; the figure shows at about 80 % of its size at 1280 px wide
    width, gap, pad, line = 7.5, 0.1, 0.07, size * 1.25 * 1.12 / 72  # inches
    column = (width - gap * (len(stages) - 1)) / len(stages)
    chars = max(14, int((column - 2 * pad) * 72 / (0.56 * size)))
    shown = scores["estimate"].where(~scores["suppressed"])
    spread = float(np.nanmax(np.abs(shown - average))) if average is not None and shown.notna().any() else 0.0
    norm = (
        TwoSlopeNorm(vcenter=average, vmin=average - spread - 1e-9, vmax=average + spread + 1e-9)
        if average is not None and spread
        else None
    )
    colours = plt.get_cmap("RdYlGn")
    label = METRIC_SHORT.get(metric, metric)
    cards: dict[str, list] = {stage: [] for stage in stages}
    for row in scores.itertuples():
        name = _wrap(str(row.touchpoint), int(chars * 0.86))  # bold letters run wider
        if row.suppressed:
            detail = _wrap(f"{label} hidden for anonymity (n < {min_n} here or beside it)", chars).split("\n")
        elif row.n == 0:
            detail = [f"{label} not asked here" if row.responses else "No responses this period"]
        else:
            detail = [
                f"{label} {row.estimate:.1f}, n = " + f"{row.n:,}".replace(",", " "),
                f"CI {row.ci_low:.1f} to {row.ci_high:.1f}" + (" · hot spot" if row.hot_spot else ""),
            ]
        posts = f"Listening post: {row.asked_by}" if row.listening_posts else "No listening post"
        detail += _wrap(posts, chars).split("\n")
        readable = not row.suppressed and row.n > 0
        fill = (
            "#ffffff"
            if not readable
            else (0.5 * np.array(colours(norm(row.estimate))) + 0.5)
            if norm is not None
            else "#ddebf7"
        )
        cards[row.stage].append((name, "\n".join(detail), fill, bool(row.hot_spot), readable, not row.listening_posts))
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
        for (name, detail, fill, hot, readable, unheard), height in zip(cards[stage], heights[stage]):
            ax.add_patch(
                FancyBboxPatch(
                    (x + 0.02, y),
                    column - 0.04,
                    height,
                    boxstyle="round,pad=0,rounding_size=0.06",
                    fc=fill,
                    ec=BAD if hot or unheard else (INK if readable else MUTED),
                    lw=2.6 if hot else 1.0,
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
                color=BAD if unheard and not readable else "#222222",
            )
            y += height + gap
    note = (
        f"Fill: greener above the journey average ({average:.1f}), redder below. " if norm is not None else ""
    ) + f"Thick red border: hot spot. Dashed: no {label} to show this period. "
    ax.text(0.02, 0.06, title, ha="left", va="top", fontsize=11, weight="bold")
    fig.text(
        0.01,
        -0.01,
        textwrap.fill(note + f"Intervals are {CI_LABEL}s.", 125),
        fontsize=8,
        color="#555555",
        ha="left",
        va="top",
    )
    plt.close(fig)
    return fig
