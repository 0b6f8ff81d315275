"""The sample a large client's row-level analysis works on: its allocation, its draw, and a sampled client
whose scores by period and group still come from every response."""

from __future__ import annotations

import io
import subprocess

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import CLI, SAMPLE_CONFIG, visible_text
from cxanalysis import engine, load_config, measurement, sampling
from cxanalysis.client import ClientData
from exercises import sample_copy


def test_allocation_is_proportional_sums_to_the_sample_and_draws_from_every_stratum():
    sizes = pd.Series([5_000, 3_000, 1_997, 2, 1])
    drawn = sampling.allocate(sizes, 1_000)
    assert drawn.sum() == 1_000
    assert (drawn >= 1).all() and (drawn <= sizes).all()
    # Each stratum within one response of its exact share (the two tiny strata get their one).
    exact = sizes * 1_000 / sizes.sum()
    assert (np.abs(drawn - exact)[:3] <= 1).all()
    assert sampling.allocate(sizes, 20_000).equals(sizes)


def _responses(rows: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "source": "survey",
            "response_id": [f"r{i}" for i in range(rows)],
            "period": rng.choice(["2025Q1", "2025Q2", "2025Q3"], rows, p=[0.5, 0.3, 0.2]),
            "survey": rng.choice(["relational", "after_support"], rows),
            "nps": rng.integers(0, 11, rows).astype(float),
        }
    )


def test_the_draw_takes_each_strata_allocation_and_is_the_same_every_time():
    responses = _responses(5_000)
    frame, drawn = sampling.fetch_sample(engine.as_table(responses), 600)
    assert len(frame) == drawn.rows == 600 and drawn.of == 5_000
    got = frame.groupby(["period", "survey"]).size().rename("got").reset_index()
    check = drawn.allocation.merge(got, on=["period", "survey"])
    assert (check["got"] == check["drawn"]).all() and len(check) == 6
    again, _ = sampling.fetch_sample(engine.as_table(responses), 600)
    assert again["response_id"].tolist() == frame["response_id"].tolist()
    everyone, all_drawn = sampling.fetch_sample(engine.as_table(responses), 5_000)
    assert len(everyone) == 5_000 and all_drawn.rows == all_drawn.of


def test_every_response_of_a_stratum_is_equally_likely_to_be_drawn(monkeypatch):
    # Over 300 seeds, each response's share of draws is its stratum's allocation over its size: a
    # simple random sample within strata, so estimates need no weights.
    responses = _responses(240, seed=3)
    table = engine.as_table(responses)
    seen = pd.Series(0, index=responses["response_id"])
    draws = 300
    for seed in range(draws):
        monkeypatch.setattr(sampling, "SEED", f"seed-{seed}")
        frame, drawn = sampling.fetch_sample(table, 60)
        seen[frame["response_id"]] += 1
    share = responses.merge(drawn.allocation, on=["period", "survey"])
    expected = (share["drawn"] / share["responses"]).to_numpy()
    observed = seen[share["response_id"]].to_numpy() / draws
    # Binomial standard error per response; every response within 4.5 of them, and the mean share exact.
    se = np.sqrt(expected * (1 - expected) / draws)
    assert (np.abs(observed - expected) < 4.5 * se).all()
    assert abs(observed.mean() - expected.mean()) < 0.01


def _sampled_and_full(tmp_path, **settings):
    def edit(config):
        config["sampling"] = {"max_rows": 2_000}
        config["anonymity"] = {"min_responses": settings.get("min_responses", 5)}
        config["report"] |= settings.get("report", {})

    sampled = ClientData(load_config(sample_copy(tmp_path / "sampled", edit)))
    full = ClientData(load_config(sample_copy(tmp_path / "full", lambda c: edit(c) or c.pop("sampling"))))
    return sampled, full


