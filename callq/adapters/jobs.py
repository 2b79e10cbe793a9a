"""Job queues: RQ on Redis in service, a recording queue in tests."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from redis import Redis
from rq import Queue

log = logging.getLogger(__name__)


class RQQueue:
    """An RQ queue; a failure to reach Redis is logged, never raised (the reconciler retries)."""

    def __init__(self, redis: Redis, name: str) -> None:
        self.redis = redis
        self.queue = Queue(name, connection=redis)

    def enqueue(self, function: str, *args: Any, job_id: str | None = None) -> None:
        try:
            # On a pipeline RQ sends its writes in one round trip instead of two.
            with self.redis.pipeline() as pipeline:
                self.queue.enqueue(function, *args, job_id=job_id or uuid.uuid4().hex,
                                   result_ttl=60, failure_ttl=86400, pipeline=pipeline)
                pipeline.execute()
        except Exception as exc:  # Redis down: the work stays due in the database
            log.warning("could not enqueue %s%r: %s", function, args, exc)


class RecordingQueue:
    """Keeps what was enqueued, for tests that drive jobs by hand."""

    def __init__(self) -> None:
        self.jobs: list[tuple[str, tuple[Any, ...]]] = []

    def enqueue(self, function: str, *args: Any, job_id: str | None = None) -> None:
        self.jobs.append((function, args))
