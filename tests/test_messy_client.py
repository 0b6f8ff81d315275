"""A normal client with untidy data builds a correct book: partial data never breaks it or makes news.

The client has two years of quarterly answers and an export taken ten days
into a new quarter; a region column with blanks; a negative comment theme
(price) that nobody mentions in the last complete quarter; and, by month,
a time axis of 25 periods.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import visible_text, write_client
from cxanalysis import charts, load_config, presentation, themes, words
from cxanalysis.client import ClientData
from cxanalysis.inspection import config_text, inspect_file, proposed_config
from cxanalysis.translation import _
from test_inspect_books import inspect_and_build

#: Several sentences per kind, so the comment column reads as free text though its texts repeat. Norwegian
#: comments carry known themes (price; staff friendliness, as praise); Portuguese ones are in a language the
#: taxonomy has no terms in, so they are counted as not coded.
COMMENTS = {
    "price": [
        "Altfor dyrt, prisene er høye",
        "Prisen var for høy for det du får",
        "Synes prisene har gått mye opp det siste året",
        "Dyrt i forhold til andre butikker i nærheten",
        "Høy pris på de fleste varene, dessverre",
    ],
    "praise": [
        "Veldig hyggelig ekspeditør i butikken",
        "Hyggelig og hjelpsom betjening, kommer gjerne igjen",
        "Vennlig og imøtekommende folk i kassa hver gang",
        "Ekspeditøren var svært høflig og tok seg god tid",
        "De ansatte er alltid blide og hyggelige",
    ],
    "plain": [
        "Alt gikk som forventet denne gangen",
        "Ingenting spesielt å melde fra meg",
        "Fant det jeg lette etter uten problemer",
        "Et helt vanlig besøk, ikke noe å utsette",
    ],
    "portuguese": [
        "O atendimento foi muito bom e a loja estava limpa e organizada",
        "Os preços estão muito altos para o que a loja oferece",
        "Gostei muito da experiência e voltarei com certeza",
        "Não encontrei o que procurava, mas os funcionários foram simpáticos",
    ],
}
PORTUGUESE_SHARE = 0.1  # of the comments


def messy_survey(seed: int = 8) -> pd.DataFrame:
    """Two years of answers, 2024Q1 to 2025Q4, then ten days of 2026Q1."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2024-01-01", "2025-12-31 23:00", freq="5h")
    dates = dates.append(pd.date_range("2026-01-01", "2026-01-10", freq="19h"))
    n = len(dates)
    nps = rng.choice(11, n, p=np.r_[np.full(7, 0.05), 0.1, 0.15, 0.2, 0.2])
    kind = np.where(nps <= 6, "price", np.where(nps >= 9, "praise", "plain"))
    kind = np.where((dates >= "2025-10-01") & (kind == "price"), "plain", kind)  # nobody mentions price lately
    kind = np.where(rng.random(n) < PORTUGUESE_SHARE, "portuguese", kind)
    pick = rng.integers(0, 1000, n)
    answered = rng.random(n) < 0.6
    comments = [COMMENTS[k][p % len(COMMENTS[k])] if a else "" for k, p, a in zip(kind, pick, answered, strict=True)]
    region = rng.choice(["Nord", "Sør", "Øst", "Vest", ""], n, p=[0.25, 0.25, 0.2, 0.2, 0.1])
    return pd.DataFrame(
        {
            "Respons-ID": [f"R{i:05d}" for i in range(n)],
            "Dato": dates.strftime("%d.%m.%Y %H:%M"),
            "Region": region,
            "Anbefale (0-10)": nps,
            "Kommentar": comments,
        }
    )


def messy_client(folder, period: str = "quarter"):
    messy_survey().to_csv(folder / "svar.csv", sep=";", index=False, encoding="utf-8")
    return write_client(
        folder,
        [
            {
                "name": "survey",
                "path": "svar.csv",
                "dayfirst": True,
                "columns": {
                    "response_id": "Respons-ID",
                    "submitted_at": "Dato",
                    "region": "Region",
                    "nps": "Anbefale (0-10)",
                    "comment": "Kommentar",
                },
            }
        ],
        segments=["region"],
        report={"title": "Kundeopplevelse", "period": period},
        output_dir=str(folder / "out"),
    )


