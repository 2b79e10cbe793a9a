"""The administrators' page of failed effects (/admin/effects): each email, SMS, call or timer
that failed for good, with its error and what it concerns, retried one by one or all at once.
Administrators only (agents get 403). Also the template global that lets the entry page and the
planner show that a notice to the client failed."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request
from flask_login import current_user, login_required

from callq import db, failed_effects, i18n
from callq.runtime import Runtime
from callq.workspace.views import show_error

blueprint = Blueprint("outbox_admin", __name__, url_prefix="/admin")
blueprint.register_error_handler(403, show_error)
blueprint.register_error_handler(400, show_error)


def _runtime() -> Runtime:
    runtime: Runtime = current_app.extensions["callq"]
    return runtime


def _administrator_only() -> None:
    if not current_user.is_admin:
        abort(403, description=_text("outbox.admins_only"))


def _text(key: str, **values: object) -> str:
    return i18n.text(key, str(g.get("lang", "fr")), **values)


@blueprint.get("/effects")
@login_required
def failed() -> str:
    """Every failed effect, latest first."""
    _administrator_only()
    return render_template("admin/effects.html", lines=failed_effects.listing(_runtime()))


@blueprint.post("/effects/retry")
@login_required
def retry() -> Any:
    """Retry the ticked effects (`effect_id`, repeated) or all of them (`all=1`)."""
    _administrator_only()
    raw = request.form.getlist("effect_id")
    if request.form.get("all") == "1":
        ids = None
    elif raw and all(value.isdigit() for value in raw):
        ids = [int(value) for value in raw]
    else:
        abort(400, description=_text("outbox.pick_some"))
    done = failed_effects.retry(_runtime(), ids)
    flash(_text("outbox.retried", count=len(done)), "ok")
    return redirect("/admin/effects")


@blueprint.app_template_global("notice_failures")
def notice_failures() -> set[tuple[str, int]]:
    """The entries and appointments whose notice failed: {("entry", 7), ("appointment", 3)}."""
    if "notice_failures" not in g:
        with db.read(_runtime().sessions) as session:
            g.notice_failures = failed_effects.failed_notices(session)
    found: set[tuple[str, int]] = g.notice_failures
    return found


i18n.register({
    "fr": {
        "outbox.title": "Envois en échec",
        "outbox.intro": "Courriels, SMS, appels et minuteurs abandonnés après leurs essais, ou "
                        "refusés pour de bon. Relancez-les une fois la cause réglée.",
        "outbox.none": "Aucun envoi en échec.",
        "outbox.kind": "Type", "outbox.key": "Clé", "outbox.attempts": "Essais",
        "outbox.failed_at": "Échec", "outbox.error": "Erreur", "outbox.concerns": "Concerne",
        "outbox.retry": "Relancer", "outbox.retry_all": "Tout relancer",
        "outbox.retried": "{count} envoi(s) relancé(s).",
        "outbox.pick_some": "Cochez au moins un envoi à relancer.",
        "outbox.admins_only": "Page réservée aux administrateurs.",
        "outbox.entry": "Demande n° {id}", "outbox.appointment": "Rendez-vous n° {id}",
        "outbox.notice_failed": "Un message au client n'a pas pu être envoyé",
    },
    "en": {
        "outbox.title": "Failed sends",
        "outbox.intro": "Emails, text messages, calls and timers given up after their attempts, "
                        "or refused for good. Retry them once the cause is fixed.",
        "outbox.none": "No failed send.",
        "outbox.kind": "Kind", "outbox.key": "Key", "outbox.attempts": "Attempts",
        "outbox.failed_at": "Failed", "outbox.error": "Error", "outbox.concerns": "Concerns",
        "outbox.retry": "Retry", "outbox.retry_all": "Retry all",
        "outbox.retried": "{count} send(s) retried.",
        "outbox.pick_some": "Tick at least one send to retry.",
        "outbox.admins_only": "For administrators only.",
        "outbox.entry": "Request #{id}", "outbox.appointment": "Appointment #{id}",
        "outbox.notice_failed": "A message to the client could not be sent",
    },
})
