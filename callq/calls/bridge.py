"""Bridged calls: ring the agent's phone, then the client's, and connect them (R10, R14).

`start_bridge` records the bridge and a "bridge" effect in the caller's transaction; the effect
places the call to the agent through the gateway after the commit. Twilio's reports about both
legs (status callbacks, the <Dial> action, answering-machine detection; callq.calls.reports)
come in any order and resolve ONE `BridgeResult` per bridge, handed to its purpose's handler
(`runtime.bridge_results`, a literal table of callq.handlers) inside the report's transaction.

Without a Twilio account the logging gateway records the call and no report ever comes: the
bridge then settles as "failed" after BRIDGE_TIMEOUT.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from callq import db, effects
from callq.calls import rules
from callq.models import Agent, Bridge, Call, SideEffect

if TYPE_CHECKING:
    from callq.runtime import Runtime

log = logging.getLogger(__name__)

BRIDGE_TIMEOUT = timedelta(hours=1)  # no report at all by then: the call is taken as failed
SETTLE_DELAY = timedelta(seconds=30)  # after a leg ended, how long a late AMD report may take
# The callback URLs Twilio is given (all signed-checked, POST).
ANSWER, STATUS = "/twilio/bridge/answer", "/twilio/bridge/status"
DIAL, AMD = "/twilio/bridge/dial", "/twilio/bridge/amd"


@dataclass(frozen=True)
class BridgeResult:
    """How one bridged call ended, as handed once to its purpose's handler."""

    call_sid: str
    purpose: str
    agent_id: int
    entry_id: int | None
    appointment_id: int | None
    outcome: str  # "answered" | "no_answer" | "busy" | "voicemail" | "failed" | "agent_unreachable"
    duration_seconds: int | None


ResultHandler = Callable[[Session, "Runtime", BridgeResult], None]


def start_bridge(
    session: Session, runtime: Runtime, *, purpose: str, agent_id: int, client_number: str,
    key: str, entry_id: int | None = None, appointment_id: int | None = None,
    due_at: datetime | None = None,
) -> int | None:
    """Record a bridge and the effect that places it (now or at `due_at`); once per key.

    Returns the effect's id, or None when a bridge with this key already exists.
    """
    now = runtime.now()
    values = dict(key=key, purpose=purpose, agent_id=agent_id, client_number=client_number,
                  entry_id=entry_id, appointment_id=appointment_id, agent_status="scheduled",
                  agent_sequence=-1, client_sequence=-1, created_at=now)
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    bridge_id = session.scalar(insert(Bridge).values(**values)
                               .on_conflict_do_nothing(index_elements=["key"])
                               .returning(Bridge.id))
    if bridge_id is None:
        return None
    return effects.schedule(session, key=f"bridge-{bridge_id}-place", kind="bridge",
                            payload={"bridge_id": bridge_id}, due_at=due_at or now, now=now)


def locked_bridge(session: Session, bridge_id: int) -> Bridge | None:
    """The bridge, row-locked until the transaction ends."""
    # One report at a time per bridge: the row lock (PostgreSQL) or BEGIN IMMEDIATE (SQLite).
    return session.get(Bridge, bridge_id, with_for_update=True)


def legs_of(bridge: Bridge) -> rules.Legs:
    """What the reports said so far, as the pure rules read it."""
    return rules.Legs(
        agent_status=bridge.agent_status, agent_answered_by=bridge.agent_answered_by,
        dialed=bridge.dialed_at is not None, client_status=bridge.client_status,
        client_answered_by=bridge.client_answered_by, dial_status=bridge.dial_status,
    )


