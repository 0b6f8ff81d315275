"""The mapping assistant: look at a new export and propose the client config for it.

``cxanalysis inspect FILE`` reads a file as the loader would (layout,
encoding, delimiter), describes every column (type, example values) and
guesses its role from the question wording, in English, Norwegian, Danish
and Swedish, and from its values: NPS, CSAT, CES, timestamp, id, segment,
free text, attribute rating, or personal data that is never mapped. It then
writes a complete client config that the consultant checks and builds.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .config import CANONICAL_COLUMNS
from .dates import parse_dates
from .exports import LAYOUTS, adapt
from .labels import LabelMap, best_label_map, leading_scores, shipped_label_maps
from .readers import OVERFLOW, read_cells
from .rules import DEFAULT_SCALES

#: Question wordings by role, in English, Norwegian, Danish and Swedish.
WORDING = {
    "nps": r"recommend|anbefal|rekommend|\bnps\b",
    "csat": r"satisf|fornøyd|tilfreds|nöjd|\bcsat\b|tilfredshet",
    "ces": r"easy to|effort|\bces\b|lett å|enkelt å|nemt at|let at|lätt att|enkelt att|ansträng|anstreng|innsats",
    "timestamp": r"date|time|stamp|submit|created|recorded|dato|tidspunkt|tidsmerke|tidsstempel|datum|tidst",
    "response_id": r"^#$|^id$|^id\b|respon(se|dent)[ _]?id|responseid|_recordid|token|svar-?id|svar ?nr",
    "customer_id": r"(customer|kunde|kund|client|person|requester).{0,3}(id|nr|number|nummer)|^person$",
    "language": r"language|språk|sprog|userlanguage|locale",
    "channel": r"channel|kanal",
    "touchpoint": r"touchpoint|kontaktpunkt|berøringspunkt|beröringspunkt",
    "comment": r"comment|why|reason|rationale|kommentar|hvorfor|varför|tell us|anything else|feedback|improv|"
    r"forbedr|förbättr|bedre|bättre|better|begrunn|strengths|weakness|fortell|berätta|fortæl|open-ended|"
    r"free text|_text$",
    "weight": r"^weight|^vekt|^vægt|^vikt",
}
#: Columns that hold personal data or survey-tool bookkeeping: described, never mapped.
PERSONAL = (
    r"e-?mail|ip.?ad|first ?name|last ?name|^name$|navn|namn|recipient|empfänger|phone|telefon|mobil|"
    r"latitude|longitude|breitengrad|längengrad|\burl\b|permalink|address|adresse|network id"
)
BOOKKEEPING = (
    r"^status$|progress|duration|dauer|finished|beendet|^end ?date|^start ?date|^stage date|response type|"
    r"collector|custom data|responseset|^tags$|^ending$|updated|assignee|group_id|reason_code|survey_type|"
    r"antworttyp|aktueller stand|locationaccuracy|distribution"
)
#: Answers about facts, not ratings, even when they are small whole numbers.
NOT_A_RATING = (
    r"\byear|\bage\b|alder|ålder|\bår\b|how many|how much|number of|antall|antal|hvor mange|hur många|"
    r"distance|minutes|minutter|delay|price|amount|beløp|belopp|count"
)
#: Wordings of questions answered on a labelled scale: a label map is proposed even when typos abound.
SCALE_WORDING = r"agree|enig|instämm|satisf|fornøyd|tilfreds|nöjd|how would you rate|vurder|bedøm|betygs"
#: Other ids (tickets, orders): described, not segments.
OTHER_ID = r"[ _]id$|^id[ _]|\bID\b|nummer$|number$"
RATING_MAPS = ("satisfaction-5", "agreement-5", "agreement-7", "ease-7", "quality-5")
SCALE_TOPS = (5, 7, 10)


@dataclass
class ColumnGuess:
    """One column of an export: what it holds and the role proposed for it."""

    column: str
    kind: str
    examples: list[str]
    role: str = "not used"
    name: str | None = None  # canonical name in the config
    labels: LabelMap | None = None
    low: float | None = None
    high: float | None = None
    question: str | None = None
    levels: int = 0
    split: bool = False  # a Delighted score column, split into one column per survey type
    unknown_labels: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def label_name(self) -> str:
        """The name of the label map that reads this column's answers ('' when none does)."""
        return self.labels.name if self.labels is not None else ""


