"""Every column of every tidy table, defined once: name, dtype, unit, meaning, checks.

Schemas (:func:`schema`) are assembled from these definitions, so a column shared by
several tables (``raw_row``, ``attribution_date``...) cannot drift between them. A module
that introduces new columns registers them with :func:`define` at import time.

>>> f = get("raw_row")
>>> f.dtype, f.nullable
('Int64', False)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from ceasefire_stats.core.errors import ValidationError
from ceasefire_stats.core.parts import PartedTable


@dataclasses.dataclass(frozen=True)
class Field:
    """One column: its pandas dtype, unit, meaning, nullability and value checks."""

    name: str
    dtype: str
    description: str
    unit: str = ""
    nullable: bool = True
    unique: bool = False
    checks: tuple[pa.Check, ...] = ()

    def column(self, **overrides: object) -> pa.Column:
        """This field as a pandera column. ``overrides`` adapt it to one table without
        redefining its meaning: ``unique=True``, ``nullable=False``, or ``dtype`` for the
        time zone of a timestamp (``"datetime64[us, Europe/Kyiv]"``)."""
        options = {"nullable": self.nullable, "unique": self.unique, "checks": list(self.checks)}
        options.update(overrides)
        dtype = options.pop("dtype", self.dtype)
        return pa.Column(dtype, description=self.description, title=self.name, coerce=False, **options)


FIELDS: dict[str, Field] = {}


def define(*fields: Field) -> None:
    """Register fields; a name may be defined only once (same definition re-registering is fine)."""
    for field in fields:
        existing = FIELDS.get(field.name)
        if existing is not None and existing != field:
            raise ValueError(f"field {field.name!r} is already defined differently")
        FIELDS[field.name] = field


def get(name: str) -> Field:
    """The definition of one field."""
    return FIELDS[name]


def schema(
    table: str,
    columns: Iterable[str],
    unique: list[str] | None = None,
    overrides: dict[str, dict[str, object]] | None = None,
    checks: Iterable[pa.Check] = (),
) -> pa.DataFrameSchema:
    """A strict, ordered pandera schema for ``table`` built from registered fields."""
    overrides = overrides or {}
    return pa.DataFrameSchema(
        {name: get(name).column(**overrides.get(name, {})) for name in columns},
        name=table,
        strict=True,
        ordered=True,
        unique=unique,
        checks=list(checks),
    )


def cast_series(values: pd.Series, dtype: str) -> pd.Series:
    """``values`` as ``dtype``; Python ``None`` and NaN become the dtype's missing value.

    >>> cast_series(pd.Series([1, None], dtype=object), "Int64").tolist()
    [1, <NA>]
    >>> cast_series(pd.Series(["a", None], dtype=object), "str").isna().tolist()
    [False, True]
    """
    if str(values.dtype) == dtype:
        return values
    present = values.astype(object).where(values.notna(), None)
    if dtype in ("Int64", "Float64", "boolean"):
        return pd.Series(pd.array(present, dtype=dtype), index=values.index, name=values.name)
    if dtype == "str":
        return present.astype("str")
    if dtype.startswith("datetime64["):
        if getattr(values.dtype, "tz", None) is not None:
            return values.astype(dtype)
        tz_aware = "," in dtype
        return pd.to_datetime(present, utc=tz_aware).astype(dtype)
    return values.astype(dtype)


def cast(frame: pd.DataFrame, columns: Iterable[str], dtypes: dict[str, str] | None = None) -> pd.DataFrame:
    """The one way to give a frame its field types: ``frame[columns]``, each column cast to its
    registered field's dtype (``dtypes`` overrides one table's, e.g. a time zone). Right also
    for an empty frame, and for object columns holding ``None``."""
    dtypes = dtypes or {}
    columns = list(columns)
    return pd.DataFrame({c: cast_series(frame[c], dtypes.get(c, get(c).dtype)) for c in columns},
                        index=frame.index, columns=columns)


def validate(frame: pd.DataFrame, table_schema: pa.DataFrameSchema, id_column: str | None = None) -> pd.DataFrame:
    """Validate ``frame``; on failure raise :class:`ValidationError` naming the table, the
    failing columns and checks, the failing values and the row ids (``id_column``)."""
    try:
        return table_schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        lines = [f"table {table_schema.name!r} failed validation ({len(cases)} failure cases):"]
        for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=True):
            index = group["index"].dropna()
            ids = []
            if id_column is not None and id_column in frame.columns and len(index):
                valid = index[index.isin(frame.index)]
                ids = frame.loc[valid.unique()[:5], id_column].tolist()
            values = group["failure_case"].astype("str").unique()[:5].tolist()
            lines.append(f"  column {column}: check {check}: values {values}" + (f"; {id_column} {ids}" if ids else ""))
        raise ValidationError("\n".join(lines)) from None



def validate_table(table: pd.DataFrame | PartedTable, table_schema: pa.DataFrameSchema,
                   id_column: str | None = None) -> pd.DataFrame | PartedTable:
    """:func:`validate` of a frame, :func:`validate_parts` of a table held as parts."""
    check = validate_parts if isinstance(table, PartedTable) else validate
    return check(table, table_schema, id_column)


def validate_parts(table: PartedTable, table_schema: pa.DataFrameSchema, id_column: str | None = None) -> PartedTable:
    """:func:`validate` for a table held as parts: each part against the schema, then the
    schema's uniqueness (of a column, or of several together) across parts, holding one part and
    a 64-bit hash per row at a time. Rows whose hashes collide are compared by value, so a
    collision cannot pass a duplicate or fail a unique table."""
    for frame in table.frames():
        validate(frame, table_schema, id_column)
    if len(table.files) < 2:  # one part: the schema checked uniqueness already
        return table
    keys = [[name] for name, column in table_schema.columns.items() if column.unique]
    if table_schema.unique:
        keys.append(list(table_schema.unique))
    for columns in keys:
        hashes = np.concatenate([pd.util.hash_pandas_object(frame, index=False).to_numpy()
                                 for frame in table.frames(columns)])
        repeated = pd.Index(hashes).duplicated(keep=False)
        if not repeated.any():
            continue
        suspects = set(hashes[repeated].tolist())
        wanted = columns + ([id_column] if id_column and id_column not in columns else [])
        rows = pd.concat([frame[pd.util.hash_pandas_object(frame[columns], index=False).isin(suspects).to_numpy()]
                          for frame in table.frames(wanted)], ignore_index=True)
        twice = rows[rows.duplicated(columns, keep=False)]
        if len(twice):
            check = "field_uniqueness" if len(columns) == 1 else "multiple_fields_uniqueness"
            values = twice[columns].astype("str").agg(", ".join, axis=1).unique()[:5].tolist()
            ids = twice[id_column].unique()[:5].tolist() if id_column else []
            raise ValidationError(f"table {table_schema.name!r} failed validation across its parts:\n"
                                  f"  column {'+'.join(columns)}: check {check}: values {values}"
                                  + (f"; {id_column} {ids}" if ids else ""))
    return table


define(
    Field("raw_row", "Int64", "line number of the row in the raw file (header = line 1)", nullable=False,
          checks=(pa.Check.ge(2),)),
    Field("source_name", "str", "registry name of the raw file the row comes from", nullable=False),
    Field("claimant", "str", "who makes the claim: 'ua_air_force', 'ru_mod', or a claimant id "
          "from the claims ledger", nullable=False),
    Field("direction", "str", "who attacks whom: 'ru_to_ua' (Russian weapons launched at Ukraine) "
          "or 'ua_to_ru' (Ukrainian weapons over Russia and occupied areas)", nullable=False,
          checks=(pa.Check.isin(["ru_to_ua", "ua_to_ru"]),)),
    Field("window_start", "datetime64[us, UTC]", "start of the reported window, inclusive; "
          "timezone-aware in the reporting side's local time (override dtype per table)"),
    Field("window_end", "datetime64[us, UTC]", "end of the reported window, exclusive; same zone "
          "as window_start"),
    Field("region_id", "str", "canonical region id (docs/DEVELOPING.md): ISO 3166-2 code (UA-xx, RU-xxx), "
          "a compass sector UA-SECTOR-*, a sea SEA-BLACK/SEA-AZOV/SEA-CASPIAN, UA, or a country; a group's "
          "ids joined with '+'; missing only where a table allows it (unknown names are flagged there)"),
    Field("attribution_date", "datetime64[us]", "local calendar date the report is attributed to, "
          "by the one night rule in ceasefire_stats.nights (naive date at midnight)"),
)
