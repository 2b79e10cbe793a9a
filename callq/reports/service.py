"""The service table of a period (R11): closed entries measured once, open ones judged live.

A closed entry's clocks no longer move, so the first report that reads it closed measures its
figures in business time (callq.reports.tables.judge, with the calendar's timeline) and keeps
them on the entry (`sla_*` columns); later reports only read them. An entry booked again after
its close has a new `closed_at` when it closes again, and is measured again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, Table, and_, bindparam, case, cast, func, or_, select, update
from sqlalchemy.orm import Session

from callq.models import WaitingEntry
from callq.reports import tables
from callq.reports.tables import Counts, EntryFacts, ServiceFolder, judge
from callq.status import EntryStatus, Outcome
from callq.waiting.service_levels import Targets
from scheduling.business_time import Timeline, epoch

E = WaitingEntry
TABLE: Table = WaitingEntry.__table__  # type: ignore[assignment]
CLOSED = EntryStatus.CLOSED.value


def epoch_of(column: Any, dialect: str) -> Any:
    """POSIX seconds of a stored instant, in SQL (SQLite keeps naive UTC text)."""
    if dialect == "postgresql":  # a double: psycopg would build a Decimal of a numeric
        return cast(func.extract("epoch", column), Float)
    return (func.julianday(column) - 2440587.5) * 86400.0


class Cohort:
    """The entries that arrived in [start, end), merged ones aside (they live on in another)."""

    def __init__(self, session: Session, start: datetime, end: datetime) -> None:
        self.session, self.start, self.end = session, start, end
        self.dialect = session.get_bind().dialect.name

    def where(self) -> Any:
        """The cohort's condition."""
        return and_(E.arrived_at >= self.start, E.arrived_at < self.end,
                    func.coalesce(E.outcome, "") != Outcome.MERGED.value)

    def facts(self, *conditions: Any) -> list[tuple[int, datetime | None, EntryFacts]]:
        """The id, close and clocks' facts of the cohort's entries that meet `conditions`."""
        d = self.dialect
        closed = case((E.status == CLOSED, epoch_of(E.closed_at, d)))
        waiting = case((E.status == EntryStatus.AWAITING_CLIENT.value,
                        epoch_of(E.awaiting_since, d)))
        rows = self.session.execute(select(
            E.tier, epoch_of(E.arrived_at, d), epoch_of(E.due_at, d),
            epoch_of(E.first_attempt_at, d), E.first_attempt_by, epoch_of(E.qualified_at, d),
            closed, E.outcome, E.resolved_by, waiting, E.clock_waits, E.id, E.closed_at,
        ).where(self.where(), *conditions))
        return [(row[11], row[12], (row[0], float(row[1]), _float(row[2]), _float(row[3]),
                                    row[4], _float(row[5]), _float(row[6]), row[7], row[8],
                                    _float(row[9]), _waits(row[10])))
                for row in rows]


def _unmeasured() -> Any:
    return and_(E.status == CLOSED,
                or_(E.sla_closed_at.is_(None), E.sla_closed_at != E.closed_at))


def measure(cohort: Cohort, timeline: Timeline, targets: Targets, now: float) -> int:
    """Measure the cohort's closed entries not measured since they closed; how many."""
    rows = []
    for entry_id, closed_at, facts in cohort.facts(_unmeasured()):
        judged = judge(timeline, facts, targets, now)
        rows.append({"key": entry_id, "closed": closed_at, "first": judged.first_seconds,
                     "first_met": judged.first, "qualified": judged.qualification,
                     "resolution": judged.resolution_seconds,
                     "resolution_met": judged.resolution})
    if rows:  # one executemany of an UPDATE by primary key
        cohort.session.connection().execute(
            update(TABLE).where(TABLE.c.id == bindparam("key")).values(
                sla_closed_at=bindparam("closed"), sla_first_seconds=bindparam("first"),
                sla_first_met=bindparam("first_met"),
                sla_qualification_met=bindparam("qualified"),
                sla_resolution_seconds=bindparam("resolution"),
                sla_resolution_met=bindparam("resolution_met")), rows)
    return len(rows)


def service_table(cohort: Cohort, timeline: Timeline, targets: Targets, now: float,
                  attempts: dict[str, int], agents: dict[int, str]) -> tables.Table:
    """The service table: measured figures read in one scan, open entries judged now.
    `attempts`: outcomes recorded by agents, by "" (all), tier or agent id."""
    folder = ServiceFolder()
    counts: dict[tuple[str, int | None, int | None], list[int]] = {}
    firsts: dict[tuple[str, int | None], list[float]] = {}
    resolutions: dict[tuple[str, int | None], list[float]] = {}
    # One scan: the measured figures of each closed entry, folded without a call per row.
    for tier, first_by, resolved_by, first, first_met, qualified, resolution, met in \
            cohort.session.execute(select(
                E.tier, E.first_attempt_by, E.resolved_by, E.sla_first_seconds, E.sla_first_met,
                E.sla_qualification_met, E.sla_resolution_seconds, E.sla_resolution_met,
            ).where(cohort.where(), E.status == CLOSED, E.sla_closed_at == E.closed_at)):
        n = counts.setdefault((tier, first_by, resolved_by), [0] * 8)
        n[0] += 1
        if first is not None:
            n[1] += 1
            firsts.setdefault((tier, first_by), []).append(first)
        if first_met is not None:
            n[2 if first_met else 3] += 1
        if qualified is not None:
            n[4 if qualified else 5] += 1
        if met is not None:
            n[6 if met else 7] += 1
        if resolution is not None:
            resolutions.setdefault((tier, resolved_by), []).append(resolution)
    for (key, first_by, resolved_by), n in counts.items():
        folder.add_counts(key, first_by, resolved_by, Counts(
            n[0], n[1], (n[2], n[3]), (n[4], n[5]), (n[6], n[7])))
    for level, found in (("first", firsts), ("resolution", resolutions)):
        for (key, agent_id), values in found.items():
            folder.add_sorted(level, key, None, values)
            if agent_id is not None:
                folder.add_sorted(level, None, agent_id, values)
    for _, _, facts in cohort.facts(E.status != CLOSED):
        folder.add_judged(facts[0], facts[4], facts[8], judge(timeline, facts, targets, now))
    return folder.table(attempts, agents)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _waits(stored: Any) -> tuple[tuple[float, float], ...]:
    """The waits (JSON pairs of ISO instants) as POSIX seconds."""
    return tuple((epoch(datetime.fromisoformat(a)), epoch(datetime.fromisoformat(b)))
                 for a, b in stored or ())
