"""The life of a waiting-room entry (R5-R11, R13-R16) as one state machine over plain values.

`transition(state, event)` gives the entry's next state and the lines to add to its history,
or raises IllegalTransition. TRANSITIONS is the whole table; an event's own rule (the holder,
a lapsed lease, the last attempt...) may refuse it further. Time is the event's `at`. The one
writer of entries, callq.entry_writer, applies the result to the row.

The service-level clocks (R11) are facts of the same machine: the events of ATTEMPTS stop the
first-response clock, those of QUALIFYING the first-qualification clock, and every wait for
the client (status AWAITING_CLIENT) pauses the resolution clock, kept in `clock_waits`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Final

from callq import state_machine
from callq.state_machine import NEW, Record, Targets
from callq.state_machine import IllegalTransition as IllegalTransition
from callq.status import EntryStatus, Outcome
from callq.workspace.rules import after_no_answer

WAITING, CLAIMED = EntryStatus.WAITING, EntryStatus.CLAIMED
AWAITING, BOOKED, CLOSED = EntryStatus.AWAITING_CLIENT, EntryStatus.BOOKED, EntryStatus.CLOSED
_EDITABLE: Final[Targets] = {WAITING: (WAITING,), CLAIMED: (CLAIMED,), AWAITING: (AWAITING,)}
_CLOSABLE: Final[Targets] = {WAITING: (CLOSED,), CLAIMED: (CLOSED,), AWAITING: (CLOSED,)}

# event -> {status it may happen in: statuses it may lead to (two: the event's rule picks)}
TRANSITIONS: Final[Mapping[str, Targets]] = {
    "filed": {NEW: (WAITING,)},  # a message opens the entry (R5-R7)
    "split_off": {NEW: (WAITING,)},  # messages of another need leave an entry
    "message_attached": {WAITING: (WAITING,), CLAIMED: (CLAIMED,), BOOKED: (BOOKED,),
                         AWAITING: (WAITING,)},  # the same need again (R8; R10 client back)
    "late_need_classified": {WAITING: (WAITING,)},  # only while untouched
    "claimed": {WAITING: (CLAIMED,), CLAIMED: (CLAIMED,)},  # the latter: a lapsed lease
    "lease_renewed": {CLAIMED: (CLAIMED,)},
    "call_placed": {CLAIMED: (CLAIMED,)},  # the holder calls the client back through callq
    "released": {CLAIMED: (WAITING,)},
    "lease_expired": {CLAIMED: (WAITING,)},
    "no_answer": {CLAIMED: (WAITING, AWAITING)},  # AWAITING after the last attempt (R10)
    "resolved": {CLAIMED: (CLOSED,)},  # solved, documentation, out of scope
    "link_sent": {CLAIMED: (AWAITING,)},  # outcome "booked": waits for the client to book
    "requalified": _EDITABLE,  # tier or vague, by an agent (R6, R7)
    "absorbed": _EDITABLE,  # another entry of the same need was merged into this one
    "merged": _CLOSABLE,  # this entry was merged into another
    "split": _EDITABLE,
    "client_reminded": {AWAITING: (AWAITING,)},
    "expired": {AWAITING: (CLOSED,)},  # the client never came back (R10)
    "cancelled_by_client": _CLOSABLE,
    # An appointment serves an open need (R13). A closed entry is never reopened: a booking
    # for it follows a merge to the survivor, or renews the need as a new entry.
    "booked": {WAITING: (BOOKED,), CLAIMED: (BOOKED,), AWAITING: (BOOKED,), BOOKED: (BOOKED,)},
    "renewed": {NEW: (WAITING,)},  # a closed entry's need booked again: a new entry for it
    "appointment_released": {BOOKED: (WAITING,)},  # its last appointment ended or was cancelled
    "appointment_given_up": {BOOKED: (AWAITING,)},  # the client missed it too often (R15)
    "appointment_closed": {BOOKED: (CLOSED,)},  # solved, or cancelled as solved
}
RESOLUTIONS: Final = (Outcome.SOLVED, Outcome.DOCUMENTATION, Outcome.OUT_OF_SCOPE)
# The first callback attempt (R11, first response): a call placed, an outcome recorded (the agent
# may have called from another phone), or an appointment booked (the callback has a time).
ATTEMPTS: Final = frozenset({"call_placed", "no_answer", "resolved", "link_sent", "booked"})
# The first qualification (R11): an agent established the need: an outcome that needs it
# (solved, documentation, out of scope, booked), a requalification, a merge or split, or an
# appointment that closed the need.
QUALIFYING: Final = frozenset({"resolved", "link_sent", "requalified", "absorbed", "split",
                               "split_off", "appointment_closed"})
Wait = tuple[datetime, datetime]


@dataclass(frozen=True)
class EntryState:
    """Where an entry stands; vague, tier_set_by_agent and messages_count are read, not written."""

    status: EntryStatus
    version: int = 1
    outcome: Outcome | None = None
    claimed_by: int | None = None
    lease_expires_at: datetime | None = None
    available_at: datetime | None = None
    awaiting_since: datetime | None = None
    closed_at: datetime | None = None
    attempts: int = 0
    vague: bool = False
    tier_set_by_agent: bool = False
    messages_count: int = 1
    first_attempt_at: datetime | None = None  # stops the first-response clock (R11)
    first_attempt_by: int | None = None
    qualified_at: datetime | None = None  # stops the first-qualification clock (R11)
    resolved_by: int | None = None
    clock_waits: tuple[Wait, ...] = ()  # finished waits for the client: the resolution clock
    # was paused during each (the current wait is `awaiting_since`, while AWAITING_CLIENT)


Event = state_machine.Event[EntryState]
Step = tuple[EntryState, tuple[Record, ...]]
MACHINE: Final = state_machine.Machine(TRANSITIONS, EntryState(WAITING, version=0))
allows: Final = MACHINE.allows
opens: Final = MACHINE.opens


def transition(state: EntryState | None, event: Event) -> Step:
    """The entry after `event` (None: no entry yet) and its history lines; IllegalTransition."""
    after, records = MACHINE.transition(state, event)
    return _clocked(state, after, event, records)


def _clocked(before: EntryState | None, after: EntryState, event: Event,
             records: tuple[Record, ...]) -> Step:
    """What the event does to the service-level clocks (R11): a wait for the client pauses the
    resolution clock and its end resumes it; a first attempt or qualification stops a clock."""
    if event.name in ATTEMPTS and after.first_attempt_at is None:
        by = event.agent_id if isinstance(event, AgentEvent) else None
        after = replace(after, first_attempt_at=event.at, first_attempt_by=by)
    if event.name in QUALIFYING and after.qualified_at is None:
        after = replace(after, qualified_at=event.at)
    was_waiting = before is not None and before.status == AWAITING
    if after.status == AWAITING and not was_waiting:
        records = (*records, event.record("clock_paused"))
    elif before is not None and was_waiting and after.status != AWAITING:
        since = before.awaiting_since or event.at
        after = replace(after, clock_waits=(*before.clock_waits, (since, event.at)))
        if after.status != CLOSED:
            records = (*records, event.record("clock_resumed",
                                              detail={"paused_since": since.isoformat()}))
    if isinstance(event, MessageAttached) and event.need_stated:
        # The need is stated only now: the resolution clock counts from this message (R8), so
        # the waits before it no longer push its due time back.
        after = replace(after, clock_waits=())
    return after, records


def statuses_allowing(event: str) -> tuple[EntryStatus, ...]:
    """The statuses in which `event` may happen (its own rule aside)."""
    return tuple(EntryStatus(status) for status in MACHINE.statuses_allowing(event))


def holds(state: EntryState, agent_id: int | None) -> bool:
    """The agent holds the entry (a lapsed lease still counts until someone else claims it)."""
    return state.status == CLAIMED and agent_id is not None and state.claimed_by == agent_id


def lease_lapsed(state: EntryState, now: datetime) -> bool:
    """A claim whose lease is over: anyone may take the entry."""
    lease = state.lease_expires_at
    return state.status == CLAIMED and lease is not None and lease <= now


def held_by_another(state: EntryState, agent_id: int | None, now: datetime) -> bool:
    """Another agent holds the entry under a running lease."""
    lease = state.lease_expires_at
    return (state.status == CLAIMED and state.claimed_by not in (None, agent_id)
            and lease is not None and lease > now)


def takes_late_need(state: EntryState) -> bool:
    """A need heard after filing classifies the entry only while it is its message's alone and
    untouched (R7, R8); otherwise it is only noted."""
    return (state.status == WAITING and state.messages_count == 1 and state.vague
            and not state.tier_set_by_agent)


def awaiting_since(state: EntryState, since: str) -> bool:
    """The entry still waits for its client since this instant (a timer of that wait is live)."""
    return (state.status == AWAITING and state.awaiting_since is not None
            and state.awaiting_since.isoformat() == since)


def _changed(state: EntryState, **fields: Any) -> EntryState:
    """Every change bumps the version, so a page showing the old one fails its compare-and-swap."""
    return replace(state, version=state.version + 1, **fields)


def _freed(state: EntryState, **fields: Any) -> EntryState:
    return _changed(state, status=WAITING, claimed_by=None, lease_expires_at=None, **fields)


def _closed(state: EntryState, outcome: Outcome, at: datetime) -> EntryState:
    return _changed(state, status=CLOSED, outcome=outcome, closed_at=at, claimed_by=None,
                    lease_expires_at=None)


def _awaiting(state: EntryState, at: datetime, **fields: Any) -> EntryState:
    return _changed(state, status=AWAITING, awaiting_since=at, claimed_by=None,
                    lease_expires_at=None, available_at=None, **fields)


@dataclass(frozen=True, kw_only=True)
class AgentEvent(Event):
    """An agent's act on an entry they hold (or, for edits, that nobody else holds)."""

    agent_id: int | None
    reason: str = ""

    def refusal(self, state: EntryState) -> str | None:
        return None if holds(state, self.agent_id) else "not_holder"


