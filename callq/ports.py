"""The ports: what services ask of the outside world, as small protocols.

Services and use cases depend on these, never on an adapter; composition roots
(callq.bootstrap) choose the adapter, and tests pass recording fakes of the same protocols.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from typing import Any, Protocol


class Clock(Protocol):
    """The current instant, tz-aware UTC (tests pass a clock they move by hand)."""

    def __call__(self) -> datetime: ...


class Mailer(Protocol):
    """Sends one email; `key` is the idempotency key of the effect that sends it."""

    def send(self, message: EmailMessage, key: str) -> None: ...


class CallGateway(Protocol):
    """What callq asks of a telephony provider."""

    def place_call(
        self, *, to: str, url: str, status_callback: str, key: str, machine_detection: bool = False
    ) -> str:
        """Dial `to`; Twilio then fetches TwiML from `url`. Returns the CallSid."""
        ...

    def send_sms(self, *, to: str, body: str, key: str) -> str:
        """Send a text message. Returns the message SID."""
        ...

    def fetch_recording(self, url: str) -> bytes:
        """Download a recording's audio (server-side, with the account's credentials)."""
        ...


class JobQueue(Protocol):
    """Hands work to workers; it only delivers, the database says what is due."""

    def enqueue(self, function: str, *args: Any, job_id: str | None = None,
                pool: str | None = None) -> bool:
        """Hand a job to the workers of `pool`; False when it could not be handed over."""
        ...

    def depth(self, pools: Sequence[str]) -> int | None:
        """How many jobs wait in these pools' queues; None when that cannot be told."""
        ...


class DeliveryError(Exception):
    """An outside call failed for sure (nothing was delivered); worth trying again later.

    Any other exception of a use case counts the same; the subclasses say more.
    """


class PermanentFailure(DeliveryError):
    """The provider refused for good (SMTP 5xx, Twilio 4xx): trying again cannot help."""


class UnconfirmedDelivery(Exception):
    """The request reached the provider but its answer never came: it may have been
    delivered, so it is not sent again on its own."""


class Mailbox(Protocol):
    """The support address's mailbox, opened for one poll (IMAP)."""

    def waiting(self) -> list[int]:
        """The ids (IMAP UIDs) of the emails still to file, oldest first."""
        ...

    def size(self, uid: int) -> int | None:
        """An email's size in bytes, read before its bytes are (None when it is gone)."""
        ...

    def fetch(self, uid: int) -> tuple[bytes, datetime | None] | None:
        """An email's bytes and when the server received it (None when it is gone)."""
        ...

    def file_away(self, uid: int) -> None:
        """Move a filed (or ignored) email to the done folder."""
        ...
