"""Daily panels of strike reports: date x reporting body x weapon class.

**Dates.** Every entry is placed on its ``attribution_date``, computed once in the cleaner by
the package's single night rule (:func:`ceasefire_stats.nights.attribution_date`: the Kyiv
date of the last instant of the window, so the night 18->19 March counts on 19 March).

**Missing days** (``missing=``). The source lists an entry only when a post with figures was
digitised; a date without an entry for a body and class can mean no attack, a post without
figures, or a post that was not digitised. So:

- ``"na"`` (**default**): every date x body x class without an entry is missing (``<NA>``).
  This is the honest reading of a source whose coverage is not complete: absence of a
  record is not a record of absence. Use it for rates and for anything modelled.
- ``"zero"``: a date x body x class without an entry counts 0 *inside the body's coverage
  span* (its first to last attribution date, any class); outside it stays missing. Use it
  for sums and plots where the caller accepts that gaps are treated as quiet days.

An entry whose own figure is missing (e.g. ``destroyed`` empty upstream) stays missing under
both policies: only the absence of entries is filled.

**No double counting.** The national Air Force posts (overnight windows) and the regional
air commands' daily (date-only) posts report overlapping events; they are separate series
(the ``reporting_body`` column level) and are never added up, unless the caller asks for the
documented combination ``combine="national_first"``: for each date and class, the national
figure when the Air Force has an entry, else the sum of the regional commands' entries
(other bodies are left out); its body label is ``"combined"``.

**Interception rates** (:data:`INTERCEPTION_RATES`): ``destroyed_rate`` = destroyed / launched
and ``stopped_rate`` = (destroyed + not_reach_goal) / launched. ``not_reach_goal`` ("lost from
radar") is reported only from 2024-07, so ``stopped_rate`` is missing before then; both rates
are missing when launched is 0 or missing.

**Night totals** (:func:`night_totals`): one row per date and class group (:data:`NIGHT_GROUPS`:
drone, missile, other), never drones and missiles in one figure; a group's figure with a missing
part is missing, and so is a rate with a missing part.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from ceasefire_stats.vocab import CLASS_GROUPS, NATIONAL_BODY, REGIONAL_COMMANDS, WEAPON_CLASSES

MEASURES: tuple[str, ...] = ("launched", "destroyed", "not_reach_goal")
MISSING_POLICIES: tuple[str, ...] = ("na", "zero")
DEFAULT_MISSING = "na"
COMBINATIONS: dict[str, str] = {
    "national_first": "the Air Force's national figure where it has an entry for the date and "
                      "class, else the sum of the regional air commands' entries",
}
INTERCEPTION_RATES: dict[str, str] = {
    "destroyed_rate": "destroyed / launched",
    "stopped_rate": "(destroyed + not_reach_goal) / launched",
}
_KEYS = ["attribution_date", "reporting_body", "weapon_class"]


def _select(strikes: pd.DataFrame, bodies: Iterable[str] | None, classes: Iterable[str] | None) -> pd.DataFrame:
    frame = strikes
    if bodies is not None:
        frame = frame[frame["reporting_body"].isin(list(bodies))]
    if classes is not None:
        frame = frame[frame["weapon_class"].isin(list(classes))]
    return frame


def _wide(frame: pd.DataFrame, measures: Sequence[str], dates: pd.DatetimeIndex,
          columns: pd.MultiIndex) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sums per cell (missing when every entry's figure is missing) and entry counts."""
    grouped = frame.groupby(_KEYS, sort=True, observed=True)
    sums = grouped[list(measures)].sum(min_count=1).astype("Int64")
    entries = grouped.size().rename("entries")
    wide = sums.unstack(["reporting_body", "weapon_class"])
    wide = wide.reindex(index=dates, columns=pd.MultiIndex.from_product(
        [list(measures), *columns.levels], names=["measure", "reporting_body", "weapon_class"]))
    count = entries.unstack(["reporting_body", "weapon_class"]).reindex(index=dates, columns=columns).fillna(0)
    return wide.astype("Int64"), count.astype("int64")


