"""Service levels (R11): each entry's three clocks, judged in the calendar's business time.

- first response: from the call's arrival to the first callback attempt (a call placed, an
  outcome recorded, or an appointment booked), due `first_response_days` business days later;
- first qualification: from the arrival to the first time an agent established the need (an
  outcome other than "no answer", a requalification, a merge or split, an appointment that
  closed it), due `qualification_days` later;
- resolution: from the arrival to the close, due as placed (`CALLQ_SLA_DAYS` by tier, R11);
  it pauses while the entry waits for the client (R10): each wait that began before the due
  time pushes it back by the wait's business time.

A clock that the entry's close stops first is stopped there. Plain values in and out; time is
an argument and business time a `BusinessTime` (the calendar's arithmetic).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

Wait = tuple[datetime, datetime]


class BusinessTime(Protocol):
    """The calendar's business-time arithmetic (scheduling.business_time)."""

    def business_seconds(self, start: datetime, end: datetime) -> float: ...  # pragma: no cover

    def add_business_days(self, start: datetime, days: int) -> datetime: ...  # pragma: no cover

    def add_business_seconds(self, start: datetime,
                             seconds: float) -> datetime: ...  # pragma: no cover


class ClockName(StrEnum):
    """The three service levels of the seeds (R11)."""

    FIRST_RESPONSE = "first_response"
    QUALIFICATION = "qualification"
    RESOLUTION = "resolution"


class Verdict(StrEnum):
    """Where a clock stands."""

    ON_TIME = "on_time"  # running, more than its last part left
    DUE_SOON = "due_soon"  # running, in the last part of its window (20 % by default)
    LATE = "late"  # running (or paused) past its due time
    PAUSED = "paused"  # the resolution clock while the entry waits for the client
    MET = "met"  # stopped by its due time
    MISSED = "missed"  # stopped after its due time


ALERTS = (Verdict.DUE_SOON, Verdict.LATE, Verdict.MISSED)  # what a badge shows


@dataclass(frozen=True)
class Targets:
    """The service levels' settings, in business days."""

    first_response_days: int = 1
    qualification_days: int = 2
    due_soon: float = 0.2  # the last fraction of a window that is "due soon"


@dataclass(frozen=True)
class ClockFacts:
    """What an entry says about its clocks (the lifecycle's facts and the placed due time)."""

    arrived_at: datetime
    resolution_due: datetime  # as placed from the tier (R11), before any wait
    first_attempt_at: datetime | None = None
    qualified_at: datetime | None = None
    closed_at: datetime | None = None
    waiting_since: datetime | None = None  # the wait going on (status AWAITING_CLIENT)
    waits: tuple[Wait, ...] = ()  # the finished waits


@dataclass(frozen=True)
class Clock:
    """One clock of one entry, judged at an instant."""

    name: ClockName
    due_at: datetime  # pushed back by the waits (resolution)
    stopped_at: datetime | None
    verdict: Verdict
    elapsed_seconds: float  # business time counted so far (waits excluded)
    left_seconds: float  # business time left before the due time (0 once past it)

    def as_json(self) -> dict[str, Any]:
        """JSON-ready: instants as ISO 8601 UTC."""
        return {"due_at": _iso(self.due_at), "stopped_at": _iso(self.stopped_at),
                "verdict": self.verdict.value, "elapsed_seconds": round(self.elapsed_seconds),
                "left_seconds": round(self.left_seconds)}


def _iso(instant: datetime | None) -> str | None:
    return None if instant is None else instant.isoformat().replace("+00:00", "Z")


def verdict(*, left: float, window: float, overdue: bool, stopped: bool, paused: bool = False,
            due_soon: float = 0.2) -> Verdict:
    """The verdict from plain values: business seconds left and the clock's whole window."""
    if stopped:
        return Verdict.MISSED if overdue else Verdict.MET
    if overdue:
        return Verdict.LATE
    if paused:
        return Verdict.PAUSED
    return Verdict.DUE_SOON if left <= due_soon * window else Verdict.ON_TIME


def extended_due(time: BusinessTime, due: datetime, waits: Iterable[Wait]) -> datetime:
    """The due time pushed back by each wait for the client that began before it (a wait that
    began once the entry was late does not make it on time again)."""
    for start, end in sorted(waits):
        if start < due:
            due = time.add_business_seconds(due, time.business_seconds(start, end))
    return due


def judge(time: BusinessTime, name: ClockName, *, start: datetime, due: datetime,
          stop: datetime | None, now: datetime, waits: tuple[Wait, ...] = (),
          paused_since: datetime | None = None, due_soon: float = 0.2) -> Clock:
    """One clock: from `start`, due at `due` before the waits, stopped at `stop` if it is."""
    current = () if paused_since is None or stop is not None else ((paused_since, now),)
    pushed = extended_due(time, due, (*waits, *current))
    until = stop or now
    waited = sum(time.business_seconds(max(a, start), min(b, until)) for a, b in
                 (*waits, *current))
    elapsed = max(time.business_seconds(start, until) - waited, 0.0)
    overdue = until > pushed
    left = 0.0 if overdue else time.business_seconds(until, pushed)
    found = verdict(left=left, window=time.business_seconds(start, due), overdue=overdue,
                    stopped=stop is not None, paused=bool(current), due_soon=due_soon)
    return Clock(name, pushed, stop, found, elapsed, left)


def clocks(time: BusinessTime, facts: ClockFacts, targets: Targets,
           now: datetime) -> tuple[Clock, Clock, Clock]:
    """The entry's three clocks at `now`: first response, first qualification, resolution."""
    start, closed = facts.arrived_at, facts.closed_at
    first = judge(time, ClockName.FIRST_RESPONSE, start=start,
                  due=time.add_business_days(start, targets.first_response_days),
                  stop=facts.first_attempt_at or closed, now=now, due_soon=targets.due_soon)
    qualified = judge(time, ClockName.QUALIFICATION, start=start,
                      due=time.add_business_days(start, targets.qualification_days),
                      stop=facts.qualified_at or closed, now=now, due_soon=targets.due_soon)
    resolved = judge(time, ClockName.RESOLUTION, start=start, due=facts.resolution_due,
                     stop=closed, now=now, waits=facts.waits, paused_since=facts.waiting_since,
                     due_soon=targets.due_soon)
    return first, qualified, resolved
