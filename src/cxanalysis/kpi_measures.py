"""KPIs measured: each KPI of the stakeholders file with the latest value of the figure that measures it.

A KPI names its figure under ``measure`` (:data:`cxanalysis.program.KPI_MEASURES`); this module takes the
figure's latest value, interval and n from the function of the book that computes it (the survey scores of
:mod:`cxanalysis.metrics`, :mod:`cxanalysis.response_rates`, :mod:`cxanalysis.follow_up` and
:mod:`cxanalysis.kpis`), never from a formula of its own, so that chapter 1's scorecard shows the same number
as the chapter that explains it.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import follow_up, kpis, response_rates
from .program import SCORE_MEASURES
from .translation import N_, _
from .words import metric_label

if TYPE_CHECKING:
    from .client import ClientData

#: The tidy table's columns (results/kpi_measures.csv), one row per KPI in the order of the stakeholders file.
COLUMNS = [
    "team",
    "kpi",
    "kind",
    "measure",
    "touchpoint",
    "period",
    "estimate",
    "ci_low",
    "ci_high",
    "n",
    "method",
    "status",
    "reason",
]

#: Each measure as the scorecard names it, with its unit (the survey scores are named by :func:`metric_label`).
MEASURE_NAMES = {
    "response_rate": N_("Response rate, all channels (%)"),
    "follow_up_rate": N_("Follow-up rate: contacted of those due (%)"),
    "time_to_contact": N_("Median working days from answer to contact"),
    "recovery_rate": N_("Recovery rate: moved up a group when asked again (%)"),
    "first_response_time": N_("Median first-response time (hours)"),
    "complaints": N_("Complaints (tickets flagged as complaints)"),
    "churn": N_("Churn (% of customers who left)"),
    "retention": N_("Retention (% of customers who stayed)"),
    "referrals": N_("Referrals per 100 customers"),
}

#: Why a measured KPI has no value, as the tidy table keeps it (``reason``) and as the scorecard says it.
REASONS = {
    "no_invitations": N_("no invitations file"),
    "no_follow_up_log": N_("no follow-up log"),
    "no_tickets": N_("no support-tickets file"),
    "no_complaint_flag": N_("the tickets file does not say which tickets are complaints"),
    "no_customers": N_("no customers file"),
    "no_churn_flag": N_("the customers file does not say who left"),
    "no_referrals": N_("the customers file records no referrals"),
    "not_asked": N_("no answers to this score"),
    "nothing_in_period": N_("nothing to count in this period"),
}

#: A KPI's kind, in the order the scorecard lists them, as a reader names it.
KINDS = {"strategic": N_("strategic"), "operational": N_("operational")}

#: Each closing-the-loop measure's figure in :func:`cxanalysis.follow_up.follow_up_figures`.
FOLLOW_UP_FIGURES = {
    "follow_up_rate": "follow_up_rate",
    "time_to_contact": "median_working_days",
    "recovery_rate": "recovery_rate",
}


def measure_name(measure: str | None, touchpoint: str | None = None) -> str:
    """A KPI's measure as the scorecard names it, in the report language: 'CSAT (% satisfied) at Store';
    'Not measured by this book' when the KPI names none."""
    if not isinstance(measure, str):
        return _("Not measured by this book")
    name = metric_label(measure) if measure in SCORE_MEASURES else _(MEASURE_NAMES[measure])
    if isinstance(touchpoint, str):
        return _("{measure} at {touchpoint}").format(measure=name, touchpoint=touchpoint)
    return name


def _value(period, estimate, ci_low, ci_high, n, method: str) -> dict:
    return {
        "period": period,
        "estimate": float(estimate),
        "ci_low": float(ci_low),
        "ci_high": float(ci_high),
        "n": int(n),
        "method": method,
        "status": "measured",
    }


def _missing(reason: str, period=None) -> dict:
    return {"period": period, "status": "missing", "reason": reason}


class _LatestFigures:
    """The latest value of each measure for one client, each source computed once."""

    def __init__(self, client: ClientData) -> None:
        self.client = client
        self.period = client.latest_period

    @cached_property
    def loop(self) -> follow_up.ClosingTheLoop:
        return follow_up.closing_the_loop(self.client)

    @cached_property
    def rates(self) -> response_rates.ResponseRates | None:
        return response_rates.response_rates(self.client)

    @cached_property
    def tickets(self) -> pd.DataFrame:
        """The latest period's tickets."""
        tickets = self.client.tickets
        assert tickets is not None
        return tickets[kpis.ticket_periods(tickets, self.client.config.report.period) == self.period]

    @cached_property
    def customers(self) -> tuple[pd.DataFrame, str | None]:
        """The customers of the file's latest period, and that period (None when the file gives none)."""
        customers = self.client.customers
        assert customers is not None
        periods = customers["period"].dropna()
        if periods.empty:
            return customers, None
        latest = str(periods.max())
        return customers[customers["period"] == latest], latest

    def figure(self, measure: str, touchpoint: str | None) -> dict:
        if measure in SCORE_MEASURES:
            return self._score(measure, touchpoint)
        if measure in FOLLOW_UP_FIGURES:
            return self._follow_up(FOLLOW_UP_FIGURES[measure])
        if measure == "response_rate":
            return self._response_rate()
        if measure in ("first_response_time", "complaints"):
            return self._tickets(measure)
        return self._customers(measure)

    def _score(self, measure: str, touchpoint: str | None) -> dict:
        """NPS, CSAT (% satisfied) or CES (mean) of the latest period, at the touchpoint when given."""
        if not self.client.has(measure) or (touchpoint is not None and not self.client.has("touchpoint")):
            return _missing("not_asked", self.period)
        by = ["period", "touchpoint"] if touchpoint is not None else ["period"]
        table = self.client.summarise(measure, by=by)
        latest = table["period"] == self.period
        if touchpoint is not None:
            latest &= table["touchpoint"] == touchpoint
        if not latest.any():
            return _missing("not_asked", self.period)
        row = table[latest].iloc[0]
        if row["suppressed"]:
            return {"period": self.period, "method": row["method"], "status": "too few answers"}
        return _value(self.period, row["estimate"], row["ci_low"], row["ci_high"], row["n"], row["method"])

    def _follow_up(self, figure: str) -> dict:
        """A closing-the-loop figure of the latest period, as chapter 8 reports it."""
        if not self.loop.has_log:
            return _missing("no_follow_up_log", self.loop.period)
        row = self.loop.figures.set_index("figure").loc[figure]
        if row["n"] == 0:
            return _missing("nothing_in_period", self.loop.period)
        return _value(self.loop.period, row["estimate"], row["ci_low"], row["ci_high"], row["n"], row["method"])

    def _response_rate(self) -> dict:
        """Responses of every invited channel of the latest period over those invited, with a Wilson interval;
        hidden when a channel's count of responses is, since the total would give it away."""
        if self.rates is None:
            return _missing("no_invitations", self.period)
        cells = self.rates.rates[self.rates.rates["period"] == self.period]
        if cells.empty:
            return _missing("nothing_in_period", self.period)
        if cells["suppressed"].any():
            return {"period": self.period, "method": "wilson", "status": "too few answers"}
        rate = response_rates.rate_estimates(
            pd.Series([cells["invited"].sum()]), pd.Series([cells["responses"].sum()])
        ).iloc[0]
        return _value(self.period, rate["estimate"], rate["ci_low"], rate["ci_high"], rate["n"], rate["method"])

    def _tickets(self, measure: str) -> dict:
        """The latest period's median first-response time, with an order-statistic interval
        (:func:`cxanalysis.follow_up.median_interval`), or its count of complaints."""
        if self.client.tickets is None:
            return _missing("no_tickets", self.period)
        if measure == "complaints":
            volume = kpis.complaint_volume(self.tickets.assign(period=self.period), ["period"])
            if volume.empty:
                return _missing("nothing_in_period", self.period)
            if pd.isna(volume["complaints"].iloc[0]):
                return _missing("no_complaint_flag", self.period)
            row = volume.iloc[0]
            return _value(self.period, row["complaints"], np.nan, np.nan, row["tickets"], "count")
        times = kpis.first_response_times(self.tickets).iloc[0]
        if times["tickets"] == 0:
            return _missing("nothing_in_period", self.period)
        low, high = follow_up.median_interval(self.tickets["first_response_hours"].dropna())
        return _value(self.period, times["median_hours"], low, high, times["tickets"], "order statistics")

    def _customers(self, measure: str) -> dict:
        """Churn or retention (%, Wilson interval) or referrals per 100 customers, of the customers file's
        latest period (of the whole file when it gives no period)."""
        if self.client.customers is None:
            return _missing("no_customers", self.period)
        customers, period = self.customers
        if measure == "referrals":
            referrals = kpis.referral_counts(customers)
            if referrals is None:
                return _missing("no_referrals", period)
            row = referrals.iloc[0]
            return _value(period, row["per_100_customers"], np.nan, np.nan, row["customers"], "mean")
        churn = kpis.churn_rates(customers).iloc[0]
        if churn["customers"] == 0:
            return _missing("no_churn_flag", period)
        if measure == "churn":
            return _value(period, churn["churn"], churn["ci_low"], churn["ci_high"], churn["customers"], "wilson")
        # retention is the complement of churn: its interval is churn's, turned round
        low, high = 100 - churn["ci_high"], 100 - churn["ci_low"]
        return _value(period, churn["retention"], low, high, churn["customers"], "wilson")


