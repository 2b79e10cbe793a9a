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

from callq import db, history
from callq.models import WaitingEntry
from callq.status import EntryStatus, Outcome
from callq.workspace import claims, notices, reminders, rules, transitions
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
    transitions.close(session, entry, Outcome.SOLVED, now, agent_id=agent_id, note=note)
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
    transitions.close(session, entry, Outcome.DOCUMENTATION, now, agent_id=agent_id, note=note,
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
    transitions.close(session, entry, Outcome.OUT_OF_SCOPE, now, agent_id=agent_id, note=note,
                      scope=scope, sent_by=sent)
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
    history.record_event(session, entry.id, "outcome", at=now, actor="agent", agent_id=agent_id,
                         detail={"outcome": Outcome.BOOKED.value}, reason=note or None)
    reminders.wait_for_client(session, runtime, entry, now, notify=False)
    return link


def _no_answer(session: Session, runtime: Runtime, entry: WaitingEntry, agent_id: int,
               now: datetime, _choice: str, note: str) -> None:
    no_answer(session, runtime, entry, agent_id=agent_id, now=now, note=note)
    return None


_STEPS: dict[Outcome, Step] = {
    Outcome.SOLVED: _solved, Outcome.DOCUMENTATION: _documentation,
    Outcome.OUT_OF_SCOPE: _out_of_scope, Outcome.BOOKED: _booked, Outcome.NO_ANSWER: _no_answer,
}


def no_answer(session: Session, runtime: Runtime, entry: WaitingEntry, *, agent_id: int | None,
              now: datetime, note: str = "") -> None:
    """One more unanswered callback: back in the list later, or wait for the client."""
    settings = runtime.settings
    step = rules.after_no_answer(entry.attempts, max_attempts=settings.max_attempts, now=now,
                                 retry_delay=timedelta(minutes=settings.retry_delay_minutes))
    entry.attempts = step.attempts
    history.record_event(
        session, entry.id, "outcome", at=now, actor="agent" if agent_id else "system",
        agent_id=agent_id, reason=note or None,
        detail={"outcome": Outcome.NO_ANSWER.value, "attempts": step.attempts,
                "available_at": step.available_at.isoformat() if step.available_at else None},
    )
    if step.status == EntryStatus.AWAITING_CLIENT:
        reminders.wait_for_client(session, runtime, entry, now, notify=True)
        return
    transitions.free(entry)
    entry.available_at = step.available_at
