"""Readable summaries of the ``truce_effects`` table, and the placebo check of one window.

The table has one row per series x policy x window definition x baseline x estimator x family
(:mod:`ceasefire_stats.analysis.truce_effects`): over a thousand rows, every disputed choice
kept. These functions read it; they never re-estimate:

- :func:`headline`: one row per series and declared window definition, for one policy and one
  baseline: the window's and the preceding days' means, the before/after rate ratio
  (``exact_conditional_scaled``: overdispersion-aware) and the local ITS level rate ratio (NB2
  with HAC errors on windows of 28 days or more), each with its 95 % interval, and the placebo percentile.
- :func:`spread`: how far the answer moves with the choices: per series and window definition,
  the range of every estimated rate ratio and how many intervals lie wholly below 1, wholly
  above 1, or contain 1.
- :func:`placebo_for_window`: the placebo distribution of one window definition, with the
  window's own value and percentile (the same local model as the table's ``placebo_percentile``).

Directions are never mixed: every row names its series (direction and claimant).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ceasefire_stats.analysis.interrupted import local_level_rr, percentile_of, placebo
from ceasefire_stats.analysis.sensitivity_table import _window_span, began_spans
from ceasefire_stats.analysis.truce_effects import SERIES

DECLARED_STATUSES = ("in_force", "disputed")
"""Windows declared as national truces (with a start); ``local_only`` and ``proposed_never_began``
windows are in the table with their notes, but are not national truces to test."""

SERIES_LABELS: dict[str, str] = {
    "ru_to_ua_drones_launched": "Russian drones launched at Ukraine (Ukrainian Air Force count)",
    "ru_to_ua_missiles_launched": "Russian missiles launched at Ukraine (Ukrainian Air Force count)",
    "ua_to_ru_drones_claimed_destroyed": "Ukrainian drones claimed destroyed (Russian MoD claim)",
}
SERIES_SHORT: dict[str, str] = {
    "ru_to_ua_drones_launched": "RU->UA drones (AF)",
    "ru_to_ua_missiles_launched": "RU->UA missiles (AF)",
    "ua_to_ru_drones_claimed_destroyed": "UA->RU drones (MoD)",
    "ua_to_ru_drones_claimed_destroyed_low": "UA->RU drones (MoD, low bound)",
    "ua_to_ru_drones_claimed_destroyed_high": "UA->RU drones (MoD, high bound)",
}
SERIES_ZONES: dict[str, str] = {name: zone for name, (_, zone) in SERIES.items()}
"""Series name -> the zone of its attribution dates."""


def declared(windows: pd.DataFrame) -> pd.DataFrame:
    """The calendar rows of national truces that began (status in :data:`DECLARED_STATUSES`)."""
    return windows[windows["status"].isin(DECLARED_STATUSES) & windows["start"].notna()].reset_index(drop=True)


def _interval(rr, lo, hi) -> str:
    """``'0.89 (0.62-1.30)'``; empty when there is no estimate.

    >>> _interval(0.8904, 0.6243, 1.296), _interval(np.nan, np.nan, np.nan)
    ('0.89 (0.62-1.30)', '')
    """
    if pd.isna(rr):
        return ""
    return f"{rr:.2f} ({lo:.2f}-{hi:.2f})"


def selected(effects: pd.DataFrame, windows: pd.DataFrame, policy: str = "na", baseline_days: int = 14,
             its_family: str = "nb") -> pd.DataFrame:
    """The rows :func:`headline` reads, as numbers: for each series and declared window
    definition, the before/after row (window vs the ``baseline_days`` before, scaled exact
    conditional) and the local ITS level row (``its_family``; HAC errors on windows of 28+ days), under ``policy``.
    Rows without an estimate keep their ``note``. Columns as in ``truce_effects``."""
    keys = declared(windows)[["window_id", "definition"]]
    rows = effects[effects["series"].isin(list(SERIES)) & ~effects.get("primary", False)].merge(
        keys, on=["window_id", "definition"])  # the three series' curve rows (bounds: see ``primary``)
    rows = rows[(rows["policy"] == policy)
                & ((rows["baseline_days"] == baseline_days) | rows["estimator"].isna())]
    ba = (rows["estimator"] == "before_after") & (rows["comparison"] == "window_vs_before") & (
        rows["family"].eq("quasipoisson") | rows["family"].isna())
    it = (rows["estimator"] == "its_level") & (rows["family"].eq(its_family) | rows["family"].isna())
    out = rows[ba | it | rows["estimator"].isna()]
    order = {s: k for k, s in enumerate(SERIES_SHORT)}
    out = out.sort_values(["series", "window_id", "definition", "estimator"],
                          key=lambda c: c.map(order) if c.name == "series" else c, kind="stable")
    return out.reset_index(drop=True)


def headline(effects: pd.DataFrame, windows: pd.DataFrame, policy: str = "na", baseline_days: int = 14,
             its_family: str = "nb") -> pd.DataFrame:
    """One row per series and declared window definition (see the module docstring), from
    :func:`selected`.

    Columns: ``series`` (short label), ``window_id``, ``definition``, ``dates`` (first..last
    attribution date), ``days``, ``mean_in`` and ``mean_before`` (per observed day),
    ``before_after`` (window vs the ``baseline_days`` before: rate ratio and 95 % interval,
    exact conditional scaled by the dispersion), ``its_level`` (local ITS level change on
    ``baseline_days`` either side, ``its_family``, HAC errors on 28+ days, or the exact interval for a
    zero-event window), ``placebo_pct`` and ``note``.
    """
    rows = selected(effects, windows, policy, baseline_days, its_family)
    out = []
    for (series, wid, definition), group in rows.groupby(["series", "window_id", "definition"], sort=False):
        ba = group[group["estimator"] == "before_after"]
        it = group[group["estimator"] == "its_level"]
        first = group.iloc[0]
        b = ba.iloc[0] if len(ba) else None
        i = it.iloc[0] if len(it) else None
        dates = "" if pd.isna(first["window_first_date"]) else \
            f"{first['window_first_date']:%Y-%m-%d}..{first['window_last_date']:%m-%d}"
        notes = sorted({n for n in group["note"] if n})
        out.append({
            "series": SERIES_SHORT.get(series, series), "window_id": wid, "definition": definition,
            "dates": dates, "days": first["window_days"],
            "mean_in": np.nan if b is None else b["window_mean"],
            "mean_before": np.nan if b is None else b["baseline_mean"],
            "before_after": "" if b is None else _interval(b["rate_ratio"], b["ci_low"], b["ci_high"]),
            "its_level": "" if i is None else _interval(i["rate_ratio"], i["ci_low"], i["ci_high"]),
            "placebo_pct": np.nan if i is None else i["placebo_percentile"],
            "note": "; ".join(notes),
        })
    frame = pd.DataFrame(out)
    frame["days"] = frame["days"].astype("Int64")
    return frame


def spread(effects: pd.DataFrame, windows: pd.DataFrame) -> pd.DataFrame:
    """Per series and declared window definition, over every estimated row (both policies, every
    baseline, estimator, comparison and family): ``n`` estimates, ``rr_min``, ``rr_median``,
    ``rr_max``, and how many 95 % intervals lie wholly ``below_1``, wholly ``above_1``, or
    ``contain_1``."""
    keys = declared(windows)[["window_id", "definition"]]
    rows = effects.merge(keys, on=["window_id", "definition"]).dropna(subset=["rate_ratio"])
    grouped = rows.assign(below=rows["ci_high"] < 1, above=rows["ci_low"] > 1).groupby(
        ["series", "window_id", "definition"], sort=False)
    out = grouped.agg(n=("rate_ratio", "size"), rr_min=("rate_ratio", "min"), rr_median=("rate_ratio", "median"),
                      rr_max=("rate_ratio", "max"), below_1=("below", "sum"), above_1=("above", "sum"))
    out["contain_1"] = out["n"] - out["below_1"] - out["above_1"]
    out = out.reset_index()
    order = {s: k for k, s in enumerate(SERIES_SHORT)}
    out = out.sort_values(["series", "window_id", "definition"], key=lambda c: c.map(order) if c.name == "series"
                          else c, kind="stable")
    out["series"] = out["series"].map(SERIES_SHORT)
    return out.reset_index(drop=True)


@dataclass
class PlaceboCheck:
    """:func:`placebo_for_window`'s result: the placebo ``distribution`` (one row per placebo
    date, :func:`ceasefire_stats.analysis.placebo`), the real window's level rate ratio
    ``real_rr`` from the same local model, its ``percentile`` among the placebo values, and
    the window's first and last attribution dates."""

    series: str
    window_id: str
    definition: str
    first_date: pd.Timestamp
    last_date: pd.Timestamp
    baseline_days: int
    distribution: pd.DataFrame
    real_rr: float
    percentile: float

    def summary(self) -> pd.Series:
        """The check in one row: series, window, dates, placebo count, real value, percentile."""
        rr = self.distribution["rate_ratio"]
        return pd.Series({
            "series": SERIES_SHORT.get(self.series, self.series), "window": f"{self.window_id} / {self.definition}",
            "dates": f"{self.first_date:%Y-%m-%d}..{self.last_date:%Y-%m-%d}", "baseline_days": self.baseline_days,
            "placebo_n": len(rr), "placebo_median_rr": round(float(rr.median()), 3),
            "placebo_5_95": f"{rr.quantile(0.05):.2f}-{rr.quantile(0.95):.2f}",
            "window_rr": round(self.real_rr, 3), "percentile": round(self.percentile, 1),
        })


