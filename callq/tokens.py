"""Signed, expiring tokens for the links we email and text (booking, manage, cancel).

itsdangerous tokens signed with CALLQ_SECRET_KEY, one salt per purpose; time is an argument
(the signer reads the given instant, not the wall clock), so signing and reading do no I/O.

Only the exact text we signed is accepted. itsdangerous decodes the signature leniently (it
drops non-ASCII characters and ignores stray base64 bits), so `token + "é"` would otherwise
pass as the same link while hashing to another string: a single-use link could be spent
again and again. With exactness, a token's text names its signed content, once.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

MAX_LENGTH = 2000  # far above any link we sign; longer text is not ours
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
    """The data of a token; LinkError("expired"/"invalid") if too old, forged or altered
    (by a single character, even one the signature check alone would ignore).

    A token whose data carries "u" (until) lives until then: a link lasts as long as what it
    serves can still be acted on, not a fixed number of days.
    """
    serializer = _serializer(secret, salt, now)
    if not _exact(serializer, token):
        raise LinkError("invalid")
    try:
        data, signed_at = serializer.loads(
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


def _exact(serializer: URLSafeTimedSerializer, token: str) -> bool:
    """Whether the token's signature is written exactly as we write it for its content."""
    if not token.isascii() or len(token) > MAX_LENGTH:
        return False
    value, dot, signature = token.rpartition(".")
    if not dot:
        return False
    expected = serializer.make_signer(serializer.salt).get_signature(value)
    return hmac.compare_digest(expected, signature.encode())


def bearer_matches(authorization: str, expected: str) -> bool:
    """Whether an `Authorization` header carries `Bearer <expected>` (never when unset)."""
    scheme, _, given = authorization.partition(" ")
    return bool(expected) and scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), expected.encode())
