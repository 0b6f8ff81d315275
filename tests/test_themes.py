"""Comment themes: the taxonomy, coding, language detection, coverage and impact."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy.stats import norm

import cxanalysis as cx
from conftest import SAMPLE_CONFIG
from cxanalysis import CXInputError, themes


@pytest.fixture(scope="module")
def sample():
    return cx.open_client(None)


@pytest.fixture(scope="module")
def truth():
    return yaml.safe_load((SAMPLE_CONFIG.parent / "truth.yml").read_text(encoding="utf-8"))


def test_terms_match_whole_words_and_inflected_forms():
    taxonomy = {"delivery": themes.Theme(label="Delivery", nb=["levere", "levering"], en=["package", "took too long"])}
    comments = pd.Series(
        [
            "Leveringen kom sent",
            "Hun leverte i går",
            "Kløver er fint",
            "Han lever fortsatt",
            "The packages",
            "It took   too long",
            "prepackaged food",
        ]
    )
    languages = pd.Series(["nb", "nb", "nb", "nb", "en", "en", "en"])
    coded = themes.code_comments(comments, taxonomy, languages)["delivery"].tolist()
    assert coded == [True, True, False, False, True, True, False]


def test_only_the_terms_of_the_comments_language_count():
    taxonomy = themes.load_taxonomy()
    comments = pd.Series(
        [
            "Jeg lever på et stramt budsjett",
            "Kjøpte sofa i løpet av sommeren",
            "Hun var flink og fant riktig størrelse",
            "Hun var flink og sød",
            "Hyggelig butik med god stemning",
            "Paguei em parcelas, recebi a informação e a resposta",
        ]
    )
    languages = pd.Series(["nb", "nn", "nb", "da", "da", pd.NA])
    coding = themes.comment_coding(comments, taxonomy, languages)
    assert coding["language"].tolist() == ["nb", "nn", "nb", "da", "da", "pt"]
    assert coding["coded"].tolist() == [True, True, True, True, True, False]
    coded = themes.code_comments(comments, taxonomy, languages)
    assert list(coded.index) == [0, 1, 2, 3, 4]
    mentioned = [set(coded.columns[row]) for row in coded.to_numpy()]
    assert mentioned == [set(), set(), {"competence"}, {"staff_friendliness"}, set()]
    assert themes.not_coded(coding).to_dict() == {"pt": 1}


def test_a_clients_theme_may_give_one_list_for_every_language(tmp_path):
    path = tmp_path / "themes.yml"
    path.write_text(
        "opening_hours:\n  label: Opening hours\n  terms: [åpningstid*, öppettid*]\n  en: [opening hours]\n",
        encoding="utf-8",
    )
    taxonomy = themes.load_taxonomy(path)
    comments = pd.Series(["Åpningstidene er for korte", "Öppettiderna passar mig", "Opening hours are short", "Olá"])
    languages = pd.Series(["nb", "sv", "en", "pt"])
    coded = themes.code_comments(comments, taxonomy, languages)
    assert coded["opening_hours"].tolist() == [True, True, True]
    assert themes.taxonomy_languages(taxonomy) == themes.LANGUAGES


def test_a_taxonomy_in_one_language_codes_only_that_language():
    taxonomy = {"price": themes.Theme(label="Price", nb=["pris"])}
    coding = themes.comment_coding(pd.Series(["Prisen er høy", "The price is high"]), taxonomy, pd.Series(["nb", "en"]))
    assert coding["coded"].tolist() == [True, False]


def test_language_values_become_codes():
    values = ["nb-NO", "NO", "nn", "sv_SE", "Svenska", "English", "da-DK", "pt-BR"]
    assert [themes.language_code(v) for v in values] == ["nb", "nb", "nn", "sv", "sv", "en", "da", "pt"]


def test_a_comment_can_carry_several_themes(sample):
    taxonomy = themes.load_taxonomy()
    coded = themes.code_comments(pd.Series(["Dyr frakt og pakken kom for sent, ingen svarte på telefonen."]), taxonomy)
    assert set(coded.columns[coded.iloc[0]]) == {"price", "delivery", "response_time"}


def test_the_shipped_taxonomy_covers_the_nine_themes_in_four_languages():
    taxonomy = themes.load_taxonomy()
    assert list(taxonomy) == [
        "response_time",
        "staff_friendliness",
        "competence",
        "price",
        "delivery",
        "website",
        "app",
        "returns",
        "communication",
    ]
    for theme in taxonomy.values():
        assert all(getattr(theme, language) for language in themes.LANGUAGES), theme.label


def test_a_taxonomy_with_an_unknown_language_names_the_key(tmp_path):
    path = tmp_path / "themes.yml"
    path.write_text("price:\n  label: Price\n  fi: [hinta*]\n", encoding="utf-8")
    with pytest.raises(CXInputError, match=r"price\.fi: unknown key") as error:
        themes.load_taxonomy(path)
    assert str(path) in str(error.value)


def test_language_detection_agrees_with_the_given_language(sample):
    commented = sample.responses[sample.responses["comment"].notna() & sample.responses["language"].notna()]
    guess = themes.detect_language(commented["comment"])
    given = commented["language"].astype("string").map(themes.language_code)
    assert (guess == given).mean() > 0.93
    assert guess.isna().mean() < 0.06


def test_coverage_counts_every_coded_comment(sample):
    coverage = themes.theme_coverage(sample.coded_comments).iloc[0]
    commented = sample.responses[sample.responses["comment"].notna()]
    # The language the data gives counts before a detected one, as in chapter 4.
    coding = themes.comment_coding(
        commented["comment"], sample.taxonomy, themes.comment_languages(sample.responses)[commented.index]
    )
    assert coverage["comments"] == coding["coded"].sum() == len(sample.coded_comments)
    assert coding.equals(sample.comment_coding)
    assert coverage["coded"] + coverage["uncoded"] == coverage["comments"]
    assert coverage["comments"] > 0.97 * len(commented)
    assert coverage["share_coded"] > 95


def test_planted_themes_surface_with_their_tone(sample, truth):
    impact = themes.theme_impact(sample.responses, sample.coded_comments, sample.taxonomy, "nps", min_n=5)
    significant = impact[impact["p_adjusted"] < 0.05]
    lowest = set(significant.nsmallest(3, "difference")["theme"])
    assert lowest == set(truth["themes"]["tendency"]["negative"])
    highest = set(significant.nlargest(2, "difference")["theme"])
    assert highest == set(truth["themes"]["tendency"]["positive"])
    mentions = sample.coded_comments.sum()
    realised = truth["themes"]["realised_mentions"]
    for theme in ("price", "website", "app", "returns", "competence"):
        planted = sum(realised[file][group].get(theme, 0) for file in realised for group in realised[file])
        assert mentions[theme] == pytest.approx(planted, rel=0.05), theme


def test_theme_impact_matches_the_adjusted_wald_difference_typed_out(sample):
    coded = sample.coded_comments
    # The formula typed out is the equally weighted one: the sample's raking weights are set aside here
    # (weighted comparisons are checked in test_weighted_inference).
    responses = sample.responses.assign(weight=1.0)
    impact = themes.theme_impact(responses, coded, sample.taxonomy, "nps", min_n=5).set_index("theme")
    answered = responses.loc[coded.index, "nps"].dropna()
    mention = coded.loc[answered.index, "delivery"]

    def adjusted_and_variance(scores):
        n = len(scores) + 3
        p, d = ((scores >= 9).sum() + 0.75) / n, ((scores <= 6).sum() + 0.75) / n
        return p - d, (p + d - (p - d) ** 2) / n

    (a, var_a), (b, var_b) = adjusted_and_variance(answered[mention]), adjusted_and_variance(answered[~mention])
    half = norm.ppf(0.975) * np.sqrt(var_a + var_b)  # centred on the adjusted difference (Lewis & Sauro)
    row = impact.loc["delivery"]
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((100 * (a - b - half), 100 * (a - b + half)), abs=1e-9)
    observed = [(s >= 9).mean() - (s <= 6).mean() for s in (answered[mention], answered[~mention])]
    assert row["difference"] == pytest.approx(100 * (observed[0] - observed[1]), abs=1e-9)
    assert row["n_a"] == mention.sum() and row["n_b"] == (~mention).sum()


def test_examples_are_redacted_and_respect_the_comment_threshold(sample):
    examples = themes.theme_examples(
        sample.responses, sample.coded_comments, sample.taxonomy, per_theme=50, min_comments=8
    )
    assert not examples["comment"].str.contains("@|<script", regex=True).any()
    assert (examples["comments_on_theme"] >= 8).all()
    none = themes.theme_examples(
        sample.responses, sample.coded_comments, sample.taxonomy, per_theme=2, min_comments=10_000
    )
    assert none.empty


def test_theme_summary_joins_each_metrics_impact(sample):
    coded, taxonomy = sample.coded_comments, sample.taxonomy
    frequency = themes.theme_frequency(sample.responses, coded, taxonomy)
    impacts = [themes.theme_impact(sample.responses, coded, taxonomy, m, min_n=5) for m in ("nps", "csat")]
    summary = themes.theme_summary(frequency, [*impacts, pd.DataFrame()]).set_index("theme")
    assert len(summary) == len(taxonomy)
    nps = impacts[0].set_index("theme")
    assert summary.loc["delivery", "nps_difference"] == nps.loc["delivery", "difference"]
    assert summary.loc["price", "csat_p_adjusted"] == impacts[1].set_index("theme").loc["price", "p_adjusted"]


def test_examples_show_no_text_twice_and_prefer_comments_on_their_theme_alone():
    period = ["2025Q4"] * 6
    responses = pd.DataFrame(
        {
            "period": period,
            "touchpoint": ["Delivery", "Returns", "Returns", "Delivery", "Returns", "Delivery"],
            "comment": [
                "The parcel came late and I had to return it.",  # delivery and returns
                "The return label was missing.",  # returns alone
                "the return label was missing!",  # the same text, typed again
                "The parcel came late.",  # delivery alone
                "The return took three weeks.",  # returns alone
                "The parcel came late.",  # the same as above
            ],
        }
    )
    coded = pd.DataFrame(
        {"delivery": [True, False, False, True, False, True], "returns": [True, True, True, False, True, False]}
    )
    taxonomy = {"delivery": themes.Theme(label="Delivery"), "returns": themes.Theme(label="Returns")}
    examples = themes.theme_examples(responses, coded, taxonomy, per_theme=2, min_comments=1)
    keys = themes.same_text_key(examples["comment"])
    assert not keys.duplicated().any()
    returns = examples.loc[examples["theme"] == "Returns", "comment"].tolist()
    assert "The parcel came late and I had to return it." not in returns
    assert sorted(returns) == ["The return label was missing.", "The return took three weeks."]
    assert examples.loc[examples["theme"] == "Delivery", "comments_on_theme"].iloc[0] == 3
