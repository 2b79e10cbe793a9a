"""The waiting entry's lifecycle (R5-R11, R13-R16), pure: every state x every event, then each
event's own rule, then what no sequence of events can break."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callq.status import EntryStatus, Outcome
from callq.waiting import lifecycle as life
from callq.waiting.lifecycle import EntryState, IllegalTransition
from tests.lifecycle_support import apply_or_refuse, assert_table_is_the_specification

NOW = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
AGENT, OTHER = 7, 8
SINCE = NOW - timedelta(days=3)
LEASE = timedelta(minutes=15)
W, C, A = EntryStatus.WAITING, EntryStatus.CLAIMED, EntryStatus.AWAITING_CLIENT
B, X = EntryStatus.BOOKED, EntryStatus.CLOSED

# One entry in each status, each as the events' own rules want it (a claim whose lease lapsed,
# held by AGENT; a wait since SINCE; a vague entry of one message, untouched).
STATES: dict[EntryStatus | None, EntryState | None] = {
    None: None,
    W: EntryState(W, version=5, vague=True),
    C: EntryState(C, version=5, claimed_by=AGENT, lease_expires_at=NOW - timedelta(seconds=1)),
    A: EntryState(A, version=5, awaiting_since=SINCE, attempts=3),
    B: EntryState(B, version=5, outcome=Outcome.BOOKED),
    X: EntryState(X, version=5, outcome=Outcome.SOLVED, closed_at=SINCE),
}
EVENTS: dict[str, life.Event] = {
    "filed": life.Filed(at=NOW, detail={"message_id": 1}),
    "split_off": life.SplitOff(at=NOW, agent_id=AGENT, reason="two needs", from_id=1,
                               messages=(2,)),
    "message_attached": life.MessageAttached(at=NOW, detail={"message_id": 3}),
    "late_need_classified": life.LateNeedClassified(at=NOW, detail={"message_id": 1}),
    "claimed": life.Claimed(at=NOW, agent_id=AGENT, until=NOW + LEASE, how="next"),
    "lease_renewed": life.LeaseRenewed(at=NOW, agent_id=AGENT, until=NOW + LEASE),
    "call_placed": life.CallPlaced(at=NOW, agent_id=AGENT, until=NOW + LEASE, to="+33612345678"),
    "released": life.Released(at=NOW, agent_id=AGENT),
    "lease_expired": life.LeaseExpired(at=NOW, version=5),
    "no_answer": life.NoAnswer(at=NOW, agent_id=AGENT, max_attempts=3,
                               retry_delay=timedelta(hours=1)),
    "resolved": life.Resolved(at=NOW, agent_id=AGENT, outcome=Outcome.SOLVED),
    "link_sent": life.LinkSent(at=NOW, agent_id=AGENT),
    "requalified": life.Requalified(at=NOW, agent_id=AGENT, reason="urgent", detail={}),
    "absorbed": life.Absorbed(at=NOW, agent_id=AGENT, reason="same", from_id=9, messages=2),
    "merged": life.Merged(at=NOW, agent_id=AGENT, reason="same", into=9),
    "split": life.Split(at=NOW, agent_id=AGENT, reason="two needs", to=9, messages=(2,)),
    "client_reminded": life.ClientReminded(at=NOW, since=SINCE.isoformat(), n=1,
                                           sent_by="email"),
    "expired": life.Expired(at=NOW, since=SINCE.isoformat()),
    "cancelled_by_client": life.CancelledByClient(at=NOW),
    "booked": life.Booked(at=NOW),
    "renewed": life.Renewed(at=NOW, from_id=9, outcome="solved"),
    "appointment_released": life.AppointmentReleased(at=NOW),
    "appointment_given_up": life.AppointmentGivenUp(at=NOW),
    "appointment_closed": life.AppointmentClosed(at=NOW, outcome=Outcome.SOLVED),
}
_EDIT = {W: W, C: C, A: A}
_CLOSE = {W: X, C: X, A: X}
# The specification, written out: (status, event) -> (status after, history lines' kinds).
# Every pair not listed must be refused.
ALLOWED: dict[tuple[EntryStatus | None, str], tuple[EntryStatus, tuple[str, ...]]] = {
    (None, "filed"): (W, ("created",)),
    (None, "split_off"): (W, ("split_from",)),
    **{(s, "message_attached"): (s, ("message_attached",)) for s in (W, C, B)},
    (A, "message_attached"): (W, ("message_attached", "client_returned", "clock_resumed")),
    (W, "late_need_classified"): (W, ("late_need_classified",)),
    (W, "claimed"): (C, ("claimed",)),
    (C, "claimed"): (C, ("claimed",)),
    (C, "lease_renewed"): (C, ()),
    (C, "call_placed"): (C, ("call_started",)),
    (C, "released"): (W, ("released",)),
    (C, "lease_expired"): (W, ("lease_expired",)),
    (C, "no_answer"): (W, ("outcome",)),
    (C, "resolved"): (X, ("outcome",)),
    (C, "link_sent"): (A, ("outcome", "clock_paused")),
    **{(s, "requalified"): (t, ("requalified",)) for s, t in _EDIT.items()},
    **{(s, "absorbed"): (t, ("merged",)) for s, t in _EDIT.items()},
    **{(s, "merged"): (t, ("outcome",)) for s, t in _CLOSE.items()},
    **{(s, "split"): (t, ("split",)) for s, t in _EDIT.items()},
    (A, "client_reminded"): (A, ("client_reminded",)),
    (A, "expired"): (X, ("outcome",)),
    **{(s, "cancelled_by_client"): (t, ("outcome",)) for s, t in _CLOSE.items()},
    **{(s, "booked"): (B, ()) for s in (W, C, B)},
    (A, "booked"): (B, ("clock_resumed",)),
    (None, "renewed"): (W, ("renewed",)),
    (B, "appointment_released"): (W, ()),
    (B, "appointment_given_up"): (A, ("clock_paused",)),
    (B, "appointment_closed"): (X, ()),
}
UNCHANGED = {"client_reminded"}  # a reminder changes nothing: no new version


def test_r05_r16_the_table_is_the_specification_and_every_event_has_a_class():
    assert_table_is_the_specification(life, ALLOWED, EVENTS)


@pytest.mark.parametrize("status", list(STATES), ids=str)
@pytest.mark.parametrize("name", list(EVENTS))
def test_r05_r16_every_state_x_every_event_leads_where_the_table_says_or_is_refused(status,
                                                                                    name):
    state, event = STATES[status], EVENTS[name]
    result = apply_or_refuse(life, ALLOWED, status, name, state, event)
    if result is None:
        return
    after, records = result
    expected_status, kinds = ALLOWED[(status, name)]
    assert after.status == expected_status
    assert tuple(r.kind for r in records) == kinds
    assert all(r.at == NOW for r in records)
    if state is None:
        assert (after.version, after.attempts, after.claimed_by) == (1, 0, None)
    else:
        assert after.version == state.version + (0 if name in UNCHANGED else 1)


def test_r10_a_claim_holds_the_entry_for_its_agent_until_the_lease_ends():
    after, (line,) = life.transition(STATES[W], EVENTS["claimed"])
    assert (after.claimed_by, after.lease_expires_at) == (AGENT, NOW + LEASE)
    assert (line.actor, line.agent_id) == ("agent", AGENT)
    assert line.detail == {"how": "next", "lease_until": (NOW + LEASE).isoformat()}


def test_r10_no_two_agents_hold_one_entry_a_running_lease_refuses_a_claim():
    held = EntryState(C, claimed_by=OTHER, lease_expires_at=NOW + LEASE)
    with pytest.raises(IllegalTransition) as refused:
        life.transition(held, EVENTS["claimed"])
    assert refused.value.reason == "held"


@pytest.mark.parametrize("name", ["lease_renewed", "call_placed", "released", "no_answer",
                                  "resolved", "link_sent"])
def test_r10_only_the_holder_acts_on_a_claimed_entry(name):
    theirs = EntryState(C, claimed_by=OTHER, lease_expires_at=NOW + LEASE)
    with pytest.raises(IllegalTransition) as refused:
        life.transition(theirs, EVENTS[name])
    assert refused.value.reason == "not_holder"


def test_r10_release_and_lapse_return_the_entry_to_its_own_place_free():
    for name in ("released", "lease_expired"):
        after, _ = life.transition(STATES[C], EVENTS[name])
        assert (after.claimed_by, after.lease_expires_at, after.available_at) == (None,) * 3


def test_r10_the_timer_of_a_renewed_lease_or_of_a_running_one_changes_nothing():
    renewed = EntryState(C, version=6, claimed_by=AGENT, lease_expires_at=NOW - LEASE)
    running = EntryState(C, version=5, claimed_by=AGENT, lease_expires_at=NOW + LEASE)
    for state in (renewed, running):
        assert not life.allows(state, EVENTS["lease_expired"])


def test_r10_the_lapsed_lease_is_written_in_the_history_against_its_holder():
    _, (line,) = life.transition(STATES[C], EVENTS["lease_expired"])
    assert (line.actor, line.agent_id) == ("system", AGENT)


def test_r10_an_unanswered_call_counts_an_attempt_and_returns_the_entry_after_the_delay():
    after, (line,) = life.transition(STATES[C], EVENTS["no_answer"])
    assert (after.status, after.attempts, after.available_at) == (W, 1, NOW + timedelta(hours=1))
    assert line.detail == {"outcome": "no_answer", "attempts": 1,
                           "available_at": (NOW + timedelta(hours=1)).isoformat()}


def test_r10_the_last_unanswered_call_makes_the_entry_wait_for_the_client():
    last = EntryState(C, claimed_by=AGENT, lease_expires_at=NOW + LEASE, attempts=2)
    after, (line, paused) = life.transition(last, EVENTS["no_answer"])
    assert (after.status, after.attempts, after.awaiting_since) == (A, 3, NOW)
    assert paused.kind == "clock_paused"  # the resolution clock waits with the client (R11)
    assert (after.claimed_by, after.available_at) == (None, None)
    assert line.detail["available_at"] is None


def test_r10_a_booking_link_sent_as_outcome_makes_the_entry_wait_for_the_client():
    after, (line, _paused) = life.transition(STATES[C], EVENTS["link_sent"])
    assert (after.status, after.awaiting_since, after.outcome) == (A, NOW, None)
    assert line.detail == {"outcome": "booked"}


@pytest.mark.parametrize("outcome", [Outcome.SOLVED, Outcome.DOCUMENTATION,
                                     Outcome.OUT_OF_SCOPE])
def test_r10_an_outcome_that_closes_keeps_its_detail_and_note(outcome):
    event = life.Resolved(at=NOW, agent_id=AGENT, outcome=outcome, reason="ok",
                          detail={"chapter": "tarifs"})
    after, (line,) = life.transition(STATES[C], event)
    assert (after.status, after.outcome, after.closed_at, after.claimed_by) == (
        X, outcome, NOW, None)
    assert (line.detail, line.reason) == ({"outcome": outcome.value, "chapter": "tarifs"}, "ok")


@pytest.mark.parametrize("outcome", [Outcome.NO_ANSWER, Outcome.BOOKED, Outcome.MERGED])
def test_r10_only_solved_documentation_and_out_of_scope_close_through_an_outcome(outcome):
    with pytest.raises(IllegalTransition):
        life.transition(STATES[C], life.Resolved(at=NOW, agent_id=AGENT, outcome=outcome))


def test_r10_a_client_we_waited_for_who_calls_again_is_listed_again():
    after, _ = life.transition(STATES[A], EVENTS["message_attached"])
    assert (after.status, after.awaiting_since, after.available_at) == (W, None, None)


def test_r10_timers_of_an_older_wait_neither_remind_nor_close():
    later = EntryState(A, awaiting_since=SINCE + timedelta(days=1))
    for name in ("client_reminded", "expired"):
        with pytest.raises(IllegalTransition) as refused:
            life.transition(later, EVENTS[name])
        assert refused.value.reason == "other_wait"


def test_r10_the_client_who_cancels_closes_the_entry_as_cancelled_by_the_client():
    after, (line,) = life.transition(STATES[A], EVENTS["cancelled_by_client"])
    assert (after.outcome, line.actor, line.detail) == (
        Outcome.CANCELLED_BY_CLIENT, "client", {"outcome": "cancelled_by_client"})


@pytest.mark.parametrize("state", [
    EntryState(W, vague=True, messages_count=2),
    EntryState(W, vague=True, tier_set_by_agent=True),
    EntryState(W, vague=False),
])
def test_r07_r08_a_late_need_classifies_only_an_untouched_entry_of_one_message(state):
    assert not life.takes_late_need(state)
    assert not life.allows(state, EVENTS["late_need_classified"])


@pytest.mark.parametrize("name", ["requalified", "absorbed", "merged", "split"])
def test_r06_an_entry_another_agent_holds_cannot_be_requalified(name):
    theirs = EntryState(C, claimed_by=OTHER, lease_expires_at=NOW + LEASE)
    with pytest.raises(IllegalTransition) as refused:
        life.transition(theirs, EVENTS[name])
    assert refused.value.reason == "held"
    lapsed = EntryState(C, claimed_by=OTHER, lease_expires_at=NOW - LEASE)
    assert life.allows(lapsed, EVENTS[name])


def test_r08_a_merged_entry_closes_naming_the_entry_that_absorbed_it():
    after, (line,) = life.transition(STATES[W], EVENTS["merged"])
    assert (after.outcome, line.detail, line.reason) == (
        Outcome.MERGED, {"outcome": "merged", "into": "9"}, "same")


@pytest.mark.parametrize("status", [W, C, A, B])
def test_r13_a_booked_appointment_takes_the_entry_out_of_the_list(status):
    after, _ = life.transition(STATES[status], EVENTS["booked"])
    assert (after.outcome, after.claimed_by, after.closed_at, after.awaiting_since) == (
        Outcome.BOOKED, None, None, None)


def test_r08_r13_a_closed_entry_is_never_reopened_by_a_booking():
    for outcome in set(Outcome) - {Outcome.BOOKED}:
        state = replace(STATES[X], outcome=outcome)
        with pytest.raises(IllegalTransition):
            life.transition(state, EVENTS["booked"])


def test_r13_a_closed_need_booked_again_is_a_new_entry_naming_the_closed_one():
    after, (line,) = life.transition(None, EVENTS["renewed"])
    assert (after.status, after.version, after.outcome) == (W, 1, None)
    assert (line.kind, line.actor, line.detail) == ("renewed", "client",
                                                    {"from": 9, "outcome": "solved"})


def test_r15_a_given_up_appointment_makes_the_entry_wait_for_the_client():
    after, _ = life.transition(STATES[B], EVENTS["appointment_given_up"])
    assert (after.status, after.outcome, after.awaiting_since) == (A, Outcome.NO_ANSWER, NOW)


def test_r10_the_statuses_that_allow_an_edit_or_a_cancel_come_from_the_table():
    assert life.statuses_allowing("requalified") == (W, C, A)
    assert life.statuses_allowing("cancelled_by_client") == (W, C, A)
    assert life.statuses_allowing("claimed") == (W, C)


# Any story: events drawn at random, each a minute after the last, the refused ones skipped.
_STORY = st.lists(st.sampled_from(sorted(set(EVENTS) - {"filed", "split_off", "renewed"})),
                  max_size=40)


def _at(event: life.Event, minute: int) -> life.Event:
    from dataclasses import replace

    moved = replace(event, at=NOW + timedelta(minutes=minute))
    if isinstance(moved, life.Claimed | life.LeaseRenewed | life.CallPlaced):
        moved = replace(moved, until=moved.at + LEASE)
    return moved


@given(names=_STORY, agents=st.lists(st.sampled_from([AGENT, OTHER]), min_size=40, max_size=40))
def test_r05_r16_no_story_breaks_the_entry_s_invariants(names, agents):
    from dataclasses import replace

    state, _ = life.transition(None, EVENTS["filed"])
    for minute, (name, agent) in enumerate(zip(names, agents, strict=False), start=1):
        event = _at(EVENTS[name], minute * 20)  # leases of 15 minutes lapse in between
        if hasattr(event, "agent_id"):
            event = replace(event, agent_id=agent)
        if isinstance(event, life.LeaseExpired):
            event = replace(event, version=state.version)
        if isinstance(event, life.ClientReminded | life.Expired) and state.awaiting_since:
            event = replace(event, since=state.awaiting_since.isoformat())
        if not life.allows(state, event):
            continue
        after, _ = life.transition(state, event)
        assert after.version == state.version + (0 if name in UNCHANGED else 1)
        state = after
        assert (state.status == C) == (state.claimed_by is not None)
        assert (state.status == C) == (state.lease_expires_at is not None)
        assert state.status != X or (state.closed_at is not None and state.outcome is not None)
        assert state.status != A or state.awaiting_since is not None
        assert state.status != B or state.outcome == Outcome.BOOKED
        assert all(start <= end for start, end in state.clock_waits)
        assert state.first_attempt_at is None or state.first_attempt_at <= event.at


# --- the service-level clocks (R11) ----------------------------------------------------------

# Which events stop the first-response clock (a callback attempt) and the first-qualification
# clock (the need established by an agent), from the status each can happen in.
STOPS = {
    "call_placed": (C, True, False), "no_answer": (C, True, False),
    "resolved": (C, True, True), "link_sent": (C, True, True), "booked": (W, True, False),
    "requalified": (W, False, True), "absorbed": (W, False, True), "split": (W, False, True),
    "appointment_closed": (B, False, True), "claimed": (W, False, False),
    "released": (C, False, False), "message_attached": (W, False, False),
    "merged": (W, False, False), "cancelled_by_client": (W, False, False),
}


@pytest.mark.parametrize("name", list(STOPS))
def test_r11_which_events_stop_the_first_response_and_first_qualification_clocks(name):
    status, attempt, qualifies = STOPS[name]
    after, _ = life.transition(STATES[status], EVENTS[name])
    assert (after.first_attempt_at == NOW) is attempt
    assert (after.qualified_at == NOW) is qualifies
    by = AGENT if name in ("call_placed", "no_answer", "resolved", "link_sent") else None
    assert after.first_attempt_by == (by if attempt else None)


def test_r11_a_clock_stops_once_a_later_attempt_or_qualification_changes_nothing():
    earlier = NOW - timedelta(days=1)
    done = replace(STATES[C], first_attempt_at=earlier, first_attempt_by=OTHER,
                   qualified_at=earlier)
    after, _ = life.transition(done, EVENTS["resolved"])
    assert (after.first_attempt_at, after.first_attempt_by, after.qualified_at) == (
        earlier, OTHER, earlier)


def test_r11_a_split_off_entry_starts_qualified_by_the_agent_who_split_it():
    after, _ = life.transition(None, EVENTS["split_off"])
    assert (after.qualified_at, after.first_attempt_at) == (NOW, None)


@pytest.mark.parametrize("name", ["message_attached", "booked", "expired",
                                  "cancelled_by_client", "merged"])
def test_r11_leaving_a_wait_for_the_client_keeps_the_wait_the_resolution_clock_was_paused(name):
    earlier = (SINCE - timedelta(days=5), SINCE - timedelta(days=4))
    after, _ = life.transition(replace(STATES[A], clock_waits=(earlier,)), EVENTS[name])
    assert after.status != A
    assert after.clock_waits == (earlier, (SINCE, NOW))


@pytest.mark.parametrize(("status", "name"), [(C, "link_sent"), (B, "appointment_given_up"),
                                              (A, "client_reminded"), (A, "requalified")])
def test_r11_a_wait_that_goes_on_adds_no_wait_yet(status, name):
    after, _ = life.transition(STATES[status], EVENTS[name])
    assert after.status == A
    assert after.clock_waits == ()


def test_r08_r11_a_vague_entry_that_states_its_need_restarts_the_resolution_clock():
    waited = replace(STATES[A], clock_waits=((SINCE - timedelta(days=2), SINCE),))
    stated = life.MessageAttached(at=NOW, detail={"message_id": 3}, need_stated=True)
    after, records = life.transition(waited, stated)
    assert after.clock_waits == ()
    assert records[-1].kind == "clock_resumed"
    assert records[-1].detail == {"paused_since": SINCE.isoformat()}


def test_r11_who_resolved_the_entry_an_agent_or_the_agent_of_the_appointment_that_solved_it():
    after, _ = life.transition(STATES[C], EVENTS["resolved"])
    assert after.resolved_by == AGENT
    solved = life.AppointmentClosed(at=NOW, outcome=Outcome.SOLVED, agent_id=OTHER)
    assert life.transition(STATES[B], solved)[0].resolved_by == OTHER
    cancelled = life.AppointmentClosed(at=NOW, outcome=Outcome.CANCELLED_BY_CLIENT,
                                       agent_id=OTHER)
    assert life.transition(STATES[B], cancelled)[0].resolved_by is None


def test_r10_a_call_placed_by_the_holder_renews_the_lease_and_names_the_number():
    after, (line,) = life.transition(STATES[C], EVENTS["call_placed"])
    assert after.lease_expires_at == NOW + LEASE
    assert (line.kind, line.agent_id, line.detail) == ("call_started", AGENT,
                                                       {"to": "+33612345678"})
