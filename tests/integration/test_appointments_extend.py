"""Not long enough (R16): extend into the agent's next slot when it is free, else one click
books a second appointment for the same need."""

from __future__ import annotations

from datetime import timedelta

import pytest

from callq import db
from callq.status import AppointmentStatus, EntryStatus, Outcome
from scheduling.extension import CannotExtend, book_follow_up, extend, finish
from tests.conftest import run_due_jobs
from tests.planner_support import (
    MONDAY_14H,
    SLOT,
    add_absence,
    add_agent,
    add_entry,
    appointment,
    book,
    calendar_of,
    entry,
    received,
)
from tests.unit.test_invitations import read_all


def _extend(runtime, appointment_id, agent_id):
    with db.write(runtime.sessions) as session:
        return extend(session, runtime, appointment_id, agent_id=agent_id)


def _follow_up(runtime, appointment_id, agent_id):
    with db.write(runtime.sessions) as session:
        return book_follow_up(session, runtime, appointment_id, agent_id=agent_id)


def test_r16_extends_when_the_agent_s_next_slot_is_free(runtime, queue, mailer, clock):
    lea = add_agent(runtime)
    appt = book(runtime)
    clock.set(MONDAY_14H + timedelta(minutes=25))  # during the call
    longer = _extend(runtime, appt.id, lea)
    assert (longer.ends_at, longer.sequence) == (MONDAY_14H + 2 * SLOT, 1)
    run_due_jobs(runtime, queue)
    update = read_all(calendar_of(received(mailer, f"appt-{appt.id}-seq-1-request")))
    assert update[:6] == ("REQUEST", f"appt-{appt.id}@callq.example.test", 1, "CONFIRMED",
                          MONDAY_14H, MONDAY_14H + 2 * SLOT)


def test_r16_the_extended_time_is_no_longer_offered_to_clients(runtime, clock):
    lea = add_agent(runtime)
    appt = book(runtime)
    _extend(runtime, appt.id, lea)
    from scheduling.booking import SlotTaken

    with pytest.raises(SlotTaken):
        book(runtime, start=MONDAY_14H + SLOT, client_phone="+33698765432")


@pytest.mark.parametrize("blocker", ["appointment", "absence"])
def test_r16_cannot_extend_into_a_taken_slot(runtime, blocker):
    lea = add_agent(runtime)
    appt = book(runtime)
    if blocker == "appointment":
        book(runtime, start=MONDAY_14H + SLOT, client_phone="+33698765432")
    else:
        add_absence(runtime, lea, MONDAY_14H + SLOT, MONDAY_14H + 3 * SLOT)
    with pytest.raises(CannotExtend, match="taken"):
        _extend(runtime, appt.id, lea)
    assert appointment(runtime, appt.id).ends_at == MONDAY_14H + SLOT


def test_r16_cannot_extend_past_the_end_of_appointment_hours(runtime):
    lea = add_agent(runtime)
    last = MONDAY_14H + 7 * SLOT  # 17:30-18:00 in Paris
    appt = book(runtime, start=last)
    with pytest.raises(CannotExtend, match="hours"):
        _extend(runtime, appt.id, lea)


def test_r16_only_the_appointment_s_agent_extends_it(runtime):
    add_agent(runtime)
    hugo = add_agent(runtime, "Hugo Bernard", "+33612000003")
    appt = book(runtime)
    with pytest.raises(CannotExtend, match="not_yours"):
        _extend(runtime, appt.id, hugo)


def test_r16_otherwise_one_click_books_a_second_appointment_for_the_same_need(runtime, queue,
                                                                              mailer, clock):
    lea = add_agent(runtime)
    entry_id = add_entry(runtime)
    first = book(runtime, entry_id=entry_id)
    book(runtime, start=MONDAY_14H + SLOT, client_phone="+33698765432")  # next slot taken
    clock.set(MONDAY_14H + timedelta(minutes=25))
    second = _follow_up(runtime, first.id, lea)
    again = _follow_up(runtime, first.id, lea)  # a double click
    assert again.id == second.id
    assert (second.follows_id, second.entry_id, second.agent_id) == (first.id, entry_id, lea)
    assert (second.client_phone, second.client_email) == (first.client_phone, first.client_email)
    assert second.starts_at >= clock.current + timedelta(hours=2)
    run_due_jobs(runtime, queue)
    invitation = read_all(calendar_of(received(mailer, f"appt-{second.id}-seq-0-request")))
    assert invitation[:5] == ("REQUEST", f"appt-{second.id}@callq.example.test", 0, "CONFIRMED",
                              second.starts_at)


def test_r16_finishing_the_first_call_keeps_the_need_booked_for_the_second(runtime, clock):
    lea = add_agent(runtime)
    entry_id = add_entry(runtime)
    first = book(runtime, entry_id=entry_id)
    clock.set(MONDAY_14H + timedelta(minutes=25))
    second = _follow_up(runtime, first.id, lea)
    with db.write(runtime.sessions) as session:
        finish(session, runtime, first.id, agent_id=lea, solved=False)
    assert appointment(runtime, first.id).status == AppointmentStatus.DONE
    assert entry(runtime, entry_id).status == EntryStatus.BOOKED  # the second one serves it
    with pytest.raises(CannotExtend, match="not_started"), db.write(runtime.sessions) as session:
        finish(session, runtime, second.id, agent_id=lea, solved=True)
    clock.set(second.ends_at)
    with db.write(runtime.sessions) as session:
        finish(session, runtime, second.id, agent_id=lea, solved=True)
    found = entry(runtime, entry_id)
    assert (found.status, found.outcome) == (EntryStatus.CLOSED, Outcome.SOLVED)
