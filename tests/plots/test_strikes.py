"""plots.strikes: the coverage heatmap's scale, partial month and labels; the daily figure's rule."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ceasefire_stats.panels import strikes as panels
from ceasefire_stats.plots import strikes as plot_strikes
from ceasefire_stats.plots.figure import figure_credit


def _strikes():
    dates = pd.to_datetime(["2025-01-01", "2025-01-02", "2025-02-10", "2025-03-01", "2025-03-02"])
    return pd.DataFrame({
        "attribution_date": dates, "reporting_body": ["air_force", "air_force", "pvk_pivden", "air_force", "air_force"],
        "weapon_class": "attack_drone", "launched": pd.array([10, 20, 5, 30, 40], dtype="Int64"),
        "destroyed": pd.array([9, 18, 5, 25, 30], dtype="Int64"),
        "not_reach_goal": pd.array([1, 1, 0, 2, 3], dtype="Int64")})


def test_coverage_heatmap_drops_the_partial_last_month_and_uses_readable_names():
    strikes = _strikes()
    fig = plot_strikes.coverage_heatmap(panels.coverage(strikes), through=strikes["attribution_date"].max())
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Air Force (national)", "Air Command South"]
    assert "partial month left out" in ax.get_title()
    mesh = ax.collections[0]
    assert mesh.get_array().shape == (2, 2)  # January and February only
    assert "CC BY-NC-SA 4.0" in figure_credit(fig)


def test_coverage_scale_gives_zero_its_own_colour():
    cmap_norm = plot_strikes.COVERAGE_BINS
    assert cmap_norm[:3] == (0, 1, 8)  # 0 | 1-7 | ...
    assert plot_strikes.COVERAGE_COLOURS[0] != plot_strikes.COVERAGE_COLOURS[1]


def test_daily_launches_uses_the_calendar_rule_and_shows_coverage():
    panel = panels.daily_panel(_strikes(), bodies=["air_force"])
    fig = plot_strikes.daily_launches(panel)
    mean_line = fig.axes[0].lines[1].get_ydata()
    # 4 reported days in 60: below half of any 28-day window after the first days
    assert np.isnan(np.asarray(mean_line, dtype=float)[-1])
    assert "days with an entry" in fig.axes[-1].get_ylabel()
    assert "Europe/Kyiv" in fig.axes[-1].get_xlabel()
