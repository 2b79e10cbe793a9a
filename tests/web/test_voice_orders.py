"""Twilio delivers callbacks late, twice, concurrently and in any order (reference B2): every
order gives the same final state, and duplicates never give a second entry (R5, R8)."""

import threading
from datetime import UTC, datetime
from itertools import permutations

import pytest

from callq import effects, intake
from callq.models import Call, EntryEvent, Message, SideEffect, WaitingEntry
from callq.status import Tier
from tests.conftest import run_due_jobs
from tests.voice_support import (
    call_sid,
    call_status,
    incoming,
    post,
    record_action,
    recording_sid,
    recording_status,
    rows,
    speech,
    twiml,
)

T0 = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
NEED = "Le logiciel affiche un message d'erreur à l'ouverture"
CALLBACKS = {
    "gather": lambda n, caller: ("/twilio/gather?lang=fr", speech(n, NEED, caller)),
    "record": lambda n, caller: ("/twilio/record?lang=fr", record_action(n, caller)),
    "recording-status": lambda n, caller: ("/twilio/recording-status", recording_status(n)),
    "call-status": lambda n, caller: ("/twilio/call-status", call_status(n, caller=caller)),
}


def together(count, action):
    """Run `action(i)` in `count` threads released at the same instant; re-raise any error."""
    barrier, results, errors = threading.Barrier(count), [None] * count, []

    def run(i):
        barrier.wait()
        try:
            results[i] = action(i)
        except Exception as exc:  # surfaced below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def final_state(runtime, n):
    """What a call left, without its ids: entry, message, call, effects, history."""
    sid = call_sid(n)
    [call] = [c for c in rows(runtime, Call) if c.call_sid == sid]
    [message] = [m for m in rows(runtime, Message) if m.call_sid == sid]
    [entry] = [e for e in rows(runtime, WaitingEntry) if e.id == call.entry_id]
    mine = (sid, recording_sid(n))
    return {
        "entry": (entry.status, entry.tier, entry.vague, entry.need_text, entry.classification,
                  entry.messages_count, entry.arrived_at, entry.queued_at, entry.due_at),
        "message": (message.entry_id == entry.id, message.speech_text,
                    message.speech_confidence, message.recording_sid == recording_sid(n),
                    message.recording_seconds, message.complete),
        "call": (call.status, call.mode, call.duration_seconds),
        "effects": sorted((e.kind, e.status) for e in rows(runtime, SideEffect)
                          if any(part in e.key for part in mine)),
        "history": [e.kind for e in rows(runtime, EntryEvent) if e.entry_id == entry.id],
    }


def test_r05_callbacks_in_every_order_and_twice_each_give_the_same_final_state(app, runtime,
                                                                               clock, queue):
    client = app.test_client()
    orders = list(permutations(CALLBACKS))
    assert len(orders) == 24
    for n, order in enumerate(orders, start=1):
        caller = f"+336000000{n:02d}"
        clock.set(T0)
        twiml(post(client, "/twilio/voice", incoming(n, caller)))
        for name in order:
            clock.advance(seconds=7)
            url, params = CALLBACKS[name](n, caller)
            for _ in range(2):
                assert post(client, url, params).status_code in (200, 204)
    clock.advance(hours=1)  # past the grace and the safety net
    effects.reconcile(runtime)
    run_due_jobs(runtime, queue)
    states = [final_state(runtime, n) for n in range(1, len(orders) + 1)]
    assert all(state == states[0] for state in states), states
    assert states[0]["entry"][1:6] == (Tier.HIGH, False, NEED, {
        "rule": "tier:high", "matched": ["message d'erreur"]}, 1)
    assert states[0]["message"] == (True, NEED, pytest.approx(0.8734), True, 14, True)
    assert states[0]["history"] == ["created"]
    assert len(rows(runtime, WaitingEntry)) == 24


def test_r07_a_speech_result_later_than_the_grace_still_classifies_its_own_entry(runtime,
                                                                               clock, queue):
    intake.start_call(runtime, call_sid=call_sid(1), from_raw="+33612345678", to_raw=None,
                      status="ringing", now=T0)
    intake.end_call(runtime, call_sid=call_sid(1), from_raw=None, status="completed",
                    duration=30, sequence=None, now=T0)
    clock.set(T0.replace(minute=10))
    effects.reconcile(runtime)
    run_due_jobs(runtime, queue)
    [filed] = rows(runtime, WaitingEntry)
    assert filed.vague
    intake.record_need(runtime, call_sid=call_sid(1), from_raw=None,
                       speech="Le serveur est en panne", confidence=0.9, now=runtime.now())
    [entry] = rows(runtime, WaitingEntry)
    assert (entry.vague, entry.tier, entry.need_text) == (False, Tier.CRITICAL,
                                                          "Le serveur est en panne")
    assert entry.arrived_at == entry.queued_at == T0
    assert [e.kind for e in rows(runtime, EntryEvent)] == ["created", "late_need_classified"]


def test_a_call_status_never_goes_back_once_the_call_has_ended(app, runtime):
    client = app.test_client()
    twiml(post(client, "/twilio/voice", incoming(1)))
    for status, sequence in (("completed", 3), ("in-progress", 2), ("ringing", 1)):
        post(client, "/twilio/call-status", call_status(1, status, sequence=sequence))
    post(client, "/twilio/call-status", call_status(1, "in-progress"))  # no sequence at all
    [call] = rows(runtime, Call)
    assert (call.status, call.sequence) == ("completed", 3)


def test_the_same_speech_result_delivered_four_times_at_once_gives_one_entry(app, runtime):
    client = app.test_client()
    twiml(post(client, "/twilio/voice", incoming(1)))
    need = speech(1, "Impossible de facturer depuis ce matin")
    answers = together(4, lambda _: post(app.test_client(), "/twilio/gather?lang=fr", need))
    assert {r.status_code for r in answers} == {200}
    assert len({r.get_data() for r in answers}) == 1
    assert len(rows(runtime, WaitingEntry)) == len(rows(runtime, Message)) == 1
    assert [e.kind for e in rows(runtime, EntryEvent)] == ["created"]


def test_the_same_incoming_call_delivered_four_times_at_once_is_one_call(app, runtime):
    answers = together(4, lambda _: post(app.test_client(), "/twilio/voice", incoming(1)))
    assert {r.status_code for r in answers} == {200}
    assert len({r.get_data() for r in answers}) == 1
    assert len(rows(runtime, Call)) == 1


def test_r08_two_calls_of_one_caller_about_one_need_at_once_give_one_entry(app, runtime):
    client = app.test_client()
    for n in (1, 2, 3, 4):
        twiml(post(client, "/twilio/voice", incoming(n)))
    together(4, lambda i: post(app.test_client(), "/twilio/gather?lang=fr",
                               speech(i + 1, "Impossible d'imprimer les ordonnances")))
    [entry] = rows(runtime, WaitingEntry)
    assert entry.messages_count == 4
    assert {m.entry_id for m in rows(runtime, Message)} == {entry.id}
