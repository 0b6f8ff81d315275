"""Operational KPIs: response counts, ticket periods, first-response times, complaints, churn and referrals."""

from __future__ import annotations

import math
import statistics
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from conftest import SURVEY_COLUMNS, survey_frame, write_client
from cxanalysis import kpis, open_client

NAN = float("nan")


def wilson(successes: int, n: int) -> tuple[float, float]:
    """Wilson's 95 % score interval in percent, typed out from the formula."""
    z, p = norm.ppf(0.975), successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * (centre - half), 100 * (centre + half)


def p90(hours: list[float]) -> float:
    """The 90th percentile with linear interpolation between order statistics (as spreadsheets compute it)."""
    return statistics.quantiles(hours, n=10, method="inclusive")[8]


def tickets_frame(rows: list[tuple[str, float, float]]) -> pd.DataFrame:
    """Tickets as the loader returns them: opened_at, first_response_hours and is_complaint (missing as NaN)."""
    return pd.DataFrame(
        {
            "ticket_id": [f"T{i}" for i in range(len(rows))],
            "opened_at": pd.to_datetime([opened for opened, _, _ in rows]),
            "first_response_hours": [hours for _, hours, _ in rows],
            "is_complaint": [flag for _, _, flag in rows],
        }
    )


# Two quarters of tickets and a third in which no ticket has a first-response time.
TICKETS = tickets_frame(
    [
        ("2025-01-03 08:00", 1.0, 0.0),
        ("2025-02-14 12:30", 3.0, 1.0),
        ("2025-03-31 23:59", 8.0, 0.0),
        ("2025-03-02 10:00", NAN, 1.0),  # no answer recorded yet: counted, but not timed
        ("2025-04-01 00:00", 2.0, NAN),  # the file does not say whether it was a complaint
        ("2025-05-20 09:00", 4.0, NAN),
        ("2025-07-07 07:07", NAN, 1.0),
    ]
)


def test_response_counts_count_responses_and_each_score_answered_per_group():
    responses = pd.DataFrame(
        {
            "period": ["2025Q1", "2025Q1", "2025Q1", "2025Q2", "2025Q2"],
            "region": ["Nord", "Sør", "Nord", "Nord", "Nord"],
            "nps": [9, NAN, 3, 10, NAN],
            "csat": [NAN, 4, NAN, NAN, NAN],
            "ces": [NAN] * 5,  # a survey that does not ask CES: a column of missing answers
            "comment": ["Rask levering", None, None, None, "For dyrt"],
        }
    )
    counts = kpis.response_counts(responses, ["period"])
    expected = pd.DataFrame(
        {
            "period": ["2025Q1", "2025Q2"],
            "responses": [3, 2],
            "nps_answers": [2, 1],
            "csat_answers": [1, 0],
            "ces_answers": [0, 0],
            "comment_answers": [1, 1],
        }
    )
    pd.testing.assert_frame_equal(counts, expected, check_dtype=False)
    by_region = kpis.response_counts(responses, ["period", "region"]).set_index(["period", "region"])
    assert by_region.loc[("2025Q1", "Nord"), "responses"] == 2
    assert by_region.loc[("2025Q1", "Sør"), "csat_answers"] == 1
    assert ("2025Q2", "Sør") not in by_region.index  # a group with no responses is not a row


def test_response_counts_leave_out_a_period_without_responses():
    periods = pd.CategoricalDtype(["2025Q1", "2025Q2", "2025Q3"], ordered=True)
    responses = pd.DataFrame(
        {
            "period": pd.Series(["2025Q1", "2025Q3"], dtype=periods),
            "nps": [7, 8],
            "csat": [NAN, NAN],
            "ces": [NAN, NAN],
            "comment": [None, None],
        }
    )
    counts = kpis.response_counts(responses, ["period"])
    assert counts["period"].astype(str).tolist() == ["2025Q1", "2025Q3"]
    assert counts["responses"].tolist() == [1, 1]


