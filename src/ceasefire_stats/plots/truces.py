"""Figures of the truce question: the daily series of both directions with the truce windows
shaded, each window up close, the estimated rate ratios, and the placebo distributions.

Directions are never drawn on one axis: Russian launches at Ukraine (Ukrainian Air Force
counts, Kyiv attribution dates) and Ukrainian drones the Russian MoD claims destroyed (Moscow
attribution dates) are separate panels with their own y-axes and their own credits.
"""

from __future__ import annotations

import matplotlib.figure
import numpy as np
import pandas as pd

from ceasefire_stats.analysis.smoothing import MIN_COVERAGE, WINDOW_DAYS, calendar_mean
from ceasefire_stats.analysis.truce_summary import (
    SERIES_LABELS,
    SERIES_SHORT,
    SERIES_ZONES,
    PlaceboCheck,
    declared,
)
from ceasefire_stats.nights import KYIV
from ceasefire_stats.plots.figure import credit, new_figure, shade_windows

SERIES_COLOURS = {"ru_to_ua_drones_launched": "#0057b7", "ru_to_ua_missiles_launched": "#1f77b4",
                  "ua_to_ru_drones_claimed_destroyed": "#d62728"}
SERIES_UNITS = {"ru_to_ua_drones_launched": "drones launched/day",
                "ru_to_ua_missiles_launched": "missiles launched/day",
                "ua_to_ru_drones_claimed_destroyed": "drones claimed\ndestroyed/day"}
BOTH_SOURCES = ("airforce_strikes", "mod_posts", "calendar")
RR_FLOOR = 0.02
"""Rate ratios (and interval bounds) below this are drawn at it on the log axis, marked "0" when 0."""


def _credit_for(names) -> str:
    needed = []
    if any(n.startswith("ru_to_ua") for n in names):
        needed.append("airforce_strikes")
    if any(n.startswith("ua_to_ru") for n in names):
        needed.append("mod_posts")
    return credit(*needed, "calendar")


def _dates_label(name: str) -> str:
    return f"attribution date ({SERIES_ZONES[name]})"


def truce_series(series: dict[str, dict[str, pd.Series]], windows: pd.DataFrame, first="2025-01-01",
                 last="2026-06-30", policy: str = "na", window: int = WINDOW_DAYS,
                 min_coverage: float = MIN_COVERAGE) -> matplotlib.figure.Figure:
    """One panel per series (``analysis.truce_effects.daily_series``) from ``first`` to ``last``:
    each reported day as a dot, the calendar-day mean of :func:`calendar_mean`, the declared
    truce windows shaded (each series' dates in its own zone)."""
    names = list(series)
    with new_figure(figsize=(10, 2.3 * len(names) + 0.6), source=_credit_for(names), layout="constrained") as fig:
        axes = fig.subplots(len(names), 1, sharex=True, squeeze=False)[:, 0]
        for ax, name in zip(axes, names, strict=True):
            y = series[name][policy].astype("float64")
            smooth = calendar_mean(y, window, min_coverage).loc[first:last]
            y = y.loc[first:last]
            colour = SERIES_COLOURS.get(name, "#333333")
            ax.plot(y.index, y.to_numpy(), linestyle="none", marker=".", markersize=3, alpha=0.45, color="#7f7f7f")
            ax.plot(smooth.index, smooth["mean"].to_numpy(), color=colour, linewidth=1.5,
                    label=f"mean of reported days, trailing {window} calendar days (>= {min_coverage:.0%} reported)")
            ax.set_xlim(pd.Timestamp(first), pd.Timestamp(last))
            shade_windows(ax, windows, tz=SERIES_ZONES[name], last_date=y.index.max(), label=ax is axes[0])
            ax.set_ylim(bottom=0)
            ax.set_ylabel(SERIES_UNITS.get(name, "per day"), fontsize=8)
            ax.set_title(f"{SERIES_LABELS.get(name, name)}; dates: {SERIES_ZONES[name]}", fontsize=9, loc="left")
        axes[0].legend(loc="upper left", fontsize=7, ncols=2)
        axes[-1].set_xlabel("attribution date (a night counts on the morning it ends; zone per panel)")
        fig.suptitle("Daily series around the 2025-2026 truces (grey: each reported day; missing days are gaps)",
                     fontsize=10, fontweight="bold")
    return fig


