"""The command line and ``import cxanalysis`` start without the heavy libraries: each is imported by
what needs it (a chapter, a command), and every top-level name still resolves to its submodule's object."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Libraries that take seconds to import between them.
HEAVY = ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "seaborn", "IPython")
#: What validating a client needs no more than showing a chapter does.
CHARTS = ("matplotlib", "seaborn", "IPython")


def imported_after(code: str) -> set[str]:
    """The heavy top-level packages a fresh interpreter has imported after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted({{m.partition('.')[0] for m in sys.modules}})))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1])) & set(HEAVY)


def test_import_cxanalysis_imports_no_heavy_library():
    assert imported_after("import cxanalysis") == set()


def test_import_of_the_command_line_imports_no_heavy_library():
    assert imported_after("import cxanalysis.cli") == set()


@pytest.mark.parametrize(
    "argv", [["--help"], *([sub, "--help"] for sub in ("build", "validate", "new", "inspect", "sample"))]
)
def test_help_imports_no_heavy_library(argv):
    code = (
        "import contextlib, io\n"
        "from cxanalysis.cli import parser\n"
        "with contextlib.redirect_stdout(io.StringIO()) as shown:\n"
        "    try:\n"
        f"        parser().parse_args({argv!r})\n"
        "    except SystemExit:\n"
        "        pass\n"
        "assert 'usage: cxanalysis' in shown.getvalue()\n"
    )
    assert imported_after(code) == set()


def test_a_client_imports_no_chart_library_until_a_chapter_shows_something():
    assert imported_after("import cxanalysis.client, cxanalysis.actions, cxanalysis.loading") & set(CHARTS) == set()


def test_every_public_name_resolves_to_its_submodules_object():
    code = (
        "import importlib, cxanalysis\n"
        "for name in cxanalysis.__all__:\n"
        "    value = getattr(cxanalysis, name)\n"
        "    if name != '__version__':\n"
        "        module = importlib.import_module('cxanalysis.' + cxanalysis._LAZY[name])\n"
        "        assert value is getattr(module, name), name\n"
        "    assert name in dir(cxanalysis), name\n"
        "assert sorted(cxanalysis.__all__) == sorted(['__version__', *cxanalysis._LAZY])\n"
        "from cxanalysis import nps, open_client, charts, words\n"
        "assert charts.__name__ == 'cxanalysis.charts' and words.__name__ == 'cxanalysis.words'\n"
        "try:\n"
        "    cxanalysis.no_such_name\n"
        "except AttributeError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('an unknown name resolved')\n"
    )
    imported_after(code)
