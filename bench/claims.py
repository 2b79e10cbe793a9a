""""Take next" on PostgreSQL: 20 agents (threads) drain the waiting room through the workspace's
real service (callq.workspace.claims.claim_next: on PostgreSQL one statement doing the held-entry
check, SKIP LOCKED pick in room order, version compare-and-swap, history event and lease-expiry
timer), against the raw claim statement of reliability.md §2 run by 20 threads over the same
entries. Runs interleaved. Target (issue 17): 0.4x the raw statement.

Every agent claims once (an agent holding an entry is handed that one again), so the figure
is claims per second; a double claim is one entry handed out twice.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable, Sequence

from sqlalchemy import func, select, text

from bench import seed
from bench.instance import Instance, Unavailable, instance
from bench.report import Row, limit_row, ratio_row
from callq.models import WaitingEntry
from callq.status import EntryStatus
from callq.workspace.claims import claim_next
from callq.workspace.errors import Refused

AGENTS = 20
TARGET = 0.4  # of the raw statement's claims/s (issue 17)
RAW_CLAIM = text("""
UPDATE waiting_entries SET status = 'claimed', claimed_by = :agent, version = version + 1,
       lease_expires_at = now() + interval '15 minutes'
WHERE id = (SELECT id FROM waiting_entries WHERE status = 'waiting'
            ORDER BY vague, tier_rank, queued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING id
""")
Claimer = Callable[[int], "int | None"]


def run(quick: bool) -> list[Row]:
    """Claims/s of the service and of the raw statement, median of 3 (1 if quick)."""
    entries, runs = (1_000, 1) if quick else (5_000, 3)
    try:
        with instance("postgresql", pool_size=AGENTS + 5, tag="claims") as inst:
            return _measure(inst, entries, runs)
    except Unavailable as exc:
        return [Row(f"take next claims/s (PostgreSQL): not measured, {exc}", 0, "claims/s",
                    None, None, f">= {TARGET}x baseline", None)]


def _measure(inst: Instance, entries: int, runs: int) -> list[Row]:
    agents = seed.agents(inst.runtime, entries + AGENTS, phones=False)
    service, raw, doubles, left, refused = [], [], 0, 0, 0
    for _ in range(runs):
        _refill(inst, entries)
        rate, claimed, errors = _drain(agents, _raw_claimer(inst))
        raw.append(rate)
        doubles += len(claimed) - len(set(claimed))
        _refill(inst, entries)
        rate, claimed, errors = _drain(agents, lambda agent: claim_next(inst.runtime, agent))
        service.append(rate)
        doubles += len(claimed) - len(set(claimed))
        refused += errors
        left += entries - _count(inst, EntryStatus.CLAIMED)
    return [
        ratio_row(f"take next claims/s, {AGENTS} agents, {entries:,} entries, PostgreSQL, "
                  f"median of {runs}", statistics.median(service), statistics.median(raw),
                  "claims/s", TARGET),
        limit_row("take next: entries handed out twice (service and raw)", doubles, "claims",
                  0),
        limit_row("take next: entries left unclaimed, or claims refused", left + refused,
                  "entries", 0),
    ]


def _refill(inst: Instance, entries: int) -> None:
    with inst.runtime.engine.begin() as conn:
        conn.execute(text("TRUNCATE waiting_entries, entry_events, side_effects "
                          "RESTART IDENTITY CASCADE"))
    seed.entries(inst.runtime, entries, inst.runtime.now())


def _count(inst: Instance, status: EntryStatus) -> int:
    with inst.runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(WaitingEntry)
                              .where(WaitingEntry.status == status)) or 0


def _raw_claimer(inst: Instance) -> Claimer:
    def claim(agent: int) -> int | None:
        with inst.runtime.engine.begin() as conn:
            return conn.scalar(RAW_CLAIM, {"agent": agent})

    return claim


def _drain(agents: Sequence[int], claim: Claimer) -> tuple[float, list[int], int]:
    """AGENTS threads claim (each claim by a new agent) until nothing is left.

    Returns claims/s, every entry id handed out, and the number of refusals.
    """
    claimed: list[int] = []
    refused = [0]
    lock = threading.Lock()
    start = threading.Barrier(AGENTS + 1)

    def agent_thread(mine: Sequence[int]) -> None:
        start.wait()
        for agent in mine:
            try:
                entry = claim(agent)
            except Refused:
                with lock:
                    refused[0] += 1
                continue
            if entry is None:
                return
            with lock:
                claimed.append(entry)

    threads = [threading.Thread(target=agent_thread, args=(agents[i::AGENTS],))
               for i in range(AGENTS)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return len(claimed) / (time.perf_counter() - began), claimed, refused[0]
