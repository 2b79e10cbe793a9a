"""Booking, moving and cancelling (R12, R13) against the database, on SQLite and PostgreSQL:
the invitation emails as the client's mail reader and three calendar parsers see them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from callq import db
from callq.models import Appointment
from callq.status import AppointmentStatus, EntryStatus, Outcome
from scheduling import links
from scheduling.booking import (
    SlotTaken,
    Unchangeable,
    cancel_appointment,
    move_appointment,
    send_booking_link,
)
from scheduling.invitations import Method
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
    text_of,
)
from tests.unit.test_invitations import assert_itip, read_all

UID = "appt-1@callq.example.test"


def _move(runtime, appointment_id, start, **kw):
    with db.write(runtime.sessions) as session:
        return move_appointment(session, runtime, appointment_id, start=start, **kw)


def _cancel(runtime, appointment_id, **kw):
    with db.write(runtime.sessions) as session:
        return cancel_appointment(session, runtime, appointment_id, **kw)


def test_r13_confirmation_is_multipart_alternative_with_an_inline_request(runtime, queue, mailer):
    add_agent(runtime)
    appt = book(runtime)
    run_due_jobs(runtime, queue)
    msg = received(mailer, f"appt-{appt.id}-seq-0-request")
    assert msg.get_content_type() == "multipart/alternative"
    parts = [part for part in msg.iter_parts()]
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html", "text/calendar"]
    ics = parts[2]
    assert ics.get_param("method") == "REQUEST"
    assert ics.get_content_charset() == "utf-8"
    assert ics.get("Content-Disposition") is None
    assert msg["From"].addresses[0].addr_spec == "support@callq.example.test"
    assert msg["To"].addresses[0].addr_spec == "helene@clinique.example"
    assert "lundi 30 mars 2026 à 14\u00a0h\u00a000" in msg["Subject"]
    raw = calendar_of(msg)
    assert_itip(raw, Method.REQUEST)
    assert read_all(raw)[:6] == ("REQUEST", UID, 0, "CONFIRMED", MONDAY_14H, MONDAY_14H + SLOT)


def test_r13_confirmation_carries_signed_links_to_move_and_to_cancel(runtime, queue, mailer):
    add_agent(runtime)
    appt = book(runtime)
    run_due_jobs(runtime, queue)
    text = text_of(received(mailer, f"appt-{appt.id}-seq-0-request"))
    urls = [word for word in text.split() if word.startswith("https://")]
    assert [url.rsplit("/", 1)[1] for url in urls] == ["move", "cancel"]
    token = urls[0].split("/book/appointment/")[1].rsplit("/", 1)[0]
    grant = links.read_manage(runtime.settings.secret_key, token, runtime.now(),
                              links.max_age(runtime))
    assert (grant.appointment_id, grant.sequence, grant.lang) == (appt.id, 0, "fr")


def test_r13_invitation_organizer_is_the_sender_and_attendee_the_client(runtime, queue, mailer):
    from icalendar import Calendar

    add_agent(runtime)
    appt = book(runtime)
    run_due_jobs(runtime, queue)
    event = Calendar.from_ical(calendar_of(received(mailer, f"appt-{appt.id}-seq-0-request")))
    [ev] = event.events
    assert str(ev["ORGANIZER"]) == "mailto:support@callq.example.test"
    assert [str(a) for a in ev.attendees] == ["mailto:helene@clinique.example"]


def test_r13_move_then_cancel_keep_the_uid_and_raise_the_sequence(runtime, queue, mailer, clock):
    add_agent(runtime)
    appt = book(runtime)
    later = MONDAY_14H + timedelta(days=1, hours=2)
    _move(runtime, appt.id, later)
    _cancel(runtime, appt.id)
    run_due_jobs(runtime, queue)
    sends = [calendar_of(received(mailer, f"appt-{appt.id}-seq-{n}-{m}"))
             for n, m in ((0, "request"), (1, "request"), (2, "cancel"))]
    readings = [read_all(raw) for raw in sends]
    assert [r[:4] for r in readings] == [("REQUEST", UID, 0, "CONFIRMED"),
                                         ("REQUEST", UID, 1, "CONFIRMED"),
                                         ("CANCEL", UID, 2, "CANCELLED")]
    assert [r[4] for r in readings] == [MONDAY_14H, later, later]
    assert_itip(sends[2], Method.CANCEL)
    cancel_mail = received(mailer, f"appt-{appt.id}-seq-2-cancel")
    assert [p.get_param("method") for p in cancel_mail.iter_parts()
            if p.get_content_type() == "text/calendar"] == ["CANCEL"]
    assert appointment(runtime, appt.id).status == AppointmentStatus.CANCELLED


def test_r12_one_agent_one_slot_the_second_client_gets_the_next_free_times(runtime):
    add_agent(runtime)
    book(runtime)
    with pytest.raises(SlotTaken) as taken:
        book(runtime, client_phone="+33698765432")
    assert taken.value.next_times[:2] == [(MONDAY_14H + SLOT, MONDAY_14H + 2 * SLOT),
                                          (MONDAY_14H + 2 * SLOT, MONDAY_14H + 3 * SLOT)]
    with runtime.sessions() as session:
        assert len(session.scalars(select(Appointment)).all()) == 1


def test_r12_a_refused_time_is_never_offered_back(runtime):
    # Léa is away at 14:00, Hugo is free: 14:00 reads free, yet a booking with Léa is refused.
    # The same holds when PostgreSQL aborts one of two rival bookings in a deadlock before the
    # other commits: the time the client just lost must not be the first one offered again.
    first, _ = add_agent(runtime), add_agent(runtime, "Hugo Bernard", "+33612000003")
    add_absence(runtime, first, MONDAY_14H, MONDAY_14H + SLOT)
    with pytest.raises(SlotTaken) as taken:
        book(runtime, agent_id=first)
    assert taken.value.next_times[0] == (MONDAY_14H + SLOT, MONDAY_14H + 2 * SLOT)
    assert MONDAY_14H not in [start for start, _ in taken.value.next_times]


def test_r12_a_second_agent_takes_the_same_time(runtime):
    first, second = add_agent(runtime), add_agent(runtime, "Hugo Bernard", "+33612000003")
    a = book(runtime)
    b = book(runtime, client_phone="+33698765432")
    assert (a.starts_at, b.starts_at) == (MONDAY_14H, MONDAY_14H)
    assert {a.agent_id, b.agent_id} == {first, second}


@pytest.mark.parametrize("start", [
    pytest.param(datetime(2026, 3, 30, 8, 30, tzinfo=UTC), id="morning-live-hours"),
    pytest.param(datetime(2026, 3, 30, 10, 0, tzinfo=UTC), id="within-minimum-notice"),
    pytest.param(MONDAY_14H + timedelta(minutes=10), id="off-the-slot-grid"),
    pytest.param(datetime(2026, 4, 6, 12, 0, tzinfo=UTC), id="easter-monday-holiday"),
    pytest.param(datetime(2026, 4, 4, 12, 0, tzinfo=UTC), id="saturday"),
    pytest.param(datetime(2026, 6, 1, 12, 0, tzinfo=UTC), id="beyond-the-horizon"),
    pytest.param(datetime(2026, 3, 30, 16, 0, tzinfo=UTC), id="after-closing"),
])
def test_r12_no_booking_outside_the_afternoon_slots(runtime, start):
    add_agent(runtime)
    with pytest.raises(SlotTaken) as taken:
        book(runtime, start=start)
    assert taken.value.next_times  # the client is offered real slots instead


def test_r12_an_absent_agent_has_no_slot(runtime):
    agent = add_agent(runtime)
    add_absence(runtime, agent, MONDAY_14H - timedelta(hours=1), MONDAY_14H + 2 * SLOT)
    with pytest.raises(SlotTaken) as taken:
        book(runtime)
    assert taken.value.next_times[0][0] == MONDAY_14H + 2 * SLOT


@pytest.mark.parametrize(("email", "phone", "field"), [
    ("helene@clinique.example", "", "phone"),
    ("helene@clinique.example", "12", "phone"),
    ("pas-une-adresse", "+33612345678", "email"),
    ("a@b.example\r\nBcc: x@y.example", "+33612345678", "email"),
])
def test_r13_a_booking_needs_a_callable_phone_and_a_valid_email(runtime, email, phone, field):
    add_agent(runtime)
    with pytest.raises(ValueError, match=field):
        book(runtime, client_email=email, client_phone=phone)
    with runtime.sessions() as session:
        assert session.scalars(select(Appointment)).all() == []


def test_r13_a_national_number_is_stored_in_e164(runtime):
    add_agent(runtime)
    assert book(runtime, client_phone="06 12 34 56 78").client_phone == "+33612345678"


def test_r13_booking_for_an_entry_hands_it_over_with_history(runtime):
    add_agent(runtime)
    entry_id = add_entry(runtime)
    appt = book(runtime, entry_id=entry_id)
    found = entry(runtime, entry_id)
    assert (found.status, found.outcome) == (EntryStatus.BOOKED, Outcome.BOOKED)
    assert [e.kind for e in found.events] == ["appointment_booked"]
    assert found.events[0].detail["appointment_id"] == appt.id


def test_r13_a_cancelled_appointment_puts_the_need_back_in_the_list(runtime):
    add_agent(runtime)
    entry_id = add_entry(runtime)
    appt = book(runtime, entry_id=entry_id)
    _cancel(runtime, appt.id)
    found = entry(runtime, entry_id)
    assert (found.status, found.outcome) == (EntryStatus.WAITING, None)
    assert [e.kind for e in found.events] == ["appointment_booked", "appointment_cancelled"]


def test_r10_a_client_who_solved_it_cancels_and_the_entry_closes(runtime):
    add_agent(runtime)
    entry_id = add_entry(runtime)
    appt = book(runtime, entry_id=entry_id)
    _cancel(runtime, appt.id, solved=True)
    found = entry(runtime, entry_id)
    assert (found.status, found.outcome) == (EntryStatus.CLOSED, Outcome.CANCELLED_BY_CLIENT)


def test_r13_a_stale_sequence_or_a_past_appointment_cannot_change(runtime, clock):
    add_agent(runtime)
    appt = book(runtime)
    with pytest.raises(Unchangeable, match="stale"):
        _cancel(runtime, appt.id, sequence=appt.sequence + 1)
    clock.set(MONDAY_14H)
    with pytest.raises(Unchangeable, match="closed"):
        _move(runtime, appt.id, MONDAY_14H + timedelta(days=1))
    assert appointment(runtime, appt.id).sequence == 0


def test_r13_moving_keeps_the_agent_when_free_and_refuses_a_taken_time(runtime):
    first, second = add_agent(runtime), add_agent(runtime, "Hugo Bernard", "+33612000003")
    a = book(runtime, agent_id=second)
    b = book(runtime, start=MONDAY_14H + SLOT, agent_id=second, client_phone="+33698765432")
    moved = _move(runtime, a.id, MONDAY_14H + 4 * SLOT)
    assert moved.agent_id == second  # kept although the first agent is free too
    busy = book(runtime, start=MONDAY_14H + 6 * SLOT, agent_id=first, client_phone="+33145000001")
    other = book(runtime, start=MONDAY_14H + 6 * SLOT, agent_id=second,
                 client_phone="+33145000002")
    with pytest.raises(SlotTaken):
        _move(runtime, b.id, MONDAY_14H + 6 * SLOT)
    assert {busy.agent_id, other.agent_id} == {first, second}
    assert appointment(runtime, b.id).starts_at == MONDAY_14H + SLOT


def test_r13_a_booking_link_goes_by_email_and_sms(runtime, queue, mailer):
    from tests.planner_support import effects_of, short_target

    entry_id = add_entry(runtime)
    with db.write(runtime.sessions) as session:
        url = send_booking_link(session, runtime, entry_id=entry_id, client_id=None,
                                email="helene@clinique.example", phone="+33612345678", lang="en")
    run_due_jobs(runtime, queue)
    token = url.split("/book/")[1]
    grant = links.read_booking(runtime.settings.secret_key, token, runtime.now(),
                               links.max_age(runtime))
    assert (grant.entry_id, grant.email, grant.phone, grant.lang) == (
        entry_id, "helene@clinique.example", "+33612345678", "en")
    [mail] = mailer.sent.values()
    assert url in str(mail.get_body(("plain",)).get_content())
    assert mail["Subject"] == "Book your support callback"
    [sms] = effects_of(runtime, "sms")
    assert runtime.url(short_target(runtime, sms.payload["body"])) == url
    assert '"Facturation bloquée"' in sms.payload["body"]  # the request it is about
    assert [e.kind for e in entry(runtime, entry_id).events] == ["booking_link_sent"]


def test_r13_a_booking_link_needs_somewhere_to_go(runtime):
    with pytest.raises(ValueError), db.write(runtime.sessions) as session:
        send_booking_link(session, runtime, entry_id=None, client_id=None, email=None,
                          phone=None, lang="fr")
