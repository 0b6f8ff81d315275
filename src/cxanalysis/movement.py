"""How a headline score moved: one plain reading of its change, its trend and its control chart.

The executive summary, the significance chapter and the monitoring chapter
each say how a score moved since the previous period. They all call
:func:`movement_reading` (through :func:`headline_movements`), so a
rise the control chart calls a rebound from an unusual period reads as a
rebound on every page, and the words a leader reads ("likely a real rise",
"too few answers to tell", "could well be chance") come from
:data:`cxanalysis.words.PLAIN_VERDICTS` alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import presentation
from .compare import VERDICTS
from .effects import COULD_BE_CHANCE, TOO_FEW_UNITS, UNLIKELY_CHANCE
from .monitoring import UNUSUAL_SIGMA, score_period_charts
from .significance import period_changes, score_trends
from .words import (
    CI_LABEL,
    METRIC_LABELS,
    METRIC_SHORT,
    METRIC_UNITS,
    PLAIN_VERDICTS,
    escape_markdown,
    metric_decimals,
    number,
    rounded_level,
)

if TYPE_CHECKING:
    from .client import ClientData

#: Each verdict of :func:`cxanalysis.effects.action_effects` in the words a leader uses.
PLAIN_EFFECT_VERDICTS = {
    UNLIKELY_CHANCE: "likely a real effect",
    COULD_BE_CHANCE: "could well be chance",
    TOO_FEW_UNITS: "too few comparison groups to tell whether the change caused it",
}
#: The rule by which a period is unusual (:func:`cxanalysis.monitoring.period_chart`), for method notes.
UNUSUAL_RULE = (
    f"a period is unusual when its score lies outside {UNUSUAL_SIGMA:g}-sigma control limits computed from the "
    "other periods: the range they predict for a new period, with its sampling error and the ordinary "
    "variation between periods"
)


@dataclass(frozen=True)
class Movement:
    """One score's movement as the book reads it.

    ``kind`` is "rebound" (the change undoes an unusual previous period),
    "unusual" (the latest period is itself unusual) or "change" (neither);
    ``verdict`` the few words of the summary table and ``text`` the reading.
    """

    metric: str
    kind: str
    verdict: str
    text: str


def period_noun(period: str) -> str:
    """'quarter' for '2025Q3', 'month' for '2025-07', else 'period'."""
    return "quarter" if "Q" in period else "month" if "-" in period else "period"


def _signal(chart: pd.DataFrame | None, period: str) -> str:
    """The period's signal on its score's period chart: 'above', 'below' or '' (none, or no chart)."""
    if chart is None or chart.empty:
        return ""
    row = chart[chart["period"] == period]
    return "" if row.empty else str(row["signal"].iloc[0])


def _amount(value: float, metric: str, d: int) -> str:
    """'7 percentage points', '0.02' (CES has no unit), at ``d`` decimals."""
    return f"{number(abs(value), d)} {METRIC_UNITS.get(metric, '')}".rstrip()


def _with_unit(number_text: str, metric: str) -> str:
    return f"{number_text} %" if metric in ("csat", "ces_easy") else number_text


def _level(change: pd.Series, side: str, metric: str) -> str:
    """A score's level on one side of a change as prose ('68 %', '20', '5.07'), rounded as its table rounds it."""
    return _with_unit(rounded_level(change, side), metric)


def _chart_level(point: pd.Series, metric: str) -> str:
    """A period's level on a score's period chart, rounded with its interval where the chart gives one."""
    side = {"metric": metric, "estimate_a": point["estimate"]}
    side |= {"level_ci_low_a": point.get("ci_low", np.nan), "level_ci_high_a": point.get("ci_high", np.nan)}
    return _level(pd.Series(side), "a", metric)


def trend_words(trend: pd.Series | None, *, alpha: float) -> str:
    """The trend over all periods in plain words: 'likely a real upward trend', 'no sustained trend', ...

    Judged as :func:`cxanalysis.words.trend_test_sentence` judges it: on
    the p-value adjusted over the scores tested together, with the middle
    case of a score whose own test is below ``alpha`` but whose adjusted
    one is not.
    """
    if trend is None or pd.isna(trend.get("p_value")):
        return "no sustained trend"
    direction = "upward" if trend["slope_per_period"] > 0 else "downward"
    if trend.get("p_adjusted", trend["p_value"]) < alpha:
        return f"likely a real {direction} trend"
    if trend["p_value"] < alpha:
        return f"a possible {direction} trend (clear on its own, but it could be chance once the other scores are allowed for)"
    return "no sustained trend"


