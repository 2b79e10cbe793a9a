"""Twilio voice callbacks as Twilio sends them (reference/protocols.md B3), signed in advance.

Each call gets its own CallSid: the intake is idempotent per CallSid, so replaying one request
would measure the dedupe path instead of the write path.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from bench.instance import TWILIO_TOKEN
from bench.load import Prepared
from scheduling.calendar import BusinessCalendar, Mode

ACCOUNT = "AC0123456789abcdef0123456789abcdef"
HOTLINE = "+33970000000"
# Signed like every parameter and honoured outside production: it pins the hotline's mode
# (webhooks/voice.py), so every run measures the same path whatever the time of day.
SIMULATED_AT = "CallqSimulatedAt"
_validator = RequestValidator(TWILIO_TOKEN)


def call_sid(n: int) -> str:
    """A well-formed CallSid, different for each n."""
    return f"CA{n:032x}"


def recording_sid(n: int) -> str:
    """A well-formed RecordingSid, different for each n."""
    return f"RE{n:032x}"


def signed(public_base: str, path: str, params: dict[str, str]) -> Prepared:
    """A request signed as Twilio signs it: over the public URL (with query) and the form."""
    signature = _validator.compute_signature(public_base.rstrip("/") + path, params)
    return Prepared(path, signature, urlencode(params))


def instant_in(calendar: BusinessCalendar, mode: Mode, after: datetime) -> datetime:
    """An instant one hour into the next opening of `mode` after `after` (UTC)."""
    opening = calendar.next_opening(after, mode)
    if opening is None:
        raise LookupError(f"no {mode} opening within the calendar's reach")
    return min(opening.start + timedelta(hours=1), opening.end - timedelta(minutes=1))


def _common(n: int, caller: str, at: datetime) -> dict[str, str]:
    return {"AccountSid": ACCOUNT, "ApiVersion": "2010-04-01", "CallSid": call_sid(n),
            "From": caller, "To": HOTLINE, "Caller": caller, "Called": HOTLINE,
            "Direction": "inbound", SIMULATED_AT: at.isoformat()}


def incoming(n: int, caller: str, at: datetime) -> dict[str, str]:
    """B3.1: the number's Voice URL request."""
    return {**_common(n, caller, at), "CallStatus": "ringing", "FromCountry": "FR",
            "ToCountry": "FR", "FromCity": "", "FromState": "", "FromZip": "", "ToCity": "",
            "ToState": "", "ToZip": "", "CallerCountry": "FR", "CalledCountry": "FR"}


def speech(n: int, caller: str, text: str, at: datetime) -> dict[str, str]:
    """B3.2: the Gather action with the caller's stated need."""
    return {**_common(n, caller, at), "CallStatus": "in-progress", "SpeechResult": text,
            "Confidence": "0.8734"}


def redirected(n: int, caller: str, at: datetime) -> dict[str, str]:
    """A `<Redirect>` (gather's answer, to /twilio/standing): the call's parameters."""
    return {**_common(n, caller, at), "CallStatus": "in-progress"}


def record_action(n: int, caller: str, at: datetime) -> dict[str, str]:
    """B3.3: the Record action."""
    return {**_common(n, caller, at), "CallStatus": "in-progress",
            "RecordingUrl": _recording_url(n), "RecordingDuration": "14",
            "RecordingSid": recording_sid(n), "Digits": "#"}


def recording_status(n: int, at: datetime) -> dict[str, str]:
    """B3.4: the recording-status callback."""
    return {"AccountSid": ACCOUNT, "CallSid": call_sid(n), "RecordingSid": recording_sid(n),
            "RecordingUrl": _recording_url(n), "RecordingStatus": "completed",
            "RecordingDuration": "14", "RecordingChannels": "1",
            "RecordingSource": "RecordVerb", "RecordingTrack": "both", "ErrorCode": "0",
            SIMULATED_AT: at.isoformat()}


def call_status(n: int, caller: str, at: datetime) -> dict[str, str]:
    """B3.6: the number's call-status callback, the call completed."""
    return {**_common(n, caller, at), "CallStatus": "completed", "CallDuration": "42",
            "CallbackSource": "call-progress-events", "SequenceNumber": "3"}


def _recording_url(n: int) -> str:
    return f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Recordings/{recording_sid(n)}"


def conversation(public_base: str, n: int, caller: str, need: str,
                 at: datetime) -> list[Prepared]:
    """Every callback of one voicemail call, in the order Twilio sends them."""
    return [
        signed(public_base, "/twilio/voice", incoming(n, caller, at)),
        signed(public_base, "/twilio/gather?lang=fr", speech(n, caller, need, at)),
        signed(public_base, "/twilio/standing?lang=fr", redirected(n, caller, at)),
        signed(public_base, "/twilio/record?lang=fr", record_action(n, caller, at)),
        signed(public_base, "/twilio/recording-status", recording_status(n, at)),
        signed(public_base, "/twilio/call-status", call_status(n, caller, at)),
    ]


def callers(count: int, known: Sequence[str], share_known: float = 0.5) -> list[str]:
    """Caller numbers: a share of known clients' numbers, the rest unknown mobiles."""
    step = max(1, round(1 / share_known)) if share_known else 0
    return [known[i % len(known)] if known and step and i % step == 0
            else f"+336{(i * 7919) % 10**8:08d}" for i in range(count)]
