"""Stakeholder goals measured: each goal's current value, interval and distance to target."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .metrics import METRIC_KINDS
from .program import Stakeholders, goals_table
from .rules import GOAL_STATUSES, goal_status
from .translation import N_, _
from .words import metric_short

if TYPE_CHECKING:
    from .client import ClientData


#: Each goal status (as goals.csv keeps it) in the words the book shows, translated where it is shown.
STATUS_WORDS = {
    "met": N_("met"),
    "on track": N_("on track"),
    "too close to tell": N_("too close to tell"),
    "behind": N_("behind"),
    "too few answers": N_("too few answers"),
    "not measured": N_("not measured"),
}


def status_word(status: str) -> str:
    """A goal status in the report language ("on track"); a status with no word is shown as it is kept."""
    return _(STATUS_WORDS[status]) if status in STATUS_WORDS else status


def _in_scope(responses: pd.DataFrame, goal) -> pd.DataFrame:
    """The responses a goal is about: its touchpoint and segment, if it names them."""
    data = responses
    if isinstance(goal.touchpoint, str):
        data = data[data["touchpoint"] == goal.touchpoint]
    for column, value in (goal.segment if isinstance(goal.segment, dict) else {}).items():
        data = data[data[column] == value] if column in data else data.iloc[0:0]
    return data


def _scope_label(goal) -> str:
    if isinstance(goal.touchpoint, str):
        return goal.touchpoint
    if isinstance(goal.segment, dict):
        return ", ".join(f"{k} {v}" for k, v in goal.segment.items())
    return "all"


def goal_progress(client: ClientData) -> pd.DataFrame:
    """Every team goal with its latest value, interval and status.

    A goal is measured on its metric in the latest period, within its
    touchpoint or segment. Status: :func:`cxanalysis.rules.goal_status`
    (met, on track, too close to tell, behind), "too few answers" when the
    value is hidden for anonymity, and "not measured" when no data answers
    the goal (it is flagged, never dropped). ``gap_significant`` is true
    when the interval excludes the target, the two-sided test of "current
    equals target" at the interval's level. Every metric here is
    higher-is-better, CES included.
    """
    goals = goals_table(client.stakeholders) if client.stakeholders is not None else pd.DataFrame()
    if goals.empty:
        return goals
    latest = client.responses[client.responses["period"] == client.latest_period]
    period_end = pd.Period(client.latest_period).end_time
    rows = []
    for goal in goals.itertuples(index=False):
        data = _in_scope(latest, goal)
        score_column = METRIC_KINDS[goal.metric][0]
        measured = data[score_column].notna().sum() if score_column in data else 0
        estimate = (
            client.summarise(goal.metric, data=data).iloc[0]
            if measured
            else pd.Series({"estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n": 0, "suppressed": False})
        )
        if not measured:
            status = "not measured"
        elif estimate["suppressed"]:
            status = "too few answers"
        else:
            status = goal_status(
                estimate["ci_low"],
                estimate["ci_high"],
                target=goal.target,
                baseline=None if pd.isna(goal.baseline) else goal.baseline,
                deadline_passed=pd.Timestamp(goal.deadline) < period_end,
            )
        rows.append(
            {
                "team": goal.team,
                "goal": goal.goal,
                "metric": goal.metric,
                "kpi": goal.kpi,
                "scope": _scope_label(goal),
                "baseline": goal.baseline,
                "target": goal.target,
                "current": estimate["estimate"],
                "ci_low": estimate["ci_low"],
                "ci_high": estimate["ci_high"],
                "n": estimate["n"],  # missing when hidden for anonymity
                "gap_to_target": goal.target - estimate["estimate"],
                "gap_significant": status in ("met", "on track", "behind"),
                "status": status,
                "deadline": goal.deadline,
                "suppressed": bool(estimate["suppressed"]),
            }
        )
    return pd.DataFrame(rows)


def goal_scorecard(progress: pd.DataFrame) -> pd.DataFrame:
    """The summary's goal scorecard: each goal's status as a symbol and a word, worst first.

    Rows keep the columns of :func:`goal_progress` a reader needs (goal,
    team, current with its interval, baseline, target, deadline), ordered
    behind, too close to tell, on track, met, then goals that cannot be read;
    ``status`` is the same word as chapter 1 and goals.csv.
    """
    order = ["behind", "too close to tell", "on track", "met", "too few answers", "not measured"]
    card = progress.assign(_order=progress["status"].map(order.index)).sort_values("_order", kind="stable")
    card = card.assign(status=status_marks(card["status"]))
    return card.drop(columns="_order").reset_index(drop=True)


def status_marks(status: pd.Series) -> pd.Series:
    """Each goal status as a symbol and its word ('✗ behind'), so it reads without colour."""
    return status.map(lambda s: f"{GOAL_STATUSES[s]} {status_word(s)}")


def goal_tree(client: ClientData) -> pd.DataFrame:
    """The chain from each team goal to the survey question that measures it.

    One row per goal: its team, the KPI it moves (named in the register, or
    the metric and scope when the goal names none), the question behind the
    metric as customers read it, and the surveys that asked it within the
    goal's scope over all periods. ``measured`` is false when no survey asks
    the question there: a goal nothing measures.
    """
    goals = goals_table(client.stakeholders) if client.stakeholders is not None else pd.DataFrame()
    rows = []
    for goal in goals.itertuples(index=False):
        column = METRIC_KINDS[goal.metric][0]
        data = _in_scope(client.responses, goal)
        asked = data.loc[data[column].notna(), "survey"] if column in data else pd.Series(dtype="string")
        surveys = sorted(asked.dropna().astype(str).unique())
        scope = _scope_label(goal)
        named = metric_short(goal.metric) if scope == "all" else f"{metric_short(goal.metric)} · {scope}"
        rows.append(
            {
                "team": goal.team,
                "goal": goal.goal,
                "kpi": goal.kpi if isinstance(goal.kpi, str) else named,
                "metric": goal.metric,
                "question": client.config.question(column),
                "surveys": ", ".join(surveys),
                "measured": bool(surveys),
            }
        )
    return pd.DataFrame(rows, columns=["team", "goal", "kpi", "metric", "question", "surveys", "measured"])


GOAL_REGISTER_COLUMNS = [
    "team",
    "goal",
    "metric",
    "kpi",
    "scope",
    "baseline",
    "target",
    "current",
    "ci_low",
    "ci_high",
    "n",
    "gap_to_target",
    "gap_significant",
    "status",
    "deadline",
    "suppressed",
    "question",
    "surveys",
]


def goal_register(client: ClientData) -> pd.DataFrame:
    """Every team goal with where it stands and what measures it: the book's goals.csv.

    Returns
    -------
    DataFrame
        One row per goal, in the order of the stakeholder file: the columns
        of :func:`goal_progress` (team, goal, metric, kpi, scope, baseline,
        target, current, ci_low, ci_high, n, gap_to_target, gap_significant,
        status, deadline, suppressed), then ``question``, the survey
        question behind the goal's metric, and ``surveys``, the surveys that
        asked it within the goal's scope (empty when none did). Empty, with
        these columns, when the client has no stakeholder file or no goals.

    Notes
    -----
    Progress and tree list the goals in the same order, so they are joined
    row by row: two goals sharing a team and a name stay two rows.
    """
    if client.stakeholders is None or not any(team.goals for team in client.stakeholders.teams):
        return pd.DataFrame(columns=GOAL_REGISTER_COLUMNS)
    progress = goal_progress(client)
    tree = goal_tree(client)
    return pd.concat([progress, tree[["question", "surveys"]]], axis=1)[GOAL_REGISTER_COLUMNS]


def raci_table(stakeholders: Stakeholders) -> pd.DataFrame:
    """Teams with their role in the program and the number of goals and KPIs they own."""
    return pd.DataFrame(
        [
            {"team": t.name, "role": t.role, "goals": len(t.goals), "kpis": ", ".join(k.name for k in t.kpis)}
            for t in stakeholders.teams
        ]
    )
