"""The one writer of an appointment's lifecycle: runs scheduling.lifecycle on the appointment
and writes the result (status, SEQUENCE, version, moves, no-shows, time of change), and its
lines in the history of the entry it serves.

Nothing else assigns these fields. Its time, agent and length are set by the planner (the
database refuses an overlap), each change followed by the event that names it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from callq.models import Appointment
from callq.status import AppointmentStatus
from scheduling import entries
from scheduling.lifecycle import AppointmentState, Event, opens, transition

# The fields the lifecycle decides, as named on both AppointmentState and Appointment.
LIFECYCLE = ("status", "sequence", "version", "moves", "no_shows", "extensions", "updated_at")


def state_of(appt: Appointment) -> AppointmentState:
    """The state of an appointment row."""
    return AppointmentState(
        status=AppointmentStatus(appt.status), starts_at=appt.starts_at,
        updated_at=appt.updated_at, sequence=appt.sequence, version=appt.version,
        moves=appt.moves, no_shows=appt.no_shows, extensions=appt.extensions or 0,
    )


def apply(session: Session, appt: Appointment, event: Event) -> AppointmentState:
    """Run `event` on the appointment (locked by the caller) and write the result;
    IllegalTransition when it cannot happen. An opening event runs on a row just inserted."""
    after, records = transition(None if opens(event) else state_of(appt), event)
    for name in LIFECYCLE:
        value = getattr(after, name)
        if getattr(appt, name) != value:  # an unchanged field is not rewritten
            setattr(appt, name, value)
    for line in records:
        entries.note(session, appt, line.kind, at=line.at, actor=line.actor,
                     agent_id=line.agent_id, **line.detail)
    return after
