"""Who answers: response rates by channel and period, channels compared, and respondents against those invited.

The invitations file comes in one of two forms: one row per channel and
period (optionally survey and known margins such as region) with the number
``invited``, or one row per invitation (``invited_at``, ``channel``, optional
survey and margins). Both are brought to counts of invitations per survey,
channel, period and margin level, and set against the valid responses of the
same survey, channel and period.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.stats import chisquare

from .compare import compare_estimates
from .errors import CXInputError, excerpt, name_list
from .metrics import share_from_statistics, wilson_interval
from .significance import adjust_p_values, judge
from .words import dimension_title, display_value

if TYPE_CHECKING:
    from .client import ClientData
    from .config import ClientConfig
    from .loading import Table

#: The metric name response rates carry in the comparisons (and the result tables).
METRIC = "response_rate"
#: What a response is matched to an invitation on: the survey (when the invitations give it), channel, period.
KEYS = ("survey", "channel", "period")
#: Quarantine reasons that lose no invitation count: a blank line or the header repeated.
_HARMLESS = ("empty_row", "repeated_header")


def counts_given(invitations: pd.DataFrame) -> bool:
    """Whether the invitations are counts per channel and period (an ``invited`` column), not one row each."""
    return bool(invitations["invited"].notna().any())


def check_invitation_rows(table: Table, config: ClientConfig) -> None:
    """Refuse invitation rows that would make a rate wrong: a count row that cannot be read (negative, not a
    number, no channel), a count that is not whole, a row without a period, or the same cell counted twice.

    A row per invitation that cannot be read is quarantined as any other file's row is: it is one
    invitation, counted and reported in the data-quality appendix. A count row stands for many.
    """
    spec = config.invitations
    assert spec is not None
    column = {name: spec.columns.get(name, name) for name in ("invited", "channel", "period", "invited_at")}
    valid, quarantine = table.valid, table.quarantine
    lost = quarantine[~quarantine["reason"].isin(_HARMLESS)]
    if counts_given(valid) or (not lost.empty and (lost["column"] == column["invited"]).any()):
        if not lost.empty:
            first = lost.iloc[0]
            value = first["value"]
            problem = (
                f"the invited count {excerpt(value)} is negative"
                if first["reason"] == "invalid_value" and first["column"] == column["invited"]
                else f"{first['reason_text']} ({excerpt(value)!r})"
            )
            raise CXInputError(
                f"{problem}; every count row must be read, or its channel's response rate would be wrong",
                file=spec.path,
                column=str(first["column"]),
                row=int(first["row"]),
                fix="correct the row: a count of invitations is a whole number of 0 or more, with its channel",
            )
        rows = valid["row"]
        whole = valid["invited"].notna() & (valid["invited"] == np.round(valid["invited"]))
        if not whole.all():
            bad = (~whole).idxmax()
            raise CXInputError(
                f"the invited count {valid.loc[bad, 'invited']!r} is missing or not a whole number",
                file=spec.path,
                column=column["invited"],
                fix="give every row the number of customers invited, a whole number of 0 or more",
                row=int(rows[bad]),
            )
    no_period = valid["period"].isna() & valid["invited_at"].isna()
    if no_period.any():
        row = valid["row"][no_period.idxmax()]
        raise CXInputError(
            "an invitation row has no period and no invited_at date",
            file=spec.path,
            column=column["period"],
            fix="give each row its period (e.g. 2025Q1) or the date of the invitation",
            row=int(row),
        )


def _period_of(invitations: pd.DataFrame, period: str, file: Path, column: str) -> pd.Series:
    """Each row's reporting period: its ``period`` written as the report writes periods, else its date's."""
    freq = "Q" if period == "quarter" else "M"
    from_dates = invitations["invited_at"].dt.to_period(freq).astype("string")
    written = invitations["period"].astype("string").str.strip()
    labels = {}
    for text in written.dropna().unique():
        try:
            labels[text] = str(pd.Period(text, freq=freq))
        except (ValueError, TypeError):
            row = invitations["row"][written.eq(text).idxmax()]
            example = "2025Q1" if period == "quarter" else "2025-01"
            raise CXInputError(
                f"the period {excerpt(text)!r} is not a {period}",
                file=file,
                column=column,
                fix=f"write the period as the report does, e.g. {example} (report.period is {period})",
                row=int(row),
            ) from None
    return written.map(labels).astype("string").fillna(from_dates)


def invited_counts(invitations: pd.DataFrame, config: ClientConfig, margins: list[str]) -> pd.DataFrame:
    """Invitations per survey, channel, period and margin level, with the file rows behind each count.

    From counts, each cell must be given once; from one row per invitation, the rows are counted.
    """
    spec = config.invitations
    assert spec is not None
    keys = [k for k in KEYS if k != "survey" or invitations["survey"].notna().any()]
    frame = invitations.assign(
        period=_period_of(invitations, config.report.period, spec.path, spec.columns.get("period", "period")),
        invited=invitations["invited"] if counts_given(invitations) else 1,
    )
    cells = [*keys, *margins]
    if counts_given(invitations):
        twice = frame[frame.duplicated(cells, keep=False)]
        if not twice.empty:
            first = twice.iloc[0]
            same = twice[(twice[cells] == first[cells]).all(axis=1)]["row"].tolist()
            raise CXInputError(
                f"rows {same[0]} and {same[1]} count the same {', '.join(cells)} "
                f"({', '.join(str(first[c]) for c in cells)})",
                file=spec.path,
                column=spec.columns.get("invited", "invited"),
                fix="give each channel and period (and margin level) one row, or add the column that tells them apart",
                row=int(same[1]),
            )
    grouped = frame.groupby(cells, dropna=False, sort=True)
    counted = grouped.agg(invited=("invited", "sum"), first_row=("row", "first")).reset_index()
    return counted.astype({"invited": "int64"})


def _check_channels(invited: pd.DataFrame, responses: pd.DataFrame, config: ClientConfig) -> None:
    """Every survey and channel the invitations name must be one the responses use."""
    spec = config.invitations
    assert spec is not None
    for key in [k for k in ("survey", "channel") if k in invited]:
        scope = ["survey"] if key == "channel" and "survey" in invited else []
        seen = responses[[*scope, key]].dropna().drop_duplicates()
        named = invited[[*scope, key, "first_row"]].drop_duplicates([*scope, key])
        unknown = named.merge(seen, on=[*scope, key], how="left", indicator=True)
        unknown = unknown[unknown["_merge"] == "left_only"]
        if not unknown.empty:
            first = unknown.iloc[0]
            known = sorted(seen[seen[scope[0]] == first[scope[0]]][key] if scope else seen[key])
            within = f" of survey {excerpt(first['survey'])!r}" if scope else ""
            raise CXInputError(
                f"the {key} {excerpt(first[key])!r} is not a {key}{within} in the responses",
                file=spec.path,
                column=spec.columns.get(key, key),
                fix=f"write it as the responses do: {name_list(known)}",
                row=int(first["first_row"]),
            )


def _check_shortfall(cells: pd.DataFrame, config: ClientConfig, grain: list[str]) -> None:
    """No cell may have more responses than invitations."""
    spec = config.invitations
    assert spec is not None
    short = cells[cells["responses"] > cells["invited"]]
    if short.empty:
        return
    first = short.iloc[0]
    where = ", ".join(f"{c} {first[c]}" for c in grain)
    raise CXInputError(
        f"{int(first['invited'])} invited for {where}, but {int(first['responses'])} responses were received",
        file=spec.path,
        column=spec.columns.get("invited", "invited"),
        fix="check the count (and the channel and period names): no channel can answer more often than it was asked",
        row=int(first["first_row"]),
    )


def matched_counts(invited: pd.DataFrame, responses: pd.DataFrame, config: ClientConfig, margins: list[str]):
    """Invitations beside the responses of the same survey, channel and period, by the invitations' keys
    (and by each margin): checked that every channel is known and no cell has more responses than invited.

    ``responses`` holds a count of responses per survey, channel, period and margin level (``responses``).
    Returns the counts by key and, per margin, by key and level.
    """
    keys = [k for k in KEYS if k in invited]
    _check_channels(invited, responses, config)

    def beside(grain: list[str]) -> pd.DataFrame:
        asked = invited.groupby(grain, sort=True).agg(invited=("invited", "sum"), first_row=("first_row", "first"))
        answered = responses.groupby(grain, observed=True)["responses"].sum()
        cells = asked.join(answered).fillna({"responses": 0}).reset_index()
        cells["responses"] = cells["responses"].astype(int)
        _check_shortfall(cells, config, grain)
        return cells

    by_margin = {m: beside([*keys, m]) for m in margins}
    return beside(keys), by_margin


def check_invitations(config: ClientConfig, table: Table, responses: pd.DataFrame) -> None:
    """The invitations checked against the valid responses (every period the data has): each channel known,
    each cell given once, and no channel and period with more responses than invitations."""
    margins = margin_columns(config, table.valid, responses)
    invited = invited_counts(table.valid, config, margins)
    keys = [k for k in KEYS if k in invited]
    counts = responses.groupby([*keys, *margins], observed=True, dropna=False).size().rename("responses")
    matched_counts(invited, counts.reset_index(), config, margins)


def margin_columns(config: ClientConfig, invitations: pd.DataFrame, responses: pd.DataFrame) -> list[str]:
    """The known margins: segments the invitations give for every row and the responses carry."""
    return [
        s
        for s in config.segments
        if s in invitations and invitations[s].notna().all() and s in responses and bool(responses[s].notna().any())
    ]


@dataclass(frozen=True)
class ResponseRates:
    """Response rates of one client (:func:`response_rates`)."""

    #: Per survey (when given), channel and period: invited, responses, rate in % with its Wilson interval.
    rates: pd.DataFrame
    #: Per survey (when given) and channel, over the report's periods: invited, responses, rate and interval.
    totals: pd.DataFrame
    #: Each channel against the other channels of its survey, over the report's periods, with its verdict.
    channels: pd.DataFrame
    #: Per margin and level: share of those invited and of respondents (Wilson interval), and the rate.
    margin_levels: pd.DataFrame
    #: Per margin: chi-square goodness of fit of the respondents to the invited population's shares.
    margin_tests: pd.DataFrame
    #: Invitations in periods the report does not cover (left out of every rate).
    outside_periods: int

    @property
    def _per_survey(self) -> list[str]:
        """["survey"] when the rates are per survey and there is more than one; else no key."""
        return ["survey"] if "survey" in self.totals and self.totals["survey"].nunique() > 1 else []

    def chart_rows(self) -> pd.DataFrame:
        """The rate of each channel (per survey when there are several) over the report's periods, as the
        interval chart draws estimates: ``level`` names the row, ``estimate`` is the rate in %, ``low`` marks
        a channel answering significantly less than the others."""
        keys = [*self._per_survey, "channel"]
        rows = self.totals.assign(
            level=[
                ", ".join(display_value(k, v) for k, v in zip(keys, values)) for values in self.totals[keys].to_numpy()
            ],
            estimate=self.totals["rate"],
        )
        flags = self.channels[[c for c in ["survey", "channel", "low_response"] if c in self.channels]]
        flags = flags.drop(columns=[k for k in ["survey"] if k not in keys and k in flags])
        low = rows[keys].merge(flags, how="left", on=keys)["low_response"] if not flags.empty else None
        return rows.assign(low=False if low is None else low.fillna(False).astype(bool).to_numpy())

    def shown_rates(self) -> pd.DataFrame:
        """Invited, responses and rate per channel and period, as the chapter's table shows them."""
        shown = self.rates.assign(channel=[display_value("channel", c) for c in self.rates["channel"]])
        return shown.rename(columns={"rate": "response_rate_(%)"})

    @property
    def shown_rate_columns(self) -> list[str]:
        """The columns of :meth:`shown_rates` the chapter shows."""
        return [*self._per_survey, "channel", "period", "invited", "responses", "response_rate_(%)"]

    def shown_margins(self) -> pd.DataFrame:
        """Per margin and level, the share of those asked and of those who answer, and the rate, in %."""
        return self.margin_levels.assign(dimension=self.margin_levels["margin"].map(dimension_title)).rename(
            columns={
                "invited_share": "share_of_those_asked_(%)",
                "respondent_share": "share_of_those_who_answer_(%)",
                "rate": "response_rate_(%)",
            }
        )


