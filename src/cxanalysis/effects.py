"""The effect of changes already made: difference-in-differences, or an interrupted time series."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import statsmodels.api as sm

from .config import LoggedAction
from .rules import DEFAULT_ALPHA
from .significance import answer_values
from .translation import N_, _

if TYPE_CHECKING:
    from .client import ClientData

EFFECT_COLUMNS = [
    "action",
    "metric",
    "method",
    "effect",
    "ci_low",
    "ci_high",
    "p_value",
    "n_treated_before",
    "n_treated_after",
    "n_comparison_before",
    "n_comparison_after",
    "clusters",
    "treated",
    "touchpoint",
    "start",
    "unit",
    "units",
    "p_randomisation",
    "p_wild_bootstrap",
    "min_attainable_p",
    "verdict",
]

DID_METHOD = "difference-in-differences (OLS; wild cluster bootstrap and randomisation over the units treated)"
ITS_METHOD = "interrupted time series (segmented WLS on monthly means)"
NOT_ESTIMABLE = N_("not estimable: no comparison group and fewer than 3 months on a side")
#: Each method's short name, for a table column (:func:`method_label`).
_SHORT_METHODS = {
    DID_METHOD: N_("difference-in-differences"),
    ITS_METHOD: N_("interrupted time series"),
    NOT_ESTIMABLE: NOT_ESTIMABLE,
}

#: The verdicts an effect can get, at the client's significance level (kept in English in the results;
#: :func:`verdict_label` shows them in the report language).
UNLIKELY_CHANCE = N_("unlikely to be chance")
COULD_BE_CHANCE = N_("could be chance")
TOO_FEW_UNITS = N_("too few comparison groups to tell")
VERDICTS = (UNLIKELY_CHANCE, COULD_BE_CHANCE, TOO_FEW_UNITS)


def verdict_label(verdict: str) -> str:
    """An effect's verdict in the report language; any other value as given."""
    return _(verdict) if verdict in VERDICTS else verdict


#: Webb's six-point weights, each drawn with probability 1/6: ±√(1/2), ±1, ±√(3/2).
WEBB_WEIGHTS = np.array([-math.sqrt(1.5), -1.0, -math.sqrt(0.5), math.sqrt(0.5), 1.0, math.sqrt(1.5)])
#: Up to this many units the wild bootstrap uses every one of the 6**G weight vectors (6**7 = 279 936).
EXACT_BOOTSTRAP_UNITS = 7
#: Up to this many ways of choosing the treated units, randomisation inference uses every one of them.
EXACT_ASSIGNMENTS = 50_000
#: Multiply-adds of a matrix product small enough to run on one core.
SMALL_PRODUCT = 2**17
# Bootstrap or placebo statistics that equal the observed one up to rounding count as at least as extreme.
_TIES = 1e-9


