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

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from callq import db, effects, i18n, notify
from callq.callers import Caller, e164, identify, link_channel
from callq.calls.greeting import Greeting
from callq.calls.rules import TERMINAL, advances
from callq.models import Absence, Agent, Call, Message, SideEffect, WaitingEntry
from callq.placement import classify_need, hear_late_need, place
from callq.waiting.classify import Classification
from callq.waiting.versions import version_status
from scheduling.calendar import BusinessCalendar, Mode
from scheduling.links import booking_link

if TYPE_CHECKING:
    from callq.runtime import Runtime

log = logging.getLogger(__name__)

# `<Dial>` outcomes that mean an agent took the call live (R1): nothing to call back.
ANSWERED_DIAL = frozenset({"completed", "answered"})
GRACE = timedelta(seconds=30)  # a speech result may still be on its way when the call ends
SAFETY_NET = timedelta(minutes=15)  # longer than any voicemail: prompts + 2 min of recording


# Statements built once: SQLAlchemy memoizes a statement's cache key, so each use skips
# building and keying it again.
_MESSAGE_OF_CALL = select(Message).where(Message.call_sid == bindparam("call_sid"))
_ABSENT = select(Absence.agent_id).where(Absence.starts_at <= bindparam("now"),
                                         Absence.ends_at > bindparam("now"))
_ON_DUTY_PHONES = (select(Agent.phone)
                   .where(Agent.active.is_(True), Agent.phone.is_not(None),
                          Agent.id.not_in(_ABSENT))
                   .order_by(Agent.id))


class NotAnIntakeCall(ValueError):
    """The CallSid belongs to a call callq placed itself, not to an incoming call."""


@dataclass(frozen=True)
class Recording:
    """What Twilio says about a recording, from the Record action or its status callback."""

    sid: str | None
    url: str | None
    seconds: int | None


def start_call(runtime: Runtime, *, call_sid: str, from_raw: str | None, to_raw: str | None,
               status: str | None, now: datetime) -> tuple[Greeting, str]:
    """An incoming call: record it, decide the mode once (R1-R4); return greeting and language."""
    calendar = runtime.calendar()
    mode = calendar.mode_at(now)
    first_status = status if status and advances("queued", status) else "queued"
    with db.write(runtime.sessions) as session:
        # A new row is written as this callback leaves it: no second UPDATE to flush.
        call = _lock_call(session, calendar, call_sid, from_raw, to_raw, now,
                          status=first_status, mode=mode.value)
        if status and advances(call.status, status):
            call.status = status
        if call.mode is None:  # a retried webhook hears what the first one heard
            call.mode = mode
        caller = identify(session, call.from_number, calendar.spec.holiday_country)
        greeting = _greeting(session, runtime, calendar, Mode(call.mode), caller, now)
        if not greeting.agent_numbers:
            _schedule_finalize(session, call_sid, "safety", now + SAFETY_NET, now)
    return greeting, _language(runtime, caller)


def dial_done(runtime: Runtime, *, call_sid: str, dial_status: str, now: datetime) -> bool:
    """The agents were rung (R1); True when one answered, else the voicemail follows."""
    calendar = runtime.calendar()
    with db.write(runtime.sessions) as session:
        call = _lock_call(session, calendar, call_sid, None, None, now)
        call.dial_status = call.dial_status if call.dial_status in ANSWERED_DIAL else dial_status
        answered = call.dial_status in ANSWERED_DIAL
        if not answered:
            _schedule_finalize(session, call_sid, "safety", now + SAFETY_NET, now)
    return answered


def record_need(runtime: Runtime, *, call_sid: str, from_raw: str | None, speech: str,
                confidence: float | None, now: datetime) -> None:
    """The caller's stated need (speech result, maybe empty): file the message (R5-R8)."""
    calendar = runtime.calendar()
    need = speech.strip()
    found = classify_need(runtime, need)  # pure work: before the write lock, not under it
    with db.write(runtime.sessions) as session:
        call = _lock_call(session, calendar, call_sid, from_raw, None, now)
        message = _message_of(session, call)
        if message.speech_text is not None:
            return  # a duplicate delivery: the first result stands
        message.speech_text, message.speech_confidence = need, confidence
        if message.entry_id is None:
            _file(session, runtime, calendar, call, message, now, found)
        else:
            hear_late_need(session, runtime, message, now, found)


def record_recording(runtime: Runtime, *, call_sid: str, from_raw: str | None,
                     recording: Recording, finished: bool, now: datetime) -> None:
    """Keep a recording's reference; fetch its audio once it is complete (status callback)."""
    calendar = runtime.calendar()
    with db.write(runtime.sessions) as session:
        call = _lock_call(session, calendar, call_sid, from_raw, None, now)
        message = _message_of(session, call)
        message.recording_sid = message.recording_sid or recording.sid
        message.recording_url = message.recording_url or recording.url
        if message.recording_seconds is None:
            message.recording_seconds = recording.seconds
        message.complete = message.complete or finished
        if recording.sid and recording.url:
            effects.schedule(session, key=f"fetch-recording-{recording.sid}",
                             kind="fetch_recording", now=now, due_at=now,
                             payload={"recording_sid": recording.sid, "url": recording.url})


