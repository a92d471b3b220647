"""Questions answered from the tables: claims checked against records, the MoD parser's accuracy
against hand labels.

Submodules are imported on first attribute access (``cs.analysis.<module>``).
"""

from ceasefire_stats.core.lazy import submodules

__getattr__, __dir__ = submodules(__name__, __path__)
