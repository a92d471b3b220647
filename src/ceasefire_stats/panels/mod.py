"""Daily series of the Russian MoD's claimed interceptions of Ukrainian drones.

The night rule is the package's one rule (:func:`ceasefire_stats.nights.attribution_date`):
each report is attributed to the Moscow-time date of the last instant of its window, so an
overnight window «с 20.00 мск 22 мая до 7.00 мск 23 мая» counts for 23 May, and the nominal
``night`` window of a morning report ([23:00, 07:00) MSK) for the morning's date.

Only intercept reports with a headline drone count are used. Footer totals («Всего за ночь
...») are never added. **Overlapping windows** follow the one overlap rule,
:func:`ceasefire_stats.nights.mod_report_restates`: a report whose stated window contains
another's, with at least as many drones, restates it (the MoD's covering summaries repeat its
interim posts). Each day gets three values:

- ``drones_destroyed`` (the rule's value): the day's reports, without those a covering report
  **of the same day** restates; reports that overlap without containment are separate claims
  and both count. A day's value is never below its largest single report.
- ``drones_destroyed_low``: no drone can be counted twice, on this day or across days: every
  restated report is dropped wherever the covering report is dated (an evening interim dated
  27 May inside the summary dated 28 May), and of reports that still overlap, the set with the
  most drones is kept (a covering report is always kept). Sum this one across days.
- ``drones_destroyed_high``: every report counted.

``overlap_flag`` marks the days where low and high differ. A window the post does not state
(``window_kind`` ``night``: «в течение прошедшей ночи», given the nominal [23:00, 07:00) MSK)
**starts where the latest stated window ending inside it ends**: the MoD reports a night in
pieces («с 20.00 до полуночи», then «в течение прошедшей ночи»). :func:`counted_reports` is the
rule's selection, shared with the claims check. Days with no report are missing (NaN), not zero:
the channel file is a keyword-filtered scrape, so a silent day is unknown, not a zero.

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
>>> daily["drones_destroyed_high"].tolist()
[42.0, nan, 1.0]
>>> daily["overlap_drones"].tolist()
[2, 0, 0]
>>> overlaps(posts)[["post_id", "overlaps_post_id"]].values.tolist()
[['b', 'a']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ceasefire_stats.nights import attribution_date, effective_end, mod_report_restates

ASSUMED_WINDOW_KINDS = ("night",)


def _trim_assumed_starts(rep: pd.DataFrame) -> pd.Series:
    """Effective start of each window: an assumed window starts at the latest end of a stated
    window that ends inside it (vectorised with an as-of join on the window ends)."""
    start = rep["window_start"]
    assumed = ~rep["stated"]
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


def _overlapping_pairs(rep: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(i, j)``, ``i < j``, of every two reports whose effective windows overlap
    (``rep`` sorted by effective start; touching windows do not overlap)."""
    starts = rep["start_eff"].astype("int64").to_numpy()
    ends = rep["end_eff"].astype("int64").to_numpy()
    # report i overlaps every later-starting j with start_j < end_i
    last = np.searchsorted(starts, ends, side="left")
    span = np.maximum(last - np.arange(len(rep)) - 1, 0)
    i = np.repeat(np.arange(len(rep)), span)
    j = i + 1 + (np.arange(len(i)) - np.repeat(np.cumsum(span) - span, span))
    return i, j


def _restating(rep: pd.DataFrame) -> pd.DataFrame:
    """Every (outer, inner) pair of positions where the outer report restates the inner one
    (:func:`ceasefire_stats.nights.mod_report_restates`), with whether both share a date."""
    i, j = _overlapping_pairs(rep)
    cols = ["start_eff", "end_eff", "stated", "drones_destroyed", "post_id"]
    found = []
    for outer, inner in ((i, j), (j, i)):
        o = rep[cols].iloc[outer].reset_index(drop=True)
        n = rep[cols].iloc[inner].reset_index(drop=True)
        hit = mod_report_restates(o["start_eff"], o["end_eff"], o["stated"], o["drones_destroyed"], o["post_id"],
                                  n["start_eff"], n["end_eff"], n["drones_destroyed"], n["post_id"]).to_numpy(bool)
        found.append(pd.DataFrame({"outer": outer[hit], "inner": inner[hit]}))
    pairs = pd.concat(found, ignore_index=True)
    dates = rep["attribution_date"].to_numpy()
    pairs["same_date"] = dates[pairs["outer"].to_numpy()] == dates[pairs["inner"].to_numpy()]
    return pairs