@dataclass(frozen=True, kw_only=True)
class Edit(AgentEvent):
    """A requalification: refused while another agent holds the entry."""

    def refusal(self, state: EntryState) -> str | None:
        return "held" if held_by_another(state, self.agent_id, self.at) else None


@dataclass(frozen=True, kw_only=True)
class Filed(Event):
    """A caller's message opened the entry."""

    name = "filed"
    detail: Mapping[str, Any]

    def step(self, state: EntryState) -> Step:
        return EntryState(WAITING), (self.record("created", "caller", detail=self.detail),)


@dataclass(frozen=True, kw_only=True)
class SplitOff(Edit):
    """Messages of another need moved from entry `from_id` to this new entry."""

    name = "split_off"
    from_id: int
    messages: tuple[int, ...]

    def step(self, state: EntryState) -> Step:
        line = self.record("split_from", "agent", self.agent_id, self.reason,
                           {"messages": list(self.messages), "from": self.from_id})
        return EntryState(WAITING), (line,)


@dataclass(frozen=True, kw_only=True)
class MessageAttached(Event):
    """Another message of the same need (R8); a client we waited for is back (R10)."""

    name = "message_attached"
    detail: Mapping[str, Any]
    need_stated: bool = False  # a vague entry takes the need this message states (R8)

    def step(self, state: EntryState) -> Step:
        attached = self.record("message_attached", "caller", detail=self.detail)
        if state.status != AWAITING:
            return _changed(state), (attached,)
        back = _changed(state, status=WAITING, awaiting_since=None, available_at=None)
        return back, (attached, self.record("client_returned", "caller"))


