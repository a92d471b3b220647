"""The one-screen summary ``make reproduce`` ends with: tables and their row counts, figures,
notebooks and the rendered site, all as paths relative to the checkout (no machine paths)."""

from __future__ import annotations

import os
from pathlib import Path


def _relative(path: Path) -> str:
    return os.path.relpath(path, Path.cwd())


def summary() -> str:
    """The summary as text: one line per table (rows, current or not), then the figures, the
    notebooks and the site's index page (or how to build it)."""
    from ceasefire_stats import pipeline
    from ceasefire_stats.core import paths

    manifest = pipeline.read_manifest()
    lines = ["tables (data/processed):"]
    for table, step in pipeline.tables().items():
        rows = manifest.get("steps", {}).get(step.name, {}).get("tables", {}).get(table)
        state = "current" if pipeline._is_current(step, manifest) else "missing or stale: run ceasefire-stats build"
        lines.append(f"  {table:<20} {rows if rows is not None else '-':>7} rows  {state}")
    figures = sorted(p.stem for p in paths.figures_dir().glob("*.png"))
    lines.append(f"figures ({_relative(paths.figures_dir())}): {len(figures)} charts, PNG and SVG: {', '.join(figures)}")
    root = paths.checkout_root()
    if root is not None:
        notebooks = sorted(p.name for p in (root / "notebooks").glob("*.ipynb"))
        lines.append(f"notebooks ({_relative(root / 'notebooks')}): {', '.join(notebooks)}")
        index = root / "build" / "site" / "index.html"
        lines.append(f"site: {_relative(index)}" if index.is_file() else "site: not built (ceasefire-stats render)")
    return "\n".join(lines)
