"""clean.calendar: the curated calendar validates and covers the reference; every bad input names
file, window, definition and field."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from ceasefire_stats.clean import calendar
from ceasefire_stats.core.errors import InputError

REFERENCE_ROWS = {
    1: {"jeddah_ceasefire_2025"},
    2: {"energy_moratorium_2025"},
    3: {"black_sea_riyadh_2025"},
    4: {"easter_truce_2025"},
    5: {"victory_day_truce_2025"},
    6: {"coalition_ceasefire_2025"},
    7: {"bodies_recovery_pause_2025", "journalists_pause_2025"},
    8: {"znpp_repair_2025_10", "znpp_repair_2025_12", "znpp_repair_2026_01"},
    9: {"christmas_truce_2025"},
    10: {"winter_pause_2026"},
    11: {"easter_truce_2026"},
}
"""Each row of ../shared/reference/ceasefire_calendar.md -> its window ids."""

REFERENCE_IDS = {"A1", "I1", *(f"B{i}" for i in range(1, 9)), "C1", "C2", "C3",
                 *(f"D{i}" for i in range(1, 7)), *(f"E{i}" for i in range(1, 6)), "F1", "F2", "G1", "G2",
                 *(f"H{i}" for i in range(1, 5)), *(f"J{i}" for i in range(1, 7)),
                 *(f"K{i}" for i in range(1, 7))}
"""Every source id of the reference's list (each must be cited by some definition)."""


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return calendar.read_calendar()


def _rows(table: pd.DataFrame, window_id: str) -> pd.DataFrame:
    return table[table["window_id"] == window_id].set_index("definition")


# --- the real calendar ---------------------------------------------------------------------------

def test_real_calendar_validates(table):
    calendar.SCHEMA.validate(table)
    assert list(table.columns) == calendar.COLUMNS
    assert str(table["start"].dtype) == str(table["end"].dtype) == "datetime64[us, UTC]"
    assert not table.duplicated(["window_id", "definition"]).any()


def test_every_reference_row_has_its_windows(table):
    assert set(table["window_id"]) == set().union(*REFERENCE_ROWS.values())


def test_every_definition_has_a_source_and_every_reference_source_is_cited(table):
    items = table["sources"].str.split("; ").explode()
    assert table["sources"].str.len().gt(0).all()
    assert items.str.match(calendar.SOURCE_PATTERN.pattern).all()
    assert set(items.str.split(":").str[0]) == REFERENCE_IDS


def test_energy_moratorium_has_the_russian_and_ukrainian_starts(table):
    rows = _rows(table, "energy_moratorium_2025")
    assert len(rows) >= 2 and rows["start"].nunique() >= 2
    assert rows.loc["ru_stated", "start"] == utc("2025-03-17 21:00")  # 18 Mar 00:00 MSK
    assert rows.loc["ua_stated", "start"] == utc("2025-03-24 22:00")  # 25 Mar 00:00 Kyiv (UTC+2)
    assert rows.loc["ru_stated", "end"] == utc("2025-04-16 21:00")  # end of 16 Apr MSK (TASS)
    assert rows.loc["ru_peskov_end", "end"] == utc("2025-04-17 21:00")  # expired by 18 Apr (Peskov)
    assert (rows["status"] == "disputed").all() and (rows["scope"] == "energy").all()


def test_easter_and_victory_day_2025_are_the_stated_moscow_times(table):
    easter = _rows(table, "easter_truce_2025").loc["as_announced"]
    assert easter["start"] == utc("2025-04-19 15:00") and easter["end"] == utc("2025-04-20 21:00")
    victory = _rows(table, "victory_day_truce_2025").loc["as_announced"]
    assert victory["start"] == utc("2025-05-07 21:00") and victory["end"] == utc("2025-05-10 21:00")
    assert easter["stated_timezone"] == victory["stated_timezone"] == "Europe/Moscow"


def test_winter_pause_keeps_trump_kremlin_and_zelenskyy_dates(table):
    rows = _rows(table, "winter_pause_2026")
    assert set(rows.index) == {"us_stated", "ru_stated", "ua_stated", "press_end"}
    assert rows.loc["us_stated", "start"] == utc("2026-01-24 21:00")  # Sunday 25 Jan
    assert rows.loc["ua_stated", "start"] == utc("2026-01-29 16:00")  # night of 29-30 Jan, Kyiv
    assert rows.loc["ru_stated", "end"] == utc("2026-02-01 21:00")  # through 1 Feb MSK
    assert pd.isna(rows.loc["ua_stated", "end"])
    assert rows["scope"].nunique() == 3


def test_easter_2026_zone_unknown_with_an_alternative(table):
    rows = _rows(table, "easter_truce_2026")
    assert len(rows) >= 2 and (rows["stated_timezone"] == "unknown").all()
    assert (rows["start"] == utc("2026-04-11 13:00")).all() and rows["end"].nunique() == 2


