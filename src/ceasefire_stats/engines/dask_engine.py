"""The dask engine: the pandas cleaners applied partition by partition, out of core.

``ceasefire-stats build --engine dask [--scheduler ADDRESS]`` (``pipeline.build(...,
engine="dask", scheduler=...)``) builds the same tables as the pandas engine, byte for byte,
with the same pure cleaners; only where they run changes. It builds every step that reads a
raw file and whose module is a cleaner (:mod:`ceasefire_stats.core.cleaner`: ``read_chunks``,
per-partition ``parse``, whole-file ``combine``; :func:`steps`), from the pinned file or any
registered version (``--version``), in three stages, and knows no source:

1. **Partitions** (:func:`partition_chunks`): the raw file is read once, a chunk of
   :data:`PARTITION_ROWS` rows at a time, by the cleaner's ``read_chunks`` (the project's one
   raw reader for the source: :func:`core.rawcsv.iter_csv_text
   <ceasefire_stats.core.rawcsv.iter_csv_text>`, the file mapped, not read, and the same checks,
   errors and ``raw_row`` line numbers as the whole-file reader), and each chunk written as a
   Parquet file (one row group) under a scratch folder (``$CEASEFIRE_STATS_SCRATCH``, else the
   system's temporary folder), with ``raw_row`` and each row's position in the file
   (``_position``).
2. **Map**: ``dask.dataframe.read_parquet`` over those files, then one ``map_partitions`` that
   runs the cleaner's ``parse`` on each partition (with the arguments its ``prepare`` made once,
   e.g. the Air Force's weapon reference). A partition yields several pieces (tables, keys,
   rejects, flags), so its output rows are those pieces, as Arrow IPC bytes; only cleaned rows
   and keys travel back. The tables' pieces are written to the scratch folder as each
   partition's result arrives (:func:`_gather`); the rest stays in memory.
3. **Whole file**: the cleaner's ``combine`` on the gathered pieces (duplicates across
   partitions, keys that collide, the ledger, the order of rows, rejects and flags, which the
   cleaner declares); each table it returns is written partition by partition as a
   :class:`~ceasefire_stats.core.parts.PartedTable`: Parquet parts on disk that the pipeline
   validates (:func:`~ceasefire_stats.core.fields.validate_parts`, uniqueness across parts
   included) and writes part by part (:func:`~ceasefire_stats.core.files.write_parquet_parts`),
   with the bytes of the pandas engine's file (``combine([parse(read(raw))])``).

A new source is a new cleaner folder: nothing here changes.

The pipeline then checks, reconciles, validates and writes the tables as it does for the pandas
engine, with the engine's scratch folder open until they are written (:func:`session`); the
other steps read no raw file and run on the pandas engine (a later step that needs a table of
this engine reads it whole).

Scheduler: by default a ``LocalCluster`` (worker processes, one thread each; ``workers`` sets
how many); or any ``dask.distributed`` scheduler by address (``--scheduler tcp://host:8786``: one
started with ``dask scheduler``, its workers with ``dask worker tcp://host:8786``), a running
``LocalCluster`` or a ``Client``. On a cluster the build writes the partitions to
``$CEASEFIRE_STATS_SCRATCH`` and the workers read them by the same path: make it a
folder every worker can read (a network file system). Each worker imports the cleaners from its
own installation, so it needs ceasefire-stats installed, the same version as the build (dask
compares its own versions across the cluster, not this package's). An address that does not
answer within :data:`CONNECT_TIMEOUT` seconds (``--scheduler-timeout``), or that dask cannot read,
is a :class:`SchedulerError` naming it, before anything is built; a scheduler without workers
makes the build wait until one joins. A local cluster of no workers, or partitions of no rows,
is an :class:`OptionError` before a cluster is started (:func:`check_options`).

Scratch folder: each build makes its folders there (:data:`SCRATCH_PREFIXES`) and holds a lock
on ``<folder>.lock`` (``fcntl.flock``; the file names the owner's pid and host) until it has
removed them. A build killed before that leaves them unlocked, and the next build removes them
(:func:`remove_leftovers`) whatever their age, never a folder whose lock is held, i.e. a running
build's, on this machine or (through the file system's locks) another, nor a folder without a
lock file (left by a version of the package before the locks: remove those by hand). A write that fails there
(a full disk, a quota, a read-only folder) is one :class:`~ceasefire_stats.core.errors.OutputError`
naming the scratch folder, with the built tables unchanged. Tested (``tests/engines/test_scheduler.py``): the command
line against a scheduler and two workers started as processes of their own on 127.0.0.1, with
the pandas engine's bytes in every output file; an unreachable and a malformed address. Not
tested: workers on other machines, a scratch folder on a network file system.

Limits: the build process holds a few numbers per raw row (the scan's offsets; the keys, 24
bytes a MoD post; the ledger's raw rows), one chunk while the partitions
are written, one partition's tables while the parts are assembled, and one row group (up to
:data:`~ceasefire_stats.core.files.ROW_GROUP_ROWS` rows) while a table is written; never a
whole table. A worker holds the partitions it is cleaning and their results until the client
fetches them. The scratch folder takes the partitions and about twice the tables. A MoD file
whose raw rows are not in file order (a Telegram export whose message ids jump back) is sorted
in memory. On 10,000,000 generated posts (4.7 GB of CSV; ``benchmarks/bench_dask.py --steps mod
--sizes 10000000``, 2 cores; each run cleans, validates and writes the tables as the pipeline
does): pandas engine 1,003 s, 14.5 GB; dask with one worker 1,205 s, with two 704 s (14,204
posts/s); the build process 1.75 GB with either (a worker 0.6-0.8 GB); every file written
byte-identical to the pandas engine's, and 100% of the generator's totals, breakdowns and
windows.
The Air Force cleaner parses each distinct cell once per partition, not once per file, so small
partitions repeat work on a file whose rows share many cells: on the real file replicated
to 1,000,000 rows (``benchmarks/bench_dask.py``, 2 shared cores) the pandas engine takes 13 s and
2.6 GB, the dask engine 39 s with partitions of 20,000 rows (client 1.5 GB, 350 MB per worker)
and 19-24 s with partitions of 100,000 rows (700 MB per worker).
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import logging
import os
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import ModuleType

import dask
import dask.dataframe as dd
import pandas as pd
import pyarrow as pa_lib
import pyarrow.parquet as pq
from dask.distributed import Client, LocalCluster, as_completed

from ceasefire_stats.core import paths
from ceasefire_stats.core.cleaner import Context, is_cleaner, load
from ceasefire_stats.core.errors import CeasefireStatsError, OutputError
from ceasefire_stats.core.files import frame_from_bytes, frame_to_bytes
from ceasefire_stats.core.ledger import Ledger
from ceasefire_stats.core.parts import PartedTable, PartWriter
from ceasefire_stats.core.step import StepInputs, StepResult

PARTITION_ROWS = 20_000
"""Raw rows per Parquet partition (the pandas engine's peak memory on 20,000 posts is about 150 MB)."""
POSITION = "_position"
"""Each raw row's position in the file (0-based): file order, where ``raw_row`` of a Telegram
export (message ids) need not be ordered."""
log = logging.getLogger("ceasefire_stats")

_META = pd.DataFrame({"part": pd.Series(dtype="int64"), "table": pd.Series(dtype=object),
                      "data": pd.Series(dtype=object)})


# ---------------------------------------------------------------------------------------
# Scheduler

CONNECT_TIMEOUT = 15.0
"""Seconds :func:`connect` waits for a scheduler given by address to answer
(``--scheduler-timeout``) before it gives up with a :class:`SchedulerError`; dask's own
default is 30 s, and a scheduler that is up answers in well under a second."""


class SchedulerError(CeasefireStatsError):
    """The dask scheduler given by address cannot be reached, or the address is malformed
    (exit status 2, like every input error)."""


class OptionError(CeasefireStatsError):
    """An option of the engine that cannot work (no workers, empty partitions)."""


def check_options(workers: int | None = None, partition_rows: int = PARTITION_ROWS) -> None:
    """Raise :class:`OptionError` unless ``workers`` (None: one per core) and ``partition_rows``
    are positive whole numbers: a local cluster of 0 workers would wait for ever for one.

    >>> check_options(workers=0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ceasefire_stats.engines.dask_engine.OptionError: workers must be a positive whole number, not 0 ...
    """
    for name, value in (("workers", workers), ("partition rows", partition_rows)):
        if value is None and name == "workers":
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise OptionError(f"{name} must be a positive whole number, not {value!r} (--{name.replace(' ', '-')})")


@contextlib.contextmanager
def connect(scheduler: object = None, workers: int | None = None, processes: bool = True,
            timeout: float = CONNECT_TIMEOUT) -> Iterator[Client]:
    """A ``dask.distributed`` client for one build: to ``scheduler`` (an address such as
    ``tcp://host:8786``, a running ``LocalCluster`` or a ``Client``, left running), or to a new
    ``LocalCluster`` of ``workers`` workers (one thread each; ``processes=False`` runs them as
    threads of this process), closed at the end.

    A scheduler that does not answer within ``timeout`` seconds, or an address dask cannot
    read, is a :class:`SchedulerError` naming the address, raised before anything is built.

    >>> with connect("tcp://127.0.0.1:no-port"):  # doctest: +ELLIPSIS
    ...     pass
    Traceback (most recent call last):
    ...
    ceasefire_stats.engines.dask_engine.SchedulerError: cannot use the dask scheduler at 'tcp://127.0.0.1:no-port': ...
    """
    if isinstance(scheduler, Client):
        yield scheduler
        return
    if scheduler is not None:
        address = getattr(scheduler, "scheduler_address", scheduler)  # an address, or a cluster object
        try:
            client = Client(scheduler, timeout=timeout)
        except ValueError as exc:
            detail = " ".join(str(exc).split())  # one line
            raise SchedulerError(
                f"cannot use the dask scheduler at {address!r}: not an address dask can read ({detail}); give "
                "tcp://HOST:PORT of a running scheduler (start one with `dask scheduler`), or leave out "
                "--scheduler for a local cluster") from None
        except OSError:  # refused, unknown host, no answer: dask retries until the timeout
            raise SchedulerError(
                f"cannot use the dask scheduler at {address!r}: no scheduler answered within {timeout:g} s; "
                "start a scheduler with `dask scheduler` (and workers with `dask worker ADDRESS`), or leave "
                "out --scheduler for a local cluster") from None
        with client:
            yield client
        return
    check_options(workers)  # a cluster of no workers waits for ever for one
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


# ---------------------------------------------------------------------------------------
# Partitions

SCRATCH_PREFIXES = ("ceasefire-build-", "ceasefire-partitions-", "ceasefire-tables-")
"""Names of the folders the engine makes in the scratch folder (one per build, raw file and
table set), each beside its owner's lock file ``<folder>.lock``."""
_OWNED: set[str] = set()  # this process's folders: never swept (a POSIX lock does not exclude its own process)


def _scratch_root() -> Path:
    return paths.scratch_dir() or Path(tempfile.gettempdir())


def _scratch_error(folder: Path, exc: OSError) -> OutputError:
    # pyarrow's strerror is a paragraph ("Error writing bytes to file. Detail: [errno 28] ..."): the errno's words
    reason = os.strerror(exc.errno) if exc.errno else exc.strerror or " ".join(str(exc).split())[:200]
    return OutputError(f"cannot use the scratch folder {folder}: {reason or type(exc).__name__}; set "
                       "CEASEFIRE_STATS_SCRATCH to a writable folder with free space (every worker must read it); "
                       "the built tables are unchanged")


@contextlib.contextmanager
def _writing() -> Iterator[None]:
    """Turn a failed write in the scratch folder (full disk, quota, read-only) into one
    :class:`OutputError` naming it."""
    try:
        yield
    except OSError as exc:
        raise _scratch_error(_scratch_root(), exc) from None


def _remove_if_unowned(folder: Path, lock: Path) -> bool:
    """Remove ``folder`` and its ``lock`` file if no process holds the lock, holding the lock
    while removing; whether they were removed. A folder without a lock file is left alone: the
    engine makes the lock file first and removes it last, so such a folder is not one of its
    builds' (it may be a running build of a version of the package without locks)."""
    try:
        handle = open(lock)
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held: a running build's
            return False
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            lock.unlink()
    return True


def remove_leftovers(root: Path | None = None) -> list[Path]:
    """Remove from the scratch folder ``root`` (default: this engine's) what killed builds left:
    each folder of :data:`SCRATCH_PREFIXES` whose owner's lock (``<folder>.lock``, held by the
    build for as long as the folder is in use) no process holds, and such lock files without a
    folder. A running build's folders are never removed. Returns the folders removed."""
    root = _scratch_root() if root is None else root
    try:
        names = sorted({entry.name.removesuffix(".lock") for entry in root.iterdir()})
    except OSError:
        return []
    names = [name for name in names if name.startswith(SCRATCH_PREFIXES) and name not in _OWNED]
    return [root / name for name in names if _remove_if_unowned(root / name, root / f"{name}.lock")]


@contextlib.contextmanager
def _scratch(prefix: str) -> Iterator[Path]:
    """A new folder under the scratch folder (``$CEASEFIRE_STATS_SCRATCH``, created if missing;
    else the system's temporary folder), removed with everything in it at the end of its block.

    The folder's owner holds a lock on ``<folder>.lock`` (pid and host written in it) for the
    whole block; a build killed before it could remove its folder leaves it unlocked, and the
    next build removes it (:func:`remove_leftovers`)."""
    root = _scratch_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
        remove_leftovers(root)
        while True:
            fd, lock_name = tempfile.mkstemp(prefix=prefix, suffix=".lock", dir=root)
            handle = os.fdopen(fd, "w")
            fcntl.flock(handle, fcntl.LOCK_EX)
            lock = Path(lock_name)
            # a sweep may have found the new lock file before it was locked and removed it
            if lock.exists() and os.path.samestat(os.fstat(handle.fileno()), lock.stat()):
                break
            handle.close()
        folder = root / lock.name.removesuffix(".lock")
        _OWNED.add(folder.name)
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}\n")
        handle.flush()
        folder.mkdir()
    except OSError as exc:
        raise _scratch_error(root, exc) from None
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            lock.unlink()
        handle.close()
        _OWNED.discard(folder.name)


