"""What an appointment does to the waiting-room entry it serves (R10, R13-R15).

Every change goes through the entry's lifecycle, which bumps its version, so an agent holding a
stale copy (a claim, an outcome form) fails its compare-and-swap instead of overwriting the
booking. A booking names a need: an entry merged since is followed to the one that absorbed it,
and a closed entry is never reopened: its need gets a new entry (R8: one need, one live entry).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callq import entry_writer, history
from callq.models import Appointment, EntryEvent, WaitingEntry
from callq.placement import due_time
from callq.status import Outcome, Tier
from callq.waiting import lifecycle
from scheduling.agenda import ACTIVE

if TYPE_CHECKING:
    from callq.runtime import Runtime

MAX_MERGES = 50  # a chain of merges longer than this is a loop in the data: stop there


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


def serving(session: Session, runtime: Runtime, entry_id: int | None, *,
            at: datetime) -> int | None:
    """The entry a booking for `entry_id` serves: itself while open, the survivor of a merge,
    or a new entry for the same need when closed; None when there is no such entry."""
    entry = session.get(WaitingEntry, entry_id, with_for_update=True) if entry_id else None
    for _ in range(MAX_MERGES):
        into = _absorbed_by(session, entry) if entry is not None else None
        if into is None:
            break
        entry = session.get(WaitingEntry, into, with_for_update=True)
    if entry is None:
        return None
    if lifecycle.allows(entry_writer.state_of(entry), lifecycle.Booked(at=at)):
        return entry.id
    return _renewed(session, runtime, entry, at).id


def _absorbed_by(session: Session, entry: WaitingEntry) -> int | None:
    """The entry this one was merged into (its "merged" outcome line names it), if any."""
    if entry.outcome != Outcome.MERGED:
        return None
    lines = session.scalars(select(EntryEvent.detail).where(
        EntryEvent.entry_id == entry.id, EntryEvent.kind == "outcome").order_by(
        EntryEvent.id.desc()))
    into = next((d.get("into") for d in lines if d.get("outcome") == Outcome.MERGED), None)
    return int(into) if into is not None and str(into).isdecimal() else None


def _renewed(session: Session, runtime: Runtime, closed: WaitingEntry,
             at: datetime) -> WaitingEntry:
    """A new entry for the need of a closed one (its tier, need, caller, language)."""
    tier = Tier(closed.tier)
    fresh = WaitingEntry(
        tier=tier, tier_rank=tier.rank, vague=closed.vague, need_text=closed.need_text,
        classification=dict(closed.classification or {}),
        tier_set_by_agent=closed.tier_set_by_agent, caller_number=closed.caller_number,
        client_id=closed.client_id, language=closed.language, arrived_at=at, queued_at=at,
        due_at=due_time(runtime.calendar(), at, tier, runtime.settings.sla_days),
        messages_count=0)
    session.add(fresh)
    session.flush()
    entry_writer.apply(session, fresh, lifecycle.Renewed(
        at=at, from_id=closed.id, outcome=str(closed.outcome or "")))
    history.record_event(session, closed.id, "renewed_as", at=at, actor="client",
                         detail={"to": fresh.id})
    return fresh


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
