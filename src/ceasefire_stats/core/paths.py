"""Where data lives: every folder comes from an environment variable with a documented default.

==============================  =====================================================
variable                        meaning (default)
==============================  =====================================================
``CEASEFIRE_STATS_DATA_DIR``    project data root holding ``raw/`` and ``processed/``
                                (the checkout's ``data/`` when the package runs from a
                                source checkout, else the user cache folder)
``CEASEFIRE_STATS_RAW_DIR``     raw files, as published (``<data root>/raw``)
``CEASEFIRE_STATS_PROCESSED``   built tables (``<data root>/processed``)
``CEASEFIRE_STATS_MIRROR``      a local folder laid out like ``../shared/data``; when set,
                                fetch imports from it instead of downloading
``CEASEFIRE_STATS_BASE_URL``    replaces every registry URL by ``<base>/<path>`` (tests
                                serve a mirror over HTTP on 127.0.0.1 with it)
``CEASEFIRE_STATS_FIGURES``     saved figures (the checkout's ``figures/``, else
                                ``<data root>/figures``)
``CEASEFIRE_STATS_CLAIMS_DIR``  curated claim files, ``<source-doc>.yaml`` (the package's
                                ``curated/claims``, committed)
``CEASEFIRE_STATS_SCRATCH``     where the dask engine writes the Parquet partitions of a raw
                                file for the length of a build (the system's temporary
                                folder); with a remote scheduler, a folder every worker reads
==============================  =====================================================
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/ceasefire_stats


def checkout_root() -> Path | None:
    """The source checkout holding this package (``src/`` layout), or None when installed."""
    root = PACKAGE_DIR.parent.parent
    return root if (root / "pyproject.toml").is_file() and (root / "src").is_dir() else None


#: the environment variables that name folders; each is resolved to an absolute path
PATH_VARIABLES = (
    "CEASEFIRE_STATS_DATA_DIR",
    "CEASEFIRE_STATS_RAW_DIR",
    "CEASEFIRE_STATS_PROCESSED",
    "CEASEFIRE_STATS_MIRROR",
    "CEASEFIRE_STATS_CLAIMS_DIR",
    "CEASEFIRE_STATS_FIGURES",
    "CEASEFIRE_STATS_SCRATCH",
)


def _env_path(name: str) -> Path | None:
    """The folder named by environment variable ``name``, as an absolute path (a relative
    value is taken relative to the working directory of the process that reads it)."""
    value = os.environ.get(name, "").strip()
    return Path(os.path.abspath(Path(value).expanduser())) if value else None


def absolutize_environment() -> None:
    """Rewrite every relative path variable of :data:`PATH_VARIABLES` in ``os.environ`` to
    an absolute path, once, in the process that reads it first (the command line, the test
    session), so that child processes started in other folders (notebook kernels run in
    ``notebooks/``) see the same folders.

    >>> import os
    >>> saved = os.environ.get("CEASEFIRE_STATS_FIGURES")
    >>> os.environ["CEASEFIRE_STATS_FIGURES"] = "some/relative/dir"
    >>> absolutize_environment()
    >>> os.path.isabs(os.environ["CEASEFIRE_STATS_FIGURES"])
    True
    >>> _ = os.environ.pop("CEASEFIRE_STATS_FIGURES") if saved is None else os.environ.update(
    ...     CEASEFIRE_STATS_FIGURES=saved)
    """
    for name in PATH_VARIABLES:
        path = _env_path(name)
        if path is not None:
            os.environ[name] = str(path)


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


CURATED_DIR = PACKAGE_DIR / "curated"
"""The project's own curated, committed data (claim files, the truce calendar, hand labels),
shipped inside the package so that an installed copy has it too."""


def curated_dir(name: str) -> Path:
    """One folder of curated data: ``curated/<name>``, or for claims ``$CEASEFIRE_STATS_CLAIMS_DIR``."""
    if name == "claims":
        return claims_dir()
    return CURATED_DIR / name


def claims_dir() -> Path:
    """Folder of curated claim files: ``$CEASEFIRE_STATS_CLAIMS_DIR``, else the package's
    ``curated/claims`` (our own curated data, committed)."""
    return _env_path("CEASEFIRE_STATS_CLAIMS_DIR") or CURATED_DIR / "claims"


def figures_dir() -> Path:
    """``$CEASEFIRE_STATS_FIGURES``, or the checkout's ``figures/``, else ``<data root>/figures``."""
    env = _env_path("CEASEFIRE_STATS_FIGURES")
    if env is not None:
        return env
    root = checkout_root()
    return root / "figures" if root is not None else data_dir() / "figures"


def scratch_dir() -> Path | None:
    """``$CEASEFIRE_STATS_SCRATCH`` if set (the dask engine's partitions), else None: the
    system's temporary folder."""
    return _env_path("CEASEFIRE_STATS_SCRATCH")
