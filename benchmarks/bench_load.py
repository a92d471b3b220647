"""``cs.load(table)`` against ``pd.read_parquet`` of the same file (prints figures; asserts
nothing). Target (issue 11): ``cs.load("strikes")`` within 2x of ``pd.read_parquet``.

    PYTHONPATH=src python benchmarks/bench_load.py [--tables strikes mod_posts] [--runs 21]

``load`` checks that the table's step is current (the manifest's input and code fingerprints)
and that the file's bytes are the ones the manifest records (its sha256), then reads it without
validating it again; ``pd.read_parquet`` only reads. Both run in this process after one untimed
call of each (imports, the page cache), in turn (A B A B ...), so that the load of a shared
machine hits them alike. Per table: the median of each, and the median of the run-by-run ratios
load / read_parquet. A stale or missing table is built first, untimed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="+", default=["strikes", "mod_posts"])
    parser.add_argument("--runs", type=int, default=21, help="timed calls of each (default 21)")
    args = parser.parse_args()

    import pandas as pd

    import ceasefire_stats as cs
    from ceasefire_stats.core import paths

    print(f"machine: {os.cpu_count()} cores; {args.runs} alternating calls of each, after one untimed call")
    print(f"{'table':<18} {'rows':>9} {'MB':>6} {'load (ms)':>10} {'read_parquet (ms)':>18} {'ratio':>7}  target")
    for table in args.tables:
        frame = cs.load(table)  # builds a stale table, untimed
        path = paths.processed_dir() / f"{table}.parquet"
        pd.read_parquet(path)
        loads, reads, ratios = [], [], []
        for _ in range(args.runs):
            loads.append(_timed(lambda: cs.load(table)))  # noqa: B023 - called at once
            reads.append(_timed(lambda: pd.read_parquet(path)))  # noqa: B023
            ratios.append(loads[-1] / reads[-1])
        ratio = statistics.median(ratios)
        print(f"{table:<18} {len(frame):>9,} {path.stat().st_size / 1e6:>6.1f} {statistics.median(loads) * 1e3:>10.1f} "
              f"{statistics.median(reads) * 1e3:>18.1f} {ratio:>7.2f}  {'met' if ratio <= 2 else 'NOT met'} (<= 2)")


if __name__ == "__main__":
    main()
