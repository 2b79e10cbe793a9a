"""The composition root: settings, clock and adapters built once per process (web, worker,
scheduler, CLI), and the literal table of the outbox's job handlers.

Each process calls `build_runtime` once at start and passes the runtime on explicitly; nothing
is looked up globally later. Tests pass recording fakes as `adapters`.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Collection, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

from redis import Redis
from sqlalchemy import Engine
from twilio.http import HttpClient

from callq import db, effects, handlers
from callq.adapters.imap import open_mailbox
from callq.adapters.jobs import HandOver, RQQueue
from callq.adapters.mail import build_mailer
from callq.adapters.redis_server import embedded_url
from callq.adapters.telephony import build_gateway
from callq.models import utcnow
from callq.ports import CallGateway, Clock, JobQueue, Mailer
from callq.runtime import MailboxOpener, Runtime
from callq.settings import PREFIX, Settings, SettingsError, load_settings
from scheduling.calendar import load_calendar


class Adapters(TypedDict, total=False):
    """Outside parts a caller may supply instead of the ones the settings describe."""

    engine: Engine
    redis: Redis
    queue: JobQueue
    mailer: Mailer
    calls: CallGateway
    twilio_http: HttpClient  # Twilio's HTTP boundary, for the real gateway on loopback
    mailbox: MailboxOpener  # opens the support mailbox for one poll


def instance_secret(folder: Path, name: str, nbytes: int = 32) -> str:
    """A secret generated once and kept in the instance folder (embedded defaults only).

    Processes that start together (gunicorn's workers on a fresh instance) agree on one: the
    secret is written whole to a file of its own, then linked into place, which fails if
    another process got there first; that one's secret is then read. No process ever reads a
    secret half written, and none fails to start for losing the race."""
    path = folder / name
    if path.exists():
        return path.read_text().strip()
    folder.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    fd, draft = tempfile.mkstemp(prefix=f".{name}-", dir=folder)  # mode 0600
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(value)
        os.link(draft, path)
    except FileExistsError:
        return path.read_text().strip()
    finally:
        os.unlink(draft)
    return value


PROJECT = Path(__file__).resolve().parent.parent
PUBLIC_URL_FILE = "public_url"  # written by `callq serve`: where the running service listens


def locate_instance(settings: Settings, explicit: Collection[str]) -> Settings:
    """The instance folder: CALLQ_INSTANCE_PATH when set, else ./instance, else the project's
    instance/. Without one (and without CALLQ_DATABASE_URL) nothing is created: a command run
    in the wrong folder says where it looked instead of starting an empty stray instance."""
    if "instance_path" in explicit:
        return settings
    here = Path.cwd() / "instance"
    candidates = list(dict.fromkeys([here, PROJECT / "instance"]))
    found = next((folder for folder in candidates if folder.is_dir()), None)
    if found is not None:
        return settings.replace(instance_path=found)
    if settings.database_url or Path.cwd().resolve() == PROJECT:
        return settings  # a configured database, or the first `make run` in the project
    looked = " and ".join(str(folder) for folder in candidates)
    raise SettingsError(
        f"no callq instance found (looked for {looked}): run callq in the project folder, "
        "or set CALLQ_INSTANCE_PATH (the instance folder) or CALLQ_DATABASE_URL")


def recorded_public_url(folder: Path) -> str | None:
    """The public URL `callq serve` recorded in the instance folder, if any."""
    path = folder / PUBLIC_URL_FILE
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def record_public_url(folder: Path, url: str) -> None:
    """Remember where this service listens, for the commands run beside it (invite, simulate)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PUBLIC_URL_FILE).write_text(url + "\n", encoding="utf-8")


