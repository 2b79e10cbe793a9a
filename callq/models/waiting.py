"""The waiting room: entries, the messages attached to them, and their append-only history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from callq.models.base import Base, JSONDoc, utcnow
from callq.status import EntryStatus, Tier

_CLAIMED = text(f"status = '{EntryStatus.CLAIMED.value}'")


class WaitingEntry(Base):
    """One need of one caller: a place in the ordered callback list (R5-R11)."""

    __tablename__ = "waiting_entries"
    __table_args__ = (
        # The list's order (R5-R7) read straight from an index: vague, tier, queued time, id.
        Index("ix_waiting_entries_order", "status", "vague", "tier_rank", "queued_at", "id"),
        Index("ix_waiting_entries_caller", "caller_number", "status"),
        Index("ix_waiting_entries_client", "client_id", "status"),
        Index("ix_waiting_entries_email", "caller_email", "status"),
        # Reports read entries by the day they arrived or closed (R11 figures, the room's size);
        # the volume's columns ride along, so the year's scan reads the index alone.
        Index("ix_waiting_entries_arrived", "arrived_at", "tier", "outcome", "vague"),
        Index("ix_waiting_entries_closed", "closed_at"),
        # Claimed rows only, so neither lookup walks every claim: one claim per agent (unique,
        # it also finds the agent's claim) and the lapsed leases "take next" may hand on.
        Index("ux_waiting_entries_one_claim", "claimed_by", unique=True,
              postgresql_where=_CLAIMED, sqlite_where=_CLAIMED),
        Index("ix_waiting_entries_lease", "lease_expires_at",
              postgresql_where=_CLAIMED, sqlite_where=_CLAIMED),
        # The entries the reports have not measured: open ones, and closed ones to measure.
        Index("ix_waiting_entries_unmeasured", "sla_closed_at", "arrived_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[EntryStatus] = mapped_column(String(20), default=EntryStatus.WAITING)
    tier: Mapped[Tier] = mapped_column(String(10), default=Tier.LOW)
    tier_rank: Mapped[int] = mapped_column(default=Tier.LOW.rank)
    vague: Mapped[bool] = mapped_column(default=False)
    need_text: Mapped[str | None] = mapped_column(Text)
    classification: Mapped[dict[str, Any]] = mapped_column(default=dict)
    tier_set_by_agent: Mapped[bool] = mapped_column(default=False)
    caller_number: Mapped[str | None] = mapped_column(String(20))
    caller_email: Mapped[str | None] = mapped_column(String(320))  # an email's sender
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(5), default="fr")
    arrived_at: Mapped[datetime] = mapped_column(default=utcnow)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime | None]
    messages_count: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    available_at: Mapped[datetime | None]  # after an unanswered callback: not before (R10)
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    lease_expires_at: Mapped[datetime | None]
    awaiting_since: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(30))
    closed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)  # compare-and-swap on every change
    # Service-level clocks (R11), written by the lifecycle: what stopped the first-response and
    # first-qualification clocks, who resolved it, and the waits for the client (the resolution
    # clock's pauses) as JSON pairs of ISO instants, NULL for none.
    first_attempt_at: Mapped[datetime | None]
    first_attempt_by: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"))
    qualified_at: Mapped[datetime | None]
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    clock_waits: Mapped[list[Any] | None] = mapped_column(JSONDoc)
    # A closed entry's service levels in business time, measured once by the reports (they no
    # longer change); valid while `sla_closed_at` is `closed_at` (an entry booked again after
    # its close is measured again when it closes again). Not lifecycle fields: a cache.
    sla_closed_at: Mapped[datetime | None]
    sla_first_seconds: Mapped[float | None]  # to the first callback attempt
    sla_first_met: Mapped[bool | None]
    sla_qualification_met: Mapped[bool | None]
    sla_resolution_seconds: Mapped[float | None]  # to a resolution, waits for the client excluded
    sla_resolution_met: Mapped[bool | None]

    messages: Mapped[list[Message]] = relationship(
        back_populates="entry", order_by="Message.received_at"
    )
    events: Mapped[list[EntryEvent]] = relationship(order_by="EntryEvent.id")


class Message(Base):
    """One voicemail (or email) from a caller; it is never lost, even before it has an entry."""

    __tablename__ = "messages"
    # Reports count messages by day and by their entry's tier (read from the index alone).
    __table_args__ = (Index("ix_messages_received_at", "received_at", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("waiting_entries.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str] = mapped_column(String(10), default="voice")
    call_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    from_number: Mapped[str | None] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    speech_text: Mapped[str | None] = mapped_column(Text)
    speech_confidence: Mapped[float | None]
    recording_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    recording_url: Mapped[str | None] = mapped_column(String(500))
    recording_seconds: Mapped[int | None]
    recording_path: Mapped[str | None] = mapped_column(String(500))
    complete: Mapped[bool] = mapped_column(default=False)  # the caller finished or hung up
    # An email (channel "email"): speech_text holds the need read from its subject and first
    # lines, body_text what the sender wrote (quotes and signature left out).
    mail_message_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    from_email: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(Text)
    body_text: Mapped[str | None] = mapped_column(Text)
    email_facts: Mapped[dict[str, Any] | None]  # flags (long, several subjects...), language

    entry: Mapped[WaitingEntry | None] = relationship(back_populates="messages")
    attachments: Mapped[list[MessageAttachment]] = relationship(
        order_by="MessageAttachment.id", cascade="all, delete-orphan")


class MessageAttachment(Base):
    """A file an email carried, kept under the instance folder and served to agents only."""

    __tablename__ = "message_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    path: Mapped[str] = mapped_column(String(500))  # relative to the instance folder


def _outcome_of(context: Any) -> str | None:
    """An outcome line's outcome, copied from its detail when the line is written."""
    values = context.get_current_parameters()
    if values.get("kind") != "outcome":
        return None
    found = (values.get("detail") or {}).get("outcome")
    return None if found is None else str(found)


class EntryEvent(Base):
    """Append-only history of an entry: who, when, what, why."""

    __tablename__ = "entry_events"
    # Reports count outcomes (by outcome and agent), attempts and appointment changes by kind
    # over a period, from the index alone.
    __table_args__ = (Index("ix_entry_events_kind_at", "kind", "at", "outcome", "agent_id",
                            "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("waiting_entries.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(20))  # system, caller, client, agent
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reason: Mapped[str | None] = mapped_column(Text)
    # detail["outcome"] of an "outcome" line, as a column: the reports count it over a year.
    outcome: Mapped[str | None] = mapped_column(String(30), default=_outcome_of)
