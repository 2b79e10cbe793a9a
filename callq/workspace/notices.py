"""What the workspace sends a client: by email when we know their address, else by SMS to the
number they called from; each notice once (its outbox key), with the link to cancel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from callq import i18n, notify
from callq.models import Client, WaitingEntry
from callq.workspace import client_texts as texts
from callq.workspace.links import cancel_url

if TYPE_CHECKING:
    from callq.runtime import Runtime


def contact(session: Session, entry: WaitingEntry) -> tuple[str | None, str | None]:
    """The client's email (if known) and the number the entry calls back."""
    client = session.get(Client, entry.client_id) if entry.client_id else None
    return (client.email if client and client.email else None), entry.caller_number


def send(session: Session, runtime: Runtime, entry: WaitingEntry, notice: str, *, key: str,
         **values: object) -> str | None:
    """Queue one notice (client_texts' `notice`); says "email", "sms" or None."""
    email, phone = contact(session, entry)
    lang = i18n.supported(entry.language)
    values = {"cancel": cancel_url(runtime, entry.id, lang), **values}
    outbox_key = f"entry-{entry.id}-{notice}-{key}"
    if email:
        notify.queue_email(
            session, runtime, key=outbox_key, to=email,
            subject=i18n.gettext(texts.MAIL_SUBJECTS[notice], lang, **values),
            text=_body(notice, lang, values),
        )
        return "email"
    if phone:
        body = i18n.gettext(texts.SMS[notice], lang, **values)
        notify.queue_sms(session, runtime, key=outbox_key, to=phone, body=body)
        return "sms"
    return None


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