def window_closeups(series: dict[str, dict[str, pd.Series]], windows: pd.DataFrame, policy: str = "na",
                    days_around: int = 21) -> matplotlib.figure.Figure:
    """Rows: series; columns: declared truce windows (``window_id``), each ``days_around`` days
    either side of the union of its definitions. Each definition is a labelled bar at the top;
    daily values as bars (missing days: no bar, a small grey tick at the bottom; zero: a
    visible tick at 0 in colour)."""
    import matplotlib.dates as mdates
    cal = declared(windows)
    ids = list(dict.fromkeys(cal.sort_values("start")["window_id"]))
    names = list(series)
    with new_figure(figsize=(3.0 * len(ids) + 1.0, 2.2 * len(names) + 1.0), source=_credit_for(names),
                    layout="constrained") as fig:
        axes = fig.subplots(len(names), len(ids), squeeze=False)
        for col, wid in enumerate(ids):
            rows = cal[cal["window_id"] == wid]
            starts = rows["start"].min().tz_convert(KYIV).tz_localize(None).normalize()
            finite_end = rows["end"].dropna()
            end = (finite_end.max() if len(finite_end) else rows["start"].max()).tz_convert(KYIV)
            lo = starts - pd.Timedelta(days=days_around)
            hi = end.tz_localize(None).normalize() + pd.Timedelta(days=days_around)
            for row_no, name in enumerate(names):
                ax = axes[row_no, col]
                y = series[name][policy].astype("float64").loc[lo:hi].reindex(pd.date_range(lo, hi, freq="D"))
                colour = SERIES_COLOURS.get(name, "#333333")
                ax.bar(y.index, y.fillna(0).to_numpy(), width=0.8, color=colour, alpha=0.8, linewidth=0)
                gaps = y.index[y.isna().to_numpy()]
                ax.plot(gaps, np.zeros(len(gaps)), linestyle="none", marker="|", color="#999999", markersize=6,
                        transform=ax.get_xaxis_transform())
                zeros = y.index[(y == 0).to_numpy()]
                ax.plot(zeros, np.zeros(len(zeros)), linestyle="none", marker="_", color=colour, markersize=6)
                ax.set_xlim(lo - pd.Timedelta(hours=12), hi + pd.Timedelta(hours=12))
                ax.set_ylim(0, max(1.0, float(np.nanmax(y.to_numpy()) if y.notna().any() else 1.0)) * 1.45)
                shade_windows(ax, rows, tz=SERIES_ZONES[name], last_date=hi, bars=True, label=False)
                ax.tick_params(labelsize=7)
                ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=4))
                ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b\n%Y"))
                if col == 0:
                    ax.set_ylabel(f"{SERIES_SHORT.get(name, name)}\n{SERIES_UNITS.get(name, '')}", fontsize=8)
                if row_no == 0:
                    ax.set_title(rows["name"].iloc[0], fontsize=8.5)
        fig.suptitle("Each declared truce up close (bars: daily values; grey ticks at the bottom: no report; "
                     "coloured bars at the top: the definitions; dates in each series' zone)", fontsize=9)
    return fig


def _clip(values) -> np.ndarray:
    return np.clip(np.asarray(values, dtype=float), RR_FLOOR, None)


