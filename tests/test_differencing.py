"""A small group stays hidden under arithmetic: the differencing attack on what the book publishes.

The sample client gets a region "Tiny" of four relational answers in its
latest quarter. An attacker holding the result files subtracts every group
shown from the total of the same table (and a year of a segment from the
quarters shown) and tries to recover Tiny's NPS or its size.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import CLI, SAMPLE_CONFIG
from cxanalysis import load_config, words
from cxanalysis.anonymity import hidden_cells, withhold_small_groups
from cxanalysis.client import ClientData
from cxanalysis.measurement import metric_table
from cxanalysis.rules import nps_points
from cxanalysis.significance import segment_differences
from cxanalysis.touchpoints import journey_scores

TINY = "Tiny"


def tiny_region_client(folder: Path) -> tuple[Path, float]:
    """The sample client with four of its last relational answers moved to region Tiny; Tiny's true NPS."""
    shutil.copytree(SAMPLE_CONFIG.parent, folder, dirs_exist_ok=True)
    path = folder / "relational_nps.csv"
    frame = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    rows = frame.index[-4:]
    frame.loc[rows, "Region"] = TINY
    frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    truth = float(nps_points(frame.loc[rows, "Likelihood to recommend (0-10)"].astype(float)).mean())
    config = yaml.safe_load(SAMPLE_CONFIG.read_text(encoding="utf-8"))
    config["output_dir"] = str(folder / "out")
    # Unweighted, the remainder of counts times scores is exactly Tiny's own NPS: the attack at its strongest.
    config.pop("weighting")
    (folder / "client.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder / "client.yml", truth


def recovered_by_differencing(metrics: pd.DataFrame, min_n: int) -> list[tuple[str, str, float, float]]:
    """Every remainder an attacker can compute: (metric, period, dimension) slice, its n and its value.

    The remainder of a slice is the total minus the groups shown, weighted by their counts.
    """
    found = []
    numeric = metrics.assign(
        n=pd.to_numeric(metrics["n"], errors="coerce"), estimate=pd.to_numeric(metrics["estimate"], errors="coerce")
    )
    totals = numeric[numeric["dimension"] == "all"].set_index(["metric", "period"])
    for (metric, period, dimension), part in numeric[numeric["dimension"] != "all"].groupby(
        ["metric", "period", "dimension"]
    ):
        total = totals.loc[(metric, period)]
        shown = part[part["estimate"].notna()]
        rest_n = total["n"] - shown["n"].sum()
        if rest_n > 0:
            value = (total["n"] * total["estimate"] - (shown["n"] * shown["estimate"]).sum()) / rest_n
            found.append((f"{metric} {period} {dimension}", rest_n, value))
    return found


def _num(table: pd.DataFrame, *columns: str) -> pd.DataFrame:
    return table.assign(**{c: pd.to_numeric(table[c], errors="coerce") for c in columns})


def _small(rest_n: float, min_n: int) -> bool:
    """A remainder an attacker can isolate: more than nothing and fewer than the threshold (rounding aside)."""
    return 0.5 < rest_n < min_n - 0.5


def leaks_by_remainder(
    table: pd.DataFrame, name: str, slices: list[str], group: str, is_total: pd.Series, n: str, min_n: int
) -> list[str]:
    """Within each slice, the total's count minus the groups shown: a small remainder is a hidden group."""
    found = []
    table = _num(table, n)
    totals = table[is_total]
    parts = table[~is_total]
    for key, total in totals.groupby(slices, dropna=False) if slices else [((), totals)]:
        key = key if isinstance(key, tuple) else (key,)
        mask = pd.Series(True, index=parts.index)
        for column, value in zip(slices, key):
            mask &= parts[column].eq(value) | (parts[column].isna() & pd.isna(value))
        for groups, part in parts[mask].groupby(group, dropna=False) if group else [("", parts[mask])]:
            rest_n = total[n].iloc[0] - part[n].fillna(0).sum()
            if _small(rest_n, min_n):
                found.append(f"{name} {key} {groups}: {rest_n:g} answers left over")
    return found


def leaks_by_rest_column(journey: pd.DataFrame, min_n: int) -> list[str]:
    """journey.csv's ``rest`` (every other touchpoint's score) solved for the period's total count and sum.

    For each touchpoint shown, rest * (N - n) = S - n * estimate, linear in N and S: two or more touchpoints
    give both, and N and S less the touchpoints shown are the hidden ones.
    """
    found = []
    table = _num(journey, "n", "estimate", "rest")
    for (metric, period), part in table.groupby(["metric", "period"]):
        shown = part[part["rest"].notna() & part["estimate"].notna() & (part["n"] > 0)]
        if len(shown) < 2 or shown["rest"].nunique() < 2:
            continue
        a = np.column_stack([shown["rest"], -np.ones(len(shown))])
        b = (shown["n"] * shown["rest"] - shown["n"] * shown["estimate"]).to_numpy()
        (total_n, _total_sum), *_ = np.linalg.lstsq(a, b, rcond=None)
        rest_n = total_n - part.loc[part["estimate"].notna(), "n"].sum()
        if _small(round(rest_n), min_n):
            found.append(f"journey.csv {metric} {period}: {rest_n:.1f} answers behind the hidden touchpoints")
    return found


def differencing_leaks(results: Path, min_n: int) -> list[str]:
    """Every small hidden group an attacker can count from the published result files."""
    found = []
    drivers = pd.read_csv(results / "drivers.csv")
    found += leaks_by_remainder(
        drivers, "drivers.csv", ["outcome", "driver"], "dimension", drivers["dimension"] == "all", "n", min_n
    )
    comparisons = pd.read_csv(results / "comparisons.csv")
    by_period = comparisons[comparisons["comparison"] == "previous period"]
    for n in ("n_a", "n_b"):
        found += leaks_by_remainder(
            by_period,
            f"comparisons.csv {n}",
            ["metric", "baseline", "current"],
            "dimension",
            by_period["dimension"] == "all",
            n,
            min_n,
        )
    against = _num(comparisons[comparisons["comparison"] != "previous period"], "n_a", "n_b")
    against = against.assign(total=against["n_a"] + against["n_b"])
    for (metric, dimension, current), part in against.groupby(["metric", "dimension", "current"], dropna=False):
        rest_n = part["total"].max() - part["n_a"].sum()
        if _small(rest_n, min_n):
            found.append(f"comparisons.csv {metric} {dimension} {current}: {rest_n:g} answers in no segment shown")
    goals = pd.read_csv(results / "goals.csv")
    found += leaks_by_remainder(goals, "goals.csv", ["metric"], "", goals["scope"] == "all", "n", min_n)
    found += leaks_by_rest_column(pd.read_csv(results / "journey.csv"), min_n)
    frequency = _num(pd.read_csv(results / "theme_frequency.csv"), "mentions", "comments")
    themes = _num(pd.read_csv(results / "themes.csv"), "mentions", "comments").set_index("theme")
    cells = frequency.drop_duplicates(["touchpoint", "period"])["comments"].sum()
    for theme, part in frequency.groupby("theme"):
        if theme in themes.index:
            rest = themes.loc[theme, "mentions"] - part["mentions"].sum()
            if _small(rest, min_n):
                found.append(f"theme_frequency.csv {theme}: {rest:g} mentions in no touchpoint shown")
    rest_comments = themes["comments"].max() - cells
    if _small(rest_comments, min_n):
        found.append(f"theme_frequency.csv: {rest_comments:g} comments in no touchpoint and period shown")
    return found


def test_the_smallest_others_are_hidden_until_the_hidden_hold_the_threshold():
    n = pd.Series([4, 30, 6, 0, 100])
    assert hidden_cells(n, None, 5).tolist() == [True, False, True, False, False]  # 4 + 6 >= 5
    assert hidden_cells(pd.Series([1, 1, 2, 50, 60]), None, 5).tolist() == [True, True, True, True, False]
    assert not hidden_cells(pd.Series([5, 9, 0]), None, 5).any()  # nothing small, nothing hidden
    slices = pd.DataFrame({"period": ["Q1", "Q1", "Q2", "Q2"]})
    assert hidden_cells(pd.Series([3, 40, 30, 40]), slices, 5).tolist() == [True, True, False, False]


def test_a_level_small_in_one_period_is_withheld_there_only():
    frame = pd.DataFrame(
        {"period": ["Q1"] * 13 + ["Q2"] * 20, "region": ["A"] * 3 + ["B"] * 10 + ["A"] * 10 + ["B"] * 10}
    )
    out, withheld = withhold_small_groups(frame, ["region"], 5)
    assert out["region"].isna().sum() == 13  # A's 3 and B's 10 in Q1 (B protects A)
    assert out.loc[out["period"] == "Q2", "region"].notna().all()
    assert withheld[["period", "level", "reason"]].values.tolist() == [
        ["Q1", "A", "fewer than the threshold"],
        ["Q1", "B", "protects a smaller group"],
    ]


def test_the_book_names_what_each_period_leaves_out_and_why():
    withheld = pd.DataFrame(
        {
            "dimension": ["region", "region", "customer_type"],
            "period": ["2025Q4", "2025Q4", "2025Q3"],
            "level": ["Tiny", "Sør", "Business"],
            "reason": ["fewer than the threshold", "protects a smaller group", "fewer than the threshold"],
        }
    )
    text = words.withheld_sentence(withheld, 5)
    assert "in 2025Q3, customer type **Business** · in 2025Q4, region **Tiny**, **Sør**." in text
    assert "fewer than 5 responses" in text and "count in every total" in text
    assert words.withheld_sentence(withheld.iloc[0:0], 5) == ""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_region_client(tmp_path_factory.mktemp("tiny"))


def test_the_published_tables_give_no_small_group_away(tiny):
    config_path, truth = tiny
    client = ClientData(load_config(config_path))
    min_n = client.min_n
    assert set(client.withheld_groups["level"]) >= {TINY}
    metrics = metric_table(client)
    assert TINY not in set(metrics["level"])
    hidden = metrics[metrics["suppressed"]]
    assert hidden["n"].isna().all() and hidden["estimate"].isna().all()  # suppressed rows carry no count
    for slice_name, rest_n, value in recovered_by_differencing(metrics, min_n):
        assert rest_n >= min_n, f"{slice_name}: the remainder holds {rest_n} answers"
        assert not np.isclose(value, truth), f"{slice_name}: Tiny's NPS recovered"
    # A year of each region against the quarters shown: the difference holds no small group either.
    year = segment_differences(client, ["nps"], ["region"])
    quarters = metrics[(metrics["dimension"] == "region") & (metrics["metric"] == "nps")]
    for row in year.itertuples():
        assert row.level != TINY
        shown = quarters[(quarters["level"] == row.level) & quarters["estimate"].notna()]
        rest_n = row.n_a - shown["n"].sum()
        assert rest_n == 0 or rest_n >= min_n
    journey = journey_scores(client, "csat")
    assert journey.loc[journey["suppressed"], ["n", "responses", "estimate"]].isna().all().all()


@pytest.mark.slow
def test_the_result_files_of_a_built_book_resist_the_differencing_attack(tiny):
    config_path, truth = tiny
    done = subprocess.run([CLI, "build", str(config_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    config = load_config(config_path)
    min_n = config.anonymity.min_responses
    metrics = pd.read_csv(config.results_dir / "metrics.csv")
    for slice_name, rest_n, value in recovered_by_differencing(metrics, min_n):
        assert rest_n >= min_n, f"{slice_name}: the remainder holds {rest_n} answers"
        assert not np.isclose(value, truth), f"{slice_name}: Tiny's NPS recovered"
    # The other result files with counts by group: no remainder is a small group.
    assert differencing_leaks(config.results_dir, min_n) == []
    for path in config.results_dir.glob("*.csv"):
        table = pd.read_csv(path)
        assert not table.isin([TINY]).any().any(), f"{path.name} names the withheld region"
        if "suppressed" in table:
            hidden = table[table["suppressed"].astype(str) == "True"]
            for column in {"n", "responses", "estimate"} & set(table.columns):
                assert hidden[column].isna().all(), f"{path.name}: a hidden row shows its {column}"
    pages = (config.build_dir / "html").rglob("*.html")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert f"{TINY} (n =" not in text and f"{TINY} (n=" not in text, page.name


def test_the_attack_finds_a_small_group_left_over_or_solved_from_the_rest_column():
    """The attack itself: it counts a planted small remainder, and solves journey.csv's rest for a hidden one."""
    table = pd.DataFrame(
        {
            "metric": ["nps"] * 3,
            "dimension": ["all", "region", "region"],
            "level": ["all", "A", "B"],
            "n": [40, 20, 17],
        }
    )
    found = leaks_by_remainder(table, "t", ["metric"], "dimension", table["dimension"] == "all", "n", 5)
    assert found == ["t ('nps',) region: 3 answers left over"]
    # Touchpoints A and B shown, C (n 3, score 10) hidden; each rest is the score of the other two.
    n, score = {"A": 20, "B": 30, "C": 3}, {"A": 50.0, "B": 70.0, "C": 10.0}
    rows = []
    for name in "ABC":
        others = [o for o in "ABC" if o != name]
        rest = sum(n[o] * score[o] for o in others) / sum(n[o] for o in others)
        shown = name != "C"
        rows.append(
            {
                "metric": "csat",
                "period": "Q1",
                "touchpoint": name,
                "n": n[name] if shown else None,
                "estimate": score[name] if shown else None,
                "rest": rest if shown else None,
            }
        )
    assert leaks_by_rest_column(pd.DataFrame(rows), 5) == [
        "journey.csv csat Q1: 3.0 answers behind the hidden touchpoints"
    ]
