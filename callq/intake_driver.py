"""The intake's hot paths on the driver's connection (issue 17): prepared statements, no ORM
unit of work, one transaction each (callq.db.driver_write).

`/twilio/gather` (`keep_need`): keep the stated need with its message and turn the call's
pending safety net into the filing (else record a filing row of its own); nothing is read or
classified first (the worker that files does that).

SQLite: three statements under BEGIN IMMEDIATE (the call's row read, the message, the outbox
row). PostgreSQL: the same three as one statement (a CTE) in autocommit, one round trip. The
call's row is written only by the call's first callback (the caller's number parsed then).
Both write the rows the ORM path would (callq.intake's `_upsert_call`, `_message_of`,
`effects.schedule`): `tests/integration/test_intake_driver.py` reads them back through it.

`/twilio/voice` (`start_call`): a new call's row and its safety net written, and what the
greeting needs read (the client of the number, the agents on duty to ring), in the same
transaction (SQLite: the two reads just before it, outside the write lock; PostgreSQL: one
statement). A call whose row exists already (a retried webhook, a later callback first) writes
nothing here: callq.intake's ORM path takes it, and hears what the first callback decided.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, bindparam, text

from callq import db
from callq.models import Absence, Call, SideEffect

# The call's row: inserted by the first callback that names the call, else left as it is.
_CALL = ("INSERT INTO calls (call_sid, direction, purpose, status, mode, from_number, to_number, "
         "sequence, created_at, updated_at) "
         "VALUES ({call_sid}, 'inbound', 'intake', 'queued', NULL, {number}, NULL, -1, {now}, "
         "{now}) ON CONFLICT (call_sid) DO UPDATE SET call_sid = excluded.call_sid")
# The need on the call's message (created if none): the first speech result stands, and a
# message already filed without one is left to the slow path (callq.intake).
_MESSAGE = ("INSERT INTO messages (channel, call_sid, from_number, received_at, speech_text, "
            "speech_confidence, complete) "
            "SELECT 'voice', {call_sid}, c.from_number, c.created_at, {need}, {confidence}, "
            "{false} FROM {calls} WHERE {intake} "
            "ON CONFLICT (call_sid) DO UPDATE SET speech_text = excluded.speech_text, "
            "speech_confidence = excluded.speech_confidence "
            "WHERE messages.speech_text IS NULL AND messages.entry_id IS NULL RETURNING id")
# The call's pending safety net becomes the filing (one outbox row serves both: the safety net
# is there to see the call filed); a net already run, or running, leaves a row of its own.
# Found by its key alone, its kind and status read through COALESCE so that no index can serve
# them: PostgreSQL's generic plan for this prepared statement, made while the table was empty,
# read "status = 'pending'" through ix_side_effects_done and walked every pending effect on
# each call (0.66 -> 1.3 ms a statement over the first 7,000 calls of a burst).
_NET_FILES = ("UPDATE side_effects SET kind = {kind}, payload = {payload}, due_at = {due}, "
              "enqueued_at = {due} WHERE id = (SELECT id FROM side_effects WHERE key = {net}) "
              "AND COALESCE(kind, '') = 'intake_finalize' AND COALESCE(status, '') = 'pending'"
              "{only} RETURNING id")
_FILING = ("INSERT INTO side_effects (key, kind, payload, due_at, status, attempts, enqueued_at, "
           "created_at) {source} {key}, {kind}, {payload}, {due}, 'pending', 0, {due}, {due}"
           "{from_} ON CONFLICT (key) DO NOTHING RETURNING id")

# A call already announced (the usual case): its row locked, nothing parsed or rewritten.
_CALL_KNOWN = "SELECT purpose, from_number, created_at FROM calls WHERE call_sid = {call_sid}"

_SQLITE = (
    _CALL_KNOWN.format(call_sid="?"),
    _CALL.format(call_sid="?", number="?", now="?") + " RETURNING purpose",
    _MESSAGE.format(call_sid="?", need="?", confidence="?", false="0", calls="calls c",
                    intake="c.call_sid = ? AND c.purpose = 'intake'"),
    _NET_FILES.format(kind="?", payload="?", due="?", net="?", only=""),
    _FILING.format(source="VALUES (", key="?", kind="?", payload="?", due="?", from_=")"),
)


def _postgres(call: str) -> str:
    return (
        f"WITH c AS ({call}), "
        "m AS (" + _MESSAGE.format(call_sid="%(call_sid)s", need="%(need)s",
                                   confidence="%(confidence)s", false="false", calls="c",
                                   intake="c.purpose = 'intake'") + "), "
        "n AS (" + _NET_FILES.format(kind="%(kind)s", payload="%(payload)s::jsonb",
                                     due="%(due)s", net="%(net)s",
                                     only=" AND EXISTS (SELECT 1 FROM m)") + "), "
        "f AS (" + _FILING.format(source="SELECT", key="%(key)s", kind="%(kind)s",
                                  payload="%(payload)s::jsonb", due="%(due)s",
                                  from_=" FROM m WHERE NOT EXISTS (SELECT 1 FROM n)")
        + ") SELECT c.purpose, (SELECT id FROM m), "
        "COALESCE((SELECT id FROM n), (SELECT id FROM f)) FROM c")


_POSTGRES_KNOWN = _postgres(_CALL_KNOWN.format(call_sid="%(call_sid)s") + " FOR UPDATE")
_POSTGRES_NEW = _postgres(
    _CALL.format(call_sid="%(call_sid)s", number="%(number)s", now="%(now)s")
    + " RETURNING purpose, from_number, created_at")


@dataclass(frozen=True)
class Accepted:
    """What the write did: the call's purpose, the message's id when the need was kept (None:
    a duplicate, or a message filed before its need came), the filing's outbox row if new."""

    purpose: str
    message_id: int | None
    filing_id: int | None


