"""The data-versions cell of the notebooks: which version of each source the last build used."""

from __future__ import annotations

import hashlib
import json

import pytest

from ceasefire_stats.core import sources
from ceasefire_stats.reports import notebooks
from ceasefire_stats.versions import registry as source_versions

COLUMNS = ["input", "kind", "version", "sha256", "verified"]
TOY = b"toy bytes of a registered version\n"
TOY_SHA = hashlib.sha256(TOY).hexdigest()


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty processed folder (no build yet), registry of versions and raw folder."""
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(tmp_path / "processed"))
    monkeypatch.setenv("CEASEFIRE_STATS_VERSIONS", str(tmp_path / "versions.toml"))
    monkeypatch.setenv("CEASEFIRE_STATS_RAW_DIR", str(tmp_path / "raw"))
    (tmp_path / "processed").mkdir()
    return tmp_path


def write_manifest(project, steps: dict[str, dict[str, tuple[str, str]]]) -> None:
    """A toy build manifest: per step, the (label, sha256) of each source it read."""
    entries = {step: {"inputs": {}, "versions": {source: {"label": label, "sha256": sha, "coverage_end": "2026-04-04"}
                                                 for source, (label, sha) in used.items()}}
               for step, used in steps.items()}
    (project / "processed" / "build_manifest.json").write_text(json.dumps({"steps": entries, "outputs": {}}))


def register_toy(project) -> None:
    """Version 2026-04-04 of airforce_strikes in the project's registry, its copy in the raw folder."""
    version = source_versions.Version(
        source="airforce_strikes", label="2026-04-04", sha256=TOY_SHA, size_bytes=len(TOY), added="2026-04-04",
        original_name="missile_attacks_daily.csv", form="csv", schema="22 columns", coverage_start="2022-09-28",
        coverage_end="2026-04-04")
    source_versions._write_versions({("airforce_strikes", "2026-04-04"): version})
    copy = source_versions.raw_path(version)
    copy.parent.mkdir(parents=True)
    copy.write_bytes(TOY)


def test_without_a_build_every_source_is_the_pinned_file(project):
    table = notebooks.data_versions("strikes", "mod_posts", "claims")
    assert table.columns.tolist() == COLUMNS
    registry = table[table["kind"] == "registry"]
    assert registry["input"].tolist() == ["airforce_strikes", "mod_posts", "weapons"]
    assert set(registry["version"]) == {"pinned"}
    assert registry["sha256"].tolist() == [sources.get_source(n).sha256 for n in registry["input"]]
    curated = table[table["kind"] == "curated"]
    assert sorted(curated["input"]) == ["calendar", "claims"]  # the claims step reads the calendar's windows too
    assert set(curated["version"]) == {"-"}


def test_the_version_the_last_build_used_is_shown_with_its_sha256(project):
    register_toy(project)
    weapons = sources.get_source("weapons").sha256
    write_manifest(project, {"airforce": {"airforce_strikes": ("2026-04-04", TOY_SHA), "weapons": ("pinned", weapons)}})
    table = notebooks.data_versions("strikes")
    assert table.values.tolist() == [
        ["airforce_strikes", "registry", "2026-04-04", TOY_SHA, True],
        ["weapons", "registry", "pinned", weapons, sources.is_verified("weapons")]]
    text = table.to_string(index=False)
    assert str(project) not in text and "/" not in text  # no machine paths
    assert notebooks.data_versions("strikes").equals(table)  # deterministic


def test_a_version_missing_here_is_shown_but_not_verified(project):
    write_manifest(project, {"airforce": {"airforce_strikes": ("2026-04-04", TOY_SHA)}})  # not registered here
    row = notebooks.data_versions("strikes").set_index("input").loc["airforce_strikes"]
    assert (row["version"], row["sha256"], bool(row["verified"])) == ("2026-04-04", TOY_SHA, False)


def test_steps_last_built_from_different_versions_give_one_row_each(project):
    register_toy(project)
    pinned = sources.get_source("airforce_strikes").sha256
    write_manifest(project, {"airforce": {"airforce_strikes": ("2026-04-04", TOY_SHA)},
                             "truce_effects": {"airforce_strikes": ("pinned", pinned)}})
    table = notebooks.data_versions("truce_effects")
    rows = table[table["input"] == "airforce_strikes"]
    assert rows[["version", "sha256"]].values.tolist() == [["pinned", pinned], ["2026-04-04", TOY_SHA]]


def test_a_curated_folder_shows_the_hash_of_the_files_the_build_reads(project, tmp_path, monkeypatch):
    folder = tmp_path / "claims"
    folder.mkdir()
    (folder / "b.yaml").write_text("claims: []\n")
    (folder / "a.yaml").write_text("source: x\n")
    monkeypatch.setenv("CEASEFIRE_STATS_CLAIMS_DIR", str(folder))

    def shown() -> str:
        return notebooks.data_versions("claims").set_index("input").loc["claims", "sha256"]

    # what `sha256sum a.yaml b.yaml | sha256sum` prints in that folder
    listing = "".join(f"{hashlib.sha256((folder / n).read_bytes()).hexdigest()}  {n}\n" for n in ("a.yaml", "b.yaml"))
    assert shown() == hashlib.sha256(listing.encode()).hexdigest()
    before = shown()
    (folder / "README.md").write_text("notes a step never reads\n")
    assert shown() == before  # documentation is not data: the build's fingerprint ignores it too
    (folder / "b.yaml").write_text("claims: [1]\n")
    assert shown() != before
