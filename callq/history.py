"""The append-only history of an entry: every change says who, when, what and why."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from callq.models import EntryEvent


def record_event(
    session: Session,
    entry_id: int,
    kind: str,
    *,
    at: datetime,
    actor: str = "system",
    agent_id: int | None = None,
    detail: dict[str, Any] | None = None,
    reason: str | None = None,
) -> EntryEvent:
    """Append one event to an entry's history (in the caller's transaction)."""
    event = EntryEvent(entry_id=entry_id, kind=kind, at=at, actor=actor, agent_id=agent_id,
                       detail=detail or {}, reason=reason)
    session.add(event)
    return event
