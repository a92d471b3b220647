"""Figures of the truce question: the daily series of both directions with the truce windows
shaded, each window up close, the estimated rate ratios, and the placebo distributions.

Directions are never drawn on one axis: Russian launches at Ukraine (Ukrainian Air Force
counts, Kyiv attribution dates) and Ukrainian drones the Russian MoD claims destroyed (Moscow
attribution dates) are separate panels with their own y-axes and their own credits.
"""

from __future__ import annotations

import matplotlib.figure
import matplotlib.transforms as mtransforms
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


PAGE_WIDTH = 5.8
"""Width (inches) of the figures meant for the page: 5.8 in at the saved 150 dpi, about 940 px with margins,
the site's content column, so they are shown at full size (labels at 7-8 pt stay legible)."""
NO_REPORT = "no estimate: no report on the truce nights"


def _settled(fig: matplotlib.figure.Figure) -> matplotlib.figure.Figure:
    """``fig`` with its constrained layout computed once and frozen, positions rounded to 1e-6 of
    the figure: the solver's last bits vary with the process' string-hash seed, and an SVG names
    each clip path by a hash of its exact rectangle, so an unfrozen layout changes bytes between runs."""
    from ceasefire_stats.plots.figure import style

    with style():
        fig.draw_without_rendering()
    boxes = [np.round(ax.get_position().bounds, 6) for ax in fig.axes]
    fig.set_layout_engine("none")
    for ax, box in zip(fig.axes, boxes, strict=True):
        ax.set_position(box)
    return fig


def window_ids(windows: pd.DataFrame) -> list[str]:
    """The declared truce windows (``window_id``) in order of their first start: one close-up each."""
    return list(dict.fromkeys(declared(windows).sort_values("start")["window_id"]))


