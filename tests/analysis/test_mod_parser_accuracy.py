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
