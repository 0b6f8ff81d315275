"""The client's latest scores held against external reference values (industry figures, a peer group, an
earlier study), with the uncertainty of both sides where it is known."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from .metrics import METRIC_KINDS, _z

if TYPE_CHECKING:
    from .client import ClientData
    from .config import Benchmark

#: How a reference's standard error was found: from its interval, from its n (exact for a share; for NPS and
#: means the largest variance its value allows), or none (the value is taken as exact).
REFERENCE_BASES = ("interval", "n", "n (largest variance)", "fixed")
#: A comparison's verdict (:data:`cxanalysis.compare.VERDICTS`) as the benchmark reading says it.
READINGS = {
    "significant improvement": "above",
    "significant decline": "below",
    "no detectable change": "too close to tell",
    "too few responses to tell": "too close to tell",
}


def reference_standard_errors(
    benchmarks: list[Benchmark], scales: dict[str, tuple[int, int]], confidence: float = 0.95
) -> pd.DataFrame:
    """Each reference's value, standard error and how the error was found (:data:`REFERENCE_BASES`).

    Notes
    -----
    - From an interval [low, high] (taken as a symmetric 95 % interval): se = (high - low) / (2 z).
    - From n, for a share p in %: se = 100 sqrt(p (1 - p) / n), p as a fraction.
    - From n, for NPS and means: the spread of the reference's answers is not given, so the largest variance
      its value allows is used (the Bhatia-Davis bound): a score on [a, b] with mean m has variance at most
      (m - a)(b - m). NPS is the mean of answers coded +1 (promoter), 0 (passive) and -1 (detractor), so
      with NPS v (as a fraction) var <= (1 + v)(1 - v) = 1 - v^2, reached with no passives:
      se = 100 sqrt((1 - v^2) / n). For a share the bound is p (1 - p) itself, so the same rule gives the
      exact binomial error. The bound never understates the reference's uncertainty: a difference read as
      clear with it is clear with the true spread too.
    - Neither: the value is treated as exact (se = 0), and the reading says so.

    References
    ----------
    Bhatia, R., & Davis, C. (2000). A better bound on the variance. The American Mathematical Monthly,
    107(4), 353-357.
    """
    z = _z(confidence)
    rows = []
    for i, b in enumerate(benchmarks):
        kind = METRIC_KINDS[b.metric][1]
        if b.interval is not None:
            se, basis = (b.interval[1] - b.interval[0]) / (2 * z), "interval"
        elif b.n is not None:
            if kind == "nps":
                low, high, value, scale = -1.0, 1.0, b.value / 100, 100.0
            elif kind == "share":
                low, high, value, scale = 0.0, 1.0, b.value / 100, 100.0
            else:
                (low, high), value, scale = scales[METRIC_KINDS[b.metric][0]], b.value, 1.0
            se = scale * np.sqrt(max((value - low) * (high - value), 0.0) / b.n)
            basis = "n" if kind == "share" else "n (largest variance)"
        else:
            se, basis = 0.0, "fixed"
        rows.append(
            {
                "benchmark": i,
                "metric": b.metric,
                "reference": b.value,
                "reference_low": b.value - z * se if basis != "interval" else b.interval[0],  # type: ignore[index]
                "reference_high": b.value + z * se if basis != "interval" else b.interval[1],  # type: ignore[index]
                "reference_n": b.n,
                "reference_se": se,
                "reference_basis": basis,
                "source": b.source,
                "year": b.year,
            }
        )
    return pd.DataFrame(rows)


def compare_with_references(latest: pd.DataFrame, references: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """The client's estimate minus each reference, with an interval carrying both sides' uncertainty.

    ``latest`` has one row per metric (``metric``, ``estimate``, ``se``, ``n``, ``n_effective``,
    ``unit_variance``, ``ci_low``, ``ci_high``, ``period``); ``references`` comes from
    :func:`reference_standard_errors`.

    Notes
    -----
    difference = client - reference; se = sqrt(se_client^2 + se_reference^2); the interval is
    difference +/- z se and the two-sided p-value 2 (1 - Phi(|difference| / se)), so the interval excludes 0
    exactly when p < 1 - confidence. The client's se is its estimate's own (adjusted Wald for NPS, binomial
    on the design effective n for shares, the t interval's for means). A reference taken as exact adds
    nothing: the test is then the one-sample z-test of the client's score against the value.
    """
    table = references.merge(latest, on="metric", how="left")
    z = _z(confidence)
    se = np.sqrt(table["se"] ** 2 + table["reference_se"] ** 2)
    table["difference"] = table["estimate"] - table["reference"]
    table["difference_ci_low"] = table["difference"] - z * se
    table["difference_ci_high"] = table["difference"] + z * se
    with np.errstate(divide="ignore", invalid="ignore"):
        table["p_value"] = 2 * stats.norm.sf(np.abs(table["difference"]) / se)
    # In the columns the book's reading of a comparison expects (cxanalysis.significance.judge): the client is
    # side a, the reference side b, with a variance per answer and an n that give each side's se.
    table["n_effective_a"] = table["n_effective"]
    table["unit_variance_a"] = table["se"] ** 2 * table["n_effective"]
    table["n_effective_b"] = table["reference_n"].fillna(1).astype(float)
    table["unit_variance_b"] = table["reference_se"] ** 2 * table["n_effective_b"]
    return table


def reference_label(source: str, year: float | None) -> str:
    """A benchmark's source and year as the book names it: 'Nordic retail study (fictional), 2024'."""
    return source if year is None or pd.isna(year) else f"{source}, {int(year)}"


def shown_benchmarks(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison (:func:`benchmark_comparison`) as the chapter's table shows it: metric and reading in
    words, the source with its year."""
    from .words import benchmark_reading, metric_label

    return table.assign(
        metric=table["metric"].map(metric_label),
        source=[reference_label(s, y) for s, y in zip(table["source"], table["year"])],
        reading=table["reading"].map(benchmark_reading),
    )


def benchmark_comparison(client: ClientData) -> pd.DataFrame:
    """Every configured benchmark against the client's estimate of its metric in the latest period.

    One row per benchmark: the client's estimate and interval, the reference (value, interval where known,
    source, year), the difference with its interval, raw and adjusted p (adjusted across the benchmarks, as
    one family of comparisons), the verdict of :func:`cxanalysis.significance.judge` and the reading:
    "above", "below" or "too close to tell". A metric the client has no estimate of in the latest period
    (not asked, or too few answers to show) has no difference and the reading "no estimate".
    """
    from .significance import judge

    benchmarks = client.config.benchmarks
    if not benchmarks:
        return pd.DataFrame()
    references = reference_standard_errors(benchmarks, client.scales)
    latest = []
    for metric in dict.fromkeys(references["metric"]):
        if not client.has(metric):
            continue
        summary = client.summarise(metric, ["period"])
        row = summary[(summary["period"] == client.latest_period) & ~summary["suppressed"]]
        latest.append(row)
    columns = ["period", "metric", "estimate", "ci_low", "ci_high", "n", "n_effective", "se", "unit_variance"]
    estimates = (pd.concat(latest, ignore_index=True)[columns] if latest else pd.DataFrame(columns=columns)).astype(
        {"period": "string", "n": "float"}
    )
    table = compare_with_references(estimates, references)
    table["comparison"] = "benchmark"
    compared = table["estimate"].notna()
    judged = judge(client, table[compared], family=("comparison",)) if compared.any() else table.iloc[:0]
    result = pd.concat([judged, table[~compared]], ignore_index=True).drop(columns=["comparison"])
    result = result.drop(columns=["unit_variance_a", "unit_variance_b", "n_effective_b"], errors="ignore")
    result["reading"] = result["verdict"].map(READINGS).fillna("no estimate") if "verdict" in result else "no estimate"
    return result.sort_values("benchmark", kind="stable").reset_index(drop=True)