@dataclass
class Inspection:
    """An export as the assistant sees it."""

    path: Path
    how: dict
    layout: str
    rows: int
    columns: list[ColumnGuess]
    notes: list[str]

    def role(self, role: str) -> list[ColumnGuess]:
        return [c for c in self.columns if c.role == role]


def _matches(pattern: str, text: str) -> bool:
    return re.search(pattern, text, flags=re.IGNORECASE) is not None


def config_name(text: str, taken: set[str]) -> str:
    """A short snake_case name for a column: ascii letters, at most five words, unique, not canonical."""
    ascii_text = (
        unicodedata.normalize("NFKD", text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "Ae"))
        .encode("ascii", "ignore")
        .decode()
    )
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    name = "_".join(words[:5]) or "column"
    if name[0].isdigit():
        name = f"q_{name}"
    base, n = name, 2
    while name in taken or name in CANONICAL_COLUMNS:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def _scale_top(high: float) -> int:
    return next((top for top in SCALE_TOPS if high <= top), int(high))


def _describe(column: str, values: pd.Series, question: str) -> ColumnGuess:
    present = values.dropna()
    present = present[present.astype("string").str.strip() != ""]
    levels = present.astype("string").nunique()
    examples = list(dict.fromkeys(present.astype("string").str.slice(0, 40)))[:3]
    guess = ColumnGuess(column, "empty", examples, question=question if question != column else None, levels=levels)
    if present.empty:
        return guess
    numbers = leading_scores(present)
    dates, _ = parse_dates(present.head(1000))  # the form of the dates shows in the first thousand
    text = present.astype("string")
    if dates.notna().mean() >= 0.95 and numbers.isna().mean() >= 0.95:
        guess.kind = "date"
    elif numbers.notna().mean() >= 0.8:  # a few typed words or a stray 11 do not hide a score column
        found = numbers.dropna()
        on_scale = found[found.between(0, 10)] if found.between(0, 10).mean() >= 0.85 else found
        whole = bool((on_scale == on_scale.round()).all())
        guess.kind = "whole number" if whole else "number"
        guess.low, guess.high = float(on_scale.min()), float(on_scale.max())
        strays = present[numbers.isna().to_numpy()].astype("string").tolist() + [
            f"{v:g}" for v in found.drop(on_scale.index)
        ]
        if strays:
            guess.notes.append(
                f"{len(strays)} answer(s) off a 0-10 scale or not numbers, quarantined when read: "
                + ", ".join(repr(v) for v in strays[:5])
            )
        if dates.notna().mean() >= 0.95 and guess.low > 20_000:
            guess.kind = "date (number)"
    else:
        label_map, share = best_label_map(present, shipped_label_maps())
        scale_wording = _matches(SCALE_WORDING, f"{column} {question}")
        if label_map is not None and (share >= 0.5 or (scale_wording and share >= 0.25)):
            guess.kind, guess.labels = "text answers", label_map
            guess.low, guess.high = label_map.scale or (None, None)
            _, matched, _ = label_map.read(present)
            guess.unknown_labels = present[~matched.to_numpy()].astype("string").value_counts().to_dict()
            if numbers.notna().any():  # "0 - Not at all likely" ... "10 - Extremely likely"
                guess.low, guess.high = min(guess.low, numbers.min()), max(guess.high, numbers.max())
        else:
            distinct = levels
            long_text = text.str.len().mean() > 25 or text.str.count(" ").mean() >= 3
            guess.kind = "free text" if long_text and distinct > 0.5 * len(text) else "categories"
    return guess


