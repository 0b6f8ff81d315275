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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .config import CANONICAL_COLUMNS
from .dates import parse_dates
from .exports import LAYOUTS, adapt
from .labels import LabelMap, best_label_map, leading_scores, shipped_label_maps
from .presentation import plural
from .readers import OVERFLOW, read_cells
from .rules import DEFAULT_SCALES, DETRACTOR_TO, PROMOTER_FROM

#: Question wordings by role, in English, Norwegian, Danish and Swedish.
WORDING = {
    "nps": r"recommend|anbefal|rekommend|\bnps\b",
    "csat": r"satisf|fornøyd|tilfreds|nöjd|\bcsat\b|tilfredshet",
    "ces": r"easy to|effort|\bces\b|lett å|enkelt å|nemt at|let at|lätt att|enkelt att|ansträng|anstreng|innsats",
    "timestamp": r"date|time|stamp|submit|created|recorded|dato|tidspunkt|tidsmerke|tidsstempel|datum|tidst|"
    r"posted|published|publisert|publicerad|sent\b",
    "response_id": r"^#$|^id$|^id\b|respon(se|dent)[ _]?id|responseid|_recordid|token|svar-?id|svar ?nr",
    "customer_id": r"(customer|kunde|kund|client|person|requester).{0,3}(id|nr|number|nummer)|^person$",
    "language": r"language|språk|sprog|userlanguage|locale",
    "channel": r"channel|kanal",
    "touchpoint": r"touchpoint|kontaktpunkt|berøringspunkt|beröringspunkt",
    "comment": r"comment|why|reason|rationale|kommentar|hvorfor|varför|tell us|anything else|feedback|improv|"
    r"forbedr|förbättr|bedre|bättre|better|begrunn|strengths|weakness|fortell|berätta|fortæl|open-ended|"
    r"free text|_text$|^text$|\breview$|^review text|message|melding|meddelande|besked|^tekst$|^post$|^body$|"
    r"kommentaar|remark|fri ?tekst|fritext|tilbakemelding|tilbagemelding|återkoppling|bemærkning|anmärkning|merknad",
    "weight": r"^weight|^vekt|^vægt|^vikt",
}
#: Columns that hold personal data or survey-tool bookkeeping: described, never mapped.
CONTACT = (
    r"e-?mail|ip.?ad|recipient|empfänger|phone|telefon|mobil|"
    r"latitude|longitude|breitengrad|längengrad|\burl\b|permalink|address|adresse|network id"
)
#: A person's name: by wording (English, Norwegian, Danish, Swedish), unless it names an organisation.
PERSON_NAME = (
    r"^name$|^navn$|^namn$|(first|last|full|given|family|sur|display|consumer|customer|client|contact|"
    r"respondent|reviewer|user)[ _]?name|reviewer|author|forfatter|författare|fornavn|etternavn|efternavn|"
    r"förnamn|kundenavn|kundnamn|kundens navn|fulde navn"
)
AMBIGUOUS_NAME = r"^(name|navn|namn)$"
ORGANISATION = r"company|brand|business|merchant|store|shop|firma|selskap|bedrift|butikk|produkt|product|merke"
#: A name column whose values repeat this much (distinct answers per answer) names a company, not people.
ORGANISATION_NAME_SHARE = 0.2
ORGANISATION_NAME_ROWS = 20  # fewer answers cannot tell: the column is taken as people's names
#: Social media handles: @names in the values, or a header naming them.
HANDLE_VALUE = r"@[A-Za-z0-9_.]{1,30}"
HANDLE_SHARE = 0.5
HANDLE_WORDING = (
    r"^(social |twitter |instagram |x )?handles?$|user ?name|screen[ _]?name|^user$|brukernavn|brugernavn|användarnamn"
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
#: Answers a yes/no flag is written in (a column holding only these is never a 0-10 score).
YES_NO = ("0", "1", "0.0", "1.0", "yes", "no", "true", "false", "ja", "nei", "nej", "y", "n")
#: An id a spreadsheet stored as a number and wrote back in scientific notation.
SCIENTIFIC_ID = r"\d(?:[.,]\d+)?[eE]\+\d+"

# Wordings and thresholds the role scores use (see the weights beside each scoring function).
#: A header naming a score without saying which: NPS when its answers run 0-10.
SCORE_NAME = r"score|rating|likelihood|poeng|karakter|betyg|vurdering"
#: A header naming an overall rating (review_score, Rating, Stars): the CSAT when nothing is worded as one.
RATING_NAME = r"^(star )?rating$|^score$|^stars?$|review.?score|review.?rating|overall.?(rating|score)|"
RATING_NAME += r"satisfaction.?score|^karakter$|^vurdering$|^betyg$|^terningkast$"
OVERALL = r"overall|all in all|alt i alt|samlet|totalt|helhet|generally"
BUY_AGAIN = r"buy again|again|repurchase|kjøpe igjen|handle igjen|købe igen|köpa igen|come back|would_buy"
#: Wordings of a measure: a yes/no column worded so is left out with its reason rather than made a segment.
MEASURE_WORDING = r"recommend|anbefal|rekommend|satisf|fornøyd|tilfreds|nöjd|rating|score|nps|csat"
#: The lowest top answer of an NPS column: answers must reach well beyond 0-5.
NPS_LOWEST_TOP = 7
#: Distinct answers that show an NPS column spreads over its scale.
NPS_SPREAD_LEVELS = 6
ID_NAME = r"\bid\b|\buuid\b|\bguid\b|\bref\b|reference|referanse|\bnr\b|\bno\.?$|number|nummer|^#$|token|\bkey\b"
RESPONSE_NAME = r"respon[sd]|review|survey|answer|submission|\bpost\b|tweet|svar|besvarelse|record|entry|^#$"
OTHER_THING = (
    r"order|ticket|customer|kunde|\bkund\b|client|\bcase\b|invoice|product|item|session|account|store|"
    r"\buser\b|collector|external|panel|contact|transaction|sak\b|ordre"
)
#: Distinct answers per answer for a unique (or nearly unique) id.
UNIQUE_SHARE = 0.98
NEARLY_UNIQUE_SHARE = 0.9
NOT_THE_ANSWER_TIME = r"^start|stage|updated|anfang|birth|født|född|expir|\bdue\b|\bid\b"
#: A text column with at most this many distinct answers, at most this share of its answers, is a category.
CATEGORY_LEVELS = 30
CATEGORY_SHARE = 0.3
#: A header that names a comment field (not a reason or a "why"), in English, Norwegian, Danish and Swedish: with
#: sentences in it the column is free text however often its answers repeat, never a category or a segment.
COMMENT_HEADER = (
    r"comment|kommentar|kommentaar|remark|feedback|free ?text|fri ?tekst|fritext|fritekst|open[- ]ended|"
    r"tilbakemelding|tilbagemelding|återkoppling|bemærkning|anmärkning|merknad|anything else|tell us|"
    r"message|melding|meddelande"
)
#: Median words per answer that make answers sentences, not reason codes ("Price", "Price too high").
SENTENCE_WORDS = 4
TITLE = r"title|subject|headline|overskrift|tittel|rubrik|emne|ämne"
REPLY = r"reply|repl(ied|ies)|company response|svar fra|svar från|svar fra"
SEGMENT_LEVELS = 20
#: A headline where this share of answers is the same one looks implausible.
ONE_ANSWER_SHARE = 0.9


@dataclass
class Profile:
    """What a column's values show: the evidence each role is scored on."""

    present: int = 0  # answers that are not empty
    rows: int = 0
    whole: bool = False  # every number a whole number
    yes_no: bool = False  # two answers at most, each 0/1, yes/no, true/false, ja/nei/nej
    median_chars: float = 0.0
    median_words: float = 0.0
    top_share: float = 0.0  # share of the most common answer
    handle_share: float = 0.0  # share of answers written as @handles
    scientific: list[str] = field(default_factory=list)  # numbers a spreadsheet wrote as 5.70306E+17

    @property
    def answered(self) -> float:
        return self.present / self.rows if self.rows else 0.0


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
    reason: str = ""  # why the role was proposed (or why the column is left out)
    profile: Profile = field(default_factory=Profile)
    position: int = 0

    @property
    def label_name(self) -> str:
        """The name of the label map that reads this column's answers ('' when none does)."""
        return self.labels.name if self.labels is not None else ""

    @property
    def words(self) -> str:
        """The header (also split at camelCase and underscores) and the question, for the wording patterns."""
        split = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", self.column).replace("_", " ").replace("-", " ")
        return " ".join(dict.fromkeys([self.column, split, self.question or ""])).strip()

    @property
    def distinct_share(self) -> float:
        return self.levels / self.profile.present if self.profile.present else 0.0


@dataclass
class Choice:
    """One role inspect filled (or could not fill): the column chosen, why, and the runner-up."""

    role: str
    column: str | None
    reason: str
    runner_up: str | None = None
    runner_up_reason: str = ""

    def text(self) -> str:
        chosen = f"'{self.column}' ({self.reason})" if self.column else f"none ({self.reason})"
        other = f"; runner-up '{self.runner_up}' ({self.runner_up_reason})" if self.runner_up else ""
        return f"{self.role}: {chosen}{other}"


@dataclass
class Inspection:
    """An export as the assistant sees it."""

    path: Path
    how: dict
    layout: str
    rows: int
    columns: list[ColumnGuess]
    notes: list[str]
    choices: list[Choice] = field(default_factory=list)
    #: The report language proposed: the one most of the customers' comments (else the questions) are in.
    language: str = "en"

    def role(self, role: str) -> list[ColumnGuess]:
        return [c for c in self.columns if c.role == role]

    @property
    def warnings(self) -> list[str]:
        return [n for n in self.notes if n.startswith("warning:")]


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


def _profile(present: pd.Series, rows: int, numbers: pd.Series) -> Profile:
    text = present.astype("string").str.strip()
    counts = text.str.lower().value_counts()
    return Profile(
        present=len(text),
        rows=rows,
        whole=bool((numbers.dropna() == numbers.dropna().round()).all()),
        yes_no=0 < len(counts) <= 2 and set(counts.index) <= set(YES_NO),
        median_chars=float(text.str.len().median()),
        median_words=float(text.str.count(r"\S+").median()),
        top_share=float(counts.iloc[0] / len(text)),
        handle_share=float(text.str.fullmatch(HANDLE_VALUE).mean()),
        scientific=text[text.str.fullmatch(SCIENTIFIC_ID)].tolist(),
    )


def _dates(values: pd.Series) -> pd.Series:
    """The values read as dates; numbers the date reader cannot take are not dates."""
    try:
        return parse_dates(values)[0]
    except (TypeError, ValueError, OverflowError):  # e.g. 13-digit ids read as Unix milliseconds
        return pd.Series(pd.NaT, index=values.index)


def _describe(column: str, values: pd.Series, question: str) -> ColumnGuess:
    present = values.dropna()
    present = present[present.astype("string").str.strip() != ""]
    levels = present.astype("string").nunique()
    examples = list(dict.fromkeys(present.astype("string").str.slice(0, 40)))[:3]
    guess = ColumnGuess(column, "empty", examples, question=question if question != column else None, levels=levels)
    guess.profile.rows = len(values)
    if present.empty:
        return guess
    numbers = leading_scores(present)
    guess.profile = _profile(present, len(values), numbers)
    dates = _dates(present.head(1000))  # the form of the dates shows in the first thousand
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
        if strays and guess.high <= 10:
            guess.notes.append(
                f"{plural(len(strays), 'answer')} off a 0-10 scale or not numbers, quarantined when read: "
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


# --- Personal data ------------------------------------------------------------------------------


def _personal_reason(guess: ColumnGuess) -> str | None:
    """Why a column holds personal data (never mapped), or None when it does not."""
    words, profile = guess.words, guess.profile
    if _matches(CONTACT, words):
        return "contact details, an address or a location of a person"
    if profile.handle_share >= HANDLE_SHARE:
        return f"social media handles ({profile.handle_share:.0%} of answers are @names)"
    if _matches(HANDLE_WORDING, guess.column.strip()):
        return "a user name or social media handle"
    if not _matches(PERSON_NAME, words) or _matches(ORGANISATION, words):
        return None
    if (
        _matches(AMBIGUOUS_NAME, guess.column.strip())
        and profile.present >= ORGANISATION_NAME_ROWS
        and guess.distinct_share <= ORGANISATION_NAME_SHARE
    ):
        guess.notes.append(
            f"the same few names on most rows ({guess.levels} distinct in {profile.present} answers): "
            "a company, brand or placeholder, not a person"
        )
        return None
    return f"a person's name ({guess.levels} distinct in {profile.present} answers)"


# --- Scoring: one function per role, each adding named weights -----------------------------------


@dataclass
class Score:
    """The evidence for one column in one role: points from named weights, or why it is ruled out."""

    weights: dict[str, float]
    points: float = 0.0
    reasons: list[str] = field(default_factory=list)
    ruled_out: str | None = None

    def add(self, weight: str, reason: str, share: float = 1.0) -> None:
        self.points += self.weights[weight] * share
        self.reasons.append(reason)

    def rule_out(self, reason: str) -> Score:
        self.ruled_out = self.ruled_out or reason
        return self

    def text(self) -> str:
        if self.ruled_out:
            return f"ruled out: {self.ruled_out}"
        return ", ".join(self.reasons) + f"; score {self.points:g}"


def _values_text(guess: ColumnGuess) -> str:
    if guess.low is None or guess.high is None:
        return guess.kind
    return f"answers {guess.low:g}-{guess.high:g}"


def _rating_like(guess: ColumnGuess) -> bool:
    """Whole numbers within 0-10 (a rating scale) on a column not asking about a fact."""
    return (
        guess.kind == "whole number"
        and guess.low is not None
        and guess.high is not None
        and guess.low >= 0
        and guess.high <= 10
        and not _matches(NOT_A_RATING, guess.words)
    )


NPS_WEIGHTS = {"wording": 3.0, "zero_to_ten": 1.5, "spread": 1.0, "score_name": 1.0}
NPS_THRESHOLD = 3.0


def _score_nps(guess: ColumnGuess) -> Score:
    score = Score(NPS_WEIGHTS)
    if _matches(WORDING["nps"], guess.words):
        score.add("wording", "worded as a recommendation question")
    likelihood = guess.kind == "text answers" and guess.label_name in (*RATING_MAPS, "likelihood-ends")
    if guess.profile.yes_no:
        return score.rule_out("0/1 or yes/no answers: a yes/no flag, never a 0-10 NPS")
    if not (_rating_like(guess) or likelihood):
        return score.rule_out(f"{_values_text(guess)}: not answers on a 0-10 scale")
    if (guess.high or 0) < NPS_LOWEST_TOP:
        return score.rule_out(f"{_values_text(guess)}: a short scale, not 0-10")
    if guess.low == 0 and (guess.high or 0) >= PROMOTER_FROM:
        score.add("zero_to_ten", "answers from 0 to 9 or 10")
    if guess.levels >= NPS_SPREAD_LEVELS:
        score.add("spread", f"{guess.levels} distinct answers")
    if _matches(SCORE_NAME, guess.words):
        score.add("score_name", "named as a score")
    return score


CSAT_WEIGHTS = {"wording": 3.0, "two_way_labels": 3.0, "rating_name": 2.0, "overall": 1.0, "usual_scale": 0.5}
CSAT_THRESHOLD = 2.5
CSAT_MAPS = ("satisfaction-5", "good-bad", "satisfied-or-not")


def _score_csat(guess: ColumnGuess) -> Score:
    score = Score(CSAT_WEIGHTS)
    worded = _matches(WORDING["csat"], guess.words)
    if worded:
        score.add("wording", "worded as a satisfaction question")
    if guess.kind == "text answers" and guess.label_name in ("good-bad", "satisfied-or-not"):
        score.add("two_way_labels", f"answers read by the {guess.label_name} labels")
    if guess.profile.yes_no and not worded:
        return score.rule_out("0/1 or yes/no answers not worded as satisfaction")
    if not (_rating_like(guess) or (guess.kind == "text answers" and guess.label_name in CSAT_MAPS)):
        return score.rule_out(f"{_values_text(guess)}: not a rating")
    if _matches(RATING_NAME, guess.words) and guess.levels >= 3:
        score.add("rating_name", "named as an overall rating or score")
    if _matches(OVERALL, guess.words):
        score.add("overall", "worded as overall")
    if guess.high in SCALE_TOPS:
        score.add("usual_scale", f"answers up to {guess.high:g}")
    return score


CES_WEIGHTS = {"wording": 3.0}
CES_THRESHOLD = 3.0


def _score_ces(guess: ColumnGuess) -> Score:
    score = Score(CES_WEIGHTS)
    if _matches(WORDING["ces"], guess.words):
        score.add("wording", "worded as an effort question")
    rating_labels = guess.kind == "text answers" and guess.label_name in (*RATING_MAPS, "likelihood-ends")
    if guess.profile.yes_no or not (_rating_like(guess) or rating_labels):
        return score.rule_out(f"{_values_text(guess)}: not a rating")
    return score


FLAG_WEIGHTS = {"wording": 3.0}
FLAG_THRESHOLD = 3.0


def _score_would_buy_again(guess: ColumnGuess) -> Score:
    score = Score(FLAG_WEIGHTS)
    if _matches(BUY_AGAIN, guess.words):
        score.add("wording", "worded as buying again")
    if not guess.profile.yes_no:
        return score.rule_out("not 0/1 or yes/no answers")
    return score


ID_WEIGHTS = {"id_name": 2.0, "response_name": 2.0, "unique": 2.0, "complete": 0.5, "first": 0.5, "other_thing": -3.0}
ID_THRESHOLD = 3.0


def _score_response_id(guess: ColumnGuess) -> Score:
    score = Score(ID_WEIGHTS)
    if not (_matches(ID_NAME, guess.words) or _matches(WORDING["response_id"], guess.words)):
        return score.rule_out("not named as an id")
    score.add("id_name", "named as an id")
    if guess.kind in ("empty", "date", "text answers") or guess.profile.yes_no or guess.profile.median_words > 1:
        return score.rule_out(f"{guess.kind}: not id values")
    if _matches(RESPONSE_NAME, guess.words):
        score.add("response_name", "names a response, review or post")
    duplicates = guess.profile.present - guess.levels
    if guess.distinct_share >= UNIQUE_SHARE:
        score.add(
            "unique", "unique on every row" if not duplicates else f"unique but for {plural(duplicates, 'repeat')}"
        )
    elif guess.distinct_share >= NEARLY_UNIQUE_SHARE:
        score.add("unique", f"nearly unique ({duplicates} repeated)", share=0.5)
    if guess.profile.answered >= 0.98:
        score.add("complete", "on every row")
    if guess.position == 0:
        score.add("first", "the first column")
    if _matches(OTHER_THING, guess.words):
        score.add("other_thing", "names another thing (an order, a ticket, a customer)")
    return score


CUSTOMER_WEIGHTS = {"wording": 3.0}
CUSTOMER_THRESHOLD = 3.0


def _score_customer_id(guess: ColumnGuess) -> Score:
    score = Score(CUSTOMER_WEIGHTS)
    if _matches(WORDING["customer_id"], guess.words):
        score.add("wording", "named as a customer id")
    if guess.kind in ("empty", "date", "free text"):
        return score.rule_out(f"{guess.kind}: not id values")
    return score


TIMESTAMP_WEIGHTS = {"date": 1.0, "wording": 2.0, "not_the_answer_time": -3.0}
TIMESTAMP_THRESHOLD = 1.0


def _score_timestamp(guess: ColumnGuess) -> Score:
    score = Score(TIMESTAMP_WEIGHTS)
    if not guess.kind.startswith("date"):
        return score.rule_out("not dates")
    score.add("date", "dates")
    if _matches(WORDING["timestamp"], guess.words):
        score.add("wording", "named as the time of the answer")
    if _matches(NOT_THE_ANSWER_TIME, guess.words):
        score.add("not_the_answer_time", "named as a start, update or other date")
    return score


COMMENT_WEIGHTS = {
    "length": 1.0,  # per hundred characters (median answer), up to two hundred
    "words": 1.0,
    "varied": 2.0,
    "wording": 1.5,
    "answered": 0.5,
    "title": -2.0,
    "reply": -2.0,
    "sentences": 1.0,
}
COMMENT_THRESHOLD = 2.0


def _comment_sentences(guess: ColumnGuess) -> bool:
    """A column headed as a comment field whose answers are sentences: free text, even when few texts repeat."""
    return (
        guess.kind in ("free text", "categories")
        and _matches(COMMENT_HEADER, guess.column)
        and not _matches(SCALE_WORDING, guess.words)
        and guess.profile.median_words >= SENTENCE_WORDS
    )


def _score_comment(guess: ColumnGuess) -> Score:
    score, profile = Score(COMMENT_WEIGHTS), guess.profile
    if _matches(WORDING["comment"], guess.words) and not _matches(SCALE_WORDING, guess.words):
        score.add("wording", "worded as a comment")
    if guess.kind not in ("free text", "categories"):
        return score.rule_out(f"{_values_text(guess)}: not free text")
    if guess.kind == "categories" and not score.points:
        return score.rule_out(f"short answers (median {profile.median_chars:.0f} characters), not worded as a comment")
    if _comment_sentences(guess) and guess.distinct_share < CATEGORY_SHARE:
        score.add(
            "sentences",
            f"sentences under a comment header, not a category ({guess.levels} distinct over {profile.present} rows)",
        )
    elif guess.levels <= CATEGORY_LEVELS and guess.distinct_share < CATEGORY_SHARE:
        return score.rule_out(f"a category: {guess.levels} distinct answers repeated over {profile.present} rows")
    score.add("length", f"median {profile.median_chars:.0f} characters", share=min(profile.median_chars, 200) / 100)
    if profile.median_words >= 5:
        score.add("words", f"median {profile.median_words:.0f} words")
    if guess.distinct_share >= 0.8:
        score.add("varied", f"{guess.distinct_share:.0%} distinct")
    elif guess.distinct_share >= 0.5:
        score.add("varied", f"{guess.distinct_share:.0%} distinct", share=0.5)
    if profile.answered >= 0.3:
        score.add("answered", f"{profile.answered:.0%} answered")
    if _matches(TITLE, guess.words):
        score.add("title", "named as a title")
    if _matches(REPLY, guess.words):
        score.add("reply", "named as the company's reply")
    return score


@dataclass(frozen=True)
class Role:
    """A role one column fills: how it is scored and the lowest score that fills it."""

    title: str  # as listed in inspect's output
    name: str  # the canonical column
    score: Callable[[ColumnGuess], Score]
    threshold: float


#: The roles in the order they pick a column (a column picked by one is not offered to the next).
ROLES = (
    Role("timestamp", "submitted_at", _score_timestamp, TIMESTAMP_THRESHOLD),
    Role("response id", "response_id", _score_response_id, ID_THRESHOLD),
    Role("customer id", "customer_id", _score_customer_id, CUSTOMER_THRESHOLD),
    Role("NPS", "nps", _score_nps, NPS_THRESHOLD),
    Role("CSAT", "csat", _score_csat, CSAT_THRESHOLD),
    Role("CES", "ces", _score_ces, CES_THRESHOLD),
    Role("yes/no flag", "would_buy_again", _score_would_buy_again, FLAG_THRESHOLD),
    Role("free text (comment)", "comment", _score_comment, COMMENT_THRESHOLD),
)
HEADLINES = ("nps", "csat", "ces")


def _choose(role: Role, guesses: list[ColumnGuess]) -> Choice:
    """The best-scoring free column for a role, with the runner-up (a column ruled out but worded for it counts)."""
    scored = [(g, role.score(g)) for g in guesses if g.role == "not used"]
    ranked = sorted(
        [(g, s) for g, s in scored if not s.ruled_out], key=lambda pair: -pair[1].points
    )  # stable: ties go to the column further left
    worded_out = [(g, s) for g, s in scored if s.ruled_out and s.points > 0]
    if not ranked or ranked[0][1].points < role.threshold:
        near = (ranked[:1] if ranked and ranked[0][1].points > 0 else []) + worded_out
        reason = "no column scores high enough"
        if near:
            return Choice(role.title, None, reason, near[0][0].column, near[0][1].text())
        return Choice(role.title, None, reason)
    chosen, score = ranked[0]
    chosen.role, chosen.name, chosen.reason = role.title, role.name, score.text()
    if role.name == "nps":
        chosen.low, chosen.high = 0, 10
    others = [(g, s) for g, s in ranked[1:2] if s.points > 0] + worded_out[:1]
    if others:
        return Choice(role.title, chosen.column, score.text(), others[0][0].column, others[0][1].text())
    return Choice(role.title, chosen.column, score.text())


def _fallback_role(guess: ColumnGuess) -> None:
    """The role of a column no scored role took: a second comment, a rating, a segment, or not used."""
    words, kind = guess.words, guess.kind
    rating_labels = kind == "text answers" and guess.label_name in (*RATING_MAPS, "likelihood-ends")
    comment = _score_comment(guess)
    if _score_response_id(guess).points >= ID_THRESHOLD:
        guess.role, guess.reason = "another id (not used)", "named as an id"
    elif (
        (kind == "free text" or _comment_sentences(guess))
        and not comment.ruled_out
        and comment.points >= COMMENT_THRESHOLD
    ):
        guess.role, guess.reason = "free text (a second comment column, not used)", comment.text()
    elif _comment_sentences(guess):  # sentences are never a segment
        guess.reason = f"text, but not the comment ({comment.text()})"
    elif _matches(WORDING["language"], words) and kind == "categories":
        guess.role, guess.name = "language", "language"
    elif _matches(WORDING["touchpoint"], words) and kind == "categories":
        guess.role, guess.name = "touchpoint", "touchpoint"
    elif _matches(WORDING["channel"], words) and kind == "categories":
        guess.role, guess.name = "channel", "channel"
    elif _matches(TITLE, words) and kind in ("free text", "categories"):
        guess.reason = f"a title (median {guess.profile.median_chars:.0f} characters), not the comment"
    elif guess.profile.yes_no and _matches(MEASURE_WORDING, words):
        guess.reason = "0/1 or yes/no answers: a yes/no flag, never a 0-10 NPS; no yes/no role of the config fits it"
    elif (_rating_like(guess) and not guess.profile.yes_no) or rating_labels:
        guess.role, guess.reason = "attribute rating", f"{_values_text(guess)} without a headline question's wording"
    elif kind in ("categories", "whole number", "text answers") and 2 <= guess.levels <= SEGMENT_LEVELS:
        guess.role, guess.reason = "segment", f"{guess.levels} groups"
    elif guess.levels == 1:
        guess.reason = "the same answer on every row"
    elif not comment.ruled_out and comment.points > 0:
        guess.reason = f"text, but not the comment ({comment.text()})"
    else:
        guess.reason = f"{_values_text(guess)}, {guess.levels} distinct"


def _warnings(guesses: list[ColumnGuess]) -> list[str]:
    """A headline that looks implausible: two distinct answers, or nearly every answer the same or at one end."""
    warnings = []
    for guess in guesses:
        if guess.name not in HEADLINES or guess.profile.present == 0:
            continue
        said = f"warning: the {guess.role} from '{guess.column}' looks implausible: "
        if guess.levels <= 2:
            warnings.append(said + f"only {plural(guess.levels, 'distinct answer')}; check it is not a yes/no column")
        elif guess.profile.top_share >= ONE_ANSWER_SHARE:
            warnings.append(said + f"{guess.profile.top_share:.0%} of answers are the same")
        elif guess.name == "nps" and ((guess.high or 0) <= DETRACTOR_TO or (guess.low or 0) >= PROMOTER_FROM):
            warnings.append(said + "every answer at one end of the 0-10 scale")
    return warnings


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
    for position, guess in enumerate(guesses):
        guess.position = position
        guess.split = any(other.startswith(f"{guess.column} (") for other in frame.columns)
        personal = _personal_reason(guess)
        if personal:
            guess.role, guess.reason = "personal data (never mapped)", personal
            guess.examples = []  # not printed on the console either
    notes = list(adapted.notes)
    choices = [_choose(ROLES[0], guesses)]  # an end date may be the timestamp; other bookkeeping is never used
    for guess in guesses:
        if guess.role == "not used" and _matches(BOOKKEEPING, guess.words):
            guess.role = "survey-tool bookkeeping (not used)"
        elif guess.role == "not used" and guess.split:
            guess.role = "split by survey type (not used)"
    choices += [_choose(role, guesses) for role in ROLES[1:3]]
    for guess in guesses:  # ids of other things are no score or comment
        if guess.role == "not used" and _matches(OTHER_ID, guess.column):
            guess.role, guess.reason = "another id (not used)", "named as the id of another thing"
    choices += [_choose(role, guesses) for role in ROLES[3:]]
    for guess in guesses:
        if guess.role == "not used":
            _fallback_role(guess)
    taken: set[str] = set()
    for guess in guesses:
        if guess.role in ("attribute rating", "segment"):
            guess.name = config_name(guess.column, taken)
        if guess.unknown_labels and guess.role in ("NPS", "CSAT", "CES", "attribute rating"):
            guess.notes.append(
                f"answers not in the label map {guess.label_name}, quarantined when read: "
                + ", ".join(f"{label!r} ({n})" for label, n in guess.unknown_labels.items())
            )
        if guess.profile.scientific and guess.name in ("response_id", "customer_id"):
            notes.append(
                f"warning: {plural(len(guess.profile.scientific), 'id')} in '{guess.column}' "
                f"{'is' if len(guess.profile.scientific) == 1 else 'are'} written in scientific "
                f"notation (e.g. {guess.profile.scientific[0]}): a spreadsheet stored them as numbers and destroyed "
                "their last digits; those rows are quarantined as mangled ids. Export the ids as text."
            )
    notes += _warnings(guesses)
    if not any(g.role in ("NPS", "CSAT", "CES", "attribute rating", "free text (comment)") for g in guesses):
        notes.append(
            "no NPS, CSAT, CES, rating or comment column found: this file alone cannot make a "
            "customer-experience book (every row would be quarantined as 'no score, rating or comment')"
        )
    return Inspection(path, how, adapted.layout, len(frame), guesses, notes, choices, _report_language(frame, guesses))


def _report_language(frame: pd.DataFrame, guesses: list[ColumnGuess]) -> str:
    """The report language (en, nb, da, sv) most of the export's comments are written in; without comments,
    the language of its questions; English when neither is in one of the four."""
    from .themes import CODING_LANGUAGE, detect_language

    comments = [g.column for g in guesses if g.role == "free text (comment)"]
    if comments:
        text = frame[comments[0]].dropna().astype(str).drop_duplicates().head(2_000)
    else:
        text = pd.Series([" ".join(g.question for g in guesses if g.question and g.question != g.column)])
    found = detect_language(text).map(CODING_LANGUAGE).dropna()
    return str(found.mode().iloc[0]) if not found.empty else "en"


def _listed(choices: list[Choice]) -> list[Choice]:
    """The choices worth listing: a column chosen, or a runner-up that came close or was ruled out."""
    return [c for c in choices if c.column or c.runner_up]


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
        "report": {"language": inspection.language, "period": "quarter"},
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
    head += [f"# {_comment_safe(warning, 280)}" for warning in inspection.warnings]
    for choice in _listed(inspection.choices):
        head.append(f"# chosen {_comment_safe(choice.text(), 280)}")
    for guess in inspection.role("personal data (never mapped)"):
        head.append(f"# left out for privacy: {_comment_safe(guess.column)} ({_comment_safe(guess.reason, 120)})")
    for guess in inspection.role("not used"):
        if guess.profile.yes_no and guess.reason:
            head.append(f"# left out: {_comment_safe(guess.column)} ({_comment_safe(guess.reason, 160)})")
    zero_rated = [g for g in inspection.role("attribute rating") if g.low == 0 and g.kind == "whole number"]
    if zero_rated:
        head.append(
            "# Some ratings use 0: if 0 means 'not rated', add under the source "
            "'not_rated: {attributes: [0]}' and set scales.attributes to start at 1."
        )
    head.append(
        f"# The report is written in {config['report']['language']} (report.language: en, nb, da or sv), "
        "the language most comments are in; the book's title is the report language's default."
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
        if g.reason and g.role not in ("NPS", "CSAT", "CES", "timestamp", "response id", "free text (comment)"):
            lines.append(f"  {'':<48} why: {g.reason}")
    listed = _listed(inspection.choices)
    if listed:
        lines += ["", "  choices (reason, and the runner-up):"] + [f"  - {c.text()}" for c in listed]
    return "\n".join(lines)


__all__ = ["WORDING", "ColumnGuess", "Inspection", "config_text", "inspect_file", "proposed_config", "report_text"]
