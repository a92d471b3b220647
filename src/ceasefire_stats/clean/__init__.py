"""Cleaners: one module per source, pure functions from raw files to tidy tables and a ledger.

Submodules are imported on first attribute access (``cs.clean.airforce``).
"""

from __future__ import annotations

import importlib
import pkgutil


def __getattr__(name: str):
    if any(m.name == name for m in pkgutil.iter_modules(__path__)):
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
