"""Database size per 100,000 calls, and the outbox's share of it before and after pruning.

Voicemail calls go through the real write paths (callq.intake: the incoming call, the stated
need, the recording, the call's end) and their effects run as a worker would run them
(filing, the recording's fetch, the acknowledging or booking-link SMS). The calls are spread
over the 400 days that 100,000 calls take at 250 a day, between 07:00 and 16:00 UTC (live,
appointment and closed modes all occur), then every size is scaled to 100,000 calls. "After
pruning": the scheduler's pruning (callq.effects.prune, CALLQ_EFFECT_RETENTION_DAYS) in its
batches, then VACUUM (FULL on PostgreSQL), the size the tables settle at once new rows reuse
the space the pruned ones left. PostgreSQL: pg_total_relation_size of each table (indexes and TOAST
included); SQLite: each table's and index's pages (dbstat, after a WAL checkpoint). The empty
schema's pages are taken off before scaling.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, func, select, text

from bench.instance import Instance, Unavailable, instance
from bench.report import Row, limit_row
from callq import db, effects, intake
from callq.models import SideEffect
from callq.runtime import Runtime
from callq.scheduler import PRUNE_BATCH
from callq.status import EffectStatus

TARGET_CALLS = 100_000
CALLS_PER_DAY = 250
FIRST_CALL = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)  # a Monday, 08:00 in Paris
OUTBOX = "side_effects"
NEEDS = ("L'imprimante des ordonnances n'imprime plus depuis ce matin",
         "Je voudrais un rendez-vous pour la mise à jour", "Impossible de facturer, c'est urgent",
         "", "Question sur la télétransmission des feuilles de soins")
MiB = 1024 * 1024


class _Clock:
    """The bench's own time: each call happens when the spread says, not when it runs."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current


def run(quick: bool) -> list[Row]:
    rows: list[Row] = []
    for backend in ("sqlite", "postgresql"):
        try:
            rows += _suite(backend, 200 if quick else 1_000)
        except Unavailable as exc:
            rows.append(limit_row(f"database size ({backend}): not measured, {exc}", 0, "",
                                  None))
    return rows


def _suite(backend: str, calls: int) -> list[Row]:
    with instance(backend, tag="dbsize") as inst:
        runtime = inst.runtime
        clock = _Clock(FIRST_CALL)
        runtime.clock = clock
        empty = _sizes(inst)  # the migrated schema's own pages are not the calls'
        started = time.perf_counter()
        effects_per_call = _write_calls(runtime, clock, calls)
        written = time.perf_counter() - started
        before = _sizes(inst)
        pruned = _prune(runtime)
        _vacuum(inst)
        after = _sizes(inst)
    return _rows(backend, calls, written, effects_per_call, pruned,
                 _grown(before, empty), _grown(after, empty))


def _grown(sizes: dict[str, int], empty: dict[str, int]) -> dict[str, int]:
    return {table: max(0, size - empty.get(table, 0)) for table, size in sizes.items()}


def _write_calls(runtime: Runtime, clock: _Clock, calls: int) -> dict[str, float]:
    """`calls` voicemail calls through the intake, their effects run; effect rows per call."""
    rng = random.Random(17)
    span = timedelta(days=TARGET_CALLS / CALLS_PER_DAY)
    for n in range(calls):
        day = FIRST_CALL + span * n / calls
        clock.current = day.replace(hour=7) + timedelta(minutes=rng.randrange(0, 9 * 60))
        _one_call(runtime, clock, n, rng)
    clock.current += timedelta(hours=1)  # past every safety net: nothing left pending
    _run_due(runtime)
    with runtime.sessions() as session:
        kinds = session.execute(select(SideEffect.kind, func.count())
                                .group_by(SideEffect.kind)).all()
    return {kind: count / calls for kind, count in kinds}


