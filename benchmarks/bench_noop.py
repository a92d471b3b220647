"""A build with nothing to do: ``ceasefire-stats build`` when every step is current (prints
figures; asserts nothing). Target (issue 11): under 1 s wall.

    PYTHONPATH=src python benchmarks/bench_noop.py [--runs 15] [--baseline REV]

Each command runs as a fresh process, in turn (A B C A B C ...), so that the load of a shared
machine hits them alike; per command the median wall time and the median CPU time (user + sys
of the child, from ``os.wait4``), then the ratio to the baseline, median of the run-by-run
ratios. The commands:

- ``build``: this tree's ``python -m ceasefire_stats build`` on its data folders (built first,
  untimed, if a step is stale);
- ``build @REV``: the same command from the package as it was at git revision ``REV`` (default
  ``04657f8``, before the step table was lazy), extracted with ``git archive`` into a temporary
  folder, on this tree's raw files and its own temporary processed folder (built first,
  untimed: about 30 s);
- ``import pandas``: ``python -c "import pandas"``, the floor of any build that imports pandas.

Every timed build must print that every table is up to date, or the benchmark stops.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UP_TO_DATE = "every selected table is up to date"


def _run(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """One fresh process: (wall seconds, CPU seconds of the child, what it printed)."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    printed = child.stdout.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stdout.close()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {child.returncode}:\n{printed}")
    return wall, usage.ru_utime + usage.ru_stime, printed


def _environment(src: Path, **folders: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(src), **folders)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a real user's run reads cached bytecode
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command (default 15)")
    parser.add_argument("--baseline", default="04657f8", help="git revision to compare with ('' for none)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    from ceasefire_stats.core import paths

    build = [sys.executable, "-m", "ceasefire_stats", "build"]
    commands: dict[str, tuple[list[str], dict[str, str], Path]] = {
        "build": (build, _environment(ROOT / "src"), ROOT)}
    with tempfile.TemporaryDirectory(prefix="bench_noop_") as scratch:
        if args.baseline:
            old = Path(scratch) / "old"
            old.mkdir()
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline], capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
            commands[f"build @{args.baseline}"] = (build, _environment(
                old / "src", CEASEFIRE_STATS_RAW_DIR=str(paths.raw_dir()),
                CEASEFIRE_STATS_PROCESSED=str(Path(scratch) / "processed")), old)
        commands["import pandas"] = ([sys.executable, "-c", "import pandas"], _environment(ROOT / "src"), ROOT)

        for name, (argv, env, cwd) in commands.items():  # make every step current; warm the caches
            if argv is build:
                print(f"preparing {name} ...", flush=True)
                _run(argv, env, cwd)
            _run(argv, env, cwd)

        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (argv, env, cwd) in commands.items():
                wall, cpu, printed = _run(argv, env, cwd)
                if argv is build and UP_TO_DATE not in printed:
                    raise SystemExit(f"{name} was not a no-op build:\n{printed}")
                walls[name].append(wall)
                cpus[name].append(cpu)

    print(f"\nno-op build, {args.runs} runs of each command in turn, fresh processes; medians (min-max)")
    print(f"{'command':<22} {'wall s':>22} {'cpu s':>22}")
    for name in commands:
        wall, cpu = walls[name], cpus[name]
        print(f"{name:<22} {statistics.median(wall):>8.3f} ({min(wall):.3f}-{max(wall):.3f}) "
              f"{statistics.median(cpu):>8.3f} ({min(cpu):.3f}-{max(cpu):.3f})")
    if args.baseline:
        old = f"build @{args.baseline}"
        for figure, runs in (("wall", walls), ("cpu", cpus)):
            ratios = [new / base for new, base in zip(runs["build"], runs[old], strict=True)]
            print(f"build / {old}, {figure}: median ratio {statistics.median(ratios):.3f} "
                  f"({min(ratios):.3f}-{max(ratios):.3f})")
    print(f"target: build under 1 s wall: {'met' if statistics.median(walls['build']) < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
