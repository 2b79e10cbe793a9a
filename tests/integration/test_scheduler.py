"""The scheduler's round (issues 10 and 17): it hands due work over, beats, hands everything
over again at once when Redis comes back, and prunes old done effects in small batches; and
`callq effects` lists and retries failed work with clear errors."""

from __future__ import annotations

from click.testing import CliRunner
from redis import Redis
from sqlalchemy import func, select

from callq import db, effects, heartbeat
from callq.cli import main
from callq.models import ProcessBeat, SideEffect
from callq.ports import PermanentFailure
from callq.scheduler import PRUNE_BATCH, Scheduler
from callq.status import EffectStatus
from tests.conftest import run_due_jobs, settings_for


def _schedule(runtime, key, kind="probe"):
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        return effects.schedule(session, key=key, kind=kind, payload={}, due_at=now, now=now)


def _count(runtime, *where):
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(SideEffect).where(*where))


def test_when_redis_comes_back_everything_due_is_handed_over_at_once(runtime, queue,
                                                                     redis_url):
    _schedule(runtime, "while-redis-was-down")
    queue.jobs.clear()  # that hand-over went to a Redis that then went away
    scheduler = Scheduler(runtime)
    assert scheduler.tick() == 0  # Redis unreachable (the test settings' port 1): noted
    runtime.redis = Redis.from_url(redis_url)  # it answers again
    assert scheduler.tick() == 1  # not after the grace: at once
    assert scheduler.tick() == 0
    with runtime.sessions() as session:
        [beat] = session.scalars(select(ProcessBeat)).all()
    assert beat.role == heartbeat.SCHEDULER and beat.name == scheduler.name
    scheduler.stop()
    with runtime.sessions() as session:
        assert session.scalars(select(ProcessBeat)).all() == []  # a clean stop says so


def test_the_scheduler_prunes_done_effects_past_the_retention_in_batches(runtime, queue,
                                                                             clock):
    for n in range(PRUNE_BATCH + 3):
        _schedule(runtime, f"old-{n}")
    run_due_jobs(runtime, queue)
    clock.advance(days=runtime.settings.effect_retention_days + 1)
    _schedule(runtime, "fresh")
    scheduler = Scheduler(runtime)
    scheduler.tick()  # a full batch: the next round goes on at once
    assert _count(runtime) == 4
    scheduler.tick()
    assert _count(runtime) == 1 and _count(runtime, SideEffect.key == "fresh") == 1


def test_callq_effects_lists_and_retries_failed_work_and_refuses_bad_ids(tmp_path, engine,
                                                                        runtime, queue, mailer):
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        effect_id = effects.schedule(session, key="entry-3-closed-x", kind="email",
                                     payload={"to": "a@b.c", "subject": "s", "text": "t"},
                                     due_at=now, now=now)
    mailer.failures.append(PermanentFailure("mx refused: 550 no such user"))
    run_due_jobs(runtime, queue)
    env = {f"CALLQ_{k.upper()}": str(v) for k, v in settings_for(tmp_path, engine).items()}
    runner = CliRunner(env=env)
    listed = runner.invoke(main, ["effects", "list", "--failed"])
    assert listed.exit_code == 0, listed.output
    [line] = [line for line in listed.stdout.splitlines() if line.strip()]
    assert line.split("\t")[:4] == [str(effect_id), "failed", "email", "entry-3-closed-x"]
    assert "550 no such user" in line
    assert runner.invoke(main, ["effects", "retry"]).exit_code == 2  # neither IDs nor --all
    unknown = runner.invoke(main, ["effects", "retry", "999"])
    assert unknown.exit_code == 1 and "999" in unknown.output
    retried = runner.invoke(main, ["effects", "retry", str(effect_id)])
    assert retried.exit_code == 0 and "1 effect(s)" in retried.output
    assert _count(runtime, SideEffect.status == EffectStatus.PENDING) == 1


def test_callq_probe_names_each_pool_whose_worker_did_not_run_its_probe(tmp_path, sqlite_engine):
    env = {f"CALLQ_{k.upper()}": str(v)
           for k, v in settings_for(tmp_path, sqlite_engine).items()}
    result = CliRunner(env=env).invoke(main, ["probe", "--timeout", "0.5"])
    assert result.exit_code == 1  # no worker at all here
    assert "pool timers, email, telephony" in result.output
