"""Daily panels: missing-day policy, no double counting, combination, rates."""

from __future__ import annotations

import pandas as pd
import pytest

from ceasefire_stats.panels import strikes as panels


def strikes(*rows: tuple[str, str, str, int | None, int | None, int | None]) -> pd.DataFrame:
    """(date, body, class, launched, destroyed, not_reach_goal) rows in the strikes layout."""
    frame = pd.DataFrame(rows, columns=["attribution_date", "reporting_body", "weapon_class", "launched",
                                        "destroyed", "not_reach_goal"])
    frame["attribution_date"] = pd.to_datetime(frame["attribution_date"]).astype("datetime64[us]")
    return frame.astype({m: "Int64" for m in panels.MEASURES})


DATA = strikes(
    ("2025-05-06", "air_force", "attack_drone", 136, 100, 30),
    ("2025-05-06", "air_force", "ballistic_missile", 2, 0, None),
    ("2025-05-06", "pvk_pivden", "attack_drone", 10, 10, None),  # overlaps the national figure
    ("2025-05-07", "air_force", "attack_drone", 218, 150, 50),
    ("2025-05-10", "pvk_pivden", "attack_drone", 2, 2, None),
    ("2025-05-11", "air_force", "attack_drone", 108, 80, 20),
    ("2025-05-11", "air_force", "attack_drone", 4, None, None),  # second entry, destroyed missing
)


def col(panel: pd.DataFrame, measure: str, body: str, cls: str) -> list:
    return panel[measure][body][cls].tolist()


def test_default_policy_is_na_and_documented():
    assert panels.DEFAULT_MISSING == "na"
    assert '``"na"`` (**default**)' in panels.__doc__
    p = panels.daily_panel(DATA)
    assert col(p, "launched", "air_force", "attack_drone") == [136, 218, pd.NA, pd.NA, pd.NA, 112]


def test_index_is_daily_and_complete():
    p = panels.daily_panel(DATA)
    assert p.index.equals(pd.date_range("2025-05-06", "2025-05-11", freq="D", name="date"))
    assert p.index.freq == pd.tseries.frequencies.to_offset("D")
    assert (p.dtypes == "Int64").all()


def test_zero_policy_fills_only_days_without_entries_inside_coverage():
    p = panels.daily_panel(DATA, missing="zero")
    assert col(p, "launched", "air_force", "attack_drone") == [136, 218, 0, 0, 0, 112]
    # pvk_pivden covers 05-06..05-10: 05-11 stays missing
    assert col(p, "launched", "pvk_pivden", "attack_drone") == [10, 0, 0, 0, 2, pd.NA]
    # an entry whose own figure is missing is not filled
    assert col(p, "not_reach_goal", "air_force", "ballistic_missile")[0] is pd.NA


def test_national_and_regional_series_are_never_added():
    p = panels.daily_panel(DATA)
    assert set(p.columns.get_level_values("reporting_body")) == {"air_force", "pvk_pivden"}
    assert p["launched"]["air_force"]["attack_drone"].iloc[0] == 136  # not 146


def test_national_first_combination():
    p = panels.daily_panel(DATA, combine="national_first")
    assert set(p.columns.get_level_values("reporting_body")) == {"combined"}
    # national where it has an entry, else the regional commands
    assert col(p, "launched", "combined", "attack_drone") == [136, 218, pd.NA, pd.NA, 2, 112]
    assert "national_first" in panels.COMBINATIONS


def test_entries_sum_within_a_cell_and_missing_figures_are_skipped():
    p = panels.daily_panel(DATA)
    assert p["destroyed"]["air_force"]["attack_drone"].iloc[-1] == 80


def test_interception_rates_two_definitions():
    rates = panels.interception_rates(panels.daily_panel(DATA))
    assert set(rates.columns.get_level_values("rate")) == set(panels.INTERCEPTION_RATES)
    destroyed = rates["destroyed_rate"]["air_force"]["attack_drone"]
    stopped = rates["stopped_rate"]["air_force"]["attack_drone"]
    assert destroyed.iloc[0] == pytest.approx(100 / 136)
    assert stopped.iloc[0] == pytest.approx(130 / 136)
    assert pd.isna(destroyed.iloc[2])  # no report
    # not_reach_goal missing -> stopped_rate missing, destroyed_rate defined
    assert rates["destroyed_rate"]["air_force"]["ballistic_missile"].iloc[0] == 0
    assert pd.isna(rates["stopped_rate"]["air_force"]["ballistic_missile"].iloc[0])
    assert rates.index.freq == "D"


def test_zero_launched_gives_missing_rate():
    p = panels.daily_panel(strikes(("2025-01-01", "air_force", "attack_drone", 0, 0, 0)))
    assert pd.isna(panels.interception_rates(p)["destroyed_rate"]["air_force"]["attack_drone"].iloc[0])


def test_bad_arguments():
    with pytest.raises(ValueError, match="missing must be one of"):
        panels.daily_panel(DATA, missing="ffill")
    with pytest.raises(ValueError, match="combine must be"):
        panels.daily_panel(DATA, combine="sum")
    with pytest.raises(ValueError, match="no strike entries"):
        panels.daily_panel(DATA, bodies=["nobody"])


def test_to_long_and_rolling_mean():
    p = panels.daily_panel(DATA)
    long = panels.to_long(p)
    assert list(long.columns[:3]) == ["date", "reporting_body", "weapon_class"]
    mean = panels.rolling_mean(p["launched"]["air_force"], window=3, min_periods=2)
    assert mean["attack_drone"].iloc[1] == pytest.approx((136 + 218) / 2)
    assert pd.isna(mean["attack_drone"].iloc[3])  # only one reported day in the window


