"""`GET /healthz`: 200 when the service is well, 503 otherwise (callq.health_check).

An anonymous caller (a load balancer, a stranger) learns only that: `{"ok": true|false}`. The
details (each part, the problems, the outbox's counts) need `Authorization: Bearer
$CALLQ_API_TOKEN`, since they describe the inside of the service.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request

from callq.health_check import check
from callq.runtime import Runtime
from callq.tokens import bearer_matches

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> Any:
    """Ok or not for anyone; the whole report for a caller holding the API token."""
    runtime: Runtime = current_app.extensions["callq"]
    report = check(runtime)
    status = 200 if report["ok"] else 503
    if not bearer_matches(request.headers.get("Authorization", ""), runtime.settings.api_token):
        return jsonify(ok=report["ok"]), status
    return jsonify(report), status
