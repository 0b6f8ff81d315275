"""Free-text comments: redaction of personal data before any comment reaches a page."""

from __future__ import annotations

import re

import pandas as pd

from .metrics import wilson_interval

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# International (+47 912 34 567, +46 70 123 45 67) and Nordic national forms
# (912 34 567, 070-123 45 67, 22 33 44 55): 8 or more digits with spaces or dashes.
_PHONE = r"(?<![\w])(?:\+\d{1,3}[\s-]?)?(?:\(?\d{2,4}\)?[\s-]?)(?:\d[\s-]?){5,9}\d(?![\w])"
_LONG_DIGITS = r"\d{8,}"
REDACTION_PATTERNS = {"e-mail": _EMAIL, "phone": _PHONE, "number": _LONG_DIGITS}
_REDACTOR = re.compile("|".join(f"(?P<{k.replace('-', '_')}>{v})" for k, v in REDACTION_PATTERNS.items()))


def redact(text: str) -> str:
    """Replace e-mail addresses, phone numbers and long digit runs by a label.

    >>> redact("Ring meg på +47 912 34 567 eller skriv til kari@example.no")
    'Ring meg på [phone] eller skriv til [e-mail]'
    """
    return _REDACTOR.sub(lambda m: f"[{m.lastgroup.replace('_', '-')}]", text)


def redact_comments(comments: pd.Series) -> pd.Series:
    """Redact a column of comments (missing stays missing)."""
    return comments.astype("string").str.replace(_REDACTOR, lambda m: f"[{m.lastgroup.replace('_', '-')}]", regex=True)


def comment_overview(responses: pd.DataFrame, by: str) -> pd.DataFrame:
    """Responses, comments and the share commenting (percent, Wilson 95 % CI) per group."""
    has_comment = responses["comment"].notna()
    grouped = has_comment.groupby(responses[by], observed=True, sort=True)
    out = pd.DataFrame({"responses": grouped.size(), "comments": grouped.sum()})
    share = out["comments"] / out["responses"]
    low, high = wilson_interval(share, out["responses"])
    out["share_commenting"], out["ci_low"], out["ci_high"] = 100 * share, 100 * low, 100 * high
    return out.reset_index()


def example_comments(responses: pd.DataFrame, *, per_group: int, min_comments: int,
                     seed: int = 1) -> pd.DataFrame:
    """Redacted example comments from the latest period's least and most satisfied customers.

    A group's comments are shown only when it has at least ``min_comments``.
    """
    latest = responses[responses["period"] == responses["period"].max()]
    commented = latest[latest["comment"].notna()]
    nps_group = pd.cut(commented["nps"], [-1, 6, 8, 10], labels=["detractor", "passive", "promoter"])
    csat_group = pd.cut(commented["csat"], [0, 2, 4, 5], labels=["detractor", "passive", "promoter"])
    group = nps_group.astype("string").fillna(csat_group.astype("string"))
    frames = []
    for name, label in (("detractor", "Least satisfied"), ("promoter", "Most satisfied")):
        pool = commented[group == name]
        if len(pool) < min_comments:
            continue
        chosen = pool.sample(min(per_group, len(pool)), random_state=seed)
        frames.append(pd.DataFrame({"customers": label, "touchpoint": chosen["touchpoint"].astype("string").fillna("relationship"),
                                    "comment": redact_comments(chosen["comment"])}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
