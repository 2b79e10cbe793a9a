"""What the planner's pages show of an appointment: a plain view, read inside a use case's
transaction and rendered after it (no ORM object leaves a service)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from callq.models import Appointment


@dataclass(frozen=True)
class AppointmentView:
    """One appointment as a page shows it."""

    id: int
    agent_id: int
    entry_id: int | None
    status: str
    starts_at: datetime
    ends_at: datetime
    client_name: str
    client_email: str | None
    client_phone: str | None
    language: str
    sequence: int
    no_shows: int


def view_of(appt: Appointment) -> AppointmentView:
    """The plain view of an appointment row."""
    return AppointmentView(
        id=appt.id, agent_id=appt.agent_id, entry_id=appt.entry_id, status=str(appt.status),
        starts_at=appt.starts_at, ends_at=appt.ends_at, client_name=appt.client_name,
        client_email=appt.client_email, client_phone=appt.client_phone, language=appt.language,
        sequence=appt.sequence, no_shows=appt.no_shows,
    )
