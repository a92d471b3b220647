"""The raw-data registry, and fetching its files (download with pooch, or import from a mirror).

Each registered file is fetched into :func:`ceasefire_stats.core.paths.raw_dir` under its
registry ``path``. A file is accepted only when its sha256 equals the registry's; a
mismatching download or mirror copy is refused before it reaches the raw folder, so the
folder never holds a partial or tampered file.

>>> sorted(registry())
['airforce_strikes', 'mod_posts', 'sicily', 'weapons']
>>> registry()["sicily"].path
'its_sicily/sicily.csv'
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import shutil
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pandas as pd

from ceasefire_stats.core import paths
from ceasefire_stats.core.errors import ChecksumError, RegistryError, SourceUnavailableError
from ceasefire_stats.core.files import atomic_write, sha256_file

REGISTRY_FILE = paths.PACKAGE_DIR / "registry.toml"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_HOW_TO_GET_DATA = (
    "Either connect to the network and run `ceasefire-stats fetch`, or import the files "
    "from a local copy laid out like shared/data: `ceasefire-stats fetch --mirror DIR` "
    "(or set CEASEFIRE_STATS_MIRROR=DIR)."
)


@dataclasses.dataclass(frozen=True)
class Source:
    """One upstream file: where it comes from, what it is, and its sha256."""

    name: str
    path: str
    sha256: str
    size_bytes: int
    url: str
    origin_repo: str
    origin_commit: str
    origin_path: str
    producer: str
    licence: str
    attribution: str
    citation: str
    coverage_start: str
    coverage_end: str
    accessed: str
    description: str

    def url_for(self, base_url: str | None = None) -> str:
        """The download URL, or ``<base_url>/<path>`` when a base URL overrides the registry."""
        return f"{base_url}/{self.path}" if base_url else self.url


_FIELDS = tuple(f.name for f in dataclasses.fields(Source) if f.name != "name")


def parse_registry(text: str, origin: str = "registry") -> dict[str, Source]:
    """Parse and check registry TOML text; raise :class:`RegistryError` naming the entry and field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{origin}: not valid TOML: {exc}") from None
    sources: dict[str, Source] = {}
    for name, entry in data.items():
        if not isinstance(entry, dict):
            raise RegistryError(f"{origin}: [{name}] is not a table")
        missing = [f for f in _FIELDS if f not in entry]
        unknown = sorted(set(entry) - set(_FIELDS))
        if missing or unknown:
            raise RegistryError(f"{origin}: [{name}] missing fields {missing}, unknown fields {unknown}")
        if not _SHA256.match(str(entry["sha256"])):
            raise RegistryError(f"{origin}: [{name}] sha256 is not 64 lowercase hex digits")
        if not str(entry["url"]).startswith("https://") or entry["origin_commit"] not in entry["url"]:
            raise RegistryError(f"{origin}: [{name}] url must be https and pinned to origin_commit")
        if Path(entry["path"]).is_absolute() or ".." in Path(entry["path"]).parts:
            raise RegistryError(f"{origin}: [{name}] path must be relative, without '..'")
        sources[name] = Source(name=name, **entry)
    return sources


@cache
def registry() -> dict[str, Source]:
    """All registered sources by name, from the packaged ``registry.toml``."""
    return parse_registry(REGISTRY_FILE.read_text(encoding="utf-8"), origin=str(REGISTRY_FILE.name))


def get_source(name: str) -> Source:
    """One source by name; unknown names raise :class:`RegistryError` listing the known ones."""
    try:
        return registry()[name]
    except KeyError:
        raise RegistryError(f"unknown source {name!r}; known: {', '.join(sorted(registry()))}") from None


def raw_path(name: str) -> Path:
    """Where the raw file of source ``name`` lives (whether or not it is there yet)."""
    return paths.raw_dir() / get_source(name).path


def is_verified(name: str) -> bool:
    """True when the raw file is present and its sha256 equals the registry's."""
    path = raw_path(name)
    return path.is_file() and sha256_file(path) == get_source(name).sha256


def require(name: str) -> Path:
    """The path of a present, verified raw file; fetch it first if it is absent.

    Fetching uses the mirror when ``CEASEFIRE_STATS_MIRROR`` is set, else the network.
    """
    if not is_verified(name):
        fetch([name])
    return raw_path(name)


