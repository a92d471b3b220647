"""Figures: the one way to make a figure (:func:`new_figure`: bundled style, released from
pyplot, a credit footer), the one way to credit a source (:func:`credit`), the one way to shade
truce windows on a daily axis (:func:`shade_windows`), and the one deterministic save function.

**Credits.** Every figure carries a footer line naming its sources and their licences
(``new_figure(..., source=credit("airforce_strikes"))``). The text is built from the raw-data
registry (``producer``/``attribution``/``licence`` of :func:`ceasefire_stats.core.sources.registry`)
or, for the project's own curated data, from :data:`CURATED`: never typed per figure.

:func:`save_figure` writes SVG and PNG with no embedded dates or random ids
(``metadata={"Date": None}``, ``svg.hashsalt`` in the style), so a rebuild on the same
matplotlib and FreeType versions changes no bytes.
"""

from __future__ import annotations

import contextlib
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path

import matplotlib
import pandas as pd

from ceasefire_stats.core import paths
from ceasefire_stats.core.files import atomic_write
from ceasefire_stats.core.sources import get_source
from ceasefire_stats.nights import KYIV

STYLE = Path(__file__).resolve().parent / "ceasefire.mplstyle"
_METADATA = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def figures_dir() -> Path:
    """Where figures are saved: :func:`ceasefire_stats.core.paths.figures_dir`."""
    return paths.figures_dir()


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Context manager applying the bundled style."""
    import matplotlib.pyplot as plt

    with plt.style.context(str(STYLE)):
        yield


CURATED: dict[str, tuple[str, str]] = {
    "claims": ("curated claims ledger (ceasefire-stats), from the cited public statements", "MIT (ceasefire-stats)"),
    "calendar": ("ceasefire calendar curated by ceasefire-stats from the statements cited per window",
                 "MIT (ceasefire-stats)"),
}
"""The project's own curated data a figure can credit: name -> (what it is, licence)."""

CREDIT_STYLE = {"fontsize": 6.5, "color": "#555555"}
BODY_NAMES: dict[str, str] = {
    "air_force": "Air Force (national)",
    "pvk_pivden": "Air Command South",
    "pvk_shid": "Air Command East",
    "pvk_zahid": "Air Command West",
    "pvk_center": "Air Command Centre",
    "general_staff": "General Staff of the AFU",
    "cincafu": "Commander-in-Chief of the AFU",
    "chief_ukr_diu": "Defence Intelligence (HUR) chief",
    "kharkiv_ova": "Kharkiv regional administration",
    "war_monitor": "war_monitor (unofficial channel)",
    "combined": "national, else regional commands",
}
"""Readable names of the reporting bodies (``vocab.REPORTING_BODIES``) for axes and legends."""


def _short_licence(licence: str) -> str:
    """The licence's name without the registry's qualifications.

    >>> _short_licence("CC BY-NC-SA 4.0 (as stated by third-party mirrors)")
    'CC BY-NC-SA 4.0'
    >>> _short_licence("Not stated for the data (origin README: ...); texts are official posts")
    'not stated'
    """
    head = licence.split(" (")[0].split(";")[0].strip()
    return "not stated" if head.lower().startswith("not stated") else head


def credit(*names: str) -> str:
    """The footer credit of a figure drawn from registry sources or :data:`CURATED` data.

    Registry sources give ``attribution`` and the licence's name (qualifications are in
    ``docs``/``cs.status()``); curated names give their description and licence.

    >>> credit("sicily")
    'Source: Lopez Bernal J, Cummins S, Gasparrini A (2017), Int J Epidemiol 46(1):348-355 (licence: not stated)'
    >>> credit("claims").startswith("Source: curated claims ledger (ceasefire-stats)")
    True
    """
    if not names:
        raise ValueError("credit() needs at least one source name")
    parts = []
    for name in names:
        if name in CURATED:
            what, licence = CURATED[name]
        else:
            source = get_source(name)
            what, licence = source.attribution, _short_licence(source.licence)
        parts.append(f"{what} (licence: {licence})")
    return "Source: " + " | ".join(parts)


def add_credit(fig: matplotlib.figure.Figure, text: str) -> None:
    """Write ``text`` as a footer below the figure (the saved image's tight box includes it),
    wrapped to the figure's width."""
    width = max(40, int(fig.get_figwidth() * 72 / (CREDIT_STYLE["fontsize"] * 0.52)))
    fig.text(0.005, -0.005, textwrap.fill(text, width), ha="left", va="top", gid="credit", **CREDIT_STYLE)


def figure_credit(fig: matplotlib.figure.Figure) -> str | None:
    """The credit footer of a figure made by :func:`new_figure` (None if it has none)."""
    texts = [t.get_text() for t in fig.texts if t.get_gid() == "credit"]
    return texts[0] if texts else None


