"""The action plan: initiatives for the improvement areas of the earlier chapters, ranked by impact and feasibility."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import presentation
from .compare import responses_needed_each
from .drivers import importance_performance
from .effects import DID_METHOD, TOO_FEW_UNITS, UNLIKELY_CHANCE, action_effects, verdict_label
from .metrics import METRIC_KINDS
from .rules import box_label, top_box_threshold
from .significance import answer_values
from .themes import theme_impact
from .touchpoints import hot_spots, journey_order
from .translation import N_, _
from .words import TO_BE_DEFINED, dimension_word, display_value, metric_short, number, p_text, plain_name, unit_noun

if TYPE_CHECKING:
    from .client import ClientData

FEASIBILITY = {"low": 1.0, "medium": 0.6, "high": 0.3}
#: The rank of a named initiative whose area the evidence does not flag.
NOT_RANKED = N_("not ranked")
#: The rank of a staged roll-out: its effect is not yet told apart from chance, so it is not ranked against
#: areas whose gaps are established; each group it reaches adds to the evidence that would rank it.
TRIAL = N_("trial")
STAGED_ROLL_OUT = N_("staged roll-out of a promising change")
#: The kinds of plan area, as action_plan.csv keeps them (in English; shown translated, :func:`kind_label`).
KINDS = (
    N_("hot-spot touchpoint"),
    N_("strong driver, weak performance"),
    N_("negative comment theme"),
    N_("roll-out of a change that worked"),
    STAGED_ROLL_OUT,
    N_("named in the config"),
)


def kind_label(kind: str) -> str:
    """A plan area's kind in the report language; any other value as given."""
    return _(kind) if kind in KINDS else kind


def rank_label(rank: object) -> object:
    """A plan rank as the book shows it: a number as it is, "not ranked" and "trial" in the report language."""
    return _(rank) if isinstance(rank, str) and rank in (NOT_RANKED, TRIAL) else rank


Z95 = 1.959964
PLAN_COLUMNS = [
    "rank",
    "initiative",
    "area",
    "kind",
    "evidence",
    "target_source",
    "metric_to_watch",
    "current",
    "target",
    "expected_uplift",
    "uplift",
    "uplift_low",
    "uplift_high",
    "cost",
    "n_now",
    "responses_needed",
    "impact",
    "impact_low",
    "impact_high",
    "impact_metric",
    "impact_standardised",
    "effort",
    "feasibility",
    "priority",
    "priority_low",
    "priority_high",
    "owner_id",
    "owner",
    "due",
]


def _share_variance(level):
    """Variance of one answer, scored 0 or 100, when the share is ``level`` percent."""
    return level * (100 - level)


def _goal_target(client: ClientData, metric: str, touchpoint: str, current: float) -> tuple[float, str] | None:
    """The target of the stakeholder register's goal on ``metric`` at ``touchpoint`` (whole touchpoint,
    no segment), when it lies above ``current``; with the sentence saying where it comes from."""
    if client.stakeholders is None:
        return None
    for team in client.stakeholders.teams:
        for goal in team.goals:
            if goal.metric == metric and goal.touchpoint == touchpoint and not goal.segment and goal.target > current:
                return float(goal.target), _("target: {team}'s goal '{goal}' ({target})").format(
                    team=team.name, goal=goal.name, target=number(goal.target, 1)
                )
    return None


def _best_segment(client: ClientData, frame: pd.DataFrame, values: pd.Series, least: int, *, highest: bool):
    """The segment level (of the config's segments) with the highest (or lowest) mean of ``values`` among
    levels with at least ``least`` values: (mean, "region Nord"), or None."""
    best = None
    for segment in client.config.segments:
        if segment not in frame:
            continue
        grouped = values.groupby(frame[segment].astype("string"), observed=True).agg(["mean", "size"])
        grouped = grouped[grouped["size"] >= least]
        if grouped.empty:
            continue
        level = grouped["mean"].idxmax() if highest else grouped["mean"].idxmin()
        value = float(grouped.loc[level, "mean"])
        if best is None or (value > best[0] if highest else value < best[0]):
            best = (value, f"{dimension_word(segment)} {display_value(segment, level)}")
    return best


