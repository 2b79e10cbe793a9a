"""Afternoon appointments and the single-use tokens of booking links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, ForeignKey, Index, String, event, text
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from callq.models.base import Base, utcnow
from callq.status import AppointmentStatus

ACTIVE_APPOINTMENT = "status IN ('booked', 'in_call')"


class Appointment(Base):
    """A guaranteed afternoon callback (R12-R17); one row, one invitation UID, for life."""

    __tablename__ = "appointments"
    __table_args__ = (
        # Two appointments of one agent never overlap (R12): PostgreSQL refuses it itself.
        ExcludeConstraint(
            ("agent_id", "="),
            (text("tstzrange(starts_at, ends_at)"), "&&"),
            name="ex_appointments_agent_overlap",
            using="gist",
            where=text(ACTIVE_APPOINTMENT),
        ).ddl_if(dialect="postgresql"),
        Index("ix_appointments_agent_time", "agent_id", "starts_at"),
        # Covering: a slot search reads busy time from the index alone (scheduling.agenda).
        Index("ix_appointments_status_time", "status", "starts_at", "ends_at", "agent_id"),
        Index("ix_appointments_created", "created_at"),  # reports: booked over a period
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="RESTRICT"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("waiting_entries.id", ondelete="SET NULL"), index=True
    )
    follows_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="SET NULL")
    )  # a second appointment for the same need (R16)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[AppointmentStatus] = mapped_column(String(20), default=AppointmentStatus.BOOKED)
    sequence: Mapped[int] = mapped_column(default=0)  # iCalendar SEQUENCE last sent
    client_name: Mapped[str] = mapped_column(String(200), default="")
    client_email: Mapped[str | None] = mapped_column(String(320))
    client_phone: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5), default="fr")
    moves: Mapped[int] = mapped_column(default=0)
    no_shows: Mapped[int] = mapped_column(default=0)  # unanswered calls at the booked time (R15)
    # One more slot each (R16); a server default keeps inserts written before it valid.
    extensions: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)


class UsedToken(Base):
    """A single-use link token that has been spent (booking, cancel)."""

    __tablename__ = "used_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime] = mapped_column(default=utcnow)


# The exclusion constraint above needs btree_gist for the `agent_id WITH =` part.
event.listen(
    Base.metadata,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS btree_gist").execute_if(dialect="postgresql"),
)
