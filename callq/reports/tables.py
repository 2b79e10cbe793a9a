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
    ordered: bool = False

    def count(self, met: int, missed: int) -> None:
        """Count clocks judged elsewhere (stored figures)."""
        self.met, self.missed = self.met + met, self.missed + missed

    def within(self) -> float | None:
        """Percent met among the decided clocks (stopped, or running past their due)."""
        decided = self.met + self.missed
        return None if decided == 0 else round(100.0 * self.met / decided, 1)

    def hours(self, q: float) -> float | None:
        """The q-quantile in hours."""
        if not self.ordered:
            self.durations.sort()  # runs already sorted by the database: timsort merges them
            self.ordered = True
        found = percentile(self.durations, q)
        return None if found is None else round(found / HOUR, 2)


@dataclass
class Group:
    """The service levels of one row of the service table."""

    entries: int = 0
    first: Level = field(default_factory=Level)
    qualification: Level = field(default_factory=Level)
    resolution: Level = field(default_factory=Level)
    attempts: int = 0
    attempted: int = 0  # entries with a first callback attempt (agents: entries they had)

    def row(self, by: str, name: str) -> tuple[Cell, ...]:
        attempted = self.entries if by == "agent" else self.attempted
        per_entry = round(self.attempts / attempted, 2) if attempted else None
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
    # A close that is no resolution (expired, cancelled by the client) has no verdict.
    ok_resolved = (None if closed is not None and outcome not in RESOLVED
                   else _decided(closed, resolution_due, now))
    first_seconds = None if first is None else timeline.seconds_between(arrived, first)
    resolution_seconds = None
    if closed is not None and outcome in RESOLVED:
        waited = sum(timeline.seconds_between(a, min(b, closed)) for a, b in waits)
        resolution_seconds = timeline.seconds_between(arrived, closed) - waited
    return Judged(ok_first, ok_qualified, ok_resolved, first_seconds, resolution_seconds)


class ServiceFolder:
    """The service table's groups: all entries, each tier, each agent (the first callbacks they
    made and the entries they resolved), filled from live judgements and stored counts."""

    def __init__(self) -> None:
        self.total, self.tiers = Group(), {tier.value: Group() for tier in TIER_ORDER}
        self.agents: dict[int, Group] = {}

    def groups(self, tier: str) -> tuple[Group, Group]:
        """The groups every entry of `tier` counts in."""
        return self.total, self.tiers[tier]

    def agent(self, agent_id: int) -> Group:
        """An agent's group (made on first use)."""
        return self.agents.setdefault(agent_id, Group())

    def add_judged(self, tier: str, first_by: int | None, resolved_by: int | None,
                   judged: Judged) -> None:
        """One entry: its tier, who made its first callback attempt, who resolved it."""
        self.add_counts(tier, first_by, resolved_by, Counts.of(judged))
        self.add_durations(tier, first_by, resolved_by, judged.first_seconds,
                           judged.resolution_seconds)

    def add_counts(self, tier: str, first_by: int | None, resolved_by: int | None,
                   counts: Counts) -> None:
        """Entries of one tier, first attempted and resolved by the same agents, counted."""
        for group in self.groups(tier):
            counts.add_to(group)
        if first_by is not None:
            counts.add_to(self.agent(first_by), qualification=False,
                          resolution=resolved_by == first_by)
        if resolved_by is not None and resolved_by != first_by:
            counts.add_to(self.agent(resolved_by), first=False, qualification=False)

    def add_sorted(self, level: str, tier: str | None, agent_id: int | None,
                   values: list[float]) -> None:
        """Business seconds of one level (first, resolution) for one tier (and all) or one
        agent (sorted when a percentile is asked)."""
        groups = self.groups(tier) if tier is not None else (self.agent(agent_id or 0),)
        for group in groups:
            found: Level = getattr(group, level)
            found.durations.extend(values)
            found.ordered = False

    def add_durations(self, tier: str, first_by: int | None, resolved_by: int | None,
                      first: float | None, resolution: float | None) -> None:
        """One entry's business seconds to its first callback and to its resolution."""
        for group in self.groups(tier):
            if first is not None:
                group.first.durations.append(first)
            if resolution is not None:
                group.resolution.durations.append(resolution)
        if first is not None and first_by is not None:
            self.agent(first_by).first.durations.append(first)
        if resolution is not None and resolved_by is not None:
            self.agent(resolved_by).resolution.durations.append(resolution)

    def table(self, attempts: dict[str, int], agents: dict[int, str]) -> Table:
        """The table; `attempts`: outcomes recorded by agents, by "" (all), tier, agent id."""
        keyed = (("", self.total), *self.tiers.items(),
                 *((str(a), g) for a, g in self.agents.items()))
        for key, group in keyed:
            group.attempts = attempts.get(key, 0)
        named = sorted(self.agents.items(), key=lambda item: (agents.get(item[0], ""), item[0]))
        rows = [self.total.row("all", ""), *(g.row("tier", t) for t, g in self.tiers.items()),
                *(g.row("agent", agents.get(a, f"#{a}")) for a, g in named)]
        return Table("service", SERVICE_COLUMNS, tuple(rows))


@dataclass(frozen=True)
class Counts:
    """Entries counted together: how many, how many attempted, and each level's (met, missed)."""

    entries: int
    attempted: int
    first: tuple[int, int]
    qualification: tuple[int, int]
    resolution: tuple[int, int]

    @classmethod
    def of(cls, judged: Judged) -> Counts:
        """One entry's counts."""
        return cls(1, int(judged.first_seconds is not None), _pair(judged.first),
                   _pair(judged.qualification), _pair(judged.resolution))

    def add_to(self, group: Group, *, first: bool = True, qualification: bool = True,
               resolution: bool = True) -> None:
        """Add these entries to a group, with the levels that group counts them in."""
        group.entries += self.entries
        if first:
            group.attempted += self.attempted
            group.first.count(*self.first)
        if qualification:
            group.qualification.count(*self.qualification)
        if resolution:
            group.resolution.count(*self.resolution)


def _pair(ok: bool | None) -> tuple[int, int]:
    return (0, 0) if ok is None else (int(ok), int(not ok))


def outcome_of(value: str | None) -> str | None:
    """An outcome record's value as the reports count it (merged is not an outcome of a call)."""
    return value if value in OUTCOMES else None

