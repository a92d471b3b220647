"""Export the tables for other tools: CSV, Parquet or Excel, with a data dictionary, the
licence and credit lines of the sources, and a Frictionless Data Package descriptor.

``ceasefire-stats export [TABLE ...] --format csv|parquet|xlsx --out DIR`` writes into ``DIR``:

- one file per table (``<table>.csv``, ``.parquet`` or ``.xlsx``), loaded with
  :func:`ceasefire_stats.pipeline.load` (validated, built first when stale);
- ``data_dictionary.csv``: one row per table and column with the dtype the table has, the
  unit and meaning from the field definitions (:data:`ceasefire_stats.core.fields.FIELDS`),
  whether it may be missing, and the claimant and direction of the table's rows;
- ``sources.csv``: one row per table and input it rests on (registry source or curated folder,
  through the tables it needs) with that input's licence, attribution and citation, read from
  ``registry.toml``;
- ``datapackage.json``: a `Frictionless Data Package <https://datapackage.org>`_ describing each
  file (its columns and their types, the sources and licences), so that other tools read the
  export without this package;
- ``README.md``: the same credit lines, for a person.

In CSV, missing values are empty cells, timestamps are ISO 8601 with their UTC offset
(``2025-03-18T19:00:00+02:00``) and dates ``YYYY-MM-DD``. Excel has no time zones: there a
timestamp is the same ISO 8601 text. The folder is written whole or not at all
(:mod:`ceasefire_stats.reports.outdir`).

>>> frictionless_type("Int64"), frictionless_type("datetime64[us, Europe/Kyiv]"), frictionless_type("str")
('integer', 'datetime', 'string')
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ceasefire_stats.core.errors import CeasefireStatsError

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("csv", "parquet", "xlsx")
"""The file formats of an export."""

MARKER = "datapackage.json"
"""The file that marks a folder as an earlier export (it may be replaced whole)."""

DICTIONARY_COLUMNS = ["table", "column", "dtype", "type", "unit", "nullable", "description", "claimant",
                      "direction"]
SOURCES_COLUMNS = ["table", "input", "kind", "licence", "attribution", "citation", "url"]

#: licences the registry names that have a standard id, for the descriptor's ``licenses``
#: (the registry's own words are kept in ``sources.csv`` and the descriptor's descriptions)
_LICENCE_IDS = {
    "CC BY-NC-SA 4.0": ("CC-BY-NC-SA-4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/"),
    "CC BY 4.0": ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
}

#: curated folders are this project's own data
CURATED_CREDIT = "ceasefire-stats contributors, curated from the documents each file cites"
CURATED_LICENCE = "MIT, as the code of this repository (LICENSE); quoted statements belong to their speakers"


class ExportError(CeasefireStatsError):
    """An export was asked for in a way that cannot be done (format, table)."""


def frictionless_type(dtype: str) -> str:
    """The Table Schema type of a pandas dtype."""
    dtype = str(dtype)
    if dtype.startswith("datetime64["):
        return "datetime" if "," in dtype else "date"
    if dtype.lower().startswith(("int", "uint")):
        return "integer"
    if dtype.lower().startswith("float"):
        return "number"
    if dtype in ("bool", "boolean"):
        return "boolean"
    return "string"


def inputs(table: str) -> list[tuple[str, str]]:
    """The registry sources and curated folders ``table`` rests on, directly or through the
    tables it needs: ``(name, "registry" | "curated")``, sources first, each by name."""
    from ceasefire_stats import pipeline

    producers = pipeline.tables()
    seen, pending = [], [producers[table]]
    while pending:
        step = pending.pop(0)
        if step not in seen:
            seen.append(step)
            pending.extend(producers[t] for t in step.needs)
    return ([(s, "registry") for s in sorted({s for step in seen for s in step.sources})]
            + [(c, "curated") for c in sorted({c for step in seen for c in step.curated})])


def _claimant_direction(frame: pd.DataFrame) -> tuple[str, str] | None:
    """Whose counts a table holds, for its dictionary: its one claimant and direction, or the
    pairs it holds row by row; None when it has no such columns.

    >>> import pandas as pd
    >>> _claimant_direction(pd.DataFrame({"claimant": ["ua_air_force"], "direction": ["ru_to_ua"]}))
    ('ua_air_force', 'ru_to_ua')
    >>> _claimant_direction(pd.DataFrame({"claimant": ["ru_mod", "ua_air_force"], "direction": ["ua_to_ru", "ru_to_ua"]}))
    ('per row: ru_mod (ua_to_ru), ua_air_force (ru_to_ua)', 'per row (column direction)')
    """
    if "claimant" not in frame.columns or "direction" not in frame.columns:
        return None
    pairs = sorted(set(zip(frame["claimant"].dropna(), frame["direction"].dropna(), strict=False)))
    if len(pairs) == 1:
        return pairs[0]
    if len(pairs) <= 3:
        return "per row: " + ", ".join(f"{c} ({d})" for c, d in pairs), "per row (column direction)"
    return "per row (column claimant)", "per row (column direction)"


def _whose(table: str, tables: dict[str, pd.DataFrame]) -> tuple[str, str]:
    """:func:`_claimant_direction` of ``table``; a table without those columns (the regions of
    a report) takes them from the table its step writes beside it, when that has one pair."""
    from ceasefire_stats import pipeline

    own = _claimant_direction(tables[table])
    if own is not None:
        return own
    step = pipeline.tables()[table]
    for sibling in step.outputs:
        schema = step.schemas[sibling]
        if sibling != table and schema is not None and {"claimant", "direction"} <= set(schema.columns):
            frame = tables[sibling] if sibling in tables else pipeline.load(sibling)
            found = _claimant_direction(frame)
            if found is not None and not found[0].startswith("per row"):
                return f"{found[0]} (as {sibling})", f"{found[1]} (as {sibling})"
    return "", ""


def dictionary(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The data dictionary of ``tables``: one row per table and column, in column order."""
    import pandas as pd

    from ceasefire_stats import pipeline
    from ceasefire_stats.core import fields

    rows = []
    for table, frame in tables.items():
        schema = pipeline.tables()[table].schemas[table]
        claimant, direction = _whose(table, tables)
        for column in frame.columns:
            field = fields.FIELDS.get(column)
            declared = schema.columns.get(column) if schema is not None else None
            nullable = declared.nullable if declared is not None else field.nullable if field else True
            description = field.description if field else (declared.description or "") if declared else ""
            rows.append({"table": table, "column": column, "dtype": str(frame[column].dtype),
                         "type": frictionless_type(frame[column].dtype), "unit": field.unit if field else "",
                         "nullable": bool(nullable), "description": description,
                         "claimant": claimant, "direction": direction})
    return pd.DataFrame(rows, columns=DICTIONARY_COLUMNS)


