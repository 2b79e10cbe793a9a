"""Failed effects, for the administrator: listed with their error, retried one by one or all at
once (`callq effects`, the /admin/effects page), and pointed out on the entry or appointment
they concern (a notice that failed)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callq import db, effects
from callq.models import SideEffect
from callq.status import EffectStatus

if TYPE_CHECKING:
    from callq.runtime import Runtime

NOTICE_KINDS = ("email", "sms")  # the effects that tell a client something
# Outbox keys name what they concern: `entry-<id>-...` (workspace notices), `appt-<id>-...`
# (appointment notices and their reminders).
_CONCERNS = re.compile(r"^(entry|appt)-(\d+)-")
_SUBJECTS = {"entry": "entry", "appt": "appointment"}
NOT_DONE = (EffectStatus.PENDING, EffectStatus.RUNNING, EffectStatus.FAILED)


def concerned(key: str) -> tuple[str, int] | None:
    """("entry", id) or ("appointment", id) when an outbox key names one, else None."""
    found = _CONCERNS.match(key)
    return (_SUBJECTS[found.group(1)], int(found.group(2))) if found else None


@dataclass(frozen=True)
class EffectLine:
    """One effect as the administrator sees it."""

    id: int
    key: str
    kind: str
    status: str
    attempts: int
    due_at: datetime
    failed_at: datetime | None
    error: str | None
    concerns: tuple[str, int] | None


def listing(runtime: Runtime, statuses: Sequence[EffectStatus] = (EffectStatus.FAILED,),
            limit: int = 200) -> list[EffectLine]:
    """Effects in these statuses, the latest failures first, then by due time."""
    with db.read(runtime.sessions) as session:
        rows = session.scalars(
            select(SideEffect).where(SideEffect.status.in_(statuses))
            .order_by(SideEffect.failed_at.desc().nulls_last(), SideEffect.due_at)
            .limit(limit))
        return [EffectLine(r.id, r.key, r.kind, r.status, r.attempts, r.due_at, r.failed_at,
                           r.last_error, concerned(r.key)) for r in rows]


def overdue(session: Session, since: datetime) -> tuple[int, datetime | None]:
    """How many effects not done were due before `since`, and the oldest due time."""
    count, oldest = session.execute(select(func.count(), func.min(SideEffect.due_at)).where(
        SideEffect.status.in_((EffectStatus.PENDING, EffectStatus.RUNNING)),
        SideEffect.due_at < since)).one()
    return int(count or 0), oldest


def count_failed(session: Session) -> int:
    """How many effects failed for good."""
    return int(session.scalar(select(func.count()).select_from(SideEffect)
                              .where(SideEffect.status == EffectStatus.FAILED)) or 0)


def retry(runtime: Runtime, ids: Sequence[int] | None = None) -> list[int]:
    """Put failed effects (these, or all when None) back to work at once; return their ids."""
    now = runtime.now()
    query = select(SideEffect).where(SideEffect.status == EffectStatus.FAILED)
    if ids is not None:
        query = query.where(SideEffect.id.in_(ids))
    with db.write(runtime.sessions) as session:
        rows = list(session.scalars(query.order_by(SideEffect.id).with_for_update()))
        for row in rows:
            # A fresh series of attempts; the last error stays until one succeeds.
            row.status, row.attempts, row.due_at = EffectStatus.PENDING, 0, now
            row.failed_at, row.enqueued_at = None, now
            effects.hand_over_after_commit(session, row.id, row.kind)
        return [row.id for row in rows]


def failed_notices(session: Session) -> set[tuple[str, int]]:
    """The entries and appointments with a notice (email, SMS) that failed for good."""
    keys = session.scalars(select(SideEffect.key).where(
        SideEffect.status == EffectStatus.FAILED, SideEffect.kind.in_(NOTICE_KINDS)))
    return {subject for subject in map(concerned, keys) if subject is not None}
