"""`GET /healthz`: the state of the database, Redis and the workers, as JSON."""

from __future__ import annotations

import time
import uuid
from typing import Any

from flask import Blueprint, current_app, jsonify
from rq import Worker
from sqlalchemy import text

from callq import db, effects
from callq.models import SideEffect
from callq.runtime import Runtime

blueprint = Blueprint("health", __name__)


def check(runtime: Runtime) -> dict[str, Any]:
    """Probe each part; never raises, says what is wrong instead."""
    report: dict[str, Any] = {}
    try:
        with runtime.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        report["database"] = {"ok": True, "backend": runtime.engine.dialect.name}
    except Exception as exc:
        report["database"] = {"ok": False, "error": str(exc).splitlines()[0]}
    try:
        runtime.redis.ping()
        report["redis"] = {"ok": True}
        workers = Worker.all(connection=runtime.redis)
        mine = [w for w in workers if runtime.settings.queue_name in w.queue_names()]
        report["workers"] = {"ok": bool(mine), "count": len(mine)}
    except Exception as exc:
        report["redis"] = {"ok": False, "error": str(exc).splitlines()[0]}
        report["workers"] = {"ok": False, "count": 0}
    report["ok"] = all(part["ok"] for part in report.values())
    return report


@blueprint.get("/healthz")
def healthz() -> Any:
    report = check(current_app.extensions["callq"])
    return jsonify(report), 200 if report["ok"] else 503


@effects.handler("probe")
def probe(runtime: Runtime, effect: SideEffect) -> None:
    """A no-op job proving a worker runs jobs; may wait, and may append its key to a file."""
    time.sleep(float(effect.payload.get("seconds", 0)))
    if effect.payload.get("touch"):
        with open(effect.payload["touch"], "a", encoding="utf-8") as handle:
            handle.write(effect.key + "\n")


def send_probe(runtime: Runtime, seconds: float = 0, touch: str | None = None) -> int:
    """Schedule a probe effect now; return its id."""
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        effect_id = effects.schedule(
            session, key=f"probe-{uuid.uuid4().hex}", kind="probe",
            payload={"seconds": seconds, "touch": touch}, due_at=now, now=now,
        )
    assert effect_id is not None
    return effect_id
