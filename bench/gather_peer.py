"""The hand-written peer of `/twilio/gather` (issue 17): the same job written minimally, served
by the same gunicorn as callq in the same run, so every run says how far callq is from it.

One request: read CallSid, From and SpeechResult from the form, write the message and its entry
(SQLite: two INSERTs in one BEGIN IMMEDIATE; PostgreSQL: one statement, a CTE), answer TwiML.
No signature check, no classification, no outbox, no ORM: a floor, not a competitor. It writes
its own two tables (`peer_entries`, `peer_messages`, made by `create_tables`) beside callq's, so
the same prepared requests write new rows for both; a CallSid seen before is answered unwritten
(the bench warns when wrk came back to requests already sent).
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, request
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

URL = os.environ.get("CALLQ_DATABASE_URL", "")
TWIML = ('<?xml version="1.0" encoding="UTF-8"?><Response><Say language="fr-FR">Merci.</Say>'
         '<Record action="/twilio/record" maxLength="120" /></Response>')
TABLES = (
    "CREATE TABLE IF NOT EXISTS peer_entries (id {pk}, caller_number VARCHAR(20), "
    "need_text TEXT, status VARCHAR(20) NOT NULL, arrived_at {ts} NOT NULL)",
    "CREATE TABLE IF NOT EXISTS peer_messages (id {pk}, entry_id INTEGER NOT NULL "
    "REFERENCES peer_entries (id), call_sid VARCHAR(64) NOT NULL UNIQUE, "
    "from_number VARCHAR(20), speech_text TEXT, received_at {ts} NOT NULL)",
)
_PG_INSERT = (
    "WITH e AS (INSERT INTO peer_entries (caller_number, need_text, status, arrived_at) "
    "VALUES (%(number)s, %(need)s, 'waiting', %(at)s) RETURNING id) "
    "INSERT INTO peer_messages (entry_id, call_sid, from_number, speech_text, received_at) "
    "SELECT id, %(sid)s, %(number)s, %(need)s, %(at)s FROM e")

app = Flask(__name__)
_connection: Any = None


def create_tables(engine: Engine) -> None:
    """The peer's two tables, in the instance's database (before the peer is served)."""
    sqlite_ = engine.dialect.name == "sqlite"
    with engine.begin() as conn:
        for statement in TABLES:
            conn.execute(text(statement.format(
                pk="INTEGER PRIMARY KEY" if sqlite_ else "SERIAL PRIMARY KEY",
                ts="TEXT" if sqlite_ else "TIMESTAMPTZ")))


def _connect() -> Any:
    url = make_url(URL)
    if url.get_backend_name() == "sqlite":
        connection = sqlite3.connect(url.database or "", timeout=30, isolation_level=None,
                                     check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection
    import psycopg

    return psycopg.connect(url.set(drivername="postgresql").render_as_string(
        hide_password=False))


@app.route("/healthz")
def healthz() -> str:
    return ""


@app.post("/twilio/gather")
def gather() -> Response:
    global _connection
    if _connection is None:
        _connection = _connect()  # one per gunicorn worker, opened after the fork
    form = request.form
    values = {"sid": form["CallSid"], "number": form.get("From"),
              "need": form.get("SpeechResult", ""), "at": datetime.now(UTC)}
    if isinstance(_connection, sqlite3.Connection):
        at = values["at"].isoformat()
        _connection.execute("BEGIN IMMEDIATE")
        try:
            entry = _connection.execute(
                "INSERT INTO peer_entries (caller_number, need_text, status, arrived_at) "
                "VALUES (?, ?, 'waiting', ?)", (values["number"], values["need"], at)).lastrowid
            _connection.execute(
                "INSERT INTO peer_messages (entry_id, call_sid, from_number, speech_text, "
                "received_at) VALUES (?, ?, ?, ?, ?)",
                (entry, values["sid"], values["number"], values["need"], at))
            _connection.execute("COMMIT")
        except sqlite3.IntegrityError:  # a CallSid seen before: answered again, unwritten
            _connection.execute("ROLLBACK")
        except BaseException:
            _connection.execute("ROLLBACK")
            raise
    else:
        import psycopg

        try:
            with _connection.transaction():
                _connection.execute(_PG_INSERT, values)
        except psycopg.errors.UniqueViolation:  # a CallSid seen before, as above
            pass
    return Response(TWIML, mimetype="text/xml")
