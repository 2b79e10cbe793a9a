"""Call gateways: Twilio's REST API, or a logging gateway when no account is configured."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from twilio.http import HttpClient
from twilio.rest import Client as TwilioClient

from callq import db
from callq.models import GatewayRecord
from callq.ports import CallGateway
from callq.settings import Settings

log = logging.getLogger(__name__)


class TwilioGateway:
    """The real thing, through twilio-python (an `HttpClient` can be injected for tests)."""

    def __init__(
        self, account_sid: str, auth_token: str, number: str, http_client: HttpClient | None = None
    ) -> None:
        self.client = TwilioClient(account_sid, auth_token, http_client=http_client)
        self.number = number
        self.auth = (account_sid, auth_token)

    def place_call(
        self, *, to: str, url: str, status_callback: str, key: str, machine_detection: bool = False
    ) -> str:
        extra: dict[str, Any] = {"machine_detection": "Enable"} if machine_detection else {}
        call = self.client.calls.create(
            to=to,
            from_=self.number,
            url=url,
            status_callback=status_callback,
            status_callback_event=["initiated", "ringing", "answered", "completed"],
            **extra,
        )
        return str(call.sid)

    def send_sms(self, *, to: str, body: str, key: str) -> str:
        message = self.client.messages.create(to=to, from_=self.number, body=body)
        return str(message.sid)

    def fetch_recording(self, url: str) -> bytes:
        media = url if url.endswith((".mp3", ".wav")) else url + ".mp3"
        response = self.client.http_client.request("GET", media, auth=self.auth)
        if response.status_code != 200:
            raise RuntimeError(f"recording download failed: HTTP {response.status_code}")
        content = getattr(response, "content", None)
        return content if isinstance(content, bytes) else response.text.encode("latin-1")


def logged_sid(prefix: str, key: str) -> str:
    """A deterministic fake SID: the same effect key always names the same logged call."""
    return prefix + hashlib.sha256(key.encode()).hexdigest()[:32]


class LoggingGateway:
    """Records calls and SMS in the database and the log instead of placing them."""

    def __init__(self, sessions: sessionmaker[Session], number: str = "") -> None:
        self.sessions = sessions
        self.number = number or None

    def place_call(
        self, *, to: str, url: str, status_callback: str, key: str, machine_detection: bool = False
    ) -> str:
        params = {"url": url, "status_callback": status_callback, "amd": machine_detection}
        return self._record("call", "CA", to, None, params, key)

    def send_sms(self, *, to: str, body: str, key: str) -> str:
        return self._record("sms", "SM", to, body, {}, key)

    def fetch_recording(self, url: str) -> bytes:
        raise LookupError("no Twilio account: recordings exist only as local files")

    def _record(
        self, kind: str, prefix: str, to: str, body: str | None, params: dict[str, Any], key: str
    ) -> str:
        sid = logged_sid(prefix, key)
        with db.write(self.sessions) as session:
            if session.scalar(select(GatewayRecord.id).where(GatewayRecord.sid == sid)) is None:
                session.add(GatewayRecord(
                    kind=kind, sid=sid, to_number=to, from_number=self.number, body=body,
                    params=params,
                ))
        log.info("no Twilio account: %s to %s logged as %s (%s)", kind, to, sid, body or params)
        return sid


def build_gateway(
    settings: Settings, sessions: sessionmaker[Session], http_client: HttpClient | None = None
) -> CallGateway:
    """Twilio when an account is configured, else the logging gateway."""
    if settings.twilio_account_sid:
        return TwilioGateway(
            settings.twilio_account_sid, settings.twilio_auth_token, settings.twilio_number,
            http_client=http_client,
        )
    return LoggingGateway(sessions, settings.twilio_number)

