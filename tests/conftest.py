"""Shared fixtures. Real-data tests read the fetched raw files (or import them from
``$CEASEFIRE_STATS_MIRROR``); they skip when the data are absent locally, and fail in CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ceasefire_stats.core import sources
from ceasefire_stats.core.errors import CeasefireStatsError


def _real_path(name: str) -> Path:
    try:
        return sources.require(name)
    except CeasefireStatsError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"real data unavailable in CI: {exc}")
        pytest.skip(f"real data unavailable: {exc}")


@pytest.fixture(scope="session")
def raw_file():
    """``raw_file(name)`` -> path of the verified raw file of registry source ``name``."""
    return _real_path
