"""Curated claim files -> the ``claims`` and ``claim_source_errors`` tables: the cleaner of
one curated source.

- :mod:`~ceasefire_stats.clean.claims.document`: one claim file, read and checked on its own
  (:func:`read_file`: rows, ledger and problems, never raised);
- :mod:`~ceasefire_stats.clean.claims.step`: every file at once (:func:`combine`: ids across
  files, every problem raised together, the tables), :func:`read_claims`, the build step.

Every name is importable from here (``ceasefire_stats.clean.claims.read_claims``).
"""

from ceasefire_stats.clean.claims.document import *  # noqa: F403
from ceasefire_stats.clean.claims.step import *  # noqa: F403
