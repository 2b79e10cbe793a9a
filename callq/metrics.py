"""`GET /metrics` in Prometheus's text format, for a scraper holding `CALLQ_METRICS_TOKEN`
(Bearer); without the setting the route answers 404. Twilio's webhooks are timed here.

Counts of state (entries, effects, queue, appointments) are read from the database at scrape
time (callq.gauges): every worker answers the same. The webhooks' latency histogram lives in
each process; under gunicorn with several workers, set PROMETHEUS_MULTIPROC_DIR and each
worker writes it to a file that any worker's scrape adds up (prometheus_client's multiprocess
mode; gunicorn.conf.py cleans a dead worker's files).
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, g, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from callq import gauges
from callq.runtime import Runtime

blueprint = Blueprint("metrics", __name__)
MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
KEY = "callq.metrics"


class Metrics:
    """One app's own metrics: the webhooks' latency."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.webhooks = Histogram(
            "callq_webhook_duration_seconds", "Time to answer a Twilio webhook, by route and "
            "status", ["route", "status"], buckets=BUCKETS, registry=self.registry)


@blueprint.record_once
def _install(state: Any) -> None:
    app: Flask = state.app
    app.extensions[KEY] = Metrics()


@blueprint.before_app_request
def _started() -> None:
    if request.path.startswith("/twilio/"):
        g.webhook_started = time.perf_counter()


@blueprint.after_app_request
def _timed(response: Response) -> Response:
    started = g.pop("webhook_started", None)
    if started is not None:
        route = request.url_rule.rule if request.url_rule else "unknown"
        current_app.extensions[KEY].webhooks.labels(route, str(response.status_code)).observe(
            time.perf_counter() - started)
    return response


@blueprint.get("/metrics")
def metrics() -> Response:
    """The scrape."""
    runtime: Runtime = current_app.extensions["callq"]
    expected = runtime.settings.metrics_token
    if not expected:
        abort(404)
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(),
                                                             expected.encode()):
        body = jsonify(error="Unauthorized", reason="a valid Bearer token is required")
        return Response(body.get_data(), 401, {"WWW-Authenticate": 'Bearer realm="callq"'},
                        mimetype="application/json")
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROCESS):
        MultiProcessCollector(registry)
    else:
        registry.register(_Own(current_app.extensions[KEY].registry))
    registry.register(_State(runtime))
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


class _Own(Collector):
    """This process's own metrics."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterator[Any]:
        yield from self.registry.collect()


class _State(Collector):
    """The database's counts, read at scrape time."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def collect(self) -> Iterator[Any]:
        seen = gauges.snapshot(self.runtime)
        entries = GaugeMetricFamily("callq_entries", "Waiting-room entries by status",
                                    labels=["status"])
        for status, count in seen.entries.items():
            entries.add_metric([status], count)
        yield entries
        yield GaugeMetricFamily("callq_entries_late", "Listed entries past their resolution "
                                "due time (R11)", value=seen.entries_late)
        yield GaugeMetricFamily("callq_effects_overdue", "Outbox effects due more than a "
                                "minute ago and not done", value=seen.effects_overdue)
        yield GaugeMetricFamily("callq_effects_oldest_overdue_seconds", "Age of the oldest "
                                "overdue effect", value=seen.effects_oldest_overdue_seconds)
        yield GaugeMetricFamily("callq_effects_failed", "Outbox effects that gave up",
                                value=seen.effects_failed)
        yield GaugeMetricFamily("callq_redis_up", "Whether Redis answered",
                                value=int(seen.redis_up))
        if seen.queue_depth is not None:
            yield GaugeMetricFamily("callq_queue_depth", "Jobs waiting in the RQ queue",
                                    value=seen.queue_depth)
        appointments = GaugeMetricFamily("callq_appointments", "Appointments by status",
                                         labels=["status"])
        for status, count in seen.appointments.items():
            appointments.add_metric([status], count)
        yield appointments
        for name, value, what in (
                ("moves", seen.appointment_moves, "Appointment moves (R13, R15)"),
                ("no_shows", seen.appointment_no_shows, "Clients not there at their "
                 "appointment (R15)"),
                ("extensions", seen.appointment_extensions, "Appointments extended (R16)")):
            yield CounterMetricFamily(f"callq_appointment_{name}", what, value=value)
