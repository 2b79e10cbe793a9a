"""Outcomes (R10): solved, documentation (the chapter's link is emailed), out of scope (the
standard text), booked (the planner's link), no answer (an attempt; back after the delay; after
the last one the client is reminded on days 10 and 15 and the entry closes on day 20)."""

from __future__ import annotations

from datetime import timedelta
from email import policy
from email.parser import BytesParser

import pytest
from sqlalchemy import select

from callq import db, effects
from callq.models import EntryEvent, GatewayRecord, SideEffect
from callq.status import EntryStatus, Outcome
from callq.workspace import claims, outcomes
from callq.workspace.errors import HeldByAnother, Refused, Stale
from tests.conftest import run_due_jobs
from tests.workspace_data import add_agent, add_client, add_entry, entry, version


def _claimed(runtime, **entry_args):
    agent = add_agent(runtime)
    entry_id = add_entry(runtime, **entry_args)
    assert claims.claim_next(runtime, agent) == entry_id
    return agent, entry_id


def _record(runtime, agent, entry_id, outcome, **extra):
    return outcomes.record_outcome(runtime, agent_id=agent, entry_id=entry_id,
                                   version=version(runtime, entry_id), outcome=outcome, **extra)


def _mail(mailer, key_part):
    keys = [k for k in mailer.sent if key_part in k]
    assert len(keys) == 1, list(mailer.sent)
    message = BytesParser(policy=policy.default).parsebytes(mailer.sent[keys[0]].as_bytes())
    return message, message.get_body(preferencelist=("plain",)).get_content()


def _events(runtime, entry_id, kind=None):
    with runtime.sessions() as session:
        query = select(EntryEvent).where(EntryEvent.entry_id == entry_id).order_by(EntryEvent.id)
        found = session.scalars(query).all()
    return [e for e in found if kind is None or e.kind == kind]


def test_r10_solved_closes_the_entry_and_keeps_who_and_why(runtime):
    agent, entry_id = _claimed(runtime)
    _record(runtime, agent, entry_id, "solved", note="Paramètre d'impression corrigé")
    closed = entry(runtime, entry_id)
    assert (closed.status, closed.outcome, closed.claimed_by) == (EntryStatus.CLOSED,
                                                                  Outcome.SOLVED, None)
    assert closed.closed_at == runtime.now()
    event = _events(runtime, entry_id, "outcome")[0]
    assert (event.agent_id, event.actor, event.reason) == (agent, "agent",
                                                           "Paramètre d'impression corrigé")


def test_r10_documentation_emails_the_link_of_the_chosen_chapter(runtime, queue, mailer):
    client = add_client(runtime)
    agent, entry_id = _claimed(runtime, client_id=client)
    link = _record(runtime, agent, entry_id, "documentation", chapter="impressions")
    assert link == "https://docs.callq.invalid/impressions"
    run_due_jobs(runtime, queue)
    message, body = _mail(mailer, "documentation")
    assert message["To"] == "accueil@lilas.example"
    assert "https://docs.callq.invalid/impressions" in body.split()
    assert "«\u00a0Impressions\u00a0»" in body
    assert entry(runtime, entry_id).outcome == Outcome.DOCUMENTATION


def test_r10_documentation_for_a_caller_without_email_is_sent_by_sms(runtime, queue):
    agent, entry_id = _claimed(runtime, caller="+33698765432")
    _record(runtime, agent, entry_id, "documentation", chapter="tarifs")
    run_due_jobs(runtime, queue)
    with runtime.sessions() as session:
        sms = session.scalars(select(GatewayRecord)).one()  # no Twilio account: logged
    assert (sms.kind, sms.to_number) == ("sms", "+33698765432")
    from tests.planner_support import short_target

    assert short_target(runtime, sms.body) == "https://docs.callq.invalid/tarifs"
    assert '"Impossible de facturer' in sms.body  # the request it is about


def test_r10_documentation_without_a_chapter_is_refused_and_changes_nothing(runtime):
    agent, entry_id = _claimed(runtime)
    before = version(runtime, entry_id)
    with pytest.raises(Refused) as refused:
        _record(runtime, agent, entry_id, "documentation", chapter="../admin")
    assert refused.value.status == 400
    assert (entry(runtime, entry_id).status, version(runtime, entry_id)) == (
        EntryStatus.CLAIMED, before)


