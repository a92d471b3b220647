"""Row-level differences between two versions of a source: what the publisher changed.

piterfm rewrites earlier rows between Kaggle versions: models renamed (``KAB`` -> ``GBU``),
launch places reordered, targets corrected, details back-filled, counts revised. Comparing
two versions by the published key would report every such row as one removed and one added;
here rows are **matched** by a natural key that survives cosmetic revisions, in stages, each
pairing only rows that are alone on both sides under that key (never a guess among several):

====================  ===========================================================
``match``             key (always within one source post, ``source_ref``)
====================  ===========================================================
``same_key``          window, model, launch place and target as published
``natural_key``       window, canonical model (components as a set), launch places
                      as a set (split on "and" and on commas), target (case-folded)
``model``             window, canonical model (components as a set)
``weapon_class``      window, weapon class
``window``            window (one row left on each side)
``model_any_window``  canonical model, any window (the window itself was revised)
====================  ===========================================================

Output (:class:`SourceDiff`): ``rows``, a tidy table with one row per revised field of a
matched entry (``change="revised"``, ``field``, ``old_value``, ``new_value``) and one row per
entry only in the old version (``removed``) or only in the new one (``added``; ``appended``
when its window starts after the old version's last data date: new data, not a revision).
An entry whose raw row (same post, window and model text) the cleaner rejected in the other
version is ``repaired`` (rejected in the old version, e.g. a literal cell upstream has since
fixed; ``old_value`` is the reject reason) or ``now_rejected`` (rejected in the new one).
``cosmetic`` marks a revised field whose values are equal as sets or up to case and spacing
(places reordered, ``Dnipro raion`` / ``Dnipro Raion``). ``count_change`` marks a revised
count. ``in_analysed_period`` marks an entry whose attribution date falls in a window of the
ceasefire calendar (``curated/calendar``): a revision that changes a count there is listed
first. ``summary`` counts entries by change and field, ``by_month`` by month and change, and
``daily`` lists every national daily total (per weapon class and over all classes) that
differs between the versions over the dates both cover.

Fields absent from an older schema (the 17-column file has no ``target_main``, ``is_shahed``,
hit and debris locations or turbojet columns) are not compared.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute

from ceasefire_stats.analysis.windows import window_dates
from ceasefire_stats.clean import airforce, calendar, weapons
from ceasefire_stats.core.rawcsv import read_csv_text
from ceasefire_stats.versions import registry
from ceasefire_stats.versions.registry import VersionError
from ceasefire_stats.vocab import NATIONAL_BODY

COUNT_FIELDS = ("launched", "destroyed", "not_reach_goal", "still_attacking", "hit_locations", "debris_locations",
                "is_shahed_about", "turbojet", "turbojet_destroyed")
KEY_FIELDS = ("model", "launch_place", "target")
TEXT_FIELDS = ("model", "model_canonical", "weapon_class", "launch_place", "target", "target_region_id",
               "target_main", "carrier", "component_launched", "component_launch_places")
WINDOW_FIELDS = ("window_start", "window_end")
REGION_FIELDS = {"affected": "affected_regions", "destroyed": "destroyed_by_region",
                 "border_crossing": "border_crossing"}
#: Every compared field, in the order rows are listed.
FIELDS = (*WINDOW_FIELDS, *TEXT_FIELDS[:3], *COUNT_FIELDS, *TEXT_FIELDS[3:], *REGION_FIELDS.values())
#: Output fields that come from raw columns absent from the older 17-column schema.
ABSENT_IN_OLD_SCHEMA = {"target_main": "target_main", "is_shahed_about": "is_shahed",
                        "hit_locations": "num_hit_location", "debris_locations": "num_fall_fragment_location",
                        "turbojet": "turbojet", "turbojet_destroyed": "turbojet_destroyed"}
STAGES = ("same_key", "natural_key", "model", "weapon_class", "window", "model_any_window")
CHANGES = ("revised", "repaired", "added", "removed", "now_rejected", "appended")
ROW_COLUMNS = ["change", "field", "old_value", "new_value", "cosmetic", "count_change", "in_analysed_period",
               "attribution_date", "month", "source_ref", "window_start", "model_old", "model_new", "match",
               "old_raw_row", "new_raw_row", "old_strike_id", "new_strike_id"]
_SPLIT_PLACES = r"\s+and\s+|\s*,\s*"
_HASH_KEY = "ceasefire-diff!!"  # 16 bytes: pandas' keyed row hash, stable across runs
_STAGE_KEYS = {  # match stage -> the columns of its key (64-bit hash of them)
    "same_key": ("post", "start", "end", "model", "place", "target"),
    "natural_key": ("post", "start", "end", "components", "places", "target_folded"),
    "model": ("post", "start", "end", "components"),
    "weapon_class": ("post", "start", "end", "class"),
    "window": ("post", "start", "end"),
    "model_any_window": ("post", "components"),
}


@dataclasses.dataclass
class SourceDiff:
    """The differences between two versions (module docstring)."""

    source: str
    old: str
    new: str
    rows: pd.DataFrame
    summary: pd.DataFrame
    by_month: pd.DataFrame
    daily: pd.DataFrame
    matched: int
    compared_until: pd.Timestamp | None

    #: the columns the command line prints
    SHOWN = ["change", "attribution_date", "model_new", "field", "old_value", "new_value", "cosmetic"]

    def entries(self, change: str | None = None) -> int:
        """How many entries (not fields) changed, in total or of one kind."""
        rows = self.rows if change is None else self.rows[self.rows["change"] == change]
        return len(rows[["old_strike_id", "new_strike_id"]].drop_duplicates())

    def headline(self) -> str:
        """One line: entries matched, revised (with a count changed), added, removed, appended."""
        counts = self.rows[self.rows["count_change"]]
        count_entries = len(counts[["old_strike_id", "new_strike_id"]].drop_duplicates())
        return (f"{self.source} {self.old} -> {self.new}: {self.matched} entries matched, "
                f"{self.entries('revised')} revised ({count_entries} with a count changed), "
                f"{self.entries('repaired')} repaired, {self.entries('now_rejected')} now rejected, "
                f"{self.entries('added')} added, {self.entries('removed')} removed, "
                f"{self.entries('appended')} appended after {self.old}'s last date; "
                f"{len(self.daily)} daily totals differ")


# ---------------------------------------------------------------------------------------
# Keys and values
# ---------------------------------------------------------------------------------------


def _as_set(values: pd.Series, pattern: str) -> pd.Series:
    """Each value split on ``pattern``, case-folded, sorted and re-joined: equal for the same
    set of parts in any order (computed once per distinct value).

    >>> _as_set(pd.Series(["Engels-2, Caspian Sea", "caspian sea and Engels-2", None]), _SPLIT_PLACES).tolist()
    ['caspian sea|engels-2', 'caspian sea|engels-2', '']
    """
    codes, uniques = pd.factorize(values.astype("str").fillna(""), use_na_sentinel=False)
    parts = pd.Series(uniques, dtype="str").str.lower().str.strip().str.split(pattern, regex=True)
    joined = ["|".join(sorted(p for p in items if p)) for items in parts.tolist()]
    return pd.Series(pd.Index(joined, dtype="str").take(codes), index=values.index, dtype="str")


def _text(values: pd.Series) -> pd.Series:
    """Values as comparable text: missing -> empty, times in ISO form, counts without ``.0``."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.strftime("%Y-%m-%d %H:%M").fillna("").astype("str")
    return values.astype("str").fillna("").astype("str")


