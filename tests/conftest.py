"""Fixtures: databases (SQLite always, PostgreSQL when configured), Redis, app, clock.

PostgreSQL: set CALLQ_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1/test);
each run creates its own database next to it and drops it at the end. Redis: set
CALLQ_TEST_REDIS_URL, else an embedded redis-server is started. Under CI=true a configured
service that cannot be reached FAILS the tests that need it; it is never skipped silently.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from redis import Redis
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url

from callq.adapters.jobs import RecordingQueue
from callq.adapters.redis_server import EmbeddedRedis
from callq.app import create_app
from callq.db import build_engine
from callq.models import Base
from callq.runtime import Runtime
from tests.fakes import FrozenClock, RecordingMailer

CI = os.environ.get("CI", "").lower() == "true"
PG_URL = os.environ.get("CALLQ_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("CALLQ_TEST_REDIS_URL", "")


def unavailable(what: str) -> None:
    """Fail under CI, skip (with the reason in the summary) on a bare machine."""
    if CI:
        pytest.fail(f"{what} (CI=true: tests needing it must run)", pytrace=False)
    pytest.skip(what)


# --- PostgreSQL: one private database per test run -------------------------------------

@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    if not PG_URL:
        unavailable("PostgreSQL not configured: set CALLQ_TEST_DATABASE_URL")
    base = make_url(PG_URL)
    name = f"callq_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        unavailable(f"PostgreSQL unreachable at {base.render_as_string()}: {exc}")
    url = base.set(database=name).render_as_string(hide_password=False)
    engine = build_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_engine(pg_database: str) -> Iterator[Engine]:
    engine = build_engine(pg_database, pool_size=30, max_overflow=30)
    yield engine
    engine.dispose()


def truncate(engine: Engine) -> None:
    """Empty every table of the schema (PostgreSQL, between tests sharing its database)."""
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = build_engine(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A fresh, empty schema on each backend in turn."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_engine")
        return
    pg = request.getfixturevalue("pg_engine")
    truncate(pg)
    yield pg


# --- Redis ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if REDIS_URL:
        try:
            Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
        except Exception as exc:
            unavailable(f"Redis unreachable at {REDIS_URL}: {exc}")
        yield REDIS_URL
        return
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"))
    try:
        url = server.start()
    except Exception as exc:
        unavailable(f"embedded Redis could not start: {exc}")
    yield url
    server.stop()


@pytest.fixture
def redis_client(redis_url: str) -> Redis:
    return Redis.from_url(redis_url)


@pytest.fixture
def queue_name() -> str:
    # Unique per test: runs sharing one Redis server never see each other's jobs.
    return f"callq-test-{os.getpid()}-{secrets.token_hex(4)}"


# --- the app ----------------------------------------------------------------------------

@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def mailer() -> RecordingMailer:
    return RecordingMailer()


@pytest.fixture
def queue() -> RecordingQueue:
    return RecordingQueue()


def settings_for(tmp_path: Path, engine: Engine, **extra: Any) -> dict[str, Any]:
    """Test settings: instance folder in tmp, known secrets, the given database."""
    return {
        "env": "test",
        "instance_path": str(tmp_path / "instance"),
        "database_url": engine.url.render_as_string(hide_password=False),
        "redis_url": extra.pop("redis_url", "redis://127.0.0.1:1/0"),
        "secret_key": "test-secret-key",
        "twilio_auth_token": "test-twilio-token",
        "public_base_url": "https://callq.example.test",
        "api_token": "test-api-token",
        "mail_from": "Support <support@callq.example.test>",
        "hotline_phone": "+33478000002",
        **extra,
    }


@pytest.fixture
def app(tmp_path: Path, engine: Engine, clock: FrozenClock, mailer: RecordingMailer,
        queue: RecordingQueue) -> Flask:
    """The app on each backend, with a frozen clock, recording mailer and queue."""
    flask_app = create_app(
        settings_for(tmp_path, engine),
        adapters={"engine": engine, "mailer": mailer, "queue": queue},
        clock=clock,
    )
    flask_app.testing = True
    queue.run_now = filing_at_once(flask_app.extensions["callq"])
    return flask_app


def filing_at_once(runtime: Runtime) -> Callable[[str, tuple[Any, ...]], bool]:
    """The test harness's worker for accepted needs: a webhook's filing (intake_file) runs as
    soon as the webhook's transaction hands it over, so a test reads the list right after;
    every other job waits for run_due_jobs."""
    from callq.effects import JOB, run_effect
    from callq.intake import FILE
    from callq.models import SideEffect

    def run_now(function: str, args: tuple[Any, ...]) -> bool:
        if function != JOB:
            return False
        with runtime.sessions() as session:
            kind = session.scalar(select(SideEffect.kind).where(SideEffect.id == args[0]))
        if kind != FILE:
            return False
        run_effect(runtime, *args)
        return True

    return run_now


@pytest.fixture
def runtime(app: Flask) -> Runtime:
    return app.extensions["callq"]


def run_due_jobs(runtime: Runtime, queue: RecordingQueue) -> int:
    """Run every job the recording queue holds (as a worker would), until none is left."""
    from callq.effects import run_effect

    count = 0
    while queue.jobs:
        function, args = queue.jobs.pop(0)
        assert function == "callq.effects.run_effect", function
        run_effect(runtime, *args)
        count += 1
    return count


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say how many tests ran on each database backend (CI's log must show PostgreSQL ran)."""
    counts: dict[str, dict[str, int]] = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            for backend in ("sqlite", "postgresql"):
                if f"[{backend}" in nodeid or f"-{backend}]" in nodeid or f"-{backend}-" in nodeid:
                    slot = counts.setdefault(backend, {})
                    slot[outcome] = slot.get(outcome, 0) + 1
    for backend, by_outcome in sorted(counts.items()):
        text = ", ".join(f"{n} {outcome}" for outcome, n in sorted(by_outcome.items()))
        terminalreporter.write_line(f"database backend {backend}: {text}")
