"""Tests of analysis.rates: before/after rate ratios and interception rates."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ceasefire_stats.analysis import AnalysisError, before_after, interception_rate
from ceasefire_stats.core.errors import CeasefireStatsError


def _daily(values, start="2025-04-20"):
    idx = pd.date_range(start, periods=len(values), freq="D", unit="us")
    return pd.Series(values, index=idx, dtype="Float64")


# ---------------------------------------------------------------------------------------------
# before_after
# ---------------------------------------------------------------------------------------------
def test_zero_count_window_has_finite_intervals_and_no_warnings():
    """Victory Day 2025 shape: three nights with zero entries between busy weeks."""
    counts = _daily([40.0, 55, 20, 70, 35, 60, 45, 50, 30, 65, 40, 52, 48, 38, 0, 0, 0, 44, 61, 39])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = before_after(counts, "2025-05-04", "2025-05-06", baseline_days=7)
    assert set(table["comparison"]) == {"window_vs_before", "window_vs_after"}
    assert set(table["method"]) == {"exact_conditional", "exact_conditional_scaled"}
    assert (table["rate_ratio"] == 0).all()
    assert np.isfinite(table[["ci_low", "ci_high", "p_value"]].to_numpy()).all()
    assert (table["ci_high"] > 0).all()
    # the overdispersion-aware interval is wider than the Poisson one on these uneven days
    before = table[table["comparison"] == "window_vs_before"].set_index("method")
    assert before.loc["exact_conditional_scaled", "ci_high"] > before.loc["exact_conditional", "ci_high"]
    assert before.loc["exact_conditional_scaled", "dispersion"] > 1


def test_exact_interval_matches_the_binomial_conditional_construction():
    counts = _daily([10.0] * 5 + [3.0] * 5)
    row = before_after(counts, "2025-04-25", "2025-04-29", compare=("before",)).iloc[0]
    # window 15 events, baseline 50 events over equal exposure: share CI by Clopper-Pearson
    lo = stats.beta.ppf(0.025, 15, 51)
    hi = stats.beta.ppf(0.975, 16, 50)
    assert row["rate_ratio"] == pytest.approx(0.3)
    assert row["ci_low"] == pytest.approx(lo / (1 - lo))
    assert row["ci_high"] == pytest.approx(hi / (1 - hi))
    assert row["p_value"] == pytest.approx(stats.binomtest(15, 65, 0.5).pvalue)


def test_missing_days_are_excluded_from_the_exposure_not_counted_as_zero():
    counts = _daily([10.0, 10, pd.NA, 10, 10, 5, 5, 5])
    row = before_after(counts, "2025-04-25", "2025-04-27", baseline_days=5, compare=("before",)).iloc[0]
    assert row["baseline_days"] == 4 and row["n_missing_days"] == 1
    assert row["baseline_mean"] == 10 and row["rate_ratio"] == pytest.approx(0.5)


def test_all_missing_window_is_a_clear_error():
    counts = _daily([10.0] * 7 + [pd.NA] * 3 + [10.0] * 7)
    with pytest.raises(AnalysisError, match="window 2025-04-27..2025-04-29: every day is missing"):
        before_after(counts, "2025-04-27", "2025-04-29")
    assert issubclass(AnalysisError, CeasefireStatsError)


def test_all_missing_baseline_is_a_clear_error():
    counts = _daily([pd.NA] * 7 + [3.0] * 3 + [10.0] * 7)
    with pytest.raises(AnalysisError, match="before period .* every day is missing"):
        before_after(counts, "2025-04-27", "2025-04-29")
    # the after comparison alone is still available
    assert len(before_after(counts, "2025-04-27", "2025-04-29", compare=("after",))) == 2


def test_tz_aware_bounds_are_refused():
    counts = _daily([1.0] * 10)
    with pytest.raises(AnalysisError, match="window_dates"):
        before_after(counts, pd.Timestamp("2025-04-23", tz="UTC"), "2025-04-24")


# ---------------------------------------------------------------------------------------------
# interception_rate
# ---------------------------------------------------------------------------------------------
def _nights():
    return pd.DataFrame({
        "launched": [100, 80, 120, 60, 150, 90, 40, 110],
        "destroyed": [95, 50, 118, 30, 140, 85, 20, 100],
        "not_reach_goal": [3, 20, 0, 25, 5, 2, 15, 6],
    })


def test_wilson_and_clopper_pearson_match_reference_implementations():
    from statsmodels.stats.proportion import proportion_confint

    table = interception_rate(_nights()).set_index(["measure", "method"])
    K, N = 638, 750
    wilson = table.loc[("destroyed", "wilson")]
    assert wilson["estimate"] == pytest.approx(K / N)
    assert (wilson["ci_low"], wilson["ci_high"]) == pytest.approx(proportion_confint(K, N, method="wilson"))
    cp = table.loc[("destroyed", "clopper_pearson")]
    ci = stats.binomtest(K, N).proportion_ci(method="exact")
    assert (cp["ci_low"], cp["ci_high"]) == pytest.approx((ci.low, ci.high))
    stopped = table.loc[("stopped", "wilson")]
    assert stopped["estimate"] == pytest.approx((K + 76) / N)


def test_night_clustered_interval_is_wider_than_wilson_when_nights_differ():
    table = interception_rate(_nights()).set_index(["measure", "method"])
    # destroyed shares range from 0.5 to 0.98 between nights: several times wider;
    # stopped shares differ less between nights: still wider
    for measure, factor in (("destroyed", 3), ("stopped", 1.2)):
        wilson = table.loc[(measure, "wilson")]
        for method in ("night_cluster", "quasibinomial"):
            row = table.loc[(measure, method)]
            assert row["ci_high"] - row["ci_low"] > factor * (wilson["ci_high"] - wilson["ci_low"])
            assert row["ci_low"] < row["estimate"] < row["ci_high"]


def test_homogeneous_nights_give_clustered_intervals_close_to_wilson():
    nights = pd.DataFrame({"launched": [100] * 30, "destroyed": [80, 81, 79] * 10})
    table = interception_rate(nights).set_index("method")
    width = table["ci_high"] - table["ci_low"]
    assert width["night_cluster"] < width["wilson"]


def test_na_rows_are_dropped_and_counted_never_zero():
    nights = _nights().astype("Float64")
    nights.loc[0, "destroyed"] = pd.NA
    nights.loc[1, "not_reach_goal"] = pd.NA
    table = interception_rate(nights).set_index(["measure", "method"])
    destroyed = table.loc[("destroyed", "wilson")]
    assert destroyed["n_dropped"] == 1 and destroyed["launched"] == 650
    stopped = table.loc[("stopped", "wilson")]
    assert stopped["n_dropped"] == 2 and stopped["launched"] == 570


def test_more_destroyed_than_launched_is_an_error():
    with pytest.raises(AnalysisError, match="exceeds"):
        interception_rate(pd.DataFrame({"launched": [10], "destroyed": [12]}))


# ---------------------------------------------------------------------------------------------
# counts are checked
# ---------------------------------------------------------------------------------------------
def test_exact_rate_ratio_refuses_negative_counts_and_empty_exposures():
    from ceasefire_stats.analysis import exact_rate_ratio

    with pytest.raises(AnalysisError, match="x_window = -1"):
        exact_rate_ratio(-1, 3, 10, 3)
    with pytest.raises(AnalysisError, match="days_baseline"):
        exact_rate_ratio(1, 3, 10, 0)


def test_before_after_refuses_hourly_negative_and_fractional_counts():
    hours = pd.date_range("2025-03-01", periods=24 * 40, freq="h", unit="us")
    with pytest.raises(AnalysisError, match="times of day"):
        before_after(pd.Series(1.0, index=hours), "2025-03-20", "2025-03-22")
    days = pd.date_range("2025-03-01", periods=40, freq="D", unit="us")
    for bad, word in ((-2.0, "negative"), (0.5, "fractional")):
        y = pd.Series(5.0, index=days)
        y.iloc[3] = bad
        with pytest.raises(AnalysisError, match=word):
            before_after(y, "2025-03-20", "2025-03-22")
