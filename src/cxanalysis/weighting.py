"""Raking weights: the responses weighted so that each reporting cell matches known population margins.

When the people who answer differ from the customers on something known for the whole population (how
many customers live in each region, how many are new), every estimate leans towards the groups that
answer more. Raking (iterative proportional fitting, Deming & Stephan 1940) multiplies each response's
weight by a factor per level of each margin column in turn, until the weighted shares of every column
match the population's. It is done within each cell of ``weighting.by`` (every survey in every period by
default), so that each period's estimate is representative on its own, and it keeps each cell's total
weight, so that cells count as much in a pooled estimate as they did before.

Raking needs only the weighted cross-table of the margin columns: every response with the same cell,
margin levels and design weight gets the same factor. The work is therefore done on *units* (one row per
such combination, with its number of responses), which is exact, fast, and lets a client whose responses
stay in the engine (:mod:`cxanalysis.engine`) be raked from one aggregate query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .config import ClientConfig, Weighting
from .errors import CXInputError
from .loading import file_row
from .presentation import plural

if TYPE_CHECKING:
    import ibis

#: Raking sweeps over every margin before a cell is left as close to its margins as it came.
RAKE_SWEEPS = 1_000
#: Rounds of trimming at the cap and raking again before the trimmed weights are kept as they are.
TRIM_ROUNDS = 200
#: A cell meets its margins when every weighted share is this close to its target.
MARGIN_TOLERANCE = 1e-10
#: The column of a unit's design weight (the response's own ``weight`` before raking).
DESIGN = "design_weight"


@dataclass(frozen=True)
class Raking:
    """Raking weights and what raking did, per cell of ``by``.

    ``units`` holds one row per cell, margin levels and design weight, with its number of ``responses``
    and the ``weight`` each of them gets; ``margins`` the target, the share before raking (with the
    design weights) and after, per cell, column and level; ``cells`` per cell the responses, the design
    effect and effective n before and after, the responses trimmed at the cap, and whether the margins
    are met (``margin_gap``: the largest distance of a share from its target, in share points 0-1).
    """

    by: list[str]
    columns: list[str]
    cap: float
    units: pd.DataFrame
    margins: pd.DataFrame
    cells: pd.DataFrame

    @property
    def keys(self) -> list[str]:
        """The columns that identify a unit of responses, besides their design weight."""
        return [*self.by, *self.columns]

    def weights_of(self, responses: pd.DataFrame) -> pd.Series:
        """The raked weight of each response (by its cell, margin levels and design weight)."""
        keys = self.keys
        table = self.units[[*keys, DESIGN, "weight"]].rename(columns={"weight": "raked"})
        left = responses[keys].astype("string").assign(**{DESIGN: responses["weight"].to_numpy(dtype=float)})
        joined = left.merge(table.astype({k: "string" for k in keys}), on=[*keys, DESIGN], how="left")
        return pd.Series(joined["raked"].to_numpy(), index=responses.index, name="weight")

    def weigh_in_engine(self, table: ibis.Table) -> ibis.Table:
        """An engine table of responses with its ``weight`` column replaced by the raked weight."""
        from .engine import as_table

        keys = self.keys
        units = self.units[[*keys, DESIGN, "weight"]].astype({k: "string" for k in keys})
        raked = as_table(units.rename(columns={c: f"_raked_{c}" for c in units.columns}))
        on = [table[k].cast("string").identical_to(raked[f"_raked_{k}"]) for k in keys]
        on.append(table["weight"].cast("float64") == raked[f"_raked_{DESIGN}"])
        joined = table.left_join(raked, on)
        return joined.select(
            *[joined["_raked_weight"].name("weight") if c == "weight" else joined[c] for c in table.columns]
        )

    @property
    def design_effect(self) -> float:
        """Kish's design effect of the raked weights over every response, n sum w^2 / (sum w)^2."""
        return kish_design_effect(self.units["weight"], self.units["responses"])

    @property
    def trimmed(self) -> int:
        """Responses whose weight was trimmed at the cap."""
        return int(self.cells["trimmed"].sum())

    @property
    def met(self) -> bool:
        """Whether every cell meets its margins."""
        return bool(self.cells["margins_met"].all())


