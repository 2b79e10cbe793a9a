"""The outbox: schedule an outside effect inside the caller's transaction, run it from a worker
under a fenced lease, and let the reconciler hand over whatever is due and not done.

A run takes a lease with a fresh token; it records its outcome only while that token still
holds the lease, so a run that outlived its lease (a paused process) changes nothing. A use case
calls `sending` right before an outside call: a run that dies after that may have reached the
provider, and the rules (callq.outbox_rules) say what happens next. Every outside call is
bounded by CALLQ_SEND_DEADLINE_SECONDS, shorter than the lease, so a lease that runs out means
its runner is dead. Which use case performs each kind is the runtime's literal table
(callq.handlers), which also names the worker pool of each kind.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, event, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from callq import db
from callq import outbox_rules as rules
from callq.models import SideEffect
from callq.outbox_rules import Take
from callq.ports import DeliveryError, JobQueue, UnconfirmedDelivery
from callq.status import EffectStatus

if TYPE_CHECKING:
    from callq.runtime import Handler, Runtime

log = logging.getLogger(__name__)

# The job RQ delivers: the worker (callq.worker) calls it with its process's runtime first.
JOB = "callq.effects.run_effect"
JOBS = "callq.effects.run_effects"  # several effects of one pool, handed over together
# Pools whose effects a hand-over may give one worker together: short database work, where a
# job per effect costs more than the effect (webhooks' filings, finalizes, timers). Emails and
# calls keep a job each, so that several workers send them side by side.
BATCHED_POOLS = frozenset({"timers"})
_DUE = "callq_due_effects"  # Session.info: (id, kind) of effects to hand over after commit


class LeaseLost(RuntimeError):
    """This run no longer holds its effect's lease: another run owns it now."""


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
        hand_over_after_commit(session, effect_id, kind)
    return effect_id


def bring_forward(session: Session, *, keys: list[str], due_at: datetime,
                  now: datetime) -> int | None:
    """Make the pending effects among `keys` due by `due_at` at the latest, in the caller's
    transaction; the id of one, or None when none of them is pending.

    One row then serves where a second would repeat it (a call's end brings its safety net
    forward instead of scheduling a second finalize): the outbox keeps fewer rows per call.
    An effect already running or done is left alone, so the caller schedules its own then.
    """
    # Found by key first: a plan led by "status = pending" would walk every pending effect.
    by_key = select(SideEffect.id).where(SideEffect.key.in_(keys)).scalar_subquery()
    pending = (SideEffect.id.in_(by_key), SideEffect.status == EffectStatus.PENDING)
    due_now = due_at <= now
    moved = session.execute(
        update(SideEffect).where(*pending, SideEffect.due_at > due_at)
        .values(due_at=due_at, enqueued_at=now if due_now else None)
        .returning(SideEffect.id, SideEffect.kind)
        .execution_options(synchronize_session=False)).all()
    for effect_id, kind in moved:
        if due_now:
            hand_over_after_commit(session, effect_id, kind)
    if moved:
        return int(moved[0][0])
    sooner: int | None = session.scalar(select(SideEffect.id).where(*pending).limit(1))
    return sooner


def hand_over_after_commit(session: Session, effect_id: int, kind: str) -> None:
    """Enqueue the effect once the session's transaction has committed."""
    session.info.setdefault(_DUE, []).append((effect_id, kind))


def hand_over_committed(runtime: Runtime, effect_id: int, kind: str) -> None:
    """Enqueue an effect a transaction outside any session committed (the driver-level hot
    path, callq.intake_driver), as `install_after_commit` does for a session's."""
    (runtime.hand_over or runtime.queue).enqueue(JOB, effect_id, pool=runtime.pool_of(kind))


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


def install_after_commit(sessions: Any, queue: JobQueue, pool_of: Callable[[str], str]) -> None:
    """After a commit, hand the effects it made due to their pool's queue (never before)."""

    @event.listens_for(sessions, "after_commit")
    def _enqueue(session: Session) -> None:
        for effect_id, kind in session.info.pop(_DUE, []):
            queue.enqueue(JOB, effect_id, pool=pool_of(kind))

    @event.listens_for(sessions, "after_rollback")
    def _forget(session: Session) -> None:
        session.info.pop(_DUE, None)