def resolve_embedded(settings: Settings, explicit: Collection[str] = ()) -> Settings:
    """Fill the embedded defaults: SQLite file, embedded Redis socket, generated secrets, and
    the public URL a running `callq serve` recorded (when CALLQ_PUBLIC_BASE_URL is unset)."""
    folder = settings.instance_path
    changes: dict[str, Any] = {}
    if "public_base_url" not in explicit:
        recorded = recorded_public_url(folder)
        if recorded:
            changes["public_base_url"] = recorded
    if not settings.database_url:
        changes["database_url"] = db.sqlite_url(folder)
    if not settings.redis_url:
        changes["redis_url"] = embedded_url(folder)
    if not settings.secret_key:
        changes["secret_key"] = instance_secret(folder, "secret_key")
    if not settings.twilio_auth_token:
        changes["twilio_auth_token"] = instance_secret(folder, "twilio_token", 24)
    return settings.replace(**changes) if changes else settings


def check_calendar(settings: Settings) -> None:
    """A calendar or time zone that cannot be loaded stops the start, in one line."""
    try:
        load_calendar(settings.calendar, [])
    except ValueError as exc:
        raise SettingsError(f"CALLQ_CALENDAR: {exc}") from None
    if settings.timezone:
        try:
            ZoneInfo(settings.timezone)
        except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
            raise SettingsError(
                f"CALLQ_TIMEZONE: unknown time zone {settings.timezone!r}") from None


def settings_from(environ: Mapping[str, str] | None = None,
                  overrides: Mapping[str, Any] | None = None) -> Settings:
    """Settings of this process: defaults < environment < overrides, embedded defaults filled."""
    environ = os.environ if environ is None else environ
    settings = load_settings(environ, overrides)
    check_calendar(settings)
    explicit = explicit_settings(environ, overrides)
    return resolve_embedded(locate_instance(settings, explicit), explicit)


def explicit_settings(environ: Mapping[str, str],
                      overrides: Mapping[str, Any] | None) -> frozenset[str]:
    """The attributes the environment or the overrides set (not left to their defaults)."""
    names = {key.removeprefix(PREFIX).lower() for key in environ if key.startswith(PREFIX)}
    names |= {key.lower().removeprefix(PREFIX.lower()) for key in overrides or {}}
    return frozenset(names)


def build_runtime(settings: Settings, adapters: Adapters | None = None,
                  clock: Clock = utcnow) -> Runtime:
    """Wire the adapters the settings describe (or the ones given); no I/O happens here."""
    given = adapters or {}
    engine = given.get("engine") or db.build_engine(settings.database_url)
    redis = given.get("redis") or Redis.from_url(settings.redis_url, socket_timeout=5,
                                                 socket_connect_timeout=2)
    queue = given.get("queue") or RQQueue(redis, settings.queue_name,
                                          job_timeout=settings.effect_lease_seconds)
    sessions = db.session_factory(engine)
    # Effects a commit made due are sent to Redis by a thread, after the answer; a queue the
    # caller gave (tests) gets them at once, in the committing thread.
    hand_over = queue if "queue" in given else HandOver(queue, merge=effects.batched)
    effects.install_after_commit(sessions, hand_over, handlers.pool_of)
    mailer = given.get("mailer") or build_mailer(settings)
    calls = given.get("calls") or build_gateway(settings, sessions, given.get("twilio_http"))
    mailbox = given.get("mailbox") or open_mailbox
    if settings.clock_offset_seconds:
        clock = shifted(clock, settings.clock_offset_seconds)
    return Runtime(settings=settings, clock=clock, engine=engine, sessions=sessions,
                   redis=redis, queue=queue, mailer=mailer, calls=calls,
                   handlers=handlers.Effects(), bridge_results=handlers.BridgeResults(),
                   pool_of=handlers.pool_of, mailbox=mailbox, hand_over=hand_over)


def shifted(clock: Clock, seconds: float) -> Clock:
    """A clock running `seconds` ahead of `clock` (CALLQ_CLOCK_OFFSET_SECONDS: skew tests)."""
    offset = timedelta(seconds=seconds)
    return lambda: clock() + offset


def runtime_from_environment(environ: Mapping[str, str] | None = None,
                             overrides: Mapping[str, Any] | None = None,
                             adapters: Adapters | None = None,
                             clock: Clock = utcnow) -> Runtime:
    """The usual composition: settings from the environment, then the adapters they name."""
    return build_runtime(settings_from(environ, overrides), adapters, clock)
