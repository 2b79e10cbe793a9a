"""The clients' side of the planner (R13), one transaction per use case: what a booking link
offers, booking with it (the link is spent in the booking's own transaction), and seeing,
moving or cancelling an appointment from its manage link.

A link that cannot be honoured raises LinkError (its reason: invalid, expired, used,
stale, closed, unknown); a time no longer free raises booking.SlotTaken with the next ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from callq import db, i18n
from callq.models import Appointment, UsedToken, WaitingEntry
from callq.tokens import LinkError
from scheduling import agenda, client_rules, links, notices
from scheduling.booking import Unchangeable, book_slot, cancel_appointment, changeable
from scheduling.booking import move_appointment as move_service
from scheduling.invitations import build_feed
from scheduling.read import AppointmentView, view_of

if TYPE_CHECKING:
    from callq.runtime import Runtime

Times = list[tuple[datetime, datetime]]


@dataclass(frozen=True)
class Contact:
    """What the client typed on the booking form."""

    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class Managed:
    """An appointment seen through its manage link, and the times it could move to."""

    appointment: AppointmentView
    times: Times
    lang: str
    need: str = ""  # the request it is about, as the client stated it
    too_late: bool = False  # inside the minimum notice: call instead of changing online


class TooLate(Exception):
    """The appointment is inside the minimum notice: it is not changed online."""


def read_grant(runtime: Runtime, token: str) -> links.BookingGrant:
    """What a booking link allows (LinkError if nothing); no database needed."""
    return links.read_booking(runtime.settings.secret_key, token, runtime.now(),
                              links.max_age(runtime))


def offer(runtime: Runtime, grant: links.BookingGrant) -> Times:
    """The free times a booking link offers; LinkError("used") once it was spent."""
    with db.read(runtime.sessions) as session:
        if _spent(session, grant.token_id):
            raise LinkError("used")
        return open_times(session, runtime)


def free_times_now(runtime: Runtime, exclude: int | None = None) -> Times:
    """Every free time from now on (another appointment's own time excluded)."""
    with db.read(runtime.sessions) as session:
        return open_times(session, runtime, exclude)


def open_times(session: Session, runtime: Runtime, exclude: int | None = None) -> Times:
    """Every free time from now on, inside the caller's transaction."""
    return agenda.open_times(session, runtime, exclude=exclude)


def book_with_link(runtime: Runtime, grant: links.BookingGrant, start: datetime | None,
                   contact: Contact, lang: str) -> str:
    """Book `start` with the link; returns the appointment's manage path.

    ValueError names a bad field; SlotTaken when the time went; LinkError("used") when the
    link was spent, by this transaction's rival or before.
    """
    if start is None:
        raise ValueError("start")
    with db.write(runtime.sessions) as session:
        _spend(session, runtime, grant.token_id)
        appt = book_slot(session, runtime, start=start, client_name=contact.name,
                         client_email=contact.email or grant.email,
                         client_phone=contact.phone or grant.phone,
                         client_id=grant.client_id, entry_id=grant.entry_id, lang=lang)
        return manage_path(runtime, appt)


def manage_path(runtime: Runtime, appt: Appointment) -> str:
    """The path of the appointment's manage page, at its current SEQUENCE."""
    token = links.manage_token(runtime, appointment_id=appt.id, sequence=appt.sequence,
                               lang=appt.language, until=appt.ends_at)
    return f"/book/appointment/{token}"


def manage_grant(runtime: Runtime, token: str) -> links.ManageGrant:
    """What a manage link allows (LinkError if nothing); no database needed."""
    return links.read_manage(runtime.settings.secret_key, token, runtime.now(),
                             links.max_age(runtime))


def managed(runtime: Runtime, grant: links.ManageGrant) -> Managed:
    """The appointment the link names, if still current, and where it could move to."""
    with db.read(runtime.sessions) as session:
        appt = _current(session, runtime, grant)
        late = _too_late(runtime, appt)
        times = [] if late else open_times(session, runtime, exclude=appt.id)
        return Managed(view_of(appt), times, grant.lang, need=_need(session, appt.entry_id),
                       too_late=late)


def need_of(runtime: Runtime, entry_id: int | None) -> str:
    """The need a booking link is about (empty when the link names no entry)."""
    with db.read(runtime.sessions) as session:
        return _need(session, entry_id)


def calendar_file(runtime: Runtime, grant: links.ManageGrant) -> bytes:
    """The appointment as an .ics file (METHOD:PUBLISH, the invitation's UID and SEQUENCE)."""
    with db.read(runtime.sessions) as session:
        appt = _current(session, runtime, grant)
        name = i18n.gettext("Support callback – Hotline", appt.language)
        invite = notices.invitation(runtime, appt, notices.shown_phone(
            runtime, appt.client_phone, appt.language))
        return build_feed([invite], name=name, stamp=runtime.now())


def _need(session: Session, entry_id: int | None) -> str:
    entry = session.get(WaitingEntry, entry_id) if entry_id else None
    return " ".join((entry.need_text or "").split()) if entry else ""


def _too_late(runtime: Runtime, appt: Appointment) -> bool:
    return client_rules.too_late_to_change(appt.starts_at, runtime.now(),
                                           runtime.settings.change_notice_minutes)


def move_with_link(runtime: Runtime, grant: links.ManageGrant, start: datetime | None) -> str:
    """Move to `start` (same UID, SEQUENCE + 1); returns the new manage path."""
    if start is None:
        raise ValueError("start")
    with db.write(runtime.sessions) as session:
        appt = _current(session, runtime, grant)
        if _too_late(runtime, appt):
            raise TooLate
        appt = move_service(session, runtime, appt.id, start=start, sequence=appt.sequence)
        return manage_path(runtime, appt)


def cancel_with_link(runtime: Runtime, grant: links.ManageGrant, *,
                     solved: bool) -> AppointmentView:
    """Cancel (METHOD:CANCEL, SEQUENCE + 1); the client may say the need is solved."""
    with db.write(runtime.sessions) as session:
        appt = _current(session, runtime, grant)
        if _too_late(runtime, appt):
            raise TooLate
        return view_of(cancel_appointment(session, runtime, appt.id, sequence=appt.sequence,
                                          solved=solved))


def _current(session: Session, runtime: Runtime, grant: links.ManageGrant) -> Appointment:
    try:
        return changeable(session, runtime, grant.appointment_id, sequence=grant.sequence)
    except Unchangeable as exc:
        raise LinkError(str(exc)) from None


def _spent(session: Session, token_id: str) -> bool:
    return session.scalar(select(UsedToken.id).where(UsedToken.token_id == token_id)) is not None


def _spend(session: Session, runtime: Runtime, token_id: str) -> None:
    """Record the link as used; a concurrent use of the same link fails here."""
    try:
        with session.begin_nested():
            session.add(UsedToken(token_id=token_id, used_at=runtime.now()))
            session.flush()
    except IntegrityError:
        raise LinkError("used") from None
