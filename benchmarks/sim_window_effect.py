"""Monte Carlo of the primary window estimate on the tuning and the held-out designs (prints a
table; asserts nothing).

    python benchmarks/sim_window_effect.py [--reps 1000] [--seed 2026] [--designs tuning|held_out|all]
                                           [--hac]

For every design of ``analysis.simulation.TUNING`` (the designs the defaults were chosen on:
NB alpha 0.5, AR(1) rho 0.6) and ``HELD_OUT`` (other dispersion, persistence, trend, weekly
cycle, baseline length, missing share, count level: chosen before looking at their results and
never used to change a default), ``reps`` replicates with the design's effect (coverage of the
true rate ratio) and ``reps`` without (coverage of 1, and the false-positive rates: interval
excluding 1, p-value below 0.05). ``--hac`` adds the old table's NB2 + HAC level row on the
same designs. The suite's test (tests/analysis/test_window_effect_montecarlo.py) runs fewer
replicates of the tuning designs; docs/analysis.md quotes this script's figures.
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from ceasefire_stats.analysis import simulation


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--designs", choices=("tuning", "held_out", "all"), default="all")
    parser.add_argument("--hac", action="store_true", help="also the NB2 + HAC level row (its, automatic lags)")
    args = parser.parse_args()
    groups = {"tuning": simulation.TUNING, "held_out": simulation.HELD_OUT}
    chosen = groups if args.designs == "all" else {args.designs: groups[args.designs]}
    pd.set_option("display.width", 200)
    for label, designs in chosen.items():
        t0 = time.perf_counter()
        table = simulation.table(designs, args.reps, args.seed)
        cols = ["name", "reps", "coverage", "coverage_null", "fpr_interval", "fpr_p"]
        print(f"\n{label} designs, window_effect defaults ({time.perf_counter() - t0:.0f} s)")
        print(table[cols].round(3).to_string(index=False))
        if args.hac:
            t0 = time.perf_counter()
            hac = simulation.table(designs, args.reps, args.seed, method="hac_level")
            print(f"\n{label} designs, NB2 + HAC level row of the old table ({time.perf_counter() - t0:.0f} s)")
            print(hac[cols].round(3).to_string(index=False))


if __name__ == "__main__":
    main()
