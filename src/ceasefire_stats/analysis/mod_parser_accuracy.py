"""Accuracy of the MoD post parser against the hand-checked label set
(``src/ceasefire_stats/curated/labels/mod_labels.csv``), and the internal consistency of the parsed breakdowns.

The label file has one row per labelled post: ``raw_row, text_sha256, kind, total,
footer_total, window_kind, window_start, window_end, breakdown, breakdown_status, stratum,
note``; ``breakdown`` is ``REGION_ID:count;...`` sorted by region id; times are
``YYYY-MM-DD HH:MM`` Moscow time; empty means not stated. Window times are compared for
``range`` and ``moment`` windows only (a ``night`` window has no stated times).

>>> regions = pd.DataFrame({"post_id": ["p", "p"], "region_id": ["RU-ORL", "RU-BEL"],
...                         "drones_destroyed": pd.array([2, 1], dtype="Int64")})
>>> breakdown_strings(regions).to_dict()
{'p': 'RU-BEL:1;RU-ORL:2'}
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ceasefire_stats.core import paths
from ceasefire_stats.panels.mod import counted_reports, overlaps
from ceasefire_stats.vocab import MOD_POST_KINDS as KINDS

LABEL_COLUMNS = ["raw_row", "text_sha256", "kind", "total", "footer_total", "window_kind", "window_start",
                 "window_end", "breakdown", "breakdown_status", "stratum", "note"]


def labels_path() -> Path:
    """The hand-checked label set, ``curated/labels/mod_labels.csv`` in the package."""
    return paths.curated_dir("labels") / "mod_labels.csv"


def load_labels(path: str | Path | None = None) -> pd.DataFrame:
    """The label set as strings (empty string = not stated), ``raw_row`` as int."""
    path = Path(path) if path is not None else labels_path()
    frame = pd.read_csv(path, dtype="str", keep_default_na=False)
    for optional in ("stratum", "note"):  # free-text columns; a second annotator's file may lack them
        if optional not in frame.columns:
            frame[optional] = ""
    missing = [c for c in LABEL_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path.name}: missing columns {missing}")
    frame["raw_row"] = frame["raw_row"].astype("int64")
    return frame


def breakdown_strings(regions: pd.DataFrame) -> pd.Series:
    """``REGION_ID:count;...`` per post (counted regions only, sorted by region id)."""
    counted = regions.dropna(subset=["drones_destroyed"]).sort_values(["post_id", "region_id"])
    items = counted["region_id"] + ":" + counted["drones_destroyed"].astype("int64").astype("str")
    return items.groupby(counted["post_id"]).agg(";".join)


def _text(values: pd.Series) -> pd.Series:
    return values.astype("str").fillna("")


def _time(values: pd.Series, kinds: pd.Series) -> pd.Series:
    out = values.dt.strftime("%Y-%m-%d %H:%M").astype("str").fillna("")
    return out.where(kinds.isin(["range", "moment"]), "")


def compare(labels: pd.DataFrame, posts: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """One row per label: the parsed value next to the label for every compared field,
    and ``sha_ok`` (the label's text sha256 equals the raw row's)."""
    mine = posts.set_index(posts["raw_row"].astype("int64"))
    mine = mine.reindex(labels["raw_row"].to_numpy())
    out = pd.DataFrame({"raw_row": labels["raw_row"].to_numpy(), "stratum": labels["stratum"].to_numpy()})
    out["sha_ok"] = (_text(mine["text_sha256"]).to_numpy() == labels["text_sha256"].to_numpy())
    wk = _text(mine["window_kind"])
    parsed = {
        "kind": _text(mine["kind"]).replace("", "rejected"),
        "total": _text(mine["drones_destroyed"]),
        "footer_total": _text(mine["footer_total"]),
        "window_kind": wk,
        "window_start": _time(mine["window_start"], wk),
        "window_end": _time(mine["window_end"], wk),
        "breakdown": mine["post_id"].map(breakdown_strings(regions)).astype("str").fillna(""),
        "breakdown_status": _text(mine["breakdown_status"]),
    }
    for name, values in parsed.items():
        out[f"{name}_parsed"] = values.to_numpy()
        out[f"{name}_label"] = labels[name].to_numpy()
        out[f"{name}_ok"] = out[f"{name}_parsed"] == out[f"{name}_label"]
    return out


def accuracy(labels: pd.DataFrame, posts: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """The figures reported for the parser: precision and recall of each ``kind``, and
    exact-match accuracy of total, footer, window and breakdown on the labelled intercept
    reports. One row per measure: ``measure, n, value``."""
    cmp = compare(labels, posts, regions)
    rows = []
    for kind in KINDS:
        predicted = cmp["kind_parsed"] == kind
        actual = cmp["kind_label"] == kind
        hit = (predicted & actual).sum()
        rows.append((f"kind {kind}: precision", int(predicted.sum()), hit / predicted.sum() if predicted.any() else float("nan")))
        rows.append((f"kind {kind}: recall", int(actual.sum()), hit / actual.sum() if actual.any() else float("nan")))
    reports = cmp[cmp["kind_label"] == "intercept_report"]
    for name in ("total", "footer_total", "window_kind", "window_start", "window_end", "breakdown",
                 "breakdown_status"):
        rows.append((f"{name}: exact match (intercept reports)", len(reports), reports[f"{name}_ok"].mean()))
    rows.append(("label sha256 matches raw row", len(cmp), cmp["sha_ok"].mean()))
    return pd.DataFrame(rows, columns=["measure", "n", "value"])


def breakdown_consistency(posts: pd.DataFrame) -> pd.DataFrame:
    """Over the whole file: intercept reports by breakdown status, and the share of reports
    with a whole counted list (``complete`` or ``sum_mismatch``) that sum to the headline."""
    reports = posts[posts["kind"] == "intercept_report"]
    counts = reports["breakdown_status"].value_counts().reindex(
        ["complete", "incomplete", "sum_mismatch", "none"], fill_value=0)
    whole = counts["complete"] + counts["sum_mismatch"]
    out = pd.DataFrame({"reports": counts, "share": counts / len(reports)})
    out.loc["whole lists summing to headline"] = [whole, counts["complete"] / whole if whole else float("nan")]
    out["reports"] = out["reports"].astype("int64")
    out.index.name = "breakdown_status"
    return out


def ledger_by_outcome(ledger_rows: pd.DataFrame) -> pd.DataFrame:
    """Raw rows per ledger outcome and reason (from ``pipeline.load_ledger("mod_posts")``)."""
    rows = ledger_rows.assign(reason=ledger_rows["reason"].fillna(""))
    return rows.groupby(["outcome", "reason"], sort=True).size().rename("rows").reset_index()


TOP_REGION_ROWS: dict[str, str] = {
    "region": "one of the n regions with the most drones in the counted reports' breakdowns",
    "other_regions": "every other region named in the counted reports' breakdowns",
    "no_region_count": "drones of the counted reports' headlines that no regional item counts",
    "total_counted": "the counted reports' headlines: the daily series' total (panels.mod)",
    "left_out_overlapping": "reports the daily series leaves out as restated by a covering report of the "
                            "same day: their breakdown drones",
    "left_out_no_headline_or_window": "intercept reports without a headline count or a window end "
                                      "(not in the daily series): their breakdown drones",
}
"""The row kinds of :func:`top_regions`."""


def top_regions(posts: pd.DataFrame, regions: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` regions with the most drones claimed in the breakdowns of the intercept
    reports the daily series counts, then the accounting rows of :data:`TOP_REGION_ROWS`.

    One overlap rule everywhere: the reports are :func:`ceasefire_stats.panels.mod.counted_reports`
    (the reports :func:`ceasefire_stats.panels.mod.daily_interceptions` sums for its value),
    so ``region`` + ``other_regions`` + ``no_region_count`` = ``total_counted`` = the daily
    series' total. The two ``left_out_*`` rows say how many intercept reports are not counted
    and how many drones their breakdowns name; they are not part of the total.

    Columns: ``row`` (kind), ``region_id``, ``region_name`` (missing on accounting rows),
    ``drones``, ``reports`` (reports in the row's scope; for a region, reports naming it),
    ``uncounted`` (region items without a count of their own).

    >>> msk = lambda s: pd.Timestamp(s, tz="Europe/Moscow")
    >>> posts = pd.DataFrame({"post_id": ["a", "b"], "kind": "intercept_report",
    ...     "window_start": [msk("2025-05-22 20:00"), msk("2025-05-23 05:00")],
    ...     "window_end": [msk("2025-05-23 07:00"), msk("2025-05-23 05:00")],
    ...     "drones_destroyed": pd.array([5, 2], dtype="Int64")})
    >>> regions = pd.DataFrame({"post_id": ["a", "a", "b"], "region_id": ["RU-BEL", "RU-KRS", "RU-BEL"],
    ...     "region_name": ["Belgorod", "Kursk", "Belgorod"], "drones_destroyed": pd.array([3, 1, 2], dtype="Int64")})
    >>> top_regions(posts, regions, n=1)[["row", "region_id", "drones", "reports"]].values.tolist()
    [['region', 'RU-BEL', 3, 1], ['other_regions', nan, 1, 1], ['no_region_count', nan, 1, 1], ['total_counted', nan, 5, 1], ['left_out_overlapping', nan, 2, 1], ['left_out_no_headline_or_window', nan, 0, 0]]
    """
    counted = counted_reports(posts)
    overlapping = overlaps(posts)["post_id"]
    intercepts = posts.loc[posts["kind"] == "intercept_report", "post_id"]
    unwindowed = intercepts[~intercepts.isin(counted["post_id"]) & ~intercepts.isin(overlapping)]

    reg = regions[regions["post_id"].isin(counted["post_id"])]
    by_region = reg.groupby(["region_id", "region_name"]).agg(
        drones=("drones_destroyed", "sum"), reports=("post_id", "nunique"),
        uncounted=("drones_destroyed", lambda c: int(c.isna().sum())))
    by_region["drones"] = by_region["drones"].astype("int64")
    by_region = by_region.sort_values(["drones", "reports"], ascending=False).reset_index()
    top, rest = by_region.head(n), by_region.iloc[n:]
    headline = int(counted["drones_destroyed"].sum())
    itemised = int(reg["drones_destroyed"].sum())
    per_report = reg.groupby("post_id")["drones_destroyed"].sum().reindex(counted["post_id"]).fillna(0)
    short = int((counted["drones_destroyed"].to_numpy() > per_report.to_numpy()).sum())

    def left_out(ids: pd.Series) -> tuple[int, int, int]:
        items = regions.loc[regions["post_id"].isin(ids), "drones_destroyed"]
        return int(items.sum()), int(ids.nunique()), int(items.isna().sum())

    accounting = pd.DataFrame(
        [("other_regions", int(rest["drones"].sum()), reg.loc[~reg["region_id"].isin(top["region_id"]), "post_id"].nunique(),
          int(rest["uncounted"].sum())),
         ("no_region_count", headline - itemised, short, 0),
         ("total_counted", headline, len(counted), int(reg["drones_destroyed"].isna().sum())),
         ("left_out_overlapping", *left_out(overlapping)),
         ("left_out_no_headline_or_window", *left_out(unwindowed))],
        columns=["row", "drones", "reports", "uncounted"])
    out = pd.concat([top.assign(row="region"), accounting], ignore_index=True)
    out = out[["row", "region_id", "region_name", "drones", "reports", "uncounted"]]
    return out.astype({"drones": "int64", "reports": "int64", "uncounted": "int64"})


