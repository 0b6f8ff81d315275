"""What the book shows of quarantined rows: counts and reasons, and an answer's text only when it is a label."""

from __future__ import annotations

import pandas as pd

from conftest import write_client
from cxanalysis import load_config, words
from cxanalysis.loading import OTHER_ANSWERS, check_all, unknown_answer_labels, unknown_answers_shown

#: Personal text typed into a labelled score column, each by one customer.
PERSONAL = [
    "call me on 912 34 567, Kari Nordmann",
    "kari.nordmann@example.no",
    "Ola Nordmann at Storgata 1",
    "Ring 22 33 44 55",
]
#: A frequent misspelling of a label, given by more rows than the anonymity threshold.
TYPO = "Very satisfed"


def labelled_client(tmp_path, *, typo_rows: int = 6, min_responses: int = 5):
    answers = ["Very satisfied", "Satisfied", "Dissatisfied"] * 6 + [TYPO] * typo_rows + PERSONAL
    # A long answer given by many rows, and one holding an e-mail address given by many: neither is a label.
    answers += ["I would like somebody to phone me back about my order please"] * 6
    answers += ["mail kari@example.no"] * 6
    frame = pd.DataFrame(
        {
            "Id": [f"A{i:03d}" for i in range(len(answers))],
            "Date": "2025-03-04",
            "CSAT": answers,
            "Comment": "Fint",
        }
    )
    frame.to_csv(tmp_path / "survey.csv", index=False)
    source = {
        "name": "survey",
        "path": "survey.csv",
        "labels": {"csat": "satisfaction-5"},
        "columns": {"response_id": "Id", "submitted_at": "Date", "csat": "CSAT", "comment": "Comment"},
    }
    return load_config(write_client(tmp_path, [source], anonymity={"min_responses": min_responses}))


def shown_text(table: pd.DataFrame) -> str:
    return "\n".join(" ".join(str(v) for v in row) for row in table.itertuples(index=False))


def test_personal_text_in_a_score_column_is_counted_not_shown(tmp_path):
    config = labelled_client(tmp_path)
    check = check_all(config)
    shown = unknown_answers_shown(config, check.quarantine)
    text = shown_text(shown)
    for planted in [*PERSONAL, "912", "kari", "Nordmann", "Storgata", "example.no", "phone me back"]:
        assert planted.casefold() not in text.casefold(), planted
    assert shown["answer"].tolist() == [TYPO, OTHER_ANSWERS]
    assert shown["rows"].tolist() == [6, len(PERSONAL) + 12]
    assert shown["texts"].tolist() == [1, len(PERSONAL) + 2]
    assert set(shown["column"]) == {"CSAT"} and set(shown["file"]) == {"survey.csv"}
    assert set(shown["reason"]) == {"answer text not in the scale's label map"}
    # Every quarantined answer is accounted for.
    assert shown["rows"].sum() == (check.quarantine["reason"] == "unknown_label").sum()
    # The consultant's quarantine keeps every answer as written.
    assert set(PERSONAL) <= set(check.quarantine["value"])
    assert set(PERSONAL) <= set(check.quarantine["raw: CSAT"])


def test_a_label_given_by_fewer_rows_than_the_threshold_is_not_shown(tmp_path):
    config = labelled_client(tmp_path, typo_rows=4, min_responses=5)
    shown = unknown_answers_shown(config, check_all(config).quarantine)
    assert shown["answer"].tolist() == [OTHER_ANSWERS]
    assert TYPO not in shown_text(shown)
    config = labelled_client(tmp_path, typo_rows=4, min_responses=4)
    assert TYPO in unknown_answers_shown(config, check_all(config).quarantine)["answer"].tolist()


def test_spaces_around_an_answer_do_not_split_its_count(tmp_path):
    config = labelled_client(tmp_path, typo_rows=0)
    quarantine = pd.DataFrame(
        {
            "file": "survey.csv",
            "column": "CSAT",
            "reason": "unknown_label",
            "value": [" Very  satisfed", "Very satisfed ", "Very satisfed", "Very satisfed", "Very satisfed"],
        }
    )
    shown = unknown_answers_shown(config, quarantine)
    assert shown[["answer", "rows"]].values.tolist() == [[TYPO, 5]]


def test_no_unknown_answers_gives_an_empty_table(tmp_path):
    config = labelled_client(tmp_path)
    empty = pd.DataFrame(columns=["file", "column", "reason", "value"])
    assert unknown_answers_shown(config, empty).empty


def test_the_consultants_list_stays_complete_and_redacted(tmp_path):
    config = labelled_client(tmp_path)
    listed = unknown_answer_labels(config, check_all(config).quarantine)
    assert "call me on [phone], Kari Nordmann" in set(listed["answer"])


def test_the_sentence_counts_every_answer_and_says_which_are_shown(tmp_path):
    config = labelled_client(tmp_path)
    shown = unknown_answers_shown(config, check_all(config).quarantine)
    text = words.unknown_labels_sentence(shown, 5, 40)
    assert text.startswith(f"**{shown['rows'].sum()} rows** gave {len(PERSONAL) + 3} text answers to a score")
    assert "at least 5 rows gave it, it is at most 40 characters long" in text
