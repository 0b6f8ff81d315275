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
from .translation import N_, _
from .words import (
    PLAIN_VERDICTS,
    escape_markdown,
    metric_decimals,
    metric_label,
    metric_short,
    metric_unit,
    number,
    plain_verdict,
    rounded_level,
    unit_noun,
    with_unit,
)

if TYPE_CHECKING:
    from .client import ClientData

#: Each verdict of :func:`cxanalysis.effects.action_effects` in the words a leader uses.
PLAIN_EFFECT_VERDICTS = {
    UNLIKELY_CHANCE: N_("likely a real effect"),
    COULD_BE_CHANCE: N_("could well be chance"),
    TOO_FEW_UNITS: N_("too few comparison groups to tell whether the change caused it"),
}
#: The rule by which a period is unusual (:func:`cxanalysis.monitoring.period_chart`), for method notes.
_UNUSUAL_RULE = N_(
    "a period is unusual when its score lies outside {sigma}-sigma control limits computed from the "
    "other periods: the range they predict for a new period, with its sampling error and the ordinary "
    "variation between periods"
)
#: The verdicts of a rebound and of an unusual latest period, as the headline table keeps them.
UNUSUAL_VERDICTS = {
    ("rebound", "low"): N_("back from an unusual low"),
    ("rebound", "high"): N_("back from an unusual high"),
    ("unusual", "low"): N_("unusually low"),
    ("unusual", "high"): N_("unusually high"),
}
#: "the other quarters": the periods a period is compared with, by :func:`period_noun`.
_OTHER_PERIODS = {
    "quarter": N_("the other quarters"),
    "month": N_("the other months"),
    "period": N_("the other periods"),
}
#: "a quarter": a rate's period, by :func:`period_noun`.
_PER_PERIOD = {"quarter": N_("a quarter"), "month": N_("a month"), "period": N_("a period")}


def unusual_rule() -> str:
    """The rule by which a period is unusual, in the report language, for method notes."""
    return _(_UNUSUAL_RULE).format(sigma=presentation.formatted(UNUSUAL_SIGMA, "{:g}"))


def movement_verdict(verdict: str) -> str:
    """A movement's verdict (:attr:`Movement.verdict`, English as the headline table keeps it) in the
    report language."""
    if verdict in UNUSUAL_VERDICTS.values() or verdict in PLAIN_VERDICTS.values():
        return _(verdict)
    return verdict


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
    return f"{number(abs(value), d)} {metric_unit(metric)}".rstrip()


def _periods(count: int, noun: str) -> str:
    """'4 quarters': a count of periods of :func:`period_noun`'s kind."""
    if noun == "quarter":
        return presentation.plural(count, "quarter", "quarters")
    if noun == "month":
        return presentation.plural(count, "month", "months")
    return presentation.plural(count, "period", "periods")


def _level(change: pd.Series, side: str, metric: str) -> str:
    """A score's level on one side of a change as prose ('68 %', '20', '5.07'), rounded as its table rounds it."""
    return with_unit(rounded_level(change, side), metric)


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
    strength, upward = _trend_strength(trend, alpha=alpha)
    if strength == "likely":
        return _("likely a real upward trend") if upward else _("likely a real downward trend")
    if strength == "possible":
        return (
            _(
                "a possible upward trend (clear on its own, but it could be chance once the other scores are "
                "allowed for)"
            )
            if upward
            else _(
                "a possible downward trend (clear on its own, but it could be chance once the other scores are "
                "allowed for)"
            )
        )
    return _("no sustained trend")


def _trend_strength(trend: pd.Series | None, *, alpha: float) -> tuple[str, bool]:
    """How sure the trend is ("likely", "possible" or "" for no sustained trend), and whether it is upward."""
    if trend is None or pd.isna(trend.get("p_value")):
        return "", False
    upward = bool(trend["slope_per_period"] > 0)
    if trend.get("p_adjusted", trend["p_value"]) < alpha:
        return "likely", upward
    if trend["p_value"] < alpha:
        return "possible", upward
    return "", upward


