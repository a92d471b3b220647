"""The pandas engine against the dask engine, side by side (prints figures; asserts nothing).

    PYTHONPATH=src python benchmarks/bench_dask.py [--sizes 100000 1000000] [--workers 1 2]

For each size, a corpus of generated posts (``clean.mod_corpus.generate``, seeded, real posts
recombined with their expected totals) is written as a CSV file, then in a fresh process each:

- **pandas**: ``mod_posts.tables(mod_posts.read_raw(path))``, the pandas engine's MoD step;
- **dask, N workers**: ``engines.dask_engine.mod_tables(path, client)`` on a ``LocalCluster`` of N
  worker processes with one thread each (default partitions of 20,000 raw rows).

Printed per run: wall time and posts/s (reading the CSV included), the peak RSS of the process
that runs the build (``ru_maxrss``; for dask the client, which reads the file, writes the
partitions and gathers the tables) and of each dask worker, and the share of posts whose total,
breakdown and window match the generator's expected values (``mod_corpus.check``; 100% expected),
plus whether the dask tables equal the pandas ones (row counts and a hash of every table).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _digest(frame) -> str:
    import hashlib

    import pandas as pd

    return hashlib.sha256(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()).hexdigest()[:12]


def _child(engine: str, path: str, expected_path: str, workers: str) -> None:
    """One measured build in this fresh process; prints a JSON line."""
    from ceasefire_stats.clean import mod_corpus, mod_posts

    start = time.perf_counter()
    worker_peaks: list[int] = []
    if engine == "pandas":
        posts, regions, ledger = mod_posts.tables(mod_posts.read_raw(path))
    else:
        from ceasefire_stats.engines import dask_engine

        with dask_engine.connect(workers=int(workers)) as client:
            posts, regions, ledger = dask_engine.mod_tables(path, client)
            peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
            worker_peaks = sorted(peaks.values())
    seconds = time.perf_counter() - start
    with open(expected_path, "rb") as handle:
        expected = pickle.load(handle)  # written by this script's parent
    score = mod_corpus.check(posts, regions, expected)
    print(json.dumps({
        "seconds": seconds, "rows": ledger.summary()["in"], "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "workers": worker_peaks, "score": score,
        "tables": {name: [len(f), _digest(f)] for name, f in
                   {"posts": posts, "regions": regions, "ledger": ledger.rows, "rejects": ledger.rejects,
                    "flags": ledger.flags}.items()},
    }))


def _run(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True,
                         env=os.environ)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    from ceasefire_stats.clean import mod_corpus, mod_posts
    from ceasefire_stats.core import sources

    real = mod_posts.read_raw(sources.require(mod_posts.SOURCE))
    print(f"machine: {os.cpu_count()} cores; dask engine partitions of 20,000 raw rows; each run in a fresh process")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            start = time.perf_counter()
            raw, expected = mod_corpus.generate(n, seed=n, raw=real)
            path = mod_corpus.write(Path(tmp) / f"generated_{n}.csv", raw)
            expected_path = Path(tmp) / f"expected_{n}.pickle"
            expected_path.write_bytes(pickle.dumps(expected))
            del raw, expected
            print(f"\n{n:,} generated posts ({path.stat().st_size / 2**20:,.0f} MB CSV, made in "
                  f"{time.perf_counter() - start:.0f} s)")
            print(f"{'engine':<16} {'seconds':>8} {'posts/s':>9} {'peak (build process)':>21}  "
                  f"{'peak per worker':<22} {'accuracy (all three)':>20}  same tables as pandas")
            runs = [("pandas", "pandas", "0")] + [(f"dask, {w} worker{'s' * (w > 1)}", "dask", str(w))
                                                  for w in args.workers]
            reference = None
            for label, engine, workers in runs:
                result = _run(engine, str(path), str(expected_path), workers)
                reference = reference or result["tables"]
                per_worker = ", ".join(_mb(p) for p in result["workers"]) or "-"
                score = result["score"]
                print(f"{label:<16} {result['seconds']:>8.1f} {n / result['seconds']:>9,.0f} "
                      f"{_mb(result['peak']):>21}  {per_worker:<22} {score['all']:>20.2%}  "
                      f"{result['tables'] == reference}")
            path.unlink()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(*sys.argv[2:6])
    else:
        main()