@dataclass(frozen=True, kw_only=True)
class LateNeedClassified(Event):
    """The need of a vague message, heard after it was filed, classifies its entry."""

    name = "late_need_classified"
    detail: Mapping[str, Any]

    def refusal(self, state: EntryState) -> str | None:
        return None if takes_late_need(state) else "touched"

    def step(self, state: EntryState) -> Step:
        return _changed(state), (self.record("late_need_classified", "caller", detail=self.detail),)


@dataclass(frozen=True, kw_only=True)
class Claimed(Event):
    """An agent takes the entry under a lease until `until` (R10)."""

    name = "claimed"
    agent_id: int
    until: datetime
    how: str

    def refusal(self, state: EntryState) -> str | None:
        return "held" if state.status == CLAIMED and not lease_lapsed(state, self.at) else None

    def step(self, state: EntryState) -> Step:
        line = self.record("claimed", "agent", self.agent_id,
                           detail={"how": self.how, "lease_until": self.until.isoformat()})
        return _changed(state, status=CLAIMED, claimed_by=self.agent_id,
                        lease_expires_at=self.until), (line,)


@dataclass(frozen=True, kw_only=True)
class LeaseRenewed(AgentEvent):
    """The holder's lease runs until `until` (a call may outlast the lease it started under)."""

    name = "lease_renewed"
    until: datetime

    def step(self, state: EntryState) -> Step:
        return _changed(state, lease_expires_at=self.until), ()


