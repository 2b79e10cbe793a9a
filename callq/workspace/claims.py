"""Claims (R10): an entry is held by one agent at a time, through a lease with an expiry and a
compare-and-swap on the entry's version; an agent holds one claim at a time (the partial
unique index ux_waiting_entries_one_claim).

"Take next" on PostgreSQL is one statement (callq.entry_claims): the agent's claim, else the
first claimable entry of the waiting-room order locked with `FOR UPDATE SKIP LOCKED` (agents
racing for the top each get a different one), the claim, its history line and its timer.
SQLite has no row locks: there the whole transaction runs under `BEGIN IMMEDIATE` (db.write)
and the same steps run one statement at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import ColumnElement, literal, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from callq import db, effects, entry_claims, entry_writer
from callq.entry_writer import STATE_COLUMNS, state_of
from callq.models import Agent, SideEffect, WaitingEntry
from callq.status import EntryStatus
from callq.waiting import lifecycle
from callq.waiting_room import order_by
from callq.workspace.errors import HeldByAnother, NotFound, Refused, Stale

if TYPE_CHECKING:
    from callq.runtime import Runtime

EXPIRY = entry_claims.EXPIRY
T = TypeVar("T")
# Claimed rows are looked up through partial indexes (status = 'claimed'); SQLite uses one only
# when the query names the status as a literal, not as a bound parameter.
_CLAIMED = literal(EntryStatus.CLAIMED.value, literal_execute=True)


def claim_next(runtime: Runtime, agent_id: int) -> int | None:
    """Give the agent the first claimable entry (or the one they hold); None when none is left."""
    if db.is_sqlite(runtime.engine):
        return _one_claim(lambda: _claim_next_serialised(runtime, agent_id))
    return _one_claim(lambda: _claim_next_in_one(runtime, agent_id))


def _one_claim(attempt: Callable[[], T]) -> T:
    """Run a claim; if the agent's other claim committed meanwhile (PostgreSQL: two clicks at
    once), the one-claim index refused this one: run it again, to see the claim now held."""
    for _ in range(2):
        try:
            return attempt()
        except IntegrityError as exc:
            if not entry_claims.one_claim_refused(exc):
                raise
    return attempt()


def _claim_next_in_one(runtime: Runtime, agent_id: int) -> int | None:
    now = runtime.now()
    event = claim_event(runtime, agent_id, now, how="next")
    due_now = event.until <= now
    with db.write(runtime.sessions) as session:
        got = entry_claims.claim_next(session, event, timer_due_now=due_now)
        if got.held is not None and not got.running:
            _return_lapsed(session, got.held, now)  # as its timer would, then take again
            got = entry_claims.claim_next(session, event, timer_due_now=due_now)
        if got.held is not None:
            return got.held
        if got.taken is None:
            if got.picked is None:
                return None
            raise Stale("workspace.refused.stale")
        if got.timer is not None and due_now:
            effects.hand_over_after_commit(session, got.timer, EXPIRY)
        return got.taken


def _claim_next_serialised(runtime: Runtime, agent_id: int) -> int | None:
    """SQLite: the same steps one statement at a time; BEGIN IMMEDIATE (db.write) makes the
    transaction the only writer, so it needs neither the agent's lock nor row locks."""
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        held = held_id(session, agent_id, now)
        if held is not None:
            return held
        _return_own_lapsed(session, agent_id, now)
        row = first_claimable(session, now, locking=False)
        if row is None:
            return None
        _take(session, runtime, row.id, state_of(row), agent_id, now, how="next")
        return int(row.id)


