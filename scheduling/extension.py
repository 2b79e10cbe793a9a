"""Not long enough (R16): extend into the agent's next slot if it is free, else book a second
appointment for the same need in one click."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from callq.models import Appointment
from callq.status import Outcome
from scheduling import agenda, appointment_writer, entries, lifecycle
from scheduling.booking import SlotTaken, book_slot, record_change, try_change

if TYPE_CHECKING:
    from callq.runtime import Runtime


class CannotExtend(Exception):
    """The appointment cannot change: "closed", "not_yours", "hours", "taken", "not_started"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def extend(session: Session, runtime: Runtime, appointment_id: int, *,
           agent_id: int) -> Appointment:
    """Add one slot to the appointment when its agent's next slot is free (R16)."""
    appt = session.get(Appointment, appointment_id, with_for_update=True)
    if appt is None or appt.status not in lifecycle.statuses_allowing("extended"):
        raise CannotExtend("closed")
    if appt.agent_id != agent_id:
        raise CannotExtend("not_yours")
    start, end = appt.ends_at, appt.ends_at + agenda.slot_rules(runtime).length
    hours = runtime.calendar().interval_at(appt.starts_at)
    if hours is None or end > hours.end:
        raise CannotExtend("hours")  # afternoon appointments never run into closed time (R12)
    if not agenda.agent_can_take(session, runtime, agent_id, start, end, exclude=appt.id):
        raise CannotExtend("taken")
    if not try_change(session, lambda: setattr(appt, "ends_at", end)):
        raise CannotExtend("taken")  # booked by a client in the meantime
    return record_change(session, runtime, appt, lifecycle.Extended(
        at=runtime.now(), actor="agent", by_agent=agent_id))


def finish(session: Session, runtime: Runtime, appointment_id: int, *, agent_id: int,
           solved: bool) -> Appointment:
    """The call is over: the appointment is done; the need closes as solved, or goes back to
    the waiting room (unless a second appointment serves it)."""
    appt = session.get(Appointment, appointment_id, with_for_update=True)
    now = runtime.now()
    if appt is None or appt.status not in lifecycle.statuses_allowing("finished"):
        raise CannotExtend("closed")
    try:
        appointment_writer.apply(session, appt, lifecycle.Finished(at=now, agent_id=agent_id))
    except lifecycle.IllegalTransition as refused:
        # a call still to come is cancelled, not finished
        raise CannotExtend(refused.reason) from None
    entries.release(session, appt, at=now, closing=Outcome.SOLVED if solved else None)
    return appt


def book_follow_up(session: Session, runtime: Runtime, appointment_id: int, *,
                   agent_id: int) -> Appointment:
    """A second appointment for the same client and need: the agent's first free slot, else
    anyone's. Clicking twice gives the same appointment."""
    first = session.get(Appointment, appointment_id)
    if first is None:
        raise CannotExtend("closed")
    existing = session.scalar(select(Appointment).where(
        Appointment.follows_id == first.id, Appointment.status.in_(agenda.ACTIVE)))
    if existing is not None:
        return existing
    slots = (agenda.open_slots(session, runtime, agents=[first.agent_id], limit=1)
             or agenda.open_slots(session, runtime, limit=1))
    if not slots:
        raise SlotTaken([])
    return book_slot(
        session, runtime, start=slots[0].start, agent_id=slots[0].agent_id, follows_id=first.id,
        client_name=first.client_name, client_email=first.client_email,
        client_phone=first.client_phone, client_id=first.client_id, entry_id=first.entry_id,
        lang=first.language, actor="agent", by_agent=agent_id,
    )
