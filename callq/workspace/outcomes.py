"""Outcomes (R10): what the agent records after calling back, and what each one does.

solved: closed. documentation: the chapter's link is sent, closed. out of scope: the standard
"see your IT provider" text is sent, closed. booked: the planner's booking link is sent and the
entry waits for the client to book. no answer: one more attempt; back in the list after the
retry delay, or after the last attempt the entry waits for the client (reminders, then close).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from callq import db, entry_writer
from callq.models import WaitingEntry
from callq.status import EntryStatus, Outcome
from callq.waiting import lifecycle
from callq.workspace import claims, notices, reminders, rules
from callq.workspace.errors import Refused

if TYPE_CHECKING:
    from callq.runtime import Runtime

RECORDABLE = (Outcome.SOLVED, Outcome.DOCUMENTATION, Outcome.OUT_OF_SCOPE, Outcome.BOOKED,
              Outcome.NO_ANSWER)


def record_outcome(
    runtime: Runtime, *, agent_id: int, entry_id: int, version: int, outcome: str,
    chapter: str | None = None, scope: str | None = None, note: str = "",
) -> str | None:
    """Record the agent's outcome on the entry they hold; returns a link to show, if any."""
    if outcome not in RECORDABLE:
        raise Refused("workspace.refused.outcome", outcome=outcome)
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        entry = claims.held_entry(session, entry_id, agent_id, version, now)
        step = _STEPS[Outcome(outcome)]
        return step(session, runtime, entry, agent_id, now, chapter or scope or "", note.strip())


Step = Callable[[Session, "Runtime", WaitingEntry, int, datetime, str, str], str | None]


def _solved(session: Session, runtime: Runtime, entry: WaitingEntry, agent_id: int,
            now: datetime, _choice: str, note: str) -> None:
    _resolve(session, entry, Outcome.SOLVED, now, agent_id, note)
    return None


def _documentation(session: Session, runtime: Runtime, entry: WaitingEntry, agent_id: int,
                   now: datetime, chapter: str, note: str) -> str:
    try:
        link = rules.chapter_link(runtime.settings.docs_base_url, chapter)
    except ValueError:
        raise Refused("workspace.refused.chapter") from None
    chapter_title = notices.chapter_title(chapter, entry.language)
    sent = notices.send(session, runtime, entry, "documentation", key=f"v{entry.version}",
                        link=link, chapter=chapter_title)
    if sent is None:
        raise Refused("workspace.refused.no_contact")
    _resolve(session, entry, Outcome.DOCUMENTATION, now, agent_id, note,
             chapter=chapter, link=link, sent_by=sent)
    return link


def _out_of_scope(session: Session, runtime: Runtime, entry: WaitingEntry, agent_id: int,
                  now: datetime, scope: str, note: str) -> None:
    if scope not in rules.SCOPES:
        raise Refused("workspace.refused.scope")
    sent = notices.send(session, runtime, entry, "out_of_scope", key=f"v{entry.version}",
                        topic=notices.scope_title(scope, entry.language))
    if sent is None:
        raise Refused("workspace.refused.no_contact")
    _resolve(session, entry, Outcome.OUT_OF_SCOPE, now, agent_id, note, scope=scope,
             sent_by=sent)
    return None


def _booked(session: Session, runtime: Runtime, entry: WaitingEntry, agent_id: int,
            now: datetime, _choice: str, note: str) -> str:
    from scheduling.booking import send_booking_link  # the planner's, loaded on first use

    email, phone = notices.contact(session, entry)
    if email is None and phone is None:
        raise Refused("workspace.refused.no_contact")
    link = send_booking_link(session, runtime, entry_id=entry.id, client_id=entry.client_id,
                             email=email, phone=phone, lang=entry.language,
                             by_agent=agent_id)
    # Until the client books (the planner then marks the entry booked), it waits for them,
    # with the same reminders and closing as after the last unanswered call.
    entry_writer.apply(session, entry, lifecycle.LinkSent(at=now, agent_id=agent_id, reason=note))
    reminders.plan_client_timers(session, runtime, entry, now, notify=False)
    return link


def _no_answer(session: Session, runtime: Runtime, entry: WaitingEntry, agent_id: int,
               now: datetime, _choice: str, note: str) -> None:
    no_answer(session, runtime, entry, agent_id=agent_id, now=now, note=note)
    return None


_STEPS: dict[Outcome, Step] = {
    Outcome.SOLVED: _solved, Outcome.DOCUMENTATION: _documentation,
    Outcome.OUT_OF_SCOPE: _out_of_scope, Outcome.BOOKED: _booked, Outcome.NO_ANSWER: _no_answer,
}


def _resolve(session: Session, entry: WaitingEntry, outcome: Outcome, now: datetime,
             agent_id: int, note: str, **detail: str) -> None:
    entry_writer.apply(session, entry, lifecycle.Resolved(
        at=now, agent_id=agent_id, reason=note, outcome=outcome, detail=detail))


def no_answer(session: Session, runtime: Runtime, entry: WaitingEntry, *, agent_id: int | None,
              now: datetime, note: str = "") -> None:
    """One more unanswered callback: back in the list later, or wait for the client."""
    settings = runtime.settings
    after = entry_writer.apply(session, entry, lifecycle.NoAnswer(
        at=now, agent_id=agent_id, reason=note, max_attempts=settings.max_attempts,
        retry_delay=timedelta(minutes=settings.retry_delay_minutes)))
    if after.status == EntryStatus.AWAITING_CLIENT:
        reminders.plan_client_timers(session, runtime, entry, now, notify=True)
