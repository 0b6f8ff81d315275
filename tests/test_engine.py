"""The engine's sums (Ibis on DuckDB) equal the NumPy path's, so every estimate is the same wherever the rows live."""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
import pytest

from cxanalysis import drivers, engine, metrics, significance
from cxanalysis.client import ClientData
from cxanalysis.config import load_config

TOLERANCE = {"rtol": 1e-9, "atol": 1e-9}
BREAKDOWNS = [
    (),
    ("period",),
    ("period", "region"),
    ("touchpoint",),
    ("survey", "channel"),
    ("region", "customer_type"),
]


@pytest.fixture(scope="module")
def sample() -> ClientData:
    return ClientData(load_config())


def random_responses(rows: int = 5_000, seed: int = 7) -> pd.DataFrame:
    """Weighted answers with unanswered scores, missing keys, a categorical key and a numeric key."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "region": rng.choice(["Nord", "Sør", "Vest", "Øst", None], rows, p=[0.3, 0.3, 0.2, 0.15, 0.05]),
            "period": pd.Categorical(rng.choice(["2025Q1", "2025Q2", "2025Q3"], rows), ordered=True),
            "year": rng.choice([2024, 2025], rows),
            "nps": rng.integers(0, 11, rows).astype(float),
            "csat": rng.integers(1, 6, rows).astype(float),
            "ces": rng.integers(1, 8, rows).astype(float),
            "weight": rng.gamma(2.0, 0.5, rows),
        }
    )
    for column in ("nps", "csat", "ces"):
        frame.loc[rng.random(rows) < 0.2, column] = np.nan
    return frame


def assert_same_statistics(expected: pd.DataFrame, got: pd.DataFrame, by) -> None:
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected)
    for key in by:
        assert got[key].astype("string").fillna("<missing>").tolist() == (
            expected[key].astype("string").fillna("<missing>").tolist()
        )
    assert (got["n"].to_numpy() == expected["n"].to_numpy()).all()
    sums = [c for c in expected.columns if c not in (*by, "n")]
    np.testing.assert_allclose(got[sums].to_numpy(float), expected[sums].to_numpy(float), **TOLERANCE)


@pytest.mark.parametrize("by", [*BREAKDOWNS[:3], ("region", "year")])
@pytest.mark.parametrize("weight", [None, "weight"])
def test_the_sums_equal_numpy_on_random_weighted_answers(by, weight):
    frame = random_responses()
    for options in ({"top_low": 9, "bottom_high": 6, "moments": False}, {"top_low": 4}, {}):
        expected = metrics.sufficient_statistics(frame, "nps", by, weight, **options)
        got = engine.sufficient_statistics(frame, "nps", by, weight, **options)
        assert_same_statistics(expected, got, by)


@pytest.mark.parametrize("by", BREAKDOWNS)
@pytest.mark.parametrize("metric", ["nps", "csat", "csat_mean", "ces", "ces_easy", "responsiveness"])
def test_every_summary_of_the_sample_is_the_same_from_the_engine(sample, metric, by):
    responses = sample.responses
    table = engine.as_table(responses)
    expected = metrics.summarise(responses, metric, by, min_n=sample.min_n, scales=sample.scales)
    got = metrics.summarise(table, metric, by, min_n=sample.min_n, scales=sample.scales)
    assert got["suppressed"].tolist() == expected["suppressed"].tolist()
    assert got["n"].astype("Int64").tolist() == expected["n"].astype("Int64").tolist()
    numbers = ["estimate", "ci_low", "ci_high", "n_effective", "se"]
    np.testing.assert_allclose(got[numbers].to_numpy(float), expected[numbers].to_numpy(float), **TOLERANCE)


def test_weighted_summaries_are_the_same_from_the_engine():
    frame = random_responses(seed=11)
    for metric in ("nps", "csat", "ces"):
        expected = metrics.summarise(frame, metric, ["period", "region"], min_n=5)
        got = metrics.summarise(engine.as_table(frame), metric, ["period", "region"], min_n=5)
        numbers = ["estimate", "ci_low", "ci_high", "n_effective", "se"]
        np.testing.assert_allclose(got[numbers].to_numpy(float), expected[numbers].to_numpy(float), **TOLERANCE)


@pytest.mark.parametrize("by", ["touchpoint", "region", "channel"])
def test_each_group_against_the_rest_is_the_same_from_the_engine(sample, by):
    responses = sample.responses[sample.responses["period"] == sample.latest_period]
    expected = significance.group_versus_rest(responses, "csat", by, min_n=sample.min_n, scales=sample.scales)
    got = significance.group_versus_rest(
        engine.as_table(responses), "csat", by, min_n=sample.min_n, scales=sample.scales
    )
    assert got["level"].tolist() == expected["level"].tolist() and not got.empty
    numbers = expected.select_dtypes("number").columns
    np.testing.assert_allclose(got[numbers].to_numpy(float), expected[numbers].to_numpy(float), **TOLERANCE)


def test_the_drivers_correlations_and_relative_weights_are_the_same_from_the_engine(sample):
    outcome, attributes = sample.overall_score, sample.attributes
    columns = [outcome, *attributes]
    complete = sample.responses[columns].dropna()
    corr, n = engine.correlations(sample.responses, columns)
    assert n == len(complete)
    np.testing.assert_allclose(corr, np.corrcoef(complete.to_numpy(float), rowvar=False), **TOLERANCE)
    expected = drivers.relative_weights(sample.responses, outcome, attributes).set_index("driver")["weight"]
    got = pd.Series(drivers.weights_from_correlations(corr), index=attributes)
    np.testing.assert_allclose(got[expected.index].to_numpy(), expected.to_numpy(), **TOLERANCE)


def test_theme_counts_by_period_are_the_same_from_the_engine(sample):
    coded = sample.coded_comments
    frame = coded.join(sample.responses["period"].astype(str))
    themes = list(coded.columns)
    expected = frame.groupby("period")[themes].sum()
    got = engine.counts(frame, themes, ["period"]).set_index("period")
    assert got["rows"].tolist() == frame.groupby("period").size().tolist()
    assert (got[themes].to_numpy() == expected.to_numpy()).all()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Ibis 12 calls a DuckDB 2 method by its old name
def test_a_parquet_file_is_summed_in_duckdb_without_loading_it_into_pandas(tmp_path):
    frame = random_responses(seed=3)
    path = tmp_path / "responses.parquet"
    frame.assign(period=frame["period"].astype(str)).to_parquet(path)
    table = ibis.duckdb.connect().read_parquet(path)
    expected = metrics.summarise(frame, "nps", ["period", "region"], min_n=5)
    got = metrics.summarise(table, "nps", ["period", "region"], min_n=5)
    numbers = ["estimate", "ci_low", "ci_high", "n_effective"]
    np.testing.assert_allclose(got[numbers].to_numpy(float), expected[numbers].to_numpy(float), **TOLERANCE)


def test_no_answer_gives_an_empty_group_of_zero_sums():
    frame = random_responses(rows=50).assign(nps=np.nan)
    expected = metrics.sufficient_statistics(frame, "nps", (), "weight", top_low=9, bottom_high=6)
    got = engine.sufficient_statistics(frame, "nps", (), "weight", top_low=9, bottom_high=6)
    assert_same_statistics(expected, got, ())
    assert got["n"].tolist() == [0]
