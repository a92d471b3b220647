"""The cleaner contract: how any engine runs a source's cleaner.

A source's cleaner is a package ``clean/<source>/`` whose ``__init__`` offers, beside the names
users import:

- ``read(path)``: the raw file as published -> one frame (every cell as text, ``raw_row``);
  ``read_chunks(path, rows)``: the same frame in frames of at most ``rows`` rows (a file larger
  than memory); the two concatenated are equal.
- ``prepare(inputs)``: what every partition is handed (a :class:`Context`: arguments such as a
  reference table, and the step's other ledgers), made once per build from the
  :class:`~ceasefire_stats.core.step.StepInputs`.
- ``parse(raw, context)``: one partition of raw rows (any consecutive rows of the file)
  -> its pieces by name (frames): the rows of each table, the keys of every raw row that the
  whole-file passes need, and the partition's rejects, flags and other outcomes. No piece
  depends on a row of another partition.
- ``combine(pieces, context)``: the pieces of every partition (``pieces[name]``: one
  entry a partition, in file order; a table's entries may be spilled to disk, read with
  :func:`frames`) -> a :class:`Combined`: each table as frames in order, and the ledger. The
  whole-file passes (duplicates across partitions, keys that collide, the ledger) run here,
  and the order in which the ledger lists rejects and flags is the cleaner's own
  (``REJECT_ORDER``, ``FLAG_ORDER`` in the package).
- ``result(tables, ledger, context)``: the step's :class:`~ceasefire_stats.core.step.StepResult`
  (schemas, id columns, the table each ledger reconciles with: declared once).

The pandas engine is :func:`run`: ``combine([parse(read(raw))])`` on the whole file, one
partition. The dask engine (:mod:`ceasefire_stats.engines.dask_engine`) runs ``parse`` on each
Parquet partition on a cluster and ``combine`` on the gathered pieces; it knows no source. A
new source is a new folder.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from ceasefire_stats.core.ledger import Ledger
    from ceasefire_stats.core.step import StepInputs, StepResult

CONTRACT = ("read", "read_chunks", "prepare", "parse", "combine", "result")
"""The names a cleaner package offers (see the module docstring)."""


class Context(NamedTuple):
    """What ``prepare`` makes once per build, handed to every ``parse`` and ``combine`` call: the
    raw file's path, the cleaner's arguments (e.g. a reference table), and the step's ledgers
    other than the cleaner's own."""

    path: Path
    args: tuple[object, ...] = ()
    ledgers: tuple[Ledger, ...] = ()


class Combined(NamedTuple):
    """What ``combine`` returns: each table as frames in row order (concatenated, the table),
    and the ledger of every raw row."""

    tables: dict[str, Iterable[pd.DataFrame]]
    ledger: Ledger


def load(name: str) -> ModuleType:
    """The module named ``name`` (a step's module, as the pipeline's step table names it),
    imported if it is not yet (:func:`~ceasefire_stats.core.lazy.attribute`)."""
    from ceasefire_stats.core import lazy

    parent, _, child = name.rpartition(".")
    return lazy.attribute(parent, child)


def is_cleaner(module: ModuleType) -> bool:
    """Whether a step's module offers the cleaner contract (every name of :data:`CONTRACT`)."""
    return all(callable(getattr(module, name, None)) for name in CONTRACT)


def run(cleaner: ModuleType, inputs: StepInputs) -> StepResult:
    """The pandas engine: ``combine([parse(read(raw))])`` on the whole raw file, as one
    partition, then the step's result."""
    context = cleaner.prepare(inputs)
    # (a plain call: the raw frame is the callee's alone, which frees it once read; ``*args`` would
    # hold it in an argument tuple for the whole call)
    pieces = {name: [piece] for name, piece in cleaner.parse(cleaner.read(context.path), context).items()}
    tables, ledger = cleaner.combine(pieces, context)
    return cleaner.result({name: whole(parts) for name, parts in tables.items()}, ledger, context)


# --- helpers for combine -----------------------------------------------------------------------


