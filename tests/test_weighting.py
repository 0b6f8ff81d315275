"""Raking weights: against a row-level rake typed out here, on the sample's planted margins, and in the engine."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy.stats import norm

from conftest import SAMPLE_CONFIG, SURVEY_COLUMNS, survey_frame, write_client
from cxanalysis.client import ClientData
from cxanalysis.config import Weighting, load_config
from cxanalysis.errors import CXInputError
from cxanalysis.metrics import summarise
from cxanalysis.weighting import DESIGN, kish_design_effect, rake_units, response_units


def row_rake(weights: np.ndarray, levels: dict[str, np.ndarray], targets: dict[str, dict], sweeps=5000) -> np.ndarray:
    """Raking one group of respondents row by row: each column's levels scaled to their share of the total."""
    w = weights.astype(float).copy()
    total = w.sum()
    for _ in range(sweeps):
        for column, shares in targets.items():
            for level, share in shares.items():
                rows = levels[column] == level
                w[rows] *= share * total / w[rows].sum()
        if all(
            abs(w[levels[c] == level].sum() / total - share) < 1e-13
            for c, s in targets.items()
            for level, share in s.items()
        ):
            break
    return w


MARGINS = {
    "region": {"Nord": 0.3, "Sør": 0.3, "Vest": 0.4},
    "customer_type": {"New": 0.5, "Returning": 0.5},
    "channel": {"E-mail": 0.7, "SMS": 0.3},
}


