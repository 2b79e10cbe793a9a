"""Failed logins, kept in the database so the limit holds across web workers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from callq.models.base import Base, utcnow


class LoginFailure(Base):
    """One failed login for an email from an address; counted over a sliding window."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_who", "email", "address", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