def first_claimable(session: Session, now: datetime, *, locking: bool) -> Any:
    """The first claimable entry in the room's order, as (id, its state's columns, sort key...).

    Waiting entries and lapsed leases are looked up separately: each query then walks an
    index and stops at the first match (the order index from 'waiting'; the claimed rows,
    at most one per agent), where one OR over both statuses scanned and sorted every claimable
    row. `locking`: FOR UPDATE SKIP LOCKED (PostgreSQL's take next is entry_claims' statement).
    """
    lapsed = (WaitingEntry.status == _CLAIMED) & (WaitingEntry.lease_expires_at <= now)
    due = (WaitingEntry.status == EntryStatus.WAITING) & or_(
        WaitingEntry.available_at.is_(None), WaitingEntry.available_at <= now)
    rows = [row for condition in (due, lapsed)
            if (row := session.execute(_pick(condition, locking)).first()) is not None]
    return min(rows, key=lambda r: tuple(r)[_SORT_KEY:], default=None)


_SORT_KEY = 1 + len(STATE_COLUMNS)  # where the order's columns start in a picked row


def _pick(condition: ColumnElement[bool], locking: bool) -> Any:
    query = (select(WaitingEntry.id, *STATE_COLUMNS, *order_by()).where(condition)
             .order_by(*order_by()).limit(1))
    return query.with_for_update(skip_locked=True, of=WaitingEntry) if locking else query


def claim(runtime: Runtime, agent_id: int, entry_id: int, version: int) -> None:
    """"Take this one": claim an entry the agent chose, as shown at `version`."""
    _one_claim(lambda: _claim_chosen(runtime, agent_id, entry_id, version))


def _claim_chosen(runtime: Runtime, agent_id: int, entry_id: int, version: int) -> None:
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        lock_agent(session, agent_id)
        entry = locked_entry(session, entry_id)
        if lifecycle.holds(state_of(entry), agent_id):
            return  # a double click: the agent already holds it
        held = held_id(session, agent_id, now)
        if held is not None:
            raise Refused("workspace.refused.hold_one", entry=held)
        refuse_if_held(session, entry, agent_id, now)
        if entry.status not in lifecycle.statuses_allowing("claimed"):
            raise Stale("workspace.refused.not_open")
        if entry.version != version:
            raise Stale("workspace.refused.stale")
        _return_own_lapsed(session, agent_id, now)
        _take(session, runtime, entry_id, state_of(entry), agent_id, now, how="chosen")


def release(runtime: Runtime, agent_id: int, entry_id: int, version: int) -> None:
    """Give the entry back: it returns to its place in the list."""
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        entry = held_entry(session, entry_id, agent_id, version, now)
        entry_writer.apply(session, entry, lifecycle.Released(at=now, agent_id=agent_id))


def lock_agent(session: Session, agent_id: int) -> None:
    """Serialize one agent's "take this one" clicks, so the second sees the first's claim.

    FOR NO KEY UPDATE, not FOR UPDATE: a claim's UPDATE checks its foreign key to the agent with
    FOR KEY SHARE, which FOR UPDATE would block, and "take next" (one statement, no agent lock)
    would deadlock with a click waiting on its claim through the one-claim index."""
    session.execute(select(Agent.id).where(Agent.id == agent_id)
                    .with_for_update(key_share=True))


def held_id(session: Session, agent_id: int, now: datetime) -> int | None:
    """The entry the agent holds under a running lease, if any."""
    return session.scalar(
        select(WaitingEntry.id).where(
            WaitingEntry.status == _CLAIMED, WaitingEntry.claimed_by == agent_id,
            WaitingEntry.lease_expires_at > now,
        ).limit(1)
    )


def _return_own_lapsed(session: Session, agent_id: int, now: datetime) -> None:
    """The agent takes another entry: the one whose lease lapsed (still theirs until someone
    else takes it) goes back to its place in the list first, as its timer would return it."""
    lapsed = session.scalar(select(WaitingEntry.id).where(
        WaitingEntry.status == _CLAIMED, WaitingEntry.claimed_by == agent_id,
        WaitingEntry.lease_expires_at <= now))
    if lapsed is not None:
        _return_lapsed(session, lapsed, now)


