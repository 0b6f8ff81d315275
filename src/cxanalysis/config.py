"""The client config: one YAML file per client, validated by a typed model.

Relative paths in a config resolve against the config file's folder, never
against the working directory, so a build runs the same from anywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit, urlunsplit

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .errors import CXInputError
from .labels import label_maps, shipped_label_maps
from .paths import SAMPLE_CONFIG
from .presentation import TEST_LANGUAGES
from .privacy import check_pattern
from .rules import DEFAULT_ALPHA, DEFAULT_SCALES

#: Canonical response columns a source column can map to (besides the
#: client's declared segment and attribute columns).
CANONICAL_COLUMNS = (
    "response_id",
    "submitted_at",
    "survey",
    "touchpoint",
    "channel",
    "customer_id",
    "nps",
    "csat",
    "ces",
    "comment",
    "language",
    "weight",
    "would_buy_again",
    "team",
    "agent",
)


def _resolve_path(value: Path, info: ValidationInfo) -> Path:
    base = (info.context or {}).get("base_dir")
    value = Path(value).expanduser()
    if not value.is_absolute() and base is not None:
        value = Path(base) / value
    return value.resolve() if value.is_absolute() else value


ConfigPath = Annotated[Path, AfterValidator(_resolve_path)]
Scale = tuple[int, int]


#: A moment whose day, month and year differ, to try a date format on.
_DATE_FORMAT_PROBE = dt.datetime(2025, 3, 4, 14, 5, 6, tzinfo=dt.UTC)
_DATE_FORMAT_EXAMPLES = (
    "e.g. '%d.%m.%Y' for 04.03.2025, '%m/%d/%Y' for 03/04/2025 or '%Y-%m-%d %H:%M' for 2025-03-04 14:05"
)


def _reads_probe(date_format: str) -> bool:
    """Whether a format writes and reads back the probe's day, month and year, as dates are read (by pandas)."""
    import pandas as pd  # here, not at import: reading a config should not wait for pandas

    try:
        parsed = pd.to_datetime(_DATE_FORMAT_PROBE.strftime(date_format), format=date_format)
    except (ValueError, TypeError):
        return False
    return (parsed.year, parsed.month, parsed.day) == (2025, 3, 4)


def _as_strftime(written: str) -> str | None:
    """A date pattern written the spreadsheet way (dd/mm/yyyy, yyyy-MM-dd HH:mm) in strftime codes, if it reads."""
    text = re.sub(r"(?i)yyyy", "%Y", written)
    text = re.sub(r"(?i)yy", "%y", text)
    text = re.sub(r"(?i)dd", "%d", text)
    text = re.sub(r"(?i)hh", "%H", text)
    text = re.sub(r"(?i)(?<=:)mm|mm(?=:)", "%M", text)  # minutes sit beside a colon
    text = re.sub(r"(?i)mm", "%m", text)
    text = re.sub(r"(?i)ss", "%S", text)
    if text == written or re.search(r"(?<!%)[A-SU-Za-z]", text) or not _reads_probe(text):
        return None
    return text


def check_date_format(date_format: str | None) -> str | None:
    """A source's date_format must be strftime codes that give a day, a month and a year."""
    if date_format is None or date_format in ("ISO8601", "mixed") or _reads_probe(date_format):
        return date_format  # pandas' own names for ISO 8601 and for each date read by itself are formats too
    suggestion = _as_strftime(date_format)
    if suggestion is not None:
        raise ValueError(
            f"{date_format!r} is not a strftime format; write {suggestion!r} for it "
            f"(codes: %d day, %m month, %Y year, %H:%M time), {_DATE_FORMAT_EXAMPLES}"
        )
    if "%" not in date_format:
        problem = "has no % codes"
    else:
        import pandas as pd

        try:
            pd.to_datetime(_DATE_FORMAT_PROBE.strftime(date_format), format=date_format)
            problem = "does not give a day, a month and a year"
        except (ValueError, TypeError) as exc:
            problem = f"cannot be read ({exc})"
    raise ValueError(
        f"{date_format!r} {problem}; a date_format is strftime codes (%d day, %m month, %Y year, %H:%M time), "
        f"{_DATE_FORMAT_EXAMPLES}; or leave it out to read the dates as written"
    )


