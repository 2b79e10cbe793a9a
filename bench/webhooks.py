"""Twilio webhooks under gunicorn (2 sync workers) on loopback, against an empty Flask route
served the same way (bench/empty_app.py), baseline and subject runs interleaved.

- incoming call (`/twilio/voice`): signature check, call row, caller lookup, mode (pinned to a
  live morning: agents are rung), TwiML. Every request has a new CallSid (the write path).
- message (`/twilio/gather`): the stated need of a call already answered in appointments mode:
  message and entry written, need classified, booking-link SMS recorded and enqueued to Redis.
- latency: every callback of whole voicemail calls, at a steady 50 req/s (open loop).
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, select

from bench import seed, twilio
from bench.instance import Instance, Unavailable, instance
from bench.load import Prepared, Throughput, steady, throughput
from bench.report import Row, limit_row, percentile, ratio_row
from bench.server import free_port, serve
from callq.models import Call, Message
from scheduling.calendar import Mode

PER_SECOND = 1_000  # distinct calls prepared per second of wrk: more than callq can answer
BLOCK = 1_000_000  # CallSids: voice from BLOCK, messages from 2 * BLOCK, latency from 3 * BLOCK

LIVE_CALLS = select(func.count()).select_from(Call).where(Call.mode == Mode.LIVE.value)
MESSAGES = select(func.count()).select_from(Message)


def run(quick: bool) -> list[Row]:
    """Voice and message throughput on SQLite, latency at 50 req/s, message on PostgreSQL."""
    runs, seconds = (1, 3) if quick else (3, 6)
    rows = _sqlite(runs, seconds, 10 if quick else 60)
    try:
        rows += _postgres(runs, seconds)
    except Unavailable as exc:
        rows.append(Row(f"message webhook (PostgreSQL): not measured, {exc}", 0, "req/s",
                        None, None, ">= 0.4x baseline", None))
    return rows


def _sqlite(runs: int, seconds: int, steady_seconds: int) -> list[Row]:
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    with instance("sqlite", public_base=public) as inst:
        known = _seed(inst)
        live = twilio.instant_in(inst.runtime.calendar(), Mode.LIVE, inst.runtime.now())
        afternoon = twilio.instant_in(inst.runtime.calendar(), Mode.APPOINTMENTS, live)
        size = PER_SECOND * seconds
        voice = _voice_batches(public, runs, size, known, live)
        gather = _gather_batches(inst, public, runs, size, known, afternoon)
        with serve("bench.empty_app:app", {}) as empty, serve("wsgi:app", inst.env,
                                                               port=port) as callq:
            v_subject, v_base = _interleaved(empty.base, callq.base, voice, seconds)
            _check_written(inst, LIVE_CALLS, v_subject, "voice: calls")
            g_subject, g_base = _interleaved(empty.base, callq.base, gather, seconds)
            _check_written(inst, MESSAGES, g_subject, "gather: messages")
            calls = [twilio.conversation(public, 3 * BLOCK + i, number, seed.NEEDS[i % 10],
                                         afternoon)
                     for i, number in enumerate(twilio.callers(steady_seconds * 10, known))]
            latencies, errors = steady(callq.base, [r for c in calls for r in c], 50.0,
                                       steady_seconds)
    return [
        _ratio("incoming-call webhook /twilio/voice (SQLite)", v_subject, v_base, 0.7),
        _ratio("message webhook /twilio/gather (SQLite)", g_subject, g_base, 0.4),
        limit_row("webhook errors under wrk (SQLite, non-2xx + socket)",
                  sum(t.errors for t in v_subject + g_subject), "answers", 0),
        limit_row(f"webhook latency p50 at 50 req/s for {steady_seconds} s (all callbacks)",
                  percentile(latencies, 0.5), "ms", None),
        limit_row("webhook latency p99 at 50 req/s", percentile(latencies, 0.99), "ms", 20.0),
        limit_row("webhook latency p99.9 at 50 req/s", percentile(latencies, 0.999), "ms",
                  100.0),
        limit_row("webhook errors at 50 req/s", errors, "answers", 0),
    ]


def _postgres(runs: int, seconds: int) -> list[Row]:
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    with instance("postgresql", public_base=public, tag="webhooks") as inst:
        known = _seed(inst)
        at = twilio.instant_in(inst.runtime.calendar(), Mode.APPOINTMENTS, inst.runtime.now())
        gather = _gather_batches(inst, public, runs, PER_SECOND * seconds, known, at)
        with serve("bench.empty_app:app", {}) as empty, serve("wsgi:app", inst.env,
                                                               port=port) as callq:
            subject, base = _interleaved(empty.base, callq.base, gather, seconds)
            _check_written(inst, MESSAGES, subject, "gather (PostgreSQL): messages")
    return [
        _ratio("message webhook /twilio/gather (PostgreSQL)", subject, base, 0.4),
        limit_row("webhook errors under wrk (PostgreSQL)", sum(t.errors for t in subject),
                  "answers", 0),
    ]


def _seed(inst: Instance) -> list[str]:
    seed.agents(inst.runtime, 5)  # on duty in the morning: the live greeting dials them
    return seed.clients(inst.runtime, 2_000)


def _voice_batches(public: str, runs: int, size: int, known: Sequence[str],
                   at: datetime) -> list[list[Prepared]]:
    """Incoming calls, `size` per run, each with its own CallSid; half from known clients."""
    numbers = twilio.callers(runs * size, known, share_known=0.5)
    calls = [twilio.signed(public, "/twilio/voice", twilio.incoming(BLOCK + i, number, at))
             for i, number in enumerate(numbers)]
    return [calls[r * size:(r + 1) * size] for r in range(runs)]


def _gather_batches(inst: Instance, public: str, runs: int, size: int, known: Sequence[str],
                    at: datetime) -> list[list[Prepared]]:
    """Stated needs of calls already greeted in appointments mode (their rows seeded)."""
    numbers = twilio.callers(runs * size, known, share_known=0.2)
    first = 2 * BLOCK
    seed.calls(inst.runtime, [twilio.call_sid(first + i) for i in range(runs * size)], numbers,
               Mode.APPOINTMENTS.value, at)
    needs = [twilio.signed(public, "/twilio/gather?lang=fr",
                           twilio.speech(first + i, number, seed.NEEDS[i % len(seed.NEEDS)], at))
             for i, number in enumerate(numbers)]
    return [needs[r * size:(r + 1) * size] for r in range(runs)]


def _interleaved(empty: str, callq: str, batches: Sequence[Sequence[Prepared]],
                 seconds: int) -> tuple[list[Throughput], list[Throughput]]:
    """Baseline, subject, baseline, subject, ...: the same prepared requests for both."""
    subject, base = [], []
    for batch in batches:
        base.append(throughput(empty, batch, seconds))
        subject.append(throughput(callq, batch, seconds))
        if subject[-1].sent > len(batch):
            print(f"   warning: {subject[-1].sent} requests sent, {len(batch)} prepared: "
                  "some measured the dedupe path", file=sys.stderr)
    return subject, base


def _ratio(name: str, subject: list[Throughput], base: list[Throughput],
           minimum: float) -> Row:
    runs = len(subject)
    return ratio_row(f"{name}, median of {runs}", statistics.median(t.rate for t in subject),
                     statistics.median(t.rate for t in base), "req/s", minimum)


def _check_written(inst: Instance, counted: Select[int], results: list[Throughput],
                   what: str) -> None:
    """Say on stderr how many rows the answered requests wrote (a replay would write none)."""
    answered = sum(t.sent - t.errors for t in results)
    with inst.runtime.sessions() as session:
        written = session.scalar(counted) or 0
    print(f"   {what}: {answered} requests answered, {written} rows written", file=sys.stderr)
