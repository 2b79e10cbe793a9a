"""How the service is doing: the database, Redis, live workers of each pool and the scheduler
(from their heartbeats in the database), and the outbox (overdue, retrying and failed effects).
Not ok when something is wrong, with `problems` naming each; failed effects are reported but are
the administrator's to retry (/admin/effects), not a reason to take the service out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from callq import db, failed_effects, handlers, heartbeat
from callq import health_rules as rules
from callq.models import SideEffect
from callq.runtime import Runtime
from callq.status import EffectStatus


def check(runtime: Runtime) -> dict[str, Any]:
    """Look at each part; never raises, says what is wrong instead."""
    report: dict[str, Any] = {}
    problems: list[str] = []
    try:
        with db.read(runtime.sessions) as session:
            session.execute(text("SELECT 1"))
            report["database"] = {"ok": True, "backend": runtime.engine.dialect.name}
            problems += _processes(session, runtime, report)
            problems += _outbox(session, runtime, report)
    except Exception as exc:
        report["database"] = {"ok": False, "error": _first_line(exc)}
        problems.append(f"database: {_first_line(exc)}")
    try:
        runtime.redis.ping()
        report["redis"] = {"ok": True}
    except Exception as exc:
        report["redis"] = {"ok": False, "error": _first_line(exc)}
        problems.append(f"redis: {_first_line(exc)}")
    report["problems"] = problems
    report["ok"] = not problems
    return report


def _processes(session: Session, runtime: Runtime, report: dict[str, Any]) -> list[str]:
    now, settings = runtime.now(), runtime.settings
    live = heartbeat.live(session, settings, now)
    by_pool = {pool: 0 for pool in handlers.POOLS}
    busy = 0
    for beat in (b for b in live if b.role == heartbeat.WORKER):
        busy += beat.busy_with is not None
        for pool in filter(None, beat.pools.split(",")):
            by_pool[pool] = by_pool.get(pool, 0) + 1
    worker_problems = rules.worker_problems(by_pool, handlers.POOLS)
    workers = [b for b in live if b.role == heartbeat.WORKER]
    report["workers"] = {"ok": not worker_problems, "count": len(workers), "busy": busy,
                         "by_pool": by_pool}
    last = heartbeat.last_beat(session, heartbeat.SCHEDULER)
    scheduler_problems = rules.scheduler_problems(last, now, heartbeat.stale_after(settings))
    report["scheduler"] = {"ok": not scheduler_problems,
                           "last_beat": last.isoformat() if last else None}
    return worker_problems + scheduler_problems


def _outbox(session: Session, runtime: Runtime, report: dict[str, Any]) -> list[str]:
    now = runtime.now()
    late_since = now - timedelta(seconds=runtime.settings.overdue_seconds)
    overdue, oldest = failed_effects.overdue(session, late_since)
    retrying = session.scalar(select(func.count()).select_from(SideEffect).where(
        SideEffect.status == EffectStatus.PENDING, SideEffect.attempts > 0)) or 0
    problems = rules.outbox_problems(overdue, oldest, now)
    report["outbox"] = {"ok": not problems, "overdue": overdue,
                        "oldest_overdue_due_at": oldest.isoformat() if oldest else None,
                        "retrying": retrying, "failed": failed_effects.count_failed(session)}
    return problems


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]
