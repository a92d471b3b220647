"""The one check of a count series handed to an estimator, and the one way to make it daily.

Every estimator of :mod:`ceasefire_stats.analysis` (:func:`its`, :func:`before_after`,
:func:`window_effect`, :func:`exact_rate_ratio`) reads counts: non-negative whole numbers, NA
where a day is missing. A negative or fractional value, or a series of instants (hourly
reports) where dates are expected, is an :class:`AnalysisError` with one line saying what to
do, never a silent result (an hourly series read as daily would keep only its midnight values).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ceasefire_stats.analysis.errors import AnalysisError


def check_values(values, what: str = "counts") -> np.ndarray:
    """``values`` as a float array (NaN = missing) after checking they are counts.

    >>> check_values([0, 2, None]).tolist()
    [0.0, 2.0, nan]
    >>> check_values([1, -1])
    Traceback (most recent call last):
    ...
    ceasefire_stats.analysis.errors.AnalysisError: counts has a negative value (-1.0 at position 1): counts must be >= 0
    """
    try:
        arr = pd.Series(values).astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise AnalysisError(f"{what} must be numbers (counts), not {pd.Series(values).dtype}: {exc}") from None
    bad = np.flatnonzero(np.isinf(arr))
    if len(bad):
        raise AnalysisError(f"{what} has an infinite value at position {bad[0]}: counts must be finite")
    bad = np.flatnonzero(arr < 0)
    if len(bad):
        raise AnalysisError(f"{what} has a negative value ({arr[bad[0]]} at position {bad[0]}): counts must be >= 0")
    bad = np.flatnonzero(np.isfinite(arr) & (arr != np.round(arr)))
    if len(bad):
        raise AnalysisError(f"{what} has a fractional value ({arr[bad[0]]} at position {bad[0]}): "
                            "counts must be whole numbers (pass rates as counts with an offset)")
    return arr


def check_series(counts, what: str = "counts") -> pd.Series:
    """``counts`` checked: a Series of counts (:func:`check_values`), unique index labels, and,
    with a DatetimeIndex, no time of day (dates, not instants). Returns it as ``Float64``."""
    if not isinstance(counts, pd.Series):
        raise AnalysisError(f"{what} must be a pandas Series, not {type(counts).__name__}")
    values = check_values(counts, what)
    idx = counts.index
    if not idx.is_unique:
        dup = idx[idx.duplicated()][0]
        raise AnalysisError(f"{what} has duplicate index labels (first: {dup})")
    if isinstance(idx, pd.DatetimeIndex) and len(idx):
        timed = idx[idx != idx.normalize()]
        if len(timed):
            raise AnalysisError(
                f"{what} has times of day (first: {timed[0]}): give one count per date, e.g. "
                "counts.resample('D').sum(min_count=1) (or the series' own attribution rule), "
                "never instants read as days")
    return pd.Series(values, index=idx, name=counts.name).astype("Float64")


def daily(counts, what: str = "counts") -> pd.Series:
    """A checked daily series of naive attribution dates, every calendar date present
    (``asfreq("D")``: absent dates become missing, never zeros), sorted."""
    counts = check_series(counts, what)
    if not isinstance(counts.index, pd.DatetimeIndex):
        raise AnalysisError(f"{what} needs a daily DatetimeIndex of attribution dates")
    if counts.index.tz is not None:
        raise AnalysisError(f"{what} must be indexed by naive attribution dates, not tz-aware instants")
    return counts.sort_index().asfreq("D")
