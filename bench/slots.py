"""Free-slot search: 20 agents × 15 working days with 2,000 bookings (target p50 <= 10 ms)."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

from bench.report import Row, limit_row, percentile
from scheduling.calendar import PRESETS, BusinessCalendar
from scheduling.slots import Busy, SlotRules, candidate_times, free_slots


def _bookings(calendar: BusinessCalendar, now: datetime, agents: int, count: int) -> list[Busy]:
    rules = SlotRules()
    grid = candidate_times(calendar, now, rules)
    rng = random.Random(7)
    chosen = rng.sample([(a, s, e) for a in range(1, agents + 1) for s, e in grid], count)
    return [Busy(agent, start, end) for agent, start, end in chosen]


def run(quick: bool) -> list[Row]:
    """Time `free_slots` over the whole horizon, many times; report p50 and p99."""
    calendar = BusinessCalendar(PRESETS["paris"])
    now = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
    agents = list(range(1, 21))
    busy = _bookings(calendar, now, 20, 2000)
    timings = []
    for i in range(50 if quick else 300):
        started = time.perf_counter()
        free_slots(calendar, agents, busy, now + timedelta(seconds=i), SlotRules())
        timings.append((time.perf_counter() - started) * 1000)
    return [
        limit_row("free-slot search p50 (20 agents x 15 days, 2,000 bookings)",
                  percentile(timings, 0.5), "ms", 10.0),
        limit_row("free-slot search p99", percentile(timings, 0.99), "ms", None),
    ]
