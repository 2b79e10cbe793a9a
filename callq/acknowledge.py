"""The caller is told where they stand (R2, R5): after a message, a known caller gets an
acknowledgment naming the request, their place and the probable callback moment, with the link
to cancel; an afternoon caller (R2) gets the link to book a slot, with the same standing.

Sent by email when the client's address is known, else by SMS to a mobile; nothing for an
unknown caller outside the afternoon (a stranger's number may not be theirs to text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from callq import i18n, notify, texting
from callq.callers import Caller, is_mobile, link_channel
from callq.i18n import N_
from callq.models import WaitingEntry
from callq.waiting.estimate import Standing, moment_words, place_words, short_moment_words
from callq.workspace.notices import links_until
from scheduling import letters
from scheduling.links import booking_link

if TYPE_CHECKING:
    from callq.runtime import Runtime

ACK_SUBJECT = N_("We have your message")
ACK_BODY = N_("We have your message and will call you back in the morning, in the order of "
              "the list.")
ACK_SMS = N_("%(brand)s, %(need)s: received. Place %(position)s, callback probably "
             "%(moment)s. Solved? %(url)s")
BOOK_BODY = N_("You called support this afternoon. In the afternoon we call back by "
               "appointment: choose your slot with the button below.")


def acknowledge(session: Session, runtime: Runtime, entry: WaitingEntry, caller: Caller,
                found: Standing | None, *, afternoon: bool, key: str) -> None:
    """Tell the caller where they stand, or send the afternoon's booking link (R2)."""
    lang = i18n.supported(caller.language or runtime.settings.language)
    if afternoon:
        _booking_link(session, runtime, entry, caller, found, lang, key)
    elif caller.client_id is not None and found is not None:
        _acknowledgment(session, runtime, entry, caller, found, lang, key)


def _acknowledgment(session: Session, runtime: Runtime, entry: WaitingEntry, caller: Caller,
                    found: Standing, lang: str, key: str) -> None:
    from callq.workspace.links import cancel_url

    until = links_until(runtime, entry)
    cancel = cancel_url(runtime, entry.id, lang, until=until)
    if caller.email:
        mail = letters.render(letters.Draft(
            lang=lang, name=caller.client_name or "", subject=i18n.gettext(ACK_SUBJECT, lang),
            paragraphs=[i18n.gettext(ACK_BODY, lang), _standing(found, lang)],
            actions=[(i18n.gettext("My problem is solved", lang), cancel)],
            request=texting.request_phrase(entry.need_text, lang),
            brand=texting.brand(runtime, lang)))
        notify.queue_email(session, runtime, key=f"ack-email-{key}", to=caller.email,
                           subject=mail.subject, text=mail.text, html=mail.html)
    elif caller.number and is_mobile(caller.number):
        body = texting.text(session, runtime, ACK_SMS, lang, need=entry.need_text, url=cancel,
                            until=until, position=found.position,
                            moment=short_moment_words(found, lang))
        notify.queue_sms(session, runtime, key=f"ack-sms-{key}", to=caller.number, body=body)


def _booking_link(session: Session, runtime: Runtime, entry: WaitingEntry, caller: Caller,
                  found: Standing | None, lang: str, key: str) -> None:
    from callq.workspace.links import cancel_url
    from scheduling.booking import link_until

    until = link_until(runtime, entry.id)
    link = booking_link(runtime, entry_id=entry.id, client_id=caller.client_id,
                        phone=caller.number, email=caller.email, lang=lang,
                        name=caller.client_name, until=until)
    channel = link_channel(caller)
    if channel == "sms" and caller.number:
        body = texting.text(session, runtime, letters.SMS["link"], lang, need=entry.need_text,
                            url=link, until=until)
        notify.queue_sms(session, runtime, key=f"booking-sms-{key}", to=caller.number,
                         body=body)
    elif channel == "email" and caller.email:
        paragraphs = [i18n.gettext(BOOK_BODY, lang)]
        if found is not None:
            paragraphs.append(_standing(found, lang))
        mail = letters.render(letters.Draft(
            lang=lang, name=caller.client_name or "",
            subject=i18n.gettext("Choose a callback slot with support", lang),
            paragraphs=paragraphs, actions=[
                (i18n.gettext("Pick a time", lang), link),
                (i18n.gettext("My problem is solved", lang),
                 cancel_url(runtime, entry.id, lang, until=until))],
            request=texting.request_phrase(entry.need_text, lang),
            brand=texting.brand(runtime, lang)))
        notify.queue_email(session, runtime, key=f"booking-email-{key}", to=caller.email,
                           subject=mail.subject, text=mail.text, html=mail.html)


def _standing(found: Standing, lang: str) -> str:
    return f"{place_words(found, lang)} {moment_words(found, lang)}"

