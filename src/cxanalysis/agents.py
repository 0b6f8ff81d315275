"""Satisfaction by support team and by agent, without ranking agents on noise.

A team's CSAT and NPS come with their intervals (:func:`cxanalysis.metrics.summarise`). An agent's score
from a few dozen answers, or a handful, is mostly chance: ranked on its raw score, the agent with the
fewest answers lands at the top or the bottom. Each agent's score is therefore pulled towards their
team's mean by as much as its own answers leave it uncertain (partial pooling, empirical Bayes), and an
agent stands out only when the pulled ("shrunk") interval leaves out the team's mean. Agents with fewer
answers than the anonymity threshold are never named: they are pooled into one "other agents" line per
team (:func:`cxanalysis.anonymity.hidden_cells`, so that no small agent can be worked out from the team).

Agent satisfaction (ASAT, from an optional file per team and period) is related to CSAT per team and
period by a least-squares slope (:func:`asat_relation`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from .anonymity import hidden_cells
from .loading import period_grain, period_labels
from .metrics import ESTIMATE_COLUMNS, estimates_from_statistics, metric_statistics
from .rules import DEFAULT_ALPHA
from .significance import adjust_p_values, last_year
from .translation import N_, _
from .words import STANDS_OUT, agent_label

if TYPE_CHECKING:
    import ibis

    from .client import ClientData

#: The scores shown by team and agent, where the team's answers have them.
AGENT_METRICS = ("csat", "nps")
#: Each metric's range: shrunk intervals are clipped to it.
METRIC_RANGES = {"csat": (0.0, 100.0), "nps": (-100.0, 100.0)}
#: The team of answers that name an agent but no team: their agents are pooled with each other.
NO_TEAM = N_("no team given")
#: The line that pools the agents not shown by name in a team (key in the results; words.py words it).
OTHER_AGENTS = "other agents"
SHRINKAGE_METHOD = "empirical Bayes towards the team mean; DerSimonian-Laird tau2 per team"
ASAT_METHOD = "OLS slope of ASAT on CSAT per team and period, t interval on n - 2 df; Pearson r, Fisher z interval"
#: Columns of the agents table.
AGENT_COLUMNS = [
    "team",
    "agent",
    "agents",
    "metric",
    "n",
    "n_effective",
    "estimate",
    "ci_low",
    "ci_high",
    "shrunk",
    "shrunk_low",
    "shrunk_high",
    "team_mean",
    "tau2",
    "shrinkage",
    "p_value",
    "p_adjusted",
    "stands_out",
    "method",
]


def shrink(
    estimates: Sequence[float] | np.ndarray,
    variances: Sequence[float] | np.ndarray,
    groups: Sequence[object] | np.ndarray | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Empirical-Bayes (partially pooled) estimates of units within groups, e.g. agents within teams.

    Parameters
    ----------
    estimates, variances : array-like
        Each unit's own estimate y and its sampling variance v.
    groups : array-like, optional
        Each unit's group (team); one group when not given. Each group gets its own mean and its own
        between-unit variance.
    confidence : float
        Level of the intervals.

    Returns
    -------
    pandas.DataFrame
        One row per unit, in input order: ``mean`` (the group's random-effects mean mu), ``mean_variance``,
        ``tau2``, ``shrinkage`` (B), ``shrunk``, ``shrunk_variance``, ``shrunk_low``, ``shrunk_high`` and
        ``units`` (units in the group).

    Notes
    -----
    The model is y_i ~ N(theta_i, v_i), theta_i ~ N(mu, tau^2) within a group. tau^2 is DerSimonian and
    Laird's method-of-moments estimate, truncated at 0: with w_i = 1 / v_i, the fixed-effect mean
    y_w = sum w y / sum w, Q = sum w (y - y_w)^2 and C = sum w - sum w^2 / sum w,
    tau^2 = max(0, (Q - (k - 1)) / C) for k units (0 for a group of one). With w*_i = 1 / (v_i + tau^2),
    mu = sum w* y / sum w* with variance 1 / sum w*. Each unit is pulled towards mu by Morris's (1983)
    shrinkage factor B_i = (k - 3) / (k - 1) v_i / (v_i + tau^2): theta_i = mu + (1 - B_i) (y_i - mu),
    with the variance v_i (1 - B_i) + B_i^2 / sum w* + 2 / (k - 3) B_i^2 (y_i - mu)^2, which counts the
    uncertainty of mu and of tau^2 itself; the interval is theta_i +/- z sqrt(that variance). Without the
    factor (k - 3) / (k - 1) and the last term, intervals cover the true values less often than their level
    says whenever tau^2 is estimated from few units (about 85 % of 95 % intervals with eight units); with
    them coverage is near the level (the tests simulate it). A unit whose answers are few (large v_i) is
    pulled most. A group of three units or fewer cannot estimate its spread: its units keep their own
    estimates (B = 0).

    References
    ----------
    DerSimonian, R., & Laird, N. (1986). Meta-analysis in clinical trials. Controlled Clinical Trials,
    7(3), 177-188.
    Morris, C. N. (1983). Parametric empirical Bayes inference: theory and applications. JASA, 78(381),
    47-55.

    Examples
    --------
    >>> out = shrink([50.0, 85.0, 70.0, 75.0, 66.0], [25.0, 25.0, 25.0, 400.0, 100.0])
    >>> round(float(out["tau2"].iloc[0]), 1), out["shrunk"].round(1).tolist()
    (218.2, [51.0, 84.2, 69.9, 72.9, 66.4])
    """
    y = np.asarray(estimates, dtype=float)
    v = np.asarray(variances, dtype=float)
    if np.any(~np.isfinite(v)) or np.any(v <= 0):
        raise ValueError("every sampling variance must be a positive number")
    group = np.zeros(len(y), dtype=np.intp) if groups is None else pd.factorize(pd.Series(groups))[0]
    size = int(group.max()) + 1 if len(group) else 0

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(group, weights=values, minlength=size)

    w = 1 / v
    units = np.bincount(group, minlength=size)
    fixed = total(w * y) / total(w)
    q = total(w * (y - fixed[group]) ** 2)
    c = total(w) - total(w**2) / total(w)
    with np.errstate(invalid="ignore", divide="ignore"):
        tau2 = np.where(units > 1, np.maximum(0.0, (q - (units - 1)) / c), 0.0)
    w_random = 1 / (v + tau2[group])
    mean = total(w_random * y) / total(w_random)
    mean_variance = 1 / total(w_random)
    spread_known = units > 3
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = np.where(spread_known, (units - 3) / (units - 1), 0.0)
        uncertain_b = np.where(spread_known, 2 / (units - 3), 0.0)
    b = factor[group] * v / (v + tau2[group])
    shrunk = mean[group] + (1 - b) * (y - mean[group])
    variance = v * (1 - b) + b**2 * mean_variance[group] + uncertain_b[group] * b**2 * (y - mean[group]) ** 2
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    return pd.DataFrame(
        {
            "mean": mean[group],
            "mean_variance": mean_variance[group],
            "tau2": tau2[group],
            "shrinkage": b,
            "shrunk": shrunk,
            "shrunk_variance": variance,
            "shrunk_low": shrunk - z * np.sqrt(variance),
            "shrunk_high": shrunk + z * np.sqrt(variance),
            "units": units[group],
        }
    )


