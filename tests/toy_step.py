"""A toy build step for pipeline tests (reads no raw file)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ceasefire_stats import fields
from ceasefire_stats.ledger import Ledger
from ceasefire_stats.steps import StepResult

fields.define(fields.Field("toy_n", "Int64", "a toy count", checks=(pa.Check.ge(0),)))
SCHEMAS = {"toy": fields.schema("toy", ["raw_row", "toy_n"], unique=["raw_row"])}
VALUES = [1, 2, 3]
LOST = None  # a value whose row the toy cleaner 'loses' (to test the reconciliation)


def build() -> StepResult:
    frame = pd.DataFrame({"raw_row": pd.array([2, 3, 4], dtype="Int64"), "toy_n": pd.array(VALUES, dtype="Int64")})
    ledger = Ledger.from_parts("toy", pd.RangeIndex(2, 5))
    return StepResult({"toy": frame[frame["toy_n"] != LOST]}, SCHEMAS, [ledger], {"toy": "raw_row"}, {"toy": "toy"})


def build_downstream() -> StepResult:
    """A step that reads the toy table through ``load`` (as claim_checks reads strikes)."""
    from ceasefire_stats.pipeline import load

    upstream = load("toy")
    if FAIL_DOWNSTREAM:
        raise RuntimeError("downstream failed")
    frame = upstream.assign(toy_n=upstream["toy_n"] * 2)
    schemas = {"toy_double": fields.schema("toy_double", ["raw_row", "toy_n"], unique=["raw_row"])}
    return StepResult({"toy_double": frame}, schemas, [])


FAIL_DOWNSTREAM = False
