"""What `/healthz` concludes from the facts it gathered: pure functions, one per part, each
returning the problems it sees as sentences (an empty list: healthy)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta


def worker_problems(live_by_pool: Mapping[str, int], pools: Sequence[str]) -> list[str]:
    """Every pool needs at least one live worker."""
    return [f"workers: no live worker for the {pool} pool" for pool in pools
            if live_by_pool.get(pool, 0) == 0]


def scheduler_problems(last_beat: datetime | None, now: datetime,
                       stale: timedelta) -> list[str]:
    """The scheduler must have beaten recently (it hands over every timer and retry)."""
    if last_beat is None:
        return ["scheduler: never seen"]
    silent = now - last_beat
    if silent > stale:
        return [f"scheduler: silent for {silent.total_seconds():.0f} s"]
    return []


def outbox_problems(overdue: int, oldest_due: datetime | None, now: datetime) -> list[str]:
    """No effect may be overdue (due longer ago than the setting and not done)."""
    if not overdue:
        return []
    late = f", the oldest by {(now - oldest_due).total_seconds():.0f} s" if oldest_due else ""
    return [f"outbox: {overdue} effect(s) overdue{late}"]
