"""Build: raw files and curated data -> validated tidy tables in ``data/processed/`` + a manifest.

Each step is one line of :data:`STEPS`: its name, the module holding its builder (``build``)
and its schemas (``SCHEMAS``), the tables it writes, and what it reads: registry ``sources``
(verified raw files), ``curated`` folders (our own committed data) and the tables it ``needs``
from earlier steps. The pipeline hands every step its inputs
(:class:`~ceasefire_stats.core.step.StepInputs`); no step fetches a file or loads a table itself.

**Lazy.** The step table names modules, it does not import them: a step's module (and with it
pandas, pandera and the cleaners' compiled patterns) is imported when the step runs or its
schemas are asked for. Deciding that a step is current needs only the manifest, hashes and the
registry (standard library), so a build with nothing to do starts in a fraction of a second.
The tables and needs written in :data:`STEPS` must be those of the module (``SCHEMAS``,
``NEEDS``); running a step checks it.

:func:`build` runs the selected steps, plus any step whose table they need and that is missing
or stale, in one transaction: every ledger is checked and every table validated **before**
anything is written, so a failing step writes nothing at all (not even the upstream tables it
rebuilt on the way). ``build_manifest.json`` records, per step, the fingerprint of its inputs
(sources' sha256, curated files' sha256, and the fingerprints of the steps it needs), the sha256
of its code (the files its module imports within the package, :func:`code_files`: a change to a
plot module rebuilds no table), row counts and ledgers, and the sha256 of every file written;
identical inputs give byte-identical outputs.

**Larger than memory.** A step may return a table as a
:class:`~ceasefire_stats.core.parts.PartedTable` (Parquet parts on disk: the dask engine's
tables); it is then validated, reconciled with its ledger and written part by part, to the bytes
the same rows give as a frame, and read whole only by a later step that needs it.

**Versions.** By default every source is read from the registry's pinned file. ``versions``
(``{"airforce_strikes": "2026-04-04"}``, labels of :mod:`ceasefire_stats.versions.registry`) makes
a build or ``load`` read a registered version instead; the fingerprint then carries that
version's sha256 (so a table built from another version is stale) and the manifest records,
per step, the label and sha256 of every source it read (:func:`versions_used`).

**One generation.** A build writes its tables, ledgers and manifest into a new folder
``generations/<id>/`` of the processed folder (under a lock; the files of steps it did not
rebuild are carried over as hard links) and publishes it with one atomic rename of the link
``current``; every ``<table>.parquet`` and ``build_manifest.json`` of the processed folder is a
link to ``current/<name>`` (:func:`~ceasefire_stats.core.files.new_generation`). Every reader
(``load``, :func:`load_ledger`, ``pd.read_parquet("data/processed/claims.parquet")``, a copy of
the folder) therefore sees the whole of one build: a build killed or failing anywhere in its
writes leaves the previous generation published and untouched, and the next build removes what
it left. A reader also trusts a table only when its bytes match the manifest's sha256, so a
hand-edited or truncated table is rebuilt, and a corrupted manifest is repaired.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

# only the standard library and light core modules here: a build of current steps imports
# nothing else (tests/test_pipeline.py checks it); pandas, pandera, the ledger, the field
# schemas and the steps' modules are imported where a step runs or a table is read
from ceasefire_stats.core import imports, lazy, parts, paths
from ceasefire_stats.core.errors import CeasefireStatsError, OutputError
from ceasefire_stats.core.files import (
    TEMP_SUFFIX,
    current_generation,
    new_generation,
    read_parquet,
    sha256_file,
    write_json,
    write_table,
)
from ceasefire_stats.core.parts import PartedTable
from ceasefire_stats.core.step import StepInputs, StepResult
from ceasefire_stats.core.version import __version__
from ceasefire_stats.versions import registry as source_versions

if TYPE_CHECKING:
    import pandas as pd
    import pandera.pandas as pa

    from ceasefire_stats.core.ledger import Ledger

MANIFEST = "build_manifest.json"
LOCK = ".build.lock"
log = logging.getLogger("ceasefire_stats")


class UnknownTableError(CeasefireStatsError):
    """``load`` was asked for a table no step produces."""


class StepTableError(CeasefireStatsError):
    """A line of :data:`STEPS` disagrees with its step's module (tables or needs)."""


