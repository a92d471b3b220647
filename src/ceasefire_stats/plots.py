"""Figures: one bundled style and one deterministic save function.

:func:`save_figure` writes SVG and PNG with no embedded dates or random ids
(``metadata={"Date": None}``, ``svg.hashsalt`` in the style), so a rebuild on the same
matplotlib and FreeType versions changes no bytes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import matplotlib

from ceasefire_stats import paths
from ceasefire_stats.io import atomic_write

STYLE = paths.PACKAGE_DIR / "ceasefire.mplstyle"
_METADATA = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def figures_dir() -> Path:
    """Where figures are saved: :func:`ceasefire_stats.paths.figures_dir`."""
    return paths.figures_dir()


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Context manager applying the bundled style."""
    import matplotlib.pyplot as plt

    with plt.style.context(str(STYLE)):
        yield


def use_style() -> None:
    """Apply the bundled style globally (for notebooks)."""
    import matplotlib.pyplot as plt

    plt.style.use(str(STYLE))


def save_figure(fig: matplotlib.figure.Figure, name: str, formats: tuple[str, ...] = ("svg", "png")) -> list[Path]:
    """Save ``fig`` as ``figures/<name>.<fmt>`` atomically and reproducibly; return the paths
    relative to the figures folder (no machine paths in notebook outputs)."""
    out = figures_dir()
    written = []
    with matplotlib.rc_context({"svg.hashsalt": "ceasefire-stats"}):
        for fmt in formats:
            target = out / f"{name}.{fmt}"
            with atomic_write(target) as tmp:
                fig.savefig(tmp, format=fmt, metadata=_METADATA.get(fmt))
            written.append(Path(target.name))
    return written


def notebook_setup() -> None:
    """Pin display settings so notebook outputs are identical on every run and machine:
    pandas text repr width and column limits, and the bundled matplotlib style."""
    import pandas as pd

    pd.set_option("display.width", 110)
    pd.set_option("display.max_columns", 12)
    pd.set_option("display.max_colwidth", 48)
    pd.set_option("display.max_rows", 40)
    pd.set_option("display.precision", 3)
    use_style()
