"""Agents' planner pages (R13-R16): their appointments, start the call now, extend or book a
second appointment, cancel for a client, book for a waiting entry, send a booking link.

The views only translate: form in, a use case of scheduling.desk, a flash and a redirect out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import Forbidden, NotFound
from werkzeug.wrappers import Response

from callq import formats, i18n
from callq.admin import absences, booked
from callq.admin.web import form_text, local_instant, reason
from callq.runtime import Runtime
from callq.web_input import integer
from scheduling import agenda, desk, letters, links, page_texts
from scheduling.booking import SlotTaken
from scheduling.client_booking import free_times_now
from scheduling.notices import shown_phone
from scheduling.views import input_error

blueprint = Blueprint("planner", __name__, url_prefix="/planner")


def _runtime() -> Runtime:
    return current_app.extensions["callq"]  # type: ignore[no-any-return]


def _actor() -> desk.Actor:
    return desk.Actor(current_user.id, bool(current_user.is_admin))


def _say(message: str, category: str = "ok", **values: object) -> None:
    flash(i18n.gettext(message, g.lang, **values), category)


def _when(runtime: Runtime, instant: datetime) -> str:
    return letters.when(instant, agenda.local_zone(runtime), g.lang)


def _back() -> Response:
    return redirect(url_for("planner.appointments"), code=303)


def _refused(refused: desk.Refused) -> Response:
    """A refusal the page explains; someone else's appointment or none at all is an error."""
    if refused.reason == "unknown":
        raise NotFound()
    if refused.reason == "not_yours":
        raise Forbidden(description=i18n.gettext("This appointment belongs to another "
                                                 "agent.", g.lang))
    refusals = page_texts.EXTEND_REFUSALS
    _say(refusals.get(refused.reason, refusals["closed"]), "error")
    return _back()


def _chosen_language() -> str:
    chosen = request.form.get("lang", "")
    return chosen if chosen in i18n.languages() else str(g.lang)


@blueprint.get("/")
@login_required
def appointments() -> str:
    """The agent's appointments from today on (everyone's with ?all=1)."""
    runtime = _runtime()
    zone = agenda.local_zone(runtime)
    everyone = request.args.get("all") == "1"
    seen = desk.planner(runtime, _actor(), everyone=everyone, since=desk.today_start(runtime))
    items = [{"appt": item.appointment, "when": _when(runtime, item.appointment.starts_at),
              "agent": item.agent_name, "mine": item.mine, "notice_failed": item.notice_failed,
              "end": formats.time(item.appointment.ends_at, zone, g.lang),
              "phone": shown_phone(runtime, item.appointment.client_phone, g.lang)}
             for item in seen.items]
    return render_template("planner/list.html", items=items, everyone=everyone,
                           feed_url=f"{runtime.settings.public_base_url.rstrip('/')}"
                                    f"/feed/{seen.feed_token}.ics")


@blueprint.post("/<int:appointment_id>/call")
@login_required
def call_now(appointment_id: int) -> Response:
    """Ring the agent, then the client, now (R14: the agent starts the call)."""
    try:
        desk.call_now(_runtime(), _actor(), appointment_id)
    except desk.Refused as refused:
        return _refused(refused)
    _say("Your phone will ring, then the client's.")
    return _back()


@blueprint.post("/<int:appointment_id>/extend")
@login_required
def extend(appointment_id: int) -> Any:
    """Extend by one slot (R16); when the next slot is taken, offer the second appointment."""
    runtime = _runtime()
    try:
        appt = desk.extend(runtime, _actor(), appointment_id)
    except desk.Refused as refused:
        return _refused(refused)
    _say("Appointment extended until %(end)s.",
         end=formats.time(appt.ends_at, agenda.local_zone(runtime), g.lang))
    return _back()


@blueprint.post("/<int:appointment_id>/follow-up")
@login_required
def follow_up(appointment_id: int) -> Response:
    """One click: a second appointment for the same client and need (R16)."""
    runtime = _runtime()
    try:
        second = desk.follow_up(runtime, _actor(), appointment_id)
    except desk.Refused as refused:
        if refused.reason in ("unknown", "not_yours"):
            return _refused(refused)
        _say("No free slot within the booking horizon.", "error")
        return _back()
    except SlotTaken:
        _say("No free slot within the booking horizon.", "error")
        return _back()
    _say("Second appointment booked on %(when)s; the client gets the "
         "invitation.", when=_when(runtime, second.starts_at))
    return _back()


