"""Curated ceasefire calendar (``curated/calendar/<window_id>.yaml``) -> the ``ceasefire_windows`` table.

Grain: **one row per window definition**: one reading (by one side, or one press account) of
the start and end of one truce, pause, moratorium or proposal. Disputed boundaries are several
definitions sharing a ``window_id``. The file format, every key and its allowed values, and the
time conventions are documented in ``curated/calendar/README.md``.

Curated data must be fixed, not quarantined: any bad entry fails the read with an
:class:`~ceasefire_stats.errors.InputError` listing every problem as
``<file>:<line>: window '<window_id>' definition '<definition>': field '<field>': <problem>``.
Files are read with a ``yaml.SafeLoader`` that refuses anchors and aliases and leaves
timestamps as text (parsed here, with an explicit UTC offset required).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import yaml

from ceasefire_stats.core import safe_yaml
from ceasefire_stats.core.errors import InputError
from ceasefire_stats.core.paths import CURATED_DIR
from ceasefire_stats.core.safe_yaml import Problem
from ceasefire_stats.core.step import StepInputs, StepResult
from ceasefire_stats.nights import KYIV, MOSCOW, UTC
from ceasefire_stats.vocab import TRUCE_SCOPES, TRUCE_STATUSES

# --- constant vocabularies -------------------------------------------------------------

FORMAT_VERSION = 1
DEFAULT_FOLDER = CURATED_DIR / "calendar"

TOP_KEYS = ("format", "window_id", "name", "definitions")
REQUIRED_KEYS = ("definition", "start", "end", "status", "scope", "declared_by", "sources",
                 "time_convention", "stated_timezone")
OPTIONAL_KEYS = ("notes",)
TEXT_KEYS = ("definition", "status", "scope", "declared_by", "time_convention", "stated_timezone", "notes")

STATED_TIMEZONES = (MOSCOW, KYIV, "unknown")
"""The zone the sources themselves give for the window's times (``unknown`` if none)."""

NULL_START_STATUSES = ("proposed_never_began", "local_only")
"""Statuses whose start may be unknown (``local_only``: an offer never shown to be implemented)."""

TIME_CONVENTIONS: dict[str, tuple[str, int, int] | None] = {
    "stated": None,
    "day_start_msk": (MOSCOW, 0, 0),
    "day_end_msk": (MOSCOW, 0, 0),
    "day_start_kyiv": (KYIV, 0, 0),
    "day_end_kyiv": (KYIV, 0, 0),
    "night_start_kyiv": (KYIV, 18, 0),
    "sunset_kyiv": None,
    "none": None,
}
"""How a bound was turned into an instant -> the (zone, hour, minute) its local clock must show.
``stated`` the source's clock time; ``day_start_*`` 00:00 on the stated day; ``day_end_*`` 24:00
on the stated day (00:00 the next day); ``night_start_kyiv`` 18:00 Kyiv on the evening a stated
night begins (the claims' night rule); ``sunset_kyiv`` sunset in Kyiv on the stated day;
``none`` the bound is null. A field value is one token (both bounds) or ``<start>/<end>``."""

EARLIEST_START = pd.Timestamp("2022-02-24", tz=UTC)
LATEST_START = pd.Timestamp("2031-01-01", tz=UTC)
MAX_LENGTH = pd.Timedelta(days=60)
"""A window with an end lasts at most 60 days; a longer one is a typo (a wrong year or month)."""

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
SOURCE_PATTERN = re.compile(r"^[A-Z]\d+: https?://\S+$")
INSTANT_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?[+-]\d{2}:\d{2}$")
KEY_LINE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:")

COLUMNS = ["window_id", "definition", "name", "start", "end", "status", "scope", "declared_by",
           "sources", "time_convention", "stated_timezone", "notes", "source_file"]
_UTC = f"datetime64[us, {UTC}]"

# --- the table's contract ----------------------------------------------------------------------


def _conventions_known(values: pd.Series) -> pd.Series:
    return values.map(lambda v: _convention_pair(v) is not None)


