"""One client's data as a chapter sees it: config, responses and framing, loaded on first use."""

from __future__ import annotations

import functools
import hashlib
import json
import operator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pandas as pd

from . import prepared_store, presentation
from .anonymity import small_groups, withhold, withhold_small_groups
from .config import ClientConfig, load_config
from .drivers import DriverSample, driver_sample
from .engine import execute
from .loading import DataCheck, Table, check_all, load_all, read_store
from .metrics import METRIC_KINDS, summarise
from .periods import PartialPeriod, partial_from_counts, partial_period
from .program import Journey, Stakeholders, listening_posts_table, load_journey, load_stakeholders
from .results import save_result
from .rules import CES_EASY_BOXES, answers_label, box_label
from .sampling import RowSample
from .themes import code_comments, comment_coding, comment_languages, load_taxonomy
from .weighting import Raking, rake_engine, rake_responses
from .words import adjustment_name

if TYPE_CHECKING:
    import ibis


class _Prepared(NamedTuple):
    responses: pd.DataFrame
    withheld: pd.DataFrame
    partial: PartialPeriod | None
    blanks: pd.Series
    raking: Raking | None = None


#: What a build prepares once, before its chapters run, and every chapter reads back.
PREPARED = ("tables", "data_check", "_prepared", "comment_coding", "coded_comments")


def prepared_file(config: ClientConfig) -> Path:
    """Where a build in progress keeps its client's prepared data for the chapters."""
    return config.build_dir / ".prepared" / "client.zip"


def kept_prepared_file(config: ClientConfig) -> Path:
    """Where a client's prepared data is kept between builds and chapter runs, one file per report language."""
    return config.output_dir / ".cache" / config.client.slug / f"prepared-{config.report.language}.zip"


