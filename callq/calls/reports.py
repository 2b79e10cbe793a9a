"""Twilio's reports on a bridged call, one use case each: the agent answered, a leg's status,
the <Dial> action, answering-machine detection. Each runs in its own transaction under the
bridge's row lock, then the bridge resolves its one result if the reports now tell it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from callq import db
from callq.calls import rules
from callq.calls.bridge import legs_of, locked_bridge, settle_if_known
from callq.formats import one_line
from callq.i18n import supported
from callq.models import Agent, Appointment, Bridge, Call, Client, WaitingEntry
from callq.waiting.phones import display_number

if TYPE_CHECKING:
    from callq.runtime import Runtime

LEGS = ("agent", "client")


class UnknownBridge(LookupError):
    """A report names a bridge callq never made."""


@dataclass(frozen=True)
class AgentAnswer:
    """What to tell the agent who picked up: nothing (over, or a machine), or who is called."""

    lang: str  # the agent's language
    over: bool  # the bridge was already resolved: say so and hang up
    machine: bool  # the agent's voicemail answered: hang up, never bridge a client to it
    who: str = ""
    purpose: str = ""
    client_number: str = ""


@dataclass(frozen=True)
class Report:
    """What one status callback of a leg says."""

    status: str
    sequence: int | None = None
    duration: int | None = None
    call_sid: str | None = None


@db.once_more_if_dropped
def agent_answered(runtime: Runtime, bridge_id: int, answered_by: str | None) -> AgentAnswer:
    """The agent's leg was picked up: by a person (dial the client next) or a machine."""
    with db.write(runtime.sessions) as session:
        bridge = _bridge(session, bridge_id)
        lang = _agent_language(session, bridge)
        if bridge.resolved_at is not None:
            return AgentAnswer(lang, over=True, machine=False)
        bridge.agent_answered_by = answered_by
        _advance_agent(session, bridge, Report("in-progress"))
        if rules.is_machine(answered_by):
            settle_if_known(session, runtime, bridge)
            return AgentAnswer(lang, over=False, machine=True)
        bridge.dialed_at = bridge.dialed_at or runtime.now()
        return AgentAnswer(lang, over=False, machine=False, who=_who(session, bridge, lang),
                           purpose=bridge.purpose, client_number=bridge.client_number)


@db.once_more_if_dropped
def leg_status(runtime: Runtime, bridge_id: int, leg: str, report: Report) -> None:
    """A status report of either leg ("agent" or "client")."""
    if leg not in LEGS:
        raise ValueError(f"leg must be one of {', '.join(LEGS)}")
    with db.write(runtime.sessions) as session:
        bridge = _bridge(session, bridge_id)
        if leg == "agent":
            _advance_agent(session, bridge, report)
        else:
            _advance_client(session, bridge, report)
        settle_if_known(session, runtime, bridge)


@db.once_more_if_dropped
def dial_ended(runtime: Runtime, bridge_id: int, dial_status: str, dial_call_sid: str | None,
               duration: int | None) -> tuple[str, bool]:
    """The <Dial> ended; returns the agent's language and whether the client was reached."""
    with db.write(runtime.sessions) as session:
        bridge = _bridge(session, bridge_id)
        if dial_status and bridge.dial_status is None:
            bridge.dial_status = dial_status
            bridge.client_call_sid = bridge.client_call_sid or dial_call_sid
            bridge.duration_seconds = duration or bridge.duration_seconds
        settle_if_known(session, runtime, bridge)
        reached = rules.client_end(legs_of(bridge)) == "completed"
        return _agent_language(session, bridge), reached


@db.once_more_if_dropped
def machine_detection(runtime: Runtime, bridge_id: int, answered_by: str) -> None:
    """Answering-machine detection on the client's leg: a person, or a voicemail."""
    with db.write(runtime.sessions) as session:
        bridge = _bridge(session, bridge_id)
        if answered_by and bridge.client_answered_by is None:
            bridge.client_answered_by = answered_by
        settle_if_known(session, runtime, bridge)


def _bridge(session: Session, bridge_id: int) -> Bridge:
    bridge = locked_bridge(session, bridge_id)
    if bridge is None:
        raise UnknownBridge(f"no bridge {bridge_id}")
    return bridge


def _advance_agent(session: Session, bridge: Bridge, report: Report) -> None:
    if rules.advances(bridge.agent_status, report.status):
        bridge.agent_status = report.status
    bridge.agent_sequence = max(bridge.agent_sequence, _seq(report))
    if bridge.agent_call_sid:
        _mirror(session, bridge.agent_call_sid, bridge, report, None)


def _advance_client(session: Session, bridge: Bridge, report: Report) -> None:
    if rules.advances(bridge.client_status, report.status):
        bridge.client_status = report.status
        if report.status == "completed" and report.duration is not None:
            bridge.duration_seconds = bridge.duration_seconds or report.duration
    bridge.client_sequence = max(bridge.client_sequence, _seq(report))
    sid = report.call_sid or bridge.client_call_sid
    bridge.client_call_sid = bridge.client_call_sid or sid
    if sid:
        _mirror(session, sid, bridge, report, bridge.client_number)


def _seq(report: Report) -> int:
    return report.sequence if report.sequence is not None else -1


def _mirror(session: Session, sid: str, bridge: Bridge, report: Report,
            to_number: str | None) -> None:
    """Keep the leg's Call row (the calls table lists every call) in step with its reports."""
    call = session.scalar(select(Call).where(Call.call_sid == sid))
    if call is None:
        if to_number is None:
            return
        call = Call(call_sid=sid, direction="outbound", purpose=bridge.purpose,
                    entry_id=bridge.entry_id, appointment_id=bridge.appointment_id,
                    agent_id=bridge.agent_id, to_number=to_number, status="queued")
        session.add(call)
    if rules.advances(call.status, report.status):
        call.status = report.status
    if report.sequence is not None:
        call.sequence = max(call.sequence if call.sequence is not None else -1, report.sequence)
    if report.duration is not None and report.status == "completed":
        call.duration_seconds = report.duration


def _who(session: Session, bridge: Bridge, lang: str) -> str:
    entry = session.get(WaitingEntry, bridge.entry_id) if bridge.entry_id else None
    client = session.get(Client, entry.client_id) if entry and entry.client_id else None
    if client is not None:
        return one_line(client.name)
    appointment = session.get(Appointment, bridge.appointment_id) if bridge.appointment_id else None
    if appointment is not None and appointment.client_name:
        return one_line(appointment.client_name)
    return display_number(bridge.client_number, lang)


def _agent_language(session: Session, bridge: Bridge) -> str:
    agent = session.get(Agent, bridge.agent_id)
    return supported(agent.language if agent is not None else None)