def test_local_and_never_began_windows(table):
    late_december = _rows(table, "znpp_repair_2025_12")
    assert late_december["start"].dt.tz_convert("Europe/Kyiv").dt.day.tolist() == [28, 30]
    unknown_start = table[table["start"].isna()]
    assert set(unknown_start["status"]) <= set(calendar.NULL_START_STATUSES)
    never = table[table["status"] == "proposed_never_began"]["window_id"]
    assert set(never) == {"jeddah_ceasefire_2025", "coalition_ceasefire_2025", "christmas_truce_2025",
                          "black_sea_riyadh_2025"}
    assert set(table[table["scope"] == "local"]["status"]) == {"local_only"}


def test_row_order_is_deterministic(table):
    again = calendar.read_calendar()
    pd.testing.assert_frame_equal(table, again)
    known = table[table["start"].notna()]
    assert known["start"].is_monotonic_increasing
    assert table["start"].isna().iloc[len(known):].all()


# --- bad input ------------------------------------------------------------------------------------

GOOD = """\
format: 1
window_id: test_truce
name: Test truce
definitions:
  - definition: ru_stated
    start: "2025-04-19T18:00:00+03:00"
    end: "2025-04-21T00:00:00+03:00"
    status: in_force
    scope: all_hostilities
    declared_by: Someone, 19 Apr 2025
    sources:
      - "D1: https://example.org/a"
    time_convention: stated
    stated_timezone: Europe/Moscow
    notes: A note.
"""


def _write(folder, text: str | bytes, name: str = "test_truce.yaml"):
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def _error(folder) -> str:
    with pytest.raises(InputError) as info:
        calendar.read_calendar(folder)
    return str(info.value)


def test_good_fixture_reads(tmp_path):
    _write(tmp_path, GOOD)
    (tmp_path / "README.md").write_text("not a calendar file")
    table = calendar.read_calendar(tmp_path)
    assert table["start"].tolist() == [utc("2025-04-19 15:00")]
    assert table["source_file"].tolist() == ["test_truce.yaml"]


BAD_DEFINITIONS = [
    # (id, old text, new text, field named, words in the message)
    ("list_for_text", "declared_by: Someone, 19 Apr 2025", "declared_by: [Someone, Other]",
     "declared_by", "not a list"),
    ("number_for_text", "status: in_force", "status: 3", "status", "not a number"),
    ("boolean_for_text", "status: in_force", "status: yes", "status", "not a boolean"),
    ("mapping_for_list", '    sources:\n      - "D1: https://example.org/a"', "    sources: {D1: x}",
     "sources", "non-empty list"),
    ("unknown_key", "notes: A note.", "notes: A note.\n    colour: red", "colour", "unknown key"),
    ("missing_key", "    scope: all_hostilities\n", "", "scope", "missing required key"),
    ("naive_start", '"2025-04-19T18:00:00+03:00"', '"2025-04-19T18:00:00"', "start", "explicit UTC offset"),
    ("date_only_end", '"2025-04-21T00:00:00+03:00"', '"2025-04-21"', "end", "explicit UTC offset"),
    ("impossible_date", '"2025-04-19T18:00:00+03:00"', '"2025-02-30T18:00:00+03:00"', "start",
     "not a real date"),
    ("unquoted_number_start", 'start: "2025-04-19T18:00:00+03:00"', "start: 20250419", "start",
     "quoted text"),
    ("bad_status", "status: in_force", "status: ongoing", "status", "in_force"),
    ("bad_scope", "scope: all_hostilities", "scope: everything", "scope", "all_hostilities"),
    ("bad_zone", "stated_timezone: Europe/Moscow", "stated_timezone: Europe/Kiev", "stated_timezone",
     "unknown value"),
    ("bad_convention", "time_convention: stated", "time_convention: noon", "time_convention", "unknown value"),
    ("convention_clock_mismatch", "time_convention: stated", "time_convention: day_start_msk", "start",
     "18:00 in Europe/Moscow"),
    ("null_bound_with_convention", 'end: "2025-04-21T00:00:00+03:00"', "end: null", "end", "is null"),
    ("end_before_start", '"2025-04-21T00:00:00+03:00"', '"2025-04-19T12:00:00+03:00"', "end", "not after"),
    ("longer_than_60_days", '"2025-04-21T00:00:00+03:00"', '"2025-07-21T00:00:00+03:00"', "end",
     "more than 60 days"),
    ("start_before_2022", '"2025-04-19T18:00:00+03:00"', '"2021-04-19T18:00:00+03:00"', "start",
     "outside 2022-02-24..2030"),
    ("unknown_start_in_force", 'start: "2025-04-19T18:00:00+03:00"\n    end: "2025-04-21T00:00:00+03:00"',
     "start: null\n    end: null", "start", "only ['proposed_never_began', 'local_only']"),
    ("bad_source_item", '"D1: https://example.org/a"', '"see the TASS article"', "sources", "'<ref id>: <url>'"),
    ("empty_sources", '    sources:\n      - "D1: https://example.org/a"', "    sources: []",
     "sources", "non-empty list"),
]


