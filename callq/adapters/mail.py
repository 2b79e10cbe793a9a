"""Mailers: SMTP when configured, else `.eml` files in the outbox folder."""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

from callq.ports import Mailer

log = logging.getLogger(__name__)


class OutboxMailer:
    """Writes each email as `<key>.eml`: sending twice with one key leaves one file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage, key: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{safe_name(key)}.eml"
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(message.as_bytes())
        os.replace(tmp, target)  # atomic: a reader never sees half an email
        log.info("email to %s written to %s", message["To"], target)


class SMTPMailer:
    """Delivers through an SMTP server given as `smtp://user:pass@host:port` or `smtps://`."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise ValueError(f"CALLQ_SMTP_URL must look like smtp://user:pass@host:587: {url!r}")
        self.implicit_tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.implicit_tls else 587)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeout = timeout

    def send(self, message: EmailMessage, key: str) -> None:
        smtp_class = smtplib.SMTP_SSL if self.implicit_tls else smtplib.SMTP
        with smtp_class(self.host, self.port, timeout=self.timeout) as smtp:
            if not self.implicit_tls and smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)
        log.info("email %s to %s sent through %s", key, message["To"], self.host)


def safe_name(key: str) -> str:
    """A file name from an idempotency key."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in key)


def build_mailer(smtp_url: str, outbox: Path) -> Mailer:
    """SMTP when a URL is set, else the outbox folder."""
    return SMTPMailer(smtp_url) if smtp_url else OutboxMailer(outbox)
