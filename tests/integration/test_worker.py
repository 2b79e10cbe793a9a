"""Real RQ on a real Redis: a job enqueued through the app is run by a worker, and a worker
killed in the middle of a job leads to the job completing once after a restart."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from rq import Queue

from callq import effects
from callq.adapters.jobs import pool_queue
from callq.app import create_app
from callq.handlers import POOLS
from callq.models import SideEffect
from callq.probe import send_probe
from callq.status import EffectStatus
from callq.worker import Worker
from tests.conftest import settings_for
from tests.faults.lab import RedisServer

ROOT = Path(__file__).resolve().parents[2]


def _status(runtime, effect_id):
    with runtime.sessions() as session:
        return session.get(SideEffect, effect_id).status


def test_a_job_enqueued_through_the_app_is_run_by_an_rq_worker(tmp_path, sqlite_engine,
                                                               redis_url, redis_client,
                                                               queue_name):
    app = create_app(settings_for(tmp_path, sqlite_engine, redis_url=redis_url,
                                  queue_name=queue_name), adapters={"engine": sqlite_engine})
    runtime = app.extensions["callq"]
    effect_id = send_probe(runtime)
    queue = Queue(pool_queue(queue_name, "timers"), connection=redis_client)
    # Handed over by the process's hand-over thread, after the commit (issue 17).
    assert _wait(lambda: queue.count == 1, timeout=5)
    assert queue.count == 1
    Worker([queue], runtime=runtime, connection=redis_client).work(burst=True)
    assert _status(runtime, effect_id) == EffectStatus.DONE


def test_a_burst_handed_over_reaches_each_pool_s_queue_once_timers_merged(
        tmp_path, sqlite_engine, redis_url, redis_client, queue_name):
    app = create_app(settings_for(tmp_path, sqlite_engine, redis_url=redis_url,
                                  queue_name=queue_name), adapters={"engine": sqlite_engine})
    runtime = app.extensions["callq"]
    sent = [(effects.JOB, (n,), "email" if n % 3 == 0 else "timers") for n in range(30)]
    for function, args, pool in sent:
        runtime.hand_over.enqueue(function, *args, pool=pool)
    email = Queue(pool_queue(queue_name, "email"), connection=redis_client)
    timers = Queue(pool_queue(queue_name, "timers"), connection=redis_client)

    def timers_effects():  # merged (callq.effects.batched): a job runs several of them
        return [n for job in timers.jobs for n in job.args[0]]

    assert _wait(lambda: email.count == 10 and len(timers_effects()) == 20, timeout=5)
    assert [job.args for job in email.jobs] == [(n,) for n in range(0, 30, 3)]
    assert {job.func_name for job in timers.jobs} == {effects.JOBS}
    assert timers_effects() == [n for n in range(30) if n % 3]


def _worker(env):
    return subprocess.Popen([sys.executable, "-m", "callq.cli", "worker"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_worker_killed_mid_job_leaves_the_job_to_complete_exactly_once(
        tmp_path, sqlite_engine, redis_url, queue_name):
    overrides = settings_for(tmp_path, sqlite_engine, redis_url=redis_url,
                             queue_name=queue_name, effect_lease_seconds=2,
                             send_deadline_seconds=1, enqueue_grace_seconds=1)
    env = {**os.environ, **{f"CALLQ_{k.upper()}": str(v) for k, v in overrides.items()}}
    app = create_app(overrides, adapters={"engine": sqlite_engine})
    runtime = app.extensions["callq"]
    marks = tmp_path / "marks.txt"
    # Shorter than the lease: a job outliving its lease is interrupted (its RQ job timeout).
    effect_id = send_probe(runtime, seconds=1.5, touch=str(marks))

    first = _worker(env)
    assert _wait(lambda: _status(runtime, effect_id) == EffectStatus.RUNNING)
    os.kill(first.pid, signal.SIGKILL)  # mid-job: the probe sleeps before its mark
    first.wait()
    assert not marks.exists()

    second = _worker(env)
    try:
        time.sleep(2.5)  # the dead runner's lease expires
        assert effects.reconcile(runtime) == 1
        assert _wait(lambda: _status(runtime, effect_id) == EffectStatus.DONE)
    finally:
        second.terminate()
        second.wait(timeout=10)
    assert marks.read_text().splitlines() == [f"probe-{m}" for m in _keys(runtime, effect_id)]


def _keys(runtime, effect_id):
    with runtime.sessions() as session:
        return [session.get(SideEffect, effect_id).key.removeprefix("probe-")]


def test_plain_rq_runs_callq_jobs_with_the_callq_worker_class(tmp_path, sqlite_engine,
                                                              redis_url, queue_name):
    overrides = settings_for(tmp_path, sqlite_engine, redis_url=redis_url,
                             queue_name=queue_name)
    env = {**os.environ, **{f"CALLQ_{k.upper()}": str(v) for k, v in overrides.items()}}
    runtime = create_app(overrides, adapters={"engine": sqlite_engine}).extensions["callq"]
    effect_id = send_probe(runtime)
    rq = Path(sys.executable).parent / "rq"
    queues = [pool_queue(queue_name, pool) for pool in POOLS]  # the probe goes to its pool's
    done = subprocess.run([str(rq), "worker", "-w", "callq.worker.Worker", "-u", redis_url,
                           "--burst", *queues], env=env, cwd=ROOT, capture_output=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert _status(runtime, effect_id) == EffectStatus.DONE


def test_a_worker_process_imports_no_web_framework():
    probe = ("import sys, callq.worker; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('flask', 'flask_login', 'flask_wtf', 'werkzeug')))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_worker_that_sent_one_email_imported_neither_the_planner_nor_the_web(tmp_path):
    """The effect tables load per pool: sending an email needs the mailer, not the rest."""
    database = tmp_path / "one-email.sqlite3"
    script = f"""