def _one_call(runtime: Runtime, clock: _Clock, n: int, rng: random.Random) -> None:
    sid, caller = f"CA{n:032x}", f"+336{rng.randrange(10**7, 10**8)}"
    sent: list[tuple[Callable[..., object], dict[str, object], int]] = [
        (intake.start_call, dict(from_raw=caller, to_raw="+33970000000", status="ringing"), 0),
        (intake.record_need, dict(from_raw=caller, speech=rng.choice(NEEDS),
                                  confidence=0.9), 20),
        (intake.record_recording, dict(from_raw=caller, finished=True, recording=intake.Recording(
            f"RE{n:032x}", f"https://api.twilio.com/Recordings/RE{n:032x}", 14)), 30),
        (intake.end_call, dict(from_raw=caller, status="completed", duration=64,
                               sequence=None), 14),
    ]
    for step, fields, seconds_later in sent:
        clock.current += timedelta(seconds=seconds_later)
        step(runtime, call_sid=sid, now=clock.current, **fields)
        _run_due(runtime)
    clock.current += timedelta(seconds=31)  # the grace after the call's end
    _run_due(runtime)


def _run_due(runtime: Runtime) -> None:
    """Run what is due as the workers would (their queue is not read here)."""
    with runtime.sessions() as session:
        due = list(session.scalars(select(SideEffect.id).where(
            SideEffect.status == EffectStatus.PENDING, SideEffect.due_at <= runtime.now())))
    for effect_id in due:
        effects.run_effect(runtime, effect_id)


def _prune(runtime: Runtime) -> int:
    """The scheduler's pruning, batch after batch, until nothing is past the retention."""
    total = 0
    while batch := effects.prune(runtime, PRUNE_BATCH):
        total += batch
    return total


def _vacuum(inst: Instance) -> None:
    engine = inst.runtime.engine
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM FULL ANALYZE"))
    else:  # outside any transaction: the driver's own connection, in autocommit
        raw = engine.raw_connection()
        try:
            raw.cursor().execute("VACUUM")
        finally:
            raw.close()


def _sizes(inst: Instance) -> dict[str, int]:
    """Bytes per table, its indexes included."""
    engine = inst.runtime.engine
    if engine.dialect.name == "postgresql":
        with db.read(inst.runtime.sessions) as session:
            return _pg_sizes(session.connection())
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute(
            "SELECT m.tbl_name, SUM(s.pgsize) FROM dbstat s "
            "JOIN sqlite_master m ON m.name = s.name GROUP BY m.tbl_name")
        sizes = {name: int(size) for name, size in cursor.fetchall()}
    finally:
        raw.close()
    return sizes


def _pg_sizes(conn: Connection) -> dict[str, int]:
    return {name: int(size) for name, size in conn.execute(text(
        "SELECT relname, pg_total_relation_size(oid) FROM pg_class "
        "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"))}


def _rows(backend: str, calls: int, written: float, per_call: dict[str, float], pruned: int,
          before: dict[str, int], after: dict[str, int]) -> list[Row]:
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[backend]
    scale = TARGET_CALLS / calls

    def tables(sizes: dict[str, int]) -> int:
        return sum(sizes.values())

    kinds = ", ".join(f"{kind} {count:.2f}" for kind, count in sorted(per_call.items()))
    share_before = 100 * before.get(OUTBOX, 0) / tables(before)
    share_after = 100 * after.get(OUTBOX, 0) / tables(after)
    largest = sorted(((size, table) for table, size in after.items()), reverse=True)[:4]
    return [
        limit_row(f"outbox rows per call ({name}; {kinds})", sum(per_call.values()), "rows",
                  None),
        limit_row(f"database per 100,000 calls ({name}, {calls:,} calls written in "
                  f"{written:.0f} s, scaled), no pruning", tables(before) * scale / MiB, "MiB",
                  None),
        limit_row(f"outbox per 100,000 calls ({name}), no pruning",
                  before.get(OUTBOX, 0) * scale / MiB, "MiB", None),
        limit_row(f"outbox share of the tables ({name}), no pruning", share_before, "%", None),
        limit_row(f"database per 100,000 calls ({name}) after pruning {pruned * scale:,.0f} "
                  f"done effects (largest: " + ", ".join(
                      f"{table} {size * scale / MiB:.1f}" for size, table in largest) + " MiB)",
                  tables(after) * scale / MiB, "MiB", None),
        limit_row(f"outbox share of the tables ({name}) after pruning", share_after, "%", 20.0),
    ]
