"""Time rules used everywhere in the package: the time zones, the one night-attribution rule,
and every night convention (the claims' nominal night, the MoD's nominal night, how long a
moment lasts). Nothing else in the package defines a night.

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


MOMENT = pd.Timedelta(minutes=1)
"""A report of a moment (``window_start == window_end``) counts as lasting one minute when
windows are intersected (overlaps of MoD reports, a claim's night against records)."""


def effective_end(window_start: pd.Series, window_end: pd.Series) -> pd.Series:
    """``window_end``, or ``window_start + MOMENT`` for a moment.

    >>> t = pd.Series([pd.Timestamp("2025-05-25 16:30", tz=MOSCOW)])
    >>> effective_end(t, t).dt.strftime("%H:%M").tolist()
    ['16:31']
    """
    return window_end.where(window_end > window_start, window_start + MOMENT)


CLAIM_NIGHT_START_HOUR, CLAIM_NIGHT_END_HOUR = 18, 10
"""A claim about ``night: D`` covers the nominal window [D-1 18:00, D 10:00) local: it holds the
overnight reports of both sides (Air Force ~19:00->08:00 Kyiv, MoD ~20:00->07:00 MSK)."""


def claim_night_window(night: object, tz: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The nominal window of a claim's ``night: D`` (the night ending on local date D):
    ``[D-1 18:00, D 10:00)`` in ``tz``.

    >>> claim_night_window("2025-03-19", "Europe/Kyiv")
    (Timestamp('2025-03-18 18:00:00+0200', tz='Europe/Kyiv'), Timestamp('2025-03-19 10:00:00+0200', tz='Europe/Kyiv'))
    """
    day = pd.Timestamp(night).normalize()
    start = (day - pd.Timedelta(days=1) + pd.Timedelta(hours=CLAIM_NIGHT_START_HOUR)).tz_localize(tz)
    return start, (day + pd.Timedelta(hours=CLAIM_NIGHT_END_HOUR)).tz_localize(tz)


MOD_NIGHT_START = pd.Timedelta(hours=-1)
MOD_NIGHT_END = pd.Timedelta(hours=7)
"""An MoD report «в течение прошедшей ночи» with no stated times is given the nominal window
[23:00 the day before, 07:00) Moscow time (offsets from the post's Moscow midnight)."""

LOCAL_ZONE: dict[str, str] = {"ru_to_ua": KYIV, "ua_to_ru": MOSCOW}
"""The reporting side's zone for each direction: a count's night or date is read there when a
source gives no zone (Air Force reports in Kyiv time, MoD posts in Moscow time)."""
