"""Tests of analysis.interrupted: the published reference reproduction, interval coverage, edge cases."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from ceasefire_stats.analysis import AnalysisError, ZeroWindowError, its, percentile_of, placebo
from ceasefire_stats.analysis.interrupted import level_rate_ratio, local_level_rr

# ---------------------------------------------------------------------------------------------
# reference reproduction
# ---------------------------------------------------------------------------------------------
SICILY_PUBLISHED = [
    # (family, seasonality, rate ratio, ci_low, ci_high)
    ("poisson", None, 0.8944, 0.8647, 0.9251),
    ("quasipoisson", None, 0.8944, 0.8392, 0.9532),
    ("quasipoisson", ("harmonic", 2, 12), 0.8851, 0.8394, 0.9332),
]


@pytest.fixture(scope="module")
def sicily(raw_file):
    return pd.read_csv(raw_file("sicily")).set_index("time")


@pytest.mark.realdata
@pytest.mark.parametrize(("family", "seasonality", "rr", "lo", "hi"), SICILY_PUBLISHED)
def test_its_reproduces_lopez_bernal_2017_sicily(sicily, family, seasonality, rr, lo, hi):
    """Lopez Bernal J, Cummins S, Gasparrini A. Interrupted time series regression for the
    evaluation of public health interventions: a tutorial. Int J Epidemiol 2017;46(1):348-355
    (doi:10.1093/ije/dyw098), models of acute coronary events around the 2005 Sicilian
    smoking ban: ``aces ~ smokban + time``, offset log(stdpop), level change only; Poisson,
    quasi-Poisson (scale 3.559) and quasi-Poisson with two harmonic pairs of period 12."""
    first_ban_month = int(sicily.index[sicily["smokban"] == 1].min())
    res = its(sicily["aces"], first_ban_month, family=family, seasonality=seasonality,
              slope_change=False, offset=sicily["stdpop"])
    level = res.effects.set_index("term").loc["level"]
    assert list(res.effects["term"]) == ["level"]
    assert round(level["rate_ratio"], 4) == rr
    assert round(level["ci_low"], 4) == lo
    assert round(level["ci_high"], 4) == hi
    if family == "quasipoisson" and seasonality is None:
        assert round(res.diagnostics["scale"], 3) == 3.559


# ---------------------------------------------------------------------------------------------
# Monte Carlo coverage
# ---------------------------------------------------------------------------------------------
TRUE_RR = 0.7


def _simulate(rng, n=365, mean=20.0, rho=0.5, sd=0.25, nb_size=4.0):
    """Daily NB counts whose log-mean has AR(1) noise and a step of log(TRUE_RR) at day n/2."""
    u = np.zeros(n)
    e = rng.normal(0, sd, n)
    u[0] = e[0] / np.sqrt(1 - rho**2)
    for t in range(1, n):
        u[t] = rho * u[t - 1] + e[t]
    step = np.arange(n) >= n // 2
    mu = mean * np.exp(u + np.log(TRUE_RR) * step)
    y = rng.negative_binomial(nb_size, nb_size / (nb_size + mu))
    idx = pd.date_range("2024-01-01", periods=n, freq="D", unit="us")
    return pd.Series(y, index=idx, dtype=float), idx[n // 2]


def test_hac_intervals_cover_a_known_level_change_and_naive_poisson_does_not():
    """Seeded Monte Carlo: overdispersed, autocorrelated days; the HAC intervals (NB and
    quasi-Poisson) cover the true level change about 95 % of the time, the naive Poisson
    interval far less: the reason the defaults are what they are. With a year of days and
    14 Newey-West lags the HAC intervals cover about 90 % (HAC is somewhat anti-conservative
    with a persistent step regressor); the naive Poisson interval about 53 %."""
    rng = np.random.default_rng(20250318)
    runs = 150
    covered = {"poisson": 0, "quasipoisson_hac": 0, "nb_hac": 0}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(runs):
            y, start = _simulate(rng)
            for key, family, lags in (("poisson", "poisson", None),
                                      ("quasipoisson_hac", "quasipoisson", 14),
                                      ("nb_hac", "nb", 14)):
                eff = its(y, start, family=family, seasonality=None, slope_change=False,
                          hac_lags=lags).effects.iloc[0]
                covered[key] += eff["ci_low"] <= TRUE_RR <= eff["ci_high"]
    coverage = {k: v / runs for k, v in covered.items()}
    assert 0.85 <= coverage["quasipoisson_hac"] <= 0.99, coverage
    assert 0.85 <= coverage["nb_hac"] <= 0.99, coverage
    assert coverage["poisson"] < 0.75, coverage


# ---------------------------------------------------------------------------------------------
# behaviour
# ---------------------------------------------------------------------------------------------
def _daily(values, start="2025-03-01"):
    idx = pd.date_range(start, periods=len(values), freq="D", unit="us")
    return pd.Series(values, index=idx, dtype="Float64")


def test_effects_have_level_and_slope_rows_with_intervals_containing_the_estimate():
    rng = np.random.default_rng(1)
    y = _daily(rng.poisson(30, 120).astype(float))
    res = its(y, "2025-05-01", family="nb", hac_lags=7)
    assert list(res.effects["term"]) == ["level", "slope"]
    for row in res.effects.itertuples():
        assert row.ci_low < row.rate_ratio < row.ci_high
        assert 0 <= row.p_value <= 1
    assert set(res.diagnostics) >= {"dispersion", "ljung_box_p_7", "ljung_box_p_14", "durbin_watson", "alpha"}
    assert res.diagnostics["alpha"] >= 0


def test_missing_days_are_dropped_not_filled():
    rng = np.random.default_rng(2)
    values = rng.poisson(30, 90).astype(float)
    full = _daily(values)
    holed = full.copy()
    holed.iloc[10:20] = pd.NA
    res = its(holed, "2025-04-15", family="poisson", seasonality=None, slope_change=False)
    assert res.diagnostics["n_missing"] == 10 and res.diagnostics["n_obs"] == 80
    zero_filled = its(full.where(holed.notna(), 0.0), "2025-04-15", family="poisson",
                      seasonality=None, slope_change=False)
    assert res.effects["rate_ratio"].iloc[0] != pytest.approx(zero_filled.effects["rate_ratio"].iloc[0])
    # absent dates (a gap in the index) are missing days too
    gapped = its(holed.dropna(), "2025-04-15", family="poisson", seasonality=None, slope_change=False)
    assert gapped.effects["rate_ratio"].iloc[0] == pytest.approx(res.effects["rate_ratio"].iloc[0])


def test_temporary_window_returns_to_baseline_after_end():
    y = _daily([10.0] * 30 + [2.0] * 5 + [10.0] * 30)
    res = its(y, "2025-03-31", end="2025-04-04", family="poisson", seasonality=None, slope_change=False)
    assert res.effects["rate_ratio"].iloc[0] == pytest.approx(0.2)


def test_zero_event_window_raises_zero_window_error_without_warnings():
    y = _daily([10.0] * 30 + [0.0] * 3 + [10.0] * 30)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ZeroWindowError, match="before_after"):
            its(y, "2025-03-31", end="2025-04-02", family="nb")


def test_all_missing_window_is_a_clear_error():
    y = _daily([10.0] * 30 + [None] * 3 + [10.0] * 30)
    with pytest.raises(AnalysisError, match="no observed days"):
        its(y, "2025-03-31", end="2025-04-02", family="poisson")


def test_dow_seasonality_needs_dates():
    with pytest.raises(AnalysisError, match="dow"):
        its(pd.Series([1.0, 2, 3, 4]), 2, seasonality="dow")


def test_placebo_batch_solver_matches_statsmodels_glm():
    rng = np.random.default_rng(3)
    y = _daily(rng.negative_binomial(3, 3 / 33, 400).astype(float), start="2024-01-01")
    y.iloc[rng.choice(400, 30, replace=False)] = pd.NA
    table = placebo(y, 5, baseline_days=14, step_days=11)
    assert len(table) > 20
    day = pd.Timedelta(days=1)
    for row in table.head(12).itertuples():
        local = y.loc[row.date - 14 * day: row.window_end + 14 * day]
        season = "dow" if row.n_obs >= 28 else None
        assert row.rate_ratio == pytest.approx(level_rate_ratio(local, row.date, row.window_end,
                                                                seasonality=season), rel=1e-6)


def test_placebo_skips_excluded_truces_and_locates_the_real_window():
    rng = np.random.default_rng(4)
    values = rng.poisson(40, 300).astype(float)
    values[150:155] = 5.0  # a real truce with a large drop
    y = _daily(values, start="2024-01-01")
    truce = (y.index[150], y.index[154])
    table = placebo(y, 5, exclude=[truce], step_days=3, baseline_days=14)
    day = pd.Timedelta(days=1)
    assert not ((table["date"] <= truce[1] + 14 * day) & (table["window_end"] >= truce[0] - 14 * day)).any()
    real = local_level_rr(y, *truce, baseline_days=14)
    assert real < 0.2
    assert percentile_of(table["rate_ratio"], real) == 0.0


# ---------------------------------------------------------------------------------------------
# frequency and input checks
# ---------------------------------------------------------------------------------------------
@pytest.mark.realdata
@pytest.mark.parametrize(("family", "seasonality", "rr", "lo", "hi"), SICILY_PUBLISHED)
def test_its_reproduces_lopez_bernal_with_a_month_start_index(sicily, family, seasonality, rr, lo, hi):
    """The same three published models with the months as a month-start DatetimeIndex: time in
    months, the harmonic period 12 months (not 12 days), no day filling."""
    months = pd.DatetimeIndex(pd.to_datetime(dict(year=sicily["year"], month=sicily["month"], day=1)))
    aces = pd.Series(sicily["aces"].to_numpy(), index=months)
    pop = pd.Series(sicily["stdpop"].to_numpy(), index=months)
    ban = months[int((sicily["smokban"] == 1).to_numpy().argmax())]
    res = its(aces, ban, family=family, seasonality=seasonality, slope_change=False, offset=pop)
    level = res.effects.set_index("term").loc["level"]
    assert (round(level["rate_ratio"], 4), round(level["ci_low"], 4), round(level["ci_high"], 4)) == (rr, lo, hi)
    assert res.diagnostics["n_obs"] == 59 and res.diagnostics["n_missing"] == 0


def test_weekly_index_counts_time_in_weeks_and_a_missing_week_stays_missing():
    idx = pd.date_range("2025-01-06", periods=40, freq="7D", unit="us")  # Mondays
    y = pd.Series([20.0] * 20 + [10.0] * 20, index=idx).drop(idx[5])
    res = its(y, idx[20], family="poisson", seasonality=("harmonic", 1, 52), slope_change=False)
    assert res.diagnostics["n_missing"] == 1 and res.diagnostics["n_obs"] == 39
    assert res.effects["rate_ratio"].iloc[0] == pytest.approx(0.5, rel=0.05)
    assert list(res.design["trend"].iloc[:2]) == [-20.0, -19.0]  # one unit per week


def test_dow_on_monthly_dates_and_an_irregular_index_are_errors():
    months = pd.date_range("2020-01-01", periods=24, freq="MS", unit="us")
    y = pd.Series(np.arange(24.0), index=months)
    with pytest.raises(AnalysisError, match="daily DatetimeIndex"):
        its(y, months[12], seasonality="dow")
    odd = pd.DatetimeIndex(["2025-01-01", "2025-01-03", "2025-01-08", "2025-01-20", "2025-02-11"]).append(
        pd.DatetimeIndex(["2025-02-11 12:00"]))
    with pytest.raises(AnalysisError, match="times of day"):
        its(pd.Series(1.0, index=odd), odd[2], seasonality=None)
    with pytest.raises(AnalysisError, match="off the"):
        its(pd.Series(1.0, index=months.append(pd.DatetimeIndex(["2022-01-15"]))), months[12], seasonality=None,
            freq="MS")


def test_hourly_series_is_an_error_not_its_midnight_values():
    hours = pd.date_range("2025-03-01", periods=24 * 60, freq="h", unit="us")
    y = pd.Series(np.ones(len(hours)), index=hours)
    with pytest.raises(AnalysisError, match="times of day.*resample"):
        its(y, "2025-04-01", seasonality=None)


@pytest.mark.parametrize("bad", [-1.0, 2.5])
def test_negative_or_fractional_counts_are_errors(bad):
    y = _daily([10.0] * 30 + [bad] + [10.0] * 30)
    with pytest.raises(AnalysisError, match="negative|fractional"):
        its(y, "2025-03-20", seasonality=None)


def test_end_before_the_intervention_says_so():
    y = _daily([10.0] * 60)
    with pytest.raises(AnalysisError, match="before the intervention"):
        its(y, "2025-04-10", end="2025-04-01", seasonality=None)
    with pytest.raises(AnalysisError, match="outside the series"):
        its(y, "2026-01-01", seasonality=None)


def test_families_fitted_to_one_frame_share_one_poisson_fit_with_the_same_estimates():
    """fit_design(memo=...): the Poisson fit made once warm-starts the quasi-Poisson fit and
    starts NB2; every family's level estimate and interval equal those of a fit of its own."""
    from ceasefire_stats.analysis.interrupted import fit_design

    rng = np.random.default_rng(5)
    idx = pd.date_range("2025-03-01", periods=60, freq="D")
    y = pd.Series(rng.negative_binomial(3, 3 / 43, 60), index=idx).astype("Float64")
    y.iloc[[4, 33]] = pd.NA
    frame = its(y, "2025-03-25", "2025-04-03", family="poisson", slope_change=False).design
    memo: dict = {}
    for family, hac in (("poisson", None), ("quasipoisson", None), ("nb", None), ("nb", 3)):
        shared = fit_design(frame, family, hac, diagnostics=False, memo=memo).effects.iloc[0]
        alone = fit_design(frame, family, hac, diagnostics=False).effects.iloc[0]
        for col in ("rate_ratio", "ci_low", "ci_high", "p_value"):
            assert shared[col] == pytest.approx(alone[col], rel=1e-7), (family, hac, col)
        assert shared["method"] == alone["method"]
    assert memo["poisson"][0].params[2] != 0 and len(memo["names"]) == 9  # const, trend, level, 6 dow
