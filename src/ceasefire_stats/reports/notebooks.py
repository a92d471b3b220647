"""Execute the project's notebooks in place, top to bottom, deterministically.

Cells run with the notebook's folder as the working directory and the ``python3``
kernel (the name pinned in every notebook's metadata, also what nbval runs in CI).
"""

from __future__ import annotations

from pathlib import Path

from ceasefire_stats.core import paths
from ceasefire_stats.core.errors import CeasefireStatsError

KERNEL = "python3"


def notebook_dir() -> Path:
    """The checkout's ``notebooks/`` folder."""
    root = paths.checkout_root()
    if root is None:
        raise CeasefireStatsError("notebooks live in a source checkout; none found beside this package")
    return root / "notebooks"


def execute(path: Path, timeout: int = 600) -> Path:
    """Execute one notebook in place with a clean kernel; raise on the first failing cell."""
    import nbformat
    from nbconvert.preprocessors import CellExecutionError, ExecutePreprocessor

    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    runner = ExecutePreprocessor(timeout=timeout, kernel_name=KERNEL)
    try:
        runner.preprocess(nb, {"metadata": {"path": str(path.parent)}})
    except CellExecutionError as exc:
        raise CeasefireStatsError(f"{path.name}: a cell failed:\n{exc}") from None
    for cell in nb.cells:  # volatile metadata would make every run a diff
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.write(nb, path)
    write_text_pair(path)
    return path


TEXT_FOLDER = "scripts"
"""Where the text twin of each notebook lives, beside the notebooks: ``notebooks/scripts/<name>.py``."""


def text_pair_path(path: Path) -> Path:
    """The jupytext percent script paired with notebook ``path``."""
    return path.parent / TEXT_FOLDER / f"{path.stem}.py"


def text_pair(path: Path) -> str:
    """The notebook's cells as a jupytext percent script (sources only, no outputs), so that a
    review diffs text: what ``notebooks/scripts/<name>.py`` must hold."""
    import jupytext
    import nbformat

    nb = nbformat.read(path, as_version=4)
    # no metadata header: it would carry jupytext's own version, and a twin must not change
    # with the tool's version
    nb.metadata = {"jupytext": {"formats": "ipynb,py:percent", "notebook_metadata_filter": "-all"}}
    return jupytext.writes(nb, fmt="py:percent")


def write_text_pair(path: Path) -> Path:
    """Write (atomically) the text twin of notebook ``path``; return its path."""
    from ceasefire_stats.core.files import atomic_write

    target = text_pair_path(path)
    with atomic_write(target) as tmp:
        tmp.write_text(text_pair(path), encoding="utf-8")
    return target


def pairs_out_of_sync(folder: Path | None = None) -> list[str]:
    """Notebooks whose text twin is missing or differs from their cells, and twins without a
    notebook (empty when every pair is in sync)."""
    folder = folder or notebook_dir()
    problems = []
    for nb in sorted(folder.glob("*.ipynb")):
        twin = text_pair_path(nb)
        if not twin.is_file():
            problems.append(f"{nb.name}: no text twin {TEXT_FOLDER}/{twin.name}")
        elif twin.read_text(encoding="utf-8") != text_pair(nb):
            problems.append(f"{nb.name}: {TEXT_FOLDER}/{twin.name} differs from the notebook's cells")
    for twin in sorted((folder / TEXT_FOLDER).glob("*.py")):
        if not (folder / f"{twin.stem}.ipynb").is_file():
            problems.append(f"{TEXT_FOLDER}/{twin.name}: no notebook {twin.stem}.ipynb")
    return problems


def execute_all(paths_: list[str] | None = None) -> list[Path]:
    """Execute the given notebooks, or every ``notebooks/*.ipynb`` in name order."""
    targets = [Path(p) for p in paths_] if paths_ else sorted(notebook_dir().glob("*.ipynb"))
    missing = [str(p) for p in targets if not p.is_file() or p.suffix != ".ipynb"]
    if missing:
        raise CeasefireStatsError(f"no such notebook: {', '.join(missing)}; give paths of .ipynb files "
                                  f"(e.g. notebooks/00_sources.ipynb), or none to run every notebook")
    return [execute(p) for p in targets]


def setup() -> None:
    """The first call of every notebook: pin display settings so outputs are identical on every
    run and machine (pandas text repr width, column and row limits, precision)."""
    import pandas as pd

    pd.set_option("display.width", 110)
    pd.set_option("display.max_columns", 12)
    pd.set_option("display.max_colwidth", 48)
    pd.set_option("display.max_rows", 40)
    pd.set_option("display.precision", 3)


def data_versions(*tables: str):
    """The data a notebook's tables rest on, for its "data versions" cell: every registry source
    and curated folder that the steps building ``tables`` read, directly or through the tables
    they need. A registry source shows the ``version`` the last build of those steps used (from
    the build manifest; ``pinned``, the registry's file, when they were never built) and that
    version's sha256, and whether that file is present and verified on this machine; a source
    that those steps last built from different versions has one row per version. A curated
    folder shows the sha256 of its ``sha256sum``-style listing (``<sha256>  <file>`` per line, by
    name) of the files the steps read, the same per-file hashes as the build's fingerprint
    (:func:`~ceasefire_stats.pipeline.curated_files`; ``version`` ``-``).

    >>> data_versions("claims")[["input", "kind", "version"]].values.tolist()
    [['claims', 'curated', '-']]
    """
    import hashlib

    import pandas as pd

    from ceasefire_stats import pipeline
    from ceasefire_stats.core import sources
    from ceasefire_stats.versions import registry as source_versions

    producers = pipeline.tables()
    seen: list[pipeline.Step] = []
    pending = [producers[t] for t in tables]
    while pending:
        step = pending.pop(0)
        if step not in seen:
            seen.append(step)
            pending.extend(producers[t] for t in step.needs)
    built = pipeline.read_manifest().get("steps", {})
    rows = []
    for name in sorted({s for step in seen for s in step.sources}):
        used = {(info.get("label"), info.get("sha256")) for step in seen
                if isinstance(info := ((built.get(step.name) or {}).get("versions") or {}).get(name), dict)}
        if not used:  # never built (or by a package that did not record versions): the default
            used = {(source_versions.PINNED, sources.get_source(name).sha256)}
        for label, sha256 in sorted(used, key=lambda item: (item[0] != source_versions.PINNED, str(item))):
            rows.append({"input": name, "kind": "registry", "version": label, "sha256": sha256,
                         "verified": _version_verified(name, label, sha256)})
    for name in sorted({c for step in seen for c in step.curated}):
        listing = "".join(f"{digest}  {file}\n" for file, digest in pipeline.curated_files(name).items())
        rows.append({"input": name, "kind": "curated", "version": "-",
                     "sha256": hashlib.sha256(listing.encode()).hexdigest(), "verified": True})
    return pd.DataFrame(rows, columns=["input", "kind", "version", "sha256", "verified"])


def _version_verified(source: str, label: str, sha256: str) -> bool:
    """Whether the file of version ``label`` of ``source`` is present on this machine with the
    sha256 the build recorded."""
    from ceasefire_stats.core import sources
    from ceasefire_stats.core.files import sha256_file
    from ceasefire_stats.versions import registry as source_versions
    from ceasefire_stats.versions.registry import VersionError

    if label == source_versions.PINNED:
        return sha256 == sources.get_source(source).sha256 and sources.is_verified(source)
    try:
        version = source_versions.get_version(source, label)
    except VersionError:  # no longer in this project's registry of versions
        return False
    path = source_versions.raw_path(version)
    return version.sha256 == sha256 and path.is_file() and sha256_file(path) == sha256