def keep_need(engine: Engine, **values: Any) -> Accepted:
    """The need kept and its filing recorded, in one transaction; nothing written when the
    call is not an incoming one (its purpose says so: the caller refuses it)."""
    try:
        return _write(engine, **values)
    except _NotIntake as refused:  # SQLite: rolled back
        return Accepted(refused.purpose, None, None)


def _write(engine: Engine, *, call_sid: str, number: Callable[[], str | None], need: str,
           confidence: float | None, now: datetime, filing_key: str, filing_kind: str,
           filing: dict[str, Any], due: datetime, safety_key: str) -> Accepted:
    with db.driver_write(engine) as cursor:
        if not db.is_sqlite(engine):
            values = {"call_sid": call_sid, "need": need, "confidence": confidence,
                      "key": filing_key, "kind": filing_kind, "payload": json.dumps(filing),
                      "due": due, "net": safety_key}
            row = cursor.execute(_POSTGRES_KNOWN, values).fetchone()
            if row is None:  # the first callback of this call: its row is written here
                row = cursor.execute(_POSTGRES_NEW, values | {
                    "number": number(), "now": now}).fetchone()
            return Accepted(*row)
        instant, document = _sqlite_processors(engine)
        known, call, message, net_files, effect = _SQLITE
        row = cursor.execute(known, (call_sid,)).fetchone()
        if row is None:
            row = cursor.execute(call, (call_sid, number(), instant(now), instant(now))
                                 ).fetchone()
        if row[0] != "intake":
            raise _NotIntake(row[0])
        kept = cursor.execute(message, (call_sid, need, confidence, call_sid)).fetchone()
        filing_id = None
        if kept is not None:
            at, payload = instant(due), document(filing)
            row = cursor.execute(net_files, (filing_kind, payload, at, at, safety_key)
                                 ).fetchone() or cursor.execute(
                effect, (filing_key, filing_kind, payload, at, at, at)).fetchone()
            filing_id = row[0] if row else None
        return Accepted("intake", kept[0] if kept else None, filing_id)


class _NotIntake(Exception):
    def __init__(self, purpose: str) -> None:
        super().__init__(purpose)
        self.purpose = purpose


@lru_cache(maxsize=4)
def _sqlite_processors(engine: Engine) -> tuple[Any, Any]:
    instant, document = db.bind_processors(engine, Call.__table__.c.created_at,
                                           SideEffect.__table__.c.payload)
    return instant, document


# The client of a number (numbers are unique; the columns of callers.caller_of), and the
# agents on duty now, in their order.
_CLIENT = ("SELECT c.id, c.name, c.email, c.language, c.product_version FROM clients c "
           "JOIN client_phones p ON p.client_id = c.id WHERE p.number = {number}")
_ON_DUTY = ("SELECT {columns} FROM agents WHERE active AND phone IS NOT NULL AND phone <> '' "
            "AND id NOT IN (SELECT agent_id FROM absences WHERE starts_at <= {now} "
            "AND ends_at > {now})")
# The same rule for the ORM path (a call whose row exists): one definition of "on duty".
ON_DUTY_PHONES = text(_ON_DUTY.format(columns="phone", now=":now") + " ORDER BY id").bindparams(
    bindparam("now", type_=Absence.__table__.c.starts_at.type))
