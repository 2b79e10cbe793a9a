"""What the reports keep between readings: the service figures of measured entries, by day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from callq.models.base import Base


class ServiceDay(Base):
    """The measured entries that arrived on one UTC day, summed for one tier or one agent
    (callq.reports.rollup): the service table of a long period reads these rows instead of
    every entry. Durations are business seconds, sorted, as little-endian doubles."""

    __tablename__ = "report_service_days"

    day: Mapped[date] = mapped_column(primary_key=True)  # the entries' arrival, UTC
    kind: Mapped[str] = mapped_column(String(5), primary_key=True)  # "tier" or "agent"
    key: Mapped[str] = mapped_column(String(20), primary_key=True)  # the tier, the agent's id
    entries: Mapped[int] = mapped_column(default=0)
    attempted: Mapped[int] = mapped_column(default=0)
    first_met: Mapped[int] = mapped_column(default=0)
    first_missed: Mapped[int] = mapped_column(default=0)
    qualification_met: Mapped[int] = mapped_column(default=0)
    qualification_missed: Mapped[int] = mapped_column(default=0)
    resolution_met: Mapped[int] = mapped_column(default=0)
    resolution_missed: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)  # outcomes recorded by agents
    first_seconds: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    resolution_seconds: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
