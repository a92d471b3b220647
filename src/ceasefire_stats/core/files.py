"""Atomic, deterministic writes: an interrupted write leaves the previous file intact.

Everything the package writes goes through :func:`atomic_write`, which writes to a
temporary file in the destination folder and renames it over the target (``os.replace``
is atomic on POSIX within one file system).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import mmap
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ceasefire_stats.core.errors import InputError, OutputError

if TYPE_CHECKING:  # pandas and pyarrow are imported when a table is written or read
    import pandas as pd


def read_input_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of an input file the user handed us; an unreadable or empty file raises
    :class:`~ceasefire_stats.core.errors.InputError` naming it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if not raw or raw.isspace():  # as ``not raw.strip()``, without a copy of the file
        raise _empty(path)
    return raw


def _unreadable(path: Path, exc: OSError) -> InputError:
    return InputError(f"{path}: cannot read the file ({exc.strerror})")


def _empty(path: Path) -> InputError:
    return InputError(f"{path.name}: the file is empty")


@contextlib.contextmanager
def map_input(path: str | os.PathLike[str]) -> Iterator[mmap.mmap]:
    """:func:`read_input_bytes` for a file larger than memory: its bytes mapped read-only (the
    pages are the file's own, read from disk as they are touched and dropped by the system under
    memory pressure), with the same errors for an unreadable or empty file."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                raise _empty(path)
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    try:
        block = 1 << 20
        if all(mapped[lo: lo + block].isspace() for lo in range(0, len(mapped), block)):
            raise _empty(path)
        yield mapped
    finally:
        with contextlib.suppress(BufferError):  # a view still held elsewhere: the mapping goes with it
            mapped.close()


def sha256_file(path: str | os.PathLike[str], chunk_size: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(chunk_size), b""):
            digest.update(block)
    return digest.hexdigest()


TEMP_SUFFIX = ".tmp"
"""Suffix of the temporary files of :func:`atomic_write` (``.<name>.<random>.tmp``)."""


def _output_error(folder: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or type(exc).__name__
    return OutputError(
        f"cannot write to the folder {folder}: {reason}. Make sure it is a writable folder with free "
        "space, or choose another one (CEASEFIRE_STATS_DATA_DIR, CEASEFIRE_STATS_PROCESSED, "
        "CEASEFIRE_STATS_FIGURES); outputs already there are unchanged"
    )


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``.

    On any exception the temporary file is removed and ``path`` is untouched. A file-system
    error (read-only folder, full disk, a file where the folder belongs) raises
    :class:`~ceasefire_stats.core.errors.OutputError` naming the folder.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise _output_error(target.parent, exc) from None
    tmp = Path(tmp_name)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the usual file mode
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        raise _output_error(target.parent, exc) from None
    finally:
        if tmp.exists():
            tmp.unlink()


def write_parquet(frame: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Write ``frame`` to Parquet atomically and byte-for-byte reproducibly.

    The pandas metadata is kept (so dtypes such as timezone-aware timestamps, nullable
    integers and categoricals round-trip); no timestamps or writer paths are embedded.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    with atomic_write(path) as tmp:
        pq.write_table(
            table,
            tmp,
            compression="zstd",
            use_dictionary=True,
            write_statistics=True,
            store_schema=True,
        )


def frame_to_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as an Arrow IPC stream (with the pandas metadata, so dtypes round-trip): how a
    table travels between processes without pickle."""
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def frame_from_bytes(data: bytes) -> pd.DataFrame:
    """The frame written by :func:`frame_to_bytes` (data only: nothing is executed)."""
    import pyarrow as pa

    return pa.ipc.open_stream(data).read_all().to_pandas()


def read_parquet(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a table written by :func:`write_parquet`."""
    import pandas as pd

    return pd.read_parquet(path)


def write_json(obj: object, path: str | os.PathLike[str]) -> None:
    """Write JSON atomically with sorted keys and a trailing newline (stable diffs)."""
    text = json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    with atomic_write(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
