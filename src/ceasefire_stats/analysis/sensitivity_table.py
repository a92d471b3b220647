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
    _design,
    fit_design,
    local_level_z,
    nonoverlapping,
    percentile_of,
    placebo,
    placebo_p_value,
)
from ceasefire_stats.analysis.rates import _daily, before_after_daily, exact_rate_ratio
from ceasefire_stats.analysis.windows import KYIV, window_dates

DAY = pd.Timedelta(days=1)
# before_after methods and the count model each one assumes (the `family` column)
BEFORE_AFTER_FAMILY = {"exact_conditional": "poisson", "exact_conditional_scaled": "quasipoisson"}
COLUMNS = [
    "series", "policy", "window_id", "definition", "status", "scope", "window_start", "window_end",
    "window_days", "baseline_days", "estimator", "comparison", "family", "covariance", "interval_method",
    "rate_ratio", "ci_low", "ci_high", "p_value", "method", "window_events", "window_mean", "baseline_mean",
    "n_missing_days", "placebo_percentile", "placebo_p", "placebo_n", "placebo_spans", "placebo_excl_share", "note",
]
HAC_SHORT = ("no HAC on a window shorter than 28 days: the level term fits the window's mean, so a HAC "
             "interval covers far less than 95 % (tests/analysis/test_window_effect_montecarlo.py)")
