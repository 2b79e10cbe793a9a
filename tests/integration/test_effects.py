"""The outbox: effects recorded in the transaction, enqueued after commit, run at least once,
done exactly once in effect, and found again by the reconciler when a hand-over is lost."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from callq import db, effects
from callq.models import SideEffect
from callq.notify import queue_email
from callq.status import EffectStatus
from tests.conftest import run_due_jobs


def _schedule(runtime, key, due_in=timedelta(0), kind="probe", payload=None):
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        return effects.schedule(session, key=key, kind=kind, payload=payload or {},
                                due_at=now + due_in, now=now)


def _effect(runtime, effect_id):
    with runtime.sessions() as session:
        return session.get(SideEffect, effect_id)


def test_the_same_key_twice_records_one_effect(runtime, queue):
    first = _schedule(runtime, "k-1")
    second = _schedule(runtime, "k-1")
    assert first is not None and second is None
    with runtime.sessions() as session:
        assert session.scalars(select(SideEffect)).all()[0].key == "k-1"
    assert queue.jobs == [(effects.JOB, (first,))]


def test_an_effect_is_enqueued_only_after_its_transaction_commits(runtime, queue):
    now = runtime.now()
    with pytest.raises(RuntimeError), db.write(runtime.sessions) as session:
        effects.schedule(session, key="lost", kind="probe", payload={}, due_at=now, now=now)
        assert queue.jobs == []  # not before the commit
        raise RuntimeError("the use case failed")
    assert queue.jobs == []
    with runtime.sessions() as session:
        assert session.scalar(select(SideEffect).where(SideEffect.key == "lost")) is None


def test_an_email_runs_once_even_when_its_job_is_delivered_twice(runtime, queue, mailer):
    with db.write(runtime.sessions) as session:
        queue_email(session, runtime, key="mail-1", to="client@example.com",
                    subject="Votre rappel", text="Bonjour")
    job = queue.jobs[0]
    queue.jobs.append(job)  # RQ delivered it twice
    assert run_due_jobs(runtime, queue) == 2
    assert mailer.sends == 1
    assert mailer.sent["mail-1"]["To"] == "client@example.com"


def test_a_future_effect_waits_for_its_time_then_the_reconciler_hands_it_over(runtime, queue,
                                                                                clock):
    effect_id = _schedule(runtime, "later", due_in=timedelta(minutes=5))
    assert queue.jobs == []
    assert effects.reconcile(runtime) == 0
    clock.advance(minutes=5)
    assert effects.reconcile(runtime) == 1
    assert effects.reconcile(runtime) == 0  # handed over: not again within the grace
    run_due_jobs(runtime, queue)
    assert _effect(runtime, effect_id).status == EffectStatus.DONE


def test_a_lost_hand_over_is_sent_again_after_the_grace(runtime, queue, clock):
    effect_id = _schedule(runtime, "lost-in-redis")
    queue.jobs.clear()  # Redis lost the job
    clock.advance(seconds=61)
    assert effects.reconcile(runtime) == 1
    run_due_jobs(runtime, queue)
    assert _effect(runtime, effect_id).status == EffectStatus.DONE


def test_a_killed_runner_s_lease_expires_and_the_effect_runs_again(runtime, queue, clock):
    effect_id = _schedule(runtime, "killed")
    queue.jobs.clear()
    taken = effects._take(runtime, effect_id)  # a worker took it, then died
    assert taken is not None
    assert effects.run_effect(runtime, effect_id) is None  # leased: a duplicate does nothing
    clock.advance(seconds=runtime.settings.effect_lease_seconds + 1)
    assert effects.reconcile(runtime) == 1
    run_due_jobs(runtime, queue)
    effect = _effect(runtime, effect_id)
    assert (effect.status, effect.attempts) == (EffectStatus.DONE, 2)


def test_a_failing_effect_backs_off_then_is_marked_failed(runtime, queue, clock):
    effect_id = _schedule(runtime, "bad-mail", kind="email", payload={"to": "x"})
    for attempt in range(1, runtime.settings.effect_max_attempts + 1):
        status = effects.run_effect(runtime, effect_id)
        expected = EffectStatus.FAILED if attempt == runtime.settings.effect_max_attempts \
            else EffectStatus.PENDING
        assert status == expected
        clock.advance(hours=1)
    effect = _effect(runtime, effect_id)
    assert effect.attempts == runtime.settings.effect_max_attempts
    assert "KeyError" in effect.last_error
