"""The Flask application factory: the web process's composition root."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from callq import (
    accounts,
    api,
    health,
    logs,
    metrics,
    outbox_pages,
    request_log,
    web_headers,
    web_i18n,
    web_input,
    web_pages,
)
from callq.admin import setup_views as admin_setup_views
from callq.admin import text_views as admin_text_views
from callq.admin import views as admin_views
from callq.bootstrap import Adapters, runtime_from_environment
from callq.models import utcnow
from callq.ports import Clock
from callq.reports import views as report_views
from callq.runtime import Runtime
from callq.workspace import actions, cancel, views
from scheduling import agent_views, feed
from scheduling import views as booking_views
from webhooks import bridge_reports, voice

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

# Every page and webhook of the web process (a literal table: nothing registers by import).
BLUEPRINTS: tuple[Blueprint, ...] = (
    request_log.blueprint, metrics.blueprint, health.blueprint, voice.blueprint,
    bridge_reports.blueprint, api.blueprint, accounts.blueprint, views.blueprint,
    actions.blueprint, cancel.blueprint, booking_views.blueprint, booking_views.short,
    agent_views.blueprint, feed.blueprint, outbox_pages.blueprint, report_views.blueprint,
    admin_views.blueprint, admin_setup_views.blueprint, admin_text_views.blueprint,
)


def create_app(
    overrides: Mapping[str, Any] | None = None,
    *,
    adapters: Adapters | None = None,
    clock: Clock | None = None,
    environ: Mapping[str, str] | None = None,
) -> Flask:
    """The web process's composition root: defaults, then `CALLQ_*` environment, then
    `overrides`; the runtime is built once here and kept on the app.

    `adapters` replaces outside parts (engine, redis, queue, mailer, calls, twilio_http) and
    `clock` the time source; tests use both, production uses neither.
    """
    runtime = runtime_from_environment(environ, overrides, adapters, clock or utcnow)
    app = Flask("callq", template_folder=str(TEMPLATES),
                instance_path=str(runtime.settings.instance_path))
    app.config.update(
        SECRET_KEY=runtime.settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=runtime.settings.public_base_url.startswith("https://"),
        # Room for a very long speech result (capped by the intake, see Voice intake).
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        JSON_AS_ASCII=False,
    )
    app.extensions["callq"] = runtime
    web_input.install(app)  # before the routes: their <int:...> converters are bounded
    _register(app)
    web_headers.install(app, production=runtime.settings.production)
    # The administrator's texts and hours, at most a minute old, before any page is built.
    app.before_request(partial(_refresh, runtime))
    with web_pages.pages_only(app):  # agents' sessions, CSRF, the language cookie
        accounts.install(app)
        web_i18n.install(app, runtime.settings.language)
    _install_errors(app)
    logs.configure(runtime.settings.log_format)
    return app


def _refresh(runtime: Runtime) -> None:
    runtime.refresh()


def _register(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)


def _install_errors(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        # JSON clients get JSON with the reason; pages get Flask's plain page.
        if request.path.startswith(("/api/", "/twilio/", "/healthz")):
            return jsonify(error=exc.name, reason=exc.description), exc.code
        return exc
