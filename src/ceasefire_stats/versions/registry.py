"""Source versions: files a researcher obtained (a newer Kaggle download, a Telegram Desktop
export) registered as versions of a known source, beside the pinned file of the registry.

The project-local registry of versions is a small TOML file, ``data/versions.toml`` in a
source checkout (``$CEASEFIRE_STATS_VERSIONS`` overrides it), meant to be **committed**: it
records, per version, the source, label, sha256, size, date added, original file name, the
file's form and schema and the span of its data, so a paper can cite exactly what it used.
The files themselves are copied into the raw folder (``<raw>/versions/<source>/<label>/``),
which is never committed; a missing copy is restored from the mirror
(``<mirror>/<source folder>/versions/<label>/<file name>``, the layout of ``../shared/data``)
when its sha256 matches, else the user is told to add the file again.

The label :data:`PINNED` always names the registry's pinned file, the default of every build.

Every problem raises :class:`VersionError` (exit status 2 on the command line) before anything
is written: a label of the wrong shape, a date that is not a date, a label reused for other
bytes (both hashes named), bytes already registered under another label. The registry is
rewritten atomically, under a lock (:func:`locked`): two ``add`` commands at once both register.

The registry is committed and may be edited by hand, so every entry is checked when it is read
(:func:`parse_versions`): a known source, a label of the right shape (text, not a bare TOML
number), a sha256, dates that are dates, and an original name that is a plain file name, so that
no path built from an entry leaves its folder (``../../escaped.csv`` is refused, naming the
file, the entry and the field).

>>> check_label("2026-04-04")
'2026-04-04'
>>> check_label("../x")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ceasefire_stats.versions.registry.VersionError: bad label '../x': ...
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import fcntl
import json
import os
import re
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path

from ceasefire_stats.core import paths, sources
from ceasefire_stats.core.errors import CeasefireStatsError, ChecksumError, SourceUnavailableError
from ceasefire_stats.core.files import atomic_write, sha256_file

VERSIONS_ENV = "CEASEFIRE_STATS_VERSIONS"
PINNED = "pinned"
"""The label of the registry's pinned file (the default version of every source)."""
_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_DATE_FIELDS = ("added", "coverage_start", "coverage_end")
_HEADER = """\
# Versions of the registered sources (ceasefire-stats add SOURCE FILE --label LABEL).
# Committed: a build names the versions it used by these labels and hashes. The files
# themselves are copied into the raw folder (versions/<source>/<label>/), never committed.
"""


class VersionError(CeasefireStatsError):
    """A version cannot be added or used: the message says why and what to do."""


@dataclasses.dataclass(frozen=True)
class Inspection:
    """What a source's reader found in a candidate file: its form (``csv``,
    ``telegram_export``), schema name, and the first and last date of its data."""

    form: str
    schema: str
    coverage_start: str
    coverage_end: str


@dataclasses.dataclass(frozen=True)
class Version:
    """One registered version of a source."""

    source: str
    label: str
    sha256: str
    size_bytes: int
    added: str
    original_name: str
    form: str
    schema: str
    coverage_start: str
    coverage_end: str
    url: str = ""
    """Where the file can be downloaded (an immutable address: a raw file at a pinned commit of
    a third-party copy), so that a machine without it gets it from the network; "" for a file
    only its owner has (a Telegram export, a Kaggle download)."""

    @property
    def path(self) -> str:
        """Where the copy sits under the raw folder."""
        return f"versions/{self.source}/{self.label}/{self.original_name}"


_FIELDS = tuple(f.name for f in dataclasses.fields(Version))
_REQUIRED = tuple(f.name for f in dataclasses.fields(Version) if f.default is dataclasses.MISSING)


def check_label(label: str) -> str:
    """``label`` if it is a usable version label (letters, digits, ``.``, ``_``, ``-``; at most
    64 characters; not :data:`PINNED`), else raise :class:`VersionError`."""
    if not isinstance(label, str) or not _LABEL.match(label):
        raise VersionError(f"bad label {label!r}: use letters, digits, '.', '_' and '-' (at most 64, "
                           "starting with a letter or digit), e.g. a date such as 2026-08-20")
    if label == PINNED:
        raise VersionError(f"the label {PINNED!r} names the registry's pinned file; choose another label")
    return label


def check_date(value: object) -> str:
    """``value`` if it is a real calendar date written ``YYYY-MM-DD``, else raise
    :class:`VersionError` (``2026-13-45`` has the shape of a date, not a date).

    >>> check_date("2026-04-04")
    '2026-04-04'
    >>> check_date("2026-13-45")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ceasefire_stats.versions.registry.VersionError: bad date '2026-13-45': month must be in 1..12; ...
    """
    if not isinstance(value, str) or not _DATE.match(value):
        raise VersionError(f"bad date {value!r}: give it as text YYYY-MM-DD, e.g. 2026-08-20")
    try:
        datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise VersionError(f"bad date {value!r}: {exc}; give a real date as YYYY-MM-DD") from None
    return value


