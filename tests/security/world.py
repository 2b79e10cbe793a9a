"""The world the security tests attack: one app per backend (a frozen Monday morning, recording
mailer and queue), seeded through the services with agents, clients, entries in every status
(one merged, one closed), appointments, calls and bridges; an agent's browser logged in with its
CSRF token; and a cheap fingerprint of every table, to tell whether a request changed a row."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.pool import NullPool
from twilio.request_validator import RequestValidator

from callq import db
from callq.adapters.jobs import RecordingQueue
from callq.app import create_app
from callq.models import Agent, Base, Bridge, Message
from callq.runtime import Runtime
from callq.workspace import claims, client_cancel, requalify
from scheduling import booking
from tests.conftest import settings_for
from tests.fakes import FrozenClock, RecordingMailer
from tests.workspace_data import PASSWORD, add_agent, add_client, add_entry

# Monday 30 March 2026, 10:00 in Paris: the hotline is live, afternoons are bookable.
NOW = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
AGENT_EMAIL = "fuzz@example.test"
SECRET = "fuzz-secret-key-0123456789-abcdefghijklmnop"
TWILIO_TOKEN = "fuzz-twilio-token-0123456789abcdef"
API_TOKEN = "fuzz-api-token-0123456789-abcdefghijklmn"
# A refused login is written down on purpose (the limit counts failures in the database).
UNCHECKED_TABLES = frozenset({"login_failures"})
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
COUNTER = "fuzz_changed_rows"


def install_counter(engine: Engine) -> None:
    """PostgreSQL: every row inserted, updated or deleted in a checked table adds one to
    COUNTER, in the same transaction (a rolled-back change counts nothing)."""
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE IF NOT EXISTS {COUNTER} (n bigint NOT NULL)"))
        conn.execute(text(f"DELETE FROM {COUNTER}"))
        conn.execute(text(f"INSERT INTO {COUNTER} VALUES (0)"))
        conn.execute(text(
            f"CREATE OR REPLACE FUNCTION {COUNTER}_count() RETURNS trigger AS $$ BEGIN "
            f"UPDATE {COUNTER} SET n = n + 1; RETURN NULL; END $$ LANGUAGE plpgsql"))
        for table in _checked():
            conn.execute(text(
                f'CREATE OR REPLACE TRIGGER {COUNTER} AFTER INSERT OR UPDATE OR DELETE ON '
                f'"{table.name}" FOR EACH ROW EXECUTE FUNCTION {COUNTER}_count()'))


def remove_counter(engine: Engine) -> None:
    """Drop what install_counter added (the database is shared with the other tests)."""
    with engine.begin() as conn:
        for table in _checked():
            conn.execute(text(f'DROP TRIGGER IF EXISTS {COUNTER} ON "{table.name}"'))
        conn.execute(text(f"DROP FUNCTION IF EXISTS {COUNTER}_count()"))
        conn.execute(text(f"DROP TABLE IF EXISTS {COUNTER}"))


def _checked() -> list[Any]:
    return [t for t in Base.metadata.sorted_tables if t.name not in UNCHECKED_TABLES]


@dataclass
class World:
    """One backend's app, its seeded rows and the clients that attack it."""

    backend: str
    app: Flask
    runtime: Runtime
    engine: Engine
    agent: FlaskClient = field(init=False)  # logged in as the fuzz agent
    anonymous: FlaskClient = field(init=False)
    csrf: str = ""
    agent_id: int = 0
    feed_tokens: list[str] = field(default_factory=list)
    call_sids: list[str] = field(default_factory=list)
    recording_sids: list[str] = field(default_factory=list)
    fingerprint: Any = None
    _seen_version: Any = None
    _watcher: Any = None

    def _watch(self) -> Any:
        # One connection kept open: data_version compares commits of the others since its own
        # last look.
        if self._watcher is None:
            # Outside the app's pool: an autocommit connection of its own, so each look sees
            # the latest commit and nothing of the app's connections is touched.
            self._watcher = create_engine(self.engine.url, poolclass=NullPool).raw_connection()
            if self.backend == "postgresql":
                self._watcher.driver_connection.autocommit = True
        return self._watcher.driver_connection

    def close(self) -> None:
        """Close the watching connection."""
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None

    def __post_init__(self) -> None:
        self.agent = self.app.test_client()
        self.anonymous = self.app.test_client()

    @property
    def base_url(self) -> str:
        return self.runtime.settings.public_base_url.rstrip("/")

    def sign(self, path_and_query: str, form: dict[str, str]) -> str:
        """X-Twilio-Signature of a POST to this path and query, as Twilio computes it."""
        return RequestValidator(TWILIO_TOKEN).compute_signature(
            self.base_url + path_and_query, form)

    def log_in(self) -> None:
        """(Again) log the agent's browser in, from an address the fuzzing never uses."""
        self.agent = self.app.test_client()
        found = _CSRF.search(self.agent.get("/login").get_data(as_text=True))
        assert found, "no CSRF token on the login page"
        self.csrf = found.group(1)
        response = self.agent.post("/login", data={"email": AGENT_EMAIL, "password": PASSWORD,
                                                   "csrf_token": self.csrf},
                                   environ_overrides={"REMOTE_ADDR": "192.0.2.10"})
        assert response.status_code == 302, response.status_code

    def state(self) -> Any:
        """A fingerprint of every row of every table (but UNCHECKED_TABLES).

        SQLite first asks its data_version, which moves whenever another connection commits a
        change: when it has not moved, nothing changed and the last fingerprint stands.
        PostgreSQL counts changed rows in a trigger on every table (install_counter)."""
        if self.backend == "postgresql":
            return self._watch().execute(f"SELECT n FROM {COUNTER}").fetchone()[0]
        if self.backend == "sqlite":
            version = self._watch().execute("PRAGMA data_version").fetchone()[0]
            if version == self._seen_version and self.fingerprint is not None:
                return self.fingerprint
            self._seen_version = version
        with self.engine.connect() as conn:
            digest = hashlib.sha256()
            for table in _checked():
                rows = conn.execute(select(table)).all()
                digest.update(repr(sorted(map(repr, rows))).encode())
            return digest.hexdigest()


