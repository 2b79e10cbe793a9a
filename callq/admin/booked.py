"""Appointments an administrator's change falls on (R14): an absence, a closed day, new hours.
Each is handed over at once, not minutes before the call: another free agent takes it, or
its client is warned and offered the next free times."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from callq import audit, db
from callq.models import Agent, Appointment
from scheduling.agenda import ACTIVE
from scheduling.guarantee import hand_over_or_warn

if TYPE_CHECKING:
    from callq.runtime import Runtime


@dataclass(frozen=True)
class Touched:
    """An appointment a change fell on, and what R14 made of it."""

    appointment_id: int
    starts_at: datetime
    client_name: str
    reassigned_to: str | None  # the new agent's name; None: the client was warned


def hand_over(session: Session, runtime: Runtime, booked: Iterable[Appointment],
              tried: Collection[int]) -> list[Touched]:
    """Each appointment to R14: another free agent (not one `tried`) takes it, else its client
    is warned and offered other times; what became of each."""
    touched = []
    for appt in booked:
        kept = hand_over_or_warn(session, runtime, appt, tried=tried)
        name = session.scalar(select(Agent.name).where(Agent.id == appt.agent_id)) if kept \
            else None
        touched.append(Touched(appt.id, appt.starts_at, appt.client_name, name))
    return touched


def warn_outside_hours(runtime: Runtime, *, actor: str, action: str,
                       target: str) -> list[Touched]:
    """After the calendar changed (a day closed, new hours): the appointments still to come
    that it no longer takes, each handed to R14, where nobody is free then, so each client is
    warned and offered the next free times (audited as `action` when there are any).

    A transaction after the change's own, so that the times offered come from the calendar
    that knows it; should it fail, nothing is lost: the check before each appointment
    (scheduling.guarantee.check_staffing) finds nobody free then and warns the client."""
    runtime.forget_calendar()
    calendar = runtime.calendar()
    with db.write(runtime.sessions) as session:
        booked = [appt for appt in session.scalars(
            select(Appointment).where(Appointment.status.in_(ACTIVE),
                                      Appointment.starts_at > runtime.now())
            .order_by(Appointment.starts_at, Appointment.id).with_for_update())
            if not calendar.takes_appointments(appt.starts_at, appt.ends_at)]
        touched = hand_over(session, runtime, booked, tried=())
        if touched:
            audit.record(session, at=runtime.now(), actor=actor, action=action, target=target,
                         after={"appointments": [{"id": t.appointment_id,
                                                  "reassigned_to": t.reassigned_to}
                                                 for t in touched]})
    return touched
