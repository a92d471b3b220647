"""Daily series of the Russian MoD's claimed interceptions of Ukrainian drones.

The night rule is the package's one rule (:func:`ceasefire_stats.nights.attribution_date`):
each report is attributed to the Moscow-time date of the last instant of its window, so an
overnight window «с 20.00 мск 22 мая до 7.00 мск 23 мая» counts for 23 May, and the nominal
``night`` window of a morning report ([23:00, 07:00) MSK) for the morning's date.

Only intercept reports with a headline drone count are used. Footer totals («Всего за ночь
...») are never added. **Overlapping windows are not summed**: reports are taken in order of
window start; a report whose window overlaps one already kept (a moment counts as one
minute) is left out of the sum and listed by :func:`overlaps`; the daily table shows how many
reports and drones were left out. A window the post does not state (``window_kind`` ``night``:
«в течение прошедшей ночи», given the nominal [23:00, 07:00) MSK) **starts where the latest
stated window ending inside it ends**: the MoD reports a night in pieces («с 20.00 до
полуночи», then «в течение прошедшей ночи»), so only overlaps in times a post actually states
leave a report out. :func:`counted_reports` is the selection, shared with the claims check. Days with no report are missing (NaN), not zero: the
channel file is a keyword-filtered scrape, so a silent day is unknown, not a zero.

>>> import pandas as pd
>>> msk = lambda s: pd.Timestamp(s, tz="Europe/Moscow")
>>> posts = pd.DataFrame({
...     "post_id": ["a", "b", "c"], "kind": "intercept_report",
...     "window_start": [msk("2025-05-22 20:00"), msk("2025-05-23 06:00"), msk("2025-05-25 16:30")],
...     "window_end": [msk("2025-05-23 07:00"), msk("2025-05-23 06:00"), msk("2025-05-25 16:30")],
...     "drones_destroyed": pd.array([40, 2, 1], dtype="Int64")})
>>> daily = daily_interceptions(posts)
>>> daily["drones_destroyed"].tolist()
[40.0, nan, 1.0]
>>> daily["overlap_drones"].tolist()
[2, 0, 0]
>>> overlaps(posts)[["post_id", "overlaps_post_id"]].values.tolist()
[['b', 'a']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ceasefire_stats.nights import attribution_date, effective_end

ASSUMED_WINDOW_KINDS = ("night",)


def _trim_assumed_starts(rep: pd.DataFrame) -> pd.Series:
    """Effective start of each window: an assumed window starts at the latest end of a stated
    window that ends inside it (vectorised with an as-of join on the window ends)."""
    start = rep["window_start"]
    assumed = rep["window_kind"].isin(ASSUMED_WINDOW_KINDS) if "window_kind" in rep else pd.Series(False, rep.index)
    if not assumed.any() or assumed.all():
        return start
    stated = rep.loc[~assumed, ["end_eff"]].sort_values("end_eff").rename(columns={"end_eff": "stated_end"})
    stated["key"] = stated["stated_end"]
    probe = rep.loc[assumed, ["window_start", "end_eff"]].assign(row=lambda d: d.index)
    probe = probe.sort_values("end_eff").rename(columns={"end_eff": "key"})
    hit = pd.merge_asof(probe, stated, on="key", direction="backward").set_index("row")
    inside = hit["stated_end"].notna() & (hit["stated_end"] > hit["window_start"]) & (hit["stated_end"] < hit["key"])
    trimmed = start.copy()
    trimmed.loc[inside[inside].index] = hit.loc[inside, "stated_end"].to_numpy()
    return trimmed


def _reports(posts: pd.DataFrame) -> pd.DataFrame:
    keep = (posts["kind"] == "intercept_report") & posts["drones_destroyed"].notna() & posts["window_end"].notna()
    columns = ["post_id", "window_start", "window_end", "drones_destroyed"]
    columns += ["window_kind"] if "window_kind" in posts else []
    rep = posts.loc[keep, columns].copy()
    rep["end_eff"] = effective_end(rep["window_start"], rep["window_end"])
    rep["start_eff"] = _trim_assumed_starts(rep)
    rep = rep.sort_values(["start_eff", "end_eff", "post_id"], ascending=[True, False, True]).reset_index(drop=True)
    prev_end = rep["end_eff"].cummax().shift(1)
    rep["overlap"] = (rep["start_eff"] < prev_end).fillna(False).astype(bool)
    # the kept report it overlaps: the latest-ending report before it
    ends = rep["end_eff"].astype("int64").to_numpy()
    running = np.maximum.accumulate(ends)
    holder = pd.Series(np.where(ends == running, np.arange(len(ends)), np.nan)).ffill()
    arg = holder.fillna(-1).astype(int).to_numpy()
    prev_arg = np.r_[-1, arg[:-1]] if len(arg) else arg
    rep["overlaps_post_id"] = pd.Series(
        [rep["post_id"].iat[j] if o else None for j, o in zip(prev_arg, rep["overlap"], strict=True)],
        dtype="str")
    rep["attribution_date"] = attribution_date(rep["window_start"], rep["window_end"])
    return rep


def counted_reports(posts: pd.DataFrame) -> pd.DataFrame:
    """The intercept reports that :func:`daily_interceptions` sums (none overlapping another):
    ``post_id, window_start, window_end, counted_from, drones_destroyed, attribution_date``,
    where ``counted_from`` is the effective window start (trimmed for assumed night windows)."""
    rep = _reports(posts)
    rep = rep.loc[~rep["overlap"]].rename(columns={"start_eff": "counted_from"})
    return rep[["post_id", "window_start", "window_end", "counted_from", "drones_destroyed",
                "attribution_date"]].reset_index(drop=True)


def overlaps(posts: pd.DataFrame) -> pd.DataFrame:
    """Intercept reports left out of the daily sum because their window overlaps a report
    already counted: ``post_id, overlaps_post_id, window_start, window_end,
    drones_destroyed, attribution_date``."""
    rep = _reports(posts)
    return rep.loc[rep["overlap"], ["post_id", "overlaps_post_id", "window_start", "window_end",
                                    "drones_destroyed", "attribution_date"]].reset_index(drop=True)


def overlap_summary(posts: pd.DataFrame) -> pd.Series:
    """How many reports (and drones) :func:`daily_interceptions` leaves out as overlapping."""
    left = overlaps(posts)
    return pd.Series({"reports_left_out": len(left), "drones_left_out": int(left["drones_destroyed"].sum())})


def daily_interceptions(posts: pd.DataFrame, missing: str = "na") -> pd.DataFrame:
    """Claimed drones destroyed per Moscow-time attribution date (``asfreq("D")``).

    ``missing`` is the missing-day policy: ``"na"`` (default) leaves a day with no report missing;
    ``"zero"`` counts it as 0 within the coverage span (first to last report date), for a
    sensitivity row only: the MoD does not post every day, so a missing post is not a claim of 0.

    Columns: ``drones_destroyed`` (float; NaN on days with no report), ``reports`` (reports
    summed), ``overlap_reports`` and ``overlap_drones`` (left out as overlapping). ``posts``
    is the ``mod_posts`` table (or any frame with ``post_id, kind, window_start,
    window_end, drones_destroyed``).
    """
    rep = _reports(posts)
    summed = rep[~rep["overlap"]]
    out = pd.DataFrame({
        "drones_destroyed": summed.groupby("attribution_date")["drones_destroyed"].sum().astype("float"),
        "reports": summed.groupby("attribution_date").size(),
    })
    left = rep[rep["overlap"]].groupby("attribution_date")
    out = out.join(pd.DataFrame({"overlap_reports": left.size(),
                                 "overlap_drones": left["drones_destroyed"].sum().astype("int64")}), how="outer")
    out = out.asfreq("D")
    out.index.name = "attribution_date"
    for col in ("reports", "overlap_reports", "overlap_drones"):
        out[col] = out[col].fillna(0).astype("int64")
    if missing == "zero":  # within the coverage span (first to last report date), no report = 0
        out["drones_destroyed"] = out["drones_destroyed"].fillna(0.0)
    elif missing != "na":
        raise ValueError(f"missing must be 'na' or 'zero', not {missing!r}")
    return out


__all__ = ["counted_reports", "daily_interceptions", "overlap_summary", "overlaps"]
