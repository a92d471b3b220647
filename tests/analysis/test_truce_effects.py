"""The truce_effects table on the real files: both directions, every definition, both policies."""

from __future__ import annotations

import pandas as pd
import pytest

from ceasefire_stats.analysis import its, truce_effects
from ceasefire_stats.clean import calendar
from ceasefire_stats.nights import KYIV

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def inputs(real_table):
    return real_table("strikes"), real_table("mod_posts"), calendar.read_calendar()


@pytest.fixture(scope="module")
def effects(inputs):
    strikes, posts, windows = inputs
    chosen = windows[windows["window_id"].isin(["energy_moratorium_2025", "victory_day_truce_2025",
                                                "jeddah_ceasefire_2025"])]
    return truce_effects.truce_effects(strikes, posts, chosen, with_placebo=False)


def test_every_row_says_whose_count_and_which_direction(effects):
    pairs = set(zip(effects["series"], effects["direction"], effects["claimant"], strict=True))
    assert pairs == {("ru_to_ua_drones_launched", "ru_to_ua", "ua_air_force"),
                     ("ru_to_ua_missiles_launched", "ru_to_ua", "ua_air_force"),
                     ("ua_to_ru_drones_claimed_destroyed", "ua_to_ru", "ru_mod"),
                     ("ua_to_ru_drones_claimed_destroyed_low", "ua_to_ru", "ru_mod"),
                     ("ua_to_ru_drones_claimed_destroyed_high", "ua_to_ru", "ru_mod")}
    truce_effects.SCHEMAS["truce_effects"].validate(effects)


def test_victory_day_2025_zero_drones_under_zero_policy_and_no_data_under_na(effects):
    rows = effects[(effects["window_id"] == "victory_day_truce_2025") & (effects["series"] == "ru_to_ua_drones_launched")
                   & (effects["estimator"] == "before_after")]
    zero, na = rows[rows["policy"] == "zero"], rows[rows["policy"] == "na"]
    assert len(zero) and (zero["window_events"] == 0).all()
    assert (zero["rate_ratio"] == 0).all() and zero["ci_high"].between(0, 1, inclusive="neither").all()
    assert len(na) and na["rate_ratio"].isna().all() and na["note"].str.contains("every day is missing").all()


def test_a_proposal_that_never_began_is_a_row_with_a_note(effects):
    rows = effects[effects["window_id"] == "jeddah_ceasefire_2025"]
    assert len(rows) and rows["rate_ratio"].isna().all() and rows["note"].str.contains("no start").all()


def test_each_energy_moratorium_definition_has_a_level_effect_whose_interval_holds_it(inputs):
    strikes, posts, windows = inputs
    launched = truce_effects.daily_series(strikes, posts)["ru_to_ua_drones_launched"]["na"]
    definitions = windows[windows["window_id"] == "energy_moratorium_2025"]
    assert len(definitions) >= 2 and definitions["start"].nunique() >= 2  # Russia's 18 vs Ukraine's 25 March
    for row in definitions.itertuples():
        start = row.start.tz_convert(KYIV).tz_localize(None).normalize() + pd.Timedelta(days=1)
        end = row.end.tz_convert(KYIV).tz_localize(None).normalize()
        span = launched.loc[start - pd.Timedelta(days=120): end + pd.Timedelta(days=60)]
        level = its(span, start, end=end, family="nb", hac_lags=7).effects.set_index("term").loc["level"]
        assert level["ci_low"] <= level["rate_ratio"] <= level["ci_high"], row.definition
        assert 0 < level["ci_low"] and level["ci_high"] < float("inf")


def test_each_planned_window_has_one_primary_row_per_series_with_its_reporting_check(effects):
    primary = effects[effects["primary"]]
    assert set(primary["window_id"]) == {"energy_moratorium_2025", "victory_day_truce_2025"}  # jeddah never began
    assert not primary.duplicated(["window_id", "series"]).any()
    assert set(primary["series"]) >= set(truce_effects.SERIES)
    assert (primary["estimator"] == "window_effect").all() and (primary["policy"] == "na").all()
    em = primary[primary["window_id"] == "energy_moratorium_2025"]
    assert (em["definition"] == "ru_stated").all()
    assert em["ci_low"].le(em["rate_ratio"]).all() and em["rate_ratio"].le(em["ci_high"]).all()
    assert em["reported_share_window"].between(0, 1).all() and em["interval_method"].notna().all()
    # Victory Day 2025 has no Air Force report on its nights: the primary row says so, no number
    vd = primary[(primary["window_id"] == "victory_day_truce_2025")
                 & (primary["series"] == "ru_to_ua_drones_launched")]
    assert vd["rate_ratio"].isna().all() and vd["note"].str.contains("every day is missing").all()


def test_every_estimate_carries_the_reporting_check(effects):
    rows = effects.dropna(subset=["rate_ratio"])
    assert rows["reported_share_window"].notna().all() and rows["reported_share_baseline"].notna().all()
    zero_vd = rows[(rows["window_id"] == "victory_day_truce_2025") & (rows["policy"] == "zero")
                   & (rows["series"] == "ru_to_ua_drones_launched")]
    assert len(zero_vd) and (zero_vd["reported_share_window"] == 0).all()  # zeros that are not reports


def test_mod_bound_series_appear_only_where_they_differ(effects, inputs):
    strikes, posts, _ = inputs
    series = truce_effects.daily_series(strikes, posts, bounds=True)
    for name, (parent, _) in truce_effects.BOUNDS.items():
        for wid in effects.loc[effects["series"] == name, "window_id"].unique():
            rows = effects[(effects["series"] == name) & (effects["window_id"] == wid)].dropna(
                subset=["window_first_date"])
            lo = rows["window_first_date"].min() - pd.Timedelta(days=28)
            hi = rows["window_last_date"].max() + pd.Timedelta(days=28)
            differs = [not series[name][p].loc[lo:hi].fillna(-1).equals(series[parent][p].loc[lo:hi].fillna(-1))
                       for p in truce_effects.POLICIES]
            assert any(differs), (name, wid)


def test_the_conclusion_is_rendered_from_the_primary_rows(effects, inputs):
    from ceasefire_stats.analysis import truce_summary

    windows = inputs[2]
    text = truce_summary.findings(effects, windows)
    prim = truce_summary.primary(effects)
    for r in prim.itertuples():
        assert (r.estimate in text) if r.estimate else ("no estimate" in text)
    assert "**energy_moratorium_2025**" in text and "**victory_day_truce_2025**" in text
    assert "every day is missing" in text  # what the data cannot say is said


def test_the_table_is_the_same_computed_in_parallel_or_serially(inputs, effects):
    """The primary rows and each series' curve run on forked processes by default; one worker
    computes them in order in this process: the table must not depend on which."""
    strikes, posts, windows = inputs
    chosen = windows[windows["window_id"].isin(["energy_moratorium_2025", "victory_day_truce_2025",
                                                "jeddah_ceasefire_2025"])]
    serial = truce_effects.truce_effects(strikes, posts, chosen, with_placebo=False, workers=1)
    pd.testing.assert_frame_equal(serial, effects)