def frames(pieces: Iterable[pd.DataFrame | Path]) -> Iterator[pd.DataFrame]:
    """The frames of a piece list, in order: a frame as it is, a spilled piece (a path to Arrow
    IPC bytes, written by an engine that keeps large pieces on disk) read when reached."""
    from ceasefire_stats.core.files import frame_from_bytes

    for piece in pieces:
        yield frame_from_bytes(piece.read_bytes()) if isinstance(piece, Path) else piece


def whole(parts: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """A table's frames as one frame with a fresh index (the only one as it is, when its index is
    already fresh: no copy)."""
    import pandas as pd

    parts = list(parts)
    if len(parts) > 1:
        return pd.concat(parts, ignore_index=True)
    frame = parts[0]
    default = isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0 and frame.index.step == 1
    return frame if default else frame.reset_index(drop=True)


def concat(parts: Iterable[pd.DataFrame | None]) -> pd.DataFrame | None:
    """Reject or flag frames (None or empty where none was found) -> one frame, or None."""
    import pandas as pd

    found = [f for f in parts if f is not None and len(f)]
    return pd.concat(found, ignore_index=True) if found else None


def without(frame: pd.DataFrame, rows: pd.Index | pd.Series, column: str = "raw_row") -> pd.DataFrame:
    """``frame`` less its rows whose ``column`` is in ``rows`` (``frame`` itself when none is)."""
    gone = frame[column].isin(rows).to_numpy()
    return frame[~gone] if gone.any() else frame


def only(frame: pd.DataFrame, rows: pd.Index | pd.Series, column: str = "raw_row") -> pd.DataFrame:
    """``frame``'s rows whose ``column`` is in ``rows`` (``frame`` itself when all are)."""
    keep = frame[column].isin(rows).to_numpy()
    return frame if keep.all() else frame[keep]


def ordered(parts: Iterable[pd.DataFrame], sort_by: list[str] | None = None, columns: list[str] | None = None,
            in_file_order: bool = True) -> Iterator[pd.DataFrame]:
    """A table's frames (partitions in file order) in the order ``sort_values(sort_by)`` of
    their concatenation gives, as ``columns`` (default all) with a fresh index. When the raw rows
    are in file order (``in_file_order``: each partition's rows follow the previous one's), that
    is each frame sorted on its own; otherwise the whole table is sorted in memory. A frame
    already in order is not copied."""
    import pandas as pd

    if sort_by and not in_file_order:
        parts = [pd.concat(list(parts), ignore_index=True)]
    for frame in parts:
        if sort_by and not _is_sorted(frame, sort_by):
            frame = frame.sort_values(sort_by)
        frame = frame if columns is None or list(frame.columns) == columns else frame[columns]
        yield frame if isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0 \
            and frame.index.step == 1 else frame.reset_index(drop=True)


def _is_sorted(frame: pd.DataFrame, by: list[str]) -> bool:
    import numpy as np

    if len(by) == 1:
        return bool(frame[by[0]].is_monotonic_increasing)
    order = np.lexsort([frame[c].to_numpy() for c in reversed(by)])
    return bool((order == np.arange(len(frame))).all())


def by_rank(frame: pd.DataFrame, column: str, order: Sequence[str]) -> pd.DataFrame:
    """``frame`` stably sorted by the rank of ``column`` in ``order`` (file order kept within;
    ``frame`` itself when already in that order)."""
    import numpy as np

    rank = frame[column].map({v: i for i, v in enumerate(order)}).fillna(len(order)).to_numpy()
    if (np.diff(rank) >= 0).all():
        return frame
    return frame.iloc[rank.argsort(kind="stable")]


def in_order(frame: pd.DataFrame, site: np.ndarray, group: pd.Series) -> pd.DataFrame:
    """``frame`` (partitions' rows in file order) sorted by ``site`` (rank in the cleaner's
    order), then by the first raw row of each ``group`` within a site, then by raw row, stably
    (a raw row's several findings of one site keep their order)."""
    import numpy as np
    import pandas as pd

    raw_row = frame["raw_row"].to_numpy(dtype="int64")
    first = pd.Series(raw_row).groupby([site, group.to_numpy()]).transform("min").to_numpy()
    order = np.lexsort((raw_row, first, site))
    if (order == np.arange(len(frame))).all():
        return frame.reset_index(drop=True)
    return frame.iloc[order].reset_index(drop=True)


