"""The dask engine builds the pandas engine's tables and ledgers, byte for byte, on a local
cluster started here (threads of this process: ``LocalCluster(processes=False)``): the MoD posts
step, then the Air Force step (every version of its file)."""

from __future__ import annotations

import os
import re

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
from ceasefire_stats.clean import airforce as af
from ceasefire_stats.clean import mod_posts as mp
from ceasefire_stats.clean import weapons
from ceasefire_stats.core.cleaner import Context
from ceasefire_stats.core.errors import CeasefireStatsError
from ceasefire_stats.core.files import write_parquet
from ceasefire_stats.engines import dask_engine as de
from ceasefire_stats.testing import mod_corpus as mc
from ceasefire_stats.versions import registry as source_versions
from tests.clean import test_airforce as taf


def mod_tables(path, client, partition_rows=de.PARTITION_ROWS):
    """The MoD cleaner on the dask engine: posts, regions, ledger."""
    tables, ledger = de.tables(mp, Context(path, (mp.truncation(path),)), client, partition_rows)
    return tables["mod_posts"], tables["mod_post_regions"], ledger


def airforce_tables(path, reference, client, partition_rows=de.PARTITION_ROWS):
    """The Air Force cleaner on the dask engine: tables, ledger."""
    return de.tables(af, Context(path, (reference,)), client, partition_rows)


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
        _assert_same(expected, mod_tables(path, client, rows_per_part))



def test_a_telegram_export_whose_ids_are_not_in_file_order_is_sorted_as_the_pandas_engine_sorts(tmp_path, client):
    """Posts are ordered by raw row, a Telegram export's message id; when the ids do not follow
    the file, sorting each partition on its own is not enough and the engine sorts the whole."""
    import json

    from tests.clean import test_telegram_export as tg

    texts = [tg.TEXT_LONG, _post(3, "Курской"), tg.TEXT_SHORT, _post(5, "Орловской"), _post(2, "Брянской"),
             "Главное за день", _post(7, "Белгородской")]
    ids = [40, 12, 33, 5, 27, 8, 19]  # not in file order
    messages = [tg.message(i, 1746072600 + 60 * n, text) for n, (i, text) in enumerate(zip(ids, texts, strict=True))]
    path = tmp_path / "result.json"
    path.write_text(json.dumps(tg.export(messages), ensure_ascii=False), encoding="utf-8")
    expected = mp.tables(mp.read_raw(path), mp.truncation(path))  # full texts: none truncated
    assert expected[0]["raw_row"].tolist() == sorted(expected[0]["raw_row"].tolist()) != [
        i for i in ids if i in set(expected[0]["raw_row"])]  # the fixture exercises what it claims to
    for rows_per_part in (2, 3, 100):
        _assert_same(expected, mod_tables(path, client, rows_per_part))



def test_the_scratch_folder_is_made_if_missing_and_left_empty_and_an_unusable_one_is_named(tmp_path, client,
                                                                                          monkeypatch):
    from ceasefire_stats.core.errors import OutputError

    raw = pd.DataFrame({"date": ["2025-05-01"] * 3, "datetime": ["2025-05-01 04:10", "2025-05-01 05:10",
                                                                 "2025-05-01 06:10"],
                        "text_snippet": [_post(3, "Курской"), _post(4, "Брянской"), "Главное"]})
    path = mc.write(tmp_path / "posts.csv", raw.assign(drone_count="1", oblasts="")[mp.RAW_COLUMNS])
    scratch = tmp_path / "not" / "yet"
    monkeypatch.setenv("CEASEFIRE_STATS_SCRATCH", str(scratch))
    _assert_same(mp.tables(mp.read_raw(path)), mod_tables(path, client, 1))
    assert scratch.is_dir() and list(scratch.iterdir()) == []  # partitions, pieces and parts removed

    (tmp_path / "a_file").write_text("")
    monkeypatch.setenv("CEASEFIRE_STATS_SCRATCH", str(tmp_path / "a_file" / "scratch"))
    with pytest.raises(OutputError, match=rf"cannot use the scratch folder {tmp_path}/a_file/scratch: .*"
                                          "set CEASEFIRE_STATS_SCRATCH to a writable folder"):
        mod_tables(path, client, 1)


def _small_posts(tmp_path):
    raw = pd.DataFrame({"date": ["2025-05-01"] * 3, "datetime": ["2025-05-01 04:10", "2025-05-01 05:10",
                                                                 "2025-05-01 06:10"],
                        "text_snippet": [_post(3, "Курской"), _post(4, "Брянской"), "Главное"]})
    return mc.write(tmp_path / "posts.csv", raw.assign(drone_count="1", oblasts="")[mp.RAW_COLUMNS])