def placebo_for_window(series: dict[str, dict[str, pd.Series]], windows: pd.DataFrame, name: str, window_id: str,
                       definition: str, policy: str = "na", baseline_days: int = 28,
                       step_days: int = 7) -> PlaceboCheck:
    """The placebo distribution of one window definition on one series (``series`` as returned
    by :func:`ceasefire_stats.analysis.truce_effects.daily_series`), every real window of the
    calendar that began excluded by the same rule as the ``truce_effects`` table
    (:func:`ceasefire_stats.analysis.sensitivity_table.began_spans`), dates within a year either
    side whose local span has a report on 90 % of its days. The local model is Poisson on ``baseline_days`` either
    side (the point estimate equals the quasi-Poisson one)."""
    y = series[name][policy]
    tz = SERIES_ZONES[name]
    spans = [(r, *_window_span(r, y, tz)) for r in windows.to_dict("records")]
    exclude = began_spans(windows, tz)
    match = [(ws, we) for r, ws, we, _ in spans
             if r["window_id"] == window_id and r["definition"] == definition and ws is not None]
    if not match:
        raise KeyError(f"{window_id}/{definition} has no dates on {name}")
    ws, we = match[0]
    W = int((we - ws).days + 1)
    reported = series[name]["na"].notna() if "na" in series[name] else y.notna()
    span = (ws - 365 * pd.Timedelta(days=1), we + 365 * pd.Timedelta(days=1))
    dist = placebo(y, W, span=span, exclude=exclude, step_days=step_days, baseline_days=baseline_days,
                   reported=reported, min_reported=0.9)
    real = local_level_rr(y, ws, we, baseline_days)
    return PlaceboCheck(name, window_id, definition, ws, we, baseline_days, dist, real,
                        percentile_of(dist["rate_ratio"], real))


