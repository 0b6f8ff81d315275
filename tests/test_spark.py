"""The same analysis on a local Spark session: the sample's metrics, comparisons and driver weights from
Spark (through Ibis) equal DuckDB's and NumPy's to 1e-9."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxanalysis import drivers, engine, metrics, significance
from cxanalysis.client import ClientData
from cxanalysis.config import load_config

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
