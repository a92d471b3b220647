"""Figures of the Russian MoD's interception claims (built by the bundled style; save them
with :func:`ceasefire_stats.plots.figure.save_figure`)."""

from __future__ import annotations

import pandas as pd

from ceasefire_stats.plots.figure import new_figure


def daily_interceptions_figure(daily: pd.DataFrame):
    """Daily claimed drones destroyed (``panels_mod.daily_interceptions``) with a 28-day
    rolling mean; days with no report are gaps, not zeros."""
    with new_figure(figsize=(9, 3.6)) as fig:
        ax = fig.subplots()
        series = daily["drones_destroyed"]
        ax.plot(series.index, series.to_numpy(), linewidth=0.6, alpha=0.6, label="daily claim")
        ax.plot(series.index, series.rolling(28, min_periods=7).mean().to_numpy(), linewidth=1.6,
                label="28-day mean (days with a report)")
        ax.set_ylabel("drones claimed destroyed")
        ax.set_title("Russian MoD: Ukrainian drones claimed destroyed, by Moscow attribution date")
        ax.legend(loc="upper left", frameon=False)
        fig.tight_layout()
    return fig