def difference_in_differences(
    values: pd.Series,
    treated: pd.Series,
    after: pd.Series,
    units: pd.Series,
    confidence: float = 0.95,
    *,
    alpha: float = DEFAULT_ALPHA,
    draws: int = 9999,
    seed: int = 0,
) -> dict:
    """The treated units' change minus the comparison units' change, judged at the level the change was assigned.

    A change is made in some units (regions, stores: the levels of the
    segment the action names) and not in others, so the evidence about it
    is the number of units, not the number of answers: answers in one
    region share that region's ups and downs before and after the change.
    The effect is the OLS interaction b3 of y = b0 + b1 treated + b2 after
    + b3 treated x after on the answers; every test and interval treats the
    units as the independent observations.

    Parameters
    ----------
    values : pandas.Series
        One answer per row, on the scale its metric is reported on.
    treated : pandas.Series of bool
        Whether the answer's unit got the change; the same for every answer of a unit.
    after : pandas.Series of bool
        Whether the answer was given after the change started.
    units : pandas.Series
        The unit each answer belongs to (the level, or combination of levels, of the treated segment).
    confidence : float
        Level of the interval.
    alpha : float
        Significance level of the verdict (the client's ``significance.alpha``).
    draws : int
        Random weight vectors of the wild bootstrap when there are more than
        :data:`EXACT_BOOTSTRAP_UNITS` units, and random assignments of the
        randomisation test when there are more than :data:`EXACT_ASSIGNMENTS`.
    seed : int
        Seed of those random draws; with few units every draw is enumerated and none is random.

    Returns
    -------
    dict
        ``effect`` (b3), ``ci_low`` and ``ci_high`` (the wild bootstrap
        interval), ``p_randomisation``, ``p_wild_bootstrap``, ``units``
        (G), ``min_attainable_p`` (the smallest randomisation p the units
        allow), ``verdict``, ``p_value`` (the randomisation p: the one the
        verdict reads), the answers in each of the four cells and
        ``clusters`` (= ``units``).

    Notes
    -----
    In the saturated model b3 = (ȳ treated after − ȳ treated before) −
    (ȳ comparison after − ȳ comparison before). It is computed from each
    unit's count and sum of answers before and after, and so is all of the
    inference below.

    **Wild cluster bootstrap, null imposed (WCR).** The statistic is
    t = (b3 − δ) / se(b3) with the CR1 error clustered by unit. Under
    H0: b3 = δ the model is refitted with the interaction fixed at δ, giving
    fitted values ỹ and residuals ũ; each bootstrap sample multiplies all
    residuals of unit g by one weight v_g, y* = ỹ + v_g ũ, and refits the
    full model to get t*. The weights are Webb's six-point distribution: with
    G units there are only 6^G distinct weight vectors, and up to
    :data:`EXACT_BOOTSTRAP_UNITS` units every one is used, so the p-value,
    the share of |t*| ≥ |t|, is exact rather than simulated. Because b3* is
    linear in v and the unit scores X_gᵀ û*_g are too, t* for all vectors at
    once is a few matrix products of the G x G matrices built from the
    units' scores (Roodman et al. 2019). The interval is the set of δ the
    test does not reject at 1 − ``confidence``, found by bisection on each
    side of b3; inverting is cheap because t*(δ) needs only five vectors
    computed once. An end is infinite when no δ on that side is rejected, as
    happens with three units of which one is treated. The interval is
    inverted from the bootstrap rather than taken as b3 ± t(G − 1) se:
    with one treated unit the model fits that unit's before and after means
    exactly, its residuals carry none of its own shocks, and the clustered
    CR1 error understates the uncertainty many times over
    (MacKinnon and Webb 2017).

    **Randomisation inference.** The change is moved to every other set of
    as many units as got it, b3 is recomputed for each, and p is the share
    of assignments whose |b3| is at least the observed one. It is exact
    under the null of no effect in any unit if the treated units could as
    well have been any others, and its smallest attainable value is
    1 / C(G, G₁) with G₁ treated units: 1/4 = 0.25 with one treated region
    of four (Conley and Taber 2011).

    **Verdict.** With one or few treated units the wild bootstrap's p can be
    far from its nominal level in either direction (MacKinnon and Webb
    2017), so the verdict reads the randomisation p. When even its smallest
    attainable value is not below ``alpha`` no outcome could be significant
    and the verdict is "too few comparison groups to tell"; otherwise the
    effect is "unlikely to be chance" when p < ``alpha`` and "could be
    chance" when not. Clustering by unit x month instead, as is common,
    treats each region's months as independent and finds effects of
    ordinary region-level shocks (Bertrand et al. 2004).

    References
    ----------
    Bertrand, M., Duflo, E. and Mullainathan, S. (2004). How much should we trust differences-in-differences
    estimates? Quarterly Journal of Economics, 119(1), 249-275.

    Conley, T. G. and Taber, C. R. (2011). Inference with "difference in differences" with a small number of
    policy changes. Review of Economics and Statistics, 93(1), 113-125.

    MacKinnon, J. G. and Webb, M. D. (2017). Wild bootstrap inference for wildly different cluster sizes.
    Journal of Applied Econometrics, 32(2), 233-254.

    Roodman, D., MacKinnon, J. G., Nielsen, M. Ø. and Webb, M. D. (2019). Fast and wild: bootstrap inference
    in Stata using boottest. Stata Journal, 19(1), 4-60.

    Webb, M. D. (2023). Reworking wild bootstrap-based inference for clustered errors. Canadian Journal of
    Economics, 56(3), 839-858 (Queen's Economics Department Working Paper 1315, 2014).

    Examples
    --------
    >>> import pandas as pd
    >>> region = pd.Series(["N", "N", "S", "S", "E", "E", "W", "W"] * 2)
    >>> after = pd.Series([False, True] * 8)
    >>> y = pd.Series([5, 6, 5, 5, 4, 4, 6, 6, 5, 7, 6, 5, 4, 5, 6, 7], dtype=float)
    >>> result = difference_in_differences(y, region == "N", after, region)
    >>> round(result["effect"], 2), result["units"], result["min_attainable_p"], result["verdict"]
    (1.33, 4, 0.25, 'too few comparison groups to tell')
    """
    cells = _unit_cells(values, treated, after, units)
    fit = _UnitRegression(cells)
    rng = np.random.default_rng(seed)
    if len(cells) > 2:
        bootstrap = fit.wild_bootstrap(_webb_draws(len(cells), draws, rng))
        (low, high), p_wild = bootstrap.interval(1 - confidence), bootstrap.p_value(0.0)
    else:  # two units: the model fits each unit's means exactly and leaves nothing to judge the effect by
        (low, high), p_wild = (-math.inf, math.inf), math.nan
    p_randomisation, floor = _randomisation_p(cells, draws, rng)
    verdict = _verdict(p_randomisation, floor, alpha)
    unit_treated = cells["treated"].to_numpy()
    unit_counts = cells[["n_before", "n_after"]].to_numpy()
    treated_counts, comparison_counts = unit_counts[unit_treated].sum(axis=0), unit_counts[~unit_treated].sum(axis=0)
    return {
        "method": DID_METHOD,
        "effect": fit.effect,
        "ci_low": low,
        "ci_high": high,
        "p_value": p_randomisation,
        "p_randomisation": p_randomisation,
        "p_wild_bootstrap": p_wild,
        "min_attainable_p": floor,
        "verdict": verdict,
        "units": len(cells),
        "n_treated_before": int(treated_counts[0]),
        "n_treated_after": int(treated_counts[1]),
        "n_comparison_before": int(comparison_counts[0]),
        "n_comparison_after": int(comparison_counts[1]),
        "clusters": len(cells),
    }