def has_teams(client: ClientData) -> bool:
    """Whether the responses name a team or an agent."""
    return client.has("team") or client.has("agent")


def agent_window(client: ClientData) -> list[str]:
    """The periods teams and agents are judged over: the last twelve months, as segments are."""
    return last_year(client.periods)


def _window_responses(client: ClientData) -> pd.DataFrame | ibis.Table:
    """Every valid response of the last twelve months (in the engine for a sampled client)."""
    window = agent_window(client)
    if client.all_responses is None:
        return client.responses[client.responses["period"].isin(window)]
    return client.all_responses.filter(client.all_responses.period.isin(window))


def _team_metrics(client: ClientData) -> list[str]:
    """The scores of :data:`AGENT_METRICS` the answers with a team or agent have."""
    responses = client.responses
    named = responses["team"].notna() | responses["agent"].notna()
    return [m for m in AGENT_METRICS if responses.loc[named, m].notna().any()]


def team_scores(client: ClientData) -> pd.DataFrame:
    """CSAT and NPS by team over the last twelve months, with 95 % intervals and anonymity suppression.

    Columns: team, then :data:`~cxanalysis.metrics.ESTIMATE_COLUMNS`, ``se``, ``suppressed`` and
    ``periods`` (the window, e.g. '2025Q1-2025Q4').
    """
    if not client.has("team"):
        return pd.DataFrame(columns=["team", *ESTIMATE_COLUMNS, "se", "suppressed", "periods"])
    data = _window_responses(client)
    window = agent_window(client)
    parts = [client.summarise(metric, ["team"], data=data) for metric in _team_metrics(client)]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["team", *ESTIMATE_COLUMNS])
    table = table[table["team"].notna()].reset_index(drop=True)
    return table.assign(periods=f"{window[0]}-{window[-1]}")


