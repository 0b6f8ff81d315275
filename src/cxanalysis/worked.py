"""Worked examples for the teaching edition: the book's main computations done by hand, step by step.

Each function takes a handful of answers (or p-values, or counts) and computes one of the book's
results in plain arithmetic a learner can follow with a calculator, keeping every intermediate value.
It returns a :class:`WorkedExample`: its steps (what is computed, the formula, the value) and its
result. The teaching edition shows a function's code and its steps beside the package's own call, and
the tests assert that every result equals the package's, so the teaching text cannot drift from the
code that computes the book.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import NormalDist

import numpy as np
import pandas as pd

from . import presentation
from .compare import POWER
from .monitoring import MOVING_RANGE_D2
from .rules import DEFAULT_ALPHA, DETRACTOR_TO, PROMOTER_FROM
from .translation import _


@dataclass(frozen=True)
class Step:
    what: str
    formula: str
    value: float


@dataclass(frozen=True)
class WorkedExample:
    steps: tuple[Step, ...]
    result: dict[str, float]

    def table(self) -> pd.DataFrame:
        """The steps as a table: what is computed, its formula and its value."""
        return pd.DataFrame(
            {
                "step": [step.what for step in self.steps],
                "formula": [step.formula for step in self.steps],
                "value": [presentation.exact(round(step.value, 4)) for step in self.steps],
            }
        )


def z_value(confidence: float = 0.95) -> float:
    """The standard normal quantile of a two-sided interval: 1.96 for 95 %."""
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def nps_by_hand(answers: Sequence[float], confidence: float = 0.95) -> WorkedExample:
    """NPS and its adjusted Wald interval (Rocks 2016), from 0-10 answers."""
    n = len(answers)
    promoters = sum(1 for a in answers if a >= PROMOTER_FROM)
    detractors = sum(1 for a in answers if a <= DETRACTOR_TO)
    nps = 100 * (promoters - detractors) / n
    n_adjusted = n + 3
    p = (promoters + 0.75) / n_adjusted
    d = (detractors + 0.75) / n_adjusted
    variance = p + d - (p - d) ** 2
    z = z_value(confidence)
    half = z * math.sqrt(variance / n_adjusted)
    low, high = max(-100.0, 100 * (p - d - half)), min(100.0, 100 * (p - d + half))
    steps = (
        Step(_("answers"), "n", n),
        Step(_("promoters (9-10)"), "P", promoters),
        Step(_("detractors (0-6)"), "D", detractors),
        Step(_("NPS"), "100 (P − D) / n", nps),
        Step(_("adjusted answers"), "n′ = n + 3", n_adjusted),
        Step(_("adjusted share of promoters"), "p′ = (P + 0.75) / n′", p),
        Step(_("adjusted share of detractors"), "d′ = (D + 0.75) / n′", d),
        Step(_("variance of one answer"), "p′ + d′ − (p′ − d′)²", variance),
        Step(_("z for 95 %"), "Φ⁻¹(0.975)", z),
        Step(_("lower end"), "100 [(p′ − d′) − z √(var / n′)]", low),
        Step(_("upper end"), "100 [(p′ − d′) + z √(var / n′)]", high),
    )
    return WorkedExample(steps, {"estimate": nps, "ci_low": low, "ci_high": high})


def wilson_by_hand(satisfied: int, n: int, confidence: float = 0.95) -> WorkedExample:
    """A share (CSAT, % satisfied) and its Wilson score interval (Wilson 1927)."""
    p = satisfied / n
    z = z_value(confidence)
    denominator = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
    steps = (
        Step(_("answers"), "n", n),
        Step(_("satisfied answers"), "x", satisfied),
        Step(_("share satisfied"), "p = x / n", p),
        Step(_("z for 95 %"), "Φ⁻¹(0.975)", z),
        Step(_("centre of the interval"), "(p + z² / 2n) / (1 + z² / n)", centre),
        Step(_("half its width"), "z √(p (1 − p) / n + z² / 4n²) / (1 + z² / n)", half),
        Step(_("lower end (%)"), "100 (centre − half)", 100 * (centre - half)),
        Step(_("upper end (%)"), "100 (centre + half)", 100 * (centre + half)),
    )
    return WorkedExample(
        steps, {"estimate": 100 * p, "ci_low": 100 * (centre - half), "ci_high": 100 * (centre + half)}
    )


def mde_by_hand(
    variance_a: float, n_a: int, variance_b: float, n_b: int, alpha: float = DEFAULT_ALPHA, power: float = POWER
) -> WorkedExample:
    """The minimum detectable change of a comparison of two periods: the smallest true change a two-sided
    test at ``alpha`` finds with probability ``power``."""
    z_alpha = NormalDist().inv_cdf(1 - alpha / 2)
    z_power = NormalDist().inv_cdf(power)
    standard_error = math.sqrt(variance_a / n_a + variance_b / n_b)
    mde = (z_alpha + z_power) * standard_error
    steps = (
        Step(_("standard error of the difference"), "√(var₁ / n₁ + var₂ / n₂)", standard_error),
        Step(_("z of the test's level"), "Φ⁻¹(1 − α / 2)", z_alpha),
        Step(_("z of the power"), "Φ⁻¹(power)", z_power),
        Step(_("minimum detectable change"), "(z₁₋α/2 + z_power) × SE", mde),
    )
    return WorkedExample(steps, {"mde": mde})


def holm_by_hand(p_values: Sequence[float]) -> WorkedExample:
    """Holm's step-down adjustment (Holm 1979): the smallest p-value is multiplied by m, the next by
    m − 1, and so on; an adjusted p-value is never smaller than the one before it, nor above 1."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    steps = []
    for rank, i in enumerate(order):
        multiplied = (m - rank) * p_values[i]
        running = max(running, min(1.0, multiplied))
        adjusted[i] = running
        steps.append(
            Step(
                _("p-value {rank} of {m}, times {factor}").format(rank=rank + 1, m=m, factor=m - rank),
                f"max(previous, min(1, {m - rank} × {p_values[i]:g}))",
                running,
            )
        )
    return WorkedExample(tuple(steps), {f"p_{i}": value for i, value in enumerate(adjusted)})


