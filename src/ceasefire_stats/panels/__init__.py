"""Daily series built from the tidy tables, one module per source (the night rule comes from
:mod:`ceasefire_stats.nights`; missing days stay missing unless a documented policy says zero).

Submodules are imported on first attribute access (``cs.panels.<module>``).
"""

from ceasefire_stats.core.lazy import submodules

__getattr__, __dir__ = submodules(__name__, __path__)
