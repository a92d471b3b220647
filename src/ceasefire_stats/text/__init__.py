"""Reading text safely: Russian and English number words, and the literal parser for raw cells.

Submodules are imported on first attribute access (``cs.text.<module>``).
"""

from ceasefire_stats.core.lazy import submodules

__getattr__, __dir__ = submodules(__name__, __path__)
