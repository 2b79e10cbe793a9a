"""What every message to a client shares: the hotline's branding, the request it is about, and
text messages written to one segment with a short link (callq.sms, callq.short_links)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from callq import branding, i18n, short_links, sms
from callq.i18n import N_

if TYPE_CHECKING:
    from callq.runtime import Runtime

REQUEST_IN_EMAIL = 90  # characters of the stated need an email quotes
NO_NEED = N_("your message")  # a vague entry (R7): it stated no need to name
QUOTED = N_("\u201c%(need)s\u201d")


def brand(runtime: Runtime, lang: str) -> branding.Brand:
    """The hotline's branding for a reader of `lang`."""
    return branding.brand(runtime.settings, lang, runtime.calendar().spec.holiday_country)


def request_phrase(need: str | None, lang: str, limit: int = REQUEST_IN_EMAIL) -> str:
    """What a message calls the request: its stated need, quoted and shortened, or "your
    message" when it stated none."""
    short = sms.short_need(need, limit)
    return i18n.gettext(QUOTED, lang, need=short) if short else i18n.gettext(NO_NEED, lang)


def text(session: Session, runtime: Runtime, message: str, lang: str, *, need: str | None,
         url: str | None = None, until: datetime | None = None, **values: object) -> str:
    """An SMS of one segment: `message` (a message id with %(brand)s, %(phone)s, %(need)s and
    %(url)s) with a short link to `url` valid `until`, and the need cut to the room left."""
    mark = brand(runtime, lang)
    short = short_links.shorten(session, runtime, url, until) if url and until else url or ""
    said = {"brand": mark.name, "phone": mark.phone, "url": short, **values}

    def render(need_text: str) -> str:
        need_said = f'"{need_text}"' if need_text else i18n.gettext(NO_NEED, lang)
        return i18n.gettext(message, lang, need=need_said, **said)

    return sms.write(render, need)
