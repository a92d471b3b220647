"""The MoD step: the raw file (a scrape or a Telegram export) -> ``mod_posts``,
``mod_post_regions`` and the ledger, under the cleaner contract
(:mod:`ceasefire_stats.core.cleaner`): :func:`read`, per-partition :func:`parse`, whole-file
:func:`combine`. The grammar of a post is :mod:`~ceasefire_stats.clean.mod_posts.grammar`.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pyarrow_lib

from ceasefire_stats.clean import regions_ru, telegram_export
from ceasefire_stats.clean.mod_posts.grammar import (
    CLAIMANT,
    DIRECTION,
    MOD_POST_REGIONS_SCHEMA,
    MOD_POSTS_SCHEMA,
    POST_COLUMNS,
    REGION_COLUMNS,
    SOURCE,
    TRUNCATED_LENGTH,
    _chunks,
    _concat_regions,
    _joined,
    parse_frame,
)
from ceasefire_stats.core import cleaner
from ceasefire_stats.core.cleaner import Combined, Context
from ceasefire_stats.core.ledger import Ledger, flag_rows, reject_rows
from ceasefire_stats.core.rawcsv import iter_csv_text, read_csv_text
from ceasefire_stats.core.step import StepInputs, StepResult
from ceasefire_stats.nights import MOSCOW, UTC, attribution_date

SCHEMAS = {"mod_posts": MOD_POSTS_SCHEMA, "mod_post_regions": MOD_POST_REGIONS_SCHEMA}
"""The schema of every table this step writes (``pipeline.load`` validates against them)."""
REJECT_ORDER = ("bad_datetime", "implausible_date", "empty_text", "no_count_parsed")
"""The order in which :func:`tables` lists rejects (each reason in file order)."""
FLAG_ORDER = ("breakdown_sum_mismatch", "window_unstated", "no_drone_headline")
"""The order in which :func:`tables` lists flags (each flag in file order)."""


RAW_COLUMNS = ["date", "datetime", "drone_count", "oblasts", "text_snippet"]
PLAUSIBLE_FROM = pd.Timestamp("2022-02-24", tz=UTC)
PLAUSIBLE_UNTIL = pd.Timestamp("2031-01-01", tz=UTC)
"""A post is dated within [24 Feb 2022, 1 Jan 2031); outside, it is rejected ``implausible_date``."""


def read_raw(path: str | Path) -> pd.DataFrame:
    """The raw file as published, with ``raw_row`` (line number; the header is line 1), or a
    Telegram Desktop export (:mod:`~ceasefire_stats.clean.telegram_export`) in the same columns
    (``raw_row`` = message id)."""
    if telegram_export.is_export(path):
        frame = telegram_export.read_export(path)
    else:
        frame = read_csv_text(path, RAW_COLUMNS)
    return frame[["raw_row", *RAW_COLUMNS]]


def read_raw_chunks(path: str | Path, rows: int) -> Iterator[pd.DataFrame]:
    """:func:`read_raw` in frames of at most ``rows`` rows (which concatenated are its frame), for
    a file larger than memory (:func:`~ceasefire_stats.core.rawcsv.iter_csv_text`). A Telegram
    export is JSON, read whole and then cut."""
    if telegram_export.is_export(path):
        whole = read_raw(path)
        for lo in range(0, len(whole), rows):
            yield whole.iloc[lo: lo + rows]
        return
    for frame in iter_csv_text(path, RAW_COLUMNS, rows=rows):
        yield frame[["raw_row", *RAW_COLUMNS]]


def truncation(path: str | Path) -> int | None:
    """The length at which a file's texts are cut: the scrape's 400 characters, None for a
    Telegram export (full texts)."""
    return None if telegram_export.is_export(path) else TRUNCATED_LENGTH


def sha256_texts(texts: pd.Series) -> pd.Series:
    """sha256 (hex) of each text's UTF-8 bytes: the row key shared with the label set.

    >>> sha256_texts(pd.Series(["abc"])).tolist()[0][:12]
    'ba7816bf8f01'
    """
    return pd.Series([hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts.tolist()],
                     index=texts.index, dtype="str")


def tables(raw: pd.DataFrame, truncated_at: int | None = TRUNCATED_LENGTH) -> tuple[pd.DataFrame, pd.DataFrame, Ledger]:
    """``mod_posts`` (one row per post kept or not a claim), ``mod_post_regions`` (one row
    per post and region) and the ledger, from the raw frame of :func:`read_raw` (texts cut at
    ``truncated_at`` characters, None for full texts)."""
    posted = pd.to_datetime(raw["datetime"], format="%Y-%m-%d %H:%M", errors="coerce").dt.tz_localize(UTC)
    posted = posted.astype(f"datetime64[us, {UTC}]")
    text = raw["text_snippet"].astype("str")
    bad_time = posted.isna().to_numpy()
    empty = np.concatenate([(text.iloc[rows].str.strip() == "").to_numpy(dtype=bool)
                            for rows in _chunks(len(text))])  # no stripped copy of the column
    implausible = (posted.notna() & ((posted < PLAUSIBLE_FROM) | (posted >= PLAUSIBLE_UNTIL))).to_numpy()
    rejected = [reject_rows(raw["raw_row"], bad_time, "bad_datetime", "datetime", raw.loc[bad_time, "datetime"]),
                reject_rows(raw["raw_row"], implausible, "implausible_date", "datetime",
                            raw.loc[implausible, "datetime"],
                            f"outside {PLAUSIBLE_FROM.date()}..{(PLAUSIBLE_UNTIL - pd.Timedelta(days=1)).date()}"),
                reject_rows(raw["raw_row"], empty, "empty_text", "text_snippet", "")]
    posted = posted.where(~implausible)
    dup = raw.duplicated(["datetime", "text_snippet"], keep="first")
    first_row = raw.groupby(["datetime", "text_snippet"], sort=False)["raw_row"].transform("first")
    duplicates = pd.DataFrame({"raw_row": raw.loc[dup, "raw_row"], "duplicate_of": first_row[dup]})
    ok = posted.notna().to_numpy() & ~empty & ~dup.to_numpy()
    # the kept rows become posts a chunk at a time (parsed, hashed, joined, the failed set
    # aside): no copy of the whole text column, nor of every post's results at once
    kept_rows = np.flatnonzero(ok)
    pieces = [_posts(raw.iloc[kept_rows[rows]], posted.iloc[kept_rows[rows]], truncated_at)
              for rows in _chunks(len(kept_rows))]
    posts = _joined([p for p, _, _ in pieces])
    regions = _concat_regions([r for _, r, _ in pieces])
    failed = _joined([f for _, _, f in pieces])
    del pieces
    posts, regions = _in_one_piece(posts), _in_one_piece(regions)
    rejected.append(reject_rows(failed["raw_row"], np.ones(len(failed), dtype=bool), "no_count_parsed",
                                "text_snippet", failed["text_sha256"]))
    rejected = [r for r in rejected if r is not None]
    rejected = pd.concat(rejected, ignore_index=True) if rejected else None
    other = pd.DataFrame({"raw_row": posts.loc[posts["parse_status"] == "not_claim", "raw_row"],
                          "outcome": "not_claim",
                          "reason": posts.loc[posts["parse_status"] == "not_claim", "parse_reason"]})
    flag_rules = [
        (posts["breakdown_status"] == "sum_mismatch", "breakdown_sum_mismatch"),
        ((posts["kind"] == "intercept_report") & (posts["window_kind"] == "unstated"), "window_unstated"),
        ((posts["kind"] == "intercept_report") & posts["drones_destroyed"].isna(), "no_drone_headline"),
    ]
    flags = [flag_rows(posts["raw_row"], mask.to_numpy(), flag, posts.loc[mask, "post_id"]) for mask, flag in flag_rules]
    flags = [f for f in flags if f is not None]
    flags = pd.concat(flags, ignore_index=True) if flags else None
    ledger = Ledger.from_parts(SOURCE, raw["raw_row"], rejected=rejected, duplicates=duplicates,
                               flags=flags, other=other)
    if not posts["raw_row"].is_monotonic_increasing:  # (in file order already: no copy to sort)
        posts = posts.sort_values("raw_row")
    posts = posts.reset_index(drop=True)
    regions["region_name"] = regions["region_id"].map(regions_ru.REGION_NAMES).astype("str")
    regions = regions.sort_values(["raw_row", "region_id"])[REGION_COLUMNS].reset_index(drop=True)
    regions = regions.astype({"post_id": "str", "region_id": "str"})
    return posts, regions, ledger


def _in_one_piece(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each Arrow-backed column joined into one piece, a column at a time: a
    column concatenated from chunks is in pieces, and a Parquet file's bytes depend on them
    (the tables stay as one pass over every post would make them)."""
    for column in frame.columns:
        values = frame[column].array
        if isinstance(values, pd.arrays.ArrowStringArray):
            pieces = pyarrow_lib.array(values)
            if isinstance(pieces, pyarrow_lib.ChunkedArray) and pieces.num_chunks > 1:
                frame[column] = pd.array(pieces.combine_chunks(), dtype=values.dtype)
    return frame