def _minutes(values: pd.Series) -> np.ndarray:
    """Times as int64 wall-clock minutes (missing -> one sentinel): equal exactly when their
    :func:`_text` is (``%Y-%m-%d %H:%M`` of the local time), at a fraction of the cost."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)
    return values.to_numpy(dtype="datetime64[us]").astype("datetime64[m]").view("int64")


def _differs(old: pd.Series, new: pd.Series) -> np.ndarray:
    """Whether each pair of aligned values differs as :func:`_text` would print them: integer
    counts compared as numbers (missing equal to missing), others as text."""
    if pd.api.types.is_integer_dtype(old.dtype) and pd.api.types.is_integer_dtype(new.dtype):
        a_na, b_na = old.isna().to_numpy(), new.isna().to_numpy()
        a = old.to_numpy(dtype="int64", na_value=0)
        b = new.to_numpy(dtype="int64", na_value=0)
        return (a_na != b_na) | (a != b)
    return (_text(old).reset_index(drop=True) != _text(new).reset_index(drop=True)).to_numpy(dtype=bool)


def _region_digest(regions: pd.DataFrame, ids: pd.Series) -> dict[str, pd.Series]:
    """Per strike (aligned with ``ids``) and region measure: ``region=count`` items sorted and
    joined (a set: order-free)."""
    measure = pd.Index(list(REGION_FIELDS)).get_indexer(regions["measure"].astype("str"))
    count = regions["count"].astype("str").fillna("NaN")
    item = regions["region_raw"].astype("str") + np.where(regions["measure"] == "affected", "", "=" + count)
    # strikes and their region rows share integer codes of the strike id (no string keys)
    codes, uniques = pd.factorize(pd.concat([ids.astype("str"), regions["strike_id"].astype("str")],
                                            ignore_index=True))
    strike_codes, region_codes = codes[:len(ids)], codes[len(ids):]
    item_codes, _ = pd.factorize(item, sort=True)  # codes in the items' sorted order; missing last
    item_codes = np.where(item_codes < 0, len(item_codes), item_codes)
    group = np.where(measure >= 0, measure.astype("int64") * len(uniques) + region_codes, -1)
    order = np.lexsort((item_codes, group))
    order = order[group[order] >= 0]
    groups = group[order]
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]]) if len(groups) else np.array([], dtype="int64")
    offsets = pyarrow.array(np.r_[starts, len(groups)].astype("int32"))
    items = pyarrow.array(item.to_numpy(dtype=object)[order], pyarrow.string())
    joined = pyarrow.compute.binary_join(pyarrow.ListArray.from_arrays(offsets, items), "|")
    joined = np.asarray(joined.fill_null("").to_numpy(zero_copy_only=False), dtype=object)
    lookup = np.full(len(REGION_FIELDS) * len(uniques), "", dtype=object)
    lookup[groups[starts]] = joined
    out = {}
    for number, field in enumerate(REGION_FIELDS.values()):
        out[field] = pd.Series(lookup[number * len(uniques) + strike_codes], index=ids.index, dtype="str")
    return out


def _prepare(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """A version's strikes with each compared field (windows and counts as they are, text
    fields as text, region measures as digests) and the matching keys."""
    strikes = tables["strikes"].reset_index(drop=True)
    out = pd.DataFrame({c: strikes[c] for c in (*WINDOW_FIELDS, *COUNT_FIELDS)})
    out = out.assign(**{c: _text(strikes[c]) for c in TEXT_FIELDS})
    regions = tables.get("strike_regions")
    if regions is not None:
        out = out.assign(**_region_digest(regions, strikes["strike_id"]))
    else:
        out = out.assign(**{f: "" for f in REGION_FIELDS.values()})
    out["strike_id"] = strikes["strike_id"].astype("str")
    out["raw_row"] = strikes["raw_row"].astype("Int64")
    out["source_ref"] = strikes["source_ref"].astype("str").str.strip()
    out["attribution_date"] = strikes["attribution_date"]
    start, end = _minutes(strikes["window_start"]), _minutes(strikes["window_end"])
    out["window_start_minute"], out["window_end_minute"] = start, end
    hashed = {c: out[c] for c in ("source_ref", "model", "launch_place", "target", "weapon_class")}
    hashed["components"] = _as_set(strikes["model_canonical"], r"\s*\+\s*")
    hashed["places"] = _as_set(strikes["launch_place"], _SPLIT_PLACES)
    hashed["target_folded"] = _as_set(out["target"], r"\n")  # case-folded, stripped
    # each text part hashed once; a stage's key is the hash of its parts' hashes (and minutes)
    parts = {name: pd.util.hash_pandas_object(values, index=False, hash_key=_HASH_KEY).to_numpy()
             for name, values in hashed.items()}
    parts = {"post": parts["source_ref"], "start": start.view("uint64"), "end": end.view("uint64"),
             "model": parts["model"], "place": parts["launch_place"], "target": parts["target"],
             "components": parts["components"], "places": parts["places"],
             "target_folded": parts["target_folded"], "class": parts["weapon_class"]}
    for stage, columns in _STAGE_KEYS.items():
        out[f"key_{stage}"] = pd.util.hash_pandas_object(pd.DataFrame({c: parts[c] for c in columns}),
                                                         index=False, hash_key=_HASH_KEY).to_numpy()
    return out


def _match(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Pairs ``(old, new, match)`` of row positions, stage by stage, each pairing only keys
    held by exactly one unmatched row on each side."""
    free_old = np.ones(len(old), dtype=bool)
    free_new = np.ones(len(new), dtype=bool)
    pairs = []
    for stage in STAGES:
        col = f"key_{stage}"
        left = old.loc[free_old, col]
        right = new.loc[free_new, col]
        left = left[~left.duplicated(keep=False)]
        right = right[~right.duplicated(keep=False)]
        joined = pd.DataFrame({"old": left.index, "key": left.to_numpy()}).merge(
            pd.DataFrame({"new": right.index, "key": right.to_numpy()}), on="key")
        if joined.empty:
            continue
        free_old[joined["old"].to_numpy()] = False
        free_new[joined["new"].to_numpy()] = False
        pairs.append(joined[["old", "new"]].assign(match=stage))
    if not pairs:
        return pd.DataFrame({"old": pd.Series(dtype="int64"), "new": pd.Series(dtype="int64"),
                             "match": pd.Series(dtype="str")})
    return pd.concat(pairs, ignore_index=True)


