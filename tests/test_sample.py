"""The synthetic sample client: files, formats and planted truths."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from cxanalysis.sample import (
    CUSTOMERS_FILE,
    DATA_FILES,
    RELATIONAL_FILE,
    TICKETS_FILE,
    TRANSACTIONAL_FILE,
    TRANSACTIONAL_SHEET,
    TRUTH_FILE,
    generate_sample,
)

REPO_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
NPS = "Likelihood to recommend (0-10)"
COMMENT = "What one thing could we do to make you happier?"
ATTRIBUTES = [
    "Responsiveness",
    "Service quality",
    "Accessibility",
    "Engagement",
    "Personalisation",
    "Troubleshooting",
]
QUARTERS = ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]


def nps(scores) -> float:
    scores = np.asarray(scores, dtype=float)
    return 100.0 * (np.mean(scores >= 9) - np.mean(scores <= 6))


def nps_se(scores) -> float:
    scores = np.asarray(scores, dtype=float)
    x = (scores >= 9).astype(float) - (scores <= 6).astype(float)
    return 100.0 * x.std(ddof=1) / np.sqrt(len(x))


# --------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    counts = generate_sample(out)
    return out, counts


@pytest.fixture(scope="module")
def out_dir(generated) -> Path:
    return generated[0]


@pytest.fixture(scope="module")
def truth(out_dir) -> dict:
    return yaml.safe_load((out_dir / TRUTH_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rel_raw(out_dir) -> pd.DataFrame:
    """The relational file exactly as text, blanks as empty strings."""
    return pd.read_csv(out_dir / RELATIONAL_FILE, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def trx_raw(out_dir) -> pd.DataFrame:
    return pd.read_excel(out_dir / TRANSACTIONAL_FILE, sheet_name=TRANSACTIONAL_SHEET)


@pytest.fixture(scope="module")
def customers(out_dir) -> pd.DataFrame:
    return pd.read_csv(out_dir / CUSTOMERS_FILE, encoding="utf-8", keep_default_na=False)


@pytest.fixture(scope="module")
def tickets(out_dir) -> pd.DataFrame:
    return pd.read_csv(out_dir / TICKETS_FILE, encoding="utf-8", keep_default_na=False)


def _bad_rows(truth: dict, file: str) -> list[dict]:
    return [b for b in truth["bad_rows"] if b["file"] == file]


@pytest.fixture(scope="module")
def rel(rel_raw, truth) -> pd.DataFrame:
    """Valid relational rows with parsed types."""
    bad = {b["data_row"] - 1 for b in _bad_rows(truth, RELATIONAL_FILE)}
    df = rel_raw.drop(index=sorted(bad)).copy()
    df["submitted"] = pd.to_datetime(df["Submitted"], format="%d.%m.%Y %H:%M")
    df["quarter"] = df["submitted"].dt.to_period("Q").astype(str)
    df["score"] = df[NPS].astype(int)
    for a in ATTRIBUTES:
        df[a] = pd.to_numeric(df[a].replace("", np.nan))
    return df


@pytest.fixture(scope="module")
def trx(trx_raw, truth) -> pd.DataFrame:
    bad = {b["data_row"] - 1 for b in _bad_rows(truth, TRANSACTIONAL_FILE)}
    df = trx_raw.drop(index=sorted(bad)).copy()
    df["quarter"] = df["Timestamp"].dt.to_period("Q").astype(str)
    return df


# --------------------------------------------------------------------------
# files, formats, determinism
# --------------------------------------------------------------------------


def test_truth_is_plain_yaml_with_expected_sections(truth):
    for key in [
        "seed",
        "files",
        "drivers",
        "touchpoint_drop",
        "regional_difference",
        "no_difference",
        "intervention",
        "themes",
        "privacy_plants",
        "bad_rows",
        "churn",
    ]:
        assert key in truth, key
    assert truth["seed"] == 2025
    assert truth["client"] == {"name": "Nordlys Retail", "slug": "nordlys"}


def test_row_counts(generated, truth, rel_raw, trx_raw, customers, tickets):
    _, counts = generated
    assert set(counts) == set(DATA_FILES)
    actual = {
        RELATIONAL_FILE: len(rel_raw),
        TRANSACTIONAL_FILE: len(trx_raw),
        CUSTOMERS_FILE: len(customers),
        TICKETS_FILE: len(tickets),
    }
    assert counts == actual
    for file, n in counts.items():
        info = truth["files"][file]
        assert info["rows"] == n
        assert info["expected_valid"] + info["expected_quarantined"] == n
        assert info["expected_quarantined"] == len(_bad_rows(truth, file))
    assert 2300 <= counts[RELATIONAL_FILE] <= 2500
    assert 3400 <= counts[TRANSACTIONAL_FILE] <= 3800
    assert 2800 <= counts[CUSTOMERS_FILE] <= 3200
    assert 2300 <= counts[TICKETS_FILE] <= 2700


def test_same_seed_same_files(out_dir, tmp_path):
    generate_sample(tmp_path)
    for name in (RELATIONAL_FILE, CUSTOMERS_FILE, TICKETS_FILE, TRUTH_FILE):
        assert (out_dir / name).read_bytes() == (tmp_path / name).read_bytes(), name
    if (out_dir / TRANSACTIONAL_FILE).read_bytes() != (tmp_path / TRANSACTIONAL_FILE).read_bytes():
        # Bytes may differ between library versions; the cell values may not.
        first = load_workbook(out_dir / TRANSACTIONAL_FILE, read_only=True)[TRANSACTIONAL_SHEET]
        second = load_workbook(tmp_path / TRANSACTIONAL_FILE, read_only=True)[TRANSACTIONAL_SHEET]
        assert list(first.values) == list(second.values)


def test_columns(truth, rel_raw, trx_raw, customers, tickets):
    assert list(rel_raw.columns) == [
        "Respondent ID",
        "Submitted",
        "Customer ID",
        "Region",
        "Customer type",
        "Survey channel",
        NPS,
        *ATTRIBUTES,
        COMMENT,
        "Language",
        "Would buy again",
    ]
    assert list(trx_raw.columns) == [
        "ResponseID",
        "Timestamp",
        "Survey",
        "Touchpoint",
        "Channel",
        "Region",
        "Customer type",
        "Customer ID",
        "CSAT",
        "CES",
        "Comment",
        "Language",
        "Team",
        "Agent",
    ]
    assert list(customers.columns) == [
        "customer_id",
        "region",
        "customer_type",
        "annual_revenue",
        "churned_next_period",
        "period",
    ]
    assert list(tickets.columns) == [
        "ticket_id",
        "opened_at",
        "first_response_hours",
        "region",
        "channel",
        "touchpoint",
        "is_complaint",
    ]
    assert truth["files"][RELATIONAL_FILE]["columns"] == list(rel_raw.columns)
    assert truth["files"][TRANSACTIONAL_FILE]["columns"] == list(trx_raw.columns)


def test_relational_is_a_nordic_excel_export(out_dir, rel_raw):
    raw = (out_dir / RELATIONAL_FILE).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw[3:].split(b"\r\n", 1)[0].decode("utf-8")
    assert header.split(";")[:3] == ["Respondent ID", "Submitted", "Customer ID"]
    assert "," not in header.replace("(0-10)", "")
    text = raw.decode("utf-8-sig")
    for letter in "æøåäöØ":
        assert letter in text, letter
    # Round trip: Nordic letters come back unchanged.
    assert set(rel_raw["Region"]) == {"Nord", "Vest", "Øst", "Sør"}
    comments = " ".join(rel_raw[COMMENT])
    for letter in "æøåäö":
        assert letter in comments, letter
    dates = rel_raw["Submitted"]
    assert dates.str.fullmatch(r"\d{2}\.\d{2}\.2025 \d{2}:\d{2}").sum() >= len(dates) - 2


def test_relational_values(rel_raw, rel, customers):
    assert set(rel_raw["Customer type"]) == {"New", "Returning"}
    assert set(rel_raw["Survey channel"]) == {"E-mail", "SMS", "Phone interview"}
    assert set(rel_raw["Would buy again"]) == {"Yes", "No"}
    assert set(rel_raw["Language"]) == {"en", "nb", "da", "sv", ""}
    assert 0.15 <= (rel_raw["Language"] == "").mean() <= 0.25
    assert 0.38 <= (rel_raw[COMMENT] == "").mean() <= 0.52
    assert rel_raw["Respondent ID"].str.fullmatch(r"R-\d{6}").all()
    assert set(rel_raw["Customer ID"]) <= set(customers["customer_id"])
    assert rel["score"].between(0, 10).all()
    for a in ATTRIBUTES:
        answered = rel[a].dropna()
        assert set(answered.unique()) <= {1, 2, 3, 4, 5}
        assert 0.01 <= rel[a].isna().mean() <= 0.06
    counts = rel["quarter"].value_counts()
    assert set(counts.index) == set(QUARTERS)
    assert counts.between(560, 640).all()
    hours = rel["submitted"].dt.hour
    assert hours.between(9, 21).mean() > 0.7


def test_transactional_values(out_dir, trx_raw, trx, customers):
    ws = load_workbook(out_dir / TRANSACTIONAL_FILE, read_only=True)[TRANSACTIONAL_SHEET]
    header, *rows = ws.iter_rows(min_row=1, max_row=4, min_col=2, max_col=2)
    assert header[0].value == "Timestamp"
    assert all(row[0].is_date for row in rows)
    assert trx_raw["ResponseID"].is_unique
    assert trx_raw["ResponseID"].min() == 500001
    purchase = trx["Survey"] == "after_purchase"
    assert set(trx.loc[purchase, "Touchpoint"]) == {"Website", "Store", "Checkout", "Delivery", "Follow-up e-mail"}
    assert set(trx.loc[~purchase, "Touchpoint"]) == {"Support centre", "Returns", "Social media"}
    assert set(trx["Channel"]) == {"Web", "Store", "Phone", "E-mail", "Social media", "Chat"}
    assert trx.loc[purchase, "CES"].isna().all()
    assert trx.loc[~purchase, "CES"].between(1, 7).all()
    assert trx["CSAT"].between(1, 5).all()
    assert 0.33 <= trx_raw["Comment"].isna().mean() <= 0.47
    assert set(trx_raw["Language"].dropna()) == {"en", "nb", "da", "sv"}
    assert set(trx_raw["Customer ID"]) <= set(customers["customer_id"])
    assert trx_raw["Timestamp"].dt.year.eq(2025).all()
    # Consistent channels: store visits happen in stores, web sessions on the web.
    assert (trx.loc[trx["Touchpoint"] == "Website", "Channel"] == "Web").all()
    assert (trx.loc[trx["Touchpoint"] == "Social media", "Channel"] == "Social media").all()


def test_customers_and_tickets(customers, tickets):
    assert customers["customer_id"].is_unique
    assert customers["customer_id"].str.fullmatch(r"C-\d{5}").all()
    assert set(customers["region"]) == {"Nord", "Vest", "Øst", "Sør"}
    assert set(customers["churned_next_period"]) == {0, 1}
    assert (customers["period"] == "2025Q4").all()
    assert 4000 <= customers["annual_revenue"].median() <= 5600
    assert customers["annual_revenue"].mean() > customers["annual_revenue"].median()  # right skew

    assert tickets["ticket_id"].is_unique
    opened = pd.to_datetime(tickets["opened_at"], format="ISO8601")
    assert opened.dt.year.eq(2025).all()
    hours = tickets["first_response_hours"]
    assert (hours > 0).all()
    assert 4.5 <= hours.median() <= 7.5
    assert hours.mean() > hours.median()
    assert set(tickets["channel"]) == {"Phone", "E-mail", "Chat", "Social media"}
    assert set(tickets["touchpoint"]) == {"Support centre", "Returns", "Social media"}
    assert set(tickets["is_complaint"]) == {0, 1}


# --------------------------------------------------------------------------
# bad rows and plants
# --------------------------------------------------------------------------


def _find_bad_rows(rel_raw: pd.DataFrame, trx_raw: pd.DataFrame) -> set[tuple]:
    """An independent minimal validator: (file, data row, reason) for each problem."""
    found = set()
    dup = rel_raw["Respondent ID"].duplicated(keep="first")
    found |= {(RELATIONAL_FILE, i + 1, "duplicate_id") for i in np.flatnonzero(dup)}
    score = pd.to_numeric(rel_raw[NPS], errors="coerce")
    found |= {(RELATIONAL_FILE, i + 1, "score_out_of_range") for i in np.flatnonzero(~score.between(0, 10))}
    empty = rel_raw["Submitted"] == ""
    found |= {(RELATIONAL_FILE, i + 1, "missing_required") for i in np.flatnonzero(empty)}
    parsed = pd.to_datetime(rel_raw["Submitted"], format="%d.%m.%Y %H:%M", errors="coerce")
    found |= {(RELATIONAL_FILE, i + 1, "unparseable_date") for i in np.flatnonzero(parsed.isna() & ~empty)}

    csat, ces = trx_raw["CSAT"], trx_raw["CES"]
    out = (csat.notna() & ~csat.between(1, 5)) | (ces.notna() & ~ces.between(1, 7))
    found |= {(TRANSACTIONAL_FILE, i + 1, "score_out_of_range") for i in np.flatnonzero(out)}
    nothing = csat.isna() & ces.isna() & trx_raw["Comment"].isna()
    found |= {(TRANSACTIONAL_FILE, i + 1, "no_answers") for i in np.flatnonzero(nothing)}
    return found


def test_bad_rows_present_as_recorded(truth, rel_raw, trx_raw):
    recorded = {(b["file"], b["data_row"], b["reason"]) for b in truth["bad_rows"]}
    assert {b["reason"] for b in truth["bad_rows"]} == {
        "duplicate_id",
        "score_out_of_range",
        "unparseable_date",
        "missing_required",
        "no_answers",
    }
    assert _find_bad_rows(rel_raw, trx_raw) == recorded
    for b in truth["bad_rows"]:
        frame, id_col = (rel_raw, "Respondent ID") if b["file"] == RELATIONAL_FILE else (trx_raw, "ResponseID")
        assert frame[id_col].iloc[b["data_row"] - 1] == b["id"]

    rel_bad = {b["reason"]: b for b in _bad_rows(truth, RELATIONAL_FILE) if b["reason"] != "score_out_of_range"}
    assert rel_raw["Submitted"].iloc[rel_bad["unparseable_date"]["data_row"] - 1] == "31.02.2025 10:00"
    dup = rel_bad["duplicate_id"]
    assert (rel_raw["Respondent ID"] == dup["id"]).sum() == 2
    scores = {
        rel_raw[NPS].iloc[b["data_row"] - 1]
        for b in _bad_rows(truth, RELATIONAL_FILE)
        if b["reason"] == "score_out_of_range"
    }
    assert scores == {"11", "-1"}
    trx_values = {
        (b["column"], trx_raw[b["column"]].iloc[b["data_row"] - 1])
        for b in _bad_rows(truth, TRANSACTIONAL_FILE)
        if b["reason"] == "score_out_of_range"
    }
    assert trx_values == {("CSAT", 6), ("CES", 9)}


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"\+?\d[\d -]{6,}\d")


def test_privacy_and_script_plants(truth, rel_raw, trx_raw):
    plants = truth["privacy_plants"]
    assert len(plants["pii"]) == 4
    assert len(plants["script"]) == 1
    kinds = sorted(p["kind"] for p in plants["pii"])
    assert kinds == ["email", "email", "phone", "phone"]
    values = {p["value"] for p in plants["pii"]}
    assert {"kari.nordmann@example.no", "+47 912 34 567", "070-123 45 67"} <= values

    rel_comments = pd.Series(rel_raw[COMMENT].to_numpy(), index=rel_raw["Respondent ID"])
    trx_comments = pd.Series(trx_raw["Comment"].fillna("").to_numpy(), index=trx_raw["ResponseID"])
    found = set()
    for file, comments in ((RELATIONAL_FILE, rel_comments), (TRANSACTIONAL_FILE, trx_comments)):
        for row_id, text in comments.items():
            if EMAIL.search(text) or PHONE.search(text):
                found.add((file, row_id, "pii"))
            if "<" in text or ">" in text:
                found.add((file, row_id, "script"))
    expected = {(p["file"], p["id"], "pii") for p in plants["pii"]}
    expected |= {(p["file"], p["id"], "script") for p in plants["script"]}
    assert found == expected
    for p in plants["pii"] + plants["script"]:
        comments = rel_comments if p["file"] == RELATIONAL_FILE else trx_comments
        assert p["value"] in comments[p["id"]]
    assert "<script>alert('cx')</script>" in trx_comments[plants["script"][0]["id"]]


# --------------------------------------------------------------------------
# planted truths
# --------------------------------------------------------------------------


def test_delivery_drop_in_q3_only(truth, trx):
    drop = truth["touchpoint_drop"]
    delivery = trx[trx["Touchpoint"] == drop["touchpoint"]]
    t2b = delivery.groupby("quarter")["CSAT"].apply(lambda s: (s >= 4).mean())
    assert drop["quarter"] == "2025Q3"
    assert drop["generating_top2box"] == {"2025Q1": 0.8, "2025Q2": 0.8, "2025Q3": 0.55, "2025Q4": 0.8}
    others = t2b.drop("2025Q3")
    assert t2b["2025Q3"] < others.min() - 0.12
    for q in QUARTERS:
        assert abs(t2b[q] - drop["generating_top2box"][q]) < 0.1
        assert round(t2b[q], 3) == drop["realised_top2box"][q]
    # No other touchpoint moves like that.
    for tp, cell in trx.groupby("Touchpoint"):
        if tp in (drop["touchpoint"], "Support centre"):
            continue
        q_t2b = cell.groupby("quarter")["CSAT"].apply(lambda s: (s >= 4).mean())
        assert q_t2b.max() - q_t2b.min() < 0.2, tp


def test_nord_nps_below_other_regions(truth, rel):
    planted = truth["regional_difference"]
    assert planted["region"] == "Nord"
    true = planted["true"]
    assert true["Vest"]["nps"] - true["Nord"]["nps"] == pytest.approx(planted["gap_nps_points"], abs=0.05)
    nord = rel.loc[rel["Region"] == "Nord", "score"]
    other = rel.loc[rel["Region"] != "Nord", "score"]
    gap = nps(other) - nps(nord)
    assert planted["gap_nps_points"] - 8 < gap < planted["gap_nps_points"] + 8
    assert nps(nord) == pytest.approx(planted["realised_nps"]["Nord"], abs=0.01)
    # Nord is the lowest region overall and below the rest in every quarter.
    by_region = rel.groupby("Region")["score"].apply(nps)
    assert by_region.idxmin() == "Nord"
    for q, cell in rel.groupby("quarter"):
        assert nps(cell.loc[cell["Region"] == "Nord", "score"]) < nps(cell.loc[cell["Region"] != "Nord", "score"]), q


@pytest.mark.parametrize(
    ("column", "a", "b"),
    [("Customer type", "New", "Returning"), ("Survey channel", "E-mail", "SMS")],
)
def test_segments_without_true_difference(truth, rel, column, a, b):
    key = "customer_type" if column == "Customer type" else "survey_channel"
    assert truth["no_difference"][key]["true_difference"] == 0
    x = rel.loc[rel[column] == a, "score"]
    y = rel.loc[rel[column] == b, "score"]
    se = np.hypot(nps_se(x), nps_se(y))
    assert abs(nps(x) - nps(y)) < 2.5 * se


def test_vest_support_centre_intervention(truth, trx):
    planted = truth["intervention"]
    assert planted["region"] == "Vest" and planted["touchpoint"] == "Support centre"
    assert planted["start_date"] == "2025-07-01"
    assert planted["ces_mean"]["after"] - planted["ces_mean"]["before"] == pytest.approx(0.8, abs=1e-3)
    assert planted["csat_top2box"]["effect_percentage_points"] == pytest.approx(12)
    sc = trx[trx["Touchpoint"] == planted["touchpoint"]]
    post = sc["Timestamp"] >= pd.Timestamp(planted["start_date"])
    change = sc.groupby([sc["Region"], post])["CES"].mean().unstack()
    ces_change = change[True] - change[False]
    t2b = sc.assign(top=sc["CSAT"] >= 4).groupby([sc["Region"], post])["top"].mean().unstack()
    t2b_change = t2b[True] - t2b[False]
    assert ces_change["Vest"] > 0.5
    assert t2b_change["Vest"] > 0.05
    for region in ("Nord", "Øst", "Sør"):
        assert abs(ces_change[region]) < 0.45, region
        assert ces_change["Vest"] - ces_change[region] > 0.5, region
    # The other support touchpoints in Vest do not move beyond sampling noise.
    for touchpoint in ("Returns", "Social media"):
        cell = trx[(trx["Region"] == "Vest") & (trx["Touchpoint"] == touchpoint)]
        after = cell["Timestamp"] >= pd.Timestamp(planted["start_date"])
        a, b = cell.loc[after, "CES"], cell.loc[~after, "CES"]
        se = np.hypot(a.std() / np.sqrt(len(a)), b.std() / np.sqrt(len(b)))
        assert abs(a.mean() - b.mean()) < 3 * se, touchpoint


def test_after_support_csat_follows_ces(trx):
    support = trx[trx["Survey"] == "after_support"]
    assert support["CSAT"].corr(support["CES"], method="spearman") > 0.5


def test_driver_ranking(truth, rel):
    drivers = truth["drivers"]
    assert drivers["expected_ranking"][:2] == ["Troubleshooting", "Responsiveness"]
    assert set(drivers["expected_ranking"][-2:]) == {"Engagement", "Personalisation"}
    complete = rel.dropna(subset=ATTRIBUTES)
    x = np.column_stack([np.ones(len(complete)), complete[ATTRIBUTES].to_numpy(float)])
    coef = np.linalg.lstsq(x, complete["score"].to_numpy(float), rcond=None)[0][1:]
    ranking = [ATTRIBUTES[i] for i in np.argsort(-coef)]
    assert set(ranking[:2]) == {"Troubleshooting", "Responsiveness"}
    assert set(ranking[-2:]) == {"Engagement", "Personalisation"}
    # Ratings are correlated through the shared satisfaction factor.
    corr = complete[ATTRIBUTES].corr().to_numpy()
    assert corr[np.triu_indices(6, 1)].min() > 0.1


def _johnson_shares(frame: pd.DataFrame) -> pd.Series:
    """Johnson's relative weights of the six ratings on the score, percent of R-squared."""
    corr = np.corrcoef(frame[["score", *ATTRIBUTES]].to_numpy(float), rowvar=False)
    values, vectors = np.linalg.eigh(corr[1:, 1:])
    lam = vectors @ np.diag(np.sqrt(values)) @ vectors.T
    weights = (lam**2) @ np.linalg.solve(lam, corr[1:, 0]) ** 2
    return pd.Series(100 * weights / weights.sum(), index=ATTRIBUTES)


