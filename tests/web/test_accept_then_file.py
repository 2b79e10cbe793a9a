"""`/twilio/gather` accepts, then files (issue 17): the answer commits the message and the
outbox row of its filing; a worker files it (R5-R8) right after. Here the test harness's
worker does not run at once (`queue.run_now` off), as in service: nothing is in the list until
the filing runs, whatever order the filings of one caller run in the result is the one of
their calls, and a filing whose hand-over to the queue was lost is handed over again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from callq import effects
from callq.effects import run_effect
from callq.intake import FILE
from callq.models import EntryEvent, Message, SideEffect, WaitingEntry
from tests.voice_support import incoming, post, speech, spoken, twiml

MONDAY_10H = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # live: the caller is told their place
CALLER = "+33612345678"


@pytest.fixture
def later(app, queue):
    """Jobs wait in the recording queue, as they wait in Redis for a worker."""
    queue.run_now = None
    return queue


def _call(client, clock, n, need, caller=CALLER, *, at):
    clock.set(at)
    twiml(post(client, "/twilio/voice", incoming(n, caller)))
    clock.set(at + timedelta(seconds=20))
    return twiml(post(client, "/twilio/gather?lang=fr", speech(n, need, caller)))


def _filings(runtime, queue):
    with runtime.sessions() as session:
        kinds = {i: k for i, k in session.execute(select(SideEffect.id, SideEffect.kind))}
    return [args[0] for _, args in queue.jobs if kinds.get(args[0]) == FILE]


def _entries(runtime):
    with runtime.sessions() as session:
        return [(e.need_text, e.messages_count, e.arrived_at, e.queued_at, e.tier, e.vague)
                for e in session.scalars(select(WaitingEntry).order_by(WaitingEntry.id))]


def test_the_answer_keeps_the_message_and_a_worker_files_it(app, runtime, clock, later):
    root = _call(app.test_client(), clock, 1, "Impossible d'imprimer", at=MONDAY_10H)
    assert "Vous êtes en 1re position dans la liste." in spoken(root)
    with runtime.sessions() as session:
        [message] = session.scalars(select(Message))
        assert (message.speech_text, message.entry_id) == ("Impossible d'imprimer", None)
        assert session.scalars(select(WaitingEntry)).all() == []
    [filing] = _filings(runtime, later)
    run_effect(runtime, filing)
    [(need, count, arrived, *_)] = _entries(runtime)
    assert (need, count, arrived) == ("Impossible d'imprimer", 1, MONDAY_10H)


def test_a_caller_s_messages_file_in_call_order_whichever_filing_runs_first(app, runtime, clock,
                                                                            later):
    client = app.test_client()
    _call(client, clock, 1, "Le serveur est en panne", at=MONDAY_10H)
    _call(client, clock, 2, "Le serveur est en panne, toujours", at=MONDAY_10H
          + timedelta(minutes=5))
    first, second = _filings(runtime, later)
    run_effect(runtime, second)  # the later call's filing runs first: it files both, in order
    run_effect(runtime, first)
    with runtime.sessions() as session:
        assert {session.get(SideEffect, i).status for i in (first, second)} == {"done"}
    [(need, count, arrived, queued, *_)] = _entries(runtime)
    assert (need, count, arrived) == ("Le serveur est en panne", 2, MONDAY_10H)
    with runtime.sessions() as session:
        kinds = [e.kind for e in session.scalars(select(EntryEvent).order_by(EntryEvent.id))]
        assert kinds == ["created", "message_attached"]


def test_the_told_place_is_the_place_the_filing_gives(app, runtime, clock, later):
    client = app.test_client()
    _call(client, clock, 1, "Question sur une facture", "+33611111111", at=MONDAY_10H)
    _call(client, clock, 2, "Question sur la facture", "+33622222222",
          at=MONDAY_10H + timedelta(minutes=1))
    root = _call(client, clock, 3, "Le serveur est en panne, plus rien ne marche",
                 "+33633333333", at=MONDAY_10H + timedelta(minutes=2))
    for filing in _filings(runtime, later):
        run_effect(runtime, filing)
    told = spoken(root)
    with runtime.sessions() as session:
        from callq.standing import position_of

        urgent = session.scalar(select(WaitingEntry).where(
            WaitingEntry.caller_number == "+33633333333"))
        assert f"en {position_of(session, urgent)}re position" in told


def test_one_filing_run_files_the_needs_waiting_behind_it_in_their_order(app, runtime, clock,
                                                                          later):
    client = app.test_client()
    for n in range(1, 5):
        _call(client, clock, n, "Le serveur est en panne" if n % 2 else "Question de facture",
              "+3361111111" + str(n % 2), at=MONDAY_10H + timedelta(minutes=n))
    filings = _filings(runtime, later)
    run_effect(runtime, filings[0])  # a worker behind a burst: the first run files all four
    entries = _entries(runtime)
    assert [(need, count) for need, count, *_ in entries] == [
        ("Le serveur est en panne", 2), ("Question de facture", 2)]
    with runtime.sessions() as session:
        assert {session.get(SideEffect, i).status for i in filings} == {"done"}
    for filing in filings[1:]:
        assert run_effect(runtime, filing) is None  # nothing left to do: skipped


def test_a_lost_hand_over_is_handed_over_again_and_the_message_filed(app, runtime, clock, later):
    _call(app.test_client(), clock, 1, "Impossible d'imprimer", at=MONDAY_10H)
    later.jobs.clear()  # Redis lost the job
    assert _entries(runtime) == []
    clock.set(MONDAY_10H + timedelta(minutes=10))
    effects.reconcile(runtime)
    [filing] = _filings(runtime, later)
    run_effect(runtime, filing)
    assert [e[0] for e in _entries(runtime)] == ["Impossible d'imprimer"]


def test_a_simulated_instant_is_filed_at_once_as_of_that_instant(app, runtime, clock, later):
    """`callq simulate call --at` replays another day: the filing is due on the runtime's
    clock (not deferred to that day) and the entry is filed as of the accepted instant."""
    clock.set(MONDAY_10H)
    simulated = MONDAY_10H + timedelta(days=3)
    client = app.test_client()
    at = {"CallqSimulatedAt": simulated.isoformat()}
    twiml(post(client, "/twilio/voice", {**incoming(1, CALLER), **at}))
    twiml(post(client, "/twilio/gather?lang=fr", {**speech(1, "Imprimante", CALLER), **at}))
    [filing] = _filings(runtime, later)
    with runtime.sessions() as session:
        effect = session.get(SideEffect, filing)
        assert effect.due_at == MONDAY_10H
    run_effect(runtime, filing)
    [(_, _, arrived, *_)] = _entries(runtime)
    assert arrived == simulated
    with runtime.sessions() as session:
        [created] = session.scalars(select(EntryEvent))
        assert created.at == simulated
