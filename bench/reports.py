"""The reports page over a year of data: 250 calls a day for 365 days (R11 figures in business
time, outcomes, appointments, the room's size by day), on SQLite and PostgreSQL.

The history is written in bulk as the lifecycle leaves it (entries with their clocks' facts,
messages, outcome records, appointments; PostgreSQL then analysed, as autovacuum keeps a live
database), then the page (served by gunicorn, logged in as an administrator) is read once
(measuring every closed entry) and timed, then the report's use case in-process; each figure
is a median. CPU times are given too: on a shared machine, wall time measures the neighbours.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench import seed
from bench.instance import Unavailable, instance
from bench.report import Row, limit_row
from bench.server import free_port, serve
from bench.web import fetch, logged_in
from callq.models import Agent, Appointment, EntryEvent, Message, WaitingEntry
from callq.passwords import hash_password
from callq.reports.figures import read_report
from callq.reports.tables import Period
from callq.status import TIER_ORDER
from scheduling.business_time import Timeline

CALLS_PER_DAY = 250
DAYS = 365
FIRST_DAY = date(2025, 4, 1)
ADMIN = "admin@desk.bench"
OUTCOMES = ("solved", "solved", "solved", "documentation", "out_of_scope", "booked",
            "no_answer", "no_answer")


def run(quick: bool) -> list[Row]:
    rows: list[Row] = []
    for backend in ("sqlite", "postgresql"):
        try:
            rows += _suite(backend, quick)
        except Unavailable as exc:
            rows.append(limit_row(f"reports ({backend}): skipped, {exc}", 0, "", None))
    return rows


def _suite(backend: str, quick: bool) -> list[Row]:
    days = 60 if quick else DAYS
    port = free_port()
    with instance(backend, public_base=f"http://127.0.0.1:{port}", tag="reports") as inst:
        runtime = inst.runtime
        agent_ids = seed.agents(runtime, 6)
        seed.bulk(runtime, Agent, [dict(email=ADMIN, name="Admin", is_admin=True, active=True,
                                        password_hash=hash_password(seed.PASSWORD),
                                        language="fr", feed_token="admin-feed")])
        started = time.perf_counter()
        counts = year_of_calls(runtime, agent_ids, days)
        seeded = time.perf_counter() - started
        if backend == "postgresql":  # the statistics autovacuum keeps on a live database
            with runtime.engine.connect() as conn:
                conn.execute(text("ANALYZE"))
                conn.commit()
        period = Period(FIRST_DAY, FIRST_DAY + timedelta(days=days - 1))
        query = f"/reports/?from={period.start.isoformat()}&to={period.end.isoformat()}"
        with serve("wsgi:app", inst.env, workers=1, port=port) as served:
            admin = logged_in(served.base, ADMIN)
            worker = served.worker_pids()[0]
            cold = fetch(admin, served.base + query)  # measures every closed entry, once
            page, page_cpu = _page_timings(lambda: fetch(admin, served.base + query), worker)
            csv = statistics.median(
                fetch(admin, served.base + "/reports/export.csv" + query[len("/reports/"):]
                      + "&table=service") for _ in range(3))
        service, service_cpu = _median_ms(lambda: read_report(runtime, period), 5)
    what = f"{days} days, {counts['messages']:,} messages, {counts['entries']:,} entries"
    return [
        limit_row(f"reports page GET /reports/ for {what} ({backend}), median of 5", page,
                  "ms", 1000),
        limit_row(f"reports page: CPU time of the gunicorn worker per page ({backend}"
                  f"{', the database server not counted' if backend == 'postgresql' else ''})"
                  ", median of 5", page_cpu, "ms", None),
        limit_row(f"reports page, first reading of the year (measures {counts['entries']:,} "
                  f"closed entries, once) ({backend})", cold, "ms", None),
        limit_row(f"reports: the use case alone ({backend}), median of 5", service, "ms", None),
        limit_row(f"reports: the use case alone, CPU time in-process ({backend}), median of 5",
                  service_cpu, "ms", None),
        limit_row(f"reports: service table as CSV ({backend}), median of 3", csv, "ms", None),
        limit_row(f"reports: writing the history ({backend})", seeded, "s", None),
    ]


def _page_timings(probe: Any, worker: int) -> tuple[float, float]:
    """Five pages: the median wall time (ms) and the median CPU time the worker spent (ms)."""
    walls, cpus = [], []
    for _ in range(5):
        before = _cpu_ms(worker)
        walls.append(probe())
        cpus.append(_cpu_ms(worker) - before)
    return statistics.median(walls), statistics.median(cpus)


def _cpu_ms(pid: int) -> float:
    """User and system CPU time of a process so far (ms), from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _median_ms(probe: Any, count: int) -> tuple[float, float]:
    """The median wall time and the median CPU time of this process (ms) of `count` runs."""
    walls, cpus = [], []
    for _ in range(count):
        started, cpu = time.perf_counter(), time.process_time()
        probe()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def year_of_calls(runtime: Any, agent_ids: list[int], days: int) -> dict[str, int]:
    """`days` of CALLS_PER_DAY messages from FIRST_DAY, as the lifecycle would leave them."""
    rng = random.Random(14)
    calendar = runtime.calendar()
    timeline = Timeline(calendar, FIRST_DAY - timedelta(days=1))
    entries: list[dict[str, Any]] = []
    messages: list[dict[str, Any]] = []
    outcomes: list[dict[str, Any]] = []
    appointments: list[dict[str, Any]] = []
    entry_id = 0
    for day in range(days):
        local = FIRST_DAY + timedelta(days=day)
        midnight = datetime(local.year, local.month, local.day, tzinfo=calendar.tz)
        for _ in range(CALLS_PER_DAY):
            arrived = (midnight + timedelta(minutes=rng.randint(7 * 60, 20 * 60))).astimezone(UTC)
            if entry_id and rng.random() < 0.15:  # a repeat: one more message of an entry
                messages.append(dict(entry_id=rng.randint(max(entry_id - 40, 1), entry_id),
                                     received_at=arrived, complete=True))
                continue
            entry_id += 1
            row, events, appointment = _entry(rng, timeline, entry_id, arrived, agent_ids)
            entries.append(row)
            messages.append(dict(entry_id=entry_id, received_at=arrived, complete=True))
            outcomes += events
            if appointment:
                appointments.append(appointment)
    seed.bulk(runtime, WaitingEntry, entries)
    seed.bulk(runtime, Message, messages)
    seed.bulk(runtime, EntryEvent, outcomes)
    seed.bulk(runtime, Appointment, appointments)
    return {"messages": len(messages), "entries": len(entries)}


