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


def top_regions(posts: pd.DataFrame, regions: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` regions with the most drones claimed in intercept-report breakdowns: drones
    (counted items), reports naming the region, and reports naming it without a count."""
    reports = posts.loc[posts["kind"] == "intercept_report", "post_id"]
    reg = regions[regions["post_id"].isin(reports)]
    out = reg.groupby(["region_id", "region_name"]).agg(
        drones=("drones_destroyed", "sum"), reports=("post_id", "nunique"),
        uncounted=("drones_destroyed", lambda c: int(c.isna().sum())))
    out["drones"] = out["drones"].astype("int64")
    return out.sort_values(["drones", "reports"], ascending=False).head(n).reset_index()


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
