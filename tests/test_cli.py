"""The command line's own checks: arguments that cannot work and outputs that cannot be written
are refused before any work starts, with exit status 2 and one line on stderr."""

from __future__ import annotations

import errno

import pytest

from ceasefire_stats import cli, pipeline
from ceasefire_stats.core import files


@pytest.fixture
def nothing_runs(tmp_path, monkeypatch):
    """A processed folder of its own; building, diffing or rendering fails the test."""
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(tmp_path / "processed"))

    def must_not_run(*args, **kwargs):
        raise AssertionError("the command started its work before checking its arguments")

    from ceasefire_stats.reports import site
    from ceasefire_stats.versions import diff as source_diff

    monkeypatch.setattr(pipeline, "build", must_not_run)
    monkeypatch.setattr(source_diff, "diff", must_not_run)
    monkeypatch.setattr(site, "render", must_not_run)
    return tmp_path


def one_line(capsys) -> str:
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1, err
    return err


@pytest.mark.parametrize(("argv", "message"), [
    # a local cluster of no workers waits for ever for one
    (["build", "--engine", "dask", "--workers", "0"], "argument --workers: takes a positive whole number, not 0"),
    (["build", "--engine", "dask", "--workers", "-1"], "argument --workers: takes a positive whole number, not -1"),
    (["build", "--engine", "dask", "--workers", "two"], "argument --workers: takes a positive whole number, not 'two'"),
    (["build", "--engine", "dask", "--partition-rows", "0"],
     "argument --partition-rows: takes a positive whole number, not 0"),
    (["build", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--scheduler-timeout", "inf"],
     "--scheduler-timeout takes a positive number of seconds, not inf"),
    (["build", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--scheduler-timeout", "nan"],
     "--scheduler-timeout takes a positive number of seconds, not nan"),
    (["build", "--engine", "spark"], "argument --engine: invalid choice: 'spark'"),
    (["diff", "airforce_strikes", "pinned", "pinned", "--rows", "-1"],
     "argument --rows: takes a whole number, 0 or more, not -1"),
    (["diff", "airforce_strikes", "pinned"], "the following arguments are required: new"),
    (["nosuch"], "argument COMMAND: invalid choice: 'nosuch'"),
])
def test_arguments_that_cannot_work_exit_2_with_one_line_before_anything_runs(nothing_runs, capsys, argv, message):
    assert cli.main(argv) == 2
    err = one_line(capsys)
    assert err.startswith("ceasefire-stats") and message in err, err
    assert not (nothing_runs / "processed").exists()


def test_help_still_prints_the_usage_and_succeeds(capsys):
    assert cli.main(["build", "--help"]) == 0
    assert "--partition-rows N" in capsys.readouterr().out


def _unwritable(monkeypatch):
    """Every folder refuses new files, as a read-only file system does (the tests may run as root,
    whom file modes do not stop)."""
    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)


@pytest.mark.parametrize(("case", "message"), [
    ("folder", "--out {tmp}/out: a folder, not a file; give a file name, e.g. {tmp}/out/out.csv"),
    ("under_a_file", "--out {tmp}/a_file/diff.csv: {tmp}/a_file is a file, not a folder; choose another path"),
    ("unwritable", "--out {tmp}/new/diff.csv: cannot write to the folder {tmp} (Read-only file system); "
                   "choose a writable folder"),
])
def test_diff_checks_out_before_computing_the_diff(nothing_runs, monkeypatch, capsys, case, message):
    tmp = nothing_runs
    (tmp / "out").mkdir()
    (tmp / "a_file").write_text("")
    out = {"folder": tmp / "out", "under_a_file": tmp / "a_file" / "diff.csv", "unwritable": tmp / "new" / "diff.csv"}
    if case == "unwritable":
        _unwritable(monkeypatch)
    assert cli.main(["diff", "airforce_strikes", "2025-04-18", "pinned", "--out", str(out[case])]) == 2
    assert one_line(capsys) == f"ceasefire-stats: error: {message.format(tmp=tmp)}\n"
    assert sorted(p.name for p in tmp.iterdir()) == ["a_file", "out"]  # nothing made


@pytest.mark.parametrize(("case", "message"), [
    ("file", "--out {tmp}/a_file: a file, not a folder; give a folder (it is made if missing)"),
    ("under_a_file", "--out {tmp}/a_file/site: {tmp}/a_file is a file, not a folder; choose another path"),
    ("unwritable", "--out {tmp}/new/site: cannot write to the folder {tmp} (Read-only file system); "
                   "choose a writable folder"),
])
def test_render_checks_out_before_sphinx_starts(nothing_runs, monkeypatch, capsys, case, message):
    tmp = nothing_runs
    (tmp / "a_file").write_text("")
    out = {"file": tmp / "a_file", "under_a_file": tmp / "a_file" / "site", "unwritable": tmp / "new" / "site"}
    if case == "unwritable":
        _unwritable(monkeypatch)
    assert cli.main(["render", "--out", str(out[case])]) == 2
    assert one_line(capsys) == f"ceasefire-stats: error: {message.format(tmp=tmp)}\n"
    assert sorted(p.name for p in tmp.iterdir()) == ["a_file"]


def test_render_does_not_fill_a_folder_of_other_files(nothing_runs, monkeypatch, capsys):
    """``render --out .`` in a checkout or a home folder would mix the site into it (or, swapped
    in whole, replace it): refused. An earlier render, an empty or a new folder are used."""
    from ceasefire_stats.reports import site

    tmp = nothing_runs
    (tmp / "mine").mkdir()
    (tmp / "mine" / "notes.txt").write_text("not the site's")
    assert cli.main(["render", "--out", str(tmp / "mine")]) == 2
    assert one_line(capsys) == (f"ceasefire-stats: error: --out {tmp}/mine: a folder holding other files, not an "
                                "earlier render of the site; give a new or empty folder, or the folder of an "
                                "earlier render\n")
    assert [p.name for p in (tmp / "mine").iterdir()] == ["notes.txt"]

    rendered = []
    monkeypatch.setattr(site, "render", lambda out: rendered.append(out) or tmp / "index.html")
    (tmp / "earlier").mkdir()
    (tmp / "earlier" / ".buildinfo").write_text("")
    (tmp / "earlier" / "old.html").write_text("")
    (tmp / "empty").mkdir()
    for out in ("earlier", "empty", "new"):
        assert cli.main(["render", "--out", str(tmp / out)]) == 0
    assert rendered == [str(tmp / out) for out in ("earlier", "empty", "new")]


def test_a_usable_out_is_left_as_it_was(tmp_path):
    """The check makes nothing: a missing folder is made when the output is written."""
    assert files.check_output_file(tmp_path / "new" / "diff.csv") == tmp_path / "new" / "diff.csv"
    assert files.check_output_folder(tmp_path / "new" / "site") == tmp_path / "new" / "site"
    assert files.check_output_folder(tmp_path) == tmp_path
    assert list(tmp_path.iterdir()) == []
