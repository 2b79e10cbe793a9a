"""The agents' side of the planner (R13-R16), one transaction per use case: their
appointments, start the call now, extend, book a second appointment, finish, cancel for the
client, book for a client, send a booking link.

Who may act on an appointment is the planner's rule (`may_act_on`): its agent, or an
administrator. Refusals are `Refused(reason)`; a taken time is booking.SlotTaken.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from callq import db
from callq.failed_effects import failed_notices
from callq.models import Agent, Appointment, Client, WaitingEntry
from scheduling import agenda, extension
from scheduling.booking import Unchangeable, book_slot, cancel_appointment
from scheduling.booking import send_booking_link as queue_booking_link
from scheduling.guarantee import ring
from scheduling.read import AppointmentView, view_of

if TYPE_CHECKING:
    from callq.runtime import Runtime

SHOWN = ("booked", "in_call", "done", "missed")


class Refused(Exception):
    """An agent's action the planner refuses: "unknown", "not_yours", "closed", or one of
    extension.CannotExtend's reasons."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Actor:
    """The agent acting, as the planner's rules need them."""

    agent_id: int
    is_admin: bool = False


@dataclass(frozen=True)
class Listed:
    """One line of an agent's planner."""

    appointment: AppointmentView
    agent_name: str
    mine: bool
    notice_failed: bool  # an email or SMS to the client about it failed for good


@dataclass(frozen=True)
class Planner:
    """An agent's planner: their appointments (or everyone's) and their calendar feed."""

    items: list[Listed]
    feed_token: str | None


@contextmanager
def _refusals() -> Iterator[None]:
    """The extension's refusals, said as the planner's."""
    try:
        yield
    except extension.CannotExtend as refused:
        raise Refused(refused.reason) from None


def may_act_on(appointment_agent: int, actor: Actor) -> bool:
    """An appointment is acted on by its agent, or by an administrator."""
    return appointment_agent == actor.agent_id or actor.is_admin


def planner(runtime: Runtime, actor: Actor, *, everyone: bool, since: datetime) -> Planner:
    """The appointments ending from `since` on, the actor's own unless `everyone`."""
    with db.read(runtime.sessions) as session:
        query = select(Appointment).where(Appointment.ends_at >= since,
                                          Appointment.status.in_(SHOWN))
        if not everyone:
            query = query.where(Appointment.agent_id == actor.agent_id)
        rows = list(session.scalars(query.order_by(Appointment.starts_at, Appointment.id)))
        names = {agent_id: name for agent_id, name in session.execute(
            select(Agent.id, Agent.name))}
        failed = failed_notices(session)
        items = [Listed(view_of(a), names.get(a.agent_id, ""), a.agent_id == actor.agent_id,
                        ("appointment", a.id) in failed) for a in rows]
        feed = session.scalar(select(Agent.feed_token).where(Agent.id == actor.agent_id))
    return Planner(items, feed)


def call_now(runtime: Runtime, actor: Actor, appointment_id: int) -> None:
    """Ring the agent, then the client, now (R14: the agent starts the call)."""
    with db.write(runtime.sessions) as session:
        appt = _own(session, appointment_id, actor)
        if appt.status not in agenda.ACTIVE:
            raise Refused("closed")
        # One ring per agent and second: a double click does not ring twice.
        ring(session, runtime, appt,
             key=f"appt-{appt.id}-start-{runtime.now():%Y%m%dT%H%M%S}-by-{actor.agent_id}")


def extend(runtime: Runtime, actor: Actor, appointment_id: int) -> AppointmentView:
    """One more slot, when the agent's next one is free (R16)."""
    with db.write(runtime.sessions) as session, _refusals():
        return view_of(extension.extend(session, runtime, appointment_id,
                                        agent_id=actor.agent_id))


def follow_up(runtime: Runtime, actor: Actor, appointment_id: int) -> AppointmentView:
    """A second appointment for the same client and need (R16); SlotTaken when none is free."""
    with db.write(runtime.sessions) as session, _refusals():
        _own(session, appointment_id, actor)
        return view_of(extension.book_follow_up(session, runtime, appointment_id,
                                                agent_id=actor.agent_id))


def finish(runtime: Runtime, actor: Actor, appointment_id: int, *, solved: bool) -> None:
    """The call is over: the need is solved, or goes back to the waiting room."""
    with db.write(runtime.sessions) as session, _refusals():
        _own(session, appointment_id, actor)
        extension.finish(session, runtime, appointment_id, agent_id=actor.agent_id,
                         solved=solved)


def cancel_for_client(runtime: Runtime, actor: Actor, appointment_id: int) -> None:
    """Cancel on behalf of the client, who gets METHOD:CANCEL and a link to book again."""
    with db.write(runtime.sessions) as session:
        _own(session, appointment_id, actor)
        try:
            cancel_appointment(session, runtime, appointment_id, actor="agent",
                               by_agent=actor.agent_id)
        except Unchangeable:
            raise Refused("closed") from None


def entry_contact(runtime: Runtime, entry_id: int | None) -> dict[str, Any]:
    """Who an entry's client is, to book or send a link for them ({} for no such entry)."""
    with db.read(runtime.sessions) as session:
        return _contact(session, entry_id)


def book_for_client(runtime: Runtime, actor: Actor, *, start: datetime | None,
                    entry_id: int | None, name: str, email: str | None, phone: str | None,
                    lang: str, with_me: bool = False) -> AppointmentView:
    """Book `start` for a client (R13: an agent books from the waiting room): with the agent
    on the phone when `with_me`, else with the free agent least booked that day."""
    if start is None:
        raise ValueError("start")
    with db.write(runtime.sessions) as session:
        contact = _contact(session, entry_id)
        return view_of(book_slot(
            session, runtime, start=start, client_name=name, client_email=email,
            client_phone=phone, client_id=contact.get("client_id"),
            entry_id=contact.get("entry_id"), lang=lang, actor="agent",
            by_agent=actor.agent_id, agent_id=actor.agent_id if with_me else None))


def send_link(runtime: Runtime, actor: Actor, *, entry_id: int | None, email: str | None,
              phone: str | None, name: str | None, lang: str) -> str:
    """Send a client a booking link by email and/or SMS (R13); ValueError without a contact."""
    with db.write(runtime.sessions) as session:
        contact = _contact(session, entry_id)
        return queue_booking_link(
            session, runtime, entry_id=contact.get("entry_id"),
            client_id=contact.get("client_id"), email=email, phone=phone, lang=lang, name=name,
            by_agent=actor.agent_id)


def today_start(runtime: Runtime) -> datetime:
    """Midnight today in the shown zone, as an instant."""
    local = runtime.now().astimezone(agenda.local_zone(runtime))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _own(session: Session, appointment_id: int, actor: Actor) -> Appointment:
    appt = session.get(Appointment, appointment_id, with_for_update=True)
    if appt is None:
        raise Refused("unknown")
    if not may_act_on(appt.agent_id, actor):
        raise Refused("not_yours")
    return appt


def _contact(session: Session, entry_id: int | None) -> dict[str, Any]:
    entry = session.get(WaitingEntry, entry_id) if entry_id else None
    if entry is None:
        return {}
    client = session.get(Client, entry.client_id) if entry.client_id else None
    return {"entry_id": entry.id, "phone": entry.caller_number or "", "lang": entry.language,
            "email": client.email if client else "", "name": client.name if client else "",
            "client_id": client.id if client else None, "need": entry.need_text or ""}
