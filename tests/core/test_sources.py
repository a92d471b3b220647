"""The raw-data registry and fetch: verified downloads and mirror imports, clear refusals."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ceasefire_stats.core import sources
from ceasefire_stats.core.errors import ChecksumError, RegistryError, SourceUnavailableError

HEX64 = re.compile(r"^[0-9a-f]{64}$")
REPO = Path(__file__).resolve().parents[2]


def _mirror_dir() -> Path:
    env = os.environ.get("CEASEFIRE_STATS_MIRROR")
    mirror = Path(env) if env else REPO.parent / "shared" / "data"
    if not mirror.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"mirror folder {mirror} is missing in CI")
        pytest.skip("no local mirror of the raw files")
    return mirror


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    """Empty raw and processed folders; no mirror or base URL inherited from the caller."""
    raw = tmp_path / "raw"
    monkeypatch.setenv("CEASEFIRE_STATS_RAW_DIR", str(raw))
    monkeypatch.setenv("CEASEFIRE_STATS_PROCESSED", str(tmp_path / "processed"))
    monkeypatch.delenv("CEASEFIRE_STATS_MIRROR", raising=False)
    monkeypatch.delenv("CEASEFIRE_STATS_BASE_URL", raising=False)
    return raw


@pytest.fixture
def tiny_registry(tmp_path, monkeypatch):
    """A registry of two small hand-made files, and a mirror folder holding them."""
    mirror = tmp_path / "mirror"
    files = {"alpha": ("a/alpha.csv", b"x,y\n1,2\n"), "beta": ("b/beta.csv", b"k\nv\n")}
    reg = {}
    for name, (rel, content) in files.items():
        (mirror / rel).parent.mkdir(parents=True, exist_ok=True)
        (mirror / rel).write_bytes(content)
        reg[name] = sources.Source(
            name=name, path=rel, sha256=hashlib.sha256(content).hexdigest(), size_bytes=len(content),
            url=f"https://example.invalid/repo/0123abc/{rel}", origin_repo="x/y", origin_commit="0123abc",
            origin_path=rel, producer="us", licence="CC0", attribution="us", citation="us",
            coverage_start="", coverage_end="", accessed="2026-11-26", description="test file",
        )
    monkeypatch.setattr(sources, "registry", lambda: reg)
    return mirror


class _Quiet(http.server.SimpleHTTPRequestHandler):
    hits: list[str]

    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):
        self.hits.append(self.path)
        super().do_GET()


@contextlib.contextmanager
def serve(folder: Path):
    """Serve ``folder`` over HTTP on 127.0.0.1 (random port); yield (base_url, hits)."""
    hits: list[str] = []
    handler = functools.partial(type("H", (_Quiet,), {"hits": hits}), directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CEASEFIRE_STATS_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "ceasefire_stats", *args], capture_output=True, text=True, env=full_env, timeout=120
    )


def _files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# --- the registry ------------------------------------------------------------------------


def test_registry_lists_the_four_upstream_files_with_complete_provenance():
    reg = sources.registry()
    assert sorted(reg) == ["airforce_strikes", "mod_posts", "sicily", "weapons"]
    for source in reg.values():
        assert HEX64.match(source.sha256), source.name
        assert source.url.startswith("https://raw.githubusercontent.com/")
        assert source.origin_commit in source.url and len(source.origin_commit) == 40
        for field in ("producer", "licence", "attribution", "citation", "description", "accessed"):
            assert getattr(source, field).strip(), (source.name, field)
    assert "CC BY-NC-SA 4.0" in reg["airforce_strikes"].licence
    assert "piterfm" in reg["airforce_strikes"].attribution


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace('sha256 = "63a8', 'sha256 = "63A8'), "sha256 is not 64"),
        (lambda t: t.replace('size_bytes = 2104\n', ""), "missing fields ['size_bytes']"),
        (lambda t: t.replace("/85456263850d03ae39439e032929347c40ff3a26/sicily.csv", "/main/sicily.csv"), "pinned"),
        (lambda t: t + "\n[extra]\npath = 1\n", "[extra] missing fields"),
        (lambda t: t.replace('path = "its_sicily/sicily.csv"', 'path = "../sicily.csv"'), "relative"),
        (lambda t: t.replace('path = "its_sicily/sicily.csv"', 'path = "its_sicily/../../x.csv"'), "without '..'"),
        (lambda t: t.replace('path = "its_sicily/sicily.csv"', 'path = "/tmp/sicily.csv"'), "relative"),
        (lambda t: t.replace('path = "its_sicily/sicily.csv"', 'path = ""'), "and name a file"),
        (lambda t: t.replace('path = "its_sicily/sicily.csv"', "path = 1"), "field 'path' must be text, not 1"),
        (lambda t: t.replace("size_bytes = 2104", 'size_bytes = "2104"'), "field 'size_bytes' must be a whole number"),
        (lambda t: t + "\nnot toml = = 1\n", "not valid TOML"),
        (lambda t: t + "\nx = " + "[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply"),
    ],
)
def test_malformed_registry_is_refused_with_the_entry_named(edit, message):
    text = sources.REGISTRY_FILE.read_text(encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        sources.parse_registry(edit(text))
    assert message in str(err.value)


def test_unknown_source_name_lists_the_known_ones():
    with pytest.raises(RegistryError, match="known: airforce_strikes, mod_posts, sicily, weapons"):
        sources.get_source("strikes")


# --- mirror import ----------------------------------------------------------------------------


def test_mirror_import_verifies_and_skips_files_already_present(dirs, tiny_registry):
    first = sources.fetch(mirror=tiny_registry)
    assert first["action"].tolist() == ["imported", "imported"]
    assert _files_under(dirs) == ["a/alpha.csv", "b/beta.csv"]
    assert sources.fetch(mirror=tiny_registry)["action"].tolist() == ["present", "present"]
    assert sources.status()["verified"].all()


def test_tampered_mirror_copy_is_refused_and_nothing_is_written(dirs, tiny_registry):
    (tiny_registry / "b/beta.csv").write_bytes(b"k\nV\n")
    with pytest.raises(ChecksumError) as err:
        sources.fetch(mirror=tiny_registry)
    message = str(err.value)
    assert "beta" in message and sources.registry()["beta"].sha256 in message
    assert hashlib.sha256(b"k\nV\n").hexdigest() in message
    assert _files_under(dirs) == ["a/alpha.csv"]  # alpha came first and is fine; no beta, no temp file


def test_file_missing_from_mirror_says_what_to_do(dirs, tiny_registry):
    (tiny_registry / "a/alpha.csv").unlink()
    with pytest.raises(SourceUnavailableError, match=r"a/alpha.csv is not in the mirror folder .*ceasefire-stats fetch"):
        sources.fetch(mirror=tiny_registry)


def test_env_var_mirror_has_the_same_effect_as_the_option(dirs, tiny_registry, monkeypatch):
    monkeypatch.setenv("CEASEFIRE_STATS_MIRROR", str(tiny_registry))
    assert sources.fetch()["action"].tolist() == ["imported", "imported"]


def test_wrong_file_in_raw_folder_is_replaced_by_a_verified_copy(dirs, tiny_registry):
    (dirs / "a").mkdir(parents=True)
    (dirs / "a/alpha.csv").write_bytes(b"stale")
    assert sources.fetch(["alpha"], mirror=tiny_registry)["action"].tolist() == ["imported"]
    assert (dirs / "a/alpha.csv").read_bytes() == b"x,y\n1,2\n"


# --- download over HTTP (a local server on 127.0.0.1 stands in for upstream) -----------------


@pytest.mark.network
def test_download_fetches_verifies_and_does_not_fetch_twice(dirs, tiny_registry, monkeypatch):
    with serve(tiny_registry) as (base, hits):
        monkeypatch.setenv("CEASEFIRE_STATS_BASE_URL", base)
        assert sources.fetch()["action"].tolist() == ["downloaded", "downloaded"]
        assert sorted(hits) == ["/a/alpha.csv", "/b/beta.csv"]
        assert sources.fetch()["action"].tolist() == ["present", "present"]
        assert len(hits) == 2
    assert _files_under(dirs) == ["a/alpha.csv", "b/beta.csv"]


@pytest.mark.network
def test_corrupted_download_is_refused_after_retries_and_leaves_nothing(dirs, tiny_registry, monkeypatch):
    (tiny_registry / "a/alpha.csv").write_bytes(b"x,y\n1,3\n")
    with serve(tiny_registry) as (base, hits):
        monkeypatch.setenv("CEASEFIRE_STATS_BASE_URL", base)
        with pytest.raises(ChecksumError) as err:
            sources.fetch(["alpha"], retries=1)
    assert len(hits) == 2  # first try plus one retry
    assert hashlib.sha256(b"x,y\n1,3\n").hexdigest() in str(err.value)
    assert _files_under(dirs) == []


def test_no_network_and_no_mirror_names_both_options(dirs, tiny_registry, monkeypatch):
    with serve(tiny_registry) as (base, _):
        pass  # the server is closed again: its port now refuses connections
    monkeypatch.setenv("CEASEFIRE_STATS_BASE_URL", base)
    with pytest.raises(SourceUnavailableError) as err:
        sources.fetch(["alpha"], retries=0)
    assert "--mirror DIR" in str(err.value) and "CEASEFIRE_STATS_MIRROR" in str(err.value)
    assert _files_under(dirs) == []


# --- the command line, on the real registry and the real mirror --------------------------------


@pytest.mark.realdata
def test_cli_fetch_from_mirror_puts_every_file_in_place_with_the_registry_hash(tmp_path):
    mirror = _mirror_dir()
    raw = tmp_path / "raw"
    done = _cli("fetch", "--mirror", str(mirror), env={"CEASEFIRE_STATS_RAW_DIR": str(raw)})
    assert done.returncode == 0, done.stderr
    for source in sources.registry().values():
        assert hashlib.sha256((raw / source.path).read_bytes()).hexdigest() == source.sha256
    again = _cli("fetch", env={"CEASEFIRE_STATS_RAW_DIR": str(raw)})  # no mirror, no network: all present
    assert again.returncode == 0 and again.stdout.count("present") == 4


@pytest.mark.realdata
def test_cli_refuses_a_one_byte_edit_with_exit_2_and_both_hashes(tmp_path):
    mirror = tmp_path / "mirror"
    shutil.copytree(_mirror_dir(), mirror, ignore=shutil.ignore_patterns("*.md"))
    target = mirror / "its_sicily" / "sicily.csv"
    target.chmod(0o644)
    data = bytearray(target.read_bytes())
    data[100] ^= 0x01
    target.write_bytes(bytes(data))
    raw = tmp_path / "raw"
    done = _cli("fetch", "sicily", "--mirror", str(mirror), env={"CEASEFIRE_STATS_RAW_DIR": str(raw)})
    assert done.returncode == 2
    assert "sicily" in done.stderr and "Traceback" not in done.stderr
    assert sources.registry()["sicily"].sha256 in done.stderr
    assert hashlib.sha256(bytes(data)).hexdigest() in done.stderr
    assert _files_under(raw) == []


def test_cli_without_network_or_mirror_exits_2_with_instructions(tmp_path):
    done = _cli(
        "fetch", "sicily",
        env={"CEASEFIRE_STATS_RAW_DIR": str(tmp_path / "raw"), "CEASEFIRE_STATS_BASE_URL": "http://127.0.0.1:9"},
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "ceasefire-stats fetch --mirror DIR" in done.stderr and "CEASEFIRE_STATS_MIRROR" in done.stderr


def test_cli_missing_mirror_folder_exits_2(tmp_path):
    done = _cli("fetch", "--mirror", str(tmp_path / "nowhere"), env={"CEASEFIRE_STATS_RAW_DIR": str(tmp_path / "r")})
    assert done.returncode == 2 and "does not exist" in done.stderr


def test_cli_help_and_version():
    assert _cli("--help").returncode == 0
    version = _cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("ceasefire-stats ")


def test_import_prints_and_logs_nothing():
    done = subprocess.run(
        [sys.executable, "-c", "import logging; logging.basicConfig(level=logging.DEBUG); import ceasefire_stats"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""


def test_missing_mirror_is_not_consulted_when_every_file_is_present(dirs, tiny_registry, monkeypatch):
    """The README's offline command re-run from another folder (a notebook kernel in
    notebooks/): a mirror path that points nowhere is harmless when nothing needs importing."""
    sources.fetch(mirror=tiny_registry)
    monkeypatch.setenv("CEASEFIRE_STATS_MIRROR", "no/such/folder")
    assert set(sources.fetch()["action"]) == {"present"}
    (dirs / "a" / "alpha.csv").unlink()
    with pytest.raises(SourceUnavailableError, match=r"mirror folder /.*no/such/folder does not exist \(needed for alpha\)"):
        sources.fetch()


def test_relative_mirror_is_resolved_where_the_command_runs(tmp_path, tiny_registry):
    """`CEASEFIRE_STATS_MIRROR=<relative> ceasefire-stats fetch` resolves the folder against
    the folder the command was typed in, and children inherit the absolute path."""
    code = (
        "import os; from ceasefire_stats.core import paths; paths.absolutize_environment(); "
        "print(os.environ['CEASEFIRE_STATS_MIRROR']); print(paths.mirror_dir())"
    )
    env = {**os.environ, "CEASEFIRE_STATS_MIRROR": "mirror"}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == [str(tmp_path / "mirror")] * 2


# --- every bad file in one error, and messages that say what happened --------------------------


def _tiny_three(tiny_registry, monkeypatch):
    """Add a third file, gamma, to the tiny registry (alpha, beta, gamma in that order)."""
    content = b"g\n1\n"
    (tiny_registry / "c").mkdir()
    (tiny_registry / "c/gamma.csv").write_bytes(content)
    reg = dict(sources.registry())
    reg["gamma"] = dataclasses.replace(reg["beta"], name="gamma", path="c/gamma.csv",
                                       sha256=hashlib.sha256(content).hexdigest())
    monkeypatch.setattr(sources, "registry", lambda: reg)


def test_fetch_checks_every_file_and_lists_every_bad_one(dirs, tiny_registry, monkeypatch):
    _tiny_three(tiny_registry, monkeypatch)
    (tiny_registry / "a/alpha.csv").write_bytes(b"x,y\n1,3\n")
    (tiny_registry / "c/gamma.csv").write_bytes(b"g\n2\n")
    with pytest.raises(ChecksumError) as err:
        sources.fetch(mirror=tiny_registry)
    message = str(err.value)
    assert message.startswith("2 of 3 raw files could not be fetched")
    for name, bad in (("alpha", b"x,y\n1,3\n"), ("gamma", b"g\n2\n")):
        assert f"\n  sha256 mismatch for {name} (" in message and hashlib.sha256(bad).hexdigest() in message
        assert sources.registry()[name].sha256 in message
    assert "this run wrote only verified files: beta (imported)" in message
    assert "nothing was written" not in message
    assert _files_under(dirs) == ["b/beta.csv"]  # beta, verified after alpha failed; no bad file, no temp file


def test_hash_mismatch_with_nothing_written_says_so(dirs, tiny_registry):
    (tiny_registry / "a/alpha.csv").write_bytes(b"x,y\n1,3\n")
    with pytest.raises(ChecksumError) as err:
        sources.fetch(["alpha"], mirror=tiny_registry)
    message = str(err.value)
    assert message.startswith("sha256 mismatch for alpha (a/alpha.csv) from the mirror copy ") and "\n" not in message
    assert f"nothing was written to the raw-data folder {dirs}" in message
    assert "replace each refused mirror copy" in message


def test_hash_mismatch_after_a_verified_import_does_not_claim_nothing_was_written(dirs, tiny_registry):
    (tiny_registry / "b/beta.csv").write_bytes(b"k\nV\n")
    with pytest.raises(ChecksumError) as err:
        sources.fetch(mirror=tiny_registry)
    message = str(err.value)
    assert "nothing was written" not in message and "this run wrote only verified files: alpha (imported)" in message


def test_files_already_present_are_not_counted_as_written(dirs, tiny_registry):
    sources.fetch(["alpha"], mirror=tiny_registry)
    (tiny_registry / "b/beta.csv").write_bytes(b"k\nV\n")
    with pytest.raises(ChecksumError, match="nothing was written to the raw-data folder"):
        sources.fetch(mirror=tiny_registry)


def test_missing_and_tampered_mirror_files_are_listed_together(dirs, tiny_registry, monkeypatch):
    _tiny_three(tiny_registry, monkeypatch)
    (tiny_registry / "a/alpha.csv").unlink()
    (tiny_registry / "c/gamma.csv").write_bytes(b"g\n2\n")
    with pytest.raises(ChecksumError) as err:
        sources.fetch(mirror=tiny_registry)
    message = str(err.value)
    assert "a/alpha.csv is not in the mirror folder" in message and "\n  sha256 mismatch for gamma (c/gamma.csv)" in message
    assert _files_under(dirs) == ["b/beta.csv"]


def test_local_file_failing_its_hash_is_not_reported_as_a_failed_download(dirs, tiny_registry, monkeypatch):
    (dirs / "a").mkdir(parents=True)
    (dirs / "a/alpha.csv").write_bytes(b"tampered")
    with serve(tiny_registry) as (base, _):
        pass  # closed again: no network
    monkeypatch.setenv("CEASEFIRE_STATS_BASE_URL", base)
    with pytest.raises(ChecksumError) as err:
        sources.fetch(["alpha"], retries=0)
    message = str(err.value)
    assert message.startswith(f"alpha: the raw file {dirs / 'a/alpha.csv'} fails its sha256 check (it has "
                              f"{hashlib.sha256(b'tampered').hexdigest()}")
    assert "could not download" not in message and "left as it is and is not used" in message
    assert (dirs / "a/alpha.csv").read_bytes() == b"tampered"  # the user's file is not deleted
    assert not sources.is_verified("alpha")


def test_local_file_failing_its_hash_with_a_bad_mirror_copy(dirs, tiny_registry):
    (dirs / "a").mkdir(parents=True)
    (dirs / "a/alpha.csv").write_bytes(b"tampered")
    (tiny_registry / "a/alpha.csv").write_bytes(b"also tampered")
    with pytest.raises(ChecksumError) as err:
        sources.fetch(["alpha"], mirror=tiny_registry)
    message = str(err.value)
    assert "the raw file" in message and "fails its sha256 check" in message
    assert f"from the mirror copy {tiny_registry / 'a/alpha.csv'}" in message


def test_missing_mirror_folder_names_every_file_that_needed_it(dirs, tiny_registry, monkeypatch):
    with pytest.raises(SourceUnavailableError, match=r"mirror folder \S+nowhere does not exist \(needed for alpha, beta\)"):
        sources.fetch(mirror=tiny_registry.parent / "nowhere")


def test_cli_lists_every_bad_file_and_exits_2(tmp_path):
    mirror, raw = tmp_path / "mirror", tmp_path / "raw"
    mirror.mkdir()
    done = _cli("fetch", "--mirror", str(mirror), env={"CEASEFIRE_STATS_RAW_DIR": str(raw)})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("ceasefire-stats: error: 4 of 4 raw files could not be fetched")
    for source in sources.registry().values():
        assert f"{source.path} is not in the mirror folder" in done.stderr
    assert _files_under(raw) == []
