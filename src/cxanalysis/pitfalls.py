"""Pitfalls of reading survey scores, computed on a client's own data for the teaching edition.

Four traps a reader of a customer-experience report falls into: a rebound
after a period picked for being low (regression to the mean), a change of
the overall score that comes from the mix of customers rather than from
any segment (Simpson's paradox), small segments with wide intervals, and
NPS's own weaknesses. Each function returns the numbers a trainer shows;
the sentences around them are messages, so they read in every report
language.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import presentation
from .rules import DETRACTOR_TO, PROMOTER_FROM
from .translation import _

if TYPE_CHECKING:
    from .client import ClientData

#: The seed of :func:`worst_segment_next_period`'s simulation, so the page shows the same numbers every build.
SIMULATION_SEED = 20251231
#: A constructed example of Simpson's paradox: two segments, both better in the second period, while the
#: share of answers moves to the weaker one (shares and CSAT in %).
CONSTRUCTED_MIX = pd.DataFrame(
    {
        "level": ["store", "support"],
        "share_b": [80.0, 20.0],
        "estimate_b": [90.0, 60.0],
        "share_a": [40.0, 60.0],
        "estimate_a": [92.0, 62.0],
    }
)


def mix_decomposition(
    levels: pd.Series | list,
    share_b: pd.Series | list,
    estimate_b: pd.Series | list,
    share_a: pd.Series | list,
    estimate_a: pd.Series | list,
) -> pd.DataFrame:
    """The change of an overall score between two periods, split into change within segments and change of mix.

    Parameters
    ----------
    levels : sequence
        The segments, each present in both periods.
    share_b, share_a : sequence of float
        Each segment's share of the answers (or of the weights) in the
        earlier (b) and the later (a) period; rescaled to add up to 1.
    estimate_b, estimate_a : sequence of float
        Each segment's score in the two periods (a share in %, an NPS, a mean).

    Returns
    -------
    DataFrame
        One row per segment: ``level``, ``share_b``, ``share_a`` (in %),
        ``estimate_b``, ``estimate_a``, ``within`` and ``mix``: the
        segment's part of each component, in the score's unit.

    Notes
    -----
    An overall score that is a (weighted) mean over answers is the
    share-weighted mean of its segments' scores, Y = Σ sₖ yₖ. Its change
    splits exactly and symmetrically (Kitagawa 1955):

    Yₐ − Y_b = Σ s̄ₖ (yₐₖ − y_bₖ) + Σ ȳₖ (sₐₖ − s_bₖ),

    with s̄ₖ and ȳₖ the averages of the two periods. The first sum is the
    change **within** segments (what the overall score would have done with
    the mix held at its average); the second the change of **mix** (what
    moving answers between segments of different levels did on its own).
    When they have opposite signs the overall score can fall while every
    segment rises: Simpson's paradox.

    References
    ----------
    Kitagawa, E. M. (1955). Components of a difference between two rates.
    Journal of the American Statistical Association, 50(272), 1168-1194.

    Examples
    --------
    Both segments rise 2 points, yet the overall score falls 10: the mix moved to the weaker segment.

    >>> parts = mix_decomposition(["store", "support"], [0.8, 0.2], [90, 60], [0.4, 0.6], [92, 62])
    >>> totals = decomposition_totals(parts)
    >>> [float(round(totals[k], 6)) for k in ("overall_b", "overall_a", "change", "within", "mix")]
    [84.0, 74.0, -10.0, 2.0, -12.0]
    """
    s_b, s_a = np.asarray(share_b, dtype=float), np.asarray(share_a, dtype=float)
    s_b, s_a = s_b / s_b.sum(), s_a / s_a.sum()
    y_b, y_a = np.asarray(estimate_b, dtype=float), np.asarray(estimate_a, dtype=float)
    return pd.DataFrame(
        {
            "level": list(levels),
            "share_b": 100 * s_b,
            "share_a": 100 * s_a,
            "estimate_b": y_b,
            "estimate_a": y_a,
            "within": (s_a + s_b) / 2 * (y_a - y_b),
            "mix": (y_a + y_b) / 2 * (s_a - s_b),
        }
    )


def decomposition_totals(parts: pd.DataFrame) -> pd.Series:
    """The overall score in each period, its change and the two components, from :func:`mix_decomposition`."""
    overall_b = float((parts["share_b"] * parts["estimate_b"]).sum() / 100)
    overall_a = float((parts["share_a"] * parts["estimate_a"]).sum() / 100)
    return pd.Series(
        {
            "overall_b": overall_b,
            "overall_a": overall_a,
            "change": overall_a - overall_b,
            "within": float(parts["within"].sum()),
            "mix": float(parts["mix"].sum()),
        }
    )


def constructed_mix() -> pd.DataFrame:
    """:data:`CONSTRUCTED_MIX` decomposed, its segments named in the report language."""
    names = {"store": _("Store"), "support": _("Support centre")}
    data = CONSTRUCTED_MIX
    return mix_decomposition(
        data["level"].map(names), data["share_b"], data["estimate_b"], data["share_a"], data["estimate_a"]
    )


def segment_mix_changes(client: ClientData, metric: str) -> pd.DataFrame:
    """:func:`mix_decomposition` of a score's change for each reporting breakdown and each pair of
    consecutive periods.

    Each breakdown's segments are its levels with a shown (not suppressed)
    score in both periods; shares are the segments' sums of weights among
    the answers to the score. The overall score decomposed is the
    share-weighted mean of those segments (equal to the score over all
    answers when every answer has a segment and none is hidden).

    Returns
    -------
    DataFrame
        One row per breakdown and pair of periods: ``dimension``,
        ``baseline``, ``current``, ``segments``, and the columns of
        :func:`decomposition_totals`; sorted by the size of ``mix``, largest first.
    """
    from .measurement import reporting_dimensions

    answered = client.responses[client.responses[metric].notna()]
    periods = client.periods
    rows = []
    for dimension in reporting_dimensions(client):
        summary = client.summarise(metric, ["period", dimension]).set_index(["period", dimension])
        weights = answered.groupby(["period", dimension], observed=True)["weight"].sum()
        for before, after in pairwise(periods):
            if before not in summary.index.get_level_values(0) or after not in summary.index.get_level_values(0):
                continue
            b, a = summary.loc[before], summary.loc[after]
            shown = b.index[b["estimate"].notna()].intersection(a.index[a["estimate"].notna()])
            if len(shown) < 2:
                continue
            parts = mix_decomposition(
                list(shown),
                weights.loc[before].reindex(shown).to_numpy(),
                b.loc[shown, "estimate"],
                weights.loc[after].reindex(shown).to_numpy(),
                a.loc[shown, "estimate"],
            )
            rows.append(
                {"dimension": dimension, "baseline": before, "current": after, "segments": len(shown)}
                | decomposition_totals(parts).to_dict()
            )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    return table.iloc[table["mix"].abs().argsort()[::-1]].reset_index(drop=True)


def segment_mix(client: ClientData, metric: str, dimension: str, before: str, after: str) -> pd.DataFrame:
    """The per-segment rows of :func:`mix_decomposition` behind one row of :func:`segment_mix_changes`."""
    answered = client.responses[client.responses[metric].notna()]
    summary = client.summarise(metric, ["period", dimension]).set_index(["period", dimension])
    weights = answered.groupby(["period", dimension], observed=True)["weight"].sum()
    b, a = summary.loc[before], summary.loc[after]
    shown = b.index[b["estimate"].notna()].intersection(a.index[a["estimate"].notna()])
    return mix_decomposition(
        list(shown),
        weights.loc[before].reindex(shown).to_numpy(),
        b.loc[shown, "estimate"],
        weights.loc[after].reindex(shown).to_numpy(),
        a.loc[shown, "estimate"],
    )


def worst_segment_next_period(
    segments: int, answers: int, share: float, draws: int = 20_000, seed: int = SIMULATION_SEED
) -> pd.Series:
    """Regression to the mean, simulated: the worst of several stable segments "improves" next period.

    ``segments`` segments, each with ``answers`` answers a period and the
    same true share satisfied ``share`` (0 to 1) in every period: nothing
    changes. In each of ``draws`` simulated years the segment with the
    lowest share in the first period is picked, as a report picks its
    worst performer, and its share in the next period is read.

    Returns
    -------
    Series
        ``segments``, ``answers``, ``true_share``, ``worst_now`` (its mean
        share when picked), ``worst_next`` (its mean share a period later),
        ``change`` (their difference, in percentage points) and
        ``improved`` (the % of draws in which the picked segment's share
        rose) and ``draws``; shares in %.

    Examples
    --------
    >>> result = worst_segment_next_period(8, 100, 0.7, draws=4000)
    >>> bool(result["worst_now"] < 70 < result["worst_next"] + 1), bool(result["change"] > 3)
    (True, True)
    """
    rng = np.random.default_rng(seed)
    shares = rng.binomial(answers, share, size=(draws, 2, segments)) / answers
    worst = shares[:, 0, :].argmin(axis=1)
    now = shares[np.arange(draws), 0, worst]
    following = shares[np.arange(draws), 1, worst]
    return pd.Series(
        {
            "segments": segments,
            "answers": answers,
            "true_share": 100 * share,
            "worst_now": 100 * now.mean(),
            "worst_next": 100 * following.mean(),
            "change": 100 * (following - now).mean(),
            "improved": 100 * (following > now).mean(),
            "draws": draws,
        }
    )


def simulation_inputs(
    client: ClientData, metric: str = "csat", dimension: str = "touchpoint"
) -> tuple[int, int, float]:
    """The sample's own sizes for :func:`worst_segment_next_period`: its number of ``dimension`` segments
    with the score, their median answers a period, and the score's share over all answers (0 to 1)."""
    counts = client.summarise(metric, ["period", dimension])
    counts = counts[counts["estimate"].notna()]
    segments = int(counts.groupby("period", observed=True)[dimension].nunique().median())
    answers = int(counts["n"].median())
    share = float(client.summarise(metric)["estimate"].iloc[0]) / 100
    return segments, answers, share


