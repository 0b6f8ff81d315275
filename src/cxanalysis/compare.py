"""Differences between two groups with intervals and tests, vectorised over rows.

Inputs are estimate tables from :func:`cxanalysis.metrics.summarise` (or
sufficient statistics turned into estimates), aligned row by row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .metrics import METRIC_KINDS, _z, wilson_interval


def compare_estimates(a: pd.DataFrame, b: pd.DataFrame, metric: str, confidence: float = 0.95) -> pd.DataFrame:
    """Difference a - b for aligned rows of two estimate tables.

    Notes
    -----
    - NPS: se = sqrt(se_a^2 + se_b^2) from the adjusted-Wald variances; z-test.
    - Shares (CSAT, top-box): Newcombe's hybrid score interval from the two
      Wilson intervals; z-test with the pooled share.
    - Means (CES, CSAT mean): Welch's t-test and interval
      (Welch-Satterthwaite degrees of freedom).

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between
    independent proportions. Statistics in Medicine, 17(8), 873-890.
    """
    a, b = a.reset_index(drop=True), b.reset_index(drop=True)
    kind = METRIC_KINDS.get(metric, (metric, "share"))[1]
    diff = a["estimate"] - b["estimate"]
    z = _z(confidence)
    na, nb = a["n_effective"], b["n_effective"]
    if kind == "nps":
        se = np.sqrt(a["se"] ** 2 + b["se"] ** 2)
        statistic = diff / se
        p = 2 * stats.norm.sf(np.abs(statistic))
        low, high, test = diff - z * se, diff + z * se, "z"
    elif kind == "share":
        pa, pb = a["estimate"] / 100, b["estimate"] / 100
        la, ua = wilson_interval(pa, na, confidence)
        lb, ub = wilson_interval(pb, nb, confidence)
        d = pa - pb
        low = 100 * (d - np.sqrt((pa - la) ** 2 + (ub - pb) ** 2))
        high = 100 * (d + np.sqrt((ua - pa) ** 2 + (pb - lb) ** 2))
        pooled = (pa * na + pb * nb) / (na + nb)
        se = 100 * np.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
        statistic = diff / se
        p = 2 * stats.norm.sf(np.abs(statistic))
        test = "z"
    else:
        se = np.sqrt(a["se"] ** 2 + b["se"] ** 2)
        va, vb = a["se"] ** 2, b["se"] ** 2
        df = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
        statistic = diff / se
        p = 2 * stats.t.sf(np.abs(statistic), df)
        t = stats.t.ppf(0.5 + confidence / 2, df)
        low, high, test = diff - t * se, diff + t * se, "welch-t"
    return pd.DataFrame({
        "metric": metric,
        "estimate_a": a["estimate"], "estimate_b": b["estimate"],
        "difference": diff, "ci_low": low, "ci_high": high,
        "n_a": a["n"], "n_b": b["n"], "statistic": statistic, "p_value": p, "test": test,
    })


def compare_periods(summary: pd.DataFrame, latest: str, previous: str, by: list[str] | None = None,
                    confidence: float = 0.95) -> pd.DataFrame:
    """Latest period against an earlier one, for every group present in both.

    ``summary`` is a :func:`~cxanalysis.metrics.summarise` table with a
    ``period`` column (and the ``by`` columns); suppressed groups are left out.
    """
    by = by or []
    shown = summary[~summary["suppressed"]]
    a = shown[shown["period"] == latest]
    b = shown[shown["period"] == previous]
    if by:
        pairs = a.merge(b, on=by, suffixes=("", "_b"))
        left = pairs[[c for c in a.columns]]
        right = pairs[[*by, *[f"{c}_b" for c in a.columns if c not in by]]]
        right.columns = [c.removesuffix("_b") for c in right.columns]
        keys = pairs[by].reset_index(drop=True)
    else:
        left, right, keys = a, b, pd.DataFrame(index=range(min(len(a), len(b))))
    if left.empty or right.empty:
        return pd.DataFrame()
    metric = summary["metric"].iloc[0]
    result = compare_estimates(left, right, metric, confidence)
    result.insert(0, "previous", previous)
    result.insert(0, "latest", latest)
    return pd.concat([keys, result], axis=1)