def p_chart_by_hand(counts: Sequence[int], totals: Sequence[int]) -> WorkedExample:
    """The limits of a p-chart (and of Laney's p′ chart when the periods vary more than sampling explains)."""
    p_bar = sum(counts) / sum(totals)
    sigmas = [math.sqrt(p_bar * (1 - p_bar) / n) for n in totals]
    z = [(x / n - p_bar) / s for x, n, s in zip(counts, totals, sigmas, strict=True)]
    moving_ranges = [abs(b - a) for a, b in pairwise(z)]
    sigma_z = sum(moving_ranges) / len(moving_ranges) / MOVING_RANGE_D2
    widen = sigma_z if sigma_z > 1 else 1.0
    upper = [min(1.0, p_bar + 3 * s * widen) for s in sigmas]
    lower = [max(0.0, p_bar - 3 * s * widen) for s in sigmas]
    steps = (
        Step(_("centre line"), "p̄ = Σxᵢ / Σnᵢ", p_bar),
        Step(_("standard error of the first period"), "√(p̄ (1 − p̄) / n₁)", sigmas[0]),
        Step(_("spread of the periods beyond sampling"), "σ_z = mean |zᵢ − zᵢ₋₁| / 1.128", sigma_z),
        Step(_("limits widened by"), "σ_z if σ_z > 1, else 1", widen),
        Step(_("upper limit of the first period"), "p̄ + 3 σ₁ × widened", upper[0]),
        Step(_("lower limit of the first period"), "p̄ − 3 σ₁ × widened", lower[0]),
    )
    result = {"centre": 100 * p_bar, "sigma_z": sigma_z}
    result |= {f"upper_{i}": 100 * u for i, u in enumerate(upper)} | {
        f"lower_{i}": 100 * low for i, low in enumerate(lower)
    }
    return WorkedExample(steps, result)


def relative_weights_by_hand(outcome: Sequence[float], drivers: dict[str, Sequence[float]]) -> WorkedExample:
    """Johnson's relative weights (Johnson 2000) of a few drivers: the outcome's R² shared between them."""
    names = list(drivers)
    data = np.column_stack([np.asarray(outcome, dtype=float), *(np.asarray(drivers[n], dtype=float) for n in names)])
    correlations = np.corrcoef(data, rowvar=False)
    r_xx, r_xy = correlations[1:, 1:], correlations[1:, 0]
    eigenvalues, vectors = np.linalg.eigh(r_xx)
    root = vectors @ np.diag(np.sqrt(eigenvalues)) @ vectors.T  # Λ, with Λ Λ = R_xx
    beta = np.linalg.solve(root, r_xy)  # the outcome on the drivers' orthogonal counterparts
    weights = (root**2) @ (beta**2)
    steps = tuple(
        Step(_("correlation with the outcome: {driver}").format(driver=n), "r_xy", float(r))
        for n, r in zip(names, r_xy, strict=True)
    )
    steps += tuple(
        Step(_("eigenvalue {k} of the drivers' correlations").format(k=k + 1), "λ", float(v))
        for k, v in enumerate(eigenvalues)
    )
    steps += tuple(
        Step(_("relative weight: {driver}").format(driver=n), "Σₖ Λⱼₖ² βₖ²", float(w))
        for n, w in zip(names, weights, strict=True)
    )
    steps += (Step(_("R² (the weights' sum)"), "Σⱼ εⱼ", float(weights.sum())),)
    return WorkedExample(
        steps, {n: float(w) for n, w in zip(names, weights, strict=True)} | {"r_squared": float(weights.sum())}
    )