def prepared_key(config: ClientConfig) -> str:
    """What decides the prepared data: the config (its bytes and place) and every input file's bytes, the
    report language and the template as installed (:func:`cxanalysis.chapter_cache.package_fingerprint`)."""
    from .chapter_cache import input_fingerprints, package_fingerprint
    from .manifest import input_files

    identity = {
        "config": str(config.file),
        "inputs": input_fingerprints(input_files(config)),
        "language": config.report.language,
        "package": package_fingerprint(),
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


class ClientData:
    """Everything a chapter needs about one client, read from the config alone.

    Within a build, the files are read, validated and their comments coded once
    (:meth:`prepare`); each chapter then reads that prepared data back instead of
    parsing the exports again.
    """

    def __init__(self, config: ClientConfig) -> None:
        self.config = config
        presentation.set_display_names(config.display_names)
        presentation.set_language(config.report.language)
        stored = prepared_file(config)
        if config.build_root is not None and stored.exists():
            # Written by this build's own process (prepare), never taken from a client's files.
            self.__dict__.update(prepared_store.read(stored))

    def _prepared_values(self) -> dict:
        values = {}
        for name in PREPARED:
            try:
                values[name] = getattr(self, name)
            except Exception:
                continue  # each chapter meets the same error and the build reports it with its cell
        return values

    def prepare(self) -> Path:
        """Read, validate and code everything once and keep it for the chapters of this build."""
        return prepared_store.write(self._prepared_values(), prepared_file(self.config))

    def reuse_prepared(self) -> bool:
        """Take the data prepared by an earlier build or chapter run when the config, every input file, the
        language and the template are unchanged (:func:`prepared_key`); else prepare it now and keep it
        (:func:`kept_prepared_file`) for the next. Whether it was reused."""
        kept, key = kept_prepared_file(self.config), prepared_key(self.config)
        if kept.exists():
            try:
                stored = prepared_store.read(kept)  # written by this template's own process, below
            except Exception:
                stored = {}
            if stored.get("key") == key:
                self.__dict__.update(stored["values"])
                return True
        values = self._prepared_values()
        if set(values) == set(PREPARED):  # data with an error is read afresh, so that the error shows
            prepared_store.write({"key": key, "values": values}, kept)
        return False

    @cached_property
    def tables(self) -> dict[str, Table | None]:
        """Every file of the client read and validated (:func:`cxanalysis.loading.load_all`)."""
        return load_all(self.config)

    @property
    def response_table(self) -> Table:
        table = self.tables["responses"]
        assert table is not None
        return table

    @cached_property
    def data_check(self) -> DataCheck:
        """Accounting, quarantine and warnings of every file (:func:`cxanalysis.loading.check_all`)."""
        return check_all(self.config, self.tables)

    @cached_property
    def responses(self) -> pd.DataFrame:
        """Valid responses; a missing touchpoint is taken from the journey when the
        response's survey is asked at exactly one touchpoint (a relational survey, say).
        The reporting dimensions are categorical. A segment, channel or language
        level too small to publish in a period is withheld there
        (:func:`cxanalysis.anonymity.withhold_small_groups`, listed in :attr:`withheld_groups`)."""
        return self._prepared.responses

    @property
    def withheld_groups(self) -> pd.DataFrame:
        """Segment, channel and language levels withheld from breakdowns, by period, with the reason."""
        return self._prepared.withheld

    @property
    def partial(self) -> PartialPeriod | None:
        """The latest period of the data when it is too thin to report (:mod:`cxanalysis.periods`);
        its responses are left out unless the config says ``report.partial_period: report``."""
        return self._prepared.partial

    @property
    def blank_levels(self) -> pd.Series:
        """Responses with no value in each reporting dimension the data has (before any group is withheld):
        they count in every total and in no breakdown."""
        return self._prepared.blanks

    @cached_property
    def _prepared(self) -> _Prepared:
        table = self.response_table
        responses = table.valid
        everyone = None if table.store is None else self._stored_responses()
        if everyone is None:
            partial = partial_period(responses)
        else:
            sizes = execute(everyone.group_by("period").aggregate(n=everyone.count(), last=everyone.submitted_at.max()))
            partial = partial_from_counts(sizes.set_index("period")["n"], sizes.set_index("period")["last"])
        left_out = partial if self.config.report.partial_period == "leave_out" else None
        if left_out is not None:
            responses = responses[responses["period"] != left_out.period]
        only = self._touchpoint_of_survey()
        if not only.empty:
            responses = responses.assign(touchpoint=responses["touchpoint"].fillna(responses["survey"].map(only)))
        if everyone is not None:
            everyone = self._as_reported(everyone, left_out, only, None)
        raking = self._rake(responses, everyone)
        if raking is not None:
            responses = responses.assign(weight=raking.weights_of(responses))
        # Reporting dimensions have few distinct values: as categoricals they group by their codes.
        dimensions = ["survey", "touchpoint", "channel", "language", *self.config.segments]
        periods = pd.CategoricalDtype(sorted(responses["period"].dropna().unique()), ordered=True)
        responses = responses.astype({"period": periods} | {column: "category" for column in dimensions})
        guarded = ["channel", "language", *self.config.segments]
        if everyone is None:
            present = [d for d in dimensions if responses[d].notna().any()]
            blanks = responses[present].isna().sum()
            protected, withheld = withhold_small_groups(responses, guarded, self.min_n)
        else:
            missing = execute(everyone.aggregate(**{d: everyone[d].isnull().sum() for d in dimensions}))
            answered = execute(everyone.aggregate(**{d: everyone[d].notnull().sum() for d in dimensions}))
            present = [d for d in dimensions if int(answered[d].iloc[0]) > 0]
            blanks = missing[present].iloc[0].astype(int)
            counts = {}
            for d in [d for d in guarded if d in present]:
                answering = everyone.filter(everyone[d].notnull())
                counts[d] = execute(answering.group_by(["period", d]).aggregate(n=answering.count()))
            withheld = small_groups({d: c.sort_values(["period", d]) for d, c in counts.items()}, self.min_n)
            if not withheld.empty:  # the period as the pandas path counts it, from the categorical
                withheld = withheld.astype({"period": responses["period"].dtype})
            protected = withhold(responses, withheld)
        return _Prepared(protected, withheld, partial, blanks[blanks > 0], raking)

    def _rake(self, responses: pd.DataFrame, everyone: ibis.Table | None) -> Raking | None:
        """Raking weights to the config's population margins (:mod:`cxanalysis.weighting`), of every response
        (in the engine when the client is sampled); None without ``weighting``."""
        if self.config.weighting is None:
            return None
        return rake_responses(self.config, responses) if everyone is None else rake_engine(self.config, everyone)

    @property
    def raking(self) -> Raking | None:
        """How the responses were weighted to the population margins of ``weighting`` (None without it): the
        ``weight`` of :attr:`responses` and :attr:`all_responses` is the raked weight."""
        return self._prepared.raking

    def _touchpoint_of_survey(self) -> pd.Series:
        """The touchpoint of each survey the journey asks at exactly one touchpoint (a relational survey, say)."""
        if self.journey is None:
            return pd.Series(dtype="string")
        pairs = listening_posts_table(self.journey)[["survey", "touchpoint"]].drop_duplicates()
        return pairs[~pairs["survey"].duplicated(keep=False)].set_index("survey")["touchpoint"]

    def _stored_responses(self) -> ibis.Table:
        """Every valid response of a sampled client, as kept in Parquet (:func:`cxanalysis.loading.sampled`)."""
        assert self.response_table.store is not None
        return read_store(self.response_table.store)

    @staticmethod
    def _as_reported(
        everyone: ibis.Table,
        partial: PartialPeriod | None,
        only: pd.Series,
        withheld: pd.DataFrame | None,
        raking: Raking | None = None,
    ) -> ibis.Table:
        """The engine's responses shaped as :attr:`responses` is: the partial period left out, touchpoints
        taken from the journey, with ``raking`` the raked weights, and with ``withheld``, small groups set to
        missing in their periods."""
        import ibis

        if partial is not None:
            everyone = everyone.filter(everyone.period != partial.period)
        if not only.empty:
            everyone = everyone.mutate(
                touchpoint=everyone.touchpoint.fill_null(
                    ibis.cases(
                        *((everyone.survey == survey, point) for survey, point in only.items()), else_=ibis.null()
                    )
                )
            )
        if raking is not None:
            everyone = raking.weigh_in_engine(everyone)
        for dimension, levels in [] if withheld is None else withheld.groupby("dimension", sort=False):
            hidden = functools.reduce(
                operator.or_,
                [
                    (everyone.period == p) & (everyone[dimension].cast("string") == level)
                    for p, level in zip(levels["period"], levels["level"])
                ],
            )
            everyone = everyone.mutate(**{dimension: ibis.ifelse(hidden, ibis.null(), everyone[dimension])})
        return everyone

    @cached_property
    def sample(self) -> RowSample | None:
        """How the responses in :attr:`responses` were drawn from every valid response, when the client has
        more than ``sampling.max_rows`` (:mod:`cxanalysis.sampling`); None when they are all of them."""
        return self.response_table.sample

    @cached_property
    def period_sizes(self) -> pd.Series:
        """Valid responses the report covers in each period: every one, also when :attr:`responses` holds a
        sample."""
        if self.all_responses is None:
            return self.responses.groupby("period", observed=True).size()
        everyone = self.all_responses
        sizes = execute(everyone.group_by("period").aggregate(n=everyone.count()))
        return sizes.set_index("period")["n"].sort_index()

    @property
    def response_count(self) -> int:
        """Valid responses the report covers (:attr:`period_sizes`)."""
        return int(self.period_sizes.sum())

    def note_sample(self) -> None:
        """Say at the top of a chapter that its figures that need each answer come from the sample (nothing
        when :attr:`responses` holds every response)."""
        if self.sample is not None:
            from . import display
            from .words import sample_note

            display.note(sample_note(self), "note")

    @cached_property
    def all_responses(self) -> ibis.Table | None:
        """Every valid response of a sampled client in the engine, prepared as :attr:`responses` is (the
        partial period left out when the config says so, touchpoints from the journey, small groups
        withheld): what :meth:`summarise` counts. None when :attr:`responses` holds every response."""
        if self.response_table.store is None:
            return None
        leave_out = self.partial if self.config.report.partial_period == "leave_out" else None
        return self._as_reported(
            self._stored_responses(), leave_out, self._touchpoint_of_survey(), self.withheld_groups, self.raking
        )

    @cached_property
    def tickets(self) -> pd.DataFrame | None:
        table = self.tables["tickets"]
        return None if table is None else table.valid

    @cached_property
    def customers(self) -> pd.DataFrame | None:
        table = self.tables["customers"]
        return None if table is None else table.valid

    @cached_property
    def agent_satisfaction(self) -> pd.DataFrame | None:
        """Agent satisfaction (ASAT, % of agents satisfied) per team and period, when the client has the file."""
        table = self.tables.get("agent_satisfaction")
        return None if table is None else table.valid

    @cached_property
    def journey(self) -> Journey | None:
        return load_journey(self.config)

    @cached_property
    def stakeholders(self) -> Stakeholders | None:
        return load_stakeholders(self.config)

    @cached_property
    def taxonomy(self) -> dict:
        return load_taxonomy(self.config.themes)

    @cached_property
    def comment_coding(self) -> pd.DataFrame:
        """Each comment's language (given in the data, else detected) and whether the taxonomy codes it."""
        comments = self.responses.loc[self.responses["comment"].notna(), "comment"]
        return comment_coding(comments, self.taxonomy, comment_languages(self.responses)[comments.index])

    @cached_property
    def coded_comments(self) -> pd.DataFrame:
        """One row per coded comment (a language the taxonomy has terms in), one boolean column per theme."""
        comments = self.responses.loc[self.responses["comment"].notna(), "comment"]
        return code_comments(comments, self.taxonomy, self.comment_coding["language"])

    @property
    def name(self) -> str:
        return self.config.client.name

    @property
    def min_n(self) -> int:
        return self.config.anonymity.min_responses

    @cached_property
    def periods(self) -> list[str]:
        return sorted(self.responses["period"].dropna().unique())

    @property
    def latest_period(self) -> str:
        return self.periods[-1]

    @property
    def previous_period(self) -> str | None:
        return self.periods[-2] if len(self.periods) > 1 else None

    def has(self, column: str) -> bool:
        """Whether any valid response answers this column (or the score behind a metric name)."""
        column = METRIC_KINDS.get(column, (column,))[0]
        return column in self.responses and bool(self.responses[column].notna().any())

    @property
    def scores(self) -> list[str]:
        """The survey scores this client has, of nps, csat and ces."""
        return [m for m in ("nps", "csat", "ces") if self.has(m)]

    @property
    def overall_score(self) -> str:
        """The score the attribute ratings and themes explain: NPS when the client asks it, else CSAT."""
        return "csat" if not self.has("nps") and self.has("csat") else "nps"

    @property
    def attributes(self) -> list[str]:
        return [a for a in self.config.attributes if self.has(a)]

    @property
    def scales(self) -> dict[str, tuple[int, int]]:
        return self.config.scales.model_dump()

    @property
    def alpha(self) -> float:
        """The significance level every verdict of this client's book uses (``significance.alpha``)."""
        return self.config.significance.alpha

    def driver_sample(self, outcome: str | None = None) -> DriverSample:
        """The complete answers behind the key drivers of ``outcome`` (the overall score by default)."""
        return driver_sample(self.responses, outcome or self.overall_score, self.attributes)

    def glue_settings(self) -> None:
        """Let a chapter's method notes state this client's settings instead of the defaults:
        {glue:text}`alpha`, {glue:text}`alpha_percent`, {glue:text}`min_n`, and the scales and boxes
        {glue:md}`csat_scale`, {glue:md}`csat_satisfied`, {glue:md}`ces_scale`, {glue:md}`ces_easy`,
        {glue:md}`attributes_top`, and the multiple-testing adjustment {glue:md}`adjustment`."""
        from . import display  # matplotlib and seaborn: only chapters need them, never `cxanalysis validate`

        scales = self.scales
        display.glue_values(
            {"alpha": self.alpha, "alpha_percent": 100 * self.alpha, "min_n": self.min_n},
            {
                "adjustment": adjustment_name(self.config.significance.adjust),
                "csat_scale": answers_label(*scales["csat"]),
                "csat_satisfied": box_label(scales["csat"]),
                "ces_scale": answers_label(*scales["ces"]),
                "ces_easy": box_label(scales["ces"], CES_EASY_BOXES),
                "attributes_top": box_label(scales["attributes"]),
            },
        )

    def table(self, frame: pd.DataFrame, formats: dict | None = None, **options) -> None:
        """:func:`cxanalysis.display.table` with this client's anonymity threshold."""
        from . import display

        display.table(frame, formats, min_n=self.min_n, **options)

    def summarise(self, metric: str, by=(), data: pd.DataFrame | None = None) -> pd.DataFrame:
        """A metric by groups, with this client's scales and anonymity threshold: of every valid response
        (in the engine when the client is sampled, :attr:`all_responses`) unless ``data`` is given."""
        if data is None:
            data = self.responses if self.all_responses is None else self.all_responses
        return summarise(data, metric, by, min_n=self.min_n, scales=self.scales)

    def response_counts(self, by) -> pd.DataFrame:
        """Responses, and each score and comment answered, per group, of every valid response
        (:func:`cxanalysis.kpis.response_counts`)."""
        from .kpis import response_counts

        return response_counts(self.responses if self.all_responses is None else self.all_responses, by)

    def save(self, name: str, frame: pd.DataFrame, *, excel: bool = False) -> None:
        """Write a result table to results/<name>.csv (and .xlsx when ``excel``)."""
        save_result(self.config, name, frame, excel=excel)


def open_client(
    config_path: str | Path | None = None, build_dir: str | Path | None = None, language: str | None = None
) -> ClientData:
    """Open a client by its config path (the sample client when None); ``build_dir`` is where
    a build in progress writes its results (the published build folder when None); ``language``
    overrides the config's report language.

    Outside a build (a chapter run by ``jupyter-book build .`` or by hand), the data is read, checked
    and coded once and kept for the next chapter while the inputs are unchanged
    (:meth:`ClientData.reuse_prepared`)."""
    client = ClientData(load_config(config_path, build_dir, language))
    if client.config.build_root is None:
        client.reuse_prepared()
    return client
