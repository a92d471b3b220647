"""Russian MoD Telegram posts -> ``mod_posts`` and ``mod_post_regions``: the cleaner of one
source (:mod:`ceasefire_stats.core.cleaner`).

- :mod:`~ceasefire_stats.clean.mod_posts.grammar`: how a post is read (normalisation, kind,
  window, headline, breakdown; :func:`parse_frame` over a column, :func:`parse_post` for one post);
- :mod:`~ceasefire_stats.clean.mod_posts.step`: the raw file (:func:`read`), the tables and
  ledger (:func:`tables`), and the contract's per-partition :func:`parse` and whole-file
  :func:`combine`.

Every name is importable from here (``ceasefire_stats.clean.mod_posts.parse_frame``).
"""

from ceasefire_stats.clean.mod_posts.grammar import *  # noqa: F403
from ceasefire_stats.clean.mod_posts.grammar import _scan  # noqa: F401 (the corpus generator reads tokens)
from ceasefire_stats.clean.mod_posts.step import *  # noqa: F403
