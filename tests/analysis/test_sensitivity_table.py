"""Tests of analysis.sensitivity_table and analysis.window_dates."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from ceasefire_stats.analysis import AnalysisError, sensitivity, window_dates


def _calendar(rows):
    out = pd.DataFrame([
        {"window_id": w, "definition": d, "name": w, "status": st, "scope": "all_hostilities",
         "start": pd.Timestamp(s, tz="Europe/Kyiv").tz_convert("UTC") if s else pd.NaT,
         "end": pd.Timestamp(e, tz="Europe/Kyiv").tz_convert("UTC") if e else pd.NaT}
        for w, d, st, s, e in rows
    ])
    for c in ("start", "end"):
        out[c] = pd.to_datetime(out[c]).astype("datetime64[us, UTC]")
    return out


@pytest.fixture(scope="module")
def table():
    rng = np.random.default_rng(9)
    idx = pd.date_range("2025-01-01", periods=200, freq="D", unit="us")
    values = rng.negative_binomial(4, 4 / 34, 200).astype(float)
    zero = pd.Series(values, index=idx).astype("Float64")
    zero.loc["2025-05-08":"2025-05-10"] = 0.0
    na = zero.copy()
    na.loc["2025-05-08":"2025-05-10"] = pd.NA
    series = {"ru_to_ua_launched_air_force": {"zero": zero, "na": na}}
    windows = _calendar([
        ("victory_day_2025", "ru_stated", "in_force", "2025-05-08 00:00", "2025-05-11 00:00"),
        ("energy_moratorium_2025", "ru_stated", "disputed", "2025-03-18 17:00", "2025-04-17 00:00"),
        ("energy_moratorium_2025", "ua_stated", "disputed", "2025-03-25 00:00", "2025-04-17 00:00"),
        ("full_ceasefire", "us_proposed", "proposed_never_began", "", ""),
        ("christmas_2023", "ru_stated", "in_force", "2023-01-06 12:00", "2023-01-08 00:00"),
    ])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return sensitivity(series, windows, baseline_days=(7, 14))


def test_windows_without_an_estimate_appear_with_a_note(table):
    never = table[table["window_id"] == "full_ceasefire"]
    assert len(never) == 2 and never["note"].str.contains("no start").all()
    old = table[table["window_id"] == "christmas_2023"]
    assert len(old) == 2 and old["note"].str.contains("outside the series' coverage").all()
    assert old["rate_ratio"].isna().all()


def test_zero_window_rows_are_finite_and_say_which_method(table):
    vd = table[(table["window_id"] == "victory_day_2025") & (table["policy"] == "zero")]
    assert len(vd) > 0 and (vd["window_events"] == 0).all()
    assert (vd["rate_ratio"] == 0).all()
    assert np.isfinite(vd[["ci_low", "ci_high"]].to_numpy(dtype=float)).all()
    its_rows = vd[vd["estimator"] == "its_level"]
    # one exact row per baseline, labelled with the model it assumes (not one per family)
    assert len(its_rows) == its_rows["baseline_days"].nunique()
    assert set(its_rows["family"]) == {"poisson"} and set(its_rows["interval_method"]) == {
        "exact conditional (Clopper-Pearson)"}
    assert its_rows["method"].str.startswith("exact_conditional").all()
    assert its_rows["note"].str.contains("zero events").all()


def test_columns_say_what_was_computed(table):
    em = table[(table["window_id"] == "energy_moratorium_2025") & (table["estimator"] == "its_level")]
    cov = em.groupby("family")["covariance"].agg(set)
    assert cov["poisson"] == {"model-based"}
    assert cov["quasipoisson"] == {"model-based x Pearson scale"}  # a real quasi-Poisson, not Poisson + HAC
    nb = em[em["family"] == "nb"]
    assert (nb["covariance"].str.startswith("HAC(") == (nb["window_days"] >= 28)).all()  # HAC only on 28+ days
    vd = table[(table["window_id"] == "victory_day_2025") & (table["estimator"] == "its_level")
               & (table["family"] == "nb")]
    assert (vd["covariance"] == "model-based").all() and vd["note"].str.contains("no HAC").all()
    qp, po = (em[(em["family"] == f) & (em["policy"] == "na") & (em["baseline_days"] == 14)].iloc[0]
              for f in ("quasipoisson", "poisson"))
    assert qp["rate_ratio"] == pytest.approx(po["rate_ratio"])
    assert (qp["ci_high"] - qp["ci_low"]) != pytest.approx(po["ci_high"] - po["ci_low"])
    ba = table[table["estimator"] == "before_after"].dropna(subset=["rate_ratio"])
    assert set(ba["interval_method"]) == {"exact conditional (Clopper-Pearson)"}


def test_placebo_p_counts_the_window_and_spans_are_counted(table):
    rows = table[(table["estimator"] == "its_level") & table["placebo_n"].notna()]
    assert len(rows)
    assert (rows["placebo_p"] >= 2 / (rows["placebo_n"] + 1) - 1e-12).all() and (rows["placebo_p"] <= 1).all()
    assert (rows["placebo_spans"] >= 1).all() and (rows["placebo_spans"] <= rows["placebo_n"]).all()
    assert rows["placebo_excl_share"].between(0, 1).all()  # the null reference of "excludes 1"


def test_missing_policy_turns_the_same_window_into_no_data(table):
    vd = table[(table["window_id"] == "victory_day_2025") & (table["policy"] == "na")]
    assert vd["rate_ratio"].isna().all()
    assert vd["note"].str.contains("missing").all()


def test_every_definition_policy_baseline_and_family_has_rows(table):
    em = table[table["window_id"] == "energy_moratorium_2025"]
    grid = em.groupby(["definition", "policy", "baseline_days", "estimator"]).size()
    assert len(grid) == 2 * 2 * 2 * 2
    its_rows = em[em["estimator"] == "its_level"]
    assert (its_rows["ci_low"] <= its_rows["rate_ratio"]).all()
    assert (its_rows["rate_ratio"] <= its_rows["ci_high"]).all()
    assert its_rows["placebo_n"].min() >= 1  # a 200-day series holds few clean spans of 58 days
    assert its_rows["placebo_percentile"].between(0, 100).all()
    # the two definitions are different windows
    starts = em.groupby("definition")["window_start"].first()
    assert starts["ru_stated"] == pd.Timestamp("2025-03-19")
    assert starts["ua_stated"] == pd.Timestamp("2025-03-25")


def test_window_dates_count_a_night_when_most_of_it_falls_inside():
    easter = window_dates(pd.Timestamp("2025-04-19 18:00", tz="Europe/Moscow"),
                          pd.Timestamp("2025-04-21 00:00", tz="Europe/Moscow"))
    assert easter.strftime("%Y-%m-%d").tolist() == ["2025-04-20"]
    assert easter.freqstr == "D"
    with pytest.raises(AnalysisError, match="no time zone"):
        window_dates(pd.Timestamp("2025-04-19 18:00"), pd.Timestamp("2025-04-21 00:00", tz="UTC"))
    with pytest.raises(AnalysisError, match="both a start and an end"):
        window_dates(pd.Timestamp("2025-04-19 18:00", tz="UTC"), pd.NaT)


def test_placebo_keeps_clear_only_of_truces_that_began():
    from ceasefire_stats.analysis.sensitivity_table import began_spans

    windows = _calendar([
        ("truce", "a", "in_force", "2025-05-08 00:00", "2025-05-11 00:00"),
        ("pause", "closed", "disputed", "2025-06-01 00:00", "2025-06-04 00:00"),
        ("pause", "open", "disputed", "2025-06-02 00:00", ""),
        ("local", "znpp", "local_only", "2025-07-01 00:00", ""),
        ("offer", "never", "proposed_never_began", "2025-08-01 00:00", ""),
    ])
    spans = began_spans(windows, "Europe/Kyiv", buffer_days=7)
    assert [(a.strftime("%m-%d"), b.strftime("%m-%d")) for a, b in spans] == [
        ("05-01", "05-17"), ("05-25", "06-10"), ("05-26", "06-10")]  # the open end takes the closed one's


def test_placebo_dates_skip_spans_without_reports():
    """Under the zero policy a never-digitised stretch is zeros: the placebo must not draw from it."""
    idx = pd.date_range("2024-01-01", periods=400, freq="D", unit="us")
    rng = np.random.default_rng(12)
    na = pd.Series(rng.poisson(30, 400).astype(float), index=idx)
    na.iloc[:150] = np.nan  # not digitised
    zero = na.fillna(0.0)
    windows = _calendar([("truce", "a", "in_force", "2024-12-01 00:00", "2024-12-04 00:00")])
    out = sensitivity({"s": {"na": na, "zero": zero}}, windows, baseline_days=(14,), families=("poisson",))
    its_rows = out[out["estimator"] == "its_level"].set_index("policy")
    assert its_rows.loc["zero", "placebo_n"] == its_rows.loc["na", "placebo_n"]
