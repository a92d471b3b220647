"""The dask engine builds the pandas engine's tables and ledgers, byte for byte, on a local
cluster started here (threads of this process: ``LocalCluster(processes=False)``)."""

from __future__ import annotations

import os

import pandas as pd
import pytest

try:
    from dask.distributed import Client, LocalCluster
except ImportError:  # pragma: no cover - the dev extra installs dask; CI must have it
    if os.environ.get("CI"):
        raise
    pytest.skip("dask is not installed (pip install 'ceasefire-stats[dask]'; the dev extra has it)",
                allow_module_level=True)

from ceasefire_stats import pipeline
from ceasefire_stats.clean import mod_corpus as mc
from ceasefire_stats.clean import mod_posts as mp
from ceasefire_stats.engines import dask_engine as de


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def client(cluster):
    with Client(cluster) as c:
        yield c


def _assert_same(expected, got) -> None:
    """Tables and ledger of two builds equal, dtypes, order and index included."""
    (p0, r0, l0), (p1, r1, l1) = expected, got
    pd.testing.assert_frame_equal(p1, p0)
    pd.testing.assert_frame_equal(r1, r0)
    for part in ("rows", "rejects", "flags"):
        pd.testing.assert_frame_equal(getattr(l1, part), getattr(l0, part))
    assert l1.extra_outcomes == l0.extra_outcomes
    l1.check()


def _post(n: int, region: str) -> str:
    """An intercept report in the MoD's phrasing (written for these tests)."""
    return f"Дежурными средствами ПВО уничтожены {n} украинских БПЛА над территорией {region} области."


def test_duplicates_across_partitions_and_rejects_match_the_pandas_engine(tmp_path, client):
    rows = [
        ("2025-05-01", "2025-05-01 04:10", _post(3, "Курской")),
        ("2025-05-01", "2025-05-01 05:00", "Главное за день: сводка"),          # not a claim
        ("2025-05-01", "not a time", _post(2, "Брянской")),                      # bad datetime
        ("2025-05-02", "2025-05-02 03:00", "   "),                               # empty text
        ("2025-05-02", "2025-05-02 04:00", _post(5, "Орловской")),
        ("2025-05-01", "2025-05-01 04:10", _post(3, "Курской")),                 # duplicate, other partition
        ("2025-05-01", "2025-05-01 05:00", "Главное за день: сводка"),          # duplicate of a non-claim
        ("2025-05-01", "not a time", _post(2, "Брянской")),                      # rejected and duplicate
        ("2020-01-01", "2020-01-01 04:00", _post(4, "Белгородской")),            # implausible date
        ("2025-05-02", "2025-05-02 04:00", _post(5, "Орловской")),               # duplicate in its partition
        ("2025-05-03", "2025-05-03 04:00", _post(7, "Курской")),
    ]
    raw = pd.DataFrame(rows, columns=["date", "datetime", "text_snippet"]).assign(drone_count="1", oblasts="")
    path = mc.write(tmp_path / "posts.csv", raw[mp.RAW_COLUMNS])
    expected = mp.tables(mp.read_raw(path))
    assert expected[2].summary()["duplicate"] == 3  # the fixture exercises what it claims to
    for rows_per_part in (1, 2, 3, 100):
        _assert_same(expected, de.mod_tables(path, client, rows_per_part))


@pytest.mark.realdata
def test_real_mod_file_tables_and_ledger_equal_the_pandas_engine(raw_file, client):
    path = raw_file(mp.SOURCE)
    _assert_same(mp.tables(mp.read_raw(path)), de.mod_tables(path, client, partition_rows=1000))


@pytest.mark.realdata
def test_generated_corpus_with_repeated_real_rows_equals_the_pandas_engine(raw_file, client, tmp_path):
    real = mp.read_raw(raw_file(mp.SOURCE))
    raw, expected_totals = mc.generate(3000, seed=7, raw=real)
    # real rows repeated at both ends, so that copies fall in other partitions: the two posts the
    # parser rejects (no count), non-claims and reports, by raw row
    _, _, real_ledger = mp.tables(real)
    keys = real_ledger.rejects["raw_row"].tolist() + real_ledger.rows.loc[
        real_ledger.rows["outcome"].isin(["kept", "not_claim"]), "raw_row"].head(20).tolist()
    picked = real[real["raw_row"].isin(keys)][mp.RAW_COLUMNS]
    corpus = pd.concat([raw, picked, raw.iloc[[5, 1700, 2999]], picked], ignore_index=True)
    path = mc.write(tmp_path / "corpus.csv", corpus)
    expected = mp.tables(mp.read_raw(path))
    assert expected[2].summary()["duplicate"] == len(picked) + 3
    got = de.mod_tables(path, client, partition_rows=700)
    _assert_same(expected, got)
    assert mc.check(got[0], got[1], expected_totals)["all"] == 1.0


@pytest.mark.realdata
def test_build_with_the_dask_engine_writes_the_pandas_engines_bytes(raw_file, cluster, tmp_path, monkeypatch):
    raw_file(mp.SOURCE)  # fetched (or skipped) before the builds
    written = {}
    for engine in ("pandas", "dask"):
        out = tmp_path / engine
        monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(out))
        options = {"scheduler": cluster, "partition_rows": 2000} if engine == "dask" else {}
        entry = pipeline.build(["mod"], force=True, engine=engine, **options)["mod"]
        assert entry["engine"] == engine
        written[engine] = {p.name: p.read_bytes() for p in sorted(out.glob("*.parquet"))}
    assert set(written["dask"]) == {"mod_posts.parquet", "mod_post_regions.parquet", "ledger_mod_posts.parquet",
                                    "rejects_mod_posts.parquet", "flags_mod_posts.parquet"}
    assert written["dask"] == written["pandas"]