def _cosmetic(field: str, old: pd.Series, new: pd.Series) -> np.ndarray:
    """Whether each change of ``field`` is cosmetic: equal as sets (places, models, regions) or
    up to case and spacing."""
    fold = old.str.lower().str.split().str.join(" ").fillna("") == new.str.lower().str.split().str.join(" ").fillna("")
    if field in ("launch_place", "target", "carrier", "target_main"):
        fold |= _as_set(old, _SPLIT_PLACES).to_numpy() == _as_set(new, _SPLIT_PLACES).to_numpy()
    if field in ("model", "model_canonical"):
        pattern = r"\s+and\s+|\s*\+\s*"
        fold |= _as_set(old, pattern).to_numpy() == _as_set(new, pattern).to_numpy()
    return np.asarray(fold, dtype=bool)


# ---------------------------------------------------------------------------------------
# Periods and daily totals
# ---------------------------------------------------------------------------------------


def analysed_dates(windows: pd.DataFrame | None = None) -> pd.DatetimeIndex:
    """The attribution dates inside any window of the ceasefire calendar (every definition; a
    window with no stated end counts its first day): the periods the analyses study."""
    windows = calendar.read_calendar() if windows is None else windows
    dates = [window_dates(row.start, row.end if pd.notna(row.end) else row.start + pd.Timedelta(days=1))
             for row in windows[windows["start"].notna()].itertuples()]
    return pd.DatetimeIndex(sorted(set().union(*dates)) if dates else [], name="date")


