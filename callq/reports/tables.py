"""What the reports show, as plain values, and the figures computed from per-entry facts.

The database counts what SQL counts well (callq.reports.figures); this module judges each
entry's service levels in business time (R11) from a few columns per entry, with the
calendar's timeline, and folds them into the rows of the tables. Pure: no database, no web.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from callq.status import TIER_ORDER
from callq.waiting.lifecycle import RESOLUTIONS
from callq.waiting.service_levels import Targets
from scheduling.business_time import Timeline

Cell = str | int | float | None
HOUR = 3600.0
MAX_DAYS = 3660  # ten years: any range a vendor asks for, never an unbounded one
RESOLVED = frozenset(outcome.value for outcome in RESOLUTIONS)
# The outcomes the reports count (R10), in the order they are shown; "booked" is the agent's
# "appointment to book".
OUTCOMES = ("solved", "documentation", "out_of_scope", "booked", "no_answer", "expired",
            "cancelled_by_client")
SERVICE_COLUMNS = ("by", "group", "entries", "first_callback_median_h", "first_callback_p90_h",
                   "first_callback_within_pct", "qualification_within_pct",
                   "resolution_median_h", "resolution_p90_h", "resolution_within_pct",
                   "attempts_per_entry")


class ReportError(ValueError):
    """A report that cannot be asked for (the reason is shown as is)."""


@dataclass(frozen=True)
class Period:
    """Local days from `start` to `end`, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ReportError(f"the period ends ({self.end}) before it starts ({self.start})")
        if (self.end - self.start).days >= MAX_DAYS:
            raise ReportError(f"a period is at most {MAX_DAYS} days")

    @property
    def days(self) -> int:
        """How many local days the period has."""
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Table:
    """One table: its name in `export.csv?table=`, its columns' keys, its rows."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def as_csv(self) -> str:
        """The table as CSV (a header of the columns' keys, then the rows)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.columns)
        writer.writerows(["" if cell is None else cell for cell in row] for row in self.rows)
        return out.getvalue()

    def column(self, key: str) -> list[Cell]:
        """One column's cells, top to bottom."""
        index = self.columns.index(key)
        return [row[index] for row in self.rows]


@dataclass(frozen=True)
class Report:
    """Every table of one period, in the order the page shows them."""

    period: Period
    tables: tuple[Table, ...]

    def table(self, name: str) -> Table:
        """The table of that name; KeyError when there is none."""
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-quantile (0..1) of sorted values, interpolated between ranks; None for none."""
    if not values:
        return None
    position = (len(values) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return values[low] + (values[high] - values[low]) * (position - low)


@dataclass
class Level:
    """One service level over a group of entries: business durations, met and missed."""

    durations: list[float] = field(default_factory=list)
    met: int = 0
    missed: int = 0

    def judge(self, ok: bool | None) -> None:
        if ok is not None:
            self.met, self.missed = self.met + ok, self.missed + (not ok)

    def within(self) -> float | None:
        """Percent met among the decided clocks (stopped, or running past their due)."""
        decided = self.met + self.missed
        return None if decided == 0 else round(100.0 * self.met / decided, 1)

    def hours(self, q: float) -> float | None:
        found = percentile(sorted(self.durations), q)
        return None if found is None else round(found / HOUR, 2)


@dataclass
class Group:
    """The service levels of one row of the service table."""

    entries: int = 0
    first: Level = field(default_factory=Level)
    qualification: Level = field(default_factory=Level)
    resolution: Level = field(default_factory=Level)
    attempts: int = 0
    attempted: int = 0

    def row(self, by: str, name: str) -> tuple[Cell, ...]:
        per_entry = round(self.attempts / self.attempted, 2) if self.attempted else None
        return (by, name, self.entries, self.first.hours(0.5), self.first.hours(0.9),
                self.first.within(), self.qualification.within(), self.resolution.hours(0.5),
                self.resolution.hours(0.9), self.resolution.within(), per_entry)


# One entry as the report reads it: tier, then POSIX seconds (None when not yet) and ids.
# (tier, arrived, due, first_attempt, first_by, qualified, closed, outcome, resolved_by,
#  waiting_since, waits)
EntryFacts = tuple[str, float, float | None, float | None, int | None, float | None,
                   float | None, str | None, int | None, float | None,
                   tuple[tuple[float, float], ...]]


def _decided(stop: float | None, due: float, now: float) -> bool | None:
    """Met (True), missed (False), or not decided yet (a running clock not yet due)."""
    if stop is not None:
        return stop <= due
    return False if now > due else None


def _pushed(timeline: Timeline, due: float, waits: Iterable[tuple[float, float]]) -> float:
    """The resolution's due time pushed back by the waits (service_levels.extended_due)."""
    for start, end in sorted(waits):
        if start < due:
            due = timeline.after_seconds(due, timeline.seconds_between(start, end))
    return due


@dataclass(frozen=True)
class Judged:
    """One entry's service levels: met (True), missed (False) or undecided (None), and the
    business seconds to its first callback and to its resolution (None: not yet, or not
    resolved: expired, cancelled, merged)."""

    first: bool | None
    qualification: bool | None
    resolution: bool | None
    first_seconds: float | None
    resolution_seconds: float | None


def judge(timeline: Timeline, facts: EntryFacts, targets: Targets, now: float) -> Judged:
    """One entry's service levels at `now` (R11), as callq.waiting.service_levels judges them."""
    _, arrived, due, first, _, qualified, closed, outcome, _, since, waits = facts
    ok_first = _decided(first if first is not None else closed,
                        timeline.after_days(arrived, targets.first_response_days), now)
    ok_qualified = _decided(qualified if qualified is not None else closed,
                            timeline.after_days(arrived, targets.qualification_days), now)
    current = ((since, now),) if since is not None and closed is None else ()
    resolution_due = _pushed(timeline, due if due is not None else arrived, (*waits, *current))
    ok_resolved = _decided(closed, resolution_due, now)
    first_seconds = None if first is None else timeline.seconds_between(arrived, first)
    resolution_seconds = None
    if closed is not None and outcome in RESOLVED:
        waited = sum(timeline.seconds_between(a, min(b, closed)) for a, b in waits)
        resolution_seconds = timeline.seconds_between(arrived, closed) - waited
    return Judged(ok_first, ok_qualified, ok_resolved, first_seconds, resolution_seconds)


def _add(group: Group, judged: Judged, *, first: bool = True, qualification: bool = True,
         resolution: bool = True) -> None:
    group.entries += 1
    if first:
        group.first.judge(judged.first)
        if judged.first_seconds is not None:
            group.first.durations.append(judged.first_seconds)
    if qualification:
        group.qualification.judge(judged.qualification)
    if resolution:
        group.resolution.judge(judged.resolution)
        if judged.resolution_seconds is not None:
            group.resolution.durations.append(judged.resolution_seconds)


def fold(timeline: Timeline, entries: Iterable[EntryFacts], targets: Targets, now: float,
         attempts: dict[str, tuple[int, int]], agents: dict[int, str]) -> Table:
    """The service table: all entries, each tier, then each agent: the first callbacks they
    made and the entries they resolved. `attempts`: (attempts, entries attempted) by "" (all),
    tier or agent id."""
    total, tiers = Group(), {tier.value: Group() for tier in TIER_ORDER}
    by_agent: dict[int, Group] = {}
    for facts in entries:
        judged = judge(timeline, facts, targets, now)
        _add(total, judged)
        _add(tiers[facts[0]], judged)
        first_by, resolved_by = facts[4], facts[8]
        if first_by is not None:
            _add(by_agent.setdefault(first_by, Group()), judged, qualification=False,
                 resolution=resolved_by == first_by)
        if resolved_by is not None and resolved_by != first_by:
            _add(by_agent.setdefault(resolved_by, Group()), judged, first=False,
                 qualification=False)
    for key, group in (("", total), *tiers.items(), *((str(a), g) for a, g in by_agent.items())):
        group.attempts, group.attempted = attempts.get(key, (0, 0))
    named = sorted(by_agent.items(), key=lambda item: (agents.get(item[0], ""), item[0]))
    rows = [total.row("all", ""), *(g.row("tier", t) for t, g in tiers.items()),
            *(g.row("agent", agents.get(a, f"#{a}")) for a, g in named)]
    return Table("service", SERVICE_COLUMNS, tuple(rows))


def outcome_of(value: str | None) -> str | None:
    """An outcome record's value as the reports count it (merged is not an outcome of a call)."""
    return value if value in OUTCOMES else None

