"""The waiting room's JSON API: `Authorization: Bearer $CALLQ_API_TOKEN`; closed without one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, g, jsonify, request

from callq.i18n import languages
from callq.runtime import Runtime
from callq.status import EntryStatus, Tier
from callq.tokens import bearer_matches
from callq.waiting_room import COUNT_CAP, EntryFilter, read_entry, read_page
from callq.web_input import integer

blueprint = Blueprint("api", __name__, url_prefix="/api")

MAX_LIMIT = 200
_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


@blueprint.before_request
def _authorize() -> Any:
    expected = _runtime().settings.api_token
    if not expected:
        reason = "the API is closed: CALLQ_API_TOKEN is not set"
        return jsonify(error="Forbidden", reason=reason), 403
    if not bearer_matches(request.headers.get("Authorization", ""), expected):
        body = jsonify(error="Unauthorized", reason="a valid Bearer token is required")
        return body, 401, {"WWW-Authenticate": 'Bearer realm="callq"'}
    return None


@blueprint.get("/waiting-room")
def waiting_room() -> Any:
    """The ordered list, one page: ?limit=1..200&offset=&tier=&vague=&late=&q=&status=&lang=."""
    runtime = _runtime()
    limit = _integer("limit", 50, 1, MAX_LIMIT)
    offset = _integer("offset", 0, 0, 10**9)
    filters = EntryFilter(
        tier=_enum("tier", Tier), vague=_boolean("vague"), late=_boolean("late"),
        search=_search(), statuses=_statuses(),
    )
    page, total = read_page(runtime, limit=limit, offset=offset, lang=_lang(), filters=filters)
    return jsonify(total=total, total_capped=total >= COUNT_CAP, limit=limit, offset=offset,
                   entries=[view.as_json() for view in page])


@blueprint.get("/entries/<int:entry_id>")
def entry(entry_id: int) -> Any:
    """One entry with its messages; 404 when there is no such entry."""
    found = read_entry(_runtime(), entry_id, _lang())
    if found is None:
        abort(404, description=f"no entry {entry_id}")
    view, messages = found
    return jsonify(entry=view.as_json(), messages=[m.as_json() for m in messages])


def _runtime() -> Runtime:
    runtime: Runtime = current_app.extensions["callq"]
    return runtime


def _lang() -> str:
    wanted = request.args.get("lang")
    return wanted if wanted in languages() else str(g.get("lang", "fr"))


def _integer(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    value = integer(raw, low, high)
    if value is None:
        abort(400, description=f"{name} must be an integer from {low} to {high}, not "
                               f"{raw[:40]!r}")
    return value


def _boolean(name: str) -> bool | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    if raw.lower() not in _BOOLEANS:
        abort(400, description=f"{name} must be true or false, not {raw!r}")
    return _BOOLEANS[raw.lower()]


def _enum(name: str, kind: type[Tier]) -> Tier | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        return kind(raw)
    except ValueError:
        abort(400, description=f"{name} must be one of {', '.join(t.value for t in kind)}")


def _statuses() -> tuple[EntryStatus, ...]:
    raw = request.args.get("status")
    if raw is None:
        return EntryFilter().statuses
    try:
        statuses = tuple(EntryStatus(part.strip()) for part in raw.split(",") if part.strip())
    except ValueError:
        statuses = ()
    if not statuses:
        allowed = ", ".join(s.value for s in EntryStatus)
        abort(400, description=f"status must be a comma-separated list of {allowed}")
    return statuses


def _search() -> str | None:
    raw = (request.args.get("q") or "").strip()
    if len(raw) > 200:
        abort(400, description="q must be at most 200 characters")
    return raw or None
