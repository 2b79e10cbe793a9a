"""A history with known answers for the reports (R5-R16), built through callq's own use cases
on the Paris calendar around Easter 2026 (Monday 6 April is a holiday), the clock moved by hand.

  E1 critical, Wed 1 Apr 10:00: Camille solves it at 11:30 (1.5 business hours).
  E2 high, Thu 2 Apr 17:00: Dominique, no answer Fri 3 Apr 17:30 (7.5 h: first callback late);
     the entry waits for the client (one attempt allowed) until they call again, Tue 7 Apr 10:00
     (1.5 business hours of wait: Friday 17:30-18:00, Tuesday 9:00-10:00); Dominique sends the
     documentation at 11:00 (10 h since the call, 8.5 h without the wait).
  E3 medium, Wed 8 Apr 9:00: nobody calls back (first callback due Thu 9 Apr 9:00: late).
  E4 low and vague, Thu 9 Apr 14:00: the client cancels it at 14:30.
  E5, Thu 9 Apr 15:00, E3's caller again: merged into E3 by Camille, Fri 10 Apr 9:30.
  An appointment (no entry) booked Wed 1 Apr for 14:00 with Camille, moved to 14:30, extended;
  a second appointment follows it.
The reports are read on Mon 13 Apr 12:00 for Wed 1 to Fri 10 April.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask import Flask

from callq import db, intake
from callq.app import create_app
from callq.runtime import Runtime
from callq.status import Tier
from callq.workspace import claims, client_cancel, outcomes, requalify
from scheduling import extension
from scheduling.booking import book_slot, move_appointment
from tests.conftest import settings_for
from tests.fakes import FrozenClock
from tests.workspace_data import add_agent, add_client, add_entry, version

START, END = date(2026, 4, 1), date(2026, 4, 10)
HOURS = 3600.0


def paris(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A Paris wall-clock time of 2026, as UTC."""
    from zoneinfo import ZoneInfo

    local = datetime(2026, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Paris"))
    return local.astimezone(UTC)


@dataclass(frozen=True)
class History:
    """The ids of what was built."""

    camille: int
    dominique: int
    entries: tuple[int, int, int, int, int]


def app_for(tmp_path: Any, engine: Any, clock: FrozenClock, mailer: Any, queue: Any,
            **settings: Any) -> Flask:
    """The app the history needs: one callback attempt before the entry waits for the client."""
    app = create_app(settings_for(tmp_path, engine, max_attempts=1, **settings),
                     adapters={"engine": engine, "mailer": mailer, "queue": queue}, clock=clock)
    app.testing = True
    return app


def build(runtime: Runtime, clock: FrozenClock) -> History:
    """The history above; `runtime` must allow one callback attempt (max_attempts=1)."""
    assert runtime.settings.max_attempts == 1
    clock.set(paris(4, 1, 8))
    camille = add_agent(runtime, "Camille", admin=True)
    dominique = add_agent(runtime, "Dominique", phone="+33612000003")
    lilas = add_client(runtime, "Clinique des Lilas", phone="+33612345678")
    centre = add_client(runtime, "Pharmacie du Centre", email="centre@example.test",
                        phone="+33478000002")
    e1 = add_entry(runtime, "Serveur en panne", tier=Tier.CRITICAL, caller="+33611111111",
                   arrived=paris(4, 1, 10))
    e2 = add_entry(runtime, "Impossible d'imprimer", tier=Tier.HIGH, client_id=lilas,
                   arrived=paris(4, 2, 17))
    e3 = add_entry(runtime, "Question sur une facture", tier=Tier.MEDIUM, client_id=centre,
                   caller="+33478000002", arrived=paris(4, 8, 9))
    e4 = add_entry(runtime, None, tier=Tier.LOW, vague=True, caller="+33699999999",
                   arrived=paris(4, 9, 14))
    e5 = add_entry(runtime, "Encore la facture", tier=Tier.MEDIUM, client_id=centre,
                   caller="+33478000002", arrived=paris(4, 9, 15))
    _appointments(runtime, clock, camille)

    clock.set(paris(4, 1, 11))
    claims.claim(runtime, camille, e1, version(runtime, e1))
    clock.set(paris(4, 1, 11, 30))
    outcomes.record_outcome(runtime, agent_id=camille, entry_id=e1,
                            version=version(runtime, e1), outcome="solved")

    clock.set(paris(4, 3, 17, 29))
    claims.claim(runtime, dominique, e2, version(runtime, e2))
    clock.set(paris(4, 3, 17, 30))
    outcomes.record_outcome(runtime, agent_id=dominique, entry_id=e2,
                            version=version(runtime, e2), outcome="no_answer")
    clock.set(paris(4, 7, 10))  # Easter Monday in between: the client calls again on Tuesday
    _call(runtime, "CA-e2-back", "+33612345678", "Rappelez-moi", paris(4, 7, 10))
    clock.set(paris(4, 7, 10, 30))
    claims.claim(runtime, dominique, e2, version(runtime, e2))
    clock.set(paris(4, 7, 11))
    outcomes.record_outcome(runtime, agent_id=dominique, entry_id=e2,
                            version=version(runtime, e2), outcome="documentation",
                            chapter="impressions")

    clock.set(paris(4, 9, 14, 30))
    assert client_cancel.cancel_by_client(runtime, e4) == "cancelled"
    clock.set(paris(4, 10, 9, 30))
    requalify.merge(runtime, agent_id=camille, entry_id=e3, version=version(runtime, e3),
                    other_id=e5, reason="même facture")
    clock.set(paris(4, 13, 12))
    return History(camille, dominique, (e1, e2, e3, e4, e5))


def _call(runtime: Runtime, sid: str, number: str, speech: str, at: datetime) -> None:
    """A caller leaves a message (the voice webhooks' use cases)."""
    intake.start_call(runtime, call_sid=sid, from_raw=number, to_raw="+33970000000",
                      status="ringing", now=at)
    intake.record_need(runtime, call_sid=sid, from_raw=number, speech=speech, confidence=0.9,
                       now=at)


def _appointments(runtime: Runtime, clock: FrozenClock, camille: int) -> None:
    clock.set(paris(4, 1, 9))
    with db.write(runtime.sessions) as session:
        first = book_slot(session, runtime, start=paris(4, 1, 14), client_name="Cabinet Durand",
                          client_email="durand@example.test", client_phone="+33145000000",
                          client_id=None, entry_id=None, lang="fr", agent_id=camille).id
    with db.write(runtime.sessions) as session:
        move_appointment(session, runtime, first, start=paris(4, 1, 14, 30))
    with db.write(runtime.sessions) as session:
        extension.extend(session, runtime, first, agent_id=camille)
    with db.write(runtime.sessions) as session:
        extension.book_follow_up(session, runtime, first, agent_id=camille)
