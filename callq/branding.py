"""The hotline's branding (name, number, signature, logo): one function that every page, email,
SMS and prompt reads, so they all say the same thing the same way."""

from __future__ import annotations

from dataclasses import dataclass

from callq import i18n
from callq.i18n import N_
from callq.settings import Settings
from callq.waiting.phones import display_number

DEFAULT_NAME = N_("Technical support")
DEFAULT_SIGNATURE = N_("The technical support team")


@dataclass(frozen=True)
class Brand:
    """How the hotline presents itself to one reader."""

    name: str
    phone: str  # as the reader dials it ("04 78 00 00 02"), empty when none is set
    phone_e164: str  # for tel: links
    signature: str
    logo_url: str  # absolute, or empty


def brand(settings: Settings, lang: str, home_region: str = "FR") -> Brand:
    """The hotline's name, number, signature and logo for a reader of `lang`."""
    e164 = settings.hotline_phone or settings.twilio_number
    return Brand(
        name=settings.hotline_name or i18n.gettext(DEFAULT_NAME, lang),
        phone=display_number(e164, lang, home_region=home_region) if e164 else "",
        phone_e164=e164,
        signature=settings.mail_signature or i18n.gettext(DEFAULT_SIGNATURE, lang),
        logo_url=logo_url(settings),
    )


def logo_url(settings: Settings) -> str:
    """The logo as an absolute URL: as set, or a file under callq/static/ on the public base."""
    logo = settings.logo_url.strip()
    if not logo or logo.startswith(("https://", "http://")):
        return logo
    return f"{settings.public_base_url.rstrip('/')}/static/{logo.lstrip('/')}"
