"""The agents' pages: the waiting room (refreshing itself), one entry with its history, and
the audio of its messages. Every page is behind login; views only translate."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, g, render_template, request, send_file
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from callq import formats
from callq.status import EntryStatus, Tier
from callq.waiting.labels import alert_label, clock_label, tier_label, verdict_label, version_label
from callq.waiting_room import EntryFilter
from callq.web_input import integer
from callq.workspace import attachments, client_texts, display, pages, recordings, rules, texts
from callq.workspace.errors import Refused
from scheduling.agenda import local_zone

if TYPE_CHECKING:
    from callq.runtime import Runtime

STATIC = Path(__file__).resolve().parent.parent / "static"
blueprint = Blueprint("workspace", __name__, url_prefix="/agents", static_folder=str(STATIC),
                      static_url_path="/static")
PAGE = 50
MAX_PAGE = 10**6  # beyond any list: a bigger ?page= shows page 1
STATUS_FILTERS = {
    "open": (EntryStatus.WAITING, EntryStatus.CLAIMED),
    "awaiting_client": (EntryStatus.AWAITING_CLIENT,),
    "booked": (EntryStatus.BOOKED,),
    "closed": (EntryStatus.CLOSED,),
}


def show_error(error: HTTPException) -> tuple[str, int]:
    """An agent page's refusal, in the agents' layout, with its status and reason."""
    return render_template("agents/error.html", status=error.code, reason=error.description,
                           lang=g.get("lang", "fr")), error.code or 500


blueprint.register_error_handler(HTTPException, show_error)


def _runtime() -> Runtime:
    runtime: Runtime = current_app.extensions["callq"]
    return runtime


def _yes_no(raw: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(raw or "")


def filters_from(args: MultiDict[str, str]) -> EntryFilter:
    """The list's filters from the query string; unknown values mean "all"."""
    tier = args.get("tier", "")
    return EntryFilter(
        tier=Tier(tier) if tier in set(Tier) else None, vague=_yes_no(args.get("vague")),
        late=_yes_no(args.get("late")), search=(args.get("q") or "").strip() or None,
        statuses=STATUS_FILTERS.get(args.get("status", ""), STATUS_FILTERS["open"]),
    )


@blueprint.app_template_global("workspace_helpers")
def helpers() -> dict[str, Any]:
    """Formatting for the agents' templates, in the request's language and the shown zone."""
    runtime, lang = _runtime(), g.get("lang", "fr")
    tz = local_zone(runtime)
    return {
        "when": lambda instant: display.when(instant, tz, lang),
        "clock": lambda instant: display.clock(instant, tz, lang),
        "duration": lambda seconds: formats.duration(seconds, lang),
        "tier_label": lambda tier: tier_label(Tier(tier), lang),
        "version_label": lambda status: version_label(status, lang),
        "describe": lambda event: display.describe(event.kind, event.detail or {}, lang),
        "attempts": lambda count: display.attempts(count, lang),
        "status": lambda value: texts.label(texts.STATUSES, value, lang),
        "outcome": lambda value: texts.label(texts.OUTCOMES, value, lang),
        "action": lambda value: texts.label(texts.ACTIONS, value, lang),
        "actor": lambda value: texts.label(texts.ACTORS, value, lang),
        "chapter": lambda value: texts.label(client_texts.CHAPTERS, value, lang),
        "scope": lambda value: texts.label(client_texts.SCOPES, value, lang),
        "number": lambda value: formats.number(value, lang),
        "channel": lambda value: texts.label(texts.CHANNELS, value, lang),
        "mail_flag": lambda value: texts.label(texts.MAIL_FLAGS, value, lang),
        "size": lambda value: formats.file_size(value, lang),
        "alert": lambda clock: alert_label(clock.name, clock.verdict, lang),
        "clock_name": lambda clock: clock_label(clock.name, lang),
        "verdict": lambda clock: verdict_label(clock.verdict, lang),
        "now": runtime.now(),
    }


def _list_context(runtime: Runtime, lang: str) -> dict[str, Any]:
    page = integer(request.args.get("page"), 1, MAX_PAGE) or 1
    seen = pages.list_page(runtime, current_user.id, filters_from(request.args), limit=PAGE,
                           offset=(page - 1) * PAGE, lang=lang)
    kept = [(k, v) for k, v in request.args.items(multi=True) if k not in ("page", "fragment")]
    return dict(entries=seen.entries, total=seen.total, rows=seen.rows, messages=seen.messages,
                held=seen.held, names=seen.names, estimates=seen.estimates, page=page,
                pages=max(-(-seen.total // PAGE), 1), args=request.args,
                query=urlencode(kept) + "&" if kept else "",
                tiers=list(Tier), statuses=list(STATUS_FILTERS),
                refresh_seconds=runtime.settings.list_refresh_seconds)


@blueprint.get("/")
@login_required
def waiting_room() -> str:
    """The ordered list; `?fragment=1` answers only the rows, for the page's refresh loop."""
    runtime, lang = _runtime(), g.get("lang", "fr")
    context = _list_context(runtime, lang)
    if request.args.get("fragment"):
        return render_template("agents/_rows.html", **context)
    return render_template("agents/list.html", **context)


def entry_context(runtime: Runtime, entry_id: int, lang: str) -> dict[str, Any]:
    """Everything the entry page shows; 404 when there is no such entry."""
    seen = pages.entry_page(runtime, current_user.id, entry_id, lang)
    if seen is None:
        abort(404, description=Refused("workspace.refused.no_entry", entry=entry_id)
              .message(lang))
    return dict(entry=seen.entry, row=seen.row, messages=seen.messages, events=seen.events,
                names=seen.names, held=seen.held, estimate=seen.estimate, mine=seen.mine,
                takeable=seen.takeable, notice_failed=seen.notice_failed,
                editable=seen.editable, appointments=seen.appointments, tiers=list(Tier),
                chapters=rules.CHAPTERS, scopes=rules.SCOPES)


@blueprint.get("/entries/<int:entry_id>")
@login_required
def entry_page(entry_id: int) -> str:
    """One entry: what it is, why it sits there, its messages, what to do, its history."""
    runtime, lang = _runtime(), g.get("lang", "fr")
    return render_template("agents/entry.html", **entry_context(runtime, entry_id, lang))


@blueprint.get("/recordings/<int:message_id>")
@login_required
def recording(message_id: int) -> Response:
    """A message's audio, for logged-in agents only (Twilio's credentials stay server-side)."""
    try:
        audio = recordings.audio_of(_runtime(), message_id)
    except Refused as refused:
        abort(refused.status, description=refused.message(g.get("lang", "fr")))
    if audio.path is not None:
        response = send_file(audio.path, mimetype=audio.mimetype, conditional=True)
    else:
        response = Response(audio.data, mimetype=audio.mimetype)
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@blueprint.get("/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id: int) -> Response:
    """An email's attachment, for logged-in agents only, always as a download."""
    try:
        found = attachments.file_of(_runtime(), attachment_id)
    except Refused as refused:
        abort(refused.status, description=refused.message(g.get("lang", "fr")))
    response = send_file(found.path, mimetype=found.mimetype, as_attachment=True,
                         download_name=found.filename, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
