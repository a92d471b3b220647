"""Source versions: `add` registers a file (checked, hashed, copied), the registry is
deterministic and atomic, every bad input exits 2 with one line and writes nothing, and
`build --version` reads the chosen version (recorded in the manifest)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ceasefire_stats import cli, pipeline
from ceasefire_stats.clean import airforce
from ceasefire_stats.core import paths
from ceasefire_stats.versions import registry as versions
from ceasefire_stats.versions.registry import Inspection, Version, VersionError

HEADER = ",".join(f'"{c}"' if " " in c else c for c in airforce.RAW_COLUMNS)


def strikes_csv(*rows: tuple[str, str, str]) -> str:
    """A tiny 22-column Air Force file: (time_start, model, launched) per row (values invented)."""
    lines = [HEADER]
    for start, model, launched in rows:
        cells = {c: "" for c in airforce.RAW_COLUMNS} | {
            "time_start": start, "time_end": start, "model": model, "target": "Ukraine", "launched": launched,
            "destroyed": "0.0", "border_crossing": "{}", "source": "kpszsu/posts/pfbidTEST"}
        lines.append(",".join(cells[c] for c in airforce.RAW_COLUMNS))
    return "\n".join(lines) + "\n"


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "in" not in p.relative_to(root).parts[:1]}


def write(project: Path, name: str, text: str | bytes) -> Path:
    path = project / "in" / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_add_checks_hashes_copies_and_records_the_version(project, capsys):
    file = write(project, "attacks.csv", strikes_csv(("2026-08-01 19:00", "Kalibr", "3.0"),
                                                     ("2026-08-20", "Iskander-M", "1.0")))
    assert cli.main(["add", "airforce_strikes", str(file)]) == 0
    assert "airforce_strikes 2026-08-20: added" in capsys.readouterr().out
    version = versions.get_version("airforce_strikes", "2026-08-20")
    assert (version.added, version.coverage_start, version.coverage_end) == ("2026-08-20", "2026-08-01", "2026-08-20")
    assert (version.schema, version.form, version.original_name) == ("22 columns", "csv", "attacks.csv")
    assert version.size_bytes == file.stat().st_size
    copy = project / "raw" / "versions" / "airforce_strikes" / "2026-08-20" / "attacks.csv"
    assert copy.read_bytes() == file.read_bytes()
    assert versions.require("airforce_strikes", "2026-08-20") == copy
    assert versions.labels("airforce_strikes") == ["pinned", "2026-08-20"]


def test_re_adding_the_same_bytes_is_a_no_op(project, capsys):
    file = write(project, "attacks.csv", strikes_csv(("2026-08-01 19:00", "Kalibr", "3.0")))
    assert cli.main(["add", "airforce_strikes", str(file), "--label", "kaggle-v300", "--date", "2026-09-01"]) == 0
    before = snapshot(project)
    assert cli.main(["add", "airforce_strikes", str(file), "--label", "kaggle-v300", "--date", "2026-09-01"]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert snapshot(project) == before


def test_the_registry_is_the_same_whatever_the_order_of_adding(project, tmp_path):
    one = write(project, "a.csv", strikes_csv(("2026-08-01", "Kalibr", "3.0")))
    two = write(project, "b.csv", strikes_csv(("2026-08-02", "Kalibr", "4.0")))
    for file in (two, one):
        cli.main(["add", "airforce_strikes", str(file)])
    first = versions.versions_file().read_text()
    versions.versions_file().unlink()
    for file in (one, two):
        cli.main(["add", "airforce_strikes", str(file)])
    assert versions.versions_file().read_text() == first
    assert versions.parse_versions(first) == versions.read_versions()


def test_the_registry_round_trips_any_file_name():
    version = Version("mod_posts", "x", "0" * 64, 1, "2026-01-01", 'result "ü" \\ \t.json', "telegram_export",
                      "s", "2026-01-01", "2026-01-01")
    assert versions.parse_versions(versions.format_versions({("mod_posts", "x"): version})) == {
        ("mod_posts", "x"): version}


def refused(project, argv: list[str], capsys, match: str) -> None:
    before = snapshot(project)
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ceasefire-stats: error: "), err
    assert match in err, err
    assert snapshot(project) == before


def test_a_label_reused_for_other_bytes_is_refused_with_both_hashes(project, capsys):
    first = write(project, "a.csv", strikes_csv(("2026-08-01", "Kalibr", "3.0")))
    second = write(project, "b.csv", strikes_csv(("2026-08-01", "Kalibr", "5.0")))
    cli.main(["add", "airforce_strikes", str(first), "--label", "v1"])
    capsys.readouterr()
    digest = versions.get_version("airforce_strikes", "v1").sha256
    from ceasefire_stats.core.files import sha256_file

    refused(project, ["add", "airforce_strikes", str(second), "--label", "v1"], capsys,
            f"registered sha256 {digest}, this file's sha256 {sha256_file(second)}")


def test_the_same_bytes_under_another_label_are_refused(project, capsys):
    file = write(project, "a.csv", strikes_csv(("2026-08-01", "Kalibr", "3.0")))
    cli.main(["add", "airforce_strikes", str(file), "--label", "v1"])
    capsys.readouterr()
    refused(project, ["add", "airforce_strikes", str(file), "--label", "v2"], capsys, "registered already as version 'v1'")


@pytest.mark.parametrize(("argv", "match"), [
    (["add", "airforce_strikes", "{file}", "--label", "pinned"], "names the registry's pinned file"),
    (["add", "airforce_strikes", "{file}", "--label", "../up"], "bad label '../up'"),
    (["add", "airforce_strikes", "{file}", "--date", "20 Aug"], "bad date '20 Aug'"),
    (["add", "airforce_strikes", "{file}", "--date", "2026-13-45"], "bad date '2026-13-45': month must be in 1..12"),
    (["add", "airforce_strikes", "{file}", "--date", "2026-02-30"], "bad date '2026-02-30': day is out of range"),
    (["add", "sicily", "{file}"], "versions can be added for airforce_strikes, mod_posts"),
    (["add", "airforce_strikes", "{missing}"], "no such file"),
    (["build", "airforce", "--version", "airforce_strikes"], "--version takes SOURCE=LABEL"),
    (["build", "airforce", "--version", "airforce_strikes=nope"], "no version 'nope' of airforce_strikes; known: pinned"),
    (["build", "airforce", "--version", "nosuch=1"], "unknown source 'nosuch'"),
    (["diff", "airforce_strikes", "pinned", "nope"], "no version 'nope' of airforce_strikes"),
])
def test_bad_arguments_exit_2_with_one_line(project, capsys, argv, match):
    file = write(project, "a.csv", strikes_csv(("2026-08-01", "Kalibr", "3.0")))
    argv = [a.format(file=file, missing=project / "in" / "none.csv") for a in argv]
    refused(project, argv, capsys, match)


def test_a_missing_copy_is_restored_from_the_mirror_or_named(project, monkeypatch):
    file = write(project, "missile_attacks_daily.csv", strikes_csv(("2026-08-01", "Kalibr", "3.0")))
    versions.register("airforce_strikes", file, Inspection("csv", "22 columns", "2026-08-01", "2026-08-01"), "v1")
    copy = versions.require("airforce_strikes", "v1")
    copy.unlink()
    monkeypatch.delenv("CEASEFIRE_STATS_MIRROR", raising=False)
    with pytest.raises(Exception, match="is registered .* but its file is not in the raw folder: add the file again"):
        versions.require("airforce_strikes", "v1")
    mirror = project / "mirror"
    (mirror / "piterfm_missile_attacks" / "versions" / "v1").mkdir(parents=True)
    (mirror / "piterfm_missile_attacks" / "versions" / "v1" / file.name).write_bytes(file.read_bytes())
    monkeypatch.setenv("CEASEFIRE_STATS_MIRROR", str(mirror))
    assert versions.require("airforce_strikes", "v1").read_bytes() == file.read_bytes()


def test_register_rejects_bad_labels_before_writing(project):
    file = write(project, "a.csv", "x")
    with pytest.raises(VersionError):
        versions.register("airforce_strikes", file, Inspection("csv", "s", "2026-01-01", "2026-01-01"), "a b")
    assert snapshot(project) == {}


# --- a hand-edited registry: every entry is checked when it is read ---------------------------

def registered(project: Path) -> str:
    """A registry of one version (``v1``, its copy in the raw folder): its text."""
    file = write(project, "attacks.csv", strikes_csv(("2026-08-01", "Kalibr", "3.0")))
    versions.register("airforce_strikes", file, Inspection("csv", "22 columns", "2026-08-01", "2026-08-01"), "v1")
    return versions.versions_file().read_text()


@pytest.mark.parametrize(("edit", "field", "match"), [
    (('original_name = "attacks.csv"', 'original_name = "../../../../escaped.csv"'), "original_name",
     "bad file name '../../../../escaped.csv': a version's original name is a plain file name"),
    (('original_name = "attacks.csv"', 'original_name = "/tmp/escaped.csv"'), "original_name", "bad file name"),
    (('original_name = "attacks.csv"', 'original_name = "sub/attacks.csv"'), "original_name", "bad file name"),
    (('original_name = "attacks.csv"', 'original_name = ".."'), "original_name", "bad file name '..'"),
    (('label = "v1"', "label = 2026"), "label", "2026 is a TOML int, not text: put it in quotes"),
    (('label = "v1"', 'label = "../../v1"'), "label", "bad label '../../v1'"),
    (('label = "v1"', 'label = "pinned"'), "label", "names the registry's pinned file"),
    (('source = "airforce_strikes"', 'source = "../../airforce_strikes"'), "source",
     "unknown source '../../airforce_strikes'; known: airforce_strikes"),
    (('added = "2026-08-01"', "added = 2026-08-01"), "added", "is a TOML date, not text: put it in quotes"),
    (('coverage_end = "2026-08-01"', 'coverage_end = "2026-13-45"'), "coverage_end",
     "bad date '2026-13-45': month must be in 1..12"),
    (('coverage_start = "2026-08-01"', 'coverage_start = "2026-09-01"'), "coverage_end",
     "2026-08-01 is before coverage_start 2026-09-01"),
    (('size_bytes = ', 'size_bytes = -'), "size_bytes", "is not a number of bytes"),
    (('form = "csv"', "form = [1]"), "form", "[1] is a TOML list, not text"),
])
def test_a_hand_edited_entry_is_refused_naming_file_entry_and_field(project, capsys, edit, field, match):
    text = registered(project)
    versions.versions_file().write_text(text.replace(*edit, 1))
    for argv in (["build", "airforce", "--version", "airforce_strikes=v1"],
                 ["diff", "airforce_strikes", "v1", "pinned"],
                 ["add", "airforce_strikes", str(project / "in" / "attacks.csv"), "--label", "v2"]):
        before = snapshot(project.parent)
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert err.startswith("ceasefire-stats: error: versions.toml: version entry 1 (") and f"field {field!r}: " in err
        assert match in err and err.rstrip().endswith("correct the entry or remove it"), err
        assert snapshot(project.parent) == before  # nothing read into a table, nothing written anywhere
    assert not list(project.parent.rglob("escaped.csv"))


@pytest.mark.parametrize(("text", "match"), [
    ("version = 3\n", "holds only [[version]] tables, not version = int"),
    ("[other]\nx = 1\n", "holds only [[version]] tables, not ['other']"),
    ("version = [1]\n", "version entry 1: not a [[version]] table"),
    ("x = " + "[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply"),
    ("[[version\n", "not valid TOML"),
])
def test_a_registry_of_another_shape_is_refused(project, capsys, text, match):
    versions.versions_file().parent.mkdir(parents=True)
    versions.versions_file().write_text(text)
    assert cli.main(["diff", "airforce_strikes", "v1", "pinned"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ceasefire-stats: error: versions.toml: ") and match in err, err


def test_a_file_name_the_registry_could_not_hold_is_refused_by_register(project):
    inspection = Inspection("csv", "s", "2026-01-01", "2026-01-01")
    with pytest.raises(VersionError, match="bad date '2026-02-30'"):
        versions.register("airforce_strikes", write(project, "a.csv", "x"), inspection, "v1", added="2026-02-30")
    with pytest.raises(VersionError, match="bad file name '..'"):
        versions.register("airforce_strikes", project / "in" / "..", inspection, "v1")
    assert snapshot(project) == {}


# --- two adds at once -----------------------------------------------------------------------

_ADD = """
import sys, time
from pathlib import Path
from ceasefire_stats.versions import registry as versions

