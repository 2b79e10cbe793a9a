"""Job queues: RQ on Redis in service (one queue per worker pool), a recording queue in tests."""

from __future__ import annotations

import atexit
import logging
import os
import queue as local
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from redis import Redis
from rq import Queue

log = logging.getLogger(__name__)


def pool_queue(base: str, pool: str | None) -> str:
    """The RQ queue name of a worker pool (`callq-email`, ...); no pool: the base name."""
    return f"{base}-{pool}" if pool else base


class RQQueue:
    """RQ queues, one per pool; a failure to reach Redis is logged and reported, never raised
    (the work stays due in the database and the reconciler hands it over again)."""

    def __init__(self, redis: Redis, name: str, job_timeout: int | None = None) -> None:
        self.redis = redis
        self.name = name
        self.job_timeout = job_timeout
        self.queues: dict[str | None, Queue] = {}

    def queue(self, pool: str | None = None) -> Queue:
        """The RQ queue of a pool."""
        if pool not in self.queues:
            self.queues[pool] = Queue(pool_queue(self.name, pool), connection=self.redis)
        return self.queues[pool]

    def enqueue(self, function: str, *args: Any, job_id: str | None = None,
                pool: str | None = None) -> bool:
        try:
            # On a pipeline RQ sends its writes in one round trip instead of two.
            with self.redis.pipeline() as pipeline:
                self.queue(pool).enqueue(function, *args, job_id=job_id or uuid.uuid4().hex,
                                         result_ttl=60, failure_ttl=86400,
                                         job_timeout=self.job_timeout, pipeline=pipeline)
                pipeline.execute()
        except Exception as exc:  # Redis down: the work stays due in the database
            log.warning("could not enqueue %s%r: %s", function, args, exc)
            return False
        return True

    def enqueue_many(self, jobs: Sequence[tuple[str, tuple[Any, ...], str | None]]) -> bool:
        """Several jobs (function, args, pool) in one round trip (the hand-over's batches)."""
        try:
            with self.redis.pipeline() as pipeline:
                for function, args, pool in jobs:
                    self.queue(pool).enqueue(function, *args, job_id=uuid.uuid4().hex,
                                             result_ttl=60, failure_ttl=86400,
                                             job_timeout=self.job_timeout, pipeline=pipeline)
                pipeline.execute()
        except Exception as exc:  # Redis down: the work stays due in the database
            log.warning("could not enqueue %d jobs: %s", len(jobs), exc)
            return False
        return True

    def depth(self, pools: Sequence[str]) -> int | None:
        try:
            return sum(int(self.queue(pool).count) for pool in pools)
        except Exception:  # Redis down: the caller says it cannot tell
            return None


Job = tuple[str, tuple[Any, ...], str | None]  # function, arguments, pool
# How jobs of one function and pool merge into one job: (function, pool) -> the function
# taking the list of their single arguments, or None (callq.effects.batched).
Merge = Callable[[str, str | None], str | None]


class HandOver:
    """Enqueues after the answer: jobs go to a thread of this process that sends them to the
    queue, so a webhook's answer never waits for Redis. Nothing is lost if the process dies
    first: the effect's row was committed before, and the reconciler hands over again any due
    effect not taken within CALLQ_ENQUEUE_GRACE_SECONDS.

    The thread wakes once per `linger` seconds at most and sends what gathered meanwhile in
    one round trip; jobs that `merge` names become one job per pool (a burst of webhooks costs
    a few jobs, not one each: RQ's enqueue is the dearest part of a webhook's work). The
    thread starts on first use in each process (a forked gunicorn worker has its own)."""

    BATCH = 100  # jobs sent in one round trip at most

    def __init__(self, queue: Any, drain_seconds: float = 2.0, *, linger: float = 0.01,
                 merge: Merge | None = None) -> None:
        self.queue = queue
        self.drain_seconds = drain_seconds
        self.linger = linger
        self.merge = merge
        self._pending: local.SimpleQueue[Job | None] = local.SimpleQueue()
        self._pid: int | None = None
        self._lock = threading.Lock()

    def enqueue(self, function: str, *args: Any, job_id: str | None = None,
                pool: str | None = None) -> bool:
        self._started()
        self._pending.put((function, args, pool))
        return True

    def depth(self, pools: Sequence[str]) -> int | None:
        result: int | None = self.queue.depth(pools)
        return result

    def _started(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pending = local.SimpleQueue()  # a parent's pending jobs are its own
            thread = threading.Thread(target=self._send, name="callq-hand-over", daemon=True)
            thread.start()
            self._pid = os.getpid()
            atexit.register(self._drain, thread)

    def _send(self) -> None:
        stopping = False
        while not stopping and (job := self._pending.get()) is not None:
            batch = [job]
            if self.linger:
                time.sleep(self.linger)  # let a burst gather
            while len(batch) < self.BATCH:
                try:
                    more = self._pending.get_nowait()
                except local.Empty:
                    break
                if more is None:
                    stopping = True  # send this batch, then stop
                    break
                batch.append(more)
            self._deliver(self._merged(batch))

    def _merged(self, batch: list[Job]) -> list[Job]:
        """The batch with the jobs `merge` names grouped per (function, pool), in order."""
        if self.merge is None:
            return batch
        jobs: list[Job] = []
        groups: dict[tuple[str, str | None], list[Any]] = {}
        for function, args, pool in batch:
            into = self.merge(function, pool) if len(args) == 1 else None
            if into is None:
                jobs.append((function, args, pool))
                continue
            if (into, pool) not in groups:
                groups[(into, pool)] = []
                jobs.append((into, (groups[(into, pool)],), pool))
            groups[(into, pool)].append(args[0])
        return jobs

    def _deliver(self, jobs: list[Job]) -> None:
        many = getattr(self.queue, "enqueue_many", None)
        if many is not None:
            self._attempt(many, jobs)  # logs its own failures
            return
        for function, args, pool in jobs:
            self._attempt(self.queue.enqueue, function, *args, pool=pool)

    @staticmethod
    def _attempt(send: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        try:
            send(*args, **kwargs)
        except Exception:  # never let one job stop the thread
            log.exception("could not hand over %r", args)

    def _drain(self, thread: threading.Thread) -> None:
        """At exit, send what is pending for a moment (the reconciler covers the rest)."""
        self._pending.put(None)
        thread.join(self.drain_seconds)


class RecordingQueue:
    """Keeps what was enqueued (and to which pool), for tests that drive jobs by hand; a job
    `run_now` accepts is run at once instead (a test's worker that never lags)."""

    def __init__(self) -> None:
        self.jobs: list[tuple[str, tuple[Any, ...]]] = []
        self.pools: list[str | None] = []
        self.run_now: Callable[[str, tuple[Any, ...]], bool] | None = None

    def enqueue(self, function: str, *args: Any, job_id: str | None = None,
                pool: str | None = None) -> bool:
        if self.run_now is not None and self.run_now(function, args):
            return True
        self.jobs.append((function, args))
        self.pools.append(pool)
        return True

    def depth(self, pools: Sequence[str]) -> int | None:
        return len(self.jobs)  # the jobs not yet run by hand, whatever their pool
