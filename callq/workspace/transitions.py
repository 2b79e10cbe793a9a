"""How an entry leaves an agent's hands: back to its place in the list, or closed for good.

Every change bumps the entry's version, so a page showing the old version fails its
compare-and-swap instead of overwriting what happened since.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from callq import history
from callq.models import WaitingEntry
from callq.status import EntryStatus, Outcome


def free(entry: WaitingEntry) -> None:
    """Back to the list at its own place (its queued time is untouched)."""
    entry.status = EntryStatus.WAITING
    entry.claimed_by = None
    entry.lease_expires_at = None
    entry.version += 1


def close(session: Session, entry: WaitingEntry, outcome: Outcome, now: datetime, *,
          agent_id: int | None, note: str = "", actor: str = "agent", **detail: str) -> None:
    """Close the entry with its outcome and say so in its history."""
    entry.status, entry.outcome, entry.closed_at = EntryStatus.CLOSED, outcome, now
    entry.claimed_by = entry.lease_expires_at = None
    entry.version += 1
    history.record_event(session, entry.id, "outcome", at=now, actor=actor, agent_id=agent_id,
                         detail={"outcome": outcome.value, **detail}, reason=note or None)
