"""Where data lives: every folder comes from an environment variable with a documented default.

=============================  =====================================================
variable                       meaning (default)
=============================  =====================================================
``CEASEFIRE_STATS_DATA_DIR``   project data root holding ``raw/`` and ``processed/``
                               (the checkout's ``data/`` when the package runs from a
                               source checkout, else the user cache folder)
``CEASEFIRE_STATS_RAW_DIR``    raw files, as published (``<data root>/raw``)
``CEASEFIRE_STATS_PROCESSED``  built tables (``<data root>/processed``)
``CEASEFIRE_STATS_MIRROR``     a local folder laid out like ``../shared/data``; when set,
                               fetch imports from it instead of downloading
``CEASEFIRE_STATS_BASE_URL``   replaces every registry URL by ``<base>/<path>`` (tests
                               serve a mirror over HTTP on 127.0.0.1 with it)
``CEASEFIRE_STATS_CLAIMS_DIR`` curated claim files, ``<source-doc>.yaml`` (the checkout's
                               ``data/raw/claims``, committed; else ``<raw>/claims``)
=============================  =====================================================
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def checkout_root() -> Path | None:
    """The source checkout holding this package (``src/`` layout), or None when installed."""
    root = PACKAGE_DIR.parent.parent
    return root if (root / "pyproject.toml").is_file() and (root / "src").is_dir() else None


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """The data root: ``$CEASEFIRE_STATS_DATA_DIR``, the checkout's ``data/``, or the user cache."""
    env = _env_path("CEASEFIRE_STATS_DATA_DIR")
    if env is not None:
        return env
    root = checkout_root()
    if root is not None:
        return root / "data"
    import pooch

    return Path(pooch.os_cache("ceasefire-stats"))


def raw_dir() -> Path:
    """Folder of raw files as published (never edited)."""
    return _env_path("CEASEFIRE_STATS_RAW_DIR") or data_dir() / "raw"


def processed_dir() -> Path:
    """Folder of built tables (Parquet) and the build manifest."""
    return _env_path("CEASEFIRE_STATS_PROCESSED") or data_dir() / "processed"


def mirror_dir() -> Path | None:
    """The local mirror folder from ``$CEASEFIRE_STATS_MIRROR``, if set."""
    return _env_path("CEASEFIRE_STATS_MIRROR")


def base_url_override() -> str | None:
    """``$CEASEFIRE_STATS_BASE_URL`` without a trailing slash, if set."""
    value = os.environ.get("CEASEFIRE_STATS_BASE_URL", "").strip()
    return value.rstrip("/") or None


def claims_dir() -> Path:
    """Folder of curated claim files: ``$CEASEFIRE_STATS_CLAIMS_DIR``, else the checkout's
    ``data/raw/claims`` (our own curated data, committed), else ``<raw>/claims``."""
    env = _env_path("CEASEFIRE_STATS_CLAIMS_DIR")
    if env is not None:
        return env
    root = checkout_root()
    return root / "data" / "raw" / "claims" if root is not None else raw_dir() / "claims"