def hot_spot_actions(client: ClientData) -> list[dict]:
    """Touchpoints significantly below the rest of the journey in the latest period (CSAT).

    Target: the stakeholder register's goal for the touchpoint's CSAT when
    there is one above today's score, else the best touchpoint's CSAT in the
    same period.
    """
    if not (client.has("touchpoint") and client.has("csat")):
        return []
    spots = hot_spots(client, "csat")
    if spots.empty:
        return []
    owners = journey_order(client).set_index("touchpoint")["owner"]
    total = spots["n_a"].sum()
    best = spots.loc[spots["estimate"].idxmax()]
    rows = []
    for spot in spots[spots["below"]].itertuples():
        goal = _goal_target(client, "csat", str(spot.touchpoint), spot.estimate)
        if goal is not None:
            target, source = goal
        else:
            target = float(best["estimate"])
            source = _("target: the best touchpoint in {period}, {touchpoint}").format(
                period=client.latest_period, touchpoint=best["touchpoint"]
            )
        weight = spot.n_a / total
        rows.append(
            {
                "area": str(spot.touchpoint),
                "key": str(spot.touchpoint),
                "kind": "hot-spot touchpoint",
                "evidence": _(
                    "CSAT {score} % against {rest} % elsewhere ({difference} points, 95 % CI {low} to {high}; "
                    "adjusted {p})"
                ).format(
                    score=number(spot.estimate),
                    rest=number(spot.rest),
                    difference=number(spot.difference, 1),
                    low=number(spot.ci_low, 1),
                    high=number(spot.ci_high, 1),
                    p=p_text(spot.p_adjusted),
                ),
                "target_source": source,
                "metric_to_watch": _("CSAT % at {touchpoint}").format(touchpoint=spot.touchpoint),
                "current": spot.estimate,
                "target": target,
                "n_now": int(spot.n_a),
                "impact": -spot.difference * weight,
                "impact_low": -spot.ci_high * weight,
                "impact_high": -spot.ci_low * weight,
                "impact_metric": "csat",
                "owner_id": owners.get(spot.touchpoint, ""),
                "share_metric": True,
            }
        )
    return rows


def driver_actions(client: ClientData, outcome: str | None = None) -> list[dict]:
    """Attributes of above-average importance and below-average performance ("fix first").

    Target: the share rating the attribute in the top boxes in its best
    segment level (of the config's segments, at least the anonymity
    threshold of answers), over the same answers as the current share; when
    no segment does better, the share of the best-rated attribute.
    """
    outcome = outcome or client.overall_score
    attributes = client.attributes
    sample = client.driver_sample(outcome)
    if not sample.estimable:
        return []
    drivers = importance_performance(client.responses, outcome, attributes, scale=client.scales["attributes"])
    top = top_box_threshold(client.scales["attributes"])
    top_boxes = box_label(client.scales["attributes"])
    indicative = sample.small
    outcome_values = answer_values(client.responses, outcome, client.scales)
    rows = []
    for driver in drivers[drivers["quadrant"] == "fix first"].itertuples():
        rating = client.responses[driver.driver]
        good_values, poor_values = outcome_values[rating >= top].dropna(), outcome_values[rating < top].dropna()
        good, poor = good_values.mean(), poor_values.mean()
        gap_se = np.sqrt(good_values.var() / len(good_values) + poor_values.var() / len(poor_values))
        latest = client.responses[client.responses["period"] == client.latest_period][driver.driver].dropna()
        answered = rating.notna()
        best = _best_segment(
            client, client.responses[answered], 100.0 * (rating[answered] >= top), client.min_n, highest=True
        )
        strongest = drivers.loc[drivers["performance"].idxmax()]
        if best is not None and best[0] > driver.performance:
            target, source = best[0], _("target: the best segment, {segment}").format(segment=best[1])
        else:  # no segment does better: what the best-rated attribute already reaches
            target = float(strongest["performance"])
            source = _("target: the best-rated attribute, {attribute}").format(
                attribute=plain_name(strongest["driver"]).lower()
            )
        facts = {
            "share": number(driver.share),
            "score": metric_short(outcome),
            "performance": number(driver.performance),
            "boxes": top_boxes,
            "good": number(good),
            "poor": number(poor),
            "complete": sample.complete,
        }
        factor = (1 - driver.performance / 100) * driver.share / 100
        rows.append(
            {
                "area": plain_name(driver.driver),
                "key": driver.driver,
                "kind": "strong driver, weak performance",
                "evidence": (
                    _(
                        "{share} % of the explained {score}; {performance} % rate it {boxes}; {score} {good} among "
                        "those against {poor} among the rest (indicative: {complete} complete answers)"
                    )
                    if indicative
                    else _(
                        "{share} % of the explained {score}; {performance} % rate it {boxes}; {score} {good} among "
                        "those against {poor} among the rest"
                    )
                ).format(**facts),
                "target_source": source,
                "metric_to_watch": _("% rating {attribute} {boxes}").format(
                    attribute=plain_name(driver.driver).lower(), boxes=top_boxes
                ),
                "current": driver.performance,
                "target": target,
                "n_now": len(latest),
                "impact": (good - poor) * factor,
                "impact_low": (good - poor - Z95 * gap_se) * factor,
                "impact_high": (good - poor + Z95 * gap_se) * factor,
                "impact_metric": outcome,
                "share_metric": True,
            }
        )
    return rows


