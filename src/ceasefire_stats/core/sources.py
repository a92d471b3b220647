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
from typing import TYPE_CHECKING

from ceasefire_stats.core import paths
from ceasefire_stats.core.errors import (
    CeasefireStatsError,
    ChecksumError,
    RegistryError,
    SourceUnavailableError,
)
from ceasefire_stats.core.files import atomic_write, sha256_file

if TYPE_CHECKING:  # pandas is imported when a table is returned: importing the package stays light
    import pandas as pd

REGISTRY_FILE = paths.PACKAGE_DIR / "registry.toml"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_HOW_TO_GET_DATA = (
    "Either connect to the network and run `ceasefire-stats fetch`, or import the files "
    "from a local copy laid out like shared/data: `ceasefire-stats fetch --mirror DIR` "
    "(or set CEASEFIRE_STATS_MIRROR=DIR)."
)


class FetchChecksumError(ChecksumError):
    """Fetch refused one or more files whose sha256 differs from the registry; the message lists
    every refused file and says which files this run did write."""

    def __init__(self, message: str, problems: list[str]):
        CeasefireStatsError.__init__(self, message)
        self.problems = problems


class FetchUnavailableError(SourceUnavailableError):
    """Fetch could not obtain one or more files; the message lists every one."""

    def __init__(self, message: str, problems: list[str]):
        super().__init__(message)
        self.problems = problems


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


def read_toml(text: str, origin: str, error: type[Exception], what: str) -> dict:
    """``text`` read as TOML; not TOML, or nested too deeply, is ``error`` naming ``origin`` (a
    committed or hand-edited file: never a ``TOMLDecodeError`` or ``RecursionError``)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{origin}: not valid TOML: {exc}") from None
    except RecursionError:
        raise error(f"{origin}: not {what}: nested too deeply") from None


def parse_registry(text: str, origin: str = "registry") -> dict[str, Source]:
    """Parse and check registry TOML text; raise :class:`RegistryError` naming the entry and field."""
    data = read_toml(text, origin, RegistryError, "a registry")
    sources: dict[str, Source] = {}
    for name, entry in data.items():
        if not isinstance(entry, dict):
            raise RegistryError(f"{origin}: [{name}] is not a table")
        missing = [f for f in _FIELDS if f not in entry]
        unknown = sorted(set(entry) - set(_FIELDS))
        if missing or unknown:
            raise RegistryError(f"{origin}: [{name}] missing fields {missing}, unknown fields {unknown}")
        wrong = [f for f in _FIELDS if not isinstance(entry[f], int if f == "size_bytes" else str)
                 or isinstance(entry[f], bool)]
        if wrong:
            raise RegistryError(f"{origin}: [{name}] field {wrong[0]!r} must be "
                                f"{'a whole number' if wrong[0] == 'size_bytes' else 'text'}, not {entry[wrong[0]]!r}")
        if not _SHA256.match(str(entry["sha256"])):
            raise RegistryError(f"{origin}: [{name}] sha256 is not 64 lowercase hex digits")
        if not str(entry["url"]).startswith("https://") or entry["origin_commit"] not in entry["url"]:
            raise RegistryError(f"{origin}: [{name}] url must be https and pinned to origin_commit")
        if (Path(entry["path"]).is_absolute() or ".." in Path(entry["path"]).parts
                or Path(entry["path"]).name in ("", ".")):
            raise RegistryError(f"{origin}: [{name}] path must be relative, without '..', and name a file")
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
            refused = ChecksumError(source.name, source.path, source.sha256, actual, f"mirror {mirror}")
            refused.origin = f"the mirror copy {copy}"
            raise refused


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
        refused = ChecksumError(source.name, source.path, source.sha256, actual.group(1) if actual else "unknown", url)
        refused.origin = url
        raise refused from None
    except requests.exceptions.RequestException as exc:
        unavailable = SourceUnavailableError(f"{source.name}: could not download {url} ({type(exc).__name__})")
        unavailable.url, unavailable.reason = url, type(exc).__name__
        raise unavailable from None


def _refusal(source: Source, exc: CeasefireStatsError, dest: Path, local: str | None) -> str:
    """One line saying why ``source`` was not fetched; a bad file already in the raw folder is
    named as such (it was not a download that failed)."""
    if isinstance(exc, ChecksumError):
        said = (f"sha256 mismatch for {source.name} ({source.path}) from {getattr(exc, 'origin', 'its origin')}: "
                f"actual {exc.actual}, the registry says {source.sha256}; refused, not written")
        if local is None:
            return said
    elif hasattr(exc, "url"):
        said = f"{exc.url} could not be reached ({exc.reason})"
    else:
        said = str(exc).removeprefix(f"{source.name}: ")
    if local is None:
        return f"{source.name} ({source.path}): {said}"
    return (f"{source.name}: the raw file {dest} fails its sha256 check (it has {local}, the registry says "
            f"{source.sha256}); it was left as it is and is not used, and no verified copy could replace it: {said}")


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
    ``downloaded``). Every selected file is tried; then, if any was refused or could not be
    had, one :class:`FetchChecksumError` (a :class:`ChecksumError`; any sha256 mismatch) or
    :class:`FetchUnavailableError` (a :class:`SourceUnavailableError`) lists every such file
    and the files this run did write. A refused file leaves nothing behind; a file already in
    the raw folder that fails its sha256 is left as it is (it is never used) and named as such.
    """
    selected = [get_source(n) for n in (names if names is not None else sorted(registry()))]
    mirror_path = (
        Path(os.path.abspath(Path(mirror).expanduser())) if mirror is not None else paths.mirror_dir()
    )
    rows, refused, no_mirror = [], [], []
    kinds: set[str] = set()  # what went wrong: "local" file, "origin" bytes, "unavailable"
    for source in selected:
        dest = paths.raw_dir() / source.path
        local = sha256_file(dest) if dest.is_file() else None
        if local == source.sha256:
            action = "present"  # the mirror is consulted only when a file needs importing
        elif mirror_path is not None and not mirror_path.is_dir():
            no_mirror.append(source.name)
            continue
        else:
            try:
                if mirror_path is not None:
                    _import_from_mirror(source, mirror_path, dest)
                    action = "imported"
                else:
                    _download(source, dest, progress=progress, retries=retries)
                    action = "downloaded"
            except (ChecksumError, SourceUnavailableError) as exc:
                kinds |= {"origin" if isinstance(exc, ChecksumError) else "unavailable"}
                kinds |= {"local"} if local is not None else set()
                refused.append(_refusal(source, exc, dest, local))
                continue
        rows.append({"name": source.name, "path": source.path, "action": action, "sha256": source.sha256})
    if no_mirror:
        refused.insert(0, f"mirror folder {mirror_path} does not exist (needed for {', '.join(no_mirror)})")
        kinds.add("unavailable")
    if refused:
        raise _fetch_error(refused, rows, len(selected), kinds, mirror_path)
    import pandas as pd

    return pd.DataFrame(rows, columns=["name", "path", "action", "sha256"])


