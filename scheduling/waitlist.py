"""The waitlist (pure): a freed afternoon slot is offered to waiting clients in list order; the
first to accept gets it, the others are told it is gone. One offer's life is a state machine:

    offered --accepted--> accepted
    offered --gone------> gone      (another client took the slot, or it is no longer free)
    offered --expired---> expired   (not answered in time)

An offer is never made, nor accepted, inside the minimum notice; a client has at most one open
offer at a time (the database's unique index holds it, `choose` never asks for a second).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Final

from callq import state_machine
from callq.state_machine import NEW, Record, Table
from callq.state_machine import IllegalTransition as IllegalTransition

OFFERED, ACCEPTED, GONE, EXPIRED = "offered", "accepted", "gone", "expired"

# event -> {status it may happen in: status it leads to}
TRANSITIONS: Final[Table] = {
    "offered": {NEW: (OFFERED,)},
    "accepted": {OFFERED: (ACCEPTED,)},
    "gone": {OFFERED: (GONE,)},
    "expired": {OFFERED: (EXPIRED,)},
}


@dataclass(frozen=True)
class OfferState:
    """Where one offer stands."""

    status: str
    starts_at: datetime
    expires_at: datetime
    version: int = 1


@dataclass(frozen=True)
class Waiting:
    """A waiting entry as the waitlist sees it, in list order."""

    entry_id: int
    vague: bool
    reachable: bool  # an email address or a mobile number to send the offer to
    has_open_offer: bool


Event = state_machine.Event[OfferState]
Step = tuple[OfferState, tuple[Record, ...]]
MACHINE: Final = state_machine.Machine(
    TRANSITIONS, OfferState(OFFERED, datetime.min, datetime.min, version=0))
transition: Final = MACHINE.transition
allows: Final = MACHINE.allows


def inside_notice(starts_at: datetime, at: datetime, notice_minutes: int) -> bool:
    """Whether the slot starts too soon to be offered or taken (the minimum notice)."""
    return starts_at - at < timedelta(minutes=notice_minutes)


@dataclass(frozen=True, kw_only=True)
class Offered(Event):
    """The slot at `starts_at` is offered until `expires_at`."""

    name = "offered"
    starts_at: datetime
    expires_at: datetime
    notice_minutes: int

    def refusal(self, state: OfferState) -> str | None:
        if inside_notice(self.starts_at, self.at, self.notice_minutes):
            return "too_late"
        return "expired" if self.expires_at <= self.at else None

    def step(self, state: OfferState) -> Step:
        line = self.record("waitlist_offered", detail={"start": self.starts_at.isoformat()})
        return OfferState(OFFERED, self.starts_at, self.expires_at), (line,)


@dataclass(frozen=True, kw_only=True)
class Accepted(Event):
    """The client takes the slot (the booking itself goes through scheduling.lifecycle)."""

    name = "accepted"
    notice_minutes: int

    def refusal(self, state: OfferState) -> str | None:
        if state.expires_at <= self.at:
            return "expired"
        return "too_late" if inside_notice(state.starts_at, self.at, self.notice_minutes) else None

    def step(self, state: OfferState) -> Step:
        return _to(state, ACCEPTED, self.at), (self.record("waitlist_accepted", "client"),)


@dataclass(frozen=True, kw_only=True)
class Gone(Event):
    """Someone else took the slot, or it is no longer free."""

    name = "gone"

    def step(self, state: OfferState) -> Step:
        return _to(state, GONE, self.at), (self.record("waitlist_gone"),)


@dataclass(frozen=True, kw_only=True)
class Expired(Event):
    """The offer was not answered in time."""

    name = "expired"

    def refusal(self, state: OfferState) -> str | None:
        return "not_yet" if self.at < state.expires_at else None

    def step(self, state: OfferState) -> Step:
        return _to(state, EXPIRED, self.at), (self.record("waitlist_expired"),)


def _to(state: OfferState, status: str, _at: datetime) -> OfferState:
    return replace(state, status=status, version=state.version + 1)


EVENTS: Final[tuple[type[Event], ...]] = (Offered, Accepted, Gone, Expired)


def expiry(now: datetime, starts_at: datetime, offer_minutes: int,
           notice_minutes: int) -> datetime | None:
    """Until when an offer made now stands: the set time, never into the minimum notice
    (None: the slot is too close to be offered at all)."""
    until = min(now + timedelta(minutes=offer_minutes),
                starts_at - timedelta(minutes=notice_minutes))
    return until if until > now else None


def choose(waiting: Iterable[Waiting], size: int) -> list[int]:
    """The entries to offer a freed slot to: in list order, the first `size` that stated a
    need (a vague one must be qualified first, R7), can be reached and hold no open offer."""
    chosen: list[int] = []
    for entry in waiting:
        if len(chosen) >= size:
            break
        if not entry.vague and entry.reachable and not entry.has_open_offer:
            chosen.append(entry.entry_id)
    return chosen

