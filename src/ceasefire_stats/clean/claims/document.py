"""Curated claim files (``src/ceasefire_stats/curated/claims/<source-doc>.yaml``) -> the tidy ``claims`` table.

Grain: **one row per claim**: one attributable statement (who said what, when, about whom,
with what number if any) in one source document. The file format is documented in
``src/ceasefire_stats/curated/claims/README.md`` and ``docs/claims.md``.

Curated data must be fixed, not quarantined: any bad record fails the whole build with an
:class:`~ceasefire_stats.core.errors.InputError` listing every problem as
``<file>:<line>: claim '<id>': field '<field>': <problem>`` (the CLI exits 2, nothing is
written). Files are read with a ``yaml.SafeLoader`` that also refuses anchors and aliases (no
alias bombs), nesting deeper than :data:`MAX_DEPTH` and mapping keys that are not text; region
ids must exist in :mod:`ceasefire_stats.clean.regions_ua` or :mod:`ceasefire_stats.clean.regions_ru`.

>>> from ceasefire_stats.text.en_numerals import parse_quantity
>>> night_window("2025-03-19", "Europe/Kyiv")
(Timestamp('2025-03-18 18:00:00+0200', tz='Europe/Kyiv'), Timestamp('2025-03-19 10:00:00+0200', tz='Europe/Kyiv'))
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import pandera.pandas as pa
import yaml

from ceasefire_stats import nights, vocab
from ceasefire_stats.clean import regions_ru, regions_ua
from ceasefire_stats.clean.claimants import (
    CLAIMANTS,
    ID_PATTERN,
    SIDES,
    SUBJECT_SIDES,
    Claimant,
    canonical,
)
from ceasefire_stats.core import paths, safe_yaml
from ceasefire_stats.core.errors import InputError
from ceasefire_stats.core.fields import Field, cast, define, schema
from ceasefire_stats.core.ledger import Ledger
from ceasefire_stats.core.safe_yaml import Problem
from ceasefire_stats.text.en_numerals import ABOUT_TOLERANCE, NumberParseError, parse_quantity
from ceasefire_stats.vocab import CLAIM_WEAPON_CLASSES

# --- constant vocabularies -------------------------------------------------------------

FORMAT_VERSION = 1
CLAIM_TYPES = ("count", "assertion", "denial", "accusation", "commitment", "demand", "assessment")
TOPICS = (
    "energy_strikes", "air_strikes", "civilian_harm", "ceasefire_acceptance", "ceasefire_terms",
    "maritime_ceasefire", "military_aid", "intelligence_sharing", "territory", "peace_talks", "ceasefire_violations",
)
METRICS = tuple(vocab.CLAIM_METRICS)
"""What a count counts (:data:`ceasefire_stats.vocab.CLAIM_METRICS`): weapons ``launched``,
``intercepted``, ``lost_from_radar``, ``struck``; objects ``hit``; places ``overflown``; truce
``violations``, ``attacks``, ``energy_strikes`` (events); people ``killed``, ``injured``."""

DIRECTIONS = tuple(vocab.DIRECTIONS)
PRECISIONS = ("minute", "hour", "day", "approx")
"""Precision of ``said``: a minute or an hour from a datetime; a local calendar day; ``approx``
= the given day +- 1 day."""

DEFAULT_ZONE = nights.LOCAL_ZONE
"""Local zone of a count's night/date when the file gives none: the reporting side's zone."""

QUOTE_MAX_CHARS = 160
"""Quotes are the short phrase that is the claim, never a paragraph."""

REGION_PATTERN = re.compile(r"^(UA-\d{2}|UA-SECTOR-[A-Z]+|RU-[A-Z]{2,3}|SEA-[A-Z]+)$")
KNOWN_REGIONS: frozenset[str] = frozenset(
    r for r in (*regions_ua.OBLASTS, *regions_ua.SECTORS.values(), *(c for c, _ in regions_ua.FOREIGN.values()),
                *regions_ru.REGIONS.index)
    if REGION_PATTERN.match(r)
)
"""The region ids a claim may name: those of the Ukrainian and Russian region tables."""
MAX_DEPTH = 32
"""Deepest nesting of YAML collections a claims file may have (a real file needs 5)."""
QUOTE_KINDS = ("direct", "paraphrase")
"""Whose wording ``quote`` is: ``direct`` = the speaker's own words, in quotation marks in the
source; ``paraphrase`` = the source's (the outlet's) wording of what the speaker said."""
UNKNOWN_TZ = "unknown"
"""``published_tz: unknown``: the stamp is printed without a zone and the text does not settle it."""
OFFSET_RANGE = (pd.Timedelta(hours=-12), pd.Timedelta(hours=14))
"""The UTC offsets in use anywhere (UTC-12 to UTC+14): a stamp of unknown zone is any reading in between."""
SOURCE_ERROR_CODES = {
    "wrong_title": "a person's title or office is misstated",
    "wrong_date": "a date or day of the week is wrong",
    "wrong_number": "a number is misreported",
    "misattribution": "a statement is attributed to the wrong speaker",
    "other": "another factual error (say which in note)",
}
"""Codes of the errors a curator flags in a source document (``source.errors``)."""
SOURCE_KEYS = {"title", "outlet", "url", "accessed", "published", "published_tz", "published_precision", "language",
               "notes", "errors"}
SOURCE_ERROR_KEYS = {"code", "text", "note"}
CLAIM_KEYS = {"id", "said", "said_tz", "said_precision", "claimant", "speaker", "role", "type", "subject_side",
              "topic", "count", "quote", "quote_kind", "notes"}
COUNT_KEYS = {"number", "counted", "metric", "weapon_class", "direction", "night", "date", "window",
              "window_id", "definition", "tz", "regions", "qualifier", "value", "number_derived"}
CLAIMANT_KEYS = {"id", "name", "role", "side", "aliases"}
TOP_KEYS = {"format", "source", "claimants", "claims"}

# --- fields -------------------------------------------------------------------------------

_UTC = f"datetime64[us, {nights.UTC}]"
define(
    Field("claim_id", "str", "curated claim id, unique across all claim files", nullable=False, unique=True),
    Field("source_doc", "str", "claim file stem: the source document's id", nullable=False),
    Field("source_line", "Int64", "line of the claim in its YAML file", nullable=False),
    Field("source_title", "str", "title of the source document", nullable=False),
    Field("source_outlet", "str", "outlet or publisher of the source document ('unknown' if not known)",
          nullable=False),
    Field("source_url", "str", "URL of the source document, if known"),
    Field("source_accessed", "str", "date the curator read the source (YYYY-MM-DD)"),
    Field("source_published_stamp", "str", "the source's publication stamp as printed (may lack a zone)",
          nullable=False),
    Field("source_published_tz", "str", "IANA zone of the stamp, or 'unknown' when the source does not "
          "settle it", nullable=False),
    Field("source_published_from", _UTC, "earliest possible publication time of the source (UTC): the stamp "
          "read in its zone, or at UTC+14 when the zone is unknown", nullable=False),
    Field("source_published_to", _UTC, "latest possible publication time of the source (UTC, exclusive): "
          "the stamp plus its precision, read at UTC-12 when the zone is unknown", nullable=False),
    Field("said_from", _UTC, "earliest instant the statement may have been made (UTC, inclusive); never "
          "at or after source_published_to", nullable=False),
    Field("said_to", _UTC, "latest instant (UTC, exclusive): said_from..said_to spans said_precision, cut at "
          "source_published_to (a statement precedes the document reporting it)", nullable=False),
    Field("said_tz", "str", "local time zone in which 'said' was given (IANA name or UTC offset), or 'unknown' "
          "when the source prints no clock time or zone (the day then spans every offset, UTC+14 to UTC-12)",
          nullable=False),
    Field("said_precision", "str", "precision of the statement time", nullable=False,
          checks=(pa.Check.isin(list(PRECISIONS)),)),
    Field("claimant_name", "str", "display name of the claimant (whose claim it is)", nullable=False),
    Field("speaker", "str", "who is quoted or reported saying it in the source (claimant id); differs from "
          "claimant when the claim is reported second-hand (Zelenskyy reporting Putin's order)", nullable=False),
    Field("speaker_name", "str", "display name of the speaker", nullable=False),
    Field("claimant_role", "str", "role of the claimant when the statement was made", nullable=False),
    Field("claimant_side", "str", "side of the claimant (UA, RU, US, FI, think_tank, ...)", nullable=False,
          checks=(pa.Check.isin(list(SIDES)),)),
    Field("claim_type", "str", "kind of statement", nullable=False, checks=(pa.Check.isin(list(CLAIM_TYPES)),)),
    Field("subject_side", "str", "whose conduct the claim is about", nullable=False,
          checks=(pa.Check.isin(list(SUBJECT_SIDES)),)),
    Field("topic", "str", "what the claim is about", nullable=False, checks=(pa.Check.isin(list(TOPICS)),)),
    Field("count_noun", "str", "counts: what is counted, as a plural noun (drones, hospitals, regions)"),
    Field("count_metric", "str", "counts: what happened to the counted things",
          checks=(pa.Check.isin(list(METRICS)),)),
    Field("count_weapon_class", "str", "counts: weapon class (strikes-table classes, or drone/missile/any)",
          checks=(pa.Check.isin(list(CLAIM_WEAPON_CLASSES)),)),
    Field("count_number_text", "str", "counts: the number as stated ('more than 20', 'seven')"),
    Field("count_number_derived", "boolean", "counts: True when the curator counted the number "
          "(e.g. a list of names) because the source states none"),
    Field("value_stated", "Int64", "the number stated (null for vague words such as 'several')", unit="count"),
    Field("value_low", "Int64", "low end of the claimed range, inclusive", unit="count"),
    Field("value_high", "Int64", "high end of the claimed range, inclusive; null = open-ended", unit="count"),
    Field("qualifier", "str", "qualifier of the number (exact, about, more_than, ...; see "
          "ceasefire_stats.text.en_numerals)"),
    Field("window_tz", "str", "local zone of the count's night/date, used for attribution_date"),
    Field("count_window_id", "str", "counts: the calendar window the count is about (ceasefire_windows.window_id), "
          "whose bounds are window_start..window_end"),
    Field("count_window_definition", "str", "counts: which definition of count_window_id (ceasefire_windows."
          "definition)"),
    Field("count_regions", "str", "counts: ISO 3166-2 region ids the count refers to, '|'-joined"),
    Field("quote", "str", "short verbatim phrase of the source that is the claim (<= 160 characters); "
          "the speaker's words when quote_kind is direct"),
    Field("quote_kind", "str", "whose wording quote is: direct (the speaker's words, in quotation marks in "
          "the source) or paraphrase (the outlet's wording); null iff quote is null",
          checks=(pa.Check.isin(list(QUOTE_KINDS)),)),
    Field("error_code", "str", "kind of error the curator found in the source document",
          nullable=False, checks=(pa.Check.isin(list(SOURCE_ERROR_CODES)),)),
    Field("error_text", "str", "the erroneous phrase of the source, quoted short", nullable=False),
    Field("error_note", "str", "what is wrong and what is right, with the curator's evidence", nullable=False),
    Field("notes", "str", "curator's notes"),
)

COLUMNS = [
    "claim_id", "source_doc", "source_line", "source_title", "source_outlet", "source_url", "source_accessed",
    "source_published_stamp", "source_published_tz", "source_published_from", "source_published_to",
    "said_from", "said_to", "said_tz", "said_precision", "claimant",
    "claimant_name", "claimant_role", "claimant_side", "speaker", "speaker_name", "claim_type", "subject_side", "topic",
    "count_noun", "count_metric", "count_weapon_class", "direction", "count_number_text",
    "count_number_derived", "value_stated", "value_low", "value_high", "qualifier", "window_start",
    "window_end", "window_tz", "count_window_id", "count_window_definition", "attribution_date", "count_regions", "quote", "quote_kind", "notes",
]

SCHEMA = schema(
    "claims",
    COLUMNS,
    overrides={"direction": {"nullable": True}},
    checks=[
        pa.Check(lambda d: (d["said_to"] > d["said_from"]), name="said_to_after_said_from"),
        pa.Check(lambda d: d["said_to"] <= d["source_published_to"], name="said_before_source_published"),
        pa.Check(lambda d: d["source_published_to"] > d["source_published_from"], name="published_interval"),
        pa.Check(lambda d: d["quote"].isna() == d["quote_kind"].isna(), name="quotes_have_a_kind"),
        pa.Check(lambda d: (d["claim_type"] == "count") == d["count_number_text"].notna(),
                 name="counts_have_numbers"),
        pa.Check(lambda d: d["value_high"].isna() | (d["value_low"] <= d["value_high"]).fillna(True),
                 name="value_low_le_value_high"),
    ],
)
ERROR_COLUMNS = ["source_doc", "error_code", "error_text", "error_note"]
ERROR_SCHEMA = schema("claim_source_errors", ERROR_COLUMNS)
"""``claim_source_errors``: one row per error the curator found in a source document."""
SCHEMAS = {"claims": SCHEMA, "claim_source_errors": ERROR_SCHEMA}
"""Schemas of the tables this step writes (``pipeline.load`` validates against them)."""

# --- errors and small helpers -----------------------------------------------------------------


class _Collector:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, line: int, claim_id: str, field: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, (("claim", claim_id),), field, message))


def _zone(name: object) -> ZoneInfo:
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as {nights.KYIV})") from None


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date YYYY-MM-DD, got a datetime {value!r}")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"not a date YYYY-MM-DD: {value!r}") from None


def _as_datetime_or_date(value: object) -> dt.datetime | dt.date:
    """A tz-aware datetime, or a date. Naive datetimes are refused."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        return value
    else:
        text = str(value).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return _as_date(text)
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not a date (YYYY-MM-DD) or datetime with offset (YYYY-MM-DDTHH:MM+HH:MM): "
                             f"{value!r}") from None
    if moment.tzinfo is None:
        raise ValueError(f"datetime {value!r} has no time zone offset (write e.g. 2025-03-19T07:36+03:00)")
    return moment


