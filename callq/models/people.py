"""Who is involved: clients and their numbers, agents, absences, closure days."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from callq.models.base import Base, utcnow


class Client(Base):
    """A customer of the vendor (a clinic, a firm), reachable on one or more numbers."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(5), default="fr")
    product_version: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    phones: Mapped[list[ClientPhone]] = relationship(
        back_populates="client", cascade="all, delete-orphan"
    )


class ClientPhone(Base):
    """One number (E.164) known to belong to a client."""

    __tablename__ = "client_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(20), unique=True)

    client: Mapped[Client] = relationship(back_populates="phones")


def new_feed_token() -> str:
    """A secret that makes an agent's calendar-feed URL unguessable."""
    return secrets.token_urlsafe(24)


class Agent(Base):
    """A support agent (or administrator) who works the list and takes appointments."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str] = mapped_column(String(5), default="fr")
    feed_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_feed_token)
    # Named by every session cookie; bumped by logout, disabling and a new password, so that
    # every copy of an older cookie stops working at once (callq.agents.end_sessions).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Absence(Base):
    """A period when an agent takes no appointment (R12, R14)."""

    __tablename__ = "absences"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(200), default="")


class Closure(Base):
    """A day the administrator closed the hotline, on top of public holidays (R4)."""

    __tablename__ = "closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
