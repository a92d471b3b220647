"""Ukrainian Air Force strike reports (piterfm ``missile_attacks_daily.csv``) -> tidy tables.

Tables (grain):

- ``strikes``: one row per report entry = source post x attack window x weapon entry
  (a weapon entry is one model, or one bundle of models reported with a single figure).
- ``strike_regions``: one row per strike entry x published region (or region group) x
  measure (``affected``, ``destroyed``, ``border_crossing``), from the Python-literal cells.

Every raw row ends kept, rejected (reason, column, value, detail) or duplicate in the
:class:`~ceasefire_stats.core.ledger.Ledger`; kept rows that break a soft invariant are flagged,
never altered. Upstream quirks are handled by name below (see ``docs/strikes.md``).

All work is vectorised; parsing of times, counts, models, sources, places and literal cells
runs once per *distinct* cell value (:meth:`_Columns.per_value`) and is mapped to the rows
where needed, for the rows needed.

Memory (issue 11; figures in ``docs/strikes.md``, "Memory"): no frame of every raw row's
results is made; the tables' columns are built for the kept rows into buffers of their exact
size (:mod:`ceasefire_stats.core.memory`, :func:`_typed`), and ``strikes``, the largest, last,
once the memory freed before it is returned
(:func:`~ceasefire_stats.core.memory.return_freed_memory`). At 64x the real file a row costs
about 0.89 KB at the peak, about a third of the 2.7 KB it cost before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute

from ceasefire_stats import nights
from ceasefire_stats.clean import regions_ua, weapons
from ceasefire_stats.core.errors import InputError
from ceasefire_stats.core.fields import Field, cast_series, define, get, schema
from ceasefire_stats.core.ledger import Ledger, flag_rows, reject_rows
from ceasefire_stats.core.memory import return_freed_memory, take_text, with_digits
from ceasefire_stats.core.rawcsv import iter_csv_text, read_csv_text
from ceasefire_stats.text import pyliteral
from ceasefire_stats.vocab import AIR_FORCE, REPORTING_BODIES, SOURCE_CLAIMANTS, WEAPON_CLASSES

SOURCE = "airforce_strikes"
CLAIMANT = AIR_FORCE
DIRECTION = SOURCE_CLAIMANTS[AIR_FORCE]

# ---------------------------------------------------------------------------------------
# Constant maps
# ---------------------------------------------------------------------------------------

#: The 22 columns of the file version in the registry, in order.
RAW_COLUMNS = [
    "time_start", "time_end", "model", "launch_place", "target", "target_main", "launched",
    "destroyed", "not_reach_goal", "still_attacking", "border_crossing", "is_shahed",
    "num_hit_location", "num_fall_fragment_location", "carrier", "turbojet", "turbojet_destroyed",
    "affected region", "destroyed_details", "launched_details", "launch_place_details", "source",
]
#: A later upstream version adds ``status_data``; its ``hidden`` rows carry a placeholder 0
#: in launched/destroyed (ballistic figures withheld from 2026-08-13): read as missing, flagged.
OPTIONAL_COLUMNS = ["status_data"]
#: ``status_data`` values: ``hidden`` = figures withheld (placeholder 0); empty = published.
STATUS_HIDDEN = "hidden"
WITHHELD_COUNTS = ("launched", "destroyed")
#: The older 17-column schema (Kaggle versions up to spring 2025): no target_main, is_shahed,
#: hit/debris locations or turbojet columns; border crossings in two count columns.
OLD_COLUMNS = [
    "time_start", "time_end", "model", "launch_place", "target", "carrier", "launched", "destroyed",
    "not_reach_goal", "cross_border_belarus", "back_russia", "still_attacking", "affected region",
    "destroyed_details", "launched_details", "launch_place_details", "source",
]
#: Every known schema of the upstream file: name -> its columns (compared as a set, any order).
KNOWN_SCHEMAS: dict[str, list[str]] = {
    "22 columns": RAW_COLUMNS,
    "22 columns + status_data": RAW_COLUMNS + OPTIONAL_COLUMNS,
    "17 columns": OLD_COLUMNS,
}
#: The old schema's border columns -> the key of the current ``border_crossing`` dict.
_OLD_BORDER = {"cross_border_belarus": "belarus", "back_russia": "russia"}

#: Raw count column -> output column. ``is_shahed`` is NOT a flag: it is the Air Force's
#: rounded "about N of them were Shaheds" figure.
COUNT_COLUMNS = {
    "launched": "launched", "destroyed": "destroyed", "not_reach_goal": "not_reach_goal",
    "still_attacking": "still_attacking", "num_hit_location": "hit_locations",
    "num_fall_fragment_location": "debris_locations", "is_shahed": "is_shahed_about",
    "turbojet": "turbojet", "turbojet_destroyed": "turbojet_destroyed",
}

#: Source page handle (lower case) -> (reporting_body, kind). ``kind`` is ``national`` for
#: the Air Force's own posts, ``regional_command`` for its regional air commands (whose
#: daily date-only rows overlap the national overnight rows), ``other_official`` and
#: ``unofficial`` for the rest.

PLAUSIBLE_FROM = pd.Timestamp("2022-02-24", tz=nights.KYIV)
PLAUSIBLE_UNTIL = pd.Timestamp("2031-01-01", tz=nights.KYIV)
"""A report's window lies within [24 Feb 2022 (the full-scale invasion), 1 Jan 2031); a date
outside (a mistyped year 0000 or 2099) is rejected ``implausible_date``, never kept. Move the
upper bound when a source version reaches it."""
MAX_WINDOW = pd.Timedelta(days=3)
"""The longest plausible report window: the registered file's longest is 34.5 hours; a longer
one (a mistyped day, month or year) is rejected ``implausible_window``."""

# ``2025-03-18 19:00``, ``2025-03-20`` (date only), ``2023-05-16 3:30`` (single-digit hour);
# surrounding whitespace (``'2025-03-06 21:00 '``) is stripped before matching.
_TIME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[ T](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::00)?)?$")
_HASH_KEY = "ceasefire-stats!"  # 16 bytes: fixes pandas' row hash, so ids are stable

MAX_COUNT = 1_000_000  # more weapons than this in one entry is a typo, not a report

# ---------------------------------------------------------------------------------------
# Fields and schemas (each column defined once)
# ---------------------------------------------------------------------------------------

_COUNT = (pa.Check.ge(0),)
define(
    Field("strike_id", "str", "stable id of a strike entry: 'afs_' + 20 decimal digits of a hash of "
          "source, window and published model, place and target", nullable=False, unique=True,
          checks=(pa.Check.str_matches(r"^afs_\d{20}$"),)),
    Field("source_ref", "str", "the source post as given upstream (partial Facebook path or URL)",
          nullable=False),
    Field("reporting_body", "str", "who published the report: 'air_force' (national Air Force posts), "
          "a regional air command ('pvk_pivden'...), or another body", nullable=False,
          checks=(pa.Check.isin([b for b, _ in REPORTING_BODIES.values()]),)),
    Field("date_only", "bool", "True when a window bound was published as a date only (the bound "
          "is then that date's 00:00, or the next day's 00:00 for an end)", nullable=False),
    Field("model", "str", "weapon model (or bundle) as published", nullable=False),
    Field("model_canonical", "str", "canonical model name(s); bundles joined with ' + '", nullable=False),
    Field("weapon_class", "str", "weapon class (see vocab.WEAPON_CLASSES)", nullable=False,
          checks=(pa.Check.isin(list(WEAPON_CLASSES)),)),
    Field("is_bundle", "bool", "True when one figure covers several models", nullable=False),
    Field("component_models", "str", "canonical component models joined with '|'", nullable=False),
    Field("launched", "Int64", "weapons launched (as reported)", unit="count", checks=_COUNT),
    Field("destroyed", "Int64", "weapons shot down or suppressed", unit="count", checks=_COUNT),
    Field("not_reach_goal", "Int64", "'lost from radar' (mostly decoys or electronic warfare); "
          "reported from 2024-07", unit="count", checks=_COUNT),
    Field("still_attacking", "Int64", "weapons still in the air when the post was published",
          unit="count", checks=_COUNT),
    Field("hit_locations", "Int64", "number of locations hit", unit="count", checks=_COUNT),
    Field("debris_locations", "Int64", "number of locations with falling debris", unit="count",
          checks=_COUNT),
    Field("is_shahed_about", "Int64", "the Air Force's rounded 'about N were Shaheds' figure "
          "(upstream column is_shahed; not a flag)", unit="count", checks=_COUNT),
    Field("turbojet", "Int64", "jet-powered drones launched (as reported)", unit="count", checks=_COUNT),
    Field("turbojet_destroyed", "Int64", "jet-powered drones destroyed", unit="count", checks=_COUNT),
    Field("launch_place", "str", "launch places as published, joined with ' and ' (not split: "
          "one place can contain a comma)"),
    Field("target", "str", "target as published"),
    Field("target_region_id", "str", "target canonicalised (clean.regions_ua); missing when empty "
          "or unknown (unknown names are flagged)"),
    Field("target_main", "str", "main target as published"),
    Field("carrier", "str", "launch platform as published"),
    Field("component_launched", "str", "per-component launch figures of a bundle, 'model=count' "
          "joined with '|' (upstream launched_details)"),
    Field("component_launch_places", "str", "per-component launch places, 'model=places' joined "
          "with '|' (upstream launch_place_details)"),
    Field("measure", "str", "what the region row counts: 'affected' (named as affected, no count), "
          "'destroyed' (destroyed over that region), 'border_crossing' (crossed that border)",
          nullable=False, checks=(pa.Check.isin(["affected", "destroyed", "border_crossing"]),)),
    Field("region_raw", "str", "the region (or ' and ' group) as published", nullable=False),
    Field("region_kind", "str", "oblast, raion, city, sector, country, foreign or group"),
    Field("count", "Int64", "the published figure for the region; missing when published as NaN "
          "or when the measure has no figure", unit="count", checks=_COUNT),
)

STRIKES_COLUMNS = [
    "strike_id", "raw_row", "source_ref", "reporting_body", "window_start", "window_end", "date_only",
    "attribution_date", "model", "model_canonical", "weapon_class", "is_bundle", "component_models",
    "launched", "destroyed", "not_reach_goal", "still_attacking", "hit_locations", "debris_locations",
    "claimant", "direction", "is_shahed_about", "turbojet", "turbojet_destroyed", "launch_place",
    "target", "target_region_id", "target_main", "carrier", "component_launched",
    "component_launch_places",
]
_REGION_MEASURES = (("affected region", "affected"), ("border_crossing", "border_crossing"),
                    ("destroyed_details", "destroyed"))  # in the order rows are listed per strike
REGION_COLUMNS = ["strike_id", "raw_row", "measure", "region_raw", "region_id", "region_kind", "count"]
_KYIV_TIME = {"dtype": f"datetime64[us, {nights.KYIV}]"}


def _window_check(frame: pd.DataFrame) -> pd.Series:
    return frame["window_end"] >= frame["window_start"]


STRIKES_SCHEMA = schema(
    "strikes", STRIKES_COLUMNS,
    overrides={"window_start": _KYIV_TIME | {"nullable": False}, "window_end": _KYIV_TIME | {"nullable": False},
               "attribution_date": {"nullable": False},
               "claimant": {"checks": [pa.Check.isin([CLAIMANT])]}},
    checks=[pa.Check(_window_check, name="window_end >= window_start")],
)
REGIONS_SCHEMA = schema("strike_regions", REGION_COLUMNS, unique=["strike_id", "measure", "region_raw"],
                        overrides={"strike_id": {"unique": False}})
#: The schemas of this step's tables (``pipeline.load`` validates loaded tables with them).
SCHEMAS = {"strikes": STRIKES_SCHEMA, "strike_regions": REGIONS_SCHEMA}

def _typed(columns: dict[str, object], names: list[str]) -> pd.DataFrame:
    """The table of ``columns`` (arrays of one length, or a value for every row) in the order
    ``names``, each cast to its field's dtype, window bounds in Kyiv time (as
    :func:`~ceasefire_stats.core.fields.cast` does). A column that has its dtype already is not
    copied: pandas' constructor copies a dict's columns by default, and the table would be held
    twice while it is made (the strikes table is the largest thing the cleaner holds)."""
    frame = pd.DataFrame(columns, columns=names, copy=False)
    dtypes = {c: _KYIV_TIME["dtype"] if c in ("window_start", "window_end") else get(c).dtype for c in names}
    return pd.DataFrame({c: cast_series(frame[c], dtypes[c]) for c in names}, columns=names, copy=False)


# ---------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------


def detect_schema(columns: list[str] | pd.Index, file: str = "the file") -> str:
    """The name of the known schema (:data:`KNOWN_SCHEMAS`) with exactly these columns; else
    raise :class:`~ceasefire_stats.core.errors.InputError` listing the columns that differ from
    the closest known schema.

    >>> detect_schema(OLD_COLUMNS)
    '17 columns'
    >>> detect_schema(RAW_COLUMNS[:-1] + ["url"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ceasefire_stats.core.errors.InputError: the file: row 1 (header): missing columns ['source'], unexpected columns ['url'] (...)
    """
    present = list(columns)
    for name, known in KNOWN_SCHEMAS.items():
        if set(present) == set(known) and len(present) == len(known):
            return name

    def distance(known: list[str]) -> int:
        return len(set(known) ^ set(present))

    name, known = min(KNOWN_SCHEMAS.items(), key=lambda item: distance(item[1]))
    missing = [c for c in known if c not in present]
    unexpected = [c for c in present if c not in known]
    if not missing and not unexpected:  # a column repeated
        unexpected = sorted({c for c in present if present.count(c) > 1})
    raise InputError(f"{file}: row 1 (header): missing columns {missing}, unexpected columns {unexpected} "
                     f"(compared with the closest known schema of the Air Force file, {name}; known: "
                     f"{', '.join(KNOWN_SCHEMAS)})")


def _border_literal(raw: pd.DataFrame) -> pd.Series:
    """The old schema's two border count columns -> the current ``border_crossing`` literal
    (``{'belarus': 1.0, 'russia': 3.0}``, ``{}`` when both are empty), as upstream now writes it.

    >>> _border_literal(pd.DataFrame({"cross_border_belarus": ["1.0", "", ""],
    ...                               "back_russia": ["3.0", "2.0", ""]})).tolist()
    ["{'belarus': 1.0, 'russia': 3.0}", "{'russia': 2.0}", '{}']
    """
    parts = []
    for col, key in _OLD_BORDER.items():
        value = raw[col].astype("str").str.strip()
        parts.append(("'" + key + "': " + value).where(value != "", ""))
    joined = parts[0].str.cat(parts[1], sep=", ").str.strip(", ")
    return "{" + joined + "}"


def read_raw(path: str | Path) -> pd.DataFrame:
    """Read the raw CSV as text columns (nothing converted), plus ``raw_row`` (the line
    number of the record in the file, header = line 1), in the columns of the current
    schema, whatever known schema the file has (:data:`KNOWN_SCHEMAS`): a 17-column file
    gets empty cells for the columns it lacks and its border counts as ``border_crossing``.

    Raises :class:`~ceasefire_stats.core.errors.InputError` naming the file (and row and column
    where there is one) for an empty file, an undecodable byte, a malformed CSV, columns of no
    known schema (listing the differing columns), or a file without data rows (see
    :mod:`ceasefire_stats.core.rawcsv`).
    """
    return current_schema(read_csv_text(path, (), allow_extra=True), path)


def read_raw_chunks(path: str | Path, rows: int) -> Iterator[pd.DataFrame]:
    """:func:`read_raw` in frames of at most ``rows`` rows (which concatenated are its frame), for
    a file larger than memory (:func:`~ceasefire_stats.core.rawcsv.iter_csv_text`)."""
    for frame in iter_csv_text(path, (), allow_extra=True, rows=rows):
        yield current_schema(frame, path)


def current_schema(frame: pd.DataFrame, path: str | Path) -> pd.DataFrame:
    """A frame of the raw file (any known schema, as :func:`~ceasefire_stats.core.rawcsv.read_csv_text`
    reads it) in the columns of the current schema: :func:`read_raw` without the read, for a
    caller that also needs the file's own columns (the diff of versions)."""
    schema_name = detect_schema([c for c in frame.columns if c != "raw_row"], Path(path).name)
    if KNOWN_SCHEMAS[schema_name] is OLD_COLUMNS:
        frame = frame.assign(border_crossing=_border_literal(frame))
        for col in RAW_COLUMNS:
            if col not in frame.columns:
                frame[col] = ""
        frame = frame[[*RAW_COLUMNS, "raw_row"]]
    return frame


# ---------------------------------------------------------------------------------------
# Small vectorised helpers
# ---------------------------------------------------------------------------------------


class _PerValue(NamedTuple):
    """The results of a parse of a raw column's distinct values (``values``: one row per distinct
    value) and the column's codes. Results per raw row are made only where needed, for the rows
    needed (:meth:`take`, :meth:`rows_where`): a frame of every raw row's results, filtered to
    the kept rows when a table is made, would be held beside the tables (the weapons, bodies,
    targets, counts and joined literals of every raw row: about 60 MB at 241,280 rows)."""

    values: pd.DataFrame
    codes: np.ndarray

    def take(self, column: str, rows: np.ndarray | slice = slice(None)) -> np.ndarray | pd.api.extensions.ExtensionArray:
        """``column``'s result for the raw rows at positions (or mask) ``rows``, all by default."""
        values = self.values[column]
        if isinstance(values.dtype, np.dtype):
            return values.to_numpy()[self.codes[rows]]
        if isinstance(values.dtype, pd.StringDtype):
            return take_text(values, self.codes[rows])
        return values.array.take(self.codes[rows])

    def rows_where(self, per_value: pd.Series) -> np.ndarray:
        """A boolean mask of the distinct values -> the mask of the raw rows holding them."""
        return per_value.to_numpy(dtype=bool)[self.codes]


class _Columns:
    """Raw text columns held as factorised codes + distinct values (whitespace stripped).

    Every parse runs once per distinct value (:meth:`per_value`) and is mapped to the rows by
    the codes where needed; full text columns are materialised only where a table needs them,
    for its rows only (:meth:`take`). Codes take the smallest unsigned type that holds them (most
    columns have a few hundred distinct values: two bytes a row, not eight).
    """

    def __init__(self, raw: pd.DataFrame, columns: list[str]):
        self.codes: dict[str, np.ndarray] = {}
        self.uniques: dict[str, pd.Index] = {}
        for col in columns:
            codes, uniques = pd.factorize(raw[col].astype("str").fillna(""), use_na_sentinel=False)
            uniques = pd.Series(uniques, dtype="str")
            stripped = uniques.str.strip()  # e.g. '2025-03-06 21:00 '
            if stripped.ne(uniques).any():
                codes2, uniques2 = pd.factorize(stripped, use_na_sentinel=False)
                codes, uniques = codes2[codes], pd.Series(uniques2, dtype="str")
            self.codes[col] = codes.astype(np.min_scalar_type(max(len(uniques) - 1, 0)))
            self.uniques[col] = pd.Index(uniques, dtype="str")

    def keep(self, columns: list[str]) -> None:
        """Drop the codes and values of every column but ``columns`` (the passes are done
        and the tables need a few: not held while the largest table is made)."""
        for col in set(self.codes) - set(columns):
            del self.codes[col], self.uniques[col]

    def take(self, col: str, rows: np.ndarray | slice = slice(None), na: bool = False,
             ) -> pd.api.extensions.ExtensionArray:
        """The text of the rows at positions ``rows`` (all by default); with ``na``, empty
        cells missing (replaced on the distinct values)."""
        uniques = self.uniques[col]
        return take_text(uniques.where(uniques != "") if na else uniques, self.codes[col][rows])

    def at(self, col: str, mask: np.ndarray) -> pd.Index:
        """The text of the rows selected by ``mask``."""
        return self.uniques[col].take(self.codes[col][mask])

    def eq(self, col: str, value: str) -> np.ndarray:
        return (self.uniques[col] == value)[self.codes[col]]

    def per_value(self, col: str, func: Callable[[pd.Index], pd.DataFrame]) -> _PerValue:
        """Apply ``func`` to the distinct values (it returns a frame aligned with them): its
        results, with the codes that map them to the rows."""
        result = func(self.uniques[col])
        if len(result) != len(self.uniques[col]):
            raise AssertionError(f"{func.__name__} did not return one row per distinct value")
        result = result.astype({c: "str" for c in result.columns if result[c].dtype == object})
        return _PerValue(result.reset_index(drop=True), self.codes[col])

    def hash_values(self, col: str, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """A content hash per row at positions ``rows`` (all by default; stable across files and
        runs: hashes the text)."""
        hashed = pd.util.hash_pandas_object(self.uniques[col], index=False, hash_key=_HASH_KEY)
        return hashed.to_numpy()[self.codes[col][rows]]

    def row_hashes(self, columns: list[str], rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """One content hash per row at positions ``rows`` over the text of ``columns``: equal
        text, equal hash, in any slice of any file (the keys of the whole-file passes)."""
        # pandas' ``hash_pandas_object`` of the frame of per-column hashes, combined a column at
        # a time (its tuple hash): one array a row, not a frame of every column's
        out, mult = None, np.uint64(1000003)
        for i, col in enumerate(columns):
            hashed = pd.util.hash_array(self.hash_values(col, rows), hash_key=_HASH_KEY)
            out = np.full(len(hashed), 0x345678, dtype=np.uint64) if out is None else out
            out ^= hashed
            out *= mult
            mult += np.uint64(82520 + 2 * (len(columns) - i))
        return out + np.uint64(97531)


def parse_times(values: pd.Index) -> pd.DataFrame:
    """Parse published times: ``naive`` (local wall time, NaT when unparseable) and
    ``date_only``.

    >>> parse_times(pd.Index(["2025-03-18 19:00", "2023-05-16 3:30", "2025-03-20", "soon"]))
                    naive  date_only
    0 2025-03-18 19:00:00      False
    1 2023-05-16 03:30:00      False
    2 2025-03-20 00:00:00       True
    3                 NaT      False
    """
    parts = pd.Series(values, dtype="str").str.strip().str.extract(_TIME)
    date = pd.to_datetime(parts["date"], format="%Y-%m-%d", errors="coerce")
    hour = pd.to_numeric(parts["hour"], errors="coerce")
    minute = pd.to_numeric(parts["minute"], errors="coerce")
    ok_clock = hour.isna() | ((hour < 24) & (minute < 60))
    naive = (date + pd.to_timedelta(hour.fillna(0), unit="h") + pd.to_timedelta(minute.fillna(0), unit="m"))
    naive = naive.where(ok_clock).astype("datetime64[us]")
    return pd.DataFrame({"naive": naive, "date_only": (hour.isna() & date.notna()).to_numpy()})


def _start_bounds(values: pd.Index) -> pd.DataFrame:
    """Distinct published start times -> :func:`parse_times`, the Kyiv-time ``bound`` and
    ``shifted`` (a wall time in a DST gap or overlap, :func:`_localize`)."""
    parsed = parse_times(values)
    bound, shifted = _localize(parsed["naive"])
    return parsed.assign(bound=bound, shifted=shifted)


def _end_bounds(values: pd.Index) -> pd.DataFrame:
    """:func:`_start_bounds` for end times: a date-only end means the whole day, so its bound
    is the next day's 00:00."""
    parsed = parse_times(values)
    bound, shifted = _localize(parsed["naive"] + pd.to_timedelta(parsed["date_only"].astype("int64"), unit="D"))
    return parsed.assign(bound=bound, shifted=shifted)


def _localize(naive: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Kyiv-aware timestamps, and a flag for wall times that fall in a DST gap (shifted
    forward) or a DST overlap (read as the first, summer-time instant)."""
    strict = naive.dt.tz_localize(nights.KYIV, ambiguous="NaT", nonexistent="NaT")
    lenient = naive.dt.tz_localize(nights.KYIV, ambiguous=np.ones(len(naive), dtype=bool),
                                   nonexistent="shift_forward")
    return lenient.astype(f"datetime64[us, {nights.KYIV}]"), strict.isna() & naive.notna()


def parse_counts(values: pd.Index) -> pd.DataFrame:
    """Parse published counts (floats such as ``137.0``, or empty): ``value`` (Int64) and
    ``problem`` (``non_numeric_count``, ``non_integer_count``, ``negative_count`` or missing).

    >>> parse_counts(pd.Index(["137.0", "", "x", "-1", "2.5"]))
       value            problem
    0    137                NaN
    1   <NA>                NaN
    2   <NA>  non_numeric_count
    3   <NA>     negative_count
    4   <NA>  non_integer_count
    """
    text = pd.Series(values, dtype="str").str.strip()
    number = pd.to_numeric(text.where(text != ""), errors="coerce").astype("float64")
    finite = np.isfinite(number)
    problem = pd.Series(pd.NA, index=text.index, dtype="str")
    problem = problem.mask((text != "") & ~finite, "non_numeric_count")
    problem = problem.mask(finite & (number != np.round(number)), "non_integer_count")
    problem = problem.mask(finite & (number < 0), "negative_count")
    problem = problem.mask(finite & (number > MAX_COUNT), "implausible_count")
    good = finite & problem.isna()
    value = pd.array(np.where(good, number, 0).astype("int64"), dtype="Int64")
    value[~good.to_numpy()] = pd.NA
    return pd.DataFrame({"value": value, "problem": problem})


# Sources are partial Facebook paths (``kpszsu/posts/pfbid...``), a few full ``https://t.me/``
# URLs, ``watch/?v=...`` (a Facebook video with no page: the body is unknown), or a web page.
_SOURCE_HANDLE = r"^(?:https?://)?(?:www\.|m\.)?(?:(?:t\.me|facebook\.com|fb\.com)/)?(?P<handle>[^/?#\s]*)"


def _parse_sources(values: pd.Index) -> pd.DataFrame:
    """Page handle and reporting body of each source reference.

    >>> _parse_sources(pd.Index(["kpszsu/posts/pfbid0", "https://t.me/kpszsu/60825", "watch/?v=1"]))
       handle reporting_body
    0  kpszsu      air_force
    1  kpszsu      air_force
    2   watch            NaN
    """
    arr = pyarrow.compute.utf8_trim_whitespace(pyarrow.array(pd.Series(values, dtype="str")))
    parts = pyarrow.compute.extract_regex(arr, _SOURCE_HANDLE)  # Arrow's native regex engine
    handle = pd.Series(pd.array(pyarrow.compute.utf8_lower(parts.field("handle")), dtype="str"))
    known = pd.Index(list(REPORTING_BODIES), dtype="str").get_indexer(handle)
    bodies = pd.Index([b for b, _ in REPORTING_BODIES.values()] + [None], dtype="str")
    return pd.DataFrame({"handle": handle, "reporting_body": bodies.take(known)})


def _explode(codes: np.ndarray, item_codes: np.ndarray, n_cells: int) -> tuple[np.ndarray, np.ndarray]:
    """Join per-distinct-cell items (``item_codes``: the code of each item's cell) to the rows
    holding each code: per row x item (rows in order, a cell's items in order), the row's
    position in ``codes`` and the item's position in ``item_codes`` (numpy, no merge, no frame).

    >>> _explode(np.array([1, 0, 1]), np.array([1, 0, 1]), 2)
    (array([0, 0, 1, 2, 2]), array([0, 2, 1, 0, 2]))
    """
    order = np.argsort(item_codes, kind="stable")
    per_code = np.bincount(item_codes, minlength=n_cells)
    offsets = np.concatenate([[0], np.cumsum(per_code)[:-1]])
    rows = np.flatnonzero(per_code[codes] > 0)
    repeat = per_code[codes[rows]]
    row_of_item = np.repeat(rows, repeat)
    within = np.arange(len(row_of_item)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    return row_of_item, order[np.repeat(offsets[codes[rows]], repeat) + within]


def _stable_id(hashes: dict[str, np.ndarray], prefix: str) -> pd.Series:
    """``prefix`` + the 20-digit decimal of pandas' keyed hash of per-column content hashes
    (deterministic across runs, files and row order; vectorised)."""
    hashed = pd.util.hash_pandas_object(pd.DataFrame(hashes, copy=False), index=False, hash_key=_HASH_KEY).to_numpy()
    return pd.Series(pd.array(with_digits(prefix, hashed), dtype="str"))


def _prefixed(prefix: str, numbers: pd.Series) -> pd.Series:
    """``prefix`` + each integer as text, built by Arrow (fast for a million rows)."""
    as_text = pyarrow.compute.cast(pyarrow.array(numbers.to_numpy(dtype="int64")), pyarrow.string())
    return pd.Series(pd.array(pyarrow.compute.binary_join_element_wise(prefix, as_text, ""), dtype="str"))


# ---------------------------------------------------------------------------------------
# Literal cells
# ---------------------------------------------------------------------------------------

_LITERAL_SHAPES = {  # column -> (expected container, value kind)
    "border_crossing": (dict, "count"),
    "affected region": (list, "name"),
    "destroyed_details": (dict, "count"),
    "launched_details": (dict, "count"),
    "launch_place_details": (dict, "text"),
}


def _check_value(value: object, kind: str) -> str | None:
    """None when ``value`` fits ``kind``, else a problem code."""
    if kind == "count":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "literal_non_numeric_count"
        if value != value:  # NaN: region named without a figure
            return None
        if value in (np.inf, -np.inf) or value != int(value):
            return "literal_non_integer_count"
        return "literal_negative_count" if value < 0 else None
    return None if isinstance(value, str) else "literal_wrong_type"


def _show(value: object) -> str:
    """A literal item value as text: counts without a trailing ``.0``, NaN as ``NaN``."""
    if isinstance(value, float):
        return "NaN" if value != value else (str(int(value)) if value.is_integer() else str(value))
    return str(value)


def _literal_cells(values: pd.Index, column: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse the distinct non-empty cells of a literal column.

    Returns ``long`` (code, key, value: one row per dict item or list element; ``value`` is
    a float count, text, or missing) and ``bad`` (code, reason, detail) for cells that do
    not parse or have the wrong shape. ``code`` is the position in ``values``.
    """
    container, kind = _LITERAL_SHAPES[column]
    cells = [v for v in values if v.strip()]
    parsed, errors = pyliteral.parse_unique(cells)
    position = {v: i for i, v in enumerate(values)}
    long_rows, bad_rows = [], []
    for cell, exc in errors.items():
        bad_rows.append((position[cell], "unparseable_literal", str(exc)))
    for cell, obj in parsed.items():
        code = position[cell]
        if not isinstance(obj, container):
            bad_rows.append((code, "literal_wrong_shape", f"expected a {container.__name__}, "
                             f"found a {type(obj).__name__}"))
            continue
        items = list(obj.items()) if isinstance(obj, dict) else [(v, None) for v in obj]
        problems = [(k, v) for k, v in items if not isinstance(k, str)
                    or (isinstance(obj, dict) and _check_value(v, kind) is not None)]
        if problems:
            k, v = problems[0]
            reason = "literal_wrong_type" if not isinstance(k, str) else _check_value(v, kind)
            bad_rows.append((code, reason, f"item {k!r}: {v!r}"))
            continue
        long_rows.extend((code, k, v) for k, v in items)
    long = pd.DataFrame(long_rows, columns=["code", "key", "value"])
    bad = pd.DataFrame(bad_rows, columns=["code", "reason", "detail"])
    return long, bad


# ---------------------------------------------------------------------------------------
# The passes: each reads the raw text columns (and what earlier passes found), records its
# rejects and flags in a _Findings, and returns its results per raw row
# ---------------------------------------------------------------------------------------

#: The report key without its source: window, model, place and target.
_NATURAL_KEY = ["time_start", "time_end", "model", "launch_place", "target"]
#: The report key: a report's entry for one weapon model (two rows with it are one entry twice).
_REPORT_KEY = [*_NATURAL_KEY, "source"]
#: The raw text columns the tables read (``strike_id`` hashes four of them).
_TABLE_TEXT = ["source", "model", "launch_place", "target", "target_main", "carrier"]


class _Findings:
    """The rejects and flags the passes find, in the order found (the order the ledger keeps)."""

    def __init__(self, raw_row: pd.Series):
        self.raw_row = raw_row
        self.rejects: list[pd.DataFrame | None] = []
        self.flags: list[pd.DataFrame | None] = []

    def reject(self, mask: np.ndarray, reason: str, column: str, values: object, detail: object = "") -> None:
        """Reject the raw rows selected by ``mask`` (see :func:`~ceasefire_stats.core.ledger.reject_rows`)."""
        self.rejects.append(reject_rows(self.raw_row, mask, reason, column, values, detail))

    def flag(self, mask: np.ndarray, flag: str, detail: object) -> None:
        """Flag the raw rows selected by ``mask`` (see :func:`~ceasefire_stats.core.ledger.flag_rows`)."""
        self.flags.append(flag_rows(self.raw_row, mask, flag, detail))


def _concat(frames: list[pd.DataFrame | None]) -> pd.DataFrame | None:
    """Reject or flag frames (None where none was found) -> one frame, or None when all are None."""
    found = [f for f in frames if f is not None]
    return pd.concat(found, ignore_index=True) if found else None


class _Window(NamedTuple):
    """The attack window: each bound per distinct published time (:func:`_start_bounds`,
    :func:`_end_bounds`), taken for the rows a table keeps (:meth:`bounds`)."""

    start: _PerValue
    end: _PerValue

    def bounds(self, rows: np.ndarray | slice = slice(None)) -> tuple[pd.Series, pd.Series]:
        """The Kyiv-time start and end of the rows at ``rows`` (all by default)."""
        return pd.Series(self.start.take("bound", rows)), pd.Series(self.end.take("bound", rows))

    def date_only(self, rows: np.ndarray) -> np.ndarray:
        """Whether a bound of the rows at ``rows`` was published as a date only."""
        return self.start.take("date_only", rows) | self.end.take("date_only", rows)


class _CellItems(NamedTuple):
    """The items of a literal column's distinct cells (``items``: code, key, value; one row per
    dict item or list element) and the column's codes; joined to the rows that keep them only
    when ``strike_regions`` is made (:func:`_explode`), never to every raw row."""

    items: pd.DataFrame
    codes: np.ndarray
    n_cells: int


class _Literals(NamedTuple):
    """The literal cells of each literal column (keyed by raw column name)."""

    items: dict[str, _CellItems]  # the items of the distinct cells
    joined: dict[str, _PerValue]  # per distinct cell: 'key=value' items joined with '|' (``joined``)
    sums: dict[str, pd.Series]  # per raw row: sum of the numeric item values (float)


def _duplicates(text: _Columns, raw_row: pd.Series) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Raw rows -> masks per raw row (``is_dup``, ``conflict``) and the duplicates (one row per repeat)."""
    return duplicates_by_hash(text.row_hashes(_REPORT_KEY), lambda rows: text.row_hashes(RAW_COLUMNS, rows),
                              raw_row)


def duplicates_by_hash(report_key: np.ndarray, row_hash: Callable[[np.ndarray], np.ndarray],
                       raw_row: pd.Series) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Whole file: hashes of each raw row's report key, and ``row_hash(positions)`` of whole rows
    (:func:`row_keys`) -> masks per raw row (``is_dup``, ``conflict``) and the duplicates."""
    # Duplicates: identical in every raw column (after stripping whitespace). A true duplicate
    # shares the report key (window, model, place, target, source); only rows whose key
    # repeats are compared on every column.
    n = len(raw_row)
    key_src_hash = pd.Series(report_key)
    same_key = np.flatnonzero(key_src_hash.duplicated(keep=False).to_numpy())
    is_dup = np.zeros(n, dtype=bool)
    conflict = np.zeros(n, dtype=bool)
    duplicates = pd.DataFrame({"raw_row": pd.array([], dtype="Int64"), "duplicate_of": pd.array([], dtype="Int64")})
    if len(same_key):
        full = pd.Series(row_hash(same_key))
        dup_here = full.duplicated(keep="first").to_numpy()
        is_dup[same_key] = dup_here
        first = raw_row.iloc[same_key].groupby(full.to_numpy()).transform("first").to_numpy()
        duplicates = pd.DataFrame({"raw_row": raw_row.iloc[same_key[dup_here]].to_numpy(),
                                   "duplicate_of": first[dup_here]}).astype("Int64")
        # same report key, other values: which row is right cannot be told
        distinct = same_key[~dup_here]
        conflict[distinct] = key_src_hash.iloc[distinct].duplicated(keep=False).to_numpy()
    return is_dup, conflict, duplicates


def row_keys(raw: pd.DataFrame) -> pd.DataFrame:
    """Per raw row of a frame from :func:`read_raw` (or of any slice of one): ``raw_row`` and
    content hashes of its report key, its natural key and the whole row (every raw column,
    whitespace stripped). Equal text has equal hashes in any slice of any file, so the
    whole-file passes (:func:`duplicates_by_hash`, :func:`key_conflict_rejects`,
    :func:`key_collision_flags`) can run on the keys of slices cleaned apart
    (the cleaner contract's :func:`~ceasefire_stats.clean.airforce.step.combine`).

    >>> raw = pd.DataFrame({c: ["x", "x ", "x"] for c in RAW_COLUMNS} | {"raw_row": [2, 3, 4]})
    >>> raw.loc[2, "carrier"] = "y"
    >>> keys = row_keys(raw)
    >>> [keys[k].nunique() for k in ("report_key", "natural_key", "row")]
    [1, 1, 2]
    """
    return _keys(_Columns(raw, RAW_COLUMNS), pd.Series(pd.array(raw["raw_row"], dtype="Int64")))


def _keys(text: _Columns, raw_row: pd.Series) -> pd.DataFrame:
    """:func:`row_keys` of the raw text columns."""
    return pd.DataFrame({"raw_row": raw_row.array,
                         "report_key": text.row_hashes(_REPORT_KEY), "natural_key": text.row_hashes(_NATURAL_KEY),
                         "row": text.row_hashes(RAW_COLUMNS)})


def _withheld_figures(raw: pd.DataFrame, text: _Columns, findings: _Findings) -> np.ndarray:
    """Raw rows -> mask of the rows whose figures upstream withholds (``status_data`` ``hidden``,
    later upstream versions only); flags them ``withheld_figures`` (their launched/destroyed
    are placeholders, read as missing by :func:`_table_count`) and flags unknown status values."""
    if "status_data" not in raw.columns:
        return np.zeros(len(raw), dtype=bool)
    status = raw["status_data"].astype("str").fillna("").str.strip().str.lower()
    hidden = status.eq(STATUS_HIDDEN).to_numpy()
    placeholders = pd.Series(text.at("launched", hidden), dtype="str").str.cat(
        pd.Series(text.at("destroyed", hidden), dtype="str"), sep=", destroyed ")
    findings.flag(hidden, "withheld_figures", "status_data hidden: upstream placeholder launched "
                  + placeholders + " read as missing")
    unknown = (~status.isin(["", STATUS_HIDDEN])).to_numpy()
    findings.flag(unknown, "unknown_status_data", "status_data " + raw.loc[unknown, "status_data"].astype("str"))
    return hidden


def _table_count(counts: dict[str, _PerValue], column: str, hidden: np.ndarray,
                 rows: np.ndarray | slice) -> pd.api.extensions.ExtensionArray:
    """A count of the rows at ``rows`` as the table gives it: the withheld figures of ``hidden``
    rows missing (never the placeholder 0; the soft invariants saw the placeholders)."""
    values = counts[column].take("value", rows)
    if column in WITHHELD_COUNTS and hidden[rows].any():
        values[hidden[rows]] = pd.NA
    return values


def _times(text: _Columns, findings: _Findings) -> _Window:
    """Raw rows -> the Kyiv-time window; rejects bad or backward times, flags DST shifts."""
    # parsed and localised per distinct value
    window = _Window(text.per_value("time_start", _start_bounds), text.per_value("time_end", _end_bounds))
    for col, parsed in (("time_start", window.start), ("time_end", window.end)):
        bad = parsed.rows_where(parsed.values["naive"].isna())
        findings.reject(bad, "bad_time", col, text.at(col, bad), "expected YYYY-MM-DD or YYYY-MM-DD HH:MM")
    window_start, window_end = window.bounds()
    backwards = (window_end < window_start).to_numpy()
    findings.reject(backwards, "window_end_before_start", "time_end", text.at("time_end", backwards),
                    "time_start " + pd.Series(text.at("time_start", backwards), dtype="str"))
    for col, bound in (("time_start", window_start), ("time_end", window_end)):
        outside = (bound.notna() & ((bound < PLAUSIBLE_FROM) | (bound >= PLAUSIBLE_UNTIL))).to_numpy()
        findings.reject(outside, "implausible_date", col, text.at(col, outside),
                        f"outside {PLAUSIBLE_FROM.date()}..{(PLAUSIBLE_UNTIL - pd.Timedelta(days=1)).date()}")
    too_long = ((window_end - window_start) > MAX_WINDOW).fillna(False).to_numpy()
    findings.reject(too_long, "implausible_window", "time_end", text.at("time_end", too_long),
                    f"window longer than {MAX_WINDOW} (time_start " + pd.Series(text.at("time_start", too_long),
                                                                               dtype="str") + ")")
    shifted = window.start.take("shifted") | window.end.take("shifted")
    findings.flag(shifted, "dst_local_time", "wall time in a DST gap or overlap")
    return window


def _counts(text: _Columns, findings: _Findings) -> dict[str, _PerValue]:
    """Raw rows -> each count (output column -> :func:`parse_counts` per distinct value); rejects unusable counts."""
    counts: dict[str, _PerValue] = {}
    for col, out in COUNT_COLUMNS.items():
        counts[out] = parsed = text.per_value(col, parse_counts)
        for problem in parsed.values["problem"].dropna().unique():
            bad = parsed.rows_where(parsed.values["problem"].eq(problem).fillna(False))
            findings.reject(bad, problem, col, text.at(col, bad))
    return counts


def _reporting_body(text: _Columns, findings: _Findings) -> _PerValue:
    """Raw rows -> the page handle and reporting body (missing when unknown) per source; rejects unknown page handles."""
    body = text.per_value("source", _parse_sources)
    unknown_body = body.rows_where(body.values["reporting_body"].isna())
    findings.reject(unknown_body, "unknown_reporting_body", "source", text.at("source", unknown_body),
                    "page handle " + pd.Series(body.take("handle", unknown_body)).fillna(""))
    return body


def _weapons(text: _Columns, reference: pd.DataFrame, findings: _Findings) -> _PerValue:
    """Raw rows + weapon reference -> the resolved models (per model); rejects missing, flags unknown models."""
    missing_model = text.eq("model", "")
    findings.reject(missing_model, "missing_model", "model", text.at("model", missing_model))
    weapon = text.per_value("model", lambda u: weapons.resolve(u, reference))
    unknown_model = weapon.rows_where(weapon.values["class_source"].eq("unknown_model")) & ~missing_model
    findings.flag(unknown_model, "unknown_model",
                  "model " + pd.Series(text.at("model", unknown_model), dtype="str"))
    return weapon


# Which literal columns the tables need per raw row: items (strike_regions), joined text
# (the strikes' component columns), sums (the soft invariants); the rest is never made.
_ITEMS = {col for col, _ in _REGION_MEASURES}
_JOINED = {"launched_details", "launch_place_details"}
_SUMS = {"launched_details", "destroyed_details"}


def _literal_columns(text: _Columns, findings: _Findings) -> _Literals:
    """Raw rows -> the literal columns' items (per distinct cell), joined text and sum (per raw row)
    where a table needs them (:data:`_ITEMS`, :data:`_JOINED`, :data:`_SUMS`)."""
    literals = _Literals({}, {}, {})
    for col in _LITERAL_SHAPES:
        items, joined, sums = _literal_column(text, col, findings)
        for needed, part, value in ((_ITEMS, literals.items, items), (_JOINED, literals.joined, joined),
                                    (_SUMS, literals.sums, sums)):
            if col in needed:
                part[col] = value
    return literals


def _literal_column(text: _Columns, col: str, findings: _Findings,
                    ) -> tuple[_CellItems | None, _PerValue | None, pd.Series | None]:
    """Raw rows -> one literal column's items and joined text (per distinct cell) and sum (per
    raw row; each None where no table needs it); rejects bad cells."""
    # Parsed once per distinct cell, then mapped to the rows by the codes.
    col_codes, uniques = text.codes[col], text.uniques[col]
    long, bad = _literal_cells(uniques, col)
    bad_code = np.zeros(len(uniques), dtype=bool)
    bad_code[bad["code"].to_numpy(dtype="int64")] = True
    is_bad = bad_code[col_codes]
    if is_bad.any():
        by_code = bad.set_index("code")
        rows_bad = pd.Series(col_codes[is_bad])
        findings.rejects.append(
            reject_rows(findings.raw_row, is_bad, "unparseable_literal", col, text.at(col, is_bad),
                        rows_bad.map(by_code["detail"])).assign(
                reason=rows_bad.map(by_code["reason"]).astype("str").to_numpy()))
    n_unique = len(uniques)
    joined_cells = sum_rows = None
    if col in _JOINED:
        joined: dict[int, list[str]] = {}  # over the items of distinct cells, not rows
        for code, key, value in zip(long["code"], long["key"], long["value"], strict=True):
            joined.setdefault(code, []).append(f"{key}={_show(value)}")
        per_code = pd.Series({code: "|".join(items) for code, items in joined.items()}, dtype="str")
        joined_cells = _PerValue(pd.DataFrame({"joined": per_code.reindex(range(n_unique))}, dtype="str"), col_codes)
    if col in _SUMS:
        numeric = pd.to_numeric(long["value"], errors="coerce") if len(long) else pd.Series(dtype="float64")
        sums = numeric.groupby(long["code"]).sum(min_count=1).reindex(range(n_unique))
        sum_rows = pd.Series(sums.to_numpy(dtype="float64")[col_codes])
    return _CellItems(long, col_codes, n_unique) if col in _ITEMS else None, joined_cells, sum_rows


def _report_key_conflicts(text: _Columns, conflict: np.ndarray, findings: _Findings) -> None:
    """Raw rows + conflict mask -> rejects for rows sharing a report key with a row of other values."""
    findings.rejects.append(key_conflict_rejects(findings.raw_row, conflict, text.at("source", conflict)))


def key_conflict_rejects(raw_row: pd.Series, conflict: np.ndarray, sources: object) -> pd.DataFrame | None:
    """Whole file: the ``conflicting_key`` rejects of the rows in ``conflict`` (``sources``: their source text)."""
    return reject_rows(raw_row, conflict, "conflicting_key", "source", sources,
                       "same source, window, model, place and target as another row with other values")


def _kept_rows(raw_row: pd.Series, is_dup: np.ndarray, rejected: pd.DataFrame | None) -> np.ndarray:
    """Raw rows -> mask of the rows kept (neither a duplicate nor rejected)."""
    is_rejected = raw_row.isin(rejected["raw_row"]).to_numpy() if rejected is not None else np.zeros(
        len(raw_row), dtype=bool)
    return ~is_dup & ~is_rejected


def _key_collisions(text: _Columns, kept: np.ndarray, findings: _Findings) -> None:
    """Kept raw rows -> flags for rows whose natural key (report key less source) repeats."""
    findings.flags.append(key_collision_flags(text.row_hashes(_NATURAL_KEY), kept, findings.raw_row))


def key_collision_flags(natural_key: np.ndarray, kept: np.ndarray, raw_row: pd.Series) -> pd.DataFrame | None:
    """Whole file: hashes of each raw row's natural key (:func:`row_keys`) and the kept mask ->
    the ``natural_key_collision`` flags (None when no kept rows collide)."""
    # The natural key collides in 12 rows of the registered file: the same entry published
    # in two posts. Both are kept (told apart by source) and flagged: possibly one report twice.
    key_hash = pd.Series(natural_key)
    collide = np.zeros(len(kept), dtype=bool)
    collide[kept] = key_hash[kept].duplicated(keep=False).to_numpy()
    first_collider = raw_row[collide].groupby(key_hash[collide].to_numpy()).transform("min")
    return flag_rows(raw_row, collide, "natural_key_collision",
                     _prefixed("same window, model, place and target as raw row ", first_collider))


def _soft_invariants(counts: dict[str, _PerValue], sums: dict[str, pd.Series], kept: np.ndarray,
                     findings: _Findings) -> None:
    """Kept raw rows' counts and literal sums -> flags for broken soft invariants (rows never altered)."""
    launched, destroyed, nrg = (pd.Series(counts[c].take("value")) for c in ("launched", "destroyed", "not_reach_goal"))
    over = (destroyed + nrg.fillna(0) > launched).fillna(False).to_numpy() & kept
    findings.flag(over, "destroyed_exceeds_launched",
                  "destroyed " + destroyed[over].astype("str") + " + not_reach_goal "
                  + nrg[over].astype("str") + " > launched " + launched[over].astype("str"))
    no_launched = launched.isna().to_numpy() & kept
    findings.flag(no_launched, "missing_launched", "launched is empty upstream")
    no_destroyed = (destroyed.isna() & launched.notna()).to_numpy() & kept
    findings.flag(no_destroyed, "missing_destroyed", "destroyed is empty, launched is known")

    # Totals against their parts.
    comp_total = sums["launched_details"]
    mismatch = (comp_total.notna() & (comp_total != launched.astype("float64"))).fillna(False).to_numpy() & kept
    findings.flag(mismatch, "components_differ_from_launched",
                  "launched_details sum " + comp_total[mismatch].astype("int64").astype("str")
                  + " vs launched " + launched[mismatch].astype("str"))
    parts_sum = sums["destroyed_details"]
    parts_over = (parts_sum > destroyed.astype("float64")).fillna(False).to_numpy() & kept
    findings.flag(parts_over, "region_parts_exceed_destroyed",
                  "destroyed_details sum " + parts_sum[parts_over].astype("int64").astype("str")
                  + " > destroyed " + destroyed[parts_over].astype("str"))


def _target_ids(names: pd.Index) -> pd.DataFrame:
    """Distinct target names -> their region id (one row per name; missing when unknown)."""
    table = regions_ua.resolve(names).set_index("name")
    return pd.DataFrame({"region_id": table["region_id"].reindex(names).to_numpy()}, dtype="str")


def _target_region(text: _Columns, kept: np.ndarray, findings: _Findings) -> _PerValue:
    """Raw rows -> the targets' region ids (per target); flags kept rows with an unknown target."""
    target = text.per_value("target", _target_ids)
    unknown_target = target.rows_where(target.values["region_id"].isna()) & ~text.eq("target", "") & kept
    findings.flag(unknown_target, "unknown_region",
                  "target " + pd.Series(text.at("target", unknown_target), dtype="str"))
    return target


# ---------------------------------------------------------------------------------------
# The tables
# ---------------------------------------------------------------------------------------


def _strike_ids(text: _Columns, window: _Window, rows: np.ndarray) -> pd.Series:
    """Raw rows + window -> the stable ``strike_id`` of the raw rows at positions ``rows`` (source,
    window, model, place, target)."""
    start, end = window.bounds(rows)
    return _stable_id({
        "source": text.hash_values("source", rows), "start": start.astype("int64").to_numpy(),
        "end": end.astype("int64").to_numpy(), "model": text.hash_values("model", rows),
        "launch_place": text.hash_values("launch_place", rows), "target": text.hash_values("target", rows),
    }, "afs_")


def _strikes_table(text: _Columns, raw_row: pd.Series, strike_id: pd.Series, window: _Window,
                   body: _PerValue, weapon: _PerValue, counts: dict[str, _PerValue], hidden: np.ndarray,
                   target: _PerValue, joined: dict[str, _PerValue], rows: np.ndarray) -> pd.DataFrame:
    """The passes' results -> ``strikes``: one row per kept report entry (post x window x weapon
    entry); ``rows``: the kept rows' positions, ``strike_id``: theirs."""
    # each column made for the kept rows only (not a frame of every raw row, then filtered)
    start, end = window.bounds(rows)
    return _typed({
        "strike_id": strike_id.array,
        "raw_row": raw_row.array[rows],
        "source_ref": text.take("source", rows),
        "reporting_body": body.take("reporting_body", rows),
        "window_start": start.array,
        "window_end": end.array,
        "date_only": window.date_only(rows),
        "attribution_date": nights.attribution_date(start, end).array,
        "model": text.take("model", rows),
        **{c: weapon.take(c, rows) for c in ("model_canonical", "weapon_class", "is_bundle", "component_models")},
        **{c: _table_count(counts, c, hidden, rows) for c in ("launched", "destroyed", "not_reach_goal",
                                                              "still_attacking", "hit_locations", "debris_locations")},
        "claimant": take_text(pd.Index([CLAIMANT], dtype="str"), np.zeros(len(rows), dtype=np.int8)),
        "direction": take_text(pd.Index([DIRECTION], dtype="str"), np.zeros(len(rows), dtype=np.int8)),
        **{c: _table_count(counts, c, hidden, rows) for c in ("is_shahed_about", "turbojet", "turbojet_destroyed")},
        "launch_place": text.take("launch_place", rows, na=True),
        "target": text.take("target", rows, na=True),
        "target_region_id": target.take("region_id", rows),
        "target_main": text.take("target_main", rows, na=True),
        "carrier": text.take("carrier", rows, na=True),
        "component_launched": joined["launched_details"].take("joined", rows),
        "component_launch_places": joined["launch_place_details"].take("joined", rows),
    }, STRIKES_COLUMNS)


def _strike_regions_table(raw_row: pd.Series, strike_id: pd.Series, items: dict[str, _CellItems],
                          rows: np.ndarray, findings: _Findings) -> pd.DataFrame:
    """Literal items of the kept rows (positions ``rows``; ``strike_id``: theirs) -> ``strike_regions``:
    one row per kept strike x region x measure."""
    # Region names and counts are resolved on the items of distinct cells, then joined to the
    # kept rows by positions (no frame of every row x item).
    keys, counts, kept_at, item_at, order = [], [], [], [], []
    for measure_no, (col, measure) in enumerate(_REGION_MEASURES):
        cells = items[col]
        at, item = _explode(cells.codes[rows], cells.items["code"].to_numpy(dtype="int64"), cells.n_cells)
        kept_at.append(at)
        item_at.append(item + sum(len(k) for k in keys))  # positions in the items of all measures
        order.append(np.full(len(at), measure_no, dtype=np.int8))
        keys.append(cells.items["key"].to_numpy(dtype=object))
        count = cells.items["value"] if measure != "affected" else pd.Series(np.nan, index=cells.items.index)
        counts.append(pd.to_numeric(count, errors="coerce").to_numpy(dtype="float64"))
    kept_at, item_at, order = np.concatenate(kept_at), np.concatenate(item_at), np.concatenate(order)
    sort = np.lexsort((order, kept_at))  # by row, then measure; a cell's items in order
    kept_at, item_at, order = kept_at[sort], item_at[sort], order[sort]
    name_codes, name_uniques = pd.factorize(np.concatenate(keys))
    name_uniques = pd.Index(name_uniques, dtype="str")
    names = regions_ua.resolve(name_uniques).set_index("name").reindex(name_uniques)
    name_codes = name_codes[item_at]
    regions = _typed({
        "strike_id": take_text(strike_id, kept_at),  # (no Python string per row)
        "raw_row": pd.array(raw_row.to_numpy()[rows[kept_at]], dtype="Int64"),
        "measure": take_text(pd.Index([m for _, m in _REGION_MEASURES], dtype="str"), order),
        "region_raw": take_text(name_uniques, name_codes),
        "region_id": take_text(pd.Index(names["region_id"], dtype="str"), name_codes),
        "region_kind": take_text(pd.Index(names["region_kind"], dtype="str"), name_codes),
        "count": pd.array(np.concatenate(counts)[item_at], dtype="Int64"),
    }, REGION_COLUMNS)
    unknown_region = regions["region_id"].isna()
    if unknown_region.any():
        findings.flags.append(flag_rows(regions["raw_row"], unknown_region.to_numpy(), "unknown_region",
                                        regions.loc[unknown_region, "measure"] + " "
                                        + regions.loc[unknown_region, "region_raw"]))
    return regions


# ---------------------------------------------------------------------------------------
# The cleaner
# ---------------------------------------------------------------------------------------


def clean(raw: pd.DataFrame, reference: pd.DataFrame) -> tuple[dict[str, pd.DataFrame], Ledger]:
    """Clean a raw frame from :func:`read_raw` with a weapon reference from
    :func:`~ceasefire_stats.clean.weapons.read_reference`.

    Returns ``{"strikes": ..., "strike_regions": ...}`` and the ledger of the raw rows.
    """
    held = [raw]
    del raw  # (the raw text is freed inside, once read: no reference is kept here)
    tables, ledger, _ = clean_keyed(held, reference, keyed=False)
    return tables, ledger


def clean_keyed(held: list[pd.DataFrame], reference: pd.DataFrame, keyed: bool = True,
                ) -> tuple[dict[str, pd.DataFrame], Ledger, pd.DataFrame | None]:
    """:func:`clean` on the raw frame in ``held`` (taken out of the list, so that the raw text is
    freed once read), and with ``keyed`` the keys of every raw row (:func:`row_keys`, plus the
    stripped ``source`` of the rows not kept, missing where kept: a conflicting-key reject found
    on the whole file names it)."""
    raw = held.pop()
    raw_row = pd.Series(pd.array(raw["raw_row"], dtype="Int64"))
    text = _Columns(raw, RAW_COLUMNS)
    findings = _Findings(raw_row)
    keys = _keys(text, raw_row) if keyed else None

    # passes over every raw row (each records its rejects and flags)
    hidden = _withheld_figures(raw, text, findings)
    del raw  # the passes read the codes: the raw text (the largest frame held) goes here
    is_dup, conflict, duplicates = _duplicates(text, raw_row)
    window = _times(text, findings)
    counts = _counts(text, findings)
    body = _reporting_body(text, findings)
    weapon = _weapons(text, reference, findings)
    literals = _literal_columns(text, findings)
    _report_key_conflicts(text, conflict, findings)

    # passes over the kept rows (flags only)
    rejected = _concat(findings.rejects)
    kept = _kept_rows(raw_row, is_dup, rejected)
    _key_collisions(text, kept, findings)
    _soft_invariants(counts, literals.sums, kept, findings)
    target = _target_region(text, kept, findings)
    text.keep(_TABLE_TEXT)

    # the tables and the ledger; the largest (strikes) last, with the memory freed until then
    # returned to the system first (:func:`~ceasefire_stats.core.memory.return_freed_memory`)
    rows = np.flatnonzero(kept)
    strike_id = _strike_ids(text, window, rows)
    regions = _strike_regions_table(raw_row, strike_id, literals.items, rows, findings)
    joined = literals.joined
    del literals
    return_freed_memory()
    flags = _concat(findings.flags)
    findings.flags.clear()  # (the parts: flags is their copy)
    ledger = Ledger.from_parts(SOURCE, raw_rows=raw_row, rejected=rejected, duplicates=duplicates, flags=flags)
    del flags, rejected, duplicates
    return_freed_memory()
    strikes = _strikes_table(text, raw_row, strike_id, window, body, weapon, counts, hidden, target, joined, rows)
    if keys is not None:
        keys["source"] = pd.Series(text.at("source", ~kept), index=np.flatnonzero(~kept), dtype="str") \
            .reindex(range(len(kept)))
    return {"strikes": strikes, "strike_regions": regions}, ledger, keys