@pytest.mark.parametrize("failing_write", [1, 3, 4, 8])
def test_a_full_scratch_folder_is_one_line_and_leaves_it_and_the_tables_as_they_were(
        tmp_path, cluster, monkeypatch, capsys, failing_write):
    """The n-th Parquet write of the build fails as a full disk does (1 to 3: the partitions; 4 to
    8: the tables' parts, after the map stage; 8 is the last): exit 2, one line naming the scratch folder, no
    traceback, nothing left in the scratch folder, the processed folder untouched."""
    import errno

    import pyarrow.parquet as pq

    from ceasefire_stats import cli

    path = _small_posts(tmp_path)
    scratch, out = tmp_path / "scratch", tmp_path / "processed"
    monkeypatch.setenv("CEASEFIRE_STATS_SCRATCH", str(scratch))
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(out))
    monkeypatch.setattr(source_versions, "require", lambda source, label="pinned": path)
    write_table, calls = pq.write_table, []

    def full_disk(*args, **kwargs):
        calls.append(1)
        if len(calls) == failing_write:
            raise OSError(errno.ENOSPC, "Error writing bytes to file. Detail: [errno 28] No space left on device")
        return write_table(*args, **kwargs)

    monkeypatch.setattr(pq, "write_table", full_disk)
    monkeypatch.setattr(pipeline, "_engine", _on(cluster, pipeline._engine))
    assert cli.main(["build", "mod", "--engine", "dask", "--partition-rows", "1"]) == 2
    assert len(calls) == failing_write  # it failed where the test says, and stopped there
    err = capsys.readouterr().err
    assert err == (f"ceasefire-stats: error: cannot use the scratch folder {scratch}: No space left on device; set "
                   "CEASEFIRE_STATS_SCRATCH to a writable folder with free space (every worker must read it); the "
                   "built tables are unchanged\n")
    assert list(scratch.iterdir()) == []
    assert not out.exists() or list(out.glob("*.parquet")) == []


def _on(cluster, engine):
    """``pipeline._engine`` with the module's cluster as scheduler (no new cluster per build)."""
    def bound(name, plan, scheduler=None, workers=None, partition_rows=None, scheduler_timeout=None):
        return engine(name, plan, cluster, workers, partition_rows, scheduler_timeout)
    return bound


@pytest.mark.parametrize(("options", "match"), [
    ({"workers": 0}, "workers must be a positive whole number, not 0"),
    ({"workers": -1}, "workers must be a positive whole number, not -1"),
    ({"workers": True}, "workers must be a positive whole number, not True"),
    ({"partition_rows": 0}, "partition rows must be a positive whole number, not 0 (--partition-rows)"),
    ({"partition_rows": 2.5}, "partition rows must be a positive whole number, not 2.5"),
])
def test_options_that_cannot_work_are_refused_before_a_cluster_starts(tmp_path, monkeypatch, options, match):
    """A local cluster of no workers waits for ever for one: refused before any is started."""
    import dask.distributed

    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(tmp_path / "processed"))
    monkeypatch.setattr(dask.distributed, "LocalCluster", None)  # starting one would fail differently
    monkeypatch.setattr(de, "LocalCluster", None)
    with pytest.raises(de.OptionError, match=re.escape(match)):
        pipeline.build(["mod"], engine="dask", **options)
    assert not (tmp_path / "processed").exists() or list((tmp_path / "processed").glob("*.parquet")) == []


def test_the_engines_functions_refuse_them_too(tmp_path, client):
    with pytest.raises(de.OptionError, match="workers must be a positive whole number, not 0"), de.connect(workers=0):
        pass
    with pytest.raises(de.OptionError, match="partition rows must be a positive whole number, not 0"):
        mod_tables(_small_posts(tmp_path), client, 0)


_BUILD_HOLDING_SCRATCH = """
import contextlib, os, signal, sys
from ceasefire_stats.engines import dask_engine as de

with contextlib.ExitStack() as stack:  # a build's folders: its own, a raw file's partitions, a table set
    for prefix in de.SCRATCH_PREFIXES:
        folder = stack.enter_context(de._scratch(prefix))
        (folder / "part.000000.parquet").write_bytes(b"partition")
        (folder / "pieces").mkdir()
        (folder / "pieces" / "mod_posts.000000000000.arrow").write_bytes(b"piece")
        print(folder.name, flush=True)
    if sys.argv[1] == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    sys.stdin.read()  # a running build: holds its folders until told to finish
"""


