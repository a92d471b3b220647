"""plot_claims: the timeline figure builds from the seed ledger and saves deterministically."""

from __future__ import annotations

from ceasefire_stats.clean import claims
from ceasefire_stats.plots import claims as plot_claims
from ceasefire_stats.plots import figure as plots


def test_timeline_saves_identically_twice(tmp_path, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_STATS_FIGURES", str(tmp_path))
    table, _ = claims.read_claims()
    digests = []
    for _ in range(2):
        fig = plot_claims.claims_timeline(table, tz="UTC")
        assert [t.get_text() for t in fig.axes[0].get_yticklabels()][0] == "Institute for the Study of War"
        assert "(UTC)" in fig.axes[0].get_xlabel()
        paths = plots.save_figure(fig, "timeline_test", formats=("svg",))
        digests.append((tmp_path / paths[0]).read_bytes())
    assert digests[0] == digests[1]
