"""Figures of the claims ledger: who said what, when; and the seed's numbers among the nights around them.

:func:`claims_timeline` gives every claim its own lane (deterministic: claimants in the order they
first spoke, their claims in table order), grouped by claimant: a bar over the interval in which it
was made (``said_from``..``said_to``: a minute, a local day, or +-1 day for ``approx``, cut at the
source's latest possible publication), a marker at its middle coloured by the claimant's side and
shaped by claim type (hollow when the source quotes someone else reporting it), and a label (the
claim id without the document prefix). The source's publication is a band from its earliest to its
latest possible time, labelled with the stamp as printed and whether its zone is known.

:func:`nights_in_context` draws the nights around a date from both sides on separate panels:
Russian weapons launched at Ukraine (the Air Force's national reports, Kyiv attribution dates,
drones and missiles apart) and the Ukrainian drones the Russian MoD claims it destroyed (Moscow
attribution dates); never one axis. Matching count claims of the ledger are marked on their panel.

Save figures with :func:`ceasefire_stats.plots.figure.save_figure`.
"""

from __future__ import annotations

import matplotlib.figure
import pandas as pd

from ceasefire_stats.nights import UTC
from ceasefire_stats.panels import mod as panels_mod
from ceasefire_stats.panels import strikes as panels_strikes
from ceasefire_stats.plots.figure import credit, new_figure
from ceasefire_stats.vocab import CLASS_GROUPS, NATIONAL_BODY

SIDE_COLOURS = {"UA": "#0057b7", "RU": "#d62728", "US": "#7f7f7f", "FI": "#2ca02c", "think_tank": "#9467bd",
                "unattributed": "#8c564b"}
TYPE_MARKERS = {"count": "o", "assertion": "s", "denial": "X", "accusation": "v", "commitment": "^",
                "demand": "D", "assessment": "P"}
LANE_INCHES = 0.2
"""Height of one claim's lane."""


def _short_label(claim_id: str, source_doc: str) -> str:
    """A claim's id without the document prefix (``seed-``).

    >>> _short_label("seed-zelenskyy-150-drones", "x")
    'zelenskyy-150-drones'
    """
    return claim_id.split("-", 1)[1] if "-" in claim_id else claim_id


SEED_DOC = "2025-03-20_seed_trump_zelenskyy_call"
"""The seed article's document id in the claims ledger."""


def document(claims: pd.DataFrame, source_doc: str = SEED_DOC) -> pd.DataFrame:
    """The claims of one source document (default the seed article): the ledger holds many."""
    return claims[claims["source_doc"] == source_doc].reset_index(drop=True)


def timeline_data(claims: pd.DataFrame, tz: str = UTC) -> pd.DataFrame:
    """What :func:`claims_timeline` draws, one row per claim: its lane, bar (``start``, ``end``),
    marker (``middle``) and label, in ``tz``. A bar never runs past its source's latest possible
    publication (``said_to`` is cut there by the claims table; cut again here for other frames)."""
    frame = claims.sort_values(["said_from", "claim_id"], kind="stable").reset_index(drop=True)
    order = list(dict.fromkeys(frame["claimant"]))  # first speaker on top
    frame = frame.assign(group=frame["claimant"].map({c: k for k, c in enumerate(order)}))
    frame = frame.sort_values(["group", "said_from", "claim_id"], kind="stable").reset_index(drop=True)
    end = frame[["said_to", "source_published_to"]].min(axis=1)
    start = frame["said_from"].dt.tz_convert(tz)
    end = end.dt.tz_convert(tz)
    return pd.DataFrame({
        "claim_id": frame["claim_id"], "claimant": frame["claimant"], "claimant_name": frame["claimant_name"],
        "claimant_side": frame["claimant_side"], "claim_type": frame["claim_type"],
        "reported": frame["speaker"] != frame["claimant"], "lane": range(len(frame)), "group": frame["group"],
        "start": start, "end": end, "middle": start + (end - start) / 2,
        "label": [_short_label(c, d) for c, d in zip(frame["claim_id"], frame["source_doc"], strict=True)],
        "source_published_from": frame["source_published_from"].dt.tz_convert(tz),
        "source_published_to": frame["source_published_to"].dt.tz_convert(tz),
        "source_published_stamp": frame["source_published_stamp"],
        "source_published_tz": frame["source_published_tz"],
    })


