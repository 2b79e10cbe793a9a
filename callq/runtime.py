"""The runtime: one process's settings, clock and adapters, built once by its composition root
(callq.bootstrap) and handed explicitly to every use case, view, job and command.

It holds no global state and does no I/O when built: engines, Redis clients and gateways
connect on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from redis import Redis
from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from callq import i18n
from callq.admin import state
from callq.ports import CallGateway, Clock, JobQueue, Mailbox, Mailer
from callq.settings import Settings
from callq.waiting.versions import SeriesPolicy
from scheduling.calendar import BusinessCalendar, load_calendar

if TYPE_CHECKING:
    from callq.calls.bridge import ResultHandler
    from callq.models import SideEffect

Handler = Callable[["Runtime", "SideEffect"], None]
MailboxOpener = Callable[[Settings], AbstractContextManager[Mailbox]]
CALENDAR_REFRESH_SECONDS = 60


def absolute_url(base: str, path: str, **query: int | str) -> str:
    """`path` on the public base `base`, with `query` (ASCII ids) as written."""
    pairs = "&".join(f"{name}={value}" for name, value in query.items())
    return f"{base.rstrip('/')}{path}" + (f"?{pairs}" if pairs else "")


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
    # Where committed effects go after the answer (a thread of this process, callq.adapters.
    # jobs.HandOver); None: straight to `queue`.
    hand_over: JobQueue | None = None
    _state_cache: tuple[datetime, state.AdminState] | None = field(default=None, repr=False)

    def now(self) -> datetime:
        """The current instant (tests pass a frozen clock)."""
        return self.clock()

    def url(self, path: str, **query: int | str) -> str:
        """An absolute URL on the public base (links in emails, SMS, TwiML, REST callbacks).

        Query values must be ASCII ids: Twilio signs the URL as written (protocols.md B1).
        """
        return absolute_url(self.settings.public_base_url, path, **query)

    def calendar(self) -> BusinessCalendar:
        """The business calendar (R4): the administrator's hours and closures, else the
        CALLQ_CALENDAR starting point; re-read every minute."""
        return self.refresh().calendar

    def series(self) -> SeriesPolicy:
        """Which product series are supported, on quote, or out of support (R9)."""
        return self.refresh().series

    def refresh(self) -> state.AdminState:
        """The administrator's settings, re-read when older than a minute; the reworded texts
        are handed to callq.i18n, so every process says them within a minute."""
        now = self.now()
        cached = self._state_cache
        if cached is None or abs((now - cached[0]).total_seconds()) > CALENDAR_REFRESH_SECONDS:
            loaded = self._load_state()
            if loaded is None:  # the database is away: keep what was read last, else defaults
                loaded = cached[1] if cached is not None else state.AdminState(
                    load_calendar(self.settings.calendar),
                    SeriesPolicy.current(self.settings.current_series), {})
            cached = (now, loaded)
            self._state_cache = cached
            i18n.use_overrides(loaded.texts)
        return cached[1]

    def _load_state(self) -> state.AdminState | None:
        # On a connection of its own, outside the pool: the calendar is often asked for inside
        # a write transaction, and waiting there for a pooled connection can deadlock when
        # every other pooled connection waits for that transaction's lock.
        reader = create_engine(self.engine.url, poolclass=NullPool)
        try:
            with reader.connect() as connection:
                return state.load(connection, self.settings)
        except (OperationalError, ProgrammingError):
            return None  # unreachable, or no tables yet (before `callq db upgrade`)
        finally:
            reader.dispose()

    def forget_calendar(self) -> None:
        """Drop the cached settings (after the administrator changed them in this process)."""
        self._state_cache = None
