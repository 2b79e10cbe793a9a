"""Emails in tests: the real-world samples of tests/data/mail/, delivered through the receiving
use case, and small emails written the way mail clients write them."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from callq.inbox.receiving import Receipt, receive

SAMPLES = Path(__file__).resolve().parent / "data" / "mail"


def sample(name: str, **replace: str) -> bytes:
    """A sample's bytes, with some of its text replaced (an id, an address)."""
    raw = (SAMPLES / name).read_bytes()
    for old, new in replace.items():
        raw = raw.replace(old.encode(), new.encode())
    return raw


def written(sender: str, subject: str, text: str, *, message_id: str, runtime: Any,
            in_reply_to: str | None = None, html: str | None = None) -> bytes:
    """A plain email as a mail client sends it (UTF-8, quoted-printable when needed)."""
    message = EmailMessage()
    message["From"], message["To"] = sender, "Support <support@callq.example.test>"
    message["Subject"], message["Message-ID"] = subject, f"<{message_id}>"
    message["Date"] = format_datetime(runtime.now())
    if in_reply_to:
        message["In-Reply-To"] = message["References"] = f"<{in_reply_to}>"
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message.as_bytes()


def deliver(runtime: Any, raw: bytes) -> Receipt:
    """Through the use case `callq mail receive` and `callq mail poll` call."""
    return receive(runtime, raw)
