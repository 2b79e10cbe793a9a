"""Twilio voice webhooks of the hotline number: check, translate, call the intake service, answer.

`POST /twilio/voice` is the number's Voice URL and `POST /twilio/call-status` its status
callback; every other URL is written by callq into its own TwiML (with `?lang=` so that each
step speaks the caller's language). Bad input gets a 4xx JSON reason, never a 500.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from flask import Blueprint, Response, abort, current_app, request
from flask.blueprints import BlueprintSetupState

from callq import intake
from callq.calls.greeting import prompt_language
from callq.placement import lexicon_at
from callq.runtime import Runtime, absolute_url
from webhooks import params, twiml
from webhooks.prompts import voice_for
from webhooks.signature import twilio_signed

blueprint = Blueprint("voice", __name__, url_prefix="/twilio")

# Signed like every parameter; honoured outside production only, so `callq simulate call --at`
# can replay a day against a running server, within years the calendars know.
SIMULATED_AT = "CallqSimulatedAt"
SIMULATED_RANGE = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


@blueprint.record_once
def _check_lexicon(state: BlueprintSetupState) -> None:
    # A broken CALLQ_LEXICON_PATH must stop the start, not every caller's message.
    lexicon_at(state.app.extensions["callq"].settings.lexicon_path)


@blueprint.errorhandler(intake.NotAnIntakeCall)
@blueprint.errorhandler(intake.RecordingElsewhere)
def _conflict(exc: ValueError) -> Any:
    return {"error": "Conflict", "reason": str(exc)}, 409


@blueprint.post("/voice")
@twilio_signed
def voice() -> Response:
    """An incoming call: the greeting of the mode (R1-R3), then agents or the voicemail."""
    runtime = _runtime()
    greeting, lang = intake.start_call(
        runtime, call_sid=_call_sid(), from_raw=request.form.get("From"),
        to_raw=request.form.get("To"),
        status=params.choice("CallStatus", params.CALL_STATUSES, False),
        now=_now(runtime),
    )
    xml = twiml.greet(greeting, _speaker(runtime, lang), _callbacks(lang),
                      runtime.settings.live_ring_seconds)
    return _twiml(xml)


@blueprint.post("/dial-done")
@twilio_signed
def dial_done() -> Response:
    """The agents were rung: an answered call ends here, else the voicemail follows (R1)."""
    runtime = _runtime()
    status = params.choice("DialCallStatus", params.DIAL_STATUSES, True) or ""
    if intake.dial_done(runtime, call_sid=_call_sid(), dial_status=status, now=_now(runtime)):
        return _twiml(twiml.hang_up())
    lang = _lang(runtime)
    return _twiml(twiml.no_agent_answered(_speaker(runtime, lang), _callbacks(lang)))


@blueprint.post("/gather")
@twilio_signed
def gather() -> Response:
    """The stated need as text (empty when the caller said nothing): kept, and filed by a
    worker right after this answer, which sends the call on to `/twilio/standing`."""
    runtime = _runtime()
    intake.accept_need(
        runtime, call_sid=_call_sid(), from_raw=request.form.get("From"),
        speech=request.form.get("SpeechResult", "")[:intake.SPEECH_MAX],
        confidence=params.fraction("Confidence"), now=_now(runtime),
    )
    return _twiml(twiml.redirect(_callbacks(_lang(runtime)).standing))


@blueprint.post("/standing")
@twilio_signed
def standing() -> Response:
    """Where the caller stands (their place, the probable callback moment), read once the
    worker filed the need (or as it will file it), then the recording of name and number."""
    runtime = _runtime()
    found = intake.standing_of_call(runtime, call_sid=_call_sid(), now=_now(runtime))
    lang = _lang(runtime)
    return _twiml(twiml.ask_details(_speaker(runtime, lang), _callbacks(lang), found))


@blueprint.post("/record")
@twilio_signed
def record() -> Response:
    """The `<Record>` action: the caller finished (or hung up); say goodbye."""
    runtime = _runtime()
    recording = intake.Recording(
        sid=params.matching("RecordingSid", params.RECORDING_SID, required=False),
        url=params.recording_url(), seconds=params.whole("RecordingDuration", 86400),
    )
    intake.record_recording(runtime, call_sid=_call_sid(), from_raw=request.form.get("From"),
                            recording=recording, finished=True, now=_now(runtime))
    return _twiml(twiml.goodbye(_speaker(runtime, _lang(runtime))))


@blueprint.post("/recording-status")
@twilio_signed
def recording_status() -> tuple[str, int]:
    """The recording exists (status "completed"): keep it and fetch its audio in a worker."""
    runtime = _runtime()
    call_sid = _call_sid()
    sid = params.matching("RecordingSid", params.RECORDING_SID, required=True)
    if params.choice("RecordingStatus", params.RECORDING_STATUSES, True) != "completed":
        return "", 204  # absent or failed: the message stands without audio
    recording = intake.Recording(sid, params.recording_url(),
                                 params.whole("RecordingDuration", 86400))
    intake.record_recording(runtime, call_sid=call_sid, from_raw=request.form.get("From"),
                            recording=recording, finished=True, now=_now(runtime))
    return "", 204


@blueprint.post("/call-status")
@twilio_signed
def call_status() -> tuple[str, int]:
    """The number's status callback: a call that ends without a message still files one (R7)."""
    runtime = _runtime()
    intake.end_call(
        runtime, call_sid=_call_sid(), from_raw=request.form.get("From"),
        status=params.choice("CallStatus", params.CALL_STATUSES, True) or "",
        duration=params.whole("CallDuration", 86400 * 7),
        sequence=params.whole("SequenceNumber", 10**9), now=_now(runtime),
    )
    return "", 204


