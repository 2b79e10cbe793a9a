"""Appointment slots: afternoon grid, notice, horizon, busy agents, DST (R12)."""

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.calendar import BERN, PARIS, BusinessCalendar, Mode
from scheduling.slots import (
    Busy,
    Slot,
    SlotRules,
    bookable_times,
    candidate_times,
    free_slots,
    overlaps,
    pick_agent,
)


def free_times(slots):
    """The distinct (start, end) of slots, sorted: what bookable_times must give."""
    return sorted({(slot.start, slot.end) for slot in slots})


paris = BusinessCalendar(PARIS)
bern = BusinessCalendar(BERN)
RULES = SlotRules()
WIDE = SlotRules(horizon_days=40)
HALF_HOUR = timedelta(minutes=30)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A UTC instant."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local_starts(calendar: BusinessCalendar, slots: list[Slot], day: date) -> list[time]:
    """Local start times of the slots of one local day."""
    starts = (calendar.local(slot.start) for slot in slots)
    return [start.time() for start in starts if start.date() == day]


def per_day(calendar: BusinessCalendar, slots: list[Slot]) -> Counter[date]:
    return Counter(calendar.local(slot.start).date() for slot in slots)


def test_r12_paris_afternoon_has_eight_half_hour_slots_from_14_00():
    slots = free_slots(paris, [1], [], at(2026, 2, 9, 6), RULES)
    assert local_starts(paris, slots, date(2026, 2, 10)) == [
        time(14 + n // 2, 30 * (n % 2)) for n in range(8)
    ]
    assert all(slot.end - slot.start == HALF_HOUR for slot in slots)


def test_r12_bern_has_nine_slots_mon_to_thu_seven_on_friday_five_on_an_eve():
    slots = free_slots(bern, [1], [], at(2026, 5, 10), WIDE)
    counts = per_day(bern, slots)
    assert [counts[date(2026, 5, day)] for day in (11, 12, 13, 14, 15)] == [9, 9, 5, 0, 7]
    assert local_starts(bern, slots, date(2026, 5, 11))[0] == time(13, 30)
    assert local_starts(bern, slots, date(2026, 5, 15))[-1] == time(16, 30)  # ends 17:00
    assert local_starts(bern, slots, date(2026, 5, 13))[-1] == time(15, 30)  # ends 16:00


def test_r12_no_slot_on_weekends_holidays_or_mornings():
    slots = free_slots(paris, [1, 2], [], at(2026, 7, 10), WIDE)
    days = per_day(paris, slots)
    assert days[date(2026, 7, 14)] == 0  # Fête nationale
    assert days[date(2026, 7, 11)] == days[date(2026, 7, 12)] == 0  # weekend
    assert days[date(2026, 7, 13)] == 16  # 8 per agent
    assert all(paris.mode_at(slot.start) is Mode.APPOINTMENTS for slot in slots)


def test_r12_an_administrator_closure_has_no_slot():
    closed = BusinessCalendar(PARIS, closures=[date(2026, 2, 11)])
    slots = free_slots(closed, [1], [], at(2026, 2, 9), RULES)
    assert per_day(closed, slots)[date(2026, 2, 11)] == 0
    assert per_day(closed, slots)[date(2026, 2, 12)] == 8


@pytest.mark.parametrize(
    ("now", "first_start"),
    [
        (at(2026, 2, 10, 12, 45), at(2026, 2, 10, 15, 0)),  # 13:45: earliest 15:45, so 16:00
        (at(2026, 2, 10, 11, 0), at(2026, 2, 10, 13, 0)),  # exactly 2 h before 14:00: kept
        (at(2026, 2, 10, 11, 1), at(2026, 2, 10, 13, 30)),
        (at(2026, 2, 10, 15, 1), at(2026, 2, 11, 13, 0)),  # too late today: tomorrow
    ],
)
def test_r12_slots_respect_the_minimum_notice(now, first_start):
    slots = free_slots(paris, [1], [], now, RULES)
    assert slots[0].start == first_start


def test_r12_horizon_is_fifteen_working_days_counted_from_today():
    slots = free_slots(paris, [1], [], at(2026, 2, 9, 6), RULES)  # a Monday, morning
    days = sorted(per_day(paris, slots))
    assert len(days) == 15
    assert (days[0], days[-1]) == (date(2026, 2, 9), date(2026, 2, 27))
    assert len(slots) == 15 * 8


def test_r12_horizon_counts_working_days_only():
    rules = SlotRules(horizon_days=5)
    from_weekend = per_day(paris, free_slots(paris, [1], [], at(2026, 5, 9, 12), rules))
    assert sorted(from_weekend) == [date(2026, 5, d) for d in (11, 12, 13, 15, 18)]  # 14: Ascension


def test_r12_a_busy_agent_loses_the_slot_but_other_agents_keep_it():
    busy = [Busy(1, at(2026, 2, 10, 13, 0), at(2026, 2, 10, 13, 30))]
    slots = free_slots(paris, [1, 2], busy, at(2026, 2, 9), RULES)
    at_14 = [slot.agent_id for slot in slots if slot.start == at(2026, 2, 10, 13, 0)]
    assert at_14 == [2]
    assert pick_agent(slots, at(2026, 2, 10, 13, 0)) == 2
    assert pick_agent(slots, at(2026, 2, 10, 13, 30)) == 1  # adjacent slot: still free
    assert (at(2026, 2, 10, 13, 0), at(2026, 2, 10, 13, 30)) in free_times(slots)


def test_r12_an_unaligned_absence_removes_every_slot_it_touches():
    # absence 14:10-15:05 local on a winter Tuesday
    absence = Busy(7, at(2026, 2, 10, 13, 10), at(2026, 2, 10, 14, 5))
    slots = free_slots(paris, [7], [absence], at(2026, 2, 9), RULES)
    kept = [time(15, 30), time(16), time(16, 30), time(17), time(17, 30)]
    assert local_starts(paris, slots, date(2026, 2, 10)) == kept  # 14:00, 14:30, 15:00 gone


def test_r12_busy_time_ending_or_starting_at_a_slot_boundary_leaves_that_slot_free():
    busy = [Busy(1, at(2026, 2, 10, 13, 30), at(2026, 2, 10, 14, 0))]  # 14:30-15:00 local
    slots = free_slots(paris, [1], busy, at(2026, 2, 9), RULES)
    assert time(14) in local_starts(paris, slots, date(2026, 2, 10))
    assert time(15) in local_starts(paris, slots, date(2026, 2, 10))
    assert time(14, 30) not in local_starts(paris, slots, date(2026, 2, 10))


def test_r12_a_short_appointment_inside_a_long_absence_does_not_reopen_the_absence():
    busy = [
        Busy(1, at(2026, 2, 10, 13, 0), at(2026, 2, 10, 17, 0)),  # the whole afternoon
        Busy(1, at(2026, 2, 10, 13, 10), at(2026, 2, 10, 13, 20)),
        Busy(1, at(2026, 2, 10, 12, 0), at(2026, 2, 10, 13, 5)),
        Busy(1, at(2026, 2, 10, 13, 25), at(2026, 2, 10, 13, 28)),
    ]
    slots = free_slots(paris, [1], busy, at(2026, 2, 9), RULES)
    assert local_starts(paris, slots, date(2026, 2, 10)) == []
    assert len(local_starts(paris, slots, date(2026, 2, 11))) == 8


def test_r12_a_multi_day_absence_removes_all_its_days():
    absence = Busy(1, at(2026, 2, 10), at(2026, 2, 13))  # Tuesday to Thursday, whole days
    days = per_day(paris, free_slots(paris, [1, 2], [absence], at(2026, 2, 9), RULES))
    assert [days[date(2026, 2, d)] for d in (9, 10, 11, 12, 13)] == [16, 8, 8, 8, 16]


def test_r12_busy_rows_of_other_agents_and_empty_rows_change_nothing():
    noise = [
        Busy(99, at(2026, 2, 10, 13), at(2026, 2, 10, 17)),
        Busy(1, at(2026, 2, 10, 14), at(2026, 2, 10, 14)),
    ]
    assert free_slots(paris, [1, 1], noise, at(2026, 2, 9), RULES) == free_slots(
        paris, [1], [], at(2026, 2, 9), RULES
    )


@pytest.mark.parametrize(
    ("calendar", "day", "first_utc"),
    [
        (paris, date(2026, 3, 27), at(2026, 3, 27, 13, 0)),  # 14:00 CET
        (paris, date(2026, 3, 30), at(2026, 3, 30, 12, 0)),  # 14:00 CEST
        (paris, date(2026, 10, 23), at(2026, 10, 23, 12, 0)),  # 14:00 CEST
        (paris, date(2026, 10, 26), at(2026, 10, 26, 13, 0)),  # 14:00 CET
        (bern, date(2026, 3, 30), at(2026, 3, 30, 11, 30)),  # 13:30 CEST
        (bern, date(2026, 10, 26), at(2026, 10, 26, 12, 30)),  # 13:30 CET
    ],
)
def test_r12_slots_follow_local_time_across_dst_changes(calendar, day, first_utc):
    slots = free_slots(calendar, [1], [], at(2026, day.month, day.day - 3), WIDE)
    on_day = [slot for slot in slots if calendar.local(slot.start).date() == day]
    assert on_day[0].start == first_utc
    assert on_day[-1].end == first_utc + timedelta(hours=4 if calendar is paris else 4.5)


def test_r12_after_and_limit_page_through_the_sorted_slots():
    now = at(2026, 2, 9)
    everything = free_slots(paris, [2, 1], [], now, RULES)
    assert everything == sorted(everything)
    assert [slot.agent_id for slot in everything[:4]] == [1, 2, 1, 2]
    after = at(2026, 2, 10, 15, 0)
    page = free_slots(paris, [1, 2], [], now, RULES, after=after, limit=3)
    assert page == [slot for slot in everything if slot.start >= after][:3]
    assert free_slots(paris, [1], [], now, RULES, limit=0) == []


def test_r12_free_times_are_distinct_and_sorted_and_pick_agent_is_none_when_all_busy():
    start, end = at(2026, 2, 10, 13), at(2026, 2, 10, 13, 30)
    slots = [Slot(start + HALF_HOUR, end + HALF_HOUR, 3), Slot(start, end, 2), Slot(start, end, 1)]
    assert free_times(slots) == [(start, end), (start + HALF_HOUR, end + HALF_HOUR)]
    assert pick_agent(slots, start) == 1
    assert pick_agent(slots, start - HALF_HOUR) is None


def test_r12_candidate_times_are_the_grid_without_agents():
    times = candidate_times(paris, at(2026, 2, 10, 11), SlotRules(horizon_days=1))
    assert times == [
        (at(2026, 2, 10, 13) + n * HALF_HOUR, at(2026, 2, 10, 13, 30) + n * HALF_HOUR)
        for n in range(8)
    ]


def test_r12_a_longer_slot_length_fits_fully_inside_the_afternoon():
    rules = SlotRules(length=timedelta(minutes=45), horizon_days=1)
    times = candidate_times(bern, at(2026, 2, 13, 6), rules)  # Friday 13:30-17:00: 3.5 h
    assert len(times) == 4
    assert times[-1][1] <= at(2026, 2, 13, 16, 0)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((13, 14), (14, 15), False),  # touching ends do not overlap
        ((13, 14), (12, 13), False),
        ((13, 14), (13, 14), True),
        ((13, 15), (14, 16), True),
        ((13, 16), (14, 15), True),
    ],
)
def test_r12_two_appointments_overlap_only_when_they_share_an_instant(a, b, expected):
    (a_start, a_end), (b_start, b_end) = [[at(2026, 2, 10, h) for h in pair] for pair in (a, b)]
    assert overlaps(a_start, a_end, b_start, b_end) is expected
    assert overlaps(b_start, b_end, a_start, a_end) is expected


