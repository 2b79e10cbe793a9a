"""Short links for text messages (`/r/<code>`): a random code stored with its target and expiry.

A signed link is ~150 characters, an SMS segment 160: the code stands for it. Codes are 10
random URL-safe characters (60 bits): unguessable, and useless once expired.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from callq import db
from callq.models import ShortLink
from callq.tokens import LinkError

if TYPE_CHECKING:
    from callq.runtime import Runtime

CODE_BYTES = 8  # secrets.token_urlsafe, cut to 10 characters of base64url: 60 bits
PREFIX = "/r/"


def shorten(session: Session, runtime: Runtime, url: str, expires_at: datetime) -> str:
    """A short absolute URL for a link we send (ours: kept as a path), valid until `expires_at`."""
    base = runtime.settings.public_base_url.rstrip("/")
    target = url.removeprefix(base)
    if not target.startswith(("/", "https://", "http://")):
        raise ValueError("only web links can be shortened")
    code = secrets.token_urlsafe(CODE_BYTES)[:10]
    session.add(ShortLink(code=code, target=target, expires_at=expires_at,
                          created_at=runtime.now()))
    return runtime.url(PREFIX + code)


def resolve(runtime: Runtime, code: str) -> str:
    """The path (or documentation URL) a code stands for; LinkError("unknown"/"expired")."""
    if not code.isascii() or len(code) > 16:
        raise LinkError("unknown")
    with db.read(runtime.sessions) as session:
        link = session.scalar(select(ShortLink).where(ShortLink.code == code))
        if link is None:
            raise LinkError("unknown")
        if runtime.now() >= link.expires_at:
            raise LinkError("expired")
        return link.target
