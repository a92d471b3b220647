"""The claims step: every curated claim file -> ``claims``, ``claim_source_errors`` and a
ledger per file. Each file is read on its own (:func:`~ceasefire_stats.clean.claims.document.read_file`,
problems collected, not raised); :func:`combine` runs the passes over every file (an id in two
files) and raises every problem at once, or makes the tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from ceasefire_stats.clean.claims.document import (
    ABOUT_TOLERANCE,
    ERROR_COLUMNS,
    SCHEMAS,
    Calendar,
    FileResult,
    _frame,
    claim_files,
    read_file,
)
from ceasefire_stats.core import safe_yaml
from ceasefire_stats.core.errors import InputError
from ceasefire_stats.core.fields import cast
from ceasefire_stats.core.ledger import Ledger
from ceasefire_stats.core.safe_yaml import Problem
from ceasefire_stats.core.step import StepInputs, StepResult


def combine(results: Sequence[FileResult]) -> tuple[pd.DataFrame, pd.DataFrame, list[Ledger]]:
    """The files read (:func:`~ceasefire_stats.clean.claims.document.read_file`, in file order) ->
    ``claims``, ``claim_source_errors`` and a ledger per file. Raises :class:`InputError` listing
    every problem (file, line, claim id, field) if any record is bad, or if an id appears in two
    files."""
    problems = [p for r in results for p in r.problems]
    first_file: dict[str, str] = {}
    for result in results:
        for row in result.rows:
            cid = str(row["claim_id"])
            if cid in first_file:
                problems.append(Problem(result.path.name, int(row["source_line"]), (("claim", cid),), "id",
                                        f"duplicated id (also in {first_file[cid]})"))
            first_file.setdefault(cid, result.path.name)
    if len(problems) == 1:
        raise InputError(f"{problems[0]}; fix it in the curated claim file (nothing was written)")
    if problems:
        raise safe_yaml.problems_error(problems, "curated claim files", "fix them (nothing was written)")
    rows = [row for r in results for row in r.rows]
    errors = cast(pd.DataFrame([e for r in results for e in r.errors], columns=ERROR_COLUMNS), ERROR_COLUMNS)
    return _frame(rows), errors, [r.ledger for r in results]


def read_claims(folder: str | Path | None = None, files: Iterable[str | Path] | None = None,
                about_tolerance: float = ABOUT_TOLERANCE,
                calendar: pd.DataFrame | str | Path | None = None) -> tuple[pd.DataFrame, list[Ledger]]:
    """Read every claims file; return the ``claims`` table and a ledger per file.

    Raises :class:`InputError` listing every problem (file, line, claim id, field) if any
    record is bad, or if an id appears in two files.
    """
    table, _, ledgers = read_documents(folder, files, about_tolerance, calendar)
    return table, ledgers


def read_documents(folder: str | Path | None = None, files: Iterable[str | Path] | None = None,
                   about_tolerance: float = ABOUT_TOLERANCE, calendar: pd.DataFrame | str | Path | None = None,
                   ) -> tuple[pd.DataFrame, pd.DataFrame, list[Ledger]]:
    """Like :func:`read_claims`, also returning ``claim_source_errors`` (one row per error the
    curator flagged in a source document: ``source.errors``). ``calendar`` (the ``ceasefire_windows``
    table or a calendar folder; default ``curated/calendar``) resolves ``count.window_id``."""
    paths_ = [Path(p) for p in files] if files is not None else claim_files(folder)
    cal = Calendar(calendar)
    return combine([read_file(p, about_tolerance, cal) for p in paths_])


def build(inputs: StepInputs) -> StepResult:
    """Build step ``claims``: every claim file of the curated folder it is handed."""
    table, errors, ledgers = read_documents(inputs.curated["claims"], calendar=inputs.curated["calendar"])
    return StepResult(tables={"claims": table, "claim_source_errors": errors}, schemas=SCHEMAS, ledgers=ledgers,
                      id_columns={"claims": "claim_id", "claim_source_errors": "source_doc"})

