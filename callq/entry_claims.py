""""Take next" on PostgreSQL as one statement, beside the one writer of entries (entry_writer).

One round trip does what a claim does one statement at a time elsewhere: finds the claim the
agent already holds, else picks the first claimable entry in the room's order (a due waiting
entry, or a lapsed lease) with `FOR UPDATE SKIP LOCKED`, writes the claim with a compare-and-swap
on version and status, appends its history line and schedules its lease-expiry timer.

The statement writes what callq.waiting.lifecycle decides for a `Claimed` event, and nothing
it does not: `claim_line` runs the machine on both states a claim starts from and refuses to
go on if the machine ever writes more than status, holder, lease and version + 1 (the SQL's
SET), or another history line than the one the statement appends.

"One claim per agent" is the partial unique index ux_waiting_entries_one_claim (claimed_by
WHERE status = 'claimed'): a second claim by the same agent racing the first (a double click)
fails on it, after the first commits, and the caller takes the one the agent now holds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Final

from sqlalchemy import Integer, bindparam, column, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from callq.entry_writer import LIFECYCLE
from callq.models.base import JSONDoc, UTCDateTime
from callq.state_machine import Record
from callq.status import EffectStatus, EntryStatus
from callq.waiting import lifecycle

ONE_CLAIM: Final = "ux_waiting_entries_one_claim"  # the partial unique index (models, 0019)
EXPIRY: Final = "claim_expiry"  # the lease's timer: its effect kind


_KEY = "claim-expiry-"


def expiry_key(entry_id: int, version: int) -> str:
    """The lease timer's key: one timer per lease (per version of the claimed entry)."""
    return f"{_KEY}{entry_id}-v{version}"


_WAITING, _CLAIMED = EntryStatus.WAITING.value, EntryStatus.CLAIMED.value
_ORDER = "vague, tier_rank, queued_at, id"  # the room's order: callq.waiting.order.sort_key
# mine: the agent's claim (at most one, by the unique index), its lease running or lapsed.
# due, lapsed: the first of each kind of claimable entry, each walking its own index
# (ix_waiting_entries_order from 'waiting'; ix_waiting_entries_lease for lapsed leases), and
# only when the agent holds nothing. pick: the first of the two in the room's order.
_CLAIM_NEXT: Final = text(f"""
WITH mine AS (
    SELECT id, lease_expires_at > :now AS running FROM waiting_entries
    WHERE status = '{_CLAIMED}' AND claimed_by = :agent_id
), due AS (
    SELECT id, version, status, vague, tier_rank, queued_at FROM waiting_entries
    WHERE status = '{_WAITING}' AND (available_at IS NULL OR available_at <= :now)
      AND NOT EXISTS (SELECT 1 FROM mine)
    ORDER BY {_ORDER} LIMIT 1 FOR UPDATE SKIP LOCKED
), lapsed AS (
    SELECT id, version, status, vague, tier_rank, queued_at FROM waiting_entries
    WHERE status = '{_CLAIMED}' AND lease_expires_at <= :now
      AND NOT EXISTS (SELECT 1 FROM mine)
    ORDER BY {_ORDER} LIMIT 1 FOR UPDATE SKIP LOCKED
), pick AS (
    SELECT id, version, status FROM (SELECT * FROM due UNION ALL SELECT * FROM lapsed) AS one
    ORDER BY {_ORDER} LIMIT 1
), taken AS (
    UPDATE waiting_entries AS w
    SET status = '{_CLAIMED}', claimed_by = :agent_id, lease_expires_at = :lease,
        version = w.version + 1
    FROM pick WHERE w.id = pick.id AND w.version = pick.version AND w.status = pick.status
    RETURNING w.id, w.version
), line AS (
    INSERT INTO entry_events (entry_id, at, actor, agent_id, kind, detail, reason)
    SELECT id, CAST(:at AS timestamptz), CAST(:actor AS text), CAST(:line_agent_id AS integer),
           CAST(:kind AS text), CAST(:detail AS jsonb), CAST(:reason AS text) FROM taken
), timer AS (
    INSERT INTO side_effects (key, kind, payload, due_at, status, attempts, created_at,
                              enqueued_at)
    SELECT '{_KEY}' || id || '-v' || version, CAST(:timer_kind AS text),
           jsonb_build_object('entry_id', id, 'version', version), CAST(:lease AS timestamptz),
           '{EffectStatus.PENDING.value}', 0, CAST(:now AS timestamptz),
           CAST(:enqueued_at AS timestamptz)
    FROM taken
    ON CONFLICT (key) DO NOTHING
    RETURNING id
)
SELECT (SELECT id FROM mine) AS held, (SELECT running FROM mine) AS running,
       (SELECT id FROM pick) AS picked, (SELECT id FROM taken) AS taken,
       (SELECT version FROM taken) AS version, (SELECT id FROM timer) AS timer
""").bindparams(
    bindparam("now", type_=UTCDateTime()), bindparam("lease", type_=UTCDateTime()),
    bindparam("at", type_=UTCDateTime()), bindparam("enqueued_at", type_=UTCDateTime()),
    bindparam("detail", type_=JSONDoc), bindparam("agent_id", type_=Integer()),
    bindparam("line_agent_id", type_=Integer()),
).columns(column("held", Integer()), column("running"), column("picked", Integer()),
          column("taken", Integer()), column("version", Integer()), column("timer", Integer()))


