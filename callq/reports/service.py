"""The service table of a period (R11): closed entries measured once, open ones judged live.

A closed entry's clocks no longer move (the lifecycle has no event out of CLOSED), so the first
report that reads it closed measures its figures in business time (callq.reports.tables.judge,
with the calendar's timeline), keeps them on the entry (`sla_*` columns) and adds them to its
arrival day's rows (callq.reports.rollup); later reports read those rows, and the entries of
the period's partial UTC days at both ends one by one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Table, and_, bindparam, case, cast, func, select, update
from sqlalchemy.orm import Session

from callq.models import WaitingEntry
from callq.reports import rollup, tables
from callq.reports.tables import Counts, EntryFacts, ServiceFolder, judge
from callq.status import EntryStatus, Outcome
from callq.waiting.service_levels import Targets
from scheduling.business_time import Timeline, epoch

E = WaitingEntry
TABLE: Table = WaitingEntry.__table__  # type: ignore[assignment]
CLOSED = EntryStatus.CLOSED.value


def epoch_of(column: Any, dialect: str) -> Any:
    """POSIX seconds of a stored instant, in SQL (SQLite keeps naive UTC text)."""
    if dialect == "postgresql":  # a double (EXTRACT gives a numeric, twice as slow to make)
        return cast(func.date_part("epoch", column), Float)
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

    def facts(self, *conditions: Any) -> list[tuple[int, datetime, datetime | None, EntryFacts]]:
        """The id, arrival, close and clocks' facts of the cohort's entries that meet
        `conditions`."""
        d = self.dialect
        closed = case((E.status == CLOSED, epoch_of(E.closed_at, d)))
        waiting = case((E.status == EntryStatus.AWAITING_CLIENT.value,
                        epoch_of(E.awaiting_since, d)))
        rows = self.session.execute(select(
            E.tier, epoch_of(E.arrived_at, d), epoch_of(E.due_at, d),
            epoch_of(E.first_attempt_at, d), E.first_attempt_by, epoch_of(E.qualified_at, d),
            closed, E.outcome, E.resolved_by, waiting, E.clock_waits, E.id, E.closed_at,
            E.arrived_at,
        ).where(self.where(), *conditions))
        return [(row[11], row[13], row[12],
                 (row[0], float(row[1]), _float(row[2]), _float(row[3]), row[4], _float(row[5]),
                  _float(row[6]), row[7], row[8], _float(row[9]), _waits(row[10])))
                for row in rows]


def _unmeasured() -> Any:
    # A closed entry is measured once: the lifecycle has no event out of CLOSED.
    return and_(E.status == CLOSED, E.sla_closed_at.is_(None))


def measure(cohort: Cohort, timeline: Callable[[], Timeline], targets: Targets,
            now: float) -> int:
    """Measure the cohort's closed entries not measured yet, keep their figures on them and
    add them to the rollup's days (callq.reports.rollup); how many."""
    rollup.lock(cohort.session)
    rows, measured, ids = [], [], []
    for entry_id, arrived_at, closed_at, facts in cohort.facts(_unmeasured()):
        judged = judge(timeline(), facts, targets, now)
        rows.append({"key": entry_id, "closed": closed_at, "first": judged.first_seconds,
                     "first_met": judged.first, "qualified": judged.qualification,
                     "resolution": judged.resolution_seconds,
                     "resolution_met": judged.resolution})
        measured.append((arrived_at, facts[0], facts[4], facts[8],
                         judged.first_seconds, judged.first, judged.qualification,
                         judged.resolution_seconds, judged.resolution))
        ids.append(entry_id)
    if not rows:
        return 0
    connection = cohort.session.connection()
    attempts = rollup.attempts_of(connection, ids)
    # One executemany of an UPDATE by primary key, then the days' rows, in one transaction.
    connection.execute(
        update(TABLE).where(TABLE.c.id == bindparam("key")).values(
            sla_closed_at=bindparam("closed"), sla_first_seconds=bindparam("first"),
            sla_first_met=bindparam("first_met"),
            sla_qualification_met=bindparam("qualified"),
            sla_resolution_seconds=bindparam("resolution"),
            sla_resolution_met=bindparam("resolution_met")), rows)
    rollup.add(connection, rollup.sums_of(measured, attempts, ids))
    return len(rows)


