"""The client's signed link to cancel their callback (R10): in every email we send them.

A signed token (callq.tokens); time is an argument, so building and reading a link does no I/O.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from callq.tokens import LinkError, load, sign, until_stamp

if TYPE_CHECKING:
    from callq.runtime import Runtime

SALT = "callq.workspace.cancel"


def sign_cancel(secret: str, now: datetime, entry_id: int,
                until: datetime | None = None) -> str:
    """A token allowing the client to cancel one entry (until the entry closes, if given)."""
    payload = {"e": entry_id} if until is None else {"e": entry_id, "u": until_stamp(until)}
    return sign(secret, SALT, now, payload)


def read_cancel(secret: str, token: str, now: datetime, max_age: timedelta) -> int:
    """The entry a token allows cancelling; LinkError if forged, altered or too old."""
    data = load(secret, SALT, token, now, max_age)
    try:
        return int(data["e"])
    except (KeyError, TypeError, ValueError):
        raise LinkError("invalid") from None


def cancel_url(runtime: Runtime, entry_id: int, lang: str | None = None,
               until: datetime | None = None) -> str:
    """The absolute URL of the cancel page for an entry, valid `until` (as long as the entry
    can be acted on), else CANCEL_LINK_MAX_AGE_DAYS.

    With `lang`, the page speaks the language of the email that carried the link.
    """
    token = sign_cancel(runtime.settings.secret_key, runtime.now(), entry_id, until)
    url = runtime.url(f"/cancel/{token}")
    return f"{url}?lang={lang}" if lang else url


def max_age(runtime: Runtime) -> timedelta:
    """How long a cancel link stays valid."""
    return timedelta(days=runtime.settings.cancel_link_max_age_days)