class StrictModel(BaseModel):
    """A settings file's model: unknown keys are refused (a typo is an error) and values are read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Client(StrictModel):
    name: str = Field(min_length=1, description="Client name as printed in the book")
    slug: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        description="Short lower-case id; names the build folder",
    )


class Report(StrictModel):
    language: Literal["en", "nb", "da", "sv"] = Field(
        default="en",
        description="The language the report is written in: en (English), nb (Norwegian bokmål), da (Danish), "
        "sv (Swedish); numbers and dates follow it",
    )
    title: str | None = Field(
        default=None,
        description="The book's title; empty: 'Customer experience report' in the report's language. This and "
        "the other texts of the report (subtitle, notice, prepared_by, confidentiality) may be given per "
        "language: {en: ..., nb: ..., da: ..., sv: ...}",
    )
    subtitle: str | None = None
    period: Literal["month", "quarter"] = "quarter"
    partial_period: Literal["leave_out", "report"] = Field(
        default="leave_out",
        description=(
            "A latest period with fewer than half the usual responses (an export taken early in a quarter): "
            "leave_out reports up to the last complete period and says so; report includes it as the latest"
        ),
    )
    notice: str | None = Field(default=None, description="A note shown at the top of the executive summary")

    @field_validator("language", mode="before")
    @classmethod
    def _bokmal(cls, value: object) -> object:
        """YAML reads an unquoted ``no`` as false: the Norwegian a consultant meant is bokmål, nb."""
        if value is False:
            raise ValueError("an unquoted no reads as false in YAML; write nb for Norwegian (bokmål)")
        return "nb" if isinstance(value, str) and value.strip().casefold() in ("no", "nb-no", "nb_no") else value

    @property
    def heading(self) -> str:
        """The book's title as the client gave it, or the default title in the report's language."""
        from .translation import _

        return self.title or _("Customer experience report")

    prepared_by: str = Field(
        default="",
        description="Who prepared the report, as printed on the PDF's title page and in every page's footer "
        "(e.g. 'Prepared by Fjordvik Insight AS'); empty: the footer names the client",
    )
    confidentiality: str = Field(
        default="",
        description="The confidentiality line printed on the PDF's title page and in every page's footer "
        "(e.g. 'Confidential: prepared for the leadership team'); empty: none",
    )


class Scales(StrictModel):
    nps: Scale = DEFAULT_SCALES["nps"]
    csat: Scale = DEFAULT_SCALES["csat"]
    ces: Scale = DEFAULT_SCALES["ces"]
    attributes: Scale = DEFAULT_SCALES["attributes"]

    @model_validator(mode="after")
    def _ordered(self) -> Scales:
        for name in ("nps", "csat", "ces", "attributes"):
            low, high = getattr(self, name)
            if low >= high:
                raise ValueError(f"{name}: the lowest score must be below the highest, got [{low}, {high}]")
        return self


class _FileSpec(StrictModel):
    path: ConfigPath
    format: Literal["csv", "xlsx", "parquet", "duckdb"] | None = Field(
        default=None, description="Read from the file extension when not given (.duckdb: a DuckDB database)"
    )
    table: str | None = Field(
        default=None,
        description="The table (or view) to read from a DuckDB database file (format duckdb), e.g. 'responses' "
        "or 'cx.responses'; the rows are summed and checked as a file's are",
    )
    sheet: str | int | None = Field(default=None, description="XLSX sheet name or index")
    encoding: str | None = Field(default=None, description="CSV encoding; detected when not given")
    delimiter: str | None = Field(default=None, description="CSV delimiter; detected when not given")

    @field_validator("delimiter")
    @classmethod
    def _one_character(cls, delimiter: str | None) -> str | None:
        if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
            raise ValueError(
                f"a CSV delimiter is one character other than a quote or a line break, got {delimiter!r}; "
                "write e.g. ';', ',' or '|', or \"\\t\" (in double quotes) for a tab, or leave it out to detect it"
            )
        return delimiter

    @model_validator(mode="after")
    def _table_of_a_database(self) -> _FileSpec:
        if self.file_format == "duckdb" and not self.table:
            raise ValueError(f"{self.path.name} is a DuckDB database: name the table to read with 'table'")
        if self.table and self.file_format not in ("duckdb", "connection"):
            raise ValueError(
                f"'table' names a table of a DuckDB database; {self.path.name} is a {self.file_format} file"
            )
        return self

    @property
    def file_format(self) -> str:
        if self.format:
            return self.format
        suffix = self.path.suffix.lower().lstrip(".")
        return {"xls": "xlsx", "xlsm": "xlsx", "txt": "csv", "tsv": "csv", "pq": "parquet", "ddb": "duckdb"}.get(
            suffix, suffix
        )


def blank_password(url: str) -> str:
    """A connection URL with its password (if any) written as ``***``, for a message.

    >>> blank_password("postgres://ana:secret@db.example.com:5432/cx")
    'postgres://ana:***@db.example.com:5432/cx'
    """
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return re.sub(r"(//[^/@]*?:)[^@/]*@", r"\1***@", url)
    if not password:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def ibis_backends() -> list[str]:
    """The names of the Ibis backends installed (a connection URL's scheme names one)."""
    from importlib.metadata import entry_points

    return sorted({entry.name for entry in entry_points(group="ibis.backends")})


#: The stand-in ``path`` of a source read by ``connection`` (it names no file; the loaders say so).
CONNECTION_PATH_SUFFIX = ".connection"


def _check_connection(name: str, url: str) -> None:
    """A connection URL must read as ``backend://...`` with a backend Ibis has; the message blanks its password."""
    shown = blank_password(url)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is no number raises here
    except ValueError as exc:
        raise ValueError(f"source {name!r}: the connection {shown!r} is not a URL ({exc})") from None
    if not parts.scheme or not re.fullmatch(r"[a-z][a-z0-9+.-]*", parts.scheme) or "://" not in url:
        raise ValueError(
            f"source {name!r}: the connection {shown!r} is not a URL; write backend://user@host/database "
            "(e.g. postgres://ana@db.example.com/cx, or duckdb:///absolute/path/warehouse.duckdb)"
        )
    backends = ibis_backends()
    backend = parts.scheme.split("+")[0]
    if backends and backend not in backends and backend not in ("postgresql", "file"):
        raise ValueError(
            f"source {name!r}: the connection {shown!r} names the backend {backend!r}, which Ibis does not have "
            f"(it has {', '.join(backends)})"
        )


class Source(_FileSpec):
    path: ConfigPath = Field(description="The export file, or a Parquet pattern (exports/*.parquet)")
    connection: str | None = Field(
        default=None,
        description="An Ibis connection URL whose 'table' holds the answers, instead of 'path', e.g. "
        "postgres://user@host/database or duckdb:///abs/path.duckdb; checked in the engine (cxanalysis.warehouse)",
    )
    name: str = Field(min_length=1, description="Short name of the export, used in messages")
    survey: str | None = Field(default=None, description="Survey name for every row, when no column gives it")
    export: (
        Literal[
            "qualtrics",
            "qualtrics-legacy",
            "surveymonkey",
            "google-forms",
            "typeform",
            "zendesk",
            "delighted",
            "long",
            "wide",
        ]
        | None
    ) = Field(default=None, description="Survey-tool layout of the file; detected from its header when not given")
    columns: dict[str, str] = Field(description="canonical column: column in the file")
    date_format: Annotated[str | None, AfterValidator(check_date_format)] = Field(
        default=None, description="strftime format of submitted_at, e.g. '%d.%m.%Y %H:%M'"
    )
    dayfirst: bool | None = Field(
        default=None,
        description="Read 01.02.2025 as 1 February (true) or 2 January (false); settled from the data when not given",
    )
    collected_on: dt.date | None = Field(
        default=None, description="Date of every response, for an export without a date column"
    )
    labels: dict[str, str] = Field(
        default_factory=dict,
        description="Label map per score column (or 'attributes') whose answers are text, e.g. {csat: satisfaction-5}",
    )
    not_rated: dict[str, list[float]] = Field(
        default_factory=dict,
        description="Score codes meaning 'not rated' per score column (or 'attributes'), e.g. {attributes: [0]}",
    )

    @model_validator(mode="before")
    @classmethod
    def _connection_or_path(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("connection") is None:
            return data
        name, url = str(data.get("name") or "?"), data["connection"]
        if not isinstance(url, str):
            raise ValueError(f"source {name!r}: 'connection' is a URL in quotes, e.g. 'postgres://user@host/db'")
        if data.get("path") is not None:
            raise ValueError(
                f"source {name!r} gives both 'path' and 'connection': a source is read from a file or from a "
                "connection; keep one of them"
            )
        if not data.get("table"):
            raise ValueError(
                f"source {name!r} is read by 'connection': name the table to read with 'table' (schema.table allowed)"
            )
        _check_connection(name, url)
        return {**data, "path": f"{name}{CONNECTION_PATH_SUFFIX}"}

    @property
    def file_format(self) -> str:
        return "connection" if self.connection else super().file_format

    @property
    def file_name(self) -> str:
        """The source's file as the row accounting and the book name it: a connection's table, else the
        file's (or the Parquet pattern's) name."""
        return self.table or "" if self.connection else self.path.name


class OperationalFile(_FileSpec):
    columns: dict[str, str] = Field(default_factory=dict, description="canonical column: column in the file")


#: The metrics a benchmark may give a reference value for (:data:`cxanalysis.metrics.METRIC_KINDS`).
BenchmarkMetric = Literal["nps", "csat", "csat_mean", "ces", "ces_easy"]


class Benchmark(StrictModel):
    """A reference value to hold the client's latest score against (an industry figure, a peer group)."""

    metric: BenchmarkMetric = Field(description="nps, csat (% satisfied), csat_mean, ces (mean) or ces_easy (% easy)")
    value: float = Field(description="The reference value on the metric's own scale (NPS -100 to 100, shares in %)")
    n: int | None = Field(default=None, ge=1, description="Answers behind the reference value, when known")
    interval: tuple[float, float] | None = Field(
        default=None, description="The reference's 95 % interval [low, high], when known (used before n)"
    )
    source: str = Field(min_length=1, description="Where the value comes from, as the book names it")
    year: int | None = Field(default=None, ge=1900, le=2100, description="The year the reference value describes")

    @model_validator(mode="after")
    def _interval_around_value(self) -> Benchmark:
        if self.interval is not None:
            low, high = self.interval
            if not low <= self.value <= high or low == high:
                raise ValueError(
                    f"interval [{low:g}, {high:g}] must lie around the value {self.value:g} (low <= value <= high, "
                    "low below high)"
                )
        return self


class FollowUp(StrictModel):
    """Calling back the detractors and dissatisfied customers of the latest period (closing the loop)."""

    service_level_days: int = Field(
        default=2,
        ge=0,
        le=60,
        description="Working days (Monday to Friday; public holidays are not known) from a customer's answer "
        "to the day their follow-up is due; an answer given on a weekend counts from the next Monday",
    )
    log: OperationalFile | None = Field(
        default=None,
        description="The follow-up log, one row per followed-up answer: response_id and/or customer_id, "
        "contacted_at (date), resolved (flag), resurvey_score (the same question asked again)",
    )


class Anonymity(StrictModel):
    min_responses: int = Field(default=5, ge=1, description="Fewest responses behind a shown number")
    min_comments: int = Field(default=8, ge=1, description="Fewest comments behind shown comments")


class Sampling(StrictModel):
    max_rows: int = Field(
        default=500_000,
        ge=1_000,
        description="Most responses the parts that need individual answers work on (key drivers, comment themes, "
        "effects of changes, examples); above it they use a stratified random sample of this many, and the "
        "book says so, while scores by period and group still come from every response",
    )


class Privacy(StrictModel):
    patterns: dict[str, str] = Field(
        default_factory=dict,
        description="Extra personal-data patterns (regular expressions) redacted from free text, by label; "
        "e-mail addresses, phone numbers, links with query tokens and long digit runs always are",
    )

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, patterns: dict[str, str]) -> dict[str, str]:
        return {name: check_pattern(name, pattern) for name, pattern in patterns.items()}


class Money(StrictModel):
    currency: str = "EUR"
    customers: int | None = Field(default=None, ge=0)
    revenue_per_customer: float | None = Field(default=None, ge=0)
    revenue_period: Literal["month", "year"] = "year"
    churn_if_dissatisfied: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="The churn dissatisfaction adds (churn of dissatisfied minus satisfied customers, 0-1) over "
        "one revenue_period; used when no customers file gives it",
    )