def check_file_name(name: object) -> str:
    """``name`` if it is a plain file name (no folder part, not ``.`` or ``..``), else raise
    :class:`VersionError`: the copy of a version is ``<raw>/versions/<source>/<label>/<name>``,
    and a name such as ``../../x.csv`` would leave that folder.

    >>> check_file_name("missile_attacks_daily.csv")
    'missile_attacks_daily.csv'
    >>> check_file_name("../../escaped.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ceasefire_stats.versions.registry.VersionError: bad file name '../../escaped.csv': ...
    """
    separators = {"/", os.sep, *(os.altsep or "")}
    if (not isinstance(name, str) or name in ("", ".", "..") or "\0" in name
            or any(sep in name for sep in separators)):
        raise VersionError(f"bad file name {name!r}: a version's original name is a plain file name, without "
                           "a folder part, '.' or '..'")
    return name


def versions_file() -> Path:
    """The registry of versions: ``$CEASEFIRE_STATS_VERSIONS``, else ``versions.toml`` in the
    data root (the checkout's ``data/versions.toml``)."""
    value = os.environ.get(VERSIONS_ENV, "").strip()
    return Path(os.path.abspath(Path(value).expanduser())) if value else paths.data_dir() / "versions.toml"


class _FieldError(Exception):
    """A field of an entry of the registry that is wrong (named in the :class:`VersionError`)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(field, problem)
        self.field, self.problem = field, problem


def _check_entry(entry: Mapping[str, object]) -> Version:
    """One entry of the registry as a :class:`Version`, every field checked (the first bad
    field raises :class:`_FieldError`)."""
    def text(field: str) -> str:
        value = entry[field]
        if not isinstance(value, str):
            raise _FieldError(field, f"{value!r} is a TOML {type(value).__name__}, not text: put it in quotes")
        return value

    def checked(field: str, check) -> str:
        try:
            return check(text(field))
        except VersionError as exc:
            raise _FieldError(field, str(exc)) from None

    source = text("source")
    if source not in sources.registry():
        raise _FieldError("source", f"unknown source {source!r}; known: {', '.join(sorted(sources.registry()))}")
    checked("label", check_label)
    if not _SHA256.match(text("sha256")):
        raise _FieldError("sha256", f"{entry['sha256']!r} is not a sha256 (64 lowercase hex digits)")
    size = entry["size_bytes"]
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise _FieldError("size_bytes", f"{size!r} is not a number of bytes (a whole number, without quotes)")
    for field in _DATE_FIELDS:
        checked(field, check_date)
    if entry["coverage_start"] > entry["coverage_end"]:
        raise _FieldError("coverage_end", f"{entry['coverage_end']} is before coverage_start {entry['coverage_start']}")
    checked("original_name", check_file_name)
    for field in ("form", "schema"):
        text(field)
    if "url" in entry and not text("url").startswith("https://"):
        raise _FieldError("url", f"{entry['url']!r} is not an https:// address")
    version = Version(**{f: entry[f] for f in _FIELDS if f in entry})
    versions_root = paths.raw_dir() / "versions"
    if not Path(os.path.normpath(raw_path(version))).is_relative_to(versions_root):  # what the checks above ensure
        raise _FieldError("original_name", f"{version.path} leaves the folder of versions")
    return version


def parse_versions(text: str, origin: str = "versions.toml") -> dict[tuple[str, str], Version]:
    """Parse registry text -> versions by ``(source, label)``; raise :class:`VersionError` naming
    the entry and field of a malformed one (module docstring: what is checked)."""
    data = sources.read_toml(text, origin, VersionError, "a registry of versions")
    unknown = sorted(set(data) - {"version"})
    entries = data.get("version", [])
    if unknown or not isinstance(entries, list):
        raise VersionError(f"{origin}: a registry of versions holds only [[version]] tables, not "
                           f"{unknown or 'version = ' + type(entries).__name__}")
    out: dict[tuple[str, str], Version] = {}
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise VersionError(f"{origin}: version entry {number}: not a [[version]] table")
        missing = [f for f in _REQUIRED if f not in entry]
        unknown = sorted(set(entry) - set(_FIELDS))
        if missing or unknown:
            raise VersionError(f"{origin}: version entry {number}: missing fields {missing}, unknown fields {unknown}")
        try:
            version = _check_entry(entry)
        except _FieldError as exc:
            raise VersionError(f"{origin}: version entry {number} ({entry['source']!r} {entry['label']!r}): field "
                               f"{exc.field!r}: {exc.problem}; correct the entry or remove it") from None
        if (version.source, version.label) in out:
            raise VersionError(f"{origin}: {version.source} {version.label} is registered twice")
        out[(version.source, version.label)] = version
    return out


def read_versions() -> dict[tuple[str, str], Version]:
    """Every registered version by ``(source, label)`` (empty when there is no registry yet)."""
    path = versions_file()
    if not path.is_file():
        return {}
    return parse_versions(path.read_text(encoding="utf-8"), origin=path.name)


def _toml_value(value: object) -> str:
    # a JSON string (ensure_ascii=False escapes only quotes, backslashes and control
    # characters, as \" \\ \n \uXXXX) is a valid TOML basic string
    return str(value) if isinstance(value, int) else json.dumps(str(value), ensure_ascii=False)


def format_versions(versions: Mapping[tuple[str, str], Version]) -> str:
    """The registry text: a header, then one ``[[version]]`` table per version, sorted by
    source and label (stable diffs)."""
    blocks = [_HEADER]
    for key in sorted(versions):
        version = versions[key]
        lines = [f"{f} = {_toml_value(getattr(version, f))}" for f in _FIELDS
                 if f in _REQUIRED or getattr(version, f)]
        blocks.append("[[version]]\n" + "\n".join(lines) + "\n")
    return "\n".join(blocks)


def _write_versions(versions: Mapping[tuple[str, str], Version]) -> None:
    with atomic_write(versions_file()) as tmp:
        tmp.write_text(format_versions(versions), encoding="utf-8")


@contextlib.contextmanager
def locked() -> Iterator[Path]:
    """Hold the lock of the registry of versions (``.<name>.lock`` beside it, ``fcntl.flock``)
    for a read, modify and write of it: a second ``add`` waits until the first has written, then
    reads the registry with the first one's version in it. Yields the registry's path."""
    path = versions_file()
    lock = path.with_name(f".{path.name}.lock")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock, "a")
    except OSError as exc:
        raise VersionError(f"cannot lock the registry of versions {path}: {exc.strerror or type(exc).__name__}; "
                           f"make its folder writable (or set {VERSIONS_ENV})") from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield path


def labels(source: str) -> list[str]:
    """The labels of a source: :data:`PINNED` first, then the registered ones in order."""
    sources.get_source(source)
    return [PINNED, *sorted(label for s, label in read_versions() if s == source)]


def get_version(source: str, label: str) -> Version:
    """A registered version; unknown ones raise :class:`VersionError` listing the known labels."""
    sources.get_source(source)
    check_label(label)  # a label of another shape (../x) is never registered: say so, not "add it"
    found = read_versions().get((source, label))
    if found is None:
        raise VersionError(f"no version {label!r} of {source}; known: {', '.join(labels(source))}. "
                           f"Register a file with `ceasefire-stats add {source} FILE --label {label}`")
    return found


def sha256(source: str, label: str = PINNED) -> str:
    """The sha256 of a version (the registry's for :data:`PINNED`)."""
    return sources.get_source(source).sha256 if label == PINNED else get_version(source, label).sha256


def raw_path(version: Version) -> Path:
    """Where the copy of ``version`` lives in the raw folder (whether or not it is there)."""
    return paths.raw_dir() / version.path


def _mirror_copy(version: Version) -> Path | None:
    mirror = paths.mirror_dir()
    if mirror is None:
        return None
    folder = Path(sources.get_source(version.source).path).parent
    return mirror / folder / "versions" / version.label / version.original_name


def require(source: str, label: str = PINNED) -> Path:
    """The path of a present, verified file of the version (the pinned file for
    :data:`PINNED`, fetched if absent); a missing copy of a registered version is restored from
    the mirror when there is one with the same sha256."""
    if label == PINNED:
        return sources.require(source)
    version = get_version(source, label)
    dest = raw_path(version)
    if dest.is_file() and sha256_file(dest) == version.sha256:
        return dest
    copy = _mirror_copy(version)
    if copy is not None and copy.is_file() and sha256_file(copy) == version.sha256:
        with atomic_write(dest) as tmp:
            shutil.copyfile(copy, tmp)
            if sha256_file(tmp) != version.sha256:  # changed while copying
                raise ChecksumError(source, version.path, version.sha256, sha256_file(tmp), "mirror")
        return dest
    state = "differs from the registered sha256" if dest.is_file() else "is not in the raw folder"
    if version.url and copy is None:  # no mirror: download it, verified against the registered sha256
        try:
            _download(version, dest)
            return dest
        except SourceUnavailableError as exc:
            raise SourceUnavailableError(
                f"version {label!r} of {source}: its file {state} and {getattr(exc, 'url', version.url)} could "
                f"not be reached ({getattr(exc, 'reason', exc)}); download it from {version.url} (or set "
                f"CEASEFIRE_STATS_MIRROR to a folder holding it) and add it with `ceasefire-stats add {source} "
                f"FILE --label {label}`") from None
    where = f"download it from {version.url} and add it" if version.url else "add the file again"
    raise SourceUnavailableError(
        f"version {label!r} of {source} is registered (sha256 {version.sha256}) but its file {state}"
        + (f" nor in the mirror ({copy})" if copy is not None else "")
        + f": {where} with `ceasefire-stats add {source} FILE --label {label}` (original name "
        f"{version.original_name})")


def _download(version: Version, dest: Path) -> None:
    """Download ``version`` from its address (``$CEASEFIRE_STATS_BASE_URL/<mirror layout path>``
    when that is set), verified against its sha256 before it reaches ``dest``."""
    folder = Path(sources.get_source(version.source).path).parent
    as_source = dataclasses.replace(
        sources.get_source(version.source), name=f"{version.source} version {version.label}",
        path=f"{folder.as_posix()}/versions/{version.label}/{version.original_name}",
        sha256=version.sha256, size_bytes=version.size_bytes, url=version.url)
    sources._download(as_source, dest, progress=False, retries=2)


def describe(source: str, label: str = PINNED) -> dict[str, str]:
    """What a build records of the version it used: label, sha256, and its data span."""
    if label == PINNED:
        pinned = sources.get_source(source)
        return {"label": PINNED, "sha256": pinned.sha256, "coverage_end": pinned.coverage_end}
    version = get_version(source, label)
    return {"label": label, "sha256": version.sha256, "coverage_end": version.coverage_end}


def register(source: str, file: str | Path, inspection: Inspection, label: str | None = None,
             added: str | None = None) -> tuple[Version, str]:
    """Register ``file`` (already inspected by the source's reader) as a version of ``source``:
    copy it into the raw folder and record it in the registry of versions. Returns the version
    and the action: ``added``, ``present`` (same bytes, same label: nothing to do) or
    ``restored`` (same bytes, the raw copy was missing).

    ``label`` defaults to the last date of the data; ``added`` (``YYYY-MM-DD``) too, so that
    the registry is the same on every machine. Nothing is written when a check fails.
    """
    sources.get_source(source)
    file = Path(file)
    label = check_label(label if label is not None else inspection.coverage_end)
    added = check_date(added if added is not None else inspection.coverage_end)
    name = check_file_name(file.name)
    with locked():
        return _register(source, file, name, inspection, label, added)


def _register(source: str, file: Path, name: str, inspection: Inspection, label: str, added: str,
              ) -> tuple[Version, str]:
    """:func:`register`, under the lock of the registry."""
    digest, size = sha256_file(file), file.stat().st_size
    known = read_versions()
    if digest == sources.get_source(source).sha256:
        raise VersionError(f"{file.name} is the pinned file of {source} (sha256 {digest}): it is the "
                           f"default already, as version {PINNED!r}")
    existing = known.get((source, label))
    if existing is not None and existing.sha256 != digest:
        raise VersionError(f"the label {label!r} of {source} is registered for other bytes: registered sha256 "
                           f"{existing.sha256}, this file's sha256 {digest}; choose another label")
    same_bytes = [v for v in known.values() if v.source == source and v.sha256 == digest and v.label != label]
    if same_bytes:
        raise VersionError(f"{file.name} (sha256 {digest}) is registered already as version "
                           f"{same_bytes[0].label!r} of {source}; use that label")
    version = existing or Version(source=source, label=label, sha256=digest, size_bytes=size, added=added,
                                  original_name=name, form=inspection.form, schema=inspection.schema,
                                  coverage_start=inspection.coverage_start,
                                  coverage_end=inspection.coverage_end)
    dest = raw_path(version)
    copied = not (dest.is_file() and sha256_file(dest) == digest)
    if copied:
        with atomic_write(dest) as tmp:
            shutil.copyfile(file, tmp)
            if sha256_file(tmp) != digest:
                raise VersionError(f"{file.name} changed while it was copied; add it again")
    if existing is not None:
        return version, "restored" if copied else "present"
    try:
        _write_versions({**known, (source, label): version})
    except BaseException:
        if copied:
            dest.unlink(missing_ok=True)
        raise
    return version, "added"


def table(source: str | None = None):
    """The registry of versions as a table (one row per version; all sources, or one)."""
    import pandas as pd

    rows = [dataclasses.asdict(v) for key, v in sorted(read_versions().items()) if source in (None, key[0])]
    return pd.DataFrame(rows, columns=list(_FIELDS))