def test_a_killed_builds_scratch_folders_are_removed_by_the_next_build_and_a_running_ones_kept(tmp_path, client,
                                                                                            monkeypatch):
    import subprocess
    import sys
    from pathlib import Path

    scratch = tmp_path / "scratch"
    monkeypatch.setenv("CEASEFIRE_STATS_SCRATCH", str(scratch))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(de.__file__).parents[2]),
                                                        os.environ.get("PYTHONPATH", "")])}
    running = subprocess.Popen([sys.executable, "-c", _BUILD_HOLDING_SCRATCH, "run"], env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        alive = [running.stdout.readline().strip() for _ in de.SCRATCH_PREFIXES]
        killed = subprocess.run([sys.executable, "-c", _BUILD_HOLDING_SCRATCH, "kill"], env=env, capture_output=True,
                                text=True)
        assert killed.returncode == -9
        dead = killed.stdout.split()
        kept = sorted([*alive, *(f"{name}.lock" for name in alive), "someone-elses", "ceasefire-build-unlocked"])
        assert sorted(p.name for p in scratch.iterdir()) == sorted(  # the killed build's folders are left
            [*alive, *dead, *(f"{name}.lock" for name in (*alive, *dead))])
        (scratch / "ceasefire-tables-orphan.lock").write_text("")  # a lock file whose owner died before its folder
        (scratch / "someone-elses").mkdir()  # not the engine's: never touched
        (scratch / "ceasefire-build-unlocked").mkdir()  # no lock file: perhaps an older version's running build

        path = _small_posts(tmp_path)
        _assert_same(mp.tables(mp.read_raw(path)), mod_tables(path, client, 1))  # the next build
        assert sorted(p.name for p in scratch.iterdir()) == kept
        assert (scratch / alive[0] / "pieces" / "mod_posts.000000000000.arrow").read_bytes() == b"piece"
    finally:
        running.communicate("")
    assert running.returncode == 0
    assert sorted(p.name for p in scratch.iterdir()) == ["ceasefire-build-unlocked", "someone-elses"]


@pytest.mark.realdata
def test_real_mod_file_tables_and_ledger_equal_the_pandas_engine(raw_file, client):
    path = raw_file(mp.SOURCE)
    _assert_same(mp.tables(mp.read_raw(path)), mod_tables(path, client, partition_rows=1000))


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
    got = mod_tables(path, client, partition_rows=700)
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


# ---------------------------------------------------------------------------------------
# The Air Force step

def _parquet_bytes(frame: pd.DataFrame, tmp_path) -> bytes:
    """The bytes the pipeline writes for ``frame`` (``core.files.write_parquet``)."""
    path = tmp_path / "frame.parquet"
    write_parquet(frame, path)
    return path.read_bytes()


def _assert_same_af(expected, got, tmp_path) -> None:
    """Tables and ledger of two Air Force builds equal, dtypes, order and index included, and
    written to the same Parquet bytes."""
    (tables0, ledger0), (tables1, ledger1) = expected, got
    assert list(tables1) == list(tables0)
    pairs = [(tables1[t], tables0[t]) for t in tables0]
    pairs += [(getattr(ledger1, part), getattr(ledger0, part)) for part in ("rows", "rejects", "flags")]
    for frame1, frame0 in pairs:
        pd.testing.assert_frame_equal(frame1, frame0)
        assert _parquet_bytes(frame1, tmp_path) == _parquet_bytes(frame0, tmp_path)
    ledger1.check()


@pytest.fixture
def reference(tmp_path):
    path = tmp_path / "missiles_and_uavs.csv"
    path.write_text(taf.REFERENCE_CSV, encoding="utf-8")
    return weapons.read_reference(path)[0]


def _af_rows() -> list[dict[str, str]]:
    """Rows in the upstream file's shape (invented values) with every reject and flag the cleaner
    lists, duplicates, key conflicts and key collisions whose partners are far apart, and count
    problems of one column in another order than in the file as a whole."""
    ok = {"launched": "2.0", "destroyed": "1.0", "status_data": ""}

    def r(n: int, **values: str) -> dict[str, str]:
        return taf.row(**(ok | {"model": "Kalibr", "source": f"kpszsu/posts/p{n}"} | values))

    a = r(1, model="Orlan-10", target="south")
    conflicted = r(4)
    rows = [
        a,
        r(2, model="Iskander-M", launched="0", destroyed="0", status_data="hidden"),
        r(3, launched="-3.0"),                                                    # negative first in the file
        conflicted,
        r(5, time_start="yesterday"),
        r(29, time_end="2025-02-30 08:00"),
        r(6, launched="2.5"),
        r(7, status_data="partial"),
        r(8, time_start="2025-03-30 03:30", time_end="2025-03-30 07:00"),        # DST gap
        a,                                                                        # duplicate, same partition when large
        r(9, model="Geran-9000"),
        r(10, launched="16.0", destroyed="15.0", not_reach_goal="11.0"),
        r(11, launched=""),
        r(12, destroyed=""),
        r(13, target="Atlantis"),
        r(14, destroyed_details="{'Kyiv oblast': __import__('os')}"),
        r(15, **{"affected region": "{'a': 1}"}),
        r(16, **{"affected region": "['Atlantis oblast', 'Kyiv oblast']", "destroyed_details": "{'Mordor': 1}"}),
        r(17, source="watch/?v=1"),
        r(18, model=""),
        r(19, model="X-101/X-555 and Kalibr", launched="80.0", launched_details="{'X-101/X-555': 40, 'Kalibr': 30}"),
        r(20, destroyed="1.0", destroyed_details="{'Kyiv oblast': 2}"),
        r(21, time_end="2025-01-01 08:00"),                                     # ends before it starts
        r(22, time_start="2021-01-01 19:00", time_end="2021-01-02 08:00"),      # before the invasion
        r(23, time_end="2025-01-09 08:00"),                                     # a week long
        r(24, launched="1e9"),
        r(25, destroyed="many"),
        r(6, launched="2.5"),                                                    # duplicate of a rejected row
        r(26, launched="2.5"), r(27, launched="-1.0"),                           # non-integer first in this partition
        conflicted | {"launched": "3.0"},                                        # same key and source, other values
        conflicted | {"destroyed": "x"},                                         # ...and rejected for a count too
        a | {"source": "kpszsu/posts/other"},                                    # same natural key, other post
        a,                                                                        # duplicate, far from its first
        r(28, border_crossing="{'belarus': 1.0, 'Narnia': 2.0}", **{"affected region": "['Atlantis oblast']"}),
    ]
    return rows


def test_af_every_finding_duplicate_and_conflict_across_partitions_match_the_pandas_engine(
        tmp_path, client, reference):
    path = tmp_path / "strikes.csv"
    path.write_text(taf.csv_text(_af_rows(), columns=af.RAW_COLUMNS + af.OPTIONAL_COLUMNS), encoding="utf-8")
    expected = af.clean(af.read_raw(path), reference)
    ledger = expected[1]
    # the fixture exercises what it claims to
    sites = set(zip(ledger.rejects["reason"], ledger.rejects["column"], strict=True))
    for reason, column in af.REJECT_ORDER:
        assert reason is None or (reason, column) in sites, (reason, column)
    flags = ledger.flags["flag"].where(~ledger.flags["detail"].str.startswith("target "), "unknown_region:target")
    assert set(flags) == set(af.FLAG_ORDER)
    assert ledger.summary()["duplicate"] == 2  # and a rejected row's copy, which counts as rejected
    count_reasons = ledger.rejects.loc[ledger.rejects["column"] == "launched", "reason"].tolist()
    assert count_reasons[:3] == ["negative_count", "negative_count", "non_integer_count"]
    for rows_per_part in (1, 5, 1000):
        _assert_same_af(expected, airforce_tables(path, reference, client, rows_per_part), tmp_path)


def test_af_old_17_column_schema_matches_the_pandas_engine(tmp_path, client, reference):
    old = {c: "" for c in af.OLD_COLUMNS} | {
        "time_start": "2025-01-01 19:00", "time_end": "2025-01-02 08:00", "target": "Ukraine",
        "source": "kpszsu/posts/old", "model": "Shahed-136/131", "launched": "10.0", "destroyed": "7.0",
        "cross_border_belarus": "1.0", "back_russia": "2.0"}
    rows = [old, old | {"model": "Kalibr", "back_russia": "x"}, old | {"launched": "9.0"}, old,
            old | {"source": "kpszsu/posts/old2"}]
    path = tmp_path / "old.csv"
    path.write_text(taf.csv_text(rows, columns=af.OLD_COLUMNS), encoding="utf-8")
    expected = af.clean(af.read_raw(path), reference)
    assert expected[1].summary()["duplicate"] == 1
    for rows_per_part in (1, 2):
        _assert_same_af(expected, airforce_tables(path, reference, client, rows_per_part), tmp_path)


def _version_path(label: str):
    try:
        return source_versions.require(af.SOURCE, label)
    except CeasefireStatsError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"real data unavailable in CI: {exc}")
        pytest.skip(f"real data unavailable: {exc}")