def chance_as_low(answers: int, satisfied: int, team_share: float) -> float:
    """The chance that an agent as good as the team (each answer satisfied with the team's share) has at most
    ``satisfied`` satisfied customers among ``answers``: the binomial distribution's lower tail."""
    return float(stats.binom.cdf(satisfied, answers, team_share))


def team_differences(client: ClientData) -> pd.DataFrame:
    """Each team against the other teams over the last twelve months, p-values adjusted across the teams:
    :func:`cxanalysis.significance.segment_differences` with the team as the group (empty without teams)."""
    from .significance import segment_differences

    if not client.has("team"):
        return pd.DataFrame()
    return segment_differences(client, _team_metrics(client), ["team"])


def agent_estimates(
    responses: pd.DataFrame | ibis.Table,
    metric: str,
    *,
    min_n: int,
    scales: dict[str, tuple[int, int]] | None = None,
    confidence: float = 0.95,
    alpha: float = DEFAULT_ALPHA,
    adjust: str = "holm",
) -> pd.DataFrame:
    """Each agent's raw and shrunk score within their team; agents below ``min_n`` answers pooled, unnamed.

    An agent's sampling variance is the team's variance of one answer over the agent's design effective
    n, so that an agent whose few answers happen to agree (all satisfied, say) is not taken as certain.
    The shrinkage is :func:`shrink` (per team). Agents :func:`~cxanalysis.anonymity.hidden_cells` hides
    within their team (fewer than ``min_n`` answers, and the smallest others until the hidden hold
    ``min_n``) take part in estimating their team's mean and spread, but appear only in one line per team,
    agent :data:`OTHER_AGENTS`, with their count (``agents``) and pooled raw score; that line has no shrunk
    score, and shows no score when it holds fewer than ``min_n`` answers.

    ``p_value`` is the two-sided p of the shrunk score against the team mean on the shrunk score's own
    standard error (below ``1 - confidence`` exactly when the shrunk interval leaves the team mean out), and
    ``p_adjusted`` that p adjusted (``adjust``: Holm, or Benjamini-Hochberg) over every agent named, since
    ranking many agents at once finds some by chance. ``stands_out`` is 'below' or 'above' when the shrunk
    interval leaves out the team mean and the adjusted p is below ``alpha``, else ''.
    Columns: :data:`AGENT_COLUMNS`.
    """
    s = metric_statistics(responses, metric, ["team", "agent"], scales=scales)
    s = s[s["agent"].notna()].reset_index(drop=True)
    if s.empty:
        return pd.DataFrame(columns=AGENT_COLUMNS)
    s["team"] = s["team"].astype(object).where(s["team"].notna(), NO_TEAM)
    sums = [c for c in s.columns if c not in ("team", "agent")]
    teams = s.groupby("team", sort=True)[sums].sum()
    one_answer = estimates_from_statistics(teams.reset_index(), metric, confidence)["unit_variance"]
    # A team whose answers all agree has no spread of one answer: its agents all equal its mean, and the
    # smallest positive variance stands in so that none of them is taken as more certain than another.
    unit_variance = pd.Series(np.maximum(one_answer.to_numpy(), np.finfo(float).tiny), index=teams.index)
    raw = estimates_from_statistics(s, metric, confidence).reset_index(drop=True)
    low, high = METRIC_RANGES.get(metric, (0.0, 100.0))
    variance = s["team"].map(unit_variance).to_numpy(dtype=float) / raw["n_effective"].to_numpy()
    pooled = shrink(raw["estimate"], variance, s["team"], confidence)
    table = pd.DataFrame(
        {
            "team": s["team"],
            "agent": s["agent"].astype(object),
            "agents": 1,
            "metric": metric,
            "n": raw["n"],
            "n_effective": raw["n_effective"],
            "estimate": raw["estimate"],
            "ci_low": raw["ci_low"],
            "ci_high": raw["ci_high"],
            "shrunk": pooled["shrunk"],
            "shrunk_low": pooled["shrunk_low"].clip(low, high),
            "shrunk_high": pooled["shrunk_high"].clip(low, high),
            "team_mean": pooled["mean"],
            "tau2": pooled["tau2"],
            "shrinkage": pooled["shrinkage"],
            "method": SHRINKAGE_METHOD,
        }
    )
    distance = np.abs(pooled["shrunk"] - pooled["mean"]) / np.sqrt(pooled["shrunk_variance"])
    table["p_value"] = 2 * stats.norm.sf(distance)
    hidden = hidden_cells(table["n"], table[["team"]], min_n).to_numpy()
    table["p_adjusted"] = adjust_p_values(table["p_value"].where(~hidden), adjust)
    found = table["p_adjusted"] < alpha
    table["stands_out"] = np.select(
        [found & (table["shrunk_high"] < table["team_mean"]), found & (table["shrunk_low"] > table["team_mean"])],
        ["below", "above"],
        "",
    )
    others = _other_agents(s[hidden], table[hidden], metric, min_n, confidence)
    shown = table[~hidden].sort_values(["team", "shrunk"], ascending=[True, False])
    return pd.concat([shown, others], ignore_index=True)[AGENT_COLUMNS].sort_values("team", kind="stable")


