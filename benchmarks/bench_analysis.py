"""Time of the whole sensitivity table on synthetic data (prints figures; asserts nothing).

    python benchmarks/bench_analysis.py

Two synthetic daily series (~1,300 days, negative binomial with AR(1) log-mean noise and
scattered missing days), each under two missing-day policies, against a calendar of ten
window definitions (one never began, one open-ended, one of three days with zero events)
x baselines 7/14/28 x families poisson/quasipoisson/nb, placebo percentiles included.
Prints wall and CPU time, best of three runs, and the table's size. Then the real build step:

    python benchmarks/bench_analysis.py --against /path/to/main/src

times only the ``truce_effects`` step of this tree against another checkout's (the current main)
on the same built input tables, alternately in fresh processes. Otherwise, the real build step:
``truce_effects`` on the built tables (every calendar definition x 3 series x 2 policies x
3 baselines x estimators x 3 families, placebo included), timed against loading its three input
tables (the baseline measured in the same run); target under 30 s on 2 cores.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from ceasefire_stats.analysis import sensitivity

RUNS = 3


def synthetic_series(seed: int, days: int = 1300, mean: float = 40.0) -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(seed)
    u = np.zeros(days)
    for t in range(1, days):
        u[t] = 0.6 * u[t - 1] + rng.normal(0, 0.3)
    mu = mean * np.exp(u + np.linspace(0, 0.7, days))
    y = rng.negative_binomial(3, 3 / (3 + mu)).astype(float)
    idx = pd.date_range("2022-09-01", periods=days, freq="D", unit="us")
    y[(idx >= "2025-05-08") & (idx <= "2025-05-10")] = 0  # a zero window (Victory Day-like)
    na = pd.Series(y, index=idx).astype("Float64")
    na[rng.random(days) < 0.03] = pd.NA
    zero = na.fillna(0.0)
    return na, zero


def calendar() -> pd.DataFrame:
    def ts(s):
        return pd.Timestamp(s, tz="Europe/Kyiv").tz_convert("UTC") if s else pd.NaT

    spec = [
        ("energy_moratorium_2025", "ru_stated", "2025-03-18 17:00", "2025-04-17 00:00"),
        ("energy_moratorium_2025", "ua_stated", "2025-03-25 00:00", "2025-04-17 00:00"),
        ("easter_2025", "ru_stated", "2025-04-19 18:00", "2025-04-21 00:00"),
        ("victory_day_2025", "ru_stated", "2025-05-08 00:00", "2025-05-11 00:00"),
        ("christmas_2023", "ru_stated", "2023-01-06 11:00", "2023-01-08 00:00"),
        ("pause_2026", "trump", "2025-01-30 00:00", "2025-02-06 00:00"),
        ("pause_2026", "zelenskyy", "2025-01-29 00:00", "2025-02-05 00:00"),
        ("pause_2026", "kremlin", "2025-01-31 00:00", "2025-02-01 00:00"),
        ("full_ceasefire_proposal", "us_proposed", "", ""),
        ("open_truce", "stated", "2026-03-01 00:00", ""),
    ]
    rows = [{"window_id": w, "definition": d, "name": w, "start": ts(s), "end": ts(e),
             "status": "proposed_never_began" if not s else "in_force", "scope": "all_hostilities"}
            for w, d, s, e in spec]
    out = pd.DataFrame(rows)
    out["start"] = pd.to_datetime(out["start"]).astype("datetime64[us, UTC]")
    out["end"] = pd.to_datetime(out["end"]).astype("datetime64[us, UTC]")
    return out


def main() -> None:
    a_na, a_zero = synthetic_series(1)
    b_na, b_zero = synthetic_series(2, mean=15.0)
    series = {"ru_to_ua_launched_air_force": {"na": a_na, "zero": a_zero},
              "ua_to_ru_claimed_ru_mod": {"na": b_na, "zero": b_zero}}
    windows = calendar()
    walls, cpus = [], []
    for _ in range(RUNS):
        w0, c0 = time.perf_counter(), time.process_time()
        table = sensitivity(series, windows)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    print(f"sensitivity: {len(table)} rows, {len(windows)} window definitions, 2 series x 2 policies")
    print(f"wall {min(walls):.2f} s (best of {RUNS}), cpu {min(cpus):.2f} s")
    print(f"rows with a note and no estimate: {int(table['rate_ratio'].isna().sum())}")
    real()


def real() -> None:
    import ceasefire_stats as cs
    from ceasefire_stats.analysis import truce_effects

    w0 = time.perf_counter()
    strikes, posts, windows = (cs.load(t) for t in truce_effects.NEEDS)
    load_s = time.perf_counter() - w0
    walls = []
    for _ in range(RUNS):
        w0 = time.perf_counter()
        table = truce_effects.truce_effects(strikes, posts, windows)
        walls.append(time.perf_counter() - w0)
    print(f"truce_effects on the real tables: {len(table)} rows, {windows.shape[0]} window definitions; "
          f"wall {min(walls):.2f} s (best of {RUNS}, median {sorted(walls)[RUNS // 2]:.2f} s); "
          f"loading its inputs {load_s:.2f} s (ratio {min(walls) / load_s:.1f}x)")


STEP_CHILD = """
import pickle, resource, sys, time
from ceasefire_stats.analysis import truce_effects
def cpu():  # this process and its finished children (the step's worker processes)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime
tables = pickle.load(open(sys.argv[1], "rb"))
w0, c0 = time.perf_counter(), cpu()
table = truce_effects.truce_effects(*(tables[t] for t in ("strikes", "mod_posts", "ceasefire_windows")))
print(time.perf_counter() - w0, cpu() - c0, len(table))
"""


def against(other_src: str, runs: int = RUNS) -> None:
    """The ``truce_effects`` step of this tree and of another checkout's ``src`` (e.g. the current
    main) on the same input tables, alternately in fresh processes (imports excluded from the
    timing): median wall and CPU seconds of each (CPU includes the step's worker processes) and
    the ratio of the medians."""
    import os
    import pickle
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    import ceasefire_stats as cs
    from ceasefire_stats.analysis import truce_effects

    ours = str(Path(__file__).resolve().parents[1] / "src")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "inputs.pkl"
        path.write_bytes(pickle.dumps({t: cs.load(t) for t in truce_effects.NEEDS}))
        figures: dict[str, list[tuple[float, float, int]]] = {"this tree": [], other_src: []}
        for _ in range(runs):
            for label, src in (("this tree", ours), (other_src, other_src)):
                env = {**os.environ, "PYTHONPATH": src}
                out = subprocess.run([sys.executable, "-c", STEP_CHILD, str(path)], env=env, check=True,
                                     capture_output=True, text=True).stdout.split()
                figures[label].append((float(out[0]), float(out[1]), int(out[2])))
    med = {k: (sorted(w for w, _, _ in v)[runs // 2], sorted(c for _, c, _ in v)[runs // 2], v[0][2])
           for k, v in figures.items()}
    for label, (wall, cpu, rows) in med.items():
        print(f"truce_effects step, {label}: {rows} rows; median of {runs}: wall {wall:.2f} s, cpu {cpu:.2f} s")
    (w_a, c_a, _), (w_b, c_b, _) = med.values()
    print(f"ratio this tree / other: wall {w_a / w_b:.2f}, cpu {c_a / c_b:.2f}")


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "--against":
        against(sys.argv[2])
    else:
        main()
