"""plots.truces: the forest plot says why a line has no estimate and marks clipped intervals, its
labels never sit on the bars; each truce has its own close-up, legible at page width."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from ceasefire_stats.clean import calendar
from ceasefire_stats.plots import truces
from ceasefire_stats.plots.figure import figure_credit, save_figure, style
from ceasefire_stats.reports import figures

PAGE_PX = 944  # the site's content column


def _png_width(fig) -> int:
    buffer = io.BytesIO()
    with style():
        fig.savefig(buffer, format="png")
    return Image.open(buffer).size[0]


def _credit(fig) -> str:
    return " ".join(figure_credit(fig).split())  # the footer, unwrapped


def _forest_rows():
    base = {"series": "ru_to_ua_missiles_launched", "note": ""}
    rows = []
    for wid, definition, est, rr, lo, hi, note in [
        ("a_truce", "as_announced", "before_after", np.nan, np.nan, np.nan,
         "no estimate: window 2025-04-20..2025-04-20: every day is missing"),
        ("a_truce", "as_announced", "its_level", np.nan, np.nan, np.nan,
         "no estimate: every day of the window or of its surroundings is missing"),
        ("b_truce", "stated", "before_after", 1.65, 0.13, 108.0, ""),  # runs past the right end
        ("b_truce", "stated", "its_level", 0.12, 1e-14, 6.9, ""),  # runs past the left end
        ("c_truce", "stated", "before_after", 0.8, 0.6, 1.1, ""),
        ("c_truce", "stated", "its_level", 0.0, 0.0, 2.0, ""),  # no event: marked 0, no arrow
    ]:
        rows.append({**base, "window_id": wid, "definition": definition, "estimator": est, "rate_ratio": rr,
                     "ci_low": lo, "ci_high": hi, "note": note})
    return pd.DataFrame(rows)


def test_forest_says_why_a_line_has_no_estimate_and_arrows_clipped_intervals():
    fig = truces.effects_forest(_forest_rows(), "toy")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["a_truce · as_announced", "b_truce · stated", "c_truce · stated"]
    notes = [t for t in ax.texts if t.get_gid() == "no_estimate"]
    assert [t.get_text() for t in notes] == [truces.NO_REPORT]
    assert notes[0].get_position()[1] == 0  # on the line without an estimate
    arrows = {(line.get_marker(), float(line.get_xdata()[0])) for line in ax.lines if line.get_gid() == "clipped"}
    assert arrows == {(">", truces.RR_CEILING), ("<", truces.RR_FLOOR)}  # not for the zero-event row
    assert [t.get_text() for t in ax.texts if t.get_gid() != "no_estimate"] == ["0"]
    assert "Ukrainian Air Force" in _credit(fig)


def test_forest_notes_and_legend_never_overlap_the_bars_and_fit_the_page():
    fig = truces.effects_forest(_forest_rows(), "toy")
    assert _png_width(fig) <= PAGE_PX
    canvas = FigureCanvasAgg(fig)
    with style():
        canvas.draw()  # the layout as saved
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_gid() == "no_estimate"]
    boxes += [legend.get_window_extent(renderer) for a in fig.axes if (legend := a.get_legend())]
    assert len(boxes) == 2
    bars = [seg for coll in ax.collections for seg in coll.get_segments()]
    assert bars
    for seg in bars:
        (x0, y0), (x1, y1) = ax.transData.transform(seg)
        for box in boxes:
            assert not (min(x0, x1) < box.x1 and max(x0, x1) > box.x0 and min(y0, y1) < box.y1
                        and max(y0, y1) > box.y0), (seg, box)


def _series(days=120):
    index = pd.date_range("2025-02-01", periods=days, freq="D")
    rng = np.random.default_rng(1)
    y = pd.Series(rng.poisson(100, days).astype("float64"), index=index)
    y.iloc[[10, 50]] = np.nan
    return {name: {"na": y} for name in truces.SERIES_COLOURS}


def test_each_declared_truce_has_its_own_closeup_legible_at_page_width():
    windows = calendar.read_calendar()
    assert figures.CLOSEUP_WINDOWS == tuple(truces.window_ids(windows))
    names = [f"04_truce_closeup_{wid}" for wid in figures.CLOSEUP_WINDOWS]
    assert set(names) <= set(figures.FIGURES)
    fig = truces.window_closeup(_series(), windows, "energy_moratorium_2025")
    strip, *panels = fig.axes
    definitions = sorted(windows.loc[windows["window_id"] == "energy_moratorium_2025", "definition"])
    assert [t.get_text().strip() for t in strip.texts] == definitions  # the labels: in their own strip
    assert all(not ax.texts for ax in panels) and len(panels) == 3
    assert all(part in _credit(fig) for part in ("Ukrainian Air Force", "Russian Ministry of Defence", "calendar"))
    assert _png_width(fig) <= PAGE_PX
    with pytest.raises(KeyError, match="no declared truce window"):
        truces.window_closeup(_series(), windows, "no_such_truce")


def test_closeups_are_byte_identical_on_a_redraw(tmp_path, monkeypatch):
    windows = calendar.read_calendar()
    out = []
    for k in range(2):
        monkeypatch.setenv("CEASEFIRE_STATS_FIGURES", str(tmp_path / str(k)))
        (tmp_path / str(k)).mkdir()
        save_figure(truces.window_closeup(_series(), windows, "winter_pause_2026"), "c", formats=("png",))
        out.append((tmp_path / str(k) / "c.png").read_bytes())
    assert out[0] == out[1]