BEFORE_AFTER_COVARIANCE = {"exact_conditional": "Poisson (model-based)",
                           "exact_conditional_scaled": "Poisson x Pearson dispersion"}


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
    placebo_span_days: int = 365,
    exclude_buffer_days: int = 7,
    min_reported: float = 0.9,
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
      naive reference), ``quasipoisson`` (Pearson-scaled, model-based) and ``nb`` (Newey-West
      errors with automatic lags on windows of 28 days or more, model-based below: HAC fails there).
      A window with zero events gets the exact conditional interval against the rest of the
      span instead (``method`` says so, ``note`` explains). Placebo columns, shared by the
      family rows: :func:`placebo` dates of the same series every ``placebo_step_days`` days
      within ``placebo_span_days`` either side of the window (the same regime), whose local span
      has a report on at least ``min_reported`` of its days (the ``na`` sibling's reports: under
      ``zero`` the undigitised days are zeros, never placebo material), excluding only the
      truces that began (:func:`began_spans`, ``exclude_buffer_days`` either side);
      ``placebo_percentile`` (the window's level rate ratio among theirs, mid-rank),
      ``placebo_p`` (two-sided randomisation p-value of the studentised statistic, +1
      counted: :func:`placebo_p_value`), ``placebo_n`` dates and ``placebo_spans``, how many of
      their local spans do not overlap, and ``placebo_excl_share``: the share of placebo dates
      whose quasi-Poisson level interval excludes 1 (the null reference of "excludes 1").

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
    exclude = began_spans(windows, tz, exclude_buffer_days)
    for (name, policy), raw in data.items():
        y = _daily(raw)
        sibling = data.get((name, "na"))
        reported = (y.notna() if sibling is None else _daily(sibling).notna()).reindex(y.index, fill_value=False)
        spans = [(r, *_window_span(r, y, tz)) for r in windows.to_dict("records")]
        cache = {"reported": reported, "min_reported": min_reported, "span_days": placebo_span_days}
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


BEGAN = ("in_force", "disputed")
"""Statuses of truces that began nationally: the only windows placebo dates keep clear of."""


def began_spans(windows: pd.DataFrame, tz: str, buffer_days: int = 7) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Date ranges placebo dates must avoid: every definition of a window that began
    (:data:`BEGAN`), widened by ``buffer_days`` either side. An open end takes the latest
    closed end among the window's definitions (else 30 days after the start): never the
    series' end. Proposals that never began and local arrangements are not excluded."""
    out = []
    began = windows[windows["status"].isin(BEGAN) & windows["start"].notna()]
    for _, group in began.groupby("window_id", sort=False):
        closed = group["end"].dropna()
        for r in group.to_dict("records"):
            end = r["end"]
            if pd.isna(end):
                end = closed.max() if len(closed) else r["start"] + pd.Timedelta(days=30)
            dates = window_dates(r["start"], end, tz)
            if len(dates):
                out.append((dates[0] - buffer_days * DAY, dates[-1] + buffer_days * DAY))
    return out


def _join(*notes: str) -> str:
    return "; ".join(n for n in notes if n)


def _before_after_rows(y, ws, we, B, families, alpha, base, note):
    out = []
    for side in ("before", "after"):
        try:
            ba = before_after_daily(y, ws, we, baseline_days=B, compare=(side,), alpha=alpha)
        except AnalysisError as exc:
            out.append({**base, "estimator": "before_after", "comparison": f"window_vs_{side}",
                        "note": _join(note, f"no estimate: {exc}")})
            continue
        for rec in ba.to_dict("records"):
            family = BEFORE_AFTER_FAMILY[rec["method"]]
            if family not in families:
                continue
            out.append({**base, "estimator": "before_after", "comparison": rec["comparison"],
                        "family": family, "covariance": BEFORE_AFTER_COVARIANCE[rec["method"]],
                        "interval_method": "exact conditional (Clopper-Pearson)",
                        "rate_ratio": rec["rate_ratio"], "ci_low": rec["ci_low"],
                        "ci_high": rec["ci_high"], "p_value": rec["p_value"], "method": rec["method"],
                        "window_events": rec["window_events"], "window_mean": rec["window_mean"],
                        "baseline_mean": rec["baseline_mean"], "n_missing_days": rec["n_missing_days"],
                        "note": _join(note, rec["note"])})
    return out


def _its_rows(y, ws, we, B, families, alpha, base, note, cache, exclude, step):
    """The its_level rows of one window and baseline; ``cache`` carries the placebo settings."""
    from scipy import stats

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
    pct, p_placebo, n_placebo, n_spans, excl = np.nan, np.nan, np.nan, np.nan, np.nan
    if step is not None:
        W = int((we - ws).days + 1)
        span = (ws - cache["span_days"] * DAY, we + cache["span_days"] * DAY)
        dist = placebo(y, W, span=span, exclude=exclude, step_days=step, baseline_days=B,
                       reported=cache["reported"], min_reported=cache["min_reported"])
        real_rr, real_z = local_level_z(y, ws, we, B)
        pct, p_placebo, n_placebo = percentile_of(dist["rate_ratio"], real_rr), placebo_p_value(dist["z"], real_z), \
            len(dist)
        n_spans = nonoverlapping(dist["date"] - B * DAY, W + 2 * B)
        if len(dist):  # the null reference of "this interval excludes 1": how often it does at placebo dates
            excl = float((np.abs(dist["z"].to_numpy(dtype=float)) > stats.norm.ppf(1 - alpha / 2)).mean())
    common.update(placebo_percentile=pct, placebo_p=p_placebo, placebo_n=n_placebo, placebo_spans=n_spans,
                  placebo_excl_share=excl)
    out = []
    zero_done = False
    frame = _design(local, ws, we, season, False, None, None, "D")  # once for every family
    memo: dict = {}  # and one Poisson fit: the quasi-Poisson warm start and the NB2 start
    for family in families:
        # poisson: model-based (the naive reference); quasipoisson: Pearson-scaled, model-based
        # (with HAC the scale would cancel: it would be Poisson + HAC); nb: NB2 with HAC errors on
        # windows of 28 days or more, model-based below (HAC fails there: HAC_SHORT)
        hac = "auto" if family == "nb" and int((we - ws).days + 1) >= 28 else None
        try:
            res = fit_design(frame, family=family, hac_lags=hac, alpha=alpha, diagnostics=False, memo=memo)
        except ZeroWindowError:
            if zero_done:  # one exact row, labelled with the model it assumes, not one per family
                continue
            zero_done = True
            ex = exact_rate_ratio(0.0, float(inside.notna().sum()), float(surround.sum()),
                                  float(len(surround)), alpha)
            out.append({**common, "family": "poisson", "covariance": "Poisson (model-based)",
                        "interval_method": "exact conditional (Clopper-Pearson)", "rate_ratio": ex["rate_ratio"],
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
        if family == "nb" and not hac:
            extra = _join(extra, HAC_SHORT)
        cov = {"poisson": "model-based", "quasipoisson": "model-based x Pearson scale"}.get(
            family, lev["cov_type"] if hac else "model-based")
        out.append({**common, "family": family, "covariance": cov, "interval_method": "Wald",
                    "rate_ratio": lev["rate_ratio"], "ci_low": lev["ci_low"],
                    "ci_high": lev["ci_high"], "p_value": lev["p_value"], "method": lev["method"],
                    "note": _join(note, extra)})
    return out
