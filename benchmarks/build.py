"""A whole `cxanalysis build` of the sample client scaled up, against its floor: CPU time, wall time and
peak memory.

    python benchmarks/build.py --copies 1         # the sample's 6,000 responses
    python benchmarks/build.py --copies 50        # 50 x 6,000 = 300,000 responses

Writes a copy of the sample client whose two survey exports hold ``--copies`` copies of their rows (new
response ids, the same dates, answers and comments) and builds it as the command a consultant types:
cold, again with nothing changed, and again after one chapter's text was edited (the chapter cache). It
prints the seconds of CPU (the build and every chapter's kernel), the wall time and the largest resident
memory of any one process, and each build's CPU against the floor: every chapter of the client's edition
run once in one Python process, so its imports are paid once (the data checked and prepared by the cold
build, the book not rendered).
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
    # The files that follow the answers grow with them: every copy's answers were invited and followed up.
    invitations = pd.read_csv(SAMPLE / "invitations.csv", dtype={"invited": int})
    invitations.assign(invited=invitations["invited"] * copies).to_csv(folder / "invitations.csv", index=False)
    log = pd.read_csv(SAMPLE / "follow_up_log.csv", dtype=str, keep_default_na=False)
    pd.concat([log.assign(Response=log["Response"] + f"-{i}") for i in range(copies)]).to_csv(
        folder / "follow_up_log.csv", index=False
    )
    config_path = folder / "client.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["sources"][1] |= {"path": "transactional.csv"}
    config["sources"][1].pop("sheet", None)
    config["output_dir"] = str(folder / "output")
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_path


#: Every chapter of the client's edition, run cell by cell in one IPython shell with its parameters.
FLOOR = """
import sys, matplotlib
matplotlib.use("agg")
from IPython.core.interactiveshell import InteractiveShell
from cxanalysis.paths import NOTEBOOKS_DIR
from cxanalysis.runner import chapter_parameters, chapter_sources, executed_notebook
config, build = sys.argv[1:3]
shell = InteractiveShell.instance()
for source in chapter_sources():
    shell.reset(new_session=True)
    for cell in executed_notebook(source, teaching=False).cells:
        if cell.cell_type == "code":
            shell.run_cell(cell.source, silent=True).raise_error()
            if "parameters" in cell.metadata.get("tags", []):
                shell.user_ns.update(chapter_parameters(config, build, "en"))
"""


#: Runs a command and prints the largest resident memory (kB) of any process it started.
PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, float, float]:
    """CPU seconds (the command's processes), wall seconds and the peak memory (MB) of its largest process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", PEAK, *command], check=True, capture_output=True, text=True, cwd=cwd)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, int(run.stdout.split()[-1]) / 1024


def edited_chapter() -> tuple[Path, str]:
    """The chapter a rebuild finds edited, and its text as it was."""
    from cxanalysis.runner import chapter_sources

    source = chapter_sources()[6]
    return source, source.read_text(encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--keep", help="write the scaled client here and keep it")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp()) / "scaled"
    config = scaled_client(folder, args.copies)
    print(f"{args.copies} copies of the sample's 6,000 responses written to {folder}")
    cli = [str(Path(sys.executable).parent / "cxanalysis"), "build", str(config)]
    build_folder = Path(yaml.safe_load(config.read_text(encoding="utf-8"))["output_dir"]) / "nordlys"
    rows = {"cold build": timed(cli), "rebuild, nothing changed": timed(cli)}
    source, text = edited_chapter()
    try:
        title_end = text.index("\n", text.index("\n# ") + 1)  # a sentence under the chapter's title
        source.write_text(text[:title_end] + "\n\nOne more sentence." + text[title_end:], encoding="utf-8")
        rows[f"rebuild, {source.stem} edited"] = timed(cli)
    finally:
        source.write_text(text, encoding="utf-8")
    floor = timed([sys.executable, "-c", FLOOR, str(config), str(build_folder)], cwd=source.parent)
    print(f"{'':<36}{'CPU s':>8}{'wall s':>8}{'peak MB':>9}{'x floor':>9}{'x cold':>8}")
    print(f"{'floor (chapters in one process)':<36}{floor[0]:>8.1f}{floor[1]:>8.1f}{floor[2]:>9.0f}")
    cold = rows["cold build"][0]
    for name, (cpu, wall, peak) in rows.items():
        print(f"{name:<36}{cpu:>8.1f}{wall:>8.1f}{peak:>9.0f}{cpu / floor[0]:>9.2f}{cpu / cold:>8.2f}")
    if not args.keep:
        shutil.rmtree(folder.parent)


if __name__ == "__main__":
    main()
