"""Daily claimed interceptions: attribution by the night rule, overlaps left out, gaps NaN."""

from __future__ import annotations

import pandas as pd
import pytest

from ceasefire_stats.panels import mod as panels_mod


def _posts(rows):
    frame = pd.DataFrame(rows, columns=["post_id", "kind", "window_start", "window_end", "drones_destroyed"])
    for col in ("window_start", "window_end"):
        frame[col] = pd.to_datetime(frame[col]).dt.tz_localize("Europe/Moscow")
    frame["drones_destroyed"] = frame["drones_destroyed"].astype("Int64")
    return frame


def test_overnight_window_counts_for_the_morning_and_gaps_stay_missing():
    posts = _posts([
        ("night", "intercept_report", "2025-05-22 20:00", "2025-05-23 07:00", 40),
        ("noon", "intercept_report", "2025-05-23 12:00", "2025-05-23 14:00", 3),
        ("later", "intercept_report", "2025-05-26 16:30", "2025-05-26 16:30", 1),
        ("digest", "summary", None, None, None),
    ])
    daily = panels_mod.daily_interceptions(posts)
    assert daily.index.freqstr == "D"
    assert daily["drones_destroyed"].loc["2025-05-23"] == 43
    assert daily["drones_destroyed"].loc["2025-05-24":"2025-05-25"].isna().all()
    assert daily["reports"].tolist() == [2, 0, 0, 1]


def test_overlapping_windows_are_reported_not_summed():
    posts = _posts([
        ("evening", "intercept_report", "2025-05-22 20:00", "2025-05-22 23:00", 10),
        ("inside", "intercept_report", "2025-05-22 21:00", "2025-05-22 21:00", 2),
        ("night", "intercept_report", "2025-05-22 23:00", "2025-05-23 07:00", 30),
    ])
    daily = panels_mod.daily_interceptions(posts)
    assert daily.loc["2025-05-22", "drones_destroyed"] == 10
    assert daily.loc["2025-05-22", "overlap_drones"] == 2
    assert daily.loc["2025-05-23", "drones_destroyed"] == 30  # touching windows do not overlap
    assert panels_mod.overlaps(posts)["post_id"].tolist() == ["inside"]


@pytest.mark.realdata
def test_daily_series_on_the_real_file(real_table):
    posts = real_table("mod_posts")
    daily = panels_mod.daily_interceptions(posts)
    assert daily.index.freqstr == "D" and daily.index.is_monotonic_increasing
    # the night of 18-19 March 2025 (57) counts for 19 March, with that day's other reports
    assert daily.loc["2025-03-19", "drones_destroyed"] >= 57
    assert daily["drones_destroyed"].isna().any()  # silent days stay missing
    assert (daily["drones_destroyed"].dropna() > 0).all()
    left_out = panels_mod.overlaps(posts)
    assert daily["overlap_reports"].sum() == len(left_out)
    assert left_out["overlaps_post_id"].notna().all()  # each names the counted report it overlaps


def test_an_unstated_night_starts_where_the_evening_report_ended():
    # «с 20.00 до полуночи» (stated) then «в течение прошедшей ночи» (window assumed 23:00-07:00):
    # the MoD reports a night in pieces, so the assumed hour before midnight is no overlap
    posts = _posts([
        ("evening", "intercept_report", "2026-02-16 20:00", "2026-02-17 00:00", 76),
        ("night", "intercept_report", "2026-02-16 23:00", "2026-02-17 07:00", 151),
    ]).assign(window_kind=["range", "night"])
    daily = panels_mod.daily_interceptions(posts)
    assert daily["drones_destroyed"].loc["2026-02-16"] == 76
    assert daily["drones_destroyed"].loc["2026-02-17"] == 151
    assert panels_mod.overlaps(posts).empty
    counted = panels_mod.counted_reports(posts).set_index("post_id")
    assert counted.loc["night", "counted_from"] == pd.Timestamp("2026-02-17 00:00", tz="Europe/Moscow")


def test_overlap_in_stated_times_is_still_left_out():
    posts = _posts([
        ("long", "intercept_report", "2025-07-23 20:40", "2025-07-24 01:40", 39),
        ("inside", "intercept_report", "2025-07-23 20:40", "2025-07-23 23:50", 21),
    ]).assign(window_kind=["range", "range"])
    assert panels_mod.overlaps(posts)["post_id"].tolist() == ["inside"]
    assert panels_mod.counted_reports(posts)["post_id"].tolist() == ["long"]
