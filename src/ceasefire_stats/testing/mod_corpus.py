"""A corpus generator for benchmarks: real MoD posts recombined into any number of posts, each
with the total, breakdown and window the parser should read from it.

No third-party text is stored here: the templates are read from the raw file at run time
(:func:`templates`). A **template** is a real intercept report that the parser reads whole and
unambiguously: a headline count, a complete breakdown of ``N – над <region>`` items (no
distributive «по», no region-first items, no skipped clauses, no other munitions, no footer),
and a window stated as an undated range («с 20.00 до 7.00»), an undated moment («около 16.30»)
or a night phrase. The text is the normalised form the parser reads (lower case, markdown,
links and emoji removed: :func:`~ceasefire_stats.clean.mod_posts.normalise_text`), so the
normalisation pass still runs over every generated post but changes nothing.

Each generated post (:func:`generate`) redraws, in a random template:

- the **regions**: each item's region mention is replaced by another item mention seen in the
  real posts (same grammatical slot, «над территорией Курской области»), distinct regions;
- the **numerals**: each item's count is drawn afresh and written in digits or in Russian words
  (:func:`~ceasefire_stats.text.ru_numerals.to_words`); the headline is their sum;
- the **window**: a posting date and clock times drawn afresh, the post time after the window's
  end (within the parser's :data:`~ceasefire_stats.clean.mod_posts.CLOCK_TOLERANCE`), or a
  morning post for a night window (expected: the nominal night).

The expected values come from the drawing, never from the parser; :func:`check` compares a
parse against them.

>>> import numpy as np
>>> t = Template(text="около 16.30 мск средствами пво уничтожены 3 бпла: 2 – над курской областью, "
...              "1 – над брянской областью.", window_kind="moment", clock=((6, 8), (9, 11)),
...              headline=(42, 43), items=(((50, 51), (58, 73)), ((75, 76), (83, 99))))
>>> pool = [("курской областью", "RU-KRS"), ("брянской областью", "RU-BRY"), ("орловской областью", "RU-ORL")]
>>> post = draw(t, pool, np.random.default_rng(1), words_share=0.0)
>>> post.drones_destroyed == sum(post.breakdown.values()) and len(post.breakdown) == 2
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ceasefire_stats.clean import mod_posts, regions_ru
from ceasefire_stats.clean.mod_patterns import (
    FOOTER_MARK,
    HEADLINE_RE,
    MOMENT_RE,
    MUNITION_WORD_RE,
    NIGHT_RE,
    RANGE_RE,
)
from ceasefire_stats.nights import MOSCOW, UTC
from ceasefire_stats.text.ru_numerals import to_words

FIRST_DAY = dt.date(2023, 6, 1)
LAST_DAY = dt.date(2025, 12, 31)
"""Posting dates are drawn uniformly in [FIRST_DAY, LAST_DAY]."""
MAX_ITEM = 60
"""Item counts are drawn in 1..MAX_ITEM (a long tail: a quarter above 20)."""
_MSK_OFFSET = dt.timedelta(hours=3)  # Moscow keeps UTC+3 all year since 2014

Span = tuple[int, int]


@dataclasses.dataclass(frozen=True)
class Template:
    """A real report's normalised text and the spans the generator rewrites."""

    text: str
    window_kind: str  # range, moment or night
    clock: tuple[Span, ...]  # hour and minute spans: (h1, m1, h2, m2) of a range, (h1, m1) of a moment
    headline: Span
    items: tuple[tuple[Span, Span], ...]  # (count span, region mention span) per item; the first
    # count span may be the headline's («три бпла сбиты над брянской, один над орловской»: the total is the sum)


@dataclasses.dataclass(frozen=True)
class Post:
    """One generated post and what the parser should read from it (naive times are Moscow)."""

    text: str
    posted_msk: dt.datetime
    drones_destroyed: int
    breakdown: dict[str, int]
    window_kind: str
    window_start: dt.datetime
    window_end: dt.datetime


