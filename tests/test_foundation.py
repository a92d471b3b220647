"""Shared building blocks: the ledger, atomic writes, the night rule, fields and the build."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from ceasefire_stats import nights, pipeline
from ceasefire_stats.core import fields
from ceasefire_stats.core import files as io
from ceasefire_stats.core.errors import ValidationError
from ceasefire_stats.core.ledger import Ledger, LedgerError

# --- ledger -----------------------------------------------------------------------------------


def test_ledger_puts_every_row_in_exactly_one_place():
    rejected = pd.DataFrame(
        {"raw_row": [3, 3, 6], "reason": ["negative_count", "bad_time", "bad_time"],
         "column": ["launched", "time_end", "time_start"], "value": ["-1", "x", "y"]}
    )
    duplicates = pd.DataFrame({"raw_row": [5, 6], "duplicate_of": [4, 4]})
    flags = pd.DataFrame({"raw_row": [2, 3], "flag": ["destroyed_exceeds_launched"] * 2, "detail": ["", ""]})
    other = pd.DataFrame({"raw_row": [7], "outcome": ["not_claim"], "reason": ["digest"]})
    led = Ledger.from_parts("demo", pd.RangeIndex(2, 8), rejected, duplicates, flags, other)
    led.check(n_in=6)
    assert led.summary() == {
        "source": "demo", "in": 6, "kept": 2, "flagged": 1, "rejected": 2, "duplicate": 1, "not_claim": 1,
    }
    by_row = led.rows.set_index("raw_row")
    assert by_row.loc[3, "reason"] == "negative_count"  # first reason wins; all stay in rejects
    assert by_row.loc[6, "outcome"] == "rejected"  # rejected beats duplicate
    assert len(led.rejects) == 3
    assert led.flags["raw_row"].tolist() == [2]  # a rejected row is not also "flagged"


def test_ledger_check_catches_lost_or_double_counted_rows():
    led = Ledger.from_parts("demo", pd.Index([2, 3, 3]))
    with pytest.raises(LedgerError, match="listed twice"):
        led.check()
    with pytest.raises(LedgerError, match="3 rows accounted for, 4 read"):
        Ledger.from_parts("demo", pd.RangeIndex(2, 5)).check(n_in=4)


# --- atomic, reproducible writes ------------------------------------------------------------------


def test_atomic_write_keeps_the_previous_file_when_interrupted(tmp_path):
    target = tmp_path / "t.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), io.atomic_write(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]


def test_parquet_is_byte_identical_and_round_trips_types(tmp_path):
    frame = pd.DataFrame(
        {
            "n": pd.array([1, None, 3], dtype="Int64"),
            "t": pd.to_datetime(["2025-03-18 19:00", "2025-03-19 08:00", None]).tz_localize(nights.KYIV),
            "s": pd.array(["a", None, "c"], dtype="str"),
        }
    )
    io.write_parquet(frame, tmp_path / "a.parquet")
    io.write_parquet(frame, tmp_path / "b.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    back = io.read_parquet(tmp_path / "a.parquet")
    pd.testing.assert_frame_equal(back, frame)


# --- the night rule -----------------------------------------------------------------------------


def _kyiv(*stamps: str) -> pd.Series:
    return pd.Series(pd.to_datetime(list(stamps))).dt.tz_localize(nights.KYIV)


def test_overnight_window_across_the_spring_dst_change_belongs_to_the_morning():
    # Kyiv moves clocks forward at 03:00 on 30 March 2025; the window still ends on the 30th
    start, end = _kyiv("2025-03-29 19:00"), _kyiv("2025-03-30 08:00")
    assert nights.attribution_date(start, end).iloc[0] == pd.Timestamp("2025-03-30")


def test_window_ending_exactly_at_midnight_belongs_to_the_day_before():
    start, end = _kyiv("2025-05-08 00:00"), _kyiv("2025-05-09 00:00")
    assert nights.attribution_date(start, end).iloc[0] == pd.Timestamp("2025-05-08")


def test_night_rule_refuses_naive_timestamps():
    naive = pd.Series(pd.to_datetime(["2025-03-19 08:00"]))
    with pytest.raises(TypeError, match="timezone-aware"):
        nights.attribution_date(naive, naive)


def test_night_rule_keeps_missing_ends_missing():
    start = _kyiv("2025-03-18 19:00", "2025-03-18 19:00")
    end = pd.Series([pd.Timestamp("2025-03-19 08:00", tz=nights.KYIV), pd.NaT]).astype(start.dtype)
    assert nights.attribution_date(start, end).isna().tolist() == [False, True]


# --- fields and validation ----------------------------------------------------------------------


def test_a_field_cannot_be_defined_twice_with_different_meanings():
    fields.define(fields.Field("demo_count", "Int64", "a demo count"))
    fields.define(fields.Field("demo_count", "Int64", "a demo count"))  # same definition: fine
    with pytest.raises(ValueError, match="already defined differently"):
        fields.define(fields.Field("demo_count", "Int64", "something else"))


def test_validation_error_names_table_column_values_and_row_ids():
    fields.define(
        fields.Field("demo_id", "str", "demo id", nullable=False),
        fields.Field("demo_n", "Int64", "demo n", checks=(pa.Check.ge(0),)),
    )
    schema = fields.schema("demo_table", ["demo_id", "demo_n"], unique=["demo_id"])
    frame = pd.DataFrame({"demo_id": pd.array(["a", "b"], dtype="str"), "demo_n": pd.array([1, -4], dtype="Int64")})
    with pytest.raises(ValidationError) as err:
        fields.validate(frame, schema, id_column="demo_id")
    message = str(err.value)
    assert "demo_table" in message and "demo_n" in message and "-4" in message and "['b']" in message


def test_build_with_unknown_table_is_a_clear_error():
    with pytest.raises(pipeline.UnknownTableError, match="unknown"):
        pipeline.build(["no_such_step"])
