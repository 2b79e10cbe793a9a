"""The administration's history: every change an administrator (or the CLI) makes, with who,
when, what and the values before and after, written in the change's own transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from callq import db
from callq.models import AuditEntry

if TYPE_CHECKING:
    from callq.runtime import Runtime

CLI = "cli"  # the actor of a command run without --operator


@dataclass(frozen=True)
class AuditLine:
    """One change as the administration page shows it."""

    at: datetime
    actor: str
    action: str
    target: str
    before: dict[str, Any]
    after: dict[str, Any]


def record(session: Session, *, at: datetime, actor: str, action: str, target: str,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    """Append one change to the log, in the caller's transaction."""
    session.add(AuditEntry(at=at, actor=actor[:320], action=action, target=target[:320],
                           before=before or {}, after=after or {}))


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any],
                                                                     dict[str, Any]]:
    """Only the fields that differ, before and after."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def recent(runtime: Runtime, *, limit: int = 200, search: str = "") -> list[AuditLine]:
    """The latest changes first; `search` matches the actor, action or target."""
    with db.read(runtime.sessions) as session:
        query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        if search.strip():
            like = f"%{search.strip()}%"
            query = query.where(or_(AuditEntry.actor.ilike(like), AuditEntry.action.ilike(like),
                                    AuditEntry.target.ilike(like)))
        return [AuditLine(a.at, a.actor, a.action, a.target, dict(a.before), dict(a.after))
                for a in session.scalars(query.limit(limit))]
