"""The executive summary's headline figures, from the same functions the chapters use."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .benchmarking import benchmark_comparison
from .drivers import driver_importance
from .effects import TOO_FEW_UNITS, UNLIKELY_CHANCE, action_effects
from .loading import accounting_summary
from .money import revenue_at_risk_now
from .monitoring import score_period_charts
from .movement import Movement, action_effect_lines, headline_movements, improvement_lines, movement_verdict
from .significance import period_changes, score_trends
from .themes import theme_impact
from .touchpoints import journey_scores
from .translation import _
from .words import (
    benchmark_summary_line,
    estimate_phrase,
    glance_data,
    glance_drivers,
    glance_hot_spots,
    glance_listening,
    glance_more_data,
    glance_revenue,
    glance_themes,
    initiative_name,
    metric_short,
    target_move,
    with_interval,
)

if TYPE_CHECKING:
    from .client import ClientData


def headline_table(client: ClientData) -> pd.DataFrame:
    """Each score in the latest period, with its interval and the change since the previous one.

    ``change_reading`` and ``change_verdict`` are the change as every page
    reads it (:func:`cxanalysis.movement.movement_reading`: its test, the
    trend over the periods and the control chart of the periods together);
    ``change_kind`` says whether it is a rebound from an unusual period.
    """
    rows = []
    changes = period_changes(client, client.scores)
    movements = {m.metric: m for m in headline_movements(client, changes)}
    for metric in client.scores:
        latest = client.summarise(metric, ["period"])
        latest = latest[latest["period"] == client.latest_period]
        if latest.empty:
            continue  # asked in earlier periods only: the latest period has no figure for it
        latest = latest.iloc[0]
        row = {
            "metric": metric,
            "period": client.latest_period,
            "estimate": latest["estimate"],
            "ci_low": latest["ci_low"],
            "ci_high": latest["ci_high"],
            "n": latest["n"],
            "reading": estimate_phrase(latest, metric),
        }
        change = (
            changes[(changes["metric"] == metric) & (changes["comparison"] == "previous period")]
            if not changes.empty
            else changes
        )
        if not change.empty:
            change = change.iloc[0]
            row |= {
                "change": change["difference"],
                "change_ci_low": change["ci_low"],
                "change_ci_high": change["ci_high"],
                "p_adjusted": change["p_adjusted"],
                "change_kind": movements[metric].kind,
                "change_verdict": movements[metric].verdict,
                "change_reading": movements[metric].text,
            }
        rows.append(row)
    return pd.DataFrame(rows)


def headline_sentences(headline: pd.DataFrame) -> list[str]:
    """Each score's level, then its change, as plain sentences."""
    lines = []
    for row in headline.itertuples():
        change = getattr(row, "change_reading", None)
        level = _("{reading} in {period}.").format(reading=row.reading, period=row.period)
        lines.append(f"{level} {change}" if isinstance(change, str) else level)
    return lines


def good_news(client: ClientData, headline: pd.DataFrame) -> list[str]:
    """What went well, beside what did not: scores that rose beyond chance (not rebounds), scores
    trending up, and the logged changes with an estimated effect, each in plain words."""
    movements = [
        Movement(row.metric, row.change_kind, row.change_verdict, row.change_reading)
        for row in headline.itertuples()
        if "change_reading" in headline and isinstance(row.change_reading, str)
    ]
    lines = improvement_lines(movements, score_trends(client), score_period_charts(client), alpha=client.alpha)
    return lines + _logged_change_lines(client, UNLIKELY_CHANCE)


def promising_changes(client: ClientData) -> list[str]:
    """Logged changes that raised a score where they were made by more than elsewhere, though too few
    comparison groups can tell whether the change caused it: worth a staged roll-out, not yet good news."""
    return _logged_change_lines(client, TOO_FEW_UNITS)


def _logged_change_lines(client: ClientData, verdict: str) -> list[str]:
    """:func:`cxanalysis.movement.action_effect_lines` for the logged changes whose every estimated
    effect is positive and has ``verdict``."""
    if not client.config.action_log:
        return []
    effects = action_effects(client)
    estimated = effects[effects["effect"].notna()]
    chosen = estimated.groupby("action").filter(
        lambda rows: bool((rows["effect"] > 0).all() and (rows["verdict"] == verdict).all())
    )
    return action_effect_lines(chosen)


