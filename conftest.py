"""Test-session setup shared by the unit tests, the doctests and the notebooks (nbval).

Path variables such as ``CEASEFIRE_STATS_MIRROR=../shared/data`` are written relative to
the folder where ``make test`` is typed; notebook kernels run in ``notebooks/``, so every
such variable is made absolute once, here, before any kernel starts.
"""

from ceasefire_stats.core.paths import absolutize_environment

absolutize_environment()
