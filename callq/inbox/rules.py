"""The seeds' email rules as plain functions: the need an email states, whether it names several
subjects, what a reply refers to, and what happens to the nth email of a client's day. Pure.

The seeds: short questions only, a few at most and never several a day, one subject per email,
no "emails fleuves"; an email about an open need never makes a second entry (R8).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

from callq.inbox.text import without_greeting
from callq.waiting.classify import Lexicon, classify
from callq.waiting.needs import same_need

NEED_CHARS = 300  # the need is read from the subject and about this much of the first lines
SUBJECT_PREFIX = re.compile(r"^\s*((re|fwd?|tr|aw|wg|antw|réf|ref)\s*(\[\d+\])?\s*:\s*)+",
                            re.IGNORECASE)
TOKEN = re.compile(r"\[#(\d{1,10})-([0-9a-f]{8})\]")
# Words that open another subject: with two parts of the email, it names several.
ANOTHER_SUBJECT = re.compile(
    r"\b(autre (question|problème|probleme|sujet|demande|point|chose)|deuxième (question|"
    r"problème|point)|second (problème|point)|par ailleurs|d'autre part|"
    r"another (question|issue|problem|thing)|second (question|issue|problem)|separately|"
    r"(eine )?(weitere|andere) (frage|problem|sache)|zweitens|ausserdem|ausserdem|"
    r"ein anderes problem)\b", re.IGNORECASE)
_ITEM = re.compile(r"^\s*(?:[-*•·]|\(?\d{1,2}[.)]|[a-z][.)])\s+", re.IGNORECASE)
# Effect keys of the outbox that name what an email of ours was about (callq.notify's
# Message-IDs are <key@domain>).
_KEY_ENTRY = re.compile(r"^entry-(\d+)-")
_KEY_APPOINTMENT = re.compile(r"^appt-(\d+)-")
_KEY_CALL = re.compile(r"^booking-email-(.+)$")


@dataclass(frozen=True)
class Reference:
    """What one of our outgoing emails was about, read from its outbox key."""

    kind: str  # "entry", "appointment" or "call"
    value: str


@dataclass(frozen=True)
class DayRule:
    """What the seeds' "a few emails, never several a day" makes of this email."""

    attach_only: bool  # over the day's allowance: attached to an open need, not filed
    tell_client: bool  # the first email over it: the client is told, once


def bare_subject(subject: str) -> str:
    """The subject without "Re:", "TR:", "AW:" prefixes or our entry token."""
    return " ".join(TOKEN.sub(" ", SUBJECT_PREFIX.sub("", subject)).split())


def need_of(subject: str, new_text: str) -> str:
    """The need as the classifier reads it: the subject, then the first lines, no greeting."""
    body = " ".join(without_greeting(new_text).split())
    if len(body) > NEED_CHARS:
        cut = body.rfind(" ", 0, NEED_CHARS)
        body = body[:cut if cut > 0 else NEED_CHARS]
    head = bare_subject(subject)
    return ". ".join(part for part in (head, body) if part)


def parts(new_text: str) -> list[str]:
    """The email's paragraphs and list items, each a candidate subject."""
    found: list[str] = []
    for paragraph in re.split(r"\n\s*\n", without_greeting(new_text)):
        items: list[str] = []
        for line in paragraph.split("\n"):
            if _ITEM.match(line) or not items:
                items.append(_ITEM.sub("", line))
            else:
                items[-1] += " " + line
        found += [" ".join(item.split()) for item in items if item.strip()]
    return found


def several_subjects(new_text: str, lexicon: Lexicon) -> bool:
    """Whether the email names more than one need: two parts stating needs about different
    things, or words that open another subject ("autre question", "ausserdem") in an email of
    several parts."""
    pieces = parts(new_text)
    if len(pieces) < 2:
        return False
    if ANOTHER_SUBJECT.search(new_text):
        return True
    stated = [piece for piece in pieces if not classify(piece, lexicon=lexicon).vague]
    return any(not same_need(a, b, existing_vague=False, new_vague=False, lexicon=lexicon)
               for i, a in enumerate(stated) for b in stated[i + 1:])


def day_rule(earlier_today: int, allowance: int) -> DayRule:
    """More than `allowance` emails from one client in a day: attached, not filed; the client
    is told with the first one over it."""
    over = earlier_today >= allowance
    return DayRule(attach_only=over, tell_client=over and earlier_today == allowance)


def local_day(now: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    """The calendar day of `now` in the hotline's zone, as a UTC interval [start, end)."""
    day = now.astimezone(tz).date()
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def entry_token(secret: str, entry_id: int) -> str:
    """The token our emails put in their subject ("[#12-a1b2c3d4]"): it cannot be forged
    without the secret key, so a reply carrying it is attached whoever sends it."""
    return f"[#{entry_id}-{_mac(secret, entry_id)}]"


def token_entry(secret: str, subject: str) -> int | None:
    """The entry a subject's genuine token names, if any."""
    for number, mac in TOKEN.findall(subject):
        if hmac.compare_digest(mac, _mac(secret, int(number))):
            return int(number)
    return None


def _mac(secret: str, entry_id: int) -> str:
    digest = hmac.new(secret.encode(), f"entry-mail:{entry_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:8]


def our_key(message_id: str, domain: str) -> str | None:
    """The outbox key of one of our own emails' Message-ID (<key@domain>), else None."""
    key, at, where = message_id.rpartition("@")
    return key if at and key and where.lower() == domain.lower() else None


def reference_of(key: str) -> Reference | None:
    """What an email of ours was about, from its outbox key."""
    for kind, pattern in (("entry", _KEY_ENTRY), ("appointment", _KEY_APPOINTMENT),
                          ("call", _KEY_CALL)):
        found = pattern.match(key)
        if found:
            return Reference(kind, found.group(1))
    return None