SCHEMA = pa.DataFrameSchema(
    {
        "window_id": pa.Column("str", pa.Check.str_matches(ID_PATTERN.pattern),
                               description="window id; one window may have several definitions"),
        "definition": pa.Column("str", pa.Check.str_matches(ID_PATTERN.pattern),
                                description="which reading of the window (ru_stated, ua_stated, ...)"),
        "name": pa.Column("str", description="display name of the window"),
        "start": pa.Column(_UTC, nullable=True, description="first instant in force (UTC, inclusive)",
                           checks=[pa.Check.ge(EARLIEST_START), pa.Check.lt(LATEST_START)]),
        "end": pa.Column(_UTC, nullable=True, description="end (UTC, exclusive); null = open"),
        "status": pa.Column("str", pa.Check.isin(list(TRUCE_STATUSES))),
        "scope": pa.Column("str", pa.Check.isin(list(TRUCE_SCOPES))),
        "declared_by": pa.Column("str", description="who declared or proposed it, and when"),
        "sources": pa.Column("str", description="'<ref id>: <url>' items, '; '-joined"),
        "time_convention": pa.Column("str", pa.Check(_conventions_known, name="known_time_convention")),
        "stated_timezone": pa.Column("str", pa.Check.isin(list(STATED_TIMEZONES))),
        "notes": pa.Column("str", nullable=True),
        "source_file": pa.Column("str", description="calendar file the row comes from"),
    },
    checks=[
        pa.Check(lambda d: d["end"].isna() | d["start"].isna() | (d["end"] > d["start"]),
                 name="end_after_start"),
        pa.Check(lambda d: d["end"].isna() | d["start"].isna() | (d["end"] - d["start"] <= MAX_LENGTH),
                 name="at_most_60_days"),
        pa.Check(lambda d: d["start"].notna() | d["status"].isin(list(NULL_START_STATUSES)),
                 name="start_known_unless_never_began_or_local"),
        pa.Check(lambda d: d["end"].isna() | d["start"].notna(), name="no_end_without_start"),
    ],
    unique=["window_id", "definition"],
    strict=True,
    ordered=True,
    name="ceasefire_windows",
)

# --- small helpers ------------------------------------------------------------------------------


def parse_instant(text: str) -> pd.Timestamp:
    """An ISO 8601 date-time with an explicit UTC offset -> a UTC timestamp.

    >>> parse_instant("2025-04-19T18:00:00+03:00")
    Timestamp('2025-04-19 15:00:00+0000', tz='UTC')
    >>> parse_instant("2025-04-19T18:00")
    Traceback (most recent call last):
    ...
    ValueError: '2025-04-19T18:00' is not YYYY-MM-DDTHH:MM[:SS]+HH:MM (an explicit UTC offset is required)
    """
    if not INSTANT_PATTERN.match(text):
        raise ValueError(f"{text!r} is not YYYY-MM-DDTHH:MM[:SS]+HH:MM (an explicit UTC offset is required)")
    try:
        return pd.Timestamp(text).tz_convert(UTC).as_unit("us")
    except ValueError:
        raise ValueError(f"{text!r} is not a real date and time") from None


def _convention_pair(value: object) -> tuple[str, str] | None:
    """``'day_start_msk/day_end_msk'`` -> (start token, end token); one token serves both bounds.

    >>> _convention_pair("stated"), _convention_pair("day_start_kyiv/none"), _convention_pair("noon")
    (('stated', 'stated'), ('day_start_kyiv', 'none'), None)
    """
    parts = str(value).split("/")
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2 or not all(p in TIME_CONVENTIONS for p in parts):
        return None
    return parts[0], parts[1]


_Loader = safe_yaml.loader("calendar file", max_depth=8, text_keys=True, timestamps=False)
"""Safe YAML: no anchors or aliases, at most 8 levels of nesting, text keys, dates kept as text."""