def test_a_thin_latest_quarter_is_left_out_and_said(tmp_path):
    client = ClientData(load_config(messy_client(tmp_path)))
    assert client.partial is not None and client.partial.period == "2026Q1"
    assert client.latest_period == "2025Q4" and "2026Q1" not in client.periods
    thin = (pd.to_datetime(messy_survey()["Dato"], dayfirst=True) >= "2026-01-01").sum()
    assert client.partial.responses == thin
    assert len(client.responses) == len(client.response_table.valid) - thin


def test_reporting_the_thin_quarter_is_a_choice(tmp_path):
    path = messy_client(tmp_path)
    text = path.read_text(encoding="utf-8").replace("period: quarter", "period: quarter\n  partial_period: report")
    path.write_text(text, encoding="utf-8")
    client = ClientData(load_config(path))
    assert client.latest_period == "2026Q1" and client.partial.period == "2026Q1"


def proposed(folder):
    """svar.csv written into ``folder`` and inspect's proposal for it, as inspect writes it."""
    messy_survey().to_csv(folder / "svar.csv", sep=";", index=False, encoding="utf-8")
    inspection = inspect_file(folder / "svar.csv")
    return inspection, proposed_config(inspection, config_dir=folder, client_name="Fjord Handel")


def test_inspect_proposes_the_roles_a_consultant_would_choose(tmp_path):
    inspection, config = proposed(tmp_path)
    assert config["sources"][0]["columns"] == {
        "response_id": "Respons-ID",
        "submitted_at": "Dato",
        "region": "Region",
        "nps": "Anbefale (0-10)",
        "comment": "Kommentar",
    }
    assert config["segments"] == ["region"] and config["scales"] == {"nps": [0, 10]}
    comment = {c.role: c for c in inspection.choices}["free text (comment)"]
    assert comment.column == "Kommentar" and "sentences under a comment header" in comment.reason
    assert "kommentar" not in config["segments"]


def test_the_proposal_reads_the_dates_day_first_and_leaves_the_thin_quarter_out(tmp_path):
    inspection, config = proposed(tmp_path)
    path = tmp_path / "client.yml"
    path.write_text(config_text(inspection, config), encoding="utf-8")
    client = ClientData(load_config(path))
    survey = messy_survey()
    dates = pd.to_datetime(survey["Dato"], format="%d.%m.%Y %H:%M")
    valid = client.response_table.valid
    assert len(valid) == len(survey)
    got = pd.to_datetime(valid.set_index("response_id")["submitted_at"]).dt.tz_localize(None)
    assert (got.reindex(survey["Respons-ID"]).to_numpy() == dates.to_numpy()).all()  # 01.02 is the 1st of February
    assert client.partial is not None and client.partial.period == "2026Q1" and client.latest_period == "2025Q4"


def test_portuguese_comments_are_not_coded_and_norwegian_ones_carry_their_themes(tmp_path):
    client = ClientData(load_config(messy_client(tmp_path)))
    survey = messy_survey()
    reported = pd.to_datetime(survey["Dato"], dayfirst=True) < "2026-01-01"
    portuguese = int(survey.loc[reported, "Kommentar"].isin(COMMENTS["portuguese"]).sum())
    assert themes.not_coded(client.comment_coding).to_dict() == {"pt": portuguese}
    coded = client.coded_comments
    period = client.responses.loc[coded.index, "period"].astype(str)
    price = coded["price"].groupby(period).sum()
    assert price["2025Q4"] == 0 and (price.drop("2025Q4") > 0).all()  # nobody mentions price in the latest quarter
    praise = client.responses.loc[coded.index, "comment"].isin(COMMENTS["praise"])
    assert coded.loc[praise, "staff_friendliness"].all()


