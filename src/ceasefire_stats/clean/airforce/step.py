"""The Air Force step: the strikes file and the weapon reference -> ``strikes``,
``strike_regions`` and the ledger, under the cleaner contract
(:mod:`ceasefire_stats.core.cleaner`): :func:`read`, per-partition :func:`parse`, whole-file
:func:`combine`. The rules are :mod:`~ceasefire_stats.clean.airforce.rules`.

A partition is cleaned by :func:`~ceasefire_stats.clean.airforce.rules.clean` as a whole file
is: its passes over single rows (times, counts, reporting body, weapon model, literal cells,
withheld figures, soft invariants, target and region names, ``strike_id``, which hashes the
row's own text) give the same rows, rejects and flags in a partition as in the whole file. Each
raw row is keyed by content hashes of its report key, natural key and whole row
(:func:`~ceasefire_stats.clean.airforce.rules.row_keys`). :func:`combine` runs the whole-file
passes on the keys with the cleaner's own functions: duplicates and report-key conflicts (a
partition saw only its own copies, so its duplicates and conflicts are found again here),
natural-key collisions among the rows kept, the ledger, and the order: tables in file order,
rejects and flags in the order the cleaner lists them (:data:`REJECT_ORDER`,
:data:`FLAG_ORDER`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from ceasefire_stats.clean import weapons
from ceasefire_stats.clean.airforce.rules import (
    COUNT_COLUMNS,
    SCHEMAS,
    SOURCE,
    clean,
    clean_keyed,
    duplicates_by_hash,
    key_collision_flags,
    key_conflict_rejects,
    read_raw,
    read_raw_chunks,
)
from ceasefire_stats.core import cleaner
from ceasefire_stats.core.cleaner import Combined, Context
from ceasefire_stats.core.ledger import Ledger, LedgerError
from ceasefire_stats.core.memory import return_freed_memory
from ceasefire_stats.core.step import StepInputs, StepResult

_COUNTS = tuple(COUNT_COLUMNS)
_LITERALS = ("border_crossing", "affected region", "destroyed_details", "launched_details", "launch_place_details")
REJECT_ORDER = (
    ("bad_time", "time_start"), ("bad_time", "time_end"), ("window_end_before_start", "time_end"),
    ("implausible_date", "time_start"), ("implausible_date", "time_end"), ("implausible_window", "time_end"),
    *((None, column) for column in _COUNTS),
    ("unknown_reporting_body", "source"), ("missing_model", "model"),
    *((None, column) for column in _LITERALS),
    ("conflicting_key", "source"),
)
"""The order in which :func:`~ceasefire_stats.clean.airforce.rules.clean` lists rejects, by
(reason, column), each in file order; ``None`` is any reason: a count column's rejects come as
one group per problem, the groups in the order of their first row; a literal column's rejects
(several reasons) in file order."""
FLAG_ORDER = (
    "withheld_figures", "unknown_status_data", "dst_local_time", "unknown_model", "natural_key_collision",
    "destroyed_exceeds_launched", "missing_launched", "missing_destroyed", "components_differ_from_launched",
    "region_parts_exceed_destroyed", "unknown_region:target", "unknown_region",
)
"""The order in which :func:`~ceasefire_stats.clean.airforce.rules.clean` lists flags, each in
file order: ``unknown_region:target`` is an ``unknown_region`` flag on the target (detail
``target ...``), listed before those on the regions of the literal cells."""


read = read_raw
read_chunks = read_raw_chunks


def prepare(inputs: StepInputs) -> Context:
    """The strikes file, and the weapon reference every partition is handed (read once, its
    ledger one of the step's)."""
    reference, weapons_ledger = weapons.read_reference(inputs.raw["weapons"])
    return Context(inputs.raw[SOURCE], (reference,), (weapons_ledger,))


def parse(raw: pd.DataFrame, context: Context) -> dict[str, pd.DataFrame]:
    """One partition: :func:`~ceasefire_stats.clean.airforce.rules.clean` on its rows with the
    weapon reference (``context.args``), and the keys of every row; the rejects and flags of the whole-file passes
    (``conflicting_key``, ``natural_key_collision``) are left to :func:`combine`."""
    held = [raw]
    del raw  # (the raw text is freed inside, once read)
    tables, ledger, keys = clean_keyed(held, *context.args)
    rejects = ledger.rejects[ledger.rejects["reason"] != "conflicting_key"]
    flags = ledger.flags[ledger.flags["flag"] != "natural_key_collision"]
    return {"keys": keys, **tables, "rejects": rejects, "flags": flags}


def _unknown(kind: str, values: pd.Series) -> LedgerError:
    return LedgerError(f"{SOURCE}: the cleaner does not know where it lists the {kind} "
                       f"{sorted(set(values))[:5]}; add them to {kind.upper()}_ORDER")


def _reject_order(rejected: pd.DataFrame) -> pd.DataFrame:
    """Rejects in the order :func:`~ceasefire_stats.clean.airforce.rules.clean` lists them (:data:`REJECT_ORDER`)."""
    exact = {f"{r}|{c}": i for i, (r, c) in enumerate(REJECT_ORDER) if r is not None}
    by_column = {c: i for i, (r, c) in enumerate(REJECT_ORDER) if r is None}
    key = rejected["reason"] + "|" + rejected["column"]
    site = key.map(exact).fillna(rejected["column"].map(by_column))
    if site.isna().any():
        raise _unknown("reject", key[site.isna()])
    group = rejected["reason"].where(rejected["column"].isin(_COUNTS), "")
    return cleaner.in_order(rejected, site.to_numpy(dtype="int64"), group)


def _flag_order(flags: pd.DataFrame) -> pd.DataFrame:
    """Flags in the order :func:`~ceasefire_stats.clean.airforce.rules.clean` lists them (:data:`FLAG_ORDER`)."""
    on_target = flags["flag"].eq("unknown_region") & flags["detail"].str.startswith("target ")
    name = flags["flag"].where(~on_target, "unknown_region:target")
    site = pd.Index(FLAG_ORDER).get_indexer(name)
    if (site < 0).any():
        raise _unknown("flag", name[site < 0])
    return cleaner.in_order(flags, site, pd.Series("", index=flags.index))


def combine(pieces: dict[str, list], context: Context | None = None) -> Combined:
    """The whole-file passes on every partition's pieces (``pieces[name]``, partitions in file
    order): duplicates and report-key conflicts, natural-key collisions among the kept rows, the
    ledger, the order of rows. Each table is the kept rows of its partitions in file order (a row
    kept in its partition can only lose that by a duplicate or conflict in another one). Rows are
    told equal by 64-bit hashes of their text: a duplicate found here that the cleaner would not
    call one needs two different rows sharing a hash."""
    return_freed_memory()  # what the partitions' passes freed, before the whole-file passes allocate
    keys = cleaner.whole(pieces["keys"])
    raw_row = keys["raw_row"]
    row_hash = keys["row"].to_numpy()
    is_dup, conflict, duplicates = duplicates_by_hash(keys["report_key"].to_numpy(), lambda rows: row_hash[rows],
                                                      raw_row)
    sources = keys.loc[conflict, "source"]
    if sources.isna().any():  # rows kept in their partition: their source is in the strikes
        wanted = raw_row[conflict]
        found = pd.concat([piece.loc[piece["raw_row"].isin(wanted), ["raw_row", "source_ref"]]
                           for piece in cleaner.frames(pieces["strikes"])])
        sources = sources.fillna(wanted.map(found.set_index("raw_row")["source_ref"]))
    rejected = cleaner.concat([*pieces["rejects"], key_conflict_rejects(raw_row, conflict, sources)])
    rejected = None if rejected is None else _reject_order(rejected)

    is_rejected = raw_row.isin(rejected["raw_row"]).to_numpy() if rejected is not None \
        else np.zeros(len(raw_row), dtype=bool)
    kept = ~is_dup & ~is_rejected
    collisions = key_collision_flags(keys["natural_key"].to_numpy(), kept, raw_row)
    flags = cleaner.concat([*pieces["flags"], collisions])
    flags = None if flags is None else _flag_order(flags)
    ledger = Ledger.from_parts(SOURCE, raw_rows=raw_row, rejected=rejected, duplicates=duplicates, flags=flags)
    kept_rows = raw_row[kept]
    tables = {name: (cleaner.only(f, kept_rows) for f in cleaner.frames(pieces[name])) for name in SCHEMAS}
    return Combined(tables, ledger)


def result(tables: dict[str, object], ledger: Ledger, context: Context) -> StepResult:
    """The step's result: the two tables, their schemas and id columns, the strikes' ledger and
    the weapon reference's."""
    return StepResult(
        tables=tables,
        schemas=dict(SCHEMAS),
        ledgers=[ledger, *context.ledgers],
        id_columns={"strikes": "strike_id", "strike_regions": "strike_id"},
        ledger_tables={ledger.source: "strikes"},
    )


def clean_strikes(path: str | Path, weapons_path: str | Path) -> StepResult:
    """Read and clean any strikes file (not only the registered one) with a weapon reference
    file -> ``StepResult`` (the pandas engine: ``combine([parse(read(path))])``).

    Bad files raise :class:`~ceasefire_stats.core.errors.InputError`; bad rows go to the
    ledger's rejects.
    """
    return cleaner.run(sys.modules[__name__], StepInputs(raw={SOURCE: Path(path), "weapons": Path(weapons_path)}))


def build(inputs: StepInputs) -> StepResult:
    """Build step ``airforce``: the verified strikes file and weapon reference it is handed."""
    return cleaner.run(sys.modules[__name__], inputs)


__all__ = ["FLAG_ORDER", "REJECT_ORDER", "build", "clean", "clean_strikes", "combine", "parse", "prepare", "read",
           "read_chunks", "result"]

