"""The business calendar: opening hours, modes, public holidays, business time (R1-R4, R11)."""

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import holidays

SEARCH_DAYS = 400
CLOSURE_NAME = "Fermeture"
HOLIDAY_LANGUAGE = "fr"  # names are shown to French-speaking callers; unknown languages fall back
ONE_DAY = timedelta(days=1)
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Mode(StrEnum):
    """What the hotline does at a moment: answer live, keep appointments, or nothing."""

    LIVE = "live"
    APPOINTMENTS = "appointments"
    CLOSED = "closed"


@dataclass(frozen=True)
class Span:
    """A local wall-clock opening span of a weekday."""

    start: time
    end: time
    mode: Mode

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(f"a span must end after it starts, not {self.start}-{self.end}")
        if self.mode is Mode.CLOSED:
            raise ValueError("a span is live or appointments: closed time is the absence of a span")


@dataclass(frozen=True)
class CalendarSpec:
    """Weekly hours, zone and holiday source of one hotline."""

    name: str
    timezone: str
    week: Mapping[int, tuple[Span, ...]]
    holiday_country: str
    holiday_subdiv: str | None = None
    eve_of_holiday_close: time | None = None
    # R4: the eve is the calendar day before the holiday, when that day is a working day. The
    # other reading (the last working day before it, skipping closed days: the Friday before
    # Whit Monday) is this setting.
    eve_skips_closed_days: bool = False

    def __post_init__(self) -> None:
        for weekday, spans in self.week.items():
            if weekday not in range(7):
                raise ValueError(f"weekday must be 0 (Monday) to 6, not {weekday!r}")
            if any(after.start < before.end for before, after in pairwise(spans)):
                raise ValueError(f"spans of weekday {weekday} overlap or are not sorted")


def _day(*spans: tuple[time, time, Mode]) -> tuple[Span, ...]:
    return tuple(Span(*span) for span in spans)


_PARIS_DAY = _day((time(9), time(12), Mode.LIVE), (time(14), time(18), Mode.APPOINTMENTS))
_BERN_DAY = _day((time(8), time(12), Mode.LIVE), (time(13, 30), time(18), Mode.APPOINTMENTS))
_BERN_FRIDAY = _day((time(8), time(12), Mode.LIVE), (time(13, 30), time(17), Mode.APPOINTMENTS))

PARIS = CalendarSpec(
    name="Paris",
    timezone="Europe/Paris",
    week=MappingProxyType(dict.fromkeys(range(5), _PARIS_DAY)),
    holiday_country="FR",
)
BERN = CalendarSpec(
    name="Bern",
    timezone="Europe/Zurich",
    week=MappingProxyType({**dict.fromkeys(range(4), _BERN_DAY), 4: _BERN_FRIDAY}),
    holiday_country="CH",
    holiday_subdiv="BE",
    eve_of_holiday_close=time(16),
)
PRESETS: Mapping[str, CalendarSpec] = MappingProxyType({"paris": PARIS, "bern": BERN})


@dataclass(frozen=True)
class OpenInterval:
    """One opening of one local day, as UTC instants (half-open)."""

    start: datetime
    end: datetime
    mode: Mode


def utc(instant: datetime) -> datetime:
    """The same instant in UTC; naive datetimes are refused because their zone is a guess."""
    if instant.tzinfo is UTC:  # the common case, kept cheap for bulk busy rows
        return instant
    if instant.utcoffset() is None:
        raise ValueError(f"a tz-aware datetime is required, not {instant!r}")
    return instant.astimezone(UTC)


