"""The outbox: effects recorded in the transaction, enqueued after commit, run at least once,
done exactly once in effect, and found again by the reconciler when a hand-over is lost."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from callq import db, effects, failed_effects
from callq.models import SideEffect
from callq.notify import queue_email, queue_sms
from callq.ports import DeliveryError, PermanentFailure, UnconfirmedDelivery
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


# --- under faults (issue 10) ---------------------------------------------------------------

def _email(runtime, key="mail-f"):
    with db.write(runtime.sessions) as session:
        return queue_email(session, runtime, key=key, to="client@example.com",
                           subject="Votre rappel", text="Bonjour")


def test_a_run_that_lost_its_lease_records_nothing_and_may_not_send(runtime, queue, clock):
    effect_id = _schedule(runtime, "fenced")
    first = effects._take(runtime, effect_id)
    clock.advance(seconds=runtime.settings.effect_lease_seconds + 1)  # the first run stalled
    second = effects._take(runtime, effect_id)
    assert second is not None and second.lease_token != first.lease_token
    with pytest.raises(effects.LeaseLost):
        effects.sending(runtime, first)  # the stalled run wakes up: it must not send
    assert effects._release(runtime, second, None) == EffectStatus.DONE
    assert effects._release(runtime, first, RuntimeError("late")) is None  # fenced off
    effect = _effect(runtime, effect_id)
    assert (effect.status, effect.last_error, effect.attempts) == (EffectStatus.DONE, None, 2)


def test_a_worker_that_died_while_sending_resends_once_with_the_same_message_id(
        runtime, queue, clock, mailer):
    effect_id = _email(runtime)
    queue.jobs.clear()
    dead = effects._take(runtime, effect_id)
    effects.sending(runtime, dead)
    mailer.send(compose_for(runtime, dead), dead.key)  # the provider took it, then the worker died
    assert effects.run_effect(runtime, effect_id) is None  # its lease still holds
    clock.advance(seconds=runtime.settings.effect_lease_seconds + 1)
    assert effects.reconcile(runtime) == 1
    run_due_jobs(runtime, queue)
    assert _effect(runtime, effect_id).status == EffectStatus.DONE
    assert mailer.message_ids == ["<mail-f@callq.example.test>"] * 2  # clients collapse it


def compose_for(runtime, effect):
    from callq.compose import Letter, compose

    return compose(Letter(sender="s@callq.example.test", to="client@example.com", subject="x",
                          text="x", message_id=f"<{effect.key}@callq.example.test>"),
                   date=runtime.now())


def test_a_permanent_refusal_fails_at_once_is_listed_and_can_be_retried(runtime, queue, clock,
                                                                          mailer):
    effect_id = _email(runtime)
    mailer.failures.append(PermanentFailure("smtp.example refused: 550 no such user"))
    run_due_jobs(runtime, queue)
    effect = _effect(runtime, effect_id)
    assert (effect.status, effect.attempts) == (EffectStatus.FAILED, 1)
    assert effect.failed_at == clock() and "550 no such user" in effect.last_error
    [line] = failed_effects.listing(runtime)
    assert (line.id, line.kind, line.attempts) == (effect_id, "email", 1)
    clock.advance(hours=3)
    assert effects.reconcile(runtime) == 0  # failed is final until someone retries it
    assert failed_effects.retry(runtime, [effect_id]) == [effect_id]
    assert run_due_jobs(runtime, queue) == 1
    assert (_effect(runtime, effect_id).status, mailer.sends) == (EffectStatus.DONE, 1)


def test_an_unconfirmed_send_is_never_resent_on_its_own(runtime, queue, clock, mailer):
    effect_id = _email(runtime)
    mailer.failures.append(UnconfirmedDelivery("no answer after the final dot"))
    run_due_jobs(runtime, queue)
    for _ in range(3):
        clock.advance(hours=2)
        assert effects.reconcile(runtime) == 0
    effect = _effect(runtime, effect_id)
    assert effect.status == EffectStatus.FAILED and mailer.sends == 0
    assert effect.last_error.startswith("unconfirmed, not resent")


def test_a_temporary_failure_backs_off_before_the_next_try(runtime, queue, clock, mailer):
    effect_id = _email(runtime)
    mailer.failures.append(DeliveryError("421 try again later"))
    assert run_due_jobs(runtime, queue) == 1
    effect = _effect(runtime, effect_id)
    first = timedelta(seconds=runtime.settings.effect_retry_seconds)
    assert (effect.status, effect.due_at) == (EffectStatus.PENDING, clock() + first)
    assert effects.reconcile(runtime) == 0
    clock.advance(seconds=first.total_seconds())
    assert effects.reconcile(runtime) == 1
    run_due_jobs(runtime, queue)
    assert (_effect(runtime, effect_id).status, mailer.sends) == (EffectStatus.DONE, 1)


def test_a_cold_shutdown_during_a_run_hands_the_effect_back_at_once(runtime, queue, mailer):
    effect_id = _email(runtime)
    mailer.failures.append(SystemExit())  # RQ's second SIGTERM raises it inside the job
    with pytest.raises(SystemExit):
        run_due_jobs(runtime, queue)
    effect = _effect(runtime, effect_id)
    assert (effect.status, effect.lease_until, effect.enqueued_at) == \
        (EffectStatus.PENDING, None, None)
    assert effects.reconcile(runtime) == 1  # at once, not after the lease
    run_due_jobs(runtime, queue)
    assert mailer.sends == 1


def test_a_job_from_a_producer_whose_clock_is_ahead_is_deferred_not_dropped(runtime, queue,
                                                                            clock):
    ahead = clock() + timedelta(seconds=30)
    with db.write(runtime.sessions) as session:  # the web's clock runs 30 s ahead
        effect_id = effects.schedule(session, key="early", kind="probe", payload={},
                                     due_at=ahead, now=ahead)
    assert run_due_jobs(runtime, queue) == 1
    assert _effect(runtime, effect_id).status == EffectStatus.PENDING  # deferred
    assert effects.reconcile(runtime) == 0  # not due yet on this clock
    clock.advance(seconds=30)
    assert effects.reconcile(runtime) == 1  # handed over at its due time, grace or not
    run_due_jobs(runtime, queue)
    assert _effect(runtime, effect_id).status == EffectStatus.DONE


def test_a_few_seconds_of_clock_skew_are_harmless(runtime, queue, clock):
    ahead = clock() + timedelta(seconds=2)
    with db.write(runtime.sessions) as session:
        effect_id = effects.schedule(session, key="skewed", kind="probe", payload={},
                                     due_at=ahead, now=ahead)
    run_due_jobs(runtime, queue)
    assert _effect(runtime, effect_id).status == EffectStatus.DONE


def test_an_expired_lease_with_no_worker_alive_is_handed_over_once_per_grace(runtime, queue,
                                                                             clock):
    effect_id = _schedule(runtime, "orphan")
    queue.jobs.clear()
    effects._take(runtime, effect_id)  # its worker died; no other worker is alive
    clock.advance(seconds=runtime.settings.effect_lease_seconds + 1)
    handed = 0
    for _ in range(40):  # 40 reconciler rounds, one second apart
        handed += effects.reconcile(runtime)
        clock.advance(seconds=1)
    assert handed == 1  # not 38 jobs piling up in Redis
    clock.advance(seconds=runtime.settings.enqueue_grace_seconds)
    assert effects.reconcile(runtime) == 1


def test_after_a_redis_restart_everything_due_is_handed_over_again_at_once(runtime, queue):
    first, second = _schedule(runtime, "lost-1"), _schedule(runtime, "lost-2")
    queue.jobs.clear()  # the restarted Redis holds none of them
    assert effects.reconcile(runtime) == 0  # within the grace
    assert effects.reconcile(runtime, fresh=True) == 2
    assert sorted(args[0] for _, args in queue.jobs) == [first, second]


def test_effects_go_to_their_worker_pool(runtime, queue):
    _email(runtime, "pool-mail")
    with db.write(runtime.sessions) as session:
        queue_sms(session, runtime, key="pool-sms", to="+33612345678", body="Bonjour")
    _schedule(runtime, "pool-timer", kind="client_close")
    assert queue.pools == ["email", "telephony", "timers"]


def test_done_effects_past_the_retention_are_pruned_in_batches(runtime, queue, clock):
    ids = [_schedule(runtime, f"old-{n}") for n in range(5)]
    run_due_jobs(runtime, queue)
    kept = _schedule(runtime, "pending-old", due_in=timedelta(days=60))
    clock.advance(days=runtime.settings.effect_retention_days + 1)
    recent = _schedule(runtime, "recent")
    run_due_jobs(runtime, queue)
    assert [effects.prune(runtime, batch=2) for _ in range(4)] == [2, 2, 1, 0]
    with runtime.sessions() as session:
        left = set(session.scalars(select(SideEffect.id)))
    assert left == {kept, recent} and not left & set(ids)


def _bring_forward(runtime, keys, due_in):
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        return effects.bring_forward(session, keys=keys, due_at=now + due_in, now=now)


def test_a_pending_effect_brought_forward_serves_alone_at_the_sooner_time(runtime, queue,
                                                                           clock):
    net = _schedule(runtime, "net", due_in=timedelta(minutes=15))
    assert _bring_forward(runtime, ["net", "net-2"], timedelta(seconds=30)) == net
    assert _bring_forward(runtime, ["net"], timedelta(minutes=10)) == net  # never later
    with runtime.sessions() as session:
        [row] = session.scalars(select(SideEffect)).all()
    assert (row.id, row.due_at, row.status) == (
        net, runtime.now() + timedelta(seconds=30), EffectStatus.PENDING)
    assert queue.jobs == []  # not due yet
    clock.advance(seconds=30)
    assert effects.reconcile(runtime) == 1
    run_due_jobs(runtime, queue)
    assert _effect(runtime, net).status == EffectStatus.DONE


def test_an_effect_brought_forward_to_now_is_handed_over_after_the_commit(runtime, queue):
    net = _schedule(runtime, "net-now", due_in=timedelta(minutes=15))
    assert _bring_forward(runtime, ["net-now"], timedelta(0)) == net
    assert queue.jobs == [(effects.JOB, (net,))]


def test_a_done_or_unknown_effect_is_not_brought_forward(runtime, queue, clock):
    done = _schedule(runtime, "ran")
    run_due_jobs(runtime, queue)
    before = _effect(runtime, done)
    assert _bring_forward(runtime, ["ran", "never-scheduled"], timedelta(minutes=-5)) is None
    after = _effect(runtime, done)
    assert (after.status, after.due_at, after.done_at) == (
        EffectStatus.DONE, before.due_at, before.done_at)
    assert queue.jobs == []
