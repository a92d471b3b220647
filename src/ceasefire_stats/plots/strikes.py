"""Figures of the Air Force strike panels (drawn in the bundled style, credited to the Air
Force data's producer and licence; save them with :func:`ceasefire_stats.plots.figure.save_figure`).

Daily series use the one smoothing rule of the package
(:func:`ceasefire_stats.analysis.smoothing.calendar_mean`: the mean of the reported days among
the trailing 28 calendar days, withheld where fewer than half of them are reported), and show
that coverage in a panel of its own.
"""

from __future__ import annotations

import matplotlib.figure
import numpy as np
import pandas as pd

from ceasefire_stats.analysis.smoothing import MIN_COVERAGE, WINDOW_DAYS, calendar_mean
from ceasefire_stats.nights import KYIV
from ceasefire_stats.plots.figure import BODY_NAMES, credit, new_figure, shade_windows
from ceasefire_stats.vocab import NATIONAL_BODY, WEAPON_CLASSES

KYIV_DATES = f"attribution date ({KYIV}; a night counts on the morning it ends)"
COVERAGE_BINS = (0, 1, 8, 15, 22, 28, 32)
"""Bin edges of the coverage heatmap (days with a report in a month): 0 | 1-7 | 8-14 | 15-21 | 22-27 | 28-31."""
COVERAGE_LABELS = ("0", "1-7", "8-14", "15-21", "22-27", "28-31")
COVERAGE_COLOURS = ("#ffffff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


def daily_launches(panel: pd.DataFrame, body: str = NATIONAL_BODY, window: int = WINDOW_DAYS,
                   min_coverage: float = MIN_COVERAGE, windows: pd.DataFrame | None = None,
                   title: str | None = None) -> matplotlib.figure.Figure:
    """Daily launches by weapon class for one reporting body: each reported day as a grey dot
    (days without an entry are gaps, not zeros), the trailing ``window``-calendar-day mean of
    the reported days as a line where at least ``min_coverage`` of those days are reported,
    one small panel per class that has any figure, and a last panel with the share of days
    reported per class. ``windows`` (the ``ceasefire_windows`` table) shades the truces."""
    launched = panel["launched"][body]
    classes = [c for c in WEAPON_CLASSES if c in launched.columns and launched[c].notna().any()]
    name = BODY_NAMES.get(body, body)
    with new_figure(figsize=(9, 1.2 * len(classes) + 2.0), source=credit("airforce_strikes"),
                    layout="constrained") as fig:
        axes = fig.subplots(len(classes) + 1, 1, sharex=True, squeeze=False,
                            gridspec_kw={"height_ratios": [1.0] * len(classes) + [0.8]})[:, 0]
        cover_ax = axes[-1]
        for ax, cls in zip(axes[:-1], classes, strict=True):
            daily = launched[cls].astype("float64")
            smooth = calendar_mean(daily, window, min_coverage)
            ax.plot(daily.index, daily.to_numpy(), linestyle="none", marker=".", markersize=2.5,
                    alpha=0.5, color="#7f7f7f")
            ax.plot(smooth.index, smooth["mean"].to_numpy(), linewidth=1.4, color="#0057b7")
            ax.set_ylabel(f"{cls.replace('_', ' ')}\n(launched/day)", rotation=0, ha="right", va="center",
                          fontsize=8)
            ax.set_ylim(bottom=0)
            cover_ax.plot(smooth.index, 100 * smooth["coverage"].to_numpy(), linewidth=0.9, label=cls.replace("_", " "))
            if windows is not None:
                shade_windows(ax, windows, tz=KYIV, last_date=daily.index.max(), label=False)
        cover_ax.axhline(100 * min_coverage, color="black", linewidth=0.7, linestyle=":")
        cover_ax.set_ylim(0, 105)
        cover_ax.set_ylabel(f"days with an entry\n(% of {window})", rotation=0, ha="right", va="center", fontsize=8)
        cover_ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=6, handlelength=1.2, ncols=2)
        axes[0].set_title(title or f"Russian weapons launched at Ukraine, per day, by class: {name}\n"
                          f"grey: each reported day; blue: mean of the reported days in the trailing {window} "
                          f"calendar days,\ndrawn where at least {min_coverage:.0%} of them are reported "
                          "(dotted line in the bottom panel)", fontsize=9)
        cover_ax.set_xlabel(KYIV_DATES)
        fig.align_ylabels(axes)
    return fig


def coverage_heatmap(coverage: pd.DataFrame, through=None,
                     title: str = "Ukrainian Air Force data: days with a report, per month and reporting body"):
    """Months x reporting bodies: days with at least one entry
    (:func:`ceasefire_stats.panels.strikes.coverage`), on a discrete scale where 0 is white.

    ``through`` is the last attribution date of the data: a last month it ends inside is left
    out (it would read as a drop in reporting) and the title says so. Bodies are labelled by
    readable names (:data:`ceasefire_stats.plots.figure.BODY_NAMES`)."""
    from matplotlib.colors import BoundaryNorm, ListedColormap

    table = coverage
    note = ""
    if through is not None:
        through = pd.Timestamp(through)
        month_end = table.index[-1] + pd.offsets.MonthEnd(0)
        if through < month_end:
            note = f" (data end {through:%d %b %Y}: that partial month left out)"
            table = table.iloc[:-1]
    order = sorted(table.columns, key=lambda b: (b != NATIONAL_BODY, not b.startswith("pvk"), b))
    table = table[order]
    cmap = ListedColormap(list(COVERAGE_COLOURS))
    norm = BoundaryNorm(list(COVERAGE_BINS), cmap.N)
    with new_figure(figsize=(9, 0.32 * table.shape[1] + 1.8), source=credit("airforce_strikes")) as fig:
        ax = fig.subplots()
        image = ax.pcolormesh(np.arange(table.shape[0] + 1), np.arange(table.shape[1] + 1), table.T.to_numpy(),
                              cmap=cmap, norm=norm, edgecolors="#eeeeee", linewidth=0.3)
        ax.invert_yaxis()
        ax.set_yticks(np.arange(table.shape[1]) + 0.5, [BODY_NAMES.get(b, b) for b in table.columns], fontsize=8)
        ticks = [i for i, d in enumerate(table.index) if d.month == 1]
        ax.set_xticks(np.array(ticks) + 0.5, [str(table.index[i].year) for i in ticks])
        ax.set_xlabel(f"month of the attribution date ({KYIV})")
        ax.grid(False)
        ax.set_title(title + note, fontsize=10)
        bar = fig.colorbar(image, ax=ax, ticks=[(a + b) / 2 for a, b in zip(COVERAGE_BINS[:-1], COVERAGE_BINS[1:], strict=True)],
                           fraction=0.04, pad=0.02)
        bar.ax.set_yticklabels(COVERAGE_LABELS, fontsize=7)
        bar.set_label("days with a report in the month", fontsize=8)
        fig.tight_layout()
    return fig