def _daily(tables: dict[str, pd.DataFrame], until: pd.Timestamp | None) -> pd.DataFrame:
    strikes = tables["strikes"]
    national = strikes[strikes["reporting_body"] == NATIONAL_BODY]
    if until is not None:
        national = national[national["attribution_date"] <= until]
    by_class = national.groupby(["attribution_date", "weapon_class"])[["launched", "destroyed"]].sum(min_count=1)
    total = national.groupby("attribution_date")[["launched", "destroyed"]].sum(min_count=1)
    total.index = pd.MultiIndex.from_arrays([total.index, pd.Index(["(all)"] * len(total))],
                                            names=["attribution_date", "weapon_class"])
    return pd.concat([by_class, total]).stack(future_stack=True).rename("value")


def daily_changes(old: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame],
                  until: pd.Timestamp | None = None) -> pd.DataFrame:
    """Every national daily total (launched, destroyed; per weapon class and over all classes
    ``(all)``) that differs between two versions, up to ``until`` (an attribution date)."""
    joined = pd.concat({"old": _daily(old, until), "new": _daily(new, until)}, axis=1)
    joined.index.names = ["attribution_date", "weapon_class", "measure"]
    a, b = joined["old"].astype("Int64"), joined["new"].astype("Int64")
    differ = (a != b).fillna(True) & ~(a.isna() & b.isna())
    out = joined[differ.to_numpy()].reset_index()
    out = out.astype({"old": "Int64", "new": "Int64", "weapon_class": "str", "measure": "str"})
    out["change"] = (out["new"].astype("Float64") - out["old"].astype("Float64")).astype("Int64")
    return out.sort_values(["attribution_date", "weapon_class", "measure"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# The diff
# ---------------------------------------------------------------------------------------


def _raw_keys(raw: pd.DataFrame, rows: object) -> pd.Series:
    """The raw rows ``rows`` -> post, window and model text (stripped), indexed by ``raw_row``."""
    raw = raw.set_index(raw["raw_row"].astype("int64")).reindex(pd.Index(rows, dtype="int64"))
    parts = [raw[c].astype("str").fillna("").str.strip() for c in ("source", "time_start", "time_end", "model")]
    return parts[0].str.cat(parts[1:], sep="\x1f")


def _rejected_elsewhere(raw_rows: pd.Series, raw: pd.DataFrame | None, other_raw: pd.DataFrame | None,
                        other_rejects: pd.DataFrame | None) -> pd.Series:
    """For entries of one version: the reason the other version's cleaner rejected the same raw
    row (same post, window and model text), else missing."""
    if raw is None or other_raw is None or other_rejects is None or other_rejects.empty or raw_rows.empty:
        return pd.Series(pd.NA, index=raw_rows.index, dtype="str")
    reasons = other_rejects.drop_duplicates("raw_row")
    other = _raw_keys(other_raw, reasons["raw_row"].astype("int64").to_numpy())
    by_key = pd.Series(reasons["reason"].to_numpy(), index=other.to_numpy())
    by_key = by_key[~by_key.index.duplicated()]
    keys = _raw_keys(raw, raw_rows.astype("int64").to_numpy())
    return pd.Series(by_key.reindex(keys.to_numpy()).to_numpy(), index=raw_rows.index, dtype="str")


def diff_tables(old: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame], *, source: str = "airforce_strikes",
                old_label: str = "old", new_label: str = "new", skip_fields: Sequence[str] = (),
                analysed: pd.DatetimeIndex | None = None, old_raw: pd.DataFrame | None = None,
                new_raw: pd.DataFrame | None = None, old_rejects: pd.DataFrame | None = None,
                new_rejects: pd.DataFrame | None = None) -> SourceDiff:
    """The differences between two versions' cleaned tables (``strikes`` and, optionally,
    ``strike_regions``, as :func:`version_tables` and :func:`~ceasefire_stats.clean.airforce.clean`
    return them).
    ``skip_fields`` are not compared; ``analysed`` are the dates of the analysed periods
    (default: :func:`analysed_dates`); the raw frames and ledger rejects of both versions, when
    given, tell ``repaired`` and ``now_rejected`` entries from added and removed ones."""
    analysed = analysed_dates() if analysed is None else analysed
    a, b = _prepare(old), _prepare(new)
    pairs = _match(a, b)
    old_until = old["strikes"]["window_start"].max().normalize() if len(a) else None
    po, pn = pairs["old"].to_numpy(), pairs["new"].to_numpy()
    parts = []
    for field in FIELDS:
        if field in skip_fields:
            continue
        compared = f"{field}_minute" if field in WINDOW_FIELDS else field
        changed = _differs(a[compared].take(po), b[compared].take(pn))
        if not changed.any():
            continue
        pos = np.flatnonzero(changed)
        o = _text(a[field].take(po[pos])).reset_index(drop=True)
        n = _text(b[field].take(pn[pos])).reset_index(drop=True)
        parts.append(pd.DataFrame({
            "pos": pos, "field": field, "old_value": o.to_numpy(), "new_value": n.to_numpy(),
            "cosmetic": _cosmetic(field, o, n),
        }))
    revised = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        {"pos": pd.Series(dtype="int64"), "field": pd.Series(dtype="str"), "old_value": pd.Series(dtype="str"),
         "new_value": pd.Series(dtype="str"), "cosmetic": pd.Series(dtype=bool)})
    pos = revised["pos"].to_numpy()
    at_old, at_new = po[pos], pn[pos]
    revised = revised.assign(
        change="revised", match=pairs["match"].to_numpy()[pos],
        attribution_date=b["attribution_date"].to_numpy()[at_new], source_ref=b["source_ref"].to_numpy()[at_new],
        window_start=_text(b["window_start"].take(at_new)).to_numpy(), model_old=a["model"].to_numpy()[at_old],
        model_new=b["model"].to_numpy()[at_new], old_raw_row=a["raw_row"].take(at_old).to_numpy(),
        new_raw_row=b["raw_row"].take(at_new).to_numpy(), old_strike_id=a["strike_id"].to_numpy()[at_old],
        new_strike_id=b["strike_id"].to_numpy()[at_new]).drop(columns="pos")

    single = ["attribution_date", "source_ref", "window_start", "model", "raw_row", "strike_id"]
    only_old = a[single].drop(index=po)
    only_new = b[single].drop(index=pn)
    appended = (only_new["window_start"].dt.tz_localize(None).dt.normalize() > old_until.tz_localize(None)) \
        if old_until is not None else pd.Series(True, index=only_new.index)
    repaired = _rejected_elsewhere(only_new["raw_row"], new_raw, old_raw, old_rejects)
    broken = _rejected_elsewhere(only_old["raw_row"], old_raw, new_raw, new_rejects)
    new_change = np.where(repaired.notna(), "repaired", np.where(appended, "appended", "added"))
    old_change = np.where(broken.notna(), "now_rejected", "removed")
    singles = []
    for frame, change, side, reason in ((only_old, old_change, "old", broken), (only_new, new_change, "new", repaired)):
        singles.append(pd.DataFrame({
            "change": change, "attribution_date": frame["attribution_date"].to_numpy(),
            "field": np.where(reason.notna(), "-", None),
            "old_value": reason.to_numpy() if side == "new" else None,
            "new_value": reason.to_numpy() if side == "old" else None,
            "source_ref": frame["source_ref"].to_numpy(), "window_start": _text(frame["window_start"]).to_numpy(),
            "model_old": frame["model"].to_numpy() if side == "old" else None,
            "model_new": frame["model"].to_numpy() if side == "new" else None,
            f"{side}_raw_row": frame["raw_row"].to_numpy(), f"{side}_strike_id": frame["strike_id"].to_numpy()}))
    rows = pd.concat([revised, *singles], ignore_index=True)
    rows["count_change"] = rows["field"].isin(COUNT_FIELDS).to_numpy() & rows["change"].eq("revised").to_numpy()
    dates = pd.to_datetime(rows["attribution_date"])
    rows["in_analysed_period"] = dates.isin(analysed).to_numpy()
    rows["month"] = dates.dt.strftime("%Y-%m")
    rows["cosmetic"] = rows["cosmetic"].astype("boolean")
    rows = _order(rows)
    for col in ("old_raw_row", "new_raw_row"):
        rows[col] = rows[col].astype("Int64")
    for col in ("change", "field", "old_value", "new_value", "month", "source_ref", "window_start", "model_old",
                "model_new", "match", "old_strike_id", "new_strike_id"):
        rows[col] = rows[col].astype("str")
    rows["attribution_date"] = pd.to_datetime(rows["attribution_date"])
    daily = daily_changes(old, new, until=old["strikes"]["attribution_date"].max() if len(a) else None)
    return SourceDiff(source=source, old=old_label, new=new_label, rows=rows[ROW_COLUMNS].reset_index(drop=True),
                      summary=_summary(rows), by_month=_by_month(rows), daily=daily, matched=len(pairs),
                      compared_until=old_until)