@dataclass(frozen=True, kw_only=True)
class CallPlaced(LeaseRenewed):
    """The holder calls the client back through callq; the lease runs until `until` (R10)."""

    name = "call_placed"
    to: str

    def step(self, state: EntryState) -> Step:
        renewed, _ = super().step(state)
        return renewed, (self.record("call_started", "agent", self.agent_id,
                                     detail={"to": self.to}),)


@dataclass(frozen=True, kw_only=True)
class Released(AgentEvent):
    """The holder gives the entry back: its own place in the list."""

    name = "released"

    def step(self, state: EntryState) -> Step:
        return _freed(state), (self.record("released", "agent", self.agent_id),)


@dataclass(frozen=True, kw_only=True)
class LeaseExpired(Event):
    """The lease granted at `version` lapsed: back to the list (a renewed lease is left alone)."""

    name = "lease_expired"
    version: int

    def refusal(self, state: EntryState) -> str | None:
        live = state.version == self.version and lease_lapsed(state, self.at)
        return None if live else "lease_running"

    def step(self, state: EntryState) -> Step:
        return _freed(state), (self.record("lease_expired", agent_id=state.claimed_by),)


@dataclass(frozen=True, kw_only=True)
class NoAnswer(AgentEvent):
    """One more unanswered callback: back later, or after the last one wait for the client."""

    name = "no_answer"
    max_attempts: int
    retry_delay: timedelta

    def step(self, state: EntryState) -> Step:
        rule = after_no_answer(state.attempts, max_attempts=self.max_attempts, now=self.at,
                               retry_delay=self.retry_delay)
        line = self.record(
            "outcome", "agent" if self.agent_id else "system", self.agent_id, self.reason,
            {"outcome": Outcome.NO_ANSWER.value, "attempts": rule.attempts,
             "available_at": rule.available_at.isoformat() if rule.available_at else None})
        if rule.status == AWAITING:
            return _awaiting(state, self.at, attempts=rule.attempts), (line,)
        return _freed(state, attempts=rule.attempts, available_at=rule.available_at), (line,)


@dataclass(frozen=True, kw_only=True)
class Resolved(AgentEvent):
    """The holder closes the entry: solved, documentation sent, or out of scope (R10)."""

    name = "resolved"
    outcome: Outcome
    detail: Mapping[str, Any] = field(default_factory=dict)

    def refusal(self, state: EntryState) -> str | None:
        return super().refusal(state) or (None if self.outcome in RESOLUTIONS else "outcome")

    def step(self, state: EntryState) -> Step:
        line = self.record("outcome", "agent", self.agent_id, self.reason,
                           {"outcome": self.outcome.value, **self.detail})
        return replace(_closed(state, self.outcome, self.at), resolved_by=self.agent_id), (line,)


@dataclass(frozen=True, kw_only=True)
class LinkSent(AgentEvent):
    """Outcome "booked": a booking link went out; the entry waits for the client to book."""

    name = "link_sent"

    def step(self, state: EntryState) -> Step:
        line = self.record("outcome", "agent", self.agent_id, self.reason,
                           {"outcome": Outcome.BOOKED.value})
        return _awaiting(state, self.at), (line,)


@dataclass(frozen=True, kw_only=True)
class Requalified(Edit):
    """An agent set the tier or the vagueness (the row's new values come from the service)."""

    name = "requalified"
    detail: Mapping[str, Any]

    def step(self, state: EntryState) -> Step:
        line = self.record("requalified", "agent", self.agent_id, self.reason, self.detail)
        return _changed(state), (line,)


@dataclass(frozen=True, kw_only=True)
class Absorbed(Edit):
    """Entry `from_id` of the same need was merged into this one."""

    name = "absorbed"
    from_id: int
    messages: int

    def step(self, state: EntryState) -> Step:
        line = self.record("merged", "agent", self.agent_id, self.reason,
                           {"from": self.from_id, "messages": self.messages})
        return _changed(state), (line,)


@dataclass(frozen=True, kw_only=True)
class Merged(Edit):
    """This entry was merged into entry `into`: closed "merged"."""

    name = "merged"
    into: int

    def step(self, state: EntryState) -> Step:
        line = self.record("outcome", "agent", self.agent_id, self.reason,
                           {"outcome": Outcome.MERGED.value, "into": str(self.into)})
        return _closed(state, Outcome.MERGED, self.at), (line,)