def theme_actions(client: ClientData, outcome: str | None = None) -> list[dict]:
    """Themes whose comments go with a clearly lower score than the other comments, still mentioned lately.

    Target: the share of comments mentioning the theme in the segment level
    that mentions it least in the latest period (at least the anonymity
    threshold of comments); else its lowest share in any period; else none.
    """
    outcome = outcome or client.overall_score
    if not client.has("comment") or not client.has(outcome):
        return []
    coded = client.coded_comments
    impact = theme_impact(
        client.responses,
        coded,
        client.taxonomy,
        outcome,
        min_n=client.min_n,
        scales=client.scales,
        adjust=client.config.significance.adjust,
    )
    if impact.empty:
        return []
    answered = client.responses[METRIC_KINDS[outcome][0]].notna().sum()
    latest = client.responses.loc[coded.index, "period"] == client.latest_period
    latest_frame = client.responses.loc[coded.index[latest.to_numpy()]]
    rows = []
    for theme in impact[
        (impact["p_adjusted"] < client.config.significance.alpha) & (impact["difference"] < 0)
    ].itertuples():
        mentions = coded[theme.theme]
        if not mentions[latest].any():
            continue  # nobody mentions it in the latest period: nothing left to reduce
        current = 100 * mentions[latest].mean()
        best = _best_segment(
            client,
            latest_frame,
            100.0 * mentions[latest].astype(float),
            client.config.anonymity.min_comments,
            highest=False,
        )
        periods = client.responses.loc[coded.index, "period"]
        by_period = (100 * mentions.astype(float)).groupby(periods.astype("string")).agg(["mean", "size"])
        by_period = by_period[by_period["size"] >= client.config.anonymity.min_comments]
        if best is not None and best[0] < current:
            target, source = best[0], _("target: the segment that mentions it least, {segment}").format(segment=best[1])
        elif not by_period.empty and by_period["mean"].min() < current:  # its lowest share in an earlier period
            target = float(by_period["mean"].min())
            source = _("target: its share in {period}, the lowest of the periods").format(
                period=by_period["mean"].idxmin()
            )
        else:
            target, source = np.nan, _("no segment or period does better: no target from the data")
        weight = theme.n_a / answered
        rows.append(
            {
                "area": theme.label,
                "key": theme.theme,
                "area_label": client.taxonomy[theme.theme].label if theme.theme in client.taxonomy else "",
                "kind": "negative comment theme",
                "evidence": _(
                    "{score} {on_theme} in {comments} comments on it against {others} in other comments "
                    "({difference}, 95 % CI {low} to {high}; adjusted {p})"
                ).format(
                    score=metric_short(outcome),
                    on_theme=number(theme.estimate_a),
                    comments=number(theme.n_a),
                    others=number(theme.estimate_b),
                    difference=number(theme.difference, 1),
                    low=number(theme.ci_low, 1),
                    high=number(theme.ci_high, 1),
                    p=p_text(theme.p_adjusted),
                ),
                "target_source": source,
                "metric_to_watch": _("% of comments mentioning {theme}").format(theme=theme.label.lower()),
                "current": current,
                "target": target,
                "n_now": int(latest.sum()),
                "impact": -theme.difference * weight,
                "impact_low": -theme.ci_high * weight,
                "impact_high": -theme.ci_low * weight,
                "impact_metric": outcome,
                "share_metric": True,
            }
        )
    return rows


