"""Atomic, deterministic writes: an interrupted write leaves the previous file intact.

Everything the package writes goes through :func:`atomic_write`, which writes to a
temporary file in the destination folder and renames it over the target (``os.replace``
is atomic on POSIX within one file system).

A set of files that must change together (the tables of a build and the manifest that vouches
for them) is written as one **generation** (:func:`new_generation`): a new folder
``generations/<id>/``, published by one atomic rename of the symbolic link ``current``; each
published name in the folder (``strikes.parquet``) is a link to ``current/<name>``. Any reader,
of one file or of several, through a path or a copy of the folder, sees the whole of one
generation: the previous one until the rename, the new one after it.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import mmap
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ceasefire_stats.core.errors import InputError, OutputError
from ceasefire_stats.core.parts import PartedTable

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


def release(raw: bytes | mmap.mmap, start: int, end: int) -> None:
    """Done with bytes ``start:end`` of ``raw``: if it is a mapped file (:func:`map_input`),
    hand their whole pages back, so that a pass over a large file keeps only the page it is on
    resident, not every page it went through (they are the file's own: touched again, they are
    read again). Anything else is left as it is."""
    if not isinstance(raw, mmap.mmap) or not hasattr(mmap, "MADV_DONTNEED"):
        return
    first = -(-start // mmap.PAGESIZE) * mmap.PAGESIZE  # pages wholly inside the range
    last = len(raw) if end >= len(raw) else end // mmap.PAGESIZE * mmap.PAGESIZE
    if last > first:
        raw.madvise(mmap.MADV_DONTNEED, first, last - first)


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


def _nearest_folder(start: Path, path: Path, option: str) -> Path:
    """The nearest existing ancestor of ``start`` (``start`` itself if it exists), which must be a
    folder, and writable: a file is made in it and removed. Errors name ``path``."""
    found = start
    while not found.exists() and found != found.parent:
        found = found.parent
    if not found.is_dir():
        raise OutputError(f"{option} {path}: {found} is a file, not a folder; choose another path")
    try:
        fd, probe = tempfile.mkstemp(prefix=".write-check.", suffix=TEMP_SUFFIX, dir=found)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"{option} {path}: cannot write to the folder {found} "
                          f"({exc.strerror or type(exc).__name__}); choose a writable folder") from None
    return found


def check_output_file(path: str | os.PathLike[str], option: str = "--out") -> Path:
    """The absolute ``path`` of a file the user asked us to write (``option`` names where it came
    from), checked before any work is done: not a folder, and in a folder that is writable or can
    be made (missing folders are made when the file is written). Raises
    :class:`~ceasefire_stats.core.errors.OutputError`; nothing is written."""
    path = Path(os.path.abspath(Path(path).expanduser()))
    if path.is_dir():
        raise OutputError(f"{option} {path}: a folder, not a file; give a file name, e.g. {path / 'out.csv'}")
    _nearest_folder(path.parent, path, option)
    return path


def check_output_folder(path: str | os.PathLike[str], option: str = "--out") -> Path:
    """The absolute ``path`` of a folder the user asked us to write into, checked before any work
    is done: a folder, or missing under a writable folder (it is made then). Raises
    :class:`~ceasefire_stats.core.errors.OutputError`; nothing is written."""
    path = Path(os.path.abspath(Path(path).expanduser()))
    if path.exists() and not path.is_dir():
        raise OutputError(f"{option} {path}: a file, not a folder; give a folder (it is made if missing)")
    _nearest_folder(path, path, option)
    return path


GENERATIONS = "generations"
"""The subfolder of a published folder holding its generations (one folder each)."""
CURRENT = "current"
"""The link naming the published generation (``generations/<id>``)."""
PREVIOUS = "previous"
"""The link naming the generation it replaced, kept until the next switch for a reader that
resolved the old one (``pipeline.load`` does, once per call)."""
PUBLISHED_SUFFIXES = (".parquet", ".json")
"""The files of a published folder that belong to its generations (a README beside them stays)."""


def current_generation(folder: str | os.PathLike[str]) -> Path:
    """The folder holding the published files of ``folder``: its current generation, or
    ``folder`` itself when nothing was ever published there as a generation (files written
    before generations, or none)."""
    folder = Path(folder)
    link = folder / CURRENT
    return link.resolve() if link.is_symlink() else folder


def _published(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in PUBLISHED_SUFFIXES and not p.name.startswith(".")
                  and p.is_file())


def _symlink(target: str, path: Path) -> None:
    """Point ``path`` at ``target`` (relative) in one atomic rename, whatever was there."""
    if path.is_symlink() and os.readlink(path) == target:
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, path)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)  # same bytes, no copy (one file system)
    except OSError:
        shutil.copy2(source, target)


def _adopt(folder: Path, generations: Path) -> None:
    """A folder whose files were written before generations becomes one, without a reader
    seeing any change: its files are linked into a first generation, ``current`` points at
    it, and each file is replaced by a link to the same bytes."""
    old = _published(folder)
    if not old:
        return
    adopted = Path(tempfile.mkdtemp(prefix=_generation_prefix(), dir=generations))
    for path in old:
        _link_or_copy(path, adopted / path.name)
    _symlink(f"{GENERATIONS}/{adopted.name}", folder / CURRENT)
    for path in old:
        _symlink(f"{CURRENT}/{path.name}", path)


def _generation_prefix() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ-", time.gmtime())


@contextlib.contextmanager
def new_generation(folder: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a new, empty generation folder of ``folder``; when the block ends without an
    exception, publish it: the files of the current generation the block did not write are
    carried over (hard links), every file gets its link in ``folder``, and one rename of
    ``folder/current`` switches every reader to the new generation. The generation before it
    stays (``previous``) until the next switch; older ones, and those of killed writers, are
    removed. On an exception the new generation is removed and ``folder`` is as it was; a
    file-system error raises :class:`~ceasefire_stats.core.errors.OutputError` (its message,
    "outputs already there are unchanged", is then true).

    The caller holds the folder's lock: one writer at a time.
    """
    folder = Path(folder)
    generations = folder / GENERATIONS
    try:
        generations.mkdir(parents=True, exist_ok=True)
        if not (folder / CURRENT).is_symlink():
            _adopt(folder, generations)
        old = current_generation(folder)
        if not old.is_dir():  # ``current`` names a generation removed by hand: nothing to carry over
            old = folder
        new = Path(tempfile.mkdtemp(prefix=_generation_prefix(), dir=generations))
    except OSError as exc:
        raise _output_error(folder, exc) from None
    try:
        yield new
        for path in _published(old):
            if not (new / path.name).exists():
                _link_or_copy(path, new / path.name)
        names = {path.name for path in _published(new)}
        for name in sorted(names):
            _symlink(f"{CURRENT}/{name}", folder / name)  # dangles until the switch for a new name
        _symlink(f"{GENERATIONS}/{new.name}", folder / CURRENT)  # the switch
    except BaseException as exc:
        shutil.rmtree(new, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _output_error(folder, exc) from None
        raise
    with contextlib.suppress(OSError):  # tidying: the switch is done, a failure here loses nothing
        if old != folder:
            _symlink(f"{GENERATIONS}/{old.name}", folder / PREVIOUS)
        for link in folder.iterdir():  # names the new generation no longer has
            if link.is_symlink() and link.suffix in PUBLISHED_SUFFIXES and link.name not in names:
                link.unlink()
        keep = {new.name, old.name}
        for generation in generations.iterdir():
            if generation.name not in keep:
                shutil.rmtree(generation, ignore_errors=True)


ROW_GROUP_ROWS = 1 << 17
"""Rows per Parquet row group of every table written (131,072), written down so that a table
written whole and one written part by part cut their row groups at the same rows; and no more,
because a table written part by part holds one row group in memory (Arrow's default, 1,048,576
rows, is about 300 MB of MoD posts). Every table of the real files fits in one."""
_PARQUET_OPTIONS = {"compression": "zstd", "use_dictionary": True, "write_statistics": True, "store_schema": True}


def write_parquet(frame: pd.DataFrame, path: str | os.PathLike[str], row_group_rows: int = ROW_GROUP_ROWS) -> None:
    """Write ``frame`` to Parquet atomically and byte-for-byte reproducibly.

    The pandas metadata is kept (so dtypes such as timezone-aware timestamps, nullable
    integers and categoricals round-trip); no timestamps or writer paths are embedded. The
    bytes depend on the rows only, not on how the frame's columns happen to be chunked in
    memory (:func:`write_parquet_parts`).
    """
    write_parquet_parts([frame], path, row_group_rows)


def write_table(table: pd.DataFrame | PartedTable, path: str | os.PathLike[str]) -> None:
    """:func:`write_parquet` of a frame, :func:`write_parquet_parts` of a table held as parts:
    the same bytes for the same rows."""
    if isinstance(table, PartedTable):
        write_parquet_parts(table.frames(), path)
    else:
        write_parquet(table, path)


def write_parquet_parts(frames: Iterable[pd.DataFrame], path: str | os.PathLike[str],
                        row_group_rows: int = ROW_GROUP_ROWS) -> None:
    """Write the rows of ``frames``, in order, as one Parquet file: the same bytes as
    :func:`write_parquet` of their concatenation, holding at most one row group in memory (a
    table larger than memory is written from its parts, :class:`~ceasefire_stats.core.parts.PartedTable`).

    Every frame must have the columns and dtypes of the first (the first may have no rows: it
    gives an empty table its schema). Row groups are cut every ``row_group_rows`` rows and each
    is written as one contiguous chunk per column, so the bytes do not depend on where the
    parts begin and end.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if row_group_rows < 1:
        raise ValueError(f"row group rows must be positive, not {row_group_rows}")
    frames = iter(frames)
    first = next(frames, None)
    if first is None:
        raise ValueError(f"{Path(path).name}: no frame to write (give at least an empty one with the columns)")
    schema = pa.Table.from_pandas(first, preserve_index=False).schema
    with atomic_write(path) as tmp, pq.ParquetWriter(tmp, schema, **_PARQUET_OPTIONS) as writer:
        pending: list[pa.Table] = []
        held = groups = 0
        for number, frame in enumerate(itertools.chain([first], frames)):
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if not table.schema.equals(schema, check_metadata=True):
                raise ValueError(f"{Path(path).name}: part {number} has other columns or dtypes than the first:\n"
                                 f"{table.schema}\nnot\n{schema}")
            pending.append(table)
            held += len(table)
            while held >= row_group_rows:
                rows = pa.concat_tables(pending)
                writer.write_table(rows.slice(0, row_group_rows).combine_chunks(), row_group_size=row_group_rows)
                pending, held, groups = [rows.slice(row_group_rows)], held - row_group_rows, groups + 1
        if held or not groups:  # an empty table is one empty row group, as Arrow writes it whole
            writer.write_table(pa.concat_tables(pending).combine_chunks(), row_group_size=row_group_rows)


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
