"""Build and load: validated, atomic, reproducible, rebuilt when stale."""

from __future__ import annotations

import json

import pytest

from ceasefire_stats import pipeline
from ceasefire_stats.core.errors import ValidationError
from ceasefire_stats.core.ledger import LedgerError
from tests import toy_step

TOY = pipeline.Step("toy", toy_step.build, toy_step.SCHEMAS)
DOUBLE = pipeline.Step("toy_double", toy_step.build_downstream, toy_step.DOUBLE_SCHEMAS, needs=("toy",))


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
    monkeypatch.setattr(pipeline, "STEPS", (TOY, DOUBLE))
    monkeypatch.setattr(toy_step, "FAIL_DOWNSTREAM", True)
    with pytest.raises(RuntimeError, match="downstream failed"):
        pipeline.build()
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(toy_step, "FAIL_DOWNSTREAM", False)
    pipeline.build()
    assert pipeline.load("toy_double")["toy_n"].tolist() == [2, 4, 6]


def test_building_only_a_derived_step_rebuilds_its_missing_need_but_writes_nothing_if_it_fails(tmp_path, monkeypatch):
    """The regression of the nested build: with the upstream table deleted and the derived step
    failing, ``build(["toy_double"])`` (as ``build(["claims", "claim_checks"])`` with
    ``strikes.parquet`` deleted) rebuilds the need in the same transaction and writes nothing."""
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(tmp_path))
    monkeypatch.setattr(pipeline, "STEPS", (TOY, DOUBLE))
    pipeline.build()
    (tmp_path / "toy.parquet").unlink()
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    monkeypatch.setattr(toy_step, "FAIL_DOWNSTREAM", True)
    monkeypatch.setattr(toy_step, "RUNS", [])
    with pytest.raises(RuntimeError, match="downstream failed"):
        pipeline.build(["toy_double"])
    assert toy_step.RUNS == ["toy", "toy_double"]  # the missing need was rebuilt first ...
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # ... but nothing written
    monkeypatch.setattr(toy_step, "FAIL_DOWNSTREAM", False)
    monkeypatch.setattr(toy_step, "RUNS", [])
    assert set(pipeline.build(["toy_double"])) == {"toy", "toy_double"}
    monkeypatch.setattr(toy_step, "RUNS", [])
    assert set(pipeline.build(["toy_double"])) == {"toy_double"}  # a current need is read, not rebuilt
    assert toy_step.RUNS == ["toy_double"]


def test_a_changed_need_makes_the_derived_table_stale(tmp_path, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(tmp_path))
    monkeypatch.setattr(pipeline, "STEPS", (TOY, DOUBLE))
    pipeline.build()
    manifest = json.loads((tmp_path / "build_manifest.json").read_text())
    assert pipeline._is_current(DOUBLE, manifest)
    monkeypatch.setattr(pipeline, "fingerprint", lambda step: {"changed": step.name})
    assert not pipeline._is_current(DOUBLE, manifest)


def test_load_ledger_returns_one_ledger_that_checks(out):
    pipeline.build()
    ledger = pipeline.load_ledger("toy")
    ledger.check()
    assert ledger.summary() == {"source": "toy", "in": 3, "kept": 3, "flagged": 0, "rejected": 0, "duplicate": 0}
