"""What clients are sent: short links behind SMS, and freed slots offered to the waiting list."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from callq.models.base import Base, utcnow

OPEN_OFFER = "status = 'offered'"


class ShortLink(Base):
    """A short, unguessable code standing for one of our long signed links (`/r/<code>`)."""

    __tablename__ = "short_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    target: Mapped[str] = mapped_column(String(2000))  # a path on the public base
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WaitlistOffer(Base):
    """A freed afternoon slot offered to one waiting client; the first to accept gets it."""

    __tablename__ = "waitlist_offers"
    __table_args__ = (
        # At most one open offer per client's entry: the database refuses a second one.
        Index("uq_waitlist_offers_open_entry", "entry_id", unique=True,
              postgresql_where=text(OPEN_OFFER), sqlite_where=text(OPEN_OFFER)),
        Index("ix_waitlist_offers_slot", "starts_at", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("waiting_entries.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12), default="offered")
    offered_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)
