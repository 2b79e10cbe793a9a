"""Telephone calls seen through Twilio, and what the logging gateway recorded instead."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from callq.models.base import Base, utcnow


class Call(Base):
    """One Twilio call (inbound or outbound) and the last state its callbacks reported."""

    __tablename__ = "calls"
    # Calls by entry or appointment (and the foreign keys' SET NULL): an incoming call has
    # neither when its row is written, so it writes no page of these indexes.
    __table_args__ = tuple(
        Index(f"ix_calls_{column}", column, postgresql_where=text(f"{column} IS NOT NULL"),
              sqlite_where=text(f"{column} IS NOT NULL"))
        for column in ("entry_id", "appointment_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    direction: Mapped[str] = mapped_column(String(20))  # inbound, outbound
    purpose: Mapped[str] = mapped_column(String(20))  # intake, callback, appointment
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("waiting_entries.id", ondelete="SET NULL"))
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="SET NULL"))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    from_number: Mapped[str | None] = mapped_column(String(20))
    to_number: Mapped[str | None] = mapped_column(String(20))
    mode: Mapped[str | None] = mapped_column(String(20))  # live, appointments, closed
    status: Mapped[str] = mapped_column(String(20), default="queued")
    sequence: Mapped[int] = mapped_column(default=-1)  # last SequenceNumber applied
    answered_by: Mapped[str | None] = mapped_column(String(30))
    dial_status: Mapped[str | None] = mapped_column(String(20))  # inbound: agents rung live
    duration_seconds: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class GatewayRecord(Base):
    """A call or SMS the logging gateway would have placed (no Twilio account configured)."""

    __tablename__ = "gateway_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # call, sms
    sid: Mapped[str] = mapped_column(String(64), unique=True)
    to_number: Mapped[str] = mapped_column(String(20))
    from_number: Mapped[str | None] = mapped_column(String(20))
    body: Mapped[str | None] = mapped_column(Text)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
