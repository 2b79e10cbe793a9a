"""Every request's id and, for Twilio's webhooks, its CallSid, on every line logged while it is
handled (callq.logs), and one line per request: method, path, status, milliseconds."""

from __future__ import annotations

import logging
import os
import re
import time
from typing import Any

from flask import Blueprint, Response, g, request

from callq import logs

blueprint = Blueprint("request_log", __name__)
log = logging.getLogger("callq.http")
HEADER = "X-Request-Id"
_GIVEN_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")  # a proxy's id, kept when it is sane
_CALL_SID = re.compile(r"CA[0-9a-fA-F]{32}|[A-Za-z0-9_-]{1,64}")


def _request_id() -> str:
    given = request.headers.get(HEADER, "")
    return given if _GIVEN_ID.fullmatch(given) else os.urandom(16).hex()


def _call_sid() -> str | None:
    if not request.path.startswith("/twilio/"):
        return None
    sid = request.values.get("CallSid", "")
    return sid if _CALL_SID.fullmatch(sid) else None


@blueprint.before_app_request
def _begin() -> None:
    g.request_id, g.request_started = _request_id(), time.perf_counter()
    g.log_ids = logs.bind(request=g.request_id, call=_call_sid())


@blueprint.after_app_request
def _answered(response: Response) -> Response:
    response.headers[HEADER] = g.get("request_id", "")
    started = g.get("request_started")
    if started is not None:
        log.info("%s %s %s %.1f ms", request.method, request.path, response.status_code,
                 (time.perf_counter() - started) * 1000)
    return response


@blueprint.teardown_app_request
def _end(_error: Any) -> None:
    bound = g.pop("log_ids", None)
    if bound is not None:
        logs.unbind(bound)