def test_attribute_performance_levels(truth, rel):
    drivers = truth["drivers"]
    generating = drivers["performance"]["generating_top2box"]
    assert generating == {
        "Accessibility": 0.70,
        "Service quality": 0.65,
        "Engagement": 0.60,
        "Responsiveness": 0.50,
        "Troubleshooting": 0.45,
        "Personalisation": 0.40,
    }
    # The latent means make the top-two-box shares exact.
    for a in ATTRIBUTES:
        probs = drivers["rating_latent"]["rating_probabilities"][a]
        assert sum(probs.values()) == pytest.approx(1, abs=5e-4)
        assert probs[4] + probs[5] == pytest.approx(generating[a], abs=2e-4), a
    # Realised performance in the file: close to the generating share, same order.
    answered = rel[ATTRIBUTES].notna().sum()
    realised = (rel[ATTRIBUTES] >= 4).sum() / answered
    for a in ATTRIBUTES:
        assert abs(realised[a] - generating[a]) < 0.04, a
        assert round(realised[a], 3) == drivers["performance"]["realised_top2box"][a], a
        assert answered[a] == drivers["performance"]["realised_n"][a], a
    assert list(realised.sort_values(ascending=False).index) == list(generating)
    assert realised.max() - realised.min() > 0.2
    # Importance (relative weights) keeps the driver ranking, so the quadrants are clear:
    # the two strongest drivers are the two weakest performers after Personalisation.
    shares = _johnson_shares(rel.dropna(subset=ATTRIBUTES))
    assert set(shares.nlargest(2).index) == {"Troubleshooting", "Responsiveness"}
    assert set(shares.nsmallest(2).index) == {"Engagement", "Personalisation"}
    true_share = drivers["importance"]["true_share"]
    assert list(true_share) == drivers["expected_ranking"]
    for a in ATTRIBUTES:
        assert shares[a] == pytest.approx(drivers["importance"]["realised_share"][a], abs=0.01), a
        assert abs(shares[a] - true_share[a]) < 3, a
    important = shares >= shares.mean()
    strong = realised >= realised.mean()
    quadrant = pd.Series(
        np.select(
            [important & ~strong, important & strong, ~important & strong],
            ["fix first", "keep up", "maintain"],
            default="lower priority",
        ),
        index=ATTRIBUTES,
    )
    assert quadrant.to_dict() == drivers["quadrants"]["expected"]
    assert drivers["quadrants"]["expected"]["Troubleshooting"] == "fix first"
    assert drivers["quadrants"]["expected"]["Responsiveness"] == "fix first"
    assert drivers["quadrants"]["expected"]["Personalisation"] == "lower priority"


