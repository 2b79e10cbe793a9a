"""The administration's pages (edge): its front page, clients (search, create, edit, merge,
CSV import and export) and the history of changes. Views only translate; callq.admin's use
cases do the work."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, redirect, request, url_for
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.wrappers import Response as Redirect

from callq import audit
from callq.admin import client_import, clients
from callq.admin.client_csv import CsvRefused
from callq.admin.web import (
    actor,
    form_int,
    form_text,
    guard,
    notice,
    page,
    reason,
    runtime,
    say,
)
from callq.i18n import N_
from callq.waiting.labels import version_label

blueprint = Blueprint("admin", __name__, url_prefix="/admin")
guard(blueprint)
PAGE = 50
FIELDS = ("name", "email", "phones", "language", "product_version")
MAX_CSV = 8 * 1024 * 1024


@blueprint.get("/")
def home() -> Redirect:
    """The administration starts with the clients."""
    return redirect(url_for("admin.clients_page"))


@blueprint.get("/clients")
def clients_page() -> tuple[str, int]:
    """Clients, searched by name, email or number."""
    search = request.args.get("q", "")[:200]
    offset = request.args.get("offset", "0")
    start = int(offset) if offset.isdigit() and len(offset) < 9 else 0
    rows, total = clients.search_clients(runtime(), search, limit=PAGE, offset=start)
    return page("admin/clients.html", rows=rows, total=total, search=search, offset=start,
                step=PAGE, version_label=version_label)


@blueprint.get("/clients/new")
def new_client() -> tuple[str, int]:
    """The form of a new client."""
    return _client_form(None, {"language": runtime().settings.language})


@blueprint.post("/clients/new")
def create_client() -> Any:
    """Create a client; a bad field or a number of another client answers 400 with why."""
    form = {name: form_text(name) for name in FIELDS}
    try:
        made = clients.create_client(runtime(), clients.fields_from(runtime(), form),
                                     actor=actor())
    except ValueError as exc:
        return _client_form(None, form, reason(exc))
    notice(N_("Client %(name)s created."), name=made.name)
    return redirect(url_for("admin.edit_client", client_id=made.id), code=303)


@blueprint.get("/clients/<int:client_id>")
def edit_client(client_id: int) -> tuple[str, int]:
    """One client's form."""
    view = _client(client_id)
    return _client_form(view, {"name": view.name, "email": view.email or "",
                               "phones": "\n".join(view.phones), "language": view.language,
                               "product_version": view.product_version or ""})


@blueprint.post("/clients/<int:client_id>")
def save_client(client_id: int) -> Any:
    """Save a client's fields (its numbers become the ones listed)."""
    view = _client(client_id)
    form = {name: form_text(name) for name in FIELDS}
    try:
        clients.edit_client(runtime(), client_id, clients.fields_from(runtime(), form),
                            actor=actor())
    except ValueError as exc:
        return _client_form(view, form, reason(exc))
    notice(N_("Client saved."))
    return redirect(url_for("admin.edit_client", client_id=client_id), code=303)


@blueprint.post("/clients/<int:client_id>/merge")
def merge_client(client_id: int) -> Any:
    """Fold another client (a duplicate) into this one."""
    view = _client(client_id)
    duplicate = form_int("duplicate")
    try:
        clients.merge_clients(runtime(), client_id, duplicate, actor=actor())
    except clients.Unknown:
        return _client_form(view, _form_of(view), say(N_("There is no client #%(id)s."),
                                                      id=duplicate))
    except ValueError as exc:
        return _client_form(view, _form_of(view), reason(exc))
    notice(N_("Client #%(id)s merged into this one."), id=duplicate)
    return redirect(url_for("admin.edit_client", client_id=client_id), code=303)


@blueprint.get("/clients/import")
def import_form() -> tuple[str, int]:
    """The CSV import form."""
    return page("admin/import.html", report=None, problems=[])


@blueprint.post("/clients/import")
def import_file() -> tuple[str, int]:
    """Import (or with "dry run" only report) a CSV file; every bad line is named, and then
    nothing is imported."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise BadRequest(description=say(N_("file: choose a CSV file")))
    data = upload.read(MAX_CSV + 1)
    if len(data) > MAX_CSV:
        raise BadRequest(description=say(N_("file: larger than 8 MiB")))
    dry = request.form.get("dry_run") == "1"
    try:
        report = client_import.import_clients(
            runtime(), client_import.decode_file(data), actor=actor(), dry_run=dry,
            source=upload.filename[:200])
    except CsvRefused as refused:
        return page("admin/import.html", 400, report=None,
                    problems=[reason(p) for p in refused.problems])
    return page("admin/import.html", report=report, problems=[])


@blueprint.get("/clients/export")
def export_file() -> Response:
    """Every client as CSV."""
    return Response(client_import.export_clients(runtime()), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=clients.csv"})


@blueprint.get("/history")
def audit_page() -> tuple[str, int]:
    """Every administration change: who, when, what, before and after."""
    search = request.args.get("q", "")[:200]
    return page("admin/audit.html", lines=audit_lines(search), search=search)


def audit_lines(search: str) -> list[audit.AuditLine]:
    """The latest changes matching `search`."""
    return audit.recent(runtime(), search=search)


def _client(client_id: int) -> clients.ClientView:
    try:
        return clients.get_client(runtime(), client_id)
    except clients.Unknown:
        raise NotFound() from None


def _form_of(view: clients.ClientView) -> dict[str, str]:
    return {"name": view.name, "email": view.email or "", "phones": "\n".join(view.phones),
            "language": view.language, "product_version": view.product_version or ""}


def _client_form(view: clients.ClientView | None, form: dict[str, str],
                 error: str | None = None) -> tuple[str, int]:
    return page("admin/client.html", 400 if error else 200, client=view, form=form,
                error=error, version_label=version_label)