def _trend_clause(trend: pd.Series | None, metric: str, noun: str, *, alpha: float) -> str:
    """'Over 4 quarters: no sustained trend.' or the slope with its interval when there is one."""
    if trend is None:
        return ""
    words = trend_words(trend, alpha=alpha)
    over = f"Over {number(trend['periods'])} {noun}s"
    if words == "no sustained trend":
        return f" {over}: no sustained trend."
    slope = presentation.estimate(trend["slope_per_period"], trend["ci_low"], trend["ci_high"], signed=True)
    return f" {over}: {words}, {slope.replace(' (', f' a {noun} ({CI_LABEL} ', 1)}."


def movement_reading(
    change: pd.Series, trend: pd.Series | None = None, chart: pd.DataFrame | None = None, *, alpha: float
) -> Movement:
    """The one plain reading of a score's change since the previous period.

    Parameters
    ----------
    change : Series
        The score's row of :func:`cxanalysis.significance.period_changes`
        against the previous period (``metric``, ``baseline``, ``current``,
        ``estimate_b``, ``estimate_a``, ``difference``, ``ci_low``,
        ``ci_high``, ``mde`` and ``verdict``).
    trend : Series, optional
        The score's row of :func:`cxanalysis.significance.score_trends`.
    chart : DataFrame, optional
        The score's :func:`cxanalysis.monitoring.period_chart`: which
        periods are unusual against the others.
    alpha : float
        The report's significance level, for the trend.

    Returns
    -------
    Movement
        A change that follows an unusual period in the other direction is a
        **rebound** (back from an unusual low, or down from an unusual
        high): regression to the mean, whatever its test says. A latest
        period outside its limits is **unusual**. Otherwise the change's
        verdict in :data:`cxanalysis.words.PLAIN_VERDICTS`; a likely real change that the
        chart still calls ordinary variation, or that the trend does not
        share, says so.
    """
    metric, before, now = change["metric"], change["baseline"], change["current"]
    label, noun = METRIC_LABELS.get(metric, metric), period_noun(str(now))
    d = presentation.decimals_for(change["ci_low"], change["ci_high"], fallback=max(metric_decimals(metric), 1))
    difference, verdict = change["difference"], change["verdict"]
    plain = PLAIN_VERDICTS[verdict]
    real = verdict in VERDICTS[:2]
    unseen = round(abs(difference), d) == 0  # a change too small to show at the interval's precision
    moved = "did not move" if difference == 0 else "barely moved" if unseen else "rose" if difference > 0 else "fell"
    size = "" if unseen else f" {_amount(difference, metric, d)}"
    levels = f"{_level(change, 'b', metric)} in {before} to {_level(change, 'a', metric)} in {now}"
    interval = (
        f"({CI_LABEL} of the change {number(change['ci_low'], d, signed=True)} to "
        f"{number(change['ci_high'], d, signed=True)})"
    )
    signal_before, signal_now = _signal(chart, str(before)), _signal(chart, str(now))
    trend_text = _trend_clause(trend, metric, noun, alpha=alpha)
    ordinary_now = chart is not None and not chart.empty and signal_now == "" and str(now) in set(chart["period"])

    if difference != 0 and signal_before == ("below" if difference > 0 else "above"):
        extreme = "low" if difference > 0 else "high"
        undone = "dip" if difference > 0 else "peak"
        text = (
            f"{label} is back from an unusually {extreme} {before}: {'up' if difference > 0 else 'down'} "
            f"{_amount(difference, metric, d)} from {levels} {interval}. "
            + (
                f"The change is likely real, but it undoes the {undone} rather than taking the score to a new level"
                if real
                else f"The change itself: {plain}"
            )
            + (
                f"; {now} is within the ordinary variation of the other {noun}s."
                if ordinary_now
                else f"; {now} is unusually {'high' if signal_now == 'above' else 'low'} in turn."
                if signal_now
                else "."
            )
            + trend_text
        )
        return Movement(metric, "rebound", f"back from an unusual {extreme}", text)
    if signal_now in ("above", "below"):
        extreme = "high" if signal_now == "above" else "low"
        text = (
            f"{label} {moved}{size} from {levels} {interval}: {plain}, and {now} is unusually {extreme} against "
            f"the other {noun}s." + trend_text
        )
        return Movement(metric, "unusual", f"unusually {extreme}", text)
    text = f"{label} {moved}{size} from {levels} {interval}: {plain}"
    if verdict == VERDICTS[3] and pd.notna(change.get("mde")):
        text += (
            f"; only a change of about {_amount(change['mde'], metric, d)} or more could be told apart from chance "
            "with these answers"
        )
    if real and ordinary_now:
        text += f", though {now} is still within the ordinary variation of the other {noun}s"
    text += "."
    if real and trend is not None and not trend_words(trend, alpha=alpha).startswith("likely a real"):
        text += " One period's change is not yet a new direction."
    return Movement(metric, "change", plain, text + trend_text)


