"""The intake's hot paths on the driver's connection (callq.intake_driver, issue 17) write, on
both databases, rows the ORM reads back exactly as its own path writes them: typed instants,
JSON payloads, defaults; and nothing at all for a call of another purpose."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from callq import db, intake, intake_driver
from callq.models import Agent, Call, Message, SideEffect
from tests.voice_support import add_client, call_sid, rows

MONDAY_10H = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # Paris: live hours, agents rung
MONDAY_15H = datetime(2026, 3, 30, 13, 0, tzinfo=UTC)  # Paris: appointments


def _start(runtime, n, caller="+33612345678", at=MONDAY_10H):
    return intake.start_call(runtime, call_sid=call_sid(n), from_raw=caller,
                             to_raw="+33970000000", status="ringing", now=at)


def _accept(runtime, n, need, caller="+33612345678", at=MONDAY_10H):
    intake.accept_need(runtime, call_sid=call_sid(n), from_raw=caller, speech=need,
                       confidence=0.75, now=at)


def _effects(runtime):
    return {effect.key: effect for effect in rows(runtime, SideEffect)}


def test_a_new_call_s_row_and_safety_net_read_back_as_the_orm_writes_them(runtime, clock):
    clock.set(MONDAY_10H)
    with db.write(runtime.sessions) as session:
        session.add(Agent(email="a@desk.test", name="A", phone="+33612000001",
                          password_hash="x"))
    client = add_client(runtime, "Clinique du Lac", "+33612345678", version="2026.1",
                        email="lac@example.test", language="en")
    greeting, language = _start(runtime, 1)
    assert greeting.agent_numbers == ("+33612000001",) and language == "en"
    [call] = rows(runtime, Call)
    assert (call.call_sid, call.direction, call.purpose, call.status, call.mode) == (
        call_sid(1), "inbound", "intake", "ringing", "live")
    assert (call.from_number, call.to_number, call.sequence) == ("+33612345678",
                                                                "+33970000000", -1)
    assert call.created_at == call.updated_at == MONDAY_10H
    assert call.created_at.tzinfo is not None and call.entry_id is None
    [net] = rows(runtime, SideEffect)
    assert (net.key, net.kind, net.status, net.attempts) == (
        f"intake-finalize-{call_sid(1)}-safety", "intake_finalize", "pending", 0)
    assert net.payload == {"call_sid": call_sid(1), "rung": True}
    assert net.due_at == MONDAY_10H + timedelta(seconds=runtime.settings.intake_safety_seconds)
    assert net.enqueued_at is None and net.created_at == MONDAY_10H
    assert client is not None


def test_instants_the_driver_writes_are_stored_as_the_orm_stores_them(runtime, clock):
    # A whole second (no microseconds): sqlite3's own adapter would write "08:00:00" where the
    # ORM writes "08:00:00.000000", and the two would not compare equal in SQL.
    clock.set(MONDAY_10H)
    _start(runtime, 9)
    with db.write(runtime.sessions) as session:
        session.add(Call(call_sid=call_sid(10), direction="inbound", purpose="intake",
                         status="queued", created_at=MONDAY_10H, updated_at=MONDAY_10H))
    with runtime.engine.connect() as conn:
        stored = dict(conn.exec_driver_sql("SELECT call_sid, created_at FROM calls").all())
        due = conn.exec_driver_sql("SELECT due_at FROM side_effects").scalar_one()
        same = conn.exec_driver_sql("SELECT count(*) FROM calls a JOIN calls b ON "
                                    "a.created_at = b.created_at AND a.id < b.id").scalar_one()
    assert stored[call_sid(9)] == stored[call_sid(10)] and same == 1
    if db.is_sqlite(runtime.engine):
        assert stored[call_sid(9)] == "2026-03-30 08:00:00.000000"
        assert due.endswith(".000000")


def test_a_caller_nobody_knows_in_the_afternoon_rings_nobody(runtime, clock):
    clock.set(MONDAY_15H)
    greeting, _ = _start(runtime, 2, caller="+33698765432", at=MONDAY_15H)
    assert greeting.agent_numbers == () and greeting.link_channel == "sms"
    [net] = rows(runtime, SideEffect)
    assert net.payload == {"call_sid": call_sid(2), "rung": False}


def test_a_need_kept_and_its_filing_read_back_as_the_orm_writes_them(runtime, clock):
    clock.set(MONDAY_10H)
    _start(runtime, 1)
    later = MONDAY_10H + timedelta(seconds=40)
    clock.set(later)
    _accept(runtime, 1, "le logiciel plante à l'ouverture", at=later)
    [message] = rows(runtime, Message)
    assert (message.channel, message.call_sid, message.from_number) == (
        "voice", call_sid(1), "+33612345678")
    assert message.received_at == MONDAY_10H  # the call's arrival (R5), not the gather's
    assert message.speech_text == "le logiciel plante à l'ouverture"
    assert message.speech_confidence == pytest.approx(0.75)
    assert message.complete is False
    # The call's safety net became the filing: one outbox row for both (issue 17).
    [filing] = _effects(runtime).values()
    assert (filing.key, filing.kind) == (f"intake-finalize-{call_sid(1)}-safety", "intake_file")
    assert filing.payload == {"call_sid": call_sid(1), "at": later.isoformat()}
    assert filing.due_at == filing.enqueued_at == later
    assert filing.created_at == MONDAY_10H  # armed when the call started
    # Handed over after the commit: the tests' worker filed it at once (conftest).
    assert filing.status == "done" and message.entry_id is not None


def test_a_need_before_its_call_s_greeting_writes_the_call_with_the_number_parsed(runtime,
                                                                                  clock):
    clock.set(MONDAY_15H)
    _accept(runtime, 3, "question sur les relances", caller="06 12 34 56 78", at=MONDAY_15H)
    [call] = rows(runtime, Call)
    assert (call.from_number, call.purpose, call.status) == ("+33612345678", "intake", "queued")
    [message] = rows(runtime, Message)
    assert message.from_number == "+33612345678" and message.received_at == MONDAY_15H
    [filing] = _effects(runtime).values()  # no safety net to take over: a row of its own
    assert (filing.key, filing.kind) == (f"intake_file-{call_sid(3)}", "intake_file")


def test_a_call_that_ends_after_its_need_writes_no_finalize_and_is_complete(runtime, clock):
    clock.set(MONDAY_15H)
    _start(runtime, 4, at=MONDAY_15H)
    _accept(runtime, 4, "les relances ne partent plus", at=MONDAY_15H)
    intake.end_call(runtime, call_sid=call_sid(4), from_raw="+33612345678",
                    status="completed", duration=50, sequence=None, now=MONDAY_15H)
    [message] = rows(runtime, Message)
    assert message.complete is True and message.entry_id is not None
    assert [(e.kind, e.status) for e in _effects(runtime).values()
            if e.kind.startswith("intake")] == [("intake_file", "done")]


def test_a_need_heard_after_the_call_ended_is_filed_complete(runtime, clock):
    clock.set(MONDAY_15H)
    _start(runtime, 5, at=MONDAY_15H)
    intake.end_call(runtime, call_sid=call_sid(5), from_raw="+33612345678",
                    status="completed", duration=20, sequence=None, now=MONDAY_15H)
    _accept(runtime, 5, "le terminal de carte ne répond plus", at=MONDAY_15H)
    [message] = rows(runtime, Message)
    assert message.complete is True and message.entry_id is not None
    # The net brought forward by the call's end, then turned filing: one row.
    assert [(e.kind, e.status) for e in _effects(runtime).values()
            if e.kind.startswith("intake")] == [("intake_file", "done")]


def test_a_second_result_for_one_call_keeps_the_first_and_one_filing(runtime, clock):
    clock.set(MONDAY_10H)
    _start(runtime, 1)
    _accept(runtime, 1, "première version")
    _accept(runtime, 1, "seconde version")
    [message] = rows(runtime, Message)
    assert message.speech_text == "première version"
    assert [e.kind for e in _effects(runtime).values() if e.kind.startswith("intake")] == [
        "intake_file"]


def test_a_need_about_a_call_callq_placed_writes_nothing(runtime, clock):
    clock.set(MONDAY_10H)
    with db.write(runtime.sessions) as session:
        session.add(Call(call_sid=call_sid(9), direction="outbound", purpose="callback",
                         created_at=MONDAY_10H, updated_at=MONDAY_10H))
    with pytest.raises(intake.NotAnIntakeCall):
        _accept(runtime, 9, "bonjour")
    with pytest.raises(intake.NotAnIntakeCall):
        _start(runtime, 9)
    assert rows(runtime, Message) == [] and rows(runtime, SideEffect) == []


def test_on_sqlite_a_new_call_holds_the_write_lock_for_its_two_writes_only(tmp_path, clock,
                                                                            mailer, queue):
    from sqlalchemy import event

    from callq.app import create_app
    from callq.db import build_engine
    from callq.migrate import upgrade
    from tests.conftest import settings_for

    engine = build_engine(f"sqlite:///{tmp_path / 'lock.sqlite3'}")
    upgrade(engine)
    runtime = create_app(settings_for(tmp_path, engine),
                         adapters={"engine": engine, "mailer": mailer, "queue": queue},
                         clock=clock).extensions["callq"]
    clock.set(MONDAY_10H)
    statements: list[str] = []
    event.listen(engine, "checkout",
                 lambda dbapi, _record, _proxy: dbapi.set_trace_callback(statements.append))
    _start(runtime, 7)
    begin = statements.index("BEGIN IMMEDIATE")
    inside = statements[begin + 1:statements.index("COMMIT", begin)]
    assert [sql.split()[0] for sql in inside] == ["INSERT", "INSERT"]
    assert any(sql.startswith("SELECT phone FROM agents") for sql in statements[:begin])
    engine.dispose()


def test_the_safety_net_becomes_the_filing_by_its_key_whatever_the_planner_knows(runtime):
    # Issue 17: on an empty table, PostgreSQL's generic plan for the prepared statement read
    # "status = 'pending'" through ix_side_effects_done, so each call walked every pending effect.
    engine = runtime.engine
    with engine.connect() as conn:
        if db.is_sqlite(engine):
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + intake_driver._SQLITE[3],
                                        ("intake_file", "{}", "2026-03-30", "2026-03-30",
                                         "net")).all()
        else:
            conn.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
            update = intake_driver._NET_FILES.format(kind="$1", payload="$2::jsonb", due="$3",
                                                     net="$4", only="")
            conn.exec_driver_sql(
                "PREPARE net_files (text, text, timestamptz, text) AS " + update)
            plan = conn.exec_driver_sql(
                "EXPLAIN EXECUTE net_files ('intake_file', '{}', now(), 'net')").all()
        conn.rollback()
    text = "\n".join(" ".join(str(part) for part in row) for row in plan)
    assert "ix_side_effects_done" not in text
    assert ("uq_side_effects_key" in text) or ("key=?" in text.replace(" ", "")), text


def _recorded(runtime, n, sid, url, seconds, finished, at=MONDAY_10H):
    intake.record_recording(runtime, call_sid=call_sid(n), from_raw="+33612345678",
                            recording=intake.Recording(sid, url, seconds), finished=finished,
                            now=at)


def test_a_recording_is_kept_without_an_orm_object_and_what_was_kept_stands(runtime, clock):
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    clock.set(MONDAY_10H)
    _start(runtime, 7)
    flushed: list[object] = []

    def _flush(session, _context, _instances):
        flushed.extend([*session.new, *session.dirty])

    event.listen(Session, "before_flush", _flush)
    try:
        _recorded(runtime, 7, "RE" + "1" * 32, "https://api.twilio.com/r1", 14, False)
        _recorded(runtime, 7, "RE" + "1" * 32, "https://api.twilio.com/r1", None, True)
        _recorded(runtime, 7, "RE" + "2" * 32, "https://api.twilio.com/r2", 99, False)
    finally:
        event.remove(Session, "before_flush", _flush)
    assert flushed == []  # no ORM unit of work on the webhook
    (message,) = rows(runtime, Message)
    (call,) = rows(runtime, Call)
    assert (message.recording_sid, message.recording_url, message.recording_seconds,
            message.complete) == ("RE" + "1" * 32, "https://api.twilio.com/r1", 14, True)
    assert (message.channel, message.from_number, message.received_at) == (
        "voice", call.from_number, call.created_at)  # the call's arrival is the message's (R5)
    fetches = sorted(k for k in _effects(runtime) if k.startswith("fetch-recording-"))
    assert fetches == ["fetch-recording-RE" + "1" * 32, "fetch-recording-RE" + "2" * 32]
