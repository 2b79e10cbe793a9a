"""What the fault scenarios share: the Outcome a scenario returns (a row of the closing table
and the facts its test asserts on), putting work in flight, and reading what happened at the
SMTP sink, the telephony boundary (the logging gateway's records, which count repeats), the
outbox and `/healthz`."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from callq import db, effects, heartbeat
from callq.notify import queue_email, queue_sms
from callq.runtime import Runtime
from callq.status import EffectStatus
from tests.faults.lab import STARTUP, Lab, wait_until

RECOVERY_BAR = 60.0  # seconds: the bar for recovery after a fault ends
DONE, FAILED = EffectStatus.DONE, EffectStatus.FAILED
__all__ = ["DONE", "FAILED", "RECOVERY_BAR", "EffectStatus", "Outcome"]


@dataclass
class Outcome:
    """One scenario's row of the closing table, and the facts its test asserts on."""

    title: str
    in_flight: str = ""
    lost: int | None = None
    doubled: int | None = None
    stuck: int | None = None
    recovery: float | None = None  # seconds from the fault's end to all work done
    note: str = ""
    facts: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0  # the scenario's own wall time


# --- putting work in flight -------------------------------------------------------------

def message_id(key: str) -> str:
    """The Message-ID callq gives the email of an outbox key (callq.notify)."""
    return f"<{key}@callq.example.test>"


def emails(runtime: Runtime, n: int, prefix: str, to: str = "client@example.com",
           due_in: float = 0) -> list[int]:
    ids = []
    for i in range(n):
        due = runtime.now() + timedelta(seconds=due_in) if due_in else None
        with db.write(runtime.sessions) as session:
            ids.append(queue_email(session, runtime, key=f"{prefix}-{i}", to=to,
                                   subject="Votre rappel", text="Bonjour", due_at=due))
    return ids


def texts(runtime: Runtime, n: int, prefix: str) -> list[int]:
    ids = []
    for i in range(n):
        with db.write(runtime.sessions) as session:
            ids.append(queue_sms(session, runtime, key=f"{prefix}-{i}",
                                 to=f"+336120000{i:02d}", body="Votre lien"))
    return ids


def timers(runtime: Runtime, n: int, prefix: str, seconds: float = 0, due_in: float = 0,
           touch: str | None = None) -> list[int]:
    ids = []
    for i in range(n):
        now = runtime.now()
        with db.write(runtime.sessions) as session:
            ids.append(effects.schedule(session, key=f"{prefix}-{i}", kind="probe",
                                        payload={"seconds": seconds, "touch": touch},
                                        due_at=now + timedelta(seconds=due_in), now=now))
    return ids


# --- reading what happened ----------------------------------------------------------------

def all_in(world: Lab, runtime: Runtime, ids: list[int], *statuses: str) -> Callable[[], bool]:
    return lambda: all(s in statuses for s in world.statuses(runtime, ids))


def tally(world: Lab, runtime: Runtime, ids: list[int]) -> dict[str, int]:
    """Lost, doubled and stuck among emails, by Message-ID at the sink and status."""
    assert world.sink is not None
    counts = world.sink.counts()
    rows = world.effects(runtime, ids)
    return {"lost": sum(counts[message_id(e.key)] == 0 for e in rows),
            "doubled": sum(counts[message_id(e.key)] > 1 for e in rows),
            "stuck": sum(e.status not in (DONE, FAILED) for e in rows)}


def health(app: Any) -> tuple[int, dict[str, Any]]:
    token = app.extensions["callq"].settings.api_token  # the details need the API token
    response = app.test_client().get("/healthz", headers={"Authorization": f"Bearer {token}"})
    return response.status_code, response.get_json()


def http_health(port: int, token: str) -> tuple[int, dict[str, Any]]:
    """/healthz over real HTTP, with the API token its details need."""
    asked = urllib.request.Request(f"http://127.0.0.1:{port}/healthz",
                                   headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(asked, timeout=5) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())
    except OSError as exc:
        return 0, {"error": str(exc)}


def worker_pids(world: Lab, runtime: Runtime) -> dict[str, set[int]]:
    """The pids of the live workers of each pool, from their heartbeats."""
    found: dict[str, set[int]] = {}
    since = runtime.now() - heartbeat.stale_after(runtime.settings)
    for beat in world.beats(runtime):
        if beat.role == "worker" and beat.beat_at >= since:
            for pool in beat.pools.split(","):
                found.setdefault(pool, set()).add(int(beat.name.rsplit(":", 1)[1]))
    return found


def all_pools(world: Lab, runtime: Runtime) -> None:
    for pool in ("email", "telephony", "timers"):
        world.worker(f"{pool}-worker", pool)
    wait_until(lambda: len(worker_pids(world, runtime)) == 3, STARTUP,
               "a worker of each pool beats")
