"""Receiving one email: read it (pure, before any lock), then file it into the waiting room in
one transaction, like a voicemail (R5-R8), by the seeds' email rules. Idempotent on the
Message-ID: the same email delivered twice (an MTA retry, a poller that died before moving it)
files nothing the second time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from callq import db, i18n
from callq.callers import Caller, identify_sender
from callq.inbox import answers, files, rules
from callq.inbox.reading import Email, Ignored, read_email
from callq.inbox.text import number_in
from callq.models import Appointment, Call, Message, MessageAttachment, SideEffect, WaitingEntry
from callq.placement import Filing, classify_need, lexicon_at, place

if TYPE_CHECKING:
    from callq.runtime import Runtime

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Receipt:
    """What became of an email: filed (a new entry), attached, duplicate or ignored."""

    outcome: str
    reason: str = ""
    entry_id: int | None = None
    flags: tuple[str, ...] = ()


def receive(runtime: Runtime, raw: bytes, received_at: datetime | None = None) -> Receipt:
    """File one RFC 5322 message; bad input is ignored with a log line, never an exception.

    Database failures do raise: the caller must keep the email and try again later.
    """
    read = read_email(raw, max_bytes=runtime.settings.mail_max_bytes)
    if isinstance(read, Ignored):
        return _ignored(read.reason, read.detail, read.message_id, read.sender)
    if read.sender == parseaddr(runtime.settings.mail_from)[1].lower():
        return _ignored("loop", "sent by callq's own address", read.message_id, read.sender)
    if read.repaired_charset:
        log.warning("email %s from %s: wrong charset declared, read as UTF-8 or Windows-1252",
                    read.message_id, read.sender)
    stored = files.store(runtime.settings.instance_path, read.attachments)
    now = runtime.now()
    arrived = min(received_at, now) if received_at else now
    try:
        with db.write(runtime.sessions) as session:
            if session.scalar(select(Message.id).where(Message.mail_message_id ==
                                                       read.message_id)):
                log.info("email %s already filed: nothing to do", read.message_id)
                return Receipt("duplicate", "already filed")
            receipt = _file(session, runtime, read, stored, arrived, now)
    except IntegrityError:
        if not _known(runtime, read.message_id):
            raise
        # The same email delivered twice at once (the MTA and the poller): the other won.
        log.info("email %s filed meanwhile by another delivery", read.message_id)
        return Receipt("duplicate", "already filed")
    log.info("email %s from %s %s entry %s %s", read.message_id, read.sender, receipt.outcome,
             receipt.entry_id, ",".join(receipt.flags))
    return receipt


def _known(runtime: Runtime, message_id: str) -> bool:
    with db.read(runtime.sessions) as session:
        return session.scalar(select(Message.id).where(
            Message.mail_message_id == message_id)) is not None


def _ignored(reason: str, detail: str, message_id: str | None, sender: str | None) -> Receipt:
    log.warning("email %s from %s ignored (%s): %s", message_id or "?", sender or "?", reason,
                detail)
    return Receipt("ignored", f"{reason}: {detail}")


def _file(session: Session, runtime: Runtime, read: Email, stored: list[files.Stored],
          arrived: datetime, now: datetime) -> Receipt:
    calendar = runtime.calendar()
    region = calendar.spec.holiday_country
    caller = identify_sender(session, read.sender, number_in(read.text, region), read.language)
    lang = i18n.supported(caller.language or runtime.settings.language)
    start, end = rules.local_day(arrived, calendar.tz)
    day = rules.day_rule(_emails_between(session, caller, start, end),
                         runtime.settings.mail_daily_limit)
    answered = _answered_entry(session, runtime, read)
    lexicon = lexicon_at(runtime.settings.lexicon_path, caller.language)
    flags = _flags(read, runtime, lexicon, answered, day)
    need = rules.need_of(read.subject, read.new_text)
    message = Message(
        channel="email", from_number=caller.number, received_at=arrived, complete=True,
        speech_text=need, mail_message_id=read.message_id, from_email=read.sender,
        subject=read.subject or None, body_text=read.new_text or read.text or None,
        email_facts={"flags": list(flags), "language": read.language, "html_only":
                     read.html_only, "charset_repaired": read.repaired_charset,
                     "sender_name": read.sender_name},
        attachments=[MessageAttachment(filename=s.filename, content_type=s.content_type,
                                       size=s.size, path=s.path) for s in stored],
    )
    session.add(message)  # inserted by place()'s flush, with the entry it points to
    found = classify_need(runtime, need, caller.language)
    filing = Filing(entry_id=answered, attach_only=day.attach_only,
                    moves_back=runtime.settings.mail_moves_back,
                    detail={"channel": "email", "mail_flags": list(flags)})
    entry = place(session, runtime, message, caller, now, found, filing)
    if "long" in flags:
        answers.answer_long(session, runtime, entry, caller, message.id, read.sender, lang)
    if day.tell_client:
        answers.tell_daily_limit(session, runtime, entry, read.sender, lang,
                                 arrived.astimezone(calendar.tz).date())
    outcome = "filed" if entry.messages_count == 1 else "attached"
    return Receipt(outcome, entry_id=entry.id, flags=flags)


def _flags(read: Email, runtime: Runtime, lexicon: Any, answered: int | None,
           day: rules.DayRule) -> tuple[str, ...]:
    flags = []
    if answered is not None:
        flags.append("answer")
    if day.attach_only:
        flags.append("over_daily_limit")
    if len(read.new_text) > runtime.settings.mail_long_chars:
        flags.append("long")
    if rules.several_subjects(read.new_text, lexicon):
        flags.append("several_subjects")
    return tuple(flags)


def _emails_between(session: Session, caller: Caller, start: datetime, end: datetime) -> int:
    """The emails this client (or this address) sent in the interval."""
    same = [Message.from_email == caller.address]
    if caller.client_id is not None:
        same.append(WaitingEntry.client_id == caller.client_id)
    return session.scalar(
        select(func.count(Message.id))
        .outerjoin(WaitingEntry, Message.entry_id == WaitingEntry.id)
        .where(Message.channel == "email", Message.received_at >= start,
               Message.received_at < end, or_(*same))) or 0


def _answered_entry(session: Session, runtime: Runtime, read: Email) -> int | None:
    """The entry an email answers: our token in its subject, else one of our emails it replies
    to (sent to this very address, so a forged In-Reply-To cannot move another's entry)."""
    by_token = rules.token_entry(runtime.settings.secret_key, read.subject)
    if by_token is not None:
        return by_token
    domain = parseaddr(runtime.settings.mail_from)[1].rpartition("@")[2]
    for reference in read.references:
        key = rules.our_key(reference, domain)
        if key is None:
            continue
        sent = session.scalar(select(SideEffect).where(SideEffect.key == key,
                                                       SideEffect.kind == "email"))
        if sent is None or parseaddr(str(sent.payload.get("to", "")))[1].lower() != read.sender:
            continue
        entry_id = _entry_of(session, rules.reference_of(key))
        if entry_id is not None:
            return entry_id
    return None


def _entry_of(session: Session, reference: rules.Reference | None) -> int | None:
    if reference is None:
        return None
    if reference.kind == "entry":
        return int(reference.value)
    if reference.kind == "appointment":
        return session.scalar(select(Appointment.entry_id)
                              .where(Appointment.id == int(reference.value)))
    return session.scalar(select(Call.entry_id).where(Call.call_sid == reference.value))