def night_window(night: object, tz: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The nominal window of ``night: D`` as written in a claim file (a date or ``YYYY-MM-DD``):
    :func:`ceasefire_stats.nights.claim_night_window`."""
    return nights.claim_night_window(_as_date(night), tz)


def _said_interval(said: object, tz_name: object, precision: str) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """The interval a statement time spans: its minute or hour, its local day (+-1 day for ``approx``);
    with ``said_tz: unknown`` a date is the day read at every offset from UTC+14 to UTC-12.

    >>> start, end, zone = _said_interval("2025-04-21", "unknown", "day")
    >>> str(start.tz_convert("UTC")), str(end.tz_convert("UTC")), zone
    ('2025-04-20 10:00:00+00:00', '2025-04-22 12:00:00+00:00', 'unknown')
    """
    value = _as_datetime_or_date(said)
    if tz_name == UNKNOWN_TZ:
        if isinstance(value, dt.datetime):
            raise ValueError(f"{said!r} carries a time and offset: give said_tz as its zone (or none), not "
                             f"'{UNKNOWN_TZ}'")
        if precision not in ("day", "approx"):
            raise ValueError(f"said_tz '{UNKNOWN_TZ}' goes with a date of precision day or approx, not {precision!r}")
        pad = pd.Timedelta(days=1) if precision == "approx" else pd.Timedelta(0)
        day = pd.Timestamp(value)
        start = (day - pad - OFFSET_RANGE[1]).tz_localize("UTC")
        end = (day + pd.Timedelta(days=1) + pad - OFFSET_RANGE[0]).tz_localize("UTC")
        return start, end, UNKNOWN_TZ
    if isinstance(value, dt.datetime):
        moment = pd.Timestamp(value)
        zone = str(tz_name) if tz_name else str(moment.tz)
        if tz_name:
            stated = moment.utcoffset()
            moment = moment.tz_convert(_zone(tz_name))
            if moment.utcoffset() != stated:
                raise ValueError(f"offset {stated} of {value} disagrees with {tz_name} ({moment.utcoffset()}) "
                                 "at that instant")
        if precision == "minute":
            start = moment.floor("min")
            return start, start + pd.Timedelta(minutes=1), zone
        if precision == "hour":
            start = moment.floor("h")
            return start, start + pd.Timedelta(hours=1), zone
        day = pd.Timestamp(moment.date())
        tzinfo = moment.tz
    else:
        if precision in ("minute", "hour"):
            raise ValueError(f"precision {precision!r} needs a datetime, got the date {value}")
        if not tz_name:
            raise ValueError(f"a date needs said_tz (the speaker's local zone, e.g. {nights.KYIV})")
        zone = str(tz_name)
        tzinfo = _zone(tz_name)
        day = pd.Timestamp(value)
    pad = pd.Timedelta(days=1) if precision == "approx" else pd.Timedelta(0)
    start = (day - pad).tz_localize(tzinfo)
    end = (day + pd.Timedelta(days=1) + pad).tz_localize(tzinfo)
    return start, end, zone


def _str(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


_Loader = safe_yaml.loader("claim file", max_depth=MAX_DEPTH, text_keys=True)
"""Safe YAML (:mod:`ceasefire_stats.core.safe_yaml`): no anchors or aliases, at most
:data:`MAX_DEPTH` levels of nesting, text keys."""


_KEY_LINE = re.compile(r"^\s*(?:-\s+)*([A-Za-z_]+[\w.-]*|<<)\s*:")
_ITEM_LINE = re.compile(r"^( *)- ")


def _where(text: str, line: int) -> tuple[str, str]:
    r"""(claim id, field) of a 1-based ``line``, to name a problem found while reading the YAML,
    before there is a tree: the field is the last key written at or above the line, the claim
    the item of the top-level ``claims`` list that holds the line (``'-'`` where none).

    >>> text = "claims:\n  - id: t-1\n    said: &a 2025-03-19\n  - said: 1\n    id: t-2\n"
    >>> _where(text, 3), _where(text, 4), _where("format: &x 1\n", 1)
    (('t-1', 'said'), ('t-2', 'said'), ('-', 'format'))
    """
    lines = text.splitlines()
    upto = lines[:max(line, 0)]
    field = next((m.group(1) for m in map(_KEY_LINE.match, reversed(upto)) if m), "-")
    heads = [i for i, text_line in enumerate(upto) if text_line.startswith("claims:")]
    if not heads or any(ln[:1] not in ("", " ", "#", "-") for ln in upto[heads[-1] + 1:]):
        return "-", field  # not inside the claims list
    items = [(i, m.group(1)) for i, m in ((i, _ITEM_LINE.match(ln)) for i, ln in enumerate(lines))
             if m and i > heads[-1]]
    if not items:
        return "-", field
    indent = min(len(ind) for _, ind in items)
    starts = [i for i, ind in items if len(ind) == indent]
    mine = [i for i in starts if i < line]
    if not mine:
        return "-", field
    end = next((i for i in starts if i > mine[-1]), len(lines))
    id_line = re.compile(rf"^ {{{indent}}}(?:- | {{2}})id\s*:\s*[\"']?([^\"'\s#]+)")
    ids = [m.group(1) for m in map(id_line.match, lines[mine[-1]:end]) if m]
    return (ids[0] if ids else "-"), field


def _locate(text: str, line: int) -> tuple[tuple[tuple[str, str], ...], str]:
    """:func:`_where` as a problem's place (:data:`~ceasefire_stats.core.safe_yaml.Locate`)."""
    claim_id, field = _where(text, line)
    return (("claim", claim_id),), field


def _load(path: Path, c: _Collector) -> tuple[object, yaml.Node | None, str] | None:
    """(data, node tree, text) of one claims file, or ``None`` with the problems collected."""
    def bad_timestamps(root: yaml.Node) -> list[Problem]:  # an unquoted YAML timestamp that is no date
        return [Problem(c.file, line, (("claim", claim_id),), field,
                        f"unparseable date: {value!r} is not a calendar date/time")
                for line, claim_id, field, value in _bad_timestamps(root)]

    loaded = safe_yaml.read_document(path, _Loader, _locate, bad_timestamps)
    if isinstance(loaded, list):
        c.problems.extend(loaded)
        return None
    return loaded


def _text_keys(mapping: dict[object, object], allowed: set[str]) -> list[str]:
    """The keys of ``mapping`` outside ``allowed``, sorted (every key is text: see :class:`_Loader`)."""
    return sorted(str(k) for k in mapping if k not in allowed)


def _not_scalar(value: object) -> str | None:
    """``'a list'`` or ``'a mapping'`` when ``value`` is a collection, else ``None``."""
    return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else None


# --- one file ---------------------------------------------------------------------------------


def _claim_lines(root: yaml.Node | None, key_name: str = "claims") -> list[int]:
    """1-based line of each item of a top-level sequence (``claims``, ``claimants``), from the
    YAML node tree."""
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == key_name and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _bad_timestamps(root: yaml.Node | None) -> list[tuple[int, str, str, str]]:
    """(line, claim id, field, value) of every YAML timestamp scalar that is not a real date
    (``yaml.safe_load`` raises a bare ValueError on them, without saying where)."""
    bad: list[tuple[int, str, str, str]] = []

    def walk(node: yaml.Node, claim_id: str, field: str) -> None:
        if isinstance(node, yaml.MappingNode):
            ids = [v.value for k, v in node.value if k.value == "id" and isinstance(v, yaml.ScalarNode)]
            claim_id = ids[0] if ids and field.startswith("claims") else claim_id
            for key, value in node.value:
                sub = key.value if field in ("", "claims") else f"{field}.{key.value}"
                walk(value, claim_id, sub)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item, claim_id, field)
        elif node.tag == "tag:yaml.org,2002:timestamp":
            try:
                yaml.safe_load(node.value)
            except ValueError:
                bad.append((node.start_mark.line + 1, claim_id, field, node.value))

    if root is not None:
        walk(root, "-", "")
    return bad