def daily_panel(
    strikes: pd.DataFrame,
    missing: str = DEFAULT_MISSING,
    bodies: Iterable[str] | None = None,
    classes: Iterable[str] | None = None,
    measures: Sequence[str] = MEASURES,
    combine: str | None = None,
) -> pd.DataFrame:
    """Daily counts: index ``date`` (daily frequency, ``asfreq("D")``), columns
    ``(measure, reporting_body, weapon_class)``, nullable integers.

    ``missing`` is the missing-day policy (module docstring; default ``"na"``), ``bodies`` and
    ``classes`` select series, ``combine="national_first"`` merges the national and regional
    series by the one documented rule. Every body x class pair in the selection gets a column.

    >>> import pandas as pd
    >>> s = pd.DataFrame({"attribution_date": pd.to_datetime(["2025-05-07", "2025-05-11"]),
    ...     "reporting_body": "air_force", "weapon_class": "attack_drone",
    ...     "launched": pd.array([31, 100], dtype="Int64"), "destroyed": pd.array([20, 80], dtype="Int64"),
    ...     "not_reach_goal": pd.array([6, 10], dtype="Int64")})
    >>> daily_panel(s)["launched"]["air_force"]["attack_drone"].tolist()
    [31, <NA>, <NA>, <NA>, 100]
    >>> daily_panel(s, missing="zero")["launched"]["air_force"]["attack_drone"].tolist()
    [31, 0, 0, 0, 100]
    """
    if missing not in MISSING_POLICIES:
        raise ValueError(f"missing must be one of {MISSING_POLICIES}, not {missing!r}")
    if combine is not None and combine not in COMBINATIONS:
        raise ValueError(f"combine must be None or one of {sorted(COMBINATIONS)}, not {combine!r}")
    frame = _select(strikes, bodies, classes)
    if combine == "national_first":
        frame = frame[frame["reporting_body"].isin((NATIONAL_BODY, *REGIONAL_COMMANDS))]
    if frame.empty:
        raise ValueError("no strike entries match the selection")
    dates = pd.date_range(frame["attribution_date"].min(), frame["attribution_date"].max(), freq="D", name="date")
    pairs = pd.MultiIndex.from_product(
        [sorted(frame["reporting_body"].unique()), sorted(frame["weapon_class"].unique())],
        names=["reporting_body", "weapon_class"])
    wide, entries = _wide(frame, measures, dates, pairs)

    span = frame.groupby("reporting_body")["attribution_date"].agg(["min", "max"])
    if combine == "national_first":
        wide, entries, span = _national_first(wide, entries, span, measures)

    if missing == "zero":
        owner = entries.columns.get_level_values("reporting_body")
        first = span["min"].reindex(owner).to_numpy()[None, :]
        last = span["max"].reindex(owner).to_numpy()[None, :]
        day = dates.to_numpy()[:, None]
        fill = entries.eq(0) & ((day >= first) & (day <= last))
        wide = pd.concat({m: wide[m].mask(fill, 0) for m in measures}, axis=1, names=["measure"]).astype("Int64")
    return wide.asfreq("D")