def difference_in_differences_by_hand(
    values: Sequence[float], treated: Sequence[bool], after: Sequence[bool]
) -> WorkedExample:
    """The effect of a change as a difference in differences of four means: the change where it was made
    minus the change where it was not."""

    def mean(t: bool, a: bool) -> float:
        chosen = [v for v, ti, ai in zip(values, treated, after, strict=True) if ti == t and ai == a]
        return sum(chosen) / len(chosen)

    treated_before, treated_after = mean(True, False), mean(True, True)
    comparison_before, comparison_after = mean(False, False), mean(False, True)
    effect = (treated_after - treated_before) - (comparison_after - comparison_before)
    steps = (
        Step(_("changed units, before"), "ȳ_T0", treated_before),
        Step(_("changed units, after"), "ȳ_T1", treated_after),
        Step(_("comparison units, before"), "ȳ_C0", comparison_before),
        Step(_("comparison units, after"), "ȳ_C1", comparison_after),
        Step(_("effect"), "(ȳ_T1 − ȳ_T0) − (ȳ_C1 − ȳ_C0)", effect),
    )
    return WorkedExample(steps, {"effect": effect})


def smallest_family(changes: pd.DataFrame, at_least: int = 3) -> pd.DataFrame:
    """The smallest family of comparisons of :func:`cxanalysis.significance.breakdown_changes` (one baseline,
    one breakdown) with at least ``at_least`` tests: the one a Holm step-down is easiest to follow on."""
    if changes.empty:  # no earlier period to compare with
        return changes
    families = [
        part for _key, part in changes.groupby(["comparison", "dimension"], sort=False) if len(part) >= at_least
    ]
    return min(families, key=len) if families else changes.iloc[0:0]


def share_mde_by_hand(comparison: pd.Series) -> WorkedExample:
    """The minimum detectable change of one comparison of a share (CSAT, % satisfied) between two periods,
    from a row of :func:`cxanalysis.significance.breakdown_changes`: the variance of one answer is
    p (1 − p) in each period, in percentage points squared, and the level is the family's."""
    p_a, p_b = comparison["estimate_a"] / 100, comparison["estimate_b"] / 100
    return mde_by_hand(
        10_000 * p_a * (1 - p_a),
        int(comparison["n_a"]),
        10_000 * p_b * (1 - p_b),
        int(comparison["n_b"]),
        alpha=float(comparison["family_alpha"]),
    )


@dataclass(frozen=True)
class Check:
    question: str
    formula: str
    answer: bool


@dataclass(frozen=True)
class WorkedVerdict(WorkedExample):
    """A worked example that ends in a verdict: its numbers, then each yes-or-no check in turn up to the one
    that decides, and the verdict (``verdict`` as the package keeps it, ``verdict_shown`` as a reader sees it)."""

    checks: tuple[Check, ...] = ()
    verdict: str = ""
    verdict_shown: str = ""

    def table(self) -> pd.DataFrame:
        """The steps, then the checks answered yes or no, then the verdict."""
        checks = pd.DataFrame(
            {
                "step": [check.question for check in self.checks] + [_("verdict")],
                "formula": [check.formula for check in self.checks] + [""],
                "value": [_("yes") if check.answer else _("no") for check in self.checks] + [self.verdict_shown],
            }
        )
        return pd.concat([super().table(), checks], ignore_index=True)


