"""The agents' agendas as the database holds them: busy time, free slots, who can take a call.

Reads only; the pure rules are in scheduling.slots. Every function takes the caller's session,
so a booking checks and writes in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select, union_all
from sqlalchemy.orm import InstrumentedAttribute, Session

from callq.models import Absence, Agent, Appointment
from callq.models.instants import instant_text, parse_instants
from callq.status import AppointmentStatus
from scheduling.slots import Busy, Slot, SlotRules, free_slots, horizon_end, overlaps

if TYPE_CHECKING:
    from callq.runtime import Runtime

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


def _busy_rows(table: type[Appointment] | type[Absence], since: datetime,
               until: datetime | None, dialect: str) -> Select[int, str, str]:
    starts: InstrumentedAttribute[datetime] = table.starts_at
    ends: InstrumentedAttribute[datetime] = table.ends_at
    rows = select(table.agent_id, instant_text(starts, dialect),
                  instant_text(ends, dialect)).where(ends > since)
    if until is not None:
        rows = rows.where(starts < until)
    return rows


def busy(session: Session, since: datetime, *, until: datetime | None = None,
         exclude: int | None = None) -> list[Busy]:
    """Active appointments and absences over [since, until) (one appointment may be left out).

    Every agent's: filtering on agent ids (a 20-value IN) made PostgreSQL searches slower.
    One query; its times come back as ISO text, each distinct one parsed once
    (callq.models.instants): a slot search reads thousands, and converting each through the
    ORM's type was most of its time.
    """
    connection = session.connection()
    dialect = connection.dialect.name
    appointments = _busy_rows(Appointment, since, until, dialect).where(
        Appointment.status.in_(ACTIVE))
    if exclude is not None:
        appointments = appointments.where(Appointment.id != exclude)
    rows = connection.execute(
        union_all(appointments, _busy_rows(Absence, since, until, dialect))).all()
    instants = parse_instants({text for row in rows for text in row[1:]})
    return [Busy(agent_id, instants[start], instants[end]) for agent_id, start, end in rows]


def open_slots(
    session: Session, runtime: Runtime, *, after: datetime | None = None,
    limit: int | None = None, agents: Sequence[int] | None = None, exclude: int | None = None,
) -> list[Slot]:
    """Free (time, agent) pairs from now + notice, within the horizon, sorted (R12)."""
    now, calendar, rules = runtime.now(), runtime.calendar(), slot_rules(runtime)
    agents = agent_ids(session) if agents is None else agents
    until = horizon_end(calendar, now, rules.horizon_days)
    return free_slots(calendar, agents,
                      busy(session, now, until=until, exclude=exclude),
                      now, rules, after=after, limit=limit)


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
    """Active agents with no appointment or absence overlapping [start, end), lowest id first.

    Unlike open_slots this ignores notice and grid: it answers "who can take this call now".
    """
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