@pytest.mark.realdata
@pytest.mark.parametrize("label", source_versions.labels(af.SOURCE))
def test_af_every_version_of_the_real_file_equals_the_pandas_engine(label, raw_file, client, tmp_path):
    path = _version_path(label)
    reference = weapons.read_reference(raw_file("weapons"))[0]
    expected = af.clean(af.read_raw(path), reference)
    _assert_same_af(expected, airforce_tables(path, reference, client, partition_rows=1000), tmp_path)


def _replicate(raw: pd.DataFrame, copies: int) -> pd.DataFrame:
    """The raw rows ``copies`` times, each copy's ``source`` with a ``#k`` suffix (distinct reports,
    as benchmarks/bench_airforce.py makes them)."""
    parts = [raw.assign(source=raw["source"] + f"#{k}") for k in range(copies)]
    return pd.concat(parts, ignore_index=True)


@pytest.mark.realdata
def test_af_replicated_real_file_with_far_duplicates_equals_the_pandas_engine(raw_file, client, tmp_path):
    real = af.read_raw(raw_file(af.SOURCE))
    reference = weapons.read_reference(raw_file("weapons"))[0]
    big = _replicate(real[af.RAW_COLUMNS], 3)
    n = len(big)
    changed = big.iloc[[10]].assign(launched="999.0")            # conflicts with row 10, far away
    bad = big.iloc[[7, n // 2, n - 5]].assign(time_start="soon", source=lambda f: f["source"] + "!")
    corpus = pd.concat([big.iloc[: n // 2], bad.iloc[[0]], big.iloc[[3, 4]], big.iloc[n // 2:], changed,
                        bad.iloc[1:], big.iloc[[0, n - 1]]], ignore_index=True)
    path = tmp_path / "big.csv"
    corpus.to_csv(path, index=False)
    expected = af.clean(af.read_raw(path), reference)
    summary = expected[1].summary()
    assert summary["duplicate"] == 4 and summary["rejected"] >= 3 * 2 + 3 + 2
    _assert_same_af(expected, airforce_tables(path, reference, client, partition_rows=2500), tmp_path)


@pytest.mark.realdata
@pytest.mark.parametrize("label", source_versions.labels(af.SOURCE))
def test_af_build_with_the_dask_engine_writes_the_pandas_engines_bytes(label, cluster, tmp_path, monkeypatch, caplog):
    _version_path(label)  # present (or skipped) before the builds
    written = {}
    for engine in ("pandas", "dask"):
        out = tmp_path / engine
        monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(out))
        options = {"scheduler": cluster, "partition_rows": 1000} if engine == "dask" else {}
        with caplog.at_level("WARNING", logger="ceasefire_stats"):
            entry = pipeline.build(["airforce"], force=True, engine=engine, versions={af.SOURCE: label},
                                   **options)["airforce"]
        assert entry["engine"] == engine
        written[engine] = {p.name: p.read_bytes() for p in sorted(out.glob("*.parquet"))}
    assert "no dask builder" not in caplog.text
    assert set(written["dask"]) == {"strikes.parquet", "strike_regions.parquet", "ledger_airforce_strikes.parquet",
                                    "rejects_airforce_strikes.parquet", "flags_airforce_strikes.parquet",
                                    "ledger_weapons.parquet", "rejects_weapons.parquet", "flags_weapons.parquet"}
    assert written["dask"] == written["pandas"]


def test_post_keys_are_equal_exactly_for_rows_with_the_same_datetime_and_text():
    raw = pd.DataFrame({
        "raw_row": pd.array([2, 3, 4, 5, 6, 7, 8], dtype="Int64"),
        "datetime": pd.Series(["2025-05-01 04:10", "2025-05-01 04:10", "2025-05-01 04:11", None, "<NA>", "",
                               "2025-05-01 04:10"], dtype="str"),
        "text_snippet": pd.Series(["a", "a", "a", "a", "a", "a", "a "], dtype="str"),
    })
    keys = mp.post_keys(raw)
    assert keys["raw_row"].tolist() == [2, 3, 4, 5, 6, 7, 8]
    pairs = list(zip(keys["k1"], keys["k2"], strict=True))
    assert pairs[0] == pairs[1]                      # same datetime and text: a duplicate
    assert len(set(pairs)) == 6                      # every other pair differs: a missing cell is neither
    assert keys.duplicated(["k1", "k2"]).tolist() == [False, True] + [False] * 5  # "<NA>" nor ""
