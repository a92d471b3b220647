"""The ``truce_effects`` table: every declared truce window, under every definition, against the
daily series of both directions, with every disputed choice as a row (:func:`sensitivity`).

Series (one per direction and claimant, never one comparison):

- ``ru_to_ua_drones_launched``: drones launched at Ukraine per night, the Air Force's national
  count (classes of ``vocab.CLASS_GROUPS["drone"]``), Kyiv attribution dates;
- ``ru_to_ua_missiles_launched``: missiles launched at Ukraine, same source (``"missile"`` group);
- ``ua_to_ru_drones_claimed_destroyed``: Ukrainian drones the Russian MoD claims destroyed,
  Moscow attribution dates (overlapping reports left out, :mod:`ceasefire_stats.panels.mod`).

Each under both missing-day policies (``na``: a day without a report is missing; ``zero``: 0
within the source's coverage). Grain: one row per series x policy x window definition x
baseline length x estimator/comparison x model family, or one row with a ``note`` where no
estimate exists (a proposal that never began, a window outside the series).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ceasefire_stats.analysis.analysis_plan import check_against, read_plan
from ceasefire_stats.analysis.errors import AnalysisError
from ceasefire_stats.analysis.sensitivity_table import COLUMNS as SENSITIVITY_COLUMNS
from ceasefire_stats.analysis.sensitivity_table import _window_span, began_spans, sensitivity
from ceasefire_stats.analysis.window_effect import window_effect
from ceasefire_stats.core.fields import Field, cast, define, schema
from ceasefire_stats.core.step import StepInputs, StepResult
from ceasefire_stats.nights import KYIV, MOSCOW
from ceasefire_stats.panels import mod as panels_mod
from ceasefire_stats.panels import strikes as panels_strikes
from ceasefire_stats.vocab import AIR_FORCE, CLASS_GROUPS, NATIONAL_BODY, RU_MOD, SOURCE_CLAIMANTS

POLICIES = ("na", "zero")
SERIES: dict[str, tuple[str, str]] = {
    "ru_to_ua_drones_launched": (AIR_FORCE, KYIV),
    "ru_to_ua_missiles_launched": (AIR_FORCE, KYIV),
    "ua_to_ru_drones_claimed_destroyed": (RU_MOD, MOSCOW),
}
"""Series name -> (claimant, the zone of its attribution dates)."""
BOUNDS: dict[str, tuple[str, str]] = {
    "ua_to_ru_drones_claimed_destroyed_low": ("ua_to_ru_drones_claimed_destroyed", "drones_destroyed_low"),
    "ua_to_ru_drones_claimed_destroyed_high": ("ua_to_ru_drones_claimed_destroyed", "drones_destroyed_high"),
}
"""Bound series of the MoD's overlapping reports (:func:`ceasefire_stats.panels.mod.daily_interceptions`):
name -> (the series it bounds, its column). Their rows are kept only for windows where the bound
differs from the series on the window or its longest baseline."""

NEEDS = ("strikes", "mod_posts", "ceasefire_windows")
CURATED = "analysis_plan"

_NUMBER = {"unit": "", "nullable": True}
define(
    Field("series", "str", "daily series the row estimates on (see analysis.truce_effects.SERIES)", nullable=False),
    Field("policy", "str", "missing-day policy: 'na' (no report = missing) or 'zero' (0 within coverage)",
          nullable=False, checks=(pa.Check.isin(list(POLICIES)),)),
    Field("window_id", "str", "truce window id (ceasefire_windows)", nullable=False),
    Field("definition", "str", "which definition of the window (disputed boundaries are siblings)", nullable=False),
    Field("status", "str", "the window's status (vocab.TRUCE_STATUSES)", nullable=False),
    Field("scope", "str", "the window's scope (vocab.TRUCE_SCOPES)", nullable=False),
    Field("window_first_date", "datetime64[us]", "first attribution date inside the window"),
    Field("window_last_date", "datetime64[us]", "last attribution date inside the window"),
    Field("window_days", "float64", "days in the window", unit="days"),
    Field("baseline_days", "float64", "length of the comparison period before (and after) the window", unit="days"),
    Field("estimator", "str", "before_after or its (interrupted time series)", nullable=True),
    Field("comparison", "str", "what the rate ratio compares (window_vs_before, window_vs_after, level...)"),
    Field("family", "str", "count model: poisson, quasipoisson or nb"),
    Field("rate_ratio", "float64", "the window's daily rate over the comparison's", unit="ratio"),
    Field("ci_low", "float64", "lower bound of the 95% interval of rate_ratio", unit="ratio"),
    Field("ci_high", "float64", "upper bound of the 95% interval of rate_ratio (finite when the window has 0 events)",
          unit="ratio"),
    Field("p_value", "float64", "two-sided p-value of rate_ratio = 1"),
    Field("method", "str", "how the interval was computed (exact conditional, HAC, ...)"),
    Field("window_events", "float64", "events counted in the window's observed days", unit="count"),
    Field("window_mean", "float64", "mean per observed day in the window", unit="count/day"),
    Field("baseline_mean", "float64", "mean per observed day in the comparison period", unit="count/day"),
    Field("n_missing_days", "float64", "days without a report in the window and comparison", unit="days"),
    Field("placebo_percentile", "float64", "percentile of the level rate ratio among placebo dates", unit="%"),
    Field("placebo_n", "float64", "number of placebo dates (primary rows: permutation blocks)", unit="count"),
    Field("placebo_p", "float64", "two-sided randomisation p-value of the studentised statistic among placebo "
          "dates, the window counted (+1)"),
    Field("placebo_spans", "float64", "non-overlapping placebo spans (primary rows: non-overlapping blocks)",
          unit="count"),
    Field("placebo_excl_share", "float64", "share of placebo dates whose quasi-Poisson level interval excludes 1",
          unit="share"),
    Field("primary", "bool", "the row the analysis plan declares as the answer for this window and series",
          nullable=False),
    Field("covariance", "str", "how the variance was obtained (model-based, Pearson scale, HAC(lags), design effect)"),
    Field("interval_method", "str", "how the interval was made (Wald, profile likelihood, exact ...)"),
    Field("p_method", "str", "how p_value was computed"),
    Field("reported_share_window", "float64", "share of the window's days with a report (the reporting check)",
          unit="share"),
    Field("reported_share_baseline", "float64", "share of the comparison period's days with a report", unit="share"),
    Field("note", "str", "why there is no estimate, or what was assumed (empty when nothing)"),
)
COLUMNS = ["direction", "claimant", "primary",
           *("window_first_date" if c == "window_start" else "window_last_date" if c == "window_end" else c
             for c in SENSITIVITY_COLUMNS), "p_method", "reported_share_window", "reported_share_baseline"]
SCHEMAS = {"truce_effects": schema("truce_effects", COLUMNS, overrides={"claimant": {"nullable": False}})}


def daily_series(strikes: pd.DataFrame, mod_posts: pd.DataFrame,
                 bounds: bool = False) -> dict[str, dict[str, pd.Series]]:
    """Every series of :data:`SERIES` (and with ``bounds`` of :data:`BOUNDS`) under every policy
    of :data:`POLICIES` (daily, ``asfreq("D")``)."""
    out: dict[str, dict[str, pd.Series]] = {}
    for policy in POLICIES:
        for name, group in (("ru_to_ua_drones_launched", "drone"), ("ru_to_ua_missiles_launched", "missile")):
            panel = panels_strikes.daily_panel(strikes, bodies=[NATIONAL_BODY], classes=list(CLASS_GROUPS[group]),
                                               missing=policy)
            launched = panel["launched"][NATIONAL_BODY].astype("float64").sum(axis=1, min_count=1)
            out.setdefault(name, {})[policy] = launched.asfreq("D")
        daily = panels_mod.daily_interceptions(mod_posts, missing=policy)
        out.setdefault("ua_to_ru_drones_claimed_destroyed", {})[policy] = daily["drones_destroyed"].asfreq("D")
        for name, (_, column) in BOUNDS.items() if bounds else ():
            out.setdefault(name, {})[policy] = daily[column].asfreq("D")
    return out


def _zone(name: str) -> tuple[str, str]:
    return SERIES[BOUNDS[name][0] if name in BOUNDS else name]


def reporting_shares(frame: pd.DataFrame, series: dict[str, dict[str, pd.Series]]) -> pd.DataFrame:
    """``reported_share_window`` and ``reported_share_baseline`` of every row with dates: the
    share of days with a report (the ``na`` series' observed days) in the window and in the
    ``baseline_days`` before and after it. A change in reporting, not in attacks, shows here."""
    out = frame[["reported_share_window", "reported_share_baseline"]].copy()
    todo = frame["window_first_date"].notna() & frame["baseline_days"].notna() & ~frame["primary"].astype(bool)
    for name, group in frame[todo].groupby("series"):
        rep = series[name]["na"].notna().to_numpy()
        cum = np.concatenate([[0], np.cumsum(rep)])
        first = series[name]["na"].index[0]

        def upto(dates, cum=cum, first=first):  # reports on the days strictly before each date
            pos = ((pd.DatetimeIndex(dates) - first) // pd.Timedelta(days=1)).to_numpy()
            return cum[np.clip(pos, 0, len(cum) - 1)].astype(float)

        ws, we = group["window_first_date"], group["window_last_date"] + pd.Timedelta(days=1)
        B = pd.to_timedelta(group["baseline_days"], unit="D")
        out.loc[group.index, "reported_share_window"] = (upto(we) - upto(ws)) / ((we - ws).dt.days.to_numpy())
        out.loc[group.index, "reported_share_baseline"] = ((upto(ws) - upto(ws - B)) + (upto(we + B) - upto(we))) / (
            2 * group["baseline_days"].to_numpy())
    return out


def primary_rows(series: dict[str, dict[str, pd.Series]], windows: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """One row per planned window (:func:`ceasefire_stats.analysis.analysis_plan.read_plan`) and
    series: :func:`window_effect` with the plan's settings, other truces that began excluded
    (:func:`began_spans`), or a row with a ``note`` saying why there is no estimate."""
    rows = []
    for p in plan.to_dict("records"):
        match = windows[(windows["window_id"] == p["window_id"]) & (windows["definition"] == p["definition"])]
        r = match.iloc[0].to_dict()
        for name in [*SERIES, *BOUNDS]:
            claimant, zone = _zone(name)
            y = series[name][p["policy"]]
            reported = series[name]["na"].notna()
            base = {"series": name, "policy": p["policy"], "window_id": r["window_id"], "definition": r["definition"],
                    "status": r["status"], "scope": r.get("scope"), "primary": True, "estimator": "window_effect",
                    "comparison": "window_vs_local_line", "family": p["family"],
                    "baseline_days": p["baseline_days"], "direction": SOURCE_CLAIMANTS[claimant],
                    "claimant": claimant}
            ws, we, note = _window_span(r, y, zone)
            if ws is None:
                rows.append({**base, "note": note})
                continue
            others = [s for s in began_spans(windows[windows["window_id"] != r["window_id"]], zone,
                                             p["exclude_buffer_days"])]
            base.update(window_first_date=ws, window_last_date=we, window_days=(we - ws).days + 1)
            try:
                e = window_effect(y, ws, we, baseline_days=p["baseline_days"], after_days=p["after_days"],
                                  anticipation_days=p["anticipation_days"], rebound_days=p["rebound_days"],
                                  family=p["family"], interval=p["interval"], history_days=p["history_days"],
                                  exclude=others, reported=reported).iloc[0]
            except AnalysisError as exc:
                rows.append({**base, "note": "; ".join(n for n in (note, f"no estimate: {exc}") if n)})
                continue
            n_base = e["baseline_obs_days"]
            rows.append({**base, "rate_ratio": e["rate_ratio"], "ci_low": e["ci_low"], "ci_high": e["ci_high"],
                         "p_value": e["p_value"], "method": e["method"], "covariance": e["covariance"],
                         "interval_method": e["interval_method"], "p_method": e["p_method"],
                         "window_events": e["window_events"],
                         "window_mean": e["window_events"] / e["window_obs_days"],
                         "baseline_mean": e["expected_events"] / e["window_obs_days"],
                         "n_missing_days": float(e["window_days"] - e["window_obs_days"]
                                                 + e["baseline_days_before"] + e["baseline_days_after"] - n_base),
                         "placebo_n": e["n_blocks"], "placebo_spans": e["n_blocks_nonoverlapping"],
                         "reported_share_window": e["reported_share_window"],
                         "reported_share_baseline": e["reported_share_baseline"],
                         "note": "; ".join(n for n in (note, e["note"]) if n)})
    return pd.DataFrame(rows)


def _bound_differs(name: str, series: dict[str, dict[str, pd.Series]], windows: pd.DataFrame,
                   longest: int) -> pd.Series:
    """Per calendar row: does bound series ``name`` differ from the series it bounds, under
    either policy, on the window or ``longest`` days either side (the spans its rows read)?"""
    parent = BOUNDS[name][0]
    _, zone = SERIES[parent]
    out = []
    for r in windows.to_dict("records"):
        ws, we, _ = _window_span(r, series[parent]["na"], zone)
        if ws is None:
            out.append(False)
            continue
        lo, hi = ws - pd.Timedelta(days=longest), we + pd.Timedelta(days=longest)
        out.append(any(not series[name][p].loc[lo:hi].fillna(-1).equals(series[parent][p].loc[lo:hi].fillna(-1))
                       for p in POLICIES))
    return pd.Series(out, index=windows.index)


def _bounds_that_differ(frame: pd.DataFrame, series: dict[str, dict[str, pd.Series]], longest: int) -> pd.Series:
    """False for rows of a bound series whose window and longest baseline equal the series it bounds."""
    keep = pd.Series(True, index=frame.index)
    for name, (parent, _) in BOUNDS.items():
        rows = frame[frame["series"] == name]
        for (_, _, policy), group in rows.groupby(["window_id", "definition", "policy"]):
            first = group["window_first_date"].dropna()
            if first.empty:
                keep[group.index] = False
                continue
            lo = first.min() - pd.Timedelta(days=longest)
            hi = group["window_last_date"].max() + pd.Timedelta(days=longest)
            a, b = series[name][policy].loc[lo:hi], series[parent][policy].loc[lo:hi]
            if a.fillna(-1).equals(b.fillna(-1)):
                keep[group.index] = False
    return keep


def _run(task: tuple) -> pd.DataFrame:
    function, args, kwargs = task
    return function(*args, **kwargs)


def _in_parallel(tasks: list[tuple], workers: int | None) -> list[pd.DataFrame]:
    """``[function(*args, **kwargs) for function, args, kwargs in tasks]``, in order, on up to
    ``workers`` forked processes (default: the machine's cores); serially with one worker, inside a
    daemonic process (which cannot have children), where ``fork`` does not exist, or while other
    Python threads run (e.g. a dask cluster's: forking them is unsafe). Each task is computed
    exactly as it would be serially: the table is the same either way (tested)."""
    import multiprocessing as mp
    import os
    import threading

    n = min(len(tasks), os.cpu_count() or 1 if workers is None else workers)
    if (n <= 1 or mp.current_process().daemon or "fork" not in mp.get_all_start_methods()
            or threading.active_count() > 1):
        return [_run(t) for t in tasks]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(n, mp_context=mp.get_context("fork")) as pool:
        return list(pool.map(_run, tasks))


def truce_effects(strikes: pd.DataFrame, mod_posts: pd.DataFrame, windows: pd.DataFrame,
                  plan: pd.DataFrame | None = None, workers: int | None = None, **options: object) -> pd.DataFrame:
    """The ``truce_effects`` table (module docstring): the primary rows of the analysis ``plan``
    (default: the committed one, :func:`read_plan`), then the specification curve
    (:func:`sensitivity`, ``options`` go to it), the reporting check on every row with dates.
    The primary rows and each series' curve are computed in parallel on ``workers`` processes
    (default: one per core; ``workers=1``: serially), with the same result.

    Assumes the tables' own night rule (attribution dates); each series is read in its claimant's
    zone. Not for comparing the two directions with each other: they are separate rows.
    """
    plan = read_plan() if plan is None else plan
    plan = plan[plan["window_id"].isin(windows["window_id"])]  # a subset of the calendar: its windows only
    check_against(plan, windows)
    series = daily_series(strikes, mod_posts, bounds=True)
    longest = int(max(tuple(options.get("baseline_days", (7, 14, 28))) + tuple(plan["baseline_days"])))
    names = [*SERIES, *BOUNDS]
    tasks = [(primary_rows, (series, windows, plan), {})]
    for name in names:
        chosen = windows if name in SERIES else windows[_bound_differs(name, series, windows, longest)]
        tasks.append((sensitivity, ({name: series[name]}, chosen), {"tz": _zone(name)[1], **options}))
    primary, *curves = _in_parallel(tasks, workers)
    parts = [primary]
    for name, part in zip(names, curves, strict=True):
        claimant, _ = _zone(name)
        parts.append(part.assign(direction=SOURCE_CLAIMANTS[claimant], claimant=claimant, primary=False).rename(
            columns={"window_start": "window_first_date", "window_end": "window_last_date"}))
    frame = pd.concat([p for p in parts if len(p)], ignore_index=True).reindex(columns=COLUMNS)
    frame["primary"] = frame["primary"].fillna(False).astype(bool)
    frame[["reported_share_window", "reported_share_baseline"]] = reporting_shares(frame, series)
    frame = frame[_bounds_that_differ(frame, series, longest)]
    frame["note"] = frame["note"].fillna("")
    return cast(frame, COLUMNS).reset_index(drop=True)


def build(inputs: StepInputs) -> StepResult:
    """Build step ``truce_effects``: the tables it needs and the analysis plan -> every window's estimates."""
    plan = read_plan(inputs.curated[CURATED])
    check_against(plan, inputs.tables["ceasefire_windows"])  # the whole calendar: every planned window exists
    table = truce_effects(*(inputs.tables[t] for t in NEEDS), plan=plan)
    return StepResult(tables={"truce_effects": table}, schemas=SCHEMAS, ledgers=[])