def test_r10_out_of_scope_sends_the_see_your_it_provider_text(runtime, queue, mailer):
    client = add_client(runtime)
    agent, entry_id = _claimed(runtime, client_id=client, need="Mon antivirus bloque tout")
    _record(runtime, agent, entry_id, "out_of_scope", scope="antivirus")
    run_due_jobs(runtime, queue)
    _, body = _mail(mailer, "out_of_scope")
    assert "adressez-vous à votre prestataire informatique" in body
    assert "l'antivirus ou le pare-feu" in body
    assert entry(runtime, entry_id).outcome == Outcome.OUT_OF_SCOPE


def test_r10_out_of_scope_texts_follow_the_client_s_language(runtime, queue, mailer):
    client = add_client(runtime)
    agent, entry_id = _claimed(runtime, client_id=client, language="en")
    _record(runtime, agent, entry_id, "out_of_scope", scope="windows")
    run_due_jobs(runtime, queue)
    _, body = _mail(mailer, "out_of_scope")
    assert "please see your IT provider" in body


def test_r10_an_outcome_needing_a_contact_is_refused_when_there_is_none(runtime):
    agent, entry_id = _claimed(runtime, caller=None)
    with pytest.raises(Refused) as refused:
        _record(runtime, agent, entry_id, "out_of_scope", scope="hardware")
    assert refused.value.key == "workspace.refused.no_contact"
    assert entry(runtime, entry_id).status == EntryStatus.CLAIMED


def test_r10_booked_sends_the_planner_s_booking_link_and_waits_for_the_client(runtime, queue,
                                                                               mailer):
    client = add_client(runtime)
    agent, entry_id = _claimed(runtime, client_id=client)
    link = _record(runtime, agent, entry_id, "booked")
    assert link.startswith("https://callq.example.test/book/")
    waiting = entry(runtime, entry_id)
    assert (waiting.status, waiting.claimed_by) == (EntryStatus.AWAITING_CLIENT, None)
    run_due_jobs(runtime, queue)
    message, body = _mail(mailer, "booking-link")
    assert message["To"] == "accueil@lilas.example" and link in body
    kinds = [e.kind for e in _events(runtime, entry_id)]
    assert "booking_link_sent" in kinds and "outcome" in kinds


def test_r10_no_answer_counts_an_attempt_and_returns_after_the_retry_delay(runtime, clock):
    agent, entry_id = _claimed(runtime)
    _record(runtime, agent, entry_id, "no_answer")
    back = entry(runtime, entry_id)
    delay = timedelta(minutes=runtime.settings.retry_delay_minutes)
    assert (back.status, back.attempts, back.claimed_by) == (EntryStatus.WAITING, 1, None)
    assert back.available_at == runtime.now() + delay
    assert claims.claim_next(runtime, agent) is None
    clock.advance(minutes=runtime.settings.retry_delay_minutes)
    assert claims.claim_next(runtime, agent) == entry_id


def _exhaust(runtime, clock, agent, entry_id):
    for _ in range(runtime.settings.max_attempts):
        clock.advance(minutes=runtime.settings.retry_delay_minutes)
        assert claims.claim_next(runtime, agent) == entry_id
        _record(runtime, agent, entry_id, "no_answer")


def _advance_days(runtime, clock, queue, days):
    clock.advance(days=days)
    effects.reconcile(runtime)
    run_due_jobs(runtime, queue)


