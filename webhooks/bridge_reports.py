"""Twilio's reports on bridged calls (callq.calls.bridge), as webhooks: check the signature,
parse the report, call its use case in callq.calls.reports, answer TwiML. Bad input gets a 4xx
with a reason, an unknown bridge 404.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request

from callq import i18n
from callq.calls import reports
from callq.calls.bridge import AMD, ANSWER, DIAL, STATUS
from callq.i18n import N_
from callq.runtime import Runtime
from callq.web_input import integer
from webhooks import bridge_twiml, params
from webhooks.prompts import say_language, voice_for
from webhooks.signature import twilio_signed

blueprint = Blueprint("bridge", __name__)


def _runtime() -> Runtime:
    runtime: Runtime = current_app.extensions["callq"]
    return runtime


@blueprint.errorhandler(reports.UnknownBridge)
def _unknown(exc: reports.UnknownBridge) -> tuple[dict[str, str], int]:
    return {"error": "Not Found", "reason": str(exc)}, 404


def _bridge_id() -> int:
    bridge = integer(request.args.get("bridge"))
    if bridge is None:
        abort(400, description="the callback URL must carry ?bridge=<id>")
    return bridge


def _number(name: str) -> int | None:
    return params.whole(name, 10**9)


def _sid(name: str) -> str | None:
    return params.matching(name, params.LEG_SID, required=False)


def _answered_by() -> str | None:
    return params.matching("AnsweredBy", params.ANSWERED_BY, required=False)


def _twiml(body: str) -> Response:
    return Response(body, mimetype="text/xml")


def _voice(runtime: Runtime, lang: str) -> tuple[str, str | None]:
    """The <Say> language and voice of the agent's language."""
    return say_language(lang), voice_for(runtime.settings, lang) or None


@blueprint.post(ANSWER)
@twilio_signed
def answer() -> Response:
    """The agent picked up: say who is being called, then dial the client."""
    runtime = _runtime()
    bridge_id = _bridge_id()
    heard = reports.agent_answered(runtime, bridge_id, _answered_by())
    language, voice = _voice(runtime, heard.lang)
    if heard.over or heard.machine:
        say = (i18n.gettext("This call is no longer needed. Goodbye.", heard.lang)
               if heard.over else None)
        return _twiml(bridge_twiml.goodbye_twiml(say, language=language, voice=voice))
    opening = "appointment" if heard.purpose == "appointment" else "callback"
    return _twiml(bridge_twiml.dial_twiml(
        say=i18n.gettext(ANNOUNCEMENTS[opening], heard.lang, who=heard.who),
        language=language, voice=voice, client_number=heard.client_number,
        caller_id=runtime.settings.twilio_number or None,
        action=runtime.url(DIAL, bridge=bridge_id),
        amd_callback=runtime.url(AMD, bridge=bridge_id),
        status_callback=runtime.url(STATUS, bridge=bridge_id, leg="client"),
    ))


@blueprint.post(STATUS)
@twilio_signed
def status() -> tuple[str, int]:
    """A status report of either leg (?leg=agent or ?leg=client)."""
    leg = request.args.get("leg", "agent")
    if leg not in reports.LEGS:
        abort(400, description="leg must be agent or client")
    report = reports.Report(
        status=params.choice("CallStatus", params.CALL_STATUSES, False) or "",
        sequence=_number("SequenceNumber"), duration=_number("CallDuration"),
        call_sid=_sid("CallSid"))
    reports.leg_status(_runtime(), _bridge_id(), leg, report)
    return "", 204


@blueprint.post(DIAL)
@twilio_signed
def dial_done() -> Response:
    """The <Dial> ended: how the client's leg went; tell the agent, then hang up."""
    runtime = _runtime()
    lang, reached = reports.dial_ended(
        runtime, _bridge_id(), params.choice("DialCallStatus", params.DIAL_STATUSES, False) or "",
        _sid("DialCallSid"), _number("DialCallDuration"))
    language, voice = _voice(runtime, lang)
    say = None if reached else i18n.gettext("The client could not be reached. Goodbye.", lang)
    return _twiml(bridge_twiml.goodbye_twiml(say, language=language, voice=voice))


@blueprint.post(AMD)
@twilio_signed
def amd() -> tuple[str, int]:
    """Answering-machine detection on the client's leg: a person, or a voicemail."""
    reports.machine_detection(_runtime(), _bridge_id(), _answered_by() or "")
    return "", 204


# What the agent hears before the client is rung, by why the call is made.
ANNOUNCEMENTS = {
    "callback": N_("Calling back %(who)s. Connecting you, please hold."),
    "appointment": N_("Appointment with %(who)s. Connecting you, please hold."),
}