def _parse_source(src: object, c: _Collector) -> dict[str, object]:
    if not isinstance(src, dict):
        c.add(1, "-", "source", "missing or not a mapping (title, outlet, published ...)")
        return {}
    for key in _text_keys(src, SOURCE_KEYS):
        c.add(1, "-", f"source.{key}", f"unknown field; allowed: {sorted(SOURCE_KEYS)}")
    collections = {k for k in SOURCE_KEYS - {"errors"} if _not_scalar(src.get(k))}
    for key in sorted(collections):
        c.add(1, "-", f"source.{key}", f"expected a single value, not {_not_scalar(src[key])}")
    src = {k: v for k, v in src.items() if k not in collections}
    out: dict[str, object] = {}
    for key in ("title", "outlet", "published"):
        if key not in collections and _str(src.get(key)) is None:
            c.add(1, "-", f"source.{key}", "missing required field")
    out["source_title"] = _str(src.get("title"))
    out["source_outlet"] = _str(src.get("outlet"))
    out["source_url"] = _str(src.get("url"))
    out["source_accessed"] = None
    if src.get("accessed") is not None:
        try:
            out["source_accessed"] = _as_date(src["accessed"]).isoformat()
        except ValueError as exc:
            c.add(1, "-", "source.accessed", str(exc))
    if src.get("published") is not None:
        try:
            out.update(_published(src["published"], _str(src.get("published_tz")),
                                  str(src.get("published_precision", "minute"))))
        except ValueError as exc:
            c.add(1, "-", "source.published", str(exc))
    return out


