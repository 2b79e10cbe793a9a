"""A client who solved it alone cancels from the link in any email we sent (R10): signed
link -> confirmation page -> closed "cancelled_by_client"; idempotent; a tampered or expired
link gets a clear page and changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from callq.models import EntryEvent
from callq.status import EntryStatus, Outcome
from callq.workspace.links import cancel_url
from tests.web.agent_pages import csrf_token, parse
from tests.workspace_data import add_entry, entry


def _path(runtime, entry_id):
    return cancel_url(runtime, entry_id).removeprefix(runtime.settings.public_base_url)


def _confirm(browser, path):
    page = browser.get(path)
    return page, parse(page.data)


def test_r10_the_link_asks_for_confirmation_and_a_get_changes_nothing(app, runtime):
    entry_id = add_entry(runtime)
    response, page = _confirm(app.test_client(), _path(runtime, entry_id))
    assert response.status_code == 200
    assert page.find("section", data_state="confirm")
    assert page.find("form").attrs["action"] == _path(runtime, entry_id)
    assert entry(runtime, entry_id).status == EntryStatus.WAITING


def test_r10_confirming_closes_the_entry_as_cancelled_by_the_client_once(app, runtime):
    entry_id = add_entry(runtime)
    browser = app.test_client()
    path = _path(runtime, entry_id)
    _, page = _confirm(browser, path)
    for _ in range(2):  # a second click, or a reload, says the same and changes nothing more
        done = browser.post(path, data={"csrf_token": csrf_token(page)})
        assert done.status_code == 200
    assert parse(done.data).find("section").attrs["data-state"] == "already_closed"
    closed = entry(runtime, entry_id)
    assert (closed.status, closed.outcome) == (EntryStatus.CLOSED, Outcome.CANCELLED_BY_CLIENT)
    with runtime.sessions() as session:
        events = session.scalars(select(EntryEvent).where(EntryEvent.entry_id == entry_id)).all()
    assert [(e.kind, e.actor, e.detail["outcome"]) for e in events] == [
        ("outcome", "client", "cancelled_by_client")]


def test_r10_a_tampered_link_is_refused_with_a_clear_page_and_changes_nothing(app, runtime):
    entry_id = add_entry(runtime)
    other = add_entry(runtime)
    path = _path(runtime, entry_id)
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    browser = app.test_client()
    response, page = _confirm(browser, tampered)
    assert response.status_code == 400
    assert "n'est pas valide" in page.find("p", role="alert").text
    token = csrf_token(parse(browser.get(_path(runtime, other)).data))
    assert browser.post(tampered, data={"csrf_token": token}).status_code == 400
    assert entry(runtime, entry_id).status == EntryStatus.WAITING


def test_r10_an_expired_link_is_refused_with_a_clear_page(app, runtime, clock):
    entry_id = add_entry(runtime)
    path = _path(runtime, entry_id)
    clock.advance(days=runtime.settings.cancel_link_max_age_days, seconds=1)
    response, page = _confirm(app.test_client(), path)
    assert response.status_code == 410
    assert "a expiré" in page.find("p", role="alert").text
    assert entry(runtime, entry_id).status == EntryStatus.WAITING


def test_r10_a_link_still_valid_on_its_last_day_works(app, runtime, clock):
    entry_id = add_entry(runtime)
    path = _path(runtime, entry_id)
    clock.advance(days=runtime.settings.cancel_link_max_age_days, seconds=-1)
    response, _ = _confirm(app.test_client(), path)
    assert response.status_code == 200


def test_r10_the_signed_link_alone_cancels_even_without_cookies(app, runtime):
    # The link is the capability (a forged form cannot know it); an email app's browser that
    # drops cookies must not stop a client from cancelling.
    entry_id = add_entry(runtime)
    response = app.test_client(use_cookies=False).post(_path(runtime, entry_id))
    assert response.status_code == 200
    assert entry(runtime, entry_id).status == EntryStatus.CLOSED


def test_r10_an_entry_with_an_appointment_points_to_the_invitation_s_link(app, runtime):
    entry_id = add_entry(runtime, status=EntryStatus.BOOKED)
    _, page = _confirm(app.test_client(), _path(runtime, entry_id))
    assert page.find("section").attrs["data-state"] == "booked"
    assert entry(runtime, entry_id).status == EntryStatus.BOOKED


def test_r10_the_cancel_page_speaks_english(app, runtime):
    entry_id = add_entry(runtime)
    _, page = _confirm(app.test_client(), _path(runtime, entry_id) + "?lang=en")
    assert page.find("button").text == "Yes, cancel my callback request"