def window_closeup(series: dict[str, dict[str, pd.Series]], windows: pd.DataFrame, window_id: str,
                   policy: str = "na", days_around: int = 21) -> matplotlib.figure.Figure:
    """One declared truce window up close, drawn for the page (:data:`PAGE_WIDTH`): a strip at the
    top with each definition of the window as a labelled bar on its own line (labels never over the
    data), then one panel per series, ``days_around`` days either side of the union of the
    definitions, sharing the date axis. Daily values as bars; a day without a report has no bar and
    a grey tick at the bottom; a zero is a coloured tick at 0. Each series' dates are in its zone."""
    import matplotlib.dates as mdates

    from ceasefire_stats.analysis.windows import window_dates

    cal = declared(windows)
    rows = cal[cal["window_id"] == window_id].sort_values("definition").reset_index(drop=True)
    if rows.empty:
        raise KeyError(f"{window_id!r} is no declared truce window; declared: {', '.join(window_ids(windows))}")
    names = list(series)
    lo = rows["start"].min().tz_convert(KYIV).tz_localize(None).normalize() - pd.Timedelta(days=days_around)
    finite_end = rows["end"].dropna()
    end = (finite_end.max() if len(finite_end) else rows["start"].max()).tz_convert(KYIV)
    hi = end.tz_localize(None).normalize() + pd.Timedelta(days=days_around)
    xlim = (lo - pd.Timedelta(hours=12), hi + pd.Timedelta(hours=12))
    strip = 0.22 * len(rows) + 0.15
    with new_figure(figsize=(PAGE_WIDTH, strip + 1.55 * len(names) + 0.9), source=_credit_for(names),
                    layout="constrained") as fig:
        axes = fig.subplots(len(names) + 1, 1, sharex=True,
                            gridspec_kw={"height_ratios": [strip] + [1.55] * len(names)})
        top = axes[0]
        colours = {"in_force": "#2ca02c", "disputed": "#ff7f0e"}
        for k, row in enumerate(rows.itertuples()):
            open_end = pd.isna(row.end)
            stop = (pd.Timestamp(hi) + pd.Timedelta(days=1, hours=12)).tz_localize(KYIV) if open_end else row.end
            dates = window_dates(row.start, stop, KYIV)
            if len(dates) == 0:
                continue
            first, final = dates[0] - pd.Timedelta(hours=12), min(dates[-1] + pd.Timedelta(hours=12), xlim[1])
            colour = colours.get(row.status, "#7f7f7f")
            top.plot([first, final], [k, k], color=colour, linewidth=3, solid_capstyle="butt")
            if open_end:  # the bar runs to the right edge: labelled before its start
                top.text(first, k, f"{row.definition} (open end)  ", fontsize=7, va="center", ha="right",
                         color=colour)
            else:
                top.text(final, k, f"  {row.definition}", fontsize=7, va="center", ha="left", color=colour)
        top.set_ylim(len(rows) - 0.4, -0.6)
        top.set_yticks([])
        top.grid(False)
        top.spines[["left", "bottom"]].set_visible(False)
        top.tick_params(bottom=False)
        top.set_title(f"{rows['name'].iloc[0]} ({rows['status'].iloc[0].replace('_', ' ')}): "
                      "the definitions (dates in Kyiv)", fontsize=9, loc="left")
        for ax, name in zip(axes[1:], names, strict=True):
            y = series[name][policy].astype("float64").loc[lo:hi].reindex(pd.date_range(lo, hi, freq="D"))
            colour = SERIES_COLOURS.get(name, "#333333")
            ax.bar(y.index, y.fillna(0).to_numpy(), width=0.8, color=colour, alpha=0.8, linewidth=0)
            gaps = y.index[y.isna().to_numpy()]
            ax.plot(gaps, np.zeros(len(gaps)), linestyle="none", marker="|", color="#999999", markersize=6,
                    transform=ax.get_xaxis_transform())
            zeros = y.index[(y == 0).to_numpy()]
            ax.plot(zeros, np.zeros(len(zeros)), linestyle="none", marker="_", color=colour, markersize=6)
            ax.set_ylim(0, max(1.0, float(np.nanmax(y.to_numpy()) if y.notna().any() else 1.0)) * 1.08)
            shade_windows(ax, rows, tz=SERIES_ZONES[name], last_date=hi, label=False)
            ax.tick_params(labelsize=7)
            ax.set_ylabel(SERIES_UNITS.get(name, "per day"), fontsize=7)
            ax.set_title(f"{SERIES_LABELS.get(name, name)}; dates: {SERIES_ZONES[name]}", fontsize=8, loc="left")
        axes[1].set_xlim(*xlim)
        axes[-1].xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=8))
        axes[-1].xaxis.set_major_formatter(mdates.DateFormatter("%d %b\n%Y"))
        axes[-1].set_xlabel("attribution date (bars: daily values; grey tick at the bottom: no report)", fontsize=7.5)
    return _settled(fig)


def _clip(values) -> np.ndarray:
    return np.clip(np.asarray(values, dtype=float), RR_FLOOR, None)


RR_CEILING = 50.0
"""Upper end of the forest plots' axis: intervals beyond it (or below :data:`RR_FLOOR`) end in an arrow."""
FOREST_ESTIMATORS = {
    "before_after": ("o", -0.17, "window vs 14 days before (exact, dispersion-scaled)"),
    "its_level": ("s", 0.17, "level change, local ITS +-14 days (NB2; HAC only on 28+ days)"),
}


def no_estimate_text(notes) -> str:
    """What a forest-plot row without an estimate says, from its rows' notes: a window whose days
    have no report says so; any other note is shown (shortened).

    >>> no_estimate_text(["no estimate: window 2025-04-20..2025-04-20: every day is missing"])
    'no estimate: no report on the truce nights'
    >>> no_estimate_text([""])
    'no estimate'
    """
    import textwrap

    notes = [n for n in notes if isinstance(n, str) and n]
    if any("every day is missing" in n for n in notes):
        return NO_REPORT
    return textwrap.shorten(notes[0], 70, placeholder="...") if notes else "no estimate"


