"""Business time over many instants (R4, R11): the timeline gives the calendar's own answers
(business seconds, business days) across holidays, Bern's eves and DST, and their inverse."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.business_time import CalendarTime, Timeline, timeline_for
from scheduling.calendar import BERN, PARIS, BusinessCalendar

START = datetime(2026, 1, 1, tzinfo=UTC)
CALENDARS = {"paris": BusinessCalendar(PARIS, [date(2026, 8, 14)]), "bern": BusinessCalendar(BERN)}
instants = st.integers(min_value=0, max_value=400 * 86_400).map(
    lambda s: START + timedelta(seconds=s))


def _paris_at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS_TZ).astimezone(UTC)


PARIS_TZ = CALENDARS["paris"].tz


@pytest.mark.parametrize("name", list(CALENDARS))
@settings(max_examples=150, deadline=None)
@given(a=instants, b=instants)
def test_r11_business_seconds_equal_the_calendars(name, a, b):
    calendar = CALENDARS[name]
    timeline = Timeline(calendar, date(2025, 12, 30))
    assert timeline.business_seconds(a, b) == pytest.approx(calendar.business_seconds(a, b),
                                                            abs=1e-3)


@pytest.mark.parametrize("name", list(CALENDARS))
@settings(max_examples=150, deadline=None)
@given(a=instants, days=st.integers(min_value=0, max_value=16))
def test_r11_business_days_equal_the_calendars(name, a, days):
    calendar = CALENDARS[name]
    timeline = Timeline(calendar, date(2025, 12, 30))
    found = timeline.add_business_days(a, days)
    assert abs((found - calendar.add_business_days(a, days)).total_seconds()) < 1e-3


@pytest.mark.parametrize("name", list(CALENDARS))
@settings(max_examples=150, deadline=None)
@given(a=instants, seconds=st.integers(min_value=1, max_value=40 * 3600))
def test_r11_adding_business_seconds_is_the_inverse_of_counting_them(name, a, seconds):
    calendar = CALENDARS[name]
    timeline = Timeline(calendar, date(2025, 12, 30))
    later = timeline.add_business_seconds(a, seconds)
    assert calendar.business_seconds(a, later) == pytest.approx(seconds, abs=1e-3)
    assert calendar.interval_at(later - timedelta(microseconds=1)) is not None  # open until then


@pytest.mark.parametrize(("start", "end", "hours"), [
    # Easter Monday 2026-04-06 is a holiday in France: Friday 17:00 to Tuesday 10:00 is 1 + 1 h.
    (_paris_at(date(2026, 4, 3), 17), _paris_at(date(2026, 4, 7), 10), 2),
    # DST starts on Sunday 2026-03-29: Friday 17:00 to Monday 10:00 (local) is still 1 + 1 h.
    (_paris_at(date(2026, 3, 27), 17), _paris_at(date(2026, 3, 30), 10), 2),
    # The administrator's closure (Friday 14 August) counts nothing.
    (_paris_at(date(2026, 8, 13), 17), _paris_at(date(2026, 8, 17), 9, 30), 1.5),
    # A full Paris day is 3 + 4 hours.
    (_paris_at(date(2026, 3, 30), 9), _paris_at(date(2026, 3, 31), 9), 7),
])
def test_r04_r11_business_hours_across_holidays_dst_and_closures(start, end, hours):
    timeline = timeline_for(CALENDARS["paris"], start)
    assert timeline.business_seconds(start, end) == hours * 3600


def test_r11_an_instant_before_the_origin_is_refused():
    timeline = Timeline(CALENDARS["paris"], date(2026, 3, 1))
    with pytest.raises(ValueError, match="before the timeline's origin"):
        timeline.offset(datetime(2026, 2, 1, tzinfo=UTC).timestamp())


@pytest.mark.parametrize("name", list(CALENDARS))
@settings(max_examples=100, deadline=None)
@given(a=instants, seconds=st.integers(min_value=0, max_value=40 * 3600))
def test_r11_the_calendar_and_the_timeline_add_business_seconds_alike(name, a, seconds):
    calendar = CALENDARS[name]
    found = CalendarTime(calendar).add_business_seconds(a, seconds)
    expected = Timeline(calendar, date(2025, 12, 30)).add_business_seconds(a, seconds)
    assert abs((found - expected).total_seconds()) < 1e-3