def _assign(guess: ColumnGuess, words: str, claimed: set[str]) -> None:
    """Propose a role from the wording and the values."""
    kind = guess.kind
    rating = (
        kind == "whole number"
        and guess.low is not None
        and guess.high is not None
        and guess.low >= 0
        and guess.high <= 10
        and not _matches(NOT_A_RATING, words)
    )
    rating_labels = kind == "text answers" and guess.label_name in (*RATING_MAPS, "likelihood-ends")
    if _matches(PERSONAL, words):
        guess.role = "personal data (never mapped)"
    elif (
        kind.startswith("date")
        and "submitted_at" not in claimed
        and (_matches(WORDING["timestamp"], words) and not _matches(r"^start|stage|updated|anfang", words))
    ):
        guess.role, guess.name = "timestamp", "submitted_at"
    elif _matches(BOOKKEEPING, words):
        guess.role = "survey-tool bookkeeping (not used)"
    elif "response_id" not in claimed and _matches(WORDING["response_id"], words) and kind != "empty":
        guess.role, guess.name = "response id", "response_id"
    elif "customer_id" not in claimed and _matches(WORDING["customer_id"], words):
        guess.role, guess.name = "customer id", "customer_id"
    elif _matches(OTHER_ID, guess.column):
        guess.role = "another id (not used)"
    elif guess.split:
        guess.role = "split by survey type (not used)"
    elif (
        kind in ("categories", "free text", "text answers")
        and _matches(WORDING["comment"], guess.column)
        and not _matches(SCALE_WORDING, words)
    ):
        guess.role, guess.name = "free text (comment)", "comment" if "comment" not in claimed else None
        if guess.name is None:
            guess.role = "free text (a second comment column, not used)"
    elif (rating or rating_labels) and "nps" not in claimed and _matches(WORDING["nps"], words):
        guess.role, guess.name, guess.low, guess.high = "NPS", "nps", 0, 10
    elif (
        (rating or (kind == "text answers" and guess.label_name in ("satisfaction-5", "good-bad", "satisfied-or-not")))
        and "csat" not in claimed
        and (
            _matches(WORDING["csat"], words)
            or (kind == "text answers" and guess.label_name in ("good-bad", "satisfied-or-not"))
        )
    ):
        guess.role, guess.name = "CSAT", "csat"
    elif (rating or rating_labels) and "ces" not in claimed and _matches(WORDING["ces"], words):
        guess.role, guess.name = "CES", "ces"
    elif _matches(WORDING["language"], words) and kind == "categories":
        guess.role, guess.name = "language", "language"
    elif _matches(WORDING["touchpoint"], words) and kind == "categories":
        guess.role, guess.name = "touchpoint", "touchpoint"
    elif _matches(WORDING["channel"], words) and kind == "categories":
        guess.role, guess.name = "channel", "channel"
    elif kind == "free text" or (kind == "categories" and _matches(WORDING["comment"], words)):
        guess.role = "free text (comment)"
        guess.name = "comment" if "comment" not in claimed else None
        if guess.name is None:
            guess.role = "free text (a second comment column, not used)"
    elif rating or rating_labels:
        guess.role = "attribute rating"
    elif kind in ("categories", "whole number", "text answers") and 2 <= guess.levels <= 20:
        guess.role = "segment"
    if guess.name:
        claimed.add(guess.name)
    if guess.unknown_labels and guess.role in ("NPS", "CSAT", "CES", "attribute rating"):
        guess.notes.append(
            f"answers not in the label map {guess.label_name}, quarantined when read: "
            + ", ".join(f"{label!r} ({n})" for label, n in guess.unknown_labels.items())
        )