def many_tests(tests: int, alpha: float) -> pd.Series:
    """How many false alarms ``tests`` unadjusted tests at ``alpha`` raise when nothing differs: the expected
    number (m α) and the chance of at least one, 1 − (1 − α)^m for independent tests (in %)."""
    return pd.Series({"tests": tests, "expected": tests * alpha, "at_least_one": 100 * (1 - (1 - alpha) ** tests)})


def nps_mixes(answers: pd.Series) -> pd.DataFrame:
    """NPS's weaknesses on a set of 0-10 answers: the same NPS from another mix, and other cut-offs.

    Rows (``mix``): the answers as measured; the same promoters minus
    detractors with the passives split evenly between them; promoters from
    one point lower (8 to 10); detractors up to one point lower (0 to 5).
    Columns: ``promoters``, ``passives``, ``detractors`` (in %), ``nps``,
    ``sd`` (the standard deviation of one answer on the −100/0/+100 scale,
    100 √(p + d − (p − d)²)) and ``se`` (sd / √n at the answers' n).
    """
    values = pd.Series(answers, dtype=float).dropna()
    n = len(values)
    p, d = float((values >= PROMOTER_FROM).mean()), float((values <= DETRACTOR_TO).mean())
    passive = 1 - p - d
    mixes = {
        "measured": (p, d),
        "no_passives": (p + passive / 2, d + passive / 2),
        "promoters_from_lower": (float((values >= PROMOTER_FROM - 1).mean()), d),
        "detractors_to_lower": (p, float((values <= DETRACTOR_TO - 1).mean())),
    }
    frame = pd.DataFrame(mixes, index=["p", "d"]).T
    sd = 100 * np.sqrt(frame["p"] + frame["d"] - (frame["p"] - frame["d"]) ** 2)
    return pd.DataFrame(
        {
            "mix": frame.index,
            "promoters": 100 * frame["p"].to_numpy(),
            "passives": 100 * (1 - frame["p"] - frame["d"]).to_numpy(),
            "detractors": 100 * frame["d"].to_numpy(),
            "nps": 100 * (frame["p"] - frame["d"]).to_numpy(),
            "sd": sd.to_numpy(),
            "se": (sd / np.sqrt(n)).to_numpy(),
            "n": n,
        }
    )


