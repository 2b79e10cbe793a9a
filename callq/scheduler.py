"""The scheduler (`callq scheduler`): every CALLQ_RECONCILE_SECONDS it hands due work to the
workers, beats in the database, notices a Redis restart, and prunes old done effects.

A Redis server that restarted (its run id changed) or came back after being unreachable has
lost its queued jobs: everything due is then handed over again at once, instead of after the
grace. Duplicate deliveries are harmless: an effect runs under its lease.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from redis.exceptions import RedisError

from callq import effects, heartbeat

if TYPE_CHECKING:
    from callq.runtime import Runtime

log = logging.getLogger("callq.scheduler")

PRUNE_EVERY = 60.0  # seconds between two pruning batches (none while a backlog is cleared)
PRUNE_BATCH = 500  # done effects deleted per batch: short transactions, no long lock


class Scheduler:
    """One scheduler process's state between ticks."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.name = heartbeat.process_name(heartbeat.SCHEDULER)
        self._redis_id: str | None = None
        self._redis_lost = False
        self._next_beat = self._next_prune = 0.0

    def tick(self) -> int:
        """One round: hand over due work, beat, prune; returns how many effects were handed."""
        fresh = self._queue_emptied()
        count = effects.reconcile(self.runtime, fresh=fresh)
        if fresh:
            log.warning("Redis restarted or came back: handed every due effect over again (%d)",
                        count)
        elif count:
            log.info("handed over %d due effects", count)
        self._beat()
        self._prune()
        return count

    def _queue_emptied(self) -> bool:
        try:
            run_id = str(self.runtime.redis.info("server")["run_id"])
        except RedisError as exc:
            if not self._redis_lost:
                log.warning("Redis unreachable: %s", exc)
            self._redis_lost = True
            return False
        emptied = self._redis_lost or self._redis_id not in (None, run_id)
        self._redis_id, self._redis_lost = run_id, False
        return emptied

    def _beat(self) -> None:
        if time.monotonic() >= self._next_beat:
            heartbeat.beat(self.runtime, self.name, heartbeat.SCHEDULER)
            self._next_beat = time.monotonic() + self.runtime.settings.heartbeat_seconds

    def _prune(self) -> None:
        if time.monotonic() < self._next_prune:
            return
        pruned = effects.prune(self.runtime, PRUNE_BATCH)
        if pruned:
            log.info("pruned %d done effects", pruned)
        heartbeat.prune(self.runtime)
        self._next_prune = time.monotonic() + (0.0 if pruned == PRUNE_BATCH else PRUNE_EVERY)

    def stop(self) -> None:
        """Leave the live processes at once (a clean stop)."""
        try:
            heartbeat.forget(self.runtime, self.name)
        except Exception as exc:
            log.warning("heartbeat not removed: %s", exc)


def run(runtime: Runtime, *, once: bool, stopped: Callable[[], bool]) -> None:
    """Tick until `stopped()` (or once); a failed tick is logged and tried again."""
    scheduler = Scheduler(runtime)
    try:
        while True:
            try:
                scheduler.tick()
            except Exception:
                log.exception("scheduler round failed; trying again")
            if once or stopped():
                return
            time.sleep(runtime.settings.reconcile_seconds)
    finally:
        scheduler.stop()
