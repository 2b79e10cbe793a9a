"""Appointment slots: the afternoon grid per agent, minus appointments and absences (R12)."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import NamedTuple

from scheduling.calendar import ONE_DAY, SEARCH_DAYS, BusinessCalendar, Mode, OpenInterval, utc


@dataclass(frozen=True)
class SlotRules:
    """Length, minimum notice and horizon of appointment slots."""

    length: timedelta = timedelta(minutes=30)
    min_notice: timedelta = timedelta(hours=2)
    horizon_days: int = 15  # working days, counted from today (local) inclusive

    def __post_init__(self) -> None:
        if self.length <= timedelta(0) or self.min_notice < timedelta(0) or self.horizon_days < 0:
            raise ValueError(f"slot rules need a positive length and no negative value: {self}")


class Busy(NamedTuple):  # thousands per search: a tuple is built twice as fast as a dataclass
    """An appointment or an absence of one agent (UTC, half-open)."""

    agent_id: int
    start: datetime
    end: datetime


class Slot(NamedTuple):  # ordered by start, end, then agent, as the fields come
    """A bookable time of one agent (UTC, half-open)."""

    start: datetime
    end: datetime
    agent_id: int


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """True when the half-open intervals [a_start, a_end) and [b_start, b_end) share an instant."""
    return a_start < b_end and b_start < a_end


def horizon(calendar: BusinessCalendar, now: datetime, days: int) -> list[date]:
    """The first `days` working days from today (local), today included."""
    found: list[date] = []
    day = calendar.local(now).date()
    for _ in range(SEARCH_DAYS):
        if len(found) >= days:
            break
        if calendar.is_working_day(day):
            found.append(day)
        day += ONE_DAY
    return found


def horizon_end(calendar: BusinessCalendar, now: datetime, days: int) -> datetime:
    """When the horizon's last opening closes (`now` if none): no slot ends later."""
    return max((interval.end for day in horizon(calendar, now, days)
                for interval in calendar.intervals_on(day)), default=utc(now))


def candidate_times(
    calendar: BusinessCalendar, now: datetime, rules: SlotRules
) -> list[tuple[datetime, datetime]]:
    """The slot grid of the horizon's appointment hours, from `now` + minimum notice, sorted."""
    earliest = utc(now) + rules.min_notice
    times: list[tuple[datetime, datetime]] = []
    for day in horizon(calendar, now, rules.horizon_days):
        for interval in calendar.intervals_on(day):
            if interval.mode is Mode.APPOINTMENTS:
                times.extend(_grid(interval, rules.length, earliest))
    return times


def _grid(
    interval: OpenInterval, length: timedelta, earliest: datetime
) -> Iterator[tuple[datetime, datetime]]:
    # Laid from the interval's start in UTC, so a slot always lasts `length`, even on a DST day.
    start = interval.start
    while start + length <= interval.end:
        if start >= earliest:
            yield start, start + length
        start += length


def _merged(busy: list[tuple[datetime, datetime]]) -> tuple[list[datetime], list[datetime]]:
    """One agent's busy time as disjoint intervals in order: their starts and their ends."""
    starts: list[datetime] = []
    ends: list[datetime] = []
    for start, end in sorted(busy):
        if ends and start <= ends[-1]:
            if end > ends[-1]:
                ends[-1] = end
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _busy_by_agent(agents: Sequence[int], busy: Iterable[tuple[int, datetime, datetime]]
                   ) -> dict[int, list[tuple[datetime, datetime]]]:
    by_agent: dict[int, list[tuple[datetime, datetime]]] = {agent: [] for agent in agents}
    for agent_id, start, end in busy:
        times = by_agent.get(agent_id)
        if times is not None and end > start:
            times.append((start if start.tzinfo is UTC else utc(start),
                          end if end.tzinfo is UTC else utc(end)))
    return by_agent


def free_slots(
    calendar: BusinessCalendar,
    agent_ids: Sequence[int],
    busy: Iterable[tuple[int, datetime, datetime]],
    now: datetime,
    rules: SlotRules,
    *,
    after: datetime | None = None,
    limit: int | None = None,
) -> list[Slot]:
    """Every (time, agent) of the grid with no overlapping busy time of that agent (each a
    Busy or a plain (agent, start, end)), by (start, agent)."""
    times = candidate_times(calendar, now, rules)
    if after is not None:
        after = utc(after)
        times = [(start, end) for start, end in times if start >= after]
    free = _free_agents(times, agent_ids, busy)
    # Agents were walked in ascending order: the output is sorted by (start, agent) as made.
    found = (Slot(start, end, agent) for (start, end), free_agents in zip(times, free, strict=True)
             for agent in free_agents)
    return list(islice(found, limit))


def bookable_times(
    calendar: BusinessCalendar,
    agent_ids: Sequence[int],
    busy: Iterable[tuple[int, datetime, datetime]],
    now: datetime,
    rules: SlotRules,
) -> list[tuple[datetime, datetime]]:
    """The grid's times at which some agent is free, sorted: what a client is shown (the
    distinct times of `free_slots`, without a Slot per free agent)."""
    times = candidate_times(calendar, now, rules)
    return [time for time, free in zip(times, _free_agents(times, agent_ids, busy), strict=True)
            if free]


def _free_agents(times: Sequence[tuple[datetime, datetime]], agent_ids: Sequence[int],
                 busy: Iterable[tuple[int, datetime, datetime]]) -> list[list[int]]:
    """For each time of the grid, the agents free over it, in ascending order."""
    # The grid ascends and its slots have one length, so its ends ascend too: one walk per
    # agent along the grid and the agent's merged busy intervals (no search per slot).
    free: list[list[int]] = [[] for _ in times]
    for agent, agent_busy in _busy_by_agent(sorted(set(agent_ids)), busy).items():
        starts, ends = _merged(agent_busy)
        last, j = len(ends), 0
        for i, (start, end) in enumerate(times):
            while j < last and ends[j] <= start:  # busy intervals over before this slot
                j += 1
            if j == last or starts[j] >= end:
                free[i].append(agent)
    return free


def pick_agent(slots: Iterable[Slot], start: datetime) -> int | None:
    """A free agent at `start`: the lowest id, so the choice is deterministic; None if none."""
    return min((slot.agent_id for slot in slots if slot.start == start), default=None)


def start_stamp(start: datetime) -> str:
    """How keys, forms and links carry a slot start: its UTC minute ("20260330T1200Z")."""
    return f"{start.astimezone(UTC):%Y%m%dT%H%M}Z"


def parse_start(raw: str | None) -> datetime | None:
    """A slot start as start_stamp writes it, or None if malformed."""
    try:
        return datetime.strptime(raw or "", "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
    except ValueError:
        return None
