"""Execute the project's notebooks in place, top to bottom, deterministically.

Cells run with the notebook's folder as the working directory, in a kernel of the Python
that runs this package (Jupyter's ``python3``). Every notebook declares the project's kernel,
``ceasefire-stats`` (:data:`KERNELSPEC`: ``make lab`` registers it in ``.venv``; nbval in CI runs
with ``--nbval-current-env``, which ignores the name), and keeps the ``language_info`` the
kernel reports: the metadata JupyterLab writes itself, so that opening a notebook in Lab does
not mark it modified and saving it unedited leaves no diff.
"""

from __future__ import annotations

import re
from pathlib import Path

from ceasefire_stats.core import paths
from ceasefire_stats.core.errors import CeasefireStatsError

KERNEL = "python3"
"""The kernel notebooks run in: the Python of this package's environment."""

KERNELSPEC = {"display_name": "ceasefire-stats", "language": "python", "name": "ceasefire-stats"}
"""The kernel every notebook declares: the project's, as ``make lab`` registers it
(``python -m ipykernel install --sys-prefix --name ceasefire-stats --display-name ceasefire-stats``)."""


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
    runner = ExecutePreprocessor(timeout=timeout, kernel_name=KERNEL)
    try:
        runner.preprocess(nb, {"metadata": {"path": str(path.parent)}})
    except CellExecutionError as exc:
        raise CeasefireStatsError(failure(path, nb, exc.ename, exc.evalue)) from None
    merge_streams(nb)
    for cell in nb.cells:  # volatile metadata would make every run a diff
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)  # language_info: as the kernel reported it
    nbformat.write(nb, path)
    write_text_pair(path)
    return path


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def failure(path: Path, nb, ename: str, evalue: str) -> str:
    r"""One line saying which notebook and cell failed and with what error (no traceback: the
    cell and its line are named, the notebook holds the rest).

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# t"),
    ...     nbformat.v4.new_code_cell("x = cs.load('nope')\nx", execution_count=1,
    ...         outputs=[nbformat.v4.new_output("error", ename="E", evalue="v", traceback=[])])])
    >>> failure(Path("01_strikes.ipynb"), nb, "UnknownTableError", "unknown table 'nope'\n(more)")
    "01_strikes.ipynb: cell 2 of 2 (In [1], starting x = cs.load('nope')) failed: UnknownTableError: unknown table 'nope'"
    """
    where = "a cell"
    for number, cell in enumerate(nb.cells, start=1):
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
            first = first if len(first) <= 60 else first[:57] + "..."
            where = f"cell {number} of {len(nb.cells)} (In [{cell.get('execution_count')}], starting {first})"
            if not ename:  # the kernel's reply may not carry it (an error in a display formatter): the output does
                ename, evalue = errors[-1].get("ename"), errors[-1].get("evalue")
            if not ename:  # else the exception line at the end of the traceback
                lines = [_ANSI.sub("", t).strip() for t in errors[-1].get("traceback", [])]
                last = next((t for t in reversed("\n".join(lines).splitlines()) if re.match(r"^\w+(Error|Exception)\b", t)), "")
                ename, _, evalue = last.partition(": ")
            break
    message = next((line.strip() for line in _ANSI.sub("", evalue or "").splitlines() if line.strip()), "")
    message = message if len(message) <= 300 else message[:297] + "..."
    return f"{path.name}: {where} failed: {_ANSI.sub('', ename or 'Error')}: {message}"