def kpi_measures(client: ClientData) -> pd.DataFrame:
    """Every KPI of the stakeholders file with the latest value of the figure that measures it.

    Returns
    -------
    DataFrame
        One row per KPI, in the order of the stakeholders file (:data:`COLUMNS`): its ``team`` (as named),
        ``kpi``, ``kind``, ``measure`` and ``touchpoint`` (missing when the KPI names none); the ``period``
        the value belongs to (the latest reporting period; the customers file's latest period for churn,
        retention and referrals, missing when that file gives none); ``estimate`` with its 95 % interval
        (``ci_low``, ``ci_high``; missing for a count or a mean with no interval) and ``n``, what the value
        rests on (answers, invited, customers due, contacted or re-surveyed, tickets, customers) and the
        interval's ``method``. ``status`` is "measured"; "too few answers" when the value is hidden for
        anonymity; "missing" when the client lacks the input, with the ``reason`` (:data:`REASONS`); or
        "no measure" when the KPI names no figure. Empty, with these columns, without a stakeholders file.

    Notes
    -----
    Each value is the one the chapter that explains the figure shows: survey scores from
    :meth:`~cxanalysis.client.ClientData.summarise` (chapter 3), response rate pooled over the latest
    period's channels with :func:`cxanalysis.response_rates.rate_estimates`, the closing-the-loop figures of
    :func:`cxanalysis.follow_up.closing_the_loop` (chapter 8), first-response time and complaints from
    :mod:`cxanalysis.kpis` (the median's interval from
    :func:`cxanalysis.follow_up.median_interval`), churn and retention from
    :func:`cxanalysis.kpis.churn_rates`.
    """
    if client.stakeholders is None:
        return pd.DataFrame(columns=COLUMNS)
    figures = _LatestFigures(client)
    known: dict[tuple[str, str | None], dict] = {}
    rows = []
    for team in client.stakeholders.teams:
        for kpi in team.kpis:
            row = {"team": team.name, "kpi": kpi.name, "kind": kpi.kind, "measure": kpi.measure}
            row["touchpoint"] = kpi.touchpoint
            if kpi.measure is None:
                row["status"] = "no measure"
            else:
                key = (kpi.measure, kpi.touchpoint)
                if key not in known:
                    known[key] = figures.figure(*key)
                row |= known[key]
            rows.append(row)
    table = pd.DataFrame(rows).reindex(columns=COLUMNS)
    return table.astype({"n": "Int64", "estimate": float, "ci_low": float, "ci_high": float})


