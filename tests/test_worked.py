"""Every worked example of the teaching edition equals the package's own result, on the sample's answers and
on random ones, so the teaching text cannot drift from the code that computes the book."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

import cxanalysis as cx
from cxanalysis import worked
from cxanalysis.compare import minimum_detectable_change
from cxanalysis.drivers import relative_weights
from cxanalysis.effects import difference_in_differences
from cxanalysis.monitoring import p_chart
from cxanalysis.significance import adjust_p_values

RANDOM = np.random.default_rng(20)


@pytest.fixture(scope="module")
def sample():
    """The sample client, its answers raked to population margins: the book's estimates weight them."""
    return cx.open_client(None)


@pytest.fixture(scope="module")
def unweighted_sample(sample):
    """The sample client without its population margins: every answer counts once in the book's estimates."""
    from cxanalysis.client import ClientData

    return ClientData(sample.config.model_copy(update={"weighting": None}))


@pytest.fixture(params=["unweighted", "weighted"])
def client_and_package(request, sample, unweighted_sample):
    """A client and the client the package is called on to check a hand computation: the client itself when its
    answers are unweighted (the book's own tables), and the same answers with every weight set to 1 when they are
    weighted."""
    if request.param == "unweighted":
        return unweighted_sample, unweighted_sample
    return sample, worked.counted_once(sample)


def test_nps_by_hand_equals_the_package(sample):
    for answers in (
        sample.responses["nps"].dropna().head(12).tolist(),
        [10, 9, 9, 8, 7, 6, 3, 10, 10, 5],
        RANDOM.integers(0, 11, 200).tolist(),
        [10, 10, 10],  # the interval reaches the end of the scale and is clipped there
    ):
        package = cx.nps(answers).iloc[0]
        by_hand = worked.nps_by_hand(answers).result
        for key in ("estimate", "ci_low", "ci_high"):
            assert by_hand[key] == pytest.approx(package[key], abs=1e-9), (answers, key)


def test_wilson_by_hand_equals_the_package(sample):
    csat = sample.responses["csat"].dropna().head(15)
    for answers in (csat.tolist(), RANDOM.integers(1, 6, 300).tolist(), [5, 5, 5, 5]):
        package = cx.csat(answers).iloc[0]
        satisfied = sum(1 for a in answers if a >= 4)
        by_hand = worked.wilson_by_hand(satisfied, len(answers)).result
        for key in ("estimate", "ci_low", "ci_high"):
            assert by_hand[key] == pytest.approx(package[key], abs=1e-9), (answers, key)


def test_mde_by_hand_equals_the_package():
    for var_a, n_a, var_b, n_b, alpha in ((0.25, 400, 0.24, 380, 0.05), (2.1, 90, 1.8, 120, 0.01)):
        expected = float(minimum_detectable_change(var_a, n_a, var_b, n_b, alpha=alpha))
        assert worked.mde_by_hand(var_a, n_a, var_b, n_b, alpha=alpha).result["mde"] == pytest.approx(
            expected, rel=1e-12
        )


def test_holm_by_hand_equals_the_package():
    for p_values in ([0.01, 0.04, 0.03, 0.2], RANDOM.uniform(0, 0.2, 7).tolist(), [0.5, 0.6, 0.4, 0.9]):
        expected = adjust_p_values(pd.Series(p_values), "holm").tolist()
        by_hand = worked.holm_by_hand(p_values).result
        assert [by_hand[f"p_{i}"] for i in range(len(p_values))] == pytest.approx(expected, abs=1e-12)


def test_p_chart_by_hand_equals_the_package():
    steady = ([20, 23, 19, 22, 25, 18], [200, 210, 190, 205, 220, 185])
    varying = ([200, 215, 230, 210, 185, 190, 255, 225], [1000] * 8)  # Laney's p′ chart
    for counts, totals in (steady, varying):
        chart = p_chart(pd.Series(counts), pd.Series(totals), pd.Series(range(len(counts))))
        by_hand = worked.p_chart_by_hand(counts, totals).result
        assert by_hand["centre"] == pytest.approx(chart["centre"].iloc[0], rel=1e-12)
        for i in range(len(counts)):
            assert by_hand[f"upper_{i}"] == pytest.approx(chart["upper_limit"].iloc[i], rel=1e-12)
            assert by_hand[f"lower_{i}"] == pytest.approx(chart["lower_limit"].iloc[i], abs=1e-12)
    assert worked.p_chart_by_hand(*varying).result["sigma_z"] > 1


