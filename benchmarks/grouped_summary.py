"""Benchmark: grouped NPS and CSAT summaries from sufficient statistics against groupby-apply.

Run: .venv/bin/python benchmarks/grouped_summary.py [--rows 1000000]

Builds synthetic responses (4 quarters x 8 touchpoints x 4 regions x 2
customer types = 256 groups), summarises NPS and CSAT with intervals by
period x touchpoint x region x customer type with cxanalysis.summarise, then
computes the same statistics with a pandas groupby-apply (once written in
plain pandas, once with numpy inside each group), checks that all agree,
and prints time and peak memory of each.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np
import pandas as pd
from scipy import stats

from cxanalysis import summarise

BY = ["period", "touchpoint", "region", "customer_type"]


def synthetic_responses(rows: int, seed: int = 1) -> pd.DataFrame:
    """Responses as the canonical table holds them: reporting dimensions are categorical."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "period": rng.choice(["2025Q1", "2025Q2", "2025Q3", "2025Q4"], rows),
            "touchpoint": rng.choice(
                [
                    "Website",
                    "Store",
                    "Checkout",
                    "Delivery",
                    "Follow-up e-mail",
                    "Support centre",
                    "Returns",
                    "Social media",
                ],
                rows,
            ),
            "region": rng.choice(["Nord", "Vest", "Øst", "Sør"], rows),
            "customer_type": rng.choice(["New", "Returning"], rows),
            "nps": rng.integers(0, 11, rows).astype(float),
            "csat": rng.integers(1, 6, rows).astype(float),
            "weight": rng.uniform(0.5, 2.0, rows),
        }
    )
    return frame.astype({column: "category" for column in BY})


def design_effective_n(weight, values) -> float:
    """n_eff = sum(w) sum w (y - m)^2 / sum w^2 (y - m)^2: the n that gives the design variance with equal weights."""
    squares = (values - (weight * values).sum() / weight.sum()) ** 2
    return weight.sum() * (weight * squares).sum() / (weight**2 * squares).sum()


def straightforward_nps(group: pd.DataFrame) -> pd.Series:
    """The adjusted-Wald NPS of one group in plain pandas, as an analyst would first write it."""
    weight = group["weight"]
    n_eff = design_effective_n(weight, (group["nps"] >= 9).astype(float) - (group["nps"] <= 6).astype(float))
    promoters = weight[group["nps"] >= 9].sum() / weight.sum()
    detractors = weight[group["nps"] <= 6].sum() / weight.sum()
    n1 = n_eff + 3
    p1, d1 = (n_eff * promoters + 0.75) / n1, (n_eff * detractors + 0.75) / n1
    half = stats.norm.ppf(0.975) * ((p1 + d1 - (p1 - d1) ** 2) / n1) ** 0.5
    return pd.Series(
        {
            "estimate": 100 * (promoters - detractors),
            "ci_low": max(-100, 100 * (p1 - d1 - half)),
            "ci_high": min(100, 100 * (p1 - d1 + half)),
            "n": len(group),
        }
    )


