"""The dask engine on a scheduler given by address, through the command line as a user runs it.

A real ``dask.distributed`` scheduler and two workers run here as separate processes
(``python -m distributed.cli.dask_scheduler`` and ``... dask_worker``, what ``dask scheduler``
and ``dask worker`` run), stopped at the end even when a test fails; ``ceasefire-stats build
airforce mod --engine dask --scheduler tcp://127.0.0.1:PORT`` in another process writes every
table, ledger, rejects and flags file with the bytes of a pandas-engine build, and the
partitions were cleaned on those workers. A scheduler that does not answer, or an address dask
cannot read, is one line on stderr naming the address, exit status 2, and the processed folder
as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

try:
    from dask.distributed import Client
except ImportError:  # pragma: no cover - the dev extra installs dask; CI must have it
    if os.environ.get("CI"):
        raise
    pytest.skip("dask is not installed (pip install 'ceasefire-stats[dask]'; the dev extra has it)",
                allow_module_level=True)

import ceasefire_stats
from ceasefire_stats.core import paths

SRC = Path(ceasefire_stats.__file__).resolve().parent.parent
"""The folder this package is imported from, put first on the ``PYTHONPATH`` of every process
started here, so that the scheduler, the workers and the command line run this code."""
WORKERS = 2
STARTUP = 60
"""Seconds the cluster has to come up (a loaded CI machine); it usually takes two or three."""
RAW = ("airforce_strikes", "weapons", "mod_posts")
OUTPUTS = {
    "strikes.parquet", "strike_regions.parquet", "ledger_airforce_strikes.parquet",
    "rejects_airforce_strikes.parquet", "flags_airforce_strikes.parquet", "ledger_weapons.parquet",
    "rejects_weapons.parquet", "flags_weapons.parquet", "mod_posts.parquet", "mod_post_regions.parquet",
    "ledger_mod_posts.parquet", "rejects_mod_posts.parquet", "flags_mod_posts.parquet",
}


def _env(**extra: str) -> dict[str, str]:
    """This session's environment (its raw folder and mirror), with this package first on the
    ``PYTHONPATH``, and ``extra``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), *filter(None, [env.get("PYTHONPATH")])])
    env["CEASEFIRE_STATS_RAW_DIR"] = str(paths.raw_dir())
    return env | extra


def _stop(procs: list[subprocess.Popen]) -> None:
    """Stop the processes started here one by one, last first (the workers before their
    scheduler): SIGTERM to its process group, SIGKILL if it is still running after 20 s."""
    for proc in reversed(procs):
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, sig)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=20)


