"""Build and load: validated, atomic, reproducible, rebuilt when stale."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ceasefire_stats import pipeline
from ceasefire_stats.core.errors import ValidationError
from ceasefire_stats.core.ledger import LedgerError
from tests import toy_step

TOY = pipeline.Step("toy", "tests.toy_step", ("toy",))
DOUBLE = pipeline.Step("toy_double", "tests.toy_step", ("toy_double",), needs=("toy",),
                       function="build_downstream", schemas_name="DOUBLE_SCHEMAS")


def _visible(folder: Path) -> dict[str, bytes]:
    """What a direct reader of the processed folder sees: the bytes behind every file name in it
    (``<table>.parquet`` and the manifest are links into the current generation)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name != pipeline.LOCK}


@pytest.fixture
def out(tmp_path, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(tmp_path))
    monkeypatch.setattr(pipeline, "STEPS", (TOY,))
    return tmp_path


def test_build_writes_tables_ledgers_and_manifest_reproducibly(out):
    entry = pipeline.build()["toy"]
    assert entry["tables"] == {"toy": 3}
    assert entry["ledgers"] == [{"source": "toy", "in": 3, "kept": 3, "flagged": 0, "rejected": 0, "duplicate": 0}]
    first = _visible(out)
    assert {"toy.parquet", "ledger_toy.parquet", "rejects_toy.parquet", "build_manifest.json"} <= set(first)
    pipeline.build(force=True)
    assert _visible(out) == first
    manifest = json.loads((out / "build_manifest.json").read_text())
    assert manifest["steps"]["toy"]["code_sha256"] == pipeline.code_fingerprint(TOY)


def test_load_builds_when_missing_and_returns_the_validated_table(out):
    frame = pipeline.load("toy")
    assert frame["toy_n"].tolist() == [1, 2, 3] and str(frame["toy_n"].dtype) == "Int64"


def test_failed_validation_writes_nothing_and_keeps_previous_outputs(out, monkeypatch):
    pipeline.build()
    before = _visible(out)
    monkeypatch.setattr(toy_step, "VALUES", [1, -2, 3])
    with pytest.raises(ValidationError, match=r"(?s)table .toy.*toy_n.*-2.*raw_row \[3\]"):
        pipeline.build(force=True)
    assert _visible(out) == before


def test_load_rebuilds_a_table_whose_inputs_changed(out, monkeypatch):
    pipeline.load("toy")
    manifest = json.loads((out / "build_manifest.json").read_text())
    manifest["steps"]["toy"]["code_sha256"] = "0" * 64  # built by other code: stale
    (out / "build_manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(toy_step, "VALUES", [7, 8, 9])
    assert pipeline.load("toy")["toy_n"].tolist() == [7, 8, 9]


def test_a_cleaner_that_loses_a_row_fails_the_build_and_writes_nothing(out, monkeypatch):
    monkeypatch.setattr(toy_step, "LOST", 2)
    with pytest.raises(LedgerError, match=r"kept but missing \[3\]"):
        pipeline.build()
    assert list(out.iterdir()) == []


def test_a_failing_downstream_step_leaves_no_upstream_table_written(tmp_path, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(tmp_path))
    monkeypatch.setattr(pipeline, "STEPS", (TOY, DOUBLE))
    monkeypatch.setattr(toy_step, "FAIL_DOWNSTREAM", True)
    with pytest.raises(RuntimeError, match="downstream failed"):
        pipeline.build()
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(toy_step, "FAIL_DOWNSTREAM", False)
    pipeline.build()
    assert pipeline.load("toy_double")["toy_n"].tolist() == [2, 4, 6]


def test_building_only_a_derived_step_rebuilds_its_missing_need_but_writes_nothing_if_it_fails(tmp_path, monkeypatch):
    """The regression of the nested build: with the upstream table deleted and the derived step
    failing, ``build(["toy_double"])`` (as ``build(["claims", "claim_checks"])`` with
    ``strikes.parquet`` deleted) rebuilds the need in the same transaction and writes nothing."""
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(tmp_path))
    monkeypatch.setattr(pipeline, "STEPS", (TOY, DOUBLE))
    pipeline.build()
    (tmp_path / "toy.parquet").unlink()
    before = _visible(tmp_path)
    monkeypatch.setattr(toy_step, "FAIL_DOWNSTREAM", True)
    monkeypatch.setattr(toy_step, "RUNS", [])
    with pytest.raises(RuntimeError, match="downstream failed"):
        pipeline.build(["toy_double"], force=True)
    assert toy_step.RUNS == ["toy", "toy_double"]  # the missing need was rebuilt first ...
    assert _visible(tmp_path) == before  # ... but nothing written
    monkeypatch.setattr(toy_step, "FAIL_DOWNSTREAM", False)
    monkeypatch.setattr(toy_step, "RUNS", [])
    assert set(pipeline.build(["toy_double"], force=True)) == {"toy", "toy_double"}
    monkeypatch.setattr(toy_step, "RUNS", [])
    assert set(pipeline.build(["toy_double"], force=True)) == {"toy_double"}  # a current need is read
    assert toy_step.RUNS == ["toy_double"]


