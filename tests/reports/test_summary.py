"""The summary `make reproduce` ends with names every table, figure and notebook, without machine paths."""

from __future__ import annotations

from ceasefire_stats import pipeline
from ceasefire_stats.reports.summary import summary


def test_summary_lists_every_table_figure_and_notebook_without_machine_paths(tmp_path, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(tmp_path))
    text = summary()
    for table in pipeline.tables():
        assert f"  {table} " in text
    assert "missing or stale: run ceasefire-stats build" in text  # nothing built in an empty folder
    assert "figures (figures): " in text and "notebooks (notebooks): 00_sources.ipynb" in text
    assert str(tmp_path) not in text and "/work/" not in text
