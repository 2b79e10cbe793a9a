"""Business time over many instants at once (R11): the calendar's openings laid end to end.

`Timeline` answers the calendar's `business_seconds` and `add_business_days` (same rules,
tested equal) and their inverse, `add_business_seconds`, in constant time per instant: each
local day's openings are read once from the calendar and the open seconds before each day are
summed. Reports judge a year of entries with it; instants are datetimes or POSIX seconds.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from scheduling.calendar import SEARCH_DAYS, BusinessCalendar, utc, wall_to_utc

EPOCH = date(1970, 1, 1)
DAY = 86_400
MARGIN_DAYS = 62  # read ahead when a due lies past the days laid so far (SLA days + holidays)


def epoch(instant: datetime) -> float:
    """POSIX seconds of a tz-aware instant."""
    return utc(instant).timestamp()


def instant(seconds: float) -> datetime:
    """The UTC instant of POSIX seconds."""
    return datetime.fromtimestamp(seconds, UTC)


class Timeline:
    """The calendar's open time from `origin` (a local date) on, extended as it is asked."""

    def __init__(self, calendar: BusinessCalendar, origin: date) -> None:
        self.calendar = calendar
        self.origin = origin
        self._starts: list[float] = []  # local midnight of each day, as POSIX seconds
        self._before: list[float] = [0.0]  # open seconds before each day (one more: the end)
        self._spans: list[tuple[tuple[float, float, float], ...]] = []  # (start, end, offset)
        self._open_days: list[int] = []  # indexes of the days that open
        self._opens_before: list[int] = []  # open days before each day
        self._extend(origin + timedelta(days=MARGIN_DAYS))

    # --- the days laid so far ------------------------------------------------------------

    def _extend(self, last: date) -> None:
        day = self.origin + timedelta(days=len(self._starts))
        while day <= last:
            spans = tuple(
                (i.start.timestamp(), i.end.timestamp(),
                 (self.calendar.local(i.start).utcoffset() or timedelta()).total_seconds())
                for i in self.calendar.intervals_on(day))
            self._starts.append(wall_to_utc(day, time(0), self.calendar.tz).timestamp())
            self._opens_before.append(len(self._open_days))
            if spans:
                self._open_days.append(len(self._spans))
            self._spans.append(spans)
            self._before.append(self._before[-1] + sum(end - start for start, end, _ in spans))
            day += timedelta(days=1)

    def _index(self, seconds: float) -> int:
        """The index of the local day holding the instant (days are laid as needed)."""
        if seconds < self._starts[0]:
            raise ValueError(f"{instant(seconds).isoformat()} is before the timeline's origin "
                             f"{self.origin.isoformat()}")
        while seconds >= self._starts[-1]:  # the last day laid only closes the one before
            self._extend(self.origin + timedelta(days=len(self._starts) + MARGIN_DAYS))
        return bisect_right(self._starts, seconds) - 1

    def _day(self, index: int) -> date:
        return self.origin + timedelta(days=index)

    # --- business seconds ----------------------------------------------------------------

    def offset(self, seconds: float) -> float:
        """Open seconds from the origin to the instant."""
        index = self._index(seconds)
        inside = sum(min(seconds, end) - start for start, end, _ in self._spans[index]
                     if seconds > start)
        return self._before[index] + inside

    def business_seconds(self, start: datetime, end: datetime) -> float:
        """Open time between two instants; 0 when `end` is not after `start` (as the calendar)."""
        return self.seconds_between(epoch(start), epoch(end))

    def seconds_between(self, start: float, end: float) -> float:
        """`business_seconds` over POSIX seconds."""
        return max(self.offset(end) - self.offset(start), 0.0) if end > start else 0.0

    def add_business_seconds(self, start: datetime, seconds: float) -> datetime:
        """The first instant at which `seconds` of open time have passed since `start`."""
        return instant(self.after_seconds(epoch(start), seconds))

    def after_seconds(self, start: float, seconds: float) -> float:
        """`add_business_seconds` over POSIX seconds."""
        if seconds <= 0:
            return start
        wanted = self.offset(start) + seconds
        index = self._index(start)
        while self._before[index + 1] < wanted:
            index += 1
            if index + 1 >= len(self._before):
                self._extend(self._day(index + MARGIN_DAYS))
        passed = self._before[index]
        for span_start, span_end, _ in self._spans[index]:
            if passed + (span_end - span_start) >= wanted:
                return span_start + (wanted - passed)
            passed += span_end - span_start
        raise AssertionError("the day's openings add up to its total")  # pragma: no cover

    # --- business days (the calendar's add_business_days) -------------------------------

    def add_business_days(self, start: datetime, days: int) -> datetime:
        """The calendar's `add_business_days`, from the days laid here."""
        return instant(self.after_days(epoch(start), days))

    def after_days(self, start: float, days: int) -> float:
        """`add_business_days` over POSIX seconds."""
        if days < 0:
            raise ValueError(f"days must be >= 0, not {days}")
        anchor, index, wall_offset = self._anchor(start)
        if days == 0:
            return anchor
        rank = self._opens_before[index] + days  # the anchor's day is open: its rank, plus days
        while rank >= len(self._open_days):
            self._extend(self._day(len(self._starts) + MARGIN_DAYS))
        target = self._open_days[rank]
        wall = anchor + wall_offset - _naive_midnight(self._day(index))
        spans = self._spans[target]
        offset = spans[0][2]
        wanted = _naive_midnight(self._day(target)) + wall - offset
        return min(max(wanted, spans[0][0]), spans[-1][1])

    def _anchor(self, start: float) -> tuple[float, int, float]:
        """The first open instant at or after `start`, its day's index and UTC offset."""
        index = self._index(start)
        for span_start, span_end, offset in self._spans[index]:
            if span_start <= start < span_end:
                return start, index, offset
            if span_start > start:
                return span_start, index, offset
        for _ in range(400):
            index += 1
            if index >= len(self._spans):
                self._extend(self._day(index + MARGIN_DAYS))
            if self._spans[index]:
                span_start, _, offset = self._spans[index][0]
                return span_start, index, offset
        raise ValueError(f"calendar {self.calendar.spec.name!r} has no opening within 400 days")


