"""plots.figure: credits from the registry, the footer, truce shading; every figure function credits."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from ceasefire_stats.analysis.smoothing import calendar_mean
from ceasefire_stats.plots import figure as plots

PLOTS_DIR = Path(plots.__file__).parent


def test_credit_is_built_from_the_registry_with_the_licence_name():
    text = plots.credit("airforce_strikes")
    assert text.startswith("Source: Petro Ivaniuk / piterfm")
    assert "Ukrainian Air Force" in text and "CC BY-NC-SA 4.0" in text
    assert "as stated by" not in text  # the registry's qualification stays in cs.status()
    assert "licence: not stated" in plots.credit("mod_posts") and "@mod_russia" in plots.credit("mod_posts")
    both = plots.credit("airforce_strikes", "mod_posts")
    assert both.count("licence:") == 2


def test_credit_of_curated_data_and_unknown_names():
    assert plots.credit("claims").startswith("Source: curated claims ledger (ceasefire-stats), from the cited public statements")
    with pytest.raises(Exception, match="unknown source"):
        plots.credit("no_such_source")
    with pytest.raises(ValueError):
        plots.credit()


def test_new_figure_writes_the_credit_below_everything():
    with plots.new_figure((4, 3), source=plots.credit("sicily")) as fig:
        fig.subplots().plot([0, 1], [0, 1])
    assert plots.figure_credit(fig).startswith("Source: Lopez Bernal")
    assert fig.texts[-1].get_position()[1] < 0  # below the axes' area, inside the tight box


def _new_figure_calls(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "new_figure":
            yield node


@pytest.mark.parametrize("path", sorted(p for p in PLOTS_DIR.glob("*.py") if p.name != "figure.py"),
                         ids=lambda p: p.name)
def test_every_figure_function_passes_a_credit_built_by_credit(path):
    for call in _new_figure_calls(path):
        source = [k for k in call.keywords if k.arg == "source"]
        assert source, f"{path.name}:{call.lineno}: new_figure without source="
        assert not isinstance(source[0].value, ast.Constant), f"{path.name}:{call.lineno}: hand-typed credit"


def _calendar():
    utc = lambda s: pd.Timestamp(s, tz="UTC")  # noqa: E731
    return pd.DataFrame({
        "window_id": ["a", "b", "b", "c"], "definition": ["x", "early", "late", "x"],
        "start": [utc("2025-05-07 21:00"), utc("2025-05-20 21:00"), utc("2025-05-22 21:00"), utc("2025-06-01")],
        "end": [utc("2025-05-10 21:00"), utc("2025-05-24 21:00"), pd.NaT, utc("2025-06-03")],
        "status": ["in_force", "disputed", "disputed", "proposed_never_began"],
    })


def test_shade_windows_shades_closed_windows_marks_open_ends_and_skips_other_statuses():
    from matplotlib.patches import Polygon, Rectangle

    with plots.new_figure((6, 2), source=plots.credit("calendar")) as fig:
        ax = fig.subplots()
        ax.plot(pd.date_range("2025-05-01", "2025-06-10"), range(41))
        plots.shade_windows(ax, _calendar(), bars=True)
    spans = [p for p in ax.patches if isinstance(p, (Polygon, Rectangle))]
    assert len(spans) == 2  # a (3 nights) and b/early; b/late is open (a line), c never began
    labels = [t.get_text() for t in ax.texts]
    assert "late (open end) ->" in labels and " x" in labels
    legend = [h.get_label() for h in ax.get_legend_handles_labels()[0]]
    assert "start of an open-ended truce" in legend and "truce window (in force)" in legend


def test_calendar_mean_withholds_sparse_windows_and_never_fills_zeros():
    days = pd.date_range("2025-01-01", periods=28)
    sparse = pd.Series([100.0 if d.day % 7 == 0 else None for d in days], index=days)  # 4 of 28 days
    out = calendar_mean(sparse)
    assert out["mean"].isna().all()  # a "mean of reported days" would read 100
    assert out["reported_days"].iloc[-1] == 4 and out["coverage"].iloc[-1] == pytest.approx(4 / 28)
    dense = pd.Series(10.0, index=days).mask(days.day == 3)
    assert calendar_mean(dense)["mean"].iloc[-1] == 10.0