def _posts(raw: pd.DataFrame, posted: pd.Series, truncated_at: int | None,
           ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Kept raw rows (a chunk) -> their posts (:data:`POST_COLUMNS`) but the failed ones, the
    regions of those posts (with ``raw_row``) and the failed posts (``raw_row``, ``text_sha256``)."""
    text = raw["text_snippet"].astype("str")
    parsed, regions = parse_frame(text, posted, truncated_at)
    posts = raw[["raw_row"]].copy()
    posts["text_sha256"] = sha256_texts(text)
    posts["posted_at_utc"] = posted
    posts["posted_at_msk"] = posted.dt.tz_convert(MOSCOW)
    posts["post_id"] = posts["posted_at_msk"].dt.strftime("%Y%m%d-%H%M") + "-" + posts["text_sha256"].str[:8]
    posts = posts.join(parsed)
    posts["attribution_date"] = attribution_date(posts["window_start"], posts["window_end"])
    posts["drone_count_source"] = pd.to_numeric(raw["drone_count"], errors="coerce").astype("Int64")
    posts["claimant"] = CLAIMANT
    posts["direction"] = DIRECTION
    failed = posts["parse_status"] == "failed"
    kept = posts[~failed]
    regions = regions[regions["row"].isin(kept.index)]
    regions = regions.assign(post_id=kept.loc[regions["row"], "post_id"].to_numpy(),
                             raw_row=kept.loc[regions["row"], "raw_row"].to_numpy())
    return kept[POST_COLUMNS], regions, posts.loc[failed, ["raw_row", "text_sha256"]]


# ---------------------------------------------------------------------------------------
# The cleaner contract (:mod:`ceasefire_stats.core.cleaner`)


read = read_raw
read_chunks = read_raw_chunks


def prepare(inputs: StepInputs) -> Context:
    """The raw file and what every partition is handed: the length its texts are cut at."""
    path = inputs.raw[SOURCE]
    return Context(path, (truncation(path),))


def post_keys(raw: pd.DataFrame) -> pd.DataFrame:
    """``raw_row`` and the duplicate key of every raw row: the first 128 bits of a sha256 of its
    ``datetime`` cell and its text (a missing cell hashed as a byte no cell holds), as two 64-bit
    halves ``k1``, ``k2``. Rows that :func:`tables` calls duplicates (same ``datetime``, same
    text) have the same key; two other rows share one only if their sha256 agree on 128 bits.
    24 bytes a row, where the cells themselves are about 500."""
    def cell(value: object) -> bytes:
        return b"\x00" if value is None or value is pd.NA else b"\x01" + str(value).encode("utf-8")

    digests = b"".join(hashlib.sha256(cell(when) + b"\n" + cell(text)).digest()[:16]
                       for when, text in zip(raw["datetime"].astype(object).tolist(),
                                             raw["text_snippet"].astype(object).tolist(), strict=True))
    halves = np.frombuffer(digests, dtype="<u8").reshape(-1, 2)
    return pd.DataFrame({"raw_row": raw["raw_row"].to_numpy(), "k1": halves[:, 0], "k2": halves[:, 1]}
                        ).astype({"raw_row": "Int64"})


def parse(raw: pd.DataFrame, context: Context | None = None) -> dict[str, pd.DataFrame]:
    """One partition: :func:`tables` on its rows (normalisation, kinds, windows, headlines,
    breakdowns, per-row rejects, flags and ``not_claim`` outcomes are all per post; the texts cut
    at ``context.args[0]`` characters) and the
    duplicate key of every row (:func:`post_keys`). Regions carry their post's ``raw_row``."""
    posts, regions, ledger = tables(raw, *(context.args if context is not None else ()))
    regions = regions.assign(raw_row=regions["post_id"].map(posts.set_index("post_id")["raw_row"]))
    # of the ledger's rows only the other outcomes (not a claim...) are kept: kept, rejected and
    # duplicate rows are found again on the whole file
    other = ledger.rows[~ledger.rows["outcome"].isin(["kept", "rejected", "duplicate"])]
    return {"keys": post_keys(raw), "mod_posts": posts, "mod_post_regions": regions, "ledger": other,
            "rejects": ledger.rejects, "flags": ledger.flags}


def combine(pieces: dict[str, list], context: Context | None = None) -> Combined:
    """The whole-file steps on every partition's pieces: duplicates across the file (same
    ``datetime`` and text, the first in file order kept: a post repeated in two partitions was
    parsed in both, and the later copy is dropped with its rows, regions, flags and
    ``no_count_parsed`` reject), the ledger, and the order (posts by ``raw_row``, regions by
    ``raw_row`` and region, rejects and flags by :data:`REJECT_ORDER`, :data:`FLAG_ORDER`, then
    file order)."""
    keys = cleaner.whole(pieces["keys"])
    dup = keys.duplicated(["k1", "k2"], keep="first")
    first_row = keys.groupby(["k1", "k2"], sort=False)["raw_row"].transform("first")
    duplicates = pd.DataFrame({"raw_row": keys.loc[dup, "raw_row"], "duplicate_of": first_row[dup]})
    gone = pd.Index(keys.loc[dup, "raw_row"])  # a later copy: parsed in its partition, dropped here

    rejected = cleaner.concat(pieces["rejects"])
    if rejected is not None:  # a duplicate is not parsed, so it cannot fail to parse
        rejected = rejected[~((rejected["reason"] == "no_count_parsed") & rejected["raw_row"].isin(gone))]
        rejected = cleaner.by_rank(rejected, "reason", REJECT_ORDER).reset_index(drop=True)
        rejected = rejected if len(rejected) else None
    flags = cleaner.concat(pieces["flags"])
    if flags is not None:
        flags = cleaner.by_rank(cleaner.without(flags, gone), "flag", FLAG_ORDER).reset_index(drop=True)
        flags = flags if len(flags) else None
    other = cleaner.concat(pieces["ledger"])
    if other is not None:
        other = cleaner.without(other, gone)[["raw_row", "outcome", "reason"]].reset_index(drop=True)
    ledger = Ledger.from_parts(SOURCE, keys["raw_row"], rejected=rejected, duplicates=duplicates,
                               flags=flags, other=other)
    in_file_order = bool(keys["raw_row"].is_monotonic_increasing)
    posts = cleaner.ordered((cleaner.without(f, gone) for f in cleaner.frames(pieces["mod_posts"])), ["raw_row"],
                            in_file_order=in_file_order)
    regions = cleaner.ordered((cleaner.without(f, gone) for f in cleaner.frames(pieces["mod_post_regions"])),
                              ["raw_row", "region_id"], REGION_COLUMNS, in_file_order)
    return Combined({"mod_posts": posts, "mod_post_regions": regions}, ledger)


def result(tables: dict[str, object], ledger: Ledger, context: Context | None = None) -> StepResult:
    """The step's result: the two tables, their schemas and id columns, the ledger."""
    return StepResult(
        tables=tables,
        schemas=dict(SCHEMAS),
        ledgers=[ledger],
        id_columns={"mod_posts": "post_id", "mod_post_regions": "post_id"},
        ledger_tables={ledger.source: "mod_posts"},
    )


def build(inputs: StepInputs) -> StepResult:
    """Build step ``mod`` on the pandas engine: the verified raw file it is handed -> the two
    tables, their schemas and the ledger (``combine([parse(read(raw))])``)."""
    return cleaner.run(sys.modules[__name__], inputs)
