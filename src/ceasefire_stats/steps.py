"""What a cleaner's build function returns to the pipeline.

This sits below ``clean/`` so that cleaners never import the pipeline (data flows one way:
the pipeline imports cleaners, not the reverse).
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pandera.pandas as pa

from ceasefire_stats.ledger import Ledger


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
