"""What the agents' pages show (read models): the waiting room's page of entries with their
messages, and one entry with its history. Read in one transaction, returned as plain values;
the views only render them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from callq import db
from callq.entry_writer import state_of
from callq.failed_effects import failed_notices
from callq.models import Agent, Appointment, EntryEvent, Message, WaitingEntry
from callq.standing import pace
from callq.status import EntryStatus
from callq.waiting.estimate import short_moment_words, standing
from callq.waiting.lifecycle import EntryState, holds, lease_lapsed, statuses_allowing
from callq.waiting_room import (
    EntryFilter,
    EntryView,
    MessageView,
    get_entry,
    list_entries,
    message_view,
)
from callq.waiting_room import list_messages as messages_of
from callq.workspace import claims

if TYPE_CHECKING:
    from callq.runtime import Runtime


@dataclass(frozen=True)
class EventView:
    """One line of an entry's history."""

    kind: str
    at: datetime
    actor: str
    agent_id: int | None
    detail: dict[str, Any]
    reason: str | None


@dataclass(frozen=True)
class AppointmentLine:
    """An appointment booked for an entry, as its page shows it."""

    id: int
    starts_at: datetime
    ends_at: datetime
    agent_name: str
    status: str


@dataclass(frozen=True)
class ListPage:
    """One page of the waiting room, for one agent."""

    entries: list[EntryView]
    total: int
    rows: dict[int, EntryState]
    messages: dict[int, list[MessageView]]
    held: int | None  # the entry this agent holds, if any
    names: dict[int, str]  # agents' names by id
    estimates: dict[int, str]  # the probable callback, as the caller was told (by entry id)


@dataclass(frozen=True)
class EntryPage:
    """One entry, its messages and history, for one agent."""

    entry: EntryView
    row: EntryState
    messages: list[MessageView]
    events: list[EventView]
    names: dict[int, str]
    held: int | None
    estimate: str  # the probable callback, as the caller was told; empty when not listed
    mine: bool  # this agent holds it
    notice_failed: bool  # an email or SMS to the client about it failed for good
    takeable: bool  # waiting, or its claim lapsed: anyone may take it
    editable: bool  # still open to requalification
    appointments: tuple[AppointmentLine, ...] = ()  # booked for it, latest first


def list_page(runtime: Runtime, agent_id: int, filters: EntryFilter, *, limit: int,
              offset: int, lang: str) -> ListPage:
    """The filtered list's page, each entry with its state and messages."""
    with db.read(runtime.sessions) as session:
        entries, total = list_entries(session, runtime, limit=limit, offset=offset, lang=lang,
                                      filters=filters)
        ids = [e.id for e in entries]
        rows = {e.id: state_of(e) for e in session.scalars(
            select(WaitingEntry).where(WaitingEntry.id.in_(ids)))}
        return ListPage(entries, total, rows, _messages_by_entry(session, ids),
                        claims.held_id(session, agent_id, runtime.now()), _names(session),
                        _estimates(session, runtime, entries, lang))


def entry_page(runtime: Runtime, agent_id: int, entry_id: int, lang: str) -> EntryPage | None:
    """One entry as the agent sees it; None when there is no such entry."""
    with db.read(runtime.sessions) as session:
        view = get_entry(session, runtime, entry_id, lang)
        row = session.get(WaitingEntry, entry_id)
        if view is None or row is None:
            return None
        events = [EventView(e.kind, e.at, e.actor, e.agent_id, dict(e.detail or {}), e.reason)
                  for e in session.scalars(select(EntryEvent).where(EntryEvent.entry_id ==
                                                                    entry_id)
                                           .order_by(EntryEvent.at, EntryEvent.id))]
        state, now = state_of(row), runtime.now()
        estimate = _estimates(session, runtime, [view], lang).get(view.id, "")
        return EntryPage(view, state, messages_of(session, entry_id), events, _names(session),
                         claims.held_id(session, agent_id, now), estimate,
                         mine=holds(state, agent_id),
                         notice_failed=("entry", entry_id) in failed_notices(session),
                         takeable=state.status == EntryStatus.WAITING or lease_lapsed(state, now),
                         editable=state.status in statuses_allowing("requalified"),
                         appointments=_appointments(session, entry_id))


def _appointments(session: Session, entry_id: int) -> tuple[AppointmentLine, ...]:
    names = _names(session)
    rows = session.scalars(select(Appointment).where(Appointment.entry_id == entry_id)
                           .order_by(Appointment.starts_at.desc(), Appointment.id.desc()))
    return tuple(AppointmentLine(a.id, a.starts_at, a.ends_at, names.get(a.agent_id, ""),
                                 str(a.status)) for a in rows)


def _messages_by_entry(session: Session, ids: Iterable[int]) -> dict[int, list[MessageView]]:
    found: dict[int, list[MessageView]] = {}
    for m in session.scalars(select(Message).where(Message.entry_id.in_(list(ids)))
                             .options(selectinload(Message.attachments))
                             .order_by(Message.received_at, Message.id)):
        found.setdefault(m.entry_id or 0, []).append(message_view(m))
    return found


def _estimates(session: Session, runtime: Runtime, entries: Iterable[EntryView],
               lang: str) -> dict[int, str]:
    """What each waiting entry's caller was told of their callback ("probably tomorrow")."""
    listed = [e for e in entries if e.position and e.status == EntryStatus.WAITING]
    if not listed:
        return {}
    now = runtime.now()
    agents, rate = pace(session, runtime, now)
    return {e.id: short_moment_words(standing(e.position, agents_on_duty=agents, rate=rate, now=now,
                                        calendar=runtime.calendar()), lang) for e in listed}


def _names(session: Session) -> dict[int, str]:
    return {agent_id: name for agent_id, name in session.execute(select(Agent.id, Agent.name))}