def _return_lapsed(session: Session, entry_id: int, now: datetime) -> None:
    entry = session.get(WaitingEntry, entry_id, with_for_update=True, populate_existing=True)
    if entry is not None:  # another agent may have taken it since: then it is theirs
        entry_writer.apply_if_allowed(session, entry, lifecycle.LeaseExpired(
            at=now, version=entry.version))
    session.flush()


def locked_entry(session: Session, entry_id: int) -> WaitingEntry:
    """The entry, row-locked until the transaction ends (PostgreSQL; SQLite holds the db)."""
    entry = session.get(WaitingEntry, entry_id, with_for_update=True)
    if entry is None:
        raise NotFound("workspace.refused.no_entry", entry=entry_id)
    return entry


def held_entry(
    session: Session, entry_id: int, agent_id: int, version: int, now: datetime
) -> WaitingEntry:
    """The entry, locked, provided this agent holds it and it is still as shown at `version`."""
    entry = locked_entry(session, entry_id)
    if not lifecycle.holds(state_of(entry), agent_id):
        refuse_if_held(session, entry, agent_id, now)
        raise Stale("workspace.refused.not_held")
    if entry.version != version:
        raise Stale("workspace.refused.stale")
    return entry


def refuse_if_held(session: Session, entry: WaitingEntry, agent_id: int, now: datetime) -> None:
    """403 when another agent holds the entry under a running lease."""
    if lifecycle.held_by_another(state_of(entry), agent_id, now):
        holder = session.get(Agent, entry.claimed_by)
        raise HeldByAnother("workspace.refused.held", name=holder.name if holder else "?")


def claim_event(runtime: Runtime, agent_id: int, now: datetime, how: str) -> lifecycle.Claimed:
    """The agent claims an entry now, under a lease of the configured length."""
    lease = now + timedelta(seconds=runtime.settings.claim_lease_seconds)
    return lifecycle.Claimed(at=now, agent_id=agent_id, until=lease, how=how)


def _take(session: Session, runtime: Runtime, entry_id: int, state: lifecycle.EntryState,
          agent_id: int, now: datetime, how: str) -> None:
    event = claim_event(runtime, agent_id, now, how)
    lease = event.until
    try:
        # The compare-and-swap: nobody changed the entry since it was read, and it is still free.
        taken = entry_writer.swap(session, entry_id, state, event)
    except lifecycle.IllegalTransition:
        taken = None
    if taken is None:
        raise Stale("workspace.refused.stale")
    schedule_expiry(session, entry_id, taken.version, lease, now)


def renew(session: Session, runtime: Runtime, entry: WaitingEntry, now: datetime, *,
          calling: str | None = None) -> None:
    """Extend the holder's lease from now (a call can outlast the lease it started under);
    `calling`: because the holder calls the client back on this number (a callback attempt)."""
    lease = now + timedelta(seconds=runtime.settings.claim_lease_seconds)
    event: lifecycle.Event = lifecycle.LeaseRenewed(at=now, agent_id=entry.claimed_by, until=lease)
    if calling is not None:
        event = lifecycle.CallPlaced(at=now, agent_id=entry.claimed_by, until=lease, to=calling)
    renewed = entry_writer.apply(session, entry, event)
    schedule_expiry(session, entry.id, renewed.version, lease, now)


def schedule_expiry(session: Session, entry_id: int, version: int, at: datetime,
                    now: datetime) -> None:
    """A timer that returns the entry to the list if this lease (this version) lapses."""
    effects.schedule(session, key=entry_claims.expiry_key(entry_id, version), kind=EXPIRY,
                     payload={"entry_id": entry_id, "version": version}, due_at=at, now=now)


def expire(runtime: Runtime, effect: SideEffect) -> None:
    """Return an entry whose lease lapsed; a renewed, released or finished claim is left alone."""
    payload: dict[str, Any] = effect.payload
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        entry = session.get(WaitingEntry, payload["entry_id"], with_for_update=True)
        if entry is not None:
            entry_writer.apply_if_allowed(session, entry, lifecycle.LeaseExpired(
                at=now, version=payload["version"]))