def straightforward_csat(group: pd.DataFrame) -> pd.Series:
    weight = group["weight"]
    n = design_effective_n(weight, (group["csat"] >= 4).astype(float))
    share = weight[group["csat"] >= 4].sum() / weight.sum()
    z = stats.norm.ppf(0.975)
    centre = (share + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * (share * (1 - share) / n + z**2 / (4 * n**2)) ** 0.5
    return pd.Series(
        {"estimate": 100 * share, "ci_low": 100 * (centre - half), "ci_high": 100 * (centre + half), "n": len(group)}
    )


def per_group_nps(group: pd.DataFrame) -> pd.Series:
    """The same per group, tuned: numpy arrays inside each group."""
    w, x = group["weight"].to_numpy(), group["nps"].to_numpy()
    n_eff = design_effective_n(w, (x >= 9).astype(float) - (x <= 6))
    p, d = w[x >= 9].sum() / w.sum(), w[x <= 6].sum() / w.sum()
    n1 = n_eff + 3
    p1, d1 = (n_eff * p + 0.75) / n1, (n_eff * d + 0.75) / n1
    half = stats.norm.ppf(0.975) * np.sqrt((p1 + d1 - (p1 - d1) ** 2) / n1)
    return pd.Series(
        {
            "estimate": 100 * (p - d),
            "ci_low": max(-100, 100 * (p1 - d1 - half)),
            "ci_high": min(100, 100 * (p1 - d1 + half)),
            "n": len(x),
        }
    )


def per_group_csat(group: pd.DataFrame) -> pd.Series:
    w, x = group["weight"].to_numpy(), group["csat"].to_numpy()
    n = design_effective_n(w, (x >= 4).astype(float))
    share = w[x >= 4].sum() / w.sum()
    z = stats.norm.ppf(0.975)
    centre = (share + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * np.sqrt(share * (1 - share) / n + z**2 / (4 * n**2))
    return pd.Series(
        {"estimate": 100 * share, "ci_low": 100 * (centre - half), "ci_high": 100 * (centre + half), "n": len(x)}
    )


def measure(task, repeats: int = 3):
    """Best wall time of ``repeats`` runs, and the peak memory traced in one more run."""
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = task()
        seconds.append(time.perf_counter() - started)
    tracemalloc.start()
    task()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, min(seconds), peak / 2**20


def run(rows: int) -> dict[str, float]:
    responses = synthetic_responses(rows)

    def sufficient():
        return {m: summarise(responses, m, BY, min_n=5) for m in ("nps", "csat")}

    def apply(nps_function, csat_function):
        def task():
            grouped = responses.groupby(BY, sort=True, observed=True)
            return {
                "nps": grouped[["nps", "weight"]].apply(nps_function).reset_index(),
                "csat": grouped[["csat", "weight"]].apply(csat_function).reset_index(),
            }

        return task

    fast, fast_seconds, fast_mb = measure(sufficient)
    plain, plain_seconds, plain_mb = measure(apply(straightforward_nps, straightforward_csat))
    tuned, tuned_seconds, tuned_mb = measure(apply(per_group_nps, per_group_csat))
    for slow in (plain, tuned):
        for metric in ("nps", "csat"):
            columns = ["estimate", "ci_low", "ci_high"]
            np.testing.assert_allclose(fast[metric][columns].to_numpy(), slow[metric][columns].to_numpy(), rtol=1e-9)
    return {
        "rows": rows,
        "groups": len(fast["nps"]),
        "sufficient_seconds": fast_seconds,
        "sufficient_peak_mb": fast_mb,
        "apply_seconds": plain_seconds,
        "apply_peak_mb": plain_mb,
        "speed_ratio": plain_seconds / fast_seconds,
        "tuned_apply_seconds": tuned_seconds,
        "tuned_apply_peak_mb": tuned_mb,
        "tuned_speed_ratio": tuned_seconds / fast_seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    result = run(args.rows)
    print(f"{result['rows']:,} responses, {result['groups']} groups, NPS and CSAT with 95 % intervals")
    print(
        f"  sufficient statistics: {result['sufficient_seconds']:.3f} s (best of 3), "
        f"peak {result['sufficient_peak_mb']:.0f} MiB"
    )
    print(
        f"  groupby-apply, pandas inside each group: {result['apply_seconds']:.3f} s (best of 3), "
        f"peak {result['apply_peak_mb']:.0f} MiB: {result['speed_ratio']:.1f} x slower"
    )
    print(
        f"  groupby-apply, numpy inside each group:  {result['tuned_apply_seconds']:.3f} s (best of 3), "
        f"peak {result['tuned_apply_peak_mb']:.0f} MiB: {result['tuned_speed_ratio']:.1f} x slower"
    )
    print("  all three agree to 1e-9")


if __name__ == "__main__":
    main()