@dataclass(frozen=True, kw_only=True)
class Split(Edit):
    """Some messages left for the new entry `to`."""

    name = "split"
    to: int
    messages: tuple[int, ...]

    def step(self, state: EntryState) -> Step:
        line = self.record("split", "agent", self.agent_id, self.reason,
                           {"messages": list(self.messages), "to": self.to})
        return _changed(state), (line,)


@dataclass(frozen=True, kw_only=True)
class ClientReminded(Event):
    """The client we wait for since `since` was reminded (the n-th time) (R10)."""

    name = "client_reminded"
    since: str
    n: int
    sent_by: str | None

    def refusal(self, state: EntryState) -> str | None:
        return None if awaiting_since(state, self.since) else "other_wait"

    def step(self, state: EntryState) -> Step:
        line = self.record("client_reminded", detail={"n": self.n, "sent_by": self.sent_by})
        return state, (line,)


@dataclass(frozen=True, kw_only=True)
class Expired(Event):
    """The client we wait for since `since` never came back: closed (R10)."""

    name = "expired"
    since: str

    def refusal(self, state: EntryState) -> str | None:
        return None if awaiting_since(state, self.since) else "other_wait"

    def step(self, state: EntryState) -> Step:
        line = self.record("outcome", detail={"outcome": Outcome.EXPIRED.value})
        return _closed(state, Outcome.EXPIRED, self.at), (line,)


@dataclass(frozen=True, kw_only=True)
class CancelledByClient(Event):
    """The client solved it alone and cancelled from their link (R10)."""

    name = "cancelled_by_client"

    def step(self, state: EntryState) -> Step:
        line = self.record("outcome", "client",
                           detail={"outcome": Outcome.CANCELLED_BY_CLIENT.value})
        return _closed(state, Outcome.CANCELLED_BY_CLIENT, self.at), (line,)


@dataclass(frozen=True, kw_only=True)
class Booked(Event):
    """An appointment now serves the entry: it leaves the list (R13); the planner notes it."""

    name = "booked"

    def step(self, state: EntryState) -> Step:
        return _changed(state, status=BOOKED, outcome=Outcome.BOOKED, claimed_by=None,
                        lease_expires_at=None, closed_at=None, awaiting_since=None), ()


@dataclass(frozen=True, kw_only=True)
class Renewed(Event):
    """A booking link named entry `from_id`, closed since (`outcome`): its need is open again,
    as this new entry (the closed one stays closed, with its history)."""

    name = "renewed"
    from_id: int
    outcome: str

    def step(self, state: EntryState) -> Step:
        line = self.record("renewed", "client", detail={"from": self.from_id,
                                                        "outcome": self.outcome})
        return EntryState(WAITING), (line,)


@dataclass(frozen=True, kw_only=True)
class AppointmentReleased(Event):
    """No appointment serves the entry any more and the need is open: back to the list."""

    name = "appointment_released"

    def step(self, state: EntryState) -> Step:
        return _changed(state, status=WAITING, outcome=None), ()


@dataclass(frozen=True, kw_only=True)
class AppointmentGivenUp(Event):
    """The client missed their appointment too often: the entry waits for them (R15)."""

    name = "appointment_given_up"

    def step(self, state: EntryState) -> Step:
        return _changed(state, status=AWAITING, outcome=Outcome.NO_ANSWER,
                        awaiting_since=self.at), ()


@dataclass(frozen=True, kw_only=True)
class AppointmentClosed(Event):
    """The appointment closed the need (solved, or cancelled as solved by the client)."""

    name = "appointment_closed"
    outcome: Outcome
    agent_id: int | None = None  # the appointment's agent

    def step(self, state: EntryState) -> Step:
        closed = _closed(state, self.outcome, self.at)
        resolved = self.outcome in RESOLUTIONS
        return replace(closed, resolved_by=self.agent_id if resolved else None), ()


EVENTS: Final[tuple[type[Event], ...]] = (
    Filed, SplitOff, MessageAttached, LateNeedClassified, Claimed, LeaseRenewed, CallPlaced,
    Released, LeaseExpired, NoAnswer, Resolved, LinkSent, Requalified, Absorbed, Merged, Split,
    ClientReminded, Expired, CancelledByClient, Booked, Renewed, AppointmentReleased,
    AppointmentGivenUp, AppointmentClosed,
)
