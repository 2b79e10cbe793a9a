"""Every email a client gets, parsed as they read it (issue 13): it names the request, gives the
hotline's number and a way forward, and each of its links opens a working page; notices about
an open entry carry the cancel link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from callq import db
from callq.models import WaitingEntry
from callq.workspace import notices
from scheduling.booking import cancel_appointment, move_appointment, send_booking_link
from tests.conftest import run_due_jobs
from tests.planner_support import MONDAY_14H, add_agent, book, received, text_of
from tests.workspace_data import add_client

NEED = "Impossible de facturer depuis ce matin"
HOTLINE = "04\u00a078\u00a000\u00a000\u00a002"
LINK = re.compile(r"https://callq\.example\.test/[^\s<>\"]+")


def _entry(runtime, client_id, **fields):
    with db.write(runtime.sessions) as session:
        entry = WaitingEntry(caller_number="+33612345678", client_id=client_id, need_text=NEED,
                             arrived_at=runtime.now(), queued_at=runtime.now(), **fields)
        session.add(entry)
        session.flush()
        return entry.id


def _read(app, runtime, mailer, key, *, cancel):
    """The email's text names the request and the hotline; each link opens a page (200)."""
    message = received(mailer, key)
    text = text_of(message)
    assert f"«\u00a0{NEED}\u00a0»" in text, text
    assert HOTLINE in text and "L'équipe du support technique" in text
    html = text_of(message, "html")
    assert NEED in html and HOTLINE in html
    found = LINK.findall(text)
    assert found, text
    client = app.test_client()
    for url in found:
        response = client.get(url.removeprefix("https://callq.example.test"))
        assert response.status_code == 200, (url, response.status_code)
    assert any("/cancel/" in url for url in found) == cancel
    return text, found


@pytest.mark.parametrize(("notice", "values", "cancel", "book"), [
    ("documentation", {"link": "https://docs.callq.invalid/tarifs", "chapter": "Tarifs"},
     False, False),
    ("out_of_scope", {"topic": "Windows"}, False, False),
    ("awaiting", {"attempts": 3}, True, True),
    ("reminder", {"n": 1}, True, True),
    ("closed", {}, False, False),
])
def test_every_workspace_email_names_the_request_the_hotline_and_a_way_forward(
        app, runtime, queue, mailer, clock, notice, values, cancel, book):
    entry_id = _entry(runtime, add_client(runtime), awaiting_since=clock.current)
    with db.write(runtime.sessions) as session:
        entry = session.get(WaitingEntry, entry_id)
        assert notices.send(session, runtime, entry, notice, key="t", **values) == "email"
    run_due_jobs(runtime, queue)
    if notice in ("documentation", "out_of_scope", "closed"):
        message = received(mailer, f"entry-{entry_id}-{notice}-t")
        text = text_of(message)
        assert f"«\u00a0{NEED}\u00a0»" in text and HOTLINE in text
        return
    _, found = _read(app, runtime, mailer, f"entry-{entry_id}-{notice}-t", cancel=cancel)
    assert any("/book/" in url for url in found) == book


def test_r10_links_of_a_client_waiting_notice_last_until_the_entry_closes_itself(
        app, runtime, queue, mailer, clock):
    entry_id = _entry(runtime, add_client(runtime), awaiting_since=clock.current)
    with db.write(runtime.sessions) as session:
        entry = session.get(WaitingEntry, entry_id)
        notices.send(session, runtime, entry, "awaiting", key="t", attempts=3)
    run_due_jobs(runtime, queue)
    found = LINK.findall(text_of(received(mailer, f"entry-{entry_id}-awaiting-t")))
    clock.advance(days=runtime.settings.client_close_days - 1)  # day 19: still valid
    client = app.test_client()
    for url in found:
        assert client.get(url.removeprefix("https://callq.example.test")).status_code == 200


def test_r13_the_booking_link_email_names_the_request_and_carries_the_cancel_link(
        app, runtime, queue, mailer):
    add_agent(runtime)
    entry_id = _entry(runtime, None)
    with db.write(runtime.sessions) as session:
        send_booking_link(session, runtime, entry_id=entry_id, client_id=None,
                          email="helene@clinique.example", phone=None, lang="fr")
    run_due_jobs(runtime, queue)
    [key] = mailer.sent
    _read(app, runtime, mailer, key, cancel=True)


@pytest.mark.parametrize("change", ["booked", "moved", "cancelled"])
def test_r13_every_appointment_email_names_the_request_and_the_hotline(
        app, runtime, queue, mailer, change):
    add_agent(runtime)
    entry_id = _entry(runtime, None)
    appt = book(runtime, entry_id=entry_id)
    key = f"appt-{appt.id}-seq-0-request"
    with db.write(runtime.sessions) as session:
        if change == "moved":
            move_appointment(session, runtime, appt.id, start=MONDAY_14H + timedelta(days=1))
            key = f"appt-{appt.id}-seq-1-request"
        if change == "cancelled":
            cancel_appointment(session, runtime, appt.id)
            key = f"appt-{appt.id}-seq-1-cancel"
    run_due_jobs(runtime, queue)
    _, found = _read(app, runtime, mailer, key, cancel=False)
    wanted = "/book/" if change == "cancelled" else "/book/appointment/"
    assert any(wanted in url for url in found)


def test_r13_the_manage_link_of_a_far_appointment_outlives_the_set_link_age(
        app, runtime, queue, mailer, clock):
    add_agent(runtime)
    start = MONDAY_14H + timedelta(days=16)  # Wednesday 15 April, past LINK_MAX_AGE_DAYS (14)
    appt = book(runtime, start=start, entry_id=_entry(runtime, None))
    run_due_jobs(runtime, queue)
    found = LINK.findall(text_of(received(mailer, f"appt-{appt.id}-seq-0-request")))
    clock.advance(days=15)
    client = app.test_client()
    assert all(client.get(u.removeprefix("https://callq.example.test")).status_code == 200
               for u in found)