def build_world(backend: str, engine: Engine, folder: Path) -> World:
    """The app on `engine` (schema created), seeded, with the agent logged in."""
    Base.metadata.create_all(engine)
    if backend == "postgresql":
        install_counter(engine)
    settings = settings_for(folder, engine, secret_key=SECRET, twilio_auth_token=TWILIO_TOKEN,
                            api_token=API_TOKEN)
    app = create_app(settings, adapters={"engine": engine, "mailer": RecordingMailer(),
                                         "queue": RecordingQueue()}, clock=FrozenClock(NOW))
    app.testing = False  # an error is answered as production answers it: a 500, counted
    world = World(backend, app, app.extensions["callq"], engine)
    _seed(world)
    world.log_in()
    world.fingerprint = world.state()
    return world


def _seed(world: World) -> None:
    runtime = world.runtime
    world.agent_id = add_agent(runtime, "Fuzz", email=AGENT_EMAIL)
    other = add_agent(runtime, "Other", phone="+33612000003")
    add_agent(runtime, "Admin", phone="+33612000004", admin=True)
    add_agent(runtime, "Gone", phone="+33612000005", active=False)
    add_agent(runtime, "Line\nBreak", email="line@example.test", phone="+33612000006")
    lilas = add_client(runtime)
    add_client(runtime, "Cabinet Roux", email="roux@example.test", phone="+33478000002")
    entries = [add_entry(runtime, client_id=lilas, messages=2)]
    entries += [add_entry(runtime, need, caller=caller, vague=need is None)
                for need, caller in (("Le serveur est en panne", "+33478000002"),
                                     (None, "+33699000001"), ("Question sur l'export", None),
                                     ("Imprimante bloquée", "+33612345678"))]
    entries.append(add_entry(runtime, "Sauvegarde impossible", client_id=lilas))
    claims.claim(runtime, other, entries[1], 1)
    # One entry merged into another of the same client, one closed by its client.
    requalify.merge(runtime, agent_id=world.agent_id, entry_id=entries[0], version=1,
                    other_id=entries[5], reason="same need")
    client_cancel.cancel_by_client(runtime, entries[3])
    _seed_planner(world, entries[4])
    _seed_calls(world, entries[0])


def _seed_planner(world: World, entry_id: int) -> None:
    runtime = world.runtime
    with db.write(runtime.sessions) as session:
        for hour, entry in ((12, entry_id), (13, None)):
            booking.book_slot(session, runtime, start=NOW.replace(hour=hour), client_name="Roux",
                              client_email="roux@example.test", client_phone="+33478000002",
                              client_id=None, entry_id=entry, lang="fr", agent_id=world.agent_id)
    with db.read(runtime.sessions) as session:
        world.feed_tokens = list(session.scalars(select(Agent.feed_token)))


def _seed_calls(world: World, entry_id: int) -> None:
    """Two voicemails through the signed webhooks, and two bridges of the fuzz agent."""
    client = world.app.test_client()
    for n, need in ((1, "Impossible de facturer"), (2, "")):
        sid = f"CA{n:032x}"
        world.call_sids.append(sid)
        for path, form in (("/twilio/voice", {"CallSid": sid, "From": "+33612345678"}),
                           ("/twilio/gather?lang=fr", {"CallSid": sid, "SpeechResult": need})):
            response = client.post(path, data=form,
                                   headers={"X-Twilio-Signature": world.sign(path, form)})
            assert response.status_code == 200, (path, response.get_data(as_text=True))
    runtime = world.runtime
    with db.write(runtime.sessions) as session:
        session.add(Bridge(key="fuzz-1", purpose="callback", agent_id=world.agent_id,
                           entry_id=entry_id, client_number="+33612345678"))
        session.add(Bridge(key="fuzz-2", purpose="appointment", agent_id=world.agent_id,
                           appointment_id=1, client_number="+33478000002"))
        message = session.scalar(select(Message).where(Message.call_sid == world.call_sids[0]))
        assert message is not None
        message.recording_sid = f"RE{1:032x}"
    world.recording_sids.append(f"RE{1:032x}")
