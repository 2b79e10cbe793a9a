"""Free-slot search: 20 agents x 15 working days with 2,000 bookings (target p50 <= 10 ms).

Two figures: the pure computation (scheduling.slots.free_slots over bookings in memory), and
the service path a booking page takes (scheduling.client_booking.open_times: agents and busy
time read from the database in one transaction, then the distinct free times computed), on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

from bench import seed
from bench.instance import Unavailable, instance
from bench.report import Row, limit_row, percentile
from callq import db
from scheduling import agenda, client_booking
from scheduling.calendar import PRESETS, BusinessCalendar
from scheduling.slots import Busy, SlotRules, candidate_times, free_slots

AGENTS, BOOKINGS = 20, 2_000
WARM_UP = 5


def _bookings(calendar: BusinessCalendar, now: datetime, agents: int, count: int) -> list[Busy]:
    rules = SlotRules()
    grid = candidate_times(calendar, now, rules)
    rng = random.Random(7)
    chosen = rng.sample([(a, s, e) for a in range(1, agents + 1) for s, e in grid], count)
    return [Busy(agent, start, end) for agent, start, end in chosen]


def run(quick: bool) -> list[Row]:
    """Time the search many times; report p50 and p99 of each path."""
    repeats = 50 if quick else 300
    rows = _pure(repeats)
    for backend in ("sqlite", "postgresql"):
        try:
            rows += _service(backend, repeats)
        except Unavailable as exc:
            rows.append(Row(f"free-slot search through the database ({backend}): not "
                            f"measured, {exc}", 0, "ms", None, None, "<= 10 ms", None))
    return rows


def _pure(repeats: int) -> list[Row]:
    calendar = BusinessCalendar(PRESETS["paris"])
    now = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
    agents = list(range(1, AGENTS + 1))
    busy = _bookings(calendar, now, AGENTS, BOOKINGS)
    timings = []
    for i in range(repeats):
        started = time.perf_counter()
        free_slots(calendar, agents, busy, now + timedelta(seconds=i), SlotRules())
        timings.append((time.perf_counter() - started) * 1000)
    return [
        limit_row("free-slot search p50 (20 agents x 15 days, 2,000 bookings)",
                  percentile(timings, 0.5), "ms", 10.0),
        limit_row("free-slot search p99", percentile(timings, 0.99), "ms", None),
    ]


def _service(backend: str, repeats: int) -> list[Row]:
    with instance(backend, tag="slots") as inst:
        runtime = inst.runtime
        agents = seed.agents(runtime, AGENTS)
        now = runtime.now()
        seed.appointments(runtime, agents, candidate_times(runtime.calendar(), now,
                                                           agenda.slot_rules(runtime)),
                          BOOKINGS, now)
        timings = []
        for i in range(WARM_UP + repeats):
            started = time.perf_counter()
            with db.read(runtime.sessions) as session:
                client_booking.open_times(session, runtime)
            if i >= WARM_UP:  # the first calls compile queries and fill the calendar's cache
                timings.append((time.perf_counter() - started) * 1000)
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[backend]
    return [
        limit_row(f"free-slot search through the database ({name}: the booking page's "
                  "client_booking.open_times) p50",
                  percentile(timings, 0.5), "ms", 10.0),
        limit_row(f"free-slot search through the database ({name}) p99",
                  percentile(timings, 0.99), "ms", None),
    ]
