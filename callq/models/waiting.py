"""The waiting room: entries, the messages attached to them, and their append-only history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from callq.models.base import Base, utcnow
from callq.status import EntryStatus, Tier


class WaitingEntry(Base):
    """One need of one caller: a place in the ordered callback list (R5-R11)."""

    __tablename__ = "waiting_entries"
    __table_args__ = (
        # The list's order (R5-R7) read straight from an index: vague, tier, queued time, id.
        Index("ix_waiting_entries_order", "status", "vague", "tier_rank", "queued_at", "id"),
        Index("ix_waiting_entries_caller", "caller_number", "status"),
        Index("ix_waiting_entries_client", "client_id", "status"),
        # The recent callback rate (the caller's estimate) counts entries closed lately.
        Index("ix_waiting_entries_closed_at", "closed_at"),
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

    messages: Mapped[list[Message]] = relationship(
        back_populates="entry", order_by="Message.received_at"
    )
    events: Mapped[list[EntryEvent]] = relationship(order_by="EntryEvent.id")


class Message(Base):
    """One voicemail (or email) from a caller; it is never lost, even before it has an entry."""

    __tablename__ = "messages"

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

    entry: Mapped[WaitingEntry | None] = relationship(back_populates="messages")


class EntryEvent(Base):
    """Append-only history of an entry: who, when, what, why."""

    __tablename__ = "entry_events"

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
