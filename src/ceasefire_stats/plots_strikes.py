"""Figures of the Air Force strike panels (drawn in the bundled style; save them with
:func:`ceasefire_stats.plots.save_figure`)."""

from __future__ import annotations

import matplotlib.figure
import pandas as pd

from ceasefire_stats import panels
from ceasefire_stats.clean.weapons import WEAPON_CLASSES
from ceasefire_stats.plots import style


def _figure(figsize: tuple[float, float]) -> matplotlib.figure.Figure:
    """A figure made through pyplot (which loads the notebook's inline backend, so a figure
    shown as a cell's value renders as PNG) and released from pyplot at once (so it is shown
    exactly once, by the cell's value, and never leaks between cells)."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=figsize)
    plt.close(fig)
    return fig


def daily_launches(panel: pd.DataFrame, body: str = panels.NATIONAL, window: int = 7,
                   title: str | None = None) -> matplotlib.figure.Figure:
    """Daily launches by weapon class for one reporting body: the daily figures as grey
    dots (days without an entry are gaps, not zeros) and the trailing ``window``-day mean (:func:`ceasefire_stats.panels.rolling_mean`)
    as a thick line, one small panel per class that has any figure."""
    launched = panel["launched"][body]
    classes = [c for c in WEAPON_CLASSES if c in launched.columns and launched[c].notna().any()]
    mean = panels.rolling_mean(launched[classes], window=window)
    with style():
        fig = _figure(figsize=(8, 1.5 * len(classes) + 0.8))
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
    (:func:`ceasefire_stats.panels.coverage`)."""
    with style():
        fig = _figure(figsize=(8, 0.35 * coverage.shape[1] + 1.2))
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
