"""The fault suite's runner: the scenarios the selected tests need run once, concurrently in
one thread pool (each in its own world of processes, database, Redis and SMTP sink), and the
closing table (scenario | work in flight | lost | doubled | stuck | recovery) is printed at
the end of the run."""

from __future__ import annotations

import os
import re
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PG_URL, unavailable
from tests.faults import mail_scenarios as m
from tests.faults import service_scenarios as s
from tests.faults.lab import Lab, lab
from tests.faults.world import Outcome, health

# id -> (scenario, its world's options). The id starts the name of the test that asserts it.
SCENARIOS: dict[str, tuple[Callable[[Lab], Outcome], dict[str, Any]]] = {
    "01": (m.kill_after_acceptance, {}),
    "02": (m.late_and_silent_smtp, {"SEND_DEADLINE_SECONDS": "3.5"}),
    "03": (m.slow_smtp, {}),
    "04": (s.clock_skew, {"smtp": False, "ENQUEUE_GRACE_SECONDS": "60"}),
    "05": (s.redis_restart_under_serve, {}),
    "06": (s.scheduler_outage, {}),
    "06b": (s.redis_restart_idle, {"smtp": False}),
    "07": (s.orphaned_lease, {"smtp": False}),
    "08": (m.permanent_refusal, {}),
    "08b": (m.full_disk, {"smtp": False}),
    "09": (m.cold_shutdown, {"SEND_DEADLINE_SECONDS": "3.5"}),
    "10": (m.hung_smtp, {"SEND_DEADLINE_SECONDS": "3"}),
    "11": (s.lost_callbacks, {"smtp": False}),
}
CONCURRENT = int(os.environ.get("CALLQ_FAULTS_CONCURRENT", "4"))
_TEST = re.compile(r"test_(\d\d[a-z]?)_")
RESULTS: dict[str, Outcome] = {}
WALL: dict[str, float] = {}


def _run(scenario_id: str, folder: Path) -> Outcome:
    function, options = SCENARIOS[scenario_id]
    started = time.monotonic()
    world = None
    try:
        with lab(scenario_id, folder, PG_URL, **options) as world:
            try:
                outcome = function(world)
                outcome.facts["health_after"] = health(world.app())
            except Exception:
                outcome = Outcome(f"{scenario_id} (failed)", error=traceback.format_exc(),
                                  facts={"logs": world.logs()})
    except Exception:
        outcome = Outcome(f"{scenario_id} (could not set up)", error=traceback.format_exc())
    outcome.seconds = time.monotonic() - started
    return outcome


@pytest.fixture(scope="session")
def fault_outcomes(request: pytest.FixtureRequest,
                   tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every selected scenario's outcome, run concurrently once for the session."""
    if not PG_URL:
        unavailable("the fault suite needs PostgreSQL: set CALLQ_TEST_DATABASE_URL")
    wanted = sorted({m.group(1) for item in request.session.items
                     if (m := _TEST.match(item.name)) and m.group(1) in SCENARIOS})
    root = tmp_path_factory.mktemp("faults")
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
        futures = {sid: pool.submit(_run, sid, root / sid) for sid in wanted}
        RESULTS.update({sid: future.result() for sid, future in futures.items()})
    WALL["suite"] = time.monotonic() - started
    return RESULTS


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The closing table of the fault suite, as measured in this run."""
    if not RESULTS:
        return
    write = terminalreporter.write_line
    write("")
    write(f"fault suite: {len(RESULTS)} scenarios in {WALL.get('suite', 0):.0f} s "
          f"({CONCURRENT} at a time)")
    write("| scenario | work in flight | lost | doubled | stuck | recovery | note |")
    write("|---|---|---|---|---|---|---|")
    for sid in sorted(RESULTS):
        o = RESULTS[sid]
        recovery = "—" if o.recovery is None else f"{o.recovery:.1f} s"
        cells = [o.title, o.in_flight, _n(o.lost), _n(o.doubled), _n(o.stuck), recovery,
                 o.note if not o.error else "ERROR: " + o.error.strip().splitlines()[-1][:80]]
        write("| " + " | ".join(cells) + " |")


def _n(value: int | None) -> str:
    return "—" if value is None else str(value)
