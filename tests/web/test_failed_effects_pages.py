"""Failed work is visible and retryable (issue 10): the administrators' page of failed effects,
403 for agents, and the badge on the entry and the appointment whose notice failed."""

from __future__ import annotations

from sqlalchemy import select

from callq import db, effects
from callq.models import SideEffect
from callq.notify import queue_email
from callq.ports import PermanentFailure
from callq.status import EffectStatus
from tests.conftest import run_due_jobs
from tests.planner_support import add_agent as add_planner_agent
from tests.planner_support import book
from tests.web.agent_pages import csrf_token, log_in, parse
from tests.workspace_data import add_agent, add_entry


def _failed_notice(runtime, queue, mailer, key):
    with db.write(runtime.sessions) as session:
        effect_id = queue_email(session, runtime, key=key, to="client@example.com",
                                subject="Votre demande", text="Bonjour")
    mailer.failures.append(PermanentFailure("mx.example refused the email: 550 no such user"))
    run_due_jobs(runtime, queue)
    return effect_id


def _admin(app, runtime):
    add_agent(runtime, "Alix", email="alix@desk.example", admin=True)
    client = app.test_client()
    log_in(client, "alix@desk.example")
    return client


def _status(runtime, effect_id):
    with runtime.sessions() as session:
        return session.scalar(select(SideEffect.status).where(SideEffect.id == effect_id))


def test_an_administrator_sees_failed_effects_with_their_error_and_retries_one(app, runtime,
                                                                              queue, mailer):
    entry_id = add_entry(runtime)
    failed = _failed_notice(runtime, queue, mailer, f"entry-{entry_id}-documentation-x")
    other = _failed_notice(runtime, queue, mailer, "booking-link-abc-email")
    client = _admin(app, runtime)
    page = parse(client.get("/admin/effects").data)
    rows = {row.attrs["data-id"]: row for row in page.find_all("tr", class_="effect")}
    assert set(rows) == {str(failed), str(other)}
    assert "550 no such user" in rows[str(failed)].find("td", class_="error").text
    assert rows[str(failed)].find("a").attrs["href"] == f"/agents/entries/{entry_id}"
    response = client.post("/admin/effects/retry", data={
        "effect_id": str(failed), "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert (_status(runtime, failed), _status(runtime, other)) == \
        (EffectStatus.PENDING, EffectStatus.FAILED)
    assert queue.jobs == [(effects.JOB, (failed,))]  # handed to the workers at once
    run_due_jobs(runtime, queue)
    assert _status(runtime, failed) == EffectStatus.DONE
    later = parse(client.get("/admin/effects").data)
    assert [row.attrs["data-id"] for row in later.find_all("tr", class_="effect")] == [str(other)]


def test_retry_all_puts_every_failed_effect_back_to_work(app, runtime, queue, mailer):
    ids = [_failed_notice(runtime, queue, mailer, f"k-{n}") for n in range(3)]
    client = _admin(app, runtime)
    token = csrf_token(parse(client.get("/admin/effects").data))
    client.post("/admin/effects/retry", data={"all": "1", "csrf_token": token})
    assert [_status(runtime, i) for i in ids] == [EffectStatus.PENDING] * 3


def test_a_retry_without_a_choice_is_a_400_with_the_reason(app, runtime, queue, mailer):
    _failed_notice(runtime, queue, mailer, "k-1")
    client = _admin(app, runtime)
    token = csrf_token(parse(client.get("/admin/effects").data))
    for form in ({}, {"effect_id": "abc"}):
        response = client.post("/admin/effects/retry", data={**form, "csrf_token": token})
        assert response.status_code == 400
        assert "Cochez au moins un envoi" in parse(response.data).find(class_="error").text


def test_agents_who_are_not_administrators_get_403(app, runtime):
    add_agent(runtime, "Camille", email="camille@desk.example")
    client = app.test_client()
    assert client.get("/admin/effects").status_code == 401  # not logged in: the login form
    log_in(client, "camille@desk.example")
    assert client.get("/admin/effects").status_code == 403
    token = csrf_token(parse(client.get("/agents/").data))
    assert client.post("/admin/effects/retry",
                       data={"all": "1", "csrf_token": token}).status_code == 403


def test_the_entry_page_shows_that_a_notice_to_the_client_failed(app, runtime, queue, mailer):
    entry_id, quiet_id = add_entry(runtime), add_entry(runtime, caller="+33698765432")
    _failed_notice(runtime, queue, mailer, f"entry-{entry_id}-awaiting-2026-03-30")
    client = _admin(app, runtime)
    badge = parse(client.get(f"/agents/entries/{entry_id}").data).find_all(
        class_="notice-failed")
    assert [b.text for b in badge] == ["Un message au client n'a pas pu être envoyé"]
    assert parse(client.get(f"/agents/entries/{quiet_id}").data).find_all(
        class_="notice-failed") == []


def test_the_planner_list_shows_the_appointment_whose_notice_failed(app, runtime, queue, mailer):
    client = _admin(app, runtime)
    add_planner_agent(runtime)
    appt = book(runtime)
    run_due_jobs(runtime, queue)  # its confirmation went out
    assert parse(client.get("/planner/?all=1").data).find_all(class_="notice-failed") == []
    _failed_notice(runtime, queue, mailer, f"appt-{appt.id}-seq-9-request")
    page = parse(client.get("/planner/?all=1").data)
    row = next(r for r in page.find_all("tr", class_="appointment")
               if r.attrs["data-id"] == str(appt.id))
    assert row.find_all(class_="notice-failed")
