"""Russian MoD Telegram posts (@mod_russia, scraped by Androm2018) -> ``mod_posts`` and
``mod_post_regions``: the claims of Ukrainian drones destroyed, parsed from the post text.

The raw file's own ``drone_count`` is wrong in most reports (it takes the first number next
to a drone word); every figure here is parsed from ``text_snippet``. Grain:

- ``mod_posts``: one row per post that is not a duplicate and not rejected (intercept
  reports, digests and other posts), with its kind, claim window, headline count, footer
  total, other munitions, breakdown status and parse status;
- ``mod_post_regions``: one row per post and region named in its breakdown, with the count
  claimed over that region (missing when the post names regions without splitting the
  total among them).

How a post is read (all passes run over a whole chunk of posts at once; see :func:`parse_frame`):

1. **Normalise**: lower case, «ё» -> «е», Latin look-alike letters read as Cyrillic,
   Telegram markdown (``**``, ``__``, links) and emoji removed, dashes unified to «–»,
   whitespace collapsed.
2. **Kind**: ``summary`` for digests («Главное за день», «Сводка», the daily «о ходе
   проведения специальной военной операции» and Kursk reports) named in the first
   :data:`HEAD_CHARS` characters; ``intercept_report`` when an air-defence post (not a
   front-line statement, :data:`~ceasefire_stats.clean.mod_patterns.OTHER_PATTERN`) states
   a destroyed-drone (or rocket, missile, bomb) claim in its first :data:`CLAIM_WITHIN`
   characters, or when any post (not a digest or statement) is in the report frame «… БПЛА
   уничтожен над территорией … области»
   (:data:`~ceasefire_stats.clean.mod_patterns.REPORT_FRAME_PATTERN`), with or without a count
   the parser can read (without one it is ``failed``: rejected ``no_count_parsed``); else
   ``other``. (Every pattern is in :mod:`ceasefire_stats.clean.mod_patterns`.)
3. **Footer**: the text from «Всего» on («Всего за ночь ... 23») is a wider-window total;
   it is parsed into ``footer_total`` and never added to the headline.
4. **Window** (Moscow time): ``range`` «с 20.00 мск 22 мая до 7.00 мск 23 мая» (dates
   optional; a time without a date is the latest such time not later than one hour after
   the post, see :data:`CLOCK_TOLERANCE`); ``moment`` «около 16.30» (start = end);
   ``night`` «в течение прошедшей ночи» with no stated times, given the nominal window
   [23:00 MSK the day before, 07:00 MSK on the post's Moscow date) (ending at the post time
   if the post is earlier than 07:00); ``unstated`` otherwise (window missing).
5. **Headline**: the first count of drones next to a destruction verb, verb-first
   («уничтожены 132 украинских БПЛА») or noun-first («три украинских БпЛА уничтожены»);
   a singular noun with no numeral is 1; a post whose first count is itself the first
   item of a list with no stated total («два БпЛА уничтожены над Курской областью и один
   – над Белгородской») takes the list's sum.
6. **Breakdown**: counted items «35 БПЛА – над территорией Курской области», distributive
   items «по три – над территориями A и B областей» (three each), region-first items
   «над территорией Калужской области уничтожено восемь». Status ``complete`` (sums to the
   headline), ``incomplete`` (the text is cut at 400 characters before the list adds up,
   or some named region has no count), ``sum_mismatch`` (the full list does not add up),
   ``none`` (no region with a count).

One grammar. :func:`parse_frame` reads a whole column (Arrow's RE2 over every text at once,
then pandas columns); :func:`parse_posts` and :func:`parse_post` are that parser's rows as
:class:`ModPost` values. One post through the frame parser costs a frame's fixed overhead
(``benchmarks/bench_mod.py`` prints both figures): a loop over many posts calls
:func:`parse_posts` once.

Known limits: the scrape cuts texts at 400 characters, so long lists are incomplete and
footers are often cut before their number; the nominal night window is a convention, not
a claim; a second, separate claim later in the same post («Ранее, около 14.30 ...») is
not counted (only the headline claim is).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pyarrow_lib
import pyarrow.compute as pc

from ceasefire_stats.clean import regions_ru
from ceasefire_stats.clean.mod_patterns import (
    AIR_DEFENCE_PATTERN,
    BYTE_TABLE,
    COMMA_BYTES_RE,
    DASH_BYTE,
    DRONE_WORD_RE,
    FOOTER_MARK,
    FOOTER_TOTAL_PATTERN,
    GROUP_NAMES,
    HEADLINE_EXACT_RE,
    HEADLINE_PATTERN,
    MISSILE_ONE_RE,
    MOMENT_PATTERN,
    MONTH_WORDS,
    MUNITION_CLAIM_RE,
    MUNITION_HINT_PATTERN,
    MUNITION_RE,
    MUNITION_WORD_RE,
    NIGHT_PATTERN,
    OTHER_PATTERN,
    RANGE_PATTERN,
    REPORT_FRAME_PATTERN,
    SKY_BLANKED,
    SKY_PHRASE,
    SPACES_BYTES_RE,
    SUMMARY_PATTERN,
    TOKEN_RE,
    TWO_SEAS_BYTES,
    URL_PATTERN,
    URL_RE,
)
from ceasefire_stats.core import fields
from ceasefire_stats.nights import MOD_NIGHT_END, MOD_NIGHT_START, MOSCOW, UTC
from ceasefire_stats.text.ru_numerals import parse_numeral
from ceasefire_stats.vocab import MOD_POST_KINDS, RU_MOD, SOURCE_CLAIMANTS

SOURCE = "mod_posts"
CLAIMANT = RU_MOD
DIRECTION = SOURCE_CLAIMANTS[RU_MOD]
TRUNCATED_LENGTH = 400
"""The scraper cut every text at this many characters."""
MAX_TEXT_CHARS = 4096
"""Telegram's limit on a message: only this many characters of a text are read (a longer text
cannot be a post; reading it whole would cost quadratic time in the munition look-ahead)."""
HEAD_CHARS = 130
"""Digest titles and front-line statement headers are looked for in the first 130 characters."""
CLAIM_WITHIN = 330
"""An intercept report states its claim near the top; a claim found later in the text is a
passing mention in a front-line statement (``other``)."""
CLOCK_TOLERANCE = pd.Timedelta(minutes=60)
"""A clock time with no date is the latest such time not later than post time + this."""
NIGHT_START, NIGHT_END = MOD_NIGHT_START, MOD_NIGHT_END
"""The nominal ``night`` window (:data:`ceasefire_stats.nights.MOD_NIGHT_START`)."""
PARSE_CHUNK = 8192
"""Posts parsed at a time by :func:`parse_frame`: each pass's temporaries (normalised texts,
captures, breakdown tokens) grow with a chunk, not with the file; no post's result depends on
another post."""

KINDS = MOD_POST_KINDS
WINDOW_KINDS = ("range", "night", "moment", "unstated")
BREAKDOWN_STATUSES = ("complete", "incomplete", "sum_mismatch", "none")
PARSE_STATUSES = ("parsed", "not_claim", "failed")
MUNITIONS = ("rockets", "missiles", "guided_bombs")

# ---------------------------------------------------------------------------------------
# Fields and schemas

fields.define(
    fields.Field("post_id", "str", "post key: Moscow posting minute and first 8 hex digits of the text's sha256",
                 nullable=False, unique=True),
    fields.Field("text_sha256", "str", "sha256 of the raw text_snippet (UTF-8), the row key of the label set",
                 nullable=False),
    fields.Field("posted_at_utc", f"datetime64[us, {UTC}]", "publication time of the post (the raw `datetime`, UTC)",
                 nullable=False),
    fields.Field("posted_at_msk", f"datetime64[us, {MOSCOW}]", "publication time in Moscow time (UTC+3)",
                 nullable=False),
    fields.Field("kind", "str", "intercept_report, summary (digests) or other", nullable=False,
                 checks=(pa.Check.isin(list(KINDS)),)),
    fields.Field("window_kind", "str", "how the claim window is stated: range, night (nominal "
                 "23:00-07:00 MSK), moment, unstated", checks=(pa.Check.isin(list(WINDOW_KINDS)),)),
    fields.Field("drones_destroyed", "Int64", "Ukrainian drones claimed destroyed (or intercepted) in the "
                 "window: the post's headline count", unit="drones", checks=(pa.Check.ge(0),)),
    fields.Field("footer_total", "Int64", "wider-window total in a «Всего ...» footer; never added to the "
                 "headline", unit="drones", checks=(pa.Check.ge(0),)),
    fields.Field("rockets_destroyed", "Int64", "rockets (MLRS shells such as RM-70 «Вампир») claimed destroyed "
                 "in the same post", unit="rockets", checks=(pa.Check.ge(0),)),
    fields.Field("missiles_destroyed", "Int64", "missiles claimed destroyed in the same post", unit="missiles",
                 checks=(pa.Check.ge(0),)),
    fields.Field("guided_bombs_destroyed", "Int64", "guided or glide bombs claimed destroyed in the same post",
                 unit="bombs", checks=(pa.Check.ge(0),)),
    fields.Field("breakdown_sum", "Int64", "sum of the per-region counts visible in the text", unit="drones"),
    fields.Field("breakdown_status", "str", "complete, incomplete (cut or uncounted region), sum_mismatch, "
                 "none (no counted region)", checks=(pa.Check.isin(list(BREAKDOWN_STATUSES)),)),
    fields.Field("truncated", "bool", "the text is cut at the scraper's 400 characters", nullable=False),
    fields.Field("parse_status", "str", "parsed, not_claim (digest or other post) or failed", nullable=False,
                 checks=(pa.Check.isin(list(PARSE_STATUSES)),)),
    fields.Field("parse_reason", "str", "why a post is not a claim or failed; ';'-joined notes on a parsed one"),
    fields.Field("drone_count_source", "Int64", "the raw file's naive `drone_count` (kept for comparison only)",
                 unit="drones"),
    fields.Field("region_name", "str", "canonical English name of the region", nullable=False),
)

POST_COLUMNS = [
    "post_id", "raw_row", "text_sha256", "posted_at_utc", "posted_at_msk", "kind", "window_kind",
    "window_start", "window_end", "attribution_date", "drones_destroyed", "footer_total",
    "rockets_destroyed", "missiles_destroyed", "guided_bombs_destroyed", "breakdown_sum",
    "breakdown_status", "truncated", "parse_status", "parse_reason", "drone_count_source",
    "claimant", "direction",
]
REGION_COLUMNS = ["post_id", "region_id", "region_name", "drones_destroyed"]
_MSK = {"dtype": f"datetime64[us, {MOSCOW}]"}

MOD_POSTS_SCHEMA = fields.schema(
    "mod_posts", POST_COLUMNS, overrides={"window_start": _MSK, "window_end": _MSK},
    checks=[pa.Check(lambda d: (d["window_end"] >= d["window_start"]) | d["window_end"].isna(),
                     name="window_end_not_before_start")],
)
MOD_POST_REGIONS_SCHEMA = fields.schema(
    "mod_post_regions", REGION_COLUMNS, unique=["post_id", "region_id"], overrides={"post_id": {"unique": False}, "region_id": {"nullable": False}},
    checks=[pa.Check(lambda d: d["region_id"].isin(list(regions_ru.REGIONS.index)), name="known_region")],
)


# ---------------------------------------------------------------------------------------
# Helpers

def normalise_texts(texts: pd.Series) -> pd.Series:
    """Lower case, «ё» -> «е», markdown, links and emoji removed, dashes -> « – », single
    spaces; one pass of each operation over the whole column.

    >>> normalise_texts(pd.Series(["🎖 **57** БПЛА - над [Курской](https://t.me/x) областью"])).tolist()
    ['57 бпла – над курской областью']
    """
    if len(texts) == 0:
        return pd.Series([], index=texts.index, dtype=object)
    sep = "\x1e"
    # links removed and the texts joined in Arrow (the separator inside a text is blanked)
    arr = pc.replace_substring(_arrow_strings(texts), sep, " ")
    arr = pc.replace_substring_regex(arr, URL_PATTERN, " ")
    offsets = pyarrow_lib.array([0, len(arr)], pyarrow_lib.int64())
    big = pc.binary_join(pyarrow_lib.LargeListArray.from_arrays(offsets, arr),
                         pyarrow_lib.scalar(sep, pyarrow_lib.large_string()))[0].as_py()
    # one byte per character (cp1251): emoji and bullets become «?»; then a 256-byte table
    # lower-cases, maps «ё» to «е» and «—» to «–», and blanks everything the patterns ignore
    out = [part.strip() for part in _normalise_joined(big).split(sep)]
    return pd.Series(out, index=texts.index, dtype=object)


def normalise_text(text: str) -> str:
    """:func:`normalise_texts` for one text (the same byte table and patterns, in Python).

    >>> normalise_text("🎖 **57** БПЛА - над [Курской](https://t.me/x) областью")
    '57 бпла – над курской областью'
    """
    return _normalise_joined(URL_RE.sub(" ", text.replace("\x1e", " "))).strip()


def _normalise_joined(text: str) -> str:
    """The byte-level part of normalisation, shared by both paths: ``text`` may hold many
    texts joined by ``\x1e`` (no operation crosses the separator)."""
    data = text.encode("cp1251", errors="replace").translate(BYTE_TABLE, b"*_")
    data = COMMA_BYTES_RE.sub(b", ", data)  # «воронежской,ивановской»
    data = SPACES_BYTES_RE.sub(b" ", data.replace(DASH_BYTE, b" " + DASH_BYTE + b" "))
    data = data.replace(b" - ", b" " + DASH_BYTE + b" ")
    for old, new in TWO_SEAS_BYTES:
        data = data.replace(old, new)
    return data.decode("cp1251")


def _arrow_strings(values: pd.Series) -> pyarrow_lib.Array:
    """A ``str`` column (no missing values) as one Arrow large_string array."""
    arr = pyarrow_lib.array(values.astype("str").array)
    if isinstance(arr, pyarrow_lib.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pyarrow_lib.large_string())


def _arrow(values: pd.Series) -> pyarrow_lib.Array:
    return pyarrow_lib.array(values.tolist(), type=pyarrow_lib.large_string())


def _match(values: pd.Series, pattern: str, arr: pyarrow_lib.Array | None = None) -> pd.Series:
    """Whether each value contains a match of the RE2 ``pattern`` (Arrow, whole column)."""
    arr = _arrow(values) if arr is None else arr
    hit = pc.fill_null(pc.match_substring_regex(arr, pattern), False)
    return pd.Series(hit.to_numpy(zero_copy_only=False), index=values.index, dtype=bool)


def _extract(values: pd.Series, pattern: str, arr: pyarrow_lib.Array | None = None) -> pd.DataFrame:
    """First match of an RE2 ``pattern`` with named groups, one row per value (missing =
    no match / group not taking part), via Arrow's vectorised ``extract_regex``."""
    arr = _arrow(values) if arr is None else arr
    names = GROUP_NAMES[pattern]
    if len(arr) == 0:
        return pd.DataFrame({n: pd.Series([], dtype=object) for n in names}, index=values.index)
    result = pc.extract_regex(arr, pattern)  # null where the pattern does not match
    out = {}
    for name in names:
        col = pc.struct_field(result, name)
        col = pc.if_else(pc.equal(col, ""), pyarrow_lib.scalar(None, pyarrow_lib.large_string()), col)
        out[name] = pd.Series(col.to_numpy(zero_copy_only=False), index=values.index, dtype=object)
    return pd.DataFrame(out, index=values.index)