def test_relative_weights_by_hand_equal_the_package(sample):
    frame = sample.responses[["nps", "responsiveness", "service_quality", "troubleshooting"]].dropna().head(40)
    drivers = ["responsiveness", "service_quality", "troubleshooting"]
    package = relative_weights(frame, "nps", drivers).set_index("driver")
    by_hand = worked.relative_weights_by_hand(frame["nps"], {d: frame[d] for d in drivers}).result
    for driver in drivers:
        assert by_hand[driver] == pytest.approx(package.loc[driver, "weight"], abs=1e-12)
    # the weights add up to the R² of the regression on all three drivers
    fit = smf.ols("nps ~ responsiveness + service_quality + troubleshooting", frame).fit()
    assert by_hand["r_squared"] == pytest.approx(fit.rsquared, abs=1e-12)


def test_difference_in_differences_by_hand_equals_the_package_and_ols():
    n = 400
    treated = RANDOM.random(n) < 0.5
    after = RANDOM.random(n) < 0.5
    units = np.where(treated, RANDOM.integers(0, 2, n), RANDOM.integers(2, 5, n))
    values = 70 + 3 * treated + 2 * after + 5 * (treated & after) + RANDOM.normal(0, 10, n)
    by_hand = worked.difference_in_differences_by_hand(values.tolist(), treated.tolist(), after.tolist()).result
    package = difference_in_differences(
        pd.Series(values), pd.Series(treated), pd.Series(after), pd.Series(units), draws=99
    )
    frame = pd.DataFrame({"y": values, "treated": treated.astype(int), "after": after.astype(int)})
    ols = smf.ols("y ~ treated * after", frame).fit().params["treated:after"]
    assert by_hand["effect"] == pytest.approx(package["effect"], abs=1e-9)
    assert by_hand["effect"] == pytest.approx(ols, abs=1e-9)


def test_every_step_is_a_number_with_its_formula():
    example = worked.nps_by_hand([10, 9, 7, 3, 0, 10])
    table = example.table()
    assert list(table.columns) == ["step", "formula", "value"]
    assert table["value"].tolist()[:4] == ["6", "3", "2", "16.6667"] and table["formula"].str.len().gt(0).all()


def test_holm_by_hand_equals_every_family_of_the_sample_s_comparisons(sample):
    from cxanalysis import significance

    changes = significance.breakdown_changes(sample, adjust="holm")
    for _key, family in changes.groupby(["comparison", "dimension"]):
        by_hand = worked.holm_by_hand(family["p_value"].tolist()).result
        assert [by_hand[f"p_{i}"] for i in range(len(family))] == pytest.approx(
            family["p_adjusted"].tolist(), abs=1e-12
        )
    assert len(worked.smallest_family(changes)) >= 3
    assert worked.smallest_family(changes.iloc[0:0]).empty


def test_the_mde_by_hand_equals_the_package_for_every_share_comparison(client_and_package):
    """On unweighted answers the chapter's comparisons table; on weighted ones the package on the same answers
    counted once."""
    from cxanalysis import significance

    _client, package = client_and_package
    changes = significance.breakdown_changes(package, adjust="holm")
    shares = changes[changes["metric"] == "csat"]
    assert len(shares) >= 10
    for row in shares.itertuples():
        by_hand = worked.share_mde_by_hand(changes.loc[row.Index]).result["mde"]
        assert by_hand == pytest.approx(row.mde, rel=1e-9), (row.dimension, row.level)


def test_difference_in_differences_by_hand_equals_the_package_for_the_sample_s_logged_action(sample):
    from cxanalysis import effects

    logged = sample.config.action_log[0]
    package = effects.action_effects(sample).set_index("metric")
    for metric in logged.metrics:
        answers = effects.did_answers(sample, logged, metric)
        by_hand = worked.difference_in_differences_by_hand(
            answers["value"].tolist(), answers["treated"].tolist(), answers["after"].tolist()
        ).result
        assert by_hand["effect"] == pytest.approx(package.loc[metric, "effect"], abs=1e-9), metric
        # the four means and their answers are those of the package's estimate, and give its effect
        means = effects.did_group_means(answers).set_index(["group", "side"])
        for group in ("treated", "comparison"):
            for side in ("before", "after"):
                assert means.loc[(group, side), "n"] == package.loc[metric, f"n_{group}_{side}"]
                chosen = answers[(answers["treated"] == (group == "treated")) & (answers["after"] == (side == "after"))]
                assert means.loc[(group, side), "mean"] == pytest.approx(chosen["value"].mean(), abs=1e-12)
        m = means["mean"]
        treated_change = m["treated", "after"] - m["treated", "before"]
        difference = treated_change - (m["comparison", "after"] - m["comparison", "before"])
        assert difference == pytest.approx(package.loc[metric, "effect"], abs=1e-9)