def credits(tables: list[str]) -> pd.DataFrame:
    """The licence and credit lines of the inputs of each table, from ``registry.toml`` (and
    :data:`CURATED_LICENCE` for this project's curated folders)."""
    import pandas as pd

    from ceasefire_stats.core import sources

    rows = []
    for table in tables:
        for name, kind in inputs(table):
            if kind == "registry":
                src = sources.get_source(name)
                rows.append({"table": table, "input": name, "kind": kind, "licence": src.licence,
                             "attribution": src.attribution, "citation": src.citation, "url": src.url})
            else:
                rows.append({"table": table, "input": name, "kind": kind, "licence": CURATED_LICENCE,
                             "attribution": CURATED_CREDIT, "citation": f"src/ceasefire_stats/curated/{name}/",
                             "url": ""})
    return pd.DataFrame(rows, columns=SOURCES_COLUMNS)


def _licences(licence_texts: list[str]) -> list[dict[str, str]]:
    found = []
    for text in licence_texts:
        for prefix, (name, url) in _LICENCE_IDS.items():
            if text.startswith(prefix) and not any(f["name"] == name for f in found):
                found.append({"name": name, "path": url, "title": prefix})
    return found


def descriptor(tables: dict[str, pd.DataFrame], fmt: str, dictionary_: pd.DataFrame,
               credits_: pd.DataFrame) -> dict:
    """The ``datapackage.json`` of an export (Data Package v1 descriptor, Table Schema fields)."""
    from ceasefire_stats.core.version import __version__

    resources = []
    for table in tables:
        columns = dictionary_[dictionary_.table == table]
        credit = credits_[credits_.table == table]
        resource = {
            "name": table.replace("_", "-"),
            "title": table,
            "path": f"{table}.{fmt}",
            "format": fmt,
            "description": f"ceasefire-stats table {table}; rests on "
                           + "; ".join(f"{r.input}: {r.attribution} (licence: {r.licence})" for r in credit.itertuples()),
            "sources": [{"title": r.attribution, **({"path": r.url} if r.url else {})} for r in credit.itertuples()],
            "licenses": _licences(credit.licence.tolist()),
            "schema": {
                "fields": [{"name": c.column, "type": c.type, "description": c.description,
                            **({"unit": c.unit} if c.unit else {}),
                            "constraints": {"required": not c.nullable}} for c in columns.itertuples()],
                "missingValues": [""],
            },
        }
        if fmt == "csv":
            resource.update({"mediatype": "text/csv", "encoding": "utf-8"})
        if not resource["licenses"]:
            del resource["licenses"]
        resources.append(resource)
    return {
        "name": "ceasefire-stats",
        "title": "ceasefire-stats tables",
        "version": __version__,
        "description": "Tidy tables of Ukrainian Air Force and Russian MoD counts of drones and missiles, "
                       "claims and truce statistics, exported by ceasefire-stats; each table credits "
                       "the sources it rests on (sources.csv).",
        "resources": resources,
    }


