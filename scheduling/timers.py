"""An appointment's timers: reminders (R17), the staffing check and the call itself (R14).

Each timer is an outbox effect keyed by the appointment and the start it was set for. A moved
appointment gets new timers; the old ones still fire, find another start, and do nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from callq import effects
from callq.models import Appointment, SideEffect
from callq.status import AppointmentStatus
from scheduling.links import start_stamp

if TYPE_CHECKING:
    from callq.runtime import Runtime

CALL = "appointment_call"
CHECK = "appointment_check"
REMINDER = "appointment_reminder"


def plan(session: Session, runtime: Runtime, appt: Appointment) -> None:
    """Schedule every timer of the appointment's current start (once per start)."""
    now, settings = runtime.now(), runtime.settings
    start = appt.starts_at
    base = f"appt-{appt.id}"
    payload: dict[str, Any] = {"appointment_id": appt.id, "starts_at": start.isoformat()}
    check_at = start - timedelta(minutes=settings.appointment_check_minutes)
    effects.schedule(session, key=f"{base}-check-{start_stamp(start)}", kind=CHECK,
                     payload=payload, due_at=max(check_at, now), now=now)
    effects.schedule(session, key=f"{base}-call-{start_stamp(start)}", kind=CALL,
                     payload=payload, due_at=max(start, now), now=now)
    for minutes in settings.appointment_reminder_minutes:
        due = start - timedelta(minutes=minutes)
        if due > now:  # a reminder "tomorrow" sent an hour before would mislead
            effects.schedule(session, key=f"{base}-reminder-{minutes}-{start_stamp(start)}",
                             kind=REMINDER, payload={**payload, "minutes": minutes},
                             due_at=due, now=now)


def still_due(session: Session, effect: SideEffect) -> Appointment | None:
    """The appointment a timer was set for, if it is still booked at that start; else None."""
    appt = session.get(Appointment, int(effect.payload["appointment_id"]), with_for_update=True)
    if appt is None or appt.status != AppointmentStatus.BOOKED:
        return None
    if appt.starts_at != datetime.fromisoformat(effect.payload["starts_at"]):
        return None
    return appt
