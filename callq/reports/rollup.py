"""The service figures of measured entries, summed by the UTC day they arrived (R11).

A closed entry never changes again (the lifecycle has no event out of CLOSED), so once the
reports have measured it (callq.reports.service) its figures are added, in the same
transaction, to one row of its tier and one row of each agent it counts for (the first
callback, the resolution, the outcomes recorded) of its arrival day: entries, clocks met and
missed, attempts, and the business durations themselves, sorted, for exact percentiles. A
year's service table then reads 365 days x (4 tiers + agents) rows; the period's partial UTC
days at both ends (local midnights are not UTC ones) are read entry by entry.
"""

from __future__ import annotations

import hashlib
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Table, and_, bindparam, func, select, tuple_
from sqlalchemy.orm import Session

from callq.models import EntryEvent, ServiceDay, WaitingEntry
from callq.status import EntryStatus, Outcome

E = WaitingEntry
ROWS: Table = ServiceDay.__table__  # type: ignore[assignment]
COUNTS = ("entries", "attempted", "first_met", "first_missed", "qualification_met",
          "qualification_missed", "resolution_met", "resolution_missed", "attempts")
DURATIONS = ("first_seconds", "resolution_seconds")
# One measured entry: arrived (UTC), tier, first callback by, resolved by, then its figures:
# business seconds to the first callback, first met, qualification met, business seconds
# to the resolution, resolution met (None: not yet, or no verdict).
Measured = tuple[datetime, str, int | None, int | None, float | None, bool | None,
                 bool | None, float | None, bool | None]
Key = tuple[date, str, str]  # (day, "tier" | "agent", tier or agent id)
LOCK = int.from_bytes(hashlib.sha256(b"callq.reports.measure").digest()[:8], "big",
                      signed=True)


ENTRIES, ATTEMPTED, ATTEMPTS = 0, 1, 8  # indexes in COUNTS
VERDICTS = ((2, 3), (4, 5), (6, 7))  # (met, missed) of first, qualification, resolution


@dataclass
class Sums:
    """One row's figures: COUNTS in order, then the durations of DURATIONS."""

    counts: list[int] = field(default_factory=lambda: [0] * len(COUNTS))
    first: list[float] = field(default_factory=list)
    resolution: list[float] = field(default_factory=list)


def pack(values: list[float]) -> bytes:
    """Durations as little-endian doubles (exact: a float read back is the float stored)."""
    found = array("d", values)
    if sys.byteorder == "big":
        found.byteswap()
    return found.tobytes()


def unpack(blob: bytes | None) -> list[float]:
    """The durations of `pack`."""
    found = array("d")
    found.frombytes(blob or b"")
    if sys.byteorder == "big":
        found.byteswap()
    return found.tolist()


def lock(session: Session) -> None:
    """Measuring takes turns, so no entry is summed twice. PostgreSQL: a transaction-scoped
    advisory lock; SQLite needs nothing: BEGIN IMMEDIATE already holds the only write lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(LOCK)))


def _count(sums: Sums, *, first: bool | None, qualified: bool | None, resolved: bool | None,
           attempted: bool | None) -> None:
    counts = sums.counts
    counts[ENTRIES] += 1
    if attempted:
        counts[ATTEMPTED] += 1
    for (met, missed), verdict in zip(VERDICTS, (first, qualified, resolved), strict=True):
        if verdict is not None:
            counts[met if verdict else missed] += 1


def sums_of(measured: Iterable[Measured], attempts: dict[int, list[tuple[int, int]]],
            ids: Iterable[int]) -> dict[Key, Sums]:
    """The rows' additions for measured entries (`ids` in the same order), `attempts`: outcomes
    recorded by each agent on each entry. An agent counts an entry once: the first callback's
    figures where they made it, the resolution's where they resolved it
    (tables.ServiceFolder.add_counts)."""
    found: dict[Key, Sums] = defaultdict(Sums)
    for entry_id, (arrived, tier, first_by, resolved_by, first_s, first, qualified,
                   resolution_s, resolved) in zip(ids, measured, strict=True):
        day = arrived.astimezone(UTC).date()
        row = found[(day, "tier", tier)]
        _count(row, first=first, qualified=qualified, resolved=resolved,
               attempted=first_s is not None)
        _durations(row, first_s, resolution_s)
        if first_by is not None:
            agent = found[(day, "agent", str(first_by))]
            _count(agent, first=first, qualified=None, attempted=first_s is not None,
                   resolved=resolved if resolved_by == first_by else None)
            _durations(agent, first_s, None)
        if resolved_by is not None and resolved_by != first_by:
            agent = found[(day, "agent", str(resolved_by))]
            _count(agent, first=None, qualified=None, resolved=resolved, attempted=None)
        if resolved_by is not None:
            _durations(found[(day, "agent", str(resolved_by))], None, resolution_s)
        for agent_id, count in attempts.get(entry_id, ()):
            row.counts[ATTEMPTS] += count
            found[(day, "agent", str(agent_id))].counts[ATTEMPTS] += count
    return found


def _durations(sums: Sums, first: float | None, resolution: float | None) -> None:
    if first is not None:
        sums.first.append(first)
    if resolution is not None:
        sums.resolution.append(resolution)


def attempts_of(connection: Connection, ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    """Outcomes recorded by agents on these entries: by entry, (agent, how many). By lists of
    ids, so every backend walks the events' entry index (a join of a whole year on a database
    not analysed yet can take PostgreSQL's planner to a plan quadratic in the rows)."""
    found: dict[int, list[tuple[int, int]]] = {}
    for chunk in range(0, len(ids), 1000):
        for entry_id, agent_id, count in connection.execute(
                select(EntryEvent.entry_id, EntryEvent.agent_id, func.count())
                .where(EntryEvent.entry_id.in_(ids[chunk:chunk + 1000]),
                       func.coalesce(EntryEvent.kind, "") == "outcome",
                       EntryEvent.agent_id.is_not(None))
                .group_by(EntryEvent.entry_id, EntryEvent.agent_id)):
            if agent_id is not None:  # always: the query's condition
                found.setdefault(entry_id, []).append((agent_id, count))
    return found