def _numbers(words: pd.Series) -> pd.Series:
    """Numeral strings -> Int64 (missing where absent or not a numeral)."""
    codes, uniques = pd.factorize(words)  # each distinct string parsed once; missing -> -1
    values = pd.array([*map(parse_numeral, uniques), None], dtype="Int64")
    return pd.Series(values[codes], index=words.index, name=words.name)


def _clock(hours: pd.Series, minutes: pd.Series) -> pd.Series:
    h = pd.to_numeric(hours, errors="coerce")
    m = pd.to_numeric(minutes, errors="coerce").fillna(0)
    ok = (h <= 24) & (m < 60)
    return pd.to_timedelta((h * 60 + m).where(ok), unit="min")


def _dated(day: pd.Series, month_word: pd.Series, month_num: pd.Series, posted_msk: pd.Series) -> pd.Series:
    """Moscow midnight of a stated day and month; the year is the post's, or the one before
    when that date would fall more than two days after the post (a December window
    reported in January)."""
    out = pd.Series(pd.NaT, index=day.index, dtype=f"datetime64[us, {MOSCOW}]")
    has = day.notna().to_numpy()
    if not has.any():
        return out
    word = MONTH_WORDS.get_indexer(month_word[has])  # -1 where no month word
    month_n = pd.to_numeric(month_num[has], errors="coerce").to_numpy(dtype="float", na_value=np.nan)
    month = np.where(word >= 0, word + 1, month_n)
    day_n = pd.to_numeric(day[has], errors="coerce").to_numpy(dtype="float", na_value=np.nan)
    valid = (day_n >= 1) & (day_n <= 31) & (month >= 1) & (month <= 12)
    if not valid.any():
        return out
    posted = posted_msk[has][valid]
    month_n = month[valid].astype("int64") - 1
    day_n = day_n[valid].astype("int64") - 1

    def build(year: np.ndarray) -> pd.Series:
        # calendar arithmetic in numpy; a day past its month's end (31 April) is missing
        first = ((year - 1970) * 12 + month_n).astype("datetime64[M]")
        date = first.astype("datetime64[D]") + day_n
        date = np.where(date.astype("datetime64[M]") == first, date, np.datetime64("NaT"))
        stamps = pd.DatetimeIndex(date.astype("datetime64[us]")).tz_localize(MOSCOW)
        return pd.Series(stamps, index=posted.index, dtype=out.dtype)

    year = posted.dt.year.to_numpy(dtype="int64")
    date = build(year)
    too_late = date > posted + pd.Timedelta(days=2)
    date = date.where(~too_late, build(year - 1))
    out.loc[date.index] = date
    return out


