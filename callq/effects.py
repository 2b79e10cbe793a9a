"""The outbox: schedule an outside effect inside the caller's transaction, run it at least once
from a worker, and let the reconciler hand over whatever is due and not done.

An effect runs under a lease recorded in the database, so a duplicate delivery by RQ finds it
done or leased and does nothing; a killed worker's lease expires and the effect runs again.
Which use case performs each kind is the runtime's literal table (callq.handlers).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, event, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from callq import db
from callq.models import SideEffect
from callq.ports import JobQueue
from callq.status import EffectStatus

if TYPE_CHECKING:
    from callq.runtime import Runtime

log = logging.getLogger(__name__)

# The job RQ delivers: the worker (callq.worker) calls it with its process's runtime first.
JOB = "callq.effects.run_effect"
ENQUEUE_GRACE = timedelta(seconds=60)  # a handed-over effect not started by then is re-sent

def schedule(
    session: Session,
    *,
    key: str,
    kind: str,
    payload: dict[str, Any],
    due_at: datetime,
    now: datetime,
) -> int | None:
    """Record an effect in the caller's transaction; the same key twice records it once.

    Returns the new effect's id, or None when the key already existed. Effects due now are
    handed to the queue right after the transaction commits.
    """
    due_now = due_at <= now
    effect_id: int | None = session.scalar(_insert_effect(session.get_bind().dialect.name), {
        "key": key, "kind": kind, "payload": payload, "due_at": due_at, "created_at": now,
        "enqueued_at": now if due_now else None,
    })
    if effect_id is not None and due_now:
        session.info.setdefault("callq_due_effects", []).append(effect_id)
    return effect_id


@lru_cache(maxsize=2)
def _insert_effect(dialect: str) -> Any:
    # Built once per dialect: SQLAlchemy memoizes a statement's cache key, not its recipe.
    table = SideEffect.metadata.tables[SideEffect.__tablename__]
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    fields = ("key", "kind", "payload", "due_at", "created_at", "enqueued_at")
    statement = insert(table).values(
        {name: bindparam(name, type_=table.c[name].type) for name in fields}
        | {"status": EffectStatus.PENDING, "attempts": 0})
    return statement.on_conflict_do_nothing(index_elements=["key"]).returning(table.c.id)


def install_after_commit(sessions: Any, queue: JobQueue) -> None:
    """After a commit, hand the effects it made due to the job queue (never before: R-DB)."""

    @event.listens_for(sessions, "after_commit")
    def _enqueue(session: Session) -> None:
        for effect_id in session.info.pop("callq_due_effects", []):
            queue.enqueue(JOB, effect_id)

    @event.listens_for(sessions, "after_rollback")
    def _forget(session: Session) -> None:
        session.info.pop("callq_due_effects", None)


def run_effect(runtime: Runtime, effect_id: int) -> EffectStatus | None:
    """Perform one effect if it is still to do; return its final status (None if not taken)."""
    effect = _take(runtime, effect_id)
    if effect is None:
        return None
    try:
        runtime.handlers[effect.kind](runtime, effect)
    except Exception as exc:
        log.exception("effect %s (%s) failed", effect.key, effect.kind)
        return _release(runtime, effect, error=f"{type(exc).__name__}: {exc}")
    return _release(runtime, effect, error=None)


def _take(runtime: Runtime, effect_id: int) -> SideEffect | None:
    now = runtime.now()
    lease = now + timedelta(seconds=runtime.settings.effect_lease_seconds)
    with db.write(runtime.sessions) as session:
        # Compare-and-swap: only a pending effect, or one whose runner died, can be taken.
        taken = session.execute(  # type: ignore[attr-defined]
            update(SideEffect)
            .where(SideEffect.id == effect_id, SideEffect.due_at <= now, _takeable(now))
            .values(status=EffectStatus.RUNNING, lease_until=lease,
                    attempts=SideEffect.attempts + 1)
        ).rowcount
        if not taken:
            return None
        effect = session.get(SideEffect, effect_id)
        if effect is None or effect.kind not in runtime.handlers:
            raise LookupError(f"no handler for effect {effect_id}")
        return effect


def _takeable(now: datetime) -> Any:
    return or_(
        SideEffect.status == EffectStatus.PENDING,
        (SideEffect.status == EffectStatus.RUNNING) & (SideEffect.lease_until < now),
    )


def _release(runtime: Runtime, effect: SideEffect, error: str | None) -> EffectStatus:
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        row = session.get(SideEffect, effect.id)
        assert row is not None
        row.lease_until = None
        if error is None:
            row.status, row.done_at, row.last_error = EffectStatus.DONE, now, None
        elif row.attempts >= runtime.settings.effect_max_attempts:
            row.status, row.last_error = EffectStatus.FAILED, error
        else:  # back off: 10 s, 40 s, 90 s, ...
            row.status, row.last_error = EffectStatus.PENDING, error
            row.due_at = now + timedelta(seconds=10 * row.attempts**2)
            row.enqueued_at = None
        return row.status


def reconcile(runtime: Runtime, limit: int = 500) -> int:
    """Hand every effect that is due and not done (nor recently handed over) to the queue."""
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        ids = list(session.scalars(
            select(SideEffect.id)
            .where(SideEffect.due_at <= now, _takeable(now))
            .where(or_(SideEffect.enqueued_at.is_(None),
                       SideEffect.enqueued_at < now - ENQUEUE_GRACE,
                       SideEffect.status == EffectStatus.RUNNING))
            .order_by(SideEffect.due_at)
            .limit(limit)
        ))
        if ids:
            session.execute(
                update(SideEffect).where(SideEffect.id.in_(ids)).values(enqueued_at=now)
            )
    for effect_id in ids:
        runtime.queue.enqueue(JOB, effect_id)
    return len(ids)