@dataclass(frozen=True)
class NextClaim:
    """What the statement found and did."""

    held: int | None  # the entry the agent already holds (nothing else was done)
    running: bool  # ... under a running lease (else lapsed: the caller expires it first)
    picked: int | None  # the first claimable entry, when the agent held nothing
    taken: int | None  # the picked entry, now claimed (None: its compare-and-swap failed)
    version: int | None  # the claimed entry's version, which its timer names
    timer: int | None  # the lease timer's effect id


def claim_line(event: lifecycle.Claimed) -> Record:
    """The history line of the claim, once the machine agrees with what the statement writes."""
    starts = (lifecycle.EntryState(EntryStatus.WAITING, version=1),
              lifecycle.EntryState(EntryStatus.CLAIMED, version=1, claimed_by=-1,
                                   lease_expires_at=event.at))  # a lapsed lease
    lines: list[Record] = []
    for before in starts:
        after, records = lifecycle.transition(before, event)
        written = replace(before, status=EntryStatus.CLAIMED, claimed_by=event.agent_id,
                          lease_expires_at=event.until, version=before.version + 1)
        if any(getattr(after, name) != getattr(written, name) for name in LIFECYCLE):
            raise RuntimeError("the lifecycle's claim changed: update callq/entry_claims.py")
        lines.extend(records)
    if len(lines) != 2 or lines[0] != lines[1]:
        raise RuntimeError("the lifecycle's claim changed: update callq/entry_claims.py")
    return lines[0]


def claim_next(session: Session, event: lifecycle.Claimed, *, timer_due_now: bool) -> NextClaim:
    """Run "take next" for `event.agent_id` in the session's transaction (PostgreSQL only)."""
    line = claim_line(event)
    session.flush()  # what the transaction wrote before, for the statement to see
    row: Any = session.execute(_CLAIM_NEXT, {
        "agent_id": event.agent_id, "now": event.at, "lease": event.until, "at": line.at,
        "actor": line.actor, "line_agent_id": line.agent_id, "kind": line.kind,
        "detail": dict(line.detail), "reason": line.reason, "timer_kind": EXPIRY,
        "enqueued_at": event.at if timer_due_now else None,
    }).one()
    return NextClaim(held=row.held, running=bool(row.running), picked=row.picked,
                     taken=row.taken, version=row.version, timer=row.timer)


def one_claim_refused(exc: IntegrityError) -> bool:
    """The agent already holds a claim: the error is the one-claim index's (both backends)."""
    message = str(exc.orig)
    return ONE_CLAIM in message or "waiting_entries.claimed_by" in message
