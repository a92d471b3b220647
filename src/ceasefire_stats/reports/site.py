"""Render the static HTML site a reviewer reads without running anything.

The site is built by Sphinx with myst-nb from the checkout: the README as the index, one page
per notebook with its stored outputs (never re-executed), the pages of ``docs/``, every figure,
and three pages generated at render time, never committed: the sources and licences (from
``registry.toml``), the tables and their columns (from the field definitions, each table's
schema and the built tables), with every table to download as CSV (an export:
:mod:`ceasefire_stats.reports.export`, built first if stale), and the API reference (from the
docstrings). The Sphinx configuration lives in
``docs/site/conf.py``; the pages are assembled in a temporary folder and the HTML written to
``build/site/`` of the checkout (git-ignored) unless another folder is given, swapped in whole
when the build succeeds.

The build is offline (a theme installed as a package, no intersphinx) and strict: any Sphinx
warning fails it.

>>> print(markdown_cell("a | b"))
a \\| b
"""

from __future__ import annotations

import importlib.util
import os
import pkgutil
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from ceasefire_stats.core import paths
from ceasefire_stats.core.errors import CeasefireStatsError

#: what a reader is told when Sphinx or myst-nb is missing
INSTALL_HINT = "install the docs extra: pip install -e '.[docs]'"

#: modules left out of the API reference (importing ``__main__`` runs the command line)
API_EXCLUDE = frozenset({"ceasefire_stats.__main__"})

#: markdown files of the checkout copied into the site, keeping their relative paths so the
#: links between them resolve (``README.md`` becomes the index)
_PAGES = ("docs/*.md", "notebooks/README.md", "data/raw/README.md", "data/processed/README.md",
          "src/ceasefire_stats/curated/*/README.md", "CHANGELOG.md", "LICENSE", "CITATION.cff")


