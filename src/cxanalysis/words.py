"""Every generated sentence and label in the book, in one place.

Analysis code returns numbers; this module turns them into words, so that
the report language can change without touching the analysis.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from statistics import NormalDist
from typing import TYPE_CHECKING

import pandas as pd

from . import presentation
from .presentation import number, p_text, plural
from .rules import CES_EASY_BOXES, DEFAULT_SCALES, GOAL_STATUSES, answers_label, box_label
from .translation import N_, _, ngettext

if TYPE_CHECKING:
    from .client import ClientData
    from .periods import PartialPeriod
    from .weighting import Raking

_SCALE_TEXT = {name: answers_label(*scale) for name, scale in DEFAULT_SCALES.items()}
METRIC_LABELS = {
    "nps": N_("NPS"),
    "csat": N_("CSAT (% satisfied)"),
    "csat_mean": N_("CSAT (mean)"),
    "ces": N_("CES (mean)"),
    "ces_easy": N_("CES (% easy)"),
    "response_rate": N_("Response rate (%)"),
}
METRIC_SHORT = {
    "nps": N_("NPS"),
    "csat": N_("CSAT %"),
    "csat_mean": N_("CSAT mean"),
    "ces": N_("CES"),
    "ces_easy": N_("CES % easy"),
}
METRIC_UNITS = {
    "nps": N_("points"),
    "csat": N_("percentage points"),
    "csat_mean": "",
    "ces": "",
    "ces_easy": N_("percentage points"),
}
#: What each kind of data adds, for chapters that must say what is missing: a sentence, with the
#: client's answer scale (``{scale}``) where it names a question.
DATA_ADDS = {
    "nps": N_("An NPS question ({scale}) would show loyalty and how many customers would recommend the company."),
    "csat": N_("A CSAT question ({scale}) after interactions would show satisfaction per touchpoint."),
    "ces": N_("A CES question ({scale}) after support contacts would show how easy it is to get help."),
    "attributes": N_(
        "Attribute ratings (such as responsiveness or service quality) would show what drives the overall score."
    ),
    "comment": N_("A free-text question would show why customers answer as they do."),
    "tickets": N_("A support-tickets file would give first-response times and complaint volumes."),
    "customers": N_(
        "A customers file with revenue and churn would estimate how much revenue dissatisfaction puts at risk."
    ),
    "journey": N_("A journey file would place each touchpoint before, during or after purchase."),
    "stakeholders": N_("A stakeholders file would tie each team's goals to the measured scores."),
    "teams": N_(
        "A team or agent column in the support survey would show satisfaction by team, and by agent with the "
        "agents who have few answers pulled towards their team instead of ranked on chance."
    ),
    "agent_satisfaction": N_(
        "An agent-satisfaction file (per team and period) would show whether agents' satisfaction moves with CSAT."
    ),
    "periods": N_("Responses from at least two reporting periods would show change over time."),
    "scores": N_("An NPS, CSAT or CES question would give the program its headline figures."),
    "referrals": N_("A referrals column in the customers file would count how many customers recommend the company."),
    "action_log": N_(
        "An action log (what was changed, where and when) would show how much customer feedback led to action."
    ),
    "touchpoint": N_(
        "A touchpoint column in the transactional surveys would show where in the journey customers answered."
    ),
    "segments": N_("Segment columns (such as region or customer type) would show which customers differ."),
}


def metric_label(metric: str) -> str:
    """A score's full name in the report language: 'CSAT (% satisfied)'; an unknown metric as given."""
    return _(METRIC_LABELS[metric]) if metric in METRIC_LABELS else metric


def metric_short(metric: str) -> str:
    """A score's short name in the report language: 'CSAT %'; an unknown metric as given."""
    return _(METRIC_SHORT[metric]) if metric in METRIC_SHORT else metric


def metric_unit(metric: str) -> str:
    """The unit a change of the score is counted in ('points', 'percentage points'); '' for a mean."""
    unit = METRIC_UNITS.get(metric, "")
    return _(unit) if unit else ""


def data_adds(what: str) -> str:
    """What a kind of data would add to the book, as one sentence in the report language
    (:data:`DATA_ADDS`); '' for a kind it does not name."""
    if what not in DATA_ADDS:
        return ""
    return _(DATA_ADDS[what]).format(scale=_SCALE_TEXT.get(what, ""))


#: A count of people below the anonymity threshold, in a table cell.
SUPPRESSED = N_("n < {min_n}")
#: A group's figures withheld for anonymity, in a table cell, and why.
HIDDEN = N_("hidden")
HIDDEN_GROUP = N_(
    "fewer than {min_n} answers, or hidden with such a group so that it cannot be worked out from the total"
)
CI_LABEL = N_("95 % CI")
#: The initiative of an action-plan area the config names none for.
TO_BE_DEFINED = N_("initiative to be defined")


def suppressed_label(min_n: int) -> str:
    """A count below the anonymity threshold as a table cell shows it: 'n < 5'."""
    return _(SUPPRESSED).format(min_n=min_n)


def hidden_label() -> str:
    """A group's figures withheld for anonymity, in a table cell."""
    return _(HIDDEN)


def hidden_group_reason(min_n: int) -> str:
    """Why a group's figures are withheld, in the report language."""
    return _(HIDDEN_GROUP).format(min_n=min_n)


def ci_label() -> str:
    """'95 % CI' in the report language."""
    return _(CI_LABEL)


def initiative_name(initiative: str) -> str:
    """An action-plan initiative as a reader sees it: the config's own words, or 'initiative to be defined'."""
    return _(TO_BE_DEFINED) if initiative == TO_BE_DEFINED else initiative


#: The owner shown for an area no team owns yet (``cxanalysis validate`` names the config key to set).

_MYST_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|$%~^&:])")


def metric_question(metric: str, scales: dict[str, tuple[int, int]]) -> str:
    """The survey question behind a score, with the client's scale and what counts as a good answer."""
    scale = scales[metric]
    if metric == "nps":
        return _("How likely are you to recommend us to a friend or colleague? ({scale})").format(
            scale=answers_label(*scale)
        )
    if metric == "csat":
        return _("How satisfied were you with ...? ({scale}; {boxes} count as satisfied)").format(
            scale=answers_label(*scale), boxes=box_label(scale)
        )
    if metric == "ces":
        return _("The company made it easy to handle my issue ({scale}; {boxes} count as easy)").format(
            scale=answers_label(*scale), boxes=box_label(scale, CES_EASY_BOXES)
        )
    raise KeyError(metric)


def escape_markdown(text: object) -> str:
    """Make text from data safe to place in Markdown/MyST: it shows as typed."""
    return _MYST_SPECIAL.sub(r"\\\1", str(text))


def p_reading(p: float, *, adjusted: bool) -> str:
    """A p-value for prose, named for what it is: 'adjusted p = 0.036' after a multiple-testing
    adjustment, 'p = 0.036' for a single test."""
    return _("adjusted {p}").format(p=p_text(p)) if adjusted else p_text(p)