def test_revenue_at_risk_by_hand_equals_the_package():
    from cxanalysis.money import revenue_at_risk

    for customers, revenue, csat, churn in ((100, 100, [90, 75], 0.95), (12_000, 4_800, [81.3], 0.22)):
        package = revenue_at_risk(customers, revenue, csat, churn)
        by_hand = worked.revenue_at_risk_by_hand(customers, revenue, csat, churn).result
        for i in range(len(csat)):
            assert by_hand[f"revenue_at_risk_{i}"] == pytest.approx(package["revenue_at_risk"].iloc[i], rel=1e-12)
        assert by_hand["value_per_csat_point"] == pytest.approx(package["value_per_csat_point"].iloc[0], rel=1e-12)
    # the method's worked example
    example = worked.revenue_at_risk_by_hand(100, 100, [90, 75], 0.95).result
    assert [round(example["revenue_at_risk_0"]), round(example["revenue_at_risk_1"])] == [950, 2375]
    assert example["value_per_csat_point"] == pytest.approx(95)


def test_goal_status_by_hand_equals_the_package_for_every_goal_of_the_sample(sample):
    from cxanalysis import rules
    from cxanalysis.goals import goal_progress

    progress = goal_progress(sample)
    assert len(progress) > 0
    for goal in progress.itertuples():
        by_hand = worked.goal_status_by_hand(
            goal.current,
            goal.ci_low,
            goal.ci_high,
            n=goal.n,
            target=goal.target,
            baseline=goal.baseline,
            deadline=goal.deadline,
            period=sample.latest_period,
            suppressed=goal.suppressed,
        )
        assert by_hand.verdict == goal.status, goal.goal
    # every status the rule gives, including a goal nothing measures and one hidden for anonymity
    assert (
        worked.goal_status_by_hand(
            float("nan"),
            float("nan"),
            float("nan"),
            n=0,
            target=5.5,
            baseline=5.0,
            deadline="2026-12-31",
            period="2025Q4",
        ).verdict
        == "not measured"
    )
    assert (
        worked.goal_status_by_hand(
            80, 70, 90, n=float("nan"), target=85, baseline=80, deadline="2026-12-31", period="2025Q4", suppressed=True
        ).verdict
        == "too few answers"
    )
    for low, high, baseline, deadline in (
        (86, 90, 80, "2026-12-31"),
        (82, 88, 80, "2026-12-31"),
        (81, 84, 80, "2026-12-31"),
        (81, 84, 80, "2025-06-30"),
        (79, 84, 80, "2026-12-31"),
        (81, 84, None, "2026-12-31"),
    ):
        expected = rules.goal_status(
            low,
            high,
            target=85,
            baseline=baseline,
            deadline_passed=pd.Timestamp(deadline) < pd.Period("2025Q4").end_time,
        )
        by_hand = worked.goal_status_by_hand(
            (low + high) / 2, low, high, n=100, target=85, baseline=baseline, deadline=deadline, period="2025Q4"
        )
        assert by_hand.verdict == expected, (low, high, baseline, deadline)


def test_hot_spot_by_hand_equals_the_package_for_every_touchpoint_and_period_of_the_sample(client_and_package):
    from cxanalysis import rules
    from cxanalysis.touchpoints import hot_spots

    client, package = client_and_package
    top = rules.top_box_threshold(client.scales["csat"])
    verdicts = set()
    for period in client.periods:
        spots = hot_spots(package, "csat", period)
        answered = client.responses[
            (client.responses["period"] == period)
            & client.responses["touchpoint"].notna()
            & client.responses["csat"].notna()
        ]
        for i, spot in spots.iterrows():
            here = answered["touchpoint"] == spot["touchpoint"]
            by_hand = worked.hot_spot_by_hand(
                int((answered.loc[here, "csat"] >= top).sum()),
                int(here.sum()),
                int((answered.loc[~here, "csat"] >= top).sum()),
                int((~here).sum()),
                spots["p_value"].drop(i).tolist(),
                alpha=client.alpha,
            )
            for key, value in by_hand.result.items():
                assert value == pytest.approx(spot[key], abs=1e-9), (period, spot["touchpoint"], key)
            expected = "below" if spot["below"] else "above" if spot["above"] else "neither"
            assert by_hand.verdict == expected, (period, spot["touchpoint"])
            verdicts.add(by_hand.verdict)
    assert verdicts == {"below", "neither"} or verdicts == {"below", "above", "neither"}


