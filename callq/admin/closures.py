"""Days the hotline is closed (R4), on top of public holidays, with the label callers hear
("fermé aujourd'hui : inventaire annuel"). Nobody calls back on a closed day: the
appointments booked on a day being closed are handed to R14 at once, their clients warned
and offered other times, not minutes before the call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from callq import audit, db
from callq.admin.booked import Touched, warn_outside_hours
from callq.i18n import N_, Problem
from callq.models import Closure

if TYPE_CHECKING:
    from callq.runtime import Runtime


@dataclass(frozen=True)
class ClosureView:
    """One closure day."""

    day: date
    label: str


def add_closure(runtime: Runtime, day: date, label: str, *,
                actor: str) -> tuple[ClosureView, list[Touched]]:
    """Close the hotline on `day` (Problem when it is already closed), then warn the clients
    booked on it (callq.admin.booked); the appointments as R14 left them."""
    label = " ".join(label.split())
    if len(label) > 200:
        raise Problem(N_("label: longer than 200 characters"))
    with db.write(runtime.sessions) as session:
        if session.scalar(select(Closure.id).where(Closure.day == day)) is not None:
            raise Problem(N_("%(day)s is already a closure day"), day=day.isoformat())
        session.add(Closure(day=day, label=label))
        audit.record(session, at=runtime.now(), actor=actor, action="closure.add",
                     target=day.isoformat(), after={"label": label})
    return ClosureView(day, label), warn_outside_hours(
        runtime, actor=actor, action="closure.warn", target=day.isoformat())


def list_closures(runtime: Runtime, *, since: date | None = None) -> list[ClosureView]:
    """Closure days from `since` on (all when None), in order."""
    with db.read(runtime.sessions) as session:
        query = select(Closure.day, Closure.label).order_by(Closure.day)
        if since is not None:
            query = query.where(Closure.day >= since)
        return [ClosureView(day, label) for day, label in session.execute(query)]


def remove_closure(runtime: Runtime, day: date, *, actor: str) -> ClosureView:
    """Open the hotline again on `day`; LookupError when it was not closed."""
    with db.write(runtime.sessions) as session:
        closure = session.scalar(select(Closure).where(Closure.day == day).with_for_update())
        if closure is None:
            raise LookupError(f"{day.isoformat()} is not a closure day")
        view = ClosureView(closure.day, closure.label)
        session.delete(closure)
        audit.record(session, at=runtime.now(), actor=actor, action="closure.remove",
                     target=day.isoformat(), before={"label": view.label})
    runtime.forget_calendar()
    return view
