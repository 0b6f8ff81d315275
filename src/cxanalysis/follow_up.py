"""Closing the loop: the customers of the latest period to call back, and how the calling went.

The **follow-up list** holds every NPS detractor and every customer who
answered CSAT in its bottom boxes (:mod:`cxanalysis.rules`) in the latest
reporting period, with the owning team of the touchpoint (journey file) and
the day the follow-up is due: ``follow_up.service_level_days`` working days
(Monday to Friday) after the answer. It names customers, so it is written to
the build's private folder only (:func:`write_follow_up_list`), never to the
book or its results.

With a **follow-up log** (who was contacted when, resolved or not, the
question asked again), three figures tell how the loop is closed: the
follow-up rate (contacted among those due), the median time from answer to
contact in working days, and the recovery rate (re-surveyed customers whose
new answer lifts them out of their group). :func:`match_log` ties each log
row to the answer it followed up and quarantines the rows it cannot, with
their reason, as every other file's rows are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from .config import OperationalFile
from .errors import CXInputError
from .loading import REASONS, Table
from .metrics import wilson_interval
from .results import write_csv, write_xlsx
from .rules import DETRACTOR_TO, bottom_box_threshold, nps_group, satisfaction_band

if TYPE_CHECKING:
    from .client import ClientData

#: The columns of a survey answer the log is matched against.
ANSWER_COLUMNS = ("response_id", "customer_id", "submitted_at", "nps", "csat")
#: The follow-up list's columns (private/follow_up.csv); with a log, :data:`LOG_COLUMNS` follow.
LIST_COLUMNS = [
    "response_id",
    "customer_id",
    "survey",
    "touchpoint",
    "team",
    "score",
    "answer",
    "group",
    "comment",
    "submitted_on",
    "due_on",
]
LOG_COLUMNS = ["contacted_on", "working_days_to_contact", "resolved", "resurvey_score", "recovered"]
#: The tidy figures' columns (results/follow_up_figures.csv): no customer or response id.
FIGURE_COLUMNS = ["period", "as_of", "figure", "estimate", "ci_low", "ci_high", "n", "method"]
#: Where the log's rows are quarantined from, in the accounting.
LOG_SOURCE = "follow_up_log"


def due_dates(submitted: pd.Series, service_level_days: int) -> pd.Series:
    """The day each follow-up is due: ``service_level_days`` working days (Monday to Friday) after the answer.

    An answer given on a Saturday or Sunday counts from the next Monday. Public holidays are not known.

    >>> answered = pd.Series(pd.to_datetime(["2025-10-01 09:30", "2025-10-03 16:05", "2025-10-04 11:00"]))
    >>> due_dates(answered, 2).dt.strftime("%a %d %b").tolist()
    ['Fri 03 Oct', 'Tue 07 Oct', 'Wed 08 Oct']
    """
    days = submitted.to_numpy(dtype="datetime64[D]")
    due = np.busday_offset(days, service_level_days, roll="forward")
    return pd.Series(due, index=submitted.index).astype("datetime64[ns]")


def working_days(start: pd.Series, end: pd.Series) -> pd.Series:
    """Working days (Monday to Friday) from each ``start`` day to its ``end`` day: 0 on the same day, 1 the
    next working day; missing where either is missing. An answer on a weekend counts from the next Monday,
    as :func:`due_dates` does, so a follow-up is on time when its working days are at most the service level.

    >>> working_days(pd.Series(pd.to_datetime(["2025-10-03", "2025-10-04"])),
    ...              pd.Series(pd.to_datetime(["2025-10-07", "2025-10-06"]))).tolist()
    [2.0, 0.0]
    """
    known = start.notna() & end.notna()
    counted = np.busday_count(start[known].to_numpy(dtype="datetime64[D]"), end[known].to_numpy(dtype="datetime64[D]"))
    return pd.Series(counted, index=start.index[known], dtype=float).reindex(start.index)


def calls_for_follow_up(answers: pd.DataFrame, scales: Mapping[str, tuple[int, int]]) -> pd.DataFrame:
    """Each answer's reason for a follow-up: ``score`` (nps or csat), its ``answer`` and ``group``
    (detractor, dissatisfied); missing for an answer that calls for none. An NPS detractor is listed by
    NPS even when the same response also rates CSAT in its bottom boxes."""
    detractor = (nps_group(answers["nps"]) == "detractor").to_numpy()
    dissatisfied = (satisfaction_band(answers["csat"], scales["csat"]) == "dissatisfied").to_numpy() & ~detractor
    score = np.select([detractor, dissatisfied], ["nps", "csat"], default="")
    return pd.DataFrame(
        {
            "score": pd.Series(score, index=answers.index, dtype="string").replace("", pd.NA),
            "answer": answers["nps"].where(detractor, answers["csat"].where(dissatisfied)).astype(float),
            "group": pd.Series(
                np.select([detractor, dissatisfied], ["detractor", "dissatisfied"], default=""),
                index=answers.index,
                dtype="string",
            ).replace("", pd.NA),
        }
    )


def follow_up_list(
    answers: pd.DataFrame,
    scales: Mapping[str, tuple[int, int]],
    service_level_days: int,
    teams: Mapping[str, str],
    log: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The follow-up list of a period's ``answers``: one row per detractor or dissatisfied answer, oldest due
    date first, with the team owning its touchpoint (``teams``: touchpoint to team) and its due date
    (:func:`due_dates`). With a matched ``log`` (:func:`match_log`), each row also says when the customer
    was contacted, after how many working days, whether it was resolved, the answer to the question asked
    again and whether it lifted the customer out of the group (``recovered``; missing when not re-surveyed).
    """
    reason = calls_for_follow_up(answers, scales)
    listed = answers.join(reason)[reason["score"].notna()].copy()
    listed["team"] = listed["touchpoint"].astype("string").map(dict(teams)).astype("string")
    listed["submitted_on"] = listed["submitted_at"].dt.normalize()
    listed["due_on"] = due_dates(listed["submitted_at"], service_level_days)
    columns = list(LIST_COLUMNS)
    if log is not None:
        logged = log.drop_duplicates("response_id").set_index("response_id")
        listed = listed.join(logged[["contacted_at", "resolved", "resurvey_score"]], on="response_id")
        listed["contacted_on"] = listed["contacted_at"].dt.normalize()
        listed["working_days_to_contact"] = working_days(listed["submitted_on"], listed["contacted_on"])
        listed["recovered"] = recovered(listed, scales)
        columns += LOG_COLUMNS
    listed = listed.astype({"response_id": "string", "customer_id": "string", "survey": "string"})
    listed["touchpoint"] = listed["touchpoint"].astype("string")
    return listed.sort_values(["due_on", "submitted_at", "response_id"], kind="stable")[columns].reset_index(drop=True)


