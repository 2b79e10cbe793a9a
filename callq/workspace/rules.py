"""Pure rules of the workspace (R10): what an unanswered call does, when the client is
reminded, which documentation chapters and out-of-scope texts exist.

Plain values in, plain values out; time is an argument.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urljoin

from callq.status import EntryStatus

# The chapters of the vendor's documentation an agent can send (slug -> key of its title).
CHAPTERS: tuple[str, ...] = (
    "logiciel", "autres-logiciels", "base-de-donnees", "services-numeriques", "fournisseurs",
    "tarifs", "commandes", "comptabilite", "relances", "rappels", "impressions", "registres",
    "autres-outils", "parametrages", "partenaires",
)
# What is out of the vendor's scope (seeds: hardware, Windows, antivirus, firewall, other
# software): the client is told to see their IT provider.
SCOPES: tuple[str, ...] = ("hardware", "windows", "antivirus", "other_software")


@dataclass(frozen=True)
class AfterNoAnswer:
    """Where an entry goes after one more unanswered callback."""

    status: EntryStatus
    attempts: int
    available_at: datetime | None  # back in the list, not before this (WAITING)
    awaiting_since: datetime | None  # waiting for the client from this instant (AWAITING_CLIENT)


def after_no_answer(
    attempts: int, *, max_attempts: int, now: datetime, retry_delay: timedelta
) -> AfterNoAnswer:
    """One more attempt: back in the list after the delay, or, the last one, wait for the client."""
    count = attempts + 1
    if count >= max_attempts:
        return AfterNoAnswer(EntryStatus.AWAITING_CLIENT, count, None, now)
    return AfterNoAnswer(EntryStatus.WAITING, count, now + retry_delay, None)


@dataclass(frozen=True)
class ClientTimer:
    """A future step of an entry waiting for its client: a reminder (n = 1, 2...) or the close."""

    kind: str  # "reminder" or "close"
    n: int
    due_at: datetime


def client_timers(
    awaiting_since: datetime, reminder_days: Sequence[int], close_days: int
) -> list[ClientTimer]:
    """Reminders on each day before the close (days counted from awaiting_since), then the close."""
    reminders = [
        ClientTimer("reminder", n, awaiting_since + timedelta(days=day))
        for n, day in enumerate(sorted(set(reminder_days)), start=1)
        if 0 < day < close_days
    ]
    return [*reminders, ClientTimer("close", 0, awaiting_since + timedelta(days=close_days))]


def chapter_link(base_url: str, chapter: str) -> str:
    """The link to one documentation chapter."""
    if chapter not in CHAPTERS:
        raise ValueError(f"unknown documentation chapter {chapter!r}")
    return urljoin(base_url if base_url.endswith("/") else base_url + "/", chapter)


def held_by(status: str, claimed_by: int | None, agent_id: int) -> bool:
    """Whether the agent holds the entry: claimed, and by them (R10: one agent per entry)."""
    return status == EntryStatus.CLAIMED and claimed_by == agent_id