@contextlib.contextmanager
def new_figure(figsize: tuple[float, float], source: str | None = None,
               **options: object) -> Iterator[matplotlib.figure.Figure]:
    """The one way to make a figure: drawn inside this block in the bundled style, created
    through pyplot (which loads a notebook's inline backend, so a figure shown as a cell's
    value renders as PNG) and released from pyplot at once (shown exactly once, by the cell's
    value, and never leaking between cells or piling up in a script). ``options`` go to
    :func:`matplotlib.pyplot.figure` (e.g. ``layout="constrained"``).

    ``source`` is the credit footer, by convention always given and always built by
    :func:`credit` (``tests/plots`` checks every figure function of the package passes it);
    it is written when the block ends, below everything drawn.

    >>> with new_figure((4, 3), source=credit("sicily")) as fig:
    ...     _ = fig.subplots().plot([0, 1], [1, 2])
    >>> import matplotlib.pyplot as plt
    >>> plt.get_fignums(), figure_credit(fig)[:20]
    ([], 'Source: Lopez Bernal')
    """
    import matplotlib.pyplot as plt

    with style():
        fig = plt.figure(figsize=figsize, **options)
        plt.close(fig)
        yield fig
        if source:
            add_credit(fig, source)


def shade_windows(ax, windows: pd.DataFrame, tz: str = KYIV,
                  statuses: Iterable[str] = ("in_force", "disputed"), last_date=None,
                  bars: bool = False, label: bool = True) -> None:
    """Shade truce windows (the ``ceasefire_windows`` table) on a daily axis of attribution dates.

    Each definition is turned into attribution dates by the analysis' one rule
    (:func:`ceasefire_stats.analysis.windows.window_dates` in ``tz``, the zone of the series'
    dates) and shaded from half a day before its first date to half a day after its last, so
    a one-night truce is one day wide. Disputed windows' definitions overlap: where they agree
    the shade is darker. A definition with an open end is not shaded (it would paint every later
    month): its first date is marked by a dashed line; with ``bars=True`` its bar runs to
    ``last_date`` (default: the axis' right edge) and says "open end".
    Only ``statuses`` are drawn (default: declared national truces, ``in_force``/``disputed``).
    ``bars=True`` also draws each definition as a thin labelled bar at the top of the axes
    (for zoomed panels). ``label=True`` adds one legend entry per status.
    """
    import matplotlib.dates as mdates

    from ceasefire_stats.analysis.windows import window_dates

    colours = {"in_force": "#2ca02c", "disputed": "#ff7f0e", "local_only": "#9467bd",
               "proposed_never_began": "#7f7f7f"}
    rows = windows[windows["status"].isin(list(statuses)) & windows["start"].notna()]
    if last_date is None:
        last_date = mdates.num2date(ax.get_xlim()[1]).replace(tzinfo=None)
    last = pd.Timestamp(last_date)
    half = pd.Timedelta(hours=12)
    seen: set[str] = set()
    bar_rows = rows.sort_values(["window_id", "definition"]).reset_index(drop=True)
    per_window: dict[str, int] = {}
    for row in bar_rows.itertuples():  # a calendar of a few dozen rows
        end = row.end
        if pd.isna(end):
            end = (last + pd.Timedelta(days=1, hours=12)).tz_localize(tz)
        dates = window_dates(row.start, end, tz)
        if len(dates) == 0:
            continue
        first, final = dates[0] - half, dates[-1] + half
        colour = colours.get(row.status, "#7f7f7f")
        if pd.isna(row.end):
            legend = "start of an open-ended truce" if label and "open" not in seen else None
            seen.add("open")
            ax.axvline(first, color=colour, linestyle="--", linewidth=0.9, label=legend, zorder=0)
        else:
            legend = f"truce window ({row.status.replace('_', ' ')})" if label and row.status not in seen else None
            seen.add(row.status)
            ax.axvspan(first, final, color=colour, alpha=0.15, linewidth=0, label=legend, zorder=0)
        if bars:
            k = per_window.get(row.window_id, 0)
            per_window[row.window_id] = k + 1
            y = 0.97 - 0.07 * k
            ax.plot([first, final], [y, y], transform=ax.get_xaxis_transform(), color=colour,
                    linewidth=2.5, solid_capstyle="butt", clip_on=False)
            if pd.isna(row.end):  # labelled at its start: its end is off the axis
                ax.text(first, y + 0.035, f"{row.definition} (open end) ->", transform=ax.get_xaxis_transform(),
                        fontsize=6.5, va="center", ha="left", color=colour, clip_on=True)
            else:
                ax.text(final, y, f" {row.definition}", transform=ax.get_xaxis_transform(),
                        fontsize=6.5, va="center", ha="left", color=colour, clip_on=True)


def save_figure(fig: matplotlib.figure.Figure, name: str, formats: tuple[str, ...] = ("svg", "png")) -> list[Path]:
    """Save ``fig`` as ``figures/<name>.<fmt>`` atomically and reproducibly; return the paths
    relative to the figures folder (no machine paths in notebook outputs)."""
    out = figures_dir()
    written = []
    with style(), matplotlib.rc_context({"svg.hashsalt": "ceasefire-stats"}):
        for fmt in formats:
            target = out / f"{name}.{fmt}"
            with atomic_write(target) as tmp:
                fig.savefig(tmp, format=fmt, metadata=_METADATA.get(fmt))
            written.append(Path(target.name))
    return written
