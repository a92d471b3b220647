"""Benchmark of source versions (prints figures; not a test).

    PYTHONPATH=src python benchmarks/bench_versions.py [--rows 100000] [--messages 200000]
        [--repeat 5] [--baseline REV] [--only diff|export]

1. ``diff`` of two ``--rows``-row versions of the Air Force file: the real rows replicated
   (each copy's ``source`` gets a ``#k`` suffix), the new version with 1% of counts revised,
   1% of launch places reordered, 0.5% of rows removed and 0.5% added; both cleaned first
   (not timed), then ``versions.diff.diff_tables`` timed ``--repeat`` times, median printed
   (target: under 5 s for 100,000 rows). ``--baseline REV`` also loads the diff module as
   it was at git revision ``REV`` (``versions/diff.py``, before its move ``analysis/source_diff.py``) and times both alternately in the same process (so machine
   load hits both alike), prints both medians and checks the two results are equal;
2. importing a ``--messages``-message Telegram Desktop export written here (texts invented,
   the MoD's style, half with entity lists): ``ceasefire-stats add`` (read, check, hash, copy,
   register; target: under 30 s for 200,000 messages), then the ``mod`` build from it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from bench_airforce import replicate


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_diff(rows: int, repeat: int = 1, baseline: str | None = None) -> None:
    from ceasefire_stats.clean import airforce, weapons
    from ceasefire_stats.core import sources
    from ceasefire_stats.versions import diff as source_diff

    reference, _ = weapons.read_reference(sources.require("weapons"))
    raw = airforce.read_raw(sources.require("airforce_strikes"))
    old = replicate(raw, rows)
    rng = np.random.default_rng(0)
    new = old.copy()
    revise = rng.random(rows) < 0.01
    launched = pd.to_numeric(new["launched"], errors="coerce")
    new.loc[revise, "launched"] = (launched[revise] + 1).astype("str")
    places = new["launch_place"].str.contains(" and ", regex=False) & (rng.random(rows) < 0.01)
    new.loc[places, "launch_place"] = new.loc[places, "launch_place"].str.split(" and ").map(
        lambda parts: " and ".join(reversed(parts)))
    removed = rng.random(rows) < 0.005
    added = new[rng.random(rows) < 0.005].assign(source=lambda f: f["source"] + "-added")
    new = pd.concat([new[~removed], added], ignore_index=True)
    new["raw_row"] = pd.array(np.arange(2, len(new) + 2), dtype="Int64")
    old_tables, old_ledger = airforce.clean(old, reference)
    new_tables, new_ledger = airforce.clean(new, reference)
    analysed = source_diff.analysed_dates()
    modules = {"current": source_diff}
    if baseline:
        modules = {f"baseline {baseline}": _module_at(baseline), **modules}
    times: dict[str, list[float]] = {name: [] for name in modules}
    results = {}
    for _ in range(repeat):
        for name, module in modules.items():  # alternately: load drifts hit both alike
            t0 = time.perf_counter()
            results[name] = module.diff_tables(old_tables, new_tables, analysed=analysed, old_raw=old, new_raw=new,
                                               old_rejects=old_ledger.rejects, new_rejects=new_ledger.rejects)
            times[name].append(time.perf_counter() - t0)
    for name, seconds in times.items():
        print(f"diff of two versions of {len(old):,} and {len(new):,} rows ({name}): median "
              f"{statistics.median(seconds):.2f} s of {repeat} (min {min(seconds):.2f}, max {max(seconds):.2f}; "
              f"target < 5 s), peak RSS {_rss_mb():.0f} MB")
    result = results["current"]
    print("  " + result.headline())
    if baseline:
        other = results[f"baseline {baseline}"]
        for part in ("rows", "summary", "by_month", "daily"):
            pd.testing.assert_frame_equal(getattr(other, part), getattr(result, part), check_exact=True)
        print("  results equal to the baseline's (rows, summary, by_month, daily)")


def _module_at(revision: str):
    """The diff module as it was at git ``revision`` (``versions/diff.py``, or
    ``analysis/source_diff.py`` at a revision before the move), loaded as a separate module."""
    root = Path(__file__).resolve().parents[1]
    for where in ("versions/diff.py", "analysis/source_diff.py"):
        shown = subprocess.run(["git", "show", f"{revision}:src/ceasefire_stats/{where}"], cwd=root,
                               capture_output=True, text=True)
        if shown.returncode == 0:
            break
    else:
        raise SystemExit(f"no diff module at {revision}: {shown.stderr.strip()}")
    # before the move the registry of versions was core.versions: point those imports at it
    text = (shown.stdout.replace("from ceasefire_stats.core import versions as", "from ceasefire_stats.versions import registry as")
            .replace("from ceasefire_stats.core.versions import", "from ceasefire_stats.versions.registry import"))
    path = Path(tempfile.mkdtemp()) / "source_diff_baseline.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("source_diff_baseline", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


TEXT = ("В течение прошедшей ночи дежурными средствами противовоздушной обороны перехвачены и уничтожены "
        "{n} украинских беспилотных летательных аппаратов самолетного типа: {a} – над территорией Курской "
        "области, {b} – над территорией Брянской области.")


def bench_export(messages: int) -> None:
    from ceasefire_stats import cli, pipeline

    rng = np.random.default_rng(1)
    start = 1_672_531_200  # 2023-01-01 UTC
    stamps = start + np.sort(rng.integers(0, 3 * 365 * 86400, messages))
    items = []
    for i in range(messages):
        a, b = int(rng.integers(1, 50)), int(rng.integers(1, 50))
        text = TEXT.format(n=a + b, a=a, b=b)
        if i % 2:
            head, _, tail = text.partition(str(a + b))
            text = [head, {"type": "bold", "text": str(a + b)}, tail]
        kind = "service" if i % 97 == 0 else "message"
        items.append({"id": i + 1, "type": kind, "date": "2025-01-01T00:00:00", "date_unixtime": str(int(stamps[i])),
                      "text": text, "text_entities": []})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "result.json"
        path.write_text(json.dumps({"name": "Минобороны России", "type": "public_channel", "id": 1, "messages": items},
                                   ensure_ascii=False), encoding="utf-8")
        size_mb = path.stat().st_size / 1e6
        os.environ["CEASEFIRE_STATS_VERSIONS"] = str(Path(tmp) / "versions.toml")
        os.environ["CEASEFIRE_STATS_RAW_DIR"] = str(Path(tmp) / "raw")
        os.environ["CEASEFIRE_STATS_PROCESSED"] = str(Path(tmp) / "processed")
        t0 = time.perf_counter()
        assert cli.main(["add", "mod_posts", str(path), "--label", "bench"]) == 0
        add_s = time.perf_counter() - t0
        print(f"import of a {messages:,}-message export ({size_mb:.0f} MB): {add_s:.2f} s (target < 30 s)")
        t0 = time.perf_counter()
        entry = pipeline.build(["mod"], versions={"mod_posts": "bench"})["mod"]
        build_s = time.perf_counter() - t0
        print(f"build of mod_posts from it: {build_s:.2f} s, tables {entry['tables']}, peak RSS {_rss_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of diff (median printed)")
    parser.add_argument("--baseline", help="a git revision whose diff module is timed alongside")
    parser.add_argument("--only", choices=["diff", "export"])
    args = parser.parse_args()
    if args.only != "export":
        bench_diff(args.rows, args.repeat, args.baseline)
    if args.only != "diff":
        bench_export(args.messages)


if __name__ == "__main__":
    main()
