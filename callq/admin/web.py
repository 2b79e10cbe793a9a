"""What every administration page shares (edge): the guard (administrators only; agents get
403), the navigation, and small translations of form input."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from flask import Blueprint, current_app, flash, g, render_template, request
from flask_login import current_user
from werkzeug.exceptions import BadRequest, Forbidden

from callq import i18n
from callq.i18n import N_, Problem

if TYPE_CHECKING:
    from callq.runtime import Runtime

# The administration's navigation: (endpoint, label). Another blueprint's page for
# administrators is one more line here.
PAGES: list[tuple[str, str]] = [
    ("admin.clients_page", N_("Clients")),
    ("admin_setup.agents_page", N_("Agents")),
    ("admin_setup.absences_page", N_("Absences")),
    ("admin_setup.closures_page", N_("Closures")),
    ("admin_setup.hours_page", N_("Hours and holidays")),
    ("admin_texts.texts_page", N_("Texts")),
    ("admin_texts.series_page", N_("Product series")),
    ("admin.audit_page", N_("History")),
]


def guard(blueprint: Blueprint) -> None:
    """Only administrators reach the blueprint's pages: others get 403, strangers log in."""

    @blueprint.before_request
    def _administrators_only() -> Any:
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
        if not current_user.is_admin:
            raise Forbidden(description=say(N_("This page is for administrators.")))
        return None

    @blueprint.context_processor
    def _navigation() -> dict[str, Any]:
        return {"admin_pages": PAGES}


def runtime() -> Runtime:
    """This process's runtime."""
    return current_app.extensions["callq"]  # type: ignore[no-any-return]


def actor() -> str:
    """Who the audit log names: the administrator's email."""
    return str(current_user.email)


def say(message: str, **values: object) -> str:
    """A message in the page's language."""
    return i18n.gettext(message, g.lang, **values)


def reason(exc: Exception) -> str:
    """Why an input was refused, in the page's language when the refusal is a message."""
    return exc.say(g.lang) if isinstance(exc, Problem) else str(exc)


def notice(message: str, category: str = "ok", **values: object) -> None:
    """A notice shown on the next page."""
    flash(say(message, **values), category)


def page(template: str, status: int = 200, **values: Any) -> tuple[str, int]:
    """An administration page with its status (400 with the reason for refused input)."""
    return render_template(template, **values), status


def form_text(name: str, limit: int = 4000) -> str:
    """A form field's text; 400 when it is absurdly long."""
    value = request.form.get(name, "")
    if len(value) > limit:
        raise BadRequest(description=say(N_("%(field)s: longer than %(count)s characters"),
                                         field=name, count=limit))
    return value


def form_int(name: str) -> int:
    """A form field holding an id; 400 when it is not one."""
    raw = request.form.get(name, "").strip().lstrip("#")
    if not raw.isdigit() or len(raw) > 12:
        raise BadRequest(description=say(N_("%(field)s: not a number: %(value)s"), field=name,
                                         value=repr(raw[:20])))
    return int(raw)


def local_instant(name: str, zone: Any) -> datetime:
    """A `datetime-local` field, read in the hotline's zone, as UTC; 400 when unreadable."""
    raw = request.form.get(name, "").strip()
    try:
        instant = datetime.fromisoformat(raw)
    except ValueError:
        raise BadRequest(description=say(N_("%(field)s: not a date and time: %(value)s"),
                                         field=name, value=repr(raw[:30]))) from None
    if instant.utcoffset() is None:
        instant = instant.replace(tzinfo=zone)
    try:
        return instant.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 at the edge of a zone
        raise BadRequest(description=say(N_("%(field)s: out of range: %(value)s"), field=name,
                                         value=repr(raw[:30]))) from None


def form_day(name: str) -> date:
    """A `date` field; 400 when unreadable."""
    raw = request.form.get(name, "").strip()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(description=say(N_("%(field)s: not a date: %(value)s"), field=name,
                                         value=repr(raw[:30]))) from None