def markdown_cell(text: object) -> str:
    """``text`` made safe for one cell of a Markdown pipe table."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def sources_page(registry_file: Path | None = None) -> str:
    """The "Sources and licences" page (MyST Markdown), one section per registry entry with
    every key the registry gives it, read with :mod:`tomllib`."""
    registry_file = registry_file or paths.PACKAGE_DIR / "registry.toml"
    entries = tomllib.loads(registry_file.read_text(encoding="utf-8"))
    out = [
        "# Sources and licences\n",
        "Generated from `src/ceasefire_stats/registry.toml`, the registry every raw file is "
        "fetched and verified by (sha256 at an immutable URL). Raw files are never committed. "
        "Figures and tables derived from a source keep its licence and credit its attribution.\n",
        _table(["name", "producer", "licence", "coverage"],
               [[f"[`{name}`](#src-{name})", e.get("producer", ""), e.get("licence", ""),
                 _coverage(e)] for name, e in entries.items()]),
    ]
    for name, entry in entries.items():
        out.append(f"\n({'src-' + name})=\n## `{name}`\n")
        if entry.get("description"):
            out.append(entry["description"] + "\n")
        out.append(_table(["key", "value"], [[f"`{k}`", _value(k, v)] for k, v in entry.items()
                                             if k != "description"]))
    return "\n".join(out)


def _coverage(entry: dict) -> str:
    start, end = entry.get("coverage_start", ""), entry.get("coverage_end", "")
    return f"{start} to {end}" if start or end else "(not a time series)"


def _value(key: str, value: object) -> str:
    text = str(value)
    if key == "sha256" or key.endswith("_commit") or key == "path" or key.endswith("_path"):
        return f"`{text}`"
    if text.startswith(("https://", "http://")):
        return f"<{text}>"
    return text


def built_dtypes(table: str) -> dict[str, str] | None:
    """The dtype of every column of ``table`` as the built table stores it (from the Parquet
    file's schema, no rows read), or None when it is not built in the processed folder."""
    path = paths.processed_dir() / f"{table}.parquet"
    if not path.is_file():
        return None
    import pyarrow.parquet as pq

    return pq.read_schema(path).empty_table().to_pandas().dtypes.astype(str).to_dict()


DOWNLOADS = "tables"
"""The folder, beside the tables page, of the tables offered for download (an export)."""


def tables_page(downloads: bool = False) -> str:
    """The "Tables and columns" page (MyST Markdown): every table the pipeline builds, its
    columns in order with the dtype the built table has (from its Parquet file; the schema's
    when the table is not built) and each column's unit and meaning from
    :data:`ceasefire_stats.core.fields.FIELDS`; then every field with the tables that use it.
    With ``downloads``, each table links to its CSV and the page to the export's dictionary,
    sources and ``datapackage.json`` (in the folder :data:`DOWNLOADS` beside the page)."""
    from ceasefire_stats import pipeline
    from ceasefire_stats.core import fields

    used_by: dict[str, list[str]] = {}
    sections = []
    for table, step in pipeline.tables().items():
        schema = step.schemas[table]
        sections.append(f"\n(table-{table})=\n## `{table}`\n")
        reads = [*step.sources, *(f"curated/{c}" for c in step.curated), *step.needs]
        sections.append(f"Built by step `{step.name}` (`{step.builder.__module__}.{step.builder.__name__}`) from "
                        + ", ".join(f"`{s}`" for s in reads)
                        + f"; `ceasefire_stats.load(\"{table}\")`"
                        + (f"; download: {{download}}`{table}.csv <{DOWNLOADS}/{table}.csv>`" if downloads else "")
                        + ".\n")
        if schema is None:
            sections.append("No schema is registered for this table.\n")
            continue
        built = built_dtypes(table)
        if built is None:
            sections.append("Not built on the machine that rendered this page: dtypes as the schema declares them.\n")
        rows = []
        for name, column in schema.columns.items():
            used_by.setdefault(name, []).append(table)
            field = fields.FIELDS.get(name)
            dtype = built.get(name, column.dtype) if built else column.dtype
            rows.append([f"`{name}`", f"`{dtype}`", field.unit if field else "",
                         "yes" if column.nullable else "no",
                         field.description if field else (column.description or "")])
        sections.append(_table(["column", "dtype", "unit", "nullable", "meaning"], rows))
    every = [[f"`{f.name}`", f"`{f.dtype}`", f.unit, f.description,
              ", ".join(f"[`{t}`](#table-{t})" for t in used_by.get(f.name, []))]
             for f in sorted(fields.FIELDS.values(), key=lambda f: f.name)]
    return "\n".join([
        "# Tables and columns\n",
        "Generated from the field definitions (`ceasefire_stats.core.fields.FIELDS`: each column "
        "defined once), the schema of each table (the `SCHEMAS` of the module that builds it) and "
        "the built tables: a table's dtype is the one its Parquet file holds, which may refine the "
        "field's (the time zone of a timestamp). `ceasefire-stats export` writes the tables as CSV, "
        "Parquet or Excel with this dictionary and their sources' licences.\n",
        *([f"Download every table below as CSV (each link beside its table), with "
           f"{{download}}`data_dictionary.csv <{DOWNLOADS}/data_dictionary.csv>` (columns, dtypes, units, "
           f"meanings, claimant and direction), {{download}}`sources.csv <{DOWNLOADS}/sources.csv>` (the "
           f"licence, attribution and citation of every source a table rests on: keep them with the data) "
           f"and the Frictionless descriptor {{download}}`datapackage.json <{DOWNLOADS}/datapackage.json>`.\n"]
          if downloads else []),
        *sections,
        "\n## Every field\n",
        _table(["field", "dtype", "unit", "meaning", "tables"], every),
    ])


def api_modules() -> list[str]:
    """Every module of the package documented in the API reference, sorted."""
    import ceasefire_stats

    names = ["ceasefire_stats"] + [
        m.name for m in pkgutil.walk_packages(ceasefire_stats.__path__, "ceasefire_stats.")
    ]
    return sorted(n for n in names if n not in API_EXCLUDE)


def api_pages() -> dict[str, str]:
    """The API reference: an index with a summary table and one reStructuredText page per
    module (``automodule`` with its members, from the docstrings)."""
    modules = api_modules()
    pages = {
        "api/index.rst": "API reference\n=============\n\nGenerated from the docstrings.\n\n"
        ".. autosummary::\n\n" + "".join(f"   {m}\n" for m in modules)
        + "\n.. toctree::\n   :hidden:\n\n" + "".join(f"   {m}\n" for m in modules),
    }
    for module in modules:
        title = f"``{module}``"
        # a package documents what it defines, not what it re-exports from its modules (each has its
        # own page; analysis re-exports the function window_effect of the module window_effect)
        spec = importlib.util.find_spec(module)
        package = "   :ignore-module-all:\n" if spec is not None and spec.submodule_search_locations else ""
        pages[f"api/{module}.rst"] = (f"{title}\n{'=' * len(title)}\n\n.. automodule:: {module}\n"
                                      "   :members:\n   :show-inheritance:\n" + package)
    return pages


def figures_page(figures: Path) -> str:
    """The figures page: the folder's README followed by every PNG, with its SVG to download."""
    readme = figures / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.is_file() else "# figures\n"
    parts = [text.replace("# figures", "# Figures", 1), "\n"]
    for png in sorted(figures.glob("*.png")):
        parts.append(f"\n## `{png.stem}`\n\n![{png.stem}]({png.name})\n")
        if png.with_suffix(".svg").is_file():
            parts.append(f"\n{{download}}`SVG <{png.stem}.svg>`\n")
    return "".join(parts)


def _index_page(readme: str, notebooks: list[str], docs: list[str]) -> str:
    def toctree(caption: str, entries: list[str]) -> str:
        return f"\n```{{toctree}}\n:caption: {caption}\n:maxdepth: 1\n\n" + "\n".join(entries) + "\n```\n"

    return (readme + "\n\n## Contents of this site\n"
            + toctree("Findings", ["findings"])
            + toctree("Notebooks", ["notebooks/README", *notebooks])
            + toctree("Documentation", docs)
            + toctree("Reference", ["reference/sources", "reference/tables", "figures/index", "api/index"]))


def stage(source: Path, root: Path | None = None) -> Path:
    """Assemble the site's sources in ``source``: copies of the checkout's pages, notebooks
    and figures, and the generated pages. Returns ``source``."""
    root = root or _checkout()
    source.mkdir(parents=True, exist_ok=True)
    for pattern in _PAGES:
        for path in sorted(root.glob(pattern)):
            target = source / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    notebooks = sorted((root / "notebooks").glob("*.ipynb"))
    for nb in notebooks:
        shutil.copy2(nb, source / "notebooks" / nb.name)
    for table in sorted((root / "notebooks").glob("*.csv")):  # whole tables a notebook links to
        shutil.copy2(table, source / "notebooks" / table.name)
    (source / "figures").mkdir(exist_ok=True)
    for fig in sorted((root / "figures").glob("*")):
        if fig.suffix in {".png", ".svg"}:
            shutil.copy2(fig, source / "figures" / fig.name)
    (source / "figures" / "index.md").write_text(figures_page(root / "figures"), encoding="utf-8")
    (source / "reference").mkdir(exist_ok=True)
    (source / "reference" / "sources.md").write_text(sources_page(), encoding="utf-8")
    from ceasefire_stats import pipeline
    from ceasefire_stats.reports import findings

    (source / "findings.md").write_text(findings.page(pipeline.load), encoding="utf-8")  # computed now, never typed
    from ceasefire_stats.reports import export

    export.export(fmt="csv", out=source / "reference" / DOWNLOADS)  # the tables, current and validated
    (source / "reference" / "tables.md").write_text(tables_page(downloads=True), encoding="utf-8")
    for name, text in api_pages().items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text, encoding="utf-8")
    docs = sorted(f"docs/{p.stem}" for p in (source / "docs").glob("*.md"))
    for folder in ("data", "src"):
        docs += sorted(str(p.relative_to(source).with_suffix("")) for p in (source / folder).rglob("README.md"))
    if (source / "CHANGELOG.md").is_file():
        docs.append("CHANGELOG")
    readme = (root / "README.md").read_text(encoding="utf-8")
    (source / "index.md").write_text(
        _index_page(readme, [f"notebooks/{nb.stem}" for nb in notebooks], docs), encoding="utf-8")
    return source