def night_entries(*rows: tuple[str, str, str, int | None, int | None, int | None]) -> pd.DataFrame:
    """(date, model, class, launched, destroyed, not_reach_goal) national rows with the report columns."""
    frame = strikes(*((d, "air_force", c, la, de, nr) for d, _, c, la, de, nr in rows))
    frame["model"] = frame["model_canonical"] = [r[1] for r in rows]
    frame["window_start"] = frame["window_end"] = pd.NaT
    return frame


def test_night_totals_keep_classes_apart_and_missing_stays_missing():
    night = night_entries(
        ("2025-03-19", "Shahed", "attack_drone", 100, 60, 30),
        ("2025-03-19", "Gerbera", "decoy", 20, 0, 20),
        ("2025-03-19", "Iskander-M", "ballistic_missile", 2, 0, None),
        ("2025-03-19", "Kh-101", "cruise_missile", 10, 8, 1),
        ("2025-03-19", "KAB", "guided_bomb", 5, None, None),
        ("2025-03-20", "Shahed", "attack_drone", 0, 0, 0),
    )
    totals = panels.night_totals(night, "2025-03-19", "2025-03-20")
    assert totals.index.names == ["attribution_date", "class_group"]
    assert totals.index.get_level_values("class_group").tolist() == ["drone", "missile", "other", "drone"]
    day = totals.loc["2025-03-19"]
    assert day["launched"].tolist() == [120, 12, 5]  # never one "launched 137" row
    assert day.loc["drone", "stopped_rate"] == pytest.approx(110 / 120, abs=5e-4)  # rounded to 3 places
    # Kh-101 gives not_reach_goal 1, Iskander-M none: the group's sum is missing, not 1
    assert day.loc["missile", "not_reach_goal"] is pd.NA
    assert day.loc["missile", "destroyed_rate"] == pytest.approx(8 / 12, abs=5e-4)
    assert day.loc["missile", "stopped_rate"] is pd.NA
    assert day.loc["other", "destroyed"] is pd.NA and day.loc["other", "destroyed_rate"] is pd.NA
    assert totals.loc[("2025-03-20", "drone"), "destroyed_rate"] is pd.NA  # launched 0
    assert set(panels.NIGHT_GROUPS["other"]) == {"guided_bomb", "unknown", "mixed"}


# --- the real file ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_strikes(real_table):
    return real_table("strikes")


@pytest.mark.realdata
def test_victory_day_2025_in_the_panel(real_strikes):
    days = ["2025-05-08", "2025-05-09", "2025-05-10"]
    na = panels.daily_panel(real_strikes)["launched"]["air_force"]["attack_drone"]
    zero = panels.daily_panel(real_strikes, missing="zero")["launched"]["air_force"]["attack_drone"]
    assert na.loc[days].isna().all()  # default: not reported is missing
    assert zero.loc[days].tolist() == [0, 0, 0]  # "zero": inside the Air Force's coverage
    assert na.loc["2025-05-07"] > 0 and na.loc["2025-05-11"] > 0


@pytest.mark.realdata
def test_march_2025_nights_in_the_panel(real_strikes):
    p = panels.daily_panel(real_strikes, bodies=["air_force"])
    drones = p.loc["2025-03-18":"2025-03-20"]
    assert drones["launched"]["air_force"]["attack_drone"].tolist() == [137, 145, 171]
    assert drones["destroyed"]["air_force"]["attack_drone"].tolist() == [63, 72, 75]
    assert drones["not_reach_goal"]["air_force"]["attack_drone"].tolist() == [64, 56, 63]
    assert p.loc["2025-03-19", ("launched", "air_force", "sam_ground_attack")] == 4
    totals = panels.night_totals(real_strikes, "2025-03-18", "2025-03-20")
    assert totals.xs("drone", level="class_group")["launched"].tolist() == [137, 145, 171]


@pytest.mark.realdata
def test_night_of_19_march_2025_keeps_drones_and_missiles_apart(real_strikes):
    # Shahed 145 launched / 72 destroyed / 56 lost from radar; Iskander-M 2/0 and S-300 4/0 with no
    # not_reach_goal figure: no "launched 151" row, and the missiles' stopped_rate stays missing
    night = panels.night_totals(real_strikes, "2025-03-19", "2025-03-19").loc["2025-03-19"]
    assert night.index.tolist() == ["drone", "missile"]
    assert night.loc["drone", ["entries", "launched", "destroyed", "not_reach_goal"]].tolist() == [1, 145, 72, 56]
    assert night.loc["drone", "stopped_rate"] == pytest.approx(0.883)
    assert night.loc["missile", ["entries", "launched", "destroyed"]].tolist() == [2, 6, 0]
    assert night.loc["missile", "models"] == "Iskander-M, S-300"
    assert night.loc["missile", "not_reach_goal"] is pd.NA
    assert night.loc["missile", "destroyed_rate"] == 0
    assert night.loc["missile", "stopped_rate"] is pd.NA


@pytest.mark.realdata
def test_coverage_by_body(real_strikes):
    table = panels.coverage(real_strikes)
    assert table.index.freqstr == "MS"
    assert table.loc["2025-03-01", "air_force"] > 25
    assert (table.to_numpy() <= 31).all()
