"""Real SMTP delivery (R13): the invitation emails of a booking, a move and a cancel go through
the real SMTPMailer to an aiosmtpd server on loopback; what arrives is parsed back."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from callq import db
from callq.adapters.mail import SMTPMailer
from callq.app import create_app
from scheduling.booking import cancel_appointment, move_appointment
from scheduling.invitations import Method
from tests.conftest import run_due_jobs, settings_for
from tests.planner_support import MONDAY_14H, add_agent, book
from tests.unit.test_invitations import assert_itip, read_all


class Inbox:
    """An aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_inbox() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def test_r13_invitations_arrive_through_real_smtp_with_rising_sequence(tmp_path, engine, clock,
                                                                       queue, smtp_inbox):
    inbox, port = smtp_inbox
    app = create_app(settings_for(tmp_path, engine, smtp_url=f"smtp://127.0.0.1:{port}",
                                  smtp_require_tls=False),
                     adapters={"engine": engine, "queue": queue}, clock=clock)
    runtime = app.extensions["callq"]
    assert isinstance(runtime.mailer, SMTPMailer)
    add_agent(runtime)
    appt = book(runtime)
    later = MONDAY_14H + timedelta(days=1)
    with db.write(runtime.sessions) as session:
        move_appointment(session, runtime, appt.id, start=later)
    with db.write(runtime.sessions) as session:
        cancel_appointment(session, runtime, appt.id)
    run_due_jobs(runtime, queue)

    assert [(sender, rcpt) for sender, rcpt, _ in inbox.messages] == [
        ("support@callq.example.test", ["helene@clinique.example"])] * 3
    readings = []
    for _, _, raw in inbox.messages:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(message, EmailMessage)
        assert message.get_content_type() == "multipart/alternative"
        parts = list(message.iter_parts())
        assert [p.get_content_type() for p in parts] == ["text/plain", "text/html",
                                                         "text/calendar"]
        ics = parts[2]
        payload = ics.get_payload(decode=True)
        assert isinstance(payload, bytes)
        method = Method(ics.get_param("method"))
        assert_itip(payload, method)
        assert ics.get_content_charset() == "utf-8" and ics.get("Content-Disposition") is None
        readings.append(read_all(payload))
    assert [r[:5] for r in readings] == [
        ("REQUEST", "appt-1@callq.example.test", 0, "CONFIRMED", MONDAY_14H),
        ("REQUEST", "appt-1@callq.example.test", 1, "CONFIRMED", later),
        ("CANCEL", "appt-1@callq.example.test", 2, "CANCELLED", later),
    ]