def goal_status_by_hand(
    estimate: float,
    low: float,
    high: float,
    *,
    n: float,
    target: float,
    baseline: float | None,
    deadline,
    period: str,
    suppressed: bool = False,
) -> WorkedVerdict:
    """Where a goal stands in a period, from its current value's 95 % interval, its target, baseline and
    deadline: the goal rule's checks in turn, the first that answers deciding (every metric higher-is-better).
    ``n`` is the goal's answers in its scope (missing when hidden for anonymity)."""
    from .goals import status_marks

    checks: list[Check] = []
    steps: tuple[Step, ...] = ()
    answered = suppressed or (not pd.isna(n) and n > 0)

    def decided(status: str) -> WorkedVerdict:
        shown = status_marks(pd.Series([status])).iloc[0]
        result = {"estimate": estimate, "ci_low": low, "ci_high": high}
        return WorkedVerdict(steps, result, tuple(checks), status, shown)

    checks.append(Check(_("any answers in the goal's scope?"), "n > 0", answered))
    if not answered:
        return decided("not measured")
    checks.append(Check(_("hidden for anonymity?"), _("fewer answers than the anonymity threshold"), suppressed))
    if suppressed:
        return decided("too few answers")
    steps = (
        Step(_("answers in the goal's scope"), "n", n),
        Step(_("current value"), "x", estimate),
        Step(_("lower end of its 95 % interval"), "L", low),
        Step(_("upper end of its 95 % interval"), "U", high),
        Step(_("target"), "T", target),
    )
    checks.append(Check(_("is the whole interval at or above the target?"), "L ≥ T", low >= target))
    if low >= target:
        return decided("met")
    checks.append(Check(_("does the interval reach the target?"), "U ≥ T", high >= target))
    if high >= target:
        return decided("too close to tell")
    if baseline is None or pd.isna(baseline):
        checks.append(Check(_("does the goal have a baseline?"), "B", False))
        return decided("behind")
    steps += (Step(_("baseline"), "B", baseline),)
    checks.append(Check(_("does the whole interval lie above the baseline?"), "L > B", low > baseline))
    if not low > baseline:
        return decided("behind")
    end = pd.Period(period).end_time
    passed = pd.Timestamp(deadline) < end
    checks.append(
        Check(
            _("has the deadline passed by the end of {period}?").format(period=period),
            f"{presentation.date(pd.Timestamp(deadline).date())} < {presentation.date(end.date())}",
            passed,
        )
    )
    return decided("behind" if passed else "on track")


def hot_spot_by_hand(
    satisfied: int,
    n: int,
    satisfied_rest: int,
    n_rest: int,
    other_p_values: Sequence[float],
    alpha: float = DEFAULT_ALPHA,
    confidence: float = 0.95,
) -> WorkedVerdict:
    """Whether a touchpoint is an experience-failure hot spot on a share (CSAT, % satisfied): its share against
    all other touchpoints' answers taken together in the period, a two-proportion z-test with the pooled share,
    Newcombe's interval for the difference from the two Wilson intervals (Newcombe 1998), the p-value adjusted
    by Holm's step-down among all touchpoints tested in the period, and the verdict: a hot spot when the
    adjusted p-value is below the level and the touchpoint scores below the rest."""
    z = z_value(confidence)

    def wilson(x: int, m: int) -> tuple[float, float]:
        p = x / m
        centre = (p + z**2 / (2 * m)) / (1 + z**2 / m)
        half = z * math.sqrt(p * (1 - p) / m + z**2 / (4 * m**2)) / (1 + z**2 / m)
        return (0.0 if p <= 0 else centre - half), (1.0 if p >= 1 else centre + half)

    p1, p2 = satisfied / n, satisfied_rest / n_rest
    low1, high1 = wilson(satisfied, n)
    low2, high2 = wilson(satisfied_rest, n_rest)
    difference = 100 * (p1 - p2)
    ci_low = 100 * (p1 - p2 - math.sqrt((p1 - low1) ** 2 + (high2 - p2) ** 2))
    ci_high = 100 * (p1 - p2 + math.sqrt((high1 - p1) ** 2 + (p2 - low2) ** 2))
    pooled = (satisfied + satisfied_rest) / (n + n_rest)
    standard_error = 100 * math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / n_rest))
    statistic = difference / standard_error
    p_value = 2 * NormalDist().cdf(-abs(statistic))
    family = [p_value, *other_p_values]
    rank = 1 + sum(1 for other in other_p_values if other < p_value)
    adjusted = holm_by_hand(family).result["p_0"]
    steps = (
        Step(_("answers at the touchpoint"), "n₁", n),
        Step(_("satisfied answers at the touchpoint"), "x₁", satisfied),
        Step(_("share satisfied at the touchpoint (%)"), "100 p₁ = 100 x₁ / n₁", 100 * p1),
        Step(_("answers at all other touchpoints"), "n₂", n_rest),
        Step(_("satisfied answers there"), "x₂", satisfied_rest),
        Step(_("share satisfied there (%)"), "100 p₂ = 100 x₂ / n₂", 100 * p2),
        Step(_("Wilson interval of the share at the touchpoint, lower end"), "l₁", low1),
        Step(_("Wilson interval of the share at the touchpoint, upper end"), "u₁", high1),
        Step(_("Wilson interval of the share there, lower end"), "l₂", low2),
        Step(_("Wilson interval of the share there, upper end"), "u₂", high2),
        Step(_("difference (points)"), "100 (p₁ − p₂)", difference),
        Step(_("lower end of the difference's 95 % interval"), "100 [p₁ − p₂ − √((p₁ − l₁)² + (u₂ − p₂)²)]", ci_low),
        Step(_("upper end of the difference's 95 % interval"), "100 [p₁ − p₂ + √((u₁ − p₁)² + (p₂ − l₂)²)]", ci_high),
        Step(_("pooled share satisfied"), "p̄ = (x₁ + x₂) / (n₁ + n₂)", pooled),
        Step(_("standard error of the difference (points)"), "100 √(p̄ (1 − p̄) (1 / n₁ + 1 / n₂))", standard_error),
        Step(_("z statistic"), "100 (p₁ − p₂) / SE", statistic),
        Step(_("p-value, two-sided"), "2 Φ(−|z|)", p_value),
        Step(_("touchpoints tested in the period"), "m", len(family)),
        Step(_("rank of its p-value among them"), "k", rank),
        Step(_("adjusted p-value (Holm)"), "maxⱼ≤ₖ min(1, (m − j + 1) p₍ⱼ₎)", adjusted),
        Step(_("significance level"), "α", alpha),
    )
    significant = adjusted < alpha
    checks = [Check(_("is the adjusted p-value below the level?"), "p_adj < α", significant)]
    if significant:
        checks.append(Check(_("does it score below the rest?"), "p₁ < p₂", difference < 0))
    verdict = "neither" if not significant else "below" if difference < 0 else "above"
    shown = {
        "below": _("hot spot"),
        "above": _("above the rest"),
        "neither": _("no clear difference from the rest"),
    }[verdict]
    result = {
        "estimate": 100 * p1,
        "rest": 100 * p2,
        "difference": difference,
        "ci_low": ci_low,
        "ci_high": ci_high,
        "p_value": p_value,
        "p_adjusted": adjusted,
    }
    return WorkedVerdict(steps, result, tuple(checks), verdict, shown)


