"""Who is calling (or writing): the number in E.164 or the sender's address and, when one of
their numbers or their address is known, the client."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from callq.models import Client, ClientPhone
from callq.waiting.phones import normalize_number

_MOBILE = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
# Built once: SQLAlchemy memoizes a statement's cache key, so each call skips the compile.
# The columns a Caller takes, not a Client object: a webhook loads no ORM entity here.
_CLIENT_BY_NUMBER = select(Client.id, Client.name, Client.email, Client.language,
                           Client.product_version).join(ClientPhone).where(
    ClientPhone.number == bindparam("number"))
_CLIENT_BY_EMAIL = (select(Client).where(func.lower(Client.email) == bindparam("address"))
                    .order_by(Client.id).limit(1))
_FIRST_NUMBER = (select(ClientPhone.number).where(ClientPhone.client_id == bindparam("client"))
                 .order_by(ClientPhone.id).limit(1))


@lru_cache(maxsize=8192)
def e164(raw_number: str | None, region: str = "FR") -> str | None:
    """`normalize_number`, remembered: every callback of a call parses the same numbers."""
    return normalize_number(raw_number, region)


@dataclass(frozen=True)
class Caller:
    """A caller as callq knows them; an unknown or withheld caller has no client."""

    number: str | None  # E.164, None when withheld
    client_id: int | None = None
    client_name: str | None = None
    email: str | None = None
    language: str | None = None
    version: str | None = None
    address: str | None = None  # the address an email came from (lower case)

    @property
    def identity(self) -> str | None:
        """What two messages must share to be about one caller's need (R8), if anything."""
        if self.client_id is not None:
            return f"client:{self.client_id}"  # several numbers, one client
        if self.number:
            return f"number:{self.number}"
        return f"email:{self.address}" if self.address else None


def identify(session: Session, raw_number: str | None, region: str = "FR") -> Caller:
    """The caller behind a Twilio `From` (national numbers read in the hotline's region)."""
    number = e164(raw_number, region)
    if number is None:
        return Caller(number=None)
    with session.no_autoflush:  # clients are not written here: pending changes can wait
        client = session.execute(_CLIENT_BY_NUMBER, {"number": number}).first()
    return caller_of(number, client)


def caller_of(number: str | None, client: Any) -> Caller:
    """The caller behind a number, from its client's row (id, name, email, language, product
    version, as `_CLIENT_BY_NUMBER` reads it) or None for an unknown number."""
    if client is None:
        return Caller(number=number)
    client_id, name, email, language, version = client
    return Caller(number=number, client_id=client_id, client_name=name, email=email,
                  language=language, version=version)


def identify_sender(session: Session, address: str, number: str | None = None,
                    language: str | None = None) -> Caller:
    """The writer of an email: the client whose address it is (called back on their first
    number), else an unknown sender known by the address, the number they gave and the
    language they wrote in."""
    with session.no_autoflush:
        client = session.scalar(_CLIENT_BY_EMAIL, {"address": address.lower()})
        if client is None:
            return Caller(number=number, address=address, language=language)
        first = session.scalar(_FIRST_NUMBER, {"client": client.id})
    return Caller(number=first or number, client_id=client.id, client_name=client.name,
                  email=client.email, language=client.language, version=client.product_version,
                  address=address)


@lru_cache(maxsize=8192)
def is_mobile(number: str | None) -> bool:
    """Whether a text message can reach this E.164 number."""
    if not number:
        return False
    try:
        parsed = phonenumbers.parse(number, None)
    except NumberParseException:
        return False
    return phonenumbers.number_type(parsed) in _MOBILE


def link_channel(caller: Caller) -> str | None:
    """How an afternoon caller gets the booking link (R2): SMS to a mobile, else email."""
    if is_mobile(caller.number):
        return "sms"
    return "email" if caller.email else None
