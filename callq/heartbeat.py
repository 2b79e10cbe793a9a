"""Heartbeats of the workers and the scheduler, kept in the database: `/healthz` counts the
recent ones. A Redis restart loses none of them, and a killed process simply stops beating."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from callq import db
from callq.models import ProcessBeat

if TYPE_CHECKING:
    from callq.runtime import Runtime
    from callq.settings import Settings

log = logging.getLogger(__name__)

WORKER, SCHEDULER = "worker", "scheduler"
MISSED_BEATS = 3  # silent for this many intervals: gone
FORGET_AFTER = timedelta(days=1)  # rows of processes gone this long are deleted


def process_name(role: str) -> str:
    """This process's name in the heartbeats: role, host and pid."""
    return f"{role}:{socket.gethostname()}:{os.getpid()}"


def stale_after(settings: Settings) -> timedelta:
    """How long a process may stay silent before it counts as gone."""
    return timedelta(seconds=settings.heartbeat_seconds * MISSED_BEATS)


def beat(runtime: Runtime, name: str, role: str, pools: Sequence[str] = (),
         busy_with: int | None = None) -> None:
    """Record that the process is alive now (and what it is running)."""
    now = runtime.now()
    values = {"name": name, "role": role, "pools": ",".join(pools), "busy_with": busy_with,
              "started_at": now, "beat_at": now}
    with db.write(runtime.sessions) as session:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(ProcessBeat).values(**values)
        session.execute(statement.on_conflict_do_update(
            index_elements=["name"], set_={"beat_at": now, "busy_with": busy_with,
                                           "pools": values["pools"]}))


def forget(runtime: Runtime, name: str) -> None:
    """A process stopping cleanly says so at once."""
    with db.write(runtime.sessions) as session:
        session.execute(delete(ProcessBeat).where(ProcessBeat.name == name))


def live(session: Session, settings: Settings, now: datetime) -> list[ProcessBeat]:
    """The processes that beat recently."""
    since = now - stale_after(settings)
    return list(session.scalars(select(ProcessBeat).where(ProcessBeat.beat_at >= since)
                                .order_by(ProcessBeat.name)))


def last_beat(session: Session, role: str) -> datetime | None:
    """The latest beat of any process of a role (None: never)."""
    return session.scalar(select(ProcessBeat.beat_at).where(ProcessBeat.role == role)
                          .order_by(ProcessBeat.beat_at.desc()).limit(1))


def prune(runtime: Runtime) -> int:
    """Delete the rows of processes silent for a day."""
    with db.write(runtime.sessions) as session:
        return int(session.execute(  # type: ignore[attr-defined]
            delete(ProcessBeat).where(ProcessBeat.beat_at < runtime.now() - FORGET_AFTER)
        ).rowcount)


class Beating:
    """Beats from a thread of its own, so that a long job does not silence its worker."""

    def __init__(self, runtime: Runtime, role: str, pools: Sequence[str] = ()) -> None:
        self.runtime, self.role, self.pools = runtime, role, tuple(pools)
        self.name = process_name(role)
        self.busy_with: int | None = None  # set by the worker around each job
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"{role}-heartbeat", daemon=True)

    def start(self) -> Beating:
        """Beat now, then every CALLQ_HEARTBEAT_SECONDS."""
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                beat(self.runtime, self.name, self.role, self.pools, self.busy_with)
            except Exception as exc:  # the database is down: /healthz says so already
                log.warning("heartbeat not recorded: %s", exc)
            self._stop.wait(self.runtime.settings.heartbeat_seconds)

    def stop(self) -> None:
        """Stop beating and remove this process from the live ones."""
        self._stop.set()
        self._thread.join(timeout=5)
        try:
            forget(self.runtime, self.name)
        except Exception as exc:
            log.warning("heartbeat not removed: %s", exc)
