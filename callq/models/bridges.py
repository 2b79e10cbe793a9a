"""Bridged calls: ring the agent, then the client, and keep what each leg reported."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from callq.models.base import Base, utcnow


class Bridge(Base):
    """One agent-then-client call; its callbacks resolve exactly one result (outcome)."""

    __tablename__ = "bridges"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))  # callback, appointment
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("waiting_entries.id", ondelete="SET NULL"), index=True
    )
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="SET NULL"), index=True
    )
    client_number: Mapped[str] = mapped_column(String(20))
    agent_call_sid: Mapped[str | None] = mapped_column(String(64))
    agent_status: Mapped[str] = mapped_column(String(20), default="scheduled")
    agent_sequence: Mapped[int] = mapped_column(default=-1)
    agent_answered_by: Mapped[str | None] = mapped_column(String(30))
    dialed_at: Mapped[datetime | None]  # the agent answered and the client's number was dialled
    client_call_sid: Mapped[str | None] = mapped_column(String(64))
    client_status: Mapped[str | None] = mapped_column(String(20))
    client_sequence: Mapped[int] = mapped_column(default=-1)
    client_answered_by: Mapped[str | None] = mapped_column(String(30))
    dial_status: Mapped[str | None] = mapped_column(String(20))
    duration_seconds: Mapped[int | None]
    outcome: Mapped[str | None] = mapped_column(String(20))
    resolved_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
