"""reports.figures.write_all: every chart from the library, byte-identical on a rebuild."""

from __future__ import annotations

import pytest

from ceasefire_stats.plots.figure import credit, figure_credit, new_figure
from ceasefire_stats.reports import figures


def _toy(tables):
    with new_figure((4, 3), source=credit("sicily")) as fig:
        ax = fig.subplots()
        ax.plot(tables["t"]["x"], tables["t"]["y"])
        ax.set_title("toy")
    return fig


def _bytes(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_write_all_is_byte_identical_on_a_rebuild(tmp_path, monkeypatch):
    import pandas as pd

    monkeypatch.setitem(figures.FIGURES, "toy", _toy)
    tables = {"t": pd.DataFrame({"x": [0, 1, 2], "y": [1, 3, 2]})}
    runs = []
    for k in range(2):
        out = tmp_path / f"run{k}"
        out.mkdir()
        monkeypatch.setenv("CEASEFIRE_STATS_FIGURES", str(out))
        written = figures.write_all(["toy"], tables=tables)
        assert [p.name for p in written] == ["toy.svg", "toy.png"]
        runs.append(_bytes(out))
    assert runs[0] == runs[1]


def test_unknown_figure_names_are_an_error():
    from ceasefire_stats.core.errors import CeasefireStatsError

    with pytest.raises(CeasefireStatsError, match="unknown figures"):
        figures.write_all(["no_such_figure"], tables={})


@pytest.mark.realdata
def test_every_real_figure_is_credited_and_byte_identical_to_the_committed_one(raw_file, tmp_path, monkeypatch):
    """Each real figure drawn once: credited, and the bytes of the figure committed in
    ``figures/`` (written by another process, at another time: a rebuild changes no byte). The
    bytes hold for the same matplotlib and FreeType versions: after upgrading them, write the
    figures again (``ceasefire-stats figures``) and commit them. (Saving one drawing twice is no
    test: the layout is computed again at each save, from the positions the last one left.)"""
    from ceasefire_stats.core import paths

    for name in ("airforce_strikes", "mod_posts", "sicily", "weapons"):
        raw_file(name)
    committed = paths.checkout_root() / "figures" if paths.checkout_root() else None
    if committed is None or not committed.is_dir():
        pytest.skip("the committed figures are those of a source checkout")
    credits = {}
    save = figures.save_figure

    def save_and_read_credit(fig, name, **options):
        credits[name] = figure_credit(fig)  # the very figure written
        return save(fig, name, **options)

    monkeypatch.setattr(figures, "save_figure", save_and_read_credit)
    monkeypatch.setenv("CEASEFIRE_STATS_FIGURES", str(tmp_path))
    figures.write_all(tables=figures.load_tables())
    drawn = _bytes(tmp_path)
    assert sorted(drawn) == sorted(f"{n}.{e}" for n in figures.FIGURES for e in ("svg", "png"))
    assert sorted(credits) == sorted(figures.FIGURES)
    assert all(credit.startswith("Source: ") for credit in credits.values()), credits
    assert drawn == {name: (committed / name).read_bytes() for name in drawn}