def _fetch_error(refused: list[str], rows: list[dict[str, str]], n_selected: int, kinds: set[str],
                 mirror: Path | None) -> CeasefireStatsError:
    """One error for every file fetch could not deliver, saying what this run did write."""
    written = [f"{r['name']} ({r['action']})" for r in rows if r["action"] != "present"]
    done = (f"this run wrote only verified files: {', '.join(written)}" if written
            else f"nothing was written to the raw-data folder {paths.raw_dir()}")
    todo = []
    if "origin" in kinds and mirror is not None:
        todo.append("replace each refused mirror copy with the published file (its origin URL is in "
                    "registry.toml) and run `ceasefire-stats fetch` again")
    elif "origin" in kinds:
        todo.append("upstream served other bytes than the registered file; retry later, or import the "
                    "published files from a local copy with `ceasefire-stats fetch --mirror DIR`")
    if "unavailable" in kinds:
        todo.append(_HOW_TO_GET_DATA)
    todo_text = " ".join(todo)
    if len(refused) == 1:
        message = f"{refused[0]} ({done}). {todo_text}"
    else:
        message = (f"{len(refused)} of {n_selected} raw files could not be fetched ({done}). {todo_text}\n  "
                   + "\n  ".join(refused))
    cls = FetchChecksumError if kinds & {"origin", "local"} else FetchUnavailableError
    return cls(message, refused)


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
    import pandas as pd

    return pd.DataFrame(rows)