def test_a_changed_need_makes_the_derived_table_stale(tmp_path, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(tmp_path))
    monkeypatch.setattr(pipeline, "STEPS", (TOY, DOUBLE))
    pipeline.build()
    manifest = json.loads((tmp_path / "build_manifest.json").read_text())
    assert pipeline._is_current(DOUBLE, manifest)
    monkeypatch.setattr(pipeline, "fingerprint", lambda step, versions=None: {"changed": step.name})
    assert not pipeline._is_current(DOUBLE, manifest)


def test_load_ledger_returns_one_ledger_that_checks(out):
    pipeline.build()
    ledger = pipeline.load_ledger("toy")
    ledger.check()
    assert ledger.summary() == {"source": "toy", "in": 3, "kept": 3, "flagged": 0, "rejected": 0, "duplicate": 0}


# --- one generation, faults and repairs (issue: every promise holds) -------------------------


def test_a_hand_edited_table_is_not_served_as_current(out):
    pipeline.build()
    table = out / "toy.parquet"
    from ceasefire_stats.core.files import write_parquet

    frame = pipeline.load("toy").assign(toy_n=lambda d: d["toy_n"] * 100)
    write_parquet(frame, table)  # a valid table, but not the one the manifest vouches for
    assert not pipeline._is_current(TOY, pipeline.read_manifest())
    assert pipeline.load("toy")["toy_n"].tolist() == [1, 2, 3]


def test_a_build_interrupted_between_table_and_manifest_writes_leaves_the_old_generation(out, monkeypatch):
    pipeline.build()
    before = _visible(out)
    monkeypatch.setattr(toy_step, "VALUES", [4, 5, 6])

    def interrupted(obj, path):
        raise KeyboardInterrupt  # after the tables, before the manifest

    monkeypatch.setattr(pipeline, "write_json", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(force=True)
    assert _visible(out) == before  # the new table is in no published generation
    assert [p.name for p in (out / "generations").iterdir()] == [(out / "current").resolve().name]
    monkeypatch.undo()
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(out))
    monkeypatch.setattr(pipeline, "STEPS", (TOY,))
    assert pipeline._is_current(TOY, pipeline.read_manifest())
    assert pipeline.load("toy")["toy_n"].tolist() == [1, 2, 3]


def test_a_later_build_removes_temp_files_and_generations_left_by_a_killed_one(out):
    pipeline.build()
    leftover = out / ".toy.parquet.abc123.tmp"
    leftover.write_bytes(b"half a table")
    half = out / "generations" / "20260101T000000Z-killed"
    half.mkdir()
    (half / "toy.parquet").write_bytes(b"half a table")
    pipeline.build(force=True)
    assert not leftover.exists() and not half.exists()


@pytest.mark.parametrize("content", ["{not json", "", "[1, 2]", '{"steps": 3}', "\udcff", "[" * 100_000 + "]" * 100_000])
def test_a_corrupted_manifest_is_repaired_by_the_next_build(out, content, caplog):
    pipeline.build()
    (out / "build_manifest.json").write_text(content, encoding="utf-8", errors="surrogateescape")
    assert pipeline.read_manifest() == {"steps": {}, "outputs": {}}
    assert "unreadable" in caplog.text
    assert pipeline.load("toy")["toy_n"].tolist() == [1, 2, 3]
    assert json.loads((out / "build_manifest.json").read_text())["steps"]["toy"]["tables"] == {"toy": 3}


