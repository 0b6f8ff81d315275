"""Linking satisfaction to money: the revenue that dissatisfaction puts at risk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .metrics import wilson_interval
from .rules import top_box_threshold
from .translation import N_, _

#: The groups of customers the churn and lifetime-value tables compare, as ids in the result files, and as
#: a reader names them.
GROUP_LABELS = {
    "dissatisfied": N_("dissatisfied"),
    "satisfied": N_("satisfied"),
    "would buy again": N_("would buy again"),
    "would not": N_("would not"),
}


def group_label(group: str) -> str:
    """A compared group of customers in the report language; any other value as given."""
    return _(GROUP_LABELS[group]) if group in GROUP_LABELS else group


if TYPE_CHECKING:
    from .client import ClientData


def revenue_at_risk(customers, revenue_per_customer, csat, churn_if_dissatisfied) -> pd.DataFrame:
    """Revenue at risk from dissatisfied customers who may leave.

    Parameters
    ----------
    customers : number of active customers.
    revenue_per_customer : revenue per customer per period.
    csat : share satisfied, in percent (array-like for several scenarios).
    churn_if_dissatisfied : probability (0-1) that a dissatisfied customer leaves.

    Returns
    -------
    pandas.DataFrame
        One row per CSAT value: csat, dissatisfied_customers, revenue_at_risk
        and value_per_csat_point (the extra revenue at risk per point of CSAT lost).

    Notes
    -----
    at risk = customers x revenue per customer x (1 - CSAT/100) x churn.
    Each CSAT point is worth customers x revenue x churn / 100.

    Examples
    --------
    The method's worked example: 100 customers spending 100 each; at 90 %
    CSAT ten are dissatisfied and 95 % of them may leave.

    >>> revenue_at_risk(100, 100, [90, 75], 0.95)[["csat", "revenue_at_risk", "value_per_csat_point"]]
       csat  revenue_at_risk  value_per_csat_point
    0  90.0            950.0                  95.0
    1  75.0           2375.0                  95.0
    """
    csat = np.atleast_1d(np.asarray(csat, dtype=float))
    if ((csat < 0) | (csat > 100)).any():
        raise ValueError("csat is a percentage between 0 and 100")
    if not 0 <= churn_if_dissatisfied <= 1:
        raise ValueError("churn_if_dissatisfied is a probability between 0 and 1")
    dissatisfied = customers * (1 - csat / 100)
    at_risk = dissatisfied * revenue_per_customer * churn_if_dissatisfied
    return pd.DataFrame(
        {
            "csat": csat,
            "dissatisfied_customers": dissatisfied,
            "revenue_at_risk": np.round(at_risk, 9),
            "value_per_csat_point": np.round(customers * revenue_per_customer * churn_if_dissatisfied / 100, 9),
        }
    )


def linked_satisfaction(
    responses: pd.DataFrame, customers: pd.DataFrame, *, csat_scale: tuple[int, int], period: str | None = None
) -> pd.DataFrame:
    """The customers file joined to each customer's latest CSAT answer (in ``period`` when given),
    with ``dissatisfied``: that answer lies below the top boxes. Customers without an answer are left out."""
    answered = responses[responses["customer_id"].notna() & responses["csat"].notna()]
    if period is not None:
        answered = answered[answered["period"] == period]
    latest = answered.sort_values("submitted_at").groupby("customer_id", observed=True)["csat"].last()
    dissatisfied = (latest < top_box_threshold(csat_scale)).rename("dissatisfied")
    return customers.merge(dissatisfied, left_on="customer_id", right_index=True)


def churn_by_satisfaction(
    responses: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    csat_scale: tuple[int, int],
    period: str | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Churn of customers whose CSAT answer was not satisfied against those whose answer was.

    The definition matches the CSAT that revenue at risk multiplies: a
    customer is dissatisfied when their latest CSAT answer (in ``period``,
    when given: the period whose CSAT the book reports) lies below the top
    boxes of ``csat_scale``, so the churn of the dissatisfied is measured on
    the same group that 100 − CSAT counts. Customers are linked to answers by
    customer_id; customers without a CSAT answer are left out. Returns one
    row per group: group, customers, churned, churn (percent) with a Wilson
    interval.
    """
    linked = linked_satisfaction(responses, customers, csat_scale=csat_scale, period=period)
    grouped = linked[linked["churned"].notna()].groupby("dissatisfied")["churned"].agg(["size", "sum"])
    grouped = grouped.reindex([True, False]).dropna()
    low, high = wilson_interval(grouped["sum"] / grouped["size"], grouped["size"], confidence)
    return pd.DataFrame(
        {
            "group": np.where(grouped.index, "dissatisfied", "satisfied"),
            "customers": grouped["size"].astype(int).to_numpy(),
            "churned": grouped["sum"].astype(int).to_numpy(),
            "churn": 100 * (grouped["sum"] / grouped["size"]).to_numpy(),
            "ci_low": 100 * low,
            "ci_high": 100 * high,
        }
    )


PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def compound_churn(churn, periods: float):
    """Churn over ``periods`` churn periods when each keeps the same churn: 1 − (1 − c)^periods.

    Examples
    --------
    A customer who leaves with probability 10 % each quarter leaves within a
    year with probability 1 − 0.9⁴:

    >>> round(float(compound_churn(0.10, 4)), 4)
    0.3439
    """
    return 1 - (1 - np.asarray(churn, dtype=float)) ** periods


def churn_periods_per_revenue_period(client: ClientData) -> float:
    """How many of the customers file's churn periods (the reporting period: churn is flagged for the
    next one) make one ``money.revenue_period``: 4 quarters a year, 12 months a year, 1/3 quarter a month."""
    return PERIOD_MONTHS[client.config.money.revenue_period] / PERIOD_MONTHS[client.config.report.period]


def revenue_weighted_churn(revenue, churned) -> tuple[float, float]:
    """The share of a group's revenue that left, with its delta-method standard error: (c, se).

    With revenue x_i and churn flag y_i (1 left, 0 stayed) for the n
    customers of the group, c = Σ x_i y_i / Σ x_i, a ratio estimator. Its
    linearisation e_i = x_i (y_i − c) gives the standard (Cochran) variance
    var c ≈ n / (n − 1) · Σ e_i² / (Σ x_i)², the small-sample factor
    n / (n − 1) making it the textbook form with s_e² = Σ e_i² / (n − 1);
    with equal revenues it is c (1 − c) / (n − 1), the head-count variance
    with n − 1 for n. NaN when the group has fewer than two customers or no revenue.

    Examples
    --------
    Two of four customers leave, but they bring 100 of the group's 400:

    >>> c, se = revenue_weighted_churn([50, 50, 150, 150], [1, 1, 0, 0])
    >>> round(c, 2), round(se, 3)
    (0.25, 0.217)
    """
    x, y = np.asarray(revenue, dtype=float), np.asarray(churned, dtype=float)
    n, total = len(x), float(x.sum())
    if n < 2 or total <= 0:
        return float("nan"), float("nan")
    c = float((x * y).sum() / total)
    e = x * (y - c)
    return c, float(np.sqrt(n / (n - 1) * (e**2).sum() / total**2))


