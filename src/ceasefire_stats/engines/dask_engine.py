"""The dask engine: the pandas cleaners applied partition by partition, out of core.

``ceasefire-stats build --engine dask [--scheduler ADDRESS]`` (``pipeline.build(...,
engine="dask", scheduler=...)``) builds the same tables as the pandas engine, byte for byte,
with the same pure cleaners; only where they run changes:

1. **Partitions** (:func:`partition_raw`): the raw file is read once by the project's one raw
   reader (:func:`~ceasefire_stats.clean.mod_posts.read_raw`, i.e. ``core.rawcsv``: the same
   checks, errors and ``raw_row`` line numbers) and written as Parquet files of
   :data:`PARTITION_ROWS` rows each (one row group per file) under a scratch folder
   (``$CEASEFIRE_STATS_SCRATCH``, else the system's temporary folder), with ``raw_row`` and each
   row's position in the file (``_position``).
2. **Map** (:func:`mod_tables`): ``dask.dataframe.read_parquet`` over those files, then one
   ``map_partitions`` that runs :func:`~ceasefire_stats.clean.mod_posts.tables` on each partition
   (normalisation, kinds, windows, headlines, breakdowns, per-row rejects, flags and ``not_claim``
   outcomes are all per post) and keys every raw row by its ``datetime`` and the sha256 of its
   text. A partition yields several tables, so its output rows are those tables, as Arrow IPC bytes
   (:func:`_mod_partition`); only parsed rows travel back, never the texts.
3. **Whole-file steps** (:func:`assemble_mod`), exactly as ``tables`` does them on the whole file:
   duplicates (same ``datetime`` and text, the first in file order kept: a post repeated in
   two partitions was parsed in both, and the later copy is dropped with its table rows, regions,
   flags and ``no_count_parsed`` reject), the ledger (:meth:`Ledger.from_parts` over every raw
   row), and the order of rows (posts by ``raw_row``, regions by ``raw_row`` and region, rejects
   and flags by reason then file order).

The pipeline then checks, reconciles, validates and writes the tables as it does for the pandas
engine. The Air Force step has no dask builder yet: it runs on the pandas engine (the build says
so on the ``ceasefire_stats`` logger).

Scheduler: by default a ``LocalCluster`` (worker processes, one thread each; ``workers`` sets
how many); or any ``dask.distributed`` scheduler by address (``tcp://host:8786``), a running
``LocalCluster`` or a ``Client``. With a remote scheduler the workers read the partitions from
``$CEASEFIRE_STATS_SCRATCH``: make it a folder every worker can read.

Limits: the raw reader holds one copy of the raw file while the partitions are written (the
parsing, 7.5 KB a post in the pandas engine, happens per partition); the gathered tables are
in memory on the machine that runs the build, as the pipeline writes each as one Parquet file.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import dask
import dask.dataframe as dd
import pandas as pd
import pyarrow as pa_lib
import pyarrow.parquet as pq
from dask.distributed import Client, LocalCluster

from ceasefire_stats.clean import mod_posts
from ceasefire_stats.core import paths
from ceasefire_stats.core.files import frame_from_bytes, frame_to_bytes
from ceasefire_stats.core.ledger import Ledger
from ceasefire_stats.core.step import StepInputs, StepResult

STEPS = ("mod",)
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
log = logging.getLogger("ceasefire_stats")

_META = pd.DataFrame({"part": pd.Series(dtype="int64"), "table": pd.Series(dtype=object),
                      "data": pd.Series(dtype=object)})


# ---------------------------------------------------------------------------------------
# Scheduler

@contextlib.contextmanager
def connect(scheduler: object = None, workers: int | None = None, processes: bool = True) -> Iterator[Client]:
    """A ``dask.distributed`` client for one build: to ``scheduler`` (an address such as
    ``tcp://host:8786``, a running ``LocalCluster`` or a ``Client``, left running), or to a new
    ``LocalCluster`` of ``workers`` workers (one thread each; ``processes=False`` runs them as
    threads of this process), closed at the end."""
    if isinstance(scheduler, Client):
        yield scheduler
        return
    if scheduler is not None:
        with Client(scheduler) as client:  # an address, or a cluster object
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


# ---------------------------------------------------------------------------------------
# Partitions

def partition_raw(raw: pd.DataFrame, folder: Path, rows: int = PARTITION_ROWS) -> list[Path]:
    """Write the raw frame as Parquet files of ``rows`` rows (one row group each) in ``folder``,
    keeping ``raw_row`` and adding each row's position in the file (:data:`POSITION`)."""
    if rows < 1:
        raise ValueError(f"partition rows must be positive, not {rows}")
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for number, start in enumerate(range(0, len(raw), rows)):
        part = raw.iloc[start: start + rows]
        part = part.assign(**{POSITION: range(start, start + len(part))})
        path = folder / f"part.{number:06d}.parquet"
        pq.write_table(pa_lib.Table.from_pandas(part, preserve_index=False), path, row_group_size=rows)
        files.append(path)
    return files


def _as_raw(part: pd.DataFrame) -> pd.DataFrame:
    """A partition as :func:`~ceasefire_stats.clean.mod_posts.read_raw` returns a frame: text
    columns of dtype ``str`` (dask may read them as another string dtype), ``raw_row`` as
    ``Int64``, indexed by the rows' positions in the file."""
    raw = part.set_index(POSITION)
    raw.index = pd.Index(raw.index.to_numpy(dtype="int64"))
    return raw.astype({"raw_row": "Int64", **{c: "str" for c in mod_posts.RAW_COLUMNS}})[
        ["raw_row", *mod_posts.RAW_COLUMNS]]


# ---------------------------------------------------------------------------------------
# The MoD posts step

def _mod_partition(part: pd.DataFrame, truncated_at: int | None) -> pd.DataFrame:
    """One partition: :func:`~ceasefire_stats.clean.mod_posts.tables` on its rows, and the
    duplicate key of every row; returned as one row per result table (Arrow IPC bytes)."""
    raw = _as_raw(part)
    posts, regions, ledger = mod_posts.tables(raw, truncated_at)
    # regions carry their post's raw row, so that a duplicate's regions can be dropped later
    regions = regions.assign(raw_row=regions["post_id"].map(posts.set_index("post_id")["raw_row"]))
    keys = pd.DataFrame({"raw_row": raw["raw_row"], "datetime": raw["datetime"],
                         "text_sha256": mod_posts.sha256_texts(raw["text_snippet"])}).reset_index(drop=True)
    out = {"keys": keys, "posts": posts, "regions": regions, "ledger": ledger.rows,
           "rejects": ledger.rejects, "flags": ledger.flags}
    first = int(raw.index[0]) if len(raw) else -1
    return pd.DataFrame({"part": first, "table": list(out),
                         "data": [frame_to_bytes(f) for f in out.values()]},
                        columns=list(_META.columns)).astype({"table": object})


def _by_rank(frame: pd.DataFrame, column: str, order: Sequence[str]) -> pd.DataFrame:
    """``frame`` stably sorted by the rank of ``column`` in ``order`` (file order kept within)."""
    rank = frame[column].map({v: i for i, v in enumerate(order)}).fillna(len(order))
    return frame.iloc[rank.to_numpy().argsort(kind="stable")]


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame | None:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else None


def assemble_mod(pieces: dict[str, list[pd.DataFrame]]) -> tuple[pd.DataFrame, pd.DataFrame, Ledger]:
    """The whole-file steps of :func:`~ceasefire_stats.clean.mod_posts.tables` on the tables of
    every partition (``pieces[table]``, partitions in file order): duplicates across the file,
    the ledger, the order of rows."""
    keys = pd.concat(pieces["keys"], ignore_index=True)
    dup = keys.duplicated(["datetime", "text_sha256"], keep="first")
    first_row = keys.groupby(["datetime", "text_sha256"], sort=False)["raw_row"].transform("first")
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

    posts = pd.concat(pieces["posts"], ignore_index=True)
    posts = posts[~posts["raw_row"].isin(gone)].sort_values("raw_row").reset_index(drop=True)
    regions = pd.concat(pieces["regions"], ignore_index=True)
    regions = regions[~regions["raw_row"].isin(gone)]
    regions = regions.sort_values(["raw_row", "region_id"])[mod_posts.REGION_COLUMNS].reset_index(drop=True)
    return posts, regions, ledger


def mod_tables(path: str | Path, client: Client, partition_rows: int = PARTITION_ROWS,
               ) -> tuple[pd.DataFrame, pd.DataFrame, Ledger]:
    """``mod_posts``, ``mod_post_regions`` and the ledger of the raw file at ``path`` (a scraped
    CSV or a Telegram export), computed on ``client``'s cluster: equal to
    :func:`~ceasefire_stats.clean.mod_posts.tables` on the whole file."""
    truncated_at = mod_posts.truncation(path)
    with tempfile.TemporaryDirectory(prefix="ceasefire-partitions-", dir=paths.scratch_dir()) as scratch:
        raw = mod_posts.read_raw(path)
        files = partition_raw(raw, Path(scratch), partition_rows)
        del raw
        frame = dd.read_parquet([str(f) for f in files])
        with dask.config.set({"dataframe.convert-string": False}):
            done = frame.map_partitions(_mod_partition, truncated_at, meta=_META).compute(scheduler=client)
    done = done.sort_values("part", kind="stable")
    pieces: dict[str, list[pd.DataFrame]] = {}
    for table, data in zip(done["table"], done["data"], strict=True):
        pieces.setdefault(table, []).append(frame_from_bytes(data))
    return assemble_mod(pieces)


def build_mod(inputs: StepInputs, client: Client, partition_rows: int = PARTITION_ROWS) -> StepResult:
    """Step ``mod`` on the dask engine: :func:`mod_posts.build <ceasefire_stats.clean.mod_posts.build>`
    with the tables of :func:`mod_tables`."""
    posts, regions, ledger = mod_tables(inputs.raw[mod_posts.SOURCE], client, partition_rows)
    return StepResult(
        tables={"mod_posts": posts, "mod_post_regions": regions},
        schemas=dict(mod_posts.SCHEMAS),
        ledgers=[ledger],
        id_columns={"mod_posts": "post_id", "mod_post_regions": "post_id"},
        ledger_tables={ledger.source: "mod_posts"},
    )


def builders(client: Client, partition_rows: int = PARTITION_ROWS) -> dict[str, Callable[[StepInputs], StepResult]]:
    """The steps this engine builds, by step name, bound to ``client``; every other step runs
    on the pandas engine."""
    return {"mod": lambda inputs: build_mod(inputs, client, partition_rows)}
