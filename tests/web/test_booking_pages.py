"""Client pages (R12, R13): book from a signed link, then see, move or cancel; bad links get a
clear 4xx page and change nothing. Pages are read with html.parser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from callq.app import create_app
from callq.models import Appointment, SideEffect, UsedToken
from callq.status import AppointmentStatus
from scheduling import links
from tests.conftest import run_due_jobs, settings_for
from tests.planner_support import (
    MONDAY_14H,
    SLOT,
    Page,
    add_agent,
    add_entry,
    appointment,
    calendar_of,
    csrf,
    entry,
    received,
)
from tests.unit.test_invitations import read_all


def _link(runtime, lang="fr", **changes):
    fields = dict(entry_id=None, client_id=None, phone="+33612345678",
                  email="helene@clinique.example", lang=lang, name="Hélène Dupont")
    fields.update(changes)
    return "/book/" + links.booking_link(runtime, **fields).split("/book/")[1]


def _book(client, path, at=MONDAY_14H, **form):
    data = {"start": links.start_stamp(at), **csrf(client, path)}
    data.update(form)
    return client.post(path, data=data)


def _counts(runtime):
    with runtime.sessions() as session:
        return (session.scalar(select(func.count(Appointment.id))),
                session.scalar(select(func.count(UsedToken.id))),
                session.scalar(select(func.count(SideEffect.id))))


def test_r13_the_page_lists_free_slots_by_day_in_french_local_time(app, runtime):
    add_agent(runtime)
    page = Page(app.test_client().get(_link(runtime)).get_data(as_text=True))
    assert page.days[:2] == ["lundi 30 mars 2026", "mardi 31 mars 2026"]
    assert page.times[0] == "20260330T1200Z" and page.labels[0] == "14\u00a0h\u00a000"
    assert len([t for t in page.times if t.startswith("20260330")]) == 8  # 14:00 to 17:30
    assert page.fields["name"] == "Hélène Dupont"
    assert page.fields["phone"] == "06\u00a012\u00a034\u00a056\u00a078"  # as the client writes it


def test_r13_the_page_speaks_the_link_s_language_and_switches_on_request(app, runtime):
    add_agent(runtime)
    client = app.test_client()
    english = Page(client.get(_link(runtime, lang="en")).get_data(as_text=True))
    assert english.days[0] == "Monday 30 March 2026" and english.labels[0] == "14:00"
    french = Page(client.get(_link(runtime, lang="en") + "?lang=fr").get_data(as_text=True))
    assert french.days[0] == "lundi 30 mars 2026"


def test_r12_slots_on_the_autumn_dst_day_show_the_right_local_time(app, runtime, clock):
    add_agent(runtime)
    clock.set(datetime(2026, 10, 23, 8, 0, tzinfo=UTC))  # Friday; clocks go back on Sunday
    page = Page(app.test_client().get(_link(runtime)).get_data(as_text=True))
    monday = page.days.index("lundi 26 octobre 2026")
    assert page.days[monday - 1] == "vendredi 23 octobre 2026"
    assert "20261026T1300Z" in page.times  # 14:00 in Paris is 13:00 UTC in winter time
    index = page.times.index("20261026T1300Z")
    assert page.labels[index] == "14\u00a0h\u00a000"


def test_r12_bern_slots_follow_zurich_time_on_both_sides_of_spring_forward(tmp_path, engine,
                                                                             clock, queue):
    bern = create_app(settings_for(tmp_path, engine, calendar="bern"),
                      adapters={"engine": engine, "queue": queue}, clock=clock)
    runtime = bern.extensions["callq"]
    add_agent(runtime)
    clock.set(datetime(2026, 3, 27, 7, 0, tzinfo=UTC))  # Friday; clocks go forward on Sunday
    page = Page(bern.test_client().get(_link(runtime)).get_data(as_text=True))
    assert page.days[:2] == ["vendredi 27 mars 2026", "lundi 30 mars 2026"]
    friday = [(t, label) for t, label in zip(page.times, page.labels[:len(page.times)], strict=True)
              if t.startswith("20260327")]
    assert friday[0] == ("20260327T1230Z", "13\u00a0h\u00a030")  # CET, UTC+1
    assert friday[-1] == ("20260327T1530Z", "16\u00a0h\u00a030")  # Friday closes at 17:00
    monday = page.times.index("20260330T1130Z")  # CEST, UTC+2
    assert page.labels[monday] == "13\u00a0h\u00a030"


def test_r13_booking_redirects_to_the_appointment_and_spends_the_link(app, runtime, queue,
                                                                      mailer):
    add_agent(runtime)
    client = app.test_client()
    path = _link(runtime)
    response = _book(client, path, name="Hélène Dupont")
    assert response.status_code == 303
    manage = Page(client.get(response.headers["Location"]).get_data(as_text=True))
    assert manage.error is None and manage.notices[0].startswith("C'est réservé")
    move = Page(client.get(response.headers["Location"].split("?")[0] + "/move")
                .get_data(as_text=True))
    assert move.error is None and move.times  # times it can move to
    run_due_jobs(runtime, queue)
    [key] = mailer.sent
    assert read_all(calendar_of(received(mailer, key)))[:5] == (
        "REQUEST", "appt-1@callq.example.test", 0, "CONFIRMED", MONDAY_14H)


def test_r13_a_reused_link_gets_a_clear_page_and_changes_nothing(app, runtime):
    add_agent(runtime)
    client = app.test_client()
    path = _link(runtime)
    assert _book(client, path).status_code == 303
    before = _counts(runtime)
    again = client.get(path)
    assert again.status_code == 410 and Page(again.get_data(as_text=True)).reason == "used"
    posted = _book(client, path, at=MONDAY_14H + SLOT)
    assert posted.status_code == 410
    assert _counts(runtime) == before


@pytest.mark.parametrize(("spoil", "status", "reason"), [
    pytest.param(lambda p: p[:-3] + ("AAA" if not p.endswith("AAA") else "BBB"), 400, "invalid",
                 id="tampered-signature"),
    pytest.param(lambda p: p.replace("/book/", "/book/x"), 400, "invalid", id="tampered-payload"),
    pytest.param(lambda p: "/book/not-a-token", 400, "invalid", id="garbage"),
])
def test_r13_a_tampered_link_gets_a_clear_page_and_changes_nothing(app, runtime, spoil, status,
                                                                   reason):
    add_agent(runtime)
    client = app.test_client()
    csrf(client, _link(runtime))  # the client had opened the genuine link before
    path = spoil(_link(runtime))
    before = _counts(runtime)
    for response in (client.get(path), _book(client, path)):
        assert response.status_code == status
        assert Page(response.get_data(as_text=True)).reason == reason
    assert _counts(runtime) == before


def test_r13_an_expired_link_gets_a_clear_page_and_changes_nothing(app, runtime, clock):
    add_agent(runtime)
    client = app.test_client()
    path = _link(runtime)
    csrf(client, path)  # opened while still valid, submitted too late
    clock.advance(days=runtime.settings.link_max_age_days, seconds=1)
    before = _counts(runtime)
    for response in (client.get(path), _book(client, path, at=clock.current + timedelta(
            days=1))):
        assert response.status_code == 410
        assert Page(response.get_data(as_text=True)).reason == "expired"
    assert _counts(runtime) == before


def test_r12_a_taken_slot_answers_409_with_the_next_free_times(app, runtime):
    add_agent(runtime)
    client = app.test_client()
    assert _book(client, _link(runtime)).status_code == 303
    other = _link(runtime, phone="+33698765432", email="marc@cabinet.example")
    response = _book(client, other)
    page = Page(response.get_data(as_text=True))
    assert (response.status_code, page.error) == (409, "taken")
    assert page.times[0] == links.start_stamp(MONDAY_14H + SLOT)
    assert _book(client, other, at=MONDAY_14H + SLOT).status_code == 303  # link not spent


@pytest.mark.parametrize(("form", "error"), [
    ({"start": "20260330T1200"}, "start"),
    ({"phone": "12"}, "phone"),
    ({"email": "not-an-address"}, "email"),
])
def test_r13_bad_form_input_gets_400_with_the_reason_and_books_nothing(app, runtime, form,
                                                                       error):
    add_agent(runtime)
    client = app.test_client()
    path = _link(runtime)
    response = _book(client, path, **form)
    assert (response.status_code, Page(response.get_data(as_text=True)).error) == (400, error)
    assert _counts(runtime)[:2] == (0, 0)


def test_r13_booking_from_an_entry_s_link_hands_the_entry_over(app, runtime):
    add_agent(runtime)
    entry_id = add_entry(runtime)
    assert _book(app.test_client(), _link(runtime, entry_id=entry_id)).status_code == 303
    assert entry(runtime, entry_id).status == "booked"


def _booked(app, runtime):
    client = app.test_client()
    response = _book(client, _link(runtime))
    return client, response.headers["Location"].split("?")[0]


def test_r13_moving_from_the_page_sends_a_higher_sequence_and_outdates_the_old_link(
        app, runtime, queue, mailer):
    add_agent(runtime)
    client, manage = _booked(app, runtime)
    later = MONDAY_14H + timedelta(days=1)
    response = client.post(manage + "/move", data={"start": links.start_stamp(later),
                                                   **csrf(client, manage + "/move")})
    assert response.status_code == 303 and response.headers["Location"] != manage
    assert appointment(runtime, 1).starts_at == later
    stale = client.get(manage)
    assert stale.status_code == 410 and Page(stale.get_data(as_text=True)).reason == "stale"
    assert client.get(response.headers["Location"]).status_code == 200
    run_due_jobs(runtime, queue)
    moved = read_all(calendar_of(received(mailer, "appt-1-seq-1-request")))
    assert moved[:5] == ("REQUEST", "appt-1@callq.example.test", 1, "CONFIRMED", later)


def test_r13_cancelling_from_the_page_sends_cancel_and_the_link_then_refuses(app, runtime, queue,
                                                                            mailer):
    add_agent(runtime)
    client, manage = _booked(app, runtime)
    response = client.post(manage + "/cancel", data=csrf(client, manage + "/cancel"))
    assert response.status_code == 200
    assert appointment(runtime, 1).status == AppointmentStatus.CANCELLED
    again = client.post(manage + "/cancel", data=csrf(client, manage))
    assert again.status_code == 410
    run_due_jobs(runtime, queue)
    assert read_all(calendar_of(received(mailer, "appt-1-seq-1-cancel")))[:4] == (
        "CANCEL", "appt-1@callq.example.test", 1, "CANCELLED")


def test_r13_a_forged_manage_link_gets_400_and_moves_nothing(app, runtime):
    add_agent(runtime)
    client, manage = _booked(app, runtime)
    forged = links.sign_manage("another-secret", runtime.now(), appointment_id=1, sequence=0,
                               lang="fr")
    response = client.post(f"/book/appointment/{forged}/move",
                           data={"start": links.start_stamp(MONDAY_14H + SLOT),
                                 **csrf(client, manage)})
    assert response.status_code == 400
    assert appointment(runtime, 1).starts_at == MONDAY_14H


def test_r13_a_past_appointment_cannot_be_moved_from_its_link(app, runtime, clock):
    add_agent(runtime)
    client, manage = _booked(app, runtime)
    clock.set(MONDAY_14H + SLOT)
    response = client.get(manage)
    assert response.status_code == 410 and Page(response.get_data(as_text=True)).reason == \
        "closed"


def test_r13_a_client_without_cookies_books_from_the_signed_link_alone(app, runtime):
    # An email app's in-app browser may drop cookies between the page and the POST: the
    # signed link is the capability, so the booking must not depend on a session token.
    add_agent(runtime)
    path = _link(runtime)
    response = app.test_client(use_cookies=False).post(
        path, data={"start": links.start_stamp(MONDAY_14H), "name": "Hélène Dupont"})
    assert response.status_code == 303
    assert _counts(runtime)[0] == 1


def test_r13_the_confirmation_offers_google_outlook_and_an_ics_with_the_invitation_s_uid(
        app, runtime):
    add_agent(runtime)
    client, manage = _booked(app, runtime)
    html = client.get(manage + "?booked=1").get_data(as_text=True)
    assert "calendar.google.com" in html and "outlook.live.com" in html
    ics = client.get(manage + "/calendar.ics")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    assert "attachment" in ics.headers["Content-Disposition"]
    assert read_all(ics.get_data())[1:3] == ("appt-1@callq.example.test", 0)


def test_r13_inside_the_minimum_notice_moving_and_cancelling_are_refused_with_the_hotline(
        app, runtime, clock):
    add_agent(runtime)
    client, manage = _booked(app, runtime)
    clock.set(MONDAY_14H - timedelta(minutes=runtime.settings.change_notice_minutes - 1))
    for action, form in (("/move", {"start": links.start_stamp(MONDAY_14H + SLOT)}),
                         ("/cancel", {})):
        response = client.post(manage + action, data={**form, **csrf(client, manage)})
        page = Page(response.get_data(as_text=True))
        assert (response.status_code, page.error) == (409, "too_late")
        assert "04\u00a078\u00a000\u00a000\u00a002" in response.get_data(as_text=True)
    assert appointment(runtime, 1).status == AppointmentStatus.BOOKED
    assert appointment(runtime, 1).starts_at == MONDAY_14H


@pytest.mark.parametrize(("code", "status"), [("notacode00", 404), ("été", 404), ("x" * 40, 404)])
def test_a_bad_short_link_gets_a_clear_page(app, code, status):
    response = app.test_client().get(f"/r/{code}")
    assert response.status_code == status
    assert Page(response.get_data(as_text=True)).reason == "invalid"


def test_a_short_link_leads_to_its_page_until_it_expires_then_410(app, runtime, clock):
    from callq import db, short_links

    with db.write(runtime.sessions) as session:
        url = short_links.shorten(session, runtime, runtime.url("/book/x"),
                                  runtime.now() + timedelta(days=1))
    code = url.rsplit("/", 1)[1]
    assert len(code) == 10
    client = app.test_client()
    response = client.get(f"/r/{code}")
    assert (response.status_code, response.headers["Location"]) == (
        302, "https://callq.example.test/book/x")
    clock.advance(days=1)
    expired = client.get(f"/r/{code}")
    assert expired.status_code == 410 and Page(expired.get_data(as_text=True)).reason == \
        "expired"