@dataclasses.dataclass(frozen=True)
class Step:
    """A build step: its name, the module holding its builder and schemas (imported when the
    step runs, see :attr:`builder` and :attr:`schemas`), the tables it writes (the keys of the
    module's schemas, in their order), and the registry sources, curated folders and upstream
    tables it reads (the module's ``NEEDS``, if it has any)."""

    name: str
    module: str
    outputs: tuple[str, ...]
    sources: tuple[str, ...] = ()
    curated: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    function: str = "build"  #: the builder's name in ``module``
    schemas_name: str = "SCHEMAS"  #: the name in ``module`` of its table -> schema mapping

    @property
    def builder(self) -> Callable[[StepInputs], StepResult]:
        """The function that builds the step (takes ``StepInputs``, returns ``StepResult``)."""
        self.check()
        return lazy.attribute(self.module, self.function)

    @property
    def schemas(self) -> Mapping[str, pa.DataFrameSchema]:
        """Each output table's schema, from the step's module."""
        self.check()
        return lazy.attribute(self.module, self.schemas_name)

    def check(self) -> None:
        """Import the step's module and raise :class:`StepTableError` unless its tables (the
        keys of its schemas, in order) and its ``NEEDS`` are those this line declares."""
        schemas = tuple(lazy.attribute(self.module, self.schemas_name))
        needs = tuple(lazy.attribute(self.module, "NEEDS", self.needs))
        if schemas != self.outputs or needs != self.needs:
            raise StepTableError(
                f"step {self.name}: pipeline.STEPS says it writes {list(self.outputs)} and needs "
                f"{list(self.needs)}, but {self.module} has tables {list(schemas)} and needs {list(needs)}; "
                "make the line of STEPS say what the module does")


# One line per step, in dependency order (a step needs only tables of steps above it). The
# tables and needs are those of the module (its ``SCHEMAS`` and ``NEEDS``), written here so that
# planning a build imports no step.
STEPS: tuple[Step, ...] = (
    Step("airforce", "ceasefire_stats.clean.airforce.step", ("strikes", "strike_regions"),
         sources=("airforce_strikes", "weapons")),
    Step("mod", "ceasefire_stats.clean.mod_posts.step", ("mod_posts", "mod_post_regions"), sources=("mod_posts",)),
    Step("claims", "ceasefire_stats.clean.claims.step", ("claims", "claim_source_errors"), curated=("claims", "calendar")),
    Step("calendar", "ceasefire_stats.clean.calendar", ("ceasefire_windows",), curated=("calendar",)),
    Step("claim_checks", "ceasefire_stats.analysis.claim_checks", ("claim_checks",),
         needs=("claims", "strikes", "mod_posts", "mod_post_regions", "strike_regions")),
    Step("truce_effects", "ceasefire_stats.analysis.truce_effects", ("truce_effects",),
         curated=("analysis_plan",), needs=("strikes", "mod_posts", "ceasefire_windows")),
)


def tables() -> dict[str, Step]:
    """Every buildable table name and the step that produces it."""
    return {table: step for step in STEPS for table in step.outputs}


def _select(names: Iterable[str] | None) -> list[Step]:
    if names is None:
        return list(STEPS)
    by_name = {s.name: s for s in STEPS} | tables()
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise UnknownTableError(f"unknown step or table {unknown}; known: {sorted(by_name)}")
    chosen = {by_name[n].name for n in names}
    return [s for s in STEPS if s.name in chosen]


CURATED_SUFFIXES = (".yaml", ".yml", ".csv")
"""The files of a curated folder that steps read (a folder's README is documentation)."""


def curated_files(name: str) -> dict[str, str]:
    """The sha256 of every file of curated folder ``name`` that a step reads, by file name, in
    name order (empty when the folder is missing): what a step's fingerprint and a notebook's
    data-versions cell both rest on."""
    folder = paths.curated_dir(name)
    files = sorted(p for p in folder.glob("*") if p.is_file() and p.suffix in CURATED_SUFFIXES) \
        if folder.is_dir() else []
    return {p.name: sha256_file(p) for p in files}


def _curated_files(step: Step) -> dict[str, str]:
    return {f"{name}/{file}": digest for name in step.curated for file, digest in curated_files(name).items()}


def _label(name: str, versions: Mapping[str, str] | None) -> str:
    return (versions or {}).get(name, source_versions.PINNED)


