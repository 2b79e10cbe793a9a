"""The waitlist over HTTP (issue 13): a cancelled afternoon slot is offered by SMS to the first
waiting clients whose need suits an appointment, in list order; the first to accept gets it,
the others are told it is gone; never inside the minimum notice; an expired offer is refused."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from callq import db
from callq.models import GatewayRecord, WaitlistOffer
from callq.status import AppointmentStatus, EntryStatus
from scheduling import links
from scheduling.booking import cancel_appointment
from tests.conftest import run_due_jobs
from tests.planner_support import (
    MONDAY_14H,
    Page,
    add_agent,
    add_entry,
    appointment,
    book,
    csrf,
    entry,
    short_target,
)

TUESDAY_15H = MONDAY_14H + timedelta(days=1, hours=1)
FIRST, SECOND, THIRD = "+33611111111", "+33622222222", "+33633333333"


def _room(runtime):
    """Five waiting entries: two that can be offered a slot, then others that cannot yet."""
    ids = {"first": add_entry(runtime, number=FIRST, need="Impression des ordonnances bloquée"),
           "vague": add_entry(runtime, number="+33644444444", need="", vague=True),
           "landline": add_entry(runtime, number="+33145000001", need="Sauvegarde en échec"),
           "second": add_entry(runtime, number=SECOND, need="Export comptable impossible"),
           "third": add_entry(runtime, number=THIRD, need="Lenteurs à l'ouverture")}
    return ids


def _cancel(runtime, appt_id):
    with db.write(runtime.sessions) as session:
        cancel_appointment(session, runtime, appt_id, actor="agent")


def _texts(runtime, to):
    with runtime.sessions() as session:
        return [r.body for r in session.scalars(
            select(GatewayRecord).where(GatewayRecord.kind == "sms",
                                        GatewayRecord.to_number == to).order_by(GatewayRecord.id))]


def _offers(runtime):
    with runtime.sessions() as session:
        return {o.entry_id: o.status for o in session.scalars(select(WaitlistOffer))}


def test_a_freed_slot_goes_to_the_first_suitable_waiting_clients_and_the_first_to_accept_gets_it(
        app, runtime, queue):
    add_agent(runtime)
    appt = book(runtime, start=TUESDAY_15H, client_phone="+33699999999", client_email=None)
    ids = _room(runtime)
    run_due_jobs(runtime, queue)
    _cancel(runtime, appt.id)
    run_due_jobs(runtime, queue)
    # size 3: the vague message (R7) and the landline nobody can text are passed over
    assert _offers(runtime) == {ids["first"]: "offered", ids["second"]: "offered",
                                ids["third"]: "offered"}
    [offer_text] = _texts(runtime, SECOND)
    assert '"Export comptable impossible"' in offer_text and "31/3 à 15 h 00" in offer_text
    second_page = short_target(runtime, offer_text)
    first_page = short_target(runtime, _texts(runtime, FIRST)[0])
    client = app.test_client()
    page = Page(client.get(second_page).get_data(as_text=True))
    assert page.forms == [""] and "créneau" in page.title
    taken = client.post(second_page, data=csrf(client, second_page))
    assert taken.status_code == 303 and "/book/appointment/" in taken.headers["Location"]
    assert entry(runtime, ids["second"]).status == EntryStatus.BOOKED
    with runtime.sessions() as session:
        [booked] = session.scalars(select(WaitlistOffer).where(
            WaitlistOffer.status == "accepted"))
    new = appointment(runtime, booked.appointment_id)
    assert (new.starts_at, new.status, new.entry_id) == (TUESDAY_15H, AppointmentStatus.BOOKED,
                                                         ids["second"])
    run_due_jobs(runtime, queue)
    assert _offers(runtime) == {ids["first"]: "gone", ids["second"]: "accepted",
                                ids["third"]: "gone"}
    assert "est pris" in _texts(runtime, FIRST)[-1]  # told it is gone, keeps the place
    late = client.post(first_page, data=csrf(client, first_page))
    assert late.status_code == 409 and Page(late.get_data(as_text=True)).notices[0].startswith(
        "Trop tard")
    assert entry(runtime, ids["first"]).status == EntryStatus.WAITING


def test_a_slot_freed_inside_the_minimum_notice_is_offered_to_nobody(runtime, queue, clock):
    add_agent(runtime)
    appt = book(runtime, start=MONDAY_14H + timedelta(hours=1), client_email=None)
    _room(runtime)
    clock.set(MONDAY_14H - timedelta(minutes=30))  # 1 h 30 before: inside the 2 h notice
    _cancel(runtime, appt.id)
    run_due_jobs(runtime, queue)
    assert _offers(runtime) == {}


def test_an_offer_expires_and_its_link_then_gets_a_clear_410(app, runtime, queue, clock):
    add_agent(runtime)
    appt = book(runtime, start=TUESDAY_15H, client_email=None)
    _room(runtime)
    _cancel(runtime, appt.id)
    run_due_jobs(runtime, queue)
    page = short_target(runtime, _texts(runtime, FIRST)[0])
    client = app.test_client()
    token = csrf(client, page)
    clock.advance(minutes=runtime.settings.waitlist_offer_minutes, seconds=1)
    response = client.post(page, data=token)
    assert response.status_code == 410
    assert entry(runtime, _offers_entry(runtime)).status == EntryStatus.WAITING


def _offers_entry(runtime):
    with runtime.sessions() as session:
        return session.scalars(select(WaitlistOffer.entry_id)).first()


def test_a_client_holds_at_most_one_open_offer(runtime, queue):
    add_agent(runtime)
    one = book(runtime, start=TUESDAY_15H, client_email=None)
    two = book(runtime, start=TUESDAY_15H + timedelta(hours=1), client_phone="+33698765432",
               client_email=None)
    ids = _room(runtime)
    _cancel(runtime, one.id)
    _cancel(runtime, two.id)
    run_due_jobs(runtime, queue)
    with runtime.sessions() as session:
        offers = list(session.scalars(select(WaitlistOffer)))
    by_entry = [o.entry_id for o in offers if o.status == "offered"]
    assert sorted(by_entry) == sorted({ids["first"], ids["second"], ids["third"]})
    assert {o.starts_at for o in offers} == {TUESDAY_15H}  # the second slot found nobody free


def test_a_forged_offer_link_changes_nothing(app, runtime):
    forged = links.sign_offer("another-secret", runtime.now(), offer_id=1, lang="fr",
                              until=runtime.now() + timedelta(hours=1))
    client = app.test_client()
    response = client.post(f"/book/offer/{forged}", data=csrf(client, f"/book/offer/{forged}"))
    assert response.status_code == 404
    assert _offers(runtime) == {}
