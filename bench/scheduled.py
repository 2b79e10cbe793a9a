"""Scheduled work: 1,000 effects due within one minute, run by the real scheduler and workers.

Lateness = when the effect ran minus when it was due. Missed = not run; doubled = run more
than once (each run appends its key to a file, so a second run would show).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bench.report import Row, limit_row, percentile
from callq import db, effects
from callq.adapters.redis_server import EmbeddedRedis
from callq.app import create_app
from callq.models import SideEffect

ROOT = Path(__file__).resolve().parent.parent
STOP_WAIT = 60.0  # seconds a process may take to stop after SIGTERM before it is killed


def _schedule(runtime, count: int, spread: float, marks: Path) -> None:  # type: ignore[no-untyped-def]
    now = runtime.now()
    with db.write(runtime.sessions) as session:
        for i in range(count):
            due = now + timedelta(seconds=5 + spread * i / count)
            effects.schedule(session, key=f"bench-{i}", kind="probe",
                             payload={"touch": str(marks)}, due_at=due, now=now)


def run(quick: bool) -> list[Row]:
    """Schedule, start a scheduler and two workers, wait, then read lateness from the DB."""
    count, spread = (200, 10.0) if quick else (1000, 60.0)
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder)
        redis = EmbeddedRedis(instance / "redis")
        env = {**os.environ, "CALLQ_INSTANCE_PATH": str(instance),
               "CALLQ_REDIS_URL": redis.start(), "CALLQ_ENV": "development"}
        app = create_app(environ=env)
        runtime = app.extensions["callq"]
        from callq.migrate import upgrade

        upgrade(runtime.engine)
        marks = instance / "marks.txt"
        _schedule(runtime, count, spread, marks)
        me = [sys.executable, "-m", "callq.cli"]
        commands = ("scheduler", "worker", "worker")
        logs = [instance / f"{cmd}-{i}.log" for i, cmd in enumerate(commands)]
        procs = []
        for cmd, log in zip(commands, logs, strict=True):
            with log.open("wb") as out:  # the child keeps its own copy of the descriptor
                procs.append(subprocess.Popen([*me, cmd], cwd=ROOT, env=env, stdout=out,
                                              stderr=subprocess.STDOUT))
        try:
            time.sleep(5 + spread + 5)
        finally:
            stops = _stop(procs)
            redis.stop()
            for log, (_, killed) in zip(logs, stops, strict=True):
                if killed:  # what it was doing, for whoever reads the run
                    tail = log.read_text(errors="replace").splitlines()[-15:]
                    print(f"   {log.stem} killed; its last lines:", *tail, sep="\n     ",
                          file=sys.stderr)
        with runtime.sessions() as session:
            rows = session.execute(select(SideEffect.due_at, SideEffect.done_at)
                                   .where(SideEffect.kind == "probe")).all()
        runs = Counter(marks.read_text().split()) if marks.exists() else Counter()
    slowest, killed = max(t for t, _ in stops), sum(1 for _, k in stops if k)
    lateness = [(done - due).total_seconds() for due, done in rows if done is not None]
    missed = sum(1 for _, done in rows if done is None)
    doubled = sum(1 for n in runs.values() if n > 1)
    return [
        limit_row(f"scheduled effects: p99 lateness ({count} due in {spread:.0f} s)",
                  percentile(lateness, 0.99), "s", 2.0),
        limit_row("scheduled effects: p50 lateness", percentile(lateness, 0.5), "s", None),
        limit_row("scheduled effects: missed", missed, "effects", 0),
        limit_row("scheduled effects: run twice", doubled, "effects", 0),
        limit_row("scheduler and workers: slowest to stop after SIGTERM", slowest, "s", None),
        limit_row(f"scheduler and workers: not stopped {STOP_WAIT:.0f} s after SIGTERM (killed)",
                  killed, "processes", 0),
    ]


def _stop(procs: list[subprocess.Popen[bytes]]) -> list[tuple[float, bool]]:
    """SIGTERM to each, then how long each took to exit and whether it had to be killed (a
    full run once saw a worker still up 15 s after SIGTERM, on a loaded machine)."""
    for proc in procs:
        proc.terminate()
    started, took = time.monotonic(), []
    for proc in procs:
        try:
            proc.wait(timeout=max(0.0, STOP_WAIT - (time.monotonic() - started)))
            took.append((time.monotonic() - started, False))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            took.append((STOP_WAIT, True))
    return took
