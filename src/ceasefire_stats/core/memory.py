"""Building large columns in little memory: text gathered into buffers of its exact size, ids
written straight into their buffer, and the memory freed returned to the system.

Arrow's allocator and the C heap (numpy's arrays) each keep what is freed for their own reuse,
and Arrow's take grows its buffers by reallocating: a cleaner that makes tables of millions of
rows uses these so that a table costs its size once, not twice (issue 11; the Air Force
figures are in ``docs/strikes.md``, "Memory").
"""

from __future__ import annotations

import ctypes
import functools
import sys
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute

from ceasefire_stats.core.rawcsv import string_offsets

TAKE_ROWS = 1024
"""Rows gathered at a time by :func:`take_text`: pieces of at most a few hundred KB, which
Arrow's allocator reuses piece after piece (pieces of 65,536 rows, 5 MB, left 22 MB resident
after the 64x benchmark's ``source_ref`` was gathered; 1,024 rows left 0.3 MB)."""


def take_text(values: pd.Index | pd.Series, indices: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``values.take(indices)`` for ``str`` values, written into buffers of the exact size.

    Arrow's take does not know the size of the text it gathers: it grows its buffer by
    reallocating as it goes, and the buffers it outgrew stay resident in Arrow's allocator, so
    a column briefly cost twice its size (the 64x benchmark's ``source_ref``, 21 MB, cost 44).
    Here the size is summed first from the values' offsets, and Arrow's take fills the buffer
    :data:`TAKE_ROWS` rows at a time.

    >>> take_text(pd.Index(["ab", None, "c"], dtype="str"), np.array([2, 1, 0, 0])).tolist()
    ['c', nan, 'ab', 'ab']
    """
    source = pyarrow.array(values, type=pyarrow.large_string())
    bounds = string_offsets(source)
    offsets = np.zeros(len(indices) + 1, dtype=np.int64)
    np.cumsum(np.diff(bounds)[indices], out=offsets[1:])
    data = np.empty(int(offsets[-1]), dtype=np.uint8)
    for lo in range(0, len(indices), TAKE_ROWS):
        piece = pyarrow.compute.take(source, indices[lo: lo + TAKE_ROWS])
        piece_bounds = string_offsets(piece)
        data[offsets[lo]: offsets[lo] + piece_bounds[-1] - piece_bounds[0]] = np.frombuffer(
            piece.buffers()[2], dtype=np.uint8)[piece_bounds[0]: piece_bounds[-1]]
    missing = source.is_null().to_numpy(zero_copy_only=False)[indices]
    validity = pyarrow.py_buffer(np.packbits(~missing, bitorder="little")) if missing.any() else None
    taken = pyarrow.LargeStringArray.from_buffers(len(indices), pyarrow.py_buffer(offsets), pyarrow.py_buffer(data),
                                                  validity, int(missing.sum()))
    return pd.array(taken, dtype="str")


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """The C library's ``malloc_trim`` (glibc), or None where there is none (looked up once,
    when first needed: not at import)."""
    if not sys.platform.startswith("linux"):
        return None
    return getattr(ctypes.CDLL(None), "malloc_trim", None)


def return_freed_memory() -> None:
    """Return the memory freed so far to the system: the pages Arrow's allocator keeps for
    reuse, and (glibc) the free pages of the C heap, where numpy's arrays live.

    Both allocators keep what is freed for their own reuse, and neither reuses the other's:
    the text of the tables is Arrow's (:func:`take_text`), most of what the passes free is
    numpy's, so without this the memory the passes freed stayed resident under the tables
    (at 241,280 rows, returning it before ``strike_regions`` and before ``strikes`` lowered the
    cleaner's peak by about 20 MB). Takes a few milliseconds."""
    pyarrow.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def with_digits(prefix: str, numbers: np.ndarray) -> pyarrow.LargeStringArray:
    """ASCII ``prefix`` + the 20 decimal digits of each unsigned 64-bit number (zero-padded), as
    one Arrow string array written straight into its buffer, a digit column at a time (Arrow's
    cast, pad and join made three arrays of every id on the way: 25 MB at 241,280 rows).

    >>> with_digits("id_", np.array([0, 2**64 - 1], dtype=np.uint64)).to_pylist()
    ['id_00000000000000000000', 'id_18446744073709551615']
    """
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    width = len(head) + 20
    text = np.empty((len(numbers), width), dtype=np.uint8)
    text[:, : len(head)] = head
    rest = numbers.astype(np.uint64)  # (a copy: divided in place below)
    for position in range(width - 1, len(head) - 1, -1):
        text[:, position] = rest % 10 + ord("0")
        rest //= 10
    offsets = np.arange(len(numbers) + 1, dtype=np.int64) * width
    return pyarrow.LargeStringArray.from_buffers(len(numbers), pyarrow.py_buffer(offsets), pyarrow.py_buffer(text))