THEME_WORDS = {
    "complaint": [
        "deliver",
        "late",
        "waited",
        "queue",
        "expensive",
        "levering",
        "for sent",
        "forsink",
        "ventet",
        "ventede",
        "väntade",
        "kø",
        "kö",
        "dyr",
        "høye",
        "höga",
        "høje",
        "leverans",
    ],
    "praise": [
        "friendly",
        "kind",
        "competent",
        "knew the products",
        "hyggelig",
        "vennlig",
        "venlig",
        "sød",
        "trevlig",
        "vänlig",
        "kompetent",
        "kunne produktene",
        "kendte produkterne",
        "kunde produkterna",
    ],
}


def _share_with(comments: pd.Series, words: list[str]) -> float:
    pattern = "|".join(re.escape(w) for w in words)
    return comments.str.lower().str.contains(pattern, regex=True).mean()


def test_comment_themes_follow_scores(truth, rel):
    assert truth["themes"]["tendency"]["negative"] == ["delivery", "response_time", "price"]
    commented = rel[rel[COMMENT] != ""]
    detractors = commented.loc[commented["score"] <= 6, COMMENT]
    promoters = commented.loc[commented["score"] >= 9, COMMENT]
    assert _share_with(detractors, THEME_WORDS["complaint"]) > _share_with(promoters, THEME_WORDS["complaint"]) + 0.25
    assert _share_with(promoters, THEME_WORDS["praise"]) > _share_with(detractors, THEME_WORDS["praise"]) + 0.25
    mentions = truth["themes"]["realised_mentions"][RELATIONAL_FILE]
    assert set(list(mentions["negative"])[:3]) == {"delivery", "response_time", "price"}
    assert set(list(mentions["positive"])[:2]) == {"staff_friendliness", "competence"}