def _published(stamp: object, tz_name: str | None, precision: str) -> dict[str, object]:
    """The publication interval of a source: its stamp read in ``tz_name``, or, with
    ``published_tz: unknown``, at every UTC offset in use (:data:`OFFSET_RANGE`).

    >>> p = _published("2025-03-20 00:47:00", "unknown", "minute")
    >>> str(p["source_published_from"]), str(p["source_published_to"])
    ('2025-03-19 10:47:00+00:00', '2025-03-20 12:48:00+00:00')
    >>> p = _published("2025-04-21", "unknown", "day")  # a date printed without a time or zone
    >>> str(p["source_published_from"]), str(p["source_published_to"])
    ('2025-04-20 10:00:00+00:00', '2025-04-22 12:00:00+00:00')
    """
    if tz_name == UNKNOWN_TZ:
        text = str(stamp).strip()
        if isinstance(stamp, dt.date) and not isinstance(stamp, dt.datetime) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            if precision not in ("day", "approx"):
                raise ValueError("a date of unknown zone needs published_precision day or approx")
            start, end, _ = _said_interval(text, UNKNOWN_TZ, precision)  # the day at every offset
            return {"source_published_stamp": text, "source_published_tz": UNKNOWN_TZ,
                    "source_published_from": start, "source_published_to": end}
        try:
            naive = pd.Timestamp(dt.datetime.fromisoformat(text))
        except ValueError:
            raise ValueError(f"not a datetime as printed (YYYY-MM-DD HH:MM[:SS]): {stamp!r}") from None
        if naive.tz is not None:
            raise ValueError(f"{stamp!r} carries an offset: give its zone in published_tz, not 'unknown'")
        if precision not in ("minute", "hour"):
            raise ValueError("a stamp of unknown zone needs published_precision minute or hour")
        step = pd.Timedelta(minutes=1) if precision == "minute" else pd.Timedelta(hours=1)
        start = (naive.floor("min" if precision == "minute" else "h") - OFFSET_RANGE[1]).tz_localize(nights.UTC)
        end = (naive.floor("min" if precision == "minute" else "h") - OFFSET_RANGE[0]).tz_localize(nights.UTC) + step
        return {"source_published_stamp": text, "source_published_tz": UNKNOWN_TZ,
                "source_published_from": start, "source_published_to": end}
    start, end, zone = _said_interval(stamp, tz_name, precision)
    value = _as_datetime_or_date(stamp)
    if tz_name and isinstance(value, dt.datetime):
        stated = pd.Timestamp(value).utcoffset()
        if start.utcoffset() != stated:
            raise ValueError(f"offset {stated} disagrees with {tz_name} ({start.utcoffset()}) at that instant")
    return {"source_published_stamp": str(stamp).strip(), "source_published_tz": tz_name or zone,
            "source_published_from": start.tz_convert(nights.UTC), "source_published_to": end.tz_convert(nights.UTC)}


