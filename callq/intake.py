"""Voice intake services: each Twilio callback of an incoming call is one transaction here.

Every callback first locks the call's row (created by whichever callback comes first), so
duplicates and concurrent deliveries of one call run one after the other, and callbacks may come
in any order. A message is filed into the waiting room once its need is known: when the speech
result arrives, or when the call has ended without one (after a short grace for a late result;
and, should the status callback never come, after a safety delay).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Update, bindparam, func, literal, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from callq import db, effects, i18n, intake_driver
from callq.acknowledge import acknowledge
from callq.callers import Caller, caller_of, e164, identify, link_channel
from callq.calls.greeting import Greeting
from callq.calls.rules import TERMINAL, advances
from callq.models import Call, Message, SideEffect, WaitingEntry
from callq.models.effects import FILING
from callq.placement import (
    classify_need,
    foresee,
    hear_late_need,
    lock_identity,
    place,
    try_lock_identity,
)
from callq.standing import position_at, standing_at, standing_of
from callq.status import EffectStatus
from callq.waiting.classify import Classification
from callq.waiting.estimate import Standing
from callq.waiting.versions import version_status
from scheduling.calendar import BusinessCalendar, Mode

if TYPE_CHECKING:
    from callq.runtime import Runtime

log = logging.getLogger(__name__)

# `<Dial>` outcomes that mean an agent took the call live (R1): nothing to call back.
ANSWERED_DIAL = frozenset({"completed", "answered"})
GRACE = timedelta(seconds=30)  # a speech result may still be on its way when the call ends
# The safety net (CALLQ_INTAKE_SAFETY_SECONDS, longer than any voicemail) is armed when the
# call starts, so a call whose every later callback is lost is still filed. A live call still
# ringing or talking to an agent (no <Dial> result yet) is looked at again, this many times.
LIVE_RECHECKS = 4
# Characters of a stated need kept as text (far more than two minutes of speech); a longer
# speech result is cut there, and the recording keeps what was said.
SPEECH_MAX = 4000
FILE = FILING  # the outbox kind that files an accepted need (timers pool)
FILE_BATCH = 10  # accepted needs one filing run files besides its own (visible at its commit)


# Statements built once: SQLAlchemy memoizes a statement's cache key, so each use skips
# building and keying it again.
_MESSAGE_OF_CALL = select(Message).where(Message.call_sid == bindparam("call_sid"))
_NUMBER_OF_MESSAGE = select(Message.from_number).where(Message.call_sid == bindparam("call_sid"))
# Filings accepted and waiting, in the order the needs were accepted.
# Through ix_side_effects_waiting_filings: kind and status literals, as a partial index asks
# (a bound parameter could be any value).
_WAITING_FILINGS = (select(SideEffect.id, SideEffect.payload)
                    .where(SideEffect.kind == literal(FILE, literal_execute=True),
                           SideEffect.status == literal(EffectStatus.PENDING.value,
                                                        literal_execute=True))
                    .order_by(SideEffect.id).limit(FILE_BATCH))
_CALL_OF = select(Call).where(Call.call_sid == bindparam("call_sid"))
# The call ended: its message, if it states a need, is complete (returned: nothing to finalize).
_COMPLETE_STATED = (update(Message)
                    .where(Message.call_sid == bindparam("sid"),
                           Message.speech_text.is_not(None))
                    .values(complete=True).returning(Message.id)
                    .execution_options(synchronize_session=False))
_CALL_AND_MESSAGE = (select(Call.purpose, Call.from_number, Call.created_at,
                            Message.speech_text, Message.entry_id)
                     .outerjoin(Message, Message.call_sid == Call.call_sid)
                     .where(Call.call_sid == bindparam("call_sid")))
# Stated needs of one number accepted and not filed yet, up to a message, in call order.
_WAITING_TO_BE_FILED = (select(Message)
                        .where(Message.from_number == bindparam("number"),
                               Message.channel == "voice", Message.entry_id.is_(None),
                               Message.speech_text.is_not(None),
                               tuple_(Message.received_at, Message.id)
                               <= tuple_(bindparam("received_at"), bindparam("id")))
                        .order_by(Message.received_at, Message.id))


class NotAnIntakeCall(ValueError):
    """The CallSid belongs to a call callq placed itself, not to an incoming call."""


class RecordingElsewhere(ValueError):
    """The RecordingSid already belongs to the message of another call."""


@dataclass(frozen=True)
class Recording:
    """What Twilio says about a recording, from the Record action or its status callback."""

    sid: str | None
    url: str | None
    seconds: int | None


@db.once_more_if_dropped
def start_call(runtime: Runtime, *, call_sid: str, from_raw: str | None, to_raw: str | None,
               status: str | None, now: datetime) -> tuple[Greeting, str]:
    """An incoming call: record it, decide the mode once (R1-R4); return greeting and language.

    A new call (the usual case) is one transaction on the driver's connection
    (callq.intake_driver): its row and its safety net written, the caller and the agents on
    duty read. A call whose row exists (a retried webhook, a later callback first) takes
    `_start_known_call`, and hears the mode the first callback decided."""
    calendar = runtime.calendar()
    region = calendar.spec.holiday_country
    mode = calendar.mode_at(now)
    first_status = status if status and advances("queued", status) else "queued"
    number = e164(from_raw, region)
    started = intake_driver.start_call(
        runtime.engine, call_sid=call_sid, number=number, to=e164(to_raw, region),
        status=first_status, mode=mode.value, live=mode is Mode.LIVE, now=now,
        safety_key=_safety_key(call_sid), safety_due=now + _safety(runtime))
    if not started.new:
        return _start_known_call(runtime, calendar, call_sid=call_sid, from_raw=from_raw,
                                 to_raw=to_raw, status=status, now=now)
    caller = caller_of(number, started.client)
    greeting = _greeting_of(runtime, calendar, mode, caller, now, started.on_duty)
    return greeting, _language(runtime, caller)


def _start_known_call(runtime: Runtime, calendar: BusinessCalendar, *, call_sid: str,
                      from_raw: str | None, to_raw: str | None, status: str | None,
                      now: datetime) -> tuple[Greeting, str]:
    """start_call for a call whose row exists: keep the latest status, hear the first mode."""
    region = calendar.spec.holiday_country
    with db.write(runtime.sessions) as session:
        call = _lock_call_row(session, calendar, call_sid, from_raw, to_raw, now)
        mode = Mode(call.mode) if call.mode is not None else calendar.mode_at(now)
        caller = identify(session, call.from_number, region)
        greeting = _greeting(session, runtime, calendar, mode, caller, now)
        changes: dict[str, Any] = {}
        if status and advances(call.status, status):
            changes["status"] = status
        if call.mode is None:
            changes["mode"] = mode.value
        if changes:
            session.execute(update(Call).where(Call.call_sid == call_sid)
                            .values(**changes, updated_at=now))
        _schedule_finalize(session, call_sid, "safety", now + _safety(runtime), now,
                           rung=bool(greeting.agent_numbers))
    return greeting, _language(runtime, caller)


@db.once_more_if_dropped
def dial_done(runtime: Runtime, *, call_sid: str, dial_status: str, now: datetime) -> bool:
    """The agents were rung (R1); True when one answered, else the voicemail follows."""
    calendar = runtime.calendar()
    with db.write(runtime.sessions) as session:
        call = _lock_call_row(session, calendar, call_sid, None, None, now)
        if call.dial_status in ANSWERED_DIAL:
            return True  # a later report never undoes an agent's answer
        if call.dial_status != dial_status:
            session.execute(update(Call).where(Call.call_sid == call_sid)
                            .values(dial_status=dial_status, updated_at=now))
        if dial_status in ANSWERED_DIAL:
            return True
        _schedule_finalize(session, call_sid, "safety", now + _safety(runtime), now)
    return False


def record_need(runtime: Runtime, *, call_sid: str, from_raw: str | None, speech: str,
                confidence: float | None, now: datetime) -> Standing | None:
    """The caller's stated need, accepted and filed at once (the CLI's simulations, the demo):
    `accept_need`, then the filing a worker would run; where the caller stands then."""
    accept_need(runtime, call_sid=call_sid, from_raw=from_raw, speech=speech,
                confidence=confidence, now=now)
    file_call(runtime, call_sid, now)
    return standing_of_call(runtime, call_sid=call_sid, now=now)


@db.once_more_if_dropped
def accept_need(runtime: Runtime, *, call_sid: str, from_raw: str | None, speech: str,
                confidence: float | None, now: datetime) -> None:
    """The caller's stated need (speech result, maybe empty): keep it with its message and hand
    the filing (R5-R8) to a worker through the outbox.

    One write transaction of prepared statements on the driver's connection, nothing read or
    classified first (callq.intake_driver); the filing is handed to the queue after the
    answer. Where the caller will stand is for `standing_of_call`, the conversation's next
    step. A message filed before its need came (the call ended first) takes the slow path:
    its entry is reclassified, or the need noted (hear_late_need)."""
    calendar = runtime.calendar()
    need = speech.strip()[:SPEECH_MAX]
    at = runtime.now()  # due on the runtime's clock; filed as of `now` (see _schedule_filing)
    accepted = intake_driver.keep_need(
        runtime.engine, call_sid=call_sid,
        number=lambda: e164(from_raw, calendar.spec.holiday_country),
        need=need, confidence=confidence, now=now, filing_key=f"{FILE}-{call_sid}",
        filing_kind=FILE, filing=_filing_payload(call_sid, now), due=at,
        safety_key=_safety_key(call_sid))
    if accepted.purpose != "intake":
        raise NotAnIntakeCall(f"call {call_sid} is a {accepted.purpose} call, not an incoming one")
    if accepted.filing_id is not None:
        effects.hand_over_committed(runtime, accepted.filing_id, FILE)
    if accepted.message_id is None:  # a duplicate (the first result stands), or filed first
        _hear_after_filing(runtime, calendar, call_sid, from_raw, need, confidence, now)


def standing_of_call(runtime: Runtime, *, call_sid: str, now: datetime) -> Standing | None:
    """Where the caller of this call stands, read without writing: their entry's place once the
    message is filed (the worker files within a second of `accept_need`), else where the
    filing will put it (the same rules, R5-R8); None when it is not in the list."""
    calendar = runtime.calendar()
    with db.read(runtime.sessions) as session:
        known = session.execute(_CALL_AND_MESSAGE, {"call_sid": call_sid}).first()
        if known is None:
            return None
        if known.purpose != "intake":
            raise NotAnIntakeCall(f"call {call_sid} is a {known.purpose} call, not an incoming one")
        if known.entry_id is not None:
            entry = session.get(WaitingEntry, known.entry_id)
            return standing_of(session, runtime, entry, now) if entry else None
        if known.speech_text is None:
            return None  # no need kept: nothing to place yet
        caller = identify(session, known.from_number, calendar.spec.holiday_country)
        found = classify_need(runtime, known.speech_text, caller.language)
        return _foreseen(session, runtime, caller, known.speech_text, known.created_at, found,
                         now)


def _foreseen(session: Session, runtime: Runtime, caller: Caller, need: str,
              received_at: datetime, found: Classification, now: datetime) -> Standing | None:
    ahead = foresee(session, runtime, caller, need, received_at, found)
    if not ahead.listed:
        return None
    return standing_at(session, runtime, position_at(session, ahead.key, ahead.joins), now)


def _hear_after_filing(runtime: Runtime, calendar: BusinessCalendar, call_sid: str,
                       from_raw: str | None, need: str, confidence: float | None,
                       now: datetime) -> None:
    """A need for a message already filed (the call ended first, filed as vague): reclassify
    its entry or note the need (hear_late_need); a duplicate changes nothing."""
    with db.write(runtime.sessions) as session:
        call = _lock_call(session, calendar, call_sid, from_raw, None, now)
        message = _message_of(session, call)
        if message.speech_text is not None:
            return  # a duplicate: the first result stands
        message.speech_text, message.speech_confidence = need, confidence
        if message.entry_id is None:  # not filed after all: the worker files it
            _schedule_filing(session, runtime, call_sid, now)
            return
        hear_late_need(session, runtime, message, now)


def _schedule_filing(session: Session, runtime: Runtime, call_sid: str,
                     accepted_at: datetime) -> None:
    # Due on the runtime's clock (a simulated instant may be another day); filed as of the
    # instant the need was accepted, as if filed in the webhook's own transaction.
    effects.schedule(session, key=f"{FILE}-{call_sid}", kind=FILE,
                     payload=_filing_payload(call_sid, accepted_at),
                     due_at=runtime.now(), now=runtime.now())


def _filing_payload(call_sid: str, accepted_at: datetime) -> dict[str, Any]:
    return {"call_sid": call_sid, "at": accepted_at.isoformat()}


def file_need(runtime: Runtime, effect: SideEffect) -> None:
    """The outbox's filing of an accepted need (kind FILE): runs in a worker right after the
    webhook answered; the reconciler hands it over again if that hand-over was lost.

    One run also files the other accepted needs still waiting (up to FILE_BATCH, in the order
    they were accepted) and marks their filings done, so a worker behind a burst catches up
    in a few transactions instead of one job per message."""
    at = effect.payload.get("at")
    now = datetime.fromisoformat(at) if at else runtime.now()
    calendar = runtime.calendar()
    with db.write(runtime.sessions) as session:
        message = _ready_to_file(session, calendar, effect.payload["call_sid"])
        if message is not None:
            _file_in_order(session, runtime, calendar, message, now)
        _file_waiting(session, runtime, calendar)


def _file_waiting(session: Session, runtime: Runtime, calendar: BusinessCalendar) -> None:
    """File the needs whose filing waits (this run's is running, not waiting); mark those
    filings done. PostgreSQL: filings another run holds are skipped, callers too."""
    postgres = session.get_bind().dialect.name == "postgresql"
    query = _WAITING_FILINGS.with_for_update(skip_locked=True) if postgres \
        else _WAITING_FILINGS
    region = calendar.spec.holiday_country
    done: list[int] = []
    for effect_id, payload in session.execute(query).all():
        call_sid, at = payload["call_sid"], payload.get("at")
        number = session.scalar(_NUMBER_OF_MESSAGE, {"call_sid": call_sid})
        if not try_lock_identity(session, identify(session, number, region).identity):
            continue  # another run files this caller now: its own run will see to it
        message = session.scalar(_MESSAGE_OF_CALL, {"call_sid": call_sid})
        if message is not None and message.entry_id is None:
            _file_in_order(session, runtime, calendar, message,
                           datetime.fromisoformat(at) if at else runtime.now())
        done.append(effect_id)
    if done:
        session.flush()
        session.execute(_mark_filed(done, runtime.now()))


def _mark_filed(effect_ids: list[int], now: datetime) -> Update:
    """The filings of `effect_ids` done, those still pending. Found by id alone: their status
    read through COALESCE, which no index serves (PostgreSQL chose the status index and read
    every pending effect, 3,000 in a burst's backlog, to mark ten)."""
    return (update(SideEffect)
            .where(SideEffect.id.in_(effect_ids),
                   func.coalesce(SideEffect.status, "") == EffectStatus.PENDING)
            .values(status=EffectStatus.DONE, done_at=now))


def file_call(runtime: Runtime, call_sid: str, now: datetime) -> None:
    """File the message of this call, after every earlier message of the same caller still
    waiting for its filing: messages of one caller are filed in the order of their calls
    whichever worker runs first (the caller's lock is taken before anything is read)."""
    calendar = runtime.calendar()
    with db.write(runtime.sessions) as session:
        message = _ready_to_file(session, calendar, call_sid)
        if message is not None:
            _file_in_order(session, runtime, calendar, message, now)


def _ready_to_file(session: Session, calendar: BusinessCalendar,
                   call_sid: str) -> Message | None:
    """The call's message, read after taking its caller's lock; None when it is filed."""
    number = session.scalar(_NUMBER_OF_MESSAGE, {"call_sid": call_sid})
    lock_identity(session, identify(session, number, calendar.spec.holiday_country).identity)
    message = session.scalar(_MESSAGE_OF_CALL, {"call_sid": call_sid})
    return message if message is not None and message.entry_id is None else None


def _file_in_order(session: Session, runtime: Runtime, calendar: BusinessCalendar,
                   message: Message, now: datetime) -> None:
    """File `message`, and first every earlier stated need of its number not filed yet."""
    earlier: list[Message] = []
    if message.from_number:
        earlier = [m for m in session.scalars(_WAITING_TO_BE_FILED, {
            "number": message.from_number, "received_at": message.received_at,
            "id": message.id}) if m.id != message.id]
    for each in (*earlier, message):
        call = session.scalar(_CALL_OF, {"call_sid": each.call_sid})
        if call is not None and each.entry_id is None:
            _file(session, runtime, calendar, call, each, now)


@db.once_more_if_dropped
def record_recording(runtime: Runtime, *, call_sid: str, from_raw: str | None,
                     recording: Recording, finished: bool, now: datetime) -> None:
    """Keep a recording's reference; fetch its audio once it is complete (status callback).

    A call never announced before gets its message filed by the safety net like any other;
    a RecordingSid of another call's message is refused (RecordingElsewhere). Prepared
    statements only: the call's row (locked), the message written or completed in one upsert
    (what it holds already stands), the safety net and the fetch in the outbox."""
    calendar = runtime.calendar()
    with db.write(runtime.sessions) as session:
        call = _lock_call_row(session, calendar, call_sid, from_raw, None, now)
        _refuse_foreign_recording(session, call_sid, recording.sid)
        session.execute(_keep_recording(session.get_bind().dialect.name), {
            "call_sid": call_sid, "from_number": call.from_number,
            "received_at": call.created_at, "recording_sid": recording.sid,
            "recording_url": recording.url, "recording_seconds": recording.seconds,
            "complete": finished})
        _schedule_finalize(session, call_sid, "safety", now + _safety(runtime), now)
        if recording.sid and recording.url:
            effects.schedule(session, key=f"fetch-recording-{recording.sid}",
                             kind="fetch_recording", now=now, due_at=now,
                             payload={"recording_sid": recording.sid, "url": recording.url})


@lru_cache(maxsize=4)
def _keep_recording(dialect: str) -> Any:
    """The call's message with the recording: created as `_message_of` would (the call's
    arrival is the message's, R5), else completed: a reference kept stands, and a message
    complete stays so."""
    table = Message.metadata.tables[Message.__tablename__]
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    fields = ("call_sid", "from_number", "received_at", "recording_sid", "recording_url",
              "recording_seconds", "complete")
    statement = insert(table).values(
        {name: bindparam(name, type_=table.c[name].type) for name in fields}
        | {"channel": "voice"})
    kept = {name: func.coalesce(table.c[name], statement.excluded[name])
            for name in ("recording_sid", "recording_url", "recording_seconds")}
    return statement.on_conflict_do_update(
        index_elements=["call_sid"],
        set_=kept | {"complete": or_(table.c.complete, statement.excluded.complete)})


def _refuse_foreign_recording(session: Session, call_sid: str, sid: str | None) -> None:
    if sid is None:
        return
    owner = session.scalar(select(Message.call_sid).where(Message.recording_sid == sid))
    if owner is not None and owner != call_sid:
        raise RecordingElsewhere(f"recording {sid} belongs to another call")


@db.once_more_if_dropped
def end_call(runtime: Runtime, *, call_sid: str, from_raw: str | None, status: str,
             duration: int | None, sequence: int | None, now: datetime) -> None:
    """A call-status callback: keep the latest state; an ended call files its message (R7).

    Prepared statements only: the call's row (locked, as it is), an UPDATE of what changed;
    when the call ended, its stated need marked complete, or else the filing's timer (the
    pending safety net brought forward: no second outbox row)."""
    calendar = runtime.calendar()
    with db.write(runtime.sessions) as session:
        call = _lock_call_row(session, calendar, call_sid, from_raw, None, now)
        if sequence is not None and sequence <= call.sequence:
            return  # an older callback than one already applied
        latest = status if advances(call.status, status) else call.status
        changes: dict[str, Any] = {}
        if sequence is not None:
            changes["sequence"] = sequence
        if latest != call.status:
            changes["status"] = latest
        if duration is not None:
            changes["duration_seconds"] = duration
        if changes:
            session.execute(update(Call).where(Call.call_sid == call_sid)
                            .values(**changes, updated_at=now))
        if latest in TERMINAL and session.execute(_COMPLETE_STATED, {"sid": call_sid}
                                                  ).first() is None:
            # No need stated yet: file the number as the message after a grace for a late
            # speech result. A stated need is filed already, or its filing is on its way.
            _finalize_by(session, call_sid, now + GRACE, now)


def finalize(runtime: Runtime, effect: SideEffect) -> None:
    """File the message of a call that ended without a stated need: the number is the message."""
    call_sid = effect.payload["call_sid"]
    calendar = runtime.calendar()
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        # The caller's lock before the call's row, in the order filing takes them.
        _ready_to_file(session, calendar, call_sid)
        call = _lock_call(session, calendar, call_sid, None, None, now)
        if call.dial_status in ANSWERED_DIAL:
            return  # an agent took the call live: nothing to call back
        if _recheck_live(session, runtime, call, effect, now):
            return
        message = _message_of(session, call)
        message.complete = True
        if message.entry_id is None:
            session.flush()
            _file_in_order(session, runtime, calendar, message, now)


def fetch_recording(runtime: Runtime, effect: SideEffect) -> None:
    """Download a recording into instance/recordings/ and remember where it is."""
    sid, url = effect.payload["recording_sid"], effect.payload["url"]
    try:
        audio = runtime.calls.fetch_recording(url)
    except LookupError as exc:  # no Twilio account: the URL is all there is
        log.info("recording %s kept as a URL only: %s", sid, exc)
        return
    folder = runtime.settings.instance_path / "recordings"
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{sid}.part"
    partial.write_bytes(audio)
    partial.replace(folder / f"{sid}.mp3")  # a reader never sees half a file
    with db.write(runtime.sessions) as session:
        session.execute(update(Message).where(Message.recording_sid == sid)
                        .values(recording_path=f"recordings/{sid}.mp3"))


def _lock_call_row(session: Session, calendar: BusinessCalendar, call_sid: str,
                   from_raw: str | None, to_raw: str | None, now: datetime) -> Any:
    """The call's row as the webhooks read it (no ORM object), created by the first callback
    that mentions it, locked until commit; an outgoing call's CallSid is refused."""
    call = session.execute(_upsert_call(session.get_bind().dialect.name, core=True),
                           _call_values(calendar, call_sid, from_raw, to_raw, now)).one()
    if call.purpose != "intake":
        raise NotAnIntakeCall(f"call {call_sid} is a {call.purpose} call, not an incoming one")
    return call


def _lock_call(session: Session, calendar: BusinessCalendar, call_sid: str,
               from_raw: str | None, to_raw: str | None, now: datetime) -> Call:
    """The call's row, created by the first callback that mentions it, locked until commit."""
    # One round trip: the no-op DO UPDATE locks an existing row (as FOR UPDATE did) and
    # RETURNING hands back whichever row is now there, new or not.
    call: Call = session.scalars(_upsert_call(session.get_bind().dialect.name), _call_values(
        calendar, call_sid, from_raw, to_raw, now)).one()
    if call.purpose != "intake":
        raise NotAnIntakeCall(f"call {call_sid} is a {call.purpose} call, not an incoming one")
    return call


def _call_values(calendar: BusinessCalendar, call_sid: str, from_raw: str | None,
                 to_raw: str | None, now: datetime) -> dict[str, Any]:
    region = calendar.spec.holiday_country
    return {"call_sid": call_sid, "status": "queued", "mode": None,
            "from_number": e164(from_raw, region), "to_number": e164(to_raw, region),
            "created_at": now, "updated_at": now}


@lru_cache(maxsize=4)
def _upsert_call(dialect: str, core: bool = False) -> Any:
    # Built once per dialect: SQLAlchemy memoizes a statement's cache key, not its recipe.
    table = Call.metadata.tables[Call.__tablename__]
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    fields = ("call_sid", "status", "mode", "from_number", "to_number", "created_at",
              "updated_at")
    statement = insert(table).values(
        {name: bindparam(name, type_=table.c[name].type) for name in fields}
        | {"direction": "inbound", "purpose": "intake", "sequence": -1})
    statement = statement.on_conflict_do_update(
        index_elements=["call_sid"], set_={"call_sid": statement.excluded.call_sid})
    if core:  # the columns the webhooks read, no ORM object
        return statement.returning(table.c.purpose, table.c.from_number, table.c.created_at,
                                   table.c.status, table.c.mode, table.c.sequence,
                                   table.c.dial_status)
    return (select(Call).from_statement(statement.returning(*table.c))
            .execution_options(populate_existing=True))


def _message_of(session: Session, call: Call) -> Message:
    message = session.scalar(_MESSAGE_OF_CALL, {"call_sid": call.call_sid})
    if message is None:
        # The call's arrival is the message's: the waiting room orders on it (R5).
        message = Message(call_sid=call.call_sid, channel="voice", from_number=call.from_number,
                          received_at=call.created_at, complete=False)
        session.add(message)  # inserted by the next flush, with whatever this callback sets
    return message


def _file(session: Session, runtime: Runtime, calendar: BusinessCalendar, call: Call,
          message: Message, now: datetime, found: Classification | None = None) -> Standing | None:
    caller = identify(session, message.from_number, calendar.spec.holiday_country)
    entry = place(session, runtime, message, caller, now, found)
    call.entry_id = entry.id
    if call.status in TERMINAL:  # the call ended before its need was filed
        message.complete = True
    session.flush()
    standing = standing_of(session, runtime, entry, now)
    acknowledge(session, runtime, entry, caller, standing,
                afternoon=call.mode == Mode.APPOINTMENTS, key=call.call_sid)
    return standing


def _greeting(session: Session, runtime: Runtime, calendar: BusinessCalendar, mode: Mode,
              caller: Caller, now: datetime) -> Greeting:
    on_duty = _on_duty_numbers(session, now) if mode is Mode.LIVE else ()
    return _greeting_of(runtime, calendar, mode, caller, now, on_duty)


def _greeting_of(runtime: Runtime, calendar: BusinessCalendar, mode: Mode, caller: Caller,
                 now: datetime, on_duty: tuple[str, ...]) -> Greeting:
    version = version_status(caller.version, runtime.series())
    if mode is Mode.LIVE:
        return Greeting(mode, agent_numbers=on_duty, version=version)
    if mode is Mode.APPOINTMENTS:
        return Greeting(mode, version=version, link_channel=link_channel(caller))
    opening = calendar.next_opening(now)
    return Greeting(mode, version=version,
                    next_opening=calendar.local(opening.start) if opening else None,
                    holiday=calendar.holiday_name(calendar.local(now).date()))


def _on_duty_numbers(session: Session, now: datetime) -> tuple[str, ...]:
    return tuple(session.scalars(intake_driver.ON_DUTY_PHONES, {"now": now}))


def _safety_key(call_sid: str) -> str:
    return f"intake-finalize-{call_sid}-safety"


def _schedule_finalize(session: Session, call_sid: str, why: str, due_at: datetime,
                       now: datetime, *, rung: bool = False) -> None:
    effects.schedule(session, key=f"intake-finalize-{call_sid}-{why}", kind="intake_finalize",
                     payload={"call_sid": call_sid, "rung": rung}, due_at=due_at, now=now)


def _finalize_by(session: Session, call_sid: str, due_at: datetime, now: datetime) -> None:
    """The call's pending safety net brought forward (one outbox row per call, not two);
    a finalize of its own when none is pending (it ran, or is running)."""
    keys = [f"intake-finalize-{call_sid}-safety",
            *(f"intake-finalize-{call_sid}-safety-{n}" for n in range(2, LIVE_RECHECKS + 1))]
    if effects.bring_forward(session, keys=keys, due_at=due_at, now=now) is None:
        _schedule_finalize(session, call_sid, "ended", due_at, now)


def _safety(runtime: Runtime) -> timedelta:
    return timedelta(seconds=runtime.settings.intake_safety_seconds)


def _recheck_live(session: Session, runtime: Runtime, call: Call, effect: SideEffect,
                  now: datetime) -> bool:
    """A call that rang agents and has no news may still be a conversation with one of them:
    look again later (a few times), rather than file a message the agent is answering."""
    round_ = int(effect.payload.get("round", 1))
    if not effect.payload.get("rung") or call.dial_status is not None \
            or call.status in TERMINAL or round_ >= LIVE_RECHECKS:
        return False
    effects.schedule(session, key=f"intake-finalize-{call.call_sid}-safety-{round_ + 1}",
                     kind="intake_finalize",
                     payload={"call_sid": call.call_sid, "rung": True, "round": round_ + 1},
                     due_at=now + _safety(runtime), now=now)
    return True


def _language(runtime: Runtime, caller: Caller) -> str:
    return i18n.supported(caller.language or runtime.settings.language)
