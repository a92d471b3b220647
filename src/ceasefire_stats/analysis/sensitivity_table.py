"""One table of every disputed choice: window definition x missing-day policy x baseline x family.

Grain of the output of :func:`sensitivity`: one row per series, policy, window definition,
baseline length, estimator/comparison and family (or one row with a ``note`` for a window that
cannot be estimated on a series).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ceasefire_stats.analysis.errors import AnalysisError, ZeroWindowError
from ceasefire_stats.analysis.interrupted import (
    _auto_season,
    its,
    local_level_rr,
    percentile_of,
    placebo,
)
from ceasefire_stats.analysis.rates import _daily, before_after, exact_rate_ratio
from ceasefire_stats.analysis.windows import KYIV, window_dates

DAY = pd.Timedelta(days=1)
# before_after methods and the count model each one assumes (the `family` column)
BEFORE_AFTER_FAMILY = {"exact_conditional": "poisson", "exact_conditional_scaled": "quasipoisson"}
COLUMNS = [
    "series", "policy", "window_id", "definition", "status", "scope", "window_start", "window_end",
    "window_days", "baseline_days", "estimator", "comparison", "family", "rate_ratio", "ci_low",
    "ci_high", "p_value", "method", "window_events", "window_mean", "baseline_mean",
    "n_missing_days", "placebo_percentile", "placebo_n", "note",
]


def _normalise_series(series: Mapping) -> dict[tuple[str, str], pd.Series]:
    """``{(name, policy): Series}`` from any of the accepted shapes.

    >>> s = pd.Series([1.0], index=pd.DatetimeIndex(["2025-01-01"]))
    >>> sorted(_normalise_series({"a": {"na": s, "zero": s}, ("b", "na"): s, "c": s}))
    [('a', 'na'), ('a', 'zero'), ('b', 'na'), ('c', 'as_given')]
    """
    out = {}
    for key, value in series.items():
        if isinstance(key, tuple):
            out[(str(key[0]), str(key[1]))] = value
        elif isinstance(value, Mapping):
            for policy, s in value.items():
                out[(str(key), str(policy))] = s
        else:
            out[(str(key), "as_given")] = value
    return out


def _window_span(row, y: pd.Series, tz: str):
    """(first date, last date, note) of a calendar row on series ``y``; dates None if no estimate."""
    observed = y.index[y.notna().to_numpy()]
    if len(observed) == 0:
        return None, None, "the series has no observed day"
    first_obs, last_obs = observed[0], observed[-1]
    if pd.isna(row["start"]):
        return None, None, f"no start date (status {row['status']}): nothing to estimate"
    note = ""
    end = row["end"]
    if pd.isna(end):
        end = (last_obs + DAY + pd.Timedelta(hours=12)).tz_localize(tz)
        note = f"open end: truncated at the series' last observed date {last_obs.date()}"
    dates = window_dates(row["start"], end, tz)
    if len(dates) == 0:
        return None, None, "the window is shorter than a night: it covers no attribution date"
    ws, we = dates[0], dates[-1]
    if we < first_obs or ws > last_obs:
        return None, None, (f"outside the series' coverage ({first_obs.date()}..{last_obs.date()}): "
                            f"window {ws.date()}..{we.date()}")
    return ws, we, note


def sensitivity(
    series: Mapping,
    windows: pd.DataFrame,
    policies: tuple[str, ...] | None = None,
    baseline_days: tuple[int, ...] = (7, 14, 28),
    families: tuple[str, ...] = ("poisson", "quasipoisson", "nb"),
    tz: str = KYIV,
    placebo_step_days: int = 7,
    with_placebo: bool = True,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Every window definition x missing-day policy x baseline length x family x series, one table.

    ``series``: daily count series (naive attribution-date index), given as
    ``{name: {policy: Series}}`` (e.g. ``{"ru_to_ua_launched_air_force": {"na": s1, "zero": s2}}``),
    or ``{(name, policy): Series}``, or ``{name: Series}`` (policy ``"as_given"``). The caller
    builds one series per missing-day policy; ``policies`` keeps a subset. ``windows``: the
    ``ceasefire_windows`` calendar (``window_id``, ``definition``, ``start``, ``end``,
    ``status``, ``scope``; tz-aware instants), turned into dates by :func:`window_dates` in
    ``tz``. An open end is truncated at the series' last observed date (noted).

    For each baseline length ``B`` the rows are:

    - ``estimator="before_after"``: window vs the ``B`` days before and the ``B`` days after,
      ``exact_conditional`` (family ``poisson``) and ``exact_conditional_scaled`` (family
      ``quasipoisson``), see :func:`before_after`.
    - ``estimator="its_level"``: :func:`its` level change (no slope change) on the local span
      of ``B`` days before to ``B`` days after the window, linear trend, day-of-week dummies
      when the span has 28 observed days or more; ``poisson`` with model-based errors (the
      naive reference), ``quasipoisson`` and ``nb`` with Newey-West errors (automatic lag).
      A window with zero events gets the exact conditional interval against the rest of the
      span instead (``method`` says so, ``note`` explains). ``placebo_percentile``: where the
      window's Poisson level rate ratio falls among :func:`placebo` rate ratios of the same
      local model at non-truce dates (every ``placebo_step_days`` days, excluding every window
      of the calendar), shared by the three family rows.

    A window with no start, outside a series' coverage, or whose days are all missing gets a
    row with a ``note`` instead of an estimate (never dropped).

    Do not read one row as the answer: the table exists to show how much the answer moves
    with the choices. Local spans of 7 days make the trend and day-of-week terms fragile;
    prefer the 14- and 28-day rows and the before/after rows for windows of one to three days.
    """
    data = _normalise_series(series)
    if policies is not None:
        data = {k: v for k, v in data.items() if k[1] in policies}
    need = {"window_id", "definition", "start", "end", "status"}
    if need - set(windows.columns):
        raise AnalysisError(f"windows is missing columns {sorted(need - set(windows.columns))}")
    rows: list[dict] = []
    for (name, policy), raw in data.items():
        y = _daily(raw)
        spans = [(r, *_window_span(r, y, tz)) for r in windows.to_dict("records")]
        exclude = [(ws, we) for _, ws, we, _ in spans if ws is not None]
        cache: dict[tuple[int, int], pd.DataFrame] = {}
        for r, ws, we, note in spans:
            base = {"series": name, "policy": policy, "window_id": r["window_id"],
                    "definition": r["definition"], "status": r["status"], "scope": r.get("scope")}
            if ws is None:
                rows.append({**base, "note": note})
                continue
            base.update(window_start=ws, window_end=we, window_days=(we - ws).days + 1)
            for B in baseline_days:
                rows.extend(_before_after_rows(y, ws, we, B, families, alpha, {**base, "baseline_days": B}, note))
                rows.extend(_its_rows(y, ws, we, B, families, alpha, {**base, "baseline_days": B}, note,
                                      cache, exclude, placebo_step_days if with_placebo else None))
    out = pd.DataFrame(rows).reindex(columns=COLUMNS)
    out["note"] = out["note"].fillna("")
    return out


