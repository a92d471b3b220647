"""Errors raised by :mod:`ceasefire_stats.analysis`."""

from __future__ import annotations

from ceasefire_stats.core.errors import CeasefireStatsError


class AnalysisError(CeasefireStatsError):
    """An estimate cannot be computed from the data given (all days missing, no events, bad input).

    The message names the period and the reason; callers that build many rows at once
    (:func:`ceasefire_stats.analysis.sensitivity`) turn it into a ``note`` on the row.
    """


class ZeroWindowError(AnalysisError):
    """The intervention period has zero events: a GLM level term diverges (use an exact interval)."""