def check_versions(versions: Mapping[str, str] | None) -> dict[str, str]:
    """``versions`` as a plain dict after checking that every source and label is registered
    (raises naming the unknown one and the known labels)."""
    out = dict(versions or {})
    for name, label in out.items():
        source_versions.sha256(name, label)
    return out


def fingerprint(step: Step, versions: Mapping[str, str] | None = None) -> dict[str, str]:
    """What a step's outputs depend on, besides its own code: the sha256 of every source (the
    pinned file, or the version chosen in ``versions``) and curated file it reads, and, for
    every step whose table it needs, the sha256 of that step's fingerprint and code fingerprint."""
    out = {name: source_versions.sha256(name, _label(name, versions)) for name in step.sources}
    out.update(_curated_files(step))
    producers = tables()
    for table in step.needs:
        producer = producers[table]
        upstream = {"inputs": fingerprint(producer, versions), "code_sha256": code_fingerprint(producer)}
        out[f"needs:{table}"] = hashlib.sha256(json.dumps(upstream, sort_keys=True).encode()).hexdigest()
    return out


CODE_ROOTS = ("ceasefire_stats.pipeline",)
"""Modules whose code shapes every step's outputs besides the step's own: the pipeline (which
validates, reconciles and writes every table) and, through its imports, the core modules."""
CODE_SKIP = ("ceasefire_stats.engines",)
"""Imports not followed when fingerprinting code: an engine runs a step's own cleaners and
writes the pandas engine's bytes (its tests prove it), so it is not part of what a table is."""

_code_digests: dict[str, tuple[tuple, str]] = {}  # step name -> (stat key of its files, their sha256)


def code_files(step: Step) -> list:
    """The package's source and data files a step's tables rest on: the static import closure
    (:mod:`ceasefire_stats.core.imports`) of its module and of :data:`CODE_ROOTS`."""
    return imports.closure((step.module, *CODE_ROOTS), paths.PACKAGE_DIR, skip=CODE_SKIP)


def code_fingerprint(step: Step) -> str:
    """sha256 over the files of :func:`code_files` (names and bytes): a table built by other
    code is stale, and a change to a module the step does not import (a plot, a notebook
    helper, another source's cleaner) leaves it current. A step's fingerprint carries those of
    the steps it needs (:func:`fingerprint`), so editing a cleaner makes its step and every
    step downstream stale. The files are read again only when their sizes or modification
    times change: every freshness check of every step asks."""
    files = code_files(step)
    key = tuple((str(path), st.st_size, st.st_mtime_ns) for path in files for st in (path.stat(),))
    cached = _code_digests.get(step.name)
    if cached is None or cached[0] != key:
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.relative_to(paths.PACKAGE_DIR).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
        cached = _code_digests[step.name] = (key, digest.hexdigest())
    return cached[1]


def _generation() -> Path:
    """The folder of the published generation of the processed folder (resolved once by a
    reader that reads several of its files, so that they are all of one build)."""
    return current_generation(paths.processed_dir())


def read_manifest(folder: Path | None = None) -> dict:
    """The current build manifest (of the generation in ``folder``, default the published one),
    or an empty one (also when it is unreadable: the next build rewrites it, and until then
    every table counts as stale)."""
    path = (folder or _generation()) / MANIFEST
    if not path.is_file():
        return {"steps": {}, "outputs": {}}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or not isinstance(manifest.get("steps"), dict):
            raise ValueError("not a build manifest")
    except (ValueError, UnicodeDecodeError, RecursionError):  # a hand-edited or corrupted file
        log.warning("the build manifest %s is unreadable; every table will be rebuilt", path)
        return {"steps": {}, "outputs": {}}
    manifest.setdefault("outputs", {})
    return manifest


def _files(step: Step) -> list[str]:
    return [f"{t}.parquet" for t in step.outputs]


def _output_intact(name: str, manifest: dict, folder: Path | None = None) -> bool:
    """The file exists and its bytes are those the manifest recorded when it was written."""
    path = (folder or paths.processed_dir()) / name
    recorded = manifest.get("outputs", {}).get(name)
    return recorded is not None and path.is_file() and sha256_file(path) == recorded


