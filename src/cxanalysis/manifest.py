"""What a build was made from: the reproducibility record behind results/manifest.json.

The record lists the config (paths cut to file names, secrets and personal
data redacted), every input file with its rows and SHA-256, the versions of
the template, Python and every installed package, the command and the time.
"""

from __future__ import annotations

import datetime as dt
import functools
import glob
import hashlib
import json
import platform
import re
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from .chapter_cache import sha256
from .config import ClientConfig, read_yaml
from .paths import CHECKOUT
from .presentation import exact, number
from .privacy import Redactor
from .translation import N_, _
from .words import adjustment_name, display_value, period_words, plain_name

MANIFEST_NAME = "manifest.json"
RESULTS_FOLDER = "results"
#: An input file's role in the record is this and the source's name, for each survey source.
_SURVEY_SOURCE = "survey source "
_SECRET_KEY = re.compile(r"password|passwd|secret|token|api[_-]?key|credential", re.IGNORECASE)
_ABSOLUTE_PATH = re.compile(r"^(?:/|~|[A-Za-z]:[\\/])\S*$")
_PATH_KEYS = {"path", "journey", "themes", "stakeholders", "output_dir"}
REDACTED = "[redacted]"


def redacted_config(config: ClientConfig) -> dict[str, Any]:
    """The config as written, redacted by :func:`redact_settings`.

    >>> import cxanalysis
    >>> redacted_config(cxanalysis.load_config())["sources"][0]["path"]
    'relational_nps.csv'
    """
    return redact_settings(read_yaml(config.file), Redactor(config.privacy.patterns))


def redact_settings(settings: Any, redactor: Redactor, key: str = "") -> Any:
    """Settings fit to publish: paths cut to file names, values of keys that name a password, token,
    secret or API key blanked, and personal data in text redacted.

    >>> redact_settings({"path": "/srv/acme/nps.csv", "api_token": "abc", "note": "ask ola@acme.no"}, Redactor())
    {'path': 'nps.csv', 'api_token': '[redacted]', 'note': 'ask [e-mail]'}
    """
    if _SECRET_KEY.search(key):
        return REDACTED
    if isinstance(settings, dict):
        return {k: redact_settings(v, redactor, str(k)) for k, v in settings.items()}
    if isinstance(settings, list):
        return [redact_settings(v, redactor, key) for v in settings]
    if isinstance(settings, str):
        if key in _PATH_KEYS or _ABSOLUTE_PATH.match(settings):
            return Path(settings.replace("\\", "/")).name
        return redactor.redact(settings)
    return settings


def input_files(config: ClientConfig, rows_read: pd.DataFrame | None = None) -> list[dict[str, Any]]:
    """Every file the build reads: its role, name, rows read (data files), size and SHA-256. A source of
    several Parquet files (a pattern) is one entry, fingerprinted by every matching file's name and bytes;
    a table read by ``connection`` is named by its table and fingerprinted by its rows
    (:func:`cxanalysis.warehouse.table_fingerprint`), since no file holds it."""
    rows = {}
    if rows_read is not None:
        rows = rows_read.groupby("file")["read"].sum().to_dict()
    entries = [_file_entry("config", config.file, None)]
    for source in config.sources:
        role = f"{_SURVEY_SOURCE}{source.name}"
        if source.connection:
            from .warehouse import table_fingerprint

            table = source.table or ""
            entries.append(
                {
                    "role": role,
                    "file": table,
                    "rows": int(rows.get(table, 0)),
                    "bytes": None,
                    "sha256": table_fingerprint(source),
                }
            )
        elif source.file_format == "parquet" and any(c in str(source.path) for c in "*?["):
            matches = sorted(Path(p) for p in glob.glob(str(source.path), recursive=True))
            entries.append(
                {
                    "role": role,
                    "file": source.file_name,
                    "rows": int(rows.get(source.file_name, 0)),
                    "bytes": sum(match.stat().st_size for match in matches),
                    "sha256": hashlib.sha256("".join(f"{m.name}:{sha256(m)};" for m in matches).encode()).hexdigest(),
                }
            )
        else:
            entries.append(_file_entry(role, source.path, rows))
    for role in ("customers", "tickets", "agent_satisfaction", "invitations"):
        spec = getattr(config, role)
        if spec is not None:
            entries.append(_file_entry(role, spec.path, rows))
    if config.follow_up.log is not None:
        entries.append(_file_entry("follow_up_log", config.follow_up.log.path, rows))
    entries += [
        _file_entry(role, getattr(config, role), None)
        for role in ("journey", "stakeholders", "themes")
        if getattr(config, role) is not None
    ]
    return entries


