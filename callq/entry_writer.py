"""The one writer of a waiting entry's lifecycle: runs callq.waiting.lifecycle on the entry and
writes the result (status, holder, lease, waits, attempts, version) and its history lines.

Nothing else assigns these fields. What the entry says (tier, need, place, messages) is written
by the services, each change together with the event that names it and bumps the version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from callq import history
from callq.models import WaitingEntry
from callq.state_machine import Record
from callq.status import EntryStatus, Outcome
from callq.waiting.lifecycle import EntryState, Event, IllegalTransition, Wait, opens, transition

# The fields the lifecycle decides, as named on both EntryState and WaitingEntry.
LIFECYCLE = ("status", "outcome", "claimed_by", "lease_expires_at", "available_at",
             "awaiting_since", "closed_at", "attempts", "version", "first_attempt_at",
             "first_attempt_by", "qualified_at", "resolved_by", "clock_waits")
# What a read needs to rebuild an entry's state without loading the row (the claims' pick).
STATE_COLUMNS = (*(getattr(WaitingEntry, name) for name in LIFECYCLE), WaitingEntry.vague,
                 WaitingEntry.tier_set_by_agent, WaitingEntry.messages_count)


def waits_of(stored: Any) -> tuple[Wait, ...]:
    """The finished waits for the client as stored (JSON pairs of ISO instants, or NULL)."""
    return tuple((datetime.fromisoformat(start), datetime.fromisoformat(end))
                 for start, end in stored or ())


def stored_waits(waits: tuple[Wait, ...]) -> list[list[str]] | None:
    """The waits as the JSON column keeps them (NULL for none: most entries never wait)."""
    return [[start.isoformat(), end.isoformat()] for start, end in waits] or None


def state_of(entry: Any) -> EntryState:
    """The state of an entry row, or of a row of STATE_COLUMNS."""
    return EntryState(
        status=EntryStatus(entry.status), version=entry.version,
        outcome=Outcome(entry.outcome) if entry.outcome else None, claimed_by=entry.claimed_by,
        lease_expires_at=entry.lease_expires_at, available_at=entry.available_at,
        awaiting_since=entry.awaiting_since, closed_at=entry.closed_at, attempts=entry.attempts,
        vague=bool(entry.vague), tier_set_by_agent=bool(entry.tier_set_by_agent),
        messages_count=entry.messages_count or 0, first_attempt_at=entry.first_attempt_at,
        first_attempt_by=entry.first_attempt_by, qualified_at=entry.qualified_at,
        resolved_by=entry.resolved_by, clock_waits=waits_of(entry.clock_waits),
    )


def _column_value(name: str, value: Any) -> Any:
    return stored_waits(value) if name == "clock_waits" else value


def apply(session: Session, entry: WaitingEntry, event: Event) -> EntryState:
    """Run `event` on the entry (locked by the caller) and write the result; IllegalTransition
    when it cannot happen. An opening event runs on a row just inserted with its defaults."""
    before = None if opens(event) else state_of(entry)
    after, records = transition(before, event)
    for name in LIFECYCLE:
        value = getattr(after, name)
        if before is None or getattr(before, name) != value:  # an unchanged field is kept
            setattr(entry, name, _column_value(name, value))
    _record(session, entry.id, records)
    return after


def apply_if_allowed(session: Session, entry: WaitingEntry, event: Event) -> EntryState | None:
    """`apply`, or None (nothing written) when the event cannot happen: a late timer, say."""
    try:
        return apply(session, entry, event)
    except IllegalTransition:
        return None


def swap(session: Session, entry_id: int, state: EntryState, event: Event) -> EntryState | None:
    """Run `event` on `state`, read without loading the row, and write it with one conditional
    UPDATE (a compare-and-swap on version and status); None when the row changed since."""
    after, records = transition(state, event)
    changes = {name: _column_value(name, getattr(after, name)) for name in LIFECYCLE
               if getattr(after, name) != getattr(state, name)}
    done = session.execute(
        update(WaitingEntry)
        .where(WaitingEntry.id == entry_id, WaitingEntry.version == state.version,
               WaitingEntry.status == state.status)
        .values(changes)
        .execution_options(synchronize_session=False)
    )
    if getattr(done, "rowcount", 0) != 1:
        return None
    _record(session, entry_id, records)
    return after


def _record(session: Session, entry_id: int, records: tuple[Record, ...]) -> None:
    for line in records:
        history.record_event(session, entry_id, line.kind, at=line.at, actor=line.actor,
                             agent_id=line.agent_id, detail=dict(line.detail),
                             reason=line.reason)
