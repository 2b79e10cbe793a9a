"""Recording fakes of callq's own ports, and of Twilio's HTTP boundary (never mock.patch)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

from twilio.http import HttpClient
from twilio.http.response import Response


@dataclass
class FrozenClock:
    """A clock tests move by hand."""

    current: datetime = field(default_factory=lambda: datetime(2026, 3, 30, 8, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current

    def set(self, instant: datetime) -> datetime:
        assert instant.tzinfo is not None
        self.current = instant.astimezone(UTC)
        return self.current


class RecordingMailer:
    """Keeps sent emails; like the outbox, one key leaves one email. Exceptions put in
    `failures` are raised by the next sends, one each, as a failing server would."""

    def __init__(self) -> None:
        self.sent: dict[str, EmailMessage] = {}
        self.sends = 0
        self.failures: list[BaseException] = []
        self.message_ids: list[str] = []  # of every delivered email, repeats included

    def send(self, message: EmailMessage, key: str) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sends += 1
        self.sent[key] = message
        self.message_ids.append(str(message["Message-ID"]))


class FakeTwilioHttp(HttpClient):
    """Twilio's REST boundary on loopback: records each request, answers canned replies."""

    def __init__(self, replies: list[tuple[int, dict[str, Any]]] | None = None) -> None:
        super().__init__(logging.getLogger("fake-twilio"), False)
        self.requests: list[dict[str, Any]] = []
        self.replies = list(replies or [])
        self.counter = 0

    def request(self, method: str, url: str, params: Any = None, data: Any = None,
                headers: Any = None, auth: Any = None, timeout: Any = None,
                allow_redirects: bool = False) -> Response:
        self.requests.append(dict(method=method, url=url, params=params, data=data, auth=auth))
        if self.replies:
            status, body = self.replies.pop(0)
            return Response(status, json.dumps(body))
        self.counter += 1
        kind = "SM" if url.endswith("/Messages.json") else "CA"
        sid = f"{kind}{self.counter:032x}"
        return Response(201, json.dumps({"sid": sid, "status": "queued"}))