def synthetic(seed: int = 7, n: int = 900) -> pd.DataFrame:
    """Responses in two periods, skewed on every margin, with design weights of three sizes."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "survey": "relational",
            "period": rng.choice(["2025Q1", "2025Q2"], n),
            "region": rng.choice(["Nord", "Sør", "Vest"], n, p=[0.15, 0.35, 0.5]),
            "customer_type": rng.choice(["New", "Returning"], n, p=[0.3, 0.7]),
            "channel": rng.choice(["E-mail", "SMS"], n, p=[0.5, 0.5]),
            "weight": rng.choice([1.0, 1.5, 2.0], n),
            "csat": rng.integers(1, 6, n).astype(float),
        }
    )


def raked_weights(responses: pd.DataFrame, weighting: Weighting):
    raking = rake_units(response_units(responses, weighting), weighting)
    keys = [*weighting.by, *weighting.margins]
    units = raking.units.rename(columns={DESIGN: "weight", "weight": "raked"})
    merged = responses.astype({k: "string" for k in keys}).merge(units, on=[*keys, "weight"], how="left")
    return raking, merged["raked"].to_numpy()


def test_raking_on_the_cross_table_equals_raking_each_row():
    responses = synthetic()
    weighting = Weighting(margins=MARGINS, cap=50)
    raking, raked = raked_weights(responses, weighting)
    for _, cell in responses.groupby(["survey", "period"]).groups.items():
        rows = responses.loc[cell]
        expected = row_rake(rows["weight"].to_numpy(), {c: rows[c].to_numpy() for c in MARGINS}, MARGINS)
        assert raked[responses.index.get_indexer(cell)] == pytest.approx(expected, rel=1e-8)
    assert raking.met and raking.trimmed == 0


def test_the_client_weights_match_the_row_level_rake(tmp_path):
    frame = survey_frame(40)
    path = write_client(
        tmp_path,
        [{"name": "survey", "path": "survey.csv", "columns": SURVEY_COLUMNS}],
        segments=["region"],
        weighting={"margins": {"region": {"Nord": 0.1, "Sør": 0.2, "Vest": 0.3, "Øst": 0.4}}, "by": []},
    )
    frame.to_csv(tmp_path / "survey.csv", index=False)
    client = ClientData(load_config(path))
    responses = client.responses
    # Levels as read: a level too small to publish in a period is withheld from the breakdowns afterwards.
    levels = {"region": client.response_table.valid.loc[responses.index, "region"].to_numpy(dtype=object)}
    expected = row_rake(np.ones(len(responses)), levels, client.config.weighting.margins)
    assert responses["weight"].to_numpy() == pytest.approx(expected, rel=1e-9)


def test_the_sample_is_raked_to_its_planted_margins_in_every_survey_and_period():
    client = ClientData(load_config(SAMPLE_CONFIG))
    truth = yaml.safe_load((SAMPLE_CONFIG.parent / "truth.yml").read_text(encoding="utf-8"))["weighting"]
    assert client.config.weighting.margins == truth["margins"]
    responses = client.responses.astype({c: "string" for c in ("survey", "period", "region", "customer_type")})
    cells = responses.groupby(["survey", "period"])["weight"].sum()
    # Each cell keeps its number of responses as its total weight.
    assert cells.to_numpy() == pytest.approx(responses.groupby(["survey", "period"]).size().to_numpy(), rel=1e-12)
    for column, shares in truth["margins"].items():
        weighted = responses.groupby(["survey", "period", column])["weight"].sum() / cells
        target = weighted.index.get_level_values(column).map(shares).to_numpy(dtype=float)
        assert np.abs(weighted.to_numpy() - target).max() < 1e-6, column
        raw = responses[column].value_counts(normalize=True)
        assert raw.to_dict() == pytest.approx(truth["realised_response_shares"][column], abs=5e-5)
    missed = truth["missed_margin"]
    raw_new = (responses[missed["column"]] == missed["level"]).mean()
    assert missed["population_share"] - raw_new > 0.05  # the margin the raw sample misses
    assert client.raking.met and client.raking.trimmed == 0


def test_trimming_holds_the_cap_and_says_whether_the_margins_still_hold():
    responses = synthetic(n=400)
    # Six answers from a level with 40 % of the population would need weights far above the cap.
    responses["region"] = np.where(responses.index < 6, "Øst", np.resize(["Nord", "Sør", "Vest"], len(responses)))
    margins = {"region": {"Øst": 0.4, "Nord": 0.3, "Sør": 0.15, "Vest": 0.15}}
    raking, raked = raked_weights(responses, Weighting(margins=margins, cap=3, by=[]))
    design = responses["weight"].to_numpy()
    limit = 3 * design.sum() / len(design)
    assert raked.max() <= limit * (1 + 1e-9)
    assert np.isclose(raked, limit, rtol=1e-9).sum() == raking.trimmed > 0
    shares = pd.Series(raked).groupby(responses["region"].to_numpy()).sum() / raked.sum()
    gap = max(abs(shares[level] - share) for level, share in margins["region"].items())
    assert raking.cells["margin_gap"].iloc[0] == pytest.approx(gap, abs=1e-12)
    assert not raking.met and gap > 0.1  # six answers cannot carry 40 % of the weight under the cap
    untrimmed, _ = raked_weights(responses, Weighting(margins=margins, cap=1000, by=[]))
    assert untrimmed.met and untrimmed.trimmed == 0


def test_trimming_then_raking_again_meets_the_margins_when_it_can():
    responses = synthetic(seed=3)
    weighting = Weighting(margins=MARGINS, cap=2.5)
    raking, raked = raked_weights(responses, weighting)
    assert raking.trimmed > 0 and raking.met
    for rows in responses.groupby("period").groups.values():
        w = raked[responses.index.get_indexer(rows)]
        assert w.max() <= 2.5 * responses.loc[rows, "weight"].mean() * (1 + 1e-9)
        for column, shares in MARGINS.items():
            got = pd.Series(w).groupby(responses.loc[rows, column].to_numpy()).sum() / w.sum()
            assert got.to_dict() == pytest.approx(shares, abs=1e-8)


def test_design_effect_and_effective_n_follow_kish():
    responses = synthetic()
    raking, raked = raked_weights(responses, Weighting(margins=MARGINS))
    for row in raking.cells.itertuples():
        w = raked[(responses["period"] == row.period).to_numpy()]
        assert row.design_effect_after == pytest.approx(len(w) * (w**2).sum() / w.sum() ** 2, rel=1e-12)
        assert row.n_effective_after == pytest.approx(w.sum() ** 2 / (w**2).sum(), rel=1e-12)
        assert row.design_effect_after == pytest.approx(1 + (w.std() / w.mean()) ** 2, rel=1e-12)
    assert raking.design_effect == pytest.approx(len(raked) * (raked**2).sum() / raked.sum() ** 2, rel=1e-12)
    assert kish_design_effect([1, 3]) == pytest.approx(2 * 10 / 16)


def test_intervals_use_the_effective_n_of_the_raked_weights():
    client = ClientData(load_config(SAMPLE_CONFIG))
    responses = client.responses
    cell = responses[(responses["survey"] == "after_purchase") & (responses["period"] == "2025Q3")]
    row = summarise(cell, "csat", min_n=5).iloc[0]
    answered = cell[cell["csat"].notna()]
    w, y = answered["weight"].to_numpy(), (answered["csat"] >= 4).to_numpy(dtype=float)
    p = (w * y).sum() / w.sum()
    variance = (w**2 * (y - p) ** 2).sum() / w.sum() ** 2  # Taylor linearisation of the ratio
    n_eff = p * (1 - p) / variance
    z = norm.ppf(0.975)
    centre = (p + z**2 / (2 * n_eff)) / (1 + z**2 / n_eff)
    half = z / (1 + z**2 / n_eff) * np.sqrt(p * (1 - p) / n_eff + z**2 / (4 * n_eff**2))
    assert row["n_effective"] == pytest.approx(n_eff, rel=1e-9)
    assert (row["estimate"], row["ci_low"], row["ci_high"]) == pytest.approx(
        (100 * p, 100 * (centre - half), 100 * (centre + half)), rel=1e-9
    )
    assert row["n_effective"] < len(answered)  # the raked weights cost precision
    unweighted = summarise(cell.assign(weight=1.0), "csat", min_n=5).iloc[0]
    assert unweighted["n_effective"] == pytest.approx(len(answered)) and unweighted["estimate"] != row["estimate"]


def test_a_sampled_client_is_raked_in_the_engine_as_in_memory(tmp_path):
    raw = yaml.safe_load(SAMPLE_CONFIG.read_text(encoding="utf-8"))
    whole = ClientData(load_config(SAMPLE_CONFIG))
    path = SAMPLE_CONFIG.parent / f".test-weighting-{tmp_path.name}.yml"
    path.write_text(
        yaml.safe_dump({**raw, "output_dir": str(tmp_path), "sampling": {"max_rows": 1000}}, allow_unicode=True),
        encoding="utf-8",
    )
    try:
        sampled = ClientData(load_config(path))
        assert sampled.sample is not None and sampled.all_responses is not None
        for metric, by in (("nps", ["period"]), ("csat", ["period", "customer_type"])):
            a, b = whole.summarise(metric, by), sampled.summarise(metric, by)
            columns = ["estimate", "ci_low", "ci_high", "n_effective"]
            assert b[columns].to_numpy() == pytest.approx(a[columns].to_numpy(), rel=1e-9)
        rows = sampled.responses.set_index(["source", "response_id"])["weight"]
        assert rows.to_numpy() == pytest.approx(
            whole.responses.set_index(["source", "response_id"])["weight"].loc[rows.index].to_numpy(), rel=1e-7
        )
    finally:
        path.unlink()


def test_without_weighting_every_response_keeps_its_own_weight(tmp_path):
    frame = survey_frame(20)
    path = write_client(
        tmp_path, [{"name": "survey", "path": "survey.csv", "columns": SURVEY_COLUMNS}], segments=["region"]
    )
    frame.to_csv(tmp_path / "survey.csv", index=False)
    client = ClientData(load_config(path))
    assert client.raking is None
    assert (client.responses["weight"] == 1.0).all()


@pytest.mark.parametrize(
    ("weighting", "said"),
    [
        ({"margins": {"region": {"Nord": 0.5, "Sør": 0.4}}}, ["weighting.margins.region", "sum to 0.9, not 1"]),
        ({"margins": {"region": {"Nord": 1.0, "Sør": 0.0}}}, ["weighting.margins.region.Sør", "greater than 0"]),
        ({"margins": {"age": {"young": 1.0}}}, ["weighting.margins.age", "neither a declared segment"]),
        ({"margins": {"region": {"Nord": 1.0}}, "by": ["region"]}, ["weighting.by", "either raked to its margin"]),
        ({"margins": {"region": {"Nord": 1.0}}, "cap": 1}, ["weighting.cap", "greater than 1"]),
    ],
)
def test_bad_margins_are_refused_naming_the_key(tmp_path, weighting, said):
    path = write_client(
        tmp_path,
        [{"name": "survey", "path": "survey.csv", "columns": SURVEY_COLUMNS}],
        segments=["region"],
        weighting=weighting,
    )
    with pytest.raises(CXInputError) as caught:
        load_config(path)
    for words in said:
        assert words in str(caught.value)


@pytest.mark.parametrize(
    ("value", "said"), [("Midt", "has the region 'Midt', which the margins do not name"), ("", "has no region")]
)
def test_a_level_the_margins_do_not_know_names_file_column_and_response(tmp_path, value, said):
    frame = survey_frame(20)
    frame.loc[6, "Region"] = value
    frame.loc[9, "Region"] = value
    path = write_client(
        tmp_path,
        [{"name": "survey", "path": "survey.csv", "columns": SURVEY_COLUMNS}],
        segments=["region"],
        weighting={"margins": {"region": {"Nord": 0.25, "Sør": 0.25, "Vest": 0.25, "Øst": 0.25}}},
    )
    frame.to_csv(tmp_path / "survey.csv", index=False)
    with pytest.raises(CXInputError) as caught:
        ClientData(load_config(path)).summarise("nps")
    message = str(caught.value)
    for words in ("survey.csv", "column 'Region'", "2 responses", "response id A006", said, "weighting.margins.region"):
        assert words in message
    assert "row 8" in message  # the header is row 1: the frame's seventh row is the file's eighth


def test_a_level_no_response_of_a_cell_has_is_named_with_its_cell():
    responses = synthetic()
    responses.loc[responses["period"] == "2025Q2", "customer_type"] = "Returning"
    with pytest.raises(CXInputError) as caught:
        raked_weights(responses, Weighting(margins=MARGINS))
    message = str(caught.value)
    assert (
        "period 2025Q2" in message and "customer_type 'New'" in message and "weighting.margins.customer_type" in message
    )
