"""Short method names for the table of the effects of logged changes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxanalysis import effects


def test_each_estimator_has_a_short_name():
    rng = np.random.default_rng(2)
    n = 400
    treated = pd.Series(rng.random(n) < 0.5)
    after = pd.Series(rng.random(n) < 0.5)
    values = pd.Series(rng.normal(size=n))
    did = effects.difference_in_differences(values, treated, after, pd.Series(rng.integers(0, 12, n)))
    assert effects.method_label(did["method"]) == "difference-in-differences"

    dates = pd.Series(pd.date_range("2025-01-01", "2025-12-31", periods=n))
    its = effects.interrupted_time_series(values, dates, pd.Timestamp("2025-07-01"))
    assert effects.method_label(its["method"]) == "interrupted time series"


def test_a_change_that_could_not_be_estimated_keeps_its_reason():
    reason = "not estimable: no comparison group and fewer than 3 months on a side"
    assert effects.method_label(reason) == reason