def _order(rows: pd.DataFrame) -> pd.DataFrame:
    """Count changes in analysed periods first, then other count changes, then revisions,
    additions, removals and appended entries; by date, post, entry and field within each."""
    rank = np.select([rows["count_change"] & rows["in_analysed_period"], rows["count_change"]], [0, 1], 2)
    kind = pd.Index(list(CHANGES)).get_indexer(rows["change"])
    field = pd.Index(list(FIELDS)).get_indexer(rows["field"])
    def text(col: str) -> np.ndarray:
        return rows[col].astype("str").fillna("").to_numpy(dtype=object)

    order = np.lexsort((field, text("new_strike_id"), text("old_strike_id"), text("source_ref"),
                        pd.to_datetime(rows["attribution_date"]).to_numpy(), kind, rank))
    return rows.iloc[order].reset_index(drop=True)


def _summary(rows: pd.DataFrame) -> pd.DataFrame:
    """Entries by change and field (``-`` for whole entries), with how many were cosmetic and
    how many fall in analysed periods."""
    frame = rows.assign(field=rows["field"].where(rows["change"] == "revised", "-"),
                        cosmetic=rows["cosmetic"].fillna(False).astype(bool))
    out = frame.groupby(["change", "field"], sort=False).agg(
        entries=("change", "size"), cosmetic=("cosmetic", "sum"), in_analysed_period=("in_analysed_period", "sum"),
        first=("attribution_date", "min"), last=("attribution_date", "max")).reset_index()
    out["first"], out["last"] = out["first"].dt.strftime("%Y-%m-%d"), out["last"].dt.strftime("%Y-%m-%d")
    kind = pd.Index(list(CHANGES)).get_indexer(out["change"])
    field = pd.Index(["-", *FIELDS]).get_indexer(out["field"])
    return out.iloc[np.lexsort((field, kind))].reset_index(drop=True)


