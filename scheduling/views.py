"""Client pages (R13): book from a signed link, then see, move or cancel the appointment.

A bad link (forged, altered, expired, already used, from an older email) gets a clear page
with a 4xx status and changes nothing; a taken slot gets 409 and the next free times.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from callq import db, web_i18n
from callq.models import Appointment, UsedToken
from callq.runtime import Runtime
from scheduling import agenda, letters, links, page_texts
from scheduling.booking import SlotTaken, Unchangeable, book_slot, cancel_appointment, changeable
from scheduling.booking import move_appointment as move_service
from scheduling.slots import free_times

blueprint = Blueprint("booking", __name__, url_prefix="/book")
STATUS = {"invalid": 400, "expired": 410, "used": 410, "stale": 410, "closed": 410,
          "unknown": 404}


def _runtime() -> Runtime:
    return current_app.extensions["callq"]  # type: ignore[no-any-return]


def _speak(lang: str) -> None:
    # The link's language, unless the client just chose another one.
    web_i18n.speak(lang)


@blueprint.app_context_processor
def _labels() -> dict[str, Any]:
    return page_texts.LABELS


def problem(reason: str) -> tuple[str, int]:
    """The clear page of a link that cannot be used."""
    return render_template("booking/problem.html", reason=reason), STATUS.get(reason, 400)


def _day_groups(runtime: Runtime, times: list[tuple[datetime, datetime]]) -> list[Any]:
    return letters.day_groups(times, agenda.local_zone(runtime), g.lang)


def _all_times(session: Session, runtime: Runtime,
               exclude: int | None = None) -> list[tuple[datetime, datetime]]:
    return free_times(agenda.open_slots(session, runtime, exclude=exclude))


def _booking_grant(runtime: Runtime, token: str) -> links.BookingGrant:
    """What the booking link allows (LinkError if nothing); the page speaks its language."""
    grant = links.read_booking(runtime.settings.secret_key, token, runtime.now(),
                               links.max_age(runtime))
    _speak(grant.lang)
    return grant


@blueprint.get("/<token>")
def book(token: str) -> Any:
    """The free times by day, and the form to book one."""
    runtime = _runtime()
    try:
        grant = _booking_grant(runtime, token)
    except links.LinkError as exc:
        return problem(exc.reason)
    with db.read(runtime.sessions) as session:
        if _spent(session, grant.token_id):
            return problem("used")
        times = _all_times(session, runtime)
    return _book_page(runtime, grant, times, chosen=request.args.get("start"), values={})


def _book_page(runtime: Runtime, grant: links.BookingGrant, times: list[Any], *, chosen: Any,
               values: dict[str, str], error: str | None = None, status: int = 200) -> Any:
    form = {"name": grant.name or "", "email": grant.email or "", "phone": grant.phone or "",
            **values}
    page = render_template("booking/book.html", days=_day_groups(runtime, times), chosen=chosen,
                           form=form, error=error)
    return page, status


@blueprint.post("/<token>")
def book_post(token: str) -> Any:
    """Book the chosen time; the link is spent only when the booking is made."""
    runtime = _runtime()
    try:
        grant = _booking_grant(runtime, token)
    except links.LinkError as exc:
        return problem(exc.reason)
    values = {k: request.form.get(k, "").strip() for k in ("name", "email", "phone", "start")}
    start = links.parse_start(values["start"])
    try:
        if start is None:
            raise ValueError("start")
        with db.write(runtime.sessions) as session:
            _spend(session, grant.token_id)
            appt = book_slot(session, runtime, start=start, client_name=values["name"],
                             client_email=values["email"] or grant.email,
                             client_phone=values["phone"] or grant.phone,
                             client_id=grant.client_id, entry_id=grant.entry_id, lang=g.lang)
    except links.LinkError as exc:
        return problem(exc.reason)
    except SlotTaken as taken:
        return _book_page(runtime, grant, taken.next_times, chosen=None, values=values,
                          error="taken", status=409)
    except ValueError as bad:
        with db.read(runtime.sessions) as session:
            times = _all_times(session, runtime)
        return _book_page(runtime, grant, times, chosen=values["start"], values=values,
                          error=input_error(bad), status=400)
    return redirect(_manage_path(runtime, appt) + "?booked=1", code=303)


def input_error(bad: ValueError) -> str:
    """The page's name for what was wrong with the form."""
    return str(bad) if str(bad) in ("start", "email", "phone") else "input"


