"""The guaranteed callback (R14): the call at the booked time, a free agent taking over from
one who cannot, and the client warned before the time when nobody can."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

from sqlalchemy import select

from callq import audit, db
from callq.admin import closures
from callq.models import Agent, Bridge, Closure
from callq.status import AppointmentStatus, EntryStatus
from scheduling import links
from scheduling.invitations import Method
from tests.conftest import run_due_jobs
from tests.planner_support import (
    MONDAY_14H,
    SLOT,
    TwilioReports,
    add_absence,
    add_agent,
    add_entry,
    appointment,
    book,
    bridges,
    calendar_of,
    calls_placed,
    entry,
    received,
    run_at,
    short_target,
    sms_sent,
    text_of,
    twilio_app,
    twilio_http,
)
from tests.unit.test_invitations import assert_itip, read_all

__all__ = ["twilio_app", "twilio_http"]  # fixtures used below
LEA, HUGO, CLIENT = "+33612000002", "+33612000003", "+33612345678"
CHECK_TIME = MONDAY_14H - timedelta(minutes=30)


def _runtime(app):
    return app.extensions["callq"]


def test_r14_at_the_booked_time_the_agent_is_rung_then_bridged_to_the_client(
        twilio_app, twilio_http, queue, clock):
    runtime = _runtime(twilio_app)
    add_agent(runtime, phone=LEA)
    appt = book(runtime, client_phone=CLIENT)
    run_at(runtime, queue, clock, MONDAY_14H - timedelta(minutes=1))
    assert calls_placed(twilio_http) == []  # not before the time
    run_at(runtime, queue, clock, MONDAY_14H)
    assert calls_placed(twilio_http) == [LEA]
    [call] = [r for r in twilio_http.requests if r["url"].endswith("/Calls.json")]
    assert call["data"]["From"] == "+33970000000"
    assert call["data"]["Url"].startswith("https://callq.example.test/twilio/bridge/answer?")
    [bridge] = bridges(runtime)
    twiml = ET.fromstring(TwilioReports(twilio_app).agent_answers(bridge.id).get_data(
        as_text=True))
    assert [n.text for n in twiml.iter("Number")] == [CLIENT]
    assert bridge.appointment_id == appt.id


def test_r14_an_answered_call_is_done_once_it_is_over(twilio_app, queue, clock):
    runtime = _runtime(twilio_app)
    add_agent(runtime, phone=LEA)
    entry_id = add_entry(runtime, number=CLIENT)
    appt = book(runtime, client_phone=CLIENT, entry_id=entry_id)
    run_at(runtime, queue, clock, MONDAY_14H)
    [bridge] = bridges(runtime)
    reports = TwilioReports(twilio_app)
    reports.agent_answers(bridge.id)
    reports.client_detected(bridge.id, "human")
    run_at(runtime, queue, clock, MONDAY_14H + SLOT)  # still talking past the planned end
    assert appointment(runtime, appt.id).status == AppointmentStatus.BOOKED
    reports.dial_ends(bridge.id, "completed", seconds=2100)
    assert appointment(runtime, appt.id).status == AppointmentStatus.DONE
    assert entry(runtime, entry_id).status == EntryStatus.BOOKED  # the agent says how it ended
    assert [e.kind for e in entry(runtime, entry_id).events][-2:] == [
        "appointment_call", "appointment_done"]


def test_r14_a_result_settled_while_the_call_still_runs_waits_for_its_end(twilio_app, queue,
                                                                           clock):
    runtime = _runtime(twilio_app)
    add_agent(runtime, phone=LEA)
    appt = book(runtime, client_phone=CLIENT)
    run_at(runtime, queue, clock, MONDAY_14H)
    [bridge] = bridges(runtime)
    reports = TwilioReports(twilio_app)
    reports.agent_answers(bridge.id)
    reports.post("/twilio/bridge/status", bridge.id, leg="client", CallStatus="in-progress",
                 CallSid=f"CB{bridge.id:032d}", SequenceNumber="2")
    run_at(runtime, queue, clock, MONDAY_14H + timedelta(hours=1, minutes=1))  # reports lost
    assert appointment(runtime, appt.id).status == AppointmentStatus.IN_CALL
    reports.post("/twilio/bridge/status", bridge.id, leg="client", CallStatus="completed",
                 CallSid=f"CB{bridge.id:032d}", SequenceNumber="3", CallDuration="3700")
    run_at(runtime, queue, clock, MONDAY_14H + timedelta(hours=1, minutes=10))
    assert appointment(runtime, appt.id).status == AppointmentStatus.DONE


def test_r14_an_agent_absent_at_the_time_is_replaced_before_it(twilio_app, twilio_http, queue,
                                                               clock, mailer):
    runtime = _runtime(twilio_app)
    lea, hugo = add_agent(runtime, phone=LEA), add_agent(runtime, "Hugo Bernard", HUGO)
    appt = book(runtime, client_phone=CLIENT)
    assert appt.agent_id == lea
    add_absence(runtime, lea, MONDAY_14H - timedelta(hours=1), MONDAY_14H + timedelta(hours=3))
    run_at(runtime, queue, clock, CHECK_TIME)
    handed = appointment(runtime, appt.id)
    assert (handed.agent_id, handed.sequence, handed.status) == (hugo, 1, AppointmentStatus.BOOKED)
    update = read_all(calendar_of(received(mailer, f"appt-{appt.id}-seq-1-request")))
    assert update[:5] == ("REQUEST", f"appt-{appt.id}@callq.example.test", 1, "CONFIRMED",
                          MONDAY_14H)
    run_at(runtime, queue, clock, MONDAY_14H)
    assert calls_placed(twilio_http) == [HUGO]


def test_r14_when_no_agent_can_the_client_is_warned_before_the_time_with_next_free_slots(
        twilio_app, twilio_http, queue, clock, mailer):
    runtime = _runtime(twilio_app)
    lea = add_agent(runtime, phone=LEA)
    entry_id = add_entry(runtime, number=CLIENT)
    appt = book(runtime, client_phone=CLIENT, entry_id=entry_id)
    add_absence(runtime, lea, MONDAY_14H, MONDAY_14H + timedelta(hours=1))
    run_at(runtime, queue, clock, CHECK_TIME)
    warned = appointment(runtime, appt.id)
    assert (warned.status, warned.sequence) == (AppointmentStatus.CANCELLED, 1)
    assert clock.current < warned.starts_at  # warned before the time
    message = received(mailer, f"appt-{appt.id}-seq-1-cancel")
    cancel = calendar_of(message)
    assert_itip(cancel, Method.CANCEL)
    assert read_all(cancel)[:4] == ("CANCEL", f"appt-{appt.id}@callq.example.test", 1,
                                    "CANCELLED")
    offered = [line for line in text_of(message).splitlines() if "?start=" in line]
    first_free = CHECK_TIME + timedelta(hours=2)  # the minimum notice counts from now
    assert len(offered) == 5 and links.start_stamp(first_free) in offered[0]
    assert "lundi 30 mars 2026 à 15\u00a0h\u00a030" in offered[0]
    url = offered[0].split(": ", 1)[1]
    token = url.split("/book/")[1].split("?")[0]
    grant = links.read_booking(runtime.settings.secret_key, token, runtime.now(),
                               links.max_age(runtime))
    assert (grant.entry_id, grant.phone) == (entry_id, CLIENT)
    [warning] = [(to, body) for to, body in sms_sent(twilio_http) if "ne peut avoir" in body]
    assert warning[0] == CLIENT and short_target(runtime, warning[1]).startswith("/book/")
    assert entry(runtime, entry_id).status == EntryStatus.WAITING  # the need is not lost
    run_at(runtime, queue, clock, MONDAY_14H)
    assert calls_placed(twilio_http) == []


def test_r14_an_agent_who_does_not_pick_up_is_replaced_by_a_free_agent_at_once(
        twilio_app, twilio_http, queue, clock):
    runtime = _runtime(twilio_app)
    lea, hugo = add_agent(runtime, phone=LEA), add_agent(runtime, "Hugo Bernard", HUGO)
    appt = book(runtime, client_phone=CLIENT)
    run_at(runtime, queue, clock, MONDAY_14H)
    [first] = bridges(runtime)
    reports = TwilioReports(twilio_app)
    reports.agent_answers(first.id, answered_by="machine_start")  # Léa's voicemail answered
    run_at(runtime, queue, clock, clock.current)
    assert appointment(runtime, appt.id).agent_id == hugo
    assert calls_placed(twilio_http) == [LEA, HUGO]
    second = bridges(runtime)[1]
    assert (second.agent_id, second.appointment_id) == (hugo, appt.id)
    reports.post("/twilio/bridge/status", second.id, leg="agent", CallStatus="no-answer",
                 CallSid=f"CA{second.id:032d}", SequenceNumber="3")
    assert appointment(runtime, appt.id).status == AppointmentStatus.CANCELLED  # nobody left
    assert lea != hugo


def test_r14_an_agent_still_in_an_earlier_call_is_replaced_at_the_time(twilio_app, twilio_http,
                                                                        queue, clock):
    runtime = _runtime(twilio_app)
    lea, hugo = add_agent(runtime, phone=LEA), add_agent(runtime, "Hugo Bernard", HUGO)
    appt = book(runtime, client_phone=CLIENT)
    with db.write(runtime.sessions) as session:  # Léa took a live call that is running over
        session.add(Bridge(key="earlier", purpose="callback", agent_id=lea,
                           client_number="+33698765432", agent_status="in-progress",
                           dialed_at=MONDAY_14H - timedelta(minutes=40),
                           client_status="in-progress", created_at=MONDAY_14H - SLOT))
    run_at(runtime, queue, clock, MONDAY_14H)
    assert appointment(runtime, appt.id).agent_id == hugo
    assert calls_placed(twilio_http) == [HUGO]


def test_r14_a_disabled_agent_is_replaced_before_the_time(twilio_app, queue, clock):
    runtime = _runtime(twilio_app)
    lea, hugo = add_agent(runtime, phone=LEA), add_agent(runtime, "Hugo Bernard", HUGO)
    appt = book(runtime, client_phone=CLIENT)
    with db.write(runtime.sessions) as session:
        agent = session.scalar(select(Agent).where(Agent.id == lea))
        agent.active = False
    run_at(runtime, queue, clock, CHECK_TIME)
    assert appointment(runtime, appt.id).agent_id == hugo


def test_r14_a_timer_of_a_cancelled_appointment_rings_nobody(twilio_app, twilio_http, queue,
                                                              clock):
    from scheduling.booking import cancel_appointment

    runtime = _runtime(twilio_app)
    add_agent(runtime, phone=LEA)
    appt = book(runtime, client_phone=CLIENT)
    with db.write(runtime.sessions) as session:
        cancel_appointment(session, runtime, appt.id)
    run_at(runtime, queue, clock, MONDAY_14H)
    assert calls_placed(twilio_http) == [] and bridges(runtime) == []


MONDAY_STAMPS = [links.start_stamp(MONDAY_14H + n * SLOT) for n in range(8)]


def test_r14_r04_closing_a_day_warns_its_booked_clients_at_once_with_times_on_other_days(
        twilio_app, twilio_http, queue, clock, mailer):
    runtime = _runtime(twilio_app)
    lea = add_agent(runtime, phone=LEA)
    add_agent(runtime, "Hugo Bernard", HUGO)  # free at 14:00 too: a closed day has nobody
    appt = book(runtime, client_phone=CLIENT, agent_id=lea)
    tuesday = book(runtime, MONDAY_14H + timedelta(days=1), agent_id=lea,
                   client_phone="+33698765432", client_email="bob@cabinet.example")
    monday = runtime.calendar().local(MONDAY_14H).date()
    _view, touched = closures.add_closure(runtime, monday, "inventaire", actor="cli")
    assert [(t.appointment_id, t.reassigned_to) for t in touched] == [(appt.id, None)]
    assert appointment(runtime, appt.id).status == AppointmentStatus.CANCELLED
    assert appointment(runtime, tuesday.id).status == AppointmentStatus.BOOKED
    run_due_jobs(runtime, queue)
    message = received(mailer, f"appt-{appt.id}-seq-1-cancel")
    offered = [line for line in text_of(message).splitlines() if "?start=" in line]
    assert offered and not [o for o in offered if any(s in o for s in MONDAY_STAMPS)]
    assert links.start_stamp(MONDAY_14H + timedelta(days=1)) in offered[0]  # Hugo, Tuesday
    assert [a.action for a in audit.recent(runtime)][:2] == ["closure.warn", "closure.add"]
    run_at(runtime, queue, clock, MONDAY_14H)
    assert calls_placed(twilio_http) == []  # nobody rung on the closed day


def test_r14_r04_a_day_closed_behind_the_planner_s_back_still_warns_before_the_time(
        twilio_app, twilio_http, queue, clock, mailer):
    runtime = _runtime(twilio_app)
    add_agent(runtime, phone=LEA)
    add_agent(runtime, "Hugo Bernard", HUGO)
    appt = book(runtime, client_phone=CLIENT)
    with db.write(runtime.sessions) as session:  # as if the warning transaction never ran
        session.add(Closure(day=runtime.calendar().local(MONDAY_14H).date(), label=""))
    run_at(runtime, queue, clock, CHECK_TIME)
    warned = appointment(runtime, appt.id)
    assert (warned.status, warned.agent_id) == (AppointmentStatus.CANCELLED, appt.agent_id)
    assert clock.current < warned.starts_at
    offered = [line for line in text_of(received(mailer, f"appt-{appt.id}-seq-1-cancel"))
               .splitlines() if "?start=" in line]
    assert offered and not [o for o in offered if any(s in o for s in MONDAY_STAMPS)]
    run_at(runtime, queue, clock, MONDAY_14H)
    assert calls_placed(twilio_http) == []
