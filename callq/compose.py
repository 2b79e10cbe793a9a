"""Email composition: letters, and iMIP invitations (RFC 6047) in multipart/alternative; pure."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

from icalendar import Calendar

# 7bit: accents are sent quoted-printable or base64, so no relay needs 8BITMIME.
# SMTP: CRLF line endings, which text/calendar needs byte for byte.
SMTP_SAFE = policy.SMTP.clone(cte_type="7bit")

# Headers compose() owns; letting extras set them would allow a second From or To.
_MANAGED = frozenset(
    {"from", "to", "cc", "bcc", "subject", "date", "message-id", "reply-to", "mime-version"}
)
_HEADER_NAME = re.compile(r"[!-9;-~]+")  # RFC 5322 ftext: printable ASCII except ':'
_MESSAGE_ID = re.compile(r"<[!-;=?-~]+@[!-;=?-~]+>")  # <left@right>, no spaces or brackets
# Every separator str.splitlines() honours: any of them could start a forged header line.
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


@dataclass(frozen=True)
class Letter:
    """What one email says and to whom; compose() turns it into MIME."""

    sender: str
    to: str
    subject: str
    text: str
    html: str | None = None
    calendar: bytes | None = None
    method: str | None = None
    message_id: str | None = None
    reply_to: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


def compose(letter: Letter, *, date: datetime) -> EmailMessage:
    """Build the MIME message of `letter`, dated `date` (tz-aware)."""
    if date.tzinfo is None or date.utcoffset() is None:
        raise ValueError(f"date must be timezone-aware: {date!r}")
    method = _calendar_method(letter)
    msg = EmailMessage(policy=SMTP_SAFE)
    _set_headers(msg, letter, date)
    _set_body(msg, letter, method)
    return msg


def to_bytes(msg: EmailMessage) -> bytes:
    """The wire form of `msg`: CRLF line endings, 7-bit clean."""
    return msg.as_bytes(policy=SMTP_SAFE)


def _set_headers(msg: EmailMessage, letter: Letter, date: datetime) -> None:
    _set_address(msg, "From", letter.sender)
    _set_address(msg, "To", letter.to)
    if letter.reply_to is not None:
        _set_address(msg, "Reply-To", letter.reply_to)
    msg["Subject"] = _one_line(letter.subject, "Subject")
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = _message_id(letter, date)
    for name, value in letter.headers.items():
        if not _HEADER_NAME.fullmatch(name) or name.lower() in _MANAGED:
            raise ValueError(f"extra header not allowed: {name!r}")
        msg[name] = _one_line(value, name)


def _set_address(msg: EmailMessage, name: str, value: str) -> None:
    msg[name] = _one_line(value, name)
    header = msg[name]
    # The header parser records unparseable addresses as defects instead of failing.
    if header.defects or not all("@" in a.addr_spec for a in header.addresses):
        raise ValueError(f"{name} is not a valid address: {value!r}")


def _set_body(msg: EmailMessage, letter: Letter, method: str | None) -> None:
    msg.set_content(letter.text)
    if letter.html is not None:
        msg.add_alternative(letter.html, subtype="html")
    if letter.calendar is not None and method is not None:
        # Last part (RFC 6047 §2.4: most faithful last), inline, method= as iMIP demands.
        # base64 carries the iCalendar octets (CRLF, folding) unchanged through any relay.
        msg.add_alternative(
            letter.calendar.decode("utf-8"),
            subtype="calendar",
            cte="base64",
            params={"method": method},
        )


def _calendar_method(letter: Letter) -> str | None:
    """The MIME method: given with a calendar, equal to the METHOD inside it (upper case)."""
    if letter.calendar is None:
        if letter.method is not None:
            raise ValueError("method given without a calendar")
        return None
    if not letter.method:
        raise ValueError("a calendar needs its method (RFC 6047 §2.4)")
    inner = Calendar.from_ical(letter.calendar).get("METHOD")
    if inner is None or str(inner).upper() != letter.method.upper():
        # Outlook rejects the invitation: "Inbound Mime method and ICAL method mismatch".
        raise ValueError(f"method {letter.method!r} differs from the calendar's {inner!r}")
    return letter.method.upper()


def _message_id(letter: Letter, date: datetime) -> str:
    if letter.message_id is not None:
        if not _MESSAGE_ID.fullmatch(letter.message_id):
            raise ValueError(f"not a Message-ID: {letter.message_id!r}")
        return letter.message_id
    # Derived from the content and date rather than random, so compose() stays pure;
    # callers who need a resend to be recognisable pass their own idempotency key.
    digest = hashlib.sha256(repr((letter, date.isoformat())).encode()).hexdigest()[:32]
    return f"<{digest}@{_domain(letter.sender)}>"


def _domain(sender: str) -> str:
    msg = EmailMessage(policy=SMTP_SAFE)
    msg["From"] = sender
    return msg["From"].addresses[0].domain or "callq.invalid"


def _one_line(value: str, name: str) -> str:
    if _LINE_BREAKS.search(value):
        raise ValueError(f"{name} must be one line: {value!r}")
    return value
