"""Time of each notebook under nbval (strict), as CI runs them, and of the whole set.

    python benchmarks/bench_notebooks.py

Runs ``pytest --nbval`` once per notebook in a fresh process (tables already built: run
``ceasefire-stats build`` first, as ``make test`` does) and prints the wall time of each, the
total, and the target (all notebooks under 2 minutes on a 2-core machine). Asserts nothing.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 120.0


def main() -> None:
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    total = 0.0
    for nb in notebooks:
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "--nbval", "--nbval-current-env", "--nbval-sanitize-with",
             "notebooks/nbval_sanitize.cfg", "-p", "no:cacheprovider", str(nb.relative_to(ROOT))],
            cwd=ROOT, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        total += wall
        last = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "no output"
        print(f"{nb.name:<32} {wall:6.1f} s   {last}")
    print(f"{'all notebooks':<32} {total:6.1f} s   (target under {TARGET_S:.0f} s; each run includes pytest's "
          "start-up and a kernel start)")


if __name__ == "__main__":
    main()
