"""The command line: build, validate, inspect, new, sample."""

from __future__ import annotations

import argparse
import errno
import re
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

# Each command imports what it needs (pandas, the loaders, the book's runner) when it runs, so that
# `cxanalysis --help` and a command's `--help` answer at once.
from .errors import CXInputError
from .paths import CHECKOUT, SAMPLE_CONFIG, SAMPLE_DIR, inside_installed_package

if TYPE_CHECKING:
    from .config import ClientConfig

#: Where ``cxanalysis sample`` writes: the sample client's folder in a checkout of the template; in the
#: current folder when the template is installed, whose own copy of the sample stays as shipped.
SAMPLE_OUT = SAMPLE_DIR if CHECKOUT is not None else Path("sample")


def cmd_validate(args: argparse.Namespace) -> int:
    from .config import load_config
    from .loading import accounting_report, accounting_summary, check_all, load_all, unknown_answer_labels
    from .program import check_references, load_journey, load_stakeholders

    config = load_config(args.config)
    stakeholders = load_stakeholders(config)
    check_references(config, load_journey(config), stakeholders)
    loaded = load_all(config)
    check = check_all(config, loaded)
    print(f"Config {config.config_file} is valid (client {config.client.name}).")
    print(accounting_report(accounting_summary(check.accounting)))
    for f in check.files.itertuples():
        if getattr(f, "notes", ""):
            print(f"How {f.file} was read: {f.notes}")
    for warning in check.warnings:
        print(f"Warning: {warning}")
    from .actions import action_plan, missing_owners
    from .client import ClientData

    client = ClientData(config)
    client.tables = loaded  # the files read above, not read a second time
    for warning in missing_owners(action_plan(client)):
        print(f"Warning: {warning}")
    teams = {team.id for team in stakeholders.teams} if stakeholders is not None else set()
    for i, initiative in enumerate(config.action_plan.initiatives):
        if initiative.owner and teams and initiative.owner not in teams:
            print(
                f"Warning: action_plan.initiatives[{i}] '{initiative.initiative}' names owner '{initiative.owner}', "
                f"which is not a team in the stakeholders file (teams: {', '.join(sorted(teams))})"
            )
    unknown = unknown_answer_labels(config, check.quarantine)
    if not unknown.empty:
        print(
            "Text answers not in their label map (quarantined; to read one, add it to its map under "
            f"'answer_labels', e.g. 'agreement-5: {{Disgree: 2}}'):\n{unknown.to_string(index=False)}"
        )
    return 0


def writable_output(config: ClientConfig) -> ClientConfig:
    """The config with an output folder a build may write to: the sample client shipped inside an
    installed template builds into ./_build, never into the installed package."""
    if inside_installed_package(config.output_dir):
        return config.model_copy(update={"output_dir": Path.cwd() / "_build"})
    return config