def recovered(listed: pd.DataFrame, scales: Mapping[str, tuple[int, int]]) -> pd.Series:
    """Whether a re-surveyed customer's new answer lifts them out of their group (a detractor answering as a
    passive or promoter, a dissatisfied customer as neutral or satisfied); missing when not re-surveyed."""
    again = listed["resurvey_score"]
    nps_up = nps_group(again) != "detractor"
    csat_up = satisfaction_band(again, scales["csat"]) != "dissatisfied"
    up = nps_up.where(listed["score"] == "nps", csat_up)
    return up.astype("boolean").mask(again.isna())


def median_interval(values, confidence: float = 0.95) -> tuple[float, float]:
    """A distribution-free interval for a median, from order statistics.

    The interval runs from the j-th smallest to the j-th largest value, with
    j the rank whose tail ``P(B <= j - 1)`` under ``B ~ Binomial(n, 1/2)``
    stays below ``(1 - confidence) / 2``: the number of values below the
    median is binomial whatever the distribution, so the interval covers
    the median with at least the stated confidence (exactly that for
    continuous data; more with ties, as whole days have). NaN bounds when
    too few values allow no such rank (fewer than six at 95 %).

    References: Conover, *Practical Nonparametric Statistics* (3rd ed.,
    1999), section 3.2; the same interval as
    ``scipy.stats.quantile_test(x, p=0.5).confidence_interval()``.

    >>> median_interval([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])
    (1.0, 6.0)
    """
    ordered = np.sort(np.asarray(values, dtype=float))
    n = len(ordered)
    if n == 0:
        return np.nan, np.nan
    j = int(stats.binom.ppf((1 - confidence) / 2, n, 0.5))  # P(B <= j - 1) < (1 - confidence) / 2
    if j < 1:
        return np.nan, np.nan
    return float(ordered[j - 1]), float(ordered[n - j])


