"""Time rules used everywhere in the package.

**The night-attribution rule (the only one).** Every report covers a half-open window
``[window_start, window_end)`` of timezone-aware timestamps in the reporting side's local
time (Ukrainian reports: Europe/Kyiv; Russian MoD posts: Europe/Moscow, UTC+3). A report is
attributed to the *local calendar date of the last instant inside its window*:

- an overnight window ``18 Mar 19:00 -> 19 Mar 08:00`` is attributed to **19 March** (the
  morning the night ends, which is also the date of the morning report);
- a whole-day window ``[20 Mar 00:00, 21 Mar 00:00)`` is attributed to **20 March**;
- a moment (``window_start == window_end``, e.g. "at about 16:30") to its own date.

>>> import pandas as pd
>>> start = pd.Series(pd.to_datetime(["2025-03-18 19:00", "2025-03-20 00:00", "2025-03-20 16:30"])).dt.tz_localize(KYIV)
>>> end = pd.Series(pd.to_datetime(["2025-03-19 08:00", "2025-03-21 00:00", "2025-03-20 16:30"])).dt.tz_localize(KYIV)
>>> attribution_date(start, end).astype(str).tolist()
['2025-03-19', '2025-03-20', '2025-03-20']
"""

from __future__ import annotations

import pandas as pd

KYIV = "Europe/Kyiv"
MOSCOW = "Europe/Moscow"
UTC = "UTC"

_TICK = pd.Timedelta(1, "us")


def attribution_date(window_start: pd.Series, window_end: pd.Series) -> pd.Series:
    """The attribution date (naive ``datetime64`` at midnight, local calendar) of each window.

    Both series must be timezone-aware in the same zone; the date is taken in that zone.
    Missing ends give a missing date.
    """
    if getattr(window_end.dtype, "tz", None) is None or getattr(window_start.dtype, "tz", None) is None:
        raise TypeError("attribution_date needs timezone-aware timestamps")
    last_instant = (window_end - _TICK).where(window_end > window_start, window_end)
    return last_instant.dt.tz_localize(None).dt.normalize().astype("datetime64[us]")
