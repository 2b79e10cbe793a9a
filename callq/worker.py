"""The RQ worker of callq: jobs run with the runtime its process built once at start.

`callq worker` runs it; so does plain RQ: `rq worker -w callq.worker.Worker -u $CALLQ_REDIS_URL
callq`. Jobs name a function and carry only ids (callq.effects.JOB); this worker calls the
function with its runtime first, so no job looks anything up globally. It imports no Flask.
"""

from __future__ import annotations

from typing import Any

from rq import Queue, SimpleWorker
from rq.job import Job

from callq import bootstrap
from callq.runtime import Runtime


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

    def __init__(self, queues: Any = None, *args: Any, runtime: Runtime | None = None,
                 **kwargs: Any) -> None:
        self.runtime = runtime or bootstrap.runtime_from_environment()
        if queues is None:
            queues = [self.runtime.settings.queue_name]
        kwargs.setdefault("connection", self.runtime.redis)
        kwargs["job_class"] = RuntimeJob
        super().__init__(queues, *args, **kwargs)

    def execute_job(self, job: Job, queue: Queue) -> Any:
        job.runtime = self.runtime  # type: ignore[attr-defined]
        self.runtime.refresh()  # the administrator's texts and hours, at most a minute old
        return super().execute_job(job, queue)
