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
    assert set(its_rows["family"]) == {"poisson", "quasipoisson", "nb"}
    assert its_rows["method"].str.startswith("exact_conditional").all()
    assert its_rows["note"].str.contains("zero events").all()


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
    assert its_rows["placebo_n"].min() >= 5
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
