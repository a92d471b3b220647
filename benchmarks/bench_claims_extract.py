"""Benchmark: claims_extract on the seed article against the curated ledger.

Prints proposals, precision, recall and speaker agreement (no timed assertions).

    PYTHONPATH=src python benchmarks/bench_claims_extract.py [SEED_DIR]

The article is read from ../shared/seed (or $CEASEFIRE_STATS_SHARED/seed, or SEED_DIR); it is
never copied into the repository.
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


def seed_dir() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    shared = os.environ.get("CEASEFIRE_STATS_SHARED", "").strip()
    return (Path(shared) if shared else Path(__file__).resolve().parents[1].parent / "shared") / "seed"


def main() -> int:
    files = sorted(seed_dir().glob("*.txt"))
    if not files:
        print(f"no seed article in {seed_dir()}", file=sys.stderr)
        return 2
    table, _ = claims.read_claims()
    ledger = table[table["source_doc"] == SEED_DOC]
    for path in files:
        text = path.read_text(encoding="utf-8")
        t0 = time.perf_counter()
        proposals = ce.propose(text)
        elapsed = time.perf_counter() - t0
        result = ce.score(proposals, ledger)
        with pd.option_context("display.width", 140, "display.max_columns", 10, "display.max_colwidth", 40):
            print(result["table"][["sentence_no", "kind", "number_text", "counted", "speaker", "speaker_basis",
                                   "claim_id"]].to_string(index=False))
        print(f"\n{path.name}: {result['proposals']} proposals, {result['matched_proposals']} match a curated "
              f"count claim; {result['found_claims']}/{result['curated']} curated count claims found")
        print(f"precision {result['precision']:.3f}  recall {result['recall']:.3f}  "
              f"speaker agreement on matches {result['speaker_agreement']:.3f}  ({elapsed * 1000:.1f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
