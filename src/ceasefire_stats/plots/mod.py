"""Figures of the Russian MoD's interception claims (drawn in the bundled style, credited to
the MoD channel and its scraper; save them with :func:`ceasefire_stats.plots.figure.save_figure`).

Same smoothing rule as every daily figure (:func:`ceasefire_stats.analysis.smoothing.calendar_mean`).
"""

from __future__ import annotations

import pandas as pd

from ceasefire_stats.analysis.smoothing import MIN_COVERAGE, WINDOW_DAYS, calendar_mean
from ceasefire_stats.nights import MOSCOW
from ceasefire_stats.plots.figure import credit, new_figure, shade_windows

MOSCOW_DATES = f"attribution date ({MOSCOW}; a night counts on the morning it ends)"


def daily_interceptions_figure(daily: pd.DataFrame, window: int = WINDOW_DAYS, min_coverage: float = MIN_COVERAGE,
                               windows: pd.DataFrame | None = None):
    """Daily claimed drones destroyed (``panels_mod.daily_interceptions``): each day with a
    report as a dot (days with no report are gaps, not zeros), the trailing ``window``-calendar-day
    mean of the reported days where at least ``min_coverage`` of them are reported, and the
    share of reported days below. ``windows`` (``ceasefire_windows``) shades the truces."""
    series = daily["drones_destroyed"].astype("float64")
    smooth = calendar_mean(series, window, min_coverage)
    with new_figure(figsize=(9, 4.4), source=credit("mod_posts")) as fig:
        ax, cover_ax = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
        ax.plot(series.index, series.to_numpy(), linestyle="none", marker=".", markersize=2.5, alpha=0.5,
                color="#7f7f7f", label="each day with a report")
        ax.plot(smooth.index, smooth["mean"].to_numpy(), linewidth=1.6, color="#d62728",
                label=f"mean of reported days, trailing {window} calendar days (>= {min_coverage:.0%} reported)")
        if windows is not None:
            shade_windows(ax, windows, tz=MOSCOW, last_date=series.index.max())
        ax.set_ylabel("drones claimed\ndestroyed per day")
        ax.set_ylim(bottom=0)
        ax.set_title("Russian MoD claims: Ukrainian drones destroyed over Russia and occupied areas", fontsize=10)
        ax.legend(loc="upper left", fontsize=7)
        cover_ax.plot(smooth.index, 100 * smooth["coverage"].to_numpy(), linewidth=0.9, color="#555555")
        cover_ax.axhline(100 * min_coverage, color="black", linewidth=0.7, linestyle=":")
        cover_ax.set_ylim(0, 105)
        cover_ax.set_ylabel(f"days reported\n(% of {window})", fontsize=8)
        cover_ax.set_xlabel(MOSCOW_DATES)
        fig.align_ylabels([ax, cover_ax])
        fig.tight_layout()
    return fig