def nps_mix_label(mix: str) -> str:
    """A row of :func:`nps_mixes` in the report language."""
    labels = {
        "measured": _("The answers as measured"),
        "no_passives": _("The same NPS with the passives split between promoters and detractors"),
        "promoters_from_lower": _("Promoters from {low} instead of {usual}").format(
            low=presentation.number(PROMOTER_FROM - 1), usual=presentation.number(PROMOTER_FROM)
        ),
        "detractors_to_lower": _("Detractors up to {low} instead of {usual}").format(
            low=presentation.number(DETRACTOR_TO - 1), usual=presentation.number(DETRACTOR_TO)
        ),
    }
    return labels.get(mix, mix)


def period_limits(client: ClientData, metric: str) -> pd.DataFrame:
    """A score by period with its 95 % interval and the limits the other periods set
    (:func:`cxanalysis.monitoring.period_chart`): ``period``, ``n``, ``estimate``, ``ci_low``, ``ci_high``,
    ``centre``, ``lower_limit``, ``upper_limit`` and ``signal``."""
    from .monitoring import period_chart

    summary = client.summarise(metric, ["period"])
    chart = period_chart(summary, client.periods)
    intervals = summary.set_index("period")[["ci_low", "ci_high"]].reindex(chart["period"]).to_numpy()
    return chart.assign(ci_low=intervals[:, 0], ci_high=intervals[:, 1])[
        ["period", "n", "estimate", "ci_low", "ci_high", "centre", "lower_limit", "upper_limit", "signal"]
    ]


