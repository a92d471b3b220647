"""Every Python code block of docs/analysis.md runs (in order, one namespace, as a reader would
paste them): the page's examples are code, not prose that drifted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "analysis.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```", DOC.read_text(encoding="utf-8"), flags=re.S | re.M)


def test_the_page_has_code_blocks():
    assert len(BLOCKS) >= 2


@pytest.mark.realdata  # the reference block reads the registry's sicily.csv
def test_every_code_block_of_docs_analysis_runs(raw_file):
    raw_file("sicily")  # fetched and verified (skips locally without the data, fails under CI)
    namespace: dict = {}
    for k, block in enumerate(BLOCKS):
        try:
            exec(compile(block, f"{DOC.name} block {k + 1}", "exec"), namespace)
        except Exception as exc:  # name the block that failed
            pytest.fail(f"{DOC.name} code block {k + 1} fails: {type(exc).__name__}: {exc}")
