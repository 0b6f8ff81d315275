"""The aggregation step at scale: the template's engine (Ibis on DuckDB) against DuckDB SQL on the same file.

    python benchmarks/engine.py --rows 10000000

Writes N synthetic responses to a Parquet file (4 grouping columns of 4 levels each: 256 groups, NPS,
CSAT, CES and a weight), then times, each in a fresh process so that peak memory is its own:

- ``duckdb-sql``: the same sums written by hand in DuckDB SQL on the file (the floor);
- ``engine``: :func:`cxanalysis.engine.sufficient_statistics` on the file (Ibis compiles the sums to DuckDB);
- ``numpy``: pandas reads the file and :func:`cxanalysis.metrics.sufficient_statistics` sums it in memory
  (skipped above ``--numpy-max`` rows).

The table gives seconds and peak resident memory; the last line is the engine's time over the floor's.

With ``--build``, a whole ``cxanalysis build`` at the same scale follows: the sample client with its
relational survey replaced by a Parquet file of N responses (the sample's 2,400 answers repeated with new
ids, typed as a warehouse holds them), checked in the engine and sampled for the row-level parts
(``sampling.max_rows``), timed with its CPU seconds and the peak memory of its largest process.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KEYS = ["region", "channel", "touchpoint", "customer_type"]

SQL = """
SELECT region, channel, touchpoint, customer_type,
       count(*) AS n, sum(weight) AS sum_w, sum(weight * weight) AS sum_w2,
       sum(CASE WHEN nps >= 9 THEN weight ELSE 0 END) AS sum_w_top,
       sum(CASE WHEN nps >= 9 THEN weight * weight ELSE 0 END) AS sum_w2_top,
       sum(CASE WHEN nps <= 6 THEN weight ELSE 0 END) AS sum_w_bottom,
       sum(CASE WHEN nps <= 6 THEN weight * weight ELSE 0 END) AS sum_w2_bottom
FROM read_parquet('{path}') WHERE nps IS NOT NULL AND NOT isnan(nps)
GROUP BY ALL
"""


def write_responses(path: Path, rows: int) -> None:
    """N responses written by DuckDB itself, in row groups, so that no step holds them all in memory."""
    import duckdb

    duckdb.sql(
        f"""
        COPY (
          SELECT ['Nord', 'Sør', 'Vest', 'Øst'][1 + (hash(i) % 4)::INT] AS region,
                 ['E-mail', 'SMS', 'App', 'Phone'][1 + ((hash(i) >> 8) % 4)::INT] AS channel,
                 ['Website', 'Store', 'Delivery', 'Support'][1 + ((hash(i) >> 16) % 4)::INT] AS touchpoint,
                 ['New', 'Returning', 'Business', 'Staff'][1 + ((hash(i) >> 24) % 4)::INT] AS customer_type,
                 ((hash(i) >> 32) % 11)::DOUBLE AS nps,
                 (1 + (hash(i) >> 40) % 5)::DOUBLE AS csat,
                 (1 + (hash(i) >> 44) % 7)::DOUBLE AS ces,
                 0.5 + ((hash(i) >> 48) % 1000) / 1000.0 AS weight
          FROM range({rows}) AS t(i)
        ) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)
        """
    )


def run_step(step: str, path: Path) -> dict:
    """One step in this process: its seconds (imports and connection apart), its result and its peak memory."""
    import duckdb
    import pandas as pd

    from cxanalysis import engine, metrics

    connection = engine.default_connection()
    started = time.perf_counter()
    if step == "duckdb-sql":
        result = duckdb.sql(SQL.format(path=path)).df()
    elif step == "engine":
        table = connection.read_parquet(path)
        result = engine.sufficient_statistics(table, "nps", KEYS, "weight", top_low=9, bottom_high=6, moments=False)
    else:
        frame = pd.read_parquet(path, columns=[*KEYS, "nps", "weight"])
        frame = frame.astype(dict.fromkeys(KEYS, "category"))
        result = metrics.sufficient_statistics(frame, "nps", KEYS, "weight", top_low=9, bottom_high=6, moments=False)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"step": step, "seconds": seconds, "peak_mb": peak, "groups": len(result), "n": int(result["n"].sum())}


SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"

#: Runs a command and prints the largest resident memory (kB) of any process it started.
PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def client_at_scale(folder: Path, rows: int) -> Path:
    """The sample client in ``folder`` with its relational survey as a Parquet file of ``rows`` responses."""
    import shutil

    import duckdb
    import yaml

    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".*.yml"))
    copies = -(-rows // 2_400)
    duckdb.sql(
        f"""
        COPY (
          SELECT * REPLACE ("Respondent ID" || '-' || k::VARCHAR AS "Respondent ID",
                            try_strptime("Submitted", '%d.%m.%Y %H:%M') AS "Submitted")
          FROM read_csv('{SAMPLE / "relational_nps.csv"}', delim=';', header=true, all_varchar=false),
               range({copies}) AS t(k)
          LIMIT {rows}
        ) TO '{folder / "relational.parquet"}' (FORMAT parquet, ROW_GROUP_SIZE 500000)
        """
    )
    config_path = folder / "client.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    relational = config["sources"][0]
    relational["path"] = "relational.parquet"
    relational.pop("dayfirst", None)
    config["output_dir"] = str(folder / "output")
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_path


def whole_build(rows: int) -> tuple[float, float, float]:
    """CPU seconds, wall seconds and peak memory (MB, largest process) of a cold build at ``rows``."""
    with tempfile.TemporaryDirectory() as folder:
        config = client_at_scale(Path(folder) / "client", rows)
        cli = str(Path(sys.executable).parent / "cxanalysis")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", PEAK, cli, "build", str(config)], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"the build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return cpu, wall, int(done.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--numpy-max", type=int, default=20_000_000, help="skip the in-memory path above this")
    parser.add_argument("--build", action="store_true", help="also time a whole cxanalysis build at this scale")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(run_step(args.step, Path(args.file))))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "responses.parquet"
        started = time.perf_counter()
        write_responses(path, args.rows)
        print(
            f"{args.rows:,} responses written to Parquet in {time.perf_counter() - started:.1f} s "
            f"({path.stat().st_size / 1e6:,.0f} MB)"
        )
        steps = ["duckdb-sql", "engine"] + (["numpy"] if args.rows <= args.numpy_max else [])
        results = {}
        for step in steps:
            done = subprocess.run(
                [sys.executable, __file__, "--step", step, "--file", str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            results[step] = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{'step':<12}{'seconds':>10}{'peak MB':>10}{'groups':>8}{'rows summed':>16}{'ratio':>8}")
        floor = results["duckdb-sql"]["seconds"]
        for step, found in results.items():
            print(
                f"{step:<12}{found['seconds']:>10.2f}{found['peak_mb']:>10.0f}{found['groups']:>8}"
                f"{found['n']:>16,}{found['seconds'] / floor:>8.2f}"
            )
        if "numpy" not in results:
            print(f"numpy       not run above {args.numpy_max:,} rows (it holds every row in memory)")
        assert len({found["n"] for found in results.values()}) == 1, "every step sums the same answers"
        if args.build:
            cpu, wall, peak = whole_build(args.rows)
            print(f"whole build: {wall:.0f} s wall, {cpu:.0f} s CPU, peak {peak:,.0f} MB (largest process)")
        print(f"aggregation ratio to DuckDB: {results['engine']['seconds'] / floor:.2f}")


if __name__ == "__main__":
    main()