def _level(metric: str, value: float, d: int = 1) -> str:
    """A score's level as prose: '68.1 %' for a share, '14.0' for NPS."""
    from .words import with_unit

    return with_unit(presentation.number(value, d), metric)


def _range(metric: str, low: float, high: float, d: int = 1) -> str:
    """An interval of a change with its unit: '+2.5 to +10.7 percentage points'."""
    from .words import metric_unit

    text = _("{low} to {high}").format(
        low=presentation.number(low, d, signed=True), high=presentation.number(high, d, signed=True)
    )
    return f"{text} {metric_unit(metric)}".rstrip()


def _points(metric: str, value: float, d: int = 1, *, signed: bool = True) -> str:
    """A change of a score with its unit: '+6.6 percentage points', '−7.0 points'."""
    from .words import metric_unit

    return f"{presentation.number(value, d, signed=signed)} {metric_unit(metric)}".rstrip()


def dip_reading(limits: pd.DataFrame, metric: str) -> str:
    """The first period below its limits and the one after it, from :func:`period_limits`, in a sentence."""
    from .words import metric_label

    low = limits.index[limits["signal"] == "below"]
    label = metric_label(metric)
    if low.empty:
        return _("No period of {label} lies below the limits the other periods set.").format(label=label)
    i = limits.index.get_loc(low[0])
    dip = limits.iloc[i]
    values = {
        "label": label,
        "period": dip["period"],
        "value": _level(metric, dip["estimate"]),
        "low": _level(metric, dip["ci_low"], presentation.decimals_for(dip["ci_low"], dip["ci_high"])),
        "high": _level(metric, dip["ci_high"], presentation.decimals_for(dip["ci_low"], dip["ci_high"])),
        "lower": _level(metric, dip["lower_limit"]),
        "centre": _level(metric, dip["centre"]),
    }
    if i + 1 >= len(limits):
        return _(
            "{label} is {value} in {period} (95 % CI {low} to {high}), below the lower limit {lower} that the "
            "other periods set around {centre}."
        ).format(**values)
    after = limits.iloc[i + 1]
    return _(
        "{label} dipped to {value} in {period} (95 % CI {low} to {high}), below the lower limit {lower} that the "
        "other periods set around {centre}, and came back to {next_value} in {next} (95 % CI {next_low} to "
        "{next_high}): the rebound the summary reads."
    ).format(
        **values,
        next=after["period"],
        next_value=_level(metric, after["estimate"]),
        next_low=_level(metric, after["ci_low"], presentation.decimals_for(after["ci_low"], after["ci_high"])),
        next_high=_level(metric, after["ci_high"], presentation.decimals_for(after["ci_low"], after["ci_high"])),
    )


