"""The same analysis on a local Spark session: the sample's metrics, comparisons and driver weights from
Spark (through Ibis) equal DuckDB's and NumPy's to 1e-9; a survey source read from Spark by ``connection``
is checked there with the pandas path's rows and reasons, and its valid rows written to one Parquet file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxanalysis import drivers, engine, loading, metrics, significance, warehouse
from cxanalysis.client import ClientData
from cxanalysis.config import load_config
from test_engine_validation import _answers, _client, _planted, assert_same_as_pandas

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

TOLERANCE = {"rtol": 1e-9, "atol": 1e-9}
NUMBERS = ["estimate", "ci_low", "ci_high", "n_effective", "se"]


@pytest.fixture(scope="module")
def sample() -> ClientData:
    return ClientData(load_config())


@pytest.fixture(scope="module")
def spark(sample):
    """The sample's responses as a table of a local Spark session on one core, bound to the loopback address."""
    import ibis
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("cxanalysis-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    connection = ibis.pyspark.connect(session)
    columns = ["period", "touchpoint", "region", "channel", "nps", "csat", "ces", "weight", *sample.attributes]
    rows = sample.responses[columns]
    rows = rows.astype({c: "string" for c in rows.columns if isinstance(rows[c].dtype, pd.CategoricalDtype)})
    rows = rows.astype({c: object for c in rows.columns if rows[c].dtype == "string"})
    rows = rows.where(rows.notna(), None)
    session.createDataFrame(rows.astype(object)).createOrReplaceTempView("responses")
    yield connection.table("responses")
    session.stop()


@pytest.mark.parametrize(
    ("metric", "by"),
    [
        ("nps", ()),
        ("nps", ("period", "region")),
        ("csat", ("touchpoint",)),
        ("ces", ("period",)),
        ("responsiveness", ()),
    ],
)
def test_the_sample_metrics_from_spark_equal_duckdb_and_numpy(sample, spark, metric, by):
    table = spark
    expected = metrics.summarise(sample.responses, metric, by, min_n=sample.min_n, scales=sample.scales)
    duckdb = metrics.summarise(engine.as_table(sample.responses), metric, by, min_n=sample.min_n, scales=sample.scales)
    got = metrics.summarise(table, metric, by, min_n=sample.min_n, scales=sample.scales)
    for result in (duckdb, got):
        assert result["suppressed"].tolist() == expected["suppressed"].tolist()
        assert result["n"].astype("Int64").tolist() == expected["n"].astype("Int64").tolist()
        np.testing.assert_allclose(result[NUMBERS].to_numpy(float), expected[NUMBERS].to_numpy(float), **TOLERANCE)
    for key in by:
        assert got[key].astype(str).tolist() == expected[key].astype(str).tolist()


def test_each_group_against_the_rest_from_spark_equals_numpy(sample, spark, by="touchpoint"):
    table = spark
    expected = significance.group_versus_rest(sample.responses, "csat", by, min_n=sample.min_n, scales=sample.scales)
    got = significance.group_versus_rest(table, "csat", by, min_n=sample.min_n, scales=sample.scales)
    assert got["level"].tolist() == expected["level"].tolist() and not got.empty
    numbers = expected.select_dtypes("number").columns
    np.testing.assert_allclose(got[numbers].to_numpy(float), expected[numbers].to_numpy(float), **TOLERANCE)


def test_the_driver_weights_from_spark_equal_numpy(sample, spark):
    table = spark
    outcome, attributes = sample.overall_score, sample.attributes
    corr, n = engine.correlations(table, [outcome, *attributes])
    duckdb, n_duckdb = engine.correlations(sample.responses, [outcome, *attributes])
    expected = drivers.relative_weights(sample.responses, outcome, attributes).set_index("driver")
    assert n == n_duckdb == int(expected["n"].iloc[0])
    np.testing.assert_allclose(corr, duckdb, **TOLERANCE)
    got = pd.Series(drivers.weights_from_correlations(corr), index=attributes)[expected.index]
    np.testing.assert_allclose(got.to_numpy(), expected["weight"].to_numpy(), **TOLERANCE)


@pytest.mark.parametrize("typed", [True, False], ids=["typed", "text"])
def test_a_source_read_from_spark_by_connection_is_checked_there_like_the_pandas_path(spark, tmp_path, typed):
    """The sample's relational answers with a bad row planted for every reason, as a table of the Spark
    session: the config names it by ``connection: pyspark://`` and the check gives the pandas path's
    accounting, valid rows and reasons; the valid rows come back as one Parquet file that the store reads."""
    answers = _planted(_answers(typed=typed), typed=typed)
    rows = answers.astype(object).where(answers.notna(), None)
    if typed:
        rows["Submitted"] = pd.to_datetime(rows["Submitted"])
    session = spark._find_backend()._session
    session.createDataFrame(rows).createOrReplaceTempView("relational_answers")
    source = {"connection": "pyspark://", "table": "relational_answers"}
    if not typed:
        source["date_format"] = "%d.%m.%Y %H:%M"  # with dates that do not exist, which Spark's own parser stops at
    config = load_config(_client(tmp_path, source))
    check = warehouse.check_in_engine(config, config.sources[0])
    assert warehouse._backend_name(check.valid) == "pyspark"
    valid = assert_same_as_pandas(config, check, answers)
    store = tmp_path / "store"
    assert warehouse.write_valid(check, store / "relational.parquet") == len(valid)
    assert [p.name for p in store.iterdir()] == ["relational.parquet"]
    back = loading.read_store(store).execute()
    assert sorted(back["response_id"]) == sorted(valid["response_id"])
