"""The day picker of the client pages: the working days of the horizon as a strip, each saying
whether it has free times, then each day's times (pure: times, zone and language in, values out).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from callq import formats
from scheduling.slots import start_stamp

COLLAPSIBLE_DAYS = 40  # callq/static/booking.css has one rule per day index below this


@dataclass(frozen=True)
class PickerDay:
    """One day of the strip and the free times it offers (none: shown, not selectable)."""

    index: int
    iso: str
    label: str  # "lundi 30 mars 2026"
    weekday: str  # "lun."
    short: str  # "30 mars"
    times: tuple[tuple[str, str], ...]  # (form value, "14 h 00")


@dataclass(frozen=True)
class Picker:
    """The strip's days (weekdays from the first free day to the last) and the open one."""

    days: tuple[PickerDay, ...]
    chosen: int  # the index of the day shown open

    @property
    def collapsible(self) -> bool:
        """Whether the stylesheet can show only the open day (else every day shows)."""
        return len(self.days) <= COLLAPSIBLE_DAYS

    @property
    def free_days(self) -> tuple[PickerDay, ...]:
        """The days that have at least one free time."""
        return tuple(day for day in self.days if day.times)


def build(times: Sequence[tuple[datetime, datetime]], zone: ZoneInfo, lang: str,
          chosen: str | None = None) -> Picker:
    """The picker of `times`; the day of the `chosen` start (a form value) is open, else the
    first free day."""
    by_day: dict[date, list[tuple[str, str]]] = {}
    chosen_day: date | None = None
    for start, _end in times:
        local = start.astimezone(zone).date()
        value = start_stamp(start)
        by_day.setdefault(local, []).append((value, formats.time(start, zone, lang)))
        chosen_day = local if value == chosen else chosen_day
    if not by_day:
        return Picker((), 0)
    days = [_day(i, day, lang, by_day.get(day, [])) for i, day in enumerate(_weekdays(by_day))]
    first_free = next(d.index for d in days if d.times)
    open_index = next((d.index for d in days if d.iso == str(chosen_day)), first_free)
    return Picker(tuple(days), open_index)


def _weekdays(by_day: dict[date, list[tuple[str, str]]]) -> list[date]:
    first, last = min(by_day), max(by_day)
    span = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    # Weekends have no afternoon hours: left out unless a calendar opens one.
    return [day for day in span if day.weekday() < 5 or day in by_day]


def _day(index: int, day: date, lang: str, times: list[tuple[str, str]]) -> PickerDay:
    return PickerDay(index=index, iso=day.isoformat(), label=formats.day(day, lang),
                     weekday=formats.weekday(day, lang), short=formats.short_day(day, lang),
                     times=tuple(times))
