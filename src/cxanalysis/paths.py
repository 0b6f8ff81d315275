"""Where the template's own files are, found from the package's location."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parents[1]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
BOOK_DIR = REPO_ROOT / "book"
SAMPLE_DIR = REPO_ROOT / "data" / "sample"
SAMPLE_CONFIG = SAMPLE_DIR / "client.yml"
