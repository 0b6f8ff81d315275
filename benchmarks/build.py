"""A whole `cxanalysis build` of the sample client scaled up: CPU time, wall time and peak memory.

    python benchmarks/build.py --copies 50        # 50 x 6,000 = 300,000 responses

Writes a copy of the sample client whose two survey exports hold ``--copies`` copies of their rows (new
response ids, the same dates, answers and comments), builds it cold and then again (the chapter cache),
each as the command a consultant types, and prints the seconds of CPU (the build and every chapter's
kernel), the wall time and the largest resident memory of any one process.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def scaled_client(folder: Path, copies: int) -> Path:
    """The sample client in ``folder`` with ``copies`` copies of every survey response."""
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".*.yml"))
    relational = pd.read_csv(SAMPLE / "relational_nps.csv", sep=";", encoding="utf-8-sig", dtype=str)
    transactional = pd.read_excel(SAMPLE / "transactional.xlsx", sheet_name="Responses", dtype=object)
    pd.concat(
        [relational.assign(**{"Respondent ID": relational["Respondent ID"] + f"-{i}"}) for i in range(copies)]
    ).to_csv(folder / "relational_nps.csv", sep=";", index=False, encoding="utf-8-sig")
    pd.concat(
        [transactional.assign(ResponseID=transactional["ResponseID"].astype(str) + f"-{i}") for i in range(copies)]
    ).to_csv(folder / "transactional.csv", index=False, encoding="utf-8")
    config_path = folder / "client.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["sources"][1] |= {"path": "transactional.csv"}
    config["sources"][1].pop("sheet", None)
    config["output_dir"] = str(folder / "output")
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_path


def timed_build(config: Path) -> tuple[float, float, float]:
    """CPU seconds (this build's processes), wall seconds and the peak memory (MB) of its largest process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    cli = Path(sys.executable).parent / "cxanalysis"
    subprocess.run([str(cli), "build", str(config)], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, after.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--keep", help="write the scaled client here and keep it")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp()) / "scaled"
    config = scaled_client(folder, args.copies)
    print(f"{args.copies} copies of the sample's 6,000 responses written to {folder}")
    print(f"{'build':<10}{'CPU s':>10}{'wall s':>10}{'peak MB':>10}")
    for name in ("cold", "rebuild"):
        cpu, wall, peak = timed_build(config)
        print(f"{name:<10}{cpu:>10.0f}{wall:>10.0f}{peak:>10.0f}")
    if not args.keep:
        shutil.rmtree(folder.parent)


if __name__ == "__main__":
    main()
