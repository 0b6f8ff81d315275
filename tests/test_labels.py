"""Label maps: text answers to scores in four languages, tolerant of case and spacing, never guessing."""

from __future__ import annotations

import pandas as pd
import pytest

from cxanalysis.labels import best_label_map, label_maps, leading_scores, shipped_label_maps

SATISFACTION = {  # language: answers from 1 to 5
    "en": ["Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied", "Satisfied", "Very satisfied"],
    "nb": ["Svært misfornøyd", "Misfornøyd", "Verken fornøyd eller misfornøyd", "Fornøyd", "Svært fornøyd"],
    "da": ["Meget utilfreds", "Utilfreds", "Hverken tilfreds eller utilfreds", "Tilfreds", "Meget tilfreds"],
    "sv": ["Mycket missnöjd", "Missnöjd", "Varken nöjd eller missnöjd", "Nöjd", "Mycket nöjd"],
}
AGREEMENT = {
    "en": ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"],
    "nb": ["Helt uenig", "Uenig", "Verken enig eller uenig", "Enig", "Helt enig"],
    "da": ["Helt uenig", "Uenig", "Hverken enig eller uenig", "Enig", "Helt enig"],
    "sv": ["Helt oenig", "Oenig", "Varken enig eller oenig", "Instämmer delvis", "Instämmer helt"],
}


@pytest.mark.parametrize("language", ["en", "nb", "da", "sv"])
@pytest.mark.parametrize("name, answers", [("satisfaction-5", SATISFACTION), ("agreement-5", AGREEMENT)])
def test_five_point_maps_in_four_languages(name, answers, language):
    labels = pd.Series(answers[language])
    score, matched, not_rated = shipped_label_maps()[name].read(labels)
    assert score.tolist() == [1.0, 2.0, 3.0, 4.0, 5.0] and matched.all() and not not_rated.any()
    assert best_label_map(labels, shipped_label_maps())[0].name == name


def test_case_spacing_apostrophes_and_full_stops_do_not_matter():
    score, matched, _ = shipped_label_maps()["satisfaction-5"].read(
        pd.Series(["  VERY   satisfied. ", "svært\tfornøyd", "Don’t know", "Very satisifed"])
    )
    assert score.tolist()[:2] == [5.0, 5.0] and matched.tolist() == [True, True, True, False]
    assert pd.isna(score.iloc[2]) and pd.isna(score.iloc[3])  # not rated; unknown (quarantined by the loader)


def test_a_client_adds_spellings_to_a_shipped_map():
    maps = label_maps({"agreement-5": {"Disgree": 2, "Aagree": 4}, "stars": {"★": 1, "★★★★★": 5}})
    score, _matched, _ = maps["agreement-5"].read(pd.Series(["Disgree", "Aagree", "Strongly agree"]))
    assert score.tolist() == [2.0, 4.0, 5.0] and maps["agreement-5"].scale == (1, 5)
    assert maps["stars"].scale == (1.0, 5.0)
    assert "disgree" not in shipped_label_maps()["agreement-5"].values  # the shipped map is unchanged


def test_scores_written_before_their_label():
    values = pd.Series(["9 - Very likely", "10 (Extremely likely)", "0: Not at all likely", "4,5", "2025-03-01", "x"])
    assert leading_scores(values).tolist()[:4] == [9.0, 10.0, 0.0, 4.5]
    assert leading_scores(values).iloc[4:].isna().all()  # a date and a word are not scores
