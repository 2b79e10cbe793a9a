"""Client pages (R13): book from a signed link, then see, move or cancel the appointment.

The views only translate: they read the form, call a use case of scheduling.client_booking and
render its result. A bad link (forged, altered, expired, already used, from an older email)
gets a clear page with a 4xx status and changes nothing; a taken slot gets 409 and the next
free times.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request

from callq import web_i18n
from callq.runtime import Runtime
from scheduling import agenda, client_booking, letters, links, page_texts
from scheduling.booking import SlotTaken

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


def input_error(bad: ValueError) -> str:
    """The page's name for what was wrong with the form."""
    return str(bad) if str(bad) in ("start", "email", "phone") else "input"


@blueprint.get("/<token>")
def book(token: str) -> Any:
    """The free times by day, and the form to book one."""
    runtime = _runtime()
    try:
        grant = client_booking.read_grant(runtime, token)
        _speak(grant.lang)
        times = client_booking.offer(runtime, grant)
    except links.LinkError as exc:
        return problem(exc.reason)
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
    values = {k: request.form.get(k, "").strip() for k in ("name", "email", "phone", "start")}
    contact = client_booking.Contact(values["name"], values["email"], values["phone"])
    try:
        grant = client_booking.read_grant(runtime, token)
        _speak(grant.lang)
        path = client_booking.book_with_link(runtime, grant, links.parse_start(values["start"]),
                                             contact, g.lang)
    except links.LinkError as exc:
        return problem(exc.reason)
    except SlotTaken as taken:
        return _book_page(runtime, grant, taken.next_times, chosen=None, values=values,
                          error="taken", status=409)
    except ValueError as bad:
        return _book_page(runtime, grant, client_booking.free_times_now(runtime),
                          chosen=values["start"], values=values, error=input_error(bad),
                          status=400)
    return redirect(path + "?booked=1", code=303)


def _managed(runtime: Runtime, token: str) -> client_booking.Managed:
    grant = client_booking.manage_grant(runtime, token)
    _speak(grant.lang)
    return client_booking.managed(runtime, grant)


@blueprint.get("/appointment/<token>")
@blueprint.get("/appointment/<token>/<any(move, cancel):focus>")
def manage(token: str, focus: str = "") -> Any:
    """The appointment, the times it can move to, and the cancel form."""
    runtime = _runtime()
    try:
        seen = _managed(runtime, token)
    except links.LinkError as exc:
        return problem(exc.reason)
    return _manage_page(runtime, token, seen, seen.times, focus=focus)


def _manage_page(runtime: Runtime, token: str, seen: client_booking.Managed, times: list[Any],
                 *, focus: str, error: str | None = None, status: int = 200) -> Any:
    appt = seen.appointment
    page = render_template(
        "booking/manage.html", appt=appt,
        when=letters.when(appt.starts_at, agenda.local_zone(runtime), g.lang),
        days=_day_groups(runtime, times), focus=focus, error=error, chosen=None,
        base=f"/book/appointment/{token}", booked=request.args.get("booked") == "1")
    return page, status


@blueprint.post("/appointment/<token>/move")
def move(token: str) -> Any:
    """Move to the chosen time; the new invitation carries a higher SEQUENCE."""
    runtime = _runtime()
    try:
        grant = client_booking.manage_grant(runtime, token)
        _speak(grant.lang)
        path = client_booking.move_with_link(runtime, grant,
                                             links.parse_start(request.form.get("start")))
    except links.LinkError as exc:
        return problem(exc.reason)
    except (SlotTaken, ValueError) as refused:
        try:
            seen = _managed(runtime, token)
        except links.LinkError as exc:
            return problem(exc.reason)
        if isinstance(refused, SlotTaken):
            return _manage_page(runtime, token, seen, refused.next_times, focus="move",
                                error="taken", status=409)
        return _manage_page(runtime, token, seen, seen.times, focus="move", error="start",
                            status=400)
    return redirect(path, code=303)


@blueprint.post("/appointment/<token>/cancel")
def cancel(token: str) -> Any:
    """Cancel; the client gets METHOD:CANCEL and a link to book again."""
    runtime = _runtime()
    try:
        grant = client_booking.manage_grant(runtime, token)
        _speak(grant.lang)
        appt = client_booking.cancel_with_link(runtime, grant,
                                               solved=request.form.get("solved") == "1")
    except links.LinkError as exc:
        return problem(exc.reason)
    zone = agenda.local_zone(runtime)
    return render_template("booking/cancelled.html",
                           when=letters.when(appt.starts_at, zone, g.lang))