def _latest_before(time_of_day: pd.Series, limit: pd.Series) -> pd.Series:
    """The latest instant with this Moscow time of day not later than ``limit``."""
    candidate = limit.dt.normalize() + time_of_day
    return candidate.where(candidate <= limit, candidate - pd.Timedelta(days=1))


# ---------------------------------------------------------------------------------------
# The vectorised parser


def parse_frame(texts: pd.Series, posted_at_utc: pd.Series,
                truncated_at: int | None = TRUNCATED_LENGTH) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse many posts at once. ``texts``: raw post texts; ``posted_at_utc``: tz-aware
    publication times (same index); ``truncated_at``: the length at which the texts were cut
    (None for full texts, e.g. a Telegram export). Returns ``(posts, regions)``: one row per input
    (columns ``kind, window_kind, window_start, window_end, drones_destroyed,
    footer_total, <munition>_destroyed, breakdown_sum, breakdown_status, truncated,
    parse_status, parse_reason``) and one row per input row and region (index label
    ``row``, ``region_id``, ``drones_destroyed``).

    >>> posts, regions = parse_frame(
    ...     pd.Series(["Около 16.00 мск дежурными средствами ПВО уничтожены два украинских "
    ...                "беспилотных летательных аппарата над территорией Курской области."]),
    ...     pd.Series(pd.to_datetime(["2025-03-20 13:30"]).tz_localize(UTC)))
    >>> print(*posts.loc[0, ["kind", "window_kind", "drones_destroyed", "breakdown_status"]])
    intercept_report moment 2 complete
    >>> str(posts.loc[0, "window_end"])
    '2025-03-20 16:00:00+03:00'
    >>> regions[["row", "region_id", "drones_destroyed"]].values.tolist()
    [[0, 'RU-KRS', 2]]
    """
    if getattr(posted_at_utc.dtype, "tz", None) is None:
        raise TypeError("posted_at_utc must be timezone-aware")
    parts = [_parse_chunk(texts.iloc[rows], posted_at_utc.iloc[rows], truncated_at) for rows in _chunks(len(texts))]
    return parts[0] if len(parts) == 1 else (_joined([p for p, _ in parts]), _concat_regions([r for _, r in parts]))


def _chunks(n: int) -> list[slice]:
    """Positions ``0..n`` in runs of :data:`PARSE_CHUNK` (one empty run when ``n`` is 0)."""
    return [slice(lo, lo + PARSE_CHUNK) for lo in range(0, max(n, 1), PARSE_CHUNK)]


def _joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The frames of the chunks as one (the only one as it is: no copy)."""
    return frames[0] if len(frames) == 1 else pd.concat(frames)


