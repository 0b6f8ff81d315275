"""The client's latest scores against external reference values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

import cxanalysis as cx
from conftest import REPO, SAMPLE_CONFIG, write_client
from cxanalysis import CXInputError, benchmarking, load_config, words
from cxanalysis.config import Benchmark

Z = stats.norm.ppf(0.975)
SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7), "attributes": (1, 5)}


def test_reference_standard_errors_from_interval_and_from_n():
    refs = benchmarking.reference_standard_errors(
        [
            Benchmark(metric="csat", value=74, interval=(70, 78), source="A"),
            Benchmark(metric="csat", value=80, n=400, source="B"),
            Benchmark(metric="nps", value=30, n=1500, source="C"),
            Benchmark(metric="ces", value=5.5, n=200, source="D"),
            Benchmark(metric="nps", value=30, source="E"),
        ],
        SCALES,
    )
    assert refs["reference_se"].tolist() == pytest.approx(
        [
            8 / (2 * Z),
            100 * np.sqrt(0.8 * 0.2 / 400),
            100 * np.sqrt((1 - 0.3**2) / 1500),
            np.sqrt((5.5 - 1) * (7 - 5.5) / 200),
            0.0,
        ]
    )
    assert refs["reference_basis"].tolist() == [
        "interval",
        "n",
        "n (largest variance)",
        "n (largest variance)",
        "fixed",
    ]


def test_the_nps_bound_is_never_below_the_variance_of_any_mix_with_that_nps():
    rng = np.random.default_rng(7)
    mix = rng.dirichlet([1, 1, 1], size=20_000)  # promoters, passives, detractors
    nps = mix[:, 0] - mix[:, 2]
    variance = mix[:, 0] + mix[:, 2] - nps**2
    assert (variance <= 1 - nps**2 + 1e-12).all()


def _compare(estimate, se, reference, reference_se):
    metric = [f"run {i}" for i in range(len(estimate))]  # one client estimate and one reference per run
    latest = pd.DataFrame(
        {
            "metric": metric,
            "period": "2025Q4",
            "estimate": estimate,
            "se": se,
            "n_effective": 500.0,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "n": 500.0,
            "unit_variance": np.nan,
        }
    )
    references = pd.DataFrame(
        {"metric": metric, "reference": reference, "reference_se": reference_se, "reference_n": np.nan}
    )
    return benchmarking.compare_with_references(latest, references)


def test_difference_interval_and_p_carry_both_sides_uncertainty():
    row = _compare([75.0], [1.5], [70.0], [2.0]).iloc[0]
    se = np.hypot(1.5, 2.0)
    assert row["difference"] == pytest.approx(5.0)
    assert (row["difference_ci_low"], row["difference_ci_high"]) == pytest.approx((5 - Z * se, 5 + Z * se))
    assert row["p_value"] == pytest.approx(2 * stats.norm.sf(5 / se))
    fixed = _compare([75.0], [1.5], [70.0], [0.0]).iloc[0]
    assert fixed["p_value"] == pytest.approx(2 * stats.norm.sf(5 / 1.5))  # the one-sample z-test


def test_the_comparison_holds_its_level_when_client_and_reference_agree():
    """Simulated: a share of 70 % measured by the client (n = 600) and the reference (n = 1 500)."""
    rng = np.random.default_rng(22)
    runs = 20_000
    client = rng.binomial(600, 0.7, runs) / 600
    reference = rng.binomial(1500, 0.7, runs) / 1500
    table = _compare(
        100 * client,
        100 * np.sqrt(client * (1 - client) / 600),
        100 * reference,
        100 * np.sqrt(reference * (1 - reference) / 1500),
    )
    rejected = (table["p_value"] < 0.05).mean()
    assert 0.04 < rejected < 0.06
    covered = ((table["difference_ci_low"] <= 0) & (table["difference_ci_high"] >= 0)).mean()
    assert covered == pytest.approx(1 - rejected)


def test_the_sample_reads_below_for_nps_and_too_close_for_csat():
    truth = yaml.safe_load((REPO / "data" / "sample" / "truth.yml").read_text(encoding="utf-8"))["benchmarks"]
    client = cx.open_client(None)
    table = benchmarking.benchmark_comparison(client)
    assert table["metric"].tolist() == [b["metric"] for b in truth["values"]]
    assert table["reading"].tolist() == ["below", "too close to tell"]
    nps = client.summarise("nps", ["period"]).set_index("period").loc[client.latest_period]
    assert table.loc[0, "estimate"] == pytest.approx(nps["estimate"])
    assert table.loc[0, "difference"] == pytest.approx(nps["estimate"] - 30)
    line = words.benchmark_summary_line(table)
    assert "Nordic retail study \\(fictional\\), 2024" in line and line.count(";") == 1
    assert "taken as exact" not in " ".join(words.benchmark_sentence(r) for r in table.itertuples())


def test_a_reference_without_n_or_interval_is_fixed_and_the_reading_says_so(tmp_path):
    raw = yaml.safe_load(SAMPLE_CONFIG.read_text(encoding="utf-8"))
    raw["benchmarks"] = [{"metric": "csat", "value": 60, "source": "Trade press"}]
    client = cx.open_client(_config_in(tmp_path, raw))
    row = benchmarking.benchmark_comparison(client).iloc[0]
    assert row["reference_basis"] == "fixed" and row["reading"] == "above"
    assert "taken as exact" in words.benchmark_sentence(row)


def _anchored(value, folder):
    """A config's file paths (every 'path', and the journey and stakeholders files) made absolute."""
    if isinstance(value, dict):
        return {
            k: str(folder / v)
            if k in ("path", "journey", "stakeholders", "themes") and isinstance(v, str)
            else _anchored(v, folder)
            for k, v in value.items()
        }
    return [_anchored(v, folder) for v in value] if isinstance(value, list) else value


def _config_in(tmp_path, raw: dict):
    """The sample config with other benchmarks, written outside the sample's folder."""
    raw = _anchored(raw, SAMPLE_CONFIG.parent)
    raw["output_dir"] = str(tmp_path / "out")
    path = tmp_path / "client.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("benchmark", "message"),
    [
        ({"metric": "loyalty", "value": 3, "source": "S"}, "benchmarks[0].metric"),
        ({"metric": "nps", "value": 130, "source": "S"}, "benchmarks[0].value: 130 is outside the nps scale"),
        ({"metric": "csat", "value": 0.8, "interval": [70, 90], "source": "S"}, "benchmarks[0]: interval [70, 90]"),
        ({"metric": "ces", "value": 8, "source": "S"}, "benchmarks[0].value: 8 is outside the ces scale [1, 7]"),
        ({"metric": "nps", "value": 20}, "benchmarks[0].source: required key is missing"),
    ],
)
def test_bad_benchmarks_name_the_config_key(tmp_path, benchmark, message):
    path = write_client(
        tmp_path,
        [{"name": "s", "path": "s.csv", "columns": {"response_id": "Id", "submitted_at": "D"}}],
        benchmarks=[benchmark],
    )
    with pytest.raises(CXInputError) as error:
        load_config(path)
    assert message in str(error.value)


def test_a_client_without_benchmarks_has_no_comparison(tmp_path):
    raw = yaml.safe_load(SAMPLE_CONFIG.read_text(encoding="utf-8"))
    raw.pop("benchmarks")
    client = cx.open_client(_config_in(tmp_path, raw))
    assert benchmarking.benchmark_comparison(client).empty
    assert "Benchmarks in the config" in words.benchmarks_adds()
