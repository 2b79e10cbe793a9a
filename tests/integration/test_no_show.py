"""Client not there (R15), end to end with Twilio's REST API faked at its HTTP boundary:
booked -> call at the time -> no answer / busy / voicemail -> moved to the next free slot ->
the client gets the same event again with a higher SEQUENCE."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from callq.status import AppointmentStatus, EntryStatus
from scheduling.invitations import Method
from tests.planner_support import (
    MONDAY_14H,
    SLOT,
    TwilioReports,
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
    sms_sent,
    text_of,
    twilio_app,
    twilio_http,
)
from tests.unit.test_invitations import assert_itip, read_all

__all__ = ["twilio_app", "twilio_http"]  # fixtures used below
AGENT_PHONE, CLIENT_PHONE = "+33612000002", "+33612345678"
NEXT_FREE = MONDAY_14H + timedelta(hours=2)  # two hours' notice after the missed call


def _booked_and_rung(app, queue, clock):
    runtime = app.extensions["callq"]
    add_agent(runtime, phone=AGENT_PHONE)
    entry_id = add_entry(runtime, number=CLIENT_PHONE)
    appt = book(runtime, entry_id=entry_id, client_phone=CLIENT_PHONE)
    run_at(runtime, queue, clock, MONDAY_14H)
    [bridge] = bridges(runtime)
    return runtime, appt, entry_id, bridge


def _not_there(reports, bridge_id, how):
    if how == "voicemail":
        reports.client_detected(bridge_id, "machine_end_beep")
        reports.dial_ends(bridge_id, "completed", seconds=21)
    else:
        reports.dial_ends(bridge_id, how)


@pytest.mark.parametrize("how", ["no-answer", "busy", "voicemail"])
def test_r15_client_not_there_moves_the_appointment_to_the_next_free_slot(
        twilio_app, twilio_http, queue, clock, mailer, how):
    runtime, appt, entry_id, bridge = _booked_and_rung(twilio_app, queue, clock)
    assert calls_placed(twilio_http) == [AGENT_PHONE]  # the agent first
    reports = TwilioReports(twilio_app)
    twiml = ET.fromstring(reports.agent_answers(bridge.id).get_data(as_text=True))
    assert [n.text for n in twiml.iter("Number")] == [CLIENT_PHONE]  # then the client
    _not_there(reports, bridge.id, how)

    moved = appointment(runtime, appt.id)
    assert (moved.status, moved.starts_at, moved.sequence, moved.no_shows) == (
        AppointmentStatus.BOOKED, NEXT_FREE, 1, 1)
    run_at(runtime, queue, clock, clock.current)
    first = read_all(calendar_of(received(mailer, f"appt-{appt.id}-seq-0-request")))
    update = calendar_of(received(mailer, f"appt-{appt.id}-seq-1-request"))
    assert_itip(update, Method.REQUEST)
    again = read_all(update)
    assert again[1] == first[1] and again[2] > first[2]
    assert again[:6] == ("REQUEST", first[1], 1, "CONFIRMED", NEXT_FREE, NEXT_FREE + SLOT)
    text = text_of(received(mailer, f"appt-{appt.id}-seq-1-request"))
    assert "lundi 30 mars 2026 à 14\u00a0h\u00a000" in text
    assert "lundi 30 mars 2026 à 16\u00a0h\u00a000" in text
    # SMS are GSM-7 (callq.sms): the no-break spaces go as plain spaces.
    [(to, body)] = [s for s in sms_sent(twilio_http) if "16 h 00" in s[1]]
    assert to == CLIENT_PHONE
    found = entry(runtime, entry_id)
    assert found.status == EntryStatus.BOOKED
    assert [e.kind for e in found.events][-2:] == ["appointment_call", "appointment_missed"]


def test_r15_the_moved_appointment_is_called_at_its_new_time_not_the_old(
        twilio_app, twilio_http, queue, clock):
    runtime, appt, _entry_id, bridge = _booked_and_rung(twilio_app, queue, clock)
    reports = TwilioReports(twilio_app)
    reports.agent_answers(bridge.id)
    reports.dial_ends(bridge.id, "no-answer")
    run_at(runtime, queue, clock, MONDAY_14H + timedelta(minutes=5))  # a stale timer fires again
    assert len(bridges(runtime)) == 1
    run_at(runtime, queue, clock, NEXT_FREE)
    assert [b.appointment_id for b in bridges(runtime)] == [appt.id, appt.id]
    assert calls_placed(twilio_http) == [AGENT_PHONE, AGENT_PHONE]


def test_r15_after_the_last_allowed_no_show_the_appointment_is_cancelled_and_waits_for_the_client(
        twilio_app, twilio_http, queue, clock, mailer):
    runtime = twilio_app.extensions["callq"]
    runtime.settings = runtime.settings.replace(appointment_max_no_shows=1)
    runtime, appt, entry_id, bridge = _booked_and_rung(twilio_app, queue, clock)
    reports = TwilioReports(twilio_app)
    reports.agent_answers(bridge.id)
    reports.dial_ends(bridge.id, "no-answer")
    gone = appointment(runtime, appt.id)
    assert (gone.status, gone.sequence, gone.starts_at) == (AppointmentStatus.MISSED, 1,
                                                            MONDAY_14H)
    run_at(runtime, queue, clock, clock.current)
    cancel = calendar_of(received(mailer, f"appt-{appt.id}-seq-1-cancel"))
    assert_itip(cancel, Method.CANCEL)
    assert read_all(cancel)[:4] == ("CANCEL", f"appt-{appt.id}@callq.example.test", 1,
                                    "CANCELLED")
    assert entry(runtime, entry_id).status == EntryStatus.AWAITING_CLIENT


def test_r15_a_result_reported_twice_moves_the_appointment_once(twilio_app, queue, clock):
    runtime, appt, _entry_id, bridge = _booked_and_rung(twilio_app, queue, clock)
    reports = TwilioReports(twilio_app)
    reports.agent_answers(bridge.id)
    reports.dial_ends(bridge.id, "busy")
    reports.dial_ends(bridge.id, "busy")  # Twilio retried the callback
    reports.post("/twilio/bridge/status", bridge.id, leg="client", CallStatus="busy",
                 CallSid=f"CB{bridge.id:032d}", SequenceNumber="2")
    moved = appointment(runtime, appt.id)
    assert (moved.sequence, moved.no_shows, moved.starts_at) == (1, 1, NEXT_FREE)