@pytest.mark.parametrize("min_responses", [5, 60])
def test_a_sampled_client_counts_every_response_in_its_scores_by_period_and_group(tmp_path, min_responses):
    sampled, full = _sampled_and_full(tmp_path, min_responses=min_responses)
    assert full.sample is None and full.all_responses is None
    assert sampled.sample.rows == 2_000 and sampled.sample.of == len(full.response_table.valid)
    assert len(sampled.responses) <= 2_000
    assert sampled.responses.dtypes.equals(full.responses.dtypes)
    # What is withheld, partial and blank is decided on every response, exactly as without a sample.
    pd.testing.assert_frame_equal(sampled.withheld_groups, full.withheld_groups)
    assert (len(full.withheld_groups) > 0) == (min_responses == 60)
    assert sampled.partial == full.partial
    pd.testing.assert_series_equal(sampled.blank_levels, full.blank_levels, check_names=False)
    for metric in ["nps", "csat", "ces", "responsiveness"]:
        for by in [[], ["period"], ["period", "touchpoint"], ["period", "channel"], ["region"], ["period", "language"]]:
            engine_result = sampled.summarise(metric, by).astype({c: str for c in by})
            pandas_result = full.summarise(metric, by).astype({c: str for c in by})
            pd.testing.assert_frame_equal(engine_result, pandas_result, check_dtype=False, rtol=1e-9, atol=1e-9)


def _thin_latest_quarter(config: dict, folder) -> None:
    """The sample's exports with the latest quarter cut to its first answers, as an export taken early in a
    quarter holds it."""
    relational = pd.read_csv(folder / "relational_nps.csv", sep=";", encoding="utf-8-sig", dtype=str)
    dates = pd.to_datetime(relational["Submitted"], format="%d.%m.%Y %H:%M", errors="coerce")
    relational[~(dates >= "2025-10-15")].to_csv(folder / "relational_nps.csv", sep=";", index=False)
    transactional = pd.read_excel(folder / "transactional.xlsx", sheet_name="Responses", dtype=object)
    stamps = pd.to_datetime(transactional["Timestamp"], errors="coerce")
    transactional[~(stamps >= "2025-10-15")].to_csv(folder / "transactional.csv", index=False)
    config["sources"][0].pop("encoding", None)
    config["sources"][1] |= {"path": "transactional.csv"}
    config["sources"][1].pop("sheet", None)


@pytest.mark.parametrize("setting", ["leave_out", "report"])
def test_a_partial_latest_period_is_judged_on_every_response_and_left_out_as_configured(tmp_path, setting):
    def edit(sampled: bool):
        def change(config):
            _thin_latest_quarter(config, tmp_path / ("sampled" if sampled else "full") / "client")
            config["report"] |= {"partial_period": setting}
            config["anonymity"] = {"min_responses": 40}
            if sampled:
                config["sampling"] = {"max_rows": 1_000}

        return change

    clients = {}
    for sampled in (True, False):
        folder = tmp_path / ("sampled" if sampled else "full")
        config = sample_copy(folder, None)
        edited_config = yaml.safe_load(config.read_text(encoding="utf-8"))
        edit(sampled)(edited_config)
        config.write_text(yaml.safe_dump(edited_config, allow_unicode=True, sort_keys=False), encoding="utf-8")
        clients[sampled] = ClientData(load_config(config))
    sampled, full = clients[True], clients[False]
    assert sampled.sample is not None and full.partial is not None and full.partial.period == "2025Q4"
    assert sampled.partial == full.partial
    assert ("2025Q4" in sampled.periods) == (setting == "report") == ("2025Q4" in full.periods)
    pd.testing.assert_frame_equal(sampled.withheld_groups, full.withheld_groups)
    pd.testing.assert_series_equal(sampled.blank_levels, full.blank_levels, check_names=False)
    assert sampled.period_sizes.to_dict() == full.period_sizes.to_dict()
    for metric, by in [("nps", ["period"]), ("csat", ["period", "channel"]), ("nps", ["period", "region"])]:
        pd.testing.assert_frame_equal(
            sampled.summarise(metric, by).astype({c: str for c in by}),
            full.summarise(metric, by).astype({c: str for c in by}),
            check_dtype=False,
            rtol=1e-9,
        )


def test_the_sample_of_a_client_with_fewer_responses_than_the_limit_is_every_response():
    client = ClientData(load_config(SAMPLE_CONFIG))
    assert client.sample is None and client.all_responses is None


