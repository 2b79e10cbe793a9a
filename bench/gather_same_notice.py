"""What the "same statements" peer (bench/gather_same.py) tells the caller, by the rules of
callq.acknowledge (R2, R5): in the afternoon the booking link, by SMS to a mobile (through a
short link) or else by email; otherwise a known client's acknowledgment with their place, by
email or else by SMS. The same pure builders as callq (signed links, letters, one-segment SMS);
only the rows are the peer's to write.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from callq import i18n, short_links, sms, texting
from callq.acknowledge import ACK_BODY, ACK_SMS, ACK_SUBJECT, BOOK_BODY
from callq.callers import Caller, is_mobile, link_channel
from callq.runtime import Runtime
from callq.waiting import lifecycle
from callq.waiting.estimate import Standing, moment_words, place_words, short_moment_words
from callq.workspace.links import cancel_url
from callq.workspace.notices import links_until
from scheduling import letters
from scheduling.booking import link_until
from scheduling.links import booking_link

Notice = tuple[str, str, dict[str, Any], tuple[str, str, datetime] | None]


def notice(runtime: Runtime, sid: str, entry_id: int, state: lifecycle.EntryState, caller: Caller,
            need: str | None, place: Standing | None, afternoon: bool) -> Notice | None:
    """What callq.acknowledge would send the caller of this call, if anything: its outbox key,
    kind and payload, and the short link its SMS carries (code, target, expiry)."""
    lang = i18n.supported(caller.language or runtime.settings.language)
    if afternoon:
        until = link_until(runtime, entry_id)
        link = booking_link(runtime, entry_id=entry_id, client_id=caller.client_id,
                            phone=caller.number, email=caller.email, lang=lang,
                            name=caller.client_name, until=until)
        channel = link_channel(caller)
        if channel == "sms" and caller.number:
            body, short = _sms(runtime, letters.SMS["link"], lang, need, link, until)
            return f"booking-sms-{sid}", "sms", {"to": caller.number, "body": body}, short
        if channel == "email" and caller.email:
            said = [i18n.gettext(BOOK_BODY, lang)] + ([_said(place, lang)] if place else [])
            cancel = cancel_url(runtime, entry_id, lang, until=until)
            mail = _mail(runtime, caller, lang, "Choose a callback slot with support", said,
                         [("Pick a time", link), ("My problem is solved", cancel)], need)
            return f"booking-email-{sid}", "email", mail, None
        return None
    if caller.client_id is None or place is None:
        return None
    until = links_until(runtime, state)  # type: ignore[arg-type]  # reads awaiting_since only
    cancel = cancel_url(runtime, entry_id, lang, until=until)
    if caller.email:
        said = [i18n.gettext(ACK_BODY, lang), _said(place, lang)]
        mail = _mail(runtime, caller, lang, ACK_SUBJECT, said,
                     [("My problem is solved", cancel)], need)
        return f"ack-email-{sid}", "email", mail, None
    if caller.number and is_mobile(caller.number):
        body, short = _sms(runtime, ACK_SMS, lang, need, cancel, until, position=place.position,
                           moment=short_moment_words(place, lang))
        return f"ack-sms-{sid}", "sms", {"to": caller.number, "body": body}, short
    return None


def _said(place: Standing, lang: str) -> str:
    return f"{place_words(place, lang)} {moment_words(place, lang)}"


def _mail(runtime: Runtime, caller: Caller, lang: str, subject: str, paragraphs: list[str],
          actions: list[tuple[str, str]], need: str | None) -> dict[str, Any]:
    """An email's outbox payload (callq.notify.queue_email's), rendered by scheduling.letters."""
    mail = letters.render(letters.Draft(
        lang=lang, name=caller.client_name or "", subject=i18n.gettext(subject, lang),
        paragraphs=paragraphs, request=texting.request_phrase(need, lang),
        actions=[(i18n.gettext(label, lang), url) for label, url in actions],
        brand=texting.brand(runtime, lang)))
    return {"to": caller.email, "subject": mail.subject, "text": mail.text, "html": mail.html,
            "method": None, "calendar": None}


def _sms(runtime: Runtime, message: str, lang: str, need: str | None, url: str, until: datetime,
         **values: object) -> tuple[str, tuple[str, str, datetime]]:
    """callq.texting.text with the short link's row left to the caller: the SMS, and the
    link's code, target and expiry."""
    mark = texting.brand(runtime, lang)
    code = secrets.token_urlsafe(short_links.CODE_BYTES)[:10]
    said = {"brand": mark.name, "phone": mark.phone,
            "url": runtime.url(short_links.PREFIX + code), **values}

    def render(need_text: str) -> str:
        need_said = f'"{need_text}"' if need_text else i18n.gettext(texting.NO_NEED, lang)
        return i18n.gettext(message, lang, need=need_said, **said)

    target = url.removeprefix(runtime.settings.public_base_url.rstrip("/"))
    return sms.write(render, need), (code, target, until)