class Significance(StrictModel):
    alpha: float = Field(default=DEFAULT_ALPHA, gt=0, lt=1, description="Significance level after adjustment")
    adjust: Literal["holm", "fdr_bh"] = Field(default="holm", description="Holm, or Benjamini-Hochberg")
    meaningful_change: dict[Literal["nps", "csat", "csat_mean", "ces", "ces_easy"], float] = Field(
        default_factory=dict,
        description="The change a reader cares about per metric (defaults: NPS 5, CSAT 5, CES 0.3)",
    )


class LoggedAction(StrictModel):
    """A change made earlier, whose effect the book estimates."""

    action: str
    touchpoint: str | None = Field(default=None, description="Where the change was made (all touchpoints if empty)")
    start: dt.date = Field(description="First day the change was in place")
    treated: dict[str, list[str]] | None = Field(
        default=None,
        description="The segment levels that got the change, e.g. {region: [Vest]}; "
        "the other levels are the comparison group",
    )
    metrics: list[Literal["nps", "csat", "csat_mean", "ces", "ces_easy"]] = Field(
        default_factory=lambda: ["csat", "ces", "nps"],  # type: ignore[arg-type]  # pydantic validates the literals
        description="Scores to judge the change on",
    )


class Initiative(StrictModel):
    """What will be done about an area of the action plan, as the consultant and the client agree it."""

    initiative: str = Field(description="What will be done, in a line a leader can approve")
    area: str = Field(description="The touchpoint, attribute or theme (id or label) it addresses")
    owner: str | None = Field(default=None, description="Team id (stakeholders file); the area's owner when empty")
    cost: float | None = Field(default=None, ge=0, description="Cost in money.currency, when known")
    expected_uplift: float | None = Field(
        default=None, description="Expected move of the area's metric to watch (points), when known"
    )
    due_months: int | None = Field(
        default=None, ge=1, le=36, description="Months from the latest period to its due date (action_plan.due_months)"
    )