def _file_entry(role: str, path: Path, rows: dict[str, int] | None) -> dict[str, Any]:
    """One input file; ``rows`` read per file name for a data file, None for a config file."""
    return {
        "role": role,
        "file": path.name,
        "rows": int(rows.get(path.name, 0)) if rows is not None else None,
        "bytes": path.stat().st_size,
        "sha256": sha256(path),
    }


def _template_commit() -> str | None:
    """The template's git commit when it runs from a git checkout of its own; None for an installed
    package, where the version says what it is, and for a copy of the files inside another repository."""
    if CHECKOUT is None:
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(CHECKOUT), "rev-parse", "--show-toplevel", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = done.stdout.splitlines()
    if done.returncode != 0 or len(lines) != 2 or Path(lines[0]).resolve() != CHECKOUT:
        return None
    return lines[1]


def installed_packages() -> dict[str, str]:
    """Every distribution installed beside the template, by name."""
    return dict(_installed_packages())


@functools.cache  # read once a process: a build asks for it for its record and for its caches' keys
def _installed_packages() -> tuple[tuple[str, str], ...]:
    versions = {dist.metadata["Name"]: dist.version for dist in metadata.distributions() if dist.metadata["Name"]}
    return tuple(sorted(versions.items(), key=lambda item: item[0].lower()))


def describe_build(
    config: ClientConfig,
    *,
    command: list[str] | None,
    edition: str = "client",
    rows_read: pd.DataFrame | None = None,
    started: dt.datetime | None = None,
) -> dict[str, Any]:
    """The reproducibility record of a build (``command`` as typed; file paths in it are cut to names)."""
    started = started or dt.datetime.now(dt.UTC)
    shown_command = None
    if command:
        shown_command = " ".join(Path(part).name if "/" in part or "\\" in part else part for part in command)
    return {
        "client": {"name": config.client.name, "slug": config.client.slug},
        "built_at": started.isoformat(timespec="seconds"),
        "command": shown_command,
        "edition": edition,
        "template": {"cxanalysis": metadata.version("cxanalysis"), "commit": _template_commit()},
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.machine()}",
        "inputs": input_files(config, rows_read),
        "packages": installed_packages(),
        "config": redacted_config(config),
    }


def write_manifest(config: ClientConfig, record: dict[str, Any]) -> Path:
    path = config.results_dir / MANIFEST_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return path


def read_manifest(config: ClientConfig) -> dict[str, Any]:
    """This build's record; a book built without ``cxanalysis build`` (``jupyter-book build .``)
    describes itself from the config, with no command."""
    path = config.results_dir / MANIFEST_NAME
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    from .loading import accounting_summary, check_all

    return describe_build(config, command=None, rows_read=accounting_summary(check_all(config).accounting))


#: The packages the book's numbers and pages depend on most, shown first in the appendix.
KEY_PACKAGES = [
    "cxanalysis",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "seaborn",
    "matplotlib",
    "papermill",
    "jupyter-book",
    "myst-nb",
    "sphinx",
    "pydantic",
    "playwright",
]


def package_table(record: dict[str, Any]) -> pd.DataFrame:
    """Key packages first, then every other one, with their versions."""
    packages = record["packages"]
    lower = {name.lower(): name for name in packages}
    key = [lower[name] for name in KEY_PACKAGES if name in lower]
    rest = [name for name in packages if name not in key]
    return pd.DataFrame(
        {
            "package": key + rest,
            "version": [packages[n] for n in key + rest],
            "key": [True] * len(key) + [False] * len(rest),
        }
    )


#: The role of each input file the record names, as a reader names it.
ROLES = {
    "config": N_("config"),
    "customers": N_("customers"),
    "tickets": N_("tickets"),
    "follow_up_log": N_("follow-up log"),
    "agent_satisfaction": N_("agent satisfaction"),
    "invitations": N_("invitations"),
    "journey": N_("journey"),
    "stakeholders": N_("stakeholders"),
    "themes": N_("themes"),
}


def role_label(role: str) -> str:
    """An input file's role in the report language: "survey source relational" is "undersøkelse relational"."""
    if role.startswith(_SURVEY_SOURCE):
        return _("survey source {name}").format(name=role.removeprefix(_SURVEY_SOURCE))
    return _(ROLES[role]) if role in ROLES else role


def inputs_table(record: dict[str, Any], digits: int = 16) -> pd.DataFrame:
    """The record's input files as a table: each file's role in words, rows read (data files only) and the
    first ``digits`` of the SHA-256 fingerprint, enough to tell files apart (the record keeps all 64)."""
    inputs = pd.DataFrame(record["inputs"], columns=["role", "file", "rows", "bytes", "sha256"])
    inputs["role"] = inputs["role"].map(role_label)
    inputs["sha256"] = inputs["sha256"].str[:digits] + "…"
    return inputs.astype({"rows": "Int64", "bytes": "Int64"}).rename(columns={"sha256": "sha-256"})


