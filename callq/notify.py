"""Effects that reach people: emails and text messages, each sent once per idempotency key."""

from __future__ import annotations

import base64
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from callq import effects
from callq.compose import Letter, compose

if TYPE_CHECKING:
    from callq.models import SideEffect
    from callq.runtime import Runtime


def queue_email(
    session: Session, runtime: Runtime, *, key: str, to: str, subject: str, text: str,
    html: str | None = None, calendar: bytes | None = None, method: str | None = None,
    due_at: Any = None,
) -> int | None:
    """Record an email to send (after commit, or at `due_at`)."""
    now = runtime.now()
    payload = {
        "to": to, "subject": subject, "text": text, "html": html, "method": method,
        "calendar": base64.b64encode(calendar).decode() if calendar else None,
    }
    return effects.schedule(session, key=key, kind="email", payload=payload,
                            due_at=due_at or now, now=now)


def queue_sms(
    session: Session, runtime: Runtime, *, key: str, to: str, body: str, due_at: Any = None
) -> int | None:
    """Record a text message to send (after commit, or at `due_at`)."""
    now = runtime.now()
    return effects.schedule(session, key=key, kind="sms", payload={"to": to, "body": body},
                            due_at=due_at or now, now=now)


def send_email(runtime: Runtime, effect: SideEffect) -> None:
    """Compose and send; the Message-ID carries the key, so a resend is recognisable."""
    data = effect.payload
    domain = parseaddr(runtime.settings.mail_from)[1].rpartition("@")[2] or "callq.invalid"
    calendar = base64.b64decode(data["calendar"]) if data.get("calendar") else None
    letter = Letter(
        sender=runtime.settings.mail_from, to=data["to"], subject=data["subject"],
        text=data["text"], html=data.get("html"), calendar=calendar, method=data.get("method"),
        message_id=f"<{effect.key}@{domain}>",
    )
    runtime.mailer.send(compose(letter, date=runtime.now()), effect.key)


def send_sms(runtime: Runtime, effect: SideEffect) -> None:
    """Send one text message through the call gateway."""
    runtime.calls.send_sms(to=effect.payload["to"], body=effect.payload["body"], key=effect.key)
