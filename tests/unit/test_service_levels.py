"""Service levels (R11), pure: what "due soon" and "late" mean, and each clock judged in the
calendar's business time across a holiday, a DST change and a wait for the client."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from callq.waiting.service_levels import (
    ClockFacts,
    ClockName,
    Targets,
    Verdict,
    clocks,
    extended_due,
    judge,
    verdict,
)
from scheduling.business_time import CalendarTime, Timeline
from scheduling.calendar import BERN, PARIS, BusinessCalendar

PARIS_CAL = BusinessCalendar(PARIS)
HOURS = 3600.0


def paris(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS_CAL.tz).astimezone(UTC)


@pytest.mark.parametrize(("left", "window", "overdue", "stopped", "paused", "expected"), [
    (5.0, 10.0, False, False, False, Verdict.ON_TIME),
    (2.01, 10.0, False, False, False, Verdict.ON_TIME),
    (2.0, 10.0, False, False, False, Verdict.DUE_SOON),  # the last 20 % includes its start
    (0.0, 10.0, False, False, False, Verdict.DUE_SOON),
    (0.0, 10.0, True, False, False, Verdict.LATE),
    (1.0, 10.0, False, False, True, Verdict.PAUSED),  # a paused clock is not "due soon"
    (0.0, 10.0, True, False, True, Verdict.LATE),  # paused once already late: still late
    (3.0, 10.0, False, True, False, Verdict.MET),
    (0.0, 10.0, False, True, False, Verdict.MET),
    (0.0, 10.0, True, True, False, Verdict.MISSED),
])
def test_r11_due_soon_is_the_last_fifth_of_the_window_and_late_is_past_the_due_time(
        left, window, overdue, stopped, paused, expected):
    assert verdict(left=left, window=window, overdue=overdue, stopped=stopped,
                   paused=paused) == expected


@pytest.mark.parametrize("time", [CalendarTime(PARIS_CAL),
                                  Timeline(PARIS_CAL, datetime(2026, 3, 1).date())],
                         ids=["calendar", "timeline"])
@pytest.mark.parametrize(("now", "expected", "left_hours"), [
    (paris(4, 2, 17), Verdict.ON_TIME, 2),  # Thursday 17:00: 1 h today, 1 h tomorrow
    (paris(4, 3, 9), Verdict.DUE_SOON, 1),  # 1 h left of 7 h: the last 20 %
    (paris(4, 3, 10, 30), Verdict.LATE, 0),
])
def test_r11_first_response_within_one_business_day_due_soon_then_late(time, now, expected,
                                                                       left_hours):
    arrived = paris(4, 2, 10)
    clock = judge(time, ClockName.FIRST_RESPONSE, start=arrived,
                  due=time.add_business_days(arrived, 1), stop=None, now=now)
    assert clock.due_at == paris(4, 3, 10)
    assert (clock.verdict, clock.left_seconds) == (expected, left_hours * HOURS)


def test_r04_r11_a_public_holiday_counts_no_time_easter_monday():
    time = CalendarTime(PARIS_CAL)
    arrived = paris(4, 2, 10)  # Thursday before Easter
    clock = judge(time, ClockName.QUALIFICATION, start=arrived,
                  due=time.add_business_days(arrived, 2), stop=paris(4, 7, 9, 30),
                  now=paris(4, 20, 9))
    assert clock.due_at == paris(4, 7, 10)  # Friday, then Tuesday: Monday is a holiday
    assert clock.verdict == Verdict.MET
    assert clock.elapsed_seconds == (2 + 4 + 7 + 0.5) * HOURS  # Thu, Fri, Tue 9:00-9:30


def test_r04_r11_a_clock_across_the_spring_dst_change_counts_wall_hours():
    time = CalendarTime(PARIS_CAL)
    arrived = paris(3, 27, 17)  # Friday, winter time; DST starts on Sunday 29 March
    clock = judge(time, ClockName.FIRST_RESPONSE, start=arrived,
                  due=time.add_business_days(arrived, 1), stop=paris(3, 30, 17, 30),
                  now=paris(3, 31, 9))
    assert clock.due_at == paris(3, 30, 17)  # Monday 17:00, summer time
    assert clock.verdict == Verdict.MISSED
    assert clock.elapsed_seconds == 7.5 * HOURS  # 1 h Friday, 6.5 h Monday


RESOLUTION_DUE = paris(4, 10, 10)  # high tier: 5 business days from Thursday 2 April 10:00
WAIT = (paris(4, 8, 10), paris(4, 13, 10))  # waited for the client 21 business hours


@pytest.mark.parametrize("time", [CalendarTime(PARIS_CAL),
                                  Timeline(PARIS_CAL, datetime(2026, 3, 1).date())],
                         ids=["calendar", "timeline"])
def test_r10_r11_a_wait_for_the_client_pushes_the_resolution_due_time_back_by_its_length(time):
    assert time.business_seconds(*WAIT) == 21 * HOURS
    assert extended_due(time, RESOLUTION_DUE, [WAIT]) == paris(4, 15, 10)


def test_r10_r11_the_resolution_clock_is_paused_while_the_entry_waits_for_the_client():
    time = CalendarTime(PARIS_CAL)
    facts = ClockFacts(arrived_at=paris(4, 2, 10), resolution_due=RESOLUTION_DUE,
                       first_attempt_at=paris(4, 3, 9), waiting_since=WAIT[0])
    _, _, resolution = clocks(time, facts, Targets(), now=paris(4, 10, 11))
    # Friday 11:00 is past the due time placed, but the clock stopped on Wednesday 10:00.
    assert resolution.verdict == Verdict.PAUSED
    assert resolution.elapsed_seconds == (2 + 4 + 7 + 7 + 1) * HOURS  # Thu to Wed 10:00
    assert resolution.left_seconds == (6 + 7 + 1) * HOURS  # Wed 10:00 to Fri 10:00


def test_r10_r11_after_the_wait_the_clock_resumes_and_the_entry_is_not_late_on_the_old_due():
    time = CalendarTime(PARIS_CAL)
    facts = ClockFacts(arrived_at=paris(4, 2, 10), resolution_due=RESOLUTION_DUE,
                       first_attempt_at=paris(4, 3, 9), qualified_at=paris(4, 3, 9),
                       waits=(WAIT,))
    first, qualified, resolution = clocks(time, facts, Targets(), now=paris(4, 14, 16))
    assert (first.verdict, qualified.verdict) == (Verdict.MET, Verdict.MET)
    assert resolution.due_at == paris(4, 15, 10)
    assert resolution.verdict == Verdict.DUE_SOON  # 3 h left of the 35 h the tier allows
    assert resolution.left_seconds == 3 * HOURS
    closed = ClockFacts(**{**facts.__dict__, "closed_at": paris(4, 15, 9)})
    assert clocks(time, closed, Targets(), now=paris(4, 20, 9))[2].verdict == Verdict.MET


def test_r10_r11_a_wait_begun_once_late_does_not_make_the_entry_on_time_again():
    time = CalendarTime(PARIS_CAL)
    late_wait = (paris(4, 10, 11), paris(4, 14, 9))
    assert extended_due(time, RESOLUTION_DUE, [late_wait]) == RESOLUTION_DUE
    facts = ClockFacts(arrived_at=paris(4, 2, 10), resolution_due=RESOLUTION_DUE,
                       waiting_since=late_wait[0])
    assert clocks(time, facts, Targets(), now=paris(4, 13, 9))[2].verdict == Verdict.LATE


def test_r11_the_close_stops_every_clock_still_running():
    time = CalendarTime(PARIS_CAL)
    facts = ClockFacts(arrived_at=paris(4, 2, 10), resolution_due=RESOLUTION_DUE,
                       closed_at=paris(4, 2, 11))
    found = clocks(time, facts, Targets(), now=paris(4, 30, 9))
    assert [c.stopped_at for c in found] == [paris(4, 2, 11)] * 3
    assert [c.verdict for c in found] == [Verdict.MET] * 3


def test_r04_r11_bern_s_eve_of_a_holiday_closes_at_16_and_the_due_time_follows():
    bern = BusinessCalendar(BERN)
    time = CalendarTime(bern)
    # Wednesday 13 May 2026 is the eve of Ascension (14 May): open until 16:00 only.
    arrived = datetime(2026, 5, 12, 17, 30, tzinfo=bern.tz).astimezone(UTC)
    clock = judge(time, ClockName.FIRST_RESPONSE, start=arrived,
                  due=time.add_business_days(arrived, 1), stop=None,
                  now=datetime(2026, 5, 13, 15, 0, tzinfo=bern.tz).astimezone(UTC))
    assert clock.due_at == datetime(2026, 5, 13, 16, 0, tzinfo=bern.tz).astimezone(UTC)
    assert clock.verdict == Verdict.DUE_SOON