def merge_streams(nb) -> None:
    r"""Join consecutive stream outputs of the same stream (stdout, stderr) of each cell into
    one, in place: how a kernel splits a print into messages depends on the machine's load,
    and a notebook's outputs must not.

    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("print(1); print(2)", outputs=[
    ...     nbformat.v4.new_output("stream", name="stdout", text="1\n"),
    ...     nbformat.v4.new_output("stream", name="stdout", text="2\n")])
    >>> merge_streams(nbformat.v4.new_notebook(cells=[cell]))
    >>> [o.text for o in cell.outputs]
    ['1\n2\n']
    """
    for cell in nb.cells:
        merged = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (output.get("output_type") == "stream" and previous is not None
                    and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
                previous["text"] = "".join(previous["text"]) + "".join(output["text"])
            else:
                merged.append(output)
        if "outputs" in cell:
            cell["outputs"] = merged


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


MISSING = "missing"
"""How a missing value (NaN, NaT, ``<NA>``, None) shows in a table displayed by a notebook."""


def number(x: float) -> str:
    """A float as a table shows it: whole numbers (counts) without decimals, others with three,
    tiny ones in scientific notation.

    >>> [number(x) for x in (904.0, 0.5, 1234.5678, 0.00012, -3.0)]
    ['904', '0.500', '1234.568', '1.200e-04', '-3']
    """
    if float(x).is_integer():
        return f"{x:.0f}"
    if abs(x) < 1e-3:
        return f"{x:.3e}"
    return f"{x:.3f}"


def shown(frame):
    """``frame`` (a DataFrame or Series) ready to display: nullable numbers and booleans
    holding ``<NA>`` become NaN (floats) or objects with NaN, so that one ``na_rep`` covers
    every kind of missing value."""
    import numpy as np
    import pandas as pd

    def column(values: pd.Series) -> pd.Series:
        if isinstance(values.dtype, pd.api.extensions.ExtensionDtype) and values.dtype.kind in "iubf" \
                and values.hasnans:
            if values.dtype.kind == "f":
                return values.astype("float64")
            return values.astype(object).where(values.notna(), np.nan)
        return values

    if isinstance(frame, pd.Series):
        return column(frame)
    out = frame.copy(deep=False)
    for i in range(frame.shape[1]):  # by position: any column labels (tuples of a MultiIndex, repeats)
        out.isetitem(i, column(frame.iloc[:, i]))
    return out


def whole(frame) -> str:
    """Every row and column of ``frame`` as text, shown as a displayed table is (counts as
    integers, every missing value as the one word ``missing``): for tables a reviewer reads
    row by row, printed whole in a notebook.

    >>> import pandas as pd
    >>> print(whole(pd.DataFrame({"launched": [145.0, None]})))
       launched
    0       145
    1   missing
    """
    import pandas as pd
    from pandas.io.formats import format as fmt

    params = {**fmt.get_dataframe_repr_params(), "max_rows": None, "min_rows": None, "max_cols": None}
    with pd.option_context("display.float_format", number):
        return shown(frame).to_string(na_rep=MISSING, **params)


def _frame_text(frame) -> str:
    from pandas.io.formats import format as fmt

    return shown(frame).to_string(na_rep=MISSING, **fmt.get_dataframe_repr_params())


_CELL = re.compile(r"(<t[dh][^>]*>)([^<]*)(</t[dh]>)")


def _break_points(html: str) -> str:
    """``html`` with a line-break opportunity (``<wbr>``) after each ``_`` of a table cell, so
    that a narrow page breaks ``energy_moratorium_2025`` between its words, not mid-word.

    >>> _break_points("<td>as_announced</td><td>904</td>")
    '<td>as_<wbr>announced</td><td>904</td>'
    """
    return _CELL.sub(lambda m: m.group(1) + m.group(2).replace("_", "_<wbr>") + m.group(3), html)


def _frame_html(frame) -> str:
    """pandas' own HTML repr of ``frame`` (``DataFrame._repr_html_``), with :data:`MISSING`
    and break points (:func:`_break_points`)."""
    import pandas as pd
    from pandas.io.formats import format as fmt

    option = pd.get_option
    formatter = fmt.DataFrameFormatter(
        shown(frame), na_rep=MISSING, float_format=option("display.float_format"), bold_rows=True,
        escape=True, max_rows=option("display.max_rows"), min_rows=option("display.min_rows"),
        max_cols=option("display.max_columns"), show_dimensions=option("display.show_dimensions"))
    return _break_points(fmt.DataFrameRenderer(formatter).to_html(notebook=True))


def _series_text(series) -> str:
    from pandas.io.formats import format as fmt

    params = fmt.get_series_repr_params()
    converted = shown(series)
    if converted.dtype == series.dtype:
        return converted.to_string(na_rep=MISSING, **params)
    # the footer names the series' own dtype, not the one converted for display
    text = converted.to_string(na_rep=MISSING, **(params | {"dtype": False})).rstrip("\n")
    last = text.rsplit("\n", 1)[-1]
    footer = last.startswith(("Name: ", "Length: ")) and len(converted) > 0
    return text + (", " if footer else "\n") + f"dtype: {series.dtype}"


def setup() -> None:
    """The first call of every notebook: pin display settings so outputs are identical on every
    run and machine (pandas text repr width, column and row limits, precision), show whole
    numbers without decimals (counts: ``904``, not ``904.000``; :func:`number`) and every missing
    value as one word, ``missing`` (NaN, NaT and ``<NA>`` alike), in the tables a cell displays
    (text and HTML)."""
    import pandas as pd

    pd.set_option("display.width", 110)
    pd.set_option("display.max_columns", 12)
    pd.set_option("display.max_colwidth", 48)
    pd.set_option("display.max_rows", 40)
    pd.set_option("display.precision", 3)
    pd.set_option("display.float_format", number)
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: pandas options only
        return
    shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    formatters["text/plain"].for_type(pd.DataFrame, lambda frame, p, cycle: p.text(_frame_text(frame)))
    formatters["text/plain"].for_type(pd.Series, lambda series, p, cycle: p.text(_series_text(series)))
    formatters["text/html"].for_type(pd.DataFrame, _frame_html)


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
    [['calendar', 'curated', '-'], ['claims', 'curated', '-']]
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
