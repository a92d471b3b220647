"""Figures: one module with the style and the deterministic save, one module per subject.

Submodules are imported on first attribute access (``cs.plots.<module>``).
"""

from ceasefire_stats.core.lazy import submodules

__getattr__, __dir__ = submodules(__name__, __path__)
