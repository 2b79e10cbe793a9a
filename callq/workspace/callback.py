"""Calling the client back (R10): one click rings the agent, then the client (callq.calls);
the call's result is written on the entry, and a client not reached counts an attempt."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from callq import db, history
from callq.calls import rules
from callq.calls.bridge import BridgeResult, start_bridge
from callq.entry_writer import state_of
from callq.models import WaitingEntry
from callq.waiting.lifecycle import holds
from callq.workspace import claims
from callq.workspace.errors import Refused
from callq.workspace.outcomes import no_answer

if TYPE_CHECKING:
    from callq.runtime import Runtime

PURPOSE = "callback"
# Results that mean the client was not reached: the same as the agent recording "no answer".
NOT_REACHED = frozenset({rules.NO_ANSWER, rules.BUSY, rules.VOICEMAIL})


def call_back(runtime: Runtime, *, agent_id: int, entry_id: int, version: int) -> bool:
    """Ring the agent, then the entry's caller; False when this click was already counted."""
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        entry = claims.held_entry(session, entry_id, agent_id, version, now)
        if entry.caller_number is None:
            raise Refused("workspace.refused.no_number")
        # The shown version names the click: a double click (same version) rings once.
        key = f"callback-{entry.id}-v{entry.version}"
        started = start_bridge(session, runtime, purpose=PURPOSE, agent_id=agent_id,
                               client_number=entry.caller_number, key=key, entry_id=entry.id)
        if started is None:
            return False
        # The call may outlast the current lease; it is a callback attempt (R11).
        claims.renew(session, runtime, entry, now, calling=entry.caller_number)
        return True


def record_call_result(session: Session, runtime: Runtime, result: BridgeResult) -> None:
    """Write the result on the entry; a client not reached is recorded as "no answer"."""
    if result.entry_id is None:
        return
    entry = session.get(WaitingEntry, result.entry_id, with_for_update=True)
    if entry is None:
        return
    now = runtime.now()
    history.record_event(
        session, entry.id, "call_result", at=now, agent_id=result.agent_id,
        detail={"outcome": result.outcome, "call_sid": result.call_sid,
                "duration_seconds": result.duration_seconds},
    )
    # Only while the calling agent still holds it: a claim that lapsed or moved on is not ours.
    if result.outcome in NOT_REACHED and holds(state_of(entry), result.agent_id):
        no_answer(session, runtime, entry, agent_id=result.agent_id, now=now,
                  note=f"call:{result.outcome}")