def test_a_comment_theme_absent_in_the_latest_period_reads_as_none(tmp_path):
    client = ClientData(load_config(messy_client(tmp_path)))
    table = themes.theme_share_table(client.responses, client.coded_comments, client.taxonomy, "period")
    price = table.set_index(table.columns[0]).loc["Price"]
    assert price["2025Q4"] == 0 and price.notna().all()


@pytest.mark.slow
def test_the_messy_client_builds_a_book_without_nan(tmp_path):
    """inspect's proposal, unedited, builds a book in the comments' language (Norwegian): no nan, the thin
    quarter said, themes coded by language."""
    survey = messy_survey()
    survey.to_csv(tmp_path / "svar.csv", sep=";", index=False, encoding="utf-8")
    build = inspect_and_build(tmp_path / "svar.csv", tmp_path / "client", client="Fjord Handel")
    html = {p.name: p.read_text(encoding="utf-8") for p in (build / "html").glob("[bn]o*/*.html")}  # book/, notebooks/
    assert html and all('<html lang="nb-NO"' in page for page in html.values())
    pages = {name: visible_text(page) for name, page in html.items()}
    summary, free_text = pages["00_executive_summary.html"], pages["04_free_text.html"]
    reported = pd.to_datetime(survey["Dato"], dayfirst=True) < "2026-01-01"
    portuguese = int(survey.loc[reported, "Kommentar"].isin(COMMENTS["portuguese"]).sum())
    taxonomy = themes.load_taxonomy()
    presentation.set_language("nb")
    try:
        latest = _("The latest period is **{period}**.").format(period="2025Q4").replace("**", "").rstrip(".")
        incomplete = _("{period} is incomplete: {responses} up to {date}, against about {usual} in a full period.")
        not_mentioned = _("{theme} ({difference}; not mentioned in {period})").split("{difference}")[1]
        price, staff = taxonomy["price"].shown_label(), taxonomy["staff_friendliness"].shown_label()
        not_coded = f"portugisisk {portuguese}"  # a language's name in a Norwegian sentence is in lower case
    finally:
        presentation.set_language("en")
    assert latest in summary and incomplete.split("{responses}")[0].format(period="2026Q1") in summary
    if f"{price} (" in summary:  # a complaint of earlier periods says it is not mentioned in the latest
        assert not_mentioned.format(period="2025Q4") in summary.split(f"{price} (")[1][:60]
    assert not_coded in free_text and price in free_text and staff in free_text
    frequency = pd.read_csv(build / "results" / "theme_frequency.csv")
    price_mentions = frequency[frequency["theme"] == "price"].groupby("period")["mentions"].sum()
    assert price_mentions.get("2025Q4", 0) == 0 and price_mentions.drop("2025Q4", errors="ignore").gt(0).all()
    assert "2026Q1" not in set(frequency["period"].astype(str))


def test_blank_categories_are_counted_not_lost(tmp_path):
    client = ClientData(load_config(messy_client(tmp_path)))
    survey = messy_survey()
    dates = pd.to_datetime(survey["Dato"], dayfirst=True)
    blank = int(((survey["Region"] == "") & (dates < "2026-01-01")).sum())
    assert client.blank_levels.to_dict() == {"region": blank}
    assert f"{blank} responses have no region" in words.blank_levels_sentence(client.blank_levels)


def test_a_long_time_axis_labels_at_most_twelve_periods_and_always_the_latest():
    periods = [str(p) for p in pd.period_range("2024-01", "2026-01", freq="M")]
    summary = pd.DataFrame({"period": periods, "estimate": 50.0, "ci_low": 40.0, "ci_high": 60.0, "suppressed": False})
    fig = charts.trend(summary, "nps")
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert len(labels) <= charts.MAX_PERIOD_LABELS and labels[-1] == "2026-01" and labels[0] == "2024-01"
    ticks = len(fig.axes[0].get_xticks()) + len(fig.axes[0].get_xticks(minor=True))
    assert ticks == len(periods)  # every period keeps a tick, labelled or not