def _national_first(wide: pd.DataFrame, entries: pd.DataFrame, span: pd.DataFrame,
                    measures: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    classes = wide.columns.get_level_values("weapon_class").unique()
    bodies = set(wide.columns.get_level_values("reporting_body"))
    regional = [b for b in REGIONAL_COMMANDS if b in bodies]
    zeros = pd.DataFrame(0, index=wide.index, columns=classes)
    national_entries = entries[NATIONAL_BODY] if NATIONAL_BODY in bodies else zeros
    has_national = national_entries.gt(0)
    out = {}
    for measure in measures:
        national = wide[measure][NATIONAL_BODY] if NATIONAL_BODY in bodies else zeros.astype("Int64").mask(zeros.eq(0))
        parts = [wide[measure][b] for b in regional]
        regional_sum = (pd.concat(parts).groupby(level=0).sum(min_count=1) if parts
                        else national.mask(national.notna()))
        out[measure] = national.where(has_national, regional_sum.reindex_like(national)).astype("Int64")
    combined = pd.concat(out, axis=1, names=["measure", "weapon_class"])
    combined.columns = pd.MultiIndex.from_product([list(measures), ["combined"], list(classes)],
                                                  names=["measure", "reporting_body", "weapon_class"])
    regional_entries = sum((entries[b] for b in regional), zeros)
    combined_entries = national_entries + regional_entries
    combined_entries.columns = pd.MultiIndex.from_product([["combined"], list(classes)],
                                                          names=["reporting_body", "weapon_class"])
    combined_span = pd.DataFrame({"min": [span["min"].min()], "max": [span["max"].max()]}, index=["combined"])
    return combined, combined_entries, combined_span


def interception_rates(panel: pd.DataFrame) -> pd.DataFrame:
    """The two named interception rates of a :func:`daily_panel` (same column layout, level
    ``rate`` instead of ``measure``); missing where launched is 0 or missing."""
    launched = panel["launched"].astype("Float64")
    launched = launched.mask(launched.eq(0))
    destroyed = panel["destroyed"].astype("Float64")
    stopped = destroyed + panel["not_reach_goal"].astype("Float64")
    rates = pd.concat({"destroyed_rate": destroyed / launched, "stopped_rate": stopped / launched},
                      axis=1, names=["rate"])
    return rates.asfreq("D")


def to_long(panel: pd.DataFrame) -> pd.DataFrame:
    """A :func:`daily_panel` as a tidy frame: one row per date x body x class, one column
    per measure."""
    long = panel.stack(["reporting_body", "weapon_class"])
    return long.reset_index().rename_axis(columns=None)


def rolling_mean(panel: pd.DataFrame, window: int = 7, min_periods: int = 4) -> pd.DataFrame:
    """Trailing ``window``-day mean of each column over the days present (missing days are
    skipped, not zeros), defined when at least ``min_periods`` days are present."""
    return panel.astype("float64").rolling(window, min_periods=min_periods).mean().asfreq("D")


def coverage(strikes: pd.DataFrame, freq: str = "MS") -> pd.DataFrame:
    """Days with at least one entry, per period (``freq``, month start by default) and
    reporting body: how much of the calendar each body's series covers."""
    days = strikes[["attribution_date", "reporting_body"]].drop_duplicates()
    period = days["attribution_date"].dt.to_period(freq.removesuffix("S")).dt.start_time
    table = days.assign(period=period).groupby(["period", "reporting_body"]).size().unstack(fill_value=0)
    full = pd.date_range(table.index.min(), table.index.max(), freq=freq, name="period")
    return table.reindex(full, fill_value=0).rename_axis(columns="reporting_body")


REPORT_COLUMNS = ["attribution_date", "reporting_body", "window_start", "window_end", "model",
                  "model_canonical", "weapon_class", "launched", "destroyed", "not_reach_goal"]


def reports_between(strikes: pd.DataFrame, first: str, last: str, bodies: Iterable[str] | None = (NATIONAL_BODY,),
                    columns: Sequence[str] = REPORT_COLUMNS) -> pd.DataFrame:
    """The entries attributed to dates ``first``..``last`` (inclusive), sorted by date, body,
    window and model."""
    frame = _select(strikes, bodies, None)
    dates = frame["attribution_date"]
    frame = frame[(dates >= pd.Timestamp(first)) & (dates <= pd.Timestamp(last))]
    order = ["attribution_date", "reporting_body", "window_start", "model"]
    return frame.sort_values(order, kind="stable")[list(columns)].reset_index(drop=True)


NIGHT_GROUPS: dict[str, tuple[str, ...]] = {
    "drone": CLASS_GROUPS["drone"],
    "missile": CLASS_GROUPS["missile"],
    "other": tuple(c for c in WEAPON_CLASSES if c not in (*CLASS_GROUPS["drone"], *CLASS_GROUPS["missile"])),
}
"""The class groups :func:`night_totals` keeps apart (``drone`` and ``missile`` from
:data:`ceasefire_stats.vocab.CLASS_GROUPS`; ``other``: every remaining class, e.g. guided bombs,
``unknown`` and ``mixed`` bundles). Drones and missiles are never added into one figure."""

_GROUP_OF = {c: group for group, classes in NIGHT_GROUPS.items() for c in classes}


def night_totals(strikes: pd.DataFrame, first: str, last: str, body: str = NATIONAL_BODY) -> pd.DataFrame:
    """One row per attribution date and class group (:data:`NIGHT_GROUPS`) of one body's entries
    for dates ``first``..``last``: ``entries``, ``models`` (canonical names), launched /
    destroyed / not_reach_goal summed over the group's entries, and both interception rates.

    **Missing stays missing.** A group's figure is missing when any of its entries' figures is
    missing (a figure the source does not give is not a 0), and a rate with a missing part is
    missing: before July 2024, and for missiles on many nights, ``not_reach_goal`` is not
    reported, so ``stopped_rate`` is missing there while ``destroyed_rate`` is defined. Both
    rates are missing when launched is 0 or missing. Groups without an entry on a date have
    no row.

    >>> import pandas as pd
    >>> s = pd.DataFrame({"attribution_date": pd.to_datetime(["2025-03-19"] * 3),
    ...     "reporting_body": "air_force", "window_start": pd.NaT, "window_end": pd.NaT,
    ...     "model": ["Shahed", "Iskander-M", "S-300"], "model_canonical": ["Shahed", "Iskander-M", "S-300"],
    ...     "weapon_class": ["attack_drone", "ballistic_missile", "sam_ground_attack"],
    ...     "launched": pd.array([145, 2, 4], dtype="Int64"), "destroyed": pd.array([72, 0, 0], dtype="Int64"),
    ...     "not_reach_goal": pd.array([56, None, None], dtype="Int64")})
    >>> t = night_totals(s, "2025-03-19", "2025-03-19")
    >>> t.index.get_level_values("class_group").tolist(), t["launched"].tolist()
    (['drone', 'missile'], [145, 6])
    >>> t["not_reach_goal"].tolist(), t["destroyed_rate"].tolist(), t["stopped_rate"].tolist()
    ([56, <NA>], [0.497, 0.0], [0.883, <NA>])
    """
    frame = reports_between(strikes, first, last, bodies=[body], columns=[*REPORT_COLUMNS])
    group = frame["weapon_class"].map(_GROUP_OF)
    if group.isna().any():  # a class vocab knows but NIGHT_GROUPS does not: fail, never drop
        raise ValueError(f"weapon classes without a night group: {sorted(frame.loc[group.isna(), 'weapon_class'].unique())}")
    order = pd.CategoricalDtype(list(NIGHT_GROUPS), ordered=True)
    grouped = frame.assign(class_group=group.astype(order)).groupby(
        ["attribution_date", "class_group"], observed=True, sort=True)
    sums = grouped[list(MEASURES)].sum(min_count=1)
    complete = grouped[list(MEASURES)].count().eq(grouped.size(), axis=0)
    sums = sums.where(complete).astype("Int64")
    out = pd.concat([grouped.size().rename("entries"),
                     grouped["model_canonical"].agg(lambda m: ", ".join(sorted(set(m)))).rename("models"),
                     sums], axis=1)
    launched = out["launched"].astype("Float64").mask(out["launched"].eq(0))
    out["destroyed_rate"] = (out["destroyed"] / launched).round(3)
    out["stopped_rate"] = ((out["destroyed"] + out["not_reach_goal"]) / launched).round(3)
    out.index = out.index.set_levels(out.index.levels[1].astype("str"), level="class_group")
    return out