def _problem(file: str, line: int, window_id: str, definition: str, field: str, message: str) -> Problem:
    """A problem in a calendar file, placed in its window and definition."""
    return Problem(file, line, (("window", window_id), ("definition", definition)), field, message)


def _lines(root: yaml.Node | None) -> dict[str, object]:
    """Line numbers (1-based) of the top-level keys and of each item of ``definitions``, with
    each item's key lines, from the YAML node tree."""
    out: dict[str, object] = {"top": {}, "items": []}
    if not isinstance(root, yaml.MappingNode):
        return out
    for key, value in root.value:
        out["top"][key.value] = key.start_mark.line + 1
        if key.value == "definitions" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                keys = ({k.value: k.start_mark.line + 1 for k, _ in item.value}
                        if isinstance(item, yaml.MappingNode) else {})
                out["items"].append((item.start_mark.line + 1, keys))
    return out


def _key_at(text: str, line: int) -> str:
    r"""The key written on a 1-based line (``'-'`` if none), to name the field of a YAML error.

    >>> _key_at("format: 1\ndefinitions:\n  - definition: x\n", 3)
    'definition'
    """
    lines = text.splitlines()
    match = KEY_LINE.match(lines[line - 1]) if 0 < line <= len(lines) else None
    return match.group(1) if match else "-"


def _type_name(value: object) -> str:
    return {list: "a list", dict: "a mapping", bool: "a boolean", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)


# --- one file -------------------------------------------------------------------------------------


def _check_bound(value: object, token: str, bound: str,
                 report: Callable[[str, str], None]) -> pd.Timestamp | None:
    """Parse ``start``/``end`` and check it against its time-convention token."""
    if value is None:
        if token != "none":
            report(bound, f"is null but time_convention says {token!r} for it; give the instant "
                          "or use 'none' for this bound")
        return None
    if not isinstance(value, str):
        report(bound, f"must be a quoted text \"YYYY-MM-DDTHH:MM:SS+HH:MM\", not {_type_name(value)}")
        return None
    try:
        moment = parse_instant(value)
    except ValueError as exc:
        report(bound, f"{exc}; write e.g. \"2025-04-19T18:00:00+03:00\"")
        return None
    rule = TIME_CONVENTIONS[token]
    if token == "none":
        report(bound, "has an instant but time_convention says 'none' for it; name the convention")
    elif rule is not None:
        zone, hour, minute = rule
        local = moment.tz_convert(zone)
        if (local.hour, local.minute) != (hour, minute):
            report(bound, f"{value} is {local:%H:%M} in {zone}, but time_convention {token!r} means "
                          f"{hour:02d}:{minute:02d} there; fix the instant or the convention")
    return moment