def kish_design_effect(weights, responses=None) -> float:
    """Kish's design effect of unequal weights, deff = n sum w^2 / (sum w)^2 = 1 + CV^2.

    ``responses`` counts the responses each weight stands for (one each when left out).

    Notes
    -----
    The variance of a weighted mean grows by this factor over an equally weighted sample of the same
    size when the weights are unrelated to the answers; the effective n is n / deff = (sum w)^2 / sum w^2.
    Kish, L. (1965). Survey Sampling. Wiley, section 11.7.

    Examples
    --------
    >>> kish_design_effect([1, 1, 2, 2])
    1.1111111111111112
    """
    w = np.asarray(weights, dtype=float)
    n = np.ones(len(w)) if responses is None else np.asarray(responses, dtype=float)
    return float(n.sum() * (n * w * w).sum() / (n * w).sum() ** 2)


def response_units(responses: pd.DataFrame, weighting: Weighting) -> pd.DataFrame:
    """Responses counted per cell, margin levels and design weight: the units raking works on."""
    keys = [*weighting.by, *weighting.margins]
    frame = responses[keys].astype("string").assign(**{DESIGN: responses["weight"].to_numpy(dtype=float)})
    return frame.groupby([*keys, DESIGN], dropna=False, sort=True).size().rename("responses").reset_index()


def engine_units(everyone: ibis.Table, weighting: Weighting) -> pd.DataFrame:
    """:func:`response_units` counted in the engine."""
    from .engine import execute

    keys = [*weighting.by, *weighting.margins]
    grouped = everyone.group_by([*keys, everyone["weight"].cast("float64").name(DESIGN)])
    units = execute(grouped.aggregate(responses=everyone.count()))
    units = units.astype({k: "string" for k in keys} | {DESIGN: float, "responses": np.int64})
    return units.sort_values([*keys, DESIGN]).reset_index(drop=True)


def check_levels(config: ClientConfig, offending: pd.DataFrame, count: int) -> None:
    """Refuse responses with no level, or a level the margins do not name, of a margin column.

    ``offending`` holds at least the first such response (source, response_id and the margin columns);
    ``count`` how many there are. The message names the export file, its column and the response.
    """
    if count == 0:
        return
    assert config.weighting is not None
    first = offending.iloc[0]
    margins = config.weighting.margins
    column = next(c for c in margins if pd.isna(first[c]) or str(first[c]) not in margins[c])
    source = next((s for s in config.sources if s.name == first["source"]), None)
    file = (source.file_name if source.connection else source.path) if source is not None else first["source"]
    heading = source.columns.get(column, column) if source is not None else column
    value = first[column]
    levels = ", ".join(margins[column])
    what = f"has no {column}" if pd.isna(value) else f"has the {column} {str(value)!r}, which the margins do not name"
    raise CXInputError(
        f"{plural(count, 'response')} cannot be weighted: the first, response id {first['response_id']}, {what} "
        f"(the margins name {levels}); raking needs every response's level of each margin column",
        file=file,
        column=heading,
        row=None if source is None else file_row(source, str(first["response_id"])),
        key=f"weighting.margins.{column}",
        fix=f"add the level to weighting.margins.{column} with its population share, or correct the value in the export",
    )


def check_response_levels(config: ClientConfig, responses: pd.DataFrame) -> None:
    """:func:`check_levels` on responses in memory."""
    assert config.weighting is not None
    bad = np.zeros(len(responses), dtype=bool)
    for column, shares in config.weighting.margins.items():
        values = responses[column].astype("string")
        bad |= (values.isna() | ~values.isin(list(shares))).to_numpy(dtype=bool)
    check_levels(config, responses.loc[bad, ["source", "response_id", *config.weighting.margins]], int(bad.sum()))


