"""Build: raw files and curated data -> validated tidy tables in ``data/processed/`` + a manifest.

Each step is one line of :data:`STEPS`: its name, the function that builds it, the tables it
writes and their schemas, and what it reads: registry ``sources`` (verified raw files),
``curated`` folders (our own committed data) and the tables it ``needs`` from earlier steps.
The pipeline hands every step its inputs (:class:`~ceasefire_stats.core.step.StepInputs`);
no step fetches a file or loads a table itself.

:func:`build` runs the selected steps, plus any step whose table they need and that is missing
or stale, in one transaction: every ledger is checked and every table validated **before**
anything is written, so a failing step writes nothing at all (not even the upstream tables it
rebuilt on the way). ``build_manifest.json`` records, per step, the fingerprint of its inputs
(sources' sha256, curated files' sha256, and the fingerprints of the steps it needs), the code's
sha256, row counts and ledgers; identical inputs give byte-identical outputs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping

import pandas as pd
import pandera.pandas as pa

from ceasefire_stats.analysis import claim_checks, truce_effects
from ceasefire_stats.clean import airforce, calendar, claims, mod_posts
from ceasefire_stats.core import paths, sources
from ceasefire_stats.core.errors import CeasefireStatsError
from ceasefire_stats.core.fields import validate
from ceasefire_stats.core.files import read_parquet, sha256_file, write_json, write_parquet
from ceasefire_stats.core.ledger import Ledger, LedgerError
from ceasefire_stats.core.step import StepInputs, StepResult
from ceasefire_stats.core.version import __version__

MANIFEST = "build_manifest.json"


@dataclasses.dataclass(frozen=True)
class Step:
    """A build step: its name, its builder, the tables it writes (with their schemas), and the
    registry sources, curated folders and upstream tables it reads."""

    name: str
    builder: Callable[[StepInputs], StepResult]
    schemas: Mapping[str, pa.DataFrameSchema]
    sources: tuple[str, ...] = ()
    curated: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()

    @property
    def outputs(self) -> tuple[str, ...]:
        return tuple(self.schemas)


# One line per step, in dependency order (a step needs only tables of steps above it).
STEPS: tuple[Step, ...] = (
    Step("airforce", airforce.build, airforce.SCHEMAS, sources=("airforce_strikes", "weapons")),
    Step("mod", mod_posts.build, mod_posts.SCHEMAS, sources=("mod_posts",)),
    Step("claims", claims.build, claims.SCHEMAS, curated=("claims",)),
    Step("calendar", calendar.build, calendar.SCHEMAS, curated=("calendar",)),
    Step("claim_checks", claim_checks.build, claim_checks.SCHEMAS, needs=claim_checks.NEEDS),
    Step("truce_effects", truce_effects.build, truce_effects.SCHEMAS, needs=truce_effects.NEEDS),
)


class UnknownTableError(CeasefireStatsError):
    """``load`` was asked for a table no step produces."""


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


def _curated_files(step: Step) -> dict[str, str]:
    out = {}
    for name in step.curated:
        folder = paths.curated_dir(name)
        files = sorted(p for p in folder.glob("*") if p.is_file() and p.suffix in {".yaml", ".yml", ".csv"}) \
            if folder.is_dir() else []
        out.update({f"{name}/{p.name}": sha256_file(p) for p in files})
    return out


def fingerprint(step: Step) -> dict[str, str]:
    """What a step's outputs depend on, besides the code: the sha256 of every registry source
    and curated file it reads, and the fingerprint of every step whose table it needs."""
    out = {name: sources.get_source(name).sha256 for name in step.sources}
    out.update(_curated_files(step))
    producers = tables()
    for table in step.needs:
        upstream = json.dumps(fingerprint(producers[table]), sort_keys=True).encode()
        out[f"needs:{table}"] = hashlib.sha256(upstream).hexdigest()
    return out


def code_fingerprint() -> str:
    """sha256 over the package's source files: a table built by other code is stale. (Curated
    data are inputs of the steps that read them, not code.)"""
    digest = hashlib.sha256()
    for path in sorted(paths.PACKAGE_DIR.rglob("*")):
        rel = path.relative_to(paths.PACKAGE_DIR)
        if path.suffix in {".py", ".toml", ".yaml", ".csv"} and "__pycache__" not in rel.parts \
                and rel.parts[0] != "curated":
            digest.update(str(rel).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def read_manifest() -> dict:
    """The current build manifest, or an empty one."""
    path = paths.processed_dir() / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"steps": {}}


def _is_current(step: Step, manifest: dict) -> bool:
    entry = manifest.get("steps", {}).get(step.name)
    return bool(
        entry
        and entry.get("inputs") == fingerprint(step)
        and entry.get("package_version") == __version__
        and entry.get("code_sha256") == code_fingerprint()
        and all((paths.processed_dir() / f"{t}.parquet").is_file() for t in step.outputs)
    )


def _plan(selected: list[Step], manifest: dict) -> list[Step]:
    """The selected steps plus every step whose table they need (transitively) and that is
    missing or stale, in :data:`STEPS` order."""
    producers = tables()
    chosen = {s.name for s in selected}
    pending = list(selected)
    while pending:
        step = pending.pop()
        for table in step.needs:
            upstream = producers[table]
            if upstream.name not in chosen and not _is_current(upstream, manifest):
                chosen.add(upstream.name)
                pending.append(upstream)
    return [s for s in STEPS if s.name in chosen]


def _run(step: Step, available: Mapping[str, pd.DataFrame]) -> StepResult:
    inputs = StepInputs(
        raw={name: sources.require(name) for name in step.sources},
        curated={name: paths.curated_dir(name) for name in step.curated},
        tables={table: available[table] if table in available else _read_table(table) for table in step.needs},
    )
    result = step.builder(inputs)
    for ledger in result.ledgers:
        ledger.check()
        if ledger.source in result.ledger_tables:
            reconcile(ledger, result.tables[result.ledger_tables[ledger.source]])
    for table, frame in result.tables.items():
        result.tables[table] = validate(frame, result.schemas[table], result.id_columns.get(table))
    return result


def reconcile(ledger: Ledger, table: pd.DataFrame) -> None:
    """Raise :class:`LedgerError` unless ``table`` holds each raw row the ledger did not set
    aside (rejected or duplicate) exactly once, and no other."""
    placed = ledger.rows.loc[~ledger.rows["outcome"].isin(["rejected", "duplicate"]), "raw_row"]
    rows = table["raw_row"]
    twice = [int(r) for r in rows[rows.duplicated()].unique()]
    missing = sorted(int(r) for r in set(placed) - set(rows))
    extra = sorted(int(r) for r in set(rows) - set(placed))
    if twice or missing or extra:
        raise LedgerError(
            f"{ledger.source}: the table does not match the ledger: raw rows twice {twice[:10]}, "
            f"kept but missing {missing[:10]}, present but not kept {extra[:10]}"
        )


def build(names: Iterable[str] | None = None) -> dict[str, dict]:
    """Build the selected steps (all by default) and any missing or stale step whose table
    they need; return each built step's manifest entry.

    Nothing is written unless every step of the plan succeeds, validates and balances.
    """
    manifest = read_manifest()
    plan = _plan(_select(names), manifest)
    results: dict[str, StepResult] = {}
    built: dict[str, pd.DataFrame] = {}  # tables of this build, handed to later steps from memory
    for step in plan:
        results[step.name] = _run(step, built)
        built.update(results[step.name].tables)
    out_dir = paths.processed_dir()
    manifest["package_version"] = __version__
    for step in plan:
        result = results[step.name]
        for table, frame in result.tables.items():
            write_parquet(frame, out_dir / f"{table}.parquet")
        for ledger in result.ledgers:
            write_parquet(ledger.rows, out_dir / f"ledger_{ledger.source}.parquet")
            write_parquet(ledger.rejects, out_dir / f"rejects_{ledger.source}.parquet")
            write_parquet(ledger.flags, out_dir / f"flags_{ledger.source}.parquet")
        manifest["steps"][step.name] = {
            "inputs": fingerprint(step),
            "package_version": __version__,
            "code_sha256": code_fingerprint(),
            "tables": {t: len(f) for t, f in sorted(result.tables.items())},
            "ledgers": [ledger.summary() for ledger in result.ledgers],
        }
    write_json(manifest, out_dir / MANIFEST)
    return {s.name: manifest["steps"][s.name] for s in plan}


def _read_table(table: str) -> pd.DataFrame:
    step = tables()[table]
    frame = read_parquet(paths.processed_dir() / f"{table}.parquet")
    return validate(frame, step.schemas[table])


def load(table: str, rebuild: bool = False) -> pd.DataFrame:
    """A validated tidy table by name, building it first if it is missing or stale.

    >>> load("no_such_table")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ceasefire_stats.pipeline.UnknownTableError: unknown table 'no_such_table'; known: [...]
    """
    step = tables().get(table)
    if step is None:
        raise UnknownTableError(f"unknown table {table!r}; known: {sorted(tables())}")
    if rebuild or not _is_current(step, read_manifest()):
        build([step.name])
    return _read_table(table)


def load_ledger(source: str) -> Ledger:
    """The :class:`~ceasefire_stats.core.ledger.Ledger` of one raw source (or curated file)
    from the last build: where every raw row went, the rejects and the flags."""
    out = paths.processed_dir()
    rows, rejects, flags = (read_parquet(out / f"{kind}_{source}.parquet") for kind in ("ledger", "rejects", "flags"))
    extra = tuple(sorted(set(rows["outcome"]) - {"kept", "rejected", "duplicate"}))
    return Ledger(source, rows=rows, rejects=rejects, flags=flags, extra_outcomes=extra)
