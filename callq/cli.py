"""The `callq` command: serve, worker, scheduler, db, demo, config (and each capability's)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

from callq import (
    admin_cli,
    agents_cli,
    effects_cli,
    handlers,
    logs,
    mail_cli,
    needs_eval,
    setup_cli,
    simulate,
)
from callq.bootstrap import record_public_url, runtime_from_environment
from callq.runtime import Runtime
from callq.settings import SettingsError, settings_table
from scheduling import cli as planner_cli

ROOT = Path(__file__).resolve().parent.parent


def runtime_or_exit() -> Runtime:
    """The CLI process's composition root: the runtime from the environment, or a clear
    message and exit code 1."""
    try:
        runtime = runtime_from_environment()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    logs.configure(runtime.settings.log_format)
    return runtime


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
    logs.configure("text")  # until the settings are read (runtime_or_exit)


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
@click.option("--pool", "pools", multiple=True, type=click.Choice(handlers.POOLS),
              help="Work only this pool's queue (repeatable); default: every pool.")
def worker(burst: bool, pools: tuple[str, ...]) -> None:
    """Run one RQ worker on the outbox's queues; it waits for Redis when Redis goes away."""
    from callq.worker import run

    run(runtime_or_exit(), pools or handlers.POOLS, burst=burst)


@main.command()
@click.option("--once", is_flag=True, help="Reconcile once, then exit.")
def scheduler(once: bool) -> None:
    """Hand due work (timers, reminders, retries, lost jobs) to the workers, every second."""
    from callq.scheduler import run

    runtime = runtime_or_exit()
    run(runtime, once=once, stopped=_stop_flag())


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
@click.option("--workers", default=1, show_default=True, type=int,
              help="RQ worker processes per pool (email, telephony, timers).")
def serve(host: str, port: int, web_workers: int, workers: int) -> None:
    """Run web (gunicorn), RQ workers and the scheduler together on one machine.

    A child that dies is restarted (after 1, 2, 4 ... 30 s); SIGTERM or Ctrl-C stops them all.
    Without CALLQ_REDIS_URL an embedded Redis server is started in the instance folder.
    """
    from callq.adapters.redis_server import EmbeddedRedis
    from callq.supervisor import Child, supervise

    runtime = runtime_or_exit()
    env = dict(os.environ)
    children: list[Child] = []
    if not os.environ.get("CALLQ_REDIS_URL"):
        embedded = EmbeddedRedis(runtime.settings.instance_path)
        env["CALLQ_REDIS_URL"] = embedded.url
        children.append(Child("embedded Redis", lambda: _started(embedded), infrastructure=True))
        click.echo(f"embedded Redis on {embedded.url}")
    if not os.environ.get("CALLQ_PUBLIC_BASE_URL"):
        # Links in emails, SMS and feeds must point where this server actually listens; the
        # commands run beside it (invite, simulate call) read it from the instance folder.
        env["CALLQ_PUBLIC_BASE_URL"] = f"http://{host}:{port}"
        record_public_url(runtime.settings.instance_path, env["CALLQ_PUBLIC_BASE_URL"])
    me = [sys.executable, "-m", "callq.cli"]
    web = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--chdir",
           str(ROOT), "-w", str(web_workers), "-b", f"{host}:{port}", "--access-logfile", "-",
           "wsgi:app"]
    children += [Child("web", _launcher(web, env)),
                 Child("scheduler", _launcher([*me, "scheduler"], env))]
    children += [Child(f"{pool} worker {n + 1}", _launcher([*me, "worker", "--pool", pool], env))
                 for pool in handlers.POOLS for n in range(workers)]
    click.echo(f"callq on http://{host}:{port}/ (Ctrl-C stops everything)")
    supervise(children, _stop_flag())


def _launcher(command: list[str], env: dict[str, str]) -> Any:
    return lambda: subprocess.Popen(command, env=env)


def _started(embedded: Any) -> Any:
    embedded.start()
    return embedded.process


@main.command()
@click.option("--timeout", default=30.0, show_default=True, help="Seconds to wait.")
def probe(timeout: float) -> None:
    """Send a no-op job to each worker pool and wait until a worker of each has run it."""
    from callq.probe import send_probe, wait_for

    runtime = runtime_or_exit()
    started = time.monotonic()
    sent = {pool: send_probe(runtime, kind=kind) for pool, kind in handlers.PROBES.items()}
    missing = wait_for(runtime, sent, timeout)
    if missing:
        raise click.ClickException(
            f"no worker ran the probe of pool {', '.join(missing)} within {timeout:.0f} s")
    click.echo(f"a worker of each pool ({', '.join(sent)}) ran its probe in "
               f"{time.monotonic() - started:.2f} s")


@main.command()
def demo() -> None:
    """Load a demo support desk: agents (passwords printed), clients, the Paris calendar."""
    from callq.demo import load_demo

    runtime = runtime_or_exit()
    for line in load_demo(runtime):
        click.echo(line)


# Each capability's command group, from a literal table.
for _group in (simulate.command, agents_cli.command, planner_cli.command,
               needs_eval.command, needs_eval.train, effects_cli.command, mail_cli.command,
               *admin_cli.COMMANDS,
               *setup_cli.COMMANDS):
    main.add_command(_group)

if __name__ == "__main__":
    main()