def outside(handler: Handler) -> Handler:
    """A use case that calls the outside world: its run is marked as sending first."""

    def run(runtime: Runtime, effect: SideEffect) -> None:
        sending(runtime, effect)
        handler(runtime, effect)

    run.__name__ = run.__qualname__ = f"outside({handler.__name__})"
    run.__doc__ = handler.__doc__
    return run


def sending(runtime: Runtime, effect: SideEffect) -> None:
    """Record, right before an outside call, that this run makes it; LeaseLost if it may not."""
    with db.write(runtime.sessions) as session:
        marked = session.execute(  # type: ignore[attr-defined]
            update(SideEffect)
            .where(SideEffect.id == effect.id, SideEffect.lease_token == effect.lease_token,
                   SideEffect.status == EffectStatus.RUNNING)
            .values(sending_at=runtime.now())
        ).rowcount
    if not marked:
        raise LeaseLost(f"effect {effect.key}: lease lost before sending; nothing sent")


def batched(function: str, pool: str | None) -> str | None:
    """How a hand-over merges jobs (callq.adapters.jobs.HandOver): effects of a batched pool
    into one `run_effects` job; None for any other job."""
    return JOBS if function == JOB and pool in BATCHED_POOLS else None


def run_effects(runtime: Runtime, effect_ids: list[int]) -> None:
    """Perform several effects one after the other (a merged hand-over, `batched`); one that
    a shutdown interrupts is handed back, the rest stay due for the reconciler."""
    for effect_id in effect_ids:
        run_effect(runtime, effect_id)


def run_effect(runtime: Runtime, effect_id: int) -> EffectStatus | None:
    """Perform one effect if it is still to do; return its new status (None if not taken)."""
    effect = _take(runtime, effect_id)
    if effect is None:
        return None
    try:
        runtime.handlers[effect.kind](runtime, effect)
    except LeaseLost as exc:
        log.error("%s", exc)
        return None
    except Exception as exc:
        expected = isinstance(exc, (DeliveryError, UnconfirmedDelivery, OSError))
        log.warning("effect %s (%s) failed: %s: %s", effect.key, effect.kind,
                    type(exc).__name__, exc, exc_info=not expected)  # a trace for bugs only
        return _release(runtime, effect, exc)
    except BaseException:  # a cold shutdown (SystemExit) or Ctrl-C: hand it back at once
        _interrupted(runtime, effect)
        raise
    return _release(runtime, effect, None)


def _take(runtime: Runtime, effect_id: int) -> SideEffect | None:
    now, settings = runtime.now(), runtime.settings
    with db.write(runtime.sessions) as session:
        row = session.get(SideEffect, effect_id, with_for_update=True)
        if row is None:
            return None
        decision = rules.take(
            EffectStatus(row.status), row.due_at, row.lease_until,
            sending_started=row.sending_at is not None, attempts=row.attempts,
            max_attempts=settings.effect_max_attempts, now=now,
            tolerance=timedelta(seconds=settings.clock_tolerance_seconds))
        if decision is Take.SKIP:
            return None
        if decision is Take.EARLY:
            # Not dropped: the reconciler hands it over again once it is due.
            log.info("effect %s arrived %.1f s before it is due; deferred to its due time",
                     row.key, (row.due_at - now).total_seconds())
            row.enqueued_at = None
            return None
        if decision is Take.GIVE_UP:
            _fail(row, now, f"its worker stopped during each of its {row.attempts} attempts")
            return None
        if row.kind not in runtime.handlers:
            _fail(row, now, f"no handler for {row.kind!r} in this worker")
            return None
        if decision is Take.RESUME:
            log.warning("effect %s: its last run died after it began sending; sending again "
                        "with the same key", row.key)
        row.status, row.lease_until = EffectStatus.RUNNING, now + _lease(runtime)
        row.lease_token, row.sending_at = uuid.uuid4().hex, None
        row.attempts += 1
        return row


def _lease(runtime: Runtime) -> timedelta:
    return timedelta(seconds=runtime.settings.effect_lease_seconds)


