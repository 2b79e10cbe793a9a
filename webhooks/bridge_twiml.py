"""TwiML of a bridged call (callq.calls.bridge): what the agent hears, then the client's leg."""

from __future__ import annotations

from twilio.twiml.voice_response import VoiceResponse

CLIENT_EVENTS = "initiated ringing answered completed"
DIAL_TIMEOUT_SECONDS = 25


def dial_twiml(
    *, say: str, language: str, voice: str | None, client_number: str, caller_id: str | None,
    action: str, amd_callback: str, status_callback: str,
) -> str:
    """Tell the agent who is being called, then ring the client, with machine detection."""
    response = VoiceResponse()
    response.say(say, language=language, voice=voice)
    dial = response.dial(action=action, method="POST", caller_id=caller_id,
                         timeout=DIAL_TIMEOUT_SECONDS)
    dial.number(client_number, machine_detection="Enable", amd_status_callback=amd_callback,
                amd_status_callback_method="POST", status_callback=status_callback,
                status_callback_method="POST", status_callback_event=CLIENT_EVENTS)
    return str(response)


def goodbye_twiml(say: str | None, *, language: str, voice: str | None) -> str:
    """Say a last sentence (or nothing) and hang up."""
    response = VoiceResponse()
    if say:
        response.say(say, language=language, voice=voice)
    response.hangup()
    return str(response)
