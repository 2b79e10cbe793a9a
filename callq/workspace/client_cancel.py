"""A client who solved it alone cancels their callback from the link in our emails (R10): the
use cases behind the cancel page. Idempotent: cancelling twice changes nothing more."""

from __future__ import annotations

from typing import TYPE_CHECKING

from callq import db, entry_writer
from callq.models import WaitingEntry
from callq.status import EntryStatus
from callq.waiting import lifecycle
from callq.workspace.links import max_age, read_cancel

if TYPE_CHECKING:
    from callq.runtime import Runtime

CANCELLABLE = lifecycle.statuses_allowing("cancelled_by_client")


def entry_of_link(runtime: Runtime, token: str) -> int:
    """The entry a cancel link names; LinkError("invalid"/"expired") if it names none."""
    return read_cancel(runtime.settings.secret_key, token, runtime.now(), max_age(runtime))


def cancel_by_client(runtime: Runtime, entry_id: int) -> str:
    """Close the entry for its client: "cancelled", "already_closed", "booked" or "unknown"."""
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        entry = session.get(WaitingEntry, entry_id, with_for_update=True)
        seen = _seen(entry)
        if seen != "confirm" or entry is None:
            return seen
        entry_writer.apply(session, entry, lifecycle.CancelledByClient(at=now))
        return "cancelled"


def cancel_state(runtime: Runtime, entry_id: int) -> str:
    """What the page offers: "confirm", "already_closed", "booked" or "unknown"."""
    with db.read(runtime.sessions) as session:
        return _seen(session.get(WaitingEntry, entry_id))


def _seen(entry: WaitingEntry | None) -> str:
    if entry is None:
        return "unknown"
    if entry.status == EntryStatus.BOOKED:
        return "booked"  # an appointment is cancelled from its own invitation's link
    return "confirm" if entry.status in CANCELLABLE else "already_closed"

