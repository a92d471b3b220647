"""Tables held as Parquet parts: written part by part they give the bytes of the whole table,
they validate across parts as the whole does, and the ledger reconciles with them."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire_stats import pipeline
from ceasefire_stats.core import fields
from ceasefire_stats.core.errors import ValidationError
from ceasefire_stats.core.files import write_parquet, write_parquet_parts
from ceasefire_stats.core.ledger import Ledger, LedgerError
from ceasefire_stats.core.parts import PartedTable, PartWriter, as_frame, column


def _table(n: int) -> pd.DataFrame:
    """A frame with the dtypes of the tidy tables: nullable integers, Arrow strings with gaps,
    time-zone-aware timestamps, booleans."""
    return pd.DataFrame({
        "raw_row": pd.array(range(2, n + 2), dtype="Int64"),
        "name": pd.Series([None if i % 5 == 0 else f"row {i % 7}" for i in range(n)], dtype="str"),
        "at": pd.Series(pd.date_range("2025-03-18", periods=n, freq="h", tz="Europe/Kyiv")).astype(
            "datetime64[us, Europe/Kyiv]"),
        "count": pd.array([None if i % 3 == 0 else i for i in range(n)], dtype="Int64"),
        "flag": pd.Series([i % 2 == 0 for i in range(n)], dtype="bool"),
    })


def _parts(frame: pd.DataFrame, cuts: list[int]) -> list[pd.DataFrame]:
    bounds = [0, *sorted(min(c, len(frame)) for c in cuts), len(frame)]
    return [frame.iloc[lo:hi] for lo, hi in zip(bounds, bounds[1:], strict=False)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(0, 60), cuts=st.lists(st.integers(0, 60), max_size=6), group=st.integers(1, 25))
def test_a_table_written_part_by_part_has_the_bytes_of_the_whole(tmp_path, n, cuts, group):
    frame = _table(n)
    write_parquet(frame, tmp_path / "whole.parquet", row_group_rows=group)
    write_parquet_parts(_parts(frame, cuts), tmp_path / "parts.parquet", row_group_rows=group)
    assert (tmp_path / "parts.parquet").read_bytes() == (tmp_path / "whole.parquet").read_bytes()


def test_the_bytes_do_not_depend_on_how_the_columns_are_chunked_in_memory(tmp_path):
    frame = _table(40)
    chunked = pd.concat([frame.iloc[:13], frame.iloc[13:]], ignore_index=True)  # Arrow strings in two chunks
    assert pa.Table.from_pandas(chunked, preserve_index=False).column("name").num_chunks == 2
    write_parquet(frame, tmp_path / "one.parquet")
    write_parquet(chunked, tmp_path / "two.parquet")
    assert (tmp_path / "one.parquet").read_bytes() == (tmp_path / "two.parquet").read_bytes()


def test_a_part_with_other_dtypes_is_refused_and_nothing_is_written(tmp_path):
    frame = _table(6)
    other = frame.iloc[3:].astype({"count": "float64"})
    with pytest.raises(ValueError, match="part 1 has other columns or dtypes"):
        write_parquet_parts([frame.iloc[:3], other], tmp_path / "t.parquet", row_group_rows=2)
    assert list(tmp_path.iterdir()) == []
    writer = PartWriter(tmp_path / "w", "t")
    writer.add(frame.iloc[:3])
    with pytest.raises(ValueError, match="t: a part has other columns or dtypes"):
        writer.add(other)


def test_a_parted_table_reads_back_the_rows_it_was_given(tmp_path):
    frame = _table(25)
    writer = PartWriter(tmp_path, "t")
    for part in _parts(frame, [0, 7, 7, 19]):  # empty parts keep the columns, write no file
        writer.add(part)
    table = writer.close()
    assert len(table) == 25 and len(table.files) == 3
    pd.testing.assert_frame_equal(table.to_pandas(), frame)
    pd.testing.assert_series_equal(column(table, "count"), frame["count"])
    assert as_frame(frame) is frame

    empty = PartWriter(tmp_path / "e", "e")
    empty.add(frame.iloc[:0])
    pd.testing.assert_frame_equal(empty.close().to_pandas(), frame.iloc[:0])
    with pytest.raises(ValueError, match="no part was added"):
        PartWriter(tmp_path / "none", "none").close()


SCHEMA = fields.schema("parts_test", ["raw_row", "region_id"], unique=["raw_row", "region_id"],
                       overrides={"raw_row": {"unique": True}})


def _parted(tmp_path, frames: list[pd.DataFrame]) -> PartedTable:
    writer = PartWriter(tmp_path / "v", "v")
    for f in frames:
        writer.add(f)
    return writer.close()


def _rows(raw_rows: list[int], regions: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"raw_row": pd.array(raw_rows, dtype="Int64"), "region_id": pd.Series(regions, dtype="str")})


def test_validation_across_parts_finds_a_value_repeated_in_two_parts(tmp_path):
    good = _parted(tmp_path / "good", [_rows([2, 3], ["UA-30", "UA-32"]), _rows([4, 5], ["UA-30", "UA-32"])])
    assert fields.validate_parts(good, SCHEMA) is good

    twice = _parted(tmp_path / "twice", [_rows([2, 3], ["UA-30", "UA-32"]), _rows([4, 3], ["UA-30", "UA-46"])])
    with pytest.raises(ValidationError, match=r"across its parts:\n  column raw_row: check field_uniqueness: "
                                              r"values \['3'\]"):
        fields.validate_parts(twice, SCHEMA)


def test_validation_across_parts_finds_a_repeated_pair_and_checks_each_part(tmp_path):
    schema = fields.schema("pairs", ["raw_row", "region_id"], unique=["raw_row", "region_id"])
    pair = _parted(tmp_path / "p", [_rows([2, 3], ["UA-30", "UA-32"]), _rows([3, 4], ["UA-32", "UA-30"])])
    with pytest.raises(ValidationError, match=r"column raw_row\+region_id: check multiple_fields_uniqueness: "
                                              r"values \['3, UA-32'\]"):
        fields.validate_parts(pair, schema)
    bad = _parted(tmp_path / "b", [_rows([2], ["UA-30"]), _rows([1], ["UA-30"])])  # raw_row >= 2
    with pytest.raises(ValidationError, match="column raw_row: check greater_than_or_equal_to"):
        fields.validate_parts(bad, schema)


def test_the_ledger_reconciles_with_a_parted_table(tmp_path):
    ledger = Ledger.from_parts("toy", raw_rows=pd.Series([2, 3, 4, 5], dtype="Int64"),
                               rejected=pd.DataFrame({"raw_row": [4], "column": ["x"], "reason": ["r"], "value": ["v"]}))
    pipeline.reconcile(ledger, _parted(tmp_path / "ok", [_rows([2, 3], ["a", "b"]), _rows([5], ["c"])]))
    lost = _parted(tmp_path / "lost", [_rows([2], ["a"]), _rows([5, 5], ["c", "d"])])
    with pytest.raises(LedgerError, match=r"raw rows twice \[5\], kept but missing \[3\], present but not kept \[\]"):
        pipeline.reconcile(ledger, lost)
