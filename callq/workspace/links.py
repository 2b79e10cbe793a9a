"""The client's signed link to cancel their callback (R10): in every email we send them.

An itsdangerous token signed with CALLQ_SECRET_KEY; time is an argument, so building and reading
a link reads no clock and does no I/O.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

if TYPE_CHECKING:
    from callq.runtime import Runtime

SALT = "callq.workspace.cancel"


class LinkRefused(ValueError):
    """A link that cannot be honoured; `reason` is "invalid" or "expired"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _serializer(secret: str, now: datetime) -> URLSafeTimedSerializer:
    stamp = int(now.timestamp())

    class _SignedAt(TimestampSigner):
        def get_timestamp(self) -> int:
            return stamp

    return URLSafeTimedSerializer(secret, salt=SALT, signer=_SignedAt)


def sign_cancel(secret: str, now: datetime, entry_id: int) -> str:
    """A token allowing the client to cancel one entry."""
    return str(_serializer(secret, now).dumps({"e": entry_id}))


def read_cancel(secret: str, token: str, now: datetime, max_age: timedelta) -> int:
    """The entry a token allows cancelling; LinkRefused if forged, altered or too old."""
    try:
        data = _serializer(secret, now).loads(token, max_age=int(max_age.total_seconds()))
        return int(data["e"])
    except SignatureExpired:
        raise LinkRefused("expired") from None
    except (BadSignature, KeyError, TypeError, ValueError):
        raise LinkRefused("invalid") from None


def cancel_url(runtime: Runtime, entry_id: int) -> str:
    """The absolute URL of the cancel page for an entry, valid CANCEL_LINK_MAX_AGE_DAYS."""
    token = sign_cancel(runtime.settings.secret_key, runtime.now(), entry_id)
    return f"{runtime.settings.public_base_url.rstrip('/')}/cancel/{token}"


def max_age(runtime: Runtime) -> timedelta:
    """How long a cancel link stays valid."""
    return timedelta(days=runtime.settings.cancel_link_max_age_days)
