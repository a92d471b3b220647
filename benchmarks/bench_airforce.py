"""Benchmark of the Air Force cleaner (prints figures; not a test).

    PYTHONPATH=src python benchmarks/bench_airforce.py [--rows 1000000]

1. the full build of the real file, and the literal parser on the file's distinct literal cells (``pipeline.build(["airforce"])`` into a temporary
   processed folder): wall time and raw rows per second;
2. the real rows replicated to ``--rows`` rows (each copy's ``source`` gets a ``#k`` suffix,
   so copies are distinct reports, not duplicates) and cleaned in memory
   (``airforce.clean``): wall time, rows/s, peak RSS, and peak traced Python heap
   (tracemalloc, in a second run because tracing slows the code);
3. the same rows written to a CSV file, then read and cleaned end to end
   (``airforce.clean_strikes``), and schema validation of the resulting tables.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def replicate(raw: pd.DataFrame, rows: int) -> pd.DataFrame:
    copies = -(-rows // len(raw))
    take = np.tile(np.arange(len(raw)), copies)[:rows]
    big = raw.iloc[take].reset_index(drop=True)
    copy_no = pd.Series(np.repeat(np.arange(copies), len(raw))[:rows]).astype("str")
    big["source"] = big["source"] + "#" + copy_no
    big["raw_row"] = pd.array(np.arange(2, rows + 2), dtype="Int64")
    return big


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()

    from ceasefire_stats import pipeline
    from ceasefire_stats.clean import airforce, weapons
    from ceasefire_stats.core import fields, sources
    from ceasefire_stats.text import pyliteral

    real_path = sources.require("airforce_strikes")
    weapons_path = sources.require("weapons")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CEASEFIRE_STATS_PROCESSED"] = str(Path(tmp) / "processed")
        t0 = time.perf_counter()
        entry = pipeline.build(["airforce"])["airforce"]
        build_s = time.perf_counter() - t0
        n_real = entry["ledgers"][0]["in"]
        print(f"full build of the real file: {n_real} raw rows in {build_s:.2f} s "
              f"({n_real / build_s:,.0f} rows/s; includes validation and Parquet writes)")

        reference, _ = weapons.read_reference(weapons_path)
        raw = airforce.read_raw(real_path)
        cells = [c for col in ("border_crossing", "affected region", "destroyed_details", "launched_details",
                               "launch_place_details") for c in raw[col].unique() if c.strip()]
        t0 = time.perf_counter()
        pyliteral.parse_unique(cells)
        parse_s = time.perf_counter() - t0
        print(f"literal parser: {len(cells)} distinct literal cells of the real file in {parse_s * 1000:.0f} ms "
              f"({parse_s / len(cells) * 1e6:.0f} us per cell; the cleaner parses distinct cells only)")
        big = replicate(raw, args.rows)
        rss_before = _rss_mb()
        t0 = time.perf_counter()
        tables, ledger = airforce.clean(big, reference)
        clean_s = time.perf_counter() - t0
        ledger.check(n_in=args.rows)
        print(f"clean {args.rows:,} replicated rows in memory: {clean_s:.2f} s "
              f"({args.rows / clean_s:,.0f} rows/s); strikes={len(tables['strikes']):,}, "
              f"strike_regions={len(tables['strike_regions']):,}; peak RSS {_rss_mb():,.0f} MB "
              f"(before cleaning {rss_before:,.0f} MB)")
        print("  ledger:", ledger.summary())
        del tables, ledger

        tracemalloc.start()
        airforce.clean(big, reference)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  peak traced Python/numpy heap during clean (tracemalloc, 2nd run): {peak / 2**20:,.0f} MB")

        csv_path = Path(tmp) / "big.csv"
        big.drop(columns="raw_row").to_csv(csv_path, index=False)
        del big
        t0 = time.perf_counter()
        result = airforce.clean_strikes(csv_path, weapons_path)
        e2e_s = time.perf_counter() - t0
        print(f"read + clean {args.rows:,} rows from a {csv_path.stat().st_size / 2**20:,.0f} MB CSV: "
              f"{e2e_s:.2f} s ({args.rows / e2e_s:,.0f} rows/s)")
        t0 = time.perf_counter()
        for table, frame in result.tables.items():
            fields.validate(frame, result.schemas[table], "strike_id")
        print(f"  schema validation of both tables: {time.perf_counter() - t0:.2f} s; "
              f"peak RSS {_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
