"""The pandas engine against the dask engine, side by side (prints figures; asserts nothing).

    PYTHONPATH=src python benchmarks/bench_dask.py [--steps mod airforce] [--sizes 100000 1000000]
        [--af-rows 250000 1000000] [--workers 1 2] [--partition-rows 20000] [--keep DIR]
        [--memory-budget-gb 18]

For each step and size, a generated raw file is written, then in a fresh process each builds
the step as the pipeline does (clean, validate every table, write the tables and the ledger to
Parquet):

- **pandas**: the pandas engine's step (the cleaner's ``combine([parse(read(path))])``, as
  :func:`ceasefire_stats.core.cleaner.run` does), tables validated and written whole;
- **dask, N workers**: ``engines.dask_engine.parts`` (the same cleaner) on a
  ``LocalCluster`` of N worker processes with one thread each (partitions of ``--partition-rows``
  raw rows, default the engine's 20,000); the tables are held as Parquet parts on disk, validated
  and written part by part (``fields.validate_parts``, ``files.write_parquet_parts``).

Inputs: **MoD**, a corpus of generated posts (``testing.mod_corpus.write_corpus``, seeded, real posts
recombined with their expected totals; ``--sizes``); **Air Force**, the real pinned file's rows
replicated to ``--af-rows`` rows, each copy's ``source`` with a ``#k`` suffix (distinct reports, as
``bench_airforce.py`` makes them), written as a CSV file.

Printed per run: wall time and raw rows/s (reading the CSV and writing the tables included; for
the Air Force the weapon reference too), the peak RSS of the process that runs the build
(``VmHWM``; for dask the client, which reads the file, writes the partitions, hosts the local
scheduler, assembles the parts and writes the tables) and of each dask worker, for the MoD the
share of posts whose total, breakdown and window match the generator's expected values
(``mod_corpus.check`` on the written tables, after the peak was taken; 100% expected), and
whether every file the dask engine wrote has the bytes of the pandas engine's (sha256). A run
whose processes together pass ``--memory-budget-gb`` is stopped and reported as such; the load
average printed after each run says whether other work shared the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _peak() -> int:
    """This process's peak resident memory in bytes: ``VmHWM``, the high-water mark of its own
    address space. (``ru_maxrss`` is no use here: Linux carries the parent's peak over into a
    child it forks, so a child's ``ru_maxrss`` is never below what this script held then.)"""
    line = next(x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024


def _build(step: str, engine: str, path: str, extra: str, workers: str, partition_rows: str, out: Path):
    """The step as the pipeline runs it on ``engine``: clean, validate every table, write the
    tables and the ledger's parts to ``out`` (the dask engine's tables as parts, written part by
    part). -> (ledger, peak RSS of each dask worker)."""
    from ceasefire_stats.core import cleaner
    from ceasefire_stats.core.cleaner import Context
    from ceasefire_stats.core.fields import validate_table
    from ceasefire_stats.core.files import write_parquet, write_table

    if step == "airforce":
        from ceasefire_stats.clean import airforce as module
        from ceasefire_stats.clean import weapons

        reference, _ = weapons.read_reference(extra)
        context = Context(Path(path), (reference,))
        ids = {"strikes": "strike_id", "strike_regions": "strike_id"}
    else:
        from ceasefire_stats.clean import mod_posts as module

        context = Context(Path(path), (module.truncation(path),))
        ids = {"mod_posts": "post_id", "mod_post_regions": "post_id"}
    worker_peaks: list[int] = []
    with contextlib.ExitStack() as stack:
        if engine == "pandas":  # combine([parse(read(raw))])
            pieces = {name: [piece] for name, piece in module.parse(module.read(context.path), context).items()}
            tables, ledger = module.combine(pieces, context)
            tables = {name: cleaner.whole(frames) for name, frames in tables.items()}
        else:
            from ceasefire_stats.engines import dask_engine

            client = stack.enter_context(dask_engine.connect(workers=int(workers)))
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            tables, ledger = dask_engine.parts(module, context, client, folder, int(partition_rows))
            worker_peaks = sorted(client.run(_peak).values())
        for name, table in tables.items():
            write_table(validate_table(table, module.SCHEMAS[name], ids[name]), out / f"{name}.parquet")
        for part in ("rows", "rejects", "flags"):
            write_parquet(getattr(ledger, part), out / f"ledger_{part}.parquet")
    return ledger, worker_peaks


def _child(step: str, engine: str, path: str, extra: str, workers: str, partition_rows: str) -> None:
    """One measured build in this fresh process; prints JSON lines: the build's time and peak
    memory as soon as it is written, then the sha256 of every file written and, for the MoD, the
    accuracy (read back from the written tables, after the peak was taken). ``extra``: the
    MoD's expected totals (a pickle written by this script's parent) or the weapon reference file."""
    import hashlib

    with tempfile.TemporaryDirectory() as out:
        out = Path(out)
        start = time.perf_counter()
        ledger, worker_peaks = _build(step, engine, path, extra, workers, partition_rows, out)
        seconds, peak = time.perf_counter() - start, _peak()
        print(json.dumps({"seconds": seconds, "peak": peak, "workers": worker_peaks}), flush=True)
        written = {f.name: hashlib.sha256(f.read_bytes()).hexdigest()[:12] for f in sorted(out.glob("*.parquet"))}
        score = None
        if step == "mod":
            import pandas as pd

            from ceasefire_stats.testing import mod_corpus

            with open(extra, "rb") as handle:
                expected, expected_breakdown = pickle.load(handle)  # written by this script's parent
            score = mod_corpus.check(pd.read_parquet(out / "mod_posts.parquet"),
                                     pd.read_parquet(out / "mod_post_regions.parquet"), expected, expected_breakdown)
    print(json.dumps({"seconds": seconds, "rows": ledger.summary()["in"], "peak": peak, "workers": worker_peaks,
                      "score": score, "summary": ledger.summary(), "tables": written}))


def _run(*args: str, budget: int) -> dict:
    """One child run, watched: the resident memory of the child and its processes (dask workers
    included) is summed every half second, and the child is stopped if it passes ``budget`` bytes,
    so that a run too large for the machine is reported rather than left to the system's OOM
    killer. A child that fails or is stopped is reported, not fatal; the timing line it printed
    before its accuracy check is kept."""
    import psutil

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen([sys.executable, __file__, "--child", *args], stdout=out, stderr=err,
                                 text=True, env=os.environ, start_new_session=True)
        watched, largest, stopped = psutil.Process(child.pid), 0, None
        while child.poll() is None:
            try:
                tree = [watched, *watched.children(recursive=True)]
                resident = sum(p.memory_info().rss for p in tree if p.is_running())
            except psutil.Error:
                resident = 0
            largest = max(largest, resident)
            if resident > budget:
                stopped = resident
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
                break
            time.sleep(0.5)
        out.seek(0)
        err.seek(0)
        lines = [json.loads(line) for line in out.read().splitlines() if line.startswith("{")]
        last = (err.read().strip().splitlines() or [""])[-1]
    result: dict = {}
    for line in lines:
        result.update(line)
    result["tree_peak"] = largest
    if stopped is not None:
        result["failed"] = (f"stopped at {_mb(stopped)} resident (budget {_mb(budget)}), "
                            f"{'after' if 'seconds' in result else 'before'} the build finished")
    elif child.returncode != 0:
        why = "killed by the system (out of memory?)" if child.returncode < 0 else last[:120]
        result["failed"] = f"exit {child.returncode}: {why}"
    return result


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB"


def _compare(step: str, n: int, path: Path, extra: Path, workers: list[int], partition_rows: int,
             budget: int) -> None:
    """Run the pandas engine, then the dask engine with each number of workers; print a table."""
    accuracy = "accuracy (all three)" if step == "mod" else ""
    print(f"{'engine':<16} {'seconds':>8} {'rows/s':>9} {'peak (build process)':>21}  "
          f"{'peak per worker':<22} {accuracy:>20}  same tables as pandas")
    runs = [("pandas", "pandas", "0")] + [(f"dask, {w} worker{'s' * (w > 1)}", "dask", str(w)) for w in workers]
    reference = None
    for label, engine, count in runs:
        result = _run(step, engine, str(path), str(extra), count, str(partition_rows), budget=budget)
        if "seconds" not in result:
            print(f"{label:<16} {result['failed']}")
            continue
        per_worker = ", ".join(_mb(p) for p in result["workers"]) or "-"
        score = f"{result['score']['all']:.2%}" if result.get("score") else "-"
        same = "-"
        if "tables" in result:
            reference = reference or result["tables"]
            same = str(result["tables"] == reference)
        print(f"{label:<16} {result['seconds']:>8.1f} {n / result['seconds']:>9,.0f} "
              f"{_mb(result['peak']):>21}  {per_worker:<22} {score:>20}  {same}")
        if "failed" in result:
            print(f"{'':<16} accuracy check not done: {result['failed']}")
        print(f"{'':<16} (load average over the last 15 minutes at its end: {os.getloadavg()[2]:.2f} "
              f"on {os.cpu_count()} cores; higher means other work shared the machine)")
    if "summary" in result:
        print(f"  ledger: {result['summary']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", nargs="+", choices=["mod", "airforce"], default=["mod", "airforce"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="MoD posts")
    parser.add_argument("--af-rows", type=int, nargs="+", default=[250_000, 1_000_000], help="Air Force rows")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--partition-rows", type=int, default=None, help="raw rows per dask partition")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="write the generated MoD corpora (and their expected values) in DIR and keep them; "
                             "a corpus already there (same size, so same seed) is reused, not made again")
    parser.add_argument("--memory-budget-gb", type=float, default=18.0,
                        help="stop a run whose processes together hold more than this (GiB resident)")
    args = parser.parse_args()

    from ceasefire_stats.core import sources
    from ceasefire_stats.engines.dask_engine import PARTITION_ROWS

    partition_rows = args.partition_rows or PARTITION_ROWS
    budget = int(args.memory_budget_gb * 2**30)
    print(f"machine: {os.cpu_count()} cores; dask engine partitions of {partition_rows:,} raw rows; "
          f"each run in a fresh process, stopped if its processes hold more than {args.memory_budget_gb:g} GiB")
    with tempfile.TemporaryDirectory() as tmp:
        if "mod" in args.steps:
            from ceasefire_stats.clean import mod_posts
            from ceasefire_stats.testing import mod_corpus

            real = mod_posts.read_raw(sources.require(mod_posts.SOURCE))
            folder = args.keep or Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            for n in args.sizes:
                start = time.perf_counter()
                path, expected_path = folder / f"generated_{n}.csv", folder / f"expected_{n}.pickle"
                if expected_path.exists() and path.exists():
                    made = "reused from --keep"
                else:
                    expected = mod_corpus.write_corpus(path, n, seed=n, raw=real)  # chunk by chunk
                    expected_path.write_bytes(pickle.dumps(expected))  # last: a complete corpus
                    del expected
                    made = f"made in {time.perf_counter() - start:.0f} s"
                print(f"\nMoD step: {n:,} generated posts ({path.stat().st_size / 2**20:,.0f} MB CSV, {made})")
                _compare("mod", n, path, expected_path, args.workers, partition_rows, budget)
                if not args.keep:
                    path.unlink()
        if "airforce" in args.steps:
            from bench_airforce import replicate

            from ceasefire_stats.clean import airforce

            real = airforce.read_raw(sources.require(airforce.SOURCE))
            weapons_path = sources.require("weapons")
            for n in args.af_rows:
                path = Path(tmp) / f"airforce_{n}.csv"
                replicate(real, n).drop(columns="raw_row").to_csv(path, index=False)
                print(f"\nAir Force step: the real file's {len(real):,} rows replicated to {n:,} rows "
                      f"({path.stat().st_size / 2**20:,.0f} MB CSV)")
                _compare("airforce", n, path, weapons_path, args.workers, partition_rows, budget)
                path.unlink()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(*sys.argv[2:8])
    else:
        main()
