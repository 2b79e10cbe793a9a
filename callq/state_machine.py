"""What the two lifecycles share (callq.waiting.lifecycle, scheduling.lifecycle): a table of
event -> {status it may happen in: statuses it may lead to}, events that may refuse a state
beyond the table and compute the next one, history lines, and one error for what cannot happen.

Plain values; time is the event's `at`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Final, Generic, Protocol, TypeVar

NEW: Final = "new"  # the status before the event that creates the row
Targets = Mapping[str, tuple[str, ...]]
Table = Mapping[str, Targets]


class IllegalTransition(ValueError):
    """The event cannot happen to the row as it stands; nothing was changed."""

    def __init__(self, status: str, event: str, reason: str = "not_in_table") -> None:
        super().__init__(f"{event} cannot happen in status {status} ({reason})")
        self.status, self.event, self.reason = status, event, reason


@dataclass(frozen=True)
class Record:
    """One line of a history: who, when, what, why."""

    kind: str
    at: datetime
    actor: str = "system"
    agent_id: int | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)
    reason: str | None = None


class HasStatus(Protocol):
    """A lifecycle's state: whatever else it holds, it has a status."""

    @property
    def status(self) -> str: ...  # pragma: no cover


S = TypeVar("S", bound=HasStatus)


@dataclass(frozen=True, kw_only=True)
class Event(Generic[S]):
    """Something that happens to a row at an instant."""

    name: ClassVar[str]
    at: datetime

    def refusal(self, state: S) -> str | None:
        """Why the event's own rule refuses this state (None: it does not)."""
        return None

    def step(self, state: S) -> tuple[S, tuple[Record, ...]]:
        """The next state and the history lines."""
        raise NotImplementedError

    def record(self, kind: str, actor: str = "system", agent_id: int | None = None,
               reason: str | None = None, detail: Mapping[str, Any] | None = None) -> Record:
        """A history line of this event."""
        return Record(kind, self.at, actor, agent_id, dict(detail or {}), reason or None)


class Machine(Generic[S]):
    """A table of transitions and the driver that holds every event to it."""

    def __init__(self, table: Table, blank: S) -> None:
        self.table, self.blank = table, blank  # blank: what an opening event starts from

    def transition(self, state: S | None, event: Event[S]) -> tuple[S, tuple[Record, ...]]:
        """The row after `event` (None: no row yet) and its history lines; IllegalTransition."""
        status = NEW if state is None else state.status
        targets = self.table[event.name].get(status)
        if targets is None:
            raise IllegalTransition(status, event.name)
        before = self.blank if state is None else state
        refusal = event.refusal(before)
        if refusal is not None:
            raise IllegalTransition(status, event.name, refusal)
        after, records = event.step(before)
        assert after.status in targets, f"{event.name} led {status} to {after.status}"
        return after, records

    def allows(self, state: S | None, event: Event[S]) -> bool:
        """Whether `event` can happen to the row now."""
        try:
            self.transition(state, event)
        except IllegalTransition:
            return False
        return True

    def opens(self, event: Event[S]) -> bool:
        """Whether the event creates the row (it happens to no row yet)."""
        return NEW in self.table[event.name]

    def statuses_allowing(self, event: str) -> tuple[str, ...]:
        """The statuses in which `event` may happen (its own rule aside)."""
        return tuple(status for status in self.table[event] if status != NEW)