def _by_month(rows: pd.DataFrame) -> pd.DataFrame:
    """Changed entries per month (rows) and change (columns)."""
    entries = rows.drop_duplicates(["change", "old_strike_id", "new_strike_id"])
    table = pd.crosstab(entries["month"], pd.Categorical(entries["change"], categories=list(CHANGES)), dropna=False)
    table.columns = table.columns.astype("str")
    table.columns.name = None
    return table.astype("int64")


def version_tables(path: str | Path, reference: pd.DataFrame) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """A version of the Air Force file cleaned in memory, the file read once: the tables of
    the ``airforce`` step's cleaner (:func:`~ceasefire_stats.clean.airforce.clean`, the one the
    build and the dask engine run, with the weapon ``reference`` of
    :func:`~ceasefire_stats.clean.weapons.read_reference`), its raw frame (``raw``) and ledger
    rejects (``rejects``); and the compared fields its schema lacks (:data:`ABSENT_IN_OLD_SCHEMA`),
    which :func:`diff_tables` is to skip."""
    text = read_csv_text(path, (), allow_extra=True)  # the one read of the file
    skip = [field for field, column in ABSENT_IN_OLD_SCHEMA.items() if column not in text.columns]
    raw = airforce.current_schema(text, path)
    del text
    tables, ledger = airforce.clean(raw, reference)
    return {**tables, "raw": raw, "rejects": ledger.rejects}, skip


