"""Where a waiting entry stands (the caller is told after their message, agents see it too):
its place in the list, one indexed count, and the probable callback moment from the agents on
duty and the recent callback rate (callq.waiting.estimate)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, select, tuple_
from sqlalchemy.orm import Session

from callq.models import Absence, Agent, WaitingEntry
from callq.status import EntryStatus, Outcome
from callq.waiting.estimate import Standing, live_hours, recent_rate, standing

if TYPE_CHECKING:
    from callq.runtime import Runtime

LISTED: tuple[EntryStatus, ...] = (EntryStatus.WAITING, EntryStatus.CLAIMED)
RATE_WINDOW = timedelta(days=7)
# Outcomes of a callback an agent made (what the recent rate counts).
CALLED_BACK = (Outcome.SOLVED, Outcome.DOCUMENTATION, Outcome.OUT_OF_SCOPE, Outcome.BOOKED)
_ABSENT = select(Absence.agent_id).where(Absence.starts_at <= bindparam("now"),
                                         Absence.ends_at > bindparam("now"))
_ON_DUTY = select(func.count(Agent.id)).where(Agent.active.is_(True),
                                              Agent.id.not_in(_ABSENT))
_CLOSED_SINCE = select(func.count(WaitingEntry.id)).where(
    WaitingEntry.closed_at >= bindparam("since"), WaitingEntry.outcome.in_(CALLED_BACK))
_PACE = select(_ON_DUTY.scalar_subquery(), _CLOSED_SINCE.scalar_subquery())  # one round trip


def order_columns() -> list[Any]:
    """The room's order (R5-R7): vague last, tier, queued time, id (the list's index)."""
    return [WaitingEntry.vague, WaitingEntry.tier_rank, WaitingEntry.queued_at, WaitingEntry.id]


# The id a new entry will get is larger than every existing one: it sorts after them on a tie.
NEW_ENTRY = 2**31 - 1  # the largest id the column holds


def position_of(session: Session, entry: WaitingEntry) -> int:
    """The entry's place in the list (1 = next), 0 when it is not listed; one indexed count."""
    if entry.status not in LISTED:
        return 0
    return position_at(session, (entry.vague, entry.tier_rank, entry.queued_at, entry.id))


def position_at(session: Session, key: tuple[bool, int, datetime, int],
                moving: int | None = None) -> int:
    """The place an entry with this order key has (or will have) in the list; `moving` is an
    entry that leaves its current place for this one (not counted ahead of itself)."""
    vague, rank, queued_at, entry_id = key
    return (session.scalar(_AHEAD, {"vague": vague, "rank": rank, "queued_at": queued_at,
                                    "id": entry_id, "moving": -1 if moving is None else moving})
            or 0) + 1


def _ahead() -> Any:
    # Built once: typed parameters (the instant goes through UTCDateTime like a stored one).
    columns = order_columns()
    names = ("vague", "rank", "queued_at", "id")
    mine = tuple_(*(bindparam(name, type_=column.type)
                    for name, column in zip(names, columns, strict=True)))
    return select(func.count(WaitingEntry.id)).where(
        WaitingEntry.status.in_(LISTED), tuple_(*columns) < mine,
        WaitingEntry.id != bindparam("moving"))


_AHEAD = _ahead()


def pace(session: Session, runtime: Runtime, now: datetime) -> tuple[int, float | None]:
    """Agents on duty now, and callbacks per agent and live hour over the last week."""
    since = now - RATE_WINDOW
    agents, callbacks = session.execute(_PACE, {"now": now, "since": since}).one()
    agents, callbacks = agents or 0, callbacks or 0
    hours = live_hours(runtime.calendar(), since, now)
    return agents, recent_rate(callbacks, agents, hours)


def standing_of(session: Session, runtime: Runtime, entry: WaitingEntry,
                now: datetime) -> Standing | None:
    """Where the entry stands and when it will probably be called back (None: not listed)."""
    position = position_of(session, entry)
    if position == 0:
        return None
    return standing_at(session, runtime, position, now)


def standing_at(session: Session, runtime: Runtime, position: int, now: datetime) -> Standing:
    """The probable callback moment of the caller at `position`."""
    agents, rate = pace(session, runtime, now)
    return standing(position, agents_on_duty=agents, rate=rate, now=now,
                    calendar=runtime.calendar())