def partition_chunks(chunks: Iterable[pd.DataFrame], folder: Path, rows: int = PARTITION_ROWS) -> list[Path]:
    """Write a raw file read a chunk at a time (``read_raw_chunks`` of the source, chunks of
    ``rows`` rows) as Parquet files in ``folder``, one per chunk (one row group each), keeping
    ``raw_row`` and adding each row's position in the file (:data:`POSITION`): the build process
    holds one chunk of the file, never the whole."""
    check_options(partition_rows=rows)
    files, start = [], 0
    with _writing():
        folder.mkdir(parents=True, exist_ok=True)
    for number, part in enumerate(chunks):
        part = part.assign(**{POSITION: range(start, start + len(part))})
        path = folder / f"part.{number:06d}.parquet"
        with _writing():
            pq.write_table(pa_lib.Table.from_pandas(part, preserve_index=False), path, row_group_size=rows)
        files.append(path)
        start += len(part)
    return files


def _as_raw(part: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A partition as the source's ``read_raw`` returns a frame: text columns of dtype ``str``
    (dask may read them as another string dtype), ``raw_row`` as ``Int64``, indexed by the rows'
    positions in the file; ``columns`` (after ``raw_row``), else every column in the file's order."""
    raw = part.set_index(POSITION)
    raw.index = pd.Index(raw.index.to_numpy(dtype="int64"))
    raw = raw.astype({c: "Int64" if c == "raw_row" else "str" for c in raw.columns})
    return raw if columns is None else raw[["raw_row", *columns]]


def _pieces(raw: pd.DataFrame, out: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """A partition's result tables as the rows of one frame (:data:`_META`: Arrow IPC bytes),
    tagged with the partition's first position in the file."""
    first = int(raw.index[0]) if len(raw) else -1
    return pd.DataFrame({"part": first, "table": list(out),
                         "data": [frame_to_bytes(f) for f in out.values()]},
                        columns=list(_META.columns)).astype({"table": object})


def _gather(chunks: Iterable[pd.DataFrame], rows: int, client: Client, partition: Callable[..., pd.DataFrame],
            *args: object, spill: Path, spilled: Iterable[str] = ()) -> dict[str, list]:
    """``partition(part, *args)`` on every partition of a raw file read in ``chunks`` of
    ``rows`` rows (written to a scratch folder by :func:`partition_chunks`, removed at the end),
    with ``map_partitions`` on ``client``'s cluster -> each result table's pieces, partitions in
    file order: frames, except for the tables named in ``spilled``, whose pieces are written to
    files in ``spill`` as they arrive (Arrow IPC, as they travelled) and listed by path, so that
    the build process never holds them all. Each partition's result is fetched as soon as it is
    ready and then released by its worker, so a worker holds the results of the partitions it
    is working on, not of the whole file (``compute`` on the frame would concatenate them all on
    one worker first)."""
    spilled = set(spilled)
    with _writing():
        spill.mkdir(parents=True, exist_ok=True)
    found: list[tuple[int, str, pd.DataFrame | Path]] = []
    with _scratch("ceasefire-partitions-") as scratch, dask.config.set({"dataframe.convert-string": False}):
        frame = dd.read_parquet([str(f) for f in partition_chunks(chunks, scratch, rows)])
        parts = frame.map_partitions(partition, *args, meta=_META).to_delayed()
        for future in as_completed(client.compute(parts)):
            done = future.result()
            for first, table, data in zip(done["part"], done["table"], done["data"], strict=True):
                if table in spilled:
                    piece = spill / f"{table}.{int(first):012d}.arrow"
                    with _writing():
                        piece.write_bytes(data)
                else:
                    piece = frame_from_bytes(data)
                found.append((int(first), table, piece))
            del done
    found.sort(key=lambda item: item[0])  # stable: a partition's tables keep their order
    pieces: dict[str, list] = {}
    for _, table, piece in found:
        pieces.setdefault(table, []).append(piece)
    return pieces


def _parts(frames: Iterable[pd.DataFrame], writer: PartWriter) -> PartedTable:
    """A table's frames (in row order, as the cleaner's ``combine`` gives them) as a parted table."""
    for frame in frames:
        writer.add(frame.reset_index(drop=True))
    return writer.close()


# ---------------------------------------------------------------------------------------
# A cleaner's step (:mod:`ceasefire_stats.core.cleaner`)

def _pack(args: Sequence[object]) -> tuple[object, ...]:
    """The arguments handed to every partition, a frame as Arrow IPC bytes (compact, and the
    same frame on every worker)."""
    return tuple(_Frame(frame_to_bytes(a)) if isinstance(a, pd.DataFrame) else a for a in args)


class _Frame(bytes):
    """A frame packed by :func:`_pack`."""


def _unpack(args: Sequence[object]) -> list[object]:
    return [frame_from_bytes(a) if isinstance(a, _Frame) else a for a in args]


def _partition(part: pd.DataFrame, module: str, path: str, *args: object) -> pd.DataFrame:
    """One partition on a worker: the cleaner's ``parse`` on its rows (the cleaner imported by
    name from the worker's own installation), each piece as one row (Arrow IPC bytes)."""
    raw = _as_raw(part)
    return _pieces(raw, load(module).parse(raw, Context(Path(path), tuple(_unpack(args)))))


def parts(cleaner_module: ModuleType, context: Context, client: Client, folder: Path,
          partition_rows: int = PARTITION_ROWS) -> tuple[dict[str, PartedTable], Ledger]:
    """A cleaner's tables of the raw file ``context.path``: ``parse`` on every partition on
    ``client``'s cluster, ``combine`` on the gathered pieces (the tables' pieces spilled to
    ``folder``), each table written as parts in ``folder``; and the ledger. The rows of
    ``combine([parse(read(path))])`` on the whole file."""
    pieces = _gather(cleaner_module.read_chunks(context.path, partition_rows), partition_rows, client, _partition,
                     cleaner_module.__name__, str(context.path), *_pack(context.args), spill=folder / "pieces",
                     spilled=cleaner_module.SCHEMAS)
    with _writing():
        tables, ledger = cleaner_module.combine(pieces, context)
        return {name: _parts(frames, PartWriter(folder, name)) for name, frames in tables.items()}, ledger


def tables(cleaner_module: ModuleType, context: Context, client: Client, partition_rows: int = PARTITION_ROWS,
           ) -> tuple[dict[str, pd.DataFrame], Ledger]:
    """:func:`parts` as frames: equal to the pandas engine's tables and ledger."""
    with _scratch("ceasefire-tables-") as folder:
        found, ledger = parts(cleaner_module, context, client, folder, partition_rows)
        return {name: table.to_pandas() for name, table in found.items()}, ledger


def build_step(cleaner_module: ModuleType, inputs: StepInputs, client: Client, folder: Path,
               partition_rows: int = PARTITION_ROWS) -> StepResult:
    """A cleaner's step on the dask engine: its ``result`` with the tables of :func:`parts`,
    written as parts in ``folder``."""
    context = cleaner_module.prepare(inputs)
    found, ledger = parts(cleaner_module, context, client, folder, partition_rows)
    return cleaner_module.result(found, ledger, context)


def steps(plan: Iterable[object]) -> dict[str, ModuleType]:
    """The steps of ``plan`` (the pipeline's :class:`~ceasefire_stats.pipeline.Step` values) this
    engine builds, by name: those that read a raw file and whose module is a cleaner
    (:func:`~ceasefire_stats.core.cleaner.is_cleaner`). Every other step runs on the pandas engine."""
    found = {}
    for step in plan:
        if getattr(step, "sources", ()):
            module = load(step.module)
            if is_cleaner(module):
                found[step.name] = module
    return found


@contextlib.contextmanager
def session(plan: Iterable[object], scheduler: object = None, workers: int | None = None,
            partition_rows: int = PARTITION_ROWS, timeout: float = CONNECT_TIMEOUT,
            ) -> Iterator[dict[str, Callable[[StepInputs], StepResult]]]:
    """The steps of ``plan`` this engine builds (:func:`steps`), by step name, for one build:
    bound to a client of ``scheduler`` (:func:`connect`, which waits ``timeout`` seconds for it)
    and to a scratch folder that holds their tables' parts until the pipeline has written them;
    both closed at the end of the block. Every other step runs on the pandas engine. Options
    that cannot work (:func:`check_options`) raise :class:`OptionError` before a cluster is started."""
    check_options(workers, partition_rows)
    cleaners = steps(plan)
    with connect(scheduler, workers, timeout=timeout) as client, _scratch("ceasefire-build-") as folder:
        yield {name: functools.partial(_build, module, client=client, folder=folder / name,
                                       partition_rows=partition_rows)
               for name, module in cleaners.items()}


def _build(module: ModuleType, inputs: StepInputs, client: Client, folder: Path, partition_rows: int) -> StepResult:
    return build_step(module, inputs, client, folder, partition_rows)