def dip_source_reading(parts: pd.DataFrame, metric: str, before: str, after: str) -> str:
    """Which segment moved the overall score most from ``before`` to ``after`` (rows of
    :func:`mix_decomposition`): its part of the change within segments and its own scores."""
    from .words import label as level_label

    totals = decomposition_totals(parts)
    top = parts.iloc[int((parts["within"] * np.sign(totals["change"] or 1)).to_numpy().argmax())]
    return _(
        "From {before} to {after} the overall score moved {change}; {level} alone accounts for {part} of it "
        "(its own score went from {was} to {now} on {share} of the answers)."
    ).format(
        before=before,
        after=after,
        change=_points(metric, totals["change"]),
        level=_("**{level}**").format(level=level_label(top["level"])),
        part=_points(metric, top["within"]),
        was=_level(metric, top["estimate_b"]),
        now=_level(metric, top["estimate_a"]),
        share=presentation.percent(top["share_a"] / 100),
    )


def simulation_reading(result: pd.Series) -> str:
    """:func:`worst_segment_next_period`'s result in a sentence."""
    return _(
        "{segments} segments of about {answers} a period, each with a true CSAT of {true} in every period: "
        "nothing changes. The segment picked as worst averages {now} when picked and {next} one period "
        "later, a rise of {change}, and it rose in {improved} of {draws} simulated years, with no action taken."
    ).format(
        segments=presentation.number(result["segments"]),
        answers=presentation.plural(int(result["answers"]), "answer", "answers"),
        true=_level("csat", result["true_share"]),
        now=_level("csat", result["worst_now"]),
        next=_level("csat", result["worst_next"]),
        change=_points("csat", result["change"], signed=False),
        improved=presentation.percent(result["improved"] / 100),
        draws=presentation.number(result["draws"]),
    )


def mix_reading(row: pd.Series, metric: str, breakdowns: int, meaningful: float) -> str:
    """The largest mix part of :func:`segment_mix_changes` (its first row), and whether it matters."""
    from .words import dimension_name

    values = {
        "dimension": dimension_name(str(row["dimension"])),
        "before": row["baseline"],
        "after": row["current"],
        "change": _points(metric, row["change"]),
        "within": _points(metric, row["within"]),
        "mix": _points(metric, row["mix"]),
        "count": presentation.number(breakdowns),
        "meaningful": _points(metric, meaningful, signed=False),
    }
    if abs(row["mix"]) < meaningful:
        message = _(
            "The largest mix part on the sample, across {count} breakdowns and pairs of periods, is by "
            "{dimension} from {before} to {after}: the overall score moved {change}, {within} within segments and "
            "{mix} from the mix. That is small, below the {meaningful} this report treats as a meaningful change: "
            "on this data the mix explains little, and the overall changes can be read as changes within segments."
        )
    else:
        message = _(
            "The largest mix part, across {count} breakdowns and pairs of periods, is by {dimension} from "
            "{before} to {after}: the overall score moved {change}, {within} within segments and {mix} from the "
            "mix, at least the {meaningful} this report treats as a meaningful change: read the segments before "
            "the overall score."
        )
    return message.format(**values)


def constructed_reading(parts: pd.DataFrame) -> str:
    """The constructed example of :func:`constructed_mix` in a sentence."""
    totals = decomposition_totals(parts)
    return _(
        "Both segments rise {rise}, yet the overall score falls from {before} to {after}: the answers moved to "
        "the weaker segment. Within segments {within}, mix {mix}."
    ).format(
        rise=_points("csat", float(parts["estimate_a"].sub(parts["estimate_b"]).min()), signed=False),
        before=_level("csat", totals["overall_b"]),
        after=_level("csat", totals["overall_a"]),
        within=_points("csat", totals["within"]),
        mix=_points("csat", totals["mix"]),
    )


