"""Client pages (R13): book from a signed link, then see, move or cancel the appointment.

The views only translate: they read the form, call a use case of scheduling.client_booking and
render its result. A bad link (forged, altered, expired, already used, from an older email)
gets a clear page with a 4xx status and changes nothing; a taken slot gets 409 and the next
free times.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, g, redirect, render_template, request

from callq import branding, formats, short_links, web_i18n
from callq.runtime import Runtime
from callq.workspace.links import cancel_url
from scheduling import (
    agenda,
    calendar_links,
    client_booking,
    client_rules,
    letters,
    links,
    offers,
    page_texts,
    picker,
)
from scheduling.booking import SlotTaken
from scheduling.notices import shown_phone

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


@blueprint.app_context_processor
def _brand() -> dict[str, Any]:
    # Every client page (booking, offer, short link, the entry's cancel page) shows the brand.
    runtime = _runtime()
    lang = g.get("lang", runtime.settings.language)
    return {"brand": client_brand(runtime, lang),
            "zone_city": formats.zone_city(agenda.local_zone(runtime), lang),
            "notice_hours": client_rules.notice_hours(runtime.settings.change_notice_minutes)}


def client_brand(runtime: Runtime, lang: str) -> branding.Brand:
    """The hotline's branding for a client page in `lang`."""
    return branding.brand(runtime.settings, lang, runtime.calendar().spec.holiday_country)


def problem(reason: str) -> tuple[str, int]:
    """The clear page of a link that cannot be used."""
    return render_template("booking/problem.html", reason=reason), STATUS.get(reason, 400)


def _picker(runtime: Runtime, times: list[Any], chosen: str | None) -> picker.Picker:
    return picker.build(times, agenda.local_zone(runtime), g.lang, chosen)


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
    # The number as the client writes it ("06 12 34 56 78"); the form reads either form back.
    phone = shown_phone(runtime, grant.phone, g.lang) if grant.phone else ""
    form = {"name": grant.name or "", "email": grant.email or "", "phone": phone, **values}
    # An entry's link also lets the client say the need is solved (an SMS has room for one link).
    cancel = cancel_url(runtime, grant.entry_id, grant.lang) if grant.entry_id else None
    page = render_template("booking/book.html", picker=_picker(runtime, times, chosen),
                           chosen=chosen, form=form, error=error, cancel=cancel,
                           need=client_booking.need_of(runtime, grant.entry_id))
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
def manage(token: str) -> Any:
    """The appointment, what it is about, and the ways to move or cancel it."""
    return _page_of(token, "booking/manage.html")


@blueprint.get("/appointment/<token>/move")
def move_page(token: str) -> Any:
    """The times the appointment can move to, by day."""
    return _page_of(token, "booking/move.html")


@blueprint.get("/appointment/<token>/cancel")
def cancel_page(token: str) -> Any:
    """The cancel form, on a page of its own."""
    return _page_of(token, "booking/cancel.html")


def _page_of(token: str, template: str, **extra: Any) -> Any:
    runtime = _runtime()
    try:
        seen = _managed(runtime, token)
    except links.LinkError as exc:
        return problem(exc.reason)
    return _manage_page(runtime, token, seen, template, **extra)


def _manage_page(runtime: Runtime, token: str, seen: client_booking.Managed, template: str, *,
                 times: list[Any] | None = None, error: str | None = None,
                 status: int = 200) -> Any:
    appt, zone = seen.appointment, agenda.local_zone(runtime)
    when = letters.when(appt.starts_at, zone, g.lang)
    title = client_brand(runtime, g.lang).name
    page = render_template(
        template, appt=appt, when=when, need=seen.need, too_late=seen.too_late,
        phone=shown_phone(runtime, appt.client_phone, g.lang),
        # The move page opens on the appointment's own day (nothing chosen for the client).
        picker=_picker(runtime, seen.times if times is None else times,
                       links.start_stamp(appt.starts_at)), chosen=None,
        error=error, base=f"/book/appointment/{token}",
        booked=request.args.get("booked") == "1", moved=request.args.get("moved") == "1",
        calendar=calendar_links.links(title, appt.starts_at, appt.ends_at, seen.need or when))
    return page, status