def _fail(row: SideEffect, now: datetime, error: str) -> None:
    row.status, row.failed_at, row.last_error = EffectStatus.FAILED, now, error
    row.lease_until = row.lease_token = row.sending_at = None
    log.error("effect %s failed for good: %s", row.key, error)


def _release(runtime: Runtime, effect: SideEffect, error: Exception | None) -> EffectStatus | None:
    now, settings = runtime.now(), runtime.settings
    failure = rules.classify(error) if error is not None else None
    status = rules.after_run(failure, attempts=effect.attempts,
                             max_attempts=settings.effect_max_attempts)
    values: dict[str, Any] = {"status": status, "lease_until": None, "lease_token": None,
                              "sending_at": None}
    if status == EffectStatus.DONE:
        values |= {"done_at": now, "last_error": None}
    elif failure is not None and error is not None:
        values["last_error"] = rules.describe(failure, error)
        if status == EffectStatus.FAILED:
            values["failed_at"] = now
        else:
            first = timedelta(seconds=settings.effect_retry_seconds)
            values |= {"due_at": now + rules.backoff(effect.attempts, first),
                       "enqueued_at": None}
    if not _update_held(runtime, effect, values):
        log.error("effect %s: this run lost its lease before it ended; its outcome (%s) is "
                  "left to the run that holds it", effect.key, status)
        return None
    if status == EffectStatus.FAILED:
        log.error("effect %s failed for good: %s", effect.key, values["last_error"])
    return status


def _interrupted(runtime: Runtime, effect: SideEffect) -> None:
    try:
        _update_held(runtime, effect, {
            "status": EffectStatus.PENDING, "due_at": runtime.now(), "enqueued_at": None,
            "lease_until": None, "lease_token": None, "sending_at": None,
            "last_error": "interrupted: its worker was shut down during the run"})
    except Exception:  # the database is out of reach too: the lease will run out instead
        log.exception("effect %s: could not hand it back after an interruption", effect.key)


def _update_held(runtime: Runtime, effect: SideEffect, values: dict[str, Any]) -> bool:
    """Update the effect only while this run's token still holds its lease."""
    with db.write(runtime.sessions) as session:
        return bool(session.execute(  # type: ignore[attr-defined]
            update(SideEffect)
            .where(SideEffect.id == effect.id, SideEffect.lease_token == effect.lease_token,
                   SideEffect.status == EffectStatus.RUNNING)
            .values(**values)
        ).rowcount)


def _takeable(now: datetime) -> Any:
    return or_(
        SideEffect.status == EffectStatus.PENDING,
        (SideEffect.status == EffectStatus.RUNNING) & (SideEffect.lease_until < now),
    )


def reconcile(runtime: Runtime, limit: int = 500, *, fresh: bool = False) -> int:
    """Hand every effect that is due and not done to its pool's queue, unless handed over
    within the grace (`fresh`: the queue was emptied, hand everything over again)."""
    now = runtime.now()
    grace = timedelta(seconds=runtime.settings.enqueue_grace_seconds)
    query = select(SideEffect.id, SideEffect.kind).where(SideEffect.due_at <= now,
                                                          _takeable(now))
    if not fresh:
        query = query.where(or_(SideEffect.enqueued_at.is_(None),
                                SideEffect.enqueued_at < now - grace))
    with db.read(runtime.sessions) as session:
        rows = session.execute(query.order_by(SideEffect.due_at).limit(limit)).all()
    handed = [effect_id for effect_id, kind in rows
              if runtime.queue.enqueue(JOB, effect_id, pool=runtime.pool_of(kind))]
    if handed:
        with db.write(runtime.sessions) as session:
            session.execute(update(SideEffect).where(SideEffect.id.in_(handed))
                            .values(enqueued_at=now))
    return len(handed)


def prune(runtime: Runtime, batch: int = 500) -> int:
    """Delete up to `batch` done effects older than the retention; return how many."""
    cutoff = runtime.now() - timedelta(days=runtime.settings.effect_retention_days)
    with db.write(runtime.sessions) as session:
        ids = list(session.scalars(
            select(SideEffect.id)
            .where(SideEffect.status == EffectStatus.DONE, SideEffect.done_at < cutoff)
            .limit(batch)))
        if ids:
            session.execute(delete(SideEffect).where(SideEffect.id.in_(ids)))
    return len(ids)
