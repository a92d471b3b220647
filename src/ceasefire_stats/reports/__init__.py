"""What reviewers read: executing the notebooks.

Submodules are imported on first attribute access (``cs.reports.<module>``).
"""

from ceasefire_stats.core.lazy import submodules

__getattr__, __dir__ = submodules(__name__, __path__)
