"""Property: whatever arrives on any route of the URL map, callq answers below 500, and an
answer of 4xx leaves every row as it was (login failures aside: a refused login is counted on
purpose). Seeded: CALLQ_FUZZ_SEED replays a run; CALLQ_FUZZ_REQUESTS sets its size (at least
5,000 in CI, over both backends)."""

from __future__ import annotations

import math
import os
import tempfile
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings

from callq.app import create_app
from tests.security.conftest import SEED
from tests.security.fuzz import TALLY, Attack, Route, attacks, routes, vocabulary
from tests.security.world import API_TOKEN, World


def _url_map() -> Any:
    # The routes as the web process registers them (no database is opened to list them).
    folder = tempfile.mkdtemp(prefix="callq-routes-")
    app = create_app({"env": "test", "instance_path": folder, "secret_key": "k" * 40,
                      "database_url": f"sqlite:///{folder}/routes.sqlite3",
                      "redis_url": "redis://127.0.0.1:1/0", "twilio_auth_token": "t" * 32})
    return app.url_map


ROUTES = routes(_url_map())
NAMES = vocabulary()
REQUESTS = int(os.environ.get("CALLQ_FUZZ_REQUESTS", "5000"))
PER_ROUTE = max(10, math.ceil(REQUESTS / (2 * len(ROUTES))))


def test_the_fuzz_suite_covers_every_route_and_reads_the_fields_from_the_code():
    assert len(ROUTES) >= 45 and {"POST /twilio/gather", "GET /feed/<token>.ics",
                                  "POST /book/<token>", "POST /logout"} <= {r.id for r in ROUTES}
    assert {"CallSid", "SpeechResult", "version", "other_id", "next", "limit", "start",
            "RecordingUrl", "CallqSimulatedAt", "bridge"} <= set(NAMES)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_no_route_answers_5xx_nor_changes_a_row_when_it_refuses(fuzz_world: World,
                                                                  route: Route) -> None:
    @seed(SEED)
    @settings(max_examples=PER_ROUTE, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(attacks(fuzz_world, route, NAMES))
    def attack(one: Attack) -> None:
        send(fuzz_world, route, one)

    attack()


def send(world: World, route: Route, attack: Attack) -> None:
    """Send one request; fail on a 5xx, or on a 4xx that changed a row."""
    client = world.agent if attack.as_agent else world.anonymous
    form = dict(attack.form) if attack.form is not None else None
    headers = {}
    if route.rule.startswith("/twilio/") and attack.signed:
        headers["X-Twilio-Signature"] = world.sign(attack.path, form or {})
    if route.rule.startswith("/api/") and attack.authorised:
        headers["Authorization"] = f"Bearer {API_TOKEN}"
    if form is not None and attack.as_agent and attack.with_csrf:
        form["csrf_token"] = world.csrf
    response = client.open(attack.path, method=route.method, data=form, headers=headers)
    status, after = response.status_code, world.state()
    TALLY.requests[world.backend] = TALLY.requests.get(world.backend, 0) + 1
    TALLY.routes.add(route.id)
    seen = f"{world.backend} {route.method} {attack.path[:300]!r} form={str(form)[:300]}"
    if status >= 500 and not (route.rule == "/healthz" and status == 503):
        # (a 503 of the health check is its answer: a part is down, it says which)
        TALLY.server_errors.append(seen)
        pytest.fail(f"{status} for {seen}: {response.get_data(as_text=True)[:500]}")
    if 400 <= status < 500 and after != world.fingerprint:
        TALLY.changed_on_refusal.append(seen)
        pytest.fail(f"{status} changed rows: {seen}")
    world.fingerprint = after
    if route.rule == "/logout" and attack.as_agent:
        world.log_in()  # the agent's browser goes on attacking logged in
        world.fingerprint = world.state()