def test_ticket_periods_by_quarter_and_by_month():
    tickets = tickets_frame(
        [("2024-12-31 23:59", 1.0, 0.0), ("2025-01-01 00:00", 1.0, 0.0), ("2025-06-30 12:00", 1.0, 0.0)]
    )
    assert kpis.ticket_periods(tickets, "quarter").tolist() == ["2024Q4", "2025Q1", "2025Q2"]
    assert kpis.ticket_periods(tickets, "month").tolist() == ["2024-12", "2025-01", "2025-06"]


def test_first_response_times_median_and_90th_percentile_of_timed_tickets():
    overall = kpis.first_response_times(TICKETS).iloc[0]
    timed = [1.0, 3.0, 8.0, 2.0, 4.0]
    assert overall["tickets"] == 5
    assert overall["median_hours"] == pytest.approx(statistics.median(timed))
    assert overall["p90_hours"] == pytest.approx(p90(timed))

    dated = TICKETS.assign(period=kpis.ticket_periods(TICKETS, "quarter"))
    by_quarter = kpis.first_response_times(dated, ["period"]).set_index("period")
    assert by_quarter.index.tolist() == ["2025Q1", "2025Q2"]  # Q3 has no timed ticket
    assert by_quarter.loc["2025Q1", "tickets"] == 3
    assert by_quarter.loc["2025Q1", "median_hours"] == pytest.approx(3.0)
    assert by_quarter.loc["2025Q1", "p90_hours"] == pytest.approx(3.0 + 0.8 * (8.0 - 3.0))
    assert by_quarter.loc["2025Q2", "median_hours"] == pytest.approx((2.0 + 4.0) / 2)


def test_first_response_times_without_any_time_recorded():
    untimed = TICKETS.assign(first_response_hours=NAN)  # a tickets file without the column
    overall = kpis.first_response_times(untimed).iloc[0]
    assert overall["tickets"] == 0 and np.isnan(overall["median_hours"]) and np.isnan(overall["p90_hours"])
    dated = untimed.assign(period=kpis.ticket_periods(untimed, "quarter"))
    assert kpis.first_response_times(dated, ["period"]).empty


def test_complaint_volume_counts_flags_and_leaves_unflagged_groups_missing():
    dated = TICKETS.assign(period=kpis.ticket_periods(TICKETS, "quarter"))
    volume = kpis.complaint_volume(dated, ["period"]).set_index("period")
    assert volume["tickets"].to_dict() == {"2025Q1": 4, "2025Q2": 2, "2025Q3": 1}
    assert volume.loc["2025Q1", "complaints"] == 2
    assert np.isnan(volume.loc["2025Q2", "complaints"])  # unknown, not zero
    assert volume.loc["2025Q3", "complaints"] == 1
    # the complaint rate a reader would compute from the table: 2 of 4 tickets in Q1
    assert volume.loc["2025Q1", "complaints"] / volume.loc["2025Q1", "tickets"] == pytest.approx(0.5)


def test_operational_kpis_by_quarter_typed_out():
    table = kpis.operational_kpis(TICKETS, "quarter")
    expected = pd.DataFrame(
        {
            "period": ["2025Q1", "2025Q2", "2025Q3"],
            "tickets": [3, 2, 0],
            "median_hours": [statistics.median([1.0, 3.0, 8.0]), statistics.median([2.0, 4.0]), NAN],
            "p90_hours": [p90([1.0, 3.0, 8.0]), p90([2.0, 4.0]), NAN],
            "tickets_all": [4, 2, 1],
            "complaints": [2.0, NAN, 1.0],
        }
    )
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    assert list(table.columns) == kpis.OPERATIONAL_KPI_COLUMNS


def test_operational_kpis_by_month_and_in_period_order():
    shuffled = TICKETS.sample(frac=1, random_state=3)
    table = kpis.operational_kpis(shuffled, "month")
    assert table["period"].tolist() == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-07"]
    assert table["tickets_all"].tolist() == [1, 1, 2, 1, 1, 1]
    assert table["tickets"].tolist() == [1, 1, 1, 1, 1, 0]
    assert table.set_index("period").loc["2025-03", "median_hours"] == 8.0