class PlannedWork(StrictModel):
    """Effort of acting on a kind of finding, for the action plan's priorities."""

    effort: dict[str, Literal["low", "medium", "high"]] = Field(
        default_factory=dict, description="Effort per area (touchpoint, attribute or theme id); default medium"
    )
    due_months: int = Field(
        default=6, ge=1, le=36, description="Months from the latest period to each action's due date"
    )
    owners: dict[str, str] = Field(
        default_factory=dict,
        description="Team id owning an attribute or theme's actions (touchpoints take their owner from the journey)",
    )
    initiatives: list[Initiative] = Field(
        default_factory=list,
        description="Named initiatives for areas of the plan; an area without one reads 'initiative to be defined'",
    )


#: How far a margin's shares may sum from 1.
MARGIN_SUM_TOLERANCE = 1e-6
#: Response columns (besides the segments) that raking may weight to, or rake within.
WEIGHTING_COLUMNS = ("survey", "touchpoint", "channel", "language")


def _check_margin(shares: dict[str, float]) -> dict[str, float]:
    total = sum(shares.values())
    if abs(total - 1) > MARGIN_SUM_TOLERANCE:
        listed = ", ".join(f"{level} {share:g}" for level, share in shares.items())
        raise ValueError(
            f"the population shares sum to {total:.6g}, not 1 ({listed}); give every level's share of the "
            "population so that they add up to 1"
        )
    return shares