def _template(text: str, parsed: mod_posts.ModPost) -> Template | None:
    """A real post and what the parser reads from it -> a template, or ``None`` when the post is
    not simple enough to rewrite safely."""
    if (parsed.kind != "intercept_report" or parsed.parse_status != "parsed" or parsed.parse_reason
            or parsed.breakdown_status != "complete" or parsed.truncated
            or parsed.window_kind not in ("range", "moment", "night") or not parsed.breakdown):
        return None
    norm = mod_posts.normalise_text(text)
    if FOOTER_MARK in norm or MUNITION_WORD_RE.search(norm) or "\x1e" in norm:
        return None
    head = HEADLINE_RE.search(norm)
    groups = {k: v for k, v in head.groupdict().items() if v}
    if set(groups) - {"claim"} not in ({"n_verb"}, {"n_noun"}):
        return None
    number = "n_verb" if "n_verb" in groups else "n_noun"
    headline = head.span(number)
    pos, length = head.start("claim"), len(groups["claim"])
    found, shift, _, _ = mod_posts._scan(norm, pos, length, False, False)
    begin = pos - shift - 1  # segment position + begin = text position
    if found and found[0].lastgroup == "n_post":  # the headline's own verb «уничтожено 57 ...»
        if (found[0].start("n_post") + begin, found[0].end("n_post") + begin) != headline:
            return None
        found = found[1:]
    kinds = [m.lastgroup for m in found]
    if not kinds or len(kinds) % 2 or kinds != ["n", "reg"] * (len(kinds) // 2):
        return None
    items = []
    for count, region in zip(found[::2], found[1::2], strict=True):
        if count.group("po") or regions_ru.resolve(region.group("reg")) is None:
            return None
        items.append(((count.start("n") + begin, count.end("n") + begin),
                      (region.start("reg") + begin, region.end("reg") + begin)))
    ids = [regions_ru.resolve(norm[a:b]) for _, (a, b) in items]
    if len(set(ids)) != len(ids) or dict(sorted(zip(ids, (parsed.breakdown[i] for i in ids), strict=True))) \
            != parsed.breakdown:
        return None
    main = norm.split(FOOTER_MARK)[0]
    clock: tuple[Span, ...] = ()
    if parsed.window_kind == "range":
        m = RANGE_RE.search(main)
        if any(m.group(g) for g in ("d0", "d1", "d2", "from_midnight", "midnight")):
            return None
        clock = tuple(m.span(g) for g in ("h1", "m1", "h2", "m2"))
    elif parsed.window_kind == "moment":
        m = MOMENT_RE.search(main)
        if m.group("d1") or not m.group("h1"):
            return None
        clock = tuple(m.span(g) for g in ("h1", "m1"))
    elif RANGE_RE.search(main) or MOMENT_RE.search(main) or not NIGHT_RE.search(main):
        return None
    return Template(norm, parsed.window_kind, clock, headline, tuple(items))


def templates(raw: pd.DataFrame) -> tuple[list[Template], list[tuple[str, str]]]:
    """The raw frame of :func:`~ceasefire_stats.clean.mod_posts.read_raw` -> the templates and
    the pool of item region mentions (mention text, region id), both in file order."""
    posted = pd.to_datetime(raw["datetime"], format="%Y-%m-%d %H:%M", errors="coerce").dt.tz_localize(UTC)
    out, pool, seen = [], [], set()
    dated = posted.notna().to_numpy()
    texts = raw["text_snippet"][dated].tolist()
    for text, parsed in zip(texts, mod_posts.parse_posts(texts, posted[dated].tolist()), strict=True):
        t = _template(text, parsed)
        if t is None:
            continue
        out.append(t)
        for _, (a, b) in t.items:
            mention = t.text[a:b]
            if mention not in seen:
                seen.add(mention)
                pool.append((mention, regions_ru.resolve(mention)))
    return out, pool


def _numeral(value: int, rng: np.random.Generator, words_share: float) -> str:
    return to_words(value) if value <= 999 and rng.random() < words_share else str(value)


def _clock_text(minutes: int, hour_digits: int) -> tuple[str, str]:
    h, m = divmod(minutes % (24 * 60), 60)
    return (f"{h:02d}" if hour_digits == 2 else str(h)), f"{m:02d}"


def draw(t: Template, pool: Sequence[tuple[str, str]], rng: np.random.Generator, words_share: float = 0.3) -> Post:
    """One post redrawn from template ``t`` (see the module docstring)."""
    k = len(t.items)
    chosen, ids = [], set()
    while len(chosen) < k:  # distinct regions
        mention, region = pool[int(rng.integers(len(pool)))]
        if region not in ids:
            ids.add(region)
            chosen.append((mention, region))
    counts = [int(v) for v in np.where(rng.random(k) < 0.75, rng.integers(1, 21, k), rng.integers(21, MAX_ITEM + 1, k))]
    total = sum(counts)
    edits: dict[Span, str] = {t.headline: _numeral(total, rng, words_share)}
    for (count_span, region_span), count, (mention, _) in zip(t.items, counts, chosen, strict=True):
        edits[count_span] = _numeral(count, rng, words_share)  # a headline that is the first item: the item
        edits[region_span] = mention
    day = dt.datetime.combine(FIRST_DAY, dt.time()) + dt.timedelta(
        days=int(rng.integers((LAST_DAY - FIRST_DAY).days + 1)))
    if t.window_kind == "night":
        posted = day + dt.timedelta(minutes=int(rng.integers(7 * 60, 10 * 60)))
        start, end = day - dt.timedelta(hours=1), day + dt.timedelta(hours=7)
    else:
        first = int(rng.integers(0, 24 * 12)) * 5  # minute of the day, a multiple of 5
        length = int(rng.integers(6, 121)) * 5 if t.window_kind == "range" else 0
        start = day + dt.timedelta(minutes=first)
        end = start + dt.timedelta(minutes=length)
        posted = end + dt.timedelta(minutes=int(rng.integers(1, 56)))
        times = [first, first + length] if t.window_kind == "range" else [first]
        for (h_span, m_span), minutes in zip(zip(t.clock[::2], t.clock[1::2], strict=True), times, strict=True):
            edits[h_span], edits[m_span] = _clock_text(minutes, h_span[1] - h_span[0])
    text = t.text
    for (a, b), new in sorted(edits.items(), reverse=True):
        text = text[:a] + new + text[b:]
    return Post(text, posted, total, dict(sorted(zip((r for _, r in chosen), counts, strict=True))),
                t.window_kind, start, end)


def _posts(n: int, seed: int, raw: pd.DataFrame, words_share: float) -> Iterator[Post]:
    """``n`` generated posts, one at a time, no two alike (same text and time); seeded."""
    found, pool = templates(raw)
    rng = np.random.default_rng(seed)
    picks = rng.integers(len(found), size=n)
    seen: set[bytes] = set()  # 16-byte digests of (text, time): 10 million posts in ~1 GB, not ~10

    def key(post: Post) -> bytes:
        return hashlib.blake2b(f"{post.posted_msk.isoformat()}\x1f{post.text}".encode(), digest_size=16).digest()

    for i in picks.tolist():
        post = draw(found[i], pool, rng, words_share)
        while (digest := key(post)) in seen:  # redraw an identical post (it would be a duplicate)
            post = draw(found[i], pool, rng, words_share)
        seen.add(digest)
        yield post


def _frames(posts: list[Post]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generated posts -> their raw rows (the file's columns) and expected values (see :func:`generate`)."""
    utc = [p.posted_msk - _MSK_OFFSET for p in posts]
    raw_out = pd.DataFrame({
        "date": [u.strftime("%Y-%m-%d") for u in utc],
        "datetime": [u.strftime("%Y-%m-%d %H:%M") for u in utc],
        "drone_count": "0",
        "oblasts": "unknown",
        "text_snippet": [p.text for p in posts],
    }, dtype="str")
    msk = lambda values: pd.DatetimeIndex(values).tz_localize(MOSCOW).as_unit("us")  # noqa: E731
    expected = pd.DataFrame({
        "drones_destroyed": pd.array([p.drones_destroyed for p in posts], dtype="Int64"),
        "breakdown": [p.breakdown for p in posts],
        "window_kind": pd.array([p.window_kind for p in posts], dtype="str"),
        "window_start": msk([p.window_start for p in posts]),
        "window_end": msk([p.window_end for p in posts]),
    })
    return raw_out, expected


def generate(n: int, seed: int, raw: pd.DataFrame, words_share: float = 0.3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` posts recombined from the real posts of ``raw`` (the frame of
    :func:`~ceasefire_stats.clean.mod_posts.read_raw`) -> a raw frame in the file's columns
    (``date, datetime, drone_count, oblasts, text_snippet``; one row per post, no two alike) and
    the expected values (one row per post, same order: ``drones_destroyed``, ``breakdown`` as a
    dict, ``window_kind``, ``window_start``, ``window_end`` in Moscow time). In memory: for
    millions of posts use :func:`write_corpus`."""
    return _frames(list(_posts(n, seed, raw, words_share)))


def write(path: str | Path, raw: pd.DataFrame) -> Path:
    """Write a generated raw frame as a CSV file that :func:`~ceasefire_stats.clean.mod_posts.read_raw` reads."""
    path = Path(path)
    raw.to_csv(path, index=False)
    return path


def expected_regions(breakdown: Sequence[dict[str, int]]) -> pd.DataFrame:
    """Expected breakdowns (one dict per post, in file order) -> one row per post and region:
    ``row`` (the post's position, 0-based), ``region_id``, ``drones_destroyed``."""
    rows = [(i, region, count) for i, b in enumerate(breakdown) for region, count in b.items()]
    return pd.DataFrame(rows, columns=["row", "region_id", "drones_destroyed"]).astype(
        {"row": "int64", "region_id": "str", "drones_destroyed": "int64"})


def write_corpus(path: str | Path, n: int, seed: int, raw: pd.DataFrame, words_share: float = 0.3,
                 chunk_rows: int = 100_000) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`generate` straight to a CSV file, ``chunk_rows`` posts at a time, so that a corpus
    larger than memory can be made: the same posts and the same bytes as
    ``write(path, generate(n, seed, raw)[0])``. Returns the expected values without the
    ``breakdown`` dicts, and the breakdowns as :func:`expected_regions` (both compact: ~60
    bytes a post)."""
    path = Path(path)
    expected, regions = [], []
    posts = _posts(n, seed, raw, words_share)
    with path.open("w", encoding="utf-8", newline="") as handle:
        for first in range(0, max(n, 1), chunk_rows):
            chunk = list(itertools.islice(posts, chunk_rows))
            raw_out, exp = _frames(chunk)
            raw_out.to_csv(handle, index=False, header=first == 0)
            long = expected_regions(exp.pop("breakdown").tolist())
            long["row"] += first
            expected.append(exp.set_axis(pd.RangeIndex(first, first + len(exp))))
            regions.append(long)
    return pd.concat(expected), pd.concat(regions, ignore_index=True)


def check(posts: pd.DataFrame, regions: pd.DataFrame, expected: pd.DataFrame,
          expected_breakdown: pd.DataFrame | None = None) -> dict[str, float]:
    """Share of generated posts whose parse matches the expected values: total, breakdown,
    window (kind, start and end), all three. ``posts``/``regions``: the tables of
    :func:`~ceasefire_stats.clean.mod_posts.tables` on the generated file (``raw_row`` = line,
    header = 1, so expected row ``i`` is raw row ``i + 2``); ``expected``: from :func:`generate`
    (with ``breakdown`` dicts) or :func:`write_corpus` (then ``expected_breakdown``, its
    regions). Vectorised: a breakdown matches when the post's (region, count) pairs are those
    expected, no more, no fewer."""
    index = pd.RangeIndex(2, len(expected) + 2, name="raw_row")
    exp = expected.set_axis(index)
    if expected_breakdown is None:
        expected_breakdown = expected_regions(expected["breakdown"].tolist())
    got = posts.set_index("raw_row").reindex(index)
    total = (got["drones_destroyed"] == exp["drones_destroyed"]).fillna(False)
    want = pd.DataFrame({"raw_row": expected_breakdown["row"].to_numpy() + 2,
                         "region_id": expected_breakdown["region_id"].to_numpy(),
                         "want": expected_breakdown["drones_destroyed"].to_numpy()})
    parsed = regions[["post_id", "region_id", "drones_destroyed"]].merge(
        posts[["post_id", "raw_row"]], on="post_id").rename(columns={"drones_destroyed": "got"})
    both = want.merge(parsed[["raw_row", "region_id", "got"]].astype({"raw_row": "int64"}),
                      on=["raw_row", "region_id"], how="outer")
    wrong = both.loc[(both["want"] != both["got"]).fillna(True).to_numpy(bool), "raw_row"]
    parts = pd.Series(~index.isin(wrong) & got["post_id"].notna().to_numpy(), index=index)
    window = ((got["window_kind"] == exp["window_kind"]) & (got["window_start"] == exp["window_start"])
              & (got["window_end"] == exp["window_end"])).fillna(False)
    return {"posts": len(exp), "total": float(total.mean()), "breakdown": float(parts.mean()),
            "window": float(window.mean()), "all": float((total & parts & window).mean())}
