"""The RQ worker of callq: jobs run with the runtime its process built once at start.

`callq worker` runs it (`run`: it outlives Redis restarts); so does plain RQ: `rq worker -w
callq.worker.Worker -u $CALLQ_REDIS_URL callq-telephony callq-timers callq-email`. Jobs name a
function and carry only ids (callq.effects.JOB); this worker calls the function with its
runtime first, so no job looks anything up globally. It beats in the database (callq.heartbeat)
so that `/healthz` counts live workers, and it imports no Flask.
"""

from __future__ import annotations

import inspect
import logging
import signal
import threading
from collections.abc import Sequence
from typing import Any

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import Queue, SimpleWorker
from rq.job import Job

from callq import bootstrap, handlers, placement
from callq.adapters.jobs import pool_queue
from callq.heartbeat import WORKER, Beating
from callq.runtime import Runtime

log = logging.getLogger(__name__)
REDIS_WAIT_MAX = 5.0  # seconds between two looks for a Redis server that went away
# How long a stopping worker waits for RQ's pubsub thread (a daemon: left behind, it dies with
# the process). RQ 3 lets that thread sleep 60 s at a time and redis-py 8's stop() joins it
# without a bound, so a SIGTERM caught between the unsubscribe's reply and the thread's next
# wait kept a worker up for up to a minute (bench/scheduled.py saw it: py-spy showed the main
# thread in PubSubWorkerThread.stop, the pubsub thread in get_message's 60 s wait).
PUBSUB_STOP_SECONDS = 1.0


class RuntimeJob(Job):
    """A job whose function receives the worker's runtime as its first argument."""

    runtime: Runtime | None = None  # set on each dequeued job by the worker

    def _execute(self) -> Any:
        if self.runtime is None:
            raise RuntimeError("a callq job runs only in a callq.worker.Worker")
        return self.func(self.runtime, *self.args, **self.kwargs)


class Worker(SimpleWorker):
    """A SimpleWorker (jobs in-process: no fork per job, and killing it kills the job too; the
    database lease makes an interrupted job run again) that hands its runtime to every job."""

    job_class = RuntimeJob
    max_connection_wait_time = 2.0  # back within seconds of Redis's return (RQ waits up to 60)

    def __init__(self, queues: Any = None, *args: Any, runtime: Runtime | None = None,
                 pools: Sequence[str] | None = None, beating: Beating | None = None,
                 **kwargs: Any) -> None:
        self.runtime = runtime or bootstrap.runtime_from_environment()
        base = self.runtime.settings.queue_name
        if queues is None:
            queues = [pool_queue(base, pool) for pool in (pools or handlers.POOLS)]
        # A connection of its own: RQ raises its socket timeout to outlast a blocking dequeue,
        # which the runtime's (jobs enqueue through it) must not inherit.
        kwargs.setdefault("connection", Redis.from_url(self.runtime.settings.redis_url,
                                                       socket_connect_timeout=2))
        kwargs.setdefault("worker_ttl", 60)  # blocks on Redis at most 45 s at a time
        kwargs["job_class"] = RuntimeJob
        super().__init__(queues, *args, **kwargs)
        self.pools = tuple(q.name.removeprefix(f"{base}-") for q in self.queues)
        self.beating = beating
        self.stop_requested = False

    def request_stop(self, signum: Any, frame: Any) -> None:
        self.stop_requested = True
        super().request_stop(signum, frame)

    def unsubscribe(self) -> None:
        """RQ's, with the wait for the pubsub thread bounded (PUBSUB_STOP_SECONDS)."""
        thread = self.pubsub_thread
        if thread is None or self.pubsub is None:
            return
        self.log.info("Worker %s: unsubscribing from channel %s", self.name,
                      self.pubsub_channel_name)
        self.pubsub.unsubscribe()
        if "timeout" in inspect.signature(thread.stop).parameters:
            thread.stop(timeout=PUBSUB_STOP_SECONDS)  # redis-py 8: stops, waits that long
        else:
            thread.stop()  # earlier redis-py: only asks it to stop
            thread.join(PUBSUB_STOP_SECONDS)
        self.pubsub.close()

    def work(self, *args: Any, **kwargs: Any) -> bool:
        own = self.beating is None  # run by plain `rq worker`: beat for the time of the loop
        beating = self.beating = self.beating or Beating(self.runtime, WORKER, self.pools).start()
        try:
            return super().work(*args, **kwargs)
        finally:
            if own:
                beating.stop()
                self.beating = None

    def execute_job(self, job: Job, queue: Queue) -> Any:
        job.runtime = self.runtime  # type: ignore[attr-defined]
        self.runtime.refresh()  # the administrator's texts and hours, at most a minute old
        effect = job.args[0] if job.args else None
        if isinstance(effect, list):  # several effects (callq.effects.run_effects)
            effect = effect[0] if effect else None
        if self.beating is not None and isinstance(effect, int):
            self.beating.busy_with = effect
        try:
            return super().execute_job(job, queue)
        finally:
            if self.beating is not None:
                self.beating.busy_with = None


def run(runtime: Runtime, pools: Sequence[str], *, burst: bool = False) -> None:
    """Work the pools' queues until asked to stop; when Redis goes away (RQ's loop then ends),
    wait for it and start again, so a Redis restart never takes a worker down."""
    if not burst:  # a long-lived worker's first filing is not kept waiting; it beats once ready
        placement.warm(runtime)
    beating = Beating(runtime, WORKER, pools).start()
    try:
        while True:
            worker = None
            try:  # RQ's Worker speaks to Redis as it is made: Redis may be down then too
                worker = Worker(runtime=runtime, pools=pools, beating=beating)
                worker.work(burst=burst, logging_level="INFO")
            except (RedisConnectionError, RedisTimeoutError) as exc:
                log.warning("worker lost Redis: %s", exc)
            if burst or (worker is not None and worker.stop_requested):
                return
            log.warning("worker loop ended; starting again once Redis answers")
            if not _wait_for_redis(runtime):
                return
    finally:
        beating.stop()


def _wait_for_redis(runtime: Runtime) -> bool:
    """Wait until Redis answers (True) or a stop signal comes (False)."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set())
                for sig in (signal.SIGTERM, signal.SIGINT)}
    delay = 0.5
    try:
        while not stop.wait(delay):
            try:
                runtime.redis.ping()
                return True
            except (RedisConnectionError, RedisTimeoutError) as exc:
                log.info("Redis not back yet (%s); next look in %.1f s", exc, delay)
            delay = min(delay * 2, REDIS_WAIT_MAX)
        return False
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
