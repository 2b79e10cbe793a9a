"""HandOver: the jobs a commit made due reach the queue from a thread of the process, so the
committing request never waits for Redis (callq.adapters.jobs)."""

from __future__ import annotations

import threading
import time

from callq.adapters.jobs import HandOver, RecordingQueue


class SlowQueue(RecordingQueue):
    """Redis taking its time (or a connect timeout): each enqueue waits for a release."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def enqueue(self, function, *args, job_id=None, pool=None):
        self.release.wait(10)
        return super().enqueue(function, *args, job_id=job_id, pool=pool)


def _until(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not handed over in time"
        time.sleep(0.01)


def test_the_caller_does_not_wait_for_the_queue_and_every_job_arrives_in_order():
    slow = SlowQueue()
    hand_over = HandOver(slow)
    started = time.monotonic()
    for effect_id in range(3):
        assert hand_over.enqueue("callq.effects.run_effect", effect_id, pool="timers")
    assert time.monotonic() - started < 1.0 and slow.jobs == []  # still in the hand-over
    slow.release.set()
    _until(lambda: len(slow.jobs) == 3)
    assert slow.jobs == [("callq.effects.run_effect", (i,)) for i in range(3)]
    assert slow.pools == ["timers"] * 3


def test_a_failing_queue_does_not_stop_the_hand_over():
    class Failing(RecordingQueue):
        def enqueue(self, function, *args, job_id=None, pool=None):
            if args == (1,):
                raise OSError("Redis gone")
            return super().enqueue(function, *args, job_id=job_id, pool=pool)

    queue = Failing()
    hand_over = HandOver(queue)
    for effect_id in (1, 2):
        hand_over.enqueue("callq.effects.run_effect", effect_id, pool="timers")
    _until(lambda: len(queue.jobs) == 1)
    assert queue.jobs == [("callq.effects.run_effect", (2,))]


def test_a_burst_reaches_a_batching_queue_in_few_round_trips_and_in_order():
    class Batching(SlowQueue):
        def __init__(self) -> None:
            super().__init__()
            self.batches: list[int] = []

        def enqueue_many(self, jobs):
            self.release.wait(10)
            self.batches.append(len(jobs))
            for function, args, pool in jobs:
                RecordingQueue.enqueue(self, function, *args, pool=pool)
            return True

    queue = Batching()
    hand_over = HandOver(queue)
    for effect_id in range(50):  # the first send waits: the others pile up behind it
        hand_over.enqueue("callq.effects.run_effect", effect_id, pool="timers")
    queue.release.set()
    _until(lambda: len(queue.jobs) == 50)
    assert queue.jobs == [("callq.effects.run_effect", (i,)) for i in range(50)]
    assert len(queue.batches) <= 3 and sum(queue.batches) == 50


def test_jobs_merge_names_become_one_job_per_pool_and_others_stay_apart():
    queue = SlowQueue()

    def merge(function, pool):
        return "run_many" if function == "run_one" and pool == "timers" else None

    hand_over = HandOver(queue, merge=merge)
    hand_over.enqueue("run_one", 1, pool="timers")  # the first send waits for the release
    time.sleep(0.05)
    for job in (("run_one", 2, "timers"), ("run_one", 3, "email"), ("run_one", 4, "timers"),
                ("other", 5, "timers")):
        hand_over.enqueue(job[0], job[1], pool=job[2])
    queue.release.set()
    _until(lambda: len(queue.jobs) == 4)
    assert queue.jobs == [("run_many", ([1],)), ("run_many", ([2, 4],)), ("run_one", (3,)),
                          ("other", (5,))]
    assert queue.pools == ["timers", "timers", "email", "timers"]
