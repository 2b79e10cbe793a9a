"""A client's fields as an administrator or a CSV file gives them, checked and normalised (pure):
numbers to E.164 in the hotline's country, a known language, a readable product version."""

from __future__ import annotations

import re
from dataclasses import dataclass

from callq.i18n import N_, Problem, languages
from callq.waiting.phones import normalize_number
from callq.waiting.versions import series_of

EMAIL = re.compile(r"[^@\s<>\"(),;:\[\]\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
PHONE_SEPARATORS = re.compile(r"[;\n]")


@dataclass(frozen=True)
class ClientFields:
    """A client's checked fields; empty optional fields are None."""

    name: str
    email: str | None
    phones: tuple[str, ...]  # E.164, no duplicates, in the order given
    language: str | None
    product_version: str | None

    def as_dict(self) -> dict[str, object]:
        """The fields as the audit log keeps them."""
        return {"name": self.name, "email": self.email, "phones": list(self.phones),
                "language": self.language, "product_version": self.product_version}


def split_phones(raw: str) -> list[str]:
    """Numbers written "06 12 34 56 78; +41 31 000 00 00" (also one per line)."""
    return [part.strip() for part in PHONE_SEPARATORS.split(raw or "") if part.strip()]


def clean_fields(*, name: str, email: str, phones: list[str], language: str,
                 product_version: str, region: str) -> ClientFields:
    """The checked fields; ValueError says which one is wrong and why."""
    name = " ".join((name or "").split())
    if not name:
        raise Problem(N_("name: a client needs a name"))
    if len(name) > 200:
        raise Problem(N_("name: longer than 200 characters"))
    email = (email or "").strip().lower()
    if email and (len(email) > 320 or not EMAIL.fullmatch(email)):
        raise Problem(N_("email: not an email address: %(value)s"), value=repr(email))
    numbers: list[str] = []
    for raw in phones:
        number = normalize_number(raw, region)
        if number is None:
            raise Problem(N_("phones: not a phone number that can be called: %(value)s"),
                          value=repr(raw))
        if number not in numbers:
            numbers.append(number)
    language = (language or "").strip().lower()
    if language and language not in languages():
        raise Problem(N_("language: not a language callq speaks: %(value)s (one of %(known)s)"),
                      value=repr(language), known=", ".join(languages()))
    version = (product_version or "").strip()
    if version and (len(version) > 40 or series_of(version) is None):
        raise Problem(N_("product_version: not a version: %(value)s (e.g. 2026.2)"),
                      value=repr(version))
    return ClientFields(name, email or None, tuple(numbers), language or None, version or None)
