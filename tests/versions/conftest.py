"""Fixtures of the tests of source versions."""

from __future__ import annotations

import pytest


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An isolated registry of versions, raw folder and processed folder."""
    monkeypatch.setenv("CEASEFIRE_STATS_VERSIONS", str(tmp_path / "project" / "versions.toml"))
    monkeypatch.setenv("CEASEFIRE_STATS_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(tmp_path / "processed"))
    (tmp_path / "in").mkdir()
    return tmp_path