def _spent(session: Session, token_id: str) -> bool:
    return session.scalar(select(UsedToken.id).where(UsedToken.token_id == token_id)) is not None


def _spend(session: Session, token_id: str) -> None:
    """Record the link as used; a concurrent use of the same link fails here."""
    try:
        with session.begin_nested():
            session.add(UsedToken(token_id=token_id, used_at=_runtime().now()))
            session.flush()
    except IntegrityError:
        raise links.LinkError("used") from None


def _manage_path(runtime: Runtime, appt: Appointment) -> str:
    token = links.manage_token(runtime, appointment_id=appt.id, sequence=appt.sequence,
                               lang=appt.language)
    return f"/book/appointment/{token}"


def _managed(session: Session, runtime: Runtime, token: str) -> Appointment:
    """The appointment a manage link names, if the link is still current; else LinkError."""
    grant = links.read_manage(runtime.settings.secret_key, token, runtime.now(),
                              links.max_age(runtime))
    _speak(grant.lang)
    try:
        return changeable(session, runtime, grant.appointment_id, sequence=grant.sequence)
    except Unchangeable as exc:
        raise links.LinkError(str(exc)) from None


@blueprint.get("/appointment/<token>")
@blueprint.get("/appointment/<token>/<any(move, cancel):focus>")
def manage(token: str, focus: str = "") -> Any:
    """The appointment, the times it can move to, and the cancel form."""
    runtime = _runtime()
    try:
        with db.read(runtime.sessions) as session:
            appt = _managed(session, runtime, token)
            times = _all_times(session, runtime, exclude=appt.id)
    except links.LinkError as exc:
        return problem(exc.reason)
    return _manage_page(runtime, token, appt, times, focus=focus)


def _manage_page(runtime: Runtime, token: str, appt: Appointment, times: list[Any], *,
                 focus: str, error: str | None = None, status: int = 200) -> Any:
    zone = agenda.local_zone(runtime)
    page = render_template(
        "booking/manage.html", appt=appt, when=letters.when(appt.starts_at, zone, g.lang),
        days=_day_groups(runtime, times), focus=focus, error=error, chosen=None,
        base=f"/book/appointment/{token}", booked=request.args.get("booked") == "1")
    return page, status


@blueprint.post("/appointment/<token>/move")
def move(token: str) -> Any:
    """Move to the chosen time; the new invitation carries a higher SEQUENCE."""
    runtime = _runtime()
    start = links.parse_start(request.form.get("start"))
    try:
        with db.write(runtime.sessions) as session:
            appt = _managed(session, runtime, token)
            if start is None:
                times = _all_times(session, runtime, exclude=appt.id)
                return _manage_page(runtime, token, appt, times, focus="move", error="start",
                                    status=400)
            appt = move_service(session, runtime, appt.id, start=start, sequence=appt.sequence)
    except links.LinkError as exc:
        return problem(exc.reason)
    except SlotTaken as taken:
        with db.read(runtime.sessions) as session:
            appt = _managed(session, runtime, token)
        return _manage_page(runtime, token, appt, taken.next_times, focus="move",
                            error="taken", status=409)
    return redirect(_manage_path(runtime, appt), code=303)


@blueprint.post("/appointment/<token>/cancel")
def cancel(token: str) -> Any:
    """Cancel; the client gets METHOD:CANCEL and a link to book again."""
    runtime = _runtime()
    try:
        with db.write(runtime.sessions) as session:
            appt = _managed(session, runtime, token)
            appt = cancel_appointment(session, runtime, appt.id, sequence=appt.sequence,
                                      solved=request.form.get("solved") == "1")
    except links.LinkError as exc:
        return problem(exc.reason)
    zone = agenda.local_zone(runtime)
    return render_template("booking/cancelled.html",
                           when=letters.when(appt.starts_at, zone, g.lang))

