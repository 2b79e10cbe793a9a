"""One fault scenario's world: a private PostgreSQL database, a private redis-server on a free
port (killed and restarted at will; never the shared one), an SMTP sink, and real `callq`
processes (worker, scheduler, serve) started, signalled and killed by pid.

Intervals are shortened by settings only (CALLQ_*), never by code paths only tests take.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from redis import Redis
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from callq import bootstrap, db
from callq.adapters.redis_server import redis_binary
from callq.app import create_app
from callq.models import Base, GatewayRecord, ProcessBeat, SideEffect
from callq.runtime import Runtime
from tests.smtp_sink import Sink, free_port

ROOT = Path(__file__).resolve().parents[2]

# Every scenario runs on these; a scenario may change some.
FAST: dict[str, str] = {
    "ENV": "test",
    "SECRET_KEY": "fault-secret",
    "TWILIO_AUTH_TOKEN": "fault-twilio-token",
    "MAIL_FROM": "support@callq.example.test",
    "EFFECT_LEASE_SECONDS": "4",
    "SEND_DEADLINE_SECONDS": "2",
    "RECONCILE_SECONDS": "0.2",
    "ENQUEUE_GRACE_SECONDS": "2",
    "EFFECT_RETRY_SECONDS": "0.3",
    "HEARTBEAT_SECONDS": "1",
    "OVERDUE_SECONDS": "3",
    "SMTP_REQUIRE_TLS": "false",  # the sink is a local relay without credentials
}


class Timeout(AssertionError):
    """A wait ran out: the scenario says what it waited for."""


# How long a process may take to start and beat: generous, since a loaded 2-core machine starts
# Python slowly; recovery after a fault is measured against its own, shorter bars.
STARTUP = 90.0


def wait_until(predicate: Callable[[], Any], timeout: float, what: str,
               poll: float = 0.1) -> float:
    """Seconds until `predicate()` is true; Timeout (naming `what`) after `timeout`."""
    started = time.monotonic()
    while True:
        if predicate():
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise Timeout(f"not within {timeout:.0f} s: {what}")
        time.sleep(poll)


class RedisServer:
    """A private redis-server without persistence: a kill loses every queued job."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [redis_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = Redis.from_url(self.url, socket_connect_timeout=0.5)
        wait_until(lambda: _pings(client), 10, "redis-server answers")

    def kill(self) -> None:
        """SIGKILL: gone at once, with every job it held."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def _pings(client: Redis) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False


class Lab:
    """One scenario's database, Redis, sink and processes."""

    def __init__(self, name: str, folder: Path, pg_url: str, *, smtp: bool = True,
                 **settings: str) -> None:
        self.name, self.folder = name, folder
        folder.mkdir(parents=True, exist_ok=True)
        self.database = f"callq_fault_{os.getpid()}_{name}_{secrets.token_hex(2)}"
        self._admin_url = pg_url
        self.redis = RedisServer(folder / "redis")
        self.sink = Sink() if smtp else None
        self.env_settings = {**FAST, **settings}
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self._runtimes: list[Runtime] = []

    # --- world ------------------------------------------------------------------------

    def open(self) -> Lab:
        admin = create_engine(self._admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.database}"'))
        admin.dispose()
        engine = db.build_engine(self.database_url)
        Base.metadata.create_all(engine)
        engine.dispose()
        self.redis.start()
        if self.sink is not None:
            self.sink.start()
        return self

    def close(self) -> None:
        for name in list(self.processes):
            self.stop(name)
        for runtime in self._runtimes:
            runtime.engine.dispose()
        self.redis.kill()
        if self.sink is not None:
            self.sink.stop()
        admin = create_engine(self._admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'))
        admin.dispose()

    @property
    def database_url(self) -> str:
        return make_url(self._admin_url).set(database=self.database).render_as_string(
            hide_password=False)

    def environ(self, **extra: str) -> dict[str, str]:
        """The environment of a callq process of this scenario."""
        settings = {**self.env_settings, "DATABASE_URL": self.database_url,
                    "REDIS_URL": self.redis.url, "INSTANCE_PATH": str(self.folder / "instance"),
                    "PUBLIC_BASE_URL": "https://callq.fault.test",
                    "API_TOKEN": "fault-lab-token", **extra}
        if self.sink is not None:
            settings.setdefault("SMTP_URL", f"smtp://127.0.0.1:{self.sink.port}")
        return {**{k: v for k, v in os.environ.items() if not k.startswith("CALLQ_")},
                **{f"CALLQ_{name}": value for name, value in settings.items()}}

    def runtime(self, **extra: str) -> Runtime:
        """A runtime of the test process (a producer, like the web), on this world."""
        runtime = bootstrap.runtime_from_environment(self.environ(**extra))
        self._runtimes.append(runtime)
        return runtime

    def app(self, **extra: str) -> Any:
        """The web application of this world (its /healthz is the real route)."""
        app = create_app(environ=self.environ(**extra))
        self._runtimes.append(app.extensions["callq"])
        return app

    # --- processes ----------------------------------------------------------------------

    def spawn(self, name: str, *args: str, env: dict[str, str] | None = None,
              preexec: Callable[[], None] | None = None) -> subprocess.Popen[bytes]:
        """Start `callq <args>` as `name`, its output in the scenario's folder."""
        log = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen([sys.executable, "-m", "callq.cli", *args], cwd=ROOT,
                                   env=env or self.environ(), stdout=log,
                                   stderr=subprocess.STDOUT, preexec_fn=preexec)
        self.processes[name] = process
        return process

    def worker(self, name: str, *pools: str, **extra: str) -> subprocess.Popen[bytes]:
        """A `callq worker` of these pools (all when none)."""
        args = [arg for pool in pools for arg in ("--pool", pool)]
        return self.spawn(name, "worker", *args, env=self.environ(**extra))

    def signal(self, name: str, sig: int) -> None:
        os.kill(self.processes[name].pid, sig)

    def kill(self, name: str) -> None:
        """kill -9, then reap."""
        process = self.processes.pop(name)
        process.kill()
        process.wait()

    def stop(self, name: str) -> None:
        process = self.processes.pop(name)
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def run_cli(self, *args: str) -> str:
        """Run a `callq` command to its end; its output (stdout then stderr)."""
        done = subprocess.run([sys.executable, "-m", "callq.cli", *args], cwd=ROOT,
                              env=self.environ(), capture_output=True, text=True, timeout=60)
        return f"exit {done.returncode}\n{done.stdout}{done.stderr}"

    def redis_client(self) -> Redis:
        return Redis.from_url(self.redis.url, socket_timeout=2)

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def logs(self) -> str:
        """Every process's log, for a failing scenario's report."""
        return "\n".join(f"--- {p.name} ---\n{p.read_text(errors='replace')[-3000:]}"
                         for p in sorted(self.folder.glob("*.log")))

    # --- what happened --------------------------------------------------------------------

    def effects(self, runtime: Runtime, ids: list[int] | None = None) -> list[SideEffect]:
        with runtime.sessions() as session:
            query = select(SideEffect).order_by(SideEffect.id)
            if ids is not None:
                query = query.where(SideEffect.id.in_(ids))
            return list(session.scalars(query))

    def statuses(self, runtime: Runtime, ids: list[int]) -> list[str]:
        return [str(e.status) for e in self.effects(runtime, ids)]

    def beats(self, runtime: Runtime) -> list[ProcessBeat]:
        with runtime.sessions() as session:
            return list(session.scalars(select(ProcessBeat).order_by(ProcessBeat.name)))

    def gateway(self, runtime: Runtime) -> list[GatewayRecord]:
        return self.rows(runtime, GatewayRecord)

    def rows(self, runtime: Runtime, model: Any) -> list[Any]:
        with runtime.sessions() as session:
            return list(session.scalars(select(model).order_by(model.id)))


@contextmanager
def lab(name: str, folder: Path, pg_url: str, **kwargs: Any) -> Iterator[Lab]:
    """A scenario's world, torn down whatever happens."""
    world = Lab(name, folder, pg_url, **kwargs)
    world.open()
    try:
        yield world
    finally:
        world.close()