def _trend_clause(trend: pd.Series | None, metric: str, noun: str, *, alpha: float) -> str:
    """'Over 4 quarters: no sustained trend.' or the slope with its interval when there is one."""
    if trend is None:
        return ""
    span = _periods(trend["periods"], noun)
    if not _trend_strength(trend, alpha=alpha)[0]:
        return " " + _("Over {span}: no sustained trend.").format(span=span)
    value, low, high = trend["slope_per_period"], trend["ci_low"], trend["ci_high"]
    if pd.isna(value) or pd.isna(low) or pd.isna(high):
        slope = presentation.estimate(value, low, high, signed=True)
    else:
        d = presentation.decimals_for(low, high)
        slope = _("{value} {per} (95 % CI {low} to {high})").format(
            value=number(value, d, signed=True),
            per=_(_PER_PERIOD[noun]),
            low=number(low, d, signed=True),
            high=number(high, d, signed=True),
        )
    return " " + _("Over {span}: {trend}, {slope}.").format(
        span=span, trend=trend_words(trend, alpha=alpha), slope=slope
    )


def _change_clause(change: pd.Series, label: str, d: int, unseen: bool) -> str:
    """'NPS rose 7 points from 20 in 2025Q1 to 27 in 2025Q2 (95 % CI of the change +1 to +13)'."""
    metric, difference = change["metric"], change["difference"]
    values = {
        "label": label,
        "amount": _amount(difference, metric, d),
        "level_before": _level(change, "b", metric),
        "before": change["baseline"],
        "level_now": _level(change, "a", metric),
        "now": change["current"],
        "low": number(change["ci_low"], d, signed=True),
        "high": number(change["ci_high"], d, signed=True),
    }
    if difference == 0:
        message = _(
            "{label} did not move from {level_before} in {before} to {level_now} in {now} "
            "(95 % CI of the change {low} to {high})"
        )
    elif unseen:
        message = _(
            "{label} barely moved from {level_before} in {before} to {level_now} in {now} "
            "(95 % CI of the change {low} to {high})"
        )
    elif difference > 0:
        message = _(
            "{label} rose {amount} from {level_before} in {before} to {level_now} in {now} "
            "(95 % CI of the change {low} to {high})"
        )
    else:
        message = _(
            "{label} fell {amount} from {level_before} in {before} to {level_now} in {now} "
            "(95 % CI of the change {low} to {high})"
        )
    return message.format(**values)


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
    label, noun = metric_label(metric), period_noun(str(now))
    others = _(_OTHER_PERIODS[noun])
    d = presentation.decimals_for(change["ci_low"], change["ci_high"], fallback=max(metric_decimals(metric), 1))
    difference, verdict = change["difference"], change["verdict"]
    plain = PLAIN_VERDICTS[verdict]
    real = verdict in VERDICTS[:2]
    unseen = round(abs(difference), d) == 0  # a change too small to show at the interval's precision
    signal_before, signal_now = _signal(chart, str(before)), _signal(chart, str(now))
    trend_text = _trend_clause(trend, metric, noun, alpha=alpha)
    ordinary_now = chart is not None and not chart.empty and signal_now == "" and str(now) in set(chart["period"])
    values = {
        "label": label,
        "before": before,
        "now": now,
        "others": others,
        "verdict": plain_verdict(plain),
        "amount": _amount(difference, metric, d),
        "level_before": _level(change, "b", metric),
        "level_now": _level(change, "a", metric),
        "low": number(change["ci_low"], d, signed=True),
        "high": number(change["ci_high"], d, signed=True),
    }

    if difference != 0 and signal_before == ("below" if difference > 0 else "above"):
        extreme = "low" if difference > 0 else "high"
        if difference > 0:
            back = _(
                "{label} is back from an unusually low {before}: up {amount} from {level_before} in {before} to "
                "{level_now} in {now} (95 % CI of the change {low} to {high})."
            )
        else:
            back = _(
                "{label} is back from an unusually high {before}: down {amount} from {level_before} in {before} "
                "to {level_now} in {now} (95 % CI of the change {low} to {high})."
            )
        if not real:
            judged = _("The change itself: {verdict}")
        elif difference > 0:
            judged = _("The change is likely real, but it undoes the dip rather than taking the score to a new level")
        else:
            judged = _("The change is likely real, but it undoes the peak rather than taking the score to a new level")
        judged = judged.format(**values)
        if ordinary_now:
            judged = _("{sentence}; {now} is within the ordinary variation of {others}.").format(
                sentence=judged, now=now, others=others
            )
        elif signal_now:
            judged = (
                _("{sentence}; {now} is unusually high in turn.")
                if signal_now == "above"
                else _("{sentence}; {now} is unusually low in turn.")
            ).format(sentence=judged, now=now)
        else:
            judged += "."
        text = back.format(**values) + " " + judged + trend_text
        return Movement(metric, "rebound", UNUSUAL_VERDICTS[("rebound", extreme)], text)
    values["change"] = _change_clause(change, label, d, unseen)
    if signal_now in ("above", "below"):
        extreme = "high" if signal_now == "above" else "low"
        text = (
            _("{change}: {verdict}, and {now} is unusually high against {others}.")
            if extreme == "high"
            else _("{change}: {verdict}, and {now} is unusually low against {others}.")
        ).format(**values) + trend_text
        return Movement(metric, "unusual", UNUSUAL_VERDICTS[("unusual", extreme)], text)
    if verdict == VERDICTS[3] and pd.notna(change.get("mde")):
        text = _(
            "{change}: {verdict}; only a change of about {mde} or more could be told apart from chance with "
            "these answers."
        ).format(**values, mde=_amount(change["mde"], metric, d))
    elif real and ordinary_now:
        text = _("{change}: {verdict}, though {now} is still within the ordinary variation of {others}.").format(
            **values
        )
    else:
        text = _("{change}: {verdict}.").format(**values)
    if real and trend is not None and _trend_strength(trend, alpha=alpha)[0] != "likely":
        text += " " + _("One period's change is not yet a new direction.")
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
            lines.append(
                _("**{label} rose**: {reading}").format(label=metric_label(movement.metric), reading=movement.text)
            )
    for trend in trends.itertuples() if not trends.empty else []:
        row = pd.Series(trend._asdict())
        strength, upward = _trend_strength(row, alpha=alpha)
        if not (strength and upward):
            continue
        metric = row["metric"]
        d = presentation.decimals_for(row["ci_low"], row["ci_high"], fallback=max(metric_decimals(metric), 1))
        chart = charts.get(metric)
        ends: list[str] = []
        if chart is not None:
            first = chart[chart["period"] == row["first_period"]]
            last = chart[chart["period"] == row["last_period"]]
            if not first.empty and not last.empty:
                ends = [_chart_level(end, metric) for end in (first.iloc[0], last.iloc[0])]
        noun = period_noun(str(row["last_period"]))
        values = {
            "label": metric_label(metric),
            "slope": number(row["slope_per_period"], d),
            "per": _(_PER_PERIOD[noun]),
            "span": _periods(row["periods"], noun),
            "first": row["first_period"],
            "last": row["last_period"],
            "low": number(row["ci_low"], d),
            "high": number(row["ci_high"], d),
            "trend": trend_words(row, alpha=alpha),
        }
        if ends and strength == "likely":
            message = _(
                "**{label} is improving**: up {slope} {per} over {span}, from {first_level} in {first} to "
                "{last_level} in {last} (95 % CI of the rise {per} {low} to {high}): {trend}."
            )
        elif ends:
            message = _(
                "**{label} may be improving**: up {slope} {per} over {span}, from {first_level} in {first} to "
                "{last_level} in {last} (95 % CI of the rise {per} {low} to {high}): {trend}."
            )
        elif strength == "likely":
            message = _(
                "**{label} is improving**: up {slope} {per} over {span} (95 % CI of the rise {per} {low} to {high}): {trend}."
            )
        else:
            message = _(
                "**{label} may be improving**: up {slope} {per} over {span} (95 % CI of the rise {per} {low} to {high}): {trend}."
            )
        lines.append(message.format(**values, first_level=ends[0] if ends else "", last_level=ends[-1] if ends else ""))
    return lines


