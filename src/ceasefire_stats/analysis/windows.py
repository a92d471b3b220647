"""Which attribution dates a ceasefire window covers.

**Date rule.** Daily series are indexed by *attribution date*: the local date of the last
instant of a night report (see :mod:`ceasefire_stats.timeutil`), so date ``D`` stands for the
night from the evening of ``D-1`` to the morning of ``D``. A window ``[start, end)`` covers
date ``D`` when the *anchor instant* of that night, ``D 01:30`` local time (the middle of an
18:00-09:00 night), lies inside it: ``start <= D 01:30 < end``. A night is therefore counted
when most of it falls inside the window. Examples: a truce declared at 17:00 on 18 March
starts with the night attributed to 19 March; a truce from midnight 8 May to midnight 11 May
covers 8, 9 and 10 May (three nights); a 30-hour truce from 18:00 on 19 April to midnight on
21 April covers only 20 April.
"""

from __future__ import annotations

import pandas as pd

from ceasefire_stats.analysis.errors import AnalysisError

KYIV = "Europe/Kyiv"
NIGHT_ANCHOR = pd.Timedelta(hours=1, minutes=30)


def _local(ts, tz: str) -> pd.Timestamp:
    ts = pd.Timestamp(ts)
    if ts.tzinfo is None:
        raise AnalysisError(f"window bound {ts} has no time zone; calendar times must be tz-aware")
    return ts.tz_convert(tz)


def window_dates(start, end, tz: str = KYIV, anchor: pd.Timedelta = NIGHT_ANCHOR) -> pd.DatetimeIndex:
    """Attribution dates (naive, daily frequency) whose night falls inside ``[start, end)``.

    ``start``/``end`` are tz-aware instants (any zone; converted to ``tz``). ``end`` may be
    ``NaT`` only if the caller truncates it first: an open window has no last date, so this
    raises. A window shorter than a night may cover no date (an empty index is returned).
    Do not use it for day-level (not night-level) series whose dates mean calendar days;
    pass ``anchor=pd.Timedelta(hours=12)`` there.

    >>> s = pd.Timestamp("2025-05-07 21:00", tz="UTC")  # midnight 8 May, Kyiv summer time
    >>> e = pd.Timestamp("2025-05-10 21:00", tz="UTC")
    >>> window_dates(s, e).strftime("%d %b").tolist()
    ['08 May', '09 May', '10 May']
    >>> window_dates(pd.Timestamp("2025-03-18 17:00", tz="Europe/Kyiv"),
    ...              pd.Timestamp("2025-03-20 12:00", tz="Europe/Kyiv")).strftime("%d %b").tolist()
    ['19 Mar', '20 Mar']
    """
    if pd.isna(start) or pd.isna(end):
        raise AnalysisError("window_dates needs both a start and an end (truncate open windows first)")
    s, e = _local(start, tz), _local(end, tz)
    first = s.tz_localize(None).normalize() - pd.Timedelta(days=1)
    last = e.tz_localize(None).normalize() + pd.Timedelta(days=1)
    days = pd.date_range(first, last, freq="D", unit="us")
    anchors = (days + anchor).tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
    inside = (anchors >= s) & (anchors < e)
    out = days[inside]
    return pd.DatetimeIndex(out, freq="D") if len(out) else pd.DatetimeIndex([], dtype="datetime64[us]", freq="D")
