"""Notebooks have text twins (jupytext percent scripts) that reviews diff, kept in sync."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from ceasefire_stats.reports import notebooks


def test_every_notebook_and_its_text_twin_are_in_sync():
    """`ceasefire-stats notebooks` rewrites the twins; this fails when a notebook was edited
    without them (or a twin without its notebook)."""
    assert notebooks.pairs_out_of_sync() == []


def test_an_edited_notebook_is_reported_out_of_sync(tmp_path):
    for nb in sorted(notebooks.notebook_dir().glob("*.ipynb"))[:1]:
        shutil.copy2(nb, tmp_path / nb.name)
        notebooks.write_text_pair(tmp_path / nb.name)
        assert notebooks.pairs_out_of_sync(tmp_path) == []
        edited = nbformat.read(tmp_path / nb.name, as_version=4)
        edited.cells[-1].source += "\n# an edit"
        nbformat.write(edited, tmp_path / nb.name)
        assert notebooks.pairs_out_of_sync(tmp_path) == [
            f"{nb.name}: scripts/{nb.stem}.py differs from the notebook's cells"]
        (tmp_path / "scripts" / "orphan.py").write_text("# %%\n")
        assert "scripts/orphan.py: no notebook orphan.ipynb" in notebooks.pairs_out_of_sync(tmp_path)


def test_the_twin_holds_code_and_prose_but_no_outputs():
    nb = sorted(notebooks.notebook_dir().glob("*.ipynb"))[0]
    text = notebooks.text_pair(nb)
    assert "import ceasefire_stats as cs" in text and "# %% [markdown]" in text
    assert "image/png" not in text and "execution_count" not in text and "jupytext_version" not in text


def test_a_failing_notebook_is_one_line_naming_the_notebook_cell_and_error(tmp_path, capsys):
    from ceasefire_stats import cli

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# A notebook whose table is missing"),
        nbformat.v4.new_code_cell("import ceasefire_stats as cs\n\ncs.reports.notebooks.setup()"),
        nbformat.v4.new_code_cell("print('before')\ncs.load('no_such_table')"),
        nbformat.v4.new_code_cell("print('never runs')"),
    ])
    path = tmp_path / "07_broken.ipynb"
    nbformat.write(nb, path)
    before = path.read_bytes()
    assert cli.main(["notebooks", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "\x1b[" not in captured.err  # one line, no colours
    assert captured.err == ("ceasefire-stats: error: 07_broken.ipynb: cell 3 of 4 (In [2], starting "
                            "print('before')) failed: UnknownTableError: unknown table 'no_such_table'; "
                            "known: " + str(sorted(__import__("ceasefire_stats").pipeline.tables())) + "\n")
    assert path.read_bytes() == before  # a failed run leaves the notebook as it was


def test_displayed_tables_show_counts_as_integers_and_every_missing_value_as_missing():
    """What a reader sees in a notebook cell (text and HTML), after `setup()` in the kernel."""
    from nbconvert.preprocessors import ExecutePreprocessor

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import numpy as np\nimport pandas as pd\n\nimport ceasefire_stats as cs\n\ncs.reports.notebooks.setup()\n"
        "frame = pd.DataFrame({'launched': [904.0, np.nan], 'ratio': [0.5, 1.25],\n"
        "    'destroyed': pd.array([880, None], dtype='Int64'), 'model': pd.Series(['Shahed', None], dtype='str'),\n"
        "    'night': pd.to_datetime(['2025-03-19', None])})\nframe"),
        nbformat.v4.new_code_cell("frame.launched"), nbformat.v4.new_code_cell("frame.destroyed")])
    ExecutePreprocessor(kernel_name=notebooks.KERNEL, timeout=120).preprocess(nb, {})
    table, series, counts = (cell.outputs[0]["data"] for cell in nb.cells)
    assert [line.split() for line in table["text/plain"].splitlines()] == [
        ["launched", "ratio", "destroyed", "model", "night"],
        ["0", "904", "0.500", "880", "Shahed", "2025-03-19"],
        ["1", "missing", "1.250", "missing", "missing", "missing"]]
    html = table["text/html"]
    assert "<td>904</td>" in html and "<td>0.500</td>" in html and html.count("<td>missing</td>") == 4
    assert "NaN" not in html and "&lt;NA&gt;" not in html and "NaT" not in html
    assert series["text/plain"] == "0       904\n1   missing\nName: launched, dtype: float64"
    assert counts["text/plain"] == "0        880\n1    missing\nName: destroyed, dtype: Int64"  # its own dtype


def test_notebooks_declare_the_kernel_make_lab_registers_with_the_metadata_lab_writes():
    """Opening a notebook in JupyterLab must not mark it modified: Lab rewrites the kernelspec
    to the registered spec's names and language_info to what the kernel reports, so both are
    stored exactly so (checked by hand in Lab 4.6 with scripts/lab_roundtrip.py: no diff)."""
    import re

    from ipykernel.ipkernel import IPythonKernel

    makefile = (notebooks.notebook_dir().parent / "Makefile").read_text(encoding="utf-8")
    kernel = re.search(r"^KERNEL := (\S+)$", makefile, flags=re.MULTILINE).group(1)
    assert "ipykernel install --sys-prefix --name $(KERNEL) --display-name $(KERNEL)" in makefile
    assert notebooks.KERNELSPEC == {"display_name": kernel, "language": "python", "name": kernel}
    reported = {k: v for k, v in IPythonKernel.language_info.items() if k != "version"}
    for path in sorted(notebooks.notebook_dir().glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["kernelspec"] == notebooks.KERNELSPEC, path.name
        stored = dict(nb.metadata["language_info"])
        assert stored.pop("version", None), f"{path.name}: language_info without the version Lab adds"
        assert stored == reported, path.name
        assert set(nb.metadata) <= {"kernelspec", "language_info"}, path.name


def test_every_notebook_opens_on_its_title_before_any_code():
    for path in sorted(notebooks.notebook_dir().glob("*.ipynb")):
        first = nbformat.read(path, as_version=4).cells[0]
        assert first.cell_type == "markdown" and first.source.startswith("# "), path.name


def test_make_lab_registers_the_kernel_and_starts_as_root_too():
    """What `make lab` runs (make -n prints the commands without running them)."""
    import os
    import subprocess

    root = notebooks.notebook_dir().parent
    commands = subprocess.run(["make", "-n", "-C", str(root), "lab"], capture_output=True, text=True,
                              check=True).stdout.splitlines()
    lab = [c for c in commands if "jupyter lab" in c]
    assert len(lab) == 1 and "--notebook-dir=notebooks" in lab[0]
    assert ("--allow-root" in lab[0]) == (os.getuid() == 0)  # Jupyter refuses root without it
    register = [c for c in commands if "ipykernel install" in c]
    assert register and commands.index(register[0]) < commands.index(lab[0])
    assert f"--name {notebooks.KERNELSPEC['name']}" in register[0]


def test_a_table_with_column_levels_is_shown_with_one_missing_word():
    import pandas as pd

    columns = pd.MultiIndex.from_tuples([("destroyed_rate", "air_force"), ("stopped_rate", "air_force")])
    frame = pd.DataFrame([[0.5, pd.NA], [0.25, 0.75]], columns=columns).astype("Float64")
    shown = notebooks.shown(frame)
    assert shown.columns.equals(columns) and str(shown.dtypes.iloc[1]) == "float64"  # the column with a gap
    assert shown.iloc[0, 1] != shown.iloc[0, 1]  # NaN, shown as the one missing word


def test_a_failure_without_the_errors_name_in_the_reply_takes_it_from_the_cell():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("frame", execution_count=3, outputs=[
        nbformat.v4.new_output("error", ename="", evalue="",
                               traceback=["\x1b[31mTypeError\x1b[39m                 Traceback",
                                          "\x1b[31mTypeError\x1b[39m: keywords must be strings"])])])
    assert notebooks.failure(Path("01_strikes.ipynb"), nb, "", "") == (
        "01_strikes.ipynb: cell 1 of 1 (In [3], starting frame) failed: TypeError: keywords must be strings")