def end_call(runtime: Runtime, *, call_sid: str, from_raw: str | None, status: str,
             duration: int | None, sequence: int | None, now: datetime) -> None:
    """A call-status callback: keep the latest state; an ended call files its message (R7)."""
    calendar = runtime.calendar()
    with db.write(runtime.sessions) as session:
        call = _lock_call(session, calendar, call_sid, from_raw, None, now)
        if sequence is not None and sequence <= call.sequence:
            return  # an older callback than one already applied
        call.sequence = sequence if sequence is not None else call.sequence
        call.status = status if advances(call.status, status) else call.status
        call.duration_seconds = duration if duration is not None else call.duration_seconds
        if call.status in TERMINAL:
            _schedule_finalize(session, call_sid, "ended", now + GRACE, now)


def finalize(runtime: Runtime, effect: SideEffect) -> None:
    """File the message of a call that ended without a stated need: the number is the message."""
    call_sid = effect.payload["call_sid"]
    calendar = runtime.calendar()
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        call = _lock_call(session, calendar, call_sid, None, None, now)
        if call.dial_status in ANSWERED_DIAL:
            return  # an agent took the call live: nothing to call back
        message = _message_of(session, call)
        message.complete = True
        if message.entry_id is None:
            _file(session, runtime, calendar, call, message, now)


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


def _lock_call(session: Session, calendar: BusinessCalendar, call_sid: str,
               from_raw: str | None, to_raw: str | None, now: datetime, *,
               status: str = "queued", mode: str | None = None) -> Call:
    """The call's row, created by the first callback that mentions it, locked until commit."""
    region = calendar.spec.holiday_country
    # One round trip: the no-op DO UPDATE locks an existing row (as FOR UPDATE did) and
    # RETURNING hands back whichever row is now there, new or not.
    call: Call = session.scalars(_upsert_call(session.get_bind().dialect.name), {
        "call_sid": call_sid, "status": status, "mode": mode,
        "from_number": e164(from_raw, region), "to_number": e164(to_raw, region),
        "created_at": now, "updated_at": now,
    }).one()
    if call.purpose != "intake":
        raise NotAnIntakeCall(f"call {call_sid} is a {call.purpose} call, not an incoming one")
    return call


@lru_cache(maxsize=2)
def _upsert_call(dialect: str) -> Any:
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
          message: Message, now: datetime, found: Classification | None = None) -> None:
    caller = identify(session, message.from_number, calendar.spec.holiday_country)
    entry = place(session, runtime, message, caller, now, found)
    call.entry_id = entry.id
    if call.mode == Mode.APPOINTMENTS:
        _send_booking_link(session, runtime, call, entry, caller)


def _send_booking_link(session: Session, runtime: Runtime, call: Call, entry: WaitingEntry,
                       caller: Caller) -> None:
    """Afternoons are by appointment (R2): the caller gets a link to book a slot."""
    channel, lang = link_channel(caller), _language(runtime, caller)
    link = booking_link(runtime, entry_id=entry.id, client_id=caller.client_id,
                        phone=caller.number, email=caller.email, lang=lang,
                        name=caller.client_name)
    if channel == "sms" and caller.number:
        body = i18n.gettext("Support: choose your callback slot here: %(link)s", lang, link=link)
        notify.queue_sms(session, runtime, key=f"booking-sms-{call.call_sid}", to=caller.number,
                         body=body)
    elif channel == "email" and caller.email:
        text = i18n.gettext("Hello,\n\nYou called support this afternoon. In the afternoon we "
                            "call back by appointment: choose your slot here:\n%(link)s\n\n"
                            "Technical support", lang, link=link)
        notify.queue_email(session, runtime, key=f"booking-email-{call.call_sid}",
                           to=caller.email, text=text,
                           subject=i18n.gettext("Choose a callback slot with support", lang))


def _greeting(session: Session, runtime: Runtime, calendar: BusinessCalendar, mode: Mode,
              caller: Caller, now: datetime) -> Greeting:
    version = version_status(caller.version, runtime.series())
    if mode is Mode.LIVE:
        return Greeting(mode, agent_numbers=_on_duty_numbers(session, now), version=version)
    if mode is Mode.APPOINTMENTS:
        return Greeting(mode, version=version, link_channel=link_channel(caller))
    opening = calendar.next_opening(now)
    return Greeting(mode, version=version,
                    next_opening=calendar.local(opening.start) if opening else None,
                    holiday=calendar.holiday_name(calendar.local(now).date()))


def _on_duty_numbers(session: Session, now: datetime) -> tuple[str, ...]:
    return tuple(phone for phone in session.scalars(_ON_DUTY_PHONES, {"now": now}) if phone)


def _schedule_finalize(session: Session, call_sid: str, why: str, due_at: datetime,
                       now: datetime) -> None:
    effects.schedule(session, key=f"intake-finalize-{call_sid}-{why}", kind="intake_finalize",
                     payload={"call_sid": call_sid}, due_at=due_at, now=now)


def _language(runtime: Runtime, caller: Caller) -> str:
    return i18n.supported(caller.language or runtime.settings.language)
