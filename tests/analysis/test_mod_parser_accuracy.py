"""The parser against the hand-checked label set ``src/ceasefire_stats/curated/labels/mod_labels.csv``.

Skips only when the label file is absent. Every label's ``text_sha256`` must equal the raw
row's, so labels cannot drift onto other posts; totals must match on >= 99% of the labelled
intercept reports (the issue's target)."""

from __future__ import annotations

import pytest

from ceasefire_stats.analysis import mod_parser_accuracy as mod_accuracy
from ceasefire_stats.clean import mod_posts

LABELS = mod_accuracy.labels_path()


@pytest.fixture(scope="module")
def comparison(raw_file):
    labels = mod_accuracy.load_labels(LABELS)
    raw = mod_posts.read_raw(raw_file(mod_posts.SOURCE))
    posts, regions, _ = mod_posts.tables(raw)
    return raw, labels, posts, regions


@pytest.mark.realdata
def test_label_keys_match_the_raw_rows(comparison):
    raw, labels, _, _ = comparison
    assert labels["raw_row"].is_unique
    sha = mod_posts.sha256_texts(raw.set_index(raw["raw_row"].astype("int64"))["text_snippet"])
    assert (sha.reindex(labels["raw_row"]).to_numpy() == labels["text_sha256"].to_numpy()).all()


@pytest.mark.realdata
def test_totals_on_labelled_intercept_reports(comparison):
    _, labels, posts, regions = comparison
    cmp = mod_accuracy.compare(labels, posts, regions)
    reports = cmp[cmp["kind_label"] == "intercept_report"]
    wrong = reports.loc[~reports["total_ok"], ["raw_row", "total_parsed", "total_label"]]
    assert reports["total_ok"].mean() >= 0.99, wrong.to_string()


@pytest.mark.realdata
def test_kind_precision_and_recall(comparison):
    _, labels, posts, regions = comparison
    acc = mod_accuracy.accuracy(labels, posts, regions).set_index("measure")["value"]
    assert acc["kind intercept_report: precision"] >= 0.95
    assert acc["kind intercept_report: recall"] >= 0.95


def test_top_regions_uses_the_daily_series_reports():
    import pandas as pd

    msk = lambda s: pd.Timestamp(s, tz="Europe/Moscow")  # noqa: E731
    posts = pd.DataFrame({
        "post_id": ["night", "inside", "nowindow", "digest"],
        "kind": ["intercept_report", "intercept_report", "intercept_report", "summary"],
        "window_start": [msk("2025-05-22 20:00"), msk("2025-05-23 05:00"), pd.NaT, pd.NaT],
        "window_end": [msk("2025-05-23 07:00"), msk("2025-05-23 05:00"), pd.NaT, pd.NaT],
        "drones_destroyed": pd.array([10, 4, 3, 99], dtype="Int64")})
    regions = pd.DataFrame({
        "post_id": ["night", "night", "inside", "nowindow", "digest"],
        "region_id": ["RU-BEL", "RU-KRS", "RU-BEL", "RU-BEL", "RU-BEL"],
        "region_name": ["Belgorod", "Kursk", "Belgorod", "Belgorod", "Belgorod"],
        "drones_destroyed": pd.array([6, None, 4, 3, 99], dtype="Int64")})
    table = mod_accuracy.top_regions(posts, regions, n=5).set_index("row")
    by_region = table.loc["region"].set_index("region_id")
    assert by_region["drones"].to_dict() == {"RU-BEL": 6, "RU-KRS": 0}  # the restated report's 4 not added
    assert by_region["uncounted"].to_dict() == {"RU-BEL": 0, "RU-KRS": 1}  # RU-KRS named without a count
    assert table.loc["no_region_count", "drones"] == 4
    assert table.loc["total_counted", ["drones", "reports"]].tolist() == [10, 1]
    assert table.loc["left_out_overlapping", ["drones", "reports"]].tolist() == [4, 1]
    assert table.loc["left_out_no_headline_or_window", ["drones", "reports"]].tolist() == [3, 1]
    assert set(table.index) == set(mod_accuracy.TOP_REGION_ROWS)


@pytest.mark.realdata
def test_top_regions_sum_to_the_daily_series(comparison):
    from ceasefire_stats.panels import mod as panels_mod

    _, _, posts, regions = comparison
    table = mod_accuracy.top_regions(posts, regions, n=12)
    kind = table["row"]
    parts = table.loc[kind.isin(["region", "other_regions", "no_region_count"]), "drones"].sum()
    total = table.loc[kind == "total_counted", "drones"].item()
    daily = panels_mod.daily_interceptions(posts)
    assert parts == total == daily["drones_destroyed"].sum() == panels_mod.counted_reports(posts)["drones_destroyed"].sum()
    assert table.loc[kind == "total_counted", "reports"].item() == daily["reports"].sum()
    left = table.set_index("row").loc["left_out_overlapping"]
    assert left["reports"] == panels_mod.overlap_summary(posts)["reports_left_out"] == daily["overlap_reports"].sum()
    assert (table.loc[kind == "region", "drones"] >= 0).all() and (kind == "region").sum() == 12
