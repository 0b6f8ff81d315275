"""The goal register (goals.csv): each goal's standing beside the question and surveys that measure it."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import yaml
from scipy.stats import norm

from conftest import write_client
from cxanalysis import goals, open_client

REGISTER_COLUMNS = [
    "team",
    "goal",
    "metric",
    "kpi",
    "scope",
    "baseline",
    "target",
    "current",
    "ci_low",
    "ci_high",
    "n",
    "gap_to_target",
    "gap_significant",
    "status",
    "deadline",
    "suppressed",
    "question",
    "surveys",
]

# The latest quarter's answers; the first quarter only has to exist so that 2025Q2 is the latest.
LATEST = [
    # touchpoint, nps, csat
    *[("Store", 10, 5)] * 10,
    ("Website", 9, 4),
    ("Website", 8, 2),
    ("Website", 3, 1),
    ("Website", 6, 3),
    ("Website", 10, 5),
    ("Website", 0, 2),
]
EARLIER = [("Store", 5, 3)] * 6


def survey_file(folder) -> None:
    rows = [("2025-05-12", *answers) for answers in LATEST] + [("2025-02-03", *answers) for answers in EARLIER]
    pd.DataFrame(
        {
            "Id": [f"R{i}" for i in range(len(rows))],
            "Dato": [day for day, *_ in rows],
            "Kontaktpunkt": [touchpoint for _, touchpoint, _, _ in rows],
            "Anbefale": [nps for *_, nps, _ in rows],
            "Fornøyd": [csat for *_, csat in rows],
        }
    ).to_csv(folder / "besok.csv", index=False)


def open_with_goals(folder, teams):
    survey_file(folder)
    (folder / "stakeholders.yml").write_text(
        yaml.safe_dump({"program_goal": "Happier customers", "teams": teams}, allow_unicode=True), encoding="utf-8"
    )
    source = {
        "name": "visit",
        "path": "besok.csv",
        "survey": "after_visit",
        "columns": {
            "response_id": "Id",
            "submitted_at": "Dato",
            "touchpoint": "Kontaktpunkt",
            "nps": "Anbefale",
            "csat": "Fornøyd",
        },
    }
    questions = {"nps": "Would you recommend us?", "csat": "How satisfied were you with your visit?"}
    return open_client(write_client(folder, [source], stakeholders="stakeholders.yml", questions=questions))


def goal(name, metric, target, **scope):
    return {"name": name, "metric": metric, "baseline": 0, "target": target, "deadline": "2026-12-31", **scope}


TEAMS = [
    {"id": "leadership", "name": "Leadership", "role": "accountable", "goals": [goal("NPS above zero", "nps", 0)]},
    {
        "id": "sales",
        "name": "Sales",
        "role": "responsible",
        # the same goal written twice by mistake: two rows, not four
        "goals": [goal("Store CSAT at 50 %", "csat", 50, touchpoint="Store")] * 2,
    },
    {
        "id": "it",
        "name": "IT",
        "role": "informed",
        "goals": [goal("Easy checkout", "ces", 5.5, touchpoint="Checkout", kpi="Checkout effort")],
    },
]


def wilson(successes: int, n: int) -> tuple[float, float]:
    z, p = norm.ppf(0.975), successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * (centre - half), 100 * (centre + half)


def adjusted_wald_nps(promoters: int, detractors: int, n: int) -> tuple[float, float, float]:
    z = norm.ppf(0.975)
    n_adj = n + 3
    p, d = (promoters + 0.75) / n_adj, (detractors + 0.75) / n_adj
    se = math.sqrt((p + d - (p - d) ** 2) / n_adj)
    return 100 * (promoters - detractors) / n, 100 * (p - d - z * se), 100 * (p - d + z * se)


def test_goal_register_has_one_row_per_goal_with_its_question_and_surveys(tmp_path):
    register = goals.goal_register(open_with_goals(tmp_path, TEAMS))
    assert list(register.columns) == REGISTER_COLUMNS
    assert register["goal"].tolist() == ["NPS above zero", "Store CSAT at 50 %", "Store CSAT at 50 %", "Easy checkout"]
    assert register["question"].tolist() == [
        "Would you recommend us?",
        "How satisfied were you with your visit?",
        "How satisfied were you with your visit?",
        "ces",  # no wording configured and no export column: the canonical name
    ]
    assert register["surveys"].tolist() == ["after_visit", "after_visit", "after_visit", ""]


def test_goal_register_measures_each_goal_in_the_latest_period(tmp_path):
    register = goals.goal_register(open_with_goals(tmp_path, TEAMS))
    nps = register.iloc[0]
    # latest quarter: promoters 10 + 2 (9, 10 on the website), detractors 3 (3, 6, 0), 16 answers
    estimate, low, high = adjusted_wald_nps(12, 3, 16)
    assert (nps["current"], nps["ci_low"], nps["ci_high"], nps["n"]) == pytest.approx((estimate, low, high, 16))
    assert low > 0 and nps["status"] == "met"  # the whole interval above the target of 0
    store = register.iloc[1]
    assert store["scope"] == "Store" and store["n"] == 10 and store["current"] == pytest.approx(100.0)
    assert store["ci_low"] == pytest.approx(wilson(10, 10)[0])
    assert store["status"] == "met" and store["gap_significant"]
    assert store["gap_to_target"] == pytest.approx(50 - 100)
    checkout = register.iloc[3]
    assert checkout["status"] == "not measured" and checkout["n"] == 0 and math.isnan(checkout["current"])
    assert checkout["kpi"] == "Checkout effort"


def test_goal_register_is_empty_without_goals_or_stakeholders(tmp_path):
    teams_without_goals = [{"id": "leadership", "name": "Leadership", "role": "accountable"}]
    register = goals.goal_register(open_with_goals(tmp_path, teams_without_goals))
    assert register.empty and list(register.columns) == REGISTER_COLUMNS
    survey_file(tmp_path)
    plain = open_client(
        write_client(
            tmp_path,
            [
                {
                    "name": "v",
                    "path": "besok.csv",
                    "columns": {"response_id": "Id", "submitted_at": "Dato", "nps": "Anbefale"},
                }
            ],
        )
    )
    assert plain.stakeholders is None
    register = goals.goal_register(plain)
    assert register.empty and list(register.columns) == REGISTER_COLUMNS
