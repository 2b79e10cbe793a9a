"""The "same statements" peer's tables and statements (bench/gather_same.py): its own tables
beside callq's, with the indexes callq has on the same rows, and the statements one request
runs, written once per dialect.

Reads of callq's tables (the call, the client of the number, the agents on duty, the week's
callbacks) are one statement; the writes are the old job's (callq/intake.py at 3faed4a), less
the ORM's extra ones: the entry inserted with its final values (not INSERT then UPDATE), the
message once with its entry, the call's row read and neither upserted nor given the entry's id
(callq's tables stay read-only: the message's call_sid and entry_id are that link).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace

from sqlalchemy import Engine, text

from callq import db
from callq.entry_writer import LIFECYCLE
from callq.standing import CALLED_BACK, LISTED
from callq.status import OPEN_STATUSES

TABLES = (
    "CREATE TABLE IF NOT EXISTS same_entries (id {pk}, status VARCHAR(20) NOT NULL, "
    "tier VARCHAR(10) NOT NULL, tier_rank INTEGER NOT NULL, vague BOOLEAN NOT NULL, need_text "
    "TEXT, classification {json} NOT NULL, tier_set_by_agent BOOLEAN NOT NULL, caller_number "
    "VARCHAR(20), caller_email VARCHAR(320), client_id INTEGER, language VARCHAR(5) NOT NULL, "
    "arrived_at {ts} NOT NULL, queued_at {ts} NOT NULL, due_at {ts}, messages_count INTEGER NOT "
    "NULL, attempts INTEGER NOT NULL, available_at {ts}, claimed_by INTEGER, lease_expires_at "
    "{ts}, awaiting_since {ts}, outcome VARCHAR(30), closed_at {ts}, version INTEGER NOT NULL, "
    "first_attempt_at {ts}, first_attempt_by INTEGER, qualified_at {ts}, resolved_by INTEGER, "
    "clock_waits {json})",
    "CREATE TABLE IF NOT EXISTS same_messages (id {pk}, entry_id INTEGER NOT NULL REFERENCES "
    "same_entries (id), channel VARCHAR(10) NOT NULL, call_sid VARCHAR(64) UNIQUE, from_number "
    "VARCHAR(20), received_at {ts} NOT NULL, speech_text TEXT, speech_confidence FLOAT, "
    "complete BOOLEAN NOT NULL)",
    "CREATE TABLE IF NOT EXISTS same_events (id {pk}, entry_id INTEGER NOT NULL REFERENCES "
    "same_entries (id), at {ts} NOT NULL, actor VARCHAR(20) NOT NULL, agent_id INTEGER, kind "
    "VARCHAR(40) NOT NULL, detail {json} NOT NULL, reason TEXT)",
    "CREATE TABLE IF NOT EXISTS same_short_links (id {pk}, code VARCHAR(16) NOT NULL UNIQUE, "
    "target VARCHAR(2000) NOT NULL, expires_at {ts} NOT NULL, created_at {ts} NOT NULL)",
    "CREATE TABLE IF NOT EXISTS same_outbox (id {pk}, key VARCHAR(200) NOT NULL UNIQUE, kind "
    "VARCHAR(40) NOT NULL, payload {json} NOT NULL, due_at {ts} NOT NULL, status VARCHAR(10) "
    "NOT NULL, attempts INTEGER NOT NULL, enqueued_at {ts}, done_at {ts}, created_at {ts} NOT "
    "NULL)",
    # callq's indexes on the same rows (callq.models): what writing such a row costs there.
    "CREATE INDEX IF NOT EXISTS ix_same_entries_order ON same_entries "
    "(status, vague, tier_rank, queued_at, id)",
    "CREATE INDEX IF NOT EXISTS ix_same_entries_caller ON same_entries (caller_number, status)",
    "CREATE INDEX IF NOT EXISTS ix_same_entries_client ON same_entries (client_id, status)",
    "CREATE INDEX IF NOT EXISTS ix_same_entries_email ON same_entries (caller_email, status)",
    "CREATE INDEX IF NOT EXISTS ix_same_entries_arrived ON same_entries "
    "(arrived_at, tier, outcome, vague)",
    "CREATE INDEX IF NOT EXISTS ix_same_entries_closed ON same_entries (closed_at)",
    "CREATE INDEX IF NOT EXISTS ix_same_messages_entry ON same_messages (entry_id)",
    "CREATE INDEX IF NOT EXISTS ix_same_messages_received ON same_messages "
    "(received_at, entry_id)",
    "CREATE INDEX IF NOT EXISTS ix_same_events_entry ON same_events (entry_id)",
    "CREATE INDEX IF NOT EXISTS ix_same_events_kind_at ON same_events "
    "(kind, at, agent_id, entry_id)",
    "CREATE INDEX IF NOT EXISTS ix_same_outbox_due ON same_outbox (status, due_at)",
    "CREATE INDEX IF NOT EXISTS ix_same_outbox_done ON same_outbox (status, done_at)",
)
# The lifecycle's instants, read back as datetimes (SQLite keeps them as text).
INSTANTS = ("lease_expires_at", "available_at", "awaiting_since", "closed_at",
            "first_attempt_at", "qualified_at")
_ENTRY = ("tier", "tier_rank", "vague", "need_text", "classification",
          "tier_set_by_agent", "caller_number", "caller_email", "client_id", "language",
          "arrived_at", "queued_at", "due_at", "messages_count", *LIFECYCLE)
# A repeated message (R8): its entry's place, count and lifecycle; one stating the need the
# entry left unsaid also sets the need, its classification and due time.
_ATTACHED = ("tier", "tier_rank", "queued_at", "messages_count", "client_id", "caller_email",
             *LIFECYCLE)
_STATED = (*_ATTACHED, "vague", "need_text", "classification", "due_at")


def _listed(statuses: Sequence[str]) -> str:
    return ", ".join(f"'{status}'" for status in statuses)


def statements(dialect: str) -> SimpleNamespace:
    """The request's statements for one dialect (built once per process: SQLAlchemy's
    compiled cache and psycopg's server-side preparation keep them)."""
    def json_(name: str) -> str:
        return f"CAST(:{name} AS JSONB)" if dialect == "postgresql" else f":{name}"

    def values(names: Sequence[str]) -> str:
        return ", ".join(json_(n) if n in {"classification", "clock_waits"} else f":{n}"
                         for n in names)

    return SimpleNamespace(
        read=text(
            "SELECT c.purpose, c.created_at, c.mode, m.entry_id, k.id, k.name, k.email, "
            "k.language, k.product_version, (SELECT count(*) FROM agents a WHERE a.active AND "
            "a.id NOT IN (SELECT agent_id FROM absences WHERE starts_at <= :now AND ends_at > "
            ":now)) AS agents, (SELECT count(*) FROM waiting_entries w WHERE w.closed_at >= "
            f":since AND w.outcome IN ({_listed(CALLED_BACK)})) AS callbacks "
            "FROM (SELECT 1 AS one) o "
            "LEFT JOIN calls c ON c.call_sid = :sid "
            "LEFT JOIN same_messages m ON m.call_sid = :sid "
            "LEFT JOIN client_phones p ON p.number = :number "
            "LEFT JOIN clients k ON k.id = p.client_id"),
        lock=text("SELECT pg_advisory_xact_lock(hashtextextended(:identity, 0))"),
        open_entries=text(
            f"SELECT id, tier, need_text, queued_at, client_id, caller_email, "
            f"{', '.join(name for name in LIFECYCLE)}, vague, tier_set_by_agent, "
            f"messages_count FROM same_entries WHERE status IN ({_listed(OPEN_STATUSES)}) AND "
            "(caller_number = :number OR client_id = :client) "
            "ORDER BY vague, tier_rank, queued_at, id"),
        new_entry=text(f"INSERT INTO same_entries ({', '.join(_ENTRY)}) "
                       f"VALUES ({values(_ENTRY)}) RETURNING id"),
        attach=text("UPDATE same_entries SET "
                    + ", ".join(f"{n} = {values([n])}" for n in _ATTACHED) + " WHERE id = :id"),
        state=text("UPDATE same_entries SET "
                   + ", ".join(f"{n} = {values([n])}" for n in _STATED) + " WHERE id = :id"),
        seen=text("SELECT entry_id FROM same_messages WHERE call_sid = :sid"),
        message=text(
            "INSERT INTO same_messages (entry_id, channel, call_sid, from_number, received_at, "
            "speech_text, speech_confidence, complete) VALUES (:entry_id, 'voice', :sid, "
            ":number, :received_at, :need, :confidence, :complete) RETURNING id"),
        event=text("INSERT INTO same_events (entry_id, at, actor, agent_id, kind, detail, "
                   f"reason) VALUES (:entry_id, :at, :actor, :agent_id, :kind, "
                   f"{json_('detail')}, :reason)"),
        place=text(
            "SELECT e.status, (SELECT count(*) FROM same_entries o WHERE o.status IN "
            f"({_listed(LISTED)}) AND (o.vague, o.tier_rank, o.queued_at, o.id) < "
            "(e.vague, e.tier_rank, e.queued_at, e.id)) FROM same_entries e WHERE e.id = :id"),
        short_link=text("INSERT INTO same_short_links (code, target, expires_at, created_at) "
                        "VALUES (:code, :target, :expires_at, :created_at)"),
        outbox=text(
            "INSERT INTO same_outbox (key, kind, payload, due_at, status, attempts, enqueued_at, "
            f"created_at) VALUES (:key, :kind, {json_('payload')}, :due, 'pending', 0, :due, "
            ":due) ON CONFLICT (key) DO NOTHING RETURNING id"),
    )


def create_tables(engine: Engine) -> None:
    """The peer's tables and indexes, in the instance's database (before the peer is served)."""
    sqlite_ = db.is_sqlite(engine)
    with engine.begin() as conn:
        for statement in TABLES:
            conn.execute(text(statement.format(
                pk="INTEGER PRIMARY KEY" if sqlite_ else "SERIAL PRIMARY KEY",
                ts="TEXT" if sqlite_ else "TIMESTAMPTZ", json="TEXT" if sqlite_ else "JSONB")))