def _parse_source_errors(block: object, c: _Collector) -> list[dict[str, object]]:
    """``source.errors``: a list of ``{code, text, note}``, each an error the curator found in the source."""
    if block is None:
        return []
    if not isinstance(block, list):
        c.add(1, "-", "source.errors", "a list of {code, text, note}")
        return []
    rows = []
    for k, item in enumerate(block):
        field = f"source.errors[{k}]"
        if not isinstance(item, dict):
            c.add(1, "-", field, "each error is a mapping with code, text, note")
            continue
        for key in _text_keys(item, SOURCE_ERROR_KEYS):
            c.add(1, "-", f"{field}.{key}", f"unknown field; allowed: {sorted(SOURCE_ERROR_KEYS)}")
        values = {key: None if _not_scalar(item.get(key)) else _str(item.get(key)) for key in SOURCE_ERROR_KEYS}
        for key in sorted(SOURCE_ERROR_KEYS):
            if values[key] is None:
                c.add(1, "-", f"{field}.{key}", "missing required field (a single value)")
        if values["code"] is not None and values["code"] not in SOURCE_ERROR_CODES:
            c.add(1, "-", f"{field}.code", f"unknown error code {values['code']!r}; allowed: "
                  f"{list(SOURCE_ERROR_CODES)}")
        if values["text"] is not None and len(values["text"]) > QUOTE_MAX_CHARS:
            c.add(1, "-", f"{field}.text", f"text is {len(values['text'])} characters; quote only the "
                  f"erroneous phrase (<= {QUOTE_MAX_CHARS})")
        rows.append({"error_code": values["code"], "error_text": values["text"], "error_note": values["note"]})
    return rows


def _parse_claimants(block: object, c: _Collector, lines: list[int]) -> dict[str, Claimant]:
    extra: dict[str, Claimant] = {}
    if block is None:
        return extra
    if not isinstance(block, list):
        c.add(1, "-", "claimants", "must be a list of claimants")
        return extra
    lines = lines + [1] * (len(block) - len(lines))
    for item, line in zip(block, lines, strict=False):
        if not isinstance(item, dict):
            c.add(line, "-", "claimants", "each claimant is a mapping")
            continue
        cid = _str(item.get("id")) or "-"
        for key in _text_keys(item, CLAIMANT_KEYS):
            c.add(line, "-", f"claimants.{key}", f"claimant {cid!r}: unknown field")
        collections = [k for k in sorted(CLAIMANT_KEYS - {"aliases"}) if _not_scalar(item.get(k))]
        for key in collections:
            c.add(line, "-", f"claimants.{key}", f"expected a single value, not {_not_scalar(item[key])}")
        if collections:
            continue
        missing = [k for k in ("id", "name", "role", "side") if _str(item.get(k)) is None]
        for key in missing:
            c.add(line, "-", f"claimants.{key}", f"claimant {cid!r}: missing required field")
        if missing:
            continue
        if not ID_PATTERN.match(cid):
            c.add(line, "-", "claimants.id", f"claimant id {cid!r} must be lowercase letters, digits, _")
            continue
        if cid in CLAIMANTS:
            c.add(line, "-", "claimants.id", f"claimant {cid!r} is already in the package table")
            continue
        side = item["side"]
        if side not in SIDES:
            c.add(line, "-", "claimants.side", f"claimant {cid!r}: unknown claimant side {side!r}; allowed: "
                  f"{list(SIDES)}" + (" (quote it: YAML reads NO/yes as booleans)" if isinstance(side, bool) else ""))
            continue
        aliases = item.get("aliases") or []
        extra[cid] = Claimant(cid, str(item["name"]), str(item["role"]), str(side),
                              tuple(str(a) for a in aliases) if isinstance(aliases, list) else ())
    return extra


class Calendar:
    """The ceasefire calendar a claim's ``window_id`` is resolved in: the ``ceasefire_windows``
    table, or a calendar folder (default ``curated/calendar``) read when a claim first names one."""

    def __init__(self, source: pd.DataFrame | str | Path | None = None):
        self._source = source
        self._table: pd.DataFrame | None = source if isinstance(source, pd.DataFrame) else None

    def table(self) -> pd.DataFrame:
        if self._table is None:
            from ceasefire_stats.clean import calendar

            folder = self._source if self._source is not None else paths.curated_dir("calendar")
            self._table = calendar.read_calendar(folder)
        return self._table

    def bounds(self, window_id: str, definition: str | None) -> tuple[pd.Timestamp, pd.Timestamp, str, str]:
        """(start, end, definition, stated zone) of one calendar window; ``ValueError`` saying what to write."""
        table = self.table()
        rows = table[table["window_id"] == window_id]
        if rows.empty:
            raise ValueError(f"unknown window_id {window_id!r}; the calendar has {sorted(set(table['window_id']))}")
        if definition is None:
            if len(rows) > 1:
                raise ValueError(f"window {window_id!r} has {len(rows)} definitions {sorted(rows['definition'])}: "
                                 "say which in count.definition")
            row = rows.iloc[0]
        else:
            chosen = rows[rows["definition"] == definition]
            if chosen.empty:
                raise ValueError(f"window {window_id!r} has no definition {definition!r}; it has "
                                 f"{sorted(rows['definition'])}")
            row = chosen.iloc[0]
        missing = [b for b in ("start", "end") if pd.isna(row[b])]
        if missing:
            raise ValueError(f"window {window_id!r} definition {row['definition']!r} has no {' or '.join(missing)} "
                             "in the calendar: give count.window with the bounds the claim means")
        return row["start"], row["end"], str(row["definition"]), str(row["stated_timezone"])


