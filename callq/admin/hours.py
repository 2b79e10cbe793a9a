"""The hotline's hours and holidays (R4), kept in the database: read, preview, save, go back to
the CALLQ_CALENDAR starting point. Every process uses a change within a minute."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete

from callq import audit, db
from callq.admin import state
from callq.admin.booked import Touched, warn_outside_hours
from callq.models import StoredValue
from scheduling.calendar import BusinessCalendar, CalendarSpec, spec_to_dict, starting_spec
from scheduling.hours import DayPreview, preview

if TYPE_CHECKING:
    from callq.runtime import Runtime


@dataclass(frozen=True)
class Hours:
    """The hours in force, and whether the administrator saved them (else the starting point)."""

    spec: CalendarSpec
    stored: bool


def current_hours(runtime: Runtime) -> Hours:
    """The hours every process uses now."""
    with db.read(runtime.sessions) as session:
        stored = state.read_value(session, state.HOURS)
    return Hours(state.spec_of(stored, runtime.settings), stored is not None)


def preview_hours(runtime: Runtime, spec: CalendarSpec) -> list[DayPreview]:
    """The next four weeks under `spec`, with today's closures (modes, slots per agent)."""
    with db.read(runtime.sessions) as session:
        closures = state.closures(session)
    calendar = BusinessCalendar(spec, closures)
    today = calendar.local(runtime.now()).date()
    return preview(calendar, today, timedelta(minutes=runtime.settings.slot_minutes))


def save_hours(runtime: Runtime, spec: CalendarSpec, *, actor: str) -> list[Touched]:
    """Keep `spec` as the hotline's hours; the appointments still to come that they no longer
    hold are handed to R14 (callq.admin.booked): what became of each."""
    before = spec_to_dict(current_hours(runtime).spec)
    after = spec_to_dict(spec)
    with db.write(runtime.sessions) as session:
        state.write_value(session, state.HOURS, after, runtime.now())
        old, new = audit.changed(before, after)
        audit.record(session, at=runtime.now(), actor=actor, action="hours.save",
                     target=spec.name, before=old, after=new)
    return warn_outside_hours(runtime, actor=actor, action="hours.warn", target=spec.name)


def reset_hours(runtime: Runtime, *, actor: str) -> tuple[CalendarSpec, list[Touched]]:
    """Forget the saved hours: the CALLQ_CALENDAR starting point applies again (and R14 takes
    the appointments it does not hold, as `save_hours`)."""
    before = spec_to_dict(current_hours(runtime).spec)
    with db.write(runtime.sessions) as session:
        session.execute(delete(StoredValue).where(StoredValue.key == state.HOURS))
        audit.record(session, at=runtime.now(), actor=actor, action="hours.reset",
                     target=runtime.settings.calendar, before=before)
    spec = starting_spec(runtime.settings.calendar)
    return spec, warn_outside_hours(runtime, actor=actor, action="hours.warn", target=spec.name)