def weighted(responses: pd.DataFrame) -> bool:
    """Whether the answers carry unequal weights (raked to population margins, or a weight column of the client's
    own): the book's estimates then weight them, while a hand computation counts every answer once."""
    return "weight" in responses and bool(responses["weight"].nunique(dropna=True) > 1)


def counted_once(client):
    """The client with every answer counted once, in memory: the same responses with each weight set to 1. A
    package function called on it computes what a hand computation on the answers computes, on the same code
    path as the book's weighted tables."""
    import copy

    import ibis

    changed = copy.copy(client)
    changed.__dict__ = dict(client.__dict__)
    changed.__dict__["responses"] = client.responses.assign(weight=1.0)
    if client.all_responses is not None:
        changed.__dict__["all_responses"] = client.all_responses.mutate(weight=ibis.literal(1.0))
    return changed


@dataclass(frozen=True)
class BesideTheBook:
    """A worked example on a client's answers beside the package: ``counted_once`` is the package's row on the same
    answers with every answer counted once (what the hand computation must equal), ``shown`` the row the book's
    table shows; the two differ only when the answers are ``weighted``."""

    example: WorkedExample
    counted_once: pd.Series
    shown: pd.Series
    weighted: bool


def hot_spot_example(client, period: str) -> BesideTheBook | None:
    """Chapter 2's worked example: the touchpoint with the strongest evidence of scoring below the rest on CSAT
    (% satisfied) in ``period`` (the lowest p-value of those below the rest, else of all) in the book's hot-spot
    table, worked by hand from its answers counted once. None when no touchpoint is tested."""
    from .rules import top_box_threshold
    from .touchpoints import hot_spots

    shown = hot_spots(client, "csat", period)
    if shown.empty:
        return None
    below = shown[shown["difference"] < 0]
    spot = (below if not below.empty else shown).sort_values("p_value", kind="stable").iloc[0]
    once = hot_spots(counted_once(client), "csat", period).set_index("touchpoint")
    answered = client.responses[
        (client.responses["period"] == period)
        & client.responses["touchpoint"].notna()
        & client.responses["csat"].notna()
    ]
    here = (answered["touchpoint"] == spot["touchpoint"]).to_numpy()
    satisfied = (answered["csat"] >= top_box_threshold(client.scales["csat"])).to_numpy()
    example = hot_spot_by_hand(
        int(satisfied[here].sum()),
        int(here.sum()),
        int(satisfied[~here].sum()),
        int((~here).sum()),
        once.loc[once.index != spot["touchpoint"], "p_value"].tolist(),
        alpha=client.alpha,
    )
    return BesideTheBook(example, once.loc[spot["touchpoint"]], spot, weighted(client.responses))