def add(connection: Connection, additions: dict[Key, Sums]) -> None:
    """Add to the rows (made when missing); the caller holds the lock (`lock`)."""
    if not additions:
        return
    keys = list(additions)
    existing = {}
    for chunk in range(0, len(keys), 500):
        part = keys[chunk:chunk + 500]
        for row in connection.execute(select(ROWS).where(
                tuple_(ROWS.c.day, ROWS.c.kind, ROWS.c.key).in_(part))):
            existing[(row.day, row.kind, row.key)] = row
    inserts, updates = [], []
    for key, sums in additions.items():
        old = existing.get(key)
        values: dict[str, Any] = {name: sums.counts[index] + (getattr(old, name) if old else 0)
                                  for index, name in enumerate(COUNTS)}
        for name, new in zip(DURATIONS, (sums.first, sums.resolution), strict=True):
            values[name] = pack(sorted(unpack(getattr(old, name)) + new) if old else
                                sorted(new))
        if old is None:
            inserts.append({"day": key[0], "kind": key[1], "key": key[2], **values})
        else:
            updates.append({"k_day": key[0], "k_kind": key[1], "k_key": key[2], **values})
    if inserts:
        connection.execute(ROWS.insert(), inserts)
    if updates:
        connection.execute(ROWS.update().where(and_(
            ROWS.c.day == bindparam("k_day"), ROWS.c.kind == bindparam("k_kind"),
            ROWS.c.key == bindparam("k_key"))), updates)


def full_days(start: datetime, end: datetime) -> tuple[date, date] | None:
    """The UTC days wholly inside [start, end), first and last; None when there is none."""
    first = start.astimezone(UTC).date()
    if datetime.combine(first, time(0), UTC) < start:
        first += timedelta(days=1)
    last = end.astimezone(UTC).date() - timedelta(days=1)
    return (first, last) if first <= last else None


def edges(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The parts of [start, end) outside its whole UTC days (all of it when there is none)."""
    days = full_days(start, end)
    if days is None:
        return [(start, end)]
    low = datetime.combine(days[0], time(0), UTC)
    high = datetime.combine(days[1] + timedelta(days=1), time(0), UTC)
    return [(a, b) for a, b in ((start, low), (high, end)) if a < b]


def read(connection: Connection, days: tuple[date, date]) -> Iterator[Any]:
    """The rows of those days (first and last included), in one scan: kind, key, the COUNTS,
    then the DURATIONS."""
    yield from connection.execute(select(
        ROWS.c.kind, ROWS.c.key, *(ROWS.c[name] for name in (*COUNTS, *DURATIONS)),
    ).where(ROWS.c.day >= days[0], ROWS.c.day <= days[1]))


def backfill(connection: Connection) -> int:
    """Sum every entry measured before the rows existed (the migration that adds them)."""
    measured = and_(E.status == EntryStatus.CLOSED.value, E.sla_closed_at.is_not(None),
                    func.coalesce(E.outcome, "") != Outcome.MERGED.value)
    rows = connection.execute(select(
        E.id, E.arrived_at, E.tier, E.first_attempt_by, E.resolved_by, E.sla_first_seconds,
        E.sla_first_met, E.sla_qualification_met, E.sla_resolution_seconds,
        E.sla_resolution_met).where(measured)).all()
    facts: list[Measured] = [(row[1], row[2], row[3], row[4], row[5], _bool(row[6]),
                              _bool(row[7]), row[8], _bool(row[9])) for row in rows]
    ids = [row[0] for row in rows]
    add(connection, sums_of(facts, attempts_of(connection, ids), ids))
    return len(rows)


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)