def cmd_build(args: argparse.Namespace) -> int:
    from .config import load_config
    from .runner import BookBuildError, BuildInProgress, build, edition, staging_dir

    if args.workers < 1:
        print(f"error: --workers must be 1 or more (chapters executed at a time), not {args.workers}", file=sys.stderr)
        return 2
    config = writable_output(load_config(args.config, language=args.language))
    published = edition(config, args.teaching).published_dir
    kept = f"the previous book in {published} is kept" if published.exists() else "no earlier book was there"
    what = "teaching edition of the book" if args.teaching else "book"
    print(f"Building the {what} for {config.client.name} into {published}")
    try:
        outcome = build(
            config,
            command=["cxanalysis", *args.argv],
            workers=args.workers,
            pdf=args.pdf,
            teaching=args.teaching,
            cache=not args.no_cache,
        )
    except BuildInProgress as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        if args.debug:
            raise
        # Write errors without a file name (a full disk) are named by the folder the build writes to.
        path = exc.filename or staging_dir(edition(config, args.teaching))
        not_folder = exc.errno in (errno.EEXIST, errno.ENOTDIR)
        reason = "it is not a folder" if not_folder else (exc.strerror or str(exc))
        print(f"error: cannot write the build to {path}: {reason}; {kept}", file=sys.stderr)
        return 2
    except BookBuildError as exc:
        print(f"\nThe build failed; {kept}.\n{exc}", file=sys.stderr)
        print(f"The unfinished build is in {staging_dir(edition(config, args.teaching))}.", file=sys.stderr)
        return 1
    print(f"Done in {outcome.seconds:.0f} s. Open {outcome.index}")
    if outcome.pdf:
        print(f"PDF: {outcome.pdf}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    slug = re.sub(r"[^a-z0-9]+", "-", args.name.lower()).strip("-")
    if not slug:
        raise CXInputError(f"cannot make a folder name from {args.name!r}", fix="use letters or digits in the name")
    folder = Path(args.dir) / slug
    if folder.exists():
        raise CXInputError("the client folder already exists", file=folder, fix="choose another name or --dir")
    text = SAMPLE_CONFIG.read_text(encoding="utf-8")
    text = text.replace("name: Nordlys Retail ", f"name: {args.name} ", 1).replace(
        "slug: nordlys ", f"slug: {slug} ", 1
    )
    text = re.sub(
        r"(?m)^output_dir: .*$", "output_dir: _build                # the book goes to <output_dir>/<slug>/", text
    )
    text = re.sub(r"(?m)^  subtitle: .*\n", "", text)
    # The sample's consultancy, audience and survey names are the sample's own: the new client starts without them.
    text = re.sub(r"(?m)^  prepared_by: .*$", '  prepared_by: ""               # e.g. "Prepared by <your firm>"', text)
    text = re.sub(
        r"(?m)^  confidentiality: .*$",
        f'  confidentiality: ""           # e.g. "Confidential: prepared for {args.name}\'s leadership team"',
        text,
    )
    text = re.sub(
        r"(?m)^display_names:\n(  .*\n)+",
        "display_names: {}                 # e.g. {relational_nps: Relationship survey}\n",
        text,
    )
    text = re.sub(r"(?m)^  notice:.*\n(    .*\n)+", "", text)
    text = text.replace("Nordlys", args.name)  # the sample's question wording names its company
    header = (
        f"# Client config for {args.name}, made from the sample client's config.\n"
        "# Put the client's exports in this folder (or point 'path' at them), then\n"
        "# map their column names under 'columns' and run:\n"
        f"#   cxanalysis validate {folder / 'client.yml'}\n"
    )
    folder.mkdir(parents=True)
    (folder / "client.yml").write_text(header + text.split("\n", 3)[3], encoding="utf-8")
    for name in ("journey.yml", "stakeholders.yml"):
        (folder / name).write_text((SAMPLE_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    print(f"Created {folder}/ with client.yml, journey.yml and stakeholders.yml.")
    print(
        f"Next: add the client's data files, edit {folder / 'client.yml'}, then run "
        f"'cxanalysis validate {folder / 'client.yml'}' and 'cxanalysis build {folder / 'client.yml'}'.\n"
        f"To try it on the sample client's data first: 'cxanalysis sample --out {folder}'."
    )
    return 0


def cmd_inspect(args: argparse.Namespace) -> int:
    from .inspection import config_text, inspect_file, proposed_config, report_text

    inspection = inspect_file(args.file, sheet=args.sheet, export=args.export)
    print(report_text(inspection))
    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and not args.force:
        raise CXInputError("the config file already exists", file=out, fix="choose another --out, or add --force")
    config = proposed_config(
        inspection, config_dir=(out.resolve().parent if out else Path.cwd()), client_name=args.client
    )
    text = config_text(inspection, config)
    if out is None:
        print("\nProposed client config (save it as client.yml, or rerun with --out client.yml):\n")
        print(text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(
            f"\nWrote the proposed client config to {out}. Name the client, check the mapping, then run "
            f"'cxanalysis validate {out}' and 'cxanalysis build {out}'."
        )
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    from .sample import generate_sample

    out = Path(args.out)
    written = generate_sample(out, seed=args.seed)
    for name, rows in written.items():
        print(f"  {out / name}: {rows} rows")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="cxanalysis", description="Customer-experience measurement, reported as a book.")
    top.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    sub = top.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="check the data, execute every chapter and render the book")
    build.add_argument(
        "config",
        nargs="?",
        default=str(SAMPLE_CONFIG),
        help="client config (default: the sample client, built into ./_build when the template is installed)",
    )
    build.add_argument("--workers", type=int, default=2, help="chapters executed at a time (default 2)")
    build.add_argument(
        "--pdf", action="store_true", help="also print the book as <slug>-report.pdf (headless Chromium)"
    )
    build.add_argument(
        "--language",
        choices=["en", "nb", "da", "sv"],
        help="the report's language, in place of the config's report.language",
    )
    build.add_argument(
        "--teaching",
        action="store_true",
        help="the teaching edition: code behind toggles, method notes open, exercises shown",
    )
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="execute every chapter, even those unchanged since the last build (their cache is renewed)",
    )
    build.set_defaults(run=cmd_build)
    validate = sub.add_parser("validate", help="check a config and its data files, with the row accounting")
    validate.add_argument("config")
    validate.set_defaults(run=cmd_validate)
    new = sub.add_parser("new", help="create a client folder with a commented config")
    new.add_argument("name", help="the client's name, e.g. 'Acme Retail'")
    new.add_argument("--dir", default="clients", help="folder for client folders (default: clients)")
    new.set_defaults(run=cmd_new)
    inspect = sub.add_parser("inspect", help="describe an export's columns and propose a client config for it")
    inspect.add_argument("file", help="a survey export (CSV, XLSX or Parquet)")
    inspect.add_argument("--out", help="write the proposed config here (default: print it)")
    inspect.add_argument("--client", help="the client's name for the proposed config")
    inspect.add_argument("--sheet", help="XLSX sheet name (default: the first sheet)")
    inspect.add_argument("--export", help="the export layout, when detection gets it wrong")
    inspect.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    inspect.set_defaults(run=cmd_inspect)
    sample = sub.add_parser("sample", help="regenerate the sample client's data files")
    sample.add_argument(
        "--out",
        default=str(SAMPLE_OUT),
        help="output folder (default: data/sample in a checkout of the template; ./sample when it is installed)",
    )
    sample.add_argument("--seed", type=int, default=2025)
    sample.set_defaults(run=cmd_sample)
    return top


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise Stopped(signum)


class Stopped(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: the build stops its workers and keeps the previous book."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        return args.run(args)
    except KeyboardInterrupt as exc:
        if args.debug:
            raise
        signum = exc.signum if isinstance(exc, Stopped) else signal.SIGINT
        kept = "; the previous book is kept" if args.command == "build" else ""
        print(f"Stopped: the {args.command} was interrupted{kept}.", file=sys.stderr)
        return 128 + signum
    except CXInputError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