def theme_example(client, coded: pd.DataFrame, impact: pd.DataFrame) -> BesideTheBook:
    """Chapter 4's worked example: the row of the book's NPS impact table (:func:`cxanalysis.themes.theme_impact`)
    whose p-value lies closest to the test's level, worked by hand from its commenters' answers counted once."""
    from .themes import theme_impact

    row = impact.loc[(impact["p_value"] - client.alpha).abs().idxmin()]
    mentioning, others = theme_answers(client.responses, coded, row["theme"], "nps")
    once = theme_impact(
        counted_once(client).responses,
        coded,
        client.taxonomy,
        "nps",
        min_n=client.min_n,
        scales=client.scales,
        adjust=client.config.significance.adjust,
    ).set_index("theme", drop=False)
    example = nps_difference_by_hand(mentioning, others)
    return BesideTheBook(example, once.loc[row["theme"]], row, weighted(client.responses))


def share_mde_example(client, changes: pd.DataFrame, adjust: str | None = None) -> BesideTheBook | None:
    """Chapter 5's worked example: the minimum detectable change of the first comparison of CSAT (% satisfied) over
    all responses in the book's comparisons (``changes``, :func:`cxanalysis.significance.breakdown_changes` with
    ``adjust``), worked by hand from that comparison with every answer counted once. None without such a
    comparison."""
    from .significance import breakdown_changes

    overall = changes[(changes["metric"] == "csat") & (changes["dimension"] == "all")] if not changes.empty else changes
    if overall.empty:
        return None
    shown = overall.iloc[0]
    keys = ["comparison", "metric", "dimension", "level"]
    once = breakdown_changes(counted_once(client), adjust=adjust).set_index(keys)
    row = once.loc[tuple(shown[keys])]
    return BesideTheBook(share_mde_by_hand(row), row, shown, weighted(client.responses))


def exercise_client(client, *, stakeholders=None, journey=None):
    """The client as an exercise changes it, in memory and with nothing written: its stakeholders or its
    journey replaced. With a new journey the responses are prepared again, since a survey asked at one
    touchpoint takes its touchpoint from the journey."""
    import copy

    changed = copy.copy(client)
    changed.__dict__ = dict(client.__dict__)
    if stakeholders is not None:
        changed.__dict__["stakeholders"] = stakeholders
    if journey is not None:
        changed.__dict__["journey"] = journey
        for derived in ("_prepared", "responses"):
            changed.__dict__.pop(derived, None)
    return changed


def unusual_period_by_hand(
    estimates: Sequence[float], standard_errors: Sequence[float], judged: int, change_after: float
) -> WorkedExample:
    """Why a rise reads "back from an unusual low": period ``judged`` against the limits the other periods
    set (:func:`cxanalysis.monitoring.period_chart`), and the change that follows it.

    The other periods' variance beyond sampling τ² is DerSimonian and Laird's moment estimate; their
    random-effects mean is the centre, and the limits are the centre ± 3 √(se² + τ² + 1 / Σw). A period
    below its lower limit is unusually low; a rise after it (``change_after`` > 0) is a rebound.
    """
    from .monitoring import UNUSUAL_SIGMA

    estimates, standard_errors = [float(e) for e in estimates], [float(s) for s in standard_errors]
    others = [i for i in range(len(estimates)) if i != judged]
    y = [estimates[i] for i in others]
    v = [standard_errors[i] ** 2 for i in others]
    w = [1 / vi for vi in v]
    fixed = sum(wi * yi for wi, yi in zip(w, y, strict=True)) / sum(w)
    q = sum(wi * (yi - fixed) ** 2 for wi, yi in zip(w, y, strict=True))
    tau2 = max(0.0, (q - (len(y) - 1)) / (sum(w) - sum(wi**2 for wi in w) / sum(w)))
    weights = [1 / (vi + tau2) for vi in v]
    centre = sum(wi * yi for wi, yi in zip(weights, y, strict=True)) / sum(weights)
    se = standard_errors[judged]
    half = UNUSUAL_SIGMA * math.sqrt(se**2 + tau2 + 1 / sum(weights))
    lower, upper = centre - half, centre + half
    value = estimates[judged]
    below = value < lower
    rebound = below and change_after > 0
    steps = (
        Step(_("mean of the other periods, weighted by 1 / se²"), "ȳ = Σ wⱼ yⱼ / Σ wⱼ, wⱼ = 1 / seⱼ²", fixed),
        Step(_("their spread beyond sampling"), "Q = Σ wⱼ (yⱼ − ȳ)²", q),
        Step(_("variance between periods"), "τ² = max(0, (Q − (k − 1)) / (Σ wⱼ − Σ wⱼ² / Σ wⱼ))", tau2),
        Step(_("centre: what the other periods predict"), "m = Σ wⱼ* yⱼ / Σ wⱼ*, wⱼ* = 1 / (seⱼ² + τ²)", centre),
        Step(_("half the width of the limits"), "3 √(se² + τ² + 1 / Σ wⱼ*)", half),
        Step(_("lower limit"), "m − half", lower),
        Step(_("upper limit"), "m + half", upper),
        Step(_("the period's score"), "y", value),
        Step(_("below the lower limit (1 yes, 0 no)"), "y < m − half", float(below)),
        Step(_("change to the next period"), "yₙₑₓₜ − y", float(change_after)),
        Step(_("a rise after an unusual low (1 yes, 0 no)"), "y < m − half and yₙₑₓₜ − y > 0", float(rebound)),
    )
    return WorkedExample(
        steps,
        {
            "centre": centre,
            "lower_limit": lower,
            "upper_limit": upper,
            "below": float(below),
            "rebound": float(rebound),
        },
    )


