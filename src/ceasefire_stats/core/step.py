"""What a build step receives from the pipeline and returns to it.

This sits below ``clean/`` so that cleaners never import the pipeline (data flows one way:
the pipeline imports cleaners, not the reverse). It imports no pandas or pandera (they appear
in annotations only): the pipeline imports it to check whether steps are current, which a build
with nothing to do must be able to answer without loading them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    import pandera.pandas as pa

    from ceasefire_stats.core.ledger import Ledger


@dataclasses.dataclass
class StepResult:
    """What a build step returns: tables by name, a schema per table, ledgers."""

    tables: dict[str, pd.DataFrame]
    schemas: dict[str, pa.DataFrameSchema]
    ledgers: list[Ledger]
    id_columns: dict[str, str] = dataclasses.field(default_factory=dict)
    #: ledger source -> the table holding its rows: the build proves that table's ``raw_row`` values are
    #: exactly the ledger's rows that were neither rejected nor duplicate (nothing lost, nothing twice)
    ledger_tables: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class StepInputs:
    """Everything a build step reads, handed in by the pipeline (a step never fetches a file
    or loads a table itself): verified raw files by registry name, curated folders by name,
    and the validated tables the step declared it needs, by table name."""

    raw: Mapping[str, Path] = dataclasses.field(default_factory=dict)
    curated: Mapping[str, Path] = dataclasses.field(default_factory=dict)
    tables: Mapping[str, pd.DataFrame] = dataclasses.field(default_factory=dict)
