"""Realistic, signed Twilio voice callbacks (reference/protocols.md B3) and TwiML parsing."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from twilio.request_validator import RequestValidator

from callq import db, intake
from callq.models import Agent, Client, ClientPhone

TOKEN = "test-twilio-token"
BASE = "https://callq.example.test"
ACCOUNT = "AC0123456789abcdef0123456789abcdef"
HOTLINE = "+33970000000"


def call_sid(n: int) -> str:
    """A well-formed CallSid, different for each n."""
    return f"CA{n:032x}"


def recording_sid(n: int) -> str:
    """A well-formed RecordingSid, different for each n."""
    return f"RE{n:032x}"


def recording_url(n: int) -> str:
    return f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Recordings/{recording_sid(n)}"


def common(n: int, caller: str = "+33612345678") -> dict[str, str]:
    return {"AccountSid": ACCOUNT, "ApiVersion": "2010-04-01", "CallSid": call_sid(n),
            "From": caller, "To": HOTLINE, "Caller": caller, "Called": HOTLINE,
            "Direction": "inbound"}


def incoming(n: int, caller: str = "+33612345678") -> dict[str, str]:
    """B3.1: the number's Voice URL request."""
    return {**common(n, caller), "CallStatus": "ringing", "FromCountry": "FR", "ToCountry": "FR",
            "FromCity": "", "FromState": "", "FromZip": "", "ToCity": "", "ToState": "",
            "ToZip": "", "CallerCountry": "FR", "CalledCountry": "FR"}


def speech(n: int, text: str, caller: str = "+33612345678",
           confidence: str = "0.8734") -> dict[str, str]:
    """B3.2: the Gather action with a speech result (empty when the caller said nothing)."""
    return {**common(n, caller), "CallStatus": "in-progress", "SpeechResult": text,
            "Confidence": confidence}


def record_action(n: int, caller: str = "+33612345678", seconds: int = 14) -> dict[str, str]:
    """B3.3: the Record action."""
    return {**common(n, caller), "CallStatus": "in-progress", "RecordingUrl": recording_url(n),
            "RecordingDuration": str(seconds), "RecordingSid": recording_sid(n), "Digits": "#"}


def recording_status(n: int, seconds: int = 14) -> dict[str, str]:
    """B3.4: the recording-status callback."""
    return {"AccountSid": ACCOUNT, "CallSid": call_sid(n), "RecordingSid": recording_sid(n),
            "RecordingUrl": recording_url(n), "RecordingStatus": "completed",
            "RecordingDuration": str(seconds), "RecordingChannels": "1",
            "RecordingStartTime": "Mon, 30 Mar 2026 08:00:05 +0000",
            "RecordingSource": "RecordVerb", "RecordingTrack": "both", "ErrorCode": "0"}


def call_status(n: int, status: str = "completed", caller: str = "+33612345678",
                duration: int = 42, sequence: int | None = None) -> dict[str, str]:
    """B3.6: the number's call-status callback."""
    params = {**common(n, caller), "CallStatus": status, "CallDuration": str(duration),
              "Timestamp": "Mon, 30 Mar 2026 08:01:10 +0000",
              "CallbackSource": "call-progress-events"}
    if sequence is not None:
        params["SequenceNumber"] = str(sequence)
    return params


def dial_done(n: int, status: str, caller: str = "+33612345678") -> dict[str, str]:
    """B3.8: the Dial action."""
    return {**common(n, caller), "CallStatus": "in-progress", "DialCallStatus": status,
            "DialCallSid": "CA" + "f" * 32, "DialCallDuration": "0"}


def post(client: Any, url: str, params: dict[str, str], *, token: str = TOKEN,
         signature: str | None = None, follow: bool = True) -> Any:
    """POST a callback signed as Twilio signs it (path or absolute public URL); an answer that
    is only a `<Redirect>` is followed at once with the call's parameters, as Twilio does
    (`follow=False`: the answer itself)."""
    public = url if url.startswith("https://") else BASE + url
    sign = RequestValidator(token).compute_signature(public, params)
    parts = urlsplit(public)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"X-Twilio-Signature": sign if signature is None else signature}
    answer = client.post(path, data=params, headers=headers)
    target = redirected_to(answer) if follow else None
    if target is None:
        return answer
    return post(client, target, {k: v for k, v in params.items()
                                 if k not in ("SpeechResult", "Confidence")}, token=token)


def redirected_to(response: Any) -> str | None:
    """The URL of a TwiML answer made of one `<Redirect>`, else None."""
    if response.status_code != 200 or response.mimetype != "text/xml":
        return None
    root = ET.fromstring(response.get_data())
    if len(root) == 1 and root[0].tag == "Redirect":
        return root[0].text
    return None


def twiml(response: Any) -> ET.Element:
    """The TwiML of a response, parsed; asserts it is TwiML."""
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/xml"
    root = ET.fromstring(response.get_data())
    assert root.tag == "Response"
    return root


def verbs(root: ET.Element) -> list[str]:
    """The top-level verbs in order."""
    return [child.tag for child in root]


def spoken(root: ET.Element) -> str:
    """Everything said, nested Says included, as one text."""
    return " ".join((say.text or "") for say in root.iter("Say"))


def add_agent(runtime: Any, name: str, phone: str | None, *, active: bool = True) -> int:
    with db.write(runtime.sessions) as session:
        agent = Agent(email=f"{name.lower()}@desk.test", name=name, phone=phone,
                      password_hash="x", active=active)
        session.add(agent)
        session.flush()
        return agent.id


def add_client(runtime: Any, name: str, *numbers: str, version: str | None = "2026.1",
               email: str | None = None, language: str = "fr") -> int:
    with db.write(runtime.sessions) as session:
        client = Client(name=name, email=email, product_version=version, language=language,
                        phones=[ClientPhone(number=n) for n in numbers])
        session.add(client)
        session.flush()
        return client.id


def rows(runtime: Any, model: Any) -> list[Any]:
    with runtime.sessions() as session:
        return list(session.scalars(select(model).order_by(model.id)))


def message(runtime: Any, n: int, caller: str = "+33612345678", need: str = "",
            at: Any = None) -> None:
    """Through the services: a call comes in, then its speech result states `need`."""
    now = at or runtime.now()
    intake.start_call(runtime, call_sid=call_sid(n), from_raw=caller, to_raw=HOTLINE,
                      status="ringing", now=now)
    intake.record_need(runtime, call_sid=call_sid(n), from_raw=caller, speech=need,
                       confidence=0.9, now=now + timedelta(seconds=20))


def hang_up(runtime: Any, n: int, caller: str = "+33612345678", at: Any = None) -> None:
    """Through the services: a call comes in and ends before the caller states a need."""
    now = at or runtime.now()
    intake.start_call(runtime, call_sid=call_sid(n), from_raw=caller, to_raw=None,
                      status="ringing", now=now)
    intake.end_call(runtime, call_sid=call_sid(n), from_raw=caller, status="completed",
                    duration=4, sequence=None, now=now + timedelta(seconds=4))
