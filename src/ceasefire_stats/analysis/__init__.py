"""Questions answered from the tidy tables: did the truces change anything, and how sure are we
(:func:`window_effect`: the primary estimate of one window; :func:`interception_rate`,
:func:`before_after`, :func:`its`, :func:`placebo`, :func:`sensitivity`); do the claims match the records (``claim_checks``); how accurate is the
MoD parser against hand labels (``mod_parser_accuracy``).

Every statistic returns a tidy DataFrame (or, for :func:`its`, a result whose ``effects`` is one)
with an interval, the method that produced it, and a ``note`` where no estimate exists.
statsmodels is imported inside the functions that fit models, so importing this package is
cheap. See ``docs/analysis.md`` for assumptions and the reference reproduction. Other
submodules are imported on first attribute access (``cs.analysis.claim_checks``).
"""

from __future__ import annotations

from ceasefire_stats.analysis.errors import AnalysisError, ZeroWindowError
from ceasefire_stats.analysis.interrupted import ITSResult, its, percentile_of, placebo
from ceasefire_stats.analysis.rates import before_after, exact_rate_ratio, interception_rate
from ceasefire_stats.analysis.sensitivity_table import sensitivity
from ceasefire_stats.analysis.window_effect import window_effect
from ceasefire_stats.analysis.windows import window_dates
from ceasefire_stats.core.lazy import submodules

__getattr__, __dir__ = submodules(__name__, __path__)

__all__ = [
    "AnalysisError",
    "ITSResult",
    "ZeroWindowError",
    "before_after",
    "exact_rate_ratio",
    "interception_rate",
    "its",
    "percentile_of",
    "placebo",
    "sensitivity",
    "window_dates",
    "window_effect",
]
