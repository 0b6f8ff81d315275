"""The teaching edition's exercises hold on the sample: a chapter run through papermill with the exercise's
parameter changed shows, in its computed solution, the outcome the exercise states."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from exercises import run_chapter, solution

pytestmark = pytest.mark.slow


def test_benjamini_hochberg_is_never_stricter_and_only_region_nord_differs_on_nps(tmp_path):
    """Chapter 5: with adjust = "fdr_bh", Benjamini-Hochberg's adjusted p-values are never larger than
    Holm's; new and returning customers and the channels show no NPS difference; Nord does."""
    shown = solution(run_chapter("05_significance", tmp_path, adjust="fdr_bh"))
    found = re.search(r"(\d+) of the (\d+) adjusted p-values are smaller than with Holm's and (\d+) larger", shown)
    assert found and int(found[3]) == 0 and int(found[1]) > 0, shown
    nps = shown[shown.index("NPS of each group") :]
    assert re.search(r"Region Nord: −\d+\.\d \(significantly lower\)", nps), nps
    groups = nps.split(": ", 1)[1].split("\n")[0].split("; ")
    assert len(groups) >= 5, groups
    for group in (g for g in groups if g.startswith(("Channel", "Customer type"))):
        assert "too few responses to tell" in group or "no detectable difference" in group, group
    # the chapter ran with the exercise's setting: its comparisons are adjusted by Benjamini-Hochberg
    comparisons = pd.read_csv(tmp_path / "build" / "results" / "comparisons.csv")
    assert len(comparisons) > 0
