"""Build and load: validated, atomic, reproducible, rebuilt when stale."""

from __future__ import annotations

import json

import pytest

from ceasefire_stats import pipeline
from ceasefire_stats.errors import ValidationError
from ceasefire_stats.ledger import LedgerError
from tests import toy_step

TOY = pipeline.Step("toy", (), ("toy",), "tests.toy_step:build")


@pytest.fixture
def out(tmp_path, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(tmp_path))
    monkeypatch.setattr(pipeline, "STEPS", (TOY,))
    return tmp_path


def test_build_writes_tables_ledgers_and_manifest_reproducibly(out):
    entry = pipeline.build()["toy"]
    assert entry["tables"] == {"toy": 3}
    assert entry["ledgers"] == [{"source": "toy", "in": 3, "kept": 3, "flagged": 0, "rejected": 0, "duplicate": 0}]
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert {"toy.parquet", "ledger_toy.parquet", "rejects_toy.parquet", "build_manifest.json"} <= set(first)
    pipeline.build()
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first
    manifest = json.loads((out / "build_manifest.json").read_text())
    assert manifest["steps"]["toy"]["code_sha256"] == pipeline.code_fingerprint()


def test_load_builds_when_missing_and_returns_the_validated_table(out):
    frame = pipeline.load("toy")
    assert frame["toy_n"].tolist() == [1, 2, 3] and str(frame["toy_n"].dtype) == "Int64"


def test_failed_validation_writes_nothing_and_keeps_previous_outputs(out, monkeypatch):
    pipeline.build()
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setattr(toy_step, "VALUES", [1, -2, 3])
    with pytest.raises(ValidationError, match=r"(?s)table .toy.*toy_n.*-2.*raw_row \[3\]"):
        pipeline.build()
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_load_rebuilds_a_table_whose_inputs_changed(out, monkeypatch):
    pipeline.load("toy")
    manifest = json.loads((out / "build_manifest.json").read_text())
    manifest["steps"]["toy"]["code_sha256"] = "0" * 64  # built by other code: stale
    (out / "build_manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(toy_step, "VALUES", [7, 8, 9])
    assert pipeline.load("toy")["toy_n"].tolist() == [7, 8, 9]


def test_a_cleaner_that_loses_a_row_fails_the_build_and_writes_nothing(out, monkeypatch):
    monkeypatch.setattr(toy_step, "LOST", 2)
    with pytest.raises(LedgerError, match=r"kept but missing \[3\]"):
        pipeline.build()
    assert list(out.iterdir()) == []


def test_a_failing_downstream_step_leaves_no_upstream_table_written(tmp_path, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(tmp_path))
    down = pipeline.Step("toy_double", (), ("toy_double",), "tests.toy_step:build_downstream")
    monkeypatch.setattr(pipeline, "STEPS", (TOY, down))
    monkeypatch.setattr(toy_step, "FAIL_DOWNSTREAM", True)
    with pytest.raises(RuntimeError, match="downstream failed"):
        pipeline.build()
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(toy_step, "FAIL_DOWNSTREAM", False)
    pipeline.build()
    assert pipeline.load("toy_double")["toy_n"].tolist() == [2, 4, 6]
