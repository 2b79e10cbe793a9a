"""The "same statements" peer of `/twilio/gather` (issue 17): the job gather did in the request
before callq accepted first and filed in a worker (`intake.record_need` at 3faed4a), written by
hand on SQLAlchemy Core and served by the same gunicorn as callq in the same runs. Issue 17
asks callq's gather for 2.5 times its rate.

One request does the old job: the Twilio signature checked; the call's row, the client of the
number and the team's pace read from callq's tables (read only); the need classified with
callq's lexicon in the caller's language (before the write lock); then, under the caller's lock
(SQLite: callq's writers' turn and BEGIN IMMEDIATE; PostgreSQL: an advisory lock), the
caller's open entries read and the same need looked for with callq's matcher, the entry
written (new, or the message attached to the open one by R8), the message, the history line
from callq's lifecycle, the place counted, and what callq.acknowledge sends as an outbox row
(for the bench's afternoon callers, the booking link by SMS through a short link); after the
commit the row's id is handed to Redis (one RPUSH, where the old job enqueued an RQ job);
TwiML with the place, the probable callback moment and the record prompt. The statements
(bench/gather_same_sql.py) are built once per process; the caller's notice is
bench/gather_same_notice.py.

It writes its own tables (`same_*`, made by `create_tables`), so the same prepared requests
write new rows for both; a CallSid seen before is answered with its entry's place, unwritten.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import Enum
from functools import cache
from types import SimpleNamespace
from typing import Any

from flask import Flask, Response, abort, request
from sqlalchemy import Connection, Row
from sqlalchemy.exc import IntegrityError
from twilio.request_validator import RequestValidator

from bench.gather_same_notice import notice as told
from bench.gather_same_sql import INSTANTS, statements
from bench.gather_same_sql import create_tables as create_tables
from callq import db
from callq.bootstrap import runtime_from_environment
from callq.callers import Caller, caller_of, e164
from callq.calls.greeting import prompt_language
from callq.entry_writer import LIFECYCLE, state_of, stored_waits
from callq.intake import SPEECH_MAX
from callq.placement import classify_need, due_time, lexicon_at
from callq.runtime import Runtime
from callq.standing import LISTED, RATE_WINDOW
from callq.status import Tier
from callq.waiting import explain, lifecycle
from callq.waiting.classify import Classification
from callq.waiting.estimate import Standing, live_hours, recent_rate, standing
from callq.waiting.needs import same_need
from callq.waiting.order import requeue_time, tier_after_repeat
from scheduling.calendar import Mode
from webhooks import params, twiml
from webhooks.prompts import voice_for

QUEUE = "bench:same:outbox"  # where the due outbox rows' ids are handed over
SIMULATED_AT = "CallqSimulatedAt"  # honoured outside production, as callq's webhooks do


class Worker:
    """What one gunicorn worker builds once, after the fork: the runtime (settings, clock,
    calendar, Redis), the engine, the statements and the signature validator."""

    def __init__(self) -> None:
        url = os.environ["CALLQ_DATABASE_URL"]
        self.engine = db.build_engine(url, pool_size=2)
        self.runtime: Runtime = runtime_from_environment(adapters={"engine": self.engine})
        self.settings = self.runtime.settings
        self.sqlite = db.is_sqlite(self.engine)
        self.sql = statements(self.engine.dialect.name)
        self.validator = RequestValidator(self.settings.twilio_auth_token)
        # Start-up work, not a request's: the administrator's calendar, the lexicon and the
        # lemmatizer's dictionary (~0.5 s at the first classification), before any request.
        self.runtime.calendar()
        classify_need(self.runtime, "l'imprimante ne marche plus", self.settings.language)

    def stored(self, value: datetime) -> Any:
        """An instant as the dialect stores it (SQLite: naive UTC text, as SQLAlchemy writes
        callq's, microseconds always: it sorts and compares with theirs)."""
        if not self.sqlite:
            return value
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")

    @cache  # noqa: B019 (one Worker per process, for its life)
    def callbacks(self, lang: str) -> twiml.Callbacks:
        url = self.runtime.url
        return twiml.Callbacks(
            dial_done=url("/twilio/dial-done", lang=lang), gather=url("/twilio/gather", lang=lang),
            standing=url("/twilio/standing", lang=lang), record=url("/twilio/record", lang=lang),
            recording_status=url("/twilio/recording-status"))


app = Flask(__name__)
_worker: Worker | None = None


def create_app() -> Flask:
    """The app, with this process's Worker built (gunicorn `bench.gather_same:create_app()`
    calls it in each worker after the fork, before the worker takes requests)."""
    global _worker
    _worker = Worker()
    return app


@app.route("/healthz")
def healthz() -> str:
    return ""


@app.post("/twilio/gather")
def gather() -> Response:
    """The old gather: the need filed in the request, the place said, name and number asked."""
    w = _worker or abort(503)  # served through create_app()
    query = request.query_string.decode("ascii", "replace")
    url = w.settings.public_base_url.rstrip("/") + request.path + (f"?{query}" if query else "")
    if not w.validator.validate(url, request.form, request.headers.get("X-Twilio-Signature", "")):
        abort(403)
    sid = params.matching("CallSid", params.CALL_SID, required=True) or ""
    need = request.form.get("SpeechResult", "")[:SPEECH_MAX].strip()
    found = _file(w, sid, request.form.get("From"), need, params.fraction("Confidence"), _now(w))
    lang = prompt_language(request.args.get("lang") or w.settings.language)
    speaker = twiml.Speaker(lang=lang, voice=voice_for(w.settings, lang))
    return Response(twiml.ask_details(speaker, w.callbacks(lang), found), mimetype="text/xml")


def _now(w: Worker) -> datetime:
    raw = request.form.get(SIMULATED_AT)
    if raw is None or w.settings.production:
        return w.runtime.now()
    try:
        return datetime.fromisoformat(raw).astimezone(UTC)
    except ValueError:
        abort(400)


def _file(w: Worker, sid: str, from_raw: str | None, need: str, confidence: float | None,
          now: datetime) -> Standing | None:
    """File the need as the old job did; where its entry stands (None: not in the list)."""
    calendar = w.runtime.calendar()
    number = e164(from_raw, calendar.spec.holiday_country)
    since = now - RATE_WINDOW
    with w.engine.connect() as conn:
        call = conn.execute(w.sql.read, {"sid": sid, "number": number, "now": w.stored(now),
                                         "since": w.stored(since)}).one()
        if call.purpose not in (None, "intake"):
            abort(409)
        agents, callbacks = call[-2:]
        rate = recent_rate(callbacks, agents, live_hours(calendar, since, now))
        if call.entry_id is not None:  # a duplicate delivery: the first result stands
            return _standing(w, conn, call.entry_id, agents, rate, now)
        caller = caller_of(number, None if call.id is None else tuple(call[4:9]))
        found = classify_need(w.runtime, need, caller.language or w.settings.language)
        # An unannounced call (no row) arrives now, in no mode, as the old upsert made it.
        arrived = now if call.created_at is None else _moment(call.created_at)
        try:
            with _writing(w, conn):
                entry_id, state, need_text = _place(w, conn, sid, caller, need, confidence,
                                                    found, arrived, now)
                place = _standing(w, conn, entry_id, agents, rate, now)
                effect = _tell(w, conn, sid, entry_id, state, caller, need_text, place,
                               afternoon=call.mode == Mode.APPOINTMENTS.value)
        except IntegrityError:  # the same CallSid filed meanwhile: answered as a duplicate
            conn.rollback()
            seen = conn.execute(w.sql.seen, {"sid": sid}).scalar_one()
            return _standing(w, conn, seen, agents, rate, now)
    if effect is not None:
        w.runtime.redis.rpush(QUEUE, effect)  # handed over after the commit, as RQ was
    return place


@contextmanager
def _writing(w: Worker, conn: Connection) -> Iterator[None]:
    """The write transaction. SQLite: the reads' transaction ends first, then the writers' turn
    and BEGIN IMMEDIATE, as callq.db.write takes them; PostgreSQL: the reads' goes on."""
    if not w.sqlite:
        yield
        conn.commit()
        return
    conn.rollback()
    with db._writers_turn(w.engine) as turn:  # callq's queue of SQLite writers (a flock)
        conn.execution_options(**{db.IMMEDIATE: True})
        with conn.begin():
            yield
        turn.end()


def _place(w: Worker, conn: Connection, sid: str, caller: Caller, need: str,
           confidence: float | None, found: Classification, arrived: datetime,
           now: datetime) -> tuple[int, lifecycle.EntryState, str | None]:
    """The message attached to the caller's open entry of the same need (R8), else a new entry
    (R5-R7); the message and the history written. The entry's id, state and need."""
    if not w.sqlite and caller.identity is not None:
        conn.execute(w.sql.lock, {"identity": caller.identity})
    same = _same_need(w, conn, caller, need, found)
    message = {"sid": sid, "number": caller.number, "received_at": w.stored(arrived),
               "need": need, "confidence": confidence, "complete": False}
    if same is None:
        entry = _classified(w, found, need, arrived) | {
            "caller_number": caller.number, "caller_email": caller.address,
            "client_id": caller.client_id, "arrived_at": arrived, "queued_at": arrived,
            "language": caller.language or w.settings.language, "messages_count": 1,
            "tier_set_by_agent": False}
        state, records = lifecycle.transition(None, lifecycle.Filed(
            at=now, detail={"call_sid": sid, **explain.detail(found)}))
        entry_id = conn.execute(w.sql.new_entry, _row(w, entry, state)).scalar_one()
        message_id = conn.execute(w.sql.message, message | {"entry_id": entry_id}).scalar_one()
        named = {"message_id": message_id}  # the line names the message, written after it
    else:
        entry_id, named = same.id, {}
        message_id = conn.execute(w.sql.message, message | {"entry_id": entry_id}).scalar_one()
        entry, detail, stated = _attached(w, same, caller, need, found, arrived, message_id, sid)
        state, records = lifecycle.transition(_state(same), lifecycle.MessageAttached(
            at=now, detail=detail, need_stated=stated))
        conn.execute(w.sql.state if stated else w.sql.attach,
                     _row(w, entry, state) | {"id": entry_id})
    for line in records:
        conn.execute(w.sql.event, {
            "entry_id": entry_id, "at": w.stored(line.at), "actor": line.actor, "kind": line.kind,
            "agent_id": line.agent_id, "reason": line.reason,
            "detail": json.dumps(named | dict(line.detail))})
    return entry_id, state, entry.get("need_text", same.need_text if same else None)


def _same_need(w: Worker, conn: Connection, caller: Caller, need: str,
               found: Classification) -> Row[Any] | None:
    """The caller's open entry of this need, the first in the room's order (as callq's)."""
    if caller.number is None and caller.client_id is None:
        return None  # a withheld, unknown caller cannot be recognised
    candidates = conn.execute(w.sql.open_entries, {"number": caller.number,
                                                   "client": caller.client_id}).all()
    lexicon = lexicon_at(w.settings.lexicon_path, caller.language or w.settings.language)
    return next((row for row in candidates if same_need(
        row.need_text, need, existing_vague=bool(row.vague), new_vague=found.vague,
        lexicon=lexicon)), None)


def _classified(w: Worker, found: Classification, need: str, since: datetime,
                tier: Tier | None = None) -> dict[str, Any]:
    """An entry's need, classification and due time (callq.placement's _classify_entry)."""
    tier = tier or Tier(found.tier)
    return {"tier": tier, "tier_rank": tier.rank, "vague": found.vague,
            "need_text": need or None, "classification": explain.detail(found),
            "due_at": due_time(w.runtime.calendar(), since, tier, w.settings.sla_days)}


def _attached(w: Worker, same: Row[Any], caller: Caller, need: str, found: Classification,
              arrived: datetime, message_id: int,
              sid: str) -> tuple[dict[str, Any], dict[str, Any], bool]:
    """The open entry with this message (callq.placement's _attach): its new values, the
    history's detail, and whether the message states the need the entry left unsaid."""
    before = _moment(same.queued_at)
    stated = bool(same.vague) and not found.vague
    entry: dict[str, Any] = {
        "messages_count": same.messages_count + 1,
        "client_id": caller.client_id if same.client_id is None else same.client_id,
        "caller_email": same.caller_email or caller.address}
    if stated:  # placed at this message's time, with its need and tier
        tier = Tier(same.tier) if same.tier_set_by_agent else None
        entry |= _classified(w, found, need, arrived, tier) | {"queued_at": arrived}
    else:
        tier = tier_after_repeat(Tier(same.tier), Tier(found.tier))  # never up
        entry |= {"tier": tier, "tier_rank": tier.rank, "queued_at": requeue_time(
            before, arrived, repeat_moves_back=w.settings.repeat_moves_back)}
    detail = {"message_id": message_id, "call_sid": sid, "need": need,
              "queued_before": before.isoformat(), "queued_after": entry["queued_at"].isoformat(),
              "need_stated": stated, **explain.detail(found)}
    return entry, detail, stated


def _row(w: Worker, entry: dict[str, Any], state: lifecycle.EntryState) -> dict[str, Any]:
    """Statement parameters: the entry's values and the lifecycle's, as the dialect stores them."""
    values = entry | {name: getattr(state, name) for name in LIFECYCLE}
    values["clock_waits"] = stored_waits(state.clock_waits)
    for name in ("classification", "clock_waits"):
        if values.get(name) is not None:
            values[name] = json.dumps(values[name])
    return {name: w.stored(value) if isinstance(value, datetime)
            else value.value if isinstance(value, Enum) else value
            for name, value in values.items()}


def _moment(value: Any) -> datetime:
    """A stored instant (SQLite: UTC text) as an aware datetime."""
    instant = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


def _state(row: Row[Any]) -> lifecycle.EntryState:
    """The lifecycle state of an entry row read as stored."""
    values = row._asdict()
    for name in INSTANTS:
        values[name] = None if values[name] is None else _moment(values[name])
    if isinstance(values["clock_waits"], str):
        values["clock_waits"] = json.loads(values["clock_waits"])
    return state_of(SimpleNamespace(**values))


def _standing(w: Worker, conn: Connection, entry_id: int, agents: int, rate: float | None,
              now: datetime) -> Standing | None:
    """Where the entry stands (callq.standing): its place, one indexed count, and the
    probable callback moment; None when it is not in the list."""
    status, ahead = conn.execute(w.sql.place, {"id": entry_id}).one()
    if status not in LISTED:
        return None
    return standing(ahead + 1, agents_on_duty=agents, rate=rate, now=now,
                    calendar=w.runtime.calendar())


def _tell(w: Worker, conn: Connection, sid: str, entry_id: int, state: lifecycle.EntryState,
          caller: Caller, need: str | None, place: Standing | None, *,
          afternoon: bool) -> int | None:
    """The caller told where they stand, or sent the afternoon's booking link (R2), by
    callq.acknowledge's rules: the outbox row (and its short link); its id when it is new."""
    notice = told(w.runtime, sid, entry_id, state, caller, need, place, afternoon)
    if notice is None:
        return None
    key, kind, payload, link = notice
    now = w.stored(w.runtime.now())
    if link is not None:
        code, target, until = link
        conn.execute(w.sql.short_link, {"code": code, "target": target,
                                        "expires_at": w.stored(until), "created_at": now})
    effect: int | None = conn.execute(w.sql.outbox, {
        "key": key, "kind": kind, "payload": json.dumps(payload), "due": now}).scalar()
    return effect