def _parse_definition(item: object, window_id: str, name: str, file: str, line: int,
                      key_lines: dict[str, int], problems: list[Problem]) -> dict[str, object] | None:
    if not isinstance(item, dict):
        problems.append(_problem(file, line, window_id, "-", "definitions",
                                f"each definition is a mapping of keys, not {_type_name(item)}"))
        return None
    definition = item.get("definition")
    label = definition if isinstance(definition, str) else "-"
    before = len(problems)

    def report(field: str, message: str) -> None:
        problems.append(_problem(file, key_lines.get(field, line), window_id, label, field, message))

    for key in sorted(set(map(str, item)) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS)):
        report(key, f"unknown key; allowed: {list(REQUIRED_KEYS + OPTIONAL_KEYS)} (see README.md)")
    for key in REQUIRED_KEYS:
        if key not in item:
            report(key, "missing required key; add it (start/end may be null where README.md allows)")
    for key in TEXT_KEYS:
        value = item.get(key)
        if key in item and not isinstance(value, str) and not (key == "notes" and value is None):
            report(key, f"must be a text, not {_type_name(value)}; quote it or write it on one line")
    if len(problems) > before:
        return None
    if not ID_PATTERN.match(definition):
        report("definition", "ids are lowercase letters, digits and '_', starting with a letter")
    checks = (("status", TRUCE_STATUSES), ("scope", TRUCE_SCOPES), ("stated_timezone", STATED_TIMEZONES))
    for key, allowed in checks:
        if item[key] not in allowed:
            report(key, f"unknown value {item[key]!r}; use one of {list(allowed)}")
    if not item["declared_by"].strip():
        report("declared_by", "is empty; say who declared or proposed the window")
    sources = item["sources"]
    if not isinstance(sources, list) or not sources:
        report("sources", f"must be a non-empty list of '<ref id>: <url>' items, not {_type_name(sources)}")
    else:
        bad = [s for s in sources if not isinstance(s, str) or not SOURCE_PATTERN.match(s)]
        if bad:
            report("sources", f"items {bad!r} are not '<ref id>: <url>' (e.g. 'B3: https://tass.com/...')")
    pair = _convention_pair(item["time_convention"])
    if pair is None:
        report("time_convention", f"unknown value {item['time_convention']!r}; use one of "
                                  f"{list(TIME_CONVENTIONS)} or '<start>/<end>' of them")
        pair = ("stated", "stated")
    start = _check_bound(item["start"], pair[0], "start", report)
    end = _check_bound(item["end"], pair[1], "end", report)
    if start is None and item["start"] is None and item["status"] not in NULL_START_STATUSES:
        report("start", f"is null but status is {item['status']!r}; only {list(NULL_START_STATUSES)} "
                        "may have an unknown start")
    if end is not None and item["start"] is None:
        report("end", "has an instant but start is null; give the start or drop the end")
    if start is not None:
        if not EARLIEST_START <= start < LATEST_START:
            report("start", f"{item['start']} is outside 2022-02-24..2030; check the year")
        if end is not None and end <= start:
            report("end", f"{item['end']} is not after start {item['start']}; swap or fix them")
        elif end is not None and end - start > MAX_LENGTH:
            report("end", f"the window lasts {end - start}, more than {MAX_LENGTH.days} days; "
                          "check the year and month")
    if len(problems) > before:
        return None
    return {"window_id": window_id, "definition": definition, "name": name, "start": start, "end": end,
            "status": item["status"], "scope": item["scope"], "declared_by": item["declared_by"].strip(),
            "sources": "; ".join(sources), "time_convention": item["time_convention"],
            "stated_timezone": item["stated_timezone"], "notes": item.get("notes"), "source_file": file}


def _read_file(path: Path, problems: list[Problem]) -> list[dict[str, object]]:
    """Rows of one calendar file; problems are appended, not raised."""
    file, stem = path.name, path.stem

    def locate(text: str, line: int) -> tuple[tuple[tuple[str, str], ...], str]:
        return (("window", stem), ("definition", "-")), _key_at(text, line)

    loaded = safe_yaml.read_document(path, _Loader, locate)
    if isinstance(loaded, list):
        problems.extend(loaded)
        return []
    doc, lines = loaded.data, _lines(loaded.root)
    if not isinstance(doc, dict):
        problems.append(_problem(file, 1, stem, "-", "-", f"the file must be a mapping with keys {list(TOP_KEYS)}"))
        return []
    top: dict[str, int] = lines["top"]
    window_id = doc.get("window_id")
    label = window_id if isinstance(window_id, str) else stem
    before = len(problems)

    def report(field: str, message: str) -> None:
        problems.append(_problem(file, top.get(field, 1), label, "-", field, message))

    for key in sorted(set(map(str, doc)) - set(TOP_KEYS)):
        report(key, f"unknown top-level key; allowed: {list(TOP_KEYS)}")
    for key in TOP_KEYS:
        if key not in doc:
            report(key, "missing required top-level key; add it")
    if "format" in doc and doc["format"] != FORMAT_VERSION:
        report("format", f"unsupported format {doc['format']!r}; this package reads format: {FORMAT_VERSION}")
    for key in ("window_id", "name"):
        if key in doc and not isinstance(doc[key], str):
            report(key, f"must be a text, not {_type_name(doc[key])}")
    if isinstance(window_id, str) and window_id != stem:
        report("window_id", f"{window_id!r} differs from the file name; name the file {window_id}.yaml")
    elif isinstance(window_id, str) and not ID_PATTERN.match(window_id):
        report("window_id", "ids are lowercase letters, digits and '_', starting with a letter")
    definitions = doc.get("definitions")
    if "definitions" in doc and (not isinstance(definitions, list) or not definitions):
        report("definitions", "must be a non-empty list of definitions")
    if len(problems) > before:
        return []
    rows, seen = [], {}
    for item, (line, key_lines) in zip(definitions, lines["items"], strict=True):
        row = _parse_definition(item, window_id, doc["name"], file, line, key_lines, problems)
        if row is None:
            continue
        if row["definition"] in seen:
            problems.append(_problem(file, line, window_id, str(row["definition"]), "definition",
                                    f"duplicated (first at line {seen[row['definition']]}); rename one"))
            continue
        seen[row["definition"]] = line
        rows.append(row)
    return rows


