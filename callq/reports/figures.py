"""The reports' use case: every figure of a period, read in one transaction (R5-R16).

Counts are SQL aggregates over indexed columns (messages.received_at, waiting_entries.arrived_at
and closed_at, entry_events (kind, at), appointments.created_at), grouped by quarter-hour where
a figure goes by day (every zone's offset is a multiple of 15 minutes, so the quarter-hours fall
into local days exactly, DST days included). Business-time figures read a few columns per
entry of the period as POSIX seconds and judge them with the calendar's timeline.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import cache, partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer, and_, case, cast, func, select
from sqlalchemy.orm import Session

from callq import db
from callq.models import Agent, Appointment, EntryEvent, Message, WaitingEntry
from callq.reports.service import Cohort, epoch_of, measure, service_table
from callq.reports.tables import OUTCOMES, Cell, Period, Report, Table, outcome_of
from callq.status import TIER_ORDER, Outcome
from callq.waiting_room import service_targets
from scheduling.business_time import Timeline, utc_offsets
from scheduling.calendar import wall_to_utc

if TYPE_CHECKING:
    from callq.runtime import Runtime

DAY = 86_400
EPOCH = date(1970, 1, 1)
TIERS = tuple(tier.value for tier in TIER_ORDER)
NAMES = ("volume", "service", "outcomes", "appointments", "daily")  # as the page shows them
Found = tuple[int | None, list[Any]]  # a day's index in the period, then the row's values


def read_report(runtime: Runtime, period: Period, only: tuple[str, ...] = NAMES) -> Report:
    """The tables of the period (`only` those named: one table's CSV reads what it shows);
    the closed entries not measured yet are measured first (for the service table)."""
    calendar = runtime.calendar()
    start = wall_to_utc(period.start, time(0), calendar.tz)
    end = wall_to_utc(period.end + timedelta(days=1), time(0), calendar.tz)
    offsets = utc_offsets(calendar, period.start, period.end)
    # Laid out only when an entry is judged (none when every entry of the period is measured).
    timeline = cache(partial(Timeline, calendar, period.start - timedelta(days=1)))
    targets, now = service_targets(runtime.settings), runtime.now().timestamp()
    if "service" in only:
        with db.write(runtime.sessions) as session:  # once per closed entry: see .service
            measure(Cohort(session, start, end), timeline, targets, now)
    with db.read(runtime.sessions) as session:
        reader = _Reader(session, start, end, period, offsets)
        agents = {row[0]: row[1] for row in session.execute(select(Agent.id, Agent.name))}
        made: dict[str, Callable[[], Table]] = {
            "volume": reader.volume,
            "service": lambda: service_table(Cohort(session, start, end), timeline, targets,
                                             now, agents),
            "outcomes": lambda: reader.outcomes(agents),
            "appointments": lambda: reader.appointments(agents),
            "daily": reader.daily,
        }
        tables = tuple(made[name]() for name in NAMES if name in only)
    return Report(period, tables)


def local_day(column: Any, dialect: str, offsets: list[tuple[float, float]]) -> Any:
    """The local day of a stored instant, in SQL, as days since 1970-01-01: its POSIX seconds
    plus the zone's offset then (one CASE branch per DST change of the period), by 86,400."""
    seconds = epoch_of(column, dialect)
    shift: Any = offsets[0][1]
    if len(offsets) > 1:
        branches = [(seconds < since, offset) for (_, offset), (since, _) in
                    zip(offsets, offsets[1:], strict=False)]
        shift = case(*branches, else_=offsets[-1][1])
    local = (seconds + shift) / DAY
    if dialect == "postgresql":
        return cast(func.floor(local), Integer)
    return cast(local, Integer)  # positive: truncation is the floor


class _Reader:
    """The period's queries, on one session."""

    def __init__(self, session: Session, start: datetime, end: datetime, period: Period,
                 offsets: list[tuple[float, float]]) -> None:
        self.session, self.start, self.end, self.period = session, start, end, period
        self.offsets = offsets
        self.dialect = session.get_bind().dialect.name
        self._found_messages: list[Found] | None = None  # volume and daily share the scans
        self._found_opened: list[Found] | None = None

    def _arrived(self) -> Any:
        return and_(WaitingEntry.arrived_at >= self.start, WaitingEntry.arrived_at < self.end)

    def _by_day(self, column: Any, *conditions: Any, groups: tuple[Any, ...] = (),
                sums: tuple[Any, ...] = (), messages: bool = False) -> list[Found]:
        """One scan: rows counted per local day of the period and per `groups`, as
        (day's index, or None outside the period: no row is; (*groups, count, *sums)).
        `messages`: rows of messages, with their entry's columns."""
        day = local_day(column, self.dialect, self.offsets)
        first = (self.period.start - EPOCH).days
        query = select(day, *groups, func.count(), *sums).where(*conditions)
        if messages:
            query = query.select_from(Message).outerjoin(
                WaitingEntry, WaitingEntry.id == Message.entry_id)
        found: list[Found] = []
        for number, *values in self.session.execute(query.group_by(day, *groups)):
            index = number - first
            found.append((index if 0 <= index < self.period.days else None, values))
        return found

    def _messages(self) -> list[Found]:
        """Messages received in the period, by local day and by their entry's tier."""
        if self._found_messages is None:
            self._found_messages = self._by_day(
                Message.received_at, Message.received_at >= self.start,
                Message.received_at < self.end, groups=(func.coalesce(WaitingEntry.tier, ""),),
                messages=True)
        return self._found_messages

    def _opened(self) -> list[Found]:
        """Entries that arrived in the period, by local day and tier: how many, merged, vague."""
        if self._found_opened is None:
            merged = func.sum(case((WaitingEntry.outcome == Outcome.MERGED.value, 1), else_=0))
            vague = func.sum(case((WaitingEntry.vague.is_(True), 1), else_=0))
            self._found_opened = self._by_day(WaitingEntry.arrived_at, self._arrived(),
                                              groups=(WaitingEntry.tier,), sums=(merged, vague))
        return self._found_opened

    def _per_day(self, found: list[Found], column: int) -> list[int]:
        """One column of `_by_day` summed per day of the period."""
        counts = [0] * self.period.days
        for index, values in found:
            if index is not None:
                counts[index] += int(values[column])
        return counts

    # --- volume and the room's size ---------------------------------------------------

    def volume(self) -> Table:
        """Messages received, entries opened, merged and vague: all, then by tier."""
        messages = Counter[str]()
        for _, (tier, count) in self._messages():
            messages[""] += count
            if tier:  # a message not filed yet has no tier: counted in "all" once
                messages[tier] += count
        opened: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for _, (tier, *counts) in self._opened():
            for key in ("", tier):
                opened[key] = [a + int(b) for a, b in zip(opened[key], counts, strict=True)]
        rows: list[tuple[Cell, ...]] = [("all", "", messages[""], *opened[""])]
        rows += [("tier", tier, messages[tier], *opened[tier]) for tier in TIERS]
        columns = ("by", "group", "messages", "entries_opened", "merged", "vague")
        return Table("volume", columns, tuple(rows))

    def daily(self) -> Table:
        """Per local day: messages, entries opened, and open entries at the day's end."""
        messages = self._per_day(self._messages(), 1)
        opened = self._per_day(self._opened(), 1)
        closed = self._per_day(self._by_day(
            WaitingEntry.closed_at, WaitingEntry.closed_at >= self.start,
            WaitingEntry.closed_at < self.end), 0)
        open_now = self.session.scalar(select(func.count()).select_from(WaitingEntry).where(
            WaitingEntry.arrived_at < self.start,
            (WaitingEntry.closed_at.is_(None)) | (WaitingEntry.closed_at >= self.start))) or 0
        rows: list[tuple[Cell, ...]] = []
        for index in range(self.period.days):
            open_now += opened[index] - closed[index]
            day = self.period.start + timedelta(days=index)
            rows.append((day.isoformat(), messages[index], opened[index], open_now))
        return Table("daily", ("day", "messages", "entries_opened", "open_at_day_end"),
                     tuple(rows))

    # --- outcomes and appointments -----------------------------------------------------

    def outcomes(self, agents: dict[int, str]) -> Table:
        """Outcomes recorded in the period (R10): all, by tier, by agent who recorded them."""
        outcome = EntryEvent.outcome
        rows = self.session.execute(
            select(outcome, WaitingEntry.tier, EntryEvent.agent_id, func.count())
            .join(WaitingEntry, WaitingEntry.id == EntryEvent.entry_id)
            .where(EntryEvent.kind == "outcome", EntryEvent.at >= self.start,
                   EntryEvent.at < self.end)
            .group_by(outcome, WaitingEntry.tier, EntryEvent.agent_id))
        counts: dict[tuple[str, Any], Counter[str]] = defaultdict(Counter)
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
        columns = ("appointments_booked", "moved", "no_shows", "extended",
                   "second_appointments")
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
