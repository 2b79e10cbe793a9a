"""The reports' use case: every figure of a period, read in one transaction (R5-R16).

Counts are SQL aggregates over indexed columns (messages.received_at, waiting_entries.arrived_at
and closed_at, entry_events (kind, at), appointments.created_at), grouped by quarter-hour where
a figure goes by day (every zone's offset is a multiple of 15 minutes, so the quarter-hours fall
into local days exactly, DST days included). Business-time figures read a few columns per
entry of the period as POSIX seconds and judge them with the calendar's timeline.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Float, Integer, and_, case, cast, func, select
from sqlalchemy.orm import Session

from callq import db
from callq.models import Agent, Appointment, EntryEvent, Message, WaitingEntry
from callq.reports.tables import (
    OUTCOMES,
    Cell,
    EntryFacts,
    Period,
    Report,
    Table,
    fold,
    outcome_of,
)
from callq.status import TIER_ORDER, EntryStatus, Outcome
from callq.waiting_room import service_targets
from scheduling.business_time import Timeline, epoch
from scheduling.calendar import wall_to_utc

if TYPE_CHECKING:
    from callq.runtime import Runtime

QUARTER = 900  # seconds
TIERS = tuple(tier.value for tier in TIER_ORDER)


def read_report(runtime: Runtime, period: Period) -> Report:
    """Every table of the period, computed now."""
    calendar = runtime.calendar()
    start = wall_to_utc(period.start, time(0), calendar.tz)
    end = wall_to_utc(period.end + timedelta(days=1), time(0), calendar.tz)
    days = [wall_to_utc(period.start + timedelta(days=n), time(0), calendar.tz).timestamp()
            for n in range(period.days)]
    with db.read(runtime.sessions) as session:
        reader = _Reader(session, start, end, period.start, days)
        agents = dict(session.execute(select(Agent.id, Agent.name)).tuples().all())
        timeline = Timeline(calendar, period.start - timedelta(days=1))
        service = fold(timeline, reader.entry_facts(), service_targets(runtime.settings),
                       runtime.now().timestamp(), reader.attempts(), agents)
        tables = (reader.volume(), service, reader.outcomes(agents),
                  reader.appointments(agents), reader.daily())
    return Report(period, tables)


def _epoch(column: Any, dialect: str) -> Any:
    """POSIX seconds of a stored instant, in SQL (SQLite keeps naive UTC text)."""
    if dialect == "postgresql":
        return cast(func.extract("epoch", column), Float)
    return (func.julianday(column) - 2440587.5) * 86400.0


def _quarter(column: Any, dialect: str) -> Any:
    """The quarter-hour (POSIX seconds / 900) an instant falls in."""
    seconds = _epoch(column, dialect)
    if dialect == "postgresql":
        return cast(func.floor(seconds / QUARTER), Integer)
    return cast(seconds / QUARTER, Integer)  # positive: truncation is the floor


class _Reader:
    """The period's queries, on one session."""

    def __init__(self, session: Session, start: datetime, end: datetime, first_day: date,
                 days: Sequence[float]) -> None:
        self.session, self.start, self.end, self.days = session, start, end, days
        self.first_day = first_day
        self.dialect = session.get_bind().dialect.name

    def _day(self, quarter: int) -> int:
        return bisect_right(self.days, quarter * QUARTER) - 1

    def _by_day(self, rows: Iterable[Any]) -> list[int]:
        counts = [0] * len(self.days)
        for quarter, count in rows:
            counts[self._day(quarter)] += count
        return counts

    def _arrived(self) -> Any:
        return and_(WaitingEntry.arrived_at >= self.start, WaitingEntry.arrived_at < self.end)

    # --- volume and the room's size ---------------------------------------------------

    def _messages(self) -> list[tuple[int, str, int]]:
        quarter = _quarter(Message.received_at, self.dialect)
        return [tuple(row) for row in self.session.execute(
            select(quarter, func.coalesce(WaitingEntry.tier, ""), func.count())
            .select_from(Message).outerjoin(WaitingEntry, WaitingEntry.id == Message.entry_id)
            .where(Message.received_at >= self.start, Message.received_at < self.end)
            .group_by(quarter, WaitingEntry.tier))]

    def _opened(self) -> list[tuple[int, str, int, int, int]]:
        quarter = _quarter(WaitingEntry.arrived_at, self.dialect)
        merged = func.sum(case((WaitingEntry.outcome == Outcome.MERGED.value, 1), else_=0))
        vague = func.sum(case((WaitingEntry.vague.is_(True), 1), else_=0))
        return [tuple(row) for row in self.session.execute(
            select(quarter, WaitingEntry.tier, func.count(), merged, vague)
            .where(self._arrived()).group_by(quarter, WaitingEntry.tier))]

    def volume(self) -> Table:
        """Messages received, entries opened, merged and vague: all, then by tier."""
        messages: Counter[str] = Counter()
        for _, tier, count in self._messages():
            messages[""] += count
            messages[tier] += count
        opened: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for _, tier, count, merged, vague in self._opened():
            for key in ("", tier):
                row = opened[key]
                row[0], row[1], row[2] = row[0] + count, row[1] + merged, row[2] + vague
        rows = [("all", "", messages[""], *opened[""]),
                *(("tier", tier, messages[tier], *opened[tier]) for tier in TIERS)]
        columns = ("by", "group", "messages", "entries_opened", "merged", "vague")
        return Table("volume", columns, tuple(rows))

    def daily(self) -> Table:
        """Per local day: messages, entries opened, and open entries at the day's end."""
        messages = self._by_day((q, n) for q, _, n in self._messages())
        opened = self._by_day((q, n) for q, _, n, _, _ in self._opened())
        quarter = _quarter(WaitingEntry.closed_at, self.dialect)
        closed = self._by_day(self.session.execute(
            select(quarter, func.count()).where(WaitingEntry.closed_at >= self.start,
                                                WaitingEntry.closed_at < self.end)
            .group_by(quarter)).tuples())
        open_now = self.session.scalar(select(func.count()).select_from(WaitingEntry).where(
            WaitingEntry.arrived_at < self.start,
            (WaitingEntry.closed_at.is_(None)) | (WaitingEntry.closed_at >= self.start))) or 0
        rows: list[tuple[Cell, ...]] = []
        for index in range(len(self.days)):
            open_now += opened[index] - closed[index]
            day = self.first_day + timedelta(days=index)
            rows.append((day.isoformat(), messages[index], opened[index], open_now))
        return Table("daily", ("day", "messages", "entries_opened", "open_at_day_end"),
                     tuple(rows))

    # --- service levels ------------------------------------------------------------------

    def entry_facts(self) -> list[EntryFacts]:
        """Each entry that arrived in the period (merged ones aside): the clocks' facts."""
        entry, dialect = WaitingEntry, self.dialect
        closed = case((entry.status == EntryStatus.CLOSED.value, _epoch(entry.closed_at,
                                                                        dialect)))
        waiting = case((entry.status == EntryStatus.AWAITING_CLIENT.value,
                        _epoch(entry.awaiting_since, dialect)))
        rows = self.session.execute(select(
            entry.tier, _epoch(entry.arrived_at, dialect), _epoch(entry.due_at, dialect),
            _epoch(entry.first_attempt_at, dialect), entry.first_attempt_by,
            _epoch(entry.qualified_at, dialect), closed, entry.outcome, entry.resolved_by,
            waiting, entry.clock_waits,
        ).where(self._arrived(), func.coalesce(entry.outcome, "") != Outcome.MERGED.value))
        return [(*row[:10], _waits(row[10])) for row in rows]  # type: ignore[misc]

    def attempts(self) -> dict[str, tuple[int, int]]:
        """Outcomes recorded by agents on the period's entries (callback attempts) and how
        many entries they were on: all (""), by tier, by agent id."""
        def counted(*keys: Any) -> Any:
            return (select(*keys, func.count(), func.count(EntryEvent.entry_id.distinct()))
                    .join(WaitingEntry, WaitingEntry.id == EntryEvent.entry_id)
                    .where(EntryEvent.kind == "outcome", EntryEvent.agent_id.is_not(None),
                           self._arrived()).group_by(*keys))

        total = self.session.execute(counted()).one()
        found = {"": (int(total[0]), int(total[1]))}
        for column in (WaitingEntry.tier, EntryEvent.agent_id):
            for key, count, entries in self.session.execute(counted(column)):
                found[str(key)] = (int(count), int(entries))
        return found

    # --- outcomes and appointments -----------------------------------------------------

    def outcomes(self, agents: dict[int, str]) -> Table:
        """Outcomes recorded in the period (R10): all, by tier, by agent who recorded them."""
        outcome = EntryEvent.detail["outcome"].as_string()
        rows = self.session.execute(
            select(outcome, WaitingEntry.tier, EntryEvent.agent_id, func.count())
            .join(WaitingEntry, WaitingEntry.id == EntryEvent.entry_id)
            .where(EntryEvent.kind == "outcome", EntryEvent.at >= self.start,
                   EntryEvent.at < self.end)
            .group_by(outcome, WaitingEntry.tier, EntryEvent.agent_id))
        counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for value, tier, agent_id, count in rows:
            name = outcome_of(value)
            if name is None:
                continue
            for key in (("all", ""), ("tier", tier), ("agent", agent_id)):
                if key[1] is not None:
                    counts[key][name] += count
        return _grouped("outcomes", OUTCOMES, counts, agents)

    def appointments(self, agents: dict[int, str]) -> Table:
        """Appointments booked in the period: moved, no-shows, extended, second ones (R12-R16),
        all, by the tier of the need they serve, by agent."""
        appt = Appointment
        follow_up = func.sum(case((appt.follows_id.is_not(None), 1), else_=0))
        rows = self.session.execute(
            select(appt.agent_id, WaitingEntry.tier, func.count(), func.sum(appt.moves),
                   func.sum(appt.no_shows), func.sum(appt.extensions), follow_up)
            .outerjoin(WaitingEntry, WaitingEntry.id == appt.entry_id)
            .where(appt.created_at >= self.start, appt.created_at < self.end)
            .group_by(appt.agent_id, WaitingEntry.tier))
        columns = ("booked", "moved", "no_shows", "extended", "second_appointments")
        counts: dict[tuple[str, Any], Counter[str]] = defaultdict(Counter)
        for agent_id, tier, *values in rows:
            for key in (("all", ""), ("tier", tier), ("agent", agent_id)):
                if key[1] is not None:
                    counts[key].update(dict(zip(columns, map(int, values), strict=True)))
        return _grouped("appointments", columns, counts, agents)


def _grouped(name: str, columns: tuple[str, ...], counts: dict[tuple[str, Any], Counter[str]],
             agents: dict[int, str]) -> Table:
    """Rows all, each tier, each agent (by name) of per-key counters."""
    keys = [("all", ""), *(("tier", tier) for tier in TIERS),
            *sorted(((by, key) for by, key in counts if by == "agent"),
                    key=lambda item: (agents.get(item[1], ""), item[1]))]
    rows = tuple((by, agents.get(key, f"#{key}") if by == "agent" else key,
                  *(counts[(by, key)][column] for column in columns)) for by, key in keys)
    return Table(name, ("by", "group", *columns), rows)


def _waits(stored: Any) -> tuple[tuple[float, float], ...]:
    """The waits (JSON pairs of ISO instants) as POSIX seconds."""
    return tuple((epoch(datetime.fromisoformat(a)), epoch(datetime.fromisoformat(b)))
                 for a, b in stored or ())
