"""What administrators change outside the people tables: the audit log, stored settings (hours,
product series) and overridden texts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from callq.models.base import Base, utcnow


class AuditEntry(Base):
    """One administration change: who, when, what, before -> after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(320))  # an administrator's email, or "cli"
    action: Mapped[str] = mapped_column(String(60))  # "client.create", "closure.remove"...
    target: Mapped[str] = mapped_column(String(320), default="")
    before: Mapped[dict[str, Any]] = mapped_column(default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(default=dict)


class StoredValue(Base):
    """A setting an administrator keeps in the database ("hours", "series"), as JSON."""

    __tablename__ = "stored_values"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TextOverride(Base):
    """An administrator's wording of one message (a gettext id) in one language."""

    __tablename__ = "text_overrides"
    __table_args__ = (UniqueConstraint("lang", "message", name="uq_text_overrides_lang_message"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lang: Mapped[str] = mapped_column(String(5))
    message: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
