"""Tests of analysis.window_effect: the primary estimate of one window, its interval and p-value."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from ceasefire_stats.analysis import AnalysisError, window_effect
from ceasefire_stats.analysis.window_effect import (
    COLUMNS,
    andrews_lags,
    debiased_acf,
    effective_size_p,
    fixed_alpha_fit,
    mean_inflation,
    residual_acf,
)

DAY = pd.Timedelta(days=1)


def _series(n=500, mean=20.0, alpha=0.5, seed=1, start="2024-01-01"):
    rng = np.random.default_rng(seed)
    size = 1 / alpha
    y = rng.negative_binomial(size, size / (size + mean), n).astype(float)
    return pd.Series(y, index=pd.date_range(start, periods=n, freq="D", unit="us"))


def test_one_row_with_every_column_and_an_interval_holding_the_estimate():
    y = _series()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        row = window_effect(y, y.index[420], y.index[426])
    assert list(row.columns) == COLUMNS and len(row) == 1
    r = row.iloc[0]
    assert r["ci_low"] < r["rate_ratio"] < r["ci_high"] and 0 < r["p_value"] <= 1
    assert r["interval_method"] == "profile likelihood" and r["family"] == "nb"
    assert r["window_obs_days"] == 7 and r["baseline_obs_days"] == 56 and r["seasonality"] == "dow"
    assert r["p_method"].startswith("end-of-sample permutation") and r["n_blocks"] >= 300
    assert r["n_blocks_nonoverlapping"] == r["n_blocks"] // 7 or r["n_blocks_nonoverlapping"] > 40


def test_fixed_alpha_fit_matches_statsmodels_nb_glm():
    rng = np.random.default_rng(2)
    n = 60
    X = np.column_stack([np.ones(n), np.linspace(-1, 1, n), (np.arange(n) % 7 == 3).astype(float)])
    y = rng.negative_binomial(2, 2 / (2 + 15), n).astype(float)
    for a in (0.0, 0.4):
        fam = sm.families.NegativeBinomial(alpha=a) if a else sm.families.Poisson()
        ref = sm.GLM(y, X, family=fam).fit()
        beta, ll, _ = fixed_alpha_fit(y, X, np.zeros(n), a)
        np.testing.assert_allclose(beta, ref.params, atol=1e-6)
        assert ll == pytest.approx(ref.llf, abs=1e-6)


def test_profile_bounds_solve_the_likelihood_ratio_equation_in_statsmodels():
    """At each bound, re-fitting the model in statsmodels with the level fixed there (as an
    offset) gives a likelihood ratio equal to the F(1, df) critical value times the design
    effect: the interval is what its label says."""
    y = _series(seed=3)
    r = window_effect(y, y.index[430], y.index[432], family="poisson", seasonality=None, permutation=False,
                      history_days=0).iloc[0]
    days = pd.date_range(y.index[430] - 28 * DAY, y.index[432] + 28 * DAY, freq="D")
    local = y.reindex(days).to_numpy()
    level = ((days >= y.index[430]) & (days <= y.index[432])).astype(float)
    trend = np.arange(len(days)) - (len(days) - 1) / 2
    X = np.column_stack([np.ones(len(days)), trend / len(days)])
    full = sm.GLM(local, np.column_stack([X, level]), family=sm.families.Poisson()).fit()
    crit = stats.f.ppf(0.95, 1, len(days) - 3 - 1) * r["design_effect"]
    assert r["rate_ratio"] == pytest.approx(np.exp(full.params[2]), rel=1e-6)
    for bound in (r["ci_low"], r["ci_high"]):
        fixed = sm.GLM(local, X, family=sm.families.Poisson(), offset=np.log(bound) * level).fit()
        assert 2 * (full.llf - fixed.llf) == pytest.approx(crit, rel=1e-4)


def test_zero_window_has_rate_ratio_0_and_a_finite_exact_upper_bound():
    y = _series(seed=4)
    y.iloc[420:423] = 0.0
    r = window_effect(y, y.index[420], y.index[422]).iloc[0]
    assert r["rate_ratio"] == 0 and r["ci_low"] == 0 and 0 < r["ci_high"] < 0.5
    assert r["interval_method"] == "exact NB tail inversion" and r["window_events"] == 0
    # the upper bound is where seeing 0 events has probability 2.5 % (about: mu_w is uncertain)
    assert r["ci_high"] * r["expected_events"] > -np.log(0.025)


def test_hac_is_refused_on_short_windows_and_given_on_long_ones():
    y = _series(seed=5)
    with pytest.raises(AnalysisError, match="interval='hac' needs a window of 28 days"):
        window_effect(y, y.index[420], y.index[426], interval="hac")
    r = window_effect(y, y.index[400], y.index[429], interval="hac", permutation=False).iloc[0]
    assert r["interval_method"] == "Wald" and r["covariance"].startswith("HAC(") and r["hac_lags"] >= 1


def test_buffers_and_excluded_truces_leave_the_baseline():
    y = _series(seed=6)
    plain = window_effect(y, y.index[420], y.index[422], permutation=False).iloc[0]
    buffered = window_effect(y, y.index[420], y.index[422], anticipation_days=3, rebound_days=2,
                             exclude=[(y.index[400], y.index[404])], permutation=False).iloc[0]
    assert plain["baseline_obs_days"] == 56
    assert buffered["baseline_obs_days"] == 56 - 5 and buffered["excluded_days"] == 5
    assert (buffered["anticipation_days"], buffered["rebound_days"]) == (3, 2)


def test_reporting_check_compares_report_shares_of_window_and_baseline():
    y = _series(seed=7)
    reported = pd.Series(True, index=y.index)
    reported.iloc[420:423] = False  # no report in the window: the zero policy's zeros
    zeroed = y.copy()
    zeroed.iloc[420:423] = 0.0
    r = window_effect(zeroed, y.index[420], y.index[422], reported=reported, permutation=False).iloc[0]
    assert r["reported_share_window"] == 0.0 and r["reported_share_baseline"] == 1.0


def test_a_window_far_outside_its_history_gets_the_smallest_permutation_p():
    y = _series(seed=8)
    y.iloc[420] = 400.0
    r = window_effect(y, y.index[420], y.index[420]).iloc[0]
    assert r["p_value"] == pytest.approx(effective_size_p(2 / (1 + r["n_blocks"]), r["n_blocks_nonoverlapping"]))
    assert r["p_value"] < 0.01
    short = window_effect(y, y.index[420], y.index[420], history_days=15).iloc[0]
    assert short["p_method"].startswith("likelihood ratio") and "history blocks" in short["note"]


def test_ar_terms_are_regressors_and_say_what_the_ratio_means():
    y = _series(seed=9)
    r = window_effect(y, y.index[420], y.index[426], ar=1, permutation=False).iloc[0]
    assert r["estimator"] == "local_level_ar1" and "given the previous days" in r["note"]
    assert r["ci_low"] < r["rate_ratio"] < r["ci_high"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"start": "2025-03-10", "end": "2025-03-01"}, "before its start"),
    ({"start": "2025-03-01 06:00", "end": "2025-03-02"}, "time of day"),
    ({"interval": "bootstrap"}, "interval must be"),
    ({"family": "gaussian"}, "family must be"),
    ({"baseline_days": -3}, "baseline_days"),
])
def test_bad_arguments_are_one_line_errors(kwargs, message):
    y = _series(seed=10)
    args = {"start": "2025-03-01", "end": "2025-03-03", **kwargs}
    with pytest.raises(AnalysisError, match=message):
        window_effect(y, **args)


def test_bad_counts_are_errors():
    y = _series(seed=11)
    y.iloc[5] = -1
    with pytest.raises(AnalysisError, match="negative"):
        window_effect(y, "2025-03-01", "2025-03-03")
    hours = pd.Series(1.0, index=pd.date_range("2025-01-01", periods=2000, freq="h"))
    with pytest.raises(AnalysisError, match="times of day"):
        window_effect(hours, "2025-02-01", "2025-02-03")


def test_helpers():
    assert andrews_lags(0.0, 500) == 1 and andrews_lags(0.8, 500) > andrews_lags(0.4, 500)
    e = np.tile([1.0, -1.0], 20)
    assert residual_acf(e, 2)[0] == pytest.approx(-1, abs=0.05)
    assert mean_inflation(np.array([0.5, 0.5, 0.5]), 4) == pytest.approx(1 + 2 * 0.5 * (0.75 + 0.5 + 0.25))


def test_debiased_autocorrelations_recover_a_30_day_mean_s_variance_inflation():
    """A year of AR(1) days (rho 0.3): the raw autocorrelations, each low by about V/n, give a
    30-day mean's inflation far below the truth; the debiased ones remove most of that gap."""
    rng = np.random.default_rng(5)
    rho, n, W = 0.3, 365, 30
    truth = mean_inflation(rho ** np.arange(1, W), W)
    raw, fixed = [], []
    for _ in range(300):
        e = rng.normal(size=n)
        x = np.empty(n)
        x[0] = e[0] / np.sqrt(1 - rho**2)
        for t in range(1, n):
            x[t] = rho * x[t - 1] + e[t]
        r = residual_acf(x, W - 1)
        raw.append(mean_inflation(r, W))
        fixed.append(mean_inflation(debiased_acf(r, n, andrews_lags(r[0], n)), W))
    assert np.mean(raw) < truth - 0.1
    assert abs(np.mean(fixed) - truth) < (truth - np.mean(raw)) / 3  # most of the bias is gone


def test_a_rank_among_few_independent_spans_is_corrected_toward_its_prediction_tail():
    """A 30-day window's year of history holds about 12 non-overlapping spans: a rank p-value of
    0.05 there is a prediction from 12 draws, not significant; with 365 spans it barely moves."""
    assert effective_size_p(0.05, 12) > 0.08
    assert 0.05 <= effective_size_p(0.05, 365) < 0.052
    assert effective_size_p(1.0, 12) == 1.0
    ps = [effective_size_p(p, 12) for p in (0.01, 0.05, 0.2, 0.6)]
    assert ps == sorted(ps) and all(q >= p for q, p in zip(ps, (0.01, 0.05, 0.2, 0.6), strict=True))