def _parse_count(block: object, cid: str, line: int, c: _Collector,
                 about_tolerance: float, calendar: Calendar | None = None) -> dict[str, object]:
    out: dict[str, object] = {}
    if not isinstance(block, dict):
        c.add(line, cid, "count", "a claim of type 'count' needs a 'count' mapping (number, counted, metric ...)")
        return out
    for key in _text_keys(block, COUNT_KEYS):
        c.add(line, cid, f"count.{key}", f"unknown field; allowed: {sorted(COUNT_KEYS)}")
    collections = {k for k in COUNT_KEYS - {"regions", "window"} if _not_scalar(block.get(k))}
    for key in sorted(collections):
        c.add(line, cid, f"count.{key}", f"expected a single value, not {_not_scalar(block[key])}")
    block = {k: v for k, v in block.items() if k not in collections}
    for key in ("number", "counted", "metric"):
        if key not in collections and _str(block.get(key)) is None:
            c.add(line, cid, f"count.{key}", "missing required field")
    number = _str(block.get("number"))
    out["count_number_text"] = number
    out["count_noun"] = _str(block.get("counted"))
    metric = _str(block.get("metric"))
    if metric is not None and metric not in METRICS:
        c.add(line, cid, "count.metric", f"unknown metric {metric!r}; allowed: {list(METRICS)}")
    out["count_metric"] = metric
    weapon = _str(block.get("weapon_class"))
    if weapon is not None and weapon not in CLAIM_WEAPON_CLASSES:
        c.add(line, cid, "count.weapon_class", f"unknown weapon class {weapon!r}; allowed: {list(CLAIM_WEAPON_CLASSES)}")
    out["count_weapon_class"] = weapon
    direction = _str(block.get("direction"))
    if direction is not None and direction not in DIRECTIONS:
        c.add(line, cid, "count.direction", f"unknown direction {direction!r}; allowed: {list(DIRECTIONS)}")
        direction = None
    if weapon is not None and direction is None and _str(block.get("direction")) is None:
        c.add(line, cid, "count.direction", "a count of weapons needs a direction (ru_to_ua or ua_to_ru)")
    out["direction"] = direction
    derived = block.get("number_derived", False)
    if not isinstance(derived, bool):
        c.add(line, cid, "count.number_derived", f"must be true or false, not {derived!r}")
        derived = False
    out["count_number_derived"] = derived
    if number is not None:
        try:
            q = parse_quantity(number, about_tolerance)
        except NumberParseError as exc:
            c.add(line, cid, "count.number", str(exc))
        else:
            out.update(value_stated=q.value, value_low=q.value_low, value_high=q.value_high, qualifier=q.qualifier)
            stated_q = _str(block.get("qualifier"))
            if stated_q is not None and stated_q != q.qualifier:
                c.add(line, cid, "count.qualifier", f"qualifier {stated_q!r} contradicts the number {number!r} "
                      f"(which reads as {q.qualifier!r})")
            if block.get("value") is not None:
                value = block["value"]
                if isinstance(value, bool) or not isinstance(value, int) or value != q.value:
                    c.add(line, cid, "count.value", f"value {value!r} contradicts the number {number!r} "
                          f"(which reads as {q.value!r}, range {q.value_low}..{q.value_high})")
    # the window the count refers to
    given = [k for k in ("night", "date", "window", "window_id") if block.get(k) is not None]
    tz_name = _str(block.get("tz")) or (DEFAULT_ZONE.get(direction) if direction else None)
    out.update(window_start=None, window_end=None, window_tz=None, count_window_id=None,
               count_window_definition=None)
    if block.get("definition") is not None and block.get("window_id") is None:
        c.add(line, cid, "count.definition", "definition names a definition of count.window_id; give the window_id")
    if len(given) > 1:
        c.add(line, cid, f"count.{given[1]}", f"give one of night/date/window/window_id, not {given}")
    elif given:
        key = given[0]
        try:
            if key == "window_id":
                start, end, definition, stated = (calendar or Calendar()).bounds(
                    str(_str(block["window_id"])), _str(block.get("definition")))
                if tz_name is None:  # no direction: the zone the calendar states, else UTC
                    tz_name = stated if stated not in ("", "nan", "None", UNKNOWN_TZ) else nights.UTC
                out.update(count_window_id=_str(block["window_id"]), count_window_definition=definition)
            if tz_name is None:
                raise ValueError("needs count.tz (or a direction, whose side gives the zone)")
            zone = _zone(tz_name)
            if key == "window_id":
                start, end = start.tz_convert(zone), end.tz_convert(zone)
            elif key == "night":
                start, end = night_window(block["night"], str(zone))
            elif key == "date":
                day = pd.Timestamp(_as_date(block["date"]))
                start, end = day.tz_localize(zone), (day + pd.Timedelta(days=1)).tz_localize(zone)
            else:
                win = block["window"]
                if not isinstance(win, dict) or set(win) != {"start", "end"}:
                    raise ValueError("window is a mapping with start and end datetimes")
                bounds = [_as_datetime_or_date(win[k]) for k in ("start", "end")]
                if not all(isinstance(b, dt.datetime) for b in bounds):
                    raise ValueError("window start and end must be datetimes with offsets")
                start, end = (pd.Timestamp(b).tz_convert(zone) for b in bounds)
                if end < start:
                    raise ValueError("window ends before it starts")
            out.update(window_start=start, window_end=end, window_tz=str(zone))
        except ValueError as exc:
            c.add(line, cid, f"count.{key}", str(exc))
    regions = block.get("regions") or []
    if not isinstance(regions, list):
        c.add(line, cid, "count.regions", "regions is a list of ISO 3166-2 ids")
        regions = []
    bad = [r for r in regions if not REGION_PATTERN.match(str(r))]
    if bad:
        c.add(line, cid, "count.regions", f"not region ids {bad} (UA-xx, RU-XXX, SEA-XXX)")
    unknown = [r for r in regions if REGION_PATTERN.match(str(r)) and str(r) not in KNOWN_REGIONS]
    if unknown:
        c.add(line, cid, "count.regions", f"unknown region ids {unknown}: no such region in "
              "clean.regions_ua or clean.regions_ru (e.g. UA-32 Kyiv oblast, RU-KRS Kursk, SEA-BLACK)")
    if len(set(map(str, regions))) != len(regions):
        c.add(line, cid, "count.regions", "a region is listed twice")
    out["count_regions"] = "|".join(map(str, regions)) if regions else None
    return out