@pytest.mark.slow
def test_a_sampled_clients_book_says_what_comes_from_the_sample_and_counts_every_response(tmp_path):
    config = sample_copy(tmp_path, lambda c: c.update(sampling={"max_rows": 2_000}))
    subprocess.run([CLI, "build", str(config)], check=True, capture_output=True, text=True)
    book = tmp_path / "output" / "nordlys"
    full = ClientData(load_config(SAMPLE_CONFIG))
    # The scores by period and group and the response counts are those of every response.
    metrics = pd.read_csv(book / "results" / "metrics.csv")
    expected = pd.read_csv(io.StringIO(measurement.metric_table(full).to_csv(index=False)))
    pd.testing.assert_frame_equal(metrics, expected, check_dtype=False, rtol=1e-9)
    pages = {
        page.stem: visible_text(page.read_text(encoding="utf-8"))
        for page in (book / "html" / "notebooks").glob("*.html")
    }
    summary = pages.pop("00_executive_summary")
    assert "This report covers 5,992 responses" in summary
    assert "comes from a random sample of 2,000, drawn in each period and survey" in summary
    assert "Nordlys Retail, 2025Q4, 1,599 responses" in summary
    for chapter in ("01_stakeholder_goals", "04_free_text", "06_key_drivers", "08_monitoring", "90_data_quality"):
        assert "come from a random sample of 2,000 of the 5,992 responses" in pages[chapter], chapter
    assert "random sample" not in pages["91_reproducibility"]


def _warehouse_and_files(tmp_path, source: dict):
    """The sample client with its relational survey as a DuckDB table read as ``source`` says, sampled at
    1,000 responses, and the same table read into Python with every response in memory."""
    answers = pd.read_csv(SAMPLE_CONFIG.parent / "relational_nps.csv", sep=";", encoding="utf-8-sig")
    answers["Submitted"] = pd.to_datetime(answers["Submitted"], format="%d.%m.%Y %H:%M", errors="coerce")
    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("CREATE SCHEMA cx")
        connection.execute("CREATE TABLE cx.answers AS SELECT * FROM answers")

    def point_at(given: dict, sampled: bool):
        def edit(config):
            config["sources"][0] |= {key: str(value).replace("DATABASE", str(database)) for key, value in given.items()}
            config["sources"][0].pop("date_format", None)
            if "connection" in given:
                config["sources"][0].pop("path")
            if sampled:
                config["sampling"] = {"max_rows": 1_000}

        return edit

    warehouse = ClientData(load_config(sample_copy(tmp_path / "warehouse", point_at(source, sampled=True))))
    in_memory = {"path": str(database), "table": "cx.answers"}
    files = ClientData(load_config(sample_copy(tmp_path / "files", point_at(in_memory, sampled=False))))
    return warehouse, files


@pytest.mark.parametrize(
    "source",
    [
        {"path": "DATABASE", "table": "cx.answers"},
        {"connection": "duckdb://DATABASE", "table": "cx.answers"},
    ],
    ids=["duckdb-file", "connection"],
)
def test_a_warehouse_table_is_checked_in_the_engine_and_its_responses_counted_there(tmp_path, source):
    warehouse, files = _warehouse_and_files(tmp_path, source)
    assert warehouse.sample is not None and warehouse.sample.of == len(files.response_table.valid)
    accounting = warehouse.data_check.accounting.set_index(["source", "outcome", "reason"])["rows"]
    expected = files.data_check.accounting.set_index(["source", "outcome", "reason"])["rows"]
    pd.testing.assert_series_equal(accounting.sort_index(), expected.sort_index(), check_names=False)
    assert warehouse.response_table.read_as["relational"]["format"] == "engine"
    how_read = warehouse.data_check.files.set_index("source")
    named = "cx.answers" if "connection" in source else "warehouse.duckdb"  # a connection's table, else the file
    assert how_read.loc["relational", "file"] == named and how_read.loc["relational", "rows"] == 2_400
    for metric, by in [("nps", ["period"]), ("csat", ["period", "channel"]), ("nps", ["region"])]:
        pd.testing.assert_frame_equal(
            warehouse.summarise(metric, by).astype({c: str for c in by}),
            files.summarise(metric, by).astype({c: str for c in by}),
            check_dtype=False,
            rtol=1e-9,
        )
    pd.testing.assert_frame_equal(
        warehouse.response_counts(["period"]).astype({"period": str}),
        files.response_counts(["period"]).astype({"period": str}),
    )
    # The sample's comments are redacted as the loader redacts them.
    assert not warehouse.responses["comment"].dropna().str.contains("@", regex=False).any()
    assert warehouse.responses.dtypes.equals(files.responses.dtypes)
