"""Without a pre-ping, a PostgreSQL connection the server dropped fails its first statement:
the webhook runs its transaction again once, on a fresh connection, and the caller hears the
greeting (not a 500); the call is written once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from callq.app import create_app
from callq.db import build_engine
from callq.models import Call
from tests.conftest import settings_for, truncate
from tests.voice_support import incoming, post, speech, twiml, verbs

MONDAY_10H = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
NAME = "callq-dropped-connection-test"  # only this app's connections are killed


@pytest.fixture
def pg_app(tmp_path, pg_database, clock, mailer, queue):
    engine = build_engine(pg_database, pool_size=2, max_overflow=0,
                          connect_args={"application_name": NAME})
    truncate(engine)
    app = create_app(settings_for(tmp_path, engine),
                     adapters={"engine": engine, "mailer": mailer, "queue": queue}, clock=clock)
    app.testing = True
    yield app
    engine.dispose()


def _kill_connections(app) -> int:
    """Terminate, from another connection, the server processes of the app's pool."""
    url = app.extensions["callq"].settings.database_url
    admin = build_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            return conn.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = :name"),
                {"name": NAME}).scalar_one()
    finally:
        admin.dispose()


def test_a_dropped_connection_is_not_pre_pinged(pg_app):
    assert pg_app.extensions["callq"].engine.pool._pre_ping is False


def test_a_webhook_on_a_dropped_connection_runs_once_more_and_answers(pg_app, clock):
    clock.set(MONDAY_10H)
    client = pg_app.test_client()
    assert verbs(twiml(post(client, "/twilio/voice", incoming(1)))), "warm the pool"
    assert _kill_connections(pg_app) >= 1
    answer = post(client, "/twilio/voice", incoming(2))
    assert answer.status_code == 200, answer.data
    assert verbs(twiml(answer))
    assert _kill_connections(pg_app) >= 1
    answer = post(client, "/twilio/gather?lang=fr", speech(2, "Imprimante en panne"))
    assert answer.status_code == 200, answer.data
    with pg_app.extensions["callq"].sessions() as session:
        assert session.scalar(select(func.count()).select_from(Call)) == 2
