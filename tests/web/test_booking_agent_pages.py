"""Agents' planner pages (R13, R14, R16), behind the login: their appointments, start the call,
extend or book a second appointment, cancel for a client, book for an entry, send a link."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from callq.models import Bridge, GatewayRecord
from callq.status import AppointmentStatus, EntryStatus
from scheduling import links
from tests.conftest import run_due_jobs
from tests.planner_support import (
    MONDAY_14H,
    SLOT,
    Page,
    add_agent,
    add_entry,
    appointment,
    book,
    calendar_of,
    csrf,
    effects_of,
    entry,
    log_in,
    received,
)
from tests.unit.test_invitations import read_all


def _agent_client(app, email="lea@desk.example"):
    client = app.test_client()
    log_in(client, email)
    return client


def _post(client, path, **form):
    response = client.post(path, data={**csrf(client, "/planner/"), **form})
    return response, Page(client.get("/planner/").get_data(as_text=True))


def test_r13_the_planner_needs_a_logged_in_agent(app, runtime):
    add_agent(runtime)
    book(runtime)
    client = app.test_client()
    assert client.get("/planner/").status_code == 401
    assert client.post("/planner/1/cancel").status_code in (400, 401)  # no CSRF, no session
    assert appointment(runtime, 1).status == AppointmentStatus.BOOKED


def test_r13_an_agent_sees_their_appointments_and_everyone_s_on_request(app, runtime):
    lea = add_agent(runtime)
    hugo = add_agent(runtime, "Hugo Bernard", "+33612000003")
    mine = book(runtime, agent_id=lea)
    theirs = book(runtime, agent_id=hugo, client_phone="+33698765432")
    client = _agent_client(app)
    assert Page(client.get("/planner/").get_data(as_text=True)).rows == [(mine.id, "booked")]
    everyone = Page(client.get("/planner/?all=1").get_data(as_text=True))
    assert sorted(everyone.rows) == [(mine.id, "booked"), (theirs.id, "booked")]


def test_r14_the_agent_starts_the_call_from_the_page(app, runtime, queue):
    add_agent(runtime)
    appt = book(runtime)
    client = _agent_client(app)
    response, page = _post(client, f"/planner/{appt.id}/call")
    assert response.status_code == 303
    assert page.notices == ["Votre téléphone va sonner, puis celui du client."]
    run_due_jobs(runtime, queue)
    with runtime.sessions() as session:
        [bridge] = session.scalars(select(Bridge)).all()
        [call] = session.scalars(select(GatewayRecord).where(GatewayRecord.kind == "call")).all()
    assert (bridge.appointment_id, bridge.client_number) == (appt.id, "+33612345678")
    assert call.to_number == "+33612000002"  # the agent's phone rings first


def test_r16_extend_from_the_page_then_second_appointment_when_the_next_slot_is_taken(
        app, runtime, queue, mailer, clock):
    add_agent(runtime)
    appt = book(runtime)
    book(runtime, start=MONDAY_14H + 2 * SLOT, client_phone="+33698765432")
    clock.set(MONDAY_14H + timedelta(minutes=20))
    client = _agent_client(app)
    _, page = _post(client, f"/planner/{appt.id}/extend")
    assert page.notices == ["Rendez-vous prolongé jusqu'à 15\u00a0h\u00a000."]
    _, page = _post(client, f"/planner/{appt.id}/extend")
    assert page.notices == ["Le créneau suivant est pris\u00a0: prenez un second rendez-vous."]
    assert appointment(runtime, appt.id).ends_at == MONDAY_14H + 2 * SLOT
    _, page = _post(client, f"/planner/{appt.id}/follow-up")
    assert page.notices[0].startswith(
        "Second rendez-vous pris le lundi 30 mars 2026 à 16\u00a0h\u00a030")
    run_due_jobs(runtime, queue)
    assert read_all(calendar_of(received(mailer, "appt-3-seq-0-request")))[4] == (
        MONDAY_14H + timedelta(hours=2, minutes=30))


def test_r13_an_agent_cancels_for_the_client_who_gets_method_cancel(app, runtime, queue, mailer):
    add_agent(runtime)
    appt = book(runtime)
    client = _agent_client(app)
    _post(client, f"/planner/{appt.id}/cancel")
    assert appointment(runtime, appt.id).status == AppointmentStatus.CANCELLED
    run_due_jobs(runtime, queue)
    assert read_all(calendar_of(received(mailer, "appt-1-seq-1-cancel")))[:4] == (
        "CANCEL", "appt-1@callq.example.test", 1, "CANCELLED")


def test_r13_an_agent_cannot_act_on_another_agent_s_appointment(app, runtime):
    add_agent(runtime)
    hugo = add_agent(runtime, "Hugo Bernard", "+33612000003")
    theirs = book(runtime, agent_id=hugo)
    client = _agent_client(app)
    response = client.post(f"/planner/{theirs.id}/cancel", data=csrf(client, "/planner/"))
    assert response.status_code == 403
    assert appointment(runtime, theirs.id).status == AppointmentStatus.BOOKED


def test_r13_an_agent_books_for_a_waiting_entry(app, runtime):
    lea = add_agent(runtime)
    entry_id = add_entry(runtime, need="Serveur en panne")
    client = _agent_client(app)
    form_page = Page(client.get(f"/planner/book?entry={entry_id}").get_data(as_text=True))
    assert form_page.fields["phone"] == "+33612345678"
    assert form_page.times[0] == links.start_stamp(MONDAY_14H)
    response = client.post("/planner/book", data={
        **csrf(client, "/planner/"), "entry_id": str(entry_id), "name": "Clinique des Lilas",
        "email": "", "phone": form_page.fields["phone"], "lang": "fr",
        "start": form_page.times[1]})
    assert response.status_code == 303
    found = entry(runtime, entry_id)
    assert found.status == EntryStatus.BOOKED
    assert (found.events[-1].kind, found.events[-1].agent_id) == ("appointment_booked", lea)
    appt = appointment(runtime, 1)
    assert (appt.starts_at, appt.client_email) == (MONDAY_14H + SLOT, None)
    [sms] = effects_of(runtime, "sms")  # no email address: the confirmation goes by SMS
    assert "30/3 à 14 h 30" in sms.payload["body"]  # short and GSM-7 (callq.sms)


def test_r13_booking_a_taken_time_from_the_planner_answers_409(app, runtime):
    add_agent(runtime)
    book(runtime)
    client = _agent_client(app)
    response = client.post("/planner/book", data={
        **csrf(client, "/planner/"), "name": "X", "phone": "+33698765432",
        "start": links.start_stamp(MONDAY_14H)})
    assert response.status_code == 409
    assert Page(response.get_data(as_text=True)).error == "taken"


def test_r13_an_agent_sends_a_booking_link_from_the_page(app, runtime):
    add_agent(runtime)
    client = _agent_client(app)
    _, page = _post(client, "/planner/link", email="marc@cabinet.example", phone="",
                    name="Marc", lang="en")
    assert page.notices == ["Lien de réservation envoyé."]
    [mail] = effects_of(runtime, "email")
    assert mail.payload["to"] == "marc@cabinet.example"
    assert mail.payload["subject"] == "Book your support callback"
    _, page = _post(client, "/planner/link", email="pas-une-adresse", phone="12")
    assert page.notices == ["Indiquez un e-mail ou un téléphone valable."]
    assert len(effects_of(runtime, "email")) == 1 and effects_of(runtime, "sms") == []