def at_a_glance(client: ClientData, plan: pd.DataFrame | None = None) -> list[str]:
    """One line each: top drivers, top negative themes, hot spots, revenue at risk, the data behind it all.

    Every figure comes from the function the chapter itself calls.
    """
    lines = []
    attributes, overall = client.attributes, client.overall_score
    sample = client.driver_sample(overall)
    if sample.estimable:
        drivers = driver_importance(client.responses, overall, attributes, scale=client.scales["attributes"])
        lines.append(glance_drivers(drivers.iloc[:3], overall, sample))
    if client.has("comment") and client.has(overall):
        impact = theme_impact(
            client.responses,
            client.coded_comments,
            client.taxonomy,
            overall,
            min_n=client.min_n,
            scales=client.scales,
            adjust=client.config.significance.adjust,
        )
        coded = client.coded_comments
        latest = coded.index.intersection(client.responses.index[client.responses["period"] == client.latest_period])
        silent = frozenset(coded.columns[~coded.loc[latest].any()]) if len(latest) else frozenset()
        lines.append(glance_themes(impact, overall, alpha=client.alpha, silent=silent, period=client.latest_period))
    if client.has("touchpoint") and client.has("csat"):
        lines.append(glance_hot_spots(journey_scores(client, "csat"), client.latest_period))
    risk = revenue_at_risk_now(client)
    if risk is not None:
        lines.append(glance_revenue(risk, client.config.money))
    listening = glance_listening(_follow_up_figures(client), _channel_comparison(client))
    if listening:
        lines.append(listening)
    benchmarks = benchmark_comparison(client)
    if not benchmarks.empty:
        lines.append(benchmark_summary_line(benchmarks))
    lines.append(glance_data(accounting_summary(client.data_check.accounting)))
    missing = [
        name
        for name, absent in (
            ("stakeholders", client.stakeholders is None),
            ("attributes", not sample.estimable),
            ("touchpoint", not client.has("touchpoint")),
            ("customers", client.customers is None),
            ("action_log", not client.config.action_log),
        )
        if absent
    ]
    if missing:
        lines.append(glance_more_data(missing))
    return lines


def _follow_up_figures(client: ClientData) -> pd.DataFrame | None:
    """The closing-the-loop figures of chapter 8 when the client keeps a follow-up log."""
    from .follow_up import closing_the_loop

    loop = closing_the_loop(client)
    return loop.figures if loop.has_log else None


def _channel_comparison(client: ClientData) -> pd.DataFrame | None:
    """Each channel's response rate against the others' (chapter 3) when the client has an invitations file."""
    from .response_rates import response_rates

    rates = response_rates(client)
    return None if rates is None else rates.channels


def top_actions(plan: pd.DataFrame, count: int = 5) -> pd.DataFrame:
    """The first actions of the plan as leadership reads them: what, who, which number, by when."""
    top = plan.head(count)
    return pd.DataFrame(
        {
            "rank": top["rank"],
            "initiative": top["initiative"].map(initiative_name),
            "action_area": top["area"],
            "owner": top["owner"],
            "target": [target_move(m, c, t) for m, c, t in zip(top["metric_to_watch"], top["current"], top["target"])],
            "due": top["due"],
        }
    )


def headline_display(headline: pd.DataFrame) -> pd.DataFrame:
    """The headline table as leadership reads it: each figure with its interval, and the change in words
    (its p-value stays in the saved table and the significance chapter)."""
    rows = []
    for row in headline.itertuples():
        has_change = "change" in headline and pd.notna(row.change)
        rows.append(
            {
                "score": metric_short(row.metric),
                f"{row.period}_(95 %_CI)": with_interval(row.estimate, row.ci_low, row.ci_high, row.metric),
                "n": int(row.n),
                "change_(95 %_CI)": (
                    with_interval(row.change, row.change_ci_low, row.change_ci_high, row.metric, True)
                    if has_change
                    else _("no earlier period")
                ),
                "reading": movement_verdict(row.change_verdict) if has_change else "",
            }
        )
    return pd.DataFrame(rows)
