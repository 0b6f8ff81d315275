"""KPIs measured: a KPI names the figure of the book that measures it, and the scorecard shows its latest value."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

import cxanalysis as cx
from conftest import REPO, write_client
from cxanalysis import follow_up, kpi_measures, kpis, presentation, program, response_rates, worked
from cxanalysis.config import validate_model
from cxanalysis.errors import CXInputError
from cxanalysis.words import kpi_measures_sentence

SAMPLE = REPO / "data" / "sample"


@pytest.fixture(scope="module")
def sample_client(tmp_path_factory):
    return cx.open_client(SAMPLE / "client.yml", tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="module")
def sample_measures(sample_client):
    return kpi_measures.kpi_measures(sample_client).set_index("kpi")


def with_kpis(client, kpis_of_one_team: list[dict]):
    """The client with one team owning these KPIs, evaluated in memory."""
    plan = {"program_goal": "Happier customers", "teams": [{"id": "cx", "name": "CX", "role": "responsible"}]}
    plan["teams"][0]["kpis"] = kpis_of_one_team
    stakeholders = program.Stakeholders.model_validate(plan)
    return worked.exercise_client(client, stakeholders=stakeholders)


# --------------------------------------------------------------------------- the sample


def test_the_closed_loop_rate_is_the_follow_up_rate_chapter_8_reports(sample_client, sample_measures):
    loop = follow_up.closing_the_loop(sample_client)
    figure = loop.figures.set_index("figure").loc["follow_up_rate"]
    row = sample_measures.loc["Feedback closed-loop rate"]
    assert row["measure"] == "follow_up_rate" and row["status"] == "measured"
    assert row["period"] == loop.period == sample_client.latest_period
    assert (row["estimate"], row["ci_low"], row["ci_high"], row["n"]) == (
        figure["estimate"],
        figure["ci_low"],
        figure["ci_high"],
        figure["n"],
    )
    # and that is contacted among those due, with a Wilson interval, counted here from the private list
    due = loop.listed[loop.listed["due_on"] <= loop.as_of]
    contacted = int(due["contacted_on"].notna().sum())
    low, high = proportion_confint(contacted, len(due), method="wilson")
    assert row["estimate"] == pytest.approx(100 * contacted / len(due))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((100 * low, 100 * high))


def test_survey_score_kpis_are_the_latest_periods_summary(sample_client, sample_measures):
    latest = sample_client.responses["period"] == sample_client.latest_period
    for kpi, metric, touchpoint in [
        ("NPS (loyalty)", "nps", None),
        ("Support CSAT", "csat", "Support centre"),
        ("Returns effort", "ces", "Returns"),
    ]:
        scope = latest if touchpoint is None else latest & (sample_client.responses["touchpoint"] == touchpoint)
        expected = sample_client.summarise(metric, data=sample_client.responses[scope]).iloc[0]
        row = sample_measures.loc[kpi]
        assert (row["measure"], row["touchpoint"] if touchpoint else None) == (metric, touchpoint)
        assert row["estimate"] == pytest.approx(expected["estimate"])
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((expected["ci_low"], expected["ci_high"]))
        assert row["n"] == expected["n"]


def test_ticket_kpis_are_the_latest_quarters_tickets(sample_client, sample_measures):
    tickets = sample_client.tickets
    latest = tickets[tickets["opened_at"].dt.to_period("Q").astype(str) == sample_client.latest_period]
    hours = latest["first_response_hours"].dropna().to_numpy()
    row = sample_measures.loc["First-response time"]
    assert row["estimate"] == pytest.approx(np.median(hours))
    interval = stats.quantile_test(hours, q=np.median(hours), p=0.5).confidence_interval()
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((interval.low, interval.high))
    assert row["n"] == len(hours)
    operational = kpis.operational_kpis(tickets, "quarter").set_index("period").loc[sample_client.latest_period]
    complaints = sample_measures.loc["Complaint volume"]
    assert complaints["estimate"] == latest["is_complaint"].sum() == operational["complaints"]
    assert np.isnan(complaints["ci_low"]) and complaints["n"] == len(latest)


def test_retention_is_churn_turned_round(sample_client, sample_measures):
    customers = sample_client.customers
    known = customers.loc[customers["period"] == customers["period"].max(), "churned"].dropna()
    stayed = int((known == 0).sum())
    low, high = proportion_confint(stayed, len(known), method="wilson")
    row = sample_measures.loc["Retention"]
    assert row["estimate"] == pytest.approx(100 * stayed / len(known))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((100 * low, 100 * high))


def test_every_measure_resolves_on_the_sample_or_says_why_not(sample_client):
    client = with_kpis(sample_client, [{"name": m, "kind": "operational", "measure": m} for m in program.KPI_MEASURES])
    measured = kpi_measures.kpi_measures(client).set_index("kpi")
    assert list(measured.index) == list(program.KPI_MEASURES)
    assert set(measured["status"]) <= {"measured", "missing"}
    assert set(measured["reason"].dropna()) <= set(kpi_measures.REASONS)
    # the sample has every input but referral counts
    assert list(measured.index[measured["status"] == "missing"]) == ["referrals"]
    invitations = pd.read_csv(SAMPLE / "invitations.csv")
    latest = invitations[invitations["period"] == sample_client.latest_period]
    answered = measured.loc["response_rate"]
    rates = response_rates.response_rates(sample_client).rates
    responses = rates.loc[rates["period"] == sample_client.latest_period, "responses"].sum()
    low, high = proportion_confint(responses, latest["invited"].sum(), method="wilson")
    assert answered["estimate"] == pytest.approx(100 * responses / latest["invited"].sum())
    assert (answered["ci_low"], answered["ci_high"]) == pytest.approx((100 * low, 100 * high))
    loop = follow_up.closing_the_loop(sample_client).figures.set_index("figure")
    assert measured.loc["time_to_contact", "estimate"] == loop.loc["median_working_days", "estimate"]
    assert measured.loc["recovery_rate", "estimate"] == loop.loc["recovery_rate", "estimate"]
    assert measured.loc["churn", "estimate"] == pytest.approx(100 - measured.loc["retention", "estimate"])


def test_every_measure_has_a_name_a_reader_reads():
    for measure in program.KPI_MEASURES:
        assert kpi_measures.measure_name(measure) not in ("", measure)
    assert kpi_measures.measure_name(None) == "Not measured by this book"
    assert kpi_measures.measure_name("csat", "Store") == "CSAT (% satisfied) at Store"


def test_the_sample_scorecard_reads_value_interval_and_period(sample_client, sample_measures):
    card = kpi_measures.kpi_scorecard(sample_measures.reset_index()).set_index("kpi")
    assert list(card["kind"].drop_duplicates()) == ["strategic", "operational"]
    closed = card.loc["Feedback closed-loop rate"]
    assert closed["measured_as"] == "Follow-up rate: contacted of those due (%)"
    assert presentation.estimate(closed["latest"], closed["ci_low"], closed["ci_high"]) == "82 (77 to 86)"
    assert closed["period"] == sample_client.latest_period
    assert card.loc["Revenue per customer", "measured_as"] == "Not measured by this book"
    assert card.loc["Revenue per customer", "period"] == ""
    referrals = card.loc["Referrals"]
    assert (
        referrals["measured_as"]
        == "Referrals per 100 customers — not available: the customers file records no referrals"
    )
    assert np.isnan(referrals["latest"]) and referrals["period"] == ""
    assert not card["suppressed"].any()
    sentence = kpi_measures_sentence(sample_measures.reset_index())
    assert sentence.startswith("9 of 13 KPIs show their latest value from this book.")
    unmeasured = sentence.split("Not measured by this book: ")[1]
    assert unmeasured.startswith("Checkout errors, Revenue per customer, and Share of suggestions implemented.")


# --------------------------------------------------------------------------- a client without the inputs


def small_client(folder: Path, kpi_list: list[dict] | None):
    """Two quarters of answers at three touchpoints, no tickets, customers, invitations or follow-up log; a
    stakeholders file with one team owning ``kpi_list`` (none when None)."""
    store = [(10, 5), (9, 4), (3, 2), (8, 5), (10, 4), (6, 1), (9, 5), (7, 3)]
    rows = [("2025-02-03", "Store", 8, 4)] * 6
    rows += [("2025-05-12", "Store", nps, csat) for nps, csat in store] + [("2025-05-13", "Website", 9, 5)] * 3
    rows += [("2025-05-14", "Delivery", 7, 3)] * 6  # hidden with the Website's, so that neither can be worked out
    pd.DataFrame(
        {
            "Id": [f"R{i}" for i in range(len(rows))],
            "Date": [r[0] for r in rows],
            "Touchpoint": [r[1] for r in rows],
            "NPS": [r[2] for r in rows],
            "CSAT": [r[3] for r in rows],
        }
    ).to_csv(folder / "visits.csv", index=False)
    columns = {"response_id": "Id", "submitted_at": "Date", "touchpoint": "Touchpoint", "nps": "NPS", "csat": "CSAT"}
    source = {"name": "visits", "path": "visits.csv", "survey": "after_visit", "columns": columns}
    if kpi_list is None:
        return cx.open_client(write_client(folder, [source]))
    teams = [{"id": "service", "name": "Service", "role": "responsible", "kpis": kpi_list}]
    (folder / "stakeholders.yml").write_text(
        yaml.safe_dump({"program_goal": "Happier customers", "teams": teams}), encoding="utf-8"
    )
    return cx.open_client(write_client(folder, [source], stakeholders="stakeholders.yml"))


def test_a_kpi_whose_input_is_missing_says_why_and_one_without_a_measure_says_so(tmp_path):
    client = small_client(
        tmp_path,
        [
            {"name": "Closed loop", "kind": "operational", "measure": "follow_up_rate"},
            {"name": "Answering", "kind": "operational", "measure": "response_rate"},
            {"name": "Complaints", "kind": "operational", "measure": "complaints"},
            {"name": "Retention", "kind": "strategic", "measure": "retention"},
            {"name": "Effort", "kind": "operational", "measure": "ces"},
            {"name": "Web CSAT", "kind": "operational", "measure": "csat", "touchpoint": "Website"},
            {"name": "Store CSAT", "kind": "operational", "measure": "csat", "touchpoint": "Store"},
            {"name": "Revenue", "kind": "strategic"},
        ],
    )
    measured = kpi_measures.kpi_measures(client).set_index("kpi")
    assert measured["reason"].dropna().to_dict() == {
        "Closed loop": "no_follow_up_log",
        "Answering": "no_invitations",
        "Complaints": "no_tickets",
        "Retention": "no_customers",
        "Effort": "not_asked",
    }
    assert measured.loc["Web CSAT", "status"] == "too few answers"  # 3 answers, under the threshold of 5
    assert np.isnan(measured.loc["Web CSAT", "estimate"])
    assert measured.loc["Revenue", "status"] == "no measure"
    # the Store's CSAT of 2025Q2: 5 of 8 satisfied (4 or 5), Wilson interval
    store = measured.loc["Store CSAT"]
    low, high = proportion_confint(5, 8, method="wilson")
    assert (store["period"], store["n"]) == ("2025Q2", 8)
    assert (store["estimate"], store["ci_low"], store["ci_high"]) == pytest.approx((62.5, 100 * low, 100 * high))
    card = kpi_measures.kpi_scorecard(measured.reset_index()).set_index("kpi")
    assert card.loc["Closed loop", "measured_as"] == (
        "Follow-up rate: contacted of those due (%) — not available: no follow-up log"
    )
    assert card.loc["Web CSAT", "suppressed"] and card.loc["Web CSAT", "period"] == "2025Q2"
    assert card.loc["Revenue", "measured_as"] == "Not measured by this book"


def test_a_client_without_a_stakeholders_file_has_no_kpis(tmp_path):
    measured = kpi_measures.kpi_measures(small_client(tmp_path, None))
    assert measured.empty and list(measured.columns) == kpi_measures.COLUMNS


# --------------------------------------------------------------------------- the stakeholders file


def stakeholders_with(kpi: dict) -> dict:
    return {"program_goal": "x", "teams": [{"id": "service", "name": "Service", "role": "responsible", "kpis": [kpi]}]}


def test_an_unknown_measure_names_the_file_the_key_and_the_figures_the_book_computes():
    path = SAMPLE / "stakeholders.yml"
    with pytest.raises(CXInputError) as raised:
        validate_model(
            program.Stakeholders,
            stakeholders_with({"name": "Loop", "kind": "operational", "measure": "closed_loop"}),
            path,
        )
    message = str(raised.value)
    assert str(path) in message
    assert "teams[0].kpis[0].measure" in message
    assert "'closed_loop' is not a figure this book computes" in message
    assert ", ".join(program.KPI_MEASURES) in message


def test_a_misspelt_measure_is_offered_the_one_meant():
    with pytest.raises(CXInputError, match="did you mean 'follow_up_rate'"):
        validate_model(
            program.Stakeholders,
            stakeholders_with({"name": "Loop", "kind": "operational", "measure": "followup_rate"}),
            Path("stakeholders.yml"),
        )


def test_only_a_survey_score_is_measured_at_a_touchpoint():
    with pytest.raises(CXInputError, match=r"only a survey score \(nps, csat, ces\) is measured per touchpoint"):
        validate_model(
            program.Stakeholders,
            stakeholders_with({"name": "Churn", "kind": "strategic", "measure": "churn", "touchpoint": "Store"}),
            Path("stakeholders.yml"),
        )


def test_a_kpi_touchpoint_the_journey_does_not_have_is_named(sample_client):
    plan = sample_client.stakeholders.model_dump()
    plan["teams"][0]["kpis"].append(
        {"name": "Kiosk CSAT", "kind": "operational", "measure": "csat", "touchpoint": "Kiosk"}
    )
    problems = program.reference_problems(
        sample_client.config, sample_client.journey, program.Stakeholders.model_validate(plan)
    )
    assert [p for p in problems if "Kiosk" in p] == [
        f"{sample_client.config.stakeholders}: KPI 'Kiosk CSAT' of team 'leadership' names touchpoint 'Kiosk', "
        "which the journey does not have (touchpoints: "
        + ", ".join(sorted(tp.name for stage in sample_client.journey.stages for tp in stage.touchpoints))
        + ")"
    ]