def placebo_table(checks: list[PlaceboCheck]) -> pd.DataFrame:
    """One row per :class:`PlaceboCheck` (:meth:`PlaceboCheck.summary`)."""
    return pd.DataFrame([c.summary() for c in checks])


# ---------------------------------------------------------------------------------------------
# the primary answer of each window, and what the curve around it says
# ---------------------------------------------------------------------------------------------
def primary(effects: pd.DataFrame) -> pd.DataFrame:
    """The primary rows (``primary`` is True: declared in the analysis plan), one per window and
    series, readable: ``series`` (short label), ``window_id``, ``definition``, ``dates``, ``days``,
    ``events``, ``estimate`` (``RR (low-high)``), ``ci_low``, ``ci_high``, ``p_value``, ``interval_method``, ``reported``
    (window vs baseline share of days with a report) and ``note``."""
    rows = effects[effects["primary"]]  # in the plan's order of windows
    out = pd.DataFrame({
        "series": rows["series"].map(lambda s: SERIES_SHORT.get(s, s)),
        "window_id": rows["window_id"], "definition": rows["definition"],
        "dates": [("" if pd.isna(a) else f"{a:%Y-%m-%d}..{b:%m-%d}")
                  for a, b in zip(rows["window_first_date"], rows["window_last_date"], strict=True)],
        "days": rows["window_days"].astype("Int64"), "events": rows["window_events"],
        "estimate": [_interval(r, lo, hi) for r, lo, hi in zip(rows["rate_ratio"], rows["ci_low"],
                                                               rows["ci_high"], strict=True)],
        "ci_low": rows["ci_low"], "ci_high": rows["ci_high"],
        "p_value": rows["p_value"].round(3), "interval_method": rows["interval_method"],
        "reported": [("" if pd.isna(w) else f"{w:.0%} vs {b:.0%}")
                     for w, b in zip(rows["reported_share_window"], rows["reported_share_baseline"], strict=True)],
        "note": rows["note"],
    })
    return out.reset_index(drop=True)