def versions_sentence(record: dict[str, Any]) -> str:
    """Where the versions of the packages behind the book are kept.

    >>> versions_sentence({"packages": {"pandas": "2.2.3", "numpy": "2.1.3"}})
    'The versions of all 2 packages installed beside the template are recorded in `results/manifest.json`, beside the result tables.'
    """
    return _(
        "The versions of all {count} packages installed beside the template are recorded in `{file}`, "
        "beside the result tables."
    ).format(count=number(len(record["packages"])), file=f"{RESULTS_FOLDER}/{MANIFEST_NAME}")


def _names(values: list[str]) -> str:
    return ", ".join(plain_name(value) for value in values) or _("none")


def _file(path: Path | None, absent: str | None = None) -> str:
    return path.name if path is not None else absent or _("none")


def config_summary(config: ClientConfig) -> pd.DataFrame:
    """The config as a reader needs it: data sources, periods, groups, scales, thresholds and money, one
    setting a row in words, in the report language (files by name only; the config itself stays with the
    consultant)."""
    report, scales, money, significance = config.report, config.scales, config.money, config.significance
    sources = "; ".join(
        _("{name}: {file} (survey {survey})").format(
            name=source.name, file=source.path.name, survey=display_value("survey", source.survey)
        )
        if source.survey
        else f"{source.name}: {source.path.name}"
        for source in config.sources
    )
    periods = period_words(report.period)["periods"]
    revenue = period_words(money.revenue_period)
    rows = [
        (_("Client"), config.client.name),
        (_("Report"), "; ".join(text for text in (report.heading, report.subtitle) if text)),
        (_("Survey exports"), sources),
        (
            _("Reporting periods"),
            _("{periods}; a latest period with few responses is left out").format(periods=periods)
            if report.partial_period == "leave_out"
            else periods,
        ),
        (_("Segments"), _names(config.segments)),
        (_("Attribute ratings"), _names(config.attributes)),
        (
            _("Questions as customers read them"),
            "; ".join(f"{plain_name(name)}: “{wording}”" for name, wording in config.questions.items()) or "–",
        ),
        (
            _("Scales"),
            ", ".join(
                _("{name} {low} to {high}").format(name=name, low=number(low), high=number(high))
                for name, (low, high) in (
                    ("NPS", scales.nps),
                    ("CSAT", scales.csat),
                    ("CES", scales.ces),
                    (_("attributes"), scales.attributes),
                )
            ),
        ),
        (_("Journey and listening posts"), _file(config.journey)),
        (_("Stakeholders, goals and KPIs"), _file(config.stakeholders)),
        (_("Themes of comments"), _file(config.themes, _("the template's themes"))),
        (_("Customers (revenue and churn)"), _file(config.customers.path if config.customers else None)),
        (_("Support tickets"), _file(config.tickets.path if config.tickets else None)),
        (
            _("Anonymity"),
            _("no number from fewer than {responses} responses; no comments from fewer than {comments}").format(
                responses=number(config.anonymity.min_responses), comments=number(config.anonymity.min_comments)
            ),
        ),
        (
            _("Redacted in comments"),
            _("e-mail addresses, phone numbers, links with tokens, identity numbers, long digit runs")
            + "".join(f", {name}" for name in config.privacy.patterns),
        ),
        (
            _("Significance"),
            _("level {alpha} after {adjustment} adjustment").format(
                alpha=exact(significance.alpha), adjustment=adjustment_name(significance.adjust)
            ),
        ),
        (
            _("Money"),
            "; ".join(
                part
                for part in (
                    money.currency,
                    _("{count} active customers").format(count=number(money.customers))
                    if money.customers is not None
                    else "",
                    _("revenue {amount} per customer per {period}").format(
                        amount=number(money.revenue_per_customer), period=revenue["period"]
                    )
                    if money.revenue_per_customer is not None
                    else "",
                    _("{percent} % added churn when dissatisfied, per {period}").format(
                        percent=number(100 * money.churn_if_dissatisfied), period=revenue["period"]
                    )
                    if money.churn_if_dissatisfied is not None
                    else "",
                )
                if part
            ),
        ),
        (_("Changes whose effect is estimated"), number(len(config.action_log))),
        (_("Initiatives in the action plan"), number(len(config.action_plan.initiatives))),
    ]
    return pd.DataFrame(rows, columns=["setting", "value"])


__all__ = [
    "MANIFEST_NAME",
    "config_summary",
    "describe_build",
    "input_files",
    "inputs_table",
    "package_table",
    "read_manifest",
    "redact_settings",
    "redacted_config",
    "sha256",
    "versions_sentence",
    "write_manifest",
]