def test_r10_after_the_last_attempt_the_client_is_reminded_on_days_10_and_15_then_closed_on_20(
        runtime, clock, queue, mailer):
    client = add_client(runtime)
    agent = add_agent(runtime)
    entry_id = add_entry(runtime, client_id=client)
    _exhaust(runtime, clock, agent, entry_id)
    waiting = entry(runtime, entry_id)
    assert (waiting.status, waiting.attempts) == (EntryStatus.AWAITING_CLIENT,
                                                  runtime.settings.max_attempts)
    run_due_jobs(runtime, queue)
    _, body = _mail(mailer, "awaiting")  # told at once, with the link to cancel
    assert "https://callq.example.test/cancel/" in body
    assert claims.claim_next(runtime, agent) is None  # out of the list
    _advance_days(runtime, clock, queue, 9)
    assert not [k for k in mailer.sent if "reminder" in k]
    _advance_days(runtime, clock, queue, 1)
    assert len([k for k in mailer.sent if "reminder" in k]) == 1
    _advance_days(runtime, clock, queue, 5)
    assert len([k for k in mailer.sent if "reminder" in k]) == 2
    _advance_days(runtime, clock, queue, 4)
    assert entry(runtime, entry_id).status == EntryStatus.AWAITING_CLIENT
    _advance_days(runtime, clock, queue, 1)
    closed = entry(runtime, entry_id)
    assert (closed.status, closed.outcome) == (EntryStatus.CLOSED, Outcome.EXPIRED)
    assert [e.detail["n"] for e in _events(runtime, entry_id, "client_reminded")] == [1, 2]
    _mail(mailer, "closed")


def test_r10_a_reminder_for_an_entry_solved_meanwhile_does_nothing(runtime, clock, queue, mailer):
    client = add_client(runtime)
    agent = add_agent(runtime)
    entry_id = add_entry(runtime, client_id=client)
    _exhaust(runtime, clock, agent, entry_id)
    with db.write(runtime.sessions) as session:  # the client called and an agent solved it
        from callq import entry_writer
        from callq.waiting import lifecycle

        row, now = session.get(type(entry(runtime, entry_id)), entry_id), runtime.now()
        for event in (lifecycle.MessageAttached(at=now, detail={}),
                      lifecycle.Claimed(at=now, agent_id=agent, until=now, how="chosen"),
                      lifecycle.Resolved(at=now, agent_id=agent, outcome=Outcome.SOLVED)):
            entry_writer.apply(session, row, event)
    _advance_days(runtime, clock, queue, 21)
    assert not [k for k in mailer.sent if "reminder" in k or "closed" in k]
    assert entry(runtime, entry_id).outcome == Outcome.SOLVED
    with runtime.sessions() as session:  # every timer ran, and was spent silently
        pending = session.scalars(select(SideEffect).where(SideEffect.kind.like("client_%"))
                                  .where(SideEffect.status != "done")).all()
    assert pending == []


def test_r10_reminders_and_closing_follow_the_settings(tmp_path, engine, clock, queue, mailer):
    from callq.app import create_app
    from tests.conftest import settings_for

    app = create_app(settings_for(tmp_path, engine, max_attempts=1, client_reminder_days=(2,),
                                  client_close_days=3),
                     adapters={"engine": engine, "mailer": mailer, "queue": queue}, clock=clock)
    runtime = app.extensions["callq"]
    client = add_client(runtime)
    agent, entry_id = add_agent(runtime), add_entry(runtime, client_id=client)
    claims.claim_next(runtime, agent)
    _record(runtime, agent, entry_id, "no_answer")
    assert entry(runtime, entry_id).status == EntryStatus.AWAITING_CLIENT  # one attempt only
    _advance_days(runtime, clock, queue, 2)
    assert len([k for k in mailer.sent if "reminder" in k]) == 1
    _advance_days(runtime, clock, queue, 1)
    assert entry(runtime, entry_id).outcome == Outcome.EXPIRED


def test_r10_another_agent_s_outcome_is_refused(runtime):
    agent, entry_id = _claimed(runtime)
    hugo = add_agent(runtime, "Hugo")
    with pytest.raises(HeldByAnother):
        _record(runtime, hugo, entry_id, "solved")
    assert entry(runtime, entry_id).claimed_by == agent


def test_r10_an_outcome_on_an_entry_nobody_holds_is_refused(runtime):
    agent = add_agent(runtime)
    entry_id = add_entry(runtime)
    with pytest.raises(Stale):
        _record(runtime, agent, entry_id, "solved")


def test_r10_an_outcome_the_agent_cannot_record_is_refused(runtime):
    agent, entry_id = _claimed(runtime)
    for outcome in ("merged", "expired", "cancelled_by_client", "nonsense"):
        with pytest.raises(Refused) as refused:
            _record(runtime, agent, entry_id, outcome)
        assert refused.value.status == 400
    assert entry(runtime, entry_id).status == EntryStatus.CLAIMED