def inspect_file(path: str | Path, *, sheet: str | int | None = None, export: str | None = None) -> Inspection:
    """Read an export and propose a role for each of its columns."""
    path = Path(path).expanduser().resolve()
    file_format = {"xls": "xlsx", "xlsm": "xlsx", "txt": "csv", "tsv": "csv", "pq": "parquet"}.get(
        path.suffix.lower().lstrip("."), path.suffix.lower().lstrip(".")
    )
    grid, how = read_cells(path, file_format, sheet=sheet)
    adapted = adapt(grid, how, file=path, layout=export)
    frame = adapted.frame.drop(columns=[OVERFLOW], errors="ignore")
    guesses = [_describe(c, frame[c], adapted.questions.get(c, c)) for c in frame.columns]
    for guess in guesses:
        guess.split = any(other.startswith(f"{guess.column} (") for other in frame.columns)
    claimed: set[str] = set()
    # Overall scores first (an "overall" wording wins over a later attribute with the same words).
    order = sorted(
        range(len(guesses)),
        key=lambda i: (
            not _matches(
                r"overall|all in all|alt i alt|samlet|totalt|"
                r"helhet|generally",
                frame.columns[i],
            )
        ),
    )
    for i in order:
        guess = guesses[i]
        _assign(guess, f"{guess.column} {guess.question or ''}".strip(), claimed)
    taken: set[str] = set()
    for guess in guesses:
        if guess.role in ("attribute rating", "segment"):
            guess.name = config_name(guess.column, taken)
    notes = list(adapted.notes)
    if not any(g.role in ("NPS", "CSAT", "CES", "attribute rating", "free text (comment)") for g in guesses):
        notes.append(
            "no NPS, CSAT, CES, rating or comment column found: this file alone cannot make a "
            "customer-experience book (every row would be quarantined as 'no score, rating or comment')"
        )
    return Inspection(path, how, adapted.layout, len(frame), guesses, notes)


def _scale(guesses: list[ColumnGuess], default: tuple[int, int]) -> list[int]:
    """The scale that holds every answer: a label map's own, else 0 or 1 up to the next usual top (5, 7, 10)."""
    lows = [g.low for g in guesses if g.low is not None]
    highs = [g.high for g in guesses if g.high is not None]
    if not lows:
        return list(default)
    low = 0 if min(lows) < 1 else 1
    if any(g.labels is not None for g in guesses):
        return [int(min(lows)), int(max(highs))]
    return [low, max(min(default[1], 5), _scale_top(max(highs)))]


def proposed_config(inspection: Inspection, *, config_dir: Path | None = None, client_name: str | None = None) -> dict:
    """A complete client config for the export (a dict, in the order the sample config uses)."""
    path = inspection.path
    if config_dir is not None and path.is_relative_to(config_dir):
        path = Path(os.path.relpath(path, config_dir))
    stem = re.sub(r"[_\s]+", " ", inspection.path.stem).strip()
    name = client_name or stem.title()
    slug = re.sub(r"[^a-z0-9]+", "-", config_name(name, set()).replace("_", "-")).strip("-") or "client"
    columns = {g.name: g.column for g in inspection.columns if g.name}
    source: dict = {"name": slug[:30], "path": str(path), "export": inspection.layout}
    if inspection.how.get("sheet") not in (None, "0"):
        source["sheet"] = inspection.how["sheet"]
    source["columns"] = columns
    labels = {}
    for g in inspection.columns:
        if g.name and g.labels is not None and g.role in ("NPS", "CSAT", "CES", "attribute rating"):
            labels["attributes" if g.role == "attribute rating" else g.name] = g.labels.name
    attribute_maps = {g.labels.name for g in inspection.role("attribute rating") if g.labels}
    if len(attribute_maps) > 1:  # one map for every attribute only when they share it
        labels.pop("attributes", None)
        labels.update({g.name: g.label_name for g in inspection.role("attribute rating") if g.labels and g.name})
    if labels:
        source["labels"] = labels
    if "submitted_at" not in columns:
        source["collected_on"] = dt.date.today().isoformat()
    config: dict = {
        "client": {"name": name, "slug": slug[:40]},
        "report": {"title": "Customer experience report", "period": "quarter"},
        "sources": [source],
        "segments": [g.name for g in inspection.role("segment")],
        "attributes": [g.name for g in inspection.role("attribute rating")],
        "questions": {
            g.name: g.question or g.column
            for g in inspection.columns
            if g.role in ("NPS", "CSAT", "CES", "attribute rating")
        },
        "scales": {},
        "output_dir": "_build",
    }
    for role, key, default in (
        ("CSAT", "csat", DEFAULT_SCALES["csat"]),
        ("CES", "ces", DEFAULT_SCALES["ces"]),
        ("attribute rating", "attributes", DEFAULT_SCALES["attributes"]),
    ):
        found = inspection.role(role)
        if found:
            config["scales"][key] = _scale(found, default)
    if inspection.role("NPS"):
        config["scales"]["nps"] = [0, 10]
    for key in ("segments", "attributes", "questions", "scales"):
        if not config[key]:
            del config[key]
    return config


