"""Call gateways: Twilio's REST API, or a logging gateway when no account is configured.

Twilio's answers say how a request failed (callq.ports): a 4xx other than 429 is permanent; a
connection that never opened, a 429 or a 5xx delivered nothing; a request sent whose answer
never came is unconfirmed. Each request is bounded by the send deadline (connect and read).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from requests.exceptions import ConnectionError as RequestsConnectionError
from requests.exceptions import ConnectTimeout, ReadTimeout
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from twilio.base.exceptions import TwilioRestException
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client as TwilioClient

from callq import db
from callq.models import GatewayRecord
from callq.ports import CallGateway, DeliveryError, PermanentFailure, UnconfirmedDelivery
from callq.settings import Settings

T = TypeVar("T")

log = logging.getLogger(__name__)


class TwilioGateway:
    """The real thing, through twilio-python (an `HttpClient` can be injected for tests)."""

    def __init__(
        self, account_sid: str, auth_token: str, number: str, http_client: HttpClient | None = None,
        deadline: float = 60.0,
    ) -> None:
        http_client = http_client or TwilioHttpClient(timeout=deadline)
        self.client = TwilioClient(account_sid, auth_token, http_client=http_client)
        self.number = number
        self.auth = (account_sid, auth_token)

    def place_call(
        self, *, to: str, url: str, status_callback: str, key: str, machine_detection: bool = False
    ) -> str:
        extra: dict[str, Any] = {"machine_detection": "Enable"} if machine_detection else {}
        call = _request(lambda: self.client.calls.create(
            to=to,
            from_=self.number,
            url=url,
            status_callback=status_callback,
            status_callback_event=["initiated", "ringing", "answered", "completed"],
            **extra,
        ))
        return str(call.sid)

    def send_sms(self, *, to: str, body: str, key: str) -> str:
        message = _request(lambda: self.client.messages.create(to=to, from_=self.number,
                                                               body=body))
        return str(message.sid)

    def fetch_recording(self, url: str) -> bytes:
        media = url if url.endswith((".mp3", ".wav")) else url + ".mp3"
        response = self.client.http_client.request("GET", media, auth=self.auth)
        if response.status_code != 200:
            raise RuntimeError(f"recording download failed: HTTP {response.status_code}")
        content = getattr(response, "content", None)
        return content if isinstance(content, bytes) else response.text.encode("latin-1")


def _request(call: Callable[[], T]) -> T:
    """One request to Twilio, its failure said as callq's ports say it."""
    try:
        return call()
    except TwilioRestException as exc:
        if 400 <= exc.status < 500 and exc.status != 429:
            raise PermanentFailure(f"Twilio refused: HTTP {exc.status} {exc.msg}") from exc
        raise DeliveryError(f"Twilio failed: HTTP {exc.status} {exc.msg}") from exc
    except (ConnectTimeout, ReadTimeout) as exc:
        if isinstance(exc, ConnectTimeout):
            raise DeliveryError(f"Twilio unreachable: {exc}") from exc
        raise UnconfirmedDelivery(f"Twilio did not answer in time: {exc}") from exc
    except RequestsConnectionError as exc:
        raise DeliveryError(f"Twilio unreachable: {exc}") from exc


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
            record = session.scalar(select(GatewayRecord).where(GatewayRecord.sid == sid))
            if record is None:
                session.add(GatewayRecord(
                    kind=kind, sid=sid, to_number=to, from_number=self.number, body=body,
                    params=params,
                ))
            else:  # a provider would have sent it again: say so (fault tests count these)
                record.params = {**record.params, "repeats": record.params.get("repeats", 0) + 1}
                log.warning("no Twilio account: %s %s asked for again", kind, sid)
        log.info("no Twilio account: %s to %s logged as %s (%s)", kind, to, sid, body or params)
        return sid


def build_gateway(
    settings: Settings, sessions: sessionmaker[Session], http_client: HttpClient | None = None
) -> CallGateway:
    """Twilio when an account is configured, else the logging gateway."""
    if settings.twilio_account_sid:
        return TwilioGateway(
            settings.twilio_account_sid, settings.twilio_auth_token, settings.twilio_number,
            http_client=http_client, deadline=settings.send_deadline_seconds,
        )
    return LoggingGateway(sessions, settings.twilio_number)