def test_r12_slot_rules_refuse_nonsense():
    with pytest.raises(ValueError):
        SlotRules(length=timedelta(0))
    with pytest.raises(ValueError):
        SlotRules(horizon_days=-1)


START = at(2026, 3, 23)  # three weeks that include both a DST change and Easter
busy_rows = st.lists(
    st.builds(
        lambda agent, offset, minutes: Busy(
            agent,
            START + timedelta(minutes=5 * offset),
            START + timedelta(minutes=5 * offset + minutes),
        ),
        st.integers(1, 4),
        st.integers(0, 14 * 24 * 12),
        st.integers(5, 600),
    ),
    max_size=40,
)
# A calendar, some agents, their busy rows and a time to search from.
searches = given(
    st.sampled_from([paris, bern]),
    st.lists(st.integers(1, 4), min_size=1, max_size=4),
    busy_rows,
    st.integers(0, 7 * 24 * 4).map(lambda quarters: START + timedelta(minutes=15 * quarters)),
)


@settings(deadline=None, max_examples=150)
@searches
def test_r12_every_free_slot_is_an_afternoon_slot_of_a_free_agent(calendar, agents, busy, now):
    rules = SlotRules(horizon_days=5)
    slots = free_slots(calendar, agents, busy, now, rules)
    for slot in slots:
        interval = calendar.interval_at(slot.start)
        assert interval is not None and interval.mode is Mode.APPOINTMENTS
        assert slot.end <= interval.end
        assert slot.end - slot.start == rules.length
        assert slot.start >= now + rules.min_notice
        assert not any(
            overlaps(slot.start, slot.end, b.start, b.end)
            for b in busy
            if b.agent_id == slot.agent_id
        )
    assert len({(slot.start, slot.agent_id) for slot in slots}) == len(slots)
    assert slots == sorted(slots)
    # and nothing free is missing: every grid time of every agent not busy then is offered
    expected = {
        (start, agent)
        for start, end in candidate_times(calendar, now, rules)
        for agent in agents
        if not any(overlaps(start, end, b.start, b.end) for b in busy if b.agent_id == agent)
    }
    assert {(slot.start, slot.agent_id) for slot in slots} == expected


@settings(deadline=None, max_examples=100)
@searches
def test_r12_bookable_times_are_the_distinct_times_of_the_free_slots(calendar, agents, busy, now):
    rules = SlotRules(horizon_days=5)
    shown = bookable_times(calendar, agents, busy, now, rules)
    assert shown == free_times(free_slots(calendar, agents, busy, now, rules))
    # plain (agent, start, end) rows, as the agenda reads them, give the same
    assert bookable_times(calendar, agents, [tuple(b) for b in busy], now, rules) == shown
