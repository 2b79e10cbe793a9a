"""The life of an afternoon appointment (R12-R17) as one state machine over plain values.

`transition(state, event)` gives the appointment's next state and the lines to add to the
history of the entry it serves, or raises IllegalTransition. TRANSITIONS is the whole table.
Every change the client is told of (the event's name is the notice's kind) raises the
iCalendar SEQUENCE and the version; a call starting or ending changes neither. Time is the
event's `at`. The one writer of appointments, scheduling.appointment_writer, applies it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Final

from callq import state_machine
from callq.state_machine import NEW, Record, Table
from callq.state_machine import IllegalTransition as IllegalTransition
from callq.status import AppointmentStatus

BOOKED, IN_CALL, DONE = AppointmentStatus.BOOKED, AppointmentStatus.IN_CALL, AppointmentStatus.DONE
CANCELLED, MISSED = AppointmentStatus.CANCELLED, AppointmentStatus.MISSED

# event -> {status it may happen in: status it leads to}
TRANSITIONS: Final[Table] = {
    "booked": {NEW: (BOOKED,)},  # a client (or an agent for them) booked a free slot (R12, R13)
    "moved": {BOOKED: (BOOKED,)},  # by the client or an agent, before the time (R13)
    "missed": {BOOKED: (BOOKED,)},  # the client did not answer: the next free slot (R15)
    "reassigned": {BOOKED: (BOOKED,)},  # its agent cannot make it: another one can (R14)
    "extended": {BOOKED: (BOOKED,), IN_CALL: (IN_CALL,)},  # one more slot (R16)
    "cancelled": {BOOKED: (CANCELLED,)},  # by the client or an agent, before the time
    "unstaffed": {BOOKED: (CANCELLED,)},  # nobody can call: the client is warned (R14)
    "given_up": {BOOKED: (MISSED,)},  # the client missed it too often (R15)
    "in_call": {BOOKED: (IN_CALL,), IN_CALL: (IN_CALL,)},  # answered; the call goes on (R14)
    "call_ended": {BOOKED: (DONE,), IN_CALL: (DONE,)},  # answered, and the call is over
    "finished": {BOOKED: (DONE,), IN_CALL: (DONE,), DONE: (DONE,)},  # the agent says it is done
}


@dataclass(frozen=True)
class AppointmentState:
    """Where an appointment stands; starts_at is read, not written (the planner moves it)."""

    status: AppointmentStatus
    starts_at: datetime
    updated_at: datetime
    sequence: int = 0  # iCalendar SEQUENCE last sent
    version: int = 1
    moves: int = 0
    no_shows: int = 0
    extensions: int = 0  # slots added to the call (R16)


Event = state_machine.Event[AppointmentState]
Step = tuple[AppointmentState, tuple[Record, ...]]
MACHINE: Final = state_machine.Machine(
    TRANSITIONS, AppointmentState(BOOKED, datetime.min, datetime.min, version=0))
transition: Final = MACHINE.transition  # (state or None, event) -> (state, records)
allows: Final = MACHINE.allows
opens: Final = MACHINE.opens


def statuses_allowing(event: str) -> tuple[AppointmentStatus, ...]:
    """The statuses in which `event` may happen (its own rule aside)."""
    return tuple(AppointmentStatus(status) for status in MACHINE.statuses_allowing(event))


def changeable(state: AppointmentState, now: datetime) -> bool:
    """A client (or an agent for them) moves or cancels only a booked appointment still to come."""
    return state.status == BOOKED and state.starts_at > now


def rebooks_after_no_show(state: AppointmentState, max_no_shows: int) -> bool:
    """After one more unanswered call, the appointment moves (else it is given up) (R15)."""
    return state.status == BOOKED and state.no_shows + 1 < max_no_shows


def _told(state: AppointmentState, at: datetime, **fields: Any) -> AppointmentState:
    """A change the client is told of: a new SEQUENCE (same UID), and a new version."""
    return replace(state, sequence=state.sequence + 1, version=state.version + 1, updated_at=at,
                   **fields)


@dataclass(frozen=True, kw_only=True)
class Booked(Event):
    """The appointment was booked for `starts_at` (a follow-up of `follows_id`, R16)."""

    name = "booked"
    starts_at: datetime
    actor: str = "client"
    by_agent: int | None = None
    follows_id: int | None = None

    def step(self, state: AppointmentState) -> Step:
        line = self.record("appointment_booked", self.actor, self.by_agent,
                           detail={"follows_id": self.follows_id})
        return AppointmentState(BOOKED, self.starts_at, self.at), (line,)


@dataclass(frozen=True, kw_only=True)
class Change(Event):
    """A new time, agent or length, sent to the client as an updated invitation."""

    actor: str = "system"
    by_agent: int | None = None

    def step(self, state: AppointmentState) -> Step:
        line = self.record(f"appointment_{self.name}", self.actor, self.by_agent)
        return _told(state, self.at), (line,)


@dataclass(frozen=True, kw_only=True)
class Moved(Change):
    """Moved from `from_start` (same row and UID) by the client or an agent (R13)."""

    name = "moved"
    from_start: datetime

    def step(self, state: AppointmentState) -> Step:
        line = self.record(f"appointment_{self.name}", self.actor, self.by_agent,
                           detail={"from": self.from_start.isoformat()})
        return _told(state, self.at, moves=state.moves + 1), (line,)


@dataclass(frozen=True, kw_only=True)
class Missed(Moved):
    """The client did not answer at `from_start`: moved to the next free slot (R15)."""

    name = "missed"
    max_no_shows: int

    def refusal(self, state: AppointmentState) -> str | None:
        return None if rebooks_after_no_show(state, self.max_no_shows) else "too_many"

    def step(self, state: AppointmentState) -> Step:
        moved, lines = super().step(state)
        return replace(moved, no_shows=state.no_shows + 1), lines


@dataclass(frozen=True, kw_only=True)
class Reassigned(Change):
    """Another agent takes the appointment (R14)."""

    name = "reassigned"


@dataclass(frozen=True, kw_only=True)
class Extended(Change):
    """One more slot, the agent's next one being free (R16)."""

    name = "extended"

    def step(self, state: AppointmentState) -> Step:
        told, lines = super().step(state)
        return replace(told, extensions=state.extensions + 1), lines


