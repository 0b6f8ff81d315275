"""Free-text comments: who comments, and example comments per group (redacted when loaded)."""

from __future__ import annotations

import pandas as pd

from .metrics import wilson_interval
from .rules import nps_group, satisfaction_band
from .themes import same_text_key
from .translation import N_, _


def comment_overview(responses: pd.DataFrame, by: str) -> pd.DataFrame:
    """Responses, comments and the share commenting (percent, Wilson 95 % CI) per group."""
    has_comment = responses["comment"].notna()
    grouped = has_comment.groupby(responses[by], observed=True, sort=True)
    out = pd.DataFrame({"responses": grouped.size(), "comments": grouped.sum()})
    share = out["comments"] / out["responses"]
    low, high = wilson_interval(share, out["responses"])
    out["share_commenting"], out["ci_low"], out["ci_high"] = 100 * share, 100 * low, 100 * high
    return out.reset_index()


def example_comments(
    responses: pd.DataFrame, *, scales: dict[str, tuple[int, int]], per_group: int, min_comments: int, seed: int = 1
) -> pd.DataFrame:
    """Example comments (redacted when loaded) from the latest period's least and most satisfied customers.

    A customer is least satisfied as an NPS detractor or, without an NPS
    answer, with a CSAT in the bottom boxes of its scale; most satisfied as
    a promoter or with a CSAT in the top boxes. A group's comments are shown
    only when it has at least ``min_comments``, and no text twice.
    """
    latest = responses[responses["period"] == responses["period"].max()]
    commented = latest[latest["comment"].notna()]
    by_nps = nps_group(commented["nps"]).map({"detractor": "least", "promoter": "most", "passive": "middle"})
    by_csat = satisfaction_band(commented["csat"], scales["csat"]).map(
        {"dissatisfied": "least", "satisfied": "most", "neutral": "middle"}
    )
    group = by_nps.astype("string").fillna(by_csat.astype("string"))
    frames = []
    for name, label in (("least", N_("Least satisfied")), ("most", N_("Most satisfied"))):
        pool = commented[group == name]
        if len(pool) < min_comments:
            continue
        distinct = pool[~same_text_key(pool["comment"]).duplicated()]
        chosen = distinct.sample(min(per_group, len(distinct)), random_state=seed)
        frames.append(
            pd.DataFrame(
                {
                    "customers": _(label),
                    "touchpoint": chosen["touchpoint"].astype("string").fillna("relationship"),
                    "comment": chosen["comment"],
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
