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


def mod_report_restates(outer_start: pd.Series, outer_end: pd.Series, outer_stated: pd.Series,
                        outer_count: pd.Series, outer_id: pd.Series, inner_start: pd.Series,
                        inner_end: pd.Series, inner_count: pd.Series, inner_id: pd.Series) -> pd.Series:
    """**The MoD overlap rule (the only one)**: whether an MoD intercept report (*outer*)
    restates another (*inner*), so that the inner report's drones are already in the outer count.

    The MoD reports a night in pieces and then sums it up: interim posts in the evening («с 21.00
    до 24.00 ... 112 БПЛА»), then a covering summary in the morning that starts at or before them
    («с 21.00 27 мая до 7.00 28 мая ... 296 БПЛА»). On the real file every report whose *stated*
    window contains another's was posted later and claims at least as many drones, and most
    summaries name the interim posts' regions again (docs/mod_posts.md, "Overlapping reports").
    So the outer report restates the inner one when, element-wise:

    - the outer window is a **stated period**: an assumed «в течение прошедшей ночи» window is a
      convention, not evidence (see :data:`MOD_NIGHT_START`), and a moment («в 14.00») is one
      interception, which repeats nothing (posts of the same minute name other regions),
    - it **contains** the inner window (``[start, end)`` with a moment lasting :data:`MOMENT`),
    - and it claims **at least as many** drones (a summary is never smaller than its parts);
      of two reports with the same window, the larger one, or at equal counts the later post
      (post ids sort by posting time), restates the other.

    Reports that overlap without one containing the other are separate claims: each states a
    period the other does not cover, and the posts cannot say how to split them. Arguments are
    aligned Series: effective window ends (:func:`effective_end`), and ``outer_stated`` a bool.

    >>> t = lambda s: pd.Series([pd.Timestamp(s, tz=MOSCOW)])
    >>> n = lambda v: pd.Series([v])
    >>> mod_report_restates(t("2025-05-27 21:00"), t("2025-05-28 07:00"), n(True), n(296), n("b"),
    ...                     t("2025-05-27 21:00"), t("2025-05-28 00:00"), n(112), n("a")).tolist()
    [True]
    >>> mod_report_restates(t("2025-05-27 21:00"), t("2025-05-28 07:00"), n(False), n(296), n("b"),
    ...                     t("2025-05-27 21:00"), t("2025-05-28 00:00"), n(112), n("a")).tolist()
    [False]
    """
    contains = (outer_start <= inner_start) & (inner_end <= outer_end)
    same_window = (outer_start == inner_start) & (outer_end == inner_end)
    larger = outer_count > inner_count
    tie_later = (outer_count == inner_count) & (outer_id > inner_id)
    period = (outer_end - outer_start) > MOMENT
    return outer_stated & period & contains & (larger | tie_later | (~same_window & (outer_count >= inner_count)))