def _revenue_churn_rates(linked: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Per group of :func:`linked_satisfaction` (customers with a churn flag): the revenue-weighted churn
    (:func:`revenue_weighted_churn`, percent) with its normal interval, the customers it rests on, the
    customers left out for want of a revenue, and the covariance of the group's mean revenue with its rate."""
    from scipy.stats import norm

    z = norm.ppf(0.5 + confidence / 2)
    rows = []
    for flag, group in (True, "dissatisfied"), (False, "satisfied"):
        members = linked[linked["dissatisfied"] == flag]
        known = members.dropna(subset=["revenue"])
        x, y = known["revenue"].to_numpy(float), known["churned"].to_numpy(float)
        c, se = revenue_weighted_churn(x, y)
        # cov(mean revenue, c) ≈ Σ x_i e_i / ((n − 1) Σ x_i): the linearisations of both, as in var c.
        cov = float((x * x * (y - c)).sum() / ((len(x) - 1) * x.sum())) if np.isfinite(c) else float("nan")
        rows.append(
            {
                "group": group,
                "revenue_customers": len(known),
                "revenue_missing": len(members) - len(known),
                "revenue_churn": 100 * c,
                "revenue_churn_se": 100 * se,
                "revenue_churn_low": 100 * max(c - z * se, 0.0),
                "revenue_churn_high": 100 * min(c + z * se, 1.0),
                "revenue_cov": cov,
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class AddedChurn:
    """The churn dissatisfaction adds over one revenue period: churn of dissatisfied minus satisfied customers.

    All rates are probabilities over one ``money.revenue_period``. From the
    customers file, whose churn flag covers the next reporting period, each
    group's churn c is converted with :func:`compound_churn`
    (1 − (1 − c)^k, k = ``periods`` reporting periods per revenue period,
    assuming the rate holds for all k), and ``se`` carries the interval
    through by the delta method. ``weighting`` says what c counts:
    "revenue" when it is the share of the group's revenue that left
    (:func:`revenue_weighted_churn`, the customers file carrying revenue),
    "customers" when it is the share of the group's customers that left
    (head counts; also the word for a value from the config).
    ``measured_dissatisfied`` and ``measured_satisfied`` are the rates per
    reporting period as the file gives them, weighted as ``weighting``
    says. ``se`` is None when the value comes from the config and is taken
    as given. ``table`` is :func:`churn_by_satisfaction` (head counts) when
    the customers file gave it, with the converted head-count churn and
    interval in ``churn_converted``, ``converted_low`` and
    ``converted_high``; when the file carries revenue, also the
    revenue-weighted churn per reporting period in ``revenue_churn``,
    ``revenue_churn_low`` and ``revenue_churn_high`` (percent, normal
    interval from the delta-method SE), converted in ``revenue_converted``,
    ``revenue_converted_low`` and ``revenue_converted_high``, with the
    customers it rests on (``revenue_customers``) and those left out for
    want of a revenue (``revenue_missing``). ``revenue_missing`` counts the
    latter over both groups when the weighting is by revenue.
    ``revenue_cov`` is the covariance of the mean revenue of the
    dissatisfied with their converted churn (both from the same customers;
    0 for head counts, whose covariance the interval leaves out).
    """

    added: float
    se: float | None
    dissatisfied: float | None
    satisfied: float | None
    source: str
    table: pd.DataFrame | None
    periods: float = 1.0
    dissatisfied_se: float | None = None
    measured_dissatisfied: float | None = None
    measured_satisfied: float | None = None
    weighting: str = "customers"
    revenue_missing: int = 0
    revenue_cov: float = 0.0


def added_churn(client: ClientData) -> AddedChurn | None:
    """The churn that dissatisfaction adds over one revenue period, from the customers file or the config.

    From the customers file when both groups of :func:`churn_by_satisfaction`
    (latest period) have at least the anonymity threshold of customers.
    When the file carries revenue, each group's churn is revenue-weighted:
    c_g = Σ x_i y_i / Σ x_i over the group's customers with revenue x_i and
    churn flag y_i, the share of the group's revenue that left, with
    var c_g ≈ n / (n − 1) · Σ x_i² (y_i − c_g)² / (Σ x_i)²
    (:func:`revenue_weighted_churn`); customers without a revenue are left
    out of it and counted. Should fewer than the anonymity threshold with a
    revenue remain in either group, or the file carry none, the churn is by
    head count: c_g = churned / n with var c_g = c_g (1 − c_g) / n.
    ``weighting`` records which. The file flags churn over the next
    reporting period; with k of those in one ``money.revenue_period`` each
    group's churn c becomes 1 − (1 − c)^k with standard error
    k (1 − c)^(k − 1) se(c) (delta method), and added = c_d − c_s with
    se = √(se_d² + se_s²), floored at zero for the headline
    (dissatisfaction does not keep customers). With revenue weighting and
    r the mean revenue of the dissatisfied, r c_d is the revenue of the
    dissatisfied who left per dissatisfied customer, so r × added is that
    revenue less the r c_s the satisfied rate would have taken: what
    dissatisfaction took beyond it, rather than head-count churn times a
    mean that misstates it when leavers spend less or more than stayers.
    Otherwise the config's ``money.churn_if_dissatisfied``, read as the
    churn dissatisfaction adds over one revenue period, with no interval.
    """
    if client.customers is not None and client.has("customer_id") and client.has("csat"):
        table = churn_by_satisfaction(
            client.responses, client.customers, csat_scale=client.scales["csat"], period=client.latest_period
        )
        groups = table.set_index("group")
        if {"dissatisfied", "satisfied"} <= set(groups.index) and groups["customers"].min() >= client.min_n:
            k = churn_periods_per_revenue_period(client)
            c_d, c_s = groups.loc["dissatisfied", "churn"] / 100, groups.loc["satisfied", "churn"] / 100
            n_d, n_s = groups.loc["dissatisfied", "customers"], groups.loc["satisfied", "customers"]
            s_d, s_s = np.sqrt(c_d * (1 - c_d) / n_d), np.sqrt(c_s * (1 - c_s) / n_s)
            weighting, missing, cov = "customers", 0, 0.0
            table = table.assign(
                churn_converted=100 * compound_churn(table["churn"] / 100, k),
                converted_low=100 * compound_churn(table["ci_low"] / 100, k),
                converted_high=100 * compound_churn(table["ci_high"] / 100, k),
            )
            if "revenue" in client.customers and client.customers["revenue"].notna().any():
                linked = linked_satisfaction(
                    client.responses, client.customers, csat_scale=client.scales["csat"], period=client.latest_period
                )
                rates = _revenue_churn_rates(linked[linked["churned"].notna()]).set_index("group")
                if rates["revenue_customers"].min() >= client.min_n and rates["revenue_churn"].notna().all():
                    weighting, missing = "revenue", int(rates["revenue_missing"].sum())
                    c_d, c_s = (
                        rates.loc["dissatisfied", "revenue_churn"] / 100,
                        rates.loc["satisfied", "revenue_churn"] / 100,
                    )
                    s_d = rates.loc["dissatisfied", "revenue_churn_se"] / 100
                    s_s = rates.loc["satisfied", "revenue_churn_se"] / 100
                    cov = float(k * (1 - c_d) ** (k - 1) * rates.loc["dissatisfied", "revenue_cov"])
                    shown = rates.reindex(table["group"])
                    table = table.assign(
                        revenue_customers=shown["revenue_customers"].to_numpy(),
                        revenue_missing=shown["revenue_missing"].to_numpy(),
                        revenue_churn=shown["revenue_churn"].to_numpy(),
                        revenue_churn_low=shown["revenue_churn_low"].to_numpy(),
                        revenue_churn_high=shown["revenue_churn_high"].to_numpy(),
                        revenue_converted=100 * compound_churn(shown["revenue_churn"].to_numpy() / 100, k),
                        revenue_converted_low=100 * compound_churn(shown["revenue_churn_low"].to_numpy() / 100, k),
                        revenue_converted_high=100 * compound_churn(shown["revenue_churn_high"].to_numpy() / 100, k),
                    )
            se_d = k * (1 - c_d) ** (k - 1) * s_d
            se_s = k * (1 - c_s) ** (k - 1) * s_s
            y_d, y_s = float(compound_churn(c_d, k)), float(compound_churn(c_s, k))
            return AddedChurn(
                y_d - y_s,
                float(np.sqrt(se_d**2 + se_s**2)),
                y_d,
                y_s,
                "the customers file",
                table,
                periods=k,
                dissatisfied_se=float(se_d),
                measured_dissatisfied=float(c_d),
                measured_satisfied=float(c_s),
                weighting=weighting,
                revenue_missing=missing,
                revenue_cov=cov,
            )
    configured = client.config.money.churn_if_dissatisfied
    if configured is not None:
        return AddedChurn(configured, None, None, None, "the config", None)
    return None


@dataclass(frozen=True)
class RevenuePerCustomer:
    """The revenue per customer that dissatisfaction puts at risk, per ``money.revenue_period``.

    From the customers file, the mean revenue of the customers whose latest
    CSAT answer in the latest period was not satisfied, with its standard
    error (``customers`` of them); from the config, its average, taken as
    given (``se`` 0, ``customers`` None).
    """

    value: float
    se: float
    customers: int | None

    @property
    def from_file(self) -> bool:
        return self.customers is not None


def revenue_per_customer(client: ClientData) -> RevenuePerCustomer | None:
    """Revenue per dissatisfied customer from the customers file's revenue column, when at least the
    anonymity threshold of dissatisfied customers have one; else the config's ``money.revenue_per_customer``."""
    customers = client.customers
    if customers is not None and "revenue" in customers and client.has("customer_id") and client.has("csat"):
        linked = linked_satisfaction(
            client.responses, customers, csat_scale=client.scales["csat"], period=client.latest_period
        )
        revenue = linked.loc[linked["dissatisfied"], "revenue"].dropna()
        if len(revenue) >= client.min_n:
            return RevenuePerCustomer(
                float(revenue.mean()), float(revenue.std(ddof=1) / np.sqrt(len(revenue))), len(revenue)
            )
    configured = client.config.money.revenue_per_customer
    return None if configured is None else RevenuePerCustomer(configured, 0.0, None)


def revenue_at_risk_interval(
    customers: float,
    revenue_per_customer: float,
    csat: float,
    csat_se: float,
    added: float,
    added_se: float,
    confidence: float = 0.95,
    revenue_se: float = 0.0,
    revenue_cov: float = 0.0,
) -> tuple[float, float, float]:
    """Revenue at risk with a delta-method interval: (estimate, low, high).

    R = C (1 − s) r a with C customers, r the revenue per dissatisfied
    customer, s the CSAT share satisfied and a the added churn (both 0-1).
    The share and the churn rates within its groups are asymptotically
    independent (the group share and the conditional rates of a multinomial
    are orthogonal), and so is the mean revenue, taken as such, so
    var R ≈ C² [(r a)² var s + ((1 − s) a)² var r + ((1 − s) r)² var a
    + 2 (1 − s)² r a cov(r, a)], and the interval is R ± z √var R, floored
    at zero. ``revenue_cov`` is cov(r, a): with revenue-weighted churn the
    mean revenue and the churn of the dissatisfied rest on the same
    customers' revenues (:attr:`AddedChurn.revenue_cov`); 0 by default. A
    negative added churn counts as none.

    Examples
    --------
    The method's worked example, with both inputs known exactly:

    >>> [round(x) for x in revenue_at_risk_interval(100, 100, 0.9, 0.0, 0.95, 0.0)]
    [950, 950, 950]
    """
    from scipy.stats import norm

    a, r, gap = max(added, 0.0), revenue_per_customer, 1 - csat
    estimate = customers * gap * r * a
    variance = (
        (r * a * csat_se) ** 2
        + (gap * a * revenue_se) ** 2
        + (gap * r * added_se) ** 2
        + 2 * gap**2 * r * a * revenue_cov
    )
    se = customers * np.sqrt(max(variance, 0.0))
    z = norm.ppf(0.5 + confidence / 2)
    return float(estimate), float(max(estimate - z * se, 0.0)), float(estimate + z * se)


#: The quantity of the all-churn view: the revenue of every dissatisfied customer expected to leave.
ALL_CHURN = "revenue of all leaving dissatisfied"


@dataclass(frozen=True)
class RiskEstimate:
    """Revenue at risk today, with its 95 % interval and every input behind it.

    ``file_customers`` is the number of customers in the customers file
    (None without one): the customers linked to survey answers, against the
    whole base in ``customers`` (``money.customers``). ``all_churn`` is the
    all-churn view, one row shaped like :attr:`table`, from the customers file only.
    """

    csat: float
    csat_low: float
    csat_high: float
    n: int
    churn: AddedChurn
    customers: int
    revenue: RevenuePerCustomer
    target: float
    table: pd.DataFrame
    file_customers: int | None = None
    all_churn: pd.DataFrame | None = None

    def value(self, quantity: str) -> pd.Series:
        """The row of :attr:`results` for ``quantity`` (estimate, ci_low, ci_high): "revenue at risk",
        "value per CSAT point", "dissatisfied customers", "added churn", and from the customers file
        "revenue of all leaving dissatisfied" (the all-churn view)."""
        return self.results.set_index("quantity").loc[quantity]

    @property
    def results(self) -> pd.DataFrame:
        """:attr:`table` (the headline and its inputs) with the all-churn view after it, when there is one."""
        return self.table if self.all_churn is None else pd.concat([self.table, self.all_churn], ignore_index=True)


def revenue_at_risk_now(client: ClientData) -> RiskEstimate | None:
    """Revenue at risk at the latest CSAT from the churn dissatisfaction adds, with a 95 % interval.

    R = C (1 − s) r a: C customers in the base (``money.customers``), s the
    CSAT share satisfied in the latest period, r the revenue per
    dissatisfied customer (:func:`revenue_per_customer`) and a the churn
    dissatisfaction adds (:func:`added_churn`). Revenue and churn cover the
    same period, one ``money.revenue_period`` (:func:`added_churn` converts
    the file's churn). When the customers file carries revenue, the churn
    is revenue-weighted (``churn.weighting`` "revenue"): c_d is the share
    of the dissatisfied's revenue that left, so r c_d is the revenue of the
    dissatisfied who left per dissatisfied customer and
    R = C (1 − s) [r c_d − r c_s] is the revenue the dissatisfied took with
    them beyond what the satisfied rate would have taken (exactly so for a
    churn period as long as the revenue period); otherwise head-count churn.
    The tidy table has one row per quantity (dissatisfied customers,
    revenue per customer, added churn in percentage points, revenue at
    risk, value of a CSAT point) with its estimate and 95 % interval (delta
    method, :func:`revenue_at_risk_interval`, with the covariance of r and a
    when both rest on the same revenues; the value of a CSAT point,
    C r a / 100, has var = (C / 100)² [(a se_r)² + (r se_a)² + 2 a r cov(r, a)];
    no interval for a quantity whose inputs come from the config). From the
    customers file, ``all_churn`` adds the revenue of all dissatisfied
    customers expected to leave, C (1 − s) r c_d: the all-churn view, which
    also counts those who would leave if satisfied. None when inputs are missing.
    """
    money = client.config.money
    churn = added_churn(client)
    revenue = revenue_per_customer(client)
    if not client.has("csat") or money.customers is None or revenue is None or churn is None:
        return None
    latest = client.summarise("csat", ["period"])
    latest = latest[latest["period"] == client.latest_period].iloc[0]
    share, share_se = latest["estimate"] / 100, latest["se"] / 100
    churn_se = churn.se if churn.se is not None else 0.0
    # The mean revenue and the revenue-weighted churn share the dissatisfied's revenues; from the config, no covariance.
    cov = churn.revenue_cov if revenue.from_file else 0.0
    risk = revenue_at_risk_interval(
        money.customers, revenue.value, share, share_se, churn.added, churn_se, revenue_se=revenue.se, revenue_cov=cov
    )
    point = money.customers * revenue.value / 100
    added_low, added_high = churn.added - 1.959964 * churn_se, churn.added + 1.959964 * churn_se
    exact = churn.se is None
    revenue_half = 1.959964 * revenue.se if revenue.from_file else np.nan
    a = max(churn.added, 0.0)
    point_value = point * a
    point_variance = (a * revenue.se) ** 2 + (revenue.value * churn_se) ** 2 + 2 * a * revenue.value * cov
    point_half = 1.959964 * money.customers / 100 * np.sqrt(max(point_variance, 0.0))
    table = pd.DataFrame(
        {
            "quantity": [
                "dissatisfied customers",
                "revenue per customer",
                "added churn",
                "revenue at risk",
                "value per CSAT point",
            ],
            "estimate": [
                money.customers * (1 - share),
                revenue.value,
                100 * churn.added,
                risk[0],
                point_value,
            ],
            "ci_low": [
                money.customers * (1 - latest["ci_high"] / 100),
                revenue.value - revenue_half,
                100 * added_low if not exact else np.nan,
                risk[1] if not exact else np.nan,
                max(point_value - point_half, 0.0) if not exact else np.nan,
            ],
            "ci_high": [
                money.customers * (1 - latest["ci_low"] / 100),
                revenue.value + revenue_half,
                100 * added_high if not exact else np.nan,
                risk[2] if not exact else np.nan,
                point_value + point_half if not exact else np.nan,
            ],
        }
    )
    weighted = churn.weighting == "revenue"
    from_config = _("from the config")
    table["method"] = [
        _("customers x (1 - CSAT), CSAT's Wilson interval"),
        _("mean revenue of the dissatisfied in the customers file") if revenue.from_file else from_config,
        from_config
        if exact
        else _("revenue-weighted churn of dissatisfied minus satisfied customers")
        if weighted
        else _("churn of dissatisfied minus satisfied customers"),
        _("delta method on CSAT, revenue and added churn") if not exact else _("CSAT's interval only"),
        _("customers x revenue x added churn / 100")
        if exact
        else _("customers x revenue x added churn / 100, delta method on revenue and added churn"),
    ]
    all_churn = None
    if churn.dissatisfied is not None and churn.dissatisfied_se is not None:
        everyone = revenue_at_risk_interval(
            money.customers,
            revenue.value,
            share,
            share_se,
            churn.dissatisfied,
            churn.dissatisfied_se,
            revenue_se=revenue.se,
            revenue_cov=cov,
        )
        all_churn = pd.DataFrame(
            [
                [
                    ALL_CHURN,
                    *everyone,
                    _("customers x (1 - CSAT) x revenue x revenue-weighted churn of the dissatisfied, delta method")
                    if weighted
                    else _("customers x (1 - CSAT) x revenue x churn of the dissatisfied, delta method"),
                ]
            ],
            columns=table.columns,
        )
    if exact:  # only CSAT varies: carry its interval through
        low = revenue_at_risk(money.customers, revenue.value, latest["ci_high"], churn.added)
        high = revenue_at_risk(money.customers, revenue.value, latest["ci_low"], churn.added)
        at_risk = table["quantity"] == "revenue at risk"
        table.loc[at_risk, ["ci_low", "ci_high"]] = low["revenue_at_risk"].iloc[0], high["revenue_at_risk"].iloc[0]
    goals = client.stakeholders and [
        g
        for t in client.stakeholders.teams
        for g in t.goals
        if g.metric == "csat" and not g.touchpoint and not g.segment
    ]
    target = goals[0].target if goals else min(100.0, latest["estimate"] * 1.10)
    return RiskEstimate(
        latest["estimate"],
        latest["ci_low"],
        latest["ci_high"],
        int(latest["n"]),
        churn,
        money.customers,
        revenue,
        target,
        table,
        None if client.customers is None else len(client.customers),
        all_churn,
    )


def scenarios(risk: RiskEstimate, step: float = 1.0) -> pd.DataFrame:
    """Revenue at risk from 10 points below today's CSAT up to the target (or 10 above)."""
    top = min(100.0, max(risk.target, risk.csat + 10))
    levels = np.arange(max(0.0, np.floor(risk.csat) - 10), top + step / 2, step)
    return revenue_at_risk(risk.customers, risk.revenue.value, np.clip(levels, 0, 100), max(risk.churn.added, 0.0))


def lifetime_value(client: ClientData) -> pd.DataFrame | None:
    """Lifetime value of customers who say they would buy again, against those who say they would not.

    Customers are linked to their answers by customer_id (their latest
    answer counts). Per group: customers, mean revenue per reporting
    period, churn per period (Wilson 95 % interval), the expected number of
    periods before leaving (1 / churn, the mean of a geometric lifetime) and
    the lifetime value = revenue per period / churn, undiscounted, with the
    range from the churn interval. None without the answers or the customers file.

    Examples
    --------
    A customer spending 1,000 a quarter with a 5 % chance of leaving each
    quarter stays 20 quarters on average: 1,000 / 5 % = 20,000.
    """
    if client.customers is None or not client.has("would_buy_again") or not client.has("customer_id"):
        return None
    answers = client.responses[client.responses["would_buy_again"].notna() & client.responses["customer_id"].notna()]
    latest = answers.sort_values("submitted_at").groupby("customer_id", observed=True)["would_buy_again"].last()
    linked = client.customers[client.customers["churned"].notna()].merge(
        latest.rename("buy_again"), left_on="customer_id", right_index=True
    )
    if linked.empty:
        return None
    money = client.config.money
    months = {"month": 1, "quarter": 3}[client.config.report.period]
    per_period = months / (12 if money.revenue_period == "year" else 1)
    grouped = (
        linked.groupby("buy_again")
        .agg(customers=("churned", "size"), churned=("churned", "sum"), revenue=("revenue", "mean"))
        .reindex([1.0, 0.0])
        .dropna()
    )
    churn = grouped["churned"] / grouped["customers"]
    low, high = wilson_interval(churn, grouped["customers"])
    revenue = grouped["revenue"] * per_period
    with np.errstate(divide="ignore"):
        return pd.DataFrame(
            {
                "group": np.where(grouped.index == 1.0, "would buy again", "would not"),
                "customers": grouped["customers"].astype(int).to_numpy(),
                "revenue_per_period": revenue.to_numpy(),
                "churn": 100 * churn.to_numpy(),
                "ci_low": 100 * np.asarray(low),
                "ci_high": 100 * np.asarray(high),
                "expected_periods": (1 / churn).to_numpy(),
                "lifetime_value": (revenue / churn).to_numpy(),
                "lifetime_value_low": (revenue / high).to_numpy(),
                "lifetime_value_high": (revenue / low).to_numpy(),
            }
        )
