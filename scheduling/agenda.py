"""The agents' agendas as the database holds them: busy time, free slots, who can take a call.

Reads only; the pure rules are in scheduling.slots. Every function takes the caller's session,
so a booking checks and writes in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from callq.db import bind_processors, is_sqlite
from callq.models import Agent, Appointment
from callq.models.instants import parse_instants
from callq.status import AppointmentStatus
from scheduling.slots import (
    Busy,
    Slot,
    SlotRules,
    bookable_times,
    free_slots,
    horizon_end,
    overlaps,
)

if TYPE_CHECKING:
    from callq.runtime import Runtime
    from scheduling.calendar import BusinessCalendar

ACTIVE = (AppointmentStatus.BOOKED, AppointmentStatus.IN_CALL)
OFFERED = 5  # next free times offered when a slot is taken or a call cannot happen


def slot_rules(runtime: Runtime) -> SlotRules:
    """Slot length, minimum notice and horizon from the settings (R12)."""
    settings = runtime.settings
    return SlotRules(length=timedelta(minutes=settings.slot_minutes),
                     min_notice=timedelta(minutes=settings.min_notice_minutes),
                     horizon_days=settings.horizon_days)


def local_zone(runtime: Runtime) -> ZoneInfo:
    """The zone in which clients and agents read times: CALLQ_TIMEZONE, else the calendar's."""
    name = runtime.settings.timezone
    return ZoneInfo(name) if name else runtime.calendar().tz


def agent_ids(session: Session) -> list[int]:
    """Agents who take appointments: every active one."""
    return list(session.scalars(select(Agent.id).where(Agent.active.is_(True)).order_by(Agent.id)))


# Busy time as the driver reads it (issue 17): a slot search reads thousands of instants, and
# SQLAlchemy's rows and the ORM's type per value were most of its time. The statement is
# written once per form; the instants come back as text (SQLite: the text UTCDateTime stores;
# PostgreSQL: cast by the server, cheaper than psycopg's datetimes in a named zone) and each
# distinct text is parsed once (callq.models.instants).
_BUSY = ("SELECT agent_id, {text}starts_at{as_text}, {text}ends_at{as_text} FROM appointments "
         "WHERE ends_at > {p}{until} "
         "AND status IN (" + ", ".join(f"'{status.value}'" for status in ACTIVE) + "){exclude} "
         "UNION ALL SELECT agent_id, {text}starts_at{as_text}, {text}ends_at{as_text} "
         "FROM absences WHERE ends_at > {p}{until}")


@lru_cache(maxsize=16)
def _busy_sql(sqlite_: bool, until: bool, exclude: bool) -> str:
    marker = "?" if sqlite_ else "%s"
    return _BUSY.format(p=marker, until=f" AND starts_at < {marker}" if until else "",
                        exclude=f" AND id <> {marker}" if exclude else "",
                        text="" if sqlite_ else "CAST(", as_text="" if sqlite_ else " AS TEXT)")


def busy(session: Session, since: datetime, *, until: datetime | None = None,
         exclude: int | None = None) -> list[Busy]:
    """Active appointments and absences over [since, until) (one appointment may be left out),
    read in the session's transaction."""
    return [Busy(*row) for row in _busy_times(session, since, until, exclude)]


def _busy_times(session: Session, since: datetime, until: datetime | None,
                exclude: int | None) -> list[tuple[int, datetime, datetime]]:
    """`busy` as plain (agent, start, end) tuples, what a slot search reads (a third of the
    time of building as many Busy).

    Every agent's: filtering on agent ids (a 20-value IN) made PostgreSQL searches slower.
    """
    connection = session.connection()
    engine = connection.engine
    sqlite_ = is_sqlite(engine)
    instant = _instant_processor(engine)
    bounds = [instant(since)] + ([instant(until)] if until is not None else [])
    values = bounds + ([exclude] if exclude is not None else []) + bounds
    cursor = connection.connection.cursor()
    try:
        cursor.execute(_busy_sql(sqlite_, until is not None, exclude is not None), values)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    instants = parse_instants({text for row in rows for text in row[1:]})
    return [(agent_id, instants[start], instants[end]) for agent_id, start, end in rows]


