"""The memory helpers must give what pandas' and Arrow's own operations give, to the Arrow
bytes (the tables are written as Parquet)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire_stats.core import memory


@settings(max_examples=50, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.text(max_size=12)), min_size=1, max_size=8),
       picks=st.lists(st.integers(min_value=0, max_value=7), max_size=3000))
def test_take_text_is_pandas_take(values, picks):
    index = pd.Index(values, dtype="str")
    positions = np.array([p % len(values) for p in picks], dtype=np.int64)
    taken = memory.take_text(index, positions)  # pieces of TAKE_ROWS rows: several here
    expected = index.take(positions).array
    assert taken.dtype == expected.dtype
    assert pa.array(taken).equals(pa.array(expected))


def test_take_text_of_the_tables_is_one_exact_piece():
    values = ["kpszsu/posts/pfbid0", "", None, "Шахед"]
    positions = np.arange(3 * memory.TAKE_ROWS + 5) % 4
    taken = pa.array(memory.take_text(pd.Index(values, dtype="str"), positions))
    assert taken.type == pa.large_string() and taken.offset == 0
    assert taken.buffers()[2].size == sum(len((values[p] or "").encode()) for p in positions)  # no slack
    assert taken.to_pylist() == [values[p] for p in positions]


@given(numbers=st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=50))
def test_with_digits_is_arrow_cast_and_pad(numbers):
    hashed = np.array(numbers, dtype=np.uint64)
    digits = pc.utf8_lpad(pc.cast(pa.array(hashed, type=pa.uint64()), pa.string()), 20, "0")
    expected = pc.binary_join_element_wise("afs_", digits, "")
    assert memory.with_digits("afs_", hashed).to_pylist() == expected.to_pylist()