def _for_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with timestamps as ISO 8601 text (with offset) and naive dates as YYYY-MM-DD."""
    out = frame.copy()
    for column in frame.columns:
        dtype = str(frame[column].dtype)
        if dtype.startswith("datetime64["):
            values = frame[column]
            if "," in dtype:
                text = values.map(lambda t: t.isoformat(), na_action="ignore")
            else:
                text = values.dt.strftime("%Y-%m-%d")
            out[column] = text.astype("str").where(values.notna())
    return out


def _write(frame: pd.DataFrame, path: Path, fmt: str) -> None:
    if fmt == "csv":
        _for_text(frame).to_csv(path, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    elif fmt == "parquet":
        from ceasefire_stats.core.files import write_parquet

        write_parquet(frame, path)
    else:
        _for_text(frame).to_excel(path, index=False, sheet_name=path.stem[:31], engine="openpyxl")


def _readme(tables: list[str], fmt: str, credits_: pd.DataFrame) -> str:
    lines = ["# ceasefire-stats export\n", f"Tables ({fmt}): " + ", ".join(f"`{t}`" for t in tables) + ".",
             "Columns, dtypes, units and meanings: `data_dictionary.csv`; machine-readable description: "
             "`datapackage.json` (Frictionless Data Package).\n",
             "## Licences and credit\n",
             "Each table keeps the licence of the sources it rests on and credits them:\n"]
    for table in tables:
        lines.append(f"- `{table}`:")
        for r in credits_[credits_.table == table].itertuples():
            lines.append(f"  - {r.input}: {r.attribution}. Licence: {r.licence}. Cite: {r.citation}")
    return "\n".join(lines) + "\n"


def export(tables: list[str] | None = None, fmt: str = "csv", out: str | os.PathLike[str] = "export") -> Path:
    """Write ``tables`` (default: every table the pipeline builds) in format ``fmt`` into the
    folder ``out``, with the data dictionary, credits and ``datapackage.json``; return the
    folder. The folder is checked before anything is loaded and replaced whole at the end."""
    from ceasefire_stats import pipeline
    from ceasefire_stats.reports import outdir

    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    known = pipeline.tables()
    names = list(dict.fromkeys(tables)) if tables else list(known)
    unknown = [t for t in names if t not in known]
    if unknown:
        raise ExportError(f"unknown table {', '.join(unknown)}; known: {', '.join(known)}")
    if fmt == "xlsx":
        import importlib.util

        if importlib.util.find_spec("openpyxl") is None:
            raise ExportError("--format xlsx needs openpyxl: pip install -e '.[export]'")
    target = outdir.check(out, MARKER, "the export")
    frames = {t: pipeline.load(t) for t in names}
    dictionary_ = dictionary(frames)
    credits_ = credits(names)
    with outdir.replace(target) as folder:
        for table, frame in frames.items():
            _write(frame, folder / f"{table}.{fmt}", fmt)
        dictionary_.to_csv(folder / "data_dictionary.csv", index=False, lineterminator="\n")
        credits_.to_csv(folder / "sources.csv", index=False, lineterminator="\n")
        (folder / "README.md").write_text(_readme(names, fmt, credits_), encoding="utf-8")
        (folder / MARKER).write_text(json.dumps(descriptor(frames, fmt, dictionary_, credits_), indent=2,
                                                ensure_ascii=False) + "\n", encoding="utf-8")
    return target