def effects_forest(rows: pd.DataFrame, title: str | None = None) -> matplotlib.figure.Figure:
    """Rate ratios with 95 % intervals (``analysis.truce_summary.selected``), one panel per
    series, one line per window definition: before/after (circle) and local ITS level
    (square). Log axis; a ratio of 0 (no event in the window) is drawn at the floor, marked 0."""
    names = [n for n in SERIES_SHORT if n in set(rows["series"])]
    labels = rows[["window_id", "definition"]].drop_duplicates().sort_values(["window_id", "definition"])
    keys = list(labels.itertuples(index=False, name=None))
    with new_figure(figsize=(4.0 * len(names) + 1.5, 0.32 * len(keys) + 1.8), source=_credit_for(names),
                    layout="constrained") as fig:
        axes = fig.subplots(1, len(names), sharey=True, squeeze=False)[0]
        for ax, name in zip(axes, names, strict=True):
            part = rows[rows["series"] == name]
            for est, marker, shift in (("before_after", "o", -0.15), ("its_level", "s", 0.15)):
                sub = part[part["estimator"] == est].dropna(subset=["rate_ratio"])
                pos = np.array([keys.index((w, d)) for w, d in zip(sub["window_id"], sub["definition"],
                                                                     strict=True)]) + shift
                rr, lo, hi = _clip(sub["rate_ratio"]), _clip(sub["ci_low"]), _clip(sub["ci_high"])
                ax.errorbar(rr, pos, xerr=[rr - lo, hi - rr], fmt=marker, markersize=4, linewidth=1,
                            color=SERIES_COLOURS.get(name), mfc="white" if est == "before_after" else None,
                            label={"before_after": "window vs 14 days before (exact, dispersion-scaled)",
                                   "its_level": "ITS level change, +-14 days (NB2, HAC)"}[est])
                for x, y0, raw in zip(rr, pos, sub["rate_ratio"], strict=True):
                    if raw == 0:
                        ax.annotate("0", (x, y0), xytext=(-8, 0), textcoords="offset points", fontsize=7,
                                    va="center", ha="right")
            ax.axvline(1.0, color="black", linewidth=0.8)
            ax.set_xscale("log")
            ax.set_xlim(RR_FLOOR / 1.5, 50)
            ax.set_title(SERIES_LABELS.get(name, name).replace(" (", "\n("), fontsize=8.5)
            ax.set_xlabel("rate ratio, window / comparison (log scale)", fontsize=8)
        axes[0].set_yticks(range(len(keys)), [f"{w} · {d}" for w, d in keys], fontsize=7.5)
        axes[0].invert_yaxis()
        axes[0].legend(loc="lower left", bbox_to_anchor=(0.0, 1.08), fontsize=7, ncols=1)
        if title:
            fig.suptitle(title, fontsize=10, fontweight="bold")
    return fig


def placebo_histograms(checks: list[PlaceboCheck]) -> matplotlib.figure.Figure:
    """One panel per :class:`PlaceboCheck`: the placebo level rate ratios of ordinary periods
    (histogram, log axis) and the real window's value (vertical line) with its percentile."""
    names = [c.series for c in checks]
    ncols = min(3, len(checks))
    nrows = int(np.ceil(len(checks) / ncols))
    with new_figure(figsize=(3.6 * ncols + 0.5, 2.7 * nrows + 0.8), source=_credit_for(names),
                    layout="constrained") as fig:
        axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False).ravel())
        for ax, check in zip(axes, checks, strict=False):
            if check.distribution.empty:  # no date of the series with its span 90 % reported
                ax.text(0.5, 0.5, "no placebo date with 90 % of its\nspan reported", ha="center", va="center",
                        fontsize=8, transform=ax.transAxes)
                ax.set_title(f"{SERIES_SHORT.get(check.series, check.series)}: {check.definition}", fontsize=8)
                ax.set_axis_off()
                continue
            rr = _clip(check.distribution["rate_ratio"])
            bins = np.geomspace(min(rr.min(), check.real_rr, 0.1), max(rr.max(), check.real_rr, 10), 30)
            ax.hist(rr, bins=bins, color="#bbbbbb", edgecolor="white")
            ax.axvline(max(check.real_rr, RR_FLOOR), color=SERIES_COLOURS.get(check.series, "black"), linewidth=2)
            ax.axvline(1.0, color="black", linewidth=0.6, linestyle=":")
            ax.set_xscale("log")
            ax.set_title(f"{SERIES_SHORT.get(check.series, check.series)}: {check.definition}\n"
                         f"window {check.real_rr:.2f}, percentile {check.percentile:.0f} of "
                         f"{len(rr)} placebo dates", fontsize=8)
            ax.set_xlabel(f"level rate ratio (Poisson, +-{check.baseline_days} days)", fontsize=7.5)
            ax.set_ylabel("placebo dates", fontsize=7.5)
            ax.tick_params(labelsize=7)
        for ax in axes[len(checks):]:
            ax.set_visible(False)
        wid = checks[0].window_id if checks else ""
        fig.suptitle(f"Placebo check, {wid}: the same local model at non-truce dates (grey) "
                     "and the real window (line)", fontsize=9.5, fontweight="bold")
    return fig
