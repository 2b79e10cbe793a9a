"""Waiting for the client (R10): after the last unanswered callback (or a booking link sent),
the client is reminded on the configured days, then the entry closes itself.

Each step is an outbox timer; when it fires it re-reads the entry and does nothing unless the
entry still waits for its client since the same instant (solved, cancelled, booked or listed
again in the meantime: the timer is spent silently).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from callq import db, effects, history
from callq.models import SideEffect, WaitingEntry
from callq.status import EntryStatus, Outcome
from callq.workspace import notices, rules, transitions

if TYPE_CHECKING:
    from callq.runtime import Runtime


def wait_for_client(session: Session, runtime: Runtime, entry: WaitingEntry, now: datetime, *,
                    notify: bool) -> None:
    """Out of the list until the client calls, books or cancels; timers for reminders and close."""
    entry.status, entry.awaiting_since = EntryStatus.AWAITING_CLIENT, now
    entry.claimed_by = entry.lease_expires_at = entry.available_at = None
    entry.version += 1
    settings, since = runtime.settings, now.isoformat()
    for timer in rules.client_timers(now, settings.client_reminder_days,
                                     settings.client_close_days):
        effects.schedule(
            session, key=f"entry-{entry.id}-awaiting-{since}-{timer.kind}-{timer.n}",
            kind=f"client_{timer.kind}", due_at=timer.due_at, now=now,
            payload={"entry_id": entry.id, "since": since, "n": timer.n},
        )
    if notify:
        notices.send(session, runtime, entry, "awaiting", key=since, attempts=entry.attempts)


def _still_waiting(session: Session, payload: dict[str, Any]) -> WaitingEntry | None:
    entry = session.get(WaitingEntry, payload["entry_id"], with_for_update=True)
    if entry is None or entry.status != EntryStatus.AWAITING_CLIENT:
        return None
    since = entry.awaiting_since
    return entry if since is not None and since.isoformat() == payload["since"] else None


def remind(runtime: Runtime, effect: SideEffect) -> None:
    """Remind a client whose entry still waits for them."""
    with db.write(runtime.sessions) as session:
        entry = _still_waiting(session, effect.payload)
        if entry is None:
            return
        n = int(effect.payload["n"])
        sent = notices.send(session, runtime, entry, "reminder", key=f"{effect.id}", n=n)
        history.record_event(session, entry.id, "client_reminded", at=runtime.now(),
                             detail={"n": n, "sent_by": sent})


def close_unanswered(runtime: Runtime, effect: SideEffect) -> None:
    """Close an entry whose client never came back."""
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        entry = _still_waiting(session, effect.payload)
        if entry is None:
            return
        transitions.close(session, entry, Outcome.EXPIRED, now, agent_id=None, actor="system")
        notices.send(session, runtime, entry, "closed", key="expired")