def test_a_truncated_table_is_rebuilt(out):
    pipeline.build()
    table = out / "toy.parquet"
    table.write_bytes(table.read_bytes()[:40])
    assert pipeline.load("toy")["toy_n"].tolist() == [1, 2, 3]


def test_load_says_in_one_line_when_it_builds(out, caplog):
    pipeline.load("toy")
    assert [r.getMessage() for r in caplog.records if r.name == "ceasefire_stats"] == [
        "building toy (step toy): missing, stale or changed since the last build"]
    caplog.clear()
    pipeline.load("toy")
    assert not [r for r in caplog.records if r.name == "ceasefire_stats"]


@pytest.mark.parametrize("make_bad", ["file_where_folder_belongs", "file_as_parent"])
def test_an_unusable_processed_folder_is_one_clear_error_naming_it(tmp_path, monkeypatch, capsys, make_bad):
    from ceasefire_stats import cli

    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    target = blocker if make_bad == "file_where_folder_belongs" else blocker / "processed"
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(target))
    monkeypatch.setattr(pipeline, "STEPS", (TOY,))
    assert cli.main(["build"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(target) in err[0] and "writable folder" in err[0]
    assert blocker.read_text() == "not a folder"


def test_a_full_disk_during_the_writes_names_the_folder_and_keeps_the_old_file(tmp_path, monkeypatch):
    import errno
    import os

    from ceasefire_stats.core import files
    from ceasefire_stats.core.errors import OutputError

    target = tmp_path / "t.json"
    files.write_json({"a": 1}, target)

    def full(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "replace", full)
    with pytest.raises(OutputError, match=rf"cannot write to the folder {tmp_path}: No space left on device"):
        files.write_json({"a": 2}, target)
    assert json.loads(target.read_text()) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]


def test_an_unwritable_figures_folder_is_one_clear_error(tmp_path, monkeypatch):
    from ceasefire_stats.core.errors import OutputError
    from ceasefire_stats.plots.figure import new_figure, save_figure

    (tmp_path / "figs").write_text("a file")
    monkeypatch.setenv("CEASEFIRE_STATS_FIGURES", str(tmp_path / "figs"))
    with new_figure((2, 2)) as fig:
        fig.subplots()
    with pytest.raises(OutputError, match=r"figs"):
        save_figure(fig, "x", formats=("svg",))


def test_notebooks_command_with_a_missing_notebook_exits_2(capsys):
    from ceasefire_stats import cli

    assert cli.main(["notebooks", "nosuch.ipynb"]) == 2
    err = capsys.readouterr().err
    assert "no such notebook: nosuch.ipynb" in err and "Traceback" not in err


def test_a_build_skips_current_steps_unless_forced(out, monkeypatch):
    monkeypatch.setattr(toy_step, "RUNS", [])
    assert set(pipeline.build()) == {"toy"}
    assert pipeline.build() == {} and toy_step.RUNS == ["toy"]
    assert set(pipeline.build(force=True)) == {"toy"} and toy_step.RUNS == ["toy", "toy"]


def test_an_unknown_engine_is_refused(out):
    with pytest.raises(pipeline.EngineError, match=r"unknown build engine 'spark'; known: \['pandas', 'dask'\]"):
        pipeline.build(engine="spark")


@pytest.mark.parametrize(("options", "message"), [
    (["--workers", "2"], "--scheduler, --workers and --partition-rows go with --engine dask"),
    (["--engine", "dask", "--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"],
     "--workers sets the size of a local cluster; a scheduler given with --scheduler has the workers started for it"),
    (["--engine", "dask", "--scheduler-timeout", "5"], "--scheduler-timeout goes with --scheduler"),
    (["--engine", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--scheduler-timeout", "0"],
     "--scheduler-timeout takes a positive number of seconds, not 0"),
])
def test_engine_options_that_do_not_go_together_exit_2_before_anything_runs(out, capsys, options, message):
    from ceasefire_stats import cli

    assert cli.main(["build", *options]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and message in err
    assert list(out.iterdir()) == []  # nothing built, nothing written


# --- a build with nothing to do imports no step (issue 11: a no-op build under 1 s) ------------

#: what a build of current steps must not import: the libraries a step runs on, the steps' modules
HEAVY = ("pandas", "pandera", "numpy", "pyarrow", "statsmodels", "scipy", "matplotlib", "ceasefire_stats.clean",
         "ceasefire_stats.analysis", "ceasefire_stats.engines", "tests.toy_step")
_BUILD = """
import json, sys
from ceasefire_stats import cli, pipeline
lines = json.loads(sys.argv[1])
if lines is not None:
    pipeline.STEPS = tuple(pipeline.Step(**{k: tuple(v) if isinstance(v, list) else v for k, v in line.items()})
                           for line in lines)
status = cli.main(["build"])
print(json.dumps([status, [name for name in json.loads(sys.argv[2]) if name in sys.modules]]))
"""


def _build_in_a_fresh_process(steps: tuple[pipeline.Step, ...] | None = None) -> tuple[int, list[str], list[str]]:
    """``ceasefire-stats build`` in a new interpreter (of ``steps``, default the real table):
    its exit status, the lines it printed, and which of :data:`HEAVY` it imported."""
    lines = None if steps is None else [dataclasses.asdict(step) for step in steps]
    done = subprocess.run([sys.executable, "-c", _BUILD, json.dumps(lines), json.dumps(HEAVY)],
                          capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent)
    assert done.stderr == ""
    *printed, last = done.stdout.splitlines()
    status, imported = json.loads(last)
    return status, printed, imported


def test_a_build_of_current_steps_imports_no_step_and_a_stale_step_still_builds(out, monkeypatch):
    monkeypatch.setattr(pipeline, "STEPS", (TOY, DOUBLE))
    pipeline.build()
    assert _build_in_a_fresh_process((TOY, DOUBLE)) == (
        0, ["every selected table is up to date (use --force to rebuild)"], [])
    (out / "toy_double.parquet").unlink()
    status, printed, imported = _build_in_a_fresh_process((TOY, DOUBLE))
    assert status == 0 and printed[0] == "[toy_double] tables: toy_double=3"  # the stale step only
    assert {"pandas", "pandera", "tests.toy_step"} <= set(imported)
    assert pipeline.build() == {} and pipeline.load("toy_double")["toy_n"].tolist() == [2, 4, 6]


def test_the_real_step_table_decides_a_build_is_a_no_op_without_importing_a_step(tmp_path, monkeypatch):
    """Every real step current (a manifest vouching for stand-in files, as a build writes it):
    the command decides from the manifest, hashes and the registry alone."""
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(tmp_path))
    (tmp_path / pipeline.MANIFEST).write_text(json.dumps(_stand_in_build(tmp_path)))
    assert _build_in_a_fresh_process() == (0, ["every selected table is up to date (use --force to rebuild)"], [])


@pytest.mark.parametrize("step", pipeline.STEPS, ids=lambda step: step.name)
def test_each_line_of_the_step_table_says_what_its_module_does(step):
    step.check()
    assert tuple(step.schemas) == step.outputs and step.builder.__module__ == step.module


def test_a_line_that_disagrees_with_its_module_fails_the_build_before_it_runs(out, monkeypatch):
    monkeypatch.setattr(pipeline, "STEPS", (dataclasses.replace(TOY, outputs=("toy", "toy_extra")),))
    monkeypatch.setattr(toy_step, "RUNS", [])
    with pytest.raises(pipeline.StepTableError, match=r"writes \['toy', 'toy_extra'\].*tests.toy_step has tables "
                       r"\['toy'\]"):
        pipeline.build()
    assert toy_step.RUNS == [] and list(out.iterdir()) == []


# --- a step's code fingerprint is its import closure (issue 21) --------------------------------


def _stand_in_build(folder: Path) -> dict:
    """A manifest vouching for stand-in files of every real step, as a build writes it."""
    from ceasefire_stats.core.files import sha256_file
    from ceasefire_stats.core.version import __version__

    manifest = {"package_version": __version__, "steps": {}, "outputs": {}}
    for step in pipeline.STEPS:
        for name in pipeline._files(step):
            (folder / name).write_bytes(f"stand-in for {name}".encode())
            manifest["outputs"][name] = sha256_file(folder / name)
        manifest["steps"][step.name] = {"inputs": pipeline.fingerprint(step), "package_version": __version__,
                                        "code_sha256": pipeline.code_fingerprint(step)}
    return manifest


def test_a_plot_edit_leaves_every_step_current_and_a_cleaner_edit_stales_its_step_and_those_downstream(
        tmp_path, monkeypatch):
    from ceasefire_stats.core import imports, paths

    copy = tmp_path / "ceasefire_stats"  # the package's sources, edited in a copy
    shutil.copytree(paths.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "curated"))
    monkeypatch.setattr(paths, "PACKAGE_DIR", copy)
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(tmp_path / "processed"))
    (tmp_path / "processed").mkdir()
    manifest = _stand_in_build(tmp_path / "processed")

    def stale() -> list[str]:
        return [step.name for step in pipeline.STEPS if not pipeline._is_current(step, manifest)]

    assert stale() == []
    for plot in sorted((copy / "plots").glob("*.py")):
        plot.write_text(plot.read_text() + "\n# a comment in a plot module\n")
    assert stale() == []
    cleaner = imports.module_file("ceasefire_stats.clean.airforce", copy)
    original = cleaner.read_text()
    cleaner.write_text(original + "\n# a comment in the Air Force cleaner\n")
    # the Air Force step and the steps that need its strikes table, not the others
    assert stale() == ["airforce", "claim_checks", "truce_effects"]
    cleaner.write_text(original)  # the same bytes again (a newer modification time): current
    assert stale() == []
    claims = imports.module_file("ceasefire_stats.clean.claims", copy)
    claims.write_text(claims.read_text() + "\n# a comment in the claims cleaner\n")
    assert stale() == ["claims", "claim_checks"]