@dataclass(frozen=True, kw_only=True)
class Withdrawal(Event):
    """The appointment will not happen: METHOD:CANCEL with a new SEQUENCE."""

    actor: str = "system"
    by_agent: int | None = None
    solved: bool = False

    def step(self, state: AppointmentState) -> Step:
        line = self.record(f"appointment_{self.name}", self.actor, self.by_agent,
                           detail={"solved": self.solved})
        return _told(state, self.at, status=CANCELLED), (line,)


@dataclass(frozen=True, kw_only=True)
class Cancelled(Withdrawal):
    """Cancelled by the client (`solved`: the need is solved too) or by an agent for them."""

    name = "cancelled"


@dataclass(frozen=True, kw_only=True)
class Unstaffed(Withdrawal):
    """No agent can call at that time: the client is warned and offered other times (R14)."""

    name = "unstaffed"


@dataclass(frozen=True, kw_only=True)
class GivenUp(Withdrawal):
    """The client did not answer once more, the last time allowed (R15)."""

    name = "given_up"

    def step(self, state: AppointmentState) -> Step:
        cancelled, lines = super().step(state)
        return replace(cancelled, status=MISSED, no_shows=state.no_shows + 1), lines


@dataclass(frozen=True, kw_only=True)
class InCall(Event):
    """The client answered and the call is still going (R14)."""

    name = "in_call"

    def step(self, state: AppointmentState) -> Step:
        return replace(state, status=IN_CALL, updated_at=self.at), ()


@dataclass(frozen=True, kw_only=True)
class CallEnded(Event):
    """The client answered and the call is over."""

    name = "call_ended"

    def step(self, state: AppointmentState) -> Step:
        line = self.record("appointment_done")
        return replace(state, status=DONE, updated_at=self.at), (line,)


@dataclass(frozen=True, kw_only=True)
class Finished(Event):
    """The agent says the call is over; an appointment still to come is cancelled, not done."""

    name = "finished"
    agent_id: int

    def refusal(self, state: AppointmentState) -> str | None:
        return "not_started" if state.status == BOOKED and state.starts_at > self.at else None

    def step(self, state: AppointmentState) -> Step:
        if state.status == DONE:
            return state, ()
        line = self.record("appointment_done", "agent", self.agent_id)
        return replace(state, status=DONE, updated_at=self.at), (line,)


EVENTS: Final[tuple[type[Event], ...]] = (
    Booked, Moved, Missed, Reassigned, Extended, Cancelled, Unstaffed, GivenUp, InCall,
    CallEnded, Finished,
)
