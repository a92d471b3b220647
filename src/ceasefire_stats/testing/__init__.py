"""Generators of test data for the tests and benchmarks (``mod_corpus``: real MoD posts
recombined into a corpus of any size, with the values the parser must recover).

The top of the stack: no module of the package imports it, so nothing the build runs depends on
a generator. Submodules are imported on first attribute access (``cs.testing.mod_corpus``).
"""

from ceasefire_stats.core.lazy import submodules

__getattr__, __dir__ = submodules(__name__, __path__)