def follow_up_figures(listed: pd.DataFrame, as_of: pd.Timestamp, period: str, confidence: float = 0.95) -> pd.DataFrame:
    """How the loop was closed for the listed answers due by ``as_of``: counts, and with a log the three
    figures with their intervals, as tidy rows (:data:`FIGURE_COLUMNS`).

    ``listed`` and ``due`` count the answers on the list and those whose due date has passed by ``as_of``.
    **follow_up_rate**: contacted among those due, in percent, Wilson interval. **median_working_days**: the
    median working days from answer to contact of those contacted, with an order-statistic interval
    (:func:`median_interval`). **recovery_rate**: re-surveyed customers whose new answer lifts them out of
    their group, in percent of those re-surveyed, Wilson interval. A figure with no one behind it is missing.
    """
    due = listed[listed["due_on"] <= as_of]
    rows = [
        {"figure": "listed", "estimate": float(len(listed)), "n": len(listed), "method": "count"},
        {"figure": "due", "estimate": float(len(due)), "n": len(due), "method": "count"},
    ]
    if "contacted_on" in listed:
        contacted = due["contacted_on"].notna()
        rows.append(_share("follow_up_rate", int(contacted.sum()), len(due), confidence))
        days = due.loc[contacted, "working_days_to_contact"]
        low, high = median_interval(days, confidence)
        rows.append(
            {
                "figure": "median_working_days",
                "estimate": float(days.median()) if len(days) else np.nan,
                "ci_low": low,
                "ci_high": high,
                "n": len(days),
                "method": "order statistics",
            }
        )
        again = due["recovered"].dropna()
        rows.append(_share("recovery_rate", int(again.sum()), len(again), confidence))
    figures = pd.DataFrame(rows).reindex(columns=FIGURE_COLUMNS)
    figures["period"] = period
    figures["as_of"] = pd.Timestamp(as_of).normalize()
    return figures.astype({"n": int})


def _share(figure: str, count: int, n: int, confidence: float) -> dict:
    if n == 0:
        return {"figure": figure, "estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n": 0, "method": "wilson"}
    low, high = wilson_interval(np.array([count / n]), np.array([n]), confidence)
    return {
        "figure": figure,
        "estimate": 100 * count / n,
        "ci_low": 100 * float(low[0]),
        "ci_high": 100 * float(high[0]),
        "n": n,
        "method": "wilson",
    }


# ---------------------------------------------------------------------------
# the log, matched to the answers it followed up