@blueprint.post("/<int:appointment_id>/finish")
@login_required
def finish(appointment_id: int) -> Response:
    """The call is over: the need is solved, or goes back to the waiting room."""
    try:
        desk.finish(_runtime(), _actor(), appointment_id,
                    solved=request.form.get("solved") == "1")
    except desk.Refused as refused:
        return _refused(refused)
    _say("Appointment finished.")
    return _back()


@blueprint.post("/<int:appointment_id>/cancel")
@login_required
def cancel(appointment_id: int) -> Response:
    """Cancel on behalf of the client, who gets METHOD:CANCEL and a link to book again."""
    try:
        desk.cancel_for_client(_runtime(), _actor(), appointment_id)
    except desk.Refused as refused:
        return _refused(refused)
    _say("Appointment cancelled; the client is told.")
    return _back()


@blueprint.get("/book")
@login_required
def book_form() -> str:
    """Free times and a form to book for a client (from a waiting entry when ?entry= is given)."""
    runtime = _runtime()
    contact = desk.entry_contact(runtime, integer(request.args.get("entry")))
    return _book_page(runtime, free_times_now(runtime), contact)


def _book_page(runtime: Runtime, times: list[tuple[datetime, datetime]],
               contact: dict[str, Any], error: str | None = None) -> str:
    days = letters.day_groups(times, agenda.local_zone(runtime), g.lang)
    return render_template("planner/book.html", days=days, contact=contact, chosen=None,
                           error=error)


@blueprint.post("/book")
@login_required
def book() -> Any:
    """Book the chosen time for the client (R13: an agent books from the waiting room)."""
    runtime = _runtime()
    form = request.form
    entry_id = integer(form.get("entry_id"))
    try:
        appt = desk.book_for_client(
            runtime, _actor(), start=links.parse_start(form.get("start")), entry_id=entry_id,
            name=form.get("name", ""), email=form.get("email"), phone=form.get("phone"),
            lang=_chosen_language(), with_me=form.get("with_me") == "1")
    except (SlotTaken, ValueError) as refused:
        contact = {**desk.entry_contact(runtime, entry_id),
                   **{k: form.get(k, "") for k in ("name", "email", "phone")}}
        if isinstance(refused, SlotTaken):
            return _book_page(runtime, refused.next_times, contact, "taken"), 409
        return _book_page(runtime, free_times_now(runtime), contact, input_error(refused)), 400
    _say("Appointment booked on %(when)s; the client gets the "
         "invitation.", when=_when(runtime, appt.starts_at))
    return _back()


@blueprint.post("/link")
@login_required
def send_booking_link() -> Response:
    """Send a client a booking link by email and/or SMS (R13)."""
    form = request.form
    try:
        desk.send_link(_runtime(), _actor(), entry_id=integer(form.get("entry_id")),
                       email=form.get("email", "").strip() or None,
                       phone=form.get("phone", "").strip() or None,
                       name=form.get("name", "").strip() or None, lang=_chosen_language())
    except ValueError:
        _say("Give a valid email or phone number.", "error")
        return _back()
    _say("Booking link sent.")
    return _back()


@blueprint.get("/absences")
@login_required
def absences_page() -> tuple[str, int]:
    """The agent's own absences to come, and a form to enter one (R12, R14)."""
    return _absences_page()


def _absences_page(error: str | None = None, touched: list[booked.Touched] | None = None,
                   status: int = 200) -> tuple[str, int]:
    runtime = _runtime()
    rows = absences.list_absences(runtime, agent_id=current_user.id, since=runtime.now())
    return render_template("planner/absences.html", rows=rows, error=error, touched=touched,
                           remove_endpoint="planner.remove_absence",
                           when=lambda instant: _when(runtime, instant)), status


@blueprint.post("/absences")
@login_required
def add_absence() -> tuple[str, int]:
    """Enter one's own absence; the appointments it falls on are handed over at once (R14)."""
    runtime = _runtime()
    zone = agenda.local_zone(runtime)
    try:
        _view, touched = absences.add_absence(
            runtime, agent_id=current_user.id, starts_at=local_instant("starts_at", zone),
            ends_at=local_instant("ends_at", zone), reason=form_text("reason", 200),
            actor=current_user.email)
    except absences.Refused as refused:
        return _absences_page(reason(refused), status=400)
    _say("Absence entered.")
    return _absences_page(touched=touched)


@blueprint.post("/absences/<int:absence_id>/remove")
@login_required
def remove_absence(absence_id: int) -> Response:
    """Remove one's own absence."""
    try:
        absences.remove_absence(_runtime(), absence_id, actor=current_user.email,
                                owner=current_user.id)
    except absences.Refused:
        raise NotFound() from None
    _say("Absence removed.")
    return redirect(url_for("planner.absences_page"), code=303)
