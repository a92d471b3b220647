"""ceasefire-stats: tidy, validated tables of strike reports, interception claims and
ceasefire statements, with provenance. Every number is somebody's claim; tables say whose.

>>> import ceasefire_stats as cs
>>> sorted(cs.registry())[:2]
['airforce_strikes', 'mod_posts']
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ceasefire-stats")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

from ceasefire_stats.sources import fetch, registry, status


def load(table: str, rebuild: bool = False):
    """A validated tidy table by name (``"strikes"``, ``"mod_posts"``, ``"claims"``...),
    built from the verified raw files if it is missing or stale."""
    from ceasefire_stats.pipeline import load as _load

    return _load(table, rebuild=rebuild)


_SUBMODULES = frozenset(
    {"check", "claims_extract", "fields", "io", "ledger", "panels", "paths", "pipeline", "plots", "sources", "timeutil"}
    | {"clean", "plots_strikes"}  # issue 3: cs.clean.airforce, cs.plots_strikes
)


def __getattr__(name: str):
    """Import submodules on first use (``cs.plots``, ``cs.panels``...), keeping import light."""
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f"ceasefire_stats.{name}")
    raise AttributeError(f"module 'ceasefire_stats' has no attribute {name!r}")


__all__ = ["__version__", "fetch", "load", "registry", "status"]
