"""Source versions: files a researcher obtained, registered beside the registry's pinned file,
and what changed between two of them.

- :mod:`~ceasefire_stats.versions.registry`: the committed registry of versions
  (``data/versions.toml``): add, check, restore and describe a version (no pandas: the pipeline
  imports it to resolve ``build --version``);
- :mod:`~ceasefire_stats.versions.forms`: the input forms each source's cleaner reads, and the
  check of a candidate file (``ceasefire-stats add``);
- :mod:`~ceasefire_stats.versions.diff`: row-level differences between two versions of the Air
  Force file, cleaned by the build's own cleaner (``cs.diff``, ``ceasefire-stats diff``);
- :mod:`~ceasefire_stats.versions.api`: the public names of the three, in one place.

This layer sits above ``analysis`` (the diff marks revisions in the analysed periods) and below
the pipeline. Submodules are imported on first attribute access (``cs.versions.registry``).
"""

from ceasefire_stats.core.lazy import submodules

__getattr__, __dir__ = submodules(__name__, __path__)
