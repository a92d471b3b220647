"""Daily claimed interceptions: attribution by the night rule, the overlap rule and its bounds, gaps NaN."""

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


@pytest.fixture(scope="module")
def real_mod(raw_file):
    from ceasefire_stats.clean import mod_posts

    posts, regions, _ = mod_posts.tables(mod_posts.read_raw(raw_file(mod_posts.SOURCE)))
    return posts, regions


@pytest.fixture
def real_posts(real_mod):
    return real_mod[0]


@pytest.mark.realdata
def test_daily_series_on_the_real_file(real_posts):
    posts = real_posts
    daily = panels_mod.daily_interceptions(posts)
    assert daily.index.freqstr == "D" and daily.index.is_monotonic_increasing
    # the night of 18-19 March 2025 (57) counts for 19 March, with that day's other reports
    assert daily.loc["2025-03-19", "drones_destroyed"] >= 57
    assert daily["drones_destroyed"].isna().any()  # silent days stay missing
    assert (daily["drones_destroyed"].dropna() > 0).all()
    left_out = panels_mod.overlaps(posts)
    assert daily["overlap_reports"].sum() == len(left_out)
    assert left_out["overlaps_post_id"].notna().all()  # each names the covering report


@pytest.mark.realdata
def test_the_covering_report_of_a_night_is_kept_on_the_real_file(real_posts):
    daily = panels_mod.daily_interceptions(real_posts)
    cols = ["drones_destroyed", "drones_destroyed_low", "drones_destroyed_high", "overlap_flag"]
    # 9 April 2025: the overnight summary 8 Apr 20:00 -> 9 Apr 06:00 (158) overlaps two evening posts
    # of 8 April (19:20-21:15, 10; 22:00-22:15, 5, which it restates); the day also has 4 + 6 + 5 and an
    # evening post 20:15-21:10 (19) that the summary dated 10 April restates
    assert daily.loc["2025-04-09", cols].tolist() == [158 + 4 + 6 + 5 + 19, 158 + 4 + 6 + 5, 192, True]
    # 27 May 2025: the night to 27 May (99) and an evening post 21:00-24:00 (112) that the summary
    # dated 28 May (21:00 -> 07:00, 296) restates: counted on its day, not in the low bound
    assert daily.loc["2025-05-27", cols].tolist() == [211, 99, 211, True]
    assert daily.loc["2025-05-28", "drones_destroyed"] >= 296


@pytest.mark.realdata
def test_a_day_is_never_below_its_largest_report_and_the_bounds_hold(real_posts):
    daily = panels_mod.daily_interceptions(real_posts)
    reports = real_posts[(real_posts["kind"] == "intercept_report") & real_posts["drones_destroyed"].notna()
                         & real_posts["window_end"].notna()]
    largest = reports.groupby("attribution_date")["drones_destroyed"].max().astype(float)
    assert (daily["drones_destroyed"].reindex(largest.index) >= largest).all()
    reported = daily.dropna(subset=["drones_destroyed_high"])
    assert (reported["drones_destroyed_low"] <= reported["drones_destroyed"]).all()
    assert (reported["drones_destroyed"] <= reported["drones_destroyed_high"]).all()
    assert reported["overlap_flag"].sum() > 0
    assert (reported["overlap_flag"] == (reported["drones_destroyed_low"] != reported["drones_destroyed_high"])).all()
    # the high bound counts every report once; the low bound counts no drone twice: the reports it
    # keeps never overlap (checked on the reports, not on the daily sums)
    assert reported["drones_destroyed_high"].sum() == reports["drones_destroyed"].sum()
    rep = panels_mod._reports(real_posts)
    low = rep[rep["in_low"]].sort_values("start_eff")
    assert (low["start_eff"].iloc[1:].to_numpy() >= low["end_eff"].cummax().iloc[:-1].to_numpy()).all()
    assert reported["drones_destroyed_low"].sum() == low["drones_destroyed"].sum()


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


def test_a_covering_report_restates_the_interim_posts_of_its_day():
    posts = _posts([
        ("morning", "intercept_report", "2025-09-12 08:00", "2025-09-12 12:00", 22),
        ("interim", "intercept_report", "2025-09-12 08:00", "2025-09-12 09:15", 10),
        ("moment", "intercept_report", "2025-09-12 10:30", "2025-09-12 10:30", 1),
    ]).assign(window_kind=["range", "range", "moment"])
    daily = panels_mod.daily_interceptions(posts)
    assert daily.loc["2025-09-12", ["drones_destroyed", "drones_destroyed_low", "drones_destroyed_high"]].tolist() == [22, 22, 33]
    assert sorted(panels_mod.overlaps(posts)["post_id"]) == ["interim", "moment"]
    assert set(panels_mod.overlaps(posts)["overlaps_post_id"]) == {"morning"}
    assert panels_mod.counted_reports(posts)["post_id"].tolist() == ["morning"]