def test_operational_kpis_of_a_file_with_no_rows_is_an_empty_table_with_its_columns():
    table = kpis.operational_kpis(TICKETS.iloc[0:0], "quarter")
    assert table.empty and list(table.columns) == kpis.OPERATIONAL_KPI_COLUMNS


def test_churn_rates_overall_and_by_group_with_wilson_intervals():
    customers = pd.DataFrame(
        {"region": ["Nord", "Nord", "Nord", "Sør", "Sør", "Sør"], "churned": [1.0, 0.0, 0.0, 1.0, 1.0, NAN]}
    )
    overall = kpis.churn_rates(customers).iloc[0]
    assert (overall["customers"], overall["churned"]) == (5, 3)  # the customer with no flag is left out
    assert overall["churn"] == pytest.approx(60.0)
    assert overall["retention"] == pytest.approx(40.0)
    assert (overall["ci_low"], overall["ci_high"]) == pytest.approx(wilson(3, 5))

    by_region = kpis.churn_rates(customers, ["region"]).set_index("region")
    assert by_region.loc["Nord", "churn"] == pytest.approx(100 / 3)
    assert (by_region.loc["Nord", "ci_low"], by_region.loc["Nord", "ci_high"]) == pytest.approx(wilson(1, 3))
    sør = by_region.loc["Sør"]  # everyone left: the interval ends exactly at 100
    assert (sør["customers"], sør["churn"], sør["retention"], sør["ci_high"]) == (2, 100.0, 0.0, 100.0)
    assert sør["ci_low"] == pytest.approx(wilson(2, 2)[0])


def test_churn_rates_without_any_churn_flag_count_no_one_and_give_no_interval():
    customers = pd.DataFrame({"customer_id": ["C1", "C2"], "churned": [NAN, NAN]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no division by zero on the way
        row = kpis.churn_rates(customers).iloc[0]
    assert (row["customers"], row["churned"]) == (0, 0)
    assert np.isnan([row["churn"], row["ci_low"], row["ci_high"], row["retention"]]).all()


def test_referral_counts_per_customer_and_share_referring():
    customers = pd.DataFrame({"customer_id": ["C1", "C2", "C3", "C4"], "referrals": [0.0, 2.0, NAN, 1.0]})
    row = kpis.referral_counts(customers).iloc[0]
    assert (row["customers"], row["referrals"]) == (3, 3)
    assert row["per_100_customers"] == pytest.approx(100 * 3 / 3)
    assert row["share_referring"] == pytest.approx(100 * 2 / 3)


def test_referral_counts_are_none_when_the_file_records_no_referrals():
    assert kpis.referral_counts(pd.DataFrame({"customer_id": ["C1"]})) is None
    assert kpis.referral_counts(pd.DataFrame({"customer_id": ["C1"], "referrals": [NAN]})) is None


def test_a_client_without_tickets_or_customers_file_has_neither(tmp_path):
    survey_frame(8).to_csv(tmp_path / "survey.csv", index=False)
    source = {"name": "s", "path": "survey.csv", "columns": SURVEY_COLUMNS}
    client = open_client(write_client(tmp_path, [source], segments=["region"]))
    assert client.tickets is None and client.customers is None


def test_a_tickets_file_without_times_or_complaint_flags(tmp_path):
    """A client's tickets file may hold only ids and dates: times and complaints are then unknown, not zero."""
    survey_frame(8).to_csv(tmp_path / "survey.csv", index=False)
    pd.DataFrame({"ticket_id": ["T1", "T2", "T3"], "opened_at": ["2025-01-15", "2025-02-01", "2025-04-30"]}).to_csv(
        tmp_path / "tickets.csv", index=False
    )
    path = write_client(
        tmp_path,
        [{"name": "s", "path": "survey.csv", "columns": SURVEY_COLUMNS}],
        segments=["region"],
        tickets={"path": "tickets.csv"},
    )
    table = kpis.operational_kpis(open_client(path).tickets, "quarter")
    assert table["period"].tolist() == ["2025Q1", "2025Q2"]
    assert table["tickets_all"].tolist() == [2, 1]
    assert table["tickets"].tolist() == [0, 0]
    assert table[["median_hours", "p90_hours", "complaints"]].isna().all().all()