_NEW_CALL = ("INSERT INTO calls (call_sid, direction, purpose, status, mode, from_number, "
             "to_number, sequence, created_at, updated_at) VALUES ({call_sid}, 'inbound', "
             "'intake', {status}, {mode}, {number}, {to}, -1, {now}, {now}) "
             "ON CONFLICT (call_sid) DO NOTHING RETURNING id")
_SAFETY_NET = ("INSERT INTO side_effects (key, kind, payload, due_at, status, attempts, "
               "created_at) {source} {key}, 'intake_finalize', {payload}, {due}, 'pending', 0, "
               "{now}{from_} ON CONFLICT (key) DO NOTHING")

_START_SQLITE = (
    _NEW_CALL.format(call_sid="?", status="?", mode="?", number="?", to="?", now="?"),
    _CLIENT.format(number="?"),
    _ON_DUTY.format(columns="phone", now="?") + " ORDER BY id",
    _SAFETY_NET.format(source="VALUES (", key="?", payload="?", due="?", now="?", from_=")"),
)
_START_POSTGRES = (
    "WITH client AS (" + _CLIENT.format(number="%(number)s") + "), "
    "duty AS (" + _ON_DUTY.format(columns="id, phone", now="%(now)s") + " AND %(live)s), "
    "call AS (" + _NEW_CALL.format(call_sid="%(call_sid)s", status="%(status)s",
                                   mode="%(mode)s", number="%(number)s", to="%(to)s",
                                   now="%(now)s") + "), "
    "net AS (" + _SAFETY_NET.format(
        source="SELECT", key="%(key)s", due="%(due)s", now="%(now)s", from_=" FROM call",
        payload="jsonb_build_object('call_sid', %(call_sid)s::text, "
                "'rung', EXISTS (SELECT 1 FROM duty))") + ") "
    "SELECT (SELECT id FROM call), client.id, client.name, client.email, client.language, "
    "client.product_version, ARRAY(SELECT phone FROM duty ORDER BY id) "
    "FROM (SELECT 1) AS one LEFT JOIN client ON true"
)


@dataclass(frozen=True)
class Started:
    """A new call's row written (False: it existed, nothing was written), the client of the
    number if any (id, name, email, language, product version) and the phones of the agents
    on duty (read only when `live`)."""

    new: bool
    client: tuple[Any, ...] | None
    on_duty: tuple[str, ...]


def start_call(engine: Engine, *, call_sid: str, number: str | None, to: str | None,
               status: str, mode: str, live: bool, now: datetime, safety_key: str,
               safety_due: datetime) -> Started:
    """A new incoming call's row and safety net (`rung`: agents on duty were rung), with what
    its greeting needs; nothing written when the call's row exists."""
    try:
        return _start(engine, call_sid=call_sid, number=number, to=to, status=status,
                      mode=mode, live=live, now=now, safety_key=safety_key,
                      safety_due=safety_due)
    except _Exists:  # SQLite: rolled back
        return Started(False, None, ())


class _Exists(Exception):
    """The call's row exists: nothing of this transaction is kept."""


def _start(engine: Engine, *, call_sid: str, number: str | None, to: str | None,
           status: str, mode: str, live: bool, now: datetime, safety_key: str,
           safety_due: datetime) -> Started:
    if not db.is_sqlite(engine):
        with db.driver_write(engine) as cursor:
            row = cursor.execute(_START_POSTGRES, {
                "call_sid": call_sid, "number": number, "to": to, "status": status,
                "mode": mode, "live": live, "now": now, "key": safety_key,
                "due": safety_due}).fetchone()
        client = tuple(row[1:6]) if row[1] is not None else None
        return Started(row[0] is not None, client, tuple(row[6]))
    instant, document = _sqlite_processors(engine)
    new_call, client_of, on_duty, safety = _START_SQLITE
    at = instant(now)
    with db.driver_connection(engine) as connection:
        with db.driver_read(engine, connection) as cursor:  # the reads before the write lock
            found = cursor.execute(client_of, (number,)).fetchone() if number else None
            phones = tuple(p for (p,) in cursor.execute(on_duty, (at, at))) if live else ()
        with db.driver_write(engine, connection) as cursor:
            if cursor.execute(new_call, (call_sid, status, mode, number, to, at, at)
                              ).fetchone() is None:
                raise _Exists(call_sid)
            cursor.execute(safety, (safety_key, document({"call_sid": call_sid,
                                                           "rung": bool(phones)}),
                                    instant(safety_due), at))
    return Started(True, tuple(found) if found else None, phones)
