"""What agents do from the pages: take next, take this one, give back, call, record an outcome,
requalify, merge, split. Each POST carries the entry's version as shown (compare-and-swap) and
the CSRF token; a refusal re-shows the entry with the reason and its status (403, 409, 400)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from callq import i18n
from callq.i18n import N_
from callq.web_input import integer
from callq.workspace import callback, claims, outcomes, requalify
from callq.workspace.errors import Refused
from callq.workspace.views import entry_context, show_error

if TYPE_CHECKING:
    from callq.runtime import Runtime

blueprint = Blueprint("workspace_actions", __name__, url_prefix="/agents")
blueprint.register_error_handler(HTTPException, show_error)
Result = Response | tuple[str, int]


def _runtime() -> Runtime:
    runtime: Runtime = current_app.extensions["callq"]
    return runtime


def _lang() -> str:
    return str(g.get("lang", "fr"))


def _int(name: str) -> int:
    value = integer(request.form.get(name))
    if value is None:
        raise Refused("workspace.refused.form")
    return value


def _to_entry(entry_id: int, notice: str | None = None) -> Response:
    if notice:
        flash(notice, "ok")
    return redirect(url_for("workspace.entry_page", entry_id=entry_id))


def _refused(entry_id: int, refused: Refused) -> tuple[str, int]:
    context = entry_context(_runtime(), entry_id, _lang())
    return render_template("agents/entry.html", error=refused.message(_lang()),
                           **context), refused.status


def _entry_action(entry_id: int, act: Callable[[], str | None]) -> Result:
    """Run an action on an entry; its notice on success, the entry with the reason on refusal."""
    try:
        notice = act()
    except Refused as refused:
        return _refused(entry_id, refused)
    return _to_entry(entry_id, notice)


@blueprint.post("/take-next")
@login_required
def take_next() -> Response:
    """Claim the first free entry of the list (or show the one already held)."""
    entry_id = claims.claim_next(_runtime(), current_user.id)
    if entry_id is None:
        flash(i18n.gettext("Nothing to take right now.", _lang()), "info")
        return redirect(url_for("workspace.waiting_room"))
    return _to_entry(entry_id)


@blueprint.post("/entries/<int:entry_id>/take")
@login_required
def take(entry_id: int) -> Result:
    """Claim this entry, as it was shown."""
    return _entry_action(entry_id, lambda: claims.claim(
        _runtime(), current_user.id, entry_id, _int("version")))


@blueprint.post("/entries/<int:entry_id>/release")
@login_required
def release(entry_id: int) -> Result:
    """Give the entry back to its place in the list."""
    try:
        claims.release(_runtime(), current_user.id, entry_id, _int("version"))
    except Refused as refused:
        return _refused(entry_id, refused)
    return redirect(url_for("workspace.waiting_room"))


@blueprint.post("/entries/<int:entry_id>/call")
@login_required
def call(entry_id: int) -> Result:
    """Ring the agent's phone, then the client's."""
    def act() -> str:
        started = callback.call_back(_runtime(), agent_id=current_user.id, entry_id=entry_id,
                                     version=_int("version"))
        if started:
            return i18n.gettext("Your phone will ring, then the client's.", _lang())
        return i18n.gettext("Call already requested.", _lang())

    return _entry_action(entry_id, act)


@blueprint.post("/entries/<int:entry_id>/outcome")
@login_required
def outcome(entry_id: int) -> Result:
    """Record the outcome of the callback (R10)."""
    form = request.form

    def act() -> str:
        link = outcomes.record_outcome(
            _runtime(), agent_id=current_user.id, entry_id=entry_id, version=_int("version"),
            outcome=form.get("outcome", ""), chapter=form.get("chapter"),
            scope=form.get("scope"), note=form.get("note", ""))
        kind = form.get("outcome")
        message = {"booked": N_("Booking link sent to the client: %(link)s"),
                   "documentation": N_("Link sent to the client: %(link)s")}.get(
                       kind or "", N_("Outcome recorded."))
        return i18n.gettext(message, _lang(), link=link or "")

    return _entry_action(entry_id, act)


def _requalified(entry_id: int, change: Callable[..., Any], **values: Any) -> Result:
    def act() -> str:
        change(_runtime(), agent_id=current_user.id, entry_id=entry_id,
               version=_int("version"), reason=request.form.get("reason", ""), **values)
        return i18n.gettext("Change saved.", _lang())

    return _entry_action(entry_id, act)


@blueprint.post("/entries/<int:entry_id>/tier")
@login_required
def tier(entry_id: int) -> Result:
    """Set the entry's tier by hand, with a reason."""
    return _requalified(entry_id, requalify.requalify_tier, tier=request.form.get("tier", ""))


@blueprint.post("/entries/<int:entry_id>/vague")
@login_required
def vague(entry_id: int) -> Result:
    """Mark the entry vague, or state its need, with a reason."""
    return _requalified(entry_id, requalify.requalify_vague,
                        vague=request.form.get("vague") == "yes",
                        need_text=request.form.get("need_text", ""),
                        tier=request.form.get("tier") or None)


@blueprint.post("/entries/<int:entry_id>/merge")
@login_required
def merge(entry_id: int) -> Result:
    """Absorb another entry of the same need, with a reason."""
    try:
        other = _int("other_id")
    except Refused as refused:
        return _refused(entry_id, refused)
    return _requalified(entry_id, requalify.merge, other_id=other)


@blueprint.post("/entries/<int:entry_id>/split")
@login_required
def split(entry_id: int) -> Result:
    """Move the ticked messages to a new entry, with a reason."""
    chosen = [n for n in map(integer, request.form.getlist("message_id")) if n is not None]

    def act() -> str:
        new_id = requalify.split(
            _runtime(), agent_id=current_user.id, entry_id=entry_id, version=_int("version"),
            message_ids=chosen, tier=request.form.get("tier", ""),
            need_text=request.form.get("need_text", ""), reason=request.form.get("reason", ""))
        return i18n.gettext("New entry #%(entry)s created.", _lang(), entry=new_id)

    return _entry_action(entry_id, act)
