"""Signed, expiring tokens for the links we email and text (booking, manage, cancel).

itsdangerous tokens signed with CALLQ_SECRET_KEY, one salt per purpose; time is an argument
(the signer reads the given instant, not the wall clock), so signing and reading do no I/O.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

# A link that says how long it serves ("u": until, a UNIX time) is read against that instant,
# never beyond this bound; one that does not is read against the purpose's max_age.
LONGEST = timedelta(days=400)


class LinkError(ValueError):
    """A link that cannot be honoured; `reason` is "invalid", "expired" or "used"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _serializer(secret: str, salt: str, now: datetime) -> URLSafeTimedSerializer:
    stamp = int(now.timestamp())

    class _SignedAt(TimestampSigner):
        def get_timestamp(self) -> int:
            return stamp

    return URLSafeTimedSerializer(secret, salt=salt, signer=_SignedAt)


def sign(secret: str, salt: str, now: datetime, data: Any) -> str:
    """A token carrying `data`, signed as of `now`."""
    return str(_serializer(secret, salt, now).dumps(data))


def load(secret: str, salt: str, token: str, now: datetime, max_age: timedelta) -> Any:
    """The data of a token; LinkError("expired"/"invalid") if too old, forged or altered.

    A token whose data carries "u" (until) lives until then: a link lasts as long as what it
    serves can still be acted on, not a fixed number of days.
    """
    try:
        data, signed_at = _serializer(secret, salt, now).loads(
            token, max_age=int(LONGEST.total_seconds()), return_timestamp=True)
    except SignatureExpired:
        raise LinkError("expired") from None
    except BadSignature:
        raise LinkError("invalid") from None
    if now > _limit(data, signed_at, max_age):
        raise LinkError("expired")
    return data


def _limit(data: Any, signed_at: datetime, max_age: timedelta) -> datetime:
    until = data.get("u") if isinstance(data, dict) else None
    if isinstance(until, int | float):
        return datetime.fromtimestamp(until, UTC)
    return signed_at.astimezone(UTC) + max_age


def until_stamp(instant: datetime) -> int:
    """How a token carries the instant until which it serves."""
    return int(instant.timestamp())
