"""Ukrainian Air Force strike reports -> ``strikes`` and ``strike_regions``: the cleaner of one
source (:mod:`ceasefire_stats.core.cleaner`).

- :mod:`~ceasefire_stats.clean.airforce.rules`: the raw file's schemas and the Air Force rules
  (:func:`clean`: a raw frame and a weapon reference -> tables and ledger);
- :mod:`~ceasefire_stats.clean.airforce.step`: the contract's :func:`read`, per-partition
  :func:`parse` and whole-file :func:`combine`, and the build step.

Every name is importable from here (``ceasefire_stats.clean.airforce.clean``).
"""

from ceasefire_stats.clean.airforce.rules import *  # noqa: F403
from ceasefire_stats.clean.airforce.rules import _explode  # noqa: F401 (tested on its own)
from ceasefire_stats.clean.airforce.step import *  # noqa: F403
