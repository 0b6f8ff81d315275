"""The book's charts. Each takes a tidy table and returns a finished figure.

Suppressed groups (fewer answers than the anonymity threshold) are never
drawn; their absence is stated in the chart's note.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .words import CI_LABEL, METRIC_LABELS

INK, ACCENT, MUTED, BAD, GOOD = "#1f4e79", "#c55a11", "#a5a5a5", "#c00000", "#548235"


def _finish(fig: plt.Figure, ax: plt.Axes, title: str, note: str | None = None) -> plt.Figure:
    ax.set_title(title, loc="left")
    if note:
        fig.text(0.01, -0.02, note.strip(), fontsize=9, color="#555555", ha="left", va="top")
    fig.tight_layout()
    plt.close(fig)
    return fig


def _suppressed_note(summary: pd.DataFrame, min_n: int | None) -> str | None:
    hidden = int(summary["suppressed"].sum()) if "suppressed" in summary else 0
    return f"{hidden} group(s) with fewer than {min_n} answers not shown." if hidden and min_n else None


def trend(summary: pd.DataFrame, metric: str, *, group: str | None = None, min_n: int | None = None,
          title: str | None = None) -> plt.Figure:
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
    ax.set_xticks(range(len(periods)), periods)
    ax.set_ylabel(METRIC_LABELS.get(metric, metric))
    if group is not None:
        ax.legend(title=group.replace("_", " ").capitalize(), frameon=False, fontsize=8, ncols=min(len(groups), 4))
    shown_as = "The band shows" if group is None else "Bars show"
    note = f"{shown_as} the {CI_LABEL}. " + (_suppressed_note(summary, min_n) or "")
    return _finish(fig, ax, title or f"{METRIC_LABELS.get(metric, metric)} by period", note)


def intervals(summary: pd.DataFrame, label: str, metric: str, *, reference: float | None = None,
              highlight: pd.Series | None = None, min_n: int | None = None, title: str | None = None,
              note: str = "") -> plt.Figure:
    """Horizontal dot-and-interval chart of groups (touchpoints, segments, goals)."""
    shown = summary[~summary["suppressed"]].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.42 * len(shown) + 1.2)))
    y = np.arange(len(shown))[::-1]
    colours = [BAD if flag else INK for flag in (highlight.reindex(shown.index, fill_value=False)
                                                  if highlight is not None else [False] * len(shown))]
    ax.hlines(y, shown["ci_low"], shown["ci_high"], color=colours, lw=2.5, alpha=0.7)
    ax.scatter(shown["estimate"], y, color=colours, zorder=3, s=36)
    ax.set_yticks(y, [str(v) for v in shown[label]])
    if reference is not None:
        ax.axvline(reference, color=MUTED, ls="--", lw=1)
    ax.set_xlabel(METRIC_LABELS.get(metric, metric))
    ax.grid(axis="y", visible=False)
    note = f"Lines show the {CI_LABEL}. {note} " + (_suppressed_note(summary, min_n) or "")
    return _finish(fig, ax, title or METRIC_LABELS.get(metric, metric), note)


def bars(frame: pd.DataFrame, label: str, value: str, *, title: str, xlabel: str,
         stacked_by: str | None = None) -> plt.Figure:
    """Horizontal bars of a count or share per group (optionally stacked)."""
    if stacked_by is None:
        table = frame.set_index(label)[[value]]
    else:
        table = frame.pivot_table(index=label, columns=stacked_by, values=value, aggfunc="sum", fill_value=0,
                                  sort=False)
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.4 * len(table) + 1.2)))
    table.iloc[::-1].plot.barh(stacked=True, ax=ax, legend=stacked_by is not None, width=0.7)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    if stacked_by is not None:
        ax.legend(title=stacked_by.replace("_", " ").capitalize(), frameon=False, fontsize=8,
                  bbox_to_anchor=(1.01, 1), loc="upper left")
    ax.grid(axis="y", visible=False)
    return _finish(fig, ax, title)


def score_distribution(counts: pd.DataFrame, score: str, *, title: str) -> plt.Figure:
    """Share of answers at each point of a scale, coloured by NPS group or top box."""
    fig, ax = plt.subplots(figsize=(8, 3.2))
    ax.bar(counts["score"].astype(int).astype(str), counts["share"], color=counts["colour"], width=0.75)
    ax.set_xlabel(f"{score.upper()} answer")
    ax.set_ylabel("Share of answers (%)")
    ax.grid(axis="x", visible=False)
    return _finish(fig, ax, title)


def control_chart(chart: pd.DataFrame, *, title: str, ylabel: str) -> plt.Figure:
    """A p-chart: share per period with limits that follow each period's n."""
    fig, ax = plt.subplots(figsize=(8, 3.6))
    x = np.arange(len(chart))
    ax.plot(x, chart["share"], marker="o", color=INK, lw=1.8, label="Share")
    ax.plot(x, chart["centre"], color=MUTED, lw=1, label="Centre line")
    ax.step(x, chart["upper_limit"], where="mid", color=ACCENT, ls="--", lw=1, label="3σ limits")
    ax.step(x, chart["lower_limit"], where="mid", color=ACCENT, ls="--", lw=1)
    signals = chart["signal"] != ""
    ax.scatter(x[signals], chart.loc[signals, "share"], color=BAD, s=80, zorder=4, label="Signal")
    ax.set_xticks(x, chart["period"], rotation=45 if len(chart) > 8 else 0)
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _finish(fig, ax, title)


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