def theme_answers(
    responses: pd.DataFrame, coded: pd.DataFrame, theme: str, score: str = "nps"
) -> tuple[list[float], list[float]]:
    """The ``score`` answers of the commenters mentioning ``theme`` and of all other coded commenters: the two
    groups :func:`cxanalysis.themes.theme_impact` compares."""
    answered = responses.loc[coded.index, score].dropna()
    mentions = coded.loc[answered.index, theme].astype(bool)
    return answered[mentions].tolist(), answered[~mentions].tolist()


def nps_difference_by_hand(
    mentioning: Sequence[float], others: Sequence[float], confidence: float = 0.95
) -> WorkedExample:
    """The NPS of one group of answers minus another's (a theme's commenters against all other commenters),
    with the interval and z-test of Lewis & Sauro: both centred on the difference of the adjusted-Wald NPS."""

    def side(answers: Sequence[float]) -> tuple[int, int, int, float, float, float]:
        n = len(answers)
        promoters = sum(1 for a in answers if a >= PROMOTER_FROM)
        detractors = sum(1 for a in answers if a <= DETRACTOR_TO)
        p, d = (promoters + 0.75) / (n + 3), (detractors + 0.75) / (n + 3)
        return n, promoters, detractors, 100 * (promoters - detractors) / n, p - d, (p + d - (p - d) ** 2) / (n + 3)

    n_a, p_a, d_a, nps_a, adjusted_a, variance_a = side(mentioning)
    n_b, p_b, d_b, nps_b, adjusted_b, variance_b = side(others)
    centre = 100 * (adjusted_a - adjusted_b)
    se = 100 * math.sqrt(variance_a + variance_b)
    z = z_value(confidence)
    statistic = centre / se
    p_value = 2 * (1 - NormalDist().cdf(abs(statistic)))
    low, high = max(-200.0, centre - z * se), min(200.0, centre + z * se)
    steps = (
        Step(_("answers mentioning the theme"), "n₁", n_a),
        Step(_("promoters minus detractors"), "P₁ − D₁", p_a - d_a),
        Step(_("NPS mentioning the theme"), "100 (P₁ − D₁) / n₁", nps_a),
        Step(_("answers of all other comments"), "n₂", n_b),
        Step(_("promoters minus detractors"), "P₂ − D₂", p_b - d_b),
        Step(_("NPS of all other comments"), "100 (P₂ − D₂) / n₂", nps_b),
        Step(_("difference"), "NPS₁ − NPS₂", nps_a - nps_b),
        Step(_("adjusted NPS mentioning the theme"), "A₁ = p′₁ − d′₁ = (P₁ − D₁) / (n₁ + 3)", 100 * adjusted_a),
        Step(_("adjusted NPS of all other comments"), "A₂ = (P₂ − D₂) / (n₂ + 3)", 100 * adjusted_b),
        Step(_("variance of the adjusted NPS mentioning the theme"), "v₁ = (p′₁ + d′₁ − A₁²) / (n₁ + 3)", variance_a),
        Step(_("variance of the adjusted NPS of all other comments"), "v₂ = (p′₂ + d′₂ − A₂²) / (n₂ + 3)", variance_b),
        Step(_("centre of the interval"), "100 (A₁ − A₂)", centre),
        Step(_("standard error"), "100 √(v₁ + v₂)", se),
        Step(_("z statistic"), "centre / SE", statistic),
        Step(_("p-value (before the adjustment across themes)"), "2 (1 − Φ(|z|))", p_value),
        Step(_("lower end"), "centre − 1.96 SE", low),
        Step(_("upper end"), "centre + 1.96 SE", high),
    )
    return WorkedExample(
        steps,
        {
            "estimate_a": nps_a,
            "estimate_b": nps_b,
            "difference": nps_a - nps_b,
            "ci_low": low,
            "ci_high": high,
            "p_value": p_value,
        },
    )


