"""Every accepted call is filed, whatever callbacks are lost (issue 10, R1/R5): the safety net
is armed when the call starts, even when agents are rung live."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from callq import effects, intake
from callq.models import SideEffect, WaitingEntry
from tests.conftest import run_due_jobs
from tests.voice_support import call_sid, rows
from tests.workspace_data import add_agent

MONDAY_10H = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # Paris, live hours (R1)


def _ring_agents(runtime, n=1):
    greeting, _ = intake.start_call(runtime, call_sid=call_sid(n), from_raw="+33612345678",
                                    to_raw=None, status="ringing", now=runtime.now())
    assert greeting.agent_numbers  # agents are rung: no voicemail yet
    return greeting


def _wait(runtime, clock, queue, seconds):
    clock.advance(seconds=seconds)
    effects.reconcile(runtime)
    run_due_jobs(runtime, queue)


def test_r01_a_live_call_whose_dial_result_and_status_are_both_lost_is_still_filed(
        runtime, clock, queue):
    add_agent(runtime)
    clock.set(MONDAY_10H)
    _ring_agents(runtime)
    safety = runtime.settings.intake_safety_seconds
    for _ in range(intake.LIVE_RECHECKS - 1):  # maybe a long conversation with an agent
        _wait(runtime, clock, queue, safety + 1)
        assert rows(runtime, WaitingEntry) == []
    _wait(runtime, clock, queue, safety + 1)  # no news for an hour: file it
    [entry] = rows(runtime, WaitingEntry)
    assert entry.vague and entry.caller_number == "+33612345678"


def test_r01_a_long_conversation_with_an_agent_is_never_filed(runtime, clock, queue):
    add_agent(runtime)
    clock.set(MONDAY_10H)
    _ring_agents(runtime)
    _wait(runtime, clock, queue, runtime.settings.intake_safety_seconds + 1)
    clock.advance(minutes=10)  # the agent talked for 25 minutes in all
    assert intake.dial_done(runtime, call_sid=call_sid(1), dial_status="completed",
                            now=runtime.now()) is True
    _wait(runtime, clock, queue, timedelta(hours=2).total_seconds())
    assert rows(runtime, WaitingEntry) == []


def _finalizes(runtime, n=1):
    """The call's finalize effects: (why, status), why being safety, safety-2..., or ended."""
    prefix = f"intake-finalize-{call_sid(n)}-"
    return sorted((row.key.removeprefix(prefix), row.status)
                  for row in rows(runtime, SideEffect) if row.kind == "intake_finalize")


def _end(runtime, n=1):
    intake.end_call(runtime, call_sid=call_sid(n), from_raw="+33612345678", status="completed",
                    duration=40, sequence=None, now=runtime.now())


def test_r07_a_call_s_end_brings_its_safety_net_forward_instead_of_a_second_finalize(
        runtime, clock, queue):
    clock.set(MONDAY_10H)
    greeting, _ = intake.start_call(runtime, call_sid=call_sid(1), from_raw="+33612345678",
                                    to_raw=None, status="ringing", now=runtime.now())
    assert not greeting.agent_numbers  # nobody on duty: the voicemail
    clock.advance(seconds=4)  # hung up before stating a need
    _end(runtime)
    assert _finalizes(runtime) == [("safety", "pending")]  # one row, not two
    _wait(runtime, clock, queue, intake.GRACE.total_seconds())  # filed after the grace
    [entry] = rows(runtime, WaitingEntry)
    assert entry.vague and _finalizes(runtime) == [("safety", "done")]


def test_r01_a_live_call_ending_during_a_later_look_brings_that_look_forward(
        runtime, clock, queue):
    add_agent(runtime)
    clock.set(MONDAY_10H)
    _ring_agents(runtime)
    _wait(runtime, clock, queue, runtime.settings.intake_safety_seconds + 1)  # first look
    assert _finalizes(runtime) == [("safety", "done"), ("safety-2", "pending")]
    intake.dial_done(runtime, call_sid=call_sid(1), dial_status="no-answer", now=runtime.now())
    _end(runtime)
    _wait(runtime, clock, queue, intake.GRACE.total_seconds())
    [entry] = rows(runtime, WaitingEntry)
    assert entry.caller_number == "+33612345678"
    assert _finalizes(runtime) == [("safety", "done"), ("safety-2", "done")]


def test_r07_a_call_ending_after_its_safety_net_ran_gets_a_finalize_of_its_own(
        runtime, clock, queue):
    clock.set(MONDAY_10H)
    intake.start_call(runtime, call_sid=call_sid(1), from_raw="+33612345678", to_raw=None,
                      status="ringing", now=runtime.now())
    _wait(runtime, clock, queue, runtime.settings.intake_safety_seconds + 1)  # a long message
    assert len(rows(runtime, WaitingEntry)) == 1
    _end(runtime)
    assert _finalizes(runtime) == [("ended", "pending"), ("safety", "done")]
    _wait(runtime, clock, queue, intake.GRACE.total_seconds())
    assert len(rows(runtime, WaitingEntry)) == 1  # filed once
    assert _finalizes(runtime) == [("ended", "done"), ("safety", "done")]