@pytest.mark.parametrize(("old", "new", "field", "words"), [case[1:] for case in BAD_DEFINITIONS],
                         ids=[case[0] for case in BAD_DEFINITIONS])
def test_bad_definition_names_file_window_definition_and_field(tmp_path, old, new, field, words):
    assert old in GOOD
    _write(tmp_path, GOOD.replace(old, new, 1))
    message = _error(tmp_path)
    assert re.search(rf"test_truce\.yaml:\d+: window 'test_truce' definition 'ru_stated': field '{field}'",
                     message), message
    assert words in message


BAD_FILES = [
    # (id, text, field named, words)
    ("unknown_top_key", GOOD.replace("name: Test truce", "name: Test truce\nsummary: x"), "summary",
     "unknown top-level key"),
    ("missing_name", GOOD.replace("name: Test truce\n", ""), "name", "missing required top-level key"),
    ("list_for_name", GOOD.replace("name: Test truce", "name: [a, b]"), "name", "not a list"),
    ("wrong_format", GOOD.replace("format: 1", "format: 2"), "format", "unsupported format"),
    ("window_id_not_file_name", GOOD.replace("window_id: test_truce", "window_id: other_truce"),
     "window_id", "name the file other_truce.yaml"),
    ("empty_definitions", GOOD.split("definitions:")[0] + "definitions: []\n", "definitions", "non-empty"),
    ("alias", GOOD.replace("declared_by: Someone, 19 Apr 2025", "declared_by: &who Someone")
     + GOOD.split("definitions:\n")[1].replace("ru_stated", "ua_stated").replace(
         "declared_by: Someone, 19 Apr 2025", "declared_by: *who"), "declared_by", "anchors (&name) and aliases"),
    ("not_yaml", GOOD.replace("scope: all_hostilities", "scope: [all_hostilities"), "declared_by",
     "not readable YAML"),  # the parser notices on the next line
    ("top_level_list", "- a\n- b\n", "-", "must be a mapping"),
]


@pytest.mark.parametrize(("text", "field", "words"), [case[1:] for case in BAD_FILES],
                         ids=[case[0] for case in BAD_FILES])
def test_bad_file_names_file_window_and_field(tmp_path, text, field, words):
    _write(tmp_path, text)
    message = _error(tmp_path)
    window = "other_truce" if "other_truce" in text else "test_truce"
    assert re.search(rf"test_truce\.yaml:\d+: window '{window}' definition '-': field '{re.escape(field)}'",
                     message), message
    assert words in message


def test_duplicate_definition(tmp_path):
    _write(tmp_path, GOOD + GOOD.split("definitions:\n")[1])
    message = _error(tmp_path)
    assert "test_truce.yaml:16: window 'test_truce' definition 'ru_stated': field 'definition'" in message
    assert "duplicated (first at line 5)" in message


def test_non_utf8_bytes_name_the_line_and_key(tmp_path):
    _write(tmp_path, GOOD.replace("Someone", "Some\x00one").encode("utf-8").replace(b"\x00", b"\xff"))
    message = _error(tmp_path)
    assert "test_truce.yaml:10: window 'test_truce' definition '-': field 'declared_by'" in message
    assert "not UTF-8" in message and "re-save it as UTF-8" in message


def test_alias_bomb_is_refused_before_it_is_expanded(tmp_path):
    # 9**12 strings if expanded: a reader that expanded aliases would not return (no clock needed)
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    _write(tmp_path, GOOD + "\n".join(lines) + "\n")
    message = _error(tmp_path)
    assert "anchors (&name) and aliases" in message and "field 'a0'" in message


def test_problems_are_all_listed(tmp_path):
    _write(tmp_path, GOOD.replace("status: in_force", "status: ongoing").replace("scope: all_hostilities",
                                                                                 "scope: everything"))
    _write(tmp_path, GOOD.replace("test_truce", "second_truce").replace("notes:", "note:"), "second_truce.yaml")
    message = _error(tmp_path)
    assert message.startswith("3 problem(s)")
    assert "second_truce.yaml" in message and "field 'note'" in message


def test_missing_or_empty_folder(tmp_path):
    assert "calendar folder not found" in _error(tmp_path / "nowhere")
    (tmp_path / "README.md").write_text("only a readme")
    assert "no calendar files" in _error(tmp_path)


def test_same_window_in_two_files_fails_the_schema(tmp_path):
    _write(tmp_path, GOOD)
    _write(tmp_path, GOOD, "test_truce.yml")
    message = _error(tmp_path)
    assert "fails its schema" in message
    assert "test_truce.yml: window 'test_truce' definition 'ru_stated'" in message


def test_deep_nesting_is_refused_without_a_recursion_error(tmp_path):
    (tmp_path / "deep.yaml").write_text("format: 1\nwindow_id: deep\nname: x\ndefinitions: "
                                        + "[" * 10000 + "]" * 10000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"deep\.yaml:4: window 'deep'.*nested deeper than 8 levels"):
        calendar.read_calendar(tmp_path)