def small_segments_reading(changes: pd.DataFrame, tests: int, alpha: float) -> str:
    """How wide a change's interval gets in the smallest group of ``changes`` (one score's rows of
    :func:`cxanalysis.significance.breakdown_changes`) against all responses, and how many false alarms
    ``tests`` unadjusted tests would raise."""
    from .words import label as level_label
    from .words import metric_short

    metric = changes["metric"].iloc[0]
    overall = changes[changes["dimension"] == "all"].iloc[0]
    groups = changes[changes["dimension"] != "all"]
    smallest = groups.loc[groups["n_a"].idxmin()]
    alarms = many_tests(tests, alpha)
    return _(
        "Over all responses the change in {score} has a 95 % interval of {all_range} (n = {all_n}); in the "
        "smallest group, {level} (n = {n}), {range}: a change of that size there is within chance. This page runs {tests} tests; if nothing differed, about {expected} of them would come out "
        "below {alpha} unadjusted, and the chance of at least one false alarm would be {chance} (for "
        "independent tests): the reason for Holm's adjustment above."
    ).format(
        score=metric_short(metric),
        all_range=_range(metric, overall["ci_low"], overall["ci_high"]),
        all_n=presentation.number(overall["n_a"]),
        level=_("**{level}**").format(level=level_label(smallest["level"])),
        n=presentation.number(smallest["n_a"]),
        range=_range(metric, smallest["ci_low"], smallest["ci_high"]),
        tests=presentation.number(tests),
        expected=presentation.number(alarms["expected"], 1),
        alpha=presentation.exact(alpha),
        chance=presentation.percent(alarms["at_least_one"] / 100),
    )


def nps_reading(mixes: pd.DataFrame, period: str) -> str:
    """NPS's weaknesses on the answers of ``period`` (:func:`nps_mixes`), in a sentence each."""
    rows = mixes.set_index("mix")
    measured, same = rows.loc["measured"], rows.loc["no_passives"]
    lower, fewer = rows.loc["promoters_from_lower"], rows.loc["detractors_to_lower"]
    lines = [
        _(
            "NPS is a difference of two shares, so one answer varies from −100 to +100: in {period} its standard "
            "deviation is {sd} points, and with {n} the standard error of NPS is {se} points. An answer to a "
            "share (satisfied or not) counts 0 or 100, with a standard deviation of at most 50 points."
        ).format(
            period=period,
            sd=presentation.number(measured["sd"], 1),
            n=presentation.plural(int(measured["n"]), "answer", "answers"),
            se=presentation.number(measured["se"], 1),
        ),
        _(
            "The same NPS, {nps}, comes from {p} promoters and {d} detractors, or from {p2} and {d2} with no "
            "passives: a very different customer base, and a standard error of {se2} instead of {se} points."
        ).format(
            nps=presentation.number(measured["nps"], 1),
            p=presentation.percent(measured["promoters"] / 100),
            d=presentation.percent(measured["detractors"] / 100),
            p2=presentation.percent(same["promoters"] / 100),
            d2=presentation.percent(same["detractors"] / 100),
            se2=presentation.number(same["se"], 1),
            se=presentation.number(measured["se"], 1),
        ),
        _(
            "The cut-offs are a convention: counting {eight} as a promoter would make NPS {lower}, counting "
            "{six} as a passive {fewer}, from the same answers ({nps} as measured)."
        ).format(
            eight=presentation.number(PROMOTER_FROM - 1),
            six=presentation.number(DETRACTOR_TO),
            lower=presentation.number(lower["nps"], 1),
            fewer=presentation.number(fewer["nps"], 1),
            nps=presentation.number(measured["nps"], 1),
        ),
    ]
    return "\n".join(f"- {line}" for line in lines)
