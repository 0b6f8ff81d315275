"""Where the template's own files are, found from the package's location.

The book's sources (chapters, pages, Jupyter Book config and table of
contents) and the sample client live at the root of the template's
repository, where ``jupyter-book build .`` finds them. An installed package
carries a copy of them, in the same layout, as ``cxanalysis/template/``
(pyproject.toml maps them in); an editable install reads them from its
checkout.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_SHIPPED = PACKAGE_DIR / "template"
#: The repository checkout the package runs from; None for an installed package.
CHECKOUT: Path | None = None if _SHIPPED.is_dir() else PACKAGE_DIR.parents[1]
#: The folder holding notebooks/, book/, data/sample/, _config.yml and _toc.yml.
TEMPLATE_DIR = _SHIPPED if CHECKOUT is None else CHECKOUT
NOTEBOOKS_DIR = TEMPLATE_DIR / "notebooks"
BOOK_DIR = TEMPLATE_DIR / "book"
BOOK_CONFIG = TEMPLATE_DIR / "_config.yml"
BOOK_TOC = TEMPLATE_DIR / "_toc.yml"
SAMPLE_DIR = TEMPLATE_DIR / "data" / "sample"
SAMPLE_CONFIG = SAMPLE_DIR / "client.yml"


def inside_installed_package(path: Path) -> bool:
    """True for a path in the installed package's folder, which a build must never write into."""
    return CHECKOUT is None and Path(path).resolve().is_relative_to(PACKAGE_DIR)
