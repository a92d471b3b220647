"""Daily series of the Russian MoD's claimed interceptions of Ukrainian drones.

The night rule is the package's one rule (:func:`ceasefire_stats.timeutil.attribution_date`):
each report is attributed to the Moscow-time date of the last instant of its window, so an
overnight window «с 20.00 мск 22 мая до 7.00 мск 23 мая» counts for 23 May, and the nominal
``night`` window of a morning report ([23:00, 07:00) MSK) for the morning's date.

Only intercept reports with a headline drone count are used. Footer totals («Всего за ночь
...») are never added. **Overlapping windows are not summed**: reports are taken in order of
window start; a report whose window overlaps one already kept (a moment counts as one
minute) is left out of the sum and listed by :func:`overlaps`; the daily table shows how many
reports and drones were left out. Days with no report are missing (NaN), not zero: the
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

from ceasefire_stats.timeutil import attribution_date

_MOMENT = pd.Timedelta(minutes=1)


def _reports(posts: pd.DataFrame) -> pd.DataFrame:
    keep = (posts["kind"] == "intercept_report") & posts["drones_destroyed"].notna() & posts["window_end"].notna()
    rep = posts.loc[keep, ["post_id", "window_start", "window_end", "drones_destroyed"]].copy()
    rep["end_eff"] = rep["window_end"].where(rep["window_end"] > rep["window_start"], rep["window_start"] + _MOMENT)
    rep = rep.sort_values(["window_start", "end_eff", "post_id"], ascending=[True, False, True]).reset_index(drop=True)
    prev_end = rep["end_eff"].cummax().shift(1)
    rep["overlap"] = (rep["window_start"] < prev_end).fillna(False).astype(bool)
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


def daily_interceptions(posts: pd.DataFrame) -> pd.DataFrame:
    """Claimed drones destroyed per Moscow-time attribution date (``asfreq("D")``).

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
    return out


__all__ = ["daily_interceptions", "overlap_summary", "overlaps"]
