"""Survey-tool export layouts: recognised from their header, turned into one header row.

Each survey tool lays its export out its own way: SurveyMonkey writes the
question over its answer options in two header rows, Qualtrics adds a row of
question texts and a row of import ids, Delighted writes one score column
whatever the survey type. An adapter turns each layout into a table with one
named column per answer, keeps the question wording customers read, and
keeps every data row's spreadsheet row number for messages. The config can
name the layout (``export``) instead of relying on detection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import CXInputError, excerpt, name_list
from .readers import with_header
from .translation import N_, _

#: Layout names, as the config's ``export`` key takes them, with how each is recognised.
LAYOUTS = {
    "qualtrics": "Qualtrics: three header rows (ids, question texts, ImportId)",
    "qualtrics-legacy": "Qualtrics legacy: V1..Vn names over a row of field names and question texts",
    "surveymonkey": "SurveyMonkey: two header rows (question, answer option); Respondent ID and Collector ID",
    "google-forms": "Google Forms: Timestamp, then one column per question text",
    "typeform": "Typeform: '#' token column, answers, then Submit Date (UTC)",
    "zendesk": "Zendesk satisfaction ratings: score good/bad per ticket, with comment and reason",
    "delighted": "Delighted: score and survey_type per response, Unix timestamps",
    "long": "Long: one row per answer (response id, question, answer)",
    "wide": "Wide: one header row, one row per response",
}

#: Each layout as the data-quality appendix names it: survey tools by their own names, the generic
#: layouts in the report language.
LAYOUT_NAMES = {
    "qualtrics": "Qualtrics",
    "qualtrics-legacy": "Qualtrics (legacy)",
    "surveymonkey": "SurveyMonkey",
    "google-forms": "Google Forms",
    "typeform": "Typeform",
    "zendesk": "Zendesk",
    "delighted": "Delighted",
    "long": N_("long (one row per answer)"),
    "wide": N_("wide (one row per response)"),
}


def layout_name(layout: str) -> str:
    """An export layout as a reader names it, in the report language; any other value as given."""
    name = LAYOUT_NAMES.get(layout)
    return layout if name is None else _(name) if layout in ("long", "wide") else name


#: Google Forms names its timestamp column in the form owner's language.
FORMS_TIMESTAMP = {"timestamp", "tidsmerke", "tidsstempel", "tidsstämpel", "tidstämpel"}
LONG_ID = {"response_id", "respondent_id", "responseid", "respondent id", "response id", "id"}
LONG_QUESTION = {"question", "question_id", "item", "metric", "variable", "spørsmål", "spørgsmål", "fråga"}
LONG_ANSWER = {"answer", "value", "score", "response", "svar", "verdi", "værdi", "värde"}


@dataclass
class Export:
    """A survey export read into one header row."""

    frame: pd.DataFrame
    layout: str
    questions: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _text(row: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else str(v).strip() for v in row]


def detect_layout(grid: pd.DataFrame) -> str:
    """The export layout a grid of cells (header rows included) is in."""
    header = _text(grid.iloc[0])
    lower = {h.casefold() for h in header}
    second = _text(grid.iloc[1]) if len(grid) > 1 else []
    third = _text(grid.iloc[2]) if len(grid) > 2 else []
    if sum(c.startswith('{"ImportId"') for c in third) >= max(1, len([h for h in header if h]) // 2):
        return "qualtrics"
    if header[:3] == ["V1", "V2", "V3"] and "ResponseID" in second:
        return "qualtrics-legacy"
    if {"respondent id", "collector id"} <= lower:
        return "surveymonkey"
    if header[0] == "#" and any(h.startswith("Submit Date") for h in header):
        return "typeform"
    if {"score", "ticket_id"} <= lower and lower & {"requester_id", "assignee_id", "reason"}:
        return "zendesk"
    if {"score", "survey_type", "created_at"} <= lower:
        return "delighted"
    if header[0].casefold() in FORMS_TIMESTAMP:
        return "google-forms"
    if lower & LONG_ID and lower & LONG_QUESTION and lower & LONG_ANSWER and len(lower) <= 8:
        return "long"
    return "wide"


def _one_header(grid: pd.DataFrame, how: dict, notes: list[str]) -> pd.DataFrame:
    return with_header(grid, list(grid.iloc[0]), 2, notes, how["format"])


def _qualtrics(grid: pd.DataFrame, how: dict, notes: list[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    names = _text(grid.iloc[0])
    frame = with_header(grid, names, 4, notes, how["format"])
    questions = dict(zip(names, _text(grid.iloc[1])))
    notes.append("header rows 2 (question texts) and 3 (import ids) are not data")
    return frame, {c: questions[c] for c in frame.columns if questions.get(c) and questions[c] != c}


def _qualtrics_legacy(grid: pd.DataFrame, how: dict, notes: list[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    codes, labels = _text(grid.iloc[0]), _text(grid.iloc[1])
    # V1..Vn are respondent fields named in row 2; questions keep their code (Q1) and row 2 is the wording.
    names = [label if code.startswith("V") and code[1:].isdigit() else code for code, label in zip(codes, labels)]
    frame = with_header(grid, names, 3, notes, how["format"])
    questions = dict(zip(names, labels))
    notes.append("header row 2 (field names and question texts) is not data")
    return frame, {c: questions[c] for c in frame.columns if questions.get(c) and questions[c] != c}


def _surveymonkey(grid: pd.DataFrame, how: dict, notes: list[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    questions_row, options = _text(grid.iloc[0]), _text(grid.iloc[1])
    names, wording, question = [], {}, ""
    for asked, option in zip(questions_row, options):
        question = asked or question
        if asked and option in ("", "Response", "Open-Ended Response"):
            name = asked
        else:  # an answer option or a follow-up under the question to its left
            name = f"{question} - {option}" if question and option else (option or question)
        names.append(name)
        wording[name] = question
    frame = with_header(grid, names, 3, notes, how["format"])
    notes.append("header row 2 (answer options) is not data")
    return frame, {c: wording[c] for c in frame.columns if wording.get(c) and wording[c] != c}


def _typeform(grid: pd.DataFrame, how: dict, notes: list[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    frame = _one_header(grid, how, notes)
    for column in frame.columns:
        values = frame[column]
        quoted = values.astype("string").str.match(r"^'[+\d]").fillna(False)
        if quoted.any():  # Typeform writes phone numbers as '+4791234567 to keep them text
            frame[column] = values.where(~quoted, values.astype("string").str[1:])
    return frame, {}


def _delighted(grid: pd.DataFrame, how: dict, notes: list[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    frame = _one_header(grid, how, notes)
    columns = {c.casefold(): c for c in frame.columns}
    score, kind = columns["score"], columns["survey_type"]
    types = frame[kind].astype("string").str.strip().str.casefold()
    for survey_type in sorted(types.dropna().unique()):
        frame[f"score ({survey_type})"] = frame[score].where(types == survey_type)
    notes.append(
        "score split by survey_type into " + ", ".join(f"'score ({t})'" for t in sorted(types.dropna().unique()))
    )
    return frame, {}


def _long(
    grid: pd.DataFrame, how: dict, notes: list[str], file: Path, quote_header: bool = True
) -> tuple[pd.DataFrame, dict[str, str]]:
    frame = _one_header(grid, how, notes)
    lower = {c.casefold(): c for c in frame.columns}
    rid, question, answer = (
        next((lower[c] for c in lower if c in names), None) for names in (LONG_ID, LONG_QUESTION, LONG_ANSWER)
    )
    if rid is None or question is None or answer is None:
        raise CXInputError(
            "the config says this is a long export (one row per answer), but its header has no "
            f"{'response id' if rid is None else 'question' if question is None else 'answer'} "
            + (
                f"column; its columns are {name_list(frame.columns)}"
                if quote_header
                else f"column among its {len(frame.columns):,} columns (the file is outside the client's folder, "
                "so its header is not quoted)"
            ),
            file=file,
            row=1,
            fix="name the columns response_id, question and answer, or remove 'export' from the "
            "source to detect the layout",
        )
    answered = frame[frame[rid].notna() & frame[question].notna()]
    repeated = answered.duplicated([rid, question], keep=False)
    conflict = answered[repeated].groupby([rid, question])[answer].transform("nunique") > 1
    if conflict.any():
        row = int(conflict[conflict].index[0])
        raise CXInputError(
            f"response {excerpt(answered.loc[row, rid])!r} answers {excerpt(answered.loc[row, question])!r} more than "
            "once with different answers",
            file=file,
            column=answer,
            row=row,
            fix="remove the duplicate answer rows, or export one row per response (wide)",
        )
    first_row = answered.reset_index(names="row").groupby(rid, sort=False)["row"].min()
    wide = answered.pivot_table(index=rid, columns=question, values=answer, aggfunc="first", sort=False)
    others = [c for c in frame.columns if c not in (rid, question, answer)]
    extra = answered.groupby(rid, sort=False)[others].first() if others else None
    wide = wide.reindex(first_row.index)
    if extra is not None:
        wide = extra.join(wide)
    wide = wide.reset_index()
    wide.index = pd.Index(first_row.to_numpy(), name=None)
    wide.columns = [str(c) for c in wide.columns]
    unused = frame.index.difference(answered.index)
    notes.append(
        f"{len(answered)} answer rows made {len(wide)} responses (row numbers: each response's first row)"
        + (f"; {len(unused)} rows without a response id or question kept as rows of their own" if len(unused) else "")
    )
    if len(unused):  # with their cells, so they are quarantined for what they lack, not as empty rows
        loose = frame.loc[unused]
        kept = loose[[rid, *others]].copy()
        for row, asked, said in zip(loose.index, loose[question], loose[answer]):
            if pd.notna(said):
                kept.loc[row, answer if pd.isna(asked) else str(asked)] = said
        wide = pd.concat([wide, kept]).sort_index()
    return wide, {}


_ADAPTERS: dict[str, Callable[..., tuple[pd.DataFrame, dict[str, str]]]] = {
    "qualtrics": _qualtrics,
    "qualtrics-legacy": _qualtrics_legacy,
    "surveymonkey": _surveymonkey,
    "typeform": _typeform,
    "delighted": _delighted,
}


def adapt(grid: pd.DataFrame, how: dict, *, file: Path, layout: str | None = None, quote_header: bool = True) -> Export:
    """Turn a grid of cells into an export with one header row, by the named or detected layout.

    Without ``quote_header`` (a file outside the client's folder) an error names no column of its header.
    """
    detected = detect_layout(grid)
    layout = layout or detected
    notes: list[str] = []
    if layout in ("qualtrics", "qualtrics-legacy", "surveymonkey") and len(grid) < {"qualtrics": 3}.get(layout, 2):
        raise CXInputError(
            f"a {layout} export has more header rows than this file has rows",
            file=file,
            fix="export the file again, or remove 'export' from the source to detect the layout",
        )
    if layout == "long":
        frame, questions = _long(grid, how, notes, file, quote_header)
    elif layout in _ADAPTERS:
        if layout != detected and layout in ("qualtrics", "qualtrics-legacy", "surveymonkey", "delighted"):
            raise CXInputError(
                f"the config says this is a {layout} export ({LAYOUTS[layout]}), but its header "
                f"looks like {LAYOUTS[detected]}",
                file=file,
                row=1,
                fix="check the file, or remove 'export' from the source to detect the layout",
            )
        frame, questions = _ADAPTERS[layout](grid, how, notes)
    else:
        frame, questions = _one_header(grid, how, notes), {}
    return Export(frame, layout, questions, notes)


__all__ = ["LAYOUTS", "Export", "adapt", "detect_layout"]