def match_log(log: Table, answers: pd.DataFrame, scales: Mapping[str, tuple[int, int]], spec: OperationalFile) -> Table:
    """The follow-up log's valid rows (indexed by spreadsheet row, :func:`~cxanalysis.loading.validate_rows`)
    each tied to the survey answer it followed up, the rows that cannot be quarantined with their reason.

    A row names its answer by ``response_id``; a row with only a ``customer_id`` follows up that customer's
    latest answer given on or before the contact (one that calls for a follow-up first). Quarantined:
    a row naming neither (``missing_required``), naming an answer no valid response has
    (``unknown_response``), contacting the customer before the answer was given
    (``contacted_before_answer``), following up an answer an earlier row followed up (``duplicate_id``),
    or asking the question again with an answer outside that score's scale (``score_out_of_range``).
    """
    rows = log.valid
    if len(rows) and rows["response_id"].isna().all() and rows["customer_id"].isna().all():
        raise CXInputError(
            "the follow-up log names no survey answer: no row has a response_id or a customer_id",
            file=spec.path,
            key="follow_up.log.columns",
            fix="map the log's column of survey response ids (response_id) or of customer ids (customer_id) "
            "under follow_up.log.columns",
        )
    answers = answers.assign(
        response_id=answers["response_id"].astype("string"), customer_id=answers["customer_id"].astype("string")
    )
    submitted = answers.drop_duplicates("response_id").set_index("response_id")["submitted_at"]
    reason = pd.Series(pd.NA, index=rows.index, dtype="string")
    where = pd.Series(pd.NA, index=rows.index, dtype="string")
    value = pd.Series(pd.NA, index=rows.index, dtype="string")

    def flag(mask: pd.Series, why: str, name: str, values: pd.Series) -> None:
        mask = mask.fillna(False).astype(bool) & reason.isna()
        reason[mask], where[mask], value[mask] = why, spec.columns.get(name, name), values[mask].astype("string")

    by_id = rows["response_id"].notna()
    flag(~by_id & rows["customer_id"].isna(), "missing_required", "response_id", pd.Series("", index=rows.index))
    flag(by_id & ~rows["response_id"].isin(submitted.index), "unknown_response", "response_id", rows["response_id"])
    resolved = rows["response_id"].where(by_id & reason.isna())
    by_customer = rows.index[~by_id & reason.isna()]
    resolved[by_customer] = _customer_answers(rows.loc[by_customer], answers, scales)
    flag(
        pd.Series(rows.index.isin(by_customer), index=rows.index) & ~rows["customer_id"].isin(answers["customer_id"]),
        "unknown_response",
        "customer_id",
        rows["customer_id"],
    )
    answered = resolved.map(submitted).astype("datetime64[ns]")
    early = rows["contacted_at"].dt.normalize() < answered.dt.normalize()
    early |= pd.Series(rows.index.isin(by_customer), index=rows.index) & resolved.isna() & rows["contacted_at"].notna()
    flag(early, "contacted_before_answer", "contacted_at", rows["contacted_at"].dt.strftime("%Y-%m-%d"))
    kept = resolved.where(reason.isna())
    flag(kept.notna() & kept.duplicated(), "duplicate_id", "response_id", kept)
    again = rows["resurvey_score"].map("{:g}".format)
    flag(_off_scale(rows, kept, answers, scales), "score_out_of_range", "resurvey_score", again)

    bad = reason.notna()
    quarantine = pd.DataFrame(
        {
            "source": LOG_SOURCE,
            "file": spec.path.name,
            "row": rows.index[bad],
            "reason": reason[bad].to_numpy(),
            "reason_text": reason[bad].map(REASONS).to_numpy(),
            "column": where[bad].to_numpy(),
            "value": value[bad].to_numpy(),
        }
    )
    valid = rows[~bad].assign(response_id=resolved[~bad]).reset_index(drop=True)
    return Table(
        valid,
        pd.concat([log.quarantine, quarantine], ignore_index=True),
        _recount(log.accounting, quarantine, spec.path.name),
        log.read_as,
    )


def _customer_answers(rows: pd.DataFrame, answers: pd.DataFrame, scales: Mapping[str, tuple[int, int]]) -> pd.Series:
    """For log rows naming a customer only: the response id of the customer's latest answer on or before the
    contact (any time when not contacted), an answer that calls for a follow-up before one that does not."""
    if rows.empty:
        return pd.Series(dtype="string")
    own = answers.assign(listed=calls_for_follow_up(answers, scales)["score"].notna())
    pairs = rows[["customer_id", "contacted_at"]].rename_axis("row").reset_index().merge(own, on="customer_id")
    before = pairs["contacted_at"].isna() | (
        pairs["submitted_at"].dt.normalize() <= pairs["contacted_at"].dt.normalize()
    )
    latest = pairs[before].sort_values(["listed", "submitted_at"], kind="stable").drop_duplicates("row", keep="last")
    return latest.set_index("row")["response_id"].reindex(rows.index).astype("string")


def _off_scale(
    rows: pd.DataFrame, response: pd.Series, answers: pd.DataFrame, scales: Mapping[str, tuple[int, int]]
) -> pd.Series:
    """Re-survey answers outside the scale (or not whole numbers) of the score the answer is followed up on
    (:func:`calls_for_follow_up`); for an answer that calls for none, NPS when it has one, else CSAT."""
    scored = answers.drop_duplicates("response_id").set_index("response_id")
    listed_by = calls_for_follow_up(scored, scales)["score"]
    by_nps = listed_by.eq("nps").fillna(False) | (listed_by.isna() & scored["nps"].notna())
    has_nps = response.map(by_nps).fillna(False).astype(bool)
    low = np.where(has_nps, scales["nps"][0], scales["csat"][0])
    high = np.where(has_nps, scales["nps"][1], scales["csat"][1])
    again = rows["resurvey_score"]
    return response.notna() & again.notna() & ((again < low) | (again > high) | (again != np.round(again)))