def goal_intervals(progress: pd.DataFrame, metric: str, *, min_n: int | None = None, title: str) -> plt.Figure:
    """Each goal's current value with its interval, and its target as a diamond."""
    shown = progress[~progress["suppressed"]].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.5 * len(shown) + 1.3)))
    y = np.arange(len(shown))[::-1]
    colour = np.where(shown["status"] == "below target", BAD, np.where(shown["status"] == "target met", GOOD, INK))
    ax.hlines(y, shown["ci_low"], shown["ci_high"], color=colour, lw=2.5, alpha=0.7)
    ax.scatter(shown["current"], y, color=colour, s=36, zorder=3, label="Now (line: 95 % CI)")
    ax.scatter(shown["target"], y, marker="D", color=ACCENT, s=40, zorder=4, label="Target")
    ax.set_yticks(y, [f"{g}" for g in shown["goal"]])
    ax.set_xlabel(METRIC_LABELS.get(metric, metric))
    ax.grid(axis="y", visible=False)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _finish(fig, ax, title, _suppressed_note(progress, min_n))


def differences(changes: pd.DataFrame, metric: str, *, title: str) -> plt.Figure:
    """Differences with their intervals around zero; adjusted-significant ones in colour."""
    data = changes.reset_index(drop=True)
    names = np.where(data["dimension"] == "all", data["level"], data["dimension"].str.replace("_", " ") + ": " + data["level"])
    if "comparison" in data and data["comparison"].nunique() > 1:
        names = names + " (vs " + data["comparison"].to_numpy() + ")"
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.4 * len(data) + 1.2)))
    y = np.arange(len(data))[::-1]
    real = data["p_adjusted"] < 0.05
    colour = np.where(real & (data["difference"] > 0), GOOD, np.where(real, BAD, INK))
    ax.hlines(y, data["ci_low"], data["ci_high"], color=colour, lw=2.5, alpha=0.7)
    ax.scatter(data["difference"], y, color=colour, s=36, zorder=3)
    ax.axvline(0, color=MUTED, lw=1)
    ax.set_yticks(y, names)
    ax.set_xlabel(f"Difference in {METRIC_LABELS.get(metric, metric)}")
    ax.grid(axis="y", visible=False)
    return _finish(fig, ax, title, "Coloured: unlikely to be chance after adjustment (green up, red down).")


def quadrants(importance: pd.DataFrame, *, title: str) -> plt.Figure:
    """Importance (share of explained variance) against performance (top-box share)."""
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.scatter(importance["share"], importance["performance"], s=60, color=INK, zorder=3)
    for row in importance.itertuples():
        ax.annotate(str(row.driver).replace("_", " ").capitalize(), (row.share, row.performance),
                    xytext=(6, 4), textcoords="offset points", fontsize=9)
    ax.axvline(importance["share"].mean(), color=MUTED, ls="--", lw=1)
    ax.axhline(importance["performance"].mean(), color=MUTED, ls="--", lw=1)
    ax.set_xlabel("Importance: share of explained variance (%)")
    ax.set_ylabel("Performance: % rating 4-5")
    ax.margins(0.15)
    kw = dict(transform=ax.transAxes, fontsize=8, color="#555555")
    ax.text(0.99, 0.01, "fix first", ha="right", va="bottom", **kw)
    ax.text(0.99, 0.99, "keep up", ha="right", va="top", **kw)
    ax.text(0.01, 0.99, "maintain", ha="left", va="top", **kw)
    ax.text(0.01, 0.01, "lower priority", ha="left", va="bottom", **kw)
    return _finish(fig, ax, title)
