"""The aggregation step as Ibis expressions: DuckDB in-process by default, Spark or a warehouse by connection.

Every estimate of :mod:`cxanalysis.metrics` rests on a small table of sums per
group (:func:`cxanalysis.metrics.sufficient_statistics`), and the key drivers on
a correlation matrix. Here the same sums are Ibis expressions, so they run
where the responses are: an in-process DuckDB (nothing to install or start) on
a pandas frame or a Parquet file, a local or remote Spark session, or a SQL
warehouse table. Only the sums travel back, never the rows; the estimates,
intervals and suppression are then computed from them exactly as for a pandas
frame, so :func:`cxanalysis.metrics.summarise` accepts an Ibis table too.

The sums equal NumPy's to rounding (tested to 1e-9 on the sample and on random
weighted data, with DuckDB and with Spark).
"""

from __future__ import annotations

import contextlib
import functools
import warnings
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import ibis
    from ibis.backends import BaseBackend

#: The columns of :func:`sufficient_statistics`, in the order the NumPy path writes them.
MOMENTS = ("sum_wx", "sum_wx2", "sum_w2x", "sum_w2x2")


@functools.cache
def default_connection() -> BaseBackend:
    """The in-process DuckDB every Ibis expression of this package runs on unless told otherwise."""
    import ibis

    return ibis.duckdb.connect()


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Ibis 12 asks pandas about an option pandas 3 deprecates and calls DuckDB's fetch_arrow_table by its old
    name; the warnings say nothing about the data."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*future.infer_string.*")
        warnings.filterwarnings("ignore", message=".*fetch_arrow_table.*", category=DeprecationWarning)
        yield


def as_table(data: pd.DataFrame | ibis.Table) -> ibis.Table:
    """An Ibis table of ``data``: a pandas frame becomes an in-memory table (categories as their text)."""
    import ibis

    if isinstance(data, ibis.Table):
        return data
    categorical = [c for c in data.columns if isinstance(data[c].dtype, pd.CategoricalDtype)]
    if categorical:
        data = data.astype({c: data[c].cat.categories.dtype for c in categorical})
    with quiet():
        return ibis.memtable(data)


def is_table(data: object) -> bool:
    """Whether ``data`` is an Ibis table (rather than a pandas frame)."""
    import ibis

    return isinstance(data, ibis.Table)


def execute(expression: ibis.Expr, connection: BaseBackend | None = None) -> pd.DataFrame:
    """Run an expression on its own backend (a table read from a connection), else on ``connection`` or
    the default DuckDB."""
    try:
        backend = expression._find_backend()
    except Exception:  # an in-memory table belongs to no backend until it runs
        backend = None
    with quiet():
        return (connection or backend or default_connection()).execute(expression)


def _answered(table: ibis.Table, score: str) -> tuple[ibis.Table, ibis.FloatingValue]:
    score_value = table[score].cast("float64")
    answered = score_value.notnull() & ~score_value.isnan()
    kept = table.filter(answered)
    return kept, kept[score].cast("float64")