def test_the_unusual_low_by_hand_equals_the_control_chart_and_the_summary_s_reading(sample):
    from cxanalysis import monitoring, overview

    headline = overview.headline_table(sample).set_index("metric")
    charts = monitoring.score_period_charts(sample)
    rebounds = 0
    for metric in sample.scores:
        summary = sample.summarise(metric, ["period"])
        estimates, errors = summary["estimate"], summary["se"]
        for judged in range(len(summary)):
            by_hand = worked.unusual_period_by_hand(estimates, errors, judged, 1.0).result
            row = charts[metric].iloc[judged]
            for key in ("centre", "lower_limit", "upper_limit"):
                assert by_hand[key] == pytest.approx(row[key], abs=1e-9), (metric, judged, key)
            assert bool(by_hand["below"]) == (row["signal"] == "below"), (metric, judged)
        # the period before the latest, against its limits, gives the summary's reading of the latest change
        change = headline.loc[metric, "change"]
        by_hand = worked.unusual_period_by_hand(estimates, errors, len(summary) - 2, change).result
        assert bool(by_hand["rebound"]) == (headline.loc[metric, "change_verdict"] == "back from an unusual low")
        rebounds += int(by_hand["rebound"])
    assert headline.loc["csat", "change_verdict"] == "back from an unusual low" and rebounds == 1


def test_the_unusual_low_by_hand_follows_the_limits_on_random_periods():
    from cxanalysis.monitoring import period_chart

    between = []
    for seed in range(5):
        rng = np.random.default_rng(seed)
        summary = pd.DataFrame(
            {
                "period": [f"P{i}" for i in range(6)],
                "metric": "csat",
                "n": 400,
                "estimate": rng.normal(70, 3, 6),
                "se": rng.uniform(1, 2.5, 6),
            }
        )
        chart = period_chart(summary)
        between += chart["tau2"].tolist()
        for judged in range(6):
            by_hand = worked.unusual_period_by_hand(summary["estimate"], summary["se"], judged, 1.0).result
            for key in ("centre", "lower_limit", "upper_limit"):
                assert by_hand[key] == pytest.approx(chart[key].iloc[judged], rel=1e-12)
    # the cases include periods varying beyond sampling (τ² > 0) and periods that do not (τ² = 0)
    assert max(between) > 0 and min(between) == 0


def test_a_themes_nps_difference_by_hand_equals_the_impact_table(sample, unweighted_sample):
    """Chapter 4's worked example: every theme's row of the NPS impact table (on weighted answers, the table of the
    same answers with every weight set to 1), and random pairs of groups."""
    from cxanalysis import themes

    for client, responses in (
        (unweighted_sample, unweighted_sample.responses),
        (sample, sample.responses.assign(weight=1.0)),
    ):
        impact = themes.theme_impact(
            responses, client.coded_comments, client.taxonomy, "nps", min_n=client.min_n, scales=client.scales
        )
        assert len(impact) >= 5
        for row in impact.itertuples():
            mentioning, others = worked.theme_answers(client.responses, client.coded_comments, row.theme, "nps")
            assert (len(mentioning), len(others)) == (row.n_a, row.n_b)
            by_hand = worked.nps_difference_by_hand(mentioning, others).result
            for key in ("estimate_a", "estimate_b", "difference", "ci_low", "ci_high", "p_value"):
                assert by_hand[key] == pytest.approx(getattr(row, key), rel=1e-9, abs=1e-12), (row.theme, key)
    for size_a, size_b in ((5, 7), (30, 200), (400, 400)):
        a, b = RANDOM.integers(0, 11, size_a).tolist(), RANDOM.integers(0, 11, size_b).tolist()
        package = cx.compare_nps(a, b).iloc[0]
        by_hand = worked.nps_difference_by_hand(a, b).result
        for key in ("difference", "ci_low", "ci_high", "p_value"):
            assert by_hand[key] == pytest.approx(package[key], rel=1e-9, abs=1e-12), (size_a, size_b, key)


