"""What callq answers an email, by the seeds' rules: a long email gets the standard "call the
morning hotline or book a slot" answer with a booking link; the first email over the day's
allowance gets one notice that later ones are attached. Each through the outbox, once."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from callq import i18n, notify
from callq.callers import Caller
from callq.inbox.rules import entry_token
from callq.models import WaitingEntry
from scheduling.links import booking_link

if TYPE_CHECKING:
    from callq.runtime import Runtime


def subject(runtime: Runtime, entry: WaitingEntry, lang: str) -> str:
    """Our answers' subject: it carries the entry's token, so a reply finds its entry."""
    return i18n.gettext("Your email to support %(token)s", lang,
                        token=entry_token(runtime.settings.secret_key, entry.id))


def answer_long(session: Session, runtime: Runtime, entry: WaitingEntry, caller: Caller,
                message_id: int, to: str, lang: str) -> None:
    """A long email: we answer short questions by email; call the morning hotline or book."""
    link = booking_link(runtime, entry_id=entry.id, client_id=caller.client_id,
                        phone=caller.number, email=to, lang=lang, name=caller.client_name)
    text = i18n.gettext(
        "Hello,\n\nThank you for your email; it is recorded under number %(entry)s. By email we "
        "answer short questions only: for a need that takes this long to describe, please call "
        "the hotline in the morning, or book an afternoon callback here:\n%(link)s\n\n"
        "Technical support", lang, entry=entry.id, link=link)
    notify.queue_email(session, runtime, key=f"entry-{entry.id}-mail-long-{message_id}", to=to,
                       subject=subject(runtime, entry, lang), text=text)


def tell_daily_limit(session: Session, runtime: Runtime, entry: WaitingEntry, to: str,
                     lang: str, day: date) -> None:
    """The first email over the day's allowance: the client is told, once that day."""
    text = i18n.gettext(
        "Hello,\n\nWe have received several emails from you today. Your further emails of the "
        "day are added to your open request (number %(entry)s) rather than opening new ones: "
        "there is no need to write again, we will call you back.\n\nTechnical support",
        lang, entry=entry.id)
    sender = hashlib.sha256(to.lower().encode()).hexdigest()[:16]
    notify.queue_email(session, runtime, key=f"mail-day-{sender}-{day.isoformat()}",
                       to=to, subject=subject(runtime, entry, lang), text=text)
