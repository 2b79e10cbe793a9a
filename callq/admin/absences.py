"""Agents' absences (R12, R14): entered by the agent or an administrator. An absence over
booked appointments hands each one to R14 at once: another free agent takes it, or the client
is warned and offered the next free times, not minutes before the call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callq import audit, db
from callq.admin.booked import Touched, hand_over
from callq.i18n import N_, Problem
from callq.models import Absence, Agent, Appointment
from scheduling.agenda import ACTIVE
from scheduling.calendar import utc

if TYPE_CHECKING:
    from callq.runtime import Runtime


@dataclass(frozen=True)
class AbsenceView:
    """One absence as the pages list it."""

    id: int
    agent_id: int
    agent_name: str
    agent_email: str
    starts_at: datetime
    ends_at: datetime
    reason: str


class Refused(Problem):
    """An absence that cannot be entered or removed; the message says why."""


def agent_id_of(runtime: Runtime, email: str) -> int:
    """The agent with this email; Refused when there is none."""
    with db.read(runtime.sessions) as session:
        found = session.scalar(select(Agent.id).where(func.lower(Agent.email)
                                                      == email.strip().lower()))
    if found is None:
        raise Refused(N_("no agent with email %(email)s"), email=email)
    return found


def add_absence(runtime: Runtime, *, agent_id: int, starts_at: datetime, ends_at: datetime,
                reason: str, actor: str) -> tuple[AbsenceView, list[Touched]]:
    """Enter an absence and hand the appointments it falls on to R14, in one transaction."""
    start, end = utc(starts_at), utc(ends_at)
    if not start < end:
        raise Refused(N_("an absence must end after it starts"))
    reason = " ".join(reason.split())[:200]
    with db.write(runtime.sessions) as session:
        agent = session.get(Agent, agent_id)
        if agent is None:
            raise Refused(N_("no agent #%(id)s"), id=agent_id)
        absence = Absence(agent_id=agent.id, starts_at=start, ends_at=end, reason=reason)
        session.add(absence)
        session.flush()
        touched = _hand_over(session, runtime, agent.id, start, end)
        view = _view(absence, agent)
        audit.record(session, at=runtime.now(), actor=actor, action="absence.add",
                     target=agent.email, after={
                         "from": start.isoformat(), "to": end.isoformat(), "reason": reason,
                         "appointments": [{"id": t.appointment_id,
                                           "reassigned_to": t.reassigned_to} for t in touched]})
        return view, touched


def _hand_over(session: Session, runtime: Runtime, agent_id: int, start: datetime,
               end: datetime) -> list[Touched]:
    booked = session.scalars(select(Appointment).where(
        Appointment.agent_id == agent_id, Appointment.status.in_(ACTIVE),
        Appointment.starts_at < end, Appointment.ends_at > start,
        Appointment.starts_at > runtime.now()).order_by(Appointment.starts_at)
        .with_for_update())
    return hand_over(session, runtime, list(booked), tried={agent_id})


def list_absences(runtime: Runtime, *, agent_id: int | None = None,
                  since: datetime | None = None) -> list[AbsenceView]:
    """Absences ending after `since` (all when None), one agent's or everyone's, by start."""
    with db.read(runtime.sessions) as session:
        query = select(Absence, Agent).join(Agent, Agent.id == Absence.agent_id)
        if agent_id is not None:
            query = query.where(Absence.agent_id == agent_id)
        if since is not None:
            query = query.where(Absence.ends_at > since)
        rows = session.execute(query.order_by(Absence.starts_at, Absence.id))
        return [_view(absence, agent) for absence, agent in rows]


def remove_absence(runtime: Runtime, absence_id: int, *, actor: str,
                   owner: int | None = None) -> AbsenceView:
    """Delete an absence (only `owner`'s when given); Refused when there is none."""
    with db.write(runtime.sessions) as session:
        found = session.execute(select(Absence, Agent).join(Agent, Agent.id == Absence.agent_id)
                                .where(Absence.id == absence_id)).first()
        if found is None or (owner is not None and found[0].agent_id != owner):
            raise Refused(N_("no absence #%(id)s"), id=absence_id)
        view = _view(found[0], found[1])
        session.delete(found[0])
        audit.record(session, at=runtime.now(), actor=actor, action="absence.remove",
                     target=view.agent_email, before={
                         "from": view.starts_at.isoformat(), "to": view.ends_at.isoformat(),
                         "reason": view.reason})
        return view


def _view(absence: Absence, agent: Agent) -> AbsenceView:
    return AbsenceView(absence.id, agent.id, agent.name, agent.email, absence.starts_at,
                       absence.ends_at, absence.reason)
