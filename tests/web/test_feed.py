"""Each agent's calendar feed (R13): a secret .ics URL, read by three calendar parsers."""

from __future__ import annotations

from datetime import UTC, timedelta

import vobject
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar
from sqlalchemy import select

from callq import db
from callq.models import Agent
from scheduling.booking import cancel_appointment, move_appointment
from tests.planner_support import MONDAY_14H, SLOT, add_agent, add_entry, book


def _token(runtime, agent_id):
    with runtime.sessions() as session:
        return session.scalar(select(Agent.feed_token).where(Agent.id == agent_id))


def test_r13_an_agent_s_feed_lists_their_appointments_with_their_uid_and_sequence(app, runtime):
    lea = add_agent(runtime)
    hugo = add_agent(runtime, "Hugo Bernard", "+33612000003")
    entry_id = add_entry(runtime, need="Impossible de facturer depuis ce matin")
    first = book(runtime, entry_id=entry_id, agent_id=lea)
    second = book(runtime, start=MONDAY_14H + timedelta(days=1), agent_id=lea,
                  client_name="Marc Petit", client_phone="+33698765432")
    book(runtime, agent_id=hugo, client_phone="+33145000001")  # someone else's
    gone = book(runtime, start=MONDAY_14H + 2 * SLOT, agent_id=lea, client_phone="+33145000002")
    with db.write(runtime.sessions) as session:
        move_appointment(session, runtime, second.id, start=MONDAY_14H + timedelta(days=2))
        cancel_appointment(session, runtime, gone.id)
    response = app.test_client().get(f"/feed/{_token(runtime, lea)}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.data
    cal = Calendar.from_ical(raw)
    assert str(cal["METHOD"]) == "PUBLISH"
    assert [(str(e["UID"]), e.sequence, e.start) for e in cal.events] == [
        (f"appt-{first.id}@callq.example.test", 0, MONDAY_14H),
        (f"appt-{second.id}@callq.example.test", 1, MONDAY_14H + timedelta(days=2)),
    ]
    assert "Impossible de facturer" in str(cal.events[0]["DESCRIPTION"])
    assert str(cal.events[0]["SUMMARY"]) == "Rappel – Hélène Dupont"
    vobject.readOne(raw.decode()).validate(raiseException=True)
    parsed = IcsCalendarStream.calendar_from_ics(raw.decode())
    assert [(e.uid, e.dtstart.astimezone(UTC)) for e in parsed.events] == [
        (str(e["UID"]), e.start) for e in cal.events]


def test_r13_an_unknown_token_or_a_disabled_agent_gets_404(app, runtime):
    lea = add_agent(runtime)
    token = _token(runtime, lea)
    client = app.test_client()
    assert client.get(f"/feed/{token}x.ics").status_code == 404
    with db.write(runtime.sessions) as session:
        session.get(Agent, lea).active = False
    assert client.get(f"/feed/{token}.ics").status_code == 404