def diff(source: str, old: str, new: str, analysed: pd.DatetimeIndex | None = None) -> SourceDiff:
    """Row-level differences between two versions of ``source`` (labels of
    :mod:`ceasefire_stats.versions.registry`; ``pinned`` is the registry's file), e.g.
    ``diff("airforce_strikes", "2026-04-04", "pinned")``. Both versions are cleaned in memory
    by :func:`version_tables` (nothing is written; each file, the weapon reference too, is read
    once). See the module docstring for the table."""
    if source != airforce.SOURCE:
        raise VersionError(f"diff compares versions of {airforce.SOURCE}; {source!r} is not supported yet")
    for label in (old, new):  # both known before anything is fetched
        registry.sha256(source, label)
    # the two versions first: a version absent here is the error a user can act on (its address)
    old_path, new_path = registry.require(source, old), registry.require(source, new)
    reference, _ = weapons.read_reference(registry.require("weapons"))
    old_tables, old_skip = version_tables(old_path, reference)
    new_tables, new_skip = version_tables(new_path, reference)
    return diff_tables(old_tables, new_tables, source=source, old_label=old, new_label=new,
                       skip_fields=sorted(set(old_skip) | set(new_skip)), analysed=analysed,
                       old_raw=old_tables["raw"], new_raw=new_tables["raw"], old_rejects=old_tables["rejects"],
                       new_rejects=new_tables["rejects"])