def test_the_answers_counted_once_are_the_same_answers_with_weights_of_one(sample, unweighted_sample):
    from cxanalysis.touchpoints import hot_spots

    assert worked.weighted(sample.responses) and not worked.weighted(unweighted_sample.responses)
    once = worked.counted_once(sample)
    pd.testing.assert_frame_equal(once.responses.drop(columns="weight"), sample.responses.drop(columns="weight"))
    assert once.responses["weight"].eq(1).all() and not sample.responses["weight"].eq(1).all()
    # answers already unweighted, counted once, give the book's own tables
    period = unweighted_sample.latest_period
    pd.testing.assert_frame_equal(
        hot_spots(worked.counted_once(unweighted_sample), "csat", period), hot_spots(unweighted_sample, "csat", period)
    )


def _book_tables(client):
    """The three tables of the book that the chapters' worked examples stand beside, as the book computes them."""
    from cxanalysis import significance, themes
    from cxanalysis.touchpoints import hot_spots

    impact = themes.theme_impact(
        client.responses, client.coded_comments, client.taxonomy, "nps", min_n=client.min_n, scales=client.scales
    )
    return hot_spots(client, "csat", client.latest_period), impact, significance.breakdown_changes(client)


def test_the_worked_examples_on_weighted_answers_name_the_book_s_weighted_figures(sample):
    """Chapters 2, 4 and 5 on the weighted sample: the hand computation equals the package on the answers counted
    once, which the caption gives; the reading names the weighted figure of the book's table, which differs."""
    from cxanalysis import words
    from cxanalysis.presentation import estimate, number

    spots, impact, changes = _book_tables(sample)
    hot_spot = worked.hot_spot_example(sample, sample.latest_period)
    theme = worked.theme_example(sample, sample.coded_comments, impact)
    mde = worked.share_mde_example(sample, changes)
    assert hot_spot is not None and mde is not None
    assert hot_spot.weighted and theme.weighted and mde.weighted
    # the rows shown are the book's
    book_spot = spots.set_index("touchpoint").loc[hot_spot.shown["touchpoint"]]
    book_theme = impact.set_index("theme").loc[theme.shown["theme"]]
    book_mde = changes[(changes["metric"] == "csat") & (changes["dimension"] == "all")].iloc[0]
    assert hot_spot.shown["difference"] == book_spot["difference"]
    assert hot_spot.shown["p_adjusted"] == book_spot["p_adjusted"]
    assert theme.shown["difference"] == book_theme["difference"] and theme.shown["p_value"] == book_theme["p_value"]
    assert mde.shown["mde"] == book_mde["mde"]
    # the hand computations equal the package on the answers counted once ...
    for key in ("difference", "p_adjusted", "ci_low", "ci_high"):
        assert hot_spot.example.result[key] == pytest.approx(hot_spot.counted_once[key], abs=1e-9), key
    for key in ("difference", "p_value", "ci_low", "ci_high"):
        assert theme.example.result[key] == pytest.approx(theme.counted_once[key], rel=1e-9), key
    assert mde.example.result["mde"] == pytest.approx(mde.counted_once["mde"], rel=1e-9)
    # ... which differs from the weighted figure, shown to the number of decimals the book gives
    assert number(hot_spot.counted_once["difference"], 1) != number(book_spot["difference"], 1)
    assert number(theme.counted_once["difference"], 1) != number(book_theme["difference"], 1)
    assert number(mde.counted_once["mde"], 2) != number(book_mde["mde"], 2)
    # the captions say the answers are counted once and give the package's figure on them ...
    spot_caption = words.hot_spot_by_hand_caption(
        hot_spot.shown["touchpoint"], sample.latest_period, hot_spot.counted_once, True
    )
    theme_caption = words.theme_by_hand_caption(theme.shown["label"], theme.counted_once, True)
    mde_caption = words.share_mde_by_hand_caption(mde.counted_once, True)
    for caption in (spot_caption, theme_caption, mde_caption):
        assert "counting every answer once" in caption and "on the same answers unweighted" in caption
    assert number(hot_spot.example.result["difference"], 1, signed=True) in spot_caption
    once = theme.example.result
    assert estimate(once["difference"], once["ci_low"], once["ci_high"], signed=True) in theme_caption
    assert number(mde.example.result["mde"], 2) in mde_caption
    # ... and the readings name the book's weighted figure and the weighting section
    readings = {
        "hot spot": (hot_spot.shown, number(book_spot["difference"], 1, signed=True)),
        "theme": (
            theme.shown,
            estimate(book_theme["difference"], book_theme["ci_low"], book_theme["ci_high"], signed=True),
        ),
        "mde": (mde.shown, number(book_mde["mde"], 2)),
    }
    for example, (shown, figure) in readings.items():
        reading = words.by_hand_weights_reading(example, shown)
        assert figure in reading and "weighting section of the data-quality appendix" in reading, example


