"""Twilio's reports on bridged calls (webhooks/bridge.py): the agent answered, each leg's
status, the <Dial> action, answering-machine detection. Each report is applied under the
bridge's row lock, then the bridge resolves its one result if the reports now tell it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response, abort, current_app, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from callq import db, i18n
from callq.i18n import N_
from callq.models import Agent, Appointment, Bridge, Call, Client, WaitingEntry
from callq.waiting.phones import display_number
from webhooks import bridging
from webhooks.bridge import (
    AMD,
    ANSWER,
    DIAL,
    STATUS,
    legs_of,
    locked_bridge,
    settle_if_known,
)
from webhooks.prompts import prompt_language, say_language, voice_for
from webhooks.signature import twilio_signed

if TYPE_CHECKING:
    from callq.runtime import Runtime

blueprint = Blueprint("bridge", __name__)


def _runtime() -> Runtime:
    runtime: Runtime = current_app.extensions["callq"]
    return runtime


def _bridge_id() -> int:
    bridge_id = request.args.get("bridge", type=int)
    if bridge_id is None:
        abort(400, description="the callback URL must carry ?bridge=<id>")
    return bridge_id


def _bridge_or_404(session: Session) -> Bridge:
    bridge = locked_bridge(session, _bridge_id())
    if bridge is None:
        abort(404, description="no such bridge")
    return bridge


def _twiml(body: str) -> Response:
    return Response(body, mimetype="text/xml")


def _number(name: str) -> int | None:
    raw = request.form.get(name, "")
    return int(raw) if raw.isdigit() else None


@blueprint.post(ANSWER)
@twilio_signed
def answer() -> Response:
    """The agent picked up: say who is being called, then dial the client."""
    runtime = _runtime()
    with db.write(runtime.sessions) as session:
        bridge = _bridge_or_404(session)
        lang, language, voice = _speech(session, runtime, bridge)
        if bridge.resolved_at is not None:
            return _twiml(bridging.goodbye_twiml(i18n.gettext("This call is no longer needed. "
                                                              "Goodbye.", lang),
                                                 language=language, voice=voice))
        answered_by = request.form.get("AnsweredBy") or None
        bridge.agent_answered_by = answered_by
        _advance_agent(session, bridge, "in-progress", None)
        if bridging.is_machine(answered_by):
            settle_if_known(session, runtime, bridge)
            return _twiml(bridging.goodbye_twiml(None, language=language, voice=voice))
        bridge.dialed_at = bridge.dialed_at or runtime.now()
        opening = "appointment" if bridge.purpose == "appointment" else "callback"
        say = i18n.gettext(ANNOUNCEMENTS[opening], lang, who=_who(session, bridge, lang))
        return _twiml(bridging.dial_twiml(
            say=say, language=language, voice=voice, client_number=bridge.client_number,
            caller_id=runtime.settings.twilio_number or None,
            action=runtime.url(DIAL, bridge=bridge.id),
            amd_callback=runtime.url(AMD, bridge=bridge.id),
            status_callback=runtime.url(STATUS, bridge=bridge.id, leg="client"),
        ))


@blueprint.post(STATUS)
@twilio_signed
def status() -> tuple[str, int]:
    """A status report of either leg (?leg=agent or ?leg=client)."""
    runtime = _runtime()
    leg = request.args.get("leg", "agent")
    if leg not in ("agent", "client"):
        abort(400, description="leg must be agent or client")
    with db.write(runtime.sessions) as session:
        bridge = _bridge_or_404(session)
        new, sequence = request.form.get("CallStatus", ""), _number("SequenceNumber")
        duration = _number("CallDuration")
        if leg == "agent":
            _advance_agent(session, bridge, new, sequence, duration)
        else:
            _advance_client(session, bridge, new, sequence, duration)
        settle_if_known(session, runtime, bridge)
    return "", 204


@blueprint.post(DIAL)
@twilio_signed
def dial_done() -> Response:
    """The <Dial> ended: how the client's leg went; tell the agent, then hang up."""
    runtime = _runtime()
    with db.write(runtime.sessions) as session:
        bridge = _bridge_or_404(session)
        dial_status = request.form.get("DialCallStatus", "")
        if dial_status and bridge.dial_status is None:
            bridge.dial_status = dial_status
            bridge.client_call_sid = bridge.client_call_sid or request.form.get("DialCallSid")
            bridge.duration_seconds = _number("DialCallDuration") or bridge.duration_seconds
        settle_if_known(session, runtime, bridge)
        lang, language, voice = _speech(session, runtime, bridge)
        reached = bridging.client_end(legs_of(bridge)) == "completed"
        say = None if reached else i18n.gettext("The client could not be reached. Goodbye.", lang)
        return _twiml(bridging.goodbye_twiml(say, language=language, voice=voice))


