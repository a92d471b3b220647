"""plots.claims: the timeline (no statement after its source, one lane per claim, two legends,
labels) and the nights in context (two panels, two directions, credited)."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
import pytest
from matplotlib.legend import Legend

from ceasefire_stats.clean import claims
from ceasefire_stats.plots import claims as plot_claims
from ceasefire_stats.plots import figure as plots
from tests.analysis.test_claim_checks import make_mod_posts, make_strikes

SEED = "2025-03-20_seed_trump_zelenskyy_call"


@pytest.fixture(scope="module")
def table():
    """The seed article's claims: the figures' checks name its statements; other documents may exist."""
    ledger = claims.read_claims()[0]
    return ledger[ledger["source_doc"] == SEED].reset_index(drop=True)


def test_timeline_saves_identically_twice(tmp_path, monkeypatch, table):
    monkeypatch.setenv("CEASEFIRE_STATS_FIGURES", str(tmp_path))
    digests = []
    for _ in range(2):
        fig = plot_claims.claims_timeline(table, tz="UTC")
        assert [t.get_text() for t in fig.axes[0].get_yticklabels()][0] == "Institute for the Study of War"
        assert "(UTC)" in fig.axes[0].get_xlabel()
        paths = plots.save_figure(fig, "timeline_test", formats=("svg",))
        digests.append((tmp_path / paths[0]).read_bytes())
    assert digests[0] == digests[1]


def test_no_statement_is_plotted_after_its_source(table):
    data = plot_claims.timeline_data(table)
    assert (data["start"] < data["source_published_to"]).all() and (data["end"] <= data["source_published_to"]).all()
    fig = plot_claims.claims_timeline(table)
    ax = fig.axes[0]
    latest = mdates.date2num(table["source_published_to"].max())
    drawn = [line for line in ax.lines if (line.get_gid() or "").startswith("claim:")]
    assert {line.get_gid() for line in drawn} == {f"claim:{c}" for c in table["claim_id"]}
    for line in drawn:
        assert max(mdates.date2num(x) if not isinstance(x, float) else x for x in line.get_xdata()) <= latest


def test_the_unknown_zone_is_said_on_the_figure(table):
    fig = plot_claims.claims_timeline(table)
    label = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "published_label"]
    assert len(label) == 1 and "zone not stated" in label[0] and "2025-03-20 00:47:00" in label[0]
    assert plots.figure_credit(fig).startswith("Source: curated claims ledger")


def test_every_claim_has_its_own_labelled_lane_and_two_legends(table):
    data = plot_claims.timeline_data(table)
    assert data["lane"].is_unique and len(data) == len(table)
    zelenskyy = data[data["claimant"] == "zelenskyy"]
    assert len(zelenskyy) >= 15 and zelenskyy["lane"].is_unique  # no longer piled onto one point
    fig = plot_claims.claims_timeline(table)
    ax = fig.axes[0]
    texts = {t.get_text().strip() for t in ax.texts}
    assert {"zelenskyy-150-drones", "rumod-57-intercepted", "putin-ordered-energy-stop"} <= texts
    legends = [a for a in ax.get_children() if isinstance(a, Legend)]
    titles = sorted(leg.get_title().get_text() for leg in legends)
    assert titles == ["claim type (marker)", "claimant's side (colour)"]
    assert data.loc[data["claim_id"] == "seed-putin-ordered-energy-stop", "reported"].item()


def test_nights_in_context_two_panels_two_directions_credited(table):
    fig = plot_claims.nights_in_context(make_strikes(), make_mod_posts(), night="2025-03-19", days=2, claims=table)
    top, bottom = fig.axes
    assert "launched at Ukraine" in top.get_title() and "Air Force" in top.get_title()
    assert "MoD" in bottom.get_title() and "destroyed" in bottom.get_title()
    assert top.get_shared_y_axes().get_siblings(top) == [top]  # never one axis
    credit = plots.figure_credit(fig)
    assert "Ukrainian Air Force" in credit and "@mod_russia" in credit and "curated claims ledger" in credit
    notes = [t.get_text() for t in top.texts] + [t.get_text() for t in bottom.texts]
    assert any('"150" drones launched' in n for n in notes) and any('"57" drones intercepted' in n for n in notes)
    assert not any("seven" in n for n in notes)  # the MoD's 7 at Mykolaiv is not a national count


def test_launches_keep_drones_and_missiles_apart_and_missing_nights_missing():
    out = plot_claims.launches_by_group(make_strikes(), "2025-03-18", "2025-03-23")
    assert out.loc["2025-03-19", "drones"] == 145 and out.loc["2025-03-19", "missiles"] == 6
    assert pd.isna(out.loc["2025-03-22", "drones"])  # no report that night: missing, not 0