mine, other = Path(sys.argv[2]), Path(sys.argv[3])
read = versions.read_versions

def read_then_wait():
    # the other add may now read the registry too (it has, without a lock: then both write,
    # each its own version beside what it read): wait until it has, or for at most 3 s
    found = read()
    mine.touch()
    for _ in range(300):
        if other.exists():
            break
        time.sleep(0.01)
    return found

versions.read_versions = read_then_wait
inspection = versions.Inspection("csv", "22 columns", "2026-08-01", "2026-08-01")
versions.register("airforce_strikes", sys.argv[1], inspection, Path(sys.argv[1]).stem)
"""


def test_two_adds_at_once_both_register(project):
    """Each add reads the registry, then waits until the other has read it too (or 3 s): without
    the lock both read the empty registry and the second write loses the first version; with it
    the second add reads the registry only after the first has written."""
    import subprocess
    import sys

    files = [write(project, f"{name}.csv", strikes_csv(("2026-08-01", "Kalibr", launched)))
             for name, launched in (("one", "3.0"), ("two", "4.0"))]
    marks = [project / "read-one", project / "read-two"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(versions.__file__).parents[2]),
                                                        os.environ.get("PYTHONPATH", "")])}
    adds = [subprocess.Popen([sys.executable, "-c", _ADD, str(file), str(mine), str(other)], env=env)
            for file, mine, other in ((files[0], *marks), (files[1], *marks[::-1]))]
    assert [add.wait() for add in adds] == [0, 0]
    assert sorted(label for _, label in versions.read_versions()) == ["one", "two"]
    for label in ("one", "two"):
        assert versions.require("airforce_strikes", label).read_bytes() == (project / "in" / f"{label}.csv").read_bytes()


# --- real data: both earlier Air Force versions --------------------------------------------

EARLIER = {"2025-04-18": ("17 columns", 2351), "2026-04-04": ("22 columns", 3585)}


@pytest.fixture
def earlier_versions(project, raw_file):
    """The two earlier Air Force versions of the mirror, added to an isolated registry."""
    mirror = paths.mirror_dir()
    found = {label: mirror / "piterfm_missile_attacks" / "versions" / label / "missile_attacks_daily.csv"
             for label in EARLIER} if mirror else {}
    if not found or not all(p.is_file() for p in found.values()):
        if os.environ.get("CI"):
            pytest.fail("the earlier Air Force versions are not in the mirror (CEASEFIRE_STATS_MIRROR)")
        pytest.skip("the earlier Air Force versions are not in the mirror")
    raw_file("weapons")
    for path in found.values():
        assert cli.main(["add", "airforce_strikes", str(path)]) == 0
    return found


@pytest.mark.realdata
def test_both_earlier_versions_register_with_their_schema(earlier_versions):
    for label, (schema, _) in EARLIER.items():
        version = versions.get_version("airforce_strikes", label)
        assert (version.schema, version.coverage_end, version.added) == (schema, label, label)


@pytest.mark.realdata
def test_both_earlier_versions_build_valid_tables_and_the_manifest_names_them(earlier_versions, project):
    for label, (_, rows) in EARLIER.items():
        entry = pipeline.build(["airforce"], versions={"airforce_strikes": label})["airforce"]
        ledger = entry["ledgers"][0]
        assert ledger["in"] == rows and ledger["kept"] + ledger["rejected"] + ledger["duplicate"] == rows
        assert entry["versions"]["airforce_strikes"]["label"] == label
        strikes = pipeline.load("strikes", versions={"airforce_strikes": label})  # current: no rebuild
        assert str(strikes["window_start"].max().date()) == label
        used = pipeline.versions_used()
        assert used.loc[used["source"] == "airforce_strikes", "label"].tolist() == [label]
    manifest = json.loads((project / "processed" / "build_manifest.json").read_text())
    assert manifest["steps"]["airforce"]["versions"]["weapons"]["label"] == "pinned"


@pytest.mark.realdata
def test_build_version_on_the_command_line(earlier_versions, capsys):
    assert cli.main(["build", "airforce", "--version", "airforce_strikes=2025-04-18"]) == 0
    out = capsys.readouterr().out
    assert "airforce_strikes: version 2025-04-18" in out and "strikes=2345" in out
