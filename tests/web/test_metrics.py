"""Metrics and logs for operators: `/metrics` behind its Bearer token, in Prometheus's text
format as prometheus_client's own parser reads it, with the counts of the database and the
webhooks' latency; JSON log lines carrying the request id and the CallSid (R5, R10-R16)."""

from __future__ import annotations

import io
import json
import logging
from datetime import timedelta

import pytest
from flask import Flask
from prometheus_client.parser import text_string_to_metric_families

from callq import db, logs
from callq.app import create_app
from callq.models import Appointment, SideEffect
from callq.status import EffectStatus, EntryStatus, Tier
from tests.conftest import settings_for
from tests.voice_support import call_sid, incoming, post, speech
from tests.workspace_data import add_agent, add_entry

TOKEN = "scrape-token-1234"


@pytest.fixture
def app(tmp_path, engine, clock, mailer, queue) -> Flask:
    flask_app = create_app(settings_for(tmp_path, engine, metrics_token=TOKEN),
                           adapters={"engine": engine, "mailer": mailer, "queue": queue},
                           clock=clock)
    flask_app.testing = True
    return flask_app


def _scrape(client, token: str = TOKEN):
    return client.get("/metrics", headers={"Authorization": f"Bearer {token}"})


def _families(answer) -> dict[str, dict[tuple, float]]:
    found: dict[str, dict[tuple, float]] = {}
    for family in text_string_to_metric_families(answer.get_data(as_text=True)):
        for sample in family.samples:
            found.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def test_metrics_are_disabled_without_a_token_and_refused_with_a_wrong_one(tmp_path, engine,
                                                                          clock, app):
    closed = create_app(settings_for(tmp_path, engine), adapters={"engine": engine},
                        clock=clock)
    assert closed.test_client().get("/metrics").status_code == 404
    client = app.test_client()
    assert client.get("/metrics").status_code == 401
    refused = _scrape(client, "wrong")
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")


def test_r05_r16_a_scrape_counts_entries_effects_and_appointments_from_the_database(
        app, runtime, clock):
    agent = add_agent(runtime)
    now = runtime.now()
    add_entry(runtime, tier=Tier.CRITICAL, arrived=now - timedelta(days=10))  # late (R11)
    add_entry(runtime, tier=Tier.LOW, caller="+33600000001")
    add_entry(runtime, status=EntryStatus.CLOSED, caller="+33600000002")
    with db.write(runtime.sessions) as session:
        session.add_all([
            SideEffect(key="old", kind="email", due_at=now - timedelta(minutes=10)),
            SideEffect(key="failed", kind="email", status=EffectStatus.FAILED, due_at=now),
            Appointment(agent_id=agent, starts_at=now, ends_at=now + timedelta(minutes=30),
                        status="done", moves=2, no_shows=1, extensions=1),
        ])
    answer = _scrape(app.test_client())
    assert answer.status_code == 200
    assert answer.mimetype == "text/plain"
    metrics = _families(answer)
    assert metrics["callq_entries"][(("status", "waiting"),)] == 2
    assert metrics["callq_entries"][(("status", "closed"),)] == 1
    assert metrics["callq_entries"][(("status", "booked"),)] == 0
    assert metrics["callq_entries_late"][()] == 1
    assert metrics["callq_effects_overdue"][()] == 1
    assert metrics["callq_effects_oldest_overdue_seconds"][()] == 600
    assert metrics["callq_effects_failed"][()] == 1
    assert metrics["callq_appointments"][(("status", "done"),)] == 1
    assert metrics["callq_appointment_moves_total"][()] == 2
    assert metrics["callq_appointment_no_shows_total"][()] == 1
    assert metrics["callq_appointment_extensions_total"][()] == 1
    assert metrics["callq_redis_up"][()] == 0  # the tests' Redis URL answers nobody


def test_r05_the_webhooks_latency_is_a_histogram_by_route_and_status(app):
    client = app.test_client()
    assert post(client, "/twilio/voice", incoming(1)).status_code == 200
    assert post(client, "/twilio/voice", incoming(2), signature="forged").status_code == 403
    metrics = _families(_scrape(client))
    counts = metrics["callq_webhook_duration_seconds_count"]
    assert counts[(("route", "/twilio/voice"), ("status", "200"))] == 1
    assert counts[(("route", "/twilio/voice"), ("status", "403"))] == 1
    buckets = metrics["callq_webhook_duration_seconds_bucket"]
    assert buckets[(("le", "+Inf"), ("route", "/twilio/voice"), ("status", "200"))] == 1


def test_r05_json_logs_carry_the_request_id_and_the_callsid_on_every_line(app, caplog):
    caplog.set_level(logging.INFO)
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(logs.formatter("json"))
    handler.addFilter(logs.ContextFilter())
    logging.getLogger().addHandler(handler)
    try:
        client = app.test_client()
        post(client, "/twilio/voice", incoming(7))
        client.environ_base["HTTP_X_REQUEST_ID"] = "req-42"
        answered = post(client, "/twilio/gather", speech(7, "Le serveur est en panne"))
    finally:
        logging.getLogger().removeHandler(handler)
    assert answered.headers["X-Request-Id"] == "req-42"
    records = [json.loads(line) for line in lines.getvalue().splitlines()]
    mine = [r for r in records if r["request_id"] == "req-42"]
    assert mine and all(r["call_sid"] == call_sid(7) for r in mine)
    assert any(r["logger"] == "callq.http" and "/twilio/gather 200" in r["message"]
               for r in mine)
    assert {"time", "level", "logger", "message"} <= set(records[0])


def test_a_request_id_of_a_proxy_is_kept_and_a_strange_one_replaced(app):
    client = app.test_client()
    kept = client.get("/healthz", headers={"X-Request-Id": "abc-123"})
    assert kept.headers["X-Request-Id"] == "abc-123"
    replaced = client.get("/healthz", headers={"X-Request-Id": "<script> " * 3})
    assert "<" not in replaced.headers["X-Request-Id"]
    assert len(replaced.headers["X-Request-Id"]) == 32
