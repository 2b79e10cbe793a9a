"""The weekly hours as an administrator edits them (pure): a form of text fields to a calendar
spec and back, and a preview of what the next weeks would be (modes and slots)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from callq.i18n import N_, Problem
from scheduling.calendar import WEEKDAY_KEYS, BusinessCalendar, CalendarSpec, Mode, Span

MODES = (Mode.LIVE, Mode.APPOINTMENTS)
_SPAN = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")
PREVIEW_DAYS = 28


@dataclass(frozen=True)
class DayPreview:
    """One day of the preview: local spans by mode, the holiday or closure, slots per agent."""

    day: date
    holiday: str | None
    spans: tuple[tuple[time, time, Mode], ...]
    slots: int


def field_name(mode: Mode, weekday: int) -> str:
    """The form field of one weekday's spans of one mode ("live_mon")."""
    return f"{mode.value}_{WEEKDAY_KEYS[weekday]}"


def form_of(spec: CalendarSpec) -> dict[str, str]:
    """The form's fields for a spec ("09:00-12:00, 13:30-18:00")."""
    form = {"name": spec.name, "timezone": spec.timezone, "holiday_country":
            spec.holiday_country, "holiday_subdiv": spec.holiday_subdiv or "",
            "eve_of_holiday_close": _hhmm(spec.eve_of_holiday_close),
            "eve_skips_closed_days": "1" if spec.eve_skips_closed_days else ""}
    for weekday in range(7):
        for mode in MODES:
            form[field_name(mode, weekday)] = ", ".join(
                f"{_hhmm(s.start)}-{_hhmm(s.end)}" for s in spec.week.get(weekday, ())
                if s.mode is mode)
    return form


def spec_from_form(form: Mapping[str, str]) -> CalendarSpec:
    """The spec a form describes; ValueError names the field ("live_mon: ...")."""
    zone = form.get("timezone", "").strip()
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise Problem(N_("timezone: unknown time zone %(value)s"), value=repr(zone)) from None
    country = form.get("holiday_country", "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise Problem(N_("holiday_country: a two-letter country code, not %(value)s"),
                      value=repr(country))
    week = {weekday: _day(form, weekday) for weekday in range(7)}
    spec = CalendarSpec(
        name=form.get("name", "").strip()[:80] or "hours", timezone=zone,
        week=MappingProxyType({day: spans for day, spans in week.items() if spans}),
        holiday_country=country,
        holiday_subdiv=form.get("holiday_subdiv", "").strip().upper() or None,
        eve_of_holiday_close=_time("eve_of_holiday_close", form.get("eve_of_holiday_close", "")),
        eve_skips_closed_days=form.get("eve_skips_closed_days", "") in ("1", "on", "true"))
    try:
        BusinessCalendar(spec)  # an unknown country or subdivision is refused here
    except NotImplementedError:
        raise Problem(N_("holiday_country: no public holidays known for %(country)s %(subdiv)s"),
                      country=spec.holiday_country, subdiv=spec.holiday_subdiv or "") from None
    return spec


def _day(form: Mapping[str, str], weekday: int) -> tuple[Span, ...]:
    spans = []
    for mode in MODES:
        name = field_name(mode, weekday)
        for part in filter(None, (p.strip() for p in form.get(name, "").split(","))):
            match = _SPAN.fullmatch(part)
            if match is None:
                raise Problem(N_("%(field)s: write spans as 09:00-12:00, not %(value)s"),
                              field=name, value=repr(part))
            try:
                h1, m1, h2, m2 = map(int, match.groups())
                spans.append(Span(time(h1, m1), time(h2, m2), mode))
            except ValueError:
                raise Problem(N_("%(field)s: a span from one time of day to a later one, not "
                                 "%(value)s"), field=name, value=repr(part)) from None
    spans.sort(key=lambda span: span.start)
    if any(b.start < a.end for a, b in zip(spans, spans[1:], strict=False)):
        raise Problem(N_("%(field)s: the spans of this day overlap"),
                      field=field_name(MODES[0], weekday))
    return tuple(spans)


def _time(name: str, raw: str) -> time | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return time.fromisoformat(raw)
    except ValueError:
        raise Problem(N_("%(field)s: a time such as 16:00, not %(value)s"), field=name,
                      value=repr(raw)) from None


def _hhmm(value: time | None) -> str:
    return value.strftime("%H:%M") if value is not None else ""


def preview(calendar: BusinessCalendar, first: date, slot: timedelta,
            days: int = PREVIEW_DAYS) -> list[DayPreview]:
    """What each of the next `days` days would be: spans by mode, holidays, slots per agent."""
    found = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        intervals = calendar.intervals_on(day)
        spans = tuple((calendar.local(i.start).time(), calendar.local(i.end).time(), i.mode)
                      for i in intervals)
        slots = sum(int((i.end - i.start) // slot) for i in intervals
                    if i.mode is Mode.APPOINTMENTS)
        found.append(DayPreview(day, calendar.holiday_name(day), spans, slots))
    return found
