"""Mailers: SMTP when configured, else `.eml` files in the outbox folder.

Each send says how it failed (callq.ports): a refusal with a 5xx code is permanent; anything
that ends before the message's final dot reached the server (refused connection, 4xx, a server
too slow for the deadline) surely delivered nothing; a silence after the dot is unconfirmed,
since the server may have taken the message. One send takes at most its deadline in all.
"""

from __future__ import annotations

import errno
import logging
import os
import smtplib
import ssl
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from callq.ports import DeliveryError, Mailer, PermanentFailure, UnconfirmedDelivery
from callq.settings import Settings

log = logging.getLogger(__name__)
DOT = b"\r\n.\r\n"  # what ends a message's DATA: after it the server may have taken it
QUIT_SECONDS = 2.0


class OutboxMailer:
    """Writes each email as `<key>.eml`: sending twice with one key leaves one file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage, key: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{safe_name(key)}.eml"
        tmp = self.folder / f".{safe_name(key)}.{os.getpid()}.tmp"
        try:
            tmp.write_bytes(message.as_bytes())
            os.replace(tmp, target)  # atomic: a reader never sees half an email
        except BaseException as exc:
            tmp.unlink(missing_ok=True)  # a full disk leaves no empty file behind
            if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG,
                                                          errno.EDQUOT):
                raise DeliveryError(f"outbox folder {self.folder} is full: {exc}") from exc
            raise
        log.info("email to %s written to %s", message["To"], target)


class _Deadline:
    """Bounds a whole SMTP conversation: every read and write gets only the time left."""

    deadline = 0.0
    handed_over = False  # the final dot was sent: the server may have the message

    def _arm(self) -> None:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the send deadline passed")
        sock = getattr(self, "sock", None)
        if sock is not None:
            sock.settimeout(left)

    def getreply(self) -> tuple[int, bytes]:
        self._arm()
        return super().getreply()  # type: ignore[misc, no-any-return]

    def send(self, s: Any) -> None:
        self._arm()
        super().send(s)  # type: ignore[misc]
        if isinstance(s, bytes) and s.endswith(DOT):
            self.handed_over = True


class _SMTP(_Deadline, smtplib.SMTP):
    def __init__(self, host: str, port: int, deadline: float) -> None:
        self.deadline = deadline
        super().__init__(host, port, timeout=max(deadline - time.monotonic(), 0.01))


class _SMTPS(_Deadline, smtplib.SMTP_SSL):
    def __init__(self, host: str, port: int, deadline: float) -> None:
        self.deadline = deadline
        super().__init__(host, port, timeout=max(deadline - time.monotonic(), 0.01),
                         context=ssl.create_default_context())


class SMTPMailer:
    """Delivers through an SMTP server given as `smtp://user:pass@host:port` or `smtps://`."""

    def __init__(self, url: str, deadline: float = 60.0, require_tls: bool = True) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise ValueError(f"CALLQ_SMTP_URL must look like smtp://user:pass@host:587: {url!r}")
        self.implicit_tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.implicit_tls else 587)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.deadline = deadline
        self.require_tls = require_tls or bool(self.user)  # credentials never travel in clear

    def send(self, message: EmailMessage, key: str) -> None:
        deadline = time.monotonic() + self.deadline
        smtp: _SMTP | _SMTPS | None = None
        try:
            smtp_class = _SMTPS if self.implicit_tls else _SMTP
            smtp = smtp_class(self.host, self.port, deadline)
            self._secure(smtp)
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)
        except Exception as exc:
            raise _failure(exc, smtp is not None and smtp.handed_over, self.host) from exc
        finally:
            if smtp is not None:
                _quit(smtp)
        log.info("email %s to %s sent through %s", key, message["To"], self.host)

    def _secure(self, smtp: _SMTP | _SMTPS) -> None:
        if self.implicit_tls:
            return
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        elif self.require_tls:
            raise DeliveryError(
                f"the SMTP server {self.host}:{self.port} does not offer STARTTLS; callq sends "
                "nothing in clear (CALLQ_SMTP_REQUIRE_TLS; credentials are never sent in "
                "clear, use smtps:// or a server with STARTTLS)")


def _failure(exc: Exception, handed_over: bool, host: str) -> Exception:
    """What a failed conversation means for a resend."""
    if isinstance(exc, DeliveryError):
        return exc
    code = _code(exc)
    if code is not None and 500 <= code < 600:
        return PermanentFailure(f"{host} refused the email: {exc}")
    if handed_over and code is None:
        return UnconfirmedDelivery(f"{host} took the message but never confirmed it: "
                                   f"{type(exc).__name__}: {exc}")
    return DeliveryError(f"{host}: {type(exc).__name__}: {exc}")


def _code(exc: Exception) -> int | None:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return min(codes) if codes else None  # permanent only when every recipient is
    return getattr(exc, "smtp_code", None) if isinstance(exc, smtplib.SMTPException) else None


def _quit(smtp: _SMTP | _SMTPS) -> None:
    # The message is sent (or the send failed): a server slow to say goodbye changes nothing.
    smtp.deadline = min(smtp.deadline, time.monotonic() + QUIT_SECONDS)
    try:
        if smtp.sock is not None:
            smtp.quit()
    except Exception:
        pass
    finally:
        smtp.close()


def safe_name(key: str) -> str:
    """A file name from an idempotency key."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in key)


def build_mailer(settings: Settings) -> Mailer:
    """SMTP when a URL is set, else the outbox folder."""
    if settings.smtp_url:
        return SMTPMailer(settings.smtp_url, settings.send_deadline_seconds,
                          settings.smtp_require_tls)
    return OutboxMailer(settings.instance_path / "outbox")
