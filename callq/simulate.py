"""`callq simulate call`: Twilio's side of one incoming call, played over HTTP against a running
callq and signed like Twilio signs, so anyone can watch the waiting room fill without an account.

The simulator follows the TwiML it is given: it speaks the need to a `<Gather>`, lets the agents'
`<Dial>` go unanswered (or answered), records something for a `<Record>` and sends its status
callback, then reports the call "completed" to the number's status callback, as Twilio would.
"""

from __future__ import annotations

import hashlib
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

import click
from twilio.request_validator import RequestValidator

from callq import intake
from callq.bootstrap import settings_from
from callq.settings import SettingsError
from scheduling.calendar import load_calendar

if TYPE_CHECKING:
    from callq.runtime import Runtime

ACCOUNT_SID = "AC" + "0" * 32
SIMULATED_AT = "CallqSimulatedAt"  # the server's webhooks honour it outside production


class SimulationError(RuntimeError):
    """callq could not be reached or refused a step; the message says which."""


@dataclass(frozen=True)
class Caller:
    """What the simulated caller does."""

    number: str
    need: str = ""
    hangup_early: bool = False
    agent_answers: bool = False
    recording_seconds: int = 14


@dataclass
class Line:
    """The HTTP side of Twilio: signs each request with the public URL, sends it to `base_url`."""

    base_url: str
    public_url: str
    token: str
    at: datetime | None = None
    echo: Callable[[str], None] = lambda _line: None
    steps: list[tuple[str, int, str]] = field(default_factory=list)
    elapsed: int = 0  # simulated seconds since the call began

    def post(self, url: str, params: dict[str, str], *, seconds_later: int = 0) -> str:
        """POST one callback (an absolute public URL or a path); return the response body."""
        public = url if url.startswith(("http://", "https://")) else self.public_url + url
        self.elapsed += seconds_later
        if self.at is not None:
            params = {**params, SIMULATED_AT: (self.at + timedelta(
                seconds=self.elapsed)).isoformat()}
        signature = RequestValidator(self.token).compute_signature(public, params)
        parts = urlsplit(public)
        target = self.base_url.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query
                                                           else "")
        self.echo(f"→ POST {parts.path}{'?' + parts.query if parts.query else ''}")
        request = Request(target, data=urlencode(params).encode(), method="POST", headers={
            "X-Twilio-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded"})
        status, body = _send(request, target)
        self.steps.append((parts.path, status, body))
        self.echo(f"← {status}" + (f"\n{_pretty(body)}" if body.strip() else ""))
        return body


def _send(request: Request, target: str) -> tuple[int, str]:
    try:
        with urlopen(request, timeout=15) as response:  # noqa: S310 (a URL the user gave)
            return response.status, response.read().decode("utf-8")
    except HTTPError as exc:
        body = exc.read().decode("utf-8", "replace")
        if exc.code == 403:
            raise SimulationError(
                f"callq answered 403 to {target}: the Twilio signature did not match. The "
                f"server checks it against its own CALLQ_PUBLIC_BASE_URL: set "
                f"CALLQ_PUBLIC_BASE_URL to the URL the server was started with (and the same "
                f"CALLQ_TWILIO_AUTH_TOKEN)") from None
        raise SimulationError(f"callq answered {exc.code} to {target}: {body}") from None
    except URLError as exc:
        raise SimulationError(f"callq is not reachable at {target}: {exc.reason}") from None


def _pretty(body: str) -> str:
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return body
    ET.indent(root)
    return ET.tostring(root, encoding="unicode")


def simulate_call(line: Line, caller: Caller, *, to: str) -> str:
    """Play one call to its end; return its CallSid."""
    call_sid = "CA" + uuid.uuid4().hex
    common = {"AccountSid": ACCOUNT_SID, "ApiVersion": "2010-04-01", "CallSid": call_sid,
              "From": caller.number, "To": to, "Caller": caller.number, "Called": to,
              "Direction": "inbound"}
    twiml: str | None = line.post("/twilio/voice", {**common, "CallStatus": "ringing"})
    while twiml:
        twiml = _follow(line, caller, common, twiml)
    line.post("/twilio/call-status", {**common, "CallStatus": "completed",
                                      "CallDuration": str(line.elapsed + 5)}, seconds_later=5)
    return call_sid


def _follow(line: Line, caller: Caller, common: dict[str, str], twiml: str) -> str | None:
    """Act on one TwiML document; return the next one, or None when the call is over."""
    live = {**common, "CallStatus": "in-progress"}
    for verb in ET.fromstring(twiml):
        if verb.tag == "Dial":
            status = "completed" if caller.agent_answers else "no-answer"
            line.echo(f"(the agents' phones ring: {status})")
            return line.post(verb.attrib["action"], {**live, "DialCallStatus": status},
                             seconds_later=20)
        if verb.tag == "Gather":
            if caller.hangup_early:
                line.echo("(the caller hangs up)")
                return None
            line.echo(f"(the caller says: {caller.need!r})")
            return line.post(verb.attrib["action"], {**live, "SpeechResult": caller.need,
                                                     "Confidence": "0.91"}, seconds_later=10)
        if verb.tag == "Record":
            return _record(line, caller, live, verb)
        if verb.tag == "Hangup":
            return None
        if verb.tag == "Redirect" and verb.text:
            return line.post(verb.text, live)
    return None