def claims_timeline(claims: pd.DataFrame, tz: str = UTC, title: str | None = None) -> matplotlib.figure.Figure:
    """Timeline of ``claims`` (the tidy claims table) in time zone ``tz``: one lane per claim."""
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    data = timeline_data(claims, tz)
    lanes = len(data)
    with new_figure(figsize=(11, LANE_INCHES * lanes + 2.4), source=credit("claims"), layout="constrained") as fig:
        ax = fig.subplots()
        sources = data.drop_duplicates(["source_published_from", "source_published_to"])
        for src in sources.itertuples():
            ax.axvspan(src.source_published_from, src.source_published_to, color="#bbbbbb", alpha=0.25,
                       linewidth=0, zorder=0, gid="published")
            zone = ("zone not stated: any reading\nfrom UTC+14 to UTC-12" if src.source_published_tz == "unknown"
                    else src.source_published_tz)
            ax.text(src.source_published_from, -2.9, f" source published somewhere in this band:\n stamp "
                    f"'{src.source_published_stamp}',\n {zone.replace(chr(10), chr(10) + ' ')}", fontsize=6.5,
                    va="top", ha="left", gid="published_label")
        for row in data.itertuples():  # a few dozen curated claims, one lane each
            colour = SIDE_COLOURS.get(row.claimant_side, "#333333")
            gid = f"claim:{row.claim_id}"
            ax.plot([row.start, row.end], [row.lane, row.lane], color=colour, alpha=0.35, linewidth=3,
                    solid_capstyle="butt", gid=gid)
            ax.plot([row.middle], [row.lane], marker=TYPE_MARKERS.get(row.claim_type, "o"), color=colour,
                    markerfacecolor="white" if row.reported else colour, markersize=5, linestyle="none", gid=gid)
            ax.text(row.end, row.lane, f"  {row.label}", fontsize=6, va="center", ha="left", color="#333333")
        groups = data.groupby("group", sort=True)
        ax.set_yticks([g["lane"].mean() for _, g in groups], [g["claimant_name"].iloc[0] for _, g in groups],
                      fontsize=8)
        for _, g in groups:
            ax.axhline(g["lane"].max() + 0.5, color="#dddddd", linewidth=0.6, zorder=0)
        ax.set_ylim(lanes - 0.5, -3.0)
        left = data["start"].min().floor("D")
        right = data["source_published_to"].max().ceil("D") + pd.Timedelta(days=1)
        ax.set_xlim(left, right)
        ax.xaxis.set_major_locator(mdates.DayLocator(tz=tz))
        ax.xaxis.set_minor_locator(mdates.HourLocator(byhour=[6, 12, 18], tz=tz))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b", tz=tz))
        ax.set_xlabel(f"time the statement was made ({tz}); bar = its stated precision (minute, local day, "
                      "+-1 day), cut at the source's latest possible publication")
        ax.set_title(title or "Who said what, when")
        sides = [Line2D([], [], color=c, marker="s", linestyle="none", label=s) for s, c in SIDE_COLOURS.items()
                 if s in set(data["claimant_side"])]
        types = [Line2D([], [], color="#333333", marker=m, linestyle="none", label=t)
                 for t, m in TYPE_MARKERS.items() if t in set(data["claim_type"])]
        if data["reported"].any():
            types.append(Line2D([], [], color="#333333", marker="o", markerfacecolor="white", linestyle="none",
                                label="hollow: reported by another speaker"))
        types.append(Patch(color="#bbbbbb", alpha=0.4, label="source published (interval)"))
        first = ax.legend(handles=sides, title="claimant's side (colour)", loc="upper left",
                          bbox_to_anchor=(1.01, 1.0), fontsize=7, title_fontsize=7)
        ax.add_artist(first)
        ax.legend(handles=types, title="claim type (marker)", loc="upper left", bbox_to_anchor=(1.01, 0.62),
                  fontsize=7, title_fontsize=7)
        ax.grid(axis="y", alpha=0.0)
    return fig


# --- the nights around the seed's numbers, both sides --------------------------------------------

CONTEXT_DAYS = 5
"""Nights shown on each side of the highlighted night."""
_LAUNCH_GROUPS = {"drones": CLASS_GROUPS["drone"], "missiles": CLASS_GROUPS["missile"]}


