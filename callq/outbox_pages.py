"""The administrators' page of failed effects (/admin/effects): each email, SMS, call or timer
that failed for good, with its error and what it concerns, retried one by one or all at once.
Administrators only (agents get 403)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request
from flask_login import current_user, login_required

from callq import failed_effects
from callq.i18n import gettext, ngettext
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
        abort(403, description=gettext("For administrators only.", _lang()))


def _lang() -> str:
    return str(g.get("lang", "fr"))


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
        abort(400, description=gettext("Tick at least one send to retry.", _lang()))
    done = failed_effects.retry(_runtime(), ids)
    flash(ngettext("%(num)s send retried.", "%(num)s sends retried.", len(done), _lang()), "ok")
    return redirect("/admin/effects")
