"""Figures of the claims ledger: who said what, when.

:func:`claims_timeline` draws one row per claimant; each claim is a bar over the interval in
which it was made (``said_from``..``said_to``: a minute, a local day, or +-1 day for ``approx``)
with a marker at its middle, coloured by the claimant's side and shaped by claim type. All
times in one stated zone (UTC by default). Save it with :func:`ceasefire_stats.plots.figure.save_figure`.
"""

from __future__ import annotations

import matplotlib.figure
import pandas as pd

from ceasefire_stats.plots.figure import credit, new_figure

SIDE_COLOURS = {"UA": "#0057b7", "RU": "#d62728", "US": "#7f7f7f", "FI": "#2ca02c", "think_tank": "#9467bd",
                "unattributed": "#8c564b"}
TYPE_MARKERS = {"count": "o", "assertion": "s", "denial": "X", "accusation": "v", "commitment": "^",
                "demand": "D", "assessment": "P"}


def claims_timeline(claims: pd.DataFrame, tz: str = "UTC", title: str | None = None) -> matplotlib.figure.Figure:
    """Timeline of ``claims`` (the tidy claims table) in time zone ``tz``."""
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D

    frame = claims.assign(
        start=claims["said_from"].dt.tz_convert(tz), end=claims["said_to"].dt.tz_convert(tz),
    ).sort_values(["said_from", "claim_id"], kind="stable")
    order = list(dict.fromkeys(frame["claimant"]))  # first speaker on top
    height = max(3.0, 0.42 * len(order) + 1.6)
    with new_figure(figsize=(10, height), source=credit("claims"), layout="constrained") as fig:
        ax = fig.subplots()
        for row_no, claimant in enumerate(order):
            rows = frame[frame["claimant"] == claimant].reset_index(drop=True)
            n = len(rows)
            for k, claim in rows.iterrows():  # a few dozen curated claims
                y = row_no + (k - (n - 1) / 2) * min(0.6 / max(n, 1), 0.12)
                colour = SIDE_COLOURS.get(claim["claimant_side"], "#333333")
                ax.plot([claim["start"], claim["end"]], [y, y], color=colour, alpha=0.35, linewidth=3,
                        solid_capstyle="butt")
                middle = claim["start"] + (claim["end"] - claim["start"]) / 2
                ax.plot([middle], [y], marker=TYPE_MARKERS.get(claim["claim_type"], "o"), color=colour,
                        markersize=6 if claim["claim_type"] == "count" else 5, linestyle="none")
        published = frame["source_published_at"].dt.tz_convert(tz).drop_duplicates()
        for moment in published:
            ax.axvline(moment, color="black", linestyle="--", linewidth=0.8)
        if len(published):
            ax.text(published.iloc[0], len(order) - 0.4, " source published", fontsize=8, va="bottom")
        ax.set_yticks(range(len(order)), [frame.loc[frame["claimant"] == c, "claimant_name"].iloc[0] for c in order])
        ax.set_ylim(len(order) - 0.5 + 0.6, -0.7)
        ax.xaxis.set_major_locator(mdates.DayLocator(tz=tz))
        ax.xaxis.set_minor_locator(mdates.HourLocator(byhour=[6, 12, 18], tz=tz))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b", tz=tz))
        ax.set_xlabel(f"time the statement was made ({tz}); bar = its stated precision (minute, local day, +-1 day)")
        ax.set_title(title or "Who said what, when")
        handles = [Line2D([], [], color=c, marker="s", linestyle="none", label=s) for s, c in SIDE_COLOURS.items()
                   if s in set(frame["claimant_side"])]
        handles += [Line2D([], [], color="#333333", marker=m, linestyle="none", label=t) for t, m in TYPE_MARKERS.items()
                    if t in set(frame["claim_type"])]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
        ax.grid(axis="y", alpha=0.0)
    return fig
