"""The benchmark script runs, and both ways of computing grouped summaries agree."""

from __future__ import annotations

import importlib.util

from conftest import REPO


def test_grouped_summary_benchmark_agrees_with_groupby_apply():
    spec = importlib.util.spec_from_file_location("grouped_summary", REPO / "benchmarks" / "grouped_summary.py")
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    result = benchmark.run(20_000)  # asserts agreement to 1e-9 inside
    assert result["groups"] == 256
    assert result["sufficient_seconds"] > 0 and result["apply_seconds"] > 0


def test_driver_bootstrap_benchmark_agrees_with_a_loop():
    spec = importlib.util.spec_from_file_location("driver_bootstrap", REPO / "benchmarks" / "driver_bootstrap.py")
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    result = benchmark.run(2_000, 6, 200)  # asserts agreement to 1e-9 inside
    assert result["top_driver"] == "attribute_1"
