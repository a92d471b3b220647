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
                     ("ua_to_ru_drones_claimed_destroyed", "ua_to_ru", "ru_mod")}
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