def effects_forest(rows: pd.DataFrame, title: str | None = None) -> matplotlib.figure.Figure:
    """Rate ratios with 95 % intervals (``analysis.truce_summary.selected``), drawn for the page
    (:data:`PAGE_WIDTH`): one panel per series, stacked, one line per window definition:
    before/after (circle) and local ITS level (square). Log axis from :data:`RR_FLOOR` to
    :data:`RR_CEILING`; an interval that runs past either end stops there in an arrow, a ratio of
    0 (no event in the window) is drawn at the floor and marked 0 (no arrow: its bound is 0), and a line with no estimate
    says why (:func:`no_estimate_text`) in place of the bars."""
    names = [n for n in SERIES_SHORT if n in set(rows["series"])]
    labels = rows[["window_id", "definition"]].drop_duplicates().sort_values(["window_id", "definition"])
    keys = list(labels.itertuples(index=False, name=None))
    xmin, xmax = RR_FLOOR / 1.5, RR_CEILING
    with new_figure(figsize=(PAGE_WIDTH, len(names) * (0.22 * len(keys) + 0.55) + 1.2), source=_credit_for(names),
                    layout="constrained") as fig:
        axes = fig.subplots(len(names), 1, sharex=True, squeeze=False)[:, 0]
        for ax, name in zip(axes, names, strict=True):
            part = rows[rows["series"] == name]
            colour = SERIES_COLOURS.get(name)
            for est, (marker, shift, label) in FOREST_ESTIMATORS.items():
                sub = part[part["estimator"] == est].dropna(subset=["rate_ratio"])
                pos = np.array([keys.index((w, d)) for w, d in zip(sub["window_id"], sub["definition"],
                                                                     strict=True)], dtype=float) + shift
                rr, lo, hi = (np.clip(_clip(sub[c]), None, xmax) for c in ("rate_ratio", "ci_low", "ci_high"))
                ax.errorbar(rr, pos, xerr=[rr - lo, hi - rr], fmt=marker, markersize=4, linewidth=1, color=colour,
                            mfc="white" if est == "before_after" else None, label=label if ax is axes[0] else None)
                low_cut = (sub["ci_low"].to_numpy(dtype=float) < RR_FLOOR) & (sub["rate_ratio"].to_numpy() > 0)
                high_cut = sub["ci_high"].to_numpy(dtype=float) > xmax
                for cut, x, arrow in ((low_cut, RR_FLOOR, "<"), (high_cut, xmax, ">")):
                    if cut.any():  # (an empty unclipped line would stretch the layout to the origin)
                        ax.plot(np.full(cut.sum(), x), pos[cut], linestyle="none", marker=arrow, markersize=4.5,
                                color=colour, clip_on=False, gid="clipped")
                for x, y0, raw in zip(rr, pos, sub["rate_ratio"], strict=True):
                    if raw == 0:
                        ax.annotate("0", (x, y0), xytext=(-7, 0), textcoords="offset points", fontsize=6.5,
                                    va="center", ha="right")
            done = part.dropna(subset=["rate_ratio"])
            estimated = set(zip(done["window_id"], done["definition"], strict=True))
            for k, key in enumerate(keys):
                if key in estimated:
                    continue
                notes = part.loc[(part["window_id"] == key[0]) & (part["definition"] == key[1]), "note"]
                ax.text(0.5, k, no_estimate_text(notes), transform=ax.get_yaxis_transform(), ha="center",
                        va="center", fontsize=6.5, color="#555555", style="italic", gid="no_estimate", zorder=5,
                        bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"})
            ax.axvline(1.0, color="black", linewidth=0.8)
            ax.set_xscale("log")
            ax.set_xlim(xmin, xmax)
            ax.set_ylim(len(keys) - 0.5, -0.5)
            ax.set_yticks(range(len(keys)), [f"{w} · {d}" for w, d in keys], fontsize=6.5)
            ax.tick_params(axis="x", labelsize=7)
            ax.set_title(SERIES_LABELS.get(name, name), fontsize=8.5, loc="right")
        axes[-1].set_xlabel("rate ratio, window / comparison (log scale; arrow: interval runs past the axis)",
                            fontsize=7.5)
        below_label = mtransforms.offset_copy(axes[-1].transAxes, fig=fig, y=-34, units="points")
        axes[-1].legend(*axes[0].get_legend_handles_labels(), loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=below_label, fontsize=7,
                        borderaxespad=0)  # under the x label: never over the bars, the title or the credit
        if title:
            fig.suptitle(title, fontsize=9.5, fontweight="bold")
    return _settled(fig)


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