def _entry(rng: random.Random, timeline: Timeline, entry_id: int, arrived: datetime,
           agent_ids: list[int]) -> tuple[dict[str, Any], list[dict[str, Any]],
                                          dict[str, Any] | None]:
    tier = rng.choice(TIER_ORDER)
    agent = rng.choice(agent_ids)
    first = timeline.add_business_seconds(arrived, rng.uniform(0.2, 12) * 3600)
    closed = timeline.add_business_seconds(first, rng.uniform(0.1, 60) * 3600)
    outcome = rng.choice(OUTCOMES)
    waits = None
    if outcome == "no_answer" and rng.random() < 0.5:  # waited for the client, came back
        back = timeline.add_business_seconds(first, rng.uniform(4, 40) * 3600)
        waits = [[first.isoformat(), back.isoformat()]]
        closed = timeline.add_business_seconds(back, rng.uniform(1, 10) * 3600)
        outcome = "solved"
    final = outcome if outcome in ("solved", "documentation", "out_of_scope") else "expired"
    row = dict(id=entry_id, status="closed", tier=tier.value, tier_rank=tier.rank,
               vague=rng.random() < 0.1, need_text="Impossible de facturer", classification={},
               caller_number=f"+336{entry_id:08d}", language="fr", arrived_at=arrived,
               queued_at=arrived, due_at=timeline.add_business_days(arrived, 3 + tier.rank * 3),
               messages_count=1, attempts=1, outcome=final, closed_at=closed, version=4,
               first_attempt_at=first, first_attempt_by=agent, qualified_at=first,
               resolved_by=agent if final != "expired" else None, clock_waits=waits,
               tier_set_by_agent=False)
    events = [dict(entry_id=entry_id, at=first, actor="agent", agent_id=agent, kind="outcome",
                   detail={"outcome": outcome})]
    appointment = None
    if outcome == "booked":
        starts = timeline.add_business_seconds(first, rng.uniform(2, 20) * 3600)
        appointment = dict(agent_id=agent, entry_id=entry_id, starts_at=starts,
                           ends_at=starts + timedelta(minutes=30), status="done",
                           created_at=first, updated_at=first, moves=rng.randint(0, 1),
                           no_shows=int(rng.random() < 0.1), extensions=int(rng.random() < 0.1),
                           client_name="Client", language="fr", version=1, sequence=0)
    return row, events, appointment
