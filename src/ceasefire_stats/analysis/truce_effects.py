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

import pandas as pd
import pandera.pandas as pa

from ceasefire_stats.analysis.sensitivity_table import COLUMNS as SENSITIVITY_COLUMNS
from ceasefire_stats.analysis.sensitivity_table import sensitivity
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

NEEDS = ("strikes", "mod_posts", "ceasefire_windows")

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
    Field("placebo_n", "float64", "number of placebo dates", unit="count"),
    Field("note", "str", "why there is no estimate, or what was assumed (empty when nothing)"),
)
COLUMNS = ["direction", "claimant", *("window_first_date" if c == "window_start" else "window_last_date"
                                      if c == "window_end" else c for c in SENSITIVITY_COLUMNS)]
SCHEMAS = {"truce_effects": schema("truce_effects", COLUMNS, overrides={"claimant": {"nullable": False}})}


def daily_series(strikes: pd.DataFrame, mod_posts: pd.DataFrame) -> dict[str, dict[str, pd.Series]]:
    """Every series of :data:`SERIES` under every policy of :data:`POLICIES` (daily, ``asfreq("D")``)."""
    out: dict[str, dict[str, pd.Series]] = {}
    for policy in POLICIES:
        for name, group in (("ru_to_ua_drones_launched", "drone"), ("ru_to_ua_missiles_launched", "missile")):
            panel = panels_strikes.daily_panel(strikes, bodies=[NATIONAL_BODY], classes=list(CLASS_GROUPS[group]),
                                               missing=policy)
            launched = panel["launched"][NATIONAL_BODY].astype("float64").sum(axis=1, min_count=1)
            out.setdefault(name, {})[policy] = launched.asfreq("D")
        daily = panels_mod.daily_interceptions(mod_posts, missing=policy)["drones_destroyed"]
        out.setdefault("ua_to_ru_drones_claimed_destroyed", {})[policy] = daily.asfreq("D")
    return out


def truce_effects(strikes: pd.DataFrame, mod_posts: pd.DataFrame, windows: pd.DataFrame,
                  **options: object) -> pd.DataFrame:
    """The ``truce_effects`` table (module docstring); ``options`` go to :func:`sensitivity`.

    Assumes the tables' own night rule (attribution dates); each series is read in its claimant's
    zone. Not for comparing the two directions with each other: they are separate rows.
    """
    series = daily_series(strikes, mod_posts)
    parts = []
    for name, (claimant, zone) in SERIES.items():
        part = sensitivity({name: series[name]}, windows, tz=zone, **options)
        parts.append(part.assign(direction=SOURCE_CLAIMANTS[claimant], claimant=claimant))
    frame = pd.concat(parts, ignore_index=True).rename(
        columns={"window_start": "window_first_date", "window_end": "window_last_date"})
    frame["note"] = frame["note"].fillna("")
    return cast(frame, COLUMNS).reset_index(drop=True)


def build(inputs: StepInputs) -> StepResult:
    """Build step ``truce_effects``: the tables it needs -> every window's estimates."""
    table = truce_effects(*(inputs.tables[t] for t in NEEDS))
    return StepResult(tables={"truce_effects": table}, schemas=SCHEMAS, ledgers=[])