def _person(item: dict, field: str, noun: str, what: str, extra: dict[str, Claimant], c: _Collector,
            line: int, label: str) -> Claimant | None:
    """The claimant named by ``item[field]`` (None when absent, or unknown and reported to ``c``)."""
    name = _str(item.get(field))
    if name is None:
        return None
    person_id = canonical(name, extra)
    if person_id is None:
        c.add(line, label, field, f"unknown {noun} {name!r}: use {what} from "
              "ceasefire_stats.clean.claimants or add it to the file's 'claimants:' block")
        return None
    return {**CLAIMANTS, **extra}[person_id]

def _dates_agree(row: dict[str, object], line: int, label: str, c: _Collector,
                 published_to: pd.Timestamp | None, count_key: str) -> None:
    """A count's period must have begun before the statement about it, and before its source was
    published: a claim about a night after the article, or said before the night it counts, is an error."""
    start = row.get("window_start")
    if start is None or pd.isna(start):
        return
    start_utc = pd.Timestamp(start).tz_convert("UTC")
    field = f"count.{count_key}"
    if published_to is not None and start_utc >= published_to:
        c.add(line, label, field, f"the counted period starts {start} (local), after the latest possible "
              f"publication of its own source ({published_to} UTC): a document cannot report a period that had "
              "not begun; check the night/date or the source's published stamp")
    said_to = row.get("said_to")
    if said_to is not None and not pd.isna(said_to) and start_utc >= said_to:
        c.add(line, label, field, f"the counted period starts {start} (local), after the statement was made "
              f"(said by {said_to} UTC): a count is about a period that has begun; check 'said' and the "
              "night/date")


def _parse_claim(item: object, line: int, extra: dict[str, Claimant], c: _Collector,
                 about_tolerance: float, published_to: pd.Timestamp | None = None,
                 calendar: Calendar | None = None) -> dict[str, object] | None:
    if not isinstance(item, dict):
        c.add(line, "-", "claims", "each claim is a mapping")
        return None
    n_before = len(c.problems)
    kind = _not_scalar(item.get("id"))
    cid = None if kind else _str(item.get("id"))
    label = cid or "-"
    if kind:
        c.add(line, label, "id", f"an id is one word such as t-1, not {kind}")
    elif cid is None:
        c.add(line, label, "id", "missing required field")
    elif not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", cid):
        c.add(line, label, "id", "ids are lowercase letters, digits, '.', '_' or '-'")
    for key in _text_keys(item, CLAIM_KEYS):
        c.add(line, label, key, f"unknown field; allowed: {sorted(CLAIM_KEYS)}")
    collections = {k for k in CLAIM_KEYS - {"id", "count"} if _not_scalar(item.get(k))}
    for key in sorted(collections):
        c.add(line, label, key, f"expected a single value, not {_not_scalar(item[key])}")
    item = {k: v for k, v in item.items() if k not in collections}
    for key in ("said", "said_precision", "claimant", "type", "subject_side", "topic"):
        if key not in collections and _str(item.get(key)) is None:
            c.add(line, label, key, "missing required field")
    row: dict[str, object] = {"claim_id": cid, "source_line": line, "said_precision": _str(item.get("said_precision"))}
    precision = _str(item.get("said_precision"))
    if precision is not None and precision not in PRECISIONS:
        c.add(line, label, "said_precision", f"unknown precision {precision!r}; allowed: {list(PRECISIONS)}")
    elif item.get("said") is not None and precision is not None:
        try:
            start, end, zone = _said_interval(item["said"], _str(item.get("said_tz")), precision)
            start, end = start.tz_convert(nights.UTC), end.tz_convert(nights.UTC)
            if published_to is not None:
                if start >= published_to:
                    c.add(line, label, "said", f"said from {start} (UTC), after the latest possible publication "
                          f"of its own source ({published_to}): a statement precedes the document reporting it")
                end = min(end, published_to)  # a statement precedes its report
            row.update(said_from=start, said_to=end, said_tz=zone)
        except ValueError as exc:
            c.add(line, label, "said", f"unparseable date: {exc}")
    who = _person(item, "claimant", "claimant", "a canonical id", extra, c, line, label)
    if who is not None:
        row.update(claimant=who.id, claimant_name=who.name, claimant_role=_str(item.get("role")) or who.role,
                   claimant_side=who.side, speaker=who.id, speaker_name=who.name)
    speaker = _person(item, "speaker", "speaker", "a canonical claimant id", extra, c, line, label)
    if speaker is not None:
        row.update(speaker=speaker.id, speaker_name=speaker.name)
    ctype = _str(item.get("type"))
    if ctype is not None and ctype not in CLAIM_TYPES:
        c.add(line, label, "type", f"unknown claim type {ctype!r}; allowed: {list(CLAIM_TYPES)}")
    row["claim_type"] = ctype
    subject = item.get("subject_side")
    if subject is not None and subject not in SUBJECT_SIDES:
        c.add(line, label, "subject_side", f"unknown side {subject!r}; allowed: {list(SUBJECT_SIDES)}")
    row["subject_side"] = _str(subject)
    topic = _str(item.get("topic"))
    if topic is not None and topic not in TOPICS:
        c.add(line, label, "topic", f"unknown topic {topic!r}; allowed: {list(TOPICS)}")
    row["topic"] = topic
    if ctype == "count":
        block = item.get("count")
        row.update(_parse_count(block, label, line, c, about_tolerance, calendar))
        if isinstance(block, dict):
            key = next((k for k in ("night", "date", "window", "window_id") if block.get(k) is not None), "night")
            _dates_agree(row, line, label, c, published_to, key)
    elif item.get("count") is not None:
        c.add(line, label, "count", f"only claims of type 'count' carry a count block (type is {ctype!r})")
    quote = _str(item.get("quote"))
    if quote is not None and len(quote) > QUOTE_MAX_CHARS:
        c.add(line, label, "quote", f"quote is {len(quote)} characters; keep it to the short phrase that is "
              f"the claim (<= {QUOTE_MAX_CHARS})")
    row["quote"] = quote
    kind = _str(item.get("quote_kind"))
    if quote is not None and kind is None:
        c.add(line, label, "quote_kind", f"a quote needs quote_kind: {' or '.join(QUOTE_KINDS)} (the speaker's "
              "words in quotation marks, or the outlet's wording)")
    elif kind is not None and quote is None:
        c.add(line, label, "quote_kind", "quote_kind without a quote")
    elif kind is not None and kind not in QUOTE_KINDS:
        c.add(line, label, "quote_kind", f"unknown quote kind {kind!r}; allowed: {list(QUOTE_KINDS)}")
    row["quote_kind"] = kind
    row["notes"] = _str(item.get("notes"))
    return row if len(c.problems) == n_before else None