def _concat_regions(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Region frames of chunks as one (a chunk naming no region has a column of another type)."""
    return pd.concat([r for r in parts if len(r)] or parts[:1], ignore_index=True)


def _parse_chunk(texts: pd.Series, posted_at_utc: pd.Series,
                 truncated_at: int | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`parse_frame` on one chunk of posts."""
    index = texts.index
    raw = texts.astype("str").fillna("")
    text = normalise_texts(raw.str.slice(0, MAX_TEXT_CHARS))
    posted = posted_at_utc.dt.tz_convert(MOSCOW).astype(f"datetime64[us, {MOSCOW}]")
    out = pd.DataFrame(index=index)
    out["truncated"] = (raw.str.len().to_numpy() >= truncated_at) if truncated_at is not None \
        else np.zeros(len(raw), dtype=bool)

    # footer split; digests and air-defence posts
    main, footer_text = _split_footer(text)
    main_arr = _arrow(main)
    head_arr = pc.utf8_slice_codeunits(main_arr, 0, HEAD_CHARS)
    summary = _match(text, SUMMARY_PATTERN, head_arr)
    other = _match(main, OTHER_PATTERN, head_arr)
    air_defence = _match(main, AIR_DEFENCE_PATTERN, main_arr) & ~other
    framed = _match(main, REPORT_FRAME_PATTERN, pc.replace_substring(main_arr, SKY_PHRASE, SKY_BLANKED)) & ~other
    # only air-defence or report-framed posts that are not digests can be reports: the costly
    # passes skip the rest
    cand = (air_defence | framed) & ~summary
    cand_arr = pc.filter(main_arr, pyarrow_lib.array(cand.to_numpy()))

    # headline, other munitions, kind
    claim = _headline(main, cand, cand_arr)
    munitions, munition_claim = _munitions(main, main_arr, summary)
    for column, counts in munitions.items():
        out[column] = counts
    munitions_found = out[[f"{k}_destroyed" for k in MUNITIONS]].notna().any(axis=1)
    out["kind"] = _kinds(summary, air_defence, framed, claim, munition_claim, munitions_found)
    report = out["kind"] == "intercept_report"
    for kind in MUNITIONS:
        out[f"{kind}_destroyed"] = out[f"{kind}_destroyed"].where(report)

    # footer total, window
    footer = footer_text.where(report)
    out["footer_total"] = _footer_total(footer, report)
    window = _window(main, cand, cand_arr, posted, report)
    for column in window.columns:
        out[column] = window[column]

    # breakdown
    regions, item = _breakdown(text.where(report), claim.pos.where(report), claim.length, out["truncated"],
                               claim.headline)
    out = out.join(item)
    headline, item_total = _total_from_list(claim, out)
    out["drones_destroyed"] = headline.where(report).astype("Int64")
    out["breakdown_status"] = _breakdown_status(out, report)

    # status and reason
    failed = report & out["drones_destroyed"].isna() & ~munitions_found & out["breakdown_sum"].isna() & ~out["dangling"]
    out["parse_status"] = np.select([~report, failed], ["not_claim", "failed"], "parsed")
    out["parse_reason"] = _parse_reasons(out, report, failed, item_total, footer)
    columns = ["kind", "window_kind", "window_start", "window_end", "drones_destroyed", "footer_total",
               *[f"{k}_destroyed" for k in MUNITIONS], "breakdown_sum", "breakdown_status", "truncated",
               "parse_status", "parse_reason"]
    return out[columns], regions


class _Claim(NamedTuple):
    """The headline claim of each post (missing where none is found)."""

    headline: pd.Series  # drones claimed (Int64)
    found: pd.Series  # a claim was found (bool)
    pos: pd.Series  # where the claim starts in the text without footer
    length: pd.Series  # the claim's length in characters
    no_count: pd.Series  # the claim states no count before its list (bool)


def _split_footer(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Normalised texts -> per post the text before the footer, and the footer (missing when none)."""
    index = text.index
    values = text.tolist()
    cut = [v.find(FOOTER_MARK) for v in values]
    main = pd.Series([v if c < 0 else v[:c] for v, c in zip(values, cut, strict=True)], index=index, dtype=object)
    footer_text = pd.Series([None if c < 0 else v[c:] for v, c in zip(values, cut, strict=True)], index=index,
                            dtype=object)
    return main, footer_text


def _headline(main: pd.Series, cand: pd.Series, cand_arr: pyarrow_lib.Array) -> _Claim:
    """Texts before the footer + which are candidate reports -> the headline claim per post."""
    index = main.index
    head = _extract(main[cand], HEADLINE_PATTERN, cand_arr).reindex(index)
    groups = ["n_all", "n_verb", "n_skip", "n_noun", "n_more", "n_extra"]
    nums = {g: _numbers(head[g]) for g in groups}
    loose = pd.concat([head[g].notna() & nums[g].isna() for g in groups], axis=1).any(axis=1)
    if loose.any():  # a loose capture that is no numeral: re-read those rows exactly
        exact = [HEADLINE_EXACT_RE.search(v) for v in main[loose].tolist()]
        head.loc[loose, :] = pd.DataFrame(
            [{k: (m.group(k) or None) if m else None for k in head.columns} for m in exact],
            index=head.index[loose], columns=head.columns).astype("str")
        nums = {g: _numbers(head[g]) for g in groups}
    n_all, n_verb, n_skip, n_noun = (nums[c] for c in ("n_all", "n_verb", "n_skip", "n_noun"))
    n_noun = n_noun + nums["n_more"].fillna(0)  # «четыре ... уничтожено и еще два перехвачено»
    n_verb = n_verb + nums["n_extra"].fillna(0)  # «уничтожены 66 бпла, еще два бпла были уничтожены»
    one = (head["v_one"].notna() | head["noun_one"].notna()).map({True: 1, False: None}).astype("Int64")
    headline = n_all.fillna(n_verb).fillna(n_skip).fillna(n_noun).fillna(one)
    found = head["claim"].notna()
    claim_pos = pd.Series([m.find(c) if isinstance(c, str) else np.nan
                           for m, c in zip(main.tolist(), head["claim"].tolist(), strict=True)], index=index)
    claim_len = head["claim"].str.len().where(found)
    return _Claim(headline, found, claim_pos, claim_len, head["no_count"].notna())


def _munitions(main: pd.Series, main_arr: pyarrow_lib.Array, summary: pd.Series) -> tuple[dict[str, pd.Series], pd.Series]:
    """Texts before the footer -> rockets, missiles and guided bombs claimed per post (Int64), and a munition claim flag per post."""
    # few posts mention them: a Python pass over those only
    index = main.index
    hint = _match(main, MUNITION_HINT_PATTERN, main_arr) & ~summary
    sub = main[hint]
    found_counts = [_munition_sums(text_) for text_ in sub.tolist()]
    destroyed = {}
    for kind in MUNITIONS:
        counts = pd.Series(pd.NA, index=index, dtype="Int64")
        counts.loc[sub.index] = pd.array([c[kind] or None for c in found_counts], dtype="Int64")
        if kind == "missiles":
            singles = sub.str.contains(MISSILE_ONE_RE, regex=True)
            counts.loc[sub.index] = counts.loc[sub.index].mask(counts.loc[sub.index].isna() & singles, 1)
        destroyed[f"{kind}_destroyed"] = counts
    munition_claim = sub.str.contains(MUNITION_CLAIM_RE, regex=True).reindex(index, fill_value=False).astype(bool)
    return destroyed, munition_claim


def _munition_sums(text: str) -> dict[str, int]:
    """One text before its footer -> rockets, missiles and guided bombs counted in it (0 = none)."""
    sums = dict.fromkeys(MUNITIONS, 0)
    for m in MUNITION_RE.finditer(text):
        value = parse_numeral(m.group("n"))
        if value is not None:
            sums[next(k for k in MUNITIONS if m.group(k) is not None)] += value
    return sums


def _kinds(summary: pd.Series, air_defence: pd.Series, framed: pd.Series, claim: _Claim,
           munition_claim: pd.Series, munitions_found: pd.Series) -> np.ndarray:
    """Per-post signals -> the kind of each post: ``summary``, ``intercept_report`` or ``other``.

    A report is an air-defence post with a claim near its start, or any post in the report
    frame (:data:`~ceasefire_stats.clean.mod_patterns.REPORT_FRAME_PATTERN`), read or not."""
    is_report = ~summary & ((air_defence & ((claim.found & (claim.pos <= CLAIM_WITHIN)).fillna(False)
                                            | (munition_claim & munitions_found)))
                            | framed)
    return np.where(summary, "summary", np.where(is_report, "intercept_report", "other"))


def _footer_total(footer: pd.Series, report: pd.Series) -> pd.Series:
    """Footers of reports (missing elsewhere) -> the footer's drone total per post (Int64, missing unless a report)."""
    foot = _extract(footer.dropna(), FOOTER_TOTAL_PATTERN).reindex(footer.index)  # reports with a footer only
    return _numbers(foot["n_verb"]).fillna(_numbers(foot["n_noun"])).where(report)


def _window(main: pd.Series, cand: pd.Series, cand_arr: pyarrow_lib.Array, posted: pd.Series,
            report: pd.Series) -> pd.DataFrame:
    """Texts before the footer + Moscow post times -> window_kind, window_start, window_end per post (missing unless a report)."""
    index = main.index
    rng = _extract(main[cand], RANGE_PATTERN, cand_arr).reindex(index)
    mom = _extract(main[cand], MOMENT_PATTERN, cand_arr).reindex(index)
    night = _match(main[cand], NIGHT_PATTERN, cand_arr).reindex(index, fill_value=False)
    limit = posted + CLOCK_TOLERANCE
    d0 = _dated(rng["d0"], rng["mo0"], rng["mn0"], posted)
    d1 = _dated(rng["d1"], rng["mo1"], rng["mn1"], posted).fillna(d0)
    d2 = _dated(rng["d2"], rng["mo2"], rng["mn2"], posted)
    t1 = _clock(rng["h1"], rng["m1"]).where(rng["from_midnight"].isna(), pd.Timedelta(0))
    t2 = _clock(rng["h2"], rng["m2"]).where(rng["midnight"].isna(), pd.Timedelta(hours=24))
    start_dated = d1 + t1
    end = (d2 + t2).fillna(start_dated.dt.normalize() + t2)
    end = end.where(end.isna() | start_dated.isna() | (end > start_dated), end + pd.Timedelta(days=1))
    end = end.fillna(_latest_before(t2, limit))
    start = start_dated.fillna(_latest_before(t1, end))
    has_range = t1.notna() & t2.notna()
    md = _dated(mom["d1"], mom["mo1"], mom["mn1"], posted)
    mt = _clock(mom["h1"].fillna(mom["h2"]), mom["m1"].fillna(mom["m2"]))
    moment = (md + mt).fillna(_latest_before(mt, limit))
    has_moment = mt.notna() & ~has_range
    has_night = night & ~has_range & ~has_moment
    night_end = posted.dt.normalize() + NIGHT_END
    night_end = night_end.where(night_end <= posted, posted)
    night_start = posted.dt.normalize() + NIGHT_START
    window = pd.DataFrame(index=index)
    window["window_kind"] = np.select([has_range, has_moment, has_night], ["range", "moment", "night"], "unstated")
    nat = pd.Series(pd.NaT, index=index, dtype=f"datetime64[us, {MOSCOW}]")
    window["window_start"] = nat.mask(has_range, start).mask(has_moment, moment).mask(has_night, night_start)
    window["window_end"] = nat.mask(has_range, end).mask(has_moment, moment).mask(has_night, night_end)
    window.loc[~report, "window_kind"] = pd.NA
    window.loc[~report, ["window_start", "window_end"]] = pd.NaT
    return window


def _total_from_list(claim: _Claim, out: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Headline + breakdown items per post -> the drone total per post, and whether it was taken from the list."""
    headline = claim.headline
    item_total = out["headline_is_item"] & (out["n_anchors"] > 1)
    headline = headline.where(~item_total, out["list_total"].where(out["list_closed"]))
    from_list = claim.no_count & headline.isna() & out["list_closed"] & ~out["uncounted"]
    headline = headline.mask(from_list, out["breakdown_sum"])
    return headline, item_total | from_list


def _breakdown_status(out: pd.DataFrame, report: pd.Series) -> pd.Series:
    """Per-post total and breakdown items -> the breakdown status per post (missing unless a report)."""
    total, bsum = out["drones_destroyed"], out["breakdown_sum"]
    status = np.select(
        [~report | (bsum.isna() & ~out["dangling"]),
         out["dangling"] | (out["uncounted"] & (bsum != total).fillna(True)),
         total.isna() | ((bsum < total).fillna(False) & out["truncated"]),
         (bsum == total).fillna(False)],
        ["none", "incomplete", "incomplete", "complete"], "sum_mismatch")
    return pd.Series(status, index=out.index, dtype="str").where(report)


def _parse_reasons(out: pd.DataFrame, report: pd.Series, failed: pd.Series, item_total: pd.Series,
                   footer: pd.Series) -> pd.Series:
    """Per-post results -> why a post is not a claim or failed, or ';'-joined notes on a parsed one (missing when none)."""
    kind = out["kind"].to_numpy()
    base = np.select([kind == "summary", kind == "other", failed.to_numpy()],
                     ["summary", "no_intercept_claim", "no_count_parsed"], "")
    notes = [
        np.where((report & (out["window_kind"] == "unstated").fillna(False)).to_numpy(), "window_unstated", ""),
        np.where((report & out["drones_destroyed"].isna() & ~failed).to_numpy(), "no_drone_headline", ""),
        np.where((report & item_total).to_numpy(), "total_from_list", ""),
        np.where((report & footer.notna() & out["footer_total"].isna()).to_numpy(), "footer_cut", ""),
    ]
    reason = base
    for note in notes:  # ';'-joined, empty parts left out
        reason = np.where(note == "", reason, np.where(reason == "", note, np.char.add(np.char.add(reason, ";"), note)))
    return pd.Series(reason, index=out.index, dtype="str").where(reason != "")


# ---------------------------------------------------------------------------------------
# The breakdown


def _breakdown(text: pd.Series, seg_start: pd.Series, claim_len: pd.Series, truncated: pd.Series,
               headline: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-region counts from each report's text, from the start of the headline's sentence
    up to a footer («всего») or a later separate claim («ранее»), by one ordered token pass
    (item anchors «N – над», distributive «по N», region-first «... уничтожено N», region
    mentions, skipped «в том числе» clauses)."""
    index = text.index
    tok, closed = _tokens(text, seg_start, claim_len, truncated)
    regions, regs = _region_counts(tok)
    # a single place and no counted item: the whole headline count is over that place
    dangling = tok.groupby("row")["drone_anchor"].last().reindex(index, fill_value=False).astype(bool)
    regions["drones_destroyed"] = _single_place(regions, dangling, headline)
    item = _list_items(tok, regs, regions, index)
    item["list_closed"] = closed["total_known"]
    item["dangling"] = dangling & ~closed["whole"]
    return regions, item


def _claim_segment(s: str, pos: int, length: int, may_mun: bool) -> tuple[str, int]:
    """A report's text + claim position -> its claim's segment (from the claim's sentence on) and where the segment begins."""
    begin = s.rfind(". ", 0, pos) + 1 if s.rfind(". ", 0, pos) >= 0 else 0
    segment = s[begin:] if begin else " " + s  # starts with the space before its first word
    begin -= 0 if begin else 1
    for stop in (" всего", " ранее", " кроме того"):
        at = segment.find(stop, pos - begin + length)
        if at > 0:
            segment = segment[:at]
    # later sentences about other weapons only («над ... уничтожена украинская ракета»)
    if may_mun and MUNITION_WORD_RE.search(segment):
        sentences = segment.split(". ")
        segment = ". ".join(sentences[:1] + [x for x in sentences[1:] if DRONE_WORD_RE.search(x)
                                             or not MUNITION_WORD_RE.search(x)])
    return segment, begin


def _tokens(text: pd.Series, seg_start: pd.Series, claim_len: pd.Series,
            truncated: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Report texts -> breakdown tokens (one row per post and token, in text order) and whether each post's list is closed (per post)."""
    index = text.index
    keep = seg_start.notna()
    rows = index[keep]
    matches, counts, shifts, lengths, closed = [], [], [], [], []
    texts = text[keep]
    may_name_munition = _match(texts, MUNITION_WORD_RE.pattern).tolist()  # one RE2 pass, whole texts
    for s, pos, length, cut_off, may_mun in zip(
            texts.tolist(), seg_start[keep].astype(int).tolist(), claim_len[keep].astype(int).tolist(),
            truncated[keep].tolist(), may_name_munition, strict=True):
        found, shift, whole, total_known = _scan(s, pos, length, cut_off, may_mun)
        matches += found
        counts.append(len(found))
        shifts.append(shift)
        lengths.append(length)
        closed.append((whole, total_known))
    tok = _token_frame(matches, counts, shifts, lengths, rows)
    whole = pd.DataFrame(closed, index=rows, columns=["whole", "total_known"], dtype=bool)
    return tok, whole.reindex(index, fill_value=False)


def _scan(s: str, pos: int, length: int, cut_off: bool, may_mun: bool) -> tuple[list[re.Match], int, bool, bool]:
    """One report's text, claim position and length -> its token matches (skips included), the
    shift from a match's start to its position relative to the claim, whether the text is
    whole after its last token, and whether the list's total is known (whole, or final item)."""
    segment, begin = _claim_segment(s, pos, length, may_mun)
    found = list(TOKEN_RE.finditer(segment))
    # the list is final when its last item is introduced by «и» («... и один – над ...»)
    last_item = next((m for m in reversed(found) if m.lastgroup in ("n", "one")), None)
    final = (last_item is not None and last_item.group("po") is None
             and segment[max(last_item.start() - 2, 0):last_item.start() + 1] == " и ")
    last_end = found[-1].end() if found else 0
    # the list is closed when the text is whole, or text ends a sentence after its last token
    whole = not cut_off or "." in segment[last_end:] or len(segment) < len(s) - begin
    return found, pos - begin - 1, whole, whole or final


def _token_frame(matches: list[re.Match], counts: list[int], shifts: list[int], lengths: list[int],
                 rows: pd.Index) -> pd.DataFrame:
    """Token matches of the scanned posts -> one row per post and token (skips dropped), with its value, anchor and region."""
    columns = ["row", "pos", "kind", "po", "n", "one", "n_post", "reg", "claim_len"]
    if matches:  # token columns, one list comprehension per field
        n, one, reg, n_post, n_after = zip(*[m.group("n", "one", "reg", "n_post", "n_after") for m in matches],
                                           strict=True)
        strings = {"kind": [m.lastgroup for m in matches], "n": n, "one": one, "reg": reg,  # object columns
                   "n_post": [a or b for a, b in zip(n_post, n_after, strict=True)]}
        tok = pd.DataFrame({
            "row": np.repeat(np.asarray(rows), counts),
            "pos": np.array([m.start() for m in matches]) - np.repeat(np.array(shifts, dtype="int64"), counts),
            "po": np.array([m.start("po") >= 0 for m in matches], dtype=bool),
            **{name: pd.Series(values, dtype=object) for name, values in strings.items()},
            "claim_len": np.repeat(np.array(lengths, dtype="int64"), counts),
        })[columns]
    else:
        tok = pd.DataFrame.from_records([], columns=columns)
    tok = tok[tok["kind"] != "skip"].reset_index(drop=True)
    value = _numbers(tok["n"]).fillna(_numbers(tok["n_post"]))
    tok["value"] = value.mask(tok["one"].notna() & value.isna(), 1)
    tok["anchor"] = tok["n"].notna() | tok["one"].notna() | (tok["kind"] == "mun")
    tok["drone_anchor"] = tok["n"].notna() | tok["one"].notna()
    tok["post_count"] = tok["n_post"].notna()
    codes, mentions = pd.factorize(tok["reg"])  # each distinct mention resolved once
    region_ids = pd.array([*map(regions_ru.resolve, mentions), None], dtype="str")
    # (no mention at all: a float column of missing values, as mapping a column of None gives)
    tok["region_id"] = pd.Series(region_ids[codes], index=tok.index) if len(mentions) else tok["reg"].map({})
    tok["anchor_id"] = tok.groupby("row")["anchor"].cumsum()
    return tok


def _region_counts(tok: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tokens -> counts per post and region (one row per post and region) and the region tokens kept (one row per mention)."""
    is_reg = tok["reg"].notna().to_numpy()
    row_arr = tok["row"].to_numpy()
    # each token inherits its anchor's value, «по» and kind (tokens before any anchor: none):
    # a post's tokens are contiguous, so its last anchor so far is a running maximum of positions
    at = np.arange(len(tok))
    post_start = np.ones(len(tok), dtype=bool)
    post_start[1:] = row_arr[1:] != row_arr[:-1]
    first_of_post = np.maximum.accumulate(np.where(post_start, at, 0))
    anchor = tok["anchor"].to_numpy()
    last_anchor = np.maximum.accumulate(np.where(anchor, at, -1))
    has_anchor = last_anchor >= first_of_post
    # the value skips anchors without one (munitions), as a forward fill does
    last_valued = np.maximum.accumulate(np.where(anchor & tok["value"].notna().to_numpy(), at, -1))
    head_value = pd.Series(tok["value"].array[np.maximum(last_valued, 0)], index=tok.index) \
        .where(last_valued >= first_of_post)
    head_po = has_anchor & tok["po"].to_numpy(dtype=bool)[np.maximum(last_anchor, 0)]
    # region-first items: the only region since the last count, directly followed by «уничтожено N»
    block = (tok["anchor"] | tok["post_count"]).astype(int).groupby(tok["row"]).cumsum()
    regions_in_block = tok["reg"].notna().groupby([tok["row"], block]).transform("sum").to_numpy()
    same_next = np.r_[row_arr[1:] == row_arr[:-1], False]
    next_post = np.r_[tok["post_count"].to_numpy()[1:], False] & same_next
    next_value = tok["value"].shift(-1)
    region_first = is_reg & next_post & (regions_in_block == 1)
    under_munition = has_anchor & (tok["kind"].to_numpy()[np.maximum(last_anchor, 0)] == "mun")
    keep_reg = is_reg & tok["region_id"].notna().to_numpy() & ~under_munition
    regs = tok.loc[keep_reg, ["row", "anchor_id", "region_id"]].copy()
    a_value = head_value[keep_reg].astype("Int64")
    a_po = pd.Series(head_po[keep_reg], index=regs.index)
    n_regs = regs.groupby(["row", "anchor_id"])["region_id"].transform("nunique")
    count = a_value.where(a_po | (n_regs == 1)).where(regs["anchor_id"] > 0)
    rf = region_first[keep_reg] & count.isna().to_numpy()
    count = count.mask(rf, next_value[keep_reg].astype("Int64"))
    regs["drones_destroyed"] = count
    regions = (regs.groupby(["row", "region_id"], sort=True)["drones_destroyed"]
               .sum(min_count=1).astype("Int64").reset_index())
    return regions, regs


def _single_place(regions: pd.DataFrame, dangling: pd.Series, headline: pd.Series) -> pd.Series:
    """Region counts (one row per post and region) -> their counts, the headline's where one place has no count."""
    n_places = regions.groupby("row")["region_id"].transform("size")
    any_count = regions["drones_destroyed"].notna().groupby(regions["row"]).transform("any")
    single = (n_places == 1) & ~any_count & ~dangling.reindex(regions["row"]).to_numpy()
    return regions["drones_destroyed"].mask(single, headline.reindex(regions["row"]).to_numpy())


def _list_items(tok: pd.DataFrame, regs: pd.DataFrame, regions: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """Tokens and region counts -> per post: breakdown sum, uncounted region, headline-is-item, anchors, list total."""
    counted = regions.dropna(subset=["drones_destroyed"])
    item = pd.DataFrame(index=index)
    item["breakdown_sum"] = counted.groupby("row")["drones_destroyed"].sum().reindex(index).astype("Int64")
    item["uncounted"] = regions.assign(na=regions["drones_destroyed"].isna()).groupby("row")["na"].any() \
        .reindex(index, fill_value=False).astype(bool)
    first = tok.loc[tok["drone_anchor"] | tok["reg"].notna(), ["row", "anchor", "pos", "claim_len"]] \
        .groupby("row").first()
    item["headline_is_item"] = (first["anchor"] & (first["pos"] >= -1) & (first["pos"] < first["claim_len"])) \
        .reindex(index, fill_value=False).astype(bool)
    item["n_anchors"] = tok.groupby("row")["drone_anchor"].sum().reindex(index, fill_value=0)
    # the total of a list with no headline: every drone item, «по N» times its places
    anchors_d = tok[tok["drone_anchor"]]
    places = regs.groupby(["row", "anchor_id"])["region_id"].nunique()
    per = anchors_d.set_index(["row", "anchor_id"])["value"].astype("Int64")
    times = places.reindex(per.index).fillna(1).clip(lower=1).astype("Int64")
    mult = pd.Series(np.where(anchors_d["po"].to_numpy(), times.to_numpy(), 1), index=per.index).astype("Int64")
    item["list_total"] = (per * mult).groupby(level="row").sum(min_count=1).reindex(index).astype("Int64")
    return item


# ---------------------------------------------------------------------------------------
# One post


@dataclasses.dataclass(frozen=True)
class ModPost:
    """One parsed post (see the module docstring for every field's meaning)."""

    kind: str
    window_kind: str | None
    window_start: pd.Timestamp | None
    window_end: pd.Timestamp | None
    drones_destroyed: int | None
    footer_total: int | None
    rockets_destroyed: int | None
    missiles_destroyed: int | None
    guided_bombs_destroyed: int | None
    breakdown: dict[str, int | None]
    breakdown_sum: int | None
    breakdown_status: str | None
    truncated: bool
    parse_status: str
    parse_reason: str | None


def parse_posts(texts: Sequence[str], posted_at: Sequence[pd.Timestamp | str]) -> list[ModPost]:
    """:func:`parse_frame` over many posts, each row as a :class:`ModPost` (naive times are
    UTC, as in the raw file). A loop over posts calls this once, not :func:`parse_post` per post."""
    stamps = pd.Series(pd.to_datetime(list(posted_at), utc=True)).astype(f"datetime64[us, {UTC}]")
    texts = pd.Series(["" if t is None else str(t) for t in texts], dtype="str")
    posts, regions = parse_frame(texts, stamps)
    breakdowns: dict[int, dict[str, int | None]] = {}
    for row, region_id, count in zip(regions["row"].tolist(), regions["region_id"].tolist(),
                                     regions["drones_destroyed"].tolist(), strict=True):
        breakdowns.setdefault(row, {})[region_id] = None if count is pd.NA or count is None else int(count)
    out = []
    for row, values in zip(posts.index.tolist(), posts.to_dict("records"), strict=True):
        values = {k: _scalar(v) for k, v in values.items()}
        for k in ("drones_destroyed", "footer_total", "breakdown_sum", *[f"{m}_destroyed" for m in MUNITIONS]):
            values[k] = None if values[k] is None else int(values[k])
        values["truncated"] = bool(values["truncated"])
        out.append(ModPost(breakdown=dict(sorted(breakdowns.get(row, {}).items())), **values))
    return out


def _scalar(value: object) -> object:
    """A frame cell as a plain value (``None`` where missing)."""
    return None if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)) else value


def parse_post(text: str, posted_at: pd.Timestamp | str) -> ModPost:
    """Parse one post (its text and publication time; a naive time is taken as UTC, as in
    the raw file). Never raises on odd text: a post it cannot read comes back with
    ``parse_status`` ``not_claim`` or ``failed`` and a reason.

    >>> p = parse_post("В течение прошедшей ночи дежурными средствами ПВО уничтожены 12 "
    ...                "украинских БПЛА: 9 – над территорией Брянской области, по три – над "
    ...                "акваториями Черного и Азовского морей.", "2025-05-01 04:10")
    >>> p.kind, p.window_kind, p.drones_destroyed, p.breakdown_status
    ('intercept_report', 'night', 12, 'sum_mismatch')
    >>> p.breakdown
    {'RU-BRY': 9, 'SEA-AZOV': 3, 'SEA-BLACK': 3}
    >>> p.breakdown_sum
    15
    >>> str(p.window_end)
    '2025-05-01 07:00:00+03:00'
    """
    return parse_posts([text], [posted_at])[0]