def action_effect_lines(effects: pd.DataFrame) -> list[str]:
    """Each logged change with an estimated effect, in plain words: what moved, by how much, and
    whether that can be told from chance (:func:`cxanalysis.effects.action_effects`)."""
    lines = []
    estimated = effects[effects["effect"].notna()] if not effects.empty else effects
    for action, rows in estimated.groupby("action", sort=False) if not estimated.empty else []:
        first = rows.iloc[0]
        where = escape_markdown(str(first["treated"]).replace(": ", " "))
        did = pd.notna(first["units"])
        units = unit_noun(str(first["unit"]), int(first["units"]))
        clauses = []
        for row in rows.itertuples():
            d = presentation.decimals_for(row.ci_low, row.ci_high, fallback=max(metric_decimals(row.metric), 1))
            if did:
                message = (
                    _(
                        "{metric} rose {amount} more than in the other {units} (effects from {low} to {high} are "
                        "compatible with the data)"
                    )
                    if row.effect > 0
                    else _(
                        "{metric} fell {amount} more than in the other {units} (effects from {low} to {high} are "
                        "compatible with the data)"
                    )
                )
            else:
                message = (
                    _(
                        "{metric} rose {amount} more than its earlier trend predicted (effects from {low} to {high} "
                        "are compatible with the data)"
                    )
                    if row.effect > 0
                    else _(
                        "{metric} fell {amount} more than its earlier trend predicted (effects from {low} to {high} "
                        "are compatible with the data)"
                    )
                )
            clauses.append(
                message.format(
                    metric=metric_short(row.metric),
                    amount=_amount(row.effect, row.metric, d),
                    units=units,
                    low=number(row.ci_low, d),
                    high=number(row.ci_high, d),
                )
            )
        verdicts = [PLAIN_EFFECT_VERDICTS.get(v, v) for v in rows["verdict"]]
        if len(set(verdicts)) == 1:
            verdict = _(verdicts[0]) if verdicts[0] in PLAIN_EFFECT_VERDICTS.values() else verdicts[0]
            if verdicts[0] == PLAIN_EFFECT_VERDICTS[TOO_FEW_UNITS]:
                verdict = _("with {count} {units} to compare, {verdict}").format(
                    count=number(first["units"]), units=units, verdict=verdict
                )
            body = _("{effects}: {verdict}").format(effects="; ".join(clauses), verdict=verdict)
        else:
            body = "; ".join(
                _("{effects}: {verdict}").format(effects=c, verdict=_(v) if v in PLAIN_EFFECT_VERDICTS.values() else v)
                for c, v in zip(clauses, verdicts)
            )
        if not did:
            body = _(
                "{effects}; with no comparison group, anything else that changed at the same time could explain it"
            ).format(effects=body)
        values = {
            "action": escape_markdown(action),
            "where": where,
            "date": presentation.date(first["start"]),
            "body": body,
        }
        if first["touchpoint"] == "all":
            lines.append(_("**{action}** ({where}, from {date}): {body}.").format(**values))
        else:
            lines.append(
                _("**{action}** ({where}, {touchpoint}, from {date}): {body}.").format(
                    **values, touchpoint=escape_markdown(first["touchpoint"])
                )
            )
    return lines