def _most_drones_without_overlap(rep: pd.DataFrame, candidates: np.ndarray) -> np.ndarray:
    """Of the ``candidates`` (bool mask), keep the set of pairwise non-overlapping reports with
    the most drones (weighted interval scheduling, run only inside groups that overlap)."""
    keep = candidates.copy()
    sub = rep[candidates]
    if sub.empty:
        return keep
    order = sub.sort_values(["start_eff", "end_eff", "post_id"])
    ends = order["end_eff"].astype("int64").to_numpy()
    starts = order["start_eff"].astype("int64").to_numpy()
    group = np.r_[0, np.cumsum(starts[1:] >= np.maximum.accumulate(ends)[:-1])]
    sizes = np.bincount(group)
    for g in np.flatnonzero(sizes > 1):
        members = order.iloc[np.flatnonzero(group == g)].sort_values(["end_eff", "post_id"])
        s = members["start_eff"].astype("int64").to_numpy()
        e = members["end_eff"].astype("int64").to_numpy()
        w = members["drones_destroyed"].astype("int64").to_numpy()
        prev = np.searchsorted(e, s, side="right")  # reports ending by each one's start
        best = np.zeros(len(members) + 1, dtype="int64")
        for k in range(len(members)):
            best[k + 1] = max(best[k], w[k] + best[prev[k]])
        chosen, k = [], len(members)
        while k > 0:
            if w[k - 1] + best[prev[k - 1]] >= best[k - 1]:
                chosen.append(k - 1)
                k = prev[k - 1]
            else:
                k -= 1
        drop = np.setdiff1d(np.arange(len(members)), chosen)
        keep[members.index[drop].to_numpy()] = False
    return keep


def _reports(posts: pd.DataFrame) -> pd.DataFrame:
    """The intercept reports with a headline and a window, sorted by effective start, with
    ``counted`` (the rule's selection), ``in_low`` (no double counting) and, for a report a
    same-day covering report restates, ``overlaps_post_id`` (the largest such report)."""
    keep = (posts["kind"] == "intercept_report") & posts["drones_destroyed"].notna() & posts["window_end"].notna()
    columns = ["post_id", "window_start", "window_end", "drones_destroyed"]
    columns += ["window_kind"] if "window_kind" in posts else []
    rep = posts.loc[keep, columns].copy()
    rep["stated"] = ~rep["window_kind"].isin(ASSUMED_WINDOW_KINDS) if "window_kind" in rep else True
    rep["end_eff"] = effective_end(rep["window_start"], rep["window_end"])
    rep["start_eff"] = _trim_assumed_starts(rep)
    rep = rep.sort_values(["start_eff", "end_eff", "post_id"], ascending=[True, False, True]).reset_index(drop=True)
    rep["attribution_date"] = attribution_date(rep["window_start"], rep["window_end"])
    pairs = _restating(rep)
    same = pairs[pairs["same_date"]]
    rep["counted"] = ~rep.index.isin(same["inner"])
    rep["restated"] = rep.index.isin(pairs["inner"])
    rep["in_low"] = _most_drones_without_overlap(rep, ~rep.index.isin(pairs["inner"]).astype(bool))
    # name the covering report: the largest (then latest) same-day report restating it
    cover = same.assign(n=rep["drones_destroyed"].to_numpy()[same["outer"].to_numpy()],
                        pid=rep["post_id"].to_numpy()[same["outer"].to_numpy()])
    cover = cover.sort_values(["inner", "n", "pid"]).drop_duplicates("inner", keep="last").set_index("inner")["pid"]
    rep["overlaps_post_id"] = pd.Series(cover.reindex(rep.index).to_numpy(), index=rep.index, dtype="str")
    return rep