def _join(*notes: str) -> str:
    return "; ".join(n for n in notes if n)


def _before_after_rows(y, ws, we, B, families, alpha, base, note):
    out = []
    for side in ("before", "after"):
        try:
            ba = before_after(y, ws, we, baseline_days=B, compare=(side,), alpha=alpha)
        except AnalysisError as exc:
            out.append({**base, "estimator": "before_after", "comparison": f"window_vs_{side}",
                        "note": _join(note, f"no estimate: {exc}")})
            continue
        for rec in ba.to_dict("records"):
            family = BEFORE_AFTER_FAMILY[rec["method"]]
            if family not in families:
                continue
            out.append({**base, "estimator": "before_after", "comparison": rec["comparison"],
                        "family": family, "rate_ratio": rec["rate_ratio"], "ci_low": rec["ci_low"],
                        "ci_high": rec["ci_high"], "p_value": rec["p_value"], "method": rec["method"],
                        "window_events": rec["window_events"], "window_mean": rec["window_mean"],
                        "baseline_mean": rec["baseline_mean"], "n_missing_days": rec["n_missing_days"],
                        "note": _join(note, rec["note"])})
    return out


def _its_rows(y, ws, we, B, families, alpha, base, note, cache, exclude, step):
    local = y.loc[ws - B * DAY: we + B * DAY]
    inside = local.loc[ws:we]
    common = {**base, "estimator": "its_level", "comparison": "window_vs_surroundings",
              "n_missing_days": int(local.isna().sum())}
    if inside.notna().sum() == 0 or local.drop(inside.index).notna().sum() == 0:
        return [{**common, "note": _join(note, "no estimate: every day of the window or of its "
                                                "surroundings is missing")}]
    season = _auto_season(local)
    w_events = float(inside.sum())
    surround = local.drop(inside.index).dropna()
    common.update(window_events=w_events, window_mean=float(inside.mean()),
                  baseline_mean=float(surround.mean()))
    pct, n_placebo = np.nan, np.nan
    if step is not None:
        W = int((we - ws).days + 1)
        if (W, B) not in cache:
            cache[(W, B)] = placebo(y, W, exclude=exclude, step_days=step, baseline_days=B)
        dist = cache[(W, B)]["rate_ratio"]
        real = local_level_rr(y, ws, we, B)
        pct, n_placebo = percentile_of(dist, real), len(dist)
    common.update(placebo_percentile=pct, placebo_n=n_placebo)
    out = []
    for family in families:
        try:
            res = its(local, ws, we, family=family, seasonality=season, slope_change=False, diagnostics=False,
                      hac_lags=None if family == "poisson" else "auto", alpha=alpha)
        except ZeroWindowError:
            ex = exact_rate_ratio(0.0, float(inside.notna().sum()), float(surround.sum()),
                                  float(len(surround)), alpha)
            out.append({**common, "family": family, "rate_ratio": ex["rate_ratio"],
                        "ci_low": ex["ci_low"], "ci_high": ex["ci_high"], "p_value": ex["p_value"],
                        "method": "exact_conditional (zero window)",
                        "note": _join(note, "zero events in the window: the GLM level term diverges, "
                                            "exact conditional interval against the whole local span "
                                            "(no trend or day-of-week adjustment)", ex["note"])})
            continue
        except AnalysisError as exc:
            out.append({**common, "family": family, "note": _join(note, f"no estimate: {exc}")})
            continue
        lev = res.effects.iloc[0]
        fit_notes = res.diagnostics["fit_notes"]
        extra = "" if res.diagnostics["converged"] else f"fit did not converge cleanly ({fit_notes[:1]})"
        if family == "nb" and any("boundary" in n for n in fit_notes):
            extra = _join(extra, "NB alpha at the boundary (no overdispersion): same as Poisson")
        out.append({**common, "family": family, "rate_ratio": lev["rate_ratio"], "ci_low": lev["ci_low"],
                    "ci_high": lev["ci_high"], "p_value": lev["p_value"], "method": lev["method"],
                    "note": _join(note, extra)})
    return out
