"""Agents' planner pages (R13-R16): their appointments, start the call now, extend or book a
second appointment, cancel for a client, book for a waiting entry, send a booking link."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.exceptions import Forbidden, NotFound
from werkzeug.wrappers import Response

from callq import db, formats, i18n
from callq.models import Agent, Appointment, Client, WaitingEntry
from callq.runtime import Runtime
from scheduling import agenda, extension, letters, links, page_texts
from scheduling.booking import SlotTaken, Unchangeable, book_slot, cancel_appointment
from scheduling.booking import send_booking_link as send_link
from scheduling.guarantee import ring
from scheduling.notices import shown_phone
from scheduling.slots import free_times
from scheduling.views import input_error

blueprint = Blueprint("planner", __name__, url_prefix="/planner")
SHOWN = ("booked", "in_call", "done", "missed")


def _runtime() -> Runtime:
    return current_app.extensions["callq"]  # type: ignore[no-any-return]


def _say(message: str, category: str = "ok", **values: object) -> None:
    flash(i18n.gettext(message, g.lang, **values), category)


def _when(runtime: Runtime, instant: datetime) -> str:
    return letters.when(instant, agenda.local_zone(runtime), g.lang)


@blueprint.get("/")
@login_required
def appointments() -> str:
    """The agent's appointments from today on (everyone's with ?all=1)."""
    runtime = _runtime()
    zone = agenda.local_zone(runtime)
    today = runtime.now().astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    everyone = request.args.get("all") == "1"
    with db.read(runtime.sessions) as session:
        query = select(Appointment).where(Appointment.ends_at >= today,
                                          Appointment.status.in_(SHOWN))
        if not everyone:
            query = query.where(Appointment.agent_id == current_user.id)
        rows = list(session.scalars(query.order_by(Appointment.starts_at, Appointment.id)))
        names: dict[int, str] = {row.id: row.name for row in session.execute(
            select(Agent.id, Agent.name))}
        feed = session.scalar(select(Agent.feed_token).where(Agent.id == current_user.id))
    items = [{"appt": a, "when": _when(runtime, a.starts_at), "agent": names.get(a.agent_id, ""),
              "end": formats.time(a.ends_at, zone, g.lang),
              "phone": shown_phone(runtime, a.client_phone, g.lang),
              "mine": a.agent_id == current_user.id} for a in rows]
    return render_template("planner/list.html", items=items, everyone=everyone,
                           feed_url=f"{runtime.settings.public_base_url.rstrip('/')}"
                                    f"/feed/{feed}.ics")


def _own(session: Any, appointment_id: int) -> Appointment:
    appt = session.get(Appointment, appointment_id, with_for_update=True)
    if appt is None:
        raise NotFound()
    if appt.agent_id != current_user.id and not current_user.is_admin:
        raise Forbidden(description=i18n.gettext("This appointment belongs to another "
                                                 "agent.", g.lang))
    return appt


def _chosen_language() -> str:
    chosen = request.form.get("lang", "")
    return chosen if chosen in i18n.languages() else str(g.lang)


def _back() -> Response:
    return redirect(url_for("planner.appointments"), code=303)


@blueprint.post("/<int:appointment_id>/call")
@login_required
def call_now(appointment_id: int) -> Response:
    """Ring the agent, then the client, now (R14: the agent starts the call)."""
    runtime = _runtime()
    with db.write(runtime.sessions) as session:
        appt = _own(session, appointment_id)
        if appt.status not in agenda.ACTIVE:
            _say("This appointment is no longer active.", "error")
            return _back()
        # One ring per agent and second: a double click does not ring twice.
        ring(session, runtime, appt,
             key=f"appt-{appt.id}-start-{runtime.now():%Y%m%dT%H%M%S}-by-{current_user.id}")
    _say("Your phone will ring, then the client's.")
    return _back()


@blueprint.post("/<int:appointment_id>/extend")
@login_required
def extend(appointment_id: int) -> Any:
    """Extend by one slot (R16); when the next slot is taken, offer the second appointment."""
    runtime = _runtime()
    try:
        with db.write(runtime.sessions) as session:
            appt = extension.extend(session, runtime, appointment_id, agent_id=current_user.id)
            end = formats.time(appt.ends_at, agenda.local_zone(runtime), g.lang)
    except extension.CannotExtend as refused:
        _say(page_texts.EXTEND_REFUSALS[refused.reason], "error")
        return _back()
    _say("Appointment extended until %(end)s.", end=end)
    return _back()


@blueprint.post("/<int:appointment_id>/follow-up")
@login_required
def follow_up(appointment_id: int) -> Response:
    """One click: a second appointment for the same client and need (R16)."""
    runtime = _runtime()
    try:
        with db.write(runtime.sessions) as session:
            _own(session, appointment_id)
            second = extension.book_follow_up(session, runtime, appointment_id,
                                              agent_id=current_user.id)
            when = _when(runtime, second.starts_at)
    except (SlotTaken, extension.CannotExtend):
        _say("No free slot within the booking horizon.", "error")
        return _back()
    _say("Second appointment booked on %(when)s; the client gets the invitation.", when=when)
    return _back()


@blueprint.post("/<int:appointment_id>/finish")
@login_required
def finish(appointment_id: int) -> Response:
    """The call is over: the need is solved, or goes back to the waiting room."""
    runtime = _runtime()
    try:
        with db.write(runtime.sessions) as session:
            _own(session, appointment_id)
            extension.finish(session, runtime, appointment_id, agent_id=current_user.id,
                             solved=request.form.get("solved") == "1")
    except extension.CannotExtend as refused:
        _say(page_texts.EXTEND_REFUSALS[refused.reason], "error")
        return _back()
    _say("Appointment finished.")
    return _back()


@blueprint.post("/<int:appointment_id>/cancel")
@login_required
def cancel(appointment_id: int) -> Response:
    """Cancel on behalf of the client, who gets METHOD:CANCEL and a link to book again."""
    runtime = _runtime()
    try:
        with db.write(runtime.sessions) as session:
            _own(session, appointment_id)
            cancel_appointment(session, runtime, appointment_id, actor="agent",
                               by_agent=current_user.id)
    except Unchangeable:
        _say("This appointment is no longer active.", "error")
        return _back()
    _say("Appointment cancelled; the client is told.")
    return _back()


def _entry_contact(session: Any, entry_id: int | None) -> dict[str, Any]:
    entry = session.get(WaitingEntry, entry_id) if entry_id else None
    if entry is None:
        return {}
    client = session.get(Client, entry.client_id) if entry.client_id else None
    return {"entry_id": entry.id, "phone": entry.caller_number or "", "lang": entry.language,
            "email": client.email if client else "", "name": client.name if client else "",
            "client_id": client.id if client else None, "need": entry.need_text or ""}


@blueprint.get("/book")
@login_required
def book_form() -> str:
    """Free times and a form to book for a client (from a waiting entry when ?entry= is given)."""
    runtime = _runtime()
    with db.read(runtime.sessions) as session:
        contact = _entry_contact(session, request.args.get("entry", type=int))
        times = free_times(agenda.open_slots(session, runtime))
    return _book_page(runtime, times, contact)


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
    start = links.parse_start(form.get("start"))
    entry_id = form.get("entry_id", type=int)
    try:
        if start is None:
            raise ValueError("start")
        with db.write(runtime.sessions) as session:
            contact = _entry_contact(session, entry_id)
            appt = book_slot(
                session, runtime, start=start, client_name=form.get("name", ""),
                client_email=form.get("email"), client_phone=form.get("phone"),
                client_id=contact.get("client_id"), entry_id=contact.get("entry_id"),
                lang=_chosen_language(),
                actor="agent", by_agent=current_user.id)
            when = _when(runtime, appt.starts_at)
    except (SlotTaken, ValueError) as refused:
        with db.read(runtime.sessions) as session:
            contact = {**_entry_contact(session, entry_id), **{
                k: form.get(k, "") for k in ("name", "email", "phone")}}
            times = (refused.next_times if isinstance(refused, SlotTaken)
                     else free_times(agenda.open_slots(session, runtime)))
        error = "taken" if isinstance(refused, SlotTaken) else input_error(refused)
        return _book_page(runtime, times, contact, error), 409 if error == "taken" else 400
    _say("Appointment booked on %(when)s; the client gets the invitation.", when=when)
    return _back()


@blueprint.post("/link")
@login_required
def send_booking_link() -> Response:
    """Send a client a booking link by email and/or SMS (R13)."""
    runtime = _runtime()
    form = request.form
    email, phone = form.get("email", "").strip() or None, form.get("phone", "").strip() or None
    lang = _chosen_language()
    try:
        with db.write(runtime.sessions) as session:
            contact = _entry_contact(session, form.get("entry_id", type=int))
            send_link(session, runtime, entry_id=contact.get("entry_id"),
                      client_id=contact.get("client_id"), email=email, phone=phone, lang=lang,
                      name=form.get("name", "").strip() or None, by_agent=current_user.id)
    except ValueError:
        _say("Give a valid email or phone number.", "error")
        return _back()
    _say("Booking link sent.")
    return _back()

