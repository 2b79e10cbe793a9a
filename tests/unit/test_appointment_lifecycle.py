"""The appointment's lifecycle (R12-R17), pure: every state x every event, then each event's
own rule, then what no sequence of events can break."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callq.status import AppointmentStatus
from scheduling import lifecycle as life
from scheduling.lifecycle import AppointmentState, IllegalTransition
from tests.lifecycle_support import apply_or_refuse, assert_table_is_the_specification

NOW = datetime(2026, 3, 30, 14, 0, tzinfo=UTC)
EARLIER, LATER = NOW - timedelta(minutes=30), NOW + timedelta(days=1)
AGENT = 7
BOOKED, IN_CALL, DONE = AppointmentStatus.BOOKED, AppointmentStatus.IN_CALL, AppointmentStatus.DONE
CANCELLED, MISSED = AppointmentStatus.CANCELLED, AppointmentStatus.MISSED

# One appointment in each status; the booked one has started (the agent may finish it).
STATES: dict[AppointmentStatus | None, AppointmentState | None] = {
    None: None,
    **{status: AppointmentState(status, EARLIER, EARLIER, sequence=2, version=4, moves=1,
                                no_shows=0) for status in AppointmentStatus},
}
EVENTS: dict[str, life.Event] = {
    "booked": life.Booked(at=NOW, starts_at=LATER, actor="agent", by_agent=AGENT, follows_id=3),
    "moved": life.Moved(at=NOW, actor="client", from_start=EARLIER),
    "missed": life.Missed(at=NOW, from_start=EARLIER, max_no_shows=3),
    "reassigned": life.Reassigned(at=NOW),
    "extended": life.Extended(at=NOW, actor="agent", by_agent=AGENT),
    "cancelled": life.Cancelled(at=NOW, actor="client", solved=True),
    "unstaffed": life.Unstaffed(at=NOW),
    "given_up": life.GivenUp(at=NOW),
    "in_call": life.InCall(at=NOW),
    "call_ended": life.CallEnded(at=NOW),
    "finished": life.Finished(at=NOW, agent_id=AGENT),
}
# The specification, written out: (status, event) -> (status after, history lines' kinds,
# whether the client is told: SEQUENCE and version up). Every pair not listed is refused.
ALLOWED: dict[tuple[AppointmentStatus | None, str],
              tuple[AppointmentStatus, tuple[str, ...], bool]] = {
    (None, "booked"): (BOOKED, ("appointment_booked",), False),
    (BOOKED, "moved"): (BOOKED, ("appointment_moved",), True),
    (BOOKED, "missed"): (BOOKED, ("appointment_missed",), True),
    (BOOKED, "reassigned"): (BOOKED, ("appointment_reassigned",), True),
    (BOOKED, "extended"): (BOOKED, ("appointment_extended",), True),
    (IN_CALL, "extended"): (IN_CALL, ("appointment_extended",), True),
    (BOOKED, "cancelled"): (CANCELLED, ("appointment_cancelled",), True),
    (BOOKED, "unstaffed"): (CANCELLED, ("appointment_unstaffed",), True),
    (BOOKED, "given_up"): (MISSED, ("appointment_given_up",), True),
    (BOOKED, "in_call"): (IN_CALL, (), False),
    (IN_CALL, "in_call"): (IN_CALL, (), False),
    (BOOKED, "call_ended"): (DONE, ("appointment_done",), False),
    (IN_CALL, "call_ended"): (DONE, ("appointment_done",), False),
    (BOOKED, "finished"): (DONE, ("appointment_done",), False),
    (IN_CALL, "finished"): (DONE, ("appointment_done",), False),
    (DONE, "finished"): (DONE, (), False),
}


def test_r12_r17_the_table_is_the_specification_and_every_event_has_a_class():
    assert_table_is_the_specification(life, ALLOWED, EVENTS)


@pytest.mark.parametrize("status", list(STATES), ids=str)
@pytest.mark.parametrize("name", list(EVENTS))
def test_r12_r17_every_state_x_every_event_leads_where_the_table_says_or_is_refused(status,
                                                                                    name):
    state, event = STATES[status], EVENTS[name]
    result = apply_or_refuse(life, ALLOWED, status, name, state, event)
    if result is None:
        return
    after, records = result
    expected_status, kinds, told = ALLOWED[(status, name)]
    assert after.status == expected_status
    assert tuple(r.kind for r in records) == kinds
    if state is None:
        assert (after.sequence, after.version, after.starts_at, after.updated_at) == (
            0, 1, LATER, NOW)
        return
    assert (after.sequence, after.version) == (state.sequence + told, state.version + told)
    assert after.updated_at == (EARLIER if (status, name) == (DONE, "finished") else NOW)


def test_r13_a_move_keeps_the_uid_raises_sequence_and_names_the_old_time():
    after, (line,) = life.transition(STATES[BOOKED], EVENTS["moved"])
    assert (after.moves, after.no_shows) == (2, 0)
    assert (line.actor, line.detail) == ("client", {"from": EARLIER.isoformat()})


def test_r13_a_booking_names_who_booked_and_the_appointment_it_follows():
    _, (line,) = life.transition(None, EVENTS["booked"])
    assert (line.actor, line.agent_id, line.detail) == ("agent", AGENT, {"follows_id": 3})


def test_r13_a_cancel_by_the_client_says_whether_the_need_is_solved():
    _, (line,) = life.transition(STATES[BOOKED], EVENTS["cancelled"])
    assert (line.actor, line.detail) == ("client", {"solved": True})


def test_r13_only_a_booked_appointment_still_to_come_can_be_moved_or_cancelled_by_the_client():
    ahead = AppointmentState(BOOKED, LATER, EARLIER)
    assert life.changeable(ahead, NOW)
    assert not life.changeable(replace(ahead, starts_at=NOW), NOW)
    assert not life.changeable(replace(ahead, status=IN_CALL), NOW)


def test_r15_a_client_not_there_is_moved_and_counted_until_the_last_allowed_time():
    after, (line,) = life.transition(STATES[BOOKED], EVENTS["missed"])
    assert (after.no_shows, after.moves, line.detail) == (1, 2, {"from": EARLIER.isoformat()})
    twice = replace(STATES[BOOKED], no_shows=2)
    assert not life.rebooks_after_no_show(twice, 3)
    with pytest.raises(IllegalTransition) as refused:
        life.transition(twice, EVENTS["missed"])
    assert refused.value.reason == "too_many"
    given_up, _ = life.transition(twice, EVENTS["given_up"])
    assert (given_up.status, given_up.no_shows) == (MISSED, 3)


@pytest.mark.parametrize("name", ["reassigned", "extended"])
def test_r14_r16_a_new_agent_or_length_is_sent_again_but_is_not_a_move(name):
    after, (line,) = life.transition(STATES[BOOKED], EVENTS[name])
    assert (after.moves, line.detail) == (1, {})


def test_r16_an_appointment_still_to_come_cannot_be_finished_by_its_agent():
    ahead = AppointmentState(BOOKED, LATER, EARLIER)
    with pytest.raises(IllegalTransition) as refused:
        life.transition(ahead, EVENTS["finished"])
    assert refused.value.reason == "not_started"
    assert life.allows(ahead, EVENTS["call_ended"])  # a call the agent started early


def test_r16_finishing_a_done_appointment_again_changes_and_records_nothing():
    done = STATES[DONE]
    assert life.transition(done, EVENTS["finished"]) == (done, ())


def test_r14_the_agent_who_finishes_is_named_the_system_that_sees_the_end_is_not():
    _, (by_agent,) = life.transition(STATES[IN_CALL], EVENTS["finished"])
    _, (by_system,) = life.transition(STATES[IN_CALL], EVENTS["call_ended"])
    assert (by_agent.actor, by_agent.agent_id) == ("agent", AGENT)
    assert (by_system.actor, by_system.agent_id) == ("system", None)


@given(st.lists(st.sampled_from(sorted(set(EVENTS) - {"booked"})), max_size=30))
def test_r12_r17_no_story_lowers_the_sequence_or_revives_an_ended_appointment(names):
    state, _ = life.transition(None, EVENTS["booked"])
    for minute, name in enumerate(names, start=1):
        event = replace(EVENTS[name], at=LATER + timedelta(minutes=minute))
        if not life.allows(state, event):
            continue
        after, _ = life.transition(state, event)
        assert after.sequence >= state.sequence and after.version >= state.version
        assert after.sequence - state.sequence == after.version - state.version
        assert state.status not in (CANCELLED, MISSED, DONE) or after.status == state.status
        state = after
