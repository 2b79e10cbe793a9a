"""What an operator watches, counted from the database when Prometheus scrapes (the metrics'
use case): entries by state and those past their resolution due time (R11), the outbox's
overdue and failed effects, the queue's depth, appointments by outcome (R12-R16).

Counted at scrape time from the source of truth, these figures are the same from every web
worker: no per-process state to add up. The outbox's figures are counted as /healthz counts them
(callq.failed_effects), with the same CALLQ_OVERDUE_SECONDS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from callq import db, failed_effects
from callq.handlers import POOLS
from callq.models import Appointment, WaitingEntry
from callq.status import AppointmentStatus, EntryStatus

if TYPE_CHECKING:
    from callq.runtime import Runtime

@dataclass(frozen=True)
class Snapshot:
    """The counts of one scrape."""

    entries: dict[str, int]  # by status, every status present
    entries_late: int  # open entries listed past their resolution due time (waits aside)
    effects_overdue: int
    effects_oldest_overdue_seconds: float
    effects_failed: int
    queue_depth: int | None  # None when Redis cannot be reached
    redis_up: bool
    appointments: dict[str, int]  # by status, every status present
    appointment_moves: int
    appointment_no_shows: int
    appointment_extensions: int


def snapshot(runtime: Runtime) -> Snapshot:
    """Count everything now, in one read transaction (and one Redis call)."""
    now = runtime.now()
    with db.read(runtime.sessions) as session:
        entries = dict.fromkeys((s.value for s in EntryStatus), 0)
        entries.update({str(status): count for status, count in session.execute(
            select(WaitingEntry.status, func.count()).group_by(WaitingEntry.status))})
        late = session.scalar(select(func.count()).select_from(WaitingEntry).where(
            WaitingEntry.status.in_((EntryStatus.WAITING, EntryStatus.CLAIMED)),
            WaitingEntry.clock_waits.is_(None), WaitingEntry.due_at < now)) or 0
        overdue, oldest = failed_effects.overdue(
            session, now - timedelta(seconds=runtime.settings.overdue_seconds))
        failed = failed_effects.count_failed(session)
        appointments = dict.fromkeys((s.value for s in AppointmentStatus), 0)
        appointments.update({str(status): count for status, count in session.execute(
            select(Appointment.status, func.count()).group_by(Appointment.status))})
        moves, no_shows, extensions = session.execute(select(
            func.coalesce(func.sum(Appointment.moves), 0),
            func.coalesce(func.sum(Appointment.no_shows), 0),
            func.coalesce(func.sum(Appointment.extensions), 0))).one()
    oldest_seconds = 0.0 if oldest is None else (now - oldest).total_seconds()
    return Snapshot(entries, late, overdue or 0, oldest_seconds, failed, _queue_depth(runtime),
                    _redis_up(runtime),
                    appointments, int(moves), int(no_shows), int(extensions))


def _queue_depth(runtime: Runtime) -> int | None:
    return runtime.queue.depth(POOLS)  # None when Redis is down: the scrape still answers


def _redis_up(runtime: Runtime) -> bool:
    try:
        return bool(runtime.redis.ping())
    except Exception:  # any failure to answer is "down", as /healthz reads it
        return False