def config_text(inspection: Inspection, config: dict) -> str:
    """The proposed config as commented YAML, ready to save as client.yml.

    The data go through the YAML emitter; a comment that quotes the export (its file name, a
    column name, a note on its values) has its line breaks and control characters escaped and is
    cut to a line's length.
    """

    def _comment_safe(text: str, limit: int = 60) -> str:
        # Control characters and the characters a YAML reader takes as line breaks (CR, LF, NEL,
        # U+2028, U+2029) are written as escapes, so text from the export cannot end its comment.
        safe = "".join(
            ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch
            for ch in text
        )
        return safe if len(safe) <= limit else safe[: limit - 3] + "..."

    head = [
        f"# Proposed by 'cxanalysis inspect' from {_comment_safe(inspection.path.name, 200)} "
        f"({LAYOUTS[inspection.layout].split(':')[0]} layout, {inspection.rows} rows).",
        "# Name the client, check each mapping, then run: cxanalysis build <this file>",
    ]
    for guess in inspection.columns:
        for note in guess.notes:
            head.append(f"# {_comment_safe(guess.column)}: {_comment_safe(note, 200)}")
    zero_rated = [g for g in inspection.role("attribute rating") if g.low == 0 and g.kind == "whole number"]
    if zero_rated:
        head.append(
            "# Some ratings use 0: if 0 means 'not rated', add under the source "
            "'not_rated: {attributes: [0]}' and set scales.attributes to start at 1."
        )
    if "collected_on" in config["sources"][0]:
        head.append(
            "# The export has no date column: every response is dated 'collected_on'; "
            "set it to the day the survey closed."
        )
    body = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=120)
    if yaml.safe_load(body) != config:  # a few characters (NEL) only read back when escaped
        body = yaml.safe_dump(config, allow_unicode=False, sort_keys=False, width=120)
    return "\n".join(head) + "\n" + body


def report_text(inspection: Inspection) -> str:
    """The console description of an export: layout, reading, and one line per column."""
    how = ", ".join(f"{k} {v}" for k, v in inspection.how.items())
    lines = [
        f"{inspection.path.name}: {LAYOUTS[inspection.layout]}",
        f"  read as {how}; {inspection.rows} rows",
        *[f"  note: {n}" for n in inspection.notes],
        "",
        f"  {'column':<48} {'type':<14} {'role':<30} examples",
    ]
    for g in inspection.columns:
        kind = g.kind + (f" ({g.labels.name})" if g.labels else "")
        if g.kind in ("whole number", "number") and g.low is not None:
            kind += f" {g.low:g}-{g.high:g}"
        role = g.role + (f" -> {g.name}" if g.name and g.name not in g.role.lower() else "")
        lines.append(f"  {g.column[:48]:<48} {kind[:28]:<14} {role[:40]:<30} {' | '.join(g.examples)[:60]}")
        lines += [f"  {'':<48} {n}" for n in g.notes]
    return "\n".join(lines)


__all__ = ["WORDING", "ColumnGuess", "Inspection", "config_text", "inspect_file", "proposed_config", "report_text"]