def adjustment_name(method: str) -> str:
    """The multiple-testing adjustment a config names, as a reader knows it."""
    return {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg"}[method]


def metric_decimals(metric: str) -> int:
    return 2 if metric in ("ces", "csat_mean") else 0


def with_unit(number_text: str, metric: str) -> str:
    """A score's value as prose writes it: a share with its percent sign ('68 %'), NPS and means bare."""
    from .metrics import METRIC_KINDS

    return f"{number_text} %" if METRIC_KINDS.get(metric, ("", ""))[1] == "share" else number_text


def estimate_phrase(row: pd.Series | dict, metric: str) -> str:
    """'NPS 23 (95 % CI 18 to 28; n = 2 391)'."""
    d = presentation.decimals_for(row["ci_low"], row["ci_high"], fallback=metric_decimals(metric))
    values = {
        "metric": metric_label(metric),
        "estimate": number(row["estimate"], d),
        "low": number(row["ci_low"], d),
        "high": number(row["ci_high"], d),
        "n": number(row["n"]),
    }
    if metric in ("csat", "ces_easy"):
        return _("{metric} {estimate} % (95 % CI {low} to {high}; n = {n})").format(**values)
    return _("{metric} {estimate} (95 % CI {low} to {high}; n = {n})").format(**values)


def interval_width_reading(row: pd.Series | dict, metric: str) -> str:
    """What the interval's width means for a reader."""
    d = metric_decimals(metric)
    half = number((row["ci_high"] - row["ci_low"]) / 2, max(d, 1))
    answers = plural(row["n"], "answer", "answers")
    if metric == "nps":
        message = _(
            "With {answers}, values within about ±{half} points of the estimate are compatible with the data "
            "(the 95 % interval); it measures sampling error only."
        )
    elif metric_unit(metric):
        message = _(
            "With {answers}, values within about ±{half} percentage points of the estimate are compatible with "
            "the data (the 95 % interval); it measures sampling error only."
        )
    else:
        message = _(
            "With {answers}, values within about ±{half} of the estimate are compatible with the data "
            "(the 95 % interval); it measures sampling error only."
        )
    return message.format(answers=answers, half=half)


DATA_NAMES = {
    "nps": N_("NPS answers"),
    "csat": N_("CSAT answers"),
    "ces": N_("CES answers"),
    "attributes": N_("attribute ratings"),
    "comment": N_("comments"),
    "tickets": N_("support-tickets file"),
    "customers": N_("customers file"),
    "journey": N_("journey file"),
    "stakeholders": N_("stakeholders file"),
    "teams": N_("team or agent column"),
    "agent_satisfaction": N_("agent-satisfaction file"),
    "periods": N_("second reporting period"),
    "touchpoint": N_("touchpoint column"),
    "segments": N_("segment columns"),
    "scores": N_("NPS, CSAT or CES answers"),
    "referrals": N_("referral counts"),
    "action_log": N_("action log"),
}


def _as_clause(sentence: str) -> str:
    """A sentence of :data:`DATA_ADDS` as a clause of a list: first letter in lower case, no full stop."""
    return sentence[:1].lower() + sentence[1:].removesuffix(".")


#: A period's name, the period as a rate's denominator and as the adjective of an amount over it.
_PERIOD_WORDS = {
    "year": (N_("year"), N_("years"), N_("a year"), N_("yearly")),
    "quarter": (N_("quarter"), N_("quarters"), N_("a quarter"), N_("quarterly")),
    "month": (N_("month"), N_("months"), N_("a month"), N_("monthly")),
}


def period_words(period: str) -> dict[str, str]:
    """``{period}`` 'year', ``{periods}`` 'years', ``{a_period}`` 'a year' and ``{periodly}`` 'yearly', for a
    message to place."""
    if period not in _PERIOD_WORDS:
        return {"period": period, "periods": f"{period}s", "a_period": f"a {period}", "periodly": f"{period}ly"}
    name, names, rate, adjective = _PERIOD_WORDS[period]
    return {"period": _(name), "periods": _(names), "a_period": _(rate), "periodly": _(adjective)}


def missing_data(what: str, chapter_use: str) -> str:
    """A plain note for a chapter whose data the client does not have.

    ``chapter_use`` (what cannot be shown) is placed as given: a caller passes it in the report language.
    """
    data = _(DATA_NAMES[what]) if what in DATA_NAMES else what
    text = _("This client's data has no {data}, so {shown} cannot be shown.").format(data=data, shown=chapter_use)
    adds = data_adds(what)
    return f"{text} {adds}" if adds else text


def column_label(name: str) -> str:
    """Readable table heading from a canonical column name."""
    special = {
        "nps": N_("NPS"),
        "csat": N_("CSAT"),
        "ces": N_("CES"),
        "ci_low": N_("CI low"),
        "ci_high": N_("CI high"),
        "n_effective": N_("effective n"),
        "p_value": N_("p"),
        "p_adjusted": N_("adjusted p"),
        "n": N_("n"),
        "n_a": N_("n (a)"),
        "estimate_a": N_("a"),
        "estimate_b": N_("b"),
        "p_rank_first": N_("ranks first (% of resamples)"),
        "vif": N_("VIF"),
        "sha-256": "SHA-256",
        "impact": N_("impact (points)"),
        "impact_metric": N_("on score"),
        "impact_standardised": N_("impact (SDs of one answer)"),
    }
    if name in special:
        text = _(special[name]) if name != "sha-256" else special[name]
    else:
        acronyms = {
            "nps": "NPS",
            "csat": "CSAT",
            "ces": "CES",
            "ci": "CI",
            "p90": "p90",
            "mde": "MDE",
            "kpis": "KPIs",
            "kpi": "KPI",
        }
        text = " ".join(acronyms.get(word, word) for word in name.split("_"))
    return text if text.split()[0] in ("n", "p") else text[:1].upper() + text[1:]


def bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


_ACRONYMS = {"nps": "NPS", "csat": "CSAT", "ces": "CES", "kpi": "KPI", "kpis": "KPIs"}


def plain_name(name: str) -> str:
    """'service_quality' -> 'Service quality', 'relational_nps' -> 'Relational NPS': an id as a reader sees it."""
    text = " ".join(_ACRONYMS.get(word.casefold(), word) for word in str(name).replace("_", " ").split(" "))
    return text[:1].upper() + text[1:]


#: The interval methods of :mod:`cxanalysis.metrics` as the method appendix names them.
METHOD_NAMES = {
    "adjusted-wald": N_("adjusted Wald"),
    "wald": N_("Wald"),
    "wilson": N_("Wilson score"),
    "t": N_("t interval"),
    "bootstrap": N_("bootstrap"),
}


def display_value(dimension: str, value: object) -> str:
    """A value of a survey, language, interval-method or segment column as a reader names it.

    The client's own name from the config (``display_names``) comes first. Otherwise survey ids read as words ("relational_nps" is "Relational NPS"), language
    codes as language names ("nb" is "Norwegian Bokmål"), methods by their
    names; touchpoints, channels and segment levels are the client's own words
    and stay as they are.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    named = presentation.display_name(str(value))
    if named is not None:
        return named
    dimension = str(dimension).casefold()
    if dimension == "survey":
        return plain_name(str(value))
    if dimension == "language":
        return presentation.language_name(str(value))
    if dimension == "method":
        return _(METHOD_NAMES[str(value)]) if str(value) in METHOD_NAMES else str(value)
    return str(value)


def dimension_title(dimension: str) -> str:
    """A breakdown's name as a table cell shows it, in the report language: "All", "Touchpoint", "Channel";
    a segment by the client's name for it (``display_names``), else by its id in words ("Customer type")."""
    from .display import HEADINGS, heading

    if dimension == "all":
        return _("All")
    named = presentation.display_name(str(dimension))
    if named is not None:
        return named
    return heading(dimension) if dimension in HEADINGS else plain_name(dimension)


def label(name: str) -> str:
    """A data name (touchpoint, segment, driver) escaped for prose, first letter capitalised."""
    return escape_markdown(plain_name(name))


def dimension_word(name: str) -> str:
    """A dimension's name (a segment the client names, channel, touchpoint) in lower case, as a chart's
    title or a sentence says it: 'customer type'; the template's own dimensions in the report language."""
    from .display import HEADINGS, heading

    if name in HEADINGS and presentation.display_name(str(name)) is None:
        text = heading(name)
        return text if text[1:2].isupper() else text[:1].lower() + text[1:]
    return plain_name(name).lower()


def dimension_name(name: str) -> str:
    """:func:`dimension_word` escaped for prose inside a sentence."""
    return escape_markdown(dimension_word(name))


def scope_sentence(client: ClientData) -> str:
    responses = client.responses
    periods = client.periods
    span = _("{first} to {last}").format(first=periods[0], last=periods[-1]) if len(periods) > 1 else periods[0]
    surveys = ", ".join(
        escape_markdown(display_value("survey", s)) for s in sorted(responses["survey"].dropna().unique())
    )
    text = (
        _(
            "This report covers **{responses}** from {client}'s customers, {span}, from these surveys: {surveys}."
        ).format(
            responses=plural(client.response_count, "response", "responses"),
            client=escape_markdown(client.name),
            span=span,
            surveys=surveys,
        )
        + " "
        + _("The latest period is **{period}**.").format(period=client.latest_period)
    )
    if client.partial is not None:
        text += " " + partial_sentence(client.partial, left_out=client.partial.period != client.latest_period)
    if client.sample is not None:
        text += " " + sample_sentence(client)
    return text


def sample_sentence(client: ClientData) -> str:
    """Which figures of a sampled client's book count every response and which come from its sample."""
    assert client.sample is not None
    return _(
        "Scores by period and by group, with their intervals, count all {everyone}. Every other figure (goals, "
        "comparisons within a period, key drivers, comment themes and examples, effects of changes, revenue at "
        "risk) comes from a random sample of {sample}, drawn in each period and survey in proportion to its "
        "responses (`sampling.max_rows` in the config); its intervals are those of the sample."
    ).format(
        everyone=plural(client.response_count, "response", "responses"),
        sample=number(client.sample.rows),
    )


def sample_note(client: ClientData) -> str:
    """A chapter's reminder that some of its figures come from the sample."""
    assert client.sample is not None
    return _(
        "Figures in this chapter that need each answer on its own come from a random sample of {sample} of the "
        "{everyone} responses; scores by period and by group count them all (see the summary)."
    ).format(sample=number(client.sample.rows), everyone=number(client.response_count))


def partial_sentence(partial: PartialPeriod, *, left_out: bool) -> str:
    """What the book does with a latest period that is too thin to report."""
    text = _("{period} is incomplete: {responses} up to {date}, against about {usual} in a full period.").format(
        period=partial.period,
        responses=plural(partial.responses, "response", "responses"),
        date=presentation.date(partial.last_date),
        usual=number(partial.usual),
    )
    if left_out:
        return text + " " + _("It is left out until it is complete (`report.partial_period` in the config).")
    return text + " " + _("It is reported as the latest period, so its figures are less certain than the others'.")


def notice_line(notice: str) -> str:
    return f"*{escape_markdown(notice)}*"


def scope_line(client: ClientData) -> str:
    """The headline table's caption (plain text: the table escapes it for HTML)."""
    latest = int(client.period_sizes[client.latest_period])
    return _("{client}, {period}, {responses}").format(
        client=client.name, period=client.latest_period, responses=plural(latest, "response", "responses")
    )


def program_goal_sentence(stakeholders) -> str:
    teams = len(stakeholders.teams)
    goals = sum(len(t.goals) for t in stakeholders.teams)
    return (
        _("The program's goal: **{goal}**.").format(goal=escape_markdown(stakeholders.program_goal))
        + " "
        + ngettext(
            "{teams} takes part, with {goals} between them.", "{teams} take part, with {goals} between them.", teams
        ).format(teams=plural(teams, "team", "teams"), goals=plural(goals, "goal", "goals"))
    )


def goal_sentences(progress: pd.DataFrame) -> list[str]:
    from .goals import status_word

    counts = progress["status"].value_counts()
    lines = [
        _("{count} {status}").format(count=number(counts[s]), status=status_word(s))
        for s in GOAL_STATUSES
        if s in counts
    ]
    out = [_("Of {goals}: {counts}.").format(goals=plural(len(progress), "goal", "goals"), counts=", ".join(lines))]
    for row in progress[progress["status"] == "not measured"].itertuples():
        out.append(
            _(
                "**{goal}** ({team}) has no answers in scope: nothing measures it yet, so a listening post is missing."
            ).format(goal=escape_markdown(row.goal), team=escape_markdown(row.team))
        )
    for row in progress[progress["status"].isin(["behind", "on track"])].itertuples():
        d = metric_decimals(row.metric)
        message = (
            _(
                "**{goal}** (on track): now {current} (95 % CI {low} to {high}), up from a baseline of {baseline}, "
                "{gap} short of the target {target}."
            )
            if row.status == "on track"
            else _(
                "**{goal}** (behind): now {current} (95 % CI {low} to {high}), against a baseline of {baseline}, "
                "{gap} short of the target {target}."
            )
        )
        out.append(
            message.format(
                goal=escape_markdown(row.goal),
                current=number(row.current, d),
                low=number(row.ci_low, d),
                high=number(row.ci_high, d),
                baseline=number(row.baseline, d),
                gap=number(row.gap_to_target, max(d, 1)),
                target=number(row.target, d),
            )
        )
    return out


def goals_standing(progress: pd.DataFrame) -> str:
    """Where the program stands against its goals, in one clause: counts by status and the furthest behind.

    >>> goals_standing(pd.DataFrame({"goal": ["NPS to 30", "CES 5.5"], "metric": ["nps", "ces"],
    ...     "status": ["behind", "on track"], "current": [13.7, 5.25], "target": [30.0, 5.5],
    ...     "gap_to_target": [16.3, 0.25]}))
    '1 of 2 goals is on track or met and 1 is behind; furthest behind: **NPS to 30** at 14 against 30'
    """
    readable = progress[~progress["status"].isin(["too few answers", "not measured"])]
    if readable.empty:
        return _("No goal can be measured yet")
    good = int(readable["status"].isin(["met", "on track"]).sum())
    behind = readable[readable["status"] == "behind"]
    unclear = int((readable["status"] == "too close to tell").sum())
    counts = {"good": good, "goals": plural(len(progress), "goal", "goals"), "behind": len(behind)}
    if behind.empty:
        text = ngettext("{good} of {goals} is on track or met", "{good} of {goals} are on track or met", good)
    elif len(behind) == 1:
        text = ngettext(
            "{good} of {goals} is on track or met and {behind} is behind",
            "{good} of {goals} are on track or met and {behind} is behind",
            good,
        )
    else:
        text = ngettext(
            "{good} of {goals} is on track or met and {behind} are behind",
            "{good} of {goals} are on track or met and {behind} are behind",
            good,
        )
    clauses = [text.format(**counts)]
    if unclear:
        clauses.append(
            ngettext("{count} is too close to tell", "{count} are too close to tell", unclear).format(count=unclear)
        )
    if not behind.empty:
        worst = behind.loc[(behind["gap_to_target"] / behind["target"].abs().clip(lower=1)).idxmax()]
        d = metric_decimals(worst["metric"])
        clauses.append(
            _("furthest behind: **{goal}** at {current} against {target}").format(
                goal=escape_markdown(worst["goal"]),
                current=number(worst["current"], d),
                target=number(worst["target"], d),
            )
        )
    return "; ".join(clauses)


def gap_to_target(progress: pd.DataFrame) -> pd.Series:
    """Each goal's distance to its target, and whether the interval says it is real."""

    def text(row) -> str:
        if pd.isna(row.gap_to_target):
            return ""
        d = max(metric_decimals(row.metric), 1)
        if row.gap_to_target > 0:
            message = _("{gap} short") if row.gap_significant else _("{gap} short (n.s.)")
        else:
            message = _("{gap} above") if row.gap_significant else _("{gap} above (n.s.)")
        return message.format(gap=number(abs(row.gap_to_target), d))

    return pd.Series([text(r) for r in progress.itertuples()], index=progress.index, dtype="string")


def goal_tree_sentence(tree: pd.DataFrame) -> str:
    unmeasured = tree[~tree["measured"]]
    questions = tree.loc[tree["measured"], "question"].nunique()
    text = ngettext(
        "{goals} leads to {kpis}, measured by {questions}.",
        "{goals} lead to {kpis}, measured by {questions}.",
        len(tree),
    ).format(
        goals=plural(len(tree), "goal", "goals"),
        kpis=plural(tree["kpi"].nunique(), "KPI", "KPIs"),
        questions=plural(questions, "survey question", "survey questions"),
    )
    if unmeasured.empty:
        return text + " " + _("Every goal has a question that measures it.")
    names = ", ".join(
        _("**{goal}** ({team})").format(goal=escape_markdown(r.goal), team=escape_markdown(r.team))
        for r in unmeasured.itertuples()
    )
    return text + " " + _("Nothing measures {goals}: no survey asks its question within its scope.").format(goals=names)


def hot_spot_sentence(spots: pd.DataFrame, metric: str, period: str) -> str:
    below = spots[spots["below"]].sort_values("difference")
    if below.empty:
        return _(
            "No touchpoint scores clearly below the rest of the journey in {period}, allowing for the {touchpoints} "
            "compared."
        ).format(period=period, touchpoints=plural(len(spots), "touchpoint", "touchpoints"))
    parts = [
        _("**{touchpoint}** ({metric} {estimate} against {rest} elsewhere)").format(
            touchpoint=label(r.touchpoint),
            metric=metric_label(metric),
            estimate=number(r.estimate, 1),
            rest=number(r.rest, 1),
        )
        for r in below.itertuples()
    ]
    return ngettext(
        "Experience-failure hot spot in {period}: {spots}. It scores lower than the rest of the journey by more "
        "than chance would explain.",
        "Experience-failure hot spots in {period}: {spots}. These score lower than the rest of the journey by "
        "more than chance would explain.",
        len(parts),
    ).format(period=period, spots="; ".join(parts))


def hot_spot_history_sentence(scores: pd.DataFrame, metric: str) -> str:
    """Which touchpoints were hot spots in which periods (from ``journey_scores``)."""
    hot = scores[scores["hot_spot"]]
    tested = scores["p_adjusted"].notna().groupby(scores["period"]).sum()
    if hot.empty:
        return ngettext(
            "No touchpoint scored significantly below the rest of the journey in the one period ({metric}, "
            "adjusted within each period).",
            "No touchpoint scored significantly below the rest of the journey in any of the {count} periods "
            "({metric}, adjusted within each period).",
            len(tested),
        ).format(count=len(tested), metric=metric_label(metric))
    parts = [
        _("{period}: {touchpoints}").format(
            period=period,
            touchpoints=", ".join(
                _("**{touchpoint}** ({estimate} against {rest}, {p})").format(
                    touchpoint=label(r.touchpoint),
                    estimate=number(r.estimate, 1),
                    rest=number(r.rest, 1),
                    p=p_reading(r.p_adjusted, adjusted=True),
                )
                for r in rows.itertuples()
            ),
        )
        for period, rows in hot.groupby("period", sort=True)
    ]
    return _(
        "Hot spots period by period ({metric}, each touchpoint against the rest of the journey, adjusted within "
        "each period): {periods}."
    ).format(metric=metric_label(metric), periods="; ".join(parts))


def coverage_gaps_sentence(gaps: pd.DataFrame, period: str) -> str:
    if gaps.empty:
        return _("Every touchpoint in the journey has a listening post and enough answers to read in {period}.").format(
            period=period
        )
    parts = [
        _("**{touchpoint}** ({gap})").format(touchpoint=label(r.touchpoint), gap=r.coverage_gap)
        for r in gaps.itertuples()
    ]
    return (
        _("{gaps} in {period}: {touchpoints}.").format(
            gaps=plural(len(gaps), "coverage gap", "coverage gaps"), period=period, touchpoints=", ".join(parts)
        )
        + " "
        + _("The program cannot see the experience there until the gap is closed.")
    )


def coverage_sentence(volume: pd.DataFrame, order: pd.DataFrame, min_n: int) -> str:
    per_touchpoint = volume.groupby("touchpoint")["responses"].sum()
    unheard = [t for t in order["touchpoint"] if t not in per_touchpoint.index]
    thin = volume[volume["responses"] < min_n]
    named = per_touchpoint.sum()
    text = ngettext(
        "{responses} names a touchpoint, across {touchpoints}.",
        "{responses} name a touchpoint, across {touchpoints}.",
        named,
    ).format(
        responses=plural(named, "response", "responses"),
        touchpoints=plural(len(per_touchpoint), "touchpoint", "touchpoints"),
    )
    if unheard:
        text += " " + _("No responses at: {touchpoints} (a coverage gap).").format(
            touchpoints=", ".join(_("**{touchpoint}**").format(touchpoint=label(t)) for t in unheard)
        )
    if not thin.empty:
        text += " " + ngettext(
            "{cells} has fewer than {min_n} responses and cannot be read.",
            "{cells} have fewer than {min_n} responses and cannot be read.",
            len(thin),
        ).format(cells=plural(len(thin), "touchpoint-period cell", "touchpoint-period cells"), min_n=min_n)
    return text


def unknown_touchpoints_sentence(unknown: pd.DataFrame) -> str:
    names = ", ".join(
        _("{touchpoint} ({responses})").format(
            touchpoint=label(r.touchpoint), responses=plural(r.responses, "response", "responses")
        )
        for r in unknown.itertuples()
    )
    return (
        _("Touchpoints in the data that the journey file does not list: {touchpoints}.").format(touchpoints=names)
        + " "
        + _("They are counted in the scores above; add them to the journey file to place them in a stage.")
    )


def trend_sentence(summary: pd.DataFrame, metric: str) -> str:
    shown = summary[~summary["suppressed"]].sort_values("period")
    if shown.empty:
        return _("Too few answers in every period to show this score.")
    last = shown.iloc[-1]
    text = (
        _("{estimate} in {period}.").format(estimate=estimate_phrase(last, metric), period=last["period"])
        + " "
        + interval_width_reading(last, metric)
    )
    if len(shown) > 1:
        first = shown.iloc[0]
        d = metric_decimals(metric)
        text += " " + _(
            "Over the periods shown it ranged from {lowest} to {highest} (first period {first}: {value})."
        ).format(
            lowest=number(shown["estimate"].min(), d),
            highest=number(shown["estimate"].max(), d),
            first=first["period"],
            value=number(first["estimate"], d),
        )
    return text


def response_time_sentence(times: pd.DataFrame) -> str:
    last = times.iloc[-1]
    return _(
        "In {period}, half of the tickets got a first answer within {median} hours and nine in ten within {p90} "
        "hours ({tickets})."
    ).format(
        period=last["period"],
        median=number(last["median_hours"], 1),
        p90=number(last["p90_hours"], 1),
        tickets=plural(last["tickets"], "ticket", "tickets"),
    )


def comment_share_sentence(by_period: pd.DataFrame) -> str:
    last = by_period.iloc[-1]
    return _("In {period}, {share} % of responses came with a comment (95 % CI {low} to {high} %; {comments}).").format(
        period=last["period"],
        share=number(last["share_commenting"]),
        low=number(last["ci_low"]),
        high=number(last["ci_high"]),
        comments=plural(last["comments"], "comment", "comments"),
    )


def too_few_comments(min_comments: int) -> str:
    return _(
        "No group of customers has at least {comments} in the latest period, so no comments are shown, to protect "
        "the anonymity of those who wrote them."
    ).format(comments=plural(min_comments, "comment", "comments"))


def drivers_sentence(importance: pd.DataFrame, outcome: str) -> str:
    top = importance.iloc[:2]
    r2 = importance["r_squared"].iloc[0]
    first = importance.iloc[0]
    drivers = [label(d) for d in top["driver"]]
    lead = (
        _(
            "**{first}** and **{second}** matter most for {metric}: together {share} % of what the attribute ratings explain."
        )
        if len(drivers) > 1
        else _("**{first}** matters most for {metric}: {share} % of what the attribute ratings explain.")
    )
    text = (
        lead.format(
            first=drivers[0],
            second=drivers[-1],
            metric=metric_label(outcome),
            share=number(top["share"].sum()),
        )
        + " "
        + _(
            "The ratings explain {r2} % of the variation in the score ({n} responses rating every attribute, all "
            "periods pooled)."
        ).format(r2=number(100 * r2), n=number(importance["n"].iloc[0]))
    )
    if "p_rank_first" in importance:
        overlap = importance.iloc[1]["share_ci_high"] >= first["share_ci_low"]
        message = (
            _(
                "{driver} ranks first in {share} % of {resamples} resamples of the answers: its lead over the second "
                "is not certain."
            )
            if overlap
            else _(
                "{driver} ranks first in {share} % of {resamples} resamples of the answers, and its interval does not "
                "overlap the second's: the lead is clear."
            )
        )
        text += " " + message.format(
            driver=label(first.driver), share=number(100 * first.p_rank_first), resamples=number(first.resamples)
        )
    return text


def language_sentence(responses: pd.DataFrame, language: pd.Series) -> str:
    commented = responses["comment"].notna()
    given = int(responses.loc[commented, "language"].notna().sum()) if "language" in responses else 0
    detected = int(language[commented].notna().sum()) - given
    unknown = int(language[commented].isna().sum())
    return ngettext(
        "The data gives the language of {comments}; {detected} more was recognised from their words, and {unknown} "
        "could not be placed (too short, or a tie between languages).",
        "The data gives the language of {comments}; {detected} more were recognised from their words, and {unknown} "
        "could not be placed (too short, or a tie between languages).",
        detected,
    ).format(comments=plural(given, "comment", "comments"), detected=number(detected), unknown=number(unknown))


def theme_coverage_sentence(coverage: pd.DataFrame, taxonomy_size: int) -> str:
    row = coverage.iloc[0]
    return (
        _(
            "{coded} of {comments} comments ({share} %, 95 % CI {low} to {high}) mention at least one of the {themes} "
            "themes, {per_comment} themes per comment on average."
        ).format(
            coded=number(row["coded"]),
            comments=number(row["comments"]),
            share=number(row["share_coded"], 1),
            low=number(row["ci_low"], 1),
            high=number(row["ci_high"], 1),
            themes=taxonomy_size,
            per_comment=number(row["themes_per_comment"], 2),
        )
        + " "
        + ngettext(
            "{count} comment fits no theme: read a sample of them to see whether the taxonomy misses something.",
            "{count} comments fit no theme: read a sample of them to see whether the taxonomy misses something.",
            row["uncoded"],
        ).format(count=number(row["uncoded"]))
    )


def theme_impact_sentence(impact: pd.DataFrame, metric: str, *, alpha: float) -> str:
    name = metric_label(metric)
    real = impact[impact["p_adjusted"] < alpha]
    down = real[real["difference"] < 0].sort_values("difference")
    up = real[real["difference"] > 0].sort_values("difference", ascending=False)
    lower = ", ".join(
        _("**{theme}** ({difference}, 95 % CI {low} to {high})").format(
            theme=escape_markdown(r.label),
            difference=number(r.difference, 1),
            low=number(r.ci_low, 1),
            high=number(r.ci_high, 1),
        )
        for r in down.iloc[:3].itertuples()
    )
    higher = ", ".join(_("**{theme}**").format(theme=escape_markdown(r.label)) for r in up.iloc[:3].itertuples())
    if not down.empty and not up.empty:
        message = _(
            "Comments on {lower} come with a clearly lower {metric} than other comments; comments on {higher} "
            "with a clearly higher one (p adjusted for all themes)."
        )
    elif not down.empty:
        message = _(
            "Comments on {lower} come with a clearly lower {metric} than other comments (p adjusted for all themes)."
        )
    elif not up.empty:
        message = _(
            "Comments on {higher} come with a clearly higher {metric} than other comments (p adjusted for all themes)."
        )
    elif metric == "nps":
        message = _(
            "No theme goes with an {metric} clearly different from the other comments (adjusted for all themes)."
        )
    else:
        message = _(
            "No theme goes with a {metric} clearly different from the other comments (adjusted for all themes)."
        )
    return message.format(lower=lower, higher=higher, metric=name)


#: A variance inflation factor at or above this marks an attribute whose weight is uncertain.
VIF_LIMIT = 5


def vif_sentence(importance: pd.DataFrame) -> str:
    worst = importance.loc[importance["vif"].idxmax()]
    if worst["vif"] < VIF_LIMIT:
        return _("The attributes overlap only moderately, so each one's weight can be read on its own.")
    return _(
        "{driver} shares much of its information with the other attributes: its weight is less certain than the "
        "others'."
    ).format(driver=label(worst["driver"]))


def vif_caption(importance: pd.DataFrame) -> str:
    """The overlap between attributes as the table's caption states it: the largest variance inflation factor."""
    worst = importance.loc[importance["vif"].idxmax()]
    return _("largest variance inflation factor {vif} ({driver}; below {limit} the overlap is unproblematic)").format(
        vif=number(worst["vif"], 1), driver=label(worst["driver"]), limit=VIF_LIMIT
    )


def segment_drivers_sentence(by_segment: pd.DataFrame, needed: int) -> str:
    shown = by_segment[~by_segment["skipped"] & (by_segment["dimension"] != "all")]
    skipped = by_segment[by_segment["skipped"]]
    text = ""
    if not shown.empty:
        firsts = shown[shown["rank"] == 1]
        overall = by_segment.loc[(by_segment["dimension"] == "all") & (by_segment["rank"] == 1), "driver"]
        same = (firsts["driver"] == (overall.iloc[0] if not overall.empty else None)).sum()
        text = (
            _("In {same} of {segments} segments the strongest driver is the same as overall.").format(
                same=same, segments=len(firsts)
            )
            + " "
        )
    if not skipped.empty:
        names = ", ".join(
            _("{dimension} {level}").format(dimension=label(r.dimension), level=label(r.level))
            for r in skipped.itertuples()
        )
        text += _(
            "Too few complete answers (fewer than {needed}) for drivers within: {segments}; these segments are not shown."
        ).format(needed=needed, segments=names)
    return text.strip()


def drivers_unavailable(client: ClientData, outcome: str, complete: int) -> str:
    if len(client.attributes) < 2:
        return missing_data("attributes", _("the key drivers"))
    if not client.has(outcome):
        return missing_data(outcome, _("the drivers of {metric}").format(metric=metric_label(outcome)))
    if complete == 0:
        text = _("No response answers both {metric} and every attribute, so the drivers cannot be estimated.")
    else:
        text = ngettext(
            "Only {responses} answers both {metric} and every attribute, so the drivers cannot be estimated.",
            "Only {responses} answer both {metric} and every attribute, so the drivers cannot be estimated.",
            complete,
        )
    return (
        text.format(responses=plural(complete, "response", "responses"), metric=metric_label(outcome))
        + " "
        + _("Ask the attribute questions in the same survey as the overall score.")
    )


def small_driver_sample(n: int, needed: int) -> str:
    return _(
        "The weights rest on {n} complete responses, fewer than the {needed} recommended for this many attributes: "
        "read the order of the drivers as indicative."
    ).format(n=n, needed=needed)


def revenue_inputs_missing(client: ClientData) -> str:
    money = client.config.money
    missing = [
        name
        for name, value in (
            (_("the number of customers (money.customers)"), money.customers),
            (_("revenue per customer (money.revenue_per_customer)"), money.revenue_per_customer),
        )
        if value is None
    ]
    if not client.has("csat"):
        missing.append(_("CSAT answers"))
    if money.churn_if_dissatisfied is None and client.customers is None:
        missing.append(_("a churn probability (money.churn_if_dissatisfied, or a customers file with churn)"))
    elif money.churn_if_dissatisfied is None and not missing:
        # Everything else is there, so the customers file could not give the churn of the dissatisfied.
        missing.append(
            _(
                "a churn probability (money.churn_if_dissatisfied): the customers file links too few customers to "
                "their CSAT answers to estimate it"
            )
        )
    return _("Revenue at risk needs {inputs}.").format(inputs=", ".join(missing)) + " " + data_adds("customers")


def revenue_sentence(risk, money, period: str) -> str:
    """Revenue at risk with its interval and its inputs, as leadership reads it.

    Revenue and churn are both per ``money.revenue_period``: the customers
    file's churn over the following reporting period is converted (see
    :func:`cxanalysis.money.added_churn`), and the sentence says so. The
    all-churn view (the revenue of every dissatisfied customer expected to
    leave) follows as a secondary line, and the customer count is reconciled
    with the customers file when the two differ.
    """
    at_risk, point = risk.value("revenue at risk"), risk.value("value per CSAT point")
    dissatisfied = risk.value("dissatisfied customers")
    churn = risk.churn
    csat = {"estimate": risk.csat, "ci_low": risk.csat_low, "ci_high": risk.csat_high, "n": risk.n}
    words = period_words(money.revenue_period)
    sentences = [
        _("With {estimate}, about {dissatisfied} of {customers} customers are not satisfied.").format(
            estimate=estimate_phrase(csat, "csat"),
            dissatisfied=money_amount(dissatisfied["estimate"]),
            customers=number(money.customers),
        )
    ]
    if churn.se is not None:
        values = {
            "period": period,
            "dissatisfied": number(100 * churn.measured_dissatisfied, 1),
            "satisfied": number(100 * churn.measured_satisfied, 1),
            "periods": _periods_in(churn.periods, money.revenue_period),
            "dissatisfied_over": number(100 * churn.dissatisfied, 1),
            "satisfied_over": number(100 * churn.satisfied, 1),
            "added": number(100 * churn.added, 1),
            "low": number(_added_churn_bound(churn, -1), 1),
            "high": number(_added_churn_bound(churn, 1), 1),
            "a_period": words["a_period"],
        }
        compounded = churn.periods != 1
        if churn.weighting == "revenue":
            values["note"] = (
                _(
                    "churn weighted by revenue, so a customer who spends more counts for more; {customers} without "
                    "a revenue left out"
                ).format(customers=plural(churn.revenue_missing, "customer", "customers"))
                if churn.revenue_missing
                else _("churn weighted by revenue, so a customer who spends more counts for more")
            )
            message = (
                _(
                    "In the customers file, customers whose latest CSAT answer in {period} was not satisfied took "
                    "{dissatisfied} % of their revenue with them when they left in the following period, satisfied "
                    "ones {satisfied} % ({note}); compounded over the {periods}, if those rates hold, that is "
                    "{dissatisfied_over} % and {satisfied_over} %: dissatisfaction adds {added} percentage points "
                    "{a_period} (95 % CI {low} to {high})."
                )
                if compounded
                else _(
                    "In the customers file, customers whose latest CSAT answer in {period} was not satisfied took "
                    "{dissatisfied} % of their revenue with them when they left in the following period, satisfied "
                    "ones {satisfied} % ({note}): dissatisfaction adds {added} percentage points {a_period} "
                    "(95 % CI {low} to {high})."
                )
            )
        else:
            message = (
                _(
                    "In the customers file, customers whose latest CSAT answer in {period} was not satisfied left "
                    "{dissatisfied} % of the time in the following period, satisfied ones {satisfied} %; compounded "
                    "over the {periods}, if those rates hold, that is {dissatisfied_over} % and {satisfied_over} %: "
                    "dissatisfaction adds {added} percentage points {a_period} (95 % CI {low} to {high})."
                )
                if compounded
                else _(
                    "In the customers file, customers whose latest CSAT answer in {period} was not satisfied left "
                    "{dissatisfied} % of the time in the following period, satisfied ones {satisfied} %: "
                    "dissatisfaction adds {added} percentage points {a_period} (95 % CI {low} to {high})."
                )
            )
        sentences.append(message.format(**values))
    else:
        sentences.append(
            _("The config puts the churn dissatisfaction adds at {added} percentage points {a_period}.").format(
                added=number(100 * churn.added, 1), a_period=words["a_period"]
            )
        )
    revenue = risk.revenue
    if revenue.from_file:
        sentences.append(
            _(
                "Those customers bring {currency} {amount} {a_period} each on average (the mean of the {customers} "
                "in the customers file)."
            ).format(
                currency=money.currency,
                amount=money_amount(revenue.value),
                a_period=words["a_period"],
                customers=number(revenue.customers),
            )
        )
    amounts = {
        "currency": money.currency,
        "amount": money_amount(at_risk["estimate"]),
        "low": money_amount(at_risk["ci_low"]),
        "high": money_amount(at_risk["ci_high"]),
        "point": money_amount(point["estimate"]),
        "point_low": money_amount(point["ci_low"]),
        "point_high": money_amount(point["ci_high"]),
        **words,
    }
    if pd.notna(at_risk["ci_low"]) and pd.notna(point["ci_low"]):
        message = _(
            "The {periodly} revenue of the customers that dissatisfaction is expected to cost over the next {period} "
            "is **{currency} {amount}** (95 % CI {low} to {high}); each point of CSAT is worth about {currency} "
            "{point} ({point_low} to {point_high})."
        )
    elif pd.notna(at_risk["ci_low"]):
        message = _(
            "The {periodly} revenue of the customers that dissatisfaction is expected to cost over the next {period} "
            "is **{currency} {amount}** (95 % CI {low} to {high}); each point of CSAT is worth about {currency} "
            "{point} (inputs from the config, taken as given)."
        )
    elif pd.notna(point["ci_low"]):
        message = _(
            "The {periodly} revenue of the customers that dissatisfaction is expected to cost over the next {period} "
            "is **{currency} {amount}**; each point of CSAT is worth about {currency} {point} ({point_low} to "
            "{point_high})."
        )
    else:
        message = _(
            "The {periodly} revenue of the customers that dissatisfaction is expected to cost over the next {period} "
            "is **{currency} {amount}**; each point of CSAT is worth about {currency} {point} (inputs from the "
            "config, taken as given)."
        )
    sentences.append(message.format(**amounts))
    if risk.all_churn is not None:
        everyone = risk.all_churn.iloc[0]
        sentences.append(
            _(
                "Counting every dissatisfied customer expected to leave, including those who would leave even if "
                "satisfied, {currency} {amount} ({low} to {high}) of {periodly} revenue walks out with them."
            ).format(
                currency=money.currency,
                amount=money_amount(everyone["estimate"]),
                low=money_amount(everyone["ci_low"]),
                high=money_amount(everyone["ci_high"]),
                periodly=words["periodly"],
            )
        )
    if risk.file_customers is not None and risk.file_customers < money.customers:
        linked = int(churn.table["customers"].sum()) if churn.table is not None else None
        message = (
            _(
                "The customers file holds {file} customers, those linked to survey answers ({linked} of them "
                "answered CSAT in {period}); the {customers} in the config are the whole customer base, to which "
                "the rates from the file are applied."
            )
            if linked is not None
            else _(
                "The customers file holds {file} customers, those linked to survey answers; the {customers} in the "
                "config are the whole customer base, to which the rates from the file are applied."
            )
        )
        sentences.append(
            message.format(
                file=number(risk.file_customers),
                linked=number(linked) if linked is not None else "",
                period=period,
                customers=number(money.customers),
            )
        )
    return " ".join(sentences)


def churn_table(churn, period: str, revenue_period: str, latest: str) -> tuple[pd.DataFrame, dict]:
    """The churn of dissatisfied and satisfied customers as chapter 7 shows it, with the options of
    :func:`cxanalysis.display.table`: head counts over the next ``period``, and, when the customers file
    weights churn by revenue, the share of revenue that left, each also over a ``revenue_period``."""
    table = churn.table.rename(
        columns={"churn": f"churn_next_{period}", "churn_converted": f"churn_over_a_{revenue_period}"}
    )
    columns = ["group", "customers", "churned", f"churn_next_{period}", f"churn_over_a_{revenue_period}"]
    intervals = {
        f"churn_next_{period}": ("ci_low", "ci_high"),
        f"churn_over_a_{revenue_period}": ("converted_low", "converted_high"),
    }
    caption = _(
        "Churn in the following {period} of customers whose latest CSAT answer in {latest} was not satisfied, and "
        "of those whose answer was, and the same churn over {a_revenue_period} if it holds each {period} (%)"
    ).format(
        period=period_words(period)["period"],
        latest=latest,
        a_revenue_period=period_words(revenue_period)["a_period"],
    )
    if churn.weighting == "revenue":
        table = table.rename(
            columns={
                "revenue_churn": f"revenue_lost_next_{period}",
                "revenue_converted": f"revenue_lost_over_a_{revenue_period}",
            }
        )
        columns += [f"revenue_lost_next_{period}", f"revenue_lost_over_a_{revenue_period}"]
        intervals |= {
            f"revenue_lost_next_{period}": ("revenue_churn_low", "revenue_churn_high"),
            f"revenue_lost_over_a_{revenue_period}": ("revenue_converted_low", "revenue_converted_high"),
        }
        caption = _(
            "{caption}; revenue lost: the share of each group's revenue that left with its customers, which revenue "
            "at risk uses"
        ).format(caption=caption)
    return table, {
        "columns": columns,
        "formats": {c: "{:.1f}" for c in intervals},
        "intervals": intervals,
        "caption": caption,
    }


RISK_QUANTITIES = {
    "dissatisfied customers": N_("Customers not satisfied"),
    "revenue per customer": N_("Revenue per dissatisfied customer"),
    "added churn": N_("Churn dissatisfaction adds (percentage points)"),
    "revenue at risk": N_("Revenue at risk"),
    "value per CSAT point": N_("Value of one CSAT point"),
    "revenue of all leaving dissatisfied": N_("Revenue of all dissatisfied customers expected to leave"),
}


def risk_quantity(quantity: str) -> str:
    """A quantity of the revenue-at-risk table (:data:`RISK_QUANTITIES`) named in the report language."""
    return _(RISK_QUANTITIES[quantity]) if quantity in RISK_QUANTITIES else quantity


def risk_inputs_table(table: pd.DataFrame) -> pd.DataFrame:
    """The revenue-at-risk table as a reader sees it: each quantity named, to three significant figures
    (added churn, in percentage points, to one decimal)."""

    def shown(quantity: str, value: float) -> str:
        return number(value, 1) if quantity == "added churn" else money_amount(value)

    return pd.DataFrame(
        {
            "quantity": table["quantity"].map(lambda q: risk_quantity(q) if q in RISK_QUANTITIES else None),
            f"estimate_({CI_LABEL})": [
                shown(q, e)
                if pd.isna(lo)
                else _("{estimate} ({low} to {high})").format(estimate=shown(q, e), low=shown(q, lo), high=shown(q, hi))
                for q, e, lo, hi in zip(table["quantity"], table["estimate"], table["ci_low"], table["ci_high"])
            ],
            "method": table["method"],
        }
    )


def _added_churn_bound(churn, side: int) -> float:
    """One end (side -1 or 1) of the 95 % interval of the added churn, in percentage points."""
    return 100 * (churn.added + side * NormalDist().inv_cdf(0.975) * (churn.se or 0.0))


def money_amount(value: float) -> str:
    """An amount of money to three significant figures: 2 310 000 rather than 2 312 366."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if value == 0:
        return "0"
    digits = 2 - math.floor(math.log10(abs(value)))
    return number(round(value, min(digits, 0)))


def lifetime_value_sentence(value: pd.DataFrame, money, period: str, file_customers: int | None = None) -> str:
    """Lifetime value of customers who would buy again against those who would not, in money to three
    significant figures, and how the customers counted relate to the customers file and the whole base."""
    rows = value.set_index("group")
    if "would buy again" not in rows.index:
        return _("No linked customer says they would buy again, so no lifetime value is computed.")
    yes = rows.loc["would buy again"]
    periods = period_words(period)["periods"]
    sentences = [
        _(
            "A customer who says they would buy again is worth about **{currency} {value}** over their time as a "
            "customer (range {low} to {high}), staying {count} {periods} on average."
        ).format(
            currency=money.currency,
            value=money_amount(yes["lifetime_value"]),
            low=money_amount(yes["lifetime_value_low"]),
            high=money_amount(yes["lifetime_value_high"]),
            count=number(yes["expected_periods"], 1),
            periods=periods,
        )
    ]
    if "would not" in rows.index:
        no = rows.loc["would not"]
        sentences.append(
            _("One who says they would not is worth {currency} {value} ({count} {periods}).").format(
                currency=money.currency,
                value=money_amount(no["lifetime_value"]),
                count=number(no["expected_periods"], 1),
                periods=periods,
            )
        )
    values = {
        "counted": number(int(rows["customers"].sum())),
        "file": number(file_customers) if file_customers is not None else "",
        "base": number(money.customers) if money.customers is not None else "",
    }
    if file_customers is not None and money.customers is not None:
        message = _(
            "These figures rest on the {counted} customers who answered the would-buy-again question in any period "
            "(their latest answer counts), of the {file} in the customers file; the whole base is {base} customers."
        )
    elif file_customers is not None:
        message = _(
            "These figures rest on the {counted} customers who answered the would-buy-again question in any period "
            "(their latest answer counts), of the {file} in the customers file."
        )
    elif money.customers is not None:
        message = _(
            "These figures rest on the {counted} customers who answered the would-buy-again question in any period "
            "(their latest answer counts); the whole base is {base} customers."
        )
    else:
        message = _(
            "These figures rest on the {counted} customers who answered the would-buy-again question in any period "
            "(their latest answer counts)."
        )
    sentences.append(message.format(**values))
    return " ".join(sentences)


def effect_sentences(changes: pd.DataFrame, *, alpha: float) -> list[str]:
    """One reading per logged change and score, claiming no more than its test supports.

    A difference-in-differences says the change improved or worsened a score
    only when the randomisation p over the units that could have got the
    change is below ``alpha``. When the units are too few for any result to
    get there, it gives the estimate and the values compatible with the data,
    the number of units and the smallest p they allow, and no verdict on
    chance. An interrupted time series has no comparison group, so it says how
    far the score moved from its earlier trend and never names the change as
    the cause. Intervals are the values compatible with the data, not a range
    outside which effects are ruled out.
    """
    lines = []
    for row in changes.itertuples():
        name = _("**{action}** ({metric})").format(action=escape_markdown(row.action), metric=metric_short(row.metric))
        if pd.isna(row.effect):
            lines.append(_("{change}: {reason}.").format(change=name, reason=row.method))
            continue
        d = 2 if row.metric in ("ces", "csat_mean") else 1
        if pd.isna(row.units):
            lines.append(_trend_break_sentence(row, name, d, alpha))
            continue
        values = {
            "change": name,
            "units": _("{count} {units}").format(count=number(row.units), units=unit_noun(row.unit, row.units)),
            "compatible": _compatible_values(row, d),
            "p": p_text(row.p_randomisation),
        }
        if not row.min_attainable_p < alpha:
            lines.append(
                _("{change}: too few comparison groups to tell whether the change made a difference.").format(**values)
                + " "
                + _("{relative}; {compatible} (95 % wild cluster bootstrap over {units}).").format(
                    relative=_relative_change(row, d), **values
                )
                + " "
                + _(
                    "With {units} the smallest p-value possible is {p}, so no result could fall below the "
                    "significance level of {alpha}."
                ).format(units=values["units"], p=number(row.min_attainable_p, 2), alpha=presentation.exact(alpha))
            )
        elif row.p_randomisation < alpha:
            message = (
                _(
                    "{change}: the change improved {metric} by {amount}; {compatible} (95 % wild cluster bootstrap "
                    "over {units}); {p} over the {units} that could have got the change: unlikely to be chance."
                )
                if row.effect > 0
                else _(
                    "{change}: the change worsened {metric} by {amount}; {compatible} (95 % wild cluster bootstrap "
                    "over {units}); {p} over the {units} that could have got the change: unlikely to be chance."
                )
            )
            lines.append(
                message.format(
                    metric=metric_short(row.metric), amount=_amount(row.metric, number(abs(row.effect), d)), **values
                )
            )
        else:
            lines.append(
                _("{change}: no clear effect.").format(**values)
                + " "
                + _(
                    "{relative}; {compatible} (95 % wild cluster bootstrap over {units}); {p} over the {units} that "
                    "could have got the change: could be chance."
                ).format(relative=_relative_change(row, d), **values)
            )
    return lines


def _amount(metric: str, amount: str) -> str:
    """A formatted number with the score's unit: '7 points', '22.9 percentage points', '1.17' for a mean."""
    if metric == "nps":
        return _("{amount} points").format(amount=amount)
    if metric_unit(metric):
        return _("{amount} percentage points").format(amount=amount)
    return amount


def _trend_break_sentence(row, name: str, d: int, alpha: float) -> str:
    """An interrupted time series: a departure from the earlier trend, never a cause."""
    values = {
        "change": name,
        "metric": metric_short(row.metric),
        "amount": _amount(row.metric, number(abs(row.effect), d)),
        "compatible": _compatible_values(row, d, "differences"),
        "p": p_text(row.p_value),
    }
    real = row.p_value < alpha
    if row.effect > 0 and real:
        message = _(
            "{change}: after the change, {metric} was {amount} higher than its earlier trend predicted; {compatible} "
            "(95 % CI); {p}: unlikely to be chance, but with no comparison group anything else that changed at the "
            "same time could explain it."
        )
    elif row.effect > 0:
        message = _(
            "{change}: after the change, {metric} was {amount} higher than its earlier trend predicted; {compatible} "
            "(95 % CI); {p}: could be chance."
        )
    elif real:
        message = _(
            "{change}: after the change, {metric} was {amount} lower than its earlier trend predicted; {compatible} "
            "(95 % CI); {p}: unlikely to be chance, but with no comparison group anything else that changed at the "
            "same time could explain it."
        )
    else:
        message = _(
            "{change}: after the change, {metric} was {amount} lower than its earlier trend predicted; {compatible} "
            "(95 % CI); {p}: could be chance."
        )
    return message.format(**values)


def _relative_change(row, d: int) -> str:
    """'CES in region Vest changed by +1.17 relative to the other regions'."""
    where = escape_markdown(str(row.treated).replace(": ", " "))
    change = _amount(row.metric, f"{'+' if row.effect > 0 else ''}{number(row.effect, d)}")
    return _("{metric} in {where} changed by {change} relative to the other {units}").format(
        metric=metric_short(row.metric), where=where, change=change, units=unit_noun(row.unit, 2)
    )


def _compatible_values(row, d: int, what: str = "effects") -> str:
    """The interval as the effects (or, with ``what`` "differences", the differences) compatible with the
    data; an end may be open."""
    low, high = row.ci_low, row.ci_high
    effects = what == "effects"
    if math.isinf(low) and math.isinf(high):
        message = (
            _("effects of any size are compatible with the data")
            if effects
            else _("differences of any size are compatible with the data")
        )
    elif math.isinf(high):
        message = (
            _("effects above {low} are compatible with the data")
            if effects
            else _("differences above {low} are compatible with the data")
        )
    elif math.isinf(low):
        message = (
            _("effects below {high} are compatible with the data")
            if effects
            else _("differences below {high} are compatible with the data")
        )
    else:
        message = (
            _("effects from {low} to {high} are compatible with the data")
            if effects
            else _("differences from {low} to {high} are compatible with the data")
        )
    return message.format(low=number(low, d), high=number(high, d))


def unit_noun(unit: str, count: int) -> str:
    """What a change was assigned to, from the segments it names: 'region group' or 'region groups',
    'region × channel groups' (the segment is the client's word; the report language counts the groups)."""
    name = escape_markdown(str(unit).replace("_", " ").lower())
    if presentation.language() == "en":  # the segment's English name takes an English plural: "4 regions"
        noun = name + (" group" if " × " in name else "")
        if count == 1:
            return noun
        return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"
    return ngettext("{unit} group", "{unit} groups", count).format(unit=name)


def no_action_log() -> str:
    return (
        _("No changes are logged in the config (`action_log`), so no effect of earlier actions is estimated.")
        + " "
        + _("Log each change with its start date and the segments that got it.")
    )


def action_plan_sentence(plan: pd.DataFrame, money) -> str:
    first = plan.iloc[0]
    d = target_decimals(first["metric_to_watch"], first["current"], first["target"])
    return _(
        "{actions}. First: **{area}** ({kind}), owned by {owner}, due {due}: move {metric} from {current} to "
        "{target}; verifying it takes about {responses} answers before and after."
    ).format(
        actions=plural(len(plan), "candidate action", "candidate actions"),
        area=escape_markdown(first["area"]),
        kind=first["kind"],
        owner=escape_markdown(first["owner"]),
        due=presentation.date(first["due"]),
        metric=escape_markdown(first["metric_to_watch"]),
        current=number(first["current"], d),
        target=number(first["target"], d),
        responses=number(first["responses_needed"]),
    )


def no_action_candidates() -> str:
    return _(
        "No touchpoint scores significantly below the rest of the journey and no strong driver performs below "
        "average, so no area stands out for action on the evidence in this book."
    )


#: The control charts of :func:`cxanalysis.monitoring.p_chart`, by the name in its ``chart`` column.
CONTROL_CHART_NAMES = {"p": N_("p-chart"), "Laney p′": N_("Laney p′ chart")}


def control_chart_name(chart: str) -> str:
    """A control chart (the ``chart`` column of :func:`cxanalysis.monitoring.p_chart`) named in the report language."""
    return _(CONTROL_CHART_NAMES[chart]) if chart in CONTROL_CHART_NAMES else chart


def _limit_crossed(signal: str) -> str:
    """'above its upper control limit': a signal as a leader reads it."""
    return _("above its upper control limit") if signal == "above" else _("below its lower control limit")


def _limit_broken(signal: str, chart_type: str) -> str:
    """'above the upper 3-sigma limit of a Laney p′ chart': the rule a signal broke."""
    message = (
        _("above the upper 3-sigma limit of a {chart}")
        if signal == "above"
        else _("below the lower 3-sigma limit of a {chart}")
    )
    return message.format(chart=control_chart_name(chart_type))


#: What a control chart says of its periods, by the period a chart counts in ("month" or "quarter").
_GRAIN_MESSAGES = {
    "month": {
        "calm": N_("Every month lies within its control limits: ordinary variation, no signal."),
        "laney": N_(
            "the months vary {factor} times as much as their numbers of answers alone would make them "
            "(σz = {sigma_z}), so the 3-sigma limits are those of a {chart}, widened by that factor"
        ),
        "plain": N_(
            "the months vary no more than their numbers of answers alone would make them (σz = {sigma_z}), so "
            "the 3-sigma limits are those of a {chart}"
        ),
    },
    "quarter": {
        "calm": N_("Every quarter lies within its control limits: ordinary variation, no signal."),
        "laney": N_(
            "the quarters vary {factor} times as much as their numbers of answers alone would make them "
            "(σz = {sigma_z}), so the 3-sigma limits are those of a {chart}, widened by that factor"
        ),
        "plain": N_(
            "the quarters vary no more than their numbers of answers alone would make them (σz = {sigma_z}), so "
            "the 3-sigma limits are those of a {chart}"
        ),
    },
    "week": {
        "calm": N_("Every week lies within its control limits: ordinary variation, no signal."),
        "laney": N_(
            "the weeks vary {factor} times as much as their numbers of answers alone would make them "
            "(σz = {sigma_z}), so the 3-sigma limits are those of a {chart}, widened by that factor"
        ),
        "plain": N_(
            "the weeks vary no more than their numbers of answers alone would make them (σz = {sigma_z}), so "
            "the 3-sigma limits are those of a {chart}"
        ),
    },
}


#: A control chart's title, table caption and toggle, by the period of its points.
_GRAIN_TEXTS = {
    "month": {
        "title": N_("{label} by month"),
        "caption": N_("{label}: answers, count and share per month with the control limits (%): {limits}"),
        "toggle": N_("Show the monthly values"),
    },
    "week": {
        "title": N_("{label} by week"),
        "caption": N_("{label}: answers, count and share per week with the control limits (%): {limits}"),
        "toggle": N_("Show the weekly values"),
    },
}


def control_chart_texts(label: str, grain: str, chart: pd.DataFrame) -> dict[str, str]:
    """A control chart's title, its table's caption (with :func:`control_limits_text`) and the label of the
    toggle that shows the table, in the report language."""
    title, caption, toggle = (_GRAIN_TEXTS[grain][part] for part in ("title", "caption", "toggle"))
    return {
        "title": _(title).format(label=label),
        "caption": _(caption).format(label=label, limits=control_limits_text(chart, grain)),
        "toggle": _(toggle),
    }


def _grain_count(count: int, grain: str) -> str:
    """'12 months', '1 quarter': a count of a control chart's periods."""
    if grain == "month":
        return plural(count, "month", "months")
    if grain == "quarter":
        return plural(count, "quarter", "quarters")
    if grain == "week":
        return plural(count, "week", "weeks")
    return f"{number(count)} {grain if count == 1 else grain + 's'}"


def _signals_message(count: int, grain: str) -> str:
    """The signals of a control chart and where to look, by the period it counts in."""
    if grain == "week":
        return ngettext(
            "Signal: {points}. Look for what changed in that week.",
            "Signals: {points}. Look for what changed in those weeks.",
            count,
        )
    if grain == "quarter":
        return ngettext(
            "Signal: {points}. Look for what changed in that quarter.",
            "Signals: {points}. Look for what changed in those quarters.",
            count,
        )
    return ngettext(
        "Signal: {points}. Look for what changed in that month.",
        "Signals: {points}. Look for what changed in those months.",
        count,
    )


def control_sentence(chart: pd.DataFrame, name: str, grain: str = "month") -> str:
    """One control chart in plain words: its centre line and its signals (:func:`control_limits_text`
    says which chart the limits come from, for the table behind it)."""
    signals = chart[chart["signal"] != ""]
    first = chart.iloc[0]
    messages = _GRAIN_MESSAGES.get(grain, _GRAIN_MESSAGES["month"])
    text = _("{chart}: centre line {centre} % over {periods}.").format(
        chart=name, centre=number(first["centre"], 1), periods=_grain_count(len(chart), grain)
    )
    if signals.empty:
        calm = messages["calm"]
        return text + " " + _(calm)
    points = "; ".join(
        _("{period} at {share} %, {crossed} ({limit} %)").format(
            period=r.period,
            share=number(r.share, 1),
            crossed=_limit_crossed(r.signal),
            limit=number(r.upper_limit if r.signal == "above" else r.lower_limit, 1),
        )
        for r in signals.itertuples()
    )
    return text + " " + _signals_message(len(signals), grain).format(points=points)


def control_limits_text(chart: pd.DataFrame, grain: str = "month") -> str:
    """Which chart a control chart's limits come from, and why: a p-chart, or Laney's p′ chart when the
    periods vary more than their numbers of answers explain (σz above 1)."""
    first = chart.iloc[0]
    name = control_chart_name(first["chart"])
    messages = _GRAIN_MESSAGES.get(grain, _GRAIN_MESSAGES["month"])
    values = {"chart": name, "factor": number(first["sigma_z"], 1), "sigma_z": number(first["sigma_z"], 2)}
    if first["chart"] == "Laney p′":
        laney = messages["laney"]
        return _(laney).format(**values)
    if pd.notna(first["sigma_z"]):
        plain = messages["plain"]
        return _(plain).format(**values)
    return _("3-sigma limits of a {chart}").format(chart=name)


def early_warning_slope(row: pd.Series) -> str:
    """The early warning's slope on NPS (a row of :func:`cxanalysis.monitoring.early_warning`) with its months,
    interval and p-value: '-1.2 NPS points a month from 2025-07 to 2025-12 (95 % CI ...; p = 0.48)'."""
    return _("{slope} NPS points a month from {first} to {last} (95 % CI {low} to {high}; {p})").format(
        slope=number(row["slope_per_period"], 1),
        first=row["first_month"],
        last=row["last_month"],
        low=number(row["ci_low"], 1),
        high=number(row["ci_high"], 1),
        p=p_reading(row["p_value"], adjusted=False),
    )


def alerts_sentence(signals: pd.DataFrame, warning: pd.DataFrame) -> str:
    """The points outside their control limits, each with the rule it broke, and the early warning on NPS."""
    if signals.empty:
        text = _("No point lies outside its control limits.")
    else:
        where = "; ".join(
            _("{chart} in {period}, {rule}").format(
                chart=r.chart, period=r.period, rule=_limit_broken(r.signal, r.chart_type)
            )
            for r in signals.itertuples()
        )
        text = ngettext(
            "{points} lies outside its control limits: {where}.",
            "{points} lie outside their control limits: {where}.",
            len(signals),
        ).format(points=plural(len(signals), "point", "points"), where=where)
    if warning.empty:
        return text + " " + _("Too few months of NPS for the early warning.")
    row = warning.iloc[0]
    slope = early_warning_slope(row)
    if row["warning"]:
        return (
            text
            + " "
            + _(
                "**Early warning: NPS is falling** by more than the month-to-month variation explains: {slope}. "
                "Find the cause before it shows in a quarter."
            ).format(slope=slope)
        )
    return (
        text
        + " "
        + _("No early warning: NPS changes by {slope}, no decline beyond the month-to-month variation.").format(
            slope=slope
        )
    )


def review_rhythm(client: ClientData) -> str:
    goals = 0 if client.stakeholders is None else sum(len(t.goals) for t in client.stakeholders.teams)
    message = (
        _(
            "Review the {goals} at least every half year; rebuild this book after every period (next: {next}) so "
            "each team reports its results from the same numbers, and compare each new point with the control "
            "limits above before reacting to it."
        )
        if goals
        else _(
            "Review the scores at least every half year; rebuild this book after every period (next: {next}) so "
            "each team reports its results from the same numbers, and compare each new point with the control "
            "limits above before reacting to it."
        )
    )
    return message.format(goals=plural(goals, "team goal", "team goals"), next=pd.Period(client.latest_period) + 1)


def withheld_sentence(withheld: pd.DataFrame, min_n: int) -> str:
    """Which segment, channel and language levels each period leaves out of its breakdowns, and why."""
    if withheld.empty:
        return ""
    parts = [
        _("in {period}, {groups}").format(
            period=escape_markdown(str(period)),
            groups="; ".join(
                _("{dimension} {levels}").format(
                    dimension=dimension_name(dimension),
                    levels=", ".join(_("**{level}**").format(level=label(level)) for level in levels["level"]),
                )
                for dimension, levels in rows.groupby("dimension", sort=False)
            ),
        )
        for period, rows in withheld.groupby("period", sort=True)
    ]
    return (
        _("Left out of the breakdowns for anonymity: {groups}.").format(groups=" · ".join(parts))
        + " "
        + _(
            "Each had fewer than {min_n} responses in that period, or is left out with such a group so that the "
            "total minus the groups shown cannot reveal it; their responses count in every total."
        ).format(min_n=min_n)
    )


def blank_levels_sentence(blanks: pd.Series) -> str:
    """How many responses leave each reporting dimension blank: in the totals, in no breakdown."""
    parts = [
        ngettext("{responses} has no {dimension}", "{responses} have no {dimension}", int(count)).format(
            responses=plural(int(count), "response", "responses"), dimension=dimension_name(name)
        )
        for name, count in blanks.items()
    ]
    if not parts:
        return ""
    return _("Left out of a breakdown for want of a value, but counted in every total: {groups}.").format(
        groups="; ".join(parts)
    )


def accounting_sentence(summary: pd.DataFrame) -> str:
    read, valid, bad = summary["read"].sum(), summary["valid"].sum(), summary["quarantined"].sum()
    return (
        ngettext(
            "Of **{rows}** read from {files}, **{valid}** is valid and **{quarantined}** quarantined ({share} %).",
            "Of **{rows}** read from {files}, **{valid}** are valid and **{quarantined}** quarantined ({share} %).",
            int(valid),
        ).format(
            rows=plural(read, "row", "rows"),
            files=plural(len(summary), "file", "files"),
            valid=number(valid),
            quarantined=number(bad),
            share=number(100 * bad / read if read else 0, 1),
        )
        + " "
        + _("Read = valid + quarantined holds for every file.")
    )


def reading_notes(files: pd.DataFrame) -> str:
    """What the reader of each file noticed (layout, header rows, date order, labels), one bullet per note."""
    lines = [
        _("**{file}**: {note}").format(file=escape_markdown(f.file), note=escape_markdown(note.strip()))
        for f in files.itertuples()
        for note in str(f.notes).split(";")
        if note.strip()
    ]
    return bullets(lines) if lines else ""


def unknown_labels_sentence(unknown: pd.DataFrame, min_n: int | None = None, longest: int = 40) -> str:
    """What the unknown text answers mean for the reader, and what fixes them.

    ``unknown`` has a row per answer, or (with a ``texts`` column) rows that stand for several answers,
    such as the answers the book does not show; with ``min_n`` the sentence says which answers are shown
    (given by at least ``min_n`` rows, at most ``longest`` characters, nothing redacted).
    """
    kinds = int(unknown["texts"].sum()) if "texts" in unknown else len(unknown)
    rows = int(unknown["rows"].sum())
    text = (
        _(
            "**{rows}** gave {texts} to a score that no label map knows, so they were quarantined rather than guessed."
        ).format(rows=plural(rows, "row", "rows"), texts=plural(kinds, "text answer", "text answers"))
        + " "
        # No placeholder: the braces are the config's YAML, shown as written.
        + _(
            "If an answer is a spelling of a known one, add it under `answer_labels` in the config (for example "
            "`agreement-5: {Disgree: 2}`) and build again."
        )
    )
    if min_n is None:
        return text
    return (
        text
        + " "
        + _(
            "An answer is shown as written only when at least {rows} gave it, it is at most {longest} characters "
            "long and nothing in it is redacted; the others are counted, not shown, and the quarantine file in "
            "the build's private folder lists them all."
        ).format(rows=plural(min_n, "row", "rows"), longest=longest)
    )


def build_record_sentence(record: dict) -> str:
    """When, how and from what a book was built, in one paragraph."""
    files = [item for item in record["inputs"] if item["rows"] is not None]
    rows = sum(item["rows"] for item in files)
    template = record["template"]
    version = (
        _("cxanalysis {version} (commit {commit})").format(
            version=template["cxanalysis"], commit=template["commit"][:10]
        )
        if template["commit"]
        else f"cxanalysis {template['cxanalysis']}"
    )
    built = dt.datetime.fromisoformat(record["built_at"]).astimezone(dt.UTC)
    values = {
        "date": presentation.date(built),
        "time": f"{built:%H:%M}",
        # Inside a code span Markdown shows every character as typed; only a backtick could end it.
        "command": record["command"].replace("`", "") if record["command"] else "",
        "version": version,
        "python": record["python"],
        "files": plural(len(files), "data file", "data files"),
        "rows": number(rows),
        "configs": plural(len(record["inputs"]) - len(files), "configuration file", "configuration files"),
    }
    message = (
        _(
            "Built on **{date} at {time} UTC** with `{command}`, by {version} on Python {python}, from {files} "
            "({rows} rows read) and {configs}."
        )
        if record["command"]
        else _(
            "Built on **{date} at {time} UTC** by Jupyter Book from the repository, not by `cxanalysis build`, by "
            "{version} on Python {python}, from {files} ({rows} rows read) and {configs}."
        )
    )
    text = message.format(**values)
    if record["edition"] == "teaching":
        text += " " + _("This is the teaching edition, with the code and exercises shown.")
    return text


def glance_drivers(top: pd.DataFrame, outcome: str, sample) -> str:
    """The top drivers for the summary; marked indicative when the complete answers are fewer than recommended."""
    parts = ", ".join(
        _("{driver} {share} % ({low} to {high})").format(
            driver=label(r.driver), share=number(r.share), low=number(r.share_ci_low), high=number(r.share_ci_high)
        )
        for r in top.itertuples()
    )
    if sample.small:
        return _(
            "**Drivers of {metric}**: {drivers}, as shares of the influence the rated attributes have on it "
            "(chapter 6; indicative, from {complete} complete answers)."
        ).format(metric=metric_short(outcome), drivers=parts, complete=number(sample.complete))
    return _(
        "**Drivers of {metric}**: {drivers}, as shares of the influence the rated attributes have on it (chapter 6)."
    ).format(metric=metric_short(outcome), drivers=parts)


def glance_themes(
    impact: pd.DataFrame, outcome: str, *, alpha: float, silent: frozenset[str] = frozenset(), period: str = ""
) -> str:
    """The themes that go with the clearest lower scores over all periods; a theme in ``silent`` (no
    comment of ``period`` mentions it) says so, so a complaint of the past does not read as today's."""
    low = impact[(impact["p_adjusted"] < alpha) & (impact["difference"] < 0)].nsmallest(3, "difference")
    if low.empty:
        return _("**Complaint themes**: no theme goes with a clearly lower score (chapter 4).")
    parts = ", ".join(
        (
            _("{theme} ({difference}; not mentioned in {period})") if r.theme in silent else _("{theme} ({difference})")
        ).format(theme=escape_markdown(r.label), difference=number(r.difference), period=period)
        for r in low.itertuples()
    )
    return _("**Complaint themes**: {themes} {metric} points against other comments, all periods (chapter 4).").format(
        themes=parts, metric=metric_short(outcome)
    )


def glance_hot_spots(journey: pd.DataFrame, period: str) -> str:
    hot = journey[journey["hot_spot"]]
    now = hot[hot["period"] == period]
    earlier = hot[hot["period"] != period].sort_values("period", ascending=False)
    spots = ", ".join(
        _("{touchpoint} (CSAT {estimate} against {rest})").format(
            touchpoint=label(r.touchpoint), estimate=number(r.estimate), rest=number(r.rest)
        )
        for r in now.itertuples()
    )
    before = ", ".join(
        _("{touchpoint} {period}").format(touchpoint=label(r.touchpoint), period=r.period)
        for r in earlier.iloc[:3].itertuples()
    )
    if now.empty and earlier.empty:
        message = _("**Hot spots**: none in {period} (chapter 2).")
    elif now.empty:
        message = _("**Hot spots**: none in {period}; earlier: {earlier} (chapter 2).")
    elif earlier.empty:
        message = _("**Hot spots**: {spots} in {period} (chapter 2).")
    else:
        message = _("**Hot spots**: {spots} in {period}; earlier: {earlier} (chapter 2).")
    return message.format(spots=spots, period=period, earlier=before)


def glance_revenue(risk, money) -> str:
    """Revenue at risk on the summary: the figure with its interval, the inputs it multiplies, and the
    value of one CSAT point with its interval (or a word that the config's inputs are taken as given)."""
    at_risk, point = risk.value("revenue at risk"), risk.value("value per CSAT point")
    dissatisfied = risk.value("dissatisfied customers")
    churn = risk.churn
    values = {
        "currency": money.currency,
        "amount": money_amount(at_risk["estimate"]),
        "low": money_amount(at_risk["ci_low"]),
        "high": money_amount(at_risk["ci_high"]),
        "dissatisfied": money_amount(dissatisfied["estimate"]),
        "customers": number(money.customers),
        "revenue": money_amount(risk.revenue.value),
        "churn": number(100 * churn.added, 1),
        "added_low": number(_added_churn_bound(churn, -1), 1),
        "added_high": number(_added_churn_bound(churn, 1), 1),
        "point": money_amount(point["estimate"]),
        "point_low": money_amount(point["ci_low"]),
        "point_high": money_amount(point["ci_high"]),
        **period_words(money.revenue_period),
    }
    weighted = churn.weighting == "revenue"
    if churn.se is None:
        added = (
            _("dissatisfaction adds {churn} percentage points of churn (weighted by revenue) {a_period}")
            if weighted
            else _("dissatisfaction adds {churn} percentage points of churn {a_period}")
        )
    else:
        added = (
            _(
                "dissatisfaction adds {churn} percentage points of churn (weighted by revenue) {a_period} "
                "(95 % CI {added_low} to {added_high})"
            )
            if weighted
            else _(
                "dissatisfaction adds {churn} percentage points of churn {a_period} (95 % CI {added_low} to {added_high})"
            )
        )
    exact = pd.isna(point["ci_low"])
    worth = (
        _("each CSAT point is worth about {currency} {point}")
        if exact
        else _("each CSAT point is worth about {currency} {point} ({point_low} to {point_high})")
    )
    if exact:
        message = _(
            "**Revenue at risk**: {currency} {amount} of {periodly} revenue (95 % CI {low} to {high}; from CSAT's "
            "uncertainty alone, as the config's churn is taken as given), from the churn dissatisfaction adds: "
            "about {dissatisfied} of {customers} customers are not satisfied, {added}, and each brings {currency} "
            "{revenue} {a_period} ({source}); {worth} (chapter 7)."
        )
    else:
        message = _(
            "**Revenue at risk**: {currency} {amount} of {periodly} revenue (95 % CI {low} to {high}), from the "
            "churn dissatisfaction adds: about {dissatisfied} of {customers} customers are not satisfied, {added}, "
            "and each brings {currency} {revenue} {a_period} ({source}); {worth} (chapter 7)."
        )
    source = _("customers file") if risk.revenue.from_file else _("config")
    return message.format(added=added.format(**values), worth=worth.format(**values), source=source, **values)


def glance_data(summary: pd.DataFrame) -> str:
    read, valid, bad = summary["read"].sum(), summary["valid"].sum(), summary["quarantined"].sum()
    return _(
        "**Data**: {rows} read from {files}, {valid} used, {quarantined} quarantined with a reason "
        "(data-quality appendix)."
    ).format(
        rows=plural(read, "row", "rows"),
        files=plural(len(summary), "file", "files"),
        valid=number(valid),
        quarantined=number(bad),
    )


def glance_listening(figures: pd.DataFrame | None, channels: pd.DataFrame | None) -> str:
    """How well the program listens, on the summary: the share of detractors and dissatisfied customers called
    back and how fast (:func:`cxanalysis.follow_up.follow_up_figures`), and the channels that answer clearly
    less than the others (:func:`cxanalysis.response_rates.channel_comparison`); '' when the client has
    neither a follow-up log nor an invitations file."""
    parts = []
    shown = (
        figures.set_index("figure")
        if figures is not None and {"follow_up_rate", "median_working_days"} <= set(figures["figure"])
        else None
    )
    if shown is not None and shown[["estimate"]].notna().all().all():
        rate, days = shown.loc["follow_up_rate"], shown.loc["median_working_days"]
        parts.append(
            _(
                "{rate} % of the {due} detractors and dissatisfied customers due were called back (95 % CI {low} to "
                "{high} %), half of them within {days} (chapter 8)"
            ).format(
                rate=number(rate["estimate"]),
                due=number(shown.loc["due", "estimate"]),
                low=number(rate["ci_low"]),
                high=number(rate["ci_high"]),
                days=plural(int(days["estimate"]), "working day", "working days"),
            )
        )
    if channels is not None and not channels.empty and channels["low_response"].any():
        low = channels[channels["low_response"]]
        names = presentation.name_list([escape_markdown(display_value("channel", c)) for c in low["channel"]])
        parts.append(
            _(
                "customers asked by {channels} answer clearly less often than those asked through the other "
                "channels, so fewer of them are heard (chapter 3)"
            ).format(channels=names)
        )
    if not parts:
        return ""
    return _("**Listening**: {parts}.").format(parts="; ".join(parts))


def glance_more_data(missing: list[str]) -> str:
    """What the data a client lacks would add to the book (keys of :data:`DATA_ADDS`), as one summary line."""
    additions = "; ".join(_as_clause(data_adds(name)) for name in missing)
    return _("**More data would add**: {additions}.").format(additions=additions[:1].upper() + additions[1:])


def with_interval(estimate: float, low: float, high: float, metric: str, signed: bool = False) -> str:
    """'74.7 (71.9 to 77.3)', rounded by the interval's own width (:func:`cxanalysis.presentation.estimate`)."""
    return presentation.estimate(estimate, low, high, signed=signed, fallback=max(metric_decimals(metric), 1))


#: Each verdict of :data:`cxanalysis.compare.VERDICTS` in the words a leader uses (the executive summary's).
PLAIN_VERDICTS = {
    "significant improvement": N_("likely a real rise"),
    "significant decline": N_("likely a real fall"),
    "no detectable change": N_("could well be chance"),
    "too few responses to tell": N_("too few answers to tell"),
}
SEGMENT_VERDICTS = {
    "significant improvement": N_("significantly higher"),
    "significant decline": N_("significantly lower"),
    "no detectable change": N_("no detectable difference"),
    "too few responses to tell": N_("too few responses to tell"),
}
#: Each verdict of :data:`cxanalysis.compare.VERDICTS` as a comparison of periods names it.
CHANGE_VERDICTS = {
    "significant improvement": N_("significant improvement"),
    "significant decline": N_("significant decline"),
    "no detectable change": N_("no detectable change"),
    "too few responses to tell": N_("too few responses to tell"),
}


def segment_verdict(verdict: str) -> str:
    """A verdict of :data:`cxanalysis.compare.VERDICTS` on a segment against the others, in the report language."""
    return _(SEGMENT_VERDICTS[verdict]) if verdict in SEGMENT_VERDICTS else verdict


def adjustment_comparison(holm: pd.DataFrame, other: pd.DataFrame, method: str) -> str:
    """How another multiple-testing adjustment's p-values compare with Holm's on the same tests, in one
    sentence: how many are smaller and larger, and how many differences each calls significant."""
    keys = ["metric", "dimension", "level"]
    both = holm.merge(other, on=keys, suffixes=("_holm", "_other"))
    a, b = both["p_adjusted_holm"], both["p_adjusted_other"]
    significant = ("significant improvement", "significant decline")
    return _(
        "With {method}, {smaller} of the {count} adjusted p-values are smaller than with Holm's and {larger} "
        "larger; it calls {other_called} differences significant, against {holm_called} with Holm's."
    ).format(
        method=adjustment_name(method),
        smaller=number(int((b < a - 1e-12).sum())),
        count=number(len(both)),
        larger=number(int((b > a + 1e-12).sum())),
        other_called=number(int(other["verdict"].isin(significant).sum())),
        holm_called=number(int(holm["verdict"].isin(significant).sum())),
    )


def group_verdicts(segments: pd.DataFrame, metric: str) -> str:
    """Every group's difference on ``metric`` against all other customers, with its verdict, in one sentence."""
    rows = segments[segments["metric"] == metric]
    groups = "; ".join(
        _("{group}: {difference} ({verdict})").format(
            group=f"{escape_markdown(dimension_title(r.dimension))} {escape_markdown(str(r.level))}",
            difference=number(r.difference, 1, signed=True),
            verdict=segment_verdict(r.verdict),
        )
        for r in rows.itertuples()
    )
    return _("{metric} of each group against all other customers: {groups}.").format(
        metric=metric_short(metric), groups=groups
    )


def change_verdict(verdict: str) -> str:
    """A verdict of :data:`cxanalysis.compare.VERDICTS` on two periods, in the report language."""
    return _(CHANGE_VERDICTS[verdict]) if verdict in CHANGE_VERDICTS else verdict


def rounded_level(row, side: str) -> str:
    """One side ("a" latest or this group, "b" earlier or the others) of a comparison row: its estimate rounded
    with its own interval (``level_ci_low_<side>``, ``level_ci_high_<side>``), as the tables round it."""
    fallback = max(metric_decimals(getattr(row, "metric", "")), 1)
    low, high = getattr(row, f"level_ci_low_{side}", math.nan), getattr(row, f"level_ci_high_{side}", math.nan)
    return number(getattr(row, f"estimate_{side}"), presentation.decimals_for(low, high, fallback=fallback))


def _level_name(dimension: str, level: object) -> str:
    """A group's level in a sentence: its display name when it has one (a survey), else as the data writes it."""
    named = display_value(dimension, level)
    return escape_markdown(named) if named != str(level) else label(str(level))


def _difference_decimals(row) -> int:
    return presentation.decimals_for(row.ci_low, row.ci_high, fallback=max(metric_decimals(row.metric), 1))


def _difference_clause(row) -> str:
    """'(−7, 95 % CI −16 to +2; adjusted p = 0.30)', rounded with the difference's interval."""
    d = _difference_decimals(row)
    return _("({difference}, 95 % CI {low} to {high}; {p})").format(
        difference=number(row.difference, d, signed=True),
        low=number(row.ci_low, d, signed=True),
        high=number(row.ci_high, d, signed=True),
        p=p_reading(row.p_adjusted, adjusted=True),
    )


def change_sentence(row) -> str:
    """One comparison of two periods, with its verdict, in plain words."""
    where = (
        _("all responses")
        if row.dimension == "all"
        else _("{dimension} {level}").format(
            dimension=dimension_name(row.dimension), level=_level_name(row.dimension, row.level)
        )
    )
    values = {
        "metric": metric_label(row.metric),
        "where": where,
        "before": rounded_level(row, "b"),
        "baseline": row.baseline,
        "after": rounded_level(row, "a"),
        "current": row.current,
        "difference": _difference_clause(row),
        "verdict": change_verdict(row.verdict),
        "mde": number(row.mde, _difference_decimals(row)),
    }
    if row.verdict == "too few responses to tell":
        return _(
            "{metric}, {where}: {before} in {baseline} → {after} in {current} {difference}: **{verdict}**; only a "
            "change of at least {mde} could be detected with these answers."
        ).format(**values)
    return _("{metric}, {where}: {before} in {baseline} → {after} in {current} {difference}: **{verdict}**.").format(
        **values
    )


def segment_sentence(row) -> str:
    """A segment against all other customers, with its verdict, in plain words."""
    values = {
        "metric": metric_label(row.metric),
        "dimension": dimension_name(row.dimension),
        "level": _level_name(row.dimension, row.level),
        "group": rounded_level(row, "a"),
        "others": rounded_level(row, "b"),
        "difference": _difference_clause(row),
        "verdict": segment_verdict(row.verdict),
        "mde": number(row.mde, _difference_decimals(row)),
        "answers": plural(row.n_a, "answer", "answers"),
    }
    if row.verdict == "too few responses to tell":
        return _(
            "{metric}, {dimension} **{level}**: {group} against {others} for all others {difference}: **{verdict}** "
            "(a difference below {mde} cannot be detected with {answers})."
        ).format(**values)
    return _(
        "{metric}, {dimension} **{level}**: {group} against {others} for all others {difference}: **{verdict}**."
    ).format(**values)


def needed_sentence(row) -> str:
    """'Collect about N more responses in X to detect a 5-point difference.'"""
    d = max(metric_decimals(row.metric), 1)
    size = number(row.meaningful_change, d)
    # "an 8.0-point", "an 11.0", "an 18.0-point": the article follows the sound of the number.
    an = size.startswith(("8", "11.", "18."))
    if row.metric == "nps":
        change = (_("an {size}-point difference") if an else _("a {size}-point difference")).format(size=size)
    else:
        change = (_("an {size} difference") if an else _("a {size} difference")).format(size=size)
    values = {
        "where": _("{dimension} {level}").format(dimension=dimension_name(row.dimension), level=label(row.level)),
        "n": number(row.n_a),
        "change": change,
        "metric": metric_short(row.metric),
        "more": plural(row.more_needed, "more response", "more responses") if not math.isinf(row.more_needed) else "",
    }
    if row.more_needed == 0:
        return _("{where}: enough answers ({n}) to detect {change} in {metric}.").format(**values)
    if math.isinf(row.more_needed):
        return _(
            "{where}: {change} in {metric} cannot be detected by adding answers in this segment alone; the other "
            "customers need more answers too."
        ).format(**values)
    return _("{where}: collect about **{more}** (now {n}) to detect {change} in {metric}.").format(**values)


def segment_summary_text(segments: pd.DataFrame) -> str:
    """The segments that differ, a count of the rest, and every comparison behind a dropdown."""
    real = segments[segments["verdict"].str.startswith("significant")]
    lines = [segment_sentence(r) for r in real.itertuples()]
    quiet = segments[~segments.index.isin(real.index)]
    counts = quiet["verdict"].map(segment_verdict).value_counts()
    rest = ", ".join(_("{count} {verdict}").format(count=n, verdict=v) for v, n in counts.items())
    text = (
        ngettext(
            "{real} of {count} segment comparisons is unlikely to be chance:",
            "{real} of {count} segment comparisons are unlikely to be chance:",
            len(real),
        ).format(real=len(real), count=len(segments))
        + "\n\n"
        + bullets(lines)
        if lines
        else _("None of the {count} segment comparisons is unlikely to be chance.").format(count=len(segments))
    )
    if not quiet.empty:
        dimensions = ", ".join(sorted({dimension_name(d) for d in quiet["dimension"]}))
        text += "\n\n" + ngettext(
            "The other {count} ({dimensions}) shows no difference the data can tell apart from chance: {verdicts}.",
            "The other {count} ({dimensions}) show no difference the data can tell apart from chance: {verdicts}.",
            len(quiet),
        ).format(count=len(quiet), dimensions=dimensions, verdicts=rest)
    every = bullets([segment_sentence(r) for r in segments.itertuples()])
    return text + "\n\n:::{dropdown} " + _("Every segment comparison in words") + f"\n{every}\n:::"


#: How an agent's shrunk interval stands against their team's mean (``agents.agent_estimates``' stands_out).
STANDS_OUT = {"below": N_("below the team mean"), "above": N_("above the team mean"), "": N_("no")}
#: The line of a team's agents not shown by name, and the team of agents whose answers name none.
OTHER_AGENTS_LINE = N_("other agents ({count})")


def agent_label(agent: object, agents: int) -> str:
    """An agent as a table shows them: the name from the data, or the line of the agents not named."""
    if agent == "other agents":
        return _(OTHER_AGENTS_LINE).format(count=number(agents))
    return str(agent)


def team_reading(teams: pd.DataFrame, differences: pd.DataFrame) -> str:
    """Per score, the teams with the highest and the lowest score over the window, then every team that
    differs from the other teams beyond chance (:func:`cxanalysis.agents.team_differences`), or that none does."""
    lines = []
    for metric, part in teams[~teams["suppressed"].astype(bool)].groupby("metric", sort=False):
        if len(part) < 2:
            continue
        ordered = part.sort_values("estimate")
        low, high = ordered.iloc[0], ordered.iloc[-1]
        text = _("By team, the highest is {high_team}, {high}; the lowest {low_team}, {low}.").format(
            high_team=escape_markdown(high["team"]),
            high=estimate_phrase(high, str(metric)),
            low_team=escape_markdown(low["team"]),
            low=estimate_phrase(low, str(metric)),
        )
        tested = differences[differences["metric"] == metric] if not differences.empty else differences
        real = tested[tested["verdict"].str.startswith("significant")] if not tested.empty else tested
        if real.empty:
            text += " " + _("No team differs from the other teams beyond chance ({count} compared).").format(
                count=len(tested)
            )
        lines.append(text)
        lines += [segment_sentence(row) for row in real.itertuples()]
    return bullets(lines)


def few_answers_example(answers: int, satisfied: int, team_share: float) -> str:
    """The teaching example of an agent ranked on few answers: its raw CSAT, and how often an agent as good
    as the team scores that low or lower (:func:`cxanalysis.agents.chance_as_low`)."""
    from .agents import chance_as_low

    chance = chance_as_low(answers, satisfied, team_share)
    return _(
        "An agent with {answers} who got {satisfied} satisfied customers has a raw CSAT of {raw} %; when {team} % "
        "of the team's customers are satisfied, that happens to an agent as good as the rest about one time in "
        "{times}."
    ).format(
        answers=plural(answers, "answer", "answers"),
        satisfied=number(satisfied),
        raw=number(100 * satisfied / answers),
        team=number(100 * team_share),
        times=number(1 / chance),
    )


def agents_reading(agents: pd.DataFrame, metric: str, min_n: int) -> str:
    """Who stands out after shrinkage, which agent a raw ranking would have put last without reason, and how
    many agents are not named."""
    rows = agents[agents["metric"] == metric]
    named = rows[rows["agent"] != "other agents"]
    if named.empty:
        return ""
    short = metric_short(metric)
    out = named[named["stands_out"] != ""]
    lines = []
    for row in out.itertuples():
        lines.append(
            _("**{agent}** ({team}): {raw} raw, {shrunk} after shrinkage, {side} of {mean} ({answers}).").format(
                agent=escape_markdown(row.agent),
                team=escape_markdown(row.team),
                raw=number(row.estimate),
                shrunk=presentation.estimate(row.shrunk, row.shrunk_low, row.shrunk_high),
                side=_(STANDS_OUT[row.stands_out]),
                mean=number(row.team_mean),
                answers=plural(int(row.n), "answer", "answers"),
            )
        )
    text = (
        ngettext(
            "After shrinkage, {count} agent's {metric} differs from their team's mean by more than chance, "
            "allowing for the {agents} agents compared:",
            "After shrinkage, {count} agents' {metric} differ from their team's mean by more than chance, "
            "allowing for the {agents} agents compared:",
            len(out),
        ).format(count=len(out), metric=short, agents=len(named))
        + "\n\n"
        + bullets(lines)
        if lines
        else _(
            "After shrinkage, no agent's {metric} differs from their team's mean by more than chance, allowing for "
            "the {agents} agents compared."
        ).format(metric=short, agents=len(named))
    )
    lowest = named.loc[named["estimate"].idxmin()]
    if lowest["stands_out"] == "":
        text += "\n\n" + _(
            "A ranking on raw scores would put **{agent}** ({team}) last, at {raw} from {answers}; on so few answers "
            "that is within chance: after shrinkage {shrunk}, which includes the team mean of {mean}."
        ).format(
            agent=escape_markdown(lowest["agent"]),
            team=escape_markdown(lowest["team"]),
            raw=number(lowest["estimate"]),
            answers=plural(int(lowest["n"]), "answer", "answers"),
            shrunk=presentation.estimate(lowest["shrunk"], lowest["shrunk_low"], lowest["shrunk_high"]),
            mean=number(lowest["team_mean"]),
        )
    others = rows[rows["agent"] == "other agents"]
    if not others.empty:
        text += "\n\n" + ngettext(
            "{count} agent with fewer than {min_n} answers (or hidden with such an agent) is not named: "
            "the table pools them in one line per team.",
            "{count} agents with fewer than {min_n} answers (or hidden with such an agent) are not named: "
            "the table pools them in one line per team.",
            int(others["agents"].sum()),
        ).format(count=int(others["agents"].sum()), min_n=min_n)
    return text


def asat_reading(relation: pd.DataFrame, alpha: float) -> str:
    """How agent satisfaction moves with CSAT across team periods, with its interval and n."""
    row = relation.iloc[0]
    if pd.isna(row["slope"]):
        return _(
            "Too few team periods ({count}) pair agent satisfaction with CSAT to estimate how they move together."
        ).format(count=int(row["n"]))
    values = {
        "slope": presentation.estimate(row["slope"], row["ci_low"], row["ci_high"], signed=True, fallback=2),
        "r": number(row["r"], 2),
        "n": int(row["n"]),
    }
    text = (
        _(
            "Agent satisfaction moves with CSAT: each point of a team's CSAT in a period goes with {slope} points of "
            "its agents' satisfaction (r = {r}; {n} team periods)."
        )
        if row["p_value"] < alpha
        else _(
            "Agent satisfaction and CSAT show no relation the data can tell apart from chance: {slope} points of "
            "agent satisfaction per point of CSAT (r = {r}; {n} team periods)."
        )
    ).format(**values)
    if row["unpaired"]:
        text += " " + ngettext(
            "{count} row of the agent-satisfaction file has no CSAT to pair with (no answers, or too few to show).",
            "{count} rows of the agent-satisfaction file have no CSAT to pair with (no answers, or too few to show).",
            int(row["unpaired"]),
        ).format(count=int(row["unpaired"]))
    return text + " " + _("An association across teams and periods, not a cause in either direction.")


def changes_summary(changes: pd.DataFrame) -> str:
    """How many comparisons fall under each verdict."""
    counts = changes["verdict"].value_counts()
    parts = [
        _("{count} {verdict}").format(count=counts[v], verdict=change_verdict(v))
        for v in ("significant improvement", "significant decline", "no detectable change", "too few responses to tell")
        if v in counts
    ]
    return _("{comparisons}, adjusted within their families: {verdicts}.").format(
        comparisons=plural(len(changes), "comparison", "comparisons"), verdicts=", ".join(parts)
    )


def trend_test_sentence(trend: pd.DataFrame | pd.Series, *, alpha: float) -> str:
    """One score's slope over the periods with its verdict at ``alpha``.

    ``trend`` is a row (or a one-row table) of
    :func:`cxanalysis.significance.score_trends`: judged on ``p_adjusted``
    when the score was tested together with others, else on ``p_value``.
    """
    row = trend.iloc[0] if isinstance(trend, pd.DataFrame) else trend
    d = max(metric_decimals(row["metric"]), 1)
    adjusted = "p_adjusted" in row.index
    p = row["p_adjusted"] if adjusted else row["p_value"]
    if p < alpha and row["slope_per_period"] > 0:
        message = _(
            "{metric} changes by {slope} per period on average over {periods} (95 % CI {low} to {high}; {p}): a "
            "rising trend the period-to-period variation does not explain."
        )
    elif p < alpha:
        message = _(
            "{metric} changes by {slope} per period on average over {periods} (95 % CI {low} to {high}; {p}): a "
            "falling trend the period-to-period variation does not explain."
        )
    elif row["p_value"] < alpha:
        # The score's own 95 % interval excludes zero, but its p-value adjusted for the other scores is not below alpha.
        message = _(
            "{metric} changes by {slope} per period on average over {periods} (95 % CI {low} to {high}; {p}): no "
            "trend beyond the period-to-period variation, once the other scores tested are allowed for."
        )
    else:
        message = _(
            "{metric} changes by {slope} per period on average over {periods} (95 % CI {low} to {high}; {p}): no "
            "trend beyond the period-to-period variation."
        )
    return message.format(
        metric=metric_label(row["metric"]),
        slope=number(row["slope_per_period"], d),
        periods=plural(row["periods"], "period", "periods"),
        low=number(row["ci_low"], d),
        high=number(row["ci_high"], d),
        p=p_reading(p, adjusted=adjusted),
    )


def mix_sentence(mix: pd.DataFrame, *, alpha: float) -> str:
    """One line per dimension: does the promoter/passive/detractor mix differ, judged by the adjusted p-value."""
    lines = []
    for row in mix.itertuples():
        strength = _("weak") if row.cramers_v < 0.1 else _("moderate") if row.cramers_v < 0.3 else _("strong")
        message = (
            _(
                "By {dimension}, the promoter/passive/detractor mix differs (χ² = {chi2}, df = {df}, {p}; "
                "Cramér's V = {v}, {strength})."
            )
            if row.p_adjusted < alpha
            else _(
                "By {dimension}, the promoter/passive/detractor mix does not differ detectably (χ² = {chi2}, "
                "df = {df}, {p}; Cramér's V = {v}, {strength})."
            )
        )
        lines.append(
            message.format(
                dimension=dimension_name(row.dimension),
                chi2=number(row.chi2, 1),
                df=row.df,
                p=p_reading(row.p_adjusted, adjusted=True),
                v=number(row.cramers_v, 2),
                strength=strength,
            )
        )
    return bullets(lines)


def churn_sentence(row) -> str:
    return _(
        "Of {customers} customers in the customers file, {churned} left: churn {churn} % (95 % CI {low} to "
        "{high} %), retention {retention} %."
    ).format(
        customers=number(row["customers"]),
        churned=number(row["churned"]),
        churn=number(row["churn"], 1),
        low=number(row["ci_low"], 1),
        high=number(row["ci_high"], 1),
        retention=number(row["retention"], 1),
    )


def not_coded_sentence(not_coded: pd.Series, comments: int) -> str:
    """How many comments the themes leave out, by language: ``not_coded`` counts them per language code
    (:func:`cxanalysis.themes.not_coded`, "not told" when the language could not be told)."""

    left = int(not_coded.sum())
    if not left:
        return _("All {comments} are in a language the themes have terms for, and all were coded.").format(
            comments=plural(comments, "comment", "comments")
        )
    parts = [
        _("{language} {count}").format(
            language=escape_markdown(
                _("language not told")
                if code == "not told"
                else presentation.language_name(str(code), in_sentence=True)
            ),
            count=number(count),
        )
        for code, count in not_coded.sort_values(ascending=False).items()
    ]
    return ngettext(
        "{left} of {comments} was not coded, as the themes have no terms in their language or it could not be told "
        "({languages}); the theme shares below are shares of the {coded}.",
        "{left} of {comments} were not coded, as the themes have no terms in their language or it could not be told "
        "({languages}); the theme shares below are shares of the {coded}.",
        left,
    ).format(
        left=number(left),
        comments=plural(comments, "comment", "comments"),
        languages=", ".join(parts),
        coded=plural(comments - left, "coded comment", "coded comments"),
    )


def initiative_plan_sentence(plan: pd.DataFrame) -> str:
    """The head of the plan of initiatives in words: what, who, which number, by when; tied first places
    said as such (:func:`cxanalysis.actions.action_plan`)."""
    from .actions import kind_label

    ranked = plan[plan["rank"].astype(str).str.rstrip("=").str.isdigit()]
    ranked = plan if ranked.empty else ranked
    firsts = ranked[ranked["rank"] == ranked["rank"].iloc[0]]
    first = firsts.iloc[0]
    defined = plan["initiative"] != TO_BE_DEFINED
    sentences = [
        _("{lines} in the plan, {named} with a named initiative.").format(
            lines=plural(len(plan), "line", "lines"), named=number(int(defined.sum()))
        )
    ]
    if firsts["area"].nunique() > 1:
        sentences.append(
            _("{count} areas share first place, as their priorities cannot be told apart: {areas}.").format(
                count=number(firsts["area"].nunique()),
                areas=", ".join(_("**{area}**").format(area=escape_markdown(a)) for a in firsts["area"].unique()),
            )
        )
    values = {
        "area": escape_markdown(first["area"]),
        "kind": kind_label(first["kind"]),
        "owner": escape_markdown(first["owner"]),
        "due": presentation.date(first["due"]),
        "initiative": escape_markdown(first["initiative"]),
    }
    undefined = first["initiative"] == TO_BE_DEFINED
    if first["owner"] and undefined:
        message = _(
            "First listed: **{area}** ({kind}), owned by {owner}, due {due}; its initiative is still to be defined."
        )
    elif first["owner"]:
        message = _("First listed: **{area}** ({kind}), owned by {owner}, due {due}; initiative: {initiative}.")
    elif undefined:
        message = _("First listed: **{area}** ({kind}), due {due}; its initiative is still to be defined.")
    else:
        message = _("First listed: **{area}** ({kind}), due {due}; initiative: {initiative}.")
    sentences.append(message.format(**values))
    if pd.notna(first["target"]):
        d = target_decimals(first["metric_to_watch"], first["current"], first["target"])
        target = {
            "metric": escape_markdown(first["metric_to_watch"]),
            "current": number(first["current"], d),
            "target": number(first["target"], d),
            "source": escape_markdown(first["target_source"].removeprefix("target: ")),
            "responses": number(first["responses_needed"]) if pd.notna(first["responses_needed"]) else "",
        }
        sentences.append(
            (
                _(
                    "Target: {metric} from {current} to {target} ({source}); verifying it takes about {responses} "
                    "answers before and after."
                )
                if pd.notna(first["responses_needed"])
                else _("Target: {metric} from {current} to {target} ({source}).")
            ).format(**target)
        )
    trials = plan[plan["rank"] == "trial"]
    if not trials.empty:
        sentences.append(
            ngettext(
                "{trials} of a promising change is listed as a trial, not ranked: the effect is not yet told apart "
                "from chance, and each group it reaches adds to the evidence.",
                "{trials} of a promising change are listed as a trial, not ranked: the effect is not yet told apart "
                "from chance, and each group it reaches adds to the evidence.",
                len(trials),
            ).format(trials=plural(len(trials), "staged roll-out", "staged roll-outs"))
        )
    return " ".join(sentences)


def _periods_in(periods: float, revenue_period: str) -> str:
    """The churn periods in one revenue period, in words: "4 quarters of a year"."""
    count = number(periods) if float(periods).is_integer() else number(periods, 2)
    if (float(periods), revenue_period) == (4.0, "year"):
        return _("{count} quarters of a year").format(count=count)
    if (float(periods), revenue_period) == (12.0, "year"):
        return _("{count} months of a year").format(count=count)
    if revenue_period == "year":
        return _("{count} periods of a year").format(count=count)
    if revenue_period == "month":
        return _("{count} periods of a month").format(count=count)
    return f"{count} periods of a {revenue_period}"


def target_decimals(metric: str, current: float, target: float) -> int:
    """A mean on a short scale (CES, CSAT mean), or a move smaller than two points, keeps one decimal;
    NPS and shares are otherwise whole numbers."""
    # The plan names the metric to watch by its short name, in English or in the report language.
    if metric in (METRIC_SHORT["ces"], METRIC_SHORT["csat_mean"], metric_short("ces"), metric_short("csat_mean")):
        return 1
    return 1 if pd.notna(target) and abs(target - current) < 2 else 0


def target_move(metric: str, current: float, target: float) -> str:
    """'NPS: −4 → 2': an action's metric to watch, today and at target, the same in the summary and the plan."""
    if pd.isna(current):
        return ""
    d = target_decimals(metric, current, target)
    if pd.isna(target):
        return _("{metric}: {current} → target to be set").format(metric=metric, current=number(current, d))
    return _("{metric}: {current} → {target}").format(
        metric=metric, current=number(current, d), target=number(target, d)
    )


def plan_display(plan: pd.DataFrame, currency: str) -> pd.DataFrame:
    """The action plan as leadership reads it: rank, area, initiative, owner, the move from today to the
    target on the metric to watch, the expected uplift, the cost and the due date."""

    return pd.DataFrame(
        {
            "rank": plan["rank"],
            "area": plan["area"],
            "initiative": plan["initiative"].map(initiative_name),
            "owner": plan["owner"],
            "today_→_target": [
                target_move(m, c, t) for m, c, t in zip(plan["metric_to_watch"], plan["current"], plan["target"])
            ],
            "expected_uplift": plan["expected_uplift"],
            f"cost_({currency})": ["" if pd.isna(c) else money_amount(c) for c in plan["cost"]],
            "due": plan["due"],
        }
    )


def _change_that_matters(headline: pd.DataFrame) -> str | None:
    """The one movement of a headline score a leader should hear first: a change likely real, else a
    rebound or an unusual period, else none."""
    if headline.empty or "change_kind" not in headline or headline["change_kind"].isna().all():
        return None
    real = headline["change_verdict"].astype(str).str.startswith("likely a real")
    special = headline["change_kind"].isin(["rebound", "unusual"])
    for chosen in (headline[real & ~special], headline[special]):
        if not chosen.empty:
            row = chosen.iloc[0]
            name = metric_label(row["metric"])
            verdict = str(row["change_verdict"])
            if row["change_kind"] in ("rebound", "unusual"):
                if verdict in _UNUSUAL_CHANGES:
                    return _(_UNUSUAL_CHANGES[verdict]).format(metric=name)
                return _("Since the previous period, {metric} is {verdict}.").format(metric=name, verdict=verdict)
            message = (
                _("Since the previous period, {metric} rose, {verdict}.")
                if row["change"] > 0
                else _("Since the previous period, {metric} fell, {verdict}.")
            )
            return message.format(metric=name, verdict=plain_verdict(verdict))
    return _("Since the previous period, no headline score moved clearly.")


#: The verdicts of :func:`cxanalysis.movement.movement_reading` on a rebound or an unusual period, as the
#: summary's sentence on the change that matters.
_UNUSUAL_CHANGES = {
    "back from an unusual low": N_("Since the previous period, {metric} is back from an unusual low."),
    "back from an unusual high": N_("Since the previous period, {metric} is back from an unusual high."),
    "unusually high": N_("Since the previous period, {metric} is unusually high."),
    "unusually low": N_("Since the previous period, {metric} is unusually low."),
}


def plain_verdict(verdict: str) -> str:
    """A verdict of :data:`PLAIN_VERDICTS` (its English words, as the result tables hold them) in the
    report language; any other text as given."""
    return _(verdict) if verdict in PLAIN_VERDICTS.values() else verdict


def headline_statement(progress: pd.DataFrame, headline: pd.DataFrame, plan: pd.DataFrame) -> str:
    """The summary's first words: where the program stands against its goals, the change that matters most,
    and the first thing to do, all from the results (goal statuses, the headline table, the action plan)."""
    parts = []
    if not progress.empty:
        parts.append(goals_standing(progress) + ".")
    change = _change_that_matters(headline)
    if change:
        parts.append(change)
    if plan.empty:
        parts.append(_("No action stands out from this data yet (chapter 7)."))
    else:
        first = plan.iloc[0]
        tied = int((plan["rank"].astype(str) == str(first["rank"])).sum()) - 1
        what = (
            escape_markdown(first["initiative"])
            if first["initiative"] != TO_BE_DEFINED
            else _("an initiative on {area}").format(area=escape_markdown(first["area"]))
        )
        values = {
            "what": what,
            "owner": escape_markdown(first["owner"]),
            "due": presentation.date(first["due"]),
            "others": plural(tied, "other", "others"),
        }
        if first["owner"] and tied:
            message = _("First to do: {what} ({owner}, by {due}), level with {others}.")
        elif first["owner"]:
            message = _("First to do: {what} ({owner}, by {due}).")
        elif tied:
            message = _("First to do: {what} (by {due}), level with {others}.")
        else:
            message = _("First to do: {what} (by {due}).")
        parts.append(message.format(**values))
    return " ".join(parts)


def drop_against_limits(chart: pd.DataFrame, months: list[str], without: pd.DataFrame, quarter: str) -> str:
    """How the months of a lasting drop lie against a control chart's upper limits, and how much the drop
    widens the limits: σz, and the other months' upper limits, with the drop months in the chart and without
    them (``without``: the same chart computed from the other months alone)."""
    rows = chart[chart["period"].isin(months)]
    points = "; ".join(
        _("{period} at {share} % (upper limit {limit} %)").format(
            period=r.period, share=number(r.share, 1), limit=number(r.upper_limit, 1)
        )
        for r in rows.itertuples()
    )
    above = rows[rows["signal"] == "above"]
    if above.empty:
        gaps = rows["upper_limit"] - rows["share"]
        where = _("none is above its upper limit; the nearest, {period}, is {gap} percentage points below it").format(
            period=rows.loc[gaps.idxmin(), "period"], gap=number(gaps.min(), 1)
        )
    else:
        where = ngettext(
            "{count} is above its upper limit: {periods}",
            "{count} are above their upper limits: {periods}",
            len(above),
        ).format(count=number(len(above)), periods=", ".join(above["period"]))
    others = chart[~chart["period"].isin(months)].merge(without, on="period", suffixes=("", "_without"))
    return _(
        "The months of {quarter}, the quarter the headline scores by period call unusual: {points}; {where}. "
        "The drop makes the months vary more: σz = {sigma_with} with its months in the chart, {sigma_without} "
        "without them, so the other months' upper limits lie at {upper_with} % on average with the drop in the "
        "chart, against {upper_without} % without it."
    ).format(
        quarter=quarter,
        points=points,
        where=where,
        sigma_with=number(chart["sigma_z"].iloc[0], 2),
        sigma_without=number(without["sigma_z"].iloc[0], 2),
        upper_with=number(others["upper_limit"].mean(), 1),
        upper_without=number(others["upper_limit_without"].mean(), 1),
    )


def grain_limits_comparison(label: str, month: pd.DataFrame, week: pd.DataFrame) -> str:
    """How far apart a control chart's limits lie by week against by month, the chart each grain's limits
    come from, and the periods outside their limits at each grain."""
    widths = {grain: (c["upper_limit"] - c["lower_limit"]).mean() for grain, c in (("month", month), ("week", week))}
    outside = {grain: c.loc[c["signal"] != "", "period"].tolist() for grain, c in (("month", month), ("week", week))}
    listed = {
        grain: _grain_count(len(periods), grain) + (f" ({', '.join(periods)})" if periods else "")
        for grain, periods in outside.items()
    }
    return _(
        "{label}: by week the limits lie {week} percentage points apart on average, against {month} by month "
        "({ratio} times as wide); by week σz = {week_sigma}, a {week_chart}, by month σz = {month_sigma}, a "
        "{month_chart}. Outside their limits: {week_outside} by week, {month_outside} by month."
    ).format(
        label=label,
        week=number(widths["week"], 1),
        month=number(widths["month"], 1),
        ratio=number(widths["week"] / widths["month"], 1),
        week_sigma=number(week["sigma_z"].iloc[0], 2),
        week_chart=control_chart_name(week["chart"].iloc[0]),
        month_sigma=number(month["sigma_z"].iloc[0], 2),
        month_chart=control_chart_name(month["chart"].iloc[0]),
        week_outside=listed["week"],
        month_outside=listed["month"],
    )


def _early_warning_window(row: pd.Series) -> str:
    """'over 6 months (2025-07 to 2025-12): -1.2 NPS points a month (95 % CI ...; p = ...), no early warning'."""
    slope = early_warning_slope(row)
    reading = (
        _("an early warning: a decline beyond the month-to-month variation")
        if row["warning"]
        else _("no early warning: no decline beyond the month-to-month variation")
    )
    return _("over {months}: {slope}, {reading}").format(
        months=plural(int(row["periods"]), "month", "months"), slope=slope, reading=reading
    )


def early_warning_windows(short: pd.DataFrame, long: pd.DataFrame) -> str:
    """The early warning's slope on NPS over a short and a long window of months, each with its reading, and
    how they compare: the width of their intervals and whether they agree."""
    if short.empty or long.empty:
        return _("Too few months of NPS for the early warning.")
    a, b = short.iloc[0], long.iloc[0]
    width_a, width_b = a["ci_high"] - a["ci_low"], b["ci_high"] - b["ci_low"]
    agree = (
        _("Both windows read the same.")
        if a["warning"] == b["warning"]
        else _("Only the window over {months} warns.").format(
            months=plural(int((a if a["warning"] else b)["periods"]), "month", "months")
        )
    )
    return _(
        "The slope of NPS {short}; {long}. The interval over {long_months} is {long_width} points wide, "
        "against {short_width} over {short_months}. {agree}"
    ).format(
        short=_early_warning_window(a),
        long=_early_warning_window(b),
        long_months=plural(int(b["periods"]), "month", "months"),
        long_width=number(width_b, 1),
        short_width=number(width_a, 1),
        short_months=plural(int(a["periods"]), "month", "months"),
        agree=agree,
    )


def fingerprints_sentence(recorded: list[dict], now: list[dict]) -> str:
    """Whether the input files as read now have the fingerprints recorded when the book was built."""
    recorded_by_file = {item["file"]: item["sha256"] for item in recorded}
    changed = [item["file"] for item in now if recorded_by_file.get(item["file"]) != item["sha256"]]
    if not changed:
        return _(
            "Each of the {files} read now has the fingerprint recorded when this book was built: the same bytes, "
            "so a rebuild with the same versions gives the same book."
        ).format(files=plural(len(now), "input file", "input files"))
    return ngettext(
        "{count} of the {files} has changed since this book was built: {names}.",
        "{count} of the {files} have changed since this book was built: {names}.",
        len(changed),
    ).format(
        count=number(len(changed)),
        files=plural(len(now), "input file", "input files"),
        names=", ".join(escape_markdown(name) for name in changed),
    )


def changed_cell_sentence(
    file: str, column: str, response: str, old: str, new: str, before: str, after: str, unchanged: str
) -> str:
    """What changing one cell of a data file does to its fingerprint (each fingerprint's first 16 digits)."""
    return _(
        "Changing one cell of {file}, {column} of response {response} from {old} to {new}, changes the file's "
        "fingerprint from `{before}…` to `{after}…`; the same bytes written back unchanged keep `{unchanged}…`."
    ).format(
        file=escape_markdown(file),
        column=escape_markdown(column),
        response=escape_markdown(response),
        old=escape_markdown(old),
        new=escape_markdown(new),
        before=before[:16],
        after=after[:16],
        unchanged=unchanged[:16],
    )


def goal_status_reason(row, period: str) -> str:
    """Why a goal has its status in a period, from its interval, target, baseline and deadline (a row of
    :func:`cxanalysis.goals.goal_progress`), as the goal rule decides it."""
    d = max(metric_decimals(row["metric"]), 1)
    values = {
        "low": number(row["ci_low"], d),
        "high": number(row["ci_high"], d),
        "target": presentation.formatted(row["target"], "{:g}"),
        "baseline": presentation.formatted(row["baseline"], "{:g}"),
        "deadline": presentation.date(row["deadline"]),
        "period": period,
    }
    status = row["status"]
    if status == "not measured":
        message = _("no survey asks its question within its scope")
    elif status == "too few answers":
        message = _("its answers in {period} are too few to show without pointing out customers")
    elif status == "met":
        message = _("the whole interval, {low} to {high}, lies at or above the target {target}")
    elif status == "too close to tell":
        message = _("the interval, {low} to {high}, holds the target {target}: more answers are needed to decide")
    elif status == "on track":
        message = _(
            "the whole interval, {low} to {high}, lies below the target {target} and above the baseline "
            "{baseline}, and the deadline {deadline} has not passed"
        )
    elif pd.isna(row["baseline"]):
        message = _("the whole interval, {low} to {high}, lies below the target {target}, and the goal has no baseline")
    elif row["ci_low"] <= row["baseline"]:
        message = _(
            "the whole interval, {low} to {high}, lies below the target {target}, and not all of it above the "
            "baseline {baseline}"
        )
    else:
        message = _(
            "the whole interval, {low} to {high}, lies below the target {target}, and the deadline {deadline} "
            "has passed"
        )
    return message.format(**values)


def goal_raised_target_solution(before, after, period: str) -> str:
    """What a goal's status becomes with another target (rows of :func:`cxanalysis.goals.goal_progress` before
    and after the change), and why."""
    from .goals import status_word

    values = {
        "goal": escape_markdown(after["goal"]),
        "target": presentation.formatted(after["target"], "{:g}"),
        "before": presentation.formatted(before["target"], "{:g}"),
        "status": status_word(after["status"]),
        "was": status_word(before["status"]),
        "period": period,
        "reason": goal_status_reason(after, period),
    }
    if before["target"] == after["target"]:
        message = _("With the target {target}, **{goal}** is {status} in {period}: {reason}.")
    elif before["status"] == after["status"]:
        message = _("With the target {target} instead of {before}, **{goal}** stays {status} in {period}: {reason}.")
    else:
        message = _(
            "With the target {target} instead of {before}, **{goal}** is {status} in {period}, no longer {was}: "
            "{reason}."
        )
    return message.format(**values)


def new_goal_solution(row, period: str) -> str:
    """The status a new goal gets (a row of :func:`cxanalysis.goals.goal_progress`), and why."""
    from .goals import status_word

    return _("A goal on {metric} at {touchpoint} is {status} in {period}: {reason}.").format(
        metric=metric_short(row["metric"]),
        touchpoint=label(row["scope"]),
        status=status_word(row["status"]),
        period=period,
        reason=goal_status_reason(row, period),
    )


def metric_switch_solution(
    spots: pd.DataFrame, before: pd.DataFrame, metric: str, metric_before: str, period: str, touchpoints: int
) -> list[str]:
    """What the journey's comparison becomes on another score (:func:`cxanalysis.touchpoints.hot_spots` on the
    new score and on the one before): the touchpoints compared, its hot spots, and those new to it."""
    names = ", ".join(_("**{touchpoint}**").format(touchpoint=label(t)) for t in spots["touchpoint"])
    lines = [
        ngettext(
            "On {metric}, {count} of the journey's {touchpoints} is compared in {period}: {names}; the surveys at "
            "the others do not ask its question.",
            "On {metric}, {count} of the journey's {touchpoints} are compared in {period}: {names}; the surveys at "
            "the others do not ask its question, and each is compared with the rest of these only.",
            len(spots),
        ).format(
            metric=metric_short(metric),
            count=number(len(spots)),
            touchpoints=plural(touchpoints, "touchpoint", "touchpoints"),
            period=period,
            names=names,
        ),
        hot_spot_sentence(spots, metric, period),
    ]
    was = set(before.loc[before["below"], "touchpoint"].astype(str))
    new = [t for t in spots.loc[spots["below"], "touchpoint"].astype(str) if t not in was]
    if new:
        lines.append(
            ngettext(
                "{touchpoints} is a hot spot on {metric} but not on {other}.",
                "{touchpoints} are hot spots on {metric} but not on {other}.",
                len(new),
            ).format(
                touchpoints=", ".join(_("**{touchpoint}**").format(touchpoint=label(t)) for t in new),
                metric=metric_short(metric),
                other=metric_short(metric_before),
            )
        )
    return lines


def period_hot_spots_solution(spots: pd.DataFrame, metric: str, period: str) -> str:
    """The hot spots of a period and how the journey map shows them (:func:`cxanalysis.touchpoints.hot_spots`)."""
    text = hot_spot_sentence(spots, metric, period)
    below = int(spots["below"].sum())
    if below:
        text += " " + ngettext(
            "On the map of {period}, its card is vermillion with a thick border and reads “{mark}”.",
            "On the map of {period}, their cards are vermillion with a thick border and read “{mark}”.",
            below,
        ).format(period=period, mark=_("▼ hot spot: below the rest"))
    return text


def no_listening_post_solution(gaps: pd.DataFrame, touchpoint: str, period: str) -> str:
    """What removing a touchpoint's listening posts shows: the coverage gaps of the period
    (:func:`cxanalysis.touchpoints.coverage_gaps`) and the touchpoint's card on the map."""
    card = _("On the map, the card of **{touchpoint}** reads “{words}”.").format(
        touchpoint=label(touchpoint), words=_("No listening post")
    )
    return coverage_gaps_sentence(gaps, period) + " " + card


def journey_shape_sentences(journey) -> list[str]:
    """A journey file counted (:class:`cxanalysis.program.Journey`): its stages and touchpoints, its listening
    posts by kind, the surveys sent at more than one moment, and the touchpoints nobody listens to."""
    from .program import listening_post_kind, listening_posts_table, touchpoints_table

    touchpoints = touchpoints_table(journey)
    posts = listening_posts_table(journey)
    stages = touchpoints.groupby("stage", sort=False).size()
    lines = [
        _("{stages} and {touchpoints}: {each}.").format(
            stages=plural(len(stages), "stage", "stages"),
            touchpoints=plural(len(touchpoints), "touchpoint", "touchpoints"),
            each="; ".join(
                _("{stage} ({count})").format(stage=escape_markdown(stage), count=number(count))
                for stage, count in stages.items()
            ),
        )
    ]
    if posts.empty:
        return [*lines, _("No listening post: nothing in the journey asks customers anything yet.")]
    kinds = posts["kind"].value_counts(sort=False)
    lines.append(
        _("{posts}: {kinds}.").format(
            posts=plural(len(posts), "listening post", "listening posts"),
            kinds=", ".join(
                _("{count} {kind}").format(count=number(count), kind=listening_post_kind(kind))
                for kind, count in kinds.items()
            ),
        )
    )
    for survey, asked in posts.groupby("survey", sort=False):
        if len(asked) > 1:
            lines.append(
                _(
                    "**{survey}** is sent at {touchpoints}: {triggers}. Without a contact rule one customer can "
                    "receive it several times within a few days."
                ).format(
                    survey=escape_markdown(display_value("survey", survey)),
                    touchpoints=plural(len(asked), "touchpoint", "touchpoints"),
                    triggers="; ".join(
                        _("{touchpoint} ({trigger})").format(touchpoint=label(t), trigger=escape_markdown(trigger))
                        for t, trigger in zip(asked["touchpoint"], asked["trigger"], strict=True)
                    ),
                )
            )
    unheard = touchpoints.loc[touchpoints["listening_posts"] == 0, "touchpoint"]
    if unheard.empty:
        lines.append(_("Every touchpoint has a listening post."))
    else:
        lines.append(
            _("No listening post at: {touchpoints}.").format(
                touchpoints=", ".join(_("**{touchpoint}**").format(touchpoint=label(t)) for t in unheard)
            )
        )
    return lines


def unusual_by_hand_reading(
    metric: str, period: str, next_period: str, value: float, result: dict[str, float], verdict: str
) -> str:
    """What :func:`cxanalysis.worked.unusual_period_by_hand` found, in a sentence: the period's score against
    its limits, the change after it, and the summary's reading (``verdict``, as the headline table keeps it)."""
    from .movement import movement_verdict

    d = max(metric_decimals(metric), 1)
    values = {
        "label": metric_label(metric),
        "period": period,
        "next": next_period,
        "value": with_unit(number(value, d), metric),
        "lower": with_unit(number(result["lower_limit"], d), metric),
        "upper": with_unit(number(result["upper_limit"], d), metric),
        "centre": with_unit(number(result["centre"], d), metric),
        "verdict": movement_verdict(verdict),
    }
    if result["rebound"]:
        message = _(
            "{label} in {period}, {value}, lies below the lower limit {lower} that the other periods set "
            "(centre {centre}, upper limit {upper}), and it rose in {next}: the summary reads “{verdict}”."
        )
    elif result["below"]:
        message = _(
            "{label} in {period}, {value}, lies below the lower limit {lower} that the other periods set "
            "(centre {centre}, upper limit {upper}), but it did not rise in {next}: the summary reads “{verdict}”."
        )
    else:
        message = _(
            "{label} in {period}, {value}, lies within the limits the other periods set ({lower} to {upper}, "
            "centre {centre}), so a change to {next} is read on its own test: the summary reads “{verdict}”."
        )
    return message.format(**values)


def summary_as_built_solution(headline: pd.DataFrame, charts: dict[str, pd.DataFrame], period: str) -> list[str]:
    """What the summary reads for each headline score when built on the answers up to ``period``: the
    verdict of its change (:func:`cxanalysis.overview.headline_table`) and the periods its control chart
    (:func:`cxanalysis.monitoring.score_period_charts`) finds unusual against the others."""
    from .movement import movement_verdict

    lines = []
    for row in headline.itertuples():
        if pd.isna(row.change_verdict):
            continue
        chart = charts.get(row.metric)
        flagged = chart[chart["signal"] != ""] if chart is not None else pd.DataFrame()
        values = {"label": metric_label(row.metric), "period": period, "verdict": movement_verdict(row.change_verdict)}
        if flagged.empty:
            message = _(
                "Built on the answers up to {period}, {label} reads “{verdict}”; no period lies outside the "
                "limits its other periods set."
            )
        else:
            message = _(
                "Built on the answers up to {period}, {label} reads “{verdict}”; outside the limits its other "
                "periods set: {periods}."
            )
            values["periods"] = ", ".join(
                (_("{period} (low)") if s == "below" else _("{period} (high)")).format(period=p)
                for p, s in zip(flagged["period"], flagged["signal"], strict=True)
            )
        lines.append(message.format(**values))
    return lines


def drivers_outcome_solution(client: ClientData, outcome: str) -> str:
    """What the key-drivers chapter shows with another overall score as its outcome: the drivers, or why not."""
    sample = client.driver_sample(outcome)
    if sample.estimable:
        return _(
            "With {metric} as the outcome, {responses} rate every attribute and answer it, enough to share out "
            "its explained variance between the attributes."
        ).format(metric=metric_label(outcome), responses=plural(sample.complete, "response", "responses"))
    return _("With {metric} as the outcome the chapter shows no drivers and says: “{message}”").format(
        metric=metric_label(outcome), message=drivers_unavailable(client, outcome, sample.complete)
    )


def true_share_comparison(importance: pd.DataFrame, true_share: dict[str, float]) -> str:
    """The estimated relative-weight shares against the shares planted in synthetic data (by attribute label):
    which come first in each, each share with its interval beside the planted one, and how many planted
    shares the intervals hold."""
    rows = importance.sort_values("rank")
    rows = rows[rows["driver"].map(plain_name).isin(true_share)]
    planted = sorted(true_share, key=lambda name: -true_share[name])[:2]
    estimated = [plain_name(d) for d in rows["driver"][:2]]
    held = sum(r.share_ci_low <= true_share[plain_name(r.driver)] <= r.share_ci_high for r in rows.itertuples())
    first = (
        _("The two strongest drivers are {first} and {second}, as planted.")
        if estimated == planted
        else _("The two strongest drivers are {first} and {second}; the planted ones are {planted}.")
    ).format(
        first=escape_markdown(estimated[0]),
        second=escape_markdown(estimated[1]),
        planted=", ".join(escape_markdown(p) for p in planted),
    )
    shares = "; ".join(
        _("{driver} {share} ({low} to {high}) against {true}").format(
            driver=escape_markdown(plain_name(r.driver)),
            share=number(r.share, 1),
            low=number(r.share_ci_low, 1),
            high=number(r.share_ci_high, 1),
            true=number(true_share[plain_name(r.driver)], 1),
        )
        for r in rows.itertuples()
    )
    return " ".join(
        [
            first,
            _("Estimated share of explained variance (%, with its interval) against the planted one: {shares}.").format(
                shares=shares
            ),
            _("{held} of the {count} planted shares lie within their interval.").format(
                held=number(held), count=number(len(rows))
            ),
        ]
    )


def resample_comparison(importance: pd.DataFrame, other: pd.DataFrame, resamples: int, other_resamples: int) -> str:
    """Key drivers with two numbers of bootstrap resamples: whether the order stays, and how far the
    intervals' ends and the shares of resamples ranking first move."""
    order = importance.sort_values("rank")["driver"].tolist()
    other_order = other.sort_values("rank")["driver"].tolist()
    both = importance.merge(other, on="driver", suffixes=("", "_other"))
    moved = max(
        (both["share_ci_low"] - both["share_ci_low_other"]).abs().max(),
        (both["share_ci_high"] - both["share_ci_high_other"]).abs().max(),
    )
    first = both.loc[both["rank"].idxmin()]
    same = (
        _(
            "The order of the attributes is the same with {resamples} resamples as with {other}: it rests on the "
            "estimated shares, which do not depend on the resamples."
        )
        if order == other_order
        else _("The order of the attributes differs between {resamples} and {other} resamples.")
    )
    return " ".join(
        [
            same.format(resamples=number(resamples), other=number(other_resamples)),
            _(
                "The ends of the intervals move by up to {moved} percentage points, and {driver} ranks first in "
                "{share} % of the resamples against {other_share} %."
            ).format(
                moved=number(moved, 1),
                driver=escape_markdown(plain_name(first["driver"])),
                share=number(100 * first["p_rank_first"], 1),
                other_share=number(100 * first["p_rank_first_other"], 1),
            ),
        ]
    )


def worked_risk_solution(table: pd.DataFrame) -> str:
    """The revenue at risk of :func:`cxanalysis.money.revenue_at_risk` at each level of CSAT, in one sentence."""
    levels = "; ".join(
        _("at {csat} % CSAT, {dissatisfied} customers are not satisfied and {amount} is at risk").format(
            csat=presentation.exact(r.csat),
            dissatisfied=number(r.dissatisfied_customers),
            amount=number(r.revenue_at_risk),
        )
        for r in table.itertuples()
    )
    return _("{levels}; each point of CSAT is worth {point}.").format(
        levels=levels[:1].upper() + levels[1:], point=number(table["value_per_csat_point"].iloc[0])
    )


def configured_churn_solution(table: pd.DataFrame, money, file_risk: float | None) -> str:
    """Revenue at risk from the config's churn and revenue per customer (a row of
    :func:`cxanalysis.money.revenue_at_risk` at today's CSAT), as the chapter shows it without a customers
    file, beside the estimate from the file."""
    row = table.iloc[0]
    words = period_words(money.revenue_period)
    text = _(
        "Without the customers file the chapter takes the churn dissatisfaction adds from "
        "`money.churn_if_dissatisfied` ({churn} percentage points {a_period}) and the revenue per customer from "
        "`money.revenue_per_customer` ({currency} {revenue}): at today's CSAT of {csat} %, {currency} {amount} "
        "{a_period} is at risk, and each point of CSAT is worth {currency} {point}. Only CSAT's uncertainty is "
        "left in the interval, and the amount moves in proportion to the churn you set."
    ).format(
        churn=number(100 * money.churn_if_dissatisfied, 1),
        currency=money.currency,
        revenue=number(money.revenue_per_customer),
        csat=number(row["csat"], 1),
        amount=money_amount(row["revenue_at_risk"]),
        point=money_amount(row["value_per_csat_point"]),
        a_period=words["a_period"],
    )
    if file_risk is None:
        return text
    return (
        text
        + " "
        + _("From the customers file it is {currency} {amount}.").format(
            currency=money.currency, amount=money_amount(file_risk)
        )
    )


def effort_change_solution(plan: pd.DataFrame, changed: pd.DataFrame, area: str, setting: str) -> str:
    """How the action plan's head changes when an area's effort is set as ``setting`` says
    (``action_plan.effort`` in the config, e.g. "responsiveness: high")."""

    def head(frame: pd.DataFrame) -> str:
        ranked = frame[frame["rank"].astype(str).str[:1].str.isdigit()]
        firsts = ranked[ranked["rank"].astype(str).str.rstrip("=") == "1"]["area"]
        return ", ".join(escape_markdown(a) for a in firsts)

    line = changed[changed["area"] == area].iloc[0]
    return _(
        "With `{setting}` under `action_plan.effort`, {area} falls to rank {rank} (priority {priority}); "
        "the plan is then headed by {first}, against {before} today."
    ).format(
        area=escape_markdown(area),
        setting=setting,
        rank=line["rank"],
        priority=number(line["priority"], 3),
        first=head(changed),
        before=head(plan),
    )


def initiative_solution(plan: pd.DataFrame, area: str) -> str:
    """What the action plan's line for an area says once an initiative names it."""
    line = plan[plan["area"] == area]
    if line.empty:
        return _("{area} has no line in the plan.").format(area=escape_markdown(area))
    return _("With an initiative for {area}, its line reads “{initiative}” instead of “{undefined}”.").format(
        area=escape_markdown(area),
        initiative=escape_markdown(initiative_name(line.iloc[0]["initiative"])),
        undefined=initiative_name(TO_BE_DEFINED),
    )


def assignment_sentence(row) -> str:
    """How many ways a difference-in-differences could have chosen its treated units, and the smallest
    randomisation p-value that allows."""
    ways = round(1 / row.min_attainable_p)
    return _(
        "There are {ways} ways to choose which of the {units} {nouns} get the change, so the smallest possible "
        "p-value is 1/{ways} = {p}."
    ).format(
        units=number(row.units),
        nouns=unit_noun(row.unit, row.units),
        ways=number(ways),
        p=number(row.min_attainable_p, 2),
    )


def treated_variant_solution(logged, changes: pd.DataFrame, *, alpha: float) -> str:
    """A logged change (:class:`cxanalysis.config.LoggedAction`) judged with its choice of treated units, as
    :func:`cxanalysis.effects.action_effects` estimates it (``changes``): how many ways the units could have
    been chosen (difference-in-differences) and the chapter's reading of each score."""
    treated = "; ".join(f"{column} {', '.join(levels)}" for column, levels in (logged.treated or {}).items())
    parts = [
        _("With the change in {treated}:").format(treated=escape_markdown(treated))
        if treated
        else _("Without `treated`:")
    ]
    first = changes.iloc[:1]  # every score of the change has the same units, so its first tells
    if first["units"].notna().all():
        parts.append(assignment_sentence(next(first.itertuples())))
    return " ".join(parts + effect_sentences(first, alpha=alpha))


#: The headings of :func:`did_means_display`'s columns, for the catalogue.
DID_MEANS_HEADINGS = (N_("Before"), N_("After"))


def did_means_display(means: pd.DataFrame, metric: str, treated: str) -> pd.DataFrame:
    """The four means of a difference-in-differences (:func:`cxanalysis.effects.did_group_means`) as a
    two-by-two table: the changed units and the comparison units, before and after, each mean with its
    answers, and each group's change."""
    d = 2 if metric in ("ces", "csat_mean") else 1
    rows = []
    for group, label in (
        ("treated", _("Changed units ({treated})").format(treated=str(treated).replace(": ", " "))),
        ("comparison", _("Comparison units")),
    ):
        before, after = (means[(means["group"] == group) & (means["side"] == s)].iloc[0] for s in ("before", "after"))
        rows.append(
            {
                "group": label,
                "before": _("{mean} (n = {n})").format(mean=number(before["mean"], d), n=number(before["n"])),
                "after": _("{mean} (n = {n})").format(mean=number(after["mean"], d), n=number(after["n"])),
                "change": number(after["mean"] - before["mean"], d, signed=True),
            }
        )
    return pd.DataFrame(rows)


def hot_spot_by_hand_caption(touchpoint: str, period: str, package: pd.Series, weighted: bool) -> str:
    """The caption of chapter 2's hot spot worked by hand, with the package's difference and adjusted p-value on the
    same answers (``package``: with every answer counted once when the answers are ``weighted``)."""
    values = {
        "touchpoint": touchpoint,
        "metric": metric_short("csat"),
        "period": period,
        "difference": number(package["difference"], 1, signed=True),
        "p": p_reading(package["p_adjusted"], adjusted=True),
    }
    if weighted:
        return _(
            "Is {touchpoint} a hot spot on {metric} in {period}? Its share satisfied against all other touchpoints', "
            "step by step, counting every answer once; the package, on the same answers unweighted, gives a "
            "difference of {difference} with {p}"
        ).format(**values)
    return _(
        "Is {touchpoint} a hot spot on {metric} in {period}? Its share satisfied against all other touchpoints', "
        "step by step; the package gives a difference of {difference} with {p}"
    ).format(**values)


def theme_by_hand_caption(theme: str, package: pd.Series, weighted: bool) -> str:
    """The caption of chapter 4's theme impact worked by hand, with the package's difference and p-value on the
    same answers (``package``: with every answer counted once when the answers are ``weighted``)."""
    values = {
        "n": number(package["n_a"]),
        "theme": theme,
        "others": number(package["n_b"]),
        "result": presentation.estimate(package["difference"], package["ci_low"], package["ci_high"], signed=True),
        "p": p_text(package["p_value"]),
    }
    if weighted:
        return _(
            "NPS of the {n} comments mentioning {theme} against the {others} other comments, step by step, counting "
            "every answer once; the package, on the same answers unweighted, gives {result}, {p} before the "
            "adjustment"
        ).format(**values)
    return _(
        "NPS of the {n} comments mentioning {theme} against the {others} other comments, step by step; the impact "
        "table gives {result}, {p} before the adjustment"
    ).format(**values)


def share_mde_by_hand_caption(package: pd.Series, weighted: bool) -> str:
    """The caption of chapter 5's minimum detectable change worked by hand, with the package's on the same answers
    (``package``, a comparison of :func:`cxanalysis.significance.breakdown_changes`: with every answer counted
    once when the answers are ``weighted``)."""
    values = {"current": package["current"], "baseline": package["baseline"], "mde": number(package["mde"], 2)}
    if weighted:
        return _(
            "The minimum detectable change of CSAT over all responses, {current} against {baseline}, step by step, "
            "counting every answer once (the variance of one answer is p (1 − p) in each period; the level is the "
            "family's); the package, on the same answers unweighted, gives {mde}"
        ).format(**values)
    return _(
        "The minimum detectable change of CSAT over all responses, {current} against {baseline}, step by step (the "
        "variance of one answer is p (1 − p) in each period; the level is the family's); the comparisons table "
        "gives {mde}"
    ).format(**values)


def by_hand_weights_reading(example: str, shown: pd.Series) -> str:
    """Below a worked example on weighted answers: the weighted figure the book's table shows (``shown``, its row)
    and why it differs from the hand computation's. ``example`` is "hot spot", "theme" or "mde"."""
    if example == "hot spot":
        figure = _(
            "The book weights the answers: its table of touchpoints gives a difference of {difference} with {p}."
        ).format(
            difference=number(shown["difference"], 1, signed=True), p=p_reading(shown["p_adjusted"], adjusted=True)
        )
    elif example == "theme":
        figure = _("The book weights the answers: its impact table gives {result}, {p} before the adjustment.").format(
            result=presentation.estimate(shown["difference"], shown["ci_low"], shown["ci_high"], signed=True),
            p=p_text(shown["p_value"]),
        )
    else:
        figure = _("The book weights the answers: its comparisons table gives {mde}.").format(
            mde=number(shown["mde"], 2)
        )
    why = _(
        "The weights count each group of customers by its share of the customer base rather than of the answers, "
        "and unequal weights are worth fewer answers than equal ones, so the book's figures differ from those that "
        "count every answer once (see the weighting section of the data-quality appendix)."
    )
    return f"{figure} {why}"


def did_by_hand_sentence(means: pd.DataFrame, metric: str, package_effect: float) -> str:
    """The difference in differences worked from its four means, beside the package's estimate."""
    d = 2 if metric in ("ces", "csat_mean") else 1
    m = means.set_index(["group", "side"])["mean"]
    treated = m["treated", "after"] - m["treated", "before"]
    comparison = m["comparison", "after"] - m["comparison", "before"]
    return _(
        "{metric} moved by {treated} where the change was made and by {comparison} elsewhere over the same time: "
        "the effect is {treated} − ({comparison}) = {effect}, as the package's estimate in the table above "
        "({package})."
    ).format(
        metric=metric_short(metric),
        treated=number(treated, d, signed=True),
        comparison=number(comparison, d, signed=True),
        effect=number(treated - comparison, d, signed=True),
        package=number(package_effect, d, signed=True),
    )


def period_widths_solution(widths: pd.DataFrame, metric: str) -> str:
    """How a trend by month compares with one by quarter (rows of :func:`cxanalysis.worked.interval_widths`):
    the periods each shows and how wide their intervals are."""
    quarter, month = widths.set_index("period").loc["quarter"], widths.set_index("period").loc["month"]
    return _(
        "By quarter the {metric} trend has {quarters} periods, with a median of {quarter_n} answers and a median "
        "95 % interval {quarter_width} {unit} wide; by month it has {months} periods, with a median of {month_n} "
        "answers and a median interval {month_width} {unit} wide: {ratio} times as wide."
    ).format(
        metric=metric_short(metric),
        quarters=number(quarter["periods"]),
        quarter_n=number(quarter["median_n"]),
        quarter_width=number(quarter["median_width"], 1),
        months=number(month["periods"]),
        month_n=number(month["median_n"]),
        month_width=number(month["median_width"], 1),
        unit=metric_unit(metric),
        ratio=number(month["median_width"] / quarter["median_width"], 1),
    )


def nps_example_solution(answers: list[int], result: pd.Series) -> str:
    """One NPS computed from a few answers (a row of :func:`cxanalysis.metrics.nps`), with what its interval says."""
    from .rules import nps_group

    groups = nps_group(pd.Series(answers, dtype=float)).value_counts()
    promoters, detractors = int(groups.get("promoter", 0)), int(groups.get("detractor", 0))
    return _(
        "Of the {n} answers, {promoters} are promoters and {detractors} detractors, so the NPS is {estimate}; its "
        "95 % interval runs from {low} to {high}, {width} points wide: the true NPS could be almost anything."
    ).format(
        n=number(len(answers)),
        promoters=number(promoters),
        detractors=number(detractors),
        estimate=number(result["estimate"]),
        low=number(result["ci_low"]),
        high=number(result["ci_high"]),
        width=number(result["ci_high"] - result["ci_low"]),
    )


def interval_methods_solution(results: pd.DataFrame) -> str:
    """The same answers' NPS with each interval method (rows of :func:`cxanalysis.metrics.nps`), compared."""
    widths = results["ci_high"] - results["ci_low"]
    each = "; ".join(
        _("{method}: {low} to {high} ({width} points wide)").format(
            method=display_value("method", r.method),
            low=number(r.ci_low),
            high=number(r.ci_high),
            width=number(r.ci_high - r.ci_low),
        )
        for r in results.itertuples()
    )
    widest, narrowest = results.loc[widths.idxmax()], results.loc[widths.idxmin()]
    return _(
        "All three give the NPS {estimate}, with different intervals: {each}. The widest is the {widest}, the "
        "narrowest the {narrowest}, and even that one spans {narrow_width} points."
    ).format(
        estimate=number(results["estimate"].iloc[0]),
        each=each,
        widest=display_value("method", widest["method"]),
        narrowest=display_value("method", narrowest["method"]),
        narrow_width=number(widths.min()),
    )


def answering_sentence(answering: pd.DataFrame, alpha: float) -> str:
    """What share of the customers file answered a survey, and whether it differs by each segment (rows of
    :func:`cxanalysis.worked.answering_customers`)."""
    total = answering[answering["dimension"] == "all"].iloc[0]
    parts = [
        _(
            "{answered} of the {customers} customers in the customers file ({share}) answered at least one survey."
        ).format(
            answered=number(total["respondents"]),
            customers=number(total["customers"]),
            share=presentation.percent(total["respondents"] / total["customers"]),
        )
    ]
    for dimension, rows in answering[answering["dimension"] != "all"].groupby("dimension", sort=False):
        low, high = rows.loc[rows["share"].idxmin()], rows.loc[rows["share"].idxmax()]
        template = (
            _(
                "By {dimension}, the share answering runs from {low} ({low_level}) to {high} ({high_level}), more "
                "than chance explains ({p}): the answers over-represent some groups."
            )
            if rows["p_value"].iloc[0] < alpha
            else _(
                "By {dimension}, the share answering runs from {low} ({low_level}) to {high} ({high_level}), no "
                "more than chance explains ({p})."
            )
        )
        parts.append(
            template.format(
                dimension=dimension_name(str(dimension)),
                low=presentation.percent(low["share"] / 100),
                low_level=escape_markdown(low["level"]),
                high=presentation.percent(high["share"] / 100),
                high_level=escape_markdown(high["level"]),
                p=p_text(rows["p_value"].iloc[0]),
            )
        )
    return " ".join(parts)


def precision_sentence(half_widths: pd.DataFrame) -> str:
    """How precisely an NPS is known at each number of answers (rows of :func:`cxanalysis.worked.nps_half_widths`)."""
    each = ", ".join(
        _("±{half} points from {n} answers").format(half=number(r.half_width, 1), n=number(r.n))
        for r in half_widths.itertuples()
    )
    first, last = half_widths.iloc[0], half_widths.iloc[-1]
    return _(
        "For an NPS near {estimate}, the 95 % interval is {each}: {times} times the answers make it {narrower} "
        "times narrower, so each halving of the interval takes four times the answers."
    ).format(
        estimate=number(first["estimate"]),
        each=each,
        times=number(last["n"] / first["n"]),
        narrower=number(first["half_width"] / last["half_width"], 1),
    )


def raised_threshold_solution(
    threshold: int, themes_shown: int, themes: int, largest_theme: int, groups_kept: list[str], period: str
) -> str:
    """What raising the comment anonymity threshold leaves of the example comments: per theme, and of the least
    and most satisfied customers (``groups_kept``: the groups that still show theirs)."""
    parts = [
        _(
            "With at least {threshold} comments required, {shown} of the {themes} themes keep their example "
            "comments: the most mentioned theme has {largest} comments in {period}."
        ).format(
            threshold=number(threshold),
            shown=number(themes_shown),
            themes=number(themes),
            largest=number(largest_theme),
            period=period,
        )
    ]
    if themes_shown == 0:
        parts.append(_("In their place the chapter shows this note: “{note}”").format(note=too_few_comments(threshold)))
    if groups_kept:
        parts.append(
            _(
                "Of the least and most satisfied customers, these have that many comments and keep their examples: {groups}."
            ).format(groups=", ".join(escape_markdown(group) for group in groups_kept))
        )
    else:
        parts.append(
            _("Neither the least nor the most satisfied customers have that many comments, so their examples go too.")
        )
    return " ".join(parts)


def redaction_solution(text: str, redacted: str) -> str:
    """What the redaction step makes of one text."""
    labels = re.findall(r"\[[^\]]+\]", redacted)
    return _(
        "The redaction step turns `{text}` into `{redacted}`: {count} replaced by {labels}, and the rest of the "
        "text kept as written."
    ).format(
        text=text,
        redacted=redacted,
        count=plural(len(labels), "match", "matches"),
        labels=", ".join(f"`{label}`" for label in labels),
    )


def new_theme_solution(label: str, mentions: int, comments: int, impacts: list[pd.DataFrame], theme: str) -> str:
    """How many comments a theme added to the taxonomy codes, and what the impact test finds for it."""
    parts = [
        _(
            "The theme {label} codes {mentions} of the {comments} coded comments ({share}) and joins the theme tables."
        ).format(
            label=f"**{escape_markdown(label)}**",
            mentions=number(mentions),
            comments=number(comments),
            share=presentation.percent(mentions / comments if comments else math.nan),
        )
    ]
    for impact in impacts:
        rows = impact[impact["theme"] == theme] if not impact.empty else impact
        if rows.empty:
            continue
        row = next(rows.itertuples())
        parts.append(
            _(
                "In the impact test, the {metric} of the {n} comments mentioning it is {mentioning} against {others} "
                "for all other comments {clause}."
            ).format(
                metric=metric_short(row.metric),
                n=number(row.n_a),
                mentioning=rounded_level(row, "a"),
                others=rounded_level(row, "b"),
                clause=_difference_clause(row),
            )
        )
    if len(parts) == 1:
        parts.append(_("Too few comments mention it for the impact test."))
    return " ".join(parts)


def coverage_gaps_in_words(gaps: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """The coverage gaps of :func:`cxanalysis.touchpoints.coverage_gaps` with each reason in the report
    language, for a sentence (a table translates its own cells)."""
    from .touchpoints import COVERAGE_GAPS

    def reason(gap: str) -> str:
        if gap in COVERAGE_GAPS:
            return _(gap)
        return hidden_group_reason(min_n) if gap == HIDDEN_GROUP.format(min_n=min_n) else gap

    return gaps.assign(coverage_gap=gaps["coverage_gap"].map(reason)) if not gaps.empty else gaps


#: The figures of closing the loop (:func:`cxanalysis.follow_up.follow_up_figures`) as a table names them.
FOLLOW_UP_FIGURES = {
    "follow_up_rate": N_("Follow-up rate: contacted of those due (%)"),
    "median_working_days": N_("Median working days from answer to contact"),
    "recovery_rate": N_("Recovery rate: moved up a group when asked again (%)"),
}


def follow_up_figure_name(figure: str) -> str:
    """A figure of closing the loop in the report language; an unknown one as given."""
    return _(FOLLOW_UP_FIGURES[figure]) if figure in FOLLOW_UP_FIGURES else figure


def follow_up_due_sentence(figures: pd.DataFrame, groups: pd.Series, period: str, service_level_days: int) -> str:
    """How many answers of the period call for a follow-up, of which groups, and how many were due."""
    counts = figures.set_index("figure")["n"]
    listed, due = int(counts["listed"]), int(counts["due"])
    if listed == 0:
        return _("No answer of {period} calls for a follow-up: no detractor and no dissatisfied customer.").format(
            period=period
        )
    text = ngettext(
        "{listed} answer of {period} calls for a follow-up ({detractors} from detractors, {dissatisfied} from "
        "dissatisfied customers).",
        "{listed} answers of {period} call for a follow-up ({detractors} from detractors, {dissatisfied} from "
        "dissatisfied customers).",
        listed,
    ).format(
        listed=number(listed),
        period=period,
        detractors=number(int((groups == "detractor").sum())),
        dissatisfied=number(int((groups == "dissatisfied").sum())),
    )
    as_of = presentation.date(figures["as_of"].iloc[0])
    due_text = ngettext(
        "{due} was due by {date}, {days} working days after the answer; the team owning each touchpoint finds "
        "its customers in the private follow-up list of this build.",
        "{due} were due by {date}, {days} working days after the answer; the team owning each touchpoint finds "
        "its customers in the private follow-up list of this build.",
        due,
    ).format(due=number(due), date=as_of, days=number(service_level_days))
    return f"{text} {due_text}"


def follow_up_reading(figures: pd.DataFrame, service_level_days: int) -> str:
    """The three figures of closing the loop in plain words, each with its interval, the median time to
    contact held against the service level."""
    rows = figures.set_index("figure")
    parts = []
    rate = rows.loc["follow_up_rate"]
    if rate["n"] > 0:
        parts.append(
            _("{rate} % of the customers due were contacted (95 % CI {low} to {high} %, n = {n}).").format(
                rate=number(rate["estimate"]),
                low=number(rate["ci_low"]),
                high=number(rate["ci_high"]),
                n=number(rate["n"]),
            )
        )
    days = rows.loc["median_working_days"]
    if days["n"] > 0:
        if pd.isna(days["ci_high"]):
            verdict = _("too few were contacted to judge it against the service level")
        elif days["ci_high"] <= service_level_days:
            verdict = _("within the service level of {days} working days").format(days=number(service_level_days))
        elif days["ci_low"] > service_level_days:
            verdict = _("slower than the service level of {days} working days").format(days=number(service_level_days))
        else:
            verdict = _("too close to the service level of {days} working days to tell").format(
                days=number(service_level_days)
            )
        parts.append(
            _(
                "Half of them were contacted within {median} working days of their answer "
                "(95 % CI {low} to {high}, n = {n}): {verdict}."
            ).format(
                median=number(days["estimate"], 1 if days["estimate"] % 1 else 0),
                low=number(days["ci_low"]),
                high=number(days["ci_high"]),
                n=number(days["n"]),
                verdict=verdict,
            )
        )
    recovery = rows.loc["recovery_rate"]
    if recovery["n"] > 0:
        parts.append(
            _(
                "Of the {n} asked the question again, {rate} % moved up a group (95 % CI {low} to {high} %): "
                "a detractor who now answers as a passive or promoter, a dissatisfied customer who no longer is."
            ).format(
                n=number(recovery["n"]),
                rate=number(recovery["estimate"]),
                low=number(recovery["ci_low"]),
                high=number(recovery["ci_high"]),
            )
        )
    return " ".join(parts)


def follow_up_log_adds() -> str:
    """What a follow-up log would add to the chapter, in one sentence."""
    return _(
        "A follow-up log (follow_up.log in the config: who was contacted when, whether it was resolved, and the "
        "answer when asked again) would show the follow-up rate, the time it takes to close the loop and how "
        "many customers were won back."
    )


def _columns_named(columns: list[str]) -> str:
    """Dimensions named in a sentence: 'region', 'region and customer type', 'survey, region and channel'."""
    return presentation.name_list([dimension_name(c) for c in columns])


def weighting_line(raking: Raking) -> str:
    """The one line that tells a reader of the measurement chapter that its estimates are weighted, and how."""
    return _(
        "Every estimate is weighted: within each {cells}, the responses are raked to the customer base's shares "
        "of {margins} (the data-quality appendix shows the weights)."
    ).format(cells=_columns_named(raking.by) if raking.by else _("report"), margins=_columns_named(raking.columns))


def weighting_sentence(raking: Raking, pooled: pd.DataFrame) -> str:
    """What raking did: the margin the responses missed most, whether every cell now meets the margins, the
    design effect and effective n of the weights, and the weights trimmed at the cap."""
    gap = (pooled["share_of_responses"] - pooled["population_share"]).abs()
    worst = pooled.loc[gap.idxmax()]
    level = escape_markdown(display_value(str(worst["dimension"]), worst["level"]))
    parts = [
        _(
            "The responses were raked to the population's shares of {margins} within each {cells}. Before weighting "
            "they missed most on {level} ({dimension}): {before} of the responses against {target} of the population."
        ).format(
            margins=_columns_named(raking.columns),
            cells=_columns_named(raking.by) if raking.by else _("report"),
            level=level,
            dimension=dimension_name(str(worst["dimension"])),
            before=presentation.percent(worst["share_of_responses"], 1),
            target=presentation.percent(worst["population_share"], 1),
        )
    ]
    if raking.met:
        parts.append(_("After weighting, every cell matches every population share."))
    else:
        missed = raking.cells[~raking.cells["margins_met"]]
        parts.append(
            _(
                "With weights trimmed at the cap, {cells} still miss a population share by up to {points} "
                "percentage points: raise weighting.cap or merge small levels in the margins."
            ).format(
                cells=plural(len(missed), "cell", "cells"),
                points=number(100 * missed["margin_gap"].max(), 1),
            )
        )
    responses = int(raking.units["responses"].sum())
    parts.append(
        _(
            "Unequal weights cost precision: their design effect is {deff}, so the {responses} count as much as "
            "{effective} equally weighted ones would."
        ).format(
            deff=number(raking.design_effect, 2),
            responses=plural(responses, "response", "responses"),
            effective=number(responses / raking.design_effect),
        )
    )
    cap = presentation.exact(raking.cap)
    if raking.trimmed:
        parts.append(
            ngettext(
                "{n} weight was trimmed to {cap} times the mean weight of its cell.",
                "{n} weights were trimmed to {cap} times the mean weight of their cell.",
                raking.trimmed,
            ).format(n=number(raking.trimmed), cap=cap)
        )
    else:
        parts.append(
            _("No weight reached {cap} times the mean weight of its cell, so none was trimmed.").format(cap=cap)
        )
    return " ".join(parts)


def weighting_missing() -> str:
    """What population margins would add, for a client whose config gives none."""
    return _(
        "The config gives no population margins (weighting), so each response counts with its own weight. With "
        "the customer base's shares of region or customer type (weighting.margins), the book would rake the "
        "responses to them, so that a group that answers less often is not under-represented in any estimate."
    )


# ---- Response rates (:mod:`cxanalysis.response_rates`) and benchmarks (:mod:`cxanalysis.benchmarking`)


def response_rates_adds() -> str:
    """What an invitations file would add to the measurement chapter, in one sentence."""
    return _(
        "An invitations file (invitations in the config: how many customers each channel asked in each period) "
        "would show every channel's response rate, which channel answers less often, and whether those who "
        "answer differ from those asked."
    )


def low_channel_sentence(channels: pd.DataFrame) -> str:
    """The channels whose response rate is clearly lower than the other channels', or that none is."""
    if channels.empty:
        return ""
    low = channels[channels["low_response"]]
    if low.empty:
        return _(
            "No channel's response rate is clearly lower than the other channels' (each channel tested against "
            "the others together, adjusted for the channels compared)."
        )
    several = channels["survey"].nunique() > 1
    sentences = []
    for row in low.itertuples():
        channel = escape_markdown(display_value("channel", row.channel))
        if several:
            channel = f"{escape_markdown(display_value('survey', row.survey))}, {channel}"
        sentences.append(
            _(
                "**{channel}** has a lower response rate than the other channels: {rate} % of those it asked "
                "answered (95 % CI {low} to {high} %), against {others} % for the other channels together "
                "({difference} percentage points, 95 % CI {dlow} to {dhigh}; {p}). Fewer of its customers are "
                "heard: check how that channel invites (timing, length, the link) before its answers are read "
                "as everyone's."
            ).format(
                channel=channel,
                rate=number(row.estimate_a, 1),
                low=number(row.level_ci_low_a, 1),
                high=number(row.level_ci_high_a, 1),
                others=number(row.estimate_b, 1),
                difference=number(row.difference, 1, signed=True),
                dlow=number(row.ci_low, 1, signed=True),
                dhigh=number(row.ci_high, 1, signed=True),
                p=p_reading(row.p_adjusted, adjusted=len(channels) > 1),
            )
        )
    return " ".join(sentences)


def nonresponse_sentence(levels: pd.DataFrame, tests: pd.DataFrame) -> str:
    """Whether those who answer differ from those invited on each known margin (region, ...), naming the
    groups furthest from their invited share."""
    if tests.empty:
        return ""
    parts = []
    for test in tests.itertuples():
        margin = dimension_word(test.margin)
        p = p_reading(test.p_adjusted, adjusted=len(tests) > 1)
        if not test.differs:
            parts.append(
                _(
                    "Those who answer match those invited by {margin} (chi-square test, {p}): no group is "
                    "clearly over- or under-represented."
                ).format(margin=margin, p=p)
            )
            continue
        rows = levels[(levels["margin"] == test.margin) & levels["outside_interval"]]
        gap = (rows["respondent_share"] - rows["invited_share"]).abs()
        groups = "; ".join(
            _(
                "{level}: {respondents} % of those who answer (95 % CI {low} to {high} %), {invited} % of those asked"
            ).format(
                level=escape_markdown(display_value(test.margin, r.level)),
                respondents=number(r.respondent_share, 1),
                low=number(r.share_ci_low, 1),
                high=number(r.share_ci_high, 1),
                invited=number(r.invited_share, 1),
            )
            for r in rows.loc[gap.sort_values(ascending=False).index].head(3).itertuples()
        )
        parts.append(
            _(
                "**Those who answer differ from those asked by {margin}** (chi-square test, {p}): {groups}. "
                "Scores that differ by {margin} lean towards the groups that answer more often; weighting the "
                "answers to the shares of those asked corrects the mix, not the views of customers who never answer."
            ).format(margin=margin, p=p, groups=groups)
        )
    return " ".join(parts)


def outside_periods_sentence(invited: int) -> str:
    """Invitations the response rates leave out, because the report covers none of their periods."""
    if invited == 0:
        return ""
    return _("{count} invitations fall in periods the report does not cover and are left out of the rates.").format(
        count=number(invited)
    )


#: A benchmark comparison's reading (:data:`cxanalysis.benchmarking.READINGS`) in the report language.
BENCHMARK_READINGS = {
    "above": N_("above"),
    "below": N_("below"),
    "too close to tell": N_("too close to tell"),
    "no estimate": N_("no estimate"),
}


def benchmark_reading(reading: str) -> str:
    return _(BENCHMARK_READINGS[reading]) if reading in BENCHMARK_READINGS else reading


def reference_name(row) -> str:
    """A benchmark's source and year as a sentence names it: 'Nordic retail study (fictional), 2024'."""
    from .benchmarking import reference_label

    return escape_markdown(reference_label(row.source, row.year))


def _benchmark_value(value: float, metric: str, decimals: int) -> str:
    return with_unit(number(value, decimals), metric)


def benchmark_sentence(row) -> str:
    """One benchmark: the client's latest score against the reference, with the reading and how the
    reference's uncertainty was counted."""
    values = {"metric": metric_label(row.metric), "source": reference_name(row)}
    if row.reading == "no estimate":
        return _("{metric}: this client has no estimate in the latest period to hold against {source}.").format(
            **values
        )
    d = presentation.decimals_for(row.ci_low, row.ci_high, fallback=max(metric_decimals(row.metric), 1))
    sentence = _(
        "{metric} {estimate} in {period} against {reference} in {source}: **{reading}** ({difference}, 95 % CI "
        "{low} to {high}; {p})."
    ).format(
        **values,
        estimate=_benchmark_value(row.estimate, row.metric, d),
        period=row.period,
        reference=_benchmark_value(row.reference, row.metric, d),
        reading=benchmark_reading(row.reading),
        difference=number(row.difference, d, signed=True),
        low=number(row.difference_ci_low, d, signed=True),
        high=number(row.difference_ci_high, d, signed=True),
        p=p_reading(row.p_adjusted, adjusted=True),
    )
    if row.reference_basis == "fixed":
        sentence += " " + _(
            "The reference is taken as exact: its source gives no n or interval, so only this client's "
            "uncertainty is counted."
        )
    elif row.reference_basis == "n (largest variance)":
        sentence += " " + _(
            "The reference's uncertainty comes from its n at the largest spread its value allows, since the "
            "spread of its answers is not given."
        )
    return sentence


def benchmark_summary_line(table: pd.DataFrame) -> str:
    """The benchmark comparison in one line for the executive summary."""
    compared = table[table["reading"] != "no estimate"]
    if compared.empty:
        return ""
    items = "; ".join(
        _("{metric} {estimate} against {reference} ({source}): {reading}").format(
            metric=metric_label(r.metric),
            estimate=_benchmark_value(r.estimate, r.metric, metric_decimals(r.metric)),
            reference=_benchmark_value(r.reference, r.metric, metric_decimals(r.metric)),
            source=reference_name(r),
            reading=benchmark_reading(r.reading),
        )
        for r in compared.itertuples()
    )
    return _("**Against benchmarks** (chapter 3): {items}.").format(items=items)


def benchmarks_adds() -> str:
    """What benchmarks in the config would add to the measurement chapter, in one sentence."""
    return _(
        "Benchmarks in the config (a reference value per score with its source, and its n or interval when "
        "known) would hold this client's latest scores against the market or a peer group."
    )


def kpi_measures_sentence(measured: pd.DataFrame) -> str:
    """How many KPIs of the scorecard show a value from the book, and which the book does not measure
    (:func:`cxanalysis.kpi_measures.kpi_measures`); '' without KPIs."""
    if measured.empty:
        return ""
    total = len(measured)
    shown = int((measured["status"] == "measured").sum())
    text = ngettext(
        "{shown} of {total} KPI shows its latest value from this book.",
        "{shown} of {total} KPIs show their latest value from this book.",
        total,
    ).format(shown=number(shown), total=number(total))
    unmeasured = sorted(measured.loc[measured["status"] == "no measure", "kpi"])
    if unmeasured:
        text += " " + _(
            "Not measured by this book: {names}. Where the book computes a KPI's figure, name it under the "
            "KPI's measure in the stakeholders file; track the others where their data is kept."
        ).format(names=presentation.name_list(unmeasured))
    return text
