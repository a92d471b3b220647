"""Figures of the Air Force strike panels (drawn in the bundled style; save them with
:func:`ceasefire_stats.plots.figure.save_figure`)."""

from __future__ import annotations

import matplotlib.figure
import pandas as pd

from ceasefire_stats.panels import strikes as panels
from ceasefire_stats.plots.figure import new_figure
from ceasefire_stats.vocab import NATIONAL_BODY, WEAPON_CLASSES


def daily_launches(panel: pd.DataFrame, body: str = NATIONAL_BODY, window: int = 7,
                   title: str | None = None) -> matplotlib.figure.Figure:
    """Daily launches by weapon class for one reporting body: the daily figures as grey
    dots (days without an entry are gaps, not zeros) and the trailing ``window``-day mean (:func:`ceasefire_stats.panels.strikes.rolling_mean`)
    as a thick line, one small panel per class that has any figure."""
    launched = panel["launched"][body]
    classes = [c for c in WEAPON_CLASSES if c in launched.columns and launched[c].notna().any()]
    mean = panels.rolling_mean(launched[classes], window=window)
    with new_figure(figsize=(8, 1.5 * len(classes) + 0.8)) as fig:
        axes = fig.subplots(len(classes), 1, sharex=True, squeeze=False)[:, 0]
        for ax, cls in zip(axes, classes, strict=True):
            daily = launched[cls].astype("float64")
            ax.plot(daily.index, daily.to_numpy(), linestyle="none", marker=".", markersize=2.5,
                    alpha=0.5, color="#7f7f7f")
            ax.plot(mean.index, mean[cls].to_numpy(), linewidth=1.4, color="#0057b7")
            ax.set_ylabel(cls.replace("_", " "), rotation=0, ha="right", va="center", fontsize=8)
            ax.set_ylim(bottom=0)
        axes[0].set_title(title or f"Launched per day by weapon class ({body})\n"
                          f"grey: each reported day; blue: {window}-day mean of reported days")
        axes[-1].set_xlabel("attribution date (Kyiv; night attacks on the morning they end)")
        fig.align_ylabels(axes)
    return fig


def coverage_heatmap(coverage: pd.DataFrame, title: str = "Days with a report, per month and body"):
    """Months x reporting bodies: number of days with at least one entry
    (:func:`ceasefire_stats.panels.strikes.coverage`)."""
    with new_figure(figsize=(8, 0.35 * coverage.shape[1] + 1.2)) as fig:
        ax = fig.subplots()
        image = ax.imshow(coverage.T.to_numpy(), aspect="auto", cmap="viridis", vmin=0, vmax=31,
                          interpolation="nearest")
        ax.set_yticks(range(coverage.shape[1]), coverage.columns.tolist(), fontsize=8)
        ticks = [i for i, d in enumerate(coverage.index) if d.month == 1]
        ax.set_xticks(ticks, [str(coverage.index[i].year) for i in ticks])
        ax.grid(False)
        ax.set_title(title)
        fig.colorbar(image, ax=ax, label="days")
    return fig
