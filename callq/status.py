"""The words of the domain that are stored: tiers, statuses and outcomes (all `str` enums)."""

from __future__ import annotations

from enum import StrEnum


class Tier(StrEnum):
    """Presumed urgency of a need, on the seeds' four-level scale (R6)."""

    CRITICAL = "critical"  # vital process blocked, no workaround
    HIGH = "high"  # blocked, painful workaround
    MEDIUM = "medium"  # a workaround exists
    LOW = "low"  # inconvenient, works

    @property
    def rank(self) -> int:
        """0 for the most urgent tier; the waiting room sorts on it."""
        return TIER_ORDER.index(self)


TIER_ORDER: tuple[Tier, ...] = (Tier.CRITICAL, Tier.HIGH, Tier.MEDIUM, Tier.LOW)


class EntryStatus(StrEnum):
    """Where a waiting-room entry stands in its life."""

    WAITING = "waiting"  # in the list, nobody holds it
    CLAIMED = "claimed"  # an agent holds a lease on it
    AWAITING_CLIENT = "awaiting_client"  # attempts exhausted; the client is reminded (R10)
    BOOKED = "booked"  # handed over to an afternoon appointment
    CLOSED = "closed"  # done, whatever the outcome


OPEN_STATUSES: tuple[EntryStatus, ...] = (
    EntryStatus.WAITING,
    EntryStatus.CLAIMED,
    EntryStatus.AWAITING_CLIENT,
    EntryStatus.BOOKED,
)


class Outcome(StrEnum):
    """What an agent recorded after calling back (R10), or why the system closed an entry."""

    SOLVED = "solved"
    DOCUMENTATION = "documentation"
    OUT_OF_SCOPE = "out_of_scope"
    BOOKED = "booked"
    NO_ANSWER = "no_answer"
    CANCELLED_BY_CLIENT = "cancelled_by_client"
    EXPIRED = "expired"  # closed by itself after the waiting-for-client period
    MERGED = "merged"  # folded into another entry of the same need


class VersionStatus(StrEnum):
    """Support status of the client's product version (R9)."""

    SUPPORTED = "supported"
    ON_QUOTE = "on_quote"
    END_OF_SUPPORT = "end_of_support"
    UNKNOWN = "unknown"


class AppointmentStatus(StrEnum):
    """Life of an afternoon appointment (R12-R16)."""

    BOOKED = "booked"
    IN_CALL = "in_call"
    DONE = "done"
    CANCELLED = "cancelled"  # by the client, or moved away (a moved appointment keeps its row)
    MISSED = "missed"  # the client did not answer; a new slot was booked (R15)


class EffectStatus(StrEnum):
    """State of one outside effect in the outbox (email, SMS, call, timer)."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"  # gave up after the allowed attempts; kept for the administrator
