"""The significance chapter's families of tests: which breakdowns, which groups and which window each one covers."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from conftest import write_client
from cxanalysis import open_client
from cxanalysis.significance import (
    breakdown_changes,
    customer_group_differences,
    nps_mix_last_year,
    period_changes,
    segment_differences,
)

# 2024Q3, then 2025Q1 to 2025Q4: the last twelve months leave 2024Q3 out, and there is no quarter a year earlier.
QUARTER_DAYS = ["2024-08-15", "2025-02-15", "2025-05-15", "2025-08-15", "2025-11-15"]


def survey(with_channel: bool = True) -> pd.DataFrame:
    """Five quarters of 40 answers: two regions, two channels, two touchpoints; Nord less keen than Sør."""
    rows = []
    for quarter, day in enumerate(QUARTER_DAYS):
        for i in range(40):
            region = "Nord" if i % 2 else "Sør"
            rows.append(
                {
                    "Id": f"{quarter}-{i}",
                    "Dato": day,
                    "Region": region,
                    "Kanal": "SMS" if (i // 2) % 2 else "E-post",
                    "Kontaktpunkt": "Butikk" if i % 4 < 2 else "Nett",
                    "Anbefale": (i * 3 + quarter) % 11 if region == "Sør" else (i * 5 + quarter) % 7,
                    "Fornøyd": 1 + (i + quarter) % 5,
                }
            )
    frame = pd.DataFrame(rows)
    if not with_channel:
        frame["Kanal"] = ""
    return frame


def open_survey(folder, frame: pd.DataFrame):
    frame.to_csv(folder / "svar.csv", index=False)
    columns = {
        "response_id": "Id",
        "submitted_at": "Dato",
        "region": "Region",
        "channel": "Kanal",
        "touchpoint": "Kontaktpunkt",
        "nps": "Anbefale",
        "csat": "Fornøyd",
    }
    source = {"name": "svar", "path": "svar.csv", "survey": "after_visit", "columns": columns}
    return open_client(write_client(folder, [source], segments=["region"]))


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return open_survey(tmp_path_factory.mktemp("client"), survey())


@pytest.fixture(scope="module")
def changes(client):
    return breakdown_changes(client)


def test_breakdown_changes_cover_all_responses_and_every_breakdown_the_data_has(client, changes):
    assert set(changes["dimension"]) == {"all", "touchpoint", "survey", "channel", "region"}
    assert set(changes["metric"]) == {"nps", "csat"}
    assert set(changes["current"]) == {"2025Q4"} and set(changes["baseline"]) == {"2025Q3"}
    expected = period_changes(client, ["nps", "csat"], by=[None, "touchpoint", "survey", "channel", "region"])
    pd.testing.assert_frame_equal(changes, expected)


def test_breakdown_changes_leave_out_a_breakdown_nobody_answered(tmp_path):
    changes = breakdown_changes(open_survey(tmp_path, survey(with_channel=False)))
    assert set(changes["dimension"]) == {"all", "touchpoint", "survey", "region"}


def test_breakdown_changes_pass_the_adjustment_on(client, changes):
    holm = changes
    bh = breakdown_changes(client, adjust="fdr_bh")
    assert (bh["p_adjusted"] <= holm["p_adjusted"] + 1e-12).all()
    assert (bh["p_value"] == holm["p_value"]).all()


def test_customer_groups_are_the_channel_and_the_segments_over_the_last_four_quarters(client):
    groups = customer_group_differences(client)
    assert set(groups["dimension"]) == {"channel", "region"}  # not touchpoints, not surveys
    assert set(groups["current"]) == {"2025Q1 to 2025Q4"}
    # two groups in a breakdown are one comparison: 40 answers a quarter, half in each group, four quarters
    assert groups.groupby(["metric", "dimension"]).size().eq(1).all()
    assert set(groups["n_a"] + groups["n_b"]) == {160}
    pd.testing.assert_frame_equal(groups, segment_differences(client, ["nps", "csat"], ["channel", "region"]))


def test_nps_mix_is_tested_per_segment_on_the_last_twelve_months(client):
    mix = nps_mix_last_year(client)
    assert mix["dimension"].tolist() == ["region"]  # the config's segments only
    frame = survey()
    window = frame[frame["Dato"] != "2024-08-15"]
    group = pd.cut(window["Anbefale"], [-1, 6, 8, 10])
    chi2, p, df, _ = stats.chi2_contingency(pd.crosstab(window["Region"], group), correction=False)
    row = mix.iloc[0]
    assert row["n"] == 160 and row["groups"] == 2
    assert (row["chi2"], row["p_value"], row["df"]) == pytest.approx((chi2, p, df))


def test_nps_mix_is_empty_without_nps_answers(tmp_path):
    frame = survey().assign(Anbefale="")
    assert nps_mix_last_year(open_survey(tmp_path, frame)).empty