def _other_agents(
    statistics: pd.DataFrame, hidden: pd.DataFrame, metric: str, min_n: int, confidence: float
) -> pd.DataFrame:
    """One line per team for its agents not shown by name: their count, answers and pooled raw score."""
    if hidden.empty:
        return pd.DataFrame(columns=AGENT_COLUMNS)
    sums = [c for c in statistics.columns if c not in ("team", "agent")]
    pooled = statistics.groupby("team", sort=True)[sums].sum().reset_index()
    raw = estimates_from_statistics(pooled, metric, confidence).reset_index(drop=True)
    team = hidden.groupby("team", sort=True).agg(agents=("agent", "size"), team_mean=("team_mean", "first"))
    lines = pd.DataFrame(
        {
            "team": pooled["team"],
            "agent": OTHER_AGENTS,
            "agents": team["agents"].to_numpy(),
            "metric": metric,
            "n": raw["n"],
            "n_effective": raw["n_effective"],
            "estimate": raw["estimate"],
            "ci_low": raw["ci_low"],
            "ci_high": raw["ci_high"],
            "team_mean": team["team_mean"].to_numpy(),
            "tau2": np.nan,
            "p_value": np.nan,
            "p_adjusted": np.nan,
            "stands_out": "",
            "method": SHRINKAGE_METHOD,
        }
    )
    small = lines["n"] < min_n
    lines.loc[small, ["n_effective", "estimate", "ci_low", "ci_high"]] = np.nan
    lines["n"] = lines["n"].astype("Int64").mask(small)
    return lines.reindex(columns=AGENT_COLUMNS)


def agent_scores(client: ClientData) -> pd.DataFrame:
    """:func:`agent_estimates` of CSAT and NPS (where the answers with an agent have them) over the last
    twelve months, with this client's anonymity threshold and scales."""
    if not client.has("agent"):
        return pd.DataFrame(columns=AGENT_COLUMNS)
    data = _window_responses(client)
    significance = client.config.significance
    parts = [
        agent_estimates(
            data, metric, min_n=client.min_n, scales=client.scales, alpha=client.alpha, adjust=significance.adjust
        )
        for metric in _team_metrics(client)
    ]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=AGENT_COLUMNS)