@blueprint.get("/appointment/<token>/calendar.ics")
def calendar_file(token: str) -> Any:
    """The appointment as a calendar file to download (same UID as the invitation)."""
    runtime = _runtime()
    try:
        grant = client_booking.manage_grant(runtime, token)
        body = client_booking.calendar_file(runtime, grant)
    except links.LinkError as exc:
        return problem(exc.reason)
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'attachment; filename="callback.ics"'})


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
    except (SlotTaken, ValueError, client_booking.TooLate) as refused:
        return _refused(runtime, token, "booking/move.html", refused)
    return redirect(path + "?moved=1", code=303)


def _refused(runtime: Runtime, token: str, template: str, refused: Exception) -> Any:
    try:
        seen = _managed(runtime, token)
    except links.LinkError as exc:
        return problem(exc.reason)
    if isinstance(refused, SlotTaken):
        return _manage_page(runtime, token, seen, template, times=refused.next_times,
                            error="taken", status=409)
    if isinstance(refused, client_booking.TooLate):
        return _manage_page(runtime, token, seen, template, status=409)
    return _manage_page(runtime, token, seen, template, error="start", status=400)


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
    except client_booking.TooLate as late:
        return _refused(runtime, token, "booking/cancel.html", late)
    zone = agenda.local_zone(runtime)
    return render_template("booking/cancelled.html",
                           when=letters.when(appt.starts_at, zone, g.lang))


@blueprint.get("/offer/<token>")
def offer(token: str) -> Any:
    """A freed slot offered to a waiting client: take it, or read why it is no longer there."""
    runtime = _runtime()
    try:
        seen = offers.read_offer(runtime, _offer_grant(runtime, token))
    except links.LinkError as exc:
        return _offer_problem(runtime, exc)
    return _offer_page(runtime, seen, seen.status, 200)


@blueprint.post("/offer/<token>")
def take_offer(token: str) -> Any:
    """First to accept gets the slot; the others are told it is gone."""
    runtime = _runtime()
    try:
        grant = _offer_grant(runtime, token)
        outcome, path = offers.accept(runtime, grant)
        seen = offers.read_offer(runtime, grant)
    except links.LinkError as exc:
        return _offer_problem(runtime, exc)
    if path is not None:
        return redirect(path + "?booked=1", code=303)
    return _offer_page(runtime, seen, outcome, 409)


def _offer_grant(runtime: Runtime, token: str) -> links.OfferGrant:
    grant = links.read_offer(runtime.settings.secret_key, token, runtime.now())
    _speak(grant.lang)
    return grant


def _offer_problem(runtime: Runtime, exc: links.LinkError) -> Any:
    return _offer_page(runtime, None, exc.reason, 410 if exc.reason == "expired" else 404)


def _offer_page(runtime: Runtime, seen: offers.OfferView | None, state: str,
                status: int) -> Any:
    when = letters.when(seen.starts_at, agenda.local_zone(runtime), g.lang) if seen else ""
    return render_template("booking/offer.html", offer=seen, state=state, when=when,
                           states=page_texts.OFFER_STATES), status


short = Blueprint("short", __name__)


@short.get("/r/<code>")
def follow(code: str) -> Any:
    """A short link of a text message: on to the page it stands for, or a clear 404/410."""
    runtime = _runtime()
    try:
        target = short_links.resolve(runtime, code)
    except links.LinkError as exc:
        reason = "expired" if exc.reason == "expired" else "invalid"
        page = render_template("booking/problem.html", reason=reason)
        return page, 410 if reason == "expired" else 404
    return redirect(runtime.url(target) if target.startswith("/") else target, code=302)

