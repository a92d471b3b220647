"""Tables held on disk as ordered Parquet parts: how a step hands the pipeline a table larger
than memory.

The dask engine cleans a raw file partition by partition; the rows it keeps can be more than the
build process can hold. It writes them as parts (:class:`PartWriter`) and returns a
:class:`PartedTable` in place of a frame. The pipeline validates a parted table part by part
(:func:`~ceasefire_stats.core.fields.validate_parts`), reconciles it with its ledger on one column
(:func:`column`) and writes it with :func:`~ceasefire_stats.core.files.write_parquet_parts`: the
same bytes as the frame the pandas engine builds. A later step that needs the table gets it whole
(:func:`as_frame`).

Light: pandas and pyarrow are imported when a part is written or read (the pipeline imports this
module to tell a parted table from a frame).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@dataclasses.dataclass
class PartedTable:
    """A table's rows as Parquet files, in row order; ``template`` holds no rows, only the
    table's columns and dtypes (every part has them)."""

    files: list[Path]
    template: pd.DataFrame
    rows: int

    def __len__(self) -> int:
        return self.rows

    def frames(self, columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
        """Each part as a frame, in order (the template alone when there are no rows); only
        ``columns``, if given."""
        if not self.files:
            yield self.template if columns is None else self.template[columns]
        for path in self.files:
            yield _read(path, columns)

    def column(self, name: str) -> pd.Series:
        """One column of every row, in order (read from each part alone)."""
        import pandas as pd

        pieces = [_read(path, [name])[name] for path in self.files]
        return pd.concat(pieces, ignore_index=True) if pieces else self.template[name]

    def to_pandas(self) -> pd.DataFrame:
        """The whole table as one frame (as the pandas engine builds it)."""
        import pandas as pd

        return pd.concat(list(self.frames()), ignore_index=True) if self.files else self.template


class PartWriter:
    """Write a table part by part into ``folder`` (files ``NAME.000000.parquet``, ...):
    :meth:`add` each frame in row order, then :meth:`close` for the :class:`PartedTable`.
    Every frame must have the columns and dtypes of the first."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder, self.name = Path(folder), name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.files: list[Path] = []
        self.template: pd.DataFrame | None = None
        self.rows = 0

    def add(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.template is None:
            self.template = frame.iloc[:0].reset_index(drop=True)
        elif list(frame.columns) != list(self.template.columns) or not frame.dtypes.equals(self.template.dtypes):
            raise ValueError(f"{self.name}: a part has other columns or dtypes than the first: "
                             f"{dict(frame.dtypes.astype(str))}, not {dict(self.template.dtypes.astype(str))}")
        if not len(frame):
            return
        path = self.folder / f"{self.name}.{len(self.files):06d}.parquet"
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, compression="lz4")
        self.files.append(path)
        self.rows += len(frame)

    def close(self) -> PartedTable:
        if self.template is None:
            raise ValueError(f"{self.name}: no part was added, not even an empty one with the columns")
        return PartedTable(self.files, self.template, self.rows)


def as_frame(table: pd.DataFrame | PartedTable) -> pd.DataFrame:
    """``table`` as one frame: a parted table read whole, a frame as it is."""
    return table.to_pandas() if isinstance(table, PartedTable) else table


def column(table: pd.DataFrame | PartedTable, name: str) -> pd.Series:
    """One column of a frame or of a parted table (read without the other columns)."""
    return table.column(name) if isinstance(table, PartedTable) else table[name]


def _read(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    import pandas as pd

    return pd.read_parquet(path, columns=columns)