def rate_estimates(invited: pd.Series, responses: pd.Series, confidence: float = 0.95) -> pd.DataFrame:
    """Response rate (responses / invited) in % with a Wilson interval: the share estimate of
    :func:`cxanalysis.metrics.share_from_statistics` with each invitation counted once, so that rates compare
    as shares do."""
    n = invited.astype(float).to_numpy()
    answered = responses.astype(float).to_numpy()
    counts = pd.DataFrame({"n": n, "sum_w": n, "sum_w2": n, "sum_w_top": answered, "sum_w2_top": answered})
    return share_from_statistics(counts, METRIC, confidence)


def channel_comparison(client: ClientData, rates: pd.DataFrame) -> pd.DataFrame:
    """Each channel's rate over the report's periods against the other channels of its survey together.

    Two-proportion z-test (pooled) and Newcombe interval (:func:`cxanalysis.compare.compare_estimates`),
    p-values adjusted within each survey (Holm unless the config says otherwise) and read as every
    comparison of the book is (:func:`cxanalysis.significance.judge`). A channel with a significantly
    lower rate is flagged ``low_response``. With two channels, one comparison is made, of the lower.
    """
    scope = ["survey"] if "survey" in rates else []
    totals = rates.groupby([*scope, "channel"], sort=True)[["invited", "responses"]].sum().reset_index()
    tables = []
    for _scope, group in totals.groupby(scope, sort=True) if scope else [((), totals)]:
        if len(group) < 2:
            continue
        group = group.iloc[np.argsort(group["responses"] / group["invited"], kind="stable")]
        rest_invited = group["invited"].sum() - group["invited"]
        rest_responses = group["responses"].sum() - group["responses"]
        inside = rate_estimates(group["invited"], group["responses"])
        outside = rate_estimates(rest_invited, rest_responses)
        compared = compare_estimates(inside, outside, METRIC)
        compared.insert(0, "channel", group["channel"].to_numpy())
        compared.insert(0, "survey", group["survey"].to_numpy() if scope else "all")
        compared.insert(2, "invited", group["invited"].to_numpy())
        compared.insert(3, "responses", group["responses"].to_numpy())
        tables.append(compared.iloc[:1] if len(group) == 2 else compared)
    if not tables:
        return pd.DataFrame()
    judged = judge(client, pd.concat(tables, ignore_index=True), family=("survey",))
    judged["low_response"] = judged["verdict"] == "significant decline"
    return judged


