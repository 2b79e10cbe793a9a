"""The waitlist, pure (issue 13): every offer state x every event, each event's own rule (the
minimum notice, the expiry), who is offered a freed slot and until when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduling import waitlist as wl
from scheduling.waitlist import IllegalTransition, OfferState, Waiting

NOW = datetime(2026, 3, 30, 10, 0, tzinfo=UTC)
SLOT = NOW + timedelta(hours=5)  # 17:00 Paris, well outside a 2 h notice
UNTIL = NOW + timedelta(hours=1)
NOTICE = 120
STATUSES = (wl.OFFERED, wl.ACCEPTED, wl.GONE, wl.EXPIRED)
STATES: dict[str | None, OfferState | None] = {
    None: None, **{s: OfferState(s, SLOT, UNTIL, version=1) for s in STATUSES}}
EVENTS: dict[str, wl.Event] = {
    "offered": wl.Offered(at=NOW, starts_at=SLOT, expires_at=UNTIL, notice_minutes=NOTICE),
    "accepted": wl.Accepted(at=NOW + timedelta(minutes=5), notice_minutes=NOTICE),
    "gone": wl.Gone(at=NOW),
    "expired": wl.Expired(at=UNTIL),
}
# The specification: (status, event) -> (status after, history line). Every other pair is
# refused and changes nothing.
ALLOWED = {
    (None, "offered"): (wl.OFFERED, "waitlist_offered"),
    (wl.OFFERED, "accepted"): (wl.ACCEPTED, "waitlist_accepted"),
    (wl.OFFERED, "gone"): (wl.GONE, "waitlist_gone"),
    (wl.OFFERED, "expired"): (wl.EXPIRED, "waitlist_expired"),
}


@pytest.mark.parametrize("status", STATES)
@pytest.mark.parametrize("event", EVENTS)
def test_every_offer_state_meets_every_event_as_the_table_says(status, event):
    state = STATES[status]
    if (status, event) in ALLOWED:
        after, records = wl.transition(state, EVENTS[event])
        assert (after.status, [r.kind for r in records]) == (
            ALLOWED[(status, event)][0], [ALLOWED[(status, event)][1]])
        if state is not None:
            assert after.version == state.version + 1
    else:
        with pytest.raises(IllegalTransition):
            wl.transition(state, EVENTS[event])


def test_the_table_has_every_event_and_nothing_leaves_a_closed_offer():
    assert set(wl.TRANSITIONS) == {event.name for event in wl.EVENTS} == set(EVENTS)
    sources = {status for table in wl.TRANSITIONS.values() for status in table}
    assert sources.isdisjoint({wl.ACCEPTED, wl.GONE, wl.EXPIRED})  # closed offers stay closed


def test_a_slot_inside_the_minimum_notice_is_never_offered():
    soon = wl.Offered(at=NOW, starts_at=NOW + timedelta(minutes=NOTICE - 1), expires_at=UNTIL,
                      notice_minutes=NOTICE)
    with pytest.raises(IllegalTransition) as refused:
        wl.transition(None, soon)
    assert refused.value.reason == "too_late"


def test_an_offer_is_not_accepted_once_the_slot_is_inside_the_notice_or_expired():
    late = OfferState(wl.OFFERED, NOW + timedelta(minutes=NOTICE - 1), NOW + timedelta(hours=1))
    with pytest.raises(IllegalTransition) as refused:
        wl.transition(late, wl.Accepted(at=NOW, notice_minutes=NOTICE))
    assert refused.value.reason == "too_late"
    open_offer = STATES[wl.OFFERED]
    with pytest.raises(IllegalTransition) as expired:
        wl.transition(open_offer, wl.Accepted(at=UNTIL, notice_minutes=NOTICE))
    assert expired.value.reason == "expired"


def test_an_offer_does_not_expire_before_its_time():
    with pytest.raises(IllegalTransition) as refused:
        wl.transition(STATES[wl.OFFERED], wl.Expired(at=UNTIL - timedelta(seconds=1)))
    assert refused.value.reason == "not_yet"


def test_an_offer_stands_the_set_time_but_never_into_the_minimum_notice():
    assert wl.expiry(NOW, SLOT, 60, NOTICE) == NOW + timedelta(minutes=60)
    assert wl.expiry(NOW, NOW + timedelta(minutes=150), 60, NOTICE) == NOW + timedelta(
        minutes=30)
    assert wl.expiry(NOW, NOW + timedelta(minutes=NOTICE), 60, NOTICE) is None


def test_freed_slots_go_in_list_order_to_stated_needs_that_can_be_reached_one_offer_each():
    room = [Waiting(1, vague=False, reachable=True, has_open_offer=True),   # already offered
            Waiting(2, vague=False, reachable=False, has_open_offer=False),  # no way to reach
            Waiting(3, vague=False, reachable=True, has_open_offer=False),
            Waiting(4, vague=True, reachable=True, has_open_offer=False),    # R7: qualify first
            Waiting(5, vague=False, reachable=True, has_open_offer=False),
            Waiting(6, vague=False, reachable=True, has_open_offer=False)]
    assert wl.choose(room, 2) == [3, 5]
    assert wl.choose(room, 10) == [3, 5, 6]
    assert wl.choose([], 3) == []


@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans()), max_size=30),
       st.integers(min_value=0, max_value=5))
def test_choose_never_offers_more_than_asked_nor_out_of_order(flags, size):
    room = [Waiting(i, vague, reach, busy) for i, (vague, reach, busy) in enumerate(flags)]
    chosen = wl.choose(room, size)
    assert len(chosen) <= size and chosen == sorted(chosen)
    assert all(not room[i].vague and room[i].reachable and not room[i].has_open_offer
               for i in chosen)