def _address(file: Path, scheduler: subprocess.Popen, log: Path) -> str:
    """The scheduler's address, from the file it writes once it listens."""
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        if scheduler.poll() is not None:
            pytest.fail(f"the dask scheduler exited with status {scheduler.returncode}:\n{log.read_text()}")
        with contextlib.suppress(OSError, ValueError):
            return json.loads(file.read_text())["address"]
        time.sleep(0.2)
    pytest.fail(f"the dask scheduler wrote no address within {STARTUP} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """The address of a dask scheduler on 127.0.0.1 (a free port) with :data:`WORKERS` workers of
    one thread, each a process of its own; all stopped at the end, and checked to be gone."""
    folder = tmp_path_factory.mktemp("cluster")
    procs: list[subprocess.Popen] = []

    def start(name: str, *args: str) -> Path:
        log = folder / f"{name}.log"
        with open(log, "wb") as out:
            # a session of its own: teardown signals the process group, whatever it started
            procs.append(subprocess.Popen([sys.executable, "-m", *args], cwd=folder, env=_env(), stdout=out,
                                          stderr=subprocess.STDOUT, start_new_session=True))
        return log

    try:
        file = folder / "scheduler.json"
        log = start("scheduler", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                    "--no-dashboard", "--scheduler-file", str(file), "--idle-timeout", "600")  # 600: if never stopped
        address = _address(file, procs[0], log)
        for k in range(WORKERS):
            start(f"worker{k}", "distributed.cli.dask_worker", address, "--name", f"worker{k}", "--nthreads", "1",
                  "--no-nanny", "--no-dashboard", "--local-directory", str(folder / f"worker{k}"),
                  "--death-timeout", "60")  # gone a minute after the scheduler, if never stopped
        with Client(address, timeout=STARTUP) as client:
            client.wait_for_workers(WORKERS, timeout=STARTUP)
        yield address
    finally:
        _stop(procs)
    assert [proc.poll() is not None for proc in procs] == [True] * len(procs)


def _cli(args: list[str], processed: Path, scratch: Path) -> subprocess.CompletedProcess:
    """``ceasefire-stats ARGS`` in a process of its own, as typed in a shell."""
    return subprocess.run([sys.executable, "-m", "ceasefire_stats", *args], capture_output=True, text=True,
                          timeout=300, cwd=processed.parent, env=_env(CEASEFIRE_STATS_PROCESSED=str(processed),
                                                                      CEASEFIRE_STATS_SCRATCH=str(scratch)))


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _executed(address: str) -> dict[str, int]:
    """Tasks each worker of the scheduler at ``address`` has run so far, by worker name."""
    with Client(address, timeout=STARTUP) as client:
        counts = client.run(lambda dask_worker: (dask_worker.name, dask_worker.state.executed_count))
    return dict(counts.values())


@pytest.mark.realdata
def test_cli_build_on_a_scheduler_by_address_writes_the_pandas_engines_bytes(raw_file, scheduler, tmp_path):
    for name in RAW:
        raw_file(name)  # present (or skipped) before the builds
    digests, manifests, ran = {}, {}, {}
    for engine in ("pandas", "dask"):
        processed, scratch = tmp_path / engine, tmp_path / f"scratch-{engine}"
        scratch.mkdir()
        extra = ["--scheduler", scheduler, "--partition-rows", "1000"] if engine == "dask" else []
        before = _executed(scheduler)
        done = _cli(["build", "airforce", "mod", "--engine", engine, *extra], processed, scratch)
        ran[engine] = {name: count - before[name] for name, count in _executed(scheduler).items()}
        assert done.returncode == 0, done.stderr
        assert "[airforce] tables:" in done.stdout and "[mod] tables:" in done.stdout
        manifests[engine] = json.loads((processed / "build_manifest.json").read_text())
        digests[engine] = {n: d for n, d in _digests(processed).items() if n.endswith(".parquet")}
        assert list(scratch.iterdir()) == []  # the partitions are removed after the build
    assert ran["pandas"] == {f"worker{k}": 0 for k in range(WORKERS)}
    assert all(count > 0 for count in ran["dask"].values()), ran  # the partitions were cleaned on the workers
    assert set(digests["dask"]) == OUTPUTS
    assert digests["dask"] == digests["pandas"]
    assert manifests["dask"]["outputs"] == manifests["pandas"]["outputs"]
    steps = manifests["dask"]["steps"]
    assert {name: steps[name]["engine"] for name in steps} == {"airforce": "dask", "mod": "dask"}


def _free_port() -> socket.socket:
    """A socket bound to a free port of 127.0.0.1 and not listening: a connection there is refused."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture(scope="module")
def previous_build(raw_file, tmp_path_factory) -> Path:
    """A folder of tables built by ``ceasefire-stats build mod`` (once for the module; copy it)."""
    for name in RAW:
        raw_file(name)
    folder = tmp_path_factory.mktemp("previous")
    processed, scratch = folder / "processed", folder / "scratch"
    scratch.mkdir()
    assert _cli(["build", "mod"], processed, scratch).returncode == 0
    return processed


@pytest.mark.realdata
@pytest.mark.parametrize("kind", ["nothing listens", "malformed"])
def test_cli_names_a_scheduler_it_cannot_use_and_writes_nothing(kind, previous_build, tmp_path):
    processed, scratch = tmp_path / "processed", tmp_path / "scratch"
    scratch.mkdir()
    shutil.copytree(previous_build, processed, symlinks=True)  # a previous build, kept
    before = _digests(processed)
    with _free_port() as sock:
        port = sock.getsockname()[1]
        address = f"tcp://127.0.0.1:{port}" if kind == "nothing listens" else f"127.0.0.1:port-{port}"
        started = time.monotonic()
        done = _cli(["build", "airforce", "mod", "--force", "--engine", "dask", "--scheduler", address,
                     "--scheduler-timeout", "1"], processed, scratch)
        took = time.monotonic() - started
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"ceasefire-stats: error: cannot use the dask scheduler at '{address}': ")
    assert "`dask scheduler`" in lines[0] and "leave out --scheduler for a local cluster" in lines[0]
    assert ("within 1 s" in lines[0]) == (kind == "nothing listens")
    assert took < 60  # the timeout given, not dask's 30 s retried
    assert _digests(processed) == before
    assert list(scratch.iterdir()) == []