import sys
import threading
from callq.bootstrap import runtime_from_environment
from callq.db import build_engine
from callq.models import Base
from callq import db, effects, notify
engine = build_engine("sqlite:///{database}")
Base.metadata.create_all(engine)
runtime = runtime_from_environment({{}}, {{"database_url": "sqlite:///{database}",
    "redis_url": "redis://127.0.0.1:1/0", "instance_path": "{tmp_path / 'instance'}",
    "secret_key": "k" * 40, "twilio_auth_token": "t"}}, adapters={{"engine": engine}})
before = set(sys.modules)
with db.write(runtime.sessions) as session:
    effect = notify.queue_email(session, runtime, key="one-email", to="a@b.example",
                                subject="S", text="T")
assert effects.run_effect(runtime, effect) == "done", "the email was not sent"
own = sorted(m for m in sys.modules if m.split(".")[0] in ("callq", "scheduling", "webhooks"))
print(len(own), *sorted(set(sys.modules) - before))
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    _count, *loaded_for_the_job = done.stdout.split()
    assert "callq.pools.email" in loaded_for_the_job
    for unneeded in ("callq.pools.timers", "callq.pools.telephony", "scheduling.booking",
                     "callq.intake", "flask"):
        assert unneeded not in loaded_for_the_job
    assert [p.suffix for p in (tmp_path / "instance" / "outbox").iterdir()] == [".eml"]


def test_a_worker_started_while_redis_is_down_waits_for_it_then_works(tmp_path, sqlite_engine,
                                                                      queue_name):
    redis = RedisServer(tmp_path / "redis")  # a private server, started after the worker
    overrides = settings_for(tmp_path, sqlite_engine, redis_url=redis.url, queue_name=queue_name)
    env = {**os.environ, **{f"CALLQ_{k.upper()}": str(v) for k, v in overrides.items()}}
    worker = _worker(env)
    try:
        time.sleep(3.0)  # RQ's Worker is made (and speaks to Redis) while nothing answers
        assert worker.poll() is None, "the worker died while Redis was down"
        redis.start()
        runtime = create_app(overrides, adapters={"engine": sqlite_engine}).extensions["callq"]
        effect_id = send_probe(runtime)
        assert _wait(lambda: _status(runtime, effect_id) == EffectStatus.DONE)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
        redis.kill()


def test_a_stopping_worker_does_not_wait_on_rq_s_sleeping_pubsub_thread(
        tmp_path, sqlite_engine, redis_url, redis_client, queue_name):
    # RQ 3's pubsub thread waits 60 s at a time once unsubscribed, and redis-py 8's stop()
    # joins it without a bound: a SIGTERM caught when the thread had already read the
    # unsubscribe's reply kept a worker up for a minute (bench/scheduled.py, py-spy).
    app = create_app(settings_for(tmp_path, sqlite_engine, redis_url=redis_url,
                                  queue_name=queue_name), adapters={"engine": sqlite_engine})
    worker = Worker(runtime=app.extensions["callq"], connection=redis_client)
    worker.subscribe()
    pubsub, listener = worker.pubsub, worker.pubsub_thread
    assert _wait(lambda: pubsub.subscribed, timeout=5)
    pubsub.unsubscribe()  # the race's state: the thread reads the reply and sleeps again
    assert _wait(lambda: not pubsub.subscribed, timeout=5)
    time.sleep(0.3)

    stopping = threading.Thread(target=worker.unsubscribe, daemon=True)
    stopping.start()
    stopping.join(timeout=15)  # RQ's own unsubscribe was still waiting after 60 s
    assert not stopping.is_alive()
    assert pubsub.connection is None  # closed
    assert listener.daemon  # what is left of it dies with the process
