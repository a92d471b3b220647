"""The dask engine: the pandas cleaners applied partition by partition, out of core.

``ceasefire-stats build --engine dask [--scheduler ADDRESS]`` (``pipeline.build(...,
engine="dask", scheduler=...)``) builds the same tables as the pandas engine, byte for byte,
with the same pure cleaners; only where they run changes. It builds both steps that read raw
files, ``airforce`` and ``mod`` (:data:`STEPS`), from the pinned file or any registered version
(``--version``), in three stages:

1. **Partitions** (:func:`partition_chunks`): the raw file is read once, a chunk of
   :data:`PARTITION_ROWS` rows at a time, by the project's one raw reader for the source
   (:func:`airforce.read_raw_chunks <ceasefire_stats.clean.airforce.read_raw_chunks>` in any
   known schema, :func:`mod_posts.read_raw_chunks
   <ceasefire_stats.clean.mod_posts.read_raw_chunks>`; both
   :func:`core.rawcsv.iter_csv_text <ceasefire_stats.core.rawcsv.iter_csv_text>`: the file mapped,
   not read, and the same checks, errors and ``raw_row`` line numbers as the whole-file reader),
   and each chunk written as a Parquet file (one row group) under a scratch folder
   (``$CEASEFIRE_STATS_SCRATCH``, else the system's temporary folder), with ``raw_row`` and each
   row's position in the file (``_position``).
2. **Map**: ``dask.dataframe.read_parquet`` over those files, then one ``map_partitions`` that
   runs the source's cleaner on each partition and keys every raw row for the whole-file steps.
   A partition yields several tables, so its output rows are those tables, as Arrow IPC bytes;
   only cleaned rows and keys travel back. The step's tables are written to the scratch folder
   as each partition's result arrives (:func:`_gather`); the keys, rejects, flags and ledger
   rows out of the ordinary stay in memory.
3. **Whole-file steps**, on the keys, exactly as the cleaner does them on the whole file:
   duplicates, the ledger (:meth:`Ledger.from_parts` over every raw row) and the order of
   rows, rejects and flags. Each table is then rewritten partition by partition, without the
   rows set aside and in the cleaner's order, as a
   :class:`~ceasefire_stats.core.parts.PartedTable`: Parquet parts on disk that the pipeline
   validates (:func:`~ceasefire_stats.core.fields.validate_parts`, uniqueness across parts
   included) and writes part by part (:func:`~ceasefire_stats.core.files.write_parquet_parts`),
   with the bytes of the pandas engine's file.

**MoD posts** (:func:`mod_tables`): :func:`~ceasefire_stats.clean.mod_posts.tables` per
partition (normalisation, kinds, windows, headlines, breakdowns, per-row rejects, flags and
``not_claim`` outcomes are all per post); every raw row keyed by 128 bits of a sha256 of its
``datetime`` and text (:func:`post_keys`). Whole file (:func:`assemble_mod`): duplicates (same ``datetime`` and text, the first
in file order kept: a post repeated in two partitions was parsed in both, and the later copy is
dropped with its table rows, regions, flags and ``no_count_parsed`` reject), the ledger, the
order (posts by ``raw_row``, regions by ``raw_row`` and region, rejects and flags by reason then
file order).

**Air Force** (:func:`airforce_tables`): :func:`~ceasefire_stats.clean.airforce.clean` per
partition, with the weapon reference read once by
:func:`~ceasefire_stats.clean.weapons.read_reference` and handed to every partition. Its passes
over single rows (times, counts, reporting body, weapon model, literal cells, withheld figures,
soft invariants, target and region names, ``strike_id``, which hashes the row's own text) give
the same rows, rejects and flags in a partition as in the whole file. Each raw row is keyed by
content hashes of its report key, natural key and whole row
(:func:`~ceasefire_stats.clean.airforce.row_keys`). Whole file (:func:`assemble_airforce`), by
the cleaner's own functions on the gathered keys: duplicates and report-key conflicts
(:func:`~ceasefire_stats.clean.airforce.duplicates_by_hash`,
:func:`~ceasefire_stats.clean.airforce.key_conflict_rejects`: a partition saw only its own
copies, so its duplicates and conflicts are dropped and found again here), natural-key
collisions among the rows kept (:func:`~ceasefire_stats.clean.airforce.key_collision_flags`),
the kept rows (a row kept in its partition can only lose that by a duplicate or conflict in
another one), the ledger, and the order: strikes and regions in file order, rejects and flags
in the order the cleaner lists them (:data:`AIRFORCE_REJECT_ORDER`, :data:`AIRFORCE_FLAG_ORDER`).
Rows are told equal by 64-bit hashes of their text, where the pandas engine compares the codes
of each distinct text and hashes those: the two differ only if two different rows share a hash.

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
import hashlib
import logging
import os
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pyarrow as pa_lib
import pyarrow.parquet as pq
from dask.distributed import Client, LocalCluster, as_completed

from ceasefire_stats.clean import airforce, mod_posts, weapons
from ceasefire_stats.core import paths
from ceasefire_stats.core.errors import CeasefireStatsError, OutputError
from ceasefire_stats.core.files import frame_from_bytes, frame_to_bytes
from ceasefire_stats.core.ledger import Ledger, LedgerError
from ceasefire_stats.core.parts import PartedTable, PartWriter
from ceasefire_stats.core.step import StepInputs, StepResult

STEPS = ("airforce", "mod")
"""The build steps this engine builds (:func:`builders`); every other step runs on the pandas engine."""
PARTITION_ROWS = 20_000
"""Raw rows per Parquet partition (the pandas engine's peak memory on 20,000 posts is about 150 MB)."""
POSITION = "_position"
"""Each raw row's position in the file (0-based): file order, where ``raw_row`` of a Telegram
export (message ids) need not be ordered."""
REJECT_ORDER = ("bad_datetime", "implausible_date", "empty_text", "no_count_parsed")
"""The order in which :func:`~ceasefire_stats.clean.mod_posts.tables` lists rejects (each
reason in file order)."""
FLAG_ORDER = ("breakdown_sum_mismatch", "window_unstated", "no_drone_headline")
"""The order in which :func:`~ceasefire_stats.clean.mod_posts.tables` lists flags."""
_COUNTS = tuple(airforce.COUNT_COLUMNS)
_LITERALS = ("border_crossing", "affected region", "destroyed_details", "launched_details", "launch_place_details")
AIRFORCE_REJECT_ORDER = (
    ("bad_time", "time_start"), ("bad_time", "time_end"), ("window_end_before_start", "time_end"),
    ("implausible_date", "time_start"), ("implausible_date", "time_end"), ("implausible_window", "time_end"),
    *((None, column) for column in _COUNTS),
    ("unknown_reporting_body", "source"), ("missing_model", "model"),
    *((None, column) for column in _LITERALS),
    ("conflicting_key", "source"),
)
"""The order in which :func:`~ceasefire_stats.clean.airforce.clean` lists rejects, by
(reason, column), each in file order; ``None`` is any reason: a count column's rejects come as
one group per problem, the groups in the order of their first row; a literal column's rejects
(several reasons) in file order."""
AIRFORCE_FLAG_ORDER = (
    "withheld_figures", "unknown_status_data", "dst_local_time", "unknown_model", "natural_key_collision",
    "destroyed_exceeds_launched", "missing_launched", "missing_destroyed", "components_differ_from_launched",
    "region_parts_exceed_destroyed", "unknown_region:target", "unknown_region",
)
"""The order in which :func:`~ceasefire_stats.clean.airforce.clean` lists flags, each in file
order: ``unknown_region:target`` is an ``unknown_region`` flag on the target (detail ``target
...``), listed before those on the regions of the literal cells."""
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


def _spilled(pieces: list[Path]) -> Iterator[pd.DataFrame]:
    """The frames of spilled pieces (:func:`_gather`), in order, each file removed once read."""
    for path in pieces:
        frame = frame_from_bytes(path.read_bytes())
        path.unlink()
        yield frame


def _parts(frames: Iterable[pd.DataFrame], writer: PartWriter, sort_by: list[str] | None = None,
           columns: list[str] | None = None, in_file_order: bool = True) -> PartedTable:
    """The rows of ``frames`` (partitions in file order, already filtered) as a parted table of
    ``columns`` (default all); with ``sort_by``, in the order ``sort_values(sort_by)`` of their
    concatenation gives. When the raw rows are in file order (``in_file_order``: each
    partition's raw rows follow the previous partition's), that is each part sorted on its own;
    otherwise (a Telegram export whose message ids are not in file order) the whole table is
    sorted in memory."""
    if sort_by and not in_file_order:
        frames = [pd.concat(list(frames), ignore_index=True)]
    for frame in frames:
        frame = frame.sort_values(sort_by) if sort_by else frame
        writer.add((frame if columns is None else frame[columns]).reset_index(drop=True))
    return writer.close()


def _concat(frames: list[pd.DataFrame | None]) -> pd.DataFrame | None:
    frames = [f for f in frames if f is not None and len(f)]
    return pd.concat(frames, ignore_index=True) if frames else None


# ---------------------------------------------------------------------------------------
# The MoD posts step

def post_keys(raw: pd.DataFrame) -> pd.DataFrame:
    """``raw_row`` and the duplicate key of every raw MoD row: the first 128 bits of a sha256 of
    its ``datetime`` cell and its text (a missing cell hashed as a byte no cell holds), as two
    64-bit halves ``k1``, ``k2``. Rows that :func:`~ceasefire_stats.clean.mod_posts.tables`
    calls duplicates (same ``datetime``, same text) have the same key; two other rows share one
    only if their sha256 agree on 128 bits. 24 bytes a row, where the cells themselves are
    about 500."""
    def cell(value: object) -> bytes:
        return b"\x00" if value is None or value is pd.NA else b"\x01" + str(value).encode("utf-8")

    digests = b"".join(hashlib.sha256(cell(when) + b"\n" + cell(text)).digest()[:16]
                       for when, text in zip(raw["datetime"].astype(object).tolist(),
                                             raw["text_snippet"].astype(object).tolist(), strict=True))
    halves = np.frombuffer(digests, dtype="<u8").reshape(-1, 2)
    return pd.DataFrame({"raw_row": raw["raw_row"].to_numpy(), "k1": halves[:, 0], "k2": halves[:, 1]}
                        ).astype({"raw_row": "Int64"})


def _mod_partition(part: pd.DataFrame, truncated_at: int | None) -> pd.DataFrame:
    """One partition: :func:`~ceasefire_stats.clean.mod_posts.tables` on its rows, and the
    duplicate key of every row; returned as one row per result table (Arrow IPC bytes)."""
    raw = _as_raw(part, mod_posts.RAW_COLUMNS)
    posts, regions, ledger = mod_posts.tables(raw, truncated_at)
    # regions carry their post's raw row, so that a duplicate's regions can be dropped later
    regions = regions.assign(raw_row=regions["post_id"].map(posts.set_index("post_id")["raw_row"]))
    keys = post_keys(raw)
    # of the ledger's rows only the other outcomes (not a claim...) travel: kept, rejected and
    # duplicate rows are found again on the whole file
    other = ledger.rows[~ledger.rows["outcome"].isin(["kept", "rejected", "duplicate"])]
    return _pieces(raw, {"keys": keys, "posts": posts, "regions": regions, "ledger": other,
                         "rejects": ledger.rejects, "flags": ledger.flags})


def _by_rank(frame: pd.DataFrame, column: str, order: Sequence[str]) -> pd.DataFrame:
    """``frame`` stably sorted by the rank of ``column`` in ``order`` (file order kept within)."""
    rank = frame[column].map({v: i for i, v in enumerate(order)}).fillna(len(order))
    return frame.iloc[rank.to_numpy().argsort(kind="stable")]


def assemble_mod(pieces: dict[str, list], folder: Path) -> tuple[PartedTable, PartedTable, Ledger]:
    """The whole-file steps of :func:`~ceasefire_stats.clean.mod_posts.tables` on the tables of
    every partition (``pieces[table]``, partitions in file order; ``posts`` and ``regions``
    spilled to files by :func:`_gather`): duplicates across the file, the ledger, the order of
    rows. The two tables are written as parts in ``folder``."""
    keys = pd.concat(pieces.pop("keys"), ignore_index=True)
    dup = keys.duplicated(["k1", "k2"], keep="first")
    first_row = keys.groupby(["k1", "k2"], sort=False)["raw_row"].transform("first")
    duplicates = pd.DataFrame({"raw_row": keys.loc[dup, "raw_row"], "duplicate_of": first_row[dup]})
    gone = pd.Index(keys.loc[dup, "raw_row"])  # a later copy: parsed in its partition, dropped here

    rejected = _concat(pieces["rejects"])
    if rejected is not None:  # a duplicate is not parsed, so it cannot fail to parse
        rejected = rejected[~((rejected["reason"] == "no_count_parsed") & rejected["raw_row"].isin(gone))]
        rejected = _by_rank(rejected, "reason", REJECT_ORDER).reset_index(drop=True)
        rejected = rejected if len(rejected) else None
    flags = _concat(pieces["flags"])
    if flags is not None:
        flags = _by_rank(flags[~flags["raw_row"].isin(gone)], "flag", FLAG_ORDER).reset_index(drop=True)
        flags = flags if len(flags) else None
    rows = pd.concat(pieces["ledger"], ignore_index=True)
    other = rows[~rows["outcome"].isin(["kept", "rejected", "duplicate"]) & ~rows["raw_row"].isin(gone)]
    other = other[["raw_row", "outcome", "reason"]].reset_index(drop=True)
    ledger = Ledger.from_parts(mod_posts.SOURCE, keys["raw_row"], rejected=rejected, duplicates=duplicates,
                               flags=flags, other=other)

    in_file_order = bool(keys["raw_row"].is_monotonic_increasing)
    posts = _parts((f[~f["raw_row"].isin(gone)] for f in _spilled(pieces["posts"])), PartWriter(folder, "mod_posts"),
                   ["raw_row"], in_file_order=in_file_order)
    regions = _parts((f[~f["raw_row"].isin(gone)] for f in _spilled(pieces["regions"])),
                     PartWriter(folder, "mod_post_regions"), ["raw_row", "region_id"], mod_posts.REGION_COLUMNS,
                     in_file_order)
    return posts, regions, ledger


def mod_parts(path: str | Path, client: Client, folder: Path, partition_rows: int = PARTITION_ROWS,
              ) -> tuple[PartedTable, PartedTable, Ledger]:
    """``mod_posts`` and ``mod_post_regions`` of the raw file at ``path`` (a scraped CSV or a
    Telegram export), computed on ``client``'s cluster and written as parts in ``folder``, and
    the ledger: the rows of :func:`~ceasefire_stats.clean.mod_posts.tables` on the whole file."""
    pieces = _gather(mod_posts.read_raw_chunks(path, partition_rows), partition_rows, client, _mod_partition,
                     mod_posts.truncation(path), spill=folder / "pieces", spilled=("posts", "regions"))
    with _writing():
        return assemble_mod(pieces, folder)


def mod_tables(path: str | Path, client: Client, partition_rows: int = PARTITION_ROWS,
               ) -> tuple[pd.DataFrame, pd.DataFrame, Ledger]:
    """:func:`mod_parts` as frames: equal to :func:`~ceasefire_stats.clean.mod_posts.tables` on
    the whole file."""
    with _scratch("ceasefire-tables-") as folder:
        posts, regions, ledger = mod_parts(path, client, folder, partition_rows)
        return posts.to_pandas(), regions.to_pandas(), ledger


def build_mod(inputs: StepInputs, client: Client, folder: Path, partition_rows: int = PARTITION_ROWS) -> StepResult:
    """Step ``mod`` on the dask engine: :func:`mod_posts.build <ceasefire_stats.clean.mod_posts.build>`
    with the tables of :func:`mod_parts`, written as parts in ``folder``."""
    posts, regions, ledger = mod_parts(inputs.raw[mod_posts.SOURCE], client, folder, partition_rows)
    return StepResult(
        tables={"mod_posts": posts, "mod_post_regions": regions},
        schemas=dict(mod_posts.SCHEMAS),
        ledgers=[ledger],
        id_columns={"mod_posts": "post_id", "mod_post_regions": "post_id"},
        ledger_tables={ledger.source: "mod_posts"},
    )


# ---------------------------------------------------------------------------------------
# The Air Force step

def _airforce_partition(part: pd.DataFrame, reference: bytes) -> pd.DataFrame:
    """One partition: :func:`~ceasefire_stats.clean.airforce.clean` on its rows with the weapon
    reference (Arrow IPC bytes), and the keys of every row
    (:func:`~ceasefire_stats.clean.airforce.row_keys`, plus the source text of the rows not kept
    here, for a conflicting-key reject); returned as one row per result table."""
    raw = _as_raw(part)
    tables, ledger = airforce.clean(raw, frame_from_bytes(reference))
    keys = airforce.row_keys(raw)
    kept = ledger.rows["outcome"].eq("kept").to_numpy()
    source = pd.Series(raw["source"].astype("str").fillna("").str.strip().to_numpy(), dtype="str")
    keys["source"] = source.where(~kept)
    # whole-file findings are found again on the gathered keys
    rejects = ledger.rejects[ledger.rejects["reason"] != "conflicting_key"]
    flags = ledger.flags[ledger.flags["flag"] != "natural_key_collision"]
    return _pieces(raw, {"keys": keys, **tables, "rejects": rejects, "flags": flags})


def _in_order(frame: pd.DataFrame, site: np.ndarray, group: pd.Series) -> pd.DataFrame:
    """``frame`` (partitions' rows in file order) sorted by ``site`` (rank in the cleaner's
    order), then by the first raw row of each ``group`` within a site, then by raw row, stably
    (a raw row's several findings of one site keep their order)."""
    raw_row = frame["raw_row"].to_numpy(dtype="int64")
    first = pd.Series(raw_row).groupby([site, group.to_numpy()]).transform("min").to_numpy()
    return frame.iloc[np.lexsort((raw_row, first, site))].reset_index(drop=True)


def _unknown(kind: str, values: pd.Series) -> LedgerError:
    return LedgerError(f"{airforce.SOURCE}: the dask engine does not know where the cleaner lists the {kind} "
                       f"{sorted(set(values))[:5]}; add them to AIRFORCE_{kind.upper()}_ORDER")


def _reject_order(rejected: pd.DataFrame) -> pd.DataFrame:
    """Rejects in the order :func:`~ceasefire_stats.clean.airforce.clean` lists them (:data:`AIRFORCE_REJECT_ORDER`)."""
    exact = {f"{r}|{c}": i for i, (r, c) in enumerate(AIRFORCE_REJECT_ORDER) if r is not None}
    by_column = {c: i for i, (r, c) in enumerate(AIRFORCE_REJECT_ORDER) if r is None}
    key = rejected["reason"] + "|" + rejected["column"]
    site = key.map(exact).fillna(rejected["column"].map(by_column))
    if site.isna().any():
        raise _unknown("reject", key[site.isna()])
    group = rejected["reason"].where(rejected["column"].isin(_COUNTS), "")
    return _in_order(rejected, site.to_numpy(dtype="int64"), group)


def _flag_order(flags: pd.DataFrame) -> pd.DataFrame:
    """Flags in the order :func:`~ceasefire_stats.clean.airforce.clean` lists them (:data:`AIRFORCE_FLAG_ORDER`)."""
    on_target = flags["flag"].eq("unknown_region") & flags["detail"].str.startswith("target ")
    name = flags["flag"].where(~on_target, "unknown_region:target")
    site = pd.Index(AIRFORCE_FLAG_ORDER).get_indexer(name)
    if (site < 0).any():
        raise _unknown("flag", name[site < 0])
    return _in_order(flags, site, pd.Series("", index=flags.index))


def assemble_airforce(pieces: dict[str, list], folder: Path) -> tuple[dict[str, PartedTable], Ledger]:
    """The whole-file steps of :func:`~ceasefire_stats.clean.airforce.clean` on the tables of
    every partition (``pieces[table]``, partitions in file order; the cleaner's tables spilled
    to files by :func:`_gather`): duplicates and report-key conflicts, natural-key collisions
    among the kept rows, the ledger, the order of rows. The tables are written as parts in
    ``folder``, each the kept rows of its partitions in file order (a row kept in its partition
    can only lose that by a duplicate or conflict in another one)."""
    keys = pd.concat(pieces["keys"], ignore_index=True)
    raw_row = keys["raw_row"]
    row_hash = keys["row"].to_numpy()
    is_dup, conflict, duplicates = airforce.duplicates_by_hash(keys["report_key"].to_numpy(),
                                                               lambda rows: row_hash[rows], raw_row)
    sources = keys.loc[conflict, "source"]
    if sources.isna().any():  # rows kept in their partition: their source is in the strikes
        wanted = raw_row[conflict]
        found = pd.concat([piece.loc[piece["raw_row"].isin(wanted), ["raw_row", "source_ref"]]
                           for piece in map(frame_from_bytes, map(Path.read_bytes, pieces["strikes"]))])
        sources = sources.fillna(wanted.map(found.set_index("raw_row")["source_ref"]))
    rejected = _concat([*pieces["rejects"], airforce.key_conflict_rejects(raw_row, conflict, sources)])
    rejected = None if rejected is None else _reject_order(rejected)

    is_rejected = raw_row.isin(rejected["raw_row"]).to_numpy() if rejected is not None else False
    kept = ~is_dup & ~is_rejected
    collisions = airforce.key_collision_flags(keys["natural_key"].to_numpy(), kept, raw_row)
    flags = _concat([*pieces["flags"], collisions])
    flags = None if flags is None else _flag_order(flags)
    ledger = Ledger.from_parts(airforce.SOURCE, raw_rows=raw_row, rejected=rejected, duplicates=duplicates,
                               flags=flags)
    kept_rows = raw_row[kept]
    tables = {name: _parts((f[f["raw_row"].isin(kept_rows).to_numpy()] for f in _spilled(pieces[name])),
                           PartWriter(folder, name)) for name in airforce.SCHEMAS}
    return tables, ledger


def airforce_parts(path: str | Path, reference: pd.DataFrame, client: Client, folder: Path,
                   partition_rows: int = PARTITION_ROWS) -> tuple[dict[str, PartedTable], Ledger]:
    """``strikes`` and ``strike_regions`` of the Air Force file at ``path`` (any known schema)
    with the weapon ``reference``, computed on ``client``'s cluster and written as parts in
    ``folder``, and the ledger: the rows of :func:`airforce.clean(airforce.read_raw(path),
    reference) <ceasefire_stats.clean.airforce.clean>`."""
    pieces = _gather(airforce.read_raw_chunks(path, partition_rows), partition_rows, client, _airforce_partition,
                     frame_to_bytes(reference), spill=folder / "pieces", spilled=airforce.SCHEMAS)
    with _writing():
        return assemble_airforce(pieces, folder)


def airforce_tables(path: str | Path, reference: pd.DataFrame, client: Client,
                    partition_rows: int = PARTITION_ROWS) -> tuple[dict[str, pd.DataFrame], Ledger]:
    """:func:`airforce_parts` as frames: equal to :func:`airforce.clean(airforce.read_raw(path),
    reference) <ceasefire_stats.clean.airforce.clean>`."""
    with _scratch("ceasefire-tables-") as folder:
        tables, ledger = airforce_parts(path, reference, client, folder, partition_rows)
        return {name: table.to_pandas() for name, table in tables.items()}, ledger


def build_airforce(inputs: StepInputs, client: Client, folder: Path, partition_rows: int = PARTITION_ROWS,
                   ) -> StepResult:
    """Step ``airforce`` on the dask engine: :func:`airforce.build <ceasefire_stats.clean.airforce.build>`
    with the tables of :func:`airforce_parts`, written as parts in ``folder``."""
    reference, weapons_ledger = weapons.read_reference(inputs.raw["weapons"])
    tables, ledger = airforce_parts(inputs.raw[airforce.SOURCE], reference, client, folder, partition_rows)
    return StepResult(
        tables=tables,
        schemas=dict(airforce.SCHEMAS),
        ledgers=[ledger, weapons_ledger],
        id_columns={"strikes": "strike_id", "strike_regions": "strike_id"},
        ledger_tables={ledger.source: "strikes"},
    )


@contextlib.contextmanager
def session(scheduler: object = None, workers: int | None = None, partition_rows: int = PARTITION_ROWS,
            timeout: float = CONNECT_TIMEOUT) -> Iterator[dict[str, Callable[[StepInputs], StepResult]]]:
    """The steps this engine builds, by step name, for one build: bound to a client of
    ``scheduler`` (:func:`connect`, which waits ``timeout`` seconds for it) and to a scratch
    folder that holds their tables' parts until the pipeline has written them; both closed at
    the end of the block. Every other step runs on the pandas engine. Options that cannot work
    (:func:`check_options`) raise :class:`OptionError` before a cluster is started."""
    check_options(workers, partition_rows)
    with connect(scheduler, workers, timeout=timeout) as client, _scratch("ceasefire-build-") as folder:
        yield {"airforce": lambda inputs: build_airforce(inputs, client, folder / "airforce", partition_rows),
               "mod": lambda inputs: build_mod(inputs, client, folder / "mod", partition_rows)}
