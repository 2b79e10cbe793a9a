"""What the workspace sends a client: by email when we know their address, else by SMS to the
number they called from; each notice once (its outbox key), with the link to cancel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from callq import i18n, notify
from callq.models import Client, WaitingEntry
from callq.workspace import client_texts  # noqa: F401  (registers the notices)
from callq.workspace.links import cancel_url

if TYPE_CHECKING:
    from callq.runtime import Runtime


def contact(session: Session, entry: WaitingEntry) -> tuple[str | None, str | None]:
    """The client's email (if known) and the number the entry calls back."""
    client = session.get(Client, entry.client_id) if entry.client_id else None
    return (client.email if client and client.email else None), entry.caller_number


def send(session: Session, runtime: Runtime, entry: WaitingEntry, notice: str, *, key: str,
         **values: object) -> str | None:
    """Queue one notice (texts `workspace.mail.<notice>.*`); says "email", "sms" or None."""
    email, phone = contact(session, entry)
    lang = entry.language if entry.language in i18n.LANGUAGES else "fr"
    values = {"cancel": cancel_url(runtime, entry.id), **values}
    outbox_key = f"entry-{entry.id}-{notice}-{key}"
    if email:
        notify.queue_email(
            session, runtime, key=outbox_key, to=email,
            subject=i18n.text(f"workspace.mail.{notice}.subject", lang, **values),
            text=i18n.text(f"workspace.mail.{notice}.body", lang, **values),
        )
        return "email"
    if phone:
        body = i18n.text(f"workspace.sms.{notice}", lang, **values)
        notify.queue_sms(session, runtime, key=outbox_key, to=phone, body=body)
        return "sms"
    return None


def chapter_title(chapter: str, lang: str) -> str:
    """A documentation chapter's title."""
    return i18n.text(f"workspace.chapter.{chapter}", lang)


def scope_title(scope: str, lang: str) -> str:
    """What an out-of-scope need is about ("le matériel informatique")."""
    return i18n.text(f"workspace.scope.{scope}", lang)