def _import_from_mirror(source: Source, mirror: Path, dest: Path) -> None:
    copy = mirror / source.path
    if not copy.is_file():
        raise SourceUnavailableError(
            f"{source.name}: {source.path} is not in the mirror folder {mirror}. "
            f"Put the file there (origin: {source.url}), or unset the mirror and fetch from "
            "the network with `ceasefire-stats fetch`."
        )
    with atomic_write(dest) as tmp:
        shutil.copyfile(copy, tmp)
        actual = sha256_file(tmp)
        if actual != source.sha256:
            raise ChecksumError(source.name, source.path, source.sha256, actual, f"mirror {mirror}")


def _download(source: Source, dest: Path, progress: bool, retries: int) -> None:
    import pooch
    import requests

    # pooch logs "Downloading ... to <path>" at INFO on stderr: a notebook's first run would
    # differ from its second and machine paths would leak into outputs. pooch's logger is
    # its own instance (not logging.getLogger("pooch")), and pooch is imported only here.
    pooch.get_logger().setLevel(logging.WARNING)
    base = paths.base_url_override()
    url = source.url_for(base)
    fetcher = pooch.create(
        path=dest.parent,
        base_url="",
        registry={dest.name: f"sha256:{source.sha256}"},
        urls={dest.name: url},
        retry_if_failed=retries,
        allow_updates=True,
    )
    try:
        # pooch downloads into a temporary file and moves it into place only when the
        # hash matches, so a corrupted download never reaches the raw folder.
        fetcher.fetch(dest.name, progressbar=progress)
    except ValueError as exc:
        actual = re.search(r"got ([0-9a-f]{64})", str(exc))
        if "hash" not in str(exc).lower():
            raise
        raise ChecksumError(
            source.name, source.path, source.sha256, actual.group(1) if actual else "unknown", url
        ) from None
    except requests.exceptions.RequestException as exc:
        reason = type(exc).__name__
        raise SourceUnavailableError(
            f"{source.name}: could not download {url} ({reason}). {_HOW_TO_GET_DATA}"
        ) from None


def fetch(
    names: Iterable[str] | None = None,
    mirror: str | Path | None = None,
    progress: bool = False,
    retries: int = 2,
) -> pd.DataFrame:
    """Fetch registered raw files into the raw-data folder, verifying every sha256.

    Files already present with the right hash are left alone. With ``mirror`` (or
    ``$CEASEFIRE_STATS_MIRROR``) files are imported from that folder; otherwise they are
    downloaded from the registry URLs (or ``$CEASEFIRE_STATS_BASE_URL``) with ``retries``
    retries. Returns one row per file with the action taken (``present``, ``imported``,
    ``downloaded``). Raises :class:`ChecksumError` or :class:`SourceUnavailableError`;
    a refused file leaves nothing behind.
    """
    selected = [get_source(n) for n in (names if names is not None else sorted(registry()))]
    mirror_path = (
        Path(os.path.abspath(Path(mirror).expanduser())) if mirror is not None else paths.mirror_dir()
    )
    rows = []
    for source in selected:
        dest = paths.raw_dir() / source.path
        if dest.is_file() and sha256_file(dest) == source.sha256:
            action = "present"  # the mirror is consulted only when a file needs importing
        elif mirror_path is not None:
            if not mirror_path.is_dir():
                raise SourceUnavailableError(
                    f"mirror folder {mirror_path} does not exist (needed for {source.name}). "
                    f"{_HOW_TO_GET_DATA}"
                )
            _import_from_mirror(source, mirror_path, dest)
            action = "imported"
        else:
            _download(source, dest, progress=progress, retries=retries)
            action = "downloaded"
        rows.append({"name": source.name, "path": source.path, "action": action, "sha256": source.sha256})
    return pd.DataFrame(rows, columns=["name", "path", "action", "sha256"])


def status() -> pd.DataFrame:
    """The registry as a table: provenance, licence, coverage, sha256, and whether each
    file is present in the raw folder and verified. One row per source."""
    rows = []
    for source in registry().values():
        path = paths.raw_dir() / source.path
        present = path.is_file()
        rows.append(
            {
                "name": source.name,
                "file": source.path,
                "producer": source.producer,
                "licence": source.licence,
                "coverage_start": source.coverage_start or None,
                "coverage_end": source.coverage_end or None,
                "size_bytes": source.size_bytes,
                "sha256": source.sha256,
                "present": present,
                "verified": present and sha256_file(path) == source.sha256,
                "origin": f"{source.origin_repo}@{source.origin_commit[:12]}:{source.origin_path}",
            }
        )
    return pd.DataFrame(rows)