def slope_interval(x: Sequence[float], y: Sequence[float], confidence: float = 0.95) -> dict[str, float]:
    """Least-squares slope of y on x with a t interval, and Pearson's r with a Fisher z interval.

    Notes
    -----
    slope b = Sxy / Sxx, residual variance s^2 = sum e^2 / (n - 2), se(b) = s / sqrt(Sxx), interval
    b +/- t(n - 2) se(b), p from the same t. r = Sxy / sqrt(Sxx Syy); its interval is
    tanh(atanh(r) +/- z / sqrt(n - 3)) (Fisher 1921), given from n = 4.
    """
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(xs)
    empty = dict.fromkeys(["slope", "ci_low", "ci_high", "p_value", "r", "r_low", "r_high"], np.nan)
    dx, dy = xs - xs.mean(), ys - ys.mean()
    sxx, sxy, syy = float(dx @ dx), float(dx @ dy), float(dy @ dy)
    if n < 3 or sxx <= 0:
        return {"n": n, **empty}
    slope = sxy / sxx
    residual = (syy - slope * sxy) / (n - 2)
    se = np.sqrt(max(residual, 0.0) / sxx)
    t = stats.t.ppf(0.5 + confidence / 2, n - 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = float(2 * stats.t.sf(abs(slope / se), n - 2)) if se > 0 else 0.0
        r = sxy / np.sqrt(sxx * syy) if syy > 0 else np.nan
    r_low = r_high = np.nan
    if n >= 4 and np.isfinite(r) and abs(r) < 1:
        half = stats.norm.ppf(0.5 + confidence / 2) / np.sqrt(n - 3)
        r_low, r_high = float(np.tanh(np.arctanh(r) - half)), float(np.tanh(np.arctanh(r) + half))
    return {
        "n": n,
        "slope": slope,
        "ci_low": slope - t * se,
        "ci_high": slope + t * se,
        "p_value": p,
        "r": float(r),
        "r_low": r_low,
        "r_high": r_high,
    }


def asat_pairs(client: ClientData) -> pd.DataFrame:
    """Each row of the agent-satisfaction file beside its team's CSAT in that period.

    Columns: team, period, asat, respondents, csat, csat_low, csat_high, n (CSAT answers) and ``paired``:
    False where the team has no CSAT to show in that period (no answers, or fewer than the anonymity
    threshold), so that the row is left out of :func:`asat_relation` and counted.
    """
    asat = client.agent_satisfaction
    columns = ["team", "period", "asat", "respondents", "csat", "csat_low", "csat_high", "n", "paired"]
    if asat is None or not client.has("team") or not client.has("csat"):
        return pd.DataFrame(columns=columns)
    data = client.responses if client.all_responses is None else client.all_responses
    grain = period_grain(asat["period"]) or client.config.report.period
    if grain != client.config.report.period:  # CSAT counted in the file's periods (its quarters, say)
        if isinstance(data, pd.DataFrame):
            data = data.assign(period=period_labels(data["submitted_at"], grain))
        else:
            from .warehouse import engine_period

            data = data.mutate(period=engine_period(data["submitted_at"], grain))
    csat = client.summarise("csat", ["team", "period"], data=data)
    csat = csat[~csat["suppressed"]].astype({"team": str, "period": str})
    csat = csat.rename(columns={"estimate": "csat", "ci_low": "csat_low", "ci_high": "csat_high"})
    pairs = asat.astype({"team": str, "period": str}).merge(
        csat[["team", "period", "csat", "csat_low", "csat_high", "n"]], on=["team", "period"], how="left"
    )
    pairs["paired"] = pairs["csat"].notna()
    return pairs.sort_values(["team", "period"]).reset_index(drop=True)[columns]


def asat_relation(pairs: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """How agent satisfaction moves with CSAT across teams and periods: one row with the slope (ASAT points
    per CSAT point) and its interval, Pearson's r and its interval (:func:`slope_interval`), ``n`` (team
    periods paired) and ``unpaired`` (ASAT rows without a CSAT to pair)."""
    paired = pairs[pairs["paired"].astype(bool)]
    fit = slope_interval(paired["csat"], paired["asat"], confidence)
    return pd.DataFrame([{**fit, "unpaired": int((~pairs["paired"].astype(bool)).sum()), "method": ASAT_METHOD}])


def agents_shown(agents: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One metric's agents as the chapter's table shows them: the pooled line worded, raw and shrunk scores
    under their own headings and the reading of who stands out in words."""
    rows = agents[agents["metric"] == metric]
    return pd.DataFrame(
        {
            "team": rows["team"].map(lambda team: _(NO_TEAM) if team == NO_TEAM else team),
            "agent": [agent_label(a, k) for a, k in zip(rows["agent"], rows["agents"])],
            "n": rows["n"],
            "raw_score": rows["estimate"],
            "ci_low": rows["ci_low"],
            "ci_high": rows["ci_high"],
            "after_shrinkage": rows["shrunk"],
            "shrunk_low": rows["shrunk_low"],
            "shrunk_high": rows["shrunk_high"],
            "team_mean": rows["team_mean"],
            "stands_out": [
                _(STANDS_OUT[s]) if a != OTHER_AGENTS else "" for s, a in zip(rows["stands_out"], rows["agent"])
            ],
        }
    ).reset_index(drop=True)
