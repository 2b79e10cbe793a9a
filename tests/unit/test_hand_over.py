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
