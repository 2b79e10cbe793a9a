"""The `callq` command: serve, worker, scheduler, db, demo, config (and each capability's)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

from callq import admin_cli, agents_cli, needs_eval, setup_cli, simulate
from callq.bootstrap import record_public_url, runtime_from_environment
from callq.runtime import Runtime
from callq.settings import SettingsError, settings_table
from scheduling import cli as planner_cli

ROOT = Path(__file__).resolve().parent.parent


def runtime_or_exit() -> Runtime:
    """The CLI process's composition root: the runtime from the environment, or a clear
    message and exit code 1."""
    try:
        return runtime_from_environment()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


class _Commands(click.Group):
    """The `callq` group: a database that cannot be reached, or has no tables yet, is one line
    saying so, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from sqlalchemy.exc import OperationalError, ProgrammingError

        try:
            return super().invoke(ctx)
        except (OperationalError, ProgrammingError) as exc:
            raise click.ClickException(_database_problem(exc)) from None


def _database_problem(exc: Exception) -> str:
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    if "no such table" in reason or "does not exist" in reason and "relation" in reason:
        return f"the database has no callq tables ({reason}): run `callq db upgrade` first"
    return f"the database cannot be reached: {reason} (check CALLQ_DATABASE_URL)"


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--operator", default=None, metavar="NAME",
              help="Who the audit log names for the changes this command makes "
                   "(default: cli).")
@click.pass_context
def main(ctx: click.Context, operator: str | None) -> None:
    """callq: callback queue and appointment scheduler for a support hotline."""
    ctx.obj = {"operator": operator}
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")


@main.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def db_upgrade(revision: str) -> None:
    """Apply the Alembic migrations to CALLQ_DATABASE_URL (SQLite file by default)."""
    from callq.migrate import current, upgrade

    runtime = runtime_or_exit()
    upgrade(runtime.engine, revision)
    where = runtime.engine.url.render_as_string()
    click.echo(f"database at revision {current(runtime.engine)} ({where})")


@main.command()
def config() -> None:
    """Print every setting with its default and meaning (the README's table)."""
    click.echo(settings_table())


@main.command()
@click.option("--burst", is_flag=True, help="Run the jobs queued now, then exit.")
def worker(burst: bool) -> None:
    """Run one RQ worker on the callq queue (jobs of the outbox)."""
    from callq.worker import Worker

    runtime = runtime_or_exit()
    runtime.redis.ping()
    Worker(runtime=runtime).work(burst=burst, logging_level="INFO")


@main.command()
@click.option("--once", is_flag=True, help="Reconcile once, then exit.")
def scheduler(once: bool) -> None:
    """Hand due work (timers, reminders, retries, lost jobs) to the workers, every second."""
    from callq.effects import reconcile

    runtime = runtime_or_exit()
    interval = runtime.settings.reconcile_seconds
    stop = _stop_flag()
    while True:
        try:
            count = reconcile(runtime)
            if count:
                logging.getLogger("callq.scheduler").info("handed over %d due effects", count)
        except Exception:
            logging.getLogger("callq.scheduler").exception("reconcile failed; trying again")
        if once or stop():
            return
        time.sleep(interval)


def _stop_flag() -> Any:
    stopped = {"yes": False}

    def _handler(*_: Any) -> None:
        stopped["yes"] = True

    signal.signal(signal.SIGTERM, _handler)
    return lambda: stopped["yes"]


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--web-workers", default=2, show_default=True, type=int,
              help="gunicorn worker processes.")
@click.option("--workers", default=1, show_default=True, type=int, help="RQ worker processes.")
def serve(host: str, port: int, web_workers: int, workers: int) -> None:
    """Run web (gunicorn), RQ workers and the scheduler together on one machine.

    Without CALLQ_REDIS_URL an embedded Redis server is started in the instance folder.
    """
    from callq.adapters.redis_server import EmbeddedRedis

    runtime = runtime_or_exit()
    env = dict(os.environ)
    embedded = None
    if not os.environ.get("CALLQ_REDIS_URL"):
        embedded = EmbeddedRedis(runtime.settings.instance_path)
        env["CALLQ_REDIS_URL"] = embedded.start()
        click.echo(f"embedded Redis on {env['CALLQ_REDIS_URL']}")
    if not os.environ.get("CALLQ_PUBLIC_BASE_URL"):
        # Links in emails, SMS and feeds must point where this server actually listens; the
        # commands run beside it (invite, simulate call) read it from the instance folder.
        env["CALLQ_PUBLIC_BASE_URL"] = f"http://{host}:{port}"
        record_public_url(runtime.settings.instance_path, env["CALLQ_PUBLIC_BASE_URL"])
    me = [sys.executable, "-m", "callq.cli"]
    children = [
        subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
                          "--chdir", str(ROOT), "-w", str(web_workers), "-b", f"{host}:{port}",
                          "--access-logfile", "-", "wsgi:app"], env=env),
        subprocess.Popen([*me, "scheduler"], env=env),
        *(subprocess.Popen([*me, "worker"], env=env) for _ in range(workers)),
    ]
    click.echo(f"callq on http://{host}:{port}/ (Ctrl-C stops everything)")
    _supervise(children, embedded)


def _supervise(children: list[subprocess.Popen[bytes]], embedded: Any) -> None:
    stop = _stop_flag()
    try:
        while not stop() and all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        if embedded:
            embedded.stop()
    failed = [c for c in children if c.returncode not in (0, -signal.SIGTERM, None)]
    if failed:
        raise click.ClickException(f"a process stopped unexpectedly: {failed[0].args!r}")


@main.command()
@click.option("--timeout", default=30.0, show_default=True, help="Seconds to wait.")
def probe(timeout: float) -> None:
    """Send a no-op job through the queue and wait until a worker has run it."""
    from callq.models import SideEffect
    from callq.probe import send_probe
    from callq.status import EffectStatus

    runtime = runtime_or_exit()
    started = time.monotonic()
    effect_id = send_probe(runtime)
    while time.monotonic() - started < timeout:
        with runtime.sessions() as session:
            effect = session.get(SideEffect, effect_id)
            if effect is not None and effect.status == EffectStatus.DONE:
                click.echo(f"a worker ran the probe in {time.monotonic() - started:.2f} s")
                return
        time.sleep(0.2)
    raise click.ClickException(f"no worker ran the probe within {timeout:.0f} s")


@main.command()
def demo() -> None:
    """Load a demo support desk: agents (passwords printed), clients, the Paris calendar."""
    from callq.demo import load_demo

    runtime = runtime_or_exit()
    for line in load_demo(runtime):
        click.echo(line)


# Each capability's command group, from a literal table.
for _group in (simulate.command, agents_cli.command, planner_cli.command,
               needs_eval.command, *admin_cli.COMMANDS, *setup_cli.COMMANDS):
    main.add_command(_group)

if __name__ == "__main__":
    main()
