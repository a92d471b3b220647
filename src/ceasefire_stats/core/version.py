"""The installed package's version (``0.0.0+unknown`` in a source tree that was never installed)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ceasefire-stats")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"