def _sorted(result: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Groups in the NumPy path's order: by each key, missing keys last."""
    if by:
        result = result.sort_values(list(by), na_position="last", kind="stable")
    return result.reset_index(drop=True)


def sufficient_statistics(
    data: pd.DataFrame | ibis.Table,
    score: str,
    by: Sequence[str] = (),
    weight: str | None = None,
    top_low: float | None = None,
    bottom_high: float | None = None,
    moments: bool = True,
    connection: BaseBackend | None = None,
) -> pd.DataFrame:
    """Per-group sums behind every estimate, computed by the engine: the same columns, groups and order as
    :func:`cxanalysis.metrics.sufficient_statistics` (n, sum_w, sum_w2; with ``moments`` sum_wx,
    sum_wx2, sum_w2x, sum_w2x2; sum_w_top and sum_w2_top over scores >= ``top_low``, sum_w_bottom and
    sum_w2_bottom over scores <= ``bottom_high``). Answers with no score are left out; a missing key
    forms a group of its own.
    """
    import ibis

    by = list(by)
    if isinstance(data, pd.DataFrame):  # only the columns the sums need go to the engine
        data = data[list(dict.fromkeys([*by, score, *([weight] if weight else [])]))]
    table, x = _answered(as_table(data), score)
    w = table[weight].cast("float64") if weight else x * 0.0 + 1.0  # a column of ones, where an answer is
    w2 = w * w
    sums: dict[str, Any] = {"n": table.count(), "sum_w": w.sum(), "sum_w2": w2.sum()}
    if moments:
        sums |= {"sum_wx": (w * x).sum(), "sum_wx2": (w * x * x).sum()}
        sums |= {"sum_w2x": (w2 * x).sum(), "sum_w2x2": (w2 * x * x).sum()}
    zero = ibis.literal(0.0, type="float64")
    if top_low is not None:
        top = x >= top_low
        sums |= {"sum_w_top": ibis.ifelse(top, w, zero).sum(), "sum_w2_top": ibis.ifelse(top, w2, zero).sum()}
    if bottom_high is not None:
        bottom = x <= bottom_high
        sums |= {
            "sum_w_bottom": ibis.ifelse(bottom, w, zero).sum(),
            "sum_w2_bottom": ibis.ifelse(bottom, w2, zero).sum(),
        }
    expression = table.group_by(by).aggregate(**sums) if by else table.aggregate(**sums)
    result = execute(expression, connection)
    result["n"] = result["n"].astype(np.int64)
    for column in result.columns.difference(["n", *by]):
        result[column] = result[column].fillna(0.0).astype(float)
    return _sorted(result[[*by, *sums]], by)


def correlations(
    data: pd.DataFrame | ibis.Table, columns: Sequence[str], connection: BaseBackend | None = None
) -> tuple[np.ndarray, int]:
    """The correlation matrix of ``columns`` over the rows that answer all of them, and that row count.

    Two passes in the engine: the means, then the sums of centred cross-products, so the matrix is as
    exact as :func:`numpy.corrcoef` on the same rows (:func:`cxanalysis.drivers.relative_weights`).
    """
    columns = list(columns)
    table = as_table(data[columns] if isinstance(data, pd.DataFrame) else data)
    values = {c: table[c].cast("float64") for c in columns}
    complete = functools.reduce(lambda a, b: a & b, [v.notnull() & ~v.isnan() for v in values.values()])
    table = table.filter(complete)
    values = {c: table[c].cast("float64") for c in columns}
    means = execute(
        table.aggregate(n=table.count(), **{f"m{i}": values[c].mean() for i, c in enumerate(columns)}), connection
    )
    n = int(means["n"].iloc[0])
    if n < 2:
        return np.full((len(columns), len(columns)), np.nan), n
    centred = [values[c] - float(means[f"m{i}"].iloc[0]) for i, c in enumerate(columns)]
    products = {
        f"c{i}_{j}": (centred[i] * centred[j]).sum() for i in range(len(columns)) for j in range(i, len(columns))
    }
    sums = execute(table.aggregate(**products), connection).iloc[0]
    cov = np.empty((len(columns), len(columns)))
    for i in range(len(columns)):
        for j in range(i, len(columns)):
            cov[i, j] = cov[j, i] = float(sums[f"c{i}_{j}"])
    scale = np.sqrt(np.diag(cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        return cov / np.outer(scale, scale), n


def counts(
    data: pd.DataFrame | ibis.Table, columns: Sequence[str], by: Sequence[str] = (), connection=None
) -> pd.DataFrame:
    """How many rows of each group have each boolean column true (theme mentions per period, say), with
    the group's number of rows as ``rows``."""
    import ibis

    by = list(by)
    table = as_table(data)
    one, zero = ibis.literal(1, type="int64"), ibis.literal(0, type="int64")
    sums = {"rows": table.count(), **{c: ibis.ifelse(table[c], one, zero).sum() for c in columns}}
    expression = table.group_by(by).aggregate(**sums) if by else table.aggregate(**sums)
    result = execute(expression, connection)
    result = result.astype({c: np.int64 for c in sums})
    return _sorted(result[[*by, *sums]], by)


__all__ = ["as_table", "correlations", "counts", "default_connection", "execute", "is_table", "sufficient_statistics"]
