"""A toy build step for pipeline tests (reads no raw file)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ceasefire_stats.core import fields
from ceasefire_stats.core.ledger import Ledger
from ceasefire_stats.core.step import StepInputs, StepResult

fields.define(fields.Field("toy_n", "Int64", "a toy count", checks=(pa.Check.ge(0),)))
SCHEMAS = {"toy": fields.schema("toy", ["raw_row", "toy_n"], unique=["raw_row"])}
DOUBLE_SCHEMAS = {"toy_double": fields.schema("toy_double", ["raw_row", "toy_n"], unique=["raw_row"])}
VALUES = [1, 2, 3]
LOST = None  # a value whose row the toy cleaner 'loses' (to test the reconciliation)
FAIL_DOWNSTREAM = False
RUNS: list[str] = []  # names of the steps run, in order


def build(inputs: StepInputs) -> StepResult:
    RUNS.append("toy")
    frame = pd.DataFrame({"raw_row": pd.array([2, 3, 4], dtype="Int64"), "toy_n": pd.array(VALUES, dtype="Int64")})
    ledger = Ledger.from_parts("toy", pd.RangeIndex(2, 5))
    return StepResult({"toy": frame[frame["toy_n"] != LOST]}, SCHEMAS, [ledger], {"toy": "raw_row"}, {"toy": "toy"})


def build_downstream(inputs: StepInputs) -> StepResult:
    """A step that needs the toy table (as claim_checks needs strikes): it is handed it."""
    RUNS.append("toy_double")
    if FAIL_DOWNSTREAM:
        raise RuntimeError("downstream failed")
    upstream = inputs.tables["toy"]
    return StepResult({"toy_double": upstream.assign(toy_n=upstream["toy_n"] * 2)}, DOUBLE_SCHEMAS, [])
