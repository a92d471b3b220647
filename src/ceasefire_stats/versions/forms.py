"""The input forms each source's cleaner reads, and the check of a candidate version file.

:func:`inspect` is what ``ceasefire-stats add`` runs before a file is registered as a version
(:mod:`ceasefire_stats.versions.registry`): the source's own reader reads it whole, so a file the
build could not read is refused up front (an unknown schema with the columns that differ, a
file that is not JSON, JSON of another shape), and the span of its data is measured (the
default label and date of a version are its last data date, so a registry is the same on
every machine).

Forms: ``airforce_strikes`` reads every known schema of the Air Force file
(:data:`~ceasefire_stats.clean.airforce.KNOWN_SCHEMAS`); ``mod_posts`` reads the scraped CSV
or a Telegram Desktop export (:mod:`~ceasefire_stats.clean.telegram_export`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ceasefire_stats.clean import airforce, mod_posts, telegram_export
from ceasefire_stats.core.errors import InputError
from ceasefire_stats.core.rawcsv import read_csv_text
from ceasefire_stats.nights import UTC
from ceasefire_stats.versions.registry import Inspection, VersionError

MOD_CSV_SCHEMA = "5 columns (Androm2018 Telethon scrape)"


def _span(dates: pd.Series, path: Path, column: str) -> tuple[str, str]:
    dates = dates.dropna()
    if dates.empty:
        raise InputError(f"{path.name}: no row has a readable {column}; cannot tell what period the file covers")
    return str(dates.min().date()), str(dates.max().date())


def _inspect_airforce(path: Path) -> Inspection:
    if telegram_export.is_export(path):
        raise InputError(f"{path.name}: a JSON file; the Air Force file is a CSV with one of the known "
                         f"schemas ({', '.join(airforce.KNOWN_SCHEMAS)})")
    frame = read_csv_text(path, (), allow_extra=True)
    schema = airforce.detect_schema([c for c in frame.columns if c != "raw_row"], path.name)
    starts = airforce.parse_times(pd.Index(frame["time_start"].unique(), dtype="str"))["naive"]
    plausible = starts[(starts >= airforce.PLAUSIBLE_FROM.tz_localize(None))
                       & (starts < airforce.PLAUSIBLE_UNTIL.tz_localize(None))]
    first, last = _span(plausible, path, "time_start")
    return Inspection(form="csv", schema=schema, coverage_start=first, coverage_end=last)


def _inspect_mod(path: Path) -> Inspection:
    raw = mod_posts.read_raw(path)
    export = telegram_export.is_export(path)
    posted = pd.to_datetime(raw["datetime"], format="%Y-%m-%d %H:%M", errors="coerce").dt.tz_localize(UTC)
    plausible = posted[(posted >= mod_posts.PLAUSIBLE_FROM) & (posted < mod_posts.PLAUSIBLE_UNTIL)]
    first, last = _span(plausible, path, "datetime" if not export else "date_unixtime")
    return Inspection(form=telegram_export.FORM if export else "csv",
                      schema=telegram_export.SCHEMA if export else MOD_CSV_SCHEMA,
                      coverage_start=first, coverage_end=last)


INSPECTORS = {"airforce_strikes": _inspect_airforce, "mod_posts": _inspect_mod}
"""The sources that take versions, and the check of each."""


def inspect(source: str, path: str | Path) -> Inspection:
    """Read ``path`` as a version of ``source`` with the source's own reader: its form, schema
    and data span; raise :class:`~ceasefire_stats.core.errors.InputError` naming what is wrong."""
    if source not in INSPECTORS:
        raise VersionError(f"versions can be added for {', '.join(sorted(INSPECTORS))}, not {source!r}")
    path = Path(path)
    if not path.is_file():
        state = "a folder" if path.is_dir() else "not a regular file" if path.exists() else "no such file"
        raise InputError(f"{path}: {state}; give the file to add" if path.exists() else f"{path}: {state}")
    return INSPECTORS[source](path)
