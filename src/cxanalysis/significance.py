"""Which changes and differences are real: tests across a page's family, adjusted together."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from .compare import compare_estimates, compare_periods
from .metrics import estimates_from_statistics, metric_statistics


def adjust_p_values(p_values: pd.Series, method: str = "holm") -> pd.Series:
    """Adjust a family of p-values (Holm by default, 'fdr_bh' for Benjamini-Hochberg)."""
    p = pd.Series(p_values, dtype=float)
    adjusted = pd.Series(np.nan, index=p.index)
    tested = p.notna()
    if tested.any():
        adjusted[tested] = multipletests(p[tested], method=method)[1]
    return adjusted


def period_changes(client, metrics: Sequence[str], by: Sequence[str | None] = (None,),
                   adjust: str = "holm") -> pd.DataFrame:
    """Latest period against the previous one, overall and within segments.

    One row per metric and group; p-values are adjusted across the whole table.
    """
    if client.previous_period is None:
        return pd.DataFrame()
    rows = []
    for metric in metrics:
        for dimension in by:
            keys = ["period"] + ([dimension] if dimension else [])
            summary = client.summarise(metric, keys)
            change = compare_periods(summary, client.latest_period, client.previous_period,
                                     by=[dimension] if dimension else None)
            if change.empty:
                continue
            change.insert(0, "level", change.pop(dimension).astype(str) if dimension else "All responses")
            change.insert(0, "dimension", dimension or "all")
            rows.append(change)
    table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    if not table.empty:
        table["p_adjusted"] = adjust_p_values(table["p_value"], adjust)
    return table


def group_versus_rest(responses: pd.DataFrame, metric: str, by: str, *, min_n: int,
                      scales: dict | None = None, adjust: str = "holm") -> pd.DataFrame:
    """Each group of ``by`` against all other responses, adjusted across groups.

    The rest of each group comes from the totals minus the group's own sums,
    so the comparison needs one aggregation pass.
    """
    stats = metric_statistics(responses, metric, [by], scales=scales)
    total = stats.drop(columns=[by]).sum()
    rest = (total - stats.drop(columns=[by]))
    inside = estimates_from_statistics(stats, metric).reset_index(drop=True)
    outside = estimates_from_statistics(rest, metric).reset_index(drop=True)
    result = compare_estimates(inside, outside, metric)
    result.insert(0, "level", stats[by].astype(str).to_numpy())
    result.insert(0, "dimension", by)
    result = result[(result["n_a"] >= min_n) & (result["n_b"] >= min_n)].reset_index(drop=True)
    result["p_adjusted"] = adjust_p_values(result["p_value"], adjust)
    return result


def segment_differences(client, metrics: Sequence[str], segments: Sequence[str],
                        adjust: str = "holm") -> pd.DataFrame:
    """Each segment against all other customers in the latest period, adjusted across the table."""
    latest = client.responses[client.responses["period"] == client.latest_period]
    parts = [
        group_versus_rest(latest[latest[segment].notna()], metric, segment, min_n=client.min_n,
                          scales=client.scales, adjust=adjust)
        for metric in metrics for segment in segments
        if latest[segment].notna().any() and latest[metric].notna().any()
    ]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if not table.empty:
        table["p_adjusted"] = adjust_p_values(table["p_value"], adjust)
    return table
