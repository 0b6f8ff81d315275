"""The program's framing as configuration: stakeholders with goals, and the journey map."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Literal, get_args

import pandas as pd
from pydantic import Field, field_validator, model_validator

from .config import ClientConfig, StrictModel, read_yaml, validate_model
from .errors import CXInputError
from .translation import N_, _
from .words import display_value

Role = Literal["responsible", "accountable", "consulted", "informed"]
GoalMetric = Literal["nps", "csat", "csat_mean", "ces", "ces_easy"]


class Goal(StrictModel):
    name: str
    metric: GoalMetric
    touchpoint: str | None = Field(default=None, description="Limit the goal to one touchpoint")
    segment: dict[str, str] | None = Field(default=None, description="Limit to a segment, e.g. {region: Nord}")
    kpi: str | None = Field(default=None, description="The KPI (by name, from any team) the goal moves")
    baseline: float
    target: float
    deadline: dt.date


#: The figures the book computes that a KPI may name as its measure (``measure`` in the stakeholders file):
#: survey scores, response rate, closing the loop, and the operational figures of the tickets and customers files.
KPIMeasure = Literal[
    "nps",
    "csat",
    "ces",
    "response_rate",
    "follow_up_rate",
    "time_to_contact",
    "recovery_rate",
    "first_response_time",
    "complaints",
    "churn",
    "retention",
    "referrals",
]
KPI_MEASURES: tuple[str, ...] = get_args(KPIMeasure)
#: The measures that are survey scores, and so may be limited to one touchpoint.
SCORE_MEASURES = ("nps", "csat", "ces")


class KPI(StrictModel):
    name: str
    kind: Literal["strategic", "operational"]
    measure: KPIMeasure | None = Field(default=None, description="The figure of the book that measures the KPI")
    touchpoint: str | None = Field(default=None, description="Limit a survey-score measure to one touchpoint")

    @field_validator("measure", mode="before")
    @classmethod
    def _known_measure(cls, value: object) -> object:
        if value is not None and value not in KPI_MEASURES:
            close = difflib.get_close_matches(str(value), KPI_MEASURES, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise ValueError(
                f"'{value}' is not a figure this book computes; {hint}a KPI's measure is one of "
                f"{', '.join(KPI_MEASURES)}, or leave the measure out"
            )
        return value

    @model_validator(mode="after")
    def _touchpoint_of_a_score(self) -> KPI:
        if self.touchpoint is not None and self.measure not in SCORE_MEASURES:
            raise ValueError(
                f"KPI '{self.name}' names touchpoint '{self.touchpoint}', but only a survey score "
                f"({', '.join(SCORE_MEASURES)}) is measured per touchpoint; its measure is {self.measure or 'not given'}"
            )
        return self


class Team(StrictModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    role: Role
    goals: list[Goal] = Field(default_factory=list)
    kpis: list[KPI] = Field(default_factory=list)


class Stakeholders(StrictModel):
    program_goal: str
    teams: list[Team] = Field(min_length=1)


#: The kinds of listening post a journey file may name, as it names them (shown in the report language).
LISTENING_POST_KINDS = (
    N_("relational NPS"),
    N_("transactional CSAT"),
    N_("transactional CES"),
    N_("interview"),
    N_("social listening"),
)


def listening_post_kind(kind: str) -> str:
    """A listening post's kind in the report language ("relational NPS"); any other value as given."""
    return _(kind) if kind in LISTENING_POST_KINDS else kind


class ListeningPost(StrictModel):
    survey: str = Field(description="Survey name as it appears in the data")
    kind: Literal["relational NPS", "transactional CSAT", "transactional CES", "interview", "social listening"]
    trigger: str
    cadence: str


class Touchpoint(StrictModel):
    name: str
    channel: str
    owner: str = Field(description="Team id from the stakeholders file")
    description: str = ""
    listening_posts: list[ListeningPost] = Field(default_factory=list)


class Stage(StrictModel):
    name: str
    touchpoints: list[Touchpoint] = Field(min_length=1)


class Journey(StrictModel):
    stages: list[Stage] = Field(min_length=1)


def load_stakeholders(config: ClientConfig) -> Stakeholders | None:
    """The stakeholder register, or None when the config names none."""
    path = config.stakeholders
    return validate_model(Stakeholders, read_yaml(path), Path(path)) if path else None


def load_journey(config: ClientConfig) -> Journey | None:
    """The journey map, or None when the config names none."""
    path = config.journey
    return validate_model(Journey, read_yaml(path), Path(path)) if path else None


def goals_table(stakeholders: Stakeholders) -> pd.DataFrame:
    """One row per team goal."""
    rows = [
        {
            "team": team.name,
            "team_id": team.id,
            "goal": goal.name,
            "metric": goal.metric,
            "kpi": goal.kpi,
            "touchpoint": goal.touchpoint,
            "segment": goal.segment,
            "baseline": goal.baseline,
            "target": goal.target,
            "deadline": goal.deadline,
        }
        for team in stakeholders.teams
        for goal in team.goals
    ]
    return pd.DataFrame(rows)