def test_the_worked_examples_on_unweighted_answers_equal_the_book_s_tables(unweighted_sample):
    """Without weights the captions read as they always have: the package's figure is the table's."""
    from cxanalysis import words
    from cxanalysis.presentation import number

    client = unweighted_sample
    spots, impact, changes = _book_tables(client)
    hot_spot = worked.hot_spot_example(client, client.latest_period)
    theme = worked.theme_example(client, client.coded_comments, impact)
    mde = worked.share_mde_example(client, changes)
    assert hot_spot is not None and mde is not None
    for beside in (hot_spot, theme, mde):
        assert not beside.weighted
        shared = [k for k in ("difference", "p_value", "p_adjusted", "mde") if k in beside.shown.index]
        assert beside.counted_once[shared].astype(float).tolist() == pytest.approx(
            beside.shown[shared].astype(float).tolist(), abs=1e-12
        )
    for key in ("difference", "p_adjusted"):
        assert hot_spot.example.result[key] == pytest.approx(
            spots.set_index("touchpoint").loc[hot_spot.shown["touchpoint"], key], abs=1e-9
        )
    assert theme.example.result["p_value"] == pytest.approx(
        impact.set_index("theme").loc[theme.shown["theme"], "p_value"]
    )
    assert mde.example.result["mde"] == pytest.approx(mde.shown["mde"], rel=1e-9)
    caption = words.share_mde_by_hand_caption(mde.counted_once, False)
    assert caption.endswith(f"the comparisons table gives {number(mde.shown['mde'], 2)}")
    assert "the impact table gives" in words.theme_by_hand_caption(theme.shown["label"], theme.counted_once, False)
    assert "the package gives a difference of" in words.hot_spot_by_hand_caption(
        hot_spot.shown["touchpoint"], client.latest_period, hot_spot.counted_once, False
    )


def test_the_trend_by_quarter_and_by_month_counts_the_periods_of_the_data(sample):
    """Chapter 3's first exercise: the quarter view is the chapter's own NPS trend; the month view has three
    times the periods, each with about a third of the answers and a wider interval."""
    from cxanalysis import measurement

    widths = worked.interval_widths(sample.responses, "nps", min_n=sample.min_n, scales=sample.scales).set_index(
        "period"
    )
    metrics = measurement.metric_table(sample)
    trend = metrics[(metrics["metric"] == "nps") & (metrics["dimension"] == "all")]
    assert widths.loc["quarter", "periods"] == len(trend)
    assert widths.loc["quarter", "median_width"] == pytest.approx((trend["ci_high"] - trend["ci_low"]).median())
    assert widths.loc["month", "periods"] == 3 * len(trend)
    assert 1.4 < widths.loc["month", "median_width"] / widths.loc["quarter", "median_width"] < 2.1


def test_the_share_of_customers_answering_and_its_test_by_segment(sample):
    """Chapter 3's survey design section: the customers who answered, counted from the ids, and Pearson's
    chi-square statistic typed from its formula."""
    from scipy.stats import chi2

    answering = worked.answering_customers(sample.customers, sample.responses, ["region"])
    ids = set(sample.responses["customer_id"].dropna())
    total = answering[answering["dimension"] == "all"].iloc[0]
    assert total["respondents"] == sum(c in ids for c in sample.customers["customer_id"])
    regions = answering[answering["dimension"] == "region"]
    observed = np.column_stack([regions["respondents"], regions["customers"] - regions["respondents"]]).astype(float)
    expected = observed.sum(axis=1, keepdims=True) * observed.sum(axis=0, keepdims=True) / observed.sum()
    statistic = ((observed - expected) ** 2 / expected).sum()
    assert regions["p_value"].iloc[0] == pytest.approx(chi2.sf(statistic, len(regions) - 1))
    assert regions["respondents"].sum() == total["respondents"]


def test_the_nps_half_width_quarters_with_sixteen_times_the_answers():
    half = worked.nps_half_widths(0.4, 0.2, (100, 400, 1600)).set_index("n")["half_width"]
    by_hand = worked.nps_by_hand([10] * 40 + [8] * 40 + [0] * 20).result
    assert half[100] == pytest.approx((by_hand["ci_high"] - by_hand["ci_low"]) / 2)
    assert half[100] / half[1600] == pytest.approx(4, rel=0.03)
