"""Time of the whole sensitivity table on synthetic data (prints figures; asserts nothing).

    python benchmarks/bench_analysis.py

Two synthetic daily series (~1,300 days, negative binomial with AR(1) log-mean noise and
scattered missing days), each under two missing-day policies, against a calendar of ten
window definitions (one never began, one open-ended, one of three days with zero events)
x baselines 7/14/28 x families poisson/quasipoisson/nb, placebo percentiles included.
Prints wall and CPU time, best of three runs, and the table's size. Then the real build step:
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


if __name__ == "__main__":
    main()
