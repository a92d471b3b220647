"""Benchmark: the claim proposer (clean.claim_proposals) on our label sets and on the seed article.

Prints, for the development set and the held-out set (curated/labels/claim_proposals_*.yaml, short
wire-style texts written by us; the held-out set was written before tuning and is never tuned on):
labelled numeric claims, proposals, and the rates the issue sets targets for (number and counted
noun right >= 85 % of numeric claims; >= 75 % of proposals real claims; direction and speaker right
>= 80 % of the claims found), plus the metric. Then precision, recall and speaker agreement on the
seed article against the curated ledger. No timed assertions.

    PYTHONPATH=src python benchmarks/bench_claims_extract.py [SEED_DIR] [--misses]

The seed article is read from ../shared/seed (or $CEASEFIRE_STATS_SHARED/seed, or SEED_DIR); it is
never copied into the repository (skipped when absent).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pandas as pd

from ceasefire_stats.clean import claim_proposals as ce
from ceasefire_stats.clean import claims

SEED_DOC = "2025-03-20_seed_trump_zelenskyy_call"
LABELS = Path(ce.__file__).resolve().parents[1] / "curated" / "labels"
TARGETS = {"number_and_noun": 0.85, "precision": 0.75, "direction": 0.80, "speaker": 0.80}


def seed_dir() -> Path:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if args:
        return Path(args[0])
    shared = os.environ.get("CEASEFIRE_STATS_SHARED", "").strip()
    return (Path(shared) if shared else Path(__file__).resolve().parents[1].parent / "shared") / "seed"


def label_sets() -> int:
    print(f"{'set':<8} {'docs':>4} {'claims':>6} {'props':>5} {'number+noun':>11} {'precision':>9} "
          f"{'direction':>9} {'speaker':>7} {'metric':>6}  ms")
    for name in ("dev", "heldout"):
        docs = ce.read_labels(LABELS / f"claim_proposals_{name}.yaml")
        t0 = time.perf_counter()
        r = ce.score_labels(docs)
        ms = (time.perf_counter() - t0) * 1000
        met = all(r[k] >= v for k, v in TARGETS.items())
        print(f"{name:<8} {len(docs):>4} {r['claims']:>6} {r['proposals']:>5} {r['number_and_noun']:>11.3f} "
              f"{r['precision']:>9.3f} {r['direction']:>9.3f} {r['speaker']:>7.3f} {r['metric']:>6.3f}  {ms:.0f}"
              f"  {'targets met' if met else 'BELOW TARGET'}")
        if "--misses" in sys.argv:
            t = r["table"]
            with pd.option_context("display.width", 160, "display.max_columns", 20):
                print(t[(~t["matched"]) | (t["direction"] != t["label_direction"])
                        | (t["speaker"] != t["label_speaker"])].to_string(index=False))
    return 0


def seed() -> int:
    files = sorted(seed_dir().glob("*.txt"))
    if not files:
        print(f"\nno seed article in {seed_dir()}: seed figures skipped")
        return 0
    table, _ = claims.read_claims()
    ledger = table[table["source_doc"] == SEED_DOC]
    for path in files:
        result = ce.score(ce.propose(path.read_text(encoding="utf-8")), ledger)
        print(f"\nseed {path.name}: {result['proposals']} proposals, {result['matched_proposals']} match a curated "
              f"count claim; {result['found_claims']}/{result['curated']} curated count claims found; "
              f"precision {result['precision']:.3f}  recall {result['recall']:.3f}  "
              f"speaker agreement {result['speaker_agreement']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(label_sets() or seed())
