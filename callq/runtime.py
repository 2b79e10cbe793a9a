"""The runtime: settings and every connection and adapter, built once per process, no I/O
at import time. Views, jobs and the CLI reach the outside world only through it."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from redis import Redis
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from callq import db, effects
from callq.jobs import JobQueue, RQQueue
from callq.mail import Mailer, build_mailer
from callq.models import Closure, utcnow
from callq.redis_server import embedded_url
from callq.settings import Settings, load_settings
from callq.telephony import CallGateway, build_gateway
from scheduling.calendar import BusinessCalendar, load_calendar


def instance_secret(folder: Path, name: str, nbytes: int = 32) -> str:
    """A secret generated once and kept in the instance folder (embedded defaults only)."""
    path = folder / name
    if path.exists():
        return path.read_text().strip()
    folder.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


def resolve_embedded(settings: Settings) -> Settings:
    """Fill the embedded defaults: SQLite file, embedded Redis socket, generated secrets."""
    folder = settings.instance_path
    changes: dict[str, Any] = {}
    if not settings.database_url:
        changes["database_url"] = db.sqlite_url(folder)
    if not settings.redis_url:
        changes["redis_url"] = embedded_url(folder)
    if not settings.secret_key:
        changes["secret_key"] = instance_secret(folder, "secret_key")
    if not settings.twilio_auth_token:
        changes["twilio_auth_token"] = instance_secret(folder, "twilio_token", 24)
    return settings.replace(**changes) if changes else settings


@dataclass
class Runtime:
    """Everything a use case needs from the outside world."""

    settings: Settings
    clock: Callable[[], datetime] = utcnow
    overrides: dict[str, Any] = field(default_factory=dict)
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
        if cached is None or (now - cached[0]).total_seconds() > 60:
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

    @cached_property
    def engine(self) -> Engine:
        return self.overrides.get("engine") or db.build_engine(self.settings.database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        factory = db.session_factory(self.engine)
        effects.install_after_commit(factory, lambda: self.queue)
        return factory

    @cached_property
    def redis(self) -> Redis:
        return self.overrides.get("redis") or Redis.from_url(
            self.settings.redis_url, socket_timeout=5, socket_connect_timeout=2
        )

    @cached_property
    def queue(self) -> JobQueue:
        return self.overrides.get("queue") or RQQueue(self.redis, self.settings.queue_name)

    @cached_property
    def mailer(self) -> Mailer:
        return self.overrides.get("mailer") or build_mailer(
            self.settings.smtp_url, self.settings.instance_path / "outbox"
        )

    @cached_property
    def calls(self) -> CallGateway:
        return self.overrides.get("calls") or build_gateway(
            self.settings, self.sessions, self.overrides.get("twilio_http")
        )


def build_runtime(
    environ: dict[str, str] | None = None,
    overrides: dict[str, Any] | None = None,
    adapters: dict[str, Any] | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> Runtime:
    """Settings from the environment and overrides, embedded defaults filled in."""
    settings = resolve_embedded(load_settings(os.environ if environ is None else environ,
                                              overrides))
    return Runtime(settings=settings, clock=clock, overrides=dict(adapters or {}))


_CURRENT: Runtime | None = None


def set_current_runtime(runtime: Runtime | None) -> None:
    """Make a runtime the one worker jobs use in this process."""
    global _CURRENT
    _CURRENT = runtime


def current_runtime() -> Runtime:
    """The process's runtime, built from the environment on first use (rq worker processes)."""
    global _CURRENT
    if _CURRENT is None:
        _CURRENT = build_runtime()
        from callq.app import load_modules

        load_modules()  # registers every effect handler
    return _CURRENT