def _runtime() -> Runtime:
    runtime: Runtime = current_app.extensions["callq"]
    return runtime


def _now(runtime: Runtime) -> datetime:
    raw = request.form.get(SIMULATED_AT)
    if raw is None or runtime.settings.production:
        return runtime.now()
    try:
        instant = datetime.fromisoformat(raw)
    except ValueError:
        abort(400, description=f"{SIMULATED_AT} must be an ISO 8601 instant, not {raw!r}")
    if instant.utcoffset() is None:
        abort(400, description=f"{SIMULATED_AT} must carry a UTC offset: {raw!r}")
    low, high = SIMULATED_RANGE
    if not low <= instant < high:  # compared as instants: no conversion can overflow
        abort(400, description=f"{SIMULATED_AT} must fall in the years {low.year} to "
                               f"{high.year - 1}: {raw!r}")
    return instant.astimezone(UTC)


def _call_sid() -> str:
    return params.matching("CallSid", params.CALL_SID, required=True) or ""


def _lang(runtime: Runtime) -> str:
    return prompt_language(request.args.get("lang") or runtime.settings.language)


def _speaker(runtime: Runtime, lang: str) -> twiml.Speaker:
    return twiml.Speaker(lang=lang, voice=voice_for(runtime.settings, lang))


def _callbacks(lang: str) -> twiml.Callbacks:
    return _callbacks_on(_runtime().settings.public_base_url, lang)


@lru_cache(maxsize=16)
def _callbacks_on(base: str, lang: str) -> twiml.Callbacks:
    """The URLs Twilio calls back during a call in `lang` (the same for every such call)."""
    return twiml.Callbacks(
        dial_done=absolute_url(base, "/twilio/dial-done", lang=lang),
        gather=absolute_url(base, "/twilio/gather", lang=lang),
        standing=absolute_url(base, "/twilio/standing", lang=lang),
        record=absolute_url(base, "/twilio/record", lang=lang),
        recording_status=absolute_url(base, "/twilio/recording-status"),
    )


def _twiml(xml: str) -> Response:
    return Response(xml, mimetype="text/xml")
