"""The guaranteed callback (R14) and the client who is not there (R15).

Before the time (CALLQ_APPOINTMENT_CHECK_MINUTES) a check makes sure the agent can make it;
at the time the call rings the agent, then the client (webhooks.bridge). An agent who is
absent, disabled, still in another call or unreachable is replaced by a free agent; when
nobody is free the client is warned, offered the next free times, and the appointment is
cancelled. A client who does not answer (no answer, busy, answering machine) is moved to the
next free slot with an updated invitation, up to CALLQ_APPOINTMENT_MAX_NO_SHOWS times.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from callq import db, effects
from callq.calls import rules
from callq.calls.bridge import BridgeResult, start_bridge
from callq.models import Appointment, Bridge, SideEffect
from callq.status import AppointmentStatus
from scheduling import agenda, entries, timers
from scheduling.booking import SlotTaken, reassign, retime, withdraw
from scheduling.links import start_stamp

if TYPE_CHECKING:
    from callq.runtime import Runtime

log = logging.getLogger(__name__)
PURPOSE = "appointment"
NOT_THERE = frozenset({rules.NO_ANSWER, rules.BUSY, rules.VOICEMAIL})
WRAPUP = "appointment_wrapup"
WRAPUP_AGAIN = timedelta(minutes=5)  # an overrunning call is looked at again this often
LIVE_FOR_AT_MOST = timedelta(hours=3)  # a bridge older than this whose end was lost is over


def in_call(session: Session, runtime: Runtime, agent_id: int, *,
            appointment_id: int | None = None) -> bool:
    """Whether the agent is talking to a client right now (an overrun, R14)."""
    query = select(Bridge.id).where(
        Bridge.agent_id == agent_id, Bridge.dialed_at.is_not(None), Bridge.dial_status.is_(None),
        Bridge.created_at > runtime.now() - LIVE_FOR_AT_MOST,
        Bridge.client_status.is_(None) | Bridge.client_status.not_in(rules.TERMINAL))
    if appointment_id is not None:
        query = query.where(Bridge.appointment_id == appointment_id)
    return session.scalar(query.limit(1)) is not None


def can_call(session: Session, runtime: Runtime, agent_id: int, appt: Appointment) -> bool:
    """Active, not absent over the appointment, not held by another call."""
    return (agenda.agent_can_take(session, runtime, agent_id, appt.starts_at, appt.ends_at,
                                  exclude=appt.id)
            and not in_call(session, runtime, agent_id))


def hand_over_or_warn(session: Session, runtime: Runtime, appt: Appointment,
                      tried: Collection[int]) -> bool:
    """Give the appointment to a free agent (True), else warn the client and cancel it."""
    others = [agent for agent in agenda.free_agents_at(session, runtime, appt.starts_at,
                                                       appt.ends_at, exclude=appt.id)
              if agent not in tried and not in_call(session, runtime, agent)]
    if reassign(session, runtime, appt, others):
        return True
    offers = agenda.next_times(session, runtime, exclude=appt.id)
    withdraw(session, runtime, appt, kind="unstaffed", actor="system", offers=offers)
    return False


def ring(session: Session, runtime: Runtime, appt: Appointment, *, key: str) -> int | None:
    """Start the agent-then-client call for the appointment (once per key)."""
    assert appt.client_phone is not None  # booking refuses an appointment without one
    return start_bridge(session, runtime, purpose=PURPOSE, agent_id=appt.agent_id,
                        client_number=appt.client_phone, key=key, entry_id=appt.entry_id,
                        appointment_id=appt.id)


def check_staffing(runtime: Runtime, effect: SideEffect) -> None:
    """Before the time: is the agent still able to call? Else hand over, or warn the client."""
    with db.write(runtime.sessions) as session:
        appt = timers.still_due(session, effect)
        if appt is not None and not agenda.agent_can_take(
                session, runtime, appt.agent_id, appt.starts_at, appt.ends_at, exclude=appt.id):
            hand_over_or_warn(session, runtime, appt, tried={appt.agent_id})


def call_at_booked_time(runtime: Runtime, effect: SideEffect) -> None:
    """At the time: ring the agent then the client; an agent who cannot is replaced first."""
    with db.write(runtime.sessions) as session:
        appt = timers.still_due(session, effect)
        if appt is None:
            return
        if not can_call(session, runtime, appt.agent_id, appt) and not hand_over_or_warn(
                session, runtime, appt, tried={appt.agent_id}):
            return
        ring(session, runtime, appt, key=f"appt-{appt.id}-call-{start_stamp(appt.starts_at)}"
                                         f"-agent-{appt.agent_id}")


def record_call_result(session: Session, runtime: Runtime, result: BridgeResult) -> None:
    """What the call at the booked time came to (R14, R15)."""
    if result.appointment_id is None:
        return
    appt = session.get(Appointment, result.appointment_id, with_for_update=True)
    now = runtime.now()
    if appt is None or appt.status not in agenda.ACTIVE:
        return  # cancelled or moved away meanwhile: this call is history
    entries.note(session, appt, "appointment_call", at=now, actor="system",
                 agent_id=result.agent_id, outcome=result.outcome, call_sid=result.call_sid)
    if result.outcome == rules.ANSWERED:
        _answered(session, runtime, appt)
    elif appt.status != AppointmentStatus.BOOKED:
        return  # a second call during a call that is already going
    elif result.outcome in NOT_THERE:
        _client_not_there(session, runtime, appt)
    elif result.outcome == rules.AGENT_UNREACHABLE:
        _agent_unreachable(session, runtime, appt, result.agent_id)
    else:  # failed: nobody knows who was not reached; the agent's page offers to call again
        log.warning("appointment %s: the call failed; left for the agent", appt.id)


def _answered(session: Session, runtime: Runtime, appt: Appointment) -> None:
    """Done, or in call while the call still runs (a result settled on a lost report)."""
    now = runtime.now()
    appt.updated_at = now
    if not in_call(session, runtime, appt.agent_id, appointment_id=appt.id):
        appt.status = AppointmentStatus.DONE
        entries.note(session, appt, "appointment_done", at=now, actor="system")
        return
    appt.status = AppointmentStatus.IN_CALL
    effects.schedule(session, key=f"appt-{appt.id}-wrapup-{start_stamp(appt.ends_at)}",
                     kind=WRAPUP, payload={"appointment_id": appt.id},
                     due_at=max(appt.ends_at, now), now=now)


def _client_not_there(session: Session, runtime: Runtime, appt: Appointment) -> None:
    """R15: move to the next free slot with an updated invitation, or give up after N tries."""
    appt.no_shows += 1
    if appt.no_shows < runtime.settings.appointment_max_no_shows:
        for start, _end in agenda.next_times(session, runtime, exclude=appt.id):
            try:
                retime(session, runtime, appt, start, kind="missed", actor="system")
                return
            except SlotTaken:
                continue  # taken in the meantime: the next one
    withdraw(session, runtime, appt, kind="given_up", actor="system")


def _agent_unreachable(session: Session, runtime: Runtime, appt: Appointment,
                       agent_id: int) -> None:
    """R14: another free agent calls now; when nobody can, the client is warned."""
    tried = set(session.scalars(select(Bridge.agent_id).where(
        Bridge.appointment_id == appt.id, Bridge.outcome == rules.AGENT_UNREACHABLE)))
    if hand_over_or_warn(session, runtime, appt, tried=tried | {agent_id}):
        ring(session, runtime, appt, key=f"appt-{appt.id}-call-{start_stamp(appt.starts_at)}"
                                         f"-agent-{appt.agent_id}")


def wrap_up(runtime: Runtime, effect: SideEffect) -> None:
    """After the planned end: the appointment is done once its call is over."""
    with db.write(runtime.sessions) as session:
        appt = session.get(Appointment, int(effect.payload["appointment_id"]),
                           with_for_update=True)
        if appt is None or appt.status != AppointmentStatus.IN_CALL:
            return
        now = runtime.now()
        if in_call(session, runtime, appt.agent_id, appointment_id=appt.id):
            effects.schedule(session, key=f"appt-{appt.id}-wrapup-{start_stamp(now)}",
                             kind=WRAPUP, payload=effect.payload, due_at=now + WRAPUP_AGAIN,
                             now=now)
            return
        appt.status, appt.updated_at = AppointmentStatus.DONE, now
        entries.note(session, appt, "appointment_done", at=now, actor="system")
