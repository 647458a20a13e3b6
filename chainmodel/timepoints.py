"""Dates with the precision the sources have, and durations.

Public notices give a day, a month or only a year ("around 2023"), sometimes an instant.
An :class:`Instant` keeps what was said: a year, a month, a day or a moment, read as the
span of days it may stand for. Comparisons say what the sources allow one to conclude:
``"2025-08"`` is *definitely* after ``"2025-03-31"``, but only *possibly* after
``"2025-08-15"``. Nothing here reads the wall clock.

Durations are ``xsd:duration`` values (``P7M``, ``P1Y6M``, ``P30D``); adding one to a day
follows the calendar (a month after 31 January is the last day of February).

Examples
--------
>>> end = parse_instant("2024-03")
>>> end.first, end.last
(datetime.date(2024, 3, 1), datetime.date(2024, 3, 31))
>>> compare(parse_instant("2025"), end)
'after'
>>> compare(parse_instant("2024-03-15"), end)
'possibly-after'
>>> add_duration(date(2024, 1, 31), parse_duration("P1M"))
datetime.date(2024, 2, 29)
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "Instant",
    "Duration",
    "PRECISIONS",
    "parse_instant",
    "parse_duration",
    "add_duration",
    "compare",
    "definitely_after",
    "possibly_after",
    "instant_sort_key",
    "days_between",
]

PRECISIONS = ("year", "month", "day", "moment")
"""How precisely an instant is known, coarsest first."""

_YEAR = re.compile(r"^(-?\d{4,})(Z|[+-]\d{2}:\d{2})?$")
_MONTH = re.compile(r"^(-?\d{4,})-(\d{2})(Z|[+-]\d{2}:\d{2})?$")
_DAY = re.compile(r"^(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$")
_MOMENT = re.compile(r"^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_DURATION = re.compile(
    r"^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
    r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


@dataclass(frozen=True, order=True)
class Instant:
    """A point in time as precisely as the source knows it: the days it may fall on.

    Attributes
    ----------
    first, last : datetime.date
        The first and last day the instant may stand for (equal for a day or a moment).
    precision : str
        One of :data:`PRECISIONS`.
    text : str
        The lexical form as written in the model.
    """

    first: date
    last: date
    precision: str
    text: str

    @property
    def exact_day(self) -> bool:
        """True when the instant names one day (a date or a moment)."""
        return self.first == self.last


@dataclass(frozen=True)
class Duration:
    """An ``xsd:duration`` reduced to calendar months and days (hours are rounded up to a day).

    Examples
    --------
    >>> parse_duration("P1Y6M").months
    18
    >>> parse_duration("P2W").days
    14
    """

    months: int
    days: int
    text: str

    @property
    def approximate_days(self) -> float:
        """The length in days, a month counted as 30.4375 days (for ordering and for ratios)."""
        return self.months * 30.4375 + self.days


def _valid(year: int, month: int = 1, day: int = 1) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_instant(text: str | None) -> Instant | None:
    """Read an ``xsd:gYear``, ``xsd:gYearMonth``, ``xsd:date`` or ``xsd:dateTime`` lexical form.

    A time-zone suffix is accepted and ignored (days are the days written). Anything else,
    and impossible dates such as ``2025-02-30``, give None.

    Parameters
    ----------
    text : str or None
        The literal's lexical form.

    Returns
    -------
    Instant or None

    Examples
    --------
    >>> parse_instant("2023").precision, parse_instant("2025-03-21T10:00:00+09:00").first
    ('year', datetime.date(2025, 3, 21))
    >>> parse_instant("March 2025") is None
    True
    """
    if text is None:
        return None
    value = text.strip()
    match = _MOMENT.match(value)
    if match:
        day = _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if day is None or int(match.group(4)) > 24 or int(match.group(5)) > 59 or int(match.group(6)) > 60:
            return None
        return Instant(day, day, "moment", value)
    match = _DAY.match(value)
    if match:
        day = _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return Instant(day, day, "day", value) if day else None
    match = _MONTH.match(value)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        first = _valid(year, month)
        if first is None:
            return None
        return Instant(first, date(year, month, calendar.monthrange(year, month)[1]), "month", value)
    match = _YEAR.match(value)
    if match:
        year = int(match.group(1))
        first = _valid(year)
        return Instant(first, date(year, 12, 31), "year", value) if first else None
    return None


def parse_duration(text: str | None) -> Duration | None:
    """Read an ``xsd:duration`` lexical form into months and days, or None.

    Negative durations and malformed text give None. Hours, minutes and seconds are added
    as a day when they are not zero (deadlines here are counted in days).

    Examples
    --------
    >>> parse_duration("P7M")
    Duration(months=7, days=0, text='P7M')
    >>> parse_duration("monthly") is None
    True
    """
    if not text:
        return None
    value = text.strip()
    match = _DURATION.match(value)
    if not match or match.group(1) or value in ("P", "PT") or value.endswith("T"):
        return None
    years, months, weeks, days, hours, minutes, seconds = match.groups()[1:]
    total_days = int(weeks or 0) * 7 + int(days or 0)
    if any(float(part or 0) > 0 for part in (hours, minutes, seconds)):
        total_days += 1
    return Duration(int(years or 0) * 12 + int(months or 0), total_days, value)


def add_duration(day: date, duration: Duration) -> date:
    """The day ``duration`` after ``day``, months added on the calendar (clamped to month end)."""
    month_index = day.year * 12 + day.month - 1 + duration.months
    year, month = divmod(month_index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last)) + timedelta(days=duration.days)


def compare(a: Instant, b: Instant) -> str:
    """How ``a`` stands to ``b``, as far as their precision lets one say.

    Returns
    -------
    str
        ``"after"`` (every day ``a`` may be is after every day ``b`` may be), ``"before"``,
        ``"same"`` (both name the same single day), ``"possibly-after"`` (they overlap and
        ``a`` may end later) or ``"possibly-before"`` (they overlap, ``a`` cannot be later).

    Examples
    --------
    >>> compare(parse_instant("2025-08-04"), parse_instant("2025-04-25"))
    'after'
    >>> compare(parse_instant("2025-08"), parse_instant("2025-08-04"))
    'possibly-after'
    """
    if a.first > b.last:
        return "after"
    if a.last < b.first:
        return "before"
    if a.exact_day and b.exact_day:
        return "same"
    return "possibly-after" if a.last > b.first else "possibly-before"


def definitely_after(a: Instant, b: Instant) -> bool:
    """True when ``a`` is after ``b`` whatever day each stands for."""
    return a.first > b.last


def possibly_after(a: Instant, b: Instant) -> bool:
    """True when ``a`` may be after ``b`` (some day of ``a`` is later than some day of ``b``)."""
    return a.last > b.first


def instant_sort_key(instant: Instant | None, tie: str = "") -> tuple:
    """Sort key for events in time order, mixed precision included.

    Instants sort by their first possible day, then the more precise first (``2025-03-01``
    before ``2025-03``), then by text; unknown instants come last.

    Examples
    --------
    >>> texts = ["2025-08", "2023", "2025-03-15", None, "2025-03"]
    >>> [t for t in sorted(texts, key=lambda t: instant_sort_key(parse_instant(t)))]
    ['2023', '2025-03', '2025-03-15', '2025-08', None]
    """
    if instant is None:
        return (1, date.max, 0, "", tie)
    return (0, instant.first, instant.last, instant.text, tie)


def days_between(a: date, b: date) -> int:
    """Whole days from ``a`` to ``b`` (negative when ``b`` is earlier)."""
    return (b - a).days