def _is_current(step: Step, manifest: dict, versions: Mapping[str, str] | None = None,
                folder: Path | None = None) -> bool:
    entry = manifest.get("steps", {}).get(step.name)
    return bool(
        entry
        and entry.get("inputs") == fingerprint(step, versions)
        and entry.get("package_version") == __version__
        and entry.get("code_sha256") == code_fingerprint(step)
        and all(_output_intact(name, manifest, folder) for name in _files(step))
    )


def _plan(selected: list[Step], manifest: dict, versions: Mapping[str, str] | None = None) -> list[Step]:
    """The selected steps plus every step whose table they need (transitively) and that is
    missing or stale, in :data:`STEPS` order."""
    producers = tables()
    chosen = {s.name for s in selected}
    pending = list(selected)
    while pending:
        step = pending.pop()
        for table in step.needs:
            upstream = producers[table]
            if upstream.name not in chosen and not _is_current(upstream, manifest, versions):
                chosen.add(upstream.name)
                pending.append(upstream)
    return [s for s in STEPS if s.name in chosen]


def _run(step: Step, available: Mapping[str, pd.DataFrame | PartedTable], versions: Mapping[str, str] | None = None,
         builder: Callable[[StepInputs], StepResult] | None = None) -> StepResult:
    from ceasefire_stats.core.fields import validate_table

    step.check()  # imports the step's module: its line of STEPS must say what it does
    inputs = StepInputs(
        raw={name: source_versions.require(name, _label(name, versions)) for name in step.sources},
        curated={name: paths.curated_dir(name) for name in step.curated},
        tables={table: parts.as_frame(available[table]) if table in available else _read_table(table)
                for table in step.needs},
    )
    result = (builder or step.builder)(inputs)
    for ledger in result.ledgers:
        ledger.check()
        if ledger.source in result.ledger_tables:
            reconcile(ledger, result.tables[result.ledger_tables[ledger.source]])
    for table, frame in result.tables.items():
        result.tables[table] = validate_table(frame, result.schemas[table], result.id_columns.get(table))
    return result


def reconcile(ledger: Ledger, table: pd.DataFrame | PartedTable) -> None:
    """Raise :class:`LedgerError` unless ``table`` holds each raw row the ledger did not set
    aside (rejected or duplicate) exactly once, and no other (on arrays of raw rows: a parted
    table is read one column at a time)."""
    import numpy as np

    from ceasefire_stats.core.ledger import LedgerError

    placed = ledger.rows.loc[~ledger.rows["outcome"].isin(["rejected", "duplicate"]), "raw_row"].to_numpy("int64")
    rows = parts.column(table, "raw_row")
    twice = [int(r) for r in rows[rows.duplicated()].unique()[:10]]
    rows = rows.to_numpy("int64")
    missing = np.setdiff1d(placed, rows)[:10].tolist()
    extra = np.setdiff1d(rows, placed)[:10].tolist()
    if twice or missing or extra:
        raise LedgerError(
            f"{ledger.source}: the table does not match the ledger: raw rows twice {twice}, "
            f"kept but missing {missing}, present but not kept {extra}"
        )


class EngineError(CeasefireStatsError):
    """An unknown build engine, or the dask engine without dask installed."""


@contextlib.contextmanager
def _engine(name: str, plan: list[Step], scheduler: object = None, workers: int | None = None,
            partition_rows: int | None = None, scheduler_timeout: float | None = None):
    """The builders the engine ``name`` runs instead of the steps' own (pandas) builders, by
    step name; for ``dask``, bound to a client of ``scheduler`` (or of a new ``LocalCluster``)
    that is open for the block, and only when the plan has a step the dask engine builds."""
    from ceasefire_stats.engines import ENGINES

    if name not in ENGINES:
        raise EngineError(f"unknown build engine {name!r}; known: {list(ENGINES)}")
    if name == "pandas":
        yield {}
        return
    try:
        from ceasefire_stats.engines import dask_engine
    except ImportError as exc:
        raise EngineError(f"the dask engine needs dask ({exc}); install the extra: "
                          "pip install 'ceasefire-stats[dask]'") from None
    names = set(dask_engine.steps(plan))
    for step in plan:
        if step.name not in names and step.sources:  # raw files read whole, on the pandas engine
            log.warning("step %s has no dask builder: built on the pandas engine", step.name)
    if not names & {s.name for s in plan}:  # no cluster started in vain
        yield {}
        return
    options = {} if partition_rows is None else {"partition_rows": partition_rows}
    timeout = {} if scheduler_timeout is None else {"timeout": scheduler_timeout}
    with dask_engine.session(plan, scheduler, workers, **options, **timeout) as builders:
        yield builders


