"""ceasefire-stats: tidy, validated tables of strike reports, interception claims and
ceasefire statements, with provenance. Every number is somebody's claim; tables say whose.

>>> import ceasefire_stats as cs
>>> sorted(cs.registry())[:2]
['airforce_strikes', 'mod_posts']
"""

from __future__ import annotations

from ceasefire_stats.core.lazy import submodules as _submodules
from ceasefire_stats.core.sources import fetch, registry, status
from ceasefire_stats.core.version import __version__


def load(table: str, rebuild: bool = False, versions=None):
    """A validated tidy table by name (``"strikes"``, ``"mod_posts"``, ``"claims"``...),
    built from the verified raw files if it is missing or stale; ``versions`` picks registered
    versions of sources (``{"airforce_strikes": "2026-04-04"}``) instead of the pinned files."""
    from ceasefire_stats.pipeline import load as _load

    return _load(table, rebuild=rebuild, versions=versions)


def diff(source: str, old: str, new: str):
    """Row-level differences between two versions of a source (``"pinned"`` is the registry's
    file): added, removed and revised rows with the changed fields, a summary by field and by
    month, and the daily totals that moved (:func:`ceasefire_stats.versions.diff.diff`)."""
    from ceasefire_stats.versions.diff import diff as _diff

    return _diff(source, old, new)


# every subpackage and module is reachable as ``cs.<name>`` (``cs.panels``, ``cs.analysis``...)
# in a fresh interpreter, imported on first use
__getattr__, _dir = _submodules(__name__, __path__)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_dir()))


__all__ = ["__version__", "diff", "fetch", "load", "registry", "status"]
