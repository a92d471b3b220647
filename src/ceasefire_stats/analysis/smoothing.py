"""Rolling means of daily series over calendar days, with their coverage.

Figures used a trailing mean of the *reported* days (missing days skipped), which reads high
where few days are reported (a month with reports only on attack nights looks like a month of
attacks). :func:`calendar_mean` keeps that average (missing days are never zeros) but says how
many calendar days it rests on, and withholds it where the share of reported days is below
``min_coverage``.

Rule (one for every daily figure): the trailing ``window`` calendar days ending on each date
(default 28), the mean of the days with a value among them, shown only when at least
``min_coverage`` of the window's calendar days (default 0.5: 14 of 28) have a value.
"""

from __future__ import annotations

import pandas as pd

WINDOW_DAYS = 28
MIN_COVERAGE = 0.5


def calendar_mean(series: pd.Series, window: int = WINDOW_DAYS, min_coverage: float = MIN_COVERAGE) -> pd.DataFrame:
    """Trailing ``window``-calendar-day mean of the reported days, withheld below ``min_coverage``.

    ``series``: daily values on a DatetimeIndex (made daily with ``asfreq("D")``; NA = no
    report). Returns a frame on the same daily index: ``mean`` (NaN where coverage is below
    ``min_coverage``), ``reported_days`` (days with a value in the window), ``coverage``
    (``reported_days / window``).

    >>> s = pd.Series([10.0, None, None, None], index=pd.date_range("2025-01-01", periods=4))
    >>> calendar_mean(s, window=2, min_coverage=0.5).to_dict("list")
    {'mean': [10.0, 10.0, nan, nan], 'reported_days': [1, 1, 0, 0], 'coverage': [0.5, 0.5, 0.0, 0.0]}
    """
    y = series.astype("float64").sort_index().asfreq("D")
    reported = y.notna().astype("int64").rolling(window, min_periods=1).sum()
    # the first window-1 dates have fewer calendar days behind them: coverage is over `window` days
    total = y.rolling(window, min_periods=1).sum()
    mean = (total / reported.where(reported > 0)).where(reported >= min_coverage * window)
    return pd.DataFrame({"mean": mean, "reported_days": reported.astype("int64"),
                         "coverage": reported / window}, index=y.index)