@blueprint.post(AMD)
@twilio_signed
def amd() -> tuple[str, int]:
    """Answering-machine detection on the client's leg: a person, or a voicemail."""
    runtime = _runtime()
    with db.write(runtime.sessions) as session:
        bridge = _bridge_or_404(session)
        answered_by = request.form.get("AnsweredBy", "")
        if answered_by and bridge.client_answered_by is None:
            bridge.client_answered_by = answered_by
        settle_if_known(session, runtime, bridge)
    return "", 204


def _advance_agent(session: Session, bridge: Bridge, new: str, sequence: int | None,
                   duration: int | None = None) -> None:
    if bridging.advances(bridge.agent_status, new):
        bridge.agent_status = new
    bridge.agent_sequence = max(bridge.agent_sequence, sequence if sequence is not None else -1)
    if bridge.agent_call_sid:
        _mirror(session, bridge.agent_call_sid, bridge, new, sequence, duration, None)


def _advance_client(session: Session, bridge: Bridge, new: str, sequence: int | None,
                    duration: int | None) -> None:
    if bridging.advances(bridge.client_status, new):
        bridge.client_status = new
        if new == "completed" and duration is not None:
            bridge.duration_seconds = bridge.duration_seconds or duration
    bridge.client_sequence = max(bridge.client_sequence, sequence if sequence is not None else -1)
    sid = request.form.get("CallSid") or bridge.client_call_sid
    bridge.client_call_sid = bridge.client_call_sid or sid
    if sid:
        _mirror(session, sid, bridge, new, sequence, duration, bridge.client_number)


def _mirror(session: Session, sid: str, bridge: Bridge, new: str, sequence: int | None,
            duration: int | None, to_number: str | None) -> None:
    """Keep the leg's Call row (the calls table lists every call) in step with its reports."""
    call = session.scalar(select(Call).where(Call.call_sid == sid))
    if call is None:
        if to_number is None:
            return
        call = Call(call_sid=sid, direction="outbound", purpose=bridge.purpose,
                    entry_id=bridge.entry_id, appointment_id=bridge.appointment_id,
                    agent_id=bridge.agent_id, to_number=to_number, status="queued")
        session.add(call)
    if bridging.advances(call.status, new):
        call.status = new
    if sequence is not None:
        call.sequence = max(call.sequence if call.sequence is not None else -1, sequence)
    if duration is not None and new == "completed":
        call.duration_seconds = duration


def _who(session: Session, bridge: Bridge, lang: str) -> str:
    entry = session.get(WaitingEntry, bridge.entry_id) if bridge.entry_id else None
    client = session.get(Client, entry.client_id) if entry and entry.client_id else None
    if client is not None:
        return client.name
    appointment = session.get(Appointment, bridge.appointment_id) if bridge.appointment_id else None
    if appointment is not None and appointment.client_name:
        return appointment.client_name
    return display_number(bridge.client_number, lang)


def _speech(session: Session, runtime: Runtime, bridge: Bridge) -> tuple[str, str, str | None]:
    """The agent's language, and the <Say> language and voice to speak it."""
    agent = session.get(Agent, bridge.agent_id)
    lang = prompt_language(agent.language if agent is not None else runtime.settings.language)
    return lang, say_language(lang), voice_for(runtime.settings, lang) or None


# What the agent hears before the client is rung, by why the call is made.
ANNOUNCEMENTS = {
    "callback": N_("Calling back %(who)s. Connecting you, please hold."),
    "appointment": N_("Appointment with %(who)s. Connecting you, please hold."),
}