def test_the_code_of_a_step_is_its_module_and_what_it_imports_within_the_package():
    from ceasefire_stats.core import imports, paths

    files = {step.name: {p.relative_to(paths.PACKAGE_DIR).as_posix() for p in pipeline.code_files(step)}
             for step in pipeline.STEPS}
    for step in pipeline.STEPS:  # the pipeline and the core modules it writes with, in every step
        assert {"pipeline.py", "core/files.py", "core/fields.py", "core/ledger.py"} <= files[step.name]
        assert not any(name.startswith(("plots/", "reports/", "engines/")) for name in files[step.name])
    mod_cleaner = imports.module_file("ceasefire_stats.clean.mod_posts", paths.PACKAGE_DIR)
    mod_cleaner = mod_cleaner.relative_to(paths.PACKAGE_DIR).as_posix()
    assert mod_cleaner in files["mod"] and mod_cleaner not in files["airforce"]
    assert "registry.toml" in files["airforce"]  # a data file a module of the closure names


# --- one generation on disk: kill -9 and a file-size limit in the write phase (issue 20) -------


def _in_a_child(body) -> tuple[int, str]:
    """Run ``body()`` in a forked child process (this process's state, as a build subprocess
    would have it); return how it ended (``-signal`` or its exit status) and what it said."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 0
        try:
            os.close(read)
            said = body() or ""
        except BaseException as exc:  # reported to the parent
            said, status = f"{type(exc).__name__}: {exc}", 3
        os.write(write, said.encode())
        os._exit(status)
    os.close(write)
    with os.fdopen(read) as pipe:
        said = pipe.read()
    _, status = os.waitpid(pid, 0)
    return (-os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)), said


def _build_killed_before_rename(number: int) -> None:
    """A forced build of the toy values 4, 5, 6 that ``kill -9``s itself just before the
    ``number``-th rename of its write phase (a table, the manifest, a link, the switch)."""
    count = itertools.count(1)
    rename = os.replace

    def replace(src, dst):
        if next(count) == number:
            os.kill(os.getpid(), signal.SIGKILL)
        rename(src, dst)

    toy_step.VALUES = [4, 5, 6]
    os.replace = replace
    pipeline.build(force=True)


def _assert_one_generation(folder: Path) -> list[int]:
    """Every reader sees one whole build: the manifest vouches for the bytes behind every name,
    each table read directly is consistent with the others, the ledger checks, and a copy of
    the folder (links kept or followed) holds the same. The toy values seen are returned."""
    import pandas as pd

    from ceasefire_stats.core.files import sha256_file

    seen = _visible(folder)
    manifest = json.loads(seen[pipeline.MANIFEST])
    assert {name: sha256_file(folder / name) for name in seen if name != pipeline.MANIFEST} == manifest["outputs"]
    toy = pd.read_parquet(folder / "toy.parquet")["toy_n"].tolist()
    assert pd.read_parquet(folder / "toy_double.parquet")["toy_n"].tolist() == [2 * n for n in toy]
    pipeline.load_ledger("toy").check()
    for links in (True, False):
        copy = folder.parent / f"copy_{links}"
        shutil.copytree(folder, copy, symlinks=links)
        assert _visible(copy) == seen
        shutil.rmtree(copy)
    return toy


def test_a_build_killed_anywhere_in_its_writes_leaves_one_whole_generation_for_every_reader(out, monkeypatch):
    monkeypatch.setattr(pipeline, "STEPS", (TOY, DOUBLE))
    monkeypatch.setattr(toy_step, "VALUES", [1, 2, 3])
    pipeline.build()
    seen = []
    for number in itertools.count(1):
        how, said = _in_a_child(functools.partial(_build_killed_before_rename, number))
        assert how in (-signal.SIGKILL, 0), said
        seen.append(_assert_one_generation(out))
        if how == 0:  # the build went through: every rename point was tried
            break
        pipeline.build(force=True)  # the old values again; removes what the killed build left
        assert len(list((out / "generations").iterdir())) <= 2  # the current one and the one it replaced
    written = len(pipeline.read_manifest()["outputs"]) + 1  # tables, ledgers, the manifest
    # killed before any of those renames or before the switch: the old build; after it, the new
    assert seen == [[1, 2, 3]] * (written + 1) + [[4, 5, 6]] * (len(seen) - written - 1)
    assert len(seen) > written + 1
    assert pipeline.load("toy")["toy_n"].tolist() == [4, 5, 6]


def test_a_file_size_limit_in_the_write_phase_changes_nothing_and_says_so_truly(out, monkeypatch):
    import resource

    monkeypatch.setattr(pipeline, "STEPS", (TOY, DOUBLE))
    pipeline.build()
    before = _visible(out)
    sizes = sorted(len(data) for data in before.values())
    limit = sizes[-1] - 1  # the smaller files fit, the largest does not

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        toy_step.VALUES = [4, 5, 6]
        pipeline.build(force=True)

    how, said = _in_a_child(limited)
    assert how == 3 and said.startswith("OutputError: cannot write to the folder") and str(out) in said
    assert said.endswith("outputs already there are unchanged") and "\n" not in said
    assert _visible(out) == before and _assert_one_generation(out) == [1, 2, 3]
    assert [p.name for p in (out / "generations").iterdir()] == [(out / "current").resolve().name]


def test_generations_removed_by_hand_are_rebuilt(out, monkeypatch):
    monkeypatch.setattr(pipeline, "STEPS", (TOY, DOUBLE))
    pipeline.build()
    shutil.rmtree(out / "generations")  # every name now a dangling link
    assert pipeline.read_manifest() == {"steps": {}, "outputs": {}}
    assert pipeline.load("toy")["toy_n"].tolist() == [1, 2, 3]
    assert set(pipeline.build()) == {"toy_double"} and _assert_one_generation(out) == [1, 2, 3]


def test_a_folder_of_tables_written_before_generations_is_adopted_without_a_change_readers_see(out):
    pipeline.build()
    before = _visible(out)
    for name, data in before.items():  # the old layout: the files themselves in the folder
        (out / name).unlink()
        (out / name).write_bytes(data)
    (out / "current").unlink()
    shutil.rmtree(out / "generations")
    assert pipeline.build() == {}  # current in the old layout
    pipeline.build(force=True)
    assert _visible(out) == before and (out / "current").is_symlink()
    assert all((out / name).is_symlink() for name in before)