def headline_movements(
    client: ClientData, changes: pd.DataFrame | None = None, trends: pd.DataFrame | None = None
) -> list[Movement]:
    """:func:`movement_reading` for each of the client's scores with a change since the previous period.

    ``changes`` are :func:`cxanalysis.significance.period_changes` rows (the
    ones over all responses against the previous period are read) and
    ``trends`` :func:`cxanalysis.significance.score_trends`; both are
    computed with the client's settings when not given, so a page that has
    them already passes its own.
    """
    changes = period_changes(client, client.scores) if changes is None else changes
    if changes.empty:
        return []
    trends = score_trends(client) if trends is None else trends
    charts = score_period_charts(client)
    previous = changes[(changes["comparison"] == "previous period") & (changes["dimension"] == "all")]
    readings = []
    for metric in client.scores:
        row = previous[previous["metric"] == metric]
        if row.empty:
            continue
        trend = trends[trends["metric"] == metric] if not trends.empty else trends
        readings.append(
            movement_reading(
                row.iloc[0],
                trend.iloc[0] if not trend.empty else None,
                charts.get(metric),
                alpha=client.alpha,
            )
        )
    return readings


def improvement_lines(
    movements: list[Movement], trends: pd.DataFrame, charts: dict[str, pd.DataFrame], *, alpha: float
) -> list[str]:
    """The good news: scores that rose beyond chance (not rebounds) and scores trending up."""
    lines = []
    for movement in movements:
        if movement.kind == "change" and movement.verdict == PLAIN_VERDICTS[VERDICTS[0]]:
            lines.append(f"**{METRIC_LABELS[movement.metric]} rose**: {movement.text}")
    for trend in trends.itertuples() if not trends.empty else []:
        row = pd.Series(trend._asdict())
        words = trend_words(row, alpha=alpha)
        if not words.startswith(("likely a real upward", "a possible upward")):
            continue
        metric = row["metric"]
        d = presentation.decimals_for(row["ci_low"], row["ci_high"], fallback=max(metric_decimals(metric), 1))
        chart = charts.get(metric)
        span = ""
        if chart is not None:
            first = chart[chart["period"] == row["first_period"]]
            last = chart[chart["period"] == row["last_period"]]
            if not first.empty and not last.empty:
                ends = [_chart_level(end, metric) for end in (first.iloc[0], last.iloc[0])]
                span = f", from {ends[0]} in {row['first_period']} to {ends[1]} in {row['last_period']}"
        noun = period_noun(str(row["last_period"]))
        lines.append(
            f"**{METRIC_LABELS[metric]} {'is' if words.startswith('likely') else 'may be'} improving**: up {number(row['slope_per_period'], d)} a {noun} over "
            f"{number(row['periods'])} {noun}s{span} ({CI_LABEL} of the rise a {noun} "
            f"{number(row['ci_low'], d)} to {number(row['ci_high'], d)}): {words}."
        )
    return lines


def action_effect_lines(effects: pd.DataFrame) -> list[str]:
    """Each logged change with an estimated effect, in plain words: what moved, by how much, and
    whether that can be told from chance (:func:`cxanalysis.effects.action_effects`)."""
    lines = []
    estimated = effects[effects["effect"].notna()] if not effects.empty else effects
    for action, rows in estimated.groupby("action", sort=False) if not estimated.empty else []:
        first = rows.iloc[0]
        where = escape_markdown(str(first["treated"]).replace(": ", " "))
        place = "" if first["touchpoint"] == "all" else f", {escape_markdown(first['touchpoint'])}"
        did = pd.notna(first["units"])
        compared = (
            f"than in the other {escape_markdown(str(first['unit']))}s" if did else "than its earlier trend predicted"
        )
        clauses = []
        for row in rows.itertuples():
            d = presentation.decimals_for(row.ci_low, row.ci_high, fallback=max(metric_decimals(row.metric), 1))
            clauses.append(
                f"{METRIC_SHORT.get(row.metric, row.metric)} {'rose' if row.effect > 0 else 'fell'} "
                f"{_amount(row.effect, row.metric, d)} more {compared} (effects from {number(row.ci_low, d)} to "
                f"{number(row.ci_high, d)} are compatible with the data)"
            )
        verdicts = [PLAIN_EFFECT_VERDICTS.get(v, v) for v in rows["verdict"]]
        if len(set(verdicts)) == 1:
            verdict = verdicts[0]
            if verdict == PLAIN_EFFECT_VERDICTS[TOO_FEW_UNITS]:
                verdict = f"with {number(first['units'])} {escape_markdown(str(first['unit']))}s to compare, {verdict}"
            body = "; ".join(clauses) + f": {verdict}"
        else:
            body = "; ".join(f"{c}: {v}" for c, v in zip(clauses, verdicts))
        if not did:
            body += "; with no comparison group, anything else that changed at the same time could explain it"
        lines.append(
            f"**{escape_markdown(action)}** ({where}{place}, from {presentation.date(first['start'])}): {body}."
        )
    return lines