def touchpoints_table(journey: Journey) -> pd.DataFrame:
    """One row per touchpoint, in journey order."""
    rows = [
        {
            "stage": stage.name,
            "touchpoint": tp.name,
            "channel": tp.channel,
            "owner": tp.owner,
            "listening_posts": len(tp.listening_posts),
            "surveys": ", ".join(sorted({display_value("survey", lp.survey) for lp in tp.listening_posts})),
            "asked_by": "; ".join(f"{listening_post_kind(lp.kind)}, {lp.cadence}" for lp in tp.listening_posts),
        }
        for stage in journey.stages
        for tp in stage.touchpoints
    ]
    return pd.DataFrame(rows)


def listening_posts_table(journey: Journey) -> pd.DataFrame:
    """The cadence table: which survey is sent where, when and how often."""
    rows = [
        {
            "stage": stage.name,
            "touchpoint": tp.name,
            "survey": lp.survey,
            "kind": lp.kind,
            "trigger": lp.trigger,
            "cadence": lp.cadence,
        }
        for stage in journey.stages
        for tp in stage.touchpoints
        for lp in tp.listening_posts
    ]
    return pd.DataFrame(rows)


def reference_problems(config: ClientConfig, journey: Journey | None, stakeholders: Stakeholders | None) -> list[str]:
    """Names one file uses that another does not define: one line per unknown name, naming the file.

    A goal's touchpoint must be in the journey, its KPI in the register and its
    segment among the config's segments; a KPI's touchpoint must be in the
    journey; a touchpoint's owner must be a team.
    """
    problems = []
    if stakeholders is not None:
        kpis = {kpi.name for team in stakeholders.teams for kpi in team.kpis}
        touchpoints = None if journey is None else {tp.name for stage in journey.stages for tp in stage.touchpoints}
        for team in stakeholders.teams:
            for goal in team.goals:
                where = f"{config.stakeholders}: goal '{goal.name}' of team '{team.id}'"
                if touchpoints is not None and goal.touchpoint is not None and goal.touchpoint not in touchpoints:
                    problems.append(
                        f"{where} names touchpoint '{goal.touchpoint}', which the journey does not "
                        f"have (touchpoints: {', '.join(sorted(touchpoints))})"
                    )
                if goal.kpi is not None and goal.kpi not in kpis:
                    problems.append(
                        f"{where} names KPI '{goal.kpi}', which no team owns (KPIs: {', '.join(sorted(kpis))})"
                    )
                for segment in goal.segment or {}:
                    if segment not in config.segments:
                        problems.append(
                            f"{where} names segment '{segment}', which the config does not declare "
                            f"(segments: {', '.join(config.segments) or 'none'})"
                        )
            for kpi in team.kpis:
                if touchpoints is not None and kpi.touchpoint is not None and kpi.touchpoint not in touchpoints:
                    problems.append(
                        f"{config.stakeholders}: KPI '{kpi.name}' of team '{team.id}' names touchpoint "
                        f"'{kpi.touchpoint}', which the journey does not have "
                        f"(touchpoints: {', '.join(sorted(touchpoints))})"
                    )
    if stakeholders is not None:
        teams = {team.id for team in stakeholders.teams}
        for area, owner in config.action_plan.owners.items():
            if owner not in teams:
                problems.append(
                    f"{config.config_file}: action_plan.owners gives '{area}' to '{owner}', which is not a "
                    f"team in the stakeholders file (teams: {', '.join(sorted(teams))})"
                )
    if journey is not None:
        touchpoints = {tp.name for stage in journey.stages for tp in stage.touchpoints}
        for i, logged in enumerate(config.action_log):
            if logged.touchpoint is not None and logged.touchpoint not in touchpoints:
                problems.append(
                    f"{config.config_file}: action_log[{i}] '{logged.action}' names touchpoint "
                    f"'{logged.touchpoint}', which the journey does not have "
                    f"(touchpoints: {', '.join(sorted(touchpoints))})"
                )
    if journey is not None and stakeholders is not None:
        teams = {team.id for team in stakeholders.teams}
        for stage in journey.stages:
            for tp in stage.touchpoints:
                if tp.owner not in teams:
                    problems.append(
                        f"{config.journey}: touchpoint '{tp.name}' is owned by '{tp.owner}', which is "
                        f"not a team in the stakeholders file (teams: {', '.join(sorted(teams))})"
                    )
    return problems


def check_references(config: ClientConfig, journey: Journey | None, stakeholders: Stakeholders | None) -> None:
    """Raise one error listing every name the journey and stakeholder files use but do not define."""
    problems = reference_problems(config, journey, stakeholders)
    if problems:
        raise CXInputError(
            "the journey and stakeholder files do not match:\n" + "\n".join(f"- {p}" for p in problems),
            fix="correct the names, or add the missing touchpoint, KPI, segment or team",
        )
