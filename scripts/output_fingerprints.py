"""Print the sha256 of every built table, ledger and saved figure, one line each.

Run it before and after a refactor and diff the two listings: a change that keeps behaviour
leaves every line as it was. (``build_manifest.json`` is left out: it records the code's own
hash, which a refactor changes by design.)

    python scripts/output_fingerprints.py > before.txt
    ... change the code, rebuild (ceasefire-stats build) and re-execute (ceasefire-stats notebooks) ...
    python scripts/output_fingerprints.py | diff before.txt -
"""

from __future__ import annotations

import hashlib

from ceasefire_stats.core import paths


def main() -> None:
    folders = {"processed": paths.processed_dir(), "figures": paths.figures_dir()}
    for label, folder in folders.items():
        for path in sorted(folder.glob("*")):
            if path.suffix in {".parquet", ".svg", ".png"}:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                print(f"{digest}  {label}/{path.name}")


if __name__ == "__main__":
    main()
