"""Time a full render of the static site (prints figures; asserts nothing). Target: < 60 s.

    python benchmarks/bench_site.py

Renders ``ceasefire_stats.reports.site.render`` into a fresh temporary folder three times (every run
from scratch: pages staged anew, no Sphinx environment reused) and prints the wall time of
each, the best, and the size of the output. Sphinx runs in a child process, so the wall time
is what counts; the child's CPU time is printed beside it.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from ceasefire_stats.reports import site

RUNS = 3


def main() -> None:
    walls = []
    for run in range(RUNS):
        with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
            before = os.times()
            start = time.perf_counter()
            index = site.render(Path(tmp) / "site")
            wall = time.perf_counter() - start
            after = os.times()
            child_cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
            files = [p for p in index.parent.rglob("*") if p.is_file()]
            pages = sum(p.suffix == ".html" for p in files)
            size = sum(p.stat().st_size for p in files) / 1e6
            walls.append(wall)
            print(f"run {run + 1}: {wall:5.1f} s wall, {child_cpu:5.1f} s CPU (sphinx), "
                  f"{pages} pages, {len(files)} files, {size:.1f} MB")
    print(f"site render: best {min(walls):.1f} s of {RUNS} (target < 60 s)")


if __name__ == "__main__":
    main()