def launches_by_group(strikes: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    """The Air Force's national launches per Kyiv attribution date, drones and missiles apart (and
    ``other``: guided bombs, unknown, mixed bundles): from
    :func:`ceasefire_stats.panels.strikes.daily_panel`; a night without a report stays missing."""
    panel = panels_strikes.daily_panel(strikes, bodies=[NATIONAL_BODY])["launched"][NATIONAL_BODY]
    panel = panel.loc[pd.Timestamp(first):pd.Timestamp(last)]
    out = pd.DataFrame(index=pd.date_range(first, last, freq="D", name="attribution_date"))
    grouped = {c for g in _LAUNCH_GROUPS.values() for c in g}
    groups = {**_LAUNCH_GROUPS, "other": tuple(c for c in panel.columns if c not in grouped)}
    for name, classes in groups.items():
        cols = [c for c in classes if c in panel.columns]
        out[name] = panel[cols].sum(axis=1, min_count=1).reindex(out.index) if cols else pd.NA
    return out.astype("Int64")


def nights_in_context(strikes: pd.DataFrame, mod_posts: pd.DataFrame, night: str = "2025-03-19",
                      days: int = CONTEXT_DAYS, claims: pd.DataFrame | None = None) -> matplotlib.figure.Figure:
    """The nights around ``night`` from both sides, on two panels with their own axes:
    Russian weapons launched at Ukraine (Air Force national reports, drones and missiles stacked
    apart, Kyiv dates) and Ukrainian drones the MoD claims destroyed over Russia and occupied areas
    (:func:`ceasefire_stats.panels.mod.daily_interceptions`, Moscow dates). With ``claims``, each
    count claim of that night is marked on the panel of its direction (``launched`` ``ru_to_ua`` on
    the first, ``intercepted`` ``ua_to_ru`` on the second), labelled with whose claim it is."""
    import matplotlib.dates as mdates

    centre = pd.Timestamp(night)
    first, last = centre - pd.Timedelta(days=days), centre + pd.Timedelta(days=days)
    launches = launches_by_group(strikes, str(first.date()), str(last.date()))
    mod = panels_mod.daily_interceptions(mod_posts).reindex(launches.index)
    colours = {"drones": "#d62728", "missiles": "#7f0000", "other": "#f4a582"}
    with new_figure(figsize=(9, 6.2), source=credit("airforce_strikes", "mod_posts", "claims"),
                    layout="constrained") as fig:
        top, bottom = fig.subplots(2, 1)
        bottom_edge = pd.Series(0, index=launches.index, dtype="float")
        for name in ("drones", "missiles", "other"):
            values = launches[name].astype("float")
            if values.notna().any() and values.fillna(0).sum() > 0:
                top.bar(launches.index, values.fillna(0), bottom=bottom_edge, color=colours[name], width=0.7,
                        label=f"{name} launched")
                bottom_edge = bottom_edge + values.fillna(0)
        missing = launches.isna().all(axis=1)
        for day in launches.index[missing]:
            top.text(day, 0, "no report", rotation=90, fontsize=7, ha="center", va="bottom", color="#777777")
        top.set_title("Russian weapons launched at Ukraine per night (Ukrainian Air Force, national reports; "
                      "Kyiv date the night ends)", fontsize=9)
        top.set_ylabel("weapons launched (count)")
        values = mod["drones_destroyed"]
        bottom.bar(values.index, values.fillna(0), color="#0057b7", width=0.7,
                   label="drones claimed destroyed (all reports of the day)")
        for day in values.index[values.isna()]:
            bottom.text(day, 0, "no report", rotation=90, fontsize=7, ha="center", va="bottom", color="#777777")
        bottom.set_title("Ukrainian drones the Russian MoD claims it destroyed over Russia and occupied areas, "
                         "per Moscow date", fontsize=9)
        bottom.set_ylabel("drones claimed destroyed (count)")
        if claims is not None:
            counts = claims[(claims["claim_type"] == "count") & (claims["attribution_date"] == centre)
                            & claims["value_stated"].notna()]
            targets = ((top, (counts["direction"] == "ru_to_ua") & (counts["count_metric"] == "launched")
                        & counts["count_regions"].isna()),
                       (bottom, (counts["direction"] == "ua_to_ru") & (counts["count_metric"] == "intercepted")))
            for ax, mask in targets:
                for claim in counts[mask].itertuples():
                    ax.plot([centre - pd.Timedelta(hours=9), centre + pd.Timedelta(hours=9)],
                            [claim.value_stated] * 2, color="black", linewidth=1.6)
                    ax.annotate(f"{claim.claimant_name}: \"{claim.count_number_text}\" {claim.count_noun} "
                                f"{claim.count_metric}", (centre + pd.Timedelta(hours=9), claim.value_stated),
                                xytext=(4, 6), textcoords="offset points", fontsize=7.5,
                                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none",
                                      "alpha": 0.85})
        for ax in (top, bottom):
            ax.axvspan(centre - pd.Timedelta(hours=12), centre + pd.Timedelta(hours=12), color="#ffdd55",
                       alpha=0.3, linewidth=0, zorder=0)
            ax.set_xlim(first - pd.Timedelta(hours=12), last + pd.Timedelta(hours=12))
            ax.legend(fontsize=7, loc="upper left")
            ax.tick_params(axis="x", labelsize=7)
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
        bottom.set_xlabel(f"attribution date (shaded: the night ending {centre:%d %b %Y}); "
                          "two claimants, two directions: never compared on one axis")
    return fig