@lru_cache(maxsize=4)
def _instant_processor(engine: Engine) -> Callable[[datetime], Any]:
    processor = bind_processors(engine, Appointment.__table__.c.starts_at)[0]
    return processor if processor is not None else (lambda value: value)


def open_slots(
    session: Session, runtime: Runtime, *, after: datetime | None = None,
    limit: int | None = None, agents: Sequence[int] | None = None, exclude: int | None = None,
) -> list[Slot]:
    """Free (time, agent) pairs from now + notice, within the horizon, sorted (R12)."""
    calendar, now, rules, busy_now = _search(session, runtime, exclude)
    agents = agent_ids(session) if agents is None else agents
    return free_slots(calendar, agents, busy_now, now, rules, after=after, limit=limit)


def open_times(session: Session, runtime: Runtime, *,
               exclude: int | None = None) -> list[tuple[datetime, datetime]]:
    """The distinct free times from now + notice, within the horizon, sorted: what a booking
    page shows (R12)."""
    calendar, now, rules, busy_now = _search(session, runtime, exclude)
    return bookable_times(calendar, agent_ids(session), busy_now, now, rules)


def _search(session: Session, runtime: Runtime, exclude: int | None) -> tuple[
        BusinessCalendar, datetime, SlotRules, list[tuple[int, datetime, datetime]]]:
    """What a slot search starts from: the calendar, now, the rules, and the busy time up to
    the horizon's end."""
    now, calendar, rules = runtime.now(), runtime.calendar(), slot_rules(runtime)
    until = horizon_end(calendar, now, rules.horizon_days)
    return calendar, now, rules, _busy_times(session, now, until, exclude)


def next_times(session: Session, runtime: Runtime, *, after: datetime | None = None,
               exclude: int | None = None, count: int = OFFERED) -> list[tuple[datetime, datetime]]:
    """The next distinct free times, what a client is offered."""
    found: list[tuple[datetime, datetime]] = []
    for slot in open_slots(session, runtime, after=after, exclude=exclude):
        if not found or found[-1][0] != slot.start:
            found.append((slot.start, slot.end))
            if len(found) == count:
                break
    return found


def free_agents_at(session: Session, runtime: Runtime, start: datetime, end: datetime, *,
                   exclude: int | None = None) -> list[int]:
    """Active agents with no appointment or absence overlapping [start, end), lowest id first;
    nobody when the hotline takes no appointment then (a closed day, a holiday, hours changed).

    Unlike open_slots this ignores notice and grid: it answers "who can take this call now".
    """
    if not runtime.calendar().takes_appointments(start, end):
        return []
    agents = agent_ids(session)
    taken = {item.agent_id for item in busy(session, start, until=end, exclude=exclude)
             if overlaps(item.start, item.end, start, end)}
    return [agent for agent in agents if agent not in taken]


def agent_can_take(session: Session, runtime: Runtime, agent_id: int, start: datetime,
                   end: datetime, *, exclude: int | None = None) -> bool:
    """Whether this agent is active and free over [start, end)."""
    return agent_id in free_agents_at(session, runtime, start, end, exclude=exclude)



def least_booked_first(session: Session, runtime: Runtime, agents: Sequence[int],
                       at: datetime) -> list[int]:
    """The agents ordered by their active appointments on the local day of `at`, fewest
    first (then by id): bookings spread fairly instead of piling on the first free agent."""
    zone = local_zone(runtime)
    midnight = at.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    day_end = midnight + timedelta(days=1)  # wall-clock arithmetic: the next local midnight
    counts = {agent: n for agent, n in session.execute(
        select(Appointment.agent_id, func.count(Appointment.id)).where(
            Appointment.status.in_(ACTIVE), Appointment.starts_at >= midnight,
            Appointment.starts_at < day_end, Appointment.agent_id.in_(list(agents)))
        .group_by(Appointment.agent_id))}
    return sorted(agents, key=lambda agent: (counts.get(agent, 0), agent))