def resolve(session: Session, runtime: Runtime, bridge: Bridge, outcome: str,
            error: str | None = None) -> None:
    """Record the result and hand it to the purpose's handler, the first time only."""
    if bridge.resolved_at is not None:
        return  # resolved by an earlier report: the handler ran then, and only then
    bridge.outcome, bridge.resolved_at, bridge.error = outcome, runtime.now(), error
    result = BridgeResult(
        call_sid=bridge.agent_call_sid or "", purpose=bridge.purpose, agent_id=bridge.agent_id,
        entry_id=bridge.entry_id, appointment_id=bridge.appointment_id, outcome=outcome,
        duration_seconds=bridge.duration_seconds,
    )
    handler = runtime.bridge_results.get(bridge.purpose)
    if handler is None:
        log.warning("no result handler for bridge purpose %r", bridge.purpose)
        return
    handler(session, runtime, result)


def settle_if_known(session: Session, runtime: Runtime, bridge: Bridge) -> None:
    """Resolve the bridge if the reports tell its result; once a leg ended, set a deadline."""
    legs = legs_of(bridge)
    found = rules.outcome(legs)
    if found is not None:
        resolve(session, runtime, bridge, found)
    elif rules.client_end(legs) is not None or legs.agent_status in rules.TERMINAL:
        now = runtime.now()  # a leg ended: give a late report a moment, then decide anyway
        effects.schedule(session, key=f"bridge-{bridge.id}-settle", kind="bridge_settle",
                         payload={"bridge_id": bridge.id}, due_at=now + SETTLE_DELAY, now=now)


def place(runtime: Runtime, effect: SideEffect) -> None:
    """Ring the agent; a call is never placed twice, even when this effect runs twice."""
    bridge_id = int(effect.payload["bridge_id"])
    with db.write(runtime.sessions) as session:
        bridge = locked_bridge(session, bridge_id)
        if bridge is None or bridge.resolved_at is not None:
            return
        if bridge.agent_status != "scheduled":
            if bridge.agent_call_sid is None:  # an earlier run died while placing it
                resolve(session, runtime, bridge, rules.FAILED, "interrupted while placing")
            return
        agent = session.get(Agent, bridge.agent_id)
        if agent is None or not agent.active or not agent.phone:
            resolve(session, runtime, bridge, rules.AGENT_UNREACHABLE, "no agent phone")
            return
        bridge.agent_status, phone = "placing", agent.phone
    try:
        sid = runtime.calls.place_call(
            to=phone, url=runtime.url(ANSWER, bridge=bridge_id),
            status_callback=runtime.url(STATUS, bridge=bridge_id, leg="agent"),
            key=effect.key, machine_detection=True,
        )
    except Exception as exc:  # e.g. Twilio refused the number: retrying could ring twice
        log.warning("bridge %s: the call could not be placed: %s", bridge_id, exc)
        with db.write(runtime.sessions) as session:
            bridge = locked_bridge(session, bridge_id)
            if bridge is not None:
                resolve(session, runtime, bridge, rules.FAILED, f"{type(exc).__name__}: {exc}")
        return
    _placed(runtime, bridge_id, sid, phone)


def _placed(runtime: Runtime, bridge_id: int, sid: str, phone: str) -> None:
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        bridge = locked_bridge(session, bridge_id)
        if bridge is None:
            return
        bridge.agent_call_sid = sid
        if bridge.agent_status == "placing":
            bridge.agent_status = "queued"
        session.add(Call(call_sid=sid, direction="outbound", purpose=bridge.purpose,
                         entry_id=bridge.entry_id, appointment_id=bridge.appointment_id,
                         agent_id=bridge.agent_id, to_number=phone, status=bridge.agent_status,
                         from_number=runtime.settings.twilio_number or None, created_at=now))
        effects.schedule(session, key=f"bridge-{bridge_id}-timeout", kind="bridge_settle",
                         payload={"bridge_id": bridge_id}, due_at=now + BRIDGE_TIMEOUT, now=now)


def settle(runtime: Runtime, effect: SideEffect) -> None:
    """Decide a bridge whose reports stopped coming (a lost AMD report, no report at all)."""
    with db.write(runtime.sessions) as session:
        bridge = locked_bridge(session, int(effect.payload["bridge_id"]))
        if bridge is not None and bridge.resolved_at is None:
            resolve(session, runtime, bridge, rules.settled(legs_of(bridge)))