def service_table(cohort: Cohort, timeline: Callable[[], Timeline], targets: Targets, now: float,
                  agents: dict[int, str]) -> tables.Table:
    """The service table: the rollup's whole UTC days, the measured entries of the partial
    days at both ends read one by one, the entries not measured (open) judged now."""
    folder, attempts = ServiceFolder(), Counter[str]()
    days = rollup.full_days(cohort.start, cohort.end)
    if days is not None:
        _fold_days(folder, attempts, rollup.read(cohort.session.connection(), days))
    measured = E.sla_closed_at.is_not(None)  # only a closed entry is measured
    tiers: dict[int, str] = {}  # the entries read one by one, for their attempts
    for start, end in rollup.edges(cohort.start, cohort.end):  # each read by its own range
        tiers.update(_fold_measured(folder, Cohort(cohort.session, start, end), measured))
    for entry_id, _, _, facts in cohort.facts(E.sla_closed_at.is_(None)):
        folder.add_judged(facts[0], facts[4], facts[8], judge(timeline(), facts, targets, now))
        tiers[entry_id] = facts[0]
    for entry_id, by_agent in rollup.attempts_of(cohort.session.connection(),
                                                 list(tiers)).items():
        for agent_id, count in by_agent:
            for key in ("", tiers[entry_id], str(agent_id)):
                attempts[key] += count
    return folder.table(dict(attempts), agents)


def _fold_days(folder: ServiceFolder, attempts: Counter[str], rows: Iterable[Any]) -> None:
    """The rollup's rows, summed per tier and per agent first (their durations joined as
    runs, sorted once when a percentile is asked): a tier counts in all and in the tier."""
    sums: dict[tuple[str, str], list[int]] = {}
    runs: dict[tuple[str, str], tuple[list[bytes], list[bytes]]] = {}
    width = len(rollup.COUNTS)
    for kind, key, *values in rows:
        found = sums.get((kind, key))
        if found is None:
            sums[(kind, key)], runs[(kind, key)] = values[:width], ([], [])
        else:
            sums[(kind, key)] = [a + b for a, b in zip(found, values[:width], strict=True)]
        runs[(kind, key)][0].append(values[width])
        runs[(kind, key)][1].append(values[width + 1])
    for (kind, key), n in sums.items():
        attempts[key] += n[8]
        if kind == "tier":
            attempts[""] += n[8]
        elif not n[0]:
            continue  # an agent's attempts on entries they did not call back first
        tier, agent_id = (key, None) if kind == "tier" else (None, int(key))
        counts = Counts(n[0], n[1], (n[2], n[3]), (n[4], n[5]), (n[6], n[7]))
        for group in folder.groups(key) if tier is not None else (folder.agent(int(key)),):
            counts.add_to(group)
        first, resolution = runs[(kind, key)]
        folder.add_sorted("first", tier, agent_id, rollup.unpack(b"".join(first)))
        folder.add_sorted("resolution", tier, agent_id, rollup.unpack(b"".join(resolution)))


def _fold_measured(folder: ServiceFolder, cohort: Cohort, *conditions: Any) -> dict[int, str]:
    """The measured figures of the cohort's entries that meet `conditions`, in one scan;
    their tiers by id."""
    tiers: dict[int, str] = {}
    counts: dict[tuple[str, int | None, int | None], list[int]] = {}
    firsts: dict[tuple[str, int | None], list[float]] = {}
    resolutions: dict[tuple[str, int | None], list[float]] = {}
    for entry_id, tier, first_by, resolved_by, first, first_met, qualified, resolution, met \
            in cohort.session.execute(select(
                E.id, E.tier, E.first_attempt_by, E.resolved_by, E.sla_first_seconds,
                E.sla_first_met, E.sla_qualification_met, E.sla_resolution_seconds,
                E.sla_resolution_met).where(cohort.where(), *conditions)):
        tiers[entry_id] = tier
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
    return tiers


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _waits(stored: Any) -> tuple[tuple[float, float], ...]:
    """The waits (JSON pairs of ISO instants) as POSIX seconds."""
    return tuple((epoch(datetime.fromisoformat(a)), epoch(datetime.fromisoformat(b)))
                 for a, b in stored or ())