def overlap_pairs(posts: pd.DataFrame, regions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every two intercept reports whose windows overlap, with the evidence the overlap rule
    rests on (docs/mod_posts.md, "Overlapping reports"): one row per pair, ``first`` the report
    whose window starts first (or, at the same start, ends last).

    Columns: ``first_post_id``, ``second_post_id``, ``relation`` (``contains``: one window
    holds the other; ``same_window``; ``partial``), ``outer_post_id`` (for ``contains``, the
    holding report), ``outer_stated`` (its window is stated by the post), ``outer_posted_later``
    (by post id, which sorts by posting time), ``outer_not_smaller`` (it claims at least as many
    drones), ``same_date``, ``restates`` (the rule's verdict, either way round) and, with
    ``regions`` (``mod_post_regions``), ``shared_region_share``: the share of the inner (for
    ``partial``: the second) report's named regions that the other report names too.
    """
    rep = _reports(posts)
    i, j = _overlapping_pairs(rep)
    a = rep.iloc[i].reset_index(drop=True)
    b = rep.iloc[j].reset_index(drop=True)
    a_holds = (a["start_eff"] <= b["start_eff"]) & (b["end_eff"] <= a["end_eff"])
    b_holds = (b["start_eff"] <= a["start_eff"]) & (a["end_eff"] <= b["end_eff"])
    relation = np.select([a_holds & b_holds, a_holds | b_holds], ["same_window", "contains"], "partial")
    outer = a.where(a_holds | ~b_holds, b)  # the holding report (for partial: the first)
    inner = b.where(a_holds | ~b_holds, a)
    pairs = _restating(rep)
    keyed = set(zip(pairs["outer"], pairs["inner"], strict=True)) | set(zip(pairs["inner"], pairs["outer"], strict=True))
    restates = np.array([(x, y) in keyed for x, y in zip(i, j, strict=True)], dtype=bool)
    out = pd.DataFrame({
        "first_post_id": a["post_id"], "second_post_id": b["post_id"], "relation": relation,
        "outer_post_id": outer["post_id"].where(relation == "contains"),
        "outer_stated": outer["stated"].astype(bool),
        "outer_posted_later": outer["post_id"] > inner["post_id"],
        "outer_not_smaller": outer["drones_destroyed"].to_numpy() >= inner["drones_destroyed"].to_numpy(),
        "same_date": a["attribution_date"] == b["attribution_date"], "restates": restates})
    if regions is not None:
        named = regions.groupby("post_id")["region_id"].agg(lambda r: frozenset(r.dropna()))
        o_reg = outer["post_id"].map(named)
        i_reg = inner["post_id"].map(named)
        out["shared_region_share"] = [len(x & y) / len(y) if isinstance(x, frozenset) and isinstance(y, frozenset) and y
                                      else np.nan for x, y in zip(o_reg, i_reg, strict=True)]
    return out


def counted_reports(posts: pd.DataFrame, restated_by: str = "same_day") -> pd.DataFrame:
    """The intercept reports a sum counts under the overlap rule: ``post_id, window_start,
    window_end, counted_from, drones_destroyed, attribution_date``, where ``counted_from`` is
    the effective window start (trimmed for assumed night windows).

    ``restated_by="same_day"`` (default) leaves out the reports a covering report of the same
    attribution date restates: the reports :func:`daily_interceptions` sums for
    ``drones_destroyed``. ``restated_by="any"`` leaves out every restated report, whatever the
    covering report's date: use it for a window that spans two dates (a claim's night, an
    evening interim and the next morning's summary), where the same-day selection would count
    the interim twice. Reports that overlap without containment stay in both."""
    rep = _reports(posts)
    if restated_by not in ("same_day", "any"):
        raise ValueError(f"restated_by must be 'same_day' or 'any', not {restated_by!r}")
    rep = rep.loc[rep["counted"] if restated_by == "same_day" else ~rep["restated"]]
    rep = rep.rename(columns={"start_eff": "counted_from"})
    return rep[["post_id", "window_start", "window_end", "counted_from", "drones_destroyed",
                "attribution_date"]].reset_index(drop=True)


def overlaps(posts: pd.DataFrame) -> pd.DataFrame:
    """Intercept reports left out of ``drones_destroyed`` because a covering report of the same
    day restates them: ``post_id, overlaps_post_id`` (the covering report), ``window_start,
    window_end, drones_destroyed, attribution_date``."""
    rep = _reports(posts)
    return rep.loc[~rep["counted"], ["post_id", "overlaps_post_id", "window_start", "window_end",
                                     "drones_destroyed", "attribution_date"]].reset_index(drop=True)


def overlap_summary(posts: pd.DataFrame) -> pd.Series:
    """How many reports (and drones) each of the three daily values leaves out:
    ``reports_left_out``/``drones_left_out`` (restated the same day: ``drones_destroyed``)
    and ``reports_left_out_low``/``drones_left_out_low`` (``drones_destroyed_low``)."""
    rep = _reports(posts)
    n = rep["drones_destroyed"].astype("int64")
    return pd.Series({"reports_left_out": int((~rep["counted"]).sum()), "drones_left_out": int(n[~rep["counted"]].sum()),
                      "reports_left_out_low": int((~rep["in_low"]).sum()),
                      "drones_left_out_low": int(n[~rep["in_low"]].sum())})


def daily_interceptions(posts: pd.DataFrame, missing: str = "na") -> pd.DataFrame:
    """Claimed drones destroyed per Moscow-time attribution date (``asfreq("D")``).

    ``missing`` is the missing-day policy: ``"na"`` (default) leaves a day with no report missing;
    ``"zero"`` counts it as 0 within the coverage span (first to last report date), for a
    sensitivity row only: the MoD does not post every day, so a missing post is not a claim of 0.

    Columns (drone columns float, NaN on days with no report): ``drones_destroyed`` (the overlap
    rule's value), ``drones_destroyed_low`` (no drone counted twice, across days too),
    ``drones_destroyed_high`` (every report), ``overlap_flag`` (low and high differ),
    ``reports`` (reports summed for ``drones_destroyed``), ``overlap_reports`` and
    ``overlap_drones`` (restated by a covering report of the same day, left out). ``posts`` is
    the ``mod_posts`` table (or any frame with ``post_id, kind, window_start, window_end,
    drones_destroyed``, optionally ``window_kind``).
    """
    rep = _reports(posts)
    n = rep["drones_destroyed"].astype("int64")
    day = rep["attribution_date"]
    out = pd.DataFrame({
        "drones_destroyed": n[rep["counted"]].groupby(day[rep["counted"]]).sum().astype("float"),
        "drones_destroyed_low": n[rep["in_low"]].groupby(day[rep["in_low"]]).sum().astype("float"),
        "drones_destroyed_high": n.groupby(day).sum().astype("float"),
        "reports": rep["counted"].groupby(day).sum(),
        "overlap_reports": (~rep["counted"]).groupby(day).sum(),
        "overlap_drones": n[~rep["counted"]].groupby(day[~rep["counted"]]).sum(),
    })
    out = out.asfreq("D")
    out.index.name = "attribution_date"
    reported = out["drones_destroyed_high"].notna()
    for col in ("drones_destroyed", "drones_destroyed_low"):  # a day whose reports all went elsewhere: 0
        out.loc[reported, col] = out.loc[reported, col].fillna(0.0)
    for col in ("reports", "overlap_reports", "overlap_drones"):
        out[col] = out[col].fillna(0).astype("int64")
    if missing == "zero":  # within the coverage span (first to last report date), no report = 0
        for col in ("drones_destroyed", "drones_destroyed_low", "drones_destroyed_high"):
            out[col] = out[col].fillna(0.0)
    elif missing != "na":
        raise ValueError(f"missing must be 'na' or 'zero', not {missing!r}")
    out["overlap_flag"] = out["drones_destroyed_low"].ne(out["drones_destroyed_high"]) & reported
    return out[["drones_destroyed", "drones_destroyed_low", "drones_destroyed_high", "overlap_flag",
                "reports", "overlap_reports", "overlap_drones"]]


__all__ = ["counted_reports", "daily_interceptions", "overlap_summary", "overlaps"]
