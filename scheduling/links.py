"""Signed, expiring links of the planner (R13): book a slot, manage (move, cancel) a booking.

Links are itsdangerous tokens signed with CALLQ_SECRET_KEY; time is an argument (the signer
reads the given instant, not the wall clock), so building and reading a link does no I/O.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from callq.tokens import LinkError, load, sign, until_stamp
from scheduling.slots import parse_start as parse_start
from scheduling.slots import start_stamp as start_stamp

if TYPE_CHECKING:
    from callq.runtime import Runtime

BOOK_SALT = "callq.planner.book"
MANAGE_SALT = "callq.planner.manage"
OFFER_SALT = "callq.planner.offer"


@dataclass(frozen=True)
class BookingGrant:
    """What a booking link allows: one booking for this client (and waiting entry)."""

    entry_id: int | None
    client_id: int | None
    phone: str | None
    email: str | None
    name: str | None
    lang: str
    token_id: str  # spent once the booking is made (UsedToken)


@dataclass(frozen=True)
class ManageGrant:
    """What a manage link allows: move or cancel one appointment as it was when sent."""

    appointment_id: int
    sequence: int  # a later change (move, reassignment) makes older links stale
    lang: str


@dataclass(frozen=True)
class OfferGrant:
    """What a waitlist offer's link allows: take (or see) one offered slot."""

    offer_id: int
    lang: str


def token_id(token: str) -> str:
    """The identity of a token, recorded when it is spent."""
    return hashlib.sha256(token.encode()).hexdigest()[:48]


def sign_booking(
    secret: str, now: datetime, *, entry_id: int | None, client_id: int | None,
    phone: str | None, email: str | None, lang: str, name: str | None = None,
    until: datetime | None = None,
) -> str:
    """A booking token for one client (and waiting entry), valid `until` if given."""
    payload = {"e": entry_id, "c": client_id, "p": phone, "m": email, "n": name, "l": lang}
    if until is not None:
        payload["u"] = until_stamp(until)
    return sign(secret, BOOK_SALT, now, payload)


def read_booking(secret: str, token: str, now: datetime, max_age: timedelta) -> BookingGrant:
    """The grant of a booking token; LinkError if forged, altered or too old."""
    data = load(secret, BOOK_SALT, token, now, max_age)
    try:
        return BookingGrant(
            entry_id=_opt_int(data["e"]), client_id=_opt_int(data["c"]),
            phone=data["p"], email=data["m"], name=data.get("n"), lang=str(data["l"]),
            token_id=token_id(token),
        )
    except (KeyError, TypeError, ValueError):
        raise LinkError("invalid") from None


def sign_manage(secret: str, now: datetime, *, appointment_id: int, sequence: int,
                lang: str, until: datetime | None = None) -> str:
    """A manage token for one appointment at one SEQUENCE (valid `until` if given)."""
    payload: dict[str, int | str] = {"a": appointment_id, "s": sequence, "l": lang}
    if until is not None:
        payload["u"] = until_stamp(until)
    return sign(secret, MANAGE_SALT, now, payload)


def read_manage(secret: str, token: str, now: datetime, max_age: timedelta) -> ManageGrant:
    """The grant of a manage token; LinkError if forged, altered or too old."""
    data = load(secret, MANAGE_SALT, token, now, max_age)
    try:
        return ManageGrant(appointment_id=int(data["a"]), sequence=int(data["s"]),
                           lang=str(data["l"]))
    except (KeyError, TypeError, ValueError):
        raise LinkError("invalid") from None


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def max_age(runtime: Runtime) -> timedelta:
    """How long a link stays valid (CALLQ_LINK_MAX_AGE_DAYS)."""
    return timedelta(days=runtime.settings.link_max_age_days)


def booking_link(
    runtime: Runtime, *, entry_id: int | None, client_id: int | None, phone: str | None,
    email: str | None, lang: str, name: str | None = None, until: datetime | None = None,
) -> str:
    """The absolute URL of a booking page for this client; it expires `until` (as long as the
    entry it serves can still be acted on), else after the set days."""
    token = sign_booking(runtime.settings.secret_key, runtime.now(), entry_id=entry_id,
                         client_id=client_id, phone=phone, email=email, lang=lang, name=name,
                         until=until)
    return runtime.url(f"/book/{token}")


def manage_token(runtime: Runtime, *, appointment_id: int, sequence: int, lang: str,
                 until: datetime | None = None) -> str:
    """A manage token for the appointment as it is now (valid until it ends, when given)."""
    return sign_manage(runtime.settings.secret_key, runtime.now(),
                       appointment_id=appointment_id, sequence=sequence, lang=lang, until=until)


def manage_links(runtime: Runtime, *, appointment_id: int, sequence: int,
                 lang: str, until: datetime | None = None) -> dict[str, str]:
    """The absolute URLs to see, move and cancel an appointment (one token for all three),
    and its .ics file; `until`: the appointment's end, after which nothing can change."""
    token = manage_token(runtime, appointment_id=appointment_id, sequence=sequence, lang=lang,
                         until=until)
    page = f"/book/appointment/{token}"
    return {"view": runtime.url(page), "move": runtime.url(page + "/move"),
            "cancel": runtime.url(page + "/cancel"), "ics": runtime.url(page + "/calendar.ics"),
            "path": page}


def sign_offer(secret: str, now: datetime, *, offer_id: int, lang: str,
               until: datetime) -> str:
    """A token for one waitlist offer, valid until the offer expires."""
    return sign(secret, OFFER_SALT, now, {"o": offer_id, "l": lang, "u": until_stamp(until)})


def read_offer(secret: str, token: str, now: datetime) -> OfferGrant:
    """The grant of an offer token; LinkError if forged, altered or expired."""
    data = load(secret, OFFER_SALT, token, now, timedelta(0))
    try:
        return OfferGrant(offer_id=int(data["o"]), lang=str(data["l"]))
    except (KeyError, TypeError, ValueError):
        raise LinkError("invalid") from None


def offer_link(runtime: Runtime, *, offer_id: int, lang: str, until: datetime) -> str:
    """The absolute URL of an offer's page."""
    token = sign_offer(runtime.settings.secret_key, runtime.now(), offer_id=offer_id, lang=lang,
                       until=until)
    return runtime.url(f"/book/offer/{token}")