def _naive_midnight(day: date) -> float:
    """A local date's midnight as if its wall clock were UTC (wall times become sums)."""
    return float((day - EPOCH).days * DAY)


def timeline_for(calendar: BusinessCalendar, earliest: datetime) -> Timeline:
    """A timeline from the local day before `earliest` (an instant's local day may start before
    its UTC day)."""
    return Timeline(calendar, calendar.local(earliest).date() - timedelta(days=1))


class CalendarTime:
    """Business time read straight from the calendar, for a few instants (a page of entries)."""

    def __init__(self, calendar: BusinessCalendar) -> None:
        self.calendar = calendar

    def business_seconds(self, start: datetime, end: datetime) -> float:
        """The calendar's `business_seconds`."""
        return self.calendar.business_seconds(start, end)

    def add_business_days(self, start: datetime, days: int) -> datetime:
        """The calendar's `add_business_days`."""
        return self.calendar.add_business_days(start, days)

    def add_business_seconds(self, start: datetime, seconds: float) -> datetime:
        """The first instant at which `seconds` of open time have passed since `start`."""
        start = utc(start)
        if seconds <= 0:
            return start
        left, day = seconds, self.calendar.local(start).date()
        for _ in range(SEARCH_DAYS):
            for opening in self.calendar.intervals_on(day):
                begin = max(opening.start, start)
                if begin >= opening.end:
                    continue
                span = (opening.end - begin).total_seconds()
                if span >= left:
                    return begin + timedelta(seconds=left)
                left -= span
            day += timedelta(days=1)
        raise ValueError(f"calendar {self.calendar.spec.name!r} has no opening within "
                         f"{SEARCH_DAYS} days")


def utc_offsets(calendar: BusinessCalendar, first: date, last: date) -> list[tuple[float, float]]:
    """The calendar zone's UTC offset over local days `first`..`last`: (from POSIX seconds,
    offset seconds) pairs, the first from the start of `first`, one more per DST change."""
    tz = calendar.tz
    start = wall_to_utc(first, time(0), tz)
    found = [(start.timestamp(), _offset(start, tz))]
    day = first
    while day < last:
        day += timedelta(days=1)
        moment = wall_to_utc(day, time(0), tz)
        if _offset(moment, tz) != found[-1][1]:  # the change happened during the day before
            low, high = moment - timedelta(days=1), moment
            while (high - low).total_seconds() > 1:
                middle = low + (high - low) / 2
                low, high = (low, middle) if _offset(middle, tz) != found[-1][1] else (middle,
                                                                                       high)
            found.append((high.timestamp(), _offset(high, tz)))
    return found


def _offset(moment: datetime, tz: Any) -> float:
    return (moment.astimezone(tz).utcoffset() or timedelta()).total_seconds()
