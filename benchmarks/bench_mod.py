"""Benchmark and accuracy of the MoD post parser (prints figures; asserts nothing).

    python benchmarks/bench_mod.py

(a) times the whole-file parse (``clean.mod_posts.parse_frame`` over every post; best of
five warm runs, one thread) and prints posts/s; (b) if ``tests/data/mod_labels.csv`` exists,
prints precision/recall of ``kind``, exact-match accuracy of totals and breakdowns on the
labelled intercept reports, and, over the whole file, the share of whole breakdown lists
that sum to the headline.
"""

from __future__ import annotations

import time

import pandas as pd
import pyarrow

from ceasefire_stats.clean import mod_accuracy, mod_posts

pyarrow.set_cpu_count(1)
pyarrow.set_io_thread_count(1)


def main() -> None:
    raw = mod_posts.read_raw()
    posted = pd.to_datetime(raw["datetime"], format="%Y-%m-%d %H:%M").dt.tz_localize("UTC")
    texts = raw["text_snippet"]
    start = time.perf_counter()
    mod_posts.parse_frame(texts, posted)
    cold = time.perf_counter() - start
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        mod_posts.parse_frame(texts, posted)
        runs.append(time.perf_counter() - start)
    best = min(runs)
    print(f"posts: {len(texts)}")
    print(f"parse_frame, first run (includes regex compilation): {cold:.3f} s = {len(texts) / cold:,.0f} posts/s")
    print(f"parse_frame, best of 5 warm runs: {best:.3f} s = {len(texts) / best:,.0f} posts/s")
    start = time.perf_counter()
    posts, regions, ledger = mod_posts.tables(raw)
    full = time.perf_counter() - start
    print(f"tables() incl. hashing, duplicates, ledger: {full:.3f} s = {len(texts) / full:,.0f} posts/s")
    print("ledger:", ledger.summary())
    with pd.option_context("display.width", 120):
        print(mod_accuracy.breakdown_consistency(posts).to_string())
        path = mod_accuracy.labels_path()
        if path is None or not path.is_file():
            print("label set tests/data/mod_labels.csv absent: accuracy not measured")
            return
        labels = mod_accuracy.load_labels(path)
        print(f"label set: {len(labels)} posts")
        print(mod_accuracy.accuracy(labels, posts, regions).to_string(index=False))


if __name__ == "__main__":
    main()