def wall_to_utc(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """The first instant at which the local clock of `tz` shows `wall` or later on `day`."""
    local = datetime.combine(day, wall, tzinfo=tz)  # fold=0: first of a repeated wall time
    instant = local.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == local.replace(tzinfo=None):
        return instant
    # `wall` falls in a spring-forward gap: the clock jumps over it, so it is reached at the jump.
    return _transition(local.replace(fold=1).astimezone(UTC), instant, tz)


def _transition(before: datetime, after: datetime, tz: ZoneInfo) -> datetime:
    """The offset change in `tz` between two instants with different offsets, to the second."""
    new_offset = after.astimezone(tz).utcoffset()
    low, high = int(before.timestamp()), int(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(tz).utcoffset() == new_offset:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def _country_holidays(spec: CalendarSpec, years: Iterable[int]) -> holidays.HolidayBase:
    return holidays.country_holidays(
        spec.holiday_country, subdiv=spec.holiday_subdiv, years=years, language=HOLIDAY_LANGUAGE
    )


class BusinessCalendar:
    """Opening intervals of a spec, net of public holidays and administrator closures."""

    def __init__(self, spec: CalendarSpec,
                 closures: Iterable[date] | Mapping[date, str] = ()) -> None:
        self.spec = spec
        self.tz = ZoneInfo(spec.timezone)
        # A closure's label is what callers hear ("inventaire annuel"); unlabelled: "Fermeture".
        labels = closures if isinstance(closures, Mapping) else dict.fromkeys(closures, "")
        self._closures: Mapping[date, str] = MappingProxyType(
            {day: label or CLOSURE_NAME for day, label in labels.items()})
        self._holidays: dict[int, dict[date, str]] = {}
        self._intervals: dict[date, tuple[OpenInterval, ...]] = {}
        _country_holidays(spec, years=())  # an unknown country or subdivision fails here, not later

    def local(self, instant: datetime) -> datetime:
        """The instant in the calendar's zone."""
        return utc(instant).astimezone(self.tz)

    def holiday_name(self, day: date) -> str | None:
        """The public holiday's name, an administrator closure's label, else None."""
        return self._public_holiday(day) or self._closures.get(day)

    def is_working_day(self, day: date) -> bool:
        """True when the weekday has hours and the day is neither a holiday nor a closure."""
        return bool(self.spec.week.get(day.weekday())) and self.holiday_name(day) is None

    def intervals_on(self, day: date) -> tuple[OpenInterval, ...]:
        """The UTC openings of a local day, trimmed on the eve of a holiday, sorted."""
        found = self._intervals.get(day)
        if found is None:
            found = self._intervals[day] = self._compute_intervals(day)
        return found

    def interval_at(self, now: datetime) -> OpenInterval | None:
        """The opening containing `now`, if any."""
        now = utc(now)
        day = now.astimezone(self.tz).date()
        return next((i for i in self.intervals_on(day) if i.start <= now < i.end), None)

    def takes_appointments(self, start: datetime, end: datetime) -> bool:
        """Whether [start, end) lies within one afternoon opening (R12): not on a closed day or
        a holiday, nor outside hours changed since it was booked."""
        opening = self.interval_at(start)
        return opening is not None and opening.mode is Mode.APPOINTMENTS and \
            utc(end) <= opening.end

    def mode_at(self, now: datetime) -> Mode:
        """The mode at `now`: CLOSED outside every opening."""
        interval = self.interval_at(now)
        return interval.mode if interval else Mode.CLOSED

    def next_opening(self, now: datetime, mode: Mode | None = None) -> OpenInterval | None:
        """The first opening (of `mode`, if given) starting after `now`, within 400 days."""
        now = utc(now)
        for interval in self._openings_from(now.astimezone(self.tz).date()):
            if interval.start > now and mode in (None, interval.mode):
                return interval
        return None

    def business_seconds(self, start: datetime, end: datetime) -> float:
        """Open time, any mode, between two instants; 0 when `end` is not after `start`."""
        start, end = utc(start), utc(end)
        total = 0.0
        day, last = self.local(start).date(), self.local(end).date()
        while day <= last:
            for interval in self.intervals_on(day):
                overlap = min(end, interval.end) - max(start, interval.start)
                total += max(overlap.total_seconds(), 0.0)
            day += ONE_DAY
        return total

    def add_business_days(self, start: datetime, days: int) -> datetime:
        """The due instant `days` open days after `start`, in UTC (rule below)."""
        # From the first open instant at or after `start` (the anchor), go to the `days`-th later
        # day that opens, and keep the anchor's local wall time, clamped into that day's hours
        # (e.g. 17:30 becomes 17:00 on a Bern Friday). Monotonic in `start`; days=0 -> the anchor.
        if days < 0:
            raise ValueError(f"days must be >= 0, not {days}")
        anchor = self._open_at_or_after(start)
        day = self.local(anchor).date()
        if days == 0:
            return anchor
        for _ in range(days):
            day = self._next_open_day(day)
        hours = self.intervals_on(day)
        wanted = wall_to_utc(day, self.local(anchor).time(), self.tz)
        return min(max(wanted, hours[0].start), hours[-1].end)

    def _public_holiday(self, day: date) -> str | None:
        names = self._holidays.get(day.year)
        if names is None:
            names = self._holidays[day.year] = dict(_country_holidays(self.spec, [day.year]))
        return names.get(day)

    def _is_eve(self, day: date) -> bool:
        """True on the day before a public holiday (R4); with `eve_skips_closed_days`, on the
        last working day before it, closed days between skipped."""
        following = day + ONE_DAY
        if not self.spec.eve_skips_closed_days:
            return self._public_holiday(following) is not None
        for _ in range(31):
            if self._public_holiday(following):
                return True
            if self.is_working_day(following):
                return False
            following += ONE_DAY
        return False

    def _compute_intervals(self, day: date) -> tuple[OpenInterval, ...]:
        if not self.is_working_day(day):
            return ()
        close = self.spec.eve_of_holiday_close
        if close is not None and not self._is_eve(day):
            close = None
        found = []
        for span in self.spec.week[day.weekday()]:
            end = span.end if close is None else min(span.end, close)
            start_utc = wall_to_utc(day, span.start, self.tz)
            end_utc = wall_to_utc(day, end, self.tz)
            if start_utc < end_utc:  # a span inside a DST gap, or after an eve's close, is empty
                found.append(OpenInterval(start_utc, end_utc, span.mode))
        return tuple(sorted(found, key=lambda interval: interval.start))

    def _openings_from(self, day: date) -> Iterator[OpenInterval]:
        for offset in range(SEARCH_DAYS):
            yield from self.intervals_on(day + timedelta(days=offset))

    def _open_at_or_after(self, start: datetime) -> datetime:
        start = utc(start)
        if self.interval_at(start) is not None:
            return start
        opening = self.next_opening(start)
        if opening is None:
            raise self._no_opening()
        return opening.start

    def _next_open_day(self, day: date) -> date:
        for offset in range(1, SEARCH_DAYS + 1):
            if self.intervals_on(day + timedelta(days=offset)):
                return day + timedelta(days=offset)
        raise self._no_opening()

    def _no_opening(self) -> ValueError:
        return ValueError(f"calendar {self.spec.name!r} has no opening within {SEARCH_DAYS} days")


def spec_from_dict(data: Mapping[str, Any]) -> CalendarSpec:
    """A CalendarSpec from JSON-shaped data: times "HH:MM", week keys "mon".."sun"."""
    unknown = set(data["week"]) - set(WEEKDAY_KEYS)
    if unknown:
        raise ValueError(f"unknown week keys {sorted(unknown)}: use {', '.join(WEEKDAY_KEYS)}")
    week = {
        WEEKDAY_KEYS.index(key): tuple(_span_from_dict(span) for span in spans)
        for key, spans in data["week"].items()
    }
    eve = data.get("eve_of_holiday_close")
    return CalendarSpec(
        name=str(data["name"]),
        timezone=str(data["timezone"]),
        week=MappingProxyType(week),
        holiday_country=str(data["holiday_country"]),
        holiday_subdiv=data.get("holiday_subdiv"),
        eve_of_holiday_close=None if eve is None else time.fromisoformat(eve),
        eve_skips_closed_days=bool(data.get("eve_skips_closed_days", False)),
    )


def spec_to_dict(spec: CalendarSpec) -> dict[str, Any]:
    """The JSON shape spec_from_dict reads (what the administrator's hours are stored as)."""
    week = {WEEKDAY_KEYS[day]: [{"start": s.start.strftime("%H:%M"),
                                 "end": s.end.strftime("%H:%M"), "mode": s.mode.value}
                                for s in spans]
            for day, spans in sorted(spec.week.items()) if spans}
    eve = spec.eve_of_holiday_close
    return {"name": spec.name, "timezone": spec.timezone, "week": week,
            "holiday_country": spec.holiday_country, "holiday_subdiv": spec.holiday_subdiv,
            "eve_of_holiday_close": None if eve is None else eve.strftime("%H:%M"),
            "eve_skips_closed_days": spec.eve_skips_closed_days}


def starting_spec(name: str) -> CalendarSpec:
    """The spec of a preset or JSON file (CALLQ_CALENDAR), the hours' starting point."""
    return load_calendar(name).spec


def _span_from_dict(data: Mapping[str, str]) -> Span:
    start, end = time.fromisoformat(data["start"]), time.fromisoformat(data["end"])
    return Span(start, end, Mode(data["mode"]))


def load_calendar(name: str,
                  closures: Iterable[date] | Mapping[date, str] = ()) -> BusinessCalendar:
    """A calendar from a preset name (any case) or the path of a JSON file of the spec's fields."""
    spec = PRESETS.get(name.lower())
    if spec is not None:
        return BusinessCalendar(spec, closures)
    path = Path(name)
    if not path.is_file():
        presets = ", ".join(PRESETS)
        raise ValueError(f"unknown calendar {name!r}: use a preset ({presets}) or a JSON file path")
    try:
        data = {"name": path.stem, **json.loads(path.read_text(encoding="utf-8"))}
        return BusinessCalendar(spec_from_dict(data), closures)
    # JSONDecodeError is a ValueError, ZoneInfoNotFoundError a KeyError; holidays raises
    # NotImplementedError for an unknown country or subdivision.
    except (ValueError, KeyError, TypeError, AttributeError, NotImplementedError) as exc:
        raise ValueError(f"calendar file {path}: {exc!r}") from exc