def _verdict(p_randomisation: float, floor: float, alpha: float) -> str:
    if not floor < alpha:  # no assignment of the change, however extreme, could be significant
        return TOO_FEW_UNITS
    return UNLIKELY_CHANCE if p_randomisation < alpha else COULD_BE_CHANCE


def _unit_cells(values: pd.Series, treated: pd.Series, after: pd.Series, units: pd.Series) -> pd.DataFrame:
    """Per unit: whether it was treated, and its count and sum of answers before and after."""
    codes, names = pd.factorize(units.to_numpy(), sort=True)  # answers without a unit (code -1) are left out
    placed = codes >= 0
    codes, y = codes[placed], values.to_numpy(dtype=float)[placed]
    is_treated, is_after = treated.to_numpy(dtype=bool)[placed], after.to_numpy(dtype=bool)[placed]
    g = len(names)
    answers = np.bincount(codes, minlength=g)
    treated_answers = np.bincount(codes, weights=is_treated, minlength=g)
    if np.any((treated_answers > 0) & (treated_answers < answers)):
        raise ValueError("A change is assigned to whole units: every answer of a unit must be treated or none.")
    cell = 2 * codes + is_after  # unit g's answers before the change in cell 2g, after it in 2g + 1
    counts = np.bincount(cell, minlength=2 * g).reshape(g, 2)
    sums = np.bincount(cell, weights=y, minlength=2 * g).reshape(g, 2)
    unit_treated = treated_answers > 0
    for group, name in ((unit_treated, "treated"), (~unit_treated, "comparison")):
        if not counts[group].sum(axis=0).all():
            raise ValueError(f"The {name} units need answers both before and after the change.")
    return pd.DataFrame(
        {
            "treated": unit_treated,
            "n_before": counts[:, 0],
            "n_after": counts[:, 1],
            "sum_before": sums[:, 0],
            "sum_after": sums[:, 1],
        },
        index=pd.Index(names, name="unit"),
    )


