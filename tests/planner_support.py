"""Building blocks of the planner's tests (R12-R17): agents, entries, bookings, sent emails."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from unicodedata import normalize

import pytest
from flask import Flask
from sqlalchemy import Engine, select
from twilio.request_validator import RequestValidator

from callq import db
from callq.app import create_app
from callq.compose import to_bytes
from callq.models import Absence, Agent, Appointment, Bridge, SideEffect, WaitingEntry
from callq.passwords import hash_password
from callq.runtime import Runtime
from scheduling.booking import book_slot
from tests.conftest import settings_for
from tests.fakes import FakeTwilioHttp, RecordingMailer

# The frozen clock starts Monday 30 March 2026, 10:00 in Paris (08:00 UTC, summer time).
MONDAY_14H = datetime(2026, 3, 30, 12, 0, tzinfo=UTC)  # first afternoon slot, 14:00 Paris
SLOT = timedelta(minutes=30)


PASSWORD = "correct horse battery"


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def add_agent(runtime: Runtime, name: str = "Léa Martin", phone: str = "+33612000002",
              **extra: Any) -> int:
    """An active agent (password PASSWORD, email from the first name); returns its id."""
    ascii_name = normalize("NFKD", name.split()[0].lower()).encode("ascii", "ignore").decode()
    email = extra.pop("email", f"{ascii_name}@desk.example")
    with db.write(runtime.sessions) as session:
        agent = Agent(email=email, name=name, phone=phone, password_hash=_password_hash(),
                      **extra)
        session.add(agent)
        session.flush()
        return agent.id


def add_absence(runtime: Runtime, agent_id: int, start: datetime, end: datetime) -> None:
    with db.write(runtime.sessions) as session:
        session.add(Absence(agent_id=agent_id, starts_at=start, ends_at=end, reason="congé"))


def add_entry(runtime: Runtime, number: str = "+33612345678", need: str = "Facturation bloquée",
              **extra: Any) -> int:
    """A waiting entry; returns its id."""
    with db.write(runtime.sessions) as session:
        entry = WaitingEntry(caller_number=number, need_text=need, arrived_at=runtime.now(),
                             queued_at=runtime.now(), **extra)
        session.add(entry)
        session.flush()
        return entry.id


def book(runtime: Runtime, start: datetime = MONDAY_14H, **changes: Any) -> Appointment:
    """Book as a client would; returns the appointment (detached, loaded)."""
    fields: dict[str, Any] = dict(
        client_name="Hélène Dupont", client_email="helene@clinique.example",
        client_phone="+33612345678", client_id=None, entry_id=None, lang="fr")
    fields.update(changes)
    with db.write(runtime.sessions) as session:
        return book_slot(session, runtime, start=start, **fields)


def appointment(runtime: Runtime, appointment_id: int) -> Appointment:
    with runtime.sessions() as session:
        found = session.get(Appointment, appointment_id)
        assert found is not None
        return found


def entry(runtime: Runtime, entry_id: int) -> WaitingEntry:
    with runtime.sessions() as session:
        found = session.get(WaitingEntry, entry_id)
        assert found is not None
        found.events  # noqa: B018 (load the history before the session closes)
        return found


def effects_of(runtime: Runtime, kind: str) -> list[SideEffect]:
    with runtime.sessions() as session:
        return list(session.scalars(select(SideEffect).where(SideEffect.kind == kind)
                                    .order_by(SideEffect.id)))


def received(mailer: RecordingMailer, key: str) -> EmailMessage:
    """An email as the recipient reads it: the wire bytes parsed back."""
    parsed = BytesParser(policy=policy.default).parsebytes(to_bytes(mailer.sent[key]))
    assert isinstance(parsed, EmailMessage)
    return parsed


def calendar_of(message: EmailMessage) -> bytes:
    """The text/calendar part of an iMIP email (its octets)."""
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload


def text_of(message: EmailMessage, subtype: str = "plain") -> str:
    [part] = [p for p in message.walk() if p.get_content_type() == f"text/{subtype}"]
    assert isinstance(part, EmailMessage)
    return str(part.get_content())


class Page(HTMLParser):
    """The parts of a page the tests read: form fields, offered times, error and reason codes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.times: list[str] = []
        self.checked: list[str] = []
        self.error: str | None = None
        self.reason: str | None = None
        self.forms: list[str] = []
        self.days: list[str] = []
        self.notices: list[str] = []
        self.rows: list[tuple[int, str]] = []
        self.labels: list[str] = []
        self.title = ""
        self._text_of: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        self.error = found.get("data-error", self.error)
        self.reason = found.get("data-reason", self.reason)
        if tag == "form":
            self.forms.append(found.get("action", ""))
        if tag == "title" or (tag == "h3" and found.get("class") == "day"):
            self._text_of = tag
        if tag == "p" and found.get("class", "").startswith("notice"):
            self._text_of = "p"
            self.notices.append("")
        if tag == "tr" and "data-id" in found:
            self.rows.append((int(found["data-id"]), found.get("data-status", "")))
        # A time's label (a field's label names its field with `for`).
        if tag == "label" and self._text_of is None and "for" not in found:
            self._text_of = "label"
            self.labels.append("")
        if tag != "input" or "name" not in found:
            return
        if found["name"] == "start":
            self.times.append(found["value"])
            if "checked" in found:
                self.checked.append(found["value"])
        else:
            self.fields.setdefault(found["name"], found.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._text_of:
            self._text_of = None

    def handle_data(self, data: str) -> None:
        if self._text_of == "title":
            self.title += data
        elif self._text_of == "h3":
            self.days.append(data.strip())
        elif self._text_of == "label":
            self.labels[-1] = (self.labels[-1] + data).strip()
        elif self._text_of == "p":
            self.notices[-1] = (self.notices[-1] + data).strip()


def short_target(runtime: Runtime, text: str) -> str:
    """Where the one short link (`/r/<code>`) of an SMS leads."""
    from callq import short_links

    [url] = [word.rstrip(".,") for word in text.split() if "/r/" in word]
    return short_links.resolve(runtime, url.rsplit("/", 1)[1])


def csrf(client: Any, url: str) -> dict[str, str]:
    """The CSRF field a browser would send with the form of `url` (GET first, like a person).

    A page without a form (a refused link) gives the session's token from an earlier page,
    as a browser tab left open would still hold it.
    """
    page = Page(client.get(url).get_data(as_text=True))
    token = page.fields.get("csrf_token") or getattr(client, "last_csrf_token", None)
    client.last_csrf_token = token
    return {"csrf_token": token} if token else {}


def log_in(client: Any, email: str = "lea@desk.example") -> None:
    """Log an agent in through the login form, as a browser would."""
    response = client.post("/login", data={"email": email, "password": PASSWORD,
                                           **csrf(client, "/login")})
    assert response.status_code in (302, 303), response.status_code


class TwilioReports:
    """Twilio calling back about a bridged call: signed form posts, as Twilio sends them."""

    def __init__(self, app: Any) -> None:
        self.client = app.test_client()
        self.runtime = app.extensions["callq"]

    def post(self, path: str, bridge_id: int, **form: str) -> Any:
        query = f"bridge={bridge_id}" + (f"&leg={form.pop('leg')}" if "leg" in form else "")
        url = f"{self.runtime.settings.public_base_url}{path}?{query}"
        form.setdefault("AccountSid", "AC" + "0" * 32)
        signature = RequestValidator(self.runtime.settings.twilio_auth_token).compute_signature(
            url, form)
        response = self.client.post(f"{path}?{query}", data=form,
                                    headers={"X-Twilio-Signature": signature})
        assert response.status_code in (200, 204), (response.status_code, response.data)
        return response

    def agent_answers(self, bridge_id: int, answered_by: str = "human") -> Any:
        return self.post("/twilio/bridge/answer", bridge_id, CallSid=f"CA{bridge_id:032d}",
                         CallStatus="in-progress", AnsweredBy=answered_by)

    def client_detected(self, bridge_id: int, answered_by: str) -> Any:
        return self.post("/twilio/bridge/amd", bridge_id, AnsweredBy=answered_by,
                         CallSid=f"CB{bridge_id:032d}")

    def dial_ends(self, bridge_id: int, status: str, seconds: int = 0) -> Any:
        return self.post("/twilio/bridge/dial", bridge_id, DialCallStatus=status,
                         DialCallSid=f"CB{bridge_id:032d}", DialCallDuration=str(seconds),
                         CallSid=f"CA{bridge_id:032d}")


def bridges(runtime: Runtime) -> list[Bridge]:
    with runtime.sessions() as session:
        return list(session.scalars(select(Bridge).order_by(Bridge.id)))


def calls_placed(http: Any) -> list[str]:
    """The numbers Twilio was asked to call, in order."""
    return [r["data"]["To"] for r in http.requests if r["url"].endswith("/Calls.json")]


def sms_sent(http: Any) -> list[tuple[str, str]]:
    """(to, body) of every SMS Twilio was asked to send."""
    return [(r["data"]["To"], r["data"]["Body"]) for r in http.requests
            if r["url"].endswith("/Messages.json")]


def run_at(runtime: Runtime, queue: Any, clock: Any, instant: datetime) -> None:
    """Move the clock, let the scheduler hand over what is due, and let a worker run it."""
    from callq.effects import reconcile
    from tests.conftest import run_due_jobs

    clock.set(instant)
    reconcile(runtime)
    run_due_jobs(runtime, queue)


@pytest.fixture
def twilio_http() -> FakeTwilioHttp:
    return FakeTwilioHttp()


@pytest.fixture
def twilio_app(tmp_path: Path, engine: Engine, clock: Any, mailer: RecordingMailer,
               queue: Any, twilio_http: FakeTwilioHttp) -> Flask:
    """The app with a Twilio account whose REST API is the recording fake (no network)."""
    settings = settings_for(tmp_path, engine, twilio_account_sid="AC" + "1" * 32,
                            twilio_number="+33970000000")
    flask_app = create_app(settings, clock=clock, adapters={
        "engine": engine, "mailer": mailer, "queue": queue, "twilio_http": twilio_http})
    flask_app.testing = True
    return flask_app