def test_comments_in_four_languages(rel_raw):
    commented = rel_raw[(rel_raw[COMMENT] != "") & (rel_raw["Language"] != "")]
    markers = {
        "en": " the ",
        "nb": "jeg|ikke|nettsiden|leveringen|ansatte|priser|appen|pakken|svar|retur|bestilling",
        "da": "jeg|ikke|hjemmesiden|leveringen|personale|priser|appen|pakken|svar|retur|ordren",
        "sv": "jag|inte|webbplatsen|leveransen|personal|priser|appen|paketet|svar|retur|beställning",
    }
    for lang in ("nb", "da", "sv"):
        texts = commented.loc[commented["Language"] == lang, COMMENT].str.lower()
        assert len(texts) > 30
        assert texts.str.contains(markers[lang]).mean() > 0.5, lang
    assert commented.loc[commented["Language"] == "sv", COMMENT].str.contains("ä|ö").mean() > 0.3


def test_churn_higher_for_dissatisfied(truth, rel, trx, customers):
    planted = truth["churn"]
    assert planted["probability"] == {"dissatisfied": 0.30, "other": 0.08}
    unhappy = set(rel.loc[rel["score"] <= 6, "Customer ID"]) | set(trx.loc[trx["CSAT"] <= 3, "Customer ID"])
    flag = customers["customer_id"].isin(unhappy)
    rate_unhappy = customers.loc[flag, "churned_next_period"].mean()
    rate_other = customers.loc[~flag, "churned_next_period"].mean()
    assert flag.sum() == planted["realised"]["dissatisfied_customers"]
    assert rate_unhappy > rate_other + 0.12
    assert abs(rate_unhappy - 0.30) < 0.05
    assert abs(rate_other - 0.08) < 0.04


# --------------------------------------------------------------------------
# the committed sample in data/sample
# --------------------------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.skipif(not (REPO_SAMPLE / TRUTH_FILE).exists(), reason="no committed sample")
def test_committed_sample_matches_generator(out_dir):
    for name in (*DATA_FILES, TRUTH_FILE):
        assert _digest(REPO_SAMPLE / name) == _digest(out_dir / name), (
            f"data/sample/{name} is out of date; regenerate it with generate_sample"
        )
    total = sum((REPO_SAMPLE / name).stat().st_size for name in (*DATA_FILES, TRUTH_FILE))
    assert total < 2_000_000


@pytest.mark.skipif(not (REPO_SAMPLE / "README.md").exists(), reason="no committed sample")
def test_readme_documents_the_plants(truth):
    readme = (REPO_SAMPLE / "README.md").read_text(encoding="utf-8")
    assert "2025" in readme and "cxanalysis sample" in readme
    for b in truth["bad_rows"]:
        assert str(b["id"]) in readme, b
    for p in truth["privacy_plants"]["pii"] + truth["privacy_plants"]["script"]:
        assert str(p["id"]) in readme, p
