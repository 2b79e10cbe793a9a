"""Booking storm: 32 clients (threads) for 30 s book, move and cancel appointments at random
times of the first three afternoons, over 4 agents, through the planner's real services
(scheduling.booking: book_slot, move_appointment, cancel_appointment, each in its own write
transaction). PostgreSQL refuses overlaps with its exclusion constraint, SQLite serialises
check-then-write with BEGIN IMMEDIATE. Overlapping pairs are counted afterwards with SQL.
"""

from __future__ import annotations

import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import text

from bench import seed
from bench.instance import Instance, Unavailable, instance
from bench.report import Row, limit_row
from callq import db
from scheduling import agenda
from scheduling.booking import (
    SlotTaken,
    Unchangeable,
    book_slot,
    cancel_appointment,
    move_appointment,
)
from scheduling.slots import candidate_times

NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
_REPORTED: set[str] = set()  # error kinds already shown in full on stderr
CLIENTS = 32
AGENTS = 4
OVERLAPS = text("""
SELECT count(*) FROM appointments a JOIN appointments b
  ON a.agent_id = b.agent_id AND a.id < b.id
 AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
WHERE a.status IN ('booked', 'in_call') AND b.status IN ('booked', 'in_call')
""")


def run(quick: bool) -> list[Row]:
    """The storm on PostgreSQL, then on SQLite."""
    seconds = 5 if quick else 30
    rows: list[Row] = []
    for backend in ("postgresql", "sqlite"):
        try:
            with instance(backend, pool_size=CLIENTS + 2, tag="booking") as inst:
                rows += _storm(inst, seconds)
        except Unavailable as exc:
            rows.append(Row(f"booking storm {NAMES[backend]}: not measured, {exc}", 0, "overlaps",
                            None, None, "<= 0 overlaps", None))
    return rows


def _storm(inst: Instance, seconds: int) -> list[Row]:
    runtime = inst.runtime
    seed.agents(runtime, AGENTS)
    grid = candidate_times(runtime.calendar(), runtime.now(), agenda.slot_rules(runtime))
    days = sorted({start.date() for start, _ in grid})[:3]
    starts = [start for start, _ in grid if start.date() in days]
    tally: Counter[str] = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        rng = random.Random(number)
        mine: list[int] = []
        while time.monotonic() < deadline:
            outcome = _one_action(inst, rng, starts, mine, number)
            with lock:
                tally[outcome] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    with runtime.engine.connect() as conn:
        overlaps = conn.scalar(OVERLAPS) or 0
    label = (f"booking storm {NAMES[inst.backend]} ({CLIENTS} clients x {seconds} s, "
             f"{AGENTS} agents)")
    detail = ", ".join(f"{n} {kind}" for kind, n in sorted(tally.items()))
    errors = sum(n for kind, n in tally.items() if kind.startswith("error"))
    return [
        limit_row(f"{label}: overlapping appointments", overlaps, "pairs", 0),
        limit_row(f"booking storm {NAMES[inst.backend]}: bookings/s ({detail})",
                  tally["booked"] / elapsed, "bookings/s", None),
        limit_row(f"booking storm {NAMES[inst.backend]}: unexpected errors", errors, "errors",
                  0),
    ]


def _one_action(inst: Instance, rng: random.Random, starts: list[datetime], mine: list[int],
                number: int) -> str:
    """Book (70 %), or move or cancel one of this client's appointments; what happened."""
    runtime = inst.runtime
    roll = rng.random()
    start = rng.choice(starts)
    action: Callable[..., object]
    if mine and roll < 0.15:
        appointment, kind, action = mine.pop(rng.randrange(len(mine))), "cancelled", \
            cancel_appointment
        args: dict[str, object] = {}
    elif mine and roll < 0.30:
        appointment, kind, action = rng.choice(mine), "moved", move_appointment
        args = {"start": start}
    else:
        appointment, kind = 0, "booked"
    try:
        with db.write(runtime.sessions) as session:
            if kind == "booked":
                booked = book_slot(
                    session, runtime, start=start, client_name=f"Client {number}",
                    client_email=f"client{number}@clinique.bench",
                    client_phone=f"+336{number:08d}", client_id=None, entry_id=None, lang="fr",
                    agent_id=rng.choice([None, rng.randint(1, AGENTS)]))
                appointment = booked.id
            else:
                action(session, runtime, appointment, **args)
    except (SlotTaken, Unchangeable):
        return "refused (taken)" if kind == "booked" else f"{kind} refused"
    except Exception as exc:  # counted: a storm must end in answers, not crashes
        cause = type(getattr(exc, "orig", None) or exc).__name__
        if cause not in _REPORTED:
            _REPORTED.add(cause)
            print(f"   booking storm, first {cause}: {str(exc)[:1500]}", file=sys.stderr)
        return f"error {cause}"
    if kind == "booked":
        mine.append(appointment)
    return kind
