"""Cleaners: one module per source, pure functions from raw files to tidy tables and a ledger,
plus the lookups they need (weapons, regions, claimants).

Submodules are imported on first attribute access (``cs.clean.<module>``).
"""

from ceasefire_stats.core.lazy import submodules

__getattr__, __dir__ = submodules(__name__, __path__)
