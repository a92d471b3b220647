"""Figures: the one way to make a figure (:func:`new_figure`: bundled style, released from
pyplot) and the one deterministic save function.

:func:`save_figure` writes SVG and PNG with no embedded dates or random ids
(``metadata={"Date": None}``, ``svg.hashsalt`` in the style), so a rebuild on the same
matplotlib and FreeType versions changes no bytes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import matplotlib

from ceasefire_stats.core import paths
from ceasefire_stats.core.files import atomic_write

STYLE = Path(__file__).resolve().parent / "ceasefire.mplstyle"
_METADATA = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def figures_dir() -> Path:
    """Where figures are saved: :func:`ceasefire_stats.core.paths.figures_dir`."""
    return paths.figures_dir()


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Context manager applying the bundled style."""
    import matplotlib.pyplot as plt

    with plt.style.context(str(STYLE)):
        yield


@contextlib.contextmanager
def new_figure(figsize: tuple[float, float], **options: object) -> Iterator[matplotlib.figure.Figure]:
    """The one way to make a figure: drawn inside this block in the bundled style, created
    through pyplot (which loads a notebook's inline backend, so a figure shown as a cell's
    value renders as PNG) and released from pyplot at once (shown exactly once, by the cell's
    value, and never leaking between cells or piling up in a script). ``options`` go to
    :func:`matplotlib.pyplot.figure` (e.g. ``layout="constrained"``).

    >>> with new_figure((4, 3)) as fig:
    ...     _ = fig.subplots().plot([0, 1], [1, 2])
    >>> import matplotlib.pyplot as plt
    >>> plt.get_fignums()
    []
    """
    import matplotlib.pyplot as plt

    with style():
        fig = plt.figure(figsize=figsize, **options)
        plt.close(fig)
        yield fig


def save_figure(fig: matplotlib.figure.Figure, name: str, formats: tuple[str, ...] = ("svg", "png")) -> list[Path]:
    """Save ``fig`` as ``figures/<name>.<fmt>`` atomically and reproducibly; return the paths
    relative to the figures folder (no machine paths in notebook outputs)."""
    out = figures_dir()
    written = []
    with style(), matplotlib.rc_context({"svg.hashsalt": "ceasefire-stats"}):
        for fmt in formats:
            target = out / f"{name}.{fmt}"
            with atomic_write(target) as tmp:
                fig.savefig(tmp, format=fmt, metadata=_METADATA.get(fmt))
            written.append(Path(target.name))
    return written