#: A population margin: each level's share of the population, summing to 1.
Margin = Annotated[dict[str, Annotated[float, Field(gt=0, le=1)]], Field(min_length=1), AfterValidator(_check_margin)]


class Weighting(StrictModel):
    """Raking the responses to known population margins (:mod:`cxanalysis.weighting`)."""

    margins: dict[str, Margin] = Field(
        min_length=1,
        description="Population share of each level, per column, e.g. {region: {Nord: 0.2, Vest: 0.3, ...}}; "
        "a column is a declared segment or survey, touchpoint, channel or language, and each column's shares "
        "sum to 1",
    )
    cap: float = Field(
        default=5.0,
        gt=1,
        description="Weights above cap times the mean weight of their cell are trimmed to it (and the rest raked "
        "again)",
    )
    by: list[str] = Field(
        default_factory=lambda: ["survey", "period"],
        description="Raked within each combination of these columns, so that each one matches the margins "
        "(default: every survey in every period)",
    )


class ClientConfig(StrictModel):
    client: Client
    report: Report = Report()
    sources: list[Source] = Field(min_length=1)
    segments: list[str] = Field(default_factory=list, description="Canonical names of segment columns")
    attributes: list[str] = Field(default_factory=list, description="Canonical names of attribute ratings")
    questions: dict[str, str] = Field(
        default_factory=dict,
        description="Question wording per score or attribute, as customers read it; "
        "by default the column heading in the export",
    )
    display_names: dict[str, str] = Field(
        default_factory=dict,
        description="How the report names an id from the data or the config (a survey, a channel code, a "
        "segment level), e.g. {relational_nps: Relationship survey}; without one, a survey id is turned into "
        "words and a language code into the language's name",
    )
    scales: Scales = Scales()
    journey: ConfigPath | None = None
    themes: ConfigPath | None = Field(
        default=None, description="Theme taxonomy for comments (default: the shipped one)"
    )
    stakeholders: ConfigPath | None = None
    customers: OperationalFile | None = None
    tickets: OperationalFile | None = None
    follow_up: FollowUp = Field(default=FollowUp(), description="Closing the loop: the follow-up list and log")
    agent_satisfaction: OperationalFile | None = Field(
        default=None,
        description="Agent satisfaction (ASAT) per support team and reporting period: team, period (2025Q1 or "
        "2025-03, as report.period), asat (percent of agents satisfied, 0-100) and optionally respondents "
        "(agents who answered); related to CSAT by team and period",
    )
    invitations: OperationalFile | None = Field(
        default=None,
        description="Survey invitations, for response rates: one row per channel and period with the number "
        "invited, or one row per invitation (invited_at, channel); optional survey and margins (region, ...)",
    )
    benchmarks: list[Benchmark] = Field(
        default_factory=list, description="Reference values the client's latest scores are compared with"
    )
    anonymity: Anonymity = Anonymity()
    privacy: Privacy = Privacy()
    sampling: Sampling = Sampling()
    money: Money = Money()
    significance: Significance = Significance()
    answer_labels: dict[str, dict[str, float | None]] = Field(
        default_factory=dict,
        description="The client's own label maps: map name: {answer text: score, or null "
        "for 'not rated'}; a shipped map's name adds to that map",
    )
    action_log: list[LoggedAction] = Field(default_factory=list, description="Changes made, to judge their effect")
    action_plan: PlannedWork = PlannedWork()
    weighting: Weighting | None = Field(
        default=None,
        description="Raking weights to population margins; without it every response weighs its own weight",
    )
    output_dir: ConfigPath = Field(description="Builds go to <output_dir>/<slug>/")
    config_file: Path | None = Field(default=None, exclude=True)
    build_root: Path | None = Field(
        default=None, exclude=True, description="Where a build in progress writes (set by the build, not the config)"
    )

    @model_validator(mode="after")
    def _column_names(self) -> ClientConfig:
        declared = set(self.segments) | set(self.attributes)
        clash = declared & set(CANONICAL_COLUMNS)
        if clash:
            raise ValueError(f"segment or attribute names clash with canonical columns: {sorted(clash)}")
        allowed = set(CANONICAL_COLUMNS) | declared
        for i, source in enumerate(self.sources):
            unknown = sorted(set(source.columns) - allowed)
            if unknown:
                raise ValueError(
                    f"sources[{i}].columns maps unknown canonical names {unknown}; "
                    f"use one of {list(CANONICAL_COLUMNS)} or declare them under 'segments' or 'attributes'"
                )
            if "submitted_at" not in source.columns and source.collected_on is None:
                raise ValueError(
                    f"sources[{i}].columns must map 'submitted_at' (the response date), or the source "
                    "must give 'collected_on' when the export has no date column"
                )
            self._check_labels(i, source)
        for i, logged in enumerate(self.action_log):
            unknown = sorted(set(logged.treated or {}) - set(self.segments))
            if unknown:
                raise ValueError(
                    f"action_log[{i}].treated names {unknown}, which are not declared segments ({self.segments})"
                )
        unworded = sorted(set(self.questions) - {"nps", "csat", "ces", *self.attributes})
        if unworded:
            raise ValueError(f"questions names {unworded}, which are not scores (nps, csat, ces) or attributes")
        names = [s.name for s in self.sources]
        if len(set(names)) != len(names):
            raise ValueError(f"source names must be unique, got {names}")
        self._check_benchmarks()
        return self

    def _check_benchmarks(self) -> None:
        """Each benchmark's value and interval must lie on its metric's scale (shares in %, NPS -100 to 100)."""
        scales = {
            "nps": (-100, 100),
            "csat": (0, 100),
            "ces_easy": (0, 100),
            "csat_mean": self.scales.csat,
            "ces": self.scales.ces,
        }
        for i, benchmark in enumerate(self.benchmarks):
            low, high = scales[benchmark.metric]
            checked = [("value", benchmark.value), *(("interval", bound) for bound in benchmark.interval or ())]
            for name, value in checked:
                if not low <= value <= high:
                    raise ValueError(
                        f"benchmarks[{i}].{name}: {value:g} is outside the {benchmark.metric} scale [{low}, {high}]"
                        + (" (shares are written in %, e.g. 78 for 78 %)" if high == 100 and low == 0 else "")
                    )

    @model_validator(mode="after")
    def _weighting_columns(self) -> ClientConfig:
        if self.weighting is None:
            return self
        known = [*self.segments, *WEIGHTING_COLUMNS]
        for column in self.weighting.margins:
            if column not in known:
                raise ValueError(
                    f"weighting.margins.{column}: {column!r} is neither a declared segment nor a response column "
                    f"the responses can be weighted on; use one of {known}"
                )
        for column in self.weighting.by:
            if column not in [*known, "period"]:
                raise ValueError(
                    f"weighting.by: {column!r} is not a column to rake within; use period or one of {known}"
                )
            if column in self.weighting.margins:
                raise ValueError(
                    f"weighting.by: {column!r} has margins too; a column is either raked to its margin or raked "
                    "within, not both"
                )
        return self

    def _check_labels(self, i: int, source: Source) -> None:
        maps = label_maps(self.answer_labels)
        scores = {
            "nps": self.scales.nps,
            "csat": self.scales.csat,
            "ces": self.scales.ces,
            "attributes": self.scales.attributes,
            **{a: self.scales.attributes for a in self.attributes},
        }
        for key in ("labels", "not_rated"):
            unknown = sorted(set(getattr(source, key)) - set(scores))
            if unknown:
                raise ValueError(
                    f"sources[{i}].{key} names {unknown}, which are not scores (nps, csat, ces), "
                    "'attributes' or a declared attribute"
                )
        for column, name in source.labels.items():
            if name not in maps:
                raise ValueError(
                    f"sources[{i}].labels.{column}: no label map {name!r}; the shipped maps are "
                    f"{sorted(shipped_label_maps())}, or add it under 'answer_labels'"
                )
            low, high = scores[column]
            scale = maps[name].scale
            if scale is not None and (scale[0] < low or scale[1] > high):
                raise ValueError(
                    f"sources[{i}].labels.{column}: the map {name} gives scores {scale[0]:g}-"
                    f"{scale[1]:g}, outside the {column} scale [{low}, {high}] under 'scales'"
                )

    def question(self, column: str) -> str:
        """How customers were asked for a score: the configured wording, else the export's column heading."""
        if column in self.questions:
            return self.questions[column]
        headings = [source.columns[column] for source in self.sources if column in source.columns]
        return headings[0] if headings else column

    @property
    def file(self) -> Path:
        """The YAML file this config was read from; a config made in code has none to record or rerun."""
        if self.config_file is None:
            raise ValueError("this client config was made in code, not read from a file; load it with load_config")
        return self.config_file

    @property
    def build_dir(self) -> Path:
        """This client's build: <output_dir>/<slug>/, or the folder a build in progress writes to."""
        return self.build_root or self.published_dir

    @property
    def published_dir(self) -> Path:
        """Where this client's finished book, results and private files are published."""
        return self.output_dir / self.client.slug

    @property
    def results_dir(self) -> Path:
        return self.build_dir / "results"

    @property
    def private_dir(self) -> Path:
        return self.build_dir / "private"


