"""Registered versions carry their download addresses (pinned third-party copies), so a
machine without the file gets it from the network, verified; without network or mirror the
error says where to get it."""

from __future__ import annotations

import hashlib
import re
import tomllib

import pytest

from ceasefire_stats import cli
from ceasefire_stats.core import paths
from ceasefire_stats.core.errors import ChecksumError, SourceUnavailableError
from ceasefire_stats.versions import registry as versions
from tests.core.test_sources import serve

CONTENT = b"an earlier version of the file\n"  # bytes are all a download is checked by
ADDRESS = "https://raw.githubusercontent.com/someone/copy/0123456789abcdef0123456789abcdef01234567/attacks.csv"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A registry of one version (with an address) whose file is on no disk and in no mirror."""
    monkeypatch.setenv("CEASEFIRE_STATS_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("CEASEFIRE_STATS_VERSIONS", str(tmp_path / "versions.toml"))
    monkeypatch.delenv("CEASEFIRE_STATS_MIRROR", raising=False)
    monkeypatch.delenv("CEASEFIRE_STATS_BASE_URL", raising=False)
    version = versions.Version(
        source="airforce_strikes", label="2025-01-31", sha256=hashlib.sha256(CONTENT).hexdigest(),
        size_bytes=len(CONTENT), added="2025-01-31", original_name="attacks.csv", form="csv", schema="17 columns",
        coverage_start="2022-09-28", coverage_end="2025-01-31", url=ADDRESS)
    (tmp_path / "versions.toml").write_text(versions.format_versions({("airforce_strikes", "2025-01-31"): version}))
    # the copy a server holds, laid out as a mirror is: <source folder>/versions/<label>/<name>
    served = tmp_path / "server" / "piterfm_missile_attacks" / "versions" / "2025-01-31" / "attacks.csv"
    served.parent.mkdir(parents=True)
    served.write_bytes(CONTENT)
    return tmp_path


def test_the_address_is_kept_in_the_registry_and_read_back(project):
    text = (project / "versions.toml").read_text()
    assert f'url = "{ADDRESS}"' in text
    assert versions.get_version("airforce_strikes", "2025-01-31").url == ADDRESS


def test_a_version_absent_here_is_downloaded_from_its_address_and_verified(project, monkeypatch):
    with serve(project / "server") as (base, hits):
        monkeypatch.setenv("CEASEFIRE_STATS_BASE_URL", base)
        path = versions.require("airforce_strikes", "2025-01-31")
        assert path.read_bytes() == CONTENT
        assert path == paths.raw_dir() / "versions" / "airforce_strikes" / "2025-01-31" / "attacks.csv"
        assert hits == ["/piterfm_missile_attacks/versions/2025-01-31/attacks.csv"]
        versions.require("airforce_strikes", "2025-01-31")  # present and verified: not fetched again
        assert len(hits) == 1


def test_a_download_with_other_bytes_is_refused_and_nothing_is_written(project, monkeypatch):
    (project / "server" / "piterfm_missile_attacks" / "versions" / "2025-01-31" / "attacks.csv").write_bytes(b"tampered\n")
    with serve(project / "server") as (base, _):
        monkeypatch.setenv("CEASEFIRE_STATS_BASE_URL", base)
        with pytest.raises(ChecksumError):
            versions.require("airforce_strikes", "2025-01-31")
    assert not (project / "raw").exists() or not any(p.is_file() for p in (project / "raw").rglob("*"))


def test_without_network_or_mirror_the_error_says_where_to_get_the_file(project, monkeypatch, capsys):
    monkeypatch.setenv("CEASEFIRE_STATS_BASE_URL", "http://127.0.0.1:9")  # nothing listens there
    with pytest.raises(SourceUnavailableError) as caught:
        versions.require("airforce_strikes", "2025-01-31")
    message = str(caught.value)
    assert "could not be reached" in message and f"download it from {ADDRESS}" in message
    assert "ceasefire-stats add airforce_strikes FILE --label 2025-01-31" in message and "\n" not in message
    assert cli.main(["diff", "airforce_strikes", "2025-01-31", "pinned"]) == 2
    assert ADDRESS in capsys.readouterr().err


def test_with_a_mirror_lacking_the_file_the_error_names_the_mirror_and_the_address(project, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_STATS_MIRROR", str(project / "empty_mirror"))
    (project / "empty_mirror").mkdir()
    with pytest.raises(SourceUnavailableError, match=r"nor in the mirror .*download it from https://raw\."):
        versions.require("airforce_strikes", "2025-01-31")


def test_every_committed_version_has_a_pinned_address():
    registry = tomllib.loads((paths.checkout_root() / "data" / "versions.toml").read_text(encoding="utf-8"))
    for entry in registry["version"]:
        assert re.fullmatch(r"https://raw\.githubusercontent\.com/[\w.-]+/[\w.-]+/[0-9a-f]{40}/\S+", entry["url"]), entry
        assert entry["url"].endswith("/" + entry["original_name"])
