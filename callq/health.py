"""`GET /healthz`: the state of the database, Redis and the workers, as JSON."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from rq import Worker
from sqlalchemy import text

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
