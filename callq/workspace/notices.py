"""What the workspace sends a client: by email when we know their address, else by SMS to the
number they called from; each notice once (its outbox key). Every one names the request, gives
the hotline's number and a way forward: while the entry is open, a link to book a callback and
the link to cancel it, valid as long as the entry can still be acted on."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from callq import i18n, notify, texting
from callq.models import Client, WaitingEntry
from callq.workspace import client_texts as texts
from callq.workspace.links import cancel_url

if TYPE_CHECKING:
    from callq.runtime import Runtime


def contact(session: Session, entry: WaitingEntry) -> tuple[str | None, str | None]:
    """The client's email (if known) and the number the entry calls back."""
    client = session.get(Client, entry.client_id) if entry.client_id else None
    return (client.email if client and client.email else None), entry.caller_number


def links_until(runtime: Runtime, entry: WaitingEntry) -> datetime:
    """Until when the links of a notice serve: while the entry waits for its client, until it
    closes itself (R10); otherwise the cancel link's set lifetime."""
    settings, now = runtime.settings, runtime.now()
    if entry.awaiting_since is not None:
        return max(now, entry.awaiting_since) + timedelta(days=settings.client_close_days)
    return now + timedelta(days=settings.cancel_link_max_age_days)


def entry_links(session: Session, runtime: Runtime, entry: WaitingEntry,
                lang: str) -> dict[str, str]:
    """The entry's links: book a callback for its need, and cancel it."""
    from scheduling.links import booking_link  # the planner's, loaded on first use

    email, phone = contact(session, entry)
    client = session.get(Client, entry.client_id) if entry.client_id else None
    until = links_until(runtime, entry)
    return {"cancel": cancel_url(runtime, entry.id, lang, until=until),
            "book": booking_link(runtime, entry_id=entry.id, client_id=entry.client_id,
                                 phone=phone, email=email, lang=lang,
                                 name=client.name if client else None, until=until)}


def send(session: Session, runtime: Runtime, entry: WaitingEntry, notice: str, *, key: str,
         **values: object) -> str | None:
    """Queue one notice (client_texts' `notice`); says "email", "sms" or None."""
    email, phone = contact(session, entry)
    lang = i18n.supported(entry.language)
    urls = {**entry_links(session, runtime, entry, lang), **{
        name: str(value) for name, value in values.items() if name == "link"}}
    outbox_key = f"entry-{entry.id}-{notice}-{key}"
    if email:
        _email(session, runtime, entry, notice, lang, email, outbox_key, urls, values)
        return "email"
    if phone:
        url = urls.get(texts.SMS_LINK.get(notice, ""))
        body = texting.text(session, runtime, texts.SMS[notice], lang, need=entry.need_text,
                            url=url, until=links_until(runtime, entry), **values)
        notify.queue_sms(session, runtime, key=outbox_key, to=phone, body=body)
        return "sms"
    return None


def _email(session: Session, runtime: Runtime, entry: WaitingEntry, notice: str, lang: str,
           to: str, key: str, urls: dict[str, str], values: dict[str, object]) -> None:
    from scheduling import letters  # the planner's renderer, loaded on first use

    client = session.get(Client, entry.client_id) if entry.client_id else None
    actions = [(i18n.gettext(label, lang), urls[name])
               for name, label in texts.ACTIONS.get(notice, ())]
    mail = letters.render(letters.Draft(
        lang=lang, name=client.name if client else "",
        subject=i18n.gettext(texts.MAIL_SUBJECTS[notice], lang, **values),
        paragraphs=[_body(notice, lang, values)], actions=actions,
        request=texting.request_phrase(entry.need_text, lang),
        brand=texting.brand(runtime, lang)))
    notify.queue_email(session, runtime, key=key, to=to, subject=mail.subject, text=mail.text,
                       html=mail.html)


def _body(notice: str, lang: str, values: dict[str, object]) -> str:
    if notice == "awaiting":  # "we tried N times": a real plural
        attempts = int(str(values.get("attempts", 1)))
        return i18n.ngettext(*texts.AWAITING_BODY, attempts, lang, **values)
    return i18n.gettext(texts.MAIL_BODIES[notice], lang, **values)


def chapter_title(chapter: str, lang: str) -> str:
    """A documentation chapter's title."""
    return i18n.gettext(texts.CHAPTERS[chapter], lang)


def scope_title(scope: str, lang: str) -> str:
    """What an out-of-scope need is about ("le matériel informatique")."""
    return i18n.gettext(texts.SCOPES[scope], lang)
