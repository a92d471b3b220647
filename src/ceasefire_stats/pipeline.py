"""Build: raw files -> validated tidy tables in ``data/processed/`` (Parquet) + a manifest.

Each source has one *step*: a function in a ``clean`` module that reads its verified raw
files and returns a :class:`StepResult` (tables, their schemas, and a ledger per raw file).
:func:`build` runs the steps, checks every ledger and validates every table **before**
writing anything, then writes each file atomically; an interrupted or failed build leaves
the previous outputs intact. ``build_manifest.json`` records the input sha256s, row
counts, ledgers and package version; identical inputs give byte-identical outputs.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterable

import pandas as pd
import pandera.pandas as pa

from ceasefire_stats import __version__, paths, sources
from ceasefire_stats.errors import CeasefireStatsError
from ceasefire_stats.fields import validate
from ceasefire_stats.io import read_parquet, write_json, write_parquet
from ceasefire_stats.ledger import Ledger, LedgerError
from ceasefire_stats.steps import StepResult

MANIFEST = "build_manifest.json"
_PENDING: dict[str, pd.DataFrame] = {}  # tables validated by the build under way, not yet written


@dataclasses.dataclass(frozen=True)
class Step:
    """A build step: its name, the registry sources it reads, the tables it writes, and
    the dotted path ``module:function`` of its builder (imported only when run)."""

    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    target: str

    def run(self) -> StepResult:
        module, _, func = self.target.partition(":")
        builder: Callable[[], StepResult] = getattr(importlib.import_module(module), func)
        return builder()


# One line per source, in dependency order (claim_checks reads the tables built before it).
STEPS: tuple[Step, ...] = (
    Step("airforce", ("airforce_strikes", "weapons"), ("strikes", "strike_regions"), "ceasefire_stats.clean.airforce:build"),
    Step("mod", ("mod_posts",), ("mod_posts", "mod_post_regions"), "ceasefire_stats.clean.mod_posts:build"),
    Step("claims", (), ("claims",), "ceasefire_stats.clean.claims:build"),
    Step("claim_checks", (), ("claim_checks",), "ceasefire_stats.check:build"),
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


def _run(step: Step) -> StepResult:
    for name in step.inputs:
        sources.require(name)
    result = step.run()
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


def _inputs_fingerprint(step: Step) -> dict[str, str]:
    """sha256 of every input: the registry files, plus, when the step's module defines
    ``input_fingerprint()`` (inputs that are not registry files, e.g. curated claim files),
    the sha256s it returns."""
    fingerprint = {name: sources.get_source(name).sha256 for name in step.inputs}
    extra = getattr(importlib.import_module(step.target.partition(":")[0]), "input_fingerprint", None)
    if extra is not None:
        fingerprint.update(extra())
    return fingerprint


def code_fingerprint() -> str:
    """sha256 over the package's source files: a table built by other code is stale."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(paths.PACKAGE_DIR.rglob("*")):
        if path.suffix in {".py", ".toml", ".yaml", ".csv"} and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(paths.PACKAGE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def read_manifest() -> dict:
    """The current build manifest, or an empty one."""
    import json

    path = paths.processed_dir() / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"steps": {}}


def build(names: Iterable[str] | None = None) -> dict[str, dict]:
    """Build the selected steps (all by default); return each step's manifest entry.

    Nothing is written unless every selected step succeeds, validates and balances.
    """
    selected = _select(names)
    results: dict[str, StepResult] = {}
    try:
        for step in selected:
            results[step.name] = _run(step)
            # a later step of this build (claim_checks) reads these from memory: nothing is
            # written unless every step succeeds
            _PENDING.update(results[step.name].tables)
    finally:
        _PENDING.clear()
    out_dir = paths.processed_dir()
    manifest = read_manifest()
    manifest["package_version"] = __version__
    for step in selected:
        result = results[step.name]
        for table, frame in result.tables.items():
            write_parquet(frame, out_dir / f"{table}.parquet")
        for ledger in result.ledgers:
            write_parquet(ledger.rows, out_dir / f"ledger_{ledger.source}.parquet")
            write_parquet(ledger.rejects, out_dir / f"rejects_{ledger.source}.parquet")
            write_parquet(ledger.flags, out_dir / f"flags_{ledger.source}.parquet")
        manifest["steps"][step.name] = {
            "inputs": _inputs_fingerprint(step),
            "package_version": __version__,
            "code_sha256": code_fingerprint(),
            "tables": {t: len(f) for t, f in sorted(result.tables.items())},
            "ledgers": [ledger.summary() for ledger in result.ledgers],
        }
    write_json(manifest, out_dir / MANIFEST)
    return {s.name: manifest["steps"][s.name] for s in selected}


def _is_current(step: Step, manifest: dict) -> bool:
    entry = manifest.get("steps", {}).get(step.name)
    return bool(
        entry
        and entry.get("inputs") == _inputs_fingerprint(step)
        and entry.get("package_version") == __version__
        and entry.get("code_sha256") == code_fingerprint()
        and all((paths.processed_dir() / f"{t}.parquet").is_file() for t in step.outputs)
    )


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
    if table in _PENDING and not rebuild:
        return _PENDING[table]
    if rebuild or not _is_current(step, read_manifest()):
        build([step.name])
    frame = read_parquet(paths.processed_dir() / f"{table}.parquet")
    schema = schema_of(step, table)
    return validate(frame, schema) if schema is not None else frame


def schema_of(step: Step, table: str) -> pa.DataFrameSchema | None:
    """The schema of ``table``: the ``SCHEMAS`` dict of the step's module."""
    module = importlib.import_module(step.target.partition(":")[0])
    return getattr(module, "SCHEMAS", {}).get(table)


def load_ledger(source: str) -> dict[str, pd.DataFrame]:
    """The ledger, rejects and flags of one raw source from the last build."""
    out = paths.processed_dir()
    return {kind: read_parquet(out / f"{kind}_{source}.parquet") for kind in ("ledger", "rejects", "flags")}