def build(names: Iterable[str] | None = None, force: bool = False,
          versions: Mapping[str, str] | None = None, engine: str = "pandas", scheduler: object = None,
          workers: int | None = None, partition_rows: int | None = None,
          scheduler_timeout: float | None = None) -> dict[str, dict]:
    """Build the selected steps (all by default) that are missing or stale, or all of them with
    ``force``, and any missing or stale step whose table they need; return each built step's
    manifest entry (empty when everything is current). ``versions`` picks a registered version
    of a source instead of its pinned file (``{"airforce_strikes": "2026-04-04"}``).

    ``engine="dask"`` (extra ``ceasefire-stats[dask]``) builds the Air Force and MoD steps with
    ``dask.dataframe`` over Parquet partitions of ``partition_rows`` raw rows
    (:mod:`ceasefire_stats.engines.dask_engine`), on the ``dask.distributed`` scheduler at
    ``scheduler`` (an address, a ``LocalCluster`` or a ``Client``) or on a new ``LocalCluster`` of
    ``workers`` worker processes; the tables and ledgers are those of the pandas engine, byte for
    byte. Steps it has no builder for run on the pandas engine (a warning says so). A scheduler
    address that does not answer within ``scheduler_timeout`` seconds (default
    :data:`~ceasefire_stats.engines.dask_engine.CONNECT_TIMEOUT`) is a
    :class:`~ceasefire_stats.engines.dask_engine.SchedulerError`, before anything is built.

    Nothing is written unless every step of the plan succeeds, validates and balances.
    """
    versions = check_versions(versions)
    manifest = read_manifest()
    selected = _select(names)
    if not force:
        selected = [step for step in selected if not _is_current(step, manifest, versions)]
    plan = _plan(selected, manifest, versions)
    if not plan:
        return {}
    results: dict[str, StepResult] = {}
    built: dict[str, pd.DataFrame | PartedTable] = {}  # tables of this build, handed to later steps
    with _engine(engine, plan, scheduler, workers, partition_rows, scheduler_timeout) as builders:
        for step in plan:
            results[step.name] = _run(step, built, versions, builders.get(step.name))
            built.update(results[step.name].tables)
        # written while the engine is open: a parted table's files are in its scratch folder
        manifest = _publish(plan, results, versions, engine, builders)
    return {s.name: manifest["steps"][s.name] for s in plan}


def _publish(plan: list[Step], results: dict[str, StepResult], versions: Mapping[str, str],
             engine: str, builders: Mapping[str, object]) -> dict:
    """Write every table and ledger of a successful build and the manifest that vouches for them
    into a new generation of the processed folder, and publish it in one switch (under the build
    lock; :func:`~ceasefire_stats.core.files.new_generation`); return the manifest."""
    with _write_lock(paths.processed_dir()) as folder, new_generation(folder) as out_dir:
        manifest = read_manifest()  # again: another build may have published since we read it
        manifest["package_version"] = __version__
        for step in plan:
            result = results[step.name]
            written = {f"{table}.parquet": frame for table, frame in result.tables.items()}
            for ledger in result.ledgers:
                written[f"ledger_{ledger.source}.parquet"] = ledger.rows
                written[f"rejects_{ledger.source}.parquet"] = ledger.rejects
                written[f"flags_{ledger.source}.parquet"] = ledger.flags
            for name, frame in written.items():
                write_table(frame, out_dir / name)  # a parted table part by part
                manifest["outputs"][name] = sha256_file(out_dir / name)
            manifest["steps"][step.name] = {
                "inputs": fingerprint(step, versions),
                "versions": {name: source_versions.describe(name, _label(name, versions))
                             for name in _sources_read(step)},
                "package_version": __version__,
                "code_sha256": code_fingerprint(step),
                "engine": engine if step.name in builders else "pandas",
                "tables": {t: len(f) for t, f in sorted(result.tables.items())},
                "ledgers": [ledger.summary() for ledger in result.ledgers],
            }
        write_json(manifest, out_dir / MANIFEST)
    # the block's end published the generation: tables, ledgers and manifest in one switch
    return manifest