def naive_vs_parsed(posts: pd.DataFrame) -> pd.DataFrame:
    """The raw file's naive ``drone_count`` against the parsed headline, per year, over
    intercept reports with a parsed headline: reports, how many agree, how many the naive
    column sets to 0, and both sums."""
    rep = posts[(posts["kind"] == "intercept_report") & posts["drones_destroyed"].notna()]
    year = rep["posted_at_msk"].dt.year.rename("year")
    parsed = rep["drones_destroyed"].astype("int64")
    naive = rep["drone_count_source"].fillna(0).astype("int64")
    frame = pd.DataFrame({"reports": 1, "agree": (parsed == naive).astype(int), "naive_zero": (naive == 0).astype(int),
                          "naive_lower": (naive < parsed).astype(int), "parsed_sum": parsed, "naive_sum": naive})
    out = frame.groupby(year).sum()
    out.loc["all"] = out.sum()
    out["agree_share"] = (out["agree"] / out["reports"]).round(3)
    return out


def digest_counts(posts: pd.DataFrame) -> pd.DataFrame:
    """The naive count the raw file gives digests and other posts (which the parser does
    not count): posts and the sum of their ``drone_count`` by kind."""
    frame = posts.assign(naive=posts["drone_count_source"].fillna(0).astype("int64"))
    return frame.groupby("kind").agg(posts=("post_id", "size"), naive_sum=("naive", "sum"),
                                     naive_nonzero=("naive", lambda c: int((c > 0).sum())))


def kinds_and_windows(posts: pd.DataFrame) -> pd.Series:
    """Posts per kind and window kind (window kind is missing for digests and other posts)."""
    return posts.groupby(["kind", "window_kind"], dropna=False).size().rename("posts")