class _UnitRegression:
    """The difference-in-differences regression on answers, written through each unit's sufficient statistics.

    With the design row x = (1, treated, after, treated x after), unit g's
    cross-products are H_g = Σ n_ga x xᵀ and X_gᵀy = Σ s_ga x over its
    before and after cells (n answers, s their sum), which is all that OLS,
    the clustered error and the wild bootstrap need.
    """

    def __init__(self, cells: pd.DataFrame) -> None:
        t = cells["treated"].to_numpy(dtype=float)
        rows = np.stack(
            [np.column_stack([np.ones_like(t), t, np.full_like(t, a), t * a]) for a in (0.0, 1.0)], axis=1
        )  # unit x (before, after) x coefficient
        counts = cells[["n_before", "n_after"]].to_numpy(dtype=float)
        sums = cells[["sum_before", "sum_after"]].to_numpy(dtype=float)
        self.cross = np.einsum("ga,gai,gaj->gij", counts, rows, rows)  # H_g
        self.xy = np.einsum("ga,gai->gi", sums, rows)  # X_gᵀ y
        xtx, xty = self.cross.sum(axis=0), self.xy.sum(axis=0)
        self.inverse = np.linalg.inv(xtx)
        self.beta = self.inverse @ xty
        self.effect = float(self.beta[3])
        units, n = len(cells), counts.sum()
        # CR1: statsmodels' and Stata's small-sample factor; it cancels in every bootstrap comparison.
        self.factor = units / (units - 1) * (n - 1) / (n - 4)
        self.row = self.inverse[3]  # picks b3 out of (XᵀX)⁻¹ Xᵀ(...)
        scores = self.xy - self.cross @ self.beta
        self.se = math.sqrt(self.factor * float(np.sum((scores @ self.row) ** 2)))
        # Null b3 = δ: the other coefficients refitted on y − δ x3 are beta0 + δ·direction.
        restricted = np.linalg.inv(xtx[:3, :3])
        self.beta0 = np.append(restricted @ xty[:3], 0.0)
        self.direction = np.append(-restricted @ xtx[:3, 3], 1.0)

    def wild_bootstrap(self, weights: np.ndarray) -> _WildBootstrap:
        """The WCR bootstrap for every null δ at once, given the weight vectors (one row per draw)."""
        # Unit scores under the null: X_gᵀ ũ_g(δ) = scores0 − δ scores1.
        scores0 = self.xy - self.cross @ self.beta0
        scores1 = self.cross @ self.direction
        # q_g(v) = rowᵀ(v_g s̃_g − H_g (XᵀX)⁻¹ Σ_h v_h s̃_h): unit g's part of b3*'s clustered error.
        spill = np.einsum("j,gjk,kl->gl", self.row, self.cross, self.inverse)
        shift0, shift1 = scores0 @ self.row, scores1 @ self.row  # b3* − δ = v · (shift0 − δ shift1)
        q0 = np.diag(shift0) - spill @ scores0.T
        q1 = np.diag(shift1) - spill @ scores1.T
        # Every draw's products with the units' scores, a few hundred draws per product: a product this small
        # runs on one core, several times faster on a busy machine than one split across cores.
        units = len(shift0)
        scores = np.column_stack([q0.T, q1.T, shift0, shift1])
        rows = max(1, SMALL_PRODUCT // scores.size)
        products = np.concatenate([weights[i : i + rows] @ scores for i in range(0, len(weights), rows)])
        z0, z1 = products[:, :units], products[:, units : 2 * units]
        return _WildBootstrap(
            effect=self.effect,
            se=self.se,
            factor=self.factor,
            numerator=(products[:, 2 * units], products[:, 2 * units + 1]),
            spread=((z0**2).sum(axis=1), (z0 * z1).sum(axis=1), (z1**2).sum(axis=1)),
        )


class _WildBootstrap:
    """The bootstrap t statistics as functions of the null δ: t*² = (n0 − δ n1)² / (c (a − 2δb + δ²d))."""

    def __init__(
        self,
        effect: float,
        se: float,
        factor: float,
        numerator: tuple[np.ndarray, np.ndarray],
        spread: tuple[np.ndarray, np.ndarray, np.ndarray],
    ) -> None:
        self.effect, self.se, self.factor = effect, se, factor
        self.numerator, self.spread = numerator, spread

    def p_value(self, null: float) -> float:
        """Share of draws with |t*| ≥ |t| for H0: b3 = ``null``."""
        t2 = ((self.effect - null) / self.se) ** 2
        n0, n1 = self.numerator
        a, b, d = self.spread
        star2 = (n0 - null * n1) ** 2
        variance = self.factor * (a - 2 * null * b + null**2 * d)
        return np.count_nonzero(star2 >= t2 * variance * (1 - _TIES)) / len(star2)

    def interval(self, level: float) -> tuple[float, float]:
        """The nulls not rejected at ``level``: bisection outwards from b3 on each side."""
        return _bound(self.p_value, self.effect, -self.se, level), _bound(self.p_value, self.effect, self.se, level)


def _bound(p_value: Callable[[float], float], centre: float, step: float, level: float) -> float:
    kept, out = centre, centre + step
    while p_value(out) >= level:
        if abs(out - centre) > 1e6 * abs(step):
            return math.copysign(math.inf, step)
        kept, out = out, centre + 2 * (out - centre)
    for _step in range(100):
        middle = (kept + out) / 2
        if abs(out - kept) <= 1e-10 * abs(step) or middle in (kept, out):
            break
        kept, out = (middle, out) if p_value(middle) >= level else (kept, middle)
    return (kept + out) / 2


def _webb_draws(units: int, draws: int, rng: np.random.Generator) -> np.ndarray:
    """Every one of the 6**G weight vectors up to EXACT_BOOTSTRAP_UNITS units, else ``draws`` random ones."""
    if units <= EXACT_BOOTSTRAP_UNITS:
        index = np.arange(6**units)[:, None] // 6 ** np.arange(units) % 6
    else:
        index = rng.integers(0, 6, size=(draws, units))
    return WEBB_WEIGHTS[index]


def _randomisation_p(cells: pd.DataFrame, draws: int, rng: np.random.Generator) -> tuple[float, float]:
    """The share of assignments of the change to as many units whose |effect| reaches the observed one,
    and the smallest share attainable."""
    treated = cells["treated"].to_numpy()
    units, chosen = len(treated), int(treated.sum())
    possible = math.comb(units, chosen)
    if possible <= EXACT_ASSIGNMENTS:
        assignments = _every_assignment(units, chosen)
    else:  # the observed assignment and ``draws`` random ones
        random = np.argsort(rng.random((draws, units)), axis=1)[:, :chosen]
        assignments = np.zeros((draws + 1, units))
        np.put_along_axis(assignments[1:], random, 1.0, axis=1)
        assignments[0] = treated
    effects = _assigned_effects(cells, assignments)
    observed = _assigned_effects(cells, treated[None, :].astype(float))[0]
    defined = np.isfinite(effects)
    extreme = np.abs(effects[defined]) >= abs(observed) * (1 - _TIES)
    return float(extreme.mean()), 1 / int(defined.sum())


@lru_cache(maxsize=16)
def _every_assignment(units: int, chosen: int) -> np.ndarray:
    """Every 0/1 assignment of the change to ``chosen`` of ``units`` units, one row each (read-only)."""
    members = np.array(list(combinations(range(units), chosen)), dtype=np.intp).reshape(-1, chosen)
    assignments = np.zeros((len(members), units))
    np.put_along_axis(assignments, members, 1.0, axis=1)
    assignments.flags.writeable = False
    return assignments


def _assigned_effects(cells: pd.DataFrame, assignments: np.ndarray) -> np.ndarray:
    """The difference-in-differences for each row of 0/1 assignments to units (NaN when a cell is empty)."""
    counts = cells[["n_before", "n_after"]].to_numpy(dtype=float)
    sums = cells[["sum_before", "sum_after"]].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        treated_means = (assignments @ sums) / (assignments @ counts)
        others = 1 - assignments
        comparison_means = (others @ sums) / (others @ counts)
    change = treated_means[:, 1] - treated_means[:, 0] - (comparison_means[:, 1] - comparison_means[:, 0])
    return np.where(np.isfinite(change), change, np.nan)


def interrupted_time_series(
    values: pd.Series,
    dates: pd.Series,
    start: pd.Timestamp,
    confidence: float = 0.95,
    lags: int = 1,
    *,
    alpha: float = DEFAULT_ALPHA,
) -> dict:
    """The level change at ``start`` beyond the earlier trend, from a segmented regression on monthly means.

    Fits mean_t = b0 + b1 t + b2 after_t + b3 (t - t0) after_t by WLS
    (weights: answers per month), with t the month and t0 the first month
    after the change; b2 is the immediate change. Its standard error is the
    larger of the classical one and the Newey-West one (``lags`` months,
    for months that resemble their neighbours), and the interval uses
    Student's t on months - 4 degrees of freedom: with a dozen months a
    robust error alone is too optimistic, as a simulation in the tests shows.
    The verdict is "unlikely to be chance" when p < ``alpha`` and "could be
    chance" otherwise; without a comparison group it says nothing about the
    cause, since anything else that changed at the same time moves the level too.

    References
    ----------
    Wagner, A. K., Soumerai, S. B., Zhang, F. and Ross-Degnan, D. (2002). Segmented regression analysis of
    interrupted time series studies in medication use research. J. Clin. Pharm. Ther., 27(4), 299-309.
    """
    from scipy.stats import t as student

    series = values.groupby(dates.dt.to_period("M")).agg(["mean", "size"]).sort_index()
    first, origin = pd.Period(start, "M"), series.index[0]
    t = np.array([(m - origin).n for m in series.index], dtype=float)
    after = (series.index >= first).astype(float)
    since = np.where(after > 0, t - (first - origin).n, 0.0)
    design = np.column_stack([np.ones_like(t), t, after, since])
    model = sm.WLS(series["mean"].to_numpy(), design, weights=series["size"].to_numpy())
    classical = model.fit()
    hac = model.fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    se = max(classical.bse[2], hac.bse[2])
    df = len(series) - design.shape[1]
    effect = classical.params[2]
    half = student.ppf(0.5 + confidence / 2, df) * se
    p_value = 2 * student.sf(abs(effect) / se, df)
    return {
        "method": ITS_METHOD,
        "effect": effect,
        "ci_low": effect - half,
        "ci_high": effect + half,
        "p_value": p_value,
        "verdict": UNLIKELY_CHANCE if p_value < alpha else COULD_BE_CHANCE,
        "n_treated_before": int(series["size"][after == 0].sum()),
        "n_treated_after": int(series["size"][after > 0].sum()),
        "n_comparison_before": 0,
        "n_comparison_after": 0,
        "clusters": len(series),
    }


def action_effects(client: ClientData, log: list[LoggedAction] | None = None) -> pd.DataFrame:
    """Each logged change's effect on each of its metrics, one row per action and metric.

    Difference-in-differences when the action names treated segment levels
    and the other levels answered before and after: the units of inference
    are the levels (or combinations of levels) of the segments the action
    names, ``unit`` names those segments and ``units`` counts them.
    Otherwise an interrupted time series on the touchpoint's monthly means
    (needs at least three months on each side). Verdicts use the client's
    significance level. Rows that cannot be estimated say why in ``method``
    and have no effect.
    """
    rows = []
    for logged in client.config.action_log if log is None else log:
        data, after, treated, placed = _action_answers(client.responses, logged)
        start = pd.Timestamp(logged.start)
        treated_levels = logged.treated or {}
        base = {
            "action": logged.action,
            "treated": _describe(logged.treated),
            "touchpoint": logged.touchpoint or "all",
            "start": logged.start,
        }
        for metric in logged.metrics:
            values = answer_values(data, metric, client.scales)
            keep = values.notna()
            if not keep.any():
                continue
            compared = keep & placed
            comparison = ~treated & compared
            cells_present = (
                logged.treated
                and (comparison & ~after).any()
                and (comparison & after).any()
                and (treated & compared & ~after).any()
                and (treated & compared & after).any()
            )
            months = data.loc[keep & treated, "submitted_at"].dt.to_period("M")
            enough_months = (
                months[after[keep & treated]].nunique() >= 3 and months[~after[keep & treated]].nunique() >= 3
            )
            result: dict
            if cells_present:
                answers = _did_answers(data, values, after, treated, compared, treated_levels)
                result = difference_in_differences(
                    answers["value"], answers["treated"], answers["after"], answers["unit"], alpha=client.alpha
                ) | {"unit": " × ".join(treated_levels)}
            elif enough_months:
                result = interrupted_time_series(
                    values[keep & treated], data.loc[keep & treated, "submitted_at"], start, alpha=client.alpha
                )
            else:
                result = {"method": NOT_ESTIMABLE}
            rows.append(base | {"metric": metric} | result)
    return pd.DataFrame(rows, columns=EFFECT_COLUMNS)


def _action_answers(
    responses: pd.DataFrame, logged: LoggedAction
) -> tuple[pd.DataFrame, pd.Series, pd.Series, pd.Series]:
    """The answers a logged change is judged on (its touchpoint's), and for each whether it came after the
    start, lies in a treated unit, and has a level of every treated segment (a unit at all)."""
    data = responses if logged.touchpoint is None else responses[responses["touchpoint"] == logged.touchpoint]
    after = data["submitted_at"] >= pd.Timestamp(logged.start)
    treated = pd.Series(True, index=data.index)
    treated_levels = logged.treated or {}
    for column, levels in treated_levels.items():
        treated &= data[column].astype("string").isin(levels).fillna(False)
    # An answer without a level of the treated segments belongs to no unit the change could be assigned to.
    placed = data[list(treated_levels)].notna().all(axis=1)
    return data, after, treated, placed


def _did_answers(
    data: pd.DataFrame,
    values: pd.Series,
    after: pd.Series,
    treated: pd.Series,
    compared: pd.Series,
    treated_levels: dict[str, list[str]],
) -> pd.DataFrame:
    """The answers a difference-in-differences compares: value, treated, after and unit, one row each."""
    units = data.loc[compared, list(treated_levels)].astype("string").agg(" × ".join, axis=1)
    return pd.DataFrame(
        {"value": values[compared], "treated": treated[compared], "after": after[compared], "unit": units}
    )


def did_answers(client: ClientData, logged: LoggedAction, metric: str) -> pd.DataFrame:
    """The answers on which :func:`action_effects` judges a logged change by difference-in-differences.

    One row per answer of the change's touchpoint with a value on ``metric`` (on the scale the metric
    is reported on: 100 or 0 for a share) and a level of every treated segment: ``value``,
    ``treated`` (its unit got the change), ``after`` (given on or after the start) and ``unit``
    (the levels of the treated segments). The same selection as :func:`action_effects`, which
    estimates the effect from exactly these answers when the action names treated levels.
    """
    if not logged.treated:
        raise ValueError("A difference-in-differences needs the treated segment levels of the action.")
    data, after, treated, placed = _action_answers(client.responses, logged)
    values = answer_values(data, metric, client.scales)
    return _did_answers(data, values, after, treated, values.notna() & placed, logged.treated)


def did_group_means(answers: pd.DataFrame) -> pd.DataFrame:
    """The four means a difference-in-differences compares, from :func:`did_answers`.

    One row per group (``treated`` or ``comparison``) and side (``before`` or ``after`` the change),
    with its answers ``n`` and their ``mean``, computed from the units' counts and sums as
    :func:`difference_in_differences` computes them; the effect is
    (treated after − treated before) − (comparison after − comparison before).

    Examples
    --------
    >>> import pandas as pd
    >>> answers = pd.DataFrame({"value": [5.0, 7, 4, 4, 6, 5], "treated": [True, True, False, False, False, False],
    ...                         "after": [False, True, False, True, False, True], "unit": list("NNSSEE")})
    >>> means = did_group_means(answers)
    >>> means["n"].tolist(), means["mean"].tolist()
    ([1, 1, 2, 2], [5.0, 7.0, 5.0, 4.5])
    """
    cells = _unit_cells(answers["value"], answers["treated"], answers["after"], answers["unit"])
    rows = []
    for group, chosen in (("treated", cells["treated"]), ("comparison", ~cells["treated"])):
        for side in ("before", "after"):
            n, total = cells.loc[chosen, f"n_{side}"].sum(), cells.loc[chosen, f"sum_{side}"].sum()
            rows.append({"group": group, "side": side, "n": int(n), "mean": total / n})
    return pd.DataFrame(rows)


def method_label(method: str) -> str:
    """The short name of an effect's method, for a table column: the full name stays in the results.

    A row that could not be estimated keeps its reason whole.

    Examples
    --------
    >>> method_label("interrupted time series (segmented WLS on monthly means)")
    'interrupted time series'
    """
    return _(_SHORT_METHODS[method]) if method in _SHORT_METHODS else method


def _describe(treated: dict[str, list[str]] | None) -> str:
    return "; ".join(f"{column}: {', '.join(levels)}" for column, levels in (treated or {}).items()) or _("everyone")
