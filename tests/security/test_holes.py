"""Issue 9's findings, one test each: every one of them failed before its fix. Each runs on
SQLite and PostgreSQL (the `app` fixture), through HTTP as the attacker sent it."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from callq import agents, db
from callq.models import Appointment, Message, UsedToken, WaitingEntry
from callq.status import EntryStatus, Outcome
from callq.web_headers import CONTENT_SECURITY_POLICY
from callq.workspace import client_cancel, requalify
from scheduling.links import booking_link
from tests.conftest import run_due_jobs
from tests.voice_support import (
    incoming,
    post,
    record_action,
    recording_sid,
    recording_url,
    speech,
)
from tests.web.agent_pages import log_in, token_of
from tests.workspace_data import PASSWORD, add_agent, add_client, add_entry

AFTERNOON = "20260330T{:02d}00Z"  # Monday 30 March, on the hour, UTC (afternoon in Paris)


def _count(runtime, model, *where) -> int:
    with db.read(runtime.sessions) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _book_path(runtime, entry_id=None) -> str:
    url = booking_link(runtime, entry_id=entry_id, client_id=None, phone="+33612345678",
                       email="roux@example.test", lang="fr", name="Roux")
    return url.removeprefix(runtime.settings.public_base_url)


def _book(client, path: str, hour: int):
    return client.post(path, data={"name": "Roux", "email": "roux@example.test",
                                   "phone": "+33612345678", "start": AFTERNOON.format(hour)})


# --- 1. a spent link books again with a suffix -------------------------------------------

def test_r13_a_spent_booking_link_with_any_suffix_is_refused_and_books_nothing(app, runtime):
    add_agent(runtime, "Fuzz")
    path = _book_path(runtime)
    client = app.test_client()
    assert _book(client, path, 12).status_code == 303
    for suffix in ("%C3%A9", "%E2%80%8B", "A", "é"):
        assert client.get(path + suffix).status_code == 400
        assert _book(client, path + suffix, 13).status_code == 400
    assert _book(client, path, 13).status_code == 410  # the link itself stays spent
    assert _count(runtime, Appointment) == 1
    assert _count(runtime, UsedToken) == 1


# --- 2. open redirect after login --------------------------------------------------------

def test_login_follows_only_same_site_paths_and_never_answers_500(app, runtime):
    add_agent(runtime, "Fuzz", email="fuzz@example.test")
    for raw in ("/\t/evil.example/phish", "/\n/x", "//evil.example/x", "/\\evil.example",
                "https://evil.example/", "/agents/\x7f"):
        client = app.test_client()
        response = log_in_with_next(client, raw)
        assert response.status_code == 302, raw
        assert response.headers["Location"] == "/agents/", raw
    client = app.test_client()
    assert client.get("/login?next=/%0A/x").status_code == 200
    assert log_in_with_next(client, "/planner/?all=1").headers["Location"] == "/planner/?all=1"


def log_in_with_next(client, next_url: str):
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    return client.post("/login", data={"email": "fuzz@example.test", "password": PASSWORD,
                                       "csrf_token": token, "next": next_url})


# --- 3. logout, disabling and a new password end every copy of a session ----------------

def _stolen_cookie(app, runtime, email: str):
    browser = app.test_client()
    assert log_in(browser, email).status_code == 302
    thief = app.test_client()
    cookie = browser.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    assert thief.get("/agents/").status_code == 200
    return browser, thief


def test_logout_ends_every_copy_of_the_session(app, runtime):
    add_agent(runtime, "Fuzz", email="fuzz@example.test")
    browser, thief = _stolen_cookie(app, runtime, "fuzz@example.test")
    assert browser.post("/logout", data={"csrf_token": token_of(browser)}).status_code == 302
    assert thief.get("/agents/").status_code == 401
    assert log_in(app.test_client(), "fuzz@example.test").status_code == 302  # may come back


def test_disabling_an_agent_or_changing_their_password_ends_their_sessions(app, runtime):
    add_agent(runtime, "Fuzz", email="fuzz@example.test")
    add_agent(runtime, "Other", email="other@example.test", phone="+33612000009")
    _, fuzz = _stolen_cookie(app, runtime, "fuzz@example.test")
    _, other = _stolen_cookie(app, runtime, "other@example.test")
    assert agents.change_password(runtime, "FUZZ@example.test", "a new long password")
    assert fuzz.get("/agents/").status_code == 401
    assert other.get("/agents/").status_code == 200  # only that agent's sessions end
    assert agents.disable_agent(runtime, "other@example.test")
    assert other.get("/agents/").status_code == 401
    assert log_in(app.test_client(), "fuzz@example.test", "a new long password").status_code == 302


# --- 4. an old booking link never reopens a merged or closed entry ----------------------

def test_r08_r13_a_link_naming_a_merged_entry_books_the_entry_that_absorbed_it(app, runtime):
    agent = add_agent(runtime, "Fuzz")
    client_id = add_client(runtime)
    survivor = add_entry(runtime, client_id=client_id)
    merged = add_entry(runtime, client_id=client_id)
    path = _book_path(runtime, merged)
    requalify.merge(runtime, agent_id=agent, entry_id=survivor, version=1, other_id=merged,
                    reason="same need")
    assert _book(app.test_client(), path, 12).status_code == 303
    with db.read(runtime.sessions) as session:
        assert session.get(WaitingEntry, merged).status == EntryStatus.CLOSED
        assert session.get(WaitingEntry, survivor).status == EntryStatus.BOOKED
        assert session.scalar(select(Appointment.entry_id)) == survivor
    assert _count(runtime, WaitingEntry) == 2


def test_r08_r13_a_link_naming_a_closed_entry_books_a_new_entry_for_the_same_need(app, runtime):
    add_agent(runtime, "Fuzz")
    closed = add_entry(runtime, "Sauvegarde impossible")
    path = _book_path(runtime, closed)
    assert client_cancel.cancel_by_client(runtime, closed) == "cancelled"
    assert _book(app.test_client(), path, 12).status_code == 303
    with db.read(runtime.sessions) as session:
        old = session.get(WaitingEntry, closed)
        assert (old.status, old.outcome) == (EntryStatus.CLOSED, Outcome.CANCELLED_BY_CLIENT)
        fresh = session.get(WaitingEntry, session.scalar(select(Appointment.entry_id)))
        assert fresh.id != closed
        assert (fresh.status, fresh.need_text) == (EntryStatus.BOOKED, "Sauvegarde impossible")
        assert [e.kind for e in fresh.events][:1] == ["renewed"]


# --- no 500, ever: the findings of the list -----------------------------------------------

def test_unicode_digits_and_ids_beyond_the_columns_are_4xx(app, runtime):
    add_agent(runtime, "Fuzz", email="fuzz@example.test")
    entry = add_entry(runtime)
    api = app.test_client()
    bearer = {"Authorization": "Bearer test-api-token"}
    for query in ("limit=²", "offset=²", "limit=١٢", "offset=9223372036854775808"):
        assert api.get(f"/api/waiting-room?{query}", headers=bearer).status_code == 400
    for big in (2**31, 2**63, 10**30):
        assert api.get(f"/api/entries/{big}", headers=bearer).status_code == 404
    agent = app.test_client()
    log_in(agent, "fuzz@example.test")
    token = token_of(agent)
    assert agent.get(f"/agents/entries/{2**31}").status_code == 404
    assert agent.get("/agents/?page=9223372036854775808").status_code == 200
    assert agent.get(f"/planner/book?entry={2**40}").status_code == 200
    for field, value in (("version", "²"), ("other_id", "²"), ("version", str(2**40))):
        form = {"csrf_token": token, "version": "1", "reason": "r", field: value}
        status = agent.post(f"/agents/entries/{entry}/merge", data=form).status_code
        assert status == 400, (field, value)


def test_nul_bytes_are_refused_before_any_database_sees_them(app, runtime):
    add_agent(runtime, "Fuzz", email="fuzz@example.test")
    client = app.test_client()
    assert client.get("/feed/abc%00.ics").status_code == 400
    headers = {"Authorization": "Bearer test-api-token"}
    assert client.get("/api/waiting-room?q=%00", headers=headers).status_code == 400
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert client.post("/login", data={"email": "a\x00@x.y", "password": "p" * 8,
                                       "csrf_token": token}).status_code == 400
    assert _book(client, _book_path(runtime) + "", 12).status_code == 303
    name = {"name": "R\x00", "email": "", "phone": "+33612345678", "start": AFTERNOON.format(13)}
    assert client.post(_book_path(runtime), data=name).status_code == 400
    response = post(client, "/twilio/gather?lang=fr", speech(1, "Serveur\x00 en panne"))
    assert response.status_code == 400 and response.is_json
    assert _count(runtime, Message) == 0


def test_overlong_login_email_is_refused_like_any_wrong_login(app, runtime):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/login", data={"email": "a" * 400 + "@x.y", "password": "p" * 8,
                                            "csrf_token": token})
    assert response.status_code == 401


def test_signed_webhooks_with_values_out_of_range_are_4xx_and_change_nothing(app, runtime):
    client = app.test_client()
    for at in ("9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+14:00"):
        response = post(client, "/twilio/voice", {**incoming(1), "CallqSimulatedAt": at})
        assert response.status_code == 400 and "CallqSimulatedAt" in response.json["reason"]
    for url in ("https://[::1/x", recording_url(1) + "x" * 500):
        response = post(client, "/twilio/record", {**record_action(1), "RecordingUrl": url})
        assert response.status_code == 400 and "RecordingUrl" in response.json["reason"]
    assert _count(runtime, Message) == 0
    assert post(client, "/twilio/record", record_action(1)).status_code == 200
    reused = {**record_action(2), "RecordingSid": recording_sid(1)}
    response = post(client, "/twilio/record", reused)
    assert response.status_code == 409 and "another call" in response.json["reason"]
    assert _count(runtime, Message) == 1


def test_r05_a_recording_of_a_call_never_announced_is_filed_not_left_orphan(app, runtime, clock,
                                                                           queue):
    assert post(app.test_client(), "/twilio/record", record_action(7)).status_code == 200
    clock.advance(minutes=16)  # past the safety net
    from callq.effects import reconcile

    reconcile(runtime)
    run_due_jobs(runtime, queue)
    with db.read(runtime.sessions) as session:
        message = session.scalar(select(Message))
        assert message.entry_id is not None


def test_an_agent_name_with_a_line_break_keeps_their_calendar_feed(app, runtime):
    import icalendar

    agent = add_agent(runtime, "Line\nBreak", email="line@example.test")
    with db.read(runtime.sessions) as session:
        from callq.models import Agent

        feed_token = session.get(Agent, agent).feed_token
    response = app.test_client().get(f"/feed/{feed_token}.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.data)
    assert str(calendar["X-WR-CALNAME"]).endswith("Line Break")


def test_r05_a_very_long_speech_result_is_capped_and_filed(app, runtime):
    from callq.intake import SPEECH_MAX

    need = "Le serveur est en panne " + "a" * 1_000_000  # about 1 MB
    response = post(app.test_client(), "/twilio/gather?lang=fr", speech(3, need))
    assert response.status_code == 200
    with db.read(runtime.sessions) as session:
        kept = session.scalar(select(Message.speech_text))
    assert len(kept) == SPEECH_MAX and need.startswith(kept)


# --- also: headers, the login limit under a burst ------------------------------------------

def test_every_page_carries_the_security_headers(app, runtime):
    client = app.test_client()
    for path in ("/login", "/book/nope", "/cancel/nope", "/agents/"):
        headers = client.get(path).headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "script-src 'self'" in CONTENT_SECURITY_POLICY
        assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert "Strict-Transport-Security" not in headers  # production only
    page = client.get("/login").get_data(as_text=True)
    assert "<script>" not in page and "<style>" not in page and " onclick=" not in page


def test_the_login_limit_holds_under_a_parallel_burst(app, runtime):
    add_agent(runtime, "Fuzz", email="fuzz@example.test")
    results: list[object] = []

    def attempt() -> None:
        try:
            results.append(agents.authenticate(runtime, "fuzz@example.test", "wrong guess!",
                                               "203.0.113.9"))
        except agents.TooManyFailures as limited:
            results.append(limited)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    checked = [r for r in results if not isinstance(r, agents.TooManyFailures)]
    assert len(results) == 20
    assert len(checked) == runtime.settings.login_max_failures  # 5 checked, 15 refused
    assert all(r is None for r in checked)

