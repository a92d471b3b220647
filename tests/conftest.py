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


# --- the real tables, made once per test session (per worker under xdist) --------------------
# Tests read these frames and never modify them (copy first): cleaning the real files in every
# module that needs them took a large share of the suite.


@pytest.fixture(scope="session")
def real_airforce(raw_file):
    """The Air Force cleaner's result (tables, ledgers) on the real raw files."""
    from ceasefire_stats.clean import airforce

    return airforce.clean_strikes(raw_file("airforce_strikes"), raw_file("weapons"))


@pytest.fixture(scope="session")
def real_mod_raw(raw_file):
    """The real MoD posts file as the MoD cleaner reads it (``mod_posts.read_raw``)."""
    from ceasefire_stats.clean import mod_posts

    return mod_posts.read_raw(raw_file(mod_posts.SOURCE))


@pytest.fixture(scope="session")
def real_mod(real_mod_raw):
    """``(posts, regions, ledger)`` of the MoD cleaner on the real file."""
    from ceasefire_stats.clean import mod_posts

    return mod_posts.tables(real_mod_raw)


@pytest.fixture(scope="session")
def real_table(raw_file):
    """``real_table(name)`` -> the built table ``name`` from the processed folder, as a user's
    ``cs.load`` gives it (``make test`` builds every table first; a stale one is rebuilt there)."""
    from ceasefire_stats import pipeline

    loaded: dict = {}

    def _load(name: str):
        if name not in loaded:
            for source in ("airforce_strikes", "weapons", "mod_posts"):
                raw_file(source)  # skips locally when the raw files are absent, fails under CI
            loaded[name] = pipeline.load(name)
        return loaded[name]

    return _load