def _record(line: Line, caller: Caller, live: dict[str, str], verb: ET.Element) -> str:
    sid = "RE" + uuid.uuid4().hex
    url = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{sid}"
    seconds = str(caller.recording_seconds)
    recording = {"RecordingSid": sid, "RecordingUrl": url, "RecordingDuration": seconds}
    following = line.post(verb.attrib["action"], {**live, **recording, "Digits": "#"},
                          seconds_later=caller.recording_seconds + 2)
    status_url = verb.attrib.get("recordingStatusCallback")
    if status_url:
        line.post(status_url, {"AccountSid": live["AccountSid"], "CallSid": live["CallSid"],
                               **recording, "RecordingStatus": "completed",
                               "RecordingChannels": "1", "RecordingSource": "RecordVerb"},
                  seconds_later=1)
    return following


# The demo's first evening of messages: (minutes after 19:00 yesterday, caller, stated need).
DEMO_MESSAGES = (
    (0, "+33612345678", "Le serveur est en panne, plus rien ne marche à la clinique"),
    (12, "+33698765432", "Rappelez-moi s'il vous plaît"),
    (25, "+33478000002", "La facture ne correspond pas au devis"),
    (40, "+33611223344", "L'imprimante des ordonnances n'imprime plus"),
    (55, "+33612345678", "Le serveur est toujours en panne"),
)


def leave_demo_messages(runtime: Runtime) -> int:
    """File the demo's voicemails through the intake services, as calls of last evening."""
    calendar = runtime.calendar()
    evening = datetime.combine(calendar.local(runtime.now()).date() - timedelta(days=1),
                               time(19), tzinfo=calendar.tz)
    for minutes, number, need in DEMO_MESSAGES:
        at = (evening + timedelta(minutes=minutes)).astimezone(UTC)
        sid = "CA" + hashlib.sha256(f"demo-{minutes}".encode()).hexdigest()[:32]
        intake.start_call(runtime, call_sid=sid, from_raw=number, to_raw=None,
                          status="ringing", now=at)
        intake.record_need(runtime, call_sid=sid, from_raw=number, speech=need,
                           confidence=0.9, now=at + timedelta(seconds=20))
    return len(DEMO_MESSAGES)


def parse_at(raw: str | None, calendar_name: str) -> datetime | None:
    """An ISO instant; without an offset it is read in the business calendar's zone."""
    if not raw:
        return None
    try:
        instant = datetime.fromisoformat(raw)
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 date and time: {raw!r}") from None
    if instant.utcoffset() is None:
        instant = instant.replace(tzinfo=load_calendar(calendar_name).tz)
    return instant.astimezone(UTC)


@click.group("simulate")
def command() -> None:
    """Play Twilio's side of calls against a running callq (no Twilio account needed)."""


@command.command("call")
@click.option("--from", "from_number", required=True,
              help="Caller number (E.164 or national), or 'anonymous' for a withheld one.")
@click.option("--need", default="", help="What the caller says when asked for the need.")
@click.option("--url", default=None,
              help="Where callq listens. [default: CALLQ_PUBLIC_BASE_URL]")
@click.option("--hangup-early", is_flag=True, help="Hang up before stating the need.")
@click.option("--agent-answers", is_flag=True, help="An agent picks up when rung (mornings).")
@click.option("--at", "at", default=None,
              help="When the call happens (ISO; no offset = the calendar's zone). Honoured by "
                   "servers outside production.")
@click.option("--to", default=None, help="The hotline number. [default: CALLQ_TWILIO_NUMBER]")
def call(from_number: str, need: str, url: str | None, hangup_early: bool,
         agent_answers: bool, at: str | None, to: str | None) -> None:
    """Call the hotline: print every TwiML step callq answers."""
    try:
        # The running service's URL when `callq serve` recorded it and the setting is unset.
        settings = settings_from()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    # Signed with the token the server checks: the setting, or the one kept in instance/
    # (settings_from filled it in).
    token = settings.twilio_auth_token
    public = settings.public_base_url.rstrip("/")
    line = Line(base_url=url or public, public_url=public, token=token,
                at=parse_at(at, settings.calendar), echo=click.echo)
    caller = Caller(number=from_number, need=need, hangup_early=hangup_early,
                    agent_answers=agent_answers)
    try:
        call_sid = simulate_call(line, caller, to=to or settings.twilio_number or "+33970000000")
    except SimulationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"call {call_sid} ended after {len(line.steps)} requests")