def calendar_files(folder: str | Path | None = None) -> list[Path]:
    """The calendar files (``*.yaml``) of ``folder`` (default: the package's curated calendar), by name.

    Raises :class:`InputError` if the folder is missing or holds no calendar file.
    """
    folder = Path(folder) if folder is not None else DEFAULT_FOLDER
    if not folder.is_dir():
        raise InputError(f"{folder}: window '-' definition '-': field '-': calendar folder not found; "
                         "pass the folder holding the <window_id>.yaml files")
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        raise InputError(f"{folder}: window '-' definition '-': field '-': no calendar files (*.yaml); "
                         "add one file per window (see curated/calendar/README.md)")
    return files


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("start", "end"):
        frame[column] = pd.to_datetime(frame[column].astype(object), utc=True).astype(_UTC)
    for column in COLUMNS:
        if column not in ("start", "end"):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None).astype("str")
    order = frame.sort_values(["start", "window_id", "definition"], na_position="last", kind="stable")
    return order.reset_index(drop=True)


def _schema_problems(frame: pd.DataFrame, exc: pa.errors.SchemaErrors) -> list[str]:
    out = []
    for case in exc.failure_cases.itertuples():
        if pd.notna(case.index) and case.index in frame.index:
            row = frame.loc[case.index]
            where = f"{row['source_file']}: window {row['window_id']!r} definition {row['definition']!r}"
        else:
            where = "calendar: window '-' definition '-'"
        out.append(f"{where}: field {case.column!r}: fails {case.check} ({case.failure_case!r})")
    return out


# --- the table ---------------------------------------------------------------------------------------


def read_calendar(folder: str | Path | None = None) -> pd.DataFrame:
    """Read every calendar file into the ``ceasefire_windows`` table.

    Grain: one row per window definition (``window_id``, ``definition``), ordered by start
    (unknown starts last), window_id and definition; validated against :data:`SCHEMA`.
    Raises :class:`InputError` listing every problem (file, line, window, definition, field).
    """
    problems: list[Problem] = []
    rows = [row for path in calendar_files(folder) for row in _read_file(path, problems)]
    if problems:
        raise safe_yaml.problems_error(problems, "the ceasefire calendar", "fix the file(s)")
    frame = _frame(rows)
    try:
        return SCHEMA.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        shown = "\n  ".join(_schema_problems(frame, exc))
        raise InputError("the ceasefire calendar fails its schema; fix the file(s) (one <window_id>.yaml per "
                         f"window, each definition once, see README.md):\n  {shown}") from None


SCHEMAS = {"ceasefire_windows": SCHEMA}


def build(inputs: StepInputs) -> StepResult:
    """Build step ``calendar``: the curated calendar folder it is handed -> ``ceasefire_windows``."""
    return StepResult(tables={"ceasefire_windows": read_calendar(inputs.curated["calendar"])}, schemas=SCHEMAS,
                      ledgers=[])