def _key_path(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def describe_validation_error(error: ValidationError) -> str:
    """One line per problem, each naming the key path."""
    lines = []
    for item in error.errors():
        key = _key_path(item["loc"])
        if item["type"] == "extra_forbidden":
            lines.append(f"- {key}: unknown key (check the spelling; see the sample config for the keys)")
        elif item["type"] == "missing":
            lines.append(f"- {key}: required key is missing")
        else:
            message = item["msg"].removeprefix("Value error, ")
            lines.append(
                f"- {key}: {message} (got {item.get('input')!r})"
                if item["type"] != "value_error"
                else f"- {key}: {message}"
            )
    return "\n".join(lines)


#: Deepest nesting of mappings and lists a config may have; real configs stay under ten levels.
YAML_MAX_DEPTH = 50
#: Values that aliases (*name, and merge keys <<: *name) may repeat in one file, counted as if written out.
YAML_MAX_ALIASED_VALUES = 10_000
#: Longest piece of a file's own text that an error message quotes.
EXCERPT_CHARACTERS = 200


class _YAMLRefusal(Exception):
    def __init__(self, problem: str, mark: Any, fix: str) -> None:
        super().__init__(problem)
        self.problem, self.mark, self.fix = problem, mark, fix


class _ConfigLoader(yaml.SafeLoader):
    """Safe YAML with bounded aliases and nesting.

    Aliases are allowed (tools that write YAML use them for repeated lists) up to a budget of the values they
    repeat: a few hundred bytes of aliases of aliases otherwise expand to billions of values. An alias to a
    value that contains it is refused. Nesting is bounded so that a deep file is an error message, not a stack
    overflow.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliased_values = 0
        self._sizes: dict[int, int] = {}
        self._open_anchors: list[str] = []

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            anchor = str(event.anchor)
            if anchor in self._open_anchors:
                raise _YAMLRefusal(
                    f"the alias *{_excerpt(anchor)} is inside the value it names", event.start_mark, "remove it"
                )
            anchored = self.anchors.get(event.anchor)
            if anchored is not None:
                self._aliased_values += self._size(anchored)
                if self._aliased_values > YAML_MAX_ALIASED_VALUES:
                    raise _YAMLRefusal(
                        f"its aliases repeat more than {YAML_MAX_ALIASED_VALUES:,} values (at the alias *{_excerpt(anchor)})",
                        event.start_mark,
                        "write the values out in full, without aliases of aliases",
                    )
            return super().compose_node(parent, index)
        self._depth += 1
        opened = getattr(event, "anchor", None)
        if opened is not None:
            self._open_anchors.append(str(opened))
        try:
            if self._depth > YAML_MAX_DEPTH:
                raise _YAMLRefusal(
                    f"nests lists and mappings more than {YAML_MAX_DEPTH} levels deep",
                    event.start_mark,
                    "flatten the structure",
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1
            if opened is not None:
                self._open_anchors.pop()

    def _size(self, node: yaml.Node) -> int:
        """Values in a finished node counted as written out; each node is counted once however often reached."""
        stack = [node]
        while stack:
            current = stack[-1]
            if isinstance(current, yaml.SequenceNode):
                children = list(current.value)
            elif isinstance(current, yaml.MappingNode):
                children = [part for pair in current.value for part in pair]
            else:
                children = []
            pending = [child for child in children if id(child) not in self._sizes]
            if pending:
                stack.extend(pending)
                continue
            self._sizes[id(current)] = 1 + sum(self._sizes[id(child)] for child in children)
            stack.pop()
        return self._sizes[id(node)]


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_CHARACTERS else text[:EXCERPT_CHARACTERS] + "…"


def read_yaml(path: Path) -> Any:
    """Read a YAML file; a missing file, a syntax error, runaway aliases or deep nesting raise CXInputError."""
    path = Path(path)
    if not path.is_file():
        raise CXInputError(
            "file not found", file=path, fix="check the path; relative paths start at the config file's folder"
        )
    try:
        loader = _ConfigLoader(path.read_text(encoding="utf-8"))
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except _YAMLRefusal as exc:
        row = exc.mark.line + 1 if exc.mark is not None else None
        raise CXInputError(exc.problem, file=path, row=row, fix=exc.fix) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise CXInputError(
            f"not valid YAML: {_excerpt(str(getattr(exc, 'problem', exc)))}",
            file=path,
            row=row,
            fix="check indentation and quoting at that line",
        ) from None
    except UnicodeDecodeError:
        raise CXInputError("not UTF-8 text", file=path, fix="save the file as UTF-8") from None


def validate_model(model: type[BaseModel], data: Any, path: Path) -> Any:
    """Validate parsed YAML against a model; errors name the file and key paths."""
    if not isinstance(data, dict):
        raise CXInputError("expected a mapping of keys at the top level", file=path)
    try:
        return model.model_validate(data, context={"base_dir": path.parent.resolve()})
    except ValidationError as exc:
        raise CXInputError(
            "the file does not match the expected structure:\n" + describe_validation_error(exc),
            file=path,
            fix="correct the keys listed above",
        ) from None


#: The report's texts a config may give once per report language, e.g. ``title: {en: ..., nb: ...}``.
LOCALISED_TEXT = ("title", "subtitle", "notice", "prepared_by", "confidentiality")


def _report_language(raw: dict, language: str | None) -> str:
    """The language a config is read for: the override, else its own ``report.language`` (en when unreadable)."""
    if language is not None:
        return language
    report = raw.get("report")
    try:
        return Report.model_validate({"language": report.get("language", "en")}).language  # type: ignore[union-attr]
    except (AttributeError, ValidationError):
        return "en"  # the full validation names the mistake


def _in_language(value: Any, key: str, language: str, path: Path) -> Any:
    """A text given per report language (a mapping of en, nb, da, sv to text) as the one for ``language``."""
    if not isinstance(value, dict) or not value:
        return value
    keys = {"nb" if k is False or str(k).casefold() == "no" else str(k) for k in value}
    if not keys <= {"en", "nb", "da", "sv"}:
        return value  # not a text per language; validation says what is wrong
    texts = {"nb" if k is False or str(k).casefold() == "no" else str(k): v for k, v in value.items()}
    if language not in texts:
        raise CXInputError(
            f"{key} has no text in {language}, the report's language (it has {', '.join(sorted(texts))})",
            file=path,
            fix=f"add '{language}: ...' under {key}, or give one text for every language",
        )
    return texts[language]


def localise(raw: Any, language: str, path: Path) -> Any:
    """The config with every text given per language (the report's texts, ``display_names`` and each
    benchmark's ``source``) read in
    ``language``; a text missing in that language is an error, never an English fallback."""
    if not isinstance(raw, dict):
        return raw
    language = "en" if language in TEST_LANGUAGES else language  # the test language marks messages only
    raw = dict(raw)
    if isinstance(raw.get("report"), dict):
        report = dict(raw["report"])
        for key in LOCALISED_TEXT:
            if key in report:
                report[key] = _in_language(report[key], f"report.{key}", language, path)
        raw["report"] = report
    if isinstance(raw.get("display_names"), dict):
        raw["display_names"] = {
            name: _in_language(text, f"display_names.{name}", language, path)
            for name, text in raw["display_names"].items()
        }
    if isinstance(raw.get("benchmarks"), list):
        raw["benchmarks"] = [
            {**item, "source": _in_language(item["source"], f"benchmarks[{i}].source", language, path)}
            if isinstance(item, dict) and "source" in item
            else item
            for i, item in enumerate(raw["benchmarks"])
        ]
    return raw


def load_config(
    path: str | Path | None = None, build_dir: str | Path | None = None, language: str | None = None
) -> ClientConfig:
    """Read and validate a client config; ``None`` means the sample client.

    ``build_dir`` points the results and private files at a build in progress;
    ``language`` (en, nb, da, sv) overrides ``report.language``, as
    ``cxanalysis build --language`` does.
    """
    path = Path(path).expanduser().resolve() if path is not None else SAMPLE_CONFIG
    raw = read_yaml(path)
    config = validate_model(ClientConfig, localise(raw, _report_language(raw, language), path), path)
    if language in TEST_LANGUAGES:  # the test language, chosen in code only: every message marked
        config = config.model_copy(update={"report": config.report.model_copy(update={"language": language})})
    elif language is not None:
        report = validate_model(Report, {**config.report.model_dump(), "language": language}, path)
        config = config.model_copy(update={"report": report})
    return config.model_copy(update={"config_file": path, "build_root": Path(build_dir) if build_dir else None})


__all__ = ["CANONICAL_COLUMNS", "ClientConfig", "load_config", "read_yaml", "validate_model"]