def check_engine_levels(config: ClientConfig, everyone: ibis.Table) -> None:
    """:func:`check_levels` on responses in the engine."""
    import functools
    import operator

    from .engine import execute

    assert config.weighting is not None
    margins = config.weighting.margins
    bad = functools.reduce(
        operator.or_,
        [everyone[c].isnull() | ~everyone[c].cast("string").isin(list(shares)) for c, shares in margins.items()],
    )
    offending = everyone.filter(bad)
    count = int(execute(offending.aggregate(n=offending.count()))["n"].iloc[0])
    if count:
        check_levels(config, execute(offending.select("source", "response_id", *margins).limit(1)), count)


def _level_codes(
    units: pd.DataFrame, margins: dict[str, dict[str, float]]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Each unit's level of each margin column as a number, and each column's target shares in that order."""
    codes, shares = [], []
    for column, margin in margins.items():
        levels = list(margin)
        codes.append(pd.Categorical(units[column], categories=levels).codes.astype(np.intp))
        shares.append(np.array([margin[level] for level in levels], dtype=float))
    return codes, shares


def _shares(w: np.ndarray, n: np.ndarray, cell: np.ndarray, cells: int, codes: np.ndarray, levels: int) -> np.ndarray:
    """Weighted share of each level in each cell, as a (cells, levels) array."""
    sums = np.bincount(cell * levels + codes, weights=n * w, minlength=cells * levels).reshape(cells, levels)
    return sums / sums.sum(axis=1, keepdims=True)


def _rake(
    w: np.ndarray,
    n: np.ndarray,
    cell: np.ndarray,
    totals: np.ndarray,
    codes: list[np.ndarray],
    shares: list[np.ndarray],
) -> np.ndarray:
    """Iterative proportional fitting of the unit weights ``w`` to every margin in every cell at once."""
    cells = len(totals)
    for _sweep in range(RAKE_SWEEPS):
        for code, share in zip(codes, shares):
            index = cell * len(share) + code
            have = np.bincount(index, weights=n * w, minlength=cells * len(share))
            want = np.outer(totals, share).ravel()
            factor = np.divide(want, have, out=np.ones_like(want), where=have > 0)
            w = w * factor[index]
        if _gap(w, n, cell, cells, codes, shares).max() <= MARGIN_TOLERANCE:
            break
    return w


def _gap(
    w: np.ndarray, n: np.ndarray, cell: np.ndarray, cells: int, codes: list[np.ndarray], shares: list[np.ndarray]
) -> np.ndarray:
    """Per cell, the largest distance of a weighted share from its target."""
    gaps = [
        np.abs(_shares(w, n, cell, cells, code, len(share)) - share).max(axis=1) for code, share in zip(codes, shares)
    ]
    return np.max(gaps, axis=0)


def rake_units(units: pd.DataFrame, weighting: Weighting, *, file=None) -> Raking:
    """Raking weights for units of responses (:func:`response_units`), within each cell of ``weighting.by``.

    Parameters
    ----------
    units : DataFrame
        The ``by`` and margin columns, the design weight (``design_weight``) and the number of
        ``responses`` of each unit.
    weighting : Weighting
        The margins (each level's population share), the cap and the cells to rake within.
    file : path, optional
        The config file, named when a margin cannot be met.

    Returns
    -------
    Raking

    Notes
    -----
    Within each cell c, with design weights d and total D_c = sum d, raking looks for weights
    w = d f(levels) whose weighted share of every level l of every margin column equals its target t_l.
    Each sweep multiplies, column by column, the weights of level l by t_l D_c / (sum of w over l); the
    sweeps repeat until every share is within :data:`MARGIN_TOLERANCE` of its target. The total D_c is kept.
    Weights above ``cap`` times the cell's mean weight D_c / n_c are then set to that limit and the cell
    raked again, in turns, until both the margins and the cap hold or :data:`TRIM_ROUNDS` turns have run;
    the weights then respect the cap and ``margins_met`` says whether the margins still hold.
    Kish's design effect deff = n sum w^2 / (sum w)^2 = 1 + CV^2 and the effective n = n / deff are given
    per cell, before (design weights) and after raking.

    References
    ----------
    Deming, W. E., & Stephan, F. F. (1940). On a least squares adjustment of a sampled frequency table
    when the expected marginal totals are known. Annals of Mathematical Statistics, 11(4), 427-444.
    Kolenikov, S. (2014). Calibrating survey data using iterative proportional fitting (raking).
    The Stata Journal, 14(1), 22-59.
    """
    by, columns = list(weighting.by), list(weighting.margins)
    if by:
        grouped = units.groupby(by, dropna=False, sort=True)
        cell_index = grouped.ngroup().to_numpy(dtype=np.intp)
        cell_keys = grouped.size().index.to_frame(index=False)
    else:
        cell_index, cell_keys = np.zeros(len(units), dtype=np.intp), pd.DataFrame(index=[0])
    cells = len(cell_keys)
    n = units["responses"].to_numpy(dtype=float)
    design = units[DESIGN].to_numpy(dtype=float)
    codes, shares = _level_codes(units, weighting.margins)
    _check_every_level(units, weighting, cell_index, cell_keys, codes, shares, file)
    totals = np.bincount(cell_index, weights=n * design, minlength=cells)
    counts = np.bincount(cell_index, weights=n, minlength=cells)
    limit = (weighting.cap * totals / counts)[cell_index]
    w = design
    for _round in range(TRIM_ROUNDS):
        w = _rake(w, n, cell_index, totals, codes, shares)
        if (w <= limit * (1 + 1e-12)).all():
            break
        w = np.minimum(w, limit)
    trimmed = np.bincount(cell_index, weights=n * (w >= limit * (1 - 1e-12)), minlength=cells)
    gap = _gap(w, n, cell_index, cells, codes, shares)
    summary = cell_keys.copy()
    summary["responses"] = counts.astype(np.int64)
    for when, weights in (("before", design), ("after", w)):
        sum_w2 = np.bincount(cell_index, weights=n * weights * weights, minlength=cells)
        sum_w = np.bincount(cell_index, weights=n * weights, minlength=cells)
        summary[f"design_effect_{when}"] = counts * sum_w2 / sum_w**2
        summary[f"n_effective_{when}"] = sum_w**2 / sum_w2
    summary["trimmed"] = trimmed.astype(np.int64)
    mean = totals / counts
    summary["max_weight_ratio"] = pd.Series(w / mean[cell_index]).groupby(cell_index).max().to_numpy()
    summary["margin_gap"] = gap
    summary["margins_met"] = gap <= MARGIN_TOLERANCE
    margins = pd.concat(
        [
            _margin_rows(cell_keys, column, list(weighting.margins[column]), share, before, after)
            for column, code, share in zip(columns, codes, shares)
            for before, after in [
                (
                    _shares(design, n, cell_index, cells, code, len(share)),
                    _shares(w, n, cell_index, cells, code, len(share)),
                )
            ]
        ],
        ignore_index=True,
    )
    return Raking(by, columns, weighting.cap, units.assign(weight=w), margins, summary)


def _margin_rows(
    cell_keys: pd.DataFrame, column: str, levels: list[str], target: np.ndarray, before: np.ndarray, after: np.ndarray
) -> pd.DataFrame:
    """One row per cell and level of a margin column: the target share and the shares before and after."""
    cells, count = len(cell_keys), len(levels)
    frame = cell_keys.loc[np.repeat(np.arange(cells), count)].reset_index(drop=True)
    return frame.assign(
        column=column,
        level=np.tile(levels, cells),
        target=np.tile(target, cells),
        before=before.ravel(),
        after=after.ravel(),
    )


def _check_every_level(
    units: pd.DataFrame,
    weighting: Weighting,
    cell_index: np.ndarray,
    cell_keys: pd.DataFrame,
    codes: list[np.ndarray],
    shares: list[np.ndarray],
    file,
) -> None:
    """A level with a population share but no response in a cell cannot be raked to: say where."""
    cells = len(cell_keys)
    n = units["responses"].to_numpy(dtype=float)
    for column, code, share in zip(weighting.margins, codes, shares):
        present = np.bincount(cell_index * len(share) + code, weights=n, minlength=cells * len(share)) > 0
        empty = np.flatnonzero(~present)
        if empty.size:
            where, level = divmod(int(empty[0]), len(share))
            cell = ", ".join(f"{k} {cell_keys.iloc[where][k]}" for k in weighting.by) or "the responses"
            name = list(weighting.margins[column])[level]
            raise CXInputError(
                f"no response in {cell} has the {column} {name!r}, so its population share "
                f"{share[level]:g} cannot be met there ({plural(int(empty.size), 'cell and level')} like it)",
                file=file,
                key=f"weighting.margins.{column}",
                fix=f"merge {name!r} with a neighbouring level in weighting.margins.{column} and in the data, "
                "or rake within fewer cells (e.g. weighting.by: [survey])",
            )


def rake_responses(config: ClientConfig, responses: pd.DataFrame) -> Raking:
    """Raking weights for a client's responses in memory (``config.weighting``)."""
    assert config.weighting is not None
    check_response_levels(config, responses)
    return rake_units(response_units(responses, config.weighting), config.weighting, file=config.config_file)


def rake_engine(config: ClientConfig, everyone: ibis.Table) -> Raking:
    """Raking weights for a client's responses in the engine: one aggregate query, raked in memory."""
    assert config.weighting is not None
    check_engine_levels(config, everyone)
    return rake_units(engine_units(everyone, config.weighting), config.weighting, file=config.config_file)


def pooled_margins(raking: Raking) -> pd.DataFrame:
    """Per margin column (``dimension``) and level: the population share, the share of every response before
    raking (with the design weights) and the lowest and highest share of a cell, and the weighted share after."""
    units, margins = raking.units, raking.margins
    parts = []
    for column in raking.columns:
        before = (units["responses"] * units[DESIGN]).groupby(units[column]).sum()
        after = (units["responses"] * units["weight"]).groupby(units[column]).sum()
        cells = margins[margins["column"] == column].groupby("level", sort=False)
        part = cells.agg(
            population_share=("target", "first"),
            lowest_in_a_cell=("before", "min"),
            highest_in_a_cell=("before", "max"),
        )
        part.insert(1, "share_of_responses", (before / before.sum()).reindex(part.index, fill_value=0.0))
        part["weighted_share"] = (after / after.sum()).reindex(part.index, fill_value=0.0)
        parts.append(part.reset_index().assign(dimension=column))
    frame = pd.concat(parts, ignore_index=True)
    return frame[["dimension", "level", *[c for c in frame.columns if c not in ("dimension", "level")]]]


def cell_table(raking: Raking) -> pd.DataFrame:
    """Per cell: responses, the design effect and effective n of the raked weights, the weights trimmed and
    the largest weight as a multiple of the cell's mean weight."""
    cells = raking.cells
    return cells[[*raking.by, "responses", "trimmed"]].assign(
        design_effect=cells["design_effect_after"],
        n_effective=cells["n_effective_after"],
        **{"largest_weight_(×_mean)": cells["max_weight_ratio"]},
    )[[*raking.by, "responses", "design_effect", "n_effective", "trimmed", "largest_weight_(×_mean)"]]


__all__ = [
    "Raking",
    "cell_table",
    "kish_design_effect",
    "pooled_margins",
    "rake_engine",
    "rake_responses",
    "rake_units",
    "response_units",
]