def _recount(accounting: pd.DataFrame, quarantine: pd.DataFrame, file: str) -> pd.DataFrame:
    """The log's accounting with the rows :func:`match_log` quarantined moved from valid to their reasons."""
    moved = quarantine["reason"].value_counts()
    accounting = accounting.copy()
    is_valid = accounting["outcome"] == "valid"
    accounting.loc[is_valid, "rows"] = accounting.loc[is_valid, "rows"] - int(moved.sum())
    added = pd.DataFrame(
        {"source": LOG_SOURCE, "file": file, "outcome": "quarantined", "reason": moved.index, "rows": moved.values}
    )
    accounting = pd.concat([accounting, added], ignore_index=True)
    return (
        accounting.groupby(["source", "file", "outcome", "reason"], sort=False, as_index=False)["rows"]
        .sum()
        .astype({"rows": int})
    )


# ---------------------------------------------------------------------------
# one client


@dataclass(frozen=True)
class ClosingTheLoop:
    """A client's follow-up list of the latest period and its figures."""

    period: str
    as_of: pd.Timestamp
    service_level_days: int
    #: The private list (:data:`LIST_COLUMNS`, with :data:`LOG_COLUMNS` when the client keeps a log).
    listed: pd.DataFrame
    #: The tidy figures (:func:`follow_up_figures`), for the book and results/.
    figures: pd.DataFrame
    has_log: bool


def latest_answers(client: ClientData) -> pd.DataFrame:
    """The latest period's answers that may call for a follow-up, with their comments (redacted): from
    every valid response, in the engine when the client is sampled."""
    columns = ["response_id", "customer_id", "survey", "touchpoint", "submitted_at", "nps", "csat", "comment"]
    if client.all_responses is None:
        responses = client.responses
        return responses.loc[responses["period"] == client.latest_period, columns].reset_index(drop=True)
    from .engine import execute
    from .privacy import Redactor

    everyone = client.all_responses
    bottom = bottom_box_threshold(client.scales["csat"])
    chosen = everyone.filter(
        (everyone.period == client.latest_period) & ((everyone.nps <= DETRACTOR_TO) | (everyone.csat <= bottom))
    )
    frame = execute(chosen.select(*columns))
    frame["comment"] = Redactor(client.config.privacy.patterns).redact_series(frame["comment"].astype("string"))
    return frame


def touchpoint_teams(client: ClientData) -> dict[str, str]:
    """Each touchpoint's owning team as a reader names it: the stakeholders file's name for the journey's
    team id, else the id in words; none without a journey file."""
    from .words import plain_name

    if client.journey is None:
        return {}
    names = {t.id: t.name for t in client.stakeholders.teams} if client.stakeholders is not None else {}
    return {
        touchpoint.name: names.get(touchpoint.owner, plain_name(touchpoint.owner))
        for stage in client.journey.stages
        for touchpoint in stage.touchpoints
    }


def closing_the_loop(client: ClientData) -> ClosingTheLoop:
    """The client's follow-up list of the latest period and its figures, as of the later of the latest
    answer in the data and the latest contact in the log."""
    settings = client.config.follow_up
    table = client.tables.get("follow_up_log")
    log = None if table is None else table.valid
    answers = latest_answers(client)
    listed = follow_up_list(answers, client.scales, settings.service_level_days, touchpoint_teams(client), log)
    latest_answer = client.responses["submitted_at"].max()
    as_of = (
        max(latest_answer, log["contacted_at"].max())
        if log is not None and log["contacted_at"].notna().any()
        else latest_answer
    )
    period = str(client.latest_period)
    return ClosingTheLoop(
        period,
        pd.Timestamp(as_of).normalize(),
        settings.service_level_days,
        listed,
        follow_up_figures(listed, pd.Timestamp(as_of).normalize(), period),
        log is not None,
    )


def write_follow_up_list(client: ClientData) -> list[Path]:
    """Write the follow-up list to the build's private folder, as CSV and XLSX: never to the book or results."""
    listed = closing_the_loop(client).listed
    folder = client.config.private_dir
    sheet = listed.assign(**{c: listed[c].dt.date for c in ("submitted_on", "due_on", "contacted_on") if c in listed})
    return [write_csv(listed, folder / "follow_up.csv"), write_xlsx(sheet, folder / "follow_up.xlsx", "Follow-up")]


__all__ = [
    "ClosingTheLoop",
    "closing_the_loop",
    "due_dates",
    "follow_up_figures",
    "follow_up_list",
    "match_log",
    "median_interval",
    "working_days",
    "write_follow_up_list",
]