@dataclasses.dataclass
class FileResult:
    """One claims file read: its rows (valid claims), ledger and problems."""

    path: Path
    rows: list[dict[str, object]]
    ledger: Ledger
    problems: list[Problem]
    errors: list[dict[str, object]] = dataclasses.field(default_factory=list)


def read_file(path: str | Path, about_tolerance: float = ABOUT_TOLERANCE,
              calendar: Calendar | None = None) -> FileResult:
    """Read and validate one claims file (``yaml.safe_load``); problems are returned, not raised."""
    path = Path(path)
    c = _Collector(path.name)
    doc = path.stem
    loaded = _load(path, c)
    if loaded is None:
        return FileResult(path, [], Ledger.from_parts(f"claims_{doc}", pd.Index([], dtype="Int64")), c.problems)
    data, root, _ = loaded
    if not isinstance(data, dict):
        c.add(1, "-", "-", "the file must be a mapping with source and claims")
        return FileResult(path, [], Ledger.from_parts(f"claims_{doc}", pd.Index([], dtype="Int64")), c.problems)
    for key in _text_keys(data, TOP_KEYS):
        c.add(1, "-", key, f"unknown top-level field; allowed: {sorted(TOP_KEYS)}")
    if data.get("format") != FORMAT_VERSION:
        c.add(1, "-", "format", f"missing or unsupported format version {data.get('format')!r} "
              f"(this package reads format: {FORMAT_VERSION})")
    source = _parse_source(data.get("source"), c)
    errors = [{"source_doc": doc, **e} for e in _parse_source_errors(
        data["source"].get("errors") if isinstance(data.get("source"), dict) else None, c)]
    extra = _parse_claimants(data.get("claimants"), c, _claim_lines(root, "claimants"))
    claims = data.get("claims")
    if not isinstance(claims, list) or not claims:
        c.add(1, "-", "claims", "missing or empty list of claims")
        claims = []
    lines = _claim_lines(root)
    lines += [0] * (len(claims) - len(lines))
    rows, rejected, seen = [], [], {}
    for item, line in zip(claims, lines, strict=True):
        n_before = len(c.problems)
        row = _parse_claim(item, line, extra, c, about_tolerance, source.get("source_published_to"), calendar)
        cid = row["claim_id"] if row else (item.get("id") if isinstance(item, dict) else None)
        cid = None if _not_scalar(cid) else cid  # a list where an id belongs was reported above
        if cid is not None and cid in seen:
            c.add(line, str(cid), "id", f"duplicated id (first at line {seen[cid]})")
            row = None
        elif cid is not None:
            seen[cid] = line
        if row is None:
            first = (c.problems[n_before] if len(c.problems) > n_before
                     else Problem(path.name, line, (("claim", "-"),), "-", "?"))
            rejected.append({"raw_row": line, "reason": "invalid_claim", "column": first.field,
                             "value": first.message[:200]})
        else:
            rows.append({"source_doc": doc, **source, **row})
    rejects = pd.DataFrame(rejected, columns=["raw_row", "reason", "column", "value"]).astype(
        {"raw_row": "Int64", "reason": "str", "column": "str", "value": "str"})
    ledger = Ledger.from_parts(f"claims_{doc}", pd.Index(lines, dtype="Int64"), rejected=rejects)
    return FileResult(path, rows, ledger, c.problems, errors)


def claim_files(folder: str | Path | None = None) -> list[Path]:
    """The claim files of ``folder`` (default :func:`ceasefire_stats.core.paths.claims_dir`), by name."""
    folder = Path(folder) if folder is not None else paths.claims_dir()
    if not folder.is_dir():
        raise InputError(f"the curated claims folder {folder} does not exist; point "
                         "CEASEFIRE_STATS_CLAIMS_DIR at the folder of claim files (or unset it to use the "
                         "package's own), nothing was written")
    found = sorted(p for p in folder.glob("*.yaml") if p.is_file()) + sorted(
        p for p in folder.glob("*.yml") if p.is_file())
    if not found:
        raise InputError(f"the curated claims folder {folder} holds no claim file (*.yaml); point "
                         "CEASEFIRE_STATS_CLAIMS_DIR at the folder of claim files, nothing was written")
    return found


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = cast(pd.DataFrame(rows, columns=COLUMNS), [c for c in COLUMNS if c != "attribution_date"])
    attribution = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
    for zone, group in frame[frame["window_tz"].notna()].groupby("window_tz"):
        local_start = group["window_start"].dt.tz_convert(zone)
        local_end = group["window_end"].dt.tz_convert(zone)
        attribution.loc[group.index] = nights.attribution_date(local_start, local_end)
    frame["attribution_date"] = attribution
    return frame[COLUMNS].sort_values(["said_from", "source_doc", "source_line"], kind="stable").reset_index(drop=True)
