"""Response rates by channel and period, channels compared, and respondents against those invited."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

import cxanalysis as cx
from conftest import REPO, write_client
from cxanalysis import CXInputError, response_rates, words
from cxanalysis.loading import load_all
from cxanalysis.sample import INVITATIONS_FILE, generate_sample

SAMPLE = REPO / "data" / "sample"

#: Responses per channel and quarter of the small client below, and the invitations behind them.
ANSWERED = {("E-mail", "2025Q1"): 30, ("E-mail", "2025Q2"): 36, ("SMS", "2025Q1"): 12, ("SMS", "2025Q2"): 10}
ASKED = {("E-mail", "2025Q1"): 100, ("E-mail", "2025Q2"): 110, ("SMS", "2025Q1"): 90, ("SMS", "2025Q2"): 95}
QUARTER_DAY = {"2025Q1": "2025-02-10", "2025Q2": "2025-05-12"}


def _survey(folder) -> None:
    rows = []
    for (channel, quarter), count in ANSWERED.items():
        for i in range(count):
            rows.append(
                {
                    "Id": f"{channel[0]}{quarter}-{i}",
                    "Date": QUARTER_DAY[quarter],
                    "Channel": channel,
                    "Region": "Nord" if i % 4 == 0 else "Sør",
                    "NPS": (i * 7) % 11,
                }
            )
    pd.DataFrame(rows).to_csv(folder / "survey.csv", index=False)


def _client(folder, invitations: pd.DataFrame | None, **config):
    _survey(folder)
    if invitations is not None:
        invitations.to_csv(folder / "invitations.csv", index=False)
        config.setdefault("invitations", {"path": "invitations.csv"})
    source = {
        "name": "survey",
        "path": "survey.csv",
        "survey": "relationship",
        "columns": {
            "response_id": "Id",
            "submitted_at": "Date",
            "channel": "Channel",
            "region": "Region",
            "nps": "NPS",
        },
    }
    path = write_client(folder, [source], segments=["region"], anonymity={"min_responses": 5}, **config)
    return cx.open_client(path)


def _counts(changes: dict | None = None) -> pd.DataFrame:
    asked = {**ASKED, **(changes or {})}
    return pd.DataFrame(
        [{"channel": c, "period": q, "invited": n} for (c, q), n in asked.items()],
        columns=["channel", "period", "invited"],
    )


def test_rates_and_wilson_intervals_match_statsmodels(tmp_path):
    rates = response_rates.response_rates(_client(tmp_path, _counts())).rates.set_index(["channel", "period"])
    for key, asked in ASKED.items():
        low, high = proportion_confint(ANSWERED[key], asked, alpha=0.05, method="wilson")
        row = rates.loc[key]
        assert row["invited"] == asked and row["responses"] == ANSWERED[key]
        assert row["rate"] == pytest.approx(100 * ANSWERED[key] / asked)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((100 * low, 100 * high), abs=1e-9)


def test_each_channel_against_the_rest_is_the_pooled_two_proportion_z_test(tmp_path):
    client = _client(tmp_path, _counts({("Phone", "2025Q1"): 40}))
    # a third channel, so that every channel is tested and the family is adjusted (Holm)
    extra = pd.DataFrame(
        {"Id": [f"P{i}" for i in range(20)], "Date": "2025-02-11", "Channel": "Phone", "Region": "Sør", "NPS": 9}
    )
    pd.concat([pd.read_csv(tmp_path / "survey.csv"), extra]).to_csv(tmp_path / "survey.csv", index=False)
    client = cx.open_client(client.config.file)
    compared = response_rates.response_rates(client).channels.set_index("channel")
    answered = {"E-mail": 66, "SMS": 22, "Phone": 20}
    asked = {"E-mail": 210, "SMS": 185, "Phone": 40}
    raw = {}
    for channel in answered:
        rest_answered = sum(answered.values()) - answered[channel]
        rest_asked = sum(asked.values()) - asked[channel]
        _z, p = proportions_ztest([answered[channel], rest_answered], [asked[channel], rest_asked])
        raw[channel] = p
        assert compared.loc[channel, "p_value"] == pytest.approx(p, rel=1e-9)
        expected = 100 * (answered[channel] / asked[channel] - rest_answered / rest_asked)
        assert compared.loc[channel, "difference"] == pytest.approx(expected)
    holm = multipletests(list(raw.values()), method="holm")[1]
    assert compared.loc[list(raw), "p_adjusted"].to_numpy() == pytest.approx(holm)
    assert compared.loc["SMS", "low_response"] and not compared.loc["Phone", "low_response"]
    assert "**SMS**" in words.low_channel_sentence(compared.reset_index())


def test_one_row_per_invitation_gives_the_counts_of_the_count_form(tmp_path):
    rows = [
        {"invitation_id": f"I{channel}{quarter}{i}", "invited_at": QUARTER_DAY[quarter], "channel": channel}
        for (channel, quarter), asked in ASKED.items()
        for i in range(asked)
    ]
    by_row = response_rates.response_rates(_client(tmp_path, pd.DataFrame(rows))).rates
    (tmp_path / "counts").mkdir()
    by_count = response_rates.response_rates(_client(tmp_path / "counts", _counts())).rates
    pd.testing.assert_frame_equal(by_row, by_count)


def test_the_margin_check_is_a_chi_square_goodness_of_fit(tmp_path):
    # responses: a quarter of each cell in Nord (rows 0, 4, 8, ...); invitations: half of each cell in Nord
    counts = []
    for (channel, quarter), asked in ASKED.items():
        answered = ANSWERED[(channel, quarter)]
        nord = -(-answered // 4)
        counts.append({"channel": channel, "period": quarter, "region": "Nord", "invited": max(asked // 2, nord)})
        counts.append({"channel": channel, "period": quarter, "region": "Sør", "invited": asked - asked // 2})
    result = response_rates.response_rates(_client(tmp_path, pd.DataFrame(counts)))
    levels = result.margin_levels.set_index("level")
    invited = pd.DataFrame(counts).groupby("region")["invited"].sum()
    observed = np.array([sum(-(-a // 4) for a in ANSWERED.values()), 0])
    observed[1] = sum(ANSWERED.values()) - observed[0]
    expected = observed.sum() * invited.to_numpy() / invited.sum()
    statistic = ((observed - expected) ** 2 / expected).sum()  # Pearson's X², typed out
    test = result.margin_tests.iloc[0]
    assert test["chi_square"] == pytest.approx(statistic)
    assert test["p_value"] == pytest.approx(stats.chi2.sf(statistic, 1))
    assert levels.loc["Nord", "respondent_share"] == pytest.approx(100 * observed[0] / observed.sum())
    assert test["differs"] and levels.loc["Nord", "outside_interval"]
    assert "differ from those asked by region" in words.nonresponse_sentence(result.margin_levels, result.margin_tests)


def _error(tmp_path, invitations: pd.DataFrame) -> CXInputError:
    with pytest.raises(CXInputError) as error:
        client = _client(tmp_path, invitations)
        response_rates.response_rates(client)
    return error.value


def test_an_invited_count_below_the_responses_names_file_column_and_row(tmp_path):
    error = _error(tmp_path, _counts({("SMS", "2025Q2"): 9}))
    assert error.file.endswith("invitations.csv") and error.column == "invited" and error.row == 5
    assert "9 invited for channel SMS, period 2025Q2, but 10 responses" in str(error)


def test_a_negative_count_names_file_column_and_row(tmp_path):
    error = _error(tmp_path, _counts({("E-mail", "2025Q2"): -110}))
    assert error.file.endswith("invitations.csv") and error.column == "invited" and error.row == 3
    assert "negative" in str(error)


def test_an_unknown_channel_names_file_column_and_row(tmp_path):
    error = _error(tmp_path, _counts({("Fax", "2025Q1"): 50}))
    assert error.file.endswith("invitations.csv") and error.column == "channel" and error.row == 6
    assert "'Fax' is not a channel" in str(error) and "E-mail" in str(error)


def test_a_cell_counted_twice_and_a_period_that_is_not_one_are_refused(tmp_path):
    twice = pd.concat([_counts(), _counts().iloc[[0]]], ignore_index=True)
    error = _error(tmp_path, twice)
    assert error.row == 6 and "rows 2 and 6" in str(error)
    (tmp_path / "period").mkdir()
    error = _error(tmp_path / "period", _counts().replace({"2025Q2": "spring"}))
    assert error.column == "period" and error.row == 3


def test_a_client_without_invitations_builds_as_before(tmp_path):
    client = _client(tmp_path, None)
    assert response_rates.response_rates(client) is None
    assert load_all(client.config)["invitations"] is None
    assert "invitations file" in words.response_rates_adds()


# --------------------------------------------------------------------------
# the sample client
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_rates():
    return response_rates.response_rates(cx.open_client(None))


def test_the_planted_low_channel_is_flagged_on_the_sample(sample_rates):
    truth = yaml.safe_load((SAMPLE / "truth.yml").read_text(encoding="utf-8"))["response_rates"]
    channels = sample_rates.channels.set_index("channel")
    assert channels.index[channels["low_response"]].tolist() == [truth["low_response_channel"]]
    totals = sample_rates.totals.set_index("channel")
    for channel, rate in truth["realised_rate_by_channel"].items():
        assert totals.loc[channel, "rate"] == pytest.approx(100 * rate, abs=0.01)
    assert "**SMS** has a lower response rate" in words.low_channel_sentence(sample_rates.channels)


def test_the_sample_warns_that_respondents_differ_by_region(sample_rates):
    truth = yaml.safe_load((SAMPLE / "truth.yml").read_text(encoding="utf-8"))["response_rates"]
    test = sample_rates.margin_tests.set_index("margin").loc[truth["margin"]]
    assert test["differs"]
    levels = sample_rates.margin_levels.set_index("level")
    nord = truth["under_represented"]
    assert levels.loc[nord, "respondent_share"] < levels.loc[nord, "share_ci_high"] < levels.loc[nord, "invited_share"]
    assert levels.loc[nord, "invited_share"] == pytest.approx(
        100 * truth["realised_invited_share_by_region"][nord], abs=0.01
    )
    sentence = words.nonresponse_sentence(sample_rates.margin_levels, sample_rates.margin_tests)
    assert sentence.startswith("**Those who answer differ from those asked by region**") and "Nord" in sentence


def test_the_committed_invitations_match_the_generator_and_cover_every_response(tmp_path):
    generate_sample(tmp_path)
    committed = SAMPLE / INVITATIONS_FILE
    assert (
        hashlib.sha256(committed.read_bytes()).digest()
        == hashlib.sha256((tmp_path / INVITATIONS_FILE).read_bytes()).digest()
    )
    invited = pd.read_csv(committed).set_index(["channel", "period", "region"])["invited"]
    answers = pd.read_csv(SAMPLE / "relational_nps.csv", sep=";", encoding="utf-8-sig")
    quarter = (
        pd.to_datetime(answers["Submitted"], format="%d.%m.%Y %H:%M", errors="coerce").dt.to_period("Q").astype(str)
    )
    received = answers.assign(period=quarter).groupby(["Survey channel", "period", "Region"]).size()
    received.index.names = ["channel", "period", "region"]
    received = received[received.index.get_level_values("period") != "NaT"]
    assert (invited.reindex(received.index) >= received).all()
