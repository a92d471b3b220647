"""Benchmark and accuracy of the MoD post parser (prints figures; asserts nothing).

    python benchmarks/bench_mod.py

(a) times the whole-file parse (``clean.mod_posts.parse_frame`` over every post; best of
ten warm runs, wall and CPU time, one thread) and prints posts/s, and one post at a time
(``parse_post`` on the first :data:`ONE_POSTS` posts) in milliseconds a post against the whole
column's; (b) if ``src/ceasefire_stats/curated/labels/mod_labels.csv`` exists,
prints precision/recall of ``kind``, exact-match accuracy of totals and breakdowns on the
labelled intercept reports, and, over the whole file, the share of whole breakdown lists
that sum to the headline.
"""

from __future__ import annotations

import statistics
import time

import pandas as pd
import pyarrow

from ceasefire_stats.analysis import mod_parser_accuracy as mod_accuracy
from ceasefire_stats.clean import mod_posts
from ceasefire_stats.core import sources

RUNS = 10
ONE_POSTS = 100
pyarrow.set_cpu_count(1)
pyarrow.set_io_thread_count(1)


def main() -> None:
    raw = mod_posts.read_raw(sources.require(mod_posts.SOURCE))
    posted = pd.to_datetime(raw["datetime"], format="%Y-%m-%d %H:%M").dt.tz_localize("UTC")
    texts = raw["text_snippet"]
    start = time.perf_counter()
    mod_posts.parse_frame(texts, posted)
    cold = time.perf_counter() - start
    wall, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        mod_posts.parse_frame(texts, posted)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    n = len(texts)
    print(f"posts: {n}")
    print(f"parse_frame, first run (includes regex compilation): {cold:.3f} s = {n / cold:,.0f} posts/s")
    print(f"parse_frame, {RUNS} warm runs, wall time: best {min(wall):.3f} s = {n / min(wall):,.0f} posts/s; "
          f"median {statistics.median(wall):.3f} s = {n / statistics.median(wall):,.0f} posts/s")
    print(f"parse_frame, {RUNS} warm runs, CPU time (one thread): best {min(cpu):.3f} s = {n / min(cpu):,.0f} "
          f"posts/s; median {statistics.median(cpu):.3f} s = {n / statistics.median(cpu):,.0f} posts/s")
    start = time.perf_counter()
    for text, when in zip(texts[:ONE_POSTS].tolist(), posted[:ONE_POSTS].tolist(), strict=True):
        mod_posts.parse_post(text, when)
    one = (time.perf_counter() - start) / ONE_POSTS
    print(f"per post: parse_post (one post, first {ONE_POSTS} posts) {one * 1e3:.1f} ms; parse_frame over the "
          f"whole column {min(wall) / n * 1e3:.3f} ms (best warm run)")
    start = time.perf_counter()
    posts, regions, ledger = mod_posts.tables(raw)
    full = time.perf_counter() - start
    print(f"tables() incl. hashing, duplicates, ledger: {full:.3f} s = {len(texts) / full:,.0f} posts/s")
    print("ledger:", ledger.summary())
    with pd.option_context("display.width", 120):
        print(mod_accuracy.breakdown_consistency(posts).to_string())
        path = mod_accuracy.labels_path()
        labels = mod_accuracy.load_labels(path)
        print(f"label set: {len(labels)} posts")
        print(mod_accuracy.accuracy(labels, posts, regions).to_string(index=False))


if __name__ == "__main__":
    main()
