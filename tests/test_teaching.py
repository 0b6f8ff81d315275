"""The teaching edition's shape: every chapter of the program teaches the same way, with learning
objectives, at least one worked example next to the package's call, exercises whose solutions are computed
on the data, key takeaways and questions to discuss; all of it in cells the client edition leaves out."""

from __future__ import annotations

import jupytext
import pytest

from conftest import REPO
from cxanalysis.runner import TEACHING_TAGS

CHAPTERS = sorted((REPO / "notebooks").glob("0*.md"))


def _is_teaching(cell) -> bool:
    return bool(set(cell.metadata.get("tags", [])) & set(TEACHING_TAGS))


def test_the_program_has_nine_chapters():
    assert [c.stem[:2] for c in CHAPTERS] == [f"0{i}" for i in range(9)]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.stem)
def test_each_chapter_teaches_in_cells_the_client_edition_leaves_out(chapter):
    notebook = jupytext.read(chapter)
    cells = [cell for cell in notebook.cells if _is_teaching(cell)]
    markdown = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    for part in ("cx-objectives", "cx-takeaways", "cx-discuss", "Try it"):
        assert part in markdown, (chapter.name, part)
    assert "worked." in code and "inspect.getsource(worked." in code, f"{chapter.name} works no example by hand"
    assert "cx.solution(" in code, f"{chapter.name} has no computed solution"
    tries = [c for c in cells if "try-it" in c.metadata.get("tags", [])]
    solutions = [c for c in cells if c.cell_type == "code" and "cx.solution(" in c.source]
    assert len(solutions) >= len(tries), (chapter.name, len(tries), len(solutions))
    # the teaching material never sits in a cell the client edition keeps
    for cell in notebook.cells:
        if not _is_teaching(cell):
            for part in ("cx-objectives", "cx-takeaways", "cx-discuss", "cx.solution(", "worked."):
                assert part not in cell.source, (chapter.name, part)
