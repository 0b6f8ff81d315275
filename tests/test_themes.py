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
    taxonomy = {"delivery": themes.Theme(label="Delivery", nb=["lever*"], en=["package*", "took too long"])}
    comments = pd.Series(
        [
            "Leveringen kom sent",
            "Hun leverte i går",
            "Kløver er fint",
            "The packages",
            "It took   too long",
            "prepackaged food",
            None,
        ]
    )
    coded = themes.code_comments(comments, taxonomy)["delivery"].tolist()
    assert coded == [True, True, False, True, True, False, False]


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
    guess = themes.detect_language(commented["comment"], prior=("nb", "sv", "en", "da"))
    given = commented["language"].astype("string")
    assert (guess == given).mean() > 0.93
    assert guess.isna().mean() < 0.06


def test_coverage_counts_every_comment(sample):
    coverage = themes.theme_coverage(sample.coded_comments).iloc[0]
    comments = int(sample.responses["comment"].notna().sum())
    assert coverage["comments"] == comments
    assert coverage["coded"] + coverage["uncoded"] == comments
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
    impact = themes.theme_impact(sample.responses, coded, sample.taxonomy, "nps", min_n=5).set_index("theme")
    answered = sample.responses.loc[coded.index, "nps"].dropna()
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
