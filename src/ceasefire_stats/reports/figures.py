"""Every chart of the package, written to the figures folder from the library, without notebooks.

:data:`FIGURES` maps a figure's name (its file stem under ``figures/``) to a function of the
loaded tables (a dict by table name) returning a matplotlib figure; :func:`write_all` loads the
tables once (``cs.load``), draws every figure and saves it as SVG and PNG through
:func:`ceasefire_stats.plots.figure.save_figure` (no dates, fixed SVG hash salt, bundled
style): a rebuild on the same library versions changes no byte. The notebooks draw the same
figures with the same functions and names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import matplotlib.figure
import pandas as pd

from ceasefire_stats.analysis import reference, truce_summary
from ceasefire_stats.analysis.truce_effects import daily_series
from ceasefire_stats.nights import UTC
from ceasefire_stats.panels import mod as panels_mod
from ceasefire_stats.panels import strikes as panels_strikes
from ceasefire_stats.plots import claims as plot_claims
from ceasefire_stats.plots import mod as plot_mod
from ceasefire_stats.plots import reference as plot_reference
from ceasefire_stats.plots import strikes as plot_strikes
from ceasefire_stats.plots import truces as plot_truces
from ceasefire_stats.plots.figure import save_figure
from ceasefire_stats.vocab import NATIONAL_BODY

Tables = dict[str, pd.DataFrame]
PLACEBO_WINDOW = ("energy_moratorium_2025", ("ru_stated", "ua_stated"))
"""The window (and definitions) whose placebo distribution is drawn: the energy moratorium."""
SICILY_MODEL = "quasi-Poisson + 2 harmonic pairs (period 12)"


def strikes_coverage(t: Tables) -> matplotlib.figure.Figure:
    """Days with a report per month and reporting body (Air Force data)."""
    strikes = t["strikes"]
    return plot_strikes.coverage_heatmap(panels_strikes.coverage(strikes), through=strikes["attribution_date"].max())


def strikes_daily_launches(t: Tables) -> matplotlib.figure.Figure:
    """National daily launches by weapon class, truces shaded."""
    panel = panels_strikes.daily_panel(t["strikes"], bodies=[NATIONAL_BODY])
    return plot_strikes.daily_launches(panel, body=NATIONAL_BODY, windows=t["ceasefire_windows"])


def mod_daily(t: Tables) -> matplotlib.figure.Figure:
    """The MoD's claimed drones destroyed per day, truces shaded."""
    return plot_mod.daily_interceptions_figure(panels_mod.daily_interceptions(t["mod_posts"]),
                                               windows=t["ceasefire_windows"])


def nights_in_context(t: Tables) -> matplotlib.figure.Figure:
    """The nights around 19 March 2025 from both sides, on separate panels (the seed's two numbers)."""
    return plot_claims.nights_in_context(t["strikes"], t["mod_posts"], night="2025-03-19", claims=t["claims"])


def claims_timeline(t: Tables) -> matplotlib.figure.Figure:
    """Who said what, when (the seed article's claims ledger), in UTC."""
    return plot_claims.claims_timeline(plot_claims.document(t["claims"]), tz=UTC,
                                       title="Seed article: who said what, when (UTC)")


def _series(t: Tables) -> dict[str, dict[str, pd.Series]]:
    return daily_series(t["strikes"], t["mod_posts"])


def truce_series(t: Tables) -> matplotlib.figure.Figure:
    """Both directions, 2025-2026, truces shaded (separate panels)."""
    return plot_truces.truce_series(_series(t), t["ceasefire_windows"])


CLOSEUP_WINDOWS = ("energy_moratorium_2025", "easter_truce_2025", "victory_day_truce_2025", "winter_pause_2026",
                   "easter_truce_2026")
"""The declared truce windows drawn up close, one figure each (``04_truce_closeup_<window_id>``), in
order of their start: the calendar's declared windows (``plots.truces.window_ids``; a test compares them)."""


