"""Row-level diffs between source versions: matched by a natural key that survives cosmetic
revisions; the issue's expectations on the two earlier real Air Force versions."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from ceasefire_stats import cli
from ceasefire_stats.clean import airforce
from ceasefire_stats.core import paths, rawcsv
from ceasefire_stats.versions import diff as source_diff
from tests.clean.test_airforce import REFERENCE_CSV, csv_text, row

NONE = pd.DatetimeIndex([])


@pytest.fixture
def clean(tmp_path):
    reference = tmp_path / "missiles_and_uavs.csv"
    reference.write_text(REFERENCE_CSV)

    def _clean(rows, name):
        path = tmp_path / name
        path.write_text(csv_text(rows))
        result = airforce.clean_strikes(path, reference)
        return {**result.tables, "raw": airforce.read_raw(path), "rejects": result.ledgers[0].rejects}

    return _clean


def run(old, new, analysed=NONE):
    return source_diff.diff_tables(old, new, analysed=analysed, old_raw=old["raw"], new_raw=new["raw"],
                                   old_rejects=old["rejects"], new_rejects=new["rejects"])


def test_cosmetic_and_key_revisions_are_revisions_of_the_same_rows(clean):
    old = clean([row(model="Kalibr", launch_place="Black Sea and Caspian Sea", launched="4.0", destroyed="3.0"),
                 row(model="Iskander-M", launch_place="Crimea", target="odesa oblast", launched="1.0", destroyed="0.0"),
                 row(model="Unknown UAV", launched="5.0", destroyed="5.0")], "old.csv")
    new = clean([row(model="Kalibr", launch_place="Caspian Sea and Black Sea", launched="4.0", destroyed="3.0"),
                 row(model="Iskander-M/KN-23", launch_place="Crimea", target="Odesa oblast", launched="1.0",
                     destroyed="0.0"),
                 row(model="Shahed-136/131", launched="5.0", destroyed="5.0")], "new.csv")
    result = run(old, new)
    assert result.matched == 3 and result.entries("added") == 0 and result.entries("removed") == 0
    changes = result.rows.set_index("field")
    assert changes.loc["launch_place", ["old_value", "new_value", "cosmetic"]].tolist() == [
        "Black Sea and Caspian Sea", "Caspian Sea and Black Sea", True]
    assert bool(changes.loc["target", "cosmetic"]) is True
    assert not result.rows["count_change"].any()
    # a renamed model changes its class: daily totals move between classes, not in total
    assert (result.daily["weapon_class"] != "(all)").all() and len(result.daily) > 0


def test_count_changes_in_analysed_periods_come_first(clean):
    other = {"time_start": "2025-03-01 19:00", "time_end": "2025-03-02 08:00"}
    old = clean([row(model="Kalibr", launch_place="Black Sea", launched="4.0", destroyed="3.0"),
                 row(model="Iskander-M", launched="2.0", destroyed="1.0", **other)], "old.csv")
    new = clean([row(model="Kalibr", launch_place="Caspian Sea and Black Sea", launched="4.0", destroyed="3.0"),
                 row(model="Iskander-M", launched="2.0", destroyed="2.0", **other),
                 row(model="Kalibr", launched="6.0", destroyed="6.0",
                     time_start="2025-03-05 19:00", time_end="2025-03-06 08:00")], "new.csv")
    result = run(old, new, analysed=pd.DatetimeIndex(["2025-03-02"]))
    first = result.rows.iloc[0]
    assert (first["change"], first["field"], first["old_value"], first["new_value"]) == ("revised", "destroyed", "1", "2")
    assert bool(first["in_analysed_period"]) and bool(first["count_change"])
    assert result.rows["change"].tolist()[-1] == "appended"
    assert result.daily.query("weapon_class == '(all)' and measure == 'destroyed'")["change"].tolist() == [1]
    summary = result.summary.set_index(["change", "field"])["entries"]
    assert summary[("revised", "destroyed")] == 1 and summary[("appended", "-")] == 1
    assert result.by_month.loc["2025-03", "appended"] == 1


def test_a_row_the_old_version_could_not_read_is_repaired_not_added(clean):
    old = clean([row(model="Kalibr", launched="4.0", destroyed="3.0", **{"affected region": "['Kyiv oblast]"})],
                "old.csv")
    new = clean([row(model="Kalibr", launched="4.0", destroyed="3.0", **{"affected region": "['Kyiv oblast']"})],
                "new.csv")
    result = run(old, new)
    assert result.rows[["change", "old_value"]].values.tolist() == [["repaired", "unparseable_literal"]]


def test_only_an_entry_alone_under_a_key_is_matched(clean):
    old = clean([row(model="Kalibr", launched="4.0", destroyed="3.0", target="Kyiv"),
                 row(model="Kalibr", launched="2.0", destroyed="2.0", target="Lviv")], "old.csv")
    new = clean([row(model="Kalibr", launched="4.0", destroyed="3.0", target="Kyiv oblast"),
                 row(model="Kalibr", launched="2.0", destroyed="2.0", target="Lviv oblast")], "new.csv")
    result = run(old, new)
    assert result.entries("revised") == 0 and result.entries("added") == 2 and result.entries("removed") == 2


# --- the two earlier real versions against the pinned file ---------------------------------


@pytest.fixture
def registered(tmp_path, monkeypatch, raw_file):
    monkeypatch.setenv("CEASEFIRE_STATS_VERSIONS", str(tmp_path / "versions.toml"))
    monkeypatch.setenv("CEASEFIRE_STATS_RAW_DIR", str(tmp_path / "raw"))
    mirror = paths.mirror_dir()
    files = [mirror / "piterfm_missile_attacks" / "versions" / label / "missile_attacks_daily.csv"
             for label in ("2025-04-18", "2026-04-04")] if mirror else []
    if not files or not all(f.is_file() for f in files):
        if os.environ.get("CI"):
            pytest.fail("the earlier Air Force versions are not in the mirror (CEASEFIRE_STATS_MIRROR)")
        pytest.skip("the earlier Air Force versions are not in the mirror")
    for file in files:
        assert cli.main(["add", "airforce_strikes", str(file)]) == 0
    raw_file("airforce_strikes")


def key_changes(result):
    rows = result.rows
    keyed = rows[(rows["change"] == "revised") & rows["field"].isin(source_diff.KEY_FIELDS)]
    return keyed[["old_strike_id", "new_strike_id"]].drop_duplicates()


@pytest.mark.realdata
def test_2026_04_04_differs_from_the_pinned_file_in_one_key_and_no_count(registered):
    result = source_diff.diff("airforce_strikes", "2026-04-04", "pinned")
    assert len(key_changes(result)) == 1
    assert not result.rows["count_change"].any()
    assert result.entries("added") == result.entries("removed") == 0
    assert set(result.rows["change"]) == {"revised", "appended"}
    assert result.daily.empty  # no daily count moves
    assert (pd.to_datetime(result.rows.loc[result.rows["change"] == "appended", "attribution_date"])
            > pd.Timestamp("2026-04-04")).all()


@pytest.mark.realdata
def test_2025_04_18_key_only_differences_are_revisions_not_added_and_removed(registered, monkeypatch):
    reads = []
    read_input_bytes = rawcsv.read_input_bytes
    monkeypatch.setattr(rawcsv, "read_input_bytes", lambda path: reads.append(Path(path)) or read_input_bytes(path))
    result = source_diff.diff("airforce_strikes", "2025-04-18", "pinned")
    # each file (the old-schema version, the pinned file, the weapon reference) is read once
    assert sorted(Counter(path.resolve() for path in reads).values()) == [1, 1, 1]
    assert len(key_changes(result)) == 17
    assert result.entries("added") == result.entries("removed") == 0
    assert not result.rows["count_change"].any()
    renamed = result.rows[(result.rows["field"] == "model") & (result.rows["old_value"] == "KAB")]
    assert set(renamed["new_value"]) == {"GBU"}
    reordered = result.rows[(result.rows["field"] == "launch_place") & result.rows["cosmetic"].fillna(False)]
    assert len(reordered) >= 4
    # totals over all classes move only where the old version's unreadable rows were repaired
    totals = result.daily[result.daily["weapon_class"] == "(all)"]
    repaired = pd.to_datetime(result.rows.loc[result.rows["change"] == "repaired", "attribution_date"])
    assert set(totals["attribution_date"]) <= set(repaired)


def test_fields_are_compared_exactly_as_their_text():
    """The fast comparison (counts as numbers, times as wall-clock minutes) agrees with
    comparing the printed values: missing equals missing, seconds and the UTC offset of the
    repeated autumn hour are not shown, so they are no change."""
    counts_old = pd.Series([1, None, None, 2, 0], dtype="Int64")
    counts_new = pd.Series([1, None, 0, 3, 0], dtype="Int64", index=range(5, 10))
    times_old = pd.Series(pd.to_datetime(["2025-10-26 03:30:00+03:00", "2025-03-01 19:00:10+02:00", None,
                                          "2025-03-01 19:00:00+02:00", None], utc=True)).dt.tz_convert("Europe/Kyiv")
    times_new = pd.Series(pd.to_datetime(["2025-10-26 03:30:00+02:00", "2025-03-01 19:00:50+02:00", None,
                                          "2025-03-01 19:01:00+02:00", "2025-03-01 19:00:00+02:00"], utc=True),
                          index=range(5, 10)).dt.tz_convert("Europe/Kyiv")
    by_text = lambda a, b: (source_diff._text(a).to_numpy() != source_diff._text(b).to_numpy()).tolist()  # noqa: E731
    assert source_diff._differs(counts_old, counts_new).tolist() == by_text(counts_old, counts_new) == [
        False, False, True, True, False]
    minutes_differ = (source_diff._minutes(times_old) != source_diff._minutes(times_new)).tolist()
    assert minutes_differ == by_text(times_old, times_new) == [False, False, False, True, True]