def kpi_scorecard(measured: pd.DataFrame) -> pd.DataFrame:
    """The customer leg of a balanced scorecard, as chapter 1 shows it: each KPI (strategic first, then
    operational) with its owner, the figure that measures it (and why it has no value, when the input is
    missing), its ``latest`` value with ``ci_low`` and ``ci_high``, and its ``period``; ``suppressed`` when
    the value is hidden for anonymity. A KPI with no measure says it is not measured by this book."""
    order = measured["kind"].map(list(KINDS).index)
    card = measured.assign(_order=order).sort_values(["_order", "kpi"], kind="stable", ignore_index=True)
    measured_as = [
        _("{measure} — not available: {reason}").format(measure=name, reason=_(REASONS[reason]))
        if status == "missing"
        else name
        for name, status, reason in zip(
            map(measure_name, card["measure"], card["touchpoint"]), card["status"], card["reason"]
        )
    ]
    valued = card["status"].isin(["measured", "too few answers"])
    return pd.DataFrame(
        {
            "kind": card["kind"].map(lambda kind: _(KINDS[kind])),
            "kpi": card["kpi"],
            "owner": card["team"],
            "measured_as": measured_as,
            "latest": card["estimate"],
            "ci_low": card["ci_low"],
            "ci_high": card["ci_high"],
            "period": card["period"].where(valued).astype("string").fillna(""),
            "suppressed": card["status"] == "too few answers",
        }
    )
