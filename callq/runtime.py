"""The runtime: one process's settings, clock and adapters, built once by its composition root
(callq.bootstrap) and handed explicitly to every use case, view, job and command.

It holds no global state and does no I/O when built: engines, Redis clients and gateways
connect on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from redis import Redis
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from callq.models import Closure
from callq.ports import CallGateway, Clock, JobQueue, Mailbox, Mailer
from callq.settings import Settings
from scheduling.calendar import BusinessCalendar, load_calendar

if TYPE_CHECKING:
    from callq.calls.bridge import ResultHandler
    from callq.models import SideEffect

Handler = Callable[["Runtime", "SideEffect"], None]
MailboxOpener = Callable[[Settings], AbstractContextManager[Mailbox]]
CALENDAR_REFRESH_SECONDS = 60


@dataclass
class Runtime:
    """Everything a use case needs from the outside world, for one process."""

    settings: Settings
    clock: Clock
    engine: Engine
    sessions: sessionmaker[Session]
    redis: Redis
    queue: JobQueue
    mailer: Mailer
    calls: CallGateway
    handlers: Mapping[str, Handler] = field(default_factory=dict)  # effect kind -> use case
    bridge_results: Mapping[str, ResultHandler] = field(default_factory=dict)  # by purpose
    pool_of: Callable[[str], str] = field(default=lambda kind: "timers")  # kind -> worker pool
    mailbox: MailboxOpener | None = None  # the support address's IMAP mailbox, for one poll
    _calendar_cache: tuple[datetime, BusinessCalendar] | None = field(default=None, repr=False)

    def now(self) -> datetime:
        """The current instant (tests pass a frozen clock)."""
        return self.clock()

    def url(self, path: str, **query: int | str) -> str:
        """An absolute URL on the public base (links in emails, SMS, TwiML, REST callbacks).

        Query values must be ASCII ids: Twilio signs the URL as written (protocols.md B1).
        """
        pairs = "&".join(f"{name}={value}" for name, value in query.items())
        return f"{self.settings.public_base_url.rstrip('/')}{path}" + (f"?{pairs}" if pairs else "")

    def calendar(self) -> BusinessCalendar:
        """The business calendar (R4) with the administrator's closures, re-read every minute."""
        now = self.now()
        cached = self._calendar_cache
        if cached is None or (now - cached[0]).total_seconds() > CALENDAR_REFRESH_SECONDS:
            cached = (now, load_calendar(self.settings.calendar, self._closure_days()))
            self._calendar_cache = cached
        return cached[1]

    def _closure_days(self) -> list[date]:
        # On a connection of its own, outside the pool: the calendar is often asked for inside
        # a write transaction, and waiting there for a pooled connection can deadlock when
        # every other pooled connection waits for that transaction's lock.
        reader = create_engine(self.engine.url, poolclass=NullPool)
        try:
            with reader.connect() as connection:
                return list(connection.scalars(select(Closure.day)))
        finally:
            reader.dispose()

    def forget_calendar(self) -> None:
        """Drop the cached calendar (after the administrator changed closures)."""
        self._calendar_cache = None