def truce_closeup(window_id: str) -> Callable[[Tables], matplotlib.figure.Figure]:
    """The figure function of one declared truce up close: every definition, both directions."""

    def draw(t: Tables) -> matplotlib.figure.Figure:
        return plot_truces.window_closeup(_series(t), t["ceasefire_windows"], window_id)

    draw.__doc__ = f"{window_id} up close: every definition, both directions."
    return draw


def truce_effects_na(t: Tables) -> matplotlib.figure.Figure:
    """Headline rate ratios, missing days missing (policy ``na``)."""
    rows = truce_summary.selected(t["truce_effects"], t["ceasefire_windows"], policy="na")
    return plot_truces.effects_forest(rows, "Rate ratios of the declared truces: missing days stay missing (na)")


def truce_effects_zero(t: Tables) -> matplotlib.figure.Figure:
    """Headline rate ratios, days without a report counted 0 within coverage (policy ``zero``)."""
    rows = truce_summary.selected(t["truce_effects"], t["ceasefire_windows"], policy="zero")
    return plot_truces.effects_forest(rows, "Rate ratios of the declared truces: a day without a report "
                                            "counts 0 (zero)")


def placebo_checks(t: Tables) -> list[truce_summary.PlaceboCheck]:
    """The placebo checks drawn by :func:`truce_placebo`: every series x definition of :data:`PLACEBO_WINDOW`."""
    series = _series(t)
    wid, definitions = PLACEBO_WINDOW
    return [truce_summary.placebo_for_window(series, t["ceasefire_windows"], name, wid, d)
            for name in series for d in definitions]


def truce_placebo(t: Tables) -> matplotlib.figure.Figure:
    """Placebo distributions of the energy moratorium's level change."""
    return plot_truces.placebo_histograms(placebo_checks(t))


def sicily_its(t: Tables) -> matplotlib.figure.Figure:
    """The reference reproduction: fitted vs observed."""
    frame = reference.fitted_and_counterfactual(reference.sicily(), SICILY_MODEL)
    return plot_reference.sicily_fit(frame, SICILY_MODEL)


FIGURES: dict[str, Callable[[Tables], matplotlib.figure.Figure]] = {
    "strikes_coverage": strikes_coverage,
    "strikes_daily_launches_air_force": strikes_daily_launches,
    "mod_daily_interceptions": mod_daily,
    "03_claims_timeline": claims_timeline,
    "03_nights_in_context": nights_in_context,
    "04_truce_series": truce_series,
    **{f"04_truce_closeup_{wid}": truce_closeup(wid) for wid in CLOSEUP_WINDOWS},
    "04_truce_effects_na": truce_effects_na,
    "04_truce_effects_zero": truce_effects_zero,
    "04_truce_placebo_energy_moratorium": truce_placebo,
    "05_sicily_its": sicily_its,
}
"""Figure name (file stem) -> function of the loaded tables."""

TABLES = ("strikes", "mod_posts", "claims", "ceasefire_windows", "truce_effects")
"""The tables the figures read."""


def load_tables(names: Iterable[str] = TABLES) -> Tables:
    """The tables by name, through :func:`ceasefire_stats.pipeline.load` (built when missing or stale)."""
    from ceasefire_stats.pipeline import load

    return {name: load(name) for name in names}


def write_all(names: Iterable[str] | None = None, tables: Tables | None = None,
              formats: tuple[str, ...] = ("svg", "png")) -> list[Path]:
    """Draw and save every figure of :data:`FIGURES` (or those named); return the file names
    written, relative to the figures folder (``CEASEFIRE_STATS_FIGURES``)."""
    chosen = list(FIGURES) if names is None else list(names)
    unknown = sorted(set(chosen) - set(FIGURES))
    if unknown:
        from ceasefire_stats.core.errors import CeasefireStatsError

        raise CeasefireStatsError(f"unknown figures {unknown}; known: {', '.join(FIGURES)}")
    tables = load_tables() if tables is None else tables
    written: list[Path] = []
    for name in chosen:
        written.extend(save_figure(FIGURES[name](tables), name, formats=formats))
    return written