def test_an_evening_post_inside_the_next_mornings_summary_counts_on_its_day_but_not_in_the_low_bound():
    posts = _posts([
        ("summary", "intercept_report", "2025-07-23 20:40", "2025-07-24 01:40", 39),
        ("evening", "intercept_report", "2025-07-23 20:40", "2025-07-23 23:50", 21),
    ]).assign(window_kind=["range", "range"])
    daily = panels_mod.daily_interceptions(posts)
    assert daily["drones_destroyed"].tolist() == [21, 39]
    assert daily["drones_destroyed_low"].tolist() == [0, 39]
    assert daily["drones_destroyed_high"].tolist() == [21, 39]
    assert daily["overlap_flag"].tolist() == [True, False]
    assert panels_mod.overlaps(posts).empty
    assert panels_mod.overlap_summary(posts)[["reports_left_out_low", "drones_left_out_low"]].tolist() == [1, 21]


def test_reports_that_overlap_without_containment_are_separate_claims():
    posts = _posts([
        ("afternoon", "intercept_report", "2024-10-17 16:40", "2024-10-17 17:30", 5),
        ("evening", "intercept_report", "2024-10-17 17:20", "2024-10-17 17:50", 3),
        ("smaller", "intercept_report", "2024-10-17 20:00", "2024-10-17 22:00", 4),
        ("bigger", "intercept_report", "2024-10-17 21:00", "2024-10-17 23:00", 2),
        ("after", "intercept_report", "2024-10-17 22:30", "2024-10-17 23:30", 3),
    ]).assign(window_kind="range")
    daily = panels_mod.daily_interceptions(posts)
    assert daily.loc["2024-10-17", "drones_destroyed"] == 17 == daily.loc["2024-10-17", "drones_destroyed_high"]
    # low: of each overlapping group, the non-overlapping set with the most drones (5; 4 + 3)
    assert daily.loc["2024-10-17", "drones_destroyed_low"] == 12


def test_an_assumed_night_window_restates_nothing():
    # «в течение прошедшей ночи» (window assumed 23:00-07:00) then a stated 06:00-07:00 post: the
    # assumed hours are a convention, not evidence that the night report repeats the later one
    posts = _posts([
        ("night", "intercept_report", "2025-01-19 23:00", "2025-01-20 07:00", 31),
        ("dawn", "intercept_report", "2025-01-20 06:00", "2025-01-20 07:00", 2),
    ]).assign(window_kind=["night", "range"])
    daily = panels_mod.daily_interceptions(posts)
    assert daily.loc["2025-01-20", ["drones_destroyed", "drones_destroyed_low", "drones_destroyed_high"]].tolist() == [33, 31, 33]


def test_the_zero_policy_fills_every_bound_and_a_bad_policy_is_refused():
    posts = _posts([
        ("a", "intercept_report", "2025-05-22 20:00", "2025-05-23 07:00", 4),
        ("b", "intercept_report", "2025-05-25 10:00", "2025-05-25 11:00", 1),
    ])
    daily = panels_mod.daily_interceptions(posts, missing="zero")
    for col in ("drones_destroyed", "drones_destroyed_low", "drones_destroyed_high"):
        assert daily[col].tolist() == [4, 0, 1]
    assert not daily["overlap_flag"].any()
    with pytest.raises(ValueError, match="missing"):
        panels_mod.daily_interceptions(posts, missing="drop")


def test_a_window_across_two_dates_drops_every_restated_report():
    posts = _posts([
        ("summary", "intercept_report", "2025-04-08 20:00", "2025-04-09 06:00", 158),
        ("early", "intercept_report", "2025-04-08 19:20", "2025-04-08 21:15", 10),
        ("interim", "intercept_report", "2025-04-08 22:00", "2025-04-08 22:15", 5),
    ]).assign(window_kind="range")
    assert sorted(panels_mod.counted_reports(posts)["post_id"]) == ["early", "interim", "summary"]
    # across dates the summary replaces the interim it contains; «early» only overlaps it: a separate claim
    assert sorted(panels_mod.counted_reports(posts, restated_by="any")["post_id"]) == ["early", "summary"]
    with pytest.raises(ValueError, match="restated_by"):
        panels_mod.counted_reports(posts, restated_by="night")


def test_posts_of_the_same_minute_are_separate_interceptions():
    # two moments «в 14.00» (1 and 2 drones, other regions on the real file): a moment restates nothing
    posts = _posts([
        ("first", "intercept_report", "2023-12-22 14:00", "2023-12-22 14:00", 1),
        ("second", "intercept_report", "2023-12-22 14:00", "2023-12-22 14:00", 2),
    ]).assign(window_kind="moment")
    daily = panels_mod.daily_interceptions(posts)
    assert daily.loc["2023-12-22", ["drones_destroyed", "drones_destroyed_low", "drones_destroyed_high"]].tolist() == [3, 2, 3]
    pairs = panels_mod.overlap_pairs(posts)
    assert pairs[["relation", "restates"]].values.tolist() == [["same_window", False]]


@pytest.mark.realdata
def test_the_evidence_for_the_overlap_rule_on_the_real_file(real_mod):
    pairs = panels_mod.overlap_pairs(*real_mod)
    held = pairs[(pairs["relation"] == "contains") & pairs["outer_stated"]]
    # docs/mod_posts.md: every stated window holding another was posted later and is not smaller,
    # and most repeat the interim post's regions; only such pairs restate
    assert len(held) >= 25 and held["outer_posted_later"].all() and held["outer_not_smaller"].all()
    assert (held["shared_region_share"] > 0).mean() >= 0.75
    assert pairs["restates"].sum() == held["restates"].sum() == len(held)
