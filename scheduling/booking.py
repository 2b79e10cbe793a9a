"""Booking, moving and cancelling appointments (R12, R13), and sending booking links.

Call these inside `db.write(...)`: on SQLite its BEGIN IMMEDIATE makes check-then-write atomic;
on PostgreSQL the exclusion constraint refuses an overlap, caught in a SAVEPOINT so the
caller's transaction survives and the next free agent at that time can be tried.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from callq import formats, history, i18n, notify, texting
from callq.formats import one_line
from callq.models import Appointment, ClientPhone, WaitingEntry
from callq.status import Outcome
from callq.waiting.phones import normalize_number
from callq.workspace.links import cancel_url
from scheduling import (
    agenda,
    appointment_writer,
    entries,
    letters,
    lifecycle,
    links,
    notices,
    timers,
)
from scheduling.calendar import utc

if TYPE_CHECKING:
    from callq.runtime import Runtime

_EMAIL = re.compile(r"[^@\s<>\"(),;:\[\]\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


class SlotTaken(Exception):
    """The time asked for is not free (any more); `next_times` are the nearest free ones."""

    def __init__(self, next_times: list[tuple[datetime, datetime]]) -> None:
        super().__init__("this time is no longer free")
        self.next_times = next_times


class Unchangeable(ValueError):
    """The appointment cannot be changed: cancelled, done, started, or the link is stale."""


def is_email(text: str) -> bool:
    """A bare address an invitation can be sent to (no name, no angle brackets)."""
    return bool(_EMAIL.fullmatch(text))


def callable_number(runtime: Runtime, raw: str | None) -> str | None:
    """The E.164 form of a number callq can call (national numbers of the calendar's country)."""
    return normalize_number(raw, runtime.calendar().spec.holiday_country)


def clean_contact(runtime: Runtime, name: str, email: str | None,
                  phone: str | None) -> tuple[str, str | None, str]:
    """(name, email, E.164 phone) or ValueError naming the bad field; a callback needs a phone."""
    email = (email or "").strip() or None
    if email is not None and not is_email(email):
        raise ValueError("email")
    number = callable_number(runtime, phone)
    if number is None:
        raise ValueError("phone")
    return one_line(name)[:200], email, number


def book_slot(
    session: Session, runtime: Runtime, *, start: datetime, client_name: str,
    client_email: str | None, client_phone: str | None, client_id: int | None,
    entry_id: int | None, lang: str, agent_id: int | None = None, follows_id: int | None = None,
    actor: str = "client", by_agent: int | None = None,
) -> Appointment:
    """Book the free slot at `start` (with `agent_id`, or the free agent with the fewest
    appointments that day); SlotTaken if none.

    Queues the invitation, schedules reminders, the staffing check and the call, and hands the
    waiting entry (if any) over to the appointment: the one a merge left, or a new one for the
    need of a closed entry (scheduling.entries.serving).
    """
    name, email, phone = clean_contact(runtime, client_name, client_email, client_phone)
    start = utc(start)
    now = runtime.now()
    entry_id = entries.serving(session, runtime, entry_id, at=now)
    if client_id is None:
        client_id = session.scalar(select(ClientPhone.client_id).where(ClientPhone.number == phone))
    fields = dict(client_id=client_id, entry_id=entry_id, follows_id=follows_id, client_name=name,
                  client_email=email, client_phone=phone, language=lang, created_at=now,
                  updated_at=now)
    candidates = dict(_candidates(session, runtime, start, agent_id, exclude=None))
    for candidate in agenda.least_booked_first(session, runtime, list(candidates), start):
        appt = Appointment(agent_id=candidate, starts_at=start, ends_at=candidates[candidate],
                           **fields)
        if try_change(session, partial(session.add, appt)):
            break
    else:
        raise SlotTaken(_offers(session, runtime, start, exclude=None))
    appointment_writer.apply(session, appt, lifecycle.Booked(
        at=now, starts_at=start, actor=actor, by_agent=by_agent, follows_id=follows_id))
    notices.announce(session, runtime, appt, "booked")
    timers.plan(session, runtime, appt)
    entries.mark_booked(session, appt, at=now)
    return appt


def move_appointment(
    session: Session, runtime: Runtime, appointment_id: int, *, start: datetime,
    actor: str = "client", by_agent: int | None = None, sequence: int | None = None,
) -> Appointment:
    """Move an appointment to the free slot at `start`: same row and UID, SEQUENCE + 1.

    Keeps its agent when free then, else takes the first free one; SlotTaken if nobody is.
    """
    from scheduling.offers import slot_freed  # the waitlist books through this module

    appt = changeable(session, runtime, appointment_id, sequence=sequence)
    length = appt.ends_at - appt.starts_at
    old_start = retime(session, runtime, appt, utc(start))
    slot_freed(session, runtime, old_start, old_start + length)
    return record_change(session, runtime, appt, lifecycle.Moved(
        at=runtime.now(), actor=actor, by_agent=by_agent, from_start=old_start))


def retime(session: Session, runtime: Runtime, appt: Appointment, start: datetime) -> datetime:
    """Give a locked appointment the time `start` (its agent first), or SlotTaken; returns the
    old start. The caller then records the change (record_change) with its event."""
    old_start = appt.starts_at
    preferred = sorted(_candidates(session, runtime, start, None, exclude=appt.id),
                       key=lambda pair: pair[0] != appt.agent_id)
    if not _retimed(session, appt, start, preferred):
        raise SlotTaken(_offers(session, runtime, start, exclude=appt.id))
    return old_start


def cancel_appointment(
    session: Session, runtime: Runtime, appointment_id: int, *, actor: str = "client",
    by_agent: int | None = None, solved: bool = False, sequence: int | None = None,
    offers: list[tuple[datetime, datetime]] | None = None,
) -> Appointment:
    """Cancel: METHOD:CANCEL with SEQUENCE + 1; the need goes back to the list (or closes)."""
    appt = changeable(session, runtime, appointment_id, sequence=sequence)
    return withdraw(session, runtime, appt, lifecycle.Cancelled(
        at=runtime.now(), actor=actor, by_agent=by_agent, solved=solved), offers=offers)


def withdraw(session: Session, runtime: Runtime, appt: Appointment,
             event: lifecycle.Withdrawal,
             offers: list[tuple[datetime, datetime]] | None = None) -> Appointment:
    """Cancel a locked appointment (cancelled, unstaffed or given up): the client is told and
    the need goes back to the list, waits for the client, or closes."""
    from scheduling.offers import slot_freed  # the waitlist books through this module

    appointment_writer.apply(session, appt, event)
    session.flush()
    slot_freed(session, runtime, appt.starts_at, appt.ends_at)
    notices.announce(session, runtime, appt, event.name, offers=offers or [],
                     count=appt.no_shows)
    entries.release(session, appt, at=event.at,
                    awaiting_client=isinstance(event, lifecycle.GivenUp),
                    closing=Outcome.CANCELLED_BY_CLIENT if event.solved else None)
    return appt


def changeable(session: Session, runtime: Runtime, appointment_id: int, *,
               sequence: int | None = None) -> Appointment:
    """The appointment, locked, if it is still booked and to come (at `sequence` if given)."""
    appt = session.get(Appointment, appointment_id, with_for_update=True)
    if appt is None:
        raise Unchangeable("unknown")
    if sequence is not None and appt.sequence != sequence:
        raise Unchangeable("stale")
    if not lifecycle.changeable(appointment_writer.state_of(appt), runtime.now()):
        raise Unchangeable("closed")
    return appt


def reassign(session: Session, runtime: Runtime, appt: Appointment,
             agents: Iterable[int]) -> bool:
    """Hand the appointment to the first of `agents` the database accepts (R14); tell the client."""
    for agent in agents:
        if try_change(session, partial(setattr, appt, "agent_id", agent)):
            record_change(session, runtime, appt, lifecycle.Reassigned(at=runtime.now()))
            return True
    return False


def send_booking_link(
    session: Session, runtime: Runtime, *, entry_id: int | None, client_id: int | None,
    email: str | None, phone: str | None, lang: str, name: str | None = None,
    by_agent: int | None = None,
) -> str:
    """Queue a booking link by email and/or SMS to the client; return the link (R13).

    An address or number that cannot be used is left out; ValueError when none is left.
    """
    email = email.strip() if email and is_email(email.strip()) else None
    phone = callable_number(runtime, phone) if phone else None
    if not email and not phone:
        raise ValueError("an email address or a phone number is needed")
    now = runtime.now()
    until = link_until(runtime, entry_id)
    url = links.booking_link(runtime, entry_id=entry_id, client_id=client_id, phone=phone,
                             email=email, lang=lang, name=name, until=until)
    key = f"booking-link-{links.token_id(url)[:32]}"
    entry = session.get(WaitingEntry, entry_id) if entry_id is not None else None
    need = entry.need_text if entry else None
    if email:
        shown = formats.day(until.astimezone(agenda.local_zone(runtime)).date(), lang)
        actions = [(i18n.gettext("Pick a time", lang), url)]
        if entry is not None:  # an open entry: the client may say it is solved
            actions.append((i18n.gettext("My problem is solved", lang),
                            cancel_url(runtime, entry.id, lang, until=until)))
        mail = letters.render(letters.Draft(
            lang=lang, name=name or "", subject=letters.subject("link", lang),
            paragraphs=[letters.paragraph("link", lang, until=shown)], actions=actions,
            request=texting.request_phrase(need, lang) if entry else "",
            brand=texting.brand(runtime, lang)))
        notify.queue_email(session, runtime, key=f"{key}-email", to=email, subject=mail.subject,
                           text=mail.text, html=mail.html)
    if phone:
        body = texting.text(session, runtime, letters.SMS["link"], lang, need=need, url=url,
                            until=until)
        notify.queue_sms(session, runtime, key=f"{key}-sms", to=phone, body=body)
    if entry_id is not None:
        history.record_event(session, entry_id, "booking_link_sent", at=now,
                             actor="agent" if by_agent else "system", agent_id=by_agent,
                             detail={"email": bool(email), "sms": bool(phone)})
    return url


def link_until(runtime: Runtime, entry_id: int | None) -> datetime:
    """Until when a booking link serves: for a waiting entry, as long as it waits for its
    client (R10: it closes after CLIENT_CLOSE_DAYS); else the set link lifetime."""
    settings = runtime.settings
    days = settings.link_max_age_days
    if entry_id is not None:
        days = max(days, settings.client_close_days)
    return runtime.now() + timedelta(days=days)


def _candidates(session: Session, runtime: Runtime, start: datetime, agent_id: int | None,
                exclude: int | None) -> list[tuple[int, datetime]]:
    """(agent, slot end) of every agent free at `start` on the grid (only `agent_id` if given)."""
    agents = None if agent_id is None else [agent_id]
    slots = agenda.open_slots(session, runtime, after=start, agents=agents, exclude=exclude,
                              limit=len(agents or agenda.agent_ids(session)) or 1)
    return [(slot.agent_id, slot.end) for slot in slots if slot.start == start]


def try_change(session: Session, change: Callable[[], object]) -> bool:
    """Apply a change in a SAVEPOINT; False when the database refuses it (an overlap)."""
    try:
        with session.begin_nested():
            change()
            session.flush()
    except DBAPIError as exc:
        if not refused_overlap(exc):
            raise
        return False
    return True


def refused_overlap(exc: DBAPIError) -> bool:
    """An overlap refused by the exclusion constraint, or a deadlock between two overlapping
    inserts (PostgreSQL aborts one of two transactions that each wait on the other's row while
    checking the constraint: the aborted one simply lost the slot)."""
    return isinstance(exc, IntegrityError) or getattr(exc.orig, "sqlstate", None) == "40P01"


def _retimed(session: Session, appt: Appointment, start: datetime,
             candidates: list[tuple[int, datetime]]) -> bool:
    for agent, end in candidates:
        def change(a: int = agent, e: datetime = end) -> None:
            appt.agent_id, appt.starts_at, appt.ends_at = a, start, e

        if try_change(session, change):
            return True
    return False


def record_change(session: Session, runtime: Runtime, appt: Appointment,
                  event: lifecycle.Change) -> Appointment:
    """After a change of time, agent or length: the event (SEQUENCE + 1), a new REQUEST to the
    client, the timers of the new time."""
    appointment_writer.apply(session, appt, event)
    session.flush()
    old_start = event.from_start if isinstance(event, lifecycle.Moved) else None
    notices.announce(session, runtime, appt, event.name, old_start=old_start)
    timers.plan(session, runtime, appt)
    return appt


def _offers(session: Session, runtime: Runtime, start: datetime,
            exclude: int | None) -> list[tuple[datetime, datetime]]:
    """The nearest free times after a refusal at `start`, never `start` itself: a rival that
    made us lose it in a deadlock (PostgreSQL) may not have committed it yet, so it can still
    read as free here."""
    for after in (start, None):
        times = [t for t in agenda.next_times(session, runtime, after=after, exclude=exclude,
                                              count=agenda.OFFERED + 1) if t[0] != start]
        if times:
            return times[:agenda.OFFERED]
    return []