def curve(effects: pd.DataFrame, windows: pd.DataFrame) -> pd.DataFrame:
    """The specification curve around each primary row, per series and window (every definition,
    policy, baseline, estimator and family of ``truce_effects`` with an estimate): ``n`` rows,
    ``rr_min``-``rr_max``, ``exclude_1`` (intervals wholly below or above 1) and its share
    ``exclude_1_share``, ``placebo_exclude_share`` (the median, over the curve's ITS rows, of the share
    of placebo dates whose quasi-Poisson level interval excludes 1: what "excludes 1" looks like on
    ordinary dates of the same series) and ``placebo_p_median`` (the median randomisation p-value of
    its ITS rows). The calibration is partial: the placebo reference is the ITS model's, not every
    row's."""
    keys = declared(windows)[["window_id", "definition"]]
    rows = effects[~effects["primary"]].merge(keys, on=["window_id", "definition"]).dropna(subset=["rate_ratio"])
    rows = rows.assign(excl=(rows["ci_high"] < 1) | (rows["ci_low"] > 1))
    out = rows.groupby(["series", "window_id"], sort=False).agg(
        n=("rate_ratio", "size"), rr_min=("rate_ratio", "min"), rr_max=("rate_ratio", "max"),
        exclude_1=("excl", "sum"), placebo_exclude_share=("placebo_excl_share", "median"),
        placebo_p_median=("placebo_p", "median")).reset_index()
    out["series"] = out["series"].map(lambda s: SERIES_SHORT.get(s, s))
    out.insert(out.columns.get_loc("exclude_1") + 1, "exclude_1_share", out["exclude_1"] / out["n"])
    return out


def findings(effects: pd.DataFrame, windows: pd.DataFrame) -> str:
    """The conclusion of notebook 04 as Markdown, every number read from the table: per planned
    window and series, the primary estimate with its interval and p-value, the reporting check,
    the curve around it, and what the data cannot say (rows without an estimate)."""
    prim = primary(effects)
    cur = curve(effects, windows).set_index(["series", "window_id"])
    lines = []
    for wid, group in prim.groupby("window_id", sort=False):
        first = group.iloc[0]
        lines.append(f"- **{wid}** ({first['definition']}, {first['dates'] or 'no dates'}):")
        for r in group.itertuples():
            if not r.estimate:
                lines.append(f"  - {r.series}: no estimate ({r.note.removeprefix('no estimate: ')}).")
                continue
            c = cur.loc[(r.series, wid)] if (r.series, wid) in cur.index else None
            curve_text = "" if c is None else (
                f"; curve: {int(c['n'])} rows, ratios {c['rr_min']:.2f}-{c['rr_max']:.2f}, "
                f"{int(c['exclude_1'])} exclude 1 ({c['exclude_1_share']:.0%}"
                + ("" if pd.isna(c["placebo_exclude_share"]) else
                   f"; at placebo dates {c['placebo_exclude_share']:.0%} of the ITS intervals do") + "), "
                + ("no placebo dates with 90 % of days reported" if pd.isna(c["placebo_p_median"])
                   else f"median placebo p {c['placebo_p_median']:.2f}"))
            change = "excludes no change" if (r.ci_low > 1 or r.ci_high < 1) else "includes no change"
            lines.append(f"  - {r.series}: {r.events:.0f} events, rate ratio {r.estimate} "
                         f"({r.interval_method}; {change}), p = {r.p_value:.3f}; reported {r.reported}"
                         f"{curve_text}.")
    return "\n".join(lines)