@contextlib.contextmanager
def _write_lock(out_dir):
    """Hold the processed folder's build lock while writing; remove temporary files that a
    killed build left (no other build writes while the lock is held)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        handle = open(out_dir / LOCK, "a")  # held for the whole block
    except OSError as exc:
        raise OutputError(f"cannot write to the folder {out_dir}: {exc.strerror or type(exc).__name__}. Make "
                          "sure it is a writable folder with free space, or choose another one with "
                          "CEASEFIRE_STATS_PROCESSED; outputs already there are unchanged") from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        for stale in out_dir.glob(f".*{TEMP_SUFFIX}"):
            stale.unlink(missing_ok=True)
        yield out_dir


def _read_table(table: str, trusted: bool = False, folder: Path | None = None) -> pd.DataFrame:
    """A built table (of the generation in ``folder``, default the published one); validated
    against its schema unless ``trusted`` (its bytes were just checked against the manifest,
    written after validation)."""
    from ceasefire_stats.core.fields import validate

    step = tables()[table]
    path = (folder or paths.processed_dir()) / f"{table}.parquet"
    try:
        frame = read_parquet(path)
    except (OSError, ValueError) as exc:
        raise CeasefireStatsError(f"cannot read the table {path}: {exc}; rebuild it with "
                                  f"`ceasefire-stats build {step.name}`") from None
    return frame if trusted else validate(frame, step.schemas[table])


def load(table: str, rebuild: bool = False, versions: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A validated tidy table by name, building it first if it is missing or stale (and saying
    so in one line on the ``ceasefire_stats`` logger, shown on stderr); from the versions of
    sources chosen in ``versions`` (default: the pinned files).

    >>> load("no_such_table")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ceasefire_stats.pipeline.UnknownTableError: unknown table 'no_such_table'; known: [...]
    """
    step = tables().get(table)
    if step is None:
        raise UnknownTableError(f"unknown table {table!r}; known: {sorted(tables())}")
    versions = check_versions(versions)
    folder = _generation()  # manifest and table of one generation, whatever another build publishes meanwhile
    if rebuild or not _is_current(step, read_manifest(folder), versions, folder):
        log.warning("building %s (step %s): missing, stale or changed since the last build", table, step.name)
        build([step.name], force=True, versions=versions)
        folder = _generation()
        if not _is_current(step, read_manifest(folder), versions, folder):  # replaced meanwhile
            return _read_table(table)
    return _read_table(table, trusted=True, folder=folder)


def load_ledger(source: str) -> Ledger:
    """The :class:`~ceasefire_stats.core.ledger.Ledger` of one raw source (or curated file)
    from the last build: where every raw row went, the rejects and the flags."""
    from ceasefire_stats.core.ledger import Ledger

    out = _generation()  # the three files of one build
    rows, rejects, flags = (read_parquet(out / f"{kind}_{source}.parquet") for kind in ("ledger", "rejects", "flags"))
    extra = tuple(sorted(set(rows["outcome"]) - {"kept", "rejected", "duplicate"}))
    return Ledger(source, rows=rows, rejects=rejects, flags=flags, extra_outcomes=extra)


def _sources_read(step: Step) -> list[str]:
    """Every source a step reads, itself or through the tables it needs (sorted)."""
    producers = tables()
    found = set(step.sources)
    for table in step.needs:
        found.update(_sources_read(producers[table]))
    return sorted(found)


def versions_used() -> pd.DataFrame:
    """Which version of each source the current tables were built from: one row per step and
    source it read (directly or through the tables it needs), with the label (``pinned`` for
    the registry's file) and sha256, from the build manifest. The data-versions cell of a
    notebook shows it."""
    import pandas as pd

    rows = []
    for name, entry in sorted(read_manifest().get("steps", {}).items()):
        used = entry.get("versions") or {}
        step = {s.name: s for s in STEPS}.get(name)
        for source in (_sources_read(step) if step is not None else sorted(used)):
            info = used.get(source, {"label": source_versions.PINNED, "sha256": entry.get("inputs", {}).get(source)})
            rows.append({"step": name, "source": source, "label": info.get("label"),
                         "sha256": (info.get("sha256") or "")[:12]})
    return pd.DataFrame(rows, columns=["step", "source", "label", "sha256"])