def margin_check(margin_cells: dict[str, pd.DataFrame], adjust: str, alpha: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Respondents against the invited population on each known margin.

    Per margin, a chi-square goodness-of-fit test of the respondents' counts by level against the counts the
    invited population's shares would give (scipy's ``chisquare``), p-values adjusted across margins; per
    level, the respondents' share with a Wilson interval beside the invited share, and the level's rate.
    ``differs`` says the respondents differ from those invited (adjusted p below ``alpha``).
    """
    levels, tests = [], []
    for margin, cells in margin_cells.items():
        by_level = cells.groupby(margin, sort=True)[["invited", "responses"]].sum()
        by_level = by_level[by_level["invited"] > 0]
        if len(by_level) < 2 or by_level["responses"].sum() == 0:
            continue
        respondents = int(by_level["responses"].sum())
        invited_share = by_level["invited"] / by_level["invited"].sum()
        result = chisquare(by_level["responses"], f_exp=invited_share * respondents)
        share = by_level["responses"] / respondents
        low, high = wilson_interval(share, np.full(len(share), respondents))
        rate = rate_estimates(by_level["invited"], by_level["responses"])
        levels.append(
            pd.DataFrame(
                {
                    "margin": margin,
                    "level": by_level.index.astype(str),
                    "invited": by_level["invited"].to_numpy(),
                    "responses": by_level["responses"].to_numpy(),
                    "invited_share": 100 * invited_share.to_numpy(),
                    "respondent_share": 100 * share.to_numpy(),
                    "share_ci_low": 100 * low,
                    "share_ci_high": 100 * high,
                    "rate": rate["estimate"].to_numpy(),
                    "rate_ci_low": rate["ci_low"].to_numpy(),
                    "rate_ci_high": rate["ci_high"].to_numpy(),
                }
            )
        )
        tests.append(
            {
                "margin": margin,
                "levels": len(by_level),
                "respondents": respondents,
                "chi_square": float(result.statistic),
                "df": len(by_level) - 1,
                "p_value": float(result.pvalue),
            }
        )
    if not tests:
        return pd.DataFrame(), pd.DataFrame()
    tested = pd.DataFrame(tests)
    tested["p_adjusted"] = adjust_p_values(tested["p_value"], adjust)
    tested["differs"] = tested["p_adjusted"] < alpha
    level_table = pd.concat(levels, ignore_index=True)
    level_table["outside_interval"] = (level_table["invited_share"] < level_table["share_ci_low"]) | (
        level_table["invited_share"] > level_table["share_ci_high"]
    )
    return level_table, tested


def response_rates(client: ClientData) -> ResponseRates | None:
    """Response rates by channel and period, channels compared, and the non-response check; None when the
    client has no invitations file.

    Counts every valid response of the report's periods (before small groups are withheld from breakdowns:
    a count of responses shows no one's answers); a rate resting on fewer than the anonymity threshold of
    responses is marked ``suppressed``, as a score would be.
    """
    table = client.tables.get("invitations")
    if table is None:
        return None
    config = client.config
    responses = client.response_table.valid
    responses = responses[responses["period"].isin(client.periods)]
    margins = margin_columns(config, table.valid, responses)
    invited = invited_counts(table.valid, config, margins)
    inside = invited["period"].isin(client.periods)
    outside = int(invited.loc[~inside, "invited"].sum())
    invited = invited[inside]
    keys = [k for k in KEYS if k in invited]
    if client.all_responses is None:
        counts = responses.groupby([*keys, *margins], observed=True, dropna=False).size().rename("responses")
        counts = counts.reset_index()
    else:  # a sampled client: every response counted in the engine (small groups withheld there)
        counts = client.response_counts([*keys, *margins])[[*keys, *margins, "responses"]]
    cells, by_margin = matched_counts(invited, counts, config, margins)
    totals = cells.groupby([k for k in keys if k != "period"], sort=True)[["invited", "responses"]].sum()
    channels = channel_comparison(client, cells)
    levels, tests = margin_check(by_margin, config.significance.adjust, client.alpha)
    return ResponseRates(
        _with_rates(cells[[*keys, "invited", "responses"]], client.min_n),
        _with_rates(totals.reset_index(), client.min_n),
        channels,
        levels,
        tests,
        outside,
    )


def _with_rates(counts: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """Counts of invitations and responses with the rate in % and its Wilson interval; a rate resting on
    fewer than ``min_n`` responses (but some) is ``suppressed``, as a score would be."""
    estimates = rate_estimates(counts["invited"], counts["responses"])
    rates = pd.concat([counts.reset_index(drop=True), estimates[["estimate", "ci_low", "ci_high", "method"]]], axis=1)
    rates = rates.rename(columns={"estimate": "rate"})
    rates["suppressed"] = (rates["responses"] > 0) & (rates["responses"] < min_n)
    rates.loc[rates["suppressed"], ["responses", "rate", "ci_low", "ci_high"]] = np.nan
    return rates