def _signed(value: float) -> str:
    """A change with its sign, to one decimal: +22.9, −3.1."""
    return ("+" if value > 0 else "") + number(value, 1)


def _signed_rounded(effect: pd.Series) -> str:
    """A measured effect alone, signed and rounded as its interval allows ('+23')."""
    d = presentation.decimals_for(effect["ci_low"], effect["ci_high"], fallback=1)
    return number(effect["effect"], d, signed=True)


def _and_list(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return _("{names} and {last}").format(names=", ".join(items[:-1]), last=items[-1])


def roll_out_actions(client: ClientData, changes: pd.DataFrame | None = None) -> list[dict]:
    """Logged changes that worked where they were made, proposed for the groups that did not get them.

    A change qualifies when difference-in-differences (:func:`cxanalysis.effects.action_effects`)
    gives it a positive effect on a metric (CSAT when it was judged on CSAT, else its first metric)
    and either the verdict "unlikely to be chance" (a roll-out) or "too few comparison groups to
    tell" (a staged roll-out, one group at a time, so that each group adds to the evidence: the
    effect is promising but not established). "Could be chance" is not proposed. The expected
    uplift is the measured effect with its interval; the target is the stakeholder register's goal
    for the metric at the touchpoint when there is one above today's score of the groups still
    without the change, else that score plus the measured effect. The impact weights the effect
    by the share of the latest period's touchpoint answers that come from those groups.
    """
    if not client.config.action_log:
        return []
    changes = action_effects(client) if changes is None else changes
    usable = changes[
        (changes["method"] == DID_METHOD)
        & (changes["effect"] > 0)
        & changes["verdict"].isin([UNLIKELY_CHANCE, TOO_FEW_UNITS])
    ]
    latest = client.responses[client.responses["period"] == client.latest_period]
    rows = []
    for logged in client.config.action_log:
        mine = usable[usable["action"] == logged.action]
        if mine.empty or not logged.treated:
            continue
        row = mine[mine["metric"] == "csat"].iloc[0] if (mine["metric"] == "csat").any() else mine.iloc[0]
        metric = str(row["metric"])
        here = latest if logged.touchpoint is None else latest[latest["touchpoint"] == logged.touchpoint]
        treated = pd.Series(True, index=here.index)
        for column, levels in logged.treated.items():
            treated &= here[column].astype("string").isin(levels).fillna(False)
        others = here[~treated & here[list(logged.treated)].notna().all(axis=1)]
        values = answer_values(others, metric, client.scales).dropna()
        if len(values) < client.min_n:
            continue
        groups = sorted(
            {str(v) for column in logged.treated for v in others[column].dropna().astype("string").unique()}
        )
        current = float(values.mean())
        where = logged.touchpoint or _("all touchpoints")
        goal = _goal_target(client, metric, logged.touchpoint, current) if logged.touchpoint else None
        share_metric = METRIC_KINDS[metric][1] == "share"
        if goal is not None:
            target, source = goal
        else:
            target = current + float(row["effect"])
            target = min(target, 100.0) if share_metric else target
            source = _("target: today's score plus the effect measured in {groups}").format(
                groups=row["treated"].split(": ")[-1]
            )
        everyone = answer_values(latest[latest["touchpoint"].notna()], metric, client.scales).notna().sum()
        weight = len(values) / everyone if logged.touchpoint else 1.0
        proven = row["verdict"] == UNLIKELY_CHANCE
        treated_text = row["treated"].split(": ")[-1]
        effect = presentation.estimate(row["effect"], row["ci_low"], row["ci_high"], signed=True)
        facts = {
            "action": logged.action,
            "groups": _and_list(groups),
            "score": metric_short(metric),
            "effect": effect,
            "treated": treated_text,
            "units": unit_noun(row["unit"], int(row["units"])),
            "since": presentation.date(row["start"]),
            "verdict": verdict_label(row["verdict"]),
            "count": number(row["units"]),
            "p": number(row["min_attainable_p"], 2) if "min_attainable_p" in row else "",
        }
        rows.append(
            {
                "area": where,
                "key": logged.action,
                "kind": "roll-out of a change that worked" if proven else STAGED_ROLL_OUT,
                "initiative": (
                    _("Roll out '{action}' to {groups}")
                    if proven
                    else _("Roll out '{action}' to {groups}, one at a time, measuring each")
                ).format(**facts),
                "evidence": (
                    _(
                        "{score} {effect} points in {treated} against the other {units} since {since} "
                        "(difference-in-differences, with its 95 % CI; {verdict})"
                    )
                    if proven
                    else _(
                        "{score} {effect} points in {treated} against the other {units} since {since} "
                        "(difference-in-differences, with its 95 % CI; {verdict}: with {count} {units} p can be no "
                        "smaller than {p})"
                    )
                ).format(**facts),
                "target_source": source,
                "metric_to_watch": _("{score} at {where} in {groups}").format(**facts, where=where),
                "current": current,
                "target": target,
                "uplift": float(row["effect"]),
                "uplift_low": float(row["ci_low"]),
                "uplift_high": float(row["ci_high"]),
                "expected_uplift": (
                    _("{effect}, measured in {treated}").format(**facts)
                    if proven
                    else _("{effect} in {treated}, not yet established").format(
                        effect=_signed_rounded(row), treated=treated_text
                    )
                ),
                "n_now": len(values),
                "impact": float(row["effect"]) * weight,
                "impact_low": float(row["ci_low"]) * weight,
                "impact_high": float(row["ci_high"]) * weight,
                "impact_metric": metric,
                "owner_id": _journey_owner(client, logged.touchpoint),
                "share_metric": share_metric,
                "rolled_out": True,
            }
        )
    return rows


def _journey_owner(client: ClientData, touchpoint: str | None) -> str:
    if touchpoint is None or client.journey is None:
        return ""
    return str(journey_order(client).set_index("touchpoint")["owner"].get(touchpoint, "") or "")


def tied_ranks(priority: pd.Series, low: pd.Series, high: pd.Series) -> list[str]:
    """Ranks of priorities sorted from the highest, with areas that cannot be told apart sharing a rank.

    Going down the sorted list, an area joins the group of the area heading it
    when its priority interval reaches the head's (its upper end at or above
    the head's lower end); otherwise it heads a new group, ranked by its
    position (competition ranking: 1=, 1=, 3). Shared ranks read "1=".
    Missing priorities are not ranked.

    Examples
    --------
    >>> tied_ranks(pd.Series([0.11, 0.10, 0.04, 0.02]), pd.Series([0.08, 0.07, 0.03, 0.01]),
    ...            pd.Series([0.14, 0.13, 0.05, 0.035]))
    ['1=', '1=', '3=', '3=']
    """
    ranks: list[int | None] = []
    head = None
    for i, (p, hi) in enumerate(zip(priority, high)):
        if pd.isna(p):
            ranks.append(None)
            continue
        if head is None or hi < low.iloc[head]:
            head = i
        ranks.append(head + 1)
    counts = pd.Series([r for r in ranks if r is not None]).value_counts()
    return [NOT_RANKED if r is None else f"{r}=" if counts[r] > 1 else str(r) for r in ranks]


def _matches(initiative_area: str, area: str, key: str, label: str = "") -> bool:
    """Whether the config's initiative names this area: by its name as shown, its id, or its English label."""
    wanted = initiative_area.strip().casefold()
    return wanted in (area.casefold(), key.casefold(), label.casefold() or area.casefold())


def action_plan(client: ClientData, changes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Initiatives for the hot spots, drivers and comment themes, and roll-outs of changes that worked,
    ranked by impact x feasibility with their uncertainty.

    ``impact`` is the number of points of a score at stake (``impact_metric``): for a
    hot spot, its gap to the rest of the journey weighted by its share of the
    journey's answers (CSAT points); for a driver, the NPS gap between
    customers rating it in the top boxes and the rest, times the share rating it lower,
    times its share of explained variance; for a theme, its NPS gap times
    the share of NPS answers whose comment mentions it; for a roll-out
    (:func:`roll_out_actions`), the measured effect times the share of the
    touchpoint's answers still without it. CSAT points and NPS
    points are not the same size, so ``impact_standardised`` divides each
    impact by the standard deviation of one answer on its metric in the
    latest period (an effect size), and the priority ranks on that common
    scale. ``feasibility`` is 1, 0.6 or 0.3 for low, medium or high effort
    (``action_plan.effort`` in the config; medium when not given).

    ``impact_low`` and ``impact_high`` carry the 95 % interval of the gap
    each impact rests on (the hot spot's or theme's difference, the driver's
    NPS gap, the roll-out's effect) through the same factors, and so do
    ``priority_low`` and ``priority_high``; other inputs (a driver's share
    of explained variance) are taken as given, so these intervals are if
    anything too narrow. Areas whose priority intervals overlap that of the
    area heading their group share its rank (:func:`tied_ranks`): "1=". A
    staged roll-out (a change not yet told apart from chance) is not ranked
    against them: its rank reads "trial", after the ranked areas, and its
    expected uplift says the effect is not yet established.

    Each area takes the initiatives the config names for it
    (``action_plan.initiatives``, matched on the area's label or id; one row
    each, sharing the area's priority), or reads "initiative to be defined".
    Named initiatives whose area the evidence does not flag come last,
    "not ranked". ``target`` and ``target_source``: see each kind's function;
    ``expected_uplift`` is the initiative's own estimate (config, "estimated") or
    a roll-out's measured effect. ``owner`` is the team name (stakeholders
    file, else the team id in words) of the initiative's owner, else the
    area's (journey for touchpoints, ``action_plan.owners`` for attributes
    and themes), else empty: :func:`missing_owners` tells the consultant. ``due`` is the initiative's ``due_months`` (else the
    config's ``action_plan.due_months``) after the end of the latest period.
    ``responses_needed`` is the number of answers a period before and a period
    after each need to show the move from current to target as significant
    (the client's significance level, 80 % power; shares only);
    ``n_now`` is what the latest period has.
    """
    settings = client.config.action_plan
    areas = pd.DataFrame(
        hot_spot_actions(client) + driver_actions(client) + theme_actions(client) + roll_out_actions(client, changes)
    )
    rows: list[dict] = []
    used: set[int] = set()
    for area in areas.to_dict("records"):
        if area.get("rolled_out") is True:
            rows.append(area)
            continue
        named = [
            (i, x)
            for i, x in enumerate(settings.initiatives)
            if _matches(x.area, str(area["area"]), str(area["key"]), _text(area.get("area_label")))
        ]
        used.update(i for i, _ in named)
        rows.extend(_with_initiative(area, x) for _, x in named)
        if not named:
            rows.append(area | {"initiative": TO_BE_DEFINED})
    for i, x in enumerate(settings.initiatives):
        if i not in used:
            rows.append(
                _with_initiative(
                    {
                        "area": x.area,
                        "key": x.area,
                        "kind": "named in the config",
                        "evidence": _("not among the areas the evidence in this book flags"),
                        "target_source": "",
                        "metric_to_watch": "",
                        "current": np.nan,
                        "target": np.nan,
                        "n_now": 0,
                        "impact": np.nan,
                        "impact_low": np.nan,
                        "impact_high": np.nan,
                        "impact_metric": "",
                        "share_metric": False,
                    },
                    x,
                )
            )
    if not rows:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    plan = pd.DataFrame(rows).reindex(columns=sorted(set(PLAN_COLUMNS) | {"key", "share_metric", "due_months"}))
    teams = {t.id: t.name for t in client.stakeholders.teams} if client.stakeholders is not None else {}
    owner_ids = plan["owner_id"].astype(object).fillna("").astype(str)
    from_config = (
        plan["key"]
        .astype(str)
        .map(settings.owners)
        .fillna(plan["area"].astype(str).str.casefold().map(settings.owners))
    )
    plan["owner_id"] = owner_ids.mask(owner_ids == "", from_config).fillna("")
    plan["owner"] = plan["owner_id"].map(lambda team: teams.get(team, plain_name(team)) if team else "")
    plan["effort"] = [
        settings.effort.get(area, settings.effort.get(key, "medium")) for area, key in zip(plan["area"], plan["key"])
    ]
    plan["feasibility"] = plan["effort"].map(FEASIBILITY)
    latest = client.responses[client.responses["period"] == client.latest_period]
    metrics = [m for m in plan["impact_metric"].dropna().unique() if m]
    spread = {m: answer_values(latest, m, client.scales).std() for m in metrics}
    for column in ("impact", "impact_low", "impact_high"):
        plan[column] = pd.to_numeric(plan[column], errors="coerce")
    scale = plan["impact_metric"].map(spread).astype(float)
    plan["impact_standardised"] = plan["impact"] / scale
    plan["priority"] = plan["impact_standardised"] * plan["feasibility"]
    plan["priority_low"] = plan["impact_low"] / scale * plan["feasibility"]
    plan["priority_high"] = plan["impact_high"] / scale * plan["feasibility"]
    current, target = plan["current"].astype(float), plan["target"].astype(float)
    needed = responses_needed_each(
        _share_variance(target), _share_variance(current), (target - current).abs(), alpha=client.alpha
    )
    needed = np.where(plan["share_metric"].fillna(False).astype(bool), needed, np.nan)
    plan["responses_needed"] = pd.array(needed, dtype="Float64").round().astype("Int64")
    end = pd.Period(client.latest_period).end_time.normalize()
    months = plan["due_months"].fillna(settings.due_months).astype(int)
    plan["due"] = [(end + pd.DateOffset(months=m)).date() for m in months]
    plan["initiative"] = plan["initiative"].fillna(TO_BE_DEFINED)
    plan["expected_uplift"] = plan["expected_uplift"].astype(object).where(plan["expected_uplift"].notna(), "")
    trial = plan["kind"] == STAGED_ROLL_OUT
    ranked = plan[~trial].sort_values("priority", ascending=False, ignore_index=True, na_position="last", kind="stable")
    ranked["rank"] = tied_ranks(ranked["priority"], ranked["priority_low"], ranked["priority_high"])
    staged = plan[trial].sort_values("priority", ascending=False, kind="stable").assign(rank=TRIAL)
    named_only = ranked["rank"] == NOT_RANKED
    plan = pd.concat([ranked[~named_only], staged, ranked[named_only]], ignore_index=True)
    return plan[PLAN_COLUMNS]


def _with_initiative(area: dict, initiative) -> dict:
    """An area's row for one initiative the config names for it."""
    row = area | {"initiative": initiative.initiative, "cost": initiative.cost, "due_months": initiative.due_months}
    if initiative.owner:
        row["owner_id"] = initiative.owner
    if initiative.expected_uplift is not None:
        row["uplift"] = initiative.expected_uplift
        row["expected_uplift"] = _("{uplift}, estimated").format(uplift=_signed(initiative.expected_uplift))
    return row


def missing_owners(plan: pd.DataFrame) -> list[str]:
    """One warning per area of the plan that no team owns, naming the config key to set."""
    lines = []
    for row in plan[plan["owner"] == ""].drop_duplicates("area").itertuples():
        where = (
            "or the touchpoint's owner in the journey file"
            if row.kind == "hot-spot touchpoint"
            else "or an owner on its initiative"
        )
        lines.append(
            f"action plan area '{row.area}' ({row.kind}) has no owner: set a team id for it under "
            f"action_plan.owners (e.g. '{str(row.area).casefold()}: <team id>'), {where}"
        )
    return lines


def _text(value: object) -> str:
    """A cell as text: '' when it is missing."""
    return value if isinstance(value, str) else ""
