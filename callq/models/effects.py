"""The outbox: every outside effect (email, SMS, call, timer) recorded before it happens, and
the heartbeats of the processes that run it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from callq.models.base import Base, utcnow
from callq.status import EffectStatus

FILING = "intake_file"  # the kind of the rows that file an accepted need (callq.intake)
_WAITING = f"status = 'pending' AND kind = '{FILING}'"
_DONE = "done_at IS NOT NULL"


class SideEffect(Base):
    """Work that is due at `due_at`; the key makes asking twice create it once."""

    __tablename__ = "side_effects"
    __table_args__ = (Index("ix_side_effects_due", "status", "due_at"),
                      # Done effects by age (the pruning); an effect not done yet is not in it,
                      # so writing one (a call's safety net) writes no page of this index.
                      Index("ix_side_effects_done", "status", "done_at",
                            postgresql_where=text(_DONE), sqlite_where=text(_DONE)),
                      # The filings waiting for a worker, in order; nothing else is in it, so
                      # writing a call's safety net writes no page of this index.
                      Index("ix_side_effects_waiting_filings", "kind", "id",
                            postgresql_where=text(_WAITING), sqlite_where=text(_WAITING)))

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[EffectStatus] = mapped_column(String(10), default=EffectStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    lease_until: Mapped[datetime | None]
    # The fence of the run holding the lease: a run that lost its lease cannot record an outcome.
    lease_token: Mapped[str | None] = mapped_column(String(32))
    # Set (and committed) just before the outside call: a run that died after it may have sent.
    sending_at: Mapped[datetime | None]
    enqueued_at: Mapped[datetime | None]  # last hand-over to RQ; the reconciler waits a grace
    last_error: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProcessBeat(Base):
    """A worker's or the scheduler's last sign of life (`/healthz` counts the recent ones)."""

    __tablename__ = "process_beats"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)  # role:host:pid
    role: Mapped[str] = mapped_column(String(20))  # worker, scheduler
    pools: Mapped[str] = mapped_column(String(100), default="")  # comma-separated
    busy_with: Mapped[int | None]  # the effect a worker is running
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    beat_at: Mapped[datetime] = mapped_column(default=utcnow)