def interval_widths(
    responses: pd.DataFrame, metric: str, *, min_n: int, scales: dict[str, tuple[int, int]] | None = None
) -> pd.DataFrame:
    """A metric over all responses by quarter and by month, periods taken from the answers' dates: how many
    periods each trend shows, their median number of answers and the median width of their 95 % intervals."""
    from .metrics import summarise

    rows = []
    for period, frequency in (("quarter", "Q"), ("month", "M")):
        labels = responses["submitted_at"].dt.to_period(frequency).astype("string")
        table = summarise(responses.assign(period=labels), metric, ["period"], min_n=min_n, scales=scales)
        shown = table.dropna(subset=["ci_low", "ci_high"])
        rows.append(
            {
                "period": period,
                "periods": len(shown),
                "median_n": float(shown["n"].astype(float).median()),
                "median_width": float((shown["ci_high"] - shown["ci_low"]).median()),
            }
        )
    return pd.DataFrame(rows)


def answering_customers(customers: pd.DataFrame, responses: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """The customers of the customers file who answered at least one survey: all of them and per level of each
    column in ``by`` (known for every customer), the share answering with a Wilson 95 % interval, and per column
    the p-value of Pearson's chi-square test that the share answering is the same at every level."""
    from scipy.stats import chi2_contingency

    from .metrics import wilson_interval

    answered = customers["customer_id"].isin(responses["customer_id"].dropna())
    parts = [
        pd.DataFrame(
            {
                "dimension": ["all"],
                "level": [""],
                "customers": [len(customers)],
                "respondents": [int(answered.sum())],
                "p_value": [np.nan],
            }
        )
    ]
    for column in by:
        counts = answered.groupby(customers[column], observed=True).agg(["size", "sum"])
        table = np.column_stack([counts["sum"], counts["size"] - counts["sum"]])
        p_value = float(chi2_contingency(table, correction=False).pvalue) if len(counts) > 1 else np.nan
        parts.append(
            pd.DataFrame(
                {
                    "dimension": column,
                    "level": counts.index.astype(str),
                    "customers": counts["size"].to_numpy(),
                    "respondents": counts["sum"].astype(int).to_numpy(),
                    "p_value": p_value,
                }
            )
        )
    result = pd.concat(parts, ignore_index=True)
    share = result["respondents"] / result["customers"]
    low, high = wilson_interval(share.to_numpy(), result["customers"].to_numpy())
    result["share"], result["ci_low"], result["ci_high"] = 100 * share, 100 * low, 100 * high
    return result


def nps_half_widths(promoters: float, detractors: float, sizes: Sequence[int] = (100, 400, 1600)) -> pd.DataFrame:
    """Half the width of the NPS's 95 % interval (:func:`cxanalysis.metrics.nps`, adjusted Wald) at each number
    of answers, for answers with the given shares (0 to 1) of promoters and detractors."""
    from .metrics import nps

    rows = []
    for n in sizes:
        top, bottom = round(promoters * n), round(detractors * n)
        result = nps([10] * top + [8] * (n - top - bottom) + [0] * bottom).iloc[0]
        rows.append({"n": n, "estimate": result["estimate"], "half_width": (result["ci_high"] - result["ci_low"]) / 2})
    return pd.DataFrame(rows)


def revenue_at_risk_by_hand(
    customers: float, revenue_per_customer: float, csat: Sequence[float], churn_if_dissatisfied: float
) -> WorkedExample:
    """Revenue at risk from dissatisfied customers who may leave, at each level of CSAT, and what one
    point of CSAT is worth: the method's worked example, step by step."""
    steps = []
    result = {}
    for i, level in enumerate(csat):
        share = 1 - level / 100
        dissatisfied = customers * share
        at_risk = dissatisfied * revenue_per_customer * churn_if_dissatisfied
        steps += [
            Step(
                _("share not satisfied at CSAT {csat} %").format(csat=presentation.exact(level)),
                "1 − CSAT / 100",
                share,
            ),
            Step(_("dissatisfied customers"), "customers × (1 − CSAT / 100)", dissatisfied),
            Step(_("revenue at risk"), "dissatisfied × revenue per customer × churn", at_risk),
        ]
        result[f"revenue_at_risk_{i}"] = at_risk
    point = customers * revenue_per_customer * churn_if_dissatisfied / 100
    steps.append(Step(_("value of one CSAT point"), "customers × revenue per customer × churn / 100", point))
    return WorkedExample(tuple(steps), result | {"value_per_csat_point": point})
