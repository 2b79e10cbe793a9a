"""What an appointment does to the waiting-room entry it serves (R10, R13-R15).

Every change goes through the entry's lifecycle, which bumps its version, so an agent holding a
stale copy (a claim, an outcome form) fails its compare-and-swap instead of overwriting the
booking.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callq import entry_writer, history
from callq.models import Appointment, WaitingEntry
from callq.status import Outcome
from callq.waiting import lifecycle
from scheduling.agenda import ACTIVE


def note(session: Session, appt: Appointment, kind: str, *, at: datetime, actor: str,
         agent_id: int | None = None, **detail: object) -> None:
    """Add an appointment event to the entry's history (when the appointment serves one)."""
    if appt.entry_id is None:
        return
    detail = {"appointment_id": appt.id, "starts_at": appt.starts_at.isoformat(),
              "agent_id": appt.agent_id, **detail}
    history.record_event(session, appt.entry_id, kind, at=at, actor=actor, agent_id=agent_id,
                         detail=detail)


def mark_booked(session: Session, appt: Appointment, *, at: datetime) -> None:
    """The entry leaves the list: it is handed over to the appointment (outcome "booked")."""
    entry = _entry(session, appt)
    if entry is not None:
        entry_writer.apply(session, entry, lifecycle.Booked(at=at))


def release(session: Session, appt: Appointment, *, at: datetime, closing: Outcome | None = None,
            awaiting_client: bool = False) -> None:
    """After a cancel or a call: the need closes (with `closing`), waits for the client, or is
    listed again; only once no other appointment serves it."""
    entry = _entry(session, appt)
    event: lifecycle.Event
    if closing is not None:
        event = lifecycle.AppointmentClosed(at=at, outcome=closing, agent_id=appt.agent_id)
    elif awaiting_client:
        event = lifecycle.AppointmentGivenUp(at=at)
    else:
        event = lifecycle.AppointmentReleased(at=at)
    if (entry is not None and lifecycle.allows(entry_writer.state_of(entry), event)
            and not _others(session, appt)):
        entry_writer.apply(session, entry, event)


def _entry(session: Session, appt: Appointment) -> WaitingEntry | None:
    if appt.entry_id is None:
        return None
    return session.get(WaitingEntry, appt.entry_id, with_for_update=True)


def _others(session: Session, appt: Appointment) -> int:
    return session.scalar(select(func.count(Appointment.id)).where(
        Appointment.entry_id == appt.entry_id, Appointment.id != appt.id,
        Appointment.status.in_(ACTIVE))) or 0