def _checkout() -> Path:
    root = paths.checkout_root()
    if root is None:
        raise CeasefireStatsError("the site is rendered from a source checkout; none found beside this package")
    return root


def render(out_dir: str | os.PathLike[str] | None = None) -> Path:
    """Build the static HTML site into ``out_dir`` (default: the checkout's ``build/site``)
    and return the path of its ``index.html``.

    ``out_dir`` is checked before anything is built (a file, or a folder that holds something
    other than an earlier site, is refused) and replaced whole at the end: the HTML is written
    into a folder beside it and swapped in, so a failed build leaves the site already there as
    it was (:mod:`ceasefire_stats.reports.outdir`).

    Raises :class:`~ceasefire_stats.core.errors.CeasefireStatsError` when Sphinx or myst-nb is not
    installed, or when the build reports an error or a warning (the message carries them).
    """
    for module in ("sphinx", "myst_nb"):
        if importlib.util.find_spec(module) is None:
            raise CeasefireStatsError(f"{module} is not installed; {INSTALL_HINT}")
    from ceasefire_stats.reports import outdir

    root = _checkout()
    out = outdir.check(out_dir if out_dir is not None else root / "build" / "site", "index.html", "the site")
    confdir = root / "docs" / "site"
    env = dict(os.environ)
    # the child imports this very package for autodoc, wherever it was imported from
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(paths.PACKAGE_DIR.parent), env.get("PYTHONPATH")]))
    with tempfile.TemporaryDirectory(prefix="ceasefire-site-") as tmp, outdir.replace(out) as html:
        source = stage(Path(tmp) / "source", root)
        command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going", "-j", "1",
                   "-c", str(confdir), "-d", str(Path(tmp) / "doctrees"), str(source), str(html)]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:  # the site already in ``out`` stays as it was
            detail = (result.stderr or result.stdout).strip().replace(str(source), "<site>")
            raise CeasefireStatsError(f"the site build failed (sphinx exit {result.returncode}); {out} is "
                                      f"unchanged:\n{detail}")
    return out / "index.html"
