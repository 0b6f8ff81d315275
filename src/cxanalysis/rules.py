"""The program's scoring rules, each written once: NPS groups, top and bottom boxes, the default significance level.

Every module that counts promoters, satisfied customers or easy contacts,
colours an answer, or labels a box asks this module, so a client whose
CSAT runs 1-7 gets 6-7 as satisfied everywhere, and a change of rule is one
change. The significance level itself comes from the client's config
(``significance.alpha``); :data:`DEFAULT_ALPHA` is only its default.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: NPS on the 0-10 recommendation scale: promoters answer 9-10, detractors 0-6, passives in between.
PROMOTER_FROM = 9
DETRACTOR_TO = 6
#: CSAT counts its top two boxes as satisfied (4-5 on 1-5).
CSAT_BOXES = 2
#: CES counts its top three boxes as easy (agreement 5-7 on 1-7).
CES_EASY_BOXES = 3
#: The scales a client's config starts from (the NPS question is always asked on 0-10).
DEFAULT_SCALES: dict[str, tuple[int, int]] = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7), "attributes": (1, 5)}
#: The significance level a client's config starts from.
DEFAULT_ALPHA = 0.05

NPS_GROUPS = ("detractor", "passive", "promoter")
SATISFACTION_BANDS = ("dissatisfied", "neutral", "satisfied")


def _boxes(scale: tuple[float, float], boxes: int) -> int:
    """Boxes counted at one end of a scale: never more than half of its answers."""
    low, high = scale
    return min(boxes, int(high - low + 1) // 2)


def top_box_threshold(scale: tuple[float, float], boxes: int = CSAT_BOXES) -> int:
    """Lowest answer counted in the top boxes: the top ``boxes`` answers, never more than half the scale.

    On 1-5 the top two boxes are 4-5; on a two-way scale (0 bad, 1 good)
    only the top answer, 1, counts.

    >>> top_box_threshold((1, 5)), top_box_threshold((1, 7), 3), top_box_threshold((0, 1)), top_box_threshold((1, 3))
    (4, 5, 1, 3)
    """
    return int(scale[1] - _boxes(scale, boxes) + 1)


def bottom_box_threshold(scale: tuple[float, float], boxes: int = CSAT_BOXES) -> int:
    """Highest answer counted in the bottom boxes, the mirror of :func:`top_box_threshold`.

    >>> bottom_box_threshold((1, 5)), bottom_box_threshold((1, 7), 3), bottom_box_threshold((0, 1))
    (2, 3, 0)
    """
    return int(scale[0] + _boxes(scale, boxes) - 1)


def box_label(scale: tuple[float, float], boxes: int = CSAT_BOXES, *, top: bool = True) -> str:
    """The answers in the top (or bottom) boxes as a reader sees them.

    >>> box_label((1, 5)), box_label((1, 7)), box_label((1, 7), 3), box_label((0, 1)), box_label((1, 5), top=False)
    ('4-5', '6-7', '5-7', '1', '1-2')
    """
    if top:
        return answers_label(top_box_threshold(scale, boxes), scale[1])
    return answers_label(scale[0], bottom_box_threshold(scale, boxes))


def answers_label(low: float, high: float) -> str:
    """A run of answers as a reader sees it: '1-3', or '1' for a single answer.

    >>> answers_label(1, 3), answers_label(0, 0)
    ('1-3', '0')
    """
    return f"{int(low)}" if low == high else f"{int(low)}-{int(high)}"


def nps_group(scores: pd.Series) -> pd.Series:
    """Each 0-10 answer as detractor, passive or promoter (missing stays missing).

    >>> nps_group(pd.Series([0, 6, 7, 8, 9, 10, None])).tolist()
    ['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter', nan]
    """
    values = pd.to_numeric(scores, errors="coerce")
    coded = np.select(
        [values >= PROMOTER_FROM, values <= DETRACTOR_TO, values.notna()],
        ["promoter", "detractor", "passive"],
        default="",
    )
    return pd.Series(coded, index=scores.index).where(values.notna()).astype(pd.CategoricalDtype(NPS_GROUPS))


def nps_points(scores) -> np.ndarray:
    """Each 0-10 answer as its contribution to NPS: +100 promoter, 0 passive, -100 detractor (NaN stays NaN).

    The mean of these points is the NPS.

    >>> nps_points([10, 8, 3, float("nan")]).tolist()
    [100.0, 0.0, -100.0, nan]
    """
    values = np.asarray(scores, dtype=float)
    points = np.where(values >= PROMOTER_FROM, 100.0, np.where(values <= DETRACTOR_TO, -100.0, 0.0))
    return np.where(np.isnan(values), np.nan, points)


def satisfaction_band(scores: pd.Series, scale: tuple[float, float], boxes: int = CSAT_BOXES) -> pd.Series:
    """Each answer as dissatisfied (bottom boxes), neutral, or satisfied (top boxes) on its scale.

    >>> satisfaction_band(pd.Series([1, 2, 3, 4, 5]), (1, 5)).tolist()
    ['dissatisfied', 'dissatisfied', 'neutral', 'satisfied', 'satisfied']
    >>> satisfaction_band(pd.Series([5, 6, 7]), (1, 7)).tolist()
    ['neutral', 'satisfied', 'satisfied']
    """
    values = pd.to_numeric(scores, errors="coerce")
    coded = np.select(
        [values >= top_box_threshold(scale, boxes), values <= bottom_box_threshold(scale, boxes), values.notna()],
        [SATISFACTION_BANDS[2], SATISFACTION_BANDS[0], SATISFACTION_BANDS[1]],
        default="",
    )
    return pd.Series(coded, index=scores.index).where(values.notna()).astype(pd.CategoricalDtype(SATISFACTION_BANDS))


def answer_colour_bands(metric: str, scale: tuple[float, float]) -> tuple[float, float]:
    """(highest bad answer, lowest good answer) for colouring a score's distribution.

    NPS: detractors bad, promoters good. CSAT: bottom and top two boxes.
    CES: bottom and top three boxes (agreement that it was easy).

    >>> answer_colour_bands("nps", (0, 10)), answer_colour_bands("csat", (1, 7)), answer_colour_bands("ces", (1, 7))
    ((6, 9), (2, 6), (3, 5))
    """
    if metric == "nps":
        return DETRACTOR_TO, PROMOTER_FROM
    boxes = CES_EASY_BOXES if metric.startswith("ces") else CSAT_BOXES
    return bottom_box_threshold(scale, boxes), top_box_threshold(scale, boxes)


#: A goal's status, in the order a scorecard lists them, with the symbol shown beside the word (never colour alone).
GOAL_STATUSES = {
    "met": "✓",
    "on track": "↗",
    "too close to tell": "≈",
    "behind": "✗",
    "too few answers": "…",
    "not measured": "–",
}


def goal_status(low: float, high: float, *, target: float, baseline: float | None, deadline_passed: bool) -> str:
    """Where a measured goal stands, from the 95 % interval of its current value.

    **met**: the whole interval at or above the target. **too close to tell**:
    the interval holds the target. Below the target: **on track** when the
    whole interval lies above the baseline (a real move toward the target)
    and the deadline has not passed, else **behind**. Every metric is
    higher-is-better.

    >>> goal_status(31, 40, target=30, baseline=10, deadline_passed=False)
    'met'
    >>> goal_status(12, 20, target=30, baseline=10, deadline_passed=False)
    'on track'
    >>> goal_status(7, 20, target=30, baseline=10, deadline_passed=False)
    'behind'
    """
    if low >= target:
        return "met"
    if high >= target:
        return "too close to tell"
    if baseline is not None and low > baseline and not deadline_passed:
        return "on track"
    return "behind"


__all__ = [
    "CES_EASY_BOXES",
    "CSAT_BOXES",
    "DEFAULT_ALPHA",
    "DEFAULT_SCALES",
    "DETRACTOR_TO",
    "GOAL_STATUSES",
    "NPS_GROUPS",
    "PROMOTER_FROM",
    "SATISFACTION_BANDS",
    "answer_colour_bands",
    "answers_label",
    "bottom_box_threshold",
    "box_label",
    "goal_status",
    "nps_group",
    "nps_points",
    "satisfaction_band",
    "top_box_threshold",
]
