"""`/healthz` and the `callq` command line."""

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from callq import heartbeat
from callq.app import create_app
from callq.cli import main
from tests.conftest import settings_for

ROOT = Path(__file__).resolve().parents[2]


TRUSTED = {"Authorization": "Bearer test-api-token"}  # settings_for's CALLQ_API_TOKEN


def test_healthz_reports_each_part_and_503_when_redis_is_down(app):
    response = app.test_client().get("/healthz", headers=TRUSTED)
    body = response.get_json()
    assert response.status_code == 503
    assert body["database"]["ok"] is True
    assert body["redis"]["ok"] is False and body["ok"] is False


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": "Basic test-api-token"}])
def test_healthz_tells_an_anonymous_caller_only_ok_or_not(app, headers):
    response = app.test_client().get("/healthz", headers=headers)
    assert response.status_code == 503
    assert response.get_json() == {"ok": False}


def test_healthz_is_ok_with_database_redis_a_worker_per_pool_and_the_scheduler(
        tmp_path, sqlite_engine, redis_url, queue_name):
    app = create_app(settings_for(tmp_path, sqlite_engine, redis_url=redis_url,
                                  queue_name=queue_name), adapters={"engine": sqlite_engine})
    runtime = app.extensions["callq"]
    heartbeat.beat(runtime, "worker:a:1", heartbeat.WORKER, ("email", "telephony"))
    heartbeat.beat(runtime, "worker:a:2", heartbeat.WORKER, ("timers",), busy_with=7)
    heartbeat.beat(runtime, "scheduler:a:3", heartbeat.SCHEDULER)
    body = app.test_client().get("/healthz", headers=TRUSTED).get_json()
    assert body["ok"] is True, body
    assert body["workers"] == {"ok": True, "count": 2, "busy": 1,
                               "by_pool": {"email": 1, "telephony": 1, "timers": 1}}
    assert body["problems"] == []


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("path", list(_commands(main)), ids=" ".join)
def test_every_command_has_help(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and len(result.output.splitlines()) > 3


def test_db_upgrade_then_demo_from_a_fresh_instance(tmp_path):
    env = {"PATH": str(Path(sys.executable).parent), "CALLQ_INSTANCE_PATH": str(tmp_path)}
    run = lambda *args: subprocess.run([sys.executable, "-m", "callq.cli", *args], env=env,  # noqa: E731
                                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    upgraded = run("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert (tmp_path / "callq.sqlite3").exists()
    demo = run("demo")
    assert demo.returncode == 0, demo.stderr
    logins = [line for line in demo.stdout.splitlines() if "password:" in line]
    assert len(logins) == 3
    assert "already loaded" in run("demo").stdout


def test_a_bad_setting_gives_a_message_and_exit_code_not_a_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "callq.cli", "db", "upgrade"],
                            env={"CALLQ_INSTANCE_PATH": str(tmp_path), "CALLQ_SLOT_MINUTES": "x"},
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "CALLQ_SLOT_MINUTES" in result.stderr and "Traceback" not in result.stderr
